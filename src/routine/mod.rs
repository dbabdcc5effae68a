//! The routine model: what a coach wrote, checked and resolved, ready to be planned.
//!
//! [`mod@format`] holds the types serde reads from RON; [`loader`] parses and validates them
//! into the resolved [`Routine`] defined here, reporting every problem as a [`Diagnostic`].
//! Nothing in this module knows about the window or the sound card.

pub mod diagnostic;
pub mod format;
pub mod frequency;
pub mod language;
pub mod loader;
pub mod media;
pub mod quantity;
pub mod selection;
pub mod source_map;

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use quantity::format_duration;

pub use diagnostic::{Diagnostic, Position, Severity, Span};
pub use format::{SetOrder, Sides};
pub use frequency::Frequency;
pub use language::Language;
pub use loader::{LIBRARY_INCLUDE, LoadOptions, Loaded, MAX_FILE_BYTES, load, parse};
pub use quantity::{Count, CountUnit, Distance, Secs};
pub use selection::{Level, MAX_LEVELS, SelectError, Selection, Swap, Variant};

/// A checked routine, every exercise reference resolved and every path made absolute.
#[derive(Clone, Debug, Serialize)]
pub struct Routine {
    /// The id: the file name without `.ron` (`pre-run-warmup`).
    pub id: String,
    /// The file it was loaded from.
    pub path: PathBuf,
    /// Title.
    pub title: String,
    /// When to use it.
    pub description: String,
    /// Who wrote it.
    pub author: Option<String>,
    /// Filter words.
    pub tags: Vec<String>,
    /// Equipment: the routine's own list plus what its steps name, without repeats.
    pub equipment: Vec<String>,
    /// The routine's own equipment list, as written (the start of `equipment`).
    pub listed_equipment: Vec<String>,
    /// The safety note.
    pub safety: Option<String>,
    /// How often it is meant to be done.
    pub frequency: Option<Frequency>,
    /// The routine's own lead-in, overriding the app's setting.
    pub lead_in: Option<Duration>,
    /// The language it is written in (its built-in phrases and voice), overriding the app's.
    pub language: Option<Language>,
    /// Whether the plan may add time to get into position so every step's words are heard
    /// in full before its work (`room_to_speak`, default true).
    pub room_to_speak: bool,
    /// How long after its suggested time a Done step moves on by itself (`auto_advance`);
    /// `None`: it waits for Done, unless the athlete's setting says otherwise.
    pub auto_advance: Option<Duration>,
    /// The sections in order.
    pub sections: Vec<Section>,
    /// Clips replacing the built-in cue sounds.
    pub sounds: CueSounds,
    /// A stable hash of the routine's text and its included files (FNV-1a, 64 bit).
    pub content_hash: u64,
    /// The named versions of the routine, as loaded (a selected routine keeps them too).
    pub variants: Vec<Variant>,
    /// The variant this routine was selected at; `None` for the routine as written.
    pub variant: Option<String>,
}

/// A checked section.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// Title.
    pub title: String,
    /// Optional note.
    pub note: Option<String>,
    /// What to set up before it.
    pub setup: Option<String>,
    /// How many rounds (at least 1).
    pub rounds: u32,
    /// Rest between rounds.
    pub rest_between_rounds: Duration,
    /// Rest after the section (none after the last one).
    pub rest_after: Duration,
    /// `Both`: every step on the left, then every step on the right; else `Neither`.
    pub sides: Sides,
    /// The pause between the two passes of a `sides: Both` section.
    pub switch_pause: Duration,
    /// The steps (at least one).
    pub steps: Vec<Step>,
}

/// What a step asks the athlete to do, and how it ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Work {
    /// Hold or move for a time; `reps` is a target shown beside the clock.
    Timed {
        /// The time, as written.
        time: Secs,
        /// An optional rep target.
        reps: Option<Count>,
    },
    /// Counted reps at a fixed pace: `reps × rep_time`, with a tick per rep.
    Paced {
        /// How many reps.
        reps: Count,
        /// Seconds per rep.
        rep_time: Secs,
    },
    /// Waits for the athlete to press Done (jogs, strides, unpaced reps).
    UntilDone {
        /// The usual time, for display and totals.
        suggested: Option<Secs>,
        /// An optional rep target.
        reps: Option<Count>,
    },
}

impl Work {
    /// The time one side of one set takes, or `None` for a Done-step.
    #[must_use]
    pub fn duration(&self) -> Option<Duration> {
        match self {
            Self::Timed { time, .. } => Some(time.timer),
            Self::Paced { reps, rep_time } => Some(rep_time.timer * reps.value),
            Self::UntilDone { .. } => None,
        }
    }

    /// The time used for totals: the duration, or a Done-step's suggested time (0 if none).
    #[must_use]
    pub fn estimate(&self) -> Duration {
        match self {
            Self::UntilDone { suggested, .. } => suggested.map_or(Duration::ZERO, |s| s.timer),
            _ => self.duration().unwrap_or_default(),
        }
    }

    /// The rep count shown with the step, if any.
    #[must_use]
    pub fn reps(&self) -> Option<Count> {
        match self {
            Self::Timed { reps, .. } | Self::UntilDone { reps, .. } => *reps,
            Self::Paced { reps, .. } => Some(*reps),
        }
    }
}

/// A step's picture: one image or an animated sequence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Illustration {
    /// A still image.
    Image {
        /// Absolute path.
        path: PathBuf,
    },
    /// Frames shown in turn.
    Frames {
        /// Absolute paths.
        paths: Vec<PathBuf>,
        /// How long each frame shows.
        frame_time: Duration,
    },
}

impl Illustration {
    /// Every file of the illustration.
    #[must_use]
    pub fn paths(&self) -> &[PathBuf] {
        match self {
            Self::Image { path } => std::slice::from_ref(path),
            Self::Frames { paths, .. } => paths,
        }
    }
}

