//! The sounds a routine plays, ready in memory: the built-in tones, the routine's clips
//! (decoded once) and its spoken phrases, filled in on a background thread.
//!
//! Every phrase of the plan is rendered once when the routine is opened, to measure it: the
//! voice script places speech for the whole future from those lengths, which the bank keeps.
//! Its samples (espeak-ng's 16-bit samples) are kept only while a track may need them soon
//! ([`super::window`]): the engine tells the [`Preparer`] which phrases those are as the
//! session goes on, and it renders them again ahead of need and drops those whose moment
//! has passed, so a long routine holds a few minutes of speech, not all of it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::clip::Clip;
use super::tones::Tone;
use super::voice;
use super::window;
use crate::timeline::{Plan, Voice};

/// Locks a mutex, taking the data as it is if a thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Every sound a track can use.
#[derive(Debug)]
pub struct SoundBank {
    tones: HashMap<Tone, Clip>,
    clips: HashMap<PathBuf, Option<Clip>>,
    /// The voice the phrases are in: a bank speaks one voice at a time.
    speaker: Voice,
    voice: HashMap<String, Phrase>,
}

/// A rendered phrase: its length always, its samples while they may be needed.
#[derive(Debug)]
struct Phrase {
    /// How long it takes to say, as measured when it was first rendered.
    length: Duration,
    samples: Option<Clip>,
}

impl Default for SoundBank {
    fn default() -> Self {
        Self::new()
    }
}

impl SoundBank {
    /// A bank holding the built-in tones only.
    #[must_use]
    pub fn new() -> Self {
        Self {
            tones: Tone::ALL.into_iter().map(|t| (t, t.clip())).collect(),
            clips: HashMap::new(),
            speaker: Voice::default(),
            voice: HashMap::new(),
        }
    }

    /// Speaks in `voice` from now on: the phrases of another voice are forgotten.
    pub fn set_speaker(&mut self, voice: &Voice) {
        if self.speaker != *voice {
            self.speaker = voice.clone();
            self.voice.clear();
        }
    }

    /// A built-in tone.
    #[must_use]
    pub fn tone(&self, tone: Tone) -> Clip {
        self.tones
            .get(&tone)
            .cloned()
            .unwrap_or_else(|| tone.clip())
    }

    /// A routine's clip, if it was decoded (`None` also when it could not be).
    #[must_use]
    pub fn clip(&self, path: &Path) -> Option<&Clip> {
        self.clips.get(path).and_then(Option::as_ref)
    }

    /// The voice the phrases are in.
    #[must_use]
    pub fn speaker(&self) -> &Voice {
        &self.speaker
    }

    /// A rendered phrase's samples, if they are held now.
    #[must_use]
    pub fn voice(&self, text: &str) -> Option<&Clip> {
        self.voice.get(text)?.samples.as_ref()
    }

    /// How long a phrase takes to say, once it has been rendered (held or not): the voice
    /// script places speech with these, so placement does not depend on what is held.
    #[must_use]
    pub fn voice_length(&self, text: &str) -> Option<Duration> {
        self.voice.get(text).map(|p| p.length)
    }

    /// Adds a rendered phrase, its samples held.
    pub fn insert_voice(&mut self, text: String, clip: Clip) {
        let length = clip.duration();
        self.voice.insert(
            text,
            Phrase {
                length,
                samples: Some(clip),
            },
        );
    }

    /// Adds a rendered phrase's length only (its samples are not needed soon).
    pub fn insert_voice_length(&mut self, text: String, length: Duration) {
        self.voice.insert(
            text,
            Phrase {
                length,
                samples: None,
            },
        );
    }

    /// Holds the samples of a phrase rendered again; its length stays the one measured
    /// first, which speech was placed with. Nothing happens for a phrase never measured.
    pub fn hold_voice(&mut self, text: &str, clip: Clip) {
        let Some(phrase) = self.voice.get_mut(text) else {
            return;
        };
        if clip.duration() != phrase.length {
            log::warn!(
                "\"{text}\" rendered again lasts {:?}, not {:?} as first measured",
                clip.duration(),
                phrase.length
            );
        }
        phrase.samples = Some(clip);
    }

