//! Gazetteers: the plain, hand-editable TSV files that say which names are
//! countries, organisations and people. This module loads the bundled files
//! and the user's folders, layers them (same id replaces, `status=off`
//! removes), validates them and collects every problem as a `file:line`
//! [`Diagnostic`]. Matching lives in `tag/`.

mod load;
pub mod table;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::NaiveDate;

pub(crate) use load::ymd;
pub use load::{cross_check, layer_sources, load, load_sources, Loaded};

use crate::error::Diagnostic;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

    /// The names of the bundled files, one a line, compiled by `build.rs`
    /// into [`BUNDLED_AUTOMATON`] (a serialised daachorse automaton whose
    /// values are line numbers, from 0).
    pub static BUNDLED_FORMS: &str = include_str!(concat!(env!("OUT_DIR"), "/bundled_forms.txt"));
    pub static BUNDLED_AUTOMATON: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/bundled_forms.daac"));
}

pub(crate) use bundled::{BUNDLED_AUTOMATON, BUNDLED_FORMS};

/// Where an entry was written: `file:line`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: std::sync::Arc<str>,
    pub line: usize,
    /// `file:line` as text, written the first time it is asked for.
    shown: Shown,
}

impl Loc {
    pub fn new(file: std::sync::Arc<str>, line: usize) -> Loc {
        Loc { file, line, shown: Shown::default() }
    }

    /// `file:line`, the source of every mention of the entry: written once
    /// per entry, not once per mention.
    pub fn as_str(&self) -> &str {
        self.shown.0.get_or_init(|| Box::new(self.to_string()))
    }
}

/// [`Loc::as_str`]'s text once written: it follows from the file and the
/// line, so it takes no part in comparing, ordering or hashing locations.
/// One pointer (a million-name list has millions of locations); should two
/// threads write it at once, one text is kept and the other dropped.
#[derive(Clone, Default)]
struct Shown(once_cell::race::OnceBox<String>);

impl PartialEq for Shown {
    fn eq(&self, _: &Shown) -> bool {
        true
    }
}

impl Eq for Shown {}

impl PartialOrd for Shown {
    fn partial_cmp(&self, other: &Shown) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Shown {
    fn cmp(&self, _: &Shown) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl std::hash::Hash for Shown {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl std::fmt::Debug for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("..")
    }
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What a gazetteer file holds, told by its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Countries,
    Organisations,
    People,
    GivenNames,
    Triggers,
    Cameo,
    Agents,
}

impl FileKind {
    /// `countries*.tsv`, `organisations*.tsv` (or `organizations`), `people*.tsv`,
    /// `given_names*.tsv`, `triggers*.tsv`, `cameo*.tsv`, `agents*.tsv`.
    pub fn from_file_name(name: &str) -> Option<FileKind> {
        if !name.ends_with(".tsv") {
            return None;
        }
        let kinds = [
            ("countries", FileKind::Countries),
            ("organisations", FileKind::Organisations),
            ("organizations", FileKind::Organisations),
            ("people", FileKind::People),
            ("given_names", FileKind::GivenNames),
            ("triggers", FileKind::Triggers),
            ("cameo", FileKind::Cameo),
            ("agents", FileKind::Agents),
        ];
        kinds.iter().find(|(p, _)| name.starts_with(p)).map(|(_, k)| *k)
    }
}

/// One gazetteer file's text, with the name used in messages.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub kind: FileKind,
    pub text: String,
    /// 0 for the bundled files, then 1, 2… for each `--gazetteers` folder.
    pub layer: usize,
}

/// The files compiled into the binary.
pub fn bundled_sources() -> Vec<SourceFile> {
    bundled::BUNDLED
        .iter()
        .filter_map(|(name, text)| {
            FileKind::from_file_name(name).map(|kind| SourceFile {
                path: format!("gazetteers/{name}"),
                kind,
                text: text.to_string(),
                layer: 0,
            })
        })
        .collect()
}

