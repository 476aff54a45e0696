//! Input: finds the articles under the paths the user gave, reads them and
//! decodes them to UTF-8. Every file found becomes an [`Article`] or a
//! [`Failure`] saying why it could not be one; nothing is dropped
//! silently, so `documents.csv` accounts for every file.
//!
//! Three formats feed the same pipeline: plain text (`.txt`, `.md`, no
//! extension), saved web pages (`.html`, `.htm`: see [`html`]) and JSON
//! Lines corpora (`.jsonl`, or `-` for standard input), where every line
//! is one article. [`sources`] turns the listed files into a lazy stream
//! of [`Source`]s (a JSON Lines file is read a line at a time, so a corpus
//! of any size is never held in memory); [`load`] turns one source into
//! an [`Article`], and runs on the worker threads. Text files larger than
//! the part size are read in [`parts`] by the pipeline instead.
//!
//! Limits: a file over `--max-file-size` is skipped unread. HTML pages
//! and JSON lines are parsed whole, so they have a fixed cap as well,
//! [`MAX_WHOLE`]; plain text has none beyond `--max-file-size`.

pub mod html;
pub mod parts;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::pipeline::DctSource;

/// One file to process, with its `doc` name for the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// The path relative to the INPUT folder given (file name for a file,
    /// `stdin` for `-`).
    pub doc: String,
    pub path: PathBuf,
    /// A problem found while listing (broken link, loop, unreadable folder).
    pub problem: Option<String>,
    /// Found by walking a folder (rather than named on the command line).
    pub in_folder: bool,
}

impl InputFile {
    /// Whether this is `-`, standard input.
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }
}

/// Article formats gazette reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Jsonl,
}

/// The format of a file by its extension; `None` for files that are not articles.
pub fn format_of(path: &Path) -> Option<Format> {
    if path.as_os_str() == "-" {
        return Some(Format::Jsonl);
    }
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        None | Some("txt" | "text" | "md") => Some(Format::Text),
        Some("html" | "htm" | "xhtml") => Some(Format::Html),
        Some("jsonl" | "ndjson") => Some(Format::Jsonl),
        _ => None,
    }
}

/// Lists the files under `inputs` (see [`walk`]).
pub fn list(inputs: &[PathBuf]) -> Vec<InputFile> {
    walk(inputs).collect()
}

/// The number of files under `inputs` and their total size, walking as
/// [`walk`] does without holding the list (for a progress bar).
pub fn count(inputs: &[PathBuf]) -> (usize, u64) {
    walk(inputs).filter(|f| !f.is_stdin() && f.problem.is_none()).fold((0, 0), |(n, bytes), f| {
        (n + 1, bytes + std::fs::metadata(&f.path).map_or(0, |m| m.len()))
    })
}

/// The files under `inputs`, lazily: the inputs in the order given, each
/// folder walked depth first with the entries of each folder sorted by
/// name, so that the order (and so the output) does not depend on the
/// order of files on disk, and memory is bounded by the largest folder,
/// not the corpus. Hidden files and folders (names starting with `.`) are
/// skipped. Problems (broken links, loops, unreadable folders) are files
/// with a `problem`.
pub fn walk(inputs: &[PathBuf]) -> impl Iterator<Item = InputFile> + Send + 'static {
    let owned: Vec<PathBuf> = inputs.to_vec(); // the iterator outlives `inputs`
    owned.into_iter().flat_map(walk_one)
}

fn walk_one(input: PathBuf) -> Box<dyn Iterator<Item = InputFile> + Send> {
    if input.as_os_str() == "-" {
        let stdin = InputFile { doc: "stdin".into(), path: input, problem: None, in_folder: false };
        return Box::new(std::iter::once(stdin));
    }
    match std::fs::metadata(&input) {
        Ok(m) if m.is_dir() => {
            let walker = walkdir::WalkDir::new(&input)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
            Box::new(walker.filter_map(move |entry| match entry {
                Ok(e) if e.file_type().is_dir() => None,
                Ok(e) => Some(InputFile {
                    doc: relative_doc(&input, e.path()),
                    path: e.into_path(),
                    problem: None,
                    in_folder: true,
                }),
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| input.clone());
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
                    Some(InputFile {
                        doc: relative_doc(&input, &path),
                        path,
                        problem: Some(problem),
                        in_folder: true,
                    })
                }
            }))
        }
        Ok(_) => Box::new(std::iter::once(InputFile {
            doc: input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            path: input,
            problem: None,
            in_folder: false,
        })),
        Err(e) => Box::new(std::iter::once(InputFile {
            doc: input.display().to_string(),
            path: input,
            problem: Some(e.to_string()),
            in_folder: false,
        })),
    }
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

