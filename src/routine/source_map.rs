//! Where each value sits in a RON source, by its path (`sections[1].steps[0].exercise`).
//!
//! serde gives the loader values but not their places, so after a file parses this scanner
//! walks the same text once and records the span of every struct field, list element and map
//! entry. Validation then reports each finding at the exact `line:col` of the value.

use std::collections::HashMap;

use super::diagnostic::{Position, Span};

/// Nesting deeper than this is not scanned (the parser refuses it before we get here).
const MAX_DEPTH: usize = 128;

/// The path of a value inside a RON document, such as `sections[1].steps[0].exercise`.
///
/// Built from [`ValuePath::ROOT`] with [`field`](Self::field), [`index`](Self::index) and
/// [`key`](Self::key); it displays as it reads in messages and is the key the
/// [`SourceMap`] records spans under.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ValuePath(String);

impl ValuePath {
    /// The whole document.
    pub const ROOT: Self = Self(String::new());

    /// The path of field `name` inside this value.
    #[must_use]
    pub fn field(&self, name: &str) -> Self {
        if self.0.is_empty() {
            Self(name.to_owned())
        } else {
            Self(format!("{}.{name}", self.0))
        }
    }

    /// The path of element `index` of the list at this value.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        Self(format!("{}[{index}]", self.0))
    }

    /// The path of the entry `key` of the map at this value.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        Self(format!("{}[{key:?}]", self.0))
    }

    /// The path as it is written in messages.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path of the `index`th key of the map at this value (keys are values too: a
    /// string key has a span of its own). Only the scanner records these.
    fn map_key(&self, index: usize) -> Self {
        Self(format!("{}#keys[{index}]", self.0))
    }
}

impl std::fmt::Display for ValuePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lets [`SourceMap::nearest`] look up the enclosing paths of a path without building them.
impl std::borrow::Borrow<str> for ValuePath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// Spans of the values of one RON document, by path.
#[derive(Debug, Default)]
pub struct SourceMap {
    spans: HashMap<ValuePath, Span>,
    key_spans: HashMap<ValuePath, Span>,
    duplicate_keys: Vec<(ValuePath, Span)>,
    /// The byte offset where each line starts, so a finding's line is found at once
    /// (a file of thousands of findings must not rescan the text for each).
    line_starts: Vec<usize>,
}

impl SourceMap {
    /// Scans `source`. Never fails: on text it does not understand it stops recording.
    #[must_use]
    pub fn build(source: &str) -> Self {
        let mut scanner = Scanner {
            chars: source.chars().collect(),
            pos: 0,
            line: 1,
            col: 1,
            map: Self::default(),
        };
        scanner.skip_trivia();
        scanner.value(ValuePath::ROOT, 0);
        let mut map = scanner.map;
        map.line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        map
    }

