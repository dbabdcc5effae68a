//! The log as CSV, for a coach: a header row, then one row per session, oldest first.
//!
//! Start times are ISO 8601 on the athlete's own clock with its UTC offset
//! (`2025-03-03T07:15:00+13:00`); lengths are whole seconds; steps are summarised as counts
//! of visits done and skipped (a step under way when the session was stopped counts as
//! skipped); empty check-ins and notes are empty fields; quoting is the `csv` crate's.

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
            s.routine_id.clone(),
            s.title.clone(),
            s.status().to_owned(),
            s.planned.as_secs().to_string(),
            s.active.as_secs().to_string(),
            s.paused.as_secs().to_string(),
            s.steps_done().to_string(),
            s.steps_skipped().to_string(),
            optional(s.check_in_before),
            optional(s.check_in_after),
            s.note.clone().unwrap_or_default(),
            s.content_hash.clone(),
            match s.source {
                super::EntrySource::App => "app",
                super::EntrySource::Jsonl => "imported",
            }
            .to_owned(),
            s.levels.clone().unwrap_or_default(),
            s.variant.clone().unwrap_or_default(),
        ])?;
    }
    writer.flush()
}
