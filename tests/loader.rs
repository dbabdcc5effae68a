//! The loader: one test per class of bad input, each pinning the exact place and message.

use std::path::Path;
use std::time::Duration;

use limberup::routine::{self, Severity, Work};
use proptest::prelude::*;

use crate::common::{findings, parse, routine_with_steps};

const GOOD: &str = r#"Routine(
    format: 1,
    title: "Test",
    exercises: {
        "bird-dog": (name: "Bird dog", instruction: "On hands and knees.", reps: 8, rep_time: "3 s", sides: Both),
    },
    sections: [
        Section(title: "A", steps: [
            Step(exercise: "bird-dog", sets: 2, rest_between_sets: 20),
            Step(name: "Jog", instruction: "Jog easy.", until_done: true, suggested_time: "2 min"),
            Step(name: "Hold", instruction: "Hold it.", time: "20-30 s", rest_after: 15),
        ]),
    ],
)
"#;

fn error(line: usize, col: usize, message: &str) -> (usize, usize, Severity, String) {
    (line, col, Severity::Error, message.to_owned())
}

#[test]
fn a_good_routine_loads_with_its_exercises_merged() {
    let loaded = parse(GOOD);
    let routine = loaded.routine.expect("the routine loads");
    assert_eq!(routine.id, "test");
    let steps: Vec<_> = routine.steps().map(|(_, s)| s).collect();
    assert_eq!(steps[0].name, "Bird dog");
    assert_eq!(steps[0].sets, 2, "the step's override");
    assert_eq!(steps[0].rest_between_sets, Duration::from_secs(20));
    assert!(
        matches!(steps[0].work, Work::Paced { reps, .. } if reps.value == 8),
        "from the exercise"
    );
    assert!(
        matches!(steps[1].work, Work::UntilDone { suggested: Some(s), .. } if s.timer == Duration::from_mins(2))
    );
    assert!(
        matches!(steps[2].work, Work::Timed { time, .. } if time.timer == Duration::from_secs(30))
    );
}

#[test]
fn misspelt_field() {
    let source = GOOD.replace("title: \"Test\"", "tittle: \"Test\"");
    assert_eq!(
        findings(&source),
        vec![error(3, 5, "unknown field `tittle`")]
    );
    let hint = parse(&source).diagnostics[0].hint.clone();
    assert_eq!(hint.as_deref(), Some("did you mean `title`?"));
}

#[test]
fn missing_comma_points_after_the_previous_value() {
    let source = GOOD.replace("sets: 2, rest", "sets: 2 rest");
    let found = findings(&source);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (9, 47), "{found:?}");
    assert!(found[0].3.to_lowercase().contains("comma"), "{found:?}");
}

#[test]
fn a_routine_too_large_to_play_is_refused_at_the_section_that_makes_it_so() {
    // Found by the plan_values fuzzer: 227 rounds of 163 sets of both sides made 74,002
    // pieces, and the player took minutes over each query.
    let source = r#"Routine(
    format: 1,
    title: "Huge",
    sections: [
        Section(title: "Warm", steps: [Step(name: "Jog", instruction: "Jog.", time: 60)]),
        Section(title: "Loop", rounds: 227, rest_between_rounds: 65, steps: [
            Step(name: "Lunge", instruction: "Lunge.", time: "65 s", sides: Both, sets: 163),
        ]),
        Section(title: "More", rounds: 1000, steps: [
            Step(name: "Hop", instruction: "Hop.", reps: 1000, rep_time: "0.5 s"),
        ]),
    ],
)
"#;
    assert_eq!(
        findings(source),
        vec![error(
            6,
            40,
            "the routine holds over 5,000 timed pieces by this section (rounds × sets × sides \
             × reps): 74,003"
        )],
        "one finding, at the first section past the limit"
    );
    let long = r#"Routine(format: 1, title: "Long", sections: [
    Section(title: "A", steps: [Step(name: "Hold", instruction: "Hold.", time: "2 h", sets: 7, rest_between_sets: 60)]),
])"#;
    assert_eq!(
        findings(long),
        vec![error(
            2,
            5,
            "the routine lasts over 12 hours by this section: 14 hours"
        )]
    );
}

