//! A seeded synthetic city: applications with valid IINs, a realistic spread of birth years (six group years),
//! classes (about 1% out of turn, 10% first priority), 5% sanatorium, both languages, registration times over
//! five years (more for a country: see `YEARLY`). It writes the CSV that `application import` reads; `kezek
//! demo` and the benchmark use it, and the same seed always gives the same file.

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

/// One generated family's application: what `application import` reads in a row, or what an officer types in
/// at `application register`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    pub registered_at: DateTime<FixedOffset>,
    pub child_iin: String,
    pub child_name: String,
    pub applicant_iin: String,
    pub applicant_name: String,
    pub phone: String,
    pub email: String,
    pub district: &'static str,
    pub queue_type: &'static str,
    pub language: &'static str,
    /// The benefit category, `""` for none.
    pub category: &'static str,
    /// `KIND:NUMBER:DATE` each: the category's document, and a sanatorium child's medical conclusion.
    pub docs: Vec<String>,
    pub consent: String,
}

impl Family {
    /// The row of `application import` (columns of [`APPLICATION_HEADER`]).
    pub fn csv_row(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
            format_moment(&self.registered_at),
            self.child_iin,
            self.child_name,
            self.applicant_iin,
            self.applicant_name,
            self.phone,
            self.email,
            self.district,
            self.queue_type,
            self.language,
            self.category,
            self.docs.join(";"),
            self.consent,
        )
    }
}

/// Families registered before `now`, in registration order, from `seed`: the same seed always gives the same
/// families.
pub struct Families {
    rng: StdRng,
    now: DateTime<FixedOffset>,
    serials: HashMap<NaiveDate, u32>,
    next: u64,
    end: u64,
    count: u64,
    batch: u32,
}

impl Families {
    pub fn new(seed: u64, count: u64, now: DateTime<FixedOffset>) -> Families {
        Families {
            rng: StdRng::seed_from_u64(seed),
            now,
            serials: HashMap::new(),
            next: 0,
            end: count,
            count,
            batch: 0,
        }
    }

    /// Families of another batch for the same city: batch `k` (1 to 8) numbers its children's IINs from serial
    /// `k * 1000 + 1` and its e-mails `parent<k>-<i>@mail.kz`, so that they never meet those of batch 0 (the
    /// default, which stays under a thousand children born on one day up to 365,000 families).
    pub fn batch(mut self, k: u32) -> Families {
        assert!(k <= 8, "a batch of families is 0 to 8");
        self.batch = k;
        self
    }
}

impl Iterator for Families {
    type Item = Family;

    fn next(&mut self) -> Option<Family> {
        if self.next >= self.end {
            return None;
        }
        let (i, count, now) = (self.next, self.count, self.now);
        self.next += 1;
        let rng = &mut self.rng;
        let today = now.date_naive();
        // Registrations in time order over five years, in office-like hours; each child registered within its
        // first three years and born at most six years before `now`, so six group years wait. A country's file
        // (more than 4,000,000) spans as many years as keep each year's numbers under R-Q7's 999,999: about
        // 800,000 registrations a year, twice Kazakhstan's births; its children of the earlier years are older.
        let span_days = 365 * count.div_ceil(YEARLY).max(5) as i64;
        let day_offset = ((i as f64 + rng.gen::<f64>()) / count as f64 * span_days as f64) as i64;
        let registered_day = today - Duration::days(span_days - day_offset);
        let seconds = rng.gen_range(8 * 3600..21 * 3600);
        let registered =
            registered_day.and_hms_opt(0, 0, 0).expect("midnight") + Duration::seconds(seconds);
        let registered = crate::domain::time::local(registered).min(now - Duration::seconds(1));
        let registered_day = registered.date_naive();
        let oldest = if (today - registered_day).num_days() <= 5 * 365 {
            (today - Duration::days(6 * 365 - 30)).max(registered_day - Duration::days(3 * 365))
        } else {
            registered_day - Duration::days(3 * 365)
        };
        let youngest = registered_day - Duration::days(1);
        let birth =
            oldest + Duration::days(rng.gen_range(0..=(youngest - oldest).num_days().max(0)));
        let female = rng.gen_bool(0.5);
        let serial = self.serials.entry(birth).or_insert(self.batch * 1000);
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
        let email = match self.batch {
            0 => format!("parent{i}@mail.kz"),
            k => format!("parent{k}-{i}@mail.kz"),
        };
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
        Some(Family {
            registered_at: registered,
            child_iin,
            child_name,
            applicant_iin,
            applicant_name,
            phone,
            email,
            district,
            queue_type: if sanatorium { "sanatorium" } else { "general" },
            language,
            category,
            docs,
            consent,
        })
    }
}

/// Registrations a year at most in a country's file (R-Q7 numbers 999,999 a year).
const YEARLY: u64 = 800_000;

/// Writes `count` applications registered before `now`, as `application import` CSV.
pub fn applications(
    out: &mut impl Write,
    seed: u64,
    count: u64,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    write_csv(out, Families::new(seed, count, now))
}

/// Writes `families` as `application import` CSV, header first.
pub fn write_csv(out: &mut impl Write, families: impl IntoIterator<Item = Family>) -> Result<()> {
    let io = |e| Error::io(crate::tr!("err-generate-csv"), e);
    writeln!(out, "{APPLICATION_HEADER}").map_err(io)?;
    for family in families {
        writeln!(out, "{}", family.csv_row()).map_err(io)?;
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
