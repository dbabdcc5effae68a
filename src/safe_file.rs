//! Files that survive a crash: whole-file replacement by rename, and damaged files kept
//! aside under a dated name instead of being overwritten.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use jiff::Timestamp;

/// Replaces `path` with `bytes` so that a crash or `SIGKILL` at any moment leaves either
/// the old file or the new one, never a mixture: the bytes go to a temporary file in the
/// same folder, are synced, and the temporary file is renamed over `path`. The folder is
/// created if needed, and synced after the rename so the new name itself is durable.
///
/// # Errors
/// When the folder cannot be created or written, or the rename fails.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    let mut scratch = tempfile::Builder::new()
        .prefix(SCRATCH_PREFIX)
        .suffix(SCRATCH_SUFFIX)
        .tempfile_in(folder)?;
    scratch.write_all(bytes)?;
    scratch.as_file().sync_all()?;
    scratch.persist(path).map_err(|e| e.error)?;
    sync_folder(folder)
}

const SCRATCH_PREFIX: &str = ".tmp-";
const SCRATCH_SUFFIX: &str = ".partial";

/// Removes the scratch files of [`write_atomic`] left in `folder` by a process killed while
/// writing, once they are a minute old (a younger one may be another window's write under
/// way). Failures are ignored: the files are only clutter.
pub fn clear_stale_scratch(folder: &Path) {
    const STALE: Duration = Duration::from_mins(1);
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| SystemTime::now().duration_since(modified).ok())
            .is_some_and(|age| age > STALE);
        if name.starts_with(SCRATCH_PREFIX) && name.ends_with(SCRATCH_SUFFIX) && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Makes a rename in `folder` durable (a no-op where folders cannot be opened as files).
fn sync_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}

/// Renames a damaged file to `<name>.damaged-<UTC time>` beside it (with `-2`, `-3`… when
/// that name is taken), and each existing `<name><suffix>` companion (a database's `-wal`)
/// to the same new name plus its suffix. Returns the new name of the file.
///
/// # Errors
/// When a rename fails.
pub fn move_aside(path: &Path, companions: &[&str]) -> io::Result<PathBuf> {
    let stamp = Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy());
    let mut target = path.with_file_name(format!("{name}.damaged-{stamp}"));
    let mut n = 2;
    while target.exists() {
        target = path.with_file_name(format!("{name}.damaged-{stamp}-{n}"));
        n += 1;
    }
    std::fs::rename(path, &target)?;
    for suffix in companions {
        let companion = with_suffix(path, suffix);
        if companion.exists() {
            std::fs::rename(&companion, with_suffix(&target, suffix))?;
        }
    }
    Ok(target)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_whole_file_and_leaves_no_scratch() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/sub/settings.ron");
        write_atomic(&path, b"first, and longer than the second").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["settings.ron"], "no temporary file is left");
    }

    #[test]
    fn scratch_files_a_minute_old_are_cleared_and_younger_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".tmp-AbC123.partial");
        let young = dir.path().join(".tmp-XyZ789.partial");
        let other = dir.path().join("settings.ron");
        for path in [&old, &young, &other] {
            std::fs::write(path, "x").unwrap();
        }
        let two_minutes_ago = SystemTime::now() - Duration::from_mins(2);
        for path in [&old, &other] {
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(two_minutes_ago)
                .unwrap();
        }
        clear_stale_scratch(dir.path());
        assert!(!old.exists(), "left by a killed write");
        assert!(young.exists(), "perhaps a write under way");
        assert!(other.exists(), "not scratch");
    }

    #[test]
    fn moving_aside_never_overwrites_an_earlier_damaged_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.db");
        std::fs::write(&path, "one").unwrap();
        std::fs::write(with_suffix(&path, "-wal"), "wal").unwrap();
        let first = move_aside(&path, &["-wal", "-shm"]).unwrap();
        std::fs::write(&path, "two").unwrap();
        let second = move_aside(&path, &["-wal", "-shm"]).unwrap();
        assert_ne!(first, second);
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(&second).unwrap(), "two");
        assert_eq!(
            std::fs::read_to_string(with_suffix(&first, "-wal")).unwrap(),
            "wal",
            "the companion follows its file"
        );
        assert!(!path.exists() && !with_suffix(&path, "-wal").exists());
        let name = first.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("log.db.damaged-20"), "{name}");
    }
}
