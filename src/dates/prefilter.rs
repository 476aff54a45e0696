//! A cheap prefilter so that most rules only run near the words they need.
//!
//! Every rule of the grammar names the trigger groups (bits below) of which
//! each of its matches must contain at least one: a digit, a month name, a
//! weekday, a unit word... One Aho-Corasick pass over the document finds
//! the triggers; a rule then runs only in windows around its own triggers,
//! reaching as far on each side as the rule's longest match ([`max_units`]).
//! Every match of the rule lies inside one window, and searching the windows
//! in order finds exactly the matches a search of the whole text would (see
//! `tag`).
//!
//! Lengths are counted in [`Units`], not bytes: a run of spaces or hyphens
//! and a run of digits count as one unit, any other character as one, so
//! that `\s+` or `\d+` in a pattern have a bounded length. The bound is read
//! off the pattern itself, so the windows stay exact whatever the rules say,
//! and are as narrow as each rule allows (most rules reach 30 to 60 units,
//! where one fixed margin had to cover the longest rule).
//!
//! The trigger words are case-insensitive substrings, deliberately loose
//! ("per" also fires on "paper"): a spurious trigger only costs time, a
//! missing one would lose dates, which the tests in `tests.rs` guard. Four
//! narrowings are the exceptions, each exact for the rules as written:
//! month names count only in the grammar's spellings ([`MONTH_NAMES`]:
//! about half of the capitalised "Mar", "Nov"... in news text are
//! "Markets" or "Novak"); the words of [`WORD_START`] groups count only
//! where no letter or digit comes right before them; the digits of
//! "Q3", "H1" and "P3Y" count for those rules only next to their letter;
//! and a number counts for "clock time" only where a time can follow it
//! (`clock_hour`).
//!
//! A rule may also name groups of which every match holds one besides its
//! trigger (`Rule::also`): "that day|year" opens a window at every "that",
//! but the window is searched only if a unit word ("day", "year") lies in
//! it too.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::text::ascii_in_range;

/// A run of digits that may be the hour of a clock time other than a bare
/// number: "10:30", "5 p.m.", "9 GMT", "8, Tuesday", "about 6" (see
/// `clock_hour`; only "clock time" uses it).
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
/// A run of exactly four digits (a year such as 1998 or 2021).
pub(crate) const YEAR4: u64 = 1 << 20;
/// Digits, then `/`, `.` or `-`, then a digit: 3/4, 2021-11, 24.11.
pub(crate) const DIGIT_SEP: u64 = 1 << 21;
/// Digits with an ordinal suffix: 3rd, 21st, 4TH.
pub(crate) const ORDINAL: u64 = 1 << 22;
/// Every group a digit run can belong to.
const ANY_DIGIT: u64 = DIGIT | YEAR4 | DIGIT_SEP | ORDINAL | Q_DIGIT | H_DIGIT | PT_DIGIT;
/// The calendar units of "this week", "last month", "the next decade":
/// week, month, year, decade, century.
pub(crate) const CAL_UNIT: u64 = 1 << 23;
/// year (year-end, year-earlier).
pub(crate) const YEAR_WORD: u64 = 1 << 24;
/// month (next month's 5th).
pub(crate) const MONTH_WORD: u64 = 1 << 25;
/// century.
pub(crate) const CENTURY: u64 = 1 << 26;
/// Digits right after or before a `Q` (Q3, 3Q).
pub(crate) const Q_DIGIT: u64 = 1 << 27;
/// Digits right after an `H` (H1).
pub(crate) const H_DIGIT: u64 = 1 << 28;
/// Digits right after a `P` or a `T` (P3Y, PT5H).
pub(crate) const PT_DIGIT: u64 = 1 << 29;

/// Groups whose words the grammar only accepts capitalised ("May", "MAY",
/// "Monday"): their hits count only when they start with a capital, so that
/// "may", "market" or "decline" open no window for the month rules.
const CAPITALISED: u64 = MONTH | WEEKDAY;

