//! Reading with limits: what the loader refuses before it checks anything, and the caps on
//! what it checks.
//!
//! Files over [`MAX_FILE_BYTES`], text that is not UTF-8 and nesting deeper than
//! [`MAX_NESTING`] are refused unread or unparsed; a routine keeps at most
//! [`MAX_FINDINGS`] findings, and one holding more than [`MAX_PIECES`] timed pieces or
//! lasting longer than [`MAX_ROUTINE_TIME`] is refused.

use std::io::Read as _;
use std::path::Path;
use std::time::Duration;

use ron::extensions::Extensions;

use super::syntax;
use crate::routine::diagnostic::{Diagnostic, Position, Span};
use crate::routine::format::Sides;
use crate::routine::source_map::SourceMap;
use crate::routine::{Section, Work};

/// Routine and exercise files larger than this are refused unread.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Nesting deeper than this is refused by the parser.
pub(super) const MAX_NESTING: usize = 64;

/// At most this many findings are reported for one routine; the rest are counted.
pub(super) const MAX_FINDINGS: usize = 200;

/// The most timed pieces a routine may hold: one rep of a paced step, or one set of one
/// side of any other step, in every round. The largest bundled routine holds 124; 5,000
/// keeps every query of the player fast and small.
pub(super) const MAX_PIECES: u64 = 5_000;

/// The longest a routine may last, rests and suggested times of Done-steps included.
pub(super) const MAX_ROUTINE_TIME: Duration = Duration::from_hours(12);

/// The UTF-8 byte-order mark some editors (Windows Notepad) put at the start of a file.
const BYTE_ORDER_MARK: &str = "\u{FEFF}";

/// `source` without a byte-order mark at its start: positions count from the first
/// character the author sees.
pub(crate) fn without_bom(source: &str) -> &str {
    source.strip_prefix(BYTE_ORDER_MARK).unwrap_or(source)
}

/// Reads a text file of at most [`MAX_FILE_BYTES`], as UTF-8, without a byte-order mark.
pub(super) fn read_text(path: &Path) -> Result<String, Box<Diagnostic>> {
    let io_error = |e: std::io::Error| {
        Box::new(Diagnostic::error(
            path,
            format!("cannot read the file: {e}"),
        ))
    };
    let file = crate::safe_file::open_regular(path).map_err(io_error)?;
    let len = file.metadata().map_err(io_error)?.len();
    if len > MAX_FILE_BYTES {
        return Err(Box::new(too_large(path, len)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Box::new(too_large(path, bytes.len() as u64)));
    }
    // A byte-order mark (Windows Notepad writes one) is not part of the text.
    if bytes.starts_with(BYTE_ORDER_MARK.as_bytes()) {
        bytes.drain(..BYTE_ORDER_MARK.len());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let at = end_position(valid);
        Box::new(
            Diagnostic::error(path, "the file is not UTF-8 text")
                .at(Some(Span::point(at)), valid)
                .with_hint("save the file as UTF-8 in your editor"),
        )
    })
}

pub(super) fn too_large(path: &Path, len: u64) -> Diagnostic {
    Diagnostic::error(
        path,
        format!(
            "the file is {:.1} MiB; routine files are at most 1 MiB",
            len as f64 / 1024.0 / 1024.0
        ),
    )
    .with_hint("a routine is text: check that this is the right file")
}

fn end_position(text: &str) -> Position {
    let line = 1 + text.matches('\n').count();
    let col = 1 + text.rsplit('\n').next().map_or(0, |l| l.chars().count());
    Position::new(line, col)
}

/// The timed pieces in `section` (see [`MAX_PIECES`]) and its planned time, rounds, rests
/// and the rest after it included. Saturating: a size past the limits only has to stay past
/// them.
pub(super) fn section_size(section: &Section) -> (u64, Duration) {
    let rounds = section.rounds.max(1);
    let mut pieces = 0_u64;
    let mut time = Duration::ZERO;
    for step in &section.steps {
        let sides: u32 = if step.sides == Sides::Both { 2 } else { 1 };
        let plays = step.sets.max(1).saturating_mul(sides);
        let (ticks, work) = match &step.work {
            Work::Paced { reps, rep_time } => {
                let reps = reps.in_one_go(step.sides == Sides::Neither);
                (reps, rep_time.timer.saturating_mul(reps))
            }
            Work::Timed { time, .. } => (1, time.timer),
            Work::UntilDone { suggested, .. } => (1, suggested.map_or(Duration::ZERO, |s| s.timer)),
        };
        pieces = pieces.saturating_add(u64::from(plays) * u64::from(ticks.max(1)));
        time = time
            .saturating_add(work.saturating_mul(plays))
            .saturating_add(
                step.rest_between_sets
                    .saturating_mul(step.sets.saturating_sub(1)),
            )
            .saturating_add(step.switch_pause.saturating_mul(plays - 1))
            .saturating_add(step.rest_after);
    }
    // A section played on each side plays every step twice, with a switch between.
    let passes: u32 = if section.sides == Sides::Both { 2 } else { 1 };
    pieces = pieces.saturating_mul(u64::from(passes));
    let time = time
        .saturating_mul(passes)
        .saturating_add(section.switch_pause.saturating_mul(passes - 1))
        .saturating_mul(rounds)
        .saturating_add(section.rest_between_rounds.saturating_mul(rounds - 1))
        .saturating_add(section.rest_after);
    (pieces.saturating_mul(u64::from(rounds)), time)
}

/// `12345` as `12,345`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING)
}

/// Parses RON as routine files are parsed (the same options and nesting limit), with a
/// failure as a placed, plainly worded diagnostic about `origin`.
pub(crate) fn parse_ron<T: serde::de::DeserializeOwned>(
    source: &str,
    origin: &Path,
) -> Result<T, Box<Diagnostic>> {
    let source = without_bom(source);
    ron_options().from_str(source).map_err(|error| {
        let map = SourceMap::build(source);
        Box::new(syntax::syntax_diagnostic(&error, &map, source, origin))
    })
}
