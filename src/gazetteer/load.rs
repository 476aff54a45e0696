//! Turns gazetteer files into a [`Gazetteer`]: parse each file, layer the
//! user's folders over the bundled files, then check the whole for
//! problems that span files (an alias claimed by two entities, a role
//! naming a country no file defines).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::table::{split_list, Column, Row, Table};
use super::{Country, FileKind, Gazetteer, Interner, Loc, Org, Person, Role, SourceFile};
use crate::error::Diagnostic;
use crate::text::sort_prefix;

const COUNTRY_COLUMNS: &[&str] = &[
    "id",
    "name",
    "official",
    "aliases",
    "demonyms",
    "capitals",
    "ambiguous",
    "blocked",
    "status",
    "note",
];
const ORG_COLUMNS: &[&str] = &[
    "id",
    "name",
    "aliases",
    "country",
    "kind",
    "function",
    "parent",
    "shared_aliases",
    "agent",
    "status",
    "note",
];
const PEOPLE_COLUMNS: &[&str] = &[
    "id", "name", "aliases", "country", "role", "org", "start", "end", "short", "agent", "status",
    "note",
];
const GIVEN_COLUMNS: &[&str] = &["name", "note"];

/// Roles `check` knows; others get a warning.
pub const ROLES: &[&str] = &[
    "head_of_state",
    "head_of_government",
    "head_of_state_and_government",
    "deputy_head_of_government",
    "foreign_minister",
    "defence_minister",
    "foreign_ministry_spokesperson",
    "minister",
    "secretary_general",
    "official",
];

/// Organisation kinds `check` knows; others get a warning.
pub const ORG_KINDS: &[&str] = &[
    "igo",
    "igo_body",
    "ministry",
    "government",
    "head_of_state_office",
    "legislature",
    "military",
    "military_branch",
    "coast_guard",
    "intelligence",
    "cyber",
    "police",
    "agency",
    "development",
    "central_bank",
    "party",
    "media",
    "company",
    "ngo",
    "other",
];

/// The result of loading: the gazetteer and every problem found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub gazetteer: Gazetteer,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads the bundled files plus each user folder, in order.
pub fn load(user_dirs: &[std::path::PathBuf]) -> crate::Result<(Loaded, Vec<SourceFile>)> {
    let mut sources = super::bundled_sources();
    for (i, dir) in user_dirs.iter().enumerate() {
        sources.extend(super::folder_sources(dir, i + 1)?);
    }
    Ok((load_sources(&sources), sources))
}

fn is_off(row: &Row) -> bool {
    is_off_status(row.get("status"))
}

fn is_off_status(status: &str) -> bool {
    ["off", "disabled", "no"].iter().any(|s| status.eq_ignore_ascii_case(s))
}

/// The `agent` cell's letters (`~GOV`, `GOV` or `NGO~`; `-` for none), or
/// `None` when the cell is empty or wrong (reported).
fn agent_cell<'a>(src: &SourceFile, row: &Row<'a>, diags: &mut Vec<Diagnostic>) -> Option<&'a str> {
    agent_letters(src, row.line, row.get("agent"), diags)
}

/// [`agent_cell`] for the cell `cell` of line `line`.
fn agent_letters<'a>(
    src: &SourceFile,
    line: usize,
    cell: &'a str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a str> {
    match cell {
        "" => None,
        "-" => Some(""),
        cell => match super::parse_agent(cell) {
            Ok((letters, _)) => Some(letters),
            Err(e) => {
                diags.push(Diagnostic::error(&src.path, line, e));
                None
            }
        },
    }
}

fn loc(file: &Arc<str>, row: &Row) -> Loc {
    Loc::new(file.clone(), row.line)
}

