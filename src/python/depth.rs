//! A token pass before parsing that refuses expressions nested too deeply to parse in
//! bounded memory. ruff's parser recurses once per prefix operator, `**`, `lambda`,
//! `not`, `await` or conditional `else` and grows its stack on the heap as it goes: a
//! 1.9 MB line of minus signs took 1.86 GiB. CPython refuses such modules too (it runs
//! out of recursion between 1,000 and 3,000 nested unary operators).

use ruff_python_ast::token::TokenKind;
use ruff_python_parser::Mode;
use ruff_python_parser::lexer::lex;

use super::PySyntaxError;

/// More right-nested operators than this in one expression is an error.
pub const MAX_EXPRESSION_NESTING: usize = 1_000;

/// Whether a token ends an operand: a `-` after it is binary, not a prefix.
fn ends_operand(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Name
            | TokenKind::Int
            | TokenKind::Float
            | TokenKind::Complex
            | TokenKind::String
            | TokenKind::FStringEnd
            | TokenKind::TStringEnd
            | TokenKind::Rpar
            | TokenKind::Rsqb
            | TokenKind::Rbrace
            | TokenKind::True
            | TokenKind::False
            | TokenKind::None
            | TokenKind::Ellipsis
            | TokenKind::Match
            | TokenKind::Case
            | TokenKind::Type
            | TokenKind::Lazy
    )
}

/// Right-nested operators open in one bracket (or outside any).
#[derive(Default, Clone, Copy)]
struct Level {
    /// Prefix operators (`-`, `+`, `~`, `*`, `not`, `await`) since the last operand.
    prefix: usize,
    /// `**` operators in a chain (they nest to the right).
    power: usize,
    /// `lambda`, conditional `else` and `yield` since the last comma.
    chain: usize,
}

impl Level {
    fn open(self) -> usize {
        self.prefix + self.power + self.chain
    }
}

/// Counts, per logical line, the right-nested operators open at each point: those of
/// every enclosing bracket and of the innermost. A list of ten thousand negative numbers
/// nests one deep; ten thousand minus signs in a row nest ten thousand deep.
pub fn check(text: &str) -> Result<(), PySyntaxError> {
    let mut lexer = lex(text, Mode::Module);
    let mut levels: Vec<Level> = vec![Level::default()];
    // The sum of `open()` over `levels`.
    let mut open = 0usize;
    let mut previous = TokenKind::Newline;
    loop {
        let kind = lexer.next_token();
        let Some(level) = levels.last().copied() else {
            return Ok(());
        };
        let mut next = level;
        match kind {
            TokenKind::EndOfFile => return Ok(()),
            TokenKind::Newline | TokenKind::Semi => {
                levels.clear();
                levels.push(Level::default());
                open = 0;
                previous = kind;
                continue;
            }
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                levels.push(Level::default());
                previous = kind;
                continue;
            }
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace if levels.len() > 1 => {
                open -= levels.pop().map_or(0, Level::open);
                // The bracket closes an operand of the enclosing level.
                if let Some(outer) = levels.last_mut() {
                    open -= outer.prefix;
                    outer.prefix = 0;
                }
                previous = kind;
                continue;
            }
            TokenKind::Comma => next = Level::default(),
            TokenKind::Minus
            | TokenKind::Plus
            | TokenKind::Tilde
            | TokenKind::Star
            | TokenKind::Not
                if !ends_operand(previous) =>
            {
                next.prefix += 1;
            }
            TokenKind::Await => next.prefix += 1,
            TokenKind::DoubleStar => next.power += 1,
            TokenKind::Lambda | TokenKind::Else | TokenKind::Yield => next.chain += 1,
            kind if ends_operand(kind) => next.prefix = 0,
            TokenKind::Dot | TokenKind::Comment | TokenKind::NonLogicalNewline => {}
            // Any other operator ends a `**` chain.
            _ => next.power = 0,
        }
        open = open - level.open() + next.open();
        if let Some(last) = levels.last_mut() {
            *last = next;
        }
        if open > MAX_EXPRESSION_NESTING {
            return Err(PySyntaxError {
                message: format!(
                    "an expression is nested too deeply (more than {MAX_EXPRESSION_NESTING} nested operators)"
                ),
                span: 0..0,
            });
        }
        if !matches!(kind, TokenKind::Comment | TokenKind::NonLogicalNewline) {
            previous = kind;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_long_prefix_chains_only() {
        let deep = |s: &str, n: usize| format!("x = {}1\n", s.repeat(n));
        assert!(check(&deep("-", 1_001)).is_err());
        assert!(check(&deep("- ~", 600)).is_err());
        assert!(check(&deep("not ", 1_001)).is_err());
        assert!(check(&deep("2 ** ", 1_001)).is_err());
        assert!(check(&deep("lambda: ", 1_001)).is_err());
        assert!(check(&deep("1 if 1 else ", 1_001)).is_err());
        assert!(check(&deep("-", 1_000)).is_ok());
        // Binary operators, lists of negative numbers and long files are fine.
        assert!(check(&deep("1 - ", 100_000)).is_ok());
        assert!(check(&format!("x = [{}]\n", "-1, ".repeat(100_000))).is_ok());
        assert!(check(&"x = -1\n".repeat(100_000)).is_ok());
        assert!(
            check(&format!(
                "x = \"{}\"\n# {}\n",
                "-".repeat(10_000),
                "-".repeat(10_000)
            ))
            .is_ok()
        );
        assert!(check(&format!("x = ({})\n", "(-1) + ".repeat(5_000) + "1")).is_ok());
        assert!(check(&format!("x = ({}1)\n", "-a * ".repeat(5_000))).is_ok());
        assert!(check(&format!("x = {}1\n", "a ** 2 + ".repeat(5_000))).is_ok());
        assert!(check(&format!("x = {}1\n", "not a and ".repeat(5_000))).is_ok());
        assert!(check(&format!("x = {}1\n", "a not in b or ".repeat(5_000))).is_ok());
    }
}
