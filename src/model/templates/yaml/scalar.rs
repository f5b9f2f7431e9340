//! Scalars as PyYAML's `SafeLoader` types them: the YAML 1.1 implicit types a plain
//! scalar resolves to, and whether the constructor of a scalar type accepts the text
//! (`0b_` is an int PyYAML cannot build, `2001-13-45` a date Python refuses).

use std::sync::LazyLock;

use regex::Regex;

pub(super) const STR: &str = "tag:yaml.org,2002:str";
pub(super) const NULL: &str = "tag:yaml.org,2002:null";
pub(super) const BOOL: &str = "tag:yaml.org,2002:bool";
pub(super) const INT: &str = "tag:yaml.org,2002:int";
pub(super) const FLOAT: &str = "tag:yaml.org,2002:float";
pub(super) const BINARY: &str = "tag:yaml.org,2002:binary";
pub(super) const TIMESTAMP: &str = "tag:yaml.org,2002:timestamp";
pub(super) const MERGE: &str = "tag:yaml.org,2002:merge";
pub(super) const VALUE: &str = "tag:yaml.org,2002:value";

/// One implicit resolver: its tag, the first characters PyYAML registers it under (an
/// empty value is tried against `NULL`'s alone), and its pattern.
struct Resolver {
    tag: &'static str,
    first: &'static str,
    pattern: Regex,
}

/// PyYAML's implicit resolvers, in the order it tries them. Python's `$` also matches
/// before a final line break (a `!`-tagged quoted scalar can end with one).
static IMPLICIT: LazyLock<Vec<Resolver>> = LazyLock::new(|| {
    [
        (
            BOOL,
            "yYnNtTfFoO",
            r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
        ),
        (
            FLOAT,
            "-+0123456789.",
            r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        ),
        (
            INT,
            "-+0123456789",
            r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+",
        ),
        (MERGE, "<", r"<<"),
        (NULL, "~nN", r"~|null|Null|NULL|"),
        (
            TIMESTAMP,
            "0123456789",
            r"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?",
        ),
        (VALUE, "=", r"="),
    ]
    .into_iter()
    .filter_map(|(tag, first, pattern)| {
        let pattern = Regex::new(&format!(r"\A(?:{pattern})\n?\z")).ok()?;
        Some(Resolver {
            tag,
            first,
            pattern,
        })
    })
    .collect()
});

static TIMESTAMP_PARTS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\A(?P<year>[0-9][0-9][0-9][0-9])-(?P<month>[0-9][0-9]?)-(?P<day>[0-9][0-9]?)(?:(?:[Tt]|[ \t]+)(?P<hour>[0-9][0-9]?):(?P<minute>[0-9][0-9]):(?P<second>[0-9][0-9])(?:\.[0-9]*)?(?:[ \t]*(?:Z|(?P<sign>[-+])(?P<tzh>[0-9][0-9]?)(?::(?P<tzm>[0-9][0-9]))?))?)?\n?\z",
    )
    .ok()
});

/// The tag PyYAML gives a scalar it types by its text.
/// As PyYAML's `Resolver.resolve`, only the resolvers registered under the value's first
/// character are tried (each pattern can only match a value starting with one of them).
pub(super) fn implicit_tag(value: &str) -> &'static str {
    let first = value.chars().next();
    IMPLICIT
        .iter()
        .filter(|r| first.map_or(r.tag == NULL, |c| r.first.contains(c)))
        .find(|r| r.pattern.is_match(value))
        .map_or(STR, |r| r.tag)
}

/// Whether `SafeConstructor` builds a value of scalar type `tag` from `value`; `Err`
/// says why not. `None` when `tag` is not a scalar type.
pub(super) fn construct(tag: &str, value: &str) -> Option<Result<(), String>> {
    let ok = match tag {
        STR | NULL => true,
        BOOL => matches!(
            value.to_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "on" | "off"
        ),
        INT => int(value),
        FLOAT => float(value),
        BINARY => binary(value),
        TIMESTAMP => timestamp(value),
        _ => return None,
    };
    let name = tag.rsplit(':').next().unwrap_or(tag);
    Some(if ok {
        Ok(())
    } else {
        Err(format!("cannot construct a {name} from `{value}`"))
    })
}

/// `construct_yaml_int`: underscores dropped, a sign, then `0b…`, `0x…`, `0…` (octal),
/// `a:b:c` (base 60) or decimal, each read by Python's `int()`.
fn int(value: &str) -> bool {
    let value = value.replace('_', "");
    let body = value.strip_prefix(['-', '+']).unwrap_or(&value);
    if value.is_empty() {
        return false;
    }
    if body == "0" {
        true
    } else if let Some(digits) = body.strip_prefix("0b") {
        python_int(digits, 2)
    } else if let Some(digits) = body.strip_prefix("0x") {
        python_int(digits, 16)
    } else if body.starts_with('0') {
        python_int(body, 8)
    } else if body.contains(':') {
        body.split(':').all(|part| python_int(part, 10))
    } else {
        python_int(body, 10)
    }
}