/// The date in cell `v` of column `col` on line `line`; `None` when empty
/// or wrong (reported).
fn parse_date(
    src: &SourceFile,
    line: usize,
    col: &str,
    v: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<NaiveDate> {
    if v.is_empty() {
        return None;
    }
    match ymd(v).map_or_else(|| NaiveDate::parse_from_str(v, "%Y-%m-%d"), Ok) {
        Ok(d) => Some(d),
        Err(_) => {
            diags.push(Diagnostic::error(
                &src.path,
                line,
                format!("{col} \"{v}\" is not a date (YYYY-MM-DD)"),
            ));
            None
        }
    }
}

/// A valid date written exactly `YYYY-MM-DD`, read without chrono's
/// format parser (which accepts more spellings and is the slow path).
pub(crate) fn ymd(v: &str) -> Option<NaiveDate> {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

fn valid_iso3(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn strings(items: Vec<&str>) -> Vec<String> {
    items.into_iter().map(str::to_string).collect()
}

/// An entry keyed by id, remembering its layer so that a later layer replaces it.
struct Layered<T> {
    items: BTreeMap<String, (usize, T)>,
}

impl<T> Layered<T> {
    fn new() -> Self {
        Layered { items: BTreeMap::new() }
    }
}

/// Loads already-read source files (bundled first, then user layers).
pub fn load_sources(sources: &[SourceFile]) -> Loaded {
    let mut loaded = layer_sources(sources);
    loaded.diagnostics.extend(cross_check(&loaded.gazetteer));
    loaded.diagnostics.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    loaded
}

/// [`load_sources`] without [`cross_check`] and with the diagnostics in
/// the order found.
pub fn layer_sources(sources: &[SourceFile]) -> Loaded {
    let mut diags = vec![];
    let mut countries: Layered<Country> = Layered::new();
    let mut orgs: Layered<Org> = Layered::new();
    let mut people_files = vec![];
    let mut given = rustc_hash::FxHashSet::default();
    // Ids seen per (kind, layer), to report duplicates inside one layer.
    let mut seen: HashMap<(FileKind, usize, String), Loc> = HashMap::new();

    for src in sources {
        // Shared by the location of every entry of the file.
        let file: Arc<str> = src.path.as_str().into();
        match src.kind {
            FileKind::Countries => {
                let t = Table::parse(
                    &src.path,
                    &src.text,
                    COUNTRY_COLUMNS,
                    &["id", "name"],
                    &mut diags,
                );
                for row in t.rows() {
                    let id = row.get("id").to_string();
                    if !valid_iso3(&id) {
                        diags.push(Diagnostic::error(
                            &src.path,
                            row.line,
                            format!("country id \"{id}\" is not an ISO 3166-1 alpha-3 code"),
                        ));
                        continue;
                    }
                    if !first_in_layer(
                        &mut seen,
                        FileKind::Countries,
                        src,
                        &file,
                        &row,
                        &id,
                        &mut diags,
                    ) {
                        continue;
                    }
                    if is_off(&row) {
                        countries.items.remove(&id);
                        continue;
                    }
                    let name = row.get("name").to_string();
                    if name.is_empty() {
                        diags.push(Diagnostic::error(&src.path, row.line, "empty name"));
                        continue;
                    }
                    let c = Country {
                        id: id.clone(),
                        name,
                        official: row.get("official").to_string(),
                        aliases: strings(row.list("aliases")),
                        demonyms: strings(row.list("demonyms")),
                        capitals: strings(row.list("capitals")),
                        ambiguous: row.list("ambiguous").into_iter().map(str::to_string).collect(),
                        blocked: strings(row.list("blocked")),
                        loc: loc(&file, &row),
                    };
                    for a in &c.ambiguous {
                        let listed = c.name == *a
                            || c.aliases.contains(a)
                            || c.demonyms.contains(a)
                            || c.capitals.contains(a);
                        if !listed {
                            diags.push(Diagnostic::warning(
                                &src.path,
                                row.line,
                                format!("ambiguous form \"{a}\" is not one of {id}'s forms"),
                            ));
                        }
                    }
                    countries.items.insert(id, (src.layer, c));
                }
            }
            FileKind::Organisations => {
                let t =
                    Table::parse(&src.path, &src.text, ORG_COLUMNS, &["id", "name"], &mut diags);
                for row in t.rows() {
                    let id = row.get("id").to_string();
                    let id_ok = !id.is_empty()
                        && id.bytes().all(|b| {
                            b.is_ascii_uppercase() || b.is_ascii_digit() || b"_-+&".contains(&b)
                        });
                    if !id_ok {
                        diags.push(Diagnostic::error(
                            &src.path,
                            row.line,
                            format!(
                                "organisation id \"{id}\" must be upper-case letters, digits or _"
                            ),
                        ));
                        continue;
                    }
                    if !first_in_layer(
                        &mut seen,
                        FileKind::Organisations,
                        src,
                        &file,
                        &row,
                        &id,
                        &mut diags,
                    ) {
                        continue;
                    }
                    if is_off(&row) {
                        orgs.items.remove(&id);
                        continue;
                    }
                    let kind = row.get("kind").to_string();
                    if !kind.is_empty() && !ORG_KINDS.contains(&kind.as_str()) {
                        diags.push(Diagnostic::warning(
                            &src.path,
                            row.line,
                            format!("unknown organisation kind \"{kind}\""),
                        ));
                    }
                    let country = row.get("country").to_string();
                    if !country.is_empty() && !valid_iso3(&country) {
                        diags.push(Diagnostic::error(
                            &src.path,
                            row.line,
                            format!("country \"{country}\" is not an ISO3 code"),
                        ));
                    }
                    let agent = match agent_cell(src, &row, &mut diags) {
                        Some(letters) => letters,
                        None if country.is_empty() => "",
                        None => super::org_agent(&kind, row.get("function")),
                    }
                    .to_string();
                    let o = Org {
                        agent,
                        id: id.clone(),
                        name: row.get("name").to_string(),
                        aliases: strings(row.list("aliases")),
                        country,
                        kind,
                        function: row.get("function").to_string(),
                        parent: row.get("parent").to_string(),
                        shared_aliases: strings(row.list("shared_aliases")),
                        loc: loc(&file, &row),
                    };
                    orgs.items.insert(id, (src.layer, o));
                }
            }
            FileKind::People => {
                let table =
                    Table::parse(&src.path, &src.text, PEOPLE_COLUMNS, &["id", "name"], &mut diags);
                people_files.push(PeopleFile { src, file, table });
            }
            FileKind::GivenNames => {
                let t = Table::parse(&src.path, &src.text, GIVEN_COLUMNS, &["name"], &mut diags);
                for row in t.rows() {
                    let n = row.get("name");
                    if n.is_empty() {
                        continue;
                    }
                    if is_off(&row) {
                        given.remove(n);
                    } else {
                        given.insert(n.into());
                    }
                }
            }
            FileKind::Triggers | FileKind::Cameo | FileKind::Agents => {}
        }
    }

    let gaz = Gazetteer {
        countries: countries.items.into_values().map(|(_, c)| c).collect(),
        orgs: orgs.items.into_values().map(|(_, o)| o).collect(),
        people: load_people(&people_files, &mut diags),
        given_names: given,
    };
    Loaded { gazetteer: gaz, diagnostics: diags }
}

/// A people file, parsed; its rows are read once every file is.
struct PeopleFile<'a> {
    src: &'a SourceFile,
    file: Arc<str>,
    table: Table<'a>,
}

/// One row of a people file that passed the checks of a single row.
struct PersonRow<'a> {
    /// Index of the file in the list of people files.
    file: usize,
    line: usize,
    id: &'a str,
    name: &'a str,
    off: bool,
    country: &'a str,
    role: &'a str,
    org: &'a str,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    aliases: &'a str,
    short: &'a str,
    /// The `agent` cell's letters, when given.
    agent: Option<&'a str>,
}

/// The people of all files: each row is checked on its own; then the rows
/// are grouped by id (stably, so in file then line order), each file's
/// rows of a person make that file's entry (one row per role), and the
/// files are layered: a later layer replaces a person, files of the same
/// layer add up, `status=off` removes. Sorting instead of looking ids up
/// keeps a million-name list fast; the people come out sorted by id.
fn load_people(files: &[PeopleFile], diags: &mut Vec<Diagnostic>) -> Vec<Person> {
    // Rows, then people, are each done in parallel with their own
    // diagnostics, which are then added in order. (A million rows are
    // read where they were put, not copied.)
    let mut checked: Vec<Vec<(Option<PersonRow>, Vec<Diagnostic>)>> = files
        .iter()
        .enumerate()
        .map(|(f, pf)| {
            let cols = PeopleColumns::of(&pf.table);
            let rows = pf.table.par_rows();
            rows.map(|row| {
                let mut found = vec![];
                (check_person_row(f, pf.src, &cols, &row, &mut found), found)
            })
            .collect()
        })
        .collect();
    for (_, found) in checked.iter_mut().flatten() {
        diags.append(found);
    }
    // Sorted by the ids' first bytes as numbers, then the ids: most
    // comparisons read no row.
    let mut keyed: Vec<(u128, &PersonRow)> = checked
        .iter()
        .flatten()
        .filter_map(|r| r.0.as_ref())
        .map(|r| (sort_prefix(r.id), r))
        .collect();
    keyed.par_sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(b.1.id)));
    let order: Vec<&PersonRow> = keyed.into_iter().map(|(_, r)| r).collect();
    let same_id: Vec<&[&PersonRow]> = order.chunk_by(|a, b| a.id == b.id).collect();
    let (people, found): (Vec<Option<Person>>, Vec<Vec<Diagnostic>>) = same_id
        .into_par_iter()
        .map_init(Interner::default, |shared, rows| {
            let mut found = vec![];
            (layer_person(files, rows, shared, &mut found), found)
        })
        .unzip();
    diags.extend(found.into_iter().flatten());
    // `filter_map` collects in place; `flatten` would copy a million people.
    #[allow(clippy::filter_map_identity)]
    people.into_iter().filter_map(|p| p).collect()
}

