//! The library screen: routines as cards, a filter, and the routines that failed to load.

use std::collections::BTreeSet;
use std::sync::Arc;

use eframe::egui::{self, RichText};

use crate::app::state::LibrarySearch;
use crate::app::theme::{self, Size};
use crate::app::{Command, Screen};
use crate::library::{Entry, Library, Source};
use crate::routine::{Diagnostic, Routine, Severity};
use crate::text::plural;
use crate::timeline::{Plan, PlanOptions, Total};

/// The narrowest a routine card gets.
const CARD_WIDTH: f32 = 340.0;

/// Inner margin of a card.
const CARD_PADDING: f32 = 16.0;

/// What the library screen shows of each routine, computed when the library or the plan
/// options (lead-in, voice, calls) change (not every frame): its total planned as the
/// routine's page and the player plan it, so they agree, and the text the filter searches.
pub(in crate::app) struct LibraryView {
    options: PlanOptions,
    /// By entry, in the library's order: the total and the lowercase search text of each
    /// routine that loaded.
    cards: Vec<Option<(Total, String)>>,
    tags: BTreeSet<String>,
}

impl LibraryView {
    pub(in crate::app) fn new(library: &Library, options: PlanOptions) -> Self {
        let cards = library
            .entries
            .iter()
            .map(|entry| {
                entry.routine.as_ref().map(|routine| {
                    let total = Plan::with_options(Arc::clone(routine), options.clone()).total();
                    (total, search_text(entry, routine))
                })
            })
            .collect();
        let tags = library
            .entries
            .iter()
            .filter_map(|e| e.routine.as_ref())
            .flat_map(|r| r.tags.iter().cloned())
            .collect();
        Self {
            options,
            cards,
            tags,
        }
    }

    /// What the totals were planned with.
    pub(in crate::app) fn options(&self) -> &PlanOptions {
        &self.options
    }
}

/// The library page; `library` is `None` until it has been read (the window's first frame).
pub(super) fn library_ui(
    ui: &mut egui::Ui,
    library: Option<&Library>,
    view: &LibraryView,
    search: &mut LibrarySearch,
    anew: bool,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Routines");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Open routines folder").clicked() {
                commands.push(Command::OpenRoutinesFolder);
            }
            if ui.button("Reload").clicked() {
                commands.push(Command::Reload);
            }
        });
    });
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(&mut search.filter)
                .hint_text("name, muscle or equipment")
                .desired_width(320.0),
        )
        .labelled_by(label.id);
        // One drop-down, not a row per tag: the routines stay on the first screen however
        // many tags the routines bring.
        let tag = &mut search.tag;
        let label = ui.label("Tag");
        egui::ComboBox::from_id_salt("library-tag")
            .selected_text(tag.as_deref().unwrap_or("all"))
            .show_ui(ui, |ui| {
                ui.selectable_value(tag, None, "all");
                for t in &view.tags {
                    ui.selectable_value(tag, Some(t.clone()), t.as_str());
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.add_space(12.0);
    let Some(library) = library else {
        ui.label("Loading routines…");
        return;
    };
    let failed: Vec<&Entry> = library.failed().collect();
    super::page_scroll_area("library", anew).auto_shrink([false, false]).show(ui, |ui| {
        if library.entries.is_empty() {
            ui.label("No routines found. Drop a .ron routine file on this window, or put one in your routines folder.");
        }
        let needle = search.filter.trim().to_lowercase();
        let tag = &search.tag;
        if needle.is_empty() && tag.is_none() {
            before_a_run_ui(ui, library, view, commands);
        }
        let shown: Vec<(&Entry, &Arc<Routine>, Total)> = library
            .entries
            .iter()
            .zip(&view.cards)
            .filter_map(|(e, card)| {
                let (total, text) = card.as_ref()?;
                let routine = e.routine.as_ref()?;
                let wanted = tag.as_ref().is_none_or(|t| routine.tags.contains(t))
                    && needle.split_whitespace().all(|word| text.contains(word));
                wanted.then_some((e, routine, *total))
            })
            .collect();
        // As many columns as fit, the cards sharing the width.
        let gap = 16.0;
        let available = ui.available_width();
        let columns = (1..=6usize).rev().find(|&n| n as f32 * (CARD_WIDTH + gap) - gap <= available).unwrap_or(1);
        let width = (available - gap * (columns as f32 - 1.0)) / columns as f32 - 2.0 * CARD_PADDING - 2.0;
        for row in shown.chunks(columns) {
            ui.horizontal_top(|ui| {
                ui.spacing_mut().item_spacing.x = gap;
                for &(entry, routine, total) in row {
                    card_ui(ui, entry, routine, total, width, commands);
                }
            });
            ui.add_space(gap);
        }
        if !failed.is_empty() {
            ui.add_space(20.0);
            errors_panel_ui(ui, &failed);
        }
    });
}

/// The routine a first-time athlete needs, offered above the cards.
const BEFORE_A_RUN: &str = "pre-run-warmup";

/// "Before your run": the pre-run warm-up, if the library has it, first on the screen.
fn before_a_run_ui(
    ui: &mut egui::Ui,
    library: &Library,
    view: &LibraryView,
    commands: &mut Vec<Command>,
) {
    let Some((entry, total)) = library
        .entries
        .iter()
        .zip(&view.cards)
        .find(|(e, _)| e.id == BEFORE_A_RUN)
    else {
        return;
    };
    let (Some(routine), Some((total, _))) = (&entry.routine, total) else {
        return;
    };
    egui::Frame::group(ui.style())
        .corner_radius(theme::RADIUS)
        .inner_margin(CARD_PADDING)
        .stroke(egui::Stroke::new(2.0, theme::WORK))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            // The button first, from the right: the description wraps in what is left.
            let row = egui::vec2(ui.available_width(), 0.0);
            ui.allocate_ui_with_layout(row, egui::Layout::right_to_left(egui::Align::Min), |ui| {
                let button = egui::Button::new(
                    RichText::new("Warm up for a run").font(Size::Label.font(ui.style())),
                )
                .min_size(egui::vec2(200.0, 44.0));
                if ui.add(button).clicked() {
                    commands.push(Command::Show(Screen::Routine(entry.id.clone())));
                }
                ui.add_space(16.0);
                ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.label(
                        RichText::new("Before your run")
                            .font(Size::Subheading.font(ui.style()))
                            .strong()
                            .color(theme::WORK),
                    );
                    ui.label(format!("{} · {total}", routine.title));
                    ui.label(RichText::new(&routine.description).weak());
                });
            });
        });
    ui.add_space(16.0);
}

