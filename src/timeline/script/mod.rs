//! The voice script: every phrase a plan says, when it starts, how long it takes and the cue
//! it belongs to, with the tones it must keep clear of.
//!
//! [`place`] is the one placement of speech: the player's audio lays out its track with it
//! (lengths from the rendered phrases), `export-audio` renders it, `show` prints it and
//! `check` warns from it. [`make_room`] sizes the plan with it before anything is rendered:
//! where a step's words would not be heard in full before its work needs them, the plan gets
//! time to get into position (or a longer lead-in), from the [`Estimate`] of each phrase's
//! length, which errs long.
//!
//! The rules, in order of strength:
//! - Tones sit on their cue; no phrase overlaps another phrase or a tone (but its own, which
//!   it follows). The halfway tone is the exception: where words are being said it is left
//!   out.
//! - A phrase is said whole, moved earlier if need be, as far as the start of the rests,
//!   switches, lead-in and time to get into position before its step.
//! - A paced step's announcement ends before its work starts: its reps start with the work.
//!   Other steps' words follow their start tone, whole, before the step's next call.
//! - What still does not fit (the coach opted out of the time to get into position, or a
//!   command landed mid-step) is said in a shorter form or left out, and named in
//!   [`Script::lost`].
//! - Optional calls (a rep's side, "Get ready" at a rest's end, "Halfway", "Last one", the
//!   time left) are said at their moment only if it is free, and are never counted as lost.

use std::collections::HashMap;
use std::time::Duration;

use serde::Serialize;

use super::cue::{Cue, CueKind, schedule};
use super::plan::{Plan, Segment, SegmentKind};
use super::player::ScheduledCue;

mod forms;
mod room;
mod timing;

pub use forms::{announcement_forms, plan_texts};
pub use room::make_room;
pub use timing::{
    Estimate, FINISH_TONE, HALFWAY_TONE, PIP_TONE, REP_TONE, REST_TONE, START_TONE, SWITCH_TONE,
    Timing,
};

/// Silence between two phrases.
pub const SPEECH_GAP: Duration = Duration::from_millis(150);

/// Silence between the parts of one announcement ("Switch sides." and the step's words).
pub const PART_GAP: Duration = Duration::from_millis(120);

/// Speech that follows a tone at the same cue starts this long after the tone's start at the
/// latest, however long a routine's clip is.
pub const MAX_TONE_LEAD: Duration = Duration::from_millis(1500);

/// Silence between a tone and speech, before or after it.
pub const TONE_GAP: Duration = Duration::from_millis(80);

/// Which sounds play.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Heard {
    /// Spoken phrases.
    pub voice: bool,
    /// Tones and clips.
    pub beeps: bool,
}

impl Heard {
    /// Everything.
    pub const ALL: Self = Self {
        voice: true,
        beeps: true,
    };
}

/// A phrase placed on the clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The cue it says.
    pub cue: Cue,
    /// When its cue is due.
    pub due: Duration,
    /// When it starts: before `due` when it was moved into the time before its step, after it
    /// behind its cue's tone.
    pub at: Duration,
    /// How long it takes.
    pub length: Duration,
    /// The words.
    pub text: String,
    /// The whole announcement, when `text` is a shorter form of it.
    pub shortened_from: Option<String>,
}

impl Line {
    /// When it has been said.
    #[must_use]
    pub fn end(&self) -> Duration {
        self.at + self.length
    }
}

/// A tone or clip placed on the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Tone {
    /// The cue it sounds.
    pub cue: Cue,
    /// When its cue is due.
    pub due: Duration,
    /// When it starts.
    pub at: Duration,
    /// How long it lasts.
    pub length: Duration,
}

/// An announcement not heard in full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lost {
    /// The cue it says.
    pub cue: Cue,
    /// The whole announcement.
    pub text: String,
    /// How long it takes to say.
    pub length: Duration,
    /// The most time it had, between what comes before it and what comes after.
    pub room: Duration,
    /// What was said instead (a shorter form), or `None` when it was left out.
    pub said: Option<String>,
}

impl Lost {
    /// How much more time it needed.
    #[must_use]
    pub fn short_by(&self) -> Duration {
        self.length.saturating_sub(self.room)
    }

