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
            // "Roe vs. Wade", "Smith v. Jones": lower-case abbreviations.
            let lower_abbrev = matches!(&b[w..i], b"vs" | b"v" | b"approx" | b"incl" | b"cf");
            cap && !abbrev && !lower_abbrev
        }
        _ => false,
    }
}

/// Words of `lower` (the sentence `text[s..]`, ASCII-lower-cased, so at
/// the same byte offsets) with their offsets in `text`: runs of ASCII
/// letters and inner apostrophes.
fn words(lower: &str, s: usize) -> Vec<(usize, &str)> {
    let b = lower.as_bytes();
    // Room for a word every four bytes (prose has one every five or six).
    let mut out = Vec::with_capacity(b.len() / 4 + 1);
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let from = i;
        while i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'\'') {
            i += 1;
        }
        out.push((s + from, &lower[from..i]));
    }
    out
}

const FUTURE_WORDS: &[&str] = &[
    "will",
    "shall",
    "won't",
    "would",
    "'ll",
    "upcoming",
    "scheduled",
    "tomorrow",
    "next",
    "due",
    "soon",
    "until",
    "payable",
];

/// Words that point forward only when "to" follows ("plans to meet",
/// "set to resume", "expected to vote"); as nouns or adjectives they do not
/// ("the peace plan", "a planned trip").
const FUTURE_BEFORE_TO: &[&str] =
    &["plan", "plans", "planning", "set", "expected", "expects", "expect", "poised", "likely"];

/// Words after which an -ed form is an adjective, not a past tense
/// ("the reduced dividend", "a planned visit").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "my",
    "your", "still", "newly",
];

/// Past-tense markers that are auxiliaries or adverbs, which keep their
/// meaning after a form of "be" (unlike participles: "will be held").
const PAST_AUX: &[&str] = &["was", "were", "had", "did", "ago", "yesterday", "last", "earlier"];

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
    "since",
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

/// What the word lists below say about a word, as bits: one lookup per
/// word instead of a search through each list.
mod class {
    pub const FUTURE: u8 = 1;
    pub const FUTURE_BEFORE_TO: u8 = 2;
    pub const DETERMINER: u8 = 4;
    pub const PAST_AUX: u8 = 8;
    pub const PAST: u8 = 16;
    pub const REPORTING: u8 = 32;
    pub const NOT_PAST_ED: u8 = 64;
}

/// Each word list with its [`class`] bit.
const CLASS_LISTS: [(&[&str], u8); 7] = [
    (FUTURE_WORDS, class::FUTURE),
    (FUTURE_BEFORE_TO, class::FUTURE_BEFORE_TO),
    (DETERMINERS, class::DETERMINER),
    (PAST_AUX, class::PAST_AUX),
    (PAST_WORDS, class::PAST),
    (REPORTING, class::REPORTING),
    (NOT_PAST_ED, class::NOT_PAST_ED),
];

/// The [`class`] bits of `w` (0 for a word on no list).
fn class_of(w: &str) -> u8 {
    static CLASSES: std::sync::LazyLock<rustc_hash::FxHashMap<&str, u8>> =
        std::sync::LazyLock::new(|| {
            let mut m = rustc_hash::FxHashMap::default();
            for (list, bit) in CLASS_LISTS {
                for w in list {
                    *m.entry(*w).or_insert(0) |= bit;
                }
            }
            m
        });
    CLASSES.get(w).copied().unwrap_or(0)
}

fn be_form(w: &str) -> bool {
    matches!(w, "be" | "been" | "being" | "is" | "are" | "am" | "get" | "gets" | "to")
}

