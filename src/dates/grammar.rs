//! The date grammar: named regex rules grouped by kind (absolute dates,
//! relative days, weekdays, units, quarters/seasons, years, vague references,
//! times, durations, sets). Each rule pairs a pattern with an interpreter that
//! reads its captures, rejects false friends from the surrounding text and
//! asks `resolve` for the value. The rule name is what users see as
//! provenance, so it reads like the pattern it matches.

use chrono::{Datelike, NaiveDate, Weekday};
use rayon::prelude::*;
use regex_automata::meta::{self, Regex};
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::{Anchored, Input, PatternID};
use std::borrow::Cow;

use super::context::{tense_around, word_after, word_before};
use super::prefilter as t;
use super::resolve::{self as r, Direction};
use super::TimexKind;

/// One tagged piece produced by a rule (most rules produce exactly one; a
/// range such as "2004-2007" produces one per end).
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub start: usize,
    pub end: usize,
    pub value: String,
    pub kind: TimexKind,
}

/// What an interpreter may look at besides its captures.
pub(crate) struct Ctx<'t> {
    pub text: &'t str,
    pub dct: Option<NaiveDate>,
    pub day_first: bool,
    /// The last quarter resolved in this document, the anchor of
    /// "the year-earlier quarter", "a year ago" in earnings reports.
    pub last_quarter: Option<(i32, u32)>,
    /// The last day-level date resolved in this document, the day of a bare
    /// clock time ("the blast came at 10:35 a.m.").
    pub last_day: Option<NaiveDate>,
    /// The last year named or resolved in this document, the year of
    /// "that year", "later that year".
    pub last_year: Option<i32>,
}

impl Ctx<'_> {
    fn tense(&self, c: &Captures) -> Direction {
        let m = c.get(0).expect("group 0");
        tense_around(self.text, m.start(), m.end())
    }
}

type Interpret = fn(&Captures, &mut Ctx) -> Option<Vec<Piece>>;

/// The groups of one match of a rule, read like `regex::Captures`.
pub(crate) struct Captures<'h> {
    hay: &'h str,
    slots: regex_automata::util::captures::Captures,
}

/// A match of a rule or of one of its groups, read like `regex::Match`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Match<'h> {
    hay: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn as_str(&self) -> &'h str {
        &self.hay[self.start..self.end]
    }
}

impl<'h> Captures<'h> {
    /// Group `i` (0: the whole match), if it took part.
    pub fn get(&self, i: usize) -> Option<Match<'h>> {
        let span = self.slots.get_group(i)?;
        Some(Match { hay: self.hay, start: span.start, end: span.end })
    }

    /// The group called `name`, if it took part. The few names of a rule
    /// are compared in turn, which costs less than hashing `name`.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        let mut names = self.slots.group_info().pattern_names(PatternID::ZERO);
        self.get(names.position(|n| n == Some(name))?)
    }
}

/// The text of the group called `name`; panics if it took no part.
impl std::ops::Index<&str> for Captures<'_> {
    type Output = str;

    fn index(&self, name: &str) -> &str {
        self.name(name).map(|m| m.as_str()).unwrap_or_else(|| panic!("no group {name:?}"))
    }
}

/// The groups of the match of `re` that starts at `start` in `hay`, if any.
pub(crate) fn captures_at<'h>(re: &Regex, hay: &'h str, start: usize) -> Option<Captures<'h>> {
    let mut slots = re.create_captures();
    re.search_captures(&Input::new(hay).range(start..).anchored(Anchored::Yes), &mut slots);
    slots.is_match().then_some(Captures { hay, slots })
}

/// How many captures each thread remembers before it starts afresh.
const REMEMBERED: usize = 1 << 14;

/// Captures taken on one thread (see [`captures_of`]): the groups' offsets
/// from the match's start, by `memo_key`; and the buffer keys are made in.
#[derive(Default)]
struct Taken {
    offsets: rustc_hash::FxHashMap<Box<[u8]>, Box<[Option<u32>]>>,
    key: Vec<u8>,
}

thread_local! {
    static TAKEN: std::cell::RefCell<Taken> = Default::default();
}

/// The groups of `rule`'s match `start..end` in `hay` (its regex `re`
/// matches there: the search found it).
///
/// Taking captures costs more than the search that found the match, and
/// news repeats its date phrases ("last year", "Monday", "2019"), so each
/// thread remembers the groups it took. The patterns look outside a match
/// only through ASCII `\b`, which reads the byte before it and the byte
/// after it, so the same rule on the same text between the same bytes has
/// the same groups at the same offsets from its start, wherever it is.
pub(crate) fn captures_of<'h>(
    rule: usize,
    re: &Regex,
    hay: &'h str,
    start: usize,
    end: usize,
) -> Captures<'h> {
    TAKEN.with_borrow_mut(|Taken { offsets: known, key }| {
        memo_key(key, rule, hay.as_bytes(), start, end);
        if let Some(offsets) = known.get(key.as_slice()) {
            let mut slots = re.create_captures();
            slots.set_pattern(Some(PatternID::ZERO));
            for (slot, offset) in slots.slots_mut().iter_mut().zip(offsets.iter()) {
                *slot = offset.and_then(|o| NonMaxUsize::new(start + o as usize));
            }
            return Captures { hay, slots };
        }
        let caps = captures_at(re, hay, start).expect("the candidate matches");
        debug_assert_eq!(caps.get(0).map(|m| (m.start(), m.end())), Some((start, end)));
        if known.len() >= REMEMBERED {
            known.clear();
        }
        // Offsets fit a u32 in any match shorter than 4 GiB (all of them).
        if let Ok(offsets) = caps
            .slots
            .slots()
            .iter()
            .map(|s| s.map(|s| u32::try_from(s.get() - start)).transpose())
            .collect()
        {
            known.insert(key.as_slice().into(), offsets);
        }
        caps
    })
}

/// Writes into `key` what decides a match's groups: the rule, the bytes
/// just before and after the match (or their absence) and the match.
fn memo_key(key: &mut Vec<u8>, rule: usize, hay: &[u8], start: usize, end: usize) {
    let side = |b: Option<&u8>| b.map_or([0, 0], |&b| [1, b]);
    key.clear();
    key.extend_from_slice(&(rule as u32).to_le_bytes());
    key.extend_from_slice(&side(start.checked_sub(1).and_then(|i| hay.get(i))));
    key.extend_from_slice(&side(hay.get(end)));
    key.extend_from_slice(&hay[start..end]);
}

/// Compiles a pattern as `regex::Regex::new` would (same limits, same
/// semantics), with or without literal prefilters. A rule that searches
/// short windows gains little from one, and extracting and compiling them
/// was half of the grammar's start-up; a rule that searches whole texts
/// keeps it.
pub(crate) fn compile(pattern: &str, prefilter: bool) -> Result<Regex, String> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(10 << 20))
        .hybrid_cache_capacity(2 << 20)
        .auto_prefilter(prefilter);
    Regex::builder().configure(config).build(pattern).map_err(|e| e.to_string())
}

/// A named pattern with its interpreter.
#[derive(Clone)]
pub(crate) struct Rule {
    pub name: &'static str,
    /// Trigger groups (`prefilter`) of which every match holds one.
    pub trigger: u64,
    /// Groups of which every match also holds one (0: none asked): a
    /// window with no such hit is not searched ("that" is common, "that
    /// day" rare).
    pub also: u64,
    /// Most units (`prefilter::Units`) a match can span; `None`: unbounded.
    pub reach: Option<usize>,
    pub re: Regex,
    pub interpret: Interpret,
    /// Matched texts that `interpret` rejects whatever the captures hold,
    /// tested first: taking the captures costs more than the search.
    pub rejects: fn(&str) -> bool,
}

// ------------------------------------------------------------ fragments

/// Month names, capitalised or upper case ("may" and "march" in lower case
/// are verbs); abbreviations may carry a dot.
pub(crate) const MONTH: &str = r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|JUN|JUL|AUG|SEPT|SEP|OCT|NOV|DEC)\b\.?)";
/// Month names that can stand alone (no bare three-letter abbreviation).
pub(crate) const MONTH_ALONE: &str = r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.)";
const WEEKDAY: &str = r"(?-i:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)\b)";
const WEEKDAY_ABBR: &str = r"(?-i:(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.)";
const DAY: &str = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b";
const YEAR: &str = r"(?:(?:1[0-9]|20)\d\d\b|nineteen[\s-]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?\b|(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b))";
const NUM: &str = r"(?:\d+(?:\.\d+)?|a\s+few|a\s+couple\s+of|a\s+half|half\s+a|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|four|five|six|seven|eight|nine)|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|few|several|many)";
const UNIT: &str =
    r"(?:years?|months?|weeks?|days?|decades?|centuries|century|hours?|minutes?|quarters?)";
