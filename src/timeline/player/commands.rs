//! The athlete's commands: start, pause and resume (with the "get ready" count-in), next,
//! done, previous, jump, and time added or removed. Each first advances to `now`, then
//! changes what happens next and bumps the generation so the audio rebuilds.

use std::sync::Arc;
use std::time::Duration;

use super::{Outcome, Pause, Phase, Player, RESTART_THRESHOLD};
use crate::routine::quantity::MAX_DURATION;
use crate::timeline::cue::{CueKind, MOVING_ON_BEFORE, segment_cues};
use crate::timeline::plan::SegmentKind;

impl Player {
    /// Starts from the first segment at `now`. Restarting drops the previous record.
    pub fn start(&mut self, now: Duration) {
        *self = Self::new(Arc::clone(&self.plan), self.resume_lead_in)
            .with_generation(self.generation + 1);
        self.phase = Phase::Running;
        self.started_at = now;
        self.enter(0, now);
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

    /// Finishes a Done-step, but keeps one that is about to move on by itself waiting (in
    /// its last [`MOVING_ON_BEFORE`], when "Press Done to wait" was said); anywhere else,
    /// acts as [`Self::next`].
    pub fn done(&mut self, now: Duration) {
        self.tick_silently(now);
        if self.phase == Phase::Finished || self.phase == Phase::Ready {
            return;
        }
        if !self.segment().waits_for_done() {
            self.next(now);
            return;
        }
        if self
            .seg_duration
            .is_some_and(|d| self.elapsed_at(now) + MOVING_ON_BEFORE >= d)
        {
            self.set_duration(None, now);
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
                .rposition(|s| {
                    !matches!(
                        s.kind,
                        SegmentKind::Rest | SegmentKind::Switch | SegmentKind::Position
                    )
                })
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

    /// Adds `amount` to the current timed segment, or to the time before a Done-step moves
    /// on by itself (no effect on one that waits).
    pub fn add_time(&mut self, amount: Duration, now: Duration) {
        self.tick_silently(now);
        if self.phase == Phase::Finished || self.phase == Phase::Ready {
            return;
        }
        let Some(duration) = self.seg_duration else {
            return;
        };
        self.set_duration(Some((duration + amount).min(MAX_DURATION)), now);
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
            self.set_duration(Some(shorter), now);
        }
    }

    /// Gives the current segment a new length (`None`: a Done-step that now waits).
    fn set_duration(&mut self, duration: Option<Duration>, now: Duration) {
        let elapsed = self.elapsed_at(now);
        self.seg_duration = duration;
        self.cues = segment_cues(&self.plan, self.current, duration);
        // Cues that now fall in the past were overtaken by the change: they must not fire late.
        for cue in &self.cues {
            if cue.at < elapsed && !self.fired.contains(cue) {
                self.fired.push(*cue);
            }
        }
        self.changed();
    }
}
