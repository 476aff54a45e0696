//! The `gazette` command: parses the command line and hands over to
//! `cli`, which owns every message the user sees.

use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    cli::main()
}
