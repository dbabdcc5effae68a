//! The window: library, routine, player, finish and history screens, settings and about.
//!
//! `logic` keeps time, reads the keyboard and talks to the player; `ui` only draws and
//! returns [`Command`]s, which are applied after drawing. Nothing here decides timing: the
//! [`Player`] does, from the injected [`Clock`].

mod finish_ui;
mod history_ui;
pub mod icon;
pub mod illustrations;
mod library_ui;
mod notify;
mod player_ui;
mod routine_ui;
mod settings_ui;
pub mod theme;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use eframe::egui::{self, Key, Modifiers};

use jiff::tz::TimeZone;

use crate::audio::{AudioSettings, AudioStatus, CueAudio};
use crate::bundle::{self, ImportError, PackError};
use crate::history::{self, OnDamage, SessionEntry, Store};
use crate::launch::{First, Launch};
use crate::library::{self, Folders, Library, Named};
use crate::reminder::{DESK_BREAK_ROUTINE, Decision, ReminderTimer};
use crate::routine::media::MediaCheck;
use crate::routine::{self, LoadOptions, Routine};
use crate::settings::{self, Settings};
use crate::timeline::{
    ADJUST_STEP, Clock, CueKind, Phase, Plan, Player, SystemClock, announcement,
};
use crate::watch::FolderWatcher;
pub use history_ui::CHART_LABEL;
use history_ui::HistoryView;
use illustrations::Illustrations;

/// The app id: the desktop file's name and `StartupWMClass`, the metainfo's id, the icon's
/// name and the window's app id (Wayland) and class (X11).
pub const APP_ID: &str = "io.github.limberup.LimberUp";

/// How long a message at the bottom of the window stays.
const TOAST_TIME: Duration = Duration::from_secs(6);

/// How long the words of a cue stay on the player screen.
const CAPTION_TIME: Duration = Duration::from_secs(4);

/// The longest a session's clock waits at Start for the sound device to be ready (it opens at
/// launch and its clock is known about 0.6 s later); past this it starts, and sound joins late.
const SOUND_START_WAIT: Duration = Duration::from_secs(2);

/// How often the app looks whether the sound device is ready while a start waits for it.
const SOUND_POLL: Duration = Duration::from_millis(20);

/// Which screen is showing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The routines.
    Library,
    /// One routine's outline, by id.
    Routine(String),
    /// A session under way.
    Player,
    /// A session just ended.
    Finish,
    /// The training log: streak, check-in chart, sessions by week.
    History,
    /// The settings.
    Settings,
    /// About, the disclaimer and the keys.
    About,
}

/// What the drawing code asks for; applied after drawing.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Show a screen.
    Show(Screen),
    /// Start the routine with this id.
    Start(String),
    /// Pause or resume.
    TogglePause,
    /// Skip ahead.
    Next,
    /// Back.
    Previous,
    /// Done (or next).
    Done,
    /// Add 10 s.
    AddTime,
    /// Remove 10 s.
    RemoveTime,
    /// Sound on or off.
    ToggleMute,
    /// Fullscreen on or off.
    ToggleFullscreen,
    /// Ask before stopping.
    AskStop,
    /// Keep going (close the question).
    CancelStop,
    /// Stop the session, keeping its record.
    Stop,
    /// Set the check-in on the finish screen.
    CheckIn(u8),
    /// Set the check-in before the routine, on its outline.
    CheckInBefore(u8),
    /// Open the desk-break routine (from the reminder).
    OpenDeskBreak,
    /// Put the reminder away until the next one.
    DismissReminder,
    /// Leave the finish screen.
    CloseFinish,
    /// Read every routine again.
    Reload,
    /// Open the user's routines folder in the file manager.
    OpenRoutinesFolder,
    /// Mark the disclaimer as read.
    AcknowledgeDisclaimer,
    /// Put away the banner of problems found at start (a damaged settings file or log).
    DismissAlerts,
}

/// How the app starts.
pub struct Options {
    /// The clock the player runs on (a manual one in tests).
    pub clock: Arc<dyn Clock>,
    /// Where to find routines.
    pub folders: Folders,
    /// A routine to open straight into the player (a path or an id: [`Named`]).
    pub play: Option<OsString>,
    /// A routine whose outline opens first, or a bundle to import (a path or an id).
    pub open: Option<OsString>,
    /// The training log, an SQLite file (`None`: sessions are not kept). A
    /// `sessions.jsonl` of the previous version beside it is imported once.
    pub history_db: Option<PathBuf>,
    /// The settings file (`None`: the defaults, never saved; tests pass settings directly).
    pub settings_file: Option<PathBuf>,
    /// The time zone for "today" and for the UTC offset stored with each session.
    pub time_zone: TimeZone,
    /// Whether to open the sound device (tests run silent).
    pub sound: bool,
    /// Whether desk-break reminders may use desktop notifications (tests use the banner).
    pub notifications: bool,
}

impl Options {
    /// The standard places, the system clock and the user's data folder, opening on what
    /// `launch` asks for.
    #[must_use]
    pub fn standard(launch: Launch) -> Self {
        let (open, play) = match launch.first {
            First::Library => (None, None),
            First::Open(routine) => (Some(routine), None),
            First::Play(routine) => (None, Some(routine)),
        };
        Self {
            clock: Arc::new(SystemClock::new()),
            folders: Folders::standard(launch.extra_folders),
            play,
            open,
            history_db: history::default_db(),
            settings_file: settings::default_file(),
            time_zone: TimeZone::system(),
            sound: true,
            notifications: true,
        }
    }
}

