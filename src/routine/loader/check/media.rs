//! Media references: images, animation frames and sounds, resolved relative to the file
//! that names them, kept inside the routine's folder, and checked once each.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::routine::diagnostic::Severity;
use crate::routine::format::{RoutineDoc, StepDoc};
use crate::routine::media::{self, PathError};
use crate::routine::source_map::ValuePath;
use crate::routine::{CueSounds, Illustration};

use super::{Context, FileId};

impl Context {
    pub(super) fn illustration(
        &mut self,
        file: FileId,
        path: &ValuePath,
        doc: &StepDoc,
    ) -> Option<Illustration> {
        if let Some(written) = &doc.image {
            let at = path.field("image");
            let resolved = self.media(file, &at, written, true)?;
            return Some(Illustration::Image { path: resolved });
        }
        let frames = doc.frames.as_ref().filter(|f| !f.is_empty())?;
        let paths: Vec<PathBuf> = frames
            .iter()
            .enumerate()
            .filter_map(|(i, written)| {
                let at = path.field("frames").index(i);
                self.media(file, &at, written, true)
            })
            .collect();
        (!paths.is_empty()).then(|| Illustration::Frames {
            paths,
            frame_time: doc.frame_time.map_or(Duration::from_secs(1), |f| f.timer),
        })
    }

    pub(super) fn sound(&mut self, file: FileId, at: &ValuePath, written: &str) -> Option<PathBuf> {
        self.media(file, at, written, false)
    }

    /// Resolves and checks a media file. A missing or unreadable one is a warning (the
    /// routine still plays); an unsafe path is an error.
    fn media(
        &mut self,
        file: FileId,
        at: &ValuePath,
        written: &str,
        is_image: bool,
    ) -> Option<PathBuf> {
        let path = self.resolve_path(file, at, written, Severity::Warning)?;
        let check = self.options.media;
        let result = self.shared.media(&path, is_image, || {
            if is_image {
                media::check_image(&path, check)
            } else {
                media::check_sound(&path, check)
            }
        });
        match result {
            Ok(()) => Some(path),
            Err(reason) => {
                self.warning(
                    file,
                    at,
                    format!("`{written}`: {reason}"),
                    Some("replace the file; a placeholder shows meanwhile".to_owned()),
                );
                Some(path)
            }
        }
    }

    /// Resolves a written path inside the routine's folder; reports why not otherwise.
    pub(super) fn resolve_path(
        &mut self,
        file: FileId,
        at: &ValuePath,
        written: &str,
        missing: Severity,
    ) -> Option<PathBuf> {
        let cx = self.file(file);
        let base = cx.path.parent().unwrap_or(Path::new("")).to_path_buf();
        let root = cx.root.clone();
        let (resolved, mismatch) = self.shared.resolve(&root, &base, written);
        if let Some(real) = mismatch {
            let hint = format!(
                "write `{real}` exactly: capital and small letters count on Linux, so the \
                 file would not be found there"
            );
            let message = format!("the file is called `{real}`, not `{written}`");
            self.report(file, missing, at, message, Some(hint));
            // On a system that ignores case the file opens: it still plays here.
            return resolved.ok();
        }
        match resolved {
            Ok(path) => Some(path),
            Err(error @ PathError::Missing(_)) => {
                let hint = Some(
                    "check the spelling; paths are relative to the file that names them".to_owned(),
                );
                self.report(file, missing, at, error.to_string(), hint);
                None
            }
            Err(error) => {
                let hint = Some("keep media in the routine's folder and name it relatively, like `images/x.png`".to_owned());
                self.error(file, at, error.to_string(), hint);
                None
            }
        }
    }

    pub(super) fn cue_sounds(&mut self, doc: &RoutineDoc) -> CueSounds {
        let mut sounds = CueSounds::default();
        for (name, written) in doc.sounds.entries() {
            let at = ValuePath::ROOT.field("sounds").field(name);
            let path = self.sound(FileId::Main, &at, written);
            let slot = match name {
                "start" => &mut sounds.start,
                "countdown" => &mut sounds.countdown,
                "switch" => &mut sounds.switch,
                "halfway" => &mut sounds.halfway,
                "rep" => &mut sounds.rep,
                _ => &mut sounds.finish,
            };
            *slot = path;
        }
        sounds
    }
}
