//! Document date detection: news pages carry their own date line near the
//! top ("Updated November 24th, 2021 at 13:23 IST", "By X | May 4, 2020").
//! That date is the reference for relative expressions when the pipeline has
//! no better one. Only the text is read, never the clock.

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

/// The article's own date and where its line says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentDate {
    /// The date.
    pub date: NaiveDate,
    /// Byte offset where the date starts.
    pub start: usize,
    /// Byte offset where the date ends (exclusive).
    pub end: usize,
}

/// How far down the date line may be.
const MAX_LINES: usize = 5;
const MAX_BYTES: usize = 600;

const MONTH: &str = r"(?P<month>(?-i:January|February|March|April|May|June|July|August|September|October|November|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\b\.?)";

fn patterns() -> &'static [Regex] {
    static RES: OnceLock<Vec<Regex>> = OnceLock::new();
    RES.get_or_init(|| {
        [
            format!(
                r"\b{MONTH}\s*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"
            ),
            format!(
                r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+(?P<year>(?:19|20)\d\d)\b"
            ),
            r"\b(?P<year>(?:19|20)\d\d)[-/.](?P<mm>[01]?\d)[-/.](?P<day>[0-3]?\d)\b".to_string(),
            r"\b(?P<mm>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b".to_string(),
        ]
        .iter()
        // ASCII word boundaries: with Unicode ones the regex crate cannot use
        // its fast engines and this read the head 50 times slower (callgrind:
        // about 120,000 instructions an article). They differ only next to a
        // non-ASCII letter or digit, which no date line puts against a date.
        .map(|p| Regex::new(&p.replace(r"\b", r"(?-u:\b)")).expect("document date pattern"))
        .collect()
    })
}

fn month_num(s: &str) -> Option<u32> {
    let k = s.get(..3)?.to_ascii_lowercase();
    let names =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    names.iter().position(|n| *n == k).map(|i| i as u32 + 1)
}

/// The date line near the top of `text` (first few non-empty lines, first
/// 600 bytes), if there is one.
pub fn detect_document_date(text: &str) -> Option<DocumentDate> {
    // The head: the first MAX_LINES non-empty lines, within MAX_BYTES.
    let mut head_end = 0;
    let mut lines = 0;
    for line in text.split_inclusive('\n') {
        if head_end + line.len() > MAX_BYTES {
            let mut cut = MAX_BYTES.min(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            head_end = cut;
            break;
        }
        head_end += line.len();
        if !line.trim().is_empty() {
            lines += 1;
            if lines >= MAX_LINES {
                break;
            }
        }
    }
    let head = &text[..head_end];
    let mut best: Option<DocumentDate> = None;
    for re in patterns() {
        for c in re.captures_iter(head) {
            let m = c.get(0)?;
            if best.is_some_and(|b| b.start <= m.start()) {
                break;
            }
            let year: i32 = c["year"].parse().ok()?;
            let month = match (c.name("month"), c.name("mm")) {
                (Some(x), _) => month_num(x.as_str()),
                (None, Some(x)) => x.as_str().parse().ok(),
                _ => None,
            };
            let day: Option<u32> = c["day"].parse().ok();
            let date = match (month, day) {
                (Some(mo), Some(d)) => NaiveDate::from_ymd_opt(year, mo, d),
                _ => None,
            };
            if let Some(date) = date {
                best = Some(DocumentDate { date, start: m.start(), end: m.end() });
                break;
            }
        }
    }
    best
}
