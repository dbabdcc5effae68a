//! Importing a dropped routine or bundle into the user's routines, on a named worker
//! thread: a bundle may unpack to 200 MB, which must never stall the countdown. The result
//! comes back over a channel and wakes the window.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;

use eframe::egui;

use crate::bundle::{self, Existing, ImportError, KeptAside, PackError};
use crate::routine;

/// How an import ended, for the window to say and show.
#[derive(Debug)]
pub(super) enum Imported {
    /// Unpacked into `folder`, bringing these routine ids.
    Done {
        /// The file dropped or named.
        name: String,
        routines: Vec<String>,
        folder: PathBuf,
        /// What it replaced, kept aside (when the athlete said to replace).
        kept_aside: Vec<KeptAside>,
    },
    /// It would replace a routine already there (the same folder, or a routine of the
    /// same id), so nothing was written: the window asks.
    WouldReplace {
        name: String,
        /// The dropped file, to import again if the athlete says so.
        path: PathBuf,
        /// What it would replace, in a sentence.
        what: String,
    },
    /// Not imported, and why (one sentence).
    Failed(String),
}

/// Sends imports to the worker and collects their results.
/// One import to run: the file, whether it may replace what is there, and what is there.
struct Job {
    path: PathBuf,
    replace: bool,
    existing: Vec<Existing>,
}

pub(super) struct Importer {
    jobs: Option<Sender<Job>>,
    results: Receiver<Imported>,
    pending: usize,
}

impl Importer {
    /// Starts the worker, which imports into `folder` (the user's routines; `None`: the
    /// system has none and every import says so) and wakes `ctx` after each.
    pub(super) fn new(ctx: &egui::Context, folder: Option<PathBuf>) -> Self {
        let (jobs, inbox) = channel::<Job>();
        let (outbox, results) = channel();
        let ctx = ctx.clone();
        let spawned = thread::Builder::new()
            .name("bundle-import".to_owned())
            .spawn(move || {
                for job in inbox {
                    let result = match &folder {
                        Some(folder) => {
                            // What a killed import left, before this one adds its own.
                            bundle::clear_stale_imports(folder);
                            import(&job, folder)
                        }
                        None => Imported::Failed(
                            "this system has no user data folder to import into".to_owned(),
                        ),
                    };
                    if outbox.send(result).is_err() {
                        break;
                    }
                    ctx.request_repaint();
                }
            });
        let jobs = match spawned {
            Ok(_) => Some(jobs),
            Err(error) => {
                log::warn!("no import thread: {error}");
                None
            }
        };
        Self {
            jobs,
            results,
            pending: 0,
        }
    }

    /// Imports `path` (a `.limberup` bundle, or a `.ron` routine packed with what it uses
    /// first, so it arrives whole) in the background; it replaces none of `existing` (nor a
    /// folder there) unless `replace`.
    pub(super) fn start(
        &mut self,
        path: PathBuf,
        replace: bool,
        existing: Vec<Existing>,
    ) -> Result<(), String> {
        let job = Job {
            path,
            replace,
            existing,
        };
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(job).is_ok());
        if sent {
            self.pending += 1;
            Ok(())
        } else {
            Err("imports are unavailable: the import thread could not start".to_owned())
        }
    }

    /// Whether an import is under way.
    pub(super) fn is_busy(&self) -> bool {
        self.pending > 0
    }

    /// The imports that ended since the last call.
    pub(super) fn finished(&mut self) -> Vec<Imported> {
        let done: Vec<Imported> = self.results.try_iter().collect();
        self.pending = self.pending.saturating_sub(done.len());
        done
    }
}

/// Whether `path` names a `.limberup` bundle.
fn is_bundle(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(bundle::EXTENSION))
}

/// Whether `path` is something the importer takes: a bundle or a routine file.
fn is_importable(path: &Path) -> bool {
    is_bundle(path)
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// Runs `job` into `folder`, on the worker.
fn import(job: &Job, folder: &Path) -> Imported {
    let path = job.path.as_path();
    if is_bundle(path) {
        return import_bundle(job, path, folder);
    }
    if !is_importable(path) {
        return Imported::Failed(format!(
            "{} is not a routine (.ron) or a bundle (.limberup)",
            path.display()
        ));
    }
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => return Imported::Failed(format!("not imported: {error}")),
    };
    let packed = dir.path().join(format!(
        "{}.{}",
        routine::loader::routine_id(path),
        bundle::EXTENSION
    ));
    match bundle::pack(path, &packed) {
        Ok(_) => import_bundle(job, &packed, folder),
        Err(PackError::Invalid { diagnostics, .. }) => Imported::Failed(format!(
            "not imported: {}",
            diagnostics
                .iter()
                .find(|d| d.is_error())
                .map_or_else(|| "it has errors".to_owned(), ToString::to_string)
        )),
        Err(error) => Imported::Failed(format!("not imported: {error}")),
    }
}

/// Unpacks the bundle at `path` (the job's file, or the bundle packed from it) into
/// `folder`.
fn import_bundle(job: &Job, path: &Path, folder: &Path) -> Imported {
    let name = job.path.file_name().map_or_else(
        || job.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    match bundle::import(path, folder, job.replace, &job.existing) {
        Ok(imported) => Imported::Done {
            name,
            routines: imported.routines,
            folder: imported.folder,
            kept_aside: imported.kept_aside,
        },
        Err(ImportError::Exists(existing)) => Imported::WouldReplace {
            name,
            path: job.path.clone(),
            what: format!("{} is in your routines already", existing.display()),
        },
        Err(ImportError::Shadows {
            id,
            path: at,
            bundled,
        }) => Imported::WouldReplace {
            name,
            path: job.path.clone(),
            what: if bundled {
                format!("its routine “{id}” would hide the one that comes with Limber Up")
            } else {
                format!("its routine “{id}” would replace yours ({})", at.display())
            },
        },
        Err(ImportError::Invalid { diagnostics, .. }) => {
            let first = diagnostics
                .iter()
                .find(|d| d.is_error())
                .map_or_else(|| "it has errors".to_owned(), ToString::to_string);
            Imported::Failed(format!("{name} was not imported: {first}"))
        }
        Err(error) => Imported::Failed(format!("{name} was not imported: {error}")),
    }
}
