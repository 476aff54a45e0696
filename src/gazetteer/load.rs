//! Turns gazetteer files into a [`Gazetteer`]: parse each file, layer the
//! user's folders over the bundled files, then check the whole for
//! problems that span files (an alias claimed by two entities, a role
//! naming a country no file defines).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::table::{Row, Table};
use super::{Country, FileKind, Gazetteer, Loc, Org, Person, Role, SourceFile};
use crate::error::Diagnostic;

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
    matches!(row.get("status").to_ascii_lowercase().as_str(), "off" | "disabled" | "no")
}

/// The `agent` cell's letters (`~GOV`, `GOV` or `NGO~`; `-` for none), or
/// `None` when the cell is empty or wrong (reported).
fn agent_cell(src: &SourceFile, row: &Row, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match row.get("agent") {
        "" => None,
        "-" => Some(String::new()),
        cell => match super::parse_agent(cell) {
            Ok((letters, _)) => Some(letters),
            Err(e) => {
                diags.push(Diagnostic::error(&src.path, row.line, e));
                None
            }
        },
    }
}

fn loc(src: &SourceFile, row: &Row) -> Loc {
    Loc { file: src.path.clone(), line: row.line }
}

fn parse_date(
    src: &SourceFile,
    row: &Row,
    col: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<NaiveDate> {
    let v = row.get(col);
    if v.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            diags.push(Diagnostic::error(
                &src.path,
                row.line,
                format!("{col} \"{v}\" is not a date (YYYY-MM-DD)"),
            ));
            None
        }
    }
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
    let mut diags = vec![];
    let mut countries: Layered<Country> = Layered::new();
    let mut orgs: Layered<Org> = Layered::new();
    let mut people: Layered<Person> = Layered::new();
    let mut given = HashSet::new();
    // Ids seen per (kind, layer), to report duplicates inside one layer.
    let mut seen: HashMap<(FileKind, usize, String), Loc> = HashMap::new();

    for src in sources {
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
                    if !first_in_layer(&mut seen, FileKind::Countries, src, &row, &id, &mut diags) {
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
                        loc: loc(src, &row),
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
                    let agent = agent_cell(src, &row, &mut diags).unwrap_or_else(|| {
                        let implied = super::org_agent(&kind, row.get("function"));
                        if country.is_empty() { "" } else { implied }.to_string()
                    });
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
                        loc: loc(src, &row),
                    };
                    orgs.items.insert(id, (src.layer, o));
                }
            }
            FileKind::People => {
                let t =
                    Table::parse(&src.path, &src.text, PEOPLE_COLUMNS, &["id", "name"], &mut diags);
                // A person's rows in this file (one per role).
                let mut in_file: BTreeMap<String, Person> = BTreeMap::new();
                let mut off: Vec<String> = vec![];
                for row in t.rows() {
                    let id = row.get("id").to_string();
                    let name = row.get("name").to_string();
                    if id.is_empty() || name.is_empty() {
                        diags.push(Diagnostic::error(
                            &src.path,
                            row.line,
                            "a person needs an id and a name",
                        ));
                        continue;
                    }
                    if is_off(&row) {
                        off.push(id);
                        continue;
                    }
                    let start = parse_date(src, &row, "start", &mut diags);
                    let end = parse_date(src, &row, "end", &mut diags);
                    if let (Some(s), Some(e)) = (start, end) {
                        if e < s {
                            diags.push(Diagnostic::error(
                                &src.path,
                                row.line,
                                format!("end {e} is before start {s}"),
                            ));
                        }
                    }
                    let role = row.get("role").to_string();
                    if !role.is_empty() && !ROLES.contains(&role.as_str()) {
                        diags.push(Diagnostic::warning(
                            &src.path,
                            row.line,
                            format!("unknown role \"{role}\" (known: {})", ROLES.join(", ")),
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
                    let agent = agent_cell(src, &row, &mut diags)
                        .unwrap_or_else(|| super::role_agent(&role).to_string());
                    let r = Role {
                        country,
                        role,
                        org: row.get("org").to_string(),
                        agent,
                        start,
                        end,
                        loc: loc(src, &row),
                    };
                    let p = in_file.entry(id.clone()).or_insert_with(|| Person {
                        id: id.clone(),
                        name: name.clone(),
                        aliases: vec![],
                        short: String::new(),
                        roles: vec![],
                        loc: loc(src, &row),
                    });
                    if p.name != name {
                        diags.push(Diagnostic::error(
                            &src.path,
                            row.line,
                            format!(
                                "id \"{id}\" is named \"{}\" at line {}, \"{name}\" here",
                                p.name, p.loc.line
                            ),
                        ));
                        continue;
                    }
                    for a in row.list("aliases") {
                        if !p.aliases.iter().any(|x| x == a) {
                            p.aliases.push(a.to_string());
                        }
                    }
                    if p.short.is_empty() {
                        p.short = row.get("short").to_string();
                    }
                    let dup = p.roles.iter().find(|x| {
                        x.role == r.role
                            && x.start == r.start
                            && x.country == r.country
                            && x.org == r.org
                    });
                    if let Some(d) = dup {
                        diags.push(Diagnostic::error(
                            &src.path,
                            row.line,
                            format!("the same role is already at line {}", d.loc.line),
                        ));
                        continue;
                    }
                    if !r.country.is_empty() || !r.org.is_empty() || !r.role.is_empty() {
                        p.roles.push(r);
                    }
                }
                for id in off {
                    people.items.remove(&id);
                    in_file.remove(&id);
                }
                for (id, p) in in_file {
                    match people.items.get_mut(&id) {
                        // Same layer, another file: the person's roles are split
                        // across files; merge them.
                        Some((layer, existing)) if *layer == src.layer => {
                            if existing.name != p.name {
                                diags.push(Diagnostic::error(
                                    &src.path,
                                    p.loc.line,
                                    format!(
                                        "id \"{id}\" is \"{}\" at {}",
                                        existing.name, existing.loc
                                    ),
                                ));
                            } else {
                                existing.roles.extend(p.roles);
                                existing.aliases.extend(p.aliases);
                            }
                        }
                        _ => {
                            people.items.insert(id, (src.layer, p));
                        }
                    }
                }
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
                        given.insert(n.to_string());
                    }
                }
            }
            FileKind::Triggers | FileKind::Cameo | FileKind::Agents => {}
        }
    }

    let mut gaz = Gazetteer {
        countries: countries.items.into_values().map(|(_, c)| c).collect(),
        orgs: orgs.items.into_values().map(|(_, o)| o).collect(),
        people: people.items.into_values().map(|(_, p)| p).collect(),
        given_names: given,
    };
    for p in &mut gaz.people {
        p.roles.sort_by_key(|r| r.start);
    }
    cross_check(&gaz, &mut diags);
    diags.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    Loaded { gazetteer: gaz, diagnostics: diags }
}

