//! Watching routine folders for saves: the app's live reload and `limberup check --watch`.
//!
//! The OS reports file events (`inotify`, `FSEvents`, `ReadDirectoryChangesW`) through `notify`;
//! a thread of ours folds the burst one editor save makes (write, rename, chmod) into one
//! change. It sleeps until an event comes, then waits out the burst, and wakes for nothing
//! else (a debouncer with a tick woke 40 times a second forever). Each change carries the
//! files it touched, with editor scratch files left out.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long a burst of events must be quiet to be over: a save reaches the app about this
/// long after its last event, well inside the 300 ms promised to coaches.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// A burst that never goes quiet (a file written on and on) is still reported this often.
pub const MAX_BURST: Duration = Duration::from_secs(1);

/// Folders watched for routine files, images and sounds.
pub struct FolderWatcher {
    watcher: RecommendedWatcher,
    changes: mpsc::Receiver<BTreeSet<PathBuf>>,
    /// What is watched, shared with the thread that folds bursts, so a burst of files that
    /// do not matter (the training log written beside an awaited folder) wakes nobody.
    scope: Arc<Mutex<Scope>>,
}

/// The folders watched, and those awaited.
#[derive(Debug, Default)]
struct Scope {
    watched: Vec<PathBuf>,
    /// Folders that do not exist yet, each with the nearest existing folder above it,
    /// which is watched (without its subfolders) for the folder to appear.
    awaited: Vec<Awaited>,
}

impl Scope {
    /// Whether a change at `path` matters: anything in a watched folder, and in a folder
    /// watched for an awaited one to appear, only what is on the way to it. Anything else
    /// is a late report from a folder above that is no longer watched (the awaited folder
    /// appeared meanwhile), or a file saved beside the awaited folder.
    fn matters(&self, path: &Path) -> bool {
        self.watched.iter().any(|w| path.starts_with(w))
            || self
                .awaited
                .iter()
                .any(|a| path.starts_with(&a.above) && a.folder.starts_with(path))
    }
}

/// A folder to watch once it exists, and the existing folder above it watched meanwhile.
#[derive(Debug)]
struct Awaited {
    folder: PathBuf,
    above: PathBuf,
}

