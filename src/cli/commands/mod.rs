//! One module per subcommand: `Args` (its flags, documented for `--help`)
//! and `run`.

pub mod bench;
pub mod check;
pub mod explain;
pub mod extract;
pub mod import;
