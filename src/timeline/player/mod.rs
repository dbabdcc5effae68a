//! The player: where in the plan the athlete is, computed from the clock, never from frames.
//!
//! Time is passed in (`now`, from a [`super::Clock`]); the player never reads the system
//! clock. The current segment's elapsed time is `now - start - paused`, and a segment that
//! runs out ends exactly on its planned boundary, however late the next poll comes.
//!
//! This room holds the state, the moves every command is made of (enter a segment, close a
//! pause, mark a change) and what the screen shows ([`Player::status`]). The commands the
//! athlete gives are in `commands.rs`, the cues handed out and scheduled ahead in
//! `schedule.rs`, and the record of the session in `record.rs`.

mod commands;
mod record;
mod schedule;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::alternating::AlternatingReps;
use super::cue::{Cue, CueKind, segment_cues};
use super::plan::{Ordinal, Plan, Segment, Side};

pub use record::{Outcome, SegmentRecord, SessionRecord};
pub use schedule::{FiredCue, ScheduledCue};

/// "Previous" restarts the current segment when it is further in than this.
pub const RESTART_THRESHOLD: Duration = Duration::from_secs(3);

/// What `+` and `-` add or remove.
pub const ADJUST_STEP: Duration = Duration::from_secs(10);

/// Where the session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// Not started yet.
    Ready,
    /// Time runs.
    Running,
    /// Paused by the athlete.
    Paused,
    /// The "get ready" count after a resume.
    GettingReady {
        /// Until time runs again.
        remaining: Duration,
    },
    /// Every segment is over.
    Finished,
}

/// What the screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Status {
    /// Where the session is.
    pub phase: Phase,
    /// The current segment.
    pub segment: usize,
    /// Time in the current segment, pauses excluded.
    pub elapsed: Duration,
    /// Time left in it (`None` for a Done-step).
    pub remaining: Option<Duration>,
    /// Its length, after any time added or removed.
    pub duration: Option<Duration>,
    /// How much of the segment is done, 0 to 1 (0 for a Done-step).
    pub segment_fraction: f32,
    /// How much of the routine is done, 0 to 1, by planned time.
    pub routine_fraction: f32,
    /// The paced rep under way.
    pub rep: Option<Ordinal>,
    /// The side of the rep under way, when reps alternate sides.
    pub rep_side: Option<Side>,
}

/// How much of the cue lists [`Player::tick`] had handed out when the last command changed
/// what happens next: the schedule from that moment on ([`Player::upcoming`]) leaves out
/// only these, so a cue due at the very moment of a press is heard even when `tick` ran first.
#[derive(Clone, Copy, Debug, Default)]
struct HandedOut {
    /// Of the current segment's cues (`Player::fired`).
    segment: usize,
    /// Of the resume count-in's cues (`Player::resume_cues`).
    resume: usize,
}

#[derive(Clone, Copy, Debug)]
struct Pause {
    since: Duration,
    resume_at: Option<Duration>,
}

/// The state machine that plays a [`Plan`].
#[derive(Clone, Debug)]
pub struct Player {
    plan: Arc<Plan>,
    resume_lead_in: Duration,
    phase: Phase,
    current: usize,
    seg_start: Duration,
    seg_paused: Duration,
    seg_duration: Option<Duration>,
    cues: Vec<Cue>,
    fired: Vec<Cue>,
    pause: Option<Pause>,
    /// The count-in after a resume, by time; the first `resume_fired` are handed out.
    resume_cues: Vec<(Duration, CueKind)>,
    resume_fired: usize,
    /// What had been handed out at the last change.
    before_change: HandedOut,
    started_at: Duration,
    finished_at: Duration,
    paused_total: Duration,
    records: Vec<SegmentRecord>,
    pending: Vec<FiredCue>,
    visit: u64,
    generation: u64,
}

impl Player {
    /// A player for `plan`; `resume_lead_in` is the "get ready" after each resume.
    #[must_use]
    pub fn new(plan: Arc<Plan>, resume_lead_in: Duration) -> Self {
        Self {
            plan,
            resume_lead_in,
            phase: Phase::Ready,
            current: 0,
            seg_start: Duration::ZERO,
            seg_paused: Duration::ZERO,
            seg_duration: None,
            cues: Vec::new(),
            fired: Vec::new(),
            pause: None,
            resume_cues: Vec::new(),
            resume_fired: 0,
            before_change: HandedOut::default(),
            started_at: Duration::ZERO,
            finished_at: Duration::ZERO,
            paused_total: Duration::ZERO,
            records: Vec::new(),
            pending: Vec::new(),
            visit: 0,
            generation: 0,
        }
    }

    /// The plan being played.
    #[must_use]
    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    /// The current segment.
    #[must_use]
    pub fn segment(&self) -> &Segment {
        &self.plan.segments[self.current.min(self.plan.segments.len() - 1)]
    }

