//! The user's settings, kept by eframe's storage between runs.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The key the settings are stored under.
pub const STORAGE_KEY: &str = "limberup.settings";

/// Light, dark, or follow the system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the system.
    #[default]
    System,
    /// Always dark.
    Dark,
    /// Always light.
    Light,
}

/// Everything the user can set. `serde(default)` so settings written by an older version
/// (or a damaged file) never stop the app from starting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent switches the user sets one by one"
)]
pub struct Settings {
    /// Cue volume, 0 to 1.
    pub volume: f32,
    /// All sound off (the M key).
    pub muted: bool,
    /// Spoken announcements.
    pub voice: bool,
    /// Beeps and pips.
    pub beeps: bool,
    /// The "get ready" before the first step and after each resume, in seconds.
    pub lead_in_secs: u32,
    /// Light or dark.
    pub theme: Theme,
    /// Text size, 0.8 to 1.6.
    pub text_scale: f32,
    /// More folders to find routines in.
    pub extra_folders: Vec<PathBuf>,
    /// Whether the disclaimer was acknowledged once.
    pub disclaimer_seen: bool,
    /// The weekly goal: days a week with a routine ("warm up before every run"), 1 to 7.
    pub weekly_goal_days: u32,
    /// Desk-break reminders while the app runs (off unless the athlete turns them on).
    pub desk_break_reminders: bool,
    /// Minutes at the desk between reminders, 15 to 240.
    pub desk_break_interval_mins: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            volume: 0.8,
            muted: false,
            voice: true,
            beeps: true,
            lead_in_secs: 3,
            theme: Theme::System,
            text_scale: 1.0,
            extra_folders: Vec::new(),
            disclaimer_seen: false,
            weekly_goal_days: 3,
            desk_break_reminders: false,
            desk_break_interval_mins: crate::reminder::DEFAULT_INTERVAL_MINS,
        }
    }
}

impl Settings {
    /// The settings with every value brought into its range.
    #[must_use]
    pub fn sanitised(mut self) -> Self {
        self.volume = if self.volume.is_finite() {
            self.volume.clamp(0.0, 1.0)
        } else {
            0.8
        };
        self.text_scale = if self.text_scale.is_finite() {
            self.text_scale.clamp(0.8, 1.6)
        } else {
            1.0
        };
        self.lead_in_secs = self.lead_in_secs.min(30);
        self.weekly_goal_days = self.weekly_goal_days.clamp(1, 7);
        self.desk_break_interval_mins = self.desk_break_interval_mins.clamp(15, 240);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_or_partial_settings_fill_in_defaults() {
        let settings: Settings = ron::from_str("(volume: 0.5)").unwrap();
        assert!(
            (settings.volume - 0.5).abs() < f32::EPSILON,
            "the stored volume"
        );
        assert!(settings.voice, "missing fields take their defaults");
        let wild = Settings {
            volume: f32::NAN,
            text_scale: 9.0,
            lead_in_secs: 999,
            weekly_goal_days: 0,
            desk_break_interval_mins: 1,
            ..Settings::default()
        }
        .sanitised();
        assert_eq!(
            (wild.volume, wild.text_scale, wild.lead_in_secs),
            (0.8, 1.6, 30)
        );
        assert_eq!(
            (wild.weekly_goal_days, wild.desk_break_interval_mins),
            (1, 15)
        );
        assert!(
            !Settings::default().desk_break_reminders,
            "reminders are off until asked for"
        );
    }
}
