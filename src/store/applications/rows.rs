//! The stored row of an application, its lookups, and the views built from it.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row};

use super::queue::positions;
use crate::domain::application::{ApplicationListRow, ApplicationView, Status};
use crate::domain::category::PriorityClass;
use crate::domain::iin::mask;
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::store::reference::{categories, load_settings, CategoryRow};
use crate::tr;

/// The waiting statuses, spelled as the partial index `application_queue` spells them: a query that uses this
/// exact predicate can read that index (SQLite matches a partial index's condition by its form).
pub(super) const WAITING: &str =
    "(status = 'queued' OR status = 'notified' OR status = 'stop_listed')";

/// An application as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRow {
    pub number: String,
    pub queue_type: String,
    pub group_year: i64,
    pub priority_class: String,
    pub category: Option<String>,
    pub status: String,
    pub registered_at: String,
    pub registered_unix: i64,
    pub child_iin: String,
    pub child_name: String,
    pub child_birth_date: String,
    pub applicant_iin: String,
    pub applicant_name: String,
    pub phone: String,
    pub email: String,
    pub district: String,
    pub language: String,
    pub docs: String,
    pub consent: String,
    pub consent_date: String,
    pub expired_count: i64,
    pub stop_list_until: Option<String>,
    pub removed_reason: Option<String>,
    pub preferences: Option<String>,
    pub sibling_group: Option<String>,
    pub transfer: bool,
}

pub(super) const SELECT: &str = "SELECT number, queue_type, group_year, priority_class, category, status, registered_at,
    registered_unix, child_iin, child_name, child_birth_date, applicant_iin, applicant_name, phone, email,
    district, language, docs, consent, consent_date, expired_count, stop_list_until, removed_reason,
    preferences, sibling_group, transfer
    FROM application";

pub(super) fn from_row(r: &Row) -> rusqlite::Result<AppRow> {
    Ok(AppRow {
        number: r.get(0)?,
        queue_type: r.get(1)?,
        group_year: r.get(2)?,
        priority_class: r.get(3)?,
        category: r.get(4)?,
        status: r.get(5)?,
        registered_at: r.get(6)?,
        registered_unix: r.get(7)?,
        child_iin: r.get(8)?,
        child_name: r.get(9)?,
        child_birth_date: r.get(10)?,
        applicant_iin: r.get(11)?,
        applicant_name: r.get(12)?,
        phone: r.get(13)?,
        email: r.get(14)?,
        district: r.get(15)?,
        language: r.get(16)?,
        docs: r.get(17)?,
        consent: r.get(18)?,
        consent_date: r.get(19)?,
        expired_count: r.get(20)?,
        stop_list_until: r.get(21)?,
        removed_reason: r.get(22)?,
        preferences: r.get(23)?,
        sibling_group: r.get(24)?,
        transfer: r.get::<_, Option<i64>>(25)? == Some(1),
    })
}

impl AppRow {
    pub fn status(&self) -> Status {
        Status::parse("status", &self.status).unwrap_or(Status::Removed)
    }

    pub fn class(&self) -> PriorityClass {
        PriorityClass::parse(&self.priority_class).unwrap_or(PriorityClass::General)
    }
}

pub fn load(db: &impl Access, number: &str) -> Result<Option<AppRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE number = ?1"))?;
    Ok(stmt.query_row([number], from_row).optional()?)
}

pub fn get(db: &impl Access, number: &str) -> Result<AppRow> {
    let conn = access::conn(db);
    load(conn, number)?.ok_or_else(|| {
        Error::NotFound(tr!(
            "err-applications-not-found",
            number = number.to_string()
        ))
    })
}

