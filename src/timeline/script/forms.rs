//! The words a cue can be said with, longest first, and every text a plan can speak.

use std::collections::HashSet;

use crate::timeline::cue::{
    Cue, CueKind, MOVING_ON_BEFORE, announcement, schedule, segment_cues, step_heading,
};
use crate::timeline::phrases::Phrases;
use crate::timeline::plan::{Plan, SegmentKind};

/// The ways a cue's announcement can be said, longest first: the full text, then shorter
/// forms used when the full one does not fit before the next announcement, in the plan's
/// language.
///
/// A step's announcement starts with "[Round k of n.] [Set k of n, left side.] Name." (its
/// [`step_heading`]): that is the first short form and "Name." the last; a step's own `say`
/// shortens to its name. A rest's "Rest. Next: …" shortens to "Rest.", and the opening
/// "Get ready. Title. First: …" to "Get ready.".
#[must_use]
pub fn announcement_forms(plan: &Plan, cue: &Cue) -> Vec<String> {
    let Some(full) = announcement(plan, cue) else {
        return Vec::new();
    };
    let mut forms = vec![full];
    let Some(segment) = plan.segments.get(cue.segment) else {
        return forms;
    };
    let words = Phrases::of(plan.language());
    match cue.kind {
        CueKind::StepStart => {
            let said = plan.step(segment).is_some_and(|s| s.say.is_some());
            if !said {
                forms.push(step_heading(plan, segment));
            }
            forms.push(format!("{}.", segment.title));
        }
        CueKind::RestStart => forms.push(words.rest.to_owned()),
        CueKind::MovingOn => forms.push(words.moving_on(MOVING_ON_BEFORE)),
        CueKind::GetReady if segment.kind == SegmentKind::LeadIn => {
            forms.push(words.get_ready.to_owned());
        }
        _ => {}
    }
    forms.dedup();
    forms
}

/// Every text a plan can speak, each once, in the order they are first needed.
#[must_use]
pub fn plan_texts(plan: &Plan) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut texts = Vec::new();
    let mut cues: Vec<Cue> = schedule(plan).into_iter().map(|c| c.cue).collect();
    // What a Done-step says when it runs long is in no schedule: "Moving on in 10 seconds"
    // where it moves on by itself, "Still going?" where it waits.
    for segment in plan.segments.iter().filter(|s| s.waits_for_done()) {
        for runs_for in [segment.moves_on_after, None] {
            cues.extend(
                segment_cues(plan, segment.index, runs_for)
                    .into_iter()
                    .filter(|c| matches!(c.kind, CueKind::MovingOn | CueKind::StillGoing)),
            );
        }
    }
    // The full texts first (they are what plays when nothing is tight), then the short forms.
    let forms: Vec<Vec<String>> = cues
        .iter()
        .map(|cue| announcement_forms(plan, cue))
        .collect();
    let depth = forms.iter().map(Vec::len).max().unwrap_or(0);
    for level in 0..depth {
        for text in forms.iter().filter_map(|f| f.get(level)) {
            if seen.insert(text.clone()) {
                texts.push(text.clone());
            }
        }
    }
    // The "get ready" after a resume.
    let get_ready = Phrases::of(plan.language()).get_ready.to_owned();
    if seen.insert(get_ready.clone()) {
        texts.push(get_ready);
    }
    texts
}
