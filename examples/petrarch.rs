//! Measures the rule stage against PETRARCH's validation suite.
//!
//! ```text
//! cargo run --release --example petrarch -- ../shared/anchors/petrarch2 [--triggers FILE]
//! ```
//!
//! The folder holds `PETR.Validate.actors.txt`, `PETR.Validate.agents.txt`
//! and `derived/PETR.UnitTest.records.jsonl` (see its README). The actor
//! dictionary is imported with `gazette::import::cameo` (what `gazette
//! import cameo FILE --extend-countries` runs, so `ERIADOR [ERI]` still
//! names ERI) and the agent dictionary with `gazette::import::agents`
//! (`gazette import cameo --kind agents`) into a temporary folder layered
//! over the bundled gazetteers, then every record's text is analysed at the
//! record's date.
//!
//! - Events: a record is scored when all its expected codes are CAMEO
//!   (in our CAMEO table or with a root 01–20; the suite's WEIS-style codes
//!   are left out) or it expects no events. An expected event is matched by
//!   one of ours with the same root (first two digits) and the same source
//!   and target at country level (first three letters of the codes, after
//!   an agent the agent dictionary writes before the actor: `NGOARN` is
//!   ARN). `agents_matched` counts the matched events whose full codes
//!   (country plus agents, e.g. `ARNGOVFRM`) are the expected ones too;
//!   `dyads_matched` the expected events some event of ours has the source
//!   and target of, whatever its code (the assembly, apart from the verbs'
//!   codes).
//! - DATE records test date-restricted actors: a record passes when every
//!   actor code it expects (source and target, in full, e.g. `HOBCIV`) is
//!   the code some mention resolved to at the record's date. A person's
//!   code is the raw CAMEO code of the role `role_on(date)` picked, read
//!   back from the imported row's `note`.
//!
//! - Verbs: the suite's codes come from its own verb dictionary
//!   (`PETR.Validate.verbs.txt`, mostly WEIS codes: "restore ties" is `064`
//!   there), as PETRARCH runs it. So the records are coded twice: with the
//!   suite's verb dictionary converted into a trigger layer that replaces
//!   ours (this measures the assembly: subjects, objects, compounds,
//!   passives, agents, dates), and with our bundled lexicon (which measures
//!   where our CAMEO codes agree with the suite's).
//! - Actors: the suite's dictionary wins over the bundled countries it
//!   redefines with dates (`ZIMBABWE [RHO <790606] [ZBW]`): such bundled
//!   rows keep only their official name in a second layer. Expected `IGO…` codes match any
//!   international organisation of ours (`IGOEEU` ~ `EU`).
//!
//! `--triggers FILE` layers one more trigger lexicon (`triggers*.tsv`
//! format), to measure rules under work before they are bundled.
//!
//! The last lines are the summaries, one per verb lexicon:
//! `PETRARCH verbs=suite|bundled events_expected=.. matched=.. extra=.. recall=.. precision=.. date_records=../..`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use gazette::dates::DateOptions;
use gazette::gazetteer;
use gazette::import::cameo;
use gazette::pipeline::{analyse, DctSource, Resources};
use gazette::tag::EntityType;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Record {
    id: String,
    category: String,
    date: String,
    text: String,
    #[serde(default)]
    expected_events: Vec<Expected>,
    #[serde(default)]
    expect_no_events: bool,
    #[serde(default)]
    expected_error: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct Expected {
    source: String,
    target: String,
    code: String,
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, triggers) = match &args[..] {
        [dir] => (PathBuf::from(dir), None),
        [dir, flag, file] if flag == "--triggers" => {
            (PathBuf::from(dir), Some(PathBuf::from(file)))
        }
        _ => bail!(
            "usage: cargo run --release --example petrarch -- PETRARCH2_FOLDER [--triggers FILE]"
        ),
    };
    let gaz = tempfile::tempdir()?;
    let over = tempfile::tempdir()?;
    let (codes_by_row, aliases) = import_actors(&dir, gaz.path(), over.path())?;
    let prefixes = import_agents(&dir, gaz.path())?;
    if let Some(t) = triggers {
        // Layer a trigger lexicon under work (e.g. the lead's triggers.tsv).
        std::fs::copy(&t, gaz.path().join("triggers-extra.tsv"))
            .with_context(|| t.display().to_string())?;
    }
    let (bundled, _) = load(&[gaz.path(), over.path()])
        .context("loading the gazetteers with the imported actors")?;
    let verbs = tempfile::tempdir()?;
    import_verbs(&dir, verbs.path(), &bundled)?;
    let (suite, _) = load(&[gaz.path(), over.path(), verbs.path()])
        .context("loading the suite's verb dictionary")?;

    let records_path = dir.join("derived/PETR.UnitTest.records.jsonl");
    let text = std::fs::read_to_string(&records_path)
        .with_context(|| records_path.display().to_string())?;
    let records: Vec<Record> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .context("reading the records")?;
    let known = Known { codes_by_row: &codes_by_row, aliases: &aliases, prefixes: &prefixes };
    let a = score(&records, &suite, &bundled, &known, "suite");
    let b = score(&records, &bundled, &bundled, &known, "bundled");
    println!("{a}");
    println!("{b}");
    Ok(())
}

