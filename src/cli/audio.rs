//! `limberup export-audio` and the hidden `limberup play-audio`.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;

use super::find_routine;
use crate::audio::export::{self, ExportOptions};
use crate::audio::track::{PlacedSound, SoundKind};
use crate::audio::{AudioSettings, AudioStatus, CueAudio};
use crate::routine::quantity::format_clock;
use crate::timeline::{Clock as _, Plan, Player, SystemClock};

/// `limberup export-audio ROUTINE -o FILE.wav`.
pub(super) fn export(
    name: &str,
    output: &Path,
    lead_in: Duration,
    options: ExportOptions,
    extra: Vec<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let routine = find_routine(name, extra)?;
    let plan = Plan::new(routine, lead_in);
    let rendered = export::render(&plan, options);
    export::write_wav(&rendered, output, options.rate_hz)
        .with_context(|| format!("writing {}", output.display()))?;
    let mut err = io::stderr().lock();
    for warning in &rendered.preparation.warnings {
        writeln!(err, "limberup: warning: {warning}")?;
    }
    if let Some(reason) = &rendered.preparation.voice_unavailable {
        writeln!(err, "limberup: warning: {reason}; the file has tones only")?;
    }
    if !rendered.layout.dropped.is_empty() {
        writeln!(
            err,
            "limberup: note: {} announcement(s) did not fit before the next and were left out",
            rendered.layout.dropped.len()
        )?;
    }
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
        io::stdout().lock(),
        "wrote {}: {} of audio at {} Hz, {} sounds for {} cues; {voice}",
        output.display(),
        format_clock(rendered.duration),
        options.rate_hz,
        rendered.layout.sounds.len(),
        rendered.cues,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// A scheduled sound, for `play-audio --events`.
#[derive(Serialize)]
struct Event {
    /// Start, from the player's start.
    at_s: f64,
    /// First sample at or above [`ONSET_THRESHOLD`] (at the chosen volume).
    onset_s: f64,
    end_s: f64,
    kind: &'static str,
    name: String,
    cue: String,
    /// Nothing else sounds in the 60 ms before its onset: its onset can be measured.
    isolated: bool,
}

/// The level `tests/audio_onsets.py` takes as an onset.
const ONSET_THRESHOLD: f32 = 0.05;

/// `limberup play-audio ROUTINE --seconds N`: plays through [`CueAudio`] like the app does,
/// polling at irregular intervals, as frames would come.
pub(super) fn play(
    name: &str,
    seconds: f64,
    lead_in: Duration,
    events: Option<&Path>,
    volume: f32,
    extra: Vec<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let routine = find_routine(name, extra)?;
    let plan = Arc::new(Plan::new(routine, lead_in));
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
    // As in the app, where the device opens at launch: let its clock settle first.
    while !audio.output_state().clock.is_some_and(|c| c.is_settled())
        && preparing.elapsed() < Duration::from_secs(3)
    {
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
    audio.sync(&player, start);
    let scheduled: Vec<PlacedSound> = audio.laid_out().to_vec();
    let length = Duration::from_secs_f64(seconds);
    let mut seed = u64::from(start.subsec_nanos()) | 1;
    let mut status = audio.status().clone();
    loop {
        let now = clock.now();
        let _fired = player.tick(now);
        audio.sync(&player, now);
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
        std::thread::sleep(Duration::from_millis(20 + (seed >> 33) % 280));
    }
    writeln!(out, "status: {}", audio.status())?;
    for warning in audio.take_warnings() {
        writeln!(io::stderr().lock(), "limberup: warning: {warning}")?;
    }
    if let Some(path) = events {
        let events = describe(&scheduled, start, length, volume);
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

fn describe(sounds: &[PlacedSound], start: Duration, length: Duration, volume: f32) -> Vec<Event> {
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
    sounds
        .iter()
        .filter(|s| s.at < start + length)
        .map(|s| {
            let at = onset(s);
            let isolated = !sounds.iter().any(|o| {
                !std::ptr::eq(o, s) && o.at < at && o.end() + Duration::from_millis(60) > at
            });
            let (kind, name) = match &s.kind {
                SoundKind::Tone(tone) => ("tone", format!("{tone:?}")),
                SoundKind::Clip(path) => ("clip", path.display().to_string()),
                SoundKind::Voice(text) => ("voice", text.clone()),
            };
            Event {
                at_s: secs(s.at),
                onset_s: secs(at),
                end_s: secs(s.end()),
                kind,
                name,
                cue: format!("{:?}", s.cue.kind),
                isolated,
            }
        })
        .collect()
}
