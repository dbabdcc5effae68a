//! The log in SQLite: open (refusing a newer schema, moving a damaged file aside), migrate,
//! insert and query.
//!
//! The schema is built by [`MIGRATIONS`] from version 1 on; `PRAGMA user_version` says how
//! far a file has come. A released migration is never edited: a change is a new one.
//! The database runs in WAL mode with `synchronous=FULL`: the app writes once per session
//! (and once per check-in or note), so the extra sync per commit costs nothing a person
//! notices, and a session shown as saved survives a power cut right after. Every write is
//! one transaction.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension as _, TransactionBehavior, params,
};

use super::{EntrySource, SessionEntry, StepEntry, StepOutcome};
use crate::timeline::Side;

/// The migrations, in order: index `i` takes a file from version `i` to `i + 1`.
pub const MIGRATIONS: [&str; 2] = [
    // Version 1: sessions and their steps.
    "CREATE TABLE session (
        id              INTEGER PRIMARY KEY,
        routine_id      TEXT    NOT NULL,
        routine_title   TEXT    NOT NULL,
        content_hash    TEXT    NOT NULL,
        started_utc_ms  INTEGER NOT NULL,
        utc_offset_secs INTEGER NOT NULL,
        planned_ms      INTEGER NOT NULL,
        active_ms       INTEGER NOT NULL,
        paused_ms       INTEGER NOT NULL,
        finished        INTEGER NOT NULL CHECK (finished IN (0, 1)),
        check_in_before INTEGER CHECK (check_in_before BETWEEN 0 AND 10),
        check_in_after  INTEGER CHECK (check_in_after BETWEEN 0 AND 10),
        note            TEXT
    );
    CREATE INDEX session_started ON session (started_utc_ms);
    CREATE TABLE step (
        session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        segment    INTEGER NOT NULL,
        name       TEXT    NOT NULL,
        side       TEXT    CHECK (side IN ('left', 'right')),
        planned_ms INTEGER,
        actual_ms  INTEGER NOT NULL,
        outcome    TEXT    NOT NULL CHECK (outcome IN ('done', 'skipped', 'repeated', 'stopped')),
        PRIMARY KEY (session_id, position)
    );",
    // Version 2: where a session came from (the one-time import of `sessions.jsonl`), and a
    // small key-value table that remembers that import.
    "ALTER TABLE session ADD COLUMN source TEXT NOT NULL DEFAULT 'app'
        CHECK (source IN ('app', 'jsonl'));
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );",
];

/// The schema version this build writes and reads.
#[expect(
    clippy::cast_possible_truncation,
    reason = "a handful of migrations, known at compile time"
)]
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a write waits for another process (the CLI, a second window) holding the lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// What to do with a file that is not a readable SQLite database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnDamage {
    /// Rename it (and its `-wal`/`-shm`) aside and start an empty log: the app.
    MoveAside,
    /// Report it and leave it alone: the command line, which only reads.
    Refuse,
}

/// Something the athlete should be told about the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The file was damaged and moved aside; the log starts empty.
    MovedAside {
        /// Where the damaged file is now.
        damaged: PathBuf,
        /// What SQLite said.
        reason: String,
    },
    /// Sessions of the previous version were imported.
    Imported {
        /// How many.
        count: usize,
        /// From which file (kept).
        from: PathBuf,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MovedAside { damaged, reason } => write!(
                f,
                "The training log could not be read ({reason}), so it starts empty. The damaged \
                 file was kept as {}",
                damaged.display()
            ),
            Self::Imported { count, from } => write!(
                f,
                "{count} session{} from the previous version were imported; the old file is kept \
                 at {}",
                if *count == 1 { "" } else { "s" },
                from.display()
            ),
        }
    }
}

/// Why the log cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file's schema is newer than this build knows: it is never written to.
    #[error(
        "the training log was written by a newer version of Limber Up (schema version {found}; \
         this version reads up to {known}), so it is left untouched; update Limber Up to use it: \
         {}",
        path.display()
    )]
    Newer {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: u32,
        /// The newest this build knows.
        known: u32,
    },
    /// The file is not a readable database (with [`OnDamage::Refuse`]).
    #[error("the training log is damaged ({reason}); Limber Up moves it aside when the window next opens: {}", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        reason: String,
    },
    /// SQLite failed otherwise (permissions, a full disk, a lock held too long).
    #[error("the training log cannot be used ({source}): {}", path.display())]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A file operation failed (creating the folder, moving a damaged file).
    #[error("the training log's file cannot be handled ({source}): {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A stored value is out of range (the file was edited by hand).
    #[error("the training log holds a value Limber Up cannot read ({what}): {}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Which value.
        what: String,
    },
}

