//! Hardening: every file of the hostile corpus (`tests/hostile/`, made by `make.py`) and an
//! 8-hour soak on the fake clock, each measured alone with a counting allocator; and the
//! settings file and training log under `SIGKILL` at random moments during 100 saves; and
//! the fuzzers' minimised corpora and crashes (`tests/hostile/fuzz/`, `fuzz-values/`)
//! replayed through the fuzz targets' own bodies.
//!
//! Its own test binary with its own `main`, so that nothing else allocates while a case is
//! measured. For each hostile file: a clear finding (checked against [`EXPECTED`]), no
//! panic, under a second, under 100 MB allocated in all (not just at the peak).

#![expect(
    clippy::print_stdout,
    reason = "a harness-less test binary reports its figures and failures on stdout"
)]
#![expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    reason = "byte counts shown in MB and compared as signed differences"
)]

use std::alloc::System;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use limberup::bundle;
use limberup::history::{EntrySource, OnDamage, SessionEntry, StepEntry, StepOutcome, Store};
use limberup::library::{Folders, Library};
use limberup::routine::media::MediaCheck;
use limberup::routine::{self, LoadOptions};
use limberup::settings::{self, Settings};
use limberup::timeline::{self, Phase, Plan, Player};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Each hostile file and words its first error (or, for files that load, a warning) says.
const EXPECTED: &[(&str, &str)] = &[
    ("deep-nesting-options.ron", "expected a duration"),
    ("deep-nesting.ron", "expected string"),
    ("duplicate-keys.ron", "is defined twice in this map"),
    ("format-99.ron", "this file is format 99"),
    ("giant-line.ron", "longer than 120 characters"),
    (
        "many-steps.ron",
        "8801 more findings (1 error, 8800 warnings) are not shown",
    ),
    ("media-bomb-png.ron", "Image size exceeds limit"),
    (
        "size-rounds-times-sets.ron",
        "over 5,000 timed pieces by this section (rounds × sets × sides × reps): 2,000,000",
    ),
    (
        "media-not-a-png.ron",
        "The image format Gif is not supported",
    ),
    ("media-truncated-png.ron", "the image cannot be decoded"),
    ("media-truncated-wav.ron", "the sound is damaged"),
    ("media-zero-channel-wav.ron", "zero channels"),
    ("number-huge-float.ron", "longer than the 2 hour limit"),
    (
        "number-infinite.ron",
        "a duration must be a finite number of seconds",
    ),
    (
        "number-nan.ron",
        "a duration must be a finite number of seconds",
    ),
    (
        "number-negative-sets.ron",
        "-1 is not a count between 0 and 1000",
    ),
    ("number-negative-time.ron", "a duration cannot be negative"),
    ("number-over-two-hours.ron", "longer than the 2 hour limit"),
    ("number-overflow.ron", "is not a count between 0 and 1000"),
    (
        "number-paced-overflow.ron",
        "reps × rep_time is longer than the 2 hour limit",
    ),
    ("number-range-backwards.ron", "runs backwards"),
    ("path-absolute.ron", "is an absolute path"),
    ("path-dotdot.ron", "leaves the routine's folder"),
    ("path-include-escape.ron", "leaves the routine's folder"),
    (
        "path-include-self.ron",
        "expected `Exercises(…)` here, found `Routine(…)`",
    ),
    (
        "path-symlink.ron",
        "is a link to a file outside the routine's folder",
    ),
    ("path-unc.ron", "is an absolute path"),
    ("path-windows.ron", "is an absolute path"),
    // A byte-order mark (Windows Notepad) is accepted: the routine loads.
    ("syntax-bom.ron", "the step \"Hold\" has no illustration"),
    ("syntax-empty.ron", "the file is empty"),
    ("syntax-garbage.ron", "the file is not UTF-8 text"),
    ("syntax-json.ron", "expected `Routine(` here"),
    ("syntax-missing-comma.ron", "expected a comma"),
    ("syntax-not-utf8.ron", "the file is not UTF-8 text"),
    ("syntax-null-bytes.ron", "the invisible character U+0000"),
    ("syntax-only-comments.ron", "the file holds only comments"),
    ("syntax-stray-bracket.ron", "expected `Section(` here"),
    (
        "syntax-trailing-comma.ron",
        "there is a comma after the routine's closing `)`",
    ),
    (
        "syntax-second-routine.ron",
        "there is more after the routine's closing `)`",
    ),
    (
        "media-case.ron",
        "the file is called `media/hip.png`, not `media/Hip.PNG`",
    ),
    // The included file's mistake comes first (and the steps using it say nothing).
    ("include-broken.ron", "broken.exercises.ron:4:"),
    (
        "siblings/uses-sibling.ron",
        "the exercise `lunge` is defined in `legs.exercises.ron`, which this routine does not include",
    ),
    (
        "length-unknown.ron",
        "so the routine's length cannot be known",
    ),
    (
        "template-description.ron",
        "the description is still the example text `limberup new` wrote",
    ),
    (
        "syntax-unclosed.ron",
        "the file ends before the routine is complete",
    ),
    ("syntax-unterminated-string.ron", "expected end of string"),
    ("text-control-chars.ron", "the invisible character U+0007"),
    ("text-empty-name.ron", "the step has no name"),
    (
        "text-emoji-title.ron",
        "the app's fonts cannot draw `🏃` (U+1F3C3): it shows as an empty box",
    ),
    ("text-rtl-override.ron", "the invisible character U+202E"),
    ("text-zero-width.ron", "the invisible character U+200B"),
    ("type-sections-map.ron", "expected opening `[`"),
    ("type-sides-string.ron", "expected identifier"),
    ("type-time-list.ron", "but found a sequence instead"),
    ("type-title-number.ron", "expected string"),
    ("unknown-field.ron", "unknown field `colour`"),
    (
        "unknown-struct-name.ron",
        "expected `Step(…)` here, found `Exercise(…)`",
    ),
    ("unknown-variant.ron", "`Sideways` is not one of"),
    ("fifty-megabytes.ron", "routine files are at most 1 MiB"),
    (
        "bundles/zip-absolute.limberup",
        "entry `/tmp/evil.ron` is an absolute path",
    ),
    ("bundles/zip-bomb.limberup", "unpacks to more than 200 MB"),
    (
        "bundles/zip-broken-routine.limberup",
        "the bundle's routines have 1 error(s)",
    ),
    // The zip reader indexes entries by name: the last of a repeated name is the one read.
    ("bundles/zip-duplicate.limberup", "imported"),
    ("bundles/zip-empty.limberup", "is not a Limber Up bundle"),
    (
        "bundles/zip-executable.limberup",
        "entry `x/run.sh` is not a routine",
    ),
    (
        "bundles/zip-many-entries.limberup",
        "the bundle has 2002 entries",
    ),
    ("bundles/zip-no-routine.limberup", "holds no routine"),
    (
        "bundles/zip-not-a-zip.limberup",
        "is not a Limber Up bundle",
    ),
    (
        "bundles/zip-slip-deep.limberup",
        "would land outside the routines folder",
    ),
    (
        "bundles/zip-slip.limberup",
        "would land outside the routines folder",
    ),
    ("bundles/zip-symlink.limberup", "is a symbolic link"),
    (
        "bundles/zip-truncated.limberup",
        "is not a Limber Up bundle",
    ),
    (
        "bundles/zip-windows-absolute.limberup",
        "is an absolute path",
    ),
];

