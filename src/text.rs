//! Sentences and spans. Everything downstream speaks in byte offsets into
//! the document's UTF-8 text; this module cuts that text into sentences
//! without a model: line breaks end a sentence, and so do `.`, `!` and `?`
//! followed by space and a capital, unless the dot ends an abbreviation.

/// A byte range `start..end` into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn contains(&self, pos: usize) -> bool {
        self.start <= pos && pos < self.end
    }
}

/// The bytes of `w` (eight bytes, little-endian) that are ASCII and in
/// `lo..=hi`, each marked by its high bit: eight bytes tested at once. Below
/// 0x80 a byte plus `0x80 - n` carries into its high bit, and never into the
/// next byte, exactly when it is at least `n`; bytes that are not ASCII
/// never count.
pub(crate) fn ascii_in_range(w: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let low = w & !HIGH;
    let at_least = |n: u8| (low + ONES * u64::from(0x80 - n)) & HIGH;
    at_least(lo) & !at_least(hi + 1) & !w
}

/// Whether a dot after `word` does not end a sentence: an abbreviation.
/// A `match`, which the compiler turns into a test of the length and then
/// of a few words, rather than a search of a list.
fn is_abbreviation(word: &str) -> bool {
    matches!(
        word,
        "Mr" | "Mrs"
            | "Ms"
            | "Dr"
            | "Prof"
            | "Gen"
            | "Lt"
            | "Col"
            | "Maj"
            | "Capt"
            | "Sgt"
            | "Adm"
            | "Cmdr"
            | "Rep"
            | "Sen"
            | "Gov"
            | "Pres"
            | "Rev"
            | "St"
            | "Jr"
            | "Sr"
            | "No"
            | "Nos"
            | "vs"
            | "etc"
            | "Inc"
            | "Ltd"
            | "Co"
            | "Corp"
            | "Jan"
            | "Feb"
            | "Mar"
            | "Apr"
            | "Jun"
            | "Jul"
            | "Aug"
            | "Sep"
            | "Sept"
            | "Oct"
            | "Nov"
            | "Dec"
            | "approx"
            | "Fig"
            | "Vol"
            | "Mt"
            | "Ft"
            | "Amb"
            | "Gens"
    )
}

/// Splits `text` into sentence spans, trimmed of surrounding whitespace.
/// Empty lines yield no sentence.
pub fn sentences(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = vec![];
    let mut start = 0;
    // Only line breaks and `.`, `!`, `?` can end a sentence: memchr jumps
    // from one to the next (the next of each kind at or after `from`).
    let next_break =
        |from: usize| memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |k| from + k);
    let next_stop = |from: usize| {
        memchr::memchr3(b'.', b'!', b'?', &bytes[from..]).map_or(bytes.len(), |k| from + k)
    };
    let (mut brk, mut stop) = (next_break(0), next_stop(0));
    let mut i = 0;
    while i < bytes.len() {
        if brk < i {
            brk = next_break(i);
        }
        if stop < i {
            stop = next_stop(i);
        }
        i = brk.min(stop);
        if i == bytes.len() {
            break;
        }
        if i == brk {
            push_trimmed(text, start, i, &mut out);
            start = i + 1;
        } else if ends_sentence(text, i) {
            let end = closed_at(text, i);
            push_trimmed(text, start, end, &mut out);
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    push_trimmed(text, start, bytes.len(), &mut out);
    out
}

/// Where the sentence ending with the punctuation at byte `i` ends: after
/// it and the closing quotes and brackets that follow it.
fn closed_at(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = i + 1;
    while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')') {
        end += 1;
    }
    for q in ["\u{201d}", "\u{2019}"] {
        if text[end..].starts_with(q) {
            end += q.len();
        }
    }
    end
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        out.push(Span::new(start + lead, start + lead + trimmed.len()));
    }
}

/// Whether the punctuation at byte `i` ends a sentence.
fn ends_sentence(text: &str, i: usize) -> bool {
    let after = &text[i + 1..];
    let after = after.trim_start_matches(['"', '\'', ')', '\u{201d}', '\u{2019}']);
    let rest = after.trim_start_matches([' ', '\t']);
    if rest.len() == after.len() && !rest.is_empty() && !rest.starts_with(['\r', '\n']) {
        return false; // no space: "U.S.", "3.5", "gov.uk"
    }
    match rest.chars().next() {
        None | Some('\r') | Some('\n') => return true,
        Some(c) if c.is_uppercase() || c.is_ascii_digit() || "\"'\u{201c}\u{2018}(".contains(c) => {
        }
        _ => return false,
    }
    if text.as_bytes()[i] != b'.' {
        return true;
    }
    let before = &text[..i];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
    let word = &before[word_start..];
    if is_abbreviation(word) {
        return false;
    }
    // Initials and dotted abbreviations: "J.", "U.S", "a.m" (the last letter
    // of "U.S." ends a sentence only before a capitalised function word).
    let single = word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase());
    if single {
        return false;
    }
    if word.contains('.') && word.len() <= 5 {
        let next_word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
        return matches!(
            next_word.as_str(),
            "The"
                | "He"
                | "She"
                | "It"
                | "They"
                | "We"
                | "I"
                | "In"
                | "But"
                | "This"
                | "That"
                | "A"
        );
    }
    true
}

