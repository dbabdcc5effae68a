//! The cue track: every sound due from a moment on, placed at its exact sample and mixed
//! into one source, so the sounds keep their spacing to the sample whatever the UI does.
//!
//! [`lay_out`] decides what plays when (pure: tests check it without a device); [`Track`]
//! turns that into a [`TrackSource`] the output mixes in, or that is rendered to a file.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use super::bank::SoundBank;
use super::clip::{Clip, frames_between};
use super::device_clock::DeviceClock;
use super::tones::Tone;
use crate::timeline::script::{self, Heard, Lost, Timing};
use crate::timeline::{Cue, CueKind, Plan, ScheduledCue};

use crate::timeline::script::SPEECH_GAP;

/// What a placed sound is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SoundKind {
    /// A built-in tone.
    Tone(Tone),
    /// A routine's clip.
    Clip(PathBuf),
    /// A spoken phrase.
    Voice(String),
}

/// A sound placed on the player's clock.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedSound {
    /// When its first sample plays, on the player's clock.
    pub at: Duration,
    /// When its cue was due, on the player's clock: speech may start before (moved into a
    /// rest) or after it (behind a tone), and a late cue plays after it.
    pub due: Duration,
    /// The samples.
    pub clip: Clip,
    /// What it is.
    pub kind: SoundKind,
    /// The cue it sounds.
    pub cue: Cue,
}

impl PlacedSound {
    /// When it has finished.
    #[must_use]
    pub fn end(&self) -> Duration {
        self.at + self.clip.duration()
    }

    /// Whether it is speech.
    #[must_use]
    pub fn is_voice(&self) -> bool {
        matches!(self.kind, SoundKind::Voice(_))
    }
}

/// Which kinds of sound play: what the voice script places.
pub type TrackOptions = Heard;

/// What the layout of a track decided: its sounds, and what was left out.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// Every sound, by start time.
    pub sounds: Vec<PlacedSound>,
    /// Some phrase was not measured yet: lay out again once the bank has it.
    pub missing_voice: bool,
    /// Phrases placed (their lengths known) whose samples the bank does not hold now: not
    /// in [`Self::sounds`]; the engine asks for them, and lays out again once they are
    /// held if they fall within its track.
    pub unrendered: Vec<script::Line>,
    /// Announcements shortened or left out for want of time.
    pub lost: Vec<Lost>,
    /// Sounds of cues due before the origin that would have started more than their own
    /// length after their moment, so were left out (their cues, for the log).
    pub too_late: Vec<Cue>,
}

/// The sound a cue makes besides speech: the step's clip, the routine's replacement, or the
/// built-in tone (also when a clip could not be decoded).
#[must_use]
pub fn cue_sound(plan: &Plan, cue: &Cue, bank: &SoundBank) -> Option<(SoundKind, Clip)> {
    let sounds = &plan.routine.sounds;
    let (replacement, tone) = match cue.kind {
        CueKind::StepStart => {
            let step_clip = plan
                .segments
                .get(cue.segment)
                .and_then(|s| plan.step(s))
                .and_then(|s| s.sound.as_ref());
            if let Some(path) = step_clip
                && let Some(clip) = bank.clip(path)
            {
                return Some((SoundKind::Clip(path.clone()), clip.clone()));
            }
            (&sounds.start, Tone::Start)
        }
        CueKind::Countdown(_) | CueKind::ResumeCountdown(_) => (&sounds.countdown, Tone::Pip),
        CueKind::SwitchSides => (&sounds.switch, Tone::Switch),
        CueKind::Halfway => (&sounds.halfway, Tone::Halfway),
        CueKind::RepTick { .. } => (&sounds.rep, Tone::Rep),
        CueKind::Finished => (&sounds.finish, Tone::Finish),
        CueKind::RestStart => (&None, Tone::Rest),
        CueKind::GetReady
        | CueKind::Resume
        | CueKind::RestEnding
        | CueKind::LastOne
        | CueKind::TimeLeft
        | CueKind::MovingOn
        | CueKind::StillGoing => {
            return None;
        }
    };
    if let Some(path) = replacement
        && let Some(clip) = bank.clip(path)
    {
        return Some((SoundKind::Clip(path.clone()), clip.clone()));
    }
    Some((SoundKind::Tone(tone), bank.tone(tone)))
}

