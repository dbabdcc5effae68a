//! The session as the desktop's media controls show it, and their keys as the window's
//! commands. Pure: the tests need neither a bus nor a window.

use std::time::Duration;

use super::command::Command;
use super::state::{Page, State};
use crate::media_controls::{MediaKey, NowPlaying};
use crate::text::clock;
use crate::timeline::cue::MOVING_ON_BEFORE;
use crate::timeline::{Phase, Segment, SegmentKind};

/// The title the player shows for a segment ("Rest", "Get ready", a step's name).
pub(super) fn shown_title(segment: &Segment) -> String {
    match segment.kind {
        SegmentKind::Work => segment.title.clone(),
        SegmentKind::Rest => "Rest".to_owned(),
        SegmentKind::Switch => "Switch sides".to_owned(),
        SegmentKind::LeadIn => "Get ready".to_owned(),
        SegmentKind::Position => "Get into position".to_owned(),
    }
}

/// What a Done step that moves on by itself says about it, given its time left: "Moves on
/// by itself in 1:20", then, in its last [`MOVING_ON_BEFORE`] (when Done keeps it
/// waiting), "Moving on in 8 s · Done to wait" and `true`. `None` for one that waits.
pub(super) fn moving_on_hint(remaining: Option<Duration>) -> Option<(String, bool)> {
    let left = remaining?;
    Some(if left <= MOVING_ON_BEFORE {
        let secs = left.as_millis().div_ceil(1000);
        (format!("Moving on in {secs} s · Done to wait"), true)
    } else {
        (format!("Moves on by itself in {}", clock(left)), false)
    })
}

/// The window's command for a media key, as the player's buttons would give it.
pub(super) fn command_for(key: MediaKey) -> Command {
    match key {
        MediaKey::PlayPause => Command::TogglePause,
        MediaKey::Play => Command::Resume,
        // Stop pauses: ending a session (and its record) is asked for in the window.
        MediaKey::Pause | MediaKey::Stop => Command::Pause,
        // Done on a Done step, the next step anywhere else.
        MediaKey::Next => Command::DoneOrNext,
        MediaKey::Previous => Command::Previous,
        MediaKey::Raise => Command::Raise,
    }
}

