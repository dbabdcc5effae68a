//! Media and include paths: resolved relative to the file that names them, and kept inside
//! the routine's folder tree; plus quick checks that a file is an image or a sound we read.

use std::io::{BufReader, Read as _};
use std::path::{Component, Path, PathBuf};

/// Illustrations larger than this (per side, in pixels) are refused as likely bombs.
pub const MAX_IMAGE_SIDE: u32 = 8192;

/// Why a path written in a routine cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// Empty text.
    #[error("the path is empty")]
    Empty,
    /// `/x`, `C:\x`, `\\server\x`.
    #[error("`{0}` is an absolute path; media must be given relative to the routine file")]
    Absolute(String),
    /// `../x` past the top of the folder.
    #[error("`{0}` leaves the routine's folder")]
    Escapes(String),
    /// A symbolic link inside the folder that points outside it.
    #[error("`{0}` is a link to a file outside the routine's folder")]
    LinkEscapes(String),
    /// The file is not there.
    #[error("`{0}` does not exist")]
    Missing(String),
}

/// Resolves `written` (as the author wrote it) against `base_dir`, the folder of the file
/// that names it, and checks that the result stays inside `root`, the routine's folder.
///
/// Back-slashes count as separators, so routines written on Windows work everywhere.
///
/// # Errors
/// Every way the path can be unsafe or absent, as a [`PathError`].
pub fn resolve(root: &Path, base_dir: &Path, written: &str) -> Result<PathBuf, PathError> {
    let parts = lexical_parts(root, base_dir, written)?;
    let path = parts
        .iter()
        .fold(root.to_path_buf(), |p, part| p.join(part));
    // Symbolic links are followed only if they stay inside the root.
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(real_root)) if real.starts_with(&real_root) => Ok(path),
        (Ok(_), Ok(_)) => Err(PathError::LinkEscapes(written.to_owned())),
        _ if path.symlink_metadata().is_ok() => Err(PathError::LinkEscapes(written.to_owned())),
        _ => Err(PathError::Missing(written.to_owned())),
    }
}

/// The parts of the path `written` names, relative to `root`, worked out without the disk.
fn lexical_parts(root: &Path, base_dir: &Path, written: &str) -> Result<Vec<String>, PathError> {
    let text = written.trim();
    if text.is_empty() {
        return Err(PathError::Empty);
    }
    let normalised = text.replace('\\', "/");
    let looks_like_drive = normalised.len() >= 2 && normalised.as_bytes()[1] == b':';
    if normalised.starts_with('/') || looks_like_drive || Path::new(&normalised).has_root() {
        return Err(PathError::Absolute(written.to_owned()));
    }
    // Lexically, relative to the root: the base folder's place under it, then the path.
    let mut parts: Vec<String> = base_dir
        .strip_prefix(root)
        .unwrap_or(Path::new(""))
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    for component in Path::new(&normalised).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(PathError::Escapes(written.to_owned()));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(PathError::Absolute(written.to_owned()));
            }
        }
    }
    Ok(parts)
}

/// The path of the file `written` names with each part as it is called on disk, when a
/// part is written in another case (`images/Hip.PNG` for `images/hip.png`); `None` when
/// every part matches exactly, or no file matches even ignoring case. Parts are compared
/// by listing each folder (`list` gives the names in one), so a name in another case is
/// found on a case-insensitive file system too, where the file itself opens.
///
/// The result is relative to `base_dir` (the folder of the naming file), with `/`.
pub fn case_mismatch(
    root: &Path,
    base_dir: &Path,
    written: &str,
    list: &mut impl FnMut(&Path) -> Vec<String>,
) -> Option<String> {
    let parts = lexical_parts(root, base_dir, written).ok()?;
    let base_len = base_dir
        .strip_prefix(root)
        .map_or(0, |inner| inner.components().count());
    let mut folder = root.to_path_buf();
    let mut real = Vec::with_capacity(parts.len());
    let mut differs = false;
    for part in &parts {
        let names = list(&folder);
        let name = if names.iter().any(|n| n == part) {
            part.clone()
        } else {
            let lower = part.to_lowercase();
            let other = names.into_iter().find(|n| n.to_lowercase() == lower)?;
            differs = true;
            other
        };
        folder.push(&name);
        real.push(name);
    }
    if !differs {
        return None;
    }
    // Relative to the naming file's folder when the path stays under it.
    let under_base =
        real.len() > base_len && parts.iter().take(base_len).eq(real.iter().take(base_len));
    let shown = if under_base {
        &real[base_len..]
    } else {
        &real[..]
    };
    Some(shown.join("/"))
}

