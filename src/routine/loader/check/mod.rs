//! The checker: once a file parses, every semantic finding of it, each at the exact place
//! of the value it is about, and the resolved [`Routine`].
//!
//! [`Context`] holds the files being checked and the findings so far; its methods are split
//! by what they check: exercise definitions and included files ([`exercises`]), sections
//! and steps ([`steps`]), media references ([`media`]) and the hygiene of names and text
//! ([`text`]). This file holds the context itself, the routine as a whole, and the two ways
//! in: [`routine`] and [`exercises_file`].

mod exercises;
mod levels;
mod media;
mod steps;
mod text;
mod variants;

pub use text::DRAWABLE;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::routine::Language;
use crate::routine::diagnostic::{Diagnostic, Severity, Span};
use crate::routine::format::{ExercisesDoc, FORMAT_VERSION, RoutineDoc, StepDoc};
use crate::routine::source_map::{SourceMap, ValuePath};
use crate::routine::{FNV_OFFSET, Frequency, Routine, Section, fnv1a};
use crate::text::plural;

use super::read::{MAX_FINDINGS, MAX_PIECES, MAX_ROUTINE_TIME, section_size, thousands};
use super::shared::SharedReads;
use super::suggest::closest;
use super::{LoadOptions, routine_id};

/// Checks a parsed routine and resolves it: the routine as if it had no errors, every
/// finding in the order they were made (past [`MAX_FINDINGS`], one that counts the rest),
/// and the included files that could not be read or parsed (their findings come first).
pub(super) fn routine(
    doc: &RoutineDoc,
    origin: &Path,
    source: &str,
    options: LoadOptions,
    shared: Arc<SharedReads>,
) -> (Routine, Vec<Diagnostic>, Vec<PathBuf>) {
    let mut cx = Context::new(origin, source, options, shared);
    let routine = cx.routine(doc);
    cx.summarise_unreported(origin);
    let broken = cx
        .broken_includes
        .iter()
        .filter_map(|(path, _)| path.clone())
        .collect();
    (routine, cx.diagnostics, broken)
}

/// Checks a parsed exercises file on its own: every definition's fields and media.
pub(super) fn exercises_file(
    doc: ExercisesDoc,
    path: &Path,
    source: &str,
    options: LoadOptions,
) -> Vec<Diagnostic> {
    let mut cx = Context::new(path, source, options, Arc::default());
    cx.add_exercises(FileId::Main, doc);
    cx.definitions();
    cx.summarise_unreported(path);
    cx.diagnostics
}

/// One file being checked: its text, its value map and where its findings go.
struct FileCx {
    path: PathBuf,
    /// The folder its media and includes must stay inside: the routine's folder, or the
    /// library's own for the app's exercise library.
    root: PathBuf,
    /// Shared with the other routines of a library load that include the same file.
    source: Arc<str>,
    map: Arc<SourceMap>,
}

/// Which file a finding or a definition belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileId {
    /// The file being checked: the routine, or the exercises file `check` was given.
    Main,
    /// The `n`th file the routine includes (counting those that loaded).
    Included(usize),
}

/// An exercise definition and the file it came from.
struct Definition {
    doc: StepDoc,
    file: FileId,
    path: ValuePath,
    used: bool,
}

/// What the checker has in hand: the files, the exercise definitions known so far and the
/// findings made.
struct Context {
    options: LoadOptions,
    /// The file being checked: the routine, or the exercises file `check` was given.
    main: FileCx,
    /// The exercise files the routine includes, in the order of `include`.
    included: Vec<FileCx>,
    exercises: BTreeMap<String, Definition>,
    diagnostics: Vec<Diagnostic>,
    /// The included files and media checks shared with the other routines of one pass.
    shared: Arc<SharedReads>,
    /// Errors and warnings past [`MAX_FINDINGS`], counted but not kept.
    unreported: (usize, usize),
    /// The routine's `include`, as written.
    include: Vec<String>,
    /// Included files that could not be used: the file, when its path resolved, and its
    /// text, when it could be read.
    broken_includes: Vec<(Option<PathBuf>, Option<String>)>,
    /// The shared exercise files beside the routine and the ids each defines, read when
    /// an unknown id is first met.
    siblings: Option<Vec<(String, Vec<String>)>>,
}

impl Context {
    fn new(origin: &Path, source: &str, options: LoadOptions, shared: Arc<SharedReads>) -> Self {
        let root = folder_of(origin);
        let main = FileCx {
            path: origin.to_path_buf(),
            root,
            source: source.into(),
            map: Arc::new(SourceMap::build(source)),
        };
        Self {
            options,
            main,
            included: Vec::new(),
            exercises: BTreeMap::new(),
            diagnostics: Vec::new(),
            shared,
            unreported: (0, 0),
            include: Vec::new(),
            broken_includes: Vec::new(),
            siblings: None,
        }
    }

