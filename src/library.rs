//! Finding routines: the bundled ones, the user's, and folders given on the command line.
//!
//! Later sources override earlier ones by id (bundled, then the user's folder, then each
//! `--routines DIR`), so a coach's copy of a bundled routine replaces it.
//!
//! A routine named on the command line or by a file manager is a path or an id, as the
//! system gives it (not necessarily UTF-8): [`Named::new`] decides which, and
//! [`Library::find`] finds it, or says which id was probably meant. The command line and
//! the window both go through these two.

mod catalogue;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::places::UserPlaces;

use crate::routine::{self, Diagnostic, LoadOptions, Loaded, Routine};
pub use catalogue::{LibraryExercise, library_exercises};

/// Environment variable naming a data folder (holding `routines/`) that takes precedence
/// over every other place the bundled routines can be.
pub const DATA_DIR_ENV: &str = "LIMBERUP_DATA_DIR";

/// The file extension of `.limberup` bundles (`bundle` packs and imports them).
pub const BUNDLE_EXTENSION: &str = "limberup";

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
    pub routine: Option<Arc<Routine>>,
    /// Every finding.
    pub diagnostics: Vec<Diagnostic>,
    /// The file of the routine with the same id this one replaces.
    pub replaces: Option<PathBuf>,
    /// Where the replaced routine came from.
    pub replaced_source: Option<Source>,
}

impl Entry {
    fn new(path: PathBuf, source: Source, loaded: Loaded) -> Self {
        Self {
            id: routine::loader::routine_id(&path),
            path,
            source,
            routine: loaded.routine.map(Arc::new),
            diagnostics: loaded.diagnostics,
            replaces: None,
            replaced_source: None,
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
            user: UserPlaces::of_this_user().map(|places| places.routines()),
            extra,
        }
    }

    /// The exercise library that `include: ["@library"]` names: the one beside these
    /// bundled routines, else the installed one ([`exercise_library`]).
    #[must_use]
    pub fn exercise_library(&self) -> Option<PathBuf> {
        self.bundled
            .as_ref()
            .map(|folder| folder.join(EXERCISE_LIBRARY_FILE))
            .filter(|file| file.is_file())
            .or_else(exercise_library)
    }

    /// Every folder with its source, in the order later ones override earlier ones.
    pub fn all(&self) -> impl Iterator<Item = (&Path, Source)> {
        self.bundled
            .iter()
            .map(|p| (p.as_path(), Source::Bundled))
            .chain(self.user.iter().map(|p| (p.as_path(), Source::User)))
            .chain(self.extra.iter().map(|p| (p.as_path(), Source::Extra)))
    }

    /// Adds the folder of a routine named by its path to the search, after the others, so
    /// it is found through its folder like any other routine (and replaces one with its id).
    pub fn add_named(&mut self, named: &Named) {
        if let Some(folder) = named.folder()
            && !self.extra.iter().any(|f| f == folder)
        {
            self.extra.push(folder.to_path_buf());
        }
    }
}

/// A routine as the command line or a file manager names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Named {
    /// An existing routine file (`.ron`, made absolute): its folder joins the search
    /// ([`Folders::add_named`]) and it is found there by its id.
    File(PathBuf),
    /// A `.limberup` bundle: imported, not opened as it is.
    Bundle(PathBuf),
    /// Anything else: the id of a routine in the library.
    Id(String),
}

impl Named {
    /// What `name` names: an existing `.ron` file, a `.limberup` bundle (by its extension,
    /// any case), or else a library id. A name that is not UTF-8 stays whole as a path; as
    /// an id it can only match a file name made lossy the same way.
    #[must_use]
    pub fn new(name: &OsStr) -> Self {
        let path = Path::new(name);
        let extension = |wanted: &str| {
            path.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(wanted))
        };
        if extension(BUNDLE_EXTENSION) {
            Self::Bundle(path.to_path_buf())
        } else if path.is_file() && path.extension().is_some_and(|e| e == "ron") {
            // Absolute, so its folder is a folder (`warm.ron` has the parent ``).
            Self::File(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
        } else {
            Self::Id(name.to_string_lossy().into_owned())
        }
    }

