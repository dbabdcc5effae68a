//! `.limberup` routine bundles: one zip file with a routine, the exercises it uses and every
//! image and sound it names, for a coach to send to an athlete.
//!
//! A bundle holds one folder, named after the routine's id, laid out as on the coach's
//! disk: `hip-routine/hip-routine.ron`, `hip-routine/exercises.ron`,
//! `hip-routine/images/…`. Importing unpacks it into a hidden scratch folder beside the
//! user's routines, checks every routine in it, and only then moves it into place, so a
//! refused or failed import leaves nothing behind. Bundles come from strangers: every entry
//! name, type, size and count is checked before a byte is written.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs::{self, File};
use std::io::{self, Read as _, Write as _};
use std::path::{Component, Path, PathBuf};

use thiserror::Error;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::library;
use crate::routine::format::{ExercisesDoc, RoutineDoc, StepDoc};
use crate::routine::media::{self, MediaCheck};
use crate::routine::{self, Diagnostic, LoadOptions};

/// The file extension of bundles.
pub const EXTENSION: &str = "limberup";

/// A bundle unpacking to more than this is refused (200 MB).
pub const MAX_UNPACKED_BYTES: u64 = 200_000_000;

/// A bundle with more entries than this is refused.
pub const MAX_ENTRIES: usize = 2_000;

/// The kinds of file a bundle may hold, by extension.
const ALLOWED: &[&str] = &[
    "ron", "png", "jpg", "jpeg", "wav", "ogg", "flac", "txt", "md",
];

/// Junk that archivers on macOS add; skipped, not refused.
fn is_archiver_junk(name: &str) -> bool {
    name.starts_with("__MACOSX/") || name.rsplit('/').next() == Some(".DS_Store")
}

/// Why a bundle could not be written.
#[derive(Debug, Error)]
pub enum PackError {
    /// The routine has errors; packing it would only pass them on.
    #[error("{} has errors; fix them before packing it", .file.display())]
    Invalid {
        /// The routine file.
        file: PathBuf,
        /// Its findings.
        diagnostics: Vec<Diagnostic>,
    },
    /// A file of the routine could not be read or parsed.
    #[error("{0}")]
    Read(Box<Diagnostic>),
    /// The bundle could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The bundle.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The bundle just written does not import cleanly (a bug in `pack`).
    #[error("the bundle written does not import cleanly: {0}")]
    SelfCheck(Box<ImportError>),
}

/// Why a bundle was not imported. Nothing of it is left on disk in every case.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file could not be opened.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The bundle.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The file is not a zip archive (or is a damaged one).
    #[error("{} is not a Limber Up bundle: {reason}", .path.display())]
    NotABundle {
        /// The file.
        path: PathBuf,
        /// What the zip reader said.
        reason: String,
    },
    /// Too many entries.
    #[error("the bundle has {0} entries; at most {MAX_ENTRIES} are imported")]
    TooManyEntries(usize),
    /// Too large once unpacked.
    #[error("the bundle unpacks to more than 200 MB ({0} bytes or more); it is refused")]
    TooLarge(u64),
    /// An entry would be written outside the routines folder.
    #[error("entry `{0}` would land outside the routines folder; it is refused")]
    Escapes(String),
    /// An entry names an absolute path.
    #[error("entry `{0}` is an absolute path; bundles name their files relatively")]
    Absolute(String),
    /// An entry is a symbolic link.
    #[error("entry `{0}` is a symbolic link; bundles hold only plain files")]
    Symlink(String),
    /// An entry is of a kind a routine never uses.
    #[error(
        "entry `{0}` is not a routine (.ron), image (.png, .jpg), sound (.wav, .ogg, .flac) or note (.txt, .md)"
    )]
    FileType(String),
    /// An entry is encrypted.
    #[error("entry `{0}` is encrypted; bundles are not")]
    Encrypted(String),
    /// Two entries with one name.
    #[error("entry `{0}` appears twice")]
    Duplicate(String),
    /// An entry's name is not usable.
    #[error("entry `{0}` has a name that cannot be a file name here")]
    BadName(String),
    /// No routine file in the bundle.
    #[error("the bundle holds no routine (.ron) file")]
    NoRoutine,
    /// The bundle's routines have errors.
    #[error("the bundle's routines have {} error(s)", .diagnostics.iter().filter(|d| d.is_error()).count())]
    Invalid {
        /// The findings, each naming its file as `BUNDLE/folder/file.ron`.
        diagnostics: Vec<Diagnostic>,
        /// The text of each file named, for printing the source lines.
        sources: BTreeMap<PathBuf, String>,
    },
    /// The folder exists already and `replace` was not asked for.
    #[error("{} exists already; import with --replace to update it", .0.display())]
    Exists(PathBuf),
    /// Reading an entry or writing the files failed.
    #[error("cannot unpack into {}: {source}", .path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// What `pack` wrote.
