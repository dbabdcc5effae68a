//! Levels: the checks of a step's or an exercise's `levels`, and the layers a level is
//! merged through (a level's fields over the step or exercise it belongs to).

use crate::routine::MAX_LEVELS;
use crate::routine::format::StepDoc;
use crate::routine::source_map::ValuePath;

use super::{Context, FileId};

/// Fields from one place, on their way into a step: the step as written (a level of its
/// own merged in), or its exercise (a level of the exercise merged in).
#[derive(Clone)]
pub(super) struct Layer {
    /// The fields.
    pub doc: StepDoc,
    /// The file they are written in.
    pub file: FileId,
    /// Where findings about the work go.
    pub path: ValuePath,
    /// Where the picture is written (a level's, when it sets one).
    pub media: ValuePath,
    /// Where the sound is written.
    pub sound: ValuePath,
}

impl Layer {
    /// The fields of a step or exercise written at `path` in the main file.
    pub(super) fn plain(doc: StepDoc, path: &ValuePath) -> Self {
        Self {
            doc,
            file: FileId::Main,
            path: path.clone(),
            media: path.clone(),
            sound: path.clone(),
        }
    }

    /// This layer with `level` (written at `at`) over it.
    pub(super) fn under(&self, level: &StepDoc, at: &ValuePath) -> Self {
        let picture = level.image.is_some() || level.frames.is_some();
        Self {
            doc: overlay(level, &self.doc),
            file: self.file,
            path: if sets_work(level) {
                at.clone()
            } else {
                self.path.clone()
            },
            media: if picture {
                at.clone()
            } else {
                self.media.clone()
            },
            sound: if level.sound.is_some() {
                at.clone()
            } else {
                self.sound.clone()
            },
        }
    }
}

/// Whether a step, exercise or level says what the work is (and so replaces the work below).
fn sets_work(doc: &StepDoc) -> bool {
    doc.time.is_some() || doc.reps.is_some() || doc.until_done.is_some()
}

/// `top`'s fields over `under`'s, as a step's over its exercise's: the work as a whole, the
/// picture as a whole, every other field one by one.
fn overlay(top: &StepDoc, under: &StepDoc) -> StepDoc {
    let work = if sets_work(top) { top } else { under };
    let picture = if top.image.is_some() || top.frames.is_some() {
        top
    } else {
        under
    };
    let pick = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
    let list = |a: &Option<Vec<String>>, b: &Option<Vec<String>>| a.clone().or_else(|| b.clone());
    StepDoc {
        exercise: under.exercise.clone(),
        name: pick(&top.name, &under.name),
        instruction: pick(&top.instruction, &under.instruction),
        details: pick(&top.details, &under.details),
        cues: list(&top.cues, &under.cues),
        muscles: list(&top.muscles, &under.muscles),
        equipment: list(&top.equipment, &under.equipment),
        time: work.time,
        reps: work.reps,
        rep_time: top
            .rep_time
            .or(under.rep_time.filter(|_| top.time.is_none())),
        until_done: work.until_done,
        suggested_time: top.suggested_time.or(under.suggested_time),
        effort: pick(&top.effort, &under.effort),
        setup: pick(&top.setup, &under.setup),
        partner: pick(&top.partner, &under.partner),
        distance: top.distance.or(under.distance),
        sides: top.sides.or(under.sides),
        set_order: top.set_order.or(under.set_order),
        switch_pause: top.switch_pause.or(under.switch_pause),
        sets: top.sets.or(under.sets),
        rest_between_sets: top.rest_between_sets.or(under.rest_between_sets),
        rest_after: top.rest_after.or(under.rest_after),
        image: picture.image.clone(),
        frames: picture.frames.clone(),
        frame_time: top.frame_time.or(under.frame_time),
        mirror: top.mirror.or(under.mirror),
        sound: pick(&top.sound, &under.sound),
        say: pick(&top.say, &under.say),
        room_to_speak: top.room_to_speak.or(under.room_to_speak),
        levels: None,
        progression: None,
    }
}

/// Whether a level sets anything but its progression text.
fn changes_something(level: &StepDoc) -> bool {
    let bare = StepDoc {
        progression: level.progression.clone(),
        ..StepDoc::default()
    };
    // Compared through RON, which leaves out every field not set.
    ron::to_string(level).ok() != ron::to_string(&bare).ok()
}

impl Context {
    /// The checks of a step's or an exercise's `levels` (and of `progression` outside one),
    /// where they are written.
    pub(super) fn level_fields(&mut self, file: FileId, path: &ValuePath, doc: &StepDoc) {
        if doc.progression.is_some() {
            self.error(
                file,
                &path.field("progression"),
                "`progression` belongs in a level",
                Some("move it into one of the step's `levels`".to_owned()),
            );
        }
        let Some(levels) = &doc.levels else {
            return;
        };
        let at = path.field("levels");
        match levels.len() {
            0 => self.error(
                file,
                &at,
                "`levels` is empty",
                Some("list at least two levels, or remove `levels`".to_owned()),
            ),
            1 => self.warning(
                file,
                &at,
                "a step with one level has nothing to choose",
                Some("add the next level, or write its fields in the step".to_owned()),
            ),
            n if n > MAX_LEVELS => self.error(
                file,
                &at,
                format!("a step has at most {MAX_LEVELS} levels; this one has {n}"),
                Some("keep the levels athletes use, or make two exercises".to_owned()),
            ),
            _ => {}
        }
        for (i, level) in levels.iter().enumerate() {
            let level_path = at.index(i);
            self.step_fields(file, &level_path, level);
            if let Some(progression) = &level.progression {
                self.text(file, &level_path.field("progression"), progression, false);
            }
            if level.exercise.is_some() {
                self.error(
                    file,
                    &level_path.field("exercise"),
                    "a level cannot use another exercise",
                    Some(
                        "write the fields that change, or swap the exercise in a variant"
                            .to_owned(),
                    ),
                );
            }
            if level.levels.is_some() {
                self.error(
                    file,
                    &level_path.field("levels"),
                    "a level cannot have levels of its own",
                    Some("list every level in the step's one `levels`".to_owned()),
                );
            }
            if i > 0 && !changes_something(level) {
                self.warning(
                    file,
                    &level_path,
                    format!("level {} changes nothing", i + 1),
                    Some(
                        "say what changes at this level (`name`, `time`, `reps`, …), or \
                         remove it"
                            .to_owned(),
                    ),
                );
            }
        }
    }
}
