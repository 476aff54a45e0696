//! Atomic output, shared by every format: a run's tables appear together
//! or not at all.
//!
//! Each file is written as a hidden `.NAME.PID.tmp` in the output folder.
//! When every file of the run is complete, [`publish`] makes them the
//! tables in three steps:
//!
//! 1. each temporary file is flushed to disk (`fsync`);
//! 2. a journal, `.gazette-publish`, listing the `tmp → NAME` renames is
//!    written (to its own temporary name, synced, then renamed: it exists
//!    whole or not at all);
//! 3. the files are renamed over their final names, then the journal is
//!    removed.
//!
//! A run killed before step 2 leaves the previous tables untouched (plus
//! stray `.tmp` files). A run killed during step 3 leaves the journal, and
//! every file it names complete on disk; the next run on that folder
//! ([`prepare_dir`], or [`recover`] directly) first finishes the renames it
//! lists, so the folder then holds the new complete set. Either way the
//! tables are one run's complete set, never a mixture of two runs or a
//! truncated file, once any gazette run has opened the folder. The only
//! mixed state is the instant between two renames of step 3, and it is
//! marked by the journal.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Every file name a sink writes, for removing stale temporary files.
const OUR_NAMES: &[&str] = &[
    "entities.csv",
    "events.csv",
    "documents.csv",
    "entities.jsonl",
    "events.jsonl",
    "documents.jsonl",
    "gazette.xlsx",
];

/// The journal of a publish in progress (see the module docs).
pub const JOURNAL: &str = ".gazette-publish";

/// Test hook: milliseconds to sleep after writing the journal and after
/// each rename, so a test can kill the process inside the publish step.
const PAUSE_ENV: &str = "GAZETTE_TEST_PUBLISH_PAUSE_MS";

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

    /// Flushes the temporary file (already closed by its writer) to disk.
    fn sync(&self) -> Result<()> {
        let f = File::open(&self.tmp).map_err(|e| Error::io(self.tmp.display(), e))?;
        f.sync_all().map_err(|e| Error::io(self.tmp.display(), e))
    }
}

/// Makes the completed temporary files of one run the tables, together
/// (see the module docs). All `files` must be in `dir`.
pub fn publish(dir: &Path, files: Vec<AtomicPath>) -> Result<()> {
    for f in &files {
        f.sync()?;
    }
    let mut journal = String::new();
    for f in &files {
        let (Some(tmp), Some(dest)) = (f.tmp.file_name(), f.dest.file_name()) else {
            unreachable!("atomic paths are files in the output folder")
        };
        journal.push_str(&format!("{}\t{}\n", tmp.to_string_lossy(), dest.to_string_lossy()));
    }
    let path = dir.join(JOURNAL);
    let tmp = dir.join(format!("{JOURNAL}.{}.tmp", std::process::id()));
    let io = |p: &Path| {
        let p = p.display().to_string();
        move |e| Error::io(p, e)
    };
    std::fs::write(&tmp, journal).map_err(io(&tmp))?;
    File::open(&tmp).and_then(|f| f.sync_all()).map_err(io(&tmp))?;
    std::fs::rename(&tmp, &path).map_err(io(&path))?;
    sync_dir(dir);
    let pause = test_pause();
    pause();
    for f in &files {
        std::fs::rename(&f.tmp, &f.dest).map_err(io(&f.dest))?;
        pause();
    }
    sync_dir(dir);
    std::fs::remove_file(&path).map_err(io(&path))?;
    sync_dir(dir);
    Ok(())
}

fn test_pause() -> impl Fn() {
    let ms = std::env::var(PAUSE_ENV).ok().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    move || {
        if ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    }
}

/// Makes renames in `dir` durable (a no-op where folders cannot be opened).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Finishes a publish that was interrupted in `dir`: performs the renames
/// the journal lists whose temporary file is still there, then removes the
/// journal. Returns whether there was one. Safe to call at any time when
/// no other run is writing to `dir`.
pub fn recover(dir: &Path) -> Result<bool> {
    let path = dir.join(JOURNAL);
    let journal = match std::fs::read_to_string(&path) {
        Ok(j) => j,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(path.display(), e)),
    };
    for line in journal.lines() {
        let Some((tmp, dest)) = line.split_once('\t') else { continue };
        // Only our own names, never a path out of the folder.
        let ours = OUR_NAMES.contains(&dest) && !tmp.contains(['/', '\\']);
        if !ours {
            continue;
        }
        let tmp = dir.join(tmp);
        if tmp.exists() {
            std::fs::rename(&tmp, dir.join(dest)).map_err(|e| Error::io(tmp.display(), e))?;
        }
    }
    sync_dir(dir);
    std::fs::remove_file(&path).map_err(|e| Error::io(path.display(), e))?;
    sync_dir(dir);
    Ok(true)
}

/// Creates the output folder, finishes a publish an earlier run was killed
/// in ([`recover`]), then removes the temporary files interrupted runs left.
pub fn prepare_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
    recover(dir)?;
    let Ok(read) = std::fs::read_dir(dir) else { return Ok(()) };
    for e in read.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = OUR_NAMES
            .iter()
            .chain([&JOURNAL])
            .any(|t| name.starts_with(&format!(".{}.", t.trim_start_matches('.'))))
            && name.ends_with(".tmp");
        if ours {
            let _ = std::fs::remove_file(e.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> AtomicPath {
        let p = AtomicPath::new(dir, name);
        std::fs::write(&p.tmp, text).unwrap();
        p
    }

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join(name)).unwrap_or_default()
    }

    #[test]
    fn publish_renames_all_and_leaves_no_journal() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let files = vec![write(d, "entities.csv", "e2"), write(d, "events.csv", "v2")];
        publish(d, files).unwrap();
        assert_eq!((read(d, "entities.csv"), read(d, "events.csv")), ("e2".into(), "v2".into()));
        let left: Vec<_> = std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn an_interrupted_publish_is_rolled_forward() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("entities.csv"), "e1").unwrap();
        std::fs::write(d.join("events.csv"), "v1").unwrap();
        let e = write(d, "entities.csv", "e2");
        let v = write(d, "events.csv", "v2");
        // As if killed after the journal and the first rename.
        let journal = format!(
            "{}\tentities.csv\n{}\tevents.csv\n",
            e.tmp.file_name().unwrap().to_string_lossy(),
            v.tmp.file_name().unwrap().to_string_lossy()
        );
        std::fs::write(d.join(JOURNAL), journal).unwrap();
        std::fs::rename(&e.tmp, d.join("entities.csv")).unwrap();
        assert_eq!(read(d, "events.csv"), "v1");
        prepare_dir(d).unwrap();
        assert_eq!((read(d, "entities.csv"), read(d, "events.csv")), ("e2".into(), "v2".into()));
        assert!(!d.join(JOURNAL).exists());
        assert!(!recover(d).unwrap());
    }

    #[test]
    fn without_a_journal_stray_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("entities.csv"), "e1").unwrap();
        write(d, "entities.csv", "half");
        std::fs::write(d.join(".gazette-publish.77.tmp"), "x").unwrap();
        std::fs::write(d.join("notes.tmp"), "mine").unwrap();
        prepare_dir(d).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["entities.csv", "notes.tmp"]);
        assert_eq!(read(d, "entities.csv"), "e1");
    }
}
