//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Guided warm-ups, stretches and mobility routines for runners.
///
/// With no command, opens the window.
#[derive(Debug, Parser)]
#[command(name = "limberup", version, about, long_about = None)]
pub struct Args {
    /// Another folder of routines to use (repeatable); its routines replace ones with the same id.
    #[arg(long = "routines", value_name = "DIR", global = true)]
    pub routines: Vec<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the window straight into the player for a routine.
    Play {
        /// A routine file, or the id of a routine in the library.
        routine: String,
    },
    /// Check routine files and print every problem with its place (exit 2 on errors).
    Check {
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Routine files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List the routines found (bundled, yours, and `--routines` folders).
    List {
        /// Folders to list instead of the standard places.
        #[arg(value_name = "DIR")]
        dirs: Vec<PathBuf>,
    },
    /// Print a routine's timeline: every segment and cue with its time.
    Show {
        /// A routine file, or the id of a routine in the library.
        routine: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Seconds of "get ready" before the first step, unless the routine sets its own.
        #[arg(long, value_name = "SECS", default_value_t = 3)]
        lead_in: u64,
    },
}
