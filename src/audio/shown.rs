//! What the screen shows of the voice: the phrase under way (the caption) and the words of
//! a segment that could not be said in full.

use std::time::Duration;

use super::{CueAudio, SoundKind};
use crate::timeline::CueKind;
use crate::timeline::script::Lost;

impl CueAudio {
    /// The words being said at `now` (the player's clock): the caption that matches the voice.
    /// A step's own announcement is left out: its name, dose and instruction are on screen.
    #[must_use]
    pub fn saying(&self, now: Duration) -> Option<&str> {
        self.laid_out()
            .iter()
            .filter(|s| s.at <= now && now < s.end() && s.cue.kind != CueKind::StepStart)
            .find_map(|s| match &s.kind {
                SoundKind::Voice(text) => Some(text.as_str()),
                _ => None,
            })
    }

    /// An announcement of segment `segment` the last layout could not say in full (shortened
    /// or left out for want of time), so the screen can say so.
    #[must_use]
    pub fn lost_in(&self, segment: usize) -> Option<&Lost> {
        self.playing
            .as_ref()?
            .lost
            .iter()
            .find(|l| l.cue.segment == segment)
    }
}
