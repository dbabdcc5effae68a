//! RON syntax errors as diagnostics an author can act on.
//!
//! The parser stops at the first error and words it for programmers. Here each one is placed
//! where the author has to look (the field name, the spot after the value a comma belongs
//! to) and gets a hint: the nearest field or variant name, what to add, or that the file is
//! of a newer format.

use std::path::Path;

use super::read::MAX_NESTING;
use super::suggest::closest;
use crate::routine::diagnostic::{Diagnostic, Position, Span, split_value_error};
use crate::routine::format::FORMAT_VERSION;
use crate::routine::source_map::{SourceMap, ValuePath};

pub(super) fn syntax_diagnostic(
    error: &ron::error::SpannedError,
    map: &SourceMap,
    source: &str,
    origin: &Path,
) -> Diagnostic {
    use ron::error::Error as E;
    // A newer format explains most failures of a newer file better than the failure itself.
    if let Some(found) = format_version(map, source).filter(|&v| v != FORMAT_VERSION) {
        return Diagnostic::error(
            origin,
            format!("this file is format {found}; this Limber Up reads format {FORMAT_VERSION}"),
        )
        .at(map.span(&ValuePath::ROOT.field("format")), source)
        .with_hint("update Limber Up, or ask the author for a format 1 file");
    }
    let start = skip_blanks(
        source,
        Position::new(error.span.start.line, error.span.start.col),
    );
    let end = Position::new(error.span.end.line, error.span.end.col).max(start);
    let mut span = Span { start, end };
    let (message, hint) = match &error.code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            // ron points after the field name; point at the name itself.
            if let Some(at) = find_backwards(source, end, found) {
                let end = Position::new(at.line, at.col + found.chars().count());
                span = Span { start: at, end };
            }
            let hint = match closest(found, expected.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "the fields of {} are: {}",
                    outer.as_deref().unwrap_or("this item"),
                    expected.join(", ")
                ),
            };
            (format!("unknown field `{found}`"), Some(hint))
        }
        E::MissingStructField { field, outer } => (
            format!(
                "{} is missing the field `{field}`",
                outer.as_deref().unwrap_or("this item")
            ),
            Some(format!("add `{field}: …` to it")),
        ),
        E::DuplicateStructField { field, .. } => (
            format!("the field `{field}` is given twice"),
            Some("remove one of them".to_owned()),
        ),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => (
            format!("`{found}` is not one of {}", expected.join(", ")),
            closest(found, expected.iter().copied()).map(|b| format!("did you mean `{b}`?")),
        ),
        E::ExpectedComma | E::ExpectedArrayEnd | E::ExpectedStructLikeEnd | E::ExpectedMapEnd => {
            let message = match &error.code {
                E::ExpectedComma => "expected a comma".to_owned(),
                E::ExpectedArrayEnd => "expected a comma or the closing `]`".to_owned(),
                E::ExpectedMapEnd => "expected a comma or the closing `}`".to_owned(),
                _ => "expected a comma or the closing `)`".to_owned(),
            };
            // The comma belongs after the previous value: point just after it.
            // At the end of the file ron spans the last value: the comma goes after its end.
            let raw = Position::new(error.span.end.line, error.span.end.col);
            let previous = last_token_end(source, raw);
            span = Span::point(previous.unwrap_or(start));
            (
                message,
                Some("add a comma after the previous value".to_owned()),
            )
        }
        E::ExceededRecursionLimit => (
            format!("the file nests deeper than {MAX_NESTING} levels"),
            Some("a routine never needs this much nesting: check the brackets".to_owned()),
        ),
        E::Eof => (
            "the file ends before the routine is complete".to_owned(),
            Some("a closing bracket `)` or `]` is probably missing".to_owned()),
        ),
        E::TrailingCharacters => {
            // ron points just after the routine: the caret goes on what follows it.
            let start = next_code(source, start);
            let root = root_name(source);
            let comma = source_char(source, start) == Some(',');
            let message = if comma {
                format!("there is a comma after the {root}'s closing `)`")
            } else {
                format!("there is more after the {root}'s closing `)`")
            };
            let hint = if comma {
                format!("delete the comma: nothing may follow the {root}'s closing `)`")
            } else {
                format!(
                    "delete everything from here to the end of the file: a file holds one \
                     {root}, and a second one goes in a file of its own"
                )
            };
            span = Span::point(start);
            (message, Some(hint))
        }
        // (The settings file keeps the parser's words: it is not written by hand, and a
        // damaged one is moved aside with the reason whatever it says.)
        E::ExpectedNamedStructLike(name) if of_routine_format(name) && !has_code(source) => {
            span = Span::point(Position::new(1, 1));
            let message = if source.trim().is_empty() {
                "the file is empty"
            } else {
                "the file holds only comments"
            };
            (message.to_owned(), Some(start_hint(name)))
        }
        E::ExpectedNamedStructLike(name) if of_routine_format(name) => (
            format!("expected `{name}(` here"),
            Some(if span.start <= first_code(source) {
                start_hint(name)
            } else {
                format!("write `{name}(…)` here, or check the brackets before it")
            }),
        ),
        E::ExpectedDifferentStructName { expected, found } => (
            format!("expected `{expected}(…)` here, found `{found}(…)`"),
            Some(format!("write `{expected}(` or leave the name out")),
        ),
        // A value's own error (a duration, a count, a distance) may carry a hint.
        E::Message(message) => {
            let (message, hint) = split_value_error(message);
            (message.to_owned(), hint.map(str::to_owned))
        }
        // The parser's own words ("Expected string"), in the sentence case of the others.
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            let first = chars.next().map(|c| c.to_lowercase().collect::<String>());
            (first.unwrap_or_default() + chars.as_str(), None)
        }
    };
    let mut diagnostic = Diagnostic::error(origin, message).at(Some(span), source);
    if let Some(hint) = hint {
        diagnostic = diagnostic.with_hint(hint);
    }
    diagnostic
}

