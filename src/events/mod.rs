//! The rule stage: CAMEO-coded event tuples from tagged sentences.
//!
//! No parser: a sentence's words are matched against the trigger lexicon;
//! the actors around a trigger are grouped (a country and the minister
//! named right after it are one actor; "Japan and Vietnam" is a compound),
//! the subject is the nearest actor group before the trigger that is not
//! the object of a preposition, and the target the actor after it (after
//! the trigger's preposition when it names one). Passive voice swaps them,
//! "will"/"plans to" turn cooperation into intent (CAMEO 03x), and negation
//! drops the act. A sentence that matches nothing yields nothing: there is
//! no fallback code.

pub mod agents;
pub mod lexicon;

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;

use chrono::NaiveDate;

pub use agents::Agents;
pub use lexicon::{CameoCode, Lexicon, Trigger};
use lexicon::{FxBuildHasher, WordMap};

use crate::tag::{EntityType, Form, Mention};
use crate::text::Span;

/// One event row (before the `doc` column is added). The texts that come
/// from the article or the lexicon (the evidence, the trigger, the code and
/// its label, the rule) borrow from them; the actors' come from mentions
/// that the events outlive, and are copied.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<'a> {
    pub sentence: usize,
    pub date: Cow<'a, str>,
    pub date_text: Cow<'a, str>,
    pub source: Cow<'a, str>,
    pub source_code: Cow<'a, str>,
    /// CAMEO agent letters of the source ("GOV", "MIL", "NGO"…), or "".
    pub source_agent: Cow<'a, str>,
    pub code: Cow<'a, str>,
    pub label: Cow<'a, str>,
    pub target: Cow<'a, str>,
    pub target_code: Cow<'a, str>,
    pub target_agent: Cow<'a, str>,
    pub quad_class: u8,
    pub goldstein: f32,
    pub mentions: usize,
    pub trigger: Cow<'a, str>,
    pub rule: Cow<'a, str>,
    pub evidence: Cow<'a, str>,
}

/// A date mention the coder may attach to events.
#[derive(Debug, Clone)]
pub struct DateRef {
    pub start: usize,
    pub end: usize,
    pub value: String,
}

/// Why a trigger that matched gave what it gave; `explain` prints these.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub sentence: usize,
    pub rule: String,
    pub trigger: String,
    /// Events made, as "SRC CODE TGT".
    pub events: Vec<String>,
    /// Why none was made.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    start: usize,
    end: usize,
    lower: &'a str,
    punct: bool,
}

/// Splits a sentence into words and the punctuation the rules read.
/// Their lower-case forms are slices of `buf`, which the caller reuses
/// from sentence to sentence: one string for the sentence rather than one
/// or two allocations per word.
fn words<'a>(text: &str, span: Span, buf: &'a mut String) -> Vec<Word<'a>> {
    let s = &text[span.start..span.end];
    buf.clear();
    // Room for a word every four bytes (prose has one every five or six),
    // so that the vector seldom grows.
    let mut out = Vec::with_capacity(s.len() / 4 + 1);
    if s.is_ascii() {
        // ASCII lower-casing leaves every byte where it was: each word's
        // lower-case form is the same range of the lower-cased sentence,
        // so the words are made in one pass with nothing copied per word.
        buf.push_str(s);
        buf.make_ascii_lowercase();
        let lower: &'a str = buf;
        ascii_tokens(s.as_bytes(), |i, end, punct| {
            out.push(Word {
                start: span.start + i,
                end: span.start + end,
                lower: &lower[i..end],
                punct,
            })
        });
        return out;
    }
    // Otherwise the lower-case forms are written one after another
    // ("’" becomes "'", and a form may change length), then sliced.
    let mut ends: Vec<(usize, usize, usize, bool)> = Vec::with_capacity(s.len() / 4 + 1);
    for (i, end, punct) in tokens(s) {
        let word = &s[i..end];
        if punct || word.is_ascii() {
            let from = buf.len();
            buf.push_str(word);
            buf[from..].make_ascii_lowercase();
        } else {
            buf.push_str(&word.to_lowercase().replace('’', "'"));
        }
        ends.push((span.start + i, span.start + end, buf.len(), punct));
    }
    let buf: &'a str = buf;
    let mut from = 0;
    out.extend(ends.into_iter().map(|(start, end, to, punct)| {
        let lower = &buf[from..to];
        from = to;
        Word { start, end, lower, punct }
    }));
    out
}

/// The words of `s` and the punctuation the rules read, as (start, end,
/// punctuation) byte ranges: runs of letters and digits, with ' ’ - .
/// between two of them, and , ; : ( ) – —.
fn tokens(s: &str) -> impl Iterator<Item = (usize, usize, bool)> + '_ {
    // The character at byte `k`; ASCII is read from its byte, not decoded.
    let char_at = |k: usize| match s.as_bytes().get(k) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        _ => s.get(k..)?.chars().next(),
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            // Spaces, between most words, byte by byte.
            while s.as_bytes().get(i) == Some(&b' ') {
                i += 1;
            }
            let c = char_at(i)?;
            let next = i + c.len_utf8();
            let start = i;
            if c.is_alphanumeric() {
                let mut end = next;
                loop {
                    // ASCII letters and digits, most of the text, byte by byte.
                    while s.as_bytes().get(end).is_some_and(u8::is_ascii_alphanumeric) {
                        end += 1;
                    }
                    let Some(d) = char_at(end) else { break };
                    let after = end + d.len_utf8();
                    let joins = matches!(d, '\'' | '’' | '-' | '.')
                        && char_at(after).is_some_and(char::is_alphanumeric);
                    if !(d.is_alphanumeric() || joins) {
                        break;
                    }
                    end = after;
                }
                i = end;
                return Some((start, end, false));
            }
            i = next;
            if matches!(c, ',' | ';' | ':' | '(' | ')' | '–' | '—') {
                return Some((start, next, true));
            }
        }
    })
}

