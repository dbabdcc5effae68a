//! The spoken words: one grammar for sets, sides and rounds, efforts said as written, the
//! optional calls, and a routine in German whose every announcement is German.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use limberup::routine::{self, Severity};
use limberup::timeline::{
    Calls, CueKind, Language, Plan, PlanOptions, announcement, schedule, segment_cues,
};

use crate::common::{parse, routine_with_steps};

/// A silent plan of `source`, a whole routine, with no lead-in.
fn plan_of(source: &str) -> Plan {
    let routine = parse(source).routine.expect("the test routine loads");
    Plan::new(Arc::new(routine), Duration::ZERO)
}

/// A silent plan of one section of `steps`, with no lead-in.
fn plan(steps: &str) -> Plan {
    plan_of(&routine_with_steps(steps))
}

/// The words of every cue that speaks, in order.
fn said(plan: &Plan) -> Vec<String> {
    schedule(plan)
        .iter()
        .filter_map(|c| announcement(plan, &c.cue))
        .collect()
}

/// The words of every step start, in order.
fn step_starts(plan: &Plan) -> Vec<String> {
    schedule(plan)
        .iter()
        .filter(|c| c.cue.kind == CueKind::StepStart)
        .filter_map(|c| announcement(plan, &c.cue))
        .collect()
}

#[test]
fn every_side_of_every_set_says_its_set_and_side_and_the_last_set_is_last() {
    let plan = plan(
        r#"Step(name: "Split squat", instruction: "Step long.", time: 20, sides: Both, sets: 3)"#,
    );
    assert_eq!(
        step_starts(&plan),
        [
            "Set 1 of 3, left side. Split squat. 20 seconds. Step long.",
            "Set 1 of 3, right side. Split squat. 20 seconds.",
            "Set 2 of 3, left side. Split squat. 20 seconds.",
            "Set 2 of 3, right side. Split squat. 20 seconds.",
            "Last set, left side. Split squat. 20 seconds.",
            "Last set, right side. Split squat. 20 seconds.",
        ]
    );
}

#[test]
fn sets_without_sides_and_sides_without_sets_keep_their_sentence() {
    let plan = plan(
        r#"Step(name: "Bridge", time: 10, sets: 2), Step(name: "Lunge", time: 10, sides: Left), Step(name: "Matrix", reps: 9, rep_time: 2, sides: Alternating, sets: 2)"#,
    );
    assert_eq!(
        step_starts(&plan),
        [
            "Set 1 of 2. Bridge. 10 seconds.",
            "Last set. Bridge. 10 seconds.",
            "Left side. Lunge. 10 seconds.",
            "Set 1 of 2, alternating sides, left first. Matrix. 9 reps, 5 left and 4 right.",
            "Last set, alternating sides, left first. Matrix. 9 reps, 5 left and 4 right.",
        ]
    );
}

#[test]
fn an_interval_section_says_each_round_at_its_first_step() {
    let plan = plan_of(
        r#"Routine(format: 1, title: "Intervals", sections: [
            Section(title: "Intervals", rounds: 8, steps: [
                Step(name: "Interval run", instruction: "Run strong.", time: "1:45"),
                Step(name: "Recovery", time: "2:00"),
            ]),
        ])"#,
    );
    let mut expected = vec![
        "Round 1 of 8. Interval run. 1 minute 45 seconds. Run strong.".to_owned(),
        "Recovery. 2 minutes.".to_owned(),
    ];
    for round in 2..8 {
        expected.push(format!(
            "Round {round} of 8. Interval run. 1 minute 45 seconds."
        ));
        expected.push("Recovery. 2 minutes.".to_owned());
    }
    expected.push("Last round. Interval run. 1 minute 45 seconds.".to_owned());
    expected.push("Recovery. 2 minutes.".to_owned());
    assert_eq!(step_starts(&plan), expected);
}

#[test]
fn a_round_is_said_once_even_when_its_first_step_has_sets_and_sides() {
    let plan = plan_of(
        r#"Routine(format: 1, title: "T", sections: [
            Section(title: "A", rounds: 2, rest_between_rounds: 10, steps: [
                Step(name: "Swing", time: 10, sides: Both, switch_pause: 0, sets: 2),
            ]),
        ])"#,
    );
    assert_eq!(
        step_starts(&plan),
        [
            "Round 1 of 2. Set 1 of 2, left side. Swing. 10 seconds.",
            "Set 1 of 2, right side. Swing. 10 seconds.",
            "Last set, left side. Swing. 10 seconds.",
            "Last set, right side. Swing. 10 seconds.",
            "Last round. Set 1 of 2, left side. Swing. 10 seconds.",
            "Set 1 of 2, right side. Swing. 10 seconds.",
            "Last set, left side. Swing. 10 seconds.",
            "Last set, right side. Swing. 10 seconds.",
        ]
    );
}

