//! Writing a bundle: the routine, the exercises it uses (an included file cut down to them)
//! and every image and sound named, into a zip written beside the target and renamed into
//! place, then imported into a scratch folder to prove it whole.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{PackError, Packed, import};
use crate::library::EXERCISE_LIBRARY_FILE;
use crate::routine::format::{ExercisesDoc, RoutineDoc, StepDoc};
use crate::routine::media::{self, MediaCheck};
use crate::routine::source_map::{SourceMap, ValuePath};
use crate::routine::{self, LIBRARY_INCLUDE, LoadOptions};

/// Writes `routine_file`, the exercises it uses and every media file it names into the
/// bundle `output`, then imports the result into a scratch folder to prove it is whole.
///
/// # Errors
/// The routine has errors or cannot be read, or the bundle cannot be written.
pub fn pack(routine_file: &Path, output: &Path) -> Result<Packed, PackError> {
    let options = LoadOptions {
        media: MediaCheck::Decode,
        library: crate::library::exercise_library(),
    };
    let library = options.library.clone();
    let loaded = routine::load(routine_file, options);
    let Some(routine) = loaded.routine else {
        return Err(PackError::Invalid {
            file: routine_file.to_path_buf(),
            diagnostics: loaded.diagnostics,
        });
    };
    let root = routine_file.parent().unwrap_or(Path::new("")).to_path_buf();
    let folder = routine.id.clone();
    let (doc, source) =
        routine::loader::read_doc::<RoutineDoc>(routine_file).map_err(PackError::Read)?;
    // The app's exercise library, when the routine includes it, travels as a folder of
    // the bundle: an older Limber Up, or one without the library, imports it as it is.
    let library = library.filter(|_| doc.include.iter().any(|i| i.trim() == LIBRARY_INCLUDE));
    let library_root = library
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf);

    // The files, by their name inside the folder; BTreeMap for a stable order.
    let mut files: BTreeMap<String, Contents> = BTreeMap::new();
    let name_of = |path: &Path| relative_name(path, &root);
    // A file of the library goes under `LIBRARY_FOLDER`, with the paths it names.
    let library_name_of = |path: &Path| {
        let inner = relative_name(path, library_root.as_deref()?)?;
        Some(format!("{LIBRARY_FOLDER}/{inner}"))
    };
    let routine_text = rewrite_library_include(&doc.include, &source);
    if let Some(name) = name_of(routine_file) {
        let contents = match routine_text {
            Some(text) => Contents::Text(text),
            None => Contents::Copy(routine_file.to_path_buf()),
        };
        files.insert(name, contents);
    }

    // Included exercise files keep their names but only the exercises this routine uses.
    let used: BTreeSet<&str> = doc
        .sections
        .iter()
        .flat_map(|s| &s.steps)
        .filter_map(|step| step.exercise.as_deref())
        // The exercises the variants swap in are used too.
        .chain(
            doc.variants
                .iter()
                .flat_map(|v| v.replace.values().map(String::as_str)),
        )
        .filter(|id| !doc.exercises.contains_key(*id))
        .collect();
    // Media: what the checked routine uses, plus anything the definitions it packs name.
    let mut media_files = routine.media_paths();
    for written in &doc.include {
        let (path, name, file_root) = if written.trim() == LIBRARY_INCLUDE {
            let (Some(path), Some(library_root)) = (library.clone(), library_root.clone()) else {
                continue;
            };
            let name = library_name_of(&path);
            (path, name, library_root)
        } else {
            let Ok(path) = media::resolve(&root, &root, written) else {
                continue;
            };
            let name = name_of(&path);
            (path, name, root.clone())
        };
        let (exercises, _) =
            routine::loader::read_doc::<ExercisesDoc>(&path).map_err(PackError::Read)?;
        let base = path.parent().unwrap_or(Path::new(""));
        for (_, step) in exercises
            .exercises
            .iter()
            .filter(|(id, _)| used.contains(id.as_str()))
        {
            for written in step_media(step) {
                if let Ok(path) = media::resolve(&file_root, base, written) {
                    media_files.push(path);
                }
            }
        }
        if let Some(name) = name {
            files.insert(name, Contents::Text(trimmed_exercises(exercises, &used)));
        }
    }
    for step in doc.exercises.values() {
        for written in step_media(step) {
            if let Ok(path) = media::resolve(&root, &root, written) {
                media_files.push(path);
            }
        }
    }
    for path in media_files {
        // A picture of the library's may sit in the routine's own folder too (a bundled
        // routine): then it goes in under both names, each file finding its own.
        for name in [name_of(&path), library_name_of(&path)]
            .into_iter()
            .flatten()
        {
            files.insert(name, Contents::Copy(path.clone()));
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
                    let mut file = crate::safe_file::open_regular(path).map_err(|source| {
                        PackError::Write {
                            path: path.clone(),
                            source,
                        }
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
    import(output, check.path(), false, &[]).map_err(|e| PackError::SelfCheck(Box::new(e)))?;
    let bytes = fs::metadata(output).map_err(write_error)?.len();
    Ok(Packed { entries, bytes })
}

/// The folder of a bundle that holds the part of the app's exercise library a routine
/// uses, with its pictures, when the routine includes `@library`.
pub const LIBRARY_FOLDER: &str = "limberup-library";

/// `path` as a name inside the folder `root` (`images/cobra.png`), if it is in it.
fn relative_name(path: &Path, root: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    Some(parts.join("/"))
}

/// The routine's text with each `"@library"` of its `include` replaced by the library's
/// file in the bundle; `None` when it includes no library.
fn rewrite_library_include(include: &[String], source: &str) -> Option<String> {
    let map = SourceMap::build(source);
    let mut ranges: Vec<(usize, usize)> = include
        .iter()
        .enumerate()
        .filter(|(_, written)| written.trim() == LIBRARY_INCLUDE)
        .filter_map(|(i, _)| {
            let span = map.span(&ValuePath::ROOT.field("include").index(i))?;
            Some((
                map.byte_offset(source, span.start)?,
                map.byte_offset(source, span.end)?,
            ))
        })
        .collect();
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_unstable();
    let mut text = source.to_owned();
    for (start, end) in ranges.into_iter().rev() {
        text.replace_range(
            start..end,
            &format!("\"{LIBRARY_FOLDER}/{EXERCISE_LIBRARY_FILE}\""),
        );
    }
    Some(text)
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

/// The media paths a step or definition names, as written, its levels' included.
fn step_media(step: &StepDoc) -> impl Iterator<Item = &str> {
    std::iter::once(step)
        .chain(step.levels.iter().flatten())
        .flat_map(|step| {
            step.image
                .iter()
                .chain(step.frames.iter().flatten())
                .chain(step.sound.iter())
        })
        .map(String::as_str)
}