const TZ: &str = r"(?-i:[ECMP][SD]T|GMT|UTC|IST|BST|CET|CEST|EET|JST|AEST|AEDT|HKT|SGT|MSK)";

/// Expands `@NAME` placeholders into the fragments above.
fn pat(p: &str) -> String {
    let body = p
        .replace("@MONTHA", MONTH_ALONE)
        .replace("@MONTH", MONTH)
        .replace("@WDA", WEEKDAY_ABBR)
        .replace("@WD", WEEKDAY)
        .replace("@DAY", DAY)
        .replace("@YEAR", YEAR)
        .replace("@NUM", NUM)
        .replace("@UNIT", UNIT)
        .replace("@TZ", TZ);
    // ASCII word boundaries: with Unicode ones the lazy DFA gives up on any
    // non-ASCII text (curly quotes, dashes, accents) and a far slower engine
    // takes over (20x slower on news with typographic quotes).
    format!(r"(?i)\b{body}").replace(r"\b", r"(?-u:\b)")
}

/// A rule before its pattern is compiled.
struct Spec {
    name: &'static str,
    trigger: u64,
    also: u64,
    pattern: &'static str,
    interpret: Interpret,
    rejects: fn(&str) -> bool,
}

fn rule(name: &'static str, trigger: u64, pattern: &'static str, interpret: Interpret) -> Spec {
    Spec { name, trigger, also: 0, pattern, interpret, rejects: |_| false }
}

/// A bare number ("12", "2021"), which `clock_time` never takes (it needs
/// a minute after `:`, a.m./p.m. or a time zone); "clock time" proposes one
/// at nearly every number of a text.
pub(crate) fn bare_number(m: &str) -> bool {
    m.bytes().all(|b| b.is_ascii_digit())
}

/// All rules; on equal spans the earlier rule wins. Their regexes are
/// compiled in parallel (together they are a large part of start-up).
pub(crate) fn rules() -> Vec<Rule> {
    specs()
        .into_par_iter()
        .map(|Spec { name, trigger, also, pattern, interpret, rejects }| {
            let pattern = pat(pattern);
            let reach = t::max_units(&pattern);
            let re =
                compile(&pattern, reach.is_none()).unwrap_or_else(|e| panic!("rule {name:?}: {e}"));
            Rule { name, trigger, also, reach, re, interpret, rejects }
        })
        .collect()
}

