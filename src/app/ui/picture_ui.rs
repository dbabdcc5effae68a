//! Step pictures: the player's illustration (its frame for the time under way, mirrored for
//! the right side), the routine page's thumbnails, and the placeholder for a missing one.

use std::time::Duration;

use eframe::egui::{self, Align2, Color32};

use crate::app::illustrations::{Illustrations, Picture};
use crate::app::theme::{self, Size};
use crate::routine::{Illustration, Step};
use crate::session::Session;
use crate::timeline::Side;

/// How often the current step's animation changes, if it has frames.
pub(in crate::app) fn frame_time(session: &Session) -> Option<Duration> {
    let plan = session.player().plan();
    let step = plan.step(session.player().segment())?;
    match &step.illustration {
        Some(Illustration::Frames { frame_time, .. }) => Some(*frame_time),
        _ => None,
    }
}

/// A step's picture at `size`: the frame for `elapsed`, mirrored for the right side.
pub(super) fn illustration_ui(
    ui: &mut egui::Ui,
    step: &Step,
    side: Option<Side>,
    elapsed: Duration,
    illustrations: &mut Illustrations,
    size: egui::Vec2,
) {
    let path = match &step.illustration {
        Some(Illustration::Image { path }) => path,
        Some(Illustration::Frames { paths, frame_time }) => {
            let ms = frame_time.as_millis().max(1);
            let index = usize::try_from(elapsed.as_millis() / ms).unwrap_or(0) % paths.len().max(1);
            &paths[index]
        }
        None => {
            placeholder_ui(ui, size, "No picture");
            return;
        }
    };
    let mirrored = step.mirror && side == Some(Side::Right);
    picture_ui(ui, illustrations.get(path), size, mirrored);
}

/// A small picture of a step (its first frame), for the outline.
pub(super) fn thumbnail_ui(
    ui: &mut egui::Ui,
    step: &Step,
    illustrations: &mut Illustrations,
    size: egui::Vec2,
) {
    match step.illustration.as_ref().and_then(|i| i.paths().first()) {
        Some(path) => picture_ui(ui, illustrations.get(path), size, false),
        None => {
            placeholder_ui(ui, size, "");
        }
    }
}

fn picture_ui(ui: &mut egui::Ui, picture: &Picture, size: egui::Vec2, mirrored: bool) {
    match picture {
        Picture::Ready(texture) => {
            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
            ui.painter().rect_filled(rect, theme::RADIUS, theme::PAPER);
            let image_size = texture.size_vec2();
            let scale = (size.x / image_size.x).min(size.y / image_size.y);
            let shown = egui::Rect::from_center_size(rect.center(), image_size * scale);
            let uv = if mirrored {
                egui::Rect::from_min_max(egui::pos2(1.0, 0.0), egui::pos2(0.0, 1.0))
            } else {
                egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0))
            };
            ui.painter().image(texture.id(), shown, uv, Color32::WHITE);
        }
        Picture::Loading => {
            placeholder_ui(ui, size, "");
        }
        Picture::Failed(reason) => {
            placeholder_ui(ui, size, "Picture unavailable").on_hover_text(reason.as_str());
        }
    }
}

pub(super) fn placeholder_ui(ui: &mut egui::Ui, size: egui::Vec2, text: &str) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    let painter = ui.painter();
    painter.rect_filled(rect, theme::RADIUS, ui.visuals().faint_bg_color);
    if !text.is_empty() {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            text,
            Size::Caption.font(ui.style()),
            ui.visuals().weak_text_color(),
        );
    }
    response
}
