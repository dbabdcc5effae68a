//! Step pictures: the player's illustration (its frame for the time under way, mirrored for
//! the right side), the routine page's thumbnails, and the placeholder for a missing one.
//!
//! An animated picture changes frame at its routine's frame time, never quicker than
//! [`MIN_FRAME_TIME`], and the window wakes exactly when the frame changes
//! ([`next_frame_in`]); with animations off the first frame stands still.

use std::time::Duration;

use eframe::egui::{self, Align2, Color32};

use crate::app::illustrations::{Illustrations, Picture};
use crate::app::theme::{self, Size};
use crate::routine::{Illustration, Step};
use crate::session::Session;
use crate::timeline::{Phase, Plan, Segment, SegmentKind, Side};

/// The shortest time a frame shows, whatever the routine asks: at most 4 frames a second,
/// each a repaint of the whole window (about 20 ms of a core with software rendering).
pub(in crate::app) const MIN_FRAME_TIME: Duration = Duration::from_millis(250);

/// How long each frame of `frame_time` shows on screen.
fn shown_frame_time(frame_time: Duration) -> Duration {
    frame_time.max(MIN_FRAME_TIME)
}

/// Which of `count` frames, each of `frame_time`, shows `elapsed` into the step.
fn frame_index(elapsed: Duration, frame_time: Duration, count: usize) -> usize {
    let each = shown_frame_time(frame_time).as_millis();
    usize::try_from(elapsed.as_millis() / each).unwrap_or(0) % count.max(1)
}

/// How long until the picture on screen shows its next frame: `None` unless `animate` is
/// on, the step under way is work with several frames, and its time runs (paused, resting
/// or waiting for the sound, the picture stands still and needs no repaint).
pub(in crate::app) fn next_frame_in(
    session: &Session,
    now: Duration,
    animate: bool,
) -> Option<Duration> {
    if !animate {
        return None;
    }
    let player = session.player();
    let status = player.status(now);
    if status.phase != Phase::Running {
        return None;
    }
    let plan = player.plan();
    let segment = plan.segments.get(status.segment)?;
    if segment.kind != SegmentKind::Work {
        return None;
    }
    let Some(Illustration::Frames { paths, frame_time }) = &plan.step(segment)?.illustration else {
        return None;
    };
    if paths.len() < 2 {
        return None;
    }
    let each = shown_frame_time(*frame_time);
    let into = Duration::from_nanos(
        u64::try_from(status.elapsed.as_nanos() % each.as_nanos()).unwrap_or(0),
    );
    Some(each.saturating_sub(into))
}

/// The work step after `shown`'s own (the other side of the same step is skipped): the one
/// whose picture the player prefetches.
pub(super) fn step_after<'a>(plan: &'a Plan, shown: &Segment) -> Option<&'a Step> {
    let mut at = shown.next_work;
    while let Some(index) = at {
        let segment = plan.segments.get(index)?;
        if segment.step != shown.step {
            return plan.step(segment);
        }
        at = segment.next_work;
    }
    None
}

/// Keeps the pictures `step` will draw (every frame when animating, else the first), so
/// they are decoded before they show.
pub(super) fn prefetch(step: &Step, animate: bool, illustrations: &mut Illustrations) {
    let paths = step
        .illustration
        .as_ref()
        .map_or(&[][..], Illustration::paths);
    let wanted = if animate {
        paths
    } else {
        &paths[..paths.len().min(1)]
    };
    for path in wanted {
        illustrations.prefetch(path);
    }
}

/// A step's picture at `size`: the frame for `elapsed` (the first with `animate` off),
/// mirrored for the right side. The step's other frames are kept for the frames to come.
pub(super) fn illustration_ui(
    ui: &mut egui::Ui,
    (step, side): (&Step, Option<Side>),
    elapsed: Duration,
    animate: bool,
    illustrations: &mut Illustrations,
    size: egui::Vec2,
) {
    let path = match &step.illustration {
        Some(Illustration::Image { path }) => path,
        Some(Illustration::Frames { paths, frame_time }) => {
            prefetch(step, animate, illustrations);
            let index = if animate {
                frame_index(elapsed, *frame_time, paths.len())
            } else {
                0
            };
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
        Picture::Ready { texture, opaque } => {
            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
            let image_size = texture.size_vec2();
            let scale = (size.x / image_size.x).min(size.y / image_size.y);
            let shown = egui::Rect::from_center_size(rect.center(), image_size * scale);
            if *opaque {
                // Only the card's margins beside the picture: every pixel painted twice
                // runs the renderer's shader twice.
                for (margin, corners) in margins(rect, shown) {
                    ui.painter().rect_filled(margin, corners, theme::PAPER);
                }
            } else {
                ui.painter().rect_filled(rect, theme::RADIUS, theme::PAPER);
            }
            let uv = if mirrored {
                egui::Rect::from_min_max(egui::pos2(1.0, 0.0), egui::pos2(0.0, 1.0))
            } else {
                egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0))
            };
            ui.painter().image(texture.id(), shown, uv, Color32::WHITE);
        }
        Picture::Loading(_) => {
            placeholder_ui(ui, size, "");
        }
        Picture::Failed(reason) => {
            placeholder_ui(ui, size, "Picture unavailable").on_hover_text(reason.as_str());
        }
    }
}

