//! Audio cues: beeps, clips and spoken announcements, placed sample-accurately.
//!
//! The app calls [`CueAudio`] from its `logic()` each frame; the engine follows the same
//! [`Player`] as the screen. From [`Player::upcoming`] it lays out every sound still due
//! (`track::lay_out`), mixes them into one track at their exact sample offsets
//! (`track::Track`) and hands that to the device (`output`) once. The track is rebuilt
//! only when the player's future changes (its generation), the device is reopened, the
//! settings change, or (every minute or so, in a quiet moment) to stay on the clock.
//!
//! Depends on [`crate::timeline`] and [`crate::routine`]; they know nothing of it.

mod bank;
mod clip;
mod device;
mod device_clock;
mod export;
mod output;
mod sample;
mod shown;
mod tones;
mod track;
mod voice;
mod window;

pub use bank::Progress;
pub use clip::Clip;
pub use export::{DEFAULT_RATE_HZ, ExportOptions, Rendered, measured_script, render, write_wav};
pub use output::BUFFER_FRAMES;
pub use tones::Tone;
pub use track::{Layout, PlacedSound, SoundKind, TrackOptions};
pub use voice::{has_voice, missing_voice_warning};

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::timeline::script::Lost;
use crate::timeline::{Cue, CueKind, Outcome, Phase, Plan, Player, ScheduledCue};
use bank::{Preparation, Preparer};
use output::{Output, OutputState, OutputStatus};
use track::{Track, TrackControl};

/// How far ahead a track reaches; it is renewed before then.
pub const HORIZON: Duration = Duration::from_secs(90);

/// A track is renewed at its first quiet moment this long after it was built, so the sound
/// card's clock never drifts far from the player's.
pub const RENEW_AFTER: Duration = Duration::from_secs(30);

/// The output is assumed to pick a new track up within this long; every sound plays this
/// much after its clock time, so tracks built at any moment line up with each other.
pub const SCHEDULING_LEAD: Duration = Duration::from_millis(40);

/// While phrases are still being rendered, a track lacking some is rebuilt this often.
pub const RENEW_MISSING_EVERY: Duration = Duration::from_secs(1);

/// When the device's clock has moved this far since a track was placed (an underrun
/// delayed every later frame), the track is placed again at its next quiet moment.
pub const CLOCK_MOVE_TOLERANCE: Duration = Duration::from_millis(2);

/// A device no longer needed is closed this long after its last sound ends (the sound
/// server's own buffer plays out first).
pub const CLOSE_AFTER_LAST_SOUND: Duration = Duration::from_millis(500);

/// What the athlete wants to hear.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AudioSettings {
    /// 0 to 1.
    pub volume: f32,
    /// Silences everything (the track keeps running, so unmuting is instant).
    pub muted: bool,
    /// Spoken announcements.
    pub voice: bool,
    /// Tones and clips.
    pub beeps: bool,
}

impl Default for AudioSettings {
    fn default() -> Self {
        Self {
            volume: 1.0,
            muted: false,
            voice: true,
            beeps: true,
        }
    }
}

impl AudioSettings {
    fn gain(self) -> f32 {
        if self.muted {
            0.0
        } else {
            self.volume.clamp(0.0, 1.0)
        }
    }

    fn options(self) -> TrackOptions {
        TrackOptions {
            voice: self.voice,
            beeps: self.beeps,
        }
    }
}

/// What the app can show about sound.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AudioStatus {
    /// Everything asked for plays.
    Ok,
    /// Nothing plays: no device (and why).
    NoOutput(String),
    /// Beeps only: no voice (and why).
    NoVoice(String),
}

impl fmt::Display for AudioStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ok => f.write_str("Sound on"),
            Self::NoOutput(reason) => write!(f, "No audio output: {reason}"),
            Self::NoVoice(reason) => write!(f, "No spoken cues: {reason}"),
        }
    }
}

/// Why a track is rebuilt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rebuild {
    /// The player's future changed (a command) or another plan plays.
    Player,
    /// Voice or beeps were turned on or off.
    Settings,
    /// A device was (re)opened.
    Device,
    /// Time to renew, or phrases it lacked are ready.
    Renew,
}

/// The track being played.
struct Playing {
    plan: Arc<Plan>,
    control: Arc<TrackControl>,
    /// Every sound laid out, including those past the horizon.
    sounds: Vec<PlacedSound>,
    /// Announcements it could not say in full.
    lost: Vec<Lost>,
    /// The cues it was laid out from, with when each was due.
    cues: Vec<ScheduledCue>,
    /// Laid out while the device was still opening: none of it was heard, so its cues are
    /// laid out again (late) once the device answers.
    unheard: bool,
    renew_at: Option<Duration>,
    missing_voice: bool,
    bank_version: u64,
    /// The player's clock when it was built.
    built: Duration,
    /// The device clock's mapping it was placed with ([`device_clock::DeviceClock::offset_ns`]).
    placed_on: Option<i64>,
    /// Only the routine's finish, playing out after [`CueAudio::stop`].
    draining: bool,
    /// The phrases placed whose samples were not held, as (when, words).
    #[cfg(test)]
    unrendered: Vec<(Duration, String)>,
}

/// The audio engine the app drives: never fails, never blocks the UI for long.
pub struct CueAudio {
    settings: AudioSettings,
    output: Output,
    preparer: Preparer,
    prepared: Option<Plan>,
    prepared_with_voice: bool,
    status: AudioStatus,
    playing: Option<Playing>,
    generation: Option<u64>,
    epoch: u64,
    settings_changed: bool,
    warnings_seen: usize,
    /// The player's clock at the last sync, and when that was.
    last_sync: Option<(Duration, Instant)>,
}

