//! A routine's guided audio as one WAV file, rendered offline with no sound device: the
//! planned schedule (Done-steps at their suggested time) laid out as the app would play it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use super::bank::{self, Preparation, SoundBank};
use super::clip::{Clip, frames_to_duration};
use super::track::{self, Layout, PlacedSound, SoundKind, Track, TrackOptions};
use super::voice;
use crate::timeline::Voice;
use crate::timeline::script::{self, Script};
use crate::timeline::{self, Plan, ScheduledCue};

/// The sample rate files are written at unless asked otherwise.
pub const DEFAULT_RATE_HZ: u32 = 48_000;

/// Silence after the last sound.
pub const TAIL: Duration = Duration::from_secs(1);

/// How to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    /// Sample rate of the file.
    pub rate_hz: u32,
    /// Which sounds.
    pub track: TrackOptions,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            rate_hz: DEFAULT_RATE_HZ,
            track: TrackOptions {
                voice: true,
                beeps: true,
            },
        }
    }
}

/// What was rendered: every sound placed, the tones and clips held, and the phrases only
/// measured ([`Layout::unrendered`]): [`write_wav`] renders them a minute at a time.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// Where every sound went.
    pub layout: Layout,
    /// The mixed tones and clips, from the routine's start.
    pub track: Track,
    /// The voice the phrases are said in; `None` when nothing is said.
    pub voice: Option<Voice>,
    /// Cues in the schedule.
    pub cues: usize,
    /// How preparing the sounds went (voice render time, warnings).
    pub preparation: bank::Progress,
    /// The length of the audio, tail included.
    pub duration: Duration,
}

impl Rendered {
    /// How many sounds the file holds: the tones and clips, and the phrases said.
    #[must_use]
    pub fn sound_count(&self) -> usize {
        let said = if self.voice.is_some() {
            self.layout.unrendered.len()
        } else {
            0
        };
        self.layout.sounds.len() + said
    }
}

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing the WAV failed.
    #[error("cannot write the WAV file: {0}")]
    Wav(#[from] hound::Error),
}

/// Lays out the whole routine from its start, preparing its sounds on this thread: the
/// phrases are measured, not held (a routine of 2,000 steps would hold hundreds of MB);
/// [`write_wav`] renders them again as it reaches them.
#[must_use]
pub fn render(plan: &Plan, options: ExportOptions) -> Rendered {
    let bank = Mutex::new(SoundBank::new());
    let prep = Preparation::for_plan(plan, options.track.voice);
    let preparation = bank::prepare(&bank, &prep, &|_| false, &|| false, &mut |_| {});
    let bank = bank
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let voice =
        (options.track.voice && preparation.voice_unavailable.is_none()).then_some(prep.voice);
    Rendered {
        voice,
        ..render_with(plan, options, &bank, preparation)
    }
}

/// The voice script of the whole plan with every phrase's length measured: its phrases
/// rendered (on this thread), else, with no voice to render them, estimated. Also says
/// which, and how preparing went.
#[must_use]
pub fn measured_script(plan: &Plan) -> (Script, bool, bank::Progress) {
    let bank = Mutex::new(SoundBank::new());
    let preparation = bank::prepare(
        &bank,
        &Preparation::for_plan(plan, true),
        // Lengths only.
        &|_| false,
        &|| false,
        &mut |_| {},
    );
    let bank = bank
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if preparation.voice_unavailable.is_some() {
        let script = script::planned(plan, &script::Estimate::new(plan));
        return (script, false, preparation);
    }
    let script = script::planned(plan, &track::BankTiming { plan, bank: &bank });
    (script, true, preparation)
}

