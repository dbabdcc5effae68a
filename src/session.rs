//! A session: one routine played once, from the start to the finish screen, and its row in
//! the training log.
//!
//! Pure: no window, no sound. The app ticks it with the clock and writes it with
//! [`Log::write`] whenever [`Session::tick`] says a step boundary passed, so a session killed
//! mid-way (a crash, a flat battery, `kill -9`) loses at most the step under way. The finish
//! screen and the log read the same [`SessionEntry`]: one summary, made once.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

use crate::history::{self, OnDamage, SessionEntry, Store, StoreError};
use crate::routine::Routine;
use crate::timeline::{CueKind, Phase, Plan, PlanOptions, Player, announcement};

/// How long the words of a cue stay on the player screen.
pub const CAPTION_TIME: Duration = Duration::from_secs(4);

/// The longest a session's clock waits at its start for the sound device to be ready (it
/// opens when the routine's page shows, or at the start when the launch plays a routine
/// at once, and its clock is known about 0.6 s later); past this it starts, and sound
/// joins late.
pub const SOUND_START_WAIT: Duration = Duration::from_secs(2);

/// Where a session is in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// Not written yet (the clock has not started, or the log is off or failing).
    Unsaved,
    /// Written, with this id.
    Saved(i64),
}

/// A routine being played, or just ended.
pub struct Session {
    routine: Arc<Routine>,
    player: Player,
    started: Timestamp,
    offset: Offset,
    check_in_before: Option<u8>,
    check_in_after: Option<u8>,
    note: String,
    /// Set while the clock waits for the sound device, so the opening is heard whole: the
    /// latest moment it starts anyway.
    waits_for_sound_until: Option<Duration>,
    /// The words of the last cue that is not a step's own announcement, and until when.
    caption: Option<(String, Duration)>,
    /// What the last write saw: the segment under way and the player's generation (which
    /// every command changes). A difference is a step boundary, or a press, to write.
    written_at: Option<(usize, u64)>,
    row: Row,
    /// The last write failed (the log was busy): the log is behind this session.
    unsaved: bool,
    /// The session as it ended (finished or stopped); `None` while it plays.
    ended: Option<SessionEntry>,
}

/// What a tick found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tick {
    /// A step ended or began, or a command changed the session, since the last write: the
    /// log's row is behind.
    pub boundary: bool,
    /// The routine ran to its end.
    pub finished: bool,
}

impl Session {
    /// A session of `routine` planned with `options` (its lead-in is also the "get ready"
    /// after each resume), created at `now` (`wall` by the wall clock, in `zone`). Its clock
    /// waits for [`Session::begin`].
    #[must_use]
    pub fn new(
        routine: Arc<Routine>,
        options: PlanOptions,
        now: Duration,
        wall: SystemTime,
        zone: &TimeZone,
    ) -> Self {
        let lead_in = options.lead_in;
        let plan = Arc::new(Plan::with_options(Arc::clone(&routine), options));
        let started = history::timestamp(wall);
        Self {
            routine,
            player: Player::new(plan, lead_in),
            started,
            offset: zone.to_offset(started),
            check_in_before: None,
            check_in_after: None,
            note: String::new(),
            waits_for_sound_until: Some(now + SOUND_START_WAIT),
            caption: None,
            written_at: None,
            row: Row::Unsaved,
            unsaved: false,
            ended: None,
        }
    }

    /// Starts the clock if it waits and the sound is ready, or has been waited for long
    /// enough. Returns whether it started now.
    pub fn begin(&mut self, sound_ready: bool, now: Duration) -> bool {
        match self.waits_for_sound_until {
            Some(until) if sound_ready || now >= until => {
                self.player.start(now);
                self.waits_for_sound_until = None;
                true
            }
            _ => false,
        }
    }

    /// Whether the clock still waits for the sound.
    #[must_use]
    pub fn waits_for_sound(&self) -> bool {
        self.waits_for_sound_until.is_some()
    }

