//! Levels and variants: the loader resolves every level and every swapped step, each misuse
//! is a placed finding, a selection gives one routine, and `--level`/`--variant` refuse what
//! the routine does not have.

use std::path::Path;
use std::time::Duration;

use limberup::routine::{self, Selection, Severity, Work};

use crate::common::{findings, limberup, parse, routine_with_steps};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/levels.ron");

fn fixture() -> routine::Routine {
    let loaded = routine::load(Path::new(FIXTURE), routine::LoadOptions::default());
    loaded.routine.expect("the fixture loads")
}

fn names(routine: &routine::Routine) -> Vec<String> {
    routine.steps().map(|(_, s)| s.name.clone()).collect()
}

#[test]
fn a_routine_without_levels_is_its_own_default_selection() {
    let source = routine_with_steps(r#"Step(name: "Hold", instruction: "Hold.", time: 30)"#);
    let routine = parse(&source).routine.expect("loads");
    assert!(routine.variants.is_empty() && !routine.has_levels());
    let step = routine.steps().next().unwrap().1;
    assert_eq!((step.level, step.levels.len(), step.position), (1, 0, 0));
    let selected = routine.select(&Selection::default()).unwrap();
    assert_eq!(
        format!("{selected:?}"),
        format!("{routine:?}"),
        "nothing changes"
    );
    assert_eq!(routine.levels_played(), None);
}

#[test]
fn levels_change_only_what_they_set_and_keep_their_progression() {
    let routine = fixture();
    let bench = routine.steps().nth(1).unwrap().1;
    assert_eq!((bench.name.as_str(), bench.level), ("Bench: static", 1));
    assert_eq!(bench.levels.len(), 3);
    assert_eq!(
        bench.levels[0].progression.as_deref(),
        Some("move up when 3 x 30 s is easy")
    );
    let two = &bench.levels[1].step;
    assert_eq!(two.name, "Bench: alternate legs");
    assert_eq!(two.sets, 3, "the step's sets, not changed by the level");
    assert_eq!(two.rest_between_sets, Duration::from_secs(10));
    assert!(matches!(two.work, Work::Timed { time, .. } if time.timer == Duration::from_secs(40)));
    let three = &bench.levels[2].step;
    assert_eq!((three.sides, three.sets), (routine::Sides::Both, 2));
    assert_eq!(bench.levels[2].progression, None);
    // Levels written at the exercise: the step's own `rest_after` stays at every level.
    let nordic = routine.steps().nth(2).unwrap().1;
    let reps: Vec<u32> = nordic
        .levels
        .iter()
        .map(|l| l.step.work.reps().unwrap().value)
        .collect();
    assert_eq!(reps, [4, 7, 12]);
    assert!(
        nordic
            .levels
            .iter()
            .all(|l| l.step.rest_after == Duration::from_secs(10))
    );
    assert_eq!(nordic.levels[2].step.equipment, ["Mat"]);
}

#[test]
fn a_selection_gives_one_routine_at_its_levels_with_its_equipment() {
    let routine = fixture();
    assert_eq!(routine.most_levels(), 3);
    assert_eq!(routine.equipment, ["Cones"]);
    let three = routine.select(&Selection::all_at(&routine, 3)).unwrap();
    assert_eq!(
        names(&three),
        [
            "Jog straight ahead",
            "Bench: one leg lifted and held",
            "Nordic hamstring: advanced",
            "Running across the pitch"
        ]
    );
    assert_eq!(
        three.equipment,
        ["Cones", "Mat"],
        "the level's equipment joins"
    );
    assert_eq!(three.levels_played().as_deref(), Some("3"));
    let mut mixed = Selection::default();
    mixed.set_level(2, 2);
    let mixed = routine.select(&mixed).unwrap();
    assert_eq!(mixed.levels_played().as_deref(), Some("1,2"));
    // Past a step's last level is its last; the levels stay listed for the page.
    let far = routine.select(&Selection::all_at(&routine, 9)).unwrap();
    assert_eq!(far.steps().nth(1).unwrap().1.level, 3);
    assert_eq!(far.steps().nth(1).unwrap().1.levels.len(), 3);
}

#[test]
fn stepping_every_level_stays_within_each_steps_levels() {
    let routine = fixture();
    let mut selection = Selection::default();
    selection.step_all(&routine, false);
    assert_eq!(
        selection.fitted(&routine),
        Selection::default(),
        "1 is the floor"
    );
    let mut selection = Selection::default();
    for _ in 0..5 {
        selection.step_all(&routine, true);
    }
    assert_eq!(
        selection.levels,
        [1, 3, 3],
        "levelled steps up to their last, others at 1"
    );
    let stale = Selection {
        levels: vec![4, 8, 1, 1, 1, 1, 1],
        variant: Some("Gone".to_owned()),
    };
    assert_eq!(
        stale.fitted(&routine),
        Selection {
            levels: vec![1, 3],
            variant: None
        },
        "a remembered choice is fitted to the file as it is now"
    );
}

#[test]
fn variants_keep_their_sections_and_swap_their_exercises() {
    let routine = fixture();
    let names_of = |variant: &str| {
        let selection = Selection {
            levels: Vec::new(),
            variant: Some(variant.to_owned()),
        };
        routine.select(&selection).unwrap()
    };
    let match_day = names_of("Match day");
    let titles: Vec<&str> = match_day
        .sections
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles, ["Part 1", "Part 3"]);
    assert_eq!(
        match_day.sections[1].rest_after,
        Duration::ZERO,
        "the last has no rest after"
    );
    assert_eq!(match_day.variant.as_deref(), Some("Match day"));
    let kids = names_of("Under 12");
    assert_eq!(names(&kids)[2], "Kneeling lean");
    assert_eq!(
        kids.steps().nth(2).unwrap().1.position,
        2,
        "in the swapped step's place"
    );
    let error = routine
        .select(&Selection {
            levels: Vec::new(),
            variant: Some("Matchday".to_owned()),
        })
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the routine `levels` has no variant \"Matchday\" (it has \"Match day\", \"Under 12\")"
    );
}

