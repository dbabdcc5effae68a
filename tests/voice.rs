//! The voice script: every phrase of every bundled routine and of the test routines heard
//! in full, never over another phrase or a tone, with its lengths measured by espeak-ng.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use limberup::routine::{self, LoadOptions};
use limberup::timeline::script::{self, Estimate, SPEECH_GAP, Script, TONE_GAP, Timing};
use limberup::timeline::{
    CueKind, DEFAULT_LEAD_IN, Plan, PlanOptions, SegmentKind, announcement, schedule,
};

use crate::common::{parse, routine_with_steps};

const MS: Duration = Duration::from_millis(1);

/// Every routine the script is checked on: the bundled ones and the test routines.
fn routine_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for folder in ["routines", "tests/data", "tests/routines"] {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let ron = path
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("ron"));
            if ron && name != "exercises.ron" {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 20, "{} routines", files.len());
    files
}

fn spoken_plan(path: &Path) -> Plan {
    let options = LoadOptions {
        library: limberup::library::exercise_library(),
        ..LoadOptions::default()
    };
    let loaded = routine::load(path, options);
    let routine = loaded
        .routine
        .unwrap_or_else(|| panic!("{}: {:?}", path.display(), loaded.diagnostics));
    Plan::with_options(Arc::new(routine), PlanOptions::spoken(DEFAULT_LEAD_IN))
}

