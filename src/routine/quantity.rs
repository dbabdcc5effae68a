//! Durations, counts and distances as coaches write them: `30`, `"30 s"`, `"1:45"`,
//! `"2 min"`, `"20-30 s"`, `"5-10 reps"`, `"10 each leg"`, `"8+8"`, `"3 passes"`, `"44 yd"`,
//! with the single value the timer uses and the range as written.

mod distance;

pub use distance::{Distance, DistanceUnit, MAX_DISTANCE_METRES};

use std::fmt;
use std::time::Duration;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::diagnostic::value_error_with_hint as with_hint;

/// The longest duration any single value may have: anything longer is a typo.
pub const MAX_DURATION: Duration = Duration::from_hours(2);

/// The largest count (reps, sets, rounds) a routine may ask for.
pub const MAX_COUNT: u32 = 1000;

/// A duration written by a coach, possibly as a range.
///
/// The timer uses [`Self::timer`]: the upper end of a range unless the author picked a value
/// with `@` (`"20-30 s @ 25"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Secs {
    /// The value the timer counts down.
    pub timer: Duration,
    /// The range as written, when one was given.
    pub range: Option<(Duration, Duration)>,
}

impl Secs {
    /// An exact duration of `secs` seconds.
    #[must_use]
    pub const fn from_secs(secs: u64) -> Self {
        Self {
            timer: Duration::from_secs(secs),
            range: None,
        }
    }

    /// Parses the text forms: `30`, `30 s`, `30s`, `45 sec`, `2 min`, `1 min 30 s`, `1:45`,
    /// `0.8 s`, `20-30 s`, `1-2 min`, `20-30 s @ 25`.
    ///
    /// # Errors
    /// A message for the author saying what was expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (body, pick) = split_pick(text);
        let (low, high) = match split_range(body) {
            Some((low, high)) => {
                // A unit written once applies to both ends: "20-30 s", "1-2 min".
                let low = parse_duration(&with_unit(low, high))?;
                let high = parse_duration(high)?;
                if low > high {
                    return Err(format!(
                        "the range `{}` runs backwards: write the smaller value first",
                        text.trim()
                    ));
                }
                (low, high)
            }
            None => {
                let value = parse_duration(body)?;
                (value, value)
            }
        };
        let timer = match pick {
            Some(pick) => {
                let value = parse_duration(&with_unit(pick, body))?;
                if value < low || value > high {
                    return Err(format!(
                        "the value after `@` ({}) lies outside the range `{}`",
                        format_duration(value),
                        body.trim()
                    ));
                }
                value
            }
            None => high,
        };
        check_duration(timer)?;
        Ok(Self {
            timer,
            range: (low != high).then_some((low, high)),
        })
    }

    /// The range as written, without the picked value: `"20-30 s"`; `None` for one value.
    #[must_use]
    pub fn range_text(&self) -> Option<String> {
        self.range
            .map(|(low, high)| format!("{}-{}", format_number(low), format_duration(high)))
    }

    fn from_float_secs(secs: f64) -> Result<Self, String> {
        if !secs.is_finite() {
            return Err("a duration must be a finite number of seconds".to_owned());
        }
        if secs < 0.0 {
            return Err(format!("a duration cannot be negative (found {secs})"));
        }
        if secs > MAX_DURATION.as_secs_f64() {
            return Err(too_long(secs));
        }
        let timer = round_to_millis(secs);
        Ok(Self { timer, range: None })
    }
}

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.range {
            Some((low, high)) if high == self.timer => {
                write!(f, "{}-{}", format_number(low), format_duration(high))
            }
            Some((low, high)) => write!(
                f,
                "{}-{} @ {}",
                format_number(low),
                format_duration(high),
                format_number(self.timer)
            ),
            None => f.write_str(&format_duration(self.timer)),
        }
    }
}

/// A non-negative, finite number of seconds (already range-checked), to the millisecond.
fn round_to_millis(secs: f64) -> Duration {
    let exact = Duration::try_from_secs_f64(secs).unwrap_or(MAX_DURATION);
    let millis = (exact.as_nanos() + 500_000) / 1_000_000;
    Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX))
}

