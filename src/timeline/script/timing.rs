//! How long sounds last before anything is rendered: the built-in tones' lengths and the
//! estimate of each phrase, which the plan makes room with.

use std::time::Duration;

use super::MAX_TONE_LEAD;
use crate::timeline::cue::{Cue, CueKind};
use crate::timeline::plan::Plan;
use crate::timeline::speech::{Voice, estimate};

/// The built-in tones' lengths, as [`Estimate`] plans with them (the audio's tones are
/// tested to match): start, pip, switch, halfway, rep, rest, finish.
pub const START_TONE: Duration = Duration::from_millis(400);
/// A 3-2-1 pip.
pub const PIP_TONE: Duration = Duration::from_millis(120);
/// The switch's two notes.
pub const SWITCH_TONE: Duration = Duration::from_millis(400);
/// The halfway note.
pub const HALFWAY_TONE: Duration = Duration::from_millis(150);
/// A paced rep's tick.
pub const REP_TONE: Duration = Duration::from_millis(40);
/// The rest's low note.
pub const REST_TONE: Duration = Duration::from_millis(300);
/// The finish's four notes.
pub const FINISH_TONE: Duration = Duration::from_millis(1350);

/// How long sounds last: the rendered phrases and decoded clips, or the [`Estimate`].
pub trait Timing {
    /// The length of the tone or clip `cue` makes, if it makes one.
    fn sound(&self, cue: &Cue) -> Option<Duration>;
    /// How long `text` takes to say; `None` while it is not rendered.
    fn speech(&self, text: &str) -> Option<Duration>;
}

/// Lengths before anything is rendered: the built-in tones (a routine's clip at the most a
/// tone may lead speech by), and [`estimate`] for speech.
#[derive(Debug)]
pub struct Estimate<'a> {
    plan: &'a Plan,
    voice: Voice,
}

impl<'a> Estimate<'a> {
    /// The estimate for `plan`, spoken by its voice (the default voice for a silent plan).
    #[must_use]
    pub fn new(plan: &'a Plan) -> Self {
        Self {
            plan,
            voice: plan.voice().cloned().unwrap_or_default(),
        }
    }
}

impl Timing for Estimate<'_> {
    fn sound(&self, cue: &Cue) -> Option<Duration> {
        let sounds = &self.plan.routine.sounds;
        let (clip, tone) = match cue.kind {
            CueKind::StepStart => {
                let step_clip = self
                    .plan
                    .segments
                    .get(cue.segment)
                    .and_then(|s| self.plan.step(s))
                    .is_some_and(|s| s.sound.is_some());
                (step_clip || sounds.start.is_some(), START_TONE)
            }
            CueKind::Countdown(_) | CueKind::ResumeCountdown(_) => {
                (sounds.countdown.is_some(), PIP_TONE)
            }
            CueKind::SwitchSides => (sounds.switch.is_some(), SWITCH_TONE),
            CueKind::Halfway => (sounds.halfway.is_some(), HALFWAY_TONE),
            CueKind::RepTick { .. } => (sounds.rep.is_some(), REP_TONE),
            CueKind::Finished => (sounds.finish.is_some(), FINISH_TONE),
            CueKind::RestStart => (false, REST_TONE),
            CueKind::GetReady
            | CueKind::Resume
            | CueKind::RestEnding
            | CueKind::LastOne
            | CueKind::TimeLeft
            | CueKind::MovingOn
            | CueKind::StillGoing => return None,
        };
        Some(if clip { MAX_TONE_LEAD } else { tone })
    }

    fn speech(&self, text: &str) -> Option<Duration> {
        Some(estimate(text, &self.voice))
    }
}
