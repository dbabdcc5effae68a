//! MPRIS (`org.mpris.MediaPlayer2`, version 2.2) on the session bus, through zbus.
//!
//! One thread per session: it connects, serves the two interfaces at
//! `/org/mpris/MediaPlayer2`, takes the name `org.mpris.MediaPlayer2.limberup` (or its
//! `.instance<pid>` form when another Limber Up has it, as the specification asks), then
//! waits for what to show and announces each change (`PropertiesChanged`). Methods the
//! desktop calls run on zbus's own executor thread and only pass the key on. When the
//! window drops its handle the thread ends, the connection closes and the player leaves the
//! bus.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

use zbus::blocking::connection::{Builder, Connection};
use zbus::interface;
use zbus::object_server::SignalEmitter;
use zbus::zvariant::{ObjectPath, Value};

use super::{MediaKey, NowPlaying, Wake};

/// Where both interfaces are served, as the specification fixes it.
const OBJECT_PATH: &str = "/org/mpris/MediaPlayer2";

/// The bus name; a second instance adds `.instance<pid>`.
const BUS_NAME: &str = "org.mpris.MediaPlayer2.limberup";

/// What the desktop calls the player.
const IDENTITY: &str = "Limber Up";

/// Where track ids live; each segment of the plan is one.
const TRACK_PREFIX: &str = "/io/github/limberup/LimberUp/segment";

/// Starts the thread that serves the session on the bus.
pub(super) fn spawn(
    desktop_entry: &'static str,
    shown: Receiver<NowPlaying>,
    keys: Sender<MediaKey>,
    wake: Wake,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("limberup-mpris".to_owned())
        .spawn(move || {
            let keys = Keys {
                keys,
                wake: Arc::new(wake),
            };
            let connection = match connect(desktop_entry, keys) {
                Ok(connection) => connection,
                Err(error) => {
                    log::info!("media keys are off: no session bus ({error})");
                    return;
                }
            };
            if let Err(error) = serve(&connection, &shown) {
                log::warn!("media keys stopped: {error}");
            }
        })
        .map(drop)
}

fn connect(desktop_entry: &'static str, keys: Keys) -> zbus::Result<Connection> {
    let root = Root {
        desktop_entry,
        keys: keys.clone(),
    };
    let player = Player { keys, shown: None };
    let connection = Builder::session()?
        .serve_at(OBJECT_PATH, root)?
        .serve_at(OBJECT_PATH, player)?
        .build()?;
    if connection.request_name(BUS_NAME).is_err() {
        connection.request_name(format!("{BUS_NAME}.instance{}", std::process::id()))?;
    }
    Ok(connection)
}

/// Shows each new state until the window hangs up.
fn serve(connection: &Connection, shown: &Receiver<NowPlaying>) -> zbus::Result<()> {
    let player = connection
        .object_server()
        .interface::<_, Player>(OBJECT_PATH)?;
    while let Ok(mut now) = shown.recv() {
        // Only the newest matters when several came at once.
        while let Ok(newer) = shown.try_recv() {
            now = newer;
        }
        let mut iface = player.get_mut();
        let before = iface.shown.take().map(|(shown, _)| shown);
        iface.shown = Some((now.clone(), Instant::now()));
        let emitter = player.signal_emitter();
        let status_changed = before.as_ref().is_none_or(|b| b.playing != now.playing);
        // Back to the start of the same step: the desktop's progress jumps back too.
        let went_back = before
            .as_ref()
            .is_some_and(|b| b.segment == now.segment && now.position < b.position);
        async_io::block_on(async {
            if status_changed {
                iface.playback_status_changed(emitter).await?;
            }
            if went_back {
                Player::seeked(emitter, micros(now.position)).await?;
            }
            iface.metadata_changed(emitter).await?;
            if before.is_none() {
                iface.can_go_previous_changed(emitter).await?;
                iface.can_go_next_changed(emitter).await?;
            }
            zbus::Result::Ok(())
        })?;
    }
    Ok(())
}

/// Passes keys to the window and wakes it.
#[derive(Clone)]
struct Keys {
    keys: Sender<MediaKey>,
    wake: Arc<Wake>,
}

impl Keys {
    fn press(&self, key: MediaKey) {
        if self.keys.send(key).is_ok() {
            (self.wake)();
        }
    }
}

/// `org.mpris.MediaPlayer2`: who the player is.
struct Root {
    desktop_entry: &'static str,
    keys: Keys,
}

#[interface(name = "org.mpris.MediaPlayer2")]
#[expect(
    clippy::unused_self,
    reason = "the specification's fixed answers are still methods of the served object"
)]
impl Root {
    fn raise(&self) {
        self.keys.press(MediaKey::Raise);
    }

    /// The session is ended in the window, where its record is kept; quitting from the top
    /// bar is not offered (`CanQuit` is false).
    fn quit(&self) {}

    #[zbus(property)]
    fn can_quit(&self) -> bool {
        false
    }

