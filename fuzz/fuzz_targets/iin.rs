//! `Iin::parse` on arbitrary text. The invariants: no panic; a refusal is a bad-input error (exit 65) whose
//! message starts with the field; an accepted IIN is the trimmed input, twelve digits whose date part is its
//! birth date, whose check digit is the one SPEC §10 computes, and which `Iin::build` makes again from its
//! birth date, sex digit and serial.

#![no_main]

use chrono::Datelike;
use kezek::domain::iin::{check_digit, mask, Iin};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Iin::parse("child_iin", &text) {
        Ok(iin) => {
            assert_eq!(iin.digits, text.trim(), "the digits are the trimmed input");
            let d: Vec<u32> = iin
                .digits
                .bytes()
                .map(|b| {
                    assert!(b.is_ascii_digit(), "{:?} is all digits", iin.digits);
                    u32::from(b - b'0')
                })
                .collect();
            assert_eq!(d.len(), 12, "{:?} has twelve digits", iin.digits);
            let century = match d[6] {
                1 | 2 => 1800,
                3 | 4 => 1900,
                5 | 6 => 2000,
                other => panic!("{:?} accepted with century digit {other}", iin.digits),
            };
            let b = iin.birth_date;
            assert_eq!(b.year(), century + (d[0] * 10 + d[1]) as i32, "{iin:?}");
            assert_eq!(b.month(), d[2] * 10 + d[3], "{iin:?}");
            assert_eq!(b.day(), d[4] * 10 + d[5], "{iin:?}");
            let first11: [u32; 11] = d[..11].try_into().expect("eleven digits");
            assert_eq!(check_digit(&first11), Some(d[11]), "{iin:?}");
            let serial = d[7..11].iter().fold(0, |n, x| n * 10 + x);
            assert_eq!(
                Iin::build(b, d[6].is_multiple_of(2), serial).as_deref(),
                Some(iin.digits.as_str()),
                "build makes the same IIN again"
            );
            assert_eq!(Iin::parse("child_iin", &iin.digits).ok(), Some(iin.clone()));
            let masked = mask(&iin.digits);
            assert_eq!(
                masked,
                format!("{}*****{}", &iin.digits[..6], &iin.digits[11..])
            );
        }
        Err(e) => {
            assert_eq!(e.exit_code(), 65, "{e}");
            assert!(e.to_string().starts_with("child_iin: "), "{e}");
            assert!(!e.to_string().chars().any(char::is_control), "{e:?}");
        }
    }
    let _ = mask(&text);
});
