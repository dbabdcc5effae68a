//! The real app driven through AccessKit with a manual clock (`egui_kittest`, no display).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use limberup::app::{LimberApp, Options, Screen};
use limberup::history::{EntrySource, OnDamage, SessionEntry, StepOutcome, Store};
use limberup::launch::First;
use limberup::library::Folders;
use limberup::settings::Settings;
use limberup::timeline::{DoneSteps, Language, ManualClock, Plan, SegmentKind, Voice};

const ROUTINE: &str = r#"Routine(
    format: 1,
    title: "Evening test",
    description: "A short routine for the app tests.",
    tags: ["test"],
    equipment: ["mat"],
    safety: "Stop on sharp pain.",
    sections: [
        Section(title: "Stretch", steps: [
            Step(name: "Kneeling hip flexor stretch", instruction: "Kneel on the rear knee.", time: 30, sides: Both, switch_pause: 5, rest_after: 10),
            Step(name: "Slow jog", instruction: "Jog easy.", until_done: true, suggested_time: "2 min"),
            Step(name: "Constructive rest", instruction: "Lie on your back.", time: 20),
        ]),
    ],
)
"#;

struct Setup {
    clock: ManualClock,
    history: PathBuf,
    dir: tempfile::TempDir,
}

fn harness(folder: Option<&Path>) -> (Harness<'static, LimberApp>, Setup) {
    build(folder, quiet(), &[], None)
}

/// The default settings with spoken announcements off: the plan makes no time for words, so
/// a test's timings are the routine's own (3 s of lead-in, no time to get into position).
/// The tests of the voice turn it on.
fn quiet() -> Settings {
    Settings {
        voice: false,
        ..Settings::default()
    }
}

/// The app on `folder`'s routines (the test routine when `None`), with `settings`, a log
/// holding `seed`, and the wall clock starting at `wall_start` seconds after the epoch.
fn build(
    folder: Option<&Path>,
    settings: Settings,
    seed: &[SessionEntry],
    wall_start: Option<u64>,
) -> (Harness<'static, LimberApp>, Setup) {
    build_saving(folder, settings, seed, wall_start, None)
}

/// As [`build`], saving the settings to `settings_file` when they change.
fn build_saving(
    folder: Option<&Path>,
    settings: Settings,
    seed: &[SessionEntry],
    wall_start: Option<u64>,
    settings_file: Option<PathBuf>,
) -> (Harness<'static, LimberApp>, Setup) {
    let dir = tempfile::tempdir().expect("temp folder");
    let routines = match folder {
        Some(folder) => folder.to_path_buf(),
        None => {
            let routines = dir.path().join("routines");
            std::fs::create_dir(&routines).expect("routines folder");
            std::fs::write(routines.join("evening-test.ron"), ROUTINE).expect("routine file");
            routines
        }
    };
    let clock = ManualClock::new();
    if let Some(secs) = wall_start {
        clock.set_wall_start(secs);
    }
    let history = dir.path().join("history.sqlite3");
    if !seed.is_empty() {
        let mut store = Store::open(&history, OnDamage::Refuse)
            .expect("a new log")
            .store;
        store.insert_all(seed).expect("seeded");
    }
    let options = Options {
        clock: Arc::new(clock.clone()),
        folders: Folders {
            bundled: Some(routines),
            user: Some(dir.path().join("user")),
            extra: Vec::new(),
        },
        first: First::Library,
        history_db: Some(history.clone()),
        settings_file,
        time_zone: jiff::tz::TimeZone::get("Pacific/Auckland").expect("a known zone"),
        sound: false,
        notifications: false,
        media_keys: false,
    };
    let harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(0.001)
        .build_eframe(move |cc| LimberApp::with_settings(&cc.egui_ctx, options, settings));
    (
        harness,
        Setup {
            clock,
            history,
            dir,
        },
    )
}

fn advance(harness: &mut Harness<'_, LimberApp>, clock: &ManualClock, by: Duration) {
    clock.advance(by);
    harness.run_steps(2);
}

/// The test routine as the library loaded it.
fn evening_test(harness: &Harness<'_, LimberApp>) -> Arc<limberup::routine::Routine> {
    harness
        .state()
        .library()
        .get("evening-test")
        .and_then(|e| e.routine.clone())
        .expect("the test routine loads")
}

/// From the library to the test routine's outline.
fn open_evening_test(harness: &mut Harness<'_, LimberApp>) {
    harness.get_by_label("Open Evening test").click();
    harness.run_steps(2);
}

/// From the library into the test routine's first step, past the 3 s lead-in.
fn start_evening_test(harness: &mut Harness<'_, LimberApp>, clock: &ManualClock) {
    open_evening_test(harness);
    press(harness, egui::Key::Enter);
    advance(harness, clock, Duration::from_secs(3));
}

/// Esc, confirm the stop, close the finish screen: back to the library.
fn stop_and_close(harness: &mut Harness<'_, LimberApp>) {
    press(harness, egui::Key::Escape);
    press(harness, egui::Key::Enter);
    press(harness, egui::Key::Enter);
}

/// Types `text` into the library's filter.
fn filter_library(harness: &mut Harness<'_, LimberApp>, text: &str) {
    let filter = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Filter");
    filter.focus();
    filter.type_text(text);
    harness.run_steps(2);
}

/// Clicks the library card titled `title`: the page of the routine `id` shows.
fn open_card(harness: &mut Harness<'_, LimberApp>, title: &str, id: &str) {
    harness.get_by_label(&format!("Open {title}")).click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().screen(),
        Screen::Routine(id.to_owned()),
        "the card opens its routine's page"
    );
}

/// What eframe does with a renderer that allows 16384-texel textures (llvmpipe does) before
/// each frame: the app's input hook sees it (kittest does not call the hook itself).
fn renderer_allows_16384_texels(harness: &mut Harness<'_, LimberApp>) {
    let ctx = harness.ctx.clone();
    let mut raw = harness.input().clone();
    raw.max_texture_side = Some(16_384);
    eframe::App::raw_input_hook(harness.state_mut(), &ctx, &mut raw);
    *harness.input_mut() = raw;
}

fn press(harness: &mut Harness<'_, LimberApp>, key: egui::Key) {
    harness.key_press(key);
    harness.run_steps(2);
}

#[test]
fn the_window_draws_before_the_library_is_read_and_it_appears_the_frame_after() {
    // Frames by hand: the harness runs until nothing changes before a test can look.
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(dir.path().join("evening-test.ron"), ROUTINE).expect("routine file");
    let options = Options {
        clock: Arc::new(ManualClock::new()),
        folders: Folders {
            bundled: Some(dir.path().to_path_buf()),
            user: None,
            extra: Vec::new(),
        },
        first: First::Library,
        history_db: Some(dir.path().join("history.sqlite3")),
        settings_file: None,
        time_zone: jiff::tz::TimeZone::UTC,
        sound: false,
        notifications: false,
        media_keys: false,
    };
    let ctx = egui::Context::default();
    let mut app = LimberApp::with_settings(&ctx, options, quiet());
    let mut frame = eframe::Frame::_new_kittest();
    let mut draw = |app: &mut LimberApp| {
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            eframe::App::logic(app, ui.ctx(), &mut frame);
            eframe::App::ui(app, ui, &mut frame);
        });
        output.textures_delta.clear();
        output
            .shapes
            .iter()
            .any(|shape| format!("{:?}", shape.shape).contains("Loading routines"))
    };
    assert!(draw(&mut app), "the first frame says it is loading");
    assert!(app.library().entries.is_empty(), "and reads nothing");
    assert!(
        !dir.path().join("history.sqlite3").exists(),
        "the log is not opened before the window shows"
    );
    draw(&mut app);
    assert!(
        app.library().get("evening-test").is_some(),
        "the next frame reads the library"
    );
    assert!(
        dir.path().join("history.sqlite3").exists(),
        "and opens the log"
    );
    assert!(!draw(&mut app), "which then shows");
}

#[test]
fn a_whole_session_from_the_keyboard() {
    let (mut harness, setup) = harness(None);
    let clock = &setup.clock;
    harness.run_steps(2);
    assert!(
        !harness.state().sound_device_wanted(),
        "the library needs no sound device"
    );
    // Library → routine → start.
    open_evening_test(&mut harness);
    assert_eq!(
        harness.state().screen(),
        Screen::Routine("evening-test".to_owned())
    );
    assert!(
        harness.state().sound_device_wanted(),
        "the device opens with the routine's page, ready for a start"
    );
    assert!(
        harness
            .query_by_label_contains("Stop on sharp pain")
            .is_some(),
        "the safety note shows"
    );
    assert!(
        harness
            .query_by_label_contains("not medical advice")
            .is_some(),
        "the disclaimer shows before the first start"
    );
    harness.get_by_label("Start").click();
    harness.run_steps(2);
    assert_eq!(harness.state().screen(), Screen::Player);
    assert!(harness.query_by_label("Get ready").is_some());
    // After the 3 s lead-in, the first step with its full time.
    advance(&mut harness, clock, Duration::from_secs(3));
    harness.get_by_label("Kneeling hip flexor stretch");
    harness.get_by_label("LEFT");
    harness.get_by_label("0:30");
    advance(&mut harness, clock, Duration::from_millis(4_500));
    harness.get_by_label("0:26");
    // Space pauses: time stands still.
    press(&mut harness, egui::Key::Space);
    harness.get_by_label("PAUSED");
    advance(&mut harness, clock, Duration::from_mins(1));
    harness.get_by_label("0:26");
    // Space resumes after a 3 s get-ready.
    press(&mut harness, egui::Key::Space);
    // The count-in, in the countdown's digits.
    harness.get_by_label("Get ready");
    harness.get_by_label("3");
    advance(&mut harness, clock, Duration::from_secs(3));
    harness.get_by_label("0:26");
    advance(&mut harness, clock, Duration::from_secs(1));
    harness.get_by_label("0:25");
    // Right skips to the switch, Left goes back to the stretch.
    press(&mut harness, egui::Key::ArrowRight);
    harness.get_by_label("Switch sides");
    press(&mut harness, egui::Key::ArrowLeft);
    harness.get_by_label("Kneeling hip flexor stretch");
    harness.get_by_label("0:30");
    // On to the right side, then the rest, then the Done-step.
    press(&mut harness, egui::Key::ArrowRight);
    press(&mut harness, egui::Key::ArrowRight);
    harness.get_by_label("RIGHT");
    press(&mut harness, egui::Key::ArrowRight);
    harness.get_by_label("Rest");
    harness.get_by_label("Next: Slow jog");
    advance(&mut harness, clock, Duration::from_secs(10));
    harness.get_by_label("Slow jog");
    advance(&mut harness, clock, Duration::from_secs(65));
    harness.get_by_label("1:05");
    assert_eq!(
        harness.state().session().unwrap().player().segment().title,
        "Slow jog",
        "a Done-step waits"
    );
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label("Constructive rest");
    // The last step runs out: the finish screen.
    assert!(harness.state().sound_device_wanted(), "while it plays");
    advance(&mut harness, clock, Duration::from_secs(20));
    assert_eq!(harness.state().screen(), Screen::Finish);
    harness.get_by_label("Routine complete");
    assert!(
        !harness.state().sound_device_wanted(),
        "closed once the finish has played out"
    );
    press(&mut harness, egui::Key::Num3);
    harness.get_by_label("Saved with this session: 3 of 10");
    press(&mut harness, egui::Key::Enter);
    assert_eq!(harness.state().screen(), Screen::Library);
    let saved = logged(&setup.history);
    assert_eq!(saved.len(), 1, "one session");
    assert_eq!(saved[0].routine_id, "evening-test");
    assert!(saved[0].finished);
    assert_eq!(saved[0].check_in_after, Some(3));
    assert_eq!(saved[0].check_in_before, None, "none was given");
    // The manual clock's wall starts on Monday 3 March 2025, 07:00 UTC: 20:00 in Auckland.
    assert_eq!(
        limberup::history::csv::iso_start(&saved[0]),
        "2025-03-03T20:00:00+13:00"
    );
}