const SECOND: Duration = Duration::from_secs(1);
const HUNDRED_MB: usize = 100 * 1024 * 1024;

#[path = "../fuzz/parse_plan_body.rs"]
mod fuzz_body;

#[cfg(unix)]
#[path = "hardening/outputs.rs"]
mod outputs;

/// Set in the child of [`kills`]: the folder it saves into until it is killed.
const SAVE_LOOP_ENV: &str = "LIMBERUP_HARDENING_SAVE_LOOP";

fn main() {
    if let Some(folder) = std::env::var_os(SAVE_LOOP_ENV) {
        save_loop(Path::new(&folder));
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let folder = stage(&corpus, scratch.path());
    let mut failures = hostile(&folder, scratch.path());
    failures.extend(replay_fuzz(
        "parse_plan",
        &corpus.join("fuzz"),
        fuzz_body::parse_plan,
    ));
    failures.extend(replay_fuzz(
        "plan_values",
        &corpus.join("fuzz-values"),
        fuzz_body::plan_values,
    ));
    failures.extend(soak());
    failures.extend(kills());
    #[cfg(unix)]
    failures.extend(special_files(scratch.path()));
    failures.extend(shadowing_imports(scratch.path()));
    failures.extend(locked_log(scratch.path()));
    failures.extend(two_thousand_sections());
    #[cfg(unix)]
    failures.extend(outputs::outputs(scratch.path()));
    if failures.is_empty() {
        println!("hardening: ok");
    } else {
        for failure in &failures {
            println!("FAIL {failure}");
        }
        std::process::exit(1);
    }
}

/// Every input the fuzzer kept for `target` (and each crash it found, fixed since) through
/// the target's body: no panic, each under a second and 100 MB.
fn replay_fuzz(target: &str, folder: &Path, body: fn(&[u8]) -> bool) -> Vec<String> {
    let mut failures = Vec::new();
    let mut inputs: Vec<PathBuf> = match std::fs::read_dir(folder) {
        Ok(entries) => entries.map(|e| e.expect("an entry").path()).collect(),
        Err(error) => return vec![format!("{target} corpus {}: {error}", folder.display())],
    };
    inputs.sort();
    let (mut slowest, mut largest, mut planned) = (Duration::ZERO, 0, 0);
    for input in &inputs {
        let data = std::fs::read(input).expect("a fuzz input");
        let region = Region::new(GLOBAL);
        let started = Instant::now();
        let outcome = catch_unwind(|| body(&data));
        planned += usize::from(matches!(outcome, Ok(true)));
        let took = started.elapsed();
        let allocated = region.change().bytes_allocated;
        let name = input.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        if outcome.is_err() {
            failures.push(format!("{target}/{name}: panicked"));
        }
        if took > SECOND {
            failures.push(format!("{target}/{name}: took {took:?}"));
        }
        if allocated > HUNDRED_MB {
            failures.push(format!("{target}/{name}: allocated {allocated} bytes"));
        }
        slowest = slowest.max(took);
        largest = largest.max(allocated);
    }
    if inputs.len() < 100 {
        failures.push(format!("{target} corpus: only {} inputs", inputs.len()));
    }
    println!(
        "fuzz corpus of {target}: {} inputs replayed, {planned} of them planned and played; \
         slowest {:.1} ms, most allocated {:.1} MB",
        inputs.len(),
        slowest.as_secs_f64() * 1000.0,
        largest as f64 / 1e6
    );
    failures
}

/// A copy of the corpus with what cannot be committed: a 50 MB file and a link out.
fn stage(corpus: &Path, scratch: &Path) -> PathBuf {
    let folder = scratch.join("hostile");
    copy_tree(corpus, &folder);
    let big = std::fs::File::create(folder.join("fifty-megabytes.ron")).expect("a big file");
    big.set_len(50 * 1024 * 1024).expect("50 MB");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", folder.join("media/link-out.png"))
        .expect("a link out of the folder");
    folder
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("the corpus") {
        let path = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("a copy");
        }
    }
}