/// [`tokens`] of an ASCII text, handed to `token`: a byte at a time, with
/// nothing decoded (most sentences are ASCII; `ascii_tokens_are_tokens`
/// compares the two).
fn ascii_tokens(s: &[u8], mut token: impl FnMut(usize, usize, bool)) {
    // What each byte is to the tokenizer, looked up rather than tested.
    const WORD: u8 = 1;
    const JOINT: u8 = 2;
    const PUNCT: u8 = 4;
    const CLASS: [u8; 256] = {
        let mut class = [0u8; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            class[b] = if c.is_ascii_alphanumeric() {
                WORD
            } else if matches!(c, b'\'' | b'-' | b'.') {
                JOINT
            } else if matches!(c, b',' | b';' | b':' | b'(' | b')') {
                PUNCT
            } else {
                0
            };
            b += 1;
        }
        class
    };
    let class = |i: usize| s.get(i).map_or(0, |&c| CLASS[usize::from(c)]);
    let mut i = 0;
    while i < s.len() {
        let c = CLASS[usize::from(s[i])];
        if c == WORD {
            let start = i;
            i += 1;
            loop {
                while class(i) == WORD {
                    i += 1;
                }
                if !(class(i) == JOINT && class(i + 1) == WORD) {
                    break;
                }
                i += 2;
            }
            token(start, i, false);
        } else {
            i += 1;
            if c == PUNCT {
                token(i - 1, i, true);
            }
        }
    }
}

/// Matches `toks` against `words` from index `i`; returns the end index.
fn match_at(toks: &[lexicon::Tok], words: &[Word], i: usize) -> Option<usize> {
    use lexicon::Tok;
    let Some(first) = toks.first() else { return Some(i) };
    match first {
        Tok::Gap(n) => {
            // Up to `n` words; commas and brackets do not count, a
            // semicolon ends the clause and the gap.
            let mut skipped = 0;
            let mut j = i;
            loop {
                if let Some(end) = match_at(&toks[1..], words, j) {
                    return Some(end);
                }
                let w = words.get(j)?;
                if w.lower == ";" {
                    return None;
                }
                if !w.punct {
                    skipped += 1;
                    if skipped > *n {
                        return None;
                    }
                }
                j += 1;
            }
        }
        Tok::Word { forms, optional, .. } => {
            let here = words
                .get(i)
                .filter(|w| !w.punct && forms.contains(w.lower))
                .and_then(|_| match_at(&toks[1..], words, i + 1));
            if here.is_some() {
                return here;
            }
            if *optional {
                return match_at(&toks[1..], words, i);
            }
            None
        }
    }
}

/// An actor: one or more mentions naming the same actor, as word indexes.
#[derive(Debug, Clone, Copy)]
struct Actor<'m> {
    first: usize,
    last: usize,
    code: &'m str,
    name: &'m str,
    /// The CAMEO agent letters ("GOV", "MIL"…), or "".
    agent: &'m str,
    /// Named after an agent phrase that opens its clause ("Rights groups
    /// in Egypt"): the subject, though after a preposition.
    led: bool,
}

