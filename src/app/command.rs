//! What the athlete asks for ([`Command`]), from a key or a button, and what it does to the
//! [`State`]: every screen change and session command is made here, without a window, and
//! returns the [`Effect`]s only the shell can carry out (the sound, the window, the desktop).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::keymap::{self, Action, Scope};
use super::state::{Page, PlayerPage, RoutinePage, Screen, State};
use crate::history;
use crate::reminder::DESK_BREAK_ROUTINE;
use crate::routine::Selection;
use crate::session::Session;
use crate::timeline::{ADJUST_STEP, Plan, Player, Voice};

/// What the drawing code or a key asks for; applied after drawing.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Show a screen.
    Show(Screen),
    /// Start the routine with this id.
    Start(String),
    /// Pause or resume.
    TogglePause,
    /// Pause (a count-in under way stops too); nothing when paused.
    Pause,
    /// Resume with the count-in; nothing unless paused.
    Resume,
    /// Skip ahead.
    Next,
    /// Back.
    Previous,
    /// Done: ends a Done step (or keeps one about to move on by itself waiting); on a timed
    /// step, skips it only when the settings say Enter skips timed steps.
    Done,
    /// Done on a Done step, next anywhere else (a media key's "next").
    DoneOrNext,
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
    /// On a routine's page: the step at this position (as loaded) at this level.
    SetLevel {
        /// The step's [`crate::routine::Step::position`].
        step: usize,
        /// Its level, 1 for the first.
        level: u32,
    },
    /// On a routine's page: every levelled step at this level (or its last).
    SetAllLevels(u32),
    /// On a routine's page: every levelled step one level up (`true`) or down.
    StepAllLevels(bool),
    /// On a routine's page: play this variant (`None`: the routine as written).
    SetVariant(Option<String>),
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
    /// Say a sample sentence in the voice the settings describe.
    SpeakSample,
    /// Bring the window to the front (the desktop's media controls ask).
    Raise,
    /// Import the file asked about, replacing what is there (kept aside).
    ReplaceImport,
    /// Keep what is there: forget the file asked about.
    KeepExisting,
    /// Put back what the last import replaced.
    UndoImport,
    /// Put the undo banner away.
    DismissUndo,
}

/// What only the shell can do, asked for by a command.
#[derive(Clone, Debug)]
pub enum Effect {
    /// Decode the plan's sounds and render its voice now (a routine's page opened, a
    /// session started), so the opening is ready when the clock starts.
    PrepareSound(Arc<Plan>),
    /// Put the window in fullscreen, or take it out.
    Fullscreen(bool),
    /// Bring the window up from the dock or from behind others.
    RaiseWindow,
    /// Show this folder in the file manager (it exists).
    OpenFolder(PathBuf),
    /// The library was read again: watch its folders, refresh its pictures.
    Reloaded,
    /// Say the sample sentence of this voice's language in it, now.
    SpeakSample(Voice),
    /// Import this file again, replacing what is there.
    Import(PathBuf),
    /// Put back what an import replaced.
    UndoImport(super::state::ImportUndo),
}

/// The clocks a command is applied at.
#[derive(Clone, Copy, Debug)]
pub struct At {
    /// The session clock (monotonic).
    pub now: Duration,
    /// The wall clock, for the log.
    pub wall: SystemTime,
}

