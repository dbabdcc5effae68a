//! The player screen, designed to be read from three metres on a 13" laptop.

use std::time::Duration;

use eframe::egui::{self, Color32, RichText, Stroke};

use super::{picture_ui, player_controls_ui};
use crate::app::Command;
use crate::app::illustrations::Illustrations;
use crate::app::now_playing::shown_title;
use crate::app::theme;
use crate::routine::{Step, Work};
use crate::session::Session;
use crate::settings::Settings;
use crate::text::{clock, plural};
use crate::timeline::{AlternatingReps, Phase, Plan, Segment, SegmentKind, Side, Status};

/// Words shown besides the routine's own.
pub(super) struct Notes<'a> {
    /// The words of the last cue (what was spoken, or would have been).
    pub caption: Option<&'a str>,
    /// Why sound is not playing, if it is not.
    pub audio: Option<String>,
    /// The routine's file changed on disk since the session started.
    pub changed: Option<&'static str>,
    /// The words of this segment that could not be said in full.
    pub lost: Option<String>,
}

pub(super) fn player_ui(
    ui: &mut egui::Ui,
    session: &Session,
    now: Duration,
    settings: &Settings,
    notes: &Notes<'_>,
    illustrations: &mut Illustrations,
    commands: &mut Vec<Command>,
) {
    let player = session.player();
    let plan = player.plan();
    let status = player.status(now);
    let segment = &plan.segments[status.segment];
    // From the window, not from what is left of it (a message at the bottom, a note in the
    // header): the sizes, the countdown's above all, stay put while the session plays.
    let window = ui.ctx().content_rect();
    let sizes = theme::PlayerSizes::for_window(window.size(), settings.text_scale);
    if status.phase == Phase::Paused {
        paused_frame(ui.ctx(), window);
    }

    egui::Panel::bottom("player-controls")
        .frame(theme::panel_frame(ui.style()))
        .show(ui, |ui| {
            next_ui(ui, plan, segment, sizes.distance, status.phase);
            ui.add_space(8.0);
            player_controls_ui::controls_ui(ui, segment, status, settings, commands);
            ui.add_space(4.0);
        });
    egui::Panel::top("player-header")
        .frame(theme::panel_frame(ui.style()))
        .show(ui, |ui| {
            strip_ui(ui, plan, &status);
            // Without sound the words of each cue still show below the countdown.
            for note in [notes.audio.as_deref(), notes.changed, notes.lost.as_deref()]
                .into_iter()
                .flatten()
            {
                ui.label(RichText::new(note).small().color(theme::WARNING));
            }
            ui.add_space(6.0);
            header_ui(ui, plan, segment, &status, sizes, settings.muted);
        });
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE)
        .show(ui, |ui| {
            let area = ui.available_rect_before_wrap();
            let picture_width = (area.width() * 0.46).min(area.height() * 1.34);
            ui.horizontal_top(|ui| {
                let shown = if segment.kind == SegmentKind::Work {
                    Some(segment)
                } else {
                    segment.next_work.map(|n| &plan.segments[n])
                };
                ui.allocate_ui(egui::vec2(picture_width, area.height()), |ui| {
                    let size = egui::vec2(picture_width, area.height().min(picture_width * 0.75));
                    match shown.and_then(|s| plan.step(s).map(|step| (s, step))) {
                        Some((shown, step)) => {
                            let (elapsed, side) = if shown.index == segment.index {
                                (status.elapsed, shown.side.or(status.rep_side))
                            } else {
                                (Duration::ZERO, shown.side)
                            };
                            picture_ui::illustration_ui(
                                ui,
                                (step, side),
                                elapsed,
                                settings.animations,
                                illustrations,
                                size,
                            );
                            // The next step's picture is ready when it shows.
                            if let Some(next) = picture_ui::step_after(plan, shown) {
                                picture_ui::prefetch(next, settings.animations, illustrations);
                            }
                        }
                        None => {
                            picture_ui::placeholder_ui(ui, size, "Get ready");
                        }
                    }
                });
                ui.add_space(24.0);
                ui.vertical(|ui| {
                    main_column_ui(ui, plan, segment, &status, sizes, notes.caption, commands);
                });
            });
        });
}