/// A session under way or just finished.
pub struct Session {
    /// The routine being played.
    pub routine: Arc<Routine>,
    /// The player.
    pub player: Player,
    /// When it started, by the wall clock, for the record.
    pub started: SystemTime,
    /// The check-in given on the finish screen.
    pub check_in: Option<u8>,
    /// The check-in given before the start.
    pub check_in_before: Option<u8>,
    /// Whether the record was written.
    pub saved: bool,
    /// Its id in the log, once written.
    pub log_id: Option<i64>,
    /// Set while the clock waits for the sound device, so the opening is heard whole: the
    /// latest moment it starts anyway.
    pub waits_for_sound_until: Option<Duration>,
    /// The session as it ended (finished or stopped): what the finish screen shows and the
    /// log keeps, one summary for both.
    pub summary: Option<SessionEntry>,
}

/// The training log as the app has it.
enum Log {
    /// Sessions are not kept (no data folder, or tests that ask for none).
    Off,
    /// The open log.
    Open(Store),
    /// The log cannot be used, and why (shown on the history screen).
    Disabled(String),
}

/// The app.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags of the window (a question open, fullscreen, stale pictures, a reminder due), not one state"
)]
pub struct LimberApp {
    settings: Settings,
    /// The settings as last read or written, to see when they need saving.
    saved_settings: Settings,
    options: Options,
    library: Library,
    screen: Screen,
    session: Option<Session>,
    illustrations: Illustrations,
    filter: String,
    tag: Option<String>,
    toast: Option<(String, Duration)>,
    caption: Option<(String, Duration)>,
    confirm_stop: bool,
    fullscreen: bool,
    applied: Option<(f32, settings::Theme)>,
    audio: CueAudio,
    /// Live reload; `None` when the OS refused a watcher (said in a toast).
    watcher: Option<FolderWatcher>,
    /// Illustrations changed on disk during a session; their textures are dropped after it.
    stale_pictures: bool,
    log: Log,
    log_notices: Vec<String>,
    /// Problems found at start, in a banner until dismissed.
    alerts: Vec<String>,
    history_view: Option<HistoryView>,
    /// The library screen's totals and search texts, for the library and lead-in in force.
    library_view: Option<library_ui::LibraryView>,
    check_in_before: Option<(String, u8)>,
    note: String,
    reminder: Option<ReminderTimer>,
    reminder_due: bool,
    notifications_unavailable: Option<String>,
    notifier: notify::Notifier,
}

impl LimberApp {
    /// Creates the app, reading the settings from `options.settings_file`. A damaged file
    /// is kept aside and the defaults are used; the banner says so.
    #[must_use]
    pub fn new(ctx: &egui::Context, options: Options) -> Self {
        let loaded = options
            .settings_file
            .as_deref()
            .map(settings::load)
            .unwrap_or_default();
        let mut app = Self::with_settings(ctx, options, loaded.settings);
        if let Some(notice) = loaded.notice {
            app.alerts.insert(0, notice.to_string());
        }
        app
    }

    /// Creates the app with the given settings (for tests).
    #[must_use]
    pub fn with_settings(ctx: &egui::Context, mut options: Options, settings: Settings) -> Self {
        options
            .folders
            .extra
            .extend(settings.extra_folders.iter().cloned());
        // A routine named by its path is found through its folder, like any other.
        let play = options.play.take().map(|name| Named::new(&name));
        let open = options.open.take().map(|name| Named::new(&name));
        for named in play.iter().chain(&open) {
            options.folders.add_named(named);
        }
        let library = Library::load(
            &options.folders,
            LoadOptions {
                media: MediaCheck::Header,
            },
        );
        let audio_settings = audio_settings(&settings);
        let audio = if options.sound {
            CueAudio::open(audio_settings)
        } else {
            CueAudio::silent(audio_settings)
        };
        let watcher = {
            let ctx = ctx.clone();
            FolderWatcher::new(move || ctx.request_repaint())
        };
        let (log, log_notices) = open_log(&options);
        let mut alerts = log_notices.clone();
        if let Log::Disabled(reason) = &log {
            alerts.push(reason.clone());
        }
        let notifier = notify::Notifier::new(options.notifications);
        let mut app = Self {
            saved_settings: settings.clone(),
            settings,
            options,
            library,
            screen: Screen::Library,
            session: None,
            illustrations: Illustrations::new(ctx),
            filter: String::new(),
            tag: None,
            toast: None,
            caption: None,
            confirm_stop: false,
            fullscreen: false,
            applied: None,
            audio,
            watcher: None,
            stale_pictures: false,
            log,
            log_notices,
            alerts,
            history_view: None,
            library_view: None,
            check_in_before: None,
            note: String::new(),
            reminder: None,
            reminder_due: false,
            notifications_unavailable: None,
            notifier,
        };
        match watcher {
            Ok(watcher) => {
                app.watcher = Some(watcher);
                app.watch_folders();
            }
            Err(error) => app.toast(format!("live reload is off: {error}")),
        }
        if let Some(named) = play {
            app.open_for_play(&named);
        } else if let Some(named) = open {
            if let Named::Bundle(path) = &named {
                app.import_bundle(path);
                return app;
            }
            match app.library.find(&named).map(|e| e.id.clone()) {
                Ok(id) => app.apply(Command::Show(Screen::Routine(id)), ctx),
                Err(error) => app.toast(error.to_string()),
            }
        }
        app
    }