    /// Drops the samples of every phrase `keep` does not want (their lengths stay); says
    /// how many were dropped.
    pub fn drop_voice_samples(&mut self, keep: &dyn Fn(&str) -> bool) -> usize {
        let mut dropped = 0;
        for (text, phrase) in &mut self.voice {
            if phrase.samples.is_some() && !keep(text) {
                phrase.samples = None;
                dropped += 1;
            }
        }
        dropped
    }

    /// The phrases whose samples are held.
    #[cfg(test)]
    pub fn held_voice(&self) -> impl Iterator<Item = &str> {
        self.voice
            .iter()
            .filter(|(_, p)| p.samples.is_some())
            .map(|(text, _)| text.as_str())
    }

    /// The bytes of samples it holds: tones, clips and the phrases held.
    #[must_use]
    pub fn bytes(&self) -> usize {
        let tones: usize = self.tones.values().map(Clip::bytes).sum();
        let clips: usize = self.clips.values().flatten().map(Clip::bytes).sum();
        let voice: usize = self
            .voice
            .values()
            .filter_map(|p| p.samples.as_ref())
            .map(Clip::bytes)
            .sum();
        tones + clips + voice
    }

    /// Records a clip file: decoded, or `None` when it fell back to the built-in tone.
    pub fn insert_clip(&mut self, path: PathBuf, clip: Option<Clip>) {
        self.clips.insert(path, clip);
    }

    fn has_clip(&self, path: &Path) -> bool {
        self.clips.contains_key(path)
    }
}

/// What preparing a plan takes: its clip files and the texts it speaks.
#[derive(Clone, Debug, Default)]
pub struct Preparation {
    /// Clip files (the routine's replacement sounds and the steps' sounds).
    pub clips: Vec<PathBuf>,
    /// Texts to render (and measure), in the order they are first needed.
    pub texts: Vec<String>,
    /// Those whose samples a session started now needs soon ([`window::at_start`]).
    pub soon: Vec<String>,
    /// The voice they are said in.
    pub voice: Voice,
}

impl Preparation {
    /// Everything `plan` plays; `voice` false leaves the texts out.
    #[must_use]
    pub fn for_plan(plan: &Plan, voice: bool) -> Self {
        let routine = &plan.routine;
        let sounds = &routine.sounds;
        let mut clips: Vec<PathBuf> = [
            &sounds.start,
            &sounds.countdown,
            &sounds.switch,
            &sounds.halfway,
            &sounds.rep,
            &sounds.finish,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .chain(routine.steps().filter_map(|(_, step)| step.sound.clone()))
        .collect();
        clips.sort();
        clips.dedup();
        Self {
            clips,
            voice: plan.voice().cloned().unwrap_or_default(),
            texts: if voice {
                crate::timeline::script::plan_texts(plan)
            } else {
                Vec::new()
            },
            soon: if voice {
                window::at_start(plan)
            } else {
                Vec::new()
            },
        }
    }
}

/// How far preparation has got.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Phrases rendered (or found in the cache) so far.
    pub texts_done: usize,
    /// Phrases to render.
    pub texts_total: usize,
    /// Time spent so far on this plan (clips and phrases).
    pub elapsed: Duration,
    /// Whether everything is ready.
    pub finished: bool,
    /// Set when no phrase can be spoken (espeak-ng missing): beeps only.
    pub voice_unavailable: Option<String>,
    /// Clips that could not be decoded and phrases that could not be rendered.
    pub warnings: Vec<String>,
}