/// A checked step, with its exercise's fields merged in.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// The exercise id it uses, if any.
    pub exercise: Option<String>,
    /// Name.
    pub name: String,
    /// Short, speakable instruction.
    pub instruction: Option<String>,
    /// Longer details.
    pub details: Option<String>,
    /// Form cues.
    pub cues: Vec<String>,
    /// Target muscles.
    pub muscles: Vec<String>,
    /// Equipment.
    pub equipment: Vec<String>,
    /// What to do and how it ends.
    pub work: Work,
    /// Distance or effort text.
    pub effort: Option<String>,
    /// What to set up for it.
    pub setup: Option<String>,
    /// What the partner does, for a partner exercise.
    pub partner: Option<String>,
    /// How far, as written.
    pub distance: Option<Distance>,
    /// Sides.
    pub sides: Sides,
    /// Pause to change sides (with `Both`).
    pub switch_pause: Duration,
    /// The order of the sides across sets (with `Both`).
    pub set_order: SetOrder,
    /// Sets (at least 1).
    pub sets: u32,
    /// Rest between sets.
    pub rest_between_sets: Duration,
    /// Rest after the step.
    pub rest_after: Duration,
    /// The picture.
    pub illustration: Option<Illustration>,
    /// Mirror the picture for the right side.
    pub mirror: bool,
    /// A clip played at the start.
    pub sound: Option<PathBuf>,
    /// Spoken instead of the default announcement.
    pub say: Option<String>,
    /// Whether the plan may add time to get into position so its words are heard in full.
    pub room_to_speak: bool,
    /// Every level of the step, each resolved whole; empty for a step without levels.
    pub levels: Vec<Level>,
    /// The level these fields are at: 1 for the first (and for a step without levels).
    pub level: u32,
    /// The step's place in the routine as loaded, counting every section's steps in order:
    /// a [`Selection`] names steps by it.
    pub position: usize,
}

impl Step {
    /// What to do, in a line: "30 s each side, 2 sets, rest 20 s", "80-100 m, 3 passes".
    #[must_use]
    pub fn dose(&self) -> String {
        let mut parts: Vec<String> = self.distance.iter().map(Distance::to_string).collect();
        parts.push(match &self.work {
            Work::Timed {
                time,
                reps: Some(reps),
            } => format!("{} in {time}", reps.label()),
            Work::Timed { time, reps: None } => time.to_string(),
            Work::Paced { reps, rep_time } => format!("{}, {rep_time} each", reps.label()),
            Work::UntilDone { suggested, reps } => {
                let what = reps.map_or_else(|| "until done".to_owned(), Count::label);
                suggested.map_or(what.clone(), |s| format!("{what} (about {s})"))
            }
        });
        let per_side = self.work.reps().is_some_and(|r| r.per_side);
        match self.sides {
            // A count per side already says it.
            Sides::Both if per_side => {}
            Sides::Both => parts.push("each side".to_owned()),
            Sides::Left => parts.push("left side".to_owned()),
            Sides::Right => parts.push("right side".to_owned()),
            Sides::Alternating => parts.push("alternating sides".to_owned()),
            Sides::Neither => {}
        }
        if self.sets > 1 {
            parts.push(format!("{} sets", self.sets));
            if self.sides == Sides::Both && self.set_order == SetOrder::Blocked {
                parts.push("all sets on one side first".to_owned());
            }
            if !self.rest_between_sets.is_zero() {
                parts.push(format!("rest {}", format_duration(self.rest_between_sets)));
            }
        }
        if let Some(effort) = &self.effort {
            parts.push(effort.clone());
        }
        parts.join(", ")
    }
}

/// Clips replacing the built-in cue sounds (absolute paths).
#[derive(Clone, Debug, Default, Serialize)]
pub struct CueSounds {
    /// Work start.
    pub start: Option<PathBuf>,
    /// 3-2-1 pips.
    pub countdown: Option<PathBuf>,
    /// Switch sides.
    pub switch: Option<PathBuf>,
    /// Halfway.
    pub halfway: Option<PathBuf>,
    /// Paced rep tick.
    pub rep: Option<PathBuf>,
    /// Routine complete.
    pub finish: Option<PathBuf>,
}

impl Routine {
    /// Every step with its section index, in order.
    pub fn steps(&self) -> impl Iterator<Item = (usize, &Step)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(i, section)| section.steps.iter().map(move |step| (i, step)))
    }

    /// Every media file the routine uses (illustrations, clips), without repeats.
    #[must_use]
    pub fn media_paths(&self) -> Vec<PathBuf> {
        // Every level of every step, and the steps the variants swap in, as well.
        let swapped = self
            .variants
            .iter()
            .flat_map(|v| v.swaps.iter().map(|s| &s.with));
        let mut paths: Vec<PathBuf> = self
            .steps()
            .map(|(_, step)| step)
            .chain(swapped)
            .flat_map(|step| std::iter::once(step).chain(step.levels.iter().map(|l| &l.step)))
            .flat_map(|step| {
                step.illustration
                    .iter()
                    .flat_map(|i| i.paths().iter().cloned())
                    .chain(step.sound.iter().cloned())
            })
            .chain(
                [
                    &self.sounds.start,
                    &self.sounds.countdown,
                    &self.sounds.switch,
                    &self.sounds.halfway,
                    &self.sounds.rep,
                    &self.sounds.finish,
                ]
                .into_iter()
                .flatten()
                .cloned(),
            )
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }
}

/// FNV-1a over bytes: a stable content hash that does not change between Rust versions.
#[must_use]
pub fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    bytes.iter().fold(seed, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The FNV-1a offset basis, the seed of a fresh hash.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
