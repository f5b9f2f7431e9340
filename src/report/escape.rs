//! Text from the repository (paths, handler strings, messages, custom rule names) is
//! printed with control characters made visible: a raw escape sequence could take over
//! the terminal, and a raw newline could forge a finding line in a CI log.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal or log raw: C0 controls (newline and tab
/// included), DEL, C1 controls, line and paragraph separators, and the bidirectional
/// formatting characters that reorder what is displayed.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every [`is_unsafe`] character written as `\u{…}` (Rust's notation).
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c`, escaped when [`is_unsafe`].
pub fn push_escaped(out: &mut String, c: char) {
    if is_unsafe(c) {
        out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// [`escape`] as an owned string.
pub fn escaped(text: &str) -> String {
    escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_overrides() {
        assert_eq!(escape("plain/path.py"), "plain/path.py");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(
            escape("a\x1b[31m\r\nb\tc\u{7f}\u{85}\u{202e}d\u{2066}"),
            "a\\u{1b}[31m\\u{d}\\u{a}b\\u{9}c\\u{7f}\\u{85}\\u{202e}d\\u{2066}"
        );
        assert_eq!(escape("é ü 名"), "é ü 名");
    }
}
