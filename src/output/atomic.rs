//! Atomic output, shared by every format: a run's tables appear together
//! or not at all.
//!
//! A run gets a [`Staging`] for its output folder, writes each file at
//! [`Staging::file`], and hands the completed files to
//! [`Staging::publish`]. There are two ways of publishing. While the
//! files are written, a thread flushes them to disk every half second
//! ([`Staging::flush_while_writing`]), so the flush when publishing has
//! little left to do.
//!
//! # The swap method (Linux)
//!
//! The files are written, under their final names, into a hidden staging
//! folder next to the output folder: `PARENT/.NAME.gazette-stage.PID` for
//! the output folder `PARENT/NAME` (the same parent, so the same
//! filesystem). It is created with the output folder's permission bits.
//! When every file is complete, publishing
//!
//! 1. flushes each file to disk (`fsync`);
//! 2. hard-links into the staging folder every entry of the output folder
//!    that is not a folder and not one of the run's files: a `README.md`,
//!    a `.gitkeep`, a symbolic link, the tables of another format;
//! 3. exchanges the staging folder and the output folder in one
//!    `renameat2(RENAME_EXCHANGE)` call, then flushes the parent folder;
//! 4. moves every entry the new output folder lacks (its sub-folders, and
//!    any file added since step 2) from the old folder, now at the staging
//!    name, into it;
//! 5. removes the old folder: the previous tables and the second names of
//!    the files linked in step 2. Anything else there is left in place
//!    (and the folder with it), never deleted.
//!
//! Step 3 is the only one a reader of `OUT/entities.csv` can observe, and
//! it is a single atomic system call: at every instant, even if the
//! process is killed, `OUT` holds either the previous tables or the new
//! ones, complete, together with every file that was in it. Two limits:
//!
//! - sub-folders of the output folder are missing between steps 3 and 4
//!   (microseconds). A run killed in between leaves them in the staging
//!   folder, and the next run on that output folder moves them back
//!   ([`prepare_dir`]);
//! - after a run the output folder is a new folder of the same name,
//!   owner, group and permission bits (ACLs and extended attributes of
//!   the folder itself are not copied). A program whose working directory
//!   was the output folder stays in the old one, which step 5 empties.
//!
//! The swap is used only when it keeps the folder as it was: on Linux,
//! when the output folder has a parent, is not a mount point (nor on
//! another device than its parent), is not the working directory or one
//! of its ancestors, is owned by the user and group a new folder gets
//! there, and is writable by its owner, and when the staging folder can
//! be created. Otherwise, or when step 2 or 3 is refused (a filesystem
//! without `RENAME_EXCHANGE`, a file that cannot be hard-linked), the run
//! falls back to the journal method; a refused step has changed nothing in
//! the output folder.
//!
//! # The journal method (fallback)
//!
//! Each file is written as a hidden `.NAME.PID.tmp` in the output folder.
//! When every file is complete:
//!
//! 1. each file is flushed to disk;
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
//! lists. The guarantee is weaker than the swap's: the tables are one run's
//! complete set once any gazette run has opened the folder, but a kill
//! between two renames of step 3 leaves a mixture, marked by the journal,
//! until then.
//!
//! # Clean-up
//!
//! [`prepare_dir`], run before every run, rolls an interrupted journal
//! forward, removes the temporary files of interrupted runs, and empties
//! and removes the staging folders of runs that are no longer running
//! (named for this output folder, with the PID of a process that does not
//! exist), moving the user's entries found there back first. Two runs must
//! not write to the same output folder at the same time.

use std::ffi::OsStr;
use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[cfg(target_os = "linux")]
mod swap;

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

/// Test hook: milliseconds to sleep at each step of the publish (see
/// [`Staging::publish`]), so a test can kill the process inside it.
const PAUSE_ENV: &str = "GAZETTE_TEST_PUBLISH_PAUSE_MS";

/// Whether `name` is a journal-method temporary file: `.NAME.PID.tmp` for
/// a table or for the journal.
fn is_temp(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.ends_with(".tmp")
        && OUR_NAMES
            .iter()
            .chain([&JOURNAL])
            .any(|t| name.starts_with(&format!(".{}.", t.trim_start_matches('.'))))
}

