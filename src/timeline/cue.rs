//! Cues: what the athlete hears, and when, relative to each segment's start.

use std::time::Duration;

use serde::Serialize;

use super::alternating::AlternatingReps;
use super::plan::{Plan, Segment, SegmentKind, Side};
use crate::routine::quantity::format_duration;
use crate::routine::{Count, CountUnit, Secs, SetOrder, Sides, Work};
use crate::text::plural;

/// Steps at least this long get a halfway cue.
pub const HALFWAY_FROM: Duration = Duration::from_secs(20);

/// Segments at least this long get 3-2-1 pips before their end.
pub const COUNTDOWN_FROM: Duration = Duration::from_secs(6);

/// Rests at least this long get a "get ready" this long before their end.
pub const REST_ENDING_BEFORE: Duration = Duration::from_secs(5);

/// Alternating reps at least this long have their side spoken on each tick ("Left.");
/// shorter ones leave no room for a word, and the screen shows the side.
pub const SPOKEN_SIDE_FROM: Duration = Duration::from_millis(1200);

/// What a cue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum CueKind {
    /// "Get ready": the lead-in before the first step.
    GetReady,
    /// "Get ready" again: the count-in after a resume.
    Resume,
    /// A pip of the count-in after a resume, `n` seconds before time runs again.
    ResumeCountdown(u8),
    /// Work starts: the start tone and the step's announcement.
    StepStart,
    /// A pip, `n` seconds before the end of timed work, a rest or a lead-in.
    Countdown(u8),
    /// Halfway through a long timed step.
    Halfway,
    /// Change to the other side.
    SwitchSides,
    /// A rest starts: "Rest. Next: …".
    RestStart,
    /// A rest is about to end: "Get ready".
    RestEnding,
    /// A paced rep starts.
    RepTick {
        /// 1-based, counting both sides of alternating reps.
        rep: u32,
        /// The side it works, when reps alternate sides.
        side: Option<Side>,
    },
    /// The last paced rep starts.
    LastOne,
    /// Ten seconds of timed work are left (a setting).
    TimeLeft,
    /// The routine is complete.
    Finished,
}

/// A cue placed in one segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Cue {
    /// The segment it belongs to.
    pub segment: usize,
    /// Offset from the segment's start.
    pub at: Duration,
    /// What it is.
    pub kind: CueKind,
}

/// The cues of segment `index` when it lasts `duration` (its planned length, or the length
/// after the athlete added or removed time). A Done-step passes `None`.
///
/// End-relative cues (3-2-1, rest ending, the finish) follow `duration`; the halfway cue
/// follows the planned length, so adding time never makes it fire twice.
#[must_use]
pub fn segment_cues(plan: &Plan, index: usize, duration: Option<Duration>) -> Vec<Cue> {
    let Some(segment) = plan.segments.get(index) else {
        return Vec::new();
    };
    let mut cues = Vec::new();
    // A rest or switch before time to get into position leaves the count to it.
    let before_position = plan
        .segments
        .get(index + 1)
        .is_some_and(|s| s.kind == SegmentKind::Position);
    let mut push = |at: Duration, kind: CueKind| {
        cues.push(Cue {
            segment: index,
            at,
            kind,
        });
    };
    match segment.kind {
        SegmentKind::LeadIn => push(Duration::ZERO, CueKind::GetReady),
        SegmentKind::Work => {
            if segment.switch_cue {
                push(Duration::ZERO, CueKind::SwitchSides);
            }
            push(Duration::ZERO, CueKind::StepStart);
            if let (Some(rep_time), Some(reps)) = (segment.rep_time, segment.reps_in_one_go()) {
                for rep in 1..=reps {
                    let side = segment.alternating.then(|| AlternatingReps::side(rep));
                    push(rep_time * (rep - 1), CueKind::RepTick { rep, side });
                }
                if reps >= 3 {
                    push(rep_time * (reps - 1), CueKind::LastOne);
                }
            } else if let Some(planned) = segment.duration.filter(|d| *d >= HALFWAY_FROM) {
                push(planned / 2, CueKind::Halfway);
            }
        }
        SegmentKind::Switch => push(Duration::ZERO, CueKind::SwitchSides),
        // The words of the work after it are said over it; it counts down to the work.
        SegmentKind::Position => {}
        SegmentKind::Rest => {
            push(Duration::ZERO, CueKind::RestStart);
            if let Some(d) = duration.filter(|d| *d >= REST_ENDING_BEFORE * 2 && !before_position) {
                push(d.saturating_sub(REST_ENDING_BEFORE), CueKind::RestEnding);
            }
        }
    }
    // Paced reps keep their own ticks; pips would clash with the last rep's tick. A lead-in
    // counts down however short it is, its pips falling after its start.
    let counts_down = match segment.kind {
        SegmentKind::LeadIn | SegmentKind::Position => duration.is_some(),
        _ => {
            segment.rep_time.is_none()
                && !before_position
                && duration.is_some_and(|d| d >= COUNTDOWN_FROM)
        }
    };
    if let Some(d) = duration.filter(|_| counts_down) {
        for n in (1..=3u8).rev() {
            let before = Duration::from_secs(u64::from(n));
            if before < d {
                push(d.saturating_sub(before), CueKind::Countdown(n));
            }
        }
    }
    if let Some(d) = duration.filter(|_| index + 1 == plan.segments.len()) {
        push(d, CueKind::Finished);
    }
    cues.sort_by_key(|c| (c.at, order(c.kind)));
    cues
}

