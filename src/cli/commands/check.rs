//! `gazette check`: validates the bundled gazetteers and the user's
//! folders, printing each problem as `file:line: severity: message`.

use std::path::PathBuf;
use std::process::ExitCode;

use gazette::dates::DateOptions;
use gazette::gazetteer;
use gazette::pipeline::Resources;

/// Validate gazetteer and trigger files.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder of gazetteer files layered over the bundled ones (repeatable).
    #[arg(long = "gazetteers", value_name = "DIR")]
    gazetteers: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut sources = gazetteer::bundled_sources();
    for (i, dir) in args.gazetteers.iter().enumerate() {
        sources.extend(gazetteer::folder_sources(dir, i + 1)?);
    }
    let (res, diags) = Resources::check(&sources, DateOptions::default());
    for d in &diags {
        println!("{d}");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let g = &res.tagger.gazetteer;
    let roles: usize = g.people.iter().map(|p| p.roles.len()).sum();
    println!(
        "{} files: {} countries, {} organisations, {} people ({} roles), {} given names, {} triggers, {} CAMEO codes, {} agents; {} error(s), {} warning(s)",
        sources.len(),
        g.countries.len(),
        g.orgs.len(),
        g.people.len(),
        roles,
        g.given_names.len(),
        res.coder.lexicon.triggers.len(),
        res.coder.lexicon.cameo.len(),
        res.coder.lexicon.agents.agents.len(),
        errors,
        diags.len() - errors
    );
    Ok(if errors > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
