//! Design tokens: every colour and size the app draws with, in one place.

use std::time::Duration;

use eframe::egui::{self, Color32, FontId};

/// The accent: buttons, progress, the working limb in the illustrations.
pub const ACCENT: Color32 = Color32::from_rgb(0x1F, 0x7A, 0xE0);
/// Work segments.
pub const WORK: Color32 = Color32::from_rgb(0x2E, 0x9E, 0x5B);
/// Rest segments.
pub const REST: Color32 = Color32::from_rgb(0x2B, 0x8C, 0xC4);
/// Switch-sides and get-ready segments.
pub const SWITCH: Color32 = Color32::from_rgb(0xE0, 0x9A, 0x1F);
/// The LEFT badge.
pub const LEFT: Color32 = Color32::from_rgb(0x1F, 0x7A, 0xE0);
/// The RIGHT badge.
pub const RIGHT: Color32 = Color32::from_rgb(0xD9, 0x5F, 0x2B);
/// Errors.
pub const ERROR: Color32 = Color32::from_rgb(0xD6, 0x3B, 0x3B);
/// Warnings.
pub const WARNING: Color32 = Color32::from_rgb(0xC8, 0x8A, 0x12);
/// The illustrations' own background, so pictures sit on a matching card.
pub const PAPER: Color32 = Color32::from_rgb(0xF6, 0xF3, 0xEC);

/// The full-window flash at the finish (the Flash setting); at a step boundary it takes
/// the new segment's colour.
pub const FINISH_FLASH: Color32 = WORK;
/// The flash's opacity at the boundary, from which it fades out.
pub const FLASH_OPACITY: f32 = 0.85;
/// How long the flash takes to fade out, on the session's clock.
pub const FLASH_FADE: Duration = Duration::from_millis(600);
/// The flash fades in steps this long: one frame each, twelve in all, and none after.
pub const FLASH_STEP: Duration = Duration::from_millis(50);

/// Corner radius of cards and badges.
pub const RADIUS: u8 = 10;
/// Outer margin of every screen.
pub const MARGIN: f32 = 24.0;

/// The window's size when the screen it opens on is about this size or unknown.
pub const WINDOW: egui::Vec2 = egui::vec2(1280.0, 800.0);
/// The smallest window the player is laid out for.
pub const MIN_WINDOW: egui::Vec2 = egui::vec2(720.0, 520.0);
/// How much of a screen the window takes when [`WINDOW`] would not suit it.
pub const SCREEN_SHARE: f32 = 0.9;

/// The window's size on a screen of `screen` points: [`WINDOW`] when the screen holds it
/// and is not much larger (up to 1 / [`SCREEN_SHARE`]), else [`SCREEN_SHARE`] of the
/// screen, never below [`MIN_WINDOW`]: two thirds of a 1080p screen would leave the
/// countdown smaller than it need be, and a 1366x768 laptop cannot show 800 points.
#[must_use]
pub fn window_for_screen(screen: egui::Vec2) -> egui::Vec2 {
    let fits = screen.x >= WINDOW.x && screen.y >= WINDOW.y;
    let close = screen.x * SCREEN_SHARE <= WINDOW.x && screen.y * SCREEN_SHARE <= WINDOW.y;
    if fits && close {
        WINDOW
    } else {
        (screen * SCREEN_SHARE).round().max(MIN_WINDOW)
    }
}

/// The colour eframe clears the window to before each frame: the panels' own fill, which
/// the panels then leave unpainted ([`panel_frame`], [`central_frame`]).
///
/// Clearing is a cheap fill of the renderer's tiles; a window-sized rectangle runs the
/// fragment shader over every pixel again on every frame, which on a software renderer
/// (Mesa's llvmpipe) was half of what a countdown frame cost.
#[must_use]
pub fn clear_colour(visuals: &egui::Visuals) -> [f32; 4] {
    visuals.panel_fill.to_normalized_gamma_f32()
}

/// A top or bottom panel's frame, its margins without its fill (the window is cleared to
/// that colour, see [`clear_colour`]).
pub fn panel_frame(style: &egui::Style) -> egui::Frame {
    egui::Frame::side_top_panel(style).fill(Color32::TRANSPARENT)
}

/// The central panel's frame: the screen's margin, no fill (see [`clear_colour`]).
pub fn central_frame(style: &egui::Style) -> egui::Frame {
    egui::Frame::central_panel(style)
        .fill(Color32::TRANSPARENT)
        .inner_margin(MARGIN)
}