/// The step name, the countdown, the progress bar, the instruction and the cues.
fn main_column_ui(
    ui: &mut egui::Ui,
    plan: &Plan,
    segment: &Segment,
    status: &Status,
    sizes: theme::PlayerSizes,
    caption: Option<&str>,
    commands: &mut Vec<Command>,
) {
    let step = plan.step(segment);
    let title = shown_title(segment);
    let strong = ui.visuals().strong_text_color();
    clamped_label(ui, title, theme::font(sizes.distance), strong, 2);
    let mut colour = kind_colour(segment.kind);
    match status.phase {
        Phase::Ready => {
            ui.label(
                RichText::new("Starting the sound…")
                    .font(theme::font(sizes.badge))
                    .color(theme::SWITCH),
            );
        }
        Phase::Paused => {
            ui.label(
                RichText::new("PAUSED")
                    .font(theme::font(sizes.distance))
                    .strong()
                    .color(theme::WARNING),
            );
            // The time left stays, dimmed: it is not running.
            colour = colour.gamma_multiply(PAUSED_DIMMING);
        }
        Phase::GettingReady { .. } => {
            ui.label(
                RichText::new("Get ready")
                    .font(theme::font(sizes.distance))
                    .strong()
                    .color(theme::SWITCH),
            );
            // The count-in's seconds, in the digits' place and size, in its own colour.
            colour = theme::SWITCH;
        }
        _ => {}
    }
    ui.label(
        RichText::new(clock_text(segment, status))
            .font(theme::digits(sizes.countdown))
            .color(colour)
            .strong(),
    );
    if segment.waits_for_done() {
        player_controls_ui::done_row_ui(ui, step, status, sizes, commands);
    } else {
        let bar = egui::ProgressBar::new(status.segment_fraction)
            .fill(colour)
            .desired_height(14.0);
        ui.add(bar);
    }
    ui.add_space(10.0);
    step_lines_ui(ui, segment, step, sizes);
    // Getting into position, the athlete reads how while hearing it.
    let instructed = matches!(segment.kind, SegmentKind::Work | SegmentKind::Position);
    if let Some(step) = step.filter(|_| instructed) {
        if let Some(instruction) = &step.instruction {
            ui.label(RichText::new(instruction).font(theme::font(sizes.text)));
        }
        if !step.cues.is_empty() {
            ui.label(
                RichText::new(step.cues.join(" · "))
                    .font(theme::font(sizes.text * 0.9))
                    .color(theme::ACCENT),
            );
        }
    }
    if let Some(caption) = caption {
        ui.add_space(8.0);
        ui.label(
            RichText::new(format!("“{caption}”"))
                .font(theme::font(sizes.text * 0.8))
                .italics()
                .weak(),
        );
    }
}

/// How much the countdown's colour keeps while the session is paused.
const PAUSED_DIMMING: f32 = 0.3;

/// What the big digits show: the resume count-in's seconds; the time a Done step has taken;
/// otherwise the time left in whole seconds (the segment's whole time while the start waits
/// for the sound).
fn clock_text(segment: &Segment, status: &Status) -> String {
    if let Phase::GettingReady { remaining } = status.phase {
        return remaining.as_millis().div_ceil(1000).to_string();
    }
    let remaining = match status.phase {
        Phase::Ready => segment.duration,
        _ => status.remaining,
    };
    match (remaining, segment.waits_for_done()) {
        (_, true) => clock(status.elapsed),
        (Some(remaining), false) => clock(Duration::from_millis(
            u64::try_from(remaining.as_millis().div_ceil(1000) * 1000).unwrap_or(0),
        )),
        (None, false) => String::new(),
    }
}

/// A label of at most `rows` rows at `font`, the rest cut with "…": a long name never pushes
/// the countdown off the screen. Its accessible name is the whole text.
fn clamped_label(
    ui: &mut egui::Ui,
    text: String,
    font: egui::FontId,
    colour: Color32,
    rows: usize,
) -> egui::Response {
    let mut job =
        egui::text::LayoutJob::single_section(text, egui::TextFormat::simple(font, colour));
    job.wrap.max_rows = rows;
    job.wrap.overflow_character = Some('…');
    ui.add(egui::Label::new(job).wrap())
}