#[derive(Debug)]
pub struct Packed {
    /// The files in the bundle, as named inside it.
    pub entries: Vec<String>,
    /// The size of the bundle file.
    pub bytes: u64,
}

/// What `import` unpacked.
#[derive(Debug)]
pub struct Imported {
    /// The folder the bundle now lives in.
    pub folder: PathBuf,
    /// The ids of the routines in it.
    pub routines: Vec<String>,
    /// Warnings about them (missing media and the like), naming their new place.
    pub warnings: Vec<Diagnostic>,
    /// Whether an older copy was replaced.
    pub replaced: bool,
}

/// Writes `routine_file`, the exercises it uses and every media file it names into the
/// bundle `output`, then imports the result into a scratch folder to prove it is whole.
///
/// # Errors
/// The routine has errors or cannot be read, or the bundle cannot be written.
pub fn pack(routine_file: &Path, output: &Path) -> Result<Packed, PackError> {
    let options = LoadOptions {
        media: MediaCheck::Decode,
    };
    let loaded = routine::load(routine_file, options);
    let Some(routine) = loaded.routine else {
        return Err(PackError::Invalid {
            file: routine_file.to_path_buf(),
            diagnostics: loaded.diagnostics,
        });
    };
    let root = routine_file.parent().unwrap_or(Path::new("")).to_path_buf();
    let folder = routine.id.clone();
    let (doc, _) =
        routine::loader::read_doc::<RoutineDoc>(routine_file).map_err(PackError::Read)?;

    // The files, by their name inside the folder; BTreeMap for a stable order.
    let mut files: BTreeMap<String, Contents> = BTreeMap::new();
    let name_of = |path: &Path| -> Option<String> {
        let relative = path.strip_prefix(&root).ok()?;
        let parts: Vec<String> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        Some(parts.join("/"))
    };
    if let Some(name) = name_of(routine_file) {
        files.insert(name, Contents::Copy(routine_file.to_path_buf()));
    }

    // Included exercise files keep their names but only the exercises this routine uses.
    let used: BTreeSet<&str> = doc
        .sections
        .iter()
        .flat_map(|s| &s.steps)
        .filter_map(|step| step.exercise.as_deref())
        .filter(|id| !doc.exercises.contains_key(*id))
        .collect();
    for written in &doc.include {
        let Ok(path) = media::resolve(&root, &root, written) else {
            continue;
        };
        let (exercises, _) =
            routine::loader::read_doc::<ExercisesDoc>(&path).map_err(PackError::Read)?;
        if let Some(name) = name_of(&path) {
            files.insert(name, Contents::Text(trimmed_exercises(exercises, &used)));
        }
    }

    // Media: what the checked routine uses, plus anything its own definitions name.
    let mut media_files = routine.media_paths();
    for step in doc.exercises.values() {
        for written in step_media(step) {
            if let Ok(path) = media::resolve(&root, &root, written) {
                media_files.push(path);
            }
        }
    }
    for path in media_files {
        if let Some(name) = name_of(&path) {
            files.insert(name, Contents::Copy(path));
        }
    }

    let write_error = |source: io::Error| PackError::Write {
        path: output.to_path_buf(),
        source,
    };
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Written beside the target and renamed into place: never half a bundle.
    let mut scratch = tempfile::NamedTempFile::new_in(parent).map_err(write_error)?;
    let mut entries = Vec::new();
    {
        let mut zip = ZipWriter::new(scratch.as_file_mut());
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(0o644);
        for (name, contents) in &files {
            let entry = format!("{folder}/{name}");
            zip.start_file(entry.as_str(), options)
                .map_err(|e| write_error(io::Error::other(e)))?;
            match contents {
                Contents::Copy(path) => {
                    let mut file = File::open(path).map_err(|source| PackError::Write {
                        path: path.clone(),
                        source,
                    })?;
                    io::copy(&mut file, &mut zip).map_err(write_error)?;
                }
                Contents::Text(text) => zip.write_all(text.as_bytes()).map_err(write_error)?,
            }
            entries.push(entry);
        }
        zip.finish().map_err(|e| write_error(io::Error::other(e)))?;
    }
    scratch.as_file().sync_all().map_err(write_error)?;
    scratch.persist(output).map_err(|e| write_error(e.error))?;

    // Whatever `pack` writes, `import` must take.
    let check = tempfile::tempdir().map_err(write_error)?;
    import(output, check.path(), false).map_err(|e| PackError::SelfCheck(Box::new(e)))?;
    let bytes = fs::metadata(output).map_err(write_error)?.len();
    Ok(Packed { entries, bytes })
}