#[test]
fn a_file_cut_off_after_a_value_points_after_that_value() {
    // ron spans the whole last value when the file ends there; the place is after it, not
    // before it.
    assert_eq!(
        findings("Routine(format: 1, lead_in: 0.5"),
        vec![error(1, 32, "expected a comma")]
    );
}

/// [`GOOD`] with `language: VALUE` after its title, on line 4.
fn with_language(value: &str) -> String {
    GOOD.replace(
        "title: \"Test\",\n",
        &format!("title: \"Test\",\n    language: {value},\n"),
    )
}

#[test]
fn a_routines_language_is_read_from_its_code_in_any_case() {
    use limberup::timeline::Language;
    let language = |value: &str| {
        parse(&with_language(value))
            .routine
            .and_then(|r| r.language)
    };
    assert_eq!(language("\"de\""), Some(Language::German), "a code");
    assert_eq!(language("\"DE\""), Some(Language::German), "upper case");
    assert_eq!(language("\"de-AT\""), Some(Language::German), "a region");
    assert_eq!(language("\"nl_BE\""), Some(Language::Dutch), "with _");
    assert_eq!(
        language("\" fr \""),
        Some(Language::French),
        "spaces around"
    );
    assert_eq!(parse(GOOD).routine.and_then(|r| r.language), None, "none");
    assert!(findings(&with_language("\"es\"")).is_empty(), "no findings");
}

#[test]
fn an_unknown_language_is_placed_at_its_value_with_the_languages_there_are() {
    let languages = "write `en` (English), `de` (Deutsch), `fr` (Français), `es` (Español) or `nl` (Nederlands)";
    let source = with_language("\"klingon\"");
    assert_eq!(
        findings(&source),
        vec![error(
            4,
            15,
            &format!("`klingon` is not a language Limber Up speaks: {languages}")
        )]
    );
    assert!(parse(&source).routine.is_none(), "an error");
    let hint = |value: &str| parse(&with_language(value)).diagnostics[0].hint.clone();
    assert_eq!(hint("\"klingon\""), None, "nothing close");
    assert_eq!(
        hint("\"German\"").as_deref(),
        Some("did you mean `de`?"),
        "a language's name in English"
    );
    assert_eq!(
        hint("\"Nederlans\"").as_deref(),
        Some("did you mean `nl`?"),
        "a misspelt name in the language itself"
    );
    assert_eq!(hint("\"it\""), None, "a two-letter code is not guessed at");
    assert_eq!(
        findings(&with_language("\"\"")),
        vec![error(4, 15, &format!("`language` is empty: {languages}"))],
        "empty"
    );
}

#[test]
fn unknown_exercise_id_is_placed_at_the_id_with_a_suggestion() {
    let source = GOOD.replace(
        "exercise: \"bird-dog\", sets",
        "exercise: \"bird-dgo\", sets",
    );
    let found = findings(&source);
    assert!(
        found.contains(&error(9, 28, "no exercise has the id `bird-dgo`")),
        "{found:?}"
    );
    let loaded = parse(&source);
    let hint = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("bird-dgo"))
        .and_then(|d| d.hint.clone());
    assert_eq!(hint.as_deref(), Some("did you mean `bird-dog`?"));
    assert!(loaded.routine.is_none(), "errors mean no routine");
}

#[test]
fn parent_folder_image_path_is_refused() {
    let source = GOOD.replace(
        "until_done: true,",
        "image: \"../x.png\", until_done: true,",
    );
    assert_eq!(
        findings(&source),
        vec![error(10, 64, "`../x.png` leaves the routine's folder")]
    );
}

#[test]
fn absolute_image_path_is_refused() {
    let source = GOOD.replace(
        "until_done: true,",
        "image: \"/etc/passwd\", until_done: true,",
    );
    assert_eq!(
        findings(&source),
        vec![error(
            10,
            64,
            "`/etc/passwd` is an absolute path; media must be given relative to the routine file"
        )]
    );
}