/// Defines `fn name(w: &str) -> bool`: whether `w` is one of the words. A
/// `match` on the word, which the compiler turns into a test of its length
/// and then of the few words that long, rather than a search of a list
/// (the events stage compared each word with up to 45 others that way).
macro_rules! word_set {
    ($(#[$doc:meta])* fn $name:ident = [$($word:literal),+ $(,)?];) => {
        $(#[$doc])*
        fn $name(w: &str) -> bool {
            matches!(w, $($word)|+)
        }
    };
}

word_set! {
    /// Words before which an actor is an object, not a subject.
    fn preposition = [
        "of", "in", "to", "with", "by", "from", "against", "near", "at", "on", "for", "about",
        "over", "between", "among", "into", "toward", "towards", "like", "across", "around", "than",
        "despite", "including", "under", "through", "as", "within", "without", "amid", "upon",
    ];
}
word_set! {
    fn clause_break = [
        ";", "which", "who", "whom", "while", "but", "because", "although", "whereas", "as",
        "after", "before", "when", "since", "though", "amid", "despite", "whether", "if", "unless",
    ];
}
word_set! {
    fn intent_word = [
        "will", "would", "shall", "plan", "plans", "planned", "planning", "intend", "intends",
        "intended", "aim", "aims", "aimed", "looking", "seek", "seeks", "sought", "expected",
        "agreed", "agree", "agrees", "pledged", "pledge", "pledges", "vowed", "vow", "promised",
        "promise", "set", "going", "hope", "hopes", "hoped", "wants", "want", "wanted", "ready",
        "prepared", "offered", "offer", "proposed", "propose",
    ];
}
word_set! {
    fn negation = [
        "not", "never", "no", "didn't", "don't", "doesn't", "won't", "wouldn't", "cannot", "can't",
    ];
}
word_set! {
    fn refusal_word = [
        "refused", "refuses", "refuse", "declined", "declines", "decline", "rejected",
    ];
}
word_set! {
    fn passive_aux = [
        "was", "were", "been", "being", "is", "are", "be", "got", "get",
    ];
}

/// Codes events; cheap to share across threads.
#[derive(Debug, Clone)]
pub struct EventCoder {
    pub lexicon: Lexicon,
    /// Every word a trigger's first word matches (a `word*`'s inflections
    /// too) → the triggers, in order and once each: one look-up per word.
    by_first: WordMap<Vec<usize>>,
}

impl EventCoder {
    pub fn new(lexicon: Lexicon) -> EventCoder {
        let mut by_first: WordMap<Vec<usize>> = WordMap::default();
        for (i, t) in lexicon.triggers.iter().enumerate() {
            if let Some(lexicon::Tok::Word { alts, .. }) = t.toks.first() {
                for w in alts.iter().flat_map(lexicon::Alt::forms) {
                    let ts = by_first.entry(w).or_default();
                    if ts.last() != Some(&i) {
                        ts.push(i);
                    }
                }
            }
        }
        EventCoder { lexicon, by_first }
    }

    /// Triggers whose first word may be `w`, in order.
    fn first_word_triggers(&self, w: &str) -> &[usize] {
        self.by_first.get(w).map_or(&[], Vec::as_slice)
    }

    /// Codes one document. `mentions` are the entity mentions (any order),
    /// `dates` the date mentions, sorted by start (as `DateTagger::tag`
    /// returns them). With `explain`, every trigger that
    /// matched is reported there too.
    pub fn code<'a>(
        &'a self,
        text: &'a str,
        sentences: &[Span],
        mentions: &[Mention],
        dates: &[DateRef],
        dct: Option<NaiveDate>,
        mut explain: Option<&mut Vec<Explanation>>,
    ) -> Vec<Event<'a>> {
        // Room for an event every other sentence (the generated corpus has
        // one every three, most news fewer): an event is a few hundred
        // bytes, and a growing vector copies them.
        let mut events: Vec<Event<'a>> = Vec::with_capacity(sentences.len() / 2 + 1);
        // The sentence each event was last counted in: a sentence that
        // tells an event twice counts as one mention.
        let mut last_sentence: Vec<usize> = Vec::with_capacity(events.capacity());
        // The events made so far by a hash of (source, code, target, date):
        // a file read in parts makes tens of thousands of events. The map
        // holds the last event with each hash, `same_hash[i]` the one made
        // before event i with its hash (a chain, so that no event needs a
        // list of its own).
        let mut by_key: HashMap<u64, usize, FxBuildHasher> = HashMap::default();
        let mut same_hash: Vec<Option<usize>> = Vec::with_capacity(events.capacity());
        let mut mi = 0;
        let mut sorted: Vec<&Mention> =
            mentions.iter().filter(|m| m.kind != EntityType::Date).collect();
        sorted.sort_by_key(|m| m.start);
        // Each sentence's topic actor, for "it"/"the ministry" later on.
        let mut topics: Vec<Option<Vec<Actor>>> = vec![None; sentences.len()];
        // "The summit will take place on the 7th": (sentence, date, text).
        let mut schedules: Vec<(usize, String, String)> = vec![];
        let mut lower = String::new();
        for (si, span) in sentences.iter().enumerate() {
            while mi < sorted.len() && sorted[mi].start < span.start {
                mi += 1;
            }
            let n = sorted[mi..].iter().take_while(|m| m.end <= span.end).count();
            let in_sentence = &sorted[mi..mi + n];
            // A sentence with no name and no date has nothing to code or
            // schedule: its words are not even split.
            let first_date = dates.partition_point(|d| d.start < span.start);
            let dated = dates[first_date..]
                .iter()
                .take_while(|d| d.start < span.end)
                .any(|d| d.end <= span.end);
            if in_sentence.is_empty() && !dated {
                continue;
            }
            let ws = words(text, *span, &mut lower);
            if let Some((value, date_text)) = meeting_schedule(text, &ws, dates, *span) {
                schedules.push((si, value, date_text));
            }
            if in_sentence.is_empty() {
                continue;
            }
            let actors = actors(&ws, in_sentence, &self.lexicon.agents);
            if actors.is_empty() {
                continue;
            }
            let groups = groups(&ws, &actors);
            // The topics of the sentences before are read, this one's is set.
            let (before, here) = topics.split_at_mut(si);
            let topic = &mut here[0];
            let antecedent = before.iter().rev().take(2).find_map(|t| t.as_deref());
            let found = self.triggers_in(&ws);
            for (ti, start, end) in found {
                // "Meeting" in "ASEAN Defence Ministers' Meeting" names a body, not an act.
                if in_sentence.iter().any(|m| m.start <= ws[start].start && ws[start].start < m.end)
                {
                    continue;
                }
                let trig = &self.lexicon.triggers[ti];
                let trigger_text = &text[ws[start].start..ws[end - 1].end];
                let outcome = self.assemble(trig, &ws, &actors, &groups, start, end, antecedent);
                // "SRC CODE TGT" of each event made, for `explain`.
                let mut made = vec![];
                let mut made_any = false;
                let reason = match outcome {
                    Err(r) => Some(r),
                    Ok(Assembled { pairs, subject }) => {
                        let (date, date_text) =
                            attach_date(text, dates, *span, ws[start].start, dct);
                        for (s, t, code) in pairs {
                            if s.code == t.code {
                                continue;
                            }
                            made_any = true;
                            if explain.is_some() {
                                made.push(format!("{} {} {}", s.code, code, t.code));
                            }
                            let c = self.lexicon.cameo.get(code);
                            // An event is (source, code, target, date).
                            let key = FxBuildHasher.hash_one((&s.code, &code, &t.code, &date));
                            let same = |&i: &usize| {
                                let e: &Event = &events[i];
                                e.source_code == s.code
                                    && e.code == code
                                    && e.target_code == t.code
                                    && e.date == date
                            };
                            let found =
                                std::iter::successors(by_key.get(&key).copied(), |&i| same_hash[i])
                                    .find(same);
                            if let Some(i) = found {
                                if last_sentence[i] != si {
                                    events[i].mentions += 1;
                                    last_sentence[i] = si;
                                }
                                continue;
                            }
                            same_hash.push(by_key.insert(key, events.len()));
                            last_sentence.push(si);
                            events.push(Event {
                                sentence: si,
                                date: date.clone(),
                                date_text: date_text.clone(),
                                source: s.name.to_string().into(),
                                source_code: s.code.to_string().into(),
                                source_agent: s.agent.to_string().into(),
                                code: code.into(),
                                label: c.map_or("", |c| &c.label).into(),
                                target: t.name.to_string().into(),
                                target_code: t.code.to_string().into(),
                                target_agent: t.agent.to_string().into(),
                                quad_class: c.map_or(0, |c| c.quad_class),
                                goldstein: c.map_or(0.0, |c| c.goldstein),
                                mentions: 1,
                                trigger: trigger_text.into(),
                                rule: trig.id.as_str().into(),
                                evidence: text[span.start..span.end].into(),
                            });
                        }
                        if made_any {
                            *topic = Some(subject.to_vec());
                            None
                        } else {
                            Some("source and target are the same actor".to_string())
                        }
                    }
                };
                if let Some(x) = explain.as_deref_mut() {
                    x.push(Explanation {
                        sentence: si,
                        rule: trig.id.clone(),
                        trigger: trigger_text.to_string(),
                        events: made,
                        reason,
                    });
                }
            }
            if topic.is_none() {
                *topic = clause_start_topic(&ws, &groups);
            }
        }
        date_scheduled_meetings(&mut events, &schedules);
        merge_duplicates(merge_undated(events))
    }

    /// Non-overlapping trigger matches in a sentence: (trigger, start, end),
    /// the longest first at each position, then the earliest rule.
    fn triggers_in(&self, ws: &[Word]) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::with_capacity(8);
        for i in 0..ws.len() {
            if ws[i].punct {
                continue;
            }
            for &ti in self.first_word_triggers(ws[i].lower) {
                // `by_first` has matched the first token (a word, never
                // optional): only the rest is matched here.
                let rest = &self.lexicon.triggers[ti].toks[1..];
                if let Some(end) = match_at(rest, ws, i + 1) {
                    found.push((ti, i, end));
                }
            }
        }
        // The most specific match wins: more literal words, then the longer
        // span, then the more detailed code, then the earlier position.
        let literal = |ti: usize| {
            self.lexicon.triggers[ti]
                .toks
                .iter()
                .filter(|t| matches!(t, lexicon::Tok::Word { .. }))
                .count()
        };
        found.sort_by_key(|&(ti, s, e)| {
            let code_len = self.lexicon.triggers[ti].code.len();
            (
                std::cmp::Reverse(literal(ti)),
                std::cmp::Reverse(e - s),
                std::cmp::Reverse(code_len),
                s,
                ti,
            )
        });
        let mut out: Vec<(usize, usize, usize)> = Vec::with_capacity(found.len());
        for f in found {
            if out.iter().all(|o| f.2 <= o.1 || f.1 >= o.2) {
                out.push(f);
            }
        }
        out.sort_by_key(|&(_, s, _)| s);
        out
    }

    /// Source and target groups, and the code after modality.
    /// `antecedent` is the topic of the sentences before, which a subject
    /// "it", "they" or "the ministry" stands for.
    #[allow(clippy::too_many_arguments)]
    fn assemble<'a, 'm, 'l>(
        &self,
        trig: &'l Trigger,
        ws: &[Word],
        actors: &[Actor],
        groups: &[&'a [Actor<'m>]],
        start: usize,
        end: usize,
        antecedent: Option<&'a [Actor<'m>]>,
    ) -> Result<Assembled<'a, 'm, 'l>, String> {
        let before = || ws[start.saturating_sub(4)..start].iter().map(|w| w.lower);
        let negated = before().any(|w| negation(w) || w.ends_with("n't"));
        let refused = before().any(refusal_word);
        let mut code = trig.code.as_str();
        let mut reverse = trig.reverse.as_deref();
        let reciprocal = trig.reciprocal && !refused;
        if refused {
            code = refusal_code(code);
            reverse = None;
        } else if negated {
            return Err("negated".into());
        } else if !trig.no_intent
            && (before().any(intent_word) || headline_infinitive(ws, actors, start))
        {
            code = intent_code(code);
            reverse = reverse.map(intent_code);
        }

        let passive =
            trig.passive && ws[start.saturating_sub(2)..start].iter().any(|w| passive_aux(w.lower));
        let subject: Option<&'a [Actor<'m>]> = subject_group(ws, groups, start)
            .or_else(|| antecedent.filter(|_| anaphor_before(ws, start)));
        let (sources, targets): (&'a [Actor<'m>], &'a [Actor<'m>]) = if passive {
            let by = (end..(end + 3).min(ws.len())).find(|&i| ws[i].lower == "by");
            let Some(by) = by else { return Err("passive without an agent (\"by …\")".into()) };
            let agent = groups.iter().find(|g| g[0].first > by && g[0].first <= by + 3);
            let Some(agent) = agent else { return Err("no actor after \"by\"".into()) };
            let Some(subject) = subject else {
                return Err("no subject before the passive verb".into());
            };
            (*agent, subject)
        } else {
            let Some(subject) = subject else {
                return Err("no source: no actor before the trigger".into());
            };
            let target = target_group(ws, groups, trig, start, end, subject);
            match target {
                Some(t) => (subject, t),
                None if subject.len() >= 2
                    && (reciprocal || reverse.is_some() || mutual_object(ws, start, end)) =>
                {
                    let mut pairs = vec![];
                    for a in subject {
                        for b in subject {
                            if a.code != b.code {
                                pairs.push((a, b, code));
                            }
                        }
                    }
                    return Ok(Assembled { pairs, subject });
                }
                None => return Err("no target: no actor after the trigger".into()),
            }
        };
        let mut pairs = Vec::with_capacity(sources.len() * targets.len() * 2);
        for s in sources {
            for t in targets {
                pairs.push((s, t, code));
                if reciprocal {
                    pairs.push((t, s, code));
                } else if let Some(r) = reverse {
                    pairs.push((t, s, r));
                }
            }
        }
        Ok(Assembled { pairs, subject: sources })
    }
}

