//! The one resolver of "a routine named by path or id" (`library::Named` and
//! `Library::find`), which the command line and the window share.

use std::ffi::OsStr;
use std::path::Path;

use limberup::library::{FindError, Folders, Library, Named};
use limberup::routine::LoadOptions;

const ROUTINE: &str = r#"Routine(
    format: 1,
    title: "Hips",
    sections: [
        Section(title: "Main", steps: [
            Step(name: "Hold", instruction: "Hold it.", time: 30),
        ]),
    ],
)
"#;

/// A folder holding `hips.ron`, and nothing searched but the folders added.
fn folder_with_hips() -> (tempfile::TempDir, Folders) {
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(dir.path().join("hips.ron"), ROUTINE).expect("routine file");
    let folders = Folders {
        bundled: None,
        user: None,
        extra: Vec::new(),
    };
    (dir, folders)
}

fn load(folders: &Folders) -> Library {
    Library::load(folders, LoadOptions::default())
}

#[test]
fn an_existing_routine_file_is_found_through_its_folder_by_its_id() {
    let (dir, mut folders) = folder_with_hips();
    let file = dir.path().join("hips.ron");
    let named = Named::new(file.as_os_str());
    assert_eq!(named, Named::File(file.clone()), "a path to a routine file");
    assert_eq!(named.folder(), Some(dir.path()), "its folder");

    folders.add_named(&named);
    folders.add_named(&named);
    assert_eq!(
        folders.extra,
        [dir.path()],
        "the folder joins the search once"
    );
    let library = load(&folders);
    let entry = library.find(&named).expect("found");
    assert_eq!(entry.id, "hips");
    assert_eq!(entry.path, file);
}

#[test]
fn a_relative_path_is_made_absolute_so_its_folder_can_be_searched() {
    // Tests run in the package's folder, which holds the bundled routines.
    let named = Named::new(OsStr::new("routines/pre-run-warmup.ron"));
    let folder = std::env::current_dir()
        .expect("the working folder")
        .join("routines");
    assert_eq!(named, Named::File(folder.join("pre-run-warmup.ron")));
    assert_eq!(named.folder(), Some(folder.as_path()));
}

#[test]
fn anything_else_is_an_id() {
    let (dir, mut folders) = folder_with_hips();
    folders.extra.push(dir.path().to_path_buf());
    let library = load(&folders);
    let named = Named::new(OsStr::new("hips"));
    assert_eq!(named, Named::Id("hips".to_owned()));
    assert_eq!(named.folder(), None, "an id brings no folder");
    assert_eq!(library.find(&named).expect("found").id, "hips");

    // A path that does not exist is not a file: it is looked up (and missed) as an id.
    let missing = dir.path().join("gone.ron");
    assert_eq!(
        Named::new(missing.as_os_str()),
        Named::Id(missing.display().to_string())
    );
}

#[test]
fn a_miss_says_which_id_was_meant() {
    let (dir, mut folders) = folder_with_hips();
    folders.extra.push(dir.path().to_path_buf());
    let library = load(&folders);

    let error = library
        .find(&Named::new(OsStr::new("hisp")))
        .expect_err("no such id");
    assert_eq!(
        error,
        FindError::NotFound {
            name: "hisp".to_owned(),
            suggestion: Some("hips".to_owned()),
            ids: vec!["hips".to_owned()],
        },
        "the nearest id is suggested"
    );
    assert_eq!(
        error.to_string(),
        "no routine file or id `hisp`; did you mean `hips`?"
    );

    let far = library
        .find(&Named::new(OsStr::new("cool-down-and-stretch")))
        .expect_err("no such id");
    assert_eq!(
        far.to_string(),
        "no routine file or id `cool-down-and-stretch`; the library has: hips",
        "nothing near: the ids there are"
    );
}

#[test]
fn a_bundle_stays_a_bundle_to_import() {
    let (dir, mut folders) = folder_with_hips();
    folders.extra.push(dir.path().to_path_buf());
    let library = load(&folders);
    for name in ["hips.limberup", "/downloads/Hips (2).LIMBERUP"] {
        let named = Named::new(OsStr::new(name));
        assert_eq!(
            named,
            Named::Bundle(Path::new(name).to_path_buf()),
            "{name}"
        );
        assert_eq!(named.folder(), None, "{name}: a bundle brings no folder");
        assert_eq!(
            library.find(&named).expect_err("not a routine"),
            FindError::Bundle(Path::new(name).to_path_buf()),
            "{name}"
        );
    }
}

#[test]
fn the_bundle_extension_is_the_one_bundles_are_written_with() {
    assert_eq!(
        limberup::library::BUNDLE_EXTENSION,
        limberup::bundle::EXTENSION,
        "the resolver and `bundle` agree"
    );
}

