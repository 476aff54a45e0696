//! The tagging rules that run after the automaton: each one reads the
//! candidates and the text around them, and each names itself in the
//! `source` column of what it finds.
//!
//! Order matters and is fixed: gazetteer names first, then people found by
//! cues (so "Jordan Peterson" claims "Jordan" before the country rule sees
//! it), surnames after full names, ambiguous country names, generic
//! ministry names resolved by the country in context, and last the
//! `Ministry of …` pattern for bodies no list holds.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use memchr::memmem;
use regex::Regex;
use regex_automata::{meta, Anchored, Input};
use rustc_hash::FxHashSet;

use super::matcher::{Candidate, CountryForm, Matcher, Target};
use super::{rule_source, EntityType, Form, Mention};
use crate::gazetteer::{Gazetteer, Person};
use crate::text::{ascii_in_range, is_word_bounded, sentence_of, Span};

/// What the rules read: `'a` is the life of the text and the gazetteer,
/// which mentions borrow from.
pub(super) struct Context<'a, 's> {
    pub text: &'a str,
    pub sentences: &'s [Span],
    pub dct: Option<NaiveDate>,
    pub gaz: &'a Gazetteer,
    pub matcher: &'a Matcher,
}

/// Capitalised words that head names of places, bodies and things, not
/// people: a given name followed by one of these is not a person.
const NOT_SURNAMES: &[&str] = &[
    "Ministry",
    "Minister",
    "Department",
    "University",
    "Agency",
    "Force",
    "Forces",
    "Army",
    "Navy",
    "Council",
    "Committee",
    "Commission",
    "Sea",
    "Island",
    "Islands",
    "Ocean",
    "Street",
    "Road",
    "House",
    "Party",
    "Group",
    "Bank",
    "Company",
    "Corporation",
    "Institute",
    "Centre",
    "Center",
    "Office",
    "Guard",
    "Assembly",
    "Staff",
    "Times",
    "Post",
    "News",
    "Daily",
    "Airport",
    "Harbour",
    "Harbor",
    "Bay",
    "River",
    "Lake",
    "Mountain",
    "Mountains",
    "Strait",
    "Province",
    "State",
    "States",
    "City",
    "County",
    "Square",
    "Palace",
    "Hall",
    "Hotel",
    "School",
    "College",
    "Club",
    "Foundation",
    "Fund",
    "Program",
    "Programme",
    "Project",
    "Summit",
    "Forum",
    "Conference",
    "Treaty",
    "Agreement",
    "Accord",
    "Declaration",
    "Act",
    "Day",
    "War",
    "Cup",
    "Games",
    "Award",
    "Prize",
    "Airlines",
    "Airways",
    "Inc",
    "Ltd",
    "Corp",
    "Co",
    "Organization",
    "Organisation",
    "Union",
    "Association",
    "Federation",
    "Alliance",
    "Coalition",
    "Front",
    "Movement",
    "Service",
    "Services",
    "Administration",
    "Authority",
    "Bureau",
    "Court",
    "Tribunal",
    "Parliament",
    "Senate",
    "Congress",
    "Cabinet",
    "Government",
    "Republic",
    "Kingdom",
    "Empire",
    "Region",
    "Peninsula",
    "Valley",
    "Desert",
    "Park",
    "Tower",
    "Building",
    "Base",
    "Station",
    "Port",
    "Media",
    "Press",
    "Magazine",
    "Journal",
    "Review",
    "Report",
    "Reports",
    "Watch",
    "Monitor",
    "Herald",
    "Tribune",
    "Global",
    "International",
    "National",
    "Security",
    "Defense",
    "Defence",
    "Affairs",
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
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "The",
    "A",
    "An",
    "And",
    "Or",
    "But",
    "In",
    "On",
    "At",
    "Of",
    "For",
    "To",
    "With",
    "By",
    "From",
    "As",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "Their",
    "This",
    "That",
    "These",
    "Those",
    "After",
    "Before",
    "When",
    "While",
    "If",
    "Image",
    "Photo",
];

/// Words before a surname.
const HONORIFICS: &[&str] = &["Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Prof."];

/// Words that start a title before a person's name.
const TITLES: &str = r"(?:President|Vice President|Prime Minister|Deputy Prime Minister|Premier|Chancellor|Foreign Minister|Defen[cs]e Minister|Minister|Secretary|Senator|Sen\.|Rep\.|Ambassador|Gen\.|General|Admiral|Adm\.|Col\.|Colonel|Lt\.|Major|Capt\.|Captain|Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.|Professor|[Ss]pokes(?:man|woman|person)|Chairman|Chairwoman|Governor|Mayor|King|Queen|Prince|Princess|Sheikh|Emir|Commander|Director|Chief)";

/// Words that start a byline ("By Jane Smith").
const BYLINE_CUES: &[&str] =
    &["Reported by", "Written by", "Posted by", "Edited by", "By", "Author"];

/// "Ministry of Defence", "Department for Business, Energy and Industrial
/// Strategy": a body no list holds.
const MINISTRY: &str = r"\b(?:Ministry|Department) (?:of|for) (?:the )?[A-Z][\w'’-]*(?:(?:,? and |, | & )[A-Z][\w'’-]*)*";

/// A capitalised name word ("Wallace", "O'Brien", "Jae-in").
const NAME_WORD: &str = r"[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)*";

