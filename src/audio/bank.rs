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
use crate::timeline::Plan;

/// Locks a mutex, taking the data as it is if a thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Every sound a track can use.
#[derive(Debug)]
pub struct SoundBank {
    tones: HashMap<Tone, Clip>,
    clips: HashMap<PathBuf, Option<Clip>>,
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
            voice: HashMap::new(),
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
            texts: if voice {
                voice::plan_texts(plan)
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
            match voice::render(text) {
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

    /// Changes whenever the bank gains a sound.
    #[must_use]
    pub fn version(&self) -> u64 {
        self.shared.version.load(Ordering::SeqCst)
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
