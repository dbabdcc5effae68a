//! Packaging: the man pages and completions generated from the command line, `list --paths`,
//! and the desktop integration files agreeing with the app id, the licence and the version.
//! Building and installing the packages themselves is `tests/package.sh` and
//! `tests/tarball.sh`.

use std::path::{Path, PathBuf};
use std::process::Output;

use clap::CommandFactory as _;
use limberup::app::APP_ID;
use limberup::cli::Args;

fn limberup(args: &[&str]) -> Output {
    crate::common::limberup("limberup-packaging-test-empty", args)
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn packaging(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("packaging")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names of the commands a user sees (`--help` lists them).
fn visible_commands() -> Vec<String> {
    Args::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_owned())
        .collect()
}

fn hidden_commands() -> Vec<String> {
    Args::command()
        .get_subcommands()
        .filter(|c| c.is_hide_set())
        .map(|c| c.get_name().to_owned())
        .collect()
}

#[test]
fn generate_man_writes_a_page_per_visible_command_and_none_for_hidden_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    let printed = succeeded(&limberup(&["generate", "man", &out.display().to_string()]));
    let main = std::fs::read_to_string(out.join("limberup.1")).expect("limberup.1");
    assert!(
        main.contains("\n.TH limberup 1 "),
        "a roff page: {main:.120}"
    );
    for section in ["DESCRIPTION", "SUBCOMMANDS", "ENVIRONMENT", "FILES"] {
        assert!(main.contains(section), "limberup.1 has {section}");
    }
    assert!(
        main.contains("LIMBERUP_DATA_DIR") && main.contains("/usr/share/limberup/routines/"),
        "limberup.1 says where the routines are"
    );
    let commands = visible_commands();
    assert!(commands.len() >= 6, "{commands:?}");
    for command in &commands {
        let page = out.join(format!("limberup-{command}.1"));
        assert!(page.is_file(), "{} is written", page.display());
        assert!(
            printed.contains(&page.display().to_string()),
            "`generate man` names {}",
            page.display()
        );
        assert!(
            main.replace("\\-", "-")
                .contains(&format!("limberup-{command}(1)")),
            "limberup.1 refers to limberup-{command}(1)"
        );
    }
    for command in hidden_commands() {
        assert!(
            !out.join(format!("limberup-{command}.1")).exists(),
            "no page for the hidden `{command}`"
        );
    }
}

#[test]
fn generate_completions_writes_bash_zsh_and_fish_offering_only_visible_commands() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("completions");
    succeeded(&limberup(&[
        "generate",
        "completions",
        &out.display().to_string(),
    ]));
    for (file, marker) in [
        ("limberup.bash", "complete -F"),
        ("_limberup", "#compdef limberup"),
        ("limberup.fish", "complete -c limberup"),
    ] {
        let text =
            std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(text.contains(marker), "{file} is a {marker:?} script");
        for command in visible_commands() {
            assert!(text.contains(&command), "{file} completes `{command}`");
        }
        for command in hidden_commands() {
            assert!(
                !text.contains(&command),
                "{file} does not offer the hidden `{command}`"
            );
        }
        assert!(text.contains("--routines"), "{file} completes --routines");
    }
}

#[test]
fn generate_into_a_path_that_is_a_file_fails_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let output = limberup(&["generate", "man", &file.display().to_string()]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "an unwritable folder is an error"
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not-a-folder"),
        "the error names the path: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn list_paths_shows_the_file_of_each_routine() {
    let printed = succeeded(&limberup(&["list", "--paths"]));
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("routines");
    let lines: Vec<&str> = printed.lines().collect();
    assert!(lines.len() >= 9, "{printed}");
    for line in lines {
        let (_, path) = line
            .rsplit_once("  ")
            .unwrap_or_else(|| panic!("a path at the end: {line}"));
        let path = PathBuf::from(path);
        assert!(path.starts_with(&bundled), "{line}");
        assert!(path.is_file(), "{line}");
    }
}

#[test]
fn the_desktop_file_names_the_app_id_and_the_bundle_type() {
    let desktop = packaging(&format!("{APP_ID}.desktop"));
    let value = |key: &str| {
        desktop
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("the desktop file has {key}="))
            .to_owned()
    };
    assert_eq!(value("Icon"), APP_ID, "the icon is named by the app id");
    assert_eq!(
        value("StartupWMClass"),
        APP_ID,
        "the window's class is the app id"
    );
    assert_eq!(value("Exec"), "limberup %f", "one file at a time");
    assert_eq!(value("MimeType"), "application/x-limberup;", "bundles");
    assert_eq!(value("Name"), "Limber Up", "the window title");

    let mime = packaging(&format!("{APP_ID}.mime.xml"));
    assert!(
        mime.contains(r#"<mime-type type="application/x-limberup">"#)
            && mime.contains(r#"<glob pattern="*.limberup"/>"#)
            && mime.contains(r#"<sub-class-of type="application/zip"/>"#),
        "the MIME type the desktop file lists is defined: {mime}"
    );
}

#[test]
fn the_metainfo_matches_the_app_id_licence_and_version() {
    let metainfo = packaging(&format!("{APP_ID}.metainfo.xml"));
    assert!(metainfo.contains(&format!("<id>{APP_ID}</id>")), "the id");
    assert!(
        metainfo.contains(&format!(
            r#"<launchable type="desktop-id">{APP_ID}.desktop</launchable>"#
        )),
        "launches the desktop file"
    );
    assert!(
        metainfo.contains(&format!(
            "<project_license>{}</project_license>",
            env!("CARGO_PKG_LICENSE")
        )),
        "the licence is Cargo.toml's"
    );
    assert!(
        metainfo.contains(&format!(
            r#"<release version="{}""#,
            env!("CARGO_PKG_VERSION")
        )),
        "the metainfo has a release entry for this version ({}): add one when bumping it",
        env!("CARGO_PKG_VERSION")
    );
    assert!(
        metainfo.contains("<mediatype>application/x-limberup</mediatype>"),
        "provides the bundle type"
    );
    for screenshot in metainfo
        .split("<image>")
        .skip(1)
        .filter_map(|s| s.split_once("</image>").map(|(url, _)| url))
    {
        let name = screenshot
            .strip_prefix(
                "https://raw.githubusercontent.com/limberup/limberup/main/docs/screenshots/",
            )
            .unwrap_or_else(|| panic!("a screenshot from the repository: {screenshot}"));
        let local = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs/screenshots")
            .join(name);
        assert!(
            local.is_file(),
            "{screenshot} exists as {}",
            local.display()
        );
    }
}

#[test]
fn the_icon_exists_at_every_hicolor_size() {
    let hicolor = Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/icons/hicolor");
    for size in [16, 22, 24, 32, 48, 64, 128, 256, 512] {
        let png = hicolor.join(format!("{size}x{size}/apps/{APP_ID}.png"));
        let dimensions =
            image::image_dimensions(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        assert_eq!(dimensions, (size, size), "{}", png.display());
    }
    let svg = hicolor.join(format!("scalable/apps/{APP_ID}.svg"));
    let svg = std::fs::read_to_string(&svg).unwrap_or_else(|e| panic!("{}: {e}", svg.display()));
    assert!(svg.contains("<svg"), "the scalable icon is an SVG");
}