/// Like [`render`], with sounds already prepared in `bank`.
#[must_use]
pub fn render_with(
    plan: &Plan,
    options: ExportOptions,
    bank: &SoundBank,
    preparation: bank::Progress,
) -> Rendered {
    let cues: Vec<ScheduledCue> = timeline::schedule(plan)
        .into_iter()
        .map(|c| ScheduledCue {
            cue: c.cue,
            at: c.offset,
        })
        .collect();
    let layout = track::lay_out(plan, &cues, Duration::ZERO, bank, options.track, &[]);
    let track = Track::new(&layout.sounds, Duration::ZERO, options.rate_hz);
    let end = frames_to_duration(
        u64::try_from(track.end_frame()).unwrap_or(0),
        options.rate_hz,
    );
    let said = layout.unrendered.iter().map(script::Line::end).max();
    let duration = end.max(said.unwrap_or_default()).max(plan.total().duration) + TAIL;
    Rendered {
        layout,
        track,
        voice: None,
        cues: cues.len(),
        preparation,
        duration,
    }
}

/// How much of the file is mixed at once: whole seconds, so every rate gives whole frames
/// and a sound lands on the same sample whichever piece it is mixed in.
const PIECE: Duration = Duration::from_mins(1);

/// The sounds that play between `from` and `to`: the tones and clips held, and the phrases
/// placed there, rendered (each once while it plays: `held` keeps those that run on).
fn sounds_between(
    rendered: &Rendered,
    from: Duration,
    to: Duration,
    held: &mut HashMap<String, Clip>,
) -> Vec<PlacedSound> {
    let plays = |at: Duration, end: Duration| at < to && end > from;
    let mut sounds: Vec<PlacedSound> = rendered
        .layout
        .sounds
        .iter()
        .filter(|s| plays(s.at, s.end()))
        .cloned()
        .collect();
    // The phrases still playing at `to`, for the next piece.
    let mut runs_on = HashMap::new();
    if let Some(voice) = &rendered.voice {
        let lines = rendered
            .layout
            .unrendered
            .iter()
            .filter(|l| plays(l.at, l.end()));
        for line in lines {
            let clip = match held.get(&line.text) {
                Some(clip) => clip.clone(),
                None => match voice::render(&line.text, voice) {
                    Ok(clip) => clip,
                    Err(error) => {
                        log::warn!("{error}");
                        continue;
                    }
                },
            };
            if line.end() > to {
                runs_on.insert(line.text.clone(), clip.clone());
            }
            sounds.push(PlacedSound {
                at: line.at,
                due: line.due,
                clip,
                kind: SoundKind::Voice(line.text.clone()),
                cue: line.cue,
            });
        }
    }
    *held = runs_on;
    sounds
}

/// Writes `rendered` as a 16-bit mono WAV, a minute at a time: the phrases of each minute
/// are rendered as it is mixed and dropped after, so memory stays flat however long the
/// routine (a long routine never sits in memory, nor do its words).
///
/// # Errors
/// The file cannot be created or written.
pub fn write_wav(rendered: &Rendered, path: &Path, rate_hz: u32) -> Result<(), ExportError> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate_hz,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec)?;
    let frames = |d: Duration| -> u64 {
        (d.as_nanos() * u128::from(rate_hz) / 1_000_000_000)
            .try_into()
            .unwrap_or(u64::MAX)
    };
    let total = frames(rendered.duration);
    let mut held = HashMap::new();
    let mut from = Duration::ZERO;
    let mut written = 0;
    while written < total {
        let to = from + PIECE;
        let sounds = sounds_between(rendered, from, to, &mut held);
        let mut source = Track::new(&sounds, from, rate_hz).into_source();
        for _ in 0..frames(PIECE).min(total - written) {
            writer.write_sample(to_i16(source.next().unwrap_or(0.0)))?;
        }
        written += frames(PIECE).min(total - written);
        from = to;
    }
    writer.finalize()?;
    Ok(())
}

/// A sample (-1 to 1) as 16-bit PCM.
#[must_use]
#[expect(
    clippy::cast_possible_truncation,
    reason = "clamped to the i16 range first"
)]
pub fn to_i16(sample: f32) -> i16 {
    (sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16
}