/// Lengths from the bank: its tones and clips, and its rendered phrases.
pub(super) struct BankTiming<'a> {
    pub(super) plan: &'a Plan,
    pub(super) bank: &'a SoundBank,
}

impl Timing for BankTiming<'_> {
    fn sound(&self, cue: &Cue) -> Option<std::time::Duration> {
        cue_sound(self.plan, cue, self.bank).map(|(_, clip)| clip.duration())
    }

    fn speech(&self, text: &str) -> Option<std::time::Duration> {
        self.bank.voice_length(text)
    }
}

/// Places every sound of `cues` (clock times on the player's clock) from `origin` on, as
/// the voice script places them ([`script::place`], with the bank's lengths).
///
/// A cue due before `origin` (a frame or a device came late) is placed at `origin`: announced
/// late rather than never, unless a sound would start more than its own length after its
/// moment, which is left out and named in [`Layout::too_late`]. `carried` are sounds already
/// playing, kept as they are; new speech waits for theirs.
#[must_use]
pub fn lay_out(
    plan: &Plan,
    cues: &[ScheduledCue],
    origin: Duration,
    bank: &SoundBank,
    options: TrackOptions,
    carried: &[PlacedSound],
) -> Layout {
    let floor = carried
        .iter()
        .filter(|s| s.is_voice())
        .map(|s| s.end() + SPEECH_GAP)
        .max()
        .unwrap_or(origin);
    let script = script::place(
        plan,
        cues,
        origin,
        &BankTiming { plan, bank },
        options,
        floor,
    );
    let tones = script.tones.iter().filter_map(|tone| {
        let (kind, clip) = cue_sound(plan, &tone.cue, bank)?;
        Some(PlacedSound {
            at: tone.at,
            due: tone.due,
            clip,
            kind,
            cue: tone.cue,
        })
    });
    let (held, unrendered): (Vec<&script::Line>, Vec<&script::Line>) = script
        .lines
        .iter()
        .partition(|line| bank.voice(&line.text).is_some());
    let lines = held.into_iter().filter_map(|line| {
        Some(PlacedSound {
            at: line.at,
            due: line.due,
            clip: bank.voice(&line.text)?.clone(),
            kind: SoundKind::Voice(line.text.clone()),
            cue: line.cue,
        })
    });
    // Late, but not so late that the moment it speaks of is over.
    let (too_late, in_time): (Vec<PlacedSound>, Vec<PlacedSound>) = tones
        .chain(lines)
        .partition(|s| s.due < origin && s.at.saturating_sub(s.due) > s.clip.duration());
    let mut sounds: Vec<PlacedSound> = carried.iter().cloned().chain(in_time).collect();
    sounds.sort_by_key(|s| s.at);
    Layout {
        sounds,
        missing_voice: script.missing,
        unrendered: unrendered.into_iter().cloned().collect(),
        lost: script.lost,
        too_late: too_late.into_iter().map(|s| s.cue).collect(),
    }
}

/// A volume and a stop switch shared with a playing track.
#[derive(Debug)]
pub struct TrackControl {
    volume_bits: AtomicU32,
    stop: AtomicBool,
}

impl TrackControl {
    /// A control at `volume` (0 to 1).
    #[must_use]
    pub fn new(volume: f32) -> Arc<Self> {
        Arc::new(Self {
            volume_bits: AtomicU32::new(volume.clamp(0.0, 1.0).to_bits()),
            stop: AtomicBool::new(false),
        })
    }

