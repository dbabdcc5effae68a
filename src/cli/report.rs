//! Printing diagnostics the way compilers do, with codespan-reporting.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, IsTerminal as _};
use std::path::PathBuf;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config};

use crate::routine::{Diagnostic, MAX_FILE_BYTES, Severity};
use crate::text::{escape_controls, escaped_offset};

/// Prints `diagnostics` to standard output: `file:line:col`, severity, message, the source
/// line with a caret under the column, and the hint. Colour only on a terminal.
///
/// # Errors
/// When standard output cannot be written.
pub fn print(diagnostics: &[Diagnostic]) -> io::Result<()> {
    print_with_sources(diagnostics, &BTreeMap::new())
}

/// [`print()`], taking the text of a file from `sources` when it is there (files of a bundle
/// that was refused, say, which are gone from disk).
///
/// # Errors
/// When standard output cannot be written.
pub fn print_with_sources(
    diagnostics: &[Diagnostic],
    sources: &BTreeMap<PathBuf, String>,
) -> io::Result<()> {
    let choice = if io::stdout().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    emit(&StandardStream::stdout(choice), diagnostics, sources)
}

/// [`print()`] to standard error: for a command whose standard output is its data (`-o -`).
///
/// # Errors
/// When standard error cannot be written.
pub fn eprint(diagnostics: &[Diagnostic]) -> io::Result<()> {
    let choice = if io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    emit(
        &StandardStream::stderr(choice),
        diagnostics,
        &BTreeMap::new(),
    )
}

/// Every text of a file reaches the terminal through [`escape_controls`]: the file's name,
/// its lines, and the messages and hints that quote it.
fn emit(
    stream: &StandardStream,
    diagnostics: &[Diagnostic],
    sources: &BTreeMap<PathBuf, String>,
) -> io::Result<()> {
    let mut out = stream.lock();
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<PathBuf, usize> = HashMap::new();
    // Each file's text as read: places are counted in it, then moved to where they are in
    // the text shown (`files`, with its control characters written out).
    let mut read: HashMap<usize, String> = HashMap::new();
    let config = Config::default();
    for diagnostic in diagnostics {
        let id = *ids.entry(diagnostic.file.clone()).or_insert_with(|| {
            let source = sources.get(&diagnostic.file).cloned().unwrap_or_else(|| {
                crate::safe_file::read_regular_text(&diagnostic.file, MAX_FILE_BYTES)
                    .unwrap_or_default()
            });
            // Places count from after a byte-order mark, as the loader reads the file.
            let source = match source.strip_prefix('\u{FEFF}') {
                Some(rest) => rest.to_owned(),
                None => source,
            };
            let name = escape_controls(&diagnostic.file.display().to_string()).into_owned();
            let id = files.add(name, escape_controls(&source).into_owned());
            read.insert(id, source);
            id
        });
        let source = read.get(&id).map_or("", String::as_str);
        let severity = match diagnostic.severity {
            Severity::Error => ReportSeverity::Error,
            Severity::Warning => ReportSeverity::Warning,
        };
        let message = escape_controls(&diagnostic.message);
        let mut report = Report::new(severity).with_message(message.as_ref());
        if let Some(span) = diagnostic.span.filter(|_| !source.is_empty()) {
            let start = span.start.byte_offset(source);
            let end = span.end.byte_offset(source).max(start);
            // A one-character caret for a point, the whole value when it is short, and
            // just the name of a long struct (`Step(`) rather than all of it.
            let end = if end == start {
                // A point at the end of a line stays on that line.
                if source[start..].starts_with(['\n', '\r']) {
                    start
                } else {
                    next_char_boundary(source, start)
                }
            } else if span.end.line != span.start.line || end - start > 40 {
                let head = source[start..].find(['(', '[', '{', '\n']).unwrap_or(0);
                if head == 0 {
                    next_char_boundary(source, start)
                } else {
                    start + head
                }
            } else {
                end
            };
            let shown = |offset| escaped_offset(source, offset);
            report = report.with_labels(vec![Label::primary(id, shown(start)..shown(end))]);
        }
        if let Some(hint) = &diagnostic.hint {
            report = report.with_notes(vec![format!("hint: {}", escape_controls(hint))]);
        }
        if diagnostic.span.is_none() || source.is_empty() {
            // Nothing to point at: say where anyway.
            report = report.with_message(format!(
                "{}: {message}",
                escape_controls(&diagnostic.location())
            ));
        }
        term::emit_to_write_style(&mut out, &config, &files, &report).map_err(io::Error::other)?;
    }
    Ok(())
}

fn next_char_boundary(source: &str, at: usize) -> usize {
    source[at..]
        .chars()
        .next()
        .map_or(at, |c| at + c.len_utf8())
}
