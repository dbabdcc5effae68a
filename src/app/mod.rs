//! The window: a thin shell over [`State`], which knows no egui.
//!
//! Each frame, `logic` (in `logic.rs`) keeps time, reads keys, drops and saves, and runs the
//! session; `ui` (in `ui/`) only draws and returns [`Command`]s. Commands are applied by
//! [`State::apply`] after drawing; the [`Effect`]s it returns (sound, window, desktop) are
//! carried out here. Nothing here decides timing: the player does, from the injected
//! [`Clock`].

mod command;
pub mod icon;
pub mod illustrations;
mod import;
mod keymap;
mod logic;
mod notify;
mod now_playing;
mod state;
pub mod theme;
mod ui;
mod voice_sample;
mod voice_variants;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use eframe::egui;
use jiff::tz::TimeZone;

use crate::audio::{AudioSettings, AudioStatus, CueAudio};
use crate::launch::{First, Launch};
use crate::library::{Folders, Library, Named};
use crate::media_controls::MediaControls;
use crate::places::UserPlaces;
use crate::reminder::ReminderTimer;
use crate::session::{Log, Session};
use crate::settings::{self, Settings};
use crate::timeline::{Clock, Plan, ScaledClock, SystemClock};
use crate::watch::FolderWatcher;
pub use command::{At, Command, Effect};
pub use state::{Screen, State};
pub use ui::CHART_LABEL;

/// The app id: the desktop file's name and `StartupWMClass`, the metainfo's id, the icon's
/// name and the window's app id (Wayland) and class (X11).
pub const APP_ID: &str = "io.github.limberup.LimberUp";

/// How the app starts.
pub struct Options {
    /// The clock the player runs on (a manual one in tests).
    pub clock: Arc<dyn Clock>,
    /// Where to find routines.
    pub folders: Folders,
    /// What to show first: the library, a routine's page, or a routine playing.
    pub first: First,
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
    /// Whether a session is offered to the desktop's media controls (media keys, headset
    /// buttons, the top bar); tests that do not drive them leave the session bus alone.
    pub media_keys: bool,
}

impl Options {
    /// The standard places, the system clock (sped up when `launch` says so) and the
    /// user's data folder, opening on what `launch` asks for.
    #[must_use]
    pub fn standard(launch: Launch) -> Self {
        let places = UserPlaces::of_this_user();
        let clock: Arc<dyn Clock> = if (launch.clock_speed - 1.0).abs() < f64::EPSILON {
            Arc::new(SystemClock::new())
        } else {
            Arc::new(ScaledClock::new(SystemClock::new(), launch.clock_speed))
        };
        Self {
            clock,
            folders: Folders::standard(launch.extra_folders),
            first: launch.first,
            history_db: places.as_ref().map(UserPlaces::training_log),
            settings_file: places.as_ref().map(UserPlaces::settings_file),
            time_zone: TimeZone::system(),
            sound: true,
            notifications: true,
            media_keys: true,
        }
    }
}

/// The app: the state, and the services only a window has.
pub struct LimberApp {
    state: State,
    clock: Arc<dyn Clock>,
    settings_file: Option<PathBuf>,
    /// The settings as last read or written, to see when they need saving.
    saved_settings: Settings,
    audio: CueAudio,
    /// Live reload; `None` when the OS refused a watcher (said in a toast).
    watcher: Option<FolderWatcher>,
    notifier: notify::Notifier,
    illustrations: illustrations::Illustrations,
    importer: import::Importer,
    reminder: Option<ReminderTimer>,
    /// The text size and theme last given to egui.
    style: Option<(f32, settings::Theme)>,
    /// Illustrations changed on disk during a session; their textures are dropped after it.
    stale_pictures: bool,
    /// Until when the watcher's reports from the user's routines folder are the last
    /// import's own writes rather than a save.
    just_imported: Option<Duration>,
    /// The settings screen's voice sample.
    sample: voice_sample::Sample,
    /// The espeak-ng variants on this machine, listed when the settings screen first shows.
    voice_variants: voice_variants::VoiceVariants,
    /// What is left to do once the first frame is drawn; `None` after.
    startup: Option<Startup>,
    /// Whether sessions are offered to the desktop's media controls.
    media_keys: bool,
    /// The session on the desktop's media controls, while one plays.
    media: Option<MediaControls>,
}