/// Loads the bundled gazetteers with `dirs` layered on; errors are listed.
fn load(dirs: &[&Path]) -> anyhow::Result<(Resources, Vec<gazette::error::Diagnostic>)> {
    let dirs: Vec<PathBuf> = dirs.iter().map(|d| d.to_path_buf()).collect();
    match Resources::load(&dirs, DateOptions::default()) {
        Err(gazette::error::Error::Gazetteer(diags)) => {
            for d in diags.iter().filter(|d| d.is_error()).take(10) {
                eprintln!("{d}");
            }
            bail!("the layered gazetteers have errors")
        }
        other => Ok(other?),
    }
}

/// What the imports tell about codes.
struct Known<'a> {
    /// Imported row (`file:line`) → its full CAMEO code.
    codes_by_row: &'a HashMap<String, String>,
    /// The suite's old code of a bundled country → our code.
    aliases: &'a HashMap<String, String>,
    /// Agent letters written before the actor (`NGO~`).
    prefixes: &'a HashSet<String>,
}

/// Imports the suite's agent dictionary into `out`; returns the agent
/// letters written before the actor's code.
fn import_agents(dir: &Path, out: &Path) -> anyhow::Result<HashSet<String>> {
    let path = dir.join("PETR.Validate.agents.txt");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let imp = gazette::import::agents::import("PETR.Validate.agents.txt", &text);
    eprintln!("imported {} agents; {} warning(s)", imp.rows.len(), imp.diagnostics.len());
    imp.write(out, "PETR.Validate.agents.txt")?;
    Ok(imp.rows.iter().filter_map(|r| r.code.strip_suffix('~')).map(str::to_string).collect())
}

