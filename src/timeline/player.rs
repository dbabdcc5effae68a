//! The player: where in the plan the athlete is, computed from the clock, never from frames.
//!
//! Time is passed in (`now`, from a [`super::Clock`]); the player never reads the system
//! clock. The current segment's elapsed time is `now - start - paused`, and a segment that
//! runs out ends exactly on its planned boundary, however late the next poll comes.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::cue::{Cue, CueKind, segment_cues};
use super::plan::{Ordinal, Plan, Segment, SegmentKind};
use crate::routine::quantity::MAX_DURATION;

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

/// How a visit to a segment ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It ran to its end, or its Done was pressed.
    Completed,
    /// The athlete skipped ahead.
    Skipped,
    /// The athlete went back (to its start or to an earlier segment).
    Repeated,
}

/// One visit to one segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SegmentRecord {
    /// The segment's index in the plan.
    pub segment: usize,
    /// Its planned length (`None` for a Done-step).
    pub planned: Option<Duration>,
    /// Time spent in it, pauses excluded.
    pub actual: Duration,
    /// How the visit ended.
    pub outcome: Outcome,
}

/// The session so far: what the history stores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionRecord {
    /// Every finished visit, in order.
    pub segments: Vec<SegmentRecord>,
    /// The visit under way, if any.
    pub current: Option<SegmentRecord>,
    /// Time paused, including each "get ready" after a resume.
    pub paused: Duration,
    /// Time from the start to `now` (or to the finish).
    pub wall: Duration,
    /// Whether the routine ran to its end.
    pub finished: bool,
}

/// A cue that is due, with the clock time it was due at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FiredCue {
    /// The cue.
    pub cue: Cue,
    /// The clock time it was due (at or before the poll that returned it).
    pub due: Duration,
    /// Which visit it belongs to: a new one at each segment start and each resume.
    pub visit: u64,
}

