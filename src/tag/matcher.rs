//! The Aho-Corasick automaton over every surface form in the gazetteers.
//!
//! aho-corasick knows nothing of words, and its leftmost-longest mode
//! throws away shorter candidates before we could check word boundaries
//! ("the Gambia" wins inside "the Gambian government", fails the check,
//! and "Gambian" is lost). So the automaton reports overlapping matches,
//! the word-boundary filter runs first, and only then are overlaps settled
//! leftmost-longest.
//!
//! The automaton is daachorse's bytewise double array. Measured against
//! aho-corasick's engines on the bundled gazetteers (22k forms) and with
//! a million-name people list (`gazette bench`, docs/performance.md), it
//! scans about twice as fast as the contiguous NFA, keeps that speed
//! when the list grows (the NFA slows ~2.5x), builds about as fast and
//! takes as little memory; aho-corasick's DFA takes 280 MB and ~1.2 s
//! for the bundled lists alone.
//!
//! Building it is the slow part of start-up, so the forms are split among
//! several automata (`Shard`s) whose matches are pooled: `build.rs`
//! compiles the bundled names ahead of time and start-up only deserialises
//! them; the forms the user's gazetteers add are compiled at start-up,
//! sorted (daachorse builds sorted input several times faster), and a
//! large list in pieces built in parallel. Every form is in exactly one
//! shard, so the pooled matches are those of a single automaton.

use std::borrow::Cow;

use daachorse::DoubleArrayAhoCorasick;
use rayon::prelude::*;

use crate::gazetteer::{Gazetteer, BUNDLED_AUTOMATON, BUNDLED_FORMS};
use crate::pipeline::timed;
use crate::text::{is_word_char, sort_prefix as prefix};

/// How a surface form names a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryForm {
    Name,
    Demonym,
    /// "Sino-", "Indo-": only before a letter.
    Combining,
    Capital,
}

/// What one surface form may refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Country {
        index: usize,
        form: CountryForm,
        ambiguous: bool,
    },
    Org {
        index: usize,
    },
    /// A generic form several organisations share ("Foreign Ministry").
    SharedOrg {
        index: usize,
    },
    Person {
        index: usize,
    },
    /// A longer name that only looks like a country's ("New Mexico").
    Blocked,
}

/// A form found in the text, bounded as a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

/// The compiled gazetteer.
#[derive(Clone)]
pub struct Matcher {
    shards: Vec<Shard>,
    targets: Targets,
    combining: Vec<bool>,
}

/// What each pattern may refer to: pattern `i`'s targets are
/// `list[start[i]..start[i + 1]]`. One list rather than one `Vec` per
/// pattern: a million names would be a million allocations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Targets {
    list: Vec<Target>,
    start: Vec<u32>,
}

impl Targets {
    /// Starts the targets of the next pattern.
    fn next_pattern(&mut self) {
        self.start.push(self.list.len() as u32);
    }

    /// Adds `t` to the last pattern's targets, unless already there.
    fn add(&mut self, t: Target) {
        let first = *self.start.last().expect("a pattern") as usize;
        if !self.list[first..].contains(&t) {
            self.list.push(t);
        }
    }

    /// The targets of pattern `i`.
    pub fn of(&self, i: usize) -> &[Target] {
        let end = self.start.get(i + 1).map_or(self.list.len(), |&e| e as usize);
        &self.list[self.start[i] as usize..end]
    }

    /// How many patterns.
    pub fn len(&self) -> usize {
        self.start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }
}

/// An automaton over some of the forms. Its matches report its own
/// numbering of them; `patterns` turns that into the matcher's ([`NONE`]
/// for a bundled name the gazetteers no longer have).
#[derive(Clone)]
struct Shard {
    automaton: DoubleArrayAhoCorasick<u32>,
    patterns: Vec<u32>,
}

const NONE: u32 = u32::MAX;

