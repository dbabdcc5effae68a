//! Spoken announcements: espeak-ng renders each text into 16-bit samples at its own rate.
//!
//! A whole plan's texts are rendered when the routine is loaded, to measure them, and again
//! a few minutes before they are said (see [`super::bank`]), so playback never waits for a
//! voice. Without espeak-ng, the app says so once and beeps.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read as _, Write as _};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock, mpsc};
use std::time::Duration;

use super::clip::{Clip, ClipError};
use crate::timeline::speech::WORDS_PER_MINUTE;
use crate::timeline::{Language, Voice};

/// The program that speaks.
pub const ESPEAK: &str = "espeak-ng";

/// The loudest speech gets (tones stay at [`super::tones::TONE_PEAK`]).
pub const VOICE_PEAK: f32 = 0.6;

/// Quiet below this is trimmed from both ends of a rendered phrase, so it starts on time.
pub const VOICE_TRIM: f32 = 0.01;

/// A text longer than this is cut before it is spoken: a step's `say` is a sentence or two.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// espeak-ng is given this long per phrase before it is stopped.
pub const RENDER_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a phrase could not be spoken.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    /// espeak-ng is not installed (or cannot be started).
    #[error("espeak-ng cannot be started ({0}); install the `espeak-ng` package for spoken cues")]
    Missing(std::io::Error),
    /// It ran but failed.
    #[error("espeak-ng failed: {0}")]
    Failed(String),
    /// It did not finish in [`RENDER_TIMEOUT`].
    #[error("espeak-ng took longer than {} s", RENDER_TIMEOUT.as_secs())]
    TimedOut,
    /// Its output is not a WAV we can read.
    #[error("espeak-ng's output cannot be read: {0}")]
    Decode(#[from] ClipError),
}

impl VoiceError {
    /// Whether no phrase can be spoken at all (rather than this one).
    #[must_use]
    pub fn is_missing(&self) -> bool {
        matches!(self, Self::Missing(_))
    }
}

/// The arguments that make espeak-ng say its standard input with `voice` as a WAV.
#[must_use]
pub fn espeak_args(voice: &Voice) -> Vec<String> {
    let speed = voice
        .words_per_minute
        .clamp(*WORDS_PER_MINUTE.start(), *WORDS_PER_MINUTE.end());
    vec![
        "-v".to_owned(),
        voice.espeak_name(),
        "-s".to_owned(),
        speed.to_string(),
        "--stdout".to_owned(),
    ]
}

/// Renders `text` with espeak-ng in `voice`, trimmed and normalised to [`VOICE_PEAK`].
///
/// When espeak-ng has no voice for the voice's language ([`has_voice`]), the English voice
/// says it instead, at the same speed and variant ([`missing_voice_warning`] says so).
/// The text goes in on standard input, so a text starting with `-` is never read as an option.
///
/// # Errors
/// espeak-ng is missing, fails, hangs, or writes something that is not a WAV.
pub fn render(text: &str, voice: &Voice) -> Result<Clip, VoiceError> {
    let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
    let voice = available(voice);
    let mut child = Command::new(ESPEAK)
        .args(espeak_args(&voice))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(VoiceError::Missing)?;
    let (Some(mut stdin), Some(mut stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        return Err(VoiceError::Failed("no pipes to espeak-ng".to_owned()));
    };
    // Read the output on a helper thread, so a hung espeak-ng can be stopped after a timeout.
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::Builder::new()
        .name("limberup-espeak-read".to_owned())
        .spawn(move || {
            let mut wav = Vec::new();
            let read = stdout.read_to_end(&mut wav);
            let _ = tx.send(read.map(|_| wav));
        });
    if let Err(e) = reader {
        let _ = child.kill();
        return Err(VoiceError::Failed(format!("cannot start a thread: {e}")));
    }
    let written = stdin.write_all(text.as_bytes());
    drop(stdin);
    let Ok(output) = rx.recv_timeout(RENDER_TIMEOUT) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(VoiceError::TimedOut);
    };
    let status = child
        .wait()
        .map_err(|e| VoiceError::Failed(e.to_string()))?;
    let wav = output.map_err(|e| VoiceError::Failed(e.to_string()))?;
    written.map_err(|e| VoiceError::Failed(e.to_string()))?;
    if !status.success() {
        return Err(VoiceError::Failed(status.to_string()));
    }
    let clip = Clip::decode(Cursor::new(wav))?;
    Ok(clip.trimmed_and_normalised(VOICE_TRIM, VOICE_PEAK))
}