    /// The file `id` names.
    fn file(&self, id: FileId) -> &FileCx {
        match id {
            FileId::Main => &self.main,
            FileId::Included(index) => &self.included[index],
        }
    }

    fn report(
        &mut self,
        file: FileId,
        severity: Severity,
        path: &ValuePath,
        message: String,
        hint: Option<String>,
    ) {
        let span = self.file(file).map.nearest(path);
        self.report_at(file, severity, span, message, hint);
    }

    /// [`Self::report`] at a span found by the caller.
    fn report_at(
        &mut self,
        file: FileId,
        severity: Severity,
        span: Option<Span>,
        message: String,
        hint: Option<String>,
    ) {
        // A hostile file can make a finding per step: past the cap, count them only.
        if self.diagnostics.len() >= MAX_FINDINGS {
            match severity {
                Severity::Error => self.unreported.0 += 1,
                Severity::Warning => self.unreported.1 += 1,
            }
            return;
        }
        let cx = self.file(file);
        let base = match severity {
            Severity::Error => Diagnostic::error(&cx.path, message),
            Severity::Warning => Diagnostic::warning(&cx.path, message),
        };
        let line = span.and_then(|s| cx.map.line(&cx.source, s.start.line));
        let mut diagnostic = base.at_line(span, line);
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diagnostics.push(diagnostic);
    }

    /// One last finding for those past the cap: an error if any of them was one.
    fn summarise_unreported(&mut self, origin: &Path) {
        let (errors, warnings) = self.unreported;
        if errors + warnings == 0 {
            return;
        }
        let message = format!(
            "{} more findings ({}, {}) are not shown",
            errors + warnings,
            plural(errors, "error"),
            plural(warnings, "warning")
        );
        let diagnostic = if errors > 0 {
            Diagnostic::error(origin, message)
        } else {
            Diagnostic::warning(origin, message)
        };
        self.diagnostics
            .push(diagnostic.with_hint(format!("fix the first {MAX_FINDINGS} and check again")));
    }

    fn error(
        &mut self,
        file: FileId,
        path: &ValuePath,
        message: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) {
        self.report(file, Severity::Error, path, message.into(), hint.into());
    }

    fn warning(
        &mut self,
        file: FileId,
        path: &ValuePath,
        message: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) {
        self.report(file, Severity::Warning, path, message.into(), hint.into());
    }

