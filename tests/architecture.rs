//! The dependency rules of ARCHITECTURE.md, checked on the source: the window (`app`) and
//! the command line (`cli`) are only reached from `main`, never from each other or from the
//! core, and the pure core never names egui, eframe or rodio.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The module a file belongs to: `app` for `src/app/…` and `src/app.rs`, `main` for
/// `src/main.rs`.
fn module_of(file: &Path) -> String {
    let relative = file.strip_prefix(src()).expect("under src");
    let first = relative
        .components()
        .next()
        .expect("a component")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_owned()
}

/// The lines of `file` that are code (not comments), with their numbers.
fn code_lines(file: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(file).expect("readable source");
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim().to_owned()))
        .filter(|(_, line)| !line.starts_with("//"))
        .collect()
}

/// Where the files outside `allowed` name `module` (`crate::module` or `limberup::module`).
fn uses_of(module: &str, allowed: &[&str]) -> Vec<String> {
    let patterns = [format!("crate::{module}"), format!("limberup::{module}")];
    sources(&src())
        .iter()
        .filter(|file| !allowed.contains(&module_of(file).as_str()))
        .flat_map(|file| {
            code_lines(file)
                .into_iter()
                .filter(|(_, line)| {
                    patterns.iter().any(|p| {
                        line.match_indices(p.as_str()).any(|(at, _)| {
                            // `crate::app` but not `crate::application`.
                            !line[at + p.len()..]
                                .starts_with(|c: char| c.is_alphanumeric() || c == '_')
                        })
                    })
                })
                .map(|(n, line)| format!("{}:{n}: {line}", file.display()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_window_and_the_command_line_are_reached_only_from_main() {
    assert_eq!(
        uses_of("app", &["app", "main"]),
        Vec::<String>::new(),
        "`app` used outside itself and main"
    );
    assert_eq!(
        uses_of("cli", &["cli", "main"]),
        Vec::<String>::new(),
        "`cli` used outside itself and main"
    );
}

#[test]
fn the_pure_core_never_names_the_window_or_the_sound_card() {
    let core = [
        "routine",
        "timeline",
        "library",
        "history",
        "settings",
        "session",
        "reminder",
        "safe_file",
        "launch",
        "text",
        "places",
    ];
    // The window's state and command handling, tested without a window.
    let window_free = ["app/state.rs", "app/command.rs"];
    let forbidden = ["egui", "eframe", "rodio", "cpal"];
    let mut found = Vec::new();
    for file in sources(&src()) {
        let relative = file.strip_prefix(src()).expect("under src");
        let window_free = window_free.iter().any(|f| relative == Path::new(f));
        if !core.contains(&module_of(&file).as_str()) && !window_free {
            continue;
        }
        for (n, line) in code_lines(&file) {
            let words: Vec<&str> = line
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .collect();
            if let Some(name) = forbidden.iter().find(|f| words.contains(f)) {
                found.push(format!("{}:{n}: `{name}` in {line}", file.display()));
            }
        }
    }
    assert_eq!(
        found,
        Vec::<String>::new(),
        "the core stays free of the window and the sound card"
    );
}

#[test]
fn the_search_finds_the_uses_that_are_allowed() {
    // The rules above can fail: with `main` not allowed, its use of `app` is found.
    let from_main = uses_of("app", &["app"]);
    assert!(
        from_main.iter().any(|u| u.contains("main.rs")),
        "main opens the window: {from_main:?}"
    );
    assert!(
        uses_of("timeline", &["timeline"]).len() > 5,
        "the audio, the app and the command line use the timeline"
    );
}
