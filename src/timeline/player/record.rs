//! The session record: each visit to a segment with how it ended, the time paused and the
//! wall time, as the history stores it.

use std::time::Duration;

use serde::Serialize;

use super::{Phase, Player};

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

impl Player {
    /// Ends the current visit at `now`; a pause under way carries over to the next segment.
    pub(super) fn leave(&mut self, now: Duration, outcome: Outcome) {
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