/// The names in `folder` (none when it cannot be read).
#[must_use]
pub fn folder_names(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// How thoroughly media files are checked when a routine loads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MediaCheck {
    /// Only that the file exists inside the folder (fast: the app's library).
    Exists,
    /// Read the image header and the sound's signature (the default).
    #[default]
    Header,
    /// Decode every image fully (`limberup check`).
    Decode,
}

/// Checks that `path` is an image we can show.
///
/// # Errors
/// A sentence saying why it cannot be shown.
pub fn check_image(path: &Path, check: MediaCheck) -> Result<(), String> {
    if check == MediaCheck::Exists {
        return Ok(());
    }
    let reader = crate::safe_file::open_regular(path)
        .map(|file| image::ImageReader::new(BufReader::new(file)))
        .and_then(image::ImageReader::with_guessed_format)
        .map_err(|e| format!("cannot read the image: {e}"))?;
    if reader.format().is_none() {
        return Err("the file is not a PNG or JPEG image".to_owned());
    }
    let mut reader = reader;
    reader.limits(image_limits());
    if check == MediaCheck::Decode {
        reader
            .decode()
            .map(drop)
            .map_err(|e| format!("the image cannot be decoded: {e}"))
    } else {
        let (width, height) = reader
            .into_dimensions()
            .map_err(|e| format!("the image cannot be decoded: {e}"))?;
        if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
            return Err(format!(
                "the image is {width}x{height} px; the limit is {MAX_IMAGE_SIDE} px a side"
            ));
        }
        Ok(())
    }
}

/// Decoding limits for illustrations: no more than 8192 px a side or 256 MiB of pixels.
#[must_use]
pub fn image_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    limits
}

/// Decodes a picture within [`image_limits`] and scales it down, keeping its proportions,
/// to fit `max_width` × `max_height` (a smaller one is left as it is).
///
/// # Errors
/// A sentence saying why the file cannot be read or decoded.
pub fn decode_fitting(
    path: &Path,
    max_width: u32,
    max_height: u32,
) -> Result<image::DynamicImage, String> {
    let mut reader = crate::safe_file::open_regular(path)
        .map(|file| image::ImageReader::new(BufReader::new(file)))
        .and_then(image::ImageReader::with_guessed_format)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    reader.limits(image_limits());
    let image = reader
        .decode()
        .map_err(|e| format!("cannot decode {}: {e}", path.display()))?;
    Ok(
        if image.width() > max_width || image.height() > max_height {
            image.resize(max_width, max_height, image::imageops::FilterType::Triangle)
        } else {
            image
        },
    )
}