/// One person from all their rows (in file then line order), the files
/// layered, the roles in date order; `None` when removed.
fn layer_person<'a>(
    files: &[PeopleFile],
    rows: &[&PersonRow<'a>],
    shared: &mut Interner<'a>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Person> {
    let mut layered: Option<(usize, Person)> = None;
    for in_file in rows.chunk_by(|a, b| a.file == b.file) {
        let pf = &files[in_file[0].file];
        // Checked even when another row turns the person off.
        let p = person_in_file(pf, in_file.iter().filter(|r| !r.off), shared, diags);
        if in_file.iter().any(|r| r.off) {
            layered = None;
            continue;
        }
        let Some(p) = p else { continue };
        match &mut layered {
            // Same layer, another file: the person's roles are split
            // across files; merge them.
            Some((layer, existing)) if *layer == pf.src.layer => {
                if existing.name != p.name {
                    diags.push(Diagnostic::error(
                        &pf.src.path,
                        p.loc.line,
                        format!("id \"{}\" is \"{}\" at {}", p.id, existing.name, existing.loc),
                    ));
                } else {
                    existing.roles.extend(p.roles);
                    existing.aliases.extend(p.aliases);
                }
            }
            _ => layered = Some((pf.src.layer, p)),
        }
    }
    let (_, mut person) = layered?;
    person.roles.sort_by_key(|r| r.start);
    Some(person)
}

