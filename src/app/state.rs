//! What the window shows and remembers, without egui: the page (each carrying its own data),
//! the library, the settings, the log and the messages. [`State::apply`] changes it; the
//! shell draws it and carries out the [`Effect`]s.
//!
//! [`State::apply`]: super::command

#[cfg(test)]
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use jiff::tz::TimeZone;

use super::ui::LibraryView;
use super::ui::{Aim, HistoryView};
use crate::history;
use crate::library::{Folders, Library};
use crate::routine::media::MediaCheck;
use crate::routine::{LoadOptions, Routine, Selection};
use crate::session::{Log, Session, Tick};
use crate::settings::Settings;
use crate::timeline::{Plan, PlanOptions};

/// How long a message at the bottom of the window stays.
pub(super) const TOAST_TIME: Duration = Duration::from_secs(6);

/// Which screen is showing: the route, without the screen's data.
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

/// "Replace …?" about a dropped file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportQuestion {
    /// The file's name.
    pub name: String,
    /// The file, to import again with `replace`.
    pub path: std::path::PathBuf,
    /// What it would replace, in a sentence.
    pub what: String,
}

/// An import that replaced something, kept aside: what Undo puts back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportUndo {
    /// What the banner calls it.
    pub name: String,
    /// The folder the import made.
    pub folder: std::path::PathBuf,
    /// What it replaced, and where that is now.
    pub kept_aside: Vec<crate::bundle::KeptAside>,
}

/// When the log is tried again, waiting twice as long after each failure (half a second
/// first, half a minute at most).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Backoff {
    /// When.
    pub at: Duration,
    /// The wait before it.
    pub delay: Duration,
    /// Whether the athlete was told a session waits to be saved (once, until it is).
    pub told: bool,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(500);
    const MOST: Duration = Duration::from_secs(30);

    /// The first retry after a failure at `now`.
    pub fn first(now: Duration) -> Self {
        Self {
            at: now + Self::FIRST,
            delay: Self::FIRST,
            told: false,
        }
    }

    /// The retry after this one failed at `now`.
    #[must_use]
    pub fn next(self, now: Duration) -> Self {
        let delay = (self.delay * 2).min(Self::MOST);
        Self {
            at: now + delay,
            delay,
            told: self.told,
        }
    }
}

/// The page showing, with what belongs to it alone.
pub(super) enum Page {
    /// The routines.
    Library,
    /// One routine's outline.
    Routine(RoutinePage),
    /// A session under way.
    Player(PlayerPage),
    /// A session that ended, finished or stopped (its summary is fixed).
    Finish(Box<Session>),
    /// The training log.
    History,
    /// The settings.
    Settings,
    /// About.
    About,
}

/// A routine's outline.
pub(super) struct RoutinePage {
    /// The routine's id in the library.
    pub id: String,
    /// "How does your back feel now?", asked before the start.
    pub check_in_before: Option<u8>,
    /// The routine planned with the settings in force (lead-in, voice, calls), made when the
    /// page opens and again when the library or those settings change (not every frame);
    /// `None` while it has errors.
    pub plan: Option<Arc<Plan>>,
}

/// A session under way.
pub(super) struct PlayerPage {
    pub session: Box<Session>,
    /// "Stop the session?" is open (the player is paused under it).
    pub confirm_stop: bool,
}

/// The library screen's search, kept while the athlete looks at a routine and comes back.
#[derive(Default)]
pub(super) struct LibrarySearch {
    pub filter: String,
    pub tag: Option<String>,
}