/// "Gondor and Osgiliath renewed diplomatic ties": an object that is a
/// relation between the subjects makes a compound act on each other.
fn mutual_object(ws: &[Word], start: usize, end: usize) -> bool {
    let after = &ws[(start + 1).min(ws.len())..(end + 4).min(ws.len())];
    after.iter().any(|w| matches!(w.lower, "ties" | "relations" | "each"))
        && !after.iter().any(|w| clause_break(w.lower))
}

/// What a trigger gave: (source, target, code) triples and the actors
/// that acted (the sentence's topic from then on).
struct Assembled<'a, 'm, 'l> {
    pairs: Vec<(&'a Actor<'m>, &'a Actor<'m>, &'l str)>,
    subject: &'a [Actor<'m>],
}

word_set! {
    /// Words that stand for an actor named before: "it", "they", "the ministry".
    fn anaphor = [
        "it", "they", "he", "she",
    ];
}
word_set! {
    fn anaphoric_noun = [
        "ministry", "government", "country", "company", "agency", "corporation", "administration",
    ];
}

/// Whether the trigger's clause has an anaphoric subject before it: a
/// pronoun or "the ministry" not governed by a preposition, with no clause
/// break between it and the trigger.
fn anaphor_before(ws: &[Word], start: usize) -> bool {
    for i in (start.saturating_sub(8)..start).rev() {
        let w = ws[i].lower;
        if clause_break(w) || w == "that" {
            return false;
        }
        let prev = if i > 0 { ws[i - 1].lower } else { "" };
        if preposition(prev) {
            continue;
        }
        if anaphor(w) || (prev == "the" && anaphoric_noun(w)) {
            return true;
        }
    }
    false
}