#[test]
fn three_semantic_problems_are_all_reported() {
    let source = GOOD
        .replace(
            "exercise: \"bird-dog\", sets",
            "exercise: \"bird-dgo\", sets",
        )
        .replace(
            "name: \"Jog\", instruction",
            "exercise: \"nope\", instruction",
        )
        .replace("time: \"20-30 s\"", "time: 0");
    let errors: Vec<_> = findings(&source)
        .into_iter()
        .filter(|f| f.2 == Severity::Error)
        .collect();
    assert_eq!(
        errors,
        vec![
            error(9, 28, "no exercise has the id `bird-dgo`"),
            error(10, 28, "no exercise has the id `nope`"),
            error(11, 63, "`time` must be longer than zero"),
        ]
    );
}

#[test]
fn wrong_type() {
    let source = GOOD.replace("title: \"Test\"", "title: 5");
    let found = findings(&source);
    assert_eq!((found[0].0, found[0].1), (3, 12), "{found:?}");
    assert!(found[0].3.contains("string"), "{found:?}");
}

#[test]
fn bad_duration_text_is_placed_at_the_value() {
    let source = GOOD.replace("time: \"20-30 s\"", "time: \"abc\"");
    assert_eq!(
        findings(&source),
        vec![error(
            11,
            64,
            "`abc` is not a duration: write `30`, `30 s`, `1:45`, `2 min` or a range `20-30 s`"
        )]
    );
}

#[test]
fn negative_and_not_a_number_durations() {
    let negative = GOOD.replace("rest_after: 15", "rest_after: -15");
    assert_eq!(
        findings(&negative)[0].3,
        "a duration cannot be negative (found -15)"
    );
    let nan = GOOD.replace("rest_after: 15", "rest_after: NaN");
    assert_eq!(
        findings(&nan)[0].3,
        "a duration must be a finite number of seconds"
    );
    let huge = GOOD.replace("rest_after: 15", "rest_after: 99999999999999999999999");
    assert!(
        findings(&huge)[0].3.contains("2 hour limit"),
        "{:?}",
        findings(&huge)
    );
}

#[test]
fn absurd_durations_are_refused() {
    let source = GOOD.replace("time: \"20-30 s\"", "time: \"3 h\"");
    assert!(
        findings(&source)[0]
            .3
            .contains("longer than the 2 hour limit"),
        "{:?}",
        findings(&source)
    );
}

#[test]
fn missing_required_field() {
    let source = GOOD.replace("    title: \"Test\",\n", "");
    let found = findings(&source);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].3.contains("missing the field `title`"),
        "{found:?}"
    );
}

#[test]
fn unterminated_string_and_early_end() {
    let cut = &GOOD[..GOOD.find("sections").unwrap()];
    let found = findings(cut);
    assert_eq!(found.len(), 1, "{found:?}");
    let unterminated = GOOD.replace("title: \"Test\",", "title: \"Test,");
    assert_eq!(findings(&unterminated).len(), 1, "one finding");
}

#[test]
fn newer_format_is_explained() {
    let source = GOOD
        .replace("format: 1", "format: 2")
        .replace("title: \"Test\"", "title: \"Test\", colour: \"red\"");
    let found = findings(&source);
    assert_eq!(
        found,
        vec![error(
            2,
            13,
            "this file is format 2; this Limber Up reads format 1"
        )]
    );
}

#[test]
fn empty_routine_and_empty_section() {
    let source = "Routine(format: 1, title: \"T\", sections: [])";
    assert_eq!(
        findings(source),
        vec![error(1, 42, "the routine has no sections")]
    );
    let source = "Routine(format: 1, title: \"T\", sections: [Section(title: \"A\", steps: [])])";
    assert_eq!(
        findings(source),
        vec![error(1, 70, "the section \"A\" has no steps")]
    );
}