#[derive(Debug)]
pub(super) struct Rules {
    title: Regex,
    byline: Regex,
    /// "Jane Smith, a researcher …", searched only around the commas that
    /// can end such a name (see [`appositions`]).
    apposition: meta::Regex,
    said: Regex,
    /// "Ministry of …", searched only where "Ministry " or "Department "
    /// stands (see [`Rules::ministries`]).
    ministry: meta::Regex,
    not_surnames: FxHashSet<&'static str>,
    /// Indexes of the listed people sorted by id (for their short forms);
    /// of two people with one id, the first comes first.
    people_by_id: Vec<usize>,
}

impl Rules {
    pub fn new(gaz: &Gazetteer) -> Rules {
        // ASCII word boundaries (`\b` below): regex's fast engines cannot
        // check Unicode ones once a text holds a non-ASCII character (a
        // curly quote is enough) and fall back to a much slower one. Names
        // here are ASCII capitalised words, so the two agree.
        let regex = |p: &str| Regex::new(&p.replace(r"\b", r"(?-u:\b)")).unwrap();
        let name2 = format!(r"{NAME_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]+)?{NAME_WORD}){{1,2}}");
        Rules {
            title: regex(&format!(r"\b{TITLES}[ \t]+((?:{NAME_WORD}[ \t]+){{0,2}}{NAME_WORD})")),
            byline: regex(&format!(r"^[ \t]*(?:{})[ \t]*:?[ \t]+({name2})", BYLINE_CUES.join("|"))),
            apposition: meta::Regex::new(&apposition_pattern(&name2)).unwrap(),
            said: regex(&format!(r"\b(?:said|says|according to|told by)\s+({name2})\b")),
            ministry: meta::Regex::new(&MINISTRY.replace(r"\b", r"(?-u:\b)")).unwrap(),
            not_surnames: NOT_SURNAMES.iter().copied().collect(),
            people_by_id: {
                // A stable sort, and nearly free: the loader sorts people by id.
                let mut order: Vec<usize> = (0..gaz.people.len()).collect();
                order.sort_by(|&a, &b| gaz.people[a].id.cmp(&gaz.people[b].id));
                order
            },
        }
    }

    pub fn apply<'a>(&self, ctx: &Context<'a, '_>, candidates: Vec<Candidate>) -> Vec<Mention<'a>> {
        let mut taken = Taken::default();
        let mut ambiguous: Vec<(Candidate, usize, CountryForm)> = vec![];
        let mut shared: Vec<Candidate> = vec![];

        // 1. Gazetteer names with one clear referent.
        for c in candidates {
            let targets = ctx.matcher.targets(c.pattern);
            if targets.iter().any(|t| matches!(t, Target::Blocked)) {
                continue;
            }
            let clear = targets.iter().find(|t| {
                !matches!(t, Target::SharedOrg { .. } | Target::Country { ambiguous: true, .. })
            });
            let surname_like = matches!(
                clear,
                Some(Target::Country { form: CountryForm::Name | CountryForm::Capital, .. })
            ) && prev_word(ctx.text, c.start)
                .is_some_and(|(_, w)| ctx.gaz.given_names.contains(w) || HONORIFICS.contains(&w));
            if surname_like {
                if let Some(Target::Country { index, form, .. }) = clear {
                    ambiguous.push((c, *index, *form));
                }
                continue;
            }
            match clear {
                Some(t) => taken.add(mention_for(ctx, c.start, c.end, *t)),
                None => match targets.first() {
                    Some(Target::Country { index, form, .. }) => ambiguous.push((c, *index, *form)),
                    Some(_) => shared.push(c),
                    None => {}
                },
            }
        }

        // 2. Surnames after full names of listed people.
        let forms = self.surname_forms(ctx, &taken);
        self.surnames(ctx, &mut taken, &forms);

        // 3. People no list has, and their surnames. When they add no
        // short form, a second search would find only what the first did.
        self.unlisted_people(ctx, &mut taken);
        let more = self.surname_forms(ctx, &taken);
        if more != forms {
            self.surnames(ctx, &mut taken, &more);
        }

        // 4. Ambiguous country names.
        // Whether each is supported by a clear mention of its country.
        let supported: Vec<bool> = if ambiguous.is_empty() {
            vec![]
        } else {
            // Sized for every mention: growing the set rehashed it.
            let mut countries: FxHashSet<&str> =
                FxHashSet::with_capacity_and_hasher(taken.len(), Default::default());
            countries
                .extend(taken.iter().filter(|m| m.kind == EntityType::Country).map(|m| &*m.code));
            ambiguous
                .iter()
                .map(|a| countries.contains(ctx.gaz.countries[a.1].id.as_str()))
                .collect()
        };
        for ((c, index, form), supported) in ambiguous.into_iter().zip(supported) {
            if self.accept_ambiguous(ctx, &taken, &c, supported) {
                let t = Target::Country { index, form, ambiguous: true };
                let mut m = mention_for(ctx, c.start, c.end, t);
                m.source = rule_source("rule:ambiguous-country", &m.source).into();
                taken.add(m);
            }
        }

        // 5. Generic organisation names resolved by the country in context.
        for c in shared {
            if taken.overlaps(c.start, c.end) {
                continue;
            }
            let Some((m, prefix)) = resolve_shared(ctx, &taken, &c) else { continue };
            if let Some(prefix) = prefix {
                taken.remove(prefix);
            }
            taken.add(m);
        }

        // 6. "Ministry of …" that no list holds.
        for found in ministries(&self.ministry, ctx.text) {
            let (s, e) = (found.start(), found.end());
            if taken.overlaps(s, e) {
                continue;
            }
            let (country, prefix) = context_country(ctx, &taken, s);
            let start = prefix.map_or(s, |p| p.0);
            if let Some(p) = prefix {
                taken.remove(p.0);
            }
            taken.add(Mention {
                start,
                end: e,
                kind: EntityType::Org,
                canonical: ctx.text[s..e].into(),
                code: "".into(),
                actor: country.clone(),
                country,
                role: "ministry".into(),
                agent: "GOV".into(),
                form: Form::Other,
                source: "rule:ministry-of".into(),
            });
        }

        taken.into_vec()
    }