impl fmt::Debug for CueAudio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CueAudio")
            .field("settings", &self.settings)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl CueAudio {
    fn with_output(settings: AudioSettings, output: Output) -> Self {
        let mut audio = Self {
            settings,
            output,
            preparer: Preparer::new(),
            prepared: None,
            prepared_with_voice: false,
            status: AudioStatus::Ok,
            playing: None,
            generation: None,
            epoch: 0,
            settings_changed: false,
            warnings_seen: 0,
            last_sync: None,
        };
        let state = audio.output.state();
        audio.refresh_status(&state);
        audio
    }

    /// The settings in force.
    #[must_use]
    pub fn settings(&self) -> AudioSettings {
        self.settings
    }

    /// Starts decoding the plan's clips and rendering its announcements on a background
    /// thread. Call it when a routine is loaded, well before it starts.
    pub fn prepare(&mut self, plan: &Plan) {
        self.preparer
            .prepare(Preparation::for_plan(plan, self.settings.voice));
        self.prepared = Some(plan.clone());
        self.prepared_with_voice = self.settings.voice;
        self.warnings_seen = 0;
    }

    /// How far preparation has got (phrases rendered, time taken).
    #[must_use]
    pub fn progress(&self) -> Progress {
        self.preparer.progress()
    }

    /// Warnings not yet taken (clips that fell back to the built-in tone, phrases that
    /// could not be rendered): for the app to show or log.
    pub fn take_warnings(&mut self) -> Vec<String> {
        let warnings = self.preparer.progress().warnings;
        let new = warnings
            .get(self.warnings_seen..)
            .unwrap_or_default()
            .to_vec();
        self.warnings_seen = warnings.len();
        new
    }

    /// Applies new settings at once: the volume and mute to the playing track; voice and
    /// beeps by rebuilding it at the next [`Self::sync`].
    pub fn set_settings(&mut self, settings: AudioSettings) {
        let old = self.settings;
        self.settings = settings;
        if let Some(playing) = &self.playing {
            playing.control.set_volume(settings.gain());
        }
        if old.options() != settings.options() {
            self.settings_changed = true;
        }
        if settings.voice
            && !self.prepared_with_voice
            && let Some(plan) = self.prepared.take()
        {
            self.prepare(&plan);
        }
        let state = self.output.state();
        self.refresh_status(&state);
    }

    /// Follows the player: call it every frame (from `logic()`), after the player's commands
    /// and `tick`, with the same `now`. Cheap when nothing changed; what plays depends only
    /// on the player's clock, not on when frames come.
    pub fn sync(&mut self, player: &Player, now: Duration) {
        let built_at = Instant::now();
        self.last_sync = Some((now, built_at));
        let state = self.output.state();
        self.refresh_status(&state);
        let generation = player.generation();
        let reason = if self.generation != Some(generation)
            || self
                .playing
                .as_ref()
                .is_some_and(|p| !Arc::ptr_eq(&p.plan, player.plan()))
        {
            Some(Rebuild::Player)
        } else if state.epoch != self.epoch {
            Some(Rebuild::Device)
        } else if self.settings_changed {
            Some(Rebuild::Settings)
        } else if let Some(playing) = &self.playing {
            let renew = playing.renew_at.is_some_and(|at| now >= at);
            // Phrases it lacked have been rendered: at most once a second while rendering
            // goes on, so a session started at once does not rebuild at every phrase.
            let completed = playing.missing_voice
                && self.preparer.version() != playing.bank_version
                && (self.preparer.is_finished()
                    || now.saturating_sub(playing.built) >= RENEW_MISSING_EVERY);
            // The device's clock moved: the rest is placed again once nothing is under way.
            let moved = clock_moved(playing.placed_on, &state)
                && !playing.sounds.iter().any(|s| s.at <= now && now < s.end());
            (renew || completed || moved).then_some(Rebuild::Renew)
        } else {
            None
        };
        let Some(reason) = reason else { return };
        let finished_by_done =
            reason == Rebuild::Player && self.generation.is_some() && finished_by_done(player, now);
        self.generation = Some(generation);
        self.epoch = state.epoch;
        self.settings_changed = false;
        self.rebuild(player, now, reason, finished_by_done, &state, built_at);
    }

    fn rebuild(
        &mut self,
        player: &Player,
        now: Duration,
        reason: Rebuild,
        finished_by_done: bool,
        state: &OutputState,
        built_at: Instant,
    ) {
        let plan = Arc::clone(player.plan());
        let phase = player.status(now).phase;
        let playing_now = matches!(phase, Phase::Running | Phase::GettingReady { .. });
        let previous = self.playing.take();
        if let Some(previous) = &previous {
            previous.control.stop();
        }
        // What the last track played (or is about to play) of this plan.
        let (previous_sounds, previous_cues): (&[PlacedSound], &[ScheduledCue]) = previous
            .as_ref()
            .filter(|p| Arc::ptr_eq(&p.plan, &plan) && !p.unheard)
            .map_or((&[], &[]), |p| (&p.sounds, &p.cues));
        let mut cues = player.upcoming(now);
        if finished_by_done {
            let last = plan.segments.len().saturating_sub(1);
            cues.push(ScheduledCue {
                cue: Cue {
                    segment: last,
                    at: Duration::ZERO,
                    kind: CueKind::Finished,
                },
                at: now,
            });
        }
        let options = self.settings.options();
        let current_segment = player.segment().index;
        let cues = due_cues(cues, now, previous_cues);
        // The last track's sounds that are not laid out again go on: those under way, and
        // those still to come of a cue whose moment has passed (the words behind a tone).
        let carried: Vec<PlacedSound> = previous_sounds
            .iter()
            .filter(|s| now < s.end() && (playing_now || finished_by_done))
            .filter(|s| !cues.iter().any(|c| c.cue == s.cue))
            .filter(|s| {
                if s.is_voice() {
                    options.voice
                } else {
                    options.beeps
                }
            })
            .filter(|s| match reason {
                // A command keeps only what still belongs: the current segment's sounds of
                // cues already due (after "previous", they come again and are laid anew).
                Rebuild::Player => s.cue.segment == current_segment && s.due <= now,
                Rebuild::Settings | Rebuild::Device | Rebuild::Renew => true,
            })
            .cloned()
            .collect();
        let bank_version = self.preparer.version();
        let layout = self
            .preparer
            .with_bank(|bank| track::lay_out(&plan, &cues, now, bank, options, &carried));
        for cue in &layout.too_late {
            log::warn!(
                "a {:?} cue of segment {} came due while the sound could not follow and was \
                 left out: it would have started more than its own length late",
                cue.kind,
                cue.segment
            );
        }
        // Phrases placed but not held count as sounds here: the track is renewed to take them.
        let mut spans: Vec<(Duration, Duration)> = layout
            .sounds
            .iter()
            .map(|s| (s.at, s.end()))
            .chain(layout.unrendered.iter().map(|l| (l.at, l.end())))
            .collect();
        spans.sort_unstable();
        let renew_at = renew_time(&spans, now);
        let horizon = renew_at.map_or(Duration::MAX, |_| now + HORIZON);
        // The bank holds the phrases of the next few minutes: those the track lacks come,
        // and the track is laid out again with them.
        if options.voice && playing_now {
            self.preparer
                .hold(window::wanted(&plan, &layout, now, current_segment));
        }
        let missing_voice =
            layout.missing_voice || layout.unrendered.iter().any(|l| l.at < horizon);
        let in_track: Vec<PlacedSound> = layout
            .sounds
            .iter()
            .filter(|s| s.at < horizon)
            .cloned()
            .collect();
        let control = TrackControl::new(self.settings.gain());
        let unheard = matches!(state.status, OutputStatus::Closed | OutputStatus::Opening);
        if let Some(mixer) = &state.mixer
            && !in_track.is_empty()
        {
            let track = Track::new(&in_track, now, state.rate_hz);
            mixer.add(track.into_live_source(
                built_at,
                SCHEDULING_LEAD,
                state.clock.clone(),
                Arc::clone(&control),
            ));
        }
        self.playing = Some(Playing {
            plan,
            control,
            sounds: layout.sounds,
            lost: layout.lost,
            cues,
            unheard,
            renew_at,
            missing_voice,
            bank_version,
            built: now,
            placed_on: state.clock.as_ref().and_then(|c| c.offset_ns()),
            draining: false,
            #[cfg(test)]
            unrendered: layout
                .unrendered
                .iter()
                .map(|l| (l.at, l.text.clone()))
                .collect(),
        });
    }

    /// Stops what plays (fading out in a few milliseconds), for when the session ends or
    /// the player screen closes; the next [`Self::sync`] starts again from the player.
    ///
    /// The routine's finish (chime and words) plays out: the app leaves the player screen
    /// the moment the routine completes, which is when they start. Cheap to call every frame.
    pub fn stop(&mut self) {
        self.generation = None;
        let Some(playing) = self.playing.take_if(|p| !p.draining) else {
            return;
        };
        playing.control.stop();
        let Some((synced, at)) = self.last_sync else {
            return;
        };
        let now = synced + at.elapsed();
        let finish: Vec<PlacedSound> = playing
            .sounds
            .iter()
            .filter(|s| s.cue.kind == CueKind::Finished)
            .cloned()
            .collect();
        // Only a finish already under way plays out; a stop before it keeps it silent.
        if !finish.iter().any(|s| s.at <= now) {
            return;
        }
        let finish: Vec<PlacedSound> = finish.into_iter().filter(|s| s.end() > now).collect();
        let control = TrackControl::new(self.settings.gain());
        let state = self.output.state();
        if let Some(mixer) = &state.mixer
            && !finish.is_empty()
        {
            let track = Track::new(&finish, now, state.rate_hz);
            mixer.add(track.into_live_source(
                Instant::now(),
                SCHEDULING_LEAD,
                state.clock.clone(),
                Arc::clone(&control),
            ));
        }
        self.playing = Some(Playing {
            plan: playing.plan,
            control,
            sounds: finish,
            lost: Vec::new(),
            cues: Vec::new(),
            unheard: false,
            renew_at: None,
            missing_voice: false,
            bank_version: playing.bank_version,
            built: now,
            // The finish plays out as placed.
            placed_on: None,
            draining: true,
            #[cfg(test)]
            unrendered: Vec::new(),
        });
    }

    /// The sounds laid out by the last rebuild, on the player's clock (for tests and tools).
    #[must_use]
    pub fn laid_out(&self) -> &[PlacedSound] {
        self.playing.as_ref().map_or(&[], |p| &p.sounds)
    }

    /// The player's clock when the track that plays was laid out (for tools that follow
    /// what is heard across rebuilds).
    #[must_use]
    pub fn built_at(&self) -> Option<Duration> {
        self.playing.as_ref().map(|p| p.built)
    }
}