/// A cue expected at a clock time if the athlete does nothing until then.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ScheduledCue {
    /// The cue.
    pub cue: Cue,
    /// When it is due, on the player's clock.
    pub at: Duration,
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

    /// Starts from the first segment at `now`. Restarting drops the previous record.
    pub fn start(&mut self, now: Duration) {
        *self = Self::new(Arc::clone(&self.plan), self.resume_lead_in)
            .with_generation(self.generation + 1);
        self.phase = Phase::Running;
        self.started_at = now;
        self.enter(0, now);
    }

    fn with_generation(mut self, generation: u64) -> Self {
        self.generation = generation;
        self
    }

    /// Restarts the routine from its beginning.
    pub fn restart(&mut self, now: Duration) {
        self.start(now);
    }

    /// Pauses; during a "get ready" after a resume, cancels it and stays paused.
    pub fn pause(&mut self, now: Duration) {
        self.tick_silently(now);
        if self.phase == Phase::Finished || self.phase == Phase::Ready {
            return;
        }
        match &mut self.pause {
            Some(pause) => pause.resume_at = None,
            None => {
                self.pause = Some(Pause {
                    since: now,
                    resume_at: None,
                });
            }
        }
        self.clear_resume_cues();
        self.changed();
    }

    /// Resumes after the resume lead-in (at once if it is zero).
    pub fn resume(&mut self, now: Duration) {
        self.tick_silently(now);
        let Some(pause) = self.pause.as_mut().filter(|p| p.resume_at.is_none()) else {
            return;
        };
        if self.resume_lead_in.is_zero() {
            self.close_pause(now);
        } else {
            let at = now + self.resume_lead_in;
            pause.resume_at = Some(at);
            // Each count-in is its own set of cues.
            self.visit += 1;
            self.resume_cues.push((now, CueKind::Resume));
            for n in (1..=3u8).rev() {
                let before = Duration::from_secs(u64::from(n));
                if before < self.resume_lead_in {
                    self.resume_cues
                        .push((at.saturating_sub(before), CueKind::ResumeCountdown(n)));
                }
            }
        }
        self.changed();
    }

    /// Pauses when running, resumes when paused.
    pub fn toggle_pause(&mut self, now: Duration) {
        self.tick_silently(now);
        match self.pause {
            Some(Pause {
                resume_at: None, ..
            }) => self.resume(now),
            _ => self.pause(now),
        }
    }

    /// Skips to the next segment.
    pub fn next(&mut self, now: Duration) {
        self.tick_silently(now);
        if self.phase == Phase::Finished || self.phase == Phase::Ready {
            return;
        }
        self.leave(now, Outcome::Skipped);
        self.enter(self.current + 1, now);
        self.changed();
    }

    /// Finishes a Done-step; anywhere else, acts as [`Self::next`].
    pub fn done(&mut self, now: Duration) {
        self.tick_silently(now);
        if self.phase == Phase::Finished || self.phase == Phase::Ready {
            return;
        }
        if !self.segment().waits_for_done() {
            self.next(now);
            return;
        }
        if self.current + 1 == self.plan.segments.len() {
            self.fire_now(CueKind::Finished, now);
        }
        self.leave(now, Outcome::Completed);
        self.enter(self.current + 1, now);
        self.changed();
    }

    /// Back to the start of this segment when more than 3 s in, else to the previous
    /// work segment (rests and switches are passed over, as a media player skips gaps).
    pub fn previous(&mut self, now: Duration) {
        self.tick_silently(now);
        if self.phase == Phase::Ready {
            return;
        }
        let target = if self.phase == Phase::Finished {
            self.plan.segments.len() - 1
        } else if self.elapsed_at(now) > RESTART_THRESHOLD {
            self.current
        } else {
            self.plan.segments[..self.current]
                .iter()
                .rposition(|s| !matches!(s.kind, SegmentKind::Rest | SegmentKind::Switch))
                .unwrap_or(self.current)
        };
        self.jump_to(target, now, Outcome::Repeated);
    }

    /// Jumps to segment `index` (ignored when out of range).
    pub fn jump(&mut self, index: usize, now: Duration) {
        self.tick_silently(now);
        if index >= self.plan.segments.len() || self.phase == Phase::Ready {
            return;
        }
        let outcome = if index > self.current {
            Outcome::Skipped
        } else {
            Outcome::Repeated
        };
        self.jump_to(index, now, outcome);
    }

    fn jump_to(&mut self, index: usize, now: Duration, outcome: Outcome) {
        if self.phase == Phase::Finished {
            // Back from the finish screen: the session goes on.
            self.phase = Phase::Running;
            self.pause = None;
            self.seg_start = now;
            self.seg_paused = Duration::ZERO;
            self.current = index;
            self.paused_total += now.saturating_sub(self.finished_at);
            self.enter(index, now);
        } else {
            self.leave(now, outcome);
            self.enter(index, now);
        }
        self.changed();
    }

    /// Adds `amount` to the current timed segment (no effect on a Done-step).
    pub fn add_time(&mut self, amount: Duration, now: Duration) {
        self.tick_silently(now);
        if self.phase == Phase::Finished || self.phase == Phase::Ready {
            return;
        }
        let Some(duration) = self.seg_duration else {
            return;
        };
        self.set_duration((duration + amount).min(MAX_DURATION), now);
    }

    /// Removes `amount` from the current timed segment; if that leaves nothing, it ends now.
    pub fn remove_time(&mut self, amount: Duration, now: Duration) {
        self.tick_silently(now);
        if self.phase == Phase::Finished || self.phase == Phase::Ready {
            return;
        }
        let Some(duration) = self.seg_duration else {
            return;
        };
        let elapsed = self.elapsed_at(now);
        let shorter = duration.saturating_sub(amount);
        if shorter <= elapsed {
            self.leave(now, Outcome::Completed);
            self.enter(self.current + 1, now);
            self.changed();
        } else {
            self.set_duration(shorter, now);
        }
    }

    fn set_duration(&mut self, duration: Duration, now: Duration) {
        let elapsed = self.elapsed_at(now);
        self.seg_duration = Some(duration);
        self.cues = segment_cues(&self.plan, self.current, Some(duration));
        // Cues that now fall in the past were overtaken by the change: they must not fire late.
        for cue in &self.cues {
            if cue.at < elapsed && !self.fired.contains(cue) {
                self.fired.push(*cue);
            }
        }
        self.changed();
    }

    /// Advances to `now` and returns the cues that came due since the last call, in order.
    pub fn tick(&mut self, now: Duration) -> Vec<FiredCue> {
        self.advance(now);
        std::mem::take(&mut self.pending)
    }

    /// Advances without handing out cues (they stay pending for the next [`Self::tick`]).
    fn tick_silently(&mut self, now: Duration) {
        self.advance(now);
    }

    fn advance(&mut self, now: Duration) {
        if self.phase == Phase::Ready || self.phase == Phase::Finished {
            return;
        }
        // Resume cues, and the end of a "get ready" after a resume.
        let segment = self.current;
        let visit = self.visit;
        let elapsed = self.elapsed_at(now);
        let due = self
            .resume_cues
            .get(self.resume_fired..)
            .unwrap_or_default()
            .iter()
            .take_while(|(at, _)| *at <= now);
        let count = due.clone().count();
        self.pending.extend(due.map(|&(at, kind)| FiredCue {
            cue: Cue {
                segment,
                at: elapsed,
                kind,
            },
            due: at,
            visit,
        }));
        self.resume_fired += count;
        if let Some(Pause {
            resume_at: Some(at),
            ..
        }) = self.pause
            && at <= now
        {
            self.close_pause(at);
        }
        while self.pause.is_none() && self.phase == Phase::Running {
            let origin = self.seg_start + self.seg_paused;
            let elapsed = now.saturating_sub(origin);
            let limit = self.seg_duration.map_or(elapsed, |d| d.min(elapsed));
            let due: Vec<Cue> = self
                .cues
                .iter()
                .filter(|c| c.at <= limit && !self.fired.contains(c))
                .copied()
                .collect();
            for cue in due {
                self.fired.push(cue);
                self.pending.push(FiredCue {
                    cue,
                    due: origin + cue.at,
                    visit: self.visit,
                });
            }
            match self.seg_duration {
                Some(duration) if elapsed >= duration => {
                    let end = origin + duration;
                    self.records.push(SegmentRecord {
                        segment: self.current,
                        planned: self.segment().duration,
                        actual: duration,
                        outcome: Outcome::Completed,
                    });
                    self.enter(self.current + 1, end);
                }
                _ => break,
            }
        }
    }

    fn fire_now(&mut self, kind: CueKind, now: Duration) {
        let cue = Cue {
            segment: self.current,
            at: self.elapsed_at(now),
            kind,
        };
        self.fired.push(cue);
        self.pending.push(FiredCue {
            cue,
            due: now,
            visit: self.visit,
        });
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

    /// Ends the current visit at `now`; a pause under way carries over to the next segment.
    fn leave(&mut self, now: Duration, outcome: Outcome) {
        let actual = self.elapsed_at(now);
        self.records.push(SegmentRecord {
            segment: self.current,
            planned: self.segment().duration,
            actual,
            outcome,
        });
        if let Some(pause) = &mut self.pause {
            self.paused_total += now.saturating_sub(pause.since);
            pause.since = now;
        }
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
        self.seg_duration = self.plan.segments[index].duration;
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
        let rep = match (segment.rep_time, segment.reps) {
            (Some(rep_time), Some(reps)) if !rep_time.is_zero() => {
                let index =
                    u32::try_from(elapsed.as_millis() / rep_time.as_millis()).unwrap_or(u32::MAX);
                Some(Ordinal {
                    index: (index + 1).min(reps.value),
                    of: reps.value,
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
        }
    }

    /// How long until what the screen shows or plays next changes: the countdown's next
    /// whole second, the next cue, or the segment's end. `None` when nothing will change
    /// by itself (paused, not started, finished).
    #[must_use]
    pub fn time_until_next_change(&self, now: Duration) -> Option<Duration> {
        let second = |ms: u128| {
            let rest = ms % 1000;
            Duration::from_millis(
                u64::try_from(if rest == 0 { 1000 } else { rest }).unwrap_or(1000),
            )
        };
        match (self.phase, self.pause) {
            (Phase::Running, None) => {}
            (
                Phase::Running,
                Some(Pause {
                    resume_at: Some(at),
                    ..
                }),
            ) => {
                let until = at.saturating_sub(now);
                return Some(second(until.as_millis()).min(until));
            }
            _ => return None,
        }
        let elapsed = self.elapsed_at(now);
        let mut next = match self.seg_duration {
            Some(d) => {
                let remaining = d.saturating_sub(elapsed);
                second(remaining.as_millis()).min(remaining)
            }
            None => Duration::from_secs(1).saturating_sub(Duration::from_millis(
                u64::try_from(elapsed.as_millis() % 1000).unwrap_or(0),
            )),
        };
        if let Some(cue) = self
            .cues
            .iter()
            .find(|c| c.at > elapsed && !self.fired.contains(c))
        {
            next = next.min(cue.at.saturating_sub(elapsed));
        }
        Some(next)
    }

    /// The cues due from the last command (or the start) on if the athlete does nothing
    /// more, with their clock times: the rest of this segment, then the following ones up to
    /// and including the next Done-step (whose end nobody can know). Empty while paused,
    /// before the start and after the end.
    ///
    /// Cues that [`Self::tick`] handed out since that command are included (their times lie
    /// before `now`): the screen's captions must not take the cue due at the moment of a
    /// press away from the audio, which looks at the schedule after `tick` in the same frame.
    #[must_use]
    pub fn upcoming(&self, now: Duration) -> Vec<ScheduledCue> {
        let mut out: Vec<ScheduledCue> = Vec::new();
        if self.phase != Phase::Running {
            return out;
        }
        let elapsed = self.elapsed_at(now);
        let origin = match self.pause {
            None => self.seg_start + self.seg_paused,
            Some(Pause {
                resume_at: Some(at),
                ..
            }) => {
                let from = self.before_change.resume;
                let resume_cues = self.resume_cues.get(from..).unwrap_or_default();
                out.extend(resume_cues.iter().map(|&(at, kind)| ScheduledCue {
                    cue: Cue {
                        segment: self.current,
                        at: elapsed,
                        kind,
                    },
                    at,
                }));
                at.saturating_sub(elapsed)
            }
            Some(_) => return out,
        };
        let handed_out = self
            .fired
            .get(..self.before_change.segment)
            .unwrap_or(&self.fired);
        out.extend(
            self.cues
                .iter()
                .filter(|c| !handed_out.contains(c))
                .map(|&cue| ScheduledCue {
                    cue,
                    at: origin + cue.at,
                }),
        );
        let Some(duration) = self.seg_duration else {
            return out;
        };
        let mut start = origin + duration;
        for segment in &self.plan.segments[self.current + 1..] {
            out.extend(
                segment_cues(&self.plan, segment.index, segment.duration)
                    .into_iter()
                    .map(|cue| ScheduledCue {
                        cue,
                        at: start + cue.at,
                    }),
            );
            match segment.duration {
                Some(d) => start += d,
                None => break,
            }
        }
        out
    }

    /// The session so far, at `now`.
    #[must_use]
    pub fn record(&self, now: Duration) -> SessionRecord {
        let finished = self.phase == Phase::Finished;
        let end = if finished { self.finished_at } else { now };
        let ongoing_pause = match (self.phase, self.pause) {
            (Phase::Running, Some(pause)) => end.saturating_sub(pause.since),
            _ => Duration::ZERO,
        };
        let current = (self.phase == Phase::Running).then(|| SegmentRecord {
            segment: self.current,
            planned: self.segment().duration,
            actual: self.elapsed_at(now),
            outcome: Outcome::Skipped,
        });
        SessionRecord {
            segments: self.records.clone(),
            current,
            paused: self.paused_total + ongoing_pause,
            wall: if self.phase == Phase::Ready {
                Duration::ZERO
            } else {
                end.saturating_sub(self.started_at)
            },
            finished,
        }
    }
}