    /// Sets the volume; the track ramps to it over a few milliseconds.
    pub fn set_volume(&self, volume: f32) {
        self.volume_bits
            .store(volume.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
    }

    /// The volume.
    #[must_use]
    pub fn volume(&self) -> f32 {
        f32::from_bits(self.volume_bits.load(Ordering::Relaxed))
    }

    /// Fades the track out and ends it.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One sound of a track, in frames from the track's origin.
#[derive(Clone, Debug)]
struct Voice {
    start: i64,
    frames: u64,
    clip: Clip,
}

/// Sounds placed at exact frames from an origin, ready to play or render.
#[derive(Clone, Debug)]
pub struct Track {
    rate_hz: u32,
    voices: Vec<Voice>,
}

impl Track {
    /// The track of `sounds` from `origin` at `rate_hz`.
    #[must_use]
    pub fn new(sounds: &[PlacedSound], origin: Duration, rate_hz: u32) -> Self {
        let mut voices: Vec<Voice> = sounds
            .iter()
            .map(|s| Voice {
                start: frames_between(origin, s.at, rate_hz),
                frames: s.clip.frames_at(rate_hz),
                clip: s.clip.clone(),
            })
            .filter(|v| v.start.saturating_add_unsigned(v.frames) > 0)
            .collect();
        voices.sort_by_key(|v| v.start);
        Self { rate_hz, voices }
    }

    /// The frame after the last sound ends.
    #[must_use]
    pub fn end_frame(&self) -> i64 {
        self.voices
            .iter()
            .map(|v| v.start.saturating_add_unsigned(v.frames))
            .max()
            .unwrap_or(0)
    }

    /// Plays from the origin, at full volume: for files and tests.
    #[must_use]
    pub fn into_source(self) -> TrackSource {
        TrackSource::new(self, None, TrackControl::new(1.0))
    }

    /// Plays live. The track's origin plays `lead` after `built_at` (when the player's
    /// clock read the origin). At its first sample, on the audio thread, the track works out
    /// which of its frames is due: from the device's `clock` (the frame being taken and
    /// where it plays), else from how long ago it was built. So sounds stay on the clock
    /// however late the output picks the track up, tracks built at any moment line up to
    /// the sample, and sounds already due play at once, whole, instead of being cut.
    #[must_use]
    pub fn into_live_source(
        self,
        built_at: Instant,
        lead: Duration,
        clock: Option<Arc<DeviceClock>>,
        control: Arc<TrackControl>,
    ) -> TrackSource {
        TrackSource::new(
            self,
            Some(Anchor {
                built_at,
                lead,
                clock,
            }),
            control,
        )
    }
}

/// Where a live track's origin plays.
#[derive(Debug)]
struct Anchor {
    built_at: Instant,
    lead: Duration,
    clock: Option<Arc<DeviceClock>>,
}

/// A [`Track`] as a mono [`rodio::Source`].
#[derive(Debug)]
pub struct TrackSource {
    track: Track,
    anchor: Option<Anchor>,
    control: Arc<TrackControl>,
    /// The frame being produced, from the origin.
    frame: i64,
    next: usize,
    active: Vec<usize>,
    gain: f32,
    ramp: f32,
    fade_left: Option<u32>,
    fade_len: u32,
    started: bool,
}

impl TrackSource {
    fn new(track: Track, anchor: Option<Anchor>, control: Arc<TrackControl>) -> Self {
        let rate = track.rate_hz as f32;
        let gain = control.volume();
        let fade_len = (track.rate_hz / 100).max(1);
        Self {
            track,
            anchor,
            control,
            frame: 0,
            next: 0,
            active: Vec::new(),
            gain,
            // About 5 ms to reach a new volume, so changes never click.
            ramp: 1.0 - (-1.0 / (0.005 * rate)).exp(),
            fade_left: None,
            fade_len,
            started: false,
        }
    }

    /// Called at the first sample: where on the clock playback starts.
    fn start(&mut self) {
        self.started = true;
        let Some(anchor) = self.anchor.take() else {
            return;
        };
        let rate = self.track.rate_hz;
        // When the frame being taken now plays: from the device's clock when it has one
        // (the heartbeat took this frame just before us), else now.
        let now_plays = anchor
            .clock
            .as_ref()
            .and_then(|clock| clock.frame_time(clock.frames().saturating_sub(1)))
            .unwrap_or_else(Instant::now);
        let origin_plays = anchor
            .built_at
            .checked_add(anchor.lead)
            .unwrap_or(anchor.built_at);
        let shift = match now_plays.checked_duration_since(origin_plays) {
            Some(late) => frames_between(Duration::ZERO, late, rate),
            None => -frames_between(Duration::ZERO, origin_plays.duration_since(now_plays), rate),
        };
        self.frame = shift;
        if shift > 0 {
            // Sounds due before the output got here play now, whole.
            for voice in &mut self.track.voices {
                if (0..shift).contains(&voice.start) {
                    voice.start = shift;
                }
            }
        }
    }

    /// The frame (from the origin) the next sample belongs to.
    #[must_use]
    pub fn position(&self) -> i64 {
        self.frame
    }
}

impl Iterator for TrackSource {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if !self.started {
            self.start();
        }
        if self.fade_left.is_none() && self.control.stop.load(Ordering::Relaxed) {
            self.fade_left = Some(self.fade_len);
        }
        let voices = &self.track.voices;
        if self.fade_left == Some(0) || (self.next >= voices.len() && self.active.is_empty()) {
            return None;
        }
        let t = self.frame;
        while let Some(voice) = voices.get(self.next).filter(|v| v.start <= t) {
            if voice.start.saturating_add_unsigned(voice.frames) > t {
                self.active.push(self.next);
            }
            self.next += 1;
        }
        let rate = self.track.rate_hz;
        let mut sum = 0.0;
        self.active.retain(|&i| {
            let voice = &voices[i];
            let offset = (t - voice.start).unsigned_abs();
            sum += voice.clip.sample_at(offset, rate);
            offset + 1 < voice.frames
        });
        self.frame += 1;
        self.gain += (self.control.volume() - self.gain) * self.ramp;
        let mut out = sum * self.gain;
        if let Some(left) = &mut self.fade_left {
            out *= *left as f32 / self.fade_len as f32;
            *left -= 1;
        }
        Some(out.clamp(-1.0, 1.0))
    }
}

impl rodio::Source for TrackSource {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        rodio::ChannelCount::MIN
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        rodio::SampleRate::new(self.track.rate_hz).unwrap_or(rodio::SampleRate::MIN)
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;

