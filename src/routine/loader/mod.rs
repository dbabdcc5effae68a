//! Reading a routine: `parse(source, origin)` for text, `load(path)` for files.
//!
//! Parsing stops at the first syntax error (RON cannot go on after one), but once the text
//! parses, every semantic finding of the file is reported, each at the exact place of the
//! value it is about.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::diagnostic::{Diagnostic, Severity};
use super::format::{ExercisesDoc, FORMAT_VERSION, RoutineDoc, SectionDoc, Sides, StepDoc};
use super::media::{self, MediaCheck, PathError};
use super::quantity::{MAX_DURATION, Secs};
use super::source_map::{SourceMap, ValuePath};
use super::{CueSounds, FNV_OFFSET, Illustration, Routine, Section, Step, Work, fnv1a};

mod read;
mod suggest;
mod syntax;

pub use read::MAX_FILE_BYTES;
pub use suggest::closest;

pub(crate) use read::parse_ron;
use read::{
    MAX_FINDINGS, MAX_PIECES, MAX_ROUTINE_TIME, read_text, section_size, thousands, too_large,
};

/// The pause between sides when a routine does not give one.
pub const DEFAULT_SWITCH_PAUSE: Duration = Duration::from_secs(5);

/// Longest text accepted in a name before a warning.
const MAX_NAME_CHARS: usize = 120;

