//! The built-in cue sounds, synthesised in code: sine notes with short raised-cosine fades,
//! so nothing clicks, each at a known frequency so tests can check it.

use std::f32::consts::PI;
use std::time::Duration;

use super::clip::Clip;

/// The rate the built-in sounds are synthesised at.
pub const TONE_RATE_HZ: u32 = 48_000;

/// The loudest a built-in sound gets (speech peaks at [`super::voice::VOICE_PEAK`]), so a
/// tone under speech stays below full scale.
pub const TONE_PEAK: f32 = 0.4;

/// Fade in and out of every note.
pub const FADE: Duration = Duration::from_millis(5);

/// A built-in cue sound.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tone {
    /// Work starts ("go"): a long, high note, unlike the pips before it.
    Start,
    /// A 3-2-1 pip.
    Pip,
    /// Change sides: two notes, high then low ("ding-dong").
    Switch,
    /// Halfway through a long step: one soft low note.
    Halfway,
    /// A paced rep: a very short click-like note.
    Rep,
    /// A rest starts: a low note.
    Rest,
    /// The routine is complete: four rising notes (C5 E5 G5 C6).
    Finish,
}

/// One sine note: when it starts, how long it lasts, its frequency, and whether it rings out
/// (decays) instead of holding its level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Note {
    /// Offset from the sound's start.
    pub at: Duration,
    /// Length.
    pub length: Duration,
    /// Frequency.
    pub frequency_hz: f32,
    /// Decays exponentially like a bell instead of holding.
    pub rings: bool,
}

const fn note(at_ms: u64, length_ms: u64, frequency_hz: f32, rings: bool) -> Note {
    Note {
        at: Duration::from_millis(at_ms),
        length: Duration::from_millis(length_ms),
        frequency_hz,
        rings,
    }
}

impl Tone {
    /// Every built-in sound.
    pub const ALL: [Self; 7] = [
        Self::Start,
        Self::Pip,
        Self::Switch,
        Self::Halfway,
        Self::Rep,
        Self::Rest,
        Self::Finish,
    ];

    /// The notes the sound is made of.
    #[must_use]
    pub fn notes(self) -> &'static [Note] {
        const START: [Note; 1] = [note(0, 400, 1320.0, false)];
        const PIP: [Note; 1] = [note(0, 120, 880.0, false)];
        const SWITCH: [Note; 2] = [note(0, 140, 1175.0, false), note(180, 220, 784.0, false)];
        const HALFWAY: [Note; 1] = [note(0, 150, 660.0, false)];
        const REP: [Note; 1] = [note(0, 40, 1000.0, false)];
        const REST: [Note; 1] = [note(0, 300, 440.0, false)];
        const FINISH: [Note; 4] = [
            note(0, 450, 523.25, true),
            note(150, 450, 659.25, true),
            note(300, 450, 783.99, true),
            note(450, 900, 1046.5, true),
        ];
        match self {
            Self::Start => &START,
            Self::Pip => &PIP,
            Self::Switch => &SWITCH,
            Self::Halfway => &HALFWAY,
            Self::Rep => &REP,
            Self::Rest => &REST,
            Self::Finish => &FINISH,
        }
    }

    /// The sound, synthesised at `TONE_RATE_HZ` (48 kHz).
    #[must_use]
    pub fn clip(self) -> Clip {
        synthesise(self.notes(), TONE_RATE_HZ)
    }
}

/// Mixes `notes` into one clip at `rate_hz`.
#[must_use]
pub fn synthesise(notes: &[Note], rate_hz: u32) -> Clip {
    let rate = rate_hz as f32;
    let frames = |d: Duration| frames(d, rate_hz);
    let total = notes
        .iter()
        .map(|n| frames(n.at + n.length))
        .max()
        .unwrap_or(0);
    let fade = frames(FADE).max(1);
    let mut samples = vec![0.0f32; total];
    for note in notes {
        let start = frames(note.at);
        let len = frames(note.length);
        let step = 2.0 * PI * note.frequency_hz / rate;
        for i in 0..len {
            let envelope = fade_gain(i, fade) * fade_gain(len - 1 - i, fade);
            let level = if note.rings {
                (-3.0 * i as f32 / len as f32).exp()
            } else {
                1.0
            };
            samples[start + i] += TONE_PEAK * envelope * level * (step * i as f32).sin();
        }
    }
    // Overlapping notes (the chime) must not pass the peak.
    let max = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    if max > TONE_PEAK {
        for s in &mut samples {
            *s *= TONE_PEAK / max;
        }
    }
    Clip::new(samples, rate_hz)
}

/// `duration` in whole frames at `rate_hz`.
#[must_use]
pub fn frames(duration: Duration, rate_hz: u32) -> usize {
    usize::try_from(duration.as_nanos() * u128::from(rate_hz) / 1_000_000_000).unwrap_or(usize::MAX)
}