/// Groups whose words every rule they trigger takes only at the start of a
/// word (after a space, a hyphen or the start of the match, never right
/// after a letter as in "today", "Chicago", "paper" or "afternoon"): their
/// hits count only there. Not so for the groups of "midmorning",
/// "midsummer", "mid-today", "latertoday", "sixties" or "midMarch".
const WORD_START: u64 = UNIT
    | CAL_UNIT
    | YEAR_WORD
    | MONTH_WORD
    | CENTURY
    | THAT
    | QUARTER
    | HALF
    | AGO
    | PRESENT
    | PAST
    | FUTURE
    | EVERY
    | NOON
    | FISCAL
    | WEEKDAY;

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
    ("dec", MONTH | UNIT | CAL_UNIT),
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
    ("year", UNIT | CAL_UNIT | YEAR_WORD),
    ("new", HOLIDAY),
    ("month", UNIT | CAL_UNIT | MONTH_WORD),
    ("week", UNIT | CAL_UNIT),
    ("day", UNIT),
    ("these", PRESENT),
    ("centur", UNIT | CAL_UNIT | CENTURY),
    ("hour", UNIT),
    ("minute", UNIT),
    ("quarter", UNIT | QUARTER),
    ("period", QUARTER),
    ("that", THAT),
    ("half", HALF),
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

/// The month names as the grammar's month patterns (`grammar::MONTH` and
/// `MONTH_ALONE`) take them, which also take them in upper case, always
/// followed by a word boundary.
const MONTH_NAMES: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sept",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
];

/// Whether `rest` starts with a month name of [`MONTH_NAMES`] (as written
/// there or in upper case) followed by an ASCII word boundary.
pub(crate) fn starts_with_month(rest: &[u8]) -> bool {
    MONTH_NAMES.iter().any(|name| {
        let name = name.as_bytes();
        let Some(word) = rest.get(..name.len()) else {
            return false;
        };
        let upper = word.iter().zip(name).all(|(w, n)| *w == n.to_ascii_uppercase());
        (word == name || upper) && !rest.get(name.len()).copied().is_some_and(is_word_byte)
    })
}

/// Where the trigger words of a document are.
#[derive(Clone, Debug)]
pub(crate) struct Prefilter {
    ac: AhoCorasick,
}

/// One trigger found in a text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub start: usize,
    pub groups: u64,
    /// The units ([`Units`]) of its first and last bytes.
    pub units: (usize, usize),
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
    pub(crate) fn hits(&self, text: &str, units: &Units) -> Vec<Hit> {
        // About one trigger per 50 bytes of news text: room for most.
        let mut out = Vec::with_capacity(text.len() / 32);
        // Digits: one hit per run of digits, with what follows the run.
        // `digit_groups` reads ASCII only, while the rules' `\d` also takes
        // "٣" and their `(?i)s` also "ſ": in the rare text holding such a
        // character, every digit run counts for every digit group.
        let plain = units.plain;
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let chunk = b.get(i..i + CHUNK).and_then(|c| ascii_kinds(c.try_into().ok()?));
            if chunk.is_some_and(|(digits, _)| digits == 0) {
                i += CHUNK;
            } else if b[i].is_ascii_digit() {
                let s = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let groups =
                    if plain { digit_groups(&b[..s], &b[s..i], &b[i..]) } else { ANY_DIGIT };
                if groups != 0 {
                    out.push(Hit { start: s, groups, units: units.span(s, i) });
                }
            } else {
                i += 1;
            }
        }
        for m in self.ac.find_overlapping_iter(text) {
            let mut groups = WORDS[m.pattern().as_usize()].1;
            if !b[m.start()].is_ascii_uppercase() {
                groups &= !CAPITALISED;
            }
            if m.start() > 0 && is_word_byte(b[m.start() - 1]) {
                groups &= !WORD_START;
            }
            if groups & MONTH != 0 && !starts_with_month(&b[m.start()..]) {
                groups &= !MONTH;
            }
            out.push(Hit { start: m.start(), groups, units: units.span(m.start(), m.end()) });
        }
        // Two runs: the digits in order, then the words in order of their
        // ends (nearly of their starts), which a stable sort merges in
        // fewer steps than an unstable one sorts them.
        out.sort_by_key(|h| h.start);
        out
    }
}

