//! The city's districts (R-L2): reference data, seeded with the eight districts of Almaty (migration 0007),
//! added to with `kezek district add`. Every district a registration, an organization or an officer names is
//! checked against them here.

use rusqlite::params;
use serde::Serialize;

use super::access::{self, Access};
use super::journal::DISTRICT;
use super::Change;
use crate::domain::district;
use crate::error::{Error, Result};
use crate::tr;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DistrictRow {
    pub name: String,
    pub name_kk: String,
}

pub fn list(db: &impl Access) -> Result<Vec<DistrictRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare("SELECT name, name_kk FROM district ORDER BY name")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(DistrictRow {
                name: r.get(0)?,
                name_kk: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The districts' names, for checking many rows against them.
pub fn names(db: &impl Access) -> Result<Vec<String>> {
    Ok(list(db)?.into_iter().map(|d| d.name).collect())
}

/// `name` when it is one of the city's districts; else refused with the closest names (R-L2).
pub fn check(db: &impl Access, field: &str, name: &str) -> Result<String> {
    district::check(field, name, &names(db)?).map(str::to_string)
}

/// `kezek district add`: a district the city has that kezek does not know yet.
pub fn add(change: &Change, name: &str, name_kk: &str) -> Result<()> {
    let name = crate::domain::fields::required_text("name", name, 100)?;
    let name_kk = crate::domain::fields::required_text("--name-kk", name_kk, 100)?;
    // By letters, whatever their case (SQLite's lower() knows only ASCII).
    let existing = names(change)?
        .into_iter()
        .find(|n| n.to_lowercase() == name.to_lowercase());
    if let Some(existing) = existing {
        return Err(Error::bad(tr!("err-districts-exists", name = existing)));
    }
    change.tx().execute(
        "INSERT INTO district (name, name_kk) VALUES (?1, ?2)",
        params![name, name_kk],
    )?;
    change.record(
        "district.add",
        &name,
        serde_json::json!({ "name_kk": name_kk }),
        &[(DISTRICT, &name)],
    )?;
    Ok(())
}
