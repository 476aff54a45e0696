//! Deterministic news-like articles for benchmarks (`gazette bench` and
//! `benches/`): a date line, a headline and paragraphs mixing gazetteer
//! names, dates, event sentences and filler, from a seeded generator. The
//! same seed gives the same text on every machine, with no downloads.
//!
//! [`synthetic_people`] writes a people gazetteer of any size, to measure
//! how the matcher scales with the number of names.

use crate::gazetteer::Gazetteer;

/// A small, fast, deterministic generator (a 64-bit LCG, top bits used).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x2545_f491_4f6c_dd1d)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 16
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Event sentences: `{C}` a country, `{D}` a demonym, `{P}` a person,
/// `{O}` an organisation, `{K}` a capital, `{T}` a date expression.
const EVENTS: &[&str] = &[
    "{C} and {C} signed a defence pact {T}.",
    "{P} met {P} in {K} {T} to discuss maritime security.",
    "{C} accused {C} of violating the ceasefire agreement.",
    "{C} sent humanitarian aid to {C} {T}, officials said.",
    "The {D} government condemned the missile test {T}.",
    "{C} called on {C} to show restraint along the border.",
    "{P} visited {K} {T} for talks with {P}.",
    "{O} criticised {C} over its treatment of journalists.",
    "{C} provided patrol vessels to {C} under a loan agreement.",
    "{D} troops took part in joint exercises with {C} {T}.",
];

/// Sentences naming entities but no event.
const MENTIONS: &[&str] = &[
    "{P}, who took office in 2019, has promised to cut spending.",
    "Officials from {O} are expected in {K} {T}.",
    "The {D} economy grew faster than expected, according to {O}.",
    "Trade between {C} and {C} has doubled over the past decade.",
];

/// Sentences with no names at all.
const FILLER: &[&str] = &[
    "Analysts said the outcome would depend on talks in the coming weeks.",
    "The statement gave few details, and officials declined to comment further.",
    "Markets were calm after the announcement, with trading volumes close to average.",
    "Local media reported that several roads were closed during the visit.",
    "The report, which runs to more than 200 pages, was drafted by a panel of experts.",
    "Prices for fuel and food have risen sharply, hitting poorer households hardest.",
    "Critics argue that the plan does too little, too late, to address the problem.",
    "Some 9,000 workers and 1,200 contractors were employed at the site last year.",
    "Residents said the water supply had been cut for three days.",
    "The committee may meet again, though no date has been set.",
];

const DATES: &[&str] = &[
    "on Tuesday",
    "on Friday",
    "on Nov. 12, 2021",
    "on 3 March 2020",
    "last week",
    "earlier this month",
    "in 2019",
    "on January 15",
];

const TOPICS: &[&str] =
    &["cyber defence", "trade", "maritime security", "climate finance", "border talks"];

const MONTHS: &[&str] =
    &["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov."];

/// The names articles are made of.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub countries: Vec<String>,
    pub demonyms: Vec<String>,
    pub capitals: Vec<String>,
    pub orgs: Vec<String>,
    pub people: Vec<String>,
}

impl Names {
    /// Every country name, demonym, capital, organisation and person name
    /// of `gaz` (aliases are left out, so each slot is one clear name).
    pub fn from_gazetteer(gaz: &Gazetteer) -> Names {
        let mut n = Names::default();
        for c in &gaz.countries {
            n.countries.push(c.name.clone());
            n.demonyms.extend(c.demonyms.iter().filter(|d| !d.ends_with('-')).cloned());
            n.capitals.extend(c.capitals.iter().cloned());
        }
        n.orgs = gaz.orgs.iter().map(|o| o.name.clone()).collect();
        n.people = gaz.people.iter().map(|p| p.name.clone()).collect();
        n
    }
}

/// Writes articles one at a time.
#[derive(Debug, Clone)]
pub struct Generator {
    rng: Rng,
    names: Names,
    /// Gazetteer names written so far (benchmarks check they are found).
    pub planted: usize,
}

