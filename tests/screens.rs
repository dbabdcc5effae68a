//! The screens besides the player, as the walk-through of #21 found them (`egui_kittest`,
//! manual clock, no display): the routine page's text stays clear of the scroll bar and its
//! notes read left-aligned; every page opens at its top; the history shows each session's
//! note, and its chart ends with today; the finish screen's counts say "1 step", and its
//! paused time stops with the session.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use limberup::app::{CHART_LABEL, LimberApp, Options, Screen, theme};
use limberup::history::{EntrySource, SessionEntry, Store, stats};
use limberup::launch::First;
use limberup::library::Folders;
use limberup::settings::Settings;
use limberup::timeline::ManualClock;

/// The safety note of [`LONG`]: long enough to wrap in its column.
const SAFETY: &str = "Stop at once if a stretch turns into sharp pain, pins and needles or \
    numbness, and see a physiotherapist about pain that keeps coming back; ease into the \
    deeper positions over a few weeks rather than forcing them on the first day, and keep \
    breathing through every hold.";

/// The first section's note of [`LONG`].
const NOTE: &str = "Move slowly through this section: each position should feel like a \
    stretch, never like a strain, and the second side always gets the same time as the \
    first, whichever felt tighter on the day.";

/// A routine whose page is taller than the window, with a long safety note and section
/// note.
fn long_routine() -> String {
    let steps = |from: u32| {
        (from..from + 12)
            .map(|n| format!("Step(name: \"Step {n}\", time: 30)"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        r#"Routine(format: 1, title: "Long page", description: "A page taller than the window.",
    safety: "{SAFETY}",
    sections: [
        Section(title: "Hips", note: "{NOTE}", steps: [{}]),
        Section(title: "Hamstrings", steps: [{}]),
    ],
)"#,
        steps(1),
        steps(13)
    )
}

/// A short routine: a Done step, then a timed one.
const OTHER: &str = r#"Routine(format: 1, title: "Other page", description: "A short one.",
    sections: [
        Section(title: "Easy", steps: [
            Step(name: "Jog", until_done: true),
            Step(name: "Calf stretch", time: 30),
        ]),
    ],
)"#;

/// Thursday 6 March 2025, 09:00 UTC: 22:00 in Auckland.
const THURSDAY: u64 = 1_741_251_600;

struct App {
    harness: Harness<'static, LimberApp>,
    clock: ManualClock,
    _dir: tempfile::TempDir,
}

impl App {
    /// Runs frames until a page just shown has settled: the frame that handles a click,
    /// the new page's first and the one after (its scroll bar, measured by the first).
    fn run(&mut self) {
        self.harness.run_steps(3);
    }

    fn press(&mut self, key: egui::Key) {
        self.harness.key_press(key);
        self.run();
    }

    /// Clicks the widget labelled `label` through AccessKit, wherever it is: a click does
    /// not scroll the page, whose offset the tests look at.
    fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).click_accesskit();
        self.run();
    }

    fn advance(&mut self, by: Duration) {
        self.clock.advance(by);
        self.run();
    }

    /// The top of the widget labelled `label`.
    fn top_of(&self, label: &str) -> f32 {
        self.harness.get_by_label(label).rect().top()
    }

    /// Asserts that the widget labelled `label` is where it was at the page's top, `top`.
    fn assert_at_top(&self, label: &str, top: f32, page: &str) {
        let now = self.top_of(label);
        assert!(
            (now - top).abs() < 0.5,
            "{page}: {label:?} is at {now}, at {top} on the page's top"
        );
    }

    /// Scrolls the page until `label` shows (the request reaches the scroll area a frame or
    /// two after it is made).
    fn scroll_to(&mut self, label: &str) {
        self.harness.get_by_label(label).scroll_to_me();
        self.harness.run_steps(4);
    }

    /// Every text painted this frame, with its galley.
    fn texts(&self) -> Vec<Arc<egui::Galley>> {
        self.harness
            .output()
            .shapes
            .iter()
            .filter_map(|clipped| match &clipped.shape {
                egui::Shape::Text(text) => Some(Arc::clone(&text.galley)),
                _ => None,
            })
            .collect()
    }

    /// The galley painted for `text`.
    fn galley_of(&self, text: &str) -> Arc<egui::Galley> {
        let found: Vec<_> = self
            .texts()
            .into_iter()
            .filter(|g| g.job.text == text)
            .collect();
        assert_eq!(found.len(), 1, "{text:?} painted once");
        Arc::clone(&found[0])
    }
}

