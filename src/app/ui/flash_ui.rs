//! The full-window flash (the Flash setting), for places too noisy to hear the cues: at each
//! step boundary the window fills with the new segment's colour, at the finish with the
//! finish's, and fades out on the session's clock.
//!
//! The fade comes in [`theme::FLASH_STEP`]s and asks for one frame at each, none once it has
//! gone: with the setting off, or between boundaries, it asks for nothing.

use std::time::Duration;

use eframe::egui;

use super::player_ui;
use crate::app::theme;
use crate::session::Session;
use crate::timeline::Phase;

/// Paints the flash over the whole window while the last boundary of `session` is less than
/// [`theme::FLASH_FADE`] behind `now`, and asks for the frame of its next step. A session
/// stopped by the athlete does not flash: only one that ran to its end.
pub(super) fn flash_ui(ctx: &egui::Context, session: &Session, now: Duration) {
    let player = session.player();
    let finished = player.status(now).phase == Phase::Finished;
    if session.summary().is_some() && !finished {
        return;
    }
    let Some(boundary) = player.last_boundary() else {
        return;
    };
    let Some((opacity, next)) = fade(now.saturating_sub(boundary)) else {
        return;
    };
    let colour = if finished {
        theme::FINISH_FLASH
    } else {
        player_ui::kind_colour(player.segment().kind)
    };
    ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("transition-flash"),
    ))
    .rect_filled(ctx.content_rect(), 0.0, colour.gamma_multiply(opacity));
    // The fade's own frames, asked for here where it is drawn: the window's logic wakes for
    // the session, and the finish screen has none. A hidden window needs no flash.
    ctx.request_repaint_after(next);
}

/// The flash's opacity `age` after its boundary, in whole steps of the fade, and how long
/// until the next step; `None` once it has faded.
fn fade(age: Duration) -> Option<(f32, Duration)> {
    if age >= theme::FLASH_FADE {
        return None;
    }
    let steps = u32::try_from(age.as_nanos() / theme::FLASH_STEP.as_nanos()).ok()?;
    let passed = theme::FLASH_STEP * steps;
    let opacity =
        theme::FLASH_OPACITY * (1.0 - passed.as_secs_f32() / theme::FLASH_FADE.as_secs_f32());
    // After this step: never nothing, so the window cannot spin on one moment.
    let next = (passed + theme::FLASH_STEP).saturating_sub(age);
    Some((opacity, next.max(Duration::from_millis(1))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fade_steps_down_to_nothing_and_asks_for_one_frame_a_step() {
        let ms = Duration::from_millis;
        let (start, next) = fade(Duration::ZERO).expect("at the boundary");
        assert!((start - theme::FLASH_OPACITY).abs() < 1e-6, "{start}");
        assert_eq!(next, theme::FLASH_STEP);
        // Within a step nothing changes; the next frame is at the step's end.
        let (same, next) = fade(ms(20)).expect("early");
        assert!((same - start).abs() < 1e-6, "{same}");
        assert_eq!(next, ms(30));
        let (half, _) = fade(ms(300)).expect("halfway");
        assert!((half - theme::FLASH_OPACITY / 2.0).abs() < 1e-3, "{half}");
        let (last, next) = fade(ms(599)).expect("the last step");
        assert!(last > 0.0 && last < 0.1, "{last}");
        assert_eq!(next, ms(1), "the frame that takes it away");
        assert_eq!(fade(theme::FLASH_FADE), None);
        assert_eq!(fade(ms(5_000)), None);
        // Twelve frames in all.
        let mut age = Duration::ZERO;
        let mut frames = 0;
        while let Some((_, next)) = fade(age) {
            age += next;
            frames += 1;
        }
        assert_eq!(frames, 12);
    }
}
