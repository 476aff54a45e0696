//! The event rules as data: `triggers*.tsv` (phrase patterns mapped to
//! CAMEO codes), `cameo*.tsv` (code → label, quad class, Goldstein) and
//! `agents*.tsv` (see [`Agents`]).
//! Parsing is pure and reports `file:line` problems like the gazetteers.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::error::Diagnostic;
use crate::events::agents::Agents;
use crate::gazetteer::table::Table;
use crate::gazetteer::{FileKind, SourceFile};

/// One CAMEO code's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoCode {
    pub code: String,
    pub label: String,
    pub quad_class: u8,
    pub goldstein: f32,
}

/// One alternative word of a pattern token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alt {
    pub word: String,
    /// `word*`: the word plus an inflectional ending.
    pub stem: bool,
}

/// The endings a `word*` stem takes: "sign*" is not "signatory", "urg*"
/// not "urgency".
const INFLECTIONS: &[&str] = &["", "s", "es", "ed", "d", "ing", "e", "ies", "ied"];

impl Alt {
    pub fn matches(&self, w: &str) -> bool {
        if self.stem {
            w.strip_prefix(self.word.as_str()).is_some_and(|rest| INFLECTIONS.contains(&rest))
        } else {
            w == self.word
        }
    }

    /// Every word this alternative matches: a stem's few inflections, so
    /// that a map from these finds the alternatives a word matches with
    /// one look-up.
    pub fn forms(&self) -> Vec<String> {
        if self.stem {
            INFLECTIONS.iter().map(|i| format!("{}{i}", self.word)).collect()
        } else {
            vec![self.word.clone()]
        }
    }
}

/// FxHash (the `rustc-hash` crate): one multiply per 8 bytes where the
/// default SipHash runs several rounds. The word maps are looked up once per
/// word of every sentence, and their keys come from the lexicon, so
/// SipHash's resistance to chosen keys buys nothing there.
pub use rustc_hash::FxBuildHasher;

/// A map from lexicon words, hashed with FxHash.
pub type WordMap<V> = HashMap<String, V, FxBuildHasher>;

/// A set of lexicon words, hashed with FxHash.
pub type WordSet = HashSet<String, FxBuildHasher>;

/// A pattern token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Word {
        alts: Vec<Alt>,
        /// Every word the alternatives match (their `forms`): one look-up
        /// per word rather than a test per alternative.
        forms: WordSet,
        optional: bool,
    },
    /// `...`: up to this many words.
    Gap(usize),
}

/// The gap `...` spans at most this many words.
pub const GAP: usize = 6;

/// A trigger rule.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub id: String,
    pub pattern: String,
    pub toks: Vec<Tok>,
    pub code: String,
    pub reciprocal: bool,
    pub passive: bool,
    pub no_intent: bool,
    /// `reverse=CODE`: the target's act towards the source the same words
    /// report (a visit is hosted: `042` with `reverse=043`).
    pub reverse: Option<String>,
    /// Prepositions that introduce the target; empty = the first actor after.
    pub target_preps: Vec<String>,
    pub example: String,
    pub loc: String,
}

/// The trigger lexicon, the CAMEO table and the agent phrases.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub triggers: Vec<Trigger>,
    pub cameo: BTreeMap<String, CameoCode>,
    pub agents: Agents,
}

const TRIGGER_COLUMNS: &[&str] = &["id", "pattern", "code", "flags", "example", "status", "note"];
const CAMEO_COLUMNS: &[&str] = &["code", "label", "quad_class", "goldstein", "note"];
const PREPS: &[&str] =
    &["with", "against", "to", "on", "at", "from", "for", "over", "into", "by", "about", "in"];

/// Parses a pattern; the error says what is wrong.
pub fn parse_pattern(pattern: &str) -> Result<Vec<Tok>, String> {
    let mut toks = vec![];
    for raw in pattern.split_whitespace() {
        if raw == "..." || raw == "…" {
            if toks.is_empty() {
                return Err("a pattern cannot start with a gap".into());
            }
            toks.push(Tok::Gap(GAP));
            continue;
        }
        let (body, optional) = match raw.strip_prefix('(') {
            Some(r) => match r.strip_suffix(')') {
                Some(b) => (b, true),
                None => return Err(format!("unbalanced parenthesis in \"{raw}\"")),
            },
            None if raw.ends_with(')') => {
                return Err(format!("unbalanced parenthesis in \"{raw}\""))
            }
            None => (raw, false),
        };
        if optional && toks.is_empty() {
            return Err("a pattern cannot start with an optional word".into());
        }
        let mut alts = vec![];
        for a in body.split('|') {
            let a = a.trim().to_lowercase();
            let (word, stem) = match a.strip_suffix('*') {
                Some(w) => (w.to_string(), true),
                None => (a.clone(), false),
            };
            if word.is_empty() || word.contains('*') {
                return Err(format!("bad word \"{a}\" in \"{raw}\""));
            }
            alts.push(Alt { word, stem });
        }
        let forms = alts.iter().flat_map(Alt::forms).collect();
        toks.push(Tok::Word { alts, forms, optional });
    }
    if toks.is_empty() {
        return Err("empty pattern".into());
    }
    Ok(toks)
}