#[test]
fn an_effort_is_said_as_written_after_the_dose_the_first_time() {
    let plan = plan(
        r#"Step(name: "Strides", reps: "3 passes", effort: "80-100 m at 90 %", sets: 2),
           Step(name: "Sprints", reps: "2 passes", distance: "80-100 m", effort: "at 90 %"),
           Step(name: "Tempo", time: "1:45", effort: "Strong and even, about 10 km race effort"),
           Step(name: "Hold", time: "20-30 s", effort: "easy")"#,
    );
    assert_eq!(
        step_starts(&plan),
        [
            "Set 1 of 2. Strides. 3 passes. 80 to 100 metres at 90 percent. Press Done when finished.",
            "Last set. Strides. 3 passes. Press Done when finished.",
            "Sprints. 80 to 100 metres. 2 passes, at 90 percent. Press Done when finished.",
            "Tempo. 1 minute 45 seconds. Strong and even, about 10 kilometres race effort.",
            "Hold. 20 to 30 seconds, easy.",
        ]
    );
}

#[test]
fn a_steps_own_words_replace_its_announcement() {
    let plan = plan(
        r#"Step(name: "Jog", until_done: true, effort: "easy", say: "Jog easy - 5 min.", sets: 2)"#,
    );
    assert_eq!(
        step_starts(&plan),
        ["Jog easy - 5 min.", "Jog easy - 5 min."],
        "as written, every time"
    );
}

#[test]
fn ten_seconds_left_is_called_in_long_timed_work_when_asked() {
    let steps = r#"Step(name: "Long", time: 30), Step(name: "Short", time: 29), Step(name: "Paced", reps: 20, rep_time: 2)"#;
    let routine = Arc::new(
        parse(&routine_with_steps(steps))
            .routine
            .expect("the test routine loads"),
    );
    let with = |calls: Calls| {
        Plan::with_options(
            Arc::clone(&routine),
            PlanOptions {
                calls,
                ..PlanOptions::spoken(Duration::ZERO)
            },
        )
    };
    let calls = |plan: &Plan, kind: CueKind| -> Vec<(usize, Duration)> {
        (0..plan.segments.len())
            .flat_map(|i| segment_cues(plan, i, plan.segments[i].duration))
            .filter(|c| c.kind == kind)
            .map(|c| (c.segment, c.at))
            .collect()
    };
    let secs = Duration::from_secs;
    let both = with(Calls {
        halfway: true,
        time_left: true,
    });
    assert_eq!(
        calls(&both, CueKind::TimeLeft),
        [(0, secs(20))],
        "30 s of timed work, not 29 s, nor paced reps"
    );
    assert_eq!(
        calls(&both, CueKind::Halfway),
        [(0, secs(15)), (1, Duration::from_millis(14_500))],
        "halfway"
    );
    let cue = limberup::timeline::Cue {
        segment: 0,
        at: secs(20),
        kind: CueKind::TimeLeft,
    };
    assert_eq!(
        announcement(&both, &cue).as_deref(),
        Some("10 seconds left.")
    );
    let neither = with(Calls {
        halfway: false,
        time_left: false,
    });
    assert!(
        calls(&neither, CueKind::TimeLeft).is_empty()
            && calls(&neither, CueKind::Halfway).is_empty(),
        "both calls can be turned off"
    );
    assert!(
        calls(&with(Calls::default()), CueKind::TimeLeft).is_empty(),
        "off unless asked"
    );
    // Time added to the step moves the call with its end.
    let added = segment_cues(&both, 1, Some(secs(40)));
    assert!(
        added
            .iter()
            .any(|c| c.kind == CueKind::TimeLeft && c.at == secs(30)),
        "{added:?}"
    );
}

/// The German routine of `tests/routines/`, loaded from its file.
fn german_routine() -> routine::Routine {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/routines/german-warmup.ron");
    let loaded = routine::load(&path, routine::LoadOptions::default());
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error || !d.message.contains("no illustration"))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.routine.expect("the German routine loads")
}

/// English words the app used to say; none may be left in a German routine's words.
const ENGLISH_WORDS: [&str; 27] = [
    "Get", "ready", "Rest", "Next", "First", "Set", "set", "Last", "last", "Round", "round",
    "side", "sides", "Left", "left", "Right", "right", "Switch", "Halfway", "seconds", "second",
    "reps", "metres", "percent", "each", "Press", "Well",
];

