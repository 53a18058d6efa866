//! The individual identification number (ИИН), R-Q4: 12 digits `YYMMDD C NNNN K`, where YYMMDD is the birth
//! date, C the century and sex (1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd male, even female) and K a checksum.

use chrono::NaiveDate;

use crate::error::{Error, Result};

/// A checked IIN and what it says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iin {
    pub digits: String,
    pub birth_date: NaiveDate,
}

const WEIGHTS_1: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of the first 11 digits, or `None` when both weightings give 10 (no valid IIN).
pub fn check_digit(first11: &[u32; 11]) -> Option<u32> {
    let sum = |w: &[u32; 11]| first11.iter().zip(w).map(|(d, w)| d * w).sum::<u32>() % 11;
    match sum(&WEIGHTS_1) {
        10 => match sum(&WEIGHTS_2) {
            10 => None,
            k => Some(k),
        },
        k => Some(k),
    }
}

impl Iin {
    /// Parses and checks an IIN; `field` names it in error messages.
    pub fn parse(field: &str, text: &str) -> Result<Iin> {
        let text = text.trim();
        // The value is echoed masked: an IIN typed with one digit too many, or with a wrong check digit, is
        // still someone's IIN, and error messages end up in terminals, logs and tickets.
        let bad = |why: &str| {
            Error::bad(crate::tr!(
                "err-iin-invalid",
                field = field.to_string(),
                value = mask_typed(text),
                why = crate::tr!(why)
            ))
        };
        if text.len() != 12 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("err-iin-length"));
        }
        let d: Vec<u32> = text.bytes().map(|b| u32::from(b - b'0')).collect();
        let century = match d[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            _ => return Err(bad("err-iin-century")),
        };
        let year = century + (d[0] * 10 + d[1]) as i32;
        let birth_date = NaiveDate::from_ymd_opt(year, d[2] * 10 + d[3], d[4] * 10 + d[5])
            .ok_or_else(|| bad("err-iin-birth-date"))?;
        let first11: [u32; 11] = d[..11].try_into().expect("11 digits");
        match check_digit(&first11) {
            Some(k) if k == d[11] => Ok(Iin {
                digits: text.to_string(),
                birth_date,
            }),
            _ => Err(bad("err-iin-check-digit")),
        }
    }

    /// Builds the IIN of a person born on `birth_date`, with a sex digit and a 4-digit serial; `None` when that
    /// serial has no valid check digit (take the next one).
    pub fn build(birth_date: NaiveDate, female: bool, serial: u32) -> Option<String> {
        use chrono::Datelike;
        let century_digit = match birth_date.year() {
            1800..=1899 => 1,
            1900..=1999 => 3,
            2000..=2099 => 5,
            _ => return None,
        } + u32::from(female);
        let head = format!(
            "{:02}{:02}{:02}{}{:04}",
            birth_date.year() % 100,
            birth_date.month(),
            birth_date.day(),
            century_digit,
            serial % 10_000
        );
        let d: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
        let k = check_digit(&d.try_into().ok()?)?;
        Some(format!("{head}{k}"))
    }
}

/// An IIN as lists and exports show it: birth date and check digit only (`160715*****3`).
pub fn mask(iin: &str) -> String {
    if crate::faults::active(crate::faults::Fault::IinsUnmasked) {
        return iin.to_string();
    }
    if iin.len() == 12 && iin.is_ascii() {
        format!("{}*****{}", &iin[..6], &iin[11..])
    } else {
        "*".repeat(iin.chars().count())
    }
}

/// A value typed where an IIN was expected, as an error message echoes it: quoted, its first six characters
/// (a birth date) and its last one, its length when it is not 12 (`'210124*****7' (13 characters)`). A value of
/// seven characters or fewer is all asterisks. Never more of it than `mask` shows of a real IIN.
pub fn mask_typed(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let shown: String = if n > 7 {
        let head: String = chars[..6].iter().collect();
        format!("{head}*****{}", chars[n - 1])
    } else {
        "*".repeat(n)
    };
    match n {
        12 | 0 => format!("'{shown}'"),
        _ => format!(
            "'{shown}' {}",
            crate::tr!("err-error-characters", count = n as i64)
        ),
    }
}

