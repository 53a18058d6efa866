//! Retention (`kezek db purge`): the personal data of applications that ended long enough ago is anonymised.
//! Statistics keep working (queue type, group year, class, dates and statuses stay) and so does the audit (the
//! purge is one journaled change that records every row it rewrote).

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use super::journal::{Change, APPLICATION, ENROLLMENT, NOTIFICATION};
use crate::error::Result;

/// The IIN left in a purged row: twelve zeros, which no real IIN is (its century digit is 0).
pub const PURGED_IIN: &str = "000000000000";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub applications: u64,
    pub notifications: u64,
    pub enrollments: u64,
}

/// Anonymises the applications that were enrolled or removed before `before` (not one whose private direction
/// is still live: annulling it would bring the application back), their notifications, and the enrollments
/// that ended (departure) before it. Signed direction documents stay as they are: they are the
/// record the officer's signature covers.
pub fn purge(change: &Change, before: NaiveDate) -> Result<PurgeReport> {
    let tx = change.tx();
    let before = before.to_string();
    let numbers: Vec<String> = tx
        .prepare(
            "SELECT number FROM application a WHERE status IN ('enrolled', 'removed') AND removed_at IS NOT NULL
               AND substr(removed_at, 1, 10) < ?1 AND child_iin <> ?2
               AND NOT EXISTS (SELECT 1 FROM direction d WHERE d.application = a.number AND d.status = 'issued')
             ORDER BY number",
        )?
        .query_map(params![before, PURGED_IIN], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let notifications: Vec<i64> = tx
        .prepare(
            "SELECT n.id FROM notification n JOIN application a ON a.number = n.application
             WHERE a.status IN ('enrolled', 'removed') AND a.removed_at IS NOT NULL
               AND substr(a.removed_at, 1, 10) < ?1 AND (n.recipient <> '' OR n.body <> '')
               AND NOT EXISTS (SELECT 1 FROM direction d WHERE d.application = a.number AND d.status = 'issued')
             ORDER BY n.id",
        )?
        .query_map([&before], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let enrollments: Vec<String> = tx
        .prepare(
            "SELECT direction FROM enrollment WHERE departed_on IS NOT NULL AND departed_on < ?1 AND child_iin <> ?2
             ORDER BY direction",
        )?
        .query_map(params![before, PURGED_IIN], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let report = PurgeReport {
        applications: numbers.len() as u64,
        notifications: notifications.len() as u64,
        enrollments: enrollments.len() as u64,
    };
    if report == PurgeReport::default() {
        return Ok(report);
    }
    let mut event = change.begin_event(
        "db.purge",
        &format!("ended before {before}"),
        serde_json::to_value(report).expect("a report serializes"),
    )?;
    let mut app = tx.prepare(
        "UPDATE application SET child_iin = ?2, child_name = '', applicant_iin = ?2, applicant_name = '', phone = '',
            email = '', docs = '[]', child_birth_date = group_year || '-01-01' WHERE number = ?1",
    )?;
    for n in &numbers {
        app.execute(params![n, PURGED_IIN])?;
        event.touch(APPLICATION, n)?;
    }
    let mut note = tx.prepare("UPDATE notification SET recipient = '', body = '' WHERE id = ?1")?;
    for id in &notifications {
        note.execute([id])?;
        event.touch(NOTIFICATION, id)?;
    }
    let mut enrollment = tx.prepare("UPDATE enrollment SET child_iin = ?2 WHERE direction = ?1")?;
    for d in &enrollments {
        enrollment.execute(params![d, PURGED_IIN])?;
        event.touch(ENROLLMENT, d)?;
    }
    event.finish()?;
    Ok(report)
}