/// Records `id` for its kind and layer; reports and returns false on a duplicate.
fn first_in_layer(
    seen: &mut HashMap<(FileKind, usize, String), Loc>,
    kind: FileKind,
    src: &SourceFile,
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
    seen.insert(key, loc(src, row));
    true
}

/// Problems that span entries: aliases claimed twice, unknown references.
fn cross_check(gaz: &Gazetteer, diags: &mut Vec<Diagnostic>) {
    let country_ids: HashSet<&str> = gaz.countries.iter().map(|c| c.id.as_str()).collect();
    let org_ids: HashSet<&str> = gaz.orgs.iter().map(|o| o.id.as_str()).collect();
    // Every surface form that names exactly one entity.
    let mut owner: HashMap<&str, (&str, &Loc)> = HashMap::new();
    let mut forms: Vec<(&str, &str, &Loc)> = vec![];
    for c in &gaz.countries {
        let all = std::iter::once(&c.name).chain(&c.aliases).chain(&c.demonyms).chain(&c.capitals);
        let mut own: HashSet<&str> = HashSet::new();
        for f in all {
            if own.insert(f.as_str()) {
                forms.push((f.as_str(), c.id.as_str(), &c.loc));
            }
        }
    }
    for o in &gaz.orgs {
        let mut own: HashSet<&str> = HashSet::new();
        for f in std::iter::once(&o.name).chain(&o.aliases) {
            if own.insert(f.as_str()) {
                forms.push((f.as_str(), o.id.as_str(), &o.loc));
            }
        }
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
        let mut own: HashSet<&str> = HashSet::new();
        for f in std::iter::once(&p.name).chain(&p.aliases) {
            if own.insert(f.as_str()) {
                forms.push((f.as_str(), p.id.as_str(), &p.loc));
            }
        }
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
    for c in &gaz.countries {
        for b in &c.blocked {
            if let Some((other, _)) = forms.iter().map(|f| (f.1, f.0)).find(|f| f.1 == b.as_str()) {
                diags.push(Diagnostic::error(
                    &c.loc.file,
                    c.loc.line,
                    format!("{}: blocked form \"{b}\" names {other}", c.id),
                ));
            }
        }
    }
    for (form, id, at) in forms {
        match owner.get(form) {
            Some((other, first)) if *other != id => diags.push(Diagnostic::error(
                &at.file,
                at.line,
                format!("\"{form}\" names both {other} ({first}) and {id}"),
            )),
            Some(_) => {}
            None => {
                owner.insert(form, (id, at));
            }
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