    fn now(&self) -> Duration {
        self.options.clock.now()
    }

    /// The screen showing.
    #[must_use]
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The session, if one is under way or just finished.
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The library.
    #[must_use]
    pub fn library(&self) -> &Library {
        &self.library
    }

    fn open_for_play(&mut self, named: &Named) {
        match self.library.find(named) {
            Ok(entry) => match entry.routine.clone() {
                Some(routine) => self.start(routine),
                None => {
                    let id = entry.id.clone();
                    let first = entry
                        .diagnostics
                        .iter()
                        .find(|d| d.is_error())
                        .map(ToString::to_string);
                    self.toast(first.unwrap_or_else(|| format!("{named} cannot be played")));
                    self.screen = Screen::Routine(id);
                }
            },
            Err(error) => self.toast(error.to_string()),
        }
    }

    /// Writes the settings if they changed since the last read or write. A failed write is
    /// said once and tried again at the next change.
    fn save_settings(&mut self) {
        if self.settings == self.saved_settings {
            return;
        }
        self.saved_settings = self.settings.clone();
        if let Some(path) = &self.options.settings_file
            && let Err(error) = settings::save(path, &self.settings)
        {
            log::warn!("settings not saved to {}: {error}", path.display());
            self.toast(format!(
                "Settings could not be saved ({error}): {}",
                path.display()
            ));
        }
    }

    fn toast(&mut self, message: String) {
        let until = self.now() + TOAST_TIME;
        self.toast = Some((message, until));
    }

    /// Whether sound plays, and if not, why.
    #[must_use]
    pub fn audio_status(&self) -> &AudioStatus {
        self.audio.status()
    }

    fn lead_in(&self) -> Duration {
        Duration::from_secs(u64::from(self.settings.lead_in_secs))
    }

    fn start(&mut self, routine: Arc<Routine>) {
        let plan = Arc::new(Plan::new(Arc::clone(&routine), self.lead_in()));
        self.audio.prepare(&plan);
        let mut player = Player::new(plan, self.lead_in());
        let now = self.now();
        // The screen and the sound start together: with the device still opening (or its
        // clock not yet known), the clock waits for it, at most SOUND_START_WAIT.
        let waits_for_sound_until = if self.audio.is_ready() {
            player.start(now);
            None
        } else {
            Some(now + SOUND_START_WAIT)
        };
        let check_in_before = self
            .check_in_before
            .take()
            .filter(|(id, _)| *id == routine.id)
            .map(|(_, value)| value);
        self.session = Some(Session {
            routine,
            player,
            started: self.options.clock.wall(),
            check_in: None,
            check_in_before,
            saved: false,
            log_id: None,
            waits_for_sound_until,
            summary: None,
        });
        self.note.clear();
        self.reminder_due = false;
        self.caption = None;
        self.confirm_stop = false;
        self.screen = Screen::Player;
    }

