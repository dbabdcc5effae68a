//! The training log: migrations, stopped sessions, refusing newer and damaged files, the
//! one-time import, weeks and streaks across week boundaries and time zones, the CSV and
//! the desk-break reminder's clock.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use jiff::Zoned;
use jiff::civil::date;
use jiff::tz::TimeZone;
use limberup::history::stats::{self, IsoWeek, Progress};
use limberup::history::store::{MIGRATIONS, SCHEMA_VERSION};
use limberup::history::{
    EntrySource, Notice, OnDamage, SessionEntry, StepEntry, StepOutcome, Store, StoreError,
};
use limberup::reminder::{Decision, LOOK_EVERY, ReminderTimer};
use limberup::timeline::{Plan, Player, Side};

use crate::common::{parse, routine_with_steps};

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).expect("the zone is in jiff's database (bundled when the system has none)")
}

/// A session of `routine` started at `when` (`2025-03-03T07:15[Pacific/Auckland]`).
fn session(routine: &str, when: &str, active_secs: u64, finished: bool) -> SessionEntry {
    let zoned: Zoned = when.parse().expect("a zoned time");
    SessionEntry {
        routine_id: routine.to_owned(),
        title: format!("The {routine}"),
        content_hash: "00000000000000ab".to_owned(),
        started: zoned.timestamp(),
        offset: zoned.offset(),
        planned: secs(600),
        active: secs(active_secs),
        paused: secs(0),
        finished,
        check_in_before: None,
        check_in_after: None,
        note: None,
        steps: Vec::new(),
        source: EntrySource::App,
        levels: None,
        variant: None,
    }
}

fn with_check_ins(mut s: SessionEntry, before: Option<u8>, after: Option<u8>) -> SessionEntry {
    s.check_in_before = before;
    s.check_in_after = after;
    s
}

fn open(path: &Path) -> Store {
    Store::open(path, OnDamage::MoveAside)
        .expect("the log opens")
        .store
}

/// Version 1 exactly as it was released: files in the wild look like this.
const FROZEN_V1: &str = "CREATE TABLE session (
        id              INTEGER PRIMARY KEY,
        routine_id      TEXT    NOT NULL,
        routine_title   TEXT    NOT NULL,
        content_hash    TEXT    NOT NULL,
        started_utc_ms  INTEGER NOT NULL,
        utc_offset_secs INTEGER NOT NULL,
        planned_ms      INTEGER NOT NULL,
        active_ms       INTEGER NOT NULL,
        paused_ms       INTEGER NOT NULL,
        finished        INTEGER NOT NULL CHECK (finished IN (0, 1)),
        check_in_before INTEGER CHECK (check_in_before BETWEEN 0 AND 10),
        check_in_after  INTEGER CHECK (check_in_after BETWEEN 0 AND 10),
        note            TEXT
    );
    CREATE INDEX session_started ON session (started_utc_ms);
    CREATE TABLE step (
        session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        segment    INTEGER NOT NULL,
        name       TEXT    NOT NULL,
        side       TEXT    CHECK (side IN ('left', 'right')),
        planned_ms INTEGER,
        actual_ms  INTEGER NOT NULL,
        outcome    TEXT    NOT NULL CHECK (outcome IN ('done', 'skipped', 'repeated', 'stopped')),
        PRIMARY KEY (session_id, position)
    );";

#[test]
fn a_released_migration_is_never_edited() {
    assert_eq!(
        MIGRATIONS[0], FROZEN_V1,
        "change the schema with a new migration, never by editing version 1"
    );
}

#[test]
fn a_new_log_is_created_at_the_current_version_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deeper/history.sqlite3");
    let store = open(&path);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 3, "this test knows three versions");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(store.sessions().unwrap().is_empty(), "empty");
}

#[test]
fn a_version_1_log_migrates_and_keeps_its_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(FROZEN_V1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO session VALUES (7, 'desk-break', 'Desk break', '00000000000000ab',
                1741025700000, 46800, 210000, 200000, 5000, 1, 6, 4, 'stiff after the meeting')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO step VALUES (7, 0, 1, 'Standing psoas side bend', 'left', 30000, 31000, 'done')",
            [],
        )
        .unwrap();
    }
    let store = open(&path);
    assert_eq!(store.schema_version().unwrap(), 3);
    let sessions = store.sessions().unwrap();
    let expected = SessionEntry {
        title: "Desk break".to_owned(),
        planned: secs(210),
        active: secs(200),
        paused: secs(5),
        check_in_before: Some(6),
        check_in_after: Some(4),
        note: Some("stiff after the meeting".to_owned()),
        steps: vec![StepEntry {
            segment: 1,
            name: "Standing psoas side bend".to_owned(),
            side: Some(Side::Left),
            planned: Some(secs(30)),
            actual: secs(31),
            outcome: StepOutcome::Done,
        }],
        ..session("desk-break", "2025-03-04T07:15[Pacific/Auckland]", 0, true)
    };
    assert_eq!(sessions, vec![expected], "the v1 row reads back whole");
    // And the migrated file takes new sessions.
    let mut store = store;
    store
        .insert(&session(
            "quick",
            "2025-03-05T07:00[Pacific/Auckland]",
            400,
            true,
        ))
        .unwrap();
    assert_eq!(store.sessions().unwrap().len(), 2);
}

