//! Routine format v1 exactly as authors write it in RON: every field, its type and default.
//!
//! These types are what serde reads; [`super::loader`] turns them into the checked
//! [`super::Routine`] the engine plays. `docs/routine-format.md` documents each field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::quantity::{Count, Distance, Secs};

/// The only format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// A routine file: `Routine(format: 1, title: "…", sections: […])`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename = "Routine", deny_unknown_fields)]
pub struct RoutineDoc {
    /// Format version; must be 1.
    pub format: u32,
    /// Shown on the library card and announced at the start.
    pub title: String,
    /// One or two sentences: when to use this routine.
    #[serde(default)]
    pub description: String,
    /// Who wrote it.
    #[serde(default)]
    pub author: Option<String>,
    /// Free words for filtering in the library ("running", "evening").
    #[serde(default)]
    pub tags: Vec<String>,
    /// What to have at hand (foam roller, ball, mat).
    #[serde(default)]
    pub equipment: Vec<String>,
    /// A safety note shown before the start.
    #[serde(default)]
    pub safety: Option<String>,
    /// How often the routine is meant to be done ("2 times a week", "2-3 x a week",
    /// "daily"); the history screen counts each week against it.
    #[serde(default)]
    pub frequency: Option<String>,
    /// The "get ready" count before the first step; the app's setting when absent.
    #[serde(default)]
    pub lead_in: Option<Secs>,
    /// The language the routine is written in (`"de"`, `"fr"`, `"de-AT"`): the app's own
    /// words are spoken in it, by its voice. The app's setting when absent.
    #[serde(default)]
    pub language: Option<String>,
    /// `false`: never add time to get into position so a step's words are heard in full
    /// before its work (they are shortened instead, and `check` says so). Default true.
    #[serde(default)]
    pub room_to_speak: Option<bool>,
    /// Done steps with a `suggested_time` move on by themselves this long after it,
    /// announced 10 s before ("Moving on in 10 seconds"), unless the athlete's setting says
    /// Done steps always wait. Default: they wait for Done.
    #[serde(default)]
    pub auto_advance: Option<Secs>,
    /// Rest after each section, unless the section says otherwise. Default: none.
    #[serde(default)]
    pub rest_between_sections: Option<Secs>,
    /// Exercise files beside this routine whose exercises the steps may use.
    #[serde(default)]
    pub include: Vec<String>,
    /// Exercises defined in this file, by id; they take precedence over included ones.
    #[serde(default)]
    pub exercises: BTreeMap<String, StepDoc>,
    /// The blocks of the routine, played in order.
    pub sections: Vec<SectionDoc>,
    /// Sound clips that replace the built-in cue sounds.
    #[serde(default)]
    pub sounds: CueSoundsDoc,
    /// Named versions of the routine: some of its sections, some exercises swapped.
    #[serde(default)]
    pub variants: Vec<VariantDoc>,
}

/// A named version of a routine: `(name: "Match day", sections: ["Part 1", "Part 3"])`,
/// `(name: "Under 12", replace: {"nordic": "nordic-kids"})`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename = "Variant", deny_unknown_fields)]
pub struct VariantDoc {
    /// Shown in the picker and kept in the log ("Match day").
    pub name: String,
    /// The sections played, by title, in the routine's order. Default: every section.
    #[serde(default)]
    pub sections: Option<Vec<String>>,
    /// Exercises swapped for others, by id: every step using the first uses the second.
    #[serde(default)]
    pub replace: BTreeMap<String, String>,
}

/// A shared exercises file: `Exercises(format: 1, exercises: { "id": (…), … })`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename = "Exercises", deny_unknown_fields)]
pub struct ExercisesDoc {
    /// Format version; must be 1.
    pub format: u32,
    /// The exercises by id. Each is written like a step, without `exercise`.
    pub exercises: BTreeMap<String, StepDoc>,
}

/// A block of steps, optionally repeated for several rounds.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename = "Section", deny_unknown_fields)]
pub struct SectionDoc {
    /// Shown in the outline and the progress strip ("Foam rolling").
    pub title: String,
    /// A short note on the section, shown in the outline.
    #[serde(default)]
    pub note: Option<String>,
    /// What to set up before the section ("cones 5-6 m apart, two lines"), shown on the
    /// routine page and the sheet.
    #[serde(default)]
    pub setup: Option<String>,
    /// How many times the steps are played. Default 1.
    #[serde(default)]
    pub rounds: Option<Count>,
    /// Rest between rounds. Default: none.
    #[serde(default)]
    pub rest_between_rounds: Option<Secs>,
    /// Rest after the section; overrides the routine's `rest_between_sections`.
    #[serde(default)]
    pub rest_after: Option<Secs>,
    /// `Both`: every step on the left, a switch, then every step on the right. Default
    /// `Neither` (each step says its own sides).
    #[serde(default)]
    pub sides: Option<Sides>,
    /// With `sides: Both`: the pause to change position between the two passes. Default 5 s.
    #[serde(default)]
    pub switch_pause: Option<Secs>,
    /// The steps, in order.
    pub steps: Vec<StepDoc>,
}