/// How to load.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions {
    /// How thoroughly to check media files.
    pub media: MediaCheck,
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
    match read_text(path) {
        Ok(source) => parse_with(&source, path, options),
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
    if source.len() as u64 > MAX_FILE_BYTES {
        return Loaded::failed(too_large(origin, source.len() as u64));
    }
    let doc: RoutineDoc = match parse_ron(source, origin) {
        Ok(doc) => doc,
        Err(diagnostic) => return Loaded::failed(*diagnostic),
    };
    let mut cx = Context::new(origin, source, options);
    let routine = cx.routine(&doc);
    cx.summarise_unreported(origin);
    let mut diagnostics = cx.diagnostics;
    diagnostics.sort_by_key(|d| (d.file != origin, d.file.clone(), d.span));
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
    let mut cx = Context::new(path, &source, options);
    cx.add_exercises(FileId::Main, doc);
    cx.definitions();
    cx.summarise_unreported(path);
    super::diagnostic::dedup(&mut cx.diagnostics);
    cx.diagnostics.sort_by_key(|d| d.span);
    cx.diagnostics
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

/// One file being checked: its text, its value map and where its findings go.
struct FileCx {
    path: PathBuf,
    source: String,
    map: SourceMap,
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

struct Context {
    root: PathBuf,
    options: LoadOptions,
    /// The file being checked: the routine, or the exercises file `check` was given.
    main: FileCx,
    /// The exercise files the routine includes, in the order of `include`.
    included: Vec<FileCx>,
    exercises: BTreeMap<String, Definition>,
    diagnostics: Vec<Diagnostic>,
    checked_media: HashMap<PathBuf, Result<(), String>>,
    /// Errors and warnings past [`MAX_FINDINGS`], counted but not kept.
    unreported: (usize, usize),
}

impl Context {
    fn new(origin: &Path, source: &str, options: LoadOptions) -> Self {
        let root = folder_of(origin);
        let main = FileCx {
            path: origin.to_path_buf(),
            source: source.to_owned(),
            map: SourceMap::build(source),
        };
        Self {
            root,
            options,
            main,
            included: Vec::new(),
            exercises: BTreeMap::new(),
            diagnostics: Vec::new(),
            checked_media: HashMap::new(),
            unreported: (0, 0),
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
        // A hostile file can make a finding per step: past the cap, count them only.
        if self.diagnostics.len() >= MAX_FINDINGS {
            match severity {
                Severity::Error => self.unreported.0 += 1,
                Severity::Warning => self.unreported.1 += 1,
            }
            return;
        }
        let cx = self.file(file);
        let span = cx.map.nearest(path);
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
        let count = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
        let message = format!(
            "{} more findings ({}, {}) are not shown",
            errors + warnings,
            count(errors, "error"),
            count(warnings, "warning")
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
        for (i, tag) in doc.tags.iter().enumerate() {
            self.text(FileId::Main, &root.field("tags").index(i), tag, true);
        }
        for (i, item) in doc.equipment.iter().enumerate() {
            self.text(FileId::Main, &root.field("equipment").index(i), item, true);
        }
        if let Some(safety) = &doc.safety {
            self.text(FileId::Main, &root.field("safety"), safety, false);
        }
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
            safety: doc.safety.clone(),
            lead_in,
            sections,
            sounds,
            content_hash,
        }
    }

    fn duplicate_keys(&mut self, file: FileId) {
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
    fn includes(&mut self, include: &[String]) {
        for (i, written) in include.iter().enumerate() {
            let path = ValuePath::ROOT.field("include").index(i);
            let Some(file) = self.resolve_path(FileId::Main, &path, written, Severity::Error)
            else {
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
                map: SourceMap::build(&source),
                source,
            });
            self.add_exercises(id, doc);
        }
    }

    /// Takes in the definitions of an exercises file (already added as `file`).
    fn add_exercises(&mut self, file: FileId, doc: ExercisesDoc) {
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

    /// Checks each exercise definition's own fields, where it is written.
    fn definitions(&mut self) {
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
            // Media of every definition, used or not, so a shared file is checked whole.
            self.illustration(file, &path, &doc);
            if let Some(written) = &doc.sound {
                self.sound(file, &path.field("sound"), written);
            }
        }
    }

    fn unused_definitions(&mut self) {
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

    fn section(
        &mut self,
        path: &ValuePath,
        doc: &SectionDoc,
        rest_between_sections: Duration,
        last: bool,
    ) -> Section {
        self.text(FileId::Main, &path.field("title"), &doc.title, true);
        if let Some(note) = &doc.note {
            self.text(FileId::Main, &path.field("note"), note, false);
        }
        let rounds = doc.rounds.map_or(1, |r| r.value);
        if rounds == 0 {
            self.error(
                FileId::Main,
                &path.field("rounds"),
                "a section needs at least one round",
                Some("remove `rounds` for a single round".to_owned()),
            );
        }
        if doc.steps.is_empty() {
            self.error(
                FileId::Main,
                &path.field("steps"),
                format!("the section \"{}\" has no steps", doc.title.trim()),
                Some("add a step, or remove the section".to_owned()),
            );
        }
        let mut steps = Vec::new();
        for (i, step) in doc.steps.iter().enumerate() {
            let step_path = path.field("steps").index(i);
            if let Some(step) = self.step(&step_path, step) {
                steps.push(step);
            }
        }
        let rest_after = if last {
            Duration::ZERO
        } else {
            doc.rest_after.map_or(rest_between_sections, |r| r.timer)
        };
        Section {
            title: doc.title.trim().to_owned(),
            note: doc.note.clone(),
            rounds: rounds.max(1),
            rest_between_rounds: doc.rest_between_rounds.map_or(Duration::ZERO, |r| r.timer),
            rest_after,
            steps,
        }
    }

    /// Checks one step and merges its exercise into it.
    fn step(&mut self, path: &ValuePath, doc: &StepDoc) -> Option<Step> {
        self.step_fields(FileId::Main, path, doc);
        // Fields the step leaves out come from its exercise; media resolve from its file.
        let (base, base_file, base_path) = match &doc.exercise {
            Some(id) => match self.exercises.get_mut(id.as_str()) {
                Some(definition) => {
                    definition.used = true;
                    (
                        definition.doc.clone(),
                        definition.file,
                        definition.path.clone(),
                    )
                }
                None => {
                    let known: Vec<&str> = self.exercises.keys().map(String::as_str).collect();
                    let hint = match closest(id, known) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "define it under `exercises`, or include the file that defines it"
                            .to_owned(),
                    };
                    self.error(
                        FileId::Main,
                        &path.field("exercise"),
                        format!("no exercise has the id `{id}`"),
                        Some(hint),
                    );
                    return None;
                }
            },
            None => (StepDoc::default(), FileId::Main, path.clone()),
        };
        // The file and value path a merged field comes from, for media and messages.
        let origin = |own: bool| {
            if own {
                (FileId::Main, path.clone())
            } else {
                (base_file, base_path.clone())
            }
        };
        let name = doc.name.clone().or(base.name.clone());
        let Some(name) = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) else {
            self.error(
                FileId::Main,
                path,
                "the step has no name",
                Some("add `name: \"…\"`, or use an exercise that has one".to_owned()),
            );
            return None;
        };
        let work = self.work(path, doc, &base)?;
        if doc.suggested_time.is_some() && !matches!(work, Work::UntilDone { .. }) {
            self.warning(
                FileId::Main,
                &path.field("suggested_time"),
                "`suggested_time` is used only by steps that wait for Done",
                Some("add `until_done: true`, or use `time`".to_owned()),
            );
        }
        let sides = doc.sides.or(base.sides).unwrap_or_default();
        let instruction = doc.instruction.clone().or(base.instruction.clone());
        if instruction.is_none() {
            self.warning(
                FileId::Main,
                path,
                format!("the step \"{name}\" has no instruction"),
                Some("add `instruction: \"…\"`: it is what the athlete hears".to_owned()),
            );
        }
        let (image_file, image_path) = origin(doc.image.is_some() || doc.frames.is_some());
        let illustration_doc = if doc.image.is_some() || doc.frames.is_some() {
            doc
        } else {
            &base
        };
        let mut illustration = self.illustration(image_file, &image_path, illustration_doc);
        // A step may change just the pace of its exercise's animation.
        if let (Some(Illustration::Frames { frame_time, .. }), Some(own)) =
            (&mut illustration, doc.frame_time)
        {
            *frame_time = own.timer;
        }
        if illustration.is_none()
            && illustration_doc.image.is_none()
            && illustration_doc.frames.is_none()
        {
            self.warning(
                FileId::Main,
                path,
                format!("the step \"{name}\" has no illustration"),
                Some("add `image: \"images/….png\"`: a placeholder shows meanwhile".to_owned()),
            );
        }
        let (sound_file, sound_path) = origin(doc.sound.is_some());
        let sound = doc
            .sound
            .as_ref()
            .or(base.sound.as_ref())
            .and_then(|written| {
                let at = sound_path.field("sound");
                self.sound(sound_file, &at, written)
            });
        let secs = |own: Option<Secs>, inherited: Option<Secs>| own.or(inherited).map(|s| s.timer);
        Some(Step {
            exercise: doc.exercise.clone(),
            name,
            instruction,
            details: doc.details.clone().or(base.details.clone()),
            cues: doc.cues.clone().or(base.cues.clone()).unwrap_or_default(),
            muscles: doc
                .muscles
                .clone()
                .or(base.muscles.clone())
                .unwrap_or_default(),
            equipment: doc
                .equipment
                .clone()
                .or(base.equipment.clone())
                .unwrap_or_default(),
            work,
            effort: doc.effort.clone().or(base.effort.clone()),
            sides,
            switch_pause: if sides == Sides::Both {
                secs(doc.switch_pause, base.switch_pause).unwrap_or(DEFAULT_SWITCH_PAUSE)
            } else {
                Duration::ZERO
            },
            sets: doc.sets.or(base.sets).map_or(1, |s| s.value).max(1),
            rest_between_sets: secs(doc.rest_between_sets, base.rest_between_sets)
                .unwrap_or_default(),
            rest_after: secs(doc.rest_after, base.rest_after).unwrap_or_default(),
            illustration,
            mirror: doc.mirror.or(base.mirror).unwrap_or(false),
            sound,
            say: doc.say.clone().or(base.say.clone()),
        })
    }

    /// The step's work, from its own fields or its exercise's: exactly one kind.
    fn work(&mut self, path: &ValuePath, doc: &StepDoc, base: &StepDoc) -> Option<Work> {
        // A step that sets any work field replaces the exercise's work as a whole.
        let own = doc.time.is_some() || doc.reps.is_some() || doc.until_done.is_some();
        let w = if own { doc } else { base };
        let until_done = w.until_done.unwrap_or(false);
        // The secondary fields merge one by one, so a step can change just the pace.
        // A step that gives its own `time` asks for a timed step: the exercise's pace does
        // not come with it.
        let rep_time = doc
            .rep_time
            .or(base.rep_time.filter(|_| doc.time.is_none()));
        let suggested = doc.suggested_time.or(base.suggested_time);
        let hint_kinds = "give `time: \"30 s\"`, `reps: 10` (with `rep_time` for paced reps) or `until_done: true`";
        match (w.time, w.reps, until_done) {
            (_, _, true) if w.time.is_some() => {
                self.error(
                    FileId::Main,
                    &path.field("time"),
                    "a step that waits for Done has no fixed time",
                    Some("write `suggested_time` instead of `time`".to_owned()),
                );
                None
            }
            (_, reps, true) => Some(Work::UntilDone { suggested, reps }),
            (Some(_), Some(_), false) if rep_time.is_some() => {
                self.error(FileId::Main, &path.field("rep_time"), "a paced step takes its time from `reps` × `rep_time`; `time` cannot be given too", Some("remove `time`, or remove `rep_time`".to_owned()));
                None
            }
            (Some(time), reps, false) => Some(Work::Timed { time, reps }),
            (None, Some(reps), false) => match rep_time {
                Some(rep_time) => {
                    if rep_time.timer * reps.value > MAX_DURATION {
                        self.error(
                            FileId::Main,
                            &path.field("reps"),
                            "reps × rep_time is longer than the 2 hour limit",
                            None,
                        );
                        return None;
                    }
                    Some(Work::Paced { reps, rep_time })
                }
                None => Some(Work::UntilDone {
                    suggested,
                    reps: Some(reps),
                }),
            },
            (None, None, false) => {
                self.error(
                    FileId::Main,
                    path,
                    "the step does not say how long or how many",
                    Some(hint_kinds.to_owned()),
                );
                None
            }
        }
    }

    /// Field-level checks of a step or an exercise definition, where it is written.
    fn step_fields(&mut self, file: FileId, path: &ValuePath, doc: &StepDoc) {
        let at = |name: &str| path.field(name);
        if let Some(name) = &doc.name {
            self.text(file, &at("name"), name, true);
        }
        for (field, text) in [
            ("instruction", &doc.instruction),
            ("details", &doc.details),
            ("effort", &doc.effort),
            ("say", &doc.say),
        ] {
            if let Some(text) = text {
                self.text(file, &at(field), text, false);
            }
        }
        for (field, list) in [
            ("cues", &doc.cues),
            ("muscles", &doc.muscles),
            ("equipment", &doc.equipment),
        ] {
            for (i, text) in list.iter().flatten().enumerate() {
                self.text(file, &at(field).index(i), text, true);
            }
        }
        for (field, value) in [
            ("time", doc.time),
            ("rep_time", doc.rep_time),
            ("frame_time", doc.frame_time),
        ] {
            if value.is_some_and(|v| v.timer.is_zero()) {
                self.error(
                    file,
                    &at(field),
                    format!("`{field}` must be longer than zero"),
                    Some("rest may be zero; work may not".to_owned()),
                );
            }
        }
        for (field, value) in [("reps", doc.reps), ("sets", doc.sets)] {
            if value.is_some_and(|v| v.value == 0) {
                self.error(
                    file,
                    &at(field),
                    format!("`{field}` must be at least 1"),
                    None,
                );
            }
        }
        if doc.image.is_some() && doc.frames.is_some() {
            self.error(
                file,
                &at("frames"),
                "a step has either `image` or `frames`, not both",
                Some("keep one of them".to_owned()),
            );
        }
        if doc.frames.as_ref().is_some_and(Vec::is_empty) {
            self.error(
                file,
                &at("frames"),
                "`frames` is empty",
                Some("list at least two images, or use `image`".to_owned()),
            );
        }
    }

    fn illustration(
        &mut self,
        file: FileId,
        path: &ValuePath,
        doc: &StepDoc,
    ) -> Option<Illustration> {
        if let Some(written) = &doc.image {
            let at = path.field("image");
            let resolved = self.media(file, &at, written, true)?;
            return Some(Illustration::Image { path: resolved });
        }
        let frames = doc.frames.as_ref().filter(|f| !f.is_empty())?;
        let paths: Vec<PathBuf> = frames
            .iter()
            .enumerate()
            .filter_map(|(i, written)| {
                let at = path.field("frames").index(i);
                self.media(file, &at, written, true)
            })
            .collect();
        (!paths.is_empty()).then(|| Illustration::Frames {
            paths,
            frame_time: doc.frame_time.map_or(Duration::from_secs(1), |f| f.timer),
        })
    }

    fn sound(&mut self, file: FileId, at: &ValuePath, written: &str) -> Option<PathBuf> {
        self.media(file, at, written, false)
    }

    /// Resolves and checks a media file. A missing or unreadable one is a warning (the
    /// routine still plays); an unsafe path is an error.
    fn media(
        &mut self,
        file: FileId,
        at: &ValuePath,
        written: &str,
        is_image: bool,
    ) -> Option<PathBuf> {
        let path = self.resolve_path(file, at, written, Severity::Warning)?;
        let check = self.options.media;
        let result = self
            .checked_media
            .entry(path.clone())
            .or_insert_with(|| {
                if is_image {
                    media::check_image(&path, check)
                } else {
                    media::check_sound(&path, check)
                }
            })
            .clone();
        match result {
            Ok(()) => Some(path),
            Err(reason) => {
                self.warning(
                    file,
                    at,
                    format!("`{written}`: {reason}"),
                    Some("replace the file; a placeholder shows meanwhile".to_owned()),
                );
                Some(path)
            }
        }
    }

    /// Resolves a written path inside the routine's folder; reports why not otherwise.
    fn resolve_path(
        &mut self,
        file: FileId,
        at: &ValuePath,
        written: &str,
        missing: Severity,
    ) -> Option<PathBuf> {
        let base = self
            .file(file)
            .path
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        match media::resolve(&self.root, &base, written) {
            Ok(path) => Some(path),
            Err(error @ PathError::Missing(_)) => {
                let hint = Some(
                    "check the spelling; paths are relative to the file that names them".to_owned(),
                );
                self.report(file, missing, at, error.to_string(), hint);
                None
            }
            Err(error) => {
                let hint = Some("keep media in the routine's folder and name it relatively, like `images/x.png`".to_owned());
                self.error(file, at, error.to_string(), hint);
                None
            }
        }
    }

    fn cue_sounds(&mut self, doc: &RoutineDoc) -> CueSounds {
        let mut sounds = CueSounds::default();
        for (name, written) in doc.sounds.entries() {
            let at = ValuePath::ROOT.field("sounds").field(name);
            let path = self.sound(FileId::Main, &at, written);
            let slot = match name {
                "start" => &mut sounds.start,
                "countdown" => &mut sounds.countdown,
                "switch" => &mut sounds.switch,
                "halfway" => &mut sounds.halfway,
                "rep" => &mut sounds.rep,
                _ => &mut sounds.finish,
            };
            *slot = path;
        }
        sounds
    }

    /// Text checks: no control or direction-override characters; names short and non-empty.
    fn text(&mut self, file: FileId, at: &ValuePath, text: &str, is_name: bool) {
        if let Some(c) = text.chars().find(|&c| {
            (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) || is_zero_width(c)
        }) {
            self.error(
                file,
                at,
                format!(
                    "the text contains the invisible character U+{:04X}",
                    u32::from(c)
                ),
                Some("retype the text; it may have been pasted from elsewhere".to_owned()),
            );
        }
        if is_name && text.trim().is_empty() {
            self.error(file, at, "the text is empty", None);
        }
        if is_name && text.chars().count() > MAX_NAME_CHARS {
            self.warning(file, at, format!("the text is longer than {MAX_NAME_CHARS} characters and will be cut off on screen"), None);
        }
    }
}

/// Characters that reorder text invisibly (the "Trojan Source" set).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Zero-width space, word joiner and byte-order mark: they make two names that look the
/// same differ. (The zero-width joiner and non-joiner are left alone: emoji sequences and
/// Persian script need them.)
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The folder of a file; `.` for a bare file name (`check hips.ron` in its own folder).
fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// The id of the routine in `path`: its file name without `.ron`.
#[must_use]
pub fn routine_id(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}