/// A sentence's topic when no trigger named one: the first actor group
/// that opens a clause ("On Monday, Japan's NEC announced…"), within three
/// words of the sentence start or a comma, and not a prepositional object.
fn clause_start_topic<'m>(ws: &[Word], groups: &[&[Actor<'m>]]) -> Option<Vec<Actor<'m>>> {
    groups
        .iter()
        .find(|g| {
            let f = g[0].first;
            let lead = ws[..f].iter().rev().take_while(|w| !matches!(w.lower, "," | ";" | ":"));
            lead.count() <= 3 && !prepositional_object(ws, &g[0])
        })
        .map(|g| g.to_vec())
}

word_set! {
    /// Nouns naming a meeting, whose scheduling sentence dates it.
    fn meeting_noun = [
        "summit", "meeting", "talks", "visit", "conference", "negotiations", "dialogue",
        "consultations", "trip",
    ];
}

/// "The aforementioned summit will take place on the 7th": a sentence that
/// opens with a meeting noun and schedules it gives the meeting's date.
fn meeting_schedule(
    text: &str,
    ws: &[Word],
    dates: &[DateRef],
    span: Span,
) -> Option<(String, String)> {
    let noun = ws.iter().take(6).position(|w| meeting_noun(w.lower))?;
    let rest: Vec<&str> = ws[noun + 1..(noun + 7).min(ws.len())].iter().map(|w| w.lower).collect();
    let scheduled = rest.windows(2).any(|p| {
        matches!(
            (p[0], p[1]),
            ("take" | "takes" | "took" | "taking", "place")
                | ("be" | "been" | "is" | "was" | "are" | "were", "held" | "scheduled" | "slated")
        )
    }) || rest.iter().any(|w| matches!(*w, "scheduled" | "slated"));
    if !scheduled {
        return None;
    }
    let d = dates
        .iter()
        .filter(|d| d.start >= span.start && d.end <= span.end)
        .find(|d| !d.value.ends_with("_REF") && !d.value.starts_with('P'))?;
    Some((d.value.clone(), text[d.start..d.end].to_string()))
}

/// Dates the meeting a scheduling sentence speaks of: the events of the
/// latest earlier sentence with a meeting or intent code (03, 04) that had
/// no date of their own (none, or only the article's).
fn date_scheduled_meetings(events: &mut [Event<'_>], schedules: &[(usize, String, String)]) {
    for (si, value, date_text) in schedules {
        let undated = |e: &Event<'_>| {
            e.sentence < *si
                && matches!(&e.code[..2], "03" | "04")
                && (e.date.is_empty() || e.date_text == "(article date)")
        };
        let Some(target) = events.iter().filter(|e| undated(e)).map(|e| e.sentence).max() else {
            continue;
        };
        for e in events.iter_mut().filter(|e| e.sentence == target && undated(e)) {
            e.date = value.clone().into();
            e.date_text = format!("{date_text} (sentence {si})").into();
        }
    }
}

/// Merges rows that became the same event after dating.
fn merge_duplicates(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // The first row of each (source, code, target, date), keyed by the
    // rows' own strings rather than clones of them.
    let mut first: HashMap<(&str, &str, &str, &str), usize, FxBuildHasher> =
        HashMap::with_capacity_and_hasher(events.len(), FxBuildHasher);
    let firsts: Vec<usize> = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let key = (&*e.source_code, &*e.code, &*e.target_code, &*e.date);
            *first.entry(key).or_insert(i)
        })
        .collect();
    let mut out: Vec<Event<'_>> = Vec::with_capacity(first.len());
    drop(first);
    // Where each first row went in `out`.
    let mut slot = vec![0; events.len()];
    for (i, e) in events.into_iter().enumerate() {
        if firsts[i] == i {
            slot[i] = out.len();
            out.push(e);
        } else {
            out[slot[firsts[i]]].mentions += e.mentions;
        }
    }
    out
}