/// Where the journal method writes `name` in `dir`.
fn journal_tmp(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

fn io_error(p: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let p = p.display().to_string();
    move |e| Error::io(p, e)
}

/// A file of the run: written at `tmp`, published as `name`.
#[derive(Debug)]
pub struct AtomicPath {
    pub tmp: PathBuf,
    name: String,
}

impl AtomicPath {
    /// Creates the file.
    pub fn create(&self) -> Result<File> {
        File::create(&self.tmp).map_err(io_error(&self.tmp))
    }

    /// Flushes the file (already closed by its writer) to disk.
    fn sync(&self) -> Result<()> {
        let f = File::open(&self.tmp).map_err(io_error(&self.tmp))?;
        f.sync_all().map_err(io_error(&self.tmp))
    }
}

/// The swap method's output folder and staging folder (Linux only).
#[cfg(target_os = "linux")]
use swap::Swap;

/// Elsewhere there is no swap: every run uses the journal method.
#[cfg(not(target_os = "linux"))]
#[derive(Debug)]
enum Swap {}

#[cfg(not(target_os = "linux"))]
impl Swap {
    fn new(_: &Path) -> Option<Swap> {
        None
    }
    fn stage(&self) -> &Path {
        match *self {}
    }
    fn exchange(&self, _: &[AtomicPath], _: &dyn Fn()) -> std::io::Result<()> {
        match *self {}
    }
    fn finish(&self, _: &dyn Fn()) -> Result<()> {
        match *self {}
    }
    fn abandon(&self) -> Result<()> {
        match *self {}
    }
}

/// Where one run writes its files, and how they are published (see the
/// module docs).
#[derive(Debug)]
pub struct Staging {
    /// The output folder, as given.
    dir: PathBuf,
    /// The swap method's folders, or `None` for the journal method.
    swap: Option<Swap>,
    /// Flushes the files while they are written ([`Staging::flush_while_writing`]).
    flusher: Option<Flusher>,
}

/// How often [`Flusher`] flushes.
const FLUSH_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// A thread that flushes files to disk every [`FLUSH_EVERY`] until
/// [`Flusher::finish`] (or until dropped, when it ends on its own). The kernel would otherwise hold a run's tables in memory until
/// the flush before publishing, which then runs alone at the end (0.23 s
/// for 146 MB of tables after a 4.4 s run on the project's machine);
/// flushed as they grow, the disk works while the workers do. Its errors
/// are left to that last flush, which reports them.
#[derive(Debug)]
struct Flusher {
    stop: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Flusher {
    fn start(files: Vec<File>) -> Flusher {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                stopped.recv_timeout(FLUSH_EVERY)
            {
                for f in &files {
                    let _ = f.sync_data();
                }
            }
        });
        Flusher { stop, thread }
    }

    /// Stops the thread, after the flush it may be in.
    fn finish(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

impl Staging {
    /// Prepares the output folder `dir` ([`prepare_dir`]) and a staging
    /// folder next to it where the swap method can be used.
    pub fn new(dir: &Path) -> Result<Staging> {
        Staging::with(dir, true)
    }

    /// As [`Staging::new`]; with `try_swap` false, always the journal method.
    fn with(dir: &Path, try_swap: bool) -> Result<Staging> {
        prepare_dir(dir)?;
        let swap = if try_swap { Swap::new(dir) } else { None };
        Ok(Staging { dir: dir.to_path_buf(), swap, flusher: None })
    }

    /// The folder the files are written in (the staging folder, or the
    /// output folder), where a writer may also keep its scratch files.
    pub fn work_dir(&self) -> &Path {
        self.swap.as_ref().map_or(&self.dir, |s| s.stage())
    }

    /// Where to write the file that becomes `name` in the output folder.
    pub fn file(&self, name: &str) -> AtomicPath {
        let tmp = match &self.swap {
            Some(s) => s.stage().join(name),
            None => journal_tmp(&self.dir, name),
        };
        AtomicPath { tmp, name: name.to_string() }
    }

    /// Flushes `files` (handles on the run's files, open for writing
    /// elsewhere) to disk every half second until publishing.
    pub fn flush_while_writing(&mut self, files: Vec<File>) {
        if let Some(old) = self.flusher.replace(Flusher::start(files)) {
            old.finish();
        }
    }

    /// Makes the completed `files` (all from [`Staging::file`], closed)
    /// the output folder's tables, together.
    ///
    /// With `PAUSE_ENV` set, sleeps that long before and after the
    /// exchange and after each removal from the old folder (swap), or
    /// after writing the journal and after each rename (journal).
    pub fn publish(mut self, files: Vec<AtomicPath>) -> Result<()> {
        if let Some(f) = self.flusher.take() {
            f.finish();
        }
        // Side by side: the disk writes the tables at once rather than one
        // after the other, which shortens the run's serial end.
        std::thread::scope(|s| {
            let syncs: Vec<_> = files.iter().map(|f| s.spawn(|| f.sync())).collect();
            syncs.into_iter().try_for_each(|h| h.join().expect("a sync thread does not panic"))
        })?;
        let pause = test_pause();
        let Some(swap) = self.swap.take() else {
            return publish_journal(&self.dir, &files, &pause);
        };
        match swap.exchange(&files, &pause) {
            Ok(()) => swap.finish(&pause),
            Err(_) => self.fall_back(swap, files, &pause),
        }
    }

    /// Publishes with the journal after the swap was refused: the files
    /// move from the staging folder to temporary names in the output
    /// folder, and the staging folder is removed.
    fn fall_back(&self, swap: Swap, files: Vec<AtomicPath>, pause: &dyn Fn()) -> Result<()> {
        let moved: Result<Vec<AtomicPath>> = files
            .into_iter()
            .map(|f| {
                let tmp = journal_tmp(&self.dir, &f.name);
                std::fs::rename(&f.tmp, &tmp).map_err(io_error(&tmp))?;
                Ok(AtomicPath { tmp, name: f.name })
            })
            .collect();
        swap.abandon()?;
        publish_journal(&self.dir, &moved?, pause)
    }
}

impl Drop for Staging {
    /// A run that ends without publishing removes its staging folder.
    fn drop(&mut self) {
        if let Some(f) = self.flusher.take() {
            f.finish();
        }
        if let Some(swap) = self.swap.take() {
            let _ = swap.abandon();
        }
    }
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

/// The journal method (see the module docs). All `files` must be in `dir`.
fn publish_journal(dir: &Path, files: &[AtomicPath], pause: &dyn Fn()) -> Result<()> {
    let mut journal = String::new();
    for f in files {
        let Some(tmp) = f.tmp.file_name() else {
            unreachable!("temporary files are files in the output folder")
        };
        journal.push_str(&format!("{}\t{}\n", tmp.to_string_lossy(), f.name));
    }
    let path = dir.join(JOURNAL);
    let tmp = journal_tmp(dir, JOURNAL.trim_start_matches('.'));
    std::fs::write(&tmp, journal).map_err(io_error(&tmp))?;
    File::open(&tmp).and_then(|f| f.sync_all()).map_err(io_error(&tmp))?;
    std::fs::rename(&tmp, &path).map_err(io_error(&path))?;
    sync_dir(dir);
    pause();
    for f in files {
        let dest = dir.join(&f.name);
        std::fs::rename(&f.tmp, &dest).map_err(io_error(&dest))?;
        pause();
    }
    sync_dir(dir);
    std::fs::remove_file(&path).map_err(io_error(&path))?;
    sync_dir(dir);
    Ok(())
}

/// Finishes a journal-method publish that was interrupted in `dir`:
/// performs the renames the journal lists whose temporary file is still
/// there, then removes the journal. Returns whether there was one. Safe to
/// call at any time when no other run is writing to `dir`.
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
            std::fs::rename(&tmp, dir.join(dest)).map_err(io_error(&tmp))?;
        }
    }
    sync_dir(dir);
    std::fs::remove_file(&path).map_err(io_error(&path))?;
    sync_dir(dir);
    Ok(true)
}