/// Which side a step works.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Sides {
    /// A symmetric exercise, or one that alternates by itself.
    #[default]
    Neither,
    /// Left side, then a switch cue, then the right side, each with the full time.
    Both,
    /// The left side only.
    Left,
    /// The right side only.
    Right,
    /// Reps that alternate sides rep by rep, left first (a paced or counted step).
    Alternating,
}

/// In which order the sets of a `sides: Both` step work the two sides.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum SetOrder {
    /// Left, right, left, right: both sides in each set before the next set.
    #[default]
    Alternating,
    /// Left, left, right, right: every set on the left, a switch, every set on the right.
    Blocked,
}

/// One step of a section, or (in `exercises`) an exercise definition.
///
/// A step that names an `exercise` starts from that definition and overrides any field it
/// sets itself ("per-use overrides").
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename = "Step", deny_unknown_fields)]
pub struct StepDoc {
    /// The id of an exercise defined in this routine or an included file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise: Option<String>,
    /// The step's name ("Kneeling hip flexor stretch").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One or two short sentences that can be followed without looking, and are spoken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instruction: Option<String>,
    /// Longer details, shown on the routine screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Form cues ("chest up", "squeeze the glute").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cues: Option<Vec<String>>,
    /// Target muscles ("psoas", "rectus femoris").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muscles: Option<Vec<String>>,
    /// Equipment this step needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment: Option<Vec<String>>,
    /// A timed step: how long to hold or move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Secs>,
    /// A counted step: how many reps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<Count>,
    /// With `reps`: seconds per rep, which makes the step paced and timed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep_time: Option<Secs>,
    /// The step waits for the athlete to press Done (jogs, strides).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_done: Option<bool>,
    /// With `until_done`: the time it usually takes, shown and used for totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_time: Option<Secs>,
    /// Distance or effort text ("30-40 m at 90 %").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
    /// What to set up for the step ("a cone 10 m away"), shown on the routine page and the
    /// sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<String>,
    /// A partner exercise: what the partner does ("kneels behind you and holds your
    /// ankles"), shown on the routine page, the sheet and the player.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
    /// How far: `"44 yd"`, `"80-100 m"`; shown, printed and spoken with the dose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<Distance>,
    /// Which side the step works. Default `Neither`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sides: Option<Sides>,
    /// With `sides: Both`: a pause to change position between sides. Default 5 s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_pause: Option<Secs>,
    /// With `sides: Both` and several sets: `Alternating` (L, R, L, R; the default) or
    /// `Blocked` (L, L, R, R).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_order: Option<SetOrder>,
    /// How many sets. Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sets: Option<Count>,
    /// Rest between sets. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest_between_sets: Option<Secs>,
    /// Rest after the step. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest_after: Option<Secs>,
    /// One illustration, relative to the routine file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Or a sequence of frames, relative to the routine file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frames: Option<Vec<String>>,
    /// With `frames`: how long each frame shows. Default 1 s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_time: Option<Secs>,
    /// Mirror the illustration when the right side is worked. Default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror: Option<bool>,
    /// A sound clip played when the step starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<String>,
    /// Text spoken at the start instead of the default announcement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub say: Option<String>,
    /// `false`: never add time to get into position before this step so its words are
    /// heard in full (they are shortened instead). Default: the routine's `room_to_speak`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_to_speak: Option<bool>,
    /// Harder (or easier) versions of the step, the first being level 1; each is written
    /// like a step and sets only what differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<Self>>,
    /// Inside a level: when to move on to the next one ("move up when 3 x 30 s is easy").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progression: Option<String>,
}

/// Clips that replace the built-in cue sounds; paths relative to the routine file.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename = "Sounds", deny_unknown_fields)]
pub struct CueSoundsDoc {
    /// Played when a work step starts.
    #[serde(default)]
    pub start: Option<String>,
    /// The 3-2-1 pips before the end of timed work.
    #[serde(default)]
    pub countdown: Option<String>,
    /// The switch-sides signal.
    #[serde(default)]
    pub switch: Option<String>,
    /// The halfway tick.
    #[serde(default)]
    pub halfway: Option<String>,
    /// The tick of each paced rep.
    #[serde(default)]
    pub rep: Option<String>,
    /// The chime when the routine is complete.
    #[serde(default)]
    pub finish: Option<String>,
}

impl CueSoundsDoc {
    /// Each clip with the field name it was given under.
    pub fn entries(&self) -> impl Iterator<Item = (&'static str, &String)> {
        [
            ("start", &self.start),
            ("countdown", &self.countdown),
            ("switch", &self.switch),
            ("halfway", &self.halfway),
            ("rep", &self.rep),
            ("finish", &self.finish),
        ]
        .into_iter()
        .filter_map(|(name, path)| path.as_ref().map(|p| (name, p)))
    }
}