    /// The folder a routine file brings into the search.
    #[must_use]
    pub fn folder(&self) -> Option<&Path> {
        match self {
            Self::File(path) => path.parent(),
            Self::Bundle(_) | Self::Id(_) => None,
        }
    }
}

impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) | Self::Bundle(path) => write!(f, "{}", path.display()),
            Self::Id(id) => f.write_str(id),
        }
    }
}

/// Why a named routine is not in the library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindError {
    /// No routine file or id by that name.
    NotFound {
        /// The name as given (a path shown lossily).
        name: String,
        /// The library id nearest to it, if one is near enough: "did you mean …?".
        suggestion: Option<String>,
        /// Every id in the library, to list when none is near.
        ids: Vec<String>,
    },
    /// A bundle, which is imported (`limberup import`, or opened in the window) first.
    Bundle(PathBuf),
}

impl std::fmt::Display for FindError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound {
                name,
                suggestion: Some(best),
                ..
            } => write!(f, "no routine file or id `{name}`; did you mean `{best}`?"),
            Self::NotFound { name, ids, .. } if ids.is_empty() => {
                write!(f, "no routine file or id `{name}`; the library is empty")
            }
            Self::NotFound { name, ids, .. } => write!(
                f,
                "no routine file or id `{name}`; the library has: {}",
                ids.join(", ")
            ),
            Self::Bundle(path) => write!(
                f,
                "a bundle is imported before its routine plays: {}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for FindError {}

/// Every routine found, one per id, sorted by title.
#[derive(Debug, Default)]
pub struct Library {
    /// The entries.
    pub entries: Vec<Entry>,
}

impl Library {
    /// Loads every routine in `folders`. Routines that include the exercise library find it
    /// through `folders` unless `options` name one.
    #[must_use]
    pub fn load(folders: &Folders, mut options: LoadOptions) -> Self {
        if options.library.is_none() {
            options.library = folders.exercise_library();
        }
        // Most routines include one exercises file and name the same pictures: read once.
        let shared = Arc::default();
        let mut entries: Vec<Entry> = Vec::new();
        for (folder, source) in folders.all() {
            for path in routine_files(folder) {
                let loaded = routine::loader::load_sharing(&path, options.clone(), &shared);
                let entry = Entry::new(path.clone(), source, loaded);
                match entries.iter().position(|e| e.id == entry.id) {
                    // The same file reached twice (a folder given again) is one routine.
                    Some(i) if same_file(&entries[i].path, &entry.path) => {}
                    Some(i) => {
                        let replaced = std::mem::replace(&mut entries[i], entry);
                        entries[i].replaces = Some(replaced.path);
                        entries[i].replaced_source = Some(replaced.source);
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

    /// The entry `named` names: a routine file by its id (its folder must be searched:
    /// [`Folders::add_named`]), or an id as it is.
    ///
    /// # Errors
    /// [`FindError::NotFound`] with the nearest id, or [`FindError::Bundle`] for a bundle.
    pub fn find(&self, named: &Named) -> Result<&Entry, FindError> {
        let id = match named {
            Named::File(path) => routine::loader::routine_id(path),
            Named::Id(id) => id.clone(),
            Named::Bundle(path) => return Err(FindError::Bundle(path.clone())),
        };
        self.get(&id).ok_or_else(|| {
            let ids = self.entries.iter().map(|e| e.id.as_str());
            FindError::NotFound {
                name: named.to_string(),
                suggestion: routine::loader::closest(&id, ids.clone()).map(str::to_owned),
                ids: ids.map(str::to_owned).collect(),
            }
        })
    }

    /// A warning for each routine another one with the same id replaces, naming both
    /// files; a copy of a bundled routine is the documented way to change it, and is not
    /// warned about.
    #[must_use]
    pub fn same_ids(&self) -> Vec<Diagnostic> {
        self.entries
            .iter()
            .filter(|e| e.replaced_source.is_some_and(|s| s != Source::Bundled))
            .filter_map(|e| Some(same_id(e.replaces.as_deref()?, &e.path)))
            .collect()
    }

    /// The entries that failed to load.
    pub fn failed(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.routine.is_none())
    }
}

/// The warning for a routine file `earlier` whose id the routine file `later`, read after
/// it, has too: the later one is used (a later folder replaces an earlier one by id).
#[must_use]
pub fn same_id(earlier: &Path, later: &Path) -> Diagnostic {
    let id = routine::loader::routine_id(earlier);
    Diagnostic::warning(
        earlier,
        format!(
            "another routine has the id `{id}` and is used instead of this one: {}",
            later.display()
        ),
    )
    .with_hint(
        "rename one of the two files (the id is the file name without `.ron`): of two \
         routines with one id, the one read later replaces the other",
    )
}

/// A warning for each routine file among `files` (in the order they are read) whose id a
/// later one has too, as [`same_id`] words it; the same file reached twice is one.
#[must_use]
pub fn same_ids_among(files: &[PathBuf]) -> Vec<Diagnostic> {
    let mut last: std::collections::HashMap<String, &Path> = std::collections::HashMap::new();
    let mut warnings = Vec::new();
    for file in files.iter().filter(|f| !is_exercises_file(f)) {
        let id = routine::loader::routine_id(file);
        if let Some(earlier) = last.insert(id, file.as_path())
            && !same_file(earlier, file)
        {
            warnings.push(same_id(earlier, file));
        }
    }
    warnings
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// The folder holding the bundled `routines/`: `$LIMBERUP_DATA_DIR` when set, else the
/// first of [`data_dir_candidates`] that has a `routines/` folder.
#[must_use]
pub fn data_dir() -> Option<PathBuf> {
    let env_override = std::env::var_os(DATA_DIR_ENV).map(PathBuf::from);
    let exe = std::env::current_exe()
        .ok()
        .and_then(|e| e.canonicalize().ok());
    let source_tree = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source_tree = source_tree
        .canonicalize()
        .unwrap_or_else(|_| source_tree.to_path_buf());
    let candidates = data_dir_candidates(exe.as_deref(), env_override.as_deref(), &source_tree);
    if env_override.is_some() {
        // Honoured even when it holds no routines, so a wrong override shows instead of
        // quietly falling back to other data.
        return candidates.into_iter().next();
    }
    candidates
        .into_iter()
        .find(|dir| dir.join("routines").is_dir())
}

/// The file of the exercise library among the bundled routines: the exercises of the
/// bundled routines, which any routine can include as `@library`.
pub const EXERCISE_LIBRARY_FILE: &str = "exercises.ron";

/// The installed exercise library: [`EXERCISE_LIBRARY_FILE`] in the bundled `routines/`
/// of [`data_dir`], if it is there.
#[must_use]
pub fn exercise_library() -> Option<PathBuf> {
    data_dir()
        .map(|dir| dir.join("routines").join(EXERCISE_LIBRARY_FILE))
        .filter(|file| file.is_file())
}

/// The places [`data_dir`] looks for the bundled data, in order, given the executable
/// `exe` (a full path), the `LIMBERUP_DATA_DIR` override, and the source tree the binary
/// was built from.
///
/// - An override is the only place.
/// - The executable's own folder: an unpacked tarball (`DIR/limberup`) or a Windows
///   install (`C:\Program Files\Limber Up\limberup.exe`).
/// - `../share/limberup`: a Linux install (`/usr/bin/limberup`, from the .deb).
/// - `../Resources`: a macOS bundle (`Limber Up.app/Contents/MacOS/limberup`).
/// - The source tree, but only for an executable inside it (`cargo run`, `cargo test`):
///   an installed or unpacked binary never falls back to the checkout it was built from,
///   so a package that lacks its data fails on the build machine too.
#[must_use]
pub fn data_dir_candidates(
    exe: Option<&Path>,
    env_override: Option<&Path>,
    source_tree: &Path,
) -> Vec<PathBuf> {
    if let Some(dir) = env_override {
        return vec![dir.to_path_buf()];
    }
    let mut candidates = Vec::new();
    let Some(exe_dir) = exe.and_then(Path::parent) else {
        return candidates;
    };
    candidates.push(exe_dir.to_path_buf());
    if let Some(prefix) = exe_dir.parent() {
        candidates.push(prefix.join("share").join("limberup"));
        candidates.push(prefix.join("Resources"));
    }
    if exe_dir.starts_with(source_tree) {
        candidates.push(source_tree.to_path_buf());
    }
    candidates
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

/// Adds the routine files under `folder`. A `.ron` that is not a regular file (a named pipe,
/// a device) is listed too, so the loader says what it is rather than it vanishing.
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
        if kind.is_dir() {
            if depth < MAX_DEPTH {
                collect(&path, depth + 1, files);
            }
        } else if path.extension().is_some_and(|e| e == "ron") && !is_exercises_file(&path) {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "/home/coach/src/limberup";

    fn candidates(exe: &str) -> Vec<PathBuf> {
        data_dir_candidates(Some(Path::new(exe)), None, Path::new(SOURCE))
    }

    #[test]
    fn a_build_in_the_source_tree_finds_the_source_tree_last() {
        let found = candidates("/home/coach/src/limberup/target/release/limberup");
        assert_eq!(found.last(), Some(&PathBuf::from(SOURCE)), "{found:?}");
        let test_binary = candidates("/home/coach/src/limberup/target/debug/deps/tests-0123");
        assert_eq!(
            test_binary.last(),
            Some(&PathBuf::from(SOURCE)),
            "{test_binary:?}"
        );
    }

    #[test]
    fn a_deb_install_finds_usr_share_and_never_the_source_tree() {
        let found = candidates("/usr/bin/limberup");
        assert_eq!(
            found,
            [
                PathBuf::from("/usr/bin"),
                PathBuf::from("/usr/share/limberup"),
                PathBuf::from("/usr/Resources"),
            ],
            "the build machine's checkout must not mask a package without its data"
        );
    }

    #[test]
    fn an_unpacked_tarball_finds_its_own_folder_first_and_never_the_source_tree() {
        let found = candidates("/tmp/tmp.x1/limberup-0.1.0/limberup");
        assert_eq!(
            found.first(),
            Some(&PathBuf::from("/tmp/tmp.x1/limberup-0.1.0")),
            "{found:?}"
        );
        assert!(!found.contains(&PathBuf::from(SOURCE)), "{found:?}");
    }

    #[test]
    fn a_tarball_unpacked_inside_the_source_tree_still_finds_its_own_folder_first() {
        let found = candidates("/home/coach/src/limberup/target/packages/limberup-0.1.0/limberup");
        assert_eq!(
            found.first(),
            Some(&PathBuf::from(
                "/home/coach/src/limberup/target/packages/limberup-0.1.0"
            )),
            "{found:?}"
        );
    }

    #[test]
    fn a_macos_bundle_finds_its_resources() {
        let found = candidates("/Applications/Limber Up.app/Contents/MacOS/limberup");
        assert!(
            found.contains(&PathBuf::from(
                "/Applications/Limber Up.app/Contents/Resources"
            )),
            "{found:?}"
        );
        assert!(!found.contains(&PathBuf::from(SOURCE)), "{found:?}");
    }

    #[test]
    fn a_windows_install_finds_the_folder_of_the_exe() {
        // `/` separates on Windows too, so this runs on every system.
        let found = candidates("C:/Program Files/Limber Up/limberup.exe");
        assert_eq!(
            found.first(),
            Some(&PathBuf::from("C:/Program Files/Limber Up")),
            "{found:?}"
        );
    }

    #[cfg(windows)]
    #[test]
    fn a_windows_install_with_backslashes_finds_the_folder_of_the_exe() {
        let found = data_dir_candidates(
            Some(Path::new(r"C:\Program Files\Limber Up\limberup.exe")),
            None,
            Path::new(r"D:\src\limberup"),
        );
        assert_eq!(
            found.first(),
            Some(&PathBuf::from(r"C:\Program Files\Limber Up")),
            "{found:?}"
        );
    }

    #[test]
    fn the_override_is_the_only_place() {
        let found = data_dir_candidates(
            Some(Path::new("/usr/bin/limberup")),
            Some(Path::new("/srv/limberup-data")),
            Path::new(SOURCE),
        );
        assert_eq!(found, [PathBuf::from("/srv/limberup-data")], "{found:?}");
    }

    #[test]
    fn no_executable_path_gives_no_place() {
        let found = data_dir_candidates(None, None, Path::new(SOURCE));
        assert!(found.is_empty(), "{found:?}");
    }
}