fn specs() -> Vec<Spec> {
    vec![
        // --- absolute dates
        rule(
            "iso date",
            t::DIGIT_SEP,
            r"(?P<year>(?:1[0-9]|20)\d\d)-(?P<mm>[01]\d)-(?P<dd>[0-3]\d)(?:[T ](?P<hh>[0-2]\d):(?P<mi>[0-5]\d)(?::[0-5]\d)?)?\b",
            iso_date,
        ),
        rule(
            "numeric date",
            t::DIGIT_SEP,
            r"(?P<a>[0-3]?\d)(?P<s1>[/.-])(?P<b>[0-3]?\d)(?P<s2>[/.-])(?P<y>\d{4}|\d\d)\b",
            numeric_date,
        ),
        rule(
            "month day, year",
            t::MONTH,
            r"(?:(?P<wd>@WD|@WDA),?\s+)?(?P<month>@MONTH)\s*(?:the\s+)?(?P<day>@DAY)(?:,\s*|\s+)(?:of\s+)?(?P<year>@YEAR)",
            month_day_year,
        ),
        rule(
            "day month year",
            t::MONTH,
            r"(?:(?P<wd>@WD|@WDA),?\s+)?(?:the\s+)?(?P<day>@DAY)\s+(?:of\s+)?(?P<month>@MONTH),?\s+(?P<year>@YEAR)",
            month_day_year,
        ),
        rule(
            "month day-day",
            t::MONTH,
            r"(?P<month>@MONTH)\s*(?P<day>@DAY)\s*(?:-|–|to|through|and|or)\s*(?P<d2>@DAY)",
            month_day_range,
        ),
        rule(
            "month day",
            t::MONTH,
            r"(?:(?P<wd>@WD|@WDA),?\s+)?(?P<month>@MONTH)\s*(?:the\s+)?(?P<day>@DAY)",
            month_day,
        ),
        rule(
            "day month",
            t::MONTH,
            r"(?:(?P<wd>@WD|@WDA),?\s+)?(?:the\s+)?(?P<day>@DAY)\s+(?:of\s+)?(?P<month>@MONTH)",
            month_day,
        ),
        rule(
            "month year",
            t::MONTH,
            r"(?:(?P<mod>early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+start\s+of)[\s-]*)?(?P<month>@MONTH),?\s+(?:of\s+)?(?:(?P<year>@YEAR)|'(?P<yy>\d\d)\b)",
            month_year,
        ),
        Spec {
            also: t::YEAR_WORD,
            ..rule(
                "month this|last|next year",
                t::MONTH,
                r"(?P<month>@MONTH)\s+(?:of\s+)?(?P<rel>this|last|next)\s+year\b",
                month_rel_year,
            )
        },
        rule(
            "month",
            t::MONTH,
            r"(?:(?P<mod>early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+start\s+of)[\s-]*)?(?:(?P<rel>last|next|this\s+past|this\s+coming|this|coming|past)\s+)?(?P<month>@MONTHA)",
            month_alone,
        ),
        rule(
            "holiday",
            t::HOLIDAY,
            r"(?:(?P<rel>last|this|next)\s+)?(?P<h>Christmas(?:\s+(?:Day|Eve))?|New\s+Year'?s(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?|Election\s+Day|Independence\s+Day|Halloween|Valentine'?s\s+Day|Easter(?:\s+Sunday)?|Labor\s+Day|Memorial\s+Day|Veterans'?\s+Day|Boxing\s+Day)\b(?:,?\s+(?P<year>@YEAR))?",
            holiday,
        ),
        // --- relative days
        rule(
            "yesterday|today|tomorrow",
            t::RELDAY,
            r"(?:(?P<mod>early|earlier|late|later|mid-?|the\s+day\s+before|the\s+day\s+after)\s*)?(?P<rel>today|yesterday|tomorrow|tonight)(?:'s)?(?:\s+(?P<part>morning|afternoon|evening|night))?\b",
            relative_day,
        ),
        rule(
            "this|last <part of day>",
            t::PART,
            r"(?:(?P<mod>early|late|later|earlier)\s+)?(?P<rel>this|last|tomorrow|yesterday)\s+(?P<part>morning|afternoon|evening|night)\b",
            part_of_day,
        ),
        rule(
            "<part of day> <day>",
            t::PART,
            r"(?P<part>(?:mid-?)?morning|(?:mid-?)?afternoon|evening|night)\s+(?:(?P<rel>yesterday|today|tomorrow)|(?P<wd>@WD))",
            part_of_day,
        ),
        // --- weekdays
        rule(
            "weekday",
            t::WEEKDAY,
            r"(?:(?P<rel>last|next|this\s+past|this\s+coming|this|coming|past|early|late|earlier|later|the\s+previous|the\s+following|the\s+next)\s+)?(?P<wd>@WD)(?:'s)?(?:\s+(?P<part>morning|afternoon|evening|night))?",
            weekday,
        ),
        // --- relative units
        rule(
            "N units ago",
            t::AGO,
            r"(?:(?P<approx>about|nearly|almost|some|more\s+than|less\s+than|only|just|roughly|around|over|barely)\s+)?(?P<num>@NUM)[\s-]+(?P<unit>@UNIT)(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from\s+now|hence)\b",
            units_ago,
        ),
        rule(
            "year-earlier <period>",
            t::YEAR_WORD,
            r"(?:the\s+)?(?:comparable\s+|same\s+)?(?P<which>year-earlier|year-ago|year\s+earlier|year\s+ago|prior-year|year-before)(?:\s+(?:(?P<ord>first|second|third|fourth|fiscal)[\s-]+)?(?P<unit>quarter|period|month|year)\b)?",
            year_earlier,
        ),
        rule(
            "this|last|next <unit>",
            t::CAL_UNIT,
            r"(?:(?P<mod>earlier|later|early|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+rest\s+of|the\s+remainder\s+of|mid)[\s-]*(?:in\s+)?)?(?P<rel>this|last|next|the\s+past|the\s+coming|the\s+previous|the\s+following|the\s+current|the\s+last|the\s+next|the\s+full|the\s+latest|the\s+most\s+recent|the)\s+(?P<unit>week|month|year|decade|century|weekend|fiscal\s+year|calendar\s+year)\b",
            relative_unit,
        ),
        rule(
            "<month|unit>'s Nth",
            t::MONTH_WORD,
            r"(?P<rel>this|last|next)\s+month'?s\s+(?P<day>@DAY)",
            nth_day,
        ),
        Spec {
            also: t::MONTH_WORD,
            ..rule(
                "the Nth[/Mth] of this|last|next month",
                t::ORDINAL,
                r"the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:/|-|–|and|or|to)\s*(?P<d2>\d{1,2}))?(?:st|nd|rd|th)\s+of\s+(?P<rel>this|last|next)\s+month\b",
                nth_day,
            )
        },
        rule(
            "the Nth/Mth",
            t::ORDINAL,
            r"the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*(?:/|-|–|and|or)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)\b",
            nth_day,
        ),
        rule("the Nth", t::ORDINAL, r"(?:the\s+)(?P<day>\d{1,2})(?:st|nd|rd|th)\b", nth_day),
        Spec {
            also: t::UNIT,
            ..rule(
                "that day|year",
                t::THAT,
                r"(?:(?P<mod>earlier|later)\s+)?that\s+(?:same\s+)?(?P<unit>day|year)\b",
                that_unit,
            )
        },
        // --- quarters, halves, seasons, fiscal years
        rule(
            "<ordinal> quarter",
            t::QUARTER,
            r"(?:(?P<pre>the|its|this\s+year'?s|last\s+year'?s|next\s+year'?s)\s+)?(?:(?P<y1>(?:1[0-9]|20)\d\d)(?:'s)?\s+)?(?:(?:fiscal|calendar)[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final)[\s-]+(?:fiscal[\s-]+)?quarter\b(?:\s+(?:of\s+)?(?:(?:fiscal|calendar)\s+)?(?:(?P<y2>(?:1[0-9]|20)\d\d\b)|(?P<rel>this|last|next)\s+year\b))?",
            ordinal_quarter,
        ),
        rule(
            "Qn year",
            t::Q_DIGIT,
            r"(?-i:Q(?P<q>[1-4])|(?P<q2>[1-4])Q)\b(?:[\s-]*(?:(?P<y>(?:1[0-9]|20)\d\d)|'(?P<yy>\d\d))\b)?",
            q_notation,
        ),
        rule(
            "the <year> quarter",
            t::QUARTER,
            r"the\s+(?P<y>(?:1[0-9]|20)\d\d)\s+(?:fiscal\s+)?(?:quarter|period)\b",
            year_quarter,
        ),
        rule("year-end", t::YEAR_WORD, r"(?:the\s+)?year(?:-|\s+|'s\s+)end\b", year_end),
        rule(
            "this|last|the latest quarter",
            t::QUARTER,
            r"(?P<det>the\s+latest|the\s+most\s+recent|the\s+last|the\s+current|the\s+previous|the\s+same|the\s+next|the\s+coming|this|last|next|that|its|the)\s+(?:(?:fiscal|calendar|three-month|latest)\s+){0,3}(?P<unit>quarter|period)\b",
            relative_quarter,
        ),
        rule(
            "<ordinal> half",
            t::HALF,
            r"(?:(?P<pre>the|this\s+year'?s|last\s+year'?s|next\s+year'?s)\s+)?(?P<ord>first|second|1st|2nd|latter)\s+half\b(?:\s+of\s+(?:(?P<year>(?:1[0-9]|20)\d\d\b)|(?P<rel>this|last|next)\s+year\b|the\s+year\b))?",
            half,
        ),
        rule(
            "Hn year",
            t::H_DIGIT,
            r"(?-i:H(?P<h>[12]))\b(?:[\s-]*(?:(?P<y>(?:1[0-9]|20)\d\d)|'(?P<yy>\d\d))\b)?",
            h_notation,
        ),
        rule(
            "season",
            t::SEASON,
            r"(?:(?P<rel>last|this\s+past|this\s+coming|this|next|the\s+past|the\s+coming|early|late|mid-?|the\s+early|the\s+late|the)[\s-]*)?(?P<season>spring|summer|fall|autumn|winter)\b(?:\s+(?:of\s+)?(?P<year>@YEAR))?",
            season,
        ),
        rule(
            "fiscal year",
            t::FISCAL,
            r"(?:fiscal(?:\s+year)?|FY)\s*'?(?P<year>(?:1[0-9]|20)\d\d|\d\d)\b",
            fiscal_year,
        ),
        // --- years, decades, centuries
        rule(
            "year-year",
            t::YEAR4,
            r"(?P<y1>(?:1[0-9]|20)\d\d)\s*(?:-|–|—|/|to|through|until|and)\s*(?P<y2>(?:1[0-9]|20)\d\d|\d\d)\b",
            year_range,
        ),
        rule(
            "year",
            t::YEAR4 | t::SPELLED,
            r"(?:(?P<mod>early|late|mid|pre|post|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+year|calendar)[\s-]*)?(?P<year>@YEAR|two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?\b)",
            year,
        ),
        rule(
            "decade",
            t::DECADE,
            r"(?:(?P<the>the)\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?:(?P<cent>1[0-9]|20)?(?P<dec>\d)0'?s\b|'(?P<d2>\d)0s\b|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b)",
            decade,
        ),
        rule(
            "Nth century",
            t::CENTURY,
            r"(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<w>eighteenth|nineteenth|twentieth|twenty-first|twenty\s+first))[\s-]+century\b",
            century,
        ),
        // --- vague references
        rule(
            "now|currently",
            t::PRESENT,
            r"(?:right\s+now|now|currently|current|these\s+days|nowadays|at\s+present|at\s+the\s+moment|the\s+present\s+time|presently)\b",
            present_ref,
        ),
        rule(
            "recently|the past",
            t::PAST,
            r"(?:(?:more|most|until|only)\s+)?(?:recently|the\s+past|recent\s+(?:years|months|weeks|days|times|decades|quarters))\b",
            past_ref,
        ),
        rule(
            "the future",
            t::FUTURE,
            r"(?:the\s+(?:near\s+|distant\s+|foreseeable\s+)?future|(?:the\s+)?(?:coming|future)\s+(?:years|months|weeks|days|decades|quarters)|a\s+later\s+date|the\s+(?:near|short)\s+term|as\s+soon\s+as\s+possible)\b",
            future_ref,
        ),
        // --- times of day
        Spec {
            rejects: bare_number,
            ..rule(
                "clock time",
                t::DIGIT,
                r"(?:(?P<approx>around|about|approximately)\s+)?(?P<h>[01]?\d|2[0-3])(?:[:.](?P<m>[0-5]\d))?(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?(?:\s*(?P<tz>@TZ)\b)?(?:,?\s+(?:on\s+)?(?:(?P<rd>today|yesterday|tomorrow|tonight)\b|(?P<wd>@WD)|(?P<month>@MONTH)\s*(?P<day>@DAY)))?",
                clock_time,
            )
        },
        rule(
            "N in the morning",
            t::PART,
            r"(?P<h>[1-9]|1[0-2])(?::(?P<m>[0-5]\d))?\s+(?:o'clock\s+)?in\s+the\s+(?P<part>morning|afternoon|evening)\b",
            clock_in_the,
        ),
        rule(
            "noon|midnight",
            t::NOON,
            r"(?P<nm>noon|midnight|midday)(?:\s+(?:on\s+)?(?:(?P<rd>today|yesterday|tomorrow)\b|(?P<wd>@WD)))?",
            clock_time,
        ),
        // --- durations and sets
        rule(
            "N units",
            t::UNIT,
            r"(?:(?P<pre>the\s+past|the\s+last|the\s+next|the\s+coming|the\s+first|the\s+final|another|more\s+than|less\s+than|about|nearly|almost|some|at\s+least|roughly|around|over|only|just|up\s+to)\s+)?(?P<num>@NUM)[\s-]+(?P<unit>@UNIT)(?:[\s-]+(?:long|old))?\b",
            duration,
        ),
        rule(
            "ISO duration",
            t::PT_DIGIT,
            r"(?-i:P(?:\d+[YMWD])+(?:T\d+[HMS])?|PT\d+[HMS])\b",
            iso_duration,
        ),
        rule(
            "every <unit>",
            t::EVERY,
            r"(?:(?:every|each|per)\s+(?:(?P<num>@NUM)\s+)?(?:(?P<unit>@UNIT)|(?P<wd>@WD))|(?P<adv>daily|weekly|monthly|annually|yearly|quarterly|hourly|nightly)\b)",
            set,
        ),
    ]
}

// ------------------------------------------------------------ helpers

fn whole(c: &Captures, value: String, kind: TimexKind) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    Some(vec![Piece { start: m.start(), end: m.end(), value, kind }])
}

fn date(c: &Captures, value: String) -> Option<Vec<Piece>> {
    whole(c, value, TimexKind::Date)
}

