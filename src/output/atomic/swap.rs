//! The swap method (Linux): the staging folder next to the output folder,
//! its exchange with it, and the clean-up of staging folders left by
//! killed runs. The steps are numbered as in the parent module's docs.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rustix::fs::{renameat_with, RenameFlags, CWD};

use super::{io_error, is_temp, sync_dir, AtomicPath, OUR_NAMES};
use crate::error::Result;

/// Whether `name` is one of the tables a sink writes.
fn is_table(name: &OsStr) -> bool {
    OUR_NAMES.iter().any(|t| name == *t)
}

/// An output folder and its staging folder.
#[derive(Debug)]
pub struct Swap {
    /// The output folder's real path (symbolic links resolved, so that the
    /// folder is exchanged, never a link to it).
    dir: PathBuf,
    /// The staging folder: before the exchange the new output folder,
    /// after it the old one.
    stage: PathBuf,
}

/// The staging folders of the output folder named `name` start with this.
fn stage_prefix(name: &OsStr) -> OsString {
    let mut s = OsString::from(".");
    s.push(name);
    s.push(".gazette-stage.");
    s
}

impl Swap {
    /// Creates the staging folder for the (existing) output folder `dir`,
    /// or returns `None` where the swap would not keep the folder as it is
    /// (see the parent module's docs).
    pub fn new(dir: &Path) -> Option<Swap> {
        let dir = dir.canonicalize().ok()?;
        let (parent, name) = (dir.parent()?, dir.file_name()?);
        let meta = std::fs::metadata(&dir).ok()?;
        let cwd = std::env::current_dir().and_then(|d| d.canonicalize()).ok()?;
        let mountinfo = std::fs::read("/proc/self/mountinfo").ok()?;
        let usable = !cwd.starts_with(&dir)
            && meta.dev() == std::fs::metadata(parent).ok()?.dev()
            && !is_mount_point(&mountinfo, &dir)
            && meta.mode() & 0o300 == 0o300;
        if !usable {
            return None;
        }
        let mut stage = stage_prefix(name);
        stage.push(std::process::id().to_string());
        let stage = parent.join(stage);
        std::fs::create_dir(&stage).ok()?;
        let swap = Swap { dir, stage };
        let made = std::fs::metadata(&swap.stage).ok();
        let same_owner = made.is_some_and(|m| (m.uid(), m.gid()) == (meta.uid(), meta.gid()));
        if !same_owner || std::fs::set_permissions(&swap.stage, meta.permissions()).is_err() {
            let _ = std::fs::remove_dir(&swap.stage);
            return None;
        }
        Some(swap)
    }

    pub fn stage(&self) -> &Path {
        &self.stage
    }

    /// Steps 2 and 3: links the entries the run does not replace into the
    /// staging folder, then exchanges it with the output folder. An error
    /// leaves the output folder as it was.
    pub fn exchange(&self, files: &[AtomicPath], pause: &dyn Fn()) -> std::io::Result<()> {
        for e in std::fs::read_dir(&self.dir)? {
            let e = e?;
            let name = e.file_name();
            let replaced = files.iter().any(|f| name == *f.name);
            if replaced || is_temp(&name) || e.file_type()?.is_dir() {
                continue;
            }
            // A symbolic link is linked itself, not what it points to.
            std::fs::hard_link(e.path(), self.stage.join(&name))?;
        }
        sync_dir(&self.stage);
        pause();
        renameat_with(CWD, &self.stage, CWD, &self.dir, RenameFlags::EXCHANGE)?;
        Ok(())
    }

    /// Steps 4 and 5, after the exchange: the old folder is at the staging
    /// name.
    pub fn finish(&self, pause: &dyn Fn()) -> Result<()> {
        let parent = self.stage.parent().unwrap_or(&self.stage);
        sync_dir(parent);
        pause();
        move_back(&self.stage, &self.dir)?;
        sync_dir(&self.dir);
        remove_old(&self.stage, &self.dir, pause)?;
        sync_dir(parent);
        Ok(())
    }

    /// Removes the staging folder of a run that did not exchange it.
    pub fn abandon(&self) -> Result<()> {
        remove_old(&self.stage, &self.dir, &|| {})
    }
}

