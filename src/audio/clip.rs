//! A sound held in memory: mono samples at their own rate, shared without copying.
//!
//! Tones and decoded clips hold 32-bit floats; spoken phrases hold espeak-ng's own 16-bit
//! samples with the gain that normalises them, half the memory and the same values: each
//! sample reads exactly as the float it was decoded to, scaled by that gain.

use std::borrow::Cow;
use std::io::{BufReader, Read, Seek};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Clips longer than this are cut: a cue sound is a few seconds, not a song.
pub const MAX_CLIP: Duration = Duration::from_secs(30);

/// Mono samples (-1 to 1) at `rate_hz`. Cloning shares the samples.
#[derive(Clone, Debug, PartialEq)]
pub struct Clip {
    samples: Samples,
    rate_hz: u32,
}

/// How a clip's samples are stored.
#[derive(Clone, Debug, PartialEq)]
enum Samples {
    /// Floats as they play (tones, decoded files).
    Float(Arc<[f32]>),
    /// 16-bit PCM (espeak-ng's output): sample `i` plays as `i / 32768 × gain`, the float
    /// the decoder gives for it (`dasp_sample`'s `i16` to `f32`) times the gain.
    Pcm16 { samples: Arc<[i16]>, gain: f32 },
}

/// A 16-bit sample as the decoder gives it (`dasp_sample`'s conversion).
fn pcm16_to_f32(sample: i16) -> f32 {
    f32::from(sample) / 32_768.0
}

/// The 16-bit samples `samples` were decoded from, if every one is exactly such a sample.
#[expect(
    clippy::cast_possible_truncation,
    reason = "in range and whole: checked by converting back"
)]
fn as_pcm16(samples: &[f32]) -> Option<Vec<i16>> {
    samples
        .iter()
        .map(|&s| {
            let scaled = s * 32_768.0;
            let whole = (-32_768.0..=32_767.0).contains(&scaled) && scaled.fract() == 0.0;
            let pcm = whole.then_some(scaled as i16)?;
            (pcm16_to_f32(pcm).to_bits() == s.to_bits() || pcm == 0 && s == 0.0).then_some(pcm)
        })
        .collect()
}