    /// The first listed person with this id.
    fn person<'g>(&self, gaz: &'g Gazetteer, id: &str) -> Option<&'g Person> {
        let i = self.people_by_id.partition_point(|&i| gaz.people[i].id.as_str() < id);
        let person = &gaz.people[*self.people_by_id.get(i)?];
        (person.id == id).then_some(person)
    }

    /// Each distinct short form of the people tagged so far ("Kishi" for
    /// "Nobuo Kishi"), with the start of the first mention it follows.
    fn surname_forms<'a>(
        &self,
        ctx: &Context<'a, '_>,
        taken: &Taken,
    ) -> Vec<(Cow<'a, str>, usize)> {
        let mut forms: Vec<(Cow<str>, usize)> = vec![];
        for p in taken.iter().filter(|m| m.kind == EntityType::Person) {
            let short = match self.person(ctx.gaz, &p.code) {
                Some(listed) => Cow::Borrowed(listed.short_form()),
                None => Cow::Owned(p.canonical.split_whitespace().last().unwrap_or("").to_string()),
            };
            if short.len() < 2 || short == p.canonical || forms.iter().any(|(f, _)| *f == short) {
                continue;
            }
            forms.push((short, p.start));
        }
        forms
    }

    /// Later mentions of the people's short `forms` (from
    /// [`Rules::surname_forms`]); the full mentions stay: rules only add here.
    fn surnames(&self, ctx: &Context, taken: &mut Taken, forms: &[(Cow<str>, usize)]) {
        if forms.is_empty() {
            return;
        }
        let found = leftmost_longest(ctx.text, forms.iter().map(|(f, _)| f.as_ref()));
        for (s, e, form) in found {
            let p = &taken.by_start[&forms[form].1];
            if s < p.end || !is_word_bounded(ctx.text, s, e) || taken.overlaps(s, e) {
                continue;
            }
            // "Washington Post" after "George Washington" is not him.
            if next_word(ctx.text, e).is_some_and(|w| w.starts_with(char::is_uppercase)) {
                continue;
            }
            let mut m = Mention::clone(p);
            m.start = s;
            m.end = e;
            m.source = rule_source("rule:surname", &p.source).into();
            taken.add(m);
        }
    }

    fn unlisted_people(&self, ctx: &Context, taken: &mut Taken) {
        let text = ctx.text;
        let mut found: Vec<(usize, usize, &str)> = vec![];
        // A byline is a line of its own: the regex runs only on lines that
        // start with a cue, not over the whole text.
        // The lines start at 0 and after each line break (memchr's vector
        // search finds them; `str::split` looked at every byte).
        let line_starts =
            std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        for line_start in line_starts {
            let rest = &text[line_start..];
            let cued = rest.trim_start_matches([' ', '\t']);
            if !BYLINE_CUES.iter().any(|cue| cued.starts_with(cue)) {
                continue;
            }
            let line = &rest[..memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len())];
            if let Some(caps) = self.byline.captures(line) {
                let g = caps.get(1).unwrap();
                found.push((line_start + g.start(), line_start + g.end(), "rule:byline"));
            }
        }
        for (start, end) in appositions(&self.apposition, text) {
            found.push((start, end, "rule:apposition"));
        }
        for caps in self.said.captures_iter(text) {
            let g = caps.get(1).unwrap();
            found.push((g.start(), g.end(), "rule:said-name"));
        }
        for caps in self.title.captures_iter(text) {
            let g = caps.get(1).unwrap();
            found.push((g.start(), g.end(), "rule:title"));
        }
        for (start, end, first) in name_runs(text) {
            if ctx.gaz.given_names.contains(&text[start..first]) {
                found.push((start, end, "rule:given-name"));
            }
        }
        found.sort_by_key(|f| (f.0, std::cmp::Reverse(f.1)));
        for (s, e, rule) in found {
            // Trim words that are places, bodies or already tagged.
            let Some((s, e)) = self.trim_name(text, taken, s, e) else { continue };
            if taken.overlaps(s, e) {
                continue;
            }
            let name = &text[s..e];
            taken.add(Mention {
                start: s,
                end: e,
                kind: EntityType::Person,
                canonical: name.split_whitespace().collect::<Vec<_>>().join(" ").into(),
                code: "".into(),
                country: "".into(),
                actor: "".into(),
                role: "".into(),
                agent: "".into(),
                form: Form::Name,
                source: rule.into(),
            });
        }
    }

    /// Cuts a candidate name at the first word that is not a name; `None`
    /// when fewer than two name words remain (one word is kept only when a
    /// listed person's surname cannot explain it).
    fn trim_name(&self, text: &str, taken: &Taken, s: usize, e: usize) -> Option<(usize, usize)> {
        let mut words: Vec<(usize, usize)> = vec![];
        let mut pos = s;
        for w in text[s..e].split_whitespace() {
            let ws = pos + text[pos..e].find(w).unwrap();
            let we = ws + w.len();
            pos = we;
            if self.not_surnames.contains(w) || taken.overlaps(ws, we) {
                break;
            }
            words.push((ws, we));
        }
        if words.len() < 2 {
            return None;
        }
        Some((words[0].0, words.last().unwrap().1))
    }

    fn accept_ambiguous(
        &self,
        ctx: &Context,
        taken: &Taken,
        c: &Candidate,
        supported: bool,
    ) -> bool {
        if taken.overlaps(c.start, c.end) {
            return false;
        }
        let text = ctx.text;
        let next = next_word(text, c.end);
        let prev = prev_word(text, c.start);
        if next.is_some_and(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(w, "state" | "county" | "city")
        }) {
            return false;
        }
        let sentence = ctx.sentences.get(sentence_of(ctx.sentences, c.start));
        if let Some((ps, w)) = prev {
            let sentence_initial = sentence.is_some_and(|s| ps <= s.start);
            if w.chars().next().is_some_and(char::is_uppercase) && !sentence_initial {
                return false;
            }
            if matches!(w, "of") && prev_word(text, ps).is_some_and(|(_, w)| w == "state") {
                return false;
            }
        }
        if supported {
            return true;
        }
        let prev_ok = prev.is_some_and(|(_, w)| {
            matches!(
                w,
                "in" | "to"
                    | "from"
                    | "with"
                    | "against"
                    | "and"
                    | "between"
                    | "of"
                    | "visit"
                    | "visited"
                    | "visiting"
            )
        });
        let possessive = text[c.end..].starts_with("'s") || text[c.end..].starts_with("’s");
        let sentence_initial = sentence.is_some_and(|s| c.start <= s.start + 1);
        let starts_clause = sentence_initial || prev.is_some_and(|(_, w)| w == "and");
        let subject = starts_clause && next.is_some_and(|w| w.starts_with(char::is_lowercase));
        prev_ok || possessive || subject
    }
}

