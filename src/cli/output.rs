//! Where a command's `-o` goes (`pack`, `sheet`, `export-audio`, `history`): standard output
//! for `-`, else a file written whole (a scratch file beside it, renamed into place, so a
//! failed export never leaves half a file). An existing file is replaced only with `--force`;
//! the training log, the settings, routine and exercise files (any `.ron`), the files in the
//! routines folders the library reads, and the routine being written out and its pictures
//! and sounds are never written over, asked or not; nor is anything but a regular file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::history;
use crate::places::UserPlaces;
use crate::routine::Routine;

/// The name `-o` takes for standard output.
pub const STDOUT: &str = "-";

/// Files no command writes over, `--force` or not.
#[derive(Clone, Debug, Default)]
pub struct Protected {
    /// Each file (as [`resolved`] gives it) and what it is, for the message.
    files: Vec<(PathBuf, &'static str)>,
    /// Folders whose existing files are all kept (the routines folders the library reads).
    folders: Vec<PathBuf>,
}

impl Protected {
    /// The athlete's training log and settings, and the routines folders the library reads:
    /// the bundled routines, the athlete's own and the `--routines` folders in `extra`.
    #[must_use]
    pub fn standard(extra: &[PathBuf]) -> Self {
        let mut protected = Self::default();
        if let Some(places) = UserPlaces::of_this_user() {
            protected = protected.with_log(&places.training_log());
            protected.add(&places.settings_file(), "the settings file");
            protected.add_folder(&places.routines());
        }
        if let Some(data) = crate::library::data_dir() {
            protected.add_folder(&data.join("routines"));
        }
        for folder in extra {
            protected.add_folder(folder);
        }
        protected
    }

    /// Also the log at `db`, with SQLite's `-wal` and `-shm` beside it and the previous
    /// version's `sessions.jsonl`, which it imports.
    #[must_use]
    pub fn with_log(mut self, db: &Path) -> Self {
        self.add(db, "the training log");
        for suffix in ["-wal", "-shm"] {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            self.add(Path::new(&name), "part of the training log");
        }
        self.add(
            &db.with_file_name(history::JSONL_FILE_NAME),
            "the previous version's training log",
        );
        self
    }

    /// Also `routine`'s own file and every picture and sound it uses.
    #[must_use]
    pub fn with_routine(mut self, routine: &Routine) -> Self {
        self.add(&routine.path, "the routine being written out");
        for media in routine.media_paths() {
            self.add(&media, "a picture or sound of the routine");
        }
        self
    }

    fn add(&mut self, file: &Path, what: &'static str) {
        self.files.push((resolved(file), what));
    }

    fn add_folder(&mut self, folder: &Path) {
        if let Ok(folder) = folder.canonicalize() {
            self.folders.push(folder);
        }
    }

    /// Why `given` must not be written over, if it must not; `exists` says whether its
    /// name is taken.
    fn reason(&self, given: &Path, exists: bool) -> Option<&'static str> {
        let path = resolved(given);
        if let Some((_, what)) = self.files.iter().find(|(file, _)| *file == path) {
            return Some(what);
        }
        if !exists {
            return None;
        }
        // The name given (a link's own) and the file it leads to.
        let ron = |p: &Path| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"));
        if ron(given) || ron(&path) {
            return Some("a routine or exercise file (.ron)");
        }
        self.folders
            .iter()
            .any(|folder| path.starts_with(folder))
            .then_some("a file in a routines folder Limber Up reads")
    }
}

/// `-o FILE` (if given) and `--force`, as a command was given them.
#[derive(Clone, Copy, Debug)]
pub struct Asked<'a> {
    /// The file, `-` for standard output.
    pub given: Option<&'a Path>,
    /// Replace an existing file.
    pub force: bool,
}

impl Asked<'_> {
    /// [`Output::resolve`] on the file given, else on `default`.
    ///
    /// # Errors
    /// As [`Output::resolve`].
    pub fn resolve_or(&self, default: &Path, protected: &Protected) -> Result<Output, OutputError> {
        Output::resolve(self.given.unwrap_or(default), self.force, protected)
    }
}

