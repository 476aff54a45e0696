//! Output: one serde row struct per table (field order is the header) and
//! the writers, one module per format behind the [`Sink`] trait. Writers
//! only format: what goes in a row is decided in `pipeline`.
//!
//! | format | files | cells |
//! |---|---|---|
//! | `csv` (default) | `entities.csv`, `events.csv`, `documents.csv` | formula-like text gets a leading `'` (not with `--raw-cells`); UTF-8, BOM only with `--bom` |
//! | `jsonl` | `entities.jsonl`, `events.jsonl`, `documents.jsonl` | exact values, numbers as numbers |
//! | `xlsx` | `gazette.xlsx` (sheets `entities`, `events`, `documents`) | typed cells: text is always a string cell, never a formula |
//! | `--stream` | standard output, one line per article | exact values |
//!
//! The files of a run are written aside (a staging folder, or temporary
//! names) and published together ([`atomic`]): an interrupted run never
//! leaves a mixture.

pub mod atomic;
mod file_sink;
mod stream_sink;
mod xlsx_sink;

use std::path::Path;

use serde::Serialize;

pub use file_sink::FileSink;
pub use stream_sink::StreamSink;
pub use xlsx_sink::XlsxSink;

use crate::error::Result;

/// Where rows go. [`crate::pipeline::run`] hands each document's rows
/// over in input order, then calls [`Sink::finish`].
pub trait Sink {
    /// How the workers encode entity and event rows for this sink, when
    /// it writes bytes; `None` (the default) hands them over as values.
    fn encoding(&self) -> Option<Encoding> {
        None
    }
    /// Writes one document's rows, and its `documents` row when it has
    /// one (the parts of a file read in parts have none until the last).
    fn write(&mut self, rows: Rows, document: Option<DocumentRow>) -> Result<()>;
    /// Called after each batch of documents (a streaming sink flushes).
    fn batch_done(&mut self) -> Result<()> {
        Ok(())
    }
    /// Completes the output (renames the files into place).
    fn finish(self: Box<Self>) -> Result<()>;
}

/// The table formats of `extract --format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Csv,
    Jsonl,
    Xlsx,
}

/// How cells are written.
#[derive(Debug, Clone, Copy, Default)]
pub struct SinkOptions {
    pub format: Format,
    /// CSV: leave formula-like cells as they are (`--raw-cells`).
    pub raw_cells: bool,
    /// CSV: start each file with a UTF-8 byte-order mark (`--bom`), which
    /// older Excel versions need to read UTF-8.
    pub bom: bool,
}

/// Creates the output folder and the sink writing the tables into it.
pub fn create(dir: &Path, opts: SinkOptions) -> Result<Box<dyn Sink>> {
    Ok(match opts.format {
        Format::Csv => Box::new(FileSink::csv(dir, opts)?),
        Format::Jsonl => Box::new(FileSink::jsonl(dir)?),
        Format::Xlsx => Box::new(XlsxSink::create(dir)?),
    })
}

/// The columns of each table, in order (the serde field order below).
pub const ENTITY_HEADER: &[&str] =
    &["doc", "sentence", "start", "end", "type", "text", "canonical", "code", "country", "source"];
pub const EVENT_HEADER: &[&str] = &[
    "doc",
    "sentence",
    "date",
    "date_text",
    "source",
    "source_code",
    "source_agent",
    "code",
    "label",
    "target",
    "target_code",
    "target_agent",
    "quad_class",
    "goldstein",
    "mentions",
    "trigger",
    "rule",
    "evidence",
];
pub const DOCUMENT_HEADER: &[&str] = &[
    "doc",
    "bytes",
    "sentences",
    "dct",
    "dct_source",
    "entities",
    "events",
    "status",
    "message",
    "title",
    "url",
];

/// `entities.csv`: one row per mention.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EntityRow {
    pub doc: String,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: String,
    pub canonical: String,
    pub code: String,
    pub country: String,
    pub source: String,
}

/// `events.csv`: one row per distinct event per document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventRow {
    pub doc: String,
    pub sentence: usize,
    pub date: String,
    pub date_text: String,
    pub source: String,
    pub source_code: String,
    /// CAMEO agent letters ("GOV", "MIL"…): the sector the source acts through.
    pub source_agent: String,
    pub code: String,
    pub label: String,
    pub target: String,
    pub target_code: String,
    pub target_agent: String,
    pub quad_class: u8,
    pub goldstein: f32,
    pub mentions: usize,
    pub trigger: String,
    pub rule: String,
    pub evidence: String,
}

/// `documents.csv`: one row per input file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocumentRow {
    pub doc: String,
    pub bytes: u64,
    pub sentences: usize,
    pub dct: String,
    pub dct_source: &'static str,
    pub entities: usize,
    pub events: usize,
    pub status: &'static str,
    pub message: String,
    /// The page's or JSON line's title ("" when none).
    pub title: String,
    /// The page's canonical URL or the JSON line's `url` ("" when none).
    pub url: String,
}

