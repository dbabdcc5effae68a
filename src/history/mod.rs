//! The training log: every session kept, finished or stopped, with the back check-ins.
//!
//! [`SessionEntry`] is the plain value of one session, made from the player's
//! [`SessionRecord`] when the session ends. [`store`] keeps entries in SQLite, [`stats`]
//! turns them into weeks, streaks and totals (pure: no SQLite, the time zone passed in), and
//! [`csv`] writes them for a coach. Nothing here imports egui or rodio.

pub mod csv;
mod import;
pub mod stats;
pub mod store;

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

pub use store::{Notice, OnDamage, Opened, Store, StoreError};

use crate::timeline::{Outcome, Plan, SegmentKind, SessionRecord, Side};

/// The file the previous version appended sessions to, imported once beside the log.
pub const JSONL_FILE_NAME: &str = "sessions.jsonl";

/// The highest back check-in: 0 is loose and easy, 10 very tight.
pub const MAX_CHECK_IN: u8 = 10;

/// How a visit to a step ended, as the log keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepOutcome {
    /// Ran to its end, or its Done was pressed.
    Done,
    /// The athlete skipped ahead.
    Skipped,
    /// The athlete went back (to its start or an earlier step).
    Repeated,
    /// The session was stopped during this step.
    Stopped,
}

impl StepOutcome {
    /// The word stored in the log.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Skipped => "skipped",
            Self::Repeated => "repeated",
            Self::Stopped => "stopped",
        }
    }

    /// The outcome for a stored word.
    #[must_use]
    pub fn parse(word: &str) -> Option<Self> {
        [Self::Done, Self::Skipped, Self::Repeated, Self::Stopped]
            .into_iter()
            .find(|o| o.as_str() == word)
    }
}

impl fmt::Display for StepOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One visit to one step of the routine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepEntry {
    /// The segment's index in the routine's plan.
    pub segment: u32,
    /// The step's name as it was shown.
    pub name: String,
    /// The side worked, for per-side steps.
    pub side: Option<Side>,
    /// Its planned length (`None` for a step that waits for Done).
    pub planned: Option<Duration>,
    /// Time spent in it, pauses excluded.
    pub actual: Duration,
    /// How the visit ended.
    pub outcome: StepOutcome,
}

/// Where an entry came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EntrySource {
    /// Recorded by this version of the app.
    #[default]
    App,
    /// Imported from the previous version's `sessions.jsonl` (no step details).
    Jsonl,
}

/// One session in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionEntry {
    /// The routine's id (`pre-run-warmup`).
    pub routine_id: String,
    /// The routine's title when it was played.
    pub title: String,
    /// The routine's content hash (16 hex digits), so a changed routine is told apart.
    pub content_hash: String,
    /// When it started (UTC).
    pub started: Timestamp,
    /// The UTC offset where and when it started: the athlete's own clock time.
    pub offset: Offset,
    /// The routine's planned length.
    pub planned: Duration,
    /// Time spent, pauses excluded.
    pub active: Duration,
    /// Time paused.
    pub paused: Duration,
    /// Whether the routine ran to its end (`false`: stopped early).
    pub finished: bool,
    /// "How does your back feel now?" before the routine, 0 to 10.
    pub check_in_before: Option<u8>,
    /// The same question after it, 0 to 10.
    pub check_in_after: Option<u8>,
    /// The athlete's note.
    pub note: Option<String>,
    /// Every visit to a step, in order.
    pub steps: Vec<StepEntry>,
    /// Where the entry came from.
    pub source: EntrySource,
    /// The levels played: `"2"` (every levelled step at level 2) or `"1,2,1"` (one per
    /// levelled step); `None` for a routine without levels.
    pub levels: Option<String>,
    /// The variant played (`"Match day"`); `None` for the routine as written.
    pub variant: Option<String>,
}