/// Every hostile file, measured alone.
fn hostile(folder: &Path, scratch: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    println!(
        "{:<40} {:>8} {:>10}  first finding",
        "file", "ms", "allocated"
    );
    for (i, (name, expected)) in EXPECTED.iter().enumerate() {
        let path = folder.join(name);
        if !path.exists() {
            failures.push(format!("{name}: missing from the corpus"));
            continue;
        }
        let into = scratch.join(format!("import-{i}"));
        let region = Region::new(GLOBAL);
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| open(&path, &into)));
        let took = started.elapsed();
        let allocated = region.change().bytes_allocated;
        let Ok(said) = outcome else {
            failures.push(format!("{name}: panicked"));
            continue;
        };
        println!(
            "{name:<40} {:>8.1} {:>8.1}MB  {}",
            took.as_secs_f64() * 1000.0,
            allocated as f64 / 1e6,
            said.chars().take(90).collect::<String>()
        );
        if !said.contains(expected) {
            failures.push(format!("{name}: said `{said}`, expected `{expected}`"));
        }
        if took > SECOND {
            failures.push(format!("{name}: took {took:?}"));
        }
        if allocated > HUNDRED_MB {
            failures.push(format!("{name}: allocated {allocated} bytes"));
        }
        let refused = said != "imported";
        if refused
            && name.ends_with(".limberup")
            && std::fs::read_dir(&into).is_ok_and(|mut d| d.next().is_some())
        {
            failures.push(format!("{name}: left files behind in {}", into.display()));
        }
    }
    // Shared exercise files are what routines of the corpus include, not cases.
    let count = std::fs::read_dir(folder)
        .expect("the corpus")
        .chain(std::fs::read_dir(folder.join("bundles")).expect("the bundles"))
        .chain(std::fs::read_dir(folder.join("siblings")).expect("the siblings"))
        .filter(|e| {
            e.as_ref().is_ok_and(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                !name.ends_with("exercises.ron")
                    && e.path()
                        .extension()
                        .is_some_and(|x| x == "ron" || x == "limberup")
            })
        })
        .count();
    if count != EXPECTED.len() {
        failures.push(format!(
            "the corpus has {count} files and EXPECTED names {}",
            EXPECTED.len()
        ));
    }
    println!("{} hostile files", EXPECTED.len());
    failures
}