/// Everything the filter finds a routine by, lowercase: title, description, id, tags,
/// equipment, and each step's name and muscles.
fn search_text(entry: &Entry, routine: &Routine) -> String {
    [&routine.title, &routine.description, &entry.id]
        .into_iter()
        .cloned()
        .chain(routine.tags.iter().cloned())
        .chain(routine.equipment.iter().cloned())
        .chain(
            routine
                .steps()
                .flat_map(|(_, s)| s.muscles.iter().cloned().chain([s.name.clone()])),
        )
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn card_ui(
    ui: &mut egui::Ui,
    entry: &Entry,
    routine: &Arc<Routine>,
    total: Total,
    width: f32,
    commands: &mut Vec<Command>,
) {
    let frame = egui::Frame::group(ui.style())
        .corner_radius(theme::RADIUS)
        .inner_margin(CARD_PADDING)
        .fill(ui.visuals().faint_bg_color);
    let response = frame
        .show(ui, |ui| {
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.set_min_height(170.0);
                ui.label(
                    RichText::new(&routine.title)
                        .font(Size::Subheading.font(ui.style()))
                        .strong(),
                );
                ui.label(
                    RichText::new(total.to_string())
                        .font(Size::Label.font(ui.style()))
                        .color(theme::ACCENT),
                );
                ui.label(&routine.description);
                if !routine.equipment.is_empty() {
                    ui.label(
                        RichText::new(format!("Equipment: {}", routine.equipment.join(", ")))
                            .weak(),
                    );
                }
                ui.horizontal_wrapped(|ui| {
                    for tag in &routine.tags {
                        ui.label(RichText::new(tag).small().color(theme::ACCENT));
                    }
                    if entry.source == Source::User {
                        ui.label(RichText::new("yours").small().strong());
                    }
                    let warnings = entry.diagnostics.len();
                    if warnings > 0 {
                        ui.label(
                            RichText::new(plural(warnings, "warning"))
                                .small()
                                .color(theme::WARNING),
                        );
                    }
                });
                ui.add_space(4.0);
                if ui.button(format!("Open {}", routine.title)).clicked() {
                    commands.push(Command::Show(Screen::Routine(entry.id.clone())));
                }
            })
        })
        .response;
    if response.interact(egui::Sense::click()).clicked() {
        commands.push(Command::Show(Screen::Routine(entry.id.clone())));
    }
}

fn errors_panel_ui(ui: &mut egui::Ui, failed: &[&Entry]) {
    egui::Frame::group(ui.style())
        .corner_radius(theme::RADIUS)
        .inner_margin(16.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let count = failed.len();
            ui.label(
                RichText::new(format!("{} could not be loaded", plural(count, "routine")))
                    .font(Size::Label.font(ui.style()))
                    .color(theme::ERROR),
            );
            ui.label(
                "Fix the file in your editor and press Reload; the other routines stay playable.",
            );
            for entry in failed {
                ui.add_space(8.0);
                ui.label(RichText::new(entry.path.display().to_string()).strong());
                for diagnostic in &entry.diagnostics {
                    diagnostic_ui(ui, diagnostic);
                }
            }
        });
}

/// One diagnostic: `file:line:col`, severity and message, the source line, the hint.
pub(super) fn diagnostic_ui(ui: &mut egui::Ui, diagnostic: &Diagnostic) {
    let colour = match diagnostic.severity {
        Severity::Error => theme::ERROR,
        Severity::Warning => theme::WARNING,
    };
    ui.label(
        RichText::new(format!(
            "{}: {}: {}",
            diagnostic.location(),
            diagnostic.severity,
            diagnostic.message
        ))
        .color(colour),
    );
    if let (Some(line), Some(span)) = (&diagnostic.source_line, diagnostic.span) {
        let caret = format!("{}^", " ".repeat(span.start.col.saturating_sub(1)));
        ui.label(RichText::new(format!("{line}\n{caret}")).monospace());
    }
    if let Some(hint) = &diagnostic.hint {
        ui.label(RichText::new(format!("hint: {hint}")).italics());
    }
}