fn warning(line: usize, col: usize, message: &str) -> (usize, usize, Severity, String) {
    (line, col, Severity::Warning, message.to_owned())
}

fn error(line: usize, col: usize, message: &str) -> (usize, usize, Severity, String) {
    (line, col, Severity::Error, message.to_owned())
}

#[test]
fn misused_levels_are_placed_findings() {
    let source = routine_with_steps(
        r#"Step(name: "Bench", time: 30, progression: "too early", levels: [
    (progression: "up when easy"),
    (progression: "nothing else"),
    (exercise: "x", levels: [(time: 10)]),
    (tme: 20),
])"#,
    );
    let found = findings(&source);
    assert_eq!(
        found,
        [error(10, 6, "unknown field `tme`")],
        "a misspelt field in a level is a syntax finding with its place"
    );
    assert_eq!(
        parse(&source).diagnostics[0].hint.as_deref(),
        Some("did you mean `time`?")
    );
    let source = source.replace("(tme: 20)", "(time: 20)");
    assert_eq!(
        findings(&source),
        [
            error(6, 44, "`progression` belongs in a level"),
            warning(8, 5, "level 2 changes nothing"),
            error(9, 16, "a level cannot use another exercise"),
            error(9, 29, "a level cannot have levels of its own"),
        ]
    );
}

