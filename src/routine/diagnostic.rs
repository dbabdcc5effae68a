//! Findings about a routine file: severity, `file:line:col`, message, source line and hint.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The routine still plays (a missing illustration, an unused exercise).
    Warning,
    /// The routine cannot be played until it is fixed.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// A position in a source file: 1-based line and column (columns count characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl Position {
    /// A position from its 1-based line and column.
    #[must_use]
    pub const fn new(line: usize, col: usize) -> Self {
        Self { line, col }
    }

    /// Its byte offset in `source` (the end of the line, or of the text, when past it).
    #[must_use]
    pub fn byte_offset(self, source: &str) -> usize {
        let line_start: usize = source
            .split_inclusive('\n')
            .take(self.line.saturating_sub(1))
            .map(str::len)
            .sum();
        let line = &source[line_start.min(source.len())..];
        let within: usize = line
            .chars()
            .take_while(|&c| c != '\n')
            .take(self.col.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        (line_start + within).min(source.len())
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A range of source text, `start` inclusive, `end` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// Where the text starts.
    pub start: Position,
    /// Just after where it ends.
    pub end: Position,
}

impl Span {
    /// A span covering one point.
    #[must_use]
    pub const fn point(at: Position) -> Self {
        Self { start: at, end: at }
    }
}

/// One finding about one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the finding is about.
    pub file: PathBuf,
    /// Where in the file, when the finding has a place.
    pub span: Option<Span>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The text of the line `span` starts on, for display without the file at hand.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error about `file`.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file.into(), message.into())
    }

    /// A warning about `file`.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file.into(), message.into())
    }

    fn new(severity: Severity, file: PathBuf, message: String) -> Self {
        Self {
            severity,
            file,
            span: None,
            message,
            hint: None,
            source_line: None,
        }
    }

    /// Places the finding at `span` in `source`, keeping the line's text.
    #[must_use]
    pub fn at(self, span: Option<Span>, source: &str) -> Self {
        let line = span.and_then(|s| source.lines().nth(s.start.line.saturating_sub(1)));
        self.at_line(span, line)
    }

    /// [`Self::at`], given the text of the span's line (found by the caller's line index).
    #[must_use]
    pub fn at_line(mut self, span: Option<Span>, line: Option<&str>) -> Self {
        self.span = span;
        self.source_line = line.map(|line| line.chars().take(400).collect());
        self
    }

    /// Adds a hint on how to fix it.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error (not a warning).
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The `file:line:col` prefix (just `file` when there is no place).
    #[must_use]
    pub fn location(&self) -> String {
        location(&self.file, self.span)
    }
}

fn location(file: &Path, span: Option<Span>) -> String {
    match span {
        Some(span) => format!("{}:{}", file.display(), span.start),
        None => file.display().to_string(),
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: severity: message`, the one-line form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            self.severity,
            self.message
        )
    }
}

/// Drops each finding already given for the same file, place and message, keeping the
/// first: a definition's media finding reached through several steps, or a shared
/// exercises file reached through several routines.
pub fn dedup(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|d| seen.insert((d.file.clone(), d.span, d.message.clone())));
}

/// Whether any of `diagnostics` is an error.
#[must_use]
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Between a value's error message and its hint, in the one text serde carries.
const HINT_MARK: &str = "\nhint: ";

/// A value's error message with a hint for the author, as one text for serde to carry (a
/// value's `Deserialize` can only give text); the loader splits them with
/// [`split_value_error`].
#[must_use]
pub fn value_error_with_hint(message: &str, hint: &str) -> String {
    format!("{message}{HINT_MARK}{hint}")
}

/// A value's error as serde carried it: the message, and the hint if it has one.
#[must_use]
pub fn split_value_error(text: &str) -> (&str, Option<&str>) {
    match text.split_once(HINT_MARK) {
        Some((message, hint)) => (message, Some(hint)),
        None => (text, None),
    }
}