/// The app at `size` on the bundled routines, [`long_routine`] and [`OTHER`] (in the user's
/// folder), with `settings`, a log holding `seed`, and the wall clock at `THURSDAY`.
fn app_at(size: egui::Vec2, settings: Settings, seed: &[SessionEntry]) -> App {
    let dir = tempfile::tempdir().expect("temp folder");
    let user = dir.path().join("routines");
    std::fs::create_dir(&user).expect("routines folder");
    std::fs::write(user.join("long-page.ron"), long_routine()).expect("routine file");
    std::fs::write(user.join("other-page.ron"), OTHER).expect("routine file");
    let history = dir.path().join("history.sqlite3");
    if !seed.is_empty() {
        let opened = Store::open(&history, limberup::history::OnDamage::Refuse).expect("a log");
        let mut store = opened.store;
        store.insert_all(seed).expect("seeded");
    }
    let clock = ManualClock::new();
    clock.set_wall_start(THURSDAY);
    let options = Options {
        clock: Arc::new(clock.clone()),
        folders: Folders {
            bundled: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("routines")),
            user: Some(user),
            extra: Vec::new(),
        },
        first: First::Library,
        history_db: Some(history),
        settings_file: None,
        time_zone: jiff::tz::TimeZone::get("Pacific/Auckland").expect("a known zone"),
        sound: false,
        notifications: false,
        media_keys: false,
    };
    let harness = Harness::builder()
        .with_size(size)
        .with_step_dt(0.001)
        .build_eframe(move |cc| LimberApp::with_settings(&cc.egui_ctx, options, settings));
    // Scrolled to at once, not over a few frames of animation.
    harness
        .ctx
        .all_styles_mut(|style| style.scroll_animation = egui::style::ScrollAnimation::none());
    let mut app = App {
        harness,
        clock,
        _dir: dir,
    };
    app.run();
    app
}

fn quiet() -> Settings {
    Settings {
        voice: false,
        ..Settings::default()
    }
}

const HD: egui::Vec2 = egui::vec2(1280.0, 720.0);

/// A session seeded into the log at a local time in Auckland, with its check-ins and note.
fn session(when: &str, before: Option<u8>, after: Option<u8>, note: Option<&str>) -> SessionEntry {
    let zoned: jiff::Zoned = format!("{when}[Pacific/Auckland]")
        .parse()
        .expect("a zoned time");
    SessionEntry {
        routine_id: "pre-run-warmup".to_owned(),
        title: "Pre-run warm-up".to_owned(),
        content_hash: "0123456789abcdef".to_owned(),
        started: zoned.timestamp(),
        offset: zoned.offset(),
        planned: Duration::from_mins(20),
        active: Duration::from_mins(19),
        paused: Duration::ZERO,
        finished: true,
        check_in_before: before,
        check_in_after: after,
        note: note.map(str::to_owned),
        steps: Vec::new(),
        source: EntrySource::App,
        levels: None,
        variant: None,
    }
}

/// A session every other day from 3 February to 5 March 2025, the tightness going down.
fn month_of_sessions() -> Vec<SessionEntry> {
    let first: jiff::civil::Date = "2025-02-03".parse().expect("a date");
    (0..16u8)
        .map(|n| {
            let day = first.saturating_add(jiff::Span::new().days(i64::from(n) * 2));
            session(
                &format!("{day}T07:00"),
                Some(8 - n / 2),
                Some(6 - n / 3),
                None,
            )
        })
        .collect()
}