/// Whether espeak-ng runs here (CI installs it; without it the measured checks are skipped
/// and the estimate is checked alone).
fn has_espeak() -> bool {
    std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The rules every script keeps, whatever measured its lengths.
fn assert_heard_in_full(name: &str, plan: &Plan, script: &Script) {
    assert!(script.lost.is_empty(), "{name}: {:?}", script.lost);
    assert!(!script.missing, "{name}: every phrase has a length");
    // No phrase overlaps another.
    for pair in script.lines.windows(2) {
        assert!(
            pair[0].end() <= pair[1].at,
            "{name}: {:?} runs into {:?}",
            pair[0].text,
            pair[1].text
        );
    }
    // Nor a tone, but its own (after it) and the halfway tone, which gives way.
    for line in &script.lines {
        for tone in &script.tones {
            let own = tone.cue == line.cue || tone.at == line.due.max(Duration::ZERO);
            let clear = line.end() <= tone.at || tone.at + tone.length <= line.at;
            assert!(
                clear || own && line.at >= tone.at,
                "{name}: \"{}\" at {:?} over the {:?} tone at {:?}",
                line.text,
                line.at,
                tone.cue.kind,
                tone.at
            );
        }
    }
    let said: HashMap<(usize, CueKind), &str> = script
        .lines
        .iter()
        .map(|l| ((l.cue.segment, l.cue.kind), l.text.as_str()))
        .collect();
    for planned in schedule(plan) {
        let cue = planned.cue;
        let segment = &plan.segments[cue.segment];
        match cue.kind {
            // Every step's announcement (its instruction with it) and the opening, in full.
            CueKind::StepStart | CueKind::GetReady | CueKind::RestStart | CueKind::Finished => {
                let full = announcement(plan, &cue).expect("it speaks");
                assert_eq!(
                    said.get(&(cue.segment, cue.kind)).copied(),
                    Some(full.as_str()),
                    "{name}: segment {} {:?}",
                    cue.segment,
                    cue.kind
                );
            }
            _ => {}
        }
        // Paced reps start after their step's words.
        if cue.kind == CueKind::StepStart && segment.rep_time.is_some() {
            let words = script
                .lines
                .iter()
                .find(|l| l.cue == cue)
                .expect("the step's words");
            assert!(
                words.end() + TONE_GAP <= segment.offset + MS,
                "{name}: \"{}\" ends at {:?}, after its reps start at {:?}",
                words.text,
                words.end(),
                segment.offset
            );
        }
    }
    let opening = script.lines.first().expect("an opening");
    assert_eq!(
        opening.cue.kind,
        CueKind::GetReady,
        "{name}: opens the routine"
    );
}

#[test]
fn every_routine_is_heard_in_full_by_the_estimate_it_was_planned_with() {
    for path in routine_files() {
        let plan = spoken_plan(&path);
        let script = script::planned(&plan, &Estimate::new(&plan));
        assert_heard_in_full(&path.display().to_string(), &plan, &script);
    }
}

#[test]
fn every_routine_is_heard_in_full_with_its_phrases_measured_by_espeak_ng() {
    if !has_espeak() {
        return;
    }
    for path in routine_files() {
        let plan = spoken_plan(&path);
        let (script, measured, _) = limberup::audio::measured_script(&plan);
        assert!(measured, "espeak-ng measured {}", path.display());
        assert_heard_in_full(&path.display().to_string(), &plan, &script);
        // The estimate the plan made room with is never short of what is said.
        let estimate = Estimate::new(&plan);
        for line in &script.lines {
            let planned = estimate.speech(&line.text).expect("an estimate");
            assert!(
                planned >= line.length,
                "{}: \"{}\" takes {:?}, estimated {:?}",
                path.display(),
                line.text,
                line.length,
                planned
            );
        }
    }
}

fn plan_of(steps: &str, lead_in: Duration) -> Plan {
    let routine = parse(&routine_with_steps(steps))
        .routine
        .expect("test routine loads");
    Plan::with_options(Arc::new(routine), PlanOptions::spoken(lead_in))
}

const LONG: &str = "Swing the leg forward and back from the hip, knee soft, trunk tall and still, a hand on the wall, growing the swing a little each time without arching the lower back.";

#[test]
fn a_paced_step_straight_after_work_gets_time_to_get_into_position() {
    let steps = format!(
        "Step(name: \"Jog\", time: 10),\nStep(name: \"Leg swings\", instruction: \"{LONG}\", reps: 5, rep_time: 2)"
    );
    let plan = plan_of(&steps, Duration::from_secs(3));
    let kinds: Vec<SegmentKind> = plan.segments.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SegmentKind::LeadIn,
            SegmentKind::Work,
            SegmentKind::Position,
            SegmentKind::Work
        ]
    );
    let position = &plan.segments[2];
    let swings = &plan.segments[3];
    assert_eq!(
        position.title, "Leg swings",
        "named for the step it prepares"
    );
    let script = script::planned(&plan, &Estimate::new(&plan));
    let words = script
        .lines
        .iter()
        .find(|l| l.cue.segment == swings.index && l.cue.kind == CueKind::StepStart)
        .expect("said");
    assert!(words.text.ends_with(LONG), "whole: {}", words.text);
    assert!(words.at >= position.offset, "said in the time made for it");
    // It ends before the 3-2-1 pips that end the time to get into position.
    let first_pip = script
        .tones
        .iter()
        .filter(|t| t.cue.segment == position.index)
        .map(|t| t.at)
        .min()
        .expect("it counts down");
    assert!(
        words.end() + TONE_GAP <= first_pip,
        "{words:?} {first_pip:?}"
    );
    // Whole seconds, and no more than a second and the pips beyond what the words need.
    let length = position.duration.expect("timed");
    assert_eq!(length.subsec_nanos(), 0, "{length:?}");
    assert!(
        length <= words.length + Duration::from_secs(5),
        "{length:?} for {:?} of words",
        words.length
    );
    // Counted in the planned total.
    let silent = Plan::new(Arc::clone(&plan.routine), Duration::from_secs(3));
    assert_eq!(
        plan.total().duration + Duration::from_secs(3),
        silent.total().duration + length + plan.segments[0].estimate,
        "the time made for the words, and the lead-in's growth"
    );
}

#[test]
fn the_lead_in_grows_to_fit_the_opening_announcement() {
    let plan = plan_of(
        "Step(name: \"Kneeling hip flexor stretch\", time: 30, sides: Both)",
        Duration::from_secs(3),
    );
    let lead_in = &plan.segments[0];
    assert_eq!(lead_in.kind, SegmentKind::LeadIn);
    let script = script::planned(&plan, &Estimate::new(&plan));
    let opening = &script.lines[0];
    assert_eq!(
        opening.text,
        "Get ready. Test. First: Kneeling hip flexor stretch, left side."
    );
    assert!(
        lead_in.estimate > Duration::from_secs(3),
        "{:?}",
        lead_in.estimate
    );
    // Said from the start, ending before the lead-in's pips.
    assert_eq!(opening.at, Duration::ZERO);
    assert!(opening.end() + TONE_GAP + Duration::from_secs(3) <= lead_in.estimate);
    assert!(script.lost.is_empty(), "{:?}", script.lost);
}

