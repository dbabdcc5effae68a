//! The log in SQLite: open (refusing a newer schema, moving a damaged file aside), migrate,
//! insert and query.
//!
//! The schema is built by [`MIGRATIONS`] from version 1 on; `PRAGMA user_version` says how
//! far a file has come. A released migration is never edited: a change is a new one.
//! The database runs in WAL mode with `synchronous=FULL`: the app writes once per session
//! (and once per check-in or note), so the extra sync per commit costs nothing a person
//! notices, and a session shown as saved survives a power cut right after. Every write is
//! one transaction.
//!
//! This room opens the file and says what went wrong; the schema and its migrations are in
//! `schema.rs`, the writes and reads of sessions in `queries.rs`.

mod queries;
mod schema;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode};

pub use schema::{MIGRATIONS, SCHEMA_VERSION};
use schema::{Unfit, inspect};

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
                "{} from the previous version were imported; the old file is kept at {}",
                crate::text::plural(*count, "session"),
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
    #[error("the training log cannot be used ({}): {}", in_words(error), path.display())]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// What SQLite said (shown [`in_words`], without the statement).
        error: rusqlite::Error,
    },
    /// The file's tables are not those of its schema version (another program's database,
    /// or one edited by hand), with [`OnDamage::Refuse`]: it is not written to.
    #[error(
        "the training log's tables are not what this version of Limber Up expects ({what}), \
         so it was left as it is; Limber Up moves it aside when the window next opens: {}",
        path.display()
    )]
    Unexpected {
        /// The file.
        path: PathBuf,
        /// What differs, in words.
        what: String,
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

impl StoreError {
    /// Whether another process holds the log's lock, so the same write may succeed later.
    #[must_use]
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Sqlite { error, .. } if matches!(
            error.sqlite_error_code(),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        ))
    }
}

/// What SQLite said, without the statement it said it of: an error never shows SQL.
#[must_use]
pub fn in_words(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
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
    /// A file whose tables are not those its schema version has is treated as damaged: it
    /// is moved aside or refused (before any migration could write to it).
    ///
    /// # Errors
    /// [`StoreError::Newer`], [`StoreError::Damaged`] or [`StoreError::Unexpected`] (with
    /// [`OnDamage::Refuse`]), or SQLite and file errors.
    pub fn open(path: &Path, on_damage: OnDamage) -> Result<Opened, StoreError> {
        Self::open_waiting(path, on_damage, schema::BUSY_TIMEOUT)
    }

    /// As [`Self::open`], waiting at most `busy` for a lock another program holds (the
    /// window: not at all, so no frame waits; it opens again later).
    ///
    /// # Errors
    /// As [`Self::open`]; a lock held longer than `busy` is an error that
    /// [`StoreError::is_busy`].
    pub fn open_waiting(
        path: &Path,
        on_damage: OnDamage,
        busy: std::time::Duration,
    ) -> Result<Opened, StoreError> {
        let mut notices = Vec::new();
        if path.exists() {
            // SQLite would wait forever on a named pipe: only a regular file is opened.
            crate::safe_file::ensure_regular(path).map_err(|source| StoreError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            let unfit = match inspect(path) {
                Ok(found) if found > SCHEMA_VERSION => {
                    return Err(StoreError::Newer {
                        path: path.to_path_buf(),
                        found,
                        known: SCHEMA_VERSION,
                    });
                }
                Ok(_) => None,
                Err(Unfit::Sqlite(error)) if !is_damage(&error) => {
                    return Err(StoreError::Sqlite {
                        path: path.to_path_buf(),
                        error,
                    });
                }
                Err(unfit) => Some(unfit),
            };
            if let Some(unfit) = unfit {
                let reason = match &unfit {
                    Unfit::Sqlite(error) => in_words(error),
                    Unfit::Tables(what) => what.clone(),
                };
                match (on_damage, unfit) {
                    (OnDamage::Refuse, Unfit::Sqlite(_)) => {
                        return Err(StoreError::Damaged {
                            path: path.to_path_buf(),
                            reason,
                        });
                    }
                    (OnDamage::Refuse, Unfit::Tables(what)) => {
                        return Err(StoreError::Unexpected {
                            path: path.to_path_buf(),
                            what,
                        });
                    }
                    (OnDamage::MoveAside, _) => {
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
        } else if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Io {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        let mut store = Self {
            conn: Connection::open(path).map_err(|source| StoreError::Sqlite {
                path: path.to_path_buf(),
                error: source,
            })?,
            path: path.to_path_buf(),
        };
        store.configure(busy).map_err(|e| store.error(e))?;
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
            error: source,
        }
    }

    fn invalid(&self, what: String) -> StoreError {
        StoreError::Invalid {
            path: self.path.clone(),
            what,
        }
    }
}