/// Codes every record with `res`, prints one line per record and returns
/// the summary line.
fn score(records: &[Record], res: &Resources, cameo: &Resources, k: &Known, verbs: &str) -> String {
    let (codes_by_row, aliases) = (k.codes_by_row, k.aliases);
    // The country of an expected code: `NGOARN` is ARN.
    let expected_country = |code: &str| -> String {
        let rest = k
            .prefixes
            .iter()
            .find_map(|p| code.strip_prefix(p.as_str()).filter(|r| r.len() >= 3))
            .unwrap_or(code);
        country(rest).to_string()
    };
    // Our full code: the agent before or after the actor's.
    let full = |actor: &str, agent: &str| {
        if k.prefixes.contains(agent) {
            format!("{agent}{actor}")
        } else {
            format!("{actor}{agent}")
        }
    };
    // Which records count is decided by the bundled CAMEO table, whichever
    // verbs code them.
    let is_cameo = |code: &str| {
        cameo.coder.lexicon.cameo.contains_key(code)
            || code
                .get(..2)
                .and_then(|r| r.parse::<u8>().ok())
                .is_some_and(|r| (1..=20).contains(&r))
    };
    let igo: std::collections::HashSet<&str> = res
        .tagger
        .gazetteer
        .orgs
        .iter()
        .filter(|o| o.country.is_empty())
        .map(|o| o.id.as_str())
        .collect();
    let same_actor = |ours: &str, want: &str| {
        let want_country = expected_country(want);
        country(ours) == want_country
            || aliases.get(&want_country).is_some_and(|a| a == country(ours))
            || (want.starts_with("IGO") && igo.contains(ours))
    };
    // The same actor and the same agents: `ARNGOVFRM` is ARN + GOVFRM.
    let same_full = |actor: &str, agent: &str, want: &str| {
        if want.starts_with("IGO") && igo.contains(actor) {
            return true;
        }
        let old =
            aliases.iter().filter(|(_, ours)| ours.as_str() == actor).map(|(o, _)| o.as_str());
        std::iter::once(actor).chain(old).any(|a| full(a, agent) == want)
    };
    let (mut scored, mut skipped) = (0, 0);
    let (mut expected_n, mut matched_n, mut produced_n) = (0, 0, 0);
    let (mut date_pass, mut date_n) = (0, 0);
    let mut actors_missing = 0;
    let mut agents_matched = 0;
    let mut dyads_matched = 0;
    for r in records {
        let Ok(date) = NaiveDate::parse_from_str(&r.date, "%Y%m%d") else {
            eprintln!("{}: bad date {:?}; skipped", r.id, r.date);
            continue;
        };
        let a = analyse(&r.text, res, Some(date), DctSource::Flag, None);

        if r.category == "DATE" {
            date_n += 1;
            let resolved: Vec<String> =
                a.mentions.iter().filter_map(|m| resolved_code(m, codes_by_row)).collect();
            let wanted: Vec<&str> = r
                .expected_events
                .iter()
                .flat_map(|e| [e.source.as_str(), e.target.as_str()])
                .filter(|c| !c.starts_with("---"))
                .collect();
            let missing: Vec<&str> =
                wanted.iter().copied().filter(|w| !resolved.iter().any(|c| c == w)).collect();
            let pass = missing.is_empty();
            date_pass += usize::from(pass);
            println!(
                "[{verbs}] DATE {} {} {}: expected {} resolved {}",
                r.id,
                r.date,
                if pass { "pass" } else { "FAIL" },
                wanted.join(","),
                resolved.join(",")
            );
        }

        let all_cameo = r.expected_events.iter().all(|e| is_cameo(&e.code));
        let scorable = r.expected_error.is_none()
            && (r.expect_no_events || (!r.expected_events.is_empty() && all_cameo));
        if !scorable {
            skipped += 1;
            continue;
        }
        scored += 1;
        let mut used = vec![false; a.events.len()];
        let mut matched = 0;
        let mut dyad_used = vec![false; a.events.len()];
        for e in &r.expected_events {
            // The same source and target, whatever the code.
            let dyad = a.events.iter().enumerate().position(|(i, ev)| {
                !dyad_used[i]
                    && same_actor(&ev.source_code, &e.source)
                    && same_actor(&ev.target_code, &e.target)
            });
            if let Some(i) = dyad {
                dyad_used[i] = true;
                dyads_matched += 1;
            }
            let hit = a.events.iter().enumerate().position(|(i, ev)| {
                !used[i]
                    && root(&ev.code) == root(&e.code)
                    && same_actor(&ev.source_code, &e.source)
                    && same_actor(&ev.target_code, &e.target)
            });
            if let Some(i) = hit {
                used[i] = true;
                matched += 1;
                let ev = &a.events[i];
                if same_full(&ev.source_code, &ev.source_agent, &e.source)
                    && same_full(&ev.target_code, &ev.target_agent, &e.target)
                {
                    agents_matched += 1;
                }
            }
        }
        expected_n += r.expected_events.len();
        matched_n += matched;
        produced_n += a.events.len();
        let ours: Vec<String> = a
            .events
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    full(&e.source_code, &e.source_agent),
                    e.code,
                    full(&e.target_code, &e.target_agent)
                )
            })
            .collect();
        let want: Vec<String> = r
            .expected_events
            .iter()
            .map(|e| format!("{} {} {}", e.source, e.code, e.target))
            .collect();
        // Expected actors no mention resolved to (country level): an
        // importer or tagger problem rather than a rule problem.
        let tagged: Vec<String> =
            a.mentions.iter().filter_map(|m| resolved_code(m, codes_by_row)).collect();
        let mut untagged: Vec<String> = r
            .expected_events
            .iter()
            .flat_map(|e| [e.source.as_str(), e.target.as_str()])
            .filter(|c| !c.starts_with("---") && !tagged.iter().any(|t| same_actor(t, c)))
            .map(expected_country)
            .collect();
        untagged.sort_unstable();
        untagged.dedup();
        actors_missing += untagged.len();
        println!(
            "[{verbs}] EVENTS {} {}/{} expected [{}] ours [{}]{}",
            r.id,
            matched,
            r.expected_events.len(),
            want.join("; "),
            ours.join("; "),
            if untagged.is_empty() {
                String::new()
            } else {
                format!(" untagged [{}]", untagged.join(","))
            }
        );
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    println!(
        "[{verbs}] scored {scored} of {} records, skipped {skipped} (non-CAMEO codes or expected errors); {actors_missing} expected actors untagged",
        records.len()
    );
    format!(
        "PETRARCH verbs={verbs} events_expected={expected_n} matched={matched_n} extra={} recall={:.3} precision={:.3} dyads_matched={dyads_matched} agents_matched={agents_matched} date_records={date_pass}/{date_n}",
        produced_n - matched_n,
        ratio(matched_n, expected_n),
        ratio(matched_n, produced_n)
    )
}

