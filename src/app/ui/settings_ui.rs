//! The settings screen and About.

use eframe::egui::{self, RichText};

use super::routine_ui::DISCLAIMER;
use crate::app::Command;
use crate::app::keymap::{KEYMAP, Scope};
use crate::app::theme::{self, Size};
use crate::app::voice_sample::Sample;
use crate::app::voice_variants::VoiceVariant;
use crate::audio::AudioStatus;
use crate::settings::{self, Settings, Theme};
use crate::text::plural;
use crate::timeline::{DoneSteps, Language};

/// What the voice settings need from outside the settings.
pub(super) struct VoiceServices<'a> {
    /// Whether sound plays, and if not, why.
    pub audio: &'a AudioStatus,
    /// The espeak-ng variants on this machine.
    pub variants: &'a [VoiceVariant],
    /// The sample asked for.
    pub sample: &'a Sample,
}

pub(super) fn settings_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    voice: &VoiceServices<'_>,
    anew: bool,
    commands: &mut Vec<Command>,
) {
    ui.heading("Settings");
    ui.add_space(12.0);
    // Taller than the window with a large text size: the folders stay within reach.
    super::page_scroll_area("settings", anew)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            settings_grid_ui(ui, settings, voice, commands);
            ui.add_space(16.0);
            folders_ui(ui, settings, commands);
        });
}

/// Sound, voice, look, goal and reminders: a label and a control on each row.
fn settings_grid_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    voice: &VoiceServices<'_>,
    commands: &mut Vec<Command>,
) {
    egui::Grid::new("settings")
        .num_columns(2)
        .spacing([24.0, 10.0])
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
            voice_rows_ui(ui, settings, voice, commands);
            ui.label("Beeps");
            ui.checkbox(&mut settings.beeps, "Start tones, 3-2-1 pips and ticks");
            ui.end_row();
            let label = ui.label("Get ready");
            ui.vertical(|ui| {
                ui.add(
                    egui::Slider::new(&mut settings.lead_in_secs, settings::LEAD_IN_SECS)
                        .suffix(" s"),
                )
                .labelled_by(label.id);
                // Not silently overridden: a routine's own lead-in wins, and this says so.
                ui.label(
                    egui::RichText::new(
                        "Before the first step and after each pause; \
                         a routine that sets its own get-ready time keeps it.",
                    )
                    .small()
                    .weak(),
                );
            });
            ui.end_row();
            done_steps_rows_ui(ui, settings);
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
            ui.label("Pictures");
            ui.checkbox(
                &mut settings.animations,
                "Animate pictures with several frames",
            )
            .on_hover_text("Off, each step shows its first frame and the window redraws less");
            ui.end_row();
            ui.label("Flash");
            ui.vertical(|ui| {
                ui.checkbox(
                    &mut settings.transition_flash,
                    "Flash the whole window at each new step and at the finish",
                );
                ui.label(
                    RichText::new(
                        "For noisy places, where the cues are hard to hear: \
                         the window lights up in the new step's colour and fades in half a second.",
                    )
                    .small()
                    .weak(),
                );
            });
            ui.end_row();
            let label = ui.label("Weekly goal");
            ui.add(
                egui::Slider::new(&mut settings.weekly_goal_days, settings::WEEKLY_GOAL_DAYS)
                    .custom_formatter(|v, _| days_a_week(v)),
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
}

/// "1 day a week", "3 days a week": the weekly goal slider's value.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the slider's values are whole days, within WEEKLY_GOAL_DAYS"
)]
fn days_a_week(value: f64) -> String {
    format!("{} a week", plural(value.round() as u32, "day"))
}

/// The folders to find routines in besides the standard ones.
/// Done steps that move on by themselves, and what Enter does on a timed step.
fn done_steps_rows_ui(ui: &mut egui::Ui, settings: &mut Settings) {
    let label = ui.label("Done steps");
    ui.vertical(|ui| {
        egui::ComboBox::from_id_salt("done-steps")
            .selected_text(done_steps_name(settings.done_steps))
            .show_ui(ui, |ui| {
                for choice in [DoneSteps::Wait, DoneSteps::AsRoutine, DoneSteps::MoveOn] {
                    ui.selectable_value(&mut settings.done_steps, choice, done_steps_name(choice));
                }
            })
            .response
            .labelled_by(label.id);
        ui.add_enabled(
            settings.done_steps == DoneSteps::MoveOn,
            egui::Slider::new(&mut settings.done_margin_secs, settings::DONE_MARGIN_SECS)
                .prefix("after the suggested time + ")
                .suffix(" s"),
        );
        ui.label(
            egui::RichText::new(
                "A jog or strides then go on without you walking back: \
                 \u{201c}Moving on in 10 seconds\u{201d} is said first, and Done keeps \
                 the step waiting. A routine's own margin wins.",
            )
            .small()
            .weak(),
        );
    });
    ui.end_row();
    ui.label("Enter key");
    ui.checkbox(
        &mut settings.enter_skips_timed,
        "Enter skips a timed step too (off: only Done steps)",
    )
    .on_hover_text("Next (\u{2192} or N) always skips");
    ui.end_row();
}