/// A band in the warning colour around the whole window while the session is paused, so a
/// paused screen is told from a running one at a glance.
fn paused_frame(ctx: &egui::Context, window: egui::Rect) {
    ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("paused-frame"),
    ))
    .rect_stroke(
        window,
        0.0,
        Stroke::new(PAUSED_BAND, theme::WARNING),
        egui::StrokeKind::Inside,
    );
}

/// The paused band's width, in points.
const PAUSED_BAND: f32 = 8.0;

/// What the coach wrote for a work step beyond its name: the time as written ("20-30 s",
/// the clock times one value), the distance and the effort.
fn step_lines_ui(
    ui: &mut egui::Ui,
    segment: &Segment,
    step: Option<&Step>,
    sizes: theme::PlayerSizes,
) {
    let Some(step) = step.filter(|_| segment.kind == SegmentKind::Work) else {
        return;
    };
    if let Work::Timed { time, .. } = &step.work
        && let Some(range) = time.range_text()
    {
        ui.label(
            RichText::new(range)
                .font(theme::font(sizes.text))
                .strong()
                .color(theme::ACCENT),
        );
    }
    if let Some(distance) = step.distance {
        ui.label(
            RichText::new(distance.to_string())
                .font(theme::font(sizes.text))
                .strong()
                .color(theme::ACCENT),
        );
    }
    if let Some(effort) = &step.effort {
        ui.label(
            RichText::new(effort)
                .font(theme::font(sizes.text))
                .color(theme::ACCENT),
        );
    }
}

fn header_ui(
    ui: &mut egui::Ui,
    plan: &Plan,
    segment: &Segment,
    status: &Status,
    sizes: theme::PlayerSizes,
    muted: bool,
) {
    ui.horizontal(|ui| {
        // As tall with a side badge as without: the picture and the countdown do not move
        // when a step with sides comes.
        ui.set_min_height(side_badge_height(ui, sizes.distance));
        let section = plan
            .routine
            .sections
            .get(segment.section)
            .map_or("", |s| s.title.as_str());
        ui.label(
            RichText::new(format!("{} · {section}", plan.routine.title))
                .font(theme::font(sizes.text * 0.8))
                .weak(),
        );
        // Not only in a button's label: an athlete who hears nothing sees why.
        if muted {
            ui.label(
                RichText::new("Sound muted")
                    .font(theme::font(sizes.badge))
                    .strong()
                    .color(theme::WARNING),
            );
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            // Alternating reps show the side of the rep under way, in the same badge.
            if let Some(side) = segment
                .side
                .or(status.rep_side)
                .filter(|_| matches!(segment.kind, SegmentKind::Work | SegmentKind::Position))
            {
                side_badge_ui(ui, side, sizes.distance);
            }
            for counter in counters(segment, status).into_iter().rev() {
                ui.label(
                    RichText::new(counter)
                        .font(theme::font(sizes.badge))
                        .strong(),
                );
                ui.add_space(12.0);
            }
        });
    });
}

fn counters(segment: &Segment, status: &Status) -> Vec<String> {
    let mut out = Vec::new();
    if segment.kind != SegmentKind::Work {
        return out;
    }
    if segment.round.is_counted() {
        out.push(format!("Round {}", segment.round));
    }
    if segment.set.is_counted() {
        out.push(format!("Set {}", segment.set));
    }
    match (status.rep, segment.reps) {
        // Alternating reps count on each side, as the coach does: "Left 2 of 5".
        (Some(rep), Some(reps)) if segment.alternating => {
            let (side, on_side) = AlternatingReps::of(reps).on_its_side(rep.index);
            out.push(format!("{} {on_side}", capitalise(side)));
        }
        // A count per side or of passes says so beside the rep under way.
        (Some(rep), Some(reps)) if !reps.is_plain() => {
            out.push(format!("Rep {rep}"));
            out.push(reps.label());
        }
        (Some(rep), _) => out.push(format!("Rep {rep}")),
        (None, Some(reps)) if segment.alternating => {
            let sides = AlternatingReps::of(reps);
            let total = plural(sides.total(), "rep");
            out.push(if sides.is_even() {
                format!("{total} · {} each side", sides.left)
            } else {
                format!("{total} · {} left, {} right", sides.left, sides.right)
            });
        }
        (None, Some(reps)) => out.push(reps.label()),
        _ => {}
    }
    out
}