/// The sessions in the log at `path`.
fn logged(path: &Path) -> Vec<limberup::history::SessionEntry> {
    Store::open(path, OnDamage::Refuse)
        .expect("the log opens")
        .store
        .sessions()
        .expect("the log reads")
}

#[test]
fn stop_asks_first() {
    let (mut harness, setup) = harness(None);
    harness.run_steps(2);
    open_evening_test(&mut harness);
    press(&mut harness, egui::Key::Enter);
    assert_eq!(harness.state().screen(), Screen::Player, "Enter starts");
    advance(&mut harness, &setup.clock, Duration::from_secs(5));
    press(&mut harness, egui::Key::Escape);
    harness.get_by_label("Stop this session?");
    press(&mut harness, egui::Key::Escape);
    assert_eq!(harness.state().screen(), Screen::Player, "Esc keeps going");
    advance(&mut harness, &setup.clock, Duration::from_secs(3));
    harness.get_by_label("Pause").click();
    harness.run_steps(2);
    harness.get_by_label("PAUSED");
    harness.get_by_label("Stop").click();
    harness.run_steps(2);
    harness.get_by_label("Stop this session?");
    press(&mut harness, egui::Key::Enter);
    assert_eq!(harness.state().screen(), Screen::Finish);
    harness.get_by_label("Session stopped");
    // Kept at once, before the finish screen is left: stopped, with the step under way.
    let saved = logged(&setup.history);
    assert_eq!(saved.len(), 1);
    assert!(!saved[0].finished, "marked as stopped");
    assert_eq!(
        (saved[0].active, saved[0].paused),
        (Duration::from_secs(5), Duration::from_secs(3)),
        "3 s lead-in and 2 s of stretch; 3 s paused while asking"
    );
    let steps: Vec<_> = saved[0]
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.actual, s.outcome))
        .collect();
    assert_eq!(
        steps,
        vec![(
            "Kneeling hip flexor stretch",
            Duration::from_secs(2),
            StepOutcome::Stopped
        )]
    );
    // The check-in and the note given afterwards go into the same row.
    press(&mut harness, egui::Key::Num4);
    let note = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Note");
    note.focus();
    note.type_text("phone rang");
    harness.run_steps(2);
    harness.get_by_label("Back to routines").click();
    harness.run_steps(2);
    let saved = logged(&setup.history);
    assert_eq!(saved.len(), 1, "updated, not added");
    assert_eq!(saved[0].check_in_after, Some(4));
    assert_eq!(saved[0].note.as_deref(), Some("phone rang"));
}

#[test]
fn the_finish_screen_counts_what_the_log_keeps_and_its_times_stop_with_the_session() {
    // Regression: for a stopped session the finish screen left out the step under way, which
    // the log counts as skipped, and its paused time kept growing after the stop.
    let (mut harness, setup) = harness(None);
    harness.run_steps(2);
    start_evening_test(&mut harness, &setup.clock);
    advance(&mut harness, &setup.clock, Duration::from_secs(4));
    press(&mut harness, egui::Key::ArrowRight);
    press(&mut harness, egui::Key::ArrowRight);
    advance(&mut harness, &setup.clock, Duration::from_secs(1));
    press(&mut harness, egui::Key::Escape);
    advance(&mut harness, &setup.clock, Duration::from_secs(2));
    press(&mut harness, egui::Key::Enter);
    assert_eq!(harness.state().screen(), Screen::Finish);
    let saved = logged(&setup.history);
    let (done, skipped) = (saved[0].steps_done(), saved[0].steps_skipped());
    assert_eq!(
        (done, skipped),
        (0, 2),
        "the left side skipped, the right one stopped under way"
    );
    let counts = format!("{done} steps done · {skipped} skipped · paused 0:02");
    harness.get_by_label(&counts);
    advance(&mut harness, &setup.clock, Duration::from_secs(30));
    harness.get_by_label(&counts);
}

#[test]
fn the_check_in_before_is_one_key_on_the_routine_page() {
    let (mut harness, setup) = harness(None);
    harness.run_steps(2);
    open_evening_test(&mut harness);
    harness.get_by_label("How does your back feel now?");
    press(&mut harness, egui::Key::Num7);
    harness.get_by_label("7 of 10, kept with this session");
    // 10 has a button.
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "10")
        .click();
    harness.run_steps(2);
    harness.get_by_label("10 of 10, kept with this session");
    press(&mut harness, egui::Key::Num6);
    press(&mut harness, egui::Key::Enter);
    assert_eq!(harness.state().screen(), Screen::Player);
    assert_eq!(
        harness.state().session().unwrap().check_in_before(),
        Some(6)
    );
    advance(&mut harness, &setup.clock, Duration::from_secs(10));
    press(&mut harness, egui::Key::Escape);
    press(&mut harness, egui::Key::Enter);
    press(&mut harness, egui::Key::Num2);
    harness.get_by_label("Saved with this session: 2 of 10 (before: 6)");
    let saved = logged(&setup.history);
    assert_eq!(
        (saved[0].check_in_before, saved[0].check_in_after),
        (Some(6), Some(2))
    );
}

#[test]
fn closing_the_window_mid_session_keeps_it_as_stopped() {
    let (mut harness, setup) = harness(None);
    harness.run_steps(2);
    open_evening_test(&mut harness);
    press(&mut harness, egui::Key::Enter);
    // Through the left side (3 s lead-in, 30 s) and 4 s into the switch.
    advance(&mut harness, &setup.clock, Duration::from_secs(37));
    eframe::App::on_exit(harness.state_mut(), None);
    let saved = logged(&setup.history);
    assert_eq!(saved.len(), 1);
    assert!(!saved[0].finished);
    let steps: Vec<_> = saved[0]
        .steps
        .iter()
        .map(|s| (s.actual, s.outcome))
        .collect();
    assert_eq!(
        steps,
        vec![(Duration::from_secs(30), StepOutcome::Done)],
        "the switch under way is no step"
    );
    eframe::App::on_exit(harness.state_mut(), None);
    assert_eq!(logged(&setup.history).len(), 1, "written once");
}

/// The environment variable that makes [`session_for_the_kill_test`] run: it is the child
/// process of [`a_session_killed_mid_way_keeps_every_step_before_the_one_under_way`].
const KILL_TEST_CHILD: &str = "LIMBERUP_KILL_TEST_CHILD";

/// In a child process: plays the evening test into the right side, says where its log is,
/// and waits to be killed.
#[test]
#[ignore = "the child process of the kill test, run by it"]
fn session_for_the_kill_test() {
    use std::io::Write as _;
    if std::env::var_os(KILL_TEST_CHILD).is_none() {
        return;
    }
    let (mut harness, setup) = harness(None);
    harness.run_steps(2);
    open_evening_test(&mut harness);
    press(&mut harness, egui::Key::Enter);
    // The lead-in (3 s), the left side (30 s), the switch (5 s), 2 s into the right side.
    advance(&mut harness, &setup.clock, Duration::from_secs(3));
    advance(&mut harness, &setup.clock, Duration::from_secs(30));
    advance(&mut harness, &setup.clock, Duration::from_secs(7));
    harness.get_by_label("RIGHT");
    let dir = setup.dir.keep();
    let mut out = std::io::stdout().lock();
    writeln!(out, "READY {}", dir.join("history.sqlite3").display()).unwrap();
    out.flush().unwrap();
    drop(out);
    std::thread::sleep(Duration::from_mins(2));
}

