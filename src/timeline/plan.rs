//! Planning: a routine expands into a flat list of segments with planned offsets.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::speech::{DoneSteps, Language, PlanOptions, Voice};
use crate::routine::{Count, Routine, Section, SetOrder, Sides, Step, Work};

/// The lead-in the app uses when neither the routine nor the settings say otherwise.
pub const DEFAULT_LEAD_IN: Duration = Duration::from_secs(3);

/// A side of the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Left.
    Left,
    /// Right.
    Right,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Left => "left",
            Self::Right => "right",
        })
    }
}

/// What a segment of the timeline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    /// "Get ready" before the first step.
    LeadIn,
    /// Work on a step (timed, paced, or waiting for Done).
    Work,
    /// The pause to change sides.
    Switch,
    /// Rest between sets, after a step, between rounds or sections.
    Rest,
    /// Time to get into position for the work after it while its words are said: added
    /// where the words would not fit before the work needs them.
    Position,
}

/// `k of n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Ordinal {
    /// 1-based.
    pub index: u32,
    /// How many in all.
    pub of: u32,
}

impl Ordinal {
    const ONE: Self = Self { index: 1, of: 1 };

    /// Whether there is more than one.
    #[must_use]
    pub fn is_counted(self) -> bool {
        self.of > 1
    }

    /// Whether this is the last of several.
    #[must_use]
    pub fn is_last(self) -> bool {
        self.index == self.of
    }
}

impl fmt::Display for Ordinal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {}", self.index, self.of)
    }
}

/// Where a segment's step sits in the routine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StepRef {
    /// Section index.
    pub section: usize,
    /// Step index within the section.
    pub step: usize,
}

/// One stretch of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// Its index in the plan.
    pub index: usize,
    /// What it is.
    pub kind: SegmentKind,
    /// The section it belongs to.
    pub section: usize,
    /// For work and switch segments, the step.
    pub step: Option<StepRef>,
    /// The side worked, for per-side steps.
    pub side: Option<Side>,
    /// The reps alternate sides rep by rep, left first (`sides: Alternating`).
    pub alternating: bool,
    /// Work that starts on the other side straight after work on the first, with no switch
    /// pause between (`switch_pause: 0`): "Switch sides." is said as it starts.
    pub switch_cue: bool,
    /// Set k of n.
    pub set: Ordinal,
    /// Round k of n of the section.
    pub round: Ordinal,
    /// Rep count shown with the step.
    pub reps: Option<Count>,
    /// Seconds per rep, for paced steps.
    pub rep_time: Option<Duration>,
    /// Planned length; `None` for a step that waits for Done.
    pub duration: Option<Duration>,
    /// Planned length, with a Done-step at its suggested time.
    pub estimate: Duration,
    /// Planned start from the beginning of the routine (Done-steps at their estimate).
    pub offset: Duration,
    /// What the screen shows as its title ("Kneeling hip flexor stretch", "Rest").
    pub title: String,
    /// The next work segment after this one, for "next: …".
    pub next_work: Option<usize>,
    /// For a Done-step that moves on by itself: when, from its start (its suggested time
    /// plus the margin; see [`DoneSteps`]). Pressing Done in the last
    /// [`MOVING_ON_BEFORE`](super::cue::MOVING_ON_BEFORE) keeps it waiting instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moves_on_after: Option<Duration>,
}

impl Segment {
    /// Whether the segment waits for the athlete to press Done.
    #[must_use]
    pub fn waits_for_done(&self) -> bool {
        self.duration.is_none()
    }

    /// How long it runs if the athlete does nothing: its length, or when a Done-step moves
    /// on by itself; `None` for a Done-step that waits.
    #[must_use]
    pub fn runs_for(&self) -> Option<Duration> {
        self.duration.or(self.moves_on_after)
    }

    /// How many reps the segment holds: its count, or twice a count per side when the
    /// segment works no one side (`sides: Neither`), since both sides are done within it.
    #[must_use]
    pub fn reps_in_one_go(&self) -> Option<u32> {
        self.reps.map(|r| r.in_one_go(self.side.is_none()))
    }
}

/// The whole routine laid out in time.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// The routine, shared with whoever shows it.
    #[serde(skip)]
    pub routine: Arc<Routine>,
    /// The segments in order.
    pub segments: Vec<Segment>,
    /// What it was planned with (the voice's language is the routine's when it names one).
    pub options: PlanOptions,
}

/// A total that may include Done-steps counted at their suggested time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Total {
    /// The planned length.
    pub duration: Duration,
    /// Whether it includes Done-steps (so it is an estimate).
    pub estimated: bool,
}

impl std::fmt::Display for Total {
    /// `21:30`, or `~21:30` when it counts Done-steps at their suggested time.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tilde = if self.estimated { "~" } else { "" };
        write!(f, "{tilde}{}", crate::text::clock(self.duration))
    }
}

impl Plan {
    /// Lays out `routine` to be played without words, with `default_lead_in` before the
    /// first step unless the routine sets its own `lead_in` (zero means none).
    #[must_use]
    pub fn new(routine: Arc<Routine>, default_lead_in: Duration) -> Self {
        Self::with_options(routine, PlanOptions::silent(default_lead_in))
    }

