//! What the window does each frame before drawing: keys, dropped files, imports, live
//! reload, settings, the session and its sound, reminders, and when to wake next.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use eframe::egui;

use super::import::Imported;
use super::notify::NotifyEvent;
use super::state::{ImportQuestion, ImportUndo, Page, Screen};
use super::{APP_ID, Command, LimberApp, audio_settings, keymap, now_playing, theme, ui};
use crate::launch::First;
use crate::library::{self, Named};
use crate::media_controls::MediaControls;
use crate::reminder::{Decision, LOOK_EVERY, ReminderTimer};
use crate::settings;
use crate::text::plural;
use crate::watch::FolderWatcher;

/// How often the window looks whether the sound device is ready while a start waits for it.
const SOUND_POLL: Duration = Duration::from_millis(20);

/// How long after an import the watcher's reports of the files it wrote are taken as its
/// own (they arrive within the watcher's 100 ms debounce; a busy machine may be slower).
const IMPORT_ECHO: Duration = Duration::from_secs(5);

/// How often the window looks for the end of an import under way.
const IMPORT_POLL: Duration = Duration::from_millis(100);

impl LimberApp {
    /// Shows what the launch asked for first: a routine playing, its page, or a bundle
    /// being imported.
    pub(super) fn open_first(&mut self, ctx: &egui::Context, first: First) {
        let (named, play, level, variant) = match first {
            First::Library => return,
            First::Open(name) => (Named::new(&name), false, None, None),
            First::Play {
                routine,
                level,
                variant,
            } => (Named::new(&routine), true, level, variant),
        };
        if let Named::Bundle(path) = named {
            self.import(path);
            return;
        }
        let found = self.state.library.find(&named).map(|entry| {
            (
                entry.id.clone(),
                entry.diagnostics.iter().find(|d| d.is_error()),
            )
        });
        match found {
            Ok((id, None)) if play => {
                // `play --level N --variant NAME` is remembered as the routine's choice.
                if level.is_some() || variant.is_some() {
                    self.apply(Command::Show(Screen::Routine(id.clone())), ctx);
                    if let Some(level) = level {
                        self.apply(Command::SetAllLevels(level), ctx);
                    }
                    if variant.is_some() {
                        self.apply(Command::SetVariant(variant), ctx);
                    }
                }
                self.apply(Command::Start(id), ctx);
            }
            Ok((id, error)) => {
                if play {
                    let message = error
                        .map_or_else(|| format!("{named} cannot be played"), ToString::to_string);
                    self.toast(message);
                }
                self.apply(Command::Show(Screen::Routine(id)), ctx);
            }
            Err(error) => self.toast(error.to_string()),
        }
    }

    /// The frame's work before drawing.
    pub(super) fn frame_logic(&mut self, ctx: &egui::Context) {
        self.apply_style(ctx);
        self.finish_startup(ctx);
        if let Some(changed) = self.watcher.as_ref().and_then(FolderWatcher::try_changes) {
            self.files_changed(&changed);
        }
        if self.stale_pictures && !self.state.is_playing() {
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
            self.import(path);
        }
        for imported in self.importer.finished() {
            self.imported(ctx, imported);
        }
        for command in keymap::commands(ctx, &self.state) {
            self.apply(command, ctx);
        }
        for key in self
            .media
            .as_ref()
            .map(MediaControls::keys)
            .unwrap_or_default()
        {
            self.apply(now_playing::command_for(key), ctx);
        }
        // Saved as soon as they change, but not while a slider is being dragged.
        if !ctx.input(|i| i.pointer.any_down()) {
            self.save_settings();
        }
        let now = self.now();
        let wanted = audio_settings(&self.state.settings);
        if self.audio.settings() != wanted {
            self.audio.set_settings(wanted);
        }
        for warning in self.audio.take_warnings() {
            self.toast(warning);
        }
        // Before the session runs, as a finish heard under way plays out over the finish
        // screen (it starts the moment the routine completes, and the screen with it).
        if !self.state.is_playing() {
            self.audio.stop();
        }
        let mut wake = self.run_session(now);
        if let Some(left) = self.state.retry_log(now) {
            wake = Some(earliest(wake, left));
        }
        self.show_now_playing(ctx, now);
        self.keep_sound();
        if self.state.screen() == Screen::History {
            let wall = self.clock.wall();
            self.state.refresh_history(wall);
        }
        if self.state.follow_plan_options()
            && let Some(plan) = self.state.page_plan()
        {
            // The page's words in the new voice render while the athlete reads the outline.
            self.audio.prepare(plan);
        }
        if self.state.screen() == Screen::Settings
            && let Some(left) = self.voice_variants.poll()
        {
            wake = Some(earliest(wake, left));
        }
        if let Some(left) = self.sample.poll(now) {
            wake = Some(earliest(wake, left));
        }
        if self.importer.is_busy() {
            wake = Some(earliest(wake, IMPORT_POLL));
        }
        if let Some(left) = self.remind(ctx) {
            wake = Some(earliest(wake, left));
        }
        // Messages expire by themselves: drop the old ones and wake for the others.
        if self.state.toast.as_ref().is_some_and(|t| t.1 <= now) {
            self.state.toast = None;
        }
        if let Some((_, until)) = &self.state.toast {
            wake = Some(earliest(wake, until.saturating_sub(now)));
        }
        if let Some(wake) = wake {
            ctx.request_repaint_after(wake);
        }
    }