impl State {
    /// Applies one command; returns what the shell must do for it.
    pub fn apply(&mut self, command: Command, at: At) -> Vec<Effect> {
        let now = at.now;
        let mut effects = Vec::new();
        match command {
            Command::Show(screen) => self.show(screen, now, &mut effects),
            Command::Start(id) => {
                if let Some(routine) = self.selected(&id) {
                    self.settings.disclaimer_seen = true;
                    let check_in_before = match &self.page {
                        Page::Routine(page) if page.id == id => page.check_in_before,
                        _ => None,
                    };
                    self.leave_session(now);
                    let mut session =
                        Session::new(routine, self.plan_options(), now, at.wall, &self.zone);
                    session.set_check_in_before(check_in_before);
                    effects.push(Effect::PrepareSound(Arc::clone(session.player().plan())));
                    self.page = Page::Player(PlayerPage {
                        session: Box::new(session),
                        confirm_stop: false,
                    });
                    self.reminder_due = false;
                }
            }
            Command::TogglePause => self.with_player(|p| p.toggle_pause(now)),
            Command::Pause => self.with_player(|p| p.pause(now)),
            Command::Resume => self.with_player(|p| p.resume(now)),
            Command::Next => self.with_player(|p| p.next(now)),
            Command::Previous => self.with_player(|p| p.previous(now)),
            Command::Done => {
                let skips = self.settings.enter_skips_timed;
                self.with_player(|p| {
                    if skips || p.segment().waits_for_done() {
                        p.done(now);
                    }
                });
            }
            Command::DoneOrNext => self.with_player(|p| p.done(now)),
            Command::AddTime => self.with_player(|p| p.add_time(ADJUST_STEP, now)),
            Command::RemoveTime => self.with_player(|p| p.remove_time(ADJUST_STEP, now)),
            Command::ToggleMute => self.settings.muted = !self.settings.muted,
            Command::ToggleFullscreen => {
                self.fullscreen = !self.fullscreen;
                effects.push(Effect::Fullscreen(self.fullscreen));
                // The window changes under the athlete's eyes; this says how to undo it.
                let key = keymap::keys_of(Scope::Library, Action::ToggleFullscreen);
                self.toast(
                    if self.fullscreen {
                        format!("Fullscreen · {key} leaves it")
                    } else {
                        format!("Fullscreen off · {key} goes back")
                    },
                    now,
                );
            }
            Command::AskStop => {
                if let Page::Player(page) = &mut self.page {
                    if let Some(player) = page.session.player_mut() {
                        player.pause(now);
                    }
                    page.confirm_stop = true;
                }
            }
            Command::CancelStop => {
                if let Page::Player(page) = &mut self.page {
                    page.confirm_stop = false;
                    if let Some(player) = page.session.player_mut() {
                        player.resume(now);
                    }
                }
            }
            Command::Stop => self.end_session(now),
            Command::CheckIn(value) => {
                if let Page::Finish(session) = &mut self.page {
                    session.set_check_in_after(value);
                    self.write_session(now);
                }
            }
            Command::CheckInBefore(value) => {
                if let Page::Routine(page) = &mut self.page {
                    page.check_in_before = Some(value.min(history::MAX_CHECK_IN));
                }
            }
            Command::SetLevel { step, level } => {
                self.choose(&mut effects, |selection, _| {
                    selection.set_level(step, level);
                });
            }
            Command::SetAllLevels(level) => self.choose(&mut effects, |selection, routine| {
                selection.levels = Selection::all_at(routine, level).levels;
            }),
            Command::StepAllLevels(up) => {
                self.choose(&mut effects, |selection, routine| {
                    selection.step_all(routine, up);
                });
            }
            Command::SetVariant(variant) => {
                self.choose(&mut effects, |selection, _| selection.variant = variant);
            }
            Command::CloseFinish => {
                if matches!(self.page, Page::Finish(_)) {
                    self.show(Screen::Library, now, &mut effects);
                }
            }
            Command::OpenDeskBreak => {
                self.reminder_due = false;
                if !self.is_playing() {
                    effects.push(Effect::RaiseWindow);
                    self.show(
                        Screen::Routine(DESK_BREAK_ROUTINE.to_owned()),
                        now,
                        &mut effects,
                    );
                }
            }
            Command::DismissReminder => self.reminder_due = false,
            Command::DismissAlerts => self.alerts.clear(),
            Command::Reload => {
                self.reload_library();
                effects.push(Effect::Reloaded);
                let count = self.library.entries.len();
                self.toast(
                    format!("{} loaded", crate::text::plural(count, "routine")),
                    now,
                );
            }
            Command::OpenRoutinesFolder => match self.folders.user.clone() {
                None => self.toast("this system has no user data folder", now),
                Some(folder) => match std::fs::create_dir_all(&folder) {
                    Ok(()) => effects.push(Effect::OpenFolder(folder)),
                    Err(error) => {
                        self.toast(format!("cannot create {}: {error}", folder.display()), now);
                    }
                },
            },
            Command::AcknowledgeDisclaimer => self.settings.disclaimer_seen = true,
            Command::SpeakSample => effects.push(Effect::SpeakSample(self.settings.voice())),
            Command::Raise => effects.push(Effect::RaiseWindow),
            Command::ReplaceImport => {
                if let Some(question) = self.import_question.take() {
                    effects.push(Effect::Import(question.path));
                }
            }
            Command::KeepExisting => self.import_question = None,
            Command::UndoImport => {
                if let Some(undo) = self.import_undo.take() {
                    effects.push(Effect::UndoImport(undo));
                }
            }
            Command::DismissUndo => self.import_undo = None,
        }
        effects
    }

