//! A seeded synthetic city: applications with valid IINs, a realistic spread of birth years (six group years),
//! classes (about 1% out of turn, 10% first priority), 5% sanatorium, both languages, registration times over
//! five years. It writes the CSV that `application import` reads; `kezek demo` and the benchmark use it, and
//! the same seed always gives the same file.

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::iin::Iin;
use crate::domain::time::{format_moment, to_local};
use crate::error::{Error, Result};

pub const DISTRICTS: [&str; 8] = [
    "Алатауский",
    "Алмалинский",
    "Ауэзовский",
    "Бостандыкский",
    "Жетысуский",
    "Медеуский",
    "Наурызбайский",
    "Турксибский",
];

const BOYS: [&str; 12] = [
    "Алихан",
    "Нурасыл",
    "Айсултан",
    "Омар",
    "Алинур",
    "Ерасыл",
    "Тимур",
    "Арсений",
    "Данияр",
    "Максим",
    "Амир",
    "Исламбек",
];
const GIRLS: [&str; 12] = [
    "Айлин",
    "Томирис",
    "Медина",
    "Аружан",
    "Раяна",
    "Амина",
    "София",
    "Айша",
    "Жасмин",
    "Дана",
    "Алия",
    "Милана",
];
const SURNAMES: [&str; 12] = [
    "Нурланов",
    "Серикбаев",
    "Ахметов",
    "Жумабаев",
    "Касымов",
    "Иванов",
    "Ким",
    "Омаров",
    "Токтаров",
    "Сейткали",
    "Абенов",
    "Петров",
];
const MOTHERS: [&str; 8] = [
    "Айгерим",
    "Динара",
    "Гульнара",
    "Асель",
    "Мадина",
    "Елена",
    "Жанар",
    "Сауле",
];

const OUT_OF_TURN: [(&str, &str); 3] = [
    ("military", "military_id"),
    ("special_state_body", "service_certificate"),
    ("fallen_in_service", "death_certificate"),
];
const FIRST_PRIORITY: [(&str, &str); 7] = [
    ("orphan", "guardianship_decision"),
    ("without_parental_care", "guardianship_decision"),
    ("disabled_parent", "disability_certificate"),
    ("disabled_child_family", "disability_certificate"),
    ("large_family", "large_family_certificate"),
    ("special_educational_needs", "pmpk_conclusion"),
    ("teacher_child", "employment_certificate"),
];

pub const APPLICATION_HEADER: &str =
    "registered_at,child_iin,child_name,applicant_iin,applicant_name,phone,email,district,queue_type,language,category,docs,consent";

/// Writes `count` applications registered before `now`, as `application import` CSV.
pub fn applications(
    out: &mut impl Write,
    seed: u64,
    count: u64,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    let today = now.date_naive();
    let mut serials: HashMap<NaiveDate, u32> = HashMap::new();
    let io = |e| Error::io("generated CSV", e);
    writeln!(out, "{APPLICATION_HEADER}").map_err(io)?;
    for i in 0..count {
        // Six group years: children from newborn to almost six at `now`, born on any day.
        let age_days = rng.gen_range(30..6 * 365);
        let birth = today - Duration::days(age_days);
        let female = rng.gen_bool(0.5);
        let serial = serials.entry(birth).or_insert(0);
        let child_iin = loop {
            *serial += 1;
            if let Some(iin) = Iin::build(birth, female, *serial) {
                break iin;
            }
        };
        // Registered between birth and now, at most five years back, during office-like hours.
        let earliest = (birth + Duration::days(1)).max(today - Duration::days(5 * 365));
        let span = (today - earliest).num_days().max(1);
        let day = earliest + Duration::days(rng.gen_range(0..span));
        let seconds = rng.gen_range(8 * 3600..21 * 3600);
        let registered = day.and_hms_opt(0, 0, 0).expect("midnight") + Duration::seconds(seconds);
        let registered = crate::domain::time::local(registered).min(now - Duration::seconds(1));
        let surname = SURNAMES[rng.gen_range(0..SURNAMES.len())];
        let first = if female {
            GIRLS[rng.gen_range(0..GIRLS.len())]
        } else {
            BOYS[rng.gen_range(0..BOYS.len())]
        };
        let child_name = if female {
            format!("{surname}а {first}")
        } else {
            format!("{surname} {first}")
        };
        let child_name = child_name
            .replace("Кима", "Ким")
            .replace("Сейткалиа", "Сейткали");
        let mother = MOTHERS[rng.gen_range(0..MOTHERS.len())];
        let mother_birth = NaiveDate::from_ymd_opt(
            rng.gen_range(1978..2002),
            rng.gen_range(1..13),
            rng.gen_range(1..29),
        )
        .expect("a date");
        let applicant_iin = (rng.gen_range(1..9000)..)
            .find_map(|s| Iin::build(mother_birth, true, s))
            .expect("an IIN");
        let applicant_name =
            format!("{}а {mother}", surname.trim_end_matches('а')).replace("Кима", "Ким");
        let phone = format!(
            "+770{}{:07}",
            rng.gen_range(0..10),
            rng.gen_range(0..10_000_000)
        );
        let email = format!("parent{i}@mail.kz");
        let district = DISTRICTS[rng.gen_range(0..DISTRICTS.len())];
        let sanatorium = rng.gen_bool(0.05);
        let language = if rng.gen_bool(0.6) { "kk" } else { "ru" };
        let class_roll: f64 = rng.gen();
        let doc_date = (registered.date_naive() - Duration::days(rng.gen_range(1..60))).max(birth);
        let mut docs = Vec::new();
        let category = if class_roll < 0.01 {
            let (c, d) = OUT_OF_TURN[rng.gen_range(0..OUT_OF_TURN.len())];
            docs.push(format!("{d}:{}:{doc_date}", rng.gen_range(10_000..99_999)));
            c
        } else if class_roll < 0.11 {
            let (c, d) = FIRST_PRIORITY[rng.gen_range(0..FIRST_PRIORITY.len())];
            docs.push(format!("{d}:{}:{doc_date}", rng.gen_range(10_000..99_999)));
            c
        } else {
            ""
        };
        if sanatorium {
            docs.push(format!(
                "medical_conclusion:{}:{doc_date}",
                rng.gen_range(1000..9999)
            ));
        }
        let consent = if rng.gen_bool(0.9) {
            "egov".to_string()
        } else {
            format!("written:{}", registered.date_naive())
        };
        writeln!(
            out,
            "{},{child_iin},{child_name},{applicant_iin},{applicant_name},{phone},{email},{district},{},{language},{category},{},{consent}",
            format_moment(&registered),
            if sanatorium { "sanatorium" } else { "general" },
            docs.join(";"),
        )
        .map_err(io)?;
    }
    Ok(())
}

/// The current moment as the generator's default `now`: midday of a fixed date keeps files reproducible.
pub fn default_now() -> DateTime<FixedOffset> {
    to_local(
        NaiveDate::from_ymd_opt(2026, 3, 16)
            .and_then(|d| d.and_hms_opt(5, 0, 0))
            .expect("a date")
            .and_utc(),
    )
}
