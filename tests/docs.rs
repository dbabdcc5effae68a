//! The routine format guide, `docs/routine-format.md`, checked against the loader and the
//! binary, so the examples coaches copy cannot drift from what Limber Up reads.
//!
//! How the examples are checked:
//!
//! - Every block fenced as ` ```ron ` must be a complete file. A block whose first line is a
//!   comment naming a file (`// track-drills.ron`) stands for that file.
//! - All of them are checked in one scratch folder laid out like the bundled `routines/`
//!   folder: `images/` is a copy of the bundled `routines/images/`, so the examples name real
//!   pictures and a misspelt one fails; `sounds/` holds the clips listed in [`SOUNDS`], short
//!   silent WAV files written by the test, because Limber Up bundles no clips.
//! - An `Exercises(…)` block is written into the folder under its name (`exercises.ron` when
//!   it names none), so routine examples may include it, and is checked by loading a routine
//!   that includes it and uses each of its exercises once.
//! - A `Routine(…)` block is parsed as a file of the scratch folder, with the exercise
//!   library of the source tree for `include: ["@library"]`.
//! - Examples are there to be copied, so each must pass `limberup check --strict`: a warning
//!   fails the test as well as an error.
//!
//! The reference of every diagnostic tags each example ` ```ron error LINE:COL MESSAGE `
//! (or `warning`): checked as a file of the same scratch folder, it must give that finding
//! at that place.
//!
//! Command output shown in the guide (a ` ```text ` block right after a line such as
//! "`limberup show routines/x.ron` prints:") must be what the binary prints for the example
//! files the command names, run in a scratch folder. And every field of the format
//! (`src/routine/format.rs`) must have a row in one of the guide's reference tables.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use limberup::routine::format::ExercisesDoc;
use limberup::routine::{self, Diagnostic};

/// The guide under test.
const DOC: &str = include_str!("../docs/routine-format.md");

/// Its path, for messages.
const DOC_PATH: &str = "docs/routine-format.md";

/// The sound clips the examples may name; the test writes each one.
const SOUNDS: [&str; 3] = ["sounds/bell.wav", "sounds/gong.wav", "sounds/whistle.wav"];

/// How the examples are loaded: with the exercise library of the source tree, so examples
/// may `include: ["@library"]`.
fn options(media: routine::media::MediaCheck) -> routine::LoadOptions {
    routine::LoadOptions {
        media,
        library: Some(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("routines")
                .join(limberup::library::EXERCISE_LIBRARY_FILE),
        ),
    }
}

/// A fenced block of the guide.
struct Block {
    /// The info string of the opening fence: `ron`, `text`.
    tag: String,
    /// The 1-based line of the opening fence.
    line: usize,
    /// The text between the fences, each line ending in a newline.
    text: String,
    /// The last non-blank line before the opening fence.
    preceded_by: String,
}

impl Block {
    /// The file the block stands for, from a first line such as `// track-drills.ron`.
    fn file_name(&self) -> Option<&str> {
        let comment = self.text.lines().next()?.trim().strip_prefix("//")?;
        comment
            .split_whitespace()
            .next()
            .filter(|name| is_ron(name) && !name.contains(['/', '\\']))
    }

    /// Whether the block is a shared exercises file rather than a routine.
    fn is_exercises(&self) -> bool {
        self.text
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && !line.starts_with("//"))
            .is_some_and(|line| line.starts_with("Exercises"))
    }
}

/// Whether `path` names a `.ron` file.
fn is_ron(path: &str) -> bool {
    Path::new(path).extension().is_some_and(|e| e == "ron")
}

/// Every fenced block of `markdown`, in order.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    let mut preceded_by = String::new();
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim();
        match &mut open {
            Some(_) if trimmed == "```" => {
                blocks.extend(open.take());
                trimmed.clone_into(&mut preceded_by);
            }
            Some(block) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            None if trimmed.starts_with("```") => {
                open = Some(Block {
                    tag: trimmed.trim_start_matches('`').trim().to_owned(),
                    line: i + 1,
                    text: String::new(),
                    preceded_by: preceded_by.clone(),
                });
            }
            None if !trimmed.is_empty() => trimmed.clone_into(&mut preceded_by),
            None => {}
        }
    }
    if let Some(block) = open {
        panic!("{DOC_PATH}:{}: the block is never closed", block.line);
    }
    blocks
}

/// Fills `folder` with the pictures and clips the examples may name.
fn stage(folder: &Path) {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("routines/images");
    let images = folder.join("images");
    std::fs::create_dir_all(&images).expect("a scratch images folder");
    for entry in std::fs::read_dir(&bundled).expect("the bundled pictures are in routines/images") {
        let path = entry.expect("a bundled picture").path();
        if let (true, Some(name)) = (path.is_file(), path.file_name()) {
            std::fs::copy(&path, images.join(name)).expect("a copy of a bundled picture");
        }
    }
    for clip in SOUNDS {
        let path = folder.join(clip);
        std::fs::create_dir_all(path.parent().expect("clips are in a folder"))
            .expect("a scratch sounds folder");
        std::fs::write(path, silent_wav()).expect("a scratch clip");
    }
}

