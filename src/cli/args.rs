//! The command line, as clap reads it.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::timeline::speech::{DEFAULT_WORDS_PER_MINUTE, is_variant_name};
use crate::timeline::{Calls, DEFAULT_DONE_MARGIN, DoneSteps, Language, PlanOptions, Voice};

/// Guided warm-ups, stretches and mobility routines for runners.
///
/// With no command, opens the window; with a file, opens it there (a routine's outline, or
/// a `.limberup` bundle imported into your routines).
#[derive(Debug, Parser)]
#[command(
    name = "limberup",
    version,
    about,
    long_about = None,
    args_conflicts_with_subcommands = true
)]
pub struct Args {
    /// A routine (.ron) to open, or a bundle (.limberup) to import, in the window.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

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
        routine: OsString,
        /// Which level and variant.
        #[command(flatten)]
        pick: Pick,
        /// Runs the player's clock N times faster (1 to 100), for benchmarks: the whole
        /// routine's memory in minutes. The sound keeps its own pace.
        #[arg(long, hide = true, value_name = "N", default_value_t = 1.0, value_parser = parse_clock_speed)]
        clock_speed: f64,
    },
    /// Open the window on a routine's outline (what a file manager calls for a .ron file).
    Open {
        /// A routine file, or the id of a routine in the library.
        routine: OsString,
    },
    /// Check routine files and print every problem with its place (exit 2 on errors).
    Check {
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Check again after every save, until interrupted (Ctrl+C).
        #[arg(long)]
        watch: bool,
        /// Routine files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Write a new routine file to start from: commented, using every common feature.
    New {
        /// The routine's title ("Evening hips"); its file name is made from it.
        name: String,
        /// The folder to write it in (default: your routines folder).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Pack a routine, the exercises it uses and its images and sounds into one
    /// `.limberup` file to share.
    Pack {
        /// A routine file, or the id of a routine in the library.
        routine: OsString,
        /// The bundle to write (default: ID.limberup here; `-` for standard output).
        #[arg(short = 'o', long = "output", value_name = "FILE.limberup")]
        output: Option<PathBuf>,
        /// Replace the output file if it exists (never a routine or exercise file, the
        /// training log or the settings, which no command writes over).
        #[arg(long)]
        force: bool,
    },
    /// Check a `.limberup` bundle and unpack it into your routines folder.
    Import {
        /// The bundle.
        file: PathBuf,
        /// Replace an earlier import of the same routine, or a routine of the same id (yours, or
        /// one that comes with Limber Up); what is replaced is kept aside, hidden, beside it.
        #[arg(long)]
        replace: bool,
        /// Unpack into this folder instead of your routines folder.
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
    },
    /// Write a printable sheet of a routine: one HTML file, images included, for A4 or Letter.
    Sheet {
        /// A routine file, or the id of a routine in the library.
        routine: OsString,
        /// The HTML file to write (default: ID.html here; `-` for standard output).
        #[arg(short = 'o', long = "output", value_name = "FILE.html")]
        output: Option<PathBuf>,
        /// Replace the output file if it exists (never a routine or exercise file, the
        /// training log or the settings, which no command writes over).
        #[arg(long)]
        force: bool,
        /// Which level and variant (every level is printed; this one is timed).
        #[command(flatten)]
        pick: Pick,
    },
    /// List the routines found (bundled, yours, and `--routines` folders).
    List {
        /// Folders to list instead of the standard places.
        #[arg(value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Print each routine's file too (to see which installation it comes from).
        #[arg(long)]
        paths: bool,
    },
    /// List the built-in exercise library, which any routine can use with
    /// `include: ["@library"]`: id, name, muscles, sides, default dose and picture.
    Exercises {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print a routine's timeline: every segment and cue with its time.
    Show {
        /// A routine file, or the id of a routine in the library.
        routine: OsString,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Seconds of "get ready" before the first step, unless the routine sets its own.
        #[arg(long, value_name = "SECS", default_value_t = 3)]
        lead_in: u64,
        /// Plan it without words (no time is made for them).
        #[arg(long)]
        no_voice: bool,
        /// Which level and variant.
        #[command(flatten)]
        pick: Pick,
        /// The voice and calls.
        #[command(flatten)]
        speaking: Speaking,
    },
    /// Write a routine's guided audio (announcements, tones, clips) to a WAV file; no sound
    /// device needed. Done-steps take their suggested time.
    ExportAudio {
        /// A routine file, or the id of a routine in the library.
        routine: OsString,
        /// The WAV file to write (`-` for standard output).
        #[arg(short = 'o', long = "output", value_name = "FILE.wav")]
        output: PathBuf,
        /// Replace the output file if it exists (never a routine or exercise file, the
        /// training log or the settings, which no command writes over).
        #[arg(long)]
        force: bool,
        /// Seconds of "get ready" before the first step, unless the routine sets its own.
        #[arg(long, value_name = "SECS", default_value_t = 3)]
        lead_in: u64,
        /// Sample rate of the file.
        #[arg(long, value_name = "HZ", default_value_t = 48_000, value_parser = clap::value_parser!(u32).range(8_000..=192_000))]
        sample_rate: u32,
        /// Leave out the spoken announcements.
        #[arg(long)]
        no_voice: bool,
        /// Leave out the tones and clips.
        #[arg(long)]
        no_beeps: bool,
        /// Which level and variant.
        #[command(flatten)]
        pick: Pick,
        /// The voice and calls.
        #[command(flatten)]
        speaking: Speaking,
    },
    /// Print the training log, one line per session (oldest first), or export it as CSV for
    /// a coach.
    History {
        /// Write CSV (a header row, then one row per session) instead of a table.
        #[arg(long)]
        csv: bool,
        /// Write to this file instead of the terminal (`-` is the terminal too).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the output file if it exists (never a routine or exercise file, the
        /// training log or the settings, which no command writes over).
        #[arg(long)]
        force: bool,
        /// The log to read [default: history.sqlite3 in your data folder].
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
    },
    /// Play a routine's cues on the sound device in real time, through the app's audio
    /// engine, and say what was scheduled (a test tool for `tests/audio_playback.sh`).
    #[command(hide = true)]
    PlayAudio {
        /// A routine file, or the id of a routine in the library.
        routine: OsString,
        /// How long to play; 0 only opens the device and prints the status.
        #[arg(long, value_name = "SECS", default_value_t = 60.0)]
        seconds: f64,
        /// Seconds of "get ready" before the first step, unless the routine sets its own.
        #[arg(long, value_name = "SECS", default_value_t = 3)]
        lead_in: u64,
        /// Write the scheduled sounds (start, onset, end, kind) as JSON to this file.
        #[arg(long, value_name = "FILE.json")]
        events: Option<PathBuf>,
        /// Volume, 0 to 1.
        #[arg(long, default_value_t = 1.0)]
        volume: f32,
        /// Press a player command at a moment after the start, as the window would:
        /// `12.5:done`, `20:next`, `31:back`, `40:pause`, `43:resume`, `50:more` (+10 s),
        /// `55:less` (-10 s), `60:restart`, `70:jump=4` (repeatable).
        #[arg(long = "press", value_name = "SECS:COMMAND")]
        presses: Vec<Press>,
        /// The voice and calls.
        #[command(flatten)]
        speaking: Speaking,
    },
    /// Write the man pages or the shell completions generated from this command line (used
    /// when packaging).
    #[command(hide = true)]
    Generate {
        /// What to write.
        #[command(subcommand)]
        what: Generate,
    },
}

/// Which version of a routine a command uses: `--level N`, `--variant NAME`.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct Pick {
    /// Every step that has levels at level N (1 is the first; a step with fewer levels
    /// takes its last).
    #[arg(long, value_name = "N")]
    pub level: Option<u32>,
    /// The routine's variant of this name ("Match day").
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
}

/// How a command's plan is spoken (the app takes these from its settings).
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct Speaking {
    /// The language of routines that name none: en, de, fr, es or nl.
    #[arg(long, value_name = "CODE", default_value = "en", value_parser = parse_language)]
    pub language: Language,
    /// Voice speed in words a minute.
    #[arg(long, value_name = "WPM", default_value_t = DEFAULT_WORDS_PER_MINUTE, value_parser = clap::value_parser!(u32).range(120..=220))]
    pub voice_speed: u32,
    /// An espeak-ng voice variant (`m3`, `f2`, `klatt`).
    #[arg(long, value_name = "NAME", value_parser = parse_variant)]
    pub voice_variant: Option<String>,
    /// No "Halfway." call.
    #[arg(long)]
    pub no_halfway: bool,
    /// Call "10 seconds left." in timed steps of 30 s or more.
    #[arg(long)]
    pub ten_seconds_left: bool,
}

impl Speaking {
    /// The plan's options: `lead_in`, and this voice unless `voice` is false.
    #[must_use]
    pub fn plan_options(&self, lead_in: Duration, voice: bool) -> PlanOptions {
        PlanOptions {
            lead_in,
            language: self.language,
            voice: voice.then(|| Voice {
                language: self.language,
                words_per_minute: self.voice_speed,
                variant: self.voice_variant.clone(),
            }),
            calls: Calls {
                halfway: !self.no_halfway,
                time_left: self.ten_seconds_left,
            },
            // As the routine says: its `auto_advance`, shown by `show`.
            done_steps: DoneSteps::AsRoutine,
            done_margin: DEFAULT_DONE_MARGIN,
        }
    }
}

fn parse_language(code: &str) -> Result<Language, String> {
    Language::from_code(code).ok_or_else(|| {
        let known: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
        format!(
            "no built-in phrases in `{code}`; choose one of {}",
            known.join(", ")
        )
    })
}

fn parse_clock_speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(speed) if (1.0..=100.0).contains(&speed) => Ok(speed),
        _ => Err("a clock speed is a number from 1 to 100".to_owned()),
    }
}

