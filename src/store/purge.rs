//! Retention (`kezek db purge`): the personal data of applications that ended long enough ago is anonymised.
//! Statistics keep working (queue type, group year, class, dates and statuses stay) and so does the audit (the
//! purge is one journaled change that records every row it rewrote).
//!
//! The signed direction documents of those applications name the child (IIN, name, birth date): each is
//! replaced by a redaction record that keeps the SHA-256 of the signed text, against which the kept signature
//! still verifies (`direction verify`). The purge runs with `secure_delete`, and the database file is rebuilt
//! and its write-ahead log emptied after it, so that the values it removed are not left readable in the bytes
//! of the database file either.

use chrono::NaiveDate;
use rusqlite::{params, ErrorCode};
use serde::Serialize;

use super::change::{Actor, Change, Mode};
use super::db::Db;
use super::journal::{APPLICATION, ATTENDANCE, DIRECTION, ENROLLMENT, NOTIFICATION};
use super::replication;
use crate::crypto;
use crate::domain::time::Now;
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::tr;

/// The IIN left in a purged row: twelve zeros, which no real IIN is (its century digit is 0).
pub const PURGED_IIN: &str = "000000000000";

/// The first line of a direction document the purge redacted (a signed document begins `kezek direction v1`).
pub const REDACTED_HEADER: &str = "kezek direction v1 purged";

/// The lines of the signed document a redaction record keeps: no personal data, and what `direction verify`
/// compares with the direction's record.
const KEPT_LINES: [&str; 4] = ["number", "application", "valid_until", "signed_by"];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub applications: u64,
    pub notifications: u64,
    pub enrollments: u64,
    /// Attendance rows (R-I3) of months before the cutoff, of the children purged.
    pub attendance: u64,
    /// Signed direction documents replaced by their redaction record.
    pub directions: u64,
}

/// What `run` did: the purge's counts, and whether the file's free space and write-ahead log were wiped too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurgeRun {
    pub report: PurgeReport,
    /// False when another process kept the database busy, or the disk had no room to rebuild it: the purge is
    /// done, the wipe is not (run it again).
    pub wiped: bool,
    /// True when Litestream replicates the database (R-O1): the file was rebuilt, but its write-ahead log is left
    /// to Litestream's checkpoints, and the replica keeps what it copied until its retention ends.
    pub replicated: bool,
}

/// `kezek db purge`: overwrite what is deleted (`erase_what_is_deleted`), anonymise in one journaled change
/// (`purge`), then wipe the free space and the write-ahead log (`wipe_free_space`). The wipe runs also after a
/// purge that found nothing: it finishes one that another process kept busy last time.
pub fn run(db: &mut Db, actor: &Actor, now: &Now, before: NaiveDate) -> Result<PurgeRun> {
    erase_what_is_deleted(db)?;
    let report = db.change(actor, now, Mode::Commit, |c| purge(c, before))?;
    let replicated = replication::is_replicated(access::conn(db))?;
    let wiped = wipe_free_space(db, !replicated)?;
    Ok(PurgeRun {
        report,
        wiped,
        replicated,
    })
}

/// The redaction record of a signed direction document, purged on `purged`: the header, the document's own
/// `number`, `application`, `valid_until` and `signed_by` lines, the day, and the SHA-256 of the whole signed
/// text.
pub fn redact(document: &str, purged: NaiveDate) -> String {
    let mut out = format!("{REDACTED_HEADER}\n");
    for key in KEPT_LINES {
        let prefix = format!("{key}: ");
        if let Some(line) = document.lines().find(|l| l.starts_with(&prefix)) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "purged: {purged}\ndocument_sha256: {}\n",
        crypto::hex(&crypto::sha256(document.as_bytes()))
    ));
    out
}

/// What a redaction record keeps of the document it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    /// The day of the purge, as recorded.
    pub purged: String,
    /// The SHA-256 of the signed document; `None` when the record does not hold one that reads.
    pub digest: Option<[u8; 32]>,
}

