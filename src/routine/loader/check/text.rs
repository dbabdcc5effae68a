//! The hygiene of names and text: no control characters, no invisible direction overrides
//! or zero-width characters ("Trojan Source"), names neither empty nor too long to show.

use std::ops::RangeInclusive;

use crate::routine::diagnostic::{Position, Severity, Span};
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
        } else if let Some(c) = text.chars().find(|&c| !is_drawable(c)) {
            self.undrawable(file, at, c);
        }
        if is_name && text.trim().is_empty() {
            self.error(file, at, "the text is empty", None);
        }
        if is_name && text.chars().count() > MAX_NAME_CHARS {
            self.warning(file, at, format!("the text is longer than {MAX_NAME_CHARS} characters and will be cut off on screen"), None);
        }
    }
}

/// The characters the app's fonts draw (egui's default fonts: Ubuntu Light, then its
/// icon font): a conservative list, each character of it checked against the fonts
/// themselves by the app's tests. Anything else shows as an empty box.
pub const DRAWABLE: &[RangeInclusive<char>] = &[
    ' '..='~',
    '\u{A0}'..='\u{AC}',
    '\u{AE}'..='\u{FF}',
    '\u{100}'..='\u{17F}',
    '\u{391}'..='\u{3A1}',
    '\u{3A3}'..='\u{3A9}',
    '\u{3B1}'..='\u{3C9}',
    '\u{410}'..='\u{44F}',
    '\u{2013}'..='\u{2014}',
    '\u{2018}'..='\u{2019}',
    '\u{201C}'..='\u{201D}',
    '\u{2022}'..='\u{2022}',
    '\u{2026}'..='\u{2026}',
    '\u{20AC}'..='\u{20AC}',
    '\u{2122}'..='\u{2122}',
    '\u{2212}'..='\u{2212}',
];

/// Whether the app draws `c` (line breaks and tabs are layout, not glyphs).
fn is_drawable(c: char) -> bool {
    c == '\n' || c == '\t' || DRAWABLE.iter().any(|range| range.contains(&c))
}

impl Context {
    /// A character the app's fonts cannot draw, at its place in the text when it is
    /// written as itself (else at the text).
    fn undrawable(&mut self, file: FileId, at: &ValuePath, c: char) {
        let cx = self.file(file);
        let span = cx.map.nearest(at);
        let place = span.and_then(|span| {
            let lines = cx.source.lines().enumerate().skip(span.start.line - 1);
            for (i, line) in lines.take(span.end.line + 1 - span.start.line) {
                let first = if i + 1 == span.start.line {
                    span.start.col
                } else {
                    1
                };
                if let Some(col) = line.chars().skip(first - 1).position(|x| x == c) {
                    let at = Position::new(i + 1, first + col);
                    return Some(Span::point(at));
                }
            }
            None
        });
        self.report_at(
            file,
            Severity::Warning,
            place.or(span),
            format!(
                "the app's fonts cannot draw `{c}` (U+{:04X}): it shows as an empty box",
                u32::from(c)
            ),
            Some(
                "remove it, or say it in words: the app draws Latin, Greek and Cyrillic \
                 letters and common punctuation"
                    .to_owned(),
            ),
        );
    }
}

/// The routine `limberup new` writes: its example texts are not meant to be shared.
const NEW_TEMPLATE: &str = include_str!("../../../cli/templates/new-routine.ron");

/// The example texts of [`NEW_TEMPLATE`]: its description (written as a comment or not)
/// and each instruction with the name of the step it belongs to.
struct TemplateTexts {
    description: Option<String>,
    instructions: Vec<(String, String)>,
}

/// [`TemplateTexts`], read off the template once, line by line.
fn template_texts() -> &'static TemplateTexts {
    static TEXTS: std::sync::OnceLock<TemplateTexts> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| {
        let quoted = |line: &str, field: &str| {
            let rest = line
                .trim_start_matches(|c: char| c.is_whitespace() || c == '/')
                .strip_prefix(field)?
                .trim_start()
                .strip_prefix(':')?;
            let (_, after) = rest.split_once('"')?;
            let (text, _) = after.rsplit_once('"')?;
            Some(text.to_owned())
        };
        let mut texts = TemplateTexts {
            description: None,
            instructions: Vec::new(),
        };
        let mut name = String::new();
        for line in NEW_TEMPLATE.lines() {
            if let Some(text) = quoted(line, "description") {
                texts.description = Some(text);
            } else if let Some(text) = quoted(line, "name") {
                name = text;
            } else if let Some(text) = quoted(line, "instruction") {
                texts.instructions.push((name.clone(), text));
            }
        }
        texts
    })
}

impl Context {
    /// A description still the example `limberup new` wrote.
    pub(super) fn template_description(&mut self, description: &str) {
        if template_texts().description.as_deref() == Some(description.trim()) {
            self.warning(
                FileId::Main,
                &ValuePath::ROOT.field("description"),
                "the description is still the example text `limberup new` wrote",
                Some(
                    "say in a sentence or two what this routine is for and when to do it"
                        .to_owned(),
                ),
            );
        }
    }

    /// An instruction still the example of another step of the `limberup new` template:
    /// the step was renamed and its instruction kept. (The template's own steps keep their
    /// instructions: they are real ones.)
    pub(super) fn template_instruction(
        &mut self,
        file: FileId,
        at: &ValuePath,
        name: &str,
        instruction: &str,
    ) {
        let found = template_texts()
            .instructions
            .iter()
            .find(|(_, text)| text == instruction.trim());
        if let Some((template_name, _)) = found.filter(|(n, _)| n != name) {
            self.warning(
                file,
                at,
                format!(
                    "this instruction is still the example for \"{template_name}\" that \
                     `limberup new` wrote"
                ),
                Some(format!(
                    "say what the athlete does in \"{name}\": it is what they hear"
                )),
            );
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
