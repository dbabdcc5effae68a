//! The command line against a stranger's files and text (issue #22, items 2 and 6): every
//! `-o` target no command may write over, `--force` or not; an existing file without
//! `--force`; a named pipe, a folder and a device as targets; `-o -`; formulas in a log's
//! texts through `history --csv`, read back by Python's `csv` module; escape sequences, a
//! carriage return and a right-to-left override from a log, a file name and a routine on the
//! terminal; and a log of another program's columns. The binary runs as the athlete runs it,
//! with a home of its own, and each case must end with its expected outcome within 30 s.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use limberup::history::{OnDamage, SessionEntry, Store};

/// A routine that plays in a minute or two, without pictures.
const ROUTINE: &str = r#"Routine(
    format: 1,
    title: "Test",
    sections: [
        Section(title: "A", steps: [
            Step(name: "Hold", instruction: "Hold it.", time: 30, sides: Both),
        ]),
    ],
)
"#;

/// The athlete's folders (`data/limberup`, `config/limberup`) and a working folder.
struct Home {
    root: PathBuf,
}

impl Home {
    fn work(&self) -> PathBuf {
        self.root.join("work")
    }

    fn data(&self) -> PathBuf {
        self.root.join("data/limberup")
    }

    /// The binary, run from the working folder, stopped after 30 s.
    fn run(&self, args: &[&str]) -> Output {
        Command::new("timeout")
            .arg("30")
            .arg(env!("CARGO_BIN_EXE_limberup"))
            .args(args)
            .current_dir(self.work())
            .env("LIMBERUP_DATA_DIR", env!("CARGO_MANIFEST_DIR"))
            .env("XDG_DATA_HOME", self.root.join("data"))
            .env("XDG_CONFIG_HOME", self.root.join("config"))
            .output()
            .expect("the binary runs")
    }
}