/// Everything the window knows that is not egui's, the sound's or the operating system's.
pub struct State {
    pub(super) settings: Settings,
    pub(super) folders: Folders,
    pub(super) library: Library,
    /// The library's totals and search texts, for the library and plan options in force.
    pub(super) library_view: LibraryView,
    /// Whether the library has been read (it is, just after the window's first frame).
    pub(super) loaded: bool,
    pub(super) search: LibrarySearch,
    pub(super) page: Page,
    pub(super) log: Log,
    /// What happened when the log was opened (an import, a damaged file kept aside).
    pub(super) log_notices: Vec<String>,
    /// The history screen's numbers; `None` when the log changed since.
    pub(super) history_view: Option<HistoryView>,
    pub(super) zone: TimeZone,
    pub(super) toast: Option<(String, Duration)>,
    /// Problems found at start, in a banner until dismissed.
    pub(super) alerts: Vec<String>,
    /// A dropped file that would replace a routine: the window asks before it does.
    pub(super) import_question: Option<ImportQuestion>,
    /// The last import that replaced something, until undone or put away.
    pub(super) import_undo: Option<ImportUndo>,
    /// Sessions whose page was left before the log took them (it was busy): written at
    /// the next retry.
    pub(super) pending_saves: Vec<Session>,
    /// When the log is tried again after a failed write (or a busy open), and the wait.
    pub(super) log_retry: Option<Backoff>,
    pub(super) fullscreen: bool,
    pub(super) reminder_due: bool,
    /// Why desktop notifications cannot be used, once the desktop said so.
    pub(super) notifications_unavailable: Option<String>,
}

impl State {
    /// The state at start: the library read from `folders`, the library page (tests; the
    /// window reads them after its first frame, see [`Self::unloaded`]).
    #[cfg(test)]
    pub(super) fn new(
        settings: Settings,
        folders: Folders,
        log: (Log, Vec<String>),
        zone: TimeZone,
    ) -> Self {
        let mut state = Self::unloaded(settings, folders, zone);
        state.load(log);
        state
    }

    /// The state before anything is read: an empty library page, saying it is loading,
    /// and no log. [`Self::load`] reads them (after the window's first frame).
    pub(super) fn unloaded(settings: Settings, folders: Folders, zone: TimeZone) -> Self {
        Self {
            library_view: LibraryView::new(&Library::default(), settings.plan_options()),
            settings,
            folders,
            library: Library::default(),
            loaded: false,
            search: LibrarySearch::default(),
            page: Page::Library,
            log: Log::Off,
            log_notices: Vec::new(),
            history_view: None,
            zone,
            toast: None,
            alerts: Vec::new(),
            import_question: None,
            import_undo: None,
            pending_saves: Vec::new(),
            log_retry: None,
            fullscreen: false,
            reminder_due: false,
            notifications_unavailable: None,
        }
    }

    /// Reads the library and takes the opened log (with what to say about it).
    pub(super) fn load(&mut self, (log, log_notices): (Log, Vec<String>)) {
        self.alerts.extend(log_notices.iter().cloned());
        if let Log::Disabled(reason) = &log {
            self.alerts.push(reason.clone());
        }
        if matches!(log, Log::Busy { .. }) {
            self.log_retry = Some(Backoff::first(Duration::ZERO));
        }
        self.log = log;
        self.log_notices = log_notices;
        self.history_view = None;
        self.loaded = true;
        self.reload_library();
    }

    /// Whether the library has been read yet.
    #[must_use]
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// The screen showing.
    #[must_use]
    pub fn screen(&self) -> Screen {
        match &self.page {
            Page::Library => Screen::Library,
            Page::Routine(page) => Screen::Routine(page.id.clone()),
            Page::Player(_) => Screen::Player,
            Page::Finish(_) => Screen::Finish,
            Page::History => Screen::History,
            Page::Settings => Screen::Settings,
            Page::About => Screen::About,
        }
    }

