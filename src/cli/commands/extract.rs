//! `gazette extract`: the main job. Articles in (text, saved web pages,
//! JSON Lines), `entities`, `events` and `documents` tables out (CSV,
//! JSON Lines or an Excel workbook), or with `--stream` one JSON line per
//! article on standard output.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use gazette::dates::DateOptions;
use gazette::output::{self, Format, SinkOptions, StreamSink};
use gazette::pipeline::{self, Options, Resources};

use crate::cli::{message, parse_date, progress::Progress};

/// Extract entities, events and document rows from articles.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Article files or folders (searched recursively): .txt/.md (or no
    /// extension), .html/.htm saved pages, .jsonl corpora (one article per
    /// line: id, text, optional date, url, title); `-` reads JSON Lines
    /// from standard input.
    #[arg(required_unless_present = "stream")]
    inputs: Vec<PathBuf>,
    /// Folder for the tables (entities, events, documents).
    #[arg(long, default_value = "output")]
    out: PathBuf,
    /// Table format: csv (entities.csv, events.csv, documents.csv), jsonl
    /// (the same as .jsonl files) or xlsx (gazette.xlsx with three sheets).
    #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
    format: FormatArg,
    /// Read JSON Lines on standard input (unless INPUTS are given) and
    /// write one JSON line per article on standard output:
    /// {"document": {..}, "entities": [..], "events": [..]}, in input order.
    #[arg(long, conflicts_with_all = ["out", "format", "bom", "raw_cells"])]
    stream: bool,
    /// A folder of gazetteer files layered over the bundled ones (repeatable).
    #[arg(long = "gazetteers", value_name = "DIR")]
    gazetteers: Vec<PathBuf>,
    /// CSV with header `doc,date` giving articles' publication dates.
    #[arg(long, value_name = "FILE")]
    doc_dates: Option<PathBuf>,
    /// Publication date for articles with no better date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    dct: Option<chrono::NaiveDate>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Read numeric dates such as 03/04/2021 as day/month.
    #[arg(long)]
    day_first: bool,
    /// Skip files larger than this many bytes (default 4 GiB). Text files
    /// over 256 KiB are read in parts, so memory does not grow with them;
    /// HTML pages and JSON lines are parsed whole and capped at 256 MiB.
    #[arg(long, default_value_t = pipeline::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Size of the parts large text files are read in (bytes; testing).
    #[arg(long, hide = true, default_value_t = pipeline::DEFAULT_PART_SIZE)]
    part_size: usize,
    /// Also write times of day, durations (P3Y), sets and vague references
    /// (PRESENT_REF…) to entities.csv, as TempEval-3 scores them.
    #[arg(long)]
    all_timex: bool,
    /// Write cells exactly as found, without neutralising spreadsheet formulas.
    #[arg(long)]
    raw_cells: bool,
    /// Start each CSV with a UTF-8 byte-order mark (for old Excel versions).
    #[arg(long)]
    bom: bool,
    /// No progress bar and no summary line.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Csv,
    Jsonl,
    Xlsx,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("thread pool")?;
    }
    let (res, warnings) =
        Resources::load(&args.gazetteers, DateOptions { day_first: args.day_first })?;
    if !args.quiet {
        for w in &warnings {
            if w.path.starts_with("gazetteers/") {
                continue; // bundled warnings are for `gazette check`
            }
            eprintln!("{w}");
        }
    }
    let doc_dates = match &args.doc_dates {
        Some(p) => pipeline::read_doc_dates(p)?,
        None => Default::default(),
    };
    let opts = Options {
        doc_dates,
        dct: args.dct,
        max_file_size: args.max_file_size,
        all_timex: args.all_timex,
        part_size: args.part_size.max(1),
    };
    let inputs =
        if args.inputs.is_empty() { vec![PathBuf::from("-")] } else { args.inputs.clone() };
    // Counted in a first walk, so the list is never held in memory.
    let (count, total) = if args.quiet { (0, 0) } else { gazette::input::count(&inputs) };
    let bar = Progress::new(count, total, args.quiet);
    let progress = |docs: usize, bytes: u64| bar.update(docs, bytes);
    let mut report = |d: &gazette::output::DocumentRow| {
        bar.suspend(|| message(format!("{}: {}: {}", d.doc, d.status, d.message)));
    };
    let format = match args.format {
        FormatArg::Csv => Format::Csv,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Xlsx => Format::Xlsx,
    };
    let sink: Box<dyn output::Sink> = if args.stream {
        Box::new(StreamSink::new(std::io::BufWriter::new(std::io::stdout().lock())))
    } else {
        output::create(&args.out, SinkOptions { format, raw_cells: args.raw_cells, bom: args.bom })?
    };
    let sources = gazette::input::sources(gazette::input::walk(&inputs), args.max_file_size);
    let summary = pipeline::run(sources, &res, &opts, sink, &progress, &mut report)?;
    bar.finish();
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        message(format!(
            "{} documents ({} ok, {} skipped, {} failed), {} entities, {} events, {:.1} MB in {:.2}s ({:.1} MB/s) → {}",
            summary.documents,
            summary.ok,
            summary.skipped,
            summary.errors,
            summary.entities,
            summary.events,
            summary.bytes as f64 / 1e6,
            secs,
            summary.bytes as f64 / 1e6 / secs.max(1e-9),
            if args.stream { "standard output".into() } else { args.out.display().to_string() }
        ));
    }
    // Everything is written: the process ends here, and freeing the
    // compiled gazetteers piece by piece would only delay that (half a
    // second for a million names).
    std::mem::forget(res);
    Ok(if summary.errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