/// The columns of a people file, looked up once rather than per row.
struct PeopleColumns {
    id: Column,
    name: Column,
    status: Column,
    start: Column,
    end: Column,
    role: Column,
    country: Column,
    org: Column,
    agent: Column,
    aliases: Column,
    short: Column,
}

impl PeopleColumns {
    fn of(t: &Table) -> PeopleColumns {
        PeopleColumns {
            id: t.column("id"),
            name: t.column("name"),
            status: t.column("status"),
            start: t.column("start"),
            end: t.column("end"),
            role: t.column("role"),
            country: t.column("country"),
            org: t.column("org"),
            agent: t.column("agent"),
            aliases: t.column("aliases"),
            short: t.column("short"),
        }
    }
}

/// The checks of one people row; `None` for a row without id or name.
fn check_person_row<'a>(
    file: usize,
    src: &SourceFile,
    cols: &PeopleColumns,
    row: &Row<'a>,
    diags: &mut Vec<Diagnostic>,
) -> Option<PersonRow<'a>> {
    let line = row.line;
    let id = row.at(cols.id);
    let name = row.at(cols.name);
    if id.is_empty() || name.is_empty() {
        diags.push(Diagnostic::error(&src.path, line, "a person needs an id and a name"));
        return None;
    }
    let mut r = PersonRow {
        file,
        line,
        id,
        name,
        off: is_off_status(row.at(cols.status)),
        country: "",
        role: "",
        org: "",
        start: None,
        end: None,
        aliases: "",
        short: "",
        agent: None,
    };
    if r.off {
        return Some(r);
    }
    r.start = parse_date(src, line, "start", row.at(cols.start), diags);
    r.end = parse_date(src, line, "end", row.at(cols.end), diags);
    if let (Some(s), Some(e)) = (r.start, r.end) {
        if e < s {
            diags.push(Diagnostic::error(&src.path, line, format!("end {e} is before start {s}")));
        }
    }
    r.role = row.at(cols.role);
    if !r.role.is_empty() && !ROLES.contains(&r.role) {
        diags.push(Diagnostic::warning(
            &src.path,
            line,
            format!("unknown role \"{}\" (known: {})", r.role, ROLES.join(", ")),
        ));
    }
    r.country = row.at(cols.country);
    if !r.country.is_empty() && !valid_iso3(r.country) {
        diags.push(Diagnostic::error(
            &src.path,
            line,
            format!("country \"{}\" is not an ISO3 code", r.country),
        ));
    }
    r.org = row.at(cols.org);
    r.agent = agent_letters(src, line, row.at(cols.agent), diags);
    r.aliases = row.at(cols.aliases);
    r.short = row.at(cols.short);
    Some(r)
}