impl Generator {
    pub fn new(names: Names, seed: u64) -> Generator {
        Generator { rng: Rng::new(seed), names, planted: 0 }
    }

    /// An article of at least `bytes` bytes (it ends after the sentence
    /// that reaches the size).
    pub fn article(&mut self, bytes: usize) -> String {
        let mut out = String::with_capacity(bytes + 300);
        let day = 1 + self.rng.below(28);
        let month = *self.rng.pick(MONTHS);
        let year = 2015 + self.rng.below(8);
        out.push_str(&format!("{month} {day}, {year} - 09:16AM\n\n"));
        let headline = format!("{{C}} and {{C}} to discuss {}\n\n", self.rng.pick(TOPICS));
        self.fill(&headline, &mut out);
        let mut in_paragraph = 0;
        while out.len() < bytes {
            let template = match self.rng.below(10) {
                0..=1 => *self.rng.pick(EVENTS),
                2..=3 => *self.rng.pick(MENTIONS),
                _ => *self.rng.pick(FILLER),
            };
            self.fill(template, &mut out);
            in_paragraph += 1;
            if in_paragraph >= 3 + self.rng.below(4) {
                out.push_str("\n\n");
                in_paragraph = 0;
            } else {
                out.push(' ');
            }
        }
        out
    }

    /// Appends `template` with its slots filled.
    fn fill(&mut self, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let slot = &rest[i + 1..i + 2];
            let list = match slot {
                "C" => &self.names.countries,
                "D" => &self.names.demonyms,
                "K" => &self.names.capitals,
                "O" => &self.names.orgs,
                "P" => &self.names.people,
                _ => {
                    let date: &&str = self.rng.pick(DATES);
                    out.push_str(date);
                    rest = &rest[i + 3..];
                    continue;
                }
            };
            if list.is_empty() {
                out.push_str("someone");
            } else {
                let name: &String = self.rng.pick(list);
                out.push_str(name);
                self.planted += 1;
            }
            rest = &rest[i + 3..];
        }
        out.push_str(rest);
    }
}

/// A people gazetteer (`people*.tsv` text) of `n` made-up people with
/// distinct names, each a minister of one of `countries` (ISO3 ids).
pub fn synthetic_people(n: usize, countries: &[String], seed: u64) -> String {
    const GIVEN: &[&str] = &[
        "Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
        "Kemal", "Lucia", "Marek", "Nadia", "Omar", "Priya", "Rafael", "Sofia", "Tomas", "Yuki",
    ];
    const SYLLABLES: &[&str] = &[
        "ba", "ko", "ri", "sen", "ta", "mi", "lo", "var", "den", "ska", "no", "zu", "pel", "ha",
        "gri", "mon", "te", "ul", "dro", "fi", "ka", "ves", "lin", "or",
    ];
    let mut rng = Rng::new(seed);
    let mut seen = std::collections::HashSet::new();
    let mut out = String::from("id\tname\taliases\tcountry\trole\torg\tstart\tend\tshort\tnote\n");
    for i in 0..n {
        // The index written in syllables, plus one more until the full
        // name is new: every person has a name of their own.
        let mut k = i;
        let mut surname = String::new();
        loop {
            surname.push_str(SYLLABLES[k % SYLLABLES.len()]);
            k /= SYLLABLES.len();
            if k == 0 && surname.len() >= 4 {
                break;
            }
        }
        surname[..1].make_ascii_uppercase();
        let mut name = format!("{} {surname}", GIVEN[rng.below(GIVEN.len())]);
        while !seen.insert(name.clone()) {
            name.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
        }
        let country = if countries.is_empty() { "XXX" } else { rng.pick(countries).as_str() };
        out.push_str(&format!(
            "synthetic-{i}\t{name}\t\t{country}\tminister\t\t2010-01-01\t\t\t\n"
        ));
    }
    out
}
