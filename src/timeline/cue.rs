//! Cues: what the athlete hears, and when, relative to each segment's start.

use std::time::Duration;

use serde::Serialize;

use super::alternating::AlternatingReps;
use super::phrases::Phrases;
use super::plan::{Plan, Segment, SegmentKind, Side};
use crate::routine::{Count, CountUnit, Secs, Sides, Work};

/// Steps at least this long get a halfway cue (when the plan's calls have it).
pub const HALFWAY_FROM: Duration = Duration::from_secs(20);

/// Timed work at least this long gets "10 seconds left." (when the plan's calls have it).
pub const TIME_LEFT_FROM: Duration = Duration::from_secs(30);

/// How long before the end of timed work "10 seconds left." is said.
pub const TIME_LEFT_BEFORE: Duration = Duration::from_secs(10);

/// Segments at least this long get 3-2-1 pips before their end.
pub const COUNTDOWN_FROM: Duration = Duration::from_secs(6);

/// Rests at least this long get a "get ready" this long before their end.
pub const REST_ENDING_BEFORE: Duration = Duration::from_secs(5);

/// How long before a Done step moves on by itself "Moving on in 10 seconds." is said, and
/// the time in which Done keeps it waiting instead.
pub const MOVING_ON_BEFORE: Duration = Duration::from_secs(10);

/// A Done step that waits this long past its suggested time (or the suggested time again,
/// when longer) hears "Still going? Press Done when finished." once.
pub const STILL_GOING_AFTER: Duration = Duration::from_mins(1);

