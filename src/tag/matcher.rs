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

use daachorse::DoubleArrayAhoCorasick;

use crate::gazetteer::Gazetteer;
use crate::text::is_word_char;

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
    automaton: DoubleArrayAhoCorasick<u32>,
    targets: Vec<Vec<Target>>,
    combining: Vec<bool>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("patterns", &self.targets.len()).finish()
    }
}

impl Matcher {
    /// Compiles every form of every entry.
    pub fn new(gaz: &Gazetteer) -> Matcher {
        let (patterns, targets) = surface_forms(gaz);
        let combining = patterns.iter().map(|p| p.ends_with('-')).collect();
        let automaton = DoubleArrayAhoCorasick::new(&patterns).expect("gazetteer automaton");
        Matcher { automaton, targets, combining }
    }

    /// What pattern `i` may refer to.
    pub fn targets(&self, pattern: usize) -> &[Target] {
        &self.targets[pattern]
    }

    pub fn pattern_count(&self) -> usize {
        self.targets.len()
    }

    /// Word-bounded matches, overlaps settled leftmost-longest.
    pub fn find(&self, text: &str) -> Vec<Candidate> {
        let mut found: Vec<Candidate> = self
            .automaton
            .find_overlapping_iter(text)
            .map(|m| Candidate { start: m.start(), end: m.end(), pattern: m.value() as usize })
            .filter(|c| {
                let before_ok = !text[..c.start].chars().next_back().is_some_and(is_word_char);
                let after_ok = self.combining[c.pattern]
                    || !text[c.end..].chars().next().is_some_and(is_word_char);
                before_ok && after_ok
            })
            .collect();
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

/// Every form of every entry, as (patterns, what each pattern may refer
/// to). Forms shared by several entries become one pattern with several
/// targets.
pub fn surface_forms(gaz: &Gazetteer) -> (Vec<String>, Vec<Vec<Target>>) {
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    let mut patterns: Vec<String> = vec![];
    let mut targets: Vec<Vec<Target>> = vec![];
    let mut push_one = |form: &str, t: Target| {
        if form.is_empty() {
            return;
        }
        let i = *index.entry(form.to_string()).or_insert_with(|| {
            patterns.push(form.to_string());
            targets.push(vec![]);
            targets.len() - 1
        });
        if !targets[i].contains(&t) {
            targets[i].push(t);
        }
    };
    // Straight and curly apostrophes are the same letter to readers.
    let mut push = |form: &str, t: Target| {
        push_one(form, t);
        if form.contains('\'') {
            push_one(&form.replace('\'', "\u{2019}"), t);
        } else if form.contains('\u{2019}') {
            push_one(&form.replace('\u{2019}', "'"), t);
        }
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
            push(f, Target::Country { index: ci, form, ambiguous });
        }
        for f in &c.blocked {
            push(f, Target::Blocked);
        }
    }
    for (oi, o) in gaz.orgs.iter().enumerate() {
        for f in std::iter::once(&o.name).chain(&o.aliases) {
            push(f, Target::Org { index: oi });
        }
        for f in &o.shared_aliases {
            push(f, Target::SharedOrg { index: oi });
        }
    }
    for (pi, p) in gaz.people.iter().enumerate() {
        for f in std::iter::once(&p.name).chain(&p.aliases) {
            push(f, Target::Person { index: pi });
        }
        // Japanese names appear in both orders ("Abe Shinzo").
        if p.roles.iter().any(|r| r.country == "JPN") {
            let words: Vec<&str> = p.name.split_whitespace().collect();
            if words.len() == 2 {
                let reversed = format!("{} {}", words[1], words[0]);
                push(&reversed, Target::Person { index: pi });
            }
        }
    }
    (patterns, targets)
}