/// `30 s`, `1:45`, `2 min`, `0.8 s`: how the app and the CLI print a duration.
#[must_use]
pub fn format_duration(duration: Duration) -> String {
    let ms = duration.as_millis();
    if !ms.is_multiple_of(1000) {
        return format!("{} s", duration.as_secs_f64());
    }
    let secs = duration.as_secs();
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m}:{s:02}"),
    }
}

/// Like [`format_duration`] but without the unit, for the low end of a range ("20-30 s").
fn format_number(duration: Duration) -> String {
    let text = format_duration(duration);
    text.trim_end_matches(" s")
        .trim_end_matches(" min")
        .to_owned()
}

fn too_long(secs: f64) -> String {
    format!(
        "{} is longer than the 2 hour limit for one value",
        format_duration(Duration::from_secs_f64(secs.min(1e9)))
    )
}

fn check_duration(duration: Duration) -> Result<(), String> {
    if duration > MAX_DURATION {
        Err(too_long(duration.as_secs_f64()))
    } else {
        Ok(())
    }
}

/// `"20-30 s @ 25"` → (`"20-30 s"`, `Some("25")`).
fn split_pick(text: &str) -> (&str, Option<&str>) {
    match text.split_once('@') {
        Some((body, pick)) => (body, Some(pick)),
        None => (text, None),
    }
}

/// `"20-30 s"` → (`"20"`, `"30 s"`). A leading `-` is a negative number, not a range.
fn split_range(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim();
    let at = trimmed
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '-' || c == '–')
        .map(|(i, _)| i)?;
    let dash_len = trimmed[at..].chars().next().map_or(1, char::len_utf8);
    Some((&trimmed[..at], &trimmed[at + dash_len..]))
}

/// `low` with the unit of `other` when `low` has none: "20" of "20-30 s" is 20 s.
fn with_unit(low: &str, other: &str) -> String {
    let low = low.trim();
    // A value with its own unit, or a clock (`2:30`), needs none from the other end.
    if low.ends_with(|c: char| c.is_ascii_alphabetic()) || low.contains(':') {
        low.to_owned()
    } else {
        format!("{low}{}", unit_suffix(other))
    }
}

/// The unit letters at the end of `text` (`" s"`, `" min"`), with a leading space.
fn unit_suffix(text: &str) -> String {
    let trimmed = text.trim();
    let unit: String = trimmed
        .chars()
        .rev()
        .take_while(char::is_ascii_alphabetic)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    }
}

/// One duration without a range: `30`, `30 s`, `2 min`, `1 min 30 s`, `1:45`, `1:02:03`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("expected a duration such as `30 s`, `1:45` or `2 min`".to_owned());
    }
    if text.contains(':') {
        return parse_clock(text);
    }
    let mut total = 0.0_f64;
    let mut rest = text;
    let mut parts = 0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return Err(bad_duration(text));
        }
        let number: f64 = rest[..number_len].parse().map_err(|_| bad_duration(text))?;
        rest = rest[number_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hour" | "hours" => 3600.0,
            _ => return Err(bad_duration(text)),
        };
        total += number * scale;
        rest = rest[unit_len..].trim_start();
        parts += 1;
        if parts > 3 {
            return Err(bad_duration(text));
        }
    }
    if total > MAX_DURATION.as_secs_f64() {
        return Err(too_long(total));
    }
    Ok(round_to_millis(total))
}

fn parse_clock(text: &str) -> Result<Duration, String> {
    let fields: Vec<&str> = text.split(':').map(str::trim).collect();
    if fields.len() > 3 || fields.iter().any(|f| f.is_empty() || f.len() > 6) {
        return Err(bad_duration(text));
    }
    let mut secs: u64 = 0;
    for (i, field) in fields.iter().enumerate() {
        let value: u64 = field.parse().map_err(|_| bad_duration(text))?;
        if i > 0 && value >= 60 {
            return Err(format!(
                "`{text}`: minutes and seconds after a `:` must be below 60"
            ));
        }
        secs = secs.saturating_mul(60).saturating_add(value);
    }
    let duration = Duration::from_secs(secs);
    check_duration(duration)?;
    Ok(duration)
}