    /// Applies one command.
    pub fn apply(&mut self, command: Command, ctx: &egui::Context) {
        let now = self.now();
        match command {
            Command::Show(screen) => {
                if let Screen::Routine(id) = &screen
                    && let Some(routine) = self.library.get(id).and_then(|e| e.routine.clone())
                {
                    // Voice renders while the athlete reads the outline.
                    self.audio.prepare(&Plan::new(routine, self.lead_in()));
                }
                if screen == Screen::History {
                    self.history_view = None;
                }
                self.screen = screen;
            }
            Command::Start(id) => {
                if let Some(routine) = self.library.get(&id).and_then(|e| e.routine.clone()) {
                    self.settings.disclaimer_seen = true;
                    self.start(routine);
                }
            }
            Command::TogglePause => self.with_player(|p| p.toggle_pause(now)),
            Command::Next => self.with_player(|p| p.next(now)),
            Command::Previous => self.with_player(|p| p.previous(now)),
            Command::Done => self.with_player(|p| p.done(now)),
            Command::AddTime => self.with_player(|p| p.add_time(ADJUST_STEP, now)),
            Command::RemoveTime => self.with_player(|p| p.remove_time(ADJUST_STEP, now)),
            Command::ToggleMute => self.settings.muted = !self.settings.muted,
            Command::ToggleFullscreen => {
                self.fullscreen = !self.fullscreen;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.fullscreen));
            }
            Command::AskStop => {
                self.with_player(|p| p.pause(now));
                self.confirm_stop = true;
            }
            Command::CancelStop => {
                self.confirm_stop = false;
                self.with_player(|p| p.resume(now));
            }
            Command::Stop => {
                self.confirm_stop = false;
                self.screen = Screen::Finish;
            }
            Command::CheckIn(value) => {
                let value = value.min(history::MAX_CHECK_IN);
                let mut id = None;
                if let Some(session) = &mut self.session {
                    session.check_in = Some(value);
                    id = session.log_id;
                }
                if let (Some(id), Log::Open(store)) = (id, &mut self.log) {
                    let written = store.set_check_in_after(id, Some(value));
                    self.written(written);
                }
            }
            Command::CheckInBefore(value) => {
                if let Screen::Routine(id) = &self.screen {
                    self.check_in_before = Some((id.clone(), value.min(history::MAX_CHECK_IN)));
                }
            }
            Command::CloseFinish => {
                self.save_session();
                self.save_note();
                self.session = None;
                self.screen = Screen::Library;
            }
            Command::OpenDeskBreak => {
                self.reminder_due = false;
                if self.screen != Screen::Player {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
                    ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
                    self.apply(
                        Command::Show(Screen::Routine(DESK_BREAK_ROUTINE.to_owned())),
                        ctx,
                    );
                }
            }
            Command::DismissReminder => self.reminder_due = false,
            Command::DismissAlerts => self.alerts.clear(),
            Command::Reload => {
                self.reload_library();
                self.toast(format!("{} routines loaded", self.library.entries.len()));
            }
            Command::OpenRoutinesFolder => self.open_routines_folder(),
            Command::AcknowledgeDisclaimer => self.settings.disclaimer_seen = true,
        }
        // A session that ended (finished or stopped) is written at once, not when the
        // finish screen is left, so a crash there loses nothing.
        if self.screen == Screen::Finish {
            self.save_session();
        }
    }

    /// Reads every routine again. A session under way keeps the routine it started with;
    /// its pictures are refreshed once it ends.
    fn reload_library(&mut self) {
        self.library = Library::load(
            &self.options.folders,
            LoadOptions {
                media: MediaCheck::Header,
            },
        );
        self.library_view = None;
        if self.screen == Screen::Player {
            self.stale_pictures = true;
        } else {
            self.illustrations.clear();
        }
        self.watch_folders();
    }

    /// Watches the routine folders that exist (the user's is made by the first import).
    fn watch_folders(&mut self) {
        let Some(watcher) = &mut self.watcher else {
            return;
        };
        let folders: Vec<PathBuf> = self
            .options
            .folders
            .all()
            .map(|(folder, _)| folder.to_path_buf())
            .collect();
        if let Err(failed) = watcher.watch(folders.iter().map(PathBuf::as_path)) {
            let (folder, error) = &failed[0];
            let message = format!("live reload is off for {}: {error}", folder.display());
            self.toast(message);
        }
    }

    /// Reloads after files changed on disk and says what it found, unless a session plays.
    fn files_changed(&mut self, changed: &std::collections::BTreeSet<PathBuf>) {
        self.reload_library();
        if self.screen == Screen::Player {
            return;
        }
        let touched: Vec<&library::Entry> = self
            .library
            .entries
            .iter()
            .filter(|e| changed.contains(&e.path))
            .collect();
        let message = match touched.as_slice() {
            [entry] => {
                let file = entry
                    .path
                    .file_name()
                    .map_or_else(|| entry.id.clone(), |n| n.to_string_lossy().into_owned());
                let errors = entry.diagnostics.iter().filter(|d| d.is_error()).count();
                match (&entry.routine, errors) {
                    (Some(routine), _) => format!("{file} changed: “{}” reloaded", routine.title),
                    (None, 1) => format!("{file} changed: 1 error, shown with the routine"),
                    (None, n) => format!("{file} changed: {n} errors, shown with the routine"),
                }
            }
            _ => format!(
                "{} changed on disk: routines reloaded",
                plural_files(changed.len())
            ),
        };
        self.toast(message);
    }

    fn with_player(&mut self, action: impl FnOnce(&mut Player)) {
        if let Some(session) = self
            .session
            .as_mut()
            .filter(|_| self.screen == Screen::Player)
        {
            action(&mut session.player);
        }
    }

    fn open_routines_folder(&mut self) {
        let Some(folder) = self.options.folders.user.clone() else {
            self.toast("this system has no user data folder".to_owned());
            return;
        };
        if let Err(error) = std::fs::create_dir_all(&folder) {
            self.toast(format!("cannot create {}: {error}", folder.display()));
            return;
        }
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else if cfg!(windows) {
            "explorer"
        } else {
            "xdg-open"
        };
        match std::process::Command::new(opener).arg(&folder).spawn() {
            Ok(_) => self.toast(format!("opened {}", folder.display())),
            Err(_) => self.toast(format!("your routines folder is {}", folder.display())),
        }
    }

    /// Writes the session, finished or stopped, to the log (once).
    fn save_session(&mut self) {
        let now = self.now();
        let Some(session) = self.session.as_mut().filter(|s| !s.saved) else {
            return;
        };
        session.saved = true;
        let record = session.player.record(now);
        let started = history::timestamp(session.started);
        let mut entry = SessionEntry::from_record(
            session.player.plan(),
            &record,
            started,
            self.options.time_zone.to_offset(started),
        );
        entry.check_in_before = session.check_in_before;
        entry.check_in_after = session.check_in;
        session.summary = Some(entry.clone());
        let Log::Open(store) = &mut self.log else {
            return;
        };
        let written = store.insert(&entry);
        if let Ok(id) = &written {
            session.log_id = Some(*id);
        }
        self.written(written.map(|_| ()));
    }

    /// Writes the finish screen's note to the session's row.
    fn save_note(&mut self) {
        let Some(id) = self.session.as_ref().and_then(|s| s.log_id) else {
            return;
        };
        if let Log::Open(store) = &mut self.log {
            let written = store.set_note(id, &self.note);
            self.written(written);
        }
    }

    /// After a write: the history view is stale; a failure is told once, as a toast.
    fn written(&mut self, result: Result<(), history::StoreError>) {
        self.history_view = None;
        if let Err(error) = result {
            log::warn!("{error}");
            self.toast(format!("the session could not be saved: {error}"));
        }
    }

    /// The history screen's numbers, computed when missing or when the goal changed.
    fn refresh_history(&mut self) {
        let goal = self.settings.weekly_goal_days;
        if self.history_view.as_ref().is_some_and(|v| v.goal() == goal) {
            return;
        }
        let Log::Open(store) = &self.log else {
            return;
        };
        match store.sessions() {
            Ok(sessions) => {
                let today = history::stats::today(
                    history::timestamp(self.options.clock.wall()),
                    &self.options.time_zone,
                );
                self.history_view = Some(HistoryView::new(sessions, goal, today));
            }
            Err(error) => {
                let message = error.to_string();
                self.log = Log::Disabled(message);
            }
        }
    }

    /// Desk-break reminders: when one is due, the banner and a desktop notification;
    /// otherwise how long until the app should look again.
    fn remind(&mut self, ctx: &egui::Context) -> Option<Duration> {
        for event in self.notifier.events() {
            match event {
                notify::NotifyEvent::Failed(reason) => {
                    if self.notifications_unavailable.is_none() {
                        log::info!(
                            "desktop notifications unavailable ({reason}); the banner shows instead"
                        );
                    }
                    self.notifications_unavailable = Some(reason);
                }
                notify::NotifyEvent::Clicked => self.apply(Command::OpenDeskBreak, ctx),
            }
        }
        if !self.settings.desk_break_reminders {
            self.reminder = None;
            self.reminder_due = false;
            return None;
        }
        let (now, wall) = (self.now(), self.options.clock.wall());
        let minutes = self.settings.desk_break_interval_mins;
        let interval = Duration::from_secs(u64::from(minutes) * 60);
        let timer = match &mut self.reminder {
            Some(timer) if timer.interval() == interval => timer,
            other => other.insert(ReminderTimer::new(interval, now, wall)),
        };
        if self.screen == Screen::Player || self.screen == Screen::Finish {
            // Playing a routine is a break from the desk.
            timer.restart(now, wall);
            return None;
        }
        match timer.poll(now, wall) {
            Decision::Wait(left) => Some(left),
            Decision::Remind => {
                self.reminder_due = true;
                self.notifier.notify(ctx, minutes);
                Some(interval.min(crate::reminder::LOOK_EVERY))
            }
        }
    }

    /// Imports a dropped file: a `.limberup` bundle as it is, a `.ron` routine packed with
    /// the exercises and pictures it uses first, so it arrives whole.
    fn import_dropped(&mut self, path: &Path) {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            bundle::EXTENSION => self.import_bundle(path),
            "ron" => {
                let packed = tempfile::tempdir()
                    .map_err(|e| e.to_string())
                    .and_then(|dir| {
                        let file = dir.path().join(format!(
                            "{}.{}",
                            routine::loader::routine_id(path),
                            bundle::EXTENSION
                        ));
                        match bundle::pack(path, &file) {
                            Ok(_) => Ok((dir, file)),
                            Err(PackError::Invalid { diagnostics, .. }) => Err(diagnostics
                                .iter()
                                .find(|d| d.is_error())
                                .map_or_else(|| "it has errors".to_owned(), ToString::to_string)),
                            Err(error) => Err(error.to_string()),
                        }
                    });
                match packed {
                    Ok((_dir, file)) => self.import_bundle(&file),
                    Err(error) => self.toast(format!("not imported: {error}")),
                }
            }
            _ => self.toast(format!(
                "{} is not a routine (.ron) or a bundle (.limberup)",
                path.display()
            )),
        }
    }

    /// Unpacks a bundle into the user's routines and opens the routine it brought.
    fn import_bundle(&mut self, path: &Path) {
        let Some(folder) = self.options.folders.user.clone() else {
            self.toast("this system has no user data folder to import into".to_owned());
            return;
        };
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match bundle::import(path, &folder, false) {
            Ok(imported) => {
                self.reload_library();
                let title = imported
                    .routines
                    .iter()
                    .find_map(|id| self.library.get(id).and_then(|e| e.routine.as_ref()))
                    .map_or_else(|| name.clone(), |r| format!("“{}”", r.title));
                self.toast(format!(
                    "imported {title} into {}",
                    imported.folder.display()
                ));
                if let Some(id) = imported.routines.first() {
                    self.screen = Screen::Routine(id.clone());
                }
            }
            Err(ImportError::Exists(existing)) => {
                self.toast(format!(
                    "{name}: {} is in your routines already and was kept; \
                     to update it: limberup import --replace {}",
                    existing.display(),
                    path.display()
                ));
                let id = existing
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if self.library.get(&id).is_some() {
                    self.screen = Screen::Routine(id);
                }
            }
            Err(ImportError::Invalid { diagnostics, .. }) => {
                let first = diagnostics
                    .iter()
                    .find(|d| d.is_error())
                    .map_or_else(|| "it has errors".to_owned(), ToString::to_string);
                self.toast(format!("{name} was not imported: {first}"));
            }
            Err(error) => self.toast(format!("{name} was not imported: {error}")),
        }
    }

    /// Keyboard shortcuts, consumed so a focused button never sees them twice.
    fn keys(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let take = |key: Key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        let screen = self.screen.clone();
        let mut commands = Vec::new();
        match screen {
            Screen::Player if self.confirm_stop => {
                if take(Key::Escape) {
                    commands.push(Command::CancelStop);
                }
                if take(Key::Enter) {
                    commands.push(Command::Stop);
                }
            }
            Screen::Player => {
                for (keys, command) in [
                    (&[Key::Space][..], Command::TogglePause),
                    (&[Key::ArrowRight, Key::N], Command::Next),
                    (&[Key::ArrowLeft, Key::P], Command::Previous),
                    (&[Key::Enter], Command::Done),
                    (&[Key::Plus, Key::Equals], Command::AddTime),
                    (&[Key::Minus], Command::RemoveTime),
                    (&[Key::M], Command::ToggleMute),
                    (&[Key::F11, Key::F], Command::ToggleFullscreen),
                    (&[Key::Escape], Command::AskStop),
                ] {
                    if keys.iter().any(|&k| take(k)) {
                        commands.push(command);
                    }
                }
                if self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.player.status(self.now()).phase == Phase::Finished)
                {
                    commands.push(Command::Show(Screen::Finish));
                }
            }
            Screen::Routine(id) => {
                if let Some(value) = digit(&take) {
                    commands.push(Command::CheckInBefore(value));
                }
                if take(Key::Enter) {
                    commands.push(Command::Start(id));
                } else if take(Key::Escape) {
                    commands.push(Command::Show(Screen::Library));
                }
            }
            Screen::Finish => {
                if let Some(value) = digit(&take) {
                    commands.push(Command::CheckIn(value));
                }
                if take(Key::Enter) || take(Key::Escape) {
                    commands.push(Command::CloseFinish);
                }
            }
            Screen::Settings | Screen::About | Screen::History => {
                if take(Key::Escape) {
                    commands.push(Command::Show(Screen::Library));
                }
            }
            Screen::Library => {
                if take(Key::F11) {
                    commands.push(Command::ToggleFullscreen);
                }
                if take(Key::H) {
                    commands.push(Command::Show(Screen::History));
                }
            }
        }
        for command in commands {
            self.apply(command, ctx);
        }
    }

    fn apply_style(&mut self, ctx: &egui::Context) {
        let wanted = (self.settings.text_scale, self.settings.theme);
        if self.applied == Some(wanted) {
            return;
        }
        theme::apply_text_scale(ctx, self.settings.text_scale);
        ctx.set_theme(match self.settings.theme {
            settings::Theme::System => egui::ThemePreference::System,
            settings::Theme::Dark => egui::ThemePreference::Dark,
            settings::Theme::Light => egui::ThemePreference::Light,
        });
        self.applied = Some(wanted);
    }
}