fn stopping_plan() -> Arc<Plan> {
    let steps = r#"
        Step(name: "Hip flexor stretch", time: 30, sides: Both, switch_pause: 5),
        Step(name: "Leg swings", time: 40),
        Step(name: "Strides", until_done: true, suggested_time: 60),
    "#;
    let routine = parse(&routine_with_steps(steps))
        .routine
        .expect("test routine loads");
    Arc::new(Plan::new(Arc::new(routine), secs(3)))
}

#[test]
fn a_session_stopped_halfway_is_kept_with_its_steps_so_far() {
    let plan = stopping_plan();
    let mut player = Player::new(Arc::clone(&plan), secs(3));
    player.start(secs(0));
    // Lead-in 3 s, left 30 s, switch 5 s, right 30 s (skipped after 12 s), leg swings.
    player.tick(secs(50));
    player.next(secs(50));
    player.tick(secs(70));
    // Esc pauses and asks; the athlete confirms 8 s later.
    player.pause(secs(70));
    let record = player.record(secs(78));
    let started: Zoned = "2025-03-03T17:45[America/Los_Angeles]".parse().unwrap();
    let mut entry =
        SessionEntry::from_record(&plan, &record, started.timestamp(), started.offset());
    entry.check_in_before = Some(7);
    entry.check_in_after = Some(5);
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("history.sqlite3"));
    store.insert(&entry).unwrap();
    let back = store.sessions().unwrap();
    assert_eq!(back, vec![entry], "what was stored reads back");
    let saved = &back[0];
    assert!(!saved.finished, "marked as stopped");
    assert_eq!(saved.status(), "stopped");
    assert_eq!(saved.planned, secs(3 + 30 + 5 + 30 + 40 + 60));
    assert_eq!(saved.paused, secs(8));
    assert_eq!(saved.active, secs(70));
    let steps: Vec<_> = saved
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.side, s.actual, s.outcome))
        .collect();
    assert_eq!(
        steps,
        vec![
            (
                "Hip flexor stretch",
                Some(Side::Left),
                secs(30),
                StepOutcome::Done
            ),
            (
                "Hip flexor stretch",
                Some(Side::Right),
                secs(12),
                StepOutcome::Skipped
            ),
            ("Leg swings", None, secs(20), StepOutcome::Stopped),
        ],
        "lead-in and switch are not steps; the step under way is kept as stopped"
    );
    assert_eq!((saved.steps_done(), saved.steps_skipped()), (1, 2));
    assert_eq!(
        (saved.check_in_before, saved.check_in_after),
        (Some(7), Some(5))
    );
}

#[test]
fn check_in_and_note_are_updated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("history.sqlite3"));
    let id = store
        .insert(&session(
            "desk-break",
            "2025-03-03T10:00[Europe/London]",
            200,
            true,
        ))
        .unwrap();
    store.set_check_in_after(id, Some(3)).unwrap();
    store.set_note(id, "  looser, \"much\" better  ").unwrap();
    let back = &store.sessions().unwrap()[0];
    assert_eq!(back.check_in_after, Some(3));
    assert_eq!(back.note.as_deref(), Some("looser, \"much\" better"));
    store.set_note(id, "   ").unwrap();
    assert_eq!(store.sessions().unwrap()[0].note, None, "blank is no note");
}

#[test]
fn a_log_from_a_newer_version_is_refused_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (1);")
            .unwrap();
        conn.pragma_update(None, "user_version", 9).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    for on_damage in [OnDamage::MoveAside, OnDamage::Refuse] {
        let error = Store::open(&path, on_damage).unwrap_err();
        assert!(
            matches!(
                error,
                StoreError::Newer {
                    found: 9,
                    known: 3,
                    ..
                }
            ),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains("schema version 9")
                && message.contains("reads up to 3")
                && message.ends_with(&path.display().to_string()),
            "the message names the versions and the file: {message}"
        );
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "not a byte changed");
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["history.sqlite3"], "nothing moved or created");
}