    #[zbus(property)]
    fn can_raise(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn has_track_list(&self) -> bool {
        false
    }

    #[zbus(property)]
    fn identity(&self) -> &str {
        IDENTITY
    }

    #[zbus(property)]
    fn desktop_entry(&self) -> &str {
        self.desktop_entry
    }

    #[zbus(property)]
    fn supported_uri_schemes(&self) -> Vec<String> {
        Vec::new()
    }

    #[zbus(property)]
    fn supported_mime_types(&self) -> Vec<String> {
        Vec::new()
    }
}

/// `org.mpris.MediaPlayer2.Player`: the session as a track list of one step at a time.
struct Player {
    keys: Keys,
    /// What the window last said, and when.
    shown: Option<(NowPlaying, Instant)>,
}

#[interface(name = "org.mpris.MediaPlayer2.Player")]
#[expect(
    clippy::unused_self,
    reason = "the specification's fixed answers are still methods of the served object"
)]
impl Player {
    fn next(&self) {
        self.keys.press(MediaKey::Next);
    }

    fn previous(&self) {
        self.keys.press(MediaKey::Previous);
    }

    fn pause(&self) {
        self.keys.press(MediaKey::Pause);
    }

    fn play_pause(&self) {
        self.keys.press(MediaKey::PlayPause);
    }

    fn stop(&self) {
        self.keys.press(MediaKey::Stop);
    }

    fn play(&self) {
        self.keys.press(MediaKey::Play);
    }

    /// A step's time is changed with +10 s and -10 s in the window; seeking is not offered
    /// (`CanSeek` is false), so these do nothing, as the specification allows.
    fn seek(&self, offset: i64) {
        let _ = offset;
    }

    fn set_position(&self, track_id: ObjectPath<'_>, position: i64) {
        let _ = (track_id, position);
    }

    /// Nothing to open: the session plays what the window started.
    fn open_uri(&self, uri: &str) {
        let _ = uri;
    }

    #[zbus(signal)]
    async fn seeked(emitter: &SignalEmitter<'_>, position: i64) -> zbus::Result<()>;

    #[zbus(property)]
    fn playback_status(&self) -> &str {
        match &self.shown {
            Some((now, _)) if now.playing => "Playing",
            Some(_) => "Paused",
            None => "Stopped",
        }
    }

    #[zbus(property)]
    fn rate(&self) -> f64 {
        1.0
    }

    #[zbus(property)]
    fn minimum_rate(&self) -> f64 {
        1.0
    }

    #[zbus(property)]
    fn maximum_rate(&self) -> f64 {
        1.0
    }

    #[zbus(property)]
    fn volume(&self) -> f64 {
        1.0
    }

    #[zbus(property)]
    fn metadata(&self) -> HashMap<&'static str, Value<'static>> {
        self.shown
            .as_ref()
            .map(|(now, _)| metadata(now))
            .unwrap_or_default()
    }

    /// Read when asked, not announced (as the specification says): the time shown plus
    /// the time since, while it runs.
    #[zbus(property(emits_changed_signal = "false"))]
    fn position(&self) -> i64 {
        self.shown.as_ref().map_or(0, |(now, at)| {
            let mut position = now.position;
            if now.playing {
                position += at.elapsed();
            }
            if let Some(length) = now.length {
                position = position.min(length);
            }
            micros(position)
        })
    }

    #[zbus(property)]
    fn can_go_next(&self) -> bool {
        self.shown.is_some()
    }

    #[zbus(property)]
    fn can_go_previous(&self) -> bool {
        self.shown.is_some()
    }

    #[zbus(property)]
    fn can_play(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn can_pause(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn can_seek(&self) -> bool {
        false
    }

    #[zbus(property)]
    fn can_control(&self) -> bool {
        true
    }
}

/// The track's metadata: the step as its title, the time left as its artist line (what
/// top bars and lock screens show under the title) and the routine as its album.
fn metadata(now: &NowPlaying) -> HashMap<&'static str, Value<'static>> {
    let mut map = HashMap::new();
    let track = ObjectPath::try_from(format!("{TRACK_PREFIX}{}", now.segment))
        .unwrap_or_else(|_| ObjectPath::from_static_str_unchecked(TRACK_PREFIX));
    map.insert("mpris:trackid", Value::from(track));
    if let Some(length) = now.length {
        map.insert("mpris:length", Value::from(micros(length)));
    }
    map.insert("xesam:title", Value::from(now.step.clone()));
    map.insert("xesam:artist", Value::from(vec![now.detail.clone()]));
    map.insert("xesam:album", Value::from(now.routine.clone()));
    map
}

/// Microseconds, as MPRIS counts time.
fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NowPlaying {
        NowPlaying {
            routine: "Pre-run warm-up".to_owned(),
            step: "Hip flexor stretch · left side".to_owned(),
            detail: "0:25 left".to_owned(),
            segment: 7,
            length: Some(Duration::from_secs(30)),
            position: Duration::from_secs(5),
            playing: true,
        }
    }

    #[test]
    fn the_metadata_names_the_step_its_time_left_and_the_routine() {
        let map = metadata(&now());
        assert_eq!(
            map["xesam:title"],
            Value::from("Hip flexor stretch · left side")
        );
        assert_eq!(
            map["xesam:artist"],
            Value::from(vec!["0:25 left".to_owned()])
        );
        assert_eq!(map["xesam:album"], Value::from("Pre-run warm-up"));
        assert_eq!(map["mpris:length"], Value::from(30_000_000_i64));
        assert_eq!(
            map["mpris:trackid"],
            Value::from(ObjectPath::try_from("/io/github/limberup/LimberUp/segment7").unwrap()),
        );
    }

    #[test]
    fn a_done_step_has_no_length() {
        let map = metadata(&NowPlaying {
            length: None,
            ..now()
        });
        assert!(!map.contains_key("mpris:length"), "{map:?}");
    }
}
