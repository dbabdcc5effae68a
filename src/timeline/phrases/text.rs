//! A coach's free text cut into tokens, so numbers, units and signs can be said aloud.

/// A piece of free text: a number, a word, a run of spaces, or any other character.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Token {
    /// Digits, with at most one decimal point between digits: `80`, `1.5`.
    Number(String),
    /// Letters: `m`, `at`, `Prozent`.
    Word(String),
    /// Spaces.
    Space(String),
    /// Anything else: `-`, `%`, `,`.
    Other(char),
}

impl Token {
    /// Adds the token's text, as written, to `out`.
    pub(super) fn write(&self, out: &mut String) {
        match self {
            Self::Number(text) | Self::Word(text) | Self::Space(text) => out.push_str(text),
            Self::Other(c) => out.push(*c),
        }
    }

    pub(super) fn is_dash(&self) -> bool {
        matches!(self, Self::Other('-' | '–' | '—'))
    }

    pub(super) fn is_times(&self) -> bool {
        match self {
            Self::Word(word) => word.eq_ignore_ascii_case("x"),
            Self::Other(c) => *c == '×',
            _ => false,
        }
    }
}

/// `text` cut into [`Token`]s; written out in turn, they are the text.
pub(super) fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let run = |keep: &dyn Fn(usize, char) -> bool| -> usize {
            let mut end = i;
            while chars.get(end).is_some_and(|&c| keep(end, c)) {
                end += 1;
            }
            end
        };
        let (end, token): (usize, fn(String) -> Token) = if c.is_ascii_digit() {
            // Digits, and one decimal point between digits.
            let end = run(&|at, c| {
                c.is_ascii_digit()
                    || (c == '.'
                        && chars.get(at + 1).is_some_and(char::is_ascii_digit)
                        && !chars[i..at].contains(&'.'))
            });
            (end, Token::Number)
        } else if c.is_alphabetic() {
            (run(&|_, c| c.is_alphabetic()), Token::Word)
        } else if c.is_whitespace() {
            (run(&|_, c| c.is_whitespace()), Token::Space)
        } else {
            tokens.push(Token::Other(c));
            i += 1;
            continue;
        };
        tokens.push(token(chars[i..end].iter().collect()));
        i = end;
    }
    tokens
}

/// The index of the first token from `from` that `wanted` accepts, past at most one run
/// of spaces.
pub(super) fn after_space(
    tokens: &[Token],
    from: usize,
    wanted: impl Fn(&Token) -> bool,
) -> Option<usize> {
    let at = match tokens.get(from)? {
        Token::Space(_) => from + 1,
        _ => from,
    };
    tokens.get(at).filter(|t| wanted(t)).map(|_| at)
}

/// The number at `from`, past at most one run of spaces, and its index.
pub(super) fn number_after(tokens: &[Token], from: usize) -> Option<(usize, &str)> {
    let at = after_space(tokens, from, |t| matches!(t, Token::Number(_)))?;
    match &tokens[at] {
        Token::Number(digits) => Some((at, digits)),
        _ => None,
    }
}

/// The value of a number token (`80`, `1.5`).
pub(super) fn parse_number(digits: &str) -> f64 {
    digits.parse().unwrap_or(0.0)
}
