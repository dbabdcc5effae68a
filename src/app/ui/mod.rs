//! Drawing: the chrome (top bar, reminder, alerts, messages) here, and one `…_ui.rs` per
//! screen. Drawing reads the state and returns [`Command`]s; the only state it changes is
//! what a widget edits in place (the search, the settings, the note).

mod finish_ui;
mod flash_ui;
mod history_ui;
mod library_ui;
mod picture_ui;
mod player_controls_ui;
mod player_ui;
mod routine_ui;
mod settings_ui;

use std::time::Duration;

use eframe::egui::{self, RichText};

use super::command::Command;
use super::illustrations::Illustrations;
use super::keymap::{self, Action, Scope};
use super::state::{ImportQuestion, ImportUndo, Page, Screen, State};
use super::theme::{self, Size};
use super::voice_sample::Sample;
use super::voice_variants::VoiceVariant;
use crate::audio::{AudioStatus, CueAudio};
use crate::library::Library;
use crate::reminder::DESK_BREAK_ROUTINE;
use crate::routine::Routine;
use crate::session::Session;
pub use history_ui::CHART_LABEL;
pub(super) use history_ui::{Aim, HistoryView};
pub(super) use library_ui::LibraryView;
pub(super) use picture_ui::next_frame_in;
#[cfg(test)]
pub(super) use settings_ui::about_ui;

/// What drawing needs from outside the state.
pub(super) struct Services<'a> {
    /// Whether sound plays, and if not, why.
    pub audio: &'a AudioStatus,
    /// What the voice is saying, and what it could not say in full.
    pub voice: &'a CueAudio,
    /// The session clock.
    pub now: Duration,
    /// The espeak-ng variants on this machine (none while they are listed, or without it).
    pub voice_variants: &'a [VoiceVariant],
    /// The voice sample asked for on the settings screen.
    pub sample: &'a Sample,
}

/// Draws the window; returns what the athlete asked for.
pub(super) fn draw(
    ui: &mut egui::Ui,
    state: &mut State,
    services: &Services<'_>,
    illustrations: &mut Illustrations,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let playing = state.is_playing();
    if !playing {
        egui::Panel::top("top")
            .frame(theme::panel_frame(ui.style()))
            .show(ui, |ui| top_bar_ui(ui, state, services, &mut commands));
    }
    if state.reminder_due && !playing {
        egui::Panel::top("reminder")
            .frame(theme::panel_frame(ui.style()))
            .show(ui, |ui| reminder_ui(ui, state, &mut commands));
    }
    if !state.alerts.is_empty() && !playing {
        egui::Panel::top("alerts")
            .frame(theme::panel_frame(ui.style()))
            .show(ui, |ui| alerts_ui(ui, &state.alerts, &mut commands));
    }
    if let Some(undo) = state.import_undo.as_ref().filter(|_| !playing) {
        egui::Panel::top("import-undo")
            .frame(theme::panel_frame(ui.style()))
            .show(ui, |ui| import_undo_ui(ui, undo, &mut commands));
    }
    if let Some((message, _)) = &state.toast {
        egui::Panel::bottom("toast")
            .frame(theme::panel_frame(ui.style()))
            .show(ui, |ui| {
                ui.add_space(4.0);
                ui.label(message.as_str());
                ui.add_space(4.0);
            });
    }
    let mut confirm_stop = false;
    let anew = shown_anew(ui.ctx(), &state.screen());
    egui::CentralPanel::default()
        .frame(theme::central_frame(ui.style()))
        .show(ui, |ui| match &mut state.page {
            Page::Library => library_ui::library_ui(
                ui,
                state.loaded.then_some(&state.library),
                &state.library_view,
                &mut state.search,
                anew,
                &mut commands,
            ),
            Page::Routine(page) => routine_ui::routine_ui(
                ui,
                &state.library,
                page,
                &state.settings,
                illustrations,
                anew,
                &mut commands,
            ),
            Page::Player(page) => {
                confirm_stop = page.confirm_stop;
                let audio = short_audio_status(services.audio)
                    .map(|s| format!("{s}: the words of each cue show here"));
                player_ui::player_ui(
                    ui,
                    &page.session,
                    services.now,
                    &state.settings,
                    &player_ui::Notes {
                        // What the voice says as it says it; the cue's words without one.
                        caption: services
                            .voice
                            .saying(services.now)
                            .or_else(|| page.session.caption()),
                        lost: lost_words(services.voice, &page.session, services.now),
                        audio,
                        changed: changed_on_disk(&state.library, page.session.routine()),
                    },
                    illustrations,
                    &mut commands,
                );
            }
            Page::Finish(session) => finish_ui::finish_ui(ui, session, &mut commands),
            Page::History => history_ui::history_ui(
                ui,
                state.history_view.as_ref(),
                &history_ui::LogState {
                    disabled: state.log.unavailable(),
                    notices: &state.log_notices,
                },
                anew,
                &mut commands,
            ),
            Page::Settings => settings_ui::settings_ui(
                ui,
                &mut state.settings,
                &settings_ui::VoiceServices {
                    audio: services.audio,
                    variants: services.voice_variants,
                    sample: services.sample,
                },
                anew,
                &mut commands,
            ),
            Page::About => settings_ui::about_ui(ui, anew),
        });
    if confirm_stop {
        player_controls_ui::confirm_stop_ui(ui.ctx(), &mut commands);
    }
    if let Some(question) = &state.import_question {
        import_question_ui(ui.ctx(), question, &mut commands);
    }
    if state.settings.transition_flash
        && let Some(session) = state.session()
    {
        flash_ui::flash_ui(ui.ctx(), session, services.now);
    }
    commands
}

