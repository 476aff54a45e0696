//! The command line: flags (clap derive) turned into validated settings,
//! one module per subcommand, and the one place that prints messages
//! (prefixed `gazette:`) and chooses exit codes:
//! 0 all good, 1 some documents failed, 2 usage or gazetteer errors.

mod commands;
mod progress;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Turns a folder of news articles into tables of who did what to whom, when.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Extract(commands::extract::Args),
    Check(commands::check::Args),
    Explain(commands::explain::Args),
    Import(commands::import::Args),
    /// Measure throughput on a generated corpus against the bare matcher.
    #[command(hide = true)]
    Bench(commands::bench::Args),
}

/// Prints a message the way every gazette message looks.
pub fn message(text: impl std::fmt::Display) {
    eprintln!("gazette: {text}");
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Extract(a) => commands::extract::run(a),
        Command::Check(a) => commands::check::run(a),
        Command::Explain(a) => commands::explain::run(a),
        Command::Import(a) => commands::import::run(a),
        Command::Bench(a) => commands::bench::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            if let Some(gazette::Error::Io { source, .. }) = e.downcast_ref::<gazette::Error>() {
                if source.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            if let Some(gazette::Error::Gazetteer(diags)) = e.downcast_ref::<gazette::Error>() {
                for d in diags.iter().filter(|d| d.is_error()) {
                    eprintln!("{d}");
                }
            }
            message(format!("{e:#}"));
            ExitCode::from(2)
        }
    }
}

/// Parses `YYYY-MM-DD` for clap.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("\"{s}\" is not a date (YYYY-MM-DD)"))
}
