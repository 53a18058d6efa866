//! The writes of one application: registration and its numbering (R-Q3..R-Q7), a change of category, a
//! withdrawal (R-Q8).

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

use super::choice::Choice;
use super::rows::{get, AppRow};
use crate::domain::application::{
    format_number, parse_number, Document, NewApplication, QueueType, RegistrationInput,
};
use crate::domain::category::PriorityClass;
use crate::domain::iin::mask;
use crate::domain::settings::Settings;
use crate::domain::time::format_moment;
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::store::change::Change;
use crate::store::journal::{self, EventWriter, APPLICATION};
use crate::tr;

/// R-Q6: the child's application in this queue type that is neither removed nor enrolled, if any.
pub(in crate::store) fn active_number(
    conn: &Connection,
    child_iin: &str,
    queue_type: QueueType,
) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT number FROM application
         WHERE child_iin = ?1 AND queue_type = ?2 AND status NOT IN ('removed', 'enrolled')",
    )?;
    Ok(stmt
        .query_row(params![child_iin, queue_type.as_str()], |r| r.get(0))
        .optional()?)
}

/// The highest sequence number used for a queue type and year (R-Q7: never reused).
pub(in crate::store) fn last_seq(
    conn: &Connection,
    queue_type: QueueType,
    year: i32,
) -> Result<u32> {
    let prefix = format!("{}.{year}.", queue_type.number_prefix());
    let upper = format!("{}.{year}/", queue_type.number_prefix());
    let last: Option<String> = conn
        .prepare_cached("SELECT number FROM application WHERE number >= ?1 AND number < ?2 ORDER BY number DESC LIMIT 1")?
        .query_row(params![prefix, upper], |r| r.get(0))
        .optional()?;
    Ok(last
        .and_then(|n| parse_number("number", queue_type, &n).ok())
        .map(|(_, seq)| seq)
        .unwrap_or(0))
}

/// The year in an application's new number: that of its registration day.
pub(in crate::store) fn number_year(app: &NewApplication) -> i32 {
    app.registered_at
        .date_naive()
        .format("%Y")
        .to_string()
        .parse()
        .expect("a year")
}

/// A new application's row as it is written: every column of the table in the table's order (a unit test holds
/// the order to the schema), and the row's digest computed from those very values, so that the journal records
/// what is stored without reading it back. An import builds these on its checking thread.
pub struct NewRow {
    pub(in crate::store) number: String,
    pub(in crate::store) app: NewApplication,
    pub(super) values: Vec<Value>,
    pub(super) digest: [u8; 32],
    /// The row's public columns as its public record shows them (R-V1).
    pub(super) public: String,
}

/// The columns of `application` in the table's order, as `NewRow` writes them (a unit test holds them to the
/// schema).
pub(super) const COLUMNS: [&str; 28] = [
    "number",
    "queue_type",
    "group_year",
    "priority_class",
    "category",
    "status",
    "registered_at",
    "registered_unix",
    "child_iin",
    "child_name",
    "child_birth_date",
    "applicant_iin",
    "applicant_name",
    "phone",
    "email",
    "district",
    "language",
    "docs",
    "consent",
    "consent_date",
    "expired_count",
    "stop_list_until",
    "removed_reason",
    "offer_round",
    "removed_at",
    "preferences",
    "sibling_group",
    "transfer",
];

impl NewRow {
    /// Application `number` with the values it is written with, their digest and its public columns as text.
    pub(in crate::store) fn new(number: String, app: NewApplication) -> NewRow {
        let text = |s: &str| Value::Text(s.to_string());
        let values = vec![
            text(&number),
            text(app.queue_type.as_str()),
            Value::Integer(app.group_year.into()),
            text(app.priority_class.as_str()),
            app.category.clone().map_or(Value::Null, Value::Text),
            text("queued"),
            Value::Text(format_moment(&app.registered_at)),
            Value::Integer(app.registered_at.timestamp()),
            text(&app.child_iin),
            text(&app.child_name),
            Value::Text(app.child_birth_date.to_string()),
            text(&app.applicant_iin),
            text(&app.applicant_name),
            text(&app.phone),
            text(&app.email),
            text(&app.district),
            text(app.language.as_str()),
            Value::Text(serde_json::to_string(&app.docs).expect("documents serialize")),
            text(app.consent.kind.as_str()),
            Value::Text(app.consent.date.to_string()),
            Value::Integer(0), // expired_count
            Value::Null,       // stop_list_until
            Value::Null,       // removed_reason
            Value::Null,       // offer_round
            Value::Null,       // removed_at
            app.preferences.clone().map_or(Value::Null, Value::Text),
            app.sibling_group.clone().map_or(Value::Null, Value::Text),
            if app.transfer {
                Value::Integer(1)
            } else {
                Value::Null
            },
        ];
        let digest = journal::values_digest(APPLICATION, &values);
        static PUBLIC: std::sync::OnceLock<journal::PublicColumns> = std::sync::OnceLock::new();
        let public = PUBLIC
            .get_or_init(|| journal::PublicColumns::new(APPLICATION, &COLUMNS))
            .text(&values);
        NewRow {
            number,
            app,
            values,
            digest,
            public,
        }
    }
}

