//! The field parsers of `src/domain` on arbitrary text; the first byte of the input chooses the parser. The
//! invariants: no panic; a refusal is an error whose message starts with the field it is about (or with the
//! rule, for a refusal by a rule); an accepted value is in its normal form, and normalizing it again gives it
//! back unchanged (the stored form parses to itself).

#![no_main]

use chrono::NaiveDate;
use kezek::domain::application::{
    email, format_number, parse_number, Consent, Document, Language, QueueType, Status,
};
use kezek::domain::calendar::DayKind;
use kezek::domain::category::PriorityClass;
use kezek::domain::direction::DirectionStatus;
use kezek::domain::fields::{code, optional_text, phone, required_text};
use kezek::domain::officer::NewOfficer;
use kezek::domain::org::OrgKind;
use kezek::domain::place::{PlaceStatus, PlaceType};
use kezek::domain::settings::{definition, Settings, SETTINGS};
use kezek::Error;
use libfuzzer_sys::fuzz_target;

/// A refusal names its field first: `field: ...`, or `R-Xn: field: ...` for a rule.
fn refused(e: &Error, field: &str) {
    let text = e.to_string();
    let text = match e {
        Error::Refused { rule, .. } => text
            .strip_prefix(&format!("{rule}: "))
            .unwrap_or_else(|| panic!("a refusal starts with its rule: {text}")),
        Error::BadInput(_) => &text,
        other => panic!("{field}: refused with {other:?}, not bad input or a rule"),
    };
    assert!(
        text.starts_with(&format!("{field}: ")) || text.starts_with(&format!("{field} ")),
        "the error names {field}: {e}"
    );
    assert_ne!(e.exit_code(), 1, "{e}");
    assert!(
        !e.to_string().chars().any(char::is_control),
        "a control character in {e:?}"
    );
}

