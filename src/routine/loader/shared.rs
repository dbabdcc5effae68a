//! What loading many routines in one pass reads only once. The library's routines mostly
//! include the same exercises file and name the same pictures: each included file is read
//! and parsed once, each written path resolved once and each media file checked once, for
//! the whole pass.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::routine::diagnostic::Diagnostic;
use crate::routine::format::ExercisesDoc;
use crate::routine::media::{self, PathError};
use crate::routine::source_map::SourceMap;

use super::read::{parse_ron, read_text};

/// The files read so far in one pass. Nothing is read again while it lives, so it is made
/// for one pass over a library ([`crate::library::Library::load`]) and dropped after it: a
/// file saved meanwhile is read at the next pass.
#[derive(Debug, Default)]
pub struct SharedReads {
    includes: Mutex<HashMap<PathBuf, Arc<Included>>>,
    /// Where each written path leads, by the folder it must stay in, the folder of the file
    /// naming it and the text: the file or why not, and its name on disk when it is written
    /// in another case.
    paths: Mutex<HashMap<(PathBuf, PathBuf, String), Resolved>>,
    /// The names in each folder a path was compared in, to find names in another case.
    listings: Mutex<HashMap<PathBuf, Vec<String>>>,
    /// Each media file's check, by path and whether it was checked as a picture.
    media: Mutex<HashMap<(PathBuf, bool), Result<(), String>>>,
}

/// A written path resolved: the file or why not, and the name on disk when the text has
/// another case.
type Resolved = (Result<PathBuf, PathError>, Option<String>);

/// An included exercises file as it was read.
#[derive(Debug)]
pub(super) enum Included {
    /// Read and parsed: its text, the places of its values and its definitions.
    Parsed {
        source: Arc<str>,
        map: Arc<SourceMap>,
        doc: ExercisesDoc,
    },
    /// Not read (missing, not a regular file, too large, not UTF-8).
    Unreadable(Diagnostic),
    /// Read, but not an exercises file: its text and the syntax error.
    Unparsable {
        source: String,
        diagnostic: Diagnostic,
    },
}

impl Included {
    fn read(path: &Path) -> Self {
        let source = match read_text(path) {
            Ok(source) => source,
            Err(diagnostic) => return Self::Unreadable(*diagnostic),
        };
        match parse_ron::<ExercisesDoc>(&source, path) {
            Ok(doc) => Self::Parsed {
                map: Arc::new(SourceMap::build(&source)),
                source: source.into(),
                doc,
            },
            Err(diagnostic) => Self::Unparsable {
                source,
                diagnostic: *diagnostic,
            },
        }
    }
}

impl SharedReads {
    /// The exercises file at `path`, read and parsed at its first use in this pass.
    pub(super) fn include(&self, path: &Path) -> Arc<Included> {
        if let Some(read) = lock(&self.includes).get(path) {
            return Arc::clone(read);
        }
        // Read without the lock held; two routines reading one file at once is only slower.
        let read = Arc::new(Included::read(path));
        lock(&self.includes)
            .entry(path.to_path_buf())
            .or_insert(read)
            .clone()
    }

    /// The file `written` names from the folder `base` inside `root` ([`media::resolve`]),
    /// and its real name when a part of it is written in another case
    /// ([`media::case_mismatch`]).
    pub(super) fn resolve(&self, root: &Path, base: &Path, written: &str) -> Resolved {
        let key = (root.to_path_buf(), base.to_path_buf(), written.to_owned());
        if let Some(resolved) = lock(&self.paths).get(&key) {
            return resolved.clone();
        }
        let resolved = media::resolve(root, base, written);
        let mismatch = if matches!(resolved, Ok(_) | Err(PathError::Missing(_))) {
            let mut list = |folder: &Path| {
                lock(&self.listings)
                    .entry(folder.to_path_buf())
                    .or_insert_with(|| media::folder_names(folder))
                    .clone()
            };
            media::case_mismatch(root, base, written, &mut list)
        } else {
            None
        };
        let result = (resolved, mismatch);
        lock(&self.paths).insert(key, result.clone());
        result
    }

    /// The outcome of `check` for the media file at `path`, run at its first use.
    pub(super) fn media(
        &self,
        path: &Path,
        is_image: bool,
        check: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        let key = (path.to_path_buf(), is_image);
        if let Some(result) = lock(&self.media).get(&key) {
            return result.clone();
        }
        let result = check();
        lock(&self.media).insert(key, result.clone());
        result
    }
}

/// A poisoned lock still holds whole entries: each is inserted in one step.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
