//! The command line, run as a user runs it.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

fn limberup(args: &[&str]) -> Output {
    crate::common::limberup("limberup-cli-test-empty", args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const GOOD: &str = r#"Routine(
    format: 1,
    title: "Test",
    sections: [
        Section(title: "A", steps: [
            Step(name: "Hold", instruction: "Hold it.", time: 30, sides: Both),
            Step(name: "Jog", instruction: "Jog.", until_done: true, suggested_time: 60),
        ]),
    ],
)
"#;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("test file");
    path.display().to_string()
}

#[test]
fn check_passes_the_bundled_routines() {
    let output = limberup(&[
        "check",
        "--strict",
        concat!(env!("CARGO_MANIFEST_DIR"), "/routines"),
    ]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(
        stdout(&output).contains(": 0 errors, 0 warnings"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn check_exits_2_with_compiler_style_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "typo.ron",
            GOOD.replace("title: \"Test\"", "tittle: \"Test\""),
            "typo.ron:3:5",
            "unknown field `tittle`",
        ),
        (
            "comma.ron",
            GOOD.replace("time: 30, sides", "time: 30 sides"),
            "comma.ron:6:65",
            "comma",
        ),
        (
            "unknown.ron",
            GOOD.replace("Step(name: \"Jog\"", "Step(exercise: \"jog\""),
            "unknown.ron:7:28",
            "no exercise has the id `jog`",
        ),
        (
            "escape.ron",
            GOOD.replace("sides: Both)", "sides: Both, image: \"../up.png\")"),
            "escape.ron:6:87",
            "`../up.png` leaves the routine's folder",
        ),
    ];
    for (name, text, place, message) in cases {
        let path = write(dir.path(), name, &text);
        let output = limberup(&["check", &path]);
        let out = stdout(&output);
        assert_eq!(output.status.code(), Some(2), "{name}: {out}");
        assert!(out.contains(place), "{name} at {place}: {out}");
        assert!(out.contains(message), "{name} says {message}: {out}");
        assert!(out.contains('^'), "{name} has a caret: {out}");
    }
}

#[test]
fn strict_fails_on_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "plain.ron", GOOD);
    assert_eq!(
        limberup(&["check", &path]).status.code(),
        Some(0),
        "warnings only"
    );
    let output = limberup(&["check", "--strict", &path]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("has no illustration"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn list_shows_ids_and_durations_and_user_overrides() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pre-run-warmup.ron", GOOD);
    let output = limberup(&["list", "--routines", &dir.path().display().to_string()]);
    let out = stdout(&output);
    assert!(output.status.success(), "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("pre-run-warmup"))
        .expect("listed");
    assert!(
        line.contains("~2:13"),
        "the user's copy with its own duration: {line}"
    );
    assert!(
        line.contains("[replaces "),
        "says it replaces the bundled one: {line}"
    );
}

#[test]
fn show_prints_the_timeline_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "t.ron", GOOD);
    let out = stdout(&limberup(&["show", &path]));
    assert!(out.contains("Test (t): ~2:13"), "{out}");
    assert!(
        out.contains("Left side. Hold. 30 seconds. Hold it."),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&limberup(&["show", "--json", &path]).stdout).unwrap();
    // 3 s of lead-in grown to 8 s for "Get ready. Test. First: Hold, left side."
    assert_eq!(json["total_ms"], 133_000);
    assert_eq!(json["segments"][0]["duration_ms"], 8_000);
    assert_eq!(json["segments"][1]["side"], "left");
    assert_eq!(json["segments"][4]["waits_for_done"], true);
    assert_eq!(json["cues"][0]["kind"], "get_ready");
    // The voice script: every phrase with its start and its length.
    let voice = &json["voice"];
    assert_eq!(voice["language"], "en");
    assert_eq!(
        voice["lines"][0]["text"],
        "Get ready. Test. First: Hold, left side."
    );
    assert_eq!(voice["lines"][0]["at_ms"], 0);
    assert!(voice["lines"][0]["length_ms"].as_u64().unwrap() > 1_000);
    assert_eq!(voice["lost"].as_array().map(Vec::len), Some(0));
    let silent: serde_json::Value =
        serde_json::from_slice(&limberup(&["show", "--json", "--no-voice", &path]).stdout).unwrap();
    assert_eq!(silent["total_ms"], 128_000, "no time made for words");
    assert!(silent["voice"].is_null());
}

