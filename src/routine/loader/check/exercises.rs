//! Exercise definitions: taking them in from the routine and from included files, map keys
//! written twice, usable ids, each definition's own fields, and definitions no step uses.

use std::path::{Path, PathBuf};

use crate::routine::diagnostic::{Diagnostic, Severity};
use crate::routine::format::{ExercisesDoc, StepDoc};
use crate::routine::source_map::{SourceMap, ValuePath};

use super::super::LIBRARY_INCLUDE;
use super::super::read::{parse_ron, read_text};
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
        for (i, written) in include.iter().enumerate() {
            let path = ValuePath::ROOT.field("include").index(i);
            let Some((file, root)) = self.include_path(&path, written) else {
                continue;
            };
            let source = match read_text(&file) {
                Ok(source) => source,
                Err(diagnostic) => {
                    self.diagnostics.push(*diagnostic);
                    continue;
                }
            };
            let doc: ExercisesDoc = match parse_ron(&source, &file) {
                Ok(doc) => doc,
                Err(diagnostic) => {
                    self.diagnostics.push(*diagnostic);
                    continue;
                }
            };
            let id = FileId::Included(self.included.len());
            self.included.push(FileCx {
                path: file,
                root,
                map: SourceMap::build(&source),
                source,
            });
            self.add_exercises(id, doc);
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

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