    /// Goes to `screen`. A session under way is stopped (and kept), a finished one written
    /// with its note; a session's screens are reached only through a session.
    fn show(&mut self, screen: Screen, now: Duration, effects: &mut Vec<Effect>) {
        let page = match screen {
            Screen::Library => Page::Library,
            Screen::Routine(id) => {
                let plan = self.plan(&id);
                if let Some(plan) = &plan {
                    // The voice renders while the athlete reads the outline.
                    effects.push(Effect::PrepareSound(Arc::clone(plan)));
                }
                let check_in_before = match &self.page {
                    Page::Routine(page) if page.id == id => page.check_in_before,
                    _ => None,
                };
                Page::Routine(RoutinePage {
                    id,
                    check_in_before,
                    plan,
                })
            }
            Screen::History => {
                self.history_view = None;
                Page::History
            }
            Screen::Settings => Page::Settings,
            Screen::About => Page::About,
            Screen::Player | Screen::Finish => return,
        };
        self.leave_session(now);
        // A session the log has not taken yet (it was busy) waits for the next retry.
        if let Page::Finish(session) = std::mem::replace(&mut self.page, page)
            && session.unsaved()
        {
            self.pending_saves.push(*session);
        }
    }

    /// Ends the session under way, stopped or finished, and shows its finish screen; its
    /// row in the log is written at once, so a crash on the finish screen loses nothing.
    pub(super) fn end_session(&mut self, now: Duration) {
        let page = std::mem::replace(&mut self.page, Page::Library);
        self.page = match page {
            Page::Player(PlayerPage { mut session, .. }) => {
                session.end(now);
                Page::Finish(session)
            }
            other => other,
        };
        self.write_session(now);
    }

    /// Before the page changes: a session under way ends, a finished one is written once
    /// more with its note.
    fn leave_session(&mut self, now: Duration) {
        if self.is_playing() {
            self.end_session(now);
        }
        if matches!(self.page, Page::Finish(_)) {
            self.write_session(now);
        }
    }

    /// Changes the levels or variant of the routine on the page, remembers the choice in the
    /// settings and plans the page again.
    fn choose(
        &mut self,
        effects: &mut Vec<Effect>,
        change: impl FnOnce(&mut Selection, &crate::routine::Routine),
    ) {
        let Page::Routine(page) = &self.page else {
            return;
        };
        let id = page.id.clone();
        let Some(routine) = self.routine(&id) else {
            return;
        };
        let mut selection = self.selection(&id);
        change(&mut selection, &routine);
        let selection = selection.fitted(&routine);
        if selection == Selection::default() {
            self.settings.routine_choices.remove(&id);
        } else {
            self.settings.routine_choices.insert(id, selection);
        }
        self.replan_page();
        if let Page::Routine(RoutinePage {
            plan: Some(plan), ..
        }) = &self.page
        {
            effects.push(Effect::PrepareSound(Arc::clone(plan)));
        }
    }

