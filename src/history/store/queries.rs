//! Writing and reading sessions: each write one transaction, each read checking the values
//! it gets (a file edited by hand is reported, not trusted), and the one-time import of the
//! previous version's `sessions.jsonl`.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};
use rusqlite::{OptionalExtension as _, params};

use super::{Store, StoreError};
use crate::history::{EntrySource, MAX_CHECK_IN, SessionEntry, StepEntry, StepOutcome};
use crate::timeline::Side;

impl Store {
    /// Adds a session and its steps in one transaction; returns its id.
    ///
    /// # Errors
    /// SQLite errors (a full disk, a lock held too long).
    pub fn insert(&mut self, session: &SessionEntry) -> Result<i64, StoreError> {
        self.insert_all(std::slice::from_ref(session))
            .map(|ids| ids.first().copied().unwrap_or_default())
    }

    /// Adds sessions in one transaction; returns their ids.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn insert_all(&mut self, sessions: &[SessionEntry]) -> Result<Vec<i64>, StoreError> {
        let result = self.conn.transaction().and_then(|tx| {
            let ids = insert_in(&tx, sessions)?;
            tx.commit()?;
            Ok(ids)
        });
        result.map_err(|e| self.error(e))
    }

    /// Writes `session` as the row of the same routine started at the same moment, replacing
    /// it, or as a new row when there is none; returns its id. A session written again
    /// (from the file of sessions that waited, after a crash) never becomes two rows.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn save_by_start(&mut self, session: &SessionEntry) -> Result<i64, StoreError> {
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM session WHERE routine_id = ?1 AND started_utc_ms = ?2",
                params![session.routine_id, session.started.as_millisecond()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.error(e))?;
        match found {
            Some(id) => self.replace(id, session).map(|()| id),
            None => self.insert(session),
        }
    }

    /// Replaces session `id` with `session`: its times, outcome, check-ins, note and steps,
    /// in one transaction. A session is written when it starts and replaced at each step
    /// boundary, so a crash loses at most the step under way.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn replace(&mut self, id: i64, session: &SessionEntry) -> Result<(), StoreError> {
        let result = self.conn.transaction().and_then(|tx| {
            tx.execute(
                "UPDATE session SET planned_ms = ?1, active_ms = ?2, paused_ms = ?3,
                    finished = ?4, check_in_before = ?5, check_in_after = ?6, note = ?7
                 WHERE id = ?8",
                params![
                    millis(session.planned),
                    millis(session.active),
                    millis(session.paused),
                    session.finished,
                    session.check_in_before.map(|v| v.min(MAX_CHECK_IN)),
                    session.check_in_after.map(|v| v.min(MAX_CHECK_IN)),
                    session.note,
                    id,
                ],
            )?;
            tx.execute("DELETE FROM step WHERE session_id = ?1", params![id])?;
            insert_steps(&tx, id, &session.steps)?;
            tx.commit()
        });
        result.map_err(|e| self.error(e))
    }

    /// Sets the check-in after session `id` (from the finish screen).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn set_check_in_after(&mut self, id: i64, value: Option<u8>) -> Result<(), StoreError> {
        self.update(
            "UPDATE session SET check_in_after = ?1 WHERE id = ?2",
            params![value.map(|v| v.min(MAX_CHECK_IN)), id],
        )
    }

    /// Sets the note of session `id` (an empty note is none).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn set_note(&mut self, id: i64, note: &str) -> Result<(), StoreError> {
        let note = Some(note.trim()).filter(|n| !n.is_empty());
        self.update(
            "UPDATE session SET note = ?1 WHERE id = ?2",
            params![note, id],
        )
    }

    fn update(&mut self, sql: &str, values: impl rusqlite::Params) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sqlite = |source| StoreError::Sqlite {
            path: path.clone(),
            error: source,
        };
        let tx = self.conn.transaction().map_err(sqlite)?;
        tx.execute(sql, values).map_err(sqlite)?;
        tx.commit().map_err(sqlite)
    }

    /// Every session, oldest first, with its steps.
    ///
    /// # Errors
    /// SQLite errors, or a value out of range.
    pub fn sessions(&self) -> Result<Vec<SessionEntry>, StoreError> {
        let mut steps: HashMap<i64, Vec<StepEntry>> = HashMap::new();
        let mut query = self
            .conn
            .prepare_cached(
                "SELECT session_id, segment, name, side, planned_ms, actual_ms, outcome
                 FROM step ORDER BY session_id, position",
            )
            .map_err(|e| self.error(e))?;
        let rows = query
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        for row in rows {
            let (id, segment, name, side, planned, actual, outcome) =
                row.map_err(|e| self.error(e))?;
            let outcome = StepOutcome::parse(&outcome)
                .ok_or_else(|| self.invalid(format!("step outcome `{outcome}`")))?;
            let side = match side.as_deref() {
                None => None,
                Some("left") => Some(Side::Left),
                Some("right") => Some(Side::Right),
                Some(other) => return Err(self.invalid(format!("side `{other}`"))),
            };
            steps.entry(id).or_default().push(StepEntry {
                segment,
                name,
                side,
                planned: planned.map(duration),
                actual: duration(actual),
                outcome,
            });
        }
        let mut query = self
            .conn
            .prepare_cached(
                "SELECT id, routine_id, routine_title, content_hash, started_utc_ms,
                    utc_offset_secs, planned_ms, active_ms, paused_ms, finished,
                    check_in_before, check_in_after, note, source, levels, variant
                 FROM session ORDER BY started_utc_ms, id",
            )
            .map_err(|e| self.error(e))?;
        let rows = query
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    SessionEntry {
                        routine_id: r.get(1)?,
                        title: r.get(2)?,
                        content_hash: r.get(3)?,
                        started: Timestamp::UNIX_EPOCH,
                        offset: Offset::UTC,
                        planned: duration(r.get(6)?),
                        active: duration(r.get(7)?),
                        paused: duration(r.get(8)?),
                        finished: r.get(9)?,
                        check_in_before: r.get(10)?,
                        check_in_after: r.get(11)?,
                        note: r.get(12)?,
                        steps: Vec::new(),
                        source: if r.get::<_, String>(13)? == "jsonl" {
                            EntrySource::Jsonl
                        } else {
                            EntrySource::App
                        },
                        levels: r.get(14)?,
                        variant: r.get(15)?,
                    },
                    r.get::<_, i64>(4)?,
                    r.get::<_, i32>(5)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, mut entry, started_ms, offset_secs) = row.map_err(|e| self.error(e))?;
            entry.started = Timestamp::from_millisecond(started_ms)
                .map_err(|_| self.invalid(format!("start time {started_ms} ms")))?;
            entry.offset = Offset::from_seconds(offset_secs)
                .map_err(|_| self.invalid(format!("UTC offset {offset_secs} s")))?;
            entry.steps = steps.remove(&id).unwrap_or_default();
            out.push(entry);
        }
        Ok(out)
    }

    /// A value of the `meta` table.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.error(e))
    }

    /// Imports the previous version's `sessions.jsonl` once: sessions of a file already
    /// imported are not added again. Returns how many were added (`None`: nothing to do).
    /// Start times get the UTC offset `zone` had then, as the old lines have none.
    ///
    /// # Errors
    /// The file cannot be read, or SQLite errors. Lines that do not parse are skipped with a
    /// warning in the log.
    pub fn import_jsonl(
        &mut self,
        file: &Path,
        zone: &TimeZone,
    ) -> Result<Option<usize>, StoreError> {
        const KEY: &str = "imported_sessions_jsonl";
        // A year of sessions is well under a megabyte; a larger file is not ours.
        const MAX_JSONL_BYTES: u64 = 64 * 1024 * 1024;
        if !file.is_file() || self.meta(KEY)?.is_some() {
            return Ok(None);
        }
        let text =
            crate::safe_file::read_regular_text(file, MAX_JSONL_BYTES).map_err(|source| {
                StoreError::Io {
                    path: file.to_path_buf(),
                    source,
                }
            })?;
        let sessions = crate::history::import::parse_jsonl(&text, file, zone);
        // The sessions and the mark that they were imported go in together.
        let result = self.conn.transaction().and_then(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![
                    KEY,
                    format!("{} sessions from {}", sessions.len(), file.display())
                ],
            )?;
            insert_in(&tx, &sessions)?;
            tx.commit()
        });
        result.map_err(|e| self.error(e))?;
        Ok(Some(sessions.len()))
    }
}

