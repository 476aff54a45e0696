//! A cheap prefilter so that most rules only run near the words they need.
//!
//! Every rule of the grammar names the trigger groups (bits below) of which
//! each of its matches must contain at least one: a digit, a month name, a
//! weekday, a unit word... One Aho-Corasick pass over the document finds
//! the triggers; a rule then runs only in windows of [`MARGIN`] bytes around
//! its own triggers. As no match is longer than `MARGIN`, every match of the
//! rule lies inside one window, and searching the windows in order finds
//! exactly the matches a search of the whole text would (see `tag`).
//!
//! The trigger words are case-insensitive substrings, deliberately loose
//! ("mar" also fires on "market"): a spurious trigger only costs time, a
//! missing one would lose dates, which the tests in `tests.rs` guard.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// Any ASCII digit.
pub(crate) const DIGIT: u64 = 1 << 0;
/// A month name or abbreviation.
pub(crate) const MONTH: u64 = 1 << 1;
/// A weekday name.
pub(crate) const WEEKDAY: u64 = 1 << 2;
/// A holiday name.
pub(crate) const HOLIDAY: u64 = 1 << 3;
/// today, yesterday, tomorrow, tonight.
pub(crate) const RELDAY: u64 = 1 << 4;
/// morning, afternoon, evening, night.
pub(crate) const PART: u64 = 1 << 5;
/// ago, earlier, later, from now, hence.
pub(crate) const AGO: u64 = 1 << 6;
/// A calendar or clock unit: year, month, week, day, decade, century...
pub(crate) const UNIT: u64 = 1 << 7;
/// "that" (that day, that year).
pub(crate) const THAT: u64 = 1 << 8;
/// quarter, period.
pub(crate) const QUARTER: u64 = 1 << 9;
/// half.
pub(crate) const HALF: u64 = 1 << 10;
/// spring, summer, fall, autumn, winter.
pub(crate) const SEASON: u64 = 1 << 11;
/// fiscal, FY.
pub(crate) const FISCAL: u64 = 1 << 12;
/// Years and decades in words: nineteen..., two thousand, the nineties.
pub(crate) const SPELLED: u64 = 1 << 13;
/// now, current(ly), present, moment, these days.
pub(crate) const PRESENT: u64 = 1 << 14;
/// recent(ly), the past.
pub(crate) const PAST: u64 = 1 << 15;
/// future, coming, later, term, soon.
pub(crate) const FUTURE: u64 = 1 << 16;
/// noon, midnight, midday.
pub(crate) const NOON: u64 = 1 << 17;
/// every, each, per, daily, weekly...
pub(crate) const EVERY: u64 = 1 << 18;
/// Decades: 1990s, '90s, the nineties.
pub(crate) const DECADE: u64 = 1 << 19;

/// Longest match any rule can make, in bytes; windows reach this far on
/// both sides of a trigger.
pub(crate) const MARGIN: usize = 160;

const WORDS: &[(&str, u64)] = &[
    ("jan", MONTH),
    ("feb", MONTH),
    ("mar", MONTH),
    ("apr", MONTH),
    ("may", MONTH),
    ("jun", MONTH),
    ("jul", MONTH),
    ("aug", MONTH),
    ("sep", MONTH),
    ("oct", MONTH),
    ("nov", MONTH),
    ("dec", MONTH | UNIT),
    ("monday", WEEKDAY),
    ("tuesday", WEEKDAY),
    ("wednesday", WEEKDAY),
    ("thursday", WEEKDAY),
    ("friday", WEEKDAY),
    ("saturday", WEEKDAY),
    ("sunday", WEEKDAY),
    ("christmas", HOLIDAY),
    ("thanksgiving", HOLIDAY),
    ("election", HOLIDAY),
    ("independence", HOLIDAY),
    ("halloween", HOLIDAY),
    ("valentine", HOLIDAY),
    ("easter", HOLIDAY),
    ("labor", HOLIDAY),
    ("memorial", HOLIDAY),
    ("veteran", HOLIDAY),
    ("boxing", HOLIDAY),
    ("today", RELDAY),
    ("yesterday", RELDAY),
    ("tomorrow", RELDAY),
    ("tonight", RELDAY),
    ("morning", PART),
    ("afternoon", PART),
    ("evening", PART),
    ("night", PART),
    ("ago", AGO),
    ("earlier", AGO),
    ("later", AGO | FUTURE),
    ("now", AGO | PRESENT),
    ("hence", AGO),
    ("year", UNIT),
    ("new", HOLIDAY),
    ("month", UNIT),
    ("week", UNIT),
    ("day", UNIT),
    ("these", PRESENT),
    ("centur", UNIT),
    ("hour", UNIT),
    ("minute", UNIT),
    ("quarter", UNIT | QUARTER),
    ("period", QUARTER),
    ("that", THAT),
    ("half", HALF | UNIT),
    ("spring", SEASON),
    ("summer", SEASON),
    ("fall", SEASON),
    ("autumn", SEASON),
    ("winter", SEASON),
    ("fiscal", FISCAL),
    ("fy", FISCAL),
    ("nineteen", SPELLED),
    ("thousand", SPELLED),
    ("ties", SPELLED | DECADE),
    ("0s", DECADE),
    ("0's", DECADE),
    ("current", PRESENT),
    ("present", PRESENT),
    ("moment", PRESENT),
    ("recent", PAST),
    ("past", PAST),
    ("future", FUTURE),
    ("coming", FUTURE),
    ("term", FUTURE),
    ("soon", FUTURE),
    ("noon", NOON),
    ("midnight", NOON),
    ("midday", NOON),
    ("every", EVERY),
    ("each", EVERY),
    ("per", EVERY),
    ("daily", EVERY),
    ("weekly", EVERY),
    ("monthly", EVERY),
    ("annually", EVERY),
    ("yearly", EVERY),
    ("quarterly", EVERY),
    ("hourly", EVERY),
    ("nightly", EVERY),
];

/// Where the trigger words of a document are.
#[derive(Clone, Debug)]
pub(crate) struct Prefilter {
    ac: AhoCorasick,
}

/// One trigger found in a text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub groups: u64,
}

impl Prefilter {
    pub(crate) fn new() -> Prefilter {
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(WORDS.iter().map(|(w, _)| w))
            .expect("trigger words compile");
        Prefilter { ac }
    }

    /// The triggers of `text`, sorted by start.
    pub(crate) fn hits(&self, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        // Digits: one hit per run of digits.
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                let s = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                out.push(Hit { start: s, end: i, groups: DIGIT });
            } else {
                i += 1;
            }
        }
        for m in self.ac.find_overlapping_iter(text) {
            let groups = WORDS[m.pattern().as_usize()].1;
            out.push(Hit { start: m.start(), end: m.end(), groups });
        }
        out.sort_unstable_by_key(|h| h.start);
        out
    }
}

/// The windows (byte ranges on char boundaries, sorted and disjoint) in
/// which a rule triggered by `groups` can match.
pub(crate) fn windows(text: &str, hits: &[Hit], groups: u64, out: &mut Vec<(usize, usize)>) {
    out.clear();
    for h in hits.iter().filter(|h| h.groups & groups != 0) {
        let lo = floor_char(text, h.start.saturating_sub(MARGIN));
        let hi = ceil_char(text, (h.end + MARGIN).min(text.len()));
        match out.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}
