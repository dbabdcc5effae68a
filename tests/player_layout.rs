//! The player read from three metres (`egui_kittest`, manual clock, no display): at 1280x720
//! and 1920x1080 the step's name, its side and what comes next are each at least 8 % of the
//! window's height and the countdown larger still; a paused screen looks paused; the resume
//! count-in is as large as the countdown; Text size grows the player; a long name never
//! pushes the countdown off the screen; the Flash setting lights up the whole window at each
//! boundary and at the finish, on the session's clock.

use std::sync::Arc;
use std::time::Duration;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use limberup::app::{LimberApp, Options, Screen, theme};
use limberup::launch::First;
use limberup::library::Folders;
use limberup::settings::Settings;
use limberup::timeline::ManualClock;

/// A sided stretch then a plain step, so the first step shows LEFT and a "Next" with a side.
const ROUTINE: &str = r#"Routine(format: 1, title: "Distance test", sections: [
    Section(title: "Hips", steps: [
        Step(name: "Kneeling hip flexor stretch", instruction: "Kneel on the rear knee.", time: 30, sides: Both, switch_pause: 5),
        Step(name: "Glute bridge", instruction: "Drive through the heels.", time: 30),
    ]),
])"#;

/// The share of the window's height a line read from three metres needs.
const DISTANCE: f32 = 0.08;

struct Player {
    harness: Harness<'static, LimberApp>,
    clock: ManualClock,
    _dir: tempfile::TempDir,
}

impl Player {
    fn advance(&mut self, by: Duration) {
        self.clock.advance(by);
        self.harness.run_steps(2);
    }

    fn press(&mut self, key: egui::Key) {
        self.harness.key_press(key);
        self.harness.run_steps(2);
    }

    fn height_of(&self, label: &str) -> f32 {
        self.harness.get_by_label(label).rect().height()
    }

    /// The full-window flash this frame drew, if any: its colour (unmultiplied, opaque) and
    /// its opacity.
    fn flash(&self) -> Option<(egui::Color32, f32)> {
        let window = self.harness.ctx.content_rect();
        let output = self.harness.output();
        let flashes: Vec<_> = output
            .shapes
            .iter()
            .filter_map(|clipped| match &clipped.shape {
                egui::Shape::Rect(rect)
                    if rect.rect == window && rect.fill != egui::Color32::TRANSPARENT =>
                {
                    let [r, g, b, a] = rect.fill.to_srgba_unmultiplied();
                    Some((egui::Color32::from_rgb(r, g, b), f32::from(a) / 255.0))
                }
                _ => None,
            })
            .collect();
        assert!(flashes.len() <= 1, "one flash at most: {flashes:?}");
        flashes.first().copied()
    }

    /// When the last frame asked for the next one.
    fn repaint_delay(&self) -> Duration {
        self.harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay
    }

    /// The colour the text `text` is painted in this frame.
    fn colour_of(&self, text: &str) -> egui::Color32 {
        let output = self.harness.output();
        let colours: Vec<_> = output
            .shapes
            .iter()
            .filter_map(|clipped| match &clipped.shape {
                egui::Shape::Text(shape) if shape.galley.text() == text => {
                    shape.galley.job.sections.first().map(|s| s.format.color)
                }
                _ => None,
            })
            .collect();
        assert_eq!(colours.len(), 1, "one {text:?} painted");
        colours[0]
    }
}

/// The app at `size` with `routine` as its only routine, in the first step after the lead-in.
fn playing(size: egui::Vec2, text_scale: f32, routine: &str) -> Player {
    let settings = Settings {
        voice: false,
        text_scale,
        ..Settings::default()
    };
    playing_with(size, settings, routine)
}

/// As [`playing`], with `settings`.
fn playing_with(size: egui::Vec2, settings: Settings, routine: &str) -> Player {
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(dir.path().join("distance-test.ron"), routine).expect("routine file");
    let clock = ManualClock::new();
    let options = Options {
        clock: Arc::new(clock.clone()),
        folders: Folders {
            bundled: Some(dir.path().to_path_buf()),
            user: None,
            extra: Vec::new(),
        },
        first: First::Library,
        history_db: None,
        settings_file: None,
        time_zone: jiff::tz::TimeZone::UTC,
        sound: false,
        notifications: false,
        media_keys: false,
    };
    let mut harness = Harness::builder()
        .with_size(size)
        .with_step_dt(0.001)
        .build_eframe(move |cc| LimberApp::with_settings(&cc.egui_ctx, options, settings));
    harness.run_steps(2);
    harness.get_by_label("Open Distance test").click();
    harness.run_steps(2);
    let mut player = Player {
        harness,
        clock,
        _dir: dir,
    };
    player.press(egui::Key::Enter);
    // The 3 s lead-in: the stretch's left side starts.
    player.advance(Duration::from_secs(3));
    player
}

