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
    let io = |e| Error::io(crate::tr!("err-generate-csv"), e);
    writeln!(out, "{APPLICATION_HEADER}").map_err(io)?;
    for i in 0..count {
        // Registrations in time order over five years, in office-like hours; each child registered within its
        // first three years and born at most six years before `now`, so six group years wait.
        let span_days = 5 * 365;
        let day_offset = ((i as f64 + rng.gen::<f64>()) / count as f64 * span_days as f64) as i64;
        let registered_day = today - Duration::days(span_days - day_offset);
        let seconds = rng.gen_range(8 * 3600..21 * 3600);
        let registered =
            registered_day.and_hms_opt(0, 0, 0).expect("midnight") + Duration::seconds(seconds);
        let registered = crate::domain::time::local(registered).min(now - Duration::seconds(1));
        let registered_day = registered.date_naive();
        let oldest =
            (today - Duration::days(6 * 365 - 30)).max(registered_day - Duration::days(3 * 365));
        let youngest = registered_day - Duration::days(1);
        let birth =
            oldest + Duration::days(rng.gen_range(0..=(youngest - oldest).num_days().max(0)));
        let female = rng.gen_bool(0.5);
        let serial = serials.entry(birth).or_insert(0);
        let child_iin = loop {
            *serial += 1;
            if let Some(iin) = Iin::build(birth, female, *serial) {
                break iin;
            }
        };
        let surname = SURNAMES[rng.gen_range(0..SURNAMES.len())];
        let first = if female {
            GIRLS[rng.gen_range(0..GIRLS.len())]
        } else {
            BOYS[rng.gen_range(0..BOYS.len())]
        };
        let child_name = if female {
            format!("{} {first}", feminine(surname))
        } else {
            format!("{surname} {first}")
        };
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
        let applicant_name = format!("{} {mother}", feminine(surname));
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

/// The female form of a surname: Нурланов → Нурланова; Ким and Сейткали stay as they are.
fn feminine(surname: &str) -> String {
    if surname.ends_with("ов") || surname.ends_with("ев") || surname.ends_with("ин") {
        format!("{surname}а")
    } else {
        surname.to_string()
    }
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
