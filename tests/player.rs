//! The timeline engine: exact boundaries, commands, cues and the session record.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use limberup::timeline::{
    ADJUST_STEP, CueKind, Outcome, Phase, Plan, Player, SegmentKind, Side, segment_cues,
};
use proptest::prelude::*;

use crate::common::{parse, routine_with_steps};

const MS: Duration = Duration::from_millis(1);

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn plan(steps: &str, lead_in: Duration) -> Arc<Plan> {
    let routine = parse(&routine_with_steps(steps))
        .routine
        .expect("test routine loads");
    Arc::new(Plan::new(Arc::new(routine), lead_in))
}

/// A 30-minute routine of every kind of segment.
fn long_plan() -> Arc<Plan> {
    let steps = r#"
        Step(name: "Roll", time: "45 s", sides: Both, switch_pause: 5, rest_after: 10),
        Step(name: "Swing", reps: 12, rep_time: "1.5 s", sides: Both, switch_pause: 0, sets: 2, rest_between_sets: 15),
        Step(name: "Hold", time: "20-30 s", sets: 3, rest_between_sets: 7, rest_after: 20),
        Step(name: "Lunge", time: "1:10", sides: Left),
        Step(name: "Twist", time: "33.3 s", sides: Right, rest_after: "1 min"),
    "#;
    let source = format!(
        "Routine(format: 1, title: \"Long\", sections: [Section(title: \"A\", rounds: 5, rest_between_rounds: 45, steps: [{steps}])])"
    );
    let routine = parse(&source).routine.expect("long routine loads");
    Arc::new(Plan::new(Arc::new(routine), secs(3)))
}

#[test]
fn per_side_steps_give_each_side_its_full_time() {
    let plan = plan(
        r#"Step(name: "Stretch", time: 30, sides: Both, switch_pause: 5)"#,
        Duration::ZERO,
    );
    let kinds: Vec<_> = plan
        .segments
        .iter()
        .map(|s| (s.kind, s.side, s.duration))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (SegmentKind::Work, Some(Side::Left), Some(secs(30))),
            (SegmentKind::Switch, None, Some(secs(5))),
            (SegmentKind::Work, Some(Side::Right), Some(secs(30))),
        ]
    );
    assert_eq!(plan.total().duration, secs(65));
}

#[test]
fn sets_rests_rounds_and_lead_in_are_laid_out() {
    let plan = plan(
        r#"Step(name: "A", time: 10, sets: 2, rest_between_sets: 5, rest_after: 8), Step(name: "B", until_done: true, suggested_time: 60)"#,
        secs(3),
    );
    let layout: Vec<_> = plan
        .segments
        .iter()
        .map(|s| (s.kind, s.offset.as_secs(), s.estimate.as_secs()))
        .collect();
    assert_eq!(
        layout,
        vec![
            (SegmentKind::LeadIn, 0, 3),
            (SegmentKind::Work, 3, 10),
            (SegmentKind::Rest, 13, 5),
            (SegmentKind::Work, 18, 10),
            (SegmentKind::Rest, 28, 8),
            (SegmentKind::Work, 36, 60),
        ]
    );
    assert!(plan.segments[5].waits_for_done());
    assert!(
        plan.total().estimated,
        "a Done-step makes the total an estimate"
    );
    assert_eq!(plan.total().duration, secs(96));
}

#[test]
fn zero_rest_and_zero_lead_in_add_no_segments() {
    let plan = plan(
        r#"Step(name: "A", time: 10, sets: 2, rest_between_sets: 0)"#,
        Duration::ZERO,
    );
    assert_eq!(plan.segments.len(), 2);
}

#[test]
fn every_segment_ends_exactly_on_its_boundary_however_the_polls_fall() {
    let plan = long_plan();
    let total = plan.total().duration;
    assert!(
        total > Duration::from_mins(25),
        "about half an hour: {total:?}"
    );
    let mut player = Player::new(Arc::clone(&plan), secs(3));
    let start = secs(1000);
    player.start(start);
    let mut now = start;
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    while player.status(now).phase != Phase::Finished {
        // Irregular polls from 1 ms to 4 s.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        now += MS * u32::try_from(1 + seed % 4000).unwrap();
        player.tick(now);
        let status = player.status(now);
        if status.phase == Phase::Finished {
            break;
        }
        let t = now.checked_sub(start).unwrap();
        let segment = &plan.segments[status.segment];
        assert!(
            segment.offset <= t && t < segment.offset + segment.estimate,
            "at {t:?} in segment {}",
            segment.index
        );
        assert_eq!(
            status.elapsed,
            t.checked_sub(segment.offset).unwrap(),
            "elapsed at {t:?}"
        );
    }
    let record = player.record(now);
    assert!(record.finished);
    assert_eq!(record.wall, total, "finished exactly at the planned end");
    assert_eq!(record.segments.len(), plan.segments.len());
    for (r, s) in record.segments.iter().zip(&plan.segments) {
        assert_eq!(
            (r.segment, r.actual, r.outcome),
            (s.index, s.estimate, Outcome::Completed)
        );
    }
}

