//! The integration tests: the `gazette` binary run end to end.

mod util;

mod cli;
mod formats;
mod goldens;
mod import;
mod regression;
mod robustness;