/// The direction the sentence around `start..end` points in: the tense
/// marker nearest to the mention wins ("will" / "next" → future, "said" /
/// "was" / -ed verbs → past), markers after the mention counting at twice
/// their distance (the verb governing a date usually comes before it). A
/// participle after a form of "be" does not count (it is the auxiliary that
/// carries tense: "will be released"), nor an -ed adjective after a
/// determiner ("the reduced dividend").
pub(crate) fn tense_around(text: &str, start: usize, end: usize) -> Direction {
    let (s, e) = sentence_bounds(text, start, end);
    let lower = text[s..e].to_ascii_lowercase();
    let ws = words(&lower, s);
    // The direction word `k` gives, if any.
    let marker = |k: usize| -> Option<Direction> {
        let (at, w) = ws[k];
        let prev = if k >= 1 { ws[k - 1].1 } else { "" };
        let prev2 = if k >= 2 { ws[k - 2].1 } else { "" };
        let next = ws.get(k + 1).filter(|(a, _)| *a < start || *a >= end).map_or("", |x| x.1);
        let next2 = ws.get(k + 2).map_or("", |x| x.1);
        let adjacent = at + w.len() + 4 >= start && at < start;
        let plan_seen_from_past = matches!(prev, "had" | "was" | "were") || prev2 == "had";
        let class = class_of(w);
        let is = |bit: u8| class & bit != 0;
        if is(class::REPORTING) {
            adjacent.then_some(Direction::Past)
        } else if is(class::FUTURE_BEFORE_TO) {
            match next {
                "to" if plan_seen_from_past => Some(Direction::Past),
                "to" => Some(Direction::Future),
                _ => None,
            }
        } else if w == "planned" && be_form(prev) && prev != "to" {
            Some(Direction::Future) // "is planned for"
        } else if (w == "next" && next == "to")
            || (w == "due"
                && next == "to"
                && matches!(next2, "the" | "a" | "an" | "its" | "their" | "his" | "her"))
        {
            None // "next to the embassy", "due to the strike"
        } else if is(class::FUTURE) || w.ends_with("'ll") {
            // "had been scheduled", "was due": a plan seen from the past.
            if plan_seen_from_past {
                Some(Direction::Past)
            } else {
                Some(Direction::Future)
            }
        } else if is(class::PAST) {
            (is(class::PAST_AUX) || !be_form(prev)).then_some(Direction::Past)
        } else if w.len() >= 5
            && w.ends_with("ed")
            && !is(class::NOT_PAST_ED)
            && !be_form(prev)
            && class_of(prev) & class::DETERMINER == 0
        {
            Some(Direction::Past)
        } else {
            None
        }
    };
    // The words are read nearest first, so the first marker found wins:
    // `before` walks back from the mention, `after` on from its end, and of
    // two at the same distance the one before the mention comes first.
    let mut before = ws.partition_point(|&(at, _)| at < start);
    let mut after = ws.partition_point(|&(at, _)| at < end).max(before);
    loop {
        let db = before.checked_sub(1).map(|k| start - ws[k].0);
        let da = ws.get(after).map(|&(at, _)| 2 * (at - end));
        let k = match (db, da) {
            (None, None) => return Direction::Unknown,
            (Some(b), a) if a.is_none_or(|a| b <= a) => {
                before -= 1;
                before
            }
            _ => {
                after += 1;
                after - 1
            }
        };
        if let Some(d) = marker(k) {
            return d;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_has_the_bits_of_every_list_it_is_on() {
        for (list, bit) in CLASS_LISTS {
            for w in list {
                assert_ne!(class_of(w) & bit, 0, "{w}");
            }
        }
        assert_eq!(class_of("was"), class::PAST | class::PAST_AUX);
        assert_eq!(class_of("expected"), class::FUTURE_BEFORE_TO | class::NOT_PAST_ED);
        assert_eq!(class_of("embassy"), 0);
    }

    #[test]
    fn words_are_letter_runs_with_inner_apostrophes_at_their_offsets() {
        let text = "xx The leaders' talks—Tuesday’s 'summit' won't 3pm.";
        let lower = text[3..].to_ascii_lowercase();
        let ws: Vec<(usize, &str)> = words(&lower, 3);
        // A curly apostrophe is not ASCII: it ends the word, as a dash does.
        let expected = [
            (3, "the"),
            (7, "leaders'"),
            (16, "talks"),
            (24, "tuesday"),
            (34, "s"),
            (37, "summit'"),
            (45, "won't"),
            (52, "pm"),
        ];
        assert_eq!(ws, expected);
        for (at, w) in ws {
            assert_eq!(text[at..at + w.len()].to_ascii_lowercase(), w);
        }
    }
}
