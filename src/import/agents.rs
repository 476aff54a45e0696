//! CAMEO/PETRARCH agent dictionaries (`Phoenix.agents.txt`) into
//! `agents-imported.tsv`.
//!
//! The format, line by line:
//!
//! - `PHRASE {PLURALS} [~CODE]`: `_` joins words; `{}` means no plural,
//!   `{A_B}` gives the plural(s), and without braces the plural is made the
//!   English way (`S`, `ES` after S/X/CH/SH, `IES` for a final consonant +
//!   `Y`). A trailing `_` also means no plural. `~CODE` is written after the
//!   actor's code, `CODE~` before it.
//! - `!SET! = A, B, C`: a substitution set; `!SET!` inside a phrase stands
//!   for each member in turn (the members carry their own plurals).
//! - `#` starts a comment; `<!-- … -->` lines are comments too.
//!
//! A line that cannot be read is reported with its line number and skipped;
//! a phrase listed twice keeps its first line.

use std::collections::{BTreeMap, HashSet};

use crate::error::Diagnostic;
use crate::gazetteer::parse_agent;

/// One row of `agents-imported.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRow {
    /// Lower-case forms, singular first.
    pub forms: Vec<String>,
    /// `~GOV` or `NGO~`.
    pub code: String,
    /// `file:line` of the dictionary entry.
    pub note: String,
}