/// The largest HTML page or JSON line read: they are parsed whole, so
/// memory grows with them (a page's DOM takes several times its size).
pub const MAX_WHOLE: u64 = 256 << 20;

/// The size limit for an input parsed whole, and how to name it.
fn whole_limit(max_bytes: u64, what: &str) -> (u64, String) {
    if max_bytes <= MAX_WHOLE {
        (max_bytes, format!("the {max_bytes}-byte limit (--max-file-size)"))
    } else {
        (MAX_WHOLE, format!("the {MAX_WHOLE}-byte limit for one {what}"))
    }
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
    let Some(format) = format_of(path) else {
        let ext = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
        return Err(Unreadable::Skipped(format!("not an article format (.{ext})")));
    };
    let (limit, named) = whole_limit(max_bytes, "HTML page");
    if format == Format::Html && meta.len() > limit {
        return Err(Unreadable::Skipped(format!(
            "page is {} bytes, over {named} (pages are parsed whole)",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Unreadable::Error(io_message(&e)))?;
    let len = bytes.len() as u64;
    decode(bytes).map(|d| (d, len))
}

/// A document ready for the pipeline: its text and what is known about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    pub doc: String,
    /// Size of the input it came from (the file, or the JSON line).
    pub bytes: u64,
    pub text: String,
    /// What reading did, for `documents.csv` ("" when nothing to say).
    pub note: String,
    /// The publication date given with the article (page metadata, the
    /// JSON line's `date`), and where it came from.
    pub published: Option<(NaiveDate, DctSource)>,
    pub title: String,
    pub url: String,
}

impl Article {
    /// An article from text alone (as `explain` or a library user has it).
    pub fn from_text(doc: impl Into<String>, text: impl Into<String>) -> Article {
        let text = text.into();
        Article { doc: doc.into(), bytes: text.len() as u64, text, ..Default::default() }
    }
}

/// Why a source gave no article: the `documents.csv` row to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub doc: String,
    pub bytes: u64,
    pub why: Unreadable,
}

/// One unit of work for the pipeline, cheap to make while listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A text or HTML file, read by the worker.
    File(InputFile),
    /// One line of a JSON Lines corpus, parsed by the worker.
    Line(JsonLine),
    /// Failed before it could be an article (e.g. a JSON Lines file that
    /// could not be opened, or a line over the size limit).
    Failed(Failure),
}

/// One non-blank line of a JSON Lines corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonLine {
    /// The corpus' `doc` name (`corpus.jsonl`, `stdin`), for errors.
    pub file: Arc<str>,
    /// For corpora found inside a folder: `doc` is `FILE#id`, so ids from
    /// different corpora cannot collide. `None`: `doc` is the `id`.
    pub prefixed: bool,
    /// 1-based line number.
    pub line: usize,
    pub raw: Vec<u8>,
}

impl JsonLine {
    fn failure(&self, why: Unreadable) -> Failure {
        Failure { doc: format!("{}:{}", self.file, self.line), bytes: self.raw.len() as u64, why }
    }
}

/// The sources of the listed files, in order: a JSON Lines file becomes
/// one source per non-blank line, read lazily; any other file one source.
/// Lines longer than `max_bytes` become failures without being held.
pub fn sources<F>(files: F, max_bytes: u64) -> Sources
where
    F: IntoIterator<Item = InputFile>,
    F::IntoIter: Send + 'static,
{
    Sources { files: Box::new(files.into_iter()), lines: None, max_bytes }
}

