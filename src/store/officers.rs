//! Officers (R-A1, R-A2).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::change::Change;
use super::journal::OFFICER;
use crate::crypto::PublicKey;
use crate::domain::officer::NewOfficer;
use crate::domain::time::format_moment;
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::tr;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OfficerRow {
    pub id: String,
    pub name: String,
    pub district: String,
    pub active: bool,
    pub fingerprint: String,
    pub added_at: String,
}

/// Registers an officer. For the very first officer, `first_key` is the key that signs this change: it must be
/// the key being registered, so that the new officer proves they hold it.
pub fn add(
    change: &Change,
    officer: &NewOfficer,
    key: &PublicKey,
    first_key: Option<&PublicKey>,
) -> Result<()> {
    if let Some(signing) = first_key {
        if signing != key {
            return Err(Error::refused("R-A5", tr!("err-officers-first-key")));
        }
    }
    super::districts::check(change, "district", &officer.district)?;
    let tx = change.tx();
    let existing: Option<String> = tx
        .query_row(
            "SELECT name FROM officer WHERE id = ?1",
            [&officer.id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(name) = existing {
        return Err(Error::bad(tr!(
            "err-officers-exists",
            id = officer.id.clone(),
            name = name
        )));
    }
    let fingerprint = key.fingerprint();
    refuse_a_key_in_use(change, &fingerprint)?;
    tx.execute(
        "INSERT INTO officer (id, name, district, public_key, fingerprint, active, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
        params![
            officer.id,
            officer.name,
            officer.district,
            key.pem,
            fingerprint,
            format_moment(&change.now().effective)
        ],
    )?;
    change.record(
        "officer.add",
        &officer.id,
        serde_json::json!({ "name": officer.name, "district": officer.district, "fingerprint": fingerprint, "public_key": key.pem }),
        &[(OFFICER, &officer.id)],
    )?;
    Ok(())
}

pub fn list(db: &impl Access) -> Result<Vec<OfficerRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare(
        "SELECT id, name, district, active, fingerprint, added_at FROM officer ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(OfficerRow {
            id: r.get(0)?,
            name: r.get(1)?,
            district: r.get(2)?,
            active: r.get(3)?,
            fingerprint: r.get(4)?,
            added_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Deactivates an officer: they can no longer change data, and their past signatures stay verifiable. The last
/// active officer cannot be deactivated, or nobody could change anything again.
pub fn deactivate(change: &Change, id: &str) -> Result<()> {
    let tx = change.tx();
    let active: Option<bool> = tx
        .query_row("SELECT active FROM officer WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    match active {
        None => {
            return Err(Error::NotFound(tr!(
                "err-officers-not-found",
                id = id.to_string()
            )))
        }
        Some(false) => {
            return Err(Error::refused(
                "R-A2",
                tr!("err-officers-inactive-already", id = id.to_string()),
            ))
        }
        Some(true) => {}
    }
    let others: i64 = tx.query_row(
        "SELECT count(*) FROM officer WHERE active = 1 AND id <> ?1",
        [id],
        |r| r.get(0),
    )?;
    if others == 0 {
        return Err(Error::refused(
            "R-A2",
            tr!("err-officers-last-active", id = id.to_string()),
        ));
    }
    tx.execute("UPDATE officer SET active = 0 WHERE id = ?1", [id])?;
    change.record(
        "officer.deactivate",
        id,
        serde_json::json!({}),
        &[(OFFICER, &id)],
    )?;
    Ok(())
}

/// Every officer has a key of their own: a key registered to anyone, now or before, is refused.
fn refuse_a_key_in_use(change: &Change, fingerprint: &str) -> Result<()> {
    let holder: Option<String> = change
        .tx()
        .query_row(
            "SELECT id FROM officer WHERE fingerprint = ?1
             UNION ALL
             SELECT subject FROM journal WHERE kind = 'officer.rotate_key'
                 AND json_extract(details, '$.previous_fingerprint') = ?1
             LIMIT 1",
            [fingerprint],
            |r| r.get(0),
        )
        .optional()?;
    match holder {
        Some(holder) => Err(Error::bad(tr!("err-officers-key-in-use", holder = holder))),
        None => Ok(()),
    }
}

/// `officer rotate-key`: the officer's key is `key` from now on; their earlier signatures stay verifiable with the
/// earlier key, which the event keeps. The new key is trusted once a head of another trusted officer covers this
/// event (R-A7), so an officer never rotates their own key: another officer does it for them.
pub fn rotate_key(change: &Change, id: &str, key: &PublicKey) -> Result<()> {
    if change.officer() == id {
        return Err(Error::refused(
            "R-A7",
            tr!("err-officers-own-key", id = id.to_string()),
        ));
    }
    let tx = change.tx();
    let row: Option<(String, String, bool)> = tx
        .query_row(
            "SELECT public_key, fingerprint, active FROM officer WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((previous_key, previous_fingerprint, active)) = row else {
        return Err(Error::NotFound(tr!(
            "err-officers-not-found",
            id = id.to_string()
        )));
    };
    if !active {
        return Err(Error::refused(
            "R-A2",
            tr!("err-officers-inactive", id = id.to_string()),
        ));
    }
    let fingerprint = key.fingerprint();
    refuse_a_key_in_use(change, &fingerprint)?;
    tx.execute(
        "UPDATE officer SET public_key = ?2, fingerprint = ?3 WHERE id = ?1",
        params![id, key.pem, fingerprint],
    )?;
    change.record(
        "officer.rotate_key",
        id,
        serde_json::json!({
            "fingerprint": fingerprint,
            "public_key": key.pem,
            "previous_fingerprint": previous_fingerprint,
            "previous_public_key": previous_key,
        }),
        &[(OFFICER, &id)],
    )?;
    Ok(())
}