/// Whether `screen` is shown anew this frame: another screen, or another routine's page,
/// showed the frame before (or none did).
fn shown_anew(ctx: &egui::Context, screen: &Screen) -> bool {
    let id = egui::Id::unique("screen-shown");
    ctx.data_mut(|data| {
        let anew = data.get_temp::<Screen>(id).as_ref() != Some(screen);
        if anew {
            data.insert_temp(id, screen.clone());
        }
        anew
    })
}

/// A page's vertical scroll area, under its own id, at its top when the page is shown anew:
/// egui keeps a scroll area's offset by its id, and every page opened again (a routine's
/// page after another's, the history, the settings, the library) starts from its top, not
/// where the last one was left.
fn page_scroll_area(salt: &'static str, anew: bool) -> egui::ScrollArea {
    let area = egui::ScrollArea::vertical().id_salt(salt);
    if anew {
        area.vertical_scroll_offset(0.0)
    } else {
        area
    }
}

fn top_bar_ui(
    ui: &mut egui::Ui,
    state: &State,
    services: &Services<'_>,
    commands: &mut Vec<Command>,
) {
    let current = state.screen();
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label(
            RichText::new("Limber Up")
                .font(Size::Emphasis.font(ui.style()))
                .strong()
                .color(theme::ACCENT),
        );
        ui.add_space(16.0);
        for (label, screen) in [
            ("Routines", Screen::Library),
            ("History", Screen::History),
            ("Settings", Screen::Settings),
            ("About", Screen::About),
        ] {
            let selected = current == screen
                || (screen == Screen::Library && matches!(current, Screen::Routine(_)));
            let response = ui.selectable_label(selected, label);
            let response = if screen == Screen::History {
                response.on_hover_text(keymap::keys_of(Scope::Library, Action::ShowHistory))
            } else {
                response
            };
            if response.clicked() {
                commands.push(Command::Show(screen));
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(short) = short_audio_status(services.audio) {
                ui.label(RichText::new(short).color(theme::WARNING))
                    .on_hover_text(services.audio.to_string());
            }
            let mute = if state.settings.muted {
                "Sound off"
            } else {
                "Sound on"
            };
            let keys = keymap::keys_of(Scope::Library, Action::ToggleMute);
            if ui.button(mute).on_hover_text(keys).clicked() {
                commands.push(Command::ToggleMute);
            }
        });
    });
    ui.add_space(6.0);
}