#[test]
fn the_name_the_side_and_next_read_from_three_metres_and_the_countdown_is_larger() {
    for (width, height) in [(1280.0, 720.0), (1920.0, 1080.0)] {
        let mut player = playing(egui::vec2(width, height), 1.0, ROUTINE);
        let at = format!("{width}x{height}");
        let least = DISTANCE * height;
        let name = player.height_of("Kneeling hip flexor stretch");
        let side = player.height_of("LEFT");
        let next = player
            .harness
            .get_by_label_contains("Next: ")
            .rect()
            .height();
        let countdown = player.height_of("0:30");
        for (what, h) in [("name", name), ("side", side), ("next", next)] {
            assert!(
                h >= least,
                "{at}: the {what} is {h} points tall, under {least}"
            );
        }
        assert!(
            countdown > name.max(side).max(next) * 2.0,
            "{at}: the countdown ({countdown}) is not the largest"
        );
        let countdown_rect = player.harness.get_by_label("0:30").rect();
        assert!(
            countdown_rect.bottom() <= height,
            "{at}: the countdown ends below the window"
        );

        // Paused: a large PAUSED, and the digits dimmed.
        let running = player.colour_of("0:30");
        player.press(egui::Key::Space);
        let paused = player.height_of("PAUSED");
        assert!(paused >= least, "{at}: PAUSED is {paused} points tall");
        let dimmed = player.colour_of("0:30");
        assert_ne!(
            dimmed, running,
            "{at}: pausing leaves the countdown as it was"
        );
        assert!(
            dimmed.to_srgba_unmultiplied()[3] < running.to_srgba_unmultiplied()[3]
                || u16::from(dimmed.r()) + u16::from(dimmed.g()) + u16::from(dimmed.b())
                    < u16::from(running.r()) + u16::from(running.g()) + u16::from(running.b()),
            "{at}: the paused countdown ({dimmed:?}) is not dimmer than the running one ({running:?})"
        );

        // Resumed: the count-in in the countdown's digits, then time runs again.
        player.press(egui::Key::Space);
        assert!(player.harness.query_by_label("PAUSED").is_none(), "{at}");
        player.harness.get_by_label("Get ready");
        let count_in = player.harness.get_by_label("3").rect();
        assert!(
            (count_in.height() - countdown_rect.height()).abs() < 0.5,
            "{at}: the count-in is {} points tall, the countdown {}",
            count_in.height(),
            countdown_rect.height()
        );
        player.advance(Duration::from_secs(3));
        assert_eq!(player.colour_of("0:30"), running, "{at}: running again");
    }
}

#[test]
fn text_size_160_percent_grows_the_player_and_the_countdown_still_shows() {
    let size = egui::vec2(1280.0, 720.0);
    let normal = playing(size, 1.0, ROUTINE);
    let large = playing(size, 1.6, ROUTINE);
    for label in [
        "Kneeling hip flexor stretch",
        "LEFT",
        "Kneel on the rear knee.",
    ] {
        let (before, after) = (normal.height_of(label), large.height_of(label));
        assert!(
            after >= before * 1.5,
            "{label}: {before} points at 100 %, {after} at 160 %"
        );
    }
    let countdown = large.harness.get_by_label("0:30").rect();
    assert!(
        countdown.bottom() <= size.y,
        "the countdown ends at {}",
        countdown.bottom()
    );
}

#[test]
fn a_long_name_is_cut_to_two_rows_and_the_countdown_still_shows() {
    let long = "Kneeling hip flexor stretch with a reach overhead ".repeat(40);
    let routine = ROUTINE.replace("Kneeling hip flexor stretch", long.trim());
    let size = egui::vec2(1280.0, 720.0);
    let player = playing(size, 1.0, &routine);
    // The whole name stays the label's accessible name; the screen shows two rows of it.
    let name = player.harness.get_by_label(long.trim()).rect();
    let one_row = player.height_of("LEFT");
    assert!(
        name.height() < one_row * 2.5,
        "the name takes {} points",
        name.height()
    );
    let countdown = player.harness.get_by_label("0:30").rect();
    assert!(
        countdown.bottom() <= size.y,
        "the countdown ends at {}",
        countdown.bottom()
    );
    assert!(
        countdown.top() > name.bottom(),
        "the countdown is under the name"
    );
}

