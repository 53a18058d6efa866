//! Capacities (R-I2): `org capacity`, the `capacity` CSV, and the check every publication of places makes.

use rusqlite::{params, OptionalExtension};

use super::access::{self, Access};
use super::change::Change;
use super::journal::CAPACITY;
use crate::domain::capacity::{check_publish, Occupancy};
use crate::domain::fields;
use crate::error::{Error, Result};
use crate::tr;

/// A capacity to declare, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct NewCapacity {
    pub org: String,
    pub group_year: i64,
    pub places: i64,
}

impl NewCapacity {
    /// Checks the fields as typed: an organization code, a group year, a count of places (0 to 10,000).
    pub fn check(
        db: &impl Access,
        org: &str,
        group_year: &str,
        places: &str,
    ) -> Result<NewCapacity> {
        let org = fields::code("org", org, 32)?;
        let number = |field: &str, text: &str, min: i64, max: i64| -> Result<i64> {
            match text.trim().parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(Error::bad(tr!(
                    "err-capacity-number",
                    field = field.to_string(),
                    value = text.trim().to_string(),
                    min = min,
                    max = max
                ))),
            }
        };
        let group_year = number("group_year", group_year, 2000, 2100)?;
        let places = number("places", places, 0, 10_000)?;
        let known: Option<String> = access::conn(db)
            .prepare_cached("SELECT code FROM org WHERE code = ?1")?
            .query_row([&org], |r| r.get(0))
            .optional()?;
        if known.is_none() {
            return Err(Error::NotFound(tr!("err-capacity-org", org = org.clone())));
        }
        Ok(NewCapacity {
            org,
            group_year,
            places,
        })
    }

    fn id(&self) -> String {
        format!("{}/{}", self.org, self.group_year)
    }
}

/// Declares (or changes) a capacity, recording the row in `event`.
pub fn set(
    change: &Change,
    event: &mut super::journal::EventWriter,
    c: &NewCapacity,
) -> Result<()> {
    change.tx().execute(
        "INSERT INTO capacity (id, org, group_year, places) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET places = excluded.places",
        params![c.id(), c.org, c.group_year, c.places],
    )?;
    event.touch(CAPACITY, &c.id())
}

/// `kezek org capacity CODE --group-year Y --places N`: one capacity, journaled.
pub fn declare(change: &Change, c: &NewCapacity) -> Result<()> {
    let details = serde_json::json!({ "group_year": c.group_year, "places": c.places });
    let mut event = change.begin_event("org.capacity", &c.org, details)?;
    set(change, &mut event, c)?;
    event.finish()?;
    Ok(())
}

/// What R-I2 compares for `org`'s `group_year` now.
pub fn occupancy(db: &impl Access, org: &str, group_year: i64) -> Result<Occupancy> {
    let conn = access::conn(db);
    let capacity: Option<i64> = conn
        .prepare_cached("SELECT places FROM capacity WHERE org = ?1 AND group_year = ?2")?
        .query_row(params![org, group_year], |r| r.get(0))
        .optional()?;
    let enrolled: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM enrollment e JOIN place p ON p.id = e.place_id
             WHERE e.org = ?1 AND p.group_year = ?2 AND e.departed_on IS NULL",
        )?
        .query_row(params![org, group_year], |r| r.get(0))?;
    let open: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM place WHERE org = ?1 AND group_year = ?2
               AND status IN ('free', 'offered', 'free_choice', 'directed')",
        )?
        .query_row(params![org, group_year], |r| r.get(0))?;
    Ok(Occupancy {
        capacity,
        enrolled,
        open,
    })
}

/// R-I2: refuses `adding` more places of `org`'s `group_year` beyond its capacity.
pub fn check(db: &impl Access, org: &str, group_year: i64, adding: i64) -> Result<()> {
    check_publish(org, group_year, occupancy(db, org, group_year)?, adding)
}
