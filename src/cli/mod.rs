//! The `limberup` commands other than the window: `check`, `list`, `exercises` (the
//! exercise library), `show`, `export-audio`, the coach's tools in `authoring`: `new`,
//! `check --watch`, `pack`, `import`, `sheet`, `history`, and the hidden `generate` (man
//! pages, completions).

pub mod args;
mod audio;
mod authoring;
mod exercises;
pub mod generate;
pub mod history;
pub mod output;
pub mod report;
mod show;
mod voice;

use std::ffi::OsStr;
use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;

pub use args::{Args, Command, Pick};

use crate::launch::{First, Launch, Outcome};
use crate::library::{self, Folders, Library, Named, Source};
use crate::routine::media::MediaCheck;
use crate::routine::{self, Diagnostic, LoadOptions, Routine, Severity};
use crate::text::{escape_controls, escape_controls_in_line, plural};
use crate::timeline::{self, Plan, PlanOptions};

/// Exit code for a run that found errors (as ripgrep and compilers do).
pub const EXIT_ERRORS: u8 = 2;

/// Runs a command-line command: it ends in an exit code, or in the window to open.
///
/// # Errors
/// A routine that cannot be found or loaded, or output that cannot be written.
pub fn run(command: Command, extra_routines: Vec<PathBuf>) -> anyhow::Result<Outcome> {
    let window = |first| {
        Outcome::Window(Launch {
            extra_folders: extra_routines.clone(),
            first,
            ..Launch::default()
        })
    };
    match command {
        Command::Play {
            routine,
            pick,
            clock_speed,
        } => {
            // Refuse a routine that cannot play, or a level or variant it does not have,
            // before a window opens for it.
            find_selected(&routine, extra_routines.clone(), &pick)?;
            return Ok(Outcome::Window(Launch {
                extra_folders: extra_routines,
                first: First::Play {
                    routine,
                    level: pick.level,
                    variant: pick.variant,
                },
                clock_speed,
            }));
        }
        Command::Open { routine } => return Ok(window(First::Open(routine))),
        Command::Check {
            strict,
            watch: false,
            paths,
        } => check(&paths, strict),
        Command::Check {
            strict,
            watch: true,
            paths,
        } => authoring::check_watch(&paths, strict),
        Command::New { name, dir } => authoring::new_routine(&name, dir.as_deref()),
        Command::Pack {
            routine,
            output,
            force,
        } => authoring::pack(&routine, asked(output.as_deref(), force), extra_routines),
        Command::Import {
            file,
            replace,
            into,
        } => authoring::import(&file, replace, into.as_deref()),
        Command::Sheet {
            routine,
            output,
            force,
            pick,
        } => authoring::sheet(
            &routine,
            asked(output.as_deref(), force),
            extra_routines,
            &pick,
        ),
        Command::List { dirs, paths } => list(&dirs, paths, extra_routines),
        Command::Exercises { json } => exercises::run(json),
        Command::Show {
            routine,
            json,
            lead_in,
            no_voice,
            pick,
            speaking,
        } => show::show(
            &routine,
            json,
            speaking.plan_options(Duration::from_secs(lead_in), !no_voice),
            extra_routines,
            &pick,
        ),
        Command::ExportAudio {
            routine,
            output,
            force,
            lead_in,
            sample_rate,
            no_voice,
            no_beeps,
            pick,
            speaking,
        } => {
            let options = crate::audio::ExportOptions {
                rate_hz: sample_rate,
                track: crate::audio::TrackOptions {
                    voice: !no_voice,
                    beeps: !no_beeps,
                },
            };
            audio::export(
                &routine,
                asked(Some(&output), force),
                speaking.plan_options(Duration::from_secs(lead_in), !no_voice),
                options,
                extra_routines,
                &pick,
            )
        }
        Command::History {
            csv,
            output,
            force,
            db,
        } => history::run(
            csv,
            asked(output.as_deref(), force),
            db.as_deref(),
            &extra_routines,
        ),
        Command::PlayAudio {
            routine,
            seconds,
            lead_in,
            events,
            volume,
            presses,
            speaking,
        } => audio::play(
            &routine,
            seconds,
            speaking.plan_options(Duration::from_secs(lead_in), true),
            events.as_deref(),
            volume,
            &presses,
            extra_routines,
        ),
        Command::Generate { what } => generate::run(&what),
    }
    .map(Outcome::Exit)
}

/// `-o` and `--force` as given.
fn asked(given: Option<&std::path::Path>, force: bool) -> output::Asked<'_> {
    output::Asked { given, force }
}