/// Opens a file as the app would, and returns the first error, or the first finding.
fn open(path: &Path, into: &Path) -> String {
    if path.extension().is_some_and(|e| e == "limberup") {
        return match bundle::import(path, into, false, &[]) {
            Ok(_) => "imported".to_owned(),
            Err(bundle::ImportError::Invalid { diagnostics, .. }) => format!(
                "the bundle's routines have {} error(s): {}",
                diagnostics.iter().filter(|d| d.is_error()).count(),
                diagnostics
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ),
            Err(error) => error.to_string(),
        };
    }
    let loaded = routine::load(
        path,
        LoadOptions {
            media: MediaCheck::Decode,
            ..LoadOptions::default()
        },
    );
    // What loads must also plan and play a step without trouble.
    if let Some(routine) = loaded.routine.clone() {
        let plan = Arc::new(Plan::new(Arc::new(routine), timeline::DEFAULT_LEAD_IN));
        let mut player = Player::new(Arc::clone(&plan), timeline::DEFAULT_LEAD_IN);
        player.start(Duration::ZERO);
        let _ = player.tick(Duration::from_secs(5));
        let _ = timeline::schedule(&plan);
    }
    // The first error; or, for a file that loads, every warning.
    let shown: Vec<String> = match loaded.diagnostics.iter().find(|d| d.is_error()) {
        Some(error) => vec![error.to_string()],
        None => loaded
            .diagnostics
            .iter()
            .rev()
            .map(|d| d.message.clone())
            .collect(),
    };
    if shown.is_empty() {
        "no finding".to_owned()
    } else {
        shown.join(" | ")
    }
}

/// A bundle whose routine has the id of a bundled routine, and one of the user's in another
/// folder: each import is refused, naming the routine, and writes nothing; a bundle with a
/// hidden top folder or a right-to-left override in a name is refused.
fn shadowing_imports(scratch: &Path) -> Vec<String> {
    let folder = scratch.join("shadowing");
    let routines = folder.join("routines");
    std::fs::create_dir_all(&routines).expect("a folder");
    let mine = routines.join("hips.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("routines/desk-break.ron"),
        &mine,
    )
    .expect("the user's routine");
    let existing = [
        bundle::Existing {
            id: "hips".to_owned(),
            path: mine,
            bundled: false,
        },
        bundle::Existing {
            id: "desk-break".to_owned(),
            path: PathBuf::from("/usr/share/limberup/routines/desk-break.ron"),
            bundled: true,
        },
    ];
    let source = br#"Routine(format: 1, title: "Coach's", sections: [Section(title: "A", steps: [
        Step(name: "Hold", instruction: "Hold it.", time: 30)])])"#;
    let zip = |name: &str, entry: &str| {
        let path = folder.join(name);
        let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).expect("a bundle"));
        writer
            .start_file(entry, zip::write::SimpleFileOptions::default())
            .expect("an entry");
        std::io::Write::write_all(&mut writer, source).expect("written");
        writer.finish().expect("finished");
        path
    };
    let cases = [
        (
            zip("a.limberup", "coach/hips.ron"),
            "would replace the existing routine",
        ),
        (
            zip("b.limberup", "coach/desk-break.ron"),
            "would replace the bundled routine",
        ),
        (zip("c.limberup", ".coach/x.ron"), "would be hidden"),
        (
            zip("d.limberup", "coach/gpj\u{202e}.ron"),
            "cannot be a file name here",
        ),
    ];
    let mut failures = Vec::new();
    for (bundle_file, expected) in cases {
        let name = bundle_file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        match bundle::import(&bundle_file, &routines, false, &existing) {
            Ok(_) => failures.push(format!("shadowing {name:?}: imported")),
            Err(error) if !error.to_string().contains(expected) => {
                failures.push(format!("shadowing {name:?}: {error}"));
            }
            Err(_) => {}
        }
    }
    let left: Vec<_> = std::fs::read_dir(&routines)
        .expect("the folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    if left != [std::ffi::OsString::from("hips.ron")] {
        failures.push(format!("shadowing: the folder holds {left:?}"));
    }
    println!("shadowing imports: 4 refused, nothing written");
    failures
}

