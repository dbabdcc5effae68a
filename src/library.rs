//! Finding routines: the bundled ones, the user's, and folders given on the command line.
//!
//! Later sources override earlier ones by id (bundled, then the user's folder, then each
//! `--routines DIR`), so a coach's copy of a bundled routine replaces it.

use std::path::{Path, PathBuf};

use crate::routine::{self, Diagnostic, LoadOptions, Loaded, Routine};

/// Environment variable naming a data folder (holding `routines/` and `assets/`) that
/// takes precedence over every other place the bundled routines can be.
pub const DATA_DIR_ENV: &str = "LIMBERUP_DATA_DIR";

/// A folder tree deeper than this is not searched.
const MAX_DEPTH: usize = 4;

/// More routine files than this in one folder tree are not read.
const MAX_FILES: usize = 10_000;

/// Where a routine came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Shipped with Limber Up.
    Bundled,
    /// The user's routines folder.
    User,
    /// A folder given with `--routines` or in the settings.
    Extra,
}

/// One routine file and what loading it gave.
#[derive(Debug)]
pub struct Entry {
    /// The id (file name without `.ron`).
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// Where it came from.
    pub source: Source,
    /// The routine, if it loaded without errors.
    pub routine: Option<std::sync::Arc<Routine>>,
    /// Every finding.
    pub diagnostics: Vec<Diagnostic>,
    /// The file of the routine with the same id this one replaces.
    pub replaces: Option<PathBuf>,
}

impl Entry {
    fn new(path: PathBuf, source: Source, loaded: Loaded) -> Self {
        Self {
            id: routine::loader::routine_id(&path),
            path,
            source,
            routine: loaded.routine.map(std::sync::Arc::new),
            diagnostics: loaded.diagnostics,
            replaces: None,
        }
    }
}

/// The folders to search.
#[derive(Clone, Debug, Default)]
pub struct Folders {
    /// The bundled routines.
    pub bundled: Option<PathBuf>,
    /// The user's routines folder.
    pub user: Option<PathBuf>,
    /// More folders, in order.
    pub extra: Vec<PathBuf>,
}

impl Folders {
    /// The standard places: the bundled routines and the user's folder, plus `extra`.
    #[must_use]
    pub fn standard(extra: Vec<PathBuf>) -> Self {
        Self {
            bundled: data_dir().map(|d| d.join("routines")),
            user: user_routines_dir(),
            extra,
        }
    }

    /// Every folder with its source, in the order later ones override earlier ones.
    pub fn all(&self) -> impl Iterator<Item = (&Path, Source)> {
        self.bundled
            .iter()
            .map(|p| (p.as_path(), Source::Bundled))
            .chain(self.user.iter().map(|p| (p.as_path(), Source::User)))
            .chain(self.extra.iter().map(|p| (p.as_path(), Source::Extra)))
    }
}

/// Every routine found, one per id, sorted by title.
#[derive(Debug, Default)]
pub struct Library {
    /// The entries.
    pub entries: Vec<Entry>,
}

impl Library {
    /// Loads every routine in `folders`.
    #[must_use]
    pub fn load(folders: &Folders, options: LoadOptions) -> Self {
        let mut entries: Vec<Entry> = Vec::new();
        for (folder, source) in folders.all() {
            for path in routine_files(folder) {
                let entry = Entry::new(path.clone(), source, routine::load(&path, options));
                match entries.iter().position(|e| e.id == entry.id) {
                    // The same file reached twice (a folder given again) is one routine.
                    Some(i) if same_file(&entries[i].path, &entry.path) => {}
                    Some(i) => {
                        let replaced = std::mem::replace(&mut entries[i], entry);
                        entries[i].replaces = Some(replaced.path);
                    }
                    None => entries.push(entry),
                }
            }
        }
        entries.sort_by(|a, b| {
            let title = |e: &Entry| {
                e.routine
                    .as_ref()
                    .map_or_else(|| e.id.clone(), |r| r.title.to_lowercase())
            };
            title(a).cmp(&title(b)).then_with(|| a.id.cmp(&b.id))
        });
        Self { entries }
    }

    /// The entry with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The entries that failed to load.
    pub fn failed(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.routine.is_none())
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// The folder holding `routines/` and `assets/`: `$LIMBERUP_DATA_DIR`, beside the
/// executable (a tarball or a Windows install), `../share/limberup` (a .deb),
/// `../Resources` (a macOS .app), or the source tree (`cargo run`).
#[must_use]
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return Some(PathBuf::from(dir));
    }
    let exe = std::env::current_exe()
        .ok()
        .and_then(|e| e.canonicalize().ok());
    let exe_dir = exe.as_deref().and_then(Path::parent);
    data_dir_candidates(exe_dir)
        .into_iter()
        .find(|dir| dir.join("routines").is_dir())
}

/// The places [`data_dir`] looks, in order, for an executable in `exe_dir`.
#[must_use]
pub fn data_dir_candidates(exe_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(dir) = exe_dir {
        candidates.push(dir.to_path_buf());
        candidates.push(dir.join("../share/limberup"));
        candidates.push(dir.join("../Resources"));
    }
    candidates.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    candidates
}

/// The user's routines folder (`~/.local/share/limberup/routines` on Linux).
#[must_use]
pub fn user_routines_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("io.github", "limberup", "limberup")
        .map(|d| d.data_dir().join("routines"))
}

/// Whether `path` is a shared exercises file rather than a routine.
#[must_use]
pub fn is_exercises_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "exercises.ron" || n.ends_with(".exercises.ron"))
}

/// The routine files under `folder` (a file is returned as itself), sorted.
#[must_use]
pub fn routine_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if folder.is_file() {
        files.push(folder.to_path_buf());
        return files;
    }
    collect(folder, 0, &mut files);
    files.sort();
    files
}

fn collect(folder: &Path, depth: usize, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        if files.len() >= MAX_FILES {
            return;
        }
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if hidden || kind.is_symlink() {
            continue;
        }
        if kind.is_dir() && depth < MAX_DEPTH {
            collect(&path, depth + 1, files);
        } else if kind.is_file()
            && path.extension().is_some_and(|e| e == "ron")
            && !is_exercises_file(&path)
        {
            files.push(path);
        }
    }
}
