//! Applications: their vocabulary and the checks on registration (R-Q3..R-Q7).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::Serialize;

use super::category::PriorityClass;
use super::fields;
use super::iin::Iin;
use super::settings::Settings;
use super::time::parse_date;
use crate::error::{Error, Result};
use crate::tr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueType {
    General,
    Sanatorium,
}

impl QueueType {
    pub const ALL: [QueueType; 2] = [QueueType::General, QueueType::Sanatorium];

    pub fn as_str(self) -> &'static str {
        match self {
            QueueType::General => "general",
            QueueType::Sanatorium => "sanatorium",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<QueueType> {
        let value = value.trim();
        QueueType::ALL
            .into_iter()
            .find(|q| q.as_str() == value)
            .ok_or_else(|| {
                Error::bad(tr!(
                    "err-application-queue-type",
                    field = field.to_string(),
                    value = value.to_string()
                ))
            })
    }

    /// R-Q7: `DDO` for the general queue, `SDDO` for the sanatorium one.
    pub fn number_prefix(self) -> &'static str {
        match self {
            QueueType::General => "DDO",
            QueueType::Sanatorium => "SDDO",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Ru,
    Kk,
}

impl From<Language> for crate::lang::Lang {
    fn from(l: Language) -> crate::lang::Lang {
        match l {
            Language::Ru => crate::lang::Lang::Ru,
            Language::Kk => crate::lang::Lang::Kk,
        }
    }
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Ru => "ru",
            Language::Kk => "kk",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Language> {
        match value.trim() {
            "ru" => Ok(Language::Ru),
            "kk" => Ok(Language::Kk),
            other => Err(Error::bad(tr!(
                "err-application-language",
                field = field.to_string(),
                value = other.to_string()
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Queued,
    Notified,
    StopListed,
    Directed,
    Enrolled,
    Removed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Queued,
        Status::Notified,
        Status::StopListed,
        Status::Directed,
        Status::Enrolled,
        Status::Removed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Notified => "notified",
            Status::StopListed => "stop_listed",
            Status::Directed => "directed",
            Status::Enrolled => "enrolled",
            Status::Removed => "removed",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Status> {
        let value = value.trim();
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| {
                Error::bad(tr!(
                    "err-application-status",
                    field = field.to_string(),
                    value = value.to_string()
                ))
            })
    }

    /// R-Q1: waiting applications make up the queue.
    pub fn is_waiting(self) -> bool {
        matches!(self, Status::Queued | Status::Notified | Status::StopListed)
    }
}

/// A supporting document, by kind, number and issue date only (R-Q3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Document {
    pub kind: String,
    pub number: String,
    pub issue_date: NaiveDate,
}

pub const MEDICAL_CONCLUSION: &str = "medical_conclusion";

impl Document {
    /// `KIND:NUMBER:YYYY-MM-DD`, e.g. `large_family_certificate:123456:2026-01-10`.
    pub fn parse(field: &str, text: &str, today: NaiveDate) -> Result<Document> {
        let text = text.trim();
        let parts: Vec<&str> = text.split(':').map(str::trim).collect();
        let [kind, number, date] = parts[..] else {
            return Err(Error::bad(tr!(
                "err-application-document",
                field = field.to_string(),
                value = text.to_string()
            )));
        };
        let kind = fields::code(&format!("{field} kind"), kind, 64)?;
        let number = fields::required_text(&format!("{field} number"), number, 64)?;
        let issue_date = parse_date(&format!("{field} date"), date)?;
        if issue_date > today {
            return Err(Error::refused(
                "R-Q3",
                tr!(
                    "err-application-document-future",
                    field = field.to_string(),
                    kind = kind,
                    number = number,
                    date = issue_date.to_string()
                ),
            ));
        }
        Ok(Document {
            kind,
            number,
            issue_date,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    Egov,
    Written,
}

/// The applicant's consent to the processing of the child's personal data (Law No. 94-V).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Consent {
    pub kind: ConsentKind,
    pub date: NaiveDate,
}

impl ConsentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentKind::Egov => "egov",
            ConsentKind::Written => "written",
        }
    }
}

impl Consent {
    /// `egov` or `written`, optionally `:YYYY-MM-DD` (default: the registration date).
    pub fn parse(field: &str, text: &str, registered: NaiveDate) -> Result<Consent> {
        let text = text.trim();
        let (kind, date) = match text.split_once(':') {
            Some((k, d)) => (k, Some(d)),
            None => (text, None),
        };
        let kind = match kind.trim() {
            "egov" => ConsentKind::Egov,
            "written" => ConsentKind::Written,
            _ => {
                return Err(Error::bad(tr!(
                    "err-application-consent",
                    field = field.to_string(),
                    value = text.to_string()
                )))
            }
        };
        let date = match date {
            Some(d) => parse_date(&format!("{field} date"), d)?,
            None => registered,
        };
        if date > registered {
            return Err(Error::refused(
                "R-Q3",
                tr!(
                    "err-application-consent-after",
                    field = field.to_string(),
                    date = date.to_string(),
                    registered = registered.to_string()
                ),
            ));
        }
        Ok(Consent { kind, date })
    }
}

/// An e-mail address: one `@`, a dot in the domain, no spaces.
pub fn email(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    let why = if value.is_empty() {
        Some("err-application-email-empty")
    } else if value.len() > 254 {
        Some("err-application-email-long")
    } else if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("err-application-email-space")
    } else {
        match value.split_once('@') {
            None => Some("err-application-email-no-at"),
            Some((_, domain)) if domain.contains('@') => Some("err-application-email-two-at"),
            Some(("", _)) => Some("err-application-email-no-name"),
            Some((_, domain))
                if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') =>
            {
                Some("err-application-email-no-domain")
            }
            Some(_) => None,
        }
    };
    match why {
        None => Ok(value.to_string()),
        // The value itself is not echoed: a mistyped address is still a family's, and import reports are
        // lists that show no family.
        Some(why) => Err(Error::bad(tr!(
            "err-application-email",
            field = field.to_string(),
            why = tr!(why)
        ))),
    }
}

/// The raw fields of a registration, typed or imported.
#[derive(Debug, Clone, Default)]
pub struct RegistrationInput<'a> {
    pub child_iin: &'a str,
    pub child_name: &'a str,
    pub applicant_iin: &'a str,
    pub applicant_name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub district: &'a str,
    pub queue_type: &'a str,
    pub language: &'a str,
    pub category: Option<&'a str>,
    pub docs: Vec<&'a str>,
    pub consent: &'a str,
}

/// A checked registration, ready to be numbered and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub queue_type: QueueType,
    pub group_year: i32,
    pub priority_class: PriorityClass,
    pub category: Option<String>,
    pub registered_at: DateTime<FixedOffset>,
    pub child_iin: String,
    pub child_name: String,
    pub child_birth_date: NaiveDate,
    pub applicant_iin: String,
    pub applicant_name: String,
    pub phone: String,
    pub email: String,
    pub district: String,
    pub language: Language,
    pub docs: Vec<Document>,
    pub consent: Consent,
    /// R-C1: the ranked organizations, `CODE;CODE` (checked against the organizations by the store).
    pub preferences: Option<String>,
    /// R-C5: the first application of the sibling group this one is linked to.
    pub sibling_group: Option<String>,
    /// R-C3: a transfer application of an enrolled child.
    pub transfer: bool,
}

/// Age in full years on a date.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

impl RegistrationInput<'_> {
    /// Checks every field (R-Q3, R-Q4, R-Q5). `class_of` looks a benefit category up (None: unknown).
    pub fn check(
        &self,
        registered_at: DateTime<FixedOffset>,
        settings: &Settings,
        class_of: &dyn Fn(&str) -> Option<PriorityClass>,
    ) -> Result<NewApplication> {
        let today = registered_at.date_naive();
        let child = Iin::parse("child_iin", self.child_iin)?;
        let applicant = Iin::parse("applicant_iin", self.applicant_iin)?;
        let child_name = fields::required_text("child_name", self.child_name, 200)?;
        let applicant_name = fields::required_text("applicant_name", self.applicant_name, 200)?;
        let phone = fields::phone("phone", self.phone)?;
        let email = email("email", self.email)?;
        let district = fields::required_text("district", self.district, 100)?;
        let queue_type = QueueType::parse("queue_type", self.queue_type)?;
        let language = Language::parse("language", self.language)?;
        let consent = Consent::parse("consent", self.consent, today)?;
        let (category, priority_class) =
            // `none` as `set-category` takes it: no category.
            match self
                .category
                .map(str::trim)
                .filter(|c| !c.is_empty() && *c != "none")
            {
                None => (None, PriorityClass::General),
                Some(name) => {
                    let class = class_of(name).ok_or_else(|| {
                        Error::bad(tr!(
                            "err-application-category",
                            field = "category",
                            value = name.to_string()
                        ))
                    })?;
                    (Some(name.to_string()), class)
                }
            };
        let docs = self
            .docs
            .iter()
            .filter(|d| !d.trim().is_empty())
            .map(|d| Document::parse("doc", d, today))
            .collect::<Result<Vec<_>>>()?;
        if child.birth_date > today {
            return Err(Error::refused(
                "R-Q4",
                tr!(
                    "err-application-birth-future",
                    date = child.birth_date.to_string()
                ),
            ));
        }
        let age = age_on(child.birth_date, today);
        if age >= settings.max_age_years as i32 {
            return Err(Error::refused(
                "R-Q5",
                tr!(
                    "err-application-too-old",
                    birth = child.birth_date.to_string(),
                    age = i64::from(age),
                    today = today.to_string(),
                    max = i64::from(settings.max_age_years)
                ),
            ));
        }
        if category.is_some() && docs.iter().all(|d| d.kind == MEDICAL_CONCLUSION) {
            return Err(Error::refused(
                "R-Q3",
                tr!(
                    "err-application-category-needs-doc",
                    category = category.clone().unwrap_or_default()
                ),
            ));
        }
        if queue_type == QueueType::Sanatorium && !docs.iter().any(|d| d.kind == MEDICAL_CONCLUSION)
        {
            return Err(Error::refused(
                "R-Q3",
                tr!("err-application-sanatorium-needs-doc"),
            ));
        }
        Ok(NewApplication {
            queue_type,
            group_year: child.birth_date.year(),
            priority_class,
            category,
            registered_at,
            child_iin: child.digits,
            child_name,
            child_birth_date: child.birth_date,
            applicant_iin: applicant.digits,
            applicant_name,
            phone,
            email,
            district,
            language,
            docs,
            consent,
            preferences: None,
            sibling_group: None,
            transfer: false,
        })
    }
}

