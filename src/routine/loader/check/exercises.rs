//! Exercise definitions: taking them in from the routine and from included files, map keys
//! written twice, usable ids, each definition's own fields, and definitions no step uses.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::routine::diagnostic::{Diagnostic, Severity};
use crate::routine::format::{ExercisesDoc, StepDoc};
use crate::routine::source_map::ValuePath;

use super::super::LIBRARY_INCLUDE;
use super::super::read::{parse_ron, read_text};
use super::super::shared::Included;
use super::super::suggest::closest;
use super::{Context, Definition, FileCx, FileId};

impl Context {
    pub(super) fn duplicate_keys(&mut self, file: FileId) {
        let duplicates = self.file(file).map.duplicate_keys().to_vec();
        for (path, span) in duplicates {
            let cx = self.file(file);
            let path = path.as_str();
            self.diagnostics.push(
                Diagnostic::error(
                    &cx.path,
                    format!(
                        "`{}` is defined twice in this map",
                        path.rsplit('[')
                            .next()
                            .unwrap_or(path)
                            .trim_end_matches(']')
                    ),
                )
                .at(Some(span), &cx.source)
                .with_hint("give each exercise a different id, or remove one"),
            );
        }
    }

    /// Loads the included exercise files; definitions in the routine itself win.
    pub(super) fn includes(&mut self, include: &[String]) {
        self.include = include.to_vec();
        for (i, written) in include.iter().enumerate() {
            let path = ValuePath::ROOT.field("include").index(i);
            let Some((file, root)) = self.include_path(&path, written) else {
                self.broken_includes.push((None, None));
                continue;
            };
            let read = self.shared.include(&file);
            match &*read {
                Included::Unreadable(diagnostic) => {
                    self.diagnostics.push(diagnostic.clone());
                    self.broken_includes.push((Some(file), None));
                }
                Included::Unparsable { source, diagnostic } => {
                    self.diagnostics.push(diagnostic.clone());
                    self.broken_includes
                        .push((Some(file), Some(source.clone())));
                }
                Included::Parsed { source, map, doc } => {
                    let id = FileId::Included(self.included.len());
                    self.included.push(FileCx {
                        path: file,
                        root,
                        map: Arc::clone(map),
                        source: Arc::clone(source),
                    });
                    self.add_exercises(id, doc.clone());
                }
            }
        }
    }

    /// The file an `include` entry names and the folder its own paths must stay inside:
    /// the app's exercise library for [`LIBRARY_INCLUDE`] (trusted: it is the app's own
    /// data), else a file inside the routine's folder.
    fn include_path(&mut self, at: &ValuePath, written: &str) -> Option<(PathBuf, PathBuf)> {
        if written.trim() != LIBRARY_INCLUDE {
            let file = self.resolve_path(FileId::Main, at, written, Severity::Error)?;
            return Some((file, self.main.root.clone()));
        }
        match self.options.library.clone().filter(|file| file.is_file()) {
            Some(file) => {
                let root = file.parent().unwrap_or(Path::new(".")).to_path_buf();
                Some((file, root))
            }
            None => {
                self.error(
                    FileId::Main,
                    at,
                    "the exercise library is not installed with this Limber Up",
                    Some(
                        "reinstall Limber Up, or include an exercises file of your own".to_owned(),
                    ),
                );
                None
            }
        }
    }

    /// Takes in the definitions of an exercises file (already added as `file`).
    pub(super) fn add_exercises(&mut self, file: FileId, doc: ExercisesDoc) {
        self.duplicate_keys(file);
        self.check_format(file, doc.format);
        for (id, step) in doc.exercises {
            let path = ValuePath::ROOT.field("exercises").key(&id);
            self.exercises.insert(
                id,
                Definition {
                    doc: step,
                    file,
                    path,
                    used: true,
                },
            );
        }
    }

