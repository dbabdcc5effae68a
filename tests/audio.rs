//! The audio engine with no sound server and no device: it must stay silent, quick and
//! quiet, and `export-audio` must still work.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Runs the binary where no sound can be found: ALSA has no configuration (so no device and
/// no `PulseAudio` plugin), and no `PulseAudio` server is reachable.
fn limberup_without_sound(args: &[&str], scratch: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args(args)
        .env("ALSA_CONFIG_PATH", scratch.join("no-alsa.conf"))
        .env("PULSE_SERVER", "unix:/nonexistent/pulse/native")
        .env("XDG_RUNTIME_DIR", scratch)
        .env("LIMBERUP_DATA_DIR", env!("CARGO_MANIFEST_DIR"))
        .env("XDG_DATA_HOME", scratch.join("data"))
        .output()
        .expect("the binary runs")
}

fn check_routine() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/audio-check.ron")
        .display()
        .to_string()
}

#[test]
fn with_no_device_the_engine_opens_silent_quickly_and_quietly() {
    let scratch = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = limberup_without_sound(
        &["play-audio", &check_routine(), "--seconds", "0"],
        scratch.path(),
    );
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("status: No audio output: "),
        "says why: {stdout}"
    );
    assert!(took < Duration::from_secs(3), "returned in {took:?}");
    assert!(stderr.trim().is_empty(), "nothing on stderr: {stderr}");
}

#[test]
fn with_no_device_export_audio_still_writes_the_routine() {
    let scratch = tempfile::tempdir().unwrap();
    let wav = scratch.path().join("check.wav");
    let output = limberup_without_sound(
        &[
            "export-audio",
            &check_routine(),
            "-o",
            &wav.display().to_string(),
            "--sample-rate",
            "24000",
        ],
        scratch.path(),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.starts_with("wrote "), "{stdout}");
    let mut reader = hound::WavReader::open(&wav).unwrap();
    let spec = reader.spec();
    assert_eq!(
        (spec.channels, spec.sample_rate, spec.bits_per_sample),
        (1, 24_000, 16),
        "mono 16-bit at the asked rate"
    );
    // The planned total (the Done-step at its suggested 20 s, time made for the words), then
    // the chime and its words and a second of tail.
    let show = limberup_without_sound(&["show", "--json", &check_routine()], scratch.path());
    let planned: serde_json::Value = serde_json::from_slice(&show.stdout).expect("JSON");
    let total = Duration::from_millis(planned["total_ms"].as_u64().expect("a total"));
    let length = Duration::from_secs_f64(f64::from(reader.duration()) / 24_000.0);
    assert!(
        length > total + Duration::from_secs(1) && length < total + Duration::from_secs(5),
        "{length:?} for {total:?} planned"
    );
    let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    // The first pip is exactly 1 s in (lead-in of 3 s: pips at 1 and 2 s): silent before
    // (with beeps only), sounding after.
    let quiet_output = limberup_without_sound(
        &[
            "export-audio",
            &check_routine(),
            "-o",
            &wav.display().to_string(),
            "--sample-rate",
            "24000",
            "--no-voice",
            // Over the file of the first export.
            "--force",
        ],
        scratch.path(),
    );
    assert!(quiet_output.status.success(), "beeps only");
    let beeps: Vec<i16> = hound::WavReader::open(&wav)
        .unwrap()
        .samples::<i16>()
        .map(Result::unwrap)
        .collect();
    assert!(
        beeps[..24_000].iter().all(|&s| s == 0),
        "silence before the first pip"
    );
    assert!(
        beeps[24_000..24_000 + 2_400]
            .iter()
            .any(|&s| s.unsigned_abs() > 5_000),
        "the pip at 1 s"
    );
    assert!(samples.iter().any(|&s| s != 0), "the full export has sound");
}

#[test]
fn without_espeak_export_audio_says_so_once_and_keeps_the_tones() {
    let scratch = tempfile::tempdir().unwrap();
    let wav = scratch.path().join("tones.wav");
    let output = Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args([
            "export-audio",
            &check_routine(),
            "-o",
            &wav.display().to_string(),
        ])
        .env("PATH", scratch.path().join("no-programs-here"))
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("; no voice"), "{stdout}");
    assert_eq!(
        stderr.matches("espeak-ng cannot be started").count(),
        1,
        "said once: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "and nothing else: {stderr}");
    let samples = hound::WavReader::open(&wav)
        .unwrap()
        .samples::<i16>()
        .count();
    assert!(samples > 48_000 * 120, "the whole routine");
}

/// Regression (#22): `export-audio` held every phrase of a routine at once, so 2,000 one-step
/// sections took 788 MB. It now holds one minute's words at a time: 300 sections, each with
/// words of its own (some 600 phrases, over 100 MB held whole), export within 60 MB.
#[cfg(target_os = "linux")]
#[test]
fn export_audio_of_a_long_routine_holds_a_minute_of_words_at_a_time() {
    let scratch = tempfile::tempdir().unwrap();
    let sections: Vec<String> = (0..300)
        .map(|i| {
            format!(
                "Section(title: \"Part {i}\", steps: [Step(name: \"Hold {i}\", \
                 instruction: \"Hold it steady, number {i}, and breathe out slowly.\", time: 20)])"
            )
        })
        .collect();
    let routine = scratch.path().join("long.ron");
    std::fs::write(
        &routine,
        format!(
            "Routine(format: 1, title: \"Long\", sections: [{}])",
            sections.join(",\n")
        ),
    )
    .unwrap();
    let wav = scratch.path().join("long.wav");
    let mut child = Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args([
            "export-audio",
            routine.to_str().unwrap(),
            "-o",
            wav.to_str().unwrap(),
        ])
        .env("XDG_DATA_HOME", scratch.path().join("data"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary runs");
    // The kernel's high-water mark of its memory, read until it exits.
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0_u64;
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        let hwm = std::fs::read_to_string(&status).unwrap_or_default();
        if let Some(kib) = hwm
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "it succeeded");
    assert!(peak_kib > 0, "measured");
    let peak_mib = peak_kib / 1024;
    assert!(peak_mib < 60, "peak memory {peak_mib} MiB");
    let minutes = std::fs::metadata(&wav).unwrap().len() / (48_000 * 2 * 60);
    assert!(minutes >= 100, "the whole routine: {minutes} minutes");
}
