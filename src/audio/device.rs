//! The engine's sound device: opened for the command line at once, for the window only while
//! a routine needs it, and what the athlete is told about it.

use std::time::Duration;

use super::output::{Output, OutputState, OutputStatus};
use super::track::PlacedSound;
use super::{AudioSettings, AudioStatus, CLOSE_AFTER_LAST_SOUND, CueAudio, SCHEDULING_LEAD};

impl CueAudio {
    /// Opens the default sound device (waiting at most `output::OPEN_WAIT` (2 s)) and keeps
    /// it open (the command line's `audio play`). Without one, the engine is silent and
    /// [`Self::status`] says why; it keeps trying now and then.
    #[must_use]
    pub fn open(settings: AudioSettings) -> Self {
        Self::with_output(settings, Output::open())
    }

    /// An engine whose device opens only while [`Self::need_device`] says so (the window:
    /// from a routine's page to its finish sound). Returns at once.
    #[must_use]
    pub fn on_demand(settings: AudioSettings) -> Self {
        Self::with_output(settings, Output::on_demand())
    }

    /// Opens the device (in the background) while `needed`; once it is not, closes it after
    /// what still plays (the routine's finish) has ended. Cheap to call every frame: only a
    /// change reaches the device's thread.
    pub fn need_device(&mut self, needed: bool) {
        if needed == self.output.is_wanted() {
            return;
        }
        let linger = if needed {
            Duration::ZERO
        } else {
            self.still_playing() + CLOSE_AFTER_LAST_SOUND
        };
        self.output.want(needed, linger);
        let state = self.output.state();
        self.refresh_status(&state);
    }

    /// Whether the device is kept open ([`Self::need_device`]).
    #[must_use]
    pub fn device_wanted(&self) -> bool {
        self.output.is_wanted()
    }

    /// How long the sounds under way (or the finish playing out) still play.
    pub(super) fn still_playing(&self) -> Duration {
        let (Some(playing), Some((synced, at))) = (&self.playing, self.last_sync) else {
            return Duration::ZERO;
        };
        let now = synced + at.elapsed();
        playing
            .sounds
            .iter()
            .filter(|s| playing.draining || s.at <= now)
            .map(PlacedSound::end)
            .max()
            .map_or(Duration::ZERO, |end| {
                end.saturating_sub(now) + SCHEDULING_LEAD
            })
    }

    /// An engine that never plays (headless runs, tests).
    #[must_use]
    pub fn silent(settings: AudioSettings) -> Self {
        Self::with_output(settings, Output::silent("sound is turned off for this run"))
    }

    /// Whether sound plays, and if not, why.
    #[must_use]
    pub fn status(&self) -> &AudioStatus {
        &self.status
    }

    /// Whether a session started now is heard from its first cue: the device is open and its
    /// clock known (or there is no device to wait for), and the first phrase of the prepared
    /// plan, its opening announcement, is rendered (or cannot be).
    #[must_use]
    pub fn is_ready(&self) -> bool {
        let state = self.output.state();
        match state.status {
            OutputStatus::Closed | OutputStatus::Opening => false,
            // Nothing will be heard: nothing to wait for.
            OutputStatus::Failed(_) => true,
            OutputStatus::Open => {
                let progress = self.preparer.progress();
                state.clock.is_some_and(|c| c.is_settled())
                    && (!self.settings.voice
                        || progress.texts_done > 0
                        || progress.texts_total == 0
                        || progress.finished
                        || progress.voice_unavailable.is_some())
            }
        }
    }

    /// The output device's state (sample rate, whether open).
    #[must_use]
    pub fn output_state(&self) -> OutputState {
        self.output.state()
    }

    pub(super) fn refresh_status(&mut self, state: &OutputState) {
        self.status = match &state.status {
            OutputStatus::Failed(reason) => AudioStatus::NoOutput(reason.clone()),
            OutputStatus::Opening => {
                AudioStatus::NoOutput("the sound device is not answering yet".to_owned())
            }
            // Opened when a routine needs it; nothing says it will not open.
            OutputStatus::Closed | OutputStatus::Open => match self.preparer.voice_unavailable() {
                Some(reason) if self.settings.voice => AudioStatus::NoVoice(reason),
                _ => AudioStatus::Ok,
            },
        };
    }
}