/// When a Done step with suggested time `suggested` that waits hears "Still going?".
#[must_use]
pub fn still_going_at(suggested: Duration) -> Duration {
    suggested + suggested.max(STILL_GOING_AFTER)
}

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
    /// "10 seconds left.": [`TIME_LEFT_BEFORE`] before the end of long timed work.
    TimeLeft,
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
    /// "Moving on in 10 seconds. Press Done to wait.": [`MOVING_ON_BEFORE`] before a
    /// Done step moves on by itself.
    MovingOn,
    /// "Still going? Press Done when finished.": a Done step waiting long past its
    /// suggested time ([`still_going_at`]).
    StillGoing,
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
/// after the athlete added or removed time). A Done-step passes when it moves on by itself
/// ([`Segment::runs_for`]), or `None` while it waits.
///
/// End-relative cues (3-2-1, "10 seconds left.", rest ending, the finish) follow `duration`;
/// the halfway cue follows the planned length, so adding time never makes it fire twice.
/// The optional calls (halfway, time left) are made when the plan's options ask for them.
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
            } else {
                let calls = plan.options.calls;
                if let Some(planned) = segment
                    .duration
                    .filter(|d| calls.halfway && *d >= HALFWAY_FROM)
                {
                    push(planned / 2, CueKind::Halfway);
                }
                let timed = !segment.waits_for_done();
                if let Some(d) =
                    duration.filter(|d| timed && calls.time_left && *d >= TIME_LEFT_FROM)
                {
                    push(d.saturating_sub(TIME_LEFT_BEFORE), CueKind::TimeLeft);
                }
            }
            if segment.waits_for_done() {
                match duration {
                    Some(d) if d >= MOVING_ON_BEFORE * 2 => {
                        push(d.saturating_sub(MOVING_ON_BEFORE), CueKind::MovingOn);
                    }
                    None if !segment.estimate.is_zero() => {
                        push(still_going_at(segment.estimate), CueKind::StillGoing);
                    }
                    _ => {}
                }
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
            // A Done-step is pressed at its estimate here: what it says later is left out.
            segment_cues(plan, segment.index, segment.duration)
                .into_iter()
                .filter(|cue| !segment.waits_for_done() || cue.at <= segment.estimate)
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

/// The words spoken for a cue, if it speaks, in the plan's language.
#[must_use]
pub fn announcement(plan: &Plan, cue: &Cue) -> Option<String> {
    let segment = plan.segments.get(cue.segment)?;
    let words = Phrases::of(plan.language());
    match cue.kind {
        CueKind::GetReady if segment.kind == SegmentKind::LeadIn => {
            let first = segment.next_work.and_then(|n| plan.segments.get(n));
            Some(match first {
                Some(first) => format!(
                    "{} {}. {} {}.",
                    words.get_ready,
                    plan.routine.title,
                    words.first,
                    describe(words, first)
                ),
                None => words.get_ready.to_owned(),
            })
        }
        CueKind::GetReady | CueKind::Resume | CueKind::RestEnding => {
            Some(words.get_ready.to_owned())
        }
        CueKind::StepStart => Some(step_start(plan, segment)),
        CueKind::Halfway => Some(words.halfway.to_owned()),
        CueKind::TimeLeft => Some(words.time_left(TIME_LEFT_BEFORE)),
        CueKind::SwitchSides => Some(words.switch_sides.to_owned()),
        CueKind::RestStart => Some(match segment.next_work.and_then(|n| plan.segments.get(n)) {
            Some(next) => format!("{} {} {}.", words.rest, words.next, describe(words, next)),
            None => words.rest.to_owned(),
        }),
        CueKind::RepTick {
            rep,
            side: Some(side),
        } if spoken_sides(segment) && rep > 1 && !has_last_one(segment, rep) => {
            Some(format!("{}.", capitalise(words.side_word(side))))
        }
        CueKind::LastOne => Some(match segment.reps.filter(|_| spoken_sides(segment)) {
            Some(reps) => words.last_one_on(AlternatingReps::side(reps.value)),
            None => words.last_one.to_owned(),
        }),
        CueKind::MovingOn => Some(format!(
            "{} {}",
            words.moving_on(MOVING_ON_BEFORE),
            words.press_done_to_wait
        )),
        CueKind::StillGoing => Some(format!("{} {}", words.still_going, words.press_done)),
        CueKind::Finished => Some(words.finished.to_owned()),
        CueKind::Countdown(_) | CueKind::ResumeCountdown(_) | CueKind::RepTick { .. } => None,
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
fn describe(words: &Phrases, segment: &Segment) -> String {
    match segment.side {
        Some(side) => format!("{}, {}", segment.title, words.side(side)),
        None if segment.alternating => format!("{}, {}", segment.title, words.alternating),
        None => segment.title.clone(),
    }
}

/// The start of a work segment's announcement, up to the step's name: "Round 3 of 8.",
/// then the set and the side in one sentence ("Set 2 of 3, right side.", "Last set, left
/// side.", "Left side.", "Set 1 of 2."), then "Name.". It is also the short form said when
/// the whole announcement does not fit.
#[must_use]
pub fn step_heading(plan: &Plan, segment: &Segment) -> String {
    let words = Phrases::of(plan.language());
    let mut parts = Vec::new();
    if segment.round.is_counted() && starts_round(plan, segment) {
        parts.push(format!("{}.", words.round(segment.round)));
    }
    let side = match segment.side {
        Some(side) => Some(words.side(side)),
        None if segment.alternating => Some(words.alternating_left_first),
        None => None,
    };
    match (segment.set.is_counted(), side) {
        (true, Some(side)) => parts.push(format!("{}, {side}.", words.set(segment.set))),
        (true, None) => parts.push(format!("{}.", words.set(segment.set))),
        (false, Some(side)) => parts.push(format!("{}.", capitalise(side))),
        (false, None) => {}
    }
    parts.push(format!("{}.", segment.title));
    parts.join(" ")
}

/// Whether `segment` is the first work of its round: the work before it, if any, is in
/// another section or round.
fn starts_round(plan: &Plan, segment: &Segment) -> bool {
    plan.segments[..segment.index.min(plan.segments.len())]
        .iter()
        .rev()
        .find(|s| s.kind == SegmentKind::Work)
        .is_none_or(|before| before.section != segment.section || before.round != segment.round)
}

/// "Left side. Kneeling hip flexor stretch. 30 seconds. Kneel on the rear knee…", in the
/// plan's language: [`step_heading`], the distance, the dose, then the effort, "Press Done
/// when finished." and the instruction.
///
/// The step's own `say` replaces it; the dose is said as written (a range), and the effort
/// and the instruction are said, on the first side of the first set of the first round
/// only, so repeats stay short.
fn step_start(plan: &Plan, segment: &Segment) -> String {
    let step = plan.step(segment);
    if let Some(say) = step.and_then(|s| s.say.as_ref()) {
        return say.clone();
    }
    let language = plan.language();
    let words = Phrases::of(language);
    // The first side a step works: left of a two-sided step, or its only side.
    let first_side =
        segment.side != Some(Side::Right) || step.is_some_and(|s| s.sides == Sides::Right);
    let first_time = segment.set.index == 1 && first_side && segment.round.index == 1;
    // The dose: the distance, then the time or the count, each a sentence.
    let mut dose: Vec<String> = step
        .and_then(|s| s.distance)
        .map(|d| format!("{}.", words.distance(&d)))
        .into_iter()
        .collect();
    let work = step.map(|s| &s.work);
    dose.push(amount(words, segment, work, first_time));
    dose.retain(|d| !d.is_empty());
    if let Some(effort) = step
        .and_then(|s| s.effort.as_deref())
        .filter(|e| first_time && !e.trim().is_empty())
    {
        // An effort starting in lower case goes on from the dose ("3 passes, at 90
        // percent."); any other is a sentence of its own.
        let said = words.spoken_text(effort);
        let goes_on = said.starts_with(char::is_lowercase);
        match dose
            .last_mut()
            .filter(|_| goes_on)
            .and_then(|last| Some((last.strip_suffix('.')?.to_owned(), last)))
        {
            Some((before, last)) => *last = sentence(&format!("{before}, {said}")),
            None => dose.push(sentence(&capitalise(&said))),
        }
    }
    let mut parts = vec![step_heading(plan, segment)];
    parts.extend(dose);
    if matches!(work, Some(Work::UntilDone { .. })) {
        parts.push(words.press_done.to_owned());
    }
    if let Some(instruction) = step
        .and_then(|s| s.instruction.as_ref())
        .filter(|_| first_time)
    {
        parts.push(instruction.trim().to_owned());
    }
    parts.retain(|w| !w.is_empty());
    parts.join(" ")
}

/// `text` ending as a sentence: a full stop added unless it ends in one (or `!`, `?`).
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', '…']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// The dose: "30 seconds.", "10 reps.", "10 reps each side.", "10 reps in 30 seconds.";
/// a range ("20 to 30 seconds", "5 to 10 reps") when `written` asks for the dose as
/// written. A step that waits for Done says its reps, if any ("Press Done when finished."
/// is added by the caller, after the effort).
fn amount(words: &Phrases, segment: &Segment, work: Option<&Work>, written: bool) -> String {
    match work {
        Some(Work::Timed { time, reps }) => match reps {
            Some(reps) => format!(
                "{}.",
                words.count_in_time(
                    &spoken_count(words, *reps, written),
                    &spoken_secs(words, *time, written)
                )
            ),
            None => format!("{}.", spoken_secs(words, *time, written)),
        },
        Some(
            Work::Paced { reps, .. }
            | Work::UntilDone {
                reps: Some(reps), ..
            },
        ) => format!("{}.", reps_said(words, segment, *reps, written)),
        Some(Work::UntilDone { reps: None, .. }) => String::new(),
        None => segment
            .duration
            .map(|d| format!("{}.", words.duration(d)))
            .unwrap_or_default(),
    }
}

/// "30 seconds", or its range "20 to 30 seconds" when `written` and the timer runs its
/// upper end; a value the coach picked within the range (`"30-45 s @ 35"`) is said as timed,
/// so the voice never promises more than the clock gives.
fn spoken_secs(words: &Phrases, time: Secs, written: bool) -> String {
    let timed_at_the_top = time.range.is_some_and(|(_, high)| high == time.timer);
    match time.range.filter(|_| written && timed_at_the_top) {
        Some((low, high)) => words.duration_range(low, high),
        None => words.duration(time.timer),
    }
}

/// "10 reps", "10 reps each side", "3 passes", or the range "5 to 10 reps" when `written`.
fn spoken_count(words: &Phrases, count: Count, written: bool) -> String {
    let (amount, value) = match count.range.filter(|_| written) {
        Some((low, high)) => (words.range(&low.to_string(), &high.to_string()), high),
        None => (count.value.to_string(), count.value),
    };
    let noun = match count.unit {
        CountUnit::Passes => words.pass,
        CountUnit::Reps => words.rep,
    };
    let noun = words.noun(noun, f64::from(value));
    if count.per_side {
        format!("{amount} {noun} {}", words.each_side)
    } else {
        format!("{amount} {noun}")
    }
}

/// "10 reps" as [`spoken_count`] says it, or for alternating reps "10 reps, 5 each side"
/// ("9 reps, 5 left and 4 right").
fn reps_said(words: &Phrases, segment: &Segment, reps: Count, written: bool) -> String {
    if !segment.alternating {
        return spoken_count(words, reps, written);
    }
    let sides = AlternatingReps::of(reps);
    let total = words.quantity(f64::from(sides.total()), words.rep);
    if sides.is_even() {
        format!("{total}, {} {}", sides.left, words.each_side)
    } else {
        format!("{total}, {}", words.left_and_right(sides.left, sides.right))
    }
}

/// `text` with its first letter in upper case.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