#[test]
fn pause_freezes_time_and_resume_counts_in() {
    let plan = plan(r#"Step(name: "A", time: 30)"#, Duration::ZERO);
    let mut player = Player::new(plan, secs(3));
    player.start(Duration::ZERO);
    player.tick(secs(10));
    player.pause(secs(10));
    assert_eq!(player.status(secs(100)).phase, Phase::Paused);
    assert_eq!(player.status(secs(100)).remaining, Some(secs(20)));
    assert_eq!(
        player.time_until_next_change(secs(100)),
        None,
        "nothing changes while paused"
    );
    player.resume(secs(100));
    assert_eq!(
        player.status(secs(101)).phase,
        Phase::GettingReady { remaining: secs(2) }
    );
    assert_eq!(
        player.status(secs(102)).remaining,
        Some(secs(20)),
        "frozen during the get-ready"
    );
    player.tick(secs(104));
    assert_eq!(player.status(secs(104)).phase, Phase::Running);
    assert_eq!(player.status(secs(104)).remaining, Some(secs(19)));
    player.tick(secs(123));
    assert_eq!(player.status(secs(123)).phase, Phase::Finished);
    let record = player.record(secs(123));
    assert_eq!(
        record.paused,
        secs(93),
        "90 s paused plus the 3 s get-ready"
    );
    assert_eq!(record.segments[0].actual, secs(30));
}

#[test]
fn previous_restarts_late_in_a_segment_and_goes_back_early() {
    let plan = plan(
        r#"Step(name: "A", time: 30, rest_after: 10), Step(name: "B", time: 30)"#,
        Duration::ZERO,
    );
    let mut player = Player::new(plan, Duration::ZERO);
    player.start(Duration::ZERO);
    player.tick(secs(45));
    assert_eq!(player.segment().title, "B");
    player.previous(secs(45));
    assert_eq!(
        (
            player.segment().title.as_str(),
            player.status(secs(45)).elapsed
        ),
        ("B", Duration::ZERO)
    );
    player.previous(secs(47));
    assert_eq!(
        player.segment().title,
        "A",
        "back over the rest to the previous work"
    );
    let record = player.record(secs(47));
    let outcomes: Vec<_> = record
        .segments
        .iter()
        .map(|r| (r.segment, r.actual, r.outcome))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (0, secs(30), Outcome::Completed),
            (1, secs(10), Outcome::Completed),
            (2, secs(5), Outcome::Repeated),
            (2, secs(2), Outcome::Repeated),
        ]
    );
}

#[test]
fn next_skips_and_done_finishes_a_done_step() {
    let plan = plan(
        r#"Step(name: "Jog", until_done: true, suggested_time: 120), Step(name: "B", time: 30)"#,
        Duration::ZERO,
    );
    let mut player = Player::new(plan, Duration::ZERO);
    player.start(Duration::ZERO);
    player.tick(secs(500));
    assert_eq!(player.segment().title, "Jog", "a Done-step waits");
    assert_eq!(player.status(secs(500)).elapsed, secs(500), "and counts up");
    assert_eq!(
        player.time_until_next_change(Duration::from_millis(500_250)),
        Some(Duration::from_millis(750))
    );
    player.done(secs(500));
    assert_eq!(player.segment().title, "B");
    player.done(secs(505));
    assert_eq!(
        player.status(secs(505)).phase,
        Phase::Finished,
        "done acts as next elsewhere"
    );
    let outcomes: Vec<_> = player
        .record(secs(505))
        .segments
        .iter()
        .map(|r| r.outcome)
        .collect();
    assert_eq!(outcomes, vec![Outcome::Completed, Outcome::Skipped]);
}