#[test]
fn a_damaged_log_is_moved_aside_with_its_wal_and_a_new_one_starts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let garbage = b"this was a training log once".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    std::fs::write(dir.path().join("history.sqlite3-wal"), b"stale").unwrap();
    // The command line refuses and leaves it alone.
    let error = Store::open(&path, OnDamage::Refuse).unwrap_err();
    assert!(matches!(error, StoreError::Damaged { .. }), "{error:?}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
    // The app moves it aside and starts empty.
    let opened = Store::open(&path, OnDamage::MoveAside).unwrap();
    let [Notice::MovedAside { damaged, reason }] = opened.notices.as_slice() else {
        panic!("one notice: {:?}", opened.notices);
    };
    assert!(
        damaged
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("history.sqlite3.damaged-"),
        "{}",
        damaged.display()
    );
    assert_eq!(std::fs::read(damaged).unwrap(), garbage, "kept as it was");
    assert_eq!(
        std::fs::read(format!("{}-wal", damaged.display())).unwrap(),
        b"stale",
        "the stale WAL went with it"
    );
    assert!(reason.contains("not a database"), "{reason}");
    assert!(
        opened.notices[0]
            .to_string()
            .contains(&damaged.display().to_string()),
        "the notice names the kept file"
    );
    let mut store = opened.store;
    store
        .insert(&session(
            "desk-break",
            "2025-03-03T10:00[Europe/London]",
            200,
            true,
        ))
        .unwrap();
    assert_eq!(store.sessions().unwrap().len(), 1, "the new log works");
}

#[test]
fn sessions_jsonl_of_the_previous_version_is_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("sessions.jsonl");
    // Two lines as the previous version wrote them (`finished` twice), one broken line.
    let old = concat!(
        r#"{"routine":"desk-break","title":"Desk break","content_hash":"1234abcd1234abcd","started_unix_secs":1741000000,"finished":true,"check_in_after":4,"segments":[{"segment":0,"planned":{"secs":3,"nanos":0},"actual":{"secs":3,"nanos":0},"outcome":"completed"},{"segment":1,"planned":{"secs":60,"nanos":0},"actual":{"secs":60,"nanos":0},"outcome":"completed"}],"current":null,"paused":{"secs":10,"nanos":0},"wall":{"secs":73,"nanos":0},"finished":true}"#,
        "\n",
        "not json\n",
        r#"{"routine":"pre-run-warmup","title":"Pre-run warm-up","content_hash":"00ff","started_unix_secs":1741100000,"finished":false,"check_in_after":null,"segments":[],"current":{"segment":0,"planned":{"secs":3,"nanos":0},"actual":{"secs":2,"nanos":500000000},"outcome":"skipped"},"paused":{"secs":0,"nanos":0},"wall":{"secs":2,"nanos":500000000},"finished":false}"#,
        "\n"
    );
    std::fs::write(&jsonl, old).unwrap();
    let db = dir.path().join("history.sqlite3");
    let la = zone("America/Los_Angeles");
    let opened = limberup::history::open_log(&db, OnDamage::MoveAside, &la).unwrap();
    assert_eq!(
        opened.notices,
        vec![Notice::Imported {
            count: 2,
            from: jsonl.clone()
        }]
    );
    let sessions = opened.store.sessions().unwrap();
    let brief: Vec<_> = sessions
        .iter()
        .map(|s| {
            (
                s.routine_id.as_str(),
                limberup::history::csv::iso_start(s),
                s.finished,
                s.active,
                s.planned,
                s.check_in_after,
                s.source,
            )
        })
        .collect();
    assert_eq!(
        brief,
        vec![
            (
                "desk-break",
                "2025-03-03T03:06:40-08:00".to_owned(),
                true,
                secs(63),
                secs(63),
                Some(4),
                EntrySource::Jsonl
            ),
            (
                "pre-run-warmup",
                "2025-03-04T06:53:20-08:00".to_owned(),
                false,
                Duration::from_millis(2500),
                secs(3),
                None,
                EntrySource::Jsonl
            ),
        ]
    );
    drop(opened);
    assert!(jsonl.is_file(), "the old file is kept");
    let again = limberup::history::open_log(&db, OnDamage::MoveAside, &la).unwrap();
    assert!(again.notices.is_empty(), "no second import");
    assert_eq!(again.store.sessions().unwrap().len(), 2);
}

/// Auckland: four weeks of warm-ups around the goal of three days a week.
fn auckland_log() -> Vec<SessionEntry> {
    let at = |when: &str, finished: bool, active: u64| {
        session(
            "pre-run-warmup",
            &format!("{when}[Pacific/Auckland]"),
            active,
            finished,
        )
    };
    vec![
        // Week 10 (3-9 March): three days, the third late on Sunday.
        at("2025-03-03T07:00", true, 600),
        at("2025-03-05T07:00", true, 600),
        at("2025-03-09T23:30", true, 600),
        // Week 11: Monday just after midnight (Sunday in UTC), a warm-up and a cool-down
        // on one Tuesday (one day), and a session stopped after 2 of 10 minutes (no count).
        at("2025-03-10T00:30", true, 600),
        at("2025-03-11T07:00", true, 600),
        at("2025-03-11T18:00", true, 600),
        at("2025-03-13T07:00", false, 120),
        // Week 12: two days, but one is stopped after half its time (it counts).
        at("2025-03-17T07:00", true, 600),
        at("2025-03-19T07:00", false, 300),
        // Week 13: three days.
        at("2025-03-24T07:00", true, 600),
        at("2025-03-26T07:00", true, 600),
        at("2025-03-28T07:00", true, 600),
    ]
}

