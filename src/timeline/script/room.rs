//! Time made for the words: a spoken plan sized with the script, so every announcement is
//! heard in full (time to get into position, a longer lead-in or switch).

use std::collections::BTreeMap;
use std::time::Duration;

use super::{Estimate, planned};
use crate::timeline::plan::{Plan, Segment, SegmentKind, relink};

/// Rounds of [`make_room`] at most: each one adds the time still missing.
const MAX_ROOM_ROUNDS: usize = 6;

/// Whether the routine lets the plan add time for `work`'s words (`room_to_speak`).
fn may_make_room(plan: &Plan, work: &Segment) -> bool {
    plan.routine.room_to_speak && plan.step(work).is_none_or(|s| s.room_to_speak)
}

/// The work a lost announcement in `segment` speaks for: the work itself, or the next one.
fn work_for(plan: &Plan, segment: usize) -> Option<usize> {
    let s = plan.segments.get(segment)?;
    if s.kind == SegmentKind::Work {
        Some(s.index)
    } else {
        s.next_work
    }
}

/// Gives every announcement of a spoken plan room to be heard in full (see the module's
/// rules): where the [`Estimate`] finds one short of time, the time to get into position
/// before its work grows by what it lacked, in whole seconds (the lead-in, when the work
/// follows it), until nothing is short or the coach opted out.
pub fn make_room(plan: &mut Plan) {
    if plan.voice().is_none() {
        return;
    }
    for _ in 0..MAX_ROOM_ROUNDS {
        let script = planned(plan, &Estimate::new(plan));
        let mut needs: BTreeMap<usize, Duration> = BTreeMap::new();
        for lost in &script.lost {
            let Some(work) = work_for(plan, lost.cue.segment) else {
                continue;
            };
            if !may_make_room(plan, &plan.segments[work]) {
                continue;
            }
            let need = needs.entry(work).or_default();
            *need = (*need).max(lost.short_by());
        }
        if needs.is_empty() {
            return;
        }
        for (&work, &need) in needs.iter().rev() {
            give_time(plan, work, whole_seconds(need));
        }
        relink(&mut plan.segments);
    }
}

/// `need` rounded up to whole seconds, at least one.
fn whole_seconds(need: Duration) -> Duration {
    let secs = need.as_secs() + u64::from(need.subsec_nanos() > 0);
    Duration::from_secs(secs.max(1))
}

/// Adds `time` before work segment `work`: to the time to get into position, the switch or
/// the lead-in just before it, else as a new time to get into position.
fn give_time(plan: &mut Plan, work: usize, time: Duration) {
    if let Some(before) = work
        .checked_sub(1)
        .and_then(|i| plan.segments.get_mut(i))
        .filter(|s| {
            matches!(
                s.kind,
                SegmentKind::Position | SegmentKind::LeadIn | SegmentKind::Switch
            )
        })
    {
        let length = before.duration.unwrap_or_default() + time;
        before.duration = Some(length);
        before.estimate = length;
        return;
    }
    let Some(template) = plan.segments.get_mut(work) else {
        return;
    };
    // Work that starts on the other side with no pause gets one: the switch is said there.
    let (kind, title) = if template.switch_cue {
        template.switch_cue = false;
        (SegmentKind::Switch, "Switch sides".to_owned())
    } else {
        (SegmentKind::Position, template.title.clone())
    };
    let position = Segment {
        kind,
        title,
        switch_cue: false,
        reps: None,
        rep_time: None,
        duration: Some(time),
        estimate: time,
        moves_on_after: None,
        ..template.clone()
    };
    plan.segments.insert(work, position);
}