impl Drop for CueAudio {
    fn drop(&mut self) {
        if let Some(playing) = &self.playing {
            playing.control.stop();
        }
    }
}

/// Whether the last command finished the routine by pressing Done on its last step: the
/// one finish the player's schedule cannot know in advance.
fn finished_by_done(player: &Player, now: Duration) -> bool {
    if player.status(now).phase != Phase::Finished {
        return false;
    }
    let last = player.plan().segments.len().saturating_sub(1);
    player.record(now).segments.last().is_some_and(|r| {
        r.segment == last && r.planned.is_none() && r.outcome == Outcome::Completed
    })
}

/// The cues to lay out: those still ahead, and those already due (the cue of a press, or
/// cues a late frame or a device still opening let slip by) that the last track sent to the
/// device did not hold at the same moment. [`track::lay_out`] places the late ones now.
fn due_cues(
    mut cues: Vec<ScheduledCue>,
    now: Duration,
    previous: &[ScheduledCue],
) -> Vec<ScheduledCue> {
    cues.retain(|c| c.at >= now || !previous.contains(c));
    cues
}

/// Whether the device's clock has moved by more than [`CLOCK_MOVE_TOLERANCE`] from
/// `placed_on` (a track placed before it settled is left as it is).
fn clock_moved(placed_on: Option<i64>, state: &OutputState) -> bool {
    let now = state.clock.as_ref().and_then(|c| c.offset_ns());
    let tolerance = CLOCK_MOVE_TOLERANCE.as_nanos();
    placed_on
        .zip(now)
        .is_some_and(|(then, now)| u128::from(now.abs_diff(then)) > tolerance)
}