/// The start-up work that waits for the window's first frame.
struct Startup {
    history_db: Option<PathBuf>,
    first: First,
    /// Whether the first frame has been drawn.
    drawn: bool,
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
            app.state.alerts.insert(0, notice.to_string());
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
        if let First::Open(name) | First::Play { routine: name, .. } = &options.first {
            options.folders.add_named(&Named::new(name));
        }
        let audio = audio_for(&settings, options.sound);
        let user_folder = options.folders.user.clone();
        let state = State::unloaded(settings.clone(), options.folders, options.time_zone);
        let mut app = Self {
            state,
            clock: options.clock,
            settings_file: options.settings_file,
            saved_settings: settings,
            audio,
            watcher: None,
            notifier: notify::Notifier::new(options.notifications),
            illustrations: illustrations::Illustrations::new(ctx),
            importer: import::Importer::new(ctx, user_folder),
            reminder: None,
            style: None,
            stale_pictures: false,
            just_imported: None,
            sample: voice_sample::Sample::default(),
            voice_variants: voice_variants::VoiceVariants::new(),
            startup: Some(Startup {
                history_db: options.history_db,
                first: options.first,
                drawn: false,
            }),
            media_keys: options.media_keys,
            media: None,
        };
        // The first frame already in the athlete's text size and theme.
        app.apply_style(ctx);
        app
    }

    /// After the first frame has been drawn: reads the library and the log, starts
    /// watching the folders and shows what the launch asked for. Nothing of it is needed
    /// to draw the window, so the window shows first.
    fn finish_startup(&mut self, ctx: &egui::Context) {
        let Some(startup) = &mut self.startup else {
            return;
        };
        if !startup.drawn {
            startup.drawn = true;
            fit_to_screen(ctx);
            ctx.request_repaint();
            return;
        }
        let Some(startup) = self.startup.take() else {
            return;
        };
        let zone = self.state.zone.clone();
        self.state
            .load(Log::open(startup.history_db.as_deref(), &zone));
        let repaint = ctx.clone();
        match FolderWatcher::new(move || repaint.request_repaint()) {
            Ok(watcher) => {
                self.watcher = Some(watcher);
                self.watch_folders();
            }
            Err(error) => self.toast(format!("live reload is off: {error}")),
        }
        self.open_first(ctx, startup.first);
    }

    fn now(&self) -> Duration {
        self.clock.now()
    }

    fn at(&self) -> At {
        At {
            now: self.clock.now(),
            wall: self.clock.wall(),
        }
    }

    fn toast(&mut self, message: impl Into<String>) {
        let now = self.now();
        self.state.toast(message, now);
    }

    /// The screen showing.
    #[must_use]
    pub fn screen(&self) -> Screen {
        self.state.screen()
    }

    /// The session, if one is under way or just finished.
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        self.state.session()
    }

    /// The settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        self.state.settings()
    }

    /// The library.
    #[must_use]
    pub fn library(&self) -> &Library {
        self.state.library()
    }

    /// The plan of the routine whose page is showing (what its total and a start use), if
    /// one is showing and it loaded.
    #[must_use]
    pub fn routine_plan(&self) -> Option<&Arc<Plan>> {
        self.state.page_plan()
    }

    /// Whether sound plays, and if not, why.
    #[must_use]
    pub fn audio_status(&self) -> &AudioStatus {
        self.audio.status()
    }

    /// Whether the sound device is kept open (a routine's page or a session shows).
    #[must_use]
    pub fn sound_device_wanted(&self) -> bool {
        self.audio.device_wanted()
    }

    /// Whether a dropped file is still being imported.
    #[must_use]
    pub fn is_importing(&self) -> bool {
        self.importer.is_busy()
    }

    /// The pictures held as textures (or being decoded): what the last frame drew or
    /// prefetched.
    #[must_use]
    pub fn pictures_held(&self) -> Vec<PathBuf> {
        self.illustrations.held().map(Path::to_path_buf).collect()
    }

    /// Applies `command` and carries out its effects.
    pub fn apply(&mut self, command: Command, ctx: &egui::Context) {
        let at = self.at();
        for effect in self.state.apply(command, at) {
            self.carry_out(effect, ctx);
        }
        // A session that just started begins with the sound, if it is ready.
        self.run_session(at.now);
        self.keep_sound();
        ctx.request_repaint();
    }

    /// Keeps the sound device open while a routine's page or a session shows, or a voice
    /// sample plays; closes it after the last sound otherwise.
    fn keep_sound(&mut self) {
        let needed = self.state.needs_sound() || self.sample.is_busy();
        self.audio.need_device(needed);
    }

    fn carry_out(&mut self, effect: Effect, ctx: &egui::Context) {
        match effect {
            Effect::PrepareSound(plan) => self.audio.prepare(&plan),
            Effect::Fullscreen(on) => ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(on)),
            Effect::RaiseWindow => {
                ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
                ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
            }
            Effect::OpenFolder(folder) => {
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
            Effect::Reloaded => self.library_reloaded(),
            Effect::SpeakSample(voice) => self.sample.start(&mut self.audio, &voice),
            Effect::Import(path) => self.start_import(path, true),
            Effect::UndoImport(undo) => self.undo_import(&undo),
        }
    }
}