#[test]
fn a_step_without_work_or_with_conflicting_work() {
    let none = routine_with_steps("            Step(name: \"X\"),");
    assert_eq!(
        findings(&none),
        vec![error(6, 13, "the step does not say how long or how many")]
    );
    let both = routine_with_steps("            Step(name: \"X\", time: 30, until_done: true),");
    assert_eq!(
        findings(&both),
        vec![error(6, 35, "a step that waits for Done has no fixed time")]
    );
}

#[test]
fn zero_counts_are_refused() {
    let source = routine_with_steps("            Step(name: \"X\", reps: 0, sets: 0),");
    assert_eq!(
        findings(&source),
        vec![
            error(6, 35, "`reps` must be at least 1"),
            error(6, 44, "`sets` must be at least 1")
        ]
    );
}

#[test]
fn duplicate_exercise_ids() {
    let source = GOOD.replace(
        "    exercises: {\n",
        "    exercises: {\n        \"bird-dog\": (name: \"Other\", time: 5),\n",
    );
    let found = findings(&source);
    assert!(
        found.contains(&error(6, 9, "`\"bird-dog\"` is defined twice in this map")),
        "{found:?}"
    );
}

#[test]
fn control_and_direction_override_characters_in_names() {
    let source = GOOD.replace("name: \"Jog\"", "name: \"Jog\u{202E}gnp.exe\"");
    assert_eq!(
        findings(&source),
        vec![error(
            10,
            24,
            "the text contains the invisible character U+202E"
        )]
    );
    let source = GOOD.replace("name: \"Jog\"", "name: \"Jog\\u{7}\"");
    assert_eq!(
        findings(&source),
        vec![error(
            10,
            24,
            "the text contains the invisible character U+0007"
        )]
    );
}

#[test]
fn oversized_file_is_refused_quickly() {
    let big = format!("{}//{}", GOOD, "x".repeat(50 * 1024 * 1024));
    let started = std::time::Instant::now();
    let found = findings(&big);
    assert_eq!(found.len(), 1, "one finding");
    assert!(
        found[0].3.contains("routine files are at most 1 MiB"),
        "{found:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "refused in {:?}",
        started.elapsed()
    );
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!(
        "Routine(format: 1, title: \"T\", tags: {}{}, sections: [])",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let started = std::time::Instant::now();
    let found = findings(&deep);
    assert_eq!(
        found,
        vec![error(1, 39, "expected string")],
        "refused at the first level that cannot nest"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "refused in {:?}",
        started.elapsed()
    );
    // Where nesting is allowed by the types, the parser's depth limit refuses it.
    let deep = format!(
        "Routine(format: 1, title: \"T\", sections: [], exercises: {{\"a\": (name: \"x\", cues: {}\"y\"{})}})",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let found = findings(&deep);
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn not_utf8_is_refused_with_a_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    let mut bytes = b"Routine(\n  title: \"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    std::fs::write(&path, bytes).unwrap();
    let loaded = routine::load(&path, routine::LoadOptions::default());
    let d = &loaded.diagnostics[0];
    assert_eq!(d.message, "the file is not UTF-8 text");
    assert_eq!(d.span.map(|s| (s.start.line, s.start.col)), Some((2, 11)));
}

#[test]
fn media_and_includes_resolve_inside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    image::RgbImage::new(4, 3)
        .save(dir.path().join("images/a.png"))
        .unwrap();
    std::fs::write(
        dir.path().join("images/broken.png"),
        b"\x89PNG\r\n\x1a\nnot really",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("exercises.ron"),
        "Exercises(format: 1, exercises: {\n  \"a\": (name: \"A\", instruction: \"Do A.\", time: 10, image: \"images/a.png\"),\n  \"b\": (name: \"B\", instruction: \"Do B.\", time: 10, image: \"images/missing.png\"),\n  \"c\": (name: \"C\", instruction: \"Do C.\", time: 10, image: \"images/broken.png\"),\n})",
    )
    .unwrap();
    let path = dir.path().join("r.ron");
    std::fs::write(
        &path,
        "Routine(format: 1, title: \"R\", include: [\"exercises.ron\"], sections: [Section(title: \"S\", steps: [\n  Step(exercise: \"a\"), Step(exercise: \"b\"), Step(exercise: \"c\"),\n])])",
    )
    .unwrap();
    let loaded = routine::load(
        &path,
        routine::LoadOptions {
            media: routine::media::MediaCheck::Decode,
            ..routine::LoadOptions::default()
        },
    );
    let messages: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect();
    let exercises = dir.path().join("exercises.ron");
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(
        messages[0],
        format!(
            "{}:3:59: `images/missing.png` does not exist",
            exercises.display()
        )
    );
    assert!(
        messages[1].starts_with(&format!(
            "{}:4:59: `images/broken.png`: the image cannot be decoded: ",
            exercises.display()
        )),
        "{messages:?}"
    );
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Warning),
        "media problems are warnings"
    );
    let routine = loaded.routine.expect("warnings still play");
    assert_eq!(
        routine.media_paths().len(),
        2,
        "the missing image is left out: a placeholder shows"
    );
}