/// Loads every trigger and CAMEO file in `sources` (later layers replace
/// earlier rows with the same id or code).
pub fn load(sources: &[SourceFile]) -> (Lexicon, Vec<Diagnostic>) {
    let mut diags = vec![];
    let mut cameo: BTreeMap<String, CameoCode> = BTreeMap::new();
    for src in sources.iter().filter(|s| s.kind == FileKind::Cameo) {
        let t = Table::parse(&src.path, &src.text, CAMEO_COLUMNS, &["code", "label"], &mut diags);
        for row in t.rows() {
            let code = row.get("code").to_string();
            if code.len() < 2 || code.len() > 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
                diags.push(Diagnostic::error(
                    &src.path,
                    row.line,
                    format!("bad CAMEO code \"{code}\""),
                ));
                continue;
            }
            let quad_class = row.get("quad_class").parse().unwrap_or(0);
            let goldstein = match row.get("goldstein").parse() {
                Ok(g) => g,
                Err(_) => {
                    diags.push(Diagnostic::error(
                        &src.path,
                        row.line,
                        format!("goldstein \"{}\" is not a number", row.get("goldstein")),
                    ));
                    0.0
                }
            };
            cameo.insert(
                code.clone(),
                CameoCode { code, label: row.get("label").to_string(), quad_class, goldstein },
            );
        }
    }
    let mut by_id: BTreeMap<String, (usize, Trigger)> = BTreeMap::new();
    let mut seen: HashMap<(usize, String), String> = HashMap::new();
    for src in sources.iter().filter(|s| s.kind == FileKind::Triggers) {
        let t = Table::parse(
            &src.path,
            &src.text,
            TRIGGER_COLUMNS,
            &["id", "pattern", "code"],
            &mut diags,
        );
        for row in t.rows() {
            let id = row.get("id").to_string();
            let here = format!("{}:{}", src.path, row.line);
            if let Some(first) = seen.insert((src.layer, id.clone()), here.clone()) {
                diags.push(Diagnostic::error(
                    &src.path,
                    row.line,
                    format!("duplicate trigger id \"{id}\" (first at {first})"),
                ));
                continue;
            }
            if matches!(row.get("status"), "off" | "disabled") {
                by_id.remove(&id);
                continue;
            }
            let pattern = row.get("pattern").to_string();
            let toks = match parse_pattern(&pattern) {
                Ok(t) => t,
                Err(e) => {
                    diags.push(Diagnostic::error(
                        &src.path,
                        row.line,
                        format!("pattern \"{pattern}\": {e}"),
                    ));
                    continue;
                }
            };
            let code = row.get("code").to_string();
            if !cameo.is_empty() && !cameo.contains_key(&code) {
                diags.push(Diagnostic::error(
                    &src.path,
                    row.line,
                    format!("code \"{code}\" is not in the CAMEO table"),
                ));
                continue;
            }
            let mut trig = Trigger {
                id: id.clone(),
                pattern,
                toks,
                code,
                reciprocal: false,
                passive: false,
                no_intent: false,
                reverse: None,
                target_preps: vec![],
                example: row.get("example").to_string(),
                loc: here,
            };
            for flag in row.get("flags").split(',').map(str::trim).filter(|f| !f.is_empty()) {
                match flag {
                    "reciprocal" => trig.reciprocal = true,
                    "passive" => trig.passive = true,
                    "no_intent" => trig.no_intent = true,
                    f if f.starts_with("reverse=") => {
                        let r = &f["reverse=".len()..];
                        if !cameo.is_empty() && !cameo.contains_key(r) {
                            diags.push(Diagnostic::error(
                                &src.path,
                                row.line,
                                format!("reverse code \"{r}\" is not in the CAMEO table"),
                            ));
                        }
                        trig.reverse = Some(r.to_string());
                    }
                    f if f.starts_with("target=") => {
                        for p in f["target=".len()..].split('|') {
                            if !PREPS.contains(&p) {
                                diags.push(Diagnostic::error(
                                    &src.path,
                                    row.line,
                                    format!("unknown target preposition \"{p}\""),
                                ));
                            }
                            trig.target_preps.push(p.to_string());
                        }
                    }
                    other => diags.push(Diagnostic::error(
                        &src.path,
                        row.line,
                        format!(
                            "unknown flag \"{other}\" (reciprocal, passive, no_intent, reverse=…, target=…)"
                        ),
                    )),
                }
            }
            by_id.insert(id, (src.layer, trig));
        }
    }
    let triggers: Vec<Trigger> = by_id.into_values().map(|(_, t)| t).collect();
    let mut patterns: HashSet<&str> = HashSet::new();
    for t in &triggers {
        if !patterns.insert(t.pattern.as_str()) {
            let (path, line) = split_loc(&t.loc);
            diags.push(Diagnostic::warning(
                path,
                line,
                format!("pattern \"{}\" appears twice", t.pattern),
            ));
        }
    }
    let (agents, agent_diags) = Agents::load(sources);
    diags.extend(agent_diags);
    (Lexicon { triggers, cameo, agents }, diags)
}

