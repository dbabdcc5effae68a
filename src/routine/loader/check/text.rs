//! The hygiene of names and text: no control characters, no invisible direction overrides
//! or zero-width characters ("Trojan Source"), names neither empty nor too long to show.

use crate::routine::source_map::ValuePath;

use super::{Context, FileId};

/// Longest text accepted in a name before a warning.
const MAX_NAME_CHARS: usize = 120;

impl Context {
    /// Text checks: no control or direction-override characters; names short and non-empty.
    pub(super) fn text(&mut self, file: FileId, at: &ValuePath, text: &str, is_name: bool) {
        if let Some(c) = text.chars().find(|&c| {
            (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) || is_zero_width(c)
        }) {
            self.error(
                file,
                at,
                format!(
                    "the text contains the invisible character U+{:04X}",
                    u32::from(c)
                ),
                Some("retype the text; it may have been pasted from elsewhere".to_owned()),
            );
        }
        if is_name && text.trim().is_empty() {
            self.error(file, at, "the text is empty", None);
        }
        if is_name && text.chars().count() > MAX_NAME_CHARS {
            self.warning(file, at, format!("the text is longer than {MAX_NAME_CHARS} characters and will be cut off on screen"), None);
        }
    }
}

/// Characters that reorder text invisibly (the "Trojan Source" set).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Zero-width space, word joiner and byte-order mark: they make two names that look the
/// same differ. (The zero-width joiner and non-joiner are left alone: emoji sequences and
/// Persian script need them.)
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_overrides_and_zero_width_characters_are_caught() {
        for c in ['\u{202E}', '\u{2066}', '\u{200F}', '\u{061C}'] {
            assert!(is_bidi_control(c), "U+{:04X} reorders text", u32::from(c));
        }
        for c in ['\u{200B}', '\u{2060}', '\u{FEFF}'] {
            assert!(is_zero_width(c), "U+{:04X} is invisible", u32::from(c));
        }
    }

    #[test]
    fn joiners_and_ordinary_letters_are_left_alone() {
        // Emoji sequences and Persian script need the zero-width joiner and non-joiner.
        for c in ['\u{200D}', '\u{200C}', 'a', 'é', 'ش', ' '] {
            assert!(
                !is_bidi_control(c) && !is_zero_width(c),
                "U+{:04X} is allowed",
                u32::from(c)
            );
        }
    }
}