    /// Runs the session under way: starts its clock with the sound, hands its cues to the
    /// caption and the speaker, writes its row at each step boundary and ends it at its
    /// finish. Returns when it next needs a frame.
    pub(super) fn run_session(&mut self, now: Duration) -> Option<Duration> {
        self.state.run_session(self.audio.is_ready(), now)?;
        let session = self.state.session()?;
        self.audio.sync(session.player(), now);
        if !self.state.is_playing() {
            return None;
        }
        let mut wake = if session.waits_for_sound() {
            Some(SOUND_POLL)
        } else {
            session.wake(now)
        };
        // An animated picture wakes the window when its frame changes, not before.
        if let Some(left) = ui::next_frame_in(session, now, self.state.settings.animations) {
            wake = Some(earliest(wake, left));
        }
        wake
    }

    /// Shows the session on the desktop's media controls, offering it when it starts and
    /// taking it away when it ends.
    fn show_now_playing(&mut self, ctx: &egui::Context, now: Duration) {
        if !self.media_keys {
            return;
        }
        let Some(shown) = self.state.now_playing(now) else {
            self.media = None;
            return;
        };
        let media = self.media.get_or_insert_with(|| {
            let repaint = ctx.clone();
            MediaControls::start(APP_ID, Box::new(move || repaint.request_repaint()))
        });
        media.show(shown);
    }

    /// Writes the settings if they changed since the last read or write. A failed write is
    /// said once and tried again at the next change.
    pub(super) fn save_settings(&mut self) {
        if self.state.settings == self.saved_settings {
            return;
        }
        self.saved_settings = self.state.settings.clone();
        if let Some(path) = &self.settings_file
            && let Err(error) = settings::save(path, &self.state.settings)
        {
            log::warn!("settings not saved to {}: {error}", path.display());
            let message = format!("Settings could not be saved ({error}): {}", path.display());
            self.toast(message);
        }
    }