/// The iterator [`sources`] returns.
pub struct Sources {
    files: Box<dyn Iterator<Item = InputFile> + Send>,
    lines: Option<LineReader>,
    max_bytes: u64,
}

struct LineReader {
    reader: Box<dyn BufRead + Send>,
    file: Arc<str>,
    prefixed: bool,
    line: usize,
}

impl Iterator for Sources {
    type Item = Source;

    fn next(&mut self) -> Option<Source> {
        loop {
            if let Some(r) = &mut self.lines {
                match r.next_source(self.max_bytes) {
                    Some(s) => return Some(s),
                    None => self.lines = None,
                }
            }
            let f = self.files.next()?;
            if f.problem.is_some() || format_of(&f.path) != Some(Format::Jsonl) {
                return Some(Source::File(f));
            }
            let reader: Box<dyn BufRead + Send> = if f.is_stdin() {
                Box::new(BufReader::with_capacity(1 << 16, std::io::stdin()))
            } else {
                match std::fs::File::open(&f.path) {
                    Ok(file) => Box::new(BufReader::with_capacity(1 << 16, file)),
                    Err(e) => {
                        let why = Unreadable::Error(io_message(&e));
                        return Some(Source::Failed(Failure { doc: f.doc, bytes: 0, why }));
                    }
                }
            };
            self.lines =
                Some(LineReader { reader, file: f.doc.into(), prefixed: f.in_folder, line: 0 });
        }
    }
}

impl LineReader {
    /// The next non-blank line, or `None` at the end (or after a read error,
    /// which is returned as a failure first).
    fn next_source(&mut self, max_bytes: u64) -> Option<Source> {
        let (max_bytes, named) = whole_limit(max_bytes, "JSON line");
        loop {
            self.line += 1;
            let mut raw = vec![];
            let limit = max_bytes.saturating_add(1);
            let read = (&mut self.reader).take(limit).read_until(b'\n', &mut raw);
            let at = |why| Failure { doc: format!("{}:{}", self.file, self.line), bytes: 0, why };
            match read {
                Ok(0) => return None,
                Err(e) => {
                    self.reader = Box::new(std::io::empty());
                    return Some(Source::Failed(at(Unreadable::Error(io_message(&e)))));
                }
                Ok(n) if n as u64 == limit && raw.last() != Some(&b'\n') => {
                    let skipped = n as u64 + skip_line(&mut self.reader);
                    let why = Unreadable::Skipped(format!("line is {skipped} bytes, over {named}"));
                    return Some(Source::Failed(Failure { bytes: skipped, ..at(why) }));
                }
                Ok(_) => {}
            }
            while raw.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                raw.pop();
            }
            if self.line == 1 && raw.starts_with(b"\xEF\xBB\xBF") {
                raw.drain(..3);
            }
            if raw.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let line =
                JsonLine { file: self.file.clone(), prefixed: self.prefixed, line: self.line, raw };
            return Some(Source::Line(line));
        }
    }
}

/// Consumes the rest of a line; returns how many bytes that was.
fn skip_line(reader: &mut dyn BufRead) -> u64 {
    let mut n = 0u64;
    loop {
        let Ok(buf) = reader.fill_buf() else { return n };
        if buf.is_empty() {
            return n;
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return n + i as u64 + 1;
            }
            None => {
                let len = buf.len();
                reader.consume(len);
                n += len as u64;
            }
        }
    }
}

/// Reads, decodes and (for HTML and JSON lines) parses one source.
pub fn load(source: &Source, max_bytes: u64) -> Result<Article, Failure> {
    match source {
        Source::Failed(f) => Err(f.clone()),
        Source::Line(line) => parse_line(line),
        Source::File(file) => {
            let fail = |why, bytes| Failure { doc: file.doc.clone(), bytes, why };
            if let Some(p) = &file.problem {
                return Err(fail(Unreadable::Error(p.clone()), 0));
            }
            let (decoded, bytes) = read(&file.path, max_bytes).map_err(|why| {
                let bytes = match why {
                    Unreadable::Skipped(_) => {
                        std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0)
                    }
                    Unreadable::Error(_) => 0,
                };
                fail(why, bytes)
            })?;
            let mut article =
                Article { doc: file.doc.clone(), bytes, note: decoded.note, ..Default::default() };
            if format_of(&file.path) == Some(Format::Html) {
                let page = html::extract(&decoded.text);
                if page.text.trim().is_empty() {
                    return Err(fail(
                        Unreadable::Skipped("no article text in the page".into()),
                        bytes,
                    ));
                }
                article.text = page.text;
                article.title = page.title;
                article.url = page.url;
                article.published = page.published.map(|d| (d, DctSource::HtmlMeta));
            } else {
                article.text = decoded.text;
            }
            Ok(article)
        }
    }
}