/// R-C5: every application of a sibling group (its first member's number), in registration order.
pub fn sibling_group(db: &impl Access, group: &str) -> Result<Vec<AppRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE sibling_group = ?1 ORDER BY registered_unix, number"
    ))?;
    let rows = stmt.query_map([group], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `application show`: one application with its queue and class positions.
pub fn show(db: &impl Access, number: &str) -> Result<ApplicationView> {
    let k = load_settings(db)?.general_per_first_priority;
    view(db, get(db, number)?, k)
}

/// An application with its benefit category, for the documents that print the category's title.
pub fn show_with_category(
    db: &impl Access,
    number: &str,
) -> Result<(ApplicationView, Option<CategoryRow>)> {
    let view = show(db, number)?;
    let category = categories(db)?
        .into_iter()
        .find(|c| Some(c.name.as_str()) == view.category.as_deref());
    Ok((view, category))
}

/// How `application find` names a child (R-Q9).
#[derive(Debug, Clone, Copy)]
pub enum ChildKey<'a> {
    Iin(&'a str),
    NameAndBirth(&'a str, NaiveDate),
}

/// `application find` (R-Q9): every application of a child, with positions, oldest first.
pub fn find(db: &impl Access, child: ChildKey) -> Result<Vec<ApplicationView>> {
    let k = load_settings(db)?.general_per_first_priority;
    let rows = match child {
        ChildKey::Iin(iin) => find_by_iin(db, iin)?,
        ChildKey::NameAndBirth(name, birth) => find_by_name(db, name, birth)?,
    };
    rows.into_iter().map(|r| view(db, r, k)).collect()
}

fn view(db: &impl Access, app: AppRow, k: u32) -> Result<ApplicationView> {
    let conn = access::conn(db);
    let pos = positions(conn, &app, k)?;
    Ok(ApplicationView {
        queue_position: pos.map(|p| p.0),
        class_position: pos.map(|p| p.1),
        docs: serde_json::from_str(&app.docs).unwrap_or_default(),
        number: app.number,
        status: app.status,
        queue_type: app.queue_type,
        group_year: app.group_year,
        priority_class: app.priority_class,
        category: app.category,
        registered_at: app.registered_at,
        expired_count: app.expired_count,
        stop_list_until: app.stop_list_until,
        removed_reason: app.removed_reason,
        child_iin: app.child_iin,
        child_name: app.child_name,
        child_birth_date: app.child_birth_date,
        applicant_iin: app.applicant_iin,
        applicant_name: app.applicant_name,
        phone: app.phone,
        email: app.email,
        district: app.district,
        language: app.language,
        consent: app.consent,
        consent_date: app.consent_date,
        preferences: app
            .preferences
            .as_deref()
            .map(crate::domain::preference::parse_list)
            .unwrap_or_default(),
        sibling_group: app.sibling_group,
        transfer: app.transfer,
    })
}

pub(super) fn list_row(app: AppRow, pos: Option<(u64, u64)>) -> ApplicationListRow {
    ApplicationListRow {
        queue_position: pos.map(|p| p.0),
        class_position: pos.map(|p| p.1),
        child_iin: mask(&app.child_iin),
        number: app.number,
        status: app.status,
        queue_type: app.queue_type,
        group_year: app.group_year,
        priority_class: app.priority_class,
        category: app.category,
        registered_at: app.registered_at,
        expired_count: app.expired_count,
        stop_list_until: app.stop_list_until,
        removed_reason: app.removed_reason,
        district: app.district,
        language: app.language,
    }
}

/// R-Q9: every application of a child, by IIN.
pub fn find_by_iin(db: &impl Access, iin: &str) -> Result<Vec<AppRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE child_iin = ?1 ORDER BY registered_unix, number"
    ))?;
    let rows = stmt.query_map([iin], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// R-Q9: every application of a child, by full name (case and spacing aside) and birth date.
pub fn find_by_name(db: &impl Access, name: &str, birth: NaiveDate) -> Result<Vec<AppRow>> {
    let conn = access::conn(db);
    let wanted = normalize_name(name);
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE child_birth_date = ?1 ORDER BY registered_unix, number"
    ))?;
    let rows = stmt.query_map([birth.to_string()], from_row)?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if normalize_name(&row.child_name) == wanted {
            out.push(row);
        }
    }
    Ok(out)
}

fn normalize_name(name: &str) -> String {
    name.split_whitespace()
        .map(|w| w.to_lowercase().replace('ё', "е"))
        .collect::<Vec<_>>()
        .join(" ")
}
