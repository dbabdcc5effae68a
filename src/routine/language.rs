//! The language a routine is written in: its built-in phrases and the voice that says them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A language the built-in phrases exist in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    /// English (the default).
    #[default]
    English,
    /// German.
    German,
    /// French.
    French,
    /// Spanish.
    Spanish,
    /// Dutch.
    Dutch,
}

impl Language {
    /// Every language, in the order settings list them.
    pub const ALL: [Self; 5] = [
        Self::English,
        Self::German,
        Self::French,
        Self::Spanish,
        Self::Dutch,
    ];

    /// The code a routine writes (`language: "de"`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::German => "de",
            Self::French => "fr",
            Self::Spanish => "es",
            Self::Dutch => "nl",
        }
    }

    /// The language of a code: `de`, `DE`, `de-AT` and `de_CH` are German.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// Its name in itself, for the settings screen.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::English => "English",
            Self::German => "Deutsch",
            Self::French => "Français",
            Self::Spanish => "Español",
            Self::Dutch => "Nederlands",
        }
    }

    /// The espeak-ng voice that speaks it.
    #[must_use]
    pub fn espeak_voice(self) -> &'static str {
        match self {
            Self::English => "en-us",
            Self::German => "de",
            Self::French => "fr-fr",
            Self::Spanish => "es",
            Self::Dutch => "nl",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