#[test]
fn the_routine_pages_text_stays_clear_of_the_scroll_bar() {
    // Regression: the scroll bars floated over the content, and the safety note ran under
    // the routine page's.
    let mut app = app_at(HD, quiet(), &[]);
    app.click("Open Long page");
    let window = app.harness.ctx.content_rect();
    assert!(
        app.harness.get_by_label("Step 24").rect().bottom() > window.bottom(),
        "the page is taller than the window: it has a scroll bar"
    );
    let scroll = app.harness.ctx.global_style().spacing.scroll;
    let bar_left = window.right() - theme::MARGIN - scroll.bar_outer_margin - scroll.bar_width;
    let disclaimer = app
        .harness
        .get_by_label_contains("not medical advice")
        .rect();
    for (what, rect) in [
        ("the safety note", app.harness.get_by_label(SAFETY).rect()),
        ("the disclaimer", disclaimer),
        ("the section note", app.harness.get_by_label(NOTE).rect()),
    ] {
        assert!(
            rect.right() <= bar_left,
            "{what} ends at {}, under the scroll bar from {bar_left}",
            rect.right()
        );
    }
    // Nor may it: the width the safety note wraps in ends before the bar.
    let safety = app.harness.get_by_label(SAFETY).rect();
    let wrap = app.galley_of(SAFETY).job.wrap.max_width;
    assert!(
        safety.left() + wrap <= bar_left,
        "the safety note may run to {}, under the scroll bar from {bar_left}",
        safety.left() + wrap
    );
}

#[test]
fn the_historys_text_stays_clear_of_the_scroll_bar() {
    // Regression: the table by routine ran past its column, its aims under the scroll bar
    // and out of the window.
    let mut app = app_at(HD, quiet(), &month_of_sessions());
    app.click("History");
    let window = app.harness.ctx.content_rect();
    let scroll = app.harness.ctx.global_style().spacing.scroll;
    let bar_left = window.right() - theme::MARGIN - scroll.bar_outer_margin - scroll.bar_width;
    let aims: Vec<_> = app
        .harness
        .get_all_by_label_contains("of the last 4 weeks")
        .map(|node| node.rect())
        .collect();
    assert!(!aims.is_empty(), "the bundled routines have aims");
    for aim in aims {
        assert!(
            aim.right() <= bar_left,
            "an aim ends at {}, under the scroll bar from {bar_left}",
            aim.right()
        );
    }
}

#[test]
fn the_section_note_and_the_safety_note_read_left_aligned_with_plain_gaps() {
    // Regression: in the page's two columns egui justified wrapped text, spreading a note's
    // words wide apart.
    let mut app = app_at(HD, quiet(), &[]);
    app.click("Open Long page");
    for text in [NOTE, SAFETY] {
        let galley = app.galley_of(text);
        assert!(galley.rows.len() > 1, "{text:?} wraps");
        assert!(!galley.job.justify, "{text:?} is justified");
        assert_eq!(galley.job.halign, egui::Align::LEFT, "{text:?}");
        // Left-aligned rows are ragged: not every full row reaches the wrap width.
        let widest = galley.rows.iter().map(|r| r.size.x).fold(0.0, f32::max);
        let full_rows = &galley.rows[..galley.rows.len() - 1];
        assert!(
            full_rows.iter().any(|r| r.size.x < widest - 1.0),
            "{text:?}: every row is stretched to {widest}"
        );
    }
}

#[test]
fn a_routines_page_opens_at_its_top_after_another_was_scrolled() {
    // Regression: every page shared one scroll offset, so each opened where the last was.
    let mut app = app_at(HD, quiet(), &[]);
    // Where each page's first section is, the first time it opens.
    app.click("Open Long page");
    let long_top = app.top_of("1. Hips");
    app.click("Back to routines");
    app.click("Open Other page");
    let other_top = app.top_of("1. Easy");
    app.click("Back to routines");
    // Scrolled down, the same page again, and another one after it: each at its top.
    app.click("Open Long page");
    app.scroll_to("Step 24");
    assert!(app.top_of("1. Hips") < long_top - 200.0, "scrolled down");
    app.click("Back to routines");
    app.click("Open Long page");
    app.assert_at_top("1. Hips", long_top, "the same page, opened again");
    app.scroll_to("Step 24");
    app.click("Back to routines");
    app.click("Open Other page");
    app.assert_at_top("1. Easy", other_top, "another routine's page");
}