    /// Hands out due cues: a step's own announcement is on screen already; the others
    /// (rest, switch, halfway, last one) become the caption. Says whether the log's row is
    /// behind and whether the routine ran to its end.
    pub fn tick(&mut self, now: Duration) -> Tick {
        if self.waits_for_sound() || self.ended.is_some() {
            return Tick::default();
        }
        for fired in self.player.tick(now) {
            if fired.cue.kind == CueKind::StepStart {
                self.caption = None;
            } else if let Some(words) = announcement(self.player.plan(), &fired.cue) {
                self.caption = Some((words, now + CAPTION_TIME));
            }
        }
        if self.caption.as_ref().is_some_and(|c| c.1 <= now) {
            self.caption = None;
        }
        let status = self.player.status(now);
        Tick {
            boundary: self.written_at != Some((status.segment, self.player.generation())),
            finished: status.phase == Phase::Finished,
        }
    }

    /// Ends the session (finished or stopped by the athlete) at `now`: its summary is fixed.
    /// Ending twice keeps the first.
    pub fn end(&mut self, now: Duration) {
        if self.ended.is_none() {
            self.ended = Some(self.entry(now));
            self.caption = None;
        }
    }

    /// The summary: as it ended, or as it stands at `now`.
    #[must_use]
    pub fn entry(&self, now: Duration) -> SessionEntry {
        if let Some(ended) = &self.ended {
            return ended.clone();
        }
        let record = self.player.record(now);
        let mut entry =
            SessionEntry::from_record(self.player.plan(), &record, self.started, self.offset);
        entry.check_in_before = self.check_in_before;
        entry.check_in_after = self.check_in_after;
        entry.note = self.written_note();
        entry
    }

    /// The summary as it ended; `None` while it plays.
    #[must_use]
    pub fn summary(&self) -> Option<&SessionEntry> {
        self.ended.as_ref()
    }

    /// The routine being played.
    #[must_use]
    pub fn routine(&self) -> &Arc<Routine> {
        &self.routine
    }

    /// The player.
    #[must_use]
    pub fn player(&self) -> &Player {
        &self.player
    }

    /// The player, for a command (none once the session ended).
    pub fn player_mut(&mut self) -> Option<&mut Player> {
        self.ended.is_none().then_some(&mut self.player)
    }

    /// The words of the last cue other than a step's announcement, while they show.
    #[must_use]
    pub fn caption(&self) -> Option<&str> {
        self.caption.as_ref().map(|c| c.0.as_str())
    }

    /// When the caption goes.
    #[must_use]
    pub fn caption_until(&self) -> Option<Duration> {
        self.caption.as_ref().map(|c| c.1)
    }

    /// The check-in given before the start, 0 to 10.
    #[must_use]
    pub fn check_in_before(&self) -> Option<u8> {
        self.check_in_before
    }

    /// Sets the check-in given before the start.
    pub fn set_check_in_before(&mut self, value: Option<u8>) {
        self.check_in_before = value.map(|v| v.min(history::MAX_CHECK_IN));
    }

    /// The check-in given on the finish screen.
    #[must_use]
    pub fn check_in_after(&self) -> Option<u8> {
        self.check_in_after
    }

    /// Sets the check-in on the finish screen; the summary follows.
    pub fn set_check_in_after(&mut self, value: u8) {
        let value = value.min(history::MAX_CHECK_IN);
        self.check_in_after = Some(value);
        if let Some(ended) = &mut self.ended {
            ended.check_in_after = Some(value);
        }
    }

    /// The note typed on the finish screen.
    pub fn note_mut(&mut self) -> &mut String {
        &mut self.note
    }

    /// The note as the log keeps it: trimmed, and none when empty.
    fn written_note(&self) -> Option<String> {
        Some(self.note.trim().to_owned()).filter(|n| !n.is_empty())
    }