#[test]
fn a_german_routine_is_announced_in_german_throughout() {
    let routine = Arc::new(german_routine());
    assert_eq!(routine.language, Some(Language::German));
    // Spoken by a voice set to English: the routine's language wins.
    let plan = Plan::with_options(
        Arc::clone(&routine),
        PlanOptions {
            calls: Calls {
                halfway: true,
                time_left: true,
            },
            ..PlanOptions::spoken(Duration::from_secs(3))
        },
    );
    assert_eq!(plan.language(), Language::German);
    let words = said(&plan);
    for expected in [
        "Mach dich bereit. Aufwärmen vor dem Lauf. Zuerst: Beinpendel vorwärts, linke Seite.",
        "Satz 1 von 2, linke Seite. Beinpendel vorwärts. 10 Wiederholungen. An einer Wand festhalten und das Bein locker vor und zurück schwingen.",
        "Seitenwechsel.",
        "Satz 1 von 2, rechte Seite. Beinpendel vorwärts. 10 Wiederholungen.",
        "Letzter Satz, rechte Seite. Beinpendel vorwärts. 10 Wiederholungen.",
        "Letzte Wiederholung.",
        "Halbzeit.",
        "Pause. Als Nächstes: Ausfallschritt, Seiten im Wechsel.",
        "Runde 1 von 2. Seiten im Wechsel, links zuerst. Ausfallschritt. 10 Wiederholungen, 5 pro Seite. Großer Schritt nach vorn, das hintere Knie knapp über den Boden, dann zurückdrücken.",
        "Rechts.",
        "Letzte Wiederholung, rechts.",
        "Linke Seite. Ausfallschritt nach hinten. 6 bis 8 Wiederholungen pro Seite in 30 Sekunden. Schritt nach hinten, Oberkörper aufrecht, das vordere Knie über dem Fuß.",
        "Rechte Seite. Ausfallschritt nach hinten. 8 Wiederholungen pro Seite in 30 Sekunden.",
        "Letzte Runde. Seiten im Wechsel, links zuerst. Ausfallschritt. 10 Wiederholungen, 5 pro Seite.",
        "Satz 1 von 3, linke Seite. Hüftbeuger-Dehnung. 30 bis 45 Sekunden, bei etwa 60 bis 70 Prozent der maximalen Dehnung. Im Kniestand das Becken aufrichten und die Hüfte langsam nach vorn schieben.",
        "Letzter Satz, rechte Seite. Hüftbeuger-Dehnung. 45 Sekunden.",
        "Noch 10 Sekunden.",
        "Mach dich bereit.",
        "Steigerungslauf. 80 bis 100 Meter. 3 Durchgänge, bei 90 Prozent der Höchstgeschwindigkeit. Drück auf Done, wenn du fertig bist. Locker anlaufen, bis fast zum Sprint steigern, dann auslaufen.",
        "Geschafft. Gut gemacht.",
    ] {
        assert!(
            words.iter().any(|w| w == expected),
            "{expected:?} is said; the words were:\n{}",
            words.join("\n")
        );
    }
    for text in &words {
        let english: Vec<&str> = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|word| ENGLISH_WORDS.contains(word))
            .collect();
        assert!(english.is_empty(), "English {english:?} in {text:?}");
    }
}

#[test]
fn a_silent_plan_of_a_german_routine_still_shows_german_captions() {
    let plan = Plan::new(Arc::new(german_routine()), Duration::from_secs(3));
    assert_eq!(plan.language(), Language::German, "the routine's language");
    assert_eq!(
        said(&plan).first().map(String::as_str),
        Some("Mach dich bereit. Aufwärmen vor dem Lauf. Zuerst: Beinpendel vorwärts, linke Seite.")
    );
}

#[test]
fn every_language_says_the_same_plan_in_its_own_words() {
    let source = routine_with_steps(
        r#"Step(name: "Lunge", time: 20, sides: Both, sets: 2, rest_between_sets: 10)"#,
    );
    let routine = parse(&source).routine.expect("loads");
    let mut last_words = Vec::new();
    for language in Language::ALL {
        let mut routine = routine.clone();
        routine.language = Some(language);
        let plan = Plan::new(Arc::new(routine), Duration::ZERO);
        let starts = step_starts(&plan);
        assert_eq!(starts.len(), 4, "{language:?}");
        last_words.push(starts[3].clone());
    }
    assert_eq!(
        last_words,
        [
            "Last set, right side. Lunge. 20 seconds.",
            "Letzter Satz, rechte Seite. Lunge. 20 Sekunden.",
            "Dernière série, côté droit. Lunge. 20 secondes.",
            "Última serie, lado derecho. Lunge. 20 segundos.",
            "Laatste set, rechterkant. Lunge. 20 seconden.",
        ]
    );
}