#[test]
fn weeks_are_iso_weeks_on_the_athletes_own_clock() {
    let log = auckland_log();
    let weeks = stats::weeks(&log);
    let summary: Vec<(i8, u32, usize)> = weeks
        .iter()
        .map(|w| (w.week.week, w.days, w.sessions.len()))
        .collect();
    assert_eq!(
        summary,
        vec![(13, 3, 3), (12, 2, 2), (11, 2, 4), (10, 3, 3)],
        "newest week first; days that count toward the goal"
    );
    assert_eq!(weeks[2].sessions, vec![6, 5, 4, 3], "newest session first");
    // In UTC, Monday 00:30 in Auckland is still Sunday: the athlete's clock decides.
    assert_eq!(
        log[3].started.to_zoned(TimeZone::UTC).date(),
        date(2025, 3, 9)
    );
    assert_eq!(stats::local_date(&log[3]), date(2025, 3, 10));
}

/// The sessions of `log` up to and including `today`: the log as it stood that day.
fn until(log: &[SessionEntry], today: jiff::civil::Date) -> Vec<SessionEntry> {
    log.iter()
        .filter(|s| stats::local_date(s) <= today)
        .cloned()
        .collect()
}

#[test]
fn streak_counts_weeks_meeting_the_goal_and_this_week_never_breaks_it() {
    let log = auckland_log();
    let progress = |today| stats::progress(&until(&log, today), 3, today);
    // Wednesday of week 14 with nothing yet: 13 met, 12 did not.
    assert_eq!(
        progress(date(2025, 4, 2)),
        Progress {
            goal: 3,
            this_week: 0,
            streak_weeks: 1
        }
    );
    // A week later, week 14 was missed: the streak is over.
    assert_eq!(progress(date(2025, 4, 9)).streak_weeks, 0);
    // During week 13 itself, before and after its third day.
    assert_eq!(
        progress(date(2025, 3, 27)),
        Progress {
            goal: 3,
            this_week: 2,
            streak_weeks: 0
        },
        "week 12 missed the goal; week 13 has not met it yet"
    );
    assert_eq!(progress(date(2025, 3, 30)).streak_weeks, 1);
    // With a goal of two days, weeks 10 to 13 all count.
    assert_eq!(
        stats::progress(&until(&log, date(2025, 3, 30)), 2, date(2025, 3, 30)).streak_weeks,
        4
    );
    // During week 12 (Tuesday): 10 and 11 met two days; 12 has one so far.
    assert_eq!(
        stats::progress(&until(&log, date(2025, 3, 18)), 2, date(2025, 3, 18)),
        Progress {
            goal: 2,
            this_week: 1,
            streak_weeks: 2
        }
    );
}

#[test]
fn today_depends_on_the_zone_and_the_iso_year_turns_on_a_monday() {
    // 03:00 UTC on Monday 10 March 2025: Sunday evening in Los Angeles (the first day of
    // daylight saving time there), Monday afternoon in Auckland.
    let now: jiff::Timestamp = "2025-03-10T03:00:00Z".parse().unwrap();
    let la = stats::today(now, &zone("America/Los_Angeles"));
    let akl = stats::today(now, &zone("Pacific/Auckland"));
    assert_eq!((la, akl), (date(2025, 3, 9), date(2025, 3, 10)));
    // The log as it stood then: the sessions up to Monday 10 March in Auckland.
    let log: Vec<SessionEntry> = until(&auckland_log(), akl);
    assert_eq!(stats::progress(&log, 3, la).this_week, 3, "week 10 in LA");
    assert_eq!(
        stats::progress(&log, 3, akl).this_week,
        1,
        "week 11 in Auckland"
    );
    // 30 December 2024 is the Monday of ISO week 1 of 2025.
    let new_year = vec![
        session("quick", "2024-12-29T08:00[Europe/Berlin]", 400, true),
        session("quick", "2024-12-30T08:00[Europe/Berlin]", 400, true),
        session("quick", "2025-01-01T08:00[Europe/Berlin]", 400, true),
        session("quick", "2025-01-04T08:00[Europe/Berlin]", 400, true),
    ];
    let weeks: Vec<(IsoWeek, u32)> = stats::weeks(&new_year)
        .iter()
        .map(|w| (w.week, w.days))
        .collect();
    assert_eq!(
        weeks,
        vec![
            (
                IsoWeek {
                    year: 2025,
                    week: 1
                },
                3
            ),
            (
                IsoWeek {
                    year: 2024,
                    week: 52
                },
                1
            )
        ]
    );
    assert_eq!(
        IsoWeek {
            year: 2025,
            week: 1
        }
        .previous(),
        IsoWeek {
            year: 2024,
            week: 52
        }
    );
    assert_eq!(
        IsoWeek {
            year: 2025,
            week: 1
        }
        .monday(),
        date(2024, 12, 30)
    );
    assert_eq!(
        stats::progress(&new_year, 3, date(2025, 1, 5)).streak_weeks,
        1
    );
}