/// Decodes `prep`'s clips and renders its texts into `bank`, skipping what is there already:
/// every text is measured, and its samples held when `keep` wants them (asked as each is
/// rendered). `cancelled` is asked between items; `report` is told after each one.
pub fn prepare(
    bank: &Mutex<SoundBank>,
    prep: &Preparation,
    keep: &dyn Fn(&str) -> bool,
    cancelled: &dyn Fn() -> bool,
    report: &mut dyn FnMut(&Progress),
) -> Progress {
    let started = Instant::now();
    let mut progress = Progress {
        texts_total: prep.texts.len(),
        ..Progress::default()
    };
    lock(bank).set_speaker(&prep.voice);
    for path in &prep.clips {
        if cancelled() {
            return progress;
        }
        if lock(bank).has_clip(path) {
            continue;
        }
        let clip = match Clip::decode_file(path) {
            Ok(clip) => Some(clip),
            Err(e) => {
                let warning = format!("{e}; the built-in sound plays instead ({})", path.display());
                log::warn!("{warning}");
                progress.warnings.push(warning);
                None
            }
        };
        lock(bank).insert_clip(path.clone(), clip);
    }
    for text in &prep.texts {
        if cancelled() {
            return progress;
        }
        let (measured, held) = {
            let bank = lock(bank);
            (
                bank.voice_length(text).is_some(),
                bank.voice(text).is_some(),
            )
        };
        let wanted = !held && keep(text);
        if (!measured || wanted) && progress.voice_unavailable.is_none() {
            match voice::render(text, &prep.voice) {
                Ok(clip) if measured => lock(bank).hold_voice(text, clip),
                Ok(clip) if wanted => lock(bank).insert_voice(text.clone(), clip),
                Ok(clip) => lock(bank).insert_voice_length(text.clone(), clip.duration()),
                Err(e) if e.is_missing() => {
                    log::warn!("{e}");
                    progress.voice_unavailable = Some(e.to_string());
                }
                Err(e) => {
                    let warning = format!("{e} (saying \"{text}\")");
                    log::warn!("{warning}");
                    progress.warnings.push(warning);
                }
            }
        }
        progress.texts_done += 1;
        progress.elapsed = started.elapsed();
        report(&progress);
    }
    progress.elapsed = started.elapsed();
    progress.finished = true;
    report(&progress);
    progress
}

/// Prepares plans on a background thread; a newer plan cancels an older one. The same
/// thread renders again the phrases the session will need soon ([`Self::hold`]).
#[derive(Debug)]
pub struct Preparer {
    shared: Arc<Shared>,
    jobs: Option<Sender<Job>>,
}

/// What the preparation thread is asked to do.
#[derive(Debug)]
enum Job {
    /// Prepare a plan (numbered: only the latest runs).
    Prepare(u64, Preparation),
    /// Hold the samples of the wanted phrases, and only those.
    Hold,
}

#[derive(Debug)]
struct Shared {
    bank: Mutex<SoundBank>,
    progress: Mutex<Progress>,
    latest: AtomicU64,
    /// Bumped whenever the bank gains something.
    version: AtomicU64,
    /// The phrases whose samples are wanted, soonest first.
    wanted: Mutex<Vec<String>>,
    /// Hold jobs asked for and not yet done.
    holds: AtomicUsize,
    /// The bank was changed by hand (a test's fake voice, which espeak-ng cannot say again):
    /// its phrases are all kept.
    by_hand: AtomicBool,
}

impl Preparer {
    /// Starts the thread (if it cannot start, preparation runs on the caller's thread).
    #[must_use]
    pub fn new() -> Self {
        let shared = Arc::new(Shared {
            bank: Mutex::new(SoundBank::new()),
            progress: Mutex::new(Progress {
                finished: true,
                ..Progress::default()
            }),
            latest: AtomicU64::new(0),
            version: AtomicU64::new(0),
            wanted: Mutex::new(Vec::new()),
            holds: AtomicUsize::new(0),
            by_hand: AtomicBool::new(false),
        });
        let (tx, rx) = mpsc::channel();
        let worker = Arc::clone(&shared);
        let jobs = std::thread::Builder::new()
            .name("limberup-audio-prepare".to_owned())
            .spawn(move || work(&worker, &rx))
            .map_err(|e| log::warn!("cannot start the audio preparation thread: {e}"))
            .ok()
            .map(|_| tx);
        Self { shared, jobs }
    }