/// The redaction record in a direction's `document`, or `None` when the document is the signed text itself.
pub fn redaction(document: &str) -> Option<Redaction> {
    let mut lines = document.lines();
    if lines.next() != Some(REDACTED_HEADER) {
        return None;
    }
    let value = |key: &str| {
        let prefix = format!("{key}: ");
        document
            .lines()
            .find_map(|l| l.strip_prefix(&prefix).map(str::to_string))
    };
    let digest = value("document_sha256")
        .and_then(|h| crypto::unhex(&h))
        .and_then(|d| <[u8; 32]>::try_from(d).ok());
    Some(Redaction {
        purged: value("purged").unwrap_or_default(),
        digest,
    })
}

/// On the purge's connection, before its transaction: SQLite overwrites what it deletes or rewrites with
/// zeros (`PRAGMA secure_delete`), so that the purged values do not survive in free space of the file.
pub fn erase_what_is_deleted(db: &impl Access) -> Result<()> {
    let conn = access::conn(db);
    conn.pragma_update(None, "secure_delete", "ON")?;
    let on: i64 = conn.query_row("PRAGMA secure_delete", [], |r| r.get(0))?;
    if on != 1 {
        return Err(Error::Internal(tr!("err-db-secure-delete", got = on)));
    }
    Ok(())
}

/// After the purge's transaction, on its connection: rebuilds the database file (`VACUUM`), then, with
/// `truncate_log`, copies the write-ahead log into it and truncates the log. `secure_delete` zeroes what the
/// purge itself removes, but the free space of the file also holds what earlier changes left behind (the old
/// versions of a row that grew or shrank, the index entries of an application that left the queue or of a child
/// who departed); the rebuilt file holds live rows only, and the truncated log no pages from before. Returns
/// false when another process kept the database busy (a writer) or part of the log in use (a reader), or the
/// disk had no room for the rebuilt copy; the purge itself is done, and running it again later finishes the
/// wipe.
///
/// Without `truncate_log` (a database Litestream replicates, R-O1) the log is left to Litestream: a truncating
/// checkpoint would hold SQLite's write lock while it waits for Litestream's read transaction, stalling every
/// officer for the busy timeout, and if it ever got through it would pull the log from under Litestream, which
/// then starts its replica over with a full snapshot. Litestream checkpoints the rebuilt pages into the file
/// itself, after it has copied them.
pub fn wipe_free_space(db: &impl Access, truncate_log: bool) -> Result<bool> {
    let conn = access::conn(db);
    // A full disk (VACUUM needs room for a copy) leaves the wipe for later too: the purge itself is committed.
    let busy = |e: &rusqlite::Error| {
        matches!(
            e.sqlite_error_code(),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::DiskFull)
        )
    };
    // The rebuilt copy is made in a temporary file rather than in memory: a city's database can be large.
    conn.pragma_update(None, "temp_store", "FILE")?;
    let vacuumed = match conn.execute_batch("VACUUM") {
        Ok(()) => true,
        Err(e) if busy(&e) => false,
        Err(e) => return Err(e.into()),
    };
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    if !truncate_log {
        return Ok(vacuumed);
    }
    let emptied = match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(blocked) => blocked == 0,
        Err(e) if busy(&e) => false,
        Err(e) => return Err(e.into()),
    };
    Ok(vacuumed && emptied)
}

