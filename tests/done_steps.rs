//! Done steps the athlete can leave running: a Done step with a suggested time moves on by
//! itself after it plus a margin (the routine's `auto_advance`, or the setting's), announced
//! 10 s before; Done in those 10 s keeps it waiting; one that waits long hears a reminder.

use std::sync::Arc;
use std::time::Duration;

use limberup::timeline::script::plan_texts;
use limberup::timeline::{
    CueKind, DoneSteps, Outcome, Phase, Plan, PlanOptions, Player, schedule, still_going_at,
};

use crate::common::parse;

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// A jog (Done, about a minute), a 30 s stretch, strides (Done, no suggested time), with
/// `auto_advance` at the routine's top when given.
fn routine(auto_advance: Option<&str>) -> Arc<limberup::routine::Routine> {
    let field = auto_advance.map_or(String::new(), |a| format!("auto_advance: \"{a}\","));
    let source = format!(
        r#"Routine(format: 1, title: "Track", {field} sections: [Section(title: "A", steps: [
            Step(name: "Jog", until_done: true, suggested_time: "1 min"),
            Step(name: "Stretch", time: 30),
            Step(name: "Strides", until_done: true),
        ])])"#
    );
    Arc::new(parse(&source).routine.expect("the test routine loads"))
}

fn plan(auto_advance: Option<&str>, done_steps: DoneSteps) -> Arc<Plan> {
    Arc::new(Plan::with_options(
        routine(auto_advance),
        PlanOptions {
            done_steps,
            done_margin: secs(15),
            ..PlanOptions::silent(Duration::ZERO)
        },
    ))
}

/// The kinds of the cues handed out by ticking at each of `at`, with their due times.
fn fired(player: &mut Player, at: &[Duration]) -> Vec<(CueKind, Duration)> {
    at.iter()
        .flat_map(|&now| player.tick(now))
        .map(|f| (f.cue.kind, f.due))
        .collect()
}

#[test]
fn the_routine_or_the_setting_decides_which_done_steps_move_on_and_when() {
    let moves = |plan: &Plan| -> Vec<Option<Duration>> {
        plan.segments.iter().map(|s| s.moves_on_after).collect()
    };
    // The routine's 20 s after the jog's minute; the strides have no time to go by.
    assert_eq!(
        moves(&plan(Some("20 s"), DoneSteps::AsRoutine)),
        [Some(secs(80)), None, None]
    );
    assert_eq!(moves(&plan(None, DoneSteps::AsRoutine)), [None, None, None]);
    assert_eq!(
        moves(&plan(Some("20 s"), DoneSteps::Wait)),
        [None, None, None],
        "the athlete's Wait wins over the routine"
    );
    assert_eq!(
        moves(&plan(None, DoneSteps::MoveOn)),
        [Some(secs(75)), None, None],
        "the setting's margin where the routine gives none"
    );
    assert_eq!(
        moves(&plan(Some("20 s"), DoneSteps::MoveOn)),
        [Some(secs(80)), None, None],
        "the routine's margin wins"
    );
    // The planned length still counts the jog at its suggested time.
    assert_eq!(
        plan(Some("20 s"), DoneSteps::AsRoutine).total().duration,
        secs(90)
    );
}

#[test]
fn a_done_step_moves_on_exactly_at_its_time_after_saying_so() {
    let plan = plan(Some("20 s"), DoneSteps::AsRoutine);
    let mut player = Player::new(Arc::clone(&plan), Duration::ZERO);
    player.start(Duration::ZERO);
    let ms = Duration::from_millis;
    let heard = fired(
        &mut player,
        &[ms(0), ms(69_999), ms(70_000), ms(79_999), ms(80_000)],
    );
    assert_eq!(
        heard,
        [
            (CueKind::StepStart, secs(0)),
            (CueKind::MovingOn, secs(70)),
            (CueKind::Countdown(3), secs(77)),
            (CueKind::Countdown(2), secs(78)),
            (CueKind::Countdown(1), secs(79)),
            (CueKind::StepStart, secs(80)),
        ]
    );
    assert_eq!(player.segment().title, "Stretch");
    assert_eq!(player.status(ms(80_500)).elapsed, ms(500));
    let record = player.record(secs(81));
    assert_eq!(record.segments.len(), 1);
    assert_eq!(record.segments[0].outcome, Outcome::Completed);
    assert_eq!(record.segments[0].actual, secs(80));
    // The jog shows the time left before it moves on.
    let mut player = Player::new(plan, Duration::ZERO);
    player.start(Duration::ZERO);
    assert_eq!(player.status(secs(50)).remaining, Some(secs(30)));
    assert_eq!(player.status(secs(50)).elapsed, secs(50));
}

