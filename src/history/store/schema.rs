//! The schema: the migrations that build it from version 1 on (never edited once
//! released), the connection's settings (WAL, `synchronous=FULL`, foreign keys), and the
//! read-only look at a file's version and health before anything is written.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::{Store, StoreError};

/// The migrations, in order: index `i` takes a file from version `i` to `i + 1`.
pub const MIGRATIONS: [&str; 3] = [
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
    // Version 3: the version of the routine played: its levels ("2", or "1,2,1" one per
    // levelled step) and its variant ("Match day"); NULL when played as written.
    "ALTER TABLE session ADD COLUMN levels TEXT;
    ALTER TABLE session ADD COLUMN variant TEXT;",
];

/// The schema version this build writes and reads.
#[expect(
    clippy::cast_possible_truncation,
    reason = "a handful of migrations, known at compile time"
)]
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a write waits for another process (the CLI, a second window) holding the lock.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

impl Store {
    /// Opens an existing log at `path` to read only, when it is at this build's
    /// [`SCHEMA_VERSION`]: no migration and no write, so a reader never waits on a writer
    /// (the log runs in WAL mode). `None` when the file needs a migration first.
    ///
    /// # Errors
    /// When the file is not a regular file, cannot be opened, or is from a newer version.
    pub fn open_read_only(path: &Path) -> Result<Option<Self>, StoreError> {
        let sqlite = |error| StoreError::Sqlite {
            path: path.to_path_buf(),
            error,
        };
        crate::safe_file::ensure_regular(path).map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let conn = read_only(path).map_err(sqlite)?;
        // The same look as before a write: a healthy database with the tables of its version.
        let found = check(&conn).map_err(|unfit| match unfit {
            Unfit::Sqlite(error) if super::is_damage(&error) => StoreError::Damaged {
                path: path.to_path_buf(),
                reason: super::in_words(&error),
            },
            Unfit::Sqlite(error) => sqlite(error),
            Unfit::Tables(what) => StoreError::Unexpected {
                path: path.to_path_buf(),
                what,
            },
        })?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                path: path.to_path_buf(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        Ok((found == SCHEMA_VERSION).then(|| Self {
            conn,
            path: path.to_path_buf(),
        }))
    }

    pub(super) fn configure(&self, busy: Duration) -> rusqlite::Result<()> {
        self.conn.busy_timeout(busy)?;
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
    pub(super) fn migrate(&mut self) -> Result<(), StoreError> {
        loop {
            let path = self.path.clone();
            let sqlite = |source| StoreError::Sqlite {
                path: path.clone(),
                error: source,
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
}

/// Why a file cannot be used as it is, found before anything is written.
pub(super) enum Unfit {
    /// SQLite's error: a damaged file, or another failure.
    Sqlite(rusqlite::Error),
    /// Its tables are not those of its schema version: what differs, in words.
    Tables(String),
}

impl From<rusqlite::Error> for Unfit {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error)
    }
}

/// Reads a file's schema version read-only, checking that it is a healthy database and,
/// for a version this build knows, that the tables the migrations make are there with
/// their columns (another program's `session` table is not migrated into).
pub(super) fn inspect(path: &Path) -> Result<u32, Unfit> {
    check(&read_only(path)?)
}

/// A connection that only reads `path`.
fn read_only(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// [`inspect`] on an open connection.
fn check(conn: &Connection) -> Result<u32, Unfit> {
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let health: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if health != "ok" {
        return Err(Unfit::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some(health),
        )));
    }
    if version <= SCHEMA_VERSION {
        let found = tables(conn)?;
        if let Some(what) = differences(&tables_at(version)?, &tables_at(SCHEMA_VERSION)?, &found) {
            return Err(Unfit::Tables(what));
        }
    }
    Ok(version)
}

/// Table names and their columns, by name.
type Tables = BTreeMap<String, BTreeSet<String>>;

/// The tables the migrations make up to `version`, run on a database in memory.
fn tables_at(version: u32) -> rusqlite::Result<Tables> {
    let conn = Connection::open_in_memory()?;
    for sql in MIGRATIONS.iter().take(version as usize) {
        conn.execute_batch(sql)?;
    }
    tables(&conn)
}

/// Every table of `conn` (but SQLite's own) with its columns.
fn tables(conn: &Connection) -> rusqlite::Result<Tables> {
    let names = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let mut columns = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
    let mut tables = Tables::new();
    for name in names {
        let found = columns
            .query_map([&name], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<BTreeSet<String>>>()?;
        tables.insert(name, found);
    }
    Ok(tables)
}

/// How `found` differs from `expected` in the tables Limber Up makes (those of `ours`), in
/// words: `None` when it does not. Other tables are none of ours and left out.
fn differences(expected: &Tables, ours: &Tables, found: &Tables) -> Option<String> {
    let mut said = Vec::new();
    for table in ours.keys() {
        match (expected.get(table), found.get(table)) {
            (Some(_), None) => said.push(format!("it has no `{table}` table")),
            (None, Some(_)) => said.push(format!(
                "it has a `{table}` table that a log at its schema version does not have"
            )),
            (Some(wanted), Some(has)) if wanted != has => {
                let missing: Vec<&str> = wanted.difference(has).map(String::as_str).collect();
                let other: Vec<&str> = has.difference(wanted).map(String::as_str).collect();
                let mut parts = Vec::new();
                if !missing.is_empty() {
                    parts.push(format!("lacks the columns {}", names(&missing)));
                }
                if !other.is_empty() {
                    parts.push(format!("has other columns ({})", names(&other)));
                }
                said.push(format!("its `{table}` table {}", parts.join(", and ")));
            }
            _ => {}
        }
    }
    (!said.is_empty()).then(|| said.join("; "))
}

/// `a, b, c and 4 more`.
fn names(names: &[&str]) -> String {
    const SHOWN: usize = 4;
    let mut text = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        let _ = write!(text, " and {} more", names.len() - SHOWN);
    }
    text
}
