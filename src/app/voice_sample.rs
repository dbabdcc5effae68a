//! "Speak a sample" on the settings screen: a sentence in each language, said through the
//! app's sound output in the language, speed and variant the settings describe, so the
//! athlete hears the voice before a session uses it.

use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use crate::audio::CueAudio;
use crate::timeline::{Language, Voice};

/// How often the window looks whether the sample has been rendered.
const SAMPLE_POLL: Duration = Duration::from_millis(50);

/// The sentence said in `language`: how a session opens a stretch.
pub(super) fn sample_text(language: Language) -> &'static str {
    match language {
        Language::English => "Get ready. Kneeling hip flexor stretch, left side. 30 seconds.",
        Language::German => {
            "Mach dich bereit. Hüftbeuger-Dehnung im Knien, linke Seite. 30 Sekunden."
        }
        Language::French => {
            "Préparez-vous. Étirement des fléchisseurs de la hanche à genoux, côté gauche. \
             30 secondes."
        }
        Language::Spanish => {
            "Prepárate. Estiramiento del flexor de cadera de rodillas, lado izquierdo. \
             30 segundos."
        }
        Language::Dutch => {
            "Maak je klaar. Heupbuiger-stretch in knielstand, linkerkant. 30 seconden."
        }
    }
}

/// Where the last sample asked for is.
#[derive(Debug, Default)]
enum State {
    /// None asked for, or the last one has been said.
    #[default]
    Idle,
    /// espeak-ng is rendering it.
    Rendering(Receiver<Result<Duration, String>>),
    /// It is being said until then, on the app's clock.
    Speaking(Duration),
    /// It could not be heard, and why.
    Failed(String),
}

/// The settings screen's sample: asked for, rendered off the window's thread, said.
#[derive(Debug, Default)]
pub(super) struct Sample {
    state: State,
}

impl Sample {
    /// Says the sample of `voice`'s language in `voice` through `audio`.
    pub(super) fn start(&mut self, audio: &mut CueAudio, voice: &Voice) {
        self.state = State::Rendering(audio.speak_sample(sample_text(voice.language), voice));
    }

    /// Follows the sample at `now`; returns when to look again while it renders or plays.
    pub(super) fn poll(&mut self, now: Duration) -> Option<Duration> {
        match &self.state {
            State::Rendering(receiver) => match receiver.try_recv() {
                Ok(Ok(length)) => {
                    self.state = State::Speaking(now + length);
                    Some(length)
                }
                Ok(Err(reason)) => {
                    self.state = State::Failed(reason);
                    None
                }
                Err(TryRecvError::Empty) => Some(SAMPLE_POLL),
                Err(TryRecvError::Disconnected) => {
                    self.state = State::Failed("the sample could not be rendered".to_owned());
                    None
                }
            },
            State::Speaking(until) => match until.checked_sub(now).filter(|left| !left.is_zero()) {
                Some(left) => Some(left),
                None => {
                    self.state = State::Idle;
                    None
                }
            },
            State::Idle | State::Failed(_) => None,
        }
    }

    /// Whether a sample is being rendered or said (another waits for it).
    pub(super) fn is_busy(&self) -> bool {
        matches!(self.state, State::Rendering(_) | State::Speaking(_))
    }

    /// What to say beside the button: that it speaks, or why nothing was heard.
    pub(super) fn note(&self) -> Option<&str> {
        match &self.state {
            State::Idle => None,
            State::Rendering(_) | State::Speaking(_) => Some("Speaking…"),
            State::Failed(reason) => Some(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::AudioSettings;

    #[test]
    fn every_language_has_its_own_sample_ending_in_thirty_seconds() {
        let texts: std::collections::HashSet<&str> =
            Language::ALL.into_iter().map(sample_text).collect();
        assert_eq!(texts.len(), Language::ALL.len(), "one sentence each");
        for text in texts {
            assert!(text.contains("30 "), "{text}");
        }
    }

    #[test]
    fn without_a_sound_device_the_sample_says_why_at_once() {
        let mut audio = CueAudio::silent(AudioSettings::default());
        let mut sample = Sample::default();
        sample.start(&mut audio, &Voice::default());
        assert!(sample.is_busy(), "asked for");
        assert_eq!(sample.poll(Duration::ZERO), None, "nothing to wait for");
        assert!(!sample.is_busy(), "the button is free again");
        assert_eq!(
            sample.note(),
            Some("No audio output: sound is turned off for this run")
        );
    }
}
