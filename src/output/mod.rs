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

/// `entities.csv`: one row per mention. `S` is the type of its text cells:
/// `String` in a row that owns them (the default), `&str` in one that
/// borrows them from the analysis it is encoded from ([`Encoding::encode`]
/// takes either), so that writing a table copies no cell but into the
/// table's bytes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EntityRow<S = String> {
    pub doc: S,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: S,
    pub canonical: S,
    pub code: S,
    pub country: S,
    pub source: S,
}

/// `events.csv`: one row per distinct event per document; `S` as in
/// [`EntityRow`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventRow<S = String> {
    pub doc: S,
    pub sentence: usize,
    pub date: S,
    pub date_text: S,
    pub source: S,
    pub source_code: S,
    /// CAMEO agent letters ("GOV", "MIL"…): the sector the source acts through.
    pub source_agent: S,
    pub code: S,
    pub label: S,
    pub target: S,
    pub target_code: S,
    pub target_agent: S,
    pub quad_class: u8,
    pub goldstein: f32,
    pub mentions: usize,
    pub trigger: S,
    pub rule: S,
    pub evidence: S,
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
            Rows::Values { entities, events } => encoding.encode(&entities, &events),
            Rows::Encoded(e) => e,
        }
    }
}

impl Encoding {
    /// The bytes of the entity and event rows, owned or borrowed.
    pub fn encode<S: AsRef<str> + Serialize>(
        self,
        entities: &[EntityRow<S>],
        events: &[EventRow<S>],
    ) -> Encoded {
        Encoded {
            entities: self.rows(entities),
            events: self.rows(events),
            counts: (entities.len(), events.len()),
        }
    }

    /// `rows` encoded, one CSV record or JSON line each.
    fn rows<R: Serialize + CsvRecord>(self, rows: &[R]) -> Vec<u8> {
        // Room for most rows at once (entity rows averaged about 100 bytes
        // and event rows about 220 on the generated corpus): growing a
        // buffer copies it.
        let mut out = Vec::with_capacity(rows.len() * R::TYPICAL_BYTES);
        // Every row of a document names it: whether that cell can be
        // written as it is is decided once.
        let plain_doc = rows.first().map(R::doc).filter(|doc| match self {
            Encoding::Csv { neutralise } => {
                !(needs_quotes(doc.as_bytes()) || neutralise && formula_like(doc))
            }
            Encoding::Jsonl => false,
        });
        for r in rows {
            match self {
                Encoding::Csv { neutralise } => {
                    r.csv(&mut Record { out: &mut out, neutralise, first: true, plain_doc })
                }
                Encoding::Jsonl => {
                    // Rows of plain fields always serialize, and a Vec
                    // takes any write.
                    serde_json::to_writer(&mut out, r).expect("rows serialize into memory");
                    out.push(b'\n');
                }
            }
        }
        out
    }
}

/// One CSV record being appended, byte for byte as the csv crate writes
/// it with its defaults: a field is quoted only when it holds a comma, a
/// quote, CR or LF, quotes inside are doubled, and the record ends with
/// `\n`, appended when the record is dropped. With `neutralise`, a
/// formula-like text cell gets a leading `'` ([`neutralise`]). Serialising
/// through serde and csv cost about 2,800 instructions a row, most of them
/// in csv's byte-by-byte check of every field; this checks a field many
/// bytes at a time and copies it whole.
struct Record<'a> {
    out: &'a mut Vec<u8>,
    neutralise: bool,
    first: bool,
    /// A document name known to need neither quotes nor a formula mark,
    /// recognised by its address ([`Record::doc`]).
    plain_doc: Option<&'a str>,
}

impl Drop for Record<'_> {
    fn drop(&mut self) {
        self.out.push(b'\n');
    }
}