#[test]
fn the_last_boundary_is_where_each_segment_began_and_the_finish_by_the_clock() {
    // The full-window flash fades from it, so it must be the boundary's own moment, not
    // the poll that found it, and nothing at the start the athlete pressed.
    let plan = plan(
        r#"Step(name: "A", time: 10), Step(name: "Jog", until_done: true), Step(name: "B", time: 5)"#,
        secs(3),
    );
    let mut player = Player::new(plan, Duration::ZERO);
    assert_eq!(player.last_boundary(), None, "before the start");
    player.start(secs(100));
    player.tick(secs(101));
    assert_eq!(player.last_boundary(), None, "the lead-in began with Start");
    // The poll comes late: the boundary stays where the lead-in ran out.
    player.tick(secs(103) + 250 * MS);
    assert_eq!(player.last_boundary(), Some(secs(103)));
    player.pause(secs(104));
    assert_eq!(
        player.last_boundary(),
        Some(secs(103)),
        "a pause is no boundary"
    );
    player.resume(secs(105));
    player.tick(secs(130));
    assert_eq!(player.segment().title, "Jog");
    assert_eq!(
        player.last_boundary(),
        Some(secs(114)),
        "A's 10 s, with the pause and the count-in, ended at 114"
    );
    player.done(secs(140));
    assert_eq!(
        player.last_boundary(),
        Some(secs(140)),
        "Done is a boundary"
    );
    player.tick(secs(150));
    assert_eq!(player.status(secs(150)).phase, Phase::Finished);
    assert_eq!(player.last_boundary(), Some(secs(145)), "the finish");
}

#[test]
fn adding_and_removing_time() {
    let plan = plan(
        r#"Step(name: "A", time: 30), Step(name: "B", time: 30)"#,
        Duration::ZERO,
    );
    let mut player = Player::new(plan, Duration::ZERO);
    player.start(Duration::ZERO);
    player.add_time(ADJUST_STEP, secs(5));
    assert_eq!(player.status(secs(5)).remaining, Some(secs(35)));
    player.tick(secs(39));
    assert_eq!(player.segment().title, "A");
    player.tick(secs(40));
    assert_eq!(player.segment().title, "B", "ends at 40 s exactly");
    player.remove_time(ADJUST_STEP, secs(45));
    assert_eq!(player.status(secs(45)).remaining, Some(secs(15)));
    player.remove_time(ADJUST_STEP, secs(56));
    assert_eq!(
        player.status(secs(56)).phase,
        Phase::Finished,
        "nothing left: ends now"
    );
}