/// Forms per automaton built at start-up, at most two automata per thread.
/// daachorse's build slows more than in proportion to the forms: for a
/// million names, four automata of 250,000 built on two threads took
/// 0.76–1.13 s and peaked at 0.84–0.93 GB, two of 500,000 took 1.09–1.28 s
/// and 1.17–1.20 GB. Each automaton is one more pass over every text, so
/// the forms are not split finer.
const SHARD_FORMS: usize = 250_000;

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("patterns", &self.targets.len())
            .field("shards", &self.shards.len())
            .finish()
    }
}

impl Matcher {
    /// Compiles every form of every entry.
    pub fn new(gaz: &Gazetteer) -> Matcher {
        Matcher::compile(gaz, SHARD_FORMS, 2 * rayon::current_num_threads())
    }

    /// [`Matcher::new`], building here one automaton per `shard_forms`
    /// forms, at most `max_shards`.
    fn compile(gaz: &Gazetteer, shard_forms: usize, max_shards: usize) -> Matcher {
        let (patterns, targets) = timed("surface forms", || surface_forms(gaz));
        let combining = patterns.iter().map(|p| p.ends_with('-')).collect();
        let mut rest: Vec<u32> = (0..patterns.len() as u32).collect();
        let mut shards = vec![];
        if let Some(bundled) = timed("bundled automaton", || Shard::bundled(&patterns, &mut rest)) {
            shards.push(bundled);
        }
        let count = rest.len().div_ceil(shard_forms).clamp(1, max_shards.max(1));
        shards.extend(timed("automata", || Shard::build(&patterns, rest, count)));
        Matcher { shards, targets, combining }
    }

    /// What pattern `i` may refer to.
    pub fn targets(&self, pattern: usize) -> &[Target] {
        self.targets.of(pattern)
    }

    pub fn pattern_count(&self) -> usize {
        self.targets.len()
    }

    /// How many automata the forms are split among.
    pub fn automata(&self) -> usize {
        self.shards.len()
    }

    /// Word-bounded matches, overlaps settled leftmost-longest.
    pub fn find(&self, text: &str) -> Vec<Candidate> {
        let mut found: Vec<Candidate> = vec![];
        for shard in &self.shards {
            let matches = shard.automaton.find_overlapping_iter(text).filter_map(|m| {
                let pattern = shard.patterns[m.value() as usize];
                (pattern != NONE).then_some(Candidate {
                    start: m.start(),
                    end: m.end(),
                    pattern: pattern as usize,
                })
            });
            found.extend(matches.filter(|c| {
                let before_ok = !text[..c.start].chars().next_back().is_some_and(is_word_char);
                let after_ok = self.combining[c.pattern]
                    || !text[c.end..].chars().next().is_some_and(is_word_char);
                before_ok && after_ok
            }));
        }
        // No two candidates share both ends (each form is in one shard),
        // so the order does not depend on the shards.
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out: Vec<Candidate> = Vec::with_capacity(found.len());
        for c in found {
            if out.last().is_none_or(|l| c.start >= l.end) {
                out.push(c);
            }
        }
        out
    }
}

impl Shard {
    /// The automaton `build.rs` compiled from the bundled files' names,
    /// renumbered to `patterns`; the patterns it holds are taken out of
    /// `rest`. `None` if it does not deserialise (then everything is
    /// compiled here).
    fn bundled(patterns: &[Cow<str>], rest: &mut Vec<u32>) -> Option<Shard> {
        let (automaton, _) = DoubleArrayAhoCorasick::deserialize(BUNDLED_AUTOMATON).ok()?;
        // Looked up in the sorted patterns: a million-name list is not
        // read through for twenty thousand names.
        let mut held = vec![false; patterns.len()];
        let ids = BUNDLED_FORMS
            .split('\n')
            .map(|form| match patterns.binary_search_by(|p| (**p).cmp(form)) {
                Ok(p) => {
                    held[p] = true;
                    p as u32
                }
                Err(_) => NONE,
            })
            .collect();
        rest.retain(|&p| !held[p as usize]);
        Some(Shard { automaton, patterns: ids })
    }