/// Whether `b` is an ASCII word byte: a byte the grammar's `\b` counts as
/// part of a word (its patterns use ASCII word boundaries, see
/// `grammar::pat`), so the word-start narrowing above finds a boundary
/// exactly where the grammar does.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The groups of the digit run `run`, after `head` and followed in the
/// text by `rest`.
pub(crate) fn digit_groups(head: &[u8], run: &[u8], rest: &[u8]) -> u64 {
    let mut groups = if clock_hour(head, run, rest) { DIGIT } else { 0 };
    match head.last() {
        Some(b'Q') => groups |= Q_DIGIT,
        Some(b'H') => groups |= H_DIGIT,
        Some(b'P' | b'T') => groups |= PT_DIGIT,
        _ => {}
    }
    if rest.first() == Some(&b'Q') {
        groups |= Q_DIGIT;
    }
    if run.len() == 4 {
        groups |= YEAR4;
    }
    if let [b'/' | b'.' | b'-', d, ..] = rest {
        if d.is_ascii_digit() {
            groups |= DIGIT_SEP;
        }
    }
    if let [a, b, ..] = rest {
        let suffix = [a.to_ascii_lowercase(), b.to_ascii_lowercase()];
        if matches!(&suffix, b"st" | b"nd" | b"rd" | b"th") {
            groups |= ORDINAL;
        }
    }
    groups
}

/// Whether the digit run `run` (after `head`, before `rest`) can be the
/// hour of a "clock time" match that is more than the bare number, which
/// the rule rejects: that is, whether the run follows "around", "about"
/// or "approximately", or is one or two digits followed by what the
/// pattern takes after the hour: minutes after `:` or `.`, a.m./p.m., a
/// time zone, or (after a comma or a space, and "on") today, tonight,
/// yesterday, tomorrow, a weekday or a month. Loose where that is simpler
/// (any capital stands for a zone, weekday or month) and wherever a
/// character that is not ASCII stands where the pattern's `\s` reads, but
/// never narrower than the pattern: a bare number, the rule's most common
/// match by far, then opens no window. A bare number found or not changes
/// nothing: its digits hold no other match's start (the pattern starts at
/// a word boundary), and the rule rejects it.
fn clock_hour(head: &[u8], run: &[u8], rest: &[u8]) -> bool {
    // `\s` as far as ASCII goes (with the vertical tab, which
    // `is_ascii_whitespace` leaves out).
    let space = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
    // `\s*` / `\s+`: the white space at the start of `from`; `None` where a
    // byte that is not ASCII may be white space, which the caller takes as
    // a yes.
    let blanks = |from: &[u8]| -> Option<usize> {
        let n = from.iter().take_while(|c| space(c)).count();
        match from.get(n) {
            Some(c) if !c.is_ascii() => None,
            _ => Some(n),
        }
    };
    let starts =
        |b: &[u8], word: &[u8]| b.get(..word.len()).is_some_and(|w| w.eq_ignore_ascii_case(word));
    // "about 6": the approximation word, then white space.
    let trimmed = head.len() - head.iter().rev().take_while(|c| space(c)).count();
    if trimmed < head.len() || head.last().is_some_and(|c| !c.is_ascii()) {
        if head[..trimmed].last().is_some_and(|c| !c.is_ascii()) {
            return true;
        }
        let word = &head[..trimmed];
        let ends = |w: &[u8]| {
            word.len() >= w.len() && word[word.len() - w.len()..].eq_ignore_ascii_case(w)
        };
        if ends(b"around") || ends(b"about") || ends(b"approximately") {
            return true;
        }
    }
    if run.len() > 2 {
        return false;
    }
    if let Some(b':' | b'.') = rest.first() {
        return true;
    }
    // A time zone or A.M. (upper case), or a.m., p.m.
    let Some(n) = blanks(rest) else { return true };
    let next = &rest[n..];
    if next.first().is_some_and(u8::is_ascii_uppercase) {
        return true;
    }
    if let Some(b'a' | b'p') = next.first() {
        let mut k = 1;
        if next.get(k) == Some(&b'.') {
            k += 1;
        }
        match next.get(k) {
            Some(c) if !c.is_ascii() => return true,
            Some(c) if space(c) => k += 1,
            _ => {}
        }
        if matches!(next.get(k), Some(b'm' | b'M')) {
            return true;
        }
    }
    // `,?\s+(?:on\s+)?` and the day word.
    let after_comma = rest.strip_prefix(b",").unwrap_or(rest);
    let Some(n) = blanks(after_comma) else { return true };
    if n == 0 {
        return false;
    }
    let mut day = &after_comma[n..];
    if starts(day, b"on") {
        match blanks(&day[2..]) {
            None => return true,
            Some(0) => {}
            Some(m) => day = &day[2 + m..],
        }
    }
    day.first().is_some_and(u8::is_ascii_uppercase) || starts(day, b"to") || starts(day, b"ye")
}

