//! Sections and steps: rounds, empty sections, each step's work (exactly one kind, and
//! never zero), and the merge of an exercise definition into the steps that use it.

use std::time::Duration;

use crate::routine::format::{SectionDoc, Sides, StepDoc};
use crate::routine::quantity::{Count, CountUnit, MAX_DURATION, Secs};
use crate::routine::source_map::ValuePath;
use crate::routine::{Illustration, Level, Section, Step, Work};

use super::super::DEFAULT_SWITCH_PAUSE;
use super::levels::Layer;
use super::{Context, FileId};

/// How [`Context::resolve`] merges a step at one of its levels.
#[derive(Clone, Copy)]
struct Resolving {
    /// Report a missing instruction or picture (once per step, not once per level).
    warn: bool,
    /// The step is in a section played on each side, which gives it its side.
    two_sided: bool,
}

impl Context {
    pub(super) fn section(
        &mut self,
        path: &ValuePath,
        doc: &SectionDoc,
        rest_between_sections: Duration,
        last: bool,
    ) -> Section {
        self.text(FileId::Main, &path.field("title"), &doc.title, true);
        for (field, text) in [("note", &doc.note), ("setup", &doc.setup)] {
            if let Some(text) = text {
                self.text(FileId::Main, &path.field(field), text, false);
            }
        }
        self.plain_count(FileId::Main, &path.field("rounds"), "rounds", doc.rounds);
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
        let sides = self.section_sides(path, doc);
        let mut steps = Vec::new();
        for (i, step) in doc.steps.iter().enumerate() {
            let step_path = path.field("steps").index(i);
            if let Some(step) = self.step(&step_path, step, sides == Sides::Both) {
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
            setup: doc.setup.as_deref().map(str::trim).map(str::to_owned),
            rounds: rounds.max(1),
            rest_between_rounds: doc.rest_between_rounds.map_or(Duration::ZERO, |r| r.timer),
            rest_after,
            sides,
            switch_pause: if sides == Sides::Both {
                doc.switch_pause.map_or(DEFAULT_SWITCH_PAUSE, |p| p.timer)
            } else {
                Duration::ZERO
            },
            steps,
        }
    }

    /// A section's `sides`: `Both` (played once on each side) or `Neither`.
    fn section_sides(&mut self, path: &ValuePath, doc: &SectionDoc) -> Sides {
        let sides = doc.sides.unwrap_or_default();
        if matches!(sides, Sides::Left | Sides::Right | Sides::Alternating) {
            self.error(
                FileId::Main,
                &path.field("sides"),
                format!("a section is played on each side with `sides: Both`; `sides: {sides:?}` is for a step"),
                Some("write `sides: Both` to play every step on the left, then on the right, or move `sides` to the steps".to_owned()),
            );
        }
        if doc.switch_pause.is_some() && sides != Sides::Both {
            self.warning(
                FileId::Main,
                &path.field("switch_pause"),
                "`switch_pause` on a section is used only with `sides: Both`",
                Some("add `sides: Both` to the section, or remove `switch_pause`".to_owned()),
            );
        }
        if sides == Sides::Both {
            for (i, step) in doc.steps.iter().enumerate() {
                if let Some(own) = step.sides.filter(|s| *s != Sides::Neither) {
                    self.error(
                        FileId::Main,
                        &path.field("steps").index(i).field("sides"),
                        format!("this step is in a section played on each side, so it cannot have its own `sides: {own:?}`"),
                        Some("remove `sides` from the step: the section plays all its steps on the left, then all on the right".to_owned()),
                    );
                }
            }
            Sides::Both
        } else {
            Sides::Neither
        }
    }

    /// Checks one step and merges its exercise into it, at every level it has. In a section
    /// played on each side (`two_sided`) the section gives the side, so the step's own is
    /// `Neither`.
    pub(super) fn step(
        &mut self,
        path: &ValuePath,
        doc: &StepDoc,
        two_sided: bool,
    ) -> Option<Step> {
        self.step_fields(FileId::Main, path, doc);
        self.level_fields(FileId::Main, path, doc);
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
                    if let Some((message, hint)) = self.unknown_exercise(id) {
                        self.error(FileId::Main, &path.field("exercise"), message, Some(hint));
                    }
                    return None;
                }
            },
            None => (StepDoc::default(), FileId::Main, path.clone()),
        };
        let own = Layer::plain(doc.clone(), path);
        let base = Layer {
            file: base_file,
            ..Layer::plain(base, &base_path)
        };
        // The step's own levels replace its exercise's; a level's fields win over the
        // layer it belongs to.
        let levels = match (&doc.levels, &base.doc.levels) {
            (Some(levels), _) => levels
                .iter()
                .enumerate()
                .map(|(i, level)| (level.clone(), true, path.field("levels").index(i)))
                .collect(),
            (None, Some(levels)) => levels
                .iter()
                .enumerate()
                .map(|(i, level)| (level.clone(), false, base_path.field("levels").index(i)))
                .collect(),
            (None, None) => Vec::new(),
        };
        if levels.is_empty() {
            return self.resolve(
                path,
                &own,
                &base,
                Resolving {
                    warn: true,
                    two_sided,
                },
            );
        }
        let mut resolved = Vec::new();
        for (i, (level, of_step, at)) in levels.into_iter().enumerate() {
            let (own, base) = if of_step {
                (own.under(&level, &at), base.clone())
            } else {
                (own.clone(), base.under(&level, &at))
            };
            let how = Resolving {
                warn: i == 0,
                two_sided,
            };
            let step = self.resolve(path, &own, &base, how)?;
            resolved.push(Level {
                progression: level.progression.clone(),
                step,
            });
        }
        let mut first = resolved.first()?.step.clone();
        first.levels = resolved;
        Some(first)
    }

    /// Merges `own` over `base` into a step, as [`Resolving`] says.
    fn resolve(
        &mut self,
        path: &ValuePath,
        own: &Layer,
        base: &Layer,
        Resolving { warn, two_sided }: Resolving,
    ) -> Option<Step> {
        let (doc, base_doc) = (&own.doc, &base.doc);
        let name = doc.name.clone().or(base_doc.name.clone());
        let Some(name) = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) else {
            self.error(
                FileId::Main,
                path,
                "the step has no name",
                Some("add `name: \"…\"`, or use an exercise that has one".to_owned()),
            );
            return None;
        };
        let work = self.work(&own.path, doc, base_doc)?;
        if warn
            && matches!(
                work,
                Work::UntilDone {
                    suggested: None,
                    ..
                }
            )
        {
            self.unknown_length(own, base);
        }
        if doc.suggested_time.is_some() && !matches!(work, Work::UntilDone { .. }) {
            self.warning(
                FileId::Main,
                &own.path.field("suggested_time"),
                "`suggested_time` is used only by steps that wait for Done",
                Some("add `until_done: true`, or use `time`".to_owned()),
            );
        }
        let sides = if two_sided {
            Sides::Neither
        } else {
            doc.sides.or(base_doc.sides).unwrap_or_default()
        };
        let sets = doc.sets.or(base_doc.sets).map_or(1, |s| s.value).max(1);
        if sides == Sides::Alternating {
            // The work (and so `reps`) comes from the step when it writes any of it.
            let from = |layer: &Layer| (layer.file, layer.path.clone());
            let sides_at = if doc.sides.is_some() { own } else { base };
            let own_work = doc.time.is_some() || doc.reps.is_some() || doc.until_done.is_some();
            let reps_at = if own_work { own } else { base };
            self.alternating(from(sides_at), from(reps_at), &work);
        }
        if doc.set_order.is_some() && (sides != Sides::Both || sets == 1) {
            self.warning(
                FileId::Main,
                &own.path.field("set_order"),
                "`set_order` is used only by a step with `sides: Both` and more than one set",
                Some("remove `set_order`, or give the step `sides: Both` and `sets`".to_owned()),
            );
        }
        let instruction = doc.instruction.clone().or(base_doc.instruction.clone());
        if let (Some(text), true) = (&instruction, warn) {
            let layer = if doc.instruction.is_some() { own } else { base };
            self.template_instruction(layer.file, &layer.path.field("instruction"), &name, text);
        }
        if instruction.is_none() && warn {
            self.warning(
                FileId::Main,
                path,
                format!("the step \"{name}\" has no instruction"),
                Some("add `instruction: \"…\"`: it is what the athlete hears".to_owned()),
            );
        }
        let own_picture = doc.image.is_some() || doc.frames.is_some();
        let (picture, picture_doc) = if own_picture {
            (own, doc)
        } else {
            (base, base_doc)
        };
        let mut illustration = self.illustration(picture.file, &picture.media, picture_doc);
        // A step may change just the pace of its exercise's animation.
        if let (Some(Illustration::Frames { frame_time, .. }), Some(own)) =
            (&mut illustration, doc.frame_time)
        {
            *frame_time = own.timer;
        }
        if illustration.is_none()
            && picture_doc.image.is_none()
            && picture_doc.frames.is_none()
            && warn
        {
            self.warning(
                FileId::Main,
                path,
                format!("the step \"{name}\" has no illustration"),
                Some("add `image: \"images/….png\"`: a placeholder shows meanwhile".to_owned()),
            );
        }
        let sound_layer = if doc.sound.is_some() { own } else { base };
        let sound = sound_layer.doc.sound.as_ref().and_then(|written| {
            let at = sound_layer.sound.field("sound");
            self.sound(sound_layer.file, &at, written)
        });
        let secs = |own: Option<Secs>, inherited: Option<Secs>| own.or(inherited).map(|s| s.timer);
        Some(Step {
            exercise: own.doc.exercise.clone(),
            name,
            instruction,
            details: doc.details.clone().or(base_doc.details.clone()),
            cues: doc
                .cues
                .clone()
                .or(base_doc.cues.clone())
                .unwrap_or_default(),
            muscles: doc
                .muscles
                .clone()
                .or(base_doc.muscles.clone())
                .unwrap_or_default(),
            equipment: doc
                .equipment
                .clone()
                .or(base_doc.equipment.clone())
                .unwrap_or_default(),
            work,
            effort: doc.effort.clone().or(base_doc.effort.clone()),
            setup: doc.setup.clone().or(base_doc.setup.clone()),
            partner: doc.partner.clone().or(base_doc.partner.clone()),
            distance: doc.distance.or(base_doc.distance),
            sides,
            switch_pause: if sides == Sides::Both {
                secs(doc.switch_pause, base_doc.switch_pause).unwrap_or(DEFAULT_SWITCH_PAUSE)
            } else {
                Duration::ZERO
            },
            set_order: doc.set_order.or(base_doc.set_order).unwrap_or_default(),
            sets,
            rest_between_sets: secs(doc.rest_between_sets, base_doc.rest_between_sets)
                .unwrap_or_default(),
            rest_after: secs(doc.rest_after, base_doc.rest_after).unwrap_or_default(),
            illustration,
            mirror: doc.mirror.or(base_doc.mirror).unwrap_or(false),
            sound,
            say: doc.say.clone().or(base_doc.say.clone()),
            room_to_speak: doc.room_to_speak.or(base_doc.room_to_speak).unwrap_or(true),
            levels: Vec::new(),
            level: 1,
            position: 0,
        })
    }

    /// A step that waits for Done (`until_done: true`) without a `suggested_time`: the
    /// routine's total cannot be known. Said at its `until_done`, where the step or its
    /// exercise wrote it.
    fn unknown_length(&mut self, own: &Layer, base: &Layer) {
        let own_work =
            own.doc.time.is_some() || own.doc.reps.is_some() || own.doc.until_done.is_some();
        let layer = if own_work { own } else { base };
        // Reps without `rep_time` wait for Done too, but their count says how much.
        if layer.doc.until_done != Some(true) {
            return;
        }
        self.warning(
            layer.file,
            &layer.path.field("until_done"),
            "this step waits for Done and has no `suggested_time`, so the routine's length \
             cannot be known",
            Some(
                "add `suggested_time: \"1 min\"` (about how long it takes): the total time \
                 is shown from it"
                    .to_owned(),
            ),
        );
    }

    /// `sides: Alternating` needs reps to alternate, and an odd number works the left side
    /// once more. `sides_at` and `reps_at` are where the step or its exercise wrote them.
    fn alternating(
        &mut self,
        (sides_file, sides_at): (FileId, ValuePath),
        (reps_file, reps_at): (FileId, ValuePath),
        work: &Work,
    ) {
        let reps = match work {
            Work::Paced { reps, .. }
            | Work::UntilDone {
                reps: Some(reps), ..
            } => *reps,
            Work::Timed { .. } | Work::UntilDone { reps: None, .. } => {
                self.error(
                    sides_file,
                    &sides_at.field("sides"),
                    "`sides: Alternating` needs reps to alternate, and this step has none to count",
                    Some("give `reps` (with `rep_time` to pace them), or use `sides: Both` for a hold or a timed step".to_owned()),
                );
                return;
            }
        };
        if reps.value % 2 == 1 {
            self.warning(
                reps_file,
                &reps_at.field("reps"),
                format!(
                    "{} alternating reps work the left side once more than the right",
                    reps.value
                ),
                Some(
                    "give an even number of `reps`: they are shared out between the sides"
                        .to_owned(),
                ),
            );
        }
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
                    // A count per side on a step with no sides is done on both within it.
                    let sides = doc.sides.or(base.sides).unwrap_or_default();
                    if rep_time.timer * reps.in_one_go(sides == Sides::Neither) > MAX_DURATION {
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
    pub(super) fn step_fields(&mut self, file: FileId, path: &ValuePath, doc: &StepDoc) {
        let at = |name: &str| path.field(name);
        if let Some(name) = &doc.name {
            self.text(file, &at("name"), name, true);
        }
        for (field, text) in [
            ("instruction", &doc.instruction),
            ("details", &doc.details),
            ("effort", &doc.effort),
            ("setup", &doc.setup),
            ("partner", &doc.partner),
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
        self.plain_count(file, &at("sets"), "sets", doc.sets);
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

    /// `sets` and `rounds` count themselves: once, not per side, and not passes.
    fn plain_count(&mut self, file: FileId, at: &ValuePath, field: &str, count: Option<Count>) {
        let Some(count) = count else {
            return;
        };
        if count.per_side {
            self.error(
                file,
                at,
                format!("a count per side belongs in `reps`, not in `{field}`"),
                Some(format!(
                    "count the {field} once (`{field}: 2`) and write the reps per side: `reps: \"10 each side\"`"
                )),
            );
        } else if count.unit == CountUnit::Passes {
            self.error(
                file,
                at,
                format!("passes are counted in `reps`, not in `{field}`"),
                Some("write `reps: \"3 passes\"`".to_owned()),
            );
        }
    }
}