/// Adds sessions and their steps inside `tx`; returns their ids.
fn insert_in(
    tx: &rusqlite::Transaction<'_>,
    sessions: &[SessionEntry],
) -> rusqlite::Result<Vec<i64>> {
    let mut add_session = tx.prepare_cached(
        "INSERT INTO session (routine_id, routine_title, content_hash, started_utc_ms,
            utc_offset_secs, planned_ms, active_ms, paused_ms, finished,
            check_in_before, check_in_after, note, source, levels, variant)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    let mut ids = Vec::with_capacity(sessions.len());
    for s in sessions {
        add_session.execute(params![
            s.routine_id,
            s.title,
            s.content_hash,
            s.started.as_millisecond(),
            s.offset.seconds(),
            millis(s.planned),
            millis(s.active),
            millis(s.paused),
            s.finished,
            s.check_in_before.map(|v| v.min(MAX_CHECK_IN)),
            s.check_in_after.map(|v| v.min(MAX_CHECK_IN)),
            s.note,
            match s.source {
                EntrySource::App => "app",
                EntrySource::Jsonl => "jsonl",
            },
            s.levels,
            s.variant,
        ])?;
        let id = tx.last_insert_rowid();
        insert_steps(tx, id, &s.steps)?;
        ids.push(id);
    }
    Ok(ids)
}

/// Adds the steps of session `id`, in order.
fn insert_steps(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    steps: &[StepEntry],
) -> rusqlite::Result<()> {
    let mut add_step = tx.prepare_cached(
        "INSERT INTO step (session_id, position, segment, name, side, planned_ms,
            actual_ms, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (position, step) in steps.iter().enumerate() {
        add_step.execute(params![
            id,
            i64::try_from(position).unwrap_or(i64::MAX),
            step.segment,
            step.name,
            step.side.map(|side| side.to_string()),
            step.planned.map(millis),
            millis(step.actual),
            step.outcome.as_str(),
        ])?;
    }
    Ok(())
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn duration(ms: i64) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}