#[test]
#[cfg(unix)]
fn a_session_killed_mid_way_keeps_every_step_before_the_one_under_way() {
    use std::io::BufRead as _;
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "app::session_for_the_kill_test",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(KILL_TEST_CHILD, "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let history = stdout
        .lines()
        .map_while(Result::ok)
        // libtest may print "test app::… ... " on the same line first.
        .find_map(|line| {
            line.split_once("READY ")
                .map(|(_, path)| PathBuf::from(path))
        });
    // SIGKILL: no destructor, no on_exit, no chance to write anything more.
    child.kill().unwrap();
    child.wait().unwrap();
    let history = history.expect("the child played into the right side");
    let saved = logged(&history);
    std::fs::remove_dir_all(history.parent().unwrap()).unwrap();
    assert_eq!(
        saved.len(),
        1,
        "the session's row was written before the kill"
    );
    assert!(!saved[0].finished);
    let steps: Vec<_> = saved[0]
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.side, s.actual, s.outcome))
        .collect();
    assert_eq!(
        steps,
        [
            (
                "Kneeling hip flexor stretch",
                Some(limberup::timeline::Side::Left),
                Duration::from_secs(30),
                StepOutcome::Done
            ),
            (
                "Kneeling hip flexor stretch",
                Some(limberup::timeline::Side::Right),
                Duration::from_secs(2),
                StepOutcome::Stopped
            ),
        ],
        "the left side is kept; the right side under way as the first frame in it saw it (the clock jumped 2 s into it)"
    );
}

/// A session seeded into the log, at a local time in Auckland.
fn seeded(when: &str, routine: &str, before: Option<u8>, after: Option<u8>) -> SessionEntry {
    let zoned: jiff::Zoned = format!("{when}[Pacific/Auckland]")
        .parse()
        .expect("a zoned time");
    SessionEntry {
        routine_id: routine.to_owned(),
        title: if routine == "pre-run-warmup" {
            "Pre-run warm-up".to_owned()
        } else {
            "Desk break".to_owned()
        },
        content_hash: "0123456789abcdef".to_owned(),
        started: zoned.timestamp(),
        offset: zoned.offset(),
        planned: Duration::from_mins(20),
        active: Duration::from_mins(19),
        paused: Duration::ZERO,
        finished: true,
        check_in_before: before,
        check_in_after: after,
        note: None,
        steps: Vec::new(),
        source: EntrySource::App,
        levels: None,
        variant: None,
    }
}

/// Four weeks meeting a goal of three days (3 Feb to 2 Mar 2025), then two days of the
/// week of 3 March, the tightness going down.
fn seeded_log() -> Vec<SessionEntry> {
    let mut log = Vec::new();
    for (week, monday) in ["2025-02-03", "2025-02-10", "2025-02-17", "2025-02-24"]
        .into_iter()
        .enumerate()
    {
        let monday: jiff::civil::Date = monday.parse().expect("a date");
        for (n, offset) in [0, 2, 4].into_iter().enumerate() {
            let day = monday.saturating_add(jiff::Span::new().days(offset));
            let i = u8::try_from(week * 3 + n).expect("a dozen");
            log.push(seeded(
                &format!("{day}T07:00"),
                "pre-run-warmup",
                Some(7 - i / 3),
                Some(5 - i / 3),
            ));
        }
    }
    log.push(seeded(
        "2025-03-03T07:00",
        "pre-run-warmup",
        Some(3),
        Some(1),
    ));
    log.push(seeded("2025-03-05T12:30", "desk-break", None, Some(3)));
    log
}

/// Thursday 6 March 2025, 09:00 UTC: 22:00 in Auckland.
const THURSDAY: u64 = 1_741_251_600;

#[test]
fn the_history_screen_shows_the_streak_the_week_and_the_chart() {
    let (mut harness, _setup) = build(None, quiet(), &seeded_log(), Some(THURSDAY));
    harness.run_steps(2);
    // H from the library.
    press(&mut harness, egui::Key::H);
    assert_eq!(harness.state().screen(), Screen::History);
    harness.get_by_label("Training log");
    harness.get_by_label("4 weeks");
    harness.get_by_label("2 of 3 days");
    harness.get_by_label("14 sessions");
    harness.get_by_label(limberup::app::CHART_LABEL);
    for series in ["Before", "After"] {
        harness.get_by_role_and_label(egui::accesskit::Role::CheckBox, series);
    }
    assert!(
        harness
            .query_by_label_contains("Week 10 · 3 Mar – 9 Mar 2025 · 2 of 3 days")
            .is_some(),
        "this week, not yet met"
    );
    assert!(
        harness
            .query_by_label_contains("Week 9 · 24 Feb – 2 Mar 2025 · 3 of 3 days")
            .is_some(),
        "last week, met"
    );
    harness.get_by_label("Wed 5 Mar 12:30");
    harness.get_by_label("back after 3");
    harness.get_by_label("back 3, after 1");
    // Esc goes back.
    press(&mut harness, egui::Key::Escape);
    assert_eq!(harness.state().screen(), Screen::Library);
}

#[test]
fn a_lower_weekly_goal_lengthens_the_streak() {
    let settings = Settings {
        weekly_goal_days: 2,
        ..Settings::default()
    };
    let (mut harness, _setup) = build(None, settings, &seeded_log(), Some(THURSDAY));
    harness.run_steps(2);
    harness.get_by_label("History").click();
    harness.run_steps(2);
    harness.get_by_label("5 weeks");
    harness.get_by_label("2 of 2 days");
}

#[test]
fn an_empty_history_says_what_will_appear() {
    let (mut harness, _setup) = harness(None);
    harness.run_steps(2);
    press(&mut harness, egui::Key::H);
    harness.get_by_label("No sessions yet");
    assert!(harness.query_by_label(limberup::app::CHART_LABEL).is_none());
}

/// No routines, a log at `db`, settings at `settings_file`: for tests of the stores.
fn stores_only(db: &Path, settings_file: Option<&Path>) -> Options {
    Options {
        clock: Arc::new(ManualClock::new()),
        folders: Folders {
            bundled: None,
            user: None,
            extra: Vec::new(),
        },
        first: First::Library,
        history_db: Some(db.to_path_buf()),
        settings_file: settings_file.map(Path::to_path_buf),
        time_zone: jiff::tz::TimeZone::UTC,
        sound: false,
        notifications: false,
        media_keys: false,
    }
}

#[test]
fn a_log_from_a_newer_version_turns_the_history_off_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 5).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let options = stores_only(&db, None);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            LimberApp::with_settings(&cc.egui_ctx, options, Settings::default())
        });
    harness.run_steps(2);
    // Said at start, in the banner, and kept on the history screen.
    harness.get_by_label_contains("newer version of Limber Up (schema version 5");
    harness.get_by_label("Dismiss").click();
    harness.run_steps(2);
    press(&mut harness, egui::Key::H);
    harness.get_by_label_contains("newer version of Limber Up (schema version 5");
    assert_eq!(std::fs::read(&db).unwrap(), before, "never written");
}

/// The files in `dir` whose names start with `prefix`.
fn named(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the folder lists")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn damaged_settings_and_log_are_kept_aside_and_the_app_starts_with_defaults_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let settings_file = dir.path().join("settings.ron");
    let db = dir.path().join("history.sqlite3");
    let garbage_settings = b"(volume: 0.3,\n weekly_goal_days: \"many\")".to_vec();
    let garbage_log = vec![0x5a_u8; 8192];
    std::fs::write(&settings_file, &garbage_settings).unwrap();
    std::fs::write(&db, &garbage_log).unwrap();
    let options = stores_only(&db, Some(&settings_file));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(0.001)
        .build_eframe(move |cc| LimberApp::new(&cc.egui_ctx, options));
    harness.run_steps(2);
    assert_eq!(harness.state().settings(), &Settings::default());
    // Each damaged file is kept, byte for byte, under a dated name beside it.
    let kept = named(dir.path(), "settings.ron.damaged-");
    let [kept_settings] = kept.as_slice() else {
        panic!("one damaged settings file in {:?}", named(dir.path(), ""));
    };
    assert_eq!(std::fs::read(kept_settings).unwrap(), garbage_settings);
    let kept = named(dir.path(), "history.sqlite3.damaged-");
    let [kept_log] = kept.as_slice() else {
        panic!("one damaged log in {:?}", named(dir.path(), ""));
    };
    assert_eq!(std::fs::read(kept_log).unwrap(), garbage_log);
    // The banner says so, with where each one went, and the line of the bad value.
    harness.get_by_label(&format!(
        "Your settings could not be read (line 2, column 20: expected integer), so Limber Up \
         started with the defaults. The damaged file was kept as {}",
        kept_settings.display()
    ));
    harness.get_by_label_contains(&format!(
        "so it starts empty. The damaged file was kept as {}",
        kept_log.display()
    ));
    // The new log works, and a changed setting is written to a fresh file.
    assert!(
        Store::open(&db, OnDamage::Refuse).is_ok(),
        "a new, empty log"
    );
    assert!(
        !settings_file.exists(),
        "nothing is written until something changes"
    );
    harness.get_by_label("Settings").click();
    harness.run_steps(2);
    harness.get_by_label("Spoken announcements").click();
    harness.run_steps(2);
    let loaded = limberup::settings::load(&settings_file);
    assert_eq!(loaded.notice, None);
    assert!(!loaded.settings.voice, "the change is on disk at once");
    harness.get_by_label("Dismiss").click();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label_contains("Your settings could not be read")
            .is_none(),
        "dismissed"
    );
}

#[test]
fn a_desk_break_reminder_after_the_interval_but_not_after_a_sleep() {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("routines");
    let settings = Settings {
        desk_break_reminders: true,
        desk_break_interval_mins: 30,
        ..Settings::default()
    };
    let (mut harness, setup) = build(Some(&bundled), settings, &[], None);
    harness.run_steps(2);
    let clock = &setup.clock;
    advance(&mut harness, clock, Duration::from_mins(29));
    assert!(
        harness
            .query_by_label_contains("Time for a desk break")
            .is_none()
    );
    // The lid is closed for the night: no reminder on waking, the interval starts again.
    clock.sleep(Duration::from_hours(9));
    advance(&mut harness, clock, Duration::from_mins(2));
    assert!(
        harness
            .query_by_label_contains("Time for a desk break")
            .is_none(),
        "a closed lid is no time at the desk"
    );
    // The first look after waking restarted the interval: 28, then 30 minutes later.
    advance(&mut harness, clock, Duration::from_mins(28));
    assert!(
        harness
            .query_by_label_contains("Time for a desk break")
            .is_none()
    );
    advance(&mut harness, clock, Duration::from_mins(2));
    assert!(
        harness
            .query_by_label_contains("Time for a desk break: 30 minutes")
            .is_some(),
        "30 minutes at the desk after waking"
    );
    harness.get_by_label("Start desk break").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().screen(),
        Screen::Routine("desk-break".to_owned())
    );
    assert!(
        harness
            .query_by_label_contains("Time for a desk break")
            .is_none()
    );
}