/// The capture `name` in lower case, its words joined by one space:
/// borrowed when it is written so already, as most are (interpreters call
/// this for nearly every candidate), else built in one allocation.
pub(crate) fn lower<'h>(c: &Captures<'h>, name: &str) -> Option<Cow<'h, str>> {
    c.name(name).map(|m| {
        let s = m.as_str();
        let b = s.as_bytes();
        // Already lower case, printable ASCII, with single spaces between
        // words (any other white space, or text, goes the long way).
        let plain = b.iter().enumerate().all(|(i, &c)| match c {
            b' ' => i > 0 && b.get(i + 1).is_some_and(|&next| next != b' '),
            _ => c.is_ascii_graphic() && !c.is_ascii_uppercase(),
        });
        if plain {
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(m.len());
        for word in s.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out.make_ascii_lowercase();
        Cow::Owned(out)
    })
}

fn month_num(s: &str) -> Option<u32> {
    let s = s.to_ascii_lowercase();
    let k = s.get(..3)?;
    Some(match k {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    })
}

fn weekday_of(s: &str) -> Option<Weekday> {
    let s = s.to_ascii_lowercase();
    Some(match s.get(..3)? {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

fn day_num(s: &str) -> Option<u32> {
    let d: u32 = s.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn word_num(w: &str) -> Option<i64> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        _ => return None,
    })
}

/// "three", "twenty-five", "2.5", "a" → Some(n); "several", "a few" → None.
fn parse_num(s: &str) -> Option<f64> {
    let s = s.to_ascii_lowercase();
    if let Ok(v) = s.parse::<f64>() {
        return Some(v);
    }
    if s.contains("half") {
        return Some(0.5);
    }
    let mut total = 0i64;
    for w in s.split(|c: char| c == '-' || c.is_whitespace()) {
        if w.is_empty() {
            continue;
        }
        total += word_num(w)?;
    }
    Some(total as f64)
}

/// A year written in digits or as "nineteen ninety-six".
fn parse_year(s: &str) -> Option<i32> {
    if let Ok(y) = s.parse::<i32>() {
        return Some(y);
    }
    let s = s.to_ascii_lowercase();
    let mut words = s.split(|c: char| c == '-' || c.is_whitespace()).filter(|w| !w.is_empty());
    let century = word_num(words.next()?)?;
    let mut rest = 0;
    for w in words {
        rest += word_num(w)?;
    }
    Some((century * 100 + rest) as i32)
}

fn unit_of(s: &str) -> &'static str {
    let s = s.to_ascii_lowercase();
    match s.trim_end_matches('s') {
        "year" => "year",
        "month" => "month",
        "week" => "week",
        "day" => "day",
        "decade" => "decade",
        "centurie" | "century" => "century",
        "hour" => "hour",
        "minute" => "minute",
        "quarter" => "quarter",
        _ => "",
    }
}

/// True when a number-like token continues right after `end` (so the match
/// is part of a bigger number: "2,000", "1998.5", "24/7").
fn digits_follow(text: &str, end: usize) -> bool {
    let b = text.as_bytes();
    match b.get(end) {
        Some(c) if c.is_ascii_digit() => true,
        Some(b',' | b'.' | b'/' | b':') => b.get(end + 1).is_some_and(u8::is_ascii_digit),
        Some(b'%') => true,
        _ => false,
    }
}

fn digits_precede(text: &str, start: usize) -> bool {
    let b = text.as_bytes();
    if start == 0 {
        return false;
    }
    match b[start - 1] {
        c if c.is_ascii_digit() => true,
        b'$' | b'#' => true,
        b',' | b'.' | b'/' | b':' => start >= 2 && b[start - 2].is_ascii_digit(),
        b'-' => start >= 2 && (b[start - 2].is_ascii_alphanumeric()),
        _ => text[..start].ends_with('£') || text[..start].ends_with('€'),
    }
}

fn dct_or_x(ctx: &Ctx) -> Option<NaiveDate> {
    ctx.dct
}

fn with_day(d: Option<NaiveDate>, month: u32, day: u32) -> String {
    match d {
        Some(d) => r::day_value(d),
        None => format!("XXXX-{month:02}-{day:02}"),
    }
}

// ------------------------------------------------------------ absolute dates

fn iso_date(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    if digits_precede(ctx.text, m.start()) || digits_follow(ctx.text, m.end()) {
        return None;
    }
    let y: i32 = c["year"].parse().ok()?;
    let d = NaiveDate::from_ymd_opt(y, c["mm"].parse().ok()?, c["dd"].parse().ok()?)?;
    match (c.name("hh"), c.name("mi")) {
        (Some(h), Some(mi)) => {
            whole(c, format!("{}T{}:{}", r::day_value(d), h.as_str(), mi.as_str()), TimexKind::Time)
        }
        _ => date(c, r::day_value(d)),
    }
}

fn numeric_date(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    if c["s1"] != c["s2"] || digits_precede(ctx.text, m.start()) || digits_follow(ctx.text, m.end())
    {
        return None;
    }
    let ys = &c["y"];
    if ys.len() == 2 && &c["s1"] != "/" {
        return None;
    }
    let mut y: i32 = ys.parse().ok()?;
    if ys.len() == 2 {
        y += if y < 30 { 2000 } else { 1900 };
    }
    if !(1900..=2099).contains(&y) {
        return None;
    }
    let a: u32 = c["a"].parse().ok()?;
    let b: u32 = c["b"].parse().ok()?;
    let (mut mo, mut d) = if ctx.day_first { (b, a) } else { (a, b) };
    if mo > 12 && d <= 12 {
        std::mem::swap(&mut mo, &mut d);
    }
    let dt = NaiveDate::from_ymd_opt(y, mo, d)?;
    date(c, r::day_value(dt))
}

fn month_day_year(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    if digits_follow(ctx.text, m.end()) {
        return None;
    }
    let y = parse_year(c.name("year")?.as_str())?;
    let mo = month_num(&c["month"])?;
    let d = day_num(&c["day"])?;
    let dt = NaiveDate::from_ymd_opt(y, mo, d)?;
    date(c, r::day_value(dt))
}

/// The year of a day-month without one; a weekday named with it ("Tuesday,
/// Nov. 23") picks the year in which the two agree.
fn resolve_day_month(c: &Captures, ctx: &Ctx, mo: u32, d: u32) -> Option<String> {
    let Some(dct) = dct_or_x(ctx) else {
        return Some(with_day(None, mo, d));
    };
    if let Some(wd) = c.name("wd").and_then(|w| weekday_of(w.as_str())) {
        let y = dct.year();
        for yy in [y, y - 1, y + 1] {
            if let Some(dt) = NaiveDate::from_ymd_opt(yy, mo, d).filter(|x| x.weekday() == wd) {
                return Some(r::day_value(dt));
            }
        }
    }
    let y = r::year_of_day_month(mo, d, dct, ctx.tense(c));
    NaiveDate::from_ymd_opt(y, mo, d).map(r::day_value)
}

fn month_day(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    let text = ctx.text;
    if digits_follow(text, m.end()) || digits_precede(text, m.start()) {
        return None;
    }
    let after = word_after(text, m.end()).to_ascii_lowercase();
    if matches!(after.as_str(), "percent" | "per" | "million" | "billion" | "points" | "pct") {
        return None;
    }
    let mo = month_num(&c["month"])?;
    let d = day_num(&c["day"])?;
    let v = resolve_day_month(c, ctx, mo, d)?;
    date(c, v)
}

fn month_day_range(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    if digits_follow(ctx.text, m.end()) {
        return None;
    }
    let after = word_after(ctx.text, m.end()).to_ascii_lowercase();
    if matches!(after.as_str(), "percent" | "million" | "billion" | "points") {
        return None;
    }
    let mo = month_num(&c["month"])?;
    let d1 = day_num(&c["day"])?;
    let d2m = c.name("d2")?;
    let d2 = day_num(d2m.as_str())?;
    if d2 <= d1 {
        return None;
    }
    let v1 = resolve_day_month(c, ctx, mo, d1)?;
    let v2 = match v1.get(..4) {
        Some(y) if !y.starts_with('X') => {
            let y: i32 = y.parse().ok()?;
            r::day_value(NaiveDate::from_ymd_opt(y, mo, d2)?)
        }
        _ => with_day(None, mo, d2),
    };
    let first_end = c.name("day")?.end();
    Some(vec![
        Piece { start: m.start(), end: first_end, value: v1, kind: TimexKind::Date },
        Piece { start: d2m.start(), end: d2m.end(), value: v2, kind: TimexKind::Date },
    ])
}

fn month_year(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    if digits_follow(ctx.text, m.end()) {
        return None;
    }
    let mo = month_num(&c["month"])?;
    let y = match (c.name("year"), c.name("yy")) {
        (Some(y), _) => parse_year(y.as_str())?,
        (None, Some(yy)) => {
            let v: i32 = yy.as_str().parse().ok()?;
            v + if v < 30 { 2000 } else { 1900 }
        }
        _ => return None,
    };
    date(c, r::month_value(y, mo))
}

