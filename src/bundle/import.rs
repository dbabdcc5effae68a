//! Importing a bundle from a stranger: every entry's name, kind, size and count checked
//! before a byte is written, the routines checked in a hidden scratch folder beside the
//! user's routines, and only then the folder moved into place.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, Read as _};
use std::path::{Component, Path, PathBuf};

use zip::ZipArchive;

use super::{Existing, ImportError, Imported, KeptAside, MAX_ENTRIES, MAX_UNPACKED_BYTES};
use crate::library;
use crate::routine::media::MediaCheck;
use crate::routine::{self, Diagnostic, LoadOptions};

/// The kinds of file a bundle may hold, by extension.
const ALLOWED: &[&str] = &[
    "ron", "png", "jpg", "jpeg", "wav", "ogg", "flac", "txt", "md",
];

/// Junk that archivers on macOS add; skipped, not refused.
fn is_archiver_junk(name: &str) -> bool {
    name.starts_with("__MACOSX/") || name.rsplit('/').next() == Some(".DS_Store")
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
/// the folder is moved into place. Nothing is replaced unless `replace`: neither an
/// existing folder of that name nor a routine of `existing` with the id of one of the
/// bundle's (a bundled routine, or the user's own in another folder). With `replace`, what
/// is replaced is kept aside, hidden, and listed in [`Imported::kept_aside`].
///
/// # Errors
/// Every refusal is an [`ImportError`]; nothing of the bundle is left on disk then.
pub fn import(
    bundle: &Path,
    routines: &Path,
    replace: bool,
    existing: &[Existing],
) -> Result<Imported, ImportError> {
    let file = crate::safe_file::open_regular(bundle).map_err(|source| ImportError::Read {
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
            .prefix(SCRATCH_PREFIX)
            .tempdir_in(routines)
            .map_err(write_error(routines))?;
        let staged = scratch.path().join(&folder);
        unpack(&mut archive, &planned, &staged)?;
        let (ids, warnings) = check_staged(&staged, bundle, &folder)?;
        let target = routines.join(&folder);
        let replaced = target.exists();
        if replaced && !replace {
            return Err(ImportError::Exists(target));
        }
        // A routine of the same id elsewhere: the library would show one and hide the other.
        let shadowed: Vec<&Existing> = existing
            .iter()
            .filter(|e| ids.contains(&e.id) && !e.path.starts_with(&target))
            .collect();
        if let Some(first) = shadowed.first().filter(|_| !replace) {
            return Err(ImportError::Shadows {
                id: first.id.clone(),
                path: first.path.clone(),
                bundled: first.bundled,
            });
        }
        let mut kept_aside = Vec::new();
        if replaced {
            kept_aside.push(keep_aside(&target).map_err(write_error(&target))?);
        }
        // A bundled routine stays where it ships; the user's copy wins over it.
        for other in shadowed.iter().filter(|e| !e.bundled) {
            kept_aside.push(keep_aside(&other.path).map_err(write_error(&other.path))?);
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
            kept_aside,
        })
    })();
    if result.is_err() && created_routines {
        // Only a folder this import made, and only if empty.
        let _ = fs::remove_dir(routines);
    }
    result
}

/// Undoes an import that replaced `kept_aside`: the imported `folder` is moved aside in
/// turn (hidden, `.<name>.undone-<time>`: nothing is deleted), and each copy kept aside
/// goes back where it was.
///
/// # Errors
/// When a rename fails (a copy's old place was taken again meanwhile, for instance).
pub fn undo_import(folder: &Path, kept_aside: &[KeptAside]) -> io::Result<()> {
    if folder.exists() {
        set_aside(folder, "undone")?;
    }
    for kept in kept_aside {
        if kept.from.exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} is taken again", kept.from.display()),
            ));
        }
        fs::rename(&kept.to, &kept.from)?;
    }
    Ok(())
}

/// Moves `path` aside to a hidden `.<name>.replaced-<UTC time>` beside it, which the library
/// does not read.
fn keep_aside(path: &Path) -> io::Result<KeptAside> {
    set_aside(path, "replaced")
}

/// Moves `path` to a hidden `.<name>.<label>-<UTC time>` beside it.
fn set_aside(path: &Path, label: &str) -> io::Result<KeptAside> {
    Ok(KeptAside {
        from: path.to_path_buf(),
        to: crate::safe_file::rename_dated(path, ".", label)?,
    })
}

/// The scratch folders imports unpack into, left by one that was killed.
const SCRATCH_PREFIX: &str = ".import-";

/// Removes the scratch folders (`.import-…`) that imports killed mid-way left in
/// `routines`, once they are a minute old (a younger one may be an import under way in
/// another window). Failures are ignored: the folders are hidden and only take room.
pub fn clear_stale_imports(routines: &Path) {
    const STALE: std::time::Duration = std::time::Duration::from_mins(1);
    let Ok(entries) = fs::read_dir(routines) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let scratch = entry
            .file_name()
            .to_string_lossy()
            .starts_with(SCRATCH_PREFIX);
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE);
        if scratch && is_dir && old {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
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
    if folder.starts_with('.') {
        return Err(ImportError::HiddenFolder(folder));
    }
    planned.retain(|p| p.relative.components().next().is_some());
    Ok((planned, folder))
}

/// The entry's name as a relative path, or why it cannot be one.
fn entry_path(raw: &str) -> Result<PathBuf, ImportError> {
    if raw.contains('\0') || raw.chars().any(|c| c.is_control() || is_invisible(c)) {
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

/// Characters that change how a name reads without showing: bidirectional overrides and
/// isolates (a name could read `gpj.exe` as `exe.jpg`), zero-width spaces and joiners, the
/// word joiner and invisible operators, and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
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
        library: crate::library::exercise_library(),
    };
    let mut diagnostics = Vec::new();
    let mut ids = Vec::new();
    let files = library::routine_files(staged);
    if files.is_empty() {
        return Err(ImportError::NoRoutine);
    }
    for file in files {
        let loaded = routine::load(&file, options.clone());
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
        if let Ok(text) =
            crate::safe_file::read_regular_text(&diagnostic.file, crate::routine::MAX_FILE_BYTES)
        {
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
