//! The sounds a routine plays, ready in memory: the built-in tones, the routine's clips
//! (decoded once) and its spoken phrases (rendered once), filled in on a background thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::clip::Clip;
use super::tones::Tone;
use super::voice;
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
    voice: HashMap<String, Clip>,
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

    /// A rendered phrase.
    #[must_use]
    pub fn voice(&self, text: &str) -> Option<&Clip> {
        self.voice.get(text)
    }

    /// Adds a rendered phrase.
    pub fn insert_voice(&mut self, text: String, clip: Clip) {
        self.voice.insert(text, clip);
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
    /// Texts to render, in the order they are first needed.
    pub texts: Vec<String>,
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

/// Decodes `prep`'s clips and renders its texts into `bank`, skipping what is there already.
/// `cancelled` is asked between items; `report` is told after each one.
pub fn prepare(
    bank: &Mutex<SoundBank>,
    prep: &Preparation,
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
        if lock(bank).voice(text).is_none() && progress.voice_unavailable.is_none() {
            match voice::render(text, &prep.voice) {
                Ok(clip) => lock(bank).insert_voice(text.clone(), clip),
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

/// Prepares plans on a background thread; a newer plan cancels an older one.
#[derive(Debug)]
pub struct Preparer {
    shared: Arc<Shared>,
    jobs: Option<Sender<(u64, Preparation)>>,
}

#[derive(Debug)]
struct Shared {
    bank: Mutex<SoundBank>,
    progress: Mutex<Progress>,
    latest: AtomicU64,
    /// Bumped whenever the bank gains something.
    version: AtomicU64,
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

    /// Starts preparing `prep`, dropping any older preparation still under way.
    pub fn prepare(&mut self, prep: Preparation) {
        let job = self.shared.latest.fetch_add(1, Ordering::SeqCst) + 1;
        *lock(&self.shared.progress) = Progress {
            texts_total: prep.texts.len(),
            ..Progress::default()
        };
        let rejected = match &self.jobs {
            Some(jobs) => jobs.send((job, prep)).err().map(|e| e.0.1),
            None => Some(prep),
        };
        if let Some(prep) = rejected {
            run(&self.shared, job, &prep);
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

    /// Whether the latest preparation is complete.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        lock(&self.shared.progress).finished
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

fn work(shared: &Shared, jobs: &Receiver<(u64, Preparation)>) {
    while let Ok((job, prep)) = jobs.recv() {
        if job == shared.latest.load(Ordering::SeqCst) {
            run(shared, job, &prep);
        }
    }
}

fn run(shared: &Shared, job: u64, prep: &Preparation) {
    let cancelled = || shared.latest.load(Ordering::SeqCst) != job;
    let mut report = |p: &Progress| {
        shared.version.fetch_add(1, Ordering::SeqCst);
        if !cancelled() {
            *lock(&shared.progress) = p.clone();
        }
    };
    let progress = prepare(&shared.bank, prep, &cancelled, &mut report);
    if !cancelled() {
        shared.version.fetch_add(1, Ordering::SeqCst);
        *lock(&shared.progress) = progress;
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
    fn a_newer_plan_cancels_an_older_preparation() {
        let mut preparer = Preparer::new();
        let many = Preparation {
            clips: Vec::new(),
            texts: (0..500).map(|i| format!("Phrase {i}.")).collect(),
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