fn month_rel_year(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let mo = month_num(&c["month"])?;
    let Some(dct) = ctx.dct else {
        return date(c, format!("XXXX-{mo:02}"));
    };
    let y = dct.year()
        + match &*lower(c, "rel")? {
            "last" => -1,
            "next" => 1,
            _ => 0,
        };
    date(c, r::month_value(y, mo))
}

/// Words before a bare month name that make it a date ("in May", "since
/// March") rather than a verb or a surname ("may be", "Theresa May").
const MONTH_PREPS: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "of",
    "during",
    "through",
    "from",
    "to",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "between",
    "and",
    "or",
    "last",
    "next",
    "this",
    "that",
    "each",
    "every",
    "for",
    "on",
    "around",
    "throughout",
    "in-",
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "into",
];

fn month_alone(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    let text = ctx.text;
    let month = c.name("month")?;
    let mo = month_num(month.as_str())?;
    let modified = c.name("mod").is_some() || c.name("rel").is_some();
    if !modified {
        let before = word_before(text, m.start());
        let after = word_after(text, m.end());
        let prep = MONTH_PREPS.contains(&before.to_ascii_lowercase().as_str());
        // "June Carter", "April Ryan": a capitalised word right after.
        if after.chars().next().is_some_and(char::is_uppercase)
            && !text[m.end()..].starts_with([',', '.', ';'])
            && !prep
        {
            return None;
        }
        let ambiguous = matches!(mo, 3 | 5) || month.as_str().len() <= 4;
        if ambiguous && !prep {
            return None;
        }
        // "Theresa May", "Jean April": a capitalised word right before.
        if !prep
            && before.chars().next().is_some_and(char::is_uppercase)
            && !text[..m.start()].trim_end().ends_with(['.', '"', ','])
        {
            return None;
        }
    }
    let Some(dct) = ctx.dct else {
        return date(c, format!("XXXX-{mo:02}"));
    };
    let rel = lower(c, "rel").unwrap_or_default();
    let y = match &*rel {
        "last" | "this past" | "past" => {
            if mo < dct.month() {
                dct.year()
            } else {
                dct.year() - 1
            }
        }
        "next" | "this coming" | "coming" => {
            if mo > dct.month() {
                dct.year()
            } else {
                dct.year() + 1
            }
        }
        "this" => dct.year(),
        _ => r::year_of_month(mo, dct, ctx.tense(c)),
    };
    date(c, r::month_value(y, mo))
}

fn holiday(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let name = lower(c, "h")?.replace('\u{2019}', "'");
    let canon = if name.starts_with("christmas eve") {
        "christmas eve"
    } else if name.starts_with("christmas") {
        "christmas"
    } else if name.starts_with("new year") && name.ends_with("eve") {
        "new year's eve"
    } else if name.starts_with("new year") {
        "new year's day"
    } else if name.starts_with("thanksgiving") {
        "thanksgiving"
    } else if name.starts_with("easter") {
        "easter"
    } else if name.starts_with("valentine") {
        "valentine's day"
    } else if name.starts_with("veteran") {
        "veterans day"
    } else {
        match name.as_str() {
            "election day" => "election day",
            "independence day" => "independence day",
            "halloween" => "halloween",
            "labor day" => "labor day",
            "memorial day" => "memorial day",
            "boxing day" => "boxing day",
            _ => return None,
        }
    };
    let year = match c.name("year") {
        Some(y) => parse_year(y.as_str())?,
        None => {
            let Some(dct) = ctx.dct else {
                let d = r::holiday(canon, 2000)?;
                return date(c, format!("XXXX-{:02}-{:02}", d.month(), d.day()));
            };
            let this = r::holiday(canon, dct.year())?;
            match lower(c, "rel").as_deref() {
                Some("last") => {
                    if this < dct {
                        dct.year()
                    } else {
                        dct.year() - 1
                    }
                }
                Some("next") => {
                    if this > dct {
                        dct.year()
                    } else {
                        dct.year() + 1
                    }
                }
                Some(_) => dct.year(),
                None => match ctx.tense(c) {
                    Direction::Past if this > r::add_days(dct, 7) => dct.year() - 1,
                    Direction::Future if this < dct => dct.year() + 1,
                    _ => dct.year(),
                },
            }
        }
    };
    date(c, r::day_value(r::holiday(canon, year)?))
}

// ------------------------------------------------------------ relative days

fn part_code(part: &str) -> &'static str {
    let p = part.trim_start_matches("mid-").trim_start_matches("mid");
    match p {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        _ => "NI",
    }
}

fn relative_day(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let rel = lower(c, "rel")?;
    let mut shift = match &*rel {
        "yesterday" => -1,
        "tomorrow" => 1,
        _ => 0,
    };
    match lower(c, "mod").as_deref() {
        Some("the day before") => shift -= 1,
        Some("the day after") => shift += 1,
        _ => {}
    }
    let Some(dct) = ctx.dct else {
        let v = match shift {
            0 => "PRESENT_REF",
            s if s < 0 => "PAST_REF",
            _ => "FUTURE_REF",
        };
        return date(c, v.to_string());
    };
    let d = r::day_value(r::add_days(dct, shift));
    match lower(c, "part") {
        Some(p) => whole(c, format!("{d}T{}", part_code(&p)), TimexKind::Time),
        None => date(c, d),
    }
}

fn part_of_day(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let part = lower(c, "part")?;
    let dct = ctx.dct?;
    let day = if let Some(wd) = c.name("wd").and_then(|w| weekday_of(w.as_str())) {
        r::weekday_date(wd, dct, ctx.tense(c))
    } else {
        let rel = lower(c, "rel")?;
        match (&*rel, &*part) {
            ("yesterday", _) => r::add_days(dct, -1),
            ("tomorrow", _) => r::add_days(dct, 1),
            ("last", "night") | ("last", "evening") => r::add_days(dct, -1),
            ("last", _) => return None,
            _ => dct,
        }
    };
    whole(c, format!("{}T{}", r::day_value(day), part_code(&part)), TimexKind::Time)
}

// ------------------------------------------------------------ weekdays

fn weekday(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let wd = weekday_of(&c["wd"])?;
    let rel = lower(c, "rel").unwrap_or_default();
    let Some(dct) = ctx.dct else {
        let n = wd.num_days_from_monday() + 1;
        return date(c, format!("XXXX-WXX-{n}"));
    };
    let d = match &*rel {
        "last" | "this past" | "past" | "the previous" => r::weekday_strict(wd, dct, false),
        "next" | "this coming" | "coming" | "the following" | "the next" => {
            r::weekday_strict(wd, dct, true)
        }
        _ => {
            let dir = match ctx.tense(c) {
                Direction::Future => Direction::Future,
                _ => Direction::Past,
            };
            r::weekday_date(wd, dct, dir)
        }
    };
    // TimeBank's convention: "Friday night", "Tuesday morning" are dated by
    // their day; evenings and afternoons keep the part of the day.
    match lower(c, "part").as_deref() {
        Some(p @ ("evening" | "afternoon")) => {
            whole(c, format!("{}T{}", r::day_value(d), part_code(p)), TimexKind::Time)
        }
        _ => date(c, r::day_value(d)),
    }
}

// ------------------------------------------------------------ relative units

fn units_ago(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let unit = unit_of(&c["unit"]);
    let dir = lower(c, "dir")?;
    let back = matches!(&*dir, "ago" | "earlier");
    let Some(n) = parse_num(&c["num"]) else {
        return date(c, if back { "PAST_REF" } else { "FUTURE_REF" }.to_string());
    };
    let n = n.round() as i64;
    let sign = if back { -1 } else { 1 };
    // Earnings reports: "a year earlier" / "a year ago" next to a quarter.
    if let Some((y, q)) = ctx.last_quarter.filter(|_| unit == "year" && n == 1) {
        let (yy, qq) = r::add_quarters(y, q, 4 * sign as i32);
        return date(c, r::quarter_value(yy, qq));
    }
    let Some(dct) = ctx.dct else {
        return date(c, if back { "PAST_REF" } else { "FUTURE_REF" }.to_string());
    };
    let unit = match unit {
        "hour" | "minute" => "day",
        u => u,
    };
    let v = r::shifted_value(dct, unit, sign * n)?;
    date(c, v)
}

fn prior_quarter(ctx: &Ctx) -> Option<(i32, u32)> {
    if let Some(q) = ctx.last_quarter {
        return Some(q);
    }
    let dct = ctx.dct?;
    Some(r::add_quarters(dct.year(), r::quarter_of_month(dct.month()), -1))
}

