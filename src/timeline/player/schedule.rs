//! The cues: handed out once as they come due ([`Player::tick`]), and scheduled ahead for
//! sample-accurate audio ([`Player::upcoming`]); and when the screen next changes by itself
//! ([`Player::time_until_next_change`]), so the window can sleep until then.

use std::time::Duration;

use serde::Serialize;

use super::{Outcome, Pause, Phase, Player, SegmentRecord};
use crate::timeline::cue::{Cue, CueKind, segment_cues};

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

impl Player {
    /// Advances to `now` and returns the cues that came due since the last call, in order.
    pub fn tick(&mut self, now: Duration) -> Vec<FiredCue> {
        self.advance(now);
        std::mem::take(&mut self.pending)
    }

    /// Advances without handing out cues (they stay pending for the next [`Self::tick`]).
    pub(super) fn tick_silently(&mut self, now: Duration) {
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

    pub(super) fn fire_now(&mut self, kind: CueKind, now: Duration) {
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
    /// and including the next Done-step that waits (whose end nobody can know). Empty while paused,
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
            let runs_for = segment.runs_for();
            out.extend(
                segment_cues(&self.plan, segment.index, runs_for)
                    .into_iter()
                    .map(|cue| ScheduledCue {
                        cue,
                        at: start + cue.at,
                    }),
            );
            match runs_for {
                Some(d) => start += d,
                None => break,
            }
        }
        out
    }
}