impl<'a> Record<'a> {
    fn new(out: &'a mut Vec<u8>, neutralise: bool) -> Record<'a> {
        Record { out, neutralise, first: true, plain_doc: None }
    }

    fn separate(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
    }

    /// A text cell. Inlined into each row's encoder, with the rare quoted
    /// cell kept out of line ([`Record::quoted`]): a call per cell cost
    /// more than the work of most cells.
    #[inline(always)]
    fn text(&mut self, s: &str) -> &mut Self {
        self.separate();
        if needs_quotes(s.as_bytes()) {
            self.quoted(s);
            return self;
        }
        if self.neutralise && formula_like(s) {
            self.out.push(b'\'');
        }
        self.out.extend_from_slice(s.as_bytes());
        self
    }

    /// The document's name: the same string in every row of a document,
    /// so its check is made once ([`Encoding::rows`]).
    #[inline(always)]
    fn doc(&mut self, s: &str) -> &mut Self {
        if !self.plain_doc.is_some_and(|doc| std::ptr::eq(doc, s)) {
            return self.text(s);
        }
        self.separate();
        self.out.extend_from_slice(s.as_bytes());
        self
    }

    /// A text cell in quotes, its quotes doubled.
    #[inline(never)]
    fn quoted(&mut self, s: &str) {
        self.out.push(b'"');
        if self.neutralise && formula_like(s) {
            self.out.push(b'\'');
        }
        let mut rest = s.as_bytes();
        while let Some(i) = memchr::memchr(b'"', rest) {
            self.out.extend_from_slice(&rest[..=i]);
            self.out.push(b'"');
            rest = &rest[i + 1..];
        }
        self.out.extend_from_slice(rest);
        self.out.push(b'"');
    }

    fn int(&mut self, n: impl itoa::Integer) -> &mut Self {
        self.separate();
        self.out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        self
    }

    /// A number as ryu writes it (the shortest text that reads back as
    /// `x`). Goldstein scores have one decimal: for those, that text is
    /// the tenths written out, which costs a tenth of ryu's work.
    fn float(&mut self, x: f32) -> &mut Self {
        self.separate();
        let tenths = (x * 10.0).round();
        if x != 0.0 && tenths.abs() < 10_000.0 && tenths / 10.0 == x {
            // Whole, so exact as an integer.
            let tenths = tenths as i32;
            if tenths < 0 {
                self.out.push(b'-');
            }
            let t = tenths.unsigned_abs();
            self.out.extend_from_slice(itoa::Buffer::new().format(t / 10).as_bytes());
            self.out.extend_from_slice(&[b'.', b'0' + (t % 10) as u8]);
        } else {
            self.out.extend_from_slice(ryu::Buffer::new().format(x).as_bytes());
        }
        self
    }
}

/// Whether a CSV field holds a comma, a quote, CR or LF, checked sixteen
/// bytes at a time as two words ([`special_in_pair`]), the last sixteen
/// overlapping the ones before. A shorter field, as most are, is checked
/// as its first and last eight (or four) bytes: a byte loop, memchr, or
/// copying the field into a padded block each cost more.
fn needs_quotes(b: &[u8]) -> bool {
    let n = b.len();
    let word8 = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
    let word4 =
        |at: usize| u64::from(u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes")));
    let block = |at: usize| special_in_pair(word8(at), word8(at + 8));
    match n {
        16.. => (0..n / 16).any(|i| block(i * 16)) || block(n - 16),
        8.. => special_in_pair(word8(0), word8(n - 8)),
        // Zero, which fills the rest of the words, is not special.
        4.. => special_in_pair(word4(0), word4(n - 4)),
        _ => b.iter().any(|&c| special_byte(c)),
    }
}

fn special_byte(c: u8) -> bool {
    (c == b',') | (c == b'"') | (c == b'\n') | (c == b'\r')
}

/// Whether a byte of two words is special ([`needs_quotes`]): the words
/// as one vector, four compares and a mask. Written with the intrinsics
/// because the compiler, given the same test in plain code, took the
/// words apart byte by byte.
#[cfg(target_arch = "x86_64")]
fn special_in_pair(first: u64, last: u64) -> bool {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x,
    };
    // SAFETY: these are SSE2 instructions, part of every x86_64 CPU and
    // enabled on every x86_64 target; they take values, not pointers.
    unsafe {
        // The casts keep the bits: the vector functions take signed lanes.
        let v = _mm_set_epi64x(last as i64, first as i64);
        let eq = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
        let any =
            _mm_or_si128(_mm_or_si128(eq(b','), eq(b'"')), _mm_or_si128(eq(b'\n'), eq(b'\r')));
        _mm_movemask_epi8(any) != 0
    }
}

/// Whether a byte of two words is special ([`needs_quotes`]).
#[cfg(not(target_arch = "x86_64"))]
fn special_in_pair(first: u64, last: u64) -> bool {
    first.to_le_bytes().into_iter().chain(last.to_le_bytes()).any(special_byte)
}

/// A row's cells as one CSV record, in the order of its header (and of
/// its serde fields, which the JSON Lines and xlsx tables follow; a test
/// compares the two encodings byte for byte).
trait CsvRecord {
    /// About how many bytes a record takes.
    const TYPICAL_BYTES: usize;
    /// The document the row belongs to.
    fn doc(&self) -> &str;
    fn csv(&self, r: &mut Record);
}

impl<S: AsRef<str>> CsvRecord for EntityRow<S> {
    const TYPICAL_BYTES: usize = 128;
    fn doc(&self) -> &str {
        self.doc.as_ref()
    }
    fn csv(&self, r: &mut Record) {
        let e = self;
        r.doc(e.doc.as_ref()).int(e.sentence).int(e.start).int(e.end).text(e.kind);
        r.text(e.text.as_ref()).text(e.canonical.as_ref()).text(e.code.as_ref());
        r.text(e.country.as_ref()).text(e.source.as_ref());
    }
}

impl<S: AsRef<str>> CsvRecord for EventRow<S> {
    const TYPICAL_BYTES: usize = 256;
    fn doc(&self) -> &str {
        self.doc.as_ref()
    }
    fn csv(&self, r: &mut Record) {
        let e = self;
        r.doc(e.doc.as_ref()).int(e.sentence).text(e.date.as_ref()).text(e.date_text.as_ref());
        r.text(e.source.as_ref()).text(e.source_code.as_ref()).text(e.source_agent.as_ref());
        r.text(e.code.as_ref()).text(e.label.as_ref());
        r.text(e.target.as_ref()).text(e.target_code.as_ref()).text(e.target_agent.as_ref());
        r.int(e.quad_class).float(e.goldstein).int(e.mentions);
        r.text(e.trigger.as_ref()).text(e.rule.as_ref()).text(e.evidence.as_ref());
    }
}

impl CsvRecord for DocumentRow {
    const TYPICAL_BYTES: usize = 128;
    fn doc(&self) -> &str {
        &self.doc
    }
    fn csv(&self, r: &mut Record) {
        r.text(&self.doc).int(self.bytes).int(self.sentences).text(&self.dct);
        r.text(self.dct_source).int(self.entities).int(self.events).text(self.status);
        r.text(&self.message).text(&self.title).text(&self.url);
    }
}

/// Makes a text cell safe to open in a spreadsheet (OWASP CSV injection):
/// a cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`,
/// which Excel and LibreOffice show as text and never evaluate.
pub fn neutralise(cell: &mut String) {
    if formula_like(cell) {
        cell.insert(0, '\'');
    }
}

/// Whether a spreadsheet could read `cell` as a formula ([`neutralise`]).
fn formula_like(cell: &str) -> bool {
    // All ASCII: the first byte decides (no character is decoded).
    matches!(cell.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Cells with and without the bytes that need quotes.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof!["(?s).{0,40}", "[a ,\"\r\n'=é]{0,20}", "[=+@-][a ,\"\r\n]{0,8}"]
    }

    fn by_csv_crate(row: &impl Serialize) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(vec![]);
        w.serialize(row).unwrap();
        w.into_inner().unwrap()
    }