fn year_earlier(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let unit = lower(c, "unit").unwrap_or_default();
    let quarterly = match &*unit {
        "quarter" | "period" => true,
        "" => ctx.last_quarter.is_some(),
        _ => false,
    };
    if quarterly {
        let (y, q) = prior_quarter(ctx)?;
        let q = match lower(c, "ord").as_deref() {
            Some("first") => 1,
            Some("second") => 2,
            Some("third") => 3,
            Some("fourth") => 4,
            _ => q,
        };
        return date(c, r::quarter_value(y - 1, q));
    }
    let dct = ctx.dct?;
    if unit == "month" {
        let (y, m) = r::add_months(dct.year(), dct.month(), -12);
        return date(c, r::month_value(y, m));
    }
    date(c, r::year_value(dct.year() - 1))
}

fn relative_unit(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let rel = lower(c, "rel")?;
    let unit = lower(c, "unit")?;
    let modded = c.name("mod").is_some();
    let m = c.get(0)?;
    // "the year" alone is the current one ("for the year", "earlier in the
    // year"); "the year-ago quarter" is another rule's.
    let the_year = unit == "year" && !ctx.text[m.end()..].starts_with('-');
    if rel == "the" && !modded && !the_year && !matches!(&*unit, "weekend" | "fiscal year") {
        return None;
    }
    let Some(dct) = ctx.dct else {
        let v = match &*rel {
            "last" | "the past" | "the previous" | "the last" => "PAST_REF",
            "next" | "the coming" | "the following" | "the next" => "FUTURE_REF",
            _ => "PRESENT_REF",
        };
        return date(c, v.to_string());
    };
    let shift: i64 = match &*rel {
        "last" | "the past" | "the previous" | "the last" => -1,
        "next" | "the coming" | "the following" | "the next" => 1,
        "the latest" | "the most recent" if unit.ends_with("year") => -1,
        _ => 0,
    };
    let v = match &*unit {
        "weekend" => {
            let sat = match shift {
                -1 => r::weekday_strict(Weekday::Sat, dct, false),
                1 => r::weekday_strict(Weekday::Sat, dct, true),
                _ => match ctx.tense(c) {
                    Direction::Future => r::weekday_date(Weekday::Sat, dct, Direction::Future),
                    _ => r::weekday_date(Weekday::Sat, dct, Direction::Past),
                },
            };
            format!("{}-WE", r::week_value(sat))
        }
        "fiscal year" | "calendar year" => r::year_value(dct.year() + shift as i32),
        u => r::shifted_value(dct, u, shift)?,
    };
    date(c, v)
}

fn nth_day(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    let d = day_num(&c["day"])?;
    let d2 = match c.name("d2") {
        Some(x) => Some((x, day_num(x.as_str()).filter(|&v| v > d)?)),
        None => None,
    };
    let rel = lower(c, "rel");
    if rel.is_none() {
        // "the 7th" only as a date when nothing noun-like follows
        // ("the 37th time", "the 7th fleet" are no dates).
        let after = word_after(ctx.text, m.end()).to_ascii_lowercase();
        let rest = ctx.text[m.end()..].trim_start();
        let next_is_word = rest.starts_with(|ch: char| ch.is_alphanumeric());
        if next_is_word
            && !matches!(
                after.as_str(),
                "of" | "and" | "or" | "to" | "through" | "at" | "this" | "next" | "last" | "until"
            )
        {
            return None;
        }
    }
    let value = |day: u32| -> Option<String> {
        let Some(dct) = ctx.dct else {
            return Some(format!("XXXX-XX-{day:02}"));
        };
        let (y, mo) = match rel.as_deref() {
            Some("last") => r::add_months(dct.year(), dct.month(), -1),
            Some("next") => r::add_months(dct.year(), dct.month(), 1),
            Some(_) => (dct.year(), dct.month()),
            None => match ctx.tense(c) {
                Direction::Past if d > dct.day() + 1 => r::add_months(dct.year(), dct.month(), -1),
                Direction::Future if d < dct.day() => r::add_months(dct.year(), dct.month(), 1),
                _ => (dct.year(), dct.month()),
            },
        };
        Some(r::day_value(NaiveDate::from_ymd_opt(y, mo, day)?))
    };
    let first = value(d)?;
    let Some((d2m, d2)) = d2 else {
        return date(c, first);
    };
    // "the 7/8th of this month": one date for each day.
    let second = value(d2)?;
    Some(vec![
        Piece { start: m.start(), end: c.name("day")?.end(), value: first, kind: TimexKind::Date },
        Piece { start: d2m.start(), end: m.end(), value: second, kind: TimexKind::Date },
    ])
}

/// "that year", "later that day": the year or day last named.
fn that_unit(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    match &*lower(c, "unit")? {
        "day" => date(c, r::day_value(ctx.last_day?)),
        _ => date(c, r::year_value(ctx.last_year?)),
    }
}

// ------------------------------------------------------------ quarters etc.

fn ordinal(s: &str) -> Option<u32> {
    Some(match s {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" | "final" => 4,
        _ => return None,
    })
}

fn ordinal_quarter(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let q = ordinal(&lower(c, "ord")?)?;
    let year = if let Some(y) = c.name("y1").or(c.name("y2")) {
        Some(parse_year(y.as_str())?)
    } else {
        let pre = lower(c, "pre").unwrap_or_default();
        let rel = lower(c, "rel").unwrap_or_default();
        ctx.dct.map(|dct| {
            if pre.starts_with("this year") || rel == "this" {
                dct.year()
            } else if pre.starts_with("last year") || rel == "last" {
                dct.year() - 1
            } else if pre.starts_with("next year") || rel == "next" {
                dct.year() + 1
            } else {
                r::year_of_quarter(q, dct, ctx.tense(c))
            }
        })
    };
    let Some(year) = year else {
        return date(c, format!("XXXX-Q{q}"));
    };
    ctx.last_quarter = Some((year, q));
    date(c, r::quarter_value(year, q))
}

fn short_year(c: &Captures, ctx: &Ctx) -> Option<i32> {
    if let Some(y) = c.name("y") {
        return y.as_str().parse().ok();
    }
    if let Some(yy) = c.name("yy") {
        let v: i32 = yy.as_str().parse().ok()?;
        return Some(v + if v < 30 { 2000 } else { 1900 });
    }
    ctx.dct.map(|d| d.year())
}

fn q_notation(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let q: u32 = c.name("q").or(c.name("q2"))?.as_str().parse().ok()?;
    let m = c.get(0)?;
    if digits_precede(ctx.text, m.start()) {
        return None;
    }
    match short_year(c, ctx) {
        Some(y) => {
            ctx.last_quarter = Some((y, q));
            date(c, r::quarter_value(y, q))
        }
        None => date(c, format!("XXXX-Q{q}")),
    }
}

fn relative_quarter(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let det = lower(c, "det")?;
    let unit = lower(c, "unit")?;
    let dct = ctx.dct?;
    let cur = (dct.year(), r::quarter_of_month(dct.month()));
    let text = c.get(0)?.as_str().to_ascii_lowercase();
    if unit == "period"
        && !(det.contains("latest") || det.contains("recent") || text.contains("latest"))
    {
        return None;
    }
    let (y, q) = match &*det {
        "this" | "the current" => cur,
        "last" | "the previous" | "the last" => r::add_quarters(cur.0, cur.1, -1),
        "next" | "the next" | "the coming" => r::add_quarters(cur.0, cur.1, 1),
        "the latest" | "the most recent" => r::add_quarters(cur.0, cur.1, -1),
        _ => prior_quarter(ctx)?,
    };
    ctx.last_quarter = Some((y, q));
    date(c, r::quarter_value(y, q))
}

fn year_quarter(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let y: i32 = c["y"].parse().ok()?;
    let q = prior_quarter(ctx).map_or(0, |(_, q)| q);
    if q == 0 {
        return date(c, format!("{y:04}-QX"));
    }
    date(c, r::quarter_value(y, q))
}

fn year_end(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let dct = ctx.dct?;
    date(c, r::year_value(dct.year()))
}

fn half(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    let ord = lower(c, "ord")?;
    let h = if matches!(&*ord, "first" | "1st") { 1 } else { 2 };
    let pre = lower(c, "pre").unwrap_or_default();
    let rel = lower(c, "rel").unwrap_or_default();
    let has_of = m.as_str().to_ascii_lowercase().contains(" of ");
    if !has_of && pre.is_empty() {
        return None;
    }
    if !has_of && word_after(ctx.text, m.end()).eq_ignore_ascii_case("of") {
        return None; // "the first half of the game"
    }
    let y = if let Some(y) = c.name("year") {
        parse_year(y.as_str())?
    } else {
        let Some(dct) = ctx.dct else {
            return date(c, format!("XXXX-H{h}"));
        };
        if pre.starts_with("last year") || rel == "last" {
            dct.year() - 1
        } else if pre.starts_with("next year") || rel == "next" {
            dct.year() + 1
        } else {
            dct.year()
        }
    };
    date(c, format!("{y:04}-H{h}"))
}

