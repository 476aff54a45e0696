//! Test helpers: run the built `gazette` binary in a temporary folder with
//! a neutral environment, and compare whole files against golden copies.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `gazette` command with a clean environment.
pub fn gazette() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gazette"));
    cmd.env_clear();
    if let Ok(p) = std::env::var("PATH") {
        cmd.env("PATH", p);
    }
    cmd
}

/// Compares `got` with the golden file `want`; with `GAZETTE_BLESS=1` the
/// golden file is rewritten instead. On a mismatch prints both, and the
/// first differing line.
pub fn assert_golden(got: &Path, want: &Path) {
    let got_text =
        std::fs::read_to_string(got).unwrap_or_else(|e| panic!("{}: {e}", got.display()));
    if std::env::var("GAZETTE_BLESS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(want.parent().unwrap()).unwrap();
        std::fs::write(want, &got_text).unwrap();
        return;
    }
    let want_text = std::fs::read_to_string(want).unwrap_or_else(|e| {
        panic!("{}: {e} (run with GAZETTE_BLESS=1 to create it)", want.display())
    });
    if got_text != want_text {
        let first = got_text
            .lines()
            .zip(want_text.lines())
            .enumerate()
            .find(|(_, (g, w))| g != w)
            .map(|(i, (g, w))| format!("line {}:\n  got:  {g}\n  want: {w}", i + 1))
            .unwrap_or_else(|| "files differ in length".into());
        panic!(
            "{} differs from {}\n{first}\n--- got ---\n{got_text}\n--- want ---\n{want_text}\n(review, then GAZETTE_BLESS=1 cargo test to update)",
            got.display(),
            want.display()
        );
    }
}

/// Reads a CSV into header-keyed rows.
pub fn read_csv(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect()
}