/// R-Q7: `DDO.<year>.<seq>.1` or `SDDO.<year>.<seq>.1`, six-digit sequence.
pub fn format_number(queue_type: QueueType, year: i32, seq: u32) -> String {
    format!("{}.{year}.{seq:06}.1", queue_type.number_prefix())
}

/// Checks a number kept from an older system: the R-Q7 shape with the prefix of its queue type. Returns the
/// year and sequence.
pub fn parse_number(field: &str, queue_type: QueueType, text: &str) -> Result<(i32, u32)> {
    let text = text.trim();
    let bad = || {
        Error::bad(tr!(
            "err-application-number",
            field = field.to_string(),
            value = text.to_string(),
            prefix = queue_type.number_prefix()
        ))
    };
    let parts: Vec<&str> = text.split('.').collect();
    let [prefix, year, seq, suffix] = parts[..] else {
        return Err(bad());
    };
    // R-Q7 writes the suffix `.1` and a registration year; nothing else is a number kezek could have given.
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if prefix != queue_type.number_prefix() || !digits(year, 4) || !digits(seq, 6) || suffix != "1"
    {
        return Err(bad());
    }
    let year: i32 = year.parse().map_err(|_| bad())?;
    if !crate::domain::time::YEARS.contains(&year) {
        return Err(bad());
    }
    Ok((year, seq.parse().map_err(|_| bad())?))
}