/// The first quiet moment at least [`RENEW_AFTER`] after `now`, if any sound (its start
/// and end, by start) lies beyond the horizon (otherwise the track holds everything and
/// never needs renewing).
fn renew_time(sounds: &[(Duration, Duration)], now: Duration) -> Option<Duration> {
    let horizon = now + HORIZON;
    if !sounds.iter().any(|&(at, _)| at >= horizon) {
        return None;
    }
    let earliest = now + RENEW_AFTER;
    let mut busy_until = now;
    for &(at, end) in sounds {
        if at > busy_until && busy_until >= earliest {
            return Some(busy_until);
        }
        if at > earliest && at > busy_until {
            return Some(earliest.max(busy_until));
        }
        busy_until = busy_until.max(end);
    }
    Some(busy_until.max(earliest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::clip::frames_between;
    use crate::audio::tones::Tone;
    use crate::audio::track::SoundKind;
    use crate::audio::track::tests::{check_plan, fake_voice_bank, plan_of};

    const BEEPS_ONLY: AudioSettings = AudioSettings {
        volume: 1.0,
        muted: false,
        voice: false,
        beeps: true,
    };

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    /// A silent engine whose fake voice has every phrase of `plan`, following a player on it
    /// started and synced at 0.
    fn speaking(plan: &Arc<Plan>) -> (CueAudio, Player) {
        let mut audio = CueAudio::silent(AudioSettings {
            voice: true,
            ..BEEPS_ONLY
        });
        audio.preparer.with_bank_mut(|b| *b = fake_voice_bank(plan));
        let mut player = Player::new(Arc::clone(plan), secs(3.0));
        player.start(Duration::ZERO);
        audio.sync(&player, Duration::ZERO);
        (audio, player)
    }

    /// The tones laid out, as (seconds from `t0`, tone, cue).
    fn tones(audio: &CueAudio, t0: Duration) -> Vec<(f64, Tone, CueKind)> {
        audio
            .laid_out()
            .iter()
            .filter_map(|s| match s.kind {
                SoundKind::Tone(tone) => Some((
                    s.at.checked_sub(t0).unwrap().as_secs_f64(),
                    tone,
                    s.cue.kind,
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn follows_start_pause_resume_add_time_and_skip() {
        let mut audio = CueAudio::silent(BEEPS_ONLY);
        let mut player = Player::new(Arc::new(check_plan()), secs(3.0));
        let t0 = secs(10.0);
        audio.sync(&player, t0);
        assert!(audio.laid_out().is_empty(), "nothing before the start");

        player.start(t0);
        audio.sync(&player, t0);
        let laid = tones(&audio, t0);
        assert_eq!(
            laid[..3],
            [
                (1.0, Tone::Pip, CueKind::Countdown(2)),
                (2.0, Tone::Pip, CueKind::Countdown(1)),
                (3.0, Tone::Start, CueKind::StepStart)
            ],
            "lead-in pips, then go"
        );
        assert!(
            laid.contains(&(13.0, Tone::Halfway, CueKind::Halfway)),
            "halfway through the left side"
        );

        player.pause(t0 + secs(5.0));
        audio.sync(&player, t0 + secs(5.0));
        assert!(audio.laid_out().is_empty(), "nothing plays while paused");

        // Resume at 8 s: a 3 s count-in, then 2 s into the step again (halfway 8 s later).
        player.resume(t0 + secs(8.0));
        audio.sync(&player, t0 + secs(8.0));
        let laid = tones(&audio, t0);
        assert_eq!(
            laid[..2],
            [
                (9.0, Tone::Pip, CueKind::ResumeCountdown(2)),
                (10.0, Tone::Pip, CueKind::ResumeCountdown(1))
            ],
            "count-in pips"
        );
        assert!(
            laid.contains(&(19.0, Tone::Halfway, CueKind::Halfway)),
            "halfway moved by the pause: {laid:?}"
        );

        // 10 s more at 12 s: the 3-2-1 moves 10 s later; halfway stays.
        player.add_time(secs(10.0), t0 + secs(12.0));
        audio.sync(&player, t0 + secs(12.0));
        let laid = tones(&audio, t0);
        assert!(
            laid.contains(&(36.0, Tone::Pip, CueKind::Countdown(3))),
            "3-2-1 later: {laid:?}"
        );
        assert!(
            laid.contains(&(19.0, Tone::Halfway, CueKind::Halfway)),
            "halfway where it was"
        );

        player.next(t0 + secs(13.0));
        audio.sync(&player, t0 + secs(13.0));
        assert_eq!(
            tones(&audio, t0)[0],
            (13.0, Tone::Switch, CueKind::SwitchSides),
            "skipped to the switch"
        );
    }

    #[test]
    fn sounds_do_not_depend_on_when_frames_come() {
        // Two apps, same commands, one drawing every 40 ms and one every 900 ms: the
        // tones they schedule are the same, at the same clock times.
        let heard = |frame_ms: u64| {
            let mut audio = CueAudio::silent(BEEPS_ONLY);
            let mut player = Player::new(Arc::new(check_plan()), secs(3.0));
            let mut scheduled = std::collections::HashSet::new();
            player.start(Duration::ZERO);
            let mut now = Duration::ZERO;
            let mut paused = false;
            while now < secs(150.0) {
                if !paused && now >= secs(30.0) {
                    player.pause(secs(30.0));
                    paused = true;
                }
                if paused && now >= secs(33.0) && player.status(now).phase == Phase::Paused {
                    player.resume(secs(33.0));
                }
                let _ = player.tick(now);
                audio.sync(&player, now);
                // What will play: every sound from now on (those before are history).
                scheduled.retain(|&(at, _, _): &(Duration, Tone, CueKind)| at < now);
                for s in audio.laid_out() {
                    if let SoundKind::Tone(tone) = s.kind {
                        scheduled.insert((s.at, tone, s.cue.kind));
                    }
                }
                now += Duration::from_millis(frame_ms);
            }
            scheduled
        };
        let fast = heard(40);
        let slow = heard(900);
        assert!(fast.len() > 30, "{} tones", fast.len());
        assert_eq!(fast, slow, "the same tones at the same times");
    }

    #[test]
    fn the_caption_is_the_phrase_being_said_and_lost_words_are_named() {
        // Planned without words, the paced step straight after other work has no room.
        let plan = Arc::new(plan_of(
            "Step(name: \"A\", time: 10), Step(name: \"B\", instruction: \"Swing.\", reps: 3, rep_time: 2)",
        ));
        let (audio, _player) = speaking(&plan);
        let opening = audio
            .laid_out()
            .iter()
            .find(|s| s.is_voice())
            .expect("the opening")
            .clone();
        let during = opening.at + opening.clip.duration() / 2;
        assert_eq!(
            audio.saying(during),
            Some("Get ready. T. First: A."),
            "the words under way"
        );
        assert_eq!(audio.saying(opening.end() + secs(0.01)), None, "then none");
        let step_words = audio
            .laid_out()
            .iter()
            .find(|s| s.is_voice() && s.cue.kind == CueKind::StepStart)
            .expect("A's words")
            .clone();
        assert_eq!(
            audio.saying(step_words.at + secs(0.1)),
            None,
            "a step's words are on screen already"
        );
        let b = plan.segments.len() - 1;
        let lost = audio.lost_in(b).expect("B's words were lost");
        assert_eq!(lost.said, None);
        assert!(audio.lost_in(1).is_none(), "A's were not");
    }

    #[test]
    fn pressing_done_on_the_last_step_plays_the_finish() {
        let mut audio = CueAudio::silent(BEEPS_ONLY);
        let plan = Arc::new(check_plan());
        let last = plan.segments.len() - 1;
        let mut player = Player::new(Arc::clone(&plan), secs(3.0));
        player.start(Duration::ZERO);
        player.jump(last, secs(1.0));
        audio.sync(&player, secs(1.0));
        player.done(secs(5.0));
        let _ = player.tick(secs(5.0));
        audio.sync(&player, secs(5.02));
        assert_eq!(
            tones(&audio, Duration::ZERO),
            vec![(5.02, Tone::Finish, CueKind::Finished)],
            "the chime at once"
        );
        // Skipping past the end instead is not a finish.
        let mut player = Player::new(plan, secs(3.0));
        player.start(Duration::ZERO);
        player.jump(last, secs(1.0));
        audio.sync(&player, secs(1.0));
        player.next(secs(2.0));
        audio.sync(&player, secs(2.0));
        assert!(audio.laid_out().is_empty(), "no chime when skipped");
    }

    #[test]
    fn words_under_way_carry_over_a_change_to_the_same_step_but_not_a_skip() {
        let plan = Arc::new(check_plan());
        let settings = AudioSettings {
            voice: true,
            ..BEEPS_ONLY
        };
        let mut audio = CueAudio::silent(settings);
        let bank = fake_voice_bank(&plan);
        audio.preparer.with_bank_mut(|b| *b = bank);
        let mut player = Player::new(Arc::clone(&plan), secs(3.0));
        player.start(Duration::ZERO);
        audio.sync(&player, Duration::ZERO);
        let words = |audio: &CueAudio| -> Vec<PlacedSound> {
            audio
                .laid_out()
                .iter()
                .filter(|s| s.is_voice() && s.cue.kind == CueKind::StepStart && s.cue.segment == 1)
                .cloned()
                .collect()
        };
        let said = words(&audio);
        assert_eq!(said.len(), 1, "the left side is announced");
        let now = said[0].at + secs(1.0);
        let _ = player.tick(now);
        player.add_time(secs(10.0), now);
        audio.sync(&player, now);
        assert_eq!(words(&audio), said, "still being said, kept as it was");
        player.next(now + secs(0.5));
        audio.sync(&player, now + secs(0.5));
        assert!(words(&audio).is_empty(), "a skip cuts it");
    }

    #[test]
    fn stopping_lets_the_finish_play_out_but_nothing_else() {
        let plan = Arc::new(plan_of("Step(name: \"A\", time: 10)"));
        let (mut audio, player) = speaking(&plan);
        // Stopped mid-step (the synced clock is long past): silence, and it stays silent.
        audio.sync(&player, secs(5.0));
        audio.stop();
        assert!(audio.laid_out().is_empty(), "stopped");
        assert_eq!(
            audio.still_playing(),
            Duration::ZERO,
            "the device may close at once"
        );
        // The routine completes at 18 s (an 8 s lead-in); the app leaves the player screen a
        // frame later.
        let mut player = Player::new(Arc::clone(&plan), secs(3.0));
        let t0 = Instant::now();
        player.start(Duration::ZERO);
        audio.sync(&player, Duration::ZERO);
        let _ = player.tick(secs(18.01));
        audio.sync(&player, secs(18.01));
        audio.stop();
        let kinds: Vec<CueKind> = audio.laid_out().iter().map(|s| s.cue.kind).collect();
        assert!(t0.elapsed() < secs(0.5), "the test's own clock stays close");
        assert_eq!(
            kinds,
            [CueKind::Finished, CueKind::Finished],
            "chime and words play out"
        );
        // The device is kept for them: closed no sooner than their end.
        let end = audio.laid_out().iter().map(PlacedSound::end).max().unwrap();
        let left = end.saturating_sub(secs(18.01)) + SCHEDULING_LEAD;
        let lingers = audio.still_playing();
        assert!(
            lingers <= left && lingers + secs(0.5) >= left,
            "{lingers:?} against {left:?}"
        );
        audio.stop();
        assert_eq!(
            audio.laid_out().len(),
            2,
            "stopping again each frame changes nothing"
        );
    }

    #[test]
    fn words_rendered_after_the_start_join_the_track() {
        let plan = Arc::new(check_plan());
        let mut audio = CueAudio::silent(AudioSettings {
            voice: true,
            ..BEEPS_ONLY
        });
        let mut player = Player::new(Arc::clone(&plan), secs(3.0));
        player.start(Duration::ZERO);
        audio.sync(&player, Duration::ZERO);
        assert!(
            !audio.laid_out().iter().any(PlacedSound::is_voice),
            "no phrase rendered yet: tones only"
        );
        audio.sync(&player, secs(0.1));
        audio
            .preparer
            .with_bank_mut(|b| *b = fake_voice_bank(&plan));
        audio.sync(&player, secs(0.2));
        let words = audio.laid_out().iter().filter(|s| s.is_voice()).count();
        assert!(words > 5, "the words came in: {words}");
    }

    #[test]
    fn settings_apply_and_status_reads_well() {
        let mut audio = CueAudio::silent(BEEPS_ONLY);
        let plan = Arc::new(plan_of("Step(name: \"A\", time: 30)"));
        let mut player = Player::new(plan, secs(3.0));
        player.start(Duration::ZERO);
        audio.sync(&player, Duration::ZERO);
        assert!(!audio.laid_out().is_empty(), "beeps");
        audio.set_settings(AudioSettings {
            beeps: false,
            ..BEEPS_ONLY
        });
        audio.sync(&player, secs(0.1));
        assert!(audio.laid_out().is_empty(), "no beeps, no voice: nothing");
        assert!(
            matches!(audio.status(), AudioStatus::NoOutput(_)),
            "silent engine"
        );
        assert!(
            audio.status().to_string().starts_with("No audio output: "),
            "{}",
            audio.status()
        );
    }

    /// An engine on a [`output::FakeDevice`] at 48 kHz, speaking with the fake voice.
    fn on_fake_device(plan: &Plan) -> (CueAudio, output::FakeDevice) {
        let (output, device) = output::Output::fake(48_000);
        let audio = CueAudio::with_output(AudioSettings::default(), output);
        audio.preparer.with_bank_mut(|b| *b = fake_voice_bank(plan));
        (audio, device)
    }

    /// Where the first sound starts in `samples` (48 kHz), in seconds.
    fn first_sound(samples: &[f32]) -> Option<f64> {
        samples
            .iter()
            .position(|x| x.abs() > 0.01)
            .map(|i| i as f64 / 48_000.0)
    }

    /// The voice laid out for `kind` at `segment`, as (start, due) from `t0`.
    fn spoken(audio: &CueAudio, segment: usize, kind: CueKind) -> Vec<(f64, f64)> {
        audio
            .laid_out()
            .iter()
            .filter(|s| s.is_voice() && s.cue.segment == segment && s.cue.kind == kind)
            .map(|s| (s.at.as_secs_f64(), s.due.as_secs_f64()))
            .collect()
    }

    /// A Done-step (a jog), a rest, a timed step, as a coach writes a warm-up.
    fn jog_then_drills() -> Arc<Plan> {
        Arc::new(plan_of(
            "Step(name: \"Slow jog\", until_done: true, rest_after: \"20 s\"), \
             Step(name: \"High knees\", time: \"20 s\")",
        ))
    }

    #[test]
    fn the_cue_due_at_a_press_is_heard_on_a_fake_device() {
        // Regression ("Heard after every press"): the app runs a command, then `tick` (which
        // hands the cue due at that moment to the screen's caption), then `sync`; the audio's
        // schedule left out every cue `tick` had handed out, so "Rest. Next: …" after Done,
        // and "Get ready" at the start, were never played.
        let plan = jog_then_drills();
        let (mut audio, mut device) = on_fake_device(&plan);
        device.open();
        let mut player = Player::new(Arc::clone(&plan), secs(3.0));
        player.start(Duration::ZERO);
        let _ = player.tick(Duration::ZERO);
        // The fake device has not taken enough bursts for its clock to settle, so a track
        // starts from the system clock at its first sample: time this thread loses between
        // the sync and the take (a loaded machine) moves what is heard that much earlier.
        let synced = Instant::now();
        audio.sync(&player, Duration::ZERO);
        assert_eq!(
            spoken(&audio, 0, CueKind::GetReady),
            [(0.0, 0.0)],
            "the opening is laid out at the start"
        );
        let opening = device.take(48_000);
        let slack = synced.elapsed().as_secs_f64();
        let heard = first_sound(&opening).expect("the opening is heard");
        assert!(
            (0.039 - slack..0.042).contains(&heard),
            "the opening starts 40 ms (the scheduling lead) after the start: {heard} s \
             ({slack} s between the sync and the take)"
        );

        // 12 s into the jog (15 s in all), the athlete presses Done.
        let _ = device.take(14 * 48_000);
        let press = secs(15.0);
        let _ = player.tick(press);
        audio.sync(&player, press);
        let pressed = Instant::now();
        player.done(press);
        let fired = player.tick(press);
        assert!(
            fired.iter().any(|f| f.cue.kind == CueKind::RestStart),
            "the screen took the rest's cue first, as in the app"
        );
        audio.sync(&player, press);
        let rest = spoken(&audio, 2, CueKind::RestStart);
        assert_eq!(rest.len(), 1, "the rest is announced: {rest:?}");
        assert!(
            (rest[0].1 - 15.0).abs() < 1e-9,
            "due at the press: {rest:?}"
        );
        assert!(
            rest[0].0 - 15.0 < 0.6,
            "said right after the rest's tone: {rest:?}"
        );
        let after = device.take(48_000);
        let slack = pressed.elapsed().as_secs_f64();
        let heard = first_sound(&after).expect("something is heard after Done");
        assert!(
            (0.039 - slack..0.042).contains(&heard),
            "the rest's tone starts 40 ms after the press, as every other sound: {heard} s \
             ({slack} s between the press and the take)"
        );
        let words_at = rest[0].0 - 15.0 + 0.04;
        let from = usize::try_from(frames_between(Duration::ZERO, secs(words_at), 48_000)).unwrap();
        let words = &after[from..][..4_800];
        assert!(
            words.iter().any(|x| x.abs() > 0.1),
            "the words are heard where they are laid out"
        );
    }

    #[test]
    fn every_command_is_heard_from_the_moment_of_the_press() {
        // Each command the window gives, pressed at moments all through the routine that
        // sounds every cue: every cue due at the press that makes a sound (its tone, or its
        // words when it has no tone) is laid out at the press, for the speaker.
        type Press = fn(&mut Player, Duration);
        let plan = Arc::new(check_plan());
        let presses: [(&str, Press); 8] = [
            ("done", |p, t| p.done(t)),
            ("next", |p, t| p.next(t)),
            ("back", |p, t| p.previous(t)),
            ("restart", |p, t| p.restart(t)),
            ("ten seconds more", |p, t| {
                p.add_time(crate::timeline::ADJUST_STEP, t);
            }),
            ("ten seconds less", |p, t| {
                p.remove_time(crate::timeline::ADJUST_STEP, t);
            }),
            ("resume", |p, t| {
                p.pause(t.saturating_sub(secs(2.0)));
                p.resume(t);
            }),
            ("jump", |p, t| p.jump(5, t)),
        ];
        let mut checked = 0;
        for (name, press) in presses {
            for at in [2.5, 4.0, 11.0, 23.5, 26.0, 33.0, 41.5, 47.0, 60.0, 75.0] {
                let (mut audio, _device) = on_fake_device(&plan);
                let mut player = Player::new(Arc::clone(&plan), secs(3.0));
                player.start(Duration::ZERO);
                let mut now = Duration::ZERO;
                while now < secs(at) {
                    let _ = player.tick(now);
                    audio.sync(&player, now);
                    now += secs(0.25);
                }
                let t = secs(at);
                press(&mut player, t);
                let _ = player.tick(t);
                audio.sync(&player, t);
                let due: Vec<Cue> = player
                    .upcoming(t)
                    .into_iter()
                    .filter(|c| c.at == t)
                    .map(|c| c.cue)
                    .collect();
                let heard_at_press = |cue: &Cue| {
                    audio
                        .laid_out()
                        .iter()
                        .any(|s| s.cue == *cue && s.due == t && s.at < t + secs(1.6))
                };
                // One tone per instant: the first cue with one has it.
                let bank = fake_voice_bank(&plan);
                let with_tone = due
                    .iter()
                    .find(|c| track::cue_sound(&plan, c, &bank).is_some());
                if let Some(cue) = with_tone {
                    assert!(heard_at_press(cue), "{name} at {at} s: {cue:?} not heard");
                    checked += 1;
                } else if let Some(cue) = due
                    .iter()
                    .find(|c| !crate::timeline::script::announcement_forms(&plan, c).is_empty())
                {
                    assert!(heard_at_press(cue), "{name} at {at} s: {cue:?} not said");
                    checked += 1;
                }
            }
        }
        assert!(checked > 40, "most presses bring a cue: {checked}");
    }

    #[test]
    fn a_clock_that_moves_places_the_rest_again_once_nothing_is_under_way() {
        let plan = jog_then_drills();
        let (mut audio, mut device) = on_fake_device(&plan);
        device.open();
        device.set_clock(Duration::from_millis(50));
        let mut player = Player::new(Arc::clone(&plan), secs(3.0));
        player.start(Duration::ZERO);
        audio.sync(&player, Duration::ZERO);
        assert_eq!(
            audio.built_at(),
            Some(Duration::ZERO),
            "placed at the start"
        );
        let sounds = audio.laid_out().to_vec();
        let sounding = |t: Duration| sounds.iter().any(|s| s.at <= t && t < s.end());
        let first = &sounds[0];
        let under_way = first.at + first.end().saturating_sub(first.at) / 2;
        let quiet = (1..60_000)
            .map(|ms| under_way + Duration::from_millis(ms))
            .find(|&t| !sounding(t))
            .unwrap();
        // An underrun: every later frame plays 3 ms later.
        device.set_clock(Duration::from_millis(53));
        audio.sync(&player, under_way);
        assert_eq!(
            audio.built_at(),
            Some(Duration::ZERO),
            "not while a sound is under way"
        );
        audio.sync(&player, quiet);
        assert_eq!(audio.built_at(), Some(quiet), "placed again when quiet");
        // Within the tolerance: left as it is.
        device.set_clock(Duration::from_millis(54));
        let later = quiet + Duration::from_millis(1);
        assert!(!sounding(later), "still quiet at {later:?}");
        audio.sync(&player, later);
        assert_eq!(audio.built_at(), Some(quiet), "1 ms is not a move");
    }

    #[test]
    fn a_press_noticed_late_is_announced_late_not_never() {
        let plan = jog_then_drills();
        let (mut audio, mut device) = on_fake_device(&plan);
        device.open();
        let mut player = Player::new(Arc::clone(&plan), secs(3.0));
        player.start(Duration::ZERO);
        audio.sync(&player, Duration::ZERO);
        // Done at 10 s; the audio looks 80 ms later (a slow frame).
        player.done(secs(10.0));
        let _ = player.tick(secs(10.0));
        audio.sync(&player, secs(10.08));
        let rest = spoken(&audio, 2, CueKind::RestStart);
        assert_eq!(rest.len(), 1, "announced: {rest:?}");
        assert!(
            (10.08..10.7).contains(&rest[0].0) && (rest[0].1 - 10.0).abs() < 1e-9,
            "from the moment it was noticed, due at the press: {rest:?}"
        );
        let tone = tones(&audio, Duration::ZERO);
        assert_eq!(
            tone.first().map(|t| (t.1, t.2)),
            Some((Tone::Rest, CueKind::RestStart)),
            "the rest's tone first: {tone:?}"
        );
        assert!((tone[0].0 - 10.08).abs() < 1e-9, "at once: {tone:?}");
    }

    #[test]
    fn a_device_still_opening_at_the_start_hears_the_opening_late_but_whole() {
        let plan = jog_then_drills();
        let (mut audio, mut device) = on_fake_device(&plan);
        assert!(!audio.is_ready(), "the device has not answered");
        let mut player = Player::new(Arc::clone(&plan), secs(3.0));
        player.start(Duration::ZERO);
        let _ = player.tick(Duration::ZERO);
        audio.sync(&player, Duration::ZERO);
        device.open();
        assert!(
            !audio.is_ready(),
            "open, but its clock is not known yet: a start waits"
        );
        // The device answers 0.3 s later: the opening, due at 0, plays from then, whole.
        audio.sync(&player, secs(0.3));
        assert_eq!(
            spoken(&audio, 0, CueKind::GetReady),
            [(0.3, 0.0)],
            "late rather than never"
        );
        let heard = first_sound(&device.take(48_000)).expect("heard");
        assert!((0.039..0.042).contains(&heard), "at once: {heard} s");
        // A cue missed by more than its own length is left out, not played out of place.
        let mut player = Player::new(Arc::clone(&plan), secs(3.0));
        let (mut audio, _device) = on_fake_device(&plan);
        player.start(Duration::ZERO);
        audio.sync(&player, Duration::ZERO);
        player.next(secs(1.0));
        let _ = player.tick(secs(1.0));
        audio.sync(&player, secs(9.0));
        assert!(
            spoken(&audio, 1, CueKind::StepStart).is_empty(),
            "8 s late: the jog's words are over by now"
        );
    }

    #[test]
    fn open_returns_quickly_whatever_the_machine_has() {
        let started = Instant::now();
        let mut audio = CueAudio::open(BEEPS_ONLY);
        assert!(
            started.elapsed() < output::OPEN_WAIT + secs(1.0),
            "opened in {:?}",
            started.elapsed()
        );
        assert!(
            matches!(audio.status(), AudioStatus::Ok | AudioStatus::NoOutput(_)),
            "{}",
            audio.status()
        );
        let player = Player::new(Arc::new(check_plan()), secs(3.0));
        audio.sync(&player, Duration::ZERO);
    }

    #[test]
    fn a_done_step_that_moves_on_says_so_whole_before_its_pips() {
        let source = "Routine(format: 1, title: \"T\", lead_in: 8, auto_advance: \"20 s\", \
            sections: [Section(title: \"S\", steps: [\
            Step(name: \"Slow jog\", until_done: true, suggested_time: \"1 min\"), \
            Step(name: \"High knees\", time: \"20 s\")])])";
        let routine = crate::routine::parse(source, std::path::Path::new("/nonexistent/t.ron"))
            .routine
            .expect("loads");
        let plan = Arc::new(Plan::new(
            Arc::new(routine),
            crate::timeline::DEFAULT_LEAD_IN,
        ));
        let (audio, _) = speaking(&plan);
        let jog = &plan.segments[1];
        assert_eq!(jog.moves_on_after, Some(secs(80.0)));
        let due = jog.offset.as_secs_f64() + 70.0;
        assert_eq!(
            spoken(&audio, 1, CueKind::MovingOn),
            [(due, due)],
            "said at its moment"
        );
        let said = audio
            .laid_out()
            .iter()
            .find(|s| s.is_voice() && s.cue.kind == CueKind::MovingOn)
            .expect("laid out");
        let first_pip = audio
            .laid_out()
            .iter()
            .find(|s| s.cue.kind == CueKind::Countdown(3) && s.cue.segment == 1)
            .expect("the pips before it moves on");
        assert!(
            said.end() < first_pip.at,
            "whole before the pips: ends {:?}, pip {:?}",
            said.end(),
            first_pip.at
        );
        // The step after it is in the track too: the schedule runs past the jog.
        assert_eq!(spoken(&audio, 2, CueKind::StepStart).len(), 1);
    }
}