#[test]
fn a_coach_who_opts_out_gets_the_short_form_and_the_loss_is_reported() {
    let steps = format!(
        "Step(name: \"Jog\", time: 10),\nStep(name: \"Leg swings\", instruction: \"{LONG}\", reps: 5, rep_time: 2, room_to_speak: false)"
    );
    let plan = plan_of(&steps, Duration::from_secs(3));
    assert!(
        plan.segments
            .iter()
            .all(|s| s.kind != SegmentKind::Position),
        "no time added"
    );
    let script = script::planned(&plan, &Estimate::new(&plan));
    let [lost] = &script.lost[..] else {
        panic!("{:?}", script.lost)
    };
    assert!(lost.text.ends_with(LONG));
    assert_eq!(lost.said, None, "no room at all before the reps");
    assert!(lost.room < lost.length);
    let message = lost.message(&plan);
    assert!(
        message.starts_with("\"Leg swings. 5 reps. Swing the leg forward")
            && message.contains("(Leg swings) takes about ")
            && message.ends_with("so it is left out"),
        "{message}"
    );
}

#[test]
fn words_keep_clear_of_the_pips_and_the_halfway_tone_gives_way() {
    let plan = plan_of(
        &format!("Step(name: \"Hold\", instruction: \"{LONG}\", time: 20)"),
        Duration::from_secs(3),
    );
    let script = script::planned(&plan, &Estimate::new(&plan));
    let work = plan
        .segments
        .iter()
        .find(|s| s.kind == SegmentKind::Work)
        .expect("work");
    let words = script
        .lines
        .iter()
        .find(|l| l.cue.kind == CueKind::StepStart)
        .expect("said");
    assert!(
        words.end() > work.offset + Duration::from_secs(10),
        "runs past halfway"
    );
    assert!(
        script.tones.iter().all(|t| t.cue.kind != CueKind::Halfway),
        "the halfway tone gave way"
    );
    let pips: Vec<Duration> = script
        .tones
        .iter()
        .filter(|t| t.cue.segment == work.index && matches!(t.cue.kind, CueKind::Countdown(_)))
        .map(|t| t.at)
        .collect();
    assert_eq!(pips.len(), 3);
    assert!(words.end() + TONE_GAP <= pips[0], "ends before the 3-2-1");
    assert!(
        script
            .lines
            .windows(2)
            .all(|p| p[0].end() + SPEECH_GAP <= p[1].at),
        "{:?}",
        script.lines
    );
}

#[test]
fn check_warns_at_the_opt_out_with_the_length_and_the_room() {
    let dir = tempfile::tempdir().unwrap();
    let source = format!(
        "Routine(\n    format: 1,\n    title: \"Opt out\",\n    sections: [\n        Section(title: \"A\", steps: [\n            Step(name: \"Jog\", instruction: \"Jog easy.\", time: 10),\n            Step(name: \"Leg swings\", instruction: \"{LONG}\", reps: 5, rep_time: 2, room_to_speak: false),\n        ]),\n    ],\n)\n"
    );
    let path = dir.path().join("opt-out.ron");
    std::fs::write(&path, &source).unwrap();
    let output = crate::common::limberup(
        "voice-check",
        &["check", "--strict", &path.display().to_string()],
    );
    assert_eq!(output.status.code(), Some(2), "a warning fails --strict");
    let printed = String::from_utf8_lossy(&output.stdout);
    // At the value that opts out.
    let column = source
        .lines()
        .nth(6)
        .unwrap()
        .find("room_to_speak: false")
        .unwrap()
        + "room_to_speak: ".len()
        + 1;
    let at = format!("opt-out.ron:7:{column}");
    let finding = printed
        .split("warning: ")
        .find(|f| f.starts_with("\"Leg swings. 5 reps."))
        .unwrap_or_else(|| panic!("{printed}"));
    assert!(finding.contains(&at), "at the opt-out: {finding}");
    assert!(
        finding.contains("takes about ") && finding.contains("but has 0.0 s, so it is left out"),
        "{finding}"
    );
}

