//! How the app and the CLI write counts and clock times, and text from files for a
//! terminal, in one place.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::time::Duration;

/// `1 file`, `3 files`, `0 routines`: a count with its noun (the nouns used take an `s`).
#[must_use]
pub fn plural<N>(count: N, noun: &str) -> String
where
    N: Copy + std::fmt::Display + PartialEq + From<u8>,
{
    if count == N::from(1) {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `0:30`, `12:05`, `1:02:03`: a clock time or a total, whole seconds (truncated).
#[must_use]
pub fn clock(duration: Duration) -> String {
    let secs = duration.as_secs();
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// `text` as a terminal should show it rather than obey it: every control character (C0
/// but for line breaks and tabs, DEL, C1, so every escape sequence's ESC or CSI) and every
/// bidirectional embedding, override or isolate (U+202A to U+202E, U+2066 to U+2069) is
/// written out as `\u{1b}`. A carriage return is kept only before a line break (`\r\n`).
/// Borrowed when there is nothing to escape.
#[must_use]
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// [`escape_controls`] for a table cell or anything shown on one line: line breaks and tabs
/// are written out too.
#[must_use]
pub fn escape_controls_in_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Where byte `offset` of `text` is in [`escape_controls`]`(text)`: a place found in a file
/// moved to the text shown for it.
#[must_use]
pub fn escaped_offset(text: &str, offset: usize) -> usize {
    text.char_indices()
        .take_while(|&(i, _)| i < offset)
        .map(|(i, c)| {
            if is_escaped(text, i, c, true) {
                escaped_len(c)
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

/// Whether the character `c` at byte `i` of `text` is written out.
fn is_escaped(text: &str, i: usize, c: char, keep_lines: bool) -> bool {
    let kept =
        keep_lines && (c == '\n' || c == '\t' || (c == '\r' && text[i + 1..].starts_with('\n')));
    !kept
        && (c.is_control()
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c))
}

/// The length of `\u{…}` for `c`.
fn escaped_len(c: char) -> usize {
    let digits = (u32::BITS - u32::from(c).leading_zeros())
        .div_ceil(4)
        .max(1);
    4 + digits as usize
}

fn escape(text: &str, keep_lines: bool) -> Cow<'_, str> {
    if !text
        .char_indices()
        .any(|(i, c)| is_escaped(text, i, c, keep_lines))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        if is_escaped(text, i, c, keep_lines) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        // An OSC 8 link, a colour, a bell, a carriage return over the line, DEL and a C1 CSI.
        assert_eq!(
            escape_controls("\u{1b}]8;;http://x\u{7}a\u{1b}[31mred\rfake\u{7f}\u{9b}2J"),
            "\\u{1b}]8;;http://x\\u{7}a\\u{1b}[31mred\\u{d}fake\\u{7f}\\u{9b}2J"
        );
        assert_eq!(
            escape_controls("evil\u{202e}gpj.exe \u{2066}isolated\u{2069}"),
            "evil\\u{202e}gpj.exe \\u{2066}isolated\\u{2069}"
        );
        assert_eq!(escape_controls("\u{0}"), "\\u{0}");
    }

    #[test]
    fn line_breaks_and_tabs_stay_except_on_one_line() {
        let text = "two\tcolumns\r\nnext line\n";
        assert!(
            matches!(escape_controls(text), Cow::Borrowed(t) if t == text),
            "nothing to escape, nothing copied"
        );
        assert_eq!(
            escape_controls_in_line(text),
            "two\\u{9}columns\\u{d}\\u{a}next line\\u{a}"
        );
        assert_eq!(escape_controls("ends in\r"), "ends in\\u{d}");
    }

    #[test]
    fn a_place_in_the_text_moves_with_what_is_written_out_before_it() {
        let text = "a\u{1b}[1mb\u{202e}c\r\nd\u{0}e";
        let shown = escape_controls(text);
        for (i, c) in text.char_indices().filter(|(_, c)| c.is_alphabetic()) {
            let at = escaped_offset(text, i);
            assert_eq!(shown[at..].chars().next(), Some(c), "{c} at {i} is at {at}");
        }
        assert_eq!(escaped_offset(text, text.len()), shown.len(), "the end");
        assert_eq!(escaped_len('\u{0}'), "\\u{0}".len());
        assert_eq!(escaped_len('\u{9b}'), "\\u{9b}".len());
        assert_eq!(escaped_len('\u{202e}'), "\\u{202e}".len());
    }

    #[test]
    fn ordinary_text_in_any_script_is_left_alone() {
        for text in [
            "Échauffement",
            "עברית ومرحبا",
            "ストレッチ 🏃",
            "a\u{200d}b",
            "\u{a0}",
        ] {
            assert!(
                matches!(escape_controls_in_line(text), Cow::Borrowed(_)),
                "{text}"
            );
        }
    }

    #[test]
    fn counts_take_an_s_except_one() {
        assert_eq!(plural(0, "routine"), "0 routines");
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(12_u64, "error"), "12 errors");
    }

    #[test]
    fn clocks_show_hours_only_from_an_hour_on() {
        assert_eq!(clock(Duration::ZERO), "0:00");
        assert_eq!(clock(Duration::from_millis(30_999)), "0:30");
        assert_eq!(clock(Duration::from_secs(725)), "12:05");
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
    }
}