/// Cues at the same instant play in this order (a switch before the step it introduces).
fn order(kind: CueKind) -> u8 {
    match kind {
        CueKind::SwitchSides => 0,
        CueKind::GetReady | CueKind::Resume | CueKind::RestStart => 1,
        CueKind::StepStart => 2,
        CueKind::RepTick { .. } => 3,
        CueKind::LastOne => 4,
        _ => 5,
    }
}

/// A cue with its planned offset from the start of the routine, for `limberup show`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedCue {
    /// Offset from the routine's start (Done-steps at their estimate).
    pub offset: Duration,
    /// The cue.
    #[serde(flatten)]
    pub cue: Cue,
}

/// Every cue of the plan at its planned offset, Done-steps taking their suggested time.
#[must_use]
pub fn schedule(plan: &Plan) -> Vec<PlannedCue> {
    let mut cues: Vec<PlannedCue> = plan
        .segments
        .iter()
        .flat_map(|segment| {
            segment_cues(plan, segment.index, segment.duration)
                .into_iter()
                .map(|cue| PlannedCue {
                    offset: segment.offset + cue.at,
                    cue,
                })
        })
        .collect();
    // A routine that ends on a Done-step finishes when it is pressed: at its estimate here.
    if let Some(last) = plan.segments.last().filter(|s| s.waits_for_done()) {
        cues.push(PlannedCue {
            offset: last.offset + last.estimate,
            cue: Cue {
                segment: last.index,
                at: last.estimate,
                kind: CueKind::Finished,
            },
        });
    }
    cues
}

