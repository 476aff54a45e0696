//! Large text files, read in parts so memory is bounded by the part
//! size, not the file size.
//!
//! The encoding is decided once from the file's first megabyte (as for a
//! whole file: byte-order mark, UTF-16 guess, UTF-8, else chardetng) and
//! the file is decoded as a stream, so a character split between two reads
//! is decoded whole. The decoded text is cut after a paragraph break
//! (`\n\n`), else after a line break, and only in a single line longer than
//! the part size inside that line, at a character boundary. Sentences never
//! span a line break (see [`crate::text::sentences`]), so cutting at line
//! breaks keeps every sentence whole. Each [`Part`] carries the byte offset
//! of its first byte in the whole decoded document.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use encoding_rs::{CoderResult, Decoder};

use super::{sniff, Sniffed, Unreadable};

/// How much of the file decides its encoding.
const HEAD: usize = 1 << 20;
/// Bytes read from the file at a time.
const READ: usize = 1 << 20;

/// One part of a document's decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Byte offset of `text` in the whole decoded document.
    pub base: usize,
    pub text: String,
}

/// The parts of one file, in order (see the module docs).
pub struct Parts {
    file: File,
    decoder: Decoder,
    how: Sniffed,
    /// Decoded text not yet handed out.
    pending: String,
    /// Read but not yet decoded (the first read, after sniffing).
    undecoded: Vec<u8>,
    base: usize,
    size: usize,
    eof: bool,
    replaced: bool,
    /// Bytes read from the file so far.
    pub bytes: u64,
}

/// Opens `path` to be read in parts of about `size` bytes of text.
pub fn parts(path: &Path, size: usize) -> Result<Parts, Unreadable> {
    let mut file = File::open(path).map_err(|e| Unreadable::Error(super::io_message(&e)))?;
    let mut head = Vec::with_capacity(HEAD);
    (&mut file)
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| Unreadable::Error(super::io_message(&e)))?;
    let whole = head.len() < HEAD;
    let how = sniff(&head, whole)?;
    let bytes = head.len() as u64;
    head.drain(..how.bom);
    Ok(Parts {
        file,
        decoder: how.encoding.new_decoder_without_bom_handling(),
        how,
        pending: String::new(),
        undecoded: head,
        base: 0,
        size: size.max(1),
        eof: false,
        replaced: false,
        bytes,
    })
}

impl Parts {
    /// What decoding did, for `documents.csv` (complete once all parts
    /// are read).
    pub fn note(&self) -> String {
        self.how.describe(self.replaced)
    }

    /// Decodes `bytes` (the last ones when `last`) onto `pending`.
    fn decode(&mut self, mut bytes: &[u8], last: bool) {
        loop {
            let (result, read, replaced) =
                self.decoder.decode_to_string(bytes, &mut self.pending, last);
            self.replaced |= replaced;
            bytes = &bytes[read..];
            match result {
                CoderResult::InputEmpty => return,
                CoderResult::OutputFull => {
                    let need = self.decoder.max_utf8_buffer_length(bytes.len());
                    self.pending.reserve(need.unwrap_or(bytes.len() * 3 + 16));
                }
            }
        }
    }

    /// Reads and decodes until a part's worth is pending or the file ends.
    fn fill(&mut self) -> Result<(), String> {
        if !self.undecoded.is_empty() {
            let head = std::mem::take(&mut self.undecoded);
            self.decode(&head, false);
        }
        let mut buf = vec![0u8; READ];
        while !self.eof && self.pending.len() < self.size {
            let n = match self.file.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(format!(
                        "read failed after {} bytes: {}",
                        self.bytes,
                        super::io_message(&e)
                    ))
                }
            };
            self.bytes += n as u64;
            self.eof = n == 0;
            self.decode(&buf[..n], self.eof);
        }
        Ok(())
    }

    /// Where to end the next part of `pending`: the last paragraph break
    /// in the second half of the first `size` bytes, else the last line
    /// break in them, else (one long line) a character boundary.
    fn cut(&self) -> usize {
        let text = &self.pending;
        if text.len() <= self.size {
            return text.len();
        }
        let mut window = self.size;
        while !text.is_char_boundary(window) {
            window -= 1;
        }
        let head = &text[..window];
        if let Some(i) = head.rfind("\n\n").filter(|&i| i >= window / 2) {
            return i + 2;
        }
        if let Some(i) = head.rfind('\n') {
            return i + 1;
        }
        window.max(text.chars().next().map_or(0, char::len_utf8))
    }
}

impl Iterator for Parts {
    type Item = Result<Part, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.fill() {
            self.eof = true;
            self.pending.clear();
            return Some(Err(e));
        }
        if self.pending.is_empty() {
            return None;
        }
        let cut = self.cut();
        let rest = self.pending.split_off(cut);
        let text = std::mem::replace(&mut self.pending, rest);
        let part = Part { base: self.base, text };
        self.base += cut;
        Some(Ok(part))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_parts(bytes: &[u8], size: usize) -> (Vec<Part>, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, bytes).unwrap();
        let mut p = parts(&path, size).unwrap();
        let got: Vec<Part> = p.by_ref().map(Result::unwrap).collect();
        (got, p.note())
    }

    #[test]
    fn parts_rebuild_the_text_and_end_at_line_breaks() {
        let text = "Japan met Vietnam.\n\nFrance criticised Germany on Monday.\nMore.\n".repeat(50);
        let (got, note) = read_parts(text.as_bytes(), 100);
        assert!(got.len() > 10);
        let mut whole = String::new();
        for p in &got {
            assert_eq!(p.base, whole.len());
            whole.push_str(&p.text);
        }
        assert_eq!(whole, text);
        assert!(got[..got.len() - 1].iter().all(|p| p.text.ends_with('\n')));
        assert_eq!(note, "");
    }

    #[test]
    fn encodings_are_decoded_across_reads() {
        // UTF-16 with a BOM, larger than one read, cut into parts.
        let text = "Zürich and Kyiv — talks.\n".repeat(60_000);
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let (got, note) = read_parts(&bytes, 300_000);
        assert!(got.len() > 3);
        assert_eq!(got.iter().map(|p| p.text.as_str()).collect::<String>(), text);
        assert_eq!(note, "decoded from UTF-16LE");

        // A line with no break longer than the part: cut at a char boundary.
        let line = "é".repeat(1000);
        let (got, _) = read_parts(line.as_bytes(), 101);
        assert!(got.iter().all(|p| p.text.len() <= 101));
        assert_eq!(got.iter().map(|p| p.text.as_str()).collect::<String>(), line);

        let mut broken = "Zürich talks. ".repeat(10).into_bytes();
        broken.push(0xFF);
        broken.extend(b"\nMore.\n");
        let (_, note) = read_parts(&broken, 50);
        assert_eq!(note, "invalid UTF-8 bytes replaced with U+FFFD");
    }
}
