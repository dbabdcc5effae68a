//! The player's controls: the row of buttons (each with its key), a Done step's big button
//! with what it waits for, and the question before a stop.

use eframe::egui::{self, Color32, RichText};

use crate::app::Command;
use crate::app::keymap::{self, Action, Scope};
use crate::app::now_playing::moving_on_hint;
use crate::app::theme::{self, Size};
use crate::routine::{Step, Work};
use crate::settings::Settings;
use crate::timeline::{Phase, Segment, Status};

/// A Done step's button with, beside it, what the step waits for or when it moves on by
/// itself: on one row, so the instruction and the spoken words below still fit the window.
pub(super) fn done_row_ui(
    ui: &mut egui::Ui,
    step: Option<&Step>,
    status: &Status,
    sizes: theme::PlayerSizes,
    commands: &mut Vec<Command>,
) {
    let (hint, about_to_move) = match moving_on_hint(status.remaining) {
        Some(hint) => hint,
        None => match step.map(|s| &s.work) {
            Some(Work::UntilDone {
                suggested: Some(s), ..
            }) => (
                format!("Press Done when finished · usually about {s}"),
                false,
            ),
            _ => ("Press Done when finished".to_owned(), false),
        },
    };
    ui.horizontal(|ui| {
        // In the last seconds before it moves on, the press keeps the step waiting.
        let done = egui::Button::new(
            RichText::new(if about_to_move { "Wait" } else { "Done" })
                .font(theme::font(sizes.distance))
                .strong()
                .color(Color32::WHITE),
        )
        .fill(theme::WORK)
        .min_size(egui::vec2(260.0, sizes.distance * 1.6));
        if ui
            .add(done)
            .on_hover_text(keymap::keys_of(Scope::Player, Action::Done))
            .clicked()
        {
            commands.push(Command::Done);
        }
        ui.add_space(16.0);
        ui.vertical(|ui| {
            let text = RichText::new(hint);
            // About to move on: large and in the switch colour, read from the end of a stride.
            let text = if about_to_move {
                text.font(theme::font(sizes.text))
                    .color(theme::SWITCH)
                    .strong()
            } else {
                text.font(theme::font(sizes.text * 0.8)).weak()
            };
            ui.add(egui::Label::new(text).wrap());
        });
    });
}

/// Every command of the player as a button, its keys on hover.
pub(super) fn controls_ui(
    ui: &mut egui::Ui,
    segment: &Segment,
    status: Status,
    settings: &Settings,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let paused = matches!(status.phase, Phase::Paused | Phase::GettingReady { .. });
        let timed = !segment.waits_for_done();
        let buttons = [
            ("Back", Action::Previous, Command::Previous, true),
            (
                if paused { "Resume" } else { "Pause" },
                Action::TogglePause,
                Command::TogglePause,
                true,
            ),
            ("Next", Action::Next, Command::Next, true),
            (
                "Done",
                Action::Done,
                Command::Done,
                !timed || settings.enter_skips_timed,
            ),
            ("-10 s", Action::RemoveTime, Command::RemoveTime, timed),
            ("+10 s", Action::AddTime, Command::AddTime, timed),
            (
                if settings.muted { "Unmute" } else { "Mute" },
                Action::ToggleMute,
                Command::ToggleMute,
                true,
            ),
            (
                "Fullscreen",
                Action::ToggleFullscreen,
                Command::ToggleFullscreen,
                true,
            ),
            ("Stop", Action::AskStop, Command::AskStop, true),
        ];
        for (label, action, command, enabled) in buttons {
            let button = egui::Button::new(RichText::new(label).font(Size::Label.font(ui.style())))
                .min_size(egui::vec2(96.0, 44.0));
            if ui
                .add_enabled(enabled, button)
                .on_hover_text(keymap::keys_of(Scope::Player, action))
                .clicked()
            {
                commands.push(command);
            }
        }
    });
}

/// "Stop this session?" with Keep going and Stop.
pub(super) fn confirm_stop_ui(ctx: &egui::Context, commands: &mut Vec<Command>) {
    egui::Modal::new(egui::Id::unique("confirm-stop")).show(ctx, |ui| {
        ui.set_width(380.0);
        ui.heading("Stop this session?");
        ui.label("What you did so far is kept. Esc keeps going, Enter stops.");
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Keep going").clicked() {
                commands.push(Command::CancelStop);
            }
            if ui.button("Stop").clicked() {
                commands.push(Command::Stop);
            }
        });
    });
}