/// Step 4: moves every entry of `old` that `dir` lacks into `dir`, except
/// tables and temporary files (a run's output, never the user's).
fn move_back(old: &Path, dir: &Path) -> Result<()> {
    for e in std::fs::read_dir(old).map_err(io_error(old))? {
        let e = e.map_err(io_error(old))?;
        let (name, to) = (e.file_name(), dir.join(e.file_name()));
        if is_table(&name) || is_temp(&name) || to.symlink_metadata().is_ok() {
            continue;
        }
        std::fs::rename(e.path(), &to).map_err(io_error(&to))?;
    }
    Ok(())
}

/// Step 5: removes from `old` the tables, temporary files and second names
/// of files in `dir`, then `old` itself if that emptied it. Anything else
/// stays, and the folder with it: nothing of the user's is deleted.
fn remove_old(old: &Path, dir: &Path, pause: &dyn Fn()) -> Result<()> {
    for e in std::fs::read_dir(old).map_err(io_error(old))? {
        let e = e.map_err(io_error(old))?;
        let name = e.file_name();
        let Ok(meta) = e.metadata() else { continue };
        let linked = dir
            .join(&name)
            .symlink_metadata()
            .is_ok_and(|m| (m.dev(), m.ino()) == (meta.dev(), meta.ino()));
        if meta.is_dir() || !(linked || is_table(&name) || is_temp(&name)) {
            continue;
        }
        std::fs::remove_file(e.path()).map_err(io_error(&e.path()))?;
        pause();
    }
    // Fails, and leaves the folder, only if something was kept above.
    let _ = std::fs::remove_dir(old);
    Ok(())
}

/// Cleans up the staging folders of the output folder `dir` whose run is
/// no longer running, whether it was killed before its exchange (the folder
/// holds partial tables and links) or after it (the old output folder,
/// possibly with the user's sub-folders): moves the user's entries back
/// (step 4), then removes the rest (step 5). Best effort: what cannot be
/// moved or removed (another user's folder, say) stays where it is.
pub fn clean_stale(dir: &Path) {
    let Ok(dir) = dir.canonicalize() else { return };
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else { return };
    let prefix = stage_prefix(name);
    let Ok(read) = std::fs::read_dir(parent) else { return };
    for e in read.flatten() {
        let file_name = e.file_name();
        let Some(pid) = file_name.as_bytes().strip_prefix(prefix.as_bytes()) else { continue };
        let pid = std::str::from_utf8(pid).ok().and_then(|p| p.parse::<u32>().ok());
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if let (Some(pid), true) = (pid, is_dir) {
            if !running(pid) {
                let _ = move_back(&e.path(), &dir);
                let _ = remove_old(&e.path(), &dir, &|| {});
            }
        }
    }
}

/// Whether process `pid` may still be running a publish. This process does
/// not count: it cleans up before making its own staging folder, so a
/// folder with its PID is an earlier process's (PIDs repeat, in containers
/// especially). Without `/proc`, every other process counts as running.
fn running(pid: u32) -> bool {
    pid != std::process::id()
        && (!Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists())
}

/// Whether `path` is a mount point according to `mountinfo` (the text of
/// `/proc/self/mountinfo`, whose fifth field is the mount point, with
/// space, tab, newline and backslash written as `\` and three octal digits).
fn is_mount_point(mountinfo: &[u8], path: &Path) -> bool {
    mountinfo
        .split(|&b| b == b'\n')
        .filter_map(|line| line.split(|&b| b == b' ').nth(4))
        .any(|m| Path::new(OsStr::from_bytes(&unescape_octal(m))) == path)
}

fn unescape_octal(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let digits = s
            .get(i + 1..i + 4)
            .filter(|d| s[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match digits {
            Some(d) => {
                out.push(d.iter().fold(0u32, |n, c| n * 8 + u32::from(c - b'0')) as u8);
                i += 4;
            }
            None => {
                out.push(s[i]);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_points_are_read_from_mountinfo() {
        let info = b"22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n\
            40 22 8:2 / /data/my\\040out rw - ext4 /dev/sda2 rw\n\
            41 22 0:5 / /mnt/back\\134slash rw - tmpfs tmpfs rw\n";
        assert!(is_mount_point(info, Path::new("/")));
        assert!(is_mount_point(info, Path::new("/data/my out")));
        assert!(is_mount_point(info, Path::new("/mnt/back\\slash")));
        assert!(!is_mount_point(info, Path::new("/data")));
        assert!(!is_mount_point(info, Path::new("/data/my\\040out")));
    }
}
