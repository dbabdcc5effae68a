//! The exercise library as a list: each exercise of the library file resolved exactly as a
//! step that uses it by id would be (`limberup exercises`, the format guide's table).

use std::path::Path;

use crate::routine::format::ExercisesDoc;
use crate::routine::media::MediaCheck;
use crate::routine::{self, Diagnostic, LIBRARY_INCLUDE, LoadOptions, Step};

/// One exercise of the library.
#[derive(Clone, Debug)]
pub struct LibraryExercise {
    /// Its id, as a step names it: `Step(exercise: "glute-bridge")`.
    pub id: String,
    /// The exercise as a step that uses it gets it: name, dose, sides, muscles, picture.
    pub step: Step,
}

/// Every exercise of the library file `file`, sorted by id, each resolved as a routine
/// that includes the library and uses it once resolves it (its pictures checked to `media`).
///
/// # Errors
/// The findings when the file cannot be read, or any exercise has an error.
pub fn library_exercises(
    file: &Path,
    media: MediaCheck,
) -> Result<Vec<LibraryExercise>, Vec<Diagnostic>> {
    let (doc, _) = routine::loader::read_doc::<ExercisesDoc>(file).map_err(|d| vec![*d])?;
    let ids: Vec<String> = doc.exercises.into_keys().collect();
    let steps: Vec<String> = ids
        .iter()
        .map(|id| format!("Step(exercise: {id:?}),\n"))
        .collect();
    let steps = steps.concat();
    let source = format!(
        "Routine(format: 1, title: \"Exercise library\", include: [{LIBRARY_INCLUDE:?}], \
         sections: [Section(title: \"All\", steps: [\n{steps}])])\n"
    );
    // A routine beside the library, never written: parsing reads only what it includes.
    let origin = file.with_file_name("exercise-library.ron");
    let options = LoadOptions {
        media,
        library: Some(file.to_path_buf()),
    };
    let loaded = routine::loader::parse_with(&source, &origin, options);
    let Some(routine) = loaded.routine else {
        return Err(loaded.diagnostics);
    };
    let steps = routine.sections.into_iter().flat_map(|s| s.steps);
    Ok(ids
        .into_iter()
        .zip(steps)
        .map(|(id, step)| LibraryExercise { id, step })
        .collect())
}