#[test]
fn the_library_history_settings_and_about_open_at_their_top() {
    let mut app = app_at(HD, quiet(), &month_of_sessions());
    // The library, scrolled to its last card, then the history and back.
    let first_card = "Before your run";
    let library_top = app.top_of(first_card);
    app.scroll_to("Open Other page");
    assert!(
        app.top_of(first_card) < library_top - 100.0,
        "scrolled down"
    );
    app.click("History");
    let history_top = app.top_of("16 sessions");
    app.click("Routines");
    app.assert_at_top(first_card, library_top, "the library");
    // The history, scrolled to its first week, then the settings and back.
    app.click("History");
    app.assert_at_top("16 sessions", history_top, "the history");
    app.scroll_to("Mon 3 Feb 07:00");
    assert!(
        app.top_of("16 sessions") < history_top - 100.0,
        "scrolled down"
    );
    app.click("Settings");
    let settings_top = app.top_of("Muted (M)");
    app.scroll_to("Add folder");
    assert!(
        app.top_of("Muted (M)") < settings_top - 50.0,
        "scrolled down"
    );
    app.click("History");
    app.assert_at_top("16 sessions", history_top, "the history");
    app.click("About");
    app.click("Settings");
    app.assert_at_top("Muted (M)", settings_top, "the settings");
}

#[test]
fn the_history_shows_each_sessions_note_wrapped_and_cut_at_three_rows() {
    let long = "The first strides felt heavy and the left hamstring was tight until the \
        third one; the hip flexor stretch helped more than usual, and the calves were fine. \
        Next time: more time on the lunges, and start the strides slower. "
        .repeat(3);
    let long = long.trim();
    let seed = [
        session("2025-03-03T07:00", Some(5), Some(3), Some("Left hip tight")),
        session("2025-03-05T07:00", None, Some(2), Some(long)),
        session("2025-03-06T07:00", None, None, Some("   ")),
    ];
    let mut app = app_at(HD, quiet(), &seed);
    app.press(egui::Key::H);
    assert_eq!(app.harness.state().screen(), Screen::History);
    app.scroll_to(long);
    let short = app.harness.get_by_label("Left hip tight").rect();
    let row = short.height();
    // The long note: its accessible name whole, three rows of it on screen, then "…".
    let note = app.harness.get_by_label(long).rect();
    assert!(
        note.height() > row * 2.5 && note.height() < row * 3.5,
        "{} points tall, rows of {row}",
        note.height()
    );
    let galley = app.galley_of(long);
    assert_eq!(galley.rows.len(), 3, "cut at three rows");
    assert!(galley.elided, "and marked as cut");
    let window = app.harness.ctx.content_rect();
    assert!(
        note.right() <= window.right() - theme::MARGIN,
        "wrapped within the window: ends at {}",
        note.right()
    );
    // Under its session's row, from the title's column on: as wide as the list allows.
    let date = app.harness.get_by_label("Wed 5 Mar 07:00").rect();
    let back = app.harness.get_by_label("back after 2").rect();
    assert!(
        note.top() >= date.bottom() && note.top() >= back.bottom(),
        "{note:?} under {date:?} and {back:?}"
    );
    assert!(
        note.left() > date.right() && note.left() < back.left() - 100.0,
        "{note:?} from the title's column: {date:?}, {back:?}"
    );
    // Each row's texts line up: the check-ins of a session with a note beside its date.
    let short_date = app.harness.get_by_label("Mon 3 Mar 07:00").rect();
    let short_back = app.harness.get_by_label("back 5, after 3").rect();
    assert!(
        (short_date.center().y - short_back.center().y).abs() < 1.0,
        "{short_date:?} beside {short_back:?}"
    );
    assert!(
        short.top() >= short_date.bottom(),
        "the short note under its row"
    );
    // A blank note shows nothing: the session still has its row.
    app.harness.get_by_label("Thu 6 Mar 07:00");
}

/// The chart's x bounds, as it last drew them.
fn chart_bounds(app: &App) -> (f64, f64) {
    let memory = egui_plot::PlotMemory::load(&app.harness.ctx, egui::Id::unique(CHART_LABEL))
        .expect("the chart was drawn");
    (memory.bounds().min()[0], memory.bounds().max()[0])
}

