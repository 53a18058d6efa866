//! Places (R-P1, R-P2, R-P6): published one batch at a time (a whole file: `store::import::Places`), listed,
//! withdrawn.

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::change::Change;
use super::journal::{EventWriter, PLACE};
use crate::domain::application::Language;
use crate::domain::org::OrgKind;
use crate::domain::place::{check_type, PlaceStatus, PlaceType};
use crate::domain::time::{format_moment, parse_date};
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::tr;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlaceRow {
    pub id: i64,
    pub org: String,
    pub group_year: i64,
    pub language: String,
    pub place_type: String,
    pub status: String,
    pub release_date: String,
    pub org_kind: String,
    pub district: String,
}

/// A batch of places to publish, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlaces {
    pub org: String,
    pub group_year: i64,
    pub language: Language,
    pub place_type: PlaceType,
    pub count: u32,
    pub release_date: NaiveDate,
}

pub const MAX_BATCH: u32 = 10_000;

/// The raw fields of a batch, typed or imported.
pub struct PlacesInput<'a> {
    pub org: &'a str,
    pub group_year: &'a str,
    pub language: &'a str,
    pub place_type: Option<&'a str>,
    pub count: &'a str,
    pub release_date: Option<&'a str>,
}

fn org_kind(conn: &Connection, code: &str) -> Result<Option<OrgKind>> {
    let kind: Option<String> = conn
        .prepare_cached("SELECT kind FROM org WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?;
    kind.map(|k| OrgKind::parse("org.kind", &k)).transpose()
}

impl PlacesInput<'_> {
    /// Checks a batch against the organizations of the database (R-P1).
    pub fn check(&self, db: &impl Access, today: NaiveDate) -> Result<NewPlaces> {
        self.check_named("org", access::conn(db), today)
    }

    /// `check`, its messages naming the organization `org_field` (the CSV column is `org_code`).
    pub(in crate::store) fn check_named(
        &self,
        org_field: &str,
        conn: &Connection,
        today: NaiveDate,
    ) -> Result<NewPlaces> {
        let org = self.org.trim();
        let kind = org_kind(conn, org)?.ok_or_else(|| {
            Error::bad(tr!(
                "err-places-no-org",
                field = org_field.to_string(),
                org = org.to_string()
            ))
        })?;
        let group_year: i64 = self.group_year.trim().parse().map_err(|_| {
            Error::bad(tr!(
                "err-places-bad-year",
                value = self.group_year.trim().to_string()
            ))
        })?;
        let year = i64::from(today.year());
        if !(year - 7..=year).contains(&group_year) {
            return Err(Error::bad(tr!(
                "err-places-year-range",
                year = group_year,
                from = year - 7,
                to = year
            )));
        }
        let language = Language::parse("language", self.language)?;
        let place_type = match self.place_type.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => PlaceType::parse("place_type", t)?,
            None => PlaceType::of_org(kind),
        };
        check_type(kind, place_type)?;
        let count: i64 = self.count.trim().parse().map_err(|_| {
            Error::bad(tr!(
                "err-places-bad-count",
                value = self.count.trim().to_string()
            ))
        })?;
        if !(1..=i64::from(MAX_BATCH)).contains(&count) {
            return Err(Error::bad(tr!(
                "err-places-count-range",
                count = count,
                max = i64::from(MAX_BATCH)
            )));
        }
        let release_date = match self.release_date.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => parse_date("release_date", d)?,
            None => today,
        };
        Ok(NewPlaces {
            org: org.to_string(),
            group_year,
            language,
            place_type,
            count: count as u32,
            release_date,
        })
    }
}

pub(in crate::store) fn insert(
    change: &Change,
    event: &mut EventWriter,
    batch: &NewPlaces,
) -> Result<Vec<i64>> {
    change.may_reach_org(&batch.org)?;
    let tx = change.tx();
    // R-I2: never beyond the organization's capacity less its enrolled children and open places.
    super::capacity::check(tx, &batch.org, batch.group_year, i64::from(batch.count))?;
    let published = format_moment(&change.now().effective);
    let mut stmt = tx.prepare_cached(
        "INSERT INTO place (org, group_year, language, place_type, release_date, status, published_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'free', ?6)",
    )?;
    let mut ids = Vec::with_capacity(batch.count as usize);
    for _ in 0..batch.count {
        stmt.execute(params![
            batch.org,
            batch.group_year,
            batch.language.as_str(),
            batch.place_type.as_str(),
            batch.release_date.to_string(),
            published
        ])?;
        let id = tx.last_insert_rowid();
        event.touch(PLACE, &id)?;
        ids.push(id);
    }
    Ok(ids)
}