/// The enumerations: accepted text is exactly the stored form.
fn enums(text: &str) {
    let t = text.trim();
    macro_rules! check {
        ($parse:expr, $field:literal) => {
            match $parse {
                Ok(v) => assert_eq!(v.as_str(), t),
                Err(e) => refused(&e, $field),
            }
        };
    }
    check!(QueueType::parse("queue_type", text), "queue_type");
    check!(Language::parse("language", text), "language");
    check!(Status::parse("status", text), "status");
    check!(OrgKind::parse("kind", text), "kind");
    check!(PlaceType::parse("place_type", text), "place_type");
    check!(PlaceStatus::parse("status", text), "status");
    check!(DirectionStatus::parse("status", text), "status");
    if let Some(k) = DayKind::parse(text) {
        assert_eq!(k.as_str(), text);
    }
    if let Some(c) = PriorityClass::parse(text) {
        assert_eq!(c.as_str(), text);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let today = NaiveDate::from_ymd_opt(2026, 3, 16).expect("a date");
    match choice % 10 {
        0 => match phone("phone", &text) {
            Ok(p) => {
                assert!(
                    p.len() == 12
                        && p.starts_with("+7")
                        && p[2..].bytes().all(|b| b.is_ascii_digit()),
                    "{text:?} read as {p:?}"
                );
                assert_eq!(phone("phone", &p).ok().as_deref(), Some(p.as_str()));
            }
            Err(e) => refused(&e, "phone"),
        },
        1 => match code("code", &text, 32) {
            Ok(c) => {
                assert_eq!(c, text.trim());
                assert!(!c.is_empty() && c.len() <= 32, "{c:?}");
                assert_eq!(code("code", &c, 32).ok().as_deref(), Some(c.as_str()));
            }
            Err(e) => refused(&e, "code"),
        },
        2 => match required_text("name", &text, 200) {
            Ok(v) => {
                assert_eq!(v, text.trim());
                assert!(!v.is_empty() && v.chars().count() <= 200, "{v:?}");
                assert!(!v.chars().any(char::is_control), "{v:?}");
                assert_eq!(
                    required_text("name", &v, 200).ok().as_deref(),
                    Some(v.as_str())
                );
            }
            Err(e) => refused(&e, "name"),
        },
        3 => match optional_text("address", &text, 300) {
            Ok(Some(v)) => {
                assert_eq!(v, text.trim());
                assert!(!v.is_empty() && v.chars().count() <= 300, "{v:?}");
                assert!(!v.chars().any(char::is_control), "{v:?}");
                assert_eq!(
                    optional_text("address", &v, 300).ok().flatten().as_deref(),
                    Some(v.as_str())
                );
            }
            Ok(None) => assert!(text.trim().is_empty(), "{text:?} read as nothing"),
            Err(e) => refused(&e, "address"),
        },
        4 => match email("email", &text) {
            Ok(v) => {
                assert_eq!(v, text.trim());
                assert_eq!(v.matches('@').count(), 1, "{v:?}");
                assert_eq!(email("email", &v).ok().as_deref(), Some(v.as_str()));
            }
            Err(e) => refused(&e, "email"),
        },
        5 => {
            let Some((&which, value)) = rest.split_first() else {
                return;
            };
            let value = String::from_utf8_lossy(value);
            let def = &SETTINGS[usize::from(which) % SETTINGS.len()];
            match def.normalize(&value) {
                Ok(v) => {
                    assert_eq!(def.normalize(&v).ok().as_deref(), Some(v.as_str()));
                    let typed = Settings::from_pairs([(def.key, value.as_ref())])
                        .expect("a value that normalizes is a setting");
                    assert_eq!(
                        Settings::from_pairs([(def.key, v.as_str())]).ok(),
                        Some(typed)
                    );
                }
                Err(e) => {
                    refused(&e, def.key);
                    assert!(Settings::from_pairs([(def.key, value.as_ref())]).is_err());
                }
            }
            match definition(&text) {
                Ok(d) => assert_eq!(d.key, text),
                Err(e) => assert_eq!(e.exit_code(), 2, "{e}"),
            }
        }
        6 => match Document::parse("doc", &text, today) {
            Ok(doc) => {
                assert!(doc.issue_date <= today, "{doc:?}");
                let stored = format!("{}:{}:{}", doc.kind, doc.number, doc.issue_date);
                assert_eq!(
                    Document::parse("doc", &stored, today).ok(),
                    Some(doc.clone()),
                    "{text:?} read as {doc:?}, written as {stored:?}"
                );
            }
            Err(e) => refused(&e, "doc"),
        },
        7 => match Consent::parse("consent", &text, today) {
            Ok(c) => {
                assert!(c.date <= today, "{c:?}");
                let stored = format!("{}:{}", c.kind.as_str(), c.date);
                assert_eq!(
                    Consent::parse("consent", &stored, today).ok(),
                    Some(c),
                    "{text:?} read as {c:?}, written as {stored:?}"
                );
            }
            Err(e) => refused(&e, "consent"),
        },
        8 => {
            for queue_type in QueueType::ALL {
                match parse_number("number", queue_type, &text) {
                    Ok((year, seq)) => {
                        let made = format_number(queue_type, year, seq);
                        assert_eq!(
                            parse_number("number", queue_type, &made).ok(),
                            Some((year, seq))
                        );
                        if text.trim().rsplit('.').next() == Some("1") {
                            assert_eq!(made, text.trim());
                        }
                    }
                    Err(e) => refused(&e, "number"),
                }
            }
        }
        _ => {
            enums(&text);
            let mut parts = text.splitn(3, '\n');
            let (id, name, district) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            match NewOfficer::check(id, name, district) {
                Ok(o) => {
                    assert_eq!(NewOfficer::check(&o.id, &o.name, &o.district).ok(), Some(o));
                }
                Err(e) => {
                    let t = e.to_string();
                    assert!(
                        ["id: ", "name: ", "district: "]
                            .iter()
                            .any(|f| t.starts_with(f)),
                        "{e}"
                    );
                }
            }
        }
    }
});