#[test]
fn time_until_next_change_wakes_for_seconds_and_cues() {
    let plan = plan(r#"Step(name: "A", time: 30)"#, Duration::ZERO);
    let mut player = Player::new(plan, Duration::ZERO);
    player.start(Duration::ZERO);
    assert_eq!(
        player.time_until_next_change(Duration::from_millis(250)),
        Some(Duration::from_millis(750))
    );
    player.tick(Duration::from_millis(14_900));
    assert_eq!(
        player.time_until_next_change(Duration::from_millis(14_900)),
        Some(Duration::from_millis(100)),
        "halfway at 15 s"
    );
}

#[test]
fn cues_fire_once_at_their_time_and_stale_ones_never() {
    let plan = plan(
        r#"Step(name: "A", time: 30, rest_after: 20), Step(name: "B", time: 10)"#,
        Duration::ZERO,
    );
    let mut player = Player::new(Arc::clone(&plan), Duration::ZERO);
    player.start(Duration::ZERO);
    let fired: Vec<_> = player
        .tick(secs(28))
        .iter()
        .map(|c| (c.due.as_secs(), c.cue.kind))
        .collect();
    assert_eq!(
        fired,
        vec![
            (0, CueKind::StepStart),
            (15, CueKind::Halfway),
            (27, CueKind::Countdown(3)),
            (28, CueKind::Countdown(2))
        ]
    );
    assert!(player.tick(secs(28)).is_empty(), "nothing fires twice");
    player.next(Duration::from_millis(28_500));
    let fired: Vec<_> = player.tick(secs(29)).iter().map(|c| c.cue.kind).collect();
    assert_eq!(
        fired,
        vec![CueKind::RestStart],
        "the skipped step's countdown never fires"
    );
    let upcoming = player.upcoming(secs(29));
    assert_eq!(
        upcoming
            .iter()
            .take(2)
            .map(|c| (c.cue.kind, c.at))
            .collect::<Vec<_>>(),
        [
            (CueKind::RestStart, Duration::from_millis(28_500)),
            (CueKind::RestEnding, Duration::from_millis(43_500))
        ],
        "the schedule from the press on: the rest's start, handed out since, is still in it"
    );
    assert_eq!(
        upcoming.last().map(|c| (c.cue.kind, c.at)),
        Some((CueKind::Finished, Duration::from_millis(58_500)))
    );
}

#[test]
fn the_plan_schedule_has_announcements() {
    let plan = plan(
        r#"Step(name: "Kneeling hip flexor stretch", instruction: "Kneel.", time: 30, sides: Both, switch_pause: 0)"#,
        secs(3),
    );
    let cues = segment_cues(&plan, 1, plan.segments[1].duration);
    let start = cues
        .iter()
        .find(|c| c.kind == CueKind::StepStart)
        .copied()
        .unwrap();
    assert_eq!(
        limberup::timeline::announcement(&plan, &start).as_deref(),
        Some("Left side. Kneeling hip flexor stretch. 30 seconds. Kneel.")
    );
    let right = segment_cues(&plan, 2, plan.segments[2].duration);
    assert_eq!(
        right[0].kind,
        CueKind::SwitchSides,
        "no pause: the switch cue opens the right side"
    );
}

#[derive(Clone, Debug)]
enum Command {
    Wait(u64),
    Pause,
    Resume,
    Next,
    Previous,
    Done,
    Add,
    Remove,
    Jump(usize),
    Restart,
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        6 => (1u64..20_000).prop_map(Command::Wait),
        1 => Just(Command::Pause),
        1 => Just(Command::Resume),
        1 => Just(Command::Next),
        1 => Just(Command::Previous),
        1 => Just(Command::Done),
        1 => Just(Command::Add),
        1 => Just(Command::Remove),
        1 => (0usize..200).prop_map(Command::Jump),
        1 => Just(Command::Restart),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_under_random_commands(commands in proptest::collection::vec(command(), 1..120)) {
        let plan = long_plan();
        let mut player = Player::new(Arc::clone(&plan), secs(3));
        let mut now = secs(7);
        player.start(now);
        let mut started = now;
        let mut last_elapsed = (usize::MAX, 0u64, Duration::ZERO);
        let mut fired = HashSet::new();
        for command in commands {
            match command {
                Command::Wait(ms) => now += Duration::from_millis(ms),
                Command::Pause => player.pause(now),
                Command::Resume => player.resume(now),
                Command::Next => player.next(now),
                Command::Previous => player.previous(now),
                Command::Done => player.done(now),
                Command::Add => player.add_time(ADJUST_STEP, now),
                Command::Remove => player.remove_time(ADJUST_STEP, now),
                Command::Jump(i) => player.jump(i, now),
                Command::Restart => { player.restart(now); started = now; fired.clear(); }
            }
            for cue in player.tick(now) {
                prop_assert!(cue.due <= now, "fired before its time");
                prop_assert!(cue.due >= started, "due before the session started");
                prop_assert!(fired.insert((cue.visit, cue.cue)), "fired twice: {:?}", cue);
            }
            let status = player.status(now);
            if let Some(duration) = status.duration {
                prop_assert!(status.remaining.unwrap_or_default() <= duration);
            }
            // Elapsed never goes backwards within one visit of one segment.
            let visit = (status.segment, player.generation(), status.elapsed);
            if visit.0 == last_elapsed.0 && visit.1 == last_elapsed.1 {
                prop_assert!(status.elapsed >= last_elapsed.2, "elapsed went back");
            }
            last_elapsed = visit;
            // Completed and skipped time plus paused time is wall time.
            let record = player.record(now);
            let spent: Duration = record.segments.iter().map(|r| r.actual).sum::<Duration>()
                + record.current.as_ref().map_or(Duration::ZERO, |c| c.actual);
            prop_assert_eq!(spent + record.paused, record.wall, "time is accounted for");
        }
    }
}

#[test]
fn a_right_only_step_is_introduced_like_a_first_side() {
    let plan = plan(
        r#"Step(name: "Lunge", instruction: "Step back.", time: 30, sides: Right, sets: 2)"#,
        Duration::ZERO,
    );
    let speech: Vec<String> = limberup::timeline::schedule(&plan)
        .iter()
        .filter_map(|c| limberup::timeline::announcement(&plan, &c.cue))
        .collect();
    assert_eq!(
        speech[0],
        "Set 1 of 2, right side. Lunge. 30 seconds. Step back."
    );
    assert!(
        speech.contains(&"Last set, right side. Lunge. 30 seconds.".to_owned()),
        "{speech:?}"
    );
    assert!(
        !speech.iter().any(|s| s == "Switch sides."),
        "no switch between sets of one side: {speech:?}"
    );
}

/// Found by the property test: the last step lengthened by +10 s ended with its elapsed
/// time shown as the planned length, going back by the 10 s.
#[test]
fn a_lengthened_last_step_finishes_at_its_new_length() {
    let plan = long_plan();
    let last = plan.segments.len() - 1;
    let planned = plan.segments[last]
        .duration
        .expect("the last step is timed");
    let mut player = Player::new(Arc::clone(&plan), secs(3));
    player.start(secs(0));
    player.jump(last, secs(1));
    player.add_time(ADJUST_STEP, secs(1));
    let just_before = (secs(1) + planned + ADJUST_STEP).saturating_sub(Duration::from_millis(1));
    let _ = player.tick(just_before);
    let before = player.status(just_before);
    let _ = player.tick(secs(1) + planned + ADJUST_STEP + secs(5));
    let after = player.status(secs(1) + planned + ADJUST_STEP + secs(5));
    assert_eq!(after.phase, Phase::Finished);
    assert_eq!(after.elapsed, planned + ADJUST_STEP);
    assert!(after.elapsed >= before.elapsed);
}

#[test]
fn the_schedule_from_a_press_keeps_the_cue_due_at_the_press_after_tick() {
    // Regression ("Heard after every press"): the window runs the command, then `tick` (for
    // the caption), then the audio reads `upcoming`; `upcoming` left out whatever `tick` had
    // handed out, so the cue due at the very moment of a press never reached the speaker.
    let plan = plan(
        r#"Step(name: "Jog", until_done: true, rest_after: 20), Step(name: "Knees", time: 20)"#,
        secs(3),
    );
    let mut player = Player::new(plan, secs(3));
    let first = |player: &Player, now| {
        player
            .upcoming(now)
            .first()
            .map(|c| (c.cue.segment, c.cue.kind, c.at))
    };
    player.start(Duration::ZERO);
    let _ = player.tick(Duration::ZERO);
    assert_eq!(
        first(&player, Duration::ZERO),
        Some((0, CueKind::GetReady, Duration::ZERO)),
        "the opening, at the start"
    );
    let _ = player.tick(secs(5));
    player.done(secs(10));
    let fired: Vec<CueKind> = player.tick(secs(10)).iter().map(|f| f.cue.kind).collect();
    assert_eq!(fired, [CueKind::RestStart], "the caption took it");
    assert_eq!(
        first(&player, secs(10)),
        Some((2, CueKind::RestStart, secs(10))),
        "the rest is still in the schedule from the press"
    );
    assert_eq!(
        first(&player, secs(11)),
        Some((2, CueKind::RestStart, secs(10))),
        "a frame later too: the audio knows what it has played"
    );
    // The count-in after a resume: its first cue is due at the press.
    player.pause(secs(12));
    assert!(player.upcoming(secs(12)).is_empty(), "nothing while paused");
    player.resume(secs(14));
    let _ = player.tick(secs(14));
    assert_eq!(
        first(&player, secs(14)),
        Some((2, CueKind::Resume, secs(14))),
        "the count-in starts at the press"
    );
    // A later command starts a new schedule: what the last one handed out is not in it.
    player.add_time(ADJUST_STEP, Duration::from_millis(15_500));
    let kinds: Vec<CueKind> = player
        .upcoming(Duration::from_millis(15_500))
        .iter()
        .map(|c| c.cue.kind)
        .collect();
    assert!(
        !kinds.contains(&CueKind::Resume)
            && !kinds.contains(&CueKind::ResumeCountdown(2))
            && kinds.contains(&CueKind::ResumeCountdown(1)),
        "from the second press on: {kinds:?}"
    );
}

/// `(kind, side, set)` of every segment, for the tests of sides.
fn layout_of(plan: &Plan) -> Vec<(SegmentKind, Option<Side>, u32)> {
    plan.segments
        .iter()
        .map(|s| (s.kind, s.side, s.set.index))
        .collect()
}

/// The words of every step start, in order.
fn step_starts(plan: &Plan) -> Vec<String> {
    limberup::timeline::schedule(plan)
        .iter()
        .filter(|c| c.cue.kind == CueKind::StepStart)
        .filter_map(|c| limberup::timeline::announcement(plan, &c.cue))
        .collect()
}

// Issue 17: set 1's right side ran straight into set 2's left side, with no switch.
#[test]
fn a_change_of_side_between_sets_gets_the_switch_pause() {
    use SegmentKind::{Switch, Work};
    let plan = plan(
        r#"Step(name: "Stretch", time: 20, sides: Both, switch_pause: 5, sets: 2)"#,
        Duration::ZERO,
    );
    let (l, r) = (Some(Side::Left), Some(Side::Right));
    assert_eq!(
        layout_of(&plan),
        vec![
            (Work, l, 1),
            (Switch, None, 1),
            (Work, r, 1),
            (Switch, None, 2),
            (Work, l, 2),
            (Switch, None, 2),
            (Work, r, 2),
        ]
    );
    assert_eq!(plan.total().duration, secs(95));
    // Every side of every set says its set and its side, the last set as "Last set".
    assert_eq!(
        step_starts(&plan),
        vec![
            "Set 1 of 2, left side. Stretch. 20 seconds.",
            "Set 1 of 2, right side. Stretch. 20 seconds.",
            "Last set, left side. Stretch. 20 seconds.",
            "Last set, right side. Stretch. 20 seconds.",
        ]
    );
}

#[test]
fn a_rest_between_sets_takes_the_place_of_the_switch_and_names_the_side() {
    let plan = plan(
        r#"Step(name: "Stretch", time: 20, sides: Both, sets: 2, rest_between_sets: 10)"#,
        Duration::ZERO,
    );
    let kinds: Vec<SegmentKind> = plan.segments.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        vec![
            SegmentKind::Work,
            SegmentKind::Switch,
            SegmentKind::Work,
            SegmentKind::Rest,
            SegmentKind::Work,
            SegmentKind::Switch,
            SegmentKind::Work
        ]
    );
    let rest = limberup::timeline::Cue {
        segment: 3,
        at: Duration::ZERO,
        kind: CueKind::RestStart,
    };
    assert_eq!(
        limberup::timeline::announcement(&plan, &rest).as_deref(),
        Some("Rest. Next: Stretch, left side.")
    );
}

