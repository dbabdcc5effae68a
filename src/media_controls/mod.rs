//! The desktop's media controls: while a session plays, Limber Up is a media player to the
//! desktop, so headset buttons and media keys pause, skip and go back, and the top bar and
//! the lock screen show the step and the time left.
//!
//! On Linux this is MPRIS over the session bus (`mpris.rs`), served from its own thread: the
//! window never waits on D-Bus. [`MediaControls`] is the window's handle: it sends what
//! plays ([`NowPlaying`]) and receives the keys pressed ([`MediaKey`]). Dropping it takes the
//! player off the bus. Without a session bus (or on other systems, for now) the keys simply
//! never come, and the app runs as before.
//!
//! This module knows nothing of routines or sessions: the window says what to show in words.

#[cfg(all(unix, not(target_os = "macos")))]
mod mpris;

use std::sync::mpsc;
use std::time::Duration;

/// What the desktop shows about the session under way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NowPlaying {
    /// The routine's title (the "album").
    pub routine: String,
    /// The step as the player shows it, with its side ("Hip flexor stretch · left side").
    pub step: String,
    /// The line under it: the time left, or what the step waits for ("0:25 left").
    pub detail: String,
    /// Which segment of the plan this is; a new one is a new "track".
    pub segment: usize,
    /// The step's length, when it has one (a Done step has none).
    pub length: Option<Duration>,
    /// Time into the step, pauses excluded.
    pub position: Duration,
    /// Whether time runs (the count-in after a resume counts as running).
    pub playing: bool,
}

/// A button the desktop passed on (a media key, a headset button, the top bar's controls).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKey {
    /// Play/pause: pause, or resume with the count-in.
    PlayPause,
    /// Play: resume when paused.
    Play,
    /// Pause.
    Pause,
    /// Stop. Pauses: a stray headset press must not end a session.
    Stop,
    /// Next track: Done on a Done step, the next step otherwise.
    Next,
    /// Previous track: Back.
    Previous,
    /// Bring the window to the front.
    Raise,
}

/// The handle the window keeps while a session plays.
#[derive(Debug)]
pub struct MediaControls {
    shown: mpsc::Sender<NowPlaying>,
    keys: mpsc::Receiver<MediaKey>,
    last: Option<NowPlaying>,
}

/// How the window is woken when a key arrives (`egui::Context::request_repaint`).
pub type Wake = Box<dyn Fn() + Send + Sync>;

impl MediaControls {
    /// Offers the session to the desktop as a media player named after `desktop_entry`
    /// (the desktop file's name, without `.desktop`), from a thread of its own; `wake` is
    /// called after each key, so a paused window hears it at once. Returns at once: the
    /// connection is made on that thread, and a failure there is logged and otherwise
    /// silent (no key ever comes). Where the system has no media controls Limber Up can
    /// use, the handle is just as silent.
    #[must_use]
    pub fn start(desktop_entry: &'static str, wake: Wake) -> Self {
        let (shown, shown_rx) = mpsc::channel();
        let (keys_tx, keys) = mpsc::channel();
        #[cfg(all(unix, not(target_os = "macos")))]
        if let Err(error) = mpris::spawn(desktop_entry, shown_rx, keys_tx, wake) {
            log::warn!("media keys are off: {error}");
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        drop((desktop_entry, shown_rx, keys_tx, wake));
        Self {
            shown,
            keys,
            last: None,
        }
    }

    /// Shows `now` on the desktop, when it differs from what is shown.
    pub fn show(&mut self, now: NowPlaying) {
        if self.last.as_ref() == Some(&now) {
            return;
        }
        // The thread is gone only when the bus was not reachable: nothing to show then.
        if self.shown.send(now.clone()).is_ok() {
            self.last = Some(now);
        }
    }

    /// The keys pressed since the last call, oldest first.
    #[must_use]
    pub fn keys(&self) -> Vec<MediaKey> {
        self.keys.try_iter().collect()
    }
}
