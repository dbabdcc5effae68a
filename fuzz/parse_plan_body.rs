//! The body of the `parse_plan` fuzz target, shared with `tests/hardening.rs`, which replays
//! the committed fuzz inputs (`tests/hostile/fuzz/`) through it in CI: any bytes as a routine
//! file; parse, validate, plan, and play a little. Nothing may panic, hang or allocate
//! without bound.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use limberup::routine::{self, LoadOptions};
use limberup::timeline::{self, Plan, Player};

/// Runs one input through the loader, the planner and 64 player steps; says whether it
/// got as far as the planner.
pub fn parse_plan(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    // A folder with no media in it: paths resolve, and are missing or refused.
    let loaded = routine::loader::parse_with(
        text,
        Path::new("/nonexistent/fuzz/routine.ron"),
        LoadOptions::default(),
    );
    for diagnostic in &loaded.diagnostics {
        let _ = diagnostic.to_string();
    }
    let Some(routine) = loaded.routine else {
        return false;
    };
    let plan = Arc::new(Plan::new(Arc::new(routine), timeline::DEFAULT_LEAD_IN));
    let _ = timeline::schedule(&plan);
    let mut player = Player::new(Arc::clone(&plan), timeline::DEFAULT_LEAD_IN);
    player.start(Duration::ZERO);
    let mut now = Duration::ZERO;
    for step in 0..64_u64 {
        now += Duration::from_millis(1 + step * 997 % 5_000);
        let _ = player.tick(now);
        let _ = player.status(now);
        let _ = player.upcoming(now);
        match step % 7 {
            0 => player.next(now),
            3 => player.done(now),
            5 => player.add_time(Duration::from_secs(10), now),
            _ => {}
        }
    }
    let _ = player.record(now);
    true
}

/// An optional field: its name, and how to write a value for it.
type Field<'a> = (&'static str, fn(&mut Choices<'a>) -> String);

/// Reads choices from fuzz bytes; zeros once they run out, so every input is a routine.
struct Choices<'a>(&'a [u8]);

impl<'a> Choices<'a> {
    fn byte(&mut self) -> u8 {
        let Some((&first, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        first
    }

    fn below(&mut self, n: u8) -> u8 {
        self.byte() % n
    }

    fn maybe(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// A number of a size picked first: small ones most often, then the limits.
    fn number(&mut self) -> u64 {
        match self.below(8) {
            0..=3 => u64::from(self.byte()),
            4 => u64::from(u16::from_le_bytes([self.byte(), self.byte()])),
            5 => 7_200 + u64::from(self.below(4)) - 1,
            6 => u64::from(u32::MAX) - u64::from(self.byte()),
            _ => u64::MAX - u64::from(self.byte()),
        }
    }

    /// A duration as coaches write it, or as they should not.
    fn secs(&mut self) -> String {
        let (a, b) = (self.number(), self.number());
        match self.below(9) {
            0 => a.to_string(),
            1 => format!("\"{a} s\""),
            2 => format!("\"{a}-{b} s\""),
            3 => format!("\"{}:{:02}\"", a % 200, b % 100),
            4 => format!("\"{a} min\""),
            5 => format!("\"{a}-{b} s @ {}\"", self.number()),
            6 => format!("{a}.{}", self.byte()),
            7 => format!("-{a}"),
            _ => format!("\"{a}:{b}:{}\"", self.byte()),
        }
    }

    fn count(&mut self) -> String {
        let (a, b) = (self.number(), self.number());
        match self.below(4) {
            0 | 1 => a.to_string(),
            2 => format!("\"{a}-{b} reps\""),
            _ => format!("\"{a} reps\""),
        }
    }

    /// Optional fields, each present or not; `fields` is `(name, value)`.
    fn fields(&mut self, out: &mut String, fields: &[Field<'a>]) {
        for (name, value) in fields {
            if self.maybe() {
                let value = value(self);
                write!(out, "{name}: {value}, ").expect("a String takes any text");
            }
        }
    }

    /// A step's work and dose: timed, paced, press-when-done, or a mixture of them.
    fn step_fields(&mut self, out: &mut String) {
        self.fields(
            out,
            &[
                ("time", Self::secs),
                ("reps", Self::count),
                ("rep_time", Self::secs),
                ("until_done", |c| c.maybe().to_string()),
                ("suggested_time", Self::secs),
                ("sides", |c| {
                    ["Neither", "Both", "Left", "Right"][usize::from(c.below(4))].to_owned()
                }),
                ("switch_pause", Self::secs),
                ("sets", Self::count),
                ("rest_between_sets", Self::secs),
                ("rest_after", Self::secs),
                ("cues", |_| "[\"Chest up\"]".to_owned()),
                ("say", |_| "\"Go\"".to_owned()),
            ],
        );
    }

    /// A routine of the right shape whose values are the fuzzer's.
    fn routine(&mut self) -> String {
        let mut out = String::from("Routine(format: 1, title: \"Fuzz\", ");
        self.fields(
            &mut out,
            &[
                ("lead_in", Self::secs),
                ("rest_between_sections", Self::secs),
            ],
        );
        let exercises = self.below(3);
        out.push_str("exercises: {");
        for e in 0..exercises {
            write!(out, "\"e{e}\": (name: \"E{e}\", instruction: \"Do it.\", ")
                .expect("a String takes any text");
            self.step_fields(&mut out);
            out.push_str("), ");
        }
        out.push_str("}, sections: [");
        for s in 0..=self.below(3) {
            write!(out, "Section(title: \"S{s}\", ").expect("a String takes any text");
            self.fields(
                &mut out,
                &[
                    ("rounds", Self::count),
                    ("rest_between_rounds", Self::secs),
                    ("rest_after", Self::secs),
                ],
            );
            out.push_str("steps: [");
            for i in 0..=self.below(4) {
                if exercises > 0 && self.maybe() {
                    let e = self.below(exercises);
                    write!(out, "Step(exercise: \"e{e}\", ").expect("a String takes any text");
                } else {
                    write!(out, "Step(name: \"Step {i}\", instruction: \"Move.\", ")
                        .expect("a String takes any text");
                }
                self.step_fields(&mut out);
                out.push_str("), ");
            }
            out.push_str("]), ");
        }
        out.push_str("])");
        out
    }
}

/// Fuzz bytes as the values of a well-formed routine (durations, counts, sets, rounds,
/// sides, rests, in every written form and at the limits), so that the checks, the planner
/// and the player see inputs that parse, which random text seldom does.
pub fn plan_values(data: &[u8]) -> bool {
    parse_plan(values_routine(data).as_bytes())
}

/// The routine text [`plan_values`] makes of `data` (to read a finding as a routine).
pub fn values_routine(data: &[u8]) -> String {
    Choices(data).routine()
}
