//! CAMEO/PETRARCH actor dictionaries → our gazetteer rows.
//!
//! Users of TABARI, PETRARCH and Phoenix curate actor dictionaries like
//! this one (the restriction lines start with a TAB):
//!
//! ```text
//! GOLLUM  # a comment
//! +SMEAGOL
//!     [HOB < 950601]
//!     [HOBGOV 19950601 - 19990815]
//! JAVIER_SOLANA_  [IGOEUREEC 950701-951231][IGOWSTNAT 951205-991006]
//! ```
//!
//! [`parse`] reads one: a primary phrase (`_` joins words, a trailing `_`
//! turns stemming off) with an optional default `[CODE]`, `+synonym` lines,
//! and date restrictions `[CODE <date]`, `[CODE >date]`,
//! `[CODE date-date]` (YYMMDD or YYYYMMDD, bounds inclusive), on
//! TAB-indented lines or several inline. `#` and `<!-- -->` comments are
//! skipped. It is tolerant: a 7-digit date, a TAB inside a name or spaces
//! inside a range are read with a warning, and whatever cannot be read is
//! reported as a `file:line` warning, never a failure.
//!
//! [`convert`] turns the actors into rows of `countries-imported.tsv`,
//! `organisations-imported.tsv` and `people-imported.tsv`:
//!
//! - PETRARCH picks the first restriction that holds on the article date
//!   and falls back to the undated default. Our roles are chosen by date
//!   too, so each restriction becomes a role covering only the days no
//!   earlier restriction covers, and the default fills the gaps: the rows
//!   never overlap and resolve exactly as PETRARCH would.
//! - An actor whose only code is a bare country code (`[GON]`, undated) is
//!   a name of that country. A country code our bundled gazetteer lacks
//!   (`ARN`, old TABARI `JAP`) becomes a `countries-imported.tsv` row,
//!   named by the first dictionary entry for it.
//! - Actors with date restrictions, and undated actors with a person-like
//!   name (two to five words, no organisation or place word), are people:
//!   the country is the code's first three letters (empty for `IGO…`,
//!   `NGO…` and other international codes), the role `official` for
//!   state agents (GOV, MIL, LEG, JUD, COP, SPY), and the raw CAMEO code
//!   goes to `note`.
//! - Everything else is an organisation.
//!
//! Names already in the bundled gazetteer (`Japan`, `NATO`) are left to it:
//! an imported copy would claim a form twice and fail `gazette check`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};

use crate::error::Diagnostic;
use crate::gazetteer::Gazetteer;

/// One `[CODE …]` as written, with its dates (inclusive; `None` = open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restriction {
    /// Upper-cased code; `---` and other codes without letters mean "no actor".
    pub code: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// False for a default (`[CODE]`).
    pub dated: bool,
    pub line: usize,
}

/// One dictionary entry: the primary phrase, its synonyms and codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The primary phrase's words (`SAM_GAMGEE` → `["SAM", "GAMGEE"]`).
    pub words: Vec<String>,
    /// The primary phrase as written.
    pub phrase: String,
    /// Each synonym's words.
    pub synonyms: Vec<Vec<String>>,
    /// In file order.
    pub restrictions: Vec<Restriction>,
    pub line: usize,
}

/// Reads an actor dictionary. Never fails: problems become warnings.
pub fn parse(path: &str, text: &str) -> (Vec<Actor>, Vec<Diagnostic>) {
    let mut actors: Vec<Actor> = vec![];
    let mut diags = vec![];
    let mut in_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = strip_comments(raw, &mut in_comment);
        if line.trim().is_empty() {
            continue;
        }
        let (head, codes) = match line.find('[') {
            Some(at) => (&line[..at], &line[at..]),
            None => (line.as_str(), ""),
        };
        let restrictions = parse_codes(path, line_no, codes, &mut diags);
        let name = head.trim();
        if name.is_empty() {
            // A restriction line (normally TAB-indented).
            match actors.last_mut() {
                Some(a) => a.restrictions.extend(restrictions),
                None => diags.push(Diagnostic::warning(
                    path,
                    line_no,
                    "codes before any actor; skipped",
                )),
            }
            continue;
        }
        if name.contains('\t') {
            diags.push(Diagnostic::warning(
                path,
                line_no,
                format!(
                    "TAB inside the name \"{}\"; read as a word break",
                    name.replace('\t', "\\t")
                ),
            ));
        }
        if let Some(syn) = name.strip_prefix('+') {
            let words = phrase_words(syn);
            match actors.last_mut() {
                Some(a) if !words.is_empty() => {
                    a.synonyms.push(words);
                    a.restrictions.extend(restrictions);
                }
                Some(_) => diags.push(Diagnostic::warning(path, line_no, "empty synonym; skipped")),
                None => diags.push(Diagnostic::warning(
                    path,
                    line_no,
                    format!("synonym \"{syn}\" before any actor; skipped"),
                )),
            }
            continue;
        }
        let words = phrase_words(name);
        if words.is_empty() {
            diags.push(Diagnostic::warning(
                path,
                line_no,
                format!("cannot read a phrase in \"{name}\""),
            ));
            continue;
        }
        actors.push(Actor {
            words,
            phrase: name.split_whitespace().collect::<Vec<_>>().join("_"),
            synonyms: vec![],
            restrictions,
            line: line_no,
        });
    }
    (actors, diags)
}