    use super::*;
    use crate::audio::bank::Preparation;
    use crate::audio::tones::tests::goertzel;
    use crate::routine::{self, LoadOptions};
    use crate::timeline::script::{PART_GAP, TONE_GAP};
    use crate::timeline::{self, DEFAULT_LEAD_IN};

    pub(crate) const RATE: u32 = 48_000;

    /// The test routine that sounds every cue kind.
    pub(crate) fn check_plan() -> Plan {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/audio-check.ron");
        let routine = routine::load(&path, LoadOptions::default())
            .routine
            .expect("loads");
        Plan::new(Arc::new(routine), DEFAULT_LEAD_IN)
    }

    /// A plan of `steps` (RON inside `steps: [ … ]`), with rests as written.
    pub(crate) fn plan_of(steps: &str) -> Plan {
        let source = format!(
            "Routine(format: 1, title: \"T\", lead_in: 8, sections: [Section(title: \"S\", steps: [{steps}])])"
        );
        let loaded = routine::parse(&source, Path::new("/nonexistent/t.ron"));
        let routine = loaded
            .routine
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        Plan::new(Arc::new(routine), DEFAULT_LEAD_IN)
    }

    /// A bank whose "voice" speaks 60 ms per character (a 220 Hz hum), for every text
    /// of `plan`: placement tests need lengths, not espeak-ng.
    pub(crate) fn fake_voice_bank(plan: &Plan) -> SoundBank {
        let mut bank = SoundBank::new();
        for text in Preparation::for_plan(plan, true).texts {
            let frames = text.chars().count() * 60 * 22_050 / 1000;
            let samples = (0..frames)
                .map(|i| 0.5 * (i as f32 * 2.0 * std::f32::consts::PI * 220.0 / 22_050.0).sin())
                .collect();
            bank.insert_voice(text, Clip::new(samples, 22_050));
        }
        bank
    }