fn parse_variant(name: &str) -> Result<String, String> {
    if is_variant_name(name) {
        Ok(name.to_owned())
    } else {
        Err("a variant is a short word of letters and digits (`m3`, `f2`, `klatt`)".to_owned())
    }
}

/// What `limberup generate` writes.
#[derive(Debug, Subcommand)]
pub enum Generate {
    /// The man pages: `limberup.1` and one per command (`limberup-check.1`, …), in roff.
    Man {
        /// The folder to write them to (created if missing).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Completions for bash (`limberup.bash`), zsh (`_limberup`) and fish (`limberup.fish`).
    Completions {
        /// The folder to write them to (created if missing).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

/// A player command `play-audio` presses at a moment after the start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Press {
    /// When, from the start.
    pub at: std::time::Duration,
    /// What.
    pub command: PressCommand,
}

/// The player commands `play-audio` can press: those the window's keys and buttons give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PressCommand {
    /// Done (Enter).
    Done,
    /// Next step (Right).
    Next,
    /// Back (Left).
    Back,
    /// Pause (Space while running).
    Pause,
    /// Resume with the count-in (Space while paused).
    Resume,
    /// Ten seconds more (+).
    More,
    /// Ten seconds less (-).
    Less,
    /// The routine again from its start.
    Restart,
    /// To segment N of the plan (the outline's jump).
    Jump(usize),
}

impl std::str::FromStr for Press {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (at, command) = text
            .split_once(':')
            .ok_or_else(|| format!("expected SECS:COMMAND, as in 12.5:done, not `{text}`"))?;
        let at = at
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|secs| std::time::Duration::try_from_secs_f64(secs).ok())
            .ok_or_else(|| format!("`{at}` is not a number of seconds"))?;
        let command = match command.trim() {
            "done" => PressCommand::Done,
            "next" => PressCommand::Next,
            "back" => PressCommand::Back,
            "pause" => PressCommand::Pause,
            "resume" => PressCommand::Resume,
            "more" => PressCommand::More,
            "less" => PressCommand::Less,
            "restart" => PressCommand::Restart,
            other => match other.strip_prefix("jump=").map(str::parse::<usize>) {
                Some(Ok(index)) => PressCommand::Jump(index),
                _ => {
                    return Err(format!(
                        "unknown command `{other}`: done, next, back, pause, resume, more, \
                         less, restart or jump=N"
                    ));
                }
            },
        };
        Ok(Self { at, command })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn presses_read_as_written() {
        assert_eq!(
            "12.5:done".parse(),
            Ok(Press {
                at: Duration::from_millis(12_500),
                command: PressCommand::Done
            }),
            "seconds and a command"
        );
        assert_eq!(
            "70:jump=4".parse::<Press>().map(|p| p.command),
            Ok(PressCommand::Jump(4)),
            "a jump names its segment"
        );
        assert!(
            "12".parse::<Press>().is_err() && "-1:done".parse::<Press>().is_err(),
            "a moment and a command are needed, the moment not negative"
        );
        assert_eq!(
            "3:skip".parse::<Press>(),
            Err("unknown command `skip`: done, next, back, pause, resume, more, less, restart or jump=N".to_owned()),
            "the commands are listed"
        );
    }
}
