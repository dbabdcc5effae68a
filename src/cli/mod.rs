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
pub mod report;

use std::ffi::OsStr;
use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use serde::Serialize;

pub use args::{Args, Command, Pick};

use crate::launch::{First, Launch, Outcome};
use crate::library::{self, Folders, Library, Named, Source};
use crate::routine::media::MediaCheck;
use crate::routine::{self, Diagnostic, LoadOptions, Routine, Severity};
use crate::text::{clock, plural};
use crate::timeline::{self, Plan, SegmentKind};

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
        })
    };
    match command {
        Command::Play { routine, pick } => {
            // Refuse a routine that cannot play, or a level or variant it does not have,
            // before a window opens for it.
            find_selected(&routine, extra_routines.clone(), &pick)?;
            return Ok(window(First::Play {
                routine,
                level: pick.level,
                variant: pick.variant,
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
        Command::Pack { routine, output } => {
            authoring::pack(&routine, output.as_deref(), extra_routines)
        }
        Command::Import {
            file,
            replace,
            into,
        } => authoring::import(&file, replace, into.as_deref()),
        Command::Sheet {
            routine,
            output,
            pick,
        } => authoring::sheet(&routine, output.as_deref(), extra_routines, &pick),
        Command::List { dirs, paths } => list(&dirs, paths, extra_routines),
        Command::Exercises { json } => exercises::run(json),
        Command::Show {
            routine,
            json,
            lead_in,
            pick,
        } => show(
            &routine,
            json,
            Duration::from_secs(lead_in),
            extra_routines,
            &pick,
        ),
        Command::ExportAudio {
            routine,
            output,
            lead_in,
            sample_rate,
            no_voice,
            no_beeps,
            pick,
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
                &output,
                Duration::from_secs(lead_in),
                options,
                extra_routines,
                &pick,
            )
        }
        Command::History { csv, output, db } => history::run(csv, output.as_deref(), db.as_deref()),
        Command::PlayAudio {
            routine,
            seconds,
            lead_in,
            events,
            volume,
            presses,
        } => audio::play(
            &routine,
            seconds,
            Duration::from_secs(lead_in),
            events.as_deref(),
            volume,
            &presses,
            extra_routines,
        ),
        Command::Generate { what } => generate::run(&what),
    }
    .map(Outcome::Exit)
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
                diagnostics.extend(routine::load(&file, options.clone()).diagnostics);
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
        writeln!(err, "{warning}")?;
        if let Some(hint) = &warning.hint {
            writeln!(err, "  hint: {hint}")?;
        }
    }
    drop(err);
    let mut out = io::stdout().lock();
    if library.entries.is_empty() {
        writeln!(out, "no routines found")?;
    }
    let width = library
        .entries
        .iter()
        .map(|e| e.id.len())
        .max()
        .unwrap_or(0);
    for entry in &library.entries {
        match &entry.routine {
            Some(routine) => {
                let plan = Plan::new(Arc::clone(routine), timeline::DEFAULT_LEAD_IN);
                let steps: usize = routine.sections.iter().map(|s| s.steps.len()).sum();
                let steps = plural(steps, "step");
                let (count, noun) = steps.split_once(' ').unwrap_or((steps.as_str(), ""));
                write!(
                    out,
                    "{:width$}  {:>8}  {count:>3} {noun:<5}  {}",
                    entry.id,
                    plan.total().to_string(),
                    routine.title
                )?;
            }
            None => {
                let errors = entry.diagnostics.iter().filter(|d| d.is_error()).count();
                write!(
                    out,
                    "{:width$}  {:>8}  {} (limberup check {})",
                    entry.id,
                    "-",
                    plural(errors, "error"),
                    entry.path.display()
                )?;
            }
        }
        if let Some(replaced) = &entry.replaces {
            write!(out, "  [replaces {}]", replaced.display())?;
        }
        if entry.source == Source::User {
            write!(out, "  (yours)")?;
        }
        if paths {
            write!(out, "  {}", entry.path.display())?;
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

/// One segment of `show --json`.
#[derive(Serialize)]
struct JsonSegment<'a> {
    index: usize,
    kind: SegmentKind,
    title: &'a str,
    section: &'a str,
    start_ms: u128,
    duration_ms: Option<u128>,
    estimate_ms: u128,
    waits_for_done: bool,
    side: Option<timeline::Side>,
    set: timeline::Ordinal,
    round: timeline::Ordinal,
    reps: Option<u32>,
    /// The step's time as a range, as written ("20-30 s"), beside the value timed.
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<String>,
    /// The count as written when it says more than its number ("5-10 reps", "10 each side",
    /// "3 passes").
    #[serde(skip_serializing_if = "Option::is_none")]
    reps_text: Option<String>,
    /// Whether the count is per side.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    per_side: bool,
    /// The step's distance as written ("80-100 m").
    #[serde(skip_serializing_if = "Option::is_none")]
    distance: Option<String>,
}

/// One cue of `show --json`.
#[derive(Serialize)]
struct JsonCue {
    at_ms: u128,
    segment: usize,
    #[serde(flatten)]
    kind: timeline::CueKind,
    say: Option<String>,
}

#[derive(Serialize)]
struct JsonShow<'a> {
    id: &'a str,
    title: &'a str,
    total_ms: u128,
    estimated: bool,
    segments: Vec<JsonSegment<'a>>,
    cues: Vec<JsonCue>,
}

fn show(
    name: &OsStr,
    json: bool,
    lead_in: Duration,
    extra: Vec<PathBuf>,
    pick: &Pick,
) -> anyhow::Result<ExitCode> {
    let routine = find_selected(name, extra, pick)?;
    let plan = Plan::new(Arc::clone(&routine), lead_in);
    let cues = timeline::schedule(&plan);
    let mut out = io::stdout().lock();
    let section_title = |i: usize| routine.sections.get(i).map_or("", |s| s.title.as_str());
    if json {
        let doc = JsonShow {
            id: &routine.id,
            title: &routine.title,
            total_ms: plan.total().duration.as_millis(),
            estimated: plan.total().estimated,
            segments: plan
                .segments
                .iter()
                .map(|s| JsonSegment {
                    index: s.index,
                    kind: s.kind,
                    title: &s.title,
                    section: section_title(s.section),
                    start_ms: s.offset.as_millis(),
                    duration_ms: s.duration.map(|d| d.as_millis()),
                    estimate_ms: s.estimate.as_millis(),
                    waits_for_done: s.waits_for_done(),
                    side: s.side,
                    set: s.set,
                    round: s.round,
                    reps: s.reps.map(|r| r.value),
                    range: written_range(&plan, s),
                    reps_text: s
                        .reps
                        .filter(|r| !r.is_plain() || r.range.is_some())
                        .map(routine::Count::label),
                    per_side: s.reps.is_some_and(|r| r.per_side),
                    distance: work_step(&plan, s)
                        .and_then(|step| step.distance)
                        .map(|d| d.to_string()),
                })
                .collect(),
            cues: cues
                .iter()
                .map(|c| JsonCue {
                    at_ms: c.offset.as_millis(),
                    segment: c.cue.segment,
                    kind: c.cue.kind,
                    say: timeline::announcement(&plan, &c.cue),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut out, &doc).context("writing JSON")?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{} ({}): {}", routine.title, routine.id, plan.total())?;
    if let Some(variant) = &routine.variant {
        writeln!(out, "  variant: {variant}")?;
    }
    if let Some(levels) = routine.levels_played() {
        writeln!(out, "  {}", routine::selection::levels_label(&levels))?;
    }
    for (section, total) in routine.sections.iter().zip(plan.section_totals()) {
        writeln!(
            out,
            "  {:<40} {:>8}  x{}",
            section.title,
            total.to_string(),
            section.rounds
        )?;
    }
    writeln!(out)?;
    // A fractional second is shown to the millisecond, so each row's start and length add
    // up to the next row's start; the columns widen for it.
    let fractional = plan
        .segments
        .iter()
        .any(|s| s.offset.subsec_millis() > 0 || s.estimate.subsec_millis() > 0);
    let time = |d: Duration| {
        if d.subsec_millis() > 0 {
            format_ms(d)
        } else {
            clock(d)
        }
    };
    let (start_width, length_width) = if fractional { (11, 10) } else { (7, 6) };
    writeln!(
        out,
        "{:>3}  {:<start_width$}  {:>length_width$}  kind      side   set    round  segment",
        "#", "start", "length"
    )?;
    for s in &plan.segments {
        let length = s
            .duration
            .map_or_else(|| format!("~{}", time(s.estimate)), time);
        let kind = match s.kind {
            SegmentKind::LeadIn => "lead-in",
            SegmentKind::Work if s.waits_for_done() => "done",
            SegmentKind::Work => "work",
            SegmentKind::Switch => "switch",
            SegmentKind::Rest => "rest",
            SegmentKind::Position => "position",
        };
        let side = s.side.map_or_else(String::new, |side| side.to_string());
        let counted = |o: timeline::Ordinal| {
            if o.is_counted() {
                format!("{}/{}", o.index, o.of)
            } else {
                String::new()
            }
        };
        // The dose as written, when it says more than the length does.
        let written: Vec<String> = [
            work_step(&plan, s)
                .and_then(|step| step.distance)
                .map(|d| d.to_string()),
            written_range(&plan, s),
            s.reps
                .filter(|r| !r.is_plain() || r.range.is_some())
                .map(routine::Count::label),
        ]
        .into_iter()
        .flatten()
        .collect();
        let written = if written.is_empty() {
            String::new()
        } else {
            format!("  ({})", written.join(", "))
        };
        writeln!(
            out,
            "{:>3}  {:>start_width$}  {:>length_width$}  {kind:<8}  {side:<5}  {:<5}  {:<5}  {}{written}",
            s.index,
            time(s.offset),
            length,
            counted(s.set),
            counted(s.round),
            s.title
        )?;
    }
    writeln!(out)?;
    writeln!(out, "cues:")?;
    for c in &cues {
        let say = timeline::announcement(&plan, &c.cue)
            .map_or_else(String::new, |s| format!("  \"{s}\""));
        let kind = match c.cue.kind {
            timeline::CueKind::RepTick { rep, side: None } => format!("RepTick({rep})"),
            timeline::CueKind::RepTick {
                rep,
                side: Some(side),
            } => format!("RepTick({rep}, {side})"),
            kind => format!("{kind:?}"),
        };
        writeln!(
            out,
            "  {:>9}  #{:<3} {kind}{say}",
            format_ms(c.offset),
            c.cue.segment,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The step a work segment plays.
fn work_step<'a>(plan: &'a Plan, segment: &timeline::Segment) -> Option<&'a routine::Step> {
    plan.step(segment)
        .filter(|_| segment.kind == SegmentKind::Work)
}

/// A work segment's time as a range, as written: "20-30 s".
fn written_range(plan: &Plan, segment: &timeline::Segment) -> Option<String> {
    match &work_step(plan, segment)?.work {
        routine::Work::Timed { time, .. }
        | routine::Work::UntilDone {
            suggested: Some(time),
            ..
        } => time.range_text(),
        _ => None,
    }
}

/// `1:05.250`: a clock with milliseconds, for cue times.
fn format_ms(duration: Duration) -> String {
    format!("{}.{:03}", clock(duration), duration.subsec_millis())
}