    /// `count` automata over the patterns `ids` (in order, so sorted),
    /// built in parallel.
    fn build(patterns: &[Cow<str>], ids: Vec<u32>, count: usize) -> Vec<Shard> {
        if ids.is_empty() {
            return vec![];
        }
        ids.par_chunks(ids.len().div_ceil(count))
            .map(|chunk| {
                let forms = chunk.iter().map(|&p| patterns[p as usize].as_bytes());
                let automaton = DoubleArrayAhoCorasick::new(forms).expect("gazetteer automaton");
                Shard { automaton, patterns: chunk.to_vec() }
            })
            .collect()
    }
}

/// Every form of every entry, as (patterns, what each pattern may refer
/// to), patterns sorted. Forms shared by several entries become one
/// pattern with several targets, in gazetteer order. Patterns borrow from
/// the gazetteer, except the variants made here.
pub fn surface_forms<'a>(gaz: &'a Gazetteer) -> (Vec<Cow<'a, str>>, Targets) {
    // Every (form, target), then sorted by form (stably) and grouped:
    // for a million names, faster than looking each form up. Most
    // comparisons are settled by the first 16 bytes, compared as a number.
    let mut all: Vec<(u128, Cow<'a, str>, Target)> = vec![];
    // Straight and curly apostrophes are the same letter to readers.
    let mut push = |form: Cow<'a, str>, t: Target| {
        let variant = if form.contains('\'') {
            Some(form.replace('\'', "\u{2019}"))
        } else if form.contains('\u{2019}') {
            Some(form.replace('\u{2019}', "'"))
        } else {
            None
        };
        if !form.is_empty() {
            all.push((prefix(&form), form, t));
        }
        all.extend(variant.map(|v| (prefix(&v), Cow::Owned(v), t)));
    };
    for (ci, c) in gaz.countries.iter().enumerate() {
        let forms = std::iter::once((&c.name, CountryForm::Name))
            .chain(c.aliases.iter().map(|a| (a, CountryForm::Name)))
            .chain(c.demonyms.iter().map(|a| {
                if a.ends_with('-') {
                    (a, CountryForm::Combining)
                } else {
                    (a, CountryForm::Demonym)
                }
            }))
            .chain(c.capitals.iter().map(|a| (a, CountryForm::Capital)));
        for (f, form) in forms {
            let ambiguous = c.ambiguous.contains(f.as_str());
            push(Cow::Borrowed(f), Target::Country { index: ci, form, ambiguous });
        }
        for f in &c.blocked {
            push(Cow::Borrowed(f), Target::Blocked);
        }
    }
    for (oi, o) in gaz.orgs.iter().enumerate() {
        for f in std::iter::once(&o.name).chain(&o.aliases) {
            push(Cow::Borrowed(f), Target::Org { index: oi });
        }
        for f in &o.shared_aliases {
            push(Cow::Borrowed(f), Target::SharedOrg { index: oi });
        }
    }
    for (pi, p) in gaz.people.iter().enumerate() {
        for f in std::iter::once(&p.name).chain(&p.aliases) {
            push(Cow::Borrowed(f), Target::Person { index: pi });
        }
        // Japanese names appear in both orders ("Abe Shinzo").
        if p.roles.iter().any(|r| r.country == "JPN") {
            let words: Vec<&str> = p.name.split_whitespace().collect();
            if words.len() == 2 {
                let reversed = format!("{} {}", words[1], words[0]);
                push(Cow::Owned(reversed), Target::Person { index: pi });
            }
        }
    }
    all.par_sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut patterns: Vec<Cow<str>> = vec![];
    let mut targets = Targets::default();
    for (_, form, t) in all {
        if patterns.last() != Some(&form) {
            patterns.push(form);
            targets.next_pattern();
        }
        targets.add(t);
    }
    (patterns, targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Generator, Names};
    use crate::gazetteer::{bundled_sources, load_sources, FileKind, SourceFile};

    #[test]
    fn targets_are_listed_per_pattern_without_repeats() {
        let mut t = Targets::default();
        assert!(t.is_empty());
        let person = |index| Target::Person { index };
        for (i, pattern) in [vec![0, 1, 0], vec![2], vec![3, 3, 4]].into_iter().enumerate() {
            t.next_pattern();
            for p in pattern {
                t.add(person(p + i));
            }
        }
        assert_eq!(t.len(), 3);
        assert_eq!(t.of(0), [person(0), person(1)]);
        assert_eq!(t.of(1), [person(3)]);
        assert_eq!(t.of(2), [person(5), person(6)]);
    }

    #[test]
    fn the_bundled_automaton_holds_every_bundled_form() {
        let gaz = load_sources(&bundled_sources()).gazetteer;
        let m = Matcher::new(&gaz);
        assert_eq!(m.automata(), 1, "build.rs missed forms of the bundled gazetteers");
    }

    /// The candidates of one automaton over every form, as `find` found
    /// them before the forms were split.
    fn one_automaton(gaz: &Gazetteer, text: &str) -> Vec<Candidate> {
        let (patterns, _) = surface_forms(gaz);
        let ac = DoubleArrayAhoCorasick::<u32>::new(patterns.iter().map(|p| p.as_bytes())).unwrap();
        let mut found: Vec<Candidate> = ac
            .find_overlapping_iter(text)
            .map(|m| Candidate { start: m.start(), end: m.end(), pattern: m.value() as usize })
            .filter(|c| {
                !text[..c.start].chars().next_back().is_some_and(is_word_char)
                    && (patterns[c.pattern].ends_with('-')
                        || !text[c.end..].chars().next().is_some_and(is_word_char))
            })
            .collect();
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out: Vec<Candidate> = vec![];
        for c in found {
            if out.last().is_none_or(|l| c.start >= l.end) {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn split_forms_find_what_one_automaton_finds() {
        // A user layer that removes and replaces bundled entries and adds
        // names, so the forms are spread over the bundled automaton (some
        // of its names gone) and several built here.
        let mut sources = bundled_sources();
        let layer = |path: &str, kind, text: &str| SourceFile {
            path: path.into(),
            kind,
            text: text.into(),
            layer: 1,
        };
        sources.push(layer(
            "u/countries.tsv",
            FileKind::Countries,
            "id\tname\taliases\tdemonyms\tstatus\nJPN\tJapan\t\t\toff\n\
             VNM\tVietnam\tViet Nam\tVietnamese|Vietno-\t\n",
        ));
        sources.push(layer(
            "u/people.tsv",
            FileKind::People,
            "id\tname\taliases\tcountry\trole\n\
             kenta-ohara\tKenta O'Hara\tKen O’Hara\tJPN\tminister\n\
             ann-lee\tAnn Lee\t\tVNM\tminister\n\
             bo-lund\tBo Lund\t\tSWE\tminister\n",
        ));
        let gaz = load_sources(&sources).gazetteer;
        let names = Names::from_gazetteer(&gaz);
        let mut text = Generator::new(names, 3).article(30_000);
        text.push_str(" Japan, O’Hara Kenta, Ken O'Hara, Vietno-Japanese, Viet Nam.");
        let expected = one_automaton(&gaz, &text);
        assert!(expected.len() > 100, "{} candidates", expected.len());
        let (patterns, _) = surface_forms(&gaz);
        let bundled: std::collections::HashSet<&str> = BUNDLED_FORMS.split('\n').collect();
        let added = patterns.iter().filter(|p| !bundled.contains(p.as_ref())).count();
        assert!(added >= 8, "{added} forms added");
        for (shard_forms, max_shards) in [(SHARD_FORMS, 2), (3, 2), (1, 100)] {
            let m = Matcher::compile(&gaz, shard_forms, max_shards);
            assert_eq!(m.automata(), 1 + added.div_ceil(shard_forms).min(max_shards));
            let found = m.find(&text);
            let show = |c: &[Candidate]| -> Vec<String> {
                let at = |c: &Candidate| format!("{}..{} {}", c.start, c.end, c.pattern);
                c.iter().map(at).collect()
            };
            assert_eq!(show(&found), show(&expected), "{shard_forms} forms per automaton");
        }
    }
}
