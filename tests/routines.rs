//! The bundled routines: they load cleanly, their pictures decode, their lengths match the
//! brief, and together they cover every exercise the brief names.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use limberup::library::{Folders, Library};
use limberup::routine::LoadOptions;
use limberup::routine::media::MediaCheck;
use limberup::timeline::Plan;

fn bundled() -> Library {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("routines");
    Library::load(
        &Folders {
            bundled: Some(folder),
            user: None,
            extra: Vec::new(),
        },
        LoadOptions {
            media: MediaCheck::Decode,
            ..LoadOptions::default()
        },
    )
}

#[test]
fn every_bundled_routine_loads_without_findings_and_its_pictures_decode() {
    let library = bundled();
    assert!(
        library.entries.len() >= 9,
        "the brief's routines and the static list"
    );
    for entry in &library.entries {
        assert!(
            entry.diagnostics.is_empty(),
            "{}: {:?}",
            entry.id,
            entry.diagnostics
        );
        let routine = entry.routine.as_ref().expect("loads");
        for path in routine.media_paths() {
            let image = image::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                image.width() >= 400 && image.height() >= 300,
                "{} is large enough",
                path.display()
            );
        }
        for (_, step) in routine.steps() {
            assert!(
                step.illustration.is_some(),
                "{}: {} has a picture",
                entry.id,
                step.name
            );
            assert!(
                step.instruction.is_some(),
                "{}: {} has an instruction",
                entry.id,
                step.name
            );
            assert!(
                !step.muscles.is_empty(),
                "{}: {} names its muscles",
                entry.id,
                step.name
            );
        }
        let safety = routine.safety.as_deref().unwrap_or_default();
        assert!(
            safety.contains("not medical advice") && safety.contains("sharp pain"),
            "{}: safety note",
            entry.id
        );
    }
}

#[test]
fn planned_lengths_are_within_20_percent_of_the_brief() {
    let library = bundled();
    for (id, minutes) in [
        ("pre-run-warmup", 20.0),
        ("quick-pre-run-warmup", 7.0),
        ("psoas-hip-flexor-release", 10.0),
        ("desk-break", 3.5),
        ("post-run-cooldown", 10.0),
        ("mid-run-reset", 1.0),
        ("intervals-8x145", 30.0),
        ("posterior-chain-strength", 25.0),
        ("static-stretches", 8.0),
        ("lunge-matrix", 6.0),
        ("track-drills-warmup", 15.0),
    ] {
        let routine = library
            .get(id)
            .and_then(|e| e.routine.clone())
            .unwrap_or_else(|| panic!("{id} is bundled"));
        let planned = Plan::new(Arc::clone(&routine), Duration::from_secs(3))
            .total()
            .duration
            .as_secs_f64()
            / 60.0;
        assert!(
            (planned - minutes).abs() <= minutes * 0.2,
            "{id}: {planned:.1} min against {minutes} min"
        );
    }
}

#[test]
fn the_intervals_are_eight_by_one_forty_five_with_two_minutes_recovery() {
    let library = bundled();
    let routine = library
        .get("intervals-8x145")
        .and_then(|e| e.routine.clone())
        .expect("bundled");
    let plan = Plan::new(routine, Duration::ZERO);
    let work: Vec<(String, u64)> = plan
        .segments
        .iter()
        .map(|s| (s.title.clone(), s.estimate.as_secs()))
        .collect();
    assert_eq!(work.len(), 16);
    for pair in work.chunks(2) {
        assert_eq!((pair[0].1, pair[1].1), (105, 120), "{pair:?}");
    }
}