/// `text` with every run of exactly twelve ASCII digits (not part of a longer run of digits) masked as `mask`
/// masks an IIN. kezek prints every error message through it, so that no message, whatever it echoes (a key
/// the officer typed, a value of a file), shows an IIN in full.
pub fn mask_iins_in(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 12 {
            out.push_str(&text[copied..start]);
            out.push_str(&mask(&text[start..i]));
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn r_q4_a_valid_iin_gives_its_birth_date() {
        let iin = Iin::build(date(2021, 7, 15), false, 123).unwrap();
        let parsed = Iin::parse("child_iin", &iin).unwrap();
        assert_eq!(parsed.birth_date, date(2021, 7, 15));
        assert_eq!(&iin[6..7], "5");
    }

    #[test]
    fn r_q4_wrong_check_digit_is_refused() {
        let iin = Iin::build(date(2021, 7, 15), true, 77).unwrap();
        let last = iin.as_bytes()[11] - b'0';
        let wrong = format!("{}{}", &iin[..11], (last + 1) % 10);
        let err = Iin::parse("child_iin", &wrong).unwrap_err();
        assert_eq!(err.exit_code(), 65);
        assert!(
            err.to_string().contains("child_iin") && err.to_string().contains("check digit"),
            "{err}"
        );
    }

    #[test]
    fn r_q4_birth_date_must_be_real_and_century_known() {
        assert!(Iin::parse("x", "210230500001")
            .unwrap_err()
            .to_string()
            .contains("birth date"));
        assert!(Iin::parse("x", "210715700001")
            .unwrap_err()
            .to_string()
            .contains("7th digit"));
        assert!(Iin::parse("x", "21071550000")
            .unwrap_err()
            .to_string()
            .contains("12 digits"));
        assert!(Iin::parse("x", "2107155000a1").is_err());
    }

    #[test]
    fn r_q4_second_weighting_is_used_when_the_first_gives_ten() {
        // Find a head whose first weighted sum is 10 and check the digit is the second sum.
        let mut found = false;
        for serial in 0..10_000u32 {
            let head = format!("210715{}{:04}", 5, serial);
            let d: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
            let s1: u32 = d.iter().zip(WEIGHTS_1).map(|(a, w)| a * w).sum::<u32>() % 11;
            if s1 == 10 {
                let s2: u32 = d.iter().zip(WEIGHTS_2).map(|(a, w)| a * w).sum::<u32>() % 11;
                let first11: [u32; 11] = d.try_into().unwrap();
                assert_eq!(
                    check_digit(&first11),
                    if s2 == 10 { None } else { Some(s2) }
                );
                found = true;
                if s2 != 10 {
                    assert!(Iin::parse("x", &format!("{head}{s2}")).is_ok());
                }
            }
        }
        assert!(found);
    }

    #[test]
    fn masking_keeps_the_birth_date_and_the_check_digit() {
        assert_eq!(mask("160715500123"), "160715*****3");
    }

    /// The ways an IIN is mistyped in a form or a spreadsheet: each message names the field and the reason,
    /// shows the value masked, and never the IIN's first eleven digits (a wrong check digit is one guess away
    /// from the IIN).
    #[test]
    fn parse_errors_show_the_typed_value_masked_never_the_iin() {
        let iin = (6636..)
            .find_map(|serial| Iin::build(date(2021, 1, 24), false, serial))
            .unwrap();
        let last = &iin[11..];
        let wrong = format!("{}{}", &iin[..11], (last.parse::<u32>().unwrap() + 1) % 10);
        let cases = [
            (
                format!("{iin}{last}"),
                "12 digits",
                format!("'{}*****{last}' (13 characters)", &iin[..6]),
            ),
            (
                format!("'{iin}"),
                "12 digits",
                format!("''{}*****{last}' (13 characters)", &iin[..5]),
            ),
            (
                format!("{iin} 1"),
                "12 digits",
                format!("'{}*****1' (14 characters)", &iin[..6]),
            ),
            (
                iin[..11].to_string(),
                "12 digits",
                format!("'{}*****{}' (11 characters)", &iin[..6], &iin[10..11]),
            ),
            (
                wrong.clone(),
                "check digit",
                format!("'{}*****{}'", &iin[..6], &wrong[11..]),
            ),
            (
                format!("{}7{}", &iin[..6], &iin[7..]),
                "7th digit",
                format!("'{}*****{last}'", &iin[..6]),
            ),
        ];
        for (typed, why, shown) in cases {
            let err = Iin::parse("child_iin", &typed).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("child_iin: {shown} is not a valid IIN (")),
                "{typed}: {err}"
            );
            assert!(err.contains(why), "{typed}: {err}");
            assert!(!err.contains(&iin[..11]), "{typed}: {err}");
            assert!(!err.contains(&wrong[..11]), "{typed}: {err}");
        }
        let err = Iin::parse("--iin", "123").unwrap_err().to_string();
        assert_eq!(
            err,
            "--iin: '***' (3 characters) is not a valid IIN (12 digits expected)"
        );
        let err = Iin::parse("--iin", " ").unwrap_err().to_string();
        assert_eq!(err, "--iin: '' is not a valid IIN (12 digits expected)");
    }

    #[test]
    fn typed_values_are_masked_to_six_characters_and_the_last() {
        assert_eq!(
            mask_typed("2101246636677"),
            "'210124*****7' (13 characters)"
        );
        assert_eq!(mask_typed("210124663667"), "'210124*****7'");
        assert_eq!(mask_typed("ЖЖЖЖЖЖЖЖ"), "'ЖЖЖЖЖЖ*****Ж' (8 characters)");
        assert_eq!(mask_typed("1234567"), "'*******' (7 characters)");
        assert_eq!(mask_typed("x"), "'*' (1 character)");
        assert_eq!(mask_typed(""), "''");
    }

    #[test]
    fn every_run_of_exactly_twelve_digits_is_masked() {
        let iin = "220406504256";
        assert_eq!(
            mask_iins_in(&format!("not found: application {iin}")),
            "not found: application 220406*****6"
        );
        assert_eq!(
            mask_iins_in(&format!("no journal events for '{iin}'")),
            "no journal events for '220406*****6'"
        );
        // At either end, twice, next to letters and Cyrillic text.
        assert_eq!(
            mask_iins_in(&format!("{iin}/x{iin}ж{iin}")),
            "220406*****6/x220406*****6ж220406*****6"
        );
        // Eleven or thirteen digits are not an IIN, nor are numbers, dates and document numbers.
        for kept in [
            "22040650425",
            "2204065042561",
            "DDO.2026.000001.1 NAP.2026.000001 place 12 on 2026-03-16",
            "+77011234567",
            "",
        ] {
            assert_eq!(mask_iins_in(kept), kept);
        }
    }

    /// Whether some maximal run of ASCII digits is exactly twelve long.
    fn has_run_of_twelve(text: &str) -> bool {
        text.split(|c: char| !c.is_ascii_digit())
            .any(|run| run.len() == 12)
    }

    proptest! {
        #[test]
        fn masked_text_has_no_run_of_twelve_digits_and_keeps_the_rest(
            parts in proptest::collection::vec("[0-9]{0,14}|[a-zж .:'-]{0,4}", 0..8)
        ) {
            let text: String = parts.concat();
            let masked = mask_iins_in(&text);
            prop_assert!(!has_run_of_twelve(&masked), "{} -> {}", text, masked);
            prop_assert_eq!(masked.chars().count(), text.chars().count());
            if !has_run_of_twelve(&text) {
                prop_assert_eq!(&masked, &text);
            }
        }

        #[test]
        fn parse_errors_never_show_seven_characters_in_a_row_of_the_value(s in "[0-9]{8,20}") {
            if let Err(e) = Iin::parse("iin", &s) {
                let e = e.to_string();
                for w in 0..=s.len() - 7 {
                    prop_assert!(!e.contains(&s[w..w + 7]), "{} in {}", &s[w..w + 7], e);
                }
            }
        }

        #[test]
        fn r_q4_every_built_iin_parses_back(days in 0i64..60_000, female in any::<bool>(), serial in 0u32..10_000) {
            let birth = date(1900, 1, 1) + chrono::Duration::days(days);
            if let Some(iin) = Iin::build(birth, female, serial) {
                let parsed = Iin::parse("iin", &iin).unwrap();
                prop_assert_eq!(parsed.birth_date, birth);
            }
        }

        #[test]
        fn r_q4_any_other_check_digit_is_refused(serial in 0u32..10_000, delta in 1u8..10) {
            if let Some(iin) = Iin::build(date(2022, 3, 1), false, serial) {
                let mut b = iin.into_bytes();
                b[11] = b'0' + (b[11] - b'0' + delta) % 10;
                prop_assert!(Iin::parse("iin", &String::from_utf8(b).unwrap()).is_err());
            }
        }

        #[test]
        fn iin_parse_never_panics(s in "\\PC{0,20}") {
            let _ = Iin::parse("iin", &s);
        }
    }
}
