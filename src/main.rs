//! The `limberup` binary: the window with no command, the command line otherwise.

use std::process::ExitCode;

use clap::Parser as _;
use limberup::cli::{self, Args};
use limberup::launch::{First, Launch, Outcome};

fn main() -> ExitCode {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    set_when_memory_goes_back();
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

/// Sets glibc's two thresholds for giving memory back, instead of leaving them to move.
///
/// The mmap threshold stays at its starting value, 128 KiB. Left to itself, glibc raises it
/// to the size of each mapped block that is freed (up to 32 MiB), so once the first decoded
/// picture (~1.8 MiB) or voice phrase is dropped, the next ones of that size come from the
/// heap, and their freed space mostly stays with the process: playing the whole pre-run
/// warm-up on a 20x clock grew +14 MiB that way, and does not grow with the threshold fixed
/// (tests/benchmarks.sh measures it). A fixed threshold keeps every block over it in a
/// mapping of its own, returned to the system the moment it is freed.
///
/// Fixing it also fixes the trim threshold at its starting 128 KiB, where glibc would have
/// raised it with the other (to twice the largest block freed). Each frame's buffers then
/// gave the top of the heap back and took it again: 446 `brk` calls in 10 s of countdown,
/// each new page faulted in and zeroed: 40 % of the main thread's CPU. Trimming only past
/// 4 MiB (what glibc itself would pick after a picture) keeps those pages: no `brk` in the
/// same 10 s, for at most 4 MiB held back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[expect(
    unsafe_code,
    reason = "mallopt has no safe wrapper; it only sets one of malloc's parameters"
)]
fn set_when_memory_goes_back() {
    const MMAP_THRESHOLD_BYTES: libc::c_int = 128 * 1024;
    const TRIM_THRESHOLD_BYTES: libc::c_int = 4 * 1024 * 1024;
    // SAFETY: mallopt takes malloc's own lock and touches no memory the program holds; a
    // refusal (it returns 0) leaves glibc's defaults, which are only less frugal.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES);
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
    // An error may quote a file or a name from one: shown, never obeyed by the terminal.
    eprintln!(
        "limberup: {}",
        limberup::text::escape_controls(&format!("{error:#}"))
    );
    ExitCode::from(cli::EXIT_ERRORS)
}
