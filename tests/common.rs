//! Helpers shared by the integration tests.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

use limberup::routine::{self, Diagnostic, Severity};

/// A routine with one section of the given steps (RON text inside `steps: [ … ]`).
pub fn routine_with_steps(steps: &str) -> String {
    format!(
        "Routine(\n    format: 1,\n    title: \"Test\",\n    sections: [\n        Section(title: \"Main\", steps: [\n{steps}\n        ]),\n    ],\n)\n"
    )
}

/// Parses `source` as if it were `test.ron` in a folder with no media.
pub fn parse(source: &str) -> routine::Loaded {
    routine::parse(source, Path::new("/nonexistent/test.ron"))
}

/// `(line, col, severity, message)` of each finding, warnings about missing
/// illustrations and instructions left out (test routines have none).
pub fn findings(source: &str) -> Vec<(usize, usize, Severity, String)> {
    parse(source)
        .diagnostics
        .into_iter()
        .filter(|d| !d.message.contains("no illustration") && !d.message.contains("no instruction"))
        .map(|d: Diagnostic| {
            let at = d.span.map_or((0, 0), |s| (s.start.line, s.start.col));
            (at.0, at.1, d.severity, d.message)
        })
        .collect()
}

/// Runs the binary as a user would, on the bundled routines and with an empty user data
/// folder of the test's own (`scratch` names it, so parallel tests never share one).
pub fn limberup(scratch: &str, args: &[&str]) -> Output {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    limberup_os(scratch, &args)
}

/// [`limberup`] with arguments as the system passes them (a path need not be UTF-8).
pub fn limberup_os(scratch: &str, args: &[&OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args(args)
        .env("LIMBERUP_DATA_DIR", env!("CARGO_MANIFEST_DIR"))
        .env("XDG_DATA_HOME", std::env::temp_dir().join(scratch))
        .output()
        .expect("the binary runs")
}