/// Why a sound file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ClipError {
    /// The file cannot be opened or read.
    #[error("cannot read the sound: {0}")]
    Read(#[from] std::io::Error),
    /// Not a WAV, OGG Vorbis or FLAC file we can decode.
    #[error("cannot decode the sound: {0}")]
    Decode(#[from] rodio::decoder::DecoderError),
    /// It decodes to nothing.
    #[error("the sound is empty")]
    Empty,
}

impl Clip {
    /// A clip of `samples` at `rate_hz` (a zero rate is taken as 1 Hz).
    #[must_use]
    pub fn new(samples: Vec<f32>, rate_hz: u32) -> Self {
        Self {
            samples: Samples::Float(samples.into()),
            rate_hz: rate_hz.max(1),
        }
    }

    /// The samples as they play: borrowed for a float clip, converted for a 16-bit one.
    #[must_use]
    pub fn samples(&self) -> Cow<'_, [f32]> {
        match &self.samples {
            Samples::Float(samples) => Cow::Borrowed(samples),
            Samples::Pcm16 { samples, gain } => {
                Cow::Owned(samples.iter().map(|&s| pcm16_to_f32(s) * gain).collect())
            }
        }
    }

    /// How many samples it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        match &self.samples {
            Samples::Float(samples) => samples.len(),
            Samples::Pcm16 { samples, .. } => samples.len(),
        }
    }

    /// The bytes its samples take in memory (4 a float sample, 2 a 16-bit one).
    #[must_use]
    pub fn bytes(&self) -> usize {
        match &self.samples {
            Samples::Float(samples) => std::mem::size_of_val::<[f32]>(samples),
            Samples::Pcm16 { samples, .. } => std::mem::size_of_val::<[i16]>(samples),
        }
    }

    /// Whether its samples are held as 16-bit PCM.
    #[must_use]
    pub fn is_pcm16(&self) -> bool {
        matches!(self.samples, Samples::Pcm16 { .. })
    }

    /// Sample `index` as it plays; `None` past the end.
    fn get(&self, index: usize) -> Option<f32> {
        match &self.samples {
            Samples::Float(samples) => samples.get(index).copied(),
            Samples::Pcm16 { samples, gain } => samples.get(index).map(|&s| pcm16_to_f32(s) * gain),
        }
    }

    /// The same clip held as 16-bit PCM when every sample is exactly a decoded 16-bit
    /// sample (a 16-bit WAV), so it plays the very same values in half the memory.
    #[must_use]
    pub fn into_pcm16(self) -> Self {
        let Samples::Float(floats) = &self.samples else {
            return self;
        };
        match as_pcm16(floats) {
            Some(pcm) => Self {
                samples: Samples::Pcm16 {
                    samples: pcm.into(),
                    gain: 1.0,
                },
                rate_hz: self.rate_hz,
            },
            None => self,
        }
    }

    /// The sample rate.
    #[must_use]
    pub fn rate_hz(&self) -> u32 {
        self.rate_hz
    }

    /// Whether it has no samples.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How long it plays.
    #[must_use]
    pub fn duration(&self) -> Duration {
        frames_to_duration(self.len() as u64, self.rate_hz)
    }

    /// How many frames it lasts when played at `rate_hz` (rounded up).
    #[must_use]
    pub fn frames_at(&self, rate_hz: u32) -> u64 {
        let len = self.len() as u64;
        if rate_hz == self.rate_hz {
            return len;
        }
        (u128::from(len) * u128::from(rate_hz))
            .div_ceil(u128::from(self.rate_hz))
            .try_into()
            .unwrap_or(u64::MAX)
    }

    /// The sample at `frame` of playback at `rate_hz`: exact when the rates match, linearly
    /// interpolated otherwise; 0 past the end.
    #[must_use]
    pub fn sample_at(&self, frame: u64, rate_hz: u32) -> f32 {
        if rate_hz == self.rate_hz {
            return usize::try_from(frame)
                .ok()
                .and_then(|i| self.get(i))
                .unwrap_or(0.0);
        }
        // The position in the clip, in whole samples and a remainder, without rounding drift.
        let scaled = u128::from(frame) * u128::from(self.rate_hz);
        let Ok(index) = usize::try_from(scaled / u128::from(rate_hz)) else {
            return 0.0;
        };
        let remainder = u32::try_from(scaled % u128::from(rate_hz)).unwrap_or(0);
        let fraction = remainder as f32 / rate_hz as f32;
        let a = self.get(index).unwrap_or(0.0);
        let b = self.get(index + 1).unwrap_or(0.0);
        a + (b - a) * fraction
    }

    /// Decodes a WAV, OGG Vorbis or FLAC file, mixed down to mono and cut at `MAX_CLIP` (30 s).
    ///
    /// # Errors
    /// The file cannot be read or decoded, or holds no sound.
    pub fn decode_file(path: &Path) -> Result<Self, ClipError> {
        let file = crate::safe_file::open_regular(path)?;
        let len = file.metadata()?.len();
        let decoder = rodio::Decoder::builder()
            .with_data(BufReader::new(file))
            .with_byte_len(len)
            .with_hint(
                path.extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or_default(),
            )
            .build()?;
        Self::from_source(decoder)
    }

    /// Decodes sound data held in memory (a WAV from espeak-ng, for instance); a 16-bit
    /// WAV is held as 16-bit samples ([`Self::into_pcm16`]).
    ///
    /// # Errors
    /// The data cannot be decoded or holds no sound.
    pub fn decode<R: Read + Seek + Send + Sync + 'static>(data: R) -> Result<Self, ClipError> {
        Ok(Self::from_source(rodio::Decoder::new(data)?)?.into_pcm16())
    }

    /// Reads a source to its end (or [`MAX_CLIP`]), averaging its channels.
    fn from_source(source: impl rodio::Source) -> Result<Self, ClipError> {
        let channels = usize::from(source.channels().get());
        let rate_hz = source.sample_rate().get();
        let max_samples =
            usize::try_from(u64::from(rate_hz) * MAX_CLIP.as_secs()).unwrap_or(usize::MAX);
        let mut samples = Vec::new();
        let mut frame = Vec::with_capacity(channels);
        for sample in source {
            frame.push(sample);
            if frame.len() == channels {
                samples.push(frame.iter().sum::<f32>() / frame.len() as f32);
                frame.clear();
                if samples.len() >= max_samples {
                    break;
                }
            }
        }
        if samples.is_empty() {
            return Err(ClipError::Empty);
        }
        Ok(Self::new(samples, rate_hz))
    }

    /// The clip without the quiet at either end (below `threshold`), scaled so its loudest
    /// sample is `peak`. A 16-bit clip stays 16-bit, the scaling kept as its gain: it plays
    /// the same values as scaling its floats would give.
    #[must_use]
    pub fn trimmed_and_normalised(&self, threshold: f32, peak: f32) -> Self {
        let floats = self.samples();
        let loud = |s: &&f32| s.abs() >= threshold;
        let start = floats.iter().position(|s| loud(&s)).unwrap_or(0);
        let end = floats
            .iter()
            .rposition(|s| loud(&s))
            .map_or(start, |e| e + 1);
        let range = start..end.max(start);
        let body = &floats[range.clone()];
        let max = body.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        let gain = if max > 0.0 { peak / max } else { 1.0 };
        match &self.samples {
            // A gain of one: scaling by `gain` once is exactly what the floats would get.
            Samples::Pcm16 { samples, gain: one } if one.to_bits() == 1.0f32.to_bits() => Self {
                samples: Samples::Pcm16 {
                    samples: samples[range].into(),
                    gain,
                },
                rate_hz: self.rate_hz,
            },
            _ => Self::new(body.iter().map(|s| s * gain).collect(), self.rate_hz),
        }
    }
}