impl eframe::App for LimberApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.apply_style(ctx);
        if let Some(changed) = self.watcher.as_ref().and_then(FolderWatcher::try_changes) {
            self.files_changed(&changed);
        }
        if self.stale_pictures && self.screen != Screen::Player {
            self.illustrations.clear();
            self.stale_pictures = false;
        }
        self.illustrations.receive(ctx);
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        for path in dropped {
            self.import_dropped(&path);
        }
        self.keys(ctx);
        // Saved as soon as they change, but not while a slider is being dragged.
        if !ctx.input(|i| i.pointer.any_down()) {
            self.save_settings();
        }
        let now = self.now();
        let mut wake: Option<Duration> = None;
        let wanted = audio_settings(&self.settings);
        if self.audio.settings() != wanted {
            self.audio.set_settings(wanted);
        }
        for warning in self.audio.take_warnings() {
            self.toast(warning);
        }
        if self.screen != Screen::Player {
            self.audio.stop();
        }
        if let Some(session) = self
            .session
            .as_mut()
            .filter(|_| self.screen == Screen::Player)
        {
            if let Some(until) = session.waits_for_sound_until
                && (self.audio.is_ready() || now >= until)
            {
                session.player.start(now);
                session.waits_for_sound_until = None;
            }
            for fired in session.player.tick(now) {
                // A step's own announcement is on screen already; the others (rest, switch,
                // halfway, last one) show as a caption, and say it all when sound is off.
                if fired.cue.kind == CueKind::StepStart {
                    self.caption = None;
                } else if let Some(words) = announcement(session.player.plan(), &fired.cue) {
                    self.caption = Some((words, now + CAPTION_TIME));
                }
            }
            self.audio.sync(&session.player, now);
            wake = if session.waits_for_sound_until.is_some() {
                Some(SOUND_POLL)
            } else {
                session.player.time_until_next_change(now)
            };
            if session.player.status(now).phase == Phase::Finished {
                self.screen = Screen::Finish;
            }
            // Animated frames need their own pace.
            if let Some(frame_time) = player_ui::frame_time(session) {
                wake = Some(wake.map_or(frame_time, |w| w.min(frame_time)));
            }
        }
        if self.screen == Screen::Finish {
            self.save_session();
        }
        if self.screen == Screen::History {
            self.refresh_history();
        }
        if self.screen == Screen::Library
            && self
                .library_view
                .as_ref()
                .is_none_or(|v| v.lead_in() != self.lead_in())
        {
            self.library_view = Some(library_ui::LibraryView::new(&self.library, self.lead_in()));
        }
        if let Some(left) = self.remind(ctx) {
            wake = Some(wake.map_or(left, |w| w.min(left)));
        }
        // Messages expire by themselves: drop the old ones and wake for the others.
        if self.toast.as_ref().is_some_and(|t| t.1 <= now) {
            self.toast = None;
        }
        if self.caption.as_ref().is_some_and(|c| c.1 <= now) {
            self.caption = None;
        }
        for until in [
            self.toast.as_ref().map(|t| t.1),
            self.caption.as_ref().map(|c| c.1),
        ]
        .into_iter()
        .flatten()
        {
            let left = until.saturating_sub(now);
            wake = Some(wake.map_or(left, |w| w.min(left)));
        }
        if let Some(wake) = wake {
            ctx.request_repaint_after(wake);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let mut commands = Vec::new();
        let now = self.now();
        if self.screen != Screen::Player {
            egui::Panel::top("top").show(ui, |ui| self.top_bar_ui(ui, &mut commands));
        }
        if self.reminder_due && self.screen != Screen::Player {
            egui::Panel::top("reminder").show(ui, |ui| self.reminder_ui(ui, &mut commands));
        }
        if !self.alerts.is_empty() && self.screen != Screen::Player {
            egui::Panel::top("alerts").show(ui, |ui| alerts_ui(ui, &self.alerts, &mut commands));
        }
        if let Some((message, _)) = &self.toast {
            let message = message.clone();
            egui::Panel::bottom("toast").show(ui, |ui| {
                ui.add_space(4.0);
                ui.label(message);
                ui.add_space(4.0);
            });
        }
        egui::CentralPanel::default()
            .frame(egui::Frame::central_panel(ui.style()).inner_margin(theme::MARGIN))
            .show(ui, |ui| match self.screen.clone() {
                Screen::Library => {
                    if let Some(view) = &self.library_view {
                        library_ui::library_ui(
                            ui,
                            &self.library,
                            view,
                            &mut self.filter,
                            &mut self.tag,
                            &mut commands,
                        );
                    }
                }
                Screen::Routine(id) => {
                    let check_in = self
                        .check_in_before
                        .as_ref()
                        .filter(|(for_id, _)| *for_id == id)
                        .map(|(_, value)| *value);
                    routine_ui::routine_ui(
                        ui,
                        &self.library,
                        &id,
                        &self.settings,
                        &mut self.illustrations,
                        check_in,
                        &mut commands,
                    );
                }
                Screen::Player => {
                    if let Some(session) = &self.session {
                        let caption = self.caption.as_ref().map(|c| c.0.as_str());
                        player_ui::player_ui(
                            ui,
                            session,
                            now,
                            &self.settings,
                            &player_ui::Notes {
                                caption,
                                audio: short_audio_status(self.audio.status())
                                    .map(|s| format!("{s}: the words of each cue show here")),
                                changed: changed_on_disk(&self.library, &session.routine),
                            },
                            &mut self.illustrations,
                            &mut commands,
                        );
                    }
                }
                Screen::Finish => {
                    if let Some(session) = &self.session {
                        finish_ui::finish_ui(ui, session, &mut self.note, &mut commands);
                    }
                }
                Screen::History => {
                    let disabled = match &self.log {
                        Log::Open(_) => None,
                        Log::Off => Some("Sessions are not kept: this system has no data folder."),
                        Log::Disabled(reason) => Some(reason.as_str()),
                    };
                    history_ui::history_ui(
                        ui,
                        self.history_view.as_ref(),
                        &history_ui::LogState {
                            disabled,
                            notices: &self.log_notices,
                        },
                        &mut commands,
                    );
                }
                Screen::Settings => settings_ui::settings_ui(ui, &mut self.settings, &mut commands),
                Screen::About => settings_ui::about_ui(ui),
            });
        if self.confirm_stop {
            player_ui::confirm_stop_ui(ui.ctx(), &mut commands);
        }
        for command in commands {
            self.apply(command, ui.ctx());
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_settings();
        // A session closed with the window is kept, marked as not finished, with the steps
        // done and skipped so far; on the finish screen, with the note typed so far.
        self.save_session();
        self.save_note();
    }
}