/// Why `-o` cannot write where it was asked to. Nothing is written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file is there and `--force` was not given.
    #[error("nothing was written: the file exists already (add --force to replace it): {}", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The file is one that is never written over.
    #[error("nothing was written: it is {what}, which no command writes over, even with --force: {}", path.display())]
    Protected {
        /// The file, as given.
        path: PathBuf,
        /// What it is.
        what: &'static str,
    },
    /// Something other than a regular file is there.
    #[error("nothing was written: it is {kind}, not a regular file (`-o -` writes to standard output): {}", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What is there.
        kind: &'static str,
    },
}

/// Where a command's output goes, once checked ([`Output::resolve`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    target: Target,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Stdout,
    File {
        path: PathBuf,
        /// Replace an existing file (`--force`).
        replace: bool,
    },
}

impl Output {
    /// `-o given`: standard output for `-`; else the file, refused as [`OutputError`] says
    /// before any work is done.
    ///
    /// # Errors
    /// A file exists and `force` is false; the file is protected (`force` or not); a
    /// folder, a FIFO, a device or a socket is there.
    pub fn resolve(given: &Path, force: bool, protected: &Protected) -> Result<Self, OutputError> {
        if given.as_os_str() == STDOUT {
            return Ok(Self {
                target: Target::Stdout,
            });
        }
        let path = given.to_path_buf();
        // The name itself (a link that leads nowhere is still a name taken).
        let exists = std::fs::symlink_metadata(&path).is_ok();
        // What the name leads to, links followed.
        if let Ok(metadata) = std::fs::metadata(&path)
            && !metadata.is_file()
        {
            let kind = crate::safe_file::describe(metadata.file_type());
            return Err(OutputError::NotAFile { path, kind });
        }
        if let Some(what) = protected.reason(&path, exists) {
            return Err(OutputError::Protected { path, what });
        }
        if exists && !force {
            return Err(OutputError::Exists { path });
        }
        Ok(Self {
            target: Target::File {
                path,
                replace: force,
            },
        })
    }

    /// Whether it is standard output.
    #[must_use]
    pub fn is_stdout(&self) -> bool {
        self.target == Target::Stdout
    }

    /// The file as the user gave it, or `standard output`, for messages.
    #[must_use]
    pub fn name(&self) -> String {
        match &self.target {
            Target::Stdout => "standard output".to_owned(),
            Target::File { path, .. } => path.display().to_string(),
        }
    }

    /// Where the command's own messages go: standard output, unless the output goes there.
    #[must_use]
    pub fn messages(&self) -> Box<dyn Write> {
        if self.is_stdout() {
            Box::new(io::stderr())
        } else {
            Box::new(io::stdout())
        }
    }

    /// Writes `bytes` whole.
    ///
    /// # Errors
    /// When it cannot be written (or, without `--force`, a file appeared there meanwhile).
    pub fn write(&self, bytes: &[u8]) -> anyhow::Result<()> {
        match &self.target {
            Target::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(bytes)?;
                out.flush()?;
                Ok(())
            }
            Target::File { .. } => self.write_with(|scratch| {
                std::fs::write(scratch, bytes)
                    .with_context(|| format!("cannot write {}", scratch.display()))
            }),
        }
    }

    /// Has `make` write the output to the scratch file at the path it is given (beside the
    /// target, or a temporary file for standard output), then puts it in place whole (or
    /// copies it to standard output). If `make` fails, nothing is left behind.
    ///
    /// # Errors
    /// `make`'s error, or the file's when it cannot be put in place.
    pub fn write_with<T>(
        &self,
        make: impl FnOnce(&Path) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        match &self.target {
            Target::Stdout => {
                let scratch = tempfile::NamedTempFile::new()
                    .context("cannot make a temporary file")?
                    .into_temp_path();
                let made = make(&scratch)?;
                let mut file = std::fs::File::open(&scratch)
                    .with_context(|| format!("cannot read {}", scratch.display()))?;
                let mut out = io::stdout().lock();
                io::copy(&mut file, &mut out)?;
                out.flush()?;
                Ok(made)
            }
            Target::File { path, replace } => {
                let cannot = || format!("cannot write {}", path.display());
                let scratch = crate::safe_file::scratch_beside(path).with_context(cannot)?;
                let made = make(&scratch)?;
                match crate::safe_file::put_in_place(scratch, path, *replace) {
                    Ok(()) => Ok(made),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        Err(OutputError::Exists { path: path.clone() }.into())
                    }
                    Err(e) => Err(anyhow::Error::new(e).context(cannot())),
                }
            }
        }
    }
}

