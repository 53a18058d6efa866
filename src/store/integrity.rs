//! `kezek integrity` (R-I4): the checks a prosecutor's office makes, as SQL over the whole database, each
//! finding with its code, its subject (an organization, a masked IIN, an application, an officer) and the facts.

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::params;

use super::access::{self, Access};
use super::reference;
use crate::domain::iin::mask;
use crate::domain::integrity::{unusual_share, Finding};
use crate::error::Result;

/// How many children still waiting ahead of an application make a free-choice direction to it "far down"
/// (`free_choice_far_down`).
pub const FAR_DOWN: i64 = 10;

/// How many days a released place may stay free, never offered, while its queue waits (`late_publication`).
pub const LATE_DAYS: i64 = 10;

/// Every finding, code by code, on `today`.
pub fn findings(db: &impl Access, today: NaiveDate) -> Result<Vec<Finding>> {
    let conn = access::conn(db);
    let settings = reference::load_settings(db)?;
    let mut out = Vec::new();
    let mut add = |code: &str, subject: String, detail: String| {
        out.push(Finding {
            code: code.to_string(),
            subject,
            detail,
        })
    };
    let rows = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<Vec<(String, String)>> {
        Ok(conn
            .prepare(sql)?
            .query_map(params, |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    };
    // A child enrolled in two organizations at once.
    for (iin, orgs) in rows(
        "SELECT child_iin, group_concat(org, ', ') FROM
           (SELECT child_iin, org FROM enrollment WHERE departed_on IS NULL ORDER BY child_iin, org)
         GROUP BY child_iin HAVING count(*) > 1",
        &[],
    )? {
        add("double_enrollment", mask(&iin), orgs);
    }
    // Days present reported for a child not enrolled there in that month ("dead souls").
    for (subject, month) in rows(
        "SELECT a.org || ' ' || a.child_iin, a.month FROM attendance a
         WHERE a.days_present > 0 AND NOT EXISTS (
           SELECT 1 FROM enrollment e WHERE e.child_iin = a.child_iin AND e.org = a.org
             AND e.enrolled_on <= date(a.month || '-01', '+1 month', '-1 day')
             AND (e.departed_on IS NULL OR e.departed_on >= a.month || '-01'))
         ORDER BY a.org, a.month, a.child_iin",
        &[],
    )? {
        let (org, iin) = subject.split_once(' ').unwrap_or_default();
        add(
            "attendance_without_enrollment",
            format!("{org} {}", mask(iin)),
            month,
        );
    }
    // Enrolled since before the last two full months, in an organization that reports attendance, with no day
    // present reported in either.
    let first_of = |d: NaiveDate| d.with_day(1).expect("the first of a month");
    let last_full = first_of(first_of(today) - Duration::days(1));
    let before = first_of(last_full - Duration::days(1));
    let months = [
        before.format("%Y-%m").to_string(),
        last_full.format("%Y-%m").to_string(),
    ];
    for (subject, since) in rows(
        "SELECT e.org || ' ' || e.child_iin, e.enrolled_on FROM enrollment e
         WHERE e.departed_on IS NULL AND e.enrolled_on < ?1
           AND EXISTS (SELECT 1 FROM attendance r WHERE r.org = e.org AND r.month IN (?2, ?3))
           AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.org = e.org AND a.child_iin = e.child_iin
                             AND a.month IN (?2, ?3) AND a.days_present > 0)
         ORDER BY e.org, e.child_iin",
        &[&before.to_string(), &months[0], &months[1]],
    )? {
        let (org, iin) = subject.split_once(' ').unwrap_or_default();
        add(
            "enrollment_without_attendance",
            format!("{org} {}", mask(iin)),
            format!("enrolled {since}; no day present in {} and {}", months[0], months[1]),
        );
    }
    // Capacity against the places published and the children enrolled.
    let mut stmt = conn.prepare(
        "SELECT c.org, c.group_year, c.places,
           (SELECT count(*) FROM enrollment e JOIN place p ON p.id = e.place_id
              WHERE e.org = c.org AND p.group_year = c.group_year AND e.departed_on IS NULL),
           (SELECT count(*) FROM place p WHERE p.org = c.org AND p.group_year = c.group_year
              AND p.status IN ('free', 'offered', 'free_choice', 'directed'))
         FROM capacity c ORDER BY c.org, c.group_year",
    )?;
    let capacities: Vec<(String, i64, i64, i64, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (org, year, capacity, enrolled, open) in capacities {
        let subject = format!("{org} {year}");
        if enrolled > capacity {
            add(
                "over_capacity",
                subject,
                format!("capacity {capacity}, {enrolled} enrolled"),
            );
        } else if capacity - enrolled - open > 0 {
            add(
                "places_held_back",
                subject,
                format!(
                    "capacity {capacity}, {enrolled} enrolled, {open} places published: {} held back",
                    capacity - enrolled - open
                ),
            );
        }
    }
    // Places released long ago, still free and never offered, while children of their queue wait: of a group
    // year whose oldest children (born on 1 January) have reached min_age_years, for the round offers nobody
    // younger (R-C6), so that a place for babies is not "late" but waiting for them to grow.
    let late = (today - Duration::days(LATE_DAYS)).to_string();
    let oldest_offerable = i64::from(today.year()) - i64::from(settings.min_age_years);
    let mut stmt = conn.prepare(
        "SELECT p.org, p.group_year, count(*), min(p.release_date) FROM place p JOIN org o ON o.code = p.org
         WHERE p.status = 'free' AND o.kind IN ('state', 'sanatorium') AND p.release_date <= ?1
           AND p.group_year <= ?2
           AND EXISTS (SELECT 1 FROM queue_day q WHERE q.group_year = p.group_year AND q.waiting > 0
                         AND q.queue_type = CASE p.place_type WHEN 'sanatorium' THEN 'sanatorium' ELSE 'general' END)
         GROUP BY p.org, p.group_year ORDER BY p.org, p.group_year",
    )?;
    let late_places: Vec<(String, i64, i64, String)> = stmt
        .query_map(params![late, oldest_offerable], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (org, year, count, since) in late_places {
        add(
            "late_publication",
            format!("{org} {year}"),
            format!("{count} place(s) free since {since}, never offered, while the queue waits"),
        );
    }
    // A place left untaken by an offer window, directed in free choice within the hour after the window closed
    // to an application with many children ahead of it in its queue still waiting.
    let mut stmt = conn.prepare(
        "WITH closed AS (SELECT seq, json_extract(details, '$.closes_at') AS closes_at FROM journal
                         WHERE kind = 'offer.window_closed'),
              freed AS (SELECT r.key AS place, c.closes_at FROM journal_row r JOIN closed c ON c.seq = r.seq
                        WHERE r.tbl = 'place'),
              issued AS (SELECT subject AS direction, json_extract(details, '$.application') AS application,
                                json_extract(details, '$.place_id') AS place, effective_at FROM journal
                         WHERE kind = 'direction.issue')
         SELECT DISTINCT i.direction, i.application, i.effective_at,
           (SELECT count(*) FROM application w, application a WHERE a.number = i.application
              AND w.queue_type = a.queue_type AND w.group_year = a.group_year
              AND (w.registered_unix, w.number) < (a.registered_unix, a.number)
              AND w.status IN ('queued', 'notified', 'stop_listed'))
         FROM issued i JOIN freed f ON f.place = i.place
         WHERE CAST(strftime('%s', i.effective_at) AS INTEGER)
               BETWEEN CAST(strftime('%s', f.closes_at) AS INTEGER) AND CAST(strftime('%s', f.closes_at) AS INTEGER) + 3600
         ORDER BY i.direction",
    )?;
    let quick: Vec<(String, String, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (direction, application, at, ahead) in quick {
        if ahead >= FAR_DOWN {
            add(
                "free_choice_far_down",
                application,
                format!(
                    "direction {direction} at {at}, within an hour of the window's close; {ahead} ahead of it still wait"
                ),
            );
        }
    }
    // Registrations whose time lies before their recording by more than backdate_minutes.
    for (number, times) in rows(
        "SELECT subject, effective_at || ' recorded ' || recorded_at FROM journal
         WHERE kind = 'application.register'
           AND CAST(strftime('%s', effective_at) AS INTEGER) < CAST(strftime('%s', recorded_at) AS INTEGER) - 60 * ?1
         ORDER BY seq",
        &[&i64::from(settings.backdate_minutes)],
    )? {
        add("backdated_registration", number, times);
    }
    // R-V5: every application import after the first with rows registered before the import was recorded by
    // more than backdate_minutes. The first is the city's migration, whose old registration times are the point;
    // a later one is how a back-dated registration would come in unseen.
    let mut stmt = conn.prepare(
        "WITH imports AS (SELECT seq, subject, recorded_at, row_number() OVER (ORDER BY seq) AS k FROM journal
                          WHERE kind = 'application.import')
         SELECT i.seq, i.subject, i.recorded_at, count(*),
                sum(a.registered_unix < CAST(strftime('%s', i.recorded_at) AS INTEGER) - 60 * ?1),
                min(a.registered_at), max(a.registered_at)
         FROM imports i JOIN journal_row r ON r.seq = i.seq AND r.tbl = 'application'
           JOIN application a ON a.number = r.key
         WHERE i.k > 1 GROUP BY i.seq HAVING sum(a.registered_unix < CAST(strftime('%s', i.recorded_at) AS INTEGER) - 60 * ?1) > 0
         ORDER BY i.seq",
    )?;
    type LateImport = (i64, String, String, i64, i64, String, String);
    let imports: Vec<LateImport> = stmt
        .query_map([i64::from(settings.backdate_minutes)], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (seq, file, recorded, rows, backdated, first, last) in imports {
        add(
            "backdated_registration",
            format!("application import at seq {seq}"),
            format!(
                "{backdated} of {rows} rows of {file}, an import after the first, registered from {first} to {last}, recorded {recorded}"
            ),
        );
    }
    // Officers registering benefit classes at more than twice the city's share.
    let mut stmt = conn.prepare(
        "SELECT officer, count(*),
           sum(json_extract(details, '$.priority_class') <> 'general')
         FROM journal WHERE kind = 'application.register' AND officer IS NOT NULL
         GROUP BY officer ORDER BY officer",
    )?;
    let officers: Vec<(String, i64, i64)> = stmt
        .query_map(params![], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (city_total, city_benefit) = officers
        .iter()
        .fold((0, 0), |(t, b), (_, ot, ob)| (t + ot, b + ob));
    for (officer, total, benefit) in officers {
        if unusual_share(benefit, total, city_benefit, city_total) {
            add(
                "benefit_share",
                officer,
                format!(
                    "{benefit} of {total} registrations in a benefit class; the city: {city_benefit} of {city_total}"
                ),
            );
        }
    }
    Ok(out)
}