#[test]
fn show_by_id_and_unknown_ids() {
    let output = limberup(&["show", "pre-run-warmup"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = limberup(&["show", "pre-run-warmpu"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean `pre-run-warmup`?"));
}

/// A path is passed on as the system gave it: a file name that is not UTF-8 used to be
/// refused by the argument parser (or mangled by `to_string_lossy`).
#[cfg(unix)]
#[test]
fn a_routine_whose_file_name_is_not_utf8_checks_shows_and_exports() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt as _;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(OsStr::from_bytes(b"warm\xffup.ron"));
    std::fs::write(&file, GOOD).unwrap();
    let run = |args: &[&OsStr]| crate::common::limberup_os("limberup-cli-test-empty", args);
    let stderr = |output: &Output| String::from_utf8_lossy(&output.stderr).into_owned();

    let check = run(&[OsStr::new("check"), file.as_os_str()]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("checked 1 routine file: 0 errors"),
        "{}",
        stdout(&check)
    );

    let show = run(&[OsStr::new("show"), file.as_os_str()]);
    assert!(show.status.success(), "{}", stderr(&show));
    assert!(
        stdout(&show).contains("Test (warm\u{fffd}up): ~2:13"),
        "{}",
        stdout(&show)
    );

    let wav = dir.path().join(OsStr::from_bytes(b"warm\xffup.wav"));
    let export = run(&[
        OsStr::new("export-audio"),
        file.as_os_str(),
        OsStr::new("-o"),
        wav.as_os_str(),
        OsStr::new("--no-voice"),
        OsStr::new("--sample-rate"),
        OsStr::new("8000"),
    ]);
    assert!(export.status.success(), "{}", stderr(&export));
    assert!(wav.is_file(), "the WAV file is written");
}

#[test]
fn help_and_version() {
    assert!(stdout(&limberup(&["--help"])).contains("check"));
    assert!(stdout(&limberup(&["--version"])).starts_with("limberup "));
}

#[test]
fn show_json_carries_ranges_counts_per_side_and_distances_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "doses.ron",
        r#"Routine(
    format: 1,
    title: "Doses",
    lead_in: 0,
    sections: [
        Section(title: "A", steps: [
            Step(name: "Bench", instruction: "Hold it.", time: "20-30 s @ 25"),
            Step(name: "Lunge", instruction: "Lunge.", reps: "8+8", rep_time: 2, sides: Both, switch_pause: 0),
            Step(name: "Strides", instruction: "Stride.", until_done: true, distance: "80-100 m"),
        ]),
    ],
)
"#,
    );
    // Planned without words, so no time to get into position comes between the segments.
    let output = limberup(&["show", "--json", "--no-voice", &path]);
    assert!(output.status.success(), "{}", stdout(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let bench = &json["segments"][0];
    assert_eq!(bench["duration_ms"], 25_000, "the picked value is timed");
    assert_eq!(bench["range"], "20-30 s", "the range as written");
    let lunge = &json["segments"][1];
    assert_eq!(lunge["reps"], 8, "the count of one side");
    assert_eq!(lunge["reps_text"], "8 each side");
    assert_eq!(lunge["per_side"], true);
    assert_eq!(lunge["duration_ms"], 16_000, "8 reps of 2 s on this side");
    let strides = &json["segments"][3];
    assert_eq!(strides["distance"], "80-100 m");
    assert!(
        strides.get("range").is_none() && strides.get("per_side").is_none(),
        "fields a step does not have are left out: {strides}"
    );
    let said: Vec<&str> = json["cues"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["say"].as_str())
        .collect();
    assert!(
        said.contains(&"Bench. 25 seconds. Hold it."),
        "a value picked in the range is said as timed: {said:?}"
    );
    assert!(
        said.contains(&"Strides. 80 to 100 metres. Press Done when finished. Stride."),
        "the distance is spoken: {said:?}"
    );
    let text = stdout(&limberup(&["show", &path]));
    assert!(text.contains("Bench  (20-30 s)"), "{text}");
    assert!(text.contains("Strides  (80-100 m)"), "{text}");
}

/// The binary run in `dir` (as a coach runs it in the folder of their routine), on the
/// bundled routines and an empty user data folder inside `dir`.
fn limberup_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args(args)
        .current_dir(dir)
        .env("LIMBERUP_DATA_DIR", env!("CARGO_MANIFEST_DIR"))
        .env("XDG_DATA_HOME", dir.join("no-user-data"))
        .output()
        .expect("the binary runs")
}

/// Issue 19: `limberup play my-routine.ron` (no `./`) said "no routine `my-routine.ron` in
/// the library". A bare file name in the current folder is that file, for every command
/// that names a routine. (`play` opens a window once the routine is found, so it is asked
/// for a level the routine does not have: the refusal names the routine, found.)
#[test]
fn a_bare_file_name_in_the_current_folder_names_that_routine_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "my-routine.ron", GOOD);

    let show = limberup_in(dir.path(), &["show", "my-routine.ron"]);
    assert!(
        show.status.success(),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    assert!(
        stdout(&show).contains("Test (my-routine): ~2:13"),
        "{}",
        stdout(&show)
    );

    let sheet = limberup_in(dir.path(), &["sheet", "my-routine.ron", "-o", "sheet.html"]);
    assert!(
        sheet.status.success(),
        "{}",
        String::from_utf8_lossy(&sheet.stderr)
    );
    assert!(
        dir.path().join("sheet.html").is_file(),
        "the sheet is written"
    );

    let play = limberup_in(dir.path(), &["play", "my-routine.ron", "--level", "2"]);
    let said = String::from_utf8_lossy(&play.stderr);
    assert_eq!(play.status.code(), Some(2), "{said}");
    assert!(!said.contains("no routine file or id"), "found: {said}");
    assert!(said.contains("my-routine"), "names the routine: {said}");
}