/// The windows (byte ranges on char boundaries, sorted and disjoint) in
/// which a rule triggered by `groups`, whose matches span at most `reach`
/// units (`None`: unbounded), can match. A match overlaps one of its
/// triggers, so it lies within `reach - 1` units of it; the window keeps one
/// more unit on each side, which also holds the character the match's final
/// `\b` looks at.
#[cfg(test)]
pub(crate) fn windows(
    units: &Units,
    hits: &[Hit],
    groups: u64,
    reach: Option<usize>,
) -> Vec<(usize, usize)> {
    all_windows(units, hits, &[(groups, 0, reach)])
        .into_iter()
        .map(|(_, lo, hi)| (lo, hi))
        .collect()
}

/// The windows (see `windows`) of every rule at once, `rules` (at most 64)
/// giving each one's trigger groups, the groups of which its matches also
/// hold one (0: none asked) and its reach, as `(rule, start, end)`: each
/// rule's windows in order, the rules interleaved. One pass over the hits,
/// each visiting only the rules it triggers (a bit set of rules per group),
/// costs far less than a pass over all hits for every rule. A window that
/// holds no hit of the `also` groups is left out: every match inside it
/// would hold one.
pub(crate) fn all_windows(
    units: &Units,
    hits: &[Hit],
    rules: &[(u64, u64, Option<usize>)],
) -> Vec<(usize, usize, usize)> {
    assert!(rules.len() <= 64, "a rule set fits in a u64");
    let mut rules_of_group = [0u64; 64];
    for (i, &(groups, _, _)) in rules.iter().enumerate() {
        for bit in bits(groups) {
            rules_of_group[bit] |= 1 << i;
        }
    }
    // Windows are merged in units and turned into bytes once each (the
    // conversion is a search): `start` and `end` grow with the unit, so
    // windows overlap or touch in bytes exactly when they do in units.
    let mut out = Vec::with_capacity(hits.len() * 2);
    let mut close = |i: usize, (lo, hi): (usize, usize)| {
        let also = rules[i].1;
        if also != 0 && !holds_hit(hits, also, lo, hi) {
            return;
        }
        out.push((i, units.start(lo), units.end(hi)));
    };
    let mut open: [Option<(usize, usize)>; 64] = [None; 64];
    for h in hits {
        let mut triggered = bits(h.groups).fold(0, |set, bit| set | rules_of_group[bit]);
        while triggered != 0 {
            let i = triggered.trailing_zeros() as usize;
            triggered &= triggered - 1;
            let (lo, hi) = match rules[i].2 {
                Some(reach) => (h.units.0.saturating_sub(reach), h.units.1 + reach),
                None => (0, units.len()),
            };
            match &mut open[i] {
                Some(last) if lo <= last.1 + 1 => last.1 = last.1.max(hi),
                Some(last) => close(i, std::mem::replace(last, (lo, hi))),
                None => open[i] = Some((lo, hi)),
            }
        }
    }
    for (i, last) in open.into_iter().enumerate() {
        if let Some(last) = last {
            close(i, last);
        }
    }
    out
}

