//! The user's settings and their file, `settings.ron` in the configuration folder. The
//! file is replaced whole on each save (a crash leaves the old or the new one); a file that
//! cannot be read is kept aside and the app starts with the defaults, saying so.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::routine::{MAX_LEVELS, Selection};
use crate::timeline::speech::{
    Calls, DEFAULT_WORDS_PER_MINUTE, DoneSteps, Language, PlanOptions, Voice, WORDS_PER_MINUTE,
    is_variant_name,
};

/// A settings file larger than this is damaged, not read.
const MAX_FILE_BYTES: u64 = 1 << 20;

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
///
/// Each value's range is one of the constants below, used by [`Settings::sanitised`] and by
/// the settings screen's sliders alike, so opening the screen never changes a value.
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
    /// The language of the spoken announcements for routines that name none (a routine's
    /// own `language` wins).
    pub language: Language,
    /// How fast the voice speaks, in words a minute, within [`VOICE_SPEED_WPM`].
    pub voice_speed_wpm: u32,
    /// An espeak-ng voice variant (`m3`, `f2`, `klatt`), or `None` for the language's
    /// standard voice.
    pub voice_variant: Option<String>,
    /// "Halfway." in longer timed steps.
    pub halfway_call: bool,
    /// "10 seconds left." in longer timed steps.
    pub ten_seconds_left_call: bool,
    /// Beeps and pips.
    pub beeps: bool,
    /// The "get ready" before the first step and after each resume, in seconds.
    pub lead_in_secs: u32,
    /// Light or dark.
    pub theme: Theme,
    /// Text size, 0.8 to 1.6.
    pub text_scale: f32,
    /// Whether a step's picture with several frames cycles through them; off, the first
    /// frame stands still (and the window repaints only for the countdown).
    pub animations: bool,
    /// Whether Done steps (a jog, strides) move on by themselves after their suggested
    /// time: never, where the routine says so (its `auto_advance`), or always.
    pub done_steps: DoneSteps,
    /// How long after its suggested time a Done step moves on when the routine gives no
    /// margin of its own, in seconds, within [`DONE_MARGIN_SECS`].
    pub done_margin_secs: u32,
    /// Whether Enter on a timed step skips it, as Next does (off: Enter only ends Done steps,
    /// so a stray press cannot cut a stretch short).
    pub enter_skips_timed: bool,
    /// A full-window flash at each new step and at the finish, for places too noisy to hear
    /// the cues (off unless the athlete turns it on).
    pub transition_flash: bool,
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
    /// The levels and variant chosen for each routine, by routine id (routines played as
    /// written are not listed).
    pub routine_choices: BTreeMap<String, Selection>,
}

/// The range of [`Settings::volume`].
pub const VOLUME: RangeInclusive<f32> = 0.0..=1.0;

/// The range of [`Settings::text_scale`].
pub const TEXT_SCALE: RangeInclusive<f32> = 0.8..=1.6;

/// The range of [`Settings::lead_in_secs`]: up to half a minute to walk from the laptop to
/// the mat.
pub const LEAD_IN_SECS: RangeInclusive<u32> = 0..=30;

/// The range of [`Settings::done_margin_secs`]: up to 10 minutes past the suggested time.
pub const DONE_MARGIN_SECS: RangeInclusive<u32> = 0..=600;

/// The range of [`Settings::voice_speed_wpm`]: espeak-ng's speeds that stay clear.
pub const VOICE_SPEED_WPM: RangeInclusive<u32> = WORDS_PER_MINUTE;

/// The range of [`Settings::weekly_goal_days`].
pub const WEEKLY_GOAL_DAYS: RangeInclusive<u32> = 1..=7;

/// The range of a level in [`Settings::routine_choices`].
#[expect(
    clippy::cast_possible_truncation,
    reason = "MAX_LEVELS is a small constant"
)]
pub const CHOICE_LEVEL: RangeInclusive<u32> = 1..=(MAX_LEVELS as u32);

/// The most routines [`Settings::routine_choices`] remembers.
pub const MAX_ROUTINE_CHOICES: usize = 1_000;

/// The most steps a remembered choice lists.
const MAX_CHOICE_STEPS: usize = 10_000;