/// An event with no date at all (no date in its sentence, no article
/// date) is the same act told again as the first dated report of the same
/// pair with the same root or verb ("Japan joined NATO…" over "On November
/// 4 … Japan will formally join"): it takes that report's date, and
/// `merge_duplicates` then counts it there when the tuples agree.
fn merge_undated(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // The dated events of each (source, target), in order; an undated
    // event that takes a date joins them for the ones after it.
    // Pairs are numbered first, keyed by the rows' own strings rather
    // than clones of them (the rows' dates change below, not their pairs).
    let mut ids: HashMap<(&str, &str), usize, FxBuildHasher> =
        HashMap::with_capacity_and_hasher(events.len(), FxBuildHasher);
    let pair_of: Vec<usize> = events
        .iter()
        .map(|e| {
            let next = ids.len();
            *ids.entry((&*e.source_code, &*e.target_code)).or_insert(next)
        })
        .collect();
    let mut dated: Vec<Vec<usize>> = vec![vec![]; ids.len()];
    drop(ids);
    for i in (0..events.len()).filter(|&i| !events[i].date.is_empty()) {
        dated[pair_of[i]].push(i);
    }
    for i in 0..events.len() {
        if !events[i].date.is_empty() {
            continue;
        }
        let e = &events[i];
        let pair = &mut dated[pair_of[i]];
        let told = pair
            .iter()
            .map(|&d| &events[d])
            .find(|d| d.code[..2] == e.code[..2] || same_verb(&d.trigger, &e.trigger));
        if let Some(d) = told {
            let (date, text) =
                (d.date.clone(), format!("{} (sentence {})", d.date_text, d.sentence));
            events[i].date = date;
            events[i].date_text = text.into();
            let at = pair.partition_point(|&d| d < i);
            pair.insert(at, i);
        }
    }
    events
}

/// Whether two triggers start with forms of one verb ("joined", "join").
fn same_verb(a: &str, b: &str) -> bool {
    let first = |s: &str| s.split_whitespace().next().unwrap_or("").to_lowercase();
    let (a, b) = (first(a), first(b));
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    common >= 4 && common + 3 >= a.chars().count().min(b.chars().count())
}

/// "Japan, US to discuss cyber defence": a headline's "ACTOR to VERB" is
/// an announced act.
fn headline_infinitive(ws: &[Word], actors: &[Actor], start: usize) -> bool {
    start >= 2 && ws[start - 1].lower == "to" && actors.iter().any(|a| a.last == start - 2)
}

/// The intent code CAMEO uses for a cooperative act announced, not done.
fn intent_code(code: &str) -> &str {
    match &code[..2] {
        "04" => "036",
        "05" => "030",
        "06" => "031",
        "07" => "033",
        "08" => "035",
        _ => code,
    }
}

/// The rejection code for a refused act.
fn refusal_code(code: &str) -> &str {
    match &code[..2] {
        "03" | "04" => "125",
        "06" => "121",
        "07" => "122",
        "08" => "124",
        _ => "120",
    }
}

/// Maps mentions to word indexes and merges neighbours naming one actor
/// ("Japan's Defence Minister Nobuo Kishi"), each with its agent.
fn actors<'m>(ws: &[Word], mentions: &[&'m Mention], agents: &'m Agents) -> Vec<Actor<'m>> {
    let lower: Vec<&str> = ws.iter().map(|w| w.lower).collect();
    let mut out: Vec<Actor> = Vec::with_capacity(mentions.len());
    for m in mentions {
        let code = m.actor_code();
        if code.is_empty() {
            continue;
        }
        let Some(first) = ws.iter().position(|w| w.end > m.start) else { continue };
        let last = ws.iter().rposition(|w| w.start < m.end).unwrap_or(first).max(first);
        // A demonym counts only before a noun or as a noun ("the Chinese").
        if m.form == Form::Combining {
            continue;
        }
        let name = &*m.canonical;
        let (agent, led) = agent_of_mention(&lower, first, last, m, agents);
        if let Some(prev) = out.last_mut() {
            let gap = &ws[prev.last + 1..first.max(prev.last + 1)];
            let titles = gap.len() <= 4
                && gap
                    .iter()
                    .all(|w| !w.punct && (w.lower == "the" || is_title_word(w) || w.lower == "'s"));
            // "Association of Southeast Asian Nations (ASEAN)".
            let bracketed = gap.len() == 1 && gap[0].lower == "(";
            if prev.code == code && (first <= prev.last + 1 || titles || bracketed) {
                prev.last = last;
                if m.kind == EntityType::Person || m.kind == EntityType::Org {
                    prev.name = name;
                }
                if prev.agent.is_empty() {
                    prev.agent = agent;
                }
                continue;
            }
        }
        out.push(Actor { first, last, code, name, agent, led });
    }
    out
}

/// The agent of a mention over words `first..=last`: an agent phrase right
/// after it ("Arnorian police", "Japan's foreign minister") or before it
/// through of/from/in ("soldiers from Gondor"), else the entity's own
/// (a national ministry's, a minister's).
/// International organisations take none: their code says what they are.
/// Also whether an agent phrase before it opens the clause (see
/// [`Actor::led`]).
fn agent_of_mention<'m>(
    lower: &[&str],
    first: usize,
    last: usize,
    m: &'m Mention,
    agents: &'m Agents,
) -> (&'m str, bool) {
    let mut before = first;
    if before > 0 && lower[before - 1] == "the" {
        before -= 1;
    }
    let led_by = (before > 1 && matches!(lower[before - 1], "of" | "from" | "in"))
        .then(|| agents.ending_at(lower, before - 1))
        .flatten();
    let led = led_by.is_some_and(|(_, s)| opens_clause(lower[..s].iter().copied()));
    let national = !m.country.is_empty() && m.actor == m.country;
    if !national {
        return ("", led);
    }
    let mut after = last + 1;
    if lower.get(after) == Some(&"'s") {
        after += 1;
    }
    if let Some((a, _)) = agents.at(lower, after) {
        return (&a.code, led);
    }
    match led_by {
        Some((a, _)) => (&a.code, led),
        None => (&m.agent, led),
    }
}

