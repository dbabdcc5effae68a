//! The phrasebook: every word the app says itself, in each [`Language`].
//!
//! A routine's own words (titles, step names, instructions, `say`) are spoken as written;
//! everything around them ("Get ready.", "Set 2 of 3, right side.", "10 reps in 30
//! seconds.", "Rest. Next: …") comes from here, in the plan's language. Numbers stay
//! digits: espeak-ng reads them in the voice's own language. Each language has its own
//! templates, so word order and agreement stay that language's ("Noch 10 Sekunden.",
//! "Quedan 10 segundos.").
//!
//! Pure: no voice, no sound; [`super::cue`] builds the announcements from these words.

use std::time::Duration;

use super::plan::{Ordinal, Side};
use super::speech::Language;
use crate::routine::Distance;
use crate::routine::quantity::DistanceUnit;

/// A noun in the singular and the plural: `second`, `seconds`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Noun {
    /// With one: "1 second".
    pub one: &'static str,
    /// With any other number: "10 seconds".
    pub many: &'static str,
}

/// Every phrase of one language.
///
/// Templates name their blanks in braces (`"Set {index} of {of}"`); the methods fill them,
/// so callers never assemble a sentence of another language's word order.
#[derive(Debug, PartialEq, Eq)]
pub struct Phrases {
    /// The language they are in.
    pub language: Language,
    /// "Get ready.": the lead-in, the count-in after a resume, a rest about to end.
    pub get_ready: &'static str,
    /// "Switch sides."
    pub switch_sides: &'static str,
    /// "Rest."
    pub rest: &'static str,
    /// "Next:", before the next step's name in "Rest. Next: …".
    pub next: &'static str,
    /// "First:", before the first step's name in "Get ready. Title. First: …".
    pub first: &'static str,
    /// "Halfway."
    pub halfway: &'static str,
    /// "Last one.": the last paced rep.
    pub last_one: &'static str,
    /// "Last one, {side}.": the last alternating rep, with [`Self::left`] or [`Self::right`].
    pub last_one_on: &'static str,
    /// "Routine complete. Well done."
    pub finished: &'static str,
    /// "Get into position.": the time to get into position before the work.
    pub get_into_position: &'static str,
    /// "Press Done when finished.": a step that waits for the Done button.
    pub press_done: &'static str,
    /// "Moving on in {time}.": a Done step about to move on by itself.
    pub moving_on: &'static str,
    /// "Press Done to wait.", after [`Self::moving_on`].
    pub press_done_to_wait: &'static str,
    /// "Still going?", before [`Self::press_done`] when a Done step waits long.
    pub still_going: &'static str,
    /// "left", the side of an alternating rep said alone ("Left.").
    pub left: &'static str,
    /// "right".
    pub right: &'static str,
    /// "left side".
    pub left_side: &'static str,
    /// "right side".
    pub right_side: &'static str,
    /// "alternating sides", after a step's name in "Next: Lunge, alternating sides.".
    pub alternating: &'static str,
    /// "alternating sides, left first", as a step of alternating reps starts.
    pub alternating_left_first: &'static str,
    /// "Set {index} of {of}".
    pub set: &'static str,
    /// "Last set": the last of several sets.
    pub last_set: &'static str,
    /// "Round {index} of {of}".
    pub round: &'static str,
    /// "Last round": the last of several rounds.
    pub last_round: &'static str,
    /// Seconds.
    pub second: Noun,
    /// Minutes.
    pub minute: Noun,
    /// Reps.
    pub rep: Noun,
    /// Passes across the pitch or down the track.
    pub pass: Noun,
    /// Metres.
    pub metre: Noun,
    /// Kilometres.
    pub kilometre: Noun,
    /// Yards.
    pub yard: Noun,
    /// Miles.
    pub mile: Noun,
    /// "percent", said for `%`.
    pub percent: &'static str,
    /// "each side": "10 reps each side".
    pub each_side: &'static str,
    /// "{left} left and {right} right": alternating reps that do not share out evenly.
    pub left_and_right: &'static str,
    /// "{count} in {time}": "10 reps in 30 seconds".
    pub count_in_time: &'static str,
    /// "{low} to {high}": "20 to 30 seconds", and `-` between two numbers.
    pub range: &'static str,
    /// "times", said for `x` between two numbers ("4 x 80 m").
    pub times: &'static str,
    /// "{time} left.": "10 seconds left.".
    pub time_left: &'static str,
    /// "{minutes} {seconds}": "1 minute 45 seconds".
    pub minutes_and_seconds: &'static str,
    /// Whether numbers are written with a decimal comma ("1,5").
    pub decimal_comma: bool,
    /// Whether the singular goes up to 2 (French "1,5 kilomètre"), not only with 1.
    pub singular_below_two: bool,
}