impl std::fmt::Debug for FolderWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FolderWatcher")
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl FolderWatcher {
    /// Starts watching nothing yet; `wake` is called (from the watcher's thread) after each
    /// change is queued, so a window can repaint and pick it up.
    ///
    /// # Errors
    /// When the OS refuses a watcher (inotify instances exhausted, for one).
    pub fn new(wake: impl Fn() + Send + 'static) -> Result<Self, notify::Error> {
        let (sender, changes) = mpsc::channel();
        let (events, bursts) = mpsc::channel();
        let scope = Arc::new(Mutex::new(Scope::default()));
        let thread_scope = Arc::clone(&scope);
        let watcher = notify::recommended_watcher(move |event| {
            let _ = events.send(event);
        })?;
        std::thread::Builder::new()
            .name("limberup-watch".to_owned())
            .spawn(move || fold_bursts(&bursts, &thread_scope, &sender, &wake))
            .map_err(|e| notify::Error::generic(&format!("cannot start a thread: {e}")))?;
        Ok(Self {
            watcher,
            changes,
            scope,
        })
    }

    /// Watches one folder: only its own files (`recursive` false, for the folder of a single
    /// routine file), or everything under it.
    ///
    /// # Errors
    /// When the OS will not watch it.
    pub fn watch_folder(&mut self, folder: &Path, recursive: bool) -> Result<(), notify::Error> {
        let mode = if recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        self.watcher.watch(folder, mode)?;
        self.scope().watched.push(folder.to_path_buf());
        Ok(())
    }

    /// Watches each folder (and everything under it) not watched yet. A missing folder is
    /// awaited: the nearest existing folder above it is watched for it to appear (a change
    /// on the way to it is reported), and a call after that watches it.
    ///
    /// # Errors
    /// The folders the OS would not watch, each with the reason.
    pub fn watch<'a>(
        &mut self,
        folders: impl IntoIterator<Item = &'a Path>,
    ) -> Result<(), Vec<(PathBuf, notify::Error)>> {
        let mut failed = Vec::new();
        for folder in folders {
            if self.is_watched(folder) {
                continue;
            }
            let result = if folder.is_dir() {
                self.stop_awaiting(folder);
                self.watch_folder(folder, true)
            } else {
                self.await_folder(folder)
            };
            if let Err(error) = result {
                failed.push((folder.to_path_buf(), error));
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(failed)
        }
    }

    /// Watches the nearest existing folder above `folder` for it to appear.
    fn await_folder(&mut self, folder: &Path) -> Result<(), notify::Error> {
        let Some(above) = folder.ancestors().skip(1).find(|a| a.is_dir()) else {
            return Ok(());
        };
        let waiting = self.scope();
        if waiting
            .awaited
            .iter()
            .any(|a| a.folder == folder && a.above == above)
        {
            return Ok(());
        }
        drop(waiting);
        self.stop_awaiting(folder);
        let scope = self.scope();
        let covered = scope.watched.iter().any(|w| above.starts_with(w))
            || scope.awaited.iter().any(|a| a.above == above);
        drop(scope);
        if !covered {
            self.watcher.watch(above, RecursiveMode::NonRecursive)?;
        }
        self.scope().awaited.push(Awaited {
            folder: folder.to_path_buf(),
            above: above.to_path_buf(),
        });
        Ok(())
    }

    /// No longer awaits `folder`; its folder above is unwatched unless another needs it.
    fn stop_awaiting(&mut self, folder: &Path) {
        let mut scope = self.scope();
        let Some(i) = scope.awaited.iter().position(|a| a.folder == folder) else {
            return;
        };
        let gone = scope.awaited.swap_remove(i);
        let needed = scope.awaited.iter().any(|a| a.above == gone.above)
            || scope.watched.iter().any(|w| gone.above.starts_with(w));
        drop(scope);
        if !needed {
            // Already gone with its folder, or never watched: nothing to undo.
            let _ = self.watcher.unwatch(&gone.above);
        }
    }

    fn scope(&self) -> MutexGuard<'_, Scope> {
        lock(&self.scope)
    }

    /// Whether `folder` is watched (with everything under it, or on its own).
    #[must_use]
    pub fn is_watched(&self, folder: &Path) -> bool {
        self.scope().watched.iter().any(|w| w == folder)
    }

    /// Every file changed since the last call, if any; never blocks.
    #[must_use]
    pub fn try_changes(&self) -> Option<BTreeSet<PathBuf>> {
        let mut all: Option<BTreeSet<PathBuf>> = None;
        while let Ok(paths) = self.changes.try_recv() {
            // Again, against what is watched now: the scope may have moved since.
            let scope = self.scope();
            let paths = paths.into_iter().filter(|p| scope.matters(p));
            all.get_or_insert_with(BTreeSet::new).extend(paths);
        }
        all.filter(|paths| !paths.is_empty())
    }

    /// Waits for the next change (and takes any that came with it).
    #[must_use]
    pub fn wait(&self) -> Option<BTreeSet<PathBuf>> {
        loop {
            let mut paths = self.changes.recv().ok()?;
            let scope = self.scope();
            paths.retain(|p| scope.matters(p));
            drop(scope);
            if let Some(more) = self.try_changes() {
                paths.extend(more);
            }
            if !paths.is_empty() {
                return Some(paths);
            }
        }
    }
}

/// Until the watcher is dropped: blocks for an event, gathers the files of its burst until
/// [`DEBOUNCE`] passes without one (or [`MAX_BURST`] since it began), and sends and wakes
/// for those that matter to `scope`, if any.
fn fold_bursts(
    events: &Receiver<notify::Result<notify::Event>>,
    scope: &Mutex<Scope>,
    changes: &Sender<BTreeSet<PathBuf>>,
    wake: &dyn Fn(),
) {
    while let Ok(first) = events.recv() {
        let began = Instant::now();
        let mut paths = BTreeSet::new();
        add_paths(&mut paths, first);
        loop {
            let left = MAX_BURST.saturating_sub(began.elapsed());
            match events.recv_timeout(DEBOUNCE.min(left)) {
                Ok(event) if !left.is_zero() => add_paths(&mut paths, event),
                Ok(event) => {
                    add_paths(&mut paths, event);
                    break;
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    let _ = changes.send(paths);
                    return;
                }
            }
        }
        let now = lock(scope);
        paths.retain(|p| now.matters(p));
        drop(now);
        if !paths.is_empty() {
            if changes.send(paths).is_err() {
                return;
            }
            wake();
        }
    }
}

