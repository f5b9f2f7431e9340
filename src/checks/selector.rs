//! The parameter that picks one of a kind's rules (`finding`, `scope`): an enum read from
//! its kebab-case name. An unknown name is an error that says which parameter it was
//! and lists the valid names, e.g. "unknown finding `nope`, expected one of `arity`, …".

use serde::de::{Deserialize, Deserializer, Error, IntoDeserializer};

/// For `#[serde(deserialize_with = "…")]` on a `finding` parameter.
pub fn finding<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    named("finding", d)
}

/// For `#[serde(deserialize_with = "…")]` on a `scope` parameter.
pub fn scope<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    named("scope", d)
}

fn named<'de, D: Deserializer<'de>, T: Deserialize<'de>>(key: &str, d: D) -> Result<T, D::Error> {
    let name = String::deserialize(d)?;
    T::deserialize(name.as_str().into_deserializer()).map_err(|e: serde::de::value::Error| {
        let text = e.to_string();
        match text.split_once(", expected ") {
            Some((_, expected)) => D::Error::custom(format!(
                "unknown {key} `{}`, expected {expected}",
                name.escape_debug()
            )),
            None => D::Error::custom(format!("{key}: {text}")),
        }
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    enum Pick {
        OneThing,
        Other,
    }

    #[derive(Debug, Deserialize)]
    struct Spec {
        #[serde(deserialize_with = "super::finding")]
        finding: Pick,
    }

    fn parse(text: &str) -> Result<Spec, String> {
        toml::from_str(text).map_err(|e: toml::de::Error| e.message().to_string())
    }

    #[test]
    fn a_known_name_reads_as_its_variant() {
        assert_eq!(
            parse("finding = \"one-thing\"").unwrap().finding,
            Pick::OneThing
        );
    }

    #[test]
    fn an_unknown_name_says_which_parameter_and_lists_the_valid_ones() {
        assert_eq!(
            parse("finding = \"nope\"").unwrap_err(),
            "unknown finding `nope`, expected `one-thing` or `other`"
        );
    }

    #[test]
    fn control_characters_in_the_name_are_escaped() {
        let err = parse("finding = \"a\\u001b[31m\"").unwrap_err();
        assert!(!err.contains('\u{1b}'), "{err:?}");
    }

    #[test]
    fn a_name_that_is_not_a_string_is_a_type_error() {
        let err = parse("finding = 3").unwrap_err();
        assert!(err.contains("expected a string"), "{err}");
    }
}