mod books;
mod text;

pub use books::{DUTCH, ENGLISH, FRENCH, GERMAN, SPANISH};
use text::{Token, after_space, number_after, parse_number, tokens};

/// How a whole duration is said: in seconds under a minute, in whole minutes, or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DurationUnit {
    Seconds,
    Minutes,
}

impl Phrases {
    /// A coach's distance as said: "80 to 100 metres", "44 yards", "1 kilometre"; "80 bis
    /// 100 Meter", "1,5 kilomètre".
    #[must_use]
    pub fn distance(&self, distance: &Distance) -> String {
        let noun = match distance.unit {
            DistanceUnit::Metres => self.metre,
            DistanceUnit::Yards => self.yard,
            DistanceUnit::Kilometres => self.kilometre,
            DistanceUnit::Miles => self.mile,
        };
        // "1 mile" but "1.5 miles" and "1 to 2 miles": singular only for one value that
        // takes it.
        if distance.is_range() {
            let range = self.range(&self.number(distance.low), &self.number(distance.high));
            format!("{range} {}", noun.many)
        } else {
            format!(
                "{} {}",
                self.number(distance.high),
                self.noun(noun, distance.high)
            )
        }
    }

    /// The phrasebook of `language`.
    #[must_use]
    pub fn of(language: Language) -> &'static Self {
        match language {
            Language::English => &ENGLISH,
            Language::German => &GERMAN,
            Language::French => &FRENCH,
            Language::Spanish => &SPANISH,
            Language::Dutch => &DUTCH,
        }
    }

    /// "left" or "right": the side of an alternating rep.
    #[must_use]
    pub fn side_word(&self, side: Side) -> &'static str {
        match side {
            Side::Left => self.left,
            Side::Right => self.right,
        }
    }

    /// "left side" or "right side".
    #[must_use]
    pub fn side(&self, side: Side) -> &'static str {
        match side {
            Side::Left => self.left_side,
            Side::Right => self.right_side,
        }
    }

    /// "Set 2 of 3", or "Last set" for the last of several.
    #[must_use]
    pub fn set(&self, set: Ordinal) -> String {
        if set.is_last() {
            self.last_set.to_owned()
        } else {
            ordinal(self.set, set)
        }
    }

    /// "Round 3 of 8", or "Last round" for the last of several.
    #[must_use]
    pub fn round(&self, round: Ordinal) -> String {
        if round.is_last() {
            self.last_round.to_owned()
        } else {
            ordinal(self.round, round)
        }
    }

    /// "Last one, right.": the last alternating rep, on `side`.
    #[must_use]
    pub fn last_one_on(&self, side: Side) -> String {
        fill(self.last_one_on, &[("side", self.side_word(side))])
    }

    /// "10 seconds left.", "Noch 10 Sekunden.".
    #[must_use]
    pub fn time_left(&self, left: Duration) -> String {
        fill(self.time_left, &[("time", &self.duration(left))])
    }

    /// "Moving on in 10 seconds.": `left` before a Done step moves on by itself.
    #[must_use]
    pub fn moving_on(&self, left: Duration) -> String {
        fill(self.moving_on, &[("time", &self.duration(left))])
    }

    /// "10 reps in 30 seconds": `count` and `time` already said.
    #[must_use]
    pub fn count_in_time(&self, count: &str, time: &str) -> String {
        fill(self.count_in_time, &[("count", count), ("time", time)])
    }

    /// "5 left and 4 right".
    #[must_use]
    pub fn left_and_right(&self, left: u32, right: u32) -> String {
        fill(
            self.left_and_right,
            &[("left", &left.to_string()), ("right", &right.to_string())],
        )
    }

    /// "20 to 30": `low` and `high` already said.
    #[must_use]
    pub fn range(&self, low: &str, high: &str) -> String {
        fill(self.range, &[("low", low), ("high", high)])
    }

    /// Whether `value` takes the singular: 1, or in French anything under 2.
    #[must_use]
    pub fn is_singular(&self, value: f64) -> bool {
        if self.singular_below_two {
            value.abs() < 2.0
        } else {
            value.to_string() == "1"
        }
    }

    /// `noun` as it agrees with `value`.
    #[must_use]
    pub fn noun(&self, noun: Noun, value: f64) -> &'static str {
        if self.is_singular(value) {
            noun.one
        } else {
            noun.many
        }
    }

    /// A number as this language writes it: "1.5", "1,5".
    #[must_use]
    pub fn number(&self, value: f64) -> String {
        let text = value.to_string();
        if self.decimal_comma {
            text.replace('.', ",")
        } else {
            text
        }
    }

    /// "10 seconds", "1 second", "1,5 Sekunden": `value` with `noun`.
    #[must_use]
    pub fn quantity(&self, value: f64, noun: Noun) -> String {
        format!("{} {}", self.number(value), self.noun(noun, value))
    }

    /// "30 seconds", "1 minute 45 seconds", "2 minutes"; a part of a second as a decimal
    /// ("0.8 seconds").
    #[must_use]
    pub fn duration(&self, duration: Duration) -> String {
        let secs = duration.as_secs();
        let whole = |n: u64, noun: Noun| self.quantity(n as f64, noun);
        match (secs / 60, secs % 60) {
            (0, 0) => self.quantity(duration.as_secs_f64(), self.second),
            (0, s) => whole(s, self.second),
            (m, 0) => whole(m, self.minute),
            (m, s) => fill(
                self.minutes_and_seconds,
                &[
                    ("minutes", &whole(m, self.minute)),
                    ("seconds", &whole(s, self.second)),
                ],
            ),
        }
    }

    /// "20 to 30 seconds", "1 to 2 minutes", "30 seconds to 1 minute": the unit once when
    /// both ends are said in it.
    #[must_use]
    pub fn duration_range(&self, low: Duration, high: Duration) -> String {
        let high_said = self.duration(high);
        match (duration_unit(low), duration_unit(high)) {
            (Some((low_number, low_unit)), Some((_, high_unit))) if low_unit == high_unit => {
                self.range(&low_number.to_string(), &high_said)
            }
            _ => self.range(&self.duration(low), &high_said),
        }
    }

    /// A coach's free text (`effort`) as it is to be said: `-` between two numbers is said
    /// "to", `%` "percent", `x` between two numbers "times", and a unit after a number (`m`,
    /// `km`, `yd`, `mi`, `s`, `min`) its word, agreeing with the number. Everything else is
    /// left as written: "80-100 m at 90 %" is "80 to 100 metres at 90 percent".
    #[must_use]
    pub fn spoken_text(&self, text: &str) -> String {
        let tokens = tokens(text.trim());
        let mut out = String::new();
        let mut i = 0;
        while let Some(token) = tokens.get(i) {
            let Token::Number(first) = token else {
                token.write(&mut out);
                i += 1;
                continue;
            };
            // A number, then perhaps `-` and a second number, `%` or a unit, `x` and more.
            let mut value = parse_number(first);
            let mut said = self.number_as_written(first);
            i += 1;
            if let Some((next, high)) =
                after_space(&tokens, i, Token::is_dash).and_then(|at| number_after(&tokens, at + 1))
            {
                said = self.range(&said, &self.number_as_written(high));
                value = parse_number(high);
                i = next + 1;
            }
            out.push_str(&said);
            if let Some(at) = after_space(&tokens, i, |t| matches!(t, Token::Other('%'))) {
                out.push(' ');
                out.push_str(self.percent);
                i = at + 1;
            } else if let Some((at, noun)) = after_space(&tokens, i, |t| self.unit(t).is_some())
                .and_then(|at| {
                    let noun = self.unit(&tokens[at])?;
                    Some((at, noun))
                })
            {
                out.push(' ');
                out.push_str(self.noun(noun, value));
                i = at + 1;
            }
            if let Some(at) = after_space(&tokens, i, Token::is_times)
                && number_after(&tokens, at + 1).is_some()
            {
                out.push(' ');
                out.push_str(self.times);
                i = at + 1;
            }
        }
        out
    }

    /// A number as the coach wrote it, with this language's decimal mark.
    fn number_as_written(&self, digits: &str) -> String {
        if self.decimal_comma {
            digits.replace('.', ",")
        } else {
            digits.to_owned()
        }
    }

    /// The noun a unit written after a number stands for.
    fn unit(&self, token: &Token) -> Option<Noun> {
        let Token::Word(word) = token else {
            return None;
        };
        Some(match word.to_ascii_lowercase().as_str() {
            "m" => self.metre,
            "km" => self.kilometre,
            "yd" | "yds" => self.yard,
            "mi" => self.mile,
            "s" | "sec" | "secs" => self.second,
            "min" | "mins" => self.minute,
            _ => return None,
        })
    }
}