/// A tenth of a second of silence: 8 kHz, mono, 16 bit PCM.
fn silent_wav() -> Vec<u8> {
    const RATE: u32 = 8000;
    let data = vec![0_u8; 1600];
    let data_len = u32::try_from(data.len()).expect("a short clip");
    let mut wav = Vec::new();
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16_u32.to_le_bytes());
    wav.extend_from_slice(&1_u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1_u16.to_le_bytes()); // mono
    wav.extend_from_slice(&RATE.to_le_bytes());
    wav.extend_from_slice(&(RATE * 2).to_le_bytes()); // bytes a second
    wav.extend_from_slice(&2_u16.to_le_bytes()); // bytes a frame
    wav.extend_from_slice(&16_u16.to_le_bytes()); // bits a sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    wav.extend_from_slice(&data);
    wav
}

/// A routine that includes the exercises file `name` (the text of `block`) and uses each of
/// its exercises once. An exercises file that does not parse gives a routine without steps;
/// loading it then reports the parse error where it is.
fn routine_using(name: &str, block: &Block) -> String {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let ids: Vec<String> = options
        .from_str::<ExercisesDoc>(&block.text)
        .map(|doc| doc.exercises.into_keys().collect())
        .unwrap_or_default();
    let steps: Vec<String> = ids
        .iter()
        .map(|id| format!("        Step(exercise: {id:?}),\n"))
        .collect();
    let steps = steps.concat();
    format!(
        "Routine(format: 1, title: \"Check\", include: [{name:?}], sections: [\n    Section(title: \"All\", steps: [\n{steps}    ]),\n])\n"
    )
}

/// `docs/routine-format.md:LINE: severity: message`, at the finding's line when it is in the
/// block's own `file`, else at the block.
fn describe(block: &Block, file: &Path, diagnostic: &Diagnostic) -> String {
    let line = match diagnostic.span {
        Some(span) if diagnostic.file == file => block.line + span.start.line,
        _ => block.line,
    };
    format!(
        "{DOC_PATH}:{line}: {}: {} ({})",
        diagnostic.severity,
        diagnostic.message,
        diagnostic.location()
    )
}