/// The app told to play (or open) `name` on start, as `limberup play NAME` (or a file
/// manager) tells it, with no routines but `bundled` and the named file's folder.
fn named_on_start(
    name: &std::ffi::OsStr,
    play: bool,
    bundled: Option<PathBuf>,
) -> (Harness<'static, LimberApp>, ManualClock, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp folder");
    let clock = ManualClock::new();
    let options = Options {
        clock: Arc::new(clock.clone()),
        folders: Folders {
            bundled,
            user: Some(dir.path().join("user")),
            extra: Vec::new(),
        },
        first: if play {
            First::Play {
                routine: name.to_owned(),
                level: None,
                variant: None,
            }
        } else {
            First::Open(name.to_owned())
        },
        ..stores_only(&dir.path().join("history.sqlite3"), None)
    };
    let harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(0.001)
        // A file name that is not UTF-8 is shown with U+FFFD where its bytes were lost, which
        // egui's default fonts draw as a box, as the app does.
        .allow_missing_glyphs()
        .build_eframe(move |cc| LimberApp::with_settings(&cc.egui_ctx, options, quiet()));
    (harness, clock, dir)
}

/// `limberup play PATH` with a file name that is not UTF-8: the path reaches the app whole,
/// its folder is searched, and the player opens on it.
#[cfg(unix)]
#[test]
fn a_routine_whose_file_name_is_not_utf8_opens_in_the_player() {
    use std::os::unix::ffi::OsStrExt as _;
    let routines = tempfile::tempdir().expect("temp folder");
    let file = routines
        .path()
        .join(std::ffi::OsStr::from_bytes(b"warm\xffup.ron"));
    std::fs::write(&file, ROUTINE).expect("routine file");

    let (mut harness, clock, _dir) = named_on_start(file.as_os_str(), true, None);
    harness.run_steps(2);
    assert_eq!(harness.state().screen(), Screen::Player);
    let session = harness.state().session().expect("a session");
    assert_eq!(session.routine().path, file, "the named file plays");
    assert_eq!(session.routine().id, "warm\u{fffd}up");
    advance(&mut harness, &clock, Duration::from_secs(3));
    harness.get_by_label("Kneeling hip flexor stretch");

    let (mut harness, _clock, _dir) = named_on_start(file.as_os_str(), false, None);
    harness.run_steps(2);
    assert_eq!(
        harness.state().screen(),
        Screen::Routine("warm\u{fffd}up".to_owned()),
        "`open` shows its outline"
    );
}

#[test]
fn a_routine_named_by_a_wrong_id_is_not_played_and_the_nearest_is_suggested() {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("routines");
    let (mut harness, _clock, _dir) =
        named_on_start(std::ffi::OsStr::new("pre-run-warmpu"), true, Some(bundled));
    harness.run_steps(2);
    assert_eq!(harness.state().screen(), Screen::Library);
    harness.get_by_label_contains("did you mean `pre-run-warmup`?");
}

#[test]
fn the_bundled_pre_run_warmup_opens_and_starts() {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("routines");
    let (mut harness, setup) = harness(Some(&bundled));
    harness.run_steps(2);
    let entry = harness
        .state()
        .library()
        .get("pre-run-warmup")
        .expect("bundled");
    let routine = Arc::clone(entry.routine.as_ref().expect("loads"));
    // The filter narrows the nine cards to the warm-ups.
    filter_library(&mut harness, "pre-run");
    assert!(
        harness.query_by_label("Open Desk break").is_none(),
        "filtered out"
    );
    open_card(&mut harness, &routine.title, "pre-run-warmup");
    harness.get_by_label("Start").click();
    harness.run_steps(2);
    advance(&mut harness, &setup.clock, Duration::from_secs(3));
    let plan = Plan::new(routine, Duration::from_secs(3));
    let first = plan
        .segments
        .iter()
        .find(|s| s.kind == SegmentKind::Work)
        .unwrap();
    harness.get_by_label(&first.title);
    let shown = limberup::text::clock(first.duration.unwrap_or_default());
    harness.get_by_label(&shown);
}

#[test]
fn the_first_screen_offers_the_pre_run_warmup_above_the_cards() {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("routines");
    let (mut harness, _setup) = harness(Some(&bundled));
    harness.run_steps(2);
    // With every bundled tag in one drop-down (a row per tag pushed the cards below the
    // fold), the offer and the first row of cards are on the first screen.
    let offer = harness.get_by_label("Warm up for a run").rect();
    let folder_button = harness.get_by_label("Open routines folder").rect();
    let first_card = harness
        .get_all_by_label_contains("Open ")
        .map(|n| n.rect())
        .filter(|&rect| rect != folder_button)
        .map(|rect| rect.top())
        .fold(f32::INFINITY, f32::min);
    assert!(offer.bottom() < first_card, "the offer is under a card");
    // The first row of cards, their Open buttons included, fits the 800-point window.
    assert!(
        first_card < 700.0,
        "the first cards' buttons are at {first_card}"
    );
    harness.get_by_label("Warm up for a run").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().screen(),
        Screen::Routine("pre-run-warmup".to_owned())
    );
    // A filter hides it: the cards it finds come first.
    press(&mut harness, egui::Key::Escape);
    filter_library(&mut harness, "hips");
    assert!(harness.query_by_label("Warm up for a run").is_none());
}

#[test]
fn broken_routines_show_in_the_errors_panel_and_the_rest_still_play() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.ron"), ROUTINE).unwrap();
    std::fs::write(
        dir.path().join("broken.ron"),
        ROUTINE.replace("title: \"Evening test\"", "tittle: \"x\""),
    )
    .unwrap();
    let (mut harness, _setup) = harness(Some(dir.path()));
    harness.run_steps(2);
    harness.get_by_label("1 routine could not be loaded");
    assert!(
        harness
            .query_by_label_contains("broken.ron:3:5: error: unknown field `tittle`")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("hint: did you mean `title`?")
            .is_some()
    );
    harness.get_by_label("Open Evening test");
}

#[test]
fn settings_and_about_screens() {
    let (mut harness, _setup) = harness(None);
    harness.run_steps(2);
    harness.get_by_label("Settings").click();
    harness.run_steps(2);
    harness.get_by_label("Spoken announcements");
    harness.get_by_role_and_label(egui::accesskit::Role::Slider, "Volume");
    harness.get_by_label("About").click();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label_contains("not medical advice")
            .is_some(),
        "About has the disclaimer"
    );
}

#[test]
fn the_flash_is_turned_on_in_settings_says_what_it_is_for_and_is_saved() {
    let dir = tempfile::tempdir().expect("temp folder");
    let settings_file = dir.path().join("settings.ron");
    let (mut harness, _setup) = build_saving(None, quiet(), &[], None, Some(settings_file.clone()));
    harness.run_steps(2);
    harness.get_by_label("Settings").click();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label_contains("For noisy places")
            .is_some(),
        "the setting says what it is for"
    );
    let flash = "Flash the whole window at each new step and at the finish";
    harness.get_by_role_and_label(egui::accesskit::Role::CheckBox, flash);
    assert!(!harness.state().settings().transition_flash, "off at first");
    harness.get_by_label(flash).click();
    harness.run_steps(2);
    assert!(harness.state().settings().transition_flash, "on");
    assert!(
        limberup::settings::load(&settings_file)
            .settings
            .transition_flash,
        "saved at once"
    );
}

#[test]
fn a_card_and_the_routine_page_give_the_same_total_with_a_ten_second_lead_in() {
    // Regression: library cards planned with the default 3 s lead-in, the routine page with
    // the setting, so the two totals differed once the lead-in was changed.
    // Past what the opening announcement needs, so the lead-in is the setting's own.
    let settings = Settings {
        lead_in_secs: 25,
        ..Settings::default()
    };
    let (mut harness, _setup) = build(None, settings, &[], None);
    harness.run_steps(2);
    let routine = evening_test(&harness);
    let planned = |lead_in_secs| {
        let settings = Settings {
            lead_in_secs,
            ..Settings::default()
        };
        Plan::with_options(Arc::clone(&routine), settings.plan_options()).total()
    };
    let total = planned(25).to_string();
    let with_default = planned(3).to_string();
    assert_ne!(total, with_default, "the lead-in changes the total");
    let shown = |harness: &Harness<'_, LimberApp>, text: &str| {
        harness.query_all_by_label(text).next().is_some()
    };
    assert!(shown(&harness, &total), "the card shows {total}");
    assert!(!shown(&harness, &with_default), "not {with_default}");
    open_evening_test(&mut harness);
    assert!(shown(&harness, &total), "the routine page shows {total}");
}