    fn planned(plan: &Plan) -> Vec<ScheduledCue> {
        timeline::schedule(plan)
            .into_iter()
            .map(|c| ScheduledCue {
                cue: c.cue,
                at: c.offset,
            })
            .collect()
    }

    fn frame(at: Duration) -> usize {
        usize::try_from(frames_between(Duration::ZERO, at, RATE)).expect("after the origin")
    }

    const BEEPS: TrackOptions = TrackOptions {
        voice: false,
        beeps: true,
    };
    const BOTH: TrackOptions = TrackOptions {
        voice: true,
        beeps: true,
    };

    #[test]
    fn every_tone_starts_on_its_cue_to_the_sample() {
        let plan = check_plan();
        let bank = SoundBank::new();
        let cues = planned(&plan);
        let layout = lay_out(&plan, &cues, Duration::ZERO, &bank, BEEPS, &[]);
        let track = Track::new(&layout.sounds, Duration::ZERO, RATE);
        let samples: Vec<f32> = track.into_source().collect();
        let mut checked = 0;
        for cue in &cues {
            let Some((kind, clip)) = cue_sound(&plan, &cue.cue, &bank) else {
                continue;
            };
            // At one instant only the first cue's tone sounds.
            let Some(sound) = layout.sounds.iter().find(|s| s.cue == cue.cue) else {
                assert!(
                    cues.iter().any(|c| c.at == cue.at && c.cue != cue.cue),
                    "{cue:?} has a tone"
                );
                continue;
            };
            assert_eq!(
                (sound.at, &sound.kind),
                (cue.at, &kind),
                "{cue:?} placed on its cue"
            );
            let start = frame(cue.at);
            assert!(
                samples[start - 1].abs() < f32::EPSILON,
                "{cue:?}: silence just before sample {start}"
            );
            let played = &samples[start..start + clip.samples().len()];
            assert_eq!(
                played,
                &*clip.samples(),
                "{cue:?}: the tone from sample {start} exactly"
            );
            checked += 1;
        }
        assert!(checked >= 30, "checked {checked} tones");
    }

    #[test]
    fn tones_in_the_mixed_track_have_their_frequencies() {
        let plan = check_plan();
        let bank = SoundBank::new();
        let layout = lay_out(&plan, &planned(&plan), Duration::ZERO, &bank, BEEPS, &[]);
        let samples: Vec<f32> = Track::new(&layout.sounds, Duration::ZERO, RATE)
            .into_source()
            .collect();
        for sound in &layout.sounds {
            let SoundKind::Tone(tone) = sound.kind else {
                continue;
            };
            let note = tone.notes()[0];
            let start = frame(sound.at + note.at);
            let window =
                &samples[start..start + frame(note.length.min(Duration::from_millis(100)))];
            let own = goertzel(window, RATE, note.frequency_hz);
            for other in [440.0, 660.0, 880.0, 1000.0, 1320.0]
                .into_iter()
                .filter(|f| (f - note.frequency_hz).abs() > 50.0)
            {
                assert!(
                    own > 20.0 * goertzel(window, RATE, other),
                    "{tone:?} at {:?}: {} Hz over {other} Hz",
                    sound.at,
                    note.frequency_hz
                );
            }
        }
    }

    #[test]
    fn speech_never_overlaps_and_each_phrase_is_whole() {
        let plan = check_plan();
        let bank = fake_voice_bank(&plan);
        let layout = lay_out(&plan, &planned(&plan), Duration::ZERO, &bank, BOTH, &[]);
        let voices: Vec<&PlacedSound> = layout.sounds.iter().filter(|s| s.is_voice()).collect();
        assert!(voices.len() >= 15, "{} phrases", voices.len());
        for pair in voices.windows(2) {
            assert!(
                pair[0].end() + PART_GAP <= pair[1].at,
                "{:?} runs into {:?}",
                pair[0].kind,
                pair[1].kind
            );
        }
        for voice in &voices {
            let SoundKind::Voice(text) = &voice.kind else {
                unreachable!("voices only")
            };
            assert_eq!(
                Some(&voice.clip),
                bank.voice(text),
                "the whole phrase for \"{text}\""
            );
        }
        assert!(!layout.missing_voice, "every phrase was in the bank");
    }

