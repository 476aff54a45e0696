//! Tagging: finds PERSON, ORG and COUNTRY mentions with the compiled
//! gazetteer, then applies the rules that lists alone cannot: ambiguous
//! country names, generic ministry names resolved by context, a surname
//! alone after the full name, and people no list has (found by given names,
//! titles and bylines). Dates are tagged in `dates/`.

pub mod matcher;
mod rules;

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

pub use matcher::{Candidate, CountryForm, Matcher, Target};

use crate::gazetteer::Gazetteer;
use crate::text::Span;

/// The entity types of the output contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum EntityType {
    #[serde(rename = "PERSON")]
    Person,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "COUNTRY")]
    Country,
    #[serde(rename = "DATE")]
    Date,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Country => "COUNTRY",
            EntityType::Date => "DATE",
        }
    }
}

/// How the words of a mention name its entity; the event rules care
/// ("Chinese vessels" is an actor, "Chinese" alone before a noun).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Name,
    Demonym,
    Combining,
    Capital,
    Other,
}

/// One tagged mention. Its texts borrow from the gazetteer (and the text)
/// they come from where they can: a document names the same entries again
/// and again, and a copy of each of their strings per mention cost more
/// than tagging them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention<'a> {
    pub start: usize,
    pub end: usize,
    pub kind: EntityType,
    pub canonical: Cow<'a, str>,
    /// ISO3 for countries, the id for organisations and people.
    pub code: Cow<'a, str>,
    /// ISO3 of the country the entity belongs to (at the article's date).
    pub country: Cow<'a, str>,
    /// The actor code events use: the country, or for an international
    /// organisation its id (its parent's for one of its bodies).
    pub actor: Cow<'a, str>,
    /// The person's role at the article's date, the organisation's kind.
    pub role: Cow<'a, str>,
    /// CAMEO agent letters the entity itself stands for (`GOV` for a
    /// minister, `MIL` for an army), or "".
    pub agent: Cow<'a, str>,
    pub form: Form,
    /// Gazetteer `file:line` or `rule:NAME`.
    pub source: Cow<'a, str>,
}

impl Mention<'_> {
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }

    /// The actor code events use: the country, or an international
    /// organisation's id.
    pub fn actor_code(&self) -> &str {
        &self.actor
    }
}

/// `rule:NAME (SOURCE)`, the source of a mention a rule made from another
/// source, with one allocation.
pub(crate) fn rule_source(rule: &str, source: &str) -> String {
    [rule, " (", source, ")"].concat()
}

/// Finds entity mentions in documents. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Tagger {
    pub gazetteer: Arc<Gazetteer>,
    pub matcher: Arc<Matcher>,
    rules: Arc<rules::Rules>,
}

impl Tagger {
    pub fn new(gazetteer: Gazetteer) -> Tagger {
        let matcher = Matcher::new(&gazetteer);
        Tagger::with_matcher(gazetteer, matcher)
    }

    /// A tagger from a gazetteer and the matcher compiled from it.
    pub fn with_matcher(gazetteer: Gazetteer, matcher: Matcher) -> Tagger {
        let rules = rules::Rules::new(&gazetteer);
        Tagger {
            gazetteer: Arc::new(gazetteer),
            matcher: Arc::new(matcher),
            rules: Arc::new(rules),
        }
    }

    /// Tags `text` (already split into `sentences`) at article date `dct`.
    /// Mentions come back sorted by position and never overlap.
    pub fn tag<'a>(
        &'a self,
        text: &'a str,
        sentences: &[Span],
        dct: Option<NaiveDate>,
    ) -> Vec<Mention<'a>> {
        let candidates = self.matcher.find(text);
        let ctx =
            rules::Context { text, sentences, dct, gaz: &self.gazetteer, matcher: &self.matcher };
        self.rules.apply(&ctx, candidates)
    }
}

#[cfg(test)]
mod tests;