/// Whether a noun phrase after the words `before` (lower-case) opens its
/// clause: at most two of them (articles aside) after the sentence start or
/// the last comma, semicolon or colon.
fn opens_clause<'w>(before: impl DoubleEndedIterator<Item = &'w str>) -> bool {
    let lead = before.rev().take_while(|w| !matches!(*w, "," | ";" | ":"));
    lead.filter(|w| !matches!(*w, "the" | "a" | "an")).count() <= 2
}

/// Title words that may stand between a country and the person it
/// qualifies ("Japan's Defence Minister Nobuo Kishi").
fn is_title_word(w: &Word) -> bool {
    matches!(
        w.lower,
        "defence"
            | "defense"
            | "foreign"
            | "minister"
            | "prime"
            | "president"
            | "secretary"
            | "spokesperson"
            | "spokesman"
            | "spokeswoman"
            | "premier"
            | "chancellor"
            | "state"
            | "counterpart"
            | "ministry"
            | "chief"
            | "general"
            | "admiral"
            | "ambassador"
            | "deputy"
            | "vice"
            | "senior"
            | "official"
            | "officials"
            | "leader"
            | "king"
            | "queen"
    )
}

/// Groups actors joined by "and", "&", "or" and commas into compounds:
/// runs of neighbouring actors, as slices of `actors`.
fn groups<'a, 'm>(ws: &[Word], actors: &'a [Actor<'m>]) -> Vec<&'a [Actor<'m>]> {
    let mut out: Vec<&[Actor]> = Vec::with_capacity(actors.len());
    // The run being read, with whether a conjunction (not only commas)
    // joins it: "Australia, Britain and Indonesia" is a list, "Mark Rutte,
    // the NATO chief," an apposition, whose actors stand alone.
    let (mut from, mut conj) = (0, false);
    let close = |out: &mut Vec<&'a [Actor<'m>]>, run: &'a [Actor<'m>], conj: bool| {
        if conj {
            out.push(run);
        } else {
            out.extend(run.chunks(1));
        }
    };
    for i in 1..actors.len() {
        match joins(ws, &actors[i - 1], &actors[i]) {
            Some(c) => conj |= c,
            None => {
                close(&mut out, &actors[from..i], conj);
                (from, conj) = (i, false);
            }
        }
    }
    if from < actors.len() {
        close(&mut out, &actors[from..], conj);
    }
    out
}

/// Whether actor `a` joins the group of `prev`, the actor before it, by
/// "and", "&", "or", commas or a hyphen, and if so whether a conjunction
/// (not only commas) joins them.
fn joins(ws: &[Word], prev: &Actor, a: &Actor) -> Option<bool> {
    // "ASEAN-Japan": two actors in one hyphenated word.
    if a.first == prev.last {
        return Some(true);
    }
    let gap = &ws[prev.last + 1..a.first.max(prev.last + 1)];
    let joined = !gap.is_empty()
        && gap.len() <= 3
        && gap.iter().all(|w| matches!(w.lower, "," | "and" | "&" | "the" | "or"))
        && gap.iter().any(|w| matches!(w.lower, "," | "and" | "&" | "or"));
    joined.then(|| gap.iter().any(|w| matches!(w.lower, "and" | "&" | "or")))
}

/// The nearest group before the trigger that is not a prepositional object
/// and is not cut off by a clause break.
fn subject_group<'g, 'm>(
    ws: &[Word],
    groups: &[&'g [Actor<'m>]],
    start: usize,
) -> Option<&'g [Actor<'m>]> {
    for g in groups.iter().rev() {
        let last = g.last().unwrap().last;
        if last >= start {
            continue;
        }
        if ws[last + 1..start].iter().any(|w| clause_break(w.lower)) {
            return None;
        }
        if !prepositional_object(ws, &g[0]) {
            return Some(g);
        }
    }
    None
}

word_set! {
    /// People who act for their country: "Soldiers from Gondor", "Lawmakers
    /// in Fornost", "The ambassadors of Arnor" open a clause with the actor.
    fn agent_noun = [
        "soldiers", "troops", "forces", "officials", "lawmakers", "legislators", "diplomats",
        "ambassadors", "envoys", "leaders", "ministers", "authorities", "police", "activists",
        "representatives", "delegates", "delegations", "negotiators", "militants", "rebels",
    ];
}

/// "Soldiers from Gondor have cordoned off…": the actor after an agent
/// noun that opens the clause is its subject, not a prepositional object.
fn agent_of(ws: &[Word], prep: usize) -> bool {
    if prep == 0 || !matches!(ws[prep].lower, "from" | "of" | "in") {
        return false;
    }
    let noun = (prep.saturating_sub(3)..prep).rev().find(|&i| agent_noun(ws[i].lower));
    let Some(noun) = noun else { return false };
    opens_clause(ws[..noun].iter().map(|w| w.lower))
}