#[test]
fn muting_shows_on_the_player_not_only_in_a_button() {
    let mut player = playing(egui::vec2(1280.0, 720.0), 1.0, ROUTINE);
    assert!(player.harness.query_by_label("Sound muted").is_none());
    player.press(egui::Key::M);
    player.harness.get_by_label("Sound muted");
    player.press(egui::Key::M);
    assert!(player.harness.query_by_label("Sound muted").is_none());
}

/// Whether `seen` is `want`, give or take the rounding of premultiplied alpha.
fn same_colour(seen: egui::Color32, want: egui::Color32) -> bool {
    seen.to_array()
        .iter()
        .zip(want.to_array())
        .all(|(a, b)| a.abs_diff(b) <= 3)
}

#[test]
fn the_flash_lights_the_whole_window_at_each_boundary_and_fades_on_the_sessions_clock() {
    let settings = Settings {
        voice: false,
        transition_flash: true,
        ..Settings::default()
    };
    let mut player = playing_with(egui::vec2(1280.0, 720.0), settings, ROUTINE);
    // The lead-in has just run out: the stretch's left side starts, in the work colour.
    let (colour, opacity) = player.flash().expect("a flash at the boundary");
    assert!(same_colour(colour, theme::WORK), "{colour:?}");
    assert!((opacity - theme::FLASH_OPACITY).abs() < 0.01, "{opacity}");
    assert!(
        player.repaint_delay() <= theme::FLASH_STEP,
        "the fade asks for its next step: {:?}",
        player.repaint_delay()
    );
    // Frames without the session's clock moving leave it as it is: it is not wall time.
    player.harness.run_steps(20);
    assert_eq!(player.flash().map(|f| f.1), Some(opacity), "held");
    player.advance(Duration::from_millis(300));
    let (_, half) = player.flash().expect("fading");
    assert!(half < opacity * 0.6 && half > 0.2, "{half}");
    player.advance(Duration::from_millis(300));
    assert_eq!(player.flash(), None, "gone after the fade");
    assert!(
        player.repaint_delay() > Duration::from_millis(300),
        "no more frames for it: {:?}",
        player.repaint_delay()
    );
    // Nothing between boundaries.
    player.advance(Duration::from_secs(20));
    assert_eq!(player.flash(), None);
    // The switch, in its own colour.
    player.advance(Duration::from_millis(9_400));
    let (colour, _) = player.flash().expect("a flash at the switch");
    assert!(same_colour(colour, theme::SWITCH), "{colour:?}");
    // A press is a boundary too: Next from the switch to the right side.
    player.advance(Duration::from_secs(2));
    assert_eq!(player.flash(), None);
    player.press(egui::Key::ArrowRight);
    let (colour, _) = player.flash().expect("a flash at Next");
    assert!(same_colour(colour, theme::WORK), "{colour:?}");
    // The finish: the right side and the bridge run out.
    player.advance(Duration::from_mins(1));
    assert_eq!(player.harness.state().screen(), Screen::Finish);
    let (colour, _) = player.flash().expect("a flash at the finish");
    assert!(same_colour(colour, theme::FINISH_FLASH), "{colour:?}");
    player.advance(Duration::from_millis(600));
    assert_eq!(player.flash(), None, "gone on the finish screen too");
}

#[test]
fn without_the_flash_setting_no_boundary_flashes_or_asks_for_frames() {
    let mut player = playing(egui::vec2(1280.0, 720.0), 1.0, ROUTINE);
    assert!(!player.harness.state().settings().transition_flash, "off");
    let mut delays = vec![player.repaint_delay()];
    assert_eq!(player.flash(), None, "at the first step");
    for by in [30_000, 5_000, 30_000] {
        player.advance(Duration::from_millis(by));
        assert_eq!(player.flash(), None, "after {by} ms");
        delays.push(player.repaint_delay());
    }
    player.advance(Duration::from_secs(30));
    assert_eq!(player.harness.state().screen(), Screen::Finish);
    assert_eq!(player.flash(), None, "at the finish");
    // The finish screen's first frames settle (a new page asks for one more), then rest.
    player.harness.run_steps(1);
    delays.push(player.repaint_delay());
    assert!(
        delays.iter().all(|d| *d > theme::FLASH_STEP),
        "only the countdown's frames: {delays:?}"
    );
}

#[test]
fn a_stop_does_not_flash() {
    let settings = Settings {
        voice: false,
        transition_flash: true,
        ..Settings::default()
    };
    let mut player = playing_with(egui::vec2(1280.0, 720.0), settings, ROUTINE);
    // Stopped within the fade of a boundary: the finish screen does not flash.
    player.press(egui::Key::Escape);
    player.press(egui::Key::Enter);
    assert_eq!(player.harness.state().screen(), Screen::Finish);
    assert_eq!(player.flash(), None);
}