/// Removes `#` and `<!-- -->` comments (which may span lines; the
/// validation files also write `<! --`).
fn strip_comments(raw: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = raw;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(at) => {
                    rest = &rest[at + 3..];
                    *in_comment = false;
                }
                None => return out,
            }
        }
        match (rest.find("<!"), rest.find('#')) {
            (Some(c), h) if h.is_none_or(|h| c < h) => {
                out.push_str(&rest[..c]);
                rest = &rest[c + 2..];
                *in_comment = true;
            }
            (_, Some(h)) => {
                out.push_str(&rest[..h]);
                return out;
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// `SAM_GAMGEE_` → `["SAM", "GAMGEE"]`; spaces and TABs also break words.
fn phrase_words(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('|', ""))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Reads `[CODE date][CODE]…`.
fn parse_codes(
    path: &str,
    line: usize,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Restriction> {
    let mut out = vec![];
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        if !rest[..open].trim().is_empty() {
            diags.push(Diagnostic::warning(
                path,
                line,
                format!("ignored \"{}\" between codes", rest[..open].trim()),
            ));
        }
        let Some(close) = rest[open..].find(']') else {
            diags.push(Diagnostic::warning(
                path,
                line,
                format!("unclosed \"{}\"; skipped", rest[open..].trim()),
            ));
            return out;
        };
        let inner = &rest[open + 1..open + close];
        if let Some(r) = parse_restriction(path, line, inner, diags) {
            out.push(r);
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.trim().is_empty() {
        diags.push(Diagnostic::warning(
            path,
            line,
            format!("ignored \"{}\" after the codes", rest.trim()),
        ));
    }
    out
}

/// Reads the inside of one `[…]`: `HOBGOV 19950601 - 19990815`, `HOB <950601`, `ELI`.
fn parse_restriction(
    path: &str,
    line: usize,
    inner: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Restriction> {
    let t = inner.trim();
    let code_end = t.find(|c: char| c.is_whitespace() || c == '<' || c == '>').unwrap_or(t.len());
    let (code, dates) = (&t[..code_end], &t[code_end..]);
    let code_looks_like_date = code.bytes().any(|b| b.is_ascii_digit())
        && code.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if code.is_empty() || code_looks_like_date {
        diags.push(Diagnostic::warning(path, line, format!("[{inner}] has no code; skipped")));
        return None;
    }
    let mut code = code.to_string();
    if code.bytes().any(|b| b.is_ascii_lowercase()) {
        let upper = code.to_ascii_uppercase();
        diags.push(Diagnostic::warning(
            path,
            line,
            format!("code \"{code}\" is in lower case; read as {upper}"),
        ));
        code = upper;
    }
    if code.contains('/') {
        let first = code.split('/').next().unwrap_or("").to_string();
        diags.push(Diagnostic::warning(
            path,
            line,
            format!("several codes \"{code}\"; only the first, {first}, is kept"),
        ));
        code = first;
    }
    let spec: String = dates.chars().filter(|c| !c.is_whitespace()).collect();
    if spec.len() != dates.trim().len() && dates.trim().contains('-') {
        diags.push(Diagnostic::warning(
            path,
            line,
            format!("spaces inside the range \"{}\"", dates.trim()),
        ));
    }
    let mut date = |s: &str| read_date(path, line, s, diags);
    let (start, end) = if spec.is_empty() {
        return Some(Restriction { code, start: None, end: None, dated: false, line });
    } else if let Some(d) = spec.strip_prefix('<') {
        (None, Some(date(d)?))
    } else if let Some(d) = spec.strip_prefix('>') {
        (Some(date(d)?), None)
    } else if let Some((a, b)) = spec.split_once('-') {
        (Some(date(a)?), Some(date(b)?))
    } else {
        diags.push(Diagnostic::warning(
            path,
            line,
            format!(
                "cannot read the date restriction \"{}\" (want <date, >date or date-date); skipped",
                dates.trim()
            ),
        ));
        return None;
    };
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            diags.push(Diagnostic::warning(
                path,
                line,
                format!("[{inner}] ends before it starts; skipped"),
            ));
            return None;
        }
    }
    Some(Restriction { code, start, end, dated: true, line })
}

/// `YYMMDD` (00–29 → 20xx) or `YYYYMMDD`; a 7-digit date is read when
/// only one reading is a real date.
fn read_date(path: &str, line: usize, s: &str, diags: &mut Vec<Diagnostic>) -> Option<NaiveDate> {
    if !s.bytes().all(|b| b.is_ascii_digit()) || s.is_empty() {
        diags.push(Diagnostic::warning(
            path,
            line,
            format!("\"{s}\" is not a date (YYMMDD or YYYYMMDD); skipped"),
        ));
        return None;
    }
    if let Some(d) = exact_date(s) {
        return Some(d);
    }
    if s.len() == 7 {
        let mut readings: Vec<NaiveDate> = if matches!(&s[..2], "19" | "20") {
            // YYYYMMDD missing a digit.
            (4..=7).filter_map(|i| exact_date(&format!("{}0{}", &s[..i], &s[i..]))).collect()
        } else {
            // YYMMDD with one digit too many.
            (0..7).filter_map(|i| exact_date(&format!("{}{}", &s[..i], &s[i + 1..]))).collect()
        };
        readings.sort();
        readings.dedup();
        if let [d] = readings[..] {
            diags.push(Diagnostic::warning(
                path,
                line,
                format!("7-digit date \"{s}\" read as {d}"),
            ));
            return Some(d);
        }
        let list: Vec<String> = readings.iter().map(|d| d.to_string()).collect();
        let could = if list.is_empty() {
            String::new()
        } else {
            format!(" (could be {})", list.join(", "))
        };
        diags.push(Diagnostic::warning(
            path,
            line,
            format!("cannot read the 7-digit date \"{s}\"{could}; skipped"),
        ));
        return None;
    }
    diags.push(Diagnostic::warning(
        path,
        line,
        format!("\"{s}\" is not a date (YYMMDD or YYYYMMDD); skipped"),
    ));
    None
}

fn exact_date(s: &str) -> Option<NaiveDate> {
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (y, m, d) = match s.len() {
        6 => {
            let yy = n(0..2)? as i32;
            (if yy < 30 { 2000 + yy } else { 1900 + yy }, n(2..4)?, n(4..6)?)
        }
        8 => (n(0..4)? as i32, n(4..6)?, n(6..8)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

// ---------------------------------------------------------------- convert

/// What the bundled gazetteer already has: imported rows must not clash.
#[derive(Debug, Default, Clone)]
pub struct Known {
    pub countries: HashSet<String>,
    /// Every name and alias of a country, organisation or person.
    pub forms: HashSet<String>,
    /// The bundled countries, to copy when [`Known::extend_countries`] is set.
    pub bundled: HashMap<String, crate::gazetteer::Country>,
    /// Import new names of bundled countries (`+OSAKA_` under `JAPAN_ [JPN]`)
    /// as a `countries-imported.tsv` row that copies the bundled one and
    /// adds them, replacing it when layered. Off: they are only counted.
    pub extend_countries: bool,
}

impl Known {
    pub fn from_gazetteer(g: &Gazetteer) -> Known {
        let mut forms = HashSet::new();
        for c in &g.countries {
            forms.extend(
                std::iter::once(&c.name)
                    .chain(&c.aliases)
                    .chain(&c.demonyms)
                    .chain(&c.capitals)
                    .cloned(),
            );
        }
        for o in &g.orgs {
            forms.extend(std::iter::once(&o.name).chain(&o.aliases).cloned());
        }
        for p in &g.people {
            forms.extend(std::iter::once(&p.name).chain(&p.aliases).cloned());
        }
        Known {
            countries: g.countries.iter().map(|c| c.id.clone()).collect(),
            forms,
            bundled: g.countries.iter().map(|c| (c.id.clone(), c.clone())).collect(),
            extend_countries: false,
        }
    }
}

/// A row of `countries-imported.tsv`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountryRow {
    pub id: String,
    pub name: String,
    /// Filled only when a bundled row is copied and extended.
    pub official: String,
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
    pub capitals: Vec<String>,
    pub ambiguous: Vec<String>,
    pub note: String,
}

/// A row of `organisations-imported.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub country: String,
    pub kind: String,
    /// CAMEO agent letters after the country (`GOV` of `JPNGOV`), or "".
    pub agent: String,
    pub note: String,
}

/// A row of `people-imported.tsv`: one role of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    /// Only on the person's first row.
    pub aliases: Vec<String>,
    pub country: String,
    pub role: String,
    /// CAMEO agent letters after the country (`GOV` of `HOBGOV`), or "".
    pub agent: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// `CAMEO <code>, <file>:<line>`.
    pub note: String,
}

/// The converted dictionary.
#[derive(Debug, Default, Clone)]
pub struct Import {
    pub countries: Vec<CountryRow>,
    pub orgs: Vec<OrgRow>,
    pub people: Vec<PersonRow>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The parts of a CAMEO actor code.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Code {
    /// Three upper-case letters, or empty for international and sector-only codes.
    country: String,
    /// What follows the country (`GOV`, `MILNAV`), or the whole code when
    /// it has no country (`IGOWSTNAT`, `ELI`).
    agent: String,
}

/// Codes that name no country: international actors (`IGO…`) and agent
/// codes written alone (`[ELI]`).
const INTERNATIONAL: &[&str] = &["IGO", "NGO", "NGM", "IMG", "MNC", "UIS"];
const AGENTS_ALONE: &[&str] = &[
    "ELI", "GOV", "MIL", "REB", "OPP", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CVL", "LAB",
    "LEG", "HRI", "REF", "CRM", "UAF", "AGR", "HLH", "ENV", "SET", "MOD",
];
const STATE_AGENTS: &[&str] = &["GOV", "MIL", "LEG", "JUD", "COP", "SPY"];

fn split_code(code: &str) -> Code {
    let head = code.get(..3).unwrap_or(code);
    let is_country = code.len() >= 3
        && head.bytes().all(|b| b.is_ascii_uppercase())
        && !INTERNATIONAL.contains(&head)
        && !(code.len() == 3 && AGENTS_ALONE.contains(&code));
    if is_country {
        Code { country: head.to_string(), agent: code[3..].to_string() }
    } else {
        Code { country: String::new(), agent: code.to_string() }
    }
}

/// `---`, `+++`, `###`: PETRARCH's "no actor".
fn is_null(code: &str) -> bool {
    !code.bytes().any(|b| b.is_ascii_alphanumeric())
}

fn role_for(code: &Code) -> &'static str {
    let agent = code.agent.get(..3).unwrap_or("");
    if STATE_AGENTS.contains(&agent) || (code.country.is_empty() && INTERNATIONAL.contains(&agent))
    {
        "official"
    } else {
        ""
    }
}

/// The agent letters of a national code (`GOV` of `HOBGOV`); "-" (none,
/// whatever the role implies) for a bare country code; "" otherwise.
fn national_agent(code: &Code) -> String {
    if code.country.is_empty() {
        return String::new();
    }
    if code.agent.is_empty() {
        return "-".into();
    }
    match crate::gazetteer::parse_agent(&code.agent) {
        Ok((letters, _)) => letters.to_string(),
        Err(_) => String::new(),
    }
}

fn org_kind(code: &Code) -> &'static str {
    let agent = code.agent.get(..3).unwrap_or("");
    match agent {
        "IGO" => "igo",
        "NGO" | "NGM" => "ngo",
        "MNC" | "BUS" => "company",
        "GOV" => "government",
        "MIL" => "military",
        "LEG" => "legislature",
        "COP" => "police",
        "SPY" => "intelligence",
        "MED" => "media",
        "PTY" => "party",
        _ => "other",
    }
}

/// One period of an actor's codes after first-match-wins is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Period {
    code: String,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
}

const OPEN_LO: i64 = i64::MIN;
const OPEN_HI: i64 = i64::MAX;

fn day(d: Option<NaiveDate>, open: i64) -> i64 {
    d.map_or(open, |d| i64::from(d.num_days_from_ce()))
}

fn from_day(n: i64) -> Option<NaiveDate> {
    if n == OPEN_LO || n == OPEN_HI {
        return None;
    }
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(n).ok()?)
}