    /// Starts preparing `prep`, dropping any older preparation still under way; the
    /// phrases wanted are its [`Preparation::soon`] until [`Self::hold`] says otherwise.
    pub fn prepare(&mut self, prep: Preparation) {
        let job = self.shared.latest.fetch_add(1, Ordering::SeqCst) + 1;
        *lock(&self.shared.progress) = Progress {
            texts_total: prep.texts.len(),
            ..Progress::default()
        };
        lock(&self.shared.wanted).clone_from(&prep.soon);
        self.send(Job::Prepare(job, prep));
    }

    /// Holds the samples of `texts` (soonest first), rendering again those not held, and
    /// drops every other phrase's; their lengths stay. Cheap when nothing changed.
    pub fn hold(&mut self, texts: Vec<String>) {
        {
            let mut wanted = lock(&self.shared.wanted);
            if *wanted == texts {
                return;
            }
            *wanted = texts;
        }
        self.shared.holds.fetch_add(1, Ordering::SeqCst);
        self.send(Job::Hold);
    }

    fn send(&self, job: Job) {
        let rejected = match &self.jobs {
            Some(jobs) => jobs.send(job).err().map(|e| e.0),
            None => Some(job),
        };
        if let Some(job) = rejected {
            do_job(&self.shared, job);
        }
    }

    /// How far the latest preparation has got.
    #[must_use]
    pub fn progress(&self) -> Progress {
        lock(&self.shared.progress).clone()
    }

    /// Set when no phrase can be spoken (cheaper than [`Self::progress`], for every frame).
    #[must_use]
    pub fn voice_unavailable(&self) -> Option<String> {
        lock(&self.shared.progress).voice_unavailable.clone()
    }

    /// Whether the latest preparation is complete and the phrases wanted are held (or
    /// cannot be).
    #[must_use]
    pub fn is_finished(&self) -> bool {
        lock(&self.shared.progress).finished && self.shared.holds.load(Ordering::SeqCst) == 0
    }

    /// Changes whenever the bank gains a sound.
    #[must_use]
    pub fn version(&self) -> u64 {
        self.shared.version.load(Ordering::SeqCst)
    }

    /// Changes the bank directly (tests put a fake voice in).
    #[cfg(test)]
    pub(crate) fn with_bank_mut<T>(&self, f: impl FnOnce(&mut SoundBank) -> T) -> T {
        self.shared.version.fetch_add(1, Ordering::SeqCst);
        self.shared.by_hand.store(true, Ordering::SeqCst);
        f(&mut lock(&self.shared.bank))
    }

    /// Looks at the bank.
    pub fn with_bank<T>(&self, f: impl FnOnce(&SoundBank) -> T) -> T {
        f(&lock(&self.shared.bank))
    }
}

impl Default for Preparer {
    fn default() -> Self {
        Self::new()
    }
}

fn work(shared: &Shared, jobs: &Receiver<Job>) {
    while let Ok(job) = jobs.recv() {
        do_job(shared, job);
    }
}