/// Imports the validation actors into `out`; returns `file:line` of each
/// imported row → its CAMEO code (from the `note` column). A bundled
/// country whose name the suite codes otherwise, with dates, keeps only its
/// official name in `over` (a later layer), so the suite's names win.
/// Also returns the suite's old codes of bundled countries (`KUWAIT [KUW]`
/// → `KUW` ~ `KWT`), which name the same actor.
#[allow(clippy::type_complexity)]
fn import_actors(
    dir: &Path,
    out: &Path,
    over: &Path,
) -> anyhow::Result<(HashMap<String, String>, HashMap<String, String>)> {
    let path = dir.join("PETR.Validate.actors.txt");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let bundled = gazetteer::load_sources(&gazetteer::bundled_sources());
    let mut known = cameo::Known::from_gazetteer(&bundled.gazetteer);
    let (actors, _) = cameo::parse("PETR.Validate.actors.txt", &text);
    let mut off = String::from("id\tname\tcapitals\tnote\n");
    for c in &bundled.gazetteer.countries {
        let redefined = actors.iter().any(|a| {
            let name = a.words.join(" ").to_lowercase();
            name == c.name.to_lowercase()
                && a.restrictions.iter().any(|r| r.dated)
                && a.restrictions.iter().all(|r| !r.code.starts_with(&c.id))
        });
        if redefined {
            for f in
                std::iter::once(&c.name).chain(&c.aliases).chain(&c.demonyms).chain(&c.capitals)
            {
                known.forms.remove(f);
            }
            // Keep the row (people and bodies refer to it) under its
            // official name only.
            let official = if c.official.is_empty() || c.official == c.name {
                format!("{} (bundled)", c.name)
            } else {
                c.official.clone()
            };
            off.push_str(&format!(
                "{}\t{official}\t{}\tthe suite codes \"{}\" otherwise\n",
                c.id,
                c.capitals.join("|"),
                c.name
            ));
        }
    }
    std::fs::write(over.join("countries-suite-off.tsv"), off)?;
    let mut aliases = HashMap::new();
    for a in &actors {
        let name = a.words.join(" ").to_lowercase();
        let [r] = a.restrictions.as_slice() else { continue };
        if r.dated || r.code.len() != 3 {
            continue;
        }
        let same =
            bundled.gazetteer.countries.iter().find(|c| {
                std::iter::once(&c.name).chain(&c.aliases).any(|f| f.to_lowercase() == name)
            });
        if let Some(c) = same.filter(|c| c.id != r.code) {
            aliases.insert(r.code.clone(), c.id.clone());
        }
    }
    // The suite's codes that are real ISO3 codes name its own places too
    // (`ERIADOR [ERI]`): keep those names by extending the bundled rows.
    known.extend_countries = true;
    let imp = cameo::import("PETR.Validate.actors.txt", &text, &known);
    eprintln!(
        "imported {} people rows, {} organisations, {} countries; {} warning(s)",
        imp.people.len(),
        imp.orgs.len(),
        imp.countries.len(),
        imp.diagnostics.len()
    );
    imp.write(out, "PETR.Validate.actors.txt")?;
    let mut codes = HashMap::new();
    for name in cameo::FILES {
        let file = out.join(name);
        let text = std::fs::read_to_string(&file)?;
        for (i, line) in text.lines().enumerate() {
            let note = line.rsplit('\t').next().unwrap_or("");
            if let Some(code) = note.strip_prefix("CAMEO ").and_then(|n| n.split([',', ' ']).next())
            {
                codes.insert(format!("{}:{}", file.display(), i + 1), code.to_string());
            }
        }
    }
    Ok((codes, aliases))
}

