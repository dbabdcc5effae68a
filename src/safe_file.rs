//! Files that survive a crash: whole-file replacement by rename, and damaged files kept
//! aside under a dated name instead of being overwritten; and files from strangers opened
//! only when they are regular files ([`open_regular`]), so a named pipe never hangs a read.

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

/// Opens `path` for reading if it is a regular file (symlinks followed); anything else (a
/// named pipe, a device, a socket, a folder) is refused with an [`io::ErrorKind::InvalidInput`]
/// error saying what it is. On Unix the file is opened without blocking, so a named pipe
/// with no writer is refused at once rather than waiting forever; the check is made on the
/// opened handle, so nothing can be swapped in between a check and the open.
///
/// # Errors
/// When the file cannot be opened, or is not a regular file.
pub fn open_regular(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // Only the open is non-blocking: reading a regular file never waits anyway.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let kind = file.metadata()?.file_type();
    if kind.is_file() {
        Ok(file)
    } else {
        Err(not_regular(kind))
    }
}

/// Opens `path` as [`open_regular`] does and reads it whole, refusing a file larger than
/// `limit` bytes before reading it (and one that grows past it while read).
///
/// # Errors
/// When the file cannot be opened or read, is not a regular file, or is too large.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use std::io::Read as _;
    let file = open_regular(path)?;
    let len = file.metadata()?.len();
    let too_large = |len: u64| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it is {len} bytes; the limit is {limit}"),
        )
    };
    if len > limit {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Whether `path` is a regular file (symlinks followed), for files another library opens
/// itself (the training log, through SQLite).
///
/// # Errors
/// When the file cannot be looked at, or is not a regular file.
pub fn ensure_regular(path: &Path) -> io::Result<()> {
    let kind = std::fs::metadata(path)?.file_type();
    if kind.is_file() {
        Ok(())
    } else {
        Err(not_regular(kind))
    }
}

/// The error for a file of `kind` where a regular file belongs.
fn not_regular(kind: std::fs::FileType) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {}, not a regular file", describe(kind)),
    )
}

/// As [`read_regular`], as UTF-8 text.
///
/// # Errors
/// As [`read_regular`], and when the file is not UTF-8.
pub fn read_regular_text(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read_regular(path, limit)?)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// What a file that is not regular is, in words: `a named pipe (FIFO)`, `a folder`….
#[must_use]
pub fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

const SCRATCH_PREFIX: &str = ".tmp-";
const SCRATCH_SUFFIX: &str = ".partial";

/// An empty scratch file in `path`'s folder (which must exist), to be written and then put
/// at `path` whole by [`put_in_place`]; removed when dropped unless it was put in place. It
/// is made as a new file is (read-write for all, less the umask), not with a temporary
/// file's owner-only mode, since it becomes the file.
///
/// # Errors
/// When the folder cannot be written.
pub fn scratch_beside(path: &Path) -> io::Result<tempfile::TempPath> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(SCRATCH_PREFIX).suffix(SCRATCH_SUFFIX);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    Ok(builder.tempfile_in(folder)?.into_temp_path())
}

/// Puts a finished `scratch` file (from [`scratch_beside`]) at `path`: synced, renamed into
/// place and the folder synced, so a crash leaves the old file or the new one. An existing
/// `path` is replaced only when `replace` says so; otherwise the rename fails with
/// [`io::ErrorKind::AlreadyExists`], the file there stays as it was and the scratch file is
/// removed.
///
/// # Errors
/// When the scratch file cannot be synced or renamed.
pub fn put_in_place(scratch: tempfile::TempPath, path: &Path, replace: bool) -> io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(&scratch)?
        .sync_all()?;
    if replace {
        scratch.persist(path).map_err(|e| e.error)?;
    } else {
        scratch.persist_noclobber(path).map_err(|e| e.error)?;
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    sync_folder(folder)
}

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
    let target = rename_dated(path, "", "damaged")?;
    for suffix in companions {
        let companion = with_suffix(path, suffix);
        if companion.exists() {
            std::fs::rename(&companion, with_suffix(&target, suffix))?;
        }
    }
    Ok(target)
}

/// Renames `path` to `<prefix><name>.<label>-<UTC time>` beside it (`-2`, `-3`… added when
/// that name is taken); returns the new name. A `.` prefix hides it from the library.
///
/// # Errors
/// When the rename fails.
pub fn rename_dated(path: &Path, prefix: &str, label: &str) -> io::Result<PathBuf> {
    let stamp = Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy());
    let mut target = path.with_file_name(format!("{prefix}{name}.{label}-{stamp}"));
    let mut n = 2;
    while target.exists() {
        target = path.with_file_name(format!("{prefix}{name}.{label}-{stamp}-{n}"));
        n += 1;
    }
    std::fs::rename(path, &target)?;
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

    /// `open_regular` on `path` on a thread: a hang fails the test after 5 s instead of
    /// hanging the suite.
    fn opened_within_5_s(path: &Path) -> io::Result<std::fs::File> {
        let (tx, rx) = std::sync::mpsc::channel();
        let path = path.to_path_buf();
        std::thread::Builder::new()
            .name("open-regular-test".to_owned())
            .spawn(move || tx.send(open_regular(&path)))
            .unwrap();
        rx.recv_timeout(Duration::from_secs(5))
            .expect("open_regular returned within 5 s")
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_at_once_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("routine.ron");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success(), "mkfifo");
        let error = opened_within_5_s(&fifo).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(
            error.to_string(),
            "it is a named pipe (FIFO), not a regular file"
        );
        let error = read_regular(&fifo, 10).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn a_folder_is_refused_and_a_file_is_read_within_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let error = opened_within_5_s(dir.path()).unwrap_err();
        assert_eq!(error.to_string(), "it is a folder, not a regular file");
        let file = dir.path().join("a.ron");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_regular(&file, 10).unwrap(), b"0123456789");
        let error = read_regular(&file, 9).unwrap_err();
        assert_eq!(error.to_string(), "it is 10 bytes; the limit is 9");
        #[cfg(unix)]
        {
            // A symlink to a regular file is followed.
            let link = dir.path().join("link.ron");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(read_regular(&link, 10).unwrap(), b"0123456789");
        }
    }

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
    fn a_scratch_file_replaces_an_existing_one_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sheet.html");
        std::fs::write(&path, "kept").unwrap();
        let scratch = scratch_beside(&path).unwrap();
        std::fs::write(&scratch, "new").unwrap();
        let refused = put_in_place(scratch, &path, false).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");
        let scratch = scratch_beside(&path).unwrap();
        std::fs::write(&scratch, "new").unwrap();
        put_in_place(scratch, &path, true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            ["sheet.html"],
            "no scratch file is left, refused or not"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let plain = dir.path().join("plain");
            std::fs::write(&plain, "").unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode(&path), mode(&plain), "the mode a new file gets");
        }
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