/// Checks that `path` starts like a WAV, OGG or FLAC file.
///
/// # Errors
/// A sentence saying why it cannot be played.
pub fn check_sound(path: &Path, check: MediaCheck) -> Result<(), String> {
    if check == MediaCheck::Exists {
        return Ok(());
    }
    let mut head = [0u8; 12];
    let read = crate::safe_file::open_regular(path)
        .map(BufReader::new)
        .and_then(|mut file| file.read(&mut head))
        .map_err(|e| format!("cannot read the sound: {e}"))?;
    let head = &head[..read];
    let known = (head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WAVE"))
        || head.starts_with(b"OggS")
        || head.starts_with(b"fLaC");
    if !known {
        return Err("the file is not a WAV, OGG or FLAC sound".to_owned());
    }
    if check == MediaCheck::Decode && head.starts_with(b"RIFF") {
        check_wav(path)?;
    }
    Ok(())
}

/// Reads a WAV clip through: a usable format, and as many samples as its header promises.
/// (OGG and FLAC clips are decoded when they play; one that fails plays the built-in cue.)
fn check_wav(path: &Path) -> Result<(), String> {
    /// Longer clips are refused: cues are seconds long, and this bounds the work.
    const MAX_SAMPLES: u32 = 48_000 * 2 * 60;
    let mut reader =
        hound::WavReader::open(path).map_err(|e| format!("the sound cannot be decoded: {e}"))?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        return Err(format!(
            "the sound cannot be decoded: {} channels at {} Hz",
            spec.channels, spec.sample_rate
        ));
    }
    if reader.len() > MAX_SAMPLES {
        return Err("the sound is longer than a minute; cue clips are a few seconds".to_owned());
    }
    let damaged = |e: hound::Error| format!("the sound is damaged: {e}");
    match spec.sample_format {
        hound::SampleFormat::Float => {
            for sample in reader.samples::<f32>() {
                sample.map_err(damaged)?;
            }
        }
        hound::SampleFormat::Int => {
            for sample in reader.samples::<i32>() {
                sample.map_err(damaged)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_absolute_and_escaping_paths() {
        let root = Path::new("/nonexistent/routines");
        assert!(matches!(
            resolve(root, root, "/etc/passwd"),
            Err(PathError::Absolute(_))
        ));
        assert!(matches!(
            resolve(root, root, "C:\\x.png"),
            Err(PathError::Absolute(_))
        ));
        assert!(matches!(
            resolve(root, root, "../x.png"),
            Err(PathError::Escapes(_))
        ));
        assert!(matches!(
            resolve(root, root, "images/../../x.png"),
            Err(PathError::Escapes(_))
        ));
        assert!(matches!(
            resolve(root, root, "images\\..\\..\\x"),
            Err(PathError::Escapes(_))
        ));
        assert!(matches!(resolve(root, root, ""), Err(PathError::Empty)));
        assert!(matches!(
            resolve(root, root, "images/x.png"),
            Err(PathError::Missing(_))
        ));
    }

    #[test]
    fn follows_links_only_inside_the_folder() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.png"), b"x").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("inside.png"), b"x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(
                outside.path().join("secret.png"),
                root.path().join("out.png"),
            )
            .unwrap();
            std::os::unix::fs::symlink(root.path().join("inside.png"), root.path().join("in.png"))
                .unwrap();
            std::os::unix::fs::symlink("/nonexistent", root.path().join("dangling.png")).unwrap();
            assert!(matches!(
                resolve(root.path(), root.path(), "out.png"),
                Err(PathError::LinkEscapes(_))
            ));
            assert!(matches!(
                resolve(root.path(), root.path(), "dangling.png"),
                Err(PathError::LinkEscapes(_))
            ));
            assert!(
                resolve(root.path(), root.path(), "in.png").is_ok(),
                "link inside"
            );
        }
        assert_eq!(
            resolve(root.path(), root.path(), "./inside.png").unwrap(),
            root.path().join("inside.png")
        );
    }

    #[test]
    fn paths_resolve_relative_to_the_naming_file() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("lib/img")).unwrap();
        std::fs::write(root.path().join("lib/img/a.png"), b"x").unwrap();
        let base = root.path().join("lib");
        assert_eq!(
            resolve(root.path(), &base, "img/a.png").unwrap(),
            root.path().join("lib/img/a.png")
        );
        assert!(matches!(
            resolve(root.path(), &base, "../../a.png"),
            Err(PathError::Escapes(_))
        ));
    }
}