/// Python's `int(text, base)` on text without underscores.
fn python_int(text: &str, base: u32) -> bool {
    let text = text.trim_matches(|c: char| c.is_whitespace());
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let digits = match base {
        2 => strip_prefix_ignore_case(digits, "0b"),
        8 => strip_prefix_ignore_case(digits, "0o"),
        16 => strip_prefix_ignore_case(digits, "0x"),
        _ => digits,
    };
    !digits.is_empty() && digits.chars().all(|c| c.is_digit(base))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> &'a str {
    match text.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &text[prefix.len()..],
        _ => text,
    }
}

/// `construct_yaml_float`: lower-cased, underscores dropped, `.inf`/`.nan`, base 60,
/// else Python's `float()`.
fn float(value: &str) -> bool {
    let value = value.replace('_', "").to_lowercase();
    if value.is_empty() {
        return false;
    }
    let body = value.strip_prefix(['-', '+']).unwrap_or(&value);
    if body == ".inf" || body == ".nan" {
        return true;
    }
    if body.contains(':') {
        return body.split(':').all(python_float);
    }
    python_float(body)
}

/// Python's `float()`: optional sign, digits with one optional point, an exponent, or
/// `inf`/`infinity`/`nan`; surrounding whitespace allowed.
fn python_float(text: &str) -> bool {
    let text = text
        .trim_matches(|c: char| c.is_whitespace())
        .to_lowercase();
    let body = text.strip_prefix(['-', '+']).unwrap_or(&text);
    if matches!(body, "inf" | "infinity" | "nan") {
        return true;
    }
    let (mantissa, exponent) = match body.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok =
        digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// `base64.decodebytes` after `encode('ascii')` (CPython's lenient decoder): ASCII
/// only; characters outside the alphabet are skipped; `=` padding that completes a quad
/// ends the data; otherwise the data must fill whole quads.
fn binary(value: &str) -> bool {
    if !value.is_ascii() {
        return false;
    }
    let mut quad = 0usize;
    let mut pads = 0usize;
    for c in value.chars() {
        if c == '=' {
            if quad >= 2 {
                pads += 1;
                if quad + pads >= 4 {
                    return true;
                }
            }
        } else if c.is_ascii_alphanumeric() || c == '+' || c == '/' {
            pads = 0;
            quad = (quad + 1) % 4;
        }
    }
    quad == 0
}

/// `construct_yaml_timestamp`: a date (or date and time) Python's `datetime` accepts,
/// with an offset of less than a day.
fn timestamp(value: &str) -> bool {
    let Some(parts) = TIMESTAMP_PARTS.as_ref().and_then(|re| re.captures(value)) else {
        return false;
    };
    let number = |name: &str| -> u32 {
        parts
            .name(name)
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(0)
    };
    let (year, month, day) = (number("year"), number("month"), number("day"));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if year == 0 || day == 0 || day > days {
        return false;
    }
    if parts.name("hour").is_some()
        && (number("hour") > 23 || number("minute") > 59 || number("second") > 59)
    {
        return false;
    }
    parts.name("sign").is_none() || number("tzh") * 60 + number("tzm") < 24 * 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_builds_like_pyyaml() {
        assert_eq!(implicit_tag("2010-09-09"), TIMESTAMP);
        assert_eq!(implicit_tag("0b_"), INT);
        assert_eq!(implicit_tag("="), VALUE);
        assert_eq!(implicit_tag("app.handler"), STR);
        assert_eq!(implicit_tag(""), NULL);
        // One value per first character PyYAML registers a resolver under.
        for (value, tag) in [
            ("yes", BOOL),
            ("Off", BOOL),
            ("-1.5", FLOAT),
            ("-.5", STR),
            (".inf", FLOAT),
            ("+0x1f", INT),
            ("190:20:30", INT),
            ("<<", MERGE),
            ("~", NULL),
            ("Null", NULL),
            ("2001-12-14t21:59:43.10-05:00", TIMESTAMP),
            ("nope", STR),
            ("y", STR),
            (" yes", STR),
        ] {
            assert_eq!(implicit_tag(value), tag, "{value:?}");
        }
        assert!(construct(INT, "0b_").is_some_and(|r| r.is_err()));
        assert!(construct(INT, "0x1F").is_some_and(|r| r.is_ok()));
        assert!(construct(TIMESTAMP, "2001-13-45").is_some_and(|r| r.is_err()));
        assert!(construct(TIMESTAMP, "2000-02-29 23:59:59 -23:59").is_some_and(|r| r.is_ok()));
        assert!(construct(BINARY, "aGk=").is_some_and(|r| r.is_ok()));
        assert!(construct(BINARY, "xx").is_some_and(|r| r.is_err()));
        assert!(construct(FLOAT, "1.e+1").is_some_and(|r| r.is_ok()));
        assert!(construct(BOOL, "maybe").is_some_and(|r| r.is_err()));
        assert!(construct(MERGE, "<<").is_none());
    }
}