/// `frames` at `rate_hz` as a duration.
#[must_use]
pub fn frames_to_duration(frames: u64, rate_hz: u32) -> Duration {
    let nanos = u128::from(frames) * 1_000_000_000 / u128::from(rate_hz.max(1));
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// A signed time difference in frames at `rate_hz`, rounded to the nearest frame.
#[must_use]
pub fn frames_between(from: Duration, to: Duration, rate_hz: u32) -> i64 {
    let (sign, span) = match to.checked_sub(from) {
        Some(span) => (1, span),
        None => (-1, from.saturating_sub(to)),
    };
    let frames = (span.as_nanos() * u128::from(rate_hz) + 500_000_000) / 1_000_000_000;
    sign * i64::try_from(frames).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_to_the_nearest() {
        assert_eq!(
            frames_between(Duration::ZERO, Duration::from_millis(1), 48_000),
            48,
            "1 ms"
        );
        assert_eq!(
            frames_between(Duration::from_secs(2), Duration::from_secs(1), 48_000),
            -48_000,
            "backwards"
        );
        assert_eq!(
            frames_to_duration(48_000, 48_000),
            Duration::from_secs(1),
            "one second"
        );
    }

    #[test]
    fn resampled_playback_keeps_length_and_shape() {
        let clip = Clip::new(vec![0.0, 1.0, 0.0, -1.0], 4);
        assert_eq!(
            clip.frames_at(8),
            8,
            "twice as many frames at twice the rate"
        );
        assert!(
            (clip.sample_at(1, 8) - 0.5).abs() < 1e-6,
            "interpolated half-way"
        );
        assert!(
            (clip.sample_at(2, 8) - 1.0).abs() < 1e-6,
            "on a source sample"
        );
        assert!(
            clip.sample_at(100, 8).abs() < f32::EPSILON,
            "silence past the end"
        );
    }

    #[test]
    fn a_16_bit_wav_is_held_as_16_bit_and_plays_the_same_values_as_floats() {
        let mut wav = std::io::Cursor::new(Vec::new());
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 22_050,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer = hound::WavWriter::new(&mut wav, spec).unwrap();
        for i in 0..2_205_i32 {
            let ramp = (i * 29 % 65_536 - 32_768).clamp(-32_768, 32_767);
            writer.write_sample(i16::try_from(ramp).unwrap()).unwrap();
        }
        writer.finalize().unwrap();
        let data = wav.into_inner();
        let pcm = Clip::decode(std::io::Cursor::new(data.clone())).unwrap();
        let floats =
            Clip::from_source(rodio::Decoder::new(std::io::Cursor::new(data)).unwrap()).unwrap();
        assert!(pcm.is_pcm16() && !floats.is_pcm16(), "16-bit and floats");
        assert_eq!(pcm.bytes() * 2, floats.bytes(), "half the memory");
        let bits =
            |clip: &Clip| -> Vec<u32> { clip.samples().iter().map(|s| s.to_bits()).collect() };
        assert_eq!(bits(&pcm), bits(&floats), "the same values");
        // As a phrase is made ready: trimmed and scaled, then played at the device's rate.
        let (pcm, floats) = (
            pcm.trimmed_and_normalised(0.01, 0.6),
            floats.trimmed_and_normalised(0.01, 0.6),
        );
        assert!(pcm.is_pcm16(), "still 16-bit, with its gain");
        assert_eq!(bits(&pcm), bits(&floats), "scaled alike, to the bit");
        for rate in [22_050, 44_100, 48_000] {
            let played = |clip: &Clip| -> Vec<u32> {
                (0..clip.frames_at(rate))
                    .map(|f| clip.sample_at(f, rate).to_bits())
                    .collect()
            };
            assert_eq!(played(&pcm), played(&floats), "played alike at {rate} Hz");
        }
    }

    #[test]
    fn trims_quiet_ends_and_normalises() {
        let clip =
            Clip::new(vec![0.0, 0.001, 0.2, -0.4, 0.1, 0.0], 10).trimmed_and_normalised(0.01, 0.8);
        assert_eq!(clip.samples().len(), 3, "three loud samples");
        assert!((clip.samples()[1] + 0.8).abs() < 1e-6, "peak scaled to 0.8");
    }
}