/// The dates labelled on the chart's axis (texts such as "3 Mar"), in 2025.
fn axis_dates(app: &App) -> Vec<jiff::civil::Date> {
    app.texts()
        .iter()
        .filter_map(|galley| {
            let text = galley.text();
            let (day, month) = text.split_once(' ')?;
            if day.len() > 2 || month.len() != 3 || !day.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            jiff::civil::Date::strptime("%d %b %Y", format!("{text} 2025")).ok()
        })
        .collect()
}

#[test]
fn the_chart_ends_with_today_and_labels_no_day_to_come() {
    let today: jiff::civil::Date = "2025-03-06".parse().expect("a date");
    let end = stats::chart_day(today) + 1.0;
    // A check-in this evening: the axis ends at midnight, not past it.
    let mut seed = month_of_sessions();
    seed.push(session("2025-03-06T20:00", Some(3), Some(2), None));
    let mut app = app_at(HD, quiet(), &seed);
    app.press(egui::Key::H);
    app.harness.get_by_label(CHART_LABEL);
    let (start, right) = chart_bounds(&app);
    assert!(
        (right - end).abs() < 1e-6,
        "the axis ends at {right}, today ends at {end}"
    );
    assert!(
        start < stats::chart_day("2025-02-03".parse().expect("a date")),
        "from before the first check-in: {start}"
    );
    let dates = axis_dates(&app);
    assert!(!dates.is_empty(), "the axis is labelled");
    assert!(
        dates.iter().all(|d| *d <= today),
        "no day to come is labelled: {dates:?}"
    );

    // The last check-in days ago: the axis still runs to today.
    let mut earlier = app_at(HD, quiet(), &month_of_sessions());
    earlier.press(egui::Key::H);
    let app = earlier;
    let (_, right) = chart_bounds(&app);
    assert!((right - end).abs() < 1e-6, "the axis ends at {right}");
}

#[test]
fn the_finish_screen_says_1_step_and_its_paused_time_stops_with_a_stop() {
    let mut app = app_at(HD, quiet(), &[]);
    app.click("Open Other page");
    app.press(egui::Key::Enter);
    app.advance(Duration::from_secs(3));
    // The jog: Done.
    app.advance(Duration::from_secs(20));
    app.press(egui::Key::Enter);
    assert_eq!(
        app.harness
            .state()
            .session()
            .map(|s| s.player().segment().title.clone()),
        Some("Calf stretch".to_owned())
    );
    // Esc pauses under the question; two seconds later, Stop.
    app.press(egui::Key::Escape);
    app.advance(Duration::from_secs(2));
    app.press(egui::Key::Enter);
    assert_eq!(app.harness.state().screen(), Screen::Finish);
    let counts = "1 step done · 1 skipped · paused 0:02";
    app.harness.get_by_label(counts);
    // The paused time stopped with the session.
    app.advance(Duration::from_secs(30));
    app.harness.get_by_label(counts);
}

#[test]
fn a_goal_of_one_day_is_said_in_the_singular() {
    let settings = Settings {
        weekly_goal_days: 1,
        ..quiet()
    };
    let seed = [session("2025-03-05T07:00", None, None, None)];
    // Tall enough that the settings' goal slider shows without scrolling.
    let mut app = app_at(egui::vec2(1280.0, 1400.0), settings, &seed);
    app.press(egui::Key::H);
    app.harness.get_by_label("1 of 1 day");
    assert!(
        app.harness
            .query_by_label_contains("Goal: a routine on 1 day a week")
            .is_some(),
        "the goal"
    );
    assert!(
        app.harness
            .query_by_label_contains("· 1 of 1 day · goal met")
            .is_some(),
        "the week"
    );
    let plural_of_one = |app: &App| -> Vec<String> {
        app.texts()
            .iter()
            .map(|g| g.text().to_owned())
            .filter(|t| {
                t.split(|c: char| !c.is_alphanumeric())
                    .collect::<Vec<_>>()
                    .windows(2)
                    .any(|w| w[0] == "1" && ["days", "steps", "reps", "weeks"].contains(&w[1]))
            })
            .collect()
    };
    assert_eq!(plural_of_one(&app), Vec::<String>::new(), "the history");
    app.click("Settings");
    assert_eq!(plural_of_one(&app), Vec::<String>::new(), "the settings");
    assert!(
        app.texts().iter().any(|g| g.text() == "1 day a week"),
        "the goal's slider"
    );
}
