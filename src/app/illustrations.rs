//! Illustrations: decoded off the UI thread, downscaled, held as textures only while a
//! frame draws or prefetches them.
//!
//! Each frame the pictures drawn ([`Illustrations::get`]) and those wanted soon
//! ([`Illustrations::prefetch`]: the player's next step, the other frames of an animation)
//! are marked; [`Illustrations::sweep`], after drawing, drops every other one, and egui frees
//! a texture when its last [`TextureHandle`] drops. A session holds the pictures of the step
//! under way and the next one; the routine page its thumbnails while it shows.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use eframe::egui::{self, ColorImage, TextureHandle, TextureOptions};

use crate::routine::media::decode_fitting;

/// Images larger than this (per side) are downscaled on load.
pub const MAX_TEXTURE_SIDE: u32 = 1024;

/// Where an image is.
pub enum Picture {
    /// Being decoded.
    Loading(Request),
    /// Ready to draw.
    Ready {
        /// The picture, uploaded.
        texture: TextureHandle,
        /// No pixel lets what is under it show through: nothing need be painted under it.
        opaque: bool,
    },
    /// Cannot be shown; the reason.
    Failed(String),
}

/// One request to the decoding thread. Its flag says whether a frame drew the picture's
/// placeholder, so the worker wakes the window when it is decoded; a prefetched picture
/// waits quietly for the next frame the display needs anyway.
#[derive(Clone)]
pub struct Request(Arc<AtomicBool>);

impl Request {
    fn is(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A decoded picture and whether it is opaque, or why it cannot be shown.
type Decoded = (PathBuf, Request, Result<(ColorImage, bool), String>);

/// The pictures held, and the worker thread that decodes.
pub struct Illustrations {
    pictures: HashMap<PathBuf, Picture>,
    /// The pictures drawn or prefetched since the last sweep.
    wanted: HashSet<PathBuf>,
    requests: Sender<(PathBuf, Request)>,
    results: Receiver<Decoded>,
}

impl Illustrations {
    /// Starts the decoding thread; it wakes the UI (`ctx`) when a picture on screen is ready.
    #[must_use]
    pub fn new(ctx: &egui::Context) -> Self {
        let (requests, inbox) = channel::<(PathBuf, Request)>();
        let (outbox, results) = channel::<Decoded>();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("illustrations".to_owned())
            .spawn(move || {
                for (path, request) in inbox {
                    let decoded = decode(&path);
                    let shown = request.0.load(Ordering::Relaxed);
                    if outbox.send((path, request, decoded)).is_err() {
                        break;
                    }
                    if shown {
                        ctx.request_repaint();
                    }
                }
            });
        // Without the thread the requests go nowhere and every picture shows the placeholder
        // with the reason; the app still works.
        drop(spawned);
        Self {
            pictures: HashMap::new(),
            wanted: HashSet::new(),
            requests,
            results,
        }
    }

    /// Uploads what the worker finished, unless the picture was dropped (or asked for again)
    /// meanwhile. Call once a frame, from `logic`.
    pub fn receive(&mut self, ctx: &egui::Context) {
        while let Ok((path, request, decoded)) = self.results.try_recv() {
            let Some(slot) = self.pictures.get_mut(&path) else {
                continue;
            };
            if !matches!(slot, Picture::Loading(waiting) if waiting.is(&request)) {
                continue;
            }
            *slot = match decoded {
                Ok((image, opaque)) => {
                    let name = path.display().to_string();
                    Picture::Ready {
                        texture: ctx.load_texture(name, image, TextureOptions::LINEAR),
                        opaque,
                    }
                }
                Err(reason) => Picture::Failed(reason),
            };
        }
    }

    /// The picture at `path`, to draw this frame; asks for it the first time.
    pub fn get(&mut self, path: &Path) -> &Picture {
        let picture = self.want(path);
        if let Picture::Loading(request) = picture {
            request.0.store(true, Ordering::Relaxed);
        }
        picture
    }

    /// Keeps the picture at `path` (asking for it the first time) without drawing it, so it
    /// is ready when a frame draws it.
    pub fn prefetch(&mut self, path: &Path) {
        self.want(path);
    }

    fn want(&mut self, path: &Path) -> &Picture {
        if !self.wanted.contains(path) {
            self.wanted.insert(path.to_path_buf());
        }
        if !self.pictures.contains_key(path) {
            let request = Request(Arc::new(AtomicBool::new(false)));
            let picture = if self
                .requests
                .send((path.to_path_buf(), request.clone()))
                .is_ok()
            {
                Picture::Loading(request)
            } else {
                Picture::Failed("the image loader could not start".to_owned())
            };
            self.pictures.insert(path.to_path_buf(), picture);
        }
        &self.pictures[path]
    }

    /// Drops every picture not drawn or prefetched since the last sweep. Call after drawing.
    pub fn sweep(&mut self) {
        let wanted = std::mem::take(&mut self.wanted);
        self.pictures.retain(|path, _| wanted.contains(path));
    }

    /// Forgets every picture, so changed files are read again.
    pub fn clear(&mut self) {
        self.pictures.clear();
    }

    /// The pictures held (decoded, being decoded or failed).
    pub fn held(&self) -> impl Iterator<Item = &Path> {
        self.pictures.keys().map(PathBuf::as_path)
    }

    /// Whether any picture is still being decoded.
    #[must_use]
    pub fn is_loading(&self) -> bool {
        self.pictures
            .values()
            .any(|p| matches!(p, Picture::Loading(_)))
    }
}

/// Decodes with limits against bombs and downscales to [`MAX_TEXTURE_SIDE`]; says whether
/// every pixel is opaque (found here, on the worker, not on the window's thread).
fn decode(path: &Path) -> Result<(ColorImage, bool), String> {
    let image = decode_fitting(path, MAX_TEXTURE_SIDE, MAX_TEXTURE_SIDE)?;
    let rgba = image.to_rgba8();
    let opaque = !image.color().has_alpha() || rgba.pixels().all(|p| p[3] == u8::MAX);
    let size = [rgba.width() as usize, rgba.height() as usize];
    Ok((
        ColorImage::from_rgba_unmultiplied(size, rgba.as_raw()),
        opaque,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_images_are_downscaled_and_garbage_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.png");
        image::RgbaImage::new(3000, 1500).save(&big).unwrap();
        let (decoded, opaque) = decode(&big).unwrap();
        assert_eq!(decoded.size, [1024, 512]);
        assert!(!opaque, "a transparent picture shows its card through it");
        let solid = dir.path().join("solid.png");
        image::RgbImage::new(40, 30).save(&solid).unwrap();
        assert!(
            decode(&solid).unwrap().1,
            "a picture without alpha is opaque"
        );
        let filled = dir.path().join("filled.png");
        image::RgbaImage::from_pixel(40, 30, image::Rgba([1, 2, 3, 255]))
            .save(&filled)
            .unwrap();
        assert!(decode(&filled).unwrap().1, "alpha everywhere full: opaque");
        let junk = dir.path().join("junk.png");
        std::fs::write(&junk, b"not an image").unwrap();
        assert!(decode(&junk).is_err(), "garbage is refused");
    }
}