/// A routine file whose name is not UTF-8 keeps its path whole (the id is made lossy the
/// same way the library makes it).
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_a_path_not_a_mangled_id() {
    use std::os::unix::ffi::OsStrExt as _;
    let (dir, mut folders) = folder_with_hips();
    let file = dir.path().join(OsStr::from_bytes(b"warm\xffup.ron"));
    std::fs::write(&file, ROUTINE).expect("routine file");
    let named = Named::new(file.as_os_str());
    assert_eq!(named, Named::File(file.clone()), "the bytes are kept");
    folders.add_named(&named);
    let library = load(&folders);
    let entry = library.find(&named).expect("found");
    assert_eq!(entry.path, file);
    assert_eq!(entry.id, "warm\u{fffd}up");
}

/// An exercises file several routines include, with a picture that is missing, one that is
/// not an image, one written in another case, and a definition no routine uses.
const SHARED: &str = r#"Exercises(
    format: 1,
    exercises: {
        "hold": (name: "Hold", instruction: "Hold it.", time: 30, image: "images/gone.png"),
        "swing": (name: "Swing", instruction: "Swing.", reps: 10, image: "images/text.png"),
        "spare": (name: "Spare", instruction: "Never used.", time: 20),
        "turn": (name: "Turn", instruction: "Turn.", time: 10, image: "images/TURN.png"),
    },
)
"#;

#[test]
fn routines_sharing_an_include_in_one_load_get_what_each_gets_alone() {
    // The library reads each included file and checks each picture once for the whole
    // load: every routine must still get the findings it gets loaded on its own, at the
    // same places, whether the shared file is sound or broken.
    let dir = tempfile::tempdir().expect("temp folder");
    let root = dir.path();
    std::fs::create_dir(root.join("images")).expect("images folder");
    std::fs::write(root.join("images/text.png"), "not a picture").expect("fake picture");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("routines/images/cobra.png"),
        root.join("images/turn.png"),
    )
    .expect("picture");
    std::fs::write(root.join("shared.ron"), SHARED).expect("exercises file");
    std::fs::write(root.join("broken.ron"), "Exercises(format: 1, exercises: {").expect("broken");
    let routine = |include: &str, steps: &str| {
        format!(
            "Routine(format: 1, title: \"R\", include: [{include}], sections: [Section(title: \"S\", steps: [{steps}])])"
        )
    };
    let files = [
        ("a", routine("\"shared.ron\"", "Step(exercise: \"hold\")")),
        (
            "b",
            routine(
                "\"shared.ron\"",
                "Step(exercise: \"swing\"), Step(exercise: \"turn\")",
            ),
        ),
        ("c", routine("\"broken.ron\"", "Step(exercise: \"hold\")")),
        (
            "d",
            routine(
                "\"broken.ron\", \"shared.ron\"",
                "Step(exercise: \"swing\")",
            ),
        ),
        ("e", routine("\"missing.ron\"", "Step(exercise: \"hold\")")),
    ];
    for (id, text) in &files {
        std::fs::write(root.join(format!("{id}.ron")), text).expect("routine file");
    }
    let folders = Folders {
        bundled: None,
        user: None,
        extra: vec![root.to_path_buf()],
    };
    let options = LoadOptions::default();
    let library = Library::load(&folders, options.clone());
    for (id, _) in &files {
        let entry = library.get(id).expect("every routine is listed");
        let alone = limberup::routine::load(&root.join(format!("{id}.ron")), options.clone());
        assert_eq!(entry.diagnostics, alone.diagnostics, "{id}.ron");
        assert_eq!(
            entry
                .routine
                .as_deref()
                .map(|r| serde_json::to_string(r).expect("json")),
            alone
                .routine
                .map(|r| serde_json::to_string(&r).expect("json")),
            "{id}.ron"
        );
    }
    // What the routines share is reported in each: the missing picture in a and b, the
    // broken file (at its end, where the map was left open) in c and d.
    let said = |id: &str| -> Vec<String> {
        library
            .get(id)
            .expect("listed")
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    for id in ["a", "b"] {
        assert!(
            said(id).iter().any(|d| d.contains("gone.png")),
            "{id}: {:?}",
            said(id)
        );
    }
    for id in ["c", "d"] {
        assert!(
            said(id).iter().any(|d| d.contains("broken.ron:1:")),
            "{id}: {:?}",
            said(id)
        );
    }
    assert!(
        said("b").iter().any(|d| d.contains("text.png")),
        "{:?}",
        said("b")
    );
    for id in ["a", "b", "d"] {
        assert!(
            said(id)
                .iter()
                .any(|d| d.contains("the file is called `images/turn.png`")),
            "{id}: {:?}",
            said(id)
        );
    }
}
