//! Measures the rule stage against PETRARCH's validation suite.
//!
//! ```text
//! cargo run --release --example petrarch -- /work/shared/anchors/petrarch2 [--triggers FILE]
//! ```
//!
//! The folder holds `PETR.Validate.actors.txt` and
//! `derived/PETR.UnitTest.records.jsonl` (see its README). The actor
//! dictionary is imported with `gazette::import::cameo` into a temporary
//! folder layered over the bundled gazetteers (with `extend_countries`, so
//! `ERIADOR [ERI]` still names ERI; agent dictionaries are not imported
//! yet), then every record's text is analysed at the record's
//! date.
//!
//! - Events: a record is scored when all its expected codes are CAMEO
//!   (in our CAMEO table or with a root 01–20; the suite's WEIS-style codes
//!   are left out) or it expects no events. An expected event is matched by
//!   one of ours with the same root (first two digits) and the same source
//!   and target at country level (first three letters of the codes).
//! - DATE records test date-restricted actors: a record passes when every
//!   actor code it expects (source and target, in full, e.g. `HOBCIV`) is
//!   the code some mention resolved to at the record's date. A person's
//!   code is the raw CAMEO code of the role `role_on(date)` picked, read
//!   back from the imported row's `note`.
//!
//! `--triggers FILE` layers one more trigger lexicon (`triggers*.tsv`
//! format), to measure rules under work before they are bundled.
//!
//! The last line is the summary:
//! `PETRARCH events_expected=.. matched=.. extra=.. recall=.. precision=.. date_records=../..`.

use std::collections::HashMap;
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
    let codes_by_row = import_actors(&dir, gaz.path())?;
    if let Some(t) = triggers {
        // Layer a trigger lexicon under work (e.g. the lead's triggers.tsv).
        std::fs::copy(&t, gaz.path().join("triggers-extra.tsv"))
            .with_context(|| t.display().to_string())?;
    }
    let (res, _) = Resources::load(&[gaz.path().to_path_buf()], DateOptions::default())
        .context("loading the gazetteers with the imported actors")?;

    let records_path = dir.join("derived/PETR.UnitTest.records.jsonl");
    let text = std::fs::read_to_string(&records_path)
        .with_context(|| records_path.display().to_string())?;
    let records: Vec<Record> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .context("reading the records")?;

    let is_cameo = |code: &str| {
        res.coder.lexicon.cameo.contains_key(code)
            || code
                .get(..2)
                .and_then(|r| r.parse::<u8>().ok())
                .is_some_and(|r| (1..=20).contains(&r))
    };
    let (mut scored, mut skipped) = (0, 0);
    let (mut expected_n, mut matched_n, mut produced_n) = (0, 0, 0);
    let (mut date_pass, mut date_n) = (0, 0);
    let mut actors_missing = 0;
    for r in &records {
        let Ok(date) = NaiveDate::parse_from_str(&r.date, "%Y%m%d") else {
            eprintln!("{}: bad date {:?}; skipped", r.id, r.date);
            continue;
        };
        let a = analyse(&r.text, &res, Some(date), DctSource::Flag, None);

        if r.category == "DATE" {
            date_n += 1;
            let resolved: Vec<String> =
                a.mentions.iter().filter_map(|m| resolved_code(m, &codes_by_row)).collect();
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
                "DATE {} {} {}: expected {} resolved {}",
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
        for e in &r.expected_events {
            let hit = a.events.iter().enumerate().position(|(i, ev)| {
                !used[i]
                    && root(&ev.code) == root(&e.code)
                    && country(&ev.source_code) == country(&e.source)
                    && country(&ev.target_code) == country(&e.target)
            });
            if let Some(i) = hit {
                used[i] = true;
                matched += 1;
            }
        }
        expected_n += r.expected_events.len();
        matched_n += matched;
        produced_n += a.events.len();
        let ours: Vec<String> = a
            .events
            .iter()
            .map(|e| format!("{} {} {}", e.source_code, e.code, e.target_code))
            .collect();
        let want: Vec<String> = r
            .expected_events
            .iter()
            .map(|e| format!("{} {} {}", e.source, e.code, e.target))
            .collect();
        // Expected actors no mention resolved to (country level): an
        // importer or tagger problem rather than a rule problem.
        let tagged: Vec<String> = a
            .mentions
            .iter()
            .filter_map(|m| resolved_code(m, &codes_by_row))
            .map(|c| country(&c).to_string())
            .collect();
        let mut untagged: Vec<&str> = r
            .expected_events
            .iter()
            .flat_map(|e| [country(&e.source), country(&e.target)])
            .filter(|c| *c != "---" && !tagged.iter().any(|t| t == c))
            .collect();
        untagged.sort_unstable();
        untagged.dedup();
        actors_missing += untagged.len();
        println!(
            "EVENTS {} {}/{} expected [{}] ours [{}]{}",
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
        "scored {scored} of {} records, skipped {skipped} (WEIS-style codes or expected errors); {actors_missing} expected actors untagged",
        records.len()
    );
    println!(
        "PETRARCH events_expected={expected_n} matched={matched_n} extra={} recall={:.3} precision={:.3} date_records={date_pass}/{date_n}",
        produced_n - matched_n,
        ratio(matched_n, expected_n),
        ratio(matched_n, produced_n)
    );
    Ok(())
}

/// Imports the validation actors into `out`; returns `file:line` of each
/// imported row → its CAMEO code (from the `note` column).
fn import_actors(dir: &Path, out: &Path) -> anyhow::Result<HashMap<String, String>> {
    let path = dir.join("PETR.Validate.actors.txt");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let bundled = gazetteer::load_sources(&gazetteer::bundled_sources());
    let mut known = cameo::Known::from_gazetteer(&bundled.gazetteer);
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
    Ok(codes)
}

/// The full CAMEO code a mention stands for: an imported row's code, else
/// the country (bundled countries give their ISO3 code).
fn resolved_code(m: &gazette::tag::Mention, codes: &HashMap<String, String>) -> Option<String> {
    if m.kind == EntityType::Date {
        return None;
    }
    if let Some(c) = codes.get(&m.source) {
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