/// `path` as it is met on disk, links followed: canonical when it exists, else its folder
/// canonical and its name; as given when the folder is not there either.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match (folder.canonicalize(), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(given: &Path, force: bool, protected: &Protected) -> String {
        Output::resolve(given, force, protected)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_dash_is_standard_output_and_a_new_file_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let none = Protected::default();
        assert!(
            Output::resolve(Path::new("-"), false, &none)
                .unwrap()
                .is_stdout(),
            "`-o -`"
        );
        let new = dir.path().join("new.html");
        let output = Output::resolve(&new, false, &none).unwrap();
        output.write(b"<p>").unwrap();
        assert_eq!(std::fs::read(&new).unwrap(), b"<p>");
    }

    #[test]
    fn an_existing_file_is_replaced_only_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let none = Protected::default();
        let file = dir.path().join("log.csv");
        std::fs::write(&file, "kept").unwrap();
        assert_eq!(
            refusal(&file, false, &none),
            format!(
                "nothing was written: the file exists already (add --force to replace it): {}",
                file.display()
            )
        );
        Output::resolve(&file, true, &none)
            .unwrap()
            .write(b"new")
            .unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
    }

    #[test]
    fn a_file_that_appears_meanwhile_is_not_replaced_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.wav");
        let output = Output::resolve(&file, false, &Protected::default()).unwrap();
        std::fs::write(&file, "someone else's").unwrap();
        let error = output.write(b"mine").unwrap_err();
        assert!(error.to_string().contains("--force"), "{error}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "someone else's");
    }

    #[test]
    fn the_log_its_companions_and_ron_files_are_refused_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("history.sqlite3");
        std::fs::write(&db, "SQLite format 3").unwrap();
        let routine = dir.path().join("hips.RON");
        std::fs::write(&routine, "Routine()").unwrap();
        let protected = Protected::default().with_log(&db);
        for (path, what) in [
            (db.clone(), "the training log"),
            // Not there yet, but SQLite's own while the log is open.
            (
                dir.path().join("history.sqlite3-wal"),
                "part of the training log",
            ),
            (routine, "a routine or exercise file (.ron)"),
        ] {
            let said = refusal(&path, true, &protected);
            assert!(
                said.contains(what) && said.contains("even with --force"),
                "{said}"
            );
        }
        // Through a link, and by another spelling of its folder.
        let link = dir.path().join("log.csv");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&db, &link).unwrap();
        #[cfg(unix)]
        assert!(refusal(&link, true, &protected).contains("the training log"));
        let roundabout = dir.path().join(".").join("history.sqlite3");
        assert!(refusal(&roundabout, true, &protected).contains("the training log"));
        assert_eq!(
            std::fs::read_to_string(&db).unwrap(),
            "SQLite format 3",
            "untouched"
        );
    }

    #[test]
    fn existing_files_in_a_routines_folder_are_kept_and_new_ones_may_go_there() {
        let dir = tempfile::tempdir().unwrap();
        let picture = dir.path().join("images/cobra.png");
        std::fs::create_dir_all(picture.parent().unwrap()).unwrap();
        std::fs::write(&picture, "png").unwrap();
        let protected = Protected::standard(&[dir.path().to_path_buf()]);
        assert!(
            refusal(&picture, true, &protected).contains("a routines folder"),
            "an existing file"
        );
        assert!(
            Output::resolve(&dir.path().join("sheet.html"), false, &protected).is_ok(),
            "a new file"
        );
    }

    #[test]
    fn folders_and_fifos_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let none = Protected::default();
        assert!(refusal(dir.path(), true, &none).contains("it is a folder, not a regular file"));
        #[cfg(unix)]
        {
            let fifo = dir.path().join("pipe");
            let made = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap();
            assert!(made.success(), "mkfifo");
            assert!(refusal(&fifo, true, &none).contains("a named pipe (FIFO)"));
            assert!(refusal(Path::new("/dev/null"), true, &none).contains("a device"));
        }
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.wav");
        let output = Output::resolve(&file, false, &Protected::default()).unwrap();
        let failed = output.write_with(|scratch| -> anyhow::Result<()> {
            std::fs::write(scratch, "half a file")?;
            anyhow::bail!("the sound card caught fire")
        });
        assert!(failed.is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(names.is_empty(), "{names:?}");
    }
}