    fn routine(&mut self, doc: &RoutineDoc) -> Routine {
        let root = ValuePath::ROOT;
        self.duplicate_keys(FileId::Main);
        self.check_format(FileId::Main, doc.format);
        self.text(FileId::Main, &root.field("title"), &doc.title, true);
        self.text(
            FileId::Main,
            &root.field("description"),
            &doc.description,
            false,
        );
        self.template_description(&doc.description);
        for (i, tag) in doc.tags.iter().enumerate() {
            self.text(FileId::Main, &root.field("tags").index(i), tag, true);
        }
        for (i, item) in doc.equipment.iter().enumerate() {
            self.text(FileId::Main, &root.field("equipment").index(i), item, true);
        }
        if let Some(safety) = &doc.safety {
            self.text(FileId::Main, &root.field("safety"), safety, false);
        }
        let frequency = doc.frequency.as_ref().and_then(|text| {
            let path = root.field("frequency");
            self.text(FileId::Main, &path, text, true);
            Frequency::parse(text)
                .map_err(|message| self.error(FileId::Main, &path, message, None))
                .ok()
        });
        let language = doc.language.as_ref().and_then(|code| self.language(code));
        self.includes(&doc.include);
        for (id, step) in &doc.exercises {
            let path = root.field("exercises").key(id);
            self.exercises.insert(
                id.clone(),
                Definition {
                    doc: step.clone(),
                    file: FileId::Main,
                    path,
                    used: false,
                },
            );
        }
        self.definitions();
        if doc.sections.is_empty() {
            self.error(
                FileId::Main,
                &root.field("sections"),
                "the routine has no sections",
                Some("add a `Section(title: …, steps: [ … ])`".to_owned()),
            );
        }
        let rest_between_sections = doc
            .rest_between_sections
            .map_or(Duration::ZERO, |s| s.timer);
        let mut sections = Vec::new();
        let count = doc.sections.len();
        // The routine's size so far, to refuse one too large to play (the planner and the
        // player would hold every piece of it) at the section that makes it so.
        let (mut pieces, mut time, mut too_large) = (0_u64, Duration::ZERO, false);
        for (i, section) in doc.sections.iter().enumerate() {
            let path = root.field("sections").index(i);
            let last = i + 1 == count;
            let section = self.section(&path, section, rest_between_sections, last);
            let (section_pieces, section_time) = section_size(&section);
            pieces = pieces.saturating_add(section_pieces);
            time = time.saturating_add(section_time);
            if !too_large && (pieces > MAX_PIECES || time > MAX_ROUTINE_TIME) {
                too_large = true;
                let at = if section.rounds > 1 {
                    path.field("rounds")
                } else {
                    path.clone()
                };
                let message = if pieces > MAX_PIECES {
                    format!(
                        "the routine holds over {} timed pieces by this section (rounds × sets \
                         × sides × reps): {}",
                        thousands(MAX_PIECES),
                        thousands(pieces)
                    )
                } else {
                    format!(
                        "the routine lasts over {} hours by this section: {} hours",
                        MAX_ROUTINE_TIME.as_secs() / 3600,
                        thousands(time.as_secs() / 3600)
                    )
                };
                self.error(
                    FileId::Main,
                    &at,
                    message,
                    Some("lower `rounds` or `sets`, or split it into several routines".to_owned()),
                );
            }
            sections.push(section);
        }
        for (position, step) in sections.iter_mut().flat_map(|s| &mut s.steps).enumerate() {
            step.position = position;
        }
        let variants = self.variants(doc, &sections);
        self.unused_definitions();
        let sounds = self.cue_sounds(doc);
        let lead_in = doc.lead_in.map(|s| s.timer);
        let mut equipment = doc.equipment.clone();
        for step in sections.iter().flat_map(|s: &Section| &s.steps) {
            for item in &step.equipment {
                if !equipment.iter().any(|e| e.eq_ignore_ascii_case(item)) {
                    equipment.push(item.clone());
                }
            }
        }
        let content_hash = std::iter::once(&self.main)
            .chain(&self.included)
            .fold(FNV_OFFSET, |hash, file| fnv1a(file.source.as_bytes(), hash));
        let path = self.main.path.clone();
        Routine {
            id: routine_id(&path),
            path,
            title: doc.title.trim().to_owned(),
            description: doc.description.trim().to_owned(),
            author: doc.author.clone(),
            tags: doc.tags.clone(),
            equipment,
            listed_equipment: doc.equipment.clone(),
            safety: doc.safety.clone(),
            frequency,
            lead_in,
            language,
            room_to_speak: doc.room_to_speak.unwrap_or(true),
            auto_advance: doc.auto_advance.map(|s| s.timer),
            sections,
            sounds,
            content_hash,
            variants,
            variant: None,
        }
    }

    /// The routine's `language`, or an error at its value naming the languages there are.
    fn language(&mut self, code: &str) -> Option<Language> {
        if let Some(language) = Language::from_code(code.trim()) {
            return Some(language);
        }
        let known: Vec<String> = Language::ALL
            .iter()
            .map(|l| format!("`{}` ({})", l.code(), l.name()))
            .collect();
        let (last, others) = known.split_last()?;
        let write = format!("write {} or {last}", others.join(", "));
        let message = if code.trim().is_empty() {
            format!("`language` is empty: {write}")
        } else {
            format!("`{code}` is not a language Limber Up speaks: {write}")
        };
        let hint = suggest_language(code).map(|l| format!("did you mean `{}`?", l.code()));
        self.error(
            FileId::Main,
            &ValuePath::ROOT.field("language"),
            message,
            hint,
        );
        None
    }

    fn check_format(&mut self, file: FileId, found: u32) {
        if found != FORMAT_VERSION {
            self.error(
                file,
                &ValuePath::ROOT.field("format"),
                format!(
                    "this file is format {found}; this Limber Up reads format {FORMAT_VERSION}"
                ),
                Some("write `format: 1`".to_owned()),
            );
        }
    }
}

/// The language a mistyped `language` most likely means: one named in English or in itself
/// ("German", "Deutsch", "Francais"), or a close misspelling of such a name. Two-letter codes
/// are too short to guess from.
fn suggest_language(written: &str) -> Option<Language> {
    let names: [(&str, Language); 12] = [
        ("english", Language::English),
        ("german", Language::German),
        ("deutsch", Language::German),
        ("french", Language::French),
        ("français", Language::French),
        ("francais", Language::French),
        ("spanish", Language::Spanish),
        ("español", Language::Spanish),
        ("espanol", Language::Spanish),
        ("castellano", Language::Spanish),
        ("dutch", Language::Dutch),
        ("nederlands", Language::Dutch),
    ];
    let written = written.trim().to_lowercase();
    if written.chars().count() < 3 {
        return None;
    }
    let best = closest(&written, names.iter().map(|(name, _)| *name))?;
    names
        .iter()
        .find(|(name, _)| *name == best)
        .map(|(_, language)| *language)
}

/// The folder of a file; `.` for a bare file name (`check hips.ron` in its own folder).
fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}