    fn by_hand(row: &impl CsvRecord) -> Vec<u8> {
        let mut out = vec![];
        row.csv(&mut Record::new(&mut out, false));
        out
    }

    proptest! {
        #[test]
        fn csv_records_are_what_the_csv_crate_writes(
            c in proptest::collection::vec(cell(), 14),
            n in any::<[u32; 4]>(),
            goldstein in any::<f32>(),
            quad_class in any::<u8>(),
        ) {
            let entity = EntityRow {
                doc: c[0].clone(),
                sentence: n[0] as usize,
                start: n[1] as usize,
                end: n[2] as usize,
                kind: "PERSON",
                text: c[1].clone(),
                canonical: c[2].clone(),
                code: c[3].clone(),
                country: c[4].clone(),
                source: c[5].clone(),
            };
            prop_assert_eq!(by_hand(&entity), by_csv_crate(&entity));
            // Neutralised as the tables are: as if each text cell had been
            // passed through `neutralise` first (quoted or not).
            let mut safe = entity.clone();
            for cell in [
                &mut safe.doc,
                &mut safe.text,
                &mut safe.canonical,
                &mut safe.code,
                &mut safe.country,
                &mut safe.source,
            ] {
                neutralise(cell);
            }
            let mut out = vec![];
            entity.csv(&mut Record::new(&mut out, true));
            prop_assert_eq!(out, by_csv_crate(&safe));
            let event = EventRow {
                doc: c[0].clone(),
                sentence: n[3] as usize,
                date: c[1].clone(),
                date_text: c[2].clone(),
                source: c[3].clone(),
                source_code: c[4].clone(),
                source_agent: c[5].clone(),
                code: c[6].clone(),
                label: c[7].clone(),
                target: c[8].clone(),
                target_code: c[9].clone(),
                target_agent: c[10].clone(),
                quad_class,
                goldstein,
                mentions: n[0] as usize,
                trigger: c[11].clone(),
                rule: c[12].clone(),
                evidence: c[13].clone(),
            };
            prop_assert_eq!(by_hand(&event), by_csv_crate(&event));
            let document = DocumentRow {
                doc: c[0].clone(),
                bytes: u64::from(n[1]) << 20,
                sentences: n[2] as usize,
                dct: c[1].clone(),
                dct_source: "header",
                entities: n[3] as usize,
                events: n[0] as usize,
                status: "ok",
                message: c[2].clone(),
                title: c[3].clone(),
                url: c[4].clone(),
            };
            prop_assert_eq!(by_hand(&document), by_csv_crate(&document));
        }

        /// A document's rows share its name, whose check `Encoding::rows`
        /// makes once: rows naming it by the same string, or by an equal
        /// copy, or naming another document, come out as one at a time.
        #[test]
        fn rows_of_a_document_are_encoded_as_single_rows(
            docs in proptest::collection::vec(cell(), 2),
            c in proptest::collection::vec(cell(), 5),
            neutralise in any::<bool>(),
        ) {
            let copy = docs[0].clone();
            fn row<'a>(doc: &'a str, c: &'a [String], i: usize) -> EntityRow<&'a str> {
                let cell = |k: usize| c[(i + k) % c.len()].as_str();
                EntityRow {
                    doc,
                    sentence: i,
                    start: i,
                    end: i + 1,
                    kind: "ORG",
                    text: cell(0),
                    canonical: cell(1),
                    code: cell(2),
                    country: cell(3),
                    source: cell(4),
                }
            }
            let row = |doc, i| row(doc, &c, i);
            let rows =
                [row(&docs[0], 0), row(&docs[0], 1), row(&copy, 2), row(&docs[1], 3), row(&docs[0], 4)];
            let mut expected = vec![];
            for r in &rows {
                r.csv(&mut Record::new(&mut expected, neutralise));
            }
            prop_assert_eq!(Encoding::Csv { neutralise }.rows(&rows), expected);
        }
    }