/// One file's entry for a person, from its rows (in line order): the
/// first row names the person, each row adds a role; `None` without rows.
fn person_in_file<'r, 'a: 'r>(
    pf: &PeopleFile,
    mut rows: impl Iterator<Item = &'r &'r PersonRow<'a>>,
    shared: &mut Interner<'a>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Person> {
    let at = |line| Loc::new(pf.file.clone(), line);
    let first = rows.next()?;
    let mut p = Person {
        id: first.id.to_string(),
        name: first.name.to_string(),
        aliases: vec![],
        short: String::new(),
        // Most people hold one role (a Vec's first growth is to 4).
        roles: Vec::with_capacity(1),
        loc: at(first.line),
    };
    for r in std::iter::once(first).chain(rows) {
        if p.name != r.name {
            diags.push(Diagnostic::error(
                &pf.src.path,
                r.line,
                format!(
                    "id \"{}\" is named \"{}\" at line {}, \"{}\" here",
                    r.id, p.name, p.loc.line, r.name
                ),
            ));
            continue;
        }
        for a in split_list(r.aliases) {
            if !p.aliases.iter().any(|x| x == a) {
                p.aliases.push(a.to_string());
            }
        }
        if p.short.is_empty() {
            p.short = r.short.to_string();
        }
        let dup = p.roles.iter().find(|x| {
            x.role == r.role && x.start == r.start && x.country == r.country && x.org == r.org
        });
        if let Some(d) = dup {
            diags.push(Diagnostic::error(
                &pf.src.path,
                r.line,
                format!("the same role is already at line {}", d.loc.line),
            ));
            continue;
        }
        if !r.country.is_empty() || !r.org.is_empty() || !r.role.is_empty() {
            p.roles.push(Role {
                country: shared.get(r.country),
                role: shared.get(r.role),
                org: shared.get(r.org),
                agent: shared.get(r.agent.unwrap_or_else(|| super::role_agent(r.role))),
                start: r.start,
                end: r.end,
                loc: at(r.line),
            });
        }
    }
    Some(p)
}

/// Records `id` for its kind and layer; reports and returns false on a duplicate.
fn first_in_layer(
    seen: &mut HashMap<(FileKind, usize, String), Loc>,
    kind: FileKind,
    src: &SourceFile,
    file: &Arc<str>,
    row: &Row,
    id: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let key = (kind, src.layer, id.to_string());
    if let Some(first) = seen.get(&key) {
        diags.push(Diagnostic::error(
            &src.path,
            row.line,
            format!("duplicate id \"{id}\" (first at {first})"),
        ));
        return false;
    }
    seen.insert(key, loc(file, row));
    true
}

