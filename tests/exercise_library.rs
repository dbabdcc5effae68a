//! The built-in exercise library: a coach's routine in a folder of its own uses it by id
//! through `include: ["@library"]`, and checks, plays, packs (into a bundle that imports
//! where there is no library) and prints with its pictures; `exercises` lists it whole.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use limberup::library::{self, EXERCISE_LIBRARY_FILE};
use limberup::routine::media::{self, MediaCheck};
use limberup::routine::{self, LoadOptions};

/// The ten library exercises the coach's routine uses.
const USED: [&str; 10] = [
    "arm-circles",
    "hip-circles",
    "walking-lunge",
    "inchworm",
    "glute-bridge",
    "lateral-band-walk",
    "side-plank",
    "a-skip",
    "b-skip",
    "pogo-jumps",
];

/// A team warm-up as a coach writes it, in a folder of their own, with no pictures of its
/// own: every step is a library exercise.
fn team_warm_up() -> String {
    let steps: Vec<String> = USED
        .iter()
        .map(|id| format!("            Step(exercise: {id:?}),\n"))
        .collect();
    let steps = steps.concat();
    format!(
        "// team-warm-up.ron\nRoutine(\n    format: 1,\n    title: \"Team warm-up\",\n    \
         description: \"Before every session, for the whole squad.\",\n    \
         include: [\"@library\"],\n    sections: [\n        Section(title: \"Warm-up\", \
         steps: [\n{steps}        ]),\n    ],\n)\n"
    )
}

/// The library in the source tree.
fn source_library() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("routines")
        .join(EXERCISE_LIBRARY_FILE)
}

/// The binary with the bundled data at `data` and the user's data under `home`.
fn limberup_with(data: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args(args)
        .env("LIMBERUP_DATA_DIR", data)
        .env("XDG_DATA_HOME", home)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stdout)
}

#[test]
fn a_routine_in_a_folder_of_its_own_uses_ten_library_exercises_everywhere() {
    let scratch = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR"));
    let home = scratch.path().join("home");
    let coach = scratch.path().join("coach");
    std::fs::create_dir_all(&coach).unwrap();
    let file = coach.join("team-warm-up.ron");
    std::fs::write(&file, team_warm_up()).unwrap();
    let path = file.to_str().unwrap();

    // Checked strictly: no finding at all.
    let checked = succeeded(&limberup_with(
        data,
        &home,
        &["check", "--strict", coach.to_str().unwrap()],
    ));
    assert!(checked.contains("0 errors, 0 warnings"), "{checked}");

    // Loaded, every step takes its library exercise with its picture from the library.
    let options = LoadOptions {
        media: MediaCheck::Decode,
        library: Some(source_library()),
    };
    let loaded = routine::load(&file, options);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let loaded = loaded.routine.unwrap();
    let steps: Vec<_> = loaded.steps().map(|(_, s)| s).collect();
    assert_eq!(steps.len(), USED.len());
    for (step, id) in steps.iter().zip(USED) {
        assert_eq!(step.exercise.as_deref(), Some(id));
        let pictures = step.illustration.as_ref().map(|i| i.paths().to_vec());
        let pictures = pictures.unwrap_or_default();
        assert!(!pictures.is_empty(), "{id} has a picture");
        for picture in pictures {
            assert!(picture.starts_with(data.join("routines")), "{picture:?}");
        }
    }

    // Plays: its guided audio, rendered offline from the same schedule the player follows.
    let wav = scratch.path().join("team.wav");
    let wav_path = wav.to_str().unwrap();
    let played = succeeded(&limberup_with(
        data,
        &home,
        &["export-audio", path, "-o", wav_path, "--no-voice"],
    ));
    assert!(played.starts_with("wrote "), "{played}");
    assert!(hound::WavReader::open(&wav).unwrap().duration() > 48_000 * 60);

    // Prints on the sheet with its ten pictures.
    let sheet = scratch.path().join("team.html");
    succeeded(&limberup_with(
        data,
        &home,
        &["sheet", path, "-o", sheet.to_str().unwrap()],
    ));
    let html = std::fs::read_to_string(&sheet).unwrap();
    assert_eq!(
        html.matches("<img src=\"data:image/png;base64,").count(),
        USED.len()
    );

    // Packs: the library exercises used and their pictures travel in the bundle.
    let bundle = scratch.path().join("team.limberup");
    succeeded(&limberup_with(
        data,
        &home,
        &["pack", path, "-o", bundle.to_str().unwrap()],
    ));

    // Imports on a machine with a clean data folder and no exercise library at all.
    let bare = scratch.path().join("bare-data");
    std::fs::create_dir_all(bare.join("routines")).unwrap();
    let clean = scratch.path().join("clean-home");
    succeeded(&limberup_with(
        &bare,
        &clean,
        &["import", bundle.to_str().unwrap()],
    ));
    let folder = clean.join("limberup/routines/team-warm-up");
    let routine_text = std::fs::read_to_string(folder.join("team-warm-up.ron")).unwrap();
    assert!(
        !routine_text.contains("@library")
            && routine_text.contains("include: [\"limberup-library/exercises.ron\"]"),
        "{routine_text}"
    );
    let packed = routine::loader::read_doc::<routine::format::ExercisesDoc>(
        &folder.join("limberup-library/exercises.ron"),
    )
    .unwrap()
    .0;
    let mut ids: Vec<&str> = packed.exercises.keys().map(String::as_str).collect();
    let mut used = USED.to_vec();
    ids.sort_unstable();
    used.sort_unstable();
    assert_eq!(ids, used, "only the exercises the routine uses");
    let checked = succeeded(&limberup_with(
        &bare,
        &clean,
        &["check", "--strict", folder.to_str().unwrap()],
    ));
    assert!(checked.contains("0 errors, 0 warnings"), "{checked}");
    // … with its pictures, found in the bundle's own folder.
    let imported = routine::load(
        &folder.join("team-warm-up.ron"),
        LoadOptions {
            media: MediaCheck::Decode,
            library: None,
        },
    );
    assert!(
        imported.diagnostics.is_empty(),
        "{:?}",
        imported.diagnostics
    );
    for (_, step) in imported.routine.unwrap().steps() {
        for picture in step.illustration.as_ref().unwrap().paths() {
            assert!(picture.starts_with(&folder), "{picture:?}");
        }
    }
}