/// The full CAMEO code a mention stands for: an imported row's code, else
/// the country (bundled countries give their ISO3 code).
fn resolved_code(m: &gazette::tag::Mention, codes: &HashMap<String, String>) -> Option<String> {
    if m.kind == EntityType::Date {
        return None;
    }
    if let Some(c) = codes.get(&*m.source) {
        return Some(c.clone());
    }
    let c = m.actor_code();
    (!c.is_empty()).then(|| c.to_string())
}

fn root(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

fn country(code: &str) -> &str {
    code.get(..3).unwrap_or(code)
}

/// Converts the suite's verb dictionary (`PETR.Validate.verbs.txt`, KEDS
/// syntax) into `triggers-suite.tsv` in `out`, which also switches every
/// bundled trigger off, and `cameo-suite.tsv` with the codes our table
/// lacks. Approximate, as the suite needs: a pattern `- PRE * POST [code]`
/// becomes `PRE ... VERB ... POST` (`_` joins words without a gap), a
/// synset becomes alternatives, `[a:b]` gives the code and the reverse
/// event's code, and codes that are not 2–4 digits (`[---]`, `[+++]`,
/// `[174K]`) give no event.
fn import_verbs(dir: &Path, out: &Path, bundled: &Resources) -> anyhow::Result<()> {
    let path = dir.join("PETR.Validate.verbs.txt");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let mut synsets: HashMap<String, Vec<String>> = HashMap::new();
    let mut blocks: Vec<VerbBlock> = vec![];
    let mut current_synset: Option<String> = None;
    for raw in text.lines() {
        let line = raw.split('#').next().unwrap_or("").trim_end();
        let t = line.trim();
        if t.is_empty() || t.starts_with('<') {
            current_synset = None;
            continue;
        }
        if let Some(name) = t.strip_prefix('&').filter(|_| !line.starts_with('-')) {
            let name = name.split_whitespace().next().unwrap_or("").to_string();
            synsets.insert(name.clone(), vec![]);
            current_synset = Some(name);
            continue;
        }
        if let (Some(name), Some(m)) = (&current_synset, t.strip_prefix('+')) {
            synsets.get_mut(name).unwrap().push(m.trim().to_string());
            continue;
        }
        current_synset = None;
        if let Some(head) = t.strip_prefix("---") {
            let head = head.trim_end_matches('-').trim();
            let code = bracket(head).unwrap_or_default();
            blocks.push(VerbBlock { code, forms: vec![], patterns: vec![] });
            continue;
        }
        let Some(block) = blocks.last_mut() else { continue };
        if let Some(p) = t.strip_prefix('-') {
            if let Some(code) = bracket(p) {
                let body = p[..p.find('[').unwrap_or(p.len())].trim().to_string();
                block.patterns.push((body, code));
            }
            continue;
        }
        // A verb form line: `BREAK { BROKE BROKEN }`, `+BREAK_DOWN {…}`,
        // `KLM_NOP_+RST [002]`.
        let main = t[..t.find(['{', '[']).unwrap_or(t.len())].trim();
        let code = bracket(t);
        let mut forms = vec![main.to_string()];
        if let (Some(a), Some(b)) = (t.find('{'), t.find('}')) {
            forms.extend(t[a + 1..b].split_whitespace().map(str::to_string));
        }
        for f in forms {
            let f = f.trim_start_matches('+').to_string();
            if !f.is_empty() {
                block.forms.push((f, code.clone()));
            }
        }
    }

    let valid = |c: &str| (2..=4).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit());
    let mut rows = vec![];
    let mut codes: Vec<String> = vec![];
    let mut n = 0;
    let mut push =
        |pattern: String, code: &str, rows: &mut Vec<String>, codes: &mut Vec<String>| {
            let (active, reverse) = match code.split_once(':') {
                Some((a, b)) => (a.to_string(), Some(b.to_string())),
                None => (code.to_string(), None),
            };
            if !valid(&active) || pattern.trim().is_empty() {
                return;
            }
            let mut flags = vec!["no_intent".to_string(), "passive".to_string()];
            codes.push(active.clone());
            if let Some(r) = reverse.filter(|r| valid(r)) {
                codes.push(r.clone());
                flags.push(format!("reverse={r}"));
            }
            n += 1;
            rows.push(format!("SUITE/{n:05}\t{pattern}\t{active}\t{}\t\t\t", flags.join(",")));
        };
    for b in &blocks {
        let verb_alts: Vec<String> = b.forms.iter().map(|(f, _)| verb_pattern(f)).collect();
        for (f, code) in &b.forms {
            let code = code.clone().unwrap_or_else(|| b.code.clone());
            push(verb_pattern(f), &code, &mut rows, &mut codes);
        }
        for (body, code) in &b.patterns {
            for verb in &verb_alts {
                for p in expand_pattern(body, verb, &synsets) {
                    push(p, code, &mut rows, &mut codes);
                }
            }
        }
    }
    let mut triggers = String::from("id\tpattern\tcode\tflags\texample\tstatus\tnote\n");
    for t in &bundled.coder.lexicon.triggers {
        triggers.push_str(&format!("{}\t{}\t{}\t\t\toff\t\n", t.id, t.pattern, t.code));
    }
    for r in rows {
        triggers.push_str(&r);
        triggers.push('\n');
    }
    std::fs::write(out.join("triggers-suite.tsv"), triggers)?;
    let mut cameo = String::from("code\tlabel\tquad_class\tgoldstein\tnote\n");
    codes.sort();
    codes.dedup();
    for c in codes.iter().filter(|c| !bundled.coder.lexicon.cameo.contains_key(*c)) {
        cameo.push_str(&format!("{c}\tPETR.Validate code {c}\t0\t0\t\n"));
    }
    std::fs::write(out.join("cameo-suite.tsv"), cameo)?;
    Ok(())
}

