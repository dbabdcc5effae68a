//! Which phrases the bank holds samples for: those a track may need soon.
//!
//! A track holds the sounds of the next [`HORIZON`] (90 s) and is renewed before it runs
//! out, at its first quiet moment [`RENEW_AFTER`] (30 s) on. So a track built at any moment
//! needs the samples of the phrases laid out up to 90 s ahead; the engine asks for those of
//! the next [`WINDOW`] at each rebuild, and for what a press can bring at once. Everything
//! else keeps only its length, which the voice script places speech with.

use std::collections::HashSet;
use std::time::Duration;

use super::track::{Layout, SoundKind};
#[cfg(doc)]
use super::{HORIZON, RENEW_AFTER};
use crate::timeline::phrases::Phrases;
use crate::timeline::script::announcement_forms;
use crate::timeline::{Plan, schedule};

/// How far ahead of the player the bank holds the phrases laid out: three minutes.
///
/// Twice the track's [`HORIZON`] (90 s). A track is rebuilt at least every horizon while it
/// has sounds beyond it (renewed from [`RENEW_AFTER`] on, or sooner on a command), and each
/// rebuild asks for the next three minutes again; so when a track is built, the phrases of
/// its 90 s were asked for at least 90 s before, while rendering them takes well under a
/// second (espeak-ng says a phrase in about 15 ms). A longer window only holds more.
pub const WINDOW: Duration = Duration::from_mins(3);

/// The phrases whose samples the bank should hold while the player is at `now` in
/// `segment`, soonest first: those `layout` places (with samples or awaiting them) from
/// under way at `now` to [`WINDOW`] ahead, then those a press can bring at once
/// ([`standby`]) in any segment the player reaches meanwhile.
#[must_use]
pub fn wanted(plan: &Plan, layout: &Layout, now: Duration, segment: usize) -> Vec<String> {
    let until = now + WINDOW;
    // The track may not be built again before the player reaches the last segment laid
    // out in the window (a step that waits for Done ends the layout): a press there must
    // find its words too.
    let reached = layout
        .sounds
        .iter()
        .filter(|s| s.at < until)
        .map(|s| s.cue.segment)
        .chain(
            layout
                .unrendered
                .iter()
                .filter(|l| l.at < until)
                .map(|l| l.cue.segment),
        )
        .fold(segment, usize::max);
    let mut lines: Vec<(Duration, &str)> = layout
        .sounds
        .iter()
        .filter(|s| s.end() > now && s.at < until)
        .filter_map(|s| match &s.kind {
            SoundKind::Voice(text) => Some((s.at, text.as_str())),
            _ => None,
        })
        .chain(
            layout
                .unrendered
                .iter()
                .filter(|l| l.end() > now && l.at < until)
                .map(|l| (l.at, l.text.as_str())),
        )
        .collect();
    lines.sort_by_key(|&(at, _)| at);
    distinct(
        lines
            .into_iter()
            .map(|(_, text)| text.to_owned())
            .chain(standby(plan, segment, reached)),
    )
}

/// What a press can make due at once while the player is between segments `first` and
/// `last`, so its words are ready before it: every form of the announcements of those
/// segments, the one before and the one after (Done, Next, Back and Restart go there; a
/// Done on the last step finishes), and the "get ready" a resume says.
#[must_use]
pub fn standby(plan: &Plan, first: usize, last: usize) -> Vec<String> {
    let near = first.saturating_sub(1)..=last + 1;
    distinct(
        schedule(plan)
            .iter()
            .filter(|c| near.contains(&c.cue.segment))
            .flat_map(|c| announcement_forms(plan, &c.cue))
            .chain([Phrases::of(plan.language()).get_ready.to_owned()]),
    )
}

/// The phrases a session started now needs soon, before anything is measured: every form
/// of the cues planned in the first [`WINDOW`] (speech is placed near its cue), and the
/// [`standby`] of the segments they reach.
#[must_use]
pub fn at_start(plan: &Plan) -> Vec<String> {
    let soon: Vec<_> = schedule(plan)
        .into_iter()
        .filter(|c| c.offset < WINDOW)
        .collect();
    let reached = soon.iter().map(|c| c.cue.segment).max().unwrap_or(0);
    distinct(
        soon.iter()
            .flat_map(|c| announcement_forms(plan, &c.cue))
            .chain(standby(plan, 0, reached)),
    )
}

