//! `limberup exercises [--json]`: the built-in exercise library, which any routine can use
//! by id with `include: ["@library"]`.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use serde::Serialize;

use super::{EXIT_ERRORS, report};
use crate::library;
use crate::routine::format::Sides;
use crate::routine::media::MediaCheck;

/// One exercise of `exercises --json`.
#[derive(Serialize)]
struct JsonExercise<'a> {
    id: &'a str,
    name: &'a str,
    muscles: &'a [String],
    equipment: &'a [String],
    sides: Sides,
    mirror: bool,
    /// The default dose in words ("30 s each side").
    dose: String,
    /// The picture files, in the order they show (one, or the frames).
    pictures: Vec<PathBuf>,
}

/// Prints the library as a table, or as JSON.
pub(super) fn run(json: bool) -> anyhow::Result<ExitCode> {
    let Some(file) = library::exercise_library() else {
        bail!(
            "the exercise library is not installed with this Limber Up (no {} in its data folder)",
            library::EXERCISE_LIBRARY_FILE
        );
    };
    let exercises = match library::library_exercises(&file, MediaCheck::Exists) {
        Ok(exercises) => exercises,
        Err(diagnostics) => {
            report::print(&diagnostics)?;
            return Ok(ExitCode::from(EXIT_ERRORS));
        }
    };
    let mut out = io::stdout().lock();
    if json {
        let list: Vec<JsonExercise<'_>> = exercises
            .iter()
            .map(|e| JsonExercise {
                id: &e.id,
                name: &e.step.name,
                muscles: &e.step.muscles,
                equipment: &e.step.equipment,
                sides: e.step.sides,
                mirror: e.step.mirror,
                dose: e.step.dose(),
                pictures: e
                    .step
                    .illustration
                    .as_ref()
                    .map(|i| i.paths().to_vec())
                    .unwrap_or_default(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list).context("writing JSON")?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = exercises.iter().map(|e| e.id.len()).max().unwrap_or(0);
    for exercise in &exercises {
        let step = &exercise.step;
        let picture = step
            .illustration
            .as_ref()
            .and_then(|i| i.paths().first())
            .and_then(|p| p.file_name())
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        writeln!(
            out,
            "{:width$}  {}: {}; {}  [{picture}]",
            exercise.id,
            step.name,
            step.dose(),
            step.muscles.join(", ")
        )?;
    }
    writeln!(
        out,
        "{} in {}; use them with include: [\"@library\"]",
        crate::text::plural(exercises.len(), "exercise"),
        file.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
