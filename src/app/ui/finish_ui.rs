//! The finish screen: time taken, steps done and skipped, and the lower-back check-in.

use eframe::egui::{self, RichText};

use crate::app::Command;
use crate::app::keymap::{self, Action, Scope};
use crate::app::theme::{self, Size};
use crate::session::Session;
use crate::text::{clock, plural};

pub(super) fn finish_ui(ui: &mut egui::Ui, session: &mut Session, commands: &mut Vec<Command>) {
    // The summary the log keeps, made when the session ended: the counts agree with the
    // history, and the times stop where the session did.
    let Some(summary) = session.summary().cloned() else {
        return;
    };
    let title = if summary.finished {
        "Routine complete"
    } else {
        "Session stopped"
    };
    ui.vertical_centered(|ui| {
        ui.add_space(20.0);
        ui.label(
            RichText::new(title)
                .font(Size::Hero.font(ui.style()))
                .strong()
                .color(theme::WORK),
        );
        ui.label(RichText::new(&session.routine().title).font(Size::Title.font(ui.style())));
        ui.add_space(16.0);
        ui.label(
            RichText::new(format!("Time taken {}", clock(summary.active)))
                .font(Size::Display.font(ui.style())),
        );
        ui.label(format!(
            "{} done · {} skipped · paused {}",
            plural(summary.steps_done(), "step"),
            summary.steps_skipped(),
            clock(summary.paused)
        ));
        ui.add_space(24.0);
        ui.label(
            RichText::new("How does your lower back feel?").font(Size::Question.font(ui.style())),
        );
        ui.label(
            RichText::new("0 = loose and easy, 10 = very tight. Optional; press a number key.")
                .weak(),
        );
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let width = 11.0 * 56.0;
            ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
            for value in 0..=10u8 {
                let selected = session.check_in_after() == Some(value);
                let button = egui::Button::selectable(
                    selected,
                    RichText::new(value.to_string()).font(Size::Emphasis.font(ui.style())),
                )
                .min_size(egui::vec2(48.0, 48.0));
                if ui.add(button).clicked() {
                    commands.push(Command::CheckIn(value));
                }
            }
        });
        if let Some(value) = session.check_in_after() {
            let before = session
                .check_in_before()
                .map_or_else(String::new, |b| format!(" (before: {b})"));
            ui.label(format!("Saved with this session: {value} of 10{before}"));
        }
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            let width = 520.0;
            ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
            let label = ui.label("Note");
            ui.add(
                egui::TextEdit::singleline(session.note_mut())
                    .hint_text("optional: how the run went, what felt tight")
                    .desired_width(width - 60.0),
            )
            .labelled_by(label.id);
        });
        ui.add_space(24.0);
        let close = egui::Button::new(
            RichText::new("Back to routines").font(Size::Emphasis.font(ui.style())),
        )
        .min_size(egui::vec2(220.0, 48.0));
        if ui
            .add(close)
            .on_hover_text(keymap::keys_of(Scope::Finish, Action::CloseFinish))
            .clicked()
        {
            commands.push(Command::CloseFinish);
        }
    });
}
