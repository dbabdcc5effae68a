//! `limberup history [--csv] [-o FILE] [--db FILE]`: the training log as a table or CSV.

use std::io::{self, IsTerminal as _, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use jiff::tz::TimeZone;

use super::output::{Asked, Protected, STDOUT};
use crate::history::{self, SessionEntry};
use crate::places::UserPlaces;
use crate::text::{clock, escape_controls, escape_controls_in_line, plural};

/// Prints or writes the log: to standard output, or to `output` (`-` for standard output
/// too; an existing file only with `force`, and never the log itself, nor a file in the
/// routines folders, `extra` among them).
///
/// # Errors
/// No data folder, a log that cannot be opened (newer, damaged: the message names the file
/// and the versions), or output that cannot be written.
pub fn run(
    csv: bool,
    output: Asked<'_>,
    db: Option<&Path>,
    extra: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let db = match db {
        Some(db) => db.to_path_buf(),
        None => UserPlaces::of_this_user()
            .map(|places| places.training_log())
            .context("this system has no user data folder")?,
    };
    let protected = Protected::standard(extra).with_log(&db);
    let output = output.resolve_or(Path::new(STDOUT), &protected)?;
    let jsonl = db.with_file_name(history::JSONL_FILE_NAME);
    // Nothing to read: say so without creating a file.
    let sessions = if db.exists() || jsonl.is_file() {
        // Read-only where it can be: `history` never waits on the window writing a session.
        history::open_for_reading(&db, &TimeZone::system())?.sessions()?
    } else {
        Vec::new()
    };
    let mut buffer = Vec::new();
    if csv {
        history::csv::write(&sessions, &mut buffer)?;
        // On a terminal, the text is read there, not by a spreadsheet.
        if output.is_stdout() && io::stdout().is_terminal() {
            buffer = escape_controls(&String::from_utf8_lossy(&buffer))
                .into_owned()
                .into_bytes();
        }
    } else if sessions.is_empty() {
        writeln!(
            buffer,
            "no sessions yet: the log is kept in {}",
            escape_controls(&db.display().to_string())
        )?;
    } else {
        write_table(&sessions, &mut buffer)?;
    }
    output.write(&buffer)?;
    Ok(ExitCode::SUCCESS)
}

/// The log as a table, oldest first, with a closing line of totals.
///
/// # Errors
/// When `out` cannot be written.
pub fn write_table(sessions: &[SessionEntry], mut out: impl Write) -> io::Result<()> {
    // Text from the log is shown, never obeyed: a note's escape sequences, carriage returns
    // and line breaks are written out as `\u{1b}`, one row a session.
    let rows: Vec<[String; 8]> = sessions
        .iter()
        .map(|s| {
            [
                s.local_start().strftime("%Y-%m-%d %H:%M").to_string(),
                escape_controls_in_line(&s.routine_id).into_owned(),
                s.status().to_owned(),
                clock(s.active),
                clock(s.planned),
                format!("{}/{}", s.steps_done(), s.steps_skipped()),
                back_text(s),
                escape_controls_in_line(s.note.as_deref().unwrap_or_default()).into_owned(),
            ]
        })
        .collect();
    let id_width = rows
        .iter()
        .map(|row| row[1].chars().count())
        .chain(["routine".len()])
        .max()
        .unwrap_or(0);
    let header = [
        "started",
        "routine",
        "status",
        "time",
        "planned",
        "done/skip",
        "back",
        "note",
    ]
    .map(str::to_owned);
    for row in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:<16}  {:<id_width$}  {:<9}  {:>7}  {:>7}  {:>9}  {:<7}  {}",
            row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    let completed = sessions.iter().filter(|s| s.finished).count();
    let total: std::time::Duration = sessions.iter().map(|s| s.active).sum();
    writeln!(
        out,
        "{}, {completed} completed, {} in all",
        plural(sessions.len(), "session"),
        clock(total)
    )
}

/// `5 -> 3`: the check-ins before and after, `-` for one not given, empty for neither.
fn back_text(session: &SessionEntry) -> String {
    let value = |v: Option<u8>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
    match (session.check_in_before, session.check_in_after) {
        (None, None) => String::new(),
        (before, after) => format!("{} -> {}", value(before), value(after)),
    }
}