/// The words spoken for a cue, if it speaks.
#[must_use]
pub fn announcement(plan: &Plan, cue: &Cue) -> Option<String> {
    let segment = plan.segments.get(cue.segment)?;
    match cue.kind {
        CueKind::GetReady if segment.kind == SegmentKind::LeadIn => {
            let first = segment.next_work.and_then(|n| plan.segments.get(n));
            Some(match first {
                Some(first) => format!(
                    "Get ready. {}. First: {}.",
                    plan.routine.title,
                    describe(first)
                ),
                None => "Get ready.".to_owned(),
            })
        }
        CueKind::GetReady | CueKind::Resume | CueKind::RestEnding => Some("Get ready.".to_owned()),
        CueKind::StepStart => Some(step_start(plan, segment)),
        CueKind::Halfway => Some("Halfway.".to_owned()),
        CueKind::SwitchSides => Some("Switch sides.".to_owned()),
        CueKind::RestStart => Some(match segment.next_work.and_then(|n| plan.segments.get(n)) {
            Some(next) => format!("Rest. Next: {}.", describe(next)),
            None => "Rest.".to_owned(),
        }),
        CueKind::RepTick {
            rep,
            side: Some(side),
        } if spoken_sides(segment) && rep > 1 && !has_last_one(segment, rep) => {
            Some(format!("{}.", capitalise(&side.to_string())))
        }
        CueKind::LastOne => Some(match segment.reps.filter(|_| spoken_sides(segment)) {
            Some(reps) => format!("Last one, {}.", AlternatingReps::side(reps.value)),
            None => "Last one.".to_owned(),
        }),
        CueKind::Finished => Some("Routine complete. Well done.".to_owned()),
        CueKind::Countdown(_)
        | CueKind::ResumeCountdown(_)
        | CueKind::RepTick { .. }
        | CueKind::TimeLeft => None,
    }
}

/// Whether the ticks of alternating reps say their side: when a rep leaves time for a word.
/// The first rep's side is in the step's announcement ("left first"); the last one's in
/// "Last one, right.".
fn spoken_sides(segment: &Segment) -> bool {
    segment.alternating && segment.rep_time.is_some_and(|t| t >= SPOKEN_SIDE_FROM)
}

/// Whether rep `rep` of `segment` is the last of a paced step that says "Last one.".
fn has_last_one(segment: &Segment, rep: u32) -> bool {
    segment
        .reps
        .is_some_and(|reps| reps.value >= 3 && rep == reps.value)
}

/// "Bird dog, left side", "Lunge matrix, alternating sides".
fn describe(segment: &Segment) -> String {
    match segment.side {
        Some(side) => format!("{}, {side} side", segment.title),
        None if segment.alternating => format!("{}, alternating sides", segment.title),
        None => segment.title.clone(),
    }
}

/// "Left side. Kneeling hip flexor stretch. 30 seconds. Kneel on the rear knee…".
///
/// The step's own `say` replaces it; the instruction is spoken on the first side of the
/// first set only, so repeats stay short.
fn step_start(plan: &Plan, segment: &Segment) -> String {
    let step = plan.step(segment);
    if let Some(say) = step.and_then(|s| s.say.as_ref()) {
        return say.clone();
    }
    let mut words = Vec::new();
    // Sets taken left and right in turn: a set's right side belongs to the set already
    // announced on its left, so only the side is said ("Last set" once, on its first side).
    // Blocked sets, and a section played on each side, count each side's sets anew.
    let second_side_of_set = segment.side == Some(Side::Right)
        && step.is_some_and(|s| s.sides == Sides::Both && s.set_order == SetOrder::Alternating);
    if segment.set.is_counted() && !second_side_of_set {
        if segment.set.is_last() {
            words.push(format!("Last set, {}.", segment.set));
        } else {
            words.push(format!("Set {}.", segment.set));
        }
    }
    if let Some(side) = segment.side {
        words.push(format!("{} side.", capitalise(&side.to_string())));
    } else if segment.alternating {
        words.push("Alternating sides, left first.".to_owned());
    }
    words.push(format!("{}.", segment.title));
    // The dose as written (a range) the first time, the value timed or counted after.
    let first_time = is_first_time(plan, segment);
    if let Some(distance) = step.and_then(|s| s.distance) {
        words.push(format!("{}.", distance.spoken()));
    }
    words.push(amount(segment, step.map(|s| &s.work), first_time));
    if let Some(instruction) = step
        .and_then(|s| s.instruction.as_ref())
        .filter(|_| first_time)
    {
        words.push(instruction.trim().to_owned());
    }
    words.retain(|w| !w.is_empty());
    words.join(" ")
}