/// `list` says "1 step", not "1 steps".
#[test]
fn list_counts_one_step_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    let one = GOOD.replace(
        "            Step(name: \"Jog\", instruction: \"Jog.\", until_done: true, suggested_time: 60),\n",
        "",
    );
    write(dir.path(), "one.ron", &one);
    write(dir.path(), "two.ron", GOOD);
    let output = limberup(&["list", &dir.path().display().to_string()]);
    let out = stdout(&output);
    let line = |id: &str| {
        out.lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} listed: {out}"))
            .to_owned()
    };
    assert!(line("one ").contains("  1 step   Test"), "{out}");
    assert!(line("two ").contains("  2 steps  Test"), "{out}");
}

/// Two routines with one id in the folders read: `check` and `list` warn, naming both
/// files, and the one read later is used (as before).
#[test]
fn two_routines_with_one_id_are_warned_about_by_check_and_list() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("old")).unwrap();
    let first = write(dir.path(), "hips.ron", GOOD);
    let second = write(
        &dir.path().join("old"),
        "hips.ron",
        &GOOD.replace("\"Test\"", "\"Old test\""),
    );
    let folder = dir.path().display().to_string();

    let check = limberup(&["check", &folder]);
    let out = stdout(&check);
    assert!(
        out.contains(&format!(
            "another routine has the id `hips` and is used instead of this one: {second}"
        )),
        "{out}"
    );
    assert!(out.contains(&first), "names the file not used: {out}");
    assert!(out.contains("checked 2 routine files: 0 errors"), "{out}");

    let list = limberup(&["list", &folder]);
    let said = String::from_utf8_lossy(&list.stderr);
    assert!(
        said.contains(&format!(
            "{first}: warning: another routine has the id `hips` and is used instead of this one: {second}"
        )),
        "{said}"
    );
    assert!(stdout(&list).contains("Old test"), "the later one is used");
}