    #[test]
    fn speech_follows_the_tone_of_its_cue() {
        let plan = check_plan();
        let bank = fake_voice_bank(&plan);
        let layout = lay_out(&plan, &planned(&plan), Duration::ZERO, &bank, BOTH, &[]);
        let halfway: Vec<&PlacedSound> = layout
            .sounds
            .iter()
            .filter(|s| s.cue.kind == CueKind::Halfway)
            .collect();
        let [tone, words] = halfway[..2] else {
            panic!("tone and words: {halfway:?}")
        };
        assert_eq!(
            words.at,
            tone.end() + TONE_GAP,
            "words right after the tone"
        );
        // With beeps off, the words start on the cue.
        let layout = lay_out(
            &plan,
            &planned(&plan),
            Duration::ZERO,
            &bank,
            TrackOptions {
                voice: true,
                beeps: false,
            },
            &[],
        );
        let words = layout
            .sounds
            .iter()
            .find(|s| s.cue.kind == CueKind::Halfway)
            .expect("spoken");
        assert_eq!(words.at, tone.at, "on the cue without a tone");
        assert!(
            layout.sounds.iter().all(PlacedSound::is_voice),
            "no tones at all"
        );
    }

    #[test]
    fn a_long_announcement_is_said_whole_from_its_tone_and_halfway_gives_way() {
        let long = "Kneel on the rear knee, tuck the pelvis under, squeeze the glute and lean forward gently until the front of the hip stretches, keeping the chest tall.";
        let plan = plan_of(&format!(
            "Step(name: \"Warm\", time: 10, rest_after: 15), Step(name: \"Hip flexor\", instruction: \"{long}\", time: 20)"
        ));
        let bank = fake_voice_bank(&plan);
        let cues = planned(&plan);
        let layout = lay_out(&plan, &cues, Duration::ZERO, &bank, BOTH, &[]);
        let step = plan.segments.last().expect("the step");
        let sounds = |kind: CueKind| {
            layout
                .sounds
                .iter()
                .filter(move |s| s.cue.segment == step.index && s.cue.kind == kind)
        };
        let words = sounds(CueKind::StepStart)
            .find(|s| s.is_voice())
            .expect("announced");
        let tone = sounds(CueKind::StepStart)
            .find(|s| !s.is_voice())
            .expect("the start tone");
        let SoundKind::Voice(text) = &words.kind else {
            unreachable!("a voice")
        };
        assert!(text.ends_with(long), "the full announcement: {text}");
        assert_eq!(words.at, tone.end() + TONE_GAP, "right after its tone");
        assert!(
            words.end() > step.offset + Duration::from_secs(10),
            "it runs past halfway"
        );
        assert_eq!(
            sounds(CueKind::Halfway).count(),
            0,
            "halfway gave way to it"
        );
        assert!(layout.lost.is_empty(), "{:?}", layout.lost);
    }

    #[test]
    fn without_room_before_its_pips_a_long_announcement_is_shortened_and_reported() {
        let long = "Lie on the back, feet flat, and lift the hips until the body makes a straight line from the shoulders to the knees, then lower slowly.";
        let plan = plan_of(&format!(
            "Step(name: \"Warm\", time: 10), Step(name: \"Glute bridge\", instruction: \"{long}\", time: 8, sets: 2, rest_between_sets: 10)"
        ));
        let bank = fake_voice_bank(&plan);
        let layout = lay_out(&plan, &planned(&plan), Duration::ZERO, &bank, BOTH, &[]);
        let bridge = plan
            .segments
            .iter()
            .find(|s| s.title == "Glute bridge")
            .expect("the step");
        let words = layout
            .sounds
            .iter()
            .find(|s| {
                s.is_voice() && s.cue.segment == bridge.index && s.cue.kind == CueKind::StepStart
            })
            .expect("announced");
        assert_eq!(
            words.kind,
            SoundKind::Voice("Set 1 of 2. Glute bridge.".to_owned()),
            "shortened to its start"
        );
        assert!(
            words.at >= bridge.offset,
            "not moved into the work before it"
        );
        let [lost] = &layout.lost[..] else {
            panic!("one loss: {:?}", layout.lost)
        };
        assert_eq!(lost.cue.segment, bridge.index);
        assert!(lost.text.ends_with(long), "{}", lost.text);
        assert_eq!(lost.said.as_deref(), Some("Set 1 of 2. Glute bridge."));
        assert!(lost.room < lost.length, "{lost:?}");
    }

