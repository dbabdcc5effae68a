//! A routine's guided audio as one WAV file, rendered offline with no sound device: the
//! planned schedule (Done-steps at their suggested time) laid out as the app would play it.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use super::bank::{self, Preparation, SoundBank};
use super::clip::frames_to_duration;
use super::track::{self, Layout, Track, TrackOptions};
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

/// What was rendered.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// Where every sound went.
    pub layout: Layout,
    /// The mixed track, from the routine's start.
    pub track: Track,
    /// Cues in the schedule.
    pub cues: usize,
    /// How preparing the sounds went (voice render time, warnings).
    pub preparation: bank::Progress,
    /// The length of the audio, tail included.
    pub duration: Duration,
}

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing the WAV failed.
    #[error("cannot write the WAV file: {0}")]
    Wav(#[from] hound::Error),
}

/// Lays out and mixes the whole routine from its start, preparing its sounds on this thread.
#[must_use]
pub fn render(plan: &Plan, options: ExportOptions) -> Rendered {
    let bank = Mutex::new(SoundBank::new());
    let preparation = bank::prepare(
        &bank,
        &Preparation::for_plan(plan, options.track.voice),
        // Offline, the whole routine is mixed at once: every phrase is held.
        &|_| true,
        &|| false,
        &mut |_| {},
    );
    let bank = bank
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    render_with(plan, options, &bank, preparation)
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
    let duration = end.max(plan.total().duration) + TAIL;
    Rendered {
        layout,
        track,
        cues: cues.len(),
        preparation,
        duration,
    }
}

/// Writes `rendered` as a 16-bit mono WAV, streaming (a long routine never sits in memory).
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
    let frames = (rendered.duration.as_nanos() * u128::from(rate_hz) / 1_000_000_000)
        .try_into()
        .unwrap_or(usize::MAX);
    let mut source = rendered.track.clone().into_source();
    for _ in 0..frames {
        writer.write_sample(to_i16(source.next().unwrap_or(0.0)))?;
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