fn h_notation(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    let h: u32 = c["h"].parse().ok()?;
    let has_year = c.name("y").is_some() || c.name("yy").is_some();
    let before = word_before(ctx.text, m.start()).to_ascii_lowercase();
    if !has_year && !matches!(before.as_str(), "in" | "the" | "during" | "for" | "of" | "first") {
        return None;
    }
    if ctx.text[m.end()..].starts_with('-') {
        return None;
    }
    match short_year(c, ctx) {
        Some(y) => date(c, format!("{y:04}-H{h}")),
        None => date(c, format!("XXXX-H{h}")),
    }
}

fn season(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    let name = lower(c, "season")?;
    let code = r::season_code(&name)?;
    let rel = lower(c, "rel").unwrap_or_default();
    let has_year = c.name("year").is_some();
    let after = word_after(ctx.text, m.end()).to_ascii_lowercase();
    if !has_year {
        let before = word_before(ctx.text, m.start()).to_ascii_lowercase();
        let prep = matches!(
            before.as_str(),
            "in" | "during"
                | "by"
                | "until"
                | "since"
                | "through"
                | "into"
                | "over"
                | "for"
                | "throughout"
                | "this"
                | "last"
                | "next"
                | "early"
                | "late"
        );
        if rel.is_empty() && !prep {
            return None;
        }
        if rel == "the" && name == "fall" && !prep {
            return None;
        }
        if (rel.is_empty() || rel == "the")
            && matches!(after.as_str(), "of" | "in" | "to" | "from" | "on" | "was" | "is")
        {
            return None; // "the fall of Saigon", "the fall in prices"
        }
        if name == "fall" && rel.is_empty() {
            return None;
        }
    }
    let y = if let Some(y) = c.name("year") {
        parse_year(y.as_str())?
    } else {
        let Some(dct) = ctx.dct else {
            return date(c, format!("XXXX-{code}"));
        };
        let start = match code {
            "SP" => 3,
            "SU" => 6,
            "FA" => 9,
            _ => 12,
        };
        match &*rel {
            "last" | "this past" | "the past" => {
                if dct.month() > start + 2 {
                    dct.year()
                } else {
                    dct.year() - 1
                }
            }
            "next" | "this coming" | "the coming" => {
                if dct.month() < start {
                    dct.year()
                } else {
                    dct.year() + 1
                }
            }
            "this" => dct.year(),
            _ => r::year_of_season(code, dct, ctx.tense(c)),
        }
    };
    date(c, format!("{y:04}-{code}"))
}

fn fiscal_year(c: &Captures, _ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let ys = &c["year"];
    let mut y: i32 = ys.parse().ok()?;
    if ys.len() == 2 {
        y += if y < 30 { 2000 } else { 1900 };
    }
    date(c, r::year_value(y))
}

// ------------------------------------------------------------ years

/// Nouns that make a preceding four-digit number a count ("2000 troops").
const COUNT_NOUNS: &[&str] = &[
    "troops",
    "people",
    "soldiers",
    "marines",
    "workers",
    "employees",
    "jobs",
    "members",
    "residents",
    "students",
    "votes",
    "units",
    "shares",
    "cars",
    "vehicles",
    "homes",
    "houses",
    "barrels",
    "tons",
    "tonnes",
    "miles",
    "kilometers",
    "kilometres",
    "km",
    "meters",
    "metres",
    "feet",
    "pounds",
    "dollars",
    "euros",
    "yen",
    "points",
    "children",
    "men",
    "women",
    "refugees",
    "deaths",
    "cases",
    "police",
    "officers",
    "copies",
    "pieces",
    "acres",
    "hectares",
    "calories",
    "rounds",
    "missiles",
    "planes",
    "aircraft",
    "ships",
    "guns",
    "rifles",
    "years",
    "months",
    "days",
    "hours",
    "minutes",
    "seconds",
    "percent",
    "times",
    "other",
    "more",
    "of",
    "users",
    "customers",
    "patients",
    "victims",
    "persons",
    "civilians",
    "prisoners",
    "inmates",
    "protesters",
    "demonstrators",
    "fighters",
    "militants",
    "delegates",
    "participants",
    "passengers",
    "stores",
    "sites",
    "lbs",
    "kg",
    "mph",
    "yards",
    "words",
    "pages",
    "locations",
];

/// Words before a number that make it a quantity ("about 2000", "nearly 1990").
const QUANTITY_BEFORE: &[&str] = &[
    "about",
    "nearly",
    "some",
    "than",
    "over",
    "around",
    "approximately",
    "almost",
    "only",
    "roughly",
    "estimated",
    "total",
    "additional",
    "another",
    "extra",
    "just",
    "least",
    "of",
    "no.",
    "number",
    "no",
    "x",
    "to",
    "and",
    "or",
    "up",
    "at",
    "by",
];

/// Words before a year that make it one whatever follows ("in 1898").
const YEAR_BEFORE: &[&str] = &[
    "in", "since", "until", "till", "from", "through", "during", "before", "after", "year",
    "early", "late", "mid", "circa", "c.", "between", "spring", "summer", "autumn", "fall",
    "winter", "of", "by", "for", "to", "and", "or", "fiscal", "calendar", "in-", "the",
];

fn year(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    let ym = c.name("year")?;
    let text = ctx.text;
    let modded = c.name("mod").is_some();
    let first = if modded { m.start() } else { ym.start() };
    if digits_precede(text, first) || digits_follow(text, ym.end()) {
        return None;
    }
    let yl = ym.as_str().to_ascii_lowercase();
    let y = if yl.starts_with("two") {
        if !c.name("mod").is_some_and(|x| x.as_str().to_ascii_lowercase().starts_with("the")) {
            return None;
        }
        2000 + yl.split_whitespace().skip(2).filter_map(word_num).sum::<i64>() as i32
    } else {
        parse_year(ym.as_str())?
    };
    let spelled = !ym.as_str().as_bytes()[0].is_ascii_digit();
    let before = word_before(text, ym.start()).to_ascii_lowercase();
    let after = word_after(text, ym.end()).to_ascii_lowercase();
    let strong = c.name("mod").is_some() || YEAR_BEFORE.contains(&before.as_str()) || spelled;
    let count_noun =
        COUNT_NOUNS.contains(&after.as_str()) && !text[ym.end()..].starts_with([',', '.']);
    if count_noun {
        return None;
    }
    if !(1000..=2099).contains(&y) {
        return None;
    }
    if !strong {
        if !(1900..=2099).contains(&y) {
            return None;
        }
        if QUANTITY_BEFORE.contains(&before.as_str()) {
            return None;
        }
    } else if !(1900..=2099).contains(&y)
        && !matches!(
            before.as_str(),
            "in" | "since"
                | "of"
                | "until"
                | "by"
                | "from"
                | "before"
                | "after"
                | "year"
                | "to"
                | "and"
                | "during"
        )
    {
        return None;
    }
    if matches!(before.as_str(), "than" | "about" | "nearly" | "approximately" | "some" | "over") {
        return None;
    }
    // "Boeing 747", "Windows 2000": a capitalised word right before, unless
    // it starts the line or sentence.
    let prev_raw = word_before(text, ym.start());
    if !strong
        && !prev_raw.ends_with("'s")
        && !matches!(
            before.as_str(),
            "that" | "this" | "its" | "his" | "her" | "their" | "our" | "a" | "an"
        )
        && prev_raw.chars().next().is_some_and(char::is_uppercase)
        && prev_raw.len() > 1
        && !text[..ym.start()].trim_end().ends_with(['.', ',', '(', '"', '\n'])
        && !matches!(before.as_str(), "in" | "since" | "by")
    {
        let line_start = text[..ym.start()].trim_end().rfind('\n').map_or(0, |p| p + 1);
        let first_on_line = text[line_start..ym.start()].split_whitespace().count() <= 1;
        if !first_on_line {
            return None;
        }
    }
    date(c, r::year_value(y))
}

fn year_range(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    let text = ctx.text;
    if digits_precede(text, m.start()) || digits_follow(text, m.end()) {
        return None;
    }
    let y1m = c.name("y1")?;
    let y2m = c.name("y2")?;
    let y1: i32 = y1m.as_str().parse().ok()?;
    let mut y2: i32 = y2m.as_str().parse().ok()?;
    if y2m.as_str().len() == 2 {
        y2 += y1 / 100 * 100;
    }
    if !(1900..=2099).contains(&y1) || y2 <= y1 || y2 - y1 > 100 {
        return None;
    }
    let after = word_after(text, m.end()).to_ascii_lowercase();
    if COUNT_NOUNS.contains(&after.as_str()) {
        return None;
    }
    let before = word_before(text, m.start()).to_ascii_lowercase();
    if QUANTITY_BEFORE.contains(&before.as_str()) && !YEAR_BEFORE.contains(&before.as_str()) {
        return None;
    }
    Some(vec![
        Piece {
            start: y1m.start(),
            end: y1m.end(),
            value: r::year_value(y1),
            kind: TimexKind::Date,
        },
        Piece {
            start: y2m.start(),
            end: y2m.end(),
            value: r::year_value(y2),
            kind: TimexKind::Date,
        },
    ])
}