/// What the file's outermost group holds, as a coach calls it: `routine`, `exercises file`.
fn root_name(source: &str) -> &'static str {
    let code = &source[first_code(source).byte_offset(source)..];
    if code.starts_with("Exercises") {
        "exercises file"
    } else if code.starts_with("Routine") || code.starts_with('(') {
        "routine"
    } else {
        "file"
    }
}

/// Whether `name` is a group of the routine format (`Routine`, `Section`, `Step`…), whose
/// files coaches write by hand, rather than of the settings file.
fn of_routine_format(name: &str) -> bool {
    !matches!(name, "" | "Settings")
}

/// How a file of `name` (`Routine`, `Exercises`) starts, as a hint.
fn start_hint(name: &str) -> String {
    match name {
        "Routine" => {
            "a routine file starts with `Routine(`: `limberup new NAME` writes one to start from"
                .to_owned()
        }
        name => format!("the file starts with `{name}(`"),
    }
}

/// Whether `source` holds anything but white space and comments.
fn has_code(source: &str) -> bool {
    first_code_byte(source) < source.len()
}

/// The position of the first character that is neither white space nor in a comment.
fn first_code(source: &str) -> Position {
    position_of(source, first_code_byte(source))
}

/// The first position at or after `at` that is neither white space nor in a comment.
fn next_code(source: &str, at: Position) -> Position {
    let from = at.byte_offset(source);
    position_of(source, from + first_code_byte(&source[from..]))
}

/// The line and column of a byte offset.
fn position_of(source: &str, byte: usize) -> Position {
    let before = &source[..byte];
    let line = 1 + before.matches('\n').count();
    let col = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    Position::new(line, col)
}

/// The byte offset of the first character that is neither white space nor in a comment
/// (the length of the text when there is none).
fn first_code_byte(source: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = &source[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            at += trimmed.find('\n').unwrap_or(trimmed.len());
        } else if trimmed.starts_with("/*") {
            // Block comments nest in RON.
            let mut depth = 0_usize;
            let mut i = 0;
            let bytes = trimmed.as_bytes();
            while i < bytes.len() {
                if bytes[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if bytes[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            at += i.min(bytes.len());
            if i >= bytes.len() {
                return source.len();
            }
        } else {
            return at;
        }
    }
}

/// The character at `at`, if there is one.
fn source_char(source: &str, at: Position) -> Option<char> {
    source[at.byte_offset(source)..].chars().next()
}

/// The first position at or after `at` that is not white space (ron's spans start before it).
fn skip_blanks(source: &str, at: Position) -> Position {
    let Some(line) = source.lines().nth(at.line.saturating_sub(1)) else {
        return at;
    };
    let skipped = line
        .chars()
        .skip(at.col.saturating_sub(1))
        .take_while(|c| c.is_whitespace())
        .count();
    if at.col - 1 + skipped >= line.chars().count() {
        at
    } else {
        Position::new(at.line, at.col + skipped)
    }
}

/// The `format` value of a file whose parse failed, if it is a plain number.
fn format_version(map: &SourceMap, source: &str) -> Option<u32> {
    let span = map.span(&ValuePath::ROOT.field("format"))?;
    let line = source.lines().nth(span.start.line - 1)?;
    let text: String = line
        .chars()
        .skip(span.start.col - 1)
        .take_while(char::is_ascii_digit)
        .collect();
    text.parse().ok()
}

/// The position of the last `needle` that starts before `end`.
fn find_backwards(source: &str, end: Position, needle: &str) -> Option<Position> {
    let line = source.lines().nth(end.line.checked_sub(1)?)?;
    let upto: String = line.chars().take(end.col.saturating_sub(1)).collect();
    let byte = upto.rfind(needle)?;
    Some(Position::new(end.line, upto[..byte].chars().count() + 1))
}

/// Where the last value before `at` ends: skips back over white space and comments.
fn last_token_end(source: &str, at: Position) -> Option<Position> {
    let lines: Vec<&str> = source.lines().collect();
    let mut line = at.line.min(lines.len());
    let mut col = at.col.saturating_sub(1);
    while line >= 1 {
        let text = lines[line - 1];
        let code = text.find("//").map_or(text, |cut| &text[..cut]);
        let chars: Vec<char> = code.chars().take(col).collect();
        if let Some(last) = chars.iter().rposition(|c| !c.is_whitespace()) {
            return Some(Position::new(line, last + 2));
        }
        line -= 1;
        col = usize::MAX;
    }
    None
}
