//! `gazette explain`: shows how one sentence is tagged and coded: its
//! tags, each event with its rule and trigger, and the triggers that
//! matched but made no event, with the reason. How users debug rules.

use std::path::PathBuf;
use std::process::ExitCode;

use gazette::dates::DateOptions;
use gazette::pipeline::{analyse, DctSource, Resources};

use crate::cli::parse_date;

/// Explain how a sentence is tagged and coded.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The sentence (or short text) to explain.
    sentence: String,
    /// The article's date (YYYY-MM-DD), for dates and date-restricted roles.
    #[arg(long, value_parser = parse_date)]
    dct: Option<chrono::NaiveDate>,
    /// A folder of gazetteer files layered over the bundled ones (repeatable).
    #[arg(long = "gazetteers", value_name = "DIR")]
    gazetteers: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (res, _) = Resources::load(&args.gazetteers, DateOptions::default())?;
    let text = &args.sentence;
    let mut why = vec![];
    let source = if args.dct.is_some() { DctSource::Flag } else { DctSource::None };
    let a = analyse(text, &res, args.dct, source, Some(&mut why));
    println!("tags:");
    if a.mentions.is_empty() {
        println!("  (none)");
    }
    for m in &a.mentions {
        let country =
            if m.country.is_empty() { String::new() } else { format!(" country={}", m.country) };
        let role = if m.role.is_empty() { String::new() } else { format!(" role={}", m.role) };
        println!(
            "  {}..{} {} \"{}\" → {} [{}]{country}{role} ({})",
            m.start,
            m.end,
            m.kind.as_str(),
            &text[m.start..m.end],
            m.canonical,
            m.code,
            m.source
        );
    }
    println!("events:");
    if a.events.is_empty() {
        println!("  (none)");
    }
    let with_agent = |code: &str, agent: &str| {
        if agent.is_empty() {
            code.to_string()
        } else {
            format!("{code}:{agent}")
        }
    };
    for e in &a.events {
        println!(
            "  {} {} {} ({}) {} → {} date={} \"{}\" rule={} trigger=\"{}\"",
            with_agent(&e.source_code, &e.source_agent),
            e.code,
            with_agent(&e.target_code, &e.target_agent),
            e.label,
            e.source,
            e.target,
            e.date,
            e.date_text,
            e.rule,
            e.trigger
        );
    }
    println!("triggers without an event:");
    let unmade: Vec<_> = why.iter().filter(|x| x.events.is_empty()).collect();
    if unmade.is_empty() {
        println!("  (none)");
    }
    for x in unmade {
        println!(
            "  rule={} trigger=\"{}\": {}",
            x.rule,
            x.trigger,
            x.reason.as_deref().unwrap_or("no event")
        );
    }
    Ok(ExitCode::SUCCESS)
}