/// An object of a preposition: "of (the) China", not "On Tuesday Japan",
/// nor "Rights groups in Egypt" (an agent phrase opening the clause).
fn prepositional_object(ws: &[Word], a: &Actor) -> bool {
    if a.led {
        return false;
    }
    let mut k = a.first;
    while k > 0
        && matches!(
            ws[k - 1].lower,
            "the"
                | "a"
                | "an"
                | "its"
                | "their"
                | "south"
                | "north"
                | "east"
                | "west"
                | "southern"
                | "northern"
                | "eastern"
                | "western"
                | "central"
        )
    {
        k -= 1;
    }
    k > 0 && preposition(ws[k - 1].lower) && !agent_of(ws, k - 1)
}

/// The target group after (or inside) the trigger, with a list in
/// apposition standing for the group it names ("six members of ASEAN –
/// Indonesia, Vietnam…").
fn target_group<'g, 'm>(
    ws: &[Word],
    groups: &[&'g [Actor<'m>]],
    trig: &Trigger,
    start: usize,
    end: usize,
    subject: &[Actor],
) -> Option<&'g [Actor<'m>]> {
    let g = direct_target(ws, groups, trig, start, end, subject)
        .or_else(|| prepositional_target(ws, groups, trig, end, subject))?;
    Some(apposed_list(ws, groups, g).unwrap_or(g))
}

fn direct_target<'g, 'm>(
    ws: &[Word],
    groups: &[&'g [Actor<'m>]],
    trig: &Trigger,
    start: usize,
    end: usize,
    subject: &[Actor],
) -> Option<&'g [Actor<'m>]> {
    let limit = (end + 12).min(ws.len());
    let candidates = groups.iter().filter(|g| {
        let f = g[0].first;
        f > start && f < limit && !subject.iter().any(|s| std::ptr::eq(s, &g[0]))
    });
    for g in candidates {
        let f = g[0].first;
        if f >= end && ws[end..f].iter().any(|w| clause_break(w.lower)) {
            return None;
        }
        let lead = || ws[f.saturating_sub(3).max(start)..f].iter().map(|w| w.lower);
        if trig.reciprocal && subject.len() >= 2 {
            // "Japan and Vietnam signed a pact to counter China": the
            // compound is both sides; a partner needs "with".
            let preps: &[&str] = if trig.target_preps.is_empty() { &["with"] } else { &[] };
            let partner =
                lead().any(|w| preps.contains(&w) || trig.target_preps.iter().any(|p| p == w));
            return partner.then_some(g);
        }
        if trig.target_preps.is_empty() {
            // The object: an actor inside the trigger or right after it.
            if f < end || f - end <= 4 {
                return Some(g);
            }
            if lead().any(|w| matches!(w, "with" | "to" | "against" | "on" | "between")) {
                return Some(g);
            }
        } else if lead().any(|w| trig.target_preps.iter().any(|p| p == w)) || f < end {
            return Some(g);
        }
    }
    None
}

/// "providing defence for officials from institutions in Vietnam": the
/// trigger's own preposition opens a noun phrase whose first actor is the
/// target, up to 16 words on and within the clause.
fn prepositional_target<'g, 'm>(
    ws: &[Word],
    groups: &[&'g [Actor<'m>]],
    trig: &Trigger,
    end: usize,
    subject: &[Actor],
) -> Option<&'g [Actor<'m>]> {
    if trig.target_preps.is_empty() || (trig.reciprocal && subject.len() >= 2) {
        return None;
    }
    let stop = |w: &Word| clause_break(w.lower) || w.lower == ",";
    let mut p = end;
    while p < ws.len().min(end + 4) {
        if stop(&ws[p]) {
            return None;
        }
        if trig.target_preps.iter().any(|t| *t == ws[p].lower) {
            break;
        }
        p += 1;
    }
    if p >= ws.len().min(end + 4) {
        return None;
    }
    let g = *groups.iter().find(|g| g[0].first > p && g[0].first <= p + 16)?;
    if subject.iter().any(|s| std::ptr::eq(s, &g[0]))
        || ws[p + 1..g[0].first].iter().any(|w| clause_break(w.lower))
    {
        return None;
    }
    Some(g)
}

/// A list of two or more actors right after a group and a dash or colon
/// names its members: "ASEAN (ASEAN) – Indonesia, Vietnam and Laos".
fn apposed_list<'g, 'm>(
    ws: &[Word],
    groups: &[&'g [Actor<'m>]],
    g: &[Actor],
) -> Option<&'g [Actor<'m>]> {
    let mut k = g.last()?.last + 1;
    if ws.get(k).is_some_and(|w| w.lower == ")") {
        k += 1;
    }
    if !ws.get(k).is_some_and(|w| matches!(w.lower, "–" | "—" | ":")) {
        return None;
    }
    groups.iter().find(|h| h[0].first == k + 1 && h.len() >= 2).copied()
}

/// The date nearest the trigger in the sentence, else the article's date.
fn attach_date<'a>(
    text: &'a str,
    dates: &[DateRef],
    span: Span,
    at: usize,
    dct: Option<NaiveDate>,
) -> (Cow<'a, str>, Cow<'a, str>) {
    // `dates` are sorted by start: look only at the sentence's, not at
    // every date of the document for every trigger.
    let first = dates.partition_point(|d| d.start < span.start);
    let best = dates[first..]
        .iter()
        .take_while(|d| d.start < span.end)
        .filter(|d| d.end <= span.end)
        .filter(|d| !d.value.ends_with("_REF") && !d.value.starts_with('P'))
        .min_by_key(|d| if d.start >= at { d.start - at } else { at - d.end });
    match best {
        Some(d) => (d.value.clone().into(), text[d.start..d.end].into()),
        None => match dct {
            Some(d) => (d.format("%Y-%m-%d").to_string().into(), "(article date)".into()),
            None => ("".into(), "".into()),
        },
    }
}

#[cfg(test)]
mod tests;