#[test]
fn exercises_lists_the_whole_library_each_with_a_picture_that_decodes() {
    let scratch = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR"));
    let printed = succeeded(&limberup_with(
        data,
        scratch.path(),
        &["exercises", "--json"],
    ));
    let list: Vec<serde_json::Value> = serde_json::from_str(&printed).unwrap();
    assert!(list.len() >= 73, "{} exercises", list.len());
    for exercise in &list {
        let id = exercise["id"].as_str().unwrap();
        assert!(!exercise["name"].as_str().unwrap().is_empty(), "{id}");
        assert!(!exercise["muscles"].as_array().unwrap().is_empty(), "{id}");
        assert!(!exercise["dose"].as_str().unwrap().is_empty(), "{id}");
        let pictures = exercise["pictures"].as_array().unwrap();
        assert!(!pictures.is_empty(), "{id} has no picture");
        for picture in pictures {
            let picture = Path::new(picture.as_str().unwrap());
            media::check_image(picture, MediaCheck::Decode)
                .unwrap_or_else(|e| panic!("{id}: {}: {e}", picture.display()));
        }
    }
    let table = succeeded(&limberup_with(data, scratch.path(), &["exercises"]));
    assert!(table.contains("glute-bridge"), "{table}");
    assert!(
        table.ends_with(&format!(
            "{} exercises in {}; use them with include: [\"@library\"]\n",
            list.len(),
            source_library().display()
        )),
        "{table}"
    );
}

#[test]
fn without_a_library_the_include_is_an_error_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("team-warm-up.ron");
    let loaded = routine::loader::parse_with(&team_warm_up(), &origin, LoadOptions::default());
    assert!(loaded.routine.is_none());
    let first = &loaded.diagnostics[0];
    assert_eq!(
        first.message,
        "the exercise library is not installed with this Limber Up"
    );
    let at = first.span.unwrap().start;
    assert_eq!((at.line, at.col), (6, 15));
}

#[test]
fn the_library_pictures_are_trusted_and_a_routine_s_own_paths_still_stay_in_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("hips.ron");
    let source = r#"Routine(
    format: 1,
    title: "Hips",
    include: ["@library"],
    sections: [Section(title: "A", steps: [
        Step(exercise: "glute-bridge"),
        Step(exercise: "clamshell", image: "../images/clamshell-1.png"),
    ])],
)
"#;
    let options = LoadOptions {
        media: MediaCheck::Header,
        library: Some(source_library()),
    };
    let loaded = routine::loader::parse_with(source, &origin, options);
    let messages: Vec<&str> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        ["`../images/clamshell-1.png` leaves the routine's folder"]
    );
}

#[test]
fn the_library_folder_is_found_beside_the_bundled_routines() {
    let folders = library::Folders {
        bundled: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("routines")),
        user: None,
        extra: Vec::new(),
    };
    assert_eq!(folders.exercise_library(), Some(source_library()));
}