/// Each command that writes `-o`, to `target`, and how its output starts.
fn writers(target: &str) -> [(Vec<&str>, &'static [u8]); 4] {
    [
        (vec!["pack", "warm.ron", "-o", target], b"PK\x03\x04"),
        (vec!["sheet", "warm.ron", "-o", target], b"<!DOCTYPE html>"),
        (
            vec![
                "export-audio",
                "warm.ron",
                "--no-voice",
                "--sample-rate",
                "8000",
                "-o",
                target,
            ],
            b"RIFF",
        ),
        (
            vec!["history", "--csv", "--db", "none.sqlite3", "-o", target],
            b"started,",
        ),
    ]
}

/// Stands in for what a process printed: its exit and its standard error, one line.
fn said(output: &Output) -> String {
    let code = output
        .status
        .code()
        .map_or_else(|| "a signal".to_owned(), |c| c.to_string());
    format!(
        "exit {code}: {}",
        String::from_utf8_lossy(&output.stderr).trim_end()
    )
}

/// Whether `text` holds anything a terminal would obey rather than show.
fn obeyed(text: &[u8]) -> bool {
    String::from_utf8_lossy(text).chars().any(|c| {
        (c.is_control() && c != '\n')
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    })
}

/// A case: what it found, or why it failed.
type Check = Box<dyn Fn(&Home) -> Result<String, String>>;

/// Every case, each timed and printed with its outcome; the failures.
pub fn outputs(scratch: &Path) -> Vec<String> {
    let home = Home {
        root: scratch.join("outputs"),
    };
    let setup = |path: PathBuf, text: &str| {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("a folder");
        std::fs::write(&path, text).expect("a file");
        path
    };
    setup(home.work().join("warm.ron"), ROUTINE);
    let cases: Vec<(&str, Check)> = vec![
        (
            "-o over the routine being written out",
            Box::new(|h: &Home| {
                refused_even_with_force(
                    h,
                    &h.work().join("warm.ron"),
                    "the routine being written out",
                )
            }),
        ),
        (
            "-o over another routine's exercise file",
            Box::new(move |h: &Home| {
                let file = setup(
                    h.work().join("moves.exercises.ron"),
                    "Exercises(exercises: {})\n",
                );
                refused_even_with_force(h, &file, "a routine or exercise file (.ron)")
            }),
        ),
        (
            "-o over the training log",
            Box::new(move |h: &Home| {
                let log = setup(h.data().join("history.sqlite3"), "the log");
                refused_even_with_force(h, &log, "the training log")
            }),
        ),
        (
            "-o over the log's -wal (not there yet)",
            Box::new(|h: &Home| {
                let wal = h.data().join("history.sqlite3-wal");
                let outcome = refused_even_with_force(h, &wal, "part of the training log")?;
                if wal.exists() {
                    return Err("a -wal was made".to_owned());
                }
                Ok(outcome)
            }),
        ),
        (
            "-o through a link to the training log",
            Box::new(move |h: &Home| {
                let log = setup(h.data().join("history.sqlite3"), "the log");
                let link = h.work().join("log.csv");
                let _ = std::fs::remove_file(&link);
                std::os::unix::fs::symlink(&log, &link).expect("a link");
                refused_even_with_force(h, &link, "the training log")
            }),
        ),
        (
            "-o over the settings",
            Box::new(move |h: &Home| {
                let settings = setup(h.root.join("config/limberup/settings.ron"), "Settings()");
                refused_even_with_force(h, &settings, "the settings file")
            }),
        ),
        (
            "-o over a picture in the routines folder",
            Box::new(move |h: &Home| {
                let picture = setup(h.data().join("routines/images/cobra.png"), "png");
                refused_even_with_force(h, &picture, "a routines folder")
            }),
        ),
        (
            "-o over an existing file without --force",
            Box::new(move |h: &Home| {
                let file = setup(h.work().join("kept.out"), "a coach's file");
                for (args, _) in writers("kept.out") {
                    let output = h.run(&args);
                    let told = said(&output);
                    if output.status.code() != Some(2)
                        || !told.contains("add --force to replace it")
                    {
                        return Err(format!("{args:?}: {told}"));
                    }
                }
                if std::fs::read_to_string(&file).ok().as_deref() != Some("a coach's file") {
                    return Err("the file changed".to_owned());
                }
                Ok("refused by each, the file as it was".to_owned())
            }),
        ),
        (
            "-o to a named pipe, a folder and a device",
            Box::new(|h: &Home| {
                let pipe = h.work().join("pipe");
                if !pipe.exists() {
                    let made = Command::new("mkfifo").arg(&pipe).status().expect("mkfifo");
                    assert!(made.success(), "mkfifo");
                }
                std::fs::create_dir_all(h.work().join("folder")).expect("a folder");
                for target in ["pipe", "folder", "/dev/null"] {
                    for (args, _) in writers(target) {
                        let args = [&args[..], &["--force"]].concat();
                        let output = h.run(&args);
                        let told = said(&output);
                        if output.status.code() != Some(2) || !told.contains("not a regular file") {
                            return Err(format!("{args:?}: {told}"));
                        }
                    }
                }
                Ok("each refused at once, nothing opened".to_owned())
            }),
        ),
        (
            "-o - to standard output",
            Box::new(|h: &Home| {
                for (args, start) in writers("-") {
                    let output = h.run(&args);
                    if !output.status.success() || !output.stdout.starts_with(start) {
                        return Err(format!("{args:?}: {}", said(&output)));
                    }
                }
                if h.work().join("-").exists() {
                    return Err("a file `-` was written".to_owned());
                }
                Ok("a bundle, a sheet, a WAV and a CSV on standard output".to_owned())
            }),
        ),
        (
            "formulas in the log through history --csv",
            Box::new(formulas),
        ),
        ("control characters on the terminal", Box::new(terminal)),
        ("a log of another program's columns", Box::new(foreign_log)),
    ];
    let mut failures = Vec::new();
    for (name, case) in cases {
        let started = Instant::now();
        let outcome = case(&home);
        let took = started.elapsed();
        let shown = match &outcome {
            Ok(outcome) => outcome.clone(),
            Err(failure) => format!("FAILED: {failure}"),
        };
        println!(
            "{name:<45} {:>8.1} ms  {}",
            took.as_secs_f64() * 1000.0,
            shown.chars().take(90).collect::<String>()
        );
        if let Err(failure) = outcome {
            failures.push(format!("{name}: {failure}"));
        }
    }
    failures
}

/// Every command refuses `target` with `--force`, naming `what` it is, and leaves it as it was.
fn refused_even_with_force(home: &Home, target: &Path, what: &str) -> Result<String, String> {
    let before = std::fs::read(target).ok();
    let shown = target.display().to_string();
    for (args, _) in writers(&shown) {
        let args = [&args[..], &["--force"]].concat();
        let output = home.run(&args);
        let told = said(&output);
        // `history` has no routine of its own: to it the routine is any `.ron`.
        let what = match (args[0], what) {
            ("history", "the routine being written out") => "a routine or exercise file (.ron)",
            (_, what) => what,
        };
        if output.status.code() != Some(2)
            || !told.contains(what)
            || !told.contains("even with --force")
        {
            return Err(format!("{args:?}: {told}"));
        }
        if std::fs::read(target).ok() != before {
            return Err(format!("{args:?} changed {shown}"));
        }
    }
    Ok("refused by pack, sheet, export-audio and history, even with --force".to_owned())
}

/// A log whose texts start as formulas: `history --csv` writes them so that Python's `csv`
/// module reads back each with a `'` before it, and every other text whole.
fn formulas(home: &Home) -> Result<String, String> {
    let db = home.work().join("formulas.sqlite3");
    let entry = SessionEntry {
        routine_id: "=HYPERLINK(\"http://x.example\",\"open\")".to_owned(),
        title: "+SUM(1,2)".to_owned(),
        note: Some("-1, then \"quoted\"\nand a second line".to_owned()),
        variant: Some("@cmd".to_owned()),
        levels: Some("\t1".to_owned()),
        ..crate::session(0)
    };
    Store::open(&db, OnDamage::Refuse)
        .map_err(|e| e.to_string())?
        .store
        .insert(&entry)
        .map_err(|e| e.to_string())?;
    let output = home.run(&[
        "history",
        "--csv",
        "--db",
        "formulas.sqlite3",
        "-o",
        "formulas.csv",
    ]);
    if !output.status.success() {
        return Err(said(&output));
    }
    let read = Command::new("python3")
        .args([
            "-c",
            "import csv, json, sys\n\
             with open(sys.argv[1], newline='', encoding='utf-8') as f:\n    \
             print(json.dumps(list(csv.reader(f))))",
        ])
        .arg(home.work().join("formulas.csv"))
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    let rows: Vec<Vec<String>> =
        serde_json::from_slice(&read.stdout).map_err(|e| format!("python3 read: {e}"))?;
    let cell = |name: &str| {
        let at = rows.first()?.iter().position(|h| h == name)?;
        rows.get(1)?.get(at).cloned()
    };
    for (column, wanted) in [
        ("routine", "'=HYPERLINK(\"http://x.example\",\"open\")"),
        ("title", "'+SUM(1,2)"),
        ("note", "'-1, then \"quoted\"\nand a second line"),
        ("variant", "'@cmd"),
        ("levels", "'\t1"),
        ("planned_secs", "1200"),
    ] {
        if cell(column).as_deref() != Some(wanted) {
            return Err(format!("{column}: {:?}, not {wanted:?}", cell(column)));
        }
    }
    Ok("each formula read back as text, with a '".to_owned())
}

/// Escape sequences, a carriage return, a bell and a right-to-left override from a log, a
/// file name and a routine: written out on the terminal by `history`, `list` and `check`.
fn terminal(home: &Home) -> Result<String, String> {
    let db = home.work().join("notes.sqlite3");
    let entry = SessionEntry {
        routine_id: "hips\u{202e}gpj".to_owned(),
        note: Some(
            "\u{1b}]8;;http://x.example\u{7}click\u{1b}]8;;\u{7} \u{1b}[2Jgone\rfake\u{9b}31m"
                .to_owned(),
        ),
        ..crate::session(0)
    };
    Store::open(&db, OnDamage::Refuse)
        .map_err(|e| e.to_string())?
        .store
        .insert(&entry)
        .map_err(|e| e.to_string())?;
    let folder = home.work().join("strange");
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    std::fs::write(folder.join("clear\u{1b}[2J.ron"), ROUTINE).map_err(|e| e.to_string())?;
    std::fs::write(
        folder.join("bell.ron"),
        ROUTINE.replace("\"Test\"", "\"Bell\u{7} \u{1b}[31mred\u{202e}\""),
    )
    .map_err(|e| e.to_string())?;
    let strange = folder.display().to_string();
    for args in [
        vec!["history", "--db", "notes.sqlite3"],
        vec!["list", strange.as_str()],
        vec!["check", strange.as_str()],
        vec!["show", "strange/bell.ron"],
    ] {
        let output = home.run(&args);
        if output.status.code() == Some(124) {
            return Err(format!("{args:?} hung"));
        }
        if obeyed(&output.stdout) || obeyed(&output.stderr) {
            return Err(format!(
                "{args:?} printed {:?}",
                String::from_utf8_lossy(&output.stdout)
            ));
        }
        if !String::from_utf8_lossy(&[output.stdout, output.stderr].concat()).contains("\\u{1b}") {
            return Err(format!("{args:?} did not show the escape written out"));
        }
    }
    Ok("history, list, check and show write each one out as \\u{…}".to_owned())
}

/// A log whose `session` table has other columns, at the version this build would migrate
/// from: refused in words, without SQL, and left as it was.
fn foreign_log(home: &Home) -> Result<String, String> {
    let db = home.work().join("foreign.sqlite3");
    {
        let conn = rusqlite::Connection::open(&db).map_err(|e| e.to_string())?;
        conn.execute_batch(
            "CREATE TABLE session (id INTEGER PRIMARY KEY, day TEXT, minutes INTEGER);
             INSERT INTO session (day, minutes) VALUES ('monday', 10);
             PRAGMA user_version = 1;",
        )
        .map_err(|e| e.to_string())?;
    }
    let before = std::fs::read(&db).map_err(|e| e.to_string())?;
    let output = home.run(&["history", "--db", "foreign.sqlite3"]);
    let told = said(&output);
    if output.status.code() != Some(2)
        || !told.contains("tables are not what this version of Limber Up expects")
    {
        return Err(told);
    }
    if ["CREATE", "ALTER", "SELECT", "INSERT"]
        .iter()
        .any(|sql| told.contains(sql))
    {
        return Err(format!("printed SQL: {told}"));
    }
    if std::fs::read(&db).ok() != Some(before) {
        return Err("the log was changed".to_owned());
    }
    Ok("refused in words, the file as it was".to_owned())
}
