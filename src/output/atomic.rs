//! Atomic output files, shared by every format: each file is written as a
//! hidden `.NAME.PID.tmp` in the output folder and renamed over `NAME`
//! only when the run completes. An interrupted run leaves the previous
//! tables untouched (and at most a stray `.tmp` file, removed by the next
//! run).

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Every file name a sink writes, for [`remove_stale_tmp`].
const OUR_NAMES: &[&str] = &[
    "entities.csv",
    "events.csv",
    "documents.csv",
    "entities.jsonl",
    "events.jsonl",
    "documents.jsonl",
    "gazette.xlsx",
];

/// A file being written under a temporary name.
#[derive(Debug)]
pub struct AtomicPath {
    pub tmp: PathBuf,
    dest: PathBuf,
}

impl AtomicPath {
    pub fn new(dir: &Path, name: &str) -> AtomicPath {
        AtomicPath {
            dest: dir.join(name),
            tmp: dir.join(format!(".{name}.{}.tmp", std::process::id())),
        }
    }

    /// Creates the temporary file.
    pub fn create(&self) -> Result<File> {
        File::create(&self.tmp).map_err(|e| Error::io(self.tmp.display(), e))
    }

    /// Syncs the temporary file (already closed by its writer) and renames
    /// it over the final name.
    pub fn commit(self) -> Result<()> {
        let f = File::open(&self.tmp).map_err(|e| Error::io(self.tmp.display(), e))?;
        f.sync_all().map_err(|e| Error::io(self.tmp.display(), e))?;
        drop(f);
        std::fs::rename(&self.tmp, &self.dest).map_err(|e| Error::io(self.dest.display(), e))
    }
}

/// Creates the output folder and removes `.NAME.PID.tmp` files left in it
/// by an interrupted run.
pub fn prepare_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
    let Ok(read) = std::fs::read_dir(dir) else { return Ok(()) };
    for e in read.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours =
            OUR_NAMES.iter().any(|t| name.starts_with(&format!(".{t}.")) && name.ends_with(".tmp"));
        if ours {
            let _ = std::fs::remove_file(e.path());
        }
    }
    Ok(())
}