#[test]
fn per_routine_totals_and_the_check_in_series() {
    let log = vec![
        with_check_ins(
            session(
                "pre-run-warmup",
                "2025-03-03T07:00[Pacific/Auckland]",
                1200,
                true,
            ),
            Some(6),
            Some(3),
        ),
        with_check_ins(
            session(
                "desk-break",
                "2025-03-03T11:00[Pacific/Auckland]",
                200,
                true,
            ),
            None,
            Some(5),
        ),
        with_check_ins(
            session(
                "pre-run-warmup",
                "2025-03-05T07:00[Pacific/Auckland]",
                300,
                false,
            ),
            Some(5),
            None,
        ),
        session(
            "pre-run-warmup",
            "2025-03-07T07:00[Pacific/Auckland]",
            1100,
            true,
        ),
    ];
    let totals: Vec<_> = stats::routine_totals(&log)
        .into_iter()
        .map(|t| {
            (
                t.routine_id,
                t.sessions,
                t.completed,
                t.active,
                t.average_before,
                t.average_after,
            )
        })
        .collect();
    assert_eq!(
        totals,
        vec![
            (
                "pre-run-warmup".to_owned(),
                3,
                2,
                secs(2600),
                Some(5.5),
                Some(3.0)
            ),
            ("desk-break".to_owned(), 1, 1, secs(200), None, Some(5.0)),
        ]
    );
    let points: Vec<_> = stats::check_ins(&log)
        .into_iter()
        .map(|p| (stats::chart_date(p.day), p.before, p.after))
        .collect();
    assert_eq!(
        points,
        vec![
            (Some(date(2025, 3, 3)), Some(6), Some(3)),
            (Some(date(2025, 3, 3)), None, Some(5)),
            (Some(date(2025, 3, 5)), Some(5), None),
        ],
        "on the athlete's clock (UTC would put the first two on 2 March)"
    );
    // A date's chart position is its midnight, which gives the date back; the chart's axis
    // ends with the midnight after today.
    for day in [date(1970, 1, 1), date(2025, 3, 3), date(2024, 2, 29)] {
        let at = stats::chart_day(day);
        assert_eq!(stats::chart_date(at), Some(day), "{day}");
        assert_eq!(stats::chart_date(at - 0.01), day.yesterday().ok(), "{day}");
        assert!(at.fract().abs() < f64::EPSILON, "{day}: {at}");
    }
    assert!((stats::chart_day(date(1970, 1, 2)) - 1.0).abs() < f64::EPSILON);
}

#[test]
fn csv_has_a_header_and_one_quoted_row_per_session() {
    let mut first = with_check_ins(
        session(
            "pre-run-warmup",
            "2025-03-03T07:15[Pacific/Auckland]",
            1180,
            true,
        ),
        Some(6),
        Some(3),
    );
    first.note = Some("tight at first, then \"fine\", really".to_owned());
    first.paused = secs(45);
    first.steps = vec![
        StepEntry {
            segment: 1,
            name: "Foam roll".to_owned(),
            side: None,
            planned: Some(secs(60)),
            actual: secs(60),
            outcome: StepOutcome::Done,
        },
        StepEntry {
            segment: 2,
            name: "Jog".to_owned(),
            side: None,
            planned: None,
            actual: secs(100),
            outcome: StepOutcome::Skipped,
        },
    ];
    let mut second = session(
        "desk-break",
        "2025-03-09T14:05[America/Los_Angeles]",
        95,
        false,
    );
    second.note = Some("phone rang\nstopped".to_owned());
    let mut out = Vec::new();
    limberup::history::csv::write(&[first, second], &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "started,routine,title,status,planned_secs,active_secs,paused_secs,steps_done,steps_skipped,check_in_before,check_in_after,note,content_hash,source,levels,variant\n\
         2025-03-03T07:15:00+13:00,pre-run-warmup,The pre-run-warmup,completed,600,1180,45,1,1,6,3,\"tight at first, then \"\"fine\"\", really\",00000000000000ab,app,,\n\
         2025-03-09T14:05:00-07:00,desk-break,The desk-break,stopped,600,95,0,0,0,,,\"phone rang\nstopped\",00000000000000ab,app,,\n"
    );
}

fn wall(secs_since_epoch: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + secs(1_741_000_000 + secs_since_epoch)
}