    /// The text of line `line` (1-based) of `source`, the text this map was built from.
    #[must_use]
    pub fn line<'a>(&self, source: &'a str, line: usize) -> Option<&'a str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(source.len(), |&next| next.saturating_sub(1));
        let text = source.get(start..end)?;
        Some(text.strip_suffix('\r').unwrap_or(text))
    }

    /// The byte offset in `source` (the text this map was built from) of `at`.
    #[must_use]
    pub fn byte_offset(&self, source: &str, at: Position) -> Option<usize> {
        let start = *self.line_starts.get(at.line.checked_sub(1)?)?;
        let rest = source.get(start..)?;
        let skip = at.col.checked_sub(1)?;
        rest.char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(rest.len()))
            .nth(skip)
            .map(|i| start + i)
    }

    /// The span of the value at `path`, if the source has it.
    #[must_use]
    pub fn span(&self, path: &ValuePath) -> Option<Span> {
        self.spans.get(path).copied()
    }

    /// The span of the field name or map key that introduces `path`.
    #[must_use]
    pub fn key_span(&self, path: &ValuePath) -> Option<Span> {
        self.key_spans.get(path).copied()
    }

    /// The span at `path`, or of the nearest enclosing value the source has.
    #[must_use]
    pub fn nearest(&self, path: &ValuePath) -> Option<Span> {
        let mut path = path.as_str();
        loop {
            if let Some(span) = self.spans.get(path) {
                return Some(*span);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }

    /// Map keys written twice in the same map: the path and the span of the second one.
    #[must_use]
    pub fn duplicate_keys(&self) -> &[(ValuePath, Span)] {
        &self.duplicate_keys
    }
}

struct Scanner {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    col: usize,
    map: SourceMap,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn position(&self) -> Position {
        Position::new(self.line, self.col)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    /// Skips white space, `//` and (nested) `/* */` comments, and `#![…]` attributes.
    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                (Some('/'), Some('*')) => {
                    let mut depth = 0usize;
                    while let Some(c) = self.bump() {
                        if c == '/' && self.peek() == Some('*') {
                            self.bump();
                            depth += 1;
                        } else if c == '*' && self.peek() == Some('/') {
                            self.bump();
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                    }
                }
                (Some('#'), _) => {
                    while self.peek().is_some_and(|c| c != ']') {
                        self.bump();
                    }
                    self.bump();
                }
                _ => return,
            }
        }
    }

    fn eat(&mut self, expected: char) -> bool {
        self.skip_trivia();
        if self.peek() == Some(expected) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        let mut ident = String::new();
        if self.peek() == Some('r') && self.peek_at(1) == Some('#') {
            self.bump();
            self.bump();
        }
        while let Some(c) = self.peek().filter(|&c| c.is_alphanumeric() || c == '_') {
            ident.push(c);
            self.bump();
        }
        (!ident.is_empty()).then_some(ident)
    }

    /// Scans one value, records its span under `path`, and returns the text of a string.
    fn value(&mut self, path: ValuePath, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_trivia();
        let start = self.position();
        let mut text = None;
        match self.peek()? {
            '(' => self.parens(&path, depth),
            '[' => self.list(&path, depth),
            '{' => self.map(&path, depth),
            '"' => text = Some(self.string()),
            'r' if matches!(self.peek_at(1), Some('"' | '#')) && !self.is_raw_ident() => {
                text = Some(self.raw_string());
            }
            'b' if self.peek_at(1) == Some('"') => {
                self.bump();
                text = Some(self.string());
            }
            '\'' => {
                self.bump();
                while let Some(c) = self.bump() {
                    if c == '\\' {
                        self.bump();
                    } else if c == '\'' {
                        break;
                    }
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                self.ident();
                self.skip_trivia();
                if self.peek() == Some('(') {
                    self.parens(&path, depth);
                }
            }
            _ => {
                let before = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '+' | '-' | '_'))
                {
                    self.bump();
                }
                if self.pos == before {
                    // Not a value we know: consume one character so the scan always ends.
                    self.bump();
                }
            }
        }
        let end = self.position();
        self.map.spans.insert(path, Span { start, end });
        text
    }

    fn is_raw_ident(&self) -> bool {
        self.peek_at(1) == Some('#')
            && self
                .peek_at(2)
                .is_some_and(|c| c.is_alphabetic() || c == '_')
    }

    fn string(&mut self) -> String {
        let mut text = String::new();
        self.bump();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    if let Some(escaped) = self.bump() {
                        text.push(escaped);
                    }
                }
                '"' => break,
                c => text.push(c),
            }
        }
        text
    }

    fn raw_string(&mut self) -> String {
        self.bump();
        let mut hashes = 0;
        while self.peek() == Some('#') {
            self.bump();
            hashes += 1;
        }
        self.bump();
        let mut text = String::new();
        while let Some(c) = self.bump() {
            if c == '"' && (0..hashes).all(|i| self.peek_at(i) == Some('#')) {
                for _ in 0..hashes {
                    self.bump();
                }
                break;
            }
            text.push(c);
        }
        text
    }

    /// `( … )`: a struct's fields when it starts with `name:`, else tuple elements.
    fn parens(&mut self, path: &ValuePath, depth: usize) {
        self.bump();
        if self.starts_struct_field() {
            loop {
                self.skip_trivia();
                let key_start = self.position();
                let Some(name) = self.ident() else { break };
                let key_span = Span {
                    start: key_start,
                    end: self.position(),
                };
                if !self.eat(':') {
                    break;
                }
                let child = path.field(&name);
                self.map.key_spans.insert(child.clone(), key_span);
                self.value(child, depth + 1);
                if !self.eat(',') {
                    break;
                }
            }
        } else {
            self.elements(path, ')', depth);
        }
        self.eat(')');
    }

    fn starts_struct_field(&mut self) -> bool {
        self.skip_trivia();
        let saved = (self.pos, self.line, self.col);
        let is_field = self.ident().is_some() && {
            self.skip_trivia();
            self.peek() == Some(':') && self.peek_at(1) != Some(':')
        };
        (self.pos, self.line, self.col) = saved;
        is_field
    }

    fn list(&mut self, path: &ValuePath, depth: usize) {
        self.bump();
        self.elements(path, ']', depth);
        self.eat(']');
    }

    fn elements(&mut self, path: &ValuePath, close: char, depth: usize) {
        for i in 0.. {
            self.skip_trivia();
            if self.peek().is_none_or(|c| c == close) {
                break;
            }
            let before = self.pos;
            self.value(path.index(i), depth + 1);
            if !self.eat(',') || self.pos == before {
                break;
            }
        }
    }

    fn map(&mut self, path: &ValuePath, depth: usize) {
        self.bump();
        let mut seen = std::collections::HashSet::new();
        for i in 0.. {
            self.skip_trivia();
            if self.peek().is_none_or(|c| c == '}') {
                break;
            }
            let before = self.pos;
            let key_start = self.position();
            let key_text = self.value(path.map_key(i), depth + 1).unwrap_or_default();
            let key_span = Span {
                start: key_start,
                end: self.position(),
            };
            if !self.eat(':') {
                break;
            }
            let child = path.key(&key_text);
            if !seen.insert(key_text) {
                self.map.duplicate_keys.push((child.clone(), key_span));
            }
            self.map.key_spans.insert(child.clone(), key_span);
            self.value(child, depth + 1);
            if !self.eat(',') || self.pos == before {
                break;
            }
        }
        self.eat('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"// A comment
#![enable(implicit_some)]
Routine(
    format: 1,
    title: "Test",
    exercises: {
        "bird-dog": (name: "Bird dog", time: "30 s"),
    },
    sections: [
        Section(title: "A", steps: [
            Step(exercise: "bird-dog"),
            /* nested /* comment */ */ (exercise: "nope", sides: Both),
        ]),
    ],
)
"#;

    /// `sections[section].steps[step]`.
    fn step(section: usize, step: usize) -> ValuePath {
        ValuePath::ROOT
            .field("sections")
            .index(section)
            .field("steps")
            .index(step)
    }

    #[test]
    fn paths_read_as_they_are_written() {
        let time = ValuePath::ROOT
            .field("exercises")
            .key("bird-dog")
            .field("time");
        assert_eq!(time.to_string(), r#"exercises["bird-dog"].time"#);
        assert_eq!(
            step(1, 0).field("exercise").to_string(),
            "sections[1].steps[0].exercise"
        );
        assert_eq!(ValuePath::ROOT.to_string(), "");
    }

    #[test]
    fn finds_fields_elements_and_map_entries() {
        let map = SourceMap::build(SOURCE);
        let root = ValuePath::ROOT;
        let format = root.field("format");
        assert_eq!(map.span(&format).unwrap().start, Position::new(4, 13));
        assert_eq!(
            map.span(&root.field("title")).unwrap().start,
            Position::new(5, 12)
        );
        let time = root.field("exercises").key("bird-dog").field("time");
        assert_eq!(map.span(&time).unwrap().start, Position::new(7, 46));
        assert_eq!(
            map.span(&step(0, 1).field("exercise")).unwrap().start,
            Position::new(12, 51)
        );
        assert_eq!(
            map.key_span(&step(0, 1).field("sides")).unwrap().start,
            Position::new(12, 59)
        );
    }

    #[test]
    fn nearest_walks_up_to_an_enclosing_value() {
        let map = SourceMap::build(SOURCE);
        let step_span = map.span(&step(0, 0)).unwrap();
        assert_eq!(map.nearest(&step(0, 0).field("time")), Some(step_span));
    }

    #[test]
    fn reports_duplicate_map_keys() {
        let map = SourceMap::build(r#"( m: { "a": 1, "b": 2, "a": 3 } )"#);
        assert_eq!(map.duplicate_keys().len(), 1, "one duplicate");
        assert_eq!(map.duplicate_keys()[0].0.to_string(), r#"m["a"]"#);
        assert_eq!(map.duplicate_keys()[0].1.start, Position::new(1, 24));
    }

    #[test]
    fn ends_on_garbage() {
        for junk in [
            "(((((",
            "\"unterminated",
            "/* open",
            "([{)]}",
            "r##\"x\"#",
            "'",
            "#",
        ] {
            let _ = SourceMap::build(junk);
        }
    }
}