/// `iv` minus every interval in `covered` (all inclusive).
fn subtract(iv: (i64, i64), covered: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut pieces = vec![iv];
    for &(clo, chi) in covered {
        let mut next = vec![];
        for (lo, hi) in pieces {
            if chi < lo || clo > hi {
                next.push((lo, hi));
                continue;
            }
            if clo > lo {
                next.push((lo, clo - 1));
            }
            if chi < hi {
                next.push((chi + 1, hi));
            }
        }
        pieces = next;
    }
    pieces
}

/// Applies PETRARCH's rule (first dated restriction that holds, else the
/// default) and returns disjoint periods, null codes dropped, by start.
fn periods(restrictions: &[Restriction]) -> Vec<Period> {
    let mut covered: Vec<(i64, i64)> = vec![];
    let mut out: Vec<(i64, i64, String)> = vec![];
    for r in restrictions.iter().filter(|r| r.dated) {
        let iv = (day(r.start, OPEN_LO), day(r.end, OPEN_HI));
        for (lo, hi) in subtract(iv, &covered) {
            out.push((lo, hi, r.code.clone()));
        }
        covered.push(iv);
    }
    if let Some(default) = restrictions.iter().find(|r| !r.dated) {
        for (lo, hi) in subtract((OPEN_LO, OPEN_HI), &covered) {
            out.push((lo, hi, default.code.clone()));
        }
    }
    out.sort();
    out.into_iter()
        .filter(|(_, _, code)| !is_null(code))
        .map(|(lo, hi, code)| Period { code, start: from_day(lo), end: from_day(hi) })
        .collect()
}