#[test]
fn reminder_counts_desk_time_and_not_a_closed_lid() {
    let hour = secs(3600);
    let mut timer = ReminderTimer::new(hour, secs(0), wall(0));
    assert_eq!(timer.poll(secs(0), wall(0)), Decision::Wait(LOOK_EVERY));
    assert_eq!(
        timer.poll(secs(3540), wall(3540)),
        Decision::Wait(secs(60)),
        "a minute to go"
    );
    assert_eq!(timer.poll(secs(3600), wall(3600)), Decision::Remind);
    assert_eq!(
        timer.poll(secs(3601), wall(3601)),
        Decision::Wait(LOOK_EVERY),
        "the next interval started at the reminder"
    );
    // 3400 s at the desk, then the lid is closed for 8 hours: the monotonic clock stands
    // still, the wall clock does not. The interval starts again on waking.
    assert_eq!(
        timer.poll(secs(7000), wall(7000)),
        Decision::Wait(secs(200))
    );
    let asleep = 8 * 3600;
    assert_eq!(
        timer.poll(secs(7001), wall(7001 + asleep)),
        Decision::Wait(LOOK_EVERY)
    );
    assert_eq!(
        timer.poll(secs(7001 + 3400), wall(7001 + asleep + 3400)),
        Decision::Wait(secs(200)),
        "3400 s after waking, 200 to go"
    );
    assert_eq!(
        timer.poll(secs(7001 + 3600), wall(7001 + asleep + 3600)),
        Decision::Remind
    );
}

#[test]
fn reminder_ignores_small_clock_corrections_and_a_clock_set_back() {
    let hour = secs(3600);
    let mut timer = ReminderTimer::new(hour, secs(0), wall(10_000));
    // NTP moves the wall clock 20 s ahead: no sleep.
    assert_eq!(
        timer.poll(secs(1800), wall(10_000 + 1820)),
        Decision::Wait(LOOK_EVERY)
    );
    // The wall clock is set back: still no sleep, desk time goes on.
    assert_eq!(
        timer.poll(secs(3400), wall(9_000)),
        Decision::Wait(secs(200))
    );
    assert_eq!(timer.poll(secs(3600), wall(9_200)), Decision::Remind);
    // Restarting (a routine was played) starts a full interval.
    timer.restart(secs(4000), wall(10_000));
    assert_eq!(
        timer.poll(secs(7599), wall(13_599)),
        Decision::Wait(secs(1))
    );
}

fn limberup_history(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_limberup"))
        .arg("history")
        .args(args)
        .env(
            "XDG_DATA_HOME",
            std::env::temp_dir().join("limberup-history-test-empty"),
        )
        .output()
        .expect("the binary runs")
}

fn cli_log(dir: &Path) -> String {
    let mut first = with_check_ins(
        session(
            "pre-run-warmup",
            "2025-03-03T07:15[Pacific/Auckland]",
            1180,
            true,
        ),
        Some(6),
        Some(3),
    );
    first.planned = secs(1200);
    first.note = Some("legs heavy, back fine".to_owned());
    first.steps = vec![StepEntry {
        segment: 1,
        name: "Foam roll".to_owned(),
        side: None,
        planned: Some(secs(60)),
        actual: secs(60),
        outcome: StepOutcome::Done,
    }];
    let second = with_check_ins(
        session(
            "desk-break",
            "2025-03-09T14:05[America/Los_Angeles]",
            95,
            false,
        ),
        None,
        Some(5),
    );
    let path = dir.join("history.sqlite3");
    open(&path).insert_all(&[second, first]).expect("seeded");
    path.display().to_string()
}

#[test]
fn cli_history_prints_a_table_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = cli_log(dir.path());
    let output = limberup_history(&["--db", &db]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "\
started           routine         status        time  planned  done/skip  back     note
2025-03-03 07:15  pre-run-warmup  completed    19:40    20:00        1/0  6 -> 3   legs heavy, back fine
2025-03-09 14:05  desk-break      stopped       1:35    10:00        0/0  - -> 5
2 sessions, 1 completed, 21:15 in all
"
    );
}

#[test]
fn cli_history_csv_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = cli_log(dir.path());
    let out = dir.path().join("log.csv");
    let output = limberup_history(&["--csv", "--db", &db, "-o", &out.display().to_string()]);
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty(), "nothing on the terminal");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "started,routine,title,status,planned_secs,active_secs,paused_secs,steps_done,steps_skipped,check_in_before,check_in_after,note,content_hash,source,levels,variant\n\
         2025-03-03T07:15:00+13:00,pre-run-warmup,The pre-run-warmup,completed,1200,1180,0,1,0,6,3,\"legs heavy, back fine\",00000000000000ab,app,,\n\
         2025-03-09T14:05:00-07:00,desk-break,The desk-break,stopped,600,95,0,0,0,,5,,00000000000000ab,app,,\n"
    );
}

#[test]
fn cli_history_with_no_log_says_where_it_will_be_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    let output = limberup_history(&["--db", &db.display().to_string()]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!("no sessions yet: the log is kept in {}\n", db.display())
    );
    assert!(!db.exists(), "not created by reading");
}