/// The JSON shape of SPEC §9 (`application register|show|find`), with the child's and applicant's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplicationView {
    pub number: String,
    pub status: String,
    pub queue_type: String,
    pub group_year: i64,
    pub priority_class: String,
    pub category: Option<String>,
    pub queue_position: Option<u64>,
    pub class_position: Option<u64>,
    pub registered_at: String,
    pub expired_count: i64,
    pub stop_list_until: Option<String>,
    pub removed_reason: Option<String>,
    pub child_iin: String,
    pub child_name: String,
    pub child_birth_date: String,
    pub applicant_iin: String,
    pub applicant_name: String,
    pub phone: String,
    pub email: String,
    pub district: String,
    pub language: String,
    pub docs: Vec<Document>,
    pub consent: String,
    pub consent_date: String,
    /// R-C1: the organizations ranked, best first.
    pub preferences: Vec<String>,
    /// R-C5: the first application of its sibling group.
    pub sibling_group: Option<String>,
    /// R-C3: a transfer application.
    pub transfer: bool,
}

/// The same keys for lists and exports: IINs masked, no names or contacts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplicationListRow {
    pub number: String,
    pub status: String,
    pub queue_type: String,
    pub group_year: i64,
    pub priority_class: String,
    pub category: Option<String>,
    pub queue_position: Option<u64>,
    pub class_position: Option<u64>,
    pub registered_at: String,
    pub expired_count: i64,
    pub stop_list_until: Option<String>,
    pub removed_reason: Option<String>,
    pub child_iin: String,
    pub district: String,
    pub language: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_moment;

    fn child_iin(birth: NaiveDate) -> String {
        (0..).find_map(|s| Iin::build(birth, false, s)).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn class_of(name: &str) -> Option<PriorityClass> {
        match name {
            "military" => Some(PriorityClass::OutOfTurn),
            "large_family" => Some(PriorityClass::FirstPriority),
            _ => None,
        }
    }

    struct Owned {
        child: String,
        applicant: String,
    }

    fn owned(birth: NaiveDate) -> Owned {
        Owned {
            child: child_iin(birth),
            applicant: (0..)
                .find_map(|s| Iin::build(date(1990, 5, 5), true, s))
                .unwrap(),
        }
    }

    fn input(o: &Owned) -> RegistrationInput<'_> {
        RegistrationInput {
            child_iin: &o.child,
            child_name: "Нурланов Алихан",
            applicant_iin: &o.applicant,
            applicant_name: "Нурланова Айгерим",
            phone: "+77011234567",
            email: "aigerim@example.kz",
            district: "Алмалинский",
            queue_type: "general",
            language: "kk",
            category: None,
            docs: vec![],
            consent: "egov",
        }
    }

    fn now() -> DateTime<FixedOffset> {
        parse_moment("t", "2026-03-16T10:00").unwrap()
    }

    #[test]
    fn r_q3_a_complete_registration_checks() {
        let o = owned(date(2023, 4, 1));
        let app = input(&o)
            .check(now(), &Settings::default(), &class_of)
            .unwrap();
        assert_eq!(app.group_year, 2023);
        assert_eq!(app.priority_class, PriorityClass::General);
        assert_eq!(app.consent.date, date(2026, 3, 16));
    }

    #[test]
    fn r_q3_a_benefit_needs_a_document() {
        let o = owned(date(2023, 4, 1));
        let i = RegistrationInput {
            category: Some("large_family"),
            ..input(&o)
        };
        let err = i.check(now(), &Settings::default(), &class_of).unwrap_err();
        assert_eq!(err.exit_code(), 3);
        assert!(err.to_string().starts_with("R-Q3"), "{err}");
        let i = RegistrationInput {
            category: Some("large_family"),
            docs: vec!["large_family_certificate:77:2026-01-10"],
            ..input(&o)
        };
        let app = i.check(now(), &Settings::default(), &class_of).unwrap();
        assert_eq!(app.priority_class, PriorityClass::FirstPriority);
    }

    #[test]
    fn r_q3_sanatorium_needs_a_medical_conclusion() {
        let o = owned(date(2023, 4, 1));
        let i = RegistrationInput {
            queue_type: "sanatorium",
            ..input(&o)
        };
        assert!(i
            .check(now(), &Settings::default(), &class_of)
            .unwrap_err()
            .to_string()
            .contains("medical conclusion"));
        let i = RegistrationInput {
            queue_type: "sanatorium",
            docs: vec!["medical_conclusion:12:2026-02-01"],
            ..input(&o)
        };
        assert!(i.check(now(), &Settings::default(), &class_of).is_ok());
    }

    #[test]
    fn r_q3_documents_dated_in_the_future_are_refused() {
        let o = owned(date(2023, 4, 1));
        let i = RegistrationInput {
            category: Some("military"),
            docs: vec!["military_id:1:2026-03-17"],
            ..input(&o)
        };
        let err = i.check(now(), &Settings::default(), &class_of).unwrap_err();
        assert!(err.to_string().contains("in the future"), "{err}");
    }

    #[test]
    fn r_q3_unknown_category_and_malformed_fields_name_the_field() {
        let o = owned(date(2023, 4, 1));
        let cases: Vec<(RegistrationInput, &str)> = vec![
            (
                RegistrationInput {
                    category: Some("vip"),
                    ..input(&o)
                },
                "category:",
            ),
            (
                RegistrationInput {
                    email: "aigerim.example.kz",
                    ..input(&o)
                },
                "email:",
            ),
            (
                RegistrationInput {
                    phone: "+7701",
                    ..input(&o)
                },
                "phone:",
            ),
            (
                RegistrationInput {
                    language: "en",
                    ..input(&o)
                },
                "language:",
            ),
            (
                RegistrationInput {
                    consent: "verbal",
                    ..input(&o)
                },
                "consent:",
            ),
            (
                RegistrationInput {
                    child_name: " ",
                    ..input(&o)
                },
                "child_name:",
            ),
            (
                RegistrationInput {
                    applicant_iin: "123",
                    ..input(&o)
                },
                "applicant_iin:",
            ),
            (
                RegistrationInput {
                    docs: vec!["x"],
                    ..input(&o)
                },
                "doc:",
            ),
        ];
        for (i, field) in cases {
            let err = i.check(now(), &Settings::default(), &class_of).unwrap_err();
            assert_eq!(err.exit_code(), 65, "{err}");
            assert!(err.to_string().starts_with(field), "{field}: {err}");
        }
    }

    /// Import reports are lists: a bad e-mail is named and explained, never echoed.
    #[test]
    fn a_bad_email_is_explained_without_the_address() {
        for (value, why) in [
            (
                "family485@privacy-test.kz; papa@privacy-test.kz",
                "it holds a space or a control character",
            ),
            ("family485.privacy-test.kz", "no '@'"),
            ("family485@@privacy-test.kz", "more than one '@'"),
            (
                "family485@privacy-test.kz,papa@privacy-test.kz",
                "more than one '@'",
            ),
            ("@privacy-test.kz", "nothing before '@'"),
            ("family485@privacy-test", "no domain with a dot after '@'"),
            ("family485@privacy-test.", "no domain with a dot after '@'"),
            ("", "empty"),
        ] {
            let err = email("email", value).unwrap_err().to_string();
            assert_eq!(
                err,
                format!(
                    "email: not an e-mail address ({why}; expected one address, e.g. name@mail.kz)"
                ),
                "{value}"
            );
            assert!(
                !err.contains("family485") && !err.contains("privacy-test"),
                "{err}"
            );
        }
        let long = format!("{}@mail.kz", "a".repeat(300));
        assert!(email("email", &long)
            .unwrap_err()
            .to_string()
            .contains("longer than 254"));
        assert_eq!(email("email", " a.b@mail.kz ").unwrap(), "a.b@mail.kz");
    }

    #[test]
    fn r_q4_a_birth_date_in_the_future_is_refused() {
        let o = owned(date(2026, 3, 17));
        let err = input(&o)
            .check(now(), &Settings::default(), &class_of)
            .unwrap_err();
        assert!(err.to_string().starts_with("R-Q4"), "{err}");
    }

    #[test]
    fn r_q5_the_child_must_be_under_the_maximum_age() {
        let o = owned(date(2019, 3, 16));
        let err = input(&o)
            .check(now(), &Settings::default(), &class_of)
            .unwrap_err();
        assert!(err.to_string().starts_with("R-Q5"), "{err}");
        let o = owned(date(2019, 3, 17));
        assert!(input(&o)
            .check(now(), &Settings::default(), &class_of)
            .is_ok());
        let strict = Settings::from_pairs([("max_age_years", "6")]).unwrap();
        assert!(input(&o).check(now(), &strict, &class_of).is_err());
    }

    #[test]
    fn r_q7_numbers_have_the_queue_prefix_and_six_digits() {
        assert_eq!(
            format_number(QueueType::General, 2026, 123),
            "DDO.2026.000123.1"
        );
        assert_eq!(
            format_number(QueueType::Sanatorium, 2026, 7),
            "SDDO.2026.000007.1"
        );
        assert_eq!(
            parse_number("number", QueueType::General, "DDO.2019.004512.1").unwrap(),
            (2019, 4512)
        );
        assert!(parse_number("number", QueueType::Sanatorium, "DDO.2019.004512.1").is_err());
        assert!(parse_number("number", QueueType::General, "DDO.2019.4512.1").is_err());
    }

    #[test]
    fn ages_count_full_years() {
        assert_eq!(age_on(date(2020, 3, 16), date(2026, 3, 15)), 5);
        assert_eq!(age_on(date(2020, 3, 16), date(2026, 3, 16)), 6);
        assert_eq!(age_on(date(2020, 2, 29), date(2026, 2, 28)), 5);
    }
}