/// The longest routine id or variant name a remembered choice keeps.
const MAX_CHOICE_TEXT: usize = 500;

/// The range of [`Settings::desk_break_interval_mins`].
pub const DESK_BREAK_INTERVAL_MINS: RangeInclusive<u32> = 15..=240;

/// `value` brought into `range`.
fn within<T: PartialOrd + Copy>(value: T, range: &RangeInclusive<T>) -> T {
    if value < *range.start() {
        *range.start()
    } else if value > *range.end() {
        *range.end()
    } else {
        value
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            volume: 0.8,
            muted: false,
            voice: true,
            language: Language::English,
            voice_speed_wpm: DEFAULT_WORDS_PER_MINUTE,
            voice_variant: None,
            halfway_call: true,
            ten_seconds_left_call: false,
            beeps: true,
            lead_in_secs: 3,
            theme: Theme::System,
            text_scale: 1.0,
            animations: true,
            done_steps: DoneSteps::default(),
            done_margin_secs: 30,
            enter_skips_timed: false,
            transition_flash: false,
            extra_folders: Vec::new(),
            disclaimer_seen: false,
            weekly_goal_days: 3,
            desk_break_reminders: false,
            desk_break_interval_mins: crate::reminder::DEFAULT_INTERVAL_MINS,
            routine_choices: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// The settings with every value brought into its range.
    #[must_use]
    pub fn sanitised(mut self) -> Self {
        let defaults = Self::default();
        self.volume = if self.volume.is_finite() {
            within(self.volume, &VOLUME)
        } else {
            defaults.volume
        };
        self.text_scale = if self.text_scale.is_finite() {
            within(self.text_scale, &TEXT_SCALE)
        } else {
            defaults.text_scale
        };
        self.lead_in_secs = within(self.lead_in_secs, &LEAD_IN_SECS);
        self.done_margin_secs = within(self.done_margin_secs, &DONE_MARGIN_SECS);
        self.voice_speed_wpm = within(self.voice_speed_wpm, &VOICE_SPEED_WPM);
        // Given to espeak-ng after `+`: never anything it could read as a path or an option.
        self.voice_variant = self.voice_variant.filter(|v| is_variant_name(v));
        self.weekly_goal_days = within(self.weekly_goal_days, &WEEKLY_GOAL_DAYS);
        self.desk_break_interval_mins =
            within(self.desk_break_interval_mins, &DESK_BREAK_INTERVAL_MINS);
        // A file edited by hand cannot make the choices large or the levels absurd.
        self.routine_choices.retain(|id, choice| {
            id.len() <= MAX_CHOICE_TEXT
                && choice.levels.len() <= MAX_CHOICE_STEPS
                && choice
                    .variant
                    .as_ref()
                    .is_none_or(|v| v.len() <= MAX_CHOICE_TEXT)
        });
        while self.routine_choices.len() > MAX_ROUTINE_CHOICES {
            self.routine_choices.pop_last();
        }
        for choice in self.routine_choices.values_mut() {
            for level in &mut choice.levels {
                *level = within(*level, &CHOICE_LEVEL);
            }
        }
        self
    }

    /// The voice the settings ask for: language, speed and variant.
    #[must_use]
    pub fn voice(&self) -> Voice {
        Voice {
            language: self.language,
            words_per_minute: within(self.voice_speed_wpm, &VOICE_SPEED_WPM),
            variant: self.voice_variant.clone().filter(|v| is_variant_name(v)),
        }
    }

    /// The lead-in before a session's first step (unless the routine sets its own).
    #[must_use]
    pub fn lead_in(&self) -> Duration {
        Duration::from_secs(u64::from(self.lead_in_secs))
    }

    /// What every routine is planned with in the app: the lead-in, the voice when spoken
    /// announcements are on (`None` otherwise, so no time is made for words), and the calls.
    #[must_use]
    pub fn plan_options(&self) -> PlanOptions {
        PlanOptions {
            lead_in: self.lead_in(),
            language: self.language,
            voice: self.voice.then(|| self.voice()),
            calls: Calls {
                halfway: self.halfway_call,
                time_left: self.ten_seconds_left_call,
            },
            done_steps: self.done_steps,
            done_margin: Duration::from_secs(u64::from(within(
                self.done_margin_secs,
                &DONE_MARGIN_SECS,
            ))),
        }
    }
}

/// The settings read from their file, and what to tell the athlete about it.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The settings, in range; the defaults when the file is missing or damaged.
    pub settings: Settings,
    /// Set when the file could not be used.
    pub notice: Option<Notice>,
}