/// Whether a hit of one of `groups` lies within units `lo..=hi`. Kept out
/// of line: few rules ask, and inlined it would slow every window's close.
#[inline(never)]
fn holds_hit(hits: &[Hit], groups: u64, lo: usize, hi: usize) -> bool {
    // Hits are sorted by start, so by their first unit too.
    let from = hits.partition_point(|h| h.units.0 < lo);
    let mut inside = hits[from..].iter().take_while(|h| h.units.0 <= hi);
    inside.any(|h| h.groups & groups != 0 && h.units.1 <= hi)
}

/// The indices of the bits set in `set`.
fn bits(mut set: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let bit = set.trailing_zeros() as usize;
        set &= set.wrapping_sub(1);
        (bit < 64).then_some(bit)
    })
}

/// What a byte counts as in [`Units`], as bit flags so that one AND picks
/// out the few bytes that need a closer look.
/// White space or `-`: a run is one unit (`\s+`, `[\s-]*`).
const SPACE: u8 = 1;
/// A digit (`\d` is a subset of `char::is_numeric`): a run is one unit.
const DIGITS: u8 = 2;
/// A continuation byte of a multi-byte character.
const CONTINUATION: u8 = 4;
/// The first byte of a multi-byte character (decoded to classify it).
const LEAD: u8 = 8;
// Anything else (0) is one unit per character.

/// The class of each byte (`char::is_whitespace` takes `\t` to `\r` and the
/// space).
const BYTE_CLASSES: [u8; 256] = {
    let mut classes = [0; 256];
    let mut c = 0;
    while c < 256 {
        classes[c] = match c as u8 {
            b' ' | b'\t'..=b'\r' | b'-' => SPACE,
            b'0'..=b'9' => DIGITS,
            0x80..=0xbf => CONTINUATION,
            0xc0..=0xff => LEAD,
            _ => 0,
        };
        c += 1;
    }
    classes
};

/// The class of a character: `SPACE`, `DIGITS` or 0.
fn char_class(c: char) -> u8 {
    if c.is_whitespace() || c == '-' {
        SPACE
    } else if c.is_numeric() {
        DIGITS
    } else {
        0
    }
}

/// The bytes [`Units::new`] and [`Prefilter::hits`] pass over at once.
const CHUNK: usize = 8;

/// The digits and the spaces/hyphens (`\t` to `\r`, ` `, `-`) among eight
/// bytes, as masks with the high bit of each such byte set; `None` when a
/// byte is not ASCII. All eight bytes are tested at once in a `u64`.
pub(crate) fn ascii_kinds(chunk: [u8; CHUNK]) -> Option<(u64, u64)> {
    const HIGH: u64 = u64::from_le_bytes([0x80; CHUNK]);
    let w = u64::from_le_bytes(chunk);
    if w & HIGH != 0 {
        return None;
    }
    let between = |lo: u8, hi: u8| ascii_in_range(w, lo, hi);
    let digits = between(b'0', b'9');
    let spaces = between(b'\t', b'\r') | between(b' ', b' ') | between(b'-', b'-');
    Some((digits, spaces))
}

