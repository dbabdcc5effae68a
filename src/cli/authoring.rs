//! The coach's commands: `new`, `check --watch`, `pack`, `import` and `sheet`.

use std::ffi::OsStr;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::output::{Asked, Protected};
use super::{EXIT_ERRORS, check, find_routine, report};
use crate::bundle::{self, ImportError, PackError};
use crate::library;
use crate::places::UserPlaces;
use crate::routine::media::MediaCheck;
use crate::routine::{self, LoadOptions};
use crate::text::escape_controls;
use crate::watch::FolderWatcher;

/// The routine `new` writes, with `{title}` for the title as a RON string.
const TEMPLATE: &str = include_str!("templates/new-routine.ron");

/// The pictures the template's steps use, written beside it (from the bundled routines).
const TEMPLATE_IMAGES: &[(&str, &[u8])] = &[
    (
        "images/slow-jog-1.png",
        include_bytes!("../../routines/images/slow-jog-1.png"),
    ),
    (
        "images/slow-jog-2.png",
        include_bytes!("../../routines/images/slow-jog-2.png"),
    ),
    (
        "images/high-knees-1.png",
        include_bytes!("../../routines/images/high-knees-1.png"),
    ),
    (
        "images/high-knees-2.png",
        include_bytes!("../../routines/images/high-knees-2.png"),
    ),
    (
        "images/kneeling-hip-flexor-stretch.png",
        include_bytes!("../../routines/images/kneeling-hip-flexor-stretch.png"),
    ),
    (
        "images/cook-hip-lift-1.png",
        include_bytes!("../../routines/images/cook-hip-lift-1.png"),
    ),
    (
        "images/cook-hip-lift-2.png",
        include_bytes!("../../routines/images/cook-hip-lift-2.png"),
    ),
];