impl LimberApp {
    fn top_bar_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label(
                egui::RichText::new("Limber Up")
                    .font(theme::font(22.0))
                    .strong()
                    .color(theme::ACCENT),
            );
            ui.add_space(16.0);
            for (label, screen) in [
                ("Routines", Screen::Library),
                ("History", Screen::History),
                ("Settings", Screen::Settings),
                ("About", Screen::About),
            ] {
                let selected = self.screen == screen
                    || (screen == Screen::Library && matches!(self.screen, Screen::Routine(_)));
                let response = ui.selectable_label(selected, label);
                let response = if screen == Screen::History {
                    response.on_hover_text("H")
                } else {
                    response
                };
                if response.clicked() {
                    commands.push(Command::Show(screen));
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(short) = short_audio_status(self.audio.status()) {
                    ui.label(egui::RichText::new(short).color(theme::WARNING))
                        .on_hover_text(self.audio.status().to_string());
                }
                let mute = if self.settings.muted {
                    "Sound off"
                } else {
                    "Sound on"
                };
                if ui.button(mute).on_hover_text("M").clicked() {
                    commands.push(Command::ToggleMute);
                }
            });
        });
        ui.add_space(6.0);
    }
}

impl LimberApp {
    fn reminder_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let text = format!(
                "Time for a desk break: {} minutes at the desk. Three or four minutes for your hip \
                 flexors and lower back.",
                self.settings.desk_break_interval_mins
            );
            let label = ui.label(
                egui::RichText::new(text)
                    .font(theme::font(20.0))
                    .color(theme::WARNING),
            );
            if let Some(reason) = &self.notifications_unavailable {
                label.on_hover_text(format!("No desktop notification: {reason}"));
            }
            let available = self
                .library
                .get(DESK_BREAK_ROUTINE)
                .is_some_and(|e| e.routine.is_some());
            if ui
                .add_enabled(available, egui::Button::new("Start desk break"))
                .clicked()
            {
                commands.push(Command::OpenDeskBreak);
            }
            if ui.button("Not now").clicked() {
                commands.push(Command::DismissReminder);
            }
        });
        ui.add_space(6.0);
    }
}