    /// The session under way or just ended.
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        match &self.page {
            Page::Player(page) => Some(&page.session),
            Page::Finish(session) => Some(session),
            _ => None,
        }
    }

    /// Whether a session plays (its screen is showing).
    pub(super) fn is_playing(&self) -> bool {
        matches!(self.page, Page::Player(_))
    }

    /// Whether the sound device should be open: a session plays, or a routine's page shows
    /// (so a start is heard from its first word).
    pub(super) fn needs_sound(&self) -> bool {
        matches!(self.page, Page::Routine(_) | Page::Player(_))
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

    /// What routines are planned with: the lead-in, voice and calls of the settings.
    pub(super) fn plan_options(&self) -> PlanOptions {
        self.settings.plan_options()
    }

    /// Says `message` at the bottom of the window for a while.
    pub(super) fn toast(&mut self, message: impl Into<String>, now: Duration) {
        self.toast = Some((message.into(), now + TOAST_TIME));
    }

    /// The routine with `id`, if it loaded.
    pub(super) fn routine(&self, id: &str) -> Option<Arc<Routine>> {
        self.library.get(id).and_then(|e| e.routine.clone())
    }

    /// Reads every routine again, and the library page's totals with them.
    pub(super) fn reload_library(&mut self) {
        self.library = load_library(&self.folders);
        self.library_view = LibraryView::new(&self.library, self.plan_options());
        self.replan_page();
    }

    /// The levels and variant chosen for the routine `id` (level 1, no variant if none).
    pub(super) fn selection(&self, id: &str) -> Selection {
        self.settings
            .routine_choices
            .get(id)
            .cloned()
            .unwrap_or_default()
    }

    /// The routine `id` at its chosen levels and variant, if it loaded; as written when the
    /// choice no longer fits it.
    pub(super) fn selected(&self, id: &str) -> Option<Arc<Routine>> {
        let routine = self.routine(id)?;
        let selection = self.selection(id).fitted(&routine);
        if selection == Selection::default() {
            return Some(routine);
        }
        Some(routine.select(&selection).map_or(routine, Arc::new))
    }

    /// The routine `id` at its chosen levels and variant, planned with the settings in
    /// force, if it loaded.
    pub(super) fn plan(&self, id: &str) -> Option<Arc<Plan>> {
        self.selected(id)
            .map(|routine| Arc::new(Plan::with_options(routine, self.plan_options())))
    }

    /// The plan of the routine whose page is showing, if it loaded.
    pub(super) fn page_plan(&self) -> Option<&Arc<Plan>> {
        match &self.page {
            Page::Routine(page) => page.plan.as_ref(),
            _ => None,
        }
    }

    /// Plans the routine on its page again, from the library, settings and choice in force.
    pub(super) fn replan_page(&mut self) {
        if let Page::Routine(page) = &self.page {
            let plan = self.plan(&page.id);
            if let Page::Routine(page) = &mut self.page {
                page.plan = plan;
            }
        }
    }

    /// Keeps the library's totals and the routine page's plan in step with the settings
    /// they are planned with (lead-in, voice, language, speed, calls); a session under way
    /// keeps the plan it started with. Returns whether they were planned again.
    pub(super) fn follow_plan_options(&mut self) -> bool {
        let options = self.plan_options();
        if *self.library_view.options() == options {
            return false;
        }
        self.library_view = LibraryView::new(&self.library, options);
        self.replan_page();
        true
    }

    /// Runs the session under way at `now`: starts its clock with the sound (or after
    /// waiting long enough), hands out its cues, writes its row at each step boundary, and
    /// ends it at its finish. `None` when no session plays.
    pub(super) fn run_session(&mut self, sound_ready: bool, now: Duration) -> Option<Tick> {
        let Page::Player(page) = &mut self.page else {
            return None;
        };
        page.session.begin(sound_ready, now);
        let tick = page.session.tick(now);
        if tick.finished {
            self.end_session(now);
        } else if tick.boundary {
            self.write_session(now);
        }
        Some(tick)
    }

    /// Writes the session on the page to the log; a failure is told once, as a toast.
    pub(super) fn write_session(&mut self, now: Duration) {
        let result = match &mut self.page {
            Page::Player(page) => self.log.write(&mut page.session, now),
            Page::Finish(session) => self.log.write(session, now),
            _ => return,
        };
        self.written(result, now);
    }

    /// After a write: the history view is stale. A failure is said once and the write tried
    /// again later, the session kept in memory meanwhile ([`Self::retry_log`]).
    pub(super) fn written(&mut self, result: Result<(), history::StoreError>, now: Duration) {
        self.history_view = None;
        let Err(error) = result else {
            return;
        };
        log::warn!("{error}");
        self.keep_pending(now);
        let retry = self.log_retry.get_or_insert(Backoff::first(now));
        if !std::mem::replace(&mut retry.told, true) {
            self.toast(
                if error.is_busy() {
                    "saving… the training log is busy (another program is using it); \
                     Limber Up keeps trying"
                        .to_owned()
                } else {
                    format!("saving… the training log failed ({error}); Limber Up keeps trying")
                },
                now,
            );
        }
    }

    /// Keeps the sessions the log has not taken on disk beside it, so a crash meanwhile
    /// loses none of them.
    fn keep_pending(&self, now: Duration) {
        let on_page = match &self.page {
            Page::Player(page) => Some(page.session.as_ref()),
            Page::Finish(session) => Some(session.as_ref()),
            _ => None,
        };
        let entries: Vec<history::SessionEntry> = on_page
            .into_iter()
            .filter(|s| s.unsaved())
            .chain(&self.pending_saves)
            .map(|s| s.entry(now))
            .collect();
        if let Err(error) = self.log.keep_pending(&entries) {
            log::warn!("sessions waiting for the log are in memory only: {error}");
        }
    }

    /// Tries the log again when its wait is over: the session on the page and those left
    /// before they were saved, or a log that was busy when opened. Returns when to try next;
    /// `None` when nothing waits.
    pub(super) fn retry_log(&mut self, now: Duration) -> Option<Duration> {
        let retry = self.log_retry?;
        if now < retry.at {
            return Some(retry.at.saturating_sub(now));
        }
        let mut failed = None;
        let on_page = match &mut self.page {
            Page::Player(page) => Some(page.session.as_mut()),
            Page::Finish(session) => Some(session.as_mut()),
            _ => None,
        };
        let waiting = on_page
            .into_iter()
            .filter(|s| s.unsaved())
            .chain(self.pending_saves.iter_mut());
        let mut saved = 0;
        for session in waiting {
            match self.log.write(session, now) {
                Ok(()) => saved += 1,
                Err(error) => {
                    failed = Some(error);
                    break;
                }
            }
        }
        self.pending_saves.retain(Session::unsaved);
        if failed.is_none()
            && let Err(error) = self
                .log
                .reopen()
                .and_then(|()| self.log.take_pending().map(drop))
        {
            failed = Some(error);
        }
        self.history_view = None;
        if failed.is_some() {
            self.keep_pending(now);
            let next = retry.next(now);
            self.log_retry = Some(next);
            return Some(next.delay);
        }
        self.log_retry = None;
        if saved > 0 && retry.told {
            self.toast("saved: the training log is free again", now);
        }
        None
    }

    /// The history screen's numbers, computed when missing or when the goal changed.
    pub(super) fn refresh_history(&mut self, wall: SystemTime) {
        let goal = self.settings.weekly_goal_days;
        if self.history_view.as_ref().is_some_and(|v| v.goal() == goal) {
            return;
        }
        match self.log.sessions() {
            Ok(Some(sessions)) => {
                let today = history::stats::today(history::timestamp(wall), &self.zone);
                let aims: Vec<Aim> = self
                    .library
                    .entries
                    .iter()
                    .filter_map(|entry| {
                        let routine = entry.routine.as_ref()?;
                        Some(Aim {
                            routine_id: routine.id.clone(),
                            title: routine.title.clone(),
                            frequency: routine.frequency.clone()?,
                        })
                    })
                    .collect();
                self.history_view = Some(HistoryView::new(sessions, goal, today, &aims));
            }
            Ok(None) => {}
            Err(error) => self.log = Log::Disabled(error.to_string()),
        }
    }
}

/// Reads the routines in `folders`, checking pictures and sounds by their headers.
fn load_library(folders: &Folders) -> Library {
    Library::load(
        folders,
        LoadOptions {
            media: MediaCheck::Header,
            ..LoadOptions::default()
        },
    )
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The state on the bundled routines, the log off, in UTC.
    pub(in crate::app) fn state_with_routine() -> State {
        state_with_log(Log::Off)
    }

    /// The state on the bundled routines with `log`, in UTC.
    pub(in crate::app) fn state_with_log(log: Log) -> State {
        let folders = Folders {
            bundled: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("routines")),
            user: None,
            extra: Vec::new(),
        };
        State::new(
            Settings::default(),
            folders,
            (log, Vec::new()),
            TimeZone::UTC,
        )
    }
}