#[test]
fn voice_settings_are_saved_and_the_routine_page_is_planned_with_them() {
    let dir = tempfile::tempdir().expect("temp folder");
    let settings_file = dir.path().join("settings.ron");
    let (mut harness, _setup) = build_saving(
        None,
        Settings::default(),
        &[],
        None,
        Some(settings_file.clone()),
    );
    harness.run_steps(2);
    open_evening_test(&mut harness);
    let english = harness.state().routine_plan().expect("planned").clone();
    assert_eq!(english.language(), Language::English);
    // Settings, with the routine's page behind: the language and the speed.
    harness.get_by_label("Settings").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Language")
        .click();
    harness.run_steps(2);
    // Regression: Esc closed the list and went back to the routines with it.
    press(&mut harness, egui::Key::Escape);
    assert_eq!(
        harness.state().screen(),
        Screen::Settings,
        "Esc closes the list only"
    );
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Language")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Deutsch").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Slider, "Speed")
        .set_value_accesskit(190.0);
    harness.run_steps(2);
    harness.get_by_label("Call 10 seconds left").click();
    harness.run_steps(2);
    let saved = limberup::settings::load(&settings_file);
    assert_eq!(saved.notice, None);
    assert_eq!(saved.settings.language, Language::German, "saved at once");
    assert_eq!(saved.settings.voice_speed_wpm, 190);
    assert!(saved.settings.ten_seconds_left_call, "saved at once");
    assert_eq!(
        saved.settings.voice(),
        Voice {
            language: Language::German,
            words_per_minute: 190,
            variant: None,
        }
    );
    // Without a sound device the sample says why, beside its button.
    harness.get_by_label("No audio output: sound is turned off for this run");
    // The routine's page is planned in German now, at that speed, as a start would be.
    harness.get_by_label("Routines").click();
    harness.run_steps(2);
    open_evening_test(&mut harness);
    let plan = harness.state().routine_plan().expect("planned").clone();
    assert_eq!(plan.language(), Language::German);
    assert_eq!(plan.voice().map(|v| v.words_per_minute), Some(190));
    assert!(
        plan.options.calls.time_left,
        "the calls follow the settings"
    );
    press(&mut harness, egui::Key::Enter);
    let session = harness.state().session().expect("a session");
    assert_eq!(
        session.player().plan().options,
        plan.options,
        "the session plays the page's plan"
    );
}

#[test]
fn with_the_voice_off_the_card_and_the_routine_page_give_the_silent_total() {
    // Spoken plans make time for words that do not fit (`SegmentKind::Position`, a longer
    // lead-in), so the two totals differ: the card and the page follow the setting, as the
    // player does.
    let (mut harness, _setup) = build(None, Settings::default(), &[], None);
    harness.run_steps(2);
    let routine = evening_test(&harness);
    let planned = |voice| {
        let settings = Settings {
            voice,
            ..Settings::default()
        };
        Plan::with_options(Arc::clone(&routine), settings.plan_options())
    };
    let (spoken, silent) = (planned(true), planned(false));
    assert!(
        spoken.total().duration > silent.total().duration,
        "time made for the words: {} and {}",
        spoken.total(),
        silent.total()
    );
    open_evening_test(&mut harness);
    assert_eq!(
        harness.state().routine_plan().expect("planned").options,
        spoken.options,
        "spoken by default"
    );
    harness.get_by_label("Settings").click();
    harness.run_steps(2);
    harness.get_by_label("Spoken announcements").click();
    harness.run_steps(2);
    harness.get_by_label("Routines").click();
    harness.run_steps(2);
    let total = silent.total().to_string();
    harness
        .query_all_by_label(&total)
        .next()
        .unwrap_or_else(|| panic!("the card shows {total}"));
    open_evening_test(&mut harness);
    let page = harness.state().routine_plan().expect("planned");
    assert_eq!(page.voice(), None, "planned without words");
    assert_eq!(page.total(), silent.total());
    harness
        .query_all_by_label(&total)
        .next()
        .unwrap_or_else(|| panic!("the page shows {total}"));
}

#[test]
fn a_twenty_second_lead_in_survives_opening_settings() {
    // Regression: the slider's range (0-15 s) was narrower than the setting's (0-30 s), so
    // opening Settings silently rewrote 20 s to 15 s and saved it.
    let settings = Settings {
        lead_in_secs: 20,
        ..Settings::default()
    };
    let (mut harness, _setup) = build(None, settings, &[], None);
    harness.run_steps(2);
    harness.get_by_label("Settings").click();
    harness.run_steps(4);
    harness.get_by_role_and_label(egui::accesskit::Role::Slider, "Get ready");
    assert_eq!(
        harness.state().settings().lead_in_secs,
        20,
        "the setting as it was"
    );
}

/// Steps the app (with real time passing, for the file watcher) until `done` holds.
fn wait_for(harness: &mut Harness<'_, LimberApp>, what: &str, done: impl Fn(&LimberApp) -> bool) {
    let start = std::time::Instant::now();
    while !done(harness.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the app never saw {what}"
        );
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
    harness.run_steps(2);
}

fn title_of(app: &LimberApp, id: &str) -> Option<String> {
    app.library()
        .get(id)
        .and_then(|e| e.routine.as_ref())
        .map(|r| r.title.clone())
}

#[test]
fn saves_in_an_editor_reach_the_open_routine_screen_through_the_file_watcher() {
    let (mut harness, setup) = harness(None);
    let file = setup.dir.path().join("routines/evening-test.ron");
    harness.run_steps(2);
    open_evening_test(&mut harness);

    // A new title: the library and the open routine screen follow.
    std::fs::write(&file, ROUTINE.replace("Evening test", "Evening stretch")).unwrap();
    wait_for(&mut harness, "the new title", |app| {
        title_of(app, "evening-test").as_deref() == Some("Evening stretch")
    });
    harness.get_by_label("Evening stretch");
    assert!(
        harness
            .query_by_label_contains("evening-test.ron changed: “Evening stretch” reloaded")
            .is_some()
    );

    // A broken save: the routine screen shows where, with the fix.
    std::fs::write(
        &file,
        ROUTINE
            .replace("Evening test", "Evening stretch")
            .replace("    tags: [\"test\"],\n", "    tags: [\"test\"]\n"),
    )
    .unwrap();
    wait_for(&mut harness, "the syntax error", |app| {
        title_of(app, "evening-test").is_none()
    });
    harness.get_by_label("This routine has errors and cannot be played.");
    assert!(
        harness
            .query_by_label_contains("evening-test.ron:5:19: error: expected a comma")
            .is_some(),
        "the diagnostic with its place"
    );
    assert!(
        harness
            .query_by_label_contains("evening-test.ron changed: 1 error")
            .is_some()
    );
    // The library's errors panel has it too.
    harness.get_by_label("Back to routines").click();
    harness.run_steps(2);
    harness.get_by_label("1 routine could not be loaded");

    // Fixed: the errors go, the routine is back.
    std::fs::write(&file, ROUTINE.replace("Evening test", "Evening stretch")).unwrap();
    wait_for(&mut harness, "the fix", |app| {
        title_of(app, "evening-test").is_some()
    });
    assert!(
        harness
            .query_by_label("1 routine could not be loaded")
            .is_none()
    );
    harness.get_by_label("Open Evening stretch");
}

#[test]
fn a_session_under_way_is_not_disturbed_by_a_save() {
    let (mut harness, setup) = harness(None);
    let file = setup.dir.path().join("routines/evening-test.ron");
    harness.run_steps(2);
    start_evening_test(&mut harness, &setup.clock);
    harness.get_by_label("Kneeling hip flexor stretch");

    // The coach renames the first step and shortens it while the athlete holds it.
    std::fs::write(
        &file,
        ROUTINE
            .replace("Kneeling hip flexor stretch", "Half-kneeling stretch")
            .replace("time: 30, sides", "time: 10, sides"),
    )
    .unwrap();
    wait_for(&mut harness, "the save", |app| {
        app.library()
            .get("evening-test")
            .and_then(|e| e.routine.as_ref())
            .is_some_and(|r| r.sections[0].steps[0].name == "Half-kneeling stretch")
    });
    assert_eq!(harness.state().screen(), Screen::Player);
    harness.get_by_label("Kneeling hip flexor stretch");
    harness.get_by_label("0:30");
    harness.get_by_label("This routine changed on disk: the changes apply to the next start.");

    // The next start plays the new version.
    stop_and_close(&mut harness);
    start_evening_test(&mut harness, &setup.clock);
    harness.get_by_label("Half-kneeling stretch");
    harness.get_by_label("0:10");
}

/// A file dropped on the window, as winit hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(harness: &mut Harness<'_, LimberApp>, path: &Path) {
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.to_path_buf())));
    harness.run_steps(2);
    // The import runs on its own thread; the window carries on meanwhile.
    for _ in 0..1000 {
        if !harness.state().is_importing() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
        harness.run_steps(1);
    }
    harness.run_steps(2);
}

#[test]
fn a_dropped_bundle_is_imported_and_opened_and_a_bad_one_is_refused() {
    let (mut harness, setup) = harness(None);
    harness.run_steps(2);
    let bundle = setup.dir.path().join("quick.limberup");
    limberup::bundle::pack(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("routines/quick-pre-run-warmup.ron"),
        &bundle,
    )
    .unwrap();
    drop_file(&mut harness, &bundle);
    assert_eq!(
        harness.state().screen(),
        Screen::Routine("quick-pre-run-warmup".to_owned())
    );
    harness.get_by_label("Quick pre-run warm-up");
    let user = setup.dir.path().join("user");
    assert!(
        user.join("quick-pre-run-warmup/images/strides-1.png")
            .is_file()
    );
    assert!(
        harness
            .query_by_label_contains("imported “Quick pre-run warm-up” into")
            .is_some()
    );

    // Dropped again: the window asks, and "Keep mine" keeps the copy there.
    let routine_file = user.join("quick-pre-run-warmup/quick-pre-run-warmup.ron");
    std::fs::write(
        &routine_file,
        std::fs::read_to_string(&routine_file)
            .unwrap()
            .replace("\"Quick pre-run warm-up\"", "\"My edited warm-up\""),
    )
    .unwrap();
    drop_file(&mut harness, &bundle);
    harness.get_by_label("Replace with quick.limberup?");
    harness.get_by_label("Keep mine").click();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label("Replace with quick.limberup?")
            .is_none()
    );
    assert!(
        std::fs::read_to_string(&routine_file)
            .unwrap()
            .contains("My edited warm-up"),
        "kept"
    );
    // Again, and Replace: the edited copy is kept aside, and Undo puts it back.
    drop_file(&mut harness, &bundle);
    harness.get_by_label("Replace").click();
    harness.run_steps(2);
    for _ in 0..1000 {
        if !harness.state().is_importing() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
        harness.run_steps(1);
    }
    harness.run_steps(2);
    assert!(
        !std::fs::read_to_string(&routine_file)
            .unwrap()
            .contains("My edited warm-up"),
        "replaced"
    );
    harness.get_by_label_contains("replaced");
    harness.get_by_label("Undo").click();
    harness.run_steps(3);
    assert!(
        std::fs::read_to_string(&routine_file)
            .unwrap()
            .contains("My edited warm-up"),
        "put back"
    );
    harness.get_by_label_contains("was put back as it was");

    // Not a zip at all.
    let fake = setup.dir.path().join("fake.limberup");
    std::fs::write(&fake, "not a zip").unwrap();
    drop_file(&mut harness, &fake);
    assert!(
        harness
            .query_by_label_contains("fake.limberup was not imported:")
            .is_some()
    );
}