impl eframe::App for LimberApp {
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        theme::clear_colour(visuals)
    }

    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        theme::cap_texture_side(raw_input);
    }

    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.frame_logic(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let now = self.now();
        let commands = ui::draw(
            ui,
            &mut self.state,
            &ui::Services {
                audio: self.audio.status(),
                voice: &self.audio,
                now,
                voice_variants: self.voice_variants.listed(),
                sample: &self.sample,
            },
            &mut self.illustrations,
        );
        // Only the pictures this frame drew or prefetched stay decoded.
        self.illustrations.sweep();
        for command in commands {
            self.apply(command, ui.ctx());
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_settings();
        // A session closed with the window is kept, marked as not finished, with the steps
        // done and skipped so far; on the finish screen, with the note typed so far.
        let now = self.now();
        self.state.write_session(now);
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

/// The cue audio for `settings`: a device opened in the background when a routine needs it,
/// or silence (tests).
fn audio_for(settings: &Settings, sound: bool) -> CueAudio {
    if sound {
        CueAudio::on_demand(audio_settings(settings))
    } else {
        CueAudio::silent(audio_settings(settings))
    }
}

/// Sizes a window that opened at [`theme::WINDOW`] to the screen it is on
/// ([`theme::window_for_screen`]), keeping its centre; a size eframe restored from the
/// last run is the athlete's and stays, unless it no longer fits the screen.
fn fit_to_screen(ctx: &egui::Context) {
    let (screen, inner, outer) = ctx.input(|i| {
        let viewport = i.viewport();
        (
            viewport.monitor_size,
            viewport.inner_rect,
            viewport.outer_rect,
        )
    });
    let (Some(screen), Some(inner)) = (screen, inner) else {
        return;
    };
    let wanted = theme::window_for_screen(screen);
    let at_default = (inner.size() - theme::WINDOW).length() <= 1.0;
    // A window as large as the screen (a system clamped the default to it, or a size kept
    // from a larger screen) has its edges under the desktop's panels.
    let too_large = inner.width() >= screen.x || inner.height() >= screen.y;
    if !(at_default || too_large) || (wanted - inner.size()).length() < 1.0 {
        return;
    }
    ctx.send_viewport_cmd(egui::ViewportCommand::InnerSize(wanted));
    if let Some(outer) = outer {
        let corner = (outer.min - (wanted - inner.size()) / 2.0).max(egui::Pos2::ZERO);
        ctx.send_viewport_cmd(egui::ViewportCommand::OuterPosition(corner));
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
        // Resized to the screen at the first frame, when eframe knows it ([`LimberApp::fit_to_screen`]).
        .with_inner_size(theme::WINDOW)
        .with_min_inner_size(theme::MIN_WINDOW)
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