/// The banner of problems found at start, each on its own line, with one button to put
/// them away.
fn alerts_ui(ui: &mut egui::Ui, alerts: &[String], commands: &mut Vec<Command>) {
    ui.add_space(6.0);
    for alert in alerts {
        ui.label(
            egui::RichText::new(alert)
                .font(theme::font(16.0))
                .color(theme::WARNING),
        );
    }
    if ui.button("Dismiss").clicked() {
        commands.push(Command::DismissAlerts);
    }
    ui.add_space(6.0);
}

/// What to tell an athlete whose routine changed on disk while it plays; `None` if it has not.
fn changed_on_disk(library: &Library, routine: &Routine) -> Option<&'static str> {
    match library.get(&routine.id).map(|e| e.routine.as_deref()) {
        None => Some("This routine was removed from disk; this session plays on as it started."),
        Some(None) => Some(
            "This routine changed on disk and now has errors; this session plays on as it started.",
        ),
        Some(Some(now)) if now.content_hash != routine.content_hash => {
            Some("This routine changed on disk: the changes apply to the next start.")
        }
        Some(Some(_)) => None,
    }
}

/// "1 file", "3 files".
fn plural_files(n: usize) -> String {
    if n == 1 {
        "1 file".to_owned()
    } else {
        format!("{n} files")
    }
}