#[test]
fn a_dropped_routine_file_arrives_with_its_pictures() {
    let (mut harness, setup) = harness(None);
    harness.run_steps(2);
    let source = setup.dir.path().join("coach");
    std::fs::create_dir(&source).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args(["new", "Coach's hips", "--dir", source.to_str().unwrap()])
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    drop_file(&mut harness, &source.join("coach-s-hips.ron"));
    assert_eq!(
        harness.state().screen(),
        Screen::Routine("coach-s-hips".to_owned())
    );
    let arrived = setup.dir.path().join("user/coach-s-hips");
    assert!(arrived.join("coach-s-hips.ron").is_file());
    assert!(
        arrived
            .join("images/kneeling-hip-flexor-stretch.png")
            .is_file()
    );
    let entry = harness.state().library().get("coach-s-hips").unwrap();
    assert!(entry.diagnostics.is_empty(), "{:?}", entry.diagnostics);
}

#[test]
fn a_routine_deleted_while_it_plays_plays_on() {
    let (mut harness, setup) = harness(None);
    let file = setup.dir.path().join("routines/evening-test.ron");
    harness.run_steps(2);
    start_evening_test(&mut harness, &setup.clock);
    std::fs::remove_file(&file).unwrap();
    wait_for(&mut harness, "the deletion", |app| {
        app.library().get("evening-test").is_none()
    });
    harness
        .get_by_label("This routine was removed from disk; this session plays on as it started.");
    advance(&mut harness, &setup.clock, Duration::from_secs(5));
    harness.get_by_label("0:25");
    press(&mut harness, egui::Key::ArrowRight);
    harness.get_by_label("Switch sides");
}

#[test]
fn a_picture_replaced_by_garbage_while_the_app_runs_shows_a_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let routines = dir.path().join("routines");
    std::fs::create_dir_all(routines.join("images")).unwrap();
    let picture = routines.join("images/kneeling-hip-flexor-stretch.png");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("routines/images/kneeling-hip-flexor-stretch.png"),
        &picture,
    )
    .unwrap();
    std::fs::write(
        routines.join("evening-test.ron"),
        ROUTINE.replace(
            "time: 30, sides: Both",
            "time: 30, image: \"images/kneeling-hip-flexor-stretch.png\", sides: Both",
        ),
    )
    .unwrap();
    let (mut harness, setup) = harness(Some(&routines));
    harness.run_steps(2);
    start_evening_test(&mut harness, &setup.clock);
    // Garbage over the picture on screen, then the session goes on and a new one starts.
    std::fs::write(&picture, b"\x89PNG\r\n\x1a\n garbage, not a picture").unwrap();
    wait_for(&mut harness, "the damaged picture", |app| {
        app.library()
            .get("evening-test")
            .is_some_and(|e| e.diagnostics.iter().any(|d| d.message.contains("kneeling")))
    });
    for _ in 0..20 {
        advance(&mut harness, &setup.clock, Duration::from_millis(500));
    }
    harness.get_by_label("Kneeling hip flexor stretch");
    stop_and_close(&mut harness);
    open_evening_test(&mut harness);
    press(&mut harness, egui::Key::Enter);
    for _ in 0..20 {
        advance(&mut harness, &setup.clock, Duration::from_millis(500));
    }
    harness.get_by_label("Kneeling hip flexor stretch");
    drop(dir);
}

/// A routine that says how often it is meant to be done, with a set-up and a partner.
const AIMED: &str = r#"Routine(
    format: 1,
    title: "Pre-run warm-up",
    frequency: "3 times a week",
    sections: [
        Section(title: "Strength", setup: "Six cones, 5-6 m apart.", steps: [
            Step(name: "Nordic curl", instruction: "Lower yourself slowly.", reps: 5,
                partner: "Holds your ankles down."),
        ]),
    ],
)
"#;

#[test]
fn a_routines_aim_set_up_and_partner_show_on_its_page_and_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pre-run-warmup.ron"), AIMED).unwrap();
    let (mut harness, _setup) = build(
        Some(dir.path()),
        Settings::default(),
        &seeded_log(),
        Some(THURSDAY),
    );
    harness.run_steps(2);
    harness.get_by_label("Open Pre-run warm-up").click();
    harness.run_steps(2);
    harness.get_by_label("Meant for 3 times a week");
    harness.get_by_label("Set up: Six cones, 5-6 m apart.");
    harness.get_by_label("With a partner: Holds your ankles down.");
    harness.get_by_label("History").click();
    harness.run_steps(2);
    // Three sessions in each of the four weeks before this one, one so far this week.
    harness.get_by_label("3 times a week: 1 this week, met 4 of the last 4 weeks");
}

/// A step timed within a range and a count per side, for the player test.
const DOSES: &str = r#"Routine(
    format: 1,
    title: "Doses test",
    sections: [
        Section(title: "Strength", steps: [
            Step(name: "Bench", instruction: "On the forearms, body straight.", time: "20-30 s"),
            Step(name: "Lunge", instruction: "Long step.", reps: "10 each leg", distance: "20 m"),
        ]),
    ],
)
"#;

#[test]
fn the_player_shows_a_range_beside_the_clock_and_a_count_per_side() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doses-test.ron"), DOSES).unwrap();
    let (mut harness, setup) = harness(Some(dir.path()));
    harness.run_steps(2);
    harness.get_by_label("Open Doses test").click();
    harness.run_steps(2);
    // The routine page gives each step's dose as written.
    harness.get_by_label("20-30 s");
    harness.get_by_label("20 m, 10 each side");
    press(&mut harness, egui::Key::Enter);
    advance(&mut harness, &setup.clock, Duration::from_secs(3));
    // Timed at the upper value, the range as written beside the clock.
    harness.get_by_label("Bench");
    harness.get_by_label("0:30");
    harness.get_by_label("20-30 s");
    advance(&mut harness, &setup.clock, Duration::from_secs(30));
    harness.get_by_label("Lunge");
    harness.get_by_label("10 each side");
    harness.get_by_label("20 m");
    stop_and_close(&mut harness);
}

#[test]
fn the_player_shows_the_side_of_each_alternating_rep() {
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(
        dir.path().join("lunge-test.ron"),
        r#"Routine(format: 1, title: "Lunge test", sections: [Section(title: "Lunges", steps: [
            Step(name: "Forward lunge", instruction: "Lunge, changing legs each rep.", reps: 10, rep_time: 3, sides: Alternating),
        ])])"#,
    )
    .expect("routine file");
    let (mut harness, setup) = harness(Some(dir.path()));
    let clock = &setup.clock;
    harness.run_steps(2);
    harness.get_by_label("Open Lunge test").click();
    harness.run_steps(2);
    press(&mut harness, egui::Key::Enter);
    advance(&mut harness, clock, Duration::from_secs(3));
    // Rep 1 of 10 is the left side's first; the badge says which side, the counter its count.
    assert!(harness.query_by_label("Left 1 of 5").is_some(), "rep 1");
    assert!(harness.query_by_label("LEFT").is_some(), "rep 1's badge");
    advance(&mut harness, clock, Duration::from_secs(3));
    assert!(harness.query_by_label("Right 1 of 5").is_some(), "rep 2");
    assert!(harness.query_by_label("RIGHT").is_some(), "rep 2's badge");
    assert!(
        harness.query_by_label("LEFT").is_none(),
        "one badge at a time"
    );
    advance(&mut harness, clock, Duration::from_secs(24));
    assert!(harness.query_by_label("Right 5 of 5").is_some(), "rep 10");
}

#[test]
fn levels_and_variants_are_picked_on_the_routine_page_remembered_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/levels.ron");
    std::fs::copy(&fixture, dir.path().join("levels.ron")).unwrap();
    let (mut harness, setup) = build(Some(dir.path()), quiet(), &[], None);
    harness.run_steps(2);
    harness.get_by_label("Open Levels check").click();
    harness.run_steps(2);
    assert_eq!(
        harness.query_all_by_label("Level 1 of 3").count(),
        2,
        "two steps with levels"
    );
    harness.get_by_label("4:38");
    harness.get_by_label("move up when 3 x 30 s is easy");
    // One step by mouse: the bench at level 2, the total with it.
    harness
        .query_all_by_label("Level 2")
        .next()
        .unwrap()
        .click();
    harness.run_steps(2);
    harness.get_by_label("Bench: alternate legs");
    harness.get_by_label("Level 2 of 3");
    harness.get_by_label("5:08");
    // Every step one up by key: the bench at 3, the Nordic at 2.
    press(&mut harness, egui::Key::CloseBracket);
    harness.get_by_label("Bench: one leg lifted and held");
    harness.get_by_label("Nordic hamstring: intermediate");
    press(&mut harness, egui::Key::OpenBracket);
    press(&mut harness, egui::Key::CloseBracket);
    harness.get_by_label("Level 3 of 3");
    // The variants: match day leaves part 2 out.
    harness.get_by_label("Match day").click();
    harness.run_steps(2);
    harness.get_by_label("2:18");
    assert!(
        harness
            .query_by_label("Bench: one leg lifted and held")
            .is_none()
    );
    harness.get_by_label("Under 12").click();
    harness.run_steps(2);
    harness.get_by_label("Kneeling lean");
    let choice = harness
        .state()
        .settings()
        .routine_choices
        .get("levels")
        .cloned();
    assert_eq!(
        choice,
        Some(limberup::routine::Selection {
            levels: vec![1, 3, 2],
            variant: Some("Under 12".to_owned()),
        }),
        "remembered per routine, in the settings"
    );
    // Away and back: the page opens on the same choice.
    press(&mut harness, egui::Key::Escape);
    harness.get_by_label("Open Levels check").click();
    harness.run_steps(2);
    harness.get_by_label("Kneeling lean");
    harness.get_by_label("Level 3 of 3");
    // Played: the log and the CSV keep the level and the variant.
    press(&mut harness, egui::Key::Enter);
    advance(&mut harness, &setup.clock, Duration::from_secs(5));
    stop_and_close(&mut harness);
    let saved = logged(&setup.history);
    assert_eq!(
        saved[0].levels.as_deref(),
        Some("3"),
        "the one levelled step it plays"
    );
    assert_eq!(saved[0].variant.as_deref(), Some("Under 12"));
    let mut csv = Vec::new();
    limberup::history::csv::write(&saved, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",source,levels,variant")
    );
    assert!(
        csv.lines().nth(1).unwrap().ends_with(",app,3,Under 12"),
        "{csv}"
    );
    // And the history screen says which version was played.
    harness.get_by_label("History").click();
    harness.run_steps(2);
    harness.get_by_label("Level 3 · Under 12");
}