/// The fields of one JSON line; others are ignored.
#[derive(serde::Deserialize)]
struct RawArticle {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

/// Parses one JSON line: `{"id": .., "text": .., "date"?, "url"?, "title"?}`.
fn parse_line(line: &JsonLine) -> Result<Article, Failure> {
    let bad = |m: String| Err(line.failure(Unreadable::Error(m)));
    let Ok(raw) = std::str::from_utf8(&line.raw) else {
        return bad("not valid UTF-8 (JSON Lines must be UTF-8)".into());
    };
    let a: RawArticle = match serde_json::from_str(raw) {
        Ok(a) => a,
        Err(e) => return bad(json_message(&e)),
    };
    let id = match &a.id {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        other => return bad(format!("\"id\" must be a string or a number, not {other}")),
    };
    if id.trim().is_empty() {
        return bad("\"id\" is empty".into());
    }
    let published = match a.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match parse_published(d) {
            Some(date) => Some((date, DctSource::Jsonl)),
            None => {
                return bad(format!(
                    "date \"{d}\" is not a date (YYYY-MM-DD or ISO 8601 date-time)"
                ))
            }
        },
    };
    let doc = if line.prefixed { format!("{}#{id}", line.file) } else { id };
    let bytes = line.raw.len() as u64;
    if a.text.trim().is_empty() {
        let why = Unreadable::Skipped("empty text".into());
        return Err(Failure { doc, bytes, why });
    }
    Ok(Article {
        doc,
        bytes,
        text: a.text,
        note: String::new(),
        published,
        title: a.title.unwrap_or_default(),
        url: a.url.unwrap_or_default(),
    })
}

/// serde_json's message without "at line 1 column N" (always line 1
/// here); syntax errors keep the column.
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let msg = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m);
    match e.classify() {
        serde_json::error::Category::Data => msg.to_string(),
        _ => format!("not valid JSON: {msg} (column {})", e.column()),
    }
}

/// A publication date as pages and feeds write it: `YYYY-MM-DD`, or an
/// ISO 8601 date-time starting with one (`2021-11-23T08:15:00+07:00`).
/// The date is taken as written, not converted to UTC: it is the date
/// the publisher gave.
pub fn parse_published(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let date = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = &s[10..];
    let time_ok = rest.is_empty()
        || (rest.starts_with(['T', 't', ' '])
            && rest[1..].starts_with(|c: char| c.is_ascii_digit()));
    time_ok.then_some(date)
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "file not found (vanished or broken link)".into(),
        _ => e.to_string(),
    }
}

/// How the bytes of a file are to be decoded, decided from its start.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sniffed {
    pub encoding: &'static encoding_rs::Encoding,
    /// Bytes of byte-order mark to skip.
    pub bom: usize,
    /// What was decided, for `documents.csv` ("" for UTF-8).
    pub note: &'static str,
    /// The encoding was guessed (so say which in the note).
    pub guessed: bool,
}