/// Whether every byte of `chunk`, after a byte of class `prev`, starts a
/// unit: all are ASCII, and no space/hyphen or digit follows one of its
/// kind.
fn every_byte_a_unit(prev: u8, chunk: [u8; CHUNK]) -> bool {
    let Some((digits, spaces)) = ascii_kinds(chunk) else {
        return false;
    };
    // Byte k + 1 of a chunk is eight bits above byte k.
    let repeats = (digits & digits << 8) | (spaces & spaces << 8);
    repeats == 0 && BYTE_CLASSES[chunk[0] as usize] & prev == 0
}

/// A text cut into units: each run of spaces/hyphens, each run of digits
/// and each other character is one unit.
///
/// Most bytes of a text start a unit (a letter or punctuation mark is one),
/// so only the exceptions are stored: the gaps, byte ranges that start no
/// unit (the rest of a run, the continuation bytes of a multi-byte
/// character). They are a few per cent of the bytes, which makes building
/// the map far cheaper than listing every unit's start.
pub(crate) struct Units {
    /// The gaps, ascending and never adjacent (adjacent ones are merged).
    gaps: Vec<Gap>,
    /// Length of the text in bytes.
    len: usize,
    /// Whether the text has no non-ASCII numeric character and no 'ſ' (see
    /// [`Prefilter::hits`]); found by the same pass.
    plain: bool,
}

/// Bytes `start..end` start no unit; `skipped` bytes before `start` do not
/// either.
#[derive(Clone, Copy, Debug)]
struct Gap {
    start: usize,
    end: usize,
    skipped: usize,
}

impl Gap {
    /// The unit starting at `end`: every byte before `start` that is not
    /// skipped starts one.
    fn next_unit(&self) -> usize {
        self.start - self.skipped
    }

    /// Bytes skipped up to `end`.
    fn skipped_through(&self) -> usize {
        self.skipped + (self.end - self.start)
    }
}

impl Units {
    pub(crate) fn new(text: &str) -> Units {
        let mut units = Units { gaps: Vec::new(), len: text.len(), plain: true };
        let mut prev = 0;
        // This loop runs over every byte of every document. Most chunks of
        // it are ASCII with no run of spaces or digits, where every byte
        // starts a unit: they are passed over with a few vector compares;
        // only the rare bytes that start no unit are written.
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let end = b.len().min(i + CHUNK);
            let chunk = b[i..end].try_into().ok();
            if chunk.is_some_and(|chunk| every_byte_a_unit(prev, chunk)) {
                prev = BYTE_CLASSES[b[end - 1] as usize];
                i = end;
                continue;
            }
            for i in i..end {
                let class = BYTE_CLASSES[b[i] as usize];
                if class & (prev | CONTINUATION | LEAD) == 0 {
                    prev = class;
                } else if class == CONTINUATION {
                    // Inside a character, which began its unit (if any).
                    units.skip(i);
                } else if class == LEAD {
                    let c = text[i..].chars().next().expect("a char boundary");
                    if c.is_numeric() || c == 'ſ' {
                        units.plain = false;
                    }
                    let class = char_class(c);
                    if class & prev != 0 {
                        units.skip(i);
                    }
                    prev = class;
                } else {
                    // The same run of spaces or digits goes on.
                    units.skip(i);
                }
            }
            i = end;
        }
        units
    }

    /// Marks byte `i` (after every byte marked so far) as starting no unit.
    fn skip(&mut self, i: usize) {
        match self.gaps.last_mut() {
            Some(last) if last.end == i => last.end = i + 1,
            last => {
                let skipped = last.map_or(0, |g| g.skipped_through());
                self.gaps.push(Gap { start: i, end: i + 1, skipped });
            }
        }
    }

    /// How many units the text has.
    pub(crate) fn len(&self) -> usize {
        self.len - self.gaps.last().map_or(0, Gap::skipped_through)
    }

    /// The unit holding byte `i`.
    pub(crate) fn of(&self, i: usize) -> usize {
        let n = self.gaps.partition_point(|g| g.start <= i);
        match n.checked_sub(1).map(|k| self.gaps[k]) {
            // i - (bytes up to and including i that start no unit)
            Some(g) => i - (g.skipped + (i + 1).min(g.end) - g.start),
            None => i,
        }
    }

    /// The units of the first and last bytes of `start..end` (not empty).
    fn span(&self, start: usize, end: usize) -> (usize, usize) {
        (self.of(start), self.of(end - 1))
    }

    /// Where unit `u` starts.
    pub(crate) fn start(&self, u: usize) -> usize {
        let n = self.gaps.partition_point(|g| g.next_unit() <= u);
        u + n.checked_sub(1).map_or(0, |k| self.gaps[k].skipped_through())
    }

    /// Where unit `u` ends (the text's end past the last unit).
    pub(crate) fn end(&self, u: usize) -> usize {
        if u + 1 < self.len() {
            self.start(u + 1)
        } else {
            self.len
        }
    }
}