#[derive(Debug)]
struct VerbBlock {
    code: String,
    /// Verb forms, each with its own code when it has one.
    forms: Vec<(String, Option<String>)>,
    /// Pattern bodies (`PRE * POST`) and codes.
    patterns: Vec<(String, String)>,
}

/// The text inside the first `[…]`.
fn bracket(s: &str) -> Option<String> {
    let a = s.find('[')?;
    let b = s[a..].find(']')? + a;
    Some(s[a + 1..b].trim().to_string())
}

/// A verb form as a pattern: `WIRE_TAP` → `wire tap*`; the last word
/// takes inflections (`restore` → `restor*|restore`).
fn verb_pattern(form: &str) -> String {
    let words: Vec<String> =
        form.split('_').filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let mut out: Vec<String> = vec![];
    let last = words.len().saturating_sub(1);
    for (i, w) in words.iter().enumerate() {
        if i == 0 || i == last {
            out.push(inflect(w));
        } else {
            out.push(w.clone());
        }
    }
    out.join(" ")
}

/// A word and its inflections as pattern alternatives.
fn inflect(w: &str) -> String {
    let mut alts = vec![w.to_string()];
    if w.len() < 3 || !w.chars().all(|c| c.is_ascii_alphabetic()) {
        return w.to_string();
    }
    if let Some(stem) = w.strip_suffix('e') {
        alts.push(format!("{stem}*"));
    } else if let Some(stem) = w.strip_suffix('y') {
        alts.push(format!("{stem}*"));
        alts.push(format!("{w}s"));
        alts.push(format!("{w}ing"));
    } else {
        alts.push(format!("{w}*"));
        let b = w.as_bytes();
        let n = b.len();
        let vowel = |c: u8| b"aeiou".contains(&c);
        if n >= 3
            && !vowel(b[n - 1])
            && vowel(b[n - 2])
            && !vowel(b[n - 3])
            && !b"wxy".contains(&b[n - 1])
        {
            let c = b[n - 1] as char;
            alts.push(format!("{w}{c}ed"));
            alts.push(format!("{w}{c}ing"));
        }
    }
    alts.join("|")
}