    /// Lays out `routine` with `options`: the lead-in (unless the routine sets its own), the
    /// calls, and the voice (the routine's `language` overriding the voice's).
    #[must_use]
    pub fn with_options(routine: Arc<Routine>, mut options: PlanOptions) -> Self {
        // The routine's own language first; the voice speaks the plan's.
        options.language = routine.language.unwrap_or(options.language);
        if let Some(voice) = &mut options.voice {
            voice.language = options.language;
        }
        let mut builder = Builder {
            segments: Vec::new(),
        };
        let lead_in = routine.lead_in.unwrap_or(options.lead_in);
        if !lead_in.is_zero() {
            builder.push(
                SegmentKind::LeadIn,
                0,
                None,
                Some(lead_in),
                "Get ready".to_owned(),
            );
        }
        let sections = routine.sections.len();
        for (s, section) in routine.sections.iter().enumerate() {
            // A section played on each side: every step on the left, then on the right.
            let passes: &[Option<Side>] = match section.sides {
                Sides::Both => &[Some(Side::Left), Some(Side::Right)],
                _ => &[None],
            };
            for round in 1..=section.rounds {
                let round = Ordinal {
                    index: round,
                    of: section.rounds,
                };
                for &pass in passes {
                    for (i, step) in section.steps.iter().enumerate() {
                        let at = StepRef {
                            section: s,
                            step: i,
                        };
                        builder.step(section, at, step, round, pass);
                    }
                }
                if !round.is_last() {
                    builder.rest(s, section.rest_between_rounds);
                }
            }
            if s + 1 < sections {
                builder.rest(s, section.rest_after);
            }
        }
        builder.finish();
        let margin = match options.done_steps {
            DoneSteps::Wait => None,
            DoneSteps::AsRoutine => routine.auto_advance,
            DoneSteps::MoveOn => Some(routine.auto_advance.unwrap_or(options.done_margin)),
        };
        if let Some(margin) = margin {
            // Only a step with a suggested time knows when it should be over.
            for segment in &mut builder.segments {
                if segment.waits_for_done() && !segment.estimate.is_zero() {
                    segment.moves_on_after = Some(segment.estimate + margin);
                }
            }
        }
        let mut plan = Self {
            routine,
            segments: builder.segments,
            options,
        };
        super::script::make_room(&mut plan);
        plan
    }

    /// The voice it is spoken with, if any.
    #[must_use]
    pub fn voice(&self) -> Option<&Voice> {
        self.options.voice.as_ref()
    }

    /// The language its words are in, spoken or shown: the routine's, else the settings'.
    #[must_use]
    pub fn language(&self) -> Language {
        self.options.language
    }

    /// The step a segment works on.
    #[must_use]
    pub fn step(&self, segment: &Segment) -> Option<&Step> {
        let at = segment.step?;
        self.routine.sections.get(at.section)?.steps.get(at.step)
    }

    /// The planned length of the routine.
    #[must_use]
    pub fn total(&self) -> Total {
        total(&self.segments)
    }

    /// The planned length of each section, lead-in excluded.
    #[must_use]
    pub fn section_totals(&self) -> Vec<Total> {
        (0..self.routine.sections.len())
            .map(|s| {
                let segments: Vec<Segment> = self
                    .segments
                    .iter()
                    .filter(|seg| seg.section == s && seg.kind != SegmentKind::LeadIn)
                    .cloned()
                    .collect();
                total(&segments)
            })
            .collect()
    }

    /// The number of work segments.
    #[must_use]
    pub fn work_count(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| s.kind == SegmentKind::Work)
            .count()
    }
}

fn total(segments: &[Segment]) -> Total {
    Total {
        duration: segments.iter().map(|s| s.estimate).sum(),
        estimated: segments.iter().any(Segment::waits_for_done),
    }
}

struct Builder {
    segments: Vec<Segment>,
}

/// The sets and sides of a step in the order they are worked: left and right in each set
/// (`SetOrder::Alternating`), or every set on the left, then every set on the right
/// (`SetOrder::Blocked`). In a section played on each side, the pass's side only.
fn pieces(step: &Step, pass: Option<Side>) -> Vec<(Ordinal, Option<Side>)> {
    let sides: &[Option<Side>] = match (pass, step.sides) {
        (Some(Side::Left), _) | (None, Sides::Left) => &[Some(Side::Left)],
        (Some(Side::Right), _) | (None, Sides::Right) => &[Some(Side::Right)],
        (None, Sides::Both) => &[Some(Side::Left), Some(Side::Right)],
        (None, Sides::Neither | Sides::Alternating) => &[None],
    };
    let sets = (1..=step.sets).map(|index| Ordinal {
        index,
        of: step.sets,
    });
    match step.set_order {
        SetOrder::Blocked => sides
            .iter()
            .flat_map(|&side| sets.clone().map(move |set| (set, side)))
            .collect(),
        SetOrder::Alternating => sets
            .flat_map(|set| sides.iter().map(move |&side| (set, side)))
            .collect(),
    }
}

