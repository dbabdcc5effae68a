//! The floor tests/benchmarks.sh measures Limber Up against: a bare eframe window with
//! nothing of Limber Up in it, started and measured the same way.
//!
//! `bare-window idle` is a 1280x800 glow window showing a static label and never asking to
//! repaint (Limber Up on its library). `bare-window countdown` shows a big countdown that
//! changes once a second and asks for a frame only when the next second comes (Limber Up
//! playing a routine): the same monospace digits at the size the player draws them at
//! 1280x800 (`theme::PlayerSizes` gives 192 points), so the font atlas holds the same big
//! glyphs. `bare-window countdown-sound` is that countdown with the default sound device
//! open the way the player opens it (rodio, the same buffer, one silent source mixed in):
//! what any eframe app costs here while it keeps a sound stream ready. What Limber Up
//! costs beyond these figures is its own.

use std::time::{Duration, Instant};

use eframe::egui;

/// The player's countdown digits at 1280x800 (`PlayerSizes::for_window`: 192 points).
const DIGITS_POINTS: f32 = 192.0;
/// Where the countdown starts, in seconds; it starts over when it reaches zero.
const COUNT_FROM_SECS: u64 = 10 * 60;

/// What the window shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A static label; never asks for a frame.
    Idle,
    /// A countdown of minutes and seconds, redrawn once a second.
    Countdown,
    /// The countdown, with a sound stream open that plays silence.
    CountdownSound,
}

/// The window's one piece of state.
struct BareWindow {
    mode: Mode,
    started: Instant,
    /// The open stream, in [`Mode::CountdownSound`]; it closes when dropped.
    _sound: Option<rodio::MixerDeviceSink>,
}

impl BareWindow {
    /// Seconds left, counting down from [`COUNT_FROM_SECS`] and starting over at zero.
    fn remaining_secs(&self) -> u64 {
        COUNT_FROM_SECS - self.started.elapsed().as_secs() % COUNT_FROM_SECS
    }

    /// How long until the shown second changes.
    fn until_next_second(&self) -> Duration {
        let into = self.started.elapsed().subsec_nanos();
        Duration::from_nanos(u64::from(1_000_000_000 - into))
    }
}

impl eframe::App for BareWindow {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if self.mode != Mode::Idle {
            ctx.request_repaint_after(self.until_next_second());
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| match self.mode {
            Mode::Idle => {
                ui.label("A bare eframe window: the floor Limber Up is measured against.");
            }
            Mode::Countdown | Mode::CountdownSound => {
                let secs = self.remaining_secs();
                ui.label(
                    egui::RichText::new(format!("{}:{:02}", secs / 60, secs % 60))
                        .font(egui::FontId::monospace(DIGITS_POINTS))
                        .strong(),
                );
            }
        });
    }
}

fn main() -> std::process::ExitCode {
    let mode = match std::env::args().nth(1).as_deref() {
        Some("idle") => Mode::Idle,
        Some("countdown") => Mode::Countdown,
        Some("countdown-sound") => Mode::CountdownSound,
        _ => {
            say("usage: bare-window idle|countdown|countdown-sound");
            return std::process::ExitCode::from(2);
        }
    };
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Bare window")
            .with_inner_size([1280.0, 800.0]),
        renderer: eframe::Renderer::Glow,
        ..eframe::NativeOptions::default()
    };
    let started = Instant::now();
    let result = eframe::run_native(
        "bare-window",
        native,
        Box::new(move |_cc| {
            let sound = (mode == Mode::CountdownSound)
                .then(open_sound)
                .transpose()?;
            Ok(Box::new(BareWindow {
                mode,
                started,
                _sound: sound,
            }))
        }),
    );
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            say(&format!("bare-window: cannot open the window: {error}"));
            std::process::ExitCode::FAILURE
        }
    }
}

/// The default device opened as the player opens it, playing silence until dropped.
fn open_sound() -> Result<rodio::MixerDeviceSink, Box<dyn std::error::Error + Send + Sync>> {
    let mut sink = rodio::DeviceSinkBuilder::from_default_device()?
        .with_buffer_size(rodio::cpal::BufferSize::Fixed(
            limberup::audio::BUFFER_FRAMES,
        ))
        .open_sink_or_fallback()?;
    sink.log_on_drop(false);
    // A mono source at espeak-ng's rate, like the player's cue track: the mixer converts it.
    sink.mixer().add(rodio::source::Zero::new(
        rodio::ChannelCount::MIN,
        rodio::SampleRate::new(22_050).unwrap_or(rodio::SampleRate::MIN),
    ));
    Ok(sink)
}

/// Tells the person running it what went wrong.
#[expect(clippy::print_stderr, reason = "the example's only output")]
fn say(message: &str) {
    eprintln!("{message}");
}