/// Inserts an application and records it in `event`.
pub(in crate::store) fn insert(
    change: &Change,
    event: &mut EventWriter,
    row: &NewRow,
) -> Result<()> {
    let mut stmt = change.tx().prepare_cached(insert_sql())?;
    stmt.execute(rusqlite::params_from_iter(&row.values))?;
    event.touch_written(APPLICATION, &row.number, row.digest, &row.public)
}

/// The statement `insert` runs, its text made once: an import inserts a million rows through it.
pub(super) fn insert_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        format!(
            "INSERT INTO application VALUES ({})",
            vec!["?"; COLUMNS.len()].join(", ")
        )
    })
}

/// The benefit categories and their classes.
pub fn category_classes(db: &impl Access) -> Result<HashMap<String, PriorityClass>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare("SELECT name, priority_class FROM category")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (name, class) = row?;
        if let Some(class) = PriorityClass::parse(&class) {
            out.insert(name, class);
        }
    }
    Ok(out)
}

pub(in crate::store) fn duplicate(existing: &str, child_iin: &str, queue_type: QueueType) -> Error {
    Error::refused(
        "R-Q6",
        tr!(
            "err-applications-duplicate",
            child = mask(child_iin),
            existing = existing.to_string(),
            queue = queue_type.as_str()
        ),
    )
}

/// `kezek application register`: reads the settings inside the change, then `register`.
pub fn run_register(change: &Change, input: &RegistrationInput) -> Result<String> {
    let settings = crate::store::reference::load_settings(change)?;
    register(change, input, &settings)
}

/// `application register` (R-Q3..R-Q7) with the settings the caller read in this change. Returns the new
/// application's number.
pub fn register(change: &Change, input: &RegistrationInput, settings: &Settings) -> Result<String> {
    register_with(change, input, &Choice::default(), settings)
}

/// `register` with the family's choice (SPEC §12): ranked organizations, a sibling link, a transfer.
pub fn register_with(
    change: &Change,
    input: &RegistrationInput,
    choice: &Choice,
    settings: &Settings,
) -> Result<String> {
    let classes = category_classes(change.tx())?;
    let mut app = input.check(change.now().effective, settings, &|c| {
        classes.get(c).copied()
    })?;
    crate::store::districts::check(change, "district", &app.district)?;
    change.may_reach_district(&app.district)?;
    if let Some(existing) = active_number(change.tx(), &app.child_iin, app.queue_type)? {
        return Err(duplicate(&existing, &app.child_iin, app.queue_type));
    }
    let year = number_year(&app);
    let seq = last_seq(change.tx(), app.queue_type, year)? + 1;
    if seq > 999_999 {
        return Err(Error::Internal(tr!(
            "err-applications-numbers-exhausted",
            year = year
        )));
    }
    let number = format_number(app.queue_type, year, seq);
    let mut event = change.begin_event(
        "application.register",
        &number,
        serde_json::json!({
            "queue_type": app.queue_type.as_str(),
            "group_year": app.group_year,
            "priority_class": app.priority_class.as_str(),
            "category": app.category,
        }),
    )?;
    super::choice::apply(change, &mut event, &mut app, choice, settings)?;
    let row = NewRow::new(number, app);
    insert(change, &mut event, &row)?;
    let (number, app) = (row.number, row.app);
    let fact = crate::domain::notify::Fact::Registered {
        queue_type: app.queue_type.as_str().into(),
        group_year: i64::from(app.group_year),
    };
    crate::store::outbox::notify(change, &mut event, &number, fact)?;
    event.finish()?;
    Ok(number)
}

/// `what`: the id of the message that says what only a waiting application does.
fn require_waiting(app: &AppRow, rule: &'static str, what: &str) -> Result<()> {
    if app.status().is_waiting() {
        Ok(())
    } else {
        Err(Error::refused(
            rule,
            tr!(
                "err-applications-not-waiting",
                number = app.number.clone(),
                status = app.status.clone(),
                what = tr!(what)
            ),
        ))
    }
}