/// A second connection holds `BEGIN EXCLUSIVE` on the log for 7 s while a session ends:
/// no write waits on it (each returns at once, busy), the session waits in memory, and a
/// retry every half second saves it once the lock is gone.
fn locked_log(scratch: &Path) -> Vec<String> {
    use limberup::session::{Log, Session};
    let db = scratch.join("locked/history.sqlite3");
    drop(Store::open(&db, OnDamage::Refuse).expect("a log"));
    let zone = jiff::tz::TimeZone::UTC;
    let (mut log, _) = Log::open(Some(&db), &zone);
    let source = r#"Routine(format: 1, title: "Short", sections: [Section(title: "A", steps: [
        Step(name: "Hold", instruction: "Hold it.", time: 5)])])"#;
    let routine = Arc::new(
        routine::parse(source, Path::new("/nonexistent/short.ron"))
            .routine
            .expect("a routine"),
    );
    let mut session = Session::new(
        routine,
        timeline::PlanOptions::silent(Duration::ZERO),
        Duration::ZERO,
        std::time::SystemTime::now(),
        &zone,
    );
    session.begin(true, Duration::ZERO);
    let (locked_tx, locked) = std::sync::mpsc::channel();
    let holder_db = db.clone();
    let holder = std::thread::Builder::new()
        .name("log-holder".to_owned())
        .spawn(move || {
            let conn = rusqlite::Connection::open(&holder_db).expect("a second connection");
            conn.execute_batch("BEGIN EXCLUSIVE").expect("the lock");
            locked_tx.send(()).expect("said");
            std::thread::sleep(Duration::from_secs(7));
            conn.execute_batch("COMMIT").expect("released");
        })
        .expect("a thread");
    locked.recv().expect("the lock is held");
    let began = Instant::now();
    session.end(Duration::from_secs(5));
    let mut failures = Vec::new();
    let (mut tries, mut slowest) = (0, Duration::ZERO);
    loop {
        tries += 1;
        let attempt = Instant::now();
        let result = log.write(&mut session, Duration::from_secs(5));
        slowest = slowest.max(attempt.elapsed());
        match result {
            Ok(()) => break,
            Err(error) if error.is_busy() => {}
            Err(error) => {
                failures.push(format!("locked log: {error}"));
                break;
            }
        }
        if began.elapsed() > Duration::from_secs(20) {
            failures.push("locked log: still not saved after 20 s".to_owned());
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    holder.join().expect("the holder ends");
    let saved = Store::open(&db, OnDamage::Refuse)
        .map(|o| o.store.sessions().map(|s| s.len()))
        .map_or(0, |s| s.unwrap_or(0));
    if saved != 1 {
        failures.push(format!("locked log: {saved} sessions in the log, not 1"));
    }
    // A write that waited on the lock would come back only when the holder lets go, 7 s
    // after it took it; one that does not comes back busy at once, time and again. The
    // bound is far from both so that a loaded machine (this binary runs its checks side by
    // side, one of them laying out 2,000 sections) cannot fail it: a 250 ms bound once
    // caught a 587 ms write, descheduled, not waiting.
    if slowest > Duration::from_secs(2) {
        failures.push(format!("locked log: a write waited {slowest:?}"));
    }
    if tries < 5 {
        failures.push(format!(
            "locked log: saved at try {tries}, so the early tries did not come back busy"
        ));
    }
    println!(
        "locked log: saved after {:.1} s and {tries} tries; the slowest write took {:.1} ms",
        began.elapsed().as_secs_f64(),
        slowest.as_secs_f64() * 1000.0
    );
    failures
}

/// One case of [`special_files`]: what the library, settings, log or import said.
#[cfg(unix)]
type Case = Box<dyn FnOnce() -> String + Send>;

/// A named pipe (made with `mkfifo`) wherever a file belongs: a routine in the library, an
/// included exercise file, a routine's picture and sound, the settings file, the training
/// log and a bundle. Each is refused with a message that says so, at once: nothing waits on
/// the pipe (each case runs on its own thread and fails after 5 s).
#[cfg(unix)]
fn special_files(scratch: &Path) -> Vec<String> {
    let folder = scratch.join("special");
    std::fs::create_dir_all(folder.join("routines")).expect("a folder");
    let fifo = |name: &str| {
        let path = folder.join(name);
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo runs");
        assert!(made.success(), "mkfifo {}", path.display());
        path
    };
    fifo("routines/pipe.ron");
    fifo("routines/exercises.ron");
    fifo("routines/picture.png");
    fifo("routines/cue.wav");
    std::fs::write(
        folder.join("routines/uses-them.ron"),
        r#"Routine(format: 1, title: "Uses them", include: ["exercises.ron"],
            sounds: (start: "cue.wav"),
            sections: [Section(title: "A", steps: [
                Step(name: "Hold", time: 20, image: "picture.png"),
            ])])"#,
    )
    .expect("a routine");
    let settings = fifo("settings.ron");
    let log = fifo("history.sqlite3");
    let bundle = fifo("coach.limberup");
    let routines = folder.join("routines");
    let cases: Vec<(&str, Case)> = vec![
        (
            "the library with a pipe for a routine, an include, a picture and a sound",
            Box::new(move || {
                let library = Library::load(
                    &Folders {
                        bundled: None,
                        user: Some(routines),
                        extra: Vec::new(),
                    },
                    LoadOptions {
                        media: MediaCheck::Decode,
                        ..LoadOptions::default()
                    },
                );
                library
                    .entries
                    .iter()
                    .flat_map(|e| &e.diagnostics)
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
        ),
        (
            "settings.ron",
            Box::new(move || format!("{:?}", settings::load(&settings).notice)),
        ),
        (
            "history.sqlite3",
            Box::new(move || match Store::open(&log, OnDamage::MoveAside) {
                Ok(_) => "opened".to_owned(),
                Err(error) => error.to_string(),
            }),
        ),
        (
            "a bundle",
            Box::new(move || {
                let into = bundle.with_file_name("imported");
                match bundle::import(&bundle, &into, false, &[]) {
                    Ok(_) => "imported".to_owned(),
                    Err(error) => error.to_string(),
                }
            }),
        ),
    ];
    let mut failures = Vec::new();
    for (name, case) in cases {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("special-file".to_owned())
            .spawn(move || tx.send(case()))
            .expect("a thread");
        match rx.recv_timeout(Duration::from_secs(5)) {
            Err(_) => failures.push(format!("special files, {name}: still waiting after 5 s")),
            Ok(said) => {
                let refusals = said
                    .matches("named pipe (FIFO), not a regular file")
                    .count();
                let wanted = if name.starts_with("the library") {
                    4
                } else {
                    1
                };
                if refusals < wanted {
                    failures.push(format!(
                        "special files, {name}: {refusals} of {wanted} refusals in: {said}"
                    ));
                }
                println!(
                    "special files, {name}: {}",
                    said.lines().next().unwrap_or("")
                );
            }
        }
    }
    failures
}

/// A routine within every limit, 2,000 one-step sections each with words of its own (11 h of
/// audio, some 4,000 phrases): laid out for `export-audio` with every phrase measured, the
/// memory still in use afterwards stays under 50 MB (it held every phrase, 788 MB, before
/// `write_wav` learned to render a minute at a time; `tests/audio.rs` checks the writing).
fn two_thousand_sections() -> Vec<String> {
    let sections: Vec<String> = (0..2_000)
        .map(|i| {
            format!(
                "Section(title: \"Part {i}\", steps: [Step(name: \"Hold {i}\", \
                 instruction: \"Hold it steady, number {i}.\", time: 20)])"
            )
        })
        .collect();
    let source = format!(
        "Routine(format: 1, title: \"Long\", sections: [{}])",
        sections.join(",\n")
    );
    let Some(routine) = routine::parse(&source, Path::new("/nonexistent/long.ron")).routine else {
        return vec!["2,000 sections: the routine does not load".to_owned()];
    };
    let plan = Plan::with_options(
        Arc::new(routine),
        timeline::PlanOptions::spoken(Duration::from_secs(3)),
    );
    let region = Region::new(GLOBAL);
    let started = Instant::now();
    let rendered = limberup::audio::render(&plan, limberup::audio::ExportOptions::default());
    let change = region.change();
    let in_use = change.bytes_allocated as i64 - change.bytes_deallocated as i64;
    println!(
        "2,000 sections: {} of audio laid out in {:.1} s, {} sounds; {:.1} MB in use after",
        limberup::text::clock(rendered.duration),
        started.elapsed().as_secs_f64(),
        rendered.sound_count(),
        in_use as f64 / 1e6
    );
    let mut failures = Vec::new();
    if in_use > 50_000_000 {
        failures.push(format!(
            "2,000 sections: {in_use} bytes in use after the layout"
        ));
    }
    if rendered.duration < Duration::from_hours(11) {
        failures.push(format!(
            "2,000 sections: only {:?} of audio",
            rendered.duration
        ));
    }
    failures
}

/// Every bundled routine back to back on the fake clock for 8 simulated hours, with
/// random pauses, skips, Done presses and time changes, polled as the app polls. No panic,
/// and the memory in use after the first hour stays within 1 MB.
fn soak() -> Vec<String> {
    const HOUR: Duration = Duration::from_hours(1);
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("routines");
    let library = Library::load(
        &Folders {
            bundled: Some(bundled),
            user: None,
            extra: Vec::new(),
        },
        LoadOptions::default(),
    );
    let routines: Vec<_> = library
        .entries
        .iter()
        .filter_map(|e| e.routine.clone())
        .collect();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let region = Region::new(GLOBAL);
    let in_use = |region: &Region<'_, System>| {
        let change = region.change();
        change.bytes_allocated as i64 - change.bytes_deallocated as i64
    };
    let mut now = Duration::ZERO;
    let mut after_first_hour: Option<i64> = None;
    let mut sessions = 0;
    let mut cues = 0_usize;
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        while now < 8 * HOUR {
            let routine = Arc::clone(&routines[sessions % routines.len()]);
            sessions += 1;
            let plan = Arc::new(Plan::new(routine, timeline::DEFAULT_LEAD_IN));
            let mut player = Player::new(Arc::clone(&plan), timeline::DEFAULT_LEAD_IN);
            player.start(now);
            while player.status(now).phase != Phase::Finished && now < 8 * HOUR {
                // Poll when the app would wake, or sooner (a repaint for another reason).
                let wake = player
                    .time_until_next_change(now)
                    .unwrap_or(Duration::from_millis(500))
                    .min(Duration::from_millis(rng.below(2_000) + 1));
                now += wake;
                cues += player.tick(now).len();
                let _ = player.upcoming(now);
                let _ = player.status(now);
                match rng.below(400) {
                    0 => player.toggle_pause(now),
                    1 => player.next(now),
                    2 => player.previous(now),
                    3 => player.add_time(Duration::from_secs(10), now),
                    4 => player.remove_time(Duration::from_secs(10), now),
                    _ => {}
                }
                // Done-steps get their Done after a while, as the athlete would press it.
                if player.segment().waits_for_done() && rng.below(20) == 0 {
                    player.done(now);
                }
                if after_first_hour.is_none() && now >= HOUR {
                    after_first_hour = Some(in_use(&region));
                }
            }
            let _ = player.record(now);
        }
    }));
    let end = in_use(&region);
    let mut failures = Vec::new();
    if outcome.is_err() {
        failures.push("soak: panicked".to_owned());
    }
    let first = after_first_hour.unwrap_or(end);
    println!(
        "soak: {sessions} sessions, {cues} cues over 8 simulated hours in {:.1} s; \
         memory in use after hour 1: {first} bytes, after hour 8: {end} bytes",
        started.elapsed().as_secs_f64()
    );
    if (end - first).abs() > 1_000_000 {
        failures.push(format!(
            "soak: memory in use went from {first} to {end} bytes after the first hour"
        ));
    }
    failures
}