enum Contents {
    Copy(PathBuf),
    Text(String),
}

/// An exercises file cut down to `used`, as RON text with a note on where it came from.
fn trimmed_exercises(mut doc: ExercisesDoc, used: &BTreeSet<&str>) -> String {
    doc.exercises.retain(|id, _| used.contains(id.as_str()));
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ".to_owned());
    // Written as coaches write it: `time: "30 s"`, not `time: Some("30 s")`.
    let body = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string_pretty(&doc, config)
        .unwrap_or_default();
    format!(
        "// The exercises this routine uses, packed by `limberup pack` from the coach's file.\n{body}\n"
    )
}

/// The media paths a step or definition names, as written.
fn step_media(step: &StepDoc) -> impl Iterator<Item = &str> {
    step.image
        .iter()
        .chain(step.frames.iter().flatten())
        .chain(step.sound.iter())
        .map(String::as_str)
}

/// One entry that passed the checks: where it goes and how big it says it is.
struct Planned {
    index: usize,
    name: String,
    relative: PathBuf,
    is_dir: bool,
}

/// Unpacks `bundle` into `routines` (the user's routines folder), as one folder named after
/// the bundle's top folder. Every entry is checked first; the routines are checked before
/// the folder is moved into place; an existing folder is replaced only if `replace`.
///
/// # Errors
/// Every refusal is an [`ImportError`]; nothing of the bundle is left on disk then.
pub fn import(bundle: &Path, routines: &Path, replace: bool) -> Result<Imported, ImportError> {
    let file = File::open(bundle).map_err(|source| ImportError::Read {
        path: bundle.to_path_buf(),
        source,
    })?;
    let mut archive =
        ZipArchive::new(io::BufReader::new(file)).map_err(|e| ImportError::NotABundle {
            path: bundle.to_path_buf(),
            reason: e.to_string(),
        })?;
    if archive.len() > MAX_ENTRIES {
        return Err(ImportError::TooManyEntries(archive.len()));
    }
    let (planned, folder) = plan_entries(&mut archive, bundle)?;

    let created_routines = !routines.exists();
    fs::create_dir_all(routines).map_err(write_error(routines))?;
    let result = (|| {
        let scratch = tempfile::Builder::new()
            .prefix(".import-")
            .tempdir_in(routines)
            .map_err(write_error(routines))?;
        let staged = scratch.path().join(&folder);
        unpack(&mut archive, &planned, &staged)?;
        let (ids, warnings) = check_staged(&staged, bundle, &folder)?;
        let target = routines.join(&folder);
        let replaced = target.exists();
        if replaced {
            if !replace {
                return Err(ImportError::Exists(target));
            }
            // The old copy goes into the scratch folder and away with it.
            fs::rename(&target, scratch.path().join(".replaced")).map_err(write_error(&target))?;
        }
        fs::rename(&staged, &target).map_err(write_error(&target))?;
        // The warnings found while checking, naming the files where they now are.
        let warnings = warnings
            .into_iter()
            .map(|mut d| {
                if let Ok(inner) = d.file.strip_prefix(&staged) {
                    d.file = target.join(inner);
                }
                d
            })
            .collect();
        Ok(Imported {
            folder: target,
            routines: ids,
            warnings,
            replaced,
        })
    })();
    if result.is_err() && created_routines {
        // Only a folder this import made, and only if empty.
        let _ = fs::remove_dir(routines);
    }
    result
}