/// Why the settings file was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// It could not be parsed, so it was renamed and the defaults are in use.
    MovedAside {
        /// Where the damaged file is now.
        damaged: PathBuf,
        /// What was wrong, with its line and column.
        reason: String,
    },
    /// It could not be read or moved (permissions); it is left as it is.
    Unreadable {
        /// The settings file.
        path: PathBuf,
        /// The system's error.
        reason: String,
    },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MovedAside { damaged, reason } => write!(
                f,
                "Your settings could not be read ({reason}), so Limber Up started with the \
                 defaults. The damaged file was kept as {}",
                damaged.display()
            ),
            Self::Unreadable { path, reason } => write!(
                f,
                "Your settings could not be read ({reason}), so Limber Up started with the \
                 defaults: {}",
                path.display()
            ),
        }
    }
}

/// Reads the settings file. A missing file gives the defaults; a damaged one (not RON, a
/// wrong value, not UTF-8, over 1 MiB) is moved aside by [`crate::safe_file::move_aside`]
/// and gives the defaults with a notice, so the next save cannot overwrite it. Scratch files
/// of saves cut short by a crash are cleared from its folder.
#[must_use]
pub fn load(path: &Path) -> Loaded {
    let defaults = |notice| Loaded {
        settings: Settings::default(),
        notice: Some(notice),
    };
    let unreadable = |error: std::io::Error| Notice::Unreadable {
        path: path.to_path_buf(),
        reason: error.to_string(),
    };
    if let Some(folder) = path.parent() {
        crate::safe_file::clear_stale_scratch(folder);
    }
    let mut bytes = Vec::new();
    match crate::safe_file::open_regular(path)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
    {
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Loaded::default(),
        Err(error) => return defaults(unreadable(error)),
    }
    let parsed =
        if bytes.len() as u64 > MAX_FILE_BYTES {
            Err("the file is larger than 1 MiB".to_owned())
        } else {
            match std::str::from_utf8(&bytes) {
                Err(error) => Err(format!("not UTF-8 text: {error}")),
                Ok(text) => crate::routine::loader::parse_ron::<Settings>(text, path).map_err(
                    |diagnostic| match diagnostic.span {
                        Some(span) => format!(
                            "line {}, column {}: {}",
                            span.start.line, span.start.col, diagnostic.message
                        ),
                        None => diagnostic.message,
                    },
                ),
            }
        };
    match parsed {
        Ok(settings) => Loaded {
            settings: settings.sanitised(),
            notice: None,
        },
        Err(reason) => match crate::safe_file::move_aside(path, &[]) {
            Ok(damaged) => {
                log::warn!("moved damaged settings aside: {}", damaged.display());
                defaults(Notice::MovedAside { damaged, reason })
            }
            Err(error) => defaults(unreadable(error)),
        },
    }
}