    /// Checks each exercise definition's own fields, where it is written.
    pub(super) fn definitions(&mut self) {
        let definitions: Vec<(String, StepDoc, FileId, ValuePath)> = self
            .exercises
            .iter()
            .map(|(id, d)| (id.clone(), d.doc.clone(), d.file, d.path.clone()))
            .collect();
        for (id, doc, file, path) in definitions {
            if !is_valid_id(&id) {
                self.error(
                    file,
                    &path,
                    format!("`{id}` is not a usable exercise id"),
                    Some("use lower-case letters, digits and `-`, such as `bird-dog`".to_owned()),
                );
            }
            if doc.exercise.is_some() {
                self.error(
                    file,
                    &path.field("exercise"),
                    "an exercise definition cannot use another exercise",
                    Some("copy the fields you need into this definition".to_owned()),
                );
            }
            self.step_fields(file, &path, &doc);
            self.level_fields(file, &path, &doc);
            // Media of every definition, used or not, so a shared file is checked whole.
            self.illustration(file, &path, &doc);
            if let Some(written) = &doc.sound {
                self.sound(file, &path.field("sound"), written);
            }
            for (i, level) in doc.levels.iter().flatten().enumerate() {
                let at = path.field("levels").index(i);
                self.illustration(file, &at, level);
                if let Some(written) = &level.sound {
                    self.sound(file, &at.field("sound"), written);
                }
            }
        }
    }

    /// What to say about a step's (or a variant's) exercise id that no definition has:
    /// the message and the hint, or `None` when an included file that could not be read
    /// may define it (its own finding says what to fix first).
    pub(super) fn unknown_exercise(&mut self, id: &str) -> Option<(String, String)> {
        let quoted = format!("\"{id}\"");
        let maybe_in_broken = self
            .broken_includes
            .iter()
            .any(|(_, text)| text.as_ref().is_none_or(|t| t.contains(&quoted)));
        if maybe_in_broken {
            return None;
        }
        if let Some(file) = self.sibling_defining(id) {
            let hint = if self.include.is_empty() {
                format!("add `include: [\"{file}\"],` to the routine, after its title")
            } else {
                let mut files: Vec<String> =
                    self.include.iter().map(|f| format!("\"{f}\"")).collect();
                files.push(format!("\"{file}\""));
                format!(
                    "add it to the routine's include: `include: [{}],`",
                    files.join(", ")
                )
            };
            return Some((
                format!(
                    "the exercise `{id}` is defined in `{file}`, which this routine does not include"
                ),
                hint,
            ));
        }
        let known: Vec<&str> = self.exercises.keys().map(String::as_str).collect();
        let hint = match closest(id, known) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "define it under `exercises`, or include the file that defines it".to_owned(),
        };
        Some((format!("no exercise has the id `{id}`"), hint))
    }

    /// The shared exercise file beside the routine, not included, that defines `id`.
    fn sibling_defining(&mut self, id: &str) -> Option<String> {
        if self.siblings.is_none() {
            self.siblings = Some(self.read_siblings());
        }
        self.siblings
            .as_ref()?
            .iter()
            .find(|(_, ids)| ids.iter().any(|i| i == id))
            .map(|(name, _)| name.clone())
    }

    /// Every shared exercise file in the routine's folder that the routine does not
    /// include, with the ids it defines (a file that does not parse defines none).
    fn read_siblings(&self) -> Vec<(String, Vec<String>)> {
        let folder = self.main.path.parent().unwrap_or(Path::new("."));
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        let Ok(entries) = std::fs::read_dir(folder) else {
            return Vec::new();
        };
        let included: Vec<&PathBuf> = self.included.iter().map(|f| &f.path).collect();
        let mut siblings: Vec<(String, Vec<String>)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().to_str()?.to_owned();
                let shared = name == "exercises.ron" || name.ends_with(".exercises.ron");
                let path = entry.path();
                if !shared || included.iter().any(|i| same_file(i, &path)) {
                    return None;
                }
                let source = read_text(&path).ok()?;
                let doc: ExercisesDoc = parse_ron(&source, &path).ok()?;
                Some((name, doc.exercises.into_keys().collect()))
            })
            .collect();
        siblings.sort();
        siblings
    }

    pub(super) fn unused_definitions(&mut self) {
        let unused: Vec<(String, FileId, ValuePath)> = self
            .exercises
            .iter()
            .filter(|(_, d)| !d.used && d.file == FileId::Main)
            .map(|(id, d)| (id.clone(), d.file, d.path.clone()))
            .collect();
        for (id, file, path) in unused {
            self.warning(
                file,
                &path,
                format!("the exercise `{id}` is defined but no step uses it"),
                Some("use it in a step or remove it".to_owned()),
            );
        }
    }
}

/// Whether two paths name one file.
fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
