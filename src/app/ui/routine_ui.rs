//! The routine screen: outline, total time, equipment checklist, safety note, Start.

use eframe::egui::{self, RichText};

use super::{library_ui, picture_ui};
use crate::app::illustrations::Illustrations;
use crate::app::keymap::{self, Action, Scope};
use crate::app::state::RoutinePage;
use crate::app::theme::{self, Size};
use crate::app::{Command, Screen};
use crate::history;
use crate::library::{Entry, Library};
use crate::routine::{Routine, Step};
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
    anew: bool,
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
    version_ui(ui, &plan.routine, commands);
    if plan.total().estimated {
        ui.label(
            RichText::new(
                "~ Steps that wait for you to press Done are counted at their usual time.",
            )
            .weak(),
        );
    }
    ui.add_space(8.0);
    super::page_scroll_area("routine", anew)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.columns(2, |columns| {
                // Each column lays its text out left-aligned: in the columns' own (justified)
                // layout egui justifies wrapped text, spreading a note's words wide apart.
                let left = egui::Layout::top_down(egui::Align::Min);
                columns[0].with_layout(left, |ui| {
                    outline_ui(ui, plan, illustrations, commands);
                });
                columns[1].with_layout(left, |ui| {
                    aside_ui(ui, entry, routine, plan, settings, commands);
                });
            });
        });
}

/// Beside the outline: the equipment to tick off, the safety note, the disclaimer until it
/// is acknowledged, and the routine's warnings.
fn aside_ui(
    ui: &mut egui::Ui,
    entry: &Entry,
    routine: &Routine,
    plan: &Plan,
    settings: &Settings,
    commands: &mut Vec<Command>,
) {
    // The equipment of the levels and variant chosen.
    let equipment = &plan.routine.equipment;
    if !equipment.is_empty() {
        ui.label(RichText::new("You need").strong());
        for item in equipment {
            // By routine and item alone, not by where the list is drawn.
            let id = egui::Id::unique(("equipment", &routine.id, item));
            let mut ticked = ui.data_mut(|d| *d.get_persisted_mut_or_default::<bool>(id));
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

/// The variant picker and the buttons that put every step at one level, for a routine
/// that has them.
fn version_ui(ui: &mut egui::Ui, routine: &Routine, commands: &mut Vec<Command>) {
    if !routine.variants.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Version").strong());
            let written = egui::Button::selectable(routine.variant.is_none(), "As written");
            if ui.add(written).clicked() {
                commands.push(Command::SetVariant(None));
            }
            for variant in &routine.variants {
                let chosen = routine.variant.as_ref() == Some(&variant.name);
                if ui
                    .add(egui::Button::selectable(chosen, &variant.name))
                    .clicked()
                {
                    commands.push(Command::SetVariant(Some(variant.name.clone())));
                }
            }
        });
    }
    let most = routine.most_levels();
    if most > 0 {
        let levels: Vec<u32> = routine
            .steps()
            .filter(|(_, s)| !s.levels.is_empty())
            .map(|(_, s)| s.level)
            .collect();
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Levels").strong());
            for level in 1..=u32::try_from(most).unwrap_or(1) {
                let all_here = !levels.is_empty() && levels.iter().all(|&l| l == level);
                let button = egui::Button::selectable(all_here, format!("All at level {level}"));
                if ui
                    .add(button)
                    .on_hover_text(format!(
                        "{} or {}: every step one level down or up",
                        keymap::keys_of(Scope::Routine, Action::LevelsDown),
                        keymap::keys_of(Scope::Routine, Action::LevelsUp)
                    ))
                    .clicked()
                {
                    commands.push(Command::SetAllLevels(level));
                }
            }
        });
    }
}

/// A levelled step's level, with a button for each of its levels and the progression text
/// of the one chosen.
fn step_level_ui(ui: &mut egui::Ui, step: &Step, commands: &mut Vec<Command>) {
    if step.levels.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("Level {} of {}", step.level, step.levels.len()))
                .color(theme::ACCENT),
        );
        for (level, at) in (1..).zip(&step.levels) {
            let button = egui::Button::selectable(step.level == level, format!("Level {level}"));
            if ui.add(button).on_hover_text(&at.step.name).clicked() {
                commands.push(Command::SetLevel {
                    step: step.position,
                    level,
                });
            }
        }
    });
    let chosen = usize::try_from(step.level.saturating_sub(1)).unwrap_or_default();
    if let Some(progression) = step.levels.get(chosen).and_then(|l| l.progression.as_ref()) {
        ui.label(RichText::new(progression).weak().italics());
    }
}

fn outline_ui(
    ui: &mut egui::Ui,
    plan: &Plan,
    illustrations: &mut Illustrations,
    commands: &mut Vec<Command>,
) {
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
                picture_ui::thumbnail_ui(ui, step, illustrations, egui::vec2(64.0, 48.0));
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
                    step_level_ui(ui, step, commands);
                });
            });
        }
        ui.add_space(10.0);
    }
}