#[test]
fn the_briefs_exercises_are_all_covered() {
    let library = bundled();
    let used: Vec<String> = library
        .entries
        .iter()
        .filter_map(|e| e.routine.clone())
        .flat_map(|r| {
            r.steps()
                .filter_map(|(_, s)| s.exercise.clone())
                .collect::<Vec<_>>()
        })
        .collect();
    for id in [
        "foam-roll-hip-flexors",
        "foam-roll-piriformis",
        "foam-roll-hamstrings",
        "foam-roll-adductors",
        "foam-roll-it-band",
        "slow-jog",
        "high-knees",
        "butt-kicks",
        "leg-swing-forward",
        "leg-swing-sideways",
        "strides",
        "kneeling-hip-flexor-stretch",
        "rectus-femoris-stretch",
        "standing-psoas-side-bend",
        "lying-psoas-twist",
        "cobra",
        "constructive-rest",
        "double-knee-to-chest",
        "leg-cross-over",
        "piriformis-stretch",
        "glute-ball-release",
        "deep-squat",
        "standing-forward-bend",
        "standing-hamstring-stretch",
        "adductor-stretch",
        "cook-hip-lift",
        "bird-dog",
        "straight-leg-deadlift",
        "romanian-deadlift",
        "dead-bug",
        "plank",
        "interval-run",
        "recovery-walk",
    ] {
        assert!(
            used.iter().any(|u| u == id),
            "the brief's `{id}` is in a routine"
        );
    }
}

#[test]
fn the_pre_run_warmup_follows_the_canonical_order() {
    let library = bundled();
    let routine = library
        .get("pre-run-warmup")
        .and_then(|e| e.routine.clone())
        .expect("bundled");
    let titles: Vec<&str> = routine.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Foam rolling",
            "Slow jog",
            "Movement prep",
            "Short active stretches",
            "Dynamic stretching",
            "Glute activation and core",
            "Strides"
        ]
    );
    let strides = routine.sections.last().expect("strides");
    assert!(strides.rounds * strides.steps[0].sets >= 3, "a few strides");
    assert!(
        strides.steps[0]
            .effort
            .as_deref()
            .is_some_and(|e| e.contains("30-40 m")),
        "30-40 m"
    );
}

#[test]
fn the_lunge_matrix_has_a_beginner_level_one_leg_at_a_time_and_a_standard_one_alternating() {
    let library = bundled();
    let routine = library
        .get("lunge-matrix")
        .and_then(|e| e.routine.clone())
        .expect("bundled");
    let steps: Vec<_> = routine.steps().map(|(_, s)| s).collect();
    assert_eq!(steps.len(), 4, "forward, lateral, reverse, turning");
    for step in &steps {
        assert_eq!(step.levels.len(), 2, "{}", step.name);
        assert!(step.levels[0].progression.is_some(), "{}", step.name);
    }
    let level = |n| {
        let selection = limberup::routine::Selection::all_at(&routine, n);
        let chosen = routine.select(&selection).expect("a level it has");
        Plan::new(Arc::new(chosen), Duration::from_secs(3))
    };
    // Beginner: every lunge on the left, a switch, then the right.
    let beginner = level(1);
    let work: Vec<_> = beginner
        .segments
        .iter()
        .filter(|s| s.kind == limberup::timeline::SegmentKind::Work)
        .collect();
    assert!(work.iter().all(|s| s.side.is_some() && !s.alternating));
    assert_eq!(
        beginner
            .segments
            .iter()
            .filter(|s| s.kind == limberup::timeline::SegmentKind::Switch)
            .count(),
        8,
        "four lunges, two rounds"
    );
    // Standard: legs change every rep, eight on each.
    let standard = level(2);
    for s in standard
        .segments
        .iter()
        .filter(|s| s.kind == limberup::timeline::SegmentKind::Work)
    {
        assert!(s.alternating, "{}", s.title);
        assert_eq!(s.reps_in_one_go(), Some(16), "{}", s.title);
    }
}

#[test]
fn the_track_drills_race_day_leaves_out_the_bounding() {
    let library = bundled();
    let routine = library
        .get("track-drills-warmup")
        .and_then(|e| e.routine.clone())
        .expect("bundled");
    let race_day = routine
        .select(&limberup::routine::Selection {
            variant: Some("Race day".to_owned()),
            ..limberup::routine::Selection::default()
        })
        .expect("the variant");
    let titles: Vec<&str> = race_day.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Easy jog", "Leg swings", "Drills", "Strides"]);
    let full = Plan::new(Arc::clone(&routine), Duration::from_secs(3)).total();
    let short = Plan::new(Arc::new(race_day), Duration::from_secs(3)).total();
    assert!(short.duration < full.duration);
    // The brief's strides: 30-40 m, a few of them.
    let strides = routine
        .steps()
        .map(|(_, s)| s)
        .find(|s| s.name == "Strides")
        .expect("strides");
    assert_eq!(
        strides.distance.map(|d| d.to_string()).as_deref(),
        Some("30-40 m")
    );
}