/// How many [`Units`] a match of `pattern` can overlap at most, or `None`
/// when it is unbounded (a group under `*` or `+`). Every literal character
/// or class matches one character; `*` and `+` are bounded only on `\s`,
/// `\d` and `[\s-]`, whose runs are one unit. Knows the syntax the grammar
/// uses: groups (`(?:`, `(?P<name>`, flags), classes, escapes, `? * + {m,n}`.
pub(crate) fn max_units(pattern: &str) -> Option<usize> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    let n = alternation(&chars, &mut at)?;
    assert_eq!(at, chars.len(), "unbalanced ) in {pattern:?}");
    Some(n)
}

/// `a|b|...` up to a `)` or the end: the longest branch.
fn alternation(p: &[char], at: &mut usize) -> Option<usize> {
    let mut best = 0;
    loop {
        best = best.max(concatenation(p, at)?);
        if p.get(*at) == Some(&'|') {
            *at += 1;
        } else {
            return Some(best);
        }
    }
}

/// A sequence of quantified atoms: the sum of their lengths.
fn concatenation(p: &[char], at: &mut usize) -> Option<usize> {
    let mut total = 0;
    while let Some(&c) = p.get(*at) {
        if c == '|' || c == ')' {
            break;
        }
        let (len, run) = atom(p, at)?;
        let len = match p.get(*at) {
            Some('?') => {
                *at += 1;
                len
            }
            Some('*' | '+') => {
                *at += 1;
                if !run {
                    return None;
                }
                1
            }
            Some('{') => {
                let close = *at + p[*at..].iter().position(|&c| c == '}')?;
                let spec: String = p[*at + 1..close].iter().collect();
                *at = close + 1;
                let max = spec.rsplit(',').next()?.parse::<usize>().ok()?;
                len * max
            }
            _ => len,
        };
        total += len;
    }
    Some(total)
}

/// One atom: its longest length in units, and whether it only matches
/// characters of one run kind (so that `*`/`+` on it still make one unit).
fn atom(p: &[char], at: &mut usize) -> Option<(usize, bool)> {
    let c = p[*at];
    *at += 1;
    match c {
        '(' => {
            if p.get(*at) == Some(&'?') {
                // (?:  (?P<name>  (?i)  (?-u:
                let close =
                    *at + p[*at..].iter().position(|&c| c == ':' || c == ')' || c == '>')?;
                let end = p[close];
                *at = close + 1;
                if end == ')' {
                    return Some((0, false)); // a flag setting, no text
                }
            }
            let len = alternation(p, at)?;
            assert_eq!(p.get(*at), Some(&')'), "unclosed group");
            *at += 1;
            Some((len, false))
        }
        '[' => {
            let close = *at + p[*at..].iter().position(|&c| c == ']')?;
            let class: String = p[*at..close].iter().collect();
            *at = close + 1;
            Some((1, class == "\\s-"))
        }
        '\\' => {
            let e = p[*at];
            *at += 1;
            match e {
                'b' => Some((0, false)),
                's' | 'd' => Some((1, true)),
                _ => Some((1, false)),
            }
        }
        _ => Some((1, false)),
    }
}
