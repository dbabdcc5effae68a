//! The voice a plan is spoken with: its language, speed and variant, the optional calls,
//! and how long a phrase takes to say before any voice has rendered it.
//!
//! Pure: the audio renders phrases with [`Voice`] (espeak-ng), the plan makes room for
//! them with [`estimate`], and tests check that the estimate is never short of what
//! espeak-ng says.

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use crate::routine::Language;

/// The slowest and fastest voice, in words a minute (espeak-ng's `-s`).
pub const WORDS_PER_MINUTE: std::ops::RangeInclusive<u32> = 120..=220;

/// The speed a voice speaks at unless the settings say otherwise: clear from across a room.
pub const DEFAULT_WORDS_PER_MINUTE: u32 = 165;

/// How a plan is spoken.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Voice {
    /// The language of the built-in phrases and of the voice.
    pub language: Language,
    /// Speed, within [`WORDS_PER_MINUTE`].
    pub words_per_minute: u32,
    /// An espeak-ng variant (`m3`, `f2`, `klatt`), or the language's own voice.
    pub variant: Option<String>,
}

impl Default for Voice {
    fn default() -> Self {
        Self {
            language: Language::English,
            words_per_minute: DEFAULT_WORDS_PER_MINUTE,
            variant: None,
        }
    }
}

impl Voice {
    /// The argument to espeak-ng's `-v`: `de`, or `de+f2` with a variant.
    #[must_use]
    pub fn espeak_name(&self) -> String {
        let voice = self.language.espeak_voice();
        match self.variant.as_deref().filter(|v| is_variant_name(v)) {
            Some(variant) => format!("{voice}+{variant}"),
            None => voice.to_owned(),
        }
    }
}

/// Whether `name` can be an espeak-ng variant: a short word of letters and digits, never
/// anything espeak-ng could read as an option or a path.
#[must_use]
pub fn is_variant_name(name: &str) -> bool {
    (1..=24).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The calls a plan makes besides its steps' own: settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Calls {
    /// "Halfway." in timed steps of 20 s or more.
    pub halfway: bool,
    /// "10 seconds left." in timed steps of 30 s or more.
    pub time_left: bool,
}

impl Default for Calls {
    fn default() -> Self {
        Self {
            halfway: true,
            time_left: false,
        }
    }
}

/// Whether a Done step (a jog, strides) moves on by itself after its suggested time, so the
/// athlete need not walk back to the laptop: the athlete's setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DoneSteps {
    /// Always wait for Done.
    Wait,
    /// Move on where the routine says so (its `auto_advance`, after its margin).
    #[default]
    AsRoutine,
    /// Move on in every routine: after the routine's margin, or the setting's own.
    MoveOn,
}

/// The margin after a Done step's suggested time when the routine gives none.
pub const DEFAULT_DONE_MARGIN: Duration = Duration::from_secs(30);

/// What a routine is planned with besides itself: the app's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanOptions {
    /// The lead-in before the first step, unless the routine sets its own.
    pub lead_in: Duration,
    /// The language of routines that name none, spoken or not (captions follow it too).
    pub language: Language,
    /// The voice it is spoken with; `None` when nothing is spoken, so no time is made for
    /// words. A routine's own `language` overrides the voice's.
    pub voice: Option<Voice>,
    /// The optional calls.
    pub calls: Calls,
    /// Whether Done steps move on by themselves.
    pub done_steps: DoneSteps,
    /// How long after its suggested time a Done step moves on under
    /// [`DoneSteps::MoveOn`] when the routine gives no `auto_advance`.
    pub done_margin: Duration,
}

impl PlanOptions {
    /// A plan that speaks nothing, with `lead_in`.
    #[must_use]
    pub fn silent(lead_in: Duration) -> Self {
        Self {
            lead_in,
            language: Language::English,
            voice: None,
            calls: Calls::default(),
            done_steps: DoneSteps::default(),
            done_margin: DEFAULT_DONE_MARGIN,
        }
    }