/// Problems that span entries: aliases claimed twice, unknown references.
pub fn cross_check(gaz: &Gazetteer) -> Vec<Diagnostic> {
    let mut diags = vec![];
    let country_ids: HashSet<&str> = gaz.countries.iter().map(|c| c.id.as_str()).collect();
    let org_ids: HashSet<&str> = gaz.orgs.iter().map(|o| o.id.as_str()).collect();
    // Every surface form, once per entity that has it.
    let mut forms: Vec<(&str, &str, &Loc)> = vec![];
    for c in &gaz.countries {
        let all = std::iter::once(&c.name).chain(&c.aliases).chain(&c.demonyms).chain(&c.capitals);
        push_forms(&mut forms, all, &c.id, &c.loc);
    }
    for o in &gaz.orgs {
        push_forms(&mut forms, std::iter::once(&o.name).chain(&o.aliases), &o.id, &o.loc);
        if !o.parent.is_empty() && !org_ids.contains(o.parent.as_str()) {
            diags.push(Diagnostic::error(
                &o.loc.file,
                o.loc.line,
                format!("{}: parent \"{}\" is not in any organisations file", o.id, o.parent),
            ));
        }
        if !o.country.is_empty() && !country_ids.contains(o.country.as_str()) {
            diags.push(Diagnostic::error(
                &o.loc.file,
                o.loc.line,
                format!("{}: country \"{}\" is not in any countries file", o.id, o.country),
            ));
        }
    }
    for p in &gaz.people {
        push_forms(&mut forms, std::iter::once(&p.name).chain(&p.aliases), &p.id, &p.loc);
        for r in &p.roles {
            if !r.country.is_empty() && !country_ids.contains(r.country.as_str()) {
                diags.push(Diagnostic::error(
                    &r.loc.file,
                    r.loc.line,
                    format!("{}: country \"{}\" is not in any countries file", p.id, r.country),
                ));
            }
            if !r.org.is_empty() && !org_ids.contains(r.org.as_str()) {
                diags.push(Diagnostic::warning(
                    &r.loc.file,
                    r.loc.line,
                    format!(
                        "{}: organisation \"{}\" is not in any organisations file",
                        p.id, r.org
                    ),
                ));
            }
        }
    }
    // The first entity to name each form owns it; a form named again by
    // another entity is reported (after the blocked forms, below).
    // (Fx rather than SipHash: a million names are hashed here.)
    let mut owner: FxHashMap<&str, (&str, &Loc)> =
        FxHashMap::with_capacity_and_hasher(forms.len(), Default::default());
    let mut claimed_twice = vec![];
    for (form, id, at) in forms {
        let (other, first) = *owner.entry(form).or_insert((id, at));
        if other != id {
            claimed_twice.push(Diagnostic::error(
                &at.file,
                at.line,
                format!("\"{form}\" names both {other} ({first}) and {id}"),
            ));
        }
    }
    for c in &gaz.countries {
        for b in &c.blocked {
            if let Some((other, _)) = owner.get(b.as_str()) {
                diags.push(Diagnostic::error(
                    &c.loc.file,
                    c.loc.line,
                    format!("{}: blocked form \"{b}\" names {other}", c.id),
                ));
            }
        }
    }
    diags.extend(claimed_twice);
    diags
}