fn bad_duration(text: &str) -> String {
    format!("`{text}` is not a duration: write `30`, `30 s`, `1:45`, `2 min` or a range `20-30 s`")
}

/// What a count counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CountUnit {
    /// Reps (or, in `sets` and `rounds`, sets and rounds).
    #[default]
    Reps,
    /// Passes across the pitch or down the track: `"3 passes"`.
    Passes,
}

/// A count written by a coach: `10`, `"10 reps"`, `"5-10 reps"`, `"5-10 @ 8"`, and for reps
/// also `"10 each leg"`, `"8+8"`, `"5 per side"`, `"3 passes"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    /// The value the timer and counters use (on each side, when `per_side`).
    pub value: u32,
    /// The range as written, when one was given.
    pub range: Option<(u32, u32)>,
    /// Counted on each side: `"10 each leg"`, `"8+8"`, `"5 per side"`.
    pub per_side: bool,
    /// What is counted.
    pub unit: CountUnit,
}

impl Count {
    /// An exact count.
    #[must_use]
    pub const fn exact(value: u32) -> Self {
        Self {
            value,
            range: None,
            per_side: false,
            unit: CountUnit::Reps,
        }
    }

    /// Parses `10`, `10 reps`, `5-10 reps`, `5-10 @ 8`, `10 each side` (also `each leg`,
    /// `each arm`, `per side`, `a side`), `8+8`, `8-10 each side`, `3 passes`.
    ///
    /// # Errors
    /// A message for the author saying what was expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (body, pick) = split_pick(text);
        let (body, each_side) = strip_per_side(body);
        let (body, unit) = strip_count_unit(body);
        let (low, high, per_side) = if let Some((left, right)) = body.split_once('+') {
            // "8+8": the same count on each side, written out for both.
            let (left, right) = (parse_count(left)?, parse_count(right)?);
            if left != right {
                return Err(with_hint(
                    &format!("`{}` is not the same count on each side", text.trim()),
                    &format!(
                        "write `{left}+{left}` or `{left} each side`; for a different count on each side, write two steps, one with `sides: Left` and one with `sides: Right`"
                    ),
                ));
            }
            (left, left, true)
        } else {
            let (low, high) = match split_range(body) {
                Some((low, high)) => (parse_count(low)?, parse_count(high)?),
                None => {
                    let value = parse_count(body)?;
                    (value, value)
                }
            };
            (low, high, each_side)
        };
        if low > high {
            return Err(format!(
                "the range `{}` runs backwards: write the smaller value first",
                text.trim()
            ));
        }
        let value = match pick {
            Some(pick) => {
                let value = parse_count(strip_count_unit(strip_per_side(pick).0).0)?;
                if value < low || value > high {
                    return Err(format!(
                        "the value after `@` ({value}) lies outside the range {low}-{high}"
                    ));
                }
                value
            }
            None => high,
        };
        Ok(Self {
            value,
            range: (low != high).then_some((low, high)),
            per_side,
            unit,
        })
    }

    /// Whether the count is a bare number of reps (or sets, or rounds): not per side, not
    /// passes.
    #[must_use]
    pub fn is_plain(self) -> bool {
        !self.per_side && self.unit == CountUnit::Reps
    }

    /// How many are done in one go: the value, or twice a count per side when one go works
    /// both sides (a step with `sides: Neither`, where the athlete does each side within it).
    #[must_use]
    pub fn in_one_go(self, both_sides: bool) -> u32 {
        if self.per_side && both_sides {
            self.value.saturating_mul(2)
        } else {
            self.value
        }
    }

    /// `"10 reps"`, `"5-10 reps"`, `"10 each side"`, `"3 passes"`: the count with what it
    /// counts, as the player, the routine page and `show` write it.
    #[must_use]
    pub fn label(self) -> String {
        if self.is_plain() {
            let noun = if self.range.is_none() && self.value == 1 {
                "rep"
            } else {
                "reps"
            };
            format!("{self} {noun}")
        } else {
            self.to_string()
        }
    }

    fn from_integer(value: i128) -> Result<Self, String> {
        let value = u32::try_from(value)
            .ok()
            .filter(|&v| v <= MAX_COUNT)
            .ok_or_else(|| format!("{value} is not a count between 0 and {MAX_COUNT}"))?;
        Ok(Self::exact(value))
    }
}

