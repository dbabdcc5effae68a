//! The routine screen: outline, total time, equipment checklist, safety note, Start.

use eframe::egui::{self, RichText};

use super::{library_ui, player_ui};
use crate::app::illustrations::Illustrations;
use crate::app::keymap::{self, Action, Scope};
use crate::app::state::RoutinePage;
use crate::app::theme::{self, Size};
use crate::app::{Command, Screen};
use crate::history;
use crate::library::Library;
use crate::settings::Settings;
use crate::timeline::Plan;

/// The disclaimer, shown before the first start and in About.
pub(super) const DISCLAIMER: &str = "Limber Up is not medical advice. Stop at once if you feel sharp pain, or pain that lasts; \
     see a physiotherapist or doctor about pain that keeps coming back.";

pub(super) fn routine_ui(
    ui: &mut egui::Ui,
    library: &Library,
    page: &RoutinePage,
    settings: &Settings,
    illustrations: &mut Illustrations,
    commands: &mut Vec<Command>,
) {
    let (id, check_in) = (page.id.as_str(), page.check_in_before);
    let Some(entry) = library.get(id) else {
        ui.label(format!("The routine `{id}` is no longer in the library."));
        if ui.button("Back to routines").clicked() {
            commands.push(Command::Show(Screen::Library));
        }
        return;
    };
    if ui.button("Back to routines").clicked() {
        commands.push(Command::Show(Screen::Library));
    }
    let (Some(routine), Some(plan)) = (&entry.routine, &page.plan) else {
        ui.heading(&entry.id);
        ui.label(
            RichText::new("This routine has errors and cannot be played.").color(theme::ERROR),
        );
        for diagnostic in &entry.diagnostics {
            library_ui::diagnostic_ui(ui, diagnostic);
        }
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(&routine.title);
        ui.label(
            RichText::new(plan.total().to_string())
                .font(Size::Question.font(ui.style()))
                .color(theme::ACCENT),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let start = egui::Button::new(
                RichText::new("Start")
                    .font(Size::Title.font(ui.style()))
                    .strong(),
            )
            .fill(theme::ACCENT)
            .min_size(egui::vec2(160.0, 48.0));
            if ui
                .add(start)
                .on_hover_text(keymap::keys_of(Scope::Routine, Action::Start))
                .clicked()
            {
                commands.push(Command::Start(entry.id.clone()));
            }
        });
    });
    ui.label(&routine.description);
    if let Some(frequency) = &routine.frequency {
        ui.label(RichText::new(format!("Meant for {frequency}")).color(theme::ACCENT));
    }
    check_in_ui(ui, check_in, commands);
    if plan.total().estimated {
        ui.label(
            RichText::new(
                "~ Steps that wait for you to press Done are counted at their usual time.",
            )
            .weak(),
        );
    }
    ui.add_space(8.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.columns(2, |columns| {
                outline_ui(&mut columns[0], plan, illustrations);
                let ui = &mut columns[1];
                if !routine.equipment.is_empty() {
                    ui.label(RichText::new("You need").strong());
                    for item in &routine.equipment {
                        let id = ui.make_persistent_id(("equipment", &routine.id, item));
                        let mut ticked =
                            ui.data_mut(|d| *d.get_persisted_mut_or_default::<bool>(id));
                        if ui.checkbox(&mut ticked, item).changed() {
                            ui.data_mut(|d| d.insert_persisted(id, ticked));
                        }
                    }
                    ui.add_space(12.0);
                }
                if let Some(safety) = &routine.safety {
                    ui.label(RichText::new("Safety").strong());
                    ui.label(safety);
                    ui.add_space(12.0);
                }
                if !settings.disclaimer_seen {
                    egui::Frame::group(ui.style())
                        .corner_radius(theme::RADIUS)
                        .inner_margin(12.0)
                        .show(ui, |ui| {
                            ui.label(RichText::new(DISCLAIMER).color(theme::WARNING));
                            if ui.button("Understood").clicked() {
                                commands.push(Command::AcknowledgeDisclaimer);
                            }
                        });
                    ui.add_space(12.0);
                }
                if !entry.diagnostics.is_empty() {
                    ui.label(RichText::new("Warnings").strong().color(theme::WARNING));
                    for diagnostic in &entry.diagnostics {
                        library_ui::diagnostic_ui(ui, diagnostic);
                    }
                }
            });
        });
}

/// "How does your back feel now?": 0 to 10, optional, one key press (0-9, or the 10 button).
fn check_in_ui(ui: &mut egui::Ui, check_in: Option<u8>, commands: &mut Vec<Command>) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("How does your back feel now?").strong());
        for value in 0..=history::MAX_CHECK_IN {
            let button = egui::Button::selectable(check_in == Some(value), value.to_string())
                .min_size(egui::vec2(34.0, 30.0));
            let hover = if value == history::MAX_CHECK_IN {
                "10 = very tight".to_owned()
            } else {
                format!("key {value}")
            };
            if ui.add(button).on_hover_text(hover).clicked() {
                commands.push(Command::CheckInBefore(value));
            }
        }
        let note = match check_in {
            Some(value) => format!("{value} of 10, kept with this session"),
            None => "optional: 0 loose, 10 very tight; press a number key".to_owned(),
        };
        ui.label(RichText::new(note).weak());
    });
}

fn outline_ui(ui: &mut egui::Ui, plan: &Plan, illustrations: &mut Illustrations) {
    for ((s, section), total) in plan
        .routine
        .sections
        .iter()
        .enumerate()
        .zip(plan.section_totals())
    {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!("{}. {}", s + 1, section.title))
                    .font(Size::Subheading.font(ui.style()))
                    .strong(),
            );
            let rounds = if section.rounds > 1 {
                format!("  {} rounds", section.rounds)
            } else {
                String::new()
            };
            let sides = if section.sides == crate::routine::Sides::Both {
                "  left, then right"
            } else {
                ""
            };
            ui.label(RichText::new(format!("{total}{rounds}{sides}")).color(theme::ACCENT));
        });
        if let Some(note) = &section.note {
            ui.label(RichText::new(note).weak());
        }
        if let Some(setup) = &section.setup {
            ui.label(format!("Set up: {setup}"));
        }
        for step in &section.steps {
            ui.horizontal(|ui| {
                player_ui::thumbnail_ui(ui, step, illustrations, egui::vec2(64.0, 48.0));
                ui.vertical(|ui| {
                    ui.label(RichText::new(&step.name).strong());
                    ui.label(RichText::new(step.dose()).weak());
                    if let Some(setup) = &step.setup {
                        ui.label(format!("Set up: {setup}"));
                    }
                    if let Some(partner) = &step.partner {
                        ui.label(
                            RichText::new(format!("With a partner: {partner}"))
                                .color(theme::ACCENT),
                        );
                    }
                });
            });
        }
        ui.add_space(10.0);
    }
}
