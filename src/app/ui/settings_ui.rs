//! The settings screen and About.

use eframe::egui::{self, RichText};

use super::routine_ui::DISCLAIMER;
use crate::app::Command;
use crate::app::keymap::{KEYMAP, Scope};
use crate::app::theme::{self, Size};
use crate::settings::{self, Settings, Theme};

pub(super) fn settings_ui(ui: &mut egui::Ui, settings: &mut Settings, commands: &mut Vec<Command>) {
    ui.heading("Settings");
    ui.add_space(12.0);
    egui::Grid::new("settings")
        .num_columns(2)
        .spacing([24.0, 14.0])
        .show(ui, |ui| {
            let label = ui.label("Volume");
            ui.add(
                egui::Slider::new(&mut settings.volume, settings::VOLUME)
                    .custom_formatter(|v, _| format!("{:.0} %", v * 100.0)),
            )
            .labelled_by(label.id);
            ui.end_row();
            ui.label("Sound");
            ui.checkbox(&mut settings.muted, "Muted (M)");
            ui.end_row();
            ui.label("Voice");
            ui.checkbox(&mut settings.voice, "Spoken announcements");
            ui.end_row();
            ui.label("Beeps");
            ui.checkbox(&mut settings.beeps, "Start tones, 3-2-1 pips and ticks");
            ui.end_row();
            let label = ui.label("Get ready");
            ui.add(
                egui::Slider::new(&mut settings.lead_in_secs, settings::LEAD_IN_SECS).suffix(" s"),
            )
            .labelled_by(label.id);
            ui.end_row();
            ui.label("Theme");
            ui.horizontal(|ui| {
                ui.selectable_value(&mut settings.theme, Theme::System, "System");
                ui.selectable_value(&mut settings.theme, Theme::Light, "Light");
                ui.selectable_value(&mut settings.theme, Theme::Dark, "Dark");
            });
            ui.end_row();
            let label = ui.label("Text size");
            ui.add(
                egui::Slider::new(&mut settings.text_scale, settings::TEXT_SCALE)
                    .custom_formatter(|v, _| format!("{:.0} %", v * 100.0)),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Weekly goal");
            ui.add(
                egui::Slider::new(&mut settings.weekly_goal_days, settings::WEEKLY_GOAL_DAYS)
                    .suffix(" days a week"),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "Days with a routine; the history screen counts your streak of weeks that meet it",
            );
            ui.end_row();
            ui.label("Desk breaks");
            ui.checkbox(
                &mut settings.desk_break_reminders,
                "Remind me to take a desk break while Limber Up is open",
            );
            ui.end_row();
            let label = ui.label("Remind every");
            ui.add_enabled(
                settings.desk_break_reminders,
                egui::Slider::new(
                    &mut settings.desk_break_interval_mins,
                    settings::DESK_BREAK_INTERVAL_MINS,
                )
                .suffix(" min"),
            )
            .labelled_by(label.id)
            .on_hover_text("Time with the lid closed does not count");
            ui.end_row();
        });
    ui.add_space(16.0);
    ui.label(RichText::new("More routine folders").strong());
    let mut remove = None;
    for (i, folder) in settings.extra_folders.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(folder.display().to_string());
            if ui.button(format!("Remove {}", folder.display())).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        settings.extra_folders.remove(i);
        commands.push(Command::Reload);
    }
    let id = ui.make_persistent_id("new-folder");
    let mut typed: String = ui.data_mut(|d| d.get_temp(id).unwrap_or_default());
    ui.horizontal(|ui| {
        let label = ui.label("Folder");
        ui.add(
            egui::TextEdit::singleline(&mut typed)
                .hint_text("/path/to/routines")
                .desired_width(360.0),
        )
        .labelled_by(label.id);
        let path = std::path::PathBuf::from(typed.trim());
        let valid = !typed.trim().is_empty() && path.is_dir();
        if ui
            .add_enabled(valid, egui::Button::new("Add folder"))
            .clicked()
        {
            settings.extra_folders.push(path);
            typed.clear();
            commands.push(Command::Reload);
        }
    });
    ui.data_mut(|d| d.insert_temp(id, typed));
    ui.label(
        RichText::new(
            "Changes to folders apply the next time Limber Up starts, or when you press Reload.",
        )
        .weak(),
    );
}

pub(in crate::app) fn about_ui(ui: &mut egui::Ui) {
    ui.heading("About Limber Up");
    ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
    ui.add_space(8.0);
    ui.label(
        "Guided warm-ups, stretches and mobility routines for runners, sprinters and field athletes: \
         a big countdown readable from across the room, spoken and beeped cues, left and right sides, \
         sets and rests, and Done steps for jogs and strides.",
    );
    ui.add_space(12.0);
    ui.label(
        RichText::new(DISCLAIMER)
            .color(theme::WARNING)
            .font(Size::Label.font(ui.style())),
    );
    ui.add_space(16.0);
    // The key table itself, so this list says what the keys do.
    egui::ScrollArea::vertical().show(ui, |ui| {
        for scope in Scope::ALL {
            ui.label(RichText::new(scope.heading()).strong());
            egui::Grid::new(("keys", scope.heading()))
                .num_columns(2)
                .spacing([24.0, 6.0])
                .show(ui, |ui| {
                    for binding in KEYMAP.iter().filter(|b| b.scope == scope) {
                        ui.label(RichText::new(binding.keys_text()).monospace());
                        ui.label(binding.does);
                        ui.end_row();
                    }
                });
            ui.add_space(8.0);
        }
    });
}