/// The widest texture egui may make, the font atlas included, in texels.
///
/// egui makes its font atlas as wide as the renderer allows (16384 on Mesa's llvmpipe) and
/// grows it downwards, so each row of the countdown's big digits cost 16384 texels a line,
/// twice over (egui's copy and the driver's). A narrower atlas packs the same glyphs in more,
/// shorter rows; it must still hold every glyph the window draws, the countdown at
/// fullscreen 4K included, within the 80 % of its (square) area beyond which egui clears it
/// and draws every glyph again. The pictures are downscaled below it
/// ([`super::illustrations::MAX_TEXTURE_SIDE`]).
pub const MAX_TEXTURE_SIDE: usize = 4096;

const _: () = assert!(
    super::illustrations::MAX_TEXTURE_SIDE as usize <= MAX_TEXTURE_SIDE,
    "every picture fits a texture"
);

/// Lowers the renderer's texture limit in `raw` (given with the first frame) to
/// [`MAX_TEXTURE_SIDE`]; egui sizes its font atlas from it.
pub fn cap_texture_side(raw: &mut egui::RawInput) {
    if let Some(side) = &mut raw.max_texture_side {
        *side = (*side).min(MAX_TEXTURE_SIDE);
    }
}

/// Body text on ordinary screens.
pub const BODY: f32 = 17.0;
/// Screen headings.
pub const HEADING: f32 = 30.0;

/// The text sizes of ordinary screens beyond egui's own styles, scaled with the Text size
/// setting like them. Drawing code names a token, never a number of points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// A banner line (problems found at start).
    Note,
    /// The words on a picture's placeholder.
    Caption,
    /// Player buttons, card descriptions, the disclaimer.
    Label,
    /// Section headings and card titles.
    Subheading,
    /// The app's name and big buttons.
    Emphasis,
    /// A routine's title on the finish screen, the Start button.
    Title,
    /// A question to the athlete, a routine's total.
    Question,
    /// The time taken.
    Display,
    /// The streak.
    Figure,
    /// "Routine complete".
    Hero,
}

impl Size {
    /// Its size in points at a text scale of 1.
    #[must_use]
    pub fn points(self) -> f32 {
        match self {
            Self::Note => 16.0,
            Self::Caption => 18.0,
            Self::Label => 20.0,
            Self::Subheading => 21.0,
            Self::Emphasis => 22.0,
            Self::Title => 24.0,
            Self::Question => 26.0,
            Self::Display => 30.0,
            Self::Figure => 34.0,
            Self::Hero => 44.0,
        }
    }

    /// Its font under `style`: its size times the Text size setting, which the body text
    /// style carries (see [`apply_text_scale`]).
    #[must_use]
    pub fn font(self, style: &egui::Style) -> FontId {
        let scale = style
            .text_styles
            .get(&egui::TextStyle::Body)
            .map_or(1.0, |body| body.size / BODY);
        FontId::proportional(self.points() * scale)
    }
}

/// The countdown's size comes in whole steps of this many points.
pub const COUNTDOWN_STEP: f32 = 8.0;

/// The share of the window's height each line read from across the room (the step's name,
/// its side, what comes next, PAUSED) is drawn at: its row is then at least 8 % of the height,
/// 1.4 cm on a 14-inch 1366x768 screen, readable from three metres.
pub const DISTANCE_SHARE: f32 = 0.072;

/// Sizes of the player screen, scaled to the window so it reads from three metres.
#[derive(Clone, Copy, Debug)]
pub struct PlayerSizes {
    /// The countdown digits, and the resume count-in's.
    pub countdown: f32,
    /// The step name, the LEFT/RIGHT badge, the "next" line and PAUSED.
    pub distance: f32,
    /// The instruction, the cues and the step's dose.
    pub text: f32,
    /// Counters (set, rep) beside the side badge.
    pub badge: f32,
}

impl PlayerSizes {
    /// Sizes for a window whose content is `window` points, times the user's text scale.
    ///
    /// The lines read from across the room are [`DISTANCE_SHARE`] of the window's height.
    /// The countdown takes what the area inside the margins allows beside the picture (the
    /// digits' line about half its width and a quarter of its height), at least 190 points
    /// times the area's scale, in whole steps of [`COUNTDOWN_STEP`]; a text scale above 100 %
    /// grows the rest, not the digits, which already fill their space (below 100 % it shrinks
    /// them too). The sizes depend on the window and the setting alone, never on what a step
    /// or a notice shows: each size is a new set of big digits in egui's font atlas, in rows
    /// as tall as the digits, and a size per step doubled the atlas.
    #[must_use]
    pub fn for_window(window: egui::Vec2, text_scale: f32) -> Self {
        let area = window - egui::Vec2::splat(2.0 * MARGIN);
        let base = (area.y / 800.0).min(area.x / 1280.0).clamp(0.55, 2.0);
        let fitted = (area.x * 0.52 / 2.6).min(area.y * 0.26);
        let countdown = (190.0 * base).max(fitted) * text_scale.min(1.0);
        Self {
            countdown: ((countdown / COUNTDOWN_STEP).floor() * COUNTDOWN_STEP).max(COUNTDOWN_STEP),
            distance: DISTANCE_SHARE * window.y.max(0.0) * text_scale,
            text: 25.0 * base * text_scale,
            badge: 28.0 * base * text_scale,
        }
    }
}