/// The index of the sentence containing byte `pos` (the last one before it
/// when `pos` falls between sentences).
pub fn sentence_of(sentences: &[Span], pos: usize) -> usize {
    match sentences.binary_search_by(|s| s.start.cmp(&pos)) {
        Ok(i) => i,
        Err(0) => 0,
        Err(i) => i - 1,
    }
}

/// Whether the char before `start` and the char at `end` are not word
/// characters, so `text[start..end]` is a whole word or phrase.
pub fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// Letters, digits and the underscore.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The first 16 bytes of `s` as a number, zero-padded: numbers compare as
/// the strings do, unless equal. Sorting a million strings by it first
/// settles most comparisons without reading the strings.
pub fn sort_prefix(s: &str) -> u128 {
    let mut bytes = [0; 16];
    let n = s.len().min(16);
    bytes[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    /// `sentences` as a plain loop over every byte, the way it was
    /// written before it jumped with memchr.
    fn sentences_byte_by_byte(text: &str) -> Vec<Span> {
        let bytes = text.as_bytes();
        let (mut out, mut start, mut i) = (vec![], 0, 0);
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'\n' {
                push_trimmed(text, start, i, &mut out);
                start = i + 1;
            } else if matches!(b, b'.' | b'!' | b'?') && ends_sentence(text, i) {
                let end = closed_at(text, i);
                push_trimmed(text, start, end, &mut out);
                start = end;
                i = end;
                continue;
            }
            i += 1;
        }
        push_trimmed(text, start, bytes.len(), &mut out);
        out
    }

    proptest::proptest! {
        #[test]
        fn jumping_finds_the_sentences_a_byte_loop_finds(
            text in "([A-Za-z0-9 ]{0,6}|[.!?\n\"')]|\u{201d}|\u{2019}|U\\.S\\.|Mr\\.|é){0,40}"
        ) {
            proptest::prop_assert_eq!(sentences(&text), sentences_byte_by_byte(&text));
        }
    }

    #[test]
    fn splits_on_punctuation_and_lines() {
        let t = "Headline here\n\nJapan met Mr. Lee on Nov. 23. They signed a pact. \"Good,\" he said.\nNext";
        assert_eq!(
            split(t),
            vec![
                "Headline here",
                "Japan met Mr. Lee on Nov. 23.",
                "They signed a pact.",
                "\"Good,\" he said.",
                "Next"
            ]
        );
    }

    #[test]
    fn keeps_initials_and_decimals() {
        let t = "The U.S. and J. Smith paid 3.5 billion. The end.";
        assert_eq!(split(t), vec!["The U.S. and J. Smith paid 3.5 billion.", "The end."]);
        assert_eq!(
            split("It went to the U.S. The talks ended."),
            vec!["It went to the U.S.", "The talks ended."]
        );
    }

    #[test]
    fn offsets_survive_a_one_byte_shift_and_multibyte_text() {
        for prefix in ["", " ", "é"] {
            let t = format!("{prefix}Zürich hosts talks. Kyiv “agreed.” Done");
            for s in sentences(&t) {
                assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
            }
            assert_eq!(split(&t).len(), 3, "{t}");
        }
    }

    #[test]
    fn finds_the_sentence_of_a_position() {
        let s = vec![Span::new(0, 5), Span::new(7, 12)];
        assert_eq!(sentence_of(&s, 3), 0);
        assert_eq!(sentence_of(&s, 6), 0);
        assert_eq!(sentence_of(&s, 7), 1);
        assert_eq!(sentence_of(&s, 20), 1);
    }

    #[test]
    fn word_bounds() {
        assert!(is_word_bounded("the Gambia.", 4, 10));
        assert!(!is_word_bounded("the Gambian", 4, 10));
        assert!(is_word_bounded("ASEAN-Japan", 6, 11));
    }

    #[test]
    fn sort_prefixes_order_as_the_strings() {
        let words = ["", "a", "ab", "b", "synthetic-123456", "synthetic-2", "é"];
        for a in words {
            for b in words {
                assert_eq!(sort_prefix(a).cmp(&sort_prefix(b)), a.cmp(b), "{a:?} {b:?}");
            }
        }
        // Only the first 16 bytes count.
        assert_eq!(sort_prefix("synthetic-123456"), sort_prefix("synthetic-1234567"));
    }
}