    /// Changes whenever a command changes what will happen next (pause, skip, add time…),
    /// so the audio knows to rebuild its track.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// When the session last crossed into something new, by the clock: the start of the
    /// segment under way (however it came: its time ran out, or Next, Done or Back), or the
    /// finish. `None` before the start and while the segment entered at the start is under
    /// way: the athlete pressed Start at the laptop.
    #[must_use]
    pub fn last_boundary(&self) -> Option<Duration> {
        let at = match self.phase {
            Phase::Ready => return None,
            Phase::Finished => self.finished_at,
            Phase::Running | Phase::Paused | Phase::GettingReady { .. } => self.seg_start,
        };
        (at > self.started_at).then_some(at)
    }

    fn with_generation(mut self, generation: u64) -> Self {
        self.generation = generation;
        self
    }

    fn close_pause(&mut self, at: Duration) {
        if let Some(pause) = self.pause.take() {
            let paused = at.saturating_sub(pause.since);
            self.seg_paused += paused;
            self.paused_total += paused;
        }
        self.clear_resume_cues();
    }

    fn clear_resume_cues(&mut self) {
        self.resume_cues.clear();
        self.resume_fired = 0;
        self.before_change.resume = 0;
    }

    /// Starts segment `index` at `at`, or finishes when there is none.
    fn enter(&mut self, index: usize, at: Duration) {
        if index >= self.plan.segments.len() {
            self.phase = Phase::Finished;
            self.finished_at = at;
            if let Some(pause) = self.pause.take() {
                self.paused_total += at.saturating_sub(pause.since);
            }
            self.clear_resume_cues();
            return;
        }
        self.current = index;
        self.seg_start = at;
        self.seg_paused = Duration::ZERO;
        self.seg_duration = self.plan.segments[index].runs_for();
        self.cues = segment_cues(&self.plan, index, self.seg_duration);
        self.fired.clear();
        self.before_change.segment = 0;
        self.visit += 1;
    }

    /// A command changed what happens next: the audio rebuilds from here.
    fn changed(&mut self) {
        self.generation += 1;
        self.before_change = HandedOut {
            segment: self.fired.len(),
            resume: self.resume_fired,
        };
    }

    /// Time in the current segment at `now`, pauses excluded.
    fn elapsed_at(&self, now: Duration) -> Duration {
        let end = match self.phase {
            Phase::Finished => self.finished_at,
            _ => self.pause.map_or(now, |p| p.since.min(now)),
        };
        end.saturating_sub(self.seg_start + self.seg_paused)
    }

    /// What the screen shows at `now` (call [`Self::tick`] first to advance).
    #[must_use]
    pub fn status(&self, now: Duration) -> Status {
        let segment = self.segment();
        let finished = self.phase == Phase::Finished;
        // Finished: the last segment ran its whole length, as lengthened or shortened.
        let elapsed = if finished {
            self.seg_duration.unwrap_or(segment.estimate)
        } else {
            self.elapsed_at(now)
        };
        let duration = self.seg_duration;
        let remaining = duration.map(|d| {
            if finished {
                Duration::ZERO
            } else {
                d.saturating_sub(elapsed)
            }
        });
        let segment_fraction = match duration {
            Some(d) if !d.is_zero() => (elapsed.as_secs_f32() / d.as_secs_f32()).clamp(0.0, 1.0),
            _ => 0.0,
        };
        let total = self.plan.total().duration;
        let done = segment.offset + elapsed.min(segment.estimate.max(elapsed));
        let routine_fraction = if finished {
            1.0
        } else if total.is_zero() {
            0.0
        } else {
            (done.as_secs_f32() / total.as_secs_f32()).clamp(0.0, 1.0)
        };
        let rep = match (segment.rep_time, segment.reps_in_one_go()) {
            (Some(rep_time), Some(reps)) if !rep_time.is_zero() => {
                let index =
                    u32::try_from(elapsed.as_millis() / rep_time.as_millis()).unwrap_or(u32::MAX);
                Some(Ordinal {
                    index: (index + 1).min(reps),
                    of: reps,
                })
            }
            _ => None,
        };
        let phase = match (self.phase, self.pause) {
            (
                Phase::Running,
                Some(Pause {
                    resume_at: Some(at),
                    ..
                }),
            ) => Phase::GettingReady {
                remaining: at.saturating_sub(now),
            },
            (Phase::Running, Some(_)) => Phase::Paused,
            (phase, _) => phase,
        };
        Status {
            phase,
            segment: segment.index,
            elapsed,
            remaining,
            duration,
            segment_fraction,
            routine_fraction,
            rep,
            rep_side: rep
                .filter(|_| segment.alternating)
                .map(|rep| AlternatingReps::side(rep.index)),
        }
    }
}