/// `limberup new NAME [--dir DIR]`.
pub(super) fn new_routine(name: &str, dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let title = name.trim();
    let id = file_name_for(title);
    if id.is_empty() {
        bail!("`{name}` has no letters or digits to make a file name from");
    }
    let dir = routines_folder(dir)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file = dir.join(format!("{id}.ron"));
    let quoted = ron::to_string(&title).context("quoting the title")?;
    let text = TEMPLATE.replace("{title}", &quoted);
    // Never over an existing file: it may be a coach's day of work.
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => anyhow::anyhow!(
                "{} exists already; nothing was written (pick another name)",
                file.display()
            ),
            _ => anyhow::anyhow!("cannot write {}: {e}", file.display()),
        })?;
    out.write_all(text.as_bytes())
        .and_then(|()| out.sync_all())
        .with_context(|| format!("cannot write {}", file.display()))?;
    // Pictures already there (from an earlier `new`) are left as they are.
    let mut images_written = 0;
    for (name, bytes) in TEMPLATE_IMAGES {
        let image = dir.join(name);
        if image.exists() {
            continue;
        }
        if let Some(parent) = image.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&image, bytes)
            .with_context(|| format!("cannot write {}", image.display()))?;
        images_written += 1;
    }
    let loaded = routine::load(
        &file,
        LoadOptions {
            media: MediaCheck::Decode,
            library: library::exercise_library(),
        },
    );
    report::print(&loaded.diagnostics)?;
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "wrote {}", file.display())?;
    if images_written > 0 {
        writeln!(
            stdout,
            "  and {images_written} pictures in {}",
            dir.join("images").display()
        )?;
    }
    writeln!(
        stdout,
        "Edit it in any text editor: Limber Up reloads it on every save.\n\
         To check it as you write: limberup check --watch {}",
        file.display()
    )?;
    Ok(if loaded.has_errors() {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// The folder given, or the user's routines folder.
fn routines_folder(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    match given {
        Some(dir) => Ok(dir.to_path_buf()),
        None => UserPlaces::of_this_user()
            .map(|places| places.routines())
            .context("this system has no user data folder"),
    }
}

/// `Evening hips!` → `evening-hips`: lowercase letters and digits joined by single dashes.
fn file_name_for(title: &str) -> String {
    let mut id = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// `limberup check --watch PATH…`: checks, then checks again after every save.
pub(super) fn check_watch(paths: &[PathBuf], strict: bool) -> anyhow::Result<ExitCode> {
    let mut watcher = FolderWatcher::new(|| {}).context("cannot watch for changes")?;
    for path in paths {
        // A file is watched through its folder: editors save by writing a new file and
        // renaming it over the old one.
        let (folder, recursive) = if path.is_dir() {
            (path.clone(), true)
        } else {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            (parent.unwrap_or(Path::new(".")).to_path_buf(), false)
        };
        watcher
            .watch_folder(&folder, recursive)
            .with_context(|| format!("cannot watch {}", folder.display()))?;
        // The media and included files of a single routine may sit in subfolders.
        if !recursive {
            for sub in subfolders_used(path) {
                if !watcher.is_watched(&sub) {
                    watcher
                        .watch_folder(&sub, true)
                        .with_context(|| format!("cannot watch {}", sub.display()))?;
                }
            }
        }
    }
    check(paths, strict)?;
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "watching for changes (Ctrl+C to stop)")?;
    drop(stdout);
    while let Some(changed) = watcher.wait() {
        let names: Vec<String> = changed
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        let shown = match names.as_slice() {
            [] => "files".to_owned(),
            [one] => one.clone(),
            [first, rest @ ..] => format!("{first} and {} more", rest.len()),
        };
        writeln!(io::stdout().lock(), "\n{shown} changed: checking again")?;
        check(paths, strict)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The subfolders of a routine file's folder that hold files it uses.
fn subfolders_used(file: &Path) -> Vec<PathBuf> {
    let Some(folder) = file.parent() else {
        return Vec::new();
    };
    let loaded = routine::load(
        file,
        LoadOptions {
            media: MediaCheck::Exists,
            library: library::exercise_library(),
        },
    );
    let mut folders: Vec<PathBuf> = loaded
        .routine
        .iter()
        .flat_map(routine::Routine::media_paths)
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .filter(|p| p != folder && p.is_dir())
        .collect();
    folders.sort();
    folders.dedup();
    folders
}

/// `limberup pack ROUTINE [-o FILE] [--force]`.
pub(super) fn pack(
    name: &OsStr,
    output: Asked<'_>,
    extra: Vec<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let protected = Protected::standard(&extra);
    let routine = find_routine(name, extra)?;
    let default = PathBuf::from(format!("{}.{}", routine.id, bundle::EXTENSION));
    let output = output.resolve_or(&default, &protected.with_routine(&routine))?;
    let packed = output.write_with(|scratch| Ok(bundle::pack(&routine.path, scratch)?));
    let packed = match packed.map_err(anyhow::Error::downcast::<PackError>) {
        Ok(packed) => packed,
        Err(Ok(PackError::Invalid { diagnostics, .. })) => {
            report::print(&diagnostics)?;
            bail!(
                "{} has errors; fix them before packing it",
                routine.path.display()
            )
        }
        Err(Ok(error)) => {
            return Err(anyhow::Error::new(error).context(format!(
                "{} was not packed into {}",
                routine.path.display(),
                output.name()
            )));
        }
        Err(Err(error)) => return Err(error),
    };
    let mut out = output.messages();
    writeln!(
        out,
        "packed “{}” into {}: {}, {}",
        escape_controls(&routine.title),
        escape_controls(&output.name()),
        crate::text::plural(packed.entries.len(), "file"),
        size_text(packed.bytes)
    )?;
    for entry in &packed.entries {
        writeln!(out, "  {}", escape_controls(entry))?;
    }
    // What the athlete would meet: example texts left from `new`, missing pictures.
    let warnings = routine::load(&routine.path, LoadOptions::default()).diagnostics;
    if !warnings.is_empty() {
        if output.is_stdout() {
            report::eprint(&warnings)?;
        } else {
            report::print(&warnings)?;
        }
        writeln!(
            out,
            "packed with {}: fix them and pack again before sharing it",
            crate::text::plural(warnings.len(), "warning")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `1.2 MB`, `340 kB`, `512 bytes`.
fn size_text(bytes: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
    let b = bytes as f64;
    if bytes >= 1_000_000 {
        format!("{:.1} MB", b / 1e6)
    } else if bytes >= 1_000 {
        format!("{:.0} kB", b / 1e3)
    } else {
        format!("{bytes} bytes")
    }
}

/// `limberup import FILE [--replace] [--into DIR]`.
pub(super) fn import(file: &Path, replace: bool, into: Option<&Path>) -> anyhow::Result<ExitCode> {
    let routines = routines_folder(into)?;
    bundle::clear_stale_imports(&routines);
    // What is there already: the bundled routines and the user's, which an import must
    // not replace silently.
    let mut folders = library::Folders::standard(Vec::new());
    folders.user = Some(routines.clone());
    let library = library::Library::load(
        &folders,
        LoadOptions {
            media: MediaCheck::Exists,
            ..LoadOptions::default()
        },
    );
    match bundle::import(file, &routines, replace, &bundle::Existing::of(&library)) {
        Ok(imported) => {
            report::print(&imported.warnings)?;
            let mut out = io::stdout().lock();
            let replaced = if imported.replaced {
                ", replacing the earlier copy"
            } else {
                ""
            };
            // The routines' ids and folder come from the bundle: shown, never obeyed.
            writeln!(
                out,
                "imported {} into {}{replaced}: {}",
                escape_controls(&file.display().to_string()),
                escape_controls(&imported.folder.display().to_string()),
                escape_controls(&imported.routines.join(", "))
            )?;
            for aside in &imported.kept_aside {
                writeln!(
                    out,
                    "kept the replaced {} as {}",
                    escape_controls(&aside.from.display().to_string()),
                    escape_controls(&aside.to.display().to_string())
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Invalid {
            diagnostics,
            sources,
        }) => {
            report::print_with_sources(&diagnostics, &sources)?;
            bail!(
                "{} was not imported: its routines have errors; nothing was written",
                file.display()
            )
        }
        Err(error) => bail!("{} was not imported: {error}", file.display()),
    }
}

/// `limberup sheet ROUTINE [-o FILE] [--force]`.
pub(super) fn sheet(
    name: &OsStr,
    output: Asked<'_>,
    extra: Vec<PathBuf>,
    pick: &super::Pick,
) -> anyhow::Result<ExitCode> {
    let protected = Protected::standard(&extra);
    let routine = super::find_selected(name, extra, pick)?;
    let default = PathBuf::from(format!("{}.html", routine.id));
    let output = output.resolve_or(&default, &protected.with_routine(&routine))?;
    let html = crate::sheet::render(&routine);
    output.write(html.as_bytes())?;
    if !output.is_stdout() {
        writeln!(
            io::stdout().lock(),
            "wrote {}: open it in a browser and print it (A4 or Letter)",
            escape_controls(&output.name())
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_titles() {
        assert_eq!(file_name_for("Evening hips"), "evening-hips");
        assert_eq!(file_name_for("  Pre-run: 10 min!  "), "pre-run-10-min");
        assert_eq!(file_name_for("Échauffement"), "échauffement");
        assert_eq!(file_name_for("!!!"), "");
    }

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(size_text(512), "512 bytes");
        assert_eq!(size_text(340_400), "340 kB");
        assert_eq!(size_text(1_234_567), "1.2 MB");
    }
}