/// Adds each distinct form of one entity to `forms`.
fn push_forms<'a>(
    forms: &mut Vec<(&'a str, &'a str, &'a Loc)>,
    names: impl Iterator<Item = &'a String>,
    id: &'a str,
    loc: &'a Loc,
) {
    let first = forms.len();
    for name in names {
        if !forms[first..].iter().any(|f| f.0 == name) {
            forms.push((name, id, loc));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(path: &str, kind: FileKind, layer: usize, text: &str) -> SourceFile {
        SourceFile { path: path.into(), kind, text: text.into(), layer }
    }

    const COUNTRIES: &str = "id\tname\taliases\tdemonyms\tcapitals\tambiguous\n\
        JPN\tJapan\t\tJapanese\tTokyo\t\n\
        USA\tUnited States\tUS|U.S.\tAmerican\tWashington\tWashington\n";

    #[test]
    fn loads_and_layers_with_replacement_and_removal() {
        let people = "id\tname\tcountry\trole\tstart\tend\n\
            a-b\tAnn Bee\tJPN\tforeign_minister\t2020-01-01\t2021-01-01\n\
            a-b\tAnn Bee\tUSA\thead_of_state\t2022-01-01\t\n";
        let user = "id\tname\tcountry\trole\na-b\tAnn Bee\tJPN\tminister\n";
        let user_c = "id\tname\tstatus\nUSA\tUnited States\toff\n";
        let l = load_sources(&[
            src("c.tsv", FileKind::Countries, 0, COUNTRIES),
            src("p.tsv", FileKind::People, 0, people),
            src("u/p.tsv", FileKind::People, 1, user),
            src("u/c.tsv", FileKind::Countries, 1, user_c),
        ]);
        let g = &l.gazetteer;
        assert_eq!(g.countries.len(), 1);
        assert_eq!(g.people[0].roles.len(), 1, "the user's rows replace the person");
        assert_eq!(g.people[0].roles[0].role, "minister");
    }

    #[test]
    fn reports_bad_codes_dates_and_duplicates_with_lines() {
        let bad = "id\tname\tcountry\trole\tstart\tend\n\
            x\tX Y\tJP\tforeign_minister\t2020-13-01\t\n\
            z\tZ W\tJPN\tminister\t2021-01-01\t2020-01-01\n";
        let l = load_sources(&[
            src("c.tsv", FileKind::Countries, 0, COUNTRIES),
            src("c2.tsv", FileKind::Countries, 0, "id\tname\nJPN\tNippon\nJAPAN\tJapan\n"),
            src("p.tsv", FileKind::People, 0, bad),
        ]);
        let msgs: Vec<String> = l.diagnostics.iter().map(|d| d.to_string()).collect();
        let want = [
            "c2.tsv:2: error: duplicate id \"JPN\" (first at c.tsv:2)",
            "c2.tsv:3: error: country id \"JAPAN\" is not an ISO 3166-1 alpha-3 code",
            "p.tsv:2: error: start \"2020-13-01\" is not a date (YYYY-MM-DD)",
            "p.tsv:2: error: country \"JP\" is not an ISO3 code",
            "p.tsv:3: error: end 2020-01-01 is before start 2021-01-01",
        ];
        for w in want {
            assert!(msgs.iter().any(|m| m == w), "missing {w:?} in {msgs:#?}");
        }
    }

    #[test]
    fn alias_claimed_twice_names_both_places() {
        let orgs = "id\tname\taliases\tcountry\n\
            JPN_MOD\tMinistry of Defense (Japan)\tJMOD|MOD\tJPN\n\
            USA_DOD\tDepartment of Defense\tMOD\tUSA\n";
        let l = load_sources(&[
            src("c.tsv", FileKind::Countries, 0, COUNTRIES),
            src("o.tsv", FileKind::Organisations, 0, orgs),
        ]);
        let msgs: Vec<String> = l.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs, vec!["o.tsv:3: error: \"MOD\" names both JPN_MOD (o.tsv:2) and USA_DOD"]);
    }

    #[test]
    fn people_merge_across_files_of_a_layer_and_are_replaced_by_a_later_layer() {
        let a = "id\tname\taliases\tcountry\trole\tstart\n\
            a-b\tAnn Bee\tA. Bee\tJPN\tminister\t2019-01-01\n\
            c-d\tCy Dee\t\tUSA\tminister\t2018-01-01\n\
            e-f\tEd Eff\t\tUSA\tminister\t2017-01-01\n";
        let b = "id\tname\tcountry\trole\tstart\tstatus\n\
            a-b\tAnn Bee\tUSA\thead_of_state\t2021-01-01\t\n\
            c-d\tCy Dees\tUSA\tminister\t2020-01-01\t\n\
            e-f\tEd Eff\t\t\t\toff\n";
        let user = "id\tname\tcountry\trole\na-b\tAnn Bee\tJPN\tofficial\n";
        let l = load_sources(&[
            src("c.tsv", FileKind::Countries, 0, COUNTRIES),
            src("pa.tsv", FileKind::People, 0, a),
            src("pb.tsv", FileKind::People, 0, b),
        ]);
        let msgs: Vec<String> = l.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs, vec!["pb.tsv:3: error: id \"c-d\" is \"Cy Dee\" at pa.tsv:3"]);
        let ids: Vec<&str> = l.gazetteer.people.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["a-b", "c-d"]);
        let ann = &l.gazetteer.people[0];
        let roles: Vec<String> =
            ann.roles.iter().map(|r| format!("{} {}", r.role, r.loc)).collect();
        assert_eq!(roles, ["minister pa.tsv:2", "head_of_state pb.tsv:2"]);
        assert_eq!(ann.aliases, ["A. Bee"]);

        let l = load_sources(&[
            src("c.tsv", FileKind::Countries, 0, COUNTRIES),
            src("pa.tsv", FileKind::People, 0, a),
            src("pb.tsv", FileKind::People, 0, b),
            src("u/p.tsv", FileKind::People, 1, user),
        ]);
        let ann = &l.gazetteer.people[0];
        assert_eq!((ann.roles.len(), ann.roles[0].role.as_str()), (1, "official"));
        assert!(ann.aliases.is_empty());
    }

    #[test]
    fn rows_of_a_person_turned_off_are_still_checked() {
        let people = "id\tname\tcountry\trole\tstatus\n\
            a-b\tAnn Bee\tJPN\tminister\t\n\
            a-b\tAnn Bea\tJPN\tminister\t\n\
            a-b\tAnn Bee\tJPN\tminister\t\n\
            a-b\tAnn Bee\t\t\toff\n";
        let l = load_sources(&[
            src("c.tsv", FileKind::Countries, 0, COUNTRIES),
            src("p.tsv", FileKind::People, 0, people),
        ]);
        let msgs: Vec<String> = l.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "p.tsv:3: error: id \"a-b\" is named \"Ann Bee\" at line 2, \"Ann Bea\" here",
                "p.tsv:4: error: the same role is already at line 2",
            ]
        );
        assert!(l.gazetteer.people.is_empty());
    }

    #[test]
    fn dates_read_fast_as_chrono_reads_them() {
        let chrono = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let mut strict = vec![];
        for y in ["0000", "0001", "1999", "2020", "2024", "2100", "9999"] {
            for m in 0..=13 {
                for d in 0..=32 {
                    strict.push(format!("{y}-{m:02}-{d:02}"));
                }
            }
        }
        for s in &strict {
            assert_eq!(ymd(s).or_else(|| chrono(s)), chrono(s), "{s}");
        }
        for s in
            ["2020-1-01", "+2020-01-01", "2020-01-1 ", "20200101", "2020/01/01", "２０２０-01-01"]
        {
            assert_eq!(ymd(s), None, "{s}");
        }
    }

    #[test]
    fn agents_come_from_the_column_else_the_role_or_kind() {
        let people = "id\tname\tcountry\trole\tstart\tend\tagent\n\
            s\tSam Gee\tJPN\tdefence_minister\t2010-01-01\t2012-12-31\t\n\
            s\tSam Gee\tJPN\t\t2013-01-01\t\t~REB\n\
            t\tTom Bo\tJPN\tofficial\t\t\tGOV~X\n";
        let orgs = "id\tname\tcountry\tkind\tfunction\tagent\n\
            MOD\tMinistry of Defense\tJPN\tministry\tdefence\t\n\
            HRW\tHuman Rights Watch\t\tngo\t\t\n\
            RG\tRights Group\tJPN\tother\t\tNGO~\n";
        let l = load_sources(&[
            src("c.tsv", FileKind::Countries, 0, COUNTRIES),
            src("p.tsv", FileKind::People, 0, people),
            src("o.tsv", FileKind::Organisations, 0, orgs),
        ]);
        let roles: Vec<&str> =
            l.gazetteer.people.iter().flat_map(|p| &p.roles).map(|r| r.agent.as_str()).collect();
        // A bad cell is reported and the role's own agent applies.
        assert_eq!(roles, ["GOVMIL", "REB", "GOV"]);
        // International organisations take none unless the column says so.
        let mut orgs: Vec<(&str, &str)> =
            l.gazetteer.orgs.iter().map(|o| (o.id.as_str(), o.agent.as_str())).collect();
        orgs.sort_unstable();
        assert_eq!(orgs, [("HRW", ""), ("MOD", "GOVMIL"), ("RG", "NGO")]);
        let msgs: Vec<String> = l.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(msgs.iter().any(|m| m.starts_with("p.tsv:4: error: code \"GOV~X\"")), "{msgs:?}");
    }

    #[test]
    fn date_restricted_roles_resolve_by_date() {
        let people = "id\tname\tcountry\trole\tstart\tend\n\
            s\tSam Gee\tJPN\tdefence_minister\t2010-01-01\t2012-12-31\n\
            s\tSam Gee\tUSA\thead_of_state\t2015-01-01\t\n";
        let l = load_sources(&[
            src("c.tsv", FileKind::Countries, 0, COUNTRIES),
            src("p.tsv", FileKind::People, 0, people),
        ]);
        let p = &l.gazetteer.people[0];
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(p.country_on(d("2011-06-01")), "JPN");
        assert_eq!(p.country_on(d("2020-06-01")), "USA");
        assert_eq!(p.role_on(d("2011-06-01")).unwrap().role, "defence_minister");
        // Between the two roles: the latest one that ended.
        assert_eq!(p.country_on(d("2013-06-01")), "JPN");
    }
}