/// Words that make a phrase an organisation or a place, not a person.
const NOT_PERSON_WORDS: &[&str] = &[
    "ADMINISTRATION",
    "AGENCY",
    "ALLIANCE",
    "ARMY",
    "ASSEMBLY",
    "ASSOCIATION",
    "AUTHORITY",
    "BANK",
    "BOARD",
    "BRIGADE",
    "BUREAU",
    "CABINET",
    "CENTER",
    "CENTRE",
    "CHURCH",
    "CITY",
    "COAST",
    "COMMAND",
    "COMMISSION",
    "COMMITTEE",
    "COMPANY",
    "CONGRESS",
    "CORPORATION",
    "COUNCIL",
    "COURT",
    "DEPARTMENT",
    "EAST",
    "EMIRATES",
    "FEDERATION",
    "FORCE",
    "FORCES",
    "FOUNDATION",
    "FRONT",
    "FUND",
    "GOVERNMENT",
    "GROUP",
    "GUARD",
    "GUNMEN",
    "HOUSE",
    "INSTITUTE",
    "ISLANDS",
    "KINGDOM",
    "LEAGUE",
    "MILITARY",
    "MINISTRY",
    "MOVEMENT",
    "NATIONS",
    "NAVY",
    "NEWS",
    "NORTH",
    "OF",
    "OFFICE",
    "ORGANISATION",
    "ORGANIZATION",
    "PARLIAMENT",
    "PARTY",
    "POLICE",
    "PRESS",
    "PROGRAM",
    "PROGRAMME",
    "RADIO",
    "REBELS",
    "REPUBLIC",
    "SERVICE",
    "SOUTH",
    "STATES",
    "STRONGHOLD",
    "TANKS",
    "TELEVISION",
    "THE",
    "TOWER",
    "TROOPS",
    "UNION",
    "UNIVERSITY",
    "WEST",
    "WING", // places and public bodies
    "ACADEMY",
    "ACTION",
    "AG",
    "AID",
    "AND",
    "BANCORP",
    "CAMPAIGN",
    "CO",
    "CORP",
    "DEVELOPMENT",
    "EL",
    "ENERGY",
    "FOR",
    "GMBH",
    "HOLDINGS",
    "INC",
    "INCORPORATED",
    "INDUSTRIES",
    "INITIATIVE",
    "INTERNATIONAL",
    "LA",
    "LABORATORIES",
    "LTD",
    "MISSION",
    "NETWORK",
    "PLC",
    "PROJECT",
    "RELIEF",
    "RIGHTS",
    "S.A.",
    "SA",
    "SOCIETY",
    "SYSTEMS",
    "TECHNOLOGIES",
    "TRUST",
    "WATCH", // companies, NGOs
];

/// Two to five words of letters (with `.`, `-`, `'`), none an
/// organisation or place word.
fn person_like(words: &[String]) -> bool {
    (2..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\''))
                && !NOT_PERSON_WORDS.contains(&w.to_ascii_uppercase().as_str())
        })
}

const SMALL_WORDS: &[&str] =
    &["of", "the", "and", "for", "on", "in", "de", "la", "du", "von", "van", "al"];