/// Saves done before the test is over.
const SAVES: usize = 100;
/// Steps in each saved session, as in a full warm-up.
const STEPS_PER_SESSION: usize = 24;

/// A child process (this binary again, in [`save_loop`]) saves the settings and a session
/// again and again, saying "saved N" after each; it is killed with `SIGKILL` after a random
/// number of saves (none, for some, to hit the log's creation) plus a random delay, so
/// kills land before, inside and between writes. After each kill: the settings file reads
/// without a notice and holds save N or N+1; the log opens without a notice, passes
/// SQLite's integrity check, and holds every reported session, whole, plus at most the one
/// being written. Repeated until 100 saves are done.
fn kills() -> Vec<String> {
    let folder = tempfile::tempdir().expect("a scratch folder");
    let settings_file = folder.path().join(limberup::places::SETTINGS_FILE_NAME);
    let db = folder.path().join("history.sqlite3");
    let mut rng = Rng(0x0c0f_fee0_dead_beef);
    let mut failures = Vec::new();
    let mut saved = 0_usize;
    let mut kills = 0;
    let mut inside_settings_write = 0;
    let mut between_writes = 0;
    let mut unreported_commit = 0;
    let started = Instant::now();
    while saved < SAVES && failures.is_empty() && started.elapsed() < Duration::from_mins(2) {
        let reported = run_and_kill(folder.path(), &mut rng).unwrap_or(saved);
        kills += 1;
        // A kill inside a settings write leaves its scratch file (cleared a minute later by
        // the app; here at once, so the next kill's count is its own).
        let mut scratch = false;
        for entry in std::fs::read_dir(folder.path()).expect("the folder lists") {
            let path = entry.expect("an entry").path();
            if path.to_string_lossy().ends_with(".partial") {
                std::fs::remove_file(path).expect("scratch removed");
                scratch = true;
            }
        }
        inside_settings_write += usize::from(scratch);
        let settings = settings::load(&settings_file);
        if let Some(notice) = settings.notice {
            failures.push(format!("kill {kills}: the settings were damaged: {notice}"));
            break;
        }
        let on_disk = settings
            .settings
            .extra_folders
            .first()
            .and_then(|p| p.file_name()?.to_str()?.parse::<usize>().ok());
        let opened = match Store::open(&db, OnDamage::Refuse) {
            Ok(opened) => opened,
            Err(error) => {
                failures.push(format!("kill {kills}: the log does not open: {error}"));
                break;
            }
        };
        if !opened.notices.is_empty() {
            failures.push(format!("kill {kills}: {:?}", opened.notices));
        }
        let integrity: String = rusqlite::Connection::open(&db)
            .and_then(|c| c.query_row("PRAGMA integrity_check", [], |row| row.get(0)))
            .unwrap_or_else(|error| error.to_string());
        if integrity != "ok" {
            failures.push(format!("kill {kills}: integrity check: {integrity}"));
        }
        let sessions = opened.store.sessions().unwrap_or_default();
        // Every reported save is there; the one being written may be, whole or not at all.
        if !(reported..=reported + 1).contains(&sessions.len()) {
            failures.push(format!(
                "kill {kills}: {} sessions in the log after {reported} reported saves",
                sessions.len()
            ));
        }
        if let Some((i, _)) = sessions
            .iter()
            .enumerate()
            .find(|(i, s)| s.title != format!("Save {i}") || s.steps.len() != STEPS_PER_SESSION)
        {
            failures.push(format!("kill {kills}: session {i} is not whole"));
        }
        // Save N writes the settings first, then the session: the settings are save N-1,
        // or save N when the kill came after them.
        let settings_ok = match on_disk {
            None => reported == 0 && sessions.is_empty(),
            Some(n) => n + 1 == sessions.len() || (n == reported && sessions.len() == reported),
        };
        if !settings_ok {
            failures.push(format!(
                "kill {kills}: the settings hold save {on_disk:?} with {} sessions in the log",
                sessions.len()
            ));
        }
        between_writes += usize::from(on_disk == Some(reported) && sessions.len() == reported);
        unreported_commit += usize::from(sessions.len() == reported + 1);
        saved = sessions.len();
    }
    if saved < SAVES && failures.is_empty() {
        failures.push(format!("kills: only {saved} saves in two minutes"));
    }
    println!(
        "kills: {kills} SIGKILLs during {saved} saves in {:.1} s: {inside_settings_write} \
         inside a settings write, {between_writes} between it and the session's commit, \
         {unreported_commit} after a commit before it was reported",
        started.elapsed().as_secs_f64()
    );
    failures
}

