//! The words around a mention: sentence bounds and a cheap tense reading.
//! `tag` sees a whole document, so underspecified dates ("Tuesday",
//! "in March") look here for "will", "said", "-ed" and the like in their own
//! sentence to decide whether they point backwards or forwards.

use super::resolve::Direction;

/// Longest stretch looked at on either side of a mention.
const WINDOW: usize = 300;

/// Byte range of the sentence around `start..end` (approximate: a sentence
/// ends at `.`, `!`, `?` followed by white space and an upper-case letter or
/// quote, or at a blank line).
pub(crate) fn sentence_bounds(text: &str, start: usize, end: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let lo = floor_char(text, start.saturating_sub(WINDOW));
    let mut s = lo;
    let mut i = start;
    while i > lo {
        i -= 1;
        if is_boundary_at(b, i) {
            s = i + 1;
            break;
        }
    }
    let hi = floor_char(text, (end + WINDOW).min(b.len()));
    let mut e = hi;
    let mut j = end;
    while j < hi {
        if is_boundary_at(b, j) {
            e = j;
            break;
        }
        j += 1;
    }
    (s, e.max(s))
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn is_boundary_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'\n' => i + 1 < b.len() && b[i + 1] == b'\n' || i > 0 && b[i - 1] == b'\n',
        b'!' | b'?' | b';' => true,
        b'.' => {
            // "Nov. 23", "U.S. officials": a dot ends a sentence only before
            // white space and a capital, and not after a short capitalised word.
            let next_ws = i + 1 < b.len() && b[i + 1].is_ascii_whitespace();
            if !next_ws {
                return i + 1 >= b.len();
            }
            let mut k = i + 1;
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            let cap = k < b.len() && (b[k].is_ascii_uppercase() || b[k] == b'"' || b[k] == b'`');
            let mut w = i;
            while w > 0 && b[w - 1].is_ascii_alphabetic() {
                w -= 1;
            }
            let word_len = i - w;
            let abbrev = word_len > 0 && word_len <= 4 && b[w].is_ascii_uppercase();
            cap && !abbrev
        }
        _ => false,
    }
}

/// Words of `text[s..e]` with their byte offsets, lower-cased.
fn words(text: &str, s: usize, e: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut at = s;
    for (i, c) in text[s..e].char_indices() {
        if c.is_ascii_alphabetic() || (c == '\'' && !cur.is_empty()) {
            if cur.is_empty() {
                at = s + i;
            }
            cur.push(c.to_ascii_lowercase());
        } else if !cur.is_empty() {
            out.push((at, std::mem::take(&mut cur)));
        }
    }
    if !cur.is_empty() {
        out.push((at, cur));
    }
    out
}

const FUTURE_WORDS: &[&str] = &[
    "will",
    "shall",
    "won't",
    "'ll",
    "upcoming",
    "scheduled",
    "tomorrow",
    "next",
    "due",
    "soon",
    "planned",
    "planning",
    "plans",
    "plan",
];

const PAST_WORDS: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "ago",
    "yesterday",
    "rose",
    "fell",
    "came",
    "went",
    "made",
    "took",
    "gave",
    "saw",
    "met",
    "won",
    "lost",
    "began",
    "left",
    "sent",
    "held",
    "became",
    "brought",
    "bought",
    "sold",
    "struck",
    "led",
    "paid",
    "got",
    "found",
    "thought",
    "knew",
    "wrote",
    "spoke",
    "ran",
    "fled",
    "broke",
    "chose",
    "flew",
    "fought",
    "grew",
    "kept",
    "meant",
    "shot",
    "sought",
    "stood",
    "threw",
    "last",
    "earlier",
    "wasn't",
    "weren't",
    "didn't",
    "hadn't",
];

/// Reporting verbs: the story's own past, not the reported event's, unless
/// right next to the mention ("said Friday").
const REPORTING: &[&str] =
    &["said", "told", "added", "reported", "announced", "stated", "noted", "explained"];

/// Words ending in -ed that are no past tense.
const NOT_PAST_ED: &[&str] = &[
    "need",
    "speed",
    "indeed",
    "hundred",
    "united",
    "limited",
    "red",
    "bed",
    "fed",
    "seed",
    "feed",
    "proceed",
    "succeed",
    "exceed",
    "shed",
    "wed",
    "breed",
    "greed",
    "bred",
    "sped",
    "weed",
    "deed",
    "heed",
    "reed",
    "based",
    "related",
    "concerned",
    "interested",
    "advanced",
    "detailed",
    "armed",
    "named",
    "unnamed",
    "experienced",
    "supposed",
    "used",
    "expected",
    "scheduled",
    "planned",
    "proposed",
    "continued",
    "varied",
    "unidentified",
    "assorted",
    "alleged",
    "accused",
    "wounded",
    "injured",
];

fn be_form(w: &str) -> bool {
    matches!(w, "be" | "been" | "being" | "is" | "are" | "am" | "get" | "gets" | "to")
}

/// The direction the sentence around `start..end` points in: the tense
/// marker nearest to the mention wins ("will" / "next" → future, "said" /
/// "was" / -ed verbs → past). A participle after a form of "be" does not
/// count (it is the auxiliary that carries tense: "will be released").
pub(crate) fn tense_around(text: &str, start: usize, end: usize) -> Direction {
    let (s, e) = sentence_bounds(text, start, end);
    let ws = words(text, s, e);
    let mut best: Option<(usize, Direction)> = None;
    let mut prev = "";
    let mut prev2 = "";
    for (at, w) in &ws {
        if *at >= start && *at < end {
            prev2 = prev;
            prev = w;
            continue;
        }
        let adjacent = *at + w.len() + 4 >= start && *at < start;
        let dir = if REPORTING.contains(&w.as_str()) {
            adjacent.then_some(Direction::Past)
        } else if FUTURE_WORDS.contains(&w.as_str()) || w.ends_with("'ll") {
            // "had been scheduled", "was due": a plan seen from the past.
            if matches!(prev, "had" | "was" | "were") || matches!(prev2, "had") {
                Some(Direction::Past)
            } else {
                Some(Direction::Future)
            }
        } else if PAST_WORDS.contains(&w.as_str())
            || (w.len() >= 5
                && w.ends_with("ed")
                && !NOT_PAST_ED.contains(&w.as_str())
                && !be_form(prev))
        {
            Some(Direction::Past)
        } else {
            None
        };
        if let Some(d) = dir {
            let dist = if *at < start { start - at } else { at - end };
            if best.is_none_or(|(bd, _)| dist < bd) {
                best = Some((dist, d));
            }
        }
        prev2 = prev;
        prev = w;
    }
    best.map_or(Direction::Unknown, |(_, d)| d)
}

/// The word just before byte `i` (lower-cased), skipping white space.
pub(crate) fn word_before(text: &str, i: usize) -> &str {
    let head = text[..i].trim_end();
    let start = head
        .rfind(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '.' || c == '-'))
        .map_or(0, |p| p + head[p..].chars().next().map_or(1, char::len_utf8));
    &head[start..]
}

/// The word just after byte `i`, skipping white space.
pub(crate) fn word_after(text: &str, i: usize) -> &str {
    let tail = text[i..].trim_start();
    let end =
        tail.find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-')).unwrap_or(tail.len());
    &tail[..end]
}