/// `show` prints milliseconds where a start or length is fractional, so each row's start
/// plus its length is the next row's start.
#[test]
fn show_rows_add_up_when_times_are_fractional() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "paced.ron",
        &GOOD.replace(
            "time: 30, sides: Both",
            "reps: 5, rep_time: \"1.3 s\", sides: Both",
        ),
    );
    let out = stdout(&limberup(&["show", &path]));
    let parse = |text: &str| -> Duration {
        let text = text.trim_start_matches('~');
        let (clock, millis) = text.split_once('.').unwrap_or((text, "0"));
        let secs = clock.split(':').fold(0_u64, |total, part| {
            total * 60 + part.parse::<u64>().unwrap()
        });
        Duration::from_secs(secs) + Duration::from_millis(millis.parse().unwrap())
    };
    let rows: Vec<(Duration, Duration)> = out
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("#  start"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            (parse(words[1]), parse(words[2]))
        })
        .collect();
    assert!(rows.len() > 3, "{out}");
    assert!(
        out.contains(".500") || out.contains(".300") || out.contains(".600"),
        "{out}"
    );
    for pair in rows.windows(2) {
        assert_eq!(pair[0].0 + pair[0].1, pair[1].0, "rows add up:\n{out}");
    }
}

/// The launch `limberup ARGS…` asks for, parsed and run in-process (no window opens).
fn launch_of(args: &[&str]) -> limberup::launch::Launch {
    use clap::Parser as _;
    let parsed = limberup::cli::Args::try_parse_from(args).expect("arguments parse");
    let command = parsed.command.expect("a command");
    match limberup::cli::run(command, parsed.routines).expect("the command runs") {
        limberup::launch::Outcome::Window(launch) => launch,
        limberup::launch::Outcome::Exit(code) => panic!("exited with {code:?} instead"),
    }
}

#[test]
fn play_takes_a_hidden_clock_speed_for_benchmarks() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "test.ron", GOOD);
    let fast = launch_of(&["limberup", "play", &file, "--clock-speed", "20"]);
    assert!(
        (fast.clock_speed - 20.0).abs() < f64::EPSILON,
        "{}",
        fast.clock_speed
    );
    let fractional = launch_of(&["limberup", "play", "--clock-speed=2.5", &file]);
    assert!(
        (fractional.clock_speed - 2.5).abs() < f64::EPSILON,
        "{}",
        fractional.clock_speed
    );
    let real = launch_of(&["limberup", "play", &file]);
    assert!(
        (real.clock_speed - 1.0).abs() < f64::EPSILON,
        "real time by default, not {}",
        real.clock_speed
    );
    let help = stdout(&limberup(&["play", "--help"]));
    assert!(
        !help.contains("clock-speed"),
        "the option is hidden: {help}"
    );
}

#[test]
fn play_refuses_a_clock_speed_outside_1_to_100() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "test.ron", GOOD);
    for speed in ["0.5", "101", "fast", "NaN"] {
        let output = limberup(&["play", &file, "--clock-speed", speed]);
        assert_eq!(output.status.code(), Some(2), "--clock-speed {speed}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("a clock speed is a number from 1 to 100"),
            "--clock-speed {speed}: {stderr}"
        );
    }
}

#[test]
fn list_and_check_show_control_characters_from_files_written_out() {
    let dir = tempfile::tempdir().unwrap();
    // A file name that clears the screen, as its routine's id.
    write(dir.path(), "evil\u{1b}[2J.ron", GOOD);
    let list = limberup(&["list", &dir.path().display().to_string()]);
    assert!(list.status.success(), "{list:?}");
    let listed = stdout(&list);
    assert!(listed.contains("evil\\u{1b}[2J  "), "{listed}");
    assert!(!listed.contains('\u{1b}'), "{listed:?}");

    // A title with a bell and a colour: the caret stays under the value as shown.
    let title = GOOD.replace("\"Test\"", "\"Bell\u{7} and \u{1b}[31mred\"");
    let path = write(dir.path(), "colour.ron", &title);
    let check = limberup(&["check", &path]);
    assert_eq!(check.status.code(), Some(2), "{check:?}");
    let report = stdout(&check);
    assert!(
        !report.chars().any(|c| c.is_control() && c != '\n'),
        "{report:?}"
    );
    let shown = "\"Bell\\u{7} and \\u{1b}[31mred\"";
    let lines: Vec<&str> = report.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(shown))
        .unwrap_or_else(|| panic!("the line is shown: {report}"));
    let column = lines[at].find(shown).unwrap();
    let carets = &lines[at + 1][column..];
    assert_eq!(
        carets.trim_end(),
        "^".repeat(shown.len()),
        "under the value:\n{}\n{}",
        lines[at],
        lines[at + 1]
    );
}

