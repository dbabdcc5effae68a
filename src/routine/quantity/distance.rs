//! Distances as coaches write them: `"44 yd"`, `"80-100 m"`, `"1.5 km"`, `"1 mi"`, kept in
//! the unit written.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{split_range, with_hint};

/// The longest distance one step may name, in metres: anything longer is a typo.
pub const MAX_DISTANCE_METRES: f64 = 10_000.0;

/// The unit a distance is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistanceUnit {
    /// `m`.
    Metres,
    /// `yd`.
    Yards,
    /// `km`.
    Kilometres,
    /// `mi`.
    Miles,
}

impl DistanceUnit {
    /// The unit written after a number: `m`, `metres`, `yd`, `yards`, `km`, `mi`, `miles`.
    fn from_word(word: &str) -> Option<Self> {
        let word = word.to_ascii_lowercase();
        Some(match word.as_str() {
            "m" | "metre" | "metres" | "meter" | "meters" => Self::Metres,
            "yd" | "yds" | "yard" | "yards" => Self::Yards,
            "km" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => Self::Kilometres,
            "mi" | "mile" | "miles" => Self::Miles,
            _ => return None,
        })
    }

    /// How many metres one of the unit is.
    #[must_use]
    pub fn metres(self) -> f64 {
        match self {
            Self::Metres => 1.0,
            Self::Yards => 0.9144,
            Self::Kilometres => 1000.0,
            Self::Miles => 1609.344,
        }
    }

    /// `m`, `yd`, `km`, `mi`.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Metres => "m",
            Self::Yards => "yd",
            Self::Kilometres => "km",
            Self::Miles => "mi",
        }
    }
}

/// A distance written by a coach (`"44 yd"`), possibly as a range (`"80-100 m"`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Distance {
    /// The lower end, in `unit`; the same as `high` for one value.
    pub low: f64,
    /// The upper end, in `unit`.
    pub high: f64,
    /// The unit it was written in.
    pub unit: DistanceUnit,
}

impl Distance {
    /// Parses `44 yd`, `80 m`, `1.5 km`, `1 mi`, `80-100 m`, `30 m-40 m`.
    ///
    /// # Errors
    /// A message for the author saying what was expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.starts_with('-') {
            return Err(format!("a distance cannot be negative (found `{trimmed}`)"));
        }
        let (low_text, high_text) = split_range(trimmed).unwrap_or((trimmed, trimmed));
        let (high, unit) = number_and_unit(high_text, trimmed)?;
        let Some(unit) = unit else {
            return Err(with_hint(
                &format!("`{trimmed}` has no unit of distance"),
                &format!("write `{trimmed} m`, `{trimmed} yd`, `{trimmed} km` or `{trimmed} mi`"),
            ));
        };
        let (low, low_unit) = number_and_unit(low_text, trimmed)?;
        if low_unit.is_some_and(|u| u != unit) {
            return Err(with_hint(
                &format!("the range `{trimmed}` mixes units"),
                &format!(
                    "write both ends in {}, with the unit once: `…-… {}`",
                    unit.symbol(),
                    unit.symbol()
                ),
            ));
        }
        if low > high {
            return Err(format!(
                "the range `{trimmed}` runs backwards: write the smaller value first"
            ));
        }
        if high <= 0.0 {
            return Err(format!(
                "a distance must be more than zero (found `{trimmed}`)"
            ));
        }
        if high * unit.metres() > MAX_DISTANCE_METRES {
            return Err(format!(
                "`{trimmed}` is longer than the 10 km limit for one step's distance"
            ));
        }
        Ok(Self { low, high, unit })
    }

    /// Both ends in metres.
    #[must_use]
    pub fn metres(&self) -> (f64, f64) {
        (
            self.low * self.unit.metres(),
            self.high * self.unit.metres(),
        )
    }

    /// Whether it is a range (`80-100 m`) rather than one value.
    #[must_use]
    pub fn is_range(&self) -> bool {
        self.low < self.high
    }
}

impl fmt::Display for Distance {
    /// As written, with the unit's symbol: `44 yd`, `80-100 m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_range() {
            write!(f, "{}-{} {}", self.low, self.high, self.unit.symbol())
        } else {
            write!(f, "{} {}", self.high, self.unit.symbol())
        }
    }
}