/// The non-overlapping occurrences of `forms` (none empty) in `text` as
/// (start, end, index of the form), leftmost first and of those the
/// longest, as aho-corasick's `LeftmostLongest` finds them. An article
/// names a handful of people: their forms fit aho-corasick's packed
/// (SIMD, "Teddy") searcher, built in microseconds and scanning many
/// bytes per step. A long file read in parts names hundreds, past what
/// the packed searcher takes, and gets an automaton (so does a CPU
/// without the vector instructions it needs).
fn leftmost_longest<'f>(
    text: &str,
    forms: impl Iterator<Item = &'f str>,
) -> Vec<(usize, usize, usize)> {
    let forms: Vec<&str> = forms.collect();
    let packed = aho_corasick::packed::Config::new()
        .match_kind(aho_corasick::packed::MatchKind::LeftmostLongest)
        .builder()
        .extend(&forms)
        .build();
    match packed {
        Some(searcher) => {
            searcher.find_iter(text).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect()
        }
        None => automaton_leftmost_longest(text, &forms),
    }
}

/// [`leftmost_longest`] by aho-corasick, as a noncontiguous NFA: the
/// cheapest kind to build, once per long document.
fn automaton_leftmost_longest(text: &str, forms: &[&str]) -> Vec<(usize, usize, usize)> {
    let ac = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .build(forms)
        .expect("a few hundred short forms fit an automaton");
    ac.find_iter(text).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect()
}

/// The word after byte `pos` (skipping spaces), if any.
fn next_word(text: &str, pos: usize) -> Option<&str> {
    let rest = &text[pos..];
    let rest = rest.strip_prefix(' ')?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '-')).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// The word before byte `pos` and its start, if separated by one space.
fn prev_word(text: &str, pos: usize) -> Option<(usize, &str)> {
    let before = text[..pos].strip_suffix(' ')?;
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '-' || *c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let w = &before[start..];
    (!w.is_empty()).then_some((start, w))
}

/// The actor code an organisation's acts count for: its country, or the
/// international organisation (its parent for one of its bodies). News
/// media report events; they are not actors in them.
fn org_actor(o: &crate::gazetteer::Org) -> &str {
    if o.kind == "media" {
        ""
    } else if !o.country.is_empty() {
        &o.country
    } else if !o.parent.is_empty() {
        &o.parent
    } else {
        &o.id
    }
}

/// The mention a clear target gives.
fn mention_for<'a>(ctx: &Context<'a, '_>, start: usize, end: usize, t: Target) -> Mention<'a> {
    let g = ctx.gaz;
    match t {
        Target::Country { index, form, .. } => {
            let c = &g.countries[index];
            Mention {
                start,
                end,
                kind: EntityType::Country,
                canonical: c.name.as_str().into(),
                code: c.id.as_str().into(),
                country: c.id.as_str().into(),
                actor: c.id.as_str().into(),
                role: "".into(),
                agent: "".into(),
                form: match form {
                    CountryForm::Name => Form::Name,
                    CountryForm::Demonym => Form::Demonym,
                    CountryForm::Combining => Form::Combining,
                    CountryForm::Capital => Form::Capital,
                },
                source: c.loc.as_str().into(),
            }
        }
        Target::Org { index } | Target::SharedOrg { index } => {
            let o = &g.orgs[index];
            Mention {
                start,
                end,
                kind: EntityType::Org,
                canonical: o.name.as_str().into(),
                code: o.id.as_str().into(),
                country: o.country.as_str().into(),
                actor: org_actor(o).into(),
                role: o.kind.as_str().into(),
                agent: o.agent.as_str().into(),
                form: Form::Name,
                source: o.loc.as_str().into(),
            }
        }
        Target::Person { index } => person_mention(g, &g.people[index], start, end, ctx.dct),
        Target::Blocked => unreachable!("blocked forms are dropped before mentions are made"),
    }
}