/// `place publish`: N places in status `free` (R-P1).
pub fn publish(change: &Change, batch: &NewPlaces) -> Result<Vec<i64>> {
    let details = serde_json::json!({
        "org": batch.org,
        "group_year": batch.group_year,
        "language": batch.language.as_str(),
        "place_type": batch.place_type.as_str(),
        "count": batch.count,
        "release_date": batch.release_date.to_string(),
    });
    let mut event = change.begin_event("place.publish", &batch.org, details)?;
    let ids = insert(change, &mut event, batch)?;
    event.finish()?;
    Ok(ids)
}

/// `kezek place publish`: checks the typed batch against the organizations (R-P1), then `publish`.
pub fn check_and_publish(change: &Change, input: &PlacesInput) -> Result<Vec<i64>> {
    let batch = input.check(change, change.now().today())?;
    publish(change, &batch)
}

/// Filters of `place list`.
#[derive(Debug, Clone, Default)]
pub struct PlaceFilter {
    pub org: Option<String>,
    pub group_year: Option<i64>,
    pub status: Option<PlaceStatus>,
    pub place_type: Option<PlaceType>,
    pub district: Option<String>,
    pub limit: Option<usize>,
}

const SELECT: &str =
    "SELECT p.id, p.org, p.group_year, p.language, p.place_type, p.status, p.release_date,
    o.kind, o.district FROM place p JOIN org o ON o.code = p.org";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<PlaceRow> {
    Ok(PlaceRow {
        id: r.get(0)?,
        org: r.get(1)?,
        group_year: r.get(2)?,
        language: r.get(3)?,
        place_type: r.get(4)?,
        status: r.get(5)?,
        release_date: r.get(6)?,
        org_kind: r.get(7)?,
        district: r.get(8)?,
    })
}

pub fn list(db: &impl Access, f: &PlaceFilter) -> Result<Vec<PlaceRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE (?1 IS NULL OR p.org = ?1) AND (?2 IS NULL OR p.group_year = ?2)
           AND (?3 IS NULL OR p.status = ?3) AND (?4 IS NULL OR p.place_type = ?4)
           AND (?5 IS NULL OR o.district = ?5)
         ORDER BY p.id LIMIT ?6"
    ))?;
    let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
    let rows = stmt.query_map(
        params![
            f.org,
            f.group_year,
            f.status.map(|s| s.as_str()),
            f.place_type.map(|t| t.as_str()),
            f.district,
            limit
        ],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(db: &impl Access, id: i64) -> Result<PlaceRow> {
    let conn = access::conn(db);
    conn.prepare_cached(&format!("{SELECT} WHERE p.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(tr!("err-places-not-found", id = id)))
}

/// `place withdraw` (R-P6): only while nobody holds the place.
pub fn withdraw(change: &Change, id: i64) -> Result<()> {
    let place = get(change.tx(), id)?;
    change.may_reach_org(&place.org)?;
    let status = PlaceStatus::parse("status", &place.status)?;
    if !status.can_withdraw() {
        return Err(Error::refused(
            "R-P6",
            tr!(
                "err-places-cannot-withdraw",
                id = id,
                status = place.status.clone()
            ),
        ));
    }
    change.tx().execute(
        "UPDATE place SET status = 'withdrawn', offer_round = NULL WHERE id = ?1",
        [id],
    )?;
    change.record(
        "place.withdraw",
        &id.to_string(),
        serde_json::json!({ "from": place.status, "org": place.org }),
        &[(PLACE, &id)],
    )?;
    Ok(())
}

/// An organization's name, for documents.
pub fn org_name(db: &impl Access, code: &str) -> Result<String> {
    let conn = access::conn(db);
    conn.prepare_cached("SELECT name FROM org WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound(tr!("err-places-org-not-found", code = code.to_string())))
}
