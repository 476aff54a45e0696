//! Agents: the sector an actor acts through, as CAMEO writes it after the
//! country code (`JPN` + `GOV` = Japan's government, `CHN` + `MIL`, `NGO`
//! before it). `agents*.tsv` lists agent phrases ("police", "defence
//! minister*", "coast guard*"); an actor takes the agent phrase that
//! follows it ("Arnorian police", "Japan's foreign minister") or precedes
//! it through "of/from/in" ("soldiers from Gondor"). Without one, a person
//! of the gazetteer holding a national office is `GOV`, and a national
//! organisation's kind says its sector ([`crate::gazetteer::org_agent`]).

use std::collections::BTreeMap;

use crate::error::Diagnostic;
use crate::events::lexicon::{Alt, WordMap};
use crate::gazetteer::table::{split_list, Table};
use crate::gazetteer::{parse_agent, FileKind, SourceFile};

/// One agent phrase's words (`*` words take inflections) and its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// Each alternative form, as words.
    pub forms: Vec<Vec<Alt>>,
    /// The letters, in 3-letter CAMEO chunks (`GOV`, `GOVFRM`).
    pub code: String,
    /// `NGO~`: written before the actor's code rather than after it.
    pub prefix: bool,
    pub loc: String,
}

impl Agent {
    /// The code as an agent dictionary writes it: `~GOV` or `NGO~`.
    pub fn notation(&self) -> String {
        if self.prefix {
            format!("{}~", self.code)
        } else {
            format!("~{}", self.code)
        }
    }
}

pub const AGENT_COLUMNS: &[&str] = &["name", "code", "status", "note"];

/// Parses one phrase of the `name` column into words.
fn parse_form(form: &str) -> Result<Vec<Alt>, String> {
    let mut words = vec![];
    for w in form.split_whitespace() {
        let w = w.to_lowercase();
        let (word, stem) = match w.strip_suffix('*') {
            Some(s) => (s.to_string(), true),
            None => (w.clone(), false),
        };
        if word.is_empty() || word.contains('*') {
            return Err(format!("bad word \"{w}\" in \"{form}\""));
        }
        words.push(Alt { word, stem });
    }
    if words.is_empty() {
        return Err("empty name".into());
    }
    Ok(words)
}

/// The agent lexicon.
#[derive(Debug, Clone, Default)]
pub struct Agents {
    pub agents: Vec<Agent>,
    /// Every word the first word of a form matches (a `word*`'s
    /// inflections too) → (agent, form) indexes, so a look-up reads only
    /// the forms that can match.
    by_first: WordMap<Vec<(usize, usize)>>,
}

impl Agents {
    /// Loads every `agents*.tsv` in `sources`. A row of a later layer
    /// replaces the row whose first form is the same; `status=off` removes.
    pub fn load(sources: &[SourceFile]) -> (Agents, Vec<Diagnostic>) {
        let mut diags = vec![];
        let mut by_key: BTreeMap<String, Agent> = BTreeMap::new();
        let mut seen: BTreeMap<(usize, String), String> = BTreeMap::new();
        for src in sources.iter().filter(|s| s.kind == FileKind::Agents) {
            let t =
                Table::parse(&src.path, &src.text, AGENT_COLUMNS, &["name", "code"], &mut diags);
            for row in t.rows() {
                let here = format!("{}:{}", src.path, row.line);
                let names = split_list(row.get("name"));
                let Some(first) = names.first() else {
                    diags.push(Diagnostic::error(&src.path, row.line, "empty name"));
                    continue;
                };
                let key = first.to_lowercase();
                if let Some(prev) = seen.insert((src.layer, key.clone()), here.clone()) {
                    diags.push(Diagnostic::error(
                        &src.path,
                        row.line,
                        format!("duplicate agent \"{first}\" (first at {prev})"),
                    ));
                    continue;
                }
                if matches!(row.get("status"), "off" | "disabled") {
                    by_key.remove(&key);
                    continue;
                }
                let (code, prefix) = match parse_agent(row.get("code")) {
                    Ok(c) => c,
                    Err(e) => {
                        diags.push(Diagnostic::error(&src.path, row.line, e));
                        continue;
                    }
                };
                let mut forms = vec![];
                for n in &names {
                    match parse_form(n) {
                        Ok(f) => forms.push(f),
                        Err(e) => diags.push(Diagnostic::error(&src.path, row.line, e)),
                    }
                }
                if forms.is_empty() {
                    continue;
                }
                by_key.insert(key, Agent { forms, code: code.to_string(), prefix, loc: here });
            }
        }
        let mut agents: Vec<Agent> = by_key.into_values().collect();
        // Longest forms first, so "defence minister" beats "minister".
        agents.sort_by_key(|a| std::cmp::Reverse(a.forms.iter().map(Vec::len).max()));
        let mut by_first: WordMap<Vec<(usize, usize)>> = WordMap::default();
        for (ai, a) in agents.iter().enumerate() {
            for (fi, f) in a.forms.iter().enumerate() {
                for w in f[0].forms() {
                    by_first.entry(w).or_default().push((ai, fi));
                }
            }
        }
        (Agents { agents, by_first }, diags)
    }