/// Runs the binary from `cwd` with the athlete's folders under `home` (routines and the
/// training log in `home/data/limberup`, the settings in `home/config/limberup`), stopped
/// after a minute so that a command that hangs fails instead.
fn limberup_at_home(home: &Path, cwd: &Path, args: &[&str]) -> Output {
    let output = std::process::Command::new("timeout")
        .arg("60")
        .arg(env!("CARGO_BIN_EXE_limberup"))
        .args(args)
        .current_dir(cwd)
        .env("LIMBERUP_DATA_DIR", env!("CARGO_MANIFEST_DIR"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .output()
        .expect("the binary runs");
    assert_ne!(output.status.code(), Some(124), "hung: {args:?}");
    output
}

/// Each command that takes `-o`, writing to `target`, and how its output starts.
fn commands_with_output<'a>(routine: &'a str, target: &'a str) -> [(Vec<&'a str>, &'a [u8]); 4] {
    [
        (vec!["pack", routine, "-o", target], b"PK\x03\x04"),
        (vec!["sheet", routine, "-o", target], b"<!DOCTYPE html>"),
        (
            vec![
                "export-audio",
                routine,
                "--no-voice",
                "--sample-rate",
                "8000",
                "-o",
                target,
            ],
            b"RIFF",
        ),
        (
            vec!["history", "--csv", "--db", "no-log.sqlite3", "-o", target],
            b"started,routine,",
        ),
    ]
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("a folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn o_replaces_an_existing_file_only_with_force() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "warm.ron", GOOD);
    for (args, start) in commands_with_output("warm.ron", "out") {
        let out = dir.path().join("out");
        std::fs::write(&out, "a coach's file").unwrap();
        let refused = limberup_at_home(home.path(), dir.path(), &args);
        assert_eq!(refused.status.code(), Some(2), "{args:?}: {refused:?}");
        assert_eq!(
            String::from_utf8_lossy(&refused.stderr),
            "limberup: nothing was written: the file exists already (add --force to replace \
             it): out\n",
            "{args:?}"
        );
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "a coach's file");

        let forced = limberup_at_home(home.path(), dir.path(), &[&args[..], &["--force"]].concat());
        assert!(forced.status.success(), "{args:?}: {forced:?}");
        assert!(
            std::fs::read(&out).unwrap().starts_with(start),
            "{args:?} wrote its output"
        );
        assert_eq!(
            names_in(dir.path()),
            ["out", "warm.ron"],
            "{args:?}: no scratch file is left"
        );
        std::fs::remove_file(&out).unwrap();
    }
}

#[test]
fn o_never_writes_over_a_routine_an_exercise_file_the_log_or_the_settings() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "warm.ron", GOOD);
    write(
        dir.path(),
        "moves.exercises.ron",
        "Exercises(exercises: {})\n",
    );
    let data = home.path().join("data/limberup");
    let picture = data.join("routines/images/cobra.png");
    std::fs::create_dir_all(picture.parent().unwrap()).unwrap();
    std::fs::write(&picture, "a picture").unwrap();
    let log = data.join("history.sqlite3");
    std::fs::write(&log, "the training log").unwrap();
    let settings = home.path().join("config/limberup/settings.ron");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, "Settings()").unwrap();
    let link = dir.path().join("log-link.csv");
    std::os::unix::fs::symlink(&log, &link).unwrap();
    let wal = data.join("history.sqlite3-wal");
    let cases = [
        (dir.path().join("warm.ron"), "the routine being written out"),
        (
            dir.path().join("moves.exercises.ron"),
            "a routine or exercise file (.ron)",
        ),
        (log.clone(), "the training log"),
        (link, "the training log"),
        (wal.clone(), "part of the training log"),
        (settings.clone(), "the settings file"),
        (
            picture.clone(),
            "a file in a routines folder Limber Up reads",
        ),
    ];
    for (target, what) in &cases {
        let before = std::fs::read(target).ok();
        let target = target.display().to_string();
        for (args, _) in commands_with_output("warm.ron", &target) {
            let args = [&args[..], &["--force"]].concat();
            let output = limberup_at_home(home.path(), dir.path(), &args);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
            // `history` has no routine of its own: to it, the routine is one file among many.
            let what = match (args[0], *what) {
                ("history", "the routine being written out") => "a routine or exercise file (.ron)",
                (_, what) => what,
            };
            assert_eq!(
                String::from_utf8_lossy(&output.stderr),
                format!(
                    "limberup: nothing was written: it is {what}, which no command writes \
                     over, even with --force: {target}\n"
                ),
                "{args:?}"
            );
            assert_eq!(
                std::fs::read(&target).ok(),
                before,
                "{args:?} left it alone"
            );
        }
    }
    assert!(!wal.exists(), "nothing was made in the log's name");
    // `history --db` names the log it reads: never written over either.
    let other_log = dir.path().join("old.sqlite3");
    std::fs::write(&other_log, "another log").unwrap();
    let output = limberup_at_home(
        home.path(),
        dir.path(),
        &[
            "history",
            "--csv",
            "--db",
            "old.sqlite3",
            "-o",
            "old.sqlite3",
            "--force",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(std::fs::read_to_string(&other_log).unwrap(), "another log");
    // Nor a file in a `--routines` folder.
    let extra = dir.path().join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    write(&extra, "cue.wav", "a sound");
    for (args, _) in commands_with_output("warm.ron", "extra/cue.wav") {
        let args = [&args[..], &["--force", "--routines", "extra"]].concat();
        let output = limberup_at_home(home.path(), dir.path(), &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("a routines folder"),
            "{args:?}: {output:?}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(extra.join("cue.wav")).unwrap(),
        "a sound"
    );
}

#[test]
fn o_refuses_folders_fifos_and_devices_without_waiting_on_them() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "warm.ron", GOOD);
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe"))
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    for (target, kind) in [
        ("folder", "a folder"),
        ("pipe", "a named pipe (FIFO)"),
        ("/dev/null", "a device"),
    ] {
        for (args, _) in commands_with_output("warm.ron", target) {
            let args = [&args[..], &["--force"]].concat();
            let output = limberup_at_home(home.path(), dir.path(), &args);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
            assert_eq!(
                String::from_utf8_lossy(&output.stderr),
                format!(
                    "limberup: nothing was written: it is {kind}, not a regular file (`-o -` \
                     writes to standard output): {target}\n"
                ),
                "{args:?}"
            );
        }
    }
    assert_eq!(names_in(dir.path()), ["folder", "pipe", "warm.ron"]);
    assert!(names_in(&dir.path().join("folder")).is_empty());
}