/// "Left", "Right".
fn capitalise(side: Side) -> &'static str {
    match side {
        Side::Left => "Left",
        Side::Right => "Right",
    }
}

/// The side badge's margin inside its colour, in points (horizontal, vertical).
const SIDE_BADGE_MARGIN: (i8, i8) = (18, 4);

/// The height of a side badge whose text is `size` points: its font's row and its margins.
fn side_badge_height(ui: &egui::Ui, size: f32) -> f32 {
    let row = ui.fonts_mut(|fonts| fonts.row_height(&theme::font(size)));
    row + 2.0 * f32::from(SIDE_BADGE_MARGIN.1)
}

fn side_badge_ui(ui: &mut egui::Ui, side: Side, size: f32) {
    let (text, colour) = match side {
        Side::Left => ("LEFT", theme::LEFT),
        Side::Right => ("RIGHT", theme::RIGHT),
    };
    egui::Frame::new()
        .fill(colour)
        .corner_radius(theme::RADIUS)
        .inner_margin(egui::Margin::symmetric(
            SIDE_BADGE_MARGIN.0,
            SIDE_BADGE_MARGIN.1,
        ))
        .show(ui, |ui| {
            ui.label(
                RichText::new(text)
                    .font(theme::font(size))
                    .strong()
                    .color(Color32::WHITE),
            )
        });
}

/// "Next: …", at `size` and on one row whatever the step's name.
fn next_ui(ui: &mut egui::Ui, plan: &Plan, segment: &Segment, size: f32, phase: Phase) {
    let text = match segment.next_work.map(|n| &plan.segments[n]) {
        Some(next) => {
            let side = match next.side {
                Some(s) => format!(" · {s} side"),
                None if next.alternating => " · alternating sides".to_owned(),
                None => String::new(),
            };
            format!("Next: {}{side}", next.title)
        }
        None if phase == Phase::Finished => String::new(),
        None => "Next: finish".to_owned(),
    };
    let strong = ui.visuals().strong_text_color();
    clamped_label(ui, text, theme::font(size), strong, 1);
}

/// The whole routine as a strip of segments, the current one marked.
fn strip_ui(ui: &mut egui::Ui, plan: &Plan, status: &Status) {
    let width = ui.available_width();
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 12.0), egui::Sense::hover());
    let total: f32 = plan
        .segments
        .iter()
        .map(|s| s.estimate.as_secs_f32().max(1.0))
        .sum();
    let painter = ui.painter_at(rect);
    let mut x = rect.left();
    for segment in &plan.segments {
        let w = segment.estimate.as_secs_f32().max(1.0) / total * width;
        let cell = egui::Rect::from_min_size(
            egui::pos2(x, rect.top()),
            egui::vec2((w - 1.0).max(1.0), rect.height()),
        );
        let mut colour = kind_colour(segment.kind);
        if segment.index > status.segment {
            colour = colour.gamma_multiply(0.3);
        }
        painter.rect_filled(cell, 2.0, colour);
        if segment.index == status.segment {
            painter.rect_stroke(
                cell.expand(2.0),
                2.0,
                Stroke::new(2.0, ui.visuals().strong_text_color()),
                egui::StrokeKind::Outside,
            );
        }
        x += w;
    }
    let label = format!("{:.0} % of the routine", status.routine_fraction * 100.0);
    ui.label(RichText::new(label).small().weak());
}

/// The colour of a kind of segment: the strip, the countdown and the flash.
pub(super) fn kind_colour(kind: SegmentKind) -> Color32 {
    match kind {
        SegmentKind::Work => theme::WORK,
        SegmentKind::Rest => theme::REST,
        SegmentKind::Switch | SegmentKind::LeadIn | SegmentKind::Position => theme::SWITCH,
    }
}