fn check(paths: &[PathBuf], strict: bool) -> anyhow::Result<ExitCode> {
    let options = LoadOptions {
        media: MediaCheck::Decode,
        library: library::exercise_library(),
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut files = 0;
    let mut read = Vec::new();
    for path in paths {
        if !path.exists() {
            diagnostics.push(Diagnostic::error(path, "no such file or folder"));
            continue;
        }
        for file in library::routine_files(path) {
            files += 1;
            read.push(file.clone());
            if library::is_exercises_file(&file) {
                diagnostics.extend(routine::loader::check_exercises(&file, options.clone()));
            } else {
                let loaded = routine::load(&file, options.clone());
                diagnostics.extend(loaded.diagnostics);
                if let Some(routine) = loaded.routine {
                    diagnostics.extend(voice::findings(&file, routine));
                }
            }
        }
    }
    // Two routines with one id: the app uses the one read later.
    diagnostics.extend(library::same_ids_among(&read));
    // Findings about a shared exercises file come once, however many routines include it.
    routine::diagnostic::dedup(&mut diagnostics);
    report::print(&diagnostics)?;
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "checked {}: {}, {}",
        plural(files, "routine file"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )?;
    let failed = errors > 0 || (strict && warnings > 0);
    Ok(if failed {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

fn list(dirs: &[PathBuf], paths: bool, extra: Vec<PathBuf>) -> anyhow::Result<ExitCode> {
    let folders = if dirs.is_empty() {
        Folders::standard(extra)
    } else {
        Folders {
            bundled: None,
            user: None,
            extra: dirs.to_vec(),
        }
    };
    let library = Library::load(
        &folders,
        LoadOptions {
            media: MediaCheck::Exists,
            ..LoadOptions::default()
        },
    );
    // On standard error, so the table stays one routine a line.
    let mut err = io::stderr().lock();
    for warning in library.same_ids() {
        writeln!(err, "{}", escape_controls(&warning.to_string()))?;
        if let Some(hint) = &warning.hint {
            writeln!(err, "  hint: {}", escape_controls(hint))?;
        }
    }
    drop(err);
    let mut out = io::stdout().lock();
    if library.entries.is_empty() {
        writeln!(out, "no routines found")?;
    }
    // Ids, titles and file names come from files: shown, never obeyed by the terminal.
    let shown = |text: &str| escape_controls_in_line(text).into_owned();
    let path = |path: &std::path::Path| shown(&path.display().to_string());
    let width = library
        .entries
        .iter()
        .map(|e| shown(&e.id).chars().count())
        .max()
        .unwrap_or(0);
    for entry in &library.entries {
        let id = shown(&entry.id);
        match &entry.routine {
            Some(routine) => {
                let plan = Plan::with_options(
                    Arc::clone(routine),
                    PlanOptions::spoken(timeline::DEFAULT_LEAD_IN),
                );
                let steps: usize = routine.sections.iter().map(|s| s.steps.len()).sum();
                let steps = plural(steps, "step");
                let (count, noun) = steps.split_once(' ').unwrap_or((steps.as_str(), ""));
                write!(
                    out,
                    "{id:width$}  {:>8}  {count:>3} {noun:<5}  {}",
                    plan.total().to_string(),
                    shown(&routine.title)
                )?;
            }
            None => {
                let errors = entry.diagnostics.iter().filter(|d| d.is_error()).count();
                write!(
                    out,
                    "{id:width$}  {:>8}  {} (limberup check {})",
                    "-",
                    plural(errors, "error"),
                    path(&entry.path)
                )?;
            }
        }
        if let Some(replaced) = &entry.replaces {
            write!(out, "  [replaces {}]", path(replaced))?;
        }
        if entry.source == Source::User {
            write!(out, "  (yours)")?;
        }
        if paths {
            write!(out, "  {}", path(&entry.path))?;
        }
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Finds a routine by path or library id ([`library::Named`]) and loads it, refusing one
/// with errors. A routine file is found through its folder, as the window finds it.
///
/// # Errors
/// Not found (with the id probably meant), a bundle, or has errors (which are printed).
pub fn find_routine(name: &OsStr, extra: Vec<PathBuf>) -> anyhow::Result<Arc<Routine>> {
    let named = Named::new(name);
    let mut folders = Folders::standard(extra);
    folders.add_named(&named);
    let library = Library::load(&folders, LoadOptions::default());
    let entry = library.find(&named)?;
    if let Some(routine) = &entry.routine {
        return Ok(Arc::clone(routine));
    }
    report::print(&entry.diagnostics)?;
    bail!(
        "the routine `{}` has errors ({})",
        entry.id,
        entry.path.display()
    );
}

/// [`find_routine`], then the level and variant `pick` asks for ([`Routine::select`]).
///
/// # Errors
/// As [`find_routine`]; a level past the routine's last or 0, or a variant it does not have.
pub fn find_selected(
    name: &OsStr,
    extra: Vec<PathBuf>,
    pick: &Pick,
) -> anyhow::Result<Arc<Routine>> {
    let routine = find_routine(name, extra)?;
    if pick.level.is_none() && pick.variant.is_none() {
        return Ok(routine);
    }
    let mut selection = routine::Selection::default();
    if let Some(level) = pick.level {
        routine.check_level(level)?;
        selection = routine::Selection::all_at(&routine, level);
    }
    selection.variant.clone_from(&pick.variant);
    Ok(Arc::new(routine.select(&selection)?))
}