#[test]
fn without_a_switch_pause_each_change_of_side_says_switch_sides_as_it_starts() {
    let plan = plan(
        r#"Step(name: "Swing", time: 10, sides: Both, switch_pause: 0, sets: 2), Step(name: "Hold", time: 10, sides: Both, switch_pause: 0)"#,
        Duration::ZERO,
    );
    assert!(plan.segments.iter().all(|s| s.kind == SegmentKind::Work));
    let switches: Vec<usize> = (0..plan.segments.len())
        .filter(|&i| {
            segment_cues(&plan, i, plan.segments[i].duration)
                .iter()
                .any(|c| c.kind == CueKind::SwitchSides && c.at.is_zero())
        })
        .collect();
    // Between the sides of each set and between the sets; not where a new step begins.
    assert_eq!(switches, vec![1, 2, 3, 5]);
}

#[test]
fn blocked_sets_work_one_side_then_the_other_and_say_last_set_on_each() {
    use SegmentKind::{Rest, Switch, Work};
    let plan = plan(
        r#"Step(name: "Split squat", time: 20, sides: Both, sets: 2, set_order: Blocked, rest_between_sets: 10)"#,
        Duration::ZERO,
    );
    let (l, r) = (Some(Side::Left), Some(Side::Right));
    assert_eq!(
        layout_of(&plan),
        vec![
            (Work, l, 1),
            (Rest, None, 1),
            (Work, l, 2),
            (Switch, None, 1),
            (Work, r, 1),
            (Rest, None, 1),
            (Work, r, 2),
        ]
    );
    assert_eq!(
        step_starts(&plan),
        vec![
            "Set 1 of 2, left side. Split squat. 20 seconds.",
            "Last set, left side. Split squat. 20 seconds.",
            "Set 1 of 2, right side. Split squat. 20 seconds.",
            "Last set, right side. Split squat. 20 seconds.",
        ]
    );
}