    /// A plan spoken by the default voice, with `lead_in`.
    #[must_use]
    pub fn spoken(lead_in: Duration) -> Self {
        Self {
            lead_in,
            language: Language::English,
            voice: Some(Voice::default()),
            calls: Calls::default(),
            done_steps: DoneSteps::default(),
            done_margin: DEFAULT_DONE_MARGIN,
        }
    }
}

/// Seconds espeak-ng takes per letter, digit, full stop (or `:` `;` `!` `?`) and comma at
/// [`DEFAULT_WORDS_PER_MINUTE`], fitted to every phrase of the bundled routines.
const SECS_PER_LETTER: f64 = 0.0655;
const SECS_PER_DIGIT: f64 = 0.212;
const SECS_PER_STOP: f64 = 0.40;
const SECS_PER_COMMA: f64 = 0.35;

/// The estimate is the fit times this, plus [`ESTIMATE_SLACK`]: never short of espeak-ng in
/// any built-in language (a test renders every phrase of every bundled routine to check).
const ESTIMATE_MARGIN: f64 = 1.2;
const ESTIMATE_SLACK: f64 = 0.15;

/// How long `voice` takes to say `text`, erring long: what a plan makes room for before
/// any phrase is rendered, so a plan is the same on every machine, with or without a voice.
#[must_use]
pub fn estimate(text: &str, voice: &Voice) -> Duration {
    let mut secs = 0.0;
    for c in text.chars() {
        secs += match c {
            '.' | ':' | ';' | '!' | '?' => SECS_PER_STOP,
            ',' => SECS_PER_COMMA,
            c if c.is_numeric() => SECS_PER_DIGIT,
            c if c.is_alphabetic() => SECS_PER_LETTER,
            _ => 0.0,
        };
    }
    if secs == 0.0 {
        return Duration::ZERO;
    }
    // espeak-ng slows more than in proportion below its default speed.
    let ratio = f64::from(DEFAULT_WORDS_PER_MINUTE)
        / f64::from(
            voice
                .words_per_minute
                .clamp(*WORDS_PER_MINUTE.start(), *WORDS_PER_MINUTE.end()),
        );
    let speed = if ratio > 1.0 { ratio.powf(1.25) } else { ratio };
    Duration::from_secs_f64(secs * speed * ESTIMATE_MARGIN + ESTIMATE_SLACK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_name_their_language_with_any_region() {
        assert_eq!(Language::from_code("de"), Some(Language::German));
        assert_eq!(Language::from_code("DE-at"), Some(Language::German));
        assert_eq!(Language::from_code("nl_BE"), Some(Language::Dutch));
        assert_eq!(Language::from_code("it"), None);
        assert_eq!(Language::from_code(""), None);
        for language in Language::ALL {
            assert_eq!(Language::from_code(language.code()), Some(language));
        }
    }

    #[test]
    fn a_variant_is_a_plain_word_never_an_option_or_a_path() {
        let voice = |variant: &str| Voice {
            variant: Some(variant.to_owned()),
            ..Voice::default()
        };
        assert_eq!(voice("f2").espeak_name(), "en-us+f2");
        assert_eq!(voice("-x").espeak_name(), "en-us");
        assert_eq!(voice("../../etc").espeak_name(), "en-us");
        assert_eq!(Voice::default().espeak_name(), "en-us");
    }

    #[test]
    fn the_estimate_grows_with_the_words_and_slower_speech() {
        let voice = Voice::default();
        let short = estimate("Halfway.", &voice);
        let long = estimate("Set 1 of 2, left side. Bird dog. 8 reps.", &voice);
        assert!(short > Duration::from_millis(600) && short < Duration::from_millis(1300));
        assert!(long > short * 3);
        let slow = Voice {
            words_per_minute: 120,
            ..Voice::default()
        };
        assert!(estimate("Bird dog.", &slow) > estimate("Bird dog.", &voice));
        assert_eq!(estimate("", &voice), Duration::ZERO);
        assert_eq!(estimate(" - ", &voice), Duration::ZERO);
    }
}