#[test]
fn missing_include_is_an_error_at_its_entry() {
    let source = "Routine(format: 1, title: \"T\", include: [\"nope.ron\"], sections: [Section(title: \"S\", steps: [Step(name: \"X\", time: 5)])])";
    assert_eq!(
        findings(source),
        vec![error(1, 42, "`nope.ron` does not exist")]
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let loaded = routine::parse(&text, Path::new("/nonexistent/x.ron"));
        prop_assert!(loaded.routine.is_some() || !loaded.diagnostics.is_empty());
    }

    #[test]
    fn mutated_routines_never_panic(at in 0usize..GOOD.len(), cut in 0usize..40, insert in "[ -~]{0,12}") {
        let mut text = GOOD.to_owned();
        let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (at + cut).min(text.len());
        let end = (end..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        text.replace_range(at..end, &insert);
        let loaded = routine::parse(&text, Path::new("/nonexistent/x.ron"));
        prop_assert!(loaded.routine.is_some() || loaded.diagnostics.iter().any(|d| d.severity == Severity::Error));
        if let Some(routine) = loaded.routine {
            let plan = limberup::timeline::Plan::new(std::sync::Arc::new(routine), Duration::from_secs(3));
            prop_assert!(!plan.segments.is_empty());
        }
    }
}

#[test]
fn a_step_can_change_just_the_pace_of_its_exercise() {
    let source = GOOD.replace(
        "Step(exercise: \"bird-dog\", sets: 2, rest_between_sets: 20)",
        "Step(exercise: \"bird-dog\", rep_time: \"4 s\")",
    );
    let routine = parse(&source).routine.expect("loads");
    let step = routine.steps().next().map(|(_, s)| s).expect("a step");
    assert!(
        matches!(step.work, Work::Paced { reps, rep_time } if reps.value == 8 && rep_time.timer == Duration::from_secs(4)),
        "{:?}",
        step.work
    );
}

#[test]
fn a_bare_file_name_resolves_media_in_the_current_folder() {
    // Regression: `limberup check hips.ron` in the routine's own folder called every
    // include and image "a link outside the routine's folder".
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    image::RgbImage::new(4, 3)
        .save(dir.path().join("images/a.png"))
        .unwrap();
    std::fs::write(
        dir.path().join("hips.ron"),
        "Routine(format: 1, title: \"T\", sections: [Section(title: \"S\", steps: [Step(name: \"X\", instruction: \"Do X.\", time: 5, image: \"images/a.png\")])])",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args(["check", "--strict", "hips.ron"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn an_exercises_file_can_be_checked_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exercises.ron");
    std::fs::write(
        &path,
        "Exercises(format: 1, exercises: {\n  \"a\": (name: \"A\", time: 0),\n})",
    )
    .unwrap();
    let found: Vec<_> = routine::loader::check_exercises(&path, routine::LoadOptions::default())
        .into_iter()
        .map(|d| (d.span.map(|s| (s.start.line, s.start.col)), d.message))
        .collect();
    assert_eq!(
        found,
        vec![(Some((2, 26)), "`time` must be longer than zero".to_owned())]
    );
}

#[test]
fn a_step_with_its_own_time_and_reps_is_timed_even_on_a_paced_exercise() {
    // Regression: the exercise's `rep_time` came along and made the step's `time` an error.
    let source = GOOD.replace(
        "Step(exercise: \"bird-dog\", sets: 2, rest_between_sets: 20)",
        "Step(exercise: \"bird-dog\", reps: 6, time: 30)",
    );
    let routine = parse(&source).routine.expect("loads");
    let step = routine.steps().next().map(|(_, s)| s).expect("a step");
    assert!(
        matches!(step.work, Work::Timed { reps: Some(r), .. } if r.value == 6),
        "{:?}",
        step.work
    );
}

#[test]
fn sides_misuse_is_placed_at_the_value() {
    let source = r#"Routine(format: 1, title: "T", sections: [
    Section(title: "A", sides: Both, steps: [
        Step(name: "Swing", time: 15, sides: Left),
    ]),
    Section(title: "B", sides: Alternating, steps: [
        Step(name: "Hold", time: 30, sides: Alternating),
        Step(name: "Lunge", reps: 7, rep_time: 2, sides: Alternating, set_order: Blocked),
    ]),
])"#;
    assert_eq!(
        findings(source),
        vec![
            error(
                3,
                46,
                "this step is in a section played on each side, so it cannot have its own `sides: Left`"
            ),
            error(
                5,
                32,
                "a section is played on each side with `sides: Both`; `sides: Alternating` is for a step"
            ),
            error(
                6,
                45,
                "`sides: Alternating` needs reps to alternate, and this step has none to count"
            ),
            (
                7,
                35,
                Severity::Warning,
                "7 alternating reps work the left side once more than the right".to_owned()
            ),
            (
                7,
                82,
                Severity::Warning,
                "`set_order` is used only by a step with `sides: Both` and more than one set"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn an_exercise_with_sides_plays_on_the_side_of_a_section_played_on_each_side() {
    let source = r#"Routine(format: 1, title: "T",
    exercises: { "swing": (name: "Swing", instruction: "Swing.", time: 15, sides: Both) },
    sections: [Section(title: "A", sides: Both, steps: [Step(exercise: "swing")])],
)"#;
    assert_eq!(findings(source), vec![]);
    let routine = parse(source).routine.expect("loads");
    assert_eq!(routine.sections[0].sides, routine::Sides::Both);
    assert_eq!(routine.sections[0].steps[0].sides, routine::Sides::Neither);
}

fn warning(line: usize, col: usize, message: &str) -> (usize, usize, Severity, String) {
    (line, col, Severity::Warning, message.to_owned())
}

/// Issue 19: the plain answers to the mistakes coaches make, each at its place.
mod plain_answers {
    use super::*;

    #[test]
    fn a_byte_order_mark_at_the_start_is_accepted_and_places_count_after_it() {
        let with_bom = format!("\u{FEFF}{GOOD}");
        assert!(parse(&with_bom).routine.is_some(), "Notepad's files load");
        let typo = with_bom.replace(
            "Routine(\n    format: 1,",
            "Routine(\n    format: 1, tittle: 2,",
        );
        assert_eq!(
            findings(&typo),
            vec![error(2, 16, "unknown field `tittle`")],
            "columns count from after the mark"
        );
        // From a file too, and an exercises file, as Notepad saves them.
        let dir = tempfile::tempdir().unwrap();
        let shared = "Exercises(format: 1, exercises: {\"plank\": (name: \"Plank\", instruction: \"Hold.\", time: 30)})";
        std::fs::write(
            dir.path().join("exercises.ron"),
            format!("\u{FEFF}{shared}"),
        )
        .unwrap();
        let file = dir.path().join("bom.ron");
        std::fs::write(
            &file,
            format!(
                "\u{FEFF}{}",
                GOOD.replace(
                    "exercises: {",
                    "include: [\"exercises.ron\"],\n    exercises: {"
                )
                .replace(
                    "Step(name: \"Jog\"",
                    "Step(exercise: \"plank\"), Step(name: \"Jog\""
                )
            ),
        )
        .unwrap();
        let loaded = routine::load(&file, routine::LoadOptions::default());
        assert!(loaded.routine.is_some(), "{:?}", loaded.diagnostics);
    }

    #[test]
    fn anything_after_the_closing_bracket_says_what_to_delete_where_it_is() {
        let comma = format!("{},\n", GOOD.trim_end());
        assert_eq!(
            findings(&comma),
            vec![error(
                14,
                2,
                "there is a comma after the routine's closing `)`"
            )],
            "at the comma"
        );
        let hint = parse(&comma).diagnostics[0].hint.clone().unwrap();
        assert!(hint.starts_with("delete the comma"), "{hint}");
        let twice = format!("{GOOD}{GOOD}");
        assert_eq!(
            findings(&twice),
            vec![error(
                15,
                1,
                "there is more after the routine's closing `)`"
            )],
            "at the second routine"
        );
        for found in [findings(&comma), findings(&twice)] {
            assert!(
                !found[0].3.contains("trailing"),
                "no parser words: {found:?}"
            );
        }
    }

    #[test]
    fn an_empty_file_or_another_format_names_how_a_routine_starts() {
        assert_eq!(
            findings(""),
            vec![error(1, 1, "the file is empty")],
            "empty"
        );
        assert_eq!(
            findings("// just a note\n"),
            vec![error(1, 1, "the file holds only comments")],
            "comments only"
        );
        assert_eq!(
            findings("{\"format\": 1}"),
            vec![error(1, 1, "expected `Routine(` here")],
            "JSON"
        );
    }

    #[test]
    fn a_picture_named_in_another_case_names_the_file_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("images")).unwrap();
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/routines/images/plank.png"),
            dir.path().join("images/hip.png"),
        )
        .unwrap();
        let source = GOOD.replace(
            "instruction: \"Hold it.\",",
            "instruction: \"Hold it.\", image: \"Images/Hip.PNG\",",
        );
        let loaded = routine::parse(&source, &dir.path().join("case.ron"));
        let found: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("called"))
            .map(|d| {
                (
                    d.span.unwrap().start,
                    d.severity,
                    d.message.clone(),
                    d.hint.clone(),
                )
            })
            .collect();
        assert_eq!(found.len(), 1, "{:?}", loaded.diagnostics);
        assert_eq!(found[0].0, routine::Position::new(11, 64), "at the path");
        assert_eq!(found[0].1, Severity::Warning, "as a missing picture");
        assert_eq!(
            found[0].2, "the file is called `images/hip.png`, not `Images/Hip.PNG`",
            "names the file that exists"
        );
        assert!(
            found[0].3.as_deref().unwrap().contains("count on Linux"),
            "says case matters on Linux"
        );
    }

    #[test]
    fn a_mistake_in_an_included_file_comes_first_and_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("legs.exercises.ron"),
            "Exercises(format: 1, exercises: {\n    \"lunge\": (name: \"Lunge\", time: 30)\n    \"squat\": (name: \"Squat\", time: 30),\n})\n",
        )
        .unwrap();
        let source = GOOD
            .replace("exercises: {", "include: [\"legs.exercises.ron\"],\n    exercises: {")
            .replace(
                "Step(name: \"Jog\"",
                "Step(exercise: \"lunge\"), Step(exercise: \"squat\"), Step(exercise: \"lunge\"), Step(name: \"Jog\"",
            );
        let loaded = routine::parse(&source, &dir.path().join("legs.ron"));
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].file.ends_with("legs.exercises.ron"), "{errors:?}");
        assert_eq!(
            errors[0].span.unwrap().start,
            routine::Position::new(2, 39),
            "where the comma belongs"
        );
        assert!(loaded.diagnostics[0].is_error(), "first");
        // An id the broken file does not hold is still reported.
        let typo = source.replacen("Step(exercise: \"squat\")", "Step(exercise: \"sqaut\")", 1);
        let loaded = routine::parse(&typo, &dir.path().join("legs.ron"));
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.message == "no exercise has the id `sqaut`"),
            "{:?}",
            loaded.diagnostics
        );
    }

    #[test]
    fn an_id_from_a_file_beside_the_routine_names_the_file_and_the_include() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("legs.exercises.ron"),
            "Exercises(format: 1, exercises: {\"lunge\": (name: \"Lunge\", instruction: \"Step.\", time: 30)})\n",
        )
        .unwrap();
        let source = GOOD.replace(
            "Step(name: \"Jog\"",
            "Step(exercise: \"lunge\"), Step(name: \"Jog\"",
        );
        let loaded = routine::parse(&source, &dir.path().join("legs.ron"));
        let d = loaded
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .expect("an error");
        assert_eq!(
            d.message,
            "the exercise `lunge` is defined in `legs.exercises.ron`, which this routine does not include",
            "names the file"
        );
        assert_eq!(
            d.span.unwrap().start,
            routine::Position::new(10, 28),
            "at the step's id"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("add `include: [\"legs.exercises.ron\"],` to the routine, after its title"),
            "the include to add"
        );
    }

    #[test]
    fn a_done_step_without_a_suggested_time_makes_the_length_unknown() {
        let source = GOOD.replace(", suggested_time: \"2 min\"", "");
        assert_eq!(
            findings(&source),
            vec![warning(
                10,
                69,
                "this step waits for Done and has no `suggested_time`, so the routine's length cannot be known"
            )],
            "at `until_done`"
        );
    }

    #[test]
    fn a_character_the_fonts_cannot_draw_is_warned_about_where_it_is() {
        let source = GOOD.replace("title: \"Test\"", "title: \"Test 💪 day\"");
        assert_eq!(
            findings(&source),
            vec![warning(
                3,
                18,
                "the app's fonts cannot draw `💪` (U+1F4AA): it shows as an empty box"
            )],
            "at the emoji"
        );
        let accents = GOOD.replace("title: \"Test\"", "title: \"Échauffement – «genoux»\"");
        assert!(findings(&accents).is_empty(), "{:?}", findings(&accents));
    }

    #[test]
    fn example_texts_left_from_new_are_warned_about() {
        let source = GOOD
            .replace(
                "    exercises: {",
                "    description: \"What this routine is for and when to do it, in a sentence or two.\",\n    exercises: {",
            )
            .replace("instruction: \"Hold it.\"", "instruction: \"Jog very easily, slow enough to chat.\"");
        assert_eq!(
            findings(&source),
            vec![
                warning(
                    4,
                    18,
                    "the description is still the example text `limberup new` wrote"
                ),
                warning(
                    12,
                    45,
                    "this instruction is still the example for \"Slow jog\" that `limberup new` wrote"
                ),
            ],
            "at the description and the instruction"
        );
    }
}

#[test]
fn auto_advance_is_a_duration_at_the_routines_top() {
    let source = GOOD.replace(
        "title: \"Test\",",
        "title: \"Test\",\n    auto_advance: \"20 s\",",
    );
    let routine = parse(&source).routine.expect("the routine loads");
    assert_eq!(routine.auto_advance, Some(Duration::from_secs(20)));
    assert_eq!(parse(GOOD).routine.unwrap().auto_advance, None);
    let source = GOOD.replace(
        "title: \"Test\",",
        "title: \"Test\",\n    auto_advance: \"soon\",",
    );
    assert_eq!(
        findings(&source),
        vec![error(
            4,
            20,
            "`soon` is not a duration: write `30`, `30 s`, `1:45`, `2 min` or a range `20-30 s`"
        )]
    );
}
