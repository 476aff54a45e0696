//! `gazette import cameo FILE`: converts a CAMEO/PETRARCH actor dictionary
//! into gazetteer files (`countries-imported.tsv`,
//! `organisations-imported.tsv`, `people-imported.tsv`), or with
//! `--kind agents` an agent dictionary into `agents-imported.tsv`, to layer
//! with `--gazetteers DIR`, then checks them as `gazette check` would.

use std::path::PathBuf;
use std::process::ExitCode;

use gazette::dates::DateOptions;
use gazette::gazetteer;
use gazette::import::cameo;
use gazette::pipeline::Resources;

use crate::cli::message;

/// Convert another event coder's dictionary into gazetteer files.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(Debug, clap::Subcommand)]
enum Format {
    /// A CAMEO/PETRARCH/TABARI actor dictionary (`PHRASE [CODE]`, `+synonym`,
    /// TAB-indented `[CODE date-date]` restrictions).
    Cameo(CameoArgs),
}

#[derive(Debug, clap::Args)]
struct CameoArgs {
    /// The dictionary file (e.g. Phoenix.Countries.actors.txt).
    file: PathBuf,
    /// Folder to write the gazetteer files into (created if needed; the
    /// *-imported.tsv files written are overwritten).
    #[arg(long, value_name = "DIR", default_value = "imported")]
    out: PathBuf,
    /// Also import new names of countries the bundled gazetteer has
    /// (`+OSAKA_` under `JAPAN_ [JPN]`): such a country's row is copied
    /// from the bundled file with the names added, and replaces it.
    #[arg(long)]
    extend_countries: bool,
    /// What the dictionary holds: actors (`PHRASE [CODE]`, people,
    /// organisations, countries) or agents (`PHRASE {PLURALS} [~CODE]`).
    #[arg(long, value_enum, default_value_t = Kind::Actors)]
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Kind {
    Actors,
    Agents,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.format {
        Format::Cameo(a) => run_cameo(a),
    }
}

fn run_cameo(args: CameoArgs) -> anyhow::Result<ExitCode> {
    let bytes =
        std::fs::read(&args.file).map_err(|e| gazette::Error::io(args.file.display(), e))?;
    let text = String::from_utf8_lossy(&bytes);
    let path = args.file.display().to_string();
    if args.kind == Kind::Agents {
        let imp = gazette::import::agents::import(&path, &text);
        for d in &imp.diagnostics {
            eprintln!("{d}");
        }
        imp.write(&args.out, &path)?;
        message(format!(
            "imported {} agents into {}; {} warning(s)",
            imp.rows.len(),
            args.out.join(gazette::import::agents::FILE).display(),
            imp.diagnostics.len()
        ));
        return check_layered(&args.out);
    }
    let bundled = gazetteer::load_sources(&gazetteer::bundled_sources());
    let mut known = cameo::Known::from_gazetteer(&bundled.gazetteer);
    known.extend_countries = args.extend_countries;
    let imp = cameo::import(&path, &text, &known);
    for d in &imp.diagnostics {
        eprintln!("{d}");
    }
    imp.write(&args.out, &path)?;
    let roles = imp.people.len();
    let mut ids: Vec<&str> = imp.people.iter().map(|p| p.id.as_str()).collect();
    ids.dedup();
    message(format!(
        "imported {} people ({roles} roles), {} organisations, {} countries into {}; {} warning(s)",
        ids.len(),
        imp.orgs.len(),
        imp.countries.len(),
        args.out.display(),
        imp.diagnostics.len()
    ));
    check_layered(&args.out)
}

/// The output must layer cleanly: checks `out` over the bundled files as
/// `gazette check` would.
fn check_layered(out: &std::path::Path) -> anyhow::Result<ExitCode> {
    let mut sources = gazetteer::bundled_sources();
    sources.extend(gazetteer::folder_sources(out, 1)?);
    let (_, diags) = Resources::check(&sources, DateOptions::default());
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for d in &errors {
        eprintln!("{d}");
    }
    message(format!(
        "the imported files have {} error(s); please report this as a bug",
        errors.len()
    ));
    Ok(ExitCode::from(2))
}