    /// What was lost, in a sentence: `"Set 1 of 2, left side. Bird dog. 8 reps. On hands…"
    /// (Bird dog, left side) takes 9.8 s to say but has 4.2 s, so it is said as "Left side.
    /// Bird dog."`.
    #[must_use]
    pub fn message(&self, plan: &Plan) -> String {
        let words = ellipsis(&self.text, 60);
        let whose = plan
            .segments
            .get(self.cue.segment)
            .map(|s| match s.side {
                Some(side) => format!(" ({}, {side} side)", s.title),
                None => format!(" ({})", s.title),
            })
            .unwrap_or_default();
        let outcome = match &self.said {
            Some(said) => format!("so it is said as \"{said}\""),
            None => "so it is left out".to_owned(),
        };
        format!(
            "\"{words}\"{whose} takes about {:.1} s to say but has {:.1} s, {outcome}",
            self.length.as_secs_f64(),
            self.room.as_secs_f64()
        )
    }
}

/// `text` cut to `chars` characters with "…" when longer.
fn ellipsis(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(chars).collect();
    format!("{}…", cut.trim_end())
}

/// Every phrase and tone placed, and what was not heard in full.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Script {
    /// The phrases, by start.
    pub lines: Vec<Line>,
    /// The tones and clips, by start.
    pub tones: Vec<Tone>,
    /// Announcements shortened or left out for want of time.
    pub lost: Vec<Lost>,
    /// Some phrase had no length yet (not rendered): place again once it has.
    pub missing: bool,
}

/// The script of the whole plan from its start, Done-steps at their suggested time.
#[must_use]
pub fn planned(plan: &Plan, timing: &dyn Timing) -> Script {
    let cues: Vec<ScheduledCue> = schedule(plan)
        .into_iter()
        .map(|c| ScheduledCue {
            cue: c.cue,
            at: c.offset,
        })
        .collect();
    place(
        plan,
        &cues,
        Duration::ZERO,
        timing,
        Heard::ALL,
        Duration::ZERO,
    )
}

/// Whether a cue's words are a call said at its moment or not at all (never moved, never lost).
fn is_optional(kind: CueKind) -> bool {
    matches!(
        kind,
        CueKind::RepTick { .. }
            | CueKind::RestEnding
            | CueKind::Halfway
            | CueKind::LastOne
            | CueKind::TimeLeft
            | CueKind::StillGoing
    )
}

/// Whether a cue's tone is left out where words are being said, rather than kept clear of.
fn yields_to_words(kind: CueKind) -> bool {
    matches!(kind, CueKind::Halfway)
}

/// One announcement to place: the speaking cues at one instant, said in turn.
struct Utterance {
    /// Where it starts with nothing in the way (after its tone).
    natural: Duration,
    /// It may move earlier, but not before this.
    earliest: Duration,
    /// It must have ended by this (a step's words before its work).
    latest_end: Option<Duration>,
    /// When its own tone started.
    tone_at: Duration,
    /// Each cue (with when it was due) with its forms, longest first.
    parts: Vec<(ScheduledCue, Vec<String>)>,
}

impl Utterance {
    fn optional(&self) -> bool {
        is_optional(self.parts[0].0.cue.kind)
    }

    /// How many ways it can be said: each part's forms, then (with several parts) the
    /// first part alone, shortest ("Switch sides." without the step's words).
    fn levels(&self) -> usize {
        let forms = self.forms();
        if self.parts.len() > 1 {
            forms + 1
        } else {
            forms
        }
    }

    fn forms(&self) -> usize {
        self.parts.iter().map(|(_, f)| f.len()).max().unwrap_or(0)
    }

    /// The phrases said at `level` with their lengths, and the time they take together;
    /// `None` if one has no length yet.
    fn said(&self, level: usize, timing: &dyn Timing) -> Option<(Vec<Said>, Duration)> {
        let parts = if level >= self.forms() {
            &self.parts[..1]
        } else {
            &self.parts[..]
        };
        let mut said = Vec::new();
        let mut total = Duration::ZERO;
        for (cue, forms) in parts {
            let Some(text) = forms.get(level.min(forms.len().saturating_sub(1))) else {
                continue;
            };
            let length = timing.speech(text)?;
            if !said.is_empty() {
                total += PART_GAP;
            }
            total += length;
            said.push(Said {
                cue: *cue,
                text: text.clone(),
                full: forms[0].clone(),
                length,
            });
        }
        Some((said, total))
    }
}

struct Said {
    cue: ScheduledCue,
    text: String,
    full: String,
    length: Duration,
}

