//! The signed text of a direction (R-A3): the facts of the application, the place, its org and the officers.

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::crypto::PrivateKey;
use crate::domain::direction::DirectionDocument;
use crate::error::Result;
use crate::store::applications::AppRow;
use crate::store::places;

pub(super) struct OrgInfo {
    pub(super) name: String,
    address: String,
}

pub(super) fn org_info(conn: &Connection, code: &str) -> Result<OrgInfo> {
    Ok(conn
        .prepare_cached("SELECT name, coalesce(address, '') FROM org WHERE code = ?1")?
        .query_row([code], |r| {
            Ok(OrgInfo {
                name: r.get(0)?,
                address: r.get(1)?,
            })
        })?)
}

fn officer_name(conn: &Connection, id: &str) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT name FROM officer WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn document(
    conn: &Connection,
    number: &str,
    app: &AppRow,
    place: &places::PlaceRow,
    issued_at: &str,
    valid_until: NaiveDate,
    extension: Option<String>,
    officer: &str,
    signer: &str,
    key: &PrivateKey,
) -> Result<DirectionDocument> {
    let org = org_info(conn, &place.org)?;
    Ok(DirectionDocument {
        number: number.to_string(),
        application: app.number.clone(),
        child_iin: app.child_iin.clone(),
        child_name: app.child_name.clone(),
        child_birth_date: app.child_birth_date.clone(),
        org: place.org.clone(),
        org_name: org.name,
        org_address: org.address,
        place_id: place.id,
        place_type: place.place_type.clone(),
        group_year: place.group_year,
        language: place.language.clone(),
        issued_at: issued_at.to_string(),
        valid_until: valid_until.to_string(),
        extension,
        officer: officer.to_string(),
        officer_name: officer_name(conn, officer)?,
        signed_by: signer.to_string(),
        key_fingerprint: key.public().fingerprint(),
    })
}