fn person_mention<'a>(
    g: &'a Gazetteer,
    p: &'a Person,
    start: usize,
    end: usize,
    dct: Option<NaiveDate>,
) -> Mention<'a> {
    let role = p.role_on(dct);
    // An official of an international organisation acts for it, not for
    // the country they came from (Stoltenberg in 2019 is NATO).
    let igo = role
        .filter(|r| r.country.is_empty() && !r.org.is_empty())
        .map(|r| g.org(&r.org).map_or(&*r.org, org_actor));
    let country = if igo.is_some() { "" } else { p.country_on(dct) };
    let agent = match (&igo, role) {
        (None, Some(r)) => &*r.agent,
        _ => "",
    };
    Mention {
        start,
        end,
        kind: EntityType::Person,
        canonical: p.name.as_str().into(),
        code: p.id.as_str().into(),
        actor: igo.unwrap_or(country).into(),
        country: country.into(),
        role: role.map_or("", |r| &*r.role).into(),
        agent: agent.into(),
        form: Form::Name,
        source: role.map_or(&p.loc, |r| &r.loc).as_str().into(),
    }
}

/// The country a generic name at `start` belongs to, and the span of a
/// country word written right before it ("Chinese", "Japan's") that
/// should become part of the name.
fn context_country<'a>(
    ctx: &Context<'a, '_>,
    taken: &Taken<'a>,
    start: usize,
) -> (Cow<'a, str>, Option<(usize, usize)>) {
    let text = ctx.text;
    if let Some(m) = taken.ending_before(start) {
        let gap = &text[m.end..start];
        let adjacent = matches!(gap, " " | "'s " | "’s ");
        if adjacent && m.kind == EntityType::Country && m.form != Form::Capital {
            return (m.country.clone(), Some((m.start, m.end)));
        }
    }
    // "the Ministry of Defence of Japan" is rare; use the nearest country
    // before it in the document, else the first after it in the sentence.
    let si = sentence_of(ctx.sentences, start);
    let sentence = ctx.sentences.get(si).copied().unwrap_or(Span::new(0, text.len()));
    let countryish = |m: &&Mention| !m.country.is_empty() && m.kind != EntityType::Person;
    let before = taken.before(start).find(countryish);
    let after_in_sentence = taken
        .from(start)
        .take_while(|m| m.start < sentence.end)
        .filter(|m| m.end <= sentence.end)
        .find(countryish);
    let pick = before.or(after_in_sentence);
    (pick.map(|m| m.country.clone()).unwrap_or_default(), None)
}

/// Whether a mention of `country` stands earlier in the sentence of `start`.
fn country_in_sentence_before(ctx: &Context, taken: &Taken, start: usize, country: &str) -> bool {
    let si = sentence_of(ctx.sentences, start);
    let from = ctx.sentences.get(si).map_or(0, |s| s.start);
    taken
        .before(start)
        .take_while(|m| m.start >= from)
        .any(|m| m.country == country && m.kind != EntityType::Person)
}

/// Resolves a generic organisation name; returns the mention and the span
/// of a country word it absorbed. A generic ministry name with no listed
/// body for its country still counts (with that country); other generic
/// forms ("Army", "Cabinet") count only when they resolve to a listed body.
fn resolve_shared<'a>(
    ctx: &Context<'a, '_>,
    taken: &Taken<'a>,
    c: &Candidate,
) -> Option<(Mention<'a>, Option<usize>)> {
    let (country, prefix) = context_country(ctx, taken, c.start);
    let start = prefix.map_or(c.start, |p| p.0);
    let org = ctx.matcher.targets(c.pattern).iter().find_map(|t| match t {
        Target::SharedOrg { index }
            if ctx.gaz.orgs[*index].country == country && !country.is_empty() =>
        {
            Some(*index)
        }
        _ => None,
    });
    let surface = &ctx.text[c.start..c.end];
    let ministry = surface.contains("Ministry") || surface.contains("Department");
    // "the Army", "Cabinet": only with the country written close by.
    if !ministry && prefix.is_none() && !country_in_sentence_before(ctx, taken, c.start, &country) {
        return None;
    }
    let m = match org {
        Some(index) => {
            let mut m = mention_for(ctx, start, c.end, Target::Org { index });
            m.source = rule_source("rule:shared-org", &m.source).into();
            m
        }
        None if ministry => Mention {
            start,
            end: c.end,
            kind: EntityType::Org,
            canonical: ctx.text[start..c.end].into(),
            code: "".into(),
            actor: country.clone(),
            country,
            role: "ministry".into(),
            agent: "GOV".into(),
            form: Form::Other,
            source: "rule:shared-org".into(),
        },
        None => return None,
    };
    Some((m, prefix.map(|p| p.0)))
}

/// Accepted mentions keyed by start; no two overlap.
#[derive(Default)]
struct Taken<'a> {
    /// Boxed: a mention is a few hundred bytes, and a B-tree moves its
    /// values around as it grows.
    by_start: BTreeMap<usize, Box<Mention<'a>>>,
}

impl<'a> Taken<'a> {
    fn overlaps(&self, start: usize, end: usize) -> bool {
        if let Some((_, m)) = self.by_start.range(..end).next_back() {
            if m.end > start {
                return true;
            }
        }
        false
    }

    fn add(&mut self, m: Mention<'a>) {
        if !self.overlaps(m.start, m.end) {
            self.by_start.insert(m.start, Box::new(m));
        }
    }

    fn remove(&mut self, start: usize) {
        self.by_start.remove(&start);
    }

