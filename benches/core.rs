//! Benchmarks of the pure core: `cargo bench`. Figures are printed by divan (median first).
//!
//! - loading and validating 1,000 routine files from disk;
//! - loading the bundled library (what `play` and `show` read before anything shows);
//! - planning the largest bundled routine;
//! - answering a player state query and the next-change query.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use limberup::library::{Folders, Library};
use limberup::routine::LoadOptions;
use limberup::routine::media::MediaCheck;
use limberup::timeline::{Plan, Player};

fn main() {
    divan::main();
}

/// A routine of four sections and a dozen steps, the size coaches write.
const ROUTINE: &str = r#"Routine(
    format: 1,
    title: "Bench",
    description: "A routine of ordinary size.",
    tags: ["bench"],
    equipment: ["mat"],
    exercises: {
        "stretch": (name: "Stretch", instruction: "Hold the stretch.", cues: ["chest up"], muscles: ["psoas"], time: "30 s", sides: Both),
        "swing": (name: "Swing", instruction: "Swing the leg.", reps: 12, rep_time: "1.5 s", sides: Both),
    },
    sections: [
        Section(title: "A", steps: [Step(exercise: "stretch"), Step(exercise: "swing", sets: 2, rest_between_sets: 15)]),
        Section(title: "B", rounds: 3, rest_between_rounds: 30, steps: [Step(name: "Jog", instruction: "Jog.", until_done: true, suggested_time: "2 min"), Step(exercise: "stretch", time: "20-30 s")]),
        Section(title: "C", steps: [Step(exercise: "swing"), Step(exercise: "stretch", rest_after: 10), Step(name: "Hold", instruction: "Hold.", time: 45)]),
        Section(title: "D", steps: [Step(exercise: "stretch", sides: Left), Step(exercise: "stretch", sides: Right)]),
    ],
)
"#;

#[divan::bench(sample_count = 10)]
fn load_and_validate_1000_files(bencher: divan::Bencher<'_, '_>) {
    let dir = tempfile::tempdir().expect("temp folder");
    for i in 0..1000 {
        std::fs::write(dir.path().join(format!("routine-{i:04}.ron")), ROUTINE).expect("write");
    }
    let folders = Folders {
        bundled: None,
        user: None,
        extra: vec![dir.path().to_path_buf()],
    };
    bencher.bench(|| {
        let library = Library::load(
            &folders,
            LoadOptions {
                media: MediaCheck::Header,
                ..LoadOptions::default()
            },
        );
        assert_eq!(library.entries.len(), 1000, "every file loads");
        library
    });
}

/// The source tree's routines as the bundled library.
fn bundled_folders() -> Folders {
    Folders {
        bundled: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("routines")),
        user: None,
        extra: Vec::new(),
    }
}

/// Every bundled routine, each including the exercise library, every picture's header read:
/// what `limberup play` loads before its window opens.
#[divan::bench(sample_count = 20)]
fn load_bundled_library(bencher: divan::Bencher<'_, '_>) {
    let folders = bundled_folders();
    bencher.bench(|| {
        let library = Library::load(&folders, LoadOptions::default());
        assert!(
            library.failed().next().is_none(),
            "every bundled routine loads"
        );
        library
    });
}

fn largest_bundled() -> Arc<limberup::routine::Routine> {
    let library = Library::load(&bundled_folders(), LoadOptions::default());
    library
        .entries
        .iter()
        .filter_map(|e| e.routine.clone())
        .max_by_key(|r| Plan::new(Arc::clone(r), Duration::ZERO).segments.len())
        .expect("bundled routines")
}

#[divan::bench]
fn plan_largest_bundled_routine(bencher: divan::Bencher<'_, '_>) {
    let routine = largest_bundled();
    bencher.bench(|| Plan::new(Arc::clone(&routine), Duration::from_secs(3)));
}

#[divan::bench]
fn state_query(bencher: divan::Bencher<'_, '_>) {
    let plan = Arc::new(Plan::new(largest_bundled(), Duration::from_secs(3)));
    let mut player = Player::new(plan, Duration::from_secs(3));
    player.start(Duration::ZERO);
    let now = Duration::from_secs(200);
    player.tick(now);
    bencher.bench_local(|| (player.status(now), player.time_until_next_change(now)));
}