fn decade(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    if digits_precede(ctx.text, m.start()) {
        return None;
    }
    let the = c.name("the").is_some();
    let v = if let Some(w) = lower(c, "word") {
        if !the {
            return None;
        }
        let d = match &*w {
            "twenties" => 2,
            "thirties" => 3,
            "forties" => 4,
            "fifties" => 5,
            "sixties" => 6,
            "seventies" => 7,
            "eighties" => 8,
            _ => 9,
        };
        format!("19{d}")
    } else if let Some(d2) = c.name("d2") {
        let d: i32 = d2.as_str().parse().ok()?;
        format!("{}{d}", if d <= 2 { 20 } else { 19 })
    } else {
        let d: i32 = c["dec"].parse().ok()?;
        match c.name("cent") {
            Some(cent) => format!("{}{d}", cent.as_str()),
            None => {
                if !the {
                    return None; // "in their 90s"
                }
                let before = word_before(ctx.text, m.start()).to_ascii_lowercase();
                let after = word_after(ctx.text, m.end()).to_ascii_lowercase();
                if matches!(before.as_str(), "in" | "into") && after.is_empty() {
                    // "in the 90s" is a decade; ages read "in their 90s".
                }
                format!("{}{d}", if d <= 2 { 20 } else { 19 })
            }
        }
    };
    date(c, v)
}

fn century(c: &Captures, _ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let n: i32 = match (c.name("n"), lower(c, "w")) {
        (Some(n), _) => n.as_str().parse().ok()?,
        (None, Some(w)) => match &*w {
            "eighteenth" => 18,
            "nineteenth" => 19,
            "twentieth" => 20,
            _ => 21,
        },
        _ => return None,
    };
    if !(1..=30).contains(&n) {
        return None;
    }
    date(c, format!("{:02}", n - 1))
}

// ------------------------------------------------------------ vague refs

fn present_ref(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    let after = word_after(ctx.text, m.end()).to_ascii_lowercase();
    // "current" qualifies a noun ("the current system"); not a noun itself
    // ("the current of the river") nor a term ("current account").
    if m.as_str().eq_ignore_ascii_case("current")
        && (!ctx.text[m.end()..].starts_with(char::is_whitespace)
            || !after.starts_with(|ch: char| ch.is_ascii_lowercase())
            || matches!(
                after.as_str(),
                "of" | "account"
                    | "accounts"
                    | "assets"
                    | "liabilities"
                    | "affairs"
                    | "and"
                    | "or"
                    | "is"
                    | "was"
                    | "flows"
                    | "flowing"
            ))
    {
        return None;
    }
    if m.as_str().eq_ignore_ascii_case("now") && matches!(after.as_str(), "that") {
        // "now that ..." is a conjunction more often than a time
    }
    date(c, "PRESENT_REF".to_string())
}

fn past_ref(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    // "a previously announced plan", "had previously been": the adverb
    // qualifies a verb form, not the time of the sentence.
    if m.as_str().to_ascii_lowercase().ends_with("previously") {
        let after = word_after(ctx.text, m.end()).to_ascii_lowercase();
        if after.ends_with("ed") || matches!(after.as_str(), "had" | "held" | "been" | "known") {
            return None;
        }
    }
    date(c, "PAST_REF".to_string())
}

fn future_ref(c: &Captures, _ctx: &mut Ctx) -> Option<Vec<Piece>> {
    date(c, "FUTURE_REF".to_string())
}

// ------------------------------------------------------------ times

fn clock_time(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    let text = ctx.text;
    let (h, mi) = if let Some(nm) = lower(c, "nm") {
        match &*nm {
            "midnight" => (24, 0),
            _ => (12, 0),
        }
    } else {
        if digits_precede(text, m.start()) || digits_follow(text, m.end()) {
            return None;
        }
        let mut h: u32 = c["h"].parse().ok()?;
        let mi: u32 = match c.name("m") {
            Some(x) => x.as_str().parse().ok()?,
            None => 0,
        };
        let ampm = lower(c, "ampm");
        let tz = c.name("tz").is_some();
        match &ampm {
            Some(a) => {
                if !(1..=12).contains(&h) {
                    return None;
                }
                let pm = a.starts_with('p');
                if pm && h < 12 {
                    h += 12;
                } else if !pm && h == 12 {
                    h = 0;
                }
            }
            None => {
                // Bare "13:23" needs a time zone or "at".
                let before = word_before(text, m.start()).to_ascii_lowercase();
                let sep = c.name("m").map(|x| &text[x.start() - 1..x.start()]);
                if sep != Some(":") {
                    return None;
                }
                if !tz
                    && !matches!(
                        before.as_str(),
                        "at" | "around"
                            | "about"
                            | "by"
                            | "until"
                            | "before"
                            | "after"
                            | "from"
                            | "since"
                            | "-"
                    )
                {
                    return None;
                }
            }
        }
        (h, mi)
    };
    let dct = ctx.dct;
    let day: Option<String> = if let Some(rd) = lower(c, "rd") {
        let shift = match &*rd {
            "yesterday" => -1,
            "tomorrow" => 1,
            _ => 0,
        };
        dct.map(|d| r::day_value(r::add_days(d, shift)))
    } else if let Some(wd) = c.name("wd").and_then(|w| weekday_of(w.as_str())) {
        match dct {
            Some(d) => Some(r::day_value(r::weekday_date(wd, d, ctx.tense(c)))),
            None => Some(format!("XXXX-WXX-{}", wd.num_days_from_monday() + 1)),
        }
    } else if let Some(mo) = c.name("month").and_then(|x| month_num(x.as_str())) {
        let d = day_num(&c["day"])?;
        Some(resolve_day_month(c, ctx, mo, d)?)
    } else {
        ctx.last_day.or(dct).map(r::day_value)
    };
    let day = day.unwrap_or_else(|| "XXXX-XX-XX".to_string());
    whole(c, format!("{day}T{h:02}:{mi:02}"), TimexKind::Time)
}

/// "4 in the morning", "9 in the evening".
fn clock_in_the(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    if digits_precede(ctx.text, m.start()) {
        return None;
    }
    let mut h: u32 = c["h"].parse().ok()?;
    let mi: u32 = c.name("m").map_or(Some(0), |x| x.as_str().parse().ok())?;
    match &*lower(c, "part")? {
        "morning" if h == 12 => h = 0,
        "morning" => {}
        _ if h < 12 => h += 12,
        _ => {}
    }
    let day = ctx.last_day.or(ctx.dct).map_or_else(|| "XXXX-XX-XX".to_string(), r::day_value);
    whole(c, format!("{day}T{h:02}:{mi:02}"), TimexKind::Time)
}

// ------------------------------------------------------------ durations, sets

fn duration(c: &Captures, ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let m = c.get(0)?;
    if digits_precede(ctx.text, m.start()) {
        return None;
    }
    // "a year-earlier loss", "a year-ago quarter" belong to other rules.
    let rest = &ctx.text[m.end()..];
    if ["-earlier", "-ago", "-before", "-end", "-old"].iter().any(|x| rest.starts_with(x)) {
        return None;
    }
    let unit = unit_of(&c["unit"]);
    let n = parse_num(&c["num"]);
    let numtxt = c["num"].to_ascii_lowercase();
    if n.is_none()
        && !matches!(numtxt.as_str(), "several" | "a few" | "few" | "many" | "a couple of")
    {
        return None;
    }
    let n = if numtxt == "a couple of" { Some(2.0) } else { n };
    whole(c, r::duration_value(n, unit), TimexKind::Duration)
}

fn iso_duration(c: &Captures, _ctx: &mut Ctx) -> Option<Vec<Piece>> {
    whole(c, c.get(0)?.as_str().to_string(), TimexKind::Duration)
}

fn set(c: &Captures, _ctx: &mut Ctx) -> Option<Vec<Piece>> {
    let v = if let Some(adv) = lower(c, "adv") {
        match &*adv {
            "daily" => "P1D",
            "weekly" => "P1W",
            "monthly" => "P1M",
            "quarterly" => "P3M",
            "hourly" => "PT1H",
            "nightly" => "TNI",
            _ => "P1Y",
        }
        .to_string()
    } else if let Some(wd) = c.name("wd").and_then(|w| weekday_of(w.as_str())) {
        format!("XXXX-WXX-{}", wd.num_days_from_monday() + 1)
    } else {
        let unit = unit_of(&c["unit"]);
        let n = c.name("num").and_then(|x| parse_num(x.as_str())).or(Some(1.0));
        r::duration_value(n, unit)
    };
    whole(c, v, TimexKind::Set)
}
