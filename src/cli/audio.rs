//! `limberup export-audio` and the hidden `limberup play-audio`.

use std::ffi::OsStr;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;

use super::args::{Press, PressCommand};
use super::find_routine;
use super::output::{Asked, Protected, STDOUT};
use crate::audio::{
    self, AudioSettings, AudioStatus, CueAudio, ExportOptions, PlacedSound, SoundKind,
};
use crate::text::{clock, escape_controls};
use crate::timeline::{ADJUST_STEP, Clock as _, Plan, PlanOptions, Player, SystemClock};

/// `limberup export-audio ROUTINE -o FILE.wav [--force]`.
pub(super) fn export(
    name: &OsStr,
    output: Asked<'_>,
    plan_options: PlanOptions,
    options: ExportOptions,
    extra: Vec<PathBuf>,
    pick: &super::Pick,
) -> anyhow::Result<ExitCode> {
    let protected = Protected::standard(&extra);
    let routine = super::find_selected(name, extra, pick)?;
    // Refused before the work of rendering.
    let output = output.resolve_or(Path::new(STDOUT), &protected.with_routine(&routine))?;
    let plan = Plan::with_options(routine, plan_options);
    let rendered = audio::render(&plan, options);
    output.write_with(|scratch| {
        audio::write_wav(&rendered, scratch, options.rate_hz)
            .with_context(|| format!("writing {}", output.name()))
    })?;
    let mut err = io::stderr().lock();
    for warning in &rendered.preparation.warnings {
        writeln!(err, "limberup: warning: {}", escape_controls(warning))?;
    }
    if let Some(reason) = &rendered.preparation.voice_unavailable {
        writeln!(
            err,
            "limberup: warning: {}; the file has tones only",
            escape_controls(reason)
        )?;
    }
    for lost in &rendered.layout.lost {
        writeln!(
            err,
            "limberup: warning: {}",
            escape_controls(&lost.message(&plan))
        )?;
    }
    drop(err);
    let prep = &rendered.preparation;
    let voice = if prep.voice_unavailable.is_some() {
        "no voice".to_owned()
    } else {
        format!(
            "{} phrases rendered in {} ms",
            prep.texts_done,
            prep.elapsed.as_millis()
        )
    };
    writeln!(
        output.messages(),
        "wrote {}: {} of audio at {} Hz, {} sounds for {} cues; {voice}",
        escape_controls(&output.name()),
        clock(rendered.duration),
        options.rate_hz,
        rendered.sound_count(),
        rendered.cues,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// A sound heard, for `play-audio --events`.
#[derive(Serialize)]
struct Event {
    /// Start, from the player's start.
    at_s: f64,
    /// When its cue was due (a late cue plays after it; speech may start before it).
    due_s: f64,
    /// First sample at or above [`ONSET_THRESHOLD`] (at the chosen volume).
    onset_s: f64,
    /// Its end, or where a press cut it off.
    end_s: f64,
    kind: &'static str,
    name: String,
    cue: String,
    /// Nothing else sounds in the 60 ms before its onset: its onset can be measured.
    isolated: bool,
    /// Its cue came due at a press (the sound the press must bring at once).
    at_press: bool,
    /// When the track that started it was laid out (each track is placed on the system
    /// clock when it is built, then plays at the device's pace).
    built_s: f64,
}

/// A press, for `play-audio --events`.
#[derive(Serialize)]
struct PressEvent {
    /// When it was applied, from the player's start.
    at_s: f64,
    command: String,
}

/// What `play-audio --events` writes.
#[derive(Serialize)]
struct Events {
    sounds: Vec<Event>,
    presses: Vec<PressEvent>,
    /// How much faster than the system clock the device took frames over the run, in parts
    /// per million (from its heartbeat, not from any track): a recording of the device runs
    /// on its clock, tracks are placed on the system's.
    device_drift_ppm: f64,
}

/// The level `tests/audio_onsets.py` takes as an onset.
const ONSET_THRESHOLD: f32 = 0.05;

/// A sound of some track, when that track was built, and where a later track cut it off.
struct Heard {
    sound: PlacedSound,
    built: Duration,
    cut_at: Option<Duration>,
}

impl Heard {
    fn end(&self) -> Duration {
        self.cut_at
            .map_or(self.sound.end(), |cut| cut.min(self.sound.end()))
    }
}

/// Follows what is heard across rebuilds: a track laid out at `built` replaces what the last
/// one would have played from then on (its sounds carried over stay, as they are). A sound
/// the new track lays out again, not started yet, is now the new track's: it is placed on the
/// device's clock as that clock reads at `built`, not as it read for the last track.
fn follow(heard: &mut Vec<Heard>, laid_out: &[PlacedSound], built: Duration) {
    heard.retain(|h| h.sound.at < built || laid_out.contains(&h.sound));
    for h in heard.iter_mut() {
        if h.end() > built && !laid_out.contains(&h.sound) {
            h.cut_at = Some(built);
        }
        if h.sound.at >= built {
            h.built = built;
        }
    }
    for sound in laid_out {
        if !heard.iter().any(|h| &h.sound == sound) {
            heard.push(Heard {
                sound: sound.clone(),
                built,
                cut_at: None,
            });
        }
    }
    heard.sort_by_key(|h| h.sound.at);
}

/// `limberup play-audio ROUTINE --seconds N [--press SECS:COMMAND]…`: plays through
/// [`CueAudio`] like the app does, polling at irregular intervals as frames would come, and
/// pressing the commands given at their moments through the player, as the window does
/// (the command, then `tick`, then `sync`, at the same moment).
pub(super) fn play(
    name: &OsStr,
    seconds: f64,
    plan_options: PlanOptions,
    events: Option<&Path>,
    volume: f32,
    presses: &[Press],
    extra: Vec<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let routine = find_routine(name, extra)?;
    let plan = Arc::new(Plan::with_options(routine, plan_options));
    let mut out = io::stdout().lock();
    let opening = Instant::now();
    let mut audio = CueAudio::open(AudioSettings {
        volume,
        ..AudioSettings::default()
    });
    let output = audio.output_state();
    writeln!(
        out,
        "status: {} (after {} ms; {} Hz)",
        audio.status(),
        opening.elapsed().as_millis(),
        output.rate_hz
    )?;
    if seconds <= 0.0 {
        return Ok(ExitCode::SUCCESS);
    }
    audio.prepare(&plan);
    let preparing = Instant::now();
    while !audio.progress().finished && preparing.elapsed() < Duration::from_mins(2) {
        std::thread::sleep(Duration::from_millis(20));
    }
    // As the window does at Start: wait until the device's clock is known.
    while !audio.is_ready() && preparing.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let progress = audio.progress();
    writeln!(
        out,
        "voice: {} phrases rendered in {} ms",
        progress.texts_done,
        progress.elapsed.as_millis()
    )?;
    let clock = SystemClock::new();
    let mut player = Player::new(Arc::clone(&plan), Duration::from_secs(3));
    let start = clock.now();
    player.start(start);
    let _ = player.tick(start);
    audio.sync(&player, start);
    let frame_zero_at_start = frame_zero(&audio);
    let mut drift_samples: Vec<(Duration, f64)> = Vec::new();
    let mut heard: Vec<Heard> = Vec::new();
    let mut built = None;
    let mut pressed: Vec<(Duration, PressCommand)> = Vec::new();
    let mut to_press = presses.to_vec();
    to_press.sort_by_key(|p| p.at);
    let mut to_press = to_press.into_iter().peekable();
    let length = Duration::from_secs_f64(seconds);
    let mut seed = u64::from(start.subsec_nanos()) | 1;
    let mut status = audio.status().clone();
    loop {
        let mut now = clock.now();
        if let Some(press) = to_press.next_if(|p| start + p.at <= now + POLL_AHEAD) {
            // Pressed at its moment (the loop sleeps up to it), as a key would be.
            std::thread::sleep((start + press.at).saturating_sub(now));
            now = clock.now();
            apply(&mut player, press.command, now);
            pressed.push((now, press.command));
        }
        let _fired = player.tick(now);
        audio.sync(&player, now);
        if audio.built_at() != built {
            built = audio.built_at();
            follow(&mut heard, audio.laid_out(), built.unwrap_or(now));
        }
        if let (Some(first), Some(zero)) = (frame_zero_at_start, frame_zero(&audio)) {
            drift_samples.push((now, signed_ms(zero, first)));
        }
        if audio.status() != &status {
            status = audio.status().clone();
            let at = now.saturating_sub(start).as_secs_f64();
            writeln!(out, "status at {at:.1} s: {status}")?;
        }
        if now.saturating_sub(start) >= length {
            break;
        }
        // Frames at irregular intervals, 20 to 300 ms apart: the sound must not care.
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let pause = Duration::from_millis(20 + (seed >> 33) % 280);
        let until_press = to_press
            .peek()
            .map_or(pause, |p| (start + p.at).saturating_sub(clock.now()));
        std::thread::sleep(pause.min(until_press.saturating_sub(POLL_AHEAD)));
    }
    writeln!(out, "status: {}", audio.status())?;
    let device_drift_ppm = drift_ppm(&drift_samples);
    writeln!(
        out,
        "device clock: {device_drift_ppm:+.1} ppm against the system clock"
    )?;
    for warning in audio.take_warnings() {
        writeln!(io::stderr().lock(), "limberup: warning: {warning}")?;
    }
    if let Some(path) = events {
        let moments: Vec<Duration> = pressed.iter().map(|&(at, _)| at).collect();
        let events = Events {
            sounds: describe(&heard, start, length, volume, &moments),
            presses: pressed
                .iter()
                .map(|&(at, command)| PressEvent {
                    at_s: at.saturating_sub(start).as_secs_f64(),
                    command: format!("{command:?}").to_lowercase(),
                })
                .collect(),
            device_drift_ppm,
        };
        let file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        serde_json::to_writer_pretty(io::BufWriter::new(file), &events)
            .context("writing the events")?;
    }
    Ok(if matches!(audio.status(), AudioStatus::NoOutput(_)) {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// `a - b` in milliseconds, either way round.
fn signed_ms(a: Instant, b: Instant) -> f64 {
    match a.checked_duration_since(b) {
        Some(later) => later.as_secs_f64() * 1e3,
        None => -b.duration_since(a).as_secs_f64() * 1e3,
    }
}

/// How much faster than the system clock the device takes frames, in ppm, from where its
/// frame 0 seems to be over time (earlier and earlier when it runs fast): the median of the
/// slopes over 5-second spans, so a glitch (a jump of the clock) does not count.
fn drift_ppm(frame_zero_ms: &[(Duration, f64)]) -> f64 {
    const SPAN: Duration = Duration::from_secs(5);
    let mut slopes: Vec<f64> = frame_zero_ms
        .iter()
        .enumerate()
        .filter_map(|(i, &(t, ms))| {
            let &(later, later_ms) = frame_zero_ms[i..].iter().find(|(u, _)| *u >= t + SPAN)?;
            Some(-(later_ms - ms) / later.saturating_sub(t).as_secs_f64() * 1e3)
        })
        .collect();
    slopes.sort_by(f64::total_cmp);
    slopes.get(slopes.len() / 2).copied().unwrap_or(0.0)
}

/// Where on the system clock the device's frame 0 was taken, by its clock now.
fn frame_zero(audio: &CueAudio) -> Option<Instant> {
    audio.output_state().clock.and_then(|c| c.frame_time(0))
}

/// A press is made this close to its moment by sleeping up to it, not by the next poll.
const POLL_AHEAD: Duration = Duration::from_millis(30);

/// What the window does for each command.
fn apply(player: &mut Player, command: PressCommand, now: Duration) {
    match command {
        PressCommand::Done => player.done(now),
        PressCommand::Next => player.next(now),
        PressCommand::Back => player.previous(now),
        PressCommand::Pause => player.pause(now),
        PressCommand::Resume => player.resume(now),
        PressCommand::More => player.add_time(ADJUST_STEP, now),
        PressCommand::Less => player.remove_time(ADJUST_STEP, now),
        PressCommand::Restart => player.restart(now),
        PressCommand::Jump(index) => player.jump(index, now),
    }
}

fn describe(
    heard: &[Heard],
    start: Duration,
    length: Duration,
    volume: f32,
    presses: &[Duration],
) -> Vec<Event> {
    let secs = |d: Duration| d.saturating_sub(start).as_secs_f64();
    let onset = |s: &PlacedSound| {
        let threshold = ONSET_THRESHOLD / volume.max(1e-3);
        let index = s
            .clip
            .samples()
            .iter()
            .position(|x| x.abs() >= threshold)
            .unwrap_or(0);
        s.at + Duration::from_secs_f64(index as f64 / f64::from(s.clip.rate_hz()))
    };
    let stop = start + length;
    heard
        .iter()
        .filter(|h| h.sound.at < stop && h.end() > h.sound.at)
        .map(|h| {
            let s = &h.sound;
            let at = onset(s);
            let isolated = !heard.iter().any(|o| {
                !std::ptr::eq(o, h) && o.sound.at < at && o.end() + Duration::from_millis(60) > at
            });
            let (kind, name) = match &s.kind {
                SoundKind::Tone(tone) => ("tone", format!("{tone:?}")),
                SoundKind::Clip(path) => ("clip", path.display().to_string()),
                SoundKind::Voice(text) => ("voice", text.clone()),
            };
            Event {
                at_s: secs(s.at),
                due_s: secs(s.due),
                onset_s: secs(at),
                // Playing stops with the run.
                end_s: secs(h.end().min(stop)),
                kind,
                name,
                cue: format!("{:?}", s.cue.kind),
                isolated,
                at_press: presses.contains(&s.due),
                built_s: secs(h.built),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::{Clip, SoundKind, Tone};
    use crate::timeline::{Cue, CueKind};

    fn sound(at_ms: u64) -> PlacedSound {
        let at = Duration::from_millis(at_ms);
        PlacedSound {
            at,
            due: at,
            clip: Clip::new(vec![0.5; 4_800], 48_000),
            kind: SoundKind::Tone(Tone::Pip),
            cue: Cue {
                segment: 0,
                at,
                kind: CueKind::Countdown(1),
            },
        }
    }

    fn built_ms(heard: &[Heard]) -> Vec<(u128, u128)> {
        heard
            .iter()
            .map(|h| (h.sound.at.as_millis(), h.built.as_millis()))
            .collect()
    }

    #[test]
    fn a_sound_laid_out_again_belongs_to_the_track_that_plays_it() {
        let mut heard = Vec::new();
        let first = [sound(1_000), sound(30_000), sound(50_000)];
        follow(&mut heard, &first, Duration::ZERO);
        // Renewed at 30.05 s, in the middle of the sound at 30 s (carried, as it is): the
        // one at 50 s is laid out again, the same on the player's clock, by the new track.
        follow(&mut heard, &first[1..], Duration::from_millis(30_050));
        assert_eq!(
            built_ms(&heard),
            [(1_000, 0), (30_000, 0), (50_000, 30_050)],
            "the sound under way stays the first track's; the one to come is the new one's"
        );
        assert!(heard.iter().all(|h| h.cut_at.is_none()), "nothing cut");
    }

    #[test]
    fn a_sound_the_new_track_leaves_out_is_cut_where_it_was_built() {
        let mut heard = Vec::new();
        follow(&mut heard, &[sound(1_000), sound(5_000)], Duration::ZERO);
        follow(&mut heard, &[], Duration::from_millis(1_050));
        assert_eq!(built_ms(&heard), [(1_000, 0)], "the one to come is gone");
        assert_eq!(
            heard[0].cut_at,
            Some(Duration::from_millis(1_050)),
            "cut where it was"
        );
    }
}