/// Whether `segment` is the first time its step is worked: its first set, on its first side,
/// in the first round. Its announcement then says the dose as written and the instruction.
fn is_first_time(plan: &Plan, segment: &Segment) -> bool {
    let step = plan.step(segment);
    let first_side =
        segment.side != Some(Side::Right) || step.is_some_and(|s| s.sides == Sides::Right);
    segment.set.index == 1 && first_side && segment.round.index == 1
}

/// "30 seconds", "10 reps", "10 reps each side", "Press Done when finished"; a range
/// ("20 to 30 seconds", "5 to 10 reps") when `written` asks for the dose as written.
fn amount(segment: &Segment, work: Option<&Work>, written: bool) -> String {
    match work {
        Some(Work::Timed { time, reps }) => match reps {
            Some(reps) => format!(
                "{} in {}.",
                spoken_count(*reps, written),
                spoken_secs(*time, written)
            ),
            None => format!("{}.", spoken_secs(*time, written)),
        },
        Some(Work::Paced { reps, .. }) => format!("{}.", reps_said(segment, *reps, written)),
        Some(Work::UntilDone { reps, .. }) => match reps {
            Some(reps) => format!(
                "{}. Press Done when finished.",
                reps_said(segment, *reps, written)
            ),
            None => "Press Done when finished.".to_owned(),
        },
        None => segment
            .duration
            .map(|d| format!("{}.", spoken_duration(d)))
            .unwrap_or_default(),
    }
}

/// "30 seconds", or its range "20 to 30 seconds" when `written` and the timer runs its
/// upper end; a value the coach picked within the range (`"30-45 s @ 35"`) is said as timed,
/// so the voice never promises more than the clock gives.
fn spoken_secs(time: Secs, written: bool) -> String {
    let timed_at_the_top = time.range.is_some_and(|(_, high)| high == time.timer);
    match time.range.filter(|_| written && timed_at_the_top) {
        Some((low, high)) => {
            let (low, high) = (spoken_duration(low), spoken_duration(high));
            // "20 to 30 seconds", not "20 seconds to 30 seconds", when the units agree.
            let high_unit = high.split_once(' ').map_or("", |(_, unit)| unit);
            match low.split_once(' ') {
                Some((number, unit))
                    if high_unit.trim_end_matches('s') == unit.trim_end_matches('s') =>
                {
                    format!("{number} to {high}")
                }
                _ => format!("{low} to {high}"),
            }
        }
        None => spoken_duration(time.timer),
    }
}

/// "10 reps", "10 reps each side", "3 passes", or the range "5 to 10 reps" when `written`.
fn spoken_count(count: Count, written: bool) -> String {
    let amount = match count.range.filter(|_| written) {
        Some((low, high)) => format!("{low} to {high}"),
        None => count.value.to_string(),
    };
    let noun = match count.unit {
        CountUnit::Passes if amount == "1" => "pass",
        CountUnit::Passes => "passes",
        CountUnit::Reps => "reps",
    };
    let each_side = if count.per_side { " each side" } else { "" };
    format!("{amount} {noun}{each_side}")
}

/// "10 reps" as [`spoken_count`] says it, or for alternating reps "10 reps, 5 each side"
/// ("9 reps, 5 left and 4 right").
fn reps_said(segment: &Segment, reps: Count, written: bool) -> String {
    if !segment.alternating {
        return spoken_count(reps, written);
    }
    let sides = AlternatingReps::of(reps);
    if sides.is_even() {
        format!("{} reps, {} each side", sides.total(), sides.left)
    } else {
        format!(
            "{} reps, {} left and {} right",
            sides.total(),
            sides.left,
            sides.right
        )
    }
}

/// "30 seconds", "1 minute 45 seconds", "2 minutes".
#[must_use]
pub fn spoken_duration(duration: Duration) -> String {
    let secs = duration.as_secs();
    match (secs / 60, secs % 60) {
        (0, 0) => format_duration(duration),
        (0, s) => plural(s, "second"),
        (m, 0) => plural(m, "minute"),
        (m, s) => format!("{} {}", plural(m, "minute"), plural(s, "second")),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
