//! Checks shared by every record that people type or import: names, codes, phone numbers.
//! Each error names the field it is about.

use crate::error::{Error, Result};
use crate::tr;

/// A required free-text field: trimmed, not empty, one line, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::bad(tr!(
            "err-fields-empty",
            field = field.to_string()
        )));
    }
    optional_text(field, value, max).map(|v| v.unwrap_or_default())
}

/// An optional free-text field: empty means absent.
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().any(char::is_control) {
        return Err(Error::bad(tr!(
            "err-fields-one-line",
            field = field.to_string()
        )));
    }
    if value.chars().count() > max {
        return Err(Error::bad(tr!(
            "err-fields-too-long",
            field = field.to_string(),
            max = max as i64
        )));
    }
    Ok(Some(value.to_string()))
}

/// An identifier: 1 to `max` of ASCII letters, digits, `.`, `_` and `-`, starting with a letter or digit.
pub fn code(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    let ok = !value.is_empty()
        && value.len() <= max
        && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(value.to_string())
    } else {
        Err(Error::bad(tr!(
            "err-fields-code",
            field = field.to_string(),
            value = value.to_string(),
            max = max as i64
        )))
    }
}

/// A Kazakhstan phone number: `+7` and ten digits. Spaces, dashes and brackets are dropped; `8` in front of ten
/// digits is read as `+7`.
pub fn phone(field: &str, value: &str) -> Result<String> {
    let digits: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let normal = match digits.strip_prefix("+7") {
        Some(rest) => rest.to_string(),
        None => match digits.strip_prefix('8') {
            Some(rest) if rest.len() == 10 => rest.to_string(),
            _ => String::new(),
        },
    };
    if normal.len() == 10 && normal.chars().all(|c| c.is_ascii_digit()) {
        Ok(format!("+7{normal}"))
    } else {
        // The value itself is not echoed: a phone number a digit off, or with an extension, is still a
        // family's phone, and import reports are lists that show no family.
        Err(Error::bad(tr!(
            "err-fields-phone",
            field = field.to_string(),
            why = why_not_a_phone(&digits)
        )))
    }
}

/// What is wrong with a phone number (spaces, dashes and brackets already dropped), without its digits.
fn why_not_a_phone(compact: &str) -> String {
    let count = |s: &str| s.chars().filter(char::is_ascii_digit).count() as i64;
    if compact.is_empty() {
        tr!("err-fields-phone-empty")
    } else if compact
        .char_indices()
        .any(|(i, c)| !(c.is_ascii_digit() || (c == '+' && i == 0)))
    {
        tr!("err-fields-phone-characters")
    } else if let Some(rest) = compact.strip_prefix("+7") {
        tr!("err-fields-phone-plus-seven", count = count(rest))
    } else if compact.starts_with('+') {
        tr!("err-fields-phone-country")
    } else if let Some(rest) = compact.strip_prefix('8') {
        tr!("err-fields-phone-eight", count = count(rest))
    } else {
        tr!("err-fields-phone-no-prefix", count = count(compact))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_names_the_field() {
        let err = required_text("name", "  ", 10).unwrap_err();
        assert_eq!(err.to_string(), "name: must not be empty");
        assert_eq!(required_text("name", " Айгуль ", 10).unwrap(), "Айгуль");
        assert!(required_text("name", "a\nb", 10).is_err());
        assert!(required_text("name", "абвгдежзийк", 10).is_err());
    }

    #[test]
    fn codes_are_plain_identifiers() {
        assert_eq!(code("code", "DS-017", 32).unwrap(), "DS-017");
        assert!(code("code", "", 32).is_err());
        assert!(code("code", "-x", 32).is_err());
        assert!(code("code", "ДС1", 32).is_err());
        assert!(code("code", "a b", 32).is_err());
    }

    #[test]
    fn phones_are_plus_seven_and_ten_digits() {
        assert_eq!(
            phone("phone", "+7 (701) 123-45-67").unwrap(),
            "+77011234567"
        );
        assert_eq!(phone("phone", "87011234567").unwrap(), "+77011234567");
        assert!(phone("phone", "+7701123456").is_err());
        assert!(phone("phone", "+770112345678").is_err());
        assert!(phone("phone", "+1 7011234567").is_err());
        let err = phone("phone", "123").unwrap_err();
        assert!(
            err.to_string().starts_with("phone: not a phone number"),
            "{err}"
        );
    }

    /// Import reports are lists: a bad phone is named and explained, never echoed.
    #[test]
    fn a_bad_phone_is_explained_without_its_digits() {
        for (value, why) in [
            (
                "+77474832796 доб. 12",
                "it holds characters other than digits, spaces, dashes and brackets",
            ),
            ("+7 747 483 27 9", "+7 and 9 digits"),
            ("+774748327961", "+7 and 11 digits"),
            ("8 747 483 27 96 1", "8 and 11 digits"),
            ("+1 747 483 27 96", "a country code other than +7"),
            ("7474832796", "10 digits without +7 or 8 in front"),
            ("+7", "+7 and 0 digits"),
            ("  ", "empty"),
        ] {
            let err = phone("phone", value).unwrap_err().to_string();
            assert_eq!(
                err,
                format!("phone: not a phone number ({why}; expected +7 and ten digits, e.g. +77011234567)"),
                "{value}"
            );
            assert!(!err.contains("747483"), "{value}: {err}");
        }
    }
}