    /// The mention that ends closest before `pos`.
    fn ending_before(&self, pos: usize) -> Option<&Mention<'a>> {
        self.by_start.range(..pos).next_back().map(|(_, m)| &**m).filter(|m| m.end <= pos)
    }

    /// Mentions that end at or before `pos`, nearest first.
    fn before(&self, pos: usize) -> impl Iterator<Item = &Mention<'a>> {
        self.by_start.range(..pos).rev().map(|(_, m)| &**m).filter(move |m| m.end <= pos)
    }

    /// Mentions that start at or after `pos`, in order.
    fn from(&self, pos: usize) -> impl Iterator<Item = &Mention<'a>> {
        self.by_start.range(pos..).map(|(_, m)| &**m)
    }

    fn iter(&self) -> impl Iterator<Item = &Mention<'a>> {
        self.by_start.values().map(|m| &**m)
    }

    fn len(&self) -> usize {
        self.by_start.len()
    }

    fn into_vec(self) -> Vec<Mention<'a>> {
        self.by_start.into_values().map(|m| *m).collect()
    }
}

/// The matches of `ministry` ([`MINISTRY`]) in `text`, as `find_iter`
/// gives them: every match starts with "Ministry " or "Department ", so
/// the regex runs anchored where those stand (found by memchr's SIMD
/// search), not over the whole text, which took 2% of a run's instructions.
fn ministries(ministry: &meta::Regex, text: &str) -> Vec<regex_automata::Match> {
    let mut starts: Vec<usize> = memmem::find_iter(text.as_bytes(), "Ministry ")
        .chain(memmem::find_iter(text.as_bytes(), "Department "))
        .collect();
    starts.sort_unstable();
    let mut found: Vec<regex_automata::Match> = vec![];
    for at in starts {
        if found.last().is_some_and(|m| at < m.end()) {
            continue;
        }
        let input = Input::new(text).range(at..).anchored(Anchored::Yes);
        found.extend(ministry.search(&input));
    }
    found
}

/// The apposition rule's pattern: a name of two or three words (`name2`),
/// a comma and "a/an/the …" ending in a profession within five words.
fn apposition_pattern(name2: &str) -> String {
    format!(
        r"(?-u:\b)({name2}),\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,4}}?(?:analyst|professor|researcher|expert|fellow|scholar|lecturer|director|spokesperson|spokesman|spokeswoman|official|journalist|editor|correspondent|commentator|economist|adviser|advisor|author|founder|head|chief|specialist)(?-u:\b)"
    )
}

/// The names the apposition rule finds ("Jane Smith" in "Jane Smith, a
/// researcher at …"): group 1 of the pattern's leftmost-first matches, as
/// `captures_iter` over the whole text gives them, but searched only
/// around commas. A match holds one comma, right after the name, which
/// ends in a lower-case ASCII letter, and "a", "an" or "the" between white
/// space after it ([`article_follows`]); the
/// name holds only letters, apostrophes, hyphens, initials' dots, spaces
/// and tabs, so it starts no earlier than those bytes reach back from the
/// comma; after the comma the match holds only word characters, white
/// space and hyphens, so it ends before the next other ASCII byte. Each
/// such window is searched with the whole text around it (for `\b`).
/// The lazy DFA over every byte of every text was 1.3% of a run's
/// instructions. `appositions_are_the_regex` compares the two.
fn appositions(re: &meta::Regex, text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let name_byte = |c: u8| {
        c.is_ascii_alphabetic() || matches!(c, b'\'' | b'-' | b'.' | b' ' | b'\t') || c >= 0x80
    };
    // `\s` and `\w` may be characters outside ASCII: those bytes never end a window.
    let space = |c: u8| c.is_ascii_whitespace() || c == 0x0B || c >= 0x80;
    let inside = |c: u8| space(c) || c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    let mut caps = re.create_captures();
    let (mut out, mut at) = (vec![], 0);
    for comma in memchr::memchr_iter(b',', b) {
        if comma < at || comma == 0 || !b[comma - 1].is_ascii_lowercase() {
            continue;
        }
        if !article_follows(&text[comma + 1..]) {
            continue;
        }
        let mut start = comma;
        while start > at && name_byte(b[start - 1]) {
            start -= 1;
        }
        let end =
            b[comma + 1..].iter().position(|&c| !inside(c)).map_or(b.len(), |i| comma + 1 + i);
        re.search_captures(&Input::new(text).range(start..end), &mut caps);
        if let (Some(m), Some(name)) = (caps.get_match(), caps.get_group(1)) {
            out.push((name.start, name.end));
            at = m.end();
        }
    }
    out
}

/// Whether `rest` opens with white space, "a", "an" or "the" and white
/// space again (`\s+(?:a|an|the)\s+`; `char::is_whitespace` is the
/// regex's Unicode `\s`).
fn article_follows(rest: &str) -> bool {
    let after = rest.trim_start_matches(char::is_whitespace);
    after.len() < rest.len()
        && ["the", "an", "a"]
            .iter()
            .any(|w| after.strip_prefix(w).is_some_and(|r| r.starts_with(char::is_whitespace)))
}

/// The runs of two or three capitalised name words ("Jane Smith", "Mary
/// J. O'Brien-Lee") as `(start, end, end of the first word)`, found left to
/// right without overlaps: the matches of
/// `\b{NAME_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]+)?{NAME_WORD}){1,2}` (ASCII `\b`),
/// read by hand. Every part of that pattern takes as much as it can and
/// nothing shorter lets more follow, so one pass with no going back finds
/// them. The regex's lazy DFA read every byte; this skips to the capitals
/// eight bytes at a time (the whole run: 1.2% fewer instructions).
/// `name_runs_are_the_regex` compares the two.
fn name_runs(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(start) = next_capital(b, i) {
            i = start + 1;
            if start > 0 && is_ascii_word(b[start - 1]) {
                continue;
            }
            let Some(first) = name_word(b, start) else { continue };
            let mut end = first;
            for _ in 0..2 {
                match spaced_name_word(b, end) {
                    Some(e) => end = e,
                    None => break,
                }
            }
            if end > first {
                i = end;
                return Some((start, end, first));
            }
        }
        i = b.len();
        None
    })
}