    /// Copies the note into the summary (before it is written).
    fn settle_note(&mut self) {
        let note = self.written_note();
        if let Some(ended) = &mut self.ended {
            ended.note = note;
        }
    }

    /// Whether the last write of it failed because the log was busy: the log is behind it
    /// until a later write succeeds.
    #[must_use]
    pub fn unsaved(&self) -> bool {
        self.unsaved
    }

    /// Its row in the log: unsaved, or saved under this id.
    #[must_use]
    pub fn row(&self) -> Row {
        self.row
    }

    /// How long until the session next needs a frame: the next change of the player, or the
    /// caption going; `None` when nothing is due.
    #[must_use]
    pub fn wake(&self, now: Duration) -> Option<Duration> {
        let player = if self.ended.is_some() {
            None
        } else {
            self.player.time_until_next_change(now)
        };
        let caption = self.caption_until().map(|until| until.saturating_sub(now));
        [player, caption].into_iter().flatten().min()
    }
}

/// The file beside the log where sessions wait while the log is busy.
pub const PENDING_FILE_NAME: &str = "history-pending.sqlite3";

/// The training log as the app has it.
pub enum Log {
    /// Sessions are not kept (no data folder, or tests that ask for none).
    Off,
    /// The open log.
    Open(Store),
    /// Another program held the log's lock when it was opened: it is opened again at the
    /// next write or [`Log::reopen`], and sessions wait in memory meanwhile.
    Busy {
        /// The file.
        db: PathBuf,
        /// The zone the import of the previous version's file needs.
        zone: TimeZone,
    },
    /// The log cannot be used, and why (shown on the history screen).
    Disabled(String),
}

impl Log {
    /// Opens the log at `db` (`None`: off), importing the previous version's file once;
    /// with what to tell the athlete about it.
    #[must_use]
    pub fn open(db: Option<&Path>, zone: &TimeZone) -> (Self, Vec<String>) {
        let Some(db) = db else {
            return (Self::Off, Vec::new());
        };
        // The window never waits on another program's lock: a busy log is opened or written
        // again later (see `State::retry_log`), so no frame freezes.
        match history::open_log_waiting(db, OnDamage::MoveAside, zone, Duration::ZERO) {
            Ok(opened) => {
                let mut notices: Vec<String> =
                    opened.notices.iter().map(ToString::to_string).collect();
                let mut log = Self::Open(opened.store);
                // Sessions a run that ended while the log was busy left beside it.
                match log.take_pending() {
                    Ok(0) => {}
                    Ok(count) => notices.push(format!(
                        "{} that waited while the training log was busy {} now saved",
                        crate::text::plural(count, "session"),
                        if count == 1 { "is" } else { "are" }
                    )),
                    Err(error) => log::warn!("{error}"),
                }
                (log, notices)
            }
            Err(error) if error.is_busy() => {
                log::warn!("{error}");
                (
                    Self::Busy {
                        db: db.to_path_buf(),
                        zone: zone.clone(),
                    },
                    Vec::new(),
                )
            }
            Err(error) => {
                log::warn!("{error}");
                (
                    Self::Disabled(format!("The training log is off: {error}")),
                    Vec::new(),
                )
            }
        }
    }

    /// Writes `session` as it stands at `now`: its row is added the first time, replaced
    /// after. A session whose clock has not started is not written.
    ///
    /// # Errors
    /// The log's; the session stays unsaved (or as last written) and the next write tries
    /// again.
    pub fn write(&mut self, session: &mut Session, now: Duration) -> Result<(), StoreError> {
        if session.waits_for_sound() {
            return Ok(());
        }
        session.settle_note();
        let status = session.player.status(now);
        session.written_at = Some((status.segment, session.player.generation()));
        // Behind until this write succeeds.
        session.unsaved = true;
        if matches!(self, Self::Busy { .. }) {
            self.reopen()?;
        }
        let Self::Open(store) = self else {
            session.unsaved = false;
            return Ok(());
        };
        let entry = session.entry(now);
        match session.row {
            // By its start: a row the file of waiting sessions brought back is this one.
            Row::Unsaved => session.row = Row::Saved(store.save_by_start(&entry)?),
            Row::Saved(id) => store.replace(id, &entry)?,
        }
        session.unsaved = false;
        Ok(())
    }