/// How a sink that writes bytes encodes its rows. The workers encode
/// each document's entity and event rows with it, so that the thread
/// writing in input order only copies bytes: the hundred thousand rows
/// of a long article's last part no longer keep one thread busy after
/// every other has finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// CSV records; with `neutralise`, formula-like cells get a leading
    /// `'` ([`neutralise`]).
    Csv { neutralise: bool },
    /// One JSON object per line.
    Jsonl,
}

/// One document's entity and event rows, as a sink takes them.
#[derive(Debug)]
pub enum Rows {
    /// As values, for a sink without an [`Encoding`].
    Values { entities: Vec<EntityRow>, events: Vec<EventRow> },
    /// As the bytes of their tables.
    Encoded(Encoded),
}

/// Entity and event rows encoded by [`Encoding::encode`].
#[derive(Debug, Default)]
pub struct Encoded {
    pub entities: Vec<u8>,
    pub events: Vec<u8>,
    /// How many entity and event rows the bytes hold.
    pub counts: (usize, usize),
}

impl Rows {
    /// No rows.
    pub fn none() -> Rows {
        Rows::Values { entities: vec![], events: vec![] }
    }

    /// How many entity and event rows there are.
    pub fn counts(&self) -> (usize, usize) {
        match self {
            Rows::Values { entities, events } => (entities.len(), events.len()),
            Rows::Encoded(e) => e.counts,
        }
    }

    /// The rows as bytes, encoded with `encoding` unless they already are.
    fn encoded(self, encoding: Encoding) -> Encoded {
        match self {
            Rows::Values { entities, events } => encoding.encode(entities, events),
            Rows::Encoded(e) => e,
        }
    }
}

impl Encoding {
    /// The bytes of the entity and event rows.
    pub fn encode(self, mut entities: Vec<EntityRow>, mut events: Vec<EventRow>) -> Encoded {
        if self == (Encoding::Csv { neutralise: true }) {
            entities.iter_mut().for_each(EntityRow::neutralise);
            events.iter_mut().for_each(EventRow::neutralise);
        }
        Encoded {
            entities: self.rows(&entities),
            events: self.rows(&events),
            counts: (entities.len(), events.len()),
        }
    }

    /// The bytes of one `documents` row.
    fn document(self, mut row: DocumentRow) -> Vec<u8> {
        if self == (Encoding::Csv { neutralise: true }) {
            row.neutralise();
        }
        self.rows(&[row])
    }

    /// `rows` encoded, one CSV record or JSON line each.
    fn rows<R: Serialize>(self, rows: &[R]) -> Vec<u8> {
        // Rows of plain fields always serialize, and a Vec takes any write.
        const INFALLIBLE: &str = "rows serialize into memory";
        match self {
            Encoding::Csv { .. } => {
                let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(vec![]);
                for r in rows {
                    w.serialize(r).expect(INFALLIBLE);
                }
                w.into_inner().expect(INFALLIBLE)
            }
            Encoding::Jsonl => {
                let mut out = vec![];
                for r in rows {
                    serde_json::to_writer(&mut out, r).expect(INFALLIBLE);
                    out.push(b'\n');
                }
                out
            }
        }
    }
}

/// Makes a text cell safe to open in a spreadsheet (OWASP CSV injection):
/// a cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`,
/// which Excel and LibreOffice show as text and never evaluate.
pub fn neutralise(cell: &mut String) {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        cell.insert(0, '\'');
    }
}

impl EntityRow {
    fn neutralise(&mut self) {
        for c in [
            &mut self.doc,
            &mut self.text,
            &mut self.canonical,
            &mut self.code,
            &mut self.country,
            &mut self.source,
        ] {
            neutralise(c);
        }
    }
}

impl EventRow {
    fn neutralise(&mut self) {
        for c in [
            &mut self.doc,
            &mut self.date,
            &mut self.date_text,
            &mut self.source,
            &mut self.source_code,
            &mut self.source_agent,
            &mut self.code,
            &mut self.label,
            &mut self.target,
            &mut self.target_code,
            &mut self.target_agent,
            &mut self.trigger,
            &mut self.rule,
            &mut self.evidence,
        ] {
            neutralise(c);
        }
    }
}

impl DocumentRow {
    fn neutralise(&mut self) {
        for c in [&mut self.doc, &mut self.dct, &mut self.message, &mut self.title, &mut self.url] {
            neutralise(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_the_row_structs() {
        let keys = |v: serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        let sorted = |h: &[&str]| -> Vec<String> {
            let mut k: Vec<String> = h.iter().map(|s| s.to_string()).collect();
            k.sort();
            k
        };
        let doc = DocumentRow {
            doc: String::new(),
            bytes: 0,
            sentences: 0,
            dct: String::new(),
            dct_source: "none",
            entities: 0,
            events: 0,
            status: "ok",
            message: String::new(),
            title: String::new(),
            url: String::new(),
        };
        assert_eq!(keys(serde_json::to_value(doc).unwrap()), sorted(DOCUMENT_HEADER));
        // CSV field order is checked through the binary (tests/formats.rs).
    }

    #[test]
    fn neutralises_formula_starts_only() {
        for (input, want) in [
            ("=1+1", "'=1+1"),
            ("+44 20", "'+44 20"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Japan", "Japan"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            let mut s = input.to_string();
            neutralise(&mut s);
            assert_eq!(s, want);
        }
    }
}