#[test]
fn every_ron_example_loads_without_findings() {
    let examples: Vec<Block> = blocks(DOC).into_iter().filter(|b| b.tag == "ron").collect();
    assert!(!examples.is_empty(), "{DOC_PATH} has no ```ron examples");
    let dir = tempfile::tempdir().unwrap();
    stage(dir.path());
    // Shared exercise files first, so that routine examples can include them.
    let mut names = HashSet::new();
    for block in examples.iter().filter(|b| b.is_exercises()) {
        let name = block.file_name().unwrap_or("exercises.ron");
        assert!(
            names.insert(name),
            "{DOC_PATH}:{}: a second example of `{name}`",
            block.line
        );
        std::fs::write(dir.path().join(name), &block.text).unwrap();
    }
    let mut failures = Vec::new();
    for block in &examples {
        let (file, origin, source) = if block.is_exercises() {
            let name = block.file_name().unwrap_or("exercises.ron");
            (
                dir.path().join(name),
                dir.path().join("check-exercises.ron"),
                routine_using(name, block),
            )
        } else {
            let origin = dir.path().join(block.file_name().unwrap_or("example.ron"));
            (origin.clone(), origin, block.text.clone())
        };
        let loaded = routine::loader::parse_with(
            &source,
            &origin,
            options(routine::media::MediaCheck::Header),
        );
        failures.extend(loaded.diagnostics.iter().map(|d| describe(block, &file, d)));
        if loaded.routine.is_none() {
            failures.push(format!(
                "{DOC_PATH}:{}: the example does not load",
                block.line
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the {} ```ron examples do not load cleanly:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}

#[test]
fn command_output_in_the_guide_is_what_the_binary_prints() {
    let all = blocks(DOC);
    let mut compared = 0;
    for block in all.iter().filter(|b| b.tag == "text") {
        let Some((command, rest)) = block
            .preceded_by
            .strip_prefix('`')
            .and_then(|line| line.split_once('`'))
            .filter(|(command, _)| command.starts_with("limberup "))
        else {
            continue;
        };
        let dir = tempfile::tempdir().unwrap();
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let mut staged = HashSet::new();
        for arg in args.iter().filter(|a| is_ron(a)) {
            let name = Path::new(arg).file_name().and_then(|n| n.to_str());
            let example = all
                .iter()
                .find(|b| name.is_some() && b.file_name() == name)
                .unwrap_or_else(|| {
                    panic!(
                        "{DOC_PATH}:{}: no example is `{}`",
                        block.line,
                        name.unwrap_or(arg)
                    )
                });
            let path = dir.path().join(arg);
            let folder = path.parent().unwrap().to_path_buf();
            if staged.insert(folder.clone()) {
                stage(&folder);
            }
            std::fs::write(&path, &example.text).unwrap();
        }
        let output = Command::new(env!("CARGO_BIN_EXE_limberup"))
            .args(&args)
            .current_dir(dir.path())
            .env("LIMBERUP_DATA_DIR", env!("CARGO_MANIFEST_DIR"))
            .env("XDG_DATA_HOME", dir.path().join("no-user-data"))
            .output()
            .expect("the binary runs");
        let printed = String::from_utf8_lossy(&output.stdout);
        // Trailing blanks do not count: editors strip them from Markdown.
        let printed_lines: Vec<&str> = printed.lines().map(str::trim_end).collect();
        let shown_lines: Vec<&str> = block.text.lines().map(str::trim_end).collect();
        if let Some(at) = (0..printed_lines.len().max(shown_lines.len()))
            .find(|&i| printed_lines.get(i) != shown_lines.get(i))
        {
            panic!(
                "{DOC_PATH}:{}: `{command}` prints something else.\n  the guide: {:?}\n  printed:   {:?}\nIt prints:\n{printed}stderr: {}",
                block.line + 1 + at,
                shown_lines.get(at),
                printed_lines.get(at),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let code = rest.split_once("exits with code ").map_or(0, |(_, code)| {
            code.trim_end_matches(':').parse().expect("an exit code")
        });
        assert_eq!(
            output.status.code(),
            Some(code),
            "{DOC_PATH}:{}: the exit code of `{command}`",
            block.line
        );
        compared += 1;
    }
    assert!(
        compared > 0,
        "{DOC_PATH} shows no command output to compare"
    );
}

#[test]
fn every_field_of_the_format_is_documented() {
    let format = include_str!("../src/routine/format.rs");
    let fields: Vec<&str> = format
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub "))
        .filter_map(|rest| rest.split_once(':'))
        .map(|(name, _)| name)
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    assert!(
        fields.len() > 30,
        "the fields of src/routine/format.rs are not found: {fields:?}"
    );
    let missing: Vec<&&str> = fields
        .iter()
        .filter(|name| !DOC.contains(&format!("| `{name}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "{DOC_PATH} has no table row for: {missing:?}"
    );
}

/// The reference of every diagnostic: each block tagged ` ```ron error LINE:COL MESSAGE `
/// (or `warning`) must give exactly that finding, at that place, when checked as a file of
/// the scratch folder.
#[test]
fn every_diagnostic_in_the_reference_is_what_the_checker_says() {
    let all = blocks(DOC);
    let dir = tempfile::tempdir().unwrap();
    stage(dir.path());
    let mut checked = 0;
    let mut failures = Vec::new();
    for block in &all {
        let Some(rest) = block.tag.strip_prefix("ron ") else {
            continue;
        };
        let (severity, rest) = rest.split_once(' ').expect("ron SEVERITY LINE:COL MESSAGE");
        let (place, message) = rest.split_once(' ').expect("ron SEVERITY LINE:COL MESSAGE");
        let origin = dir.path().join("example.ron");
        let loaded = routine::loader::parse_with(
            &block.text,
            &origin,
            options(routine::media::MediaCheck::Decode),
        );
        checked += 1;
        let found = loaded.diagnostics.iter().any(|d| {
            d.severity.to_string() == severity
                && d.message == message
                && d.span
                    .is_some_and(|s| format!("{}:{}", s.start.line, s.start.col) == place)
        });
        if !found {
            let gave: Vec<String> = loaded
                .diagnostics
                .iter()
                .map(|d| {
                    let at = d
                        .span
                        .map_or_else(String::new, |s| format!("{}:{}", s.start.line, s.start.col));
                    format!("    {} {at} {}", d.severity, d.message)
                })
                .collect();
            failures.push(format!(
                "{DOC_PATH}:{}: expected `{severity} {place} {message}`; the checker gave:\n{}",
                block.line,
                gave.join("\n")
            ));
        }
    }
    assert!(checked >= 30, "only {checked} diagnostics have examples");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The guide's table of the exercise library lists every exercise of the library by its id
/// and name, and nothing else.
#[test]
fn the_table_of_the_exercise_library_is_the_library() {
    let heading = "### The exercise library";
    let start = DOC
        .find(heading)
        .expect("the guide has a section on the library");
    let rows: Vec<(String, String)> = DOC[start..]
        .lines()
        .skip_while(|line| !line.starts_with("| id | name |"))
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            (cells[0].trim_matches('`').to_owned(), cells[1].to_owned())
        })
        .collect();
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("routines")
        .join(limberup::library::EXERCISE_LIBRARY_FILE);
    let library = limberup::library::library_exercises(&file, routine::media::MediaCheck::Exists)
        .expect("the library loads");
    let expected: Vec<(String, String)> =
        library.into_iter().map(|e| (e.id, e.step.name)).collect();
    assert_eq!(
        rows, expected,
        "{DOC_PATH}: the table of the exercise library"
    );
}