#[test]
fn cli_history_refuses_a_newer_log_naming_the_file_and_versions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 4).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let output = limberup_history(&["--db", &db.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "limberup: the training log was written by a newer version of Limber Up (schema \
             version 4; this version reads up to 3), so it is left untouched; update Limber Up \
             to use it: {}\n",
            db.display()
        )
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_routines_weeks_are_counted_against_how_often_it_is_meant_to_be_done() {
    let aim = limberup::routine::Frequency::parse("2-3 x a week").unwrap();
    let z = "[Pacific/Auckland]";
    let log = vec![
        // Four weeks before the week of Wednesday 2025-03-26: two sessions, then one, then
        // two (one of them stopped early, so it does not count), then three.
        session("strength", &format!("2025-02-24T18:00{z}"), 1500, true),
        session("strength", &format!("2025-02-27T18:00{z}"), 1500, true),
        session("strength", &format!("2025-03-05T18:00{z}"), 1500, true),
        session("strength", &format!("2025-03-10T18:00{z}"), 1500, true),
        session("strength", &format!("2025-03-12T18:00{z}"), 60, false),
        session("strength", &format!("2025-03-17T18:00{z}"), 1500, true),
        session("strength", &format!("2025-03-19T18:00{z}"), 1500, true),
        // Sunday night on the athlete's own clock: still that week.
        session("strength", &format!("2025-03-23T23:30{z}"), 1500, true),
        // This week, and another routine that does not count.
        session("strength", &format!("2025-03-24T07:00{z}"), 1500, true),
        session("warm-up", &format!("2025-03-25T07:00{z}"), 600, true),
    ];
    let progress = stats::aim_progress(&log, "strength", &aim, date(2025, 3, 26));
    assert_eq!(
        progress,
        stats::AimProgress {
            this_week: 1,
            weeks_met: 2,
        },
        "met in the weeks of 24 Feb and 17 Mar only"
    );
}

/// Regression ("a locked log"): `history`, which only reads, failed behind any writer.
#[test]
fn cli_history_reads_while_another_program_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = cli_log(dir.path());
    let writer = rusqlite::Connection::open(&db).unwrap();
    writer.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let began = std::time::Instant::now();
    let output = limberup_history(&["--db", &db]);
    assert!(output.status.success(), "{output:?}");
    assert!(
        began.elapsed() < std::time::Duration::from_secs(2),
        "it did not wait for the writer: {:?}",
        began.elapsed()
    );
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("2 sessions")
    );
    writer.execute_batch("COMMIT").unwrap();
}

/// A log of another program, or edited by hand: a `session` table of other columns at the
/// schema version `version` (0: none set) or, with `table`, another name.
fn foreign_log(path: &Path, table: &str, version: u32) {
    let conn = rusqlite::Connection::open(path).expect("a database");
    conn.execute_batch(&format!(
        "CREATE TABLE {table} (id INTEGER PRIMARY KEY, day TEXT, minutes INTEGER);
         INSERT INTO {table} (day, minutes) VALUES ('monday', 10);"
    ))
    .expect("a table of another program");
    conn.pragma_update(None, "user_version", version)
        .expect("a schema version");
}