#[test]
fn a_section_on_each_side_plays_every_step_left_then_right() {
    use SegmentKind::{Switch, Work};
    let source = r#"Routine(format: 1, title: "T", sections: [
        Section(title: "Swings", sides: Both, switch_pause: 8, steps: [
            Step(name: "Forward", time: 15),
            Step(name: "Sideways", time: 15),
        ]),
    ])"#;
    let routine = parse(source).routine.expect("loads");
    let plan = Plan::new(Arc::new(routine), Duration::ZERO);
    let order: Vec<_> = plan
        .segments
        .iter()
        .map(|s| (s.kind, s.side, s.title.as_str(), s.estimate.as_secs()))
        .collect();
    let (l, r) = (Some(Side::Left), Some(Side::Right));
    assert_eq!(
        order,
        vec![
            (Work, l, "Forward", 15),
            (Work, l, "Sideways", 15),
            (Switch, None, "Switch sides", 8),
            (Work, r, "Forward", 15),
            (Work, r, "Sideways", 15),
        ]
    );
    // A rest after the left pass takes the switch's place.
    let source = source.replace(
        "time: 15),\n        ]",
        "time: 15, rest_after: 10),\n        ]",
    );
    let routine = parse(&source).routine.expect("loads");
    let plan = Plan::new(Arc::new(routine), Duration::ZERO);
    let kinds: Vec<SegmentKind> = plan.segments.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        vec![Work, Work, SegmentKind::Rest, Work, Work],
        "the trailing rest of the right pass is dropped at the routine's end"
    );
}

