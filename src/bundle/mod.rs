//! `.limberup` routine bundles: one zip file with a routine, the exercises it uses and every
//! image and sound it names, for a coach to send to an athlete.
//!
//! A bundle holds one folder, named after the routine's id, laid out as on the coach's
//! disk: `hip-routine/hip-routine.ron`, `hip-routine/exercises.ron`,
//! `hip-routine/images/…`. Importing unpacks it into a hidden scratch folder beside the
//! user's routines, checks every routine in it, and only then moves it into place, so a
//! refused or failed import leaves nothing behind. Bundles come from strangers: every entry
//! name, type, size and count is checked before a byte is written.
//!
//! This room holds the limits and what each side returns or refuses with; writing a bundle
//! is in `pack.rs`, checking and unpacking one in `import.rs`.

mod import;
mod pack;

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;

use thiserror::Error;

use crate::routine::Diagnostic;

pub use import::{clear_stale_imports, import, undo_import};
pub use pack::pack;

/// The file extension of bundles (defined beside the routines' resolver, which tells a
/// bundle from a routine).
pub const EXTENSION: &str = crate::library::BUNDLE_EXTENSION;

/// A bundle unpacking to more than this is refused (200 MB).
pub const MAX_UNPACKED_BYTES: u64 = 200_000_000;

/// A bundle with more entries than this is refused.
pub const MAX_ENTRIES: usize = 2_000;

/// Why a bundle could not be written.
#[derive(Debug, Error)]
pub enum PackError {
    /// The routine has errors; packing it would only pass them on.
    #[error("{} has errors; fix them before packing it", .file.display())]
    Invalid {
        /// The routine file.
        file: PathBuf,
        /// Its findings.
        diagnostics: Vec<Diagnostic>,
    },
    /// A file of the routine could not be read or parsed.
    #[error("{0}")]
    Read(Box<Diagnostic>),
    /// The bundle could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The bundle.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The bundle just written does not import cleanly (a bug in `pack`).
    #[error("the bundle written does not import cleanly: {0}")]
    SelfCheck(Box<ImportError>),
}

/// Why a bundle was not imported. Nothing of it is left on disk in every case.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file could not be opened.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The bundle.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The file is not a zip archive (or is a damaged one).
    #[error("{} is not a Limber Up bundle: {reason}", .path.display())]
    NotABundle {
        /// The file.
        path: PathBuf,
        /// What the zip reader said.
        reason: String,
    },
    /// Too many entries.
    #[error("the bundle has {0} entries; at most {MAX_ENTRIES} are imported")]
    TooManyEntries(usize),
    /// Too large once unpacked.
    #[error("the bundle unpacks to more than 200 MB ({0} bytes or more); it is refused")]
    TooLarge(u64),
    /// An entry would be written outside the routines folder.
    #[error("entry `{0}` would land outside the routines folder; it is refused")]
    Escapes(String),
    /// An entry names an absolute path.
    #[error("entry `{0}` is an absolute path; bundles name their files relatively")]
    Absolute(String),
    /// An entry is a symbolic link.
    #[error("entry `{0}` is a symbolic link; bundles hold only plain files")]
    Symlink(String),
    /// An entry is of a kind a routine never uses.
    #[error(
        "entry `{0}` is not a routine (.ron), image (.png, .jpg), sound (.wav, .ogg, .flac) or note (.txt, .md)"
    )]
    FileType(String),
    /// An entry is encrypted.
    #[error("entry `{0}` is encrypted; bundles are not")]
    Encrypted(String),
    /// Two entries with one name.
    #[error("entry `{0}` appears twice")]
    Duplicate(String),
    /// An entry's name is not usable.
    #[error("entry `{0}` has a name that cannot be a file name here")]
    BadName(String),
    /// No routine file in the bundle.
    #[error("the bundle holds no routine (.ron) file")]
    NoRoutine,
    /// The bundle's routines have errors.
    #[error("the bundle's routines have {} error(s)", .diagnostics.iter().filter(|d| d.is_error()).count())]
    Invalid {
        /// The findings, each naming its file as `BUNDLE/folder/file.ron`.
        diagnostics: Vec<Diagnostic>,
        /// The text of each file named, for printing the source lines.
        sources: BTreeMap<PathBuf, String>,
    },
    /// The folder exists already and `replace` was not asked for.
    #[error("{} exists already; import with --replace to update it", .0.display())]
    Exists(PathBuf),
    /// A routine of the bundle has the id of one already in the library.
    #[error(
        "the bundle's routine `{id}` would replace the {} routine of that name ({}); \
         import with --replace to use the bundle's (the other is kept aside)",
        if *.bundled { "bundled" } else { "existing" },
        .path.display()
    )]
    Shadows {
        /// The id both have.
        id: String,
        /// The routine already there.
        path: PathBuf,
        /// Whether it ships with Limber Up.
        bundled: bool,
    },
    /// The bundle's folder would be hidden (its name starts with `.`).
    #[error("the bundle's folder `{0}` starts with `.`: it would be hidden, so it is refused")]
    HiddenFolder(String),
    /// Reading an entry or writing the files failed.
    #[error("cannot unpack into {}: {source}", .path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// A routine already in the library, which an import must not replace silently.
#[derive(Clone, Debug)]
pub struct Existing {
    /// Its id.
    pub id: String,
    /// Its file.
    pub path: PathBuf,
    /// Whether it ships with Limber Up (an import would hide it, not remove it).
    pub bundled: bool,
}

impl Existing {
    /// Every routine of `library`.
    #[must_use]
    pub fn of(library: &crate::library::Library) -> Vec<Self> {
        library
            .entries
            .iter()
            .map(|e| Self {
                id: e.id.clone(),
                path: e.path.clone(),
                bundled: e.source == crate::library::Source::Bundled,
            })
            .collect()
    }
}

/// What `pack` wrote.
#[derive(Debug)]
pub struct Packed {
    /// The files in the bundle, as named inside it.
    pub entries: Vec<String>,
    /// The size of the bundle file.
    pub bytes: u64,
}

/// What `import` unpacked.
#[derive(Debug)]
pub struct Imported {
    /// The folder the bundle now lives in.
    pub folder: PathBuf,
    /// The ids of the routines in it.
    pub routines: Vec<String>,
    /// Warnings about them (missing media and the like), naming their new place.
    pub warnings: Vec<Diagnostic>,
    /// Whether an older copy was replaced.
    pub replaced: bool,
    /// What `--replace` moved aside (hidden, `.<name>.replaced-<time>`, so the library
    /// does not load it) and from where: what undoing the import puts back.
    pub kept_aside: Vec<KeptAside>,
}

/// A file or folder an import replaced, kept beside its old place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptAside {
    /// Where it was.
    pub from: PathBuf,
    /// Where it is now.
    pub to: PathBuf,
}