/// Writes the settings to `path`, replacing the whole file at once.
///
/// # Errors
/// When the folder or file cannot be written.
pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    let text = ron::ser::to_string_pretty(settings, ron::ser::PrettyConfig::default())
        .map_err(std::io::Error::other)?;
    crate::safe_file::write_atomic(path, format!("{text}\n").as_bytes())
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

    /// A settings file as the version before the voice settings wrote it.
    const FILE_BEFORE_VOICE_SETTINGS: &str = r"(
    volume: 0.6,
    muted: false,
    voice: true,
    beeps: true,
    lead_in_secs: 5,
    theme: Dark,
    text_scale: 1.2,
    extra_folders: [],
    disclaimer_seen: true,
    weekly_goal_days: 4,
    desk_break_reminders: false,
    desk_break_interval_mins: 60,
    routine_choices: {},
)
";

    #[test]
    fn a_file_from_before_the_voice_settings_loads_with_their_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::places::SETTINGS_FILE_NAME);
        std::fs::write(&path, FILE_BEFORE_VOICE_SETTINGS).unwrap();
        let loaded = load(&path);
        assert_eq!(loaded.notice, None, "read, not moved aside");
        let settings = loaded.settings;
        assert_eq!(
            (
                settings.lead_in_secs,
                settings.theme,
                settings.weekly_goal_days
            ),
            (5, Theme::Dark, 4),
            "its own values kept"
        );
        assert_eq!(settings.language, Language::English);
        assert_eq!(settings.voice_speed_wpm, DEFAULT_WORDS_PER_MINUTE);
        assert_eq!(settings.voice_variant, None);
        assert!(settings.halfway_call, "halfway is called unless turned off");
        assert!(settings.animations, "pictures animate unless turned off");
        assert!(!settings.ten_seconds_left_call, "off until asked for");
        assert_eq!(settings.voice(), Voice::default(), "the voice as before");
    }

    #[test]
    fn voice_settings_are_saved_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::places::SETTINGS_FILE_NAME);
        let settings = Settings {
            language: Language::German,
            voice_speed_wpm: 190,
            voice_variant: Some("m3".to_owned()),
            halfway_call: false,
            ten_seconds_left_call: true,
            ..Settings::default()
        };
        save(&path, &settings).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("language: German"), "{text}");
        assert!(text.contains("voice_variant: Some(\"m3\")"), "{text}");
        let loaded = load(&path);
        assert_eq!(loaded.notice, None);
        assert_eq!(loaded.settings, settings);
    }

    #[test]
    fn the_transition_flash_is_off_until_turned_on_and_is_saved() {
        assert!(!Settings::default().transition_flash, "off by default");
        let older: Settings = ron::from_str(FILE_BEFORE_VOICE_SETTINGS).unwrap();
        assert!(!older.transition_flash, "a file from before it: off");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::places::SETTINGS_FILE_NAME);
        let settings = Settings {
            transition_flash: true,
            ..Settings::default()
        };
        save(&path, &settings).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("transition_flash: true"), "{text}");
        assert!(load(&path).settings.transition_flash, "read back on");
    }

    #[test]
    fn animations_turned_off_are_saved_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::places::SETTINGS_FILE_NAME);
        let settings = Settings {
            animations: false,
            ..Settings::default()
        };
        save(&path, &settings).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("animations: false"), "{text}");
        assert!(!load(&path).settings.animations, "read back off");
    }

    #[test]
    fn voice_speed_and_variant_are_brought_into_range() {
        let fast = Settings {
            voice_speed_wpm: 999,
            ..Settings::default()
        }
        .sanitised();
        assert_eq!(fast.voice_speed_wpm, *VOICE_SPEED_WPM.end());
        let slow = Settings {
            voice_speed_wpm: 0,
            ..Settings::default()
        }
        .sanitised();
        assert_eq!(slow.voice_speed_wpm, *VOICE_SPEED_WPM.start());
        for refused in ["../../etc/passwd", "f/2", "-v", "m-3", "", "with space"] {
            let settings = Settings {
                voice_variant: Some(refused.to_owned()),
                ..Settings::default()
            };
            assert_eq!(
                settings.voice().variant,
                None,
                "{refused:?} never reaches espeak-ng"
            );
            assert_eq!(settings.sanitised().voice_variant, None, "{refused:?}");
        }
        let kept = Settings {
            voice_variant: Some("klatt2".to_owned()),
            ..Settings::default()
        }
        .sanitised();
        assert_eq!(kept.voice_variant.as_deref(), Some("klatt2"));
        // A hand-edited file with a wild speed loads in range.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::places::SETTINGS_FILE_NAME);
        std::fs::write(
            &path,
            "(voice_speed_wpm: 5000, voice_variant: Some(\"f/../2\"), language: Dutch)",
        )
        .unwrap();
        let loaded = load(&path).settings;
        assert_eq!(
            (
                loaded.voice_speed_wpm,
                loaded.voice_variant,
                loaded.language
            ),
            (220, None, Language::Dutch)
        );
    }

    #[test]
    fn plan_options_follow_the_voice_and_call_settings() {
        let settings = Settings {
            lead_in_secs: 7,
            language: Language::French,
            voice_speed_wpm: 140,
            voice_variant: Some("f2".to_owned()),
            halfway_call: false,
            ten_seconds_left_call: true,
            ..Settings::default()
        };
        let options = settings.plan_options();
        assert_eq!(options.lead_in, Duration::from_secs(7));
        assert_eq!(
            options.voice,
            Some(Voice {
                language: Language::French,
                words_per_minute: 140,
                variant: Some("f2".to_owned()),
            })
        );
        assert_eq!(
            options.calls,
            Calls {
                halfway: false,
                time_left: true,
            }
        );
        let silent = Settings {
            voice: false,
            ..settings
        }
        .plan_options();
        assert_eq!(silent.voice, None, "nothing spoken, no time made for words");
        assert!(silent.calls.time_left, "the calls still follow");
        assert_eq!(
            Settings::default().plan_options(),
            PlanOptions::spoken(Duration::from_secs(3)),
            "the defaults plan as the spoken default"
        );
    }

    #[test]
    fn saved_settings_read_back_and_a_missing_file_gives_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir
            .path()
            .join("config")
            .join(crate::places::SETTINGS_FILE_NAME);
        let missing = load(&path);
        assert_eq!(missing.settings, Settings::default());
        assert_eq!(missing.notice, None);
        let settings = Settings {
            volume: 0.25,
            theme: Theme::Dark,
            extra_folders: vec![PathBuf::from("/srv/routines with spaces")],
            weekly_goal_days: 5,
            ..Settings::default()
        };
        save(&path, &settings).unwrap();
        let loaded = load(&path);
        assert_eq!(loaded.settings, settings);
        assert_eq!(loaded.notice, None);
    }

    #[test]
    fn a_settings_file_saved_by_notepad_with_a_byte_order_mark_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::places::SETTINGS_FILE_NAME);
        std::fs::write(&path, "\u{FEFF}(volume: 0.5)\n").unwrap();
        let loaded = load(&path);
        assert_eq!(loaded.notice, None, "not moved aside");
        assert!(
            (loaded.settings.volume - 0.5).abs() < f32::EPSILON,
            "read: {:?}",
            loaded.settings
        );
    }

    #[test]
    fn a_damaged_file_is_moved_aside_with_its_place_and_the_defaults_are_used() {
        let cases: [(&[u8], &str); 5] = [
            (
                b"(volume: 0.5,\n theme: Purple)",
                "line 2, column 9: `Purple` is not one of System, Dark, Light",
            ),
            (b"(volume: \"loud\")", "line 1, column 10: expected float"),
            (b"", "line 1, column 1: expected opening `(`"),
            (b"(volume: 0.5, voice: tr\xff\xfeue)", "not UTF-8 text"),
            (b"(volume: 0.5", "line 1, column 13: expected a comma"),
        ];
        for (bytes, reason_start) in cases {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(crate::places::SETTINGS_FILE_NAME);
            std::fs::write(&path, bytes).unwrap();
            let loaded = load(&path);
            assert_eq!(loaded.settings, Settings::default());
            let Some(Notice::MovedAside { damaged, reason }) = loaded.notice else {
                panic!("{bytes:?} gave {:?}", loaded.notice);
            };
            assert!(reason.starts_with(reason_start), "{bytes:?}: {reason}");
            assert!(!path.exists(), "the next save cannot overwrite it");
            assert_eq!(std::fs::read(&damaged).unwrap(), bytes, "kept as it was");
        }
    }

    #[test]
    fn an_oversized_file_is_damaged_without_being_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::places::SETTINGS_FILE_NAME);
        let padding = " ".repeat(2 << 20);
        std::fs::write(&path, format!("(volume: 0.5{padding})")).unwrap();
        let notice = load(&path).notice.unwrap().to_string();
        assert!(
            notice.starts_with(
                "Your settings could not be read (the file is larger than 1 MiB), so Limber Up \
                 started with the defaults. The damaged file was kept as "
            ),
            "{notice}"
        );
    }
}