/// The parts of the card `rect` left uncovered by the picture `shown` centred in it (the
/// bars beside it, or above and below), each with the card's rounding on its outer corners.
fn margins(rect: egui::Rect, shown: egui::Rect) -> Vec<(egui::Rect, egui::CornerRadius)> {
    let r = theme::RADIUS;
    let bars = [
        (
            egui::Rect::from_x_y_ranges(rect.left()..=shown.left(), rect.y_range()),
            egui::CornerRadius {
                nw: r,
                sw: r,
                ..egui::CornerRadius::ZERO
            },
        ),
        (
            egui::Rect::from_x_y_ranges(shown.right()..=rect.right(), rect.y_range()),
            egui::CornerRadius {
                ne: r,
                se: r,
                ..egui::CornerRadius::ZERO
            },
        ),
        (
            egui::Rect::from_x_y_ranges(shown.x_range(), rect.top()..=shown.top()),
            egui::CornerRadius::ZERO,
        ),
        (
            egui::Rect::from_x_y_ranges(shown.x_range(), shown.bottom()..=rect.bottom()),
            egui::CornerRadius::ZERO,
        ),
    ];
    bars.into_iter()
        .filter(|(bar, _)| bar.width() >= 0.5 && bar.height() >= 0.5)
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_change_at_their_frame_time_but_never_more_than_four_times_a_second() {
        let ms = Duration::from_millis;
        assert_eq!(
            frame_index(ms(399), ms(400), 2),
            0,
            "0.4 s: the first frame"
        );
        assert_eq!(frame_index(ms(400), ms(400), 2), 1, "then the second");
        assert_eq!(frame_index(ms(800), ms(400), 2), 0, "and round again");
        assert_eq!(
            frame_index(ms(249), ms(100), 3),
            0,
            "0.1 s is slowed to 0.25 s"
        );
        assert_eq!(
            frame_index(ms(250), ms(100), 3),
            1,
            "0.1 s is slowed to 0.25 s"
        );
        assert_eq!(
            frame_index(ms(5), Duration::ZERO, 0),
            0,
            "no frames, no panic"
        );
    }

    #[test]
    fn an_opaque_picture_leaves_only_the_cards_margins_to_paint() {
        let card = egui::Rect::from_min_size(egui::pos2(10.0, 20.0), egui::vec2(400.0, 300.0));
        // A picture of the card's own shape covers it all.
        assert!(margins(card, card).is_empty(), "nothing beside it");
        // A square picture in the wide card: a bar each side, rounded on the outside.
        let square = egui::Rect::from_center_size(card.center(), egui::vec2(300.0, 300.0));
        let bars = margins(card, square);
        assert_eq!(bars.len(), 2, "left and right: {bars:?}");
        let (left, left_corners) = bars[0];
        let (right, right_corners) = bars[1];
        assert_eq!(
            left,
            egui::Rect::from_min_max(egui::pos2(10.0, 20.0), egui::pos2(60.0, 320.0))
        );
        assert_eq!(
            right,
            egui::Rect::from_min_max(egui::pos2(360.0, 20.0), egui::pos2(410.0, 320.0))
        );
        assert_eq!(
            (left_corners.nw, left_corners.sw, left_corners.ne),
            (theme::RADIUS, theme::RADIUS, 0),
            "rounded outside only"
        );
        assert_eq!(
            (right_corners.ne, right_corners.se, right_corners.nw),
            (theme::RADIUS, theme::RADIUS, 0),
            "rounded outside only"
        );
        // A wide picture: bars above and below, and together with it the whole card.
        let wide = egui::Rect::from_center_size(card.center(), egui::vec2(400.0, 200.0));
        let bars = margins(card, wide);
        assert_eq!(bars.len(), 2, "above and below: {bars:?}");
        let painted: f32 = bars.iter().map(|(r, _)| r.area()).sum::<f32>() + wide.area();
        assert!(
            (painted - card.area()).abs() < 1e-3,
            "the card, once: {painted}"
        );
    }
}