fn split_loc(loc: &str) -> (&str, usize) {
    match loc.rsplit_once(':') {
        Some((p, l)) => (p, l.parse().unwrap_or(0)),
        None => (loc, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_patterns() {
        let t = parse_pattern("lodge* (a) protest*|complaint ... against").unwrap();
        assert_eq!(t.len(), 5);
        assert!(matches!(&t[1], Tok::Word { optional: true, .. }));
        assert!(matches!(t[3], Tok::Gap(GAP)));
        assert!(parse_pattern("... sign").is_err());
        assert!(parse_pattern("(sign)").is_err());
        assert!(parse_pattern("sign (a").is_err());
    }

    #[test]
    fn stems_match_inflections_only() {
        let a = Alt { word: "sign".into(), stem: true };
        for w in ["sign", "signs", "signed", "signing"] {
            assert!(a.matches(w), "{w}");
        }
        assert!(!a.matches("signatories"));
        assert!(!a.matches("signature"));
        let urge = Alt { word: "urg".into(), stem: true };
        assert!(urge.matches("urged") && urge.matches("urges") && !urge.matches("urgency"));
        assert!(!a.matches("assign"));
    }

    #[test]
    fn forms_are_the_words_an_alternative_matches() {
        let sign = Alt { word: "sign".into(), stem: true };
        assert!(sign.forms().iter().all(|f| sign.matches(f)));
        assert!(sign.forms().contains(&"signing".to_string()));
        assert_eq!(Alt { word: "pact".into(), stem: false }.forms(), ["pact"]);
        // Every stem that matches a word has the word among its forms, and
        // only those.
        for w in ["signed", "urges", "studies", "closing", "s", "ed", "x"] {
            for end in 1..=w.len() {
                let a = Alt { word: w[..end].to_string(), stem: true };
                assert_eq!(a.matches(w), a.forms().iter().any(|f| f == w), "{w} {}", a.word);
            }
        }
    }

    #[test]
    fn a_word_token_has_the_forms_of_all_its_alternatives() {
        let t = parse_pattern("sign* ... pact|treaty").unwrap();
        let Tok::Word { forms, .. } = &t[0] else { panic!("{t:?}") };
        assert!(forms.contains("signed") && forms.contains("sign"));
        assert!(!forms.contains("signature"));
        let Tok::Word { forms, .. } = &t[2] else { panic!("{t:?}") };
        assert_eq!(forms.len(), 2);
        assert!(forms.contains("pact") && forms.contains("treaty"));
    }

    #[test]
    fn word_maps_find_their_keys() {
        let mut m: WordMap<usize> = WordMap::default();
        let words = ["sign", "signs", "a", "", "international", "internationals"];
        for (i, w) in words.iter().enumerate() {
            m.insert(w.to_string(), i);
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(m.get(*w), Some(&i));
        }
        assert_eq!(m.get("signed"), None);
        use std::hash::BuildHasher;
        let h = |s: &str| FxBuildHasher.hash_one(s);
        assert_ne!(h("sign"), h("signs"));
    }

    #[test]
    fn reports_bad_rows() {
        let cameo = "code\tlabel\tquad_class\tgoldstein\n057\tSign formal agreement\t1\t8\n";
        let trig = "id\tpattern\tcode\tflags\nA\tsign* ... pact\t057\treciprocal\nA\tmeet\t040\t\nB\t(x)\t057\t\nC\tmeet\t999\t\nD\tmeet\t057\tloud\n";
        let src =
            |p: &str, k, t: &str| SourceFile { path: p.into(), kind: k, text: t.into(), layer: 0 };
        let (lex, d) =
            load(&[src("c.tsv", FileKind::Cameo, cameo), src("t.tsv", FileKind::Triggers, trig)]);
        let msgs: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            msgs,
            vec![
                "t.tsv:3: error: duplicate trigger id \"A\" (first at t.tsv:2)",
                "t.tsv:4: error: pattern \"(x)\": a pattern cannot start with an optional word",
                "t.tsv:5: error: code \"999\" is not in the CAMEO table",
                "t.tsv:6: error: unknown flag \"loud\" (reciprocal, passive, no_intent, reverse=…, target=…)",
            ]
        );
        assert_eq!(lex.triggers.len(), 2);
        assert!(lex.triggers[0].reciprocal);
    }
}