/// R-Q8: a new benefit category (or none) keeps the registration time; the position follows the class. A
/// benefit needs a supporting document given with the change.
pub fn set_category(
    change: &Change,
    number: &str,
    category: Option<&str>,
    docs: &[&str],
) -> Result<(String, String)> {
    let tx = change.tx();
    let app = get(tx, number)?;
    change.may_reach_district(&app.district)?;
    require_waiting(&app, "R-Q8", "err-applications-waiting-category")?;
    let today = change.now().today();
    let new_docs = docs
        .iter()
        .map(|d| Document::parse("--doc", d, today))
        .collect::<Result<Vec<_>>>()?;
    let classes = category_classes(tx)?;
    let class = match category {
        None => PriorityClass::General,
        Some(name) => *classes.get(name).ok_or_else(|| {
            Error::bad(tr!(
                "err-applications-bad-category",
                name = name.to_string()
            ))
        })?,
    };
    if category.is_some()
        && !new_docs
            .iter()
            .any(|d| d.kind != crate::domain::application::MEDICAL_CONCLUSION)
    {
        return Err(Error::refused(
            "R-Q3",
            tr!(
                "err-applications-benefit-doc",
                category = category.unwrap_or_default().to_string()
            ),
        ));
    }
    let mut all_docs: Vec<Document> = serde_json::from_str(&app.docs).unwrap_or_default();
    all_docs.extend(new_docs);
    let from = app.category.clone().unwrap_or_else(|| "none".into());
    let to = category.unwrap_or("none").to_string();
    tx.execute(
        "UPDATE application SET category = ?2, priority_class = ?3, docs = ?4 WHERE number = ?1",
        params![
            number,
            category,
            class.as_str(),
            serde_json::to_string(&all_docs).expect("documents serialize")
        ],
    )?;
    change.record(
        "application.set_category",
        number,
        serde_json::json!({ "from": from, "to": to, "priority_class": class.as_str() }),
        &[(APPLICATION, &number)],
    )?;
    Ok((from, to))
}

/// R-Q8: withdrawn on the applicant's request: `removed` with reason `withdrawn`.
pub fn withdraw(change: &Change, number: &str, reason: &str) -> Result<()> {
    let tx = change.tx();
    let app = get(tx, number)?;
    change.may_reach_district(&app.district)?;
    require_waiting(&app, "R-Q8", "err-applications-waiting-withdraw")?;
    tx.execute(
        "UPDATE application SET status = 'removed', removed_reason = 'withdrawn', stop_list_until = NULL,
            offer_round = NULL, removed_at = ?2 WHERE number = ?1",
        params![number, format_moment(&change.now().effective)],
    )?;
    change.record(
        "application.withdraw",
        number,
        serde_json::json!({ "from": app.status, "reason": reason }),
        &[(APPLICATION, &number)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    use crate::domain::application::{Consent, ConsentKind, Document, Language};
    use crate::store::migrations::MIGRATIONS;

    fn sample(child_iin: &str, category: Option<&str>, docs: usize) -> NewApplication {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        NewApplication {
            queue_type: QueueType::General,
            group_year: 2023,
            priority_class: if category.is_some() {
                PriorityClass::FirstPriority
            } else {
                PriorityClass::General
            },
            category: category.map(str::to_string),
            registered_at: crate::domain::time::parse_moment(
                "registered_at",
                "2024-02-03T09:10:11+05:00",
            )
            .unwrap(),
            child_iin: child_iin.into(),
            child_name: "Ким Алия".into(),
            child_birth_date: day("2023-01-01"),
            applicant_iin: "900101400015".into(),
            applicant_name: "Ким Дана".into(),
            phone: "+77011234567".into(),
            email: "dana@example.kz".into(),
            district: "Алмалинский".into(),
            language: Language::Kk,
            docs: (0..docs)
                .map(|i| Document {
                    kind: "birth_certificate".into(),
                    number: format!("N{i}"),
                    issue_date: day("2023-01-05"),
                })
                .collect(),
            consent: Consent {
                kind: ConsentKind::Egov,
                date: day("2024-02-03"),
            },
            preferences: None,
            sibling_group: None,
            transfer: false,
        }
    }

    /// The digest an import records without reading the row back is the digest of the row as SQLite stores it:
    /// `NewRow` lists every column, in the table's order, with the types the table keeps.
    #[test]
    fn a_new_rows_digest_is_the_digest_of_the_row_stored() {
        let conn = Connection::open_in_memory().unwrap();
        for (_, sql) in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        let category: String = conn
            .query_row(
                "SELECT name FROM category WHERE priority_class = 'first_priority' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let rows = [
            NewRow::new("DDO.2024.000001.1".into(), sample("230101500018", None, 0)),
            NewRow::new(
                "DDO.2024.000002.1".into(),
                sample("230101600013", Some(&category), 2),
            ),
        ];
        let mut stmt = conn
            .prepare(&format!(
                "INSERT INTO application VALUES ({})",
                vec!["?"; rows[0].values.len()].join(", ")
            ))
            .unwrap();
        for row in &rows {
            stmt.execute(rusqlite::params_from_iter(&row.values))
                .unwrap();
        }
        let mut stored = Vec::new();
        journal::each_row_digest(&conn, APPLICATION, "", &[], |_, key, digest| {
            stored.push((key.as_str().unwrap().to_string(), digest));
            Ok(())
        })
        .unwrap();
        let computed: Vec<(String, [u8; 32])> =
            rows.iter().map(|r| (r.number.clone(), r.digest)).collect();
        assert_eq!(stored, computed);
        let columns: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('application')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(rows[0].values.len() as i64, columns);
        let names: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('application') ORDER BY cid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(names, COLUMNS);
    }
}
