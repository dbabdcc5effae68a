//! The log as CSV, for a coach: a header row, then one row per session, oldest first.
//!
//! Start times are ISO 8601 on the athlete's own clock with its UTC offset
//! (`2025-03-03T07:15:00+13:00`); lengths are whole seconds; steps are summarised as counts
//! of visits done and skipped (a step under way when the session was stopped counts as
//! skipped); empty check-ins and notes are empty fields; quoting is the `csv` crate's.
//!
//! A spreadsheet takes a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return as
//! a formula: every text cell that does (a title, an id, a note, levels or a variant, which a
//! stranger's bundle may have written) gets a `'` before it, as OWASP's guidance on CSV
//! injection says, so it shows as the text it is. Numbers and times written here are left as
//! they are.

use std::io::Write;

use super::SessionEntry;

/// The header row.
pub const HEADER: [&str; 16] = [
    "started",
    "routine",
    "title",
    "status",
    "planned_secs",
    "active_secs",
    "paused_secs",
    "steps_done",
    "steps_skipped",
    "check_in_before",
    "check_in_after",
    "note",
    "content_hash",
    "source",
    "levels",
    "variant",
];

/// `2025-03-03T07:15:00+13:00`: a session's start on the athlete's clock, with its offset.
#[must_use]
pub fn iso_start(session: &SessionEntry) -> String {
    session
        .local_start()
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Writes `sessions` as CSV to `out`.
///
/// # Errors
/// When `out` cannot be written.
pub fn write(sessions: &[SessionEntry], out: impl Write) -> std::io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    let optional = |v: Option<u8>| v.map_or_else(String::new, |v| v.to_string());
    for s in sessions {
        writer.write_record([
            iso_start(s),
            text_cell(&s.routine_id),
            text_cell(&s.title),
            s.status().to_owned(),
            s.planned.as_secs().to_string(),
            s.active.as_secs().to_string(),
            s.paused.as_secs().to_string(),
            s.steps_done().to_string(),
            s.steps_skipped().to_string(),
            optional(s.check_in_before),
            optional(s.check_in_after),
            text_cell(s.note.as_deref().unwrap_or_default()),
            text_cell(&s.content_hash),
            match s.source {
                super::EntrySource::App => "app",
                super::EntrySource::Jsonl => "imported",
            }
            .to_owned(),
            text_cell(s.levels.as_deref().unwrap_or_default()),
            text_cell(s.variant.as_deref().unwrap_or_default()),
        ])?;
    }
    writer.flush()
}

/// `text` as a cell a spreadsheet shows as text: with a `'` before it when it starts with a
/// character that would make it a formula.
#[must_use]
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_quoted_as_text() {
        for formula in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"x\")",
        ] {
            assert_eq!(text_cell(formula), format!("'{formula}"));
        }
        for text in ["legs heavy", "", "1+1", " =1", "'quoted", "é=mc²"] {
            assert_eq!(text_cell(text), text, "left as it is");
        }
    }
}