/// Places every sound of `cues` (times on the player's clock) from `origin` on; `floor` is
/// when speech already playing ends, so new speech waits for it.
///
/// A cue due before `origin` (a frame or a device came late, a command) is placed at
/// `origin`: announced late rather than never. A step's words that should end before its
/// work are said over it when the work has already begun (a skip into it).
#[must_use]
pub fn place(
    plan: &Plan,
    cues: &[ScheduledCue],
    origin: Duration,
    timing: &dyn Timing,
    heard: Heard,
    floor: Duration,
) -> Script {
    let placed_at = |c: &ScheduledCue| c.at.max(origin);
    let mut cues: Vec<ScheduledCue> = cues.to_vec();
    cues.sort_by_key(placed_at);
    // Each segment's start on the clock, from its cues (every non-work segment has one at 0,
    // but a time to get into position, which only counts down: the work's start after it
    // tells its end).
    let mut starts: HashMap<usize, Duration> = HashMap::new();
    for c in &cues {
        let start = c.at.saturating_sub(c.cue.at).max(origin);
        starts
            .entry(c.cue.segment)
            .and_modify(|s| *s = (*s).min(start))
            .or_insert(start);
    }
    let segment_start = |index: usize| -> Option<Duration> {
        if let Some(start) = starts.get(&index) {
            return Some(*start);
        }
        let next = starts.get(&(index + 1))?;
        let length = plan.segments.get(index)?.duration?;
        Some(next.saturating_sub(length).max(origin))
    };
    let floor = floor.max(origin);

    let mut script = Script::default();
    let mut utterances: Vec<Utterance> = Vec::new();
    for group in cues.chunk_by(|a, b| placed_at(a) == placed_at(b)) {
        let at = placed_at(&group[0]);
        // One tone per instant: the first cue's (a switch before the step it introduces).
        let tone = group
            .iter()
            .find_map(|c| timing.sound(&c.cue).map(|length| (c, length)))
            .filter(|_| heard.beeps);
        let mut natural = at;
        if let Some((scheduled, length)) = tone {
            natural = at + length.min(MAX_TONE_LEAD) + TONE_GAP;
            script.tones.push(Tone {
                cue: scheduled.cue,
                due: scheduled.at,
                at,
                length,
            });
        }
        if !heard.voice {
            continue;
        }
        let parts: Vec<(ScheduledCue, Vec<String>)> = group
            .iter()
            .map(|c| (*c, announcement_forms(plan, &c.cue)))
            .filter(|(_, forms)| !forms.is_empty())
            .collect();
        let Some((first, _)) = parts.first() else {
            continue;
        };
        let segment = plan.segments.get(first.cue.segment);
        let earliest = segment
            .map_or(at, |s| time_before(plan, s, &segment_start))
            .min(natural)
            .max(floor);
        // A step's words end before its work, unless the work has begun already.
        let latest_end = parts
            .iter()
            .find(|(c, _)| c.cue.kind == CueKind::StepStart)
            .and_then(|(c, _)| plan.segments.get(c.cue.segment))
            .filter(|s| words_before_work(s))
            .and_then(|s| segment_start(s.index))
            .filter(|start| *start > origin)
            .map(|start| start.saturating_sub(TONE_GAP));
        utterances.push(Utterance {
            natural: natural.max(floor),
            earliest,
            latest_end,
            tone_at: at,
            parts,
        });
    }
    // The halfway tone gives way to words (the athlete is being spoken to already); every
    // other tone keeps its moment and speech keeps clear of it.
    let obstacles: Vec<(Duration, Duration)> = script
        .tones
        .iter()
        .filter(|t| !yields_to_words(t.cue.kind))
        .map(|t| (t.at, t.at + t.length.min(MAX_TONE_LEAD)))
        .collect();

    // Required announcements, from the last back: each must end before the next one starts.
    let mut deadline: Option<Duration> = None;
    for utterance in utterances.iter().rev().filter(|u| !u.optional()) {
        if utterance.said(0, timing).is_none() {
            script.missing = true;
        }
        let bound = |said: &[Said], length: Duration| {
            let mut end = utterance.natural.max(utterance.earliest) + length;
            if let Some(deadline) = deadline {
                end = end.min(deadline);
            }
            // A step's words before its work; "Switch sides." alone may follow its tone.
            let step_words = said.iter().any(|s| s.cue.cue.kind == CueKind::StepStart);
            if let Some(latest) = utterance.latest_end.filter(|_| step_words) {
                end = end.min(latest);
            }
            end
        };
        let mut full: Option<(String, Duration, Duration)> = None;
        let mut placed = None;
        for level in 0..utterance.levels() {
            let Some((said, length)) = utterance.said(level, timing) else {
                continue;
            };
            match fit(bound(&said, length), length, utterance.earliest, &obstacles) {
                Ok(start) => {
                    placed = Some((start, said));
                    break;
                }
                Err(room) if full.is_none() && level == 0 => {
                    full = Some((join(&said), length, room));
                }
                Err(_) => {}
            }
        }
        if let Some((text, length, room)) = full {
            let cue = utterance.parts[0].0.cue;
            script.lost.push(Lost {
                cue,
                text,
                length,
                room,
                said: placed.as_ref().map(|(_, said)| join(said)),
            });
        }
        let Some((start, said)) = placed else {
            continue;
        };
        say_from(&mut script.lines, start, said);
        deadline = Some(start.saturating_sub(SPEECH_GAP));
    }

    // Optional calls, at their moment if it is free of speech and tones.
    for utterance in utterances.iter().filter(|u| u.optional()) {
        let Some((said, length)) = utterance.said(0, timing) else {
            script.missing = true;
            continue;
        };
        let (start, end) = (utterance.natural, utterance.natural + length);
        let clear_of_speech = script
            .lines
            .iter()
            .all(|l| l.end() + SPEECH_GAP <= start || end + SPEECH_GAP <= l.at);
        let clear_of_tones = obstacles
            .iter()
            .filter(|t| t.0 != utterance.tone_at)
            .all(|t| t.1 + TONE_GAP <= start || end + TONE_GAP <= t.0);
        if !(clear_of_speech && clear_of_tones && start >= floor) {
            continue;
        }
        say_from(&mut script.lines, start, said);
    }
    script.lines.sort_by_key(|l| l.at);
    let lines = &script.lines;
    script.tones.retain(|t| {
        !yields_to_words(t.cue.kind)
            || lines
                .iter()
                .all(|l| l.end() + TONE_GAP <= t.at || t.at + t.length + TONE_GAP <= l.at)
    });
    script.lost.sort_by_key(|l| (l.cue.segment, l.cue.at));
    script
}