/// `scope`, even if a thread panicked holding it: each change to it is whole.
fn lock(scope: &Mutex<Scope>) -> MutexGuard<'_, Scope> {
    scope.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The files an event touched, but reads and editor scratch files. An error (a watch lost
/// with its folder, say) is followed by the events that caused it; a reload then shows what
/// is there now.
fn add_paths(paths: &mut BTreeSet<PathBuf>, event: notify::Result<notify::Event>) {
    let Ok(event) = event else { return };
    if matches!(event.kind, EventKind::Access(_)) {
        return;
    }
    paths.extend(event.paths.into_iter().filter(|p| !is_scratch_file(p)));
}

/// Files editors write beside the one being saved (`.x.swp`, `x~`, `#x#`, `4913`): their
/// events are not saves.
#[must_use]
pub fn is_scratch_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("swp") || e.eq_ignore_ascii_case("tmp"))
        // Vim's probe for whether it may write in the folder.
        || name == "4913"
        // Anything under an import's hidden scratch folder.
        || path
            .components()
            .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with(".import-")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_events_is_one_change_soon_after_it_ends() {
        let dir = tempfile::tempdir().expect("a folder");
        let (woken, wakes) = mpsc::channel();
        let mut watcher = FolderWatcher::new(move || {
            let _ = woken.send(());
        })
        .expect("a watcher");
        watcher.watch([dir.path()]).expect("watched");
        // An editor's save: a scratch file, the file written twice, the scratch removed.
        let file = dir.path().join("hips.ron");
        let scratch = dir.path().join(".hips.ron.swp");
        std::fs::write(&scratch, "x").unwrap();
        std::fs::write(&file, "one").unwrap();
        std::thread::sleep(Duration::from_millis(30));
        std::fs::write(&file, "two").unwrap();
        std::fs::remove_file(&scratch).unwrap();
        let saved = Instant::now();
        wakes
            .recv_timeout(Duration::from_secs(5))
            .expect("the window is woken");
        let arrived = saved.elapsed();
        let changed = watcher.try_changes().expect("a change");
        assert_eq!(
            changed.into_iter().collect::<Vec<_>>(),
            [file],
            "the file only"
        );
        // Not before the burst went quiet; the upper bound is loose, as a busy test machine
        // may be slow to schedule the thread.
        assert!(
            arrived >= DEBOUNCE && arrived < MAX_BURST,
            "after the burst went quiet: {arrived:?}"
        );
        std::thread::sleep(DEBOUNCE * 3);
        assert!(watcher.try_changes().is_none(), "one change for the burst");
        assert!(wakes.try_recv().is_err(), "and one wake");
    }

    #[test]
    fn a_file_written_beside_an_awaited_folder_wakes_nobody() {
        // The user's routines folder is awaited in the data folder, where the training log
        // is written at every step of a session.
        let dir = tempfile::tempdir().expect("a folder");
        let routines = dir.path().join("routines");
        let (woken, wakes) = mpsc::channel();
        let mut watcher = FolderWatcher::new(move || {
            let _ = woken.send(());
        })
        .expect("a watcher");
        watcher.watch([routines.as_path()]).expect("awaited");
        assert!(!watcher.is_watched(&routines), "it is not there yet");
        let journal = dir.path().join("history.sqlite3-journal");
        std::fs::write(&journal, "row").unwrap();
        std::fs::remove_file(&journal).unwrap();
        assert!(
            wakes.recv_timeout(DEBOUNCE * 5).is_err(),
            "the log's writes do not wake the window"
        );
        assert!(watcher.try_changes().is_none(), "nor are they a change");
        // The awaited folder appearing is one.
        std::fs::create_dir(&routines).unwrap();
        wakes
            .recv_timeout(Duration::from_secs(5))
            .expect("the folder appearing wakes the window");
        let changed = watcher.try_changes().expect("a change");
        assert_eq!(changed.into_iter().collect::<Vec<_>>(), [routines]);
    }

    #[test]
    fn editor_scratch_files_are_not_saves() {
        for name in [".x.ron.swp", "x.ron~", "#x.ron#", "4913", "x.ron.tmp"] {
            assert!(is_scratch_file(Path::new(name)), "{name}");
        }
        assert!(is_scratch_file(Path::new("r/.import-ab12/x/x.ron")));
        for name in ["x.ron", "images/x.png", "sounds/go.wav"] {
            assert!(!is_scratch_file(Path::new(name)), "{name}");
        }
    }
}