/// Decides how to decode a file from its `bytes` (`whole` when they are
/// the entire file, else its first megabyte): a byte-order mark decides; else NUL
/// bytes mean UTF-16 without a mark (when they fall on every other byte)
/// or binary data; else (mostly) valid UTF-8 is UTF-8; else chardetng
/// guesses a legacy encoding (Windows-1252, Latin-1, Shift_JIS, ...).
pub(crate) fn sniff(bytes: &[u8], whole: bool) -> Result<Sniffed, Unreadable> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let note = if encoding == encoding_rs::UTF_8 { "" } else { "decoded from" };
        return Ok(Sniffed { encoding, bom, note, guessed: false });
    }
    let head = &bytes[..bytes.len().min(8192)];
    // memchr's vector search (`contains` reads a word at a time).
    if memchr::memchr(0, head).is_some() {
        return match utf16_without_bom(head) {
            Some(encoding) => Ok(Sniffed { encoding, bom: 0, note: "decoded from", guessed: true }),
            None => Err(Unreadable::Skipped("binary file (NUL bytes)".into())),
        };
    }
    let utf8 = match std::str::from_utf8(bytes) {
        Ok(_) => true,
        // Cut inside a character at the end of the head: still UTF-8.
        Err(e) if !whole && e.error_len().is_none() => true,
        // Mostly UTF-8 with a few bad bytes: keep UTF-8, replace them.
        Err(_) => valid_utf8_share(bytes) > 0.98 && has_multibyte_utf8(bytes),
    };
    if utf8 {
        return Ok(Sniffed { encoding: encoding_rs::UTF_8, bom: 0, note: "", guessed: false });
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, whole);
    let encoding = det.guess(None, true);
    Ok(Sniffed { encoding, bom: 0, note: "decoded from", guessed: true })
}

impl Sniffed {
    /// The `documents.csv` note, given whether bytes were replaced.
    pub(crate) fn describe(&self, replaced: bool) -> String {
        let mut note = String::new();
        if !self.note.is_empty() {
            note = format!("{} {}", self.note, self.encoding.name());
            if self.guessed {
                note.push_str(" (guessed)");
            }
        }
        if replaced {
            let what = if self.encoding == encoding_rs::UTF_8 {
                "invalid UTF-8 bytes replaced with U+FFFD"
            } else {
                "invalid bytes replaced with U+FFFD"
            };
            note = join_note(&note, what);
        }
        note
    }
}

/// UTF-16 without a byte-order mark: ASCII-range text has a NUL in every
/// other byte. Returns the byte order when the head looks like that.
fn utf16_without_bom(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |parity: usize| head.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    let mostly = |n: usize| n * 10 >= pairs * 6;
    let rarely = |n: usize| n * 20 <= pairs;
    if mostly(odd) && rarely(even) {
        Some(encoding_rs::UTF_16LE)
    } else if mostly(even) && rarely(odd) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Decodes a whole file's bytes to UTF-8 as `sniff` decides. Empty
/// (or blank) files and binary data are refused; malformed bytes are
/// replaced with U+FFFD, never fatal; the note says what was done.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, Unreadable> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Unreadable::Skipped("empty file".into()));
    }
    let how = sniff(&bytes, true)?;
    if how.encoding == encoding_rs::UTF_8 && how.bom == 0 {
        return Ok(match String::from_utf8(bytes) {
            Ok(text) => Decoded { text, note: String::new() },
            Err(e) => Decoded {
                text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                note: how.describe(true),
            },
        });
    }
    let (text, replaced) = how.encoding.decode_without_bom_handling(&bytes[how.bom..]);
    if how.guessed && how.note == "decoded from" && is_utf16(how.encoding) && looks_binary(&text) {
        return Err(Unreadable::Skipped("binary file (NUL bytes)".into()));
    }
    Ok(Decoded { text: text.into_owned(), note: how.describe(replaced) })
}

fn is_utf16(e: &'static encoding_rs::Encoding) -> bool {
    e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE
}