/// The phrases of one announcement as lines from `start`, each after the last.
fn say_from(lines: &mut Vec<Line>, start: Duration, said: Vec<Said>) {
    let mut at = start;
    for part in said {
        lines.push(Line {
            cue: part.cue.cue,
            due: part.cue.at,
            at,
            length: part.length,
            shortened_from: (part.text != part.full).then_some(part.full),
            text: part.text,
        });
        at += part.length + PART_GAP;
    }
}

fn join(said: &[Said]) -> String {
    said.iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The latest start in `[earliest, end − length]` clear of every tone in `tones`, or, when
/// there is none, `Err` with the clear time from `earliest` on: what time added before the
/// step would lengthen.
fn fit(
    end: Duration,
    length: Duration,
    earliest: Duration,
    tones: &[(Duration, Duration)],
) -> Result<Duration, Duration> {
    let mut end = end;
    loop {
        let Some(start) = end.checked_sub(length).filter(|s| *s >= earliest) else {
            return Err(end.saturating_sub(earliest));
        };
        let clash = tones
            .iter()
            .filter(|t| t.0 < end + TONE_GAP && start < t.1 + TONE_GAP)
            .map(|t| t.0)
            .min();
        match clash {
            None => return Ok(start),
            Some(tone) => end = tone.saturating_sub(TONE_GAP),
        }
    }
}

/// How early the words of a cue in `segment` may start: a non-work segment's own start; a
/// work's, the start of the rests, switches, lead-in and time to get into position just
/// before it (if any).
fn time_before(
    plan: &Plan,
    segment: &Segment,
    start: &dyn Fn(usize) -> Option<Duration>,
) -> Duration {
    let own = start(segment.index).unwrap_or_default();
    if segment.kind != SegmentKind::Work {
        return own;
    }
    let mut first = segment.index;
    while first > 0 && plan.segments[first - 1].kind != SegmentKind::Work {
        first -= 1;
    }
    (first..segment.index)
        .find_map(&start)
        .map_or(own, |s| s.min(own))
}

/// Whether a step's words must end before its work: a paced step's, whose reps start with
/// the work (a timed step's words are said from its start tone on, whole, before its next
/// call; a step that waits for Done starts when the athlete is ready).
fn words_before_work(segment: &Segment) -> bool {
    segment.kind == SegmentKind::Work && segment.rep_time.is_some()
}