/// Anonymises the applications that were enrolled or removed before `before` (not one whose private direction
/// is still live: annulling it would bring the application back), their notifications, their directions'
/// signed documents (replaced by a redaction record, `redact`), and the enrollments that ended (departure)
/// before it.
pub fn purge(change: &Change, before: NaiveDate) -> Result<PurgeReport> {
    let tx = change.tx();
    let today = change.now().today();
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
    // A purged child's attendance of the months before the cutoff: the IIN gives way to a number that is no IIN
    // (all zeros but the row's id: no birth date), one per row, so that the counts stay.
    let attendance: Vec<i64> = tx
        .prepare(
            "SELECT t.id FROM attendance t WHERE t.month < substr(?1, 1, 7) AND EXISTS (
               SELECT 1 FROM application a WHERE a.child_iin = t.child_iin AND a.status IN ('enrolled', 'removed')
                 AND a.removed_at IS NOT NULL AND substr(a.removed_at, 1, 10) < ?1
                 AND NOT EXISTS (SELECT 1 FROM direction d WHERE d.application = a.number AND d.status = 'issued'))
             ORDER BY t.id",
        )?
        .query_map([&before], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // The redaction records are built while reading (a record is short; the documents are not kept).
    let directions: Vec<(String, String)> = tx
        .prepare(
            "SELECT d.number, d.document FROM direction d JOIN application a ON a.number = d.application
             WHERE a.status IN ('enrolled', 'removed') AND a.removed_at IS NOT NULL
               AND substr(a.removed_at, 1, 10) < ?1 AND a.child_iin <> ?2
               AND NOT EXISTS (SELECT 1 FROM direction x WHERE x.application = a.number AND x.status = 'issued')
             ORDER BY d.number",
        )?
        .query_map(params![before, PURGED_IIN], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .filter_map(|row| match row {
            Ok((_, document)) if redaction(&document).is_some() => None,
            Ok((number, document)) => Some(Ok((number, redact(&document, today)))),
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<_>>()?;
    let report = PurgeReport {
        applications: numbers.len() as u64,
        notifications: notifications.len() as u64,
        enrollments: enrollments.len() as u64,
        attendance: attendance.len() as u64,
        directions: directions.len() as u64,
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
    // The signature stays: it verifies against the digest the record keeps.
    let mut direction = tx.prepare("UPDATE direction SET document = ?2 WHERE number = ?1")?;
    for (d, record) in &directions {
        direction.execute(params![d, record])?;
        event.touch(DIRECTION, d)?;
    }
    let mut enrollment = tx.prepare("UPDATE enrollment SET child_iin = ?2 WHERE direction = ?1")?;
    for d in &enrollments {
        enrollment.execute(params![d, PURGED_IIN])?;
        event.touch(ENROLLMENT, d)?;
    }
    let mut present =
        tx.prepare("UPDATE attendance SET child_iin = printf('%012d', id) WHERE id = ?1")?;
    for id in &attendance {
        present.execute([id])?;
        event.touch(ATTENDANCE, id)?;
    }
    event.finish()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = "kezek direction v1\nnumber: NAP.2026.000001\napplication: DDO.2026.000001.1\n\
        child_iin: 220501500012\nchild_name: Нурланов Алихан\nchild_birth_date: 2022-05-01\norg: DS-001\n\
        valid_until: 2026-03-26\nofficer: ivanova\nsigned_by: ivanova\nkey_fingerprint: ab\n";

    #[test]
    fn a_redaction_record_keeps_the_digest_and_the_record_lines_and_nothing_of_the_child() {
        let day = NaiveDate::from_ymd_opt(2026, 4, 20).unwrap();
        let record = redact(DOCUMENT, day);
        let digest = crypto::sha256(DOCUMENT.as_bytes());
        assert_eq!(
            record,
            format!(
                "kezek direction v1 purged\nnumber: NAP.2026.000001\napplication: DDO.2026.000001.1\n\
                 valid_until: 2026-03-26\nsigned_by: ivanova\npurged: 2026-04-20\ndocument_sha256: {}\n",
                crypto::hex(&digest)
            )
        );
        for personal in ["220501500012", "Нурланов", "2022-05-01"] {
            assert!(!record.contains(personal), "{personal} in {record}");
        }
        assert_eq!(
            redaction(&record),
            Some(Redaction {
                purged: "2026-04-20".into(),
                digest: Some(digest),
            })
        );
        assert_eq!(redaction(DOCUMENT), None);
        // A record whose digest does not read keeps no digest (verify then reports it as not matching).
        let broken = record.replace("document_sha256: ", "document_sha256: zz");
        assert_eq!(redaction(&broken).unwrap().digest, None);
    }
}
