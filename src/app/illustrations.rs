//! Illustrations: decoded off the UI thread, downscaled, cached as textures.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

use eframe::egui::{self, ColorImage, TextureHandle, TextureOptions};

use crate::routine::media::decode_fitting;

/// Images larger than this (per side) are downscaled on load.
pub const MAX_TEXTURE_SIDE: u32 = 1024;

/// Where an image is.
pub enum Picture {
    /// Being decoded.
    Loading,
    /// Ready to draw.
    Ready(TextureHandle),
    /// Cannot be shown; the reason.
    Failed(String),
}

type Decoded = (PathBuf, Result<ColorImage, String>);

/// The cache, and the worker thread that decodes.
pub struct Illustrations {
    pictures: HashMap<PathBuf, Picture>,
    requests: Sender<PathBuf>,
    results: Receiver<Decoded>,
}

impl Illustrations {
    /// Starts the decoding thread; it wakes the UI (`ctx`) when an image is ready.
    #[must_use]
    pub fn new(ctx: &egui::Context) -> Self {
        let (requests, inbox) = channel::<PathBuf>();
        let (outbox, results) = channel::<Decoded>();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("illustrations".to_owned())
            .spawn(move || {
                for path in inbox {
                    let decoded = decode(&path);
                    if outbox.send((path, decoded)).is_err() {
                        break;
                    }
                    ctx.request_repaint();
                }
            });
        // Without the thread the requests go nowhere and every picture shows the placeholder
        // with the reason; the app still works.
        drop(spawned);
        Self {
            pictures: HashMap::new(),
            requests,
            results,
        }
    }

    /// Uploads what the worker finished. Call once a frame, from `logic`.
    pub fn receive(&mut self, ctx: &egui::Context) {
        while let Ok((path, decoded)) = self.results.try_recv() {
            let picture = match decoded {
                Ok(image) => {
                    let name = path.display().to_string();
                    Picture::Ready(ctx.load_texture(name, image, TextureOptions::LINEAR))
                }
                Err(reason) => Picture::Failed(reason),
            };
            self.pictures.insert(path, picture);
        }
    }

    /// The picture at `path`, asking for it to be decoded the first time.
    pub fn get(&mut self, path: &Path) -> &Picture {
        if !self.pictures.contains_key(path) {
            let picture = if self.requests.send(path.to_path_buf()).is_ok() {
                Picture::Loading
            } else {
                Picture::Failed("the image loader could not start".to_owned())
            };
            self.pictures.insert(path.to_path_buf(), picture);
        }
        &self.pictures[path]
    }

    /// Forgets every picture, so changed files are read again.
    pub fn clear(&mut self) {
        self.pictures.clear();
    }

    /// Whether any picture is still being decoded.
    #[must_use]
    pub fn is_loading(&self) -> bool {
        self.pictures
            .values()
            .any(|p| matches!(p, Picture::Loading))
    }
}

/// Decodes with limits against bombs and downscales to [`MAX_TEXTURE_SIDE`].
fn decode(path: &Path) -> Result<ColorImage, String> {
    let image = decode_fitting(path, MAX_TEXTURE_SIDE, MAX_TEXTURE_SIDE)?;
    let rgba = image.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Ok(ColorImage::from_rgba_unmultiplied(size, rgba.as_raw()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_images_are_downscaled_and_garbage_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.png");
        image::RgbaImage::new(3000, 1500).save(&big).unwrap();
        let decoded = decode(&big).unwrap();
        assert_eq!(decoded.size, [1024, 512]);
        let junk = dir.path().join("junk.png");
        std::fs::write(&junk, b"not an image").unwrap();
        assert!(decode(&junk).is_err(), "garbage is refused");
    }
}
