//! Input: finds the articles under the paths the user gave, reads them and
//! decodes them to UTF-8. Every file found becomes a [`Document`] or a
//! reason it could not be one; nothing is dropped silently, so
//! `documents.csv` accounts for every file.

use std::path::{Path, PathBuf};

/// One file to process, with its `doc` name for the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// The path relative to the INPUT folder given (file name for a file).
    pub doc: String,
    pub path: PathBuf,
    /// A problem found while listing (broken link, loop, unreadable folder).
    pub problem: Option<String>,
}

/// Article formats gazette reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
}

/// The format of a file by its extension; `None` for files that are not articles.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        None | Some("txt" | "text" | "md") => Some(Format::Text),
        _ => None,
    }
}

/// Lists the files under `inputs`, sorted by `doc` so that output order
/// does not depend on the order of files on disk. Hidden files and folders
/// (names starting with `.`) are skipped.
pub fn list(inputs: &[PathBuf]) -> Vec<InputFile> {
    let mut out = vec![];
    for input in inputs {
        let meta = std::fs::metadata(input);
        match meta {
            Ok(m) if m.is_dir() => {
                let walker = walkdir::WalkDir::new(input).follow_links(true).into_iter();
                let walker = walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_dir() => {}
                        Ok(e) => out.push(InputFile {
                            doc: relative_doc(input, e.path()),
                            path: e.path().to_path_buf(),
                            problem: None,
                        }),
                        Err(err) => {
                            let path =
                                err.path().map(Path::to_path_buf).unwrap_or_else(|| input.clone());
                            let problem = if err.loop_ancestor().is_some() {
                                "symbolic link loop".to_string()
                            } else {
                                match err.io_error() {
                                    Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
                                        "broken symbolic link or vanished file".to_string()
                                    }
                                    Some(io) => io.to_string(),
                                    None => err.to_string(),
                                }
                            };
                            out.push(InputFile {
                                doc: relative_doc(input, &path),
                                path,
                                problem: Some(problem),
                            });
                        }
                    }
                }
            }
            Ok(_) => out.push(InputFile {
                doc: input
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path: input.clone(),
                problem: None,
            }),
            Err(e) => out.push(InputFile {
                doc: input.display().to_string(),
                path: input.clone(),
                problem: Some(e.to_string()),
            }),
        }
    }
    out.sort();
    out
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn relative_doc(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    } else {
        s
    }
}

/// A decoded article.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// What decoding did, for `documents.csv` ("" for clean UTF-8).
    pub note: String,
}

/// Why a file is not processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Not an article: status `skipped`.
    Skipped(String),
    /// Could not be read: status `error`.
    Error(String),
}

/// Reads and decodes one file. Files over `max_bytes` are skipped unread.
pub fn read(path: &Path, max_bytes: u64) -> Result<(Decoded, u64), Unreadable> {
    let meta = std::fs::metadata(path).map_err(|e| Unreadable::Error(io_message(&e)))?;
    if !meta.is_file() {
        return Err(Unreadable::Skipped("not a regular file".into()));
    }
    if meta.len() > max_bytes {
        return Err(Unreadable::Skipped(format!(
            "file is {} bytes, over the {max_bytes}-byte limit (--max-file-size)",
            meta.len()
        )));
    }
    if format_of(path).is_none() {
        let ext = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
        return Err(Unreadable::Skipped(format!("not an article format (.{ext})")));
    }
    let bytes = std::fs::read(path).map_err(|e| Unreadable::Error(io_message(&e)))?;
    let len = bytes.len() as u64;
    decode(bytes).map(|d| (d, len))
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "file not found (vanished or broken link)".into(),
        _ => e.to_string(),
    }
}

/// Decodes bytes to UTF-8: a BOM decides; else valid UTF-8 is taken as is;
/// else the encoding is guessed (chardetng) and noted. Binary data (NUL
/// bytes outside UTF-16) and empty files are refused.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, Unreadable> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Unreadable::Skipped("empty file".into()));
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let mut note = if enc == encoding_rs::UTF_8 {
            String::new()
        } else {
            format!("decoded from {}", enc.name())
        };
        if had_errors {
            note = join_note(&note, "invalid bytes replaced with U+FFFD");
        }
        return Ok(Decoded { text: text.into_owned(), note });
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(Unreadable::Skipped("binary file (NUL bytes)".into()));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text, note: String::new() }),
        Err(e) => {
            let bytes = e.into_bytes();
            // Mostly UTF-8 with a few bad bytes: keep UTF-8, replace them.
            let valid = valid_utf8_share(&bytes);
            if valid > 0.98 && has_multibyte_utf8(&bytes) {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                return Ok(Decoded {
                    text,
                    note: "invalid UTF-8 bytes replaced with U+FFFD".into(),
                });
            }
            let mut det = chardetng::EncodingDetector::new();
            det.feed(&bytes, true);
            let enc = det.guess(None, true);
            let (text, _, had_errors) = enc.decode(&bytes);
            let mut note = format!("decoded from {} (guessed)", enc.name());
            if had_errors {
                note = join_note(&note, "invalid bytes replaced with U+FFFD");
            }
            Ok(Decoded { text: text.into_owned(), note })
        }
    }
}

fn join_note(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}; {b}")
    }
}

fn valid_utf8_share(bytes: &[u8]) -> f64 {
    let mut bad = 0usize;
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(_) => break,
            Err(e) => {
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                bad += e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = &rest[skip..];
            }
        }
    }
    1.0 - bad as f64 / bytes.len().max(1) as f64
}

fn has_multibyte_utf8(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| (0xC2..=0xF4).contains(&w[0]) && (0x80..=0xBF).contains(&w[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_legacy_and_broken_utf8() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Kyiv é".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let d = decode(utf16).unwrap();
        assert_eq!((d.text.as_str(), d.note.as_str()), ("Kyiv é", "decoded from UTF-16LE"));

        let cp1252 = b"The minister\x92s caf\xe9 meeting in S\xe3o Paulo and Z\xfcrich".to_vec();
        let d = decode(cp1252).unwrap();
        assert_eq!(
            d.text,
            "The minister\u{2019}s caf\u{e9} meeting in S\u{e3}o Paulo and Z\u{fc}rich"
        );
        assert!(d.note.starts_with("decoded from windows-1252"), "{}", d.note);

        let mut broken = "Zürich talks. ".repeat(20).into_bytes();
        broken.push(0xFF);
        let d = decode(broken).unwrap();
        assert!(d.text.ends_with('\u{FFFD}'));
        assert_eq!(d.note, "invalid UTF-8 bytes replaced with U+FFFD");
    }

    #[test]
    fn refuses_binary_and_empty() {
        assert_eq!(
            decode(b"\x00\x01PNG".to_vec()).unwrap_err(),
            Unreadable::Skipped("binary file (NUL bytes)".into())
        );
        assert_eq!(decode(b"  \n".to_vec()).unwrap_err(), Unreadable::Skipped("empty file".into()));
    }
}