impl State {
    /// What the desktop shows while a session plays; `None` on every other screen, so the
    /// player leaves the desktop when the session ends.
    pub(super) fn now_playing(&self, now: Duration) -> Option<NowPlaying> {
        let Page::Player(page) = &self.page else {
            return None;
        };
        let session = &page.session;
        let player = session.player();
        let status = player.status(now);
        let segment = player.segment();
        let mut step = shown_title(segment);
        if let (SegmentKind::Work, Some(side)) = (segment.kind, segment.side) {
            step = format!("{step} · {side} side");
        }
        let time = match status.remaining {
            _ if segment.waits_for_done() => moving_on_hint(status.remaining)
                .map_or_else(|| "Press Done when finished".to_owned(), |(hint, _)| hint),
            Some(left) => format!("{} left", clock(left)),
            None => "Press Done when finished".to_owned(),
        };
        let (detail, playing) = match status.phase {
            Phase::Paused => (format!("Paused · {time}"), false),
            Phase::GettingReady { .. } => (format!("Get ready · {time}"), true),
            Phase::Ready => ("Starting the sound…".to_owned(), true),
            Phase::Running | Phase::Finished => (time, true),
        };
        Some(NowPlaying {
            routine: session.routine().title.clone(),
            step,
            detail,
            segment: status.segment,
            length: status.duration,
            position: status.elapsed,
            playing,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::app::command::At;
    use crate::app::state::tests::state_with_routine;

    fn at(secs: u64) -> At {
        At {
            now: Duration::from_secs(secs),
            wall: SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs),
        }
    }

    fn segment(state: &State) -> &Segment {
        state.session().unwrap().player().segment()
    }

    /// The quick pre-run warm-up playing from 0 s, on its first step (the slow jog, a Done
    /// step), the lead-in skipped.
    fn playing() -> State {
        let mut state = state_with_routine();
        state.apply(Command::Start("quick-pre-run-warmup".to_owned()), at(0));
        state.run_session(true, Duration::ZERO);
        while segment(&state).kind != SegmentKind::Work {
            state.apply(Command::Next, at(0));
        }
        state
    }

    #[test]
    fn only_a_playing_session_is_shown() {
        let state = state_with_routine();
        assert_eq!(state.now_playing(Duration::ZERO), None);
        let mut state = playing();
        assert!(state.now_playing(Duration::ZERO).is_some());
        state.apply(Command::Stop, at(5));
        assert_eq!(
            state.now_playing(Duration::from_secs(5)),
            None,
            "the finish screen"
        );
    }

    #[test]
    fn a_done_step_says_what_it_waits_for_and_the_next_key_completes_it() {
        let mut state = playing();
        let shown = state.now_playing(Duration::from_secs(20)).unwrap();
        assert_eq!(shown.routine, "Quick pre-run warm-up");
        assert_eq!(shown.step, "Slow jog");
        assert_eq!(shown.detail, "Press Done when finished");
        assert_eq!(shown.length, None);
        assert_eq!(shown.position, Duration::from_secs(20));
        assert!(shown.playing);

        let jog = shown.segment;
        state.apply(command_for(MediaKey::Next), at(20));
        let record = state
            .session()
            .unwrap()
            .player()
            .record(Duration::from_secs(20));
        assert_eq!(
            record.segments.last().map(|s| (s.segment, s.outcome)),
            Some((jog, crate::timeline::Outcome::Completed)),
            "Next on a Done step is Done, not a skip"
        );
        let shown = state.now_playing(Duration::from_secs(23)).unwrap();
        assert_eq!(shown.segment, jog + 1);
        assert_eq!(
            (shown.step.as_str(), shown.detail.as_str()),
            ("Rest", "0:07 left")
        );
        assert_eq!(shown.length, Some(Duration::from_secs(10)));
    }

    #[test]
    fn a_side_is_named_with_its_step() {
        let mut state = playing();
        while segment(&state).side.is_none() || segment(&state).kind != SegmentKind::Work {
            state.apply(Command::Next, at(0));
        }
        let shown = state.now_playing(Duration::ZERO).unwrap();
        assert_eq!(shown.step, "Forward leg swings · left side");
        assert_eq!(shown.detail, "0:15 left", "10 reps of 1.5 s");
    }

    #[test]
    fn play_pause_pauses_and_resumes_with_the_count_in() {
        let mut state = playing();
        state.apply(command_for(MediaKey::Next), at(10));
        state.apply(command_for(MediaKey::PlayPause), at(13));
        let shown = state.now_playing(Duration::from_secs(40)).unwrap();
        assert_eq!(
            shown.detail, "Paused · 0:07 left",
            "the time stops at the pause"
        );
        assert!(!shown.playing);
        // Play while paused resumes; the count-in runs before the time does.
        state.apply(command_for(MediaKey::Play), at(40));
        let shown = state.now_playing(Duration::from_secs(41)).unwrap();
        assert!(shown.playing);
        assert_eq!(shown.detail, "Get ready · 0:07 left");
        // Play when playing changes nothing; Pause and Stop both pause.
        state.apply(command_for(MediaKey::Play), at(41));
        assert!(state.now_playing(Duration::from_secs(41)).unwrap().playing);
        state.apply(command_for(MediaKey::Stop), at(50));
        assert!(!state.now_playing(Duration::from_secs(50)).unwrap().playing);
        assert!(state.is_playing(), "Stop leaves the session on its screen");
        state.apply(command_for(MediaKey::Play), at(60));
        state.apply(command_for(MediaKey::Pause), at(61));
        assert!(!state.now_playing(Duration::from_secs(70)).unwrap().playing);
    }

    #[test]
    fn a_done_step_that_moves_on_says_when() {
        assert_eq!(moving_on_hint(None), None);
        assert_eq!(
            moving_on_hint(Some(Duration::from_secs(80))),
            Some(("Moves on by itself in 1:20".to_owned(), false))
        );
        assert_eq!(
            moving_on_hint(Some(Duration::from_secs(10))),
            Some(("Moving on in 10 s · Done to wait".to_owned(), true))
        );
        assert_eq!(
            moving_on_hint(Some(Duration::from_millis(7_200))),
            Some(("Moving on in 8 s · Done to wait".to_owned(), true))
        );
    }

    #[test]
    fn previous_is_back_and_raise_brings_the_window_up() {
        assert_eq!(command_for(MediaKey::Previous), Command::Previous);
        let mut state = playing();
        assert!(matches!(
            state.apply(command_for(MediaKey::Raise), at(1))[..],
            [super::super::command::Effect::RaiseWindow]
        ));
    }
}
