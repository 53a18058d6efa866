//! Organizations: added one at a time (a whole file: `store::import::Orgs`), listed.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::change::Change;
use super::journal::ORG;
use crate::domain::org::NewOrg;
use crate::domain::time::format_moment;
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::tr;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrgRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub district: String,
    pub phone: Option<String>,
    pub address: Option<String>,
}

fn existing_name(conn: &Connection, code: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT name FROM org WHERE code = ?1", [code], |r| r.get(0))
        .optional()?)
}

/// An organization's code must be new (the message names the one that has it).
pub(in crate::store) fn check_new(conn: &Connection, org: &NewOrg) -> Result<()> {
    match existing_name(conn, &org.code)? {
        Some(name) => Err(Error::bad(tr!(
            "err-orgs-exists",
            code = org.code.clone(),
            name = name
        ))),

        None => Ok(()),
    }
}

pub(in crate::store) fn insert(change: &Change, org: &NewOrg) -> Result<()> {
    let mut stmt = change.tx().prepare_cached(
        "INSERT INTO org (code, name, kind, district, phone, address, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    stmt.execute(params![
        org.code,
        org.name,
        org.kind.as_str(),
        org.district,
        org.phone,
        org.address,
        format_moment(&change.now().effective)
    ])?;
    Ok(())
}

pub fn add(change: &Change, org: &NewOrg) -> Result<()> {
    super::districts::check(change, "district", &org.district)?;
    check_new(change.tx(), org)?;
    insert(change, org)?;
    change.record(
        "org.add",
        &org.code,
        serde_json::to_value(org).expect("an org serializes"),
        &[(ORG, &org.code)],
    )?;
    Ok(())
}

pub fn list(db: &impl Access, district: Option<&str>, kind: Option<&str>) -> Result<Vec<OrgRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare(
        "SELECT code, name, kind, district, phone, address FROM org
         WHERE (?1 IS NULL OR district = ?1) AND (?2 IS NULL OR kind = ?2) ORDER BY code",
    )?;
    let rows = stmt.query_map(params![district, kind], |r| {
        Ok(OrgRow {
            code: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            district: r.get(3)?,
            phone: r.get(4)?,
            address: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