/// The first ASCII capital in `b` at or after `i`, eight bytes at a time.
fn next_capital(b: &[u8], mut i: usize) -> Option<usize> {
    while let Some(chunk) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let capitals = ascii_in_range(w, b'A', b'Z');
        if capitals != 0 {
            return Some(i + capitals.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    b.get(i..)?.iter().position(u8::is_ascii_uppercase).map(|k| i + k)
}

/// The end of a `NAME_WORD` at `at`: `[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)*`.
fn name_word(b: &[u8], at: usize) -> Option<usize> {
    let lower_run = |from: usize| {
        from + b[from.min(b.len())..].iter().take_while(|c| c.is_ascii_lowercase()).count()
    };
    if !b.get(at)?.is_ascii_uppercase() {
        return None;
    }
    let mut end = lower_run(at + 1);
    if end == at + 1 {
        return None;
    }
    loop {
        let joint = match b.get(end..) {
            Some([b'\'' | b'-', ..]) => 1,
            Some([0xE2, 0x80, 0x99, ..]) => 3,
            _ => return Some(end),
        };
        let letter = end + joint;
        let next = lower_run(letter + 1);
        if !b.get(letter).is_some_and(u8::is_ascii_alphabetic) || next == letter + 1 {
            return Some(end);
        }
        end = next;
    }
}

/// The end of `[ \t]+(?:[A-Z]\.[ \t]+)?{NAME_WORD}` at `at`.
fn spaced_name_word(b: &[u8], at: usize) -> Option<usize> {
    let blanks = |from: usize| {
        from + b[from.min(b.len())..].iter().take_while(|c| matches!(c, b' ' | b'\t')).count()
    };
    let after = blanks(at);
    if after == at {
        return None;
    }
    if let Some([initial, b'.', ..]) = b.get(after..) {
        let word = blanks(after + 2);
        if initial.is_ascii_uppercase() && word > after + 2 {
            if let Some(end) = name_word(b, word) {
                return Some(end);
            }
        }
    }
    name_word(b, after)
}

/// A byte of a word for an ASCII `\b`.
fn is_ascii_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftmost_longest_finds_what_aho_corasick_finds() {
        let forms = ["Kim", "Kim Jong", "Jong Un", "Lee", "Leeds", "O'Hara", "Ki", "é-Ré"];
        let text = "Kim Jong Un met Kimberly Lee in Leeds; Kim and O'Hara, Kiki, Kim Jong, \
                    é-Ré, Jong Un, Lee.";
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(forms)
            .unwrap();
        let expected: Vec<(usize, usize, usize)> =
            ac.find_iter(text).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect();
        let found = leftmost_longest(text, forms.into_iter());
        assert_eq!(found, expected);
        let at = |i: usize| &text[found[i].0..found[i].1];
        // "Jong Un" overlaps the longer "Kim Jong" found first, and is
        // skipped; "Kimberly" holds "Kim", not "Ki".
        assert_eq!((at(0), at(1), at(2)), ("Kim Jong", "Kim", "Lee"));
        assert_eq!(leftmost_longest("", forms.into_iter()), vec![]);
        // A short text is searched by Rabin-Karp, a long one by Teddy.
        let long = text.repeat(40);
        let expected_long: Vec<(usize, usize, usize)> =
            ac.find_iter(&long).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect();
        assert_eq!(leftmost_longest(&long, forms.into_iter()), expected_long);
        // The automaton, for more forms than the packed searcher takes,
        // answers the same way.
        assert_eq!(automaton_leftmost_longest(text, &forms), expected);
        let many: Vec<String> = (0..500).map(|i| format!("Name{i}")).collect();
        let long = many.iter().rev().map(|n| format!("{n} and {n}x, ")).collect::<String>();
        let found = leftmost_longest(&long, many.iter().map(String::as_str));
        assert_eq!(found.len(), many.len() * 2);
        assert_eq!(&long[found[0].0..found[0].1], many.last().unwrap());
    }

    #[test]
    fn ministries_are_the_regex_matches() {
        let pattern = MINISTRY.replace(r"\b", r"(?-u:\b)");
        let anchored = meta::Regex::new(&pattern).unwrap();
        let re = Regex::new(&pattern).unwrap();
        let text = "The Ministry of Defence and Ministry of Trade met the Department for \
                    Business, Energy and Industrial Strategy; XMinistry of Nothing, the \
                    Ministry said, Department of the Interior & Justice, Ministry of élan, \
                    Ministry of Ministry of Health.";
        let found: Vec<(usize, usize)> =
            ministries(&anchored, text).iter().map(|m| (m.start(), m.end())).collect();
        let expected: Vec<(usize, usize)> =
            re.find_iter(text).map(|m| (m.start(), m.end())).collect();
        assert_eq!(found, expected);
        let at = |k: usize| &text[found[k].0..found[k].1];
        assert_eq!(at(0), "Ministry of Defence and Ministry");
        assert_eq!(found.len(), 4, "{found:?}");
    }

    /// The matches of the pattern [`name_runs`] reads by hand, by the regex.
    fn regex_runs(text: &str) -> Vec<(usize, usize, usize)> {
        let re = Regex::new(&format!(
            r"(?-u:\b){NAME_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]+)?{NAME_WORD}){{1,2}}"
        ))
        .unwrap();
        re.find_iter(text)
            .map(|m| {
                let first = m.as_str().split([' ', '\t']).next().unwrap().len();
                (m.start(), m.end(), m.start() + first)
            })
            .collect()
    }

    #[test]
    fn appositions_are_found_as_the_regex_finds_them() {
        let name2 = format!(r"{NAME_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]+)?{NAME_WORD}){{1,2}}");
        let pattern = apposition_pattern(&name2);
        let text = "Jane Smith, a senior analyst at X. Ann-Marie Ma’Ruf,\u{a0}the head-hunter; \
                    Mary J. Lee,\tan  expert. Jane Smith, Ann Lee, an analyst. éJo Doe, a chief; \
                    Bo Li, a chiefs. Al Bo,\n\nthe well-known founder. Al Bo, a (senior) analyst.";
        let expected: Vec<(usize, usize)> = Regex::new(&pattern)
            .unwrap()
            .captures_iter(text)
            .map(|c| c.get(1).unwrap())
            .map(|g| (g.start(), g.end()))
            .collect();
        let found = appositions(&meta::Regex::new(&pattern).unwrap(), text);
        assert_eq!(found, expected);
        let names: Vec<&str> = found.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            names,
            ["Jane Smith", "Ann-Marie Ma’Ruf", "Mary J. Lee", "Ann Lee", "Jo Doe", "Al Bo"]
        );
    }

    proptest::proptest! {
        /// Texts of name, comma, article, words and profession, each part
        /// drawn from cases at the edges of the pattern and of the windows.
        #[test]
        fn appositions_are_the_regex(segments in proptest::collection::vec(
            (
                proptest::sample::select(vec![
                    "Jane Smith", "Mary J. Lee", "Ann-Marie Ma’Ruf", "éJo Li", "x Jo Li", "Jo",
                    "jo li", "Jo Li Bo Wu", "Jo\tLi", "",
                ]),
                proptest::sample::select(vec![
                    ", ", ",", ",\u{b}", ",\u{a0}", ",\t", " ,", ",\n\n", ",\u{85}",
                ]),
                proptest::sample::select(vec!["a", "an", "the", "A", "ann"]),
                proptest::sample::select(vec![" ", "\u{b}", "  ", "\u{2003}", ""]),
                proptest::sample::select(vec![
                    "", "senior ", "1_x ", "well-known ", "(x) ", "a b c d ", "a b c d e ",
                    "naïve ", "x\u{b}",
                ]),
                proptest::sample::select(vec![
                    "analyst", "chief", "chiefs", "head-hunter", "co-founder", "founder",
                ]),
                proptest::sample::select(vec![". ", "; ", " ", "", ", ", "_", "é"]),
            ),
            1..5,
        )) {
            let text: String = segments
                .iter()
                .map(|(n, c, a, s, w, p, t)| format!("{n}{c}{a}{s}{w}{p}{t}"))
                .collect();
            let name2 = format!(r"{NAME_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]+)?{NAME_WORD}){{1,2}}");
            let pattern = apposition_pattern(&name2);
            let expected: Vec<(usize, usize)> = Regex::new(&pattern)
                .unwrap()
                .captures_iter(&text)
                .map(|c| c.get(1).unwrap())
                .map(|g| (g.start(), g.end()))
                .collect();
            let found = appositions(&meta::Regex::new(&pattern).unwrap(), &text);
            proptest::prop_assert_eq!(found, expected);
        }

        #[test]
        fn name_runs_are_the_regex(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "A", "Jo", "Smith", "O", "x", "xy", "'", "’", "-", " ", "  ", "\t", ".",
                "A.", "1", "_", "é", "É", "\n", ",", "Mc", "Ann-Marie", "d'Art", "O’Neil",
                "Jo'", "’s", "-Lee", " J. ", "X.\t", "Zed", "xJo", "@", "[",
            ]),
            0..24,
        )) {
            let text: String = parts.concat();
            let found: Vec<_> = name_runs(&text).collect();
            proptest::prop_assert_eq!(found, regex_runs(&text));
        }
    }

    #[test]
    fn name_runs_read_joints_initials_and_boundaries() {
        let texts = [
            "met Mary J. O’Neil-Smith Jones Peters today",
            "Jo'Ann Lee and Ann-Marie Byrne-X said",
            "McSmith Jones, A. B. Cole, Ed Al_Bo",
            "Ed Al1 Bo",
            "Long Enough Name Words Here Too",
            "ALL CAPS Words and Jo’Ann Li’s cat",
            "Mary-\tAnn Jo\t\tX.\tLee",
            "xJo Smith met Zoe Zed@Al [Bo Cy",
        ];
        for text in texts {
            assert_eq!(name_runs(text).collect::<Vec<_>>(), regex_runs(text), "{text}");
        }
        let whole = |text: &'static str| -> Vec<&'static str> {
            name_runs(text).map(|(s, e, _)| &text[s..e]).collect()
        };
        // "O’Neil" is no name word (one capital, then no lower-case
        // letter), but "Neil" after the curly quote starts one.
        assert_eq!(whole(texts[0]), ["Neil-Smith Jones Peters"]);
        assert_eq!(whole(texts[1]), ["Jo'Ann Lee", "Ann-Marie Byrne"]);
        assert_eq!(whole(texts[4]), ["Long Enough Name", "Words Here Too"]);
        assert_eq!(whole(texts[7]), ["Zoe Zed", "Bo Cy"]);
        let first: Vec<&str> = name_runs(texts[1]).map(|(s, _, f)| &texts[1][s..f]).collect();
        assert_eq!(first, ["Jo'Ann", "Ann-Marie"]);
    }
}