#[test]
fn a_log_with_other_columns_is_described_in_words_never_sql_and_left_as_it_is() {
    for (table, version, said) in [
        (
            "session",
            0,
            "it has a `session` table that a log at its schema version does not have",
        ),
        (
            "session",
            1,
            "its `session` table lacks the columns active_ms, check_in_after, check_in_before, \
             content_hash and 8 more, and has other columns (day, minutes); it has no `step` table",
        ),
        (
            "sessions",
            SCHEMA_VERSION,
            "it has no `meta` table; it has no `session` table; it has no `step` table",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("history.sqlite3");
        foreign_log(&db, table, version);
        let before = std::fs::read(&db).unwrap();
        let output = limberup_history(&["--db", &db.display().to_string()]);
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let error = String::from_utf8(output.stderr).unwrap();
        assert_eq!(
            error,
            format!(
                "limberup: the training log's tables are not what this version of Limber Up \
                 expects ({said}), so it was left as it is; Limber Up moves it aside when the \
                 window next opens: {}\n",
                db.display()
            )
        );
        for sql in ["CREATE", "ALTER", "SELECT", "INSERT", "TABLE session ("] {
            assert!(!error.contains(sql), "no SQL: {error}");
        }
        assert_eq!(std::fs::read(&db).unwrap(), before, "not migrated into");
        // The window keeps it aside and starts a new log.
        let opened = Store::open(&db, OnDamage::MoveAside).unwrap();
        let [Notice::MovedAside { damaged, reason }] = opened.notices.as_slice() else {
            panic!("one notice: {:?}", opened.notices);
        };
        assert_eq!(reason, said);
        assert_eq!(std::fs::read(damaged).unwrap(), before, "kept as it was");
        assert_eq!(opened.store.schema_version().unwrap(), SCHEMA_VERSION);
    }
}

#[test]
fn a_released_log_at_each_version_passes_the_check_of_its_tables() {
    // Every version as the migrations left it opens without a notice: the check of the
    // tables only refuses what Limber Up did not make.
    for version in 0..=SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("history.sqlite3");
        {
            let conn = rusqlite::Connection::open(&db).unwrap();
            for sql in MIGRATIONS.iter().take(version as usize) {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", version).unwrap();
        }
        let opened = Store::open(&db, OnDamage::Refuse).expect("opens");
        assert!(opened.notices.is_empty(), "version {version}");
    }
}

/// The rows of a CSV file as Python's `csv` module reads it: what a coach's spreadsheet
/// script would get.
fn rows_read_by_python(file: &Path) -> Vec<Vec<String>> {
    let output = std::process::Command::new("python3")
        .args([
            "-c",
            "import csv, json, sys\n\
             with open(sys.argv[1], newline='', encoding='utf-8') as f:\n    \
             print(json.dumps(list(csv.reader(f))))",
        ])
        .arg(file)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("JSON rows")
}

#[test]
fn csv_cells_a_spreadsheet_would_run_come_back_as_text_through_pythons_csv_module() {
    let dir = tempfile::tempdir().unwrap();
    let when = "2025-03-03T07:15[Pacific/Auckland]";
    let mut hostile = session("=HYPERLINK(\"http://x.example\",\"y\")", when, 600, true);
    hostile.title = "+SUM(1,2)".to_owned();
    hostile.note = Some("-2+3, said \"fine\"\nsecond line\r\nthird".to_owned());
    hostile.levels = Some("\t1".to_owned());
    hostile.variant = Some("@cmd".to_owned());
    let mut plain = session("pre-run-warmup", when, 600, true);
    plain.title = "Pre-run, 10 min".to_owned();
    plain.note = Some("legs heavy; 1+1 = 2, \"quoted\"\nand a second line".to_owned());
    plain.variant = Some("\rCR first".to_owned());
    let db = dir.path().join("history.sqlite3");
    open(&db)
        .insert_all(&[hostile.clone(), plain.clone()])
        .unwrap();
    let out = dir.path().join("log.csv");
    let output = limberup_history(&[
        "--csv",
        "--db",
        &db.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let rows = rows_read_by_python(&out);
    assert_eq!(rows.len(), 3, "a header and two sessions: {rows:?}");
    let column = |name: &str| {
        let at = rows[0].iter().position(|h| h == name).expect("a column");
        (rows[1][at].clone(), rows[2][at].clone())
    };
    assert_eq!(
        column("routine"),
        (
            "'=HYPERLINK(\"http://x.example\",\"y\")".to_owned(),
            "pre-run-warmup".to_owned()
        )
    );
    assert_eq!(
        column("title"),
        ("'+SUM(1,2)".to_owned(), "Pre-run, 10 min".to_owned())
    );
    assert_eq!(
        column("note"),
        (
            "'-2+3, said \"fine\"\nsecond line\r\nthird".to_owned(),
            "legs heavy; 1+1 = 2, \"quoted\"\nand a second line".to_owned()
        ),
        "commas, quotes and line breaks survive"
    );
    assert_eq!(column("levels"), ("'\t1".to_owned(), String::new()));
    assert_eq!(
        column("variant"),
        ("'@cmd".to_owned(), "'\rCR first".to_owned())
    );
    assert_eq!(
        column("planned_secs"),
        ("600".to_owned(), "600".to_owned()),
        "numbers as they are"
    );
    assert_eq!(
        column("started"),
        (
            "2025-03-03T07:15:00+13:00".to_owned(),
            "2025-03-03T07:15:00+13:00".to_owned()
        ),
        "times as they are"
    );
}

#[test]
fn cli_history_shows_control_characters_from_the_log_written_out() {
    let dir = tempfile::tempdir().unwrap();
    let when = "2025-03-03T07:15[Pacific/Auckland]";
    let mut hostile = session("hips\u{202e}gpj", when, 600, true);
    // A hyperlink (OSC 8), a colour, a carriage return over the line, a C1 CSI, a bell.
    hostile.note = Some(
        "\u{1b}]8;;http://x.example\u{7}click\u{1b}]8;;\u{7} \u{1b}[31mred\rfake\u{9b}2J\nnext"
            .to_owned(),
    );
    let db = dir.path().join("history.sqlite3");
    open(&db).insert(&hostile).unwrap();
    let output = limberup_history(&["--db", &db.display().to_string()]);
    assert!(output.status.success(), "{output:?}");
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(
        !table.chars().any(|c| c.is_control() && c != '\n') && !table.contains('\u{202e}'),
        "nothing a terminal obeys: {table:?}"
    );
    assert!(
        table.contains("hips\\u{202e}gpj")
            && table.contains(
                "\\u{1b}]8;;http://x.example\\u{7}click\\u{1b}]8;;\\u{7} \\u{1b}[31mred\\u{d}fake\\u{9b}2J\\u{a}next"
            ),
        "{table}"
    );
    assert_eq!(table.lines().count(), 3, "one line a session: {table}");
}