/// Creates the output folder and cleans up after interrupted runs:
/// finishes a journal-method publish ([`recover`]), empties and removes
/// the staging folders of runs no longer running (moving the user's
/// entries found there back into `dir`), and removes stray temporary files.
pub fn prepare_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    recover(dir)?;
    #[cfg(target_os = "linux")]
    swap::clean_stale(dir);
    let Ok(read) = std::fs::read_dir(dir) else { return Ok(()) };
    for e in read.flatten() {
        if is_temp(&e.file_name()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A journal-method temporary file holding `text`.
    fn write(dir: &Path, name: &str, text: &str) -> AtomicPath {
        let p = AtomicPath { tmp: journal_tmp(dir, name), name: name.into() };
        std::fs::write(&p.tmp, text).unwrap();
        p
    }

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join(name)).unwrap_or_default()
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    /// Writes `entities.csv` and `events.csv` through `staging`, publishes.
    fn run(staging: Staging, entities: &str, events: &str) -> Result<()> {
        let files = [("entities.csv", entities), ("events.csv", events)].map(|(name, text)| {
            let f = staging.file(name);
            std::fs::write(&f.tmp, text).unwrap();
            f
        });
        staging.publish(files.into())
    }

    #[test]
    fn the_journal_method_renames_all_and_leaves_no_journal() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let files = vec![write(d, "entities.csv", "e2"), write(d, "events.csv", "v2")];
        publish_journal(d, &files, &|| {}).unwrap();
        assert_eq!((read(d, "entities.csv"), read(d, "events.csv")), ("e2".into(), "v2".into()));
        assert_eq!(names(d), ["entities.csv", "events.csv"]);
    }

    #[test]
    fn files_flushed_while_written_are_published_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut staging = Staging::new(&out).unwrap();
        let path = staging.file("entities.csv");
        let mut f = path.create().unwrap();
        staging.flush_while_writing(vec![f.try_clone().unwrap()]);
        // Written before, during and after at least one background flush.
        for part in ["a,", "b,", "c\n"] {
            std::io::Write::write_all(&mut f, part.as_bytes()).unwrap();
            std::thread::sleep(FLUSH_EVERY / 2);
        }
        drop(f);
        staging.publish(vec![path]).unwrap();
        assert_eq!(read(&out, "entities.csv"), "a,b,c\n");
    }

    #[test]
    fn forced_journal_method_publishes_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("entities.csv"), "e1").unwrap();
        std::fs::write(out.join("README.md"), "mine").unwrap();
        let staging = Staging::with(&out, false).unwrap();
        assert!(staging.swap.is_none());
        assert_eq!(staging.work_dir(), out);
        run(staging, "e2", "v2").unwrap();
        assert_eq!(names(&out), ["README.md", "entities.csv", "events.csv"]);
        assert_eq!(
            (read(&out, "entities.csv"), read(&out, "events.csv")),
            ("e2".into(), "v2".into())
        );
        assert_eq!(names(dir.path()), ["out"]);
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
        assert_eq!(names(d), ["entities.csv", "notes.tmp"]);
        assert_eq!(read(d, "entities.csv"), "e1");
    }

    #[cfg(target_os = "linux")]
    mod linux {
        use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};

        use super::*;

        fn ino(p: &Path) -> u64 {
            std::fs::metadata(p).unwrap().ino()
        }

        /// An output folder `out` in a new temporary folder, holding the
        /// previous tables, a README, a sub-folder and symbolic links.
        fn previous_output() -> (tempfile::TempDir, PathBuf) {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().canonicalize().unwrap().join("out");
            std::fs::create_dir(&out).unwrap();
            std::fs::write(out.join("entities.csv"), "e1").unwrap();
            std::fs::write(out.join("events.csv"), "v1").unwrap();
            std::fs::write(out.join("gazette.xlsx"), "an older workbook").unwrap();
            std::fs::write(out.join("README.md"), "mine").unwrap();
            std::fs::create_dir(out.join("notes")).unwrap();
            std::fs::write(out.join("notes/n.txt"), "note").unwrap();
            symlink("README.md", out.join("link")).unwrap();
            symlink("nowhere", out.join("dangling")).unwrap();
            std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o750)).unwrap();
            (dir, out)
        }

        fn assert_users_entries_kept(out: &Path) {
            assert_eq!(
                names(out),
                [
                    "README.md",
                    "dangling",
                    "entities.csv",
                    "events.csv",
                    "gazette.xlsx",
                    "link",
                    "notes"
                ]
            );
            assert_eq!(read(out, "README.md"), "mine");
            assert_eq!(read(out, "notes/n.txt"), "note");
            assert_eq!(read(out, "gazette.xlsx"), "an older workbook");
            assert_eq!(std::fs::read_link(out.join("link")).unwrap(), Path::new("README.md"));
            assert_eq!(std::fs::read_link(out.join("dangling")).unwrap(), Path::new("nowhere"));
        }

        #[test]
        fn the_swap_replaces_the_folder_and_keeps_the_users_entries() {
            let (dir, out) = previous_output();
            let before = ino(&out);
            let staging = Staging::new(&out).unwrap();
            let stage = dir
                .path()
                .canonicalize()
                .unwrap()
                .join(format!(".out.gazette-stage.{}", std::process::id()));
            assert_eq!(staging.work_dir(), stage);
            run(staging, "e2", "v2").unwrap();
            assert_ne!(ino(&out), before, "the folder was swapped");
            assert_eq!(
                (read(&out, "entities.csv"), read(&out, "events.csv")),
                ("e2".into(), "v2".into())
            );
            assert_users_entries_kept(&out);
            let mode = std::fs::metadata(&out).unwrap().permissions().mode();
            assert_eq!(mode & 0o7777, 0o750);
            assert_eq!(names(dir.path()), ["out"]);
        }

        #[test]
        fn a_linked_output_folder_stays_a_link_to_the_new_tables() {
            let (dir, out) = previous_output();
            let link = dir.path().join("link-out");
            symlink("out", &link).unwrap();
            run(Staging::new(&link).unwrap(), "e2", "v2").unwrap();
            assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("out"));
            assert_eq!(read(&link, "entities.csv"), "e2");
            assert_users_entries_kept(&out);
            assert_eq!(names(dir.path()), ["link-out", "out"]);
        }

        #[test]
        fn a_refused_swap_falls_back_to_the_journal() {
            let (dir, out) = previous_output();
            let before = ino(&out);
            let mut staging = Staging::new(&out).unwrap();
            let files = ["entities.csv", "events.csv"].map(|name| {
                let f = staging.file(name);
                std::fs::write(&f.tmp, name.replace(".csv", "2")).unwrap();
                f
            });
            // As if the exchange had failed after linking the README.
            let swap = staging.swap.take().unwrap();
            std::fs::hard_link(out.join("README.md"), swap.stage().join("README.md")).unwrap();
            staging.fall_back(swap, files.into(), &|| {}).unwrap();
            assert_eq!(ino(&out), before, "published in place");
            assert_eq!(
                (read(&out, "entities.csv"), read(&out, "events.csv")),
                ("entities2".into(), "events2".into())
            );
            assert_users_entries_kept(&out);
            assert_eq!(names(dir.path()), ["out"]);
        }

        #[test]
        fn an_unpublished_run_leaves_the_folder_as_it_was() {
            let (dir, out) = previous_output();
            let staging = Staging::new(&out).unwrap();
            std::fs::write(staging.file("entities.csv").tmp, "half").unwrap();
            drop(staging);
            assert_eq!(read(&out, "entities.csv"), "e1");
            assert_users_entries_kept(&out);
            assert_eq!(names(dir.path()), ["out"]);
        }

        /// The PID of a process that has ended.
        fn dead_pid() -> u32 {
            let mut child = std::process::Command::new("true").spawn().unwrap();
            child.wait().unwrap();
            child.id()
        }

        #[test]
        fn staging_folders_of_ended_runs_are_cleaned_up() {
            let (dir, out) = previous_output();
            let parent = out.parent().unwrap();
            let stage = |pid: u32| parent.join(format!(".out.gazette-stage.{pid}"));
            // Killed before its exchange: partial tables, a linked README.
            let before = stage(dead_pid());
            std::fs::create_dir(&before).unwrap();
            std::fs::write(before.join("entities.csv"), "half").unwrap();
            std::fs::hard_link(out.join("README.md"), before.join("README.md")).unwrap();
            // Killed after its exchange: the old folder, still holding a
            // sub-folder and a file the user added late.
            let after = stage(dead_pid());
            std::fs::create_dir_all(after.join("drafts")).unwrap();
            std::fs::write(after.join("drafts/d.txt"), "draft").unwrap();
            std::fs::write(after.join("late.txt"), "late").unwrap();
            std::fs::write(after.join("events.csv"), "v0").unwrap();
            // A running process's, and another output folder's: kept.
            let running = stage(std::os::unix::process::parent_id());
            let other = parent.join(format!(".other.gazette-stage.{}", dead_pid()));
            for d in [&running, &other] {
                std::fs::create_dir(d).unwrap();
                std::fs::write(d.join("entities.csv"), "theirs").unwrap();
            }
            prepare_dir(&out).unwrap();
            assert!(!before.exists() && !after.exists());
            assert_eq!(read(&running, "entities.csv"), "theirs");
            assert_eq!(read(&other, "entities.csv"), "theirs");
            assert_eq!(
                (read(&out, "entities.csv"), read(&out, "events.csv")),
                ("e1".into(), "v1".into())
            );
            assert_eq!(read(&out, "drafts/d.txt"), "draft");
            assert_eq!(read(&out, "late.txt"), "late");
            assert_eq!(read(&out, "README.md"), "mine");
            drop(dir);
        }
    }
}