    /// The longest agent phrase starting at word `i` of `words`
    /// (lower-case): the agent and the number of words it spans.
    pub fn at(&self, words: &[&str], i: usize) -> Option<(&Agent, usize)> {
        let w = *words.get(i)?;
        let mut best: Option<(usize, usize)> = None;
        for &(ai, fi) in self.by_first.get(w).into_iter().flatten() {
            let f = &self.agents[ai].forms[fi];
            let n = f.len();
            let better = best.is_none_or(|(bi, bn)| n > bn || (n == bn && ai < bi));
            if better
                && i + n <= words.len()
                && f.iter().zip(&words[i..i + n]).all(|(alt, w)| alt.matches(w))
            {
                best = Some((ai, n));
            }
        }
        best.map(|(ai, n)| (&self.agents[ai], n))
    }

    /// An agent phrase ending just before word `end` (exclusive), at most
    /// four words long: its code and its first word.
    pub fn ending_at(&self, words: &[&str], end: usize) -> Option<(&Agent, usize)> {
        (end.saturating_sub(4)..end).find_map(|s| {
            self.at(&words[..end], s).filter(|&(_, n)| s + n == end).map(|(a, _)| (a, s))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agents(text: &str) -> (Agents, Vec<String>) {
        let src = SourceFile {
            path: "a.tsv".into(),
            kind: FileKind::Agents,
            text: text.into(),
            layer: 0,
        };
        let (a, d) = Agents::load(&[src]);
        (a, d.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn longest_phrase_wins_and_stems_inflect() {
        let (a, d) = agents(
            "name\tcode\nminister*\t~GOV\ndefence minister*|defense minister*\t~GOVMIL\npolice\t~COP\nrights group*\tNGO~\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let ws = ["the", "defence", "ministers", "and", "police", "rights", "groups"];
        let (ag, n) = a.at(&ws, 1).unwrap();
        assert_eq!((ag.code.as_str(), n), ("GOVMIL", 2));
        assert_eq!(a.at(&ws, 2).unwrap().0.code, "GOV");
        assert_eq!(a.at(&ws, 4).unwrap().0.notation(), "~COP");
        let (ng, _) = a.at(&ws, 5).unwrap();
        assert!(ng.prefix);
        assert_eq!(ng.notation(), "NGO~");
        assert!(a.at(&ws, 0).is_none());
        assert_eq!(a.ending_at(&ws, 3).map(|(a, s)| (a.code.as_str(), s)), Some(("GOVMIL", 1)));
        assert!(a.ending_at(&ws, 4).is_none());
    }

    #[test]
    fn reports_bad_rows_with_lines() {
        let (a, d) = agents(
            "name\tcode\npolice\tCOP~X\nsoldier*\t~mil\narmy\t~MIL\narmy\t~GOV\n\t~GOV\nnavy\t~MIL~\n",
        );
        assert_eq!(
            d,
            vec![
                "a.tsv:2: error: code \"COP~X\" is not CAMEO agent letters (3-letter groups such as ~GOV, ~GOVMIL or NGO~)",
                "a.tsv:3: error: code \"~mil\" is not CAMEO agent letters (3-letter groups such as ~GOV, ~GOVMIL or NGO~)",
                "a.tsv:5: error: duplicate agent \"army\" (first at a.tsv:4)",
                "a.tsv:6: error: empty name",
                "a.tsv:7: error: code \"~MIL~\" has \"~\" on both sides",
            ]
        );
        assert_eq!(a.agents.len(), 1);
    }

    #[test]
    fn later_layers_replace_and_remove() {
        let base = "name\tcode\npolice\t~COP\narmy\t~MIL\n";
        let user = "name\tcode\tstatus\npolice|policemen\t~GOV\t\narmy\t~MIL\toff\n";
        let src = |t: &str, layer| SourceFile {
            path: format!("l{layer}.tsv"),
            kind: FileKind::Agents,
            text: t.into(),
            layer,
        };
        let (a, d) = Agents::load(&[src(base, 0), src(user, 1)]);
        assert!(d.is_empty());
        assert_eq!(a.agents.len(), 1);
        assert_eq!(a.agents[0].code, "GOV");
        assert_eq!(a.at(&["policemen"], 0).unwrap().0.loc, "l1.tsv:2");
    }
}