/// Control characters other than white space in more than 1 in 20.
fn looks_binary(text: &str) -> bool {
    let mut n = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        n += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            control += 1;
        }
    }
    control * 20 > n
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

    fn jsonl_sources(text: &str, max: u64) -> Vec<Result<Article, Failure>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.jsonl");
        std::fs::write(&path, text).unwrap();
        let file = InputFile { doc: "corpus.jsonl".into(), path, problem: None, in_folder: false };
        sources(vec![file], max).map(|s| load(&s, max)).collect()
    }

    #[test]
    fn reads_json_lines_and_reports_bad_ones_by_line() {
        let got = jsonl_sources(
            "\u{feff}{\"id\": \"a-1\", \"text\": \"Japan met Vietnam.\", \"date\": \"2021-11-23T10:00:00Z\", \"title\": \"T\", \"extra\": 1}\n\
             \n\
             {\"id\": 7, \"text\": \"France.\"}\n\
             {\"id\": \"b\", \"text\": \"x\", \"date\": \"yesterday\"}\n\
             {\"id\": \"c\"}\n\
             {\"id\": \"d\", \"text\": \"broken\n\
             {\"id\": \"e\", \"text\": \"  \"}\n\
             {\"id\": \"f\", \"text\": \"long long long long long long long long long long long long long long long long long long long long\"}\n",
            120,
        );
        let a = got[0].as_ref().unwrap();
        assert_eq!(
            (a.doc.as_str(), a.text.as_str(), a.title.as_str()),
            ("a-1", "Japan met Vietnam.", "T")
        );
        assert_eq!(
            a.published,
            Some((NaiveDate::from_ymd_opt(2021, 11, 23).unwrap(), DctSource::Jsonl))
        );
        assert_eq!(got[1].as_ref().unwrap().doc, "7");
        let errs: Vec<(String, Unreadable)> =
            got[2..].iter().map(|r| r.clone().unwrap_err()).map(|f| (f.doc, f.why)).collect();
        assert_eq!(
            errs,
            vec![
                (
                    "corpus.jsonl:4".into(),
                    Unreadable::Error(
                        "date \"yesterday\" is not a date (YYYY-MM-DD or ISO 8601 date-time)"
                            .into()
                    )
                ),
                ("corpus.jsonl:5".into(), Unreadable::Error("missing field `text`".into())),
                (
                    "corpus.jsonl:6".into(),
                    Unreadable::Error(
                        "not valid JSON: EOF while parsing a string (column 27)".into()
                    )
                ),
                ("e".into(), Unreadable::Skipped("empty text".into())),
                (
                    "corpus.jsonl:8".into(),
                    Unreadable::Skipped(
                        "line is 123 bytes, over the 120-byte limit (--max-file-size)".into()
                    )
                ),
            ]
        );
    }

    #[test]
    fn published_dates_are_taken_as_written() {
        let d = |s| parse_published(s).map(|d| d.to_string());
        assert_eq!(d("2021-11-23").as_deref(), Some("2021-11-23"));
        assert_eq!(d(" 2021-11-23T23:30:00-05:00 ").as_deref(), Some("2021-11-23"));
        assert_eq!(d("2021-11-23 08:00").as_deref(), Some("2021-11-23"));
        assert_eq!(d("2021-11-23Tea"), None);
        assert_eq!(d("23/11/2021"), None);
        assert_eq!(d("2021-02-30"), None);
    }

    #[test]
    fn guesses_utf16_without_a_bom() {
        let le: Vec<u8> =
            "Kyiv and Z\u{fc}rich.\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> =
            "Kyiv and Z\u{fc}rich.\n".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let d = decode(le).unwrap();
        assert_eq!(
            (d.text.as_str(), d.note.as_str()),
            ("Kyiv and Z\u{fc}rich.\n", "decoded from UTF-16LE (guessed)")
        );
        let d = decode(be).unwrap();
        assert_eq!(d.note, "decoded from UTF-16BE (guessed)");
        // Zeros on every other byte, but control characters: still binary.
        let table: Vec<u8> = (1u8..200).flat_map(|b| [b % 7, 0]).collect();
        assert_eq!(
            decode(table).unwrap_err(),
            Unreadable::Skipped("binary file (NUL bytes)".into())
        );
        // Latin-1 (ISO-8859-1) text is read as its superset Windows-1252.
        let d =
            decode(b"Caf\xe9 cr\xe8me in Gen\xe8ve, na\xefve \xe0 Z\xfcrich.".to_vec()).unwrap();
        assert_eq!(d.text, "Caf\u{e9} cr\u{e8}me in Gen\u{e8}ve, na\u{ef}ve \u{e0} Z\u{fc}rich.");
        assert_eq!(d.note, "decoded from windows-1252 (guessed)");
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
