//! Golden files: the full plan and cue schedule of bundled routines and of the fixtures in
//! `tests/data/`, as `limberup show` prints them. A change to planning, cues or the routines
//! shows up here as a diff. `UPDATE_GOLDEN=1 cargo test golden` rewrites the files after a
//! deliberate change.

use std::path::PathBuf;
use std::process::Command;

/// Checks `limberup show` of a bundled routine by id against `tests/golden/{id}.txt`.
fn check(id: &str) {
    check_args(id, &["show", id]);
}

/// Checks `limberup show` of the fixture `tests/data/{name}.ron` against
/// `tests/golden/{name}.txt`.
fn check_fixture(name: &str) {
    let path = format!("tests/data/{name}.ron");
    check_args(name, &["show", &path]);
}

/// The golden file `id` for `limberup ARGS`, run in the source tree (so a fixture under
/// `tests/data` is named by its relative path, at a level or in a variant).
fn check_args(id: &str, args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LIMBERUP_DATA_DIR", env!("CARGO_MANIFEST_DIR"))
        .env(
            "XDG_DATA_HOME",
            std::env::temp_dir().join("limberup-golden-empty"),
        )
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let actual = String::from_utf8(output.stdout).expect("UTF-8");
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{id}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&file, &actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read_to_string(&file).expect("golden file (UPDATE_GOLDEN=1 writes it)");
    for (n, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, e, "{id}: line {} of {} differs", n + 1, file.display());
    }
    assert_eq!(
        actual.lines().count(),
        expected.lines().count(),
        "{id}: line count"
    );
}

#[test]
fn the_pre_run_warmup_plan_and_cues() {
    check("pre-run-warmup");
}

#[test]
fn the_intervals_plan_and_cues() {
    check("intervals-8x145");
}

#[test]
fn per_side_counts_plan_and_cues() {
    check_fixture("doses-per-side");
}

#[test]
fn passes_and_distances_plan_and_cues() {
    check_fixture("doses-distance");
}

#[test]
fn ranges_plan_and_cues() {
    check_fixture("doses-range");
}

#[test]
fn per_side_sets_taken_alternately_switch_between_sets() {
    check_fixture("sides-sets-alternating");
}

#[test]
fn per_side_sets_taken_blocked_switch_once() {
    check_fixture("sides-sets-blocked");
}

#[test]
fn alternating_reps_carry_their_side() {
    check_fixture("sides-alternating-reps");
}

#[test]
fn a_section_played_on_each_side() {
    check_fixture("sides-section");
}

#[test]
fn a_three_level_step_at_each_level() {
    for level in ["1", "2", "3"] {
        check_args(
            &format!("levels-level-{level}"),
            &["show", "tests/data/levels.ron", "--level", level],
        );
    }
}

#[test]
fn a_variant_with_its_own_sections_and_a_swapped_exercise() {
    check_args(
        "levels-match-day",
        &["show", "tests/data/levels.ron", "--variant", "Match day"],
    );
    check_args(
        "levels-under-12",
        &[
            "show",
            "tests/data/levels.ron",
            "--variant",
            "Under 12",
            "--level",
            "2",
        ],
    );
}

#[test]
fn a_german_routine_is_planned_and_spoken_in_german() {
    check_args(
        "german-warmup",
        &["show", "tests/routines/german-warmup.ron"],
    );
}