#[test]
fn o_dash_writes_to_standard_output_and_messages_to_standard_error() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "warm.ron", GOOD);
    for (args, start) in commands_with_output("warm.ron", "-") {
        let output = limberup_at_home(home.path(), dir.path(), &args);
        assert!(output.status.success(), "{args:?}: {output:?}");
        assert!(
            output.stdout.starts_with(start),
            "{args:?}: {:?}",
            String::from_utf8_lossy(&output.stdout[..output.stdout.len().min(80)])
        );
        assert_eq!(names_in(dir.path()), ["warm.ron"], "{args:?}: no file `-`");
    }
    // Whole files: a WAV that reads to its end, a bundle that imports.
    let wav = limberup_at_home(
        home.path(),
        dir.path(),
        &[
            "export-audio",
            "warm.ron",
            "--no-voice",
            "--sample-rate",
            "8000",
            "-o",
            "-",
        ],
    );
    assert!(
        String::from_utf8_lossy(&wav.stderr).contains("wrote standard output: "),
        "the summary goes to standard error: {wav:?}"
    );
    let reader = hound::WavReader::new(std::io::Cursor::new(&wav.stdout)).unwrap();
    assert!(reader.duration() > 8000 * 60, "the whole routine");
    let pack = limberup_at_home(home.path(), dir.path(), &["pack", "warm.ron", "-o", "-"]);
    assert!(String::from_utf8_lossy(&pack.stderr).contains("packed “Test” into standard output"));
    let bundle = dir.path().join("warm.limberup");
    std::fs::write(&bundle, &pack.stdout).unwrap();
    let into = tempfile::tempdir().unwrap();
    let import = limberup_at_home(
        home.path(),
        dir.path(),
        &[
            "import",
            "warm.limberup",
            "--into",
            &into.path().display().to_string(),
        ],
    );
    assert!(import.status.success(), "{import:?}");
}