/// An [`ImportError::Write`] about `path`, for `map_err`.
fn write_error(path: &Path) -> impl FnOnce(io::Error) -> ImportError {
    let path = path.to_path_buf();
    move |source| ImportError::Write { path, source }
}

/// Checks every entry's name, type and size; returns the plan and the folder name.
fn plan_entries<R: io::Read + io::Seek>(
    archive: &mut ZipArchive<R>,
    bundle: &Path,
) -> Result<(Vec<Planned>, String), ImportError> {
    let mut planned = Vec::new();
    let mut seen = HashSet::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| ImportError::NotABundle {
                path: bundle.to_path_buf(),
                reason: e.to_string(),
            })?;
        let raw = entry
            .name()
            .map_err(|e| ImportError::BadName(e.to_string()))?
            .into_owned();
        if is_archiver_junk(&raw) {
            continue;
        }
        let relative = entry_path(&raw)?;
        if entry.is_symlink() {
            return Err(ImportError::Symlink(raw));
        }
        if entry.encrypted() {
            return Err(ImportError::Encrypted(raw));
        }
        let is_dir = entry.is_dir();
        if !is_dir {
            let allowed = relative
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ALLOWED.contains(&e.to_ascii_lowercase().as_str()));
            if !allowed {
                return Err(ImportError::FileType(raw));
            }
        }
        if !seen.insert(relative.clone()) {
            return Err(ImportError::Duplicate(raw));
        }
        total = total.saturating_add(entry.size());
        if total > MAX_UNPACKED_BYTES {
            return Err(ImportError::TooLarge(total));
        }
        planned.push(Planned {
            index,
            name: raw,
            relative,
            is_dir,
        });
    }
    let files: Vec<&Planned> = planned.iter().filter(|p| !p.is_dir).collect();
    if !files
        .iter()
        .any(|p| p.relative.extension().is_some_and(|e| e == "ron"))
    {
        return Err(ImportError::NoRoutine);
    }
    // One top folder for everything: use it; otherwise the bundle's name is the folder.
    let first = |p: &Planned| {
        p.relative
            .components()
            .next()
            .map(|c| c.as_os_str().to_owned())
    };
    let top = files.first().and_then(|p| first(p));
    let one_folder = files
        .iter()
        .all(|p| p.relative.components().count() > 1 && first(p) == top);
    let folder = match top {
        Some(top) if one_folder => {
            let top = top.to_string_lossy().into_owned();
            for p in &mut planned {
                p.relative = p
                    .relative
                    .strip_prefix(&top)
                    .unwrap_or(&p.relative)
                    .to_path_buf();
            }
            top
        }
        _ => folder_name(bundle),
    };
    planned.retain(|p| p.relative.components().next().is_some());
    Ok((planned, folder))
}

/// The entry's name as a relative path, or why it cannot be one.
fn entry_path(raw: &str) -> Result<PathBuf, ImportError> {
    if raw.contains('\0') || raw.chars().any(char::is_control) {
        return Err(ImportError::BadName(raw.escape_debug().to_string()));
    }
    let name = raw.replace('\\', "/");
    let looks_like_drive = name.len() >= 2 && name.as_bytes()[1] == b':';
    if name.starts_with('/') || looks_like_drive {
        return Err(ImportError::Absolute(raw.to_owned()));
    }
    let mut path = PathBuf::new();
    for component in Path::new(&name).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err(ImportError::Escapes(raw.to_owned())),
            Component::RootDir | Component::Prefix(_) => {
                return Err(ImportError::Absolute(raw.to_owned()));
            }
        }
    }
    Ok(path)
}

/// A folder name from the bundle's file name (`Hip Routine (2).limberup` → `Hip-Routine-2`).
fn folder_name(bundle: &Path) -> String {
    let stem = bundle
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('-').to_owned();
    if cleaned.is_empty() {
        "imported".to_owned()
    } else {
        cleaned
    }
}