    /// Watches the routine folders, and the place of each that does not exist yet (the
    /// user's is made by the first import or `limberup new`) for it to appear.
    pub(super) fn watch_folders(&mut self) {
        let Some(watcher) = &mut self.watcher else {
            return;
        };
        let folders: Vec<PathBuf> = self
            .state
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

    /// Reads every routine again, then watches their folders and refreshes their pictures.
    fn reload_library(&mut self) {
        self.state.reload_library();
        self.library_reloaded();
    }

    /// After the library was read again: its folders are watched and its pictures
    /// refreshed; a session under way keeps its own until it ends.
    pub(super) fn library_reloaded(&mut self) {
        if self.state.is_playing() {
            self.stale_pictures = true;
        } else {
            self.illustrations.clear();
        }
        self.watch_folders();
    }

    /// Reloads after files changed on disk and says what it found, unless a session plays.
    fn files_changed(&mut self, changed: &BTreeSet<PathBuf>) {
        // A folder that has just appeared is watched before it is read, so a file saved
        // into it meanwhile is either read now or reported next.
        self.watch_folders();
        self.reload_library();
        // A folder appearing (the user's, made by `new` or an import) is not a save: what
        // it brings shows in the library, and an import says so itself.
        if self.state.is_playing() || changed.iter().all(|p| p.is_dir()) {
            return;
        }
        // The files an import writes into the user's folder (through a hidden scratch folder
        // renamed into place) are not a save either: the import says what it did.
        let now = self.now();
        let importing = self.importer.is_busy() || self.just_imported.is_some_and(|t| now <= t);
        if importing
            && let Some(user) = &self.state.folders.user
            && changed.iter().all(|p| p.starts_with(user))
        {
            return;
        }
        let touched: Vec<&library::Entry> = self
            .state
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
                match &entry.routine {
                    Some(routine) => format!("{file} changed: “{}” reloaded", routine.title),
                    None => format!(
                        "{file} changed: {}, shown with the routine",
                        plural(errors, "error")
                    ),
                }
            }
            _ => format!(
                "{} changed on disk: routines reloaded",
                plural(changed.len(), "file")
            ),
        };
        self.toast(message);
    }

    /// Sends a dropped or named file to the import worker.
    fn import(&mut self, path: PathBuf) {
        self.start_import(path, false);
    }

    /// Starts importing `path`; it replaces nothing already in the library unless `replace`.
    pub(super) fn start_import(&mut self, path: PathBuf, replace: bool) {
        let existing = crate::bundle::Existing::of(&self.state.library);
        if let Err(message) = self.importer.start(path, replace, existing) {
            self.toast(message);
        }
    }

    /// Puts back what the last import replaced, and moves the import aside in turn.
    pub(super) fn undo_import(&mut self, undo: &ImportUndo) {
        self.just_imported = Some(self.now() + IMPORT_ECHO);
        match crate::bundle::undo_import(&undo.folder, &undo.kept_aside) {
            Ok(()) => {
                self.reload_library();
                self.toast(format!("undone: {} was put back as it was", undo.name));
            }
            Err(error) => self.toast(format!(
                "could not undo the import of {}: {error}",
                undo.name
            )),
        }
    }

    /// An import ended: the library is read again and the routine it brought opens.
    fn imported(&mut self, ctx: &egui::Context, imported: Imported) {
        let now = self.now();
        // Even a refused bundle was checked in a scratch folder beside the user's routines.
        self.just_imported = Some(now + IMPORT_ECHO);
        let show = match imported {
            Imported::Done {
                name,
                routines,
                folder,
                kept_aside,
            } => {
                self.reload_library();
                let title = routines
                    .iter()
                    .find_map(|id| self.state.routine(id))
                    .map_or(name, |r| format!("“{}”", r.title));
                self.toast(format!("imported {title} into {}", folder.display()));
                // What it replaced is kept aside; the banner offers to put it back.
                self.state.import_undo = (!kept_aside.is_empty()).then_some(ImportUndo {
                    name: title,
                    folder,
                    kept_aside,
                });
                routines.first().cloned()
            }
            Imported::WouldReplace { name, path, what } => {
                self.state.import_question = Some(ImportQuestion { name, path, what });
                None
            }
            Imported::Failed(message) => {
                self.state.toast(message, now);
                None
            }
        };
        // An import that ends during a session waits on the library page.
        if let Some(id) = show.filter(|_| !self.state.is_playing()) {
            self.apply(Command::Show(Screen::Routine(id)), ctx);
        }
    }

    /// Desk-break reminders: when one is due, the banner and a desktop notification;
    /// otherwise how long until the app should look again.
    fn remind(&mut self, ctx: &egui::Context) -> Option<Duration> {
        for event in self.notifier.events() {
            match event {
                NotifyEvent::Failed(reason) => {
                    if self.state.notifications_unavailable.is_none() {
                        log::info!(
                            "desktop notifications unavailable ({reason}); the banner shows instead"
                        );
                    }
                    self.state.notifications_unavailable = Some(reason);
                }
                NotifyEvent::Clicked => self.apply(Command::OpenDeskBreak, ctx),
            }
        }
        let settings = &self.state.settings;
        if !settings.desk_break_reminders {
            self.reminder = None;
            self.state.reminder_due = false;
            return None;
        }
        let (now, wall) = (self.now(), self.clock.wall());
        let minutes = settings.desk_break_interval_mins;
        let interval = Duration::from_secs(u64::from(minutes) * 60);
        let timer = match &mut self.reminder {
            Some(timer) if timer.interval() == interval => timer,
            other => other.insert(ReminderTimer::new(interval, now, wall)),
        };
        if matches!(self.state.page, Page::Player(_) | Page::Finish(_)) {
            // Playing a routine is a break from the desk.
            timer.restart(now, wall);
            return None;
        }
        match timer.poll(now, wall) {
            Decision::Wait(left) => Some(left),
            Decision::Remind => {
                self.state.reminder_due = true;
                self.notifier.notify(ctx, minutes);
                Some(interval.min(LOOK_EVERY))
            }
        }
    }

    /// Gives egui the text size and theme of the settings, when they changed.
    pub(super) fn apply_style(&mut self, ctx: &egui::Context) {
        let settings = &self.state.settings;
        let wanted = (settings.text_scale, settings.theme);
        if self.style == Some(wanted) {
            return;
        }
        theme::apply_text_scale(ctx, settings.text_scale);
        ctx.set_theme(match settings.theme {
            settings::Theme::System => egui::ThemePreference::System,
            settings::Theme::Dark => egui::ThemePreference::Dark,
            settings::Theme::Light => egui::ThemePreference::Light,
        });
        self.style = Some(wanted);
    }
}

/// The earlier of a wake time so far and `left`.
fn earliest(wake: Option<Duration>, left: Duration) -> Duration {
    wake.map_or(left, |w| w.min(left))
}
