//! `limberup check`'s findings about the voice: words a routine does not let be heard in
//! full (its coach opted out of the time to get into position), placed at the step, and a
//! language espeak-ng has no voice for here.

use std::path::Path;
use std::sync::Arc;

use crate::audio;
use crate::routine::source_map::{SourceMap, ValuePath};
use crate::routine::{Diagnostic, Language, Routine};
use crate::timeline::script::{self, Estimate, Lost};
use crate::timeline::{DEFAULT_LEAD_IN, Plan, PlanOptions};

/// The voice findings of `routine`, loaded from `path`: a warning at its `language` when
/// espeak-ng cannot speak it here (the English voice says its phrases), and one for each
/// announcement the default voice could not say in full, at its step (its
/// `room_to_speak: false` when the step or the routine says so), with the phrase's spoken
/// length and the room it had.
#[must_use]
pub fn findings(path: &Path, routine: Routine) -> Vec<Diagnostic> {
    let language = routine.language;
    let plan = Plan::with_options(Arc::new(routine), PlanOptions::spoken(DEFAULT_LEAD_IN));
    let script = script::planned(&plan, &Estimate::new(&plan));
    let unspoken = language.filter(|l| *l != Language::English && !audio::has_voice(*l));
    if script.lost.is_empty() && unspoken.is_none() {
        return Vec::new();
    }
    // The loader read this very file a moment ago; without it the finding has no position.
    let source = crate::safe_file::read_regular_text(path, crate::routine::MAX_FILE_BYTES)
        .unwrap_or_default();
    let map = SourceMap::build(&source);
    let fallback = unspoken.map(|language| {
        Diagnostic::warning(path, audio::missing_voice_warning(language))
            .at(map.span(&ValuePath::ROOT.field("language")), &source)
    });
    fallback
        .into_iter()
        .chain(
            script
                .lost
                .iter()
                .map(|lost| lost_words(path, &plan, lost, &map, &source)),
        )
        .collect()
}

/// The warning for one announcement not heard in full: at the `room_to_speak: false` that
/// let it be lost, else at its step (or the lead-in).
fn lost_words(path: &Path, plan: &Plan, lost: &Lost, map: &SourceMap, source: &str) -> Diagnostic {
    let root = ValuePath::ROOT;
    let segment = &plan.segments[lost.cue.segment];
    let work = if segment.step.is_some() {
        Some(segment)
    } else {
        segment.next_work.map(|n| &plan.segments[n])
    };
    let step_path = work.and_then(|w| w.step).map(|at| {
        root.field("sections")
            .index(at.section)
            .field("steps")
            .index(at.step)
    });
    let opted_out = [
        step_path.as_ref().map(|p| p.field("room_to_speak")),
        Some(root.field("room_to_speak")),
    ];
    let span = opted_out
        .iter()
        .flatten()
        .find_map(|p| map.span(p))
        .or_else(|| step_path.as_ref().and_then(|p| map.span(p)))
        .or_else(|| map.span(&root.field("lead_in")));
    Diagnostic::warning(path, lost.message(plan))
        .at(span, source)
        .with_hint(
            "without `room_to_speak: false` the athlete gets time to get into position while \
             the words are said; or say less (`say`, a shorter instruction)",
        )
}
