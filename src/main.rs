//! The `limberup` binary: the window with no command, the command line otherwise.

use std::process::ExitCode;

use clap::Parser as _;
use limberup::cli::{self, Args};

fn main() -> ExitCode {
    let args = Args::parse();
    let Some(command) = args.command else {
        let mut options = limberup::app::Options::standard(args.routines);
        // A file from the file manager: its outline, or the bundle imported.
        options.open = args.file.map(|f| f.to_string_lossy().into_owned());
        return cli::window(options).unwrap_or_else(fail);
    };
    cli::run(command, args.routines).unwrap_or_else(fail)
}

/// Prints an error with its causes and exits with 2, as the other errors do.
#[expect(
    clippy::print_stderr,
    reason = "the binary's one place that reports to the user"
)]
#[expect(
    clippy::needless_pass_by_value,
    reason = "used as `unwrap_or_else(fail)`"
)]
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