#[test]
fn alternating_reps_show_each_reps_side_exactly_at_its_boundary() {
    let plan = plan(
        r#"Step(name: "Lunge", reps: 10, rep_time: "1.5 s", sides: Alternating)"#,
        Duration::ZERO,
    );
    assert_eq!(plan.segments.len(), 1, "one piece of work");
    let mut player = Player::new(Arc::clone(&plan), secs(3));
    player.start(secs(100));
    let at = |ms: u64| secs(100) + MS * u32::try_from(ms).unwrap();
    let rep_and_side = |player: &Player, ms: u64| {
        let status = player.status(at(ms));
        (status.rep.map(|r| r.index), status.rep_side)
    };
    for (ms, rep, side) in [
        (0, 1, Side::Left),
        (1_499, 1, Side::Left),
        (1_500, 2, Side::Right),
        (2_999, 2, Side::Right),
        (3_000, 3, Side::Left),
        (14_999, 10, Side::Right),
    ] {
        player.tick(at(ms));
        assert_eq!(
            rep_and_side(&player, ms),
            (Some(rep), Some(side)),
            "at {ms} ms"
        );
    }
    // Every tick carries its side; from 1.2 s a rep, the side is spoken (the first in the
    // step's announcement, the last in "Last one, right.").
    let cues = segment_cues(&plan, 0, plan.segments[0].duration);
    let ticks: Vec<(u32, Option<Side>, Option<String>)> = cues
        .iter()
        .filter_map(|c| match c.kind {
            CueKind::RepTick { rep, side } => {
                Some((rep, side, limberup::timeline::announcement(&plan, c)))
            }
            _ => None,
        })
        .collect();
    assert_eq!(ticks.len(), 10);
    assert_eq!(ticks[0], (1, Some(Side::Left), None));
    assert_eq!(ticks[1], (2, Some(Side::Right), Some("Right.".to_owned())));
    assert_eq!(ticks[2], (3, Some(Side::Left), Some("Left.".to_owned())));
    assert_eq!(ticks[9], (10, Some(Side::Right), None));
    assert_eq!(
        step_starts(&plan),
        vec!["Alternating sides, left first. Lunge. 10 reps, 5 each side."]
    );
}

#[test]
fn alternating_reps_shorter_than_a_word_are_not_spoken() {
    let plan = plan(
        r#"Step(name: "Bird dog", reps: 6, rep_time: "1.1 s", sides: Alternating)"#,
        Duration::ZERO,
    );
    let cues = segment_cues(&plan, 0, plan.segments[0].duration);
    for cue in &cues {
        if let CueKind::RepTick { side, .. } = cue.kind {
            assert!(side.is_some(), "the side is still carried");
            assert_eq!(limberup::timeline::announcement(&plan, cue), None);
        }
    }
    let last = cues.iter().find(|c| c.kind == CueKind::LastOne).unwrap();
    assert_eq!(
        limberup::timeline::announcement(&plan, last).as_deref(),
        Some("Last one.")
    );
}
