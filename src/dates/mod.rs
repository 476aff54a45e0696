//! Date tagging (interim: replaced by the full grammar).

use chrono::NaiveDate;
use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimexKind {
    Date,
    Time,
    Duration,
    Set,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    pub start: usize,
    pub end: usize,
    pub value: String,
    pub kind: TimexKind,
    pub rule: &'static str,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct DateOptions {
    pub day_first: bool,
}

#[derive(Debug, Clone)]
pub struct DateTagger {
    year: Regex,
}

impl DateTagger {
    pub fn new(_options: DateOptions) -> DateTagger {
        DateTagger { year: Regex::new(r"\b(?:19|20)\d\d\b").unwrap() }
    }

    pub fn tag(&self, text: &str, _dct: Option<NaiveDate>) -> Vec<Timex> {
        self.year
            .find_iter(text)
            .map(|m| Timex {
                start: m.start(),
                end: m.end(),
                value: m.as_str().to_string(),
                kind: TimexKind::Date,
                rule: "year",
            })
            .collect()
    }
}

pub struct DocumentDate {
    pub date: NaiveDate,
    pub start: usize,
    pub end: usize,
}

pub fn detect_document_date(_text: &str) -> Option<DocumentDate> {
    None
}