impl SessionEntry {
    /// The entry for a session played from `plan`, as `record` says it went.
    ///
    /// Only work segments are steps (lead-in, switches and rests are not). The step under
    /// way when a session is stopped is kept with the time spent in it, as
    /// [`StepOutcome::Stopped`].
    #[must_use]
    pub fn from_record(
        plan: &Plan,
        record: &SessionRecord,
        started: Timestamp,
        offset: Offset,
    ) -> Self {
        let routine = &plan.routine;
        let steps = record
            .segments
            .iter()
            .map(|r| (r, false))
            .chain(record.current.iter().map(|r| (r, true)))
            .filter_map(|(r, stopped)| {
                let segment = plan.segments.get(r.segment)?;
                (segment.kind == SegmentKind::Work).then(|| StepEntry {
                    segment: u32::try_from(r.segment).unwrap_or(u32::MAX),
                    name: segment.title.clone(),
                    side: segment.side,
                    planned: r.planned,
                    actual: r.actual,
                    outcome: match (stopped, r.outcome) {
                        (true, _) => StepOutcome::Stopped,
                        (false, Outcome::Completed) => StepOutcome::Done,
                        (false, Outcome::Skipped) => StepOutcome::Skipped,
                        (false, Outcome::Repeated) => StepOutcome::Repeated,
                    },
                })
            })
            .collect();
        Self {
            routine_id: routine.id.clone(),
            title: routine.title.clone(),
            content_hash: format!("{:016x}", routine.content_hash),
            started,
            offset,
            planned: plan.total().duration,
            active: record.wall.saturating_sub(record.paused),
            paused: record.paused,
            finished: record.finished,
            check_in_before: None,
            check_in_after: None,
            note: None,
            steps,
            source: EntrySource::App,
            levels: routine.levels_played(),
            variant: routine.variant.clone(),
        }
    }

    /// Visits that ended done.
    #[must_use]
    pub fn steps_done(&self) -> usize {
        self.count(StepOutcome::Done)
    }

    /// Visits skipped, including the one under way when the session was stopped.
    #[must_use]
    pub fn steps_skipped(&self) -> usize {
        self.count(StepOutcome::Skipped) + self.count(StepOutcome::Stopped)
    }

    fn count(&self, outcome: StepOutcome) -> usize {
        self.steps.iter().filter(|s| s.outcome == outcome).count()
    }

    /// The start in the athlete's own clock time then.
    #[must_use]
    pub fn local_start(&self) -> jiff::Zoned {
        self.started.to_zoned(TimeZone::fixed(self.offset))
    }

    /// "Level 2 · Match day": the version of the routine played, for the history screen;
    /// `None` for a routine played as written without levels.
    #[must_use]
    pub fn version_label(&self) -> Option<String> {
        let parts: Vec<String> = self
            .levels
            .as_deref()
            .map(crate::routine::selection::levels_label)
            .into_iter()
            .chain(self.variant.clone())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// "completed" or "stopped".
    #[must_use]
    pub fn status(&self) -> &'static str {
        if self.finished {
            "completed"
        } else {
            "stopped"
        }
    }
}

/// Opens the log as the app and `limberup history` do: [`Store::open`], then imports the
/// previous version's `sessions.jsonl` beside it once (the old file is kept). Start times
/// of imported lines get `zone`'s offset then. An import that fails is logged and tried
/// again next time; the log still opens.
///
/// # Errors
/// As [`Store::open`].
pub fn open_log(
    db: &std::path::Path,
    on_damage: OnDamage,
    zone: &TimeZone,
) -> Result<Opened, StoreError> {
    open_log_waiting(db, on_damage, zone, std::time::Duration::from_secs(3))
}

/// As [`open_log`], waiting at most `busy` for a lock another program holds (see
/// [`Store::open_waiting`]).
///
/// # Errors
/// As [`open_log`].
pub fn open_log_waiting(
    db: &std::path::Path,
    on_damage: OnDamage,
    zone: &TimeZone,
    busy: std::time::Duration,
) -> Result<Opened, StoreError> {
    let mut opened = Store::open_waiting(db, on_damage, busy)?;
    let jsonl = db.with_file_name(JSONL_FILE_NAME);
    match opened.store.import_jsonl(&jsonl, zone) {
        Ok(Some(count)) => opened.notices.push(Notice::Imported { count, from: jsonl }),
        Ok(None) => {}
        Err(error) => log::warn!("{error}"),
    }
    Ok(opened)
}

/// The log at `db`, to read: read-only when it is at this version and has no previous
/// version's file to import, so reading never waits on a writer; otherwise as
/// [`open_log`] opens it (migrating or importing first), refusing a damaged file.
///
/// # Errors
/// As [`open_log`], and [`Store::open_read_only`].
pub fn open_for_reading(db: &std::path::Path, zone: &TimeZone) -> Result<Store, StoreError> {
    if !db.with_file_name(JSONL_FILE_NAME).is_file()
        && let Some(store) = Store::open_read_only(db)?
    {
        return Ok(store);
    }
    let opened = open_log(db, OnDamage::Refuse, zone)?;
    for notice in &opened.notices {
        log::info!("{notice}");
    }
    Ok(opened.store)
}

/// The wall clock's `SystemTime` as a timestamp (the epoch when it is out of range).
#[must_use]
pub fn timestamp(at: std::time::SystemTime) -> Timestamp {
    Timestamp::try_from(at).unwrap_or(Timestamp::UNIX_EPOCH)
}