impl fmt::Display for Count {
    /// As written, so that it parses back: `10`, `5-10 @ 8`, `8-10 each side`, `3 passes`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.range {
            Some((low, high)) => write!(f, "{low}-{high}")?,
            None => write!(f, "{}", self.value)?,
        }
        match self.unit {
            CountUnit::Passes if self.range.is_none() && self.value == 1 => f.write_str(" pass")?,
            CountUnit::Passes => f.write_str(" passes")?,
            CountUnit::Reps => {}
        }
        if self.per_side {
            f.write_str(" each side")?;
        }
        match self.range {
            Some((_, high)) if high != self.value => write!(f, " @ {}", self.value),
            _ => Ok(()),
        }
    }
}

/// `"10 each leg"` → (`"10"`, true): the words a coach writes for a count on each side.
fn strip_per_side(text: &str) -> (&str, bool) {
    let trimmed = text.trim();
    let mut words = trimmed.rsplitn(3, char::is_whitespace);
    let (Some(side), Some(each)) = (words.next(), words.next()) else {
        return (trimmed, false);
    };
    let is_side = ["side", "leg", "arm"]
        .iter()
        .any(|w| side.eq_ignore_ascii_case(w));
    let is_each = ["each", "per", "a"]
        .iter()
        .any(|w| each.eq_ignore_ascii_case(w));
    match words.next() {
        Some(rest) if is_side && is_each => (rest.trim(), true),
        _ => (trimmed, false),
    }
}

/// `"10 reps"` → (`"10"`, reps), `"3 passes"` → (`"3"`, passes).
fn strip_count_unit(text: &str) -> (&str, CountUnit) {
    let text = text.trim();
    [
        ("passes", CountUnit::Passes),
        ("pass", CountUnit::Passes),
        ("reps", CountUnit::Reps),
        ("rep", CountUnit::Reps),
        ("times", CountUnit::Reps),
        ("sets", CountUnit::Reps),
        ("set", CountUnit::Reps),
        ("rounds", CountUnit::Reps),
        ("round", CountUnit::Reps),
        ("x", CountUnit::Reps),
    ]
    .iter()
    .find_map(|&(word, unit)| text.strip_suffix(word).map(|rest| (rest.trim(), unit)))
    .unwrap_or((text, CountUnit::Reps))
}

fn parse_count(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let value: u32 = text.parse().map_err(|_| {
        format!("`{text}` is not a count: write a whole number such as `10` or a range `5-10`")
    })?;
    if value > MAX_COUNT {
        return Err(format!("{value} is more than the limit of {MAX_COUNT}"));
    }
    Ok(value)
}