/// The form news writes: Title Case, small words lower-case inside a name,
/// words with a `.` or a digit and roman numerals kept. A single word of up
/// to four letters is kept as written (mostly acronyms: `PLO`, `NATO`).
fn display_name(words: &[String]) -> String {
    if let [w] = words {
        if w.chars().count() <= 4 && w.chars().all(|c| c.is_ascii_uppercase()) {
            return w.clone();
        }
    }
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            let roman = w.len() <= 4 && w.chars().all(|c| "IVX".contains(c)) && i > 0;
            if w.contains('.') || w.chars().any(|c| c.is_ascii_digit()) || roman {
                w.clone()
            } else if i > 0 && SMALL_WORDS.contains(&lower.as_str()) {
                lower
            } else {
                title_case(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `BARAD-DUR` → `Barad-Dur`, `O'BRIEN` → `O'Brien`.
fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut upper_next = true;
    for c in w.chars() {
        if upper_next {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        // O'BRIEN → O'Brien, but AARON'S → Aaron's.
        upper_next = c == '-' || (c == '\'' && out.chars().count() == 2);
    }
    out
}

/// The forms to tag an actor by, name first. A short single word is kept
/// as written and also given in Title Case (`BREE` → `Bree`), unless the
/// bundled gazetteer already has it as written (`PLO`).
fn forms_of(actor: &Actor, known: &HashSet<String>) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for words in std::iter::once(&actor.words).chain(&actor.synonyms) {
        let name = display_name(words);
        let mut forms = vec![];
        if let [w] = &words[..] {
            if name == *w && !w.contains('.') && !known.contains(&name) {
                forms.push(title_case(w));
            }
        }
        forms.insert(0, name);
        for f in forms {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

fn slug(words: &[String], upper: bool) -> String {
    let mut out = String::new();
    let sep = if upper { '_' } else { '-' };
    for c in words.join(" ").chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() });
        } else if !out.is_empty() && !out.ends_with(sep) && !matches!(c, '.' | '\'') {
            out.push(sep);
        }
    }
    out.trim_end_matches(sep).to_string()
}

/// Who claimed a form first, for messages.
struct Claims {
    known: HashSet<String>,
    by: HashMap<String, (String, usize)>,
}

impl Claims {
    /// Keeps the forms nobody has yet; reports the others.
    fn take(
        &mut self,
        forms: Vec<String>,
        id: &str,
        path: &str,
        line: usize,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<String> {
        let mut kept = vec![];
        for f in forms {
            if self.known.contains(&f) {
                continue; // the bundled gazetteer has it; counted by the caller
            }
            match self.by.get(&f) {
                Some((other, _)) if other == id => kept.push(f),
                Some((other, at)) => diags.push(Diagnostic::warning(
                    path,
                    line,
                    format!("\"{f}\" already names {other} (line {at}); dropped here"),
                )),
                None => {
                    self.by.insert(f.clone(), (id.to_string(), line));
                    kept.push(f);
                }
            }
        }
        kept
    }
}

fn unique_id(base: String, used: &mut HashSet<String>, sep: char) -> String {
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}{sep}{n}");
        n += 1;
    }
    id
}

/// Turns parsed actors into gazetteer rows. `path` names the dictionary in
/// notes and warnings.
pub fn convert(path: &str, actors: &[Actor], known: &Known) -> Import {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let mut diags = vec![];
    let mut claims = Claims { known: known.forms.clone(), by: HashMap::new() };
    let mut out = Import::default();
    // Country code → (forms, line of the first entry, codes' notes).
    let mut country_forms: BTreeMap<String, (Vec<String>, usize)> = BTreeMap::new();
    let mut used_countries: BTreeMap<String, usize> = BTreeMap::new();
    let mut bundled_skipped: Vec<String> = vec![];
    let mut extended: BTreeMap<String, (Vec<String>, usize)> = BTreeMap::new();
    let mut person_ids = HashSet::new();
    let mut org_ids = HashSet::new();
    let mut seen: HashMap<&Vec<String>, &Actor> = HashMap::new();
    let mut repeats: Vec<usize> = vec![];

    for actor in actors {
        if let Some(first) = seen.get(&actor.words) {
            let same = |a: &[Restriction], b: &[Restriction]| {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| (&x.code, x.start, x.end) == (&y.code, y.start, y.end))
            };
            if same(&first.restrictions, &actor.restrictions) {
                repeats.push(actor.line);
            } else {
                diags.push(Diagnostic::warning(
                    path,
                    actor.line,
                    format!(
                        "{} is already at line {} with other codes; the first wins",
                        actor.phrase, first.line
                    ),
                ));
            }
            continue;
        }
        seen.insert(&actor.words, actor);
        let periods = periods(&actor.restrictions);
        let all_forms = forms_of(actor, &known.forms);
        if periods.is_empty() {
            let why = if actor.restrictions.is_empty() { "no code" } else { "no usable code" };
            diags.push(Diagnostic::warning(
                path,
                actor.line,
                format!("{} has {why}; skipped", actor.phrase),
            ));
            continue;
        }
        let dated = actor.restrictions.iter().any(|r| r.dated);
        let codes: Vec<Code> = periods.iter().map(|p| split_code(&p.code)).collect();
        let bare_country =
            !dated && codes.len() == 1 && !codes[0].country.is_empty() && codes[0].agent.is_empty();

        if bare_country {
            let code = &codes[0].country;
            if known.countries.contains(code) && known.extend_countries {
                let forms = claims.take(all_forms, code, path, actor.line, &mut diags);
                extended
                    .entry(code.clone())
                    .or_insert_with(|| (vec![], actor.line))
                    .0
                    .extend(forms);
                continue;
            }
            if known.countries.contains(code) {
                let new: Vec<String> =
                    all_forms.into_iter().filter(|f| !known.forms.contains(f)).collect();
                bundled_skipped.extend(new.into_iter().map(|f| format!("{f} ({code})")));
                continue;
            }
            let forms = claims.take(all_forms, code, path, actor.line, &mut diags);
            if forms.is_empty() {
                diags.push(Diagnostic::warning(
                    path,
                    actor.line,
                    format!("{}: every name is already taken; skipped", actor.phrase),
                ));
                continue;
            }
            let entry = country_forms.entry(code.clone()).or_insert_with(|| (vec![], actor.line));
            entry.0.extend(forms);
            continue;
        }

        // Companies and bare `[NGO]`s are never people; others by their dates or name.
        let company = codes.iter().all(|c| {
            c.country.is_empty()
                && (c.agent.starts_with("MNC") || INTERNATIONAL.contains(&c.agent.as_str()))
        });
        let person = !company && (dated || person_like(&actor.words));
        let id_base = slug(&actor.words, !person);
        if id_base.is_empty() {
            diags.push(Diagnostic::warning(
                path,
                actor.line,
                format!("cannot make an id from {}; skipped", actor.phrase),
            ));
            continue;
        }
        let id = if person {
            unique_id(id_base, &mut person_ids, '-')
        } else {
            unique_id(id_base, &mut org_ids, '_')
        };
        let forms = claims.take(all_forms, &id, path, actor.line, &mut diags);
        let Some((name, aliases)) = forms.split_first() else {
            diags.push(Diagnostic::warning(
                path,
                actor.line,
                format!("{}: every name is already taken; skipped", actor.phrase),
            ));
            continue;
        };
        if person {
            for (i, (p, code)) in periods.iter().zip(&codes).enumerate() {
                if !code.country.is_empty() && !known.countries.contains(&code.country) {
                    used_countries.entry(code.country.clone()).or_insert(actor.line);
                }
                out.people.push(PersonRow {
                    id: id.clone(),
                    name: name.clone(),
                    aliases: if i == 0 { aliases.to_vec() } else { vec![] },
                    country: code.country.clone(),
                    role: role_for(code).to_string(),
                    agent: national_agent(code),
                    start: p.start,
                    end: p.end,
                    note: format!("CAMEO {}, {file}:{}", p.code, actor.line),
                });
            }
        } else {
            // Organisations have no dates: the default, else the latest period.
            let pick = actor
                .restrictions
                .iter()
                .find(|r| !r.dated && !is_null(&r.code))
                .map(|r| r.code.clone())
                .unwrap_or_else(|| periods.last().map(|p| p.code.clone()).unwrap_or_default());
            if dated {
                diags.push(Diagnostic::warning(
                    path,
                    actor.line,
                    format!("{}: organisations have no dates; kept {pick} only", actor.phrase),
                ));
            }
            let code = split_code(&pick);
            if !code.country.is_empty() && !known.countries.contains(&code.country) {
                used_countries.entry(code.country.clone()).or_insert(actor.line);
            }
            out.orgs.push(OrgRow {
                id,
                name: name.clone(),
                aliases: aliases.to_vec(),
                country: code.country.clone(),
                kind: org_kind(&code).to_string(),
                agent: national_agent(&code),
                note: format!("CAMEO {pick}, {file}:{}", actor.line),
            });
        }
    }

    for (code, (forms, line)) in &country_forms {
        if let Some((name, aliases)) = forms.split_first() {
            out.countries.push(CountryRow {
                id: code.clone(),
                name: name.clone(),
                aliases: aliases.to_vec(),
                note: format!("CAMEO {code}, {file}:{line}"),
                ..CountryRow::default()
            });
        }
    }
    for (code, (forms, line)) in &extended {
        let Some(c) = known.bundled.get(code).filter(|_| !forms.is_empty()) else { continue };
        out.countries.push(CountryRow {
            id: code.clone(),
            name: c.name.clone(),
            official: c.official.clone(),
            aliases: c.aliases.iter().chain(forms).cloned().collect(),
            demonyms: c.demonyms.clone(),
            capitals: c.capitals.clone(),
            ambiguous: c.ambiguous.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect(),
            note: format!(
                "bundled row plus {} name(s) from {file}:{line} (CAMEO {code}); replaces the bundled row",
                forms.len()
            ),
        });
    }
    for (code, line) in used_countries {
        if out.countries.iter().any(|c| c.id == code) {
            continue;
        }
        // The code itself names the country, unless something else has that form.
        let mut name = code.clone();
        if claims.known.contains(&name) || claims.by.contains_key(&name) {
            name = format!("CAMEO code {code}");
        }
        claims.by.insert(name.clone(), (code.clone(), line));
        out.countries.push(CountryRow {
            id: code.clone(),
            name,
            note: format!("CAMEO {code}, used at {file}:{line}; no entry names it"),
            ..CountryRow::default()
        });
    }
    out.countries.sort_by(|a, b| a.id.cmp(&b.id));
    if !bundled_skipped.is_empty() {
        let shown: Vec<&str> = bundled_skipped.iter().take(5).map(String::as_str).collect();
        diags.push(Diagnostic::warning(
            path,
            0,
            format!(
                "{} names of countries we already have were not imported (e.g. {}); add them as aliases in a countries file if you want them",
                bundled_skipped.len(),
                shown.join(", ")
            ),
        ));
    }
    if let Some(first) = repeats.first() {
        diags.push(Diagnostic::warning(
            path,
            *first,
            format!(
                "{} entries repeat an earlier entry word for word (this one and later); skipped",
                repeats.len()
            ),
        ));
    }
    out.orgs.sort_by(|a, b| a.id.cmp(&b.id));
    out.people.sort_by(|a, b| (&a.id, a.start).cmp(&(&b.id, b.start)));
    diags.sort_by_key(|d| d.line);
    out.diagnostics = diags;
    out
}