/// Reads the gazetteer files of a user folder (not recursive), sorted by name.
pub fn folder_sources(dir: &std::path::Path, layer: usize) -> crate::Result<Vec<SourceFile>> {
    let read = std::fs::read_dir(dir).map_err(|e| crate::Error::io(dir.display(), e))?;
    let mut out = vec![];
    for entry in read {
        let entry = entry.map_err(|e| crate::Error::io(dir.display(), e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(kind) = FileKind::from_file_name(&name) else { continue };
        let path = entry.path();
        let text =
            std::fs::read_to_string(&path).map_err(|e| crate::Error::io(path.display(), e))?;
        out.push(SourceFile { path: path.display().to_string(), kind, text, layer });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// A country, with every form that names it.
#[derive(Debug, Clone)]
pub struct Country {
    pub id: String,
    pub name: String,
    pub official: String,
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
    pub capitals: Vec<String>,
    /// Forms (from any column) that need context to count.
    pub ambiguous: HashSet<String>,
    /// Longer place names that contain one of the forms but are not the
    /// country ("New Mexico", "South China Sea"): never tagged.
    pub blocked: Vec<String>,
    pub loc: Loc,
}

/// An organisation: international (no country) or national.
#[derive(Debug, Clone)]
pub struct Org {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// ISO3, or empty for international organisations.
    pub country: String,
    pub kind: String,
    pub function: String,
    /// For a body of an international organisation, the organisation whose
    /// id stands for it as an event actor (`CCDCOE` → `NATO`).
    pub parent: String,
    /// CAMEO agent letters (`GOV`, `MIL`…): the `agent` column, else what
    /// the kind implies ([`org_agent`]); "" for international ones.
    pub agent: String,
    /// Generic forms several bodies share ("Foreign Ministry"); resolved by context.
    pub shared_aliases: Vec<String>,
    pub loc: Loc,
}

/// A short text that many entries repeat (a country code, a role, agent
/// letters), kept once and shared: a million people's roles would
/// otherwise be four million small allocations.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shared(Arc<str>);

impl Shared {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Shared {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Shared {
    fn from(s: &str) -> Shared {
        Shared(s.into())
    }
}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Hands out one [`Shared`] per distinct text (Fx-hashed: the texts are
/// short codes, looked up four times per role).
#[derive(Default)]
pub struct Interner<'a>(rustc_hash::FxHashMap<&'a str, Shared>);

impl<'a> Interner<'a> {
    pub fn get(&mut self, s: &'a str) -> Shared {
        self.0.entry(s).or_insert_with(|| Shared::from(s)).clone()
    }
}

/// A role a person held, with its dates (inclusive; `None` = open).
#[derive(Debug, Clone)]
pub struct Role {
    pub country: Shared,
    pub role: Shared,
    pub org: Shared,
    /// CAMEO agent letters: the `agent` column, else what the role implies
    /// ([`role_agent`]).
    pub agent: Shared,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub loc: Loc,
}

impl Role {
    /// Whether the role was held on `date`.
    pub fn holds_on(&self, date: NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= date) && self.end.is_none_or(|e| date <= e)
    }
}

/// A person and the roles they held.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// The form used alone after a first full mention ("Kishi", "Xi").
    pub short: String,
    pub roles: Vec<Role>,
    pub loc: Loc,
}

/// Countries whose people's names put the family name first in English news.
pub const FAMILY_FIRST: &[&str] = &["CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "KHM"];

impl Person {
    /// The role held on `date`, preferring the most senior current one; without
    /// a date (or none held then), the latest role.
    pub fn role_on(&self, date: Option<NaiveDate>) -> Option<&Role> {
        if let Some(d) = date {
            if let Some(r) =
                self.roles.iter().filter(|r| r.holds_on(d)).min_by_key(|r| role_rank(&r.role))
            {
                return Some(r);
            }
            // Nearest role before the date, else the earliest after it.
            let before =
                self.roles.iter().filter(|r| r.end.is_some_and(|e| e < d)).max_by_key(|r| r.end);
            if before.is_some() {
                return before;
            }
            return self.roles.iter().min_by_key(|r| r.start);
        }
        self.roles.iter().max_by_key(|r| (r.start, std::cmp::Reverse(role_rank(&r.role))))
    }

    /// The country of the role on `date`, else of any role.
    pub fn country_on(&self, date: Option<NaiveDate>) -> &str {
        self.role_on(date)
            .map(|r| r.country.as_str())
            .filter(|c| !c.is_empty())
            .or_else(|| self.roles.iter().map(|r| r.country.as_str()).find(|c| !c.is_empty()))
            .unwrap_or("")
    }

    /// The default short form: the `short` column, else the last word of
    /// the name (the first for family-first countries).
    pub fn short_form(&self) -> &str {
        if !self.short.is_empty() {
            return &self.short;
        }
        let family_first = self.roles.iter().any(|r| FAMILY_FIRST.contains(&r.country.as_str()));
        let mut words = self.name.split_whitespace();
        let w = if family_first { words.next() } else { words.last() };
        w.unwrap_or("")
    }
}

/// Lower rank = more senior, used to pick one role when several overlap.
fn role_rank(role: &str) -> u8 {
    match role {
        "head_of_state_and_government" => 0,
        "head_of_state" => 1,
        "head_of_government" => 2,
        "secretary_general" => 3,
        "foreign_minister" => 4,
        "defence_minister" => 5,
        "deputy_head_of_government" => 6,
        "foreign_ministry_spokesperson" => 7,
        "minister" => 8,
        _ => 9,
    }
}

/// All entity gazetteers, layered and validated.
#[derive(Debug, Default, Clone)]
pub struct Gazetteer {
    pub countries: Vec<Country>,
    pub orgs: Vec<Org>,
    pub people: Vec<Person>,
    /// Hashed with Fx: the tag rules look a word up for nearly every
    /// capitalised candidate. Boxed (a name never grows); as `String`s the
    /// set shared its look-up code with the event lexicon's word sets, and
    /// the compiler stopped inlining that in the events' hottest loop.
    pub given_names: rustc_hash::FxHashSet<Box<str>>,
}

impl Gazetteer {
    pub fn country(&self, id: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.id == id)
    }

    pub fn org(&self, id: &str) -> Option<&Org> {
        self.orgs.iter().find(|o| o.id == id)
    }
}

/// Diagnostics plus whether any is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// Parses CAMEO agent letters as agent dictionaries write them: `~GOV`
/// (after the actor's code) or `NGO~` (before it); a bare `GOV` means `~GOV`.
/// Returns the letters and whether they go before.
pub fn parse_agent(cell: &str) -> Result<(&str, bool), String> {
    let cell = cell.trim();
    let (letters, prefix) = match (cell.strip_prefix('~'), cell.strip_suffix('~')) {
        (Some(l), None) => (l, false),
        (None, Some(l)) => (l, true),
        (None, None) => (cell, false),
        (Some(_), Some(_)) => return Err(format!("code \"{cell}\" has \"~\" on both sides")),
    };
    let ok = !letters.is_empty()
        && letters.len() % 3 == 0
        && letters.len() <= 12
        && letters.bytes().all(|b| b.is_ascii_uppercase());
    if !ok {
        return Err(format!(
            "code \"{cell}\" is not CAMEO agent letters (3-letter groups such as ~GOV, ~GOVMIL or NGO~)"
        ));
    }
    Ok((letters, prefix))
}

/// The agent a national organisation stands for, from its kind and
/// function (a defence ministry is `GOVMIL`); "" when no one sector fits.
pub fn org_agent(kind: &str, function: &str) -> &'static str {
    match (kind, function) {
        ("ministry", "defence") => "GOVMIL",
        ("ministry", "finance" | "trade" | "economy") => "GOVBUS",
        ("ministry", "health") => "GOVHLH",
        ("ministry", "justice") => "GOVJUD",
        ("ministry", "education") => "GOVEDU",
        ("ministry", "environment") => "GOVENV",
        ("ministry", "agriculture") => "GOVAGR",
        ("ministry", "labour") => "GOVLAB",
        (
            "ministry" | "government" | "head_of_state_office" | "agency" | "development" | "cyber",
            _,
        ) => "GOV",
        ("military" | "military_branch", _) => "MIL",
        ("police" | "coast_guard", _) => "COP",
        ("intelligence", _) => "SPY",
        ("legislature", _) => "LEG",
        ("party", _) => "PTY",
        ("media", _) => "MED",
        ("central_bank", _) => "GOVBUS",
        ("ngo", _) => "NGO",
        ("company", _) => "BUS",
        _ => "",
    }
}

/// The agent a person holding a national `role` acts as.
pub fn role_agent(role: &str) -> &'static str {
    match role {
        "" | "secretary_general" => "",
        "defence_minister" => "GOVMIL",
        _ => "GOV",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_show_file_and_line_and_compare_without_their_text() {
        let file: std::sync::Arc<str> = "people/asia.tsv".into();
        let (a, b) = (Loc::new(file.clone(), 12), Loc::new(file.clone(), 12));
        assert_eq!(a.as_str(), "people/asia.tsv:12");
        assert_eq!(a.as_str(), a.to_string());
        // Written once: the same text is handed out again.
        assert!(std::ptr::eq(a.as_str(), a.as_str()));
        // `a` has written its text, `b` not: still equal, and hashed alike.
        assert_eq!(a, b);
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Equal);
        let state = std::hash::RandomState::new();
        let hash_with = |l: &Loc| std::hash::BuildHasher::hash_one(&state, l);
        assert_eq!(hash_with(&a), hash_with(&b));
        let c = Loc::new(file, 13);
        assert!(a < c);
        assert_eq!(c.clone().as_str(), "people/asia.tsv:13");
    }

    #[test]
    fn interned_texts_are_stored_once_and_compare_as_text() {
        let mut shared = Interner::default();
        let (a, b, c) = (shared.get("GOV"), shared.get("GOV"), shared.get("MIL"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a == "GOV" && *"GOV" == *a && a.as_str() == "GOV");
        assert_eq!(format!("{a} {c:?}"), "GOV \"MIL\"");
    }

    #[test]
    fn bundled_gazetteers_load_without_problems() {
        let loaded = load_sources(&bundled_sources());
        let problems: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        let g = &loaded.gazetteer;
        assert!(g.countries.len() >= 197, "every UN member and observer");
        for id in ["USA", "CHN", "JPN", "VNM", "TWN", "XKX", "HKG", "MAC", "PSE", "VAT"] {
            assert!(g.country(id).is_some(), "{id}");
        }
        for id in ["NATO", "ASEAN", "CCDCOE", "UN", "EU", "AU", "SCO", "G20", "WTO", "IAEA"] {
            assert!(g.org(id).is_some(), "{id}");
        }
    }

    /// Bundled rows are kept sorted by id (people: by id, then start), so
    /// diffs stay small and duplicates sit side by side.
    #[test]
    fn bundled_files_are_sorted_by_id() {
        for src in bundled_sources() {
            if !matches!(
                src.kind,
                FileKind::Countries
                    | FileKind::Organisations
                    | FileKind::People
                    | FileKind::Triggers
            ) {
                continue;
            }
            let mut diags = vec![];
            let t = table::Table::parse(&src.path, &src.text, &["id"], &[], &mut diags);
            let ids: Vec<&str> = t.rows().map(|r| r.get("id")).collect();
            for w in ids.windows(2) {
                assert!(w[0] <= w[1], "{}: \"{}\" before \"{}\"", src.path, w[0], w[1]);
            }
        }
    }
}
