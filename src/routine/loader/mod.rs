//! Reading a routine: `parse(source, origin)` for text, `load(path)` for files.
//!
//! Parsing stops at the first syntax error (RON cannot go on after one), but once the text
//! parses, every semantic finding of the file is reported, each at the exact place of the
//! value it is about.
//!
//! This file is the way in. The work is done in rooms: `read` (reading with limits),
//! `syntax` (syntax errors as placed diagnostics with hints), `suggest` (the "did you mean"
//! matcher) and `check` (every semantic finding, and the resolved routine).

mod check;
mod read;
mod shared;
mod suggest;
mod syntax;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::Routine;
use super::diagnostic::Diagnostic;
use super::format::{ExercisesDoc, RoutineDoc};
use super::media::MediaCheck;

use read::{read_text, too_large};

pub use check::DRAWABLE;
pub use read::MAX_FILE_BYTES;
pub(crate) use read::parse_ron;
pub use shared::SharedReads;
pub use suggest::closest;

/// The pause between sides when a routine does not give one.
pub const DEFAULT_SWITCH_PAUSE: Duration = Duration::from_secs(5);

/// How a routine names the app's built-in exercise library in its `include`.
pub const LIBRARY_INCLUDE: &str = "@library";

/// How to load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// How thoroughly to check media files.
    pub media: MediaCheck,
    /// The app's exercise library file, which `include: ["@library"]` names (found by
    /// `library::exercise_library`). Its own paths stay inside its own folder, the app's
    /// data, whatever folder the routine is in. `None`: a routine that includes it gets an
    /// error.
    pub library: Option<PathBuf>,
}

/// The outcome of loading one routine file: the routine when it has no errors, and every
/// finding either way.
#[derive(Debug)]
pub struct Loaded {
    /// The routine, if it has no errors.
    pub routine: Option<Routine>,
    /// Every finding, errors and warnings, in the order of the file.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    fn failed(diagnostic: Diagnostic) -> Self {
        Self {
            routine: None,
            diagnostics: vec![diagnostic],
        }
    }

    /// Whether any finding is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        super::diagnostic::has_errors(&self.diagnostics)
    }
}

/// Reads and checks the routine file at `path`.
#[must_use]
pub fn load(path: &Path, options: LoadOptions) -> Loaded {
    load_sharing(path, options, &Arc::default())
}

/// [`load`] as one of many routines loaded in one pass: the files it includes and the media
/// it names are read once for the whole pass, through `shared`. Every load of the pass
/// must use the same `options` (a media check is kept by path, whatever its depth).
#[must_use]
pub fn load_sharing(path: &Path, options: LoadOptions, shared: &Arc<SharedReads>) -> Loaded {
    match read_text(path) {
        Ok(source) => parse_sharing(&source, path, options, Arc::clone(shared)),
        Err(diagnostic) => Loaded::failed(*diagnostic),
    }
}

/// Parses and checks routine text; `origin` is the file it came from (media and included
/// exercise files resolve relative to its folder). Text without includes or media never
/// touches the disk.
#[must_use]
pub fn parse(source: &str, origin: &Path) -> Loaded {
    parse_with(source, origin, LoadOptions::default())
}

/// [`parse`] with options.
#[must_use]
pub fn parse_with(source: &str, origin: &Path, options: LoadOptions) -> Loaded {
    parse_sharing(source, origin, options, Arc::default())
}

fn parse_sharing(
    source: &str,
    origin: &Path,
    options: LoadOptions,
    shared: Arc<SharedReads>,
) -> Loaded {
    let source = read::without_bom(source);
    if source.len() as u64 > MAX_FILE_BYTES {
        return Loaded::failed(too_large(origin, source.len() as u64));
    }
    let doc: RoutineDoc = match parse_ron(source, origin) {
        Ok(doc) => doc,
        Err(diagnostic) => return Loaded::failed(*diagnostic),
    };
    let (routine, mut diagnostics, broken) = check::routine(&doc, origin, source, options, shared);
    // A mistake in an included file comes first: the steps using its exercises wait on it.
    diagnostics.sort_by_key(|d| {
        (
            !broken.contains(&d.file),
            d.file != origin,
            d.file.clone(),
            d.span,
        )
    });
    // A definition's media finding shows once, however many steps use it.
    super::diagnostic::dedup(&mut diagnostics);
    let routine = (!super::diagnostic::has_errors(&diagnostics)).then_some(routine);
    Loaded {
        routine,
        diagnostics,
    }
}

/// Checks a shared exercises file on its own (`limberup check exercises.ron`): its syntax,
/// every definition's fields and media.
#[must_use]
pub fn check_exercises(path: &Path, options: LoadOptions) -> Vec<Diagnostic> {
    let source = match read_text(path) {
        Ok(source) => source,
        Err(diagnostic) => return vec![*diagnostic],
    };
    let doc: ExercisesDoc = match parse_ron(&source, path) {
        Ok(doc) => doc,
        Err(diagnostic) => return vec![*diagnostic],
    };
    let mut diagnostics = check::exercises_file(doc, path, &source, options);
    super::diagnostic::dedup(&mut diagnostics);
    diagnostics.sort_by_key(|d| d.span);
    diagnostics
}

/// Parses RON into `T`, turning a syntax or type error into a placed diagnostic.
/// Reads and parses one file as `T` (a [`RoutineDoc`] or an [`ExercisesDoc`]) with the
/// loader's limits and syntax diagnostics, without the checks that follow; returns the text
/// too. For tools that work on the document as written (`limberup pack`).
///
/// # Errors
/// The file cannot be read, is too large, is not UTF-8, or does not parse.
pub fn read_doc<T: serde::de::DeserializeOwned>(
    path: &Path,
) -> Result<(T, String), Box<Diagnostic>> {
    let source = read_text(path)?;
    let doc = parse_ron(&source, path)?;
    Ok((doc, source))
}

/// The id of the routine in `path`: its file name without `.ron`.
#[must_use]
pub fn routine_id(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}
