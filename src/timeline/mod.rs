//! The timeline engine: plan a routine, play it against a clock, and say which cues are due.
//!
//! Pure logic: no window, no sound card, no system clock. The app and the audio both follow
//! the same [`Player`], so what is seen and what is heard cannot drift apart.

pub mod alternating;
pub mod clock;
pub mod cue;
pub mod phrases;
pub mod plan;
pub mod player;
pub mod script;
pub mod speech;

pub use alternating::AlternatingReps;
pub use clock::{Clock, ManualClock, ScaledClock, SystemClock};
pub use cue::{
    Cue, CueKind, MOVING_ON_BEFORE, PlannedCue, announcement, schedule, segment_cues, step_heading,
    still_going_at,
};
pub use phrases::Phrases;
pub use plan::{DEFAULT_LEAD_IN, Ordinal, Plan, Segment, SegmentKind, Side, StepRef, Total};
pub use player::{
    ADJUST_STEP, FiredCue, Outcome, Phase, Player, ScheduledCue, SegmentRecord, SessionRecord,
    Status,
};
pub use speech::{Calls, DEFAULT_DONE_MARGIN, DoneSteps, Language, PlanOptions, Voice};