/// "No audio output" or "No voice", the reason being in the hover text; `None` when fine.
fn short_audio_status(status: &AudioStatus) -> Option<&'static str> {
    match status {
        AudioStatus::Ok => None,
        AudioStatus::NoOutput(_) => Some("No audio output"),
        AudioStatus::NoVoice(_) => Some("No voice: cues show as text"),
    }
}

/// The audio engine's view of the settings.
fn audio_settings(settings: &Settings) -> AudioSettings {
    AudioSettings {
        volume: settings.volume,
        muted: settings.muted,
        voice: settings.voice,
        beeps: settings.beeps,
    }
}

/// A number key pressed now, consumed: 0 to 9.
fn digit(take: &impl Fn(Key) -> bool) -> Option<u8> {
    [
        Key::Num0,
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ]
    .into_iter()
    .zip(0u8..)
    .filter(|&(key, _)| take(key))
    .map(|(_, value)| value)
    .last()
}

/// Opens the log named in `options`, with what to tell the athlete about it.
fn open_log(options: &Options) -> (Log, Vec<String>) {
    let Some(db) = &options.history_db else {
        return (Log::Off, Vec::new());
    };
    match history::open_log(db, OnDamage::MoveAside, &options.time_zone) {
        Ok(opened) => {
            let notices = opened.notices.iter().map(ToString::to_string).collect();
            (Log::Open(opened.store), notices)
        }
        Err(error) => {
            log::warn!("{error}");
            (
                Log::Disabled(format!("The training log is off: {error}")),
                Vec::new(),
            )
        }
    }
}

/// Opens the window.
///
/// # Errors
/// When no window can be created (no display).
pub fn run(options: Options) -> eframe::Result {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Limber Up")
        // As the desktop file's StartupWMClass, so docks group the window with its entry.
        .with_app_id(APP_ID)
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([720.0, 520.0])
        .with_drag_and_drop(true);
    if let Some(icon) = icon::window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let native = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Limber Up",
        native,
        Box::new(|cc| Ok(Box::new(LimberApp::new(&cc.egui_ctx, options)))),
    )
}

/// The user's routines folder, for messages.
#[must_use]
pub fn user_folder() -> Option<PathBuf> {
    library::user_routines_dir()
}
