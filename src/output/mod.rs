//! Output: one serde row struct per table (field order is the header) and
//! the writers. Writers only format: what goes in a row is decided in
//! `pipeline`.

mod csv_sink;

use serde::Serialize;

pub use csv_sink::{CsvSink, SinkOptions};

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
    pub code: String,
    pub label: String,
    pub target: String,
    pub target_code: String,
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
            &mut self.code,
            &mut self.label,
            &mut self.target,
            &mut self.target_code,
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
        for c in [&mut self.doc, &mut self.dct, &mut self.message] {
            neutralise(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