fn reminder_ui(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let text = format!(
            "Time for a desk break: {} minutes at the desk. Three or four minutes for your hip \
             flexors and lower back.",
            state.settings.desk_break_interval_mins
        );
        let label = ui.label(
            RichText::new(text)
                .font(Size::Label.font(ui.style()))
                .color(theme::WARNING),
        );
        if let Some(reason) = &state.notifications_unavailable {
            label.on_hover_text(format!("No desktop notification: {reason}"));
        }
        let available = state.routine(DESK_BREAK_ROUTINE).is_some();
        if ui
            .add_enabled(available, egui::Button::new("Start desk break"))
            .clicked()
        {
            commands.push(Command::OpenDeskBreak);
        }
        if ui.button("Not now").clicked() {
            commands.push(Command::DismissReminder);
        }
    });
    ui.add_space(6.0);
}

/// The banner of problems found at start, each on its own line, with one button to put
/// them away.
fn alerts_ui(ui: &mut egui::Ui, alerts: &[String], commands: &mut Vec<Command>) {
    ui.add_space(6.0);
    for alert in alerts {
        ui.label(
            RichText::new(alert)
                .font(Size::Note.font(ui.style()))
                .color(theme::WARNING),
        );
    }
    if ui.button("Dismiss").clicked() {
        commands.push(Command::DismissAlerts);
    }
    ui.add_space(6.0);
}

/// "Replace …?" before a dropped file replaces a routine already there.
fn import_question_ui(ctx: &egui::Context, question: &ImportQuestion, commands: &mut Vec<Command>) {
    egui::Modal::new(egui::Id::unique("import-question")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading(format!("Replace with {}?", question.name));
        ui.add(egui::Label::new(format!("{}: {}.", question.name, question.what)).wrap());
        ui.label(
            RichText::new("Replacing keeps the other copy aside, and you can undo it.")
                .font(Size::Note.font(ui.style()))
                .weak(),
        );
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Keep mine").clicked() {
                commands.push(Command::KeepExisting);
            }
            if ui.button("Replace").clicked() {
                commands.push(Command::ReplaceImport);
            }
        });
    });
}

/// The banner after an import that replaced something: Undo puts it back.
fn import_undo_ui(ui: &mut egui::Ui, undo: &ImportUndo, commands: &mut Vec<Command>) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let kept: Vec<String> = undo
            .kept_aside
            .iter()
            .map(|k| k.from.display().to_string())
            .collect();
        ui.label(format!(
            "{} replaced {} (kept aside).",
            undo.name,
            kept.join(", ")
        ));
        if ui.button("Undo").clicked() {
            commands.push(Command::UndoImport);
        }
        if ui.button("Dismiss").clicked() {
            commands.push(Command::DismissUndo);
        }
    });
    ui.add_space(6.0);
}

/// What to tell an athlete whose routine changed on disk while it plays; `None` if it has not.
fn changed_on_disk(library: &Library, routine: &Routine) -> Option<&'static str> {
    match library.get(&routine.id).map(|e| e.routine.as_deref()) {
        None => Some("This routine was removed from disk; this session plays on as it started."),
        Some(None) => Some(
            "This routine changed on disk and now has errors; this session plays on as it started.",
        ),
        Some(Some(now)) if now.content_hash != routine.content_hash => {
            Some("This routine changed on disk: the changes apply to the next start.")
        }
        Some(Some(_)) => None,
    }
}

/// "Not said in full: …" while the segment whose words the voice could not say in full (for
/// want of time, where the routine opted out of time to get into position) is under way.
fn lost_words(voice: &CueAudio, session: &Session, now: Duration) -> Option<String> {
    let plan = session.player().plan();
    let segment = session.player().status(now).segment;
    let lost = voice.lost_in(segment)?;
    Some(format!("Not heard in full: {}", lost.message(plan)))
}

/// "No audio output" or "No voice", the reason being in the hover text; `None` when fine.
fn short_audio_status(status: &AudioStatus) -> Option<&'static str> {
    match status {
        AudioStatus::Ok => None,
        AudioStatus::NoOutput(_) => Some("No audio output"),
        AudioStatus::NoVoice(_) => Some("No voice: cues show as text"),
    }
}