/// A proportional font of `size`.
#[must_use]
pub fn font(size: f32) -> FontId {
    FontId::proportional(size)
}

/// The countdown font: monospace, so the digits do not jump as they change.
#[must_use]
pub fn digits(size: f32) -> FontId {
    FontId::monospace(size)
}

/// Applies the base text sizes, scaled by the user's setting, and the spacing.
pub fn apply_text_scale(ctx: &egui::Context, scale: f32) {
    ctx.all_styles_mut(|style| {
        use egui::TextStyle as T;
        for (text_style, size) in [
            (T::Body, BODY),
            (T::Button, BODY),
            (T::Monospace, BODY - 2.0),
            (T::Small, BODY - 4.0),
            (T::Heading, HEADING),
        ] {
            let family = if text_style == T::Monospace {
                egui::FontFamily::Monospace
            } else {
                egui::FontFamily::Proportional
            };
            style
                .text_styles
                .insert(text_style, FontId::new(size * scale, family));
        }
        style.spacing.button_padding = egui::vec2(12.0, 7.0);
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        // Scroll bars beside the text, in room of their own: egui's default bars float
        // over the content, and a routine page's safety note ran under one.
        style.spacing.scroll = egui::style::ScrollStyle::solid();
    });
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_window_is_sized_to_the_screen_it_opens_on() {
        let on = |w: f32, h: f32| window_for_screen(egui::vec2(w, h));
        assert_eq!(
            on(1280.0, 800.0),
            WINDOW,
            "a screen of the window's own size"
        );
        assert_eq!(on(1366.0, 800.0), WINDOW, "a little larger: kept");
        assert_eq!(on(1920.0, 1080.0), egui::vec2(1728.0, 972.0));
        assert_eq!(on(2560.0, 1440.0), egui::vec2(2304.0, 1296.0));
        assert_eq!(
            on(1366.0, 768.0),
            egui::vec2(1229.0, 691.0),
            "a laptop shorter than 800"
        );
        assert_eq!(on(1024.0, 576.0), MIN_WINDOW.max(egui::vec2(922.0, 518.0)));
    }

    use super::*;

    #[test]
    fn text_size_tokens_follow_the_text_size_setting() {
        let ctx = egui::Context::default();
        apply_text_scale(&ctx, 1.5);
        let style = ctx.global_style();
        assert!((Size::Label.font(&style).size - 30.0).abs() < 1e-3);
        apply_text_scale(&ctx, 1.0);
        assert!((Size::Hero.font(&ctx.global_style()).size - 44.0).abs() < 1e-3);
    }

    #[test]
    fn the_countdown_comes_in_whole_steps_from_the_window_alone() {
        let at = |w: f32, h: f32| PlayerSizes::for_window(egui::vec2(w, h), 1.0).countdown;
        // 1280x800: the area inside the margins allows 195.5 points, so 192.
        assert!(
            (at(1280.0, 800.0) - 192.0).abs() < 1e-3,
            "{}",
            at(1280.0, 800.0)
        );
        // A few points more or less (a window a little taller) give the same digits.
        assert!(
            (at(1280.0, 808.0) - 192.0).abs() < 1e-3,
            "{}",
            at(1280.0, 808.0)
        );
        // 1280x720: 174.7 allowed, so 168; fullscreen 1920x1080: 268, so 264.
        assert!(
            (at(1280.0, 720.0) - 168.0).abs() < 1e-3,
            "{}",
            at(1280.0, 720.0)
        );
        assert!(
            (at(1920.0, 1080.0) - 264.0).abs() < 1e-3,
            "{}",
            at(1920.0, 1080.0)
        );
    }

    #[test]
    fn text_size_grows_the_lines_read_from_afar_and_not_the_full_size_digits() {
        let window = egui::vec2(1280.0, 720.0);
        let normal = PlayerSizes::for_window(window, 1.0);
        let large = PlayerSizes::for_window(window, 1.6);
        let small = PlayerSizes::for_window(window, 0.8);
        assert!((normal.distance - 0.072 * 720.0).abs() < 1e-3, "{normal:?}");
        assert!(
            (large.distance - 1.6 * normal.distance).abs() < 1e-3,
            "{large:?}"
        );
        assert!((large.text - 1.6 * normal.text).abs() < 1e-3, "{large:?}");
        assert!(
            (large.countdown - normal.countdown).abs() < 1e-3,
            "{large:?}"
        );
        // Smaller text shrinks the digits too, still in whole steps.
        assert!((small.countdown - 136.0).abs() < 1e-3, "{small:?}");
    }
}