/// [`parse`] then [`convert`]; the parse warnings come first.
pub fn import(path: &str, text: &str, known: &Known) -> Import {
    let (actors, mut diags) = parse(path, text);
    let mut imp = convert(path, &actors, known);
    diags.append(&mut imp.diagnostics);
    imp.diagnostics = diags;
    imp
}

/// The files [`Import::write`] creates.
pub const FILES: [&str; 3] =
    ["countries-imported.tsv", "organisations-imported.tsv", "people-imported.tsv"];

fn date_cell(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

impl Import {
    /// Writes the three [`FILES`] into `dir` (created if needed); `from`
    /// names the dictionary in their header comment.
    pub fn write(&self, dir: &std::path::Path, from: &str) -> crate::Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir.display(), e))?;
        let texts = [self.countries_tsv(from), self.orgs_tsv(from), self.people_tsv(from)];
        for (name, text) in FILES.iter().zip(texts) {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| crate::Error::io(path.display(), e))?;
        }
        Ok(())
    }

    /// `countries-imported.tsv`.
    pub fn countries_tsv(&self, from: &str) -> String {
        let mut s =
            header(from, "id\tname\tofficial\taliases\tdemonyms\tcapitals\tambiguous\tnote");
        for c in &self.countries {
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                c.id,
                c.name,
                c.official,
                c.aliases.join("|"),
                c.demonyms.join("|"),
                c.capitals.join("|"),
                c.ambiguous.join("|"),
                c.note
            ));
        }
        s
    }

    /// `organisations-imported.tsv`.
    pub fn orgs_tsv(&self, from: &str) -> String {
        let mut s = header(from, "id\tname\taliases\tcountry\tkind\tagent\tnote");
        for o in &self.orgs {
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                o.id,
                o.name,
                o.aliases.join("|"),
                o.country,
                o.kind,
                o.agent,
                o.note
            ));
        }
        s
    }

    /// `people-imported.tsv`.
    pub fn people_tsv(&self, from: &str) -> String {
        let mut s = header(from, "id\tname\taliases\tcountry\trole\tagent\tstart\tend\tnote");
        for p in &self.people {
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                p.id,
                p.name,
                p.aliases.join("|"),
                p.country,
                p.role,
                p.agent,
                date_cell(p.start),
                date_cell(p.end),
                p.note
            ));
        }
        s
    }
}