/// Whether espeak-ng has a voice of its own for `language` here (an MBROLA voice, which
/// needs MBROLA's data besides, does not count). Asked once per language and remembered;
/// `false` when espeak-ng cannot be started. The first time a language other than English
/// has none, [`missing_voice_warning`] goes to the log.
#[must_use]
pub fn has_voice(language: Language) -> bool {
    static KNOWN: OnceLock<Mutex<HashMap<Language, bool>>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(&has) = known
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&language)
    {
        return has;
    }
    // Asked without the lock held: espeak-ng may take a moment, and a second caller asking
    // at the same time only asks again.
    let has = Command::new(ESPEAK)
        .arg(format!("--voices={}", language.code()))
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| {
            out.status.success() && lists_a_voice(&String::from_utf8_lossy(&out.stdout))
        });
    let first = known
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(language, has)
        .is_none();
    if first && !has && language != Language::English {
        log::warn!("{}", missing_voice_warning(language));
    }
    has
}

/// Whether the output of `espeak-ng --voices=<code>` lists a voice espeak-ng speaks by
/// itself: a row under the header whose file is not an MBROLA voice (`mb/…`).
#[must_use]
pub fn lists_a_voice(listing: &str) -> bool {
    listing.lines().skip(1).any(|row| {
        // Pty, Language, Age/Gender, VoiceName, File, Other Languages.
        row.split_whitespace()
            .nth(4)
            .is_some_and(|file| !file.starts_with("mb/"))
    })
}

/// What to tell the athlete when espeak-ng has no voice for `language`: that the phrases
/// are spoken by the English voice instead, and what to install.
#[must_use]
pub fn missing_voice_warning(language: Language) -> String {
    let name = english_name(language);
    format!(
        "espeak-ng has no {name} voice here; the phrases are spoken by the English voice. \
         Install espeak-ng-data (the package with espeak-ng's voices) to hear them in {name}."
    )
}

/// The language's name in English, for messages.
fn english_name(language: Language) -> &'static str {
    match language {
        Language::English => "English",
        Language::German => "German",
        Language::French => "French",
        Language::Spanish => "Spanish",
        Language::Dutch => "Dutch",
    }
}

/// `voice`, or the same voice in English when espeak-ng has no voice for its language.
fn available(voice: &Voice) -> Cow<'_, Voice> {
    available_with(voice, has_voice)
}