/// Starts the saving child and kills it at a random moment: before it has saved (to hit
/// the log's creation and opening) or after a few saves plus up to 3 ms. Returns the number
/// of sessions it last said the log held, if it said anything.
fn run_and_kill(folder: &Path, rng: &mut Rng) -> Option<usize> {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(std::env::current_exe().expect("this test binary"))
        .env(SAVE_LOOP_ENV, folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the saving child starts");
    let mut lines = BufReader::new(child.stdout.take().expect("its output")).lines();
    let count = |line: &str| {
        let n = line
            .strip_prefix("saved ")
            .or_else(|| line.strip_prefix("ready "))?;
        n.parse::<usize>().ok()
    };
    let mut reported = None;
    let saves = rng.below(5);
    if saves == 0 {
        std::thread::sleep(Duration::from_micros(rng.below(15_000)));
    } else {
        let mut seen = 0;
        for line in lines.by_ref().map_while(Result::ok) {
            reported = count(&line).or(reported);
            seen += u64::from(line.starts_with("saved "));
            if seen == saves {
                break;
            }
        }
        std::thread::sleep(Duration::from_micros(rng.below(3_000)));
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    // Whatever it said before it died.
    for line in lines.map_while(Result::ok) {
        reported = count(&line).or(reported);
    }
    reported
}

/// The child: saves the settings (with the save's number in them) and then a session of
/// 24 steps, printing "saved N" (N sessions now in the log) after each, until killed or
/// after 10 s.
fn save_loop(folder: &Path) -> ! {
    use std::io::Write as _;
    let mut store = Store::open(&folder.join("history.sqlite3"), OnDamage::Refuse)
        .expect("the log opens")
        .store;
    let mut n = store.sessions().expect("the sessions").len();
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready {n}")
        .and_then(|()| out.flush())
        .expect("stdout");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        let settings = Settings {
            extra_folders: vec![PathBuf::from(format!("/routines/{n}"))],
            ..Settings::default()
        };
        settings::save(
            &folder.join(limberup::places::SETTINGS_FILE_NAME),
            &settings,
        )
        .expect("settings saved");
        store.insert(&session(n)).expect("a session saved");
        n += 1;
        writeln!(out, "saved {n}")
            .and_then(|()| out.flush())
            .expect("stdout");
    }
    std::process::exit(0);
}

/// Session number `n`, a whole warm-up's worth of steps.
fn session(n: usize) -> SessionEntry {
    let started = jiff::Timestamp::from_second(1_750_000_000 + 3_600 * n as i64).expect("a time");
    SessionEntry {
        routine_id: "pre-run-warmup".to_owned(),
        title: format!("Save {n}"),
        content_hash: "0123456789abcdef".to_owned(),
        started,
        offset: jiff::tz::Offset::UTC,
        planned: Duration::from_mins(20),
        active: Duration::from_mins(19),
        paused: Duration::ZERO,
        finished: true,
        check_in_before: Some(6),
        check_in_after: Some(3),
        note: Some("Felt loose after the strides.".to_owned()),
        steps: (0..STEPS_PER_SESSION)
            .map(|i| StepEntry {
                segment: u32::try_from(i).expect("few steps"),
                name: format!("Step {i}"),
                side: None,
                planned: Some(Duration::from_secs(30)),
                actual: Duration::from_secs(31),
                outcome: StepOutcome::Done,
            })
            .collect(),
        source: EntrySource::App,
        levels: None,
        variant: None,
    }
}

/// xorshift64: a fixed seed, so a failing soak fails again the same way.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}