/// `PRE * POST` → patterns (one per synset member combination, at most 16).
fn expand_pattern(body: &str, verb: &str, synsets: &HashMap<String, Vec<String>>) -> Vec<String> {
    // Segments separated by spaces may have gaps between them; words inside
    // a segment joined by `_` are adjacent.
    let mut outs: Vec<Vec<String>> = vec![vec![]];
    let mut first = true;
    for seg in body.split_whitespace() {
        let words: Vec<&str> = seg.split('_').filter(|w| !w.is_empty()).collect();
        let words: Vec<&str> =
            words.into_iter().filter(|w| !matches!(*w, "%" | "$" | "+" | "^")).collect();
        if words.is_empty() {
            continue;
        }
        if !first {
            for o in &mut outs {
                o.push("...".into());
            }
        }
        first = false;
        for w in words {
            let choices: Vec<String> = if w == "*" {
                vec![verb.to_string()]
            } else if let Some(name) = w.strip_prefix('&') {
                let members = synsets.get(name).cloned().unwrap_or_default();
                let members: Vec<String> = members
                    .iter()
                    .map(|m| {
                        m.split(['_', ' '])
                            .filter(|x| !x.is_empty() && !x.starts_with('&'))
                            .map(str::to_lowercase)
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .filter(|m| !m.is_empty())
                    .collect();
                if members.is_empty() {
                    return vec![];
                }
                members
            } else {
                let lw = w.to_lowercase();
                let lw = lw.trim_end_matches('+').to_string();
                if lw.is_empty()
                    || !lw.chars().all(|c| c.is_alphanumeric() || c == '\'' || c == '-')
                {
                    return vec![];
                }
                vec![if lw.len() >= 4 { format!("{lw}|{lw}*") } else { lw }]
            };
            let mut next = vec![];
            for o in &outs {
                for c in &choices {
                    let mut o = o.clone();
                    o.push(c.clone());
                    next.push(o);
                }
            }
            outs = next;
            if outs.len() > 16 {
                outs.truncate(16);
            }
        }
    }
    outs.into_iter()
        .map(|o| o.join(" "))
        // A pattern cannot start with a gap; a verb-less pattern is not one.
        .filter(|p| !p.is_empty() && !p.starts_with("..."))
        .collect()
}