    /// Every length up to 40, a special byte at every position (or none),
    /// among bytes next to the special ones and bytes with the high bit.
    #[test]
    fn quotes_are_needed_exactly_where_a_special_byte_is() {
        for n in 0..=40 {
            for filler in [b'a', b'+', b'-', 0x0B, 0x0C, 0x21, 0x2D, 0xE9, 0x00, 0xFF] {
                for special in [None, Some(b','), Some(b'"'), Some(b'\n'), Some(b'\r')] {
                    for at in 0..n.max(1) {
                        let mut cell = vec![filler; n];
                        if let (Some(c), true) = (special, at < n) {
                            cell[at] = c;
                        }
                        let naive = cell.iter().any(|c| b",\"\r\n".contains(c));
                        assert_eq!(needs_quotes(&cell), naive, "{cell:?}");
                    }
                }
            }
        }
    }

    /// Numbers with one decimal take the short way; they, and the numbers
    /// next to them (which do not), come out as ryu writes them.
    #[test]
    fn floats_are_what_ryu_writes() {
        let written = |x: f32| {
            let mut out = vec![];
            Record::new(&mut out, false).float(x);
            String::from_utf8(out[..out.len() - 1].to_vec()).unwrap()
        };
        let ryu = |x: f32| ryu::Buffer::new().format(x).to_string();
        for k in -12_000..=12_000 {
            let x = k as f32 / 10.0;
            for x in [x, x.next_up(), x.next_down(), x * 1e-3, x * 1e3] {
                assert_eq!(written(x), ryu(x), "{x:e}");
            }
        }
        for x in [0.0, -0.0, f32::NAN, f32::INFINITY, f32::NEG_INFINITY, f32::MIN_POSITIVE, 1e30] {
            assert_eq!(written(x), ryu(x));
        }
        assert_eq!(
            (written(-0.5), written(10.0), written(-7.2)),
            ("-0.5".into(), "10.0".into(), "-7.2".into())
        );
    }

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
