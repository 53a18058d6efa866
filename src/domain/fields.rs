//! Checks shared by every record that people type or import: names, codes, phone numbers.
//! Each error names the field it is about.

use crate::error::{Error, Result};

/// A required free-text field: trimmed, not empty, one line, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::bad(format!("{field}: must not be empty")));
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
        return Err(Error::bad(format!(
            "{field}: must be one line without control characters"
        )));
    }
    if value.chars().count() > max {
        return Err(Error::bad(format!("{field}: longer than {max} characters")));
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
        Err(Error::bad(format!(
            "{field}: '{value}' is not valid (1 to {max} of letters A-Z, digits, '.', '_', '-', starting with a letter or digit)"
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
        Err(Error::bad(format!(
            "{field}: '{}' is not a phone number (expected +7 and ten digits, e.g. +77011234567)",
            value.trim()
        )))
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
        assert!(err.to_string().starts_with("phone: '123'"), "{err}");
    }
}