/// `template` with `{index}` and `{of}` filled from `ordinal`.
fn ordinal(template: &str, ordinal: Ordinal) -> String {
    fill(
        template,
        &[
            ("index", &ordinal.index.to_string()),
            ("of", &ordinal.of.to_string()),
        ],
    )
}

/// `template` with each `{name}` replaced by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// A whole duration's number and the unit it is said in: 30 seconds, 2 minutes.
fn duration_unit(duration: Duration) -> Option<(u64, DurationUnit)> {
    if duration.subsec_nanos() != 0 || duration.is_zero() {
        return None;
    }
    let secs = duration.as_secs();
    match (secs / 60, secs % 60) {
        (0, s) => Some((s, DurationUnit::Seconds)),
        (m, 0) => Some((m, DurationUnit::Minutes)),
        _ => None,
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn every() -> impl Iterator<Item = &'static Phrases> {
        Language::ALL.into_iter().map(Phrases::of)
    }

    /// Every plain phrase of a phrasebook, named.
    fn plain(p: &Phrases) -> Vec<(&'static str, &'static str)> {
        vec![
            ("get_ready", p.get_ready),
            ("switch_sides", p.switch_sides),
            ("rest", p.rest),
            ("next", p.next),
            ("first", p.first),
            ("halfway", p.halfway),
            ("last_one", p.last_one),
            ("last_one_on", p.last_one_on),
            ("finished", p.finished),
            ("get_into_position", p.get_into_position),
            ("press_done", p.press_done),
            ("moving_on", p.moving_on),
            ("press_done_to_wait", p.press_done_to_wait),
            ("still_going", p.still_going),
            ("left", p.left),
            ("right", p.right),
            ("left_side", p.left_side),
            ("right_side", p.right_side),
            ("alternating", p.alternating),
            ("alternating_left_first", p.alternating_left_first),
            ("set", p.set),
            ("last_set", p.last_set),
            ("round", p.round),
            ("last_round", p.last_round),
            ("percent", p.percent),
            ("each_side", p.each_side),
            ("left_and_right", p.left_and_right),
            ("count_in_time", p.count_in_time),
            ("range", p.range),
            ("times", p.times),
            ("time_left", p.time_left),
            ("minutes_and_seconds", p.minutes_and_seconds),
        ]
    }

    fn nouns(p: &Phrases) -> Vec<(&'static str, Noun)> {
        vec![
            ("second", p.second),
            ("minute", p.minute),
            ("rep", p.rep),
            ("pass", p.pass),
            ("metre", p.metre),
            ("kilometre", p.kilometre),
            ("yard", p.yard),
            ("mile", p.mile),
        ]
    }

    #[test]
    fn each_language_has_its_own_phrasebook() {
        for language in Language::ALL {
            assert_eq!(Phrases::of(language).language, language, "{language:?}");
        }
    }

    #[test]
    fn every_phrase_of_every_language_is_said() {
        for p in every() {
            for (name, phrase) in plain(p) {
                assert!(!phrase.trim().is_empty(), "{:?}: {name}", p.language);
                assert_eq!(phrase, phrase.trim(), "{:?}: {name} is trimmed", p.language);
            }
            for (name, noun) in nouns(p) {
                assert!(
                    !noun.one.is_empty() && !noun.many.is_empty(),
                    "{:?}: {name}",
                    p.language
                );
            }
        }
    }

    #[test]
    fn phrases_that_mean_different_things_sound_different() {
        for p in every() {
            let said = plain(p);
            for (i, (a, phrase_a)) in said.iter().enumerate() {
                for (b, phrase_b) in &said[i + 1..] {
                    assert_ne!(phrase_a, phrase_b, "{:?}: {a} and {b}", p.language);
                }
            }
            let nouns = nouns(p);
            for (i, (a, noun_a)) in nouns.iter().enumerate() {
                for (b, noun_b) in &nouns[i + 1..] {
                    assert_ne!(noun_a.one, noun_b.one, "{:?}: {a} and {b}", p.language);
                    assert_ne!(noun_a.many, noun_b.many, "{:?}: {a} and {b}", p.language);
                }
            }
        }
    }

    #[test]
    fn templates_have_their_blanks() {
        for p in every() {
            let lang = p.language;
            for (template, blanks) in [
                (p.set, &["{index}", "{of}"][..]),
                (p.round, &["{index}", "{of}"]),
                (p.last_one_on, &["{side}"]),
                (p.left_and_right, &["{left}", "{right}"]),
                (p.count_in_time, &["{count}", "{time}"]),
                (p.range, &["{low}", "{high}"]),
                (p.time_left, &["{time}"]),
                (p.minutes_and_seconds, &["{minutes}", "{seconds}"]),
            ] {
                for blank in blanks {
                    assert!(template.contains(blank), "{lang:?}: {blank} in {template}");
                }
            }
            for (name, phrase) in plain(p) {
                let blanks = phrase.matches('{').count();
                let filled = fill(
                    phrase,
                    &[
                        ("index", "2"),
                        ("of", "3"),
                        ("side", "x"),
                        ("left", "5"),
                        ("right", "4"),
                        ("count", "x"),
                        ("time", "x"),
                        ("low", "1"),
                        ("high", "2"),
                        ("minutes", "x"),
                        ("seconds", "x"),
                    ],
                );
                assert!(
                    !filled.contains(['{', '}']),
                    "{lang:?}: {name} has {blanks} unknown blanks"
                );
            }
        }
    }

    #[test]
    fn sets_and_rounds_count_until_the_last() {
        let (two, three) = (Ordinal { index: 2, of: 3 }, Ordinal { index: 3, of: 3 });
        let said: Vec<(String, String, String, String)> = every()
            .map(|p| (p.set(two), p.set(three), p.round(two), p.round(three)))
            .collect();
        assert_eq!(
            said,
            [
                ("Set 2 of 3", "Last set", "Round 2 of 3", "Last round"),
                (
                    "Satz 2 von 3",
                    "Letzter Satz",
                    "Runde 2 von 3",
                    "Letzte Runde"
                ),
                (
                    "Série 2 sur 3",
                    "Dernière série",
                    "Tour 2 sur 3",
                    "Dernier tour"
                ),
                (
                    "Serie 2 de 3",
                    "Última serie",
                    "Ronda 2 de 3",
                    "Última ronda"
                ),
                (
                    "Set 2 van 3",
                    "Laatste set",
                    "Ronde 2 van 3",
                    "Laatste ronde"
                ),
            ]
            .map(|(a, b, c, d)| (
                a.to_owned(),
                b.to_owned(),
                c.to_owned(),
                d.to_owned()
            )),
            "in each language"
        );
    }

    #[test]
    fn durations_agree_with_their_numbers() {
        let secs = Duration::from_secs;
        assert_eq!(ENGLISH.duration(secs(30)), "30 seconds");
        assert_eq!(ENGLISH.duration(secs(1)), "1 second");
        assert_eq!(ENGLISH.duration(secs(105)), "1 minute 45 seconds");
        assert_eq!(ENGLISH.duration(secs(120)), "2 minutes");
        assert_eq!(ENGLISH.duration(Duration::from_millis(800)), "0.8 seconds");
        assert_eq!(GERMAN.duration(secs(105)), "1 Minute und 45 Sekunden");
        assert_eq!(GERMAN.duration(Duration::from_millis(800)), "0,8 Sekunden");
        assert_eq!(FRENCH.duration(secs(61)), "1 minute 1 seconde");
        assert_eq!(
            FRENCH.duration(Duration::from_millis(500)),
            "0,5 seconde",
            "French keeps the singular below 2"
        );
        assert_eq!(SPANISH.duration(secs(105)), "1 minuto y 45 segundos");
        assert_eq!(DUTCH.duration(secs(120)), "2 minuten");
    }

    #[test]
    fn ranges_of_time_say_a_shared_unit_once() {
        let secs = Duration::from_secs;
        assert_eq!(
            ENGLISH.duration_range(secs(20), secs(30)),
            "20 to 30 seconds"
        );
        assert_eq!(
            ENGLISH.duration_range(secs(60), secs(120)),
            "1 to 2 minutes"
        );
        assert_eq!(
            ENGLISH.duration_range(secs(30), secs(60)),
            "30 seconds to 1 minute"
        );
        assert_eq!(
            ENGLISH.duration_range(secs(90), secs(120)),
            "1 minute 30 seconds to 2 minutes"
        );
        assert_eq!(
            GERMAN.duration_range(secs(20), secs(30)),
            "20 bis 30 Sekunden"
        );
        assert_eq!(
            SPANISH.duration_range(secs(20), secs(30)),
            "20 a 30 segundos"
        );
    }

    #[test]
    fn the_calls_of_each_language() {
        let ten = Duration::from_secs(10);
        let said: Vec<String> = every().map(|p| p.time_left(ten)).collect();
        assert_eq!(
            said,
            [
                "10 seconds left.",
                "Noch 10 Sekunden.",
                "Encore 10 secondes.",
                "Quedan 10 segundos.",
                "Nog 10 seconden."
            ]
        );
        assert_eq!(ENGLISH.last_one_on(Side::Right), "Last one, right.");
        assert_eq!(
            FRENCH.last_one_on(Side::Left),
            "Dernière répétition, à gauche."
        );
        assert_eq!(GERMAN.left_and_right(5, 4), "5 links und 4 rechts");
        assert_eq!(
            ENGLISH.count_in_time("10 reps", "30 seconds"),
            "10 reps in 30 seconds"
        );
    }

    #[test]
    fn free_text_is_said_with_words_for_its_signs_and_units() {
        let cases = [
            (
                &ENGLISH,
                "80-100 m at 90 %",
                "80 to 100 metres at 90 percent",
            ),
            (
                &ENGLISH,
                "building to about 90 % of top speed",
                "building to about 90 percent of top speed",
            ),
            (
                &ENGLISH,
                "30-40 m, building to about 90 % of top speed",
                "30 to 40 metres, building to about 90 percent of top speed",
            ),
            (
                &ENGLISH,
                "Strong and even, about 10 km race effort",
                "Strong and even, about 10 kilometres race effort",
            ),
            (&ENGLISH, "4 x 80 m", "4 times 80 metres"),
            (
                &ENGLISH,
                "1 km easy, 30 s fast",
                "1 kilometre easy, 30 seconds fast",
            ),
            (&ENGLISH, "20–30 s", "20 to 30 seconds"),
            (&ENGLISH, "a 10-minute jog", "a 10-minute jog"),
            (&ENGLISH, "1.5 mi", "1.5 miles"),
            (&ENGLISH, "mile 2 of 3", "mile 2 of 3"),
            (&ENGLISH, "90%", "90 percent"),
            (
                &ENGLISH,
                "Very easy, conversational",
                "Very easy, conversational",
            ),
            (&ENGLISH, "5 massive strides", "5 massive strides"),
            (
                &GERMAN,
                "80-100 m bei 90 %",
                "80 bis 100 Meter bei 90 Prozent",
            ),
            (&GERMAN, "1.5 km locker", "1,5 Kilometer locker"),
            (&FRENCH, "80-100 m à 90 %", "80 à 100 mètres à 90 pour cent"),
            (&FRENCH, "1 m", "1 mètre"),
            (
                &SPANISH,
                "4 x 80 m al 90 %",
                "4 por 80 metros al 90 por ciento",
            ),
            (&DUTCH, "80-100 m op 90 %", "80 tot 100 meter op 90 procent"),
        ];
        for (p, written, said) in cases {
            assert_eq!(p.spoken_text(written), said, "{:?}: {written}", p.language);
        }
    }

    proptest::proptest! {
        #[test]
        fn free_text_without_numbers_is_said_as_written(text in "[^0-9]{0,40}") {
            for p in every() {
                proptest::prop_assert_eq!(p.spoken_text(&text), text.trim());
            }
        }

        #[test]
        fn any_free_text_is_said_whole(text in "[0-9a-z %x.,\\-–]{0,40}") {
            for p in every() {
                let said = p.spoken_text(&text);
                // Every digit written is said, in order.
                let digits = |t: &str| t.chars().filter(char::is_ascii_digit).collect::<String>();
                proptest::prop_assert_eq!(digits(&said), digits(&text));
            }
        }
    }

    #[test]
    fn free_text_keeps_every_character_it_has_no_word_for() {
        for text in ["(easy) — 3/4 effort; 'relaxed' ✓ @ 5:00 pace?", "é ü ß", ""] {
            assert_eq!(ENGLISH.spoken_text(text), text, "unchanged");
        }
    }

    #[test]
    fn distances_speak_in_each_language() {
        let said = |text: &str, language| {
            Phrases::of(language).distance(&Distance::parse(text).expect("a distance"))
        };
        assert_eq!(
            said("80-100 m", Language::German),
            "80 bis 100 Meter",
            "German"
        );
        assert_eq!(
            said("1.5 km", Language::German),
            "1,5 Kilometer",
            "decimal comma"
        );
        assert_eq!(said("1 mi", Language::German), "1 Meile", "one");
        assert_eq!(
            said("1.5 km", Language::French),
            "1,5 kilomètre",
            "French singular below 2"
        );
        assert_eq!(
            said("80-100 m", Language::French),
            "80 à 100 mètres",
            "French"
        );
        assert_eq!(said("44 yd", Language::Spanish), "44 yardas", "Spanish");
        assert_eq!(said("30-40 m", Language::Dutch), "30 tot 40 meter", "Dutch");
    }

    #[test]
    fn distances_speak_as_written_in_english() {
        let english = |text: &str| ENGLISH.distance(&Distance::parse(text).expect("a distance"));
        assert_eq!(english("80-100 m"), "80 to 100 metres", "a range");
        assert_eq!(english("44 yd"), "44 yards", "yards");
        assert_eq!(english("1 km"), "1 kilometre", "one");
        assert_eq!(english("1.5 mi"), "1.5 miles", "a fraction");
    }
}
