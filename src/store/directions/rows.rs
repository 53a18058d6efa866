//! The stored row of a direction, its views, and `direction show|list`.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::domain::direction::{check_service_completed, DirectionStatus};
use crate::domain::documents::DirectionFacts;
use crate::domain::time::parse_date;
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::store::applications::{self, AppRow};
use crate::store::places;
use crate::tr;

/// The JSON shape of SPEC §9 (`direction issue|show`), and more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DirectionView {
    pub number: String,
    pub application: String,
    pub place_id: i64,
    pub status: String,
    pub issued_at: String,
    pub valid_until: String,
    pub extended: bool,
    pub officer: String,
    pub document: String,
    pub signature: String,
    pub signed_by: String,
    pub org: String,
    pub extension_reason: Option<String>,
    pub closed_at: Option<String>,
    pub close_reason: Option<String>,
    pub benefit_doc_date: Option<String>,
}

/// One row of `direction list`: no document, no personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DirectionListRow {
    pub number: String,
    pub application: String,
    pub place_id: i64,
    pub org: String,
    pub status: String,
    pub issued_at: String,
    pub valid_until: String,
    pub extended: bool,
    pub officer: String,
}

/// A direction as stored, with the org of its place.
pub(super) struct DirectionRow {
    pub(super) number: String,
    pub(super) application: String,
    pub(super) place_id: i64,
    pub(super) status: String,
    pub(super) issued_at: String,
    pub(super) valid_until: String,
    pub(super) extended: bool,
    pub(super) extension_reason: Option<String>,
    pub(super) officer: String,
    pub(super) signed_by: String,
    pub(super) document: String,
    pub(super) signature: Vec<u8>,
    pub(super) closed_at: Option<String>,
    pub(super) close_reason: Option<String>,
    pub(super) benefit_doc_date: Option<String>,
    pub(super) org: String,
}

const SELECT: &str = "SELECT d.number, d.application, d.place_id, d.status, d.issued_at, d.valid_until, d.extended,
    d.extension_reason, d.officer, d.signed_by, d.document, d.signature, d.closed_at, d.close_reason,
    d.benefit_doc_date, p.org FROM direction d JOIN place p ON p.id = d.place_id";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<DirectionRow> {
    Ok(DirectionRow {
        number: r.get(0)?,
        application: r.get(1)?,
        place_id: r.get(2)?,
        status: r.get(3)?,
        issued_at: r.get(4)?,
        valid_until: r.get(5)?,
        extended: r.get(6)?,
        extension_reason: r.get(7)?,
        officer: r.get(8)?,
        signed_by: r.get(9)?,
        document: r.get(10)?,
        signature: r.get(11)?,
        closed_at: r.get(12)?,
        close_reason: r.get(13)?,
        benefit_doc_date: r.get(14)?,
        org: r.get(15)?,
    })
}

pub(super) fn load(conn: &Connection, number: &str) -> Result<DirectionRow> {
    conn.prepare_cached(&format!("{SELECT} WHERE d.number = ?1"))?
        .query_row([number], from_row)
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(tr!("err-directions-not-found", number = number.to_string()))
        })
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl DirectionRow {
    pub(super) fn status(&self) -> Result<DirectionStatus> {
        DirectionStatus::parse("status", &self.status)
    }

    pub(super) fn valid_until(&self) -> Result<NaiveDate> {
        parse_date("valid_until", &self.valid_until)
    }

    fn view(self) -> DirectionView {
        DirectionView {
            signature: base64(&self.signature),
            number: self.number,
            application: self.application,
            place_id: self.place_id,
            status: self.status,
            issued_at: self.issued_at,
            valid_until: self.valid_until,
            extended: self.extended,
            officer: self.officer,
            document: self.document,
            signed_by: self.signed_by,
            org: self.org,
            extension_reason: self.extension_reason,
            closed_at: self.closed_at,
            close_reason: self.close_reason,
            benefit_doc_date: self.benefit_doc_date,
        }
    }
}

pub fn show(db: &impl Access, number: &str) -> Result<DirectionView> {
    let conn = access::conn(db);
    Ok(load(conn, number)?.view())
}

/// Filters of `direction list`.
#[derive(Debug, Clone, Default)]
pub struct DirectionFilter {
    pub status: Option<DirectionStatus>,
    pub application: Option<String>,
    pub org: Option<String>,
    pub limit: Option<usize>,
}

pub fn list(db: &impl Access, f: &DirectionFilter) -> Result<Vec<DirectionListRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE (?1 IS NULL OR d.status = ?1) AND (?2 IS NULL OR d.application = ?2)
           AND (?3 IS NULL OR p.org = ?3) ORDER BY d.issued_at, d.number LIMIT ?4"
    ))?;
    let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
    let rows = stmt.query_map(
        params![f.status.map(|s| s.as_str()), f.application, f.org, limit],
        from_row,
    )?;
    let mut out = Vec::new();
    for row in rows {
        let d = row?;
        out.push(DirectionListRow {
            number: d.number,
            application: d.application,
            place_id: d.place_id,
            org: d.org,
            status: d.status,
            issued_at: d.issued_at,
            valid_until: d.valid_until,
            extended: d.extended,
            officer: d.officer,
        });
    }
    Ok(out)
}

/// The application behind a direction, for documents.
pub fn application_of(db: &impl Access, number: &str) -> Result<AppRow> {
    let conn = access::conn(db);
    let d = load(conn, number)?;
    applications::get(conn, &d.application)
}

/// A direction with what its printable documents say, and the language its family chose.
pub struct Printable {
    pub view: DirectionView,
    pub facts: DirectionFacts,
    pub language: String,
}

/// `direction show`: the direction, and the facts of its printable form.
pub fn printable(db: &impl Access, number: &str) -> Result<Printable> {
    let conn = access::conn(db);
    let view = show(conn, number)?;
    let app = application_of(conn, number)?;
    let facts = DirectionFacts {
        number: view.number.clone(),
        application: view.application.clone(),
        child_name: app.child_name,
        child_birth_date: app.child_birth_date,
        org: view.org.clone(),
        org_name: places::org_name(conn, &view.org)?,
        place_id: view.place_id,
        issued_at: view.issued_at.clone(),
        valid_until: view.valid_until.clone(),
        status: view.status.clone(),
        closed_at: view.closed_at.clone(),
    };
    Ok(Printable {
        view,
        facts,
        language: app.language,
    })
}

/// `direction notice`: what the notice of completed service says, for an enrolled direction only (R-D8).
pub fn completed_service(db: &impl Access, number: &str) -> Result<Printable> {
    let p = printable(db, number)?;
    check_service_completed(
        &p.view.number,
        DirectionStatus::parse("status", &p.view.status)?,
    )?;
    Ok(p)
}