#[test]
fn too_many_or_too_few_levels() {
    let many: Vec<String> = (1..=10).map(|n| format!("(time: {n})")).collect();
    let source = routine_with_steps(&format!(
        "Step(name: \"Bench\", time: 30, levels: [{}])",
        many.join(", ")
    ));
    assert_eq!(
        findings(&source),
        [error(6, 39, "a step has at most 9 levels; this one has 10")]
    );
    let source = routine_with_steps(r#"Step(name: "Bench", time: 30, levels: [])"#);
    assert_eq!(findings(&source), [error(6, 39, "`levels` is empty")]);
    let source = routine_with_steps(r#"Step(name: "Bench", time: 30, levels: [(time: 20)])"#);
    assert_eq!(
        findings(&source),
        [warning(
            6,
            39,
            "a step with one level has nothing to choose"
        )]
    );
}

const VARIANTS: &str = r#"Routine(
    format: 1,
    title: "Test",
    exercises: {
        "nordic": (name: "Nordic", instruction: "Lean.", reps: 5, rep_time: 4),
        "nordic-kids": (name: "Lean", instruction: "Lean a little.", reps: 5, rep_time: 3),
    },
    sections: [
        Section(title: "Part 1", steps: [Step(exercise: "nordic")]),
        Section(title: "Part 2", steps: [Step(name: "Jog", instruction: "Jog.", time: 30)]),
    ],
    variants: [
        (name: "Short", sections: ["Part 1", "Part 3"]),
        (name: "Kids", replace: {"nordc": "nordic-kid"}),
        (name: "Short", sections: ["Part 2"]),
        (name: "Same"),
        (name: "Jog only", sections: ["Part 2"], replace: {"nordic": "nordic-kids"}),
        (name: "None", sections: []),
    ],
)
"#;

#[test]
fn misused_variants_are_placed_findings_with_suggestions() {
    let loaded = parse(VARIANTS);
    let found: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| !d.message.contains("no illustration"))
        .map(|d| {
            let at = d.span.map_or((0, 0), |s| (s.start.line, s.start.col));
            (
                at.0,
                at.1,
                d.message.clone(),
                d.hint.clone().unwrap_or_default(),
            )
        })
        .collect();
    let expected = [
        (
            6,
            24,
            "the exercise `nordic-kids` is defined but no step uses it",
            "use it in a step or remove it",
        ),
        (
            13,
            46,
            "no section has the title \"Part 3\"",
            "did you mean \"Part 1\"?",
        ),
        (
            14,
            34,
            "no exercise has the id `nordc`",
            "did you mean `nordic`?",
        ),
        (
            14,
            43,
            "no exercise has the id `nordic-kid`",
            "did you mean `nordic-kids`?",
        ),
        (
            15,
            16,
            "two variants are named \"Short\"",
            "give each variant a different name",
        ),
        (
            16,
            9,
            "the variant \"Same\" changes nothing",
            "list the `sections` it plays, or `replace` an exercise",
        ),
        (
            17,
            60,
            "no step of the variant \"Jog only\" uses the exercise `nordic`",
            "remove it from `replace`",
        ),
        (
            18,
            34,
            "`sections` is empty",
            "list the titles of the sections it plays, or remove `sections`",
        ),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(l, c, m, h)| (*l, *c, (*m).to_owned(), (*h).to_owned()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn cli_takes_a_level_and_a_variant_and_refuses_what_the_routine_lacks() {
    let output = limberup(
        "limberup-levels-cli",
        &["show", FIXTURE, "--level", "2", "--variant", "Under 12"],
    );
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("  variant: Under 12\n  Level 2\n"), "{text}");
    assert!(text.contains("Kneeling lean") && text.contains("Bench: alternate legs"));
    for (args, message) in [
        (
            &["--level", "4"][..],
            "limberup: the routine `levels` has levels 1 to 3; there is no level 4\n",
        ),
        (
            &["--level", "0"][..],
            "limberup: the routine `levels` has levels 1 to 3; there is no level 0\n",
        ),
        (
            &["--variant", "match day"][..],
            "limberup: the routine `levels` has no variant \"match day\" (it has \"Match day\", \"Under 12\")\n",
        ),
    ] {
        for command in ["show", "sheet", "play"] {
            let mut all = vec![command, FIXTURE];
            all.extend_from_slice(args);
            let output = limberup("limberup-levels-cli", &all);
            assert_eq!(output.status.code(), Some(2), "{command} {args:?}");
            assert_eq!(
                String::from_utf8_lossy(&output.stderr),
                message,
                "{command} {args:?}"
            );
        }
    }
    let output = limberup(
        "limberup-levels-cli",
        &["show", "desk-break", "--level", "2"],
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "limberup: the routine `desk-break` has no levels; there is no level 2\n"
    );
}

#[test]
fn the_sheet_prints_every_level_with_its_progression() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sheet.html");
    let output = limberup(
        "limberup-levels-sheet",
        &[
            "sheet",
            FIXTURE,
            "--level",
            "2",
            "-o",
            &out.display().to_string(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(&out).unwrap();
    for text in [
        "Bench: static",
        "Bench: alternate legs",
        "Bench: one leg lifted and held",
        "move up when 3 x 30 s is easy",
        "move up when 3 x 40 s is easy",
        "Nordic hamstring: advanced",
        r#"<li class="chosen"><span class="level">Level 2</span>"#,
    ] {
        assert!(html.contains(text), "{text}");
    }
}