fn header(from: &str, columns: &str) -> String {
    format!("# Imported by `gazette import cameo` from {from}. Edit freely; re-importing overwrites.\n{columns}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn parsed(text: &str) -> (Vec<Actor>, Vec<String>) {
        let (a, diags) = parse("t.txt", text);
        (a, diags.iter().map(|d| d.to_string()).collect())
    }

    fn r(code: &str, start: &str, end: &str, line: usize) -> Restriction {
        Restriction {
            code: code.into(),
            start: d(start),
            end: d(end),
            dated: !start.is_empty() || !end.is_empty(),
            line,
        }
    }

    #[test]
    fn reads_phrases_synonyms_defaults_and_comments() {
        let (a, w) = parsed(
            "<!-- header\n# still a comment -->\nVELMORA_  [VLM] # note\n+VELMORAN\n+THE_VEL_COAST_\n\n\
             KESTREL ISLES [KST]\n<! -- odd opening -->\n#IGNORED [XXX]\n",
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].words, ["VELMORA"]);
        assert_eq!(
            a[0].synonyms,
            vec![vec!["VELMORAN".to_string()], vec!["THE".into(), "VEL".into(), "COAST".into()]]
        );
        assert_eq!(a[0].restrictions, vec![r("VLM", "", "", 3)]);
        assert_eq!(a[1].words, ["KESTREL", "ISLES"]);
        assert_eq!(a[1].line, 7);
    }

    #[test]
    fn reads_every_date_form() {
        let (a, w) = parsed(
            "ODO_PELLAM_\n\t[VLMCIV <950601]\n\t[VLMGOV 19950601-19990815]\n\t[VLMREB > 990816]\n\t[VLM]\n\
             RENA_VOSS_\t[IGOKSTCOU 950701-951231][IGOWSTNAT 951205-20011006] [ELI]\n",
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(
            a[0].restrictions,
            vec![
                r("VLMCIV", "", "1995-06-01", 2),
                r("VLMGOV", "1995-06-01", "1999-08-15", 3),
                r("VLMREB", "1999-08-16", "", 4),
                r("VLM", "", "", 5),
            ]
        );
        assert_eq!(
            a[1].restrictions,
            vec![
                r("IGOKSTCOU", "1995-07-01", "1995-12-31", 6),
                r("IGOWSTNAT", "1995-12-05", "2001-10-06", 6),
                r("ELI", "", "", 6),
            ]
        );
    }

    #[test]
    fn tolerates_the_documented_typos_with_warnings() {
        let (a, w) = parsed(
            "TOMAS_BRELL_\n\t[VLMGOVBUS 2004017-20061201]\n\t[VLMGOV 19950601 - 19990815]\n\
             IDA_MARROW\t_VELMORA_\t[IGOWSTNAT 690101-711231]\n\
             BAD_DATES_\n\t[VLM 9008223-911221]\n\t[VLM 990231-991231]\n\t[VLM 950101]\n\t[950601-990815]\n\
             LOW_CASE [vlm]\n",
        );
        assert_eq!(a.len(), 4);
        assert_eq!(a[0].restrictions[0].start, d("2004-01-07"));
        assert_eq!(a[0].restrictions[1].start, d("1995-06-01"));
        assert_eq!(a[1].words, ["IDA", "MARROW", "VELMORA"]);
        assert_eq!(a[2].restrictions, vec![]);
        assert_eq!(a[3].restrictions[0].code, "VLM");
        let want = [
            "t.txt:2: warning: 7-digit date \"2004017\" read as 2004-01-07",
            "t.txt:3: warning: spaces inside the range \"19950601 - 19990815\"",
            "t.txt:4: warning: TAB inside the name \"IDA_MARROW\\t_VELMORA_\"; read as a word break",
            "t.txt:6: warning: cannot read the 7-digit date \"9008223\" (could be 1990-02-23, 1990-08-22, 1990-08-23); skipped",
            "t.txt:7: warning: \"990231\" is not a date (YYMMDD or YYYYMMDD); skipped",
            "t.txt:8: warning: cannot read the date restriction \"950101\" (want <date, >date or date-date); skipped",
            "t.txt:9: warning: [950601-990815] has no code; skipped",
            "t.txt:10: warning: code \"vlm\" is in lower case; read as VLM",
        ];
        assert_eq!(w, want);
    }

    #[test]
    fn first_listed_restriction_wins_and_the_default_fills_gaps() {
        let rs = vec![
            r("VLMCIV", "", "2008-01-20", 1),
            r("ORCVLM", "2010-01-09", "2010-01-12", 2),
            r("VLMMIL", "2008-01-20", "2012-11-09", 3),
            r("VLM", "", "", 4),
            r("---", "2013-01-01", "2013-12-31", 5),
        ];
        let got: Vec<(String, Option<NaiveDate>, Option<NaiveDate>)> =
            periods(&rs).into_iter().map(|p| (p.code, p.start, p.end)).collect();
        let want = vec![
            ("VLMCIV".to_string(), None, d("2008-01-20")),
            ("VLMMIL".into(), d("2008-01-21"), d("2010-01-08")),
            ("ORCVLM".into(), d("2010-01-09"), d("2010-01-12")),
            ("VLMMIL".into(), d("2010-01-13"), d("2012-11-09")),
            ("VLM".into(), d("2012-11-10"), d("2012-12-31")),
            // 2013 belongs to the null code: no row.
            ("VLM".into(), d("2014-01-01"), None),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn names_and_ids() {
        let w = |s: &str| phrase_words(s);
        assert_eq!(display_name(&w("PRINCE_OF_DOL_AMROTH")), "Prince of Dol Amroth");
        assert_eq!(display_name(&w("BARAD-DUR")), "Barad-Dur");
        assert_eq!(display_name(&w("K._ANNAN_")), "K. Annan");
        assert_eq!(display_name(&w("PLO")), "PLO");
        assert_eq!(display_name(&w("HENRY_VIII")), "Henry VIII");
        assert_eq!(slug(&w("PRESIDENT_GEORGE_W._BUSH"), false), "president-george-w-bush");
        assert_eq!(slug(&w("O'NEIL_GROUP"), true), "ONEIL_GROUP");
        assert_eq!(display_name(&w("O'NEIL_AARON'S")), "O'Neil Aaron's");
        assert!(person_like(&w("ODO_PELLAM_")));
        assert!(!person_like(&w("VELMORAN_TROOPS")));
        assert!(!person_like(&w("GOLLUM")));
    }

    const DICT: &str = "\
VELMORA_  [VLM]
+VELMORAN
KESTREL_PORT [KST]
JAPAN [JAP]
+JAPAN
ODO_PELLAM_
+PELLAM
\t[VLMGOV 950601-991231]
\t[KSTMIL >20000101]
\t[VLM]
RENA_VOSS_\t[IGOWSTNAT 950701-951231]
VELMORAN_TROOPS [VLMMIL]
SOUTH_KESTREL_ASSEMBLY [QQQLEG]
NORTH_ATLANTIC_TREATY_ORGANIZATION_ [IGOWSTNAT]
+NATO
TOBIN_FARR_ [VLMGOV]
+PELLAM
BORIN [---]
";

    fn known() -> Known {
        Known {
            countries: ["JPN", "KST"].iter().map(|s| s.to_string()).collect(),
            forms: ["Japan", "NATO", "Kestrel"].iter().map(|s| s.to_string()).collect(),
            ..Known::default()
        }
    }

    #[test]
    fn extends_a_bundled_country_when_asked() {
        let l = crate::gazetteer::load_sources(&[crate::gazetteer::SourceFile {
            path: "c.tsv".into(),
            kind: crate::gazetteer::FileKind::Countries,
            text: "id\tname\taliases\tdemonyms\nKST\tKestrel\tKestrelia\tKestrelian\n".into(),
            layer: 0,
        }]);
        let mut known = Known::from_gazetteer(&l.gazetteer);
        let (actors, _) = parse("d.txt", "KESTREL_ [KST]\n+PORT_VEYL_\n+KESTRELIAN\n");
        assert!(convert("d.txt", &actors, &known).countries.is_empty());
        known.extend_countries = true;
        let imp = convert("d.txt", &actors, &known);
        let c = &imp.countries[0];
        assert_eq!((c.id.as_str(), c.name.as_str()), ("KST", "Kestrel"));
        assert_eq!(c.aliases, ["Kestrelia", "Port Veyl"]);
        assert_eq!(c.demonyms, ["Kestrelian"]);
    }

    #[test]
    fn converts_to_countries_people_and_organisations() {
        let (actors, _) = parse("dict.txt", DICT);
        let imp = convert("dict.txt", &actors, &known());
        let countries: Vec<(&str, &str, String)> = imp
            .countries
            .iter()
            .map(|c| (c.id.as_str(), c.name.as_str(), c.aliases.join("|")))
            .collect();
        assert_eq!(
            countries,
            vec![("QQQ", "QQQ", String::new()), ("VLM", "Velmora", "Velmoran".to_string()),]
        );
        let people: Vec<String> = imp
            .people
            .iter()
            .map(|p| {
                format!(
                    "{} {} [{}] {} {} {}..{} {}",
                    p.id,
                    p.name,
                    p.aliases.join("|"),
                    p.country,
                    p.role,
                    date_cell(p.start),
                    date_cell(p.end),
                    p.note
                )
            })
            .collect();
        assert_eq!(
            people,
            vec![
                "odo-pellam Odo Pellam [Pellam] VLM  ..1995-05-31 CAMEO VLM, dict.txt:6",
                "odo-pellam Odo Pellam [] VLM official 1995-06-01..1999-12-31 CAMEO VLMGOV, dict.txt:6",
                "odo-pellam Odo Pellam [] KST official 2000-01-01.. CAMEO KSTMIL, dict.txt:6",
                "rena-voss Rena Voss []  official 1995-07-01..1995-12-31 CAMEO IGOWSTNAT, dict.txt:11",
                "tobin-farr Tobin Farr [] VLM official .. CAMEO VLMGOV, dict.txt:16",
            ]
        );
        let orgs: Vec<String> = imp
            .orgs
            .iter()
            .map(|o| format!("{} {} {} {}", o.id, o.name, o.country, o.kind))
            .collect();
        assert_eq!(
            orgs,
            vec![
                "NORTH_ATLANTIC_TREATY_ORGANIZATION North Atlantic Treaty Organization  igo",
                "SOUTH_KESTREL_ASSEMBLY South Kestrel Assembly QQQ legislature",
                "VELMORAN_TROOPS Velmoran Troops VLM military",
            ]
        );
        let w: Vec<String> = imp.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(w.contains(&"dict.txt:0: warning: 1 names of countries we already have were not imported (e.g. Kestrel Port (KST)); add them as aliases in a countries file if you want them".to_string()), "{w:#?}");
        assert!(
            w.contains(
                &"dict.txt:16: warning: \"Pellam\" already names odo-pellam (line 6); dropped here"
                    .to_string()
            ),
            "{w:#?}"
        );
        assert!(
            w.contains(&"dict.txt:18: warning: BORIN has no usable code; skipped".to_string()),
            "{w:#?}"
        );
        assert!(
            w.contains(
                &"dict.txt:4: warning: JAPAN: every name is already taken; skipped".to_string()
            ),
            "{w:#?}"
        );
    }
}