impl<'de> Deserialize<'de> for Secs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SecsVisitor;
        impl Visitor<'_> for SecsVisitor {
            type Value = Secs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration: seconds as a number, or text such as \"30 s\", \"1:45\", \"20-30 s\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Secs, E> {
                if v > MAX_DURATION.as_secs() {
                    return Err(E::custom(too_long(v as f64)));
                }
                Ok(Secs::from_secs(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Secs, E> {
                if v < 0 {
                    return Err(E::custom(format!(
                        "a duration cannot be negative (found {v})"
                    )));
                }
                self.visit_u64(v.unsigned_abs())
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Secs, E> {
                Err(E::custom(too_long(v as f64)))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Secs, E> {
                if v < 0 {
                    return Err(E::custom(format!(
                        "a duration cannot be negative (found {v})"
                    )));
                }
                Err(E::custom(too_long(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Secs, E> {
                Secs::from_float_secs(v).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Secs, E> {
                Secs::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(SecsVisitor)
    }
}

impl Serialize for Secs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl Visitor<'_> for CountVisitor {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a count: a whole number, or text such as \"10 reps\" or \"5-10\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                Count::from_integer(i128::from(v)).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                Count::from_integer(i128::from(v)).map_err(E::custom)
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Count, E> {
                Count::from_integer(i128::try_from(v).unwrap_or(i128::MAX)).map_err(E::custom)
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Count, E> {
                Count::from_integer(v).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                Err(E::custom(format!(
                    "{v} is not a whole number: counts are written like `10`"
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
                Count::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(CountVisitor)
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.range.is_none() && self.is_plain() {
            serializer.serialize_u32(self.value)
        } else {
            serializer.collect_str(self)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::diagnostic::split_value_error;

    fn secs(text: &str) -> Secs {
        Secs::parse(text).unwrap()
    }

    #[test]
    fn durations_in_the_forms_coaches_write() {
        assert_eq!(secs("30").timer, Duration::from_secs(30));
        assert_eq!(secs("30 s").timer, Duration::from_secs(30));
        assert_eq!(secs("30s").timer, Duration::from_secs(30));
        assert_eq!(secs("45 seconds").timer, Duration::from_secs(45));
        assert_eq!(secs("2 min").timer, Duration::from_mins(2));
        assert_eq!(secs("1 min 30 s").timer, Duration::from_secs(90));
        assert_eq!(secs("1:45").timer, Duration::from_secs(105));
        assert_eq!(secs("0.8 s").timer, Duration::from_millis(800));
    }

    #[test]
    fn ranges_use_the_upper_value_unless_picked() {
        let range = secs("20-30 s");
        assert_eq!(range.timer, Duration::from_secs(30));
        assert_eq!(
            range.range,
            Some((Duration::from_secs(20), Duration::from_secs(30)))
        );
        assert_eq!(range.to_string(), "20-30 s");
        assert_eq!(secs("1-2 min").timer, Duration::from_mins(2));
        let picked = secs("20-30 s @ 25");
        assert_eq!(picked.timer, Duration::from_secs(25));
        assert_eq!(picked.to_string(), "20-30 s @ 25");
        assert_eq!(secs("20 s-30 s"), secs("20-30 s"), "a unit on both ends");
        assert_eq!(secs("20-30 s @ 25 s"), picked, "a unit after the pick");
        assert_eq!(
            secs("30 s-2 min").timer,
            Duration::from_mins(2),
            "mixed units"
        );
        // Regression: the range's unit was added to a clock pick, making `2:30 min`.
        assert_eq!(
            secs("2-3 min @ 2:30").timer,
            Duration::from_secs(150),
            "a clock pick"
        );
    }

    #[test]
    fn bad_durations_say_what_is_wrong() {
        assert!(Secs::parse("abc").unwrap_err().contains("not a duration"));
        assert!(Secs::parse("30-20 s").unwrap_err().contains("backwards"));
        assert!(Secs::parse("3 h").unwrap_err().contains("2 hour limit"));
        assert!(Secs::parse("1:75").unwrap_err().contains("below 60"));
        assert!(Secs::parse("20-30 s @ 40").unwrap_err().contains("outside"));
        assert!(Secs::from_float_secs(f64::NAN).is_err(), "NaN is refused");
        assert!(Secs::from_float_secs(-1.0).is_err(), "negative is refused");
    }

    #[test]
    fn counts_and_count_ranges() {
        assert_eq!(Count::parse("10 reps").unwrap(), Count::exact(10));
        let range = Count::parse("5-10 reps").unwrap();
        assert_eq!((range.value, range.range), (10, Some((5, 10))));
        assert_eq!(Count::parse("5-10 @ 8").unwrap().value, 8);
        assert!(Count::parse("many").is_err(), "words are not counts");
        assert!(
            Count::from_integer(-3).is_err(),
            "negative counts are refused"
        );
        assert!(
            Count::from_integer(5000).is_err(),
            "absurd counts are refused"
        );
    }

    fn count(text: &str) -> Count {
        Count::parse(text).unwrap()
    }

    #[test]
    fn counts_per_side_in_the_forms_coaches_write() {
        let ten = Count {
            per_side: true,
            ..Count::exact(10)
        };
        for text in [
            "10 each side",
            "10 each leg",
            "10 each arm",
            "10 per side",
            "10 per leg",
            "10 a side",
            "10 reps each side",
            "10 Each Leg",
            "10+10",
            "10 + 10",
            "10+10 reps",
        ] {
            assert_eq!(count(text), ten, "{text}");
        }
        let range = count("8-10 each side");
        assert_eq!(
            (range.value, range.range, range.per_side),
            (10, Some((8, 10)), true),
            "a range per side"
        );
        assert_eq!(count("8-10 each side @ 9").value, 9, "a pick per side");
        assert_eq!(count("10 each side").label(), "10 each side", "label");
        assert_eq!(ten.in_one_go(true), 20, "both sides in one go");
        assert_eq!(ten.in_one_go(false), 10, "one side a go");
        assert_eq!(Count::exact(10).in_one_go(true), 10, "not per side");
    }

    #[test]
    fn passes_are_counts_of_their_own_unit() {
        let passes = count("3 passes");
        assert_eq!(
            (passes.value, passes.unit, passes.per_side),
            (3, CountUnit::Passes, false),
            "passes"
        );
        assert_eq!(passes.label(), "3 passes", "label");
        assert_eq!(count("1 pass").label(), "1 pass", "one pass");
        assert_eq!(count("1").label(), "1 rep", "one rep");
        assert_eq!(count("1-3").label(), "1-3 reps", "a range of reps");
        assert_eq!(count("2-4 passes").range, Some((2, 4)), "a range of passes");
        assert!(!passes.is_plain(), "passes are not plain reps");
        assert!(Count::exact(3).is_plain(), "a number is plain");
    }

    #[test]
    fn counts_show_as_written_and_parse_back() {
        for text in [
            "10",
            "5-10",
            "5-10 @ 8",
            "10 each side",
            "8-10 each side",
            "8-10 each side @ 9",
            "3 passes",
            "1 pass",
            "2-4 passes each side",
        ] {
            assert_eq!(count(text).to_string(), text, "display of {text}");
            assert_eq!(
                count(&count(text).to_string()),
                count(text),
                "reparse of {text}"
            );
        }
        assert_eq!(
            count("5-10").label(),
            "5-10 reps",
            "a plain range keeps its label"
        );
        assert_eq!(
            count("8+8").to_string(),
            "8 each side",
            "8+8 shows per side"
        );
    }

    #[test]
    fn bad_counts_per_side_say_what_is_wrong() {
        let error = Count::parse("8+6").unwrap_err();
        let (message, hint) = split_value_error(&error);
        assert_eq!(
            message, "`8+6` is not the same count on each side",
            "unequal"
        );
        assert_eq!(
            hint,
            Some(
                "write `8+8` or `8 each side`; for a different count on each side, write two steps, one with `sides: Left` and one with `sides: Right`"
            ),
            "unequal: the hint"
        );
        assert!(
            Count::parse("8+").unwrap_err().contains("is not a count"),
            "half missing"
        );
        assert!(
            Count::parse("10 each foot")
                .unwrap_err()
                .contains("is not a count"),
            "an unknown side word"
        );
        assert!(
            Count::parse("10-8 each side")
                .unwrap_err()
                .contains("backwards"),
            "backwards per side"
        );
        assert!(
            Count::parse("8-10 each side @ 12")
                .unwrap_err()
                .contains("outside"),
            "a pick outside"
        );
        assert!(
            Count::parse("5000 each side")
                .unwrap_err()
                .contains("limit"),
            "absurd per side"
        );
    }

    #[test]
    fn range_texts_leave_the_pick_out() {
        assert_eq!(
            secs("20-30 s").range_text().as_deref(),
            Some("20-30 s"),
            "range"
        );
        assert_eq!(
            secs("20-30 s @ 25").range_text().as_deref(),
            Some("20-30 s"),
            "picked"
        );
        assert_eq!(secs("30 s").range_text(), None, "one value");
    }

    #[test]
    fn formatting_round_trips_through_parse() {
        for text in ["30 s", "1:45", "2 min", "20-30 s", "0.5 s", "1-2 min"] {
            assert_eq!(secs(text).to_string(), text, "display of {text}");
            assert_eq!(
                secs(&secs(text).to_string()),
                secs(text),
                "reparse of {text}"
            );
        }
    }
}