impl Builder {
    fn push(
        &mut self,
        kind: SegmentKind,
        section: usize,
        step: Option<StepRef>,
        duration: Option<Duration>,
        title: String,
    ) -> &mut Segment {
        let index = self.segments.len();
        self.segments.push(Segment {
            index,
            kind,
            section,
            step,
            side: None,
            alternating: false,
            switch_cue: false,
            set: Ordinal::ONE,
            round: Ordinal::ONE,
            reps: None,
            rep_time: None,
            duration,
            estimate: duration.unwrap_or_default(),
            offset: Duration::ZERO,
            title,
            next_work: None,
            moves_on_after: None,
        });
        &mut self.segments[index]
    }

    /// Lays out every set of `step` on its sides (on `pass` only, in a section played on
    /// each side), with the rests between sets and after the step.
    fn step(
        &mut self,
        section: &Section,
        at: StepRef,
        step: &Step,
        round: Ordinal,
        pass: Option<Side>,
    ) {
        let rep_time = match &step.work {
            Work::Paced { rep_time, .. } => Some(rep_time.timer),
            _ => None,
        };
        // The pause when the side changes: the section's between its passes, else the step's.
        let switch_pause = if pass.is_some() {
            section.switch_pause
        } else {
            step.switch_pause
        };
        let blocked = step.set_order == SetOrder::Blocked;
        let mut previous: Option<(Ordinal, Option<Side>)> = None;
        for (set, side) in pieces(step, pass) {
            if let Some((last_set, last_side)) = previous
                && last_set != set
                && (last_side == side || !blocked)
            {
                self.rest(at.section, step.rest_between_sets);
            }
            previous = Some((set, side));
            let switch_cue =
                self.switch_if_side_changes(at, side, pass.is_some(), switch_pause, (set, round));
            let work = self.push(
                SegmentKind::Work,
                at.section,
                Some(at),
                step.work.duration(),
                step.name.clone(),
            );
            work.side = side;
            work.alternating = step.sides == Sides::Alternating;
            work.switch_cue = switch_cue;
            work.set = set;
            work.round = round;
            work.reps = step.work.reps();
            work.rep_time = rep_time;
            work.estimate = step.work.estimate();
            // Paced reps per side with no side to the segment (alternating, or both sides
            // within it): both sides' reps in it.
            if let (Some(rep_time), Some(reps)) = (rep_time, work.reps_in_one_go()) {
                work.duration = Some(rep_time * reps);
                work.estimate = rep_time * reps;
            }
        }
        self.rest(at.section, step.rest_after);
    }

    /// Before work on `side`: when the work just before it was the same step (or the same
    /// section played on each side) on the other side, the switch pause, or with no pause
    /// `true`, so the work itself says "Switch sides.". A rest between already names the
    /// side to come, so it needs neither.
    fn switch_if_side_changes(
        &mut self,
        at: StepRef,
        side: Option<Side>,
        two_sided_section: bool,
        pause: Duration,
        (set, round): (Ordinal, Ordinal),
    ) -> bool {
        let Some(last) = self.segments.last() else {
            return false;
        };
        let changes = last.kind == SegmentKind::Work
            && (last.step == Some(at) || two_sided_section && last.section == at.section)
            && side.is_some()
            && last.side.is_some()
            && last.side != side;
        if !changes {
            return false;
        }
        if pause.is_zero() {
            return true;
        }
        let switch = self.push(
            SegmentKind::Switch,
            at.section,
            Some(at),
            Some(pause),
            "Switch sides".to_owned(),
        );
        switch.set = set;
        switch.round = round;
        false
    }

    /// Adds a rest; rests that meet (after a step, a round, a section) merge into the longest.
    fn rest(&mut self, section: usize, duration: Duration) {
        if duration.is_zero() {
            return;
        }
        if let Some(last) = self
            .segments
            .last_mut()
            .filter(|s| s.kind == SegmentKind::Rest)
        {
            if last.duration < Some(duration) {
                last.duration = Some(duration);
                last.estimate = duration;
            }
            return;
        }
        self.push(
            SegmentKind::Rest,
            section,
            None,
            Some(duration),
            "Rest".to_owned(),
        );
    }

    /// Drops a rest at the very end, then fills in offsets and "next" links.
    fn finish(&mut self) {
        while self
            .segments
            .last()
            .is_some_and(|s| s.kind != SegmentKind::Work)
            && self.segments.len() > 1
        {
            self.segments.pop();
        }
        relink(&mut self.segments);
    }
}

/// Fills in the segments' indices, offsets and "next" links after they were laid out or
/// time was inserted.
pub(super) fn relink(segments: &mut [Segment]) {
    let mut offset = Duration::ZERO;
    for (index, segment) in segments.iter_mut().enumerate() {
        segment.index = index;
        segment.offset = offset;
        offset += segment.estimate;
    }
    let mut next_work = None;
    for segment in segments.iter_mut().rev() {
        segment.next_work = next_work;
        if segment.kind == SegmentKind::Work {
            next_work = Some(segment.index);
        }
    }
}