/// Set in the child process of [`a_bare_file_name_plays_from_the_current_folder`], which
/// runs in the folder of the routine.
const BARE_NAME_CHILD: &str = "LIMBERUP_APP_TEST_BARE_NAME";

/// Issue 19: `limberup play my-routine.ron` and `limberup my-routine.ron` with a bare file
/// name (no `./`) opened the library with "no routine `my-routine.ron`". The app is told the
/// name as the command line gives it, in a child process whose current folder holds the
/// file (a test cannot change its own without disturbing the others).
#[test]
fn a_bare_file_name_plays_from_the_current_folder() {
    if std::env::var_os(BARE_NAME_CHILD).is_some() {
        let name = std::ffi::OsStr::new("my-routine.ron");
        let here = std::env::current_dir().expect("a current folder");
        let (mut harness, _clock, _dir) = named_on_start(name, true, None);
        harness.run_steps(2);
        assert_eq!(harness.state().screen(), Screen::Player, "`play` plays it");
        let session = harness.state().session().expect("a session");
        assert_eq!(
            session.routine().path,
            here.join("my-routine.ron"),
            "the file in the current folder"
        );
        let (mut harness, _clock, _dir) = named_on_start(name, false, None);
        harness.run_steps(2);
        assert_eq!(
            harness.state().screen(),
            Screen::Routine("my-routine".to_owned()),
            "`limberup FILE` shows its outline"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(dir.path().join("my-routine.ron"), ROUTINE).expect("routine file");
    let output = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "app::a_bare_file_name_plays_from_the_current_folder",
            "--test-threads=1",
        ])
        .current_dir(dir.path())
        .env(BARE_NAME_CHILD, "1")
        .output()
        .expect("the test binary runs");
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && out.contains("1 passed"),
        "{out}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Issue 19: a routine made with `limberup new` while the app is open, in a routines folder
/// that did not exist when the app started, appears without Reload: the app watches the
/// nearest folder above it for it to appear.
#[test]
fn a_routine_made_with_new_in_a_folder_that_did_not_exist_at_the_start_appears() {
    let dir = tempfile::tempdir().expect("temp folder");
    let user = dir.path().join("data/limberup/routines");
    let options = Options {
        folders: Folders {
            bundled: None,
            user: Some(user.clone()),
            extra: Vec::new(),
        },
        ..stores_only(&dir.path().join("history.sqlite3"), None)
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(0.001)
        .build_eframe(move |cc| {
            LimberApp::with_settings(&cc.egui_ctx, options, Settings::default())
        });
    harness.run_steps(2);
    assert!(!user.exists(), "the folder is made by `new`");

    let new = std::process::Command::new(env!("CARGO_BIN_EXE_limberup"))
        .args(["new", "Evening hips", "--dir"])
        .arg(&user)
        .output()
        .expect("the binary runs");
    assert!(
        new.status.success(),
        "{}",
        String::from_utf8_lossy(&new.stderr)
    );
    wait_for(&mut harness, "the new routine", |app| {
        title_of(app, "evening-hips").as_deref() == Some("Evening hips")
    });
    harness.get_by_label("Open Evening hips");

    // The folder is watched from then on: a save in it is followed too.
    let file = user.join("evening-hips.ron");
    let text = std::fs::read_to_string(&file).expect("the new routine");
    std::fs::write(
        &file,
        text.replace("\"Evening hips\"", "\"Evening stretch\""),
    )
    .expect("a save");
    wait_for(&mut harness, "the save", |app| {
        title_of(app, "evening-hips").as_deref() == Some("Evening stretch")
    });
}

/// The checker warns about characters the app cannot draw from a conservative list
/// (`routine::loader::DRAWABLE`); every character of the list has a glyph in the fonts the
/// app really uses, and a runner emoji, which a coach might put in a title, has none.
#[test]
fn every_character_the_checker_calls_drawable_has_a_glyph_in_the_apps_fonts() {
    let (mut harness, _setup) = harness(None);
    harness.run_steps(1);
    let font = egui::FontId::proportional(16.0);
    let missing: Vec<String> = limberup::routine::loader::DRAWABLE
        .iter()
        .flat_map(Clone::clone)
        .filter(|&c| !harness.ctx.fonts_mut(|fonts| fonts.has_glyph(&font, c)))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    assert!(missing.is_empty(), "no glyph for {}", missing.join(" "));
    for c in ['🏃', '💪', '中'] {
        assert!(
            !harness.ctx.fonts_mut(|fonts| fonts.has_glyph(&font, c)),
            "U+{:04X} is drawn: the checker need not warn about it",
            u32::from(c)
        );
    }
}

#[test]
fn a_step_whose_words_need_time_gets_it_on_screen_as_get_into_position() {
    const SWINGS: &str = "Hold a wall, swing the leg forward and back from the hip, knee soft, trunk tall and still, growing the swing a little each time.";
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(
        dir.path().join("position-test.ron"),
        format!(
            "Routine(format: 1, title: \"Position test\", sections: [Section(title: \"A\", steps: [\
             Step(name: \"Jog\", instruction: \"Jog easy.\", time: 10), \
             Step(name: \"Leg swings\", instruction: \"{SWINGS}\", reps: 5, rep_time: 2)])])"
        ),
    )
    .expect("a test routine");
    // Spoken announcements on, as by default.
    let (mut harness, setup) = build(Some(dir.path()), Settings::default(), &[], None);
    harness.run_steps(2);
    harness.get_by_label("Open Position test").click();
    harness.run_steps(2);
    let plan = Arc::clone(harness.state().routine_plan().expect("planned"));
    let position = plan
        .segments
        .iter()
        .find(|s| s.kind == SegmentKind::Position)
        .expect("time to get into position before the paced step")
        .clone();
    // The routine page's total counts it.
    harness.get_by_label(&plan.total().to_string());
    press(&mut harness, egui::Key::Enter);
    advance(
        &mut harness,
        &setup.clock,
        position.offset + Duration::from_secs(1),
    );
    harness.get_by_label("Get into position");
    harness.get_by_label(SWINGS);
    harness.get_by_label("Next: Leg swings");
    let remaining = position.estimate.saturating_sub(Duration::from_secs(1));
    harness.get_by_label(&format!("0:{:02}", remaining.as_secs()));
    advance(&mut harness, &setup.clock, remaining);
    harness.get_by_label("Leg swings");
    stop_and_close(&mut harness);
}

/// Every picture path of the step of `segment`, when it has one.
fn step_paths(plan: &Plan, segment: &limberup::timeline::Segment) -> Vec<PathBuf> {
    plan.step(segment)
        .and_then(|s| s.illustration.as_ref())
        .map(|i| i.paths().to_vec())
        .unwrap_or_default()
}

/// What the player may hold at `segment`: the pictures of the step it shows (its own, or
/// the next work's while resting) and those of the work step after that one.
fn allowed_pictures(plan: &Plan, segment: &limberup::timeline::Segment) -> Vec<PathBuf> {
    let shown = if segment.kind == SegmentKind::Work {
        Some(segment)
    } else {
        segment.next_work.map(|n| &plan.segments[n])
    };
    let Some(shown) = shown else {
        return Vec::new();
    };
    let mut allowed = step_paths(plan, shown);
    let mut at = shown.next_work;
    while let Some(index) = at {
        let next = &plan.segments[index];
        if next.step != shown.step {
            allowed.extend(step_paths(plan, next));
            break;
        }
        at = next.next_work;
    }
    allowed
}

/// Issue #20, items 3 and 4: a whole pre-run warm-up holds only the pictures of the step
/// on screen and the next one (each ready before it shows), and the font atlas stays within
/// the cap even where the renderer allows 16384 texels, as llvmpipe does.
#[test]
fn a_whole_session_holds_only_the_pictures_of_this_step_and_the_next_and_a_narrow_atlas() {
    use limberup::timeline::Clock as _;
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("routines");
    let (mut harness, setup) = harness(Some(&bundled));
    harness.run_steps(2);
    renderer_allows_16384_texels(&mut harness);
    let routine = harness
        .state()
        .library()
        .get("pre-run-warmup")
        .and_then(|e| e.routine.clone())
        .expect("the bundled warm-up loads");
    filter_library(&mut harness, "pre-run");
    open_card(&mut harness, &routine.title, "pre-run-warmup");
    // The routine page holds at most its thumbnails: each step's first frame.
    let thumbnails: Vec<PathBuf> = routine
        .sections
        .iter()
        .flat_map(|s| &s.steps)
        .filter_map(|s| s.illustration.as_ref()?.paths().first().cloned())
        .collect();
    let held = harness.state().pictures_held();
    assert!(!held.is_empty(), "the outline shows thumbnails");
    assert!(
        held.iter().all(|p| thumbnails.contains(p)),
        "only thumbnails: {held:?}"
    );
    press(&mut harness, egui::Key::Enter);
    let atlas_cap = limberup::app::theme::MAX_TEXTURE_SIDE;
    let (mut most, mut before, mut steps_seen) = (0, Vec::new(), 0);
    let mut shown_step = None;
    for _ in 0..20_000 {
        let Some(session) = harness.state().session() else {
            break;
        };
        if session.summary().is_some() {
            break;
        }
        let plan = session.player().plan();
        let status = session.player().status(setup.clock.now());
        let segment = &plan.segments[status.segment];
        let held = harness.state().pictures_held();
        let allowed = allowed_pictures(plan, segment);
        assert!(
            held.iter().all(|p| allowed.contains(p)),
            "at {}: held {held:?}, allowed {allowed:?}",
            segment.title
        );
        most = most.max(held.len());
        if segment.kind == SegmentKind::Work && shown_step != Some(segment.step) {
            // The new step's picture was asked for while the one before still showed.
            if let Some(first) = step_paths(plan, segment).first()
                && steps_seen > 0
            {
                assert!(before.contains(first), "{} prefetched", segment.title);
            }
            shown_step = Some(segment.step);
            steps_seen += 1;
        }
        let ([width, _], _) = atlas(&harness);
        assert!(width <= atlas_cap, "atlas {width} texels wide");
        before = held;
        if segment.waits_for_done() && status.elapsed >= Duration::from_secs(5) {
            press(&mut harness, egui::Key::Enter);
        } else {
            advance(&mut harness, &setup.clock, Duration::from_millis(500));
        }
    }
    assert!(
        steps_seen > 10,
        "the whole routine played: {steps_seen} steps"
    );
    assert_eq!(harness.state().screen(), Screen::Finish);
    assert!(most >= 2, "a step and the next were held at once");
    harness.run_steps(2);
    assert!(
        harness.state().pictures_held().is_empty(),
        "the finish screen holds no pictures"
    );
}

/// A routine of one animated step of two frames at 0.4 s, in a folder of its own.
fn animated_routine(dir: &Path) -> PathBuf {
    let routines = dir.join("routines");
    std::fs::create_dir_all(routines.join("images")).expect("test set-up");
    for (name, shade) in [("one.png", 40), ("two.png", 200)] {
        image::RgbaImage::from_pixel(8, 8, image::Rgba([shade, shade, shade, 255]))
            .save(routines.join("images").join(name))
            .expect("test set-up");
    }
    std::fs::write(
        routines.join("evening-test.ron"),
        ROUTINE.replace(
            "time: 30, sides: Both",
            "time: 30, frames: [\"images/one.png\", \"images/two.png\"], frame_time: \"0.4 s\", sides: Both",
        ),
    )
    .expect("test set-up");
    routines
}

/// The name of the picture texture the last frame drew (its file), if any.
fn frame_drawn(harness: &Harness<'_, LimberApp>) -> Option<String> {
    let shapes = harness.output().shapes.clone();
    let primitives = harness.ctx.tessellate(shapes, 1.0);
    let textures = harness.ctx.tex_manager();
    let textures = textures.read();
    primitives.iter().find_map(|p| match &p.primitive {
        egui::epaint::Primitive::Mesh(mesh) if mesh.texture_id != egui::TextureId::default() => {
            textures
                .meta(mesh.texture_id)
                .map(|m| m.name.rsplit('/').next().unwrap_or_default().to_owned())
        }
        _ => None,
    })
}

/// When the last frame asked for the next one.
fn repaint_delay(harness: &Harness<'_, LimberApp>) -> Duration {
    harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay
}

/// Plays the animated step for 2 s in 0.1 s steps: (elapsed, frame drawn, repaint delay,
/// the player's own next change).
fn play_animated(animations: bool) -> Vec<(Duration, Option<String>, Duration, Duration)> {
    use limberup::timeline::Clock as _;
    let dir = tempfile::tempdir().expect("test set-up");
    let routines = animated_routine(dir.path());
    let settings = Settings {
        animations,
        ..quiet()
    };
    let (mut harness, setup) = build(Some(&routines), settings, &[], None);
    harness.run_steps(2);
    start_evening_test(&mut harness, &setup.clock);
    // Both frames decoded, whatever the worker's pace.
    for _ in 0..200 {
        if frame_drawn(&harness).is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        harness.run_steps(1);
    }
    let mut seen = Vec::new();
    for _ in 0..20 {
        advance(&mut harness, &setup.clock, Duration::from_millis(100));
        let now = setup.clock.now();
        let session = harness.state().session().expect("playing");
        let status = session.player().status(now);
        assert_eq!(status.segment, 1, "still the first step");
        let change = session.wake(now).expect("time runs");
        seen.push((
            status.elapsed,
            frame_drawn(&harness),
            repaint_delay(&harness),
            change,
        ));
    }
    drop(dir);
    seen
}

#[test]
fn an_animated_picture_changes_frame_at_its_frame_time_and_wakes_the_window_only_then() {
    let seen = play_animated(true);
    for (elapsed, frame, delay, change) in &seen {
        let into = elapsed.as_millis() % 400;
        let expected = if (elapsed.as_millis() / 400) % 2 == 0 {
            "one.png"
        } else {
            "two.png"
        };
        assert_eq!(frame.as_deref(), Some(expected), "at {elapsed:?}");
        let next_frame = Duration::from_millis(u64::try_from(400 - into).expect("small"));
        assert_eq!(
            *delay,
            next_frame.min(*change),
            "at {elapsed:?}: woken when the frame or the clock changes"
        );
    }
}

#[test]
fn with_animations_off_the_first_frame_stands_still_and_only_the_clock_wakes_the_window() {
    for (elapsed, frame, delay, change) in play_animated(false) {
        assert_eq!(frame.as_deref(), Some("one.png"), "at {elapsed:?}");
        assert_eq!(
            delay, change,
            "at {elapsed:?}: no repaint for the animation"
        );
    }
}

/// The capped font atlas holds the countdown at fullscreen 4K: every digit, at every
/// sub-pixel offset, without filling the 80 % beyond which egui clears it and draws every
/// glyph again each time it fills.
#[test]
fn the_capped_font_atlas_holds_the_countdown_at_fullscreen_4k() {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("routines");
    let (mut harness, setup) = harness(Some(&bundled));
    harness.set_size(egui::vec2(3840.0, 2160.0));
    renderer_allows_16384_texels(&mut harness);
    harness.run_steps(2);
    filter_library(&mut harness, "pre-run");
    harness.get_by_label("Open Pre-run warm-up").click();
    harness.run_steps(2);
    press(&mut harness, egui::Key::Enter);
    let (mut fullest, mut size) = (0.0_f32, [0, 0]);
    // Two 30 s steps and their rests: every digit, in both columns of the seconds.
    for _ in 0..(80 * 4) {
        advance(&mut harness, &setup.clock, Duration::from_millis(250));
        let (now_size, fill) = atlas(&harness);
        fullest = fullest.max(fill);
        size = now_size;
    }
    assert!(
        size[0] <= limberup::app::theme::MAX_TEXTURE_SIDE,
        "atlas {size:?}"
    );
    assert!(
        harness.state().screen() == Screen::Player,
        "the countdown played"
    );
    assert!(fullest < 0.8, "atlas {size:?} filled to {fullest}");
}

/// The font atlas's size and how full it is.
fn atlas(harness: &Harness<'_, LimberApp>) -> ([usize; 2], f32) {
    harness
        .ctx
        .fonts(|f| (f.font_image_size(), f.font_atlas_fill_ratio()))
}

#[test]
fn a_done_step_moves_on_by_itself_after_saying_so_and_done_keeps_it_waiting() {
    let settings = Settings {
        done_steps: DoneSteps::MoveOn,
        done_margin_secs: 20,
        ..quiet()
    };
    let (mut harness, setup) = build(None, settings, &[], None);
    let clock = &setup.clock;
    harness.run_steps(2);
    start_evening_test(&mut harness, clock);
    // Enter on a timed step no longer skips it (the setting is off by default).
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label("Kneeling hip flexor stretch");
    harness.get_by_label("0:30");
    // To the jog: the switch, the right side, the rest, then the jog (2 min suggested).
    for _ in 0..4 {
        press(&mut harness, egui::Key::ArrowRight);
    }
    harness.get_by_label("Slow jog");
    harness.get_by_label("Moves on by itself in 2:20");
    // 10 s before it moves on: said, shown large, and the button now keeps it waiting.
    advance(&mut harness, clock, Duration::from_secs(130));
    harness.get_by_label_contains("“Moving on in 10 seconds. Press Done to wait.”");
    harness.get_by_label("Moving on in 10 s · Done to wait");
    harness.get_by_label("Wait");
    advance(&mut harness, clock, Duration::from_millis(9_999));
    harness.get_by_label("Slow jog");
    // On the second, the next step.
    advance(&mut harness, clock, Duration::from_millis(1));
    harness.get_by_label("Constructive rest");

    // Back to the jog, and Enter in its last 10 s: it waits for Done after all.
    press(&mut harness, egui::Key::ArrowLeft);
    harness.get_by_label("Slow jog");
    advance(&mut harness, clock, Duration::from_secs(135));
    press(&mut harness, egui::Key::Enter);
    advance(&mut harness, clock, Duration::from_mins(1));
    harness.get_by_label("Slow jog");
    harness.get_by_label("Press Done when finished · usually about 2 min");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label("Constructive rest");
}

#[test]
fn enter_skips_a_timed_step_only_when_the_settings_say_so() {
    let settings = Settings {
        enter_skips_timed: true,
        ..quiet()
    };
    let (mut harness, setup) = build(None, settings, &[], None);
    harness.run_steps(2);
    start_evening_test(&mut harness, &setup.clock);
    harness.get_by_label("Kneeling hip flexor stretch");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label("Switch sides");
}