fn do_job(shared: &Shared, job: Job) {
    match job {
        Job::Prepare(job, prep) => {
            if job == shared.latest.load(Ordering::SeqCst) {
                run(shared, job, &prep);
            }
        }
        Job::Hold => {
            hold(shared);
            shared.holds.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn run(shared: &Shared, job: u64, prep: &Preparation) {
    let cancelled = || shared.latest.load(Ordering::SeqCst) != job;
    let keep = |text: &str| lock(&shared.wanted).iter().any(|w| w == text);
    let mut report = |p: &Progress| {
        shared.version.fetch_add(1, Ordering::SeqCst);
        if !cancelled() {
            *lock(&shared.progress) = p.clone();
        }
    };
    let progress = prepare(&shared.bank, prep, &keep, &cancelled, &mut report);
    if !cancelled() {
        // Phrases measured before they were wanted, and wanted no longer.
        hold(shared);
        shared.version.fetch_add(1, Ordering::SeqCst);
        *lock(&shared.progress) = progress;
    }
}

/// Drops the samples of phrases not wanted, then renders again, soonest first, the wanted
/// phrases already measured but not held (one not measured yet is held when it is).
fn hold(shared: &Shared) {
    if shared.by_hand.load(Ordering::SeqCst) {
        return;
    }
    let wanted = lock(&shared.wanted).clone();
    let speaker = {
        let mut bank = lock(&shared.bank);
        let dropped = bank.drop_voice_samples(&|text| wanted.iter().any(|w| w == text));
        log::debug!(
            "{dropped} phrases dropped, {} wanted; {} KiB of sound held",
            wanted.len(),
            bank.bytes() / 1024
        );
        bank.speaker().clone()
    };
    if lock(&shared.progress).voice_unavailable.is_some() {
        return;
    }
    for text in &wanted {
        let needed = {
            let bank = lock(&shared.bank);
            bank.voice_length(text).is_some() && bank.voice(text).is_none()
        };
        // Asked again each time: a newer hold may no longer want it.
        if !needed || !lock(&shared.wanted).contains(text) {
            continue;
        }
        match voice::render(text, &speaker) {
            Ok(clip) => {
                let mut bank = lock(&shared.bank);
                // The plan (and its voice) may have changed meanwhile.
                if *bank.speaker() == speaker {
                    bank.hold_voice(text, clip);
                }
                shared.version.fetch_add(1, Ordering::SeqCst);
            }
            Err(e) => log::warn!("{e} (saying \"{text}\" again)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::track::{SoundKind, cue_sound};
    use crate::routine::{self, LoadOptions};
    use crate::timeline::{Cue, CueKind, DEFAULT_LEAD_IN};

    fn write_wav(path: &Path, channels: u16, rate_hz: u32, frames: &[(f32, f32)]) {
        let spec = hound::WavSpec {
            channels,
            sample_rate: rate_hz,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer = hound::WavWriter::create(path, spec).unwrap();
        for &(l, r) in frames {
            writer
                .write_sample(crate::audio::export::to_i16(l))
                .unwrap();
            if channels == 2 {
                writer
                    .write_sample(crate::audio::export::to_i16(r))
                    .unwrap();
            }
        }
        writer.finalize().unwrap();
    }

    #[test]
    fn clips_decode_to_mono_at_their_own_rate() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ding.wav");
        write_wav(&path, 2, 44_100, &[(0.5, 0.1); 441]);
        let clip = Clip::decode_file(&path).unwrap();
        assert_eq!(
            (clip.rate_hz(), clip.samples().len()),
            (44_100, 441),
            "10 ms at 44.1 kHz"
        );
        assert!(
            (clip.samples()[0] - 0.3).abs() < 1e-3,
            "channels averaged: {}",
            clip.samples()[0]
        );
    }

    #[test]
    fn routine_clips_replace_tones_and_a_broken_one_falls_back_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        write_wav(
            &dir.path().join("go.wav"),
            1,
            22_050,
            &vec![(0.25, 0.0); 2205],
        );
        // Starts like a WAV (the loader's check) but is not one.
        std::fs::write(
            dir.path().join("pip.wav"),
            b"RIFF\x10\x00\x00\x00WAVEjunk and more junk",
        )
        .unwrap();
        let source = r#"Routine(format: 1, title: "Clips", sounds: (start: "go.wav", countdown: "pip.wav"),
            sections: [Section(title: "S", steps: [Step(name: "A", instruction: "Do it.", time: 10)])])"#;
        let path = dir.path().join("clips.ron");
        std::fs::write(&path, source).unwrap();
        let loaded = routine::load(&path, LoadOptions::default());
        let routine = loaded
            .routine
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        let plan = Plan::new(std::sync::Arc::new(routine), DEFAULT_LEAD_IN);
        let bank = Mutex::new(SoundBank::new());
        let progress = prepare(
            &bank,
            &Preparation::for_plan(&plan, false),
            &|_| true,
            &|| false,
            &mut |_| {},
        );
        assert_eq!(progress.warnings.len(), 1, "{:?}", progress.warnings);
        assert!(
            progress.warnings[0].contains("pip.wav") && progress.warnings[0].contains("built-in"),
            "{}",
            progress.warnings[0]
        );
        let bank = bank.into_inner().unwrap();
        let cue = |kind| Cue {
            segment: 1,
            at: Duration::ZERO,
            kind,
        };
        let (kind, clip) = cue_sound(&plan, &cue(CueKind::StepStart), &bank).unwrap();
        assert_eq!(
            kind,
            SoundKind::Clip(dir.path().join("go.wav")),
            "the routine's start clip"
        );
        assert_eq!(clip.samples().len(), 2205, "decoded once, whole");
        let (kind, _) = cue_sound(&plan, &cue(CueKind::Countdown(3)), &bank).unwrap();
        assert_eq!(
            kind,
            SoundKind::Tone(Tone::Pip),
            "the broken clip falls back to the pip"
        );
    }

    #[test]
    fn dropping_samples_keeps_lengths_so_speech_is_placed_as_before() {
        use crate::audio::track::tests::{check_plan, fake_voice_bank};
        use crate::audio::track::{PlacedSound, TrackOptions, lay_out};
        use crate::timeline::{ScheduledCue, schedule};
        let plan = check_plan();
        let cues: Vec<ScheduledCue> = schedule(&plan)
            .into_iter()
            .map(|c| ScheduledCue {
                cue: c.cue,
                at: c.offset,
            })
            .collect();
        let options = TrackOptions {
            voice: true,
            beeps: true,
        };
        let mut bank = fake_voice_bank(&plan);
        let full = bank.bytes();
        let said = |bank: &SoundBank| -> Vec<(Duration, String)> {
            let layout = lay_out(&plan, &cues, Duration::ZERO, bank, options, &[]);
            let mut lines: Vec<(Duration, String)> = layout
                .sounds
                .iter()
                .filter(|s| s.is_voice())
                .map(|s: &PlacedSound| (s.at, format!("{:?}", s.kind)))
                .chain(
                    layout
                        .unrendered
                        .iter()
                        .map(|l| (l.at, format!("{:?}", SoundKind::Voice(l.text.clone())))),
                )
                .collect();
            lines.sort();
            lines
        };
        let before = said(&bank);
        let dropped = bank.drop_voice_samples(&|text| text.starts_with("Get ready"));
        assert!(dropped > 10, "dropped {dropped}");
        assert_eq!(said(&bank), before, "every phrase where it was");
        let tones = SoundBank::new().bytes();
        assert!(
            bank.bytes() - tones < (full - tones) / 4,
            "{} of {full} bytes held, {tones} of them the tones'",
            bank.bytes()
        );
        let layout = lay_out(&plan, &cues, Duration::ZERO, &bank, options, &[]);
        assert!(
            !layout.missing_voice && !layout.unrendered.is_empty(),
            "measured, awaiting their samples"
        );
        let held: usize = bank
            .held_voice()
            .filter_map(|t| bank.voice(t))
            .map(Clip::bytes)
            .sum();
        assert_eq!(
            bank.bytes(),
            SoundBank::new().bytes() + held,
            "the tones and the phrases held"
        );
    }

    #[test]
    fn a_newer_plan_cancels_an_older_preparation() {
        let mut preparer = Preparer::new();
        let many = Preparation {
            clips: Vec::new(),
            texts: (0..500).map(|i| format!("Phrase {i}.")).collect(),
            soon: Vec::new(),
            voice: Voice::default(),
        };
        preparer.prepare(many);
        preparer.prepare(Preparation::default());
        let started = Instant::now();
        while !preparer.progress().finished {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the empty plan finishes"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(
            preparer.progress().texts_total,
            0,
            "the progress is the newer plan's"
        );
    }
}
