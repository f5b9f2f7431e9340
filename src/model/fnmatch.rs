//! Python's `fnmatch.fnmatchcase`, for pytest's `python_files`/`python_functions`/
//! `python_classes` patterns.

/// Python's `fnmatch.fnmatchcase`: `*` matches any run (slashes included), `?` one
/// character, `[…]` / `[!…]` a set. Linear-time in the text for each pattern position.
pub fn fnmatch(text: &str, pattern: &str) -> bool {
    if pattern.contains(['?', '[']) {
        token_match(text, pattern)
    } else {
        star_match(text, pattern)
    }
}

/// [`fnmatch`] for any pattern: which text prefixes each pattern token can reach.
fn token_match(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let tokens = tokenize(pattern);
    // reachable[i]: the tokens so far can match text[..i].
    let mut reachable = vec![false; text.len() + 1];
    reachable[0] = true;
    for token in &tokens {
        let mut next = vec![false; text.len() + 1];
        match token {
            Token::Star => {
                let mut any = false;
                for i in 0..=text.len() {
                    any |= reachable[i];
                    next[i] = any;
                }
            }
            Token::One(accepts) => {
                for i in 0..text.len() {
                    if reachable[i] && accepts.matches(text[i]) {
                        next[i + 1] = true;
                    }
                }
            }
        }
        reachable = next;
    }
    reachable[text.len()]
}

/// [`fnmatch`] for a pattern whose only wildcard is `*`: the text must start with the
/// piece before the first `*` and end with the piece after the last, and hold the pieces
/// between in order in what is left, each found leftmost (never losing a match a later
/// piece needs).
fn star_match(text: &str, pattern: &str) -> bool {
    let Some((first, tail)) = pattern.split_once('*') else {
        return text == pattern;
    };
    let (middle, last) = tail.rsplit_once('*').unwrap_or(("", tail));
    let Some(mut rest) = text
        .strip_prefix(first)
        .and_then(|rest| rest.strip_suffix(last))
    else {
        return false;
    };
    for piece in middle.split('*') {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

enum Token {
    Star,
    One(Accepts),
}

enum Accepts {
    Any,
    Char(char),
    Set {
        negated: bool,
        items: Vec<(char, char)>,
    },
}

impl Accepts {
    fn matches(&self, c: char) -> bool {
        match self {
            Accepts::Any => true,
            Accepts::Char(want) => *want == c,
            Accepts::Set { negated, items } => {
                items.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negated
            }
        }
    }
}

fn tokenize(pattern: &str) -> Vec<Token> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => {
                if !matches!(tokens.last(), Some(Token::Star)) {
                    tokens.push(Token::Star);
                }
                i += 1;
            }
            '?' => {
                tokens.push(Token::One(Accepts::Any));
                i += 1;
            }
            '[' => match parse_set(&chars, i + 1) {
                Some((set, end)) => {
                    tokens.push(Token::One(set));
                    i = end;
                }
                None => {
                    tokens.push(Token::One(Accepts::Char('[')));
                    i += 1;
                }
            },
            c => {
                tokens.push(Token::One(Accepts::Char(c)));
                i += 1;
            }
        }
    }
    tokens
}

/// A `[…]` set starting after the `[`; `None` when it is not closed (then `[` is literal).
fn parse_set(chars: &[char], start: usize) -> Option<(Accepts, usize)> {
    let mut i = start;
    let negated = chars.get(i) == Some(&'!');
    if negated {
        i += 1;
    }
    let first = i;
    let mut items = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && i > first {
            return Some((Accepts::Set { negated, items }, i + 1));
        }
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&h| h != ']') {
            items.push((c, chars[i + 2]));
            i += 3;
        } else {
            items.push((c, c));
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnmatch_like_python() {
        assert!(fnmatch("test_app.py", "test_*.py"));
        assert!(!fnmatch("app_test.pyc", "*_test.py"));
        assert!(fnmatch("/r/a/b/check_x.py", "*/a/*/check_*.py"));
        assert!(fnmatch("t1.py", "t[0-9].py"));
        assert!(!fnmatch("t1.py", "t[!0-9].py"));
        assert!(fnmatch("[x.py", "[x.py"));
        assert!(fnmatch("a]b", "a[]]b"));
    }

    /// Every text of up to five characters over `a`, `b`, `/` against every pattern of up
    /// to five over `a`, `b`, `*`: the star-only path answers as the general one.
    #[test]
    fn the_star_only_path_agrees_with_the_general_one() {
        fn all(alphabet: &[char], max: usize) -> Vec<String> {
            let mut out = vec![String::new()];
            let mut last = vec![String::new()];
            for _ in 0..max {
                last = last
                    .iter()
                    .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                    .collect();
                out.extend(last.iter().cloned());
            }
            out
        }
        let texts = all(&['a', 'b', '/'], 5);
        let patterns = all(&['a', 'b', '*'], 5);
        let mut matched = 0;
        for pattern in &patterns {
            for text in &texts {
                let want = token_match(text, pattern);
                assert_eq!(star_match(text, pattern), want, "{text:?} ~ {pattern:?}");
                matched += usize::from(want);
            }
        }
        assert!(matched > 1000, "{matched}");
    }
}