/// The frames of a 16-bit WAV whose magnitude reaches `threshold` (of full scale): first
/// and last, within `from..to`.
fn voiced_extent(
    samples: &[i16],
    threshold: f64,
    from: usize,
    to: usize,
) -> Option<(usize, usize)> {
    let loud = |s: &i16| f64::from(s.unsigned_abs()) >= threshold * 32_768.0;
    let to = to.min(samples.len());
    let first = samples[from..to].iter().position(loud)? + from;
    let last = samples[from..to].iter().rposition(loud)? + from;
    Some((first, last))
}

#[test]
fn the_mid_run_reset_opens_with_its_whole_announcement_as_espeak_ng_says_it() {
    if !has_espeak() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("reset.wav");
    let export = crate::common::limberup(
        "voice-reset",
        &[
            "export-audio",
            "mid-run-reset",
            "--no-beeps",
            "-o",
            &wav.display().to_string(),
        ],
    );
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&export.stderr).contains("not heard in full"),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let show = crate::common::limberup("voice-reset", &["show", "--json", "mid-run-reset"]);
    let json: serde_json::Value = serde_json::from_slice(&show.stdout).expect("JSON");
    let lines = json["voice"]["lines"].as_array().expect("a script");
    let opening = lines[0]["text"].as_str().expect("words");
    assert!(
        opening.starts_with("Get ready. Mid-run reset. First: "),
        "the whole opening: {opening}"
    );
    let next_at = lines[1]["at_ms"].as_u64().expect("a start");
    // The first speech block of the file, up to where the next phrase starts.
    let mut reader = hound::WavReader::open(&wav).unwrap();
    let rate = reader.spec().sample_rate;
    let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    let next = usize::try_from(next_at * u64::from(rate) / 1000).unwrap();
    let (first, last) = voiced_extent(&samples, 1e-4, 0, next).expect("speech");
    assert!(
        first < usize::try_from(rate / 100).unwrap(),
        "it starts at once: frame {first}"
    );
    let block = (last - first + 1) as f64 / f64::from(rate);
    // What espeak-ng takes to say the same words, trimmed as the app trims a phrase.
    let said = std::process::Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "165", "--stdout", opening])
        .output()
        .expect("espeak-ng runs");
    // espeak-ng streams its WAV with no length in the header: the samples follow "data".
    let wav = said.stdout;
    let espeak_rate = u32::from_le_bytes(wav[24..28].try_into().unwrap());
    let data = wav
        .windows(4)
        .position(|w| w == b"data")
        .expect("a data chunk")
        + 8;
    let raw: Vec<i16> = wav[data..]
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    let (a, b) = voiced_extent(&raw, 0.01, 0, raw.len()).expect("speech");
    let espeak = (b - a + 1) as f64 / f64::from(espeak_rate);
    assert!(
        (block - espeak).abs() < 0.005,
        "the first block lasts {block:.3} s; espeak-ng says it in {espeak:.3} s"
    );
    assert!(
        espeak > 2.5,
        "the whole announcement, not \"Get ready.\": {espeak:.3} s"
    );
}

#[test]
fn check_says_at_its_language_when_espeak_ng_cannot_speak_it() {
    let routine = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/routines/german-warmup.ron");
    // No espeak-ng on the path: it has no German voice here.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args(["check", &routine.display().to_string()])
        .env("PATH", "/nonexistent")
        .env("LIMBERUP_DATA_DIR", env!("CARGO_MANIFEST_DIR"))
        .env(
            "XDG_DATA_HOME",
            std::env::temp_dir().join("voice-no-espeak"),
        )
        .output()
        .expect("the binary runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    let finding = printed
        .split("warning: ")
        .find(|f| f.starts_with("espeak-ng has no German voice here"))
        .unwrap_or_else(|| panic!("{printed}"));
    assert!(
        finding.contains("german-warmup.ron:8:15"),
        "at the language: {finding}"
    );
    assert!(finding.contains("spoken by the English voice"), "{finding}");
}