/// The Done steps setting in words.
fn done_steps_name(choice: DoneSteps) -> &'static str {
    match choice {
        DoneSteps::Wait => "Always wait for Done",
        DoneSteps::AsRoutine => "Move on where the routine says",
        DoneSteps::MoveOn => "Move on by themselves",
    }
}

fn folders_ui(ui: &mut egui::Ui, settings: &mut Settings, commands: &mut Vec<Command>) {
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

/// The rows under "Spoken announcements": language, speed, variant with the sample beside
/// it, and the calls.
/// Speed, variant and the sample are for the voice alone, so they wait for it to be on.
fn voice_rows_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    voice: &VoiceServices<'_>,
    commands: &mut Vec<Command>,
) {
    let spoken = settings.voice;
    let label = ui.label("Language");
    egui::ComboBox::from_id_salt("voice-language")
        .selected_text(settings.language.name())
        .show_ui(ui, |ui| {
            for language in Language::ALL {
                ui.selectable_value(&mut settings.language, language, language.name());
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(
            "The language of the announcements, for routines that do not name their own",
        );
    ui.end_row();

    let label = ui.label("Speed");
    ui.add_enabled(
        spoken,
        egui::Slider::new(&mut settings.voice_speed_wpm, settings::VOICE_SPEED_WPM)
            .suffix(" words a minute"),
    )
    .labelled_by(label.id)
    .on_hover_text("How fast the voice speaks; 165 is clear from across a room")
    .on_disabled_hover_text("Turn on spoken announcements to set the voice");
    ui.end_row();

    let label = ui.label("Voice variant");
    let selected = match &settings.voice_variant {
        None => STANDARD_VARIANT.to_owned(),
        Some(id) => voice
            .variants
            .iter()
            .find(|v| &v.id == id)
            .map_or_else(|| id.clone(), |v| v.name.clone()),
    };
    ui.horizontal(|ui| {
        ui.add_enabled_ui(spoken, |ui| {
            egui::ComboBox::from_id_salt("voice-variant")
                .selected_text(selected)
                .height(320.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut settings.voice_variant, None, STANDARD_VARIANT);
                    for variant in voice.variants {
                        ui.selectable_value(
                            &mut settings.voice_variant,
                            Some(variant.id.clone()),
                            &variant.name,
                        );
                    }
                })
                .response
                .labelled_by(label.id)
                .on_hover_text(
                    "espeak-ng's variants change the voice's pitch and tone; Standard is the \
                     language's own voice",
                )
                .on_disabled_hover_text("Turn on spoken announcements to set the voice");
        });
        ui.add_space(12.0);
        sample_ui(ui, settings, voice, commands);
    });
    ui.end_row();

    ui.label("Calls");
    ui.horizontal(|ui| {
        ui.checkbox(&mut settings.halfway_call, "Call halfway")
            .on_hover_text("“Halfway” in timed steps of 20 seconds or more");
        ui.add_space(12.0);
        ui.checkbox(&mut settings.ten_seconds_left_call, "Call 10 seconds left")
            .on_hover_text("“10 seconds left” in timed steps of 30 seconds or more");
    });
    ui.end_row();
}

/// "Speak a sample", and beside it what it does or why it cannot be heard.
fn sample_ui(
    ui: &mut egui::Ui,
    settings: &Settings,
    voice: &VoiceServices<'_>,
    commands: &mut Vec<Command>,
) {
    let no_output = matches!(voice.audio, AudioStatus::NoOutput(_));
    let busy = voice.sample.is_busy();
    let why_not = if no_output {
        "No audio output: the sample cannot be heard"
    } else if settings.muted {
        "The sound is muted"
    } else if !settings.voice {
        "Turn on spoken announcements to hear the voice"
    } else {
        "A sample is being said"
    };
    let ready = settings.voice && !settings.muted && !no_output && !busy;
    if ui
        .add_enabled(ready, egui::Button::new("Speak a sample"))
        .on_hover_text("Says a sentence in the chosen language, speed and voice variant")
        .on_disabled_hover_text(why_not)
        .clicked()
    {
        commands.push(Command::SpeakSample);
    }
    // A device's or espeak-ng's reason can be long: cut at the window's edge, whole on hover.
    let note = if no_output {
        Some(RichText::new(voice.audio.to_string()).color(theme::WARNING))
    } else if settings.muted {
        Some(RichText::new("Sound muted").color(theme::WARNING))
    } else {
        voice.sample.note().map(|note| {
            let note = RichText::new(note);
            if busy {
                note.weak()
            } else {
                note.color(theme::WARNING)
            }
        })
    };
    if let Some(note) = note {
        ui.add(egui::Label::new(note).truncate());
    }
}

/// How the settings screen names the language's own voice (no variant).
const STANDARD_VARIANT: &str = "Standard";

pub(in crate::app) fn about_ui(ui: &mut egui::Ui, anew: bool) {
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
    super::page_scroll_area("about", anew).show(ui, |ui| {
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
