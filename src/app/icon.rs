//! The window icon: the packaged app icon, built into the binary so the window has it
//! however Limber Up was installed (or run with `cargo run`).

use eframe::egui;

/// The 256 px app icon (rendered from the SVG by `packaging/icons/render.sh`).
pub const PNG: &[u8] =
    include_bytes!("../../packaging/icons/hicolor/256x256/apps/io.github.limberup.LimberUp.png");

/// The icon as the window wants it; `None` (logged) if it cannot be decoded, and the
/// window opens without one.
#[must_use]
pub fn window_icon() -> Option<egui::IconData> {
    match image::load_from_memory_with_format(PNG, image::ImageFormat::Png) {
        Ok(image) => {
            let rgba = image.into_rgba8();
            Some(egui::IconData {
                width: rgba.width(),
                height: rgba.height(),
                rgba: rgba.into_raw(),
            })
        }
        Err(e) => {
            log::warn!("the window icon cannot be decoded: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_icon_decodes_to_256_px_rgba() {
        let icon = window_icon().expect("the committed PNG decodes");
        assert_eq!((icon.width, icon.height), (256, 256), "the 256 px icon");
        assert_eq!(icon.rgba.len(), 256 * 256 * 4, "RGBA bytes");
        let corner_alpha = icon.rgba[3];
        let centre = (128 * 256 + 128) * 4;
        assert_eq!(
            corner_alpha, 0,
            "the rounded tile leaves the corners transparent"
        );
        assert_eq!(icon.rgba[centre + 3], 255, "the tile is opaque");
    }
}