/// `texts` in order, each once.
fn distinct(texts: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    texts.filter(|t| seen.insert(t.clone())).collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;
    use std::sync::Mutex;
    use std::time::Instant;

    use super::*;
    use crate::audio::bank::{self, Preparation, SoundBank};
    use crate::audio::{AudioSettings, Clip, CueAudio, HORIZON};
    use crate::routine::{self, LoadOptions};
    use crate::settings::Settings;
    use crate::timeline::{CueKind, Phase, Player, announcement};

    const MIB: f64 = 1024.0 * 1024.0;

    /// The bundled pre-run warm-up, planned as the app plans it with the default settings.
    fn pre_run_warm_up() -> Arc<Plan> {
        bundled("pre-run-warmup.ron")
    }

    /// A bundled routine, planned as the app plans it with the default settings.
    fn bundled(file: &str) -> Arc<Plan> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("routines")
            .join(file);
        let options = LoadOptions {
            library: crate::library::exercise_library(),
            ..LoadOptions::default()
        };
        let loaded = routine::load(&path, options);
        let routine = loaded
            .routine
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        Arc::new(Plan::with_options(
            Arc::new(routine),
            Settings::default().plan_options(),
        ))
    }

    /// Waits until the engine's preparer has nothing left to do.
    fn settle(audio: &CueAudio) {
        let started = Instant::now();
        while !audio.preparer.is_finished() {
            assert!(
                started.elapsed() < Duration::from_mins(2),
                "the preparer finishes"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    #[expect(
        clippy::print_stderr,
        reason = "the figures, for whoever measures memory"
    )]
    fn a_whole_session_holds_a_few_minutes_of_speech_and_hears_every_phrase() {
        let plan = pre_run_warm_up();
        // Every phrase held, as the bank did before: the measure to compare with.
        let all = Mutex::new(SoundBank::new());
        let prepared = bank::prepare(
            &all,
            &Preparation::for_plan(&plan, true),
            &|_| true,
            &|| false,
            &mut |_| {},
        );
        if prepared.voice_unavailable.is_some() {
            // No espeak-ng here (CI installs it): nothing to measure.
            return;
        }
        let all = all.into_inner().unwrap();
        let tones = SoundBank::new().bytes();
        let phrases: Vec<&Clip> = all.held_voice().filter_map(|t| all.voice(t)).collect();
        assert!(
            phrases.iter().all(|c| c.is_pcm16()),
            "espeak-ng's phrases are held as 16-bit"
        );
        let all_pcm16 = all.bytes();
        // The same phrases as floats, as the bank held them before: twice the bytes.
        let all_f32 = all_pcm16 + phrases.iter().map(|c| c.bytes()).sum::<usize>();
        assert!(
            all.held_voice().count() > 100,
            "the warm-up's phrases, short forms too"
        );

        let mut audio = CueAudio::silent(AudioSettings::default());
        audio.prepare(&plan);
        settle(&audio);
        assert!(audio.is_ready(), "the opening is rendered");
        let prepared_bytes = audio.preparer.with_bank(SoundBank::bytes);
        let mut player = Player::new(Arc::clone(&plan), Duration::from_secs(3));
        player.start(Duration::ZERO);
        let mut peak = prepared_bytes;
        let mut heard: Vec<(usize, CueKind, String)> = Vec::new();
        let mut now = Duration::ZERO;
        let mut presses = 0;
        let step = Duration::from_secs(1);
        // Until the finish (chime, then words) has been said.
        let mut ends = None;
        while ends.is_none_or(|end| now < end) {
            assert!(now < Duration::from_hours(3), "the routine ends");
            let status = player.status(now);
            if status.phase == Phase::Finished {
                ends.get_or_insert(now + Duration::from_secs(10));
            }
            let segment = &plan.segments[status.segment];
            let press = status.phase != Phase::Finished
                && segment.waits_for_done()
                && status.elapsed >= segment.estimate;
            if press {
                player.done(now);
                presses += 1;
            }
            let _ = player.tick(now);
            audio.sync(&player, now);
            let playing = audio.playing.as_ref().expect("a track");
            // A press brings the rest of the routine forward: what follows its first words
            // (held in standby) is rendered then, and the track built again with it.
            assert!(
                !playing.missing_voice || press,
                "at {now:?}: every phrase of the track's {HORIZON:?} is held when it is built"
            );
            for sound in audio.laid_out() {
                if let SoundKind::Voice(text) = &sound.kind
                    && (now..now + step).contains(&sound.at)
                {
                    heard.push((sound.cue.segment, sound.cue.kind, text.clone()));
                }
            }
            // The preparation thread renders ahead meanwhile (a second is ample).
            settle(&audio);
            peak = peak.max(audio.preparer.with_bank(SoundBank::bytes));
            now += step;
        }
        // Measured: 5.1 MiB at most (4.1 MiB once prepared), 0.5 MiB of it the built-in
        // tones; half as much again for headroom.
        let bound = 15 * 1024 * 1024 / 2;
        eprintln!(
            "pre-run warm-up: tones {:.2} MiB; with every phrase as floats {:.1} MiB, as \
             16-bit {:.1} MiB; held when prepared {:.2} MiB, at most {:.2} MiB over {:?}",
            tones as f64 / MIB,
            all_f32 as f64 / MIB,
            all_pcm16 as f64 / MIB,
            prepared_bytes as f64 / MIB,
            peak as f64 / MIB,
            now
        );
        assert!(
            presses >= 5,
            "the jog and the strides wait for Done: {presses}"
        );
        assert!(
            peak <= bound && all_f32 > 4 * bound,
            "held at most {peak} bytes, every phrase as floats {all_f32}"
        );
        // Every announcement the routine makes is heard, whole.
        for planned in schedule(&plan) {
            let cue = planned.cue;
            if matches!(
                cue.kind,
                CueKind::StepStart | CueKind::RestStart | CueKind::GetReady | CueKind::Finished
            ) {
                let full = announcement(&plan, &cue).expect("it speaks");
                assert!(
                    heard.contains(&(cue.segment, cue.kind, full.clone())),
                    "segment {} {:?}: \"{full}\" heard",
                    cue.segment,
                    cue.kind
                );
            }
        }
    }

    /// A command the athlete gives at a moment.
    type Press = fn(&mut Player, Duration);

    #[test]
    fn presses_find_their_words_held_even_while_the_preparer_lags() {
        let plan = bundled("quick-pre-run-warmup.ron");
        let mut audio = CueAudio::silent(AudioSettings::default());
        audio.prepare(&plan);
        settle(&audio);
        if audio.preparer.voice_unavailable().is_some() {
            return;
        }
        let mut player = Player::new(Arc::clone(&plan), Duration::from_secs(3));
        player.start(Duration::ZERO);
        // The real-playback test's presses: Done, +10 s, Next, Back, pause and resume.
        let ms = Duration::from_millis;
        let presses: [(Duration, Press); 6] = [
            (ms(22_000), Player::done),
            (ms(44_000), |p, now| {
                p.add_time(Duration::from_secs(10), now);
            }),
            (ms(78_000), Player::next),
            (ms(82_500), Player::previous),
            (ms(88_500), Player::pause),
            (ms(91_000), Player::resume),
        ];
        let step = ms(20);
        let mut now = Duration::ZERO;
        while now < ms(108_000) {
            for (at, press) in &presses {
                if (now..now + step).contains(at) {
                    press(&mut player, *at);
                }
            }
            let _ = player.tick(now);
            audio.sync(&player, now);
            // No waiting for the preparer: it runs as it would beside a real session.
            let playing = audio.playing.as_ref().expect("a track");
            for (at, text) in &playing.unrendered {
                assert!(
                    *at > now + Duration::from_millis(500),
                    "at {now:?}: \"{text}\" due at {at:?} is not rendered"
                );
            }
            // An eighth of real time for the preparer: harsher than a real session.
            std::thread::sleep(step / 8);
            now += step;
        }
    }
}
