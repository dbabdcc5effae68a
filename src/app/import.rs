//! Importing a dropped routine or bundle into the user's routines, on a named worker
//! thread: a bundle may unpack to 200 MB, which must never stall the countdown. The result
//! comes back over a channel and wakes the window.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;

use eframe::egui;

use crate::bundle::{self, ImportError, PackError};
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
    },
    /// A routine of that name is in the user's routines already, and was kept.
    Exists {
        name: String,
        /// The dropped file.
        path: PathBuf,
        /// The folder or file that is there.
        existing: PathBuf,
    },
    /// Not imported, and why (one sentence).
    Failed(String),
}

/// Sends imports to the worker and collects their results.
pub(super) struct Importer {
    jobs: Option<Sender<PathBuf>>,
    results: Receiver<Imported>,
    pending: usize,
}

impl Importer {
    /// Starts the worker, which imports into `folder` (the user's routines; `None`: the
    /// system has none and every import says so) and wakes `ctx` after each.
    pub(super) fn new(ctx: &egui::Context, folder: Option<PathBuf>) -> Self {
        let (jobs, inbox) = channel::<PathBuf>();
        let (outbox, results) = channel();
        let ctx = ctx.clone();
        let spawned = thread::Builder::new()
            .name("bundle-import".to_owned())
            .spawn(move || {
                for path in inbox {
                    let result = match &folder {
                        Some(folder) => import(&path, folder),
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
    /// first, so it arrives whole) in the background.
    pub(super) fn start(&mut self, path: PathBuf) -> Result<(), String> {
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(path).is_ok());
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

/// Imports `path` into `folder`, on the worker.
fn import(path: &Path, folder: &Path) -> Imported {
    if is_bundle(path) {
        return import_bundle(path, folder);
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
        Ok(_) => import_bundle(&packed, folder),
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

/// Unpacks the bundle at `path` into `folder`.
fn import_bundle(path: &Path, folder: &Path) -> Imported {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    match bundle::import(path, folder, false) {
        Ok(imported) => Imported::Done {
            name,
            routines: imported.routines,
            folder: imported.folder,
        },
        Err(ImportError::Exists(existing)) => Imported::Exists {
            name,
            path: path.to_path_buf(),
            existing,
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