    #[test]
    fn the_side_of_an_alternating_rep_gives_way_to_the_steps_announcement() {
        let plan = plan_of(
            "Step(name: \"Warm\", time: 10, rest_after: 20), Step(name: \"Lunge\", instruction: \"Step forward and push back.\", reps: 10, rep_time: 3, sides: Alternating)",
        );
        let bank = fake_voice_bank(&plan);
        let layout = lay_out(&plan, &planned(&plan), Duration::ZERO, &bank, BOTH, &[]);
        let lunge = plan.segments.last().expect("the step");
        let words = layout
            .sounds
            .iter()
            .find(|s| {
                s.is_voice() && s.cue.kind == CueKind::StepStart && s.cue.segment == lunge.index
            })
            .expect("announced");
        let SoundKind::Voice(text) = &words.kind else {
            unreachable!("a voice")
        };
        assert!(
            text.ends_with("Step forward and push back."),
            "the whole announcement: {text}"
        );
        let sides: Vec<&PlacedSound> = layout
            .sounds
            .iter()
            .filter(|s| s.is_voice() && matches!(s.cue.kind, CueKind::RepTick { .. }))
            .collect();
        assert!(
            words.end() <= lunge.offset,
            "said before the reps start: {:?}",
            words.end()
        );
        assert_eq!(
            sides.len(),
            8,
            "reps 2 to 9 say their side (the last says \"Last one, right.\")"
        );
        assert!(layout.lost.is_empty(), "{:?}", layout.lost);
    }

    #[test]
    fn an_announcement_that_fits_nowhere_is_dropped_not_cut() {
        // Straight after other work, "Last one." two seconds in: even the name is too long.
        let plan = plan_of(
            "Step(name: \"Warm\", time: 10), Step(name: \"Single leg glute bridge with a pause\", reps: 3, rep_time: 1)",
        );
        let bank = fake_voice_bank(&plan);
        let layout = lay_out(&plan, &planned(&plan), Duration::ZERO, &bank, BOTH, &[]);
        let bridge = plan.segments.last().expect("a step");
        let dropped = Cue {
            segment: bridge.index,
            at: Duration::ZERO,
            kind: CueKind::StepStart,
        };
        let lost: Vec<(Cue, Option<&str>)> = layout
            .lost
            .iter()
            .map(|l| (l.cue, l.said.as_deref()))
            .collect();
        assert_eq!(lost, vec![(dropped, None)], "the step's words had to go");
        assert!(
            layout
                .sounds
                .iter()
                .any(|s| s.cue.kind == CueKind::LastOne && s.is_voice()),
            "\"Last one.\" is said"
        );
        assert!(
            layout
                .sounds
                .iter()
                .any(|s| s.cue == dropped && !s.is_voice()),
            "its tone still sounds"
        );
    }

    #[test]
    fn switching_sides_without_a_pause_before_paced_reps_is_lost_and_said_so() {
        let plan = plan_of(
            "Step(name: \"Leg swings with a very long name indeed\", reps: 2, rep_time: 1, sides: Both, switch_pause: 0)",
        );
        let bank = fake_voice_bank(&plan);
        let layout = lay_out(&plan, &planned(&plan), Duration::ZERO, &bank, BOTH, &[]);
        let right = plan
            .segments
            .iter()
            .find(|s| s.side == Some(crate::timeline::Side::Right))
            .expect("right side");
        let said: Vec<&SoundKind> = layout
            .sounds
            .iter()
            .filter(|s| {
                s.is_voice() && s.cue.segment == right.index && s.cue.kind != CueKind::Finished
            })
            .map(|s| &s.kind)
            .collect();
        assert_eq!(said, Vec::<&SoundKind>::new(), "no room before the reps");
        assert!(
            layout.lost.iter().any(|l| l.cue.segment == right.index),
            "and it is said so: {:?}",
            layout.lost
        );
    }