/// The converted dictionary.
#[derive(Debug, Default, Clone)]
pub struct AgentImport {
    pub rows: Vec<AgentRow>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The file [`AgentImport::write`] creates.
pub const FILE: &str = "agents-imported.tsv";

/// The English plural PETRARCH makes of a word it is not told the plural of.
fn plural(word: &str) -> String {
    let consonant_y = word.ends_with('y')
        && !word[..word.len() - 1].ends_with(|c: char| "aeiou".contains(c))
        && word.len() > 1;
    if consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "ch", "sh", "z"].iter().any(|e| word.ends_with(e)) {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// `FOREIGN_MINISTER` → `foreign minister`.
fn words(phrase: &str) -> String {
    phrase.split('_').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Every expansion of the `!SET!` markers in `phrase`.
fn expand(phrase: &str, sets: &BTreeMap<String, Vec<String>>) -> Result<Vec<String>, String> {
    let Some(open) = phrase.find('!') else { return Ok(vec![phrase.to_string()]) };
    let close = phrase[open + 1..]
        .find('!')
        .map(|i| open + 1 + i)
        .ok_or_else(|| format!("unclosed substitution marker in \"{phrase}\""))?;
    let name = &phrase[open + 1..close];
    let members = sets.get(name).ok_or_else(|| format!("unknown substitution set !{name}!"))?;
    let mut out = vec![];
    for m in members {
        let replaced = format!("{}{m}{}", &phrase[..open], &phrase[close + 1..]);
        out.extend(expand(&replaced, sets)?);
    }
    Ok(out)
}

/// Converts the agent dictionary `text` (named `path` in messages).
pub fn import(path: &str, text: &str) -> AgentImport {
    let mut out = AgentImport::default();
    let mut sets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with("<!--") {
            continue;
        }
        let mut warn = |msg: String| out.diagnostics.push(Diagnostic::warning(path, line_no, msg));
        if let Some((name, members)) = line.split_once('=') {
            let name = name.trim();
            match name.strip_prefix('!').and_then(|n| n.strip_suffix('!')) {
                Some(n) if !n.is_empty() => {
                    let members =
                        members.split(',').map(|m| m.trim().to_string()).filter(|m| !m.is_empty());
                    sets.insert(n.to_string(), members.collect());
                }
                _ => warn(format!("\"{name}\" is not a substitution set name (!NAME!)")),
            }
            continue;
        }
        let Some(open) = line.find('[') else {
            warn("no [code]; skipped".into());
            continue;
        };
        let Some(close) = line[open..].find(']').map(|c| open + c) else {
            warn("unclosed [code]; skipped".into());
            continue;
        };
        let code_cell: String = line[open + 1..close].split_whitespace().collect();
        let (letters, prefix) = match parse_agent(&code_cell) {
            Ok(c) if code_cell.contains('~') => c,
            Ok(_) => {
                warn(format!("code \"{code_cell}\" has no \"~\" (~CODE or CODE~); skipped"));
                continue;
            }
            Err(e) => {
                warn(format!("{e}; skipped"));
                continue;
            }
        };
        let head = &line[..open];
        let (phrase_part, plurals) = match head.find('{') {
            Some(b) => {
                let Some(e) = head[b..].find('}').map(|e| b + e) else {
                    warn("unclosed {plural}; skipped".into());
                    continue;
                };
                let given: Vec<String> =
                    head[b + 1..e].split([' ', ',']).filter(|p| !p.is_empty()).map(words).collect();
                (&head[..b], Some(given))
            }
            None => (head, None),
        };
        let parts: Vec<&str> = phrase_part.split_whitespace().collect();
        if parts.is_empty() {
            warn("no phrase before the code; skipped".into());
            continue;
        }
        if parts.len() > 1 {
            warn(format!("\"{}\" has a space; read as one phrase", parts.join(" ")));
        }
        let phrase = parts.join("_");
        let expansions = match expand(&phrase, &sets) {
            Ok(e) => e,
            Err(e) => {
                warn(format!("{e}; skipped"));
                continue;
            }
        };
        let substituted = phrase.contains('!');
        let mut forms: Vec<String> = vec![];
        for e in &expansions {
            let no_plural = e.ends_with('_') || substituted;
            let singular = words(e);
            if singular.is_empty() {
                continue;
            }
            forms.push(singular.clone());
            match &plurals {
                Some(given) => forms.extend(given.iter().cloned()),
                None if !no_plural => {
                    let (rest, last) = singular.rsplit_once(' ').unwrap_or(("", &singular));
                    let p = plural(last);
                    forms.push(if rest.is_empty() { p } else { format!("{rest} {p}") });
                }
                None => {}
            }
        }
        forms.retain(|f| !f.is_empty());
        let mut unique = vec![];
        for f in forms {
            if !unique.contains(&f) {
                unique.push(f);
            }
        }
        let Some(first) = unique.first() else { continue };
        if !seen.insert(first.clone()) {
            warn(format!("\"{first}\" is listed again; the first entry is kept"));
            continue;
        }
        let code = if prefix { format!("{letters}~") } else { format!("~{letters}") };
        out.rows.push(AgentRow { forms: unique, code, note: format!("{path}:{line_no}") });
    }
    out
}

impl AgentImport {
    /// `agents-imported.tsv`; `from` names the dictionary in the header.
    pub fn tsv(&self, from: &str) -> String {
        let mut s = format!(
            "# Imported by `gazette import cameo --kind agents` from {from}. Edit freely; re-importing overwrites.\nname\tcode\tnote\n"
        );
        for r in &self.rows {
            s.push_str(&format!("{}\t{}\t{}\n", r.forms.join("|"), r.code, r.note));
        }
        s
    }

    /// Writes [`FILE`] into `dir` (created if needed).
    pub fn write(&self, dir: &std::path::Path, from: &str) -> crate::Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir.display(), e))?;
        let path = dir.join(FILE);
        std::fs::write(&path, self.tsv(from)).map_err(|e| crate::Error::io(path.display(), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A dictionary written for these tests, in the agent format.
    const DICT: &str = "<!-- test agents -->
!PERSON! = MAN, MEN, WOMAN, WOMEN
!MINST! = MINISTER, MINISTERS, MINISTRY
GRAIN_TRADER [~BUS] # an entry
DAIRY!PERSON! [~AGR]
POLICE {} [ ~COP]
HARBOUR_MASTER {HARBOUR_MASTERS HARBOURMASTERS} [~GOV]
FLEET_
ARMY [~MIL]
ARMY_ [~MIL]
FERRY [~BUS]
LOCAL_CHURCH [~REL]
WATCHDOG_GROUP [NGO~]
CARTOGRAPHY_!MINST! [~GOVEDU]
SEA SERVICE [~MIL]
BAD_CODE [~gov]
NOTILDE [GOV]
ODD_!NOPE! [~GOV]
";

    #[test]
    fn converts_phrases_plurals_sets_and_codes() {
        let imp = import("t.txt", DICT);
        let rows: Vec<String> =
            imp.rows.iter().map(|r| format!("{} {}", r.forms.join("|"), r.code)).collect();
        assert_eq!(
            rows,
            vec![
                "grain trader|grain traders ~BUS",
                "dairyman|dairymen|dairywoman|dairywomen ~AGR",
                "police ~COP",
                "harbour master|harbour masters|harbourmasters ~GOV",
                "army|armies ~MIL",
                "ferry|ferries ~BUS",
                "local church|local churches ~REL",
                "watchdog group|watchdog groups NGO~",
                "cartography minister|cartography ministers|cartography ministry ~GOVEDU",
                "sea service|sea services ~MIL",
            ]
        );
        let msgs: Vec<String> = imp.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            msgs,
            vec![
                "t.txt:8: warning: no [code]; skipped",
                "t.txt:10: warning: \"army\" is listed again; the first entry is kept",
                "t.txt:15: warning: \"SEA SERVICE\" has a space; read as one phrase",
                "t.txt:16: warning: code \"~gov\" is not CAMEO agent letters (3-letter groups such as ~GOV, ~GOVMIL or NGO~); skipped",
                "t.txt:17: warning: code \"GOV\" has no \"~\" (~CODE or CODE~); skipped",
                "t.txt:18: warning: unknown substitution set !NOPE!; skipped",
            ]
        );
    }

    #[test]
    fn the_output_loads_as_an_agent_file() {
        let imp = import("t.txt", DICT);
        let src = crate::gazetteer::SourceFile {
            path: FILE.into(),
            kind: crate::gazetteer::FileKind::Agents,
            text: imp.tsv("t.txt"),
            layer: 1,
        };
        let (agents, diags) = crate::events::Agents::load(&[src]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(agents.agents.len(), imp.rows.len());
        let (a, n) = agents.at(&["cartography", "ministers"], 0).unwrap();
        assert_eq!((a.code.as_str(), n, a.loc.as_str()), ("GOVEDU", 2, "agents-imported.tsv:11"));
    }

    #[test]
    fn english_plurals() {
        for (s, p) in
            [("army", "armies"), ("day", "days"), ("church", "churches"), ("box", "boxes")]
        {
            assert_eq!(plural(s), p);
        }
    }
}