/// `"44 yd"` → (44, yards); `"80"` → (80, none). `whole` is the text written, for messages.
fn number_and_unit(text: &str, whole: &str) -> Result<(f64, Option<DistanceUnit>), String> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err(format!("a distance cannot be negative (found `{whole}`)"));
    }
    let number_len = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number: f64 = text[..number_len]
        .parse()
        .map_err(|_| bad_distance(whole))?;
    let word = text[number_len..].trim();
    if word.is_empty() {
        return Ok((number, None));
    }
    match DistanceUnit::from_word(word) {
        Some(unit) => Ok((number, Some(unit))),
        None if word.chars().all(|c| c.is_ascii_alphabetic()) => Err(with_hint(
            &format!("`{word}` is not a unit of distance"),
            "write m, yd, km or mi: `44 yd`, `80-100 m`",
        )),
        None => Err(bad_distance(whole)),
    }
}

fn bad_distance(text: &str) -> String {
    format!("`{text}` is not a distance: write `44 yd`, `80 m`, `1.5 km` or a range `80-100 m`")
}

impl<'de> Deserialize<'de> for Distance {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DistanceVisitor;
        impl Visitor<'_> for DistanceVisitor {
            type Value = Distance;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a distance: text such as \"44 yd\" or \"80-100 m\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Distance, E> {
                Distance::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Distance, E> {
                Distance::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Distance, E> {
                Distance::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Distance, E> {
                Distance::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(DistanceVisitor)
    }
}

impl Serialize for Distance {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::diagnostic::split_value_error as split_hint;

    fn distance(text: &str) -> Distance {
        Distance::parse(text).unwrap()
    }

    fn error(text: &str) -> String {
        Distance::parse(text).unwrap_err()
    }

    #[test]
    fn distances_in_the_forms_coaches_write() {
        let yards = distance("44 yd");
        assert_eq!((yards.low, yards.high), (44.0, 44.0), "one value");
        assert_eq!(yards.unit, DistanceUnit::Yards, "yards");
        assert_eq!(distance("44 yards"), yards, "the unit as a word");
        assert_eq!(distance("1.5 km").unit, DistanceUnit::Kilometres, "km");
        assert_eq!(distance("1 mi").unit, DistanceUnit::Miles, "miles");
        assert_eq!(distance("80m"), distance("80 m"), "no space");
        let range = distance("80-100 m");
        assert_eq!((range.low, range.high), (80.0, 100.0), "a range");
        assert_eq!(
            distance("30 m-40 m"),
            distance("30-40 m"),
            "a unit on both ends"
        );
        assert_eq!(distance("80–100 m"), range, "an en dash");
    }

    #[test]
    fn distances_show_as_written_and_convert_to_metres() {
        for text in ["44 yd", "80-100 m", "1.5 km", "1 mi", "30-40 m"] {
            assert_eq!(distance(text).to_string(), text, "display of {text}");
        }
        let (low, high) = distance("40-50 yd").metres();
        assert!(
            (low - 36.576).abs() < 1e-9 && (high - 45.72).abs() < 1e-9,
            "in metres"
        );
    }

    #[test]
    fn bad_distances_say_what_is_wrong() {
        assert_eq!(
            split_hint(&error("44 ft")),
            (
                "`ft` is not a unit of distance",
                Some("write m, yd, km or mi: `44 yd`, `80-100 m`")
            ),
            "an unknown unit"
        );
        assert_eq!(
            split_hint(&error("44")),
            (
                "`44` has no unit of distance",
                Some("write `44 m`, `44 yd`, `44 km` or `44 mi`")
            ),
            "no unit"
        );
        assert_eq!(
            error("-5 m"),
            "a distance cannot be negative (found `-5 m`)",
            "negative"
        );
        assert_eq!(
            error("12 km"),
            "`12 km` is longer than the 10 km limit for one step's distance",
            "absurd"
        );
        assert!(
            error("7 mi").contains("10 km limit"),
            "7 miles is over 10 km"
        );
        assert!(error("0 m").contains("more than zero"), "zero");
        assert!(error("100-80 m").contains("backwards"), "backwards");
        assert!(error("100 m-1 km").contains("mixes units"), "mixed units");
        assert!(error("far").contains("is not a distance"), "words");
        assert!(
            error("1.2.3 m").contains("is not a distance"),
            "a bad number"
        );
    }
}