    fn with_player(&mut self, action: impl FnOnce(&mut Player)) {
        if let Page::Player(page) = &mut self.page
            && let Some(player) = page.session.player_mut()
        {
            action(player);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::tests::{state_with_log, state_with_routine};
    use crate::history::{OnDamage, Store};
    use crate::session::{Log, Row};
    use crate::timeline::Language;

    const ROUTINE: &str = "quick-pre-run-warmup";

    fn at(secs: u64) -> At {
        At {
            now: Duration::from_secs(secs),
            wall: SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs),
        }
    }

    /// Opens the routine's page, gives a check-in, starts it and runs its clock at `secs`
    /// with the sound ready, as the shell does each frame.
    fn start(state: &mut State, secs: u64) {
        state.apply(Command::Show(Screen::Routine(ROUTINE.to_owned())), at(secs));
        state.apply(Command::CheckInBefore(6), at(secs));
        let effects = state.apply(Command::Start(ROUTINE.to_owned()), at(secs));
        assert!(matches!(effects[..], [Effect::PrepareSound(_)]));
        state.run_session(true, Duration::from_secs(secs));
    }

    #[test]
    fn a_routine_page_prepares_its_sound_and_keeps_its_check_in_for_the_start() {
        let mut state = state_with_routine();
        let effects = state.apply(Command::Show(Screen::Routine(ROUTINE.to_owned())), at(0));
        assert!(matches!(&effects[..], [Effect::PrepareSound(plan)] if plan.routine.id == ROUTINE));
        state.apply(Command::CheckInBefore(14), at(0));
        state.apply(Command::Start(ROUTINE.to_owned()), at(1));
        assert_eq!(state.screen(), Screen::Player);
        let session = state.session().expect("a session");
        assert_eq!(session.check_in_before(), Some(10), "capped at 10");
        assert!(session.waits_for_sound(), "its clock waits for the sound");
    }

    #[test]
    fn voice_settings_replan_the_routine_page_but_not_a_session_under_way() {
        let mut state = state_with_routine();
        state.apply(Command::Show(Screen::Routine(ROUTINE.to_owned())), at(0));
        assert!(!state.follow_plan_options(), "nothing changed");
        state.settings.language = Language::German;
        state.settings.voice_speed_wpm = 200;
        state.settings.ten_seconds_left_call = true;
        assert!(state.follow_plan_options(), "planned again");
        let page = Arc::clone(state.page_plan().expect("planned"));
        assert_eq!(page.language(), Language::German);
        assert_eq!(page.voice().map(|v| v.words_per_minute), Some(200));
        assert!(page.options.calls.time_left, "the calls follow");
        assert_eq!(
            page.options,
            state.library_view.options().clone(),
            "the cards too"
        );
        // A session is planned as its page was, and keeps its plan when the settings change.
        state.apply(Command::Start(ROUTINE.to_owned()), at(1));
        let started = Arc::clone(state.session().expect("a session").player().plan());
        assert_eq!(started.options, page.options);
        state.settings.voice = false;
        assert!(state.follow_plan_options(), "the cards follow");
        let playing = state.session().expect("still playing").player().plan();
        assert!(Arc::ptr_eq(playing, &started), "the session keeps its plan");
    }

    #[test]
    fn speak_a_sample_asks_the_shell_for_the_voice_of_the_settings() {
        let mut state = state_with_routine();
        state.settings.language = Language::Spanish;
        state.settings.voice_variant = Some("f2".to_owned());
        let effects = state.apply(Command::SpeakSample, at(0));
        assert!(
            matches!(&effects[..], [Effect::SpeakSample(voice)] if *voice == state.settings.voice()),
            "{effects:?}"
        );
    }

    #[test]
    fn player_commands_do_nothing_off_the_player() {
        let mut state = state_with_routine();
        for command in [
            Command::Next,
            Command::Done,
            Command::Stop,
            Command::CheckIn(3),
        ] {
            assert!(state.apply(command, at(0)).is_empty());
            assert_eq!(state.screen(), Screen::Library);
        }
        // The session screens are reached only through a session.
        state.apply(Command::Show(Screen::Finish), at(0));
        assert_eq!(state.screen(), Screen::Library);
    }

    #[test]
    fn fullscreen_is_an_effect_that_toggles() {
        let mut state = state_with_routine();
        let on = state.apply(Command::ToggleFullscreen, at(0));
        let off = state.apply(Command::ToggleFullscreen, at(0));
        assert!(matches!(on[..], [Effect::Fullscreen(true)]));
        assert!(matches!(off[..], [Effect::Fullscreen(false)]));
        // Each change says so, with the key that undoes it.
        assert_eq!(
            state.toast.as_ref().map(|t| t.0.as_str()),
            Some("Fullscreen off · F11 goes back")
        );
        state.apply(Command::ToggleFullscreen, at(0));
        assert_eq!(
            state.toast.as_ref().map(|t| t.0.as_str()),
            Some("Fullscreen · F11 leaves it")
        );
    }

    /// Regression ("a locked log"): another program holding the log's lock made each write
    /// wait 3 s on the window's thread and then lose the session.
    #[test]
    fn a_busy_log_never_holds_a_frame_and_the_session_is_saved_once_it_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("log.sqlite3");
        drop(Store::open(&db, OnDamage::Refuse).unwrap());
        // Another program holds the lock from before the window opens the log.
        let other = rusqlite::Connection::open(&db).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let began = std::time::Instant::now();
        let (log, _) = Log::open(Some(&db), &jiff::tz::TimeZone::UTC);
        assert!(matches!(log, Log::Busy { .. }), "busy, not off for the run");
        let mut state = state_with_log(log);
        assert!(
            state
                .log
                .unavailable()
                .unwrap()
                .starts_with("The training log is busy")
        );
        start(&mut state, 10);
        state.apply(Command::Stop, at(30));
        state.apply(Command::CheckIn(2), at(31));
        assert!(
            began.elapsed() < Duration::from_secs(1),
            "nothing waited on the lock: {:?}",
            began.elapsed()
        );
        assert!(
            state
                .toast
                .as_ref()
                .unwrap()
                .0
                .starts_with("saving… the training log is busy"),
            "{:?}",
            state.toast
        );
        state.apply(Command::CloseFinish, at(32));
        assert_eq!(state.pending_saves.len(), 1, "kept in memory");
        // Still locked: the retry fails and waits twice as long.
        assert_eq!(
            state.retry_log(Duration::from_secs(32)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            state.retry_log(Duration::from_millis(32_400)),
            Some(Duration::from_millis(600)),
            "not before its time"
        );
        other.execute_batch("COMMIT").unwrap();
        assert_eq!(state.retry_log(Duration::from_secs(33)), None, "saved");
        assert!(state.pending_saves.is_empty());
        assert!(matches!(state.log, Log::Open(_)), "the log is back");
        assert_eq!(
            state.toast.as_ref().unwrap().0,
            "saved: the training log is free again"
        );
        let logged = Store::open(&db, OnDamage::Refuse)
            .unwrap()
            .store
            .sessions()
            .unwrap();
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].check_in_after, Some(2), "as it ended");
    }

    /// A crash while the log is busy loses nothing: the waiting session is on disk beside
    /// the log and the next start saves it, once.
    #[test]
    fn a_session_waiting_for_a_busy_log_survives_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("history.sqlite3");
        let (log, _) = Log::open(Some(&db), &jiff::tz::TimeZone::UTC);
        let mut state = state_with_log(log);
        start(&mut state, 10);
        let other = rusqlite::Connection::open(&db).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE").unwrap();
        state.apply(Command::Stop, at(30));
        state.apply(Command::CheckIn(4), at(31));
        let pending = dir.path().join(crate::session::PENDING_FILE_NAME);
        assert!(pending.is_file(), "kept beside the log");
        // The window is killed here; the lock goes with the other program.
        drop(state);
        other.execute_batch("COMMIT").unwrap();
        drop(other);
        let (log, notices) = Log::open(Some(&db), &jiff::tz::TimeZone::UTC);
        assert_eq!(
            notices,
            ["1 session that waited while the training log was busy is now saved"]
        );
        assert!(!pending.exists(), "the file is gone once the log has them");
        let logged = log.sessions().unwrap().unwrap();
        assert_eq!(
            logged.len(),
            1,
            "one row: the one written at the start, replaced"
        );
        assert_eq!(logged[0].check_in_after, Some(4));
        assert!(!logged[0].finished);
    }

    #[test]
    fn stop_asks_then_ends_with_one_summary_for_the_screen_and_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("log.sqlite3");
        let store = Store::open(&db, OnDamage::Refuse).unwrap().store;
        let mut state = state_with_log(Log::Open(store));
        start(&mut state, 10);
        // The row is there from the start.
        let Some(Row::Saved(id)) = state.session().map(Session::row) else {
            panic!("the session is written when its clock starts");
        };
        state.apply(Command::Next, at(12));
        state.run_session(true, Duration::from_secs(12));
        state.apply(Command::AskStop, at(20));
        assert!(matches!(&state.page, Page::Player(page) if page.confirm_stop));
        state.apply(Command::Stop, at(30));
        assert_eq!(state.screen(), Screen::Finish);
        state.apply(Command::CheckIn(2), at(31));

        let summary = state.session().and_then(|s| s.summary()).unwrap().clone();
        let logged = Store::open(&db, OnDamage::Refuse)
            .unwrap()
            .store
            .sessions()
            .unwrap();
        assert_eq!(logged.len(), 1, "one row, rewritten, never a second");
        assert_eq!(summary.steps_skipped(), logged[0].steps_skipped());
        assert_eq!(summary.steps_done(), logged[0].steps_done());
        assert_eq!(logged[0].check_in_before, Some(6));
        assert_eq!(logged[0].check_in_after, Some(2));
        assert!(!logged[0].finished);
        assert_eq!(
            summary.steps_skipped(),
            1,
            "the jog under way at the stop (the lead-in is not a step)"
        );
        assert_eq!(id, 1);
    }

    #[test]
    fn leaving_the_finish_screen_by_the_top_bar_keeps_the_note() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("log.sqlite3");
        let store = Store::open(&db, OnDamage::Refuse).unwrap().store;
        let mut state = state_with_log(Log::Open(store));
        start(&mut state, 0);
        state.apply(Command::Stop, at(5));
        if let Page::Finish(session) = &mut state.page {
            session.note_mut().push_str("tight left hip ");
        }
        state.apply(Command::Show(Screen::History), at(6));
        let logged = Store::open(&db, OnDamage::Refuse)
            .unwrap()
            .store
            .sessions()
            .unwrap();
        assert_eq!(logged[0].note.as_deref(), Some("tight left hip"));
        assert_eq!(state.screen(), Screen::History);
    }

    /// The state on `tests/data` (the levels fixture among them), the log off.
    fn state_on_test_data() -> State {
        let folders = crate::library::Folders {
            bundled: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")),
            user: None,
            extra: Vec::new(),
        };
        State::new(
            crate::settings::Settings::default(),
            folders,
            (Log::Off, Vec::new()),
            jiff::tz::TimeZone::UTC,
        )
    }

    fn page_routine(state: &State) -> Arc<crate::routine::Routine> {
        let Page::Routine(RoutinePage {
            plan: Some(plan), ..
        }) = &state.page
        else {
            panic!("the routine page, planned");
        };
        Arc::clone(&plan.routine)
    }

    #[test]
    fn levels_and_variants_change_the_page_are_remembered_and_are_played() {
        let mut state = state_on_test_data();
        // Off the routine page, nothing is chosen.
        assert!(state.apply(Command::SetAllLevels(2), at(0)).is_empty());
        assert!(state.settings.routine_choices.is_empty());
        state.apply(Command::Show(Screen::Routine("levels".to_owned())), at(0));
        let effects = state.apply(Command::SetLevel { step: 1, level: 3 }, at(0));
        assert!(
            matches!(&effects[..], [Effect::PrepareSound(plan)] if plan.routine.steps().nth(1).unwrap().1.level == 3),
            "the new plan's sound is prepared"
        );
        assert_eq!(
            state.settings.routine_choices["levels"].levels,
            [1, 3],
            "remembered in the settings"
        );
        state.apply(Command::StepAllLevels(true), at(0));
        let levels: Vec<u32> = page_routine(&state).steps().map(|(_, s)| s.level).collect();
        assert_eq!(levels, [1, 3, 2, 1]);
        state.apply(Command::SetAllLevels(1), at(0));
        assert!(
            state.settings.routine_choices.is_empty(),
            "the routine as written is not listed"
        );
        state.apply(Command::SetVariant(Some("Match day".to_owned())), at(0));
        assert_eq!(page_routine(&state).sections.len(), 2);
        state.apply(Command::SetVariant(Some("No such".to_owned())), at(0));
        assert_eq!(
            page_routine(&state).variant,
            None,
            "a variant the routine lacks is the routine as written"
        );
        state.apply(Command::SetVariant(Some("Match day".to_owned())), at(0));
        state.apply(Command::Start("levels".to_owned()), at(1));
        let session = state.session().expect("a session");
        let played = &session.player().plan().routine;
        assert_eq!(played.variant.as_deref(), Some("Match day"));
    }
}