/// An opened log and what to tell the athlete about opening it.
#[derive(Debug)]
pub struct Opened {
    /// The log.
    pub store: Store,
    /// Things that happened on the way (a damaged file moved aside, an import).
    pub notices: Vec<Notice>,
}

/// The log: one SQLite connection.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Whether SQLite's error says the file is not a (healthy) database.
fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

impl Store {
    /// Opens the log at `path`, creating it (and its folder) when missing and migrating an
    /// older file. A file from a newer version is refused without a single write. A damaged
    /// file is moved aside or refused, as `on_damage` says.
    ///
    /// # Errors
    /// [`StoreError::Newer`], [`StoreError::Damaged`] (with [`OnDamage::Refuse`]), or SQLite
    /// and file errors.
    pub fn open(path: &Path, on_damage: OnDamage) -> Result<Opened, StoreError> {
        let mut notices = Vec::new();
        if path.exists() {
            match inspect(path) {
                Ok(found) if found > SCHEMA_VERSION => {
                    return Err(StoreError::Newer {
                        path: path.to_path_buf(),
                        found,
                        known: SCHEMA_VERSION,
                    });
                }
                Ok(_) => {}
                Err(error) if is_damage(&error) => {
                    let reason = error.to_string();
                    match on_damage {
                        OnDamage::Refuse => {
                            return Err(StoreError::Damaged {
                                path: path.to_path_buf(),
                                reason,
                            });
                        }
                        OnDamage::MoveAside => {
                            // A stale WAL must never be replayed into the new, empty log.
                            let damaged = crate::safe_file::move_aside(path, &["-wal", "-shm"])
                                .map_err(|source| StoreError::Io {
                                    path: path.to_path_buf(),
                                    source,
                                })?;
                            log::warn!("moved a damaged training log aside: {}", damaged.display());
                            notices.push(Notice::MovedAside { damaged, reason });
                        }
                    }
                }
                Err(source) => {
                    return Err(StoreError::Sqlite {
                        path: path.to_path_buf(),
                        source,
                    });
                }
            }
        } else if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Io {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        let mut store = Self {
            conn: Connection::open(path).map_err(|source| StoreError::Sqlite {
                path: path.to_path_buf(),
                source,
            })?,
            path: path.to_path_buf(),
        };
        store.configure().map_err(|e| store.error(e))?;
        store.migrate()?;
        Ok(Opened { store, notices })
    }

    /// The file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn configure(&self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            log::warn!("the training log runs in {mode} mode, not WAL");
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        Ok(())
    }

    /// Brings the file to [`SCHEMA_VERSION`], one migration per transaction, holding the
    /// write lock from the version check on so two processes never migrate at once.
    fn migrate(&mut self) -> Result<(), StoreError> {
        loop {
            let path = self.path.clone();
            let sqlite = |source| StoreError::Sqlite {
                path: path.clone(),
                source,
            };
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sqlite)?;
            let version: u32 = tx
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(sqlite)?;
            if version > SCHEMA_VERSION {
                return Err(StoreError::Newer {
                    path,
                    found: version,
                    known: SCHEMA_VERSION,
                });
            }
            let Some(sql) = MIGRATIONS.get(version as usize) else {
                return Ok(());
            };
            tx.execute_batch(sql).map_err(sqlite)?;
            tx.pragma_update(None, "user_version", version + 1)
                .map_err(sqlite)?;
            tx.commit().map_err(sqlite)?;
        }
    }

    /// The file's schema version.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.error(e))
    }

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
                    session.check_in_before.map(|v| v.min(super::MAX_CHECK_IN)),
                    session.check_in_after.map(|v| v.min(super::MAX_CHECK_IN)),
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
            params![value.map(|v| v.min(super::MAX_CHECK_IN)), id],
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
            source,
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
                    check_in_before, check_in_after, note, source
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

    fn invalid(&self, what: String) -> StoreError {
        StoreError::Invalid {
            path: self.path.clone(),
            what,
        }
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
        if !file.is_file() || self.meta(KEY)?.is_some() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(file).map_err(|source| StoreError::Io {
            path: file.to_path_buf(),
            source,
        })?;
        let sessions = super::import::parse_jsonl(&text, file, zone);
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
            check_in_before, check_in_after, note, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
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
            s.check_in_before.map(|v| v.min(super::MAX_CHECK_IN)),
            s.check_in_after.map(|v| v.min(super::MAX_CHECK_IN)),
            s.note,
            match s.source {
                EntrySource::App => "app",
                EntrySource::Jsonl => "jsonl",
            },
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

/// Reads a file's schema version read-only, checking that it is a healthy database.
fn inspect(path: &Path) -> rusqlite::Result<u32> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check == "ok" {
        Ok(version)
    } else {
        Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some(check),
        ))
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn duration(ms: i64) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}
