//! Officers (R-A1, R-A2).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::change::Change;
use super::journal::OFFICER;
use crate::crypto::PublicKey;
use crate::domain::officer::NewOfficer;
use crate::domain::role::{self, Role, Standing, CITY_WIDE};
use crate::domain::time::format_moment;
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::tr;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OfficerRow {
    pub id: String,
    pub name: String,
    pub district: String,
    pub role: String,
    pub org: Option<String>,
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
        if officer.role != Role::Admin {
            return Err(Error::refused(
                "R-R1",
                tr!("err-officers-first-admin", role = officer.role.as_str()),
            ));
        }
    }
    check_standing(change, &officer.standing())?;
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
        "INSERT INTO officer (id, name, district, public_key, fingerprint, active, added_at, role, org)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8)",
        params![
            officer.id,
            officer.name,
            officer.district,
            key.pem,
            fingerprint,
            format_moment(&change.now().effective),
            officer.role.as_str(),
            officer.org
        ],
    )?;
    change.record(
        "officer.add",
        &officer.id,
        serde_json::json!({ "name": officer.name, "district": officer.district, "fingerprint": fingerprint,
            "public_key": key.pem, "role": officer.role.as_str(), "org": officer.org }),
        &[(OFFICER, &officer.id)],
    )?;
    Ok(())
}

/// A standing checked against the city (R-R1): its district is one of the city's (or `*`), its organization
/// exists and lies in that district.
fn check_standing(change: &Change, standing: &Standing) -> Result<()> {
    if standing.district != CITY_WIDE {
        super::districts::check(change, "district", &standing.district)?;
    }
    let org_district: Option<String> = match &standing.org {
        Some(org) => change
            .tx()
            .query_row("SELECT district FROM org WHERE code = ?1", [org], |r| {
                r.get(0)
            })
            .optional()?,
        None => None,
    };
    role::check_standing(standing, org_district.as_deref())
}

/// `officer set-role`: `id`'s role and scope are `role` and `org` from now on (R-R1, R-R3). The last active
/// `admin` keeps the role, or nobody could manage officers again.
pub fn set_role(change: &Change, id: &str, role: Role, org: Option<&str>) -> Result<Standing> {
    let (previous, active) = standing_of(change, id)?;
    if !active {
        return Err(Error::refused(
            "R-A2",
            tr!("err-officers-inactive", id = id.to_string()),
        ));
    }
    let standing = Standing {
        role,
        district: previous.district.clone(),
        org: org
            .map(|o| crate::domain::fields::code("--org", o, 32))
            .transpose()?,
    };
    check_standing(change, &standing)?;
    if previous.role == Role::Admin && role != Role::Admin {
        refuse_the_last_admin(change, id)?;
    }
    change.tx().execute(
        "UPDATE officer SET role = ?2, org = ?3 WHERE id = ?1",
        params![id, role.as_str(), standing.org],
    )?;
    change.record(
        "officer.set_role",
        id,
        serde_json::json!({
            "role": role.as_str(),
            "org": standing.org,
            "previous_role": previous.role.as_str(),
            "previous_org": previous.org,
        }),
        &[(OFFICER, &id)],
    )?;
    Ok(standing)
}

/// An officer's standing and whether they are active.
fn standing_of(change: &Change, id: &str) -> Result<(Standing, bool)> {
    let row: Option<(Option<String>, String, Option<String>, bool)> = change
        .tx()
        .query_row(
            "SELECT role, district, org, active FROM officer WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((role, district, org, active)) = row else {
        return Err(Error::NotFound(tr!(
            "err-officers-not-found",
            id = id.to_string()
        )));
    };
    let role = role.map_or(Ok(Role::Admin), |r| Role::parse("officer.role", &r))?;
    Ok((
        Standing {
            role,
            district,
            org,
        },
        active,
    ))
}

/// Refuses a change that leaves no active `admin` but `id` (R-R1).
fn refuse_the_last_admin(change: &Change, id: &str) -> Result<()> {
    let others: i64 = change.tx().query_row(
        "SELECT count(*) FROM officer WHERE active = 1 AND id <> ?1 AND coalesce(role, 'admin') = 'admin'",
        [id],
        |r| r.get(0),
    )?;
    if others == 0 {
        return Err(Error::refused(
            "R-R1",
            tr!("err-officers-last-admin", id = id.to_string()),
        ));
    }
    Ok(())
}

pub fn list(db: &impl Access) -> Result<Vec<OfficerRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare(
        "SELECT id, name, district, coalesce(role, 'admin'), org, active, fingerprint, added_at
         FROM officer ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(OfficerRow {
            id: r.get(0)?,
            name: r.get(1)?,
            district: r.get(2)?,
            role: r.get(3)?,
            org: r.get(4)?,
            active: r.get(5)?,
            fingerprint: r.get(6)?,
            added_at: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Deactivates an officer: they can no longer change data, and their past signatures stay verifiable. The last
/// active officer cannot be deactivated, or nobody could change anything again.
pub fn deactivate(change: &Change, id: &str) -> Result<()> {
    let (standing, active) = standing_of(change, id)?;
    if !active {
        return Err(Error::refused(
            "R-A2",
            tr!("err-officers-inactive-already", id = id.to_string()),
        ));
    }
    let tx = change.tx();
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
    if standing.role == Role::Admin {
        refuse_the_last_admin(change, id)?;
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