/// A raised-cosine ramp over the first `fade` frames.
fn fade_gain(i: usize, fade: usize) -> f32 {
    if i >= fade {
        1.0
    } else {
        0.5 - 0.5 * (PI * i as f32 / fade as f32).cos()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::timeline::script;

    #[test]
    fn the_plan_makes_room_for_the_tones_as_long_as_they_are() {
        // The voice script plans with these lengths before any sound exists.
        for (tone, planned) in [
            (Tone::Start, script::START_TONE),
            (Tone::Pip, script::PIP_TONE),
            (Tone::Switch, script::SWITCH_TONE),
            (Tone::Halfway, script::HALFWAY_TONE),
            (Tone::Rep, script::REP_TONE),
            (Tone::Rest, script::REST_TONE),
            (Tone::Finish, script::FINISH_TONE),
        ] {
            assert_eq!(tone.clip().duration(), planned, "{tone:?}");
        }
    }

    /// The power of `frequency_hz` in `samples` (Goertzel), normalised by length.
    pub(crate) fn goertzel(samples: &[f32], rate_hz: u32, frequency_hz: f32) -> f32 {
        let coeff = 2.0 * (2.0 * PI * frequency_hz / rate_hz as f32).cos();
        let (mut s1, mut s2) = (0.0f32, 0.0f32);
        for &x in samples {
            let s0 = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        let n = samples.len().max(1) as f32;
        (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (n * n)
    }

    /// The frequency from upward zero crossings (interpolated between samples), away from
    /// the fades.
    fn zero_crossing_hz(samples: &[f32], rate_hz: u32) -> f32 {
        let fade = frames(FADE, rate_hz);
        let body = &samples[fade..samples.len() - fade];
        let crossings: Vec<f32> = body
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] < 0.0 && w[1] >= 0.0)
            .map(|(i, w)| i as f32 + w[0] / (w[0] - w[1]))
            .collect();
        let (Some(first), Some(last)) = (crossings.first(), crossings.last()) else {
            return 0.0;
        };
        (crossings.len() - 1) as f32 * rate_hz as f32 / (last - first)
    }

    #[test]
    fn single_notes_have_their_frequency() {
        for tone in [Tone::Start, Tone::Pip, Tone::Halfway, Tone::Rep, Tone::Rest] {
            let expected = tone.notes()[0].frequency_hz;
            let measured = zero_crossing_hz(&tone.clip().samples(), TONE_RATE_HZ);
            assert!(
                (measured - expected).abs() < 0.5,
                "{tone:?}: {measured} Hz, expected {expected} Hz"
            );
        }
    }

    #[test]
    fn pips_and_go_differ() {
        let start = Tone::Start.notes()[0];
        let pip = Tone::Pip.notes()[0];
        assert!(
            start.frequency_hz > pip.frequency_hz * 1.2,
            "the go is higher than the pips"
        );
        assert!(start.length > pip.length * 2, "and longer");
    }

    #[test]
    fn switch_is_two_tones_in_turn() {
        let clip = Tone::Switch.clip();
        let [high, low] = Tone::Switch.notes() else {
            panic!("two notes")
        };
        let samples = clip.samples();
        let part = |n: &Note| {
            let start = frames(n.at, TONE_RATE_HZ);
            let len = frames(n.length, TONE_RATE_HZ);
            &samples[start..start + len]
        };
        let first = part(high);
        assert!(
            goertzel(first, TONE_RATE_HZ, high.frequency_hz)
                > 100.0 * goertzel(first, TONE_RATE_HZ, low.frequency_hz),
            "first note high"
        );
        let second = part(low);
        assert!(
            goertzel(second, TONE_RATE_HZ, low.frequency_hz)
                > 100.0 * goertzel(second, TONE_RATE_HZ, high.frequency_hz),
            "second note low"
        );
    }

    #[test]
    fn finish_chime_rises_through_its_notes() {
        let clip = Tone::Finish.clip();
        let notes = Tone::Finish.notes();
        for pair in notes.windows(2) {
            assert!(pair[1].frequency_hz > pair[0].frequency_hz, "rising");
        }
        // Each note dominates the 100 ms after it starts, over the notes still ringing.
        let samples = clip.samples();
        for (i, n) in notes.iter().enumerate() {
            let start = frames(n.at, TONE_RATE_HZ) + 240;
            let window = &samples[start..start + 4800];
            let own = goertzel(window, TONE_RATE_HZ, n.frequency_hz);
            for (j, other) in notes.iter().enumerate().filter(|(j, _)| *j < i) {
                assert!(
                    own > goertzel(window, TONE_RATE_HZ, other.frequency_hz),
                    "note {i} louder than note {j}"
                );
            }
        }
    }

    #[test]
    fn every_sound_fades_in_and_out_and_stays_below_peak() {
        for tone in Tone::ALL {
            let clip = tone.clip();
            let s = clip.samples();
            assert!(
                s[0].abs() < 1e-3 && s[s.len() - 1].abs() < 1e-2,
                "{tone:?} starts and ends quiet"
            );
            let peak = s.iter().fold(0.0f32, |m, x| m.max(x.abs()));
            assert!(
                peak <= TONE_PEAK + 1e-6 && peak > TONE_PEAK * 0.5,
                "{tone:?} peak {peak}"
            );
            // No jump bigger than a full-level sine's step at the highest note: no click.
            let max_step = s
                .windows(2)
                .map(|w| (w[1] - w[0]).abs())
                .fold(0.0f32, f32::max);
            assert!(
                max_step < 2.0 * PI * 1400.0 / TONE_RATE_HZ as f32 * TONE_PEAK * 1.05,
                "{tone:?} jumps by {max_step}"
            );
        }
    }
}
