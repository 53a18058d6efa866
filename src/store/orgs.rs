//! Organizations: one at a time or a whole CSV file at once.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::change::Change;
use super::journal::ORG;
use crate::csvfile::CsvFile;
use crate::domain::org::{NewOrg, OrgInput};
use crate::domain::time::format_moment;
use crate::error::{Error, Result};
use crate::store::access::{self, Access};

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

fn insert(change: &Change, org: &NewOrg) -> Result<()> {
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
    if let Some(name) = existing_name(change.tx(), &org.code)? {
        return Err(Error::bad(format!(
            "code: '{}' exists already ({name})",
            org.code
        )));
    }
    insert(change, org)?;
    change.record(
        "org.add",
        &org.code,
        serde_json::to_value(org).expect("an org serializes"),
        &[(ORG, &org.code)],
    )?;
    Ok(())
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub sha256: String,
    pub rows: u64,
}

pub const IMPORT_REQUIRED: &[&str] = &["code", "name", "kind", "district"];
pub const IMPORT_OPTIONAL: &[&str] = &["phone", "address"];

/// `org import`: every row checked; any bad row and nothing is written (the caller's transaction rolls back).
pub fn import(change: &Change, file: &mut CsvFile, progress: &dyn Fn(u64)) -> Result<ImportReport> {
    let details = serde_json::json!({ "file": file.name, "sha256": file.sha256 });
    let mut event = change.begin_event("org.import", &file.name, details)?;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let rows = file.rows(progress, |row, clean| {
        let org = OrgInput {
            code: row.get("code"),
            name: row.get("name"),
            kind: row.get("kind"),
            district: row.get("district"),
            phone: row.optional("phone"),
            address: row.optional("address"),
        }
        .check()?;
        if let Some(first) = seen.insert(org.code.clone(), row.line) {
            return Err(Error::bad(format!(
                "code: '{}' appears already on line {first}",
                org.code
            )));
        }
        if let Some(name) = existing_name(change.tx(), &org.code)? {
            return Err(Error::bad(format!(
                "code: '{}' exists already ({name})",
                org.code
            )));
        }
        if clean {
            insert(change, &org)?;
            event.touch(ORG, &org.code)?;
        }
        Ok(())
    })?;
    event.finish()?;
    Ok(ImportReport {
        file: file.name.clone(),
        sha256: file.sha256.clone(),
        rows,
    })
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
