//! `limberup generate`: the man pages and shell completions, from the clap definition
//! itself, so they stay in step with every command added later. The packaging scripts
//! call it (`packaging/build-deb.sh`, `packaging/build-tarball.sh`).

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::CommandFactory as _;
use clap_complete::Shell;
use clap_mangen::Man;

use super::args::{Args, Generate};

/// The shells completions are written for, as Debian packages them.
pub const SHELLS: [Shell; 3] = [Shell::Bash, Shell::Zsh, Shell::Fish];

/// The description of `limberup.1` (`--help` keeps the one-line summary).
const MAIN_PAGE_DESCRIPTION: &str = "Limber Up plays warm-up, stretching and mobility routines as a \
guided session: a countdown you can read from three metres, the step's illustration, spoken and \
beeped cues, left and right sides, sets and rests.\n\n\
With no command, limberup opens the window on the bundled routines and yours. The commands \
below check, list and show routine files (plain RON text) and export a routine's guided audio.";

/// Sections of `limberup.1` that clap has nothing to write from: the environment, the
/// files and the exit status.
const MAIN_PAGE_EXTRA: &str = r#".SH "EXIT STATUS"
0 on success. 2 when \fBcheck\fR finds errors (or warnings, with \fB\-\-strict\fR), and on
any other error, such as a routine that is not found or has errors.
.SH ENVIRONMENT
.TP
\fBLIMBERUP_DATA_DIR\fR
A folder holding \fIroutines/\fR, used instead of the bundled routines.
.TP
\fBXDG_DATA_HOME\fR
The folder holding \fIlimberup/routines/\fR, your routines (default \fI~/.local/share\fR).
.SH FILES
.TP
\fI/usr/share/limberup/routines/\fR
The bundled routines of the installed package. A portable copy keeps them in
\fIroutines/\fR beside the \fBlimberup\fR binary.
.TP
\fI~/.local/share/limberup/routines/\fR
Your routines. A routine with the same file name as a bundled one replaces it.
.SH "SEE ALSO"
The routine format: \fIhttps://github.com/limberup/limberup/blob/main/docs/routine\-format.md\fR
"#;

/// Runs `limberup generate …`, printing each file written.
///
/// # Errors
/// A folder or file that cannot be written.
pub fn run(what: &Generate) -> anyhow::Result<ExitCode> {
    let (dir, written) = match what {
        Generate::Man { dir } => (dir, man_pages(dir)),
        Generate::Completions { dir } => (dir, completions(dir)),
    };
    let written = written.with_context(|| format!("writing to {}", dir.display()))?;
    let mut out = io::stdout().lock();
    for path in written {
        writeln!(out, "wrote {}", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `limberup.1` and a page per visible command (`limberup-check.1`, …) into `dir`.
///
/// # Errors
/// The folder or a page cannot be written.
pub fn man_pages(dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut command = Args::command()
        .disable_help_subcommand(true)
        .long_about(MAIN_PAGE_DESCRIPTION);
    // Building gives each command its full name (`limberup-check`) for its page.
    command.build();
    let mut written = Vec::new();
    write_man_page(&command, MAIN_PAGE_EXTRA, dir, &mut written)?;
    Ok(written)
}

fn write_man_page(
    command: &clap::Command,
    extra: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> io::Result<()> {
    let man = Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut page)?;
    }
    if command.get_subcommands().any(|c| !c.is_hide_set()) {
        man.render_subcommands_section(&mut page)?;
    }
    page.extend_from_slice(extra.as_bytes());
    if command.get_version().is_some() {
        man.render_version_section(&mut page)?;
    }
    let path = dir.join(man.get_filename());
    std::fs::write(&path, page)?;
    written.push(path);
    for sub in command.get_subcommands().filter(|c| !c.is_hide_set()) {
        write_man_page(sub, "", dir, written)?;
    }
    Ok(())
}

/// Writes the bash, zsh and fish completions into `dir` (`limberup.bash`, `_limberup`,
/// `limberup.fish`).
///
/// # Errors
/// The folder or a file cannot be written.
pub fn completions(dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut command = visible_command();
    SHELLS
        .into_iter()
        .map(|shell| clap_complete::generate_to(shell, &mut command, "limberup", dir))
        .collect()
}

/// The command line without its hidden commands: clap's completion generators offer
/// hidden commands too, and clap cannot remove a command, so the visible ones are copied
/// onto a fresh command with the same options.
fn visible_command() -> clap::Command {
    let full = Args::command();
    clap::Command::new("limberup")
        .version(env!("CARGO_PKG_VERSION"))
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|c| !c.is_hide_set()).cloned())
}