    /// Keeps `entries` (sessions the log could not take: it was busy) on disk beside it, in
    /// `history-pending.sqlite3`, so a crash before the log takes them loses nothing: the
    /// next open writes them into the log ([`Log::take_pending`]).
    ///
    /// # Errors
    /// The file cannot be written (the sessions still wait in memory).
    pub fn keep_pending(&self, entries: &[SessionEntry]) -> Result<(), StoreError> {
        let Some(pending) = self.pending_path() else {
            return Ok(());
        };
        let mut store = Store::open(&pending, OnDamage::MoveAside)?.store;
        for entry in entries {
            store.save_by_start(entry)?;
        }
        Ok(())
    }

    /// Writes the sessions kept on disk by [`Log::keep_pending`] (this run's, or a run that
    /// ended before the log took them) into the open log, and removes the file. Returns how
    /// many there were.
    ///
    /// # Errors
    /// The log's (the file stays for the next try).
    pub fn take_pending(&mut self) -> Result<usize, StoreError> {
        let Some(pending) = self.pending_path().filter(|p| p.is_file()) else {
            return Ok(0);
        };
        let Self::Open(store) = self else {
            return Ok(0);
        };
        let entries = Store::open(&pending, OnDamage::MoveAside)?
            .store
            .sessions()?;
        for entry in &entries {
            store.save_by_start(entry)?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut file = pending.as_os_str().to_owned();
            file.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(file));
        }
        Ok(entries.len())
    }

    /// Where sessions that wait for the log are kept: beside it.
    fn pending_path(&self) -> Option<PathBuf> {
        let db = match self {
            Self::Open(store) => store.path(),
            Self::Busy { db, .. } => db.as_path(),
            Self::Off | Self::Disabled(_) => return None,
        };
        Some(db.with_file_name(PENDING_FILE_NAME))
    }

    /// Opens a log that was busy again; still busy, it stays so and says why.
    ///
    /// # Errors
    /// The lock is still held (the log stays [`Log::Busy`]).
    pub fn reopen(&mut self) -> Result<(), StoreError> {
        let Self::Busy { db, zone } = self else {
            return Ok(());
        };
        let (db, zone) = (db.clone(), zone.clone());
        match history::open_log_waiting(&db, OnDamage::MoveAside, &zone, Duration::ZERO) {
            Ok(opened) => {
                *self = Self::Open(opened.store);
                self.take_pending().map(drop)
            }
            Err(error) if error.is_busy() => Err(error),
            Err(error) => {
                *self = Self::Disabled(format!("The training log is off: {error}"));
                Err(error)
            }
        }
    }

    /// Every session, oldest first; `None` when the log is off.
    ///
    /// # Errors
    /// The log's.
    pub fn sessions(&self) -> Result<Option<Vec<SessionEntry>>, StoreError> {
        match self {
            Self::Open(store) => store.sessions().map(Some),
            Self::Off | Self::Busy { .. } | Self::Disabled(_) => Ok(None),
        }
    }

    /// Why sessions are not kept; `None` when they are.
    #[must_use]
    pub fn unavailable(&self) -> Option<&str> {
        match self {
            Self::Open(_) => None,
            Self::Off => Some("Sessions are not kept: this system has no data folder."),
            Self::Busy { .. } => Some(
                "The training log is busy: another program is using it. Limber Up tries again \
                 and keeps your sessions until it can save them.",
            ),
            Self::Disabled(reason) => Some(reason),
        }
    }
}
