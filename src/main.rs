//! The `limberup` binary: the window with no command, the command line otherwise.

use std::process::ExitCode;

use clap::Parser as _;
use limberup::cli::{self, Args};
use limberup::launch::{First, Launch, Outcome};

fn main() -> ExitCode {
    let args = Args::parse();
    let outcome = match args.command {
        Some(command) => cli::run(command, args.routines),
        // A file from the file manager: its outline, or the bundle imported.
        None => Ok(Outcome::Window(Launch {
            extra_folders: args.routines,
            first: args
                .file
                .map_or(First::Library, |f| First::Open(f.into_os_string())),
            ..Launch::default()
        })),
    };
    match outcome {
        Ok(Outcome::Exit(code)) => code,
        Ok(Outcome::Window(launch)) => {
            match limberup::app::run(limberup::app::Options::standard(launch)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(anyhow::anyhow!("cannot open the window: {e}")),
            }
        }
        Err(error) => fail(error),
    }
}

/// Prints an error with its causes and exits with 2, as the other errors do.
#[expect(
    clippy::print_stderr,
    reason = "the binary's one place that reports to the user"
)]
#[expect(clippy::needless_pass_by_value, reason = "the error ends here")]
fn fail(error: anyhow::Error) -> ExitCode {
    // A closed pipe (`limberup show … | head`) is the reader's choice, not an error.
    if error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    {
        return ExitCode::SUCCESS;
    }
    eprintln!("limberup: {error:#}");
    ExitCode::from(cli::EXIT_ERRORS)
}
