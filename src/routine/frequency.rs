//! How often a routine is meant to be done, as a coach writes it: `"2 times a week"`,
//! `"2-3 x a week"`, `"twice a week"`, `"daily"`. The history screen counts each week's
//! sessions of the routine against it.

use std::fmt;

use serde::Serialize;

/// The most sessions a week a routine may ask for (three a day).
const MAX_PER_WEEK: u32 = 21;

/// A routine's intended frequency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Frequency {
    /// Sessions a week that meet it: the low end of a range ("2-3 x a week" is met by 2).
    pub per_week: u32,
    /// At most this many a week, for a range; the same as `per_week` otherwise.
    pub up_to: u32,
    /// As the coach wrote it, trimmed.
    pub text: String,
}

impl Frequency {
    /// Parses `N times a week`, `N x a week`, `Nx per week`, `N/week`, `N-M times a week`,
    /// `once a week`, `twice a week`, `daily`, `every day`.
    ///
    /// # Errors
    /// A message for the author saying what was expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let lower = trimmed.to_lowercase();
        let (low, high) = match lower.as_str() {
            "daily" | "every day" | "each day" => (7, 7),
            _ => {
                let body = ["a week", "per week", "each week", "/week", "/ week", "a wk"]
                    .iter()
                    .find_map(|end| lower.strip_suffix(end))
                    .ok_or_else(|| bad(trimmed))?
                    .trim();
                let count = ["times", "time", "x", "×"]
                    .iter()
                    .find_map(|unit| body.strip_suffix(unit))
                    .unwrap_or(body)
                    .trim();
                match count {
                    "once" | "one" => (1, 1),
                    "twice" | "two" => (2, 2),
                    "three" => (3, 3),
                    _ => parse_count(count).ok_or_else(|| bad(trimmed))?,
                }
            }
        };
        if low == 0 {
            return Err(format!(
                "`{trimmed}` asks for no sessions: write at least `once a week`"
            ));
        }
        if low > high {
            return Err(format!(
                "the range in `{trimmed}` runs backwards: write the smaller number first"
            ));
        }
        if high > MAX_PER_WEEK {
            return Err(format!(
                "`{trimmed}` is more than {MAX_PER_WEEK} sessions a week (three a day)"
            ));
        }
        Ok(Self {
            per_week: low,
            up_to: high,
            text: trimmed.to_owned(),
        })
    }

    /// Whether `sessions` in a week meet it.
    #[must_use]
    pub fn is_met_by(&self, sessions: usize) -> bool {
        sessions >= self.per_week as usize
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `2` or `2-3`.
fn parse_count(text: &str) -> Option<(u32, u32)> {
    match text.split_once(['-', '–']) {
        Some((low, high)) => Some((low.trim().parse().ok()?, high.trim().parse().ok()?)),
        None => {
            let value = text.parse().ok()?;
            Some((value, value))
        }
    }
}

fn bad(text: &str) -> String {
    format!("`{text}` is not a frequency: write `2 times a week`, `2-3 x a week` or `daily`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_week(text: &str) -> (u32, u32) {
        let f = Frequency::parse(text).unwrap();
        (f.per_week, f.up_to)
    }

    #[test]
    fn the_ways_coaches_write_it() {
        assert_eq!(per_week("2 times a week"), (2, 2));
        assert_eq!(per_week("2-3 x a week"), (2, 3));
        assert_eq!(per_week("3x per week"), (3, 3));
        assert_eq!(per_week(" Twice a week "), (2, 2));
        assert_eq!(per_week("once a week"), (1, 1));
        assert_eq!(per_week("4/week"), (4, 4));
        assert_eq!(per_week("daily"), (7, 7));
        assert_eq!(
            Frequency::parse(" 2-3 x a week").unwrap().text,
            "2-3 x a week"
        );
    }

    #[test]
    fn what_is_refused_says_why() {
        assert_eq!(
            Frequency::parse("often").unwrap_err(),
            "`often` is not a frequency: write `2 times a week`, `2-3 x a week` or `daily`"
        );
        assert!(
            Frequency::parse("0 times a week")
                .unwrap_err()
                .contains("no sessions")
        );
        assert!(
            Frequency::parse("3-2 x a week")
                .unwrap_err()
                .contains("backwards")
        );
        assert!(
            Frequency::parse("30 times a week")
                .unwrap_err()
                .contains("three a day")
        );
        assert!(Frequency::parse("2 times a month").is_err());
    }

    #[test]
    fn a_range_is_met_by_its_low_end() {
        let f = Frequency::parse("2-3 x a week").unwrap();
        assert!(!f.is_met_by(1));
        assert!(f.is_met_by(2));
    }
}