#[test]
fn done_in_the_last_ten_seconds_keeps_the_step_waiting_and_done_after_ends_it() {
    let plan = plan(Some("20 s"), DoneSteps::AsRoutine);
    let mut player = Player::new(plan, Duration::ZERO);
    player.start(Duration::ZERO);
    fired(&mut player, &[secs(0), secs(72)]);
    let generation = player.generation();
    player.done(secs(72));
    assert!(player.generation() > generation, "the audio rebuilds");
    let heard = fired(&mut player, &[secs(80), secs(119), secs(200)]);
    assert_eq!(
        heard,
        [(CueKind::StillGoing, still_going_at(secs(60)))],
        "no pips, no move; the reminder at {:?}",
        still_going_at(secs(60))
    );
    assert_eq!(player.segment().title, "Jog");
    assert_eq!(player.status(secs(200)).remaining, None);
    player.done(secs(200));
    assert_eq!(player.segment().title, "Stretch", "the second Done ends it");
    assert_eq!(
        player.record(secs(200)).segments[0].outcome,
        Outcome::Completed
    );
}

#[test]
fn done_before_the_announcement_ends_the_step_at_once() {
    let plan = plan(Some("20 s"), DoneSteps::AsRoutine);
    let mut player = Player::new(plan, Duration::ZERO);
    player.start(Duration::ZERO);
    player.done(secs(59));
    assert_eq!(player.segment().title, "Stretch");
}

#[test]
fn a_waiting_done_step_is_reminded_once_long_past_its_time() {
    let plan = plan(None, DoneSteps::AsRoutine);
    let mut player = Player::new(plan, Duration::ZERO);
    player.start(Duration::ZERO);
    assert_eq!(
        still_going_at(secs(60)),
        secs(120),
        "a minute past a minute"
    );
    assert_eq!(still_going_at(secs(300)), secs(600), "twice a longer one");
    let heard = fired(&mut player, &[secs(0), secs(119), secs(120), secs(1_000)]);
    assert_eq!(
        heard,
        [
            (CueKind::StepStart, secs(0)),
            (CueKind::StillGoing, secs(120))
        ]
    );
    assert_eq!(player.status(secs(1_000)).phase, Phase::Running);
}

#[test]
fn the_audio_schedule_runs_past_a_step_that_moves_on() {
    let plan = plan(Some("20 s"), DoneSteps::AsRoutine);
    let mut player = Player::new(plan, Duration::ZERO);
    player.start(Duration::ZERO);
    let ahead: Vec<_> = player
        .upcoming(Duration::ZERO)
        .iter()
        .map(|c| (c.cue.kind, c.at))
        .collect();
    assert!(ahead.contains(&(CueKind::MovingOn, secs(70))), "{ahead:?}");
    assert!(
        ahead.contains(&(CueKind::StepStart, secs(80))),
        "the stretch"
    );
    assert!(
        ahead.contains(&(CueKind::StepStart, secs(110))),
        "the strides"
    );
}

#[test]
fn the_words_are_rendered_ahead_but_left_out_of_the_planned_schedule() {
    let plan = plan(Some("20 s"), DoneSteps::AsRoutine);
    let planned: Vec<CueKind> = schedule(&plan).iter().map(|c| c.cue.kind).collect();
    assert!(!planned.contains(&CueKind::MovingOn), "{planned:?}");
    assert!(!planned.contains(&CueKind::StillGoing), "{planned:?}");
    let texts = plan_texts(&plan);
    for said in [
        "Moving on in 10 seconds. Press Done to wait.",
        "Still going? Press Done when finished.",
    ] {
        assert!(texts.iter().any(|t| t == said), "{said} in {texts:?}");
    }
}