    #[test]
    fn a_missing_phrase_is_noted_for_later() {
        let plan = check_plan();
        let layout = lay_out(
            &plan,
            &planned(&plan),
            Duration::ZERO,
            &SoundBank::new(),
            BOTH,
            &[],
        );
        assert!(layout.missing_voice, "nothing rendered yet");
        assert!(layout.lost.is_empty(), "not lost for want of room");
        assert!(
            layout.sounds.iter().all(|s| !s.is_voice()),
            "tones only meanwhile"
        );
    }

    #[test]
    fn a_live_track_starts_where_the_clock_is_when_the_output_takes_it() {
        let clip = Clip::new(vec![0.5; 480], RATE);
        let cue = Cue {
            segment: 0,
            at: Duration::ZERO,
            kind: CueKind::Halfway,
        };
        let sound = |ms| PlacedSound {
            at: Duration::from_millis(ms),
            due: Duration::from_millis(ms),
            clip: clip.clone(),
            kind: SoundKind::Tone(Tone::Pip),
            cue,
        };
        let track = Track::new(&[sound(0), sound(100)], Duration::ZERO, RATE);
        // Built 60 ms ago with a 40 ms lead: playback starts 20 ms in; the sound due at 0
        // plays at once, whole; the one at 100 ms stays on the clock (80 ms from now).
        let built = Instant::now()
            .checked_sub(Duration::from_millis(60))
            .expect("a past instant");
        let out: Vec<f32> = track
            .clone()
            .into_live_source(
                built,
                Duration::from_millis(40),
                None,
                TrackControl::new(1.0),
            )
            .collect();
        assert!(
            (out[0] - 0.5).abs() < 1e-6 && (out[479] - 0.5).abs() < 1e-6,
            "the late sound plays whole at once"
        );
        let second = out
            .iter()
            .skip(480)
            .position(|s| s.abs() > 0.0)
            .expect("second sound")
            + 480;
        assert!(
            (3830..=3845).contains(&second),
            "second sound {second} frames in (80 ms = 3840)"
        );
        // Built just now: 40 ms of silence first, so a track built at any moment lines up.
        let out: Vec<f32> = track
            .into_live_source(
                Instant::now(),
                Duration::from_millis(40),
                None,
                TrackControl::new(1.0),
            )
            .collect();
        let first = out.iter().position(|s| s.abs() > 0.0).expect("first sound");
        assert!(
            (1900..=1920).contains(&first),
            "first sound {first} frames in (40 ms = 1920)"
        );
    }

    #[test]
    fn stopping_fades_out_within_ten_milliseconds_and_volume_ramps() {
        let clip = Clip::new(vec![0.5; RATE as usize], RATE);
        let cue = Cue {
            segment: 0,
            at: Duration::ZERO,
            kind: CueKind::Halfway,
        };
        let sounds = [PlacedSound {
            at: Duration::ZERO,
            due: Duration::ZERO,
            clip,
            kind: SoundKind::Tone(Tone::Pip),
            cue,
        }];
        let control = TrackControl::new(1.0);
        let mut source = Track::new(&sounds, Duration::ZERO, RATE).into_live_source(
            Instant::now(),
            Duration::ZERO,
            None,
            Arc::clone(&control),
        );
        let _ = source.by_ref().take(100).count();
        control.set_volume(0.0);
        let ramp: Vec<f32> = source.by_ref().take(960).collect();
        assert!(
            ramp[0] > 0.4 && ramp[959] < 0.01,
            "ramps down over a few ms, no step: {} .. {}",
            ramp[0],
            ramp[959]
        );
        assert!(ramp.windows(2).all(|w| w[1] <= w[0] + 1e-6), "smoothly");
        control.set_volume(1.0);
        let _ = source.by_ref().take(960).count();
        control.stop();
        let tail = source.count();
        assert!(tail <= 480, "ends {tail} samples after stop");
    }
}