/// Writes the planned entries under `staged`, holding every size to the limit as it goes
/// (a zip may lie about sizes).
fn unpack<R: io::Read + io::Seek>(
    archive: &mut ZipArchive<R>,
    planned: &[Planned],
    staged: &Path,
) -> Result<(), ImportError> {
    fs::create_dir_all(staged).map_err(write_error(staged))?;
    let mut written: u64 = 0;
    for plan in planned {
        let target = staged.join(&plan.relative);
        if plan.is_dir {
            fs::create_dir_all(&target).map_err(write_error(&target))?;
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(write_error(parent))?;
        }
        let mut entry = archive
            .by_index(plan.index)
            .map_err(|e| write_error(&target)(io::Error::other(e)))?;
        let mut out = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(write_error(&target))?;
        let left = MAX_UNPACKED_BYTES - written;
        let copied = io::copy(&mut (&mut entry).take(left + 1), &mut out)
            .map_err(|e| write_error(&target)(io::Error::other(format!("{}: {e}", plan.name))))?;
        written += copied;
        if written > MAX_UNPACKED_BYTES {
            return Err(ImportError::TooLarge(written));
        }
    }
    Ok(())
}

/// Loads every routine in the staged folder with full media decoding; errors refuse the
/// bundle. Returns the routine ids and the warnings.
fn check_staged(
    staged: &Path,
    bundle: &Path,
    folder: &str,
) -> Result<(Vec<String>, Vec<Diagnostic>), ImportError> {
    let options = LoadOptions {
        media: MediaCheck::Decode,
    };
    let mut diagnostics = Vec::new();
    let mut ids = Vec::new();
    let files = library::routine_files(staged);
    if files.is_empty() {
        return Err(ImportError::NoRoutine);
    }
    for file in files {
        let loaded = routine::load(&file, options);
        ids.push(routine::loader::routine_id(&file));
        diagnostics.extend(loaded.diagnostics);
    }
    // Findings about a shared exercises file come once, however many routines include it.
    routine::diagnostic::dedup(&mut diagnostics);
    if !routine::diagnostic::has_errors(&diagnostics) {
        return Ok((ids, diagnostics));
    }
    diagnostics.retain(Diagnostic::is_error);
    // Name each file as inside the bundle, and keep its text for the report.
    let shown = |file: &Path| {
        let inner = file.strip_prefix(staged).unwrap_or(file);
        bundle.join(folder).join(inner)
    };
    let mut sources = BTreeMap::new();
    for diagnostic in &mut diagnostics {
        let name = shown(&diagnostic.file);
        if let Ok(text) = fs::read_to_string(&diagnostic.file) {
            sources.insert(name.clone(), text);
        }
        diagnostic.file = name;
    }
    Err(ImportError::Invalid {
        diagnostics,
        sources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_are_checked_before_anything_is_written() {
        assert_eq!(entry_path("a/b.ron").unwrap(), Path::new("a/b.ron"));
        assert_eq!(entry_path("./a/./b.png").unwrap(), Path::new("a/b.png"));
        assert_eq!(entry_path("a\\b.png").unwrap(), Path::new("a/b.png"));
        for escape in ["../x.ron", "a/../../x.ron", "a/../x.ron", "..\\x.ron"] {
            assert!(
                matches!(entry_path(escape), Err(ImportError::Escapes(_))),
                "{escape}"
            );
        }
        for absolute in ["/etc/x.ron", "C:/x.ron", "c:\\x.ron", "\\\\server\\x.ron"] {
            assert!(
                matches!(entry_path(absolute), Err(ImportError::Absolute(_))),
                "{absolute}"
            );
        }
        assert!(matches!(
            entry_path("a\0b.ron"),
            Err(ImportError::BadName(_))
        ));
    }

    #[test]
    fn a_folder_name_from_any_file_name() {
        assert_eq!(
            folder_name(Path::new("/x/Hip Routine (2).limberup")),
            "Hip-Routine--2"
        );
        assert_eq!(folder_name(Path::new("/x/....limberup")), "imported");
    }
}