/// [`available`], asking `has_voice` whether a language has a voice.
fn available_with(voice: &Voice, has_voice: impl Fn(Language) -> bool) -> Cow<'_, Voice> {
    if voice.language == Language::English || has_voice(voice.language) {
        Cow::Borrowed(voice)
    } else {
        Cow::Owned(Voice {
            language: Language::English,
            ..voice.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::track::tests::check_plan;
    use crate::timeline::script::{announcement_forms, plan_texts};
    use crate::timeline::{CueKind, Plan, schedule};

    #[test]
    fn step_announcements_shorten_to_their_start_then_the_name() {
        let plan = check_plan();
        let cues = schedule(&plan);
        let left = cues
            .iter()
            .find(|c| c.cue.kind == CueKind::StepStart)
            .unwrap();
        assert_eq!(
            announcement_forms(&plan, &left.cue),
            [
                "Left side. Leg swings. 20 seconds. Hold a wall and swing one leg forward and back.",
                "Left side. Leg swings.",
                "Leg swings."
            ],
            "full, start, name"
        );
        let rest = cues
            .iter()
            .find(|c| c.cue.kind == CueKind::RestStart)
            .unwrap();
        assert_eq!(
            announcement_forms(&plan, &rest.cue),
            ["Rest. Next: Glute bridge.", "Rest."],
            "rest"
        );
        let said = cues
            .iter()
            .rfind(|c| c.cue.kind == CueKind::StepStart)
            .unwrap();
        assert_eq!(
            announcement_forms(&plan, &said.cue),
            ["Jog easy. Press Done when you are back.", "Easy jog."],
            "a step's own words shorten to its name"
        );
        let texts = plan_texts(&plan);
        assert!(
            texts.contains(&"Get ready.".to_owned()) && texts.contains(&"Leg swings.".to_owned()),
            "short forms and the resume are rendered too"
        );
        assert_eq!(
            texts.len(),
            texts.iter().collect::<std::collections::HashSet<_>>().len(),
            "each once"
        );
    }

    /// The German routine of `tests/routines/`, planned to be spoken.
    fn german_plan() -> Plan {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/routines/german-warmup.ron");
        let routine = crate::routine::load(&path, crate::routine::LoadOptions::default())
            .routine
            .unwrap();
        Plan::with_options(
            std::sync::Arc::new(routine),
            crate::timeline::PlanOptions::spoken(Duration::from_secs(3)),
        )
    }

    #[test]
    fn the_short_forms_are_in_the_plans_language() {
        let plan = german_plan();
        let cues = schedule(&plan);
        let forms = |kind: CueKind| {
            let cue = cues.iter().find(|c| c.cue.kind == kind).unwrap();
            announcement_forms(&plan, &cue.cue)
        };
        assert_eq!(
            forms(CueKind::GetReady),
            [
                "Mach dich bereit. Aufwärmen vor dem Lauf. Zuerst: Beinpendel vorwärts, linke Seite.",
                "Mach dich bereit."
            ],
            "the opening"
        );
        assert_eq!(
            forms(CueKind::StepStart),
            [
                "Satz 1 von 2, linke Seite. Beinpendel vorwärts. 10 Wiederholungen. An einer Wand festhalten und das Bein locker vor und zurück schwingen.",
                "Satz 1 von 2, linke Seite. Beinpendel vorwärts.",
                "Beinpendel vorwärts."
            ],
            "a step"
        );
        assert_eq!(
            forms(CueKind::RestStart),
            [
                "Pause. Als Nächstes: Ausfallschritt, Seiten im Wechsel.",
                "Pause."
            ],
            "a rest"
        );
        let texts = plan_texts(&plan);
        assert!(
            texts.contains(&"Mach dich bereit.".to_owned()),
            "the count-in after a resume"
        );
        let english = [
            "Get", "ready", "Rest", "Next", "Set", "side", "Last", "Round",
        ];
        for text in &texts {
            assert!(
                !text
                    .split(|c: char| !c.is_alphabetic())
                    .any(|word| english.contains(&word)),
                "English in {text:?}"
            );
        }
    }

    #[test]
    fn a_round_is_part_of_the_short_form() {
        let source = r#"Routine(format: 1, title: "T", sections: [Section(title: "A", rounds: 3, steps: [
                Step(name: "Run", instruction: "Run.", time: 60),
            ])])"#;
        let routine = crate::routine::parse(source, std::path::Path::new("/nonexistent/t.ron"))
            .routine
            .unwrap();
        let plan = Plan::new(std::sync::Arc::new(routine), Duration::ZERO);
        let cues = schedule(&plan);
        let starts: Vec<Vec<String>> = cues
            .iter()
            .filter(|c| c.cue.kind == CueKind::StepStart)
            .map(|c| announcement_forms(&plan, &c.cue))
            .collect();
        assert_eq!(
            starts[2],
            ["Last round. Run. 1 minute.", "Last round. Run.", "Run."],
            "the last round"
        );
    }

    #[test]
    fn a_voice_listing_counts_espeak_ngs_own_voices_only() {
        let header =
            "Pty Language       Age/Gender VoiceName          File                 Other Languages";
        let german = format!(
            "{header}\n 5  de              --/M      German             gmw/de\n 6  de              --/F      german-mbrola-1    mb/mb-de1\n"
        );
        assert!(lists_a_voice(&german), "espeak-ng's own German voice");
        let mbrola_only =
            format!("{header}\n 6  de              --/F      german-mbrola-1    mb/mb-de1\n");
        assert!(!lists_a_voice(&mbrola_only), "MBROLA needs its own data");
        assert!(!lists_a_voice(&format!("{header}\n")), "no voice");
        assert!(!lists_a_voice(""), "nothing printed");
    }

    #[test]
    fn a_language_without_a_voice_is_spoken_by_the_english_voice() {
        let german = Voice {
            language: Language::German,
            words_per_minute: 140,
            variant: Some("f2".to_owned()),
        };
        let spoken = available_with(&german, |_| false);
        assert_eq!(
            *spoken,
            Voice {
                language: Language::English,
                ..german.clone()
            },
            "the same speed and variant, in English"
        );
        assert_eq!(*available_with(&german, |_| true), german, "its own voice");
        assert_eq!(
            missing_voice_warning(Language::German),
            "espeak-ng has no German voice here; the phrases are spoken by the English voice. \
             Install espeak-ng-data (the package with espeak-ng's voices) to hear them in German.",
            "the warning"
        );
    }

    #[test]
    fn whether_espeak_ng_has_a_voice_is_asked_once() {
        let first = has_voice(Language::French);
        assert_eq!(has_voice(Language::French), first, "remembered");
        if render("Halfway.", &Voice::default()).is_ok() {
            assert!(has_voice(Language::English), "espeak-ng speaks English");
        }
    }

    #[test]
    fn espeak_renders_a_phrase_or_says_it_is_missing() {
        match render("-x Halfway.", &Voice::default()) {
            Ok(clip) => {
                let peak = clip.samples().iter().fold(0.0f32, |m, s| m.max(s.abs()));
                assert!((peak - VOICE_PEAK).abs() < 1e-3, "normalised: {peak}");
                assert!(
                    clip.samples()[0].abs() >= VOICE_TRIM,
                    "starts on the speech"
                );
                let length = clip.duration();
                assert!(
                    length > Duration::from_millis(400) && length < Duration::from_secs(3),
                    "a short phrase, the dash spoken as text: {length:?}"
                );
            }
            Err(e) => assert!(
                e.is_missing(),
                "only a missing espeak-ng is acceptable here: {e}"
            ),
        }
    }
}
