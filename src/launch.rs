//! What the window opens on, as the command line asked for it. `cli` makes a [`Launch`],
//! `main` hands it to `app`: the two never import each other.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// What a command-line run ends in.
#[derive(Debug)]
pub enum Outcome {
    /// The command is done: exit with this code.
    Exit(ExitCode),
    /// Open the window.
    Window(Launch),
}

/// How the window opens.
#[derive(Clone, Debug, PartialEq)]
pub struct Launch {
    /// More folders of routines (`--routines`, repeatable).
    pub extra_folders: Vec<PathBuf>,
    /// What shows first.
    pub first: First,
    /// How many times faster than real time the player's clock runs: 1 but for the hidden
    /// `limberup play --clock-speed` (tests/benchmarks.sh plays a whole routine with it).
    pub clock_speed: f64,
}

impl Default for Launch {
    fn default() -> Self {
        Self {
            extra_folders: Vec::new(),
            first: First::default(),
            clock_speed: 1.0,
        }
    }
}

/// The first screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum First {
    /// The library.
    #[default]
    Library,
    /// A routine's outline (a path or an id, as the system gave it: see
    /// `library::Named`), or a `.limberup` bundle imported and opened.
    Open(OsString),
    /// A routine straight in the player (a path or an id), at a level and variant when
    /// `--level` and `--variant` gave them (remembered as the routine's choice).
    Play {
        /// The routine, as the system gave it.
        routine: OsString,
        /// Every levelled step at this level.
        level: Option<u32>,
        /// The variant's name.
        variant: Option<String>,
    },
}
