//! Directions (R-D1..R-D9, R-A3): issue, extend, revoke, annul, enroll, depart, show, verify, list.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::applications::{self, AppRow};
use super::journal::{Change, EventWriter, APPLICATION, DIRECTION, ENROLLMENT, PLACE};
use super::offers::{self, enrolled_at};
use super::outbox;
use super::places;
use crate::crypto::{PrivateKey, PublicKey};
use crate::domain::application::QueueType;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::category::PriorityClass;
use crate::domain::direction::{self as rules, DirectionDocument, DirectionStatus, IssueFacts};
use crate::domain::notify::NoticeKind;
use crate::domain::org::OrgKind;
use crate::domain::place::{PlaceStatus, PlaceType};
use crate::domain::settings::Settings;
use crate::domain::time::{format_moment, parse_date, parse_moment};
use crate::error::{Error, Result};

/// The JSON shape of SPEC §9 (`direction issue|show`), and more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DirectionView {
    pub number: String,
    pub application: String,
    pub place_id: i64,
    pub status: String,
    pub issued_at: String,
    pub valid_until: String,
    pub extended: bool,
    pub officer: String,
    pub document: String,
    pub signature: String,
    pub signed_by: String,
    pub org: String,
    pub extension_reason: Option<String>,
    pub closed_at: Option<String>,
    pub close_reason: Option<String>,
    pub benefit_doc_date: Option<String>,
}

/// One row of `direction list`: no document, no personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DirectionListRow {
    pub number: String,
    pub application: String,
    pub place_id: i64,
    pub org: String,
    pub status: String,
    pub issued_at: String,
    pub valid_until: String,
    pub extended: bool,
    pub officer: String,
}

struct DirectionRow {
    number: String,
    application: String,
    place_id: i64,
    status: String,
    issued_at: String,
    valid_until: String,
    extended: bool,
    extension_reason: Option<String>,
    officer: String,
    signed_by: String,
    document: String,
    signature: Vec<u8>,
    closed_at: Option<String>,
    close_reason: Option<String>,
    benefit_doc_date: Option<String>,
    org: String,
}

const SELECT: &str = "SELECT d.number, d.application, d.place_id, d.status, d.issued_at, d.valid_until, d.extended,
    d.extension_reason, d.officer, d.signed_by, d.document, d.signature, d.closed_at, d.close_reason,
    d.benefit_doc_date, p.org FROM direction d JOIN place p ON p.id = d.place_id";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<DirectionRow> {
    Ok(DirectionRow {
        number: r.get(0)?,
        application: r.get(1)?,
        place_id: r.get(2)?,
        status: r.get(3)?,
        issued_at: r.get(4)?,
        valid_until: r.get(5)?,
        extended: r.get(6)?,
        extension_reason: r.get(7)?,
        officer: r.get(8)?,
        signed_by: r.get(9)?,
        document: r.get(10)?,
        signature: r.get(11)?,
        closed_at: r.get(12)?,
        close_reason: r.get(13)?,
        benefit_doc_date: r.get(14)?,
        org: r.get(15)?,
    })
}

fn load(conn: &Connection, number: &str) -> Result<DirectionRow> {
    conn.prepare_cached(&format!("{SELECT} WHERE d.number = ?1"))?
        .query_row([number], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("direction {number}")))
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl DirectionRow {
    fn status(&self) -> Result<DirectionStatus> {
        DirectionStatus::parse("status", &self.status)
    }

    fn valid_until(&self) -> Result<NaiveDate> {
        parse_date("valid_until", &self.valid_until)
    }

    fn view(self) -> DirectionView {
        DirectionView {
            signature: base64(&self.signature),
            number: self.number,
            application: self.application,
            place_id: self.place_id,
            status: self.status,
            issued_at: self.issued_at,
            valid_until: self.valid_until,
            extended: self.extended,
            officer: self.officer,
            document: self.document,
            signed_by: self.signed_by,
            org: self.org,
            extension_reason: self.extension_reason,
            closed_at: self.closed_at,
            close_reason: self.close_reason,
            benefit_doc_date: self.benefit_doc_date,
        }
    }
}

pub fn show(conn: &Connection, number: &str) -> Result<DirectionView> {
    Ok(load(conn, number)?.view())
}

fn active_direction(conn: &Connection, application: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT number FROM direction WHERE application = ?1 AND status = 'issued'",
        )?
        .query_row([application], |r| r.get(0))
        .optional()?)
}

fn offer_round_of(conn: &Connection, application: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT offer_round FROM application WHERE number = ?1")?
        .query_row([application], |r| r.get(0))?)
}

fn next_number(conn: &Connection, year: i32) -> Result<String> {
    let last: Option<String> = conn
        .prepare_cached("SELECT number FROM direction WHERE number >= ?1 AND number < ?2 ORDER BY number DESC LIMIT 1")?
        .query_row(params![format!("NAP.{year}."), format!("NAP.{year}/")], |r| r.get(0))
        .optional()?;
    let seq = last
        .and_then(|n| n.rsplit('.').next().and_then(|s| s.parse::<u32>().ok()))
        .unwrap_or(0)
        + 1;
    Ok(rules::format_number(year, seq))
}

struct OrgInfo {
    name: String,
    address: String,
}

fn org_info(conn: &Connection, code: &str) -> Result<OrgInfo> {
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
fn document(
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

/// What `direction issue` reads before it decides: the application, the place and the facts its rules check.
pub struct IssueReading {
    app: AppRow,
    place: places::PlaceRow,
    org_kind: OrgKind,
    facts: IssueFacts,
}

/// Reads what `direction issue` decides on. Inside the write transaction, as `issue` does, nothing can change
/// between this reading and the writes; the race suite proves that a reading taken before it is not enough.
pub fn read_for_issue(
    conn: &Connection,
    application: &str,
    place_id: i64,
    now: DateTime<FixedOffset>,
) -> Result<IssueReading> {
    let app = applications::get(conn, application)?;
    let place = places::get(conn, place_id)?;
    let org_kind = OrgKind::parse("org.kind", &place.org_kind)?;
    let round = offer_round_of(conn, application)?;
    let notified_in_open_window = app.status == "notified"
        && match round {
            Some(r) => offers::round_is_open(conn, r, now)?,
            None => false,
        };
    let facts = IssueFacts {
        application: app.number.clone(),
        status: app.status(),
        stop_list_until: app
            .stop_list_until
            .as_deref()
            .map(|d| parse_date("stop_list_until", d))
            .transpose()?,
        active_direction: active_direction(conn, application)?,
        enrolled_at: enrolled_at(conn, &app.child_iin)?,
        queue_type: QueueType::parse("queue_type", &app.queue_type)?,
        group_year: app.group_year,
        child_birth: parse_date("child_birth_date", &app.child_birth_date)?,
        notified_in_open_window,
        place_id,
        place_type: PlaceType::parse("place_type", &place.place_type)?,
        place_group_year: place.group_year,
        place_status: PlaceStatus::parse("status", &place.status)?,
        org_kind,
        issue_date: now.date_naive(),
    };
    Ok(IssueReading {
        app,
        place,
        org_kind,
        facts,
    })
}

/// `direction issue` (R-D1..R-D5, R-A3): checks every refusal, signs the document with the acting officer's key.
/// `stale` is only ever given by the race suite's deliberate fault: a reading taken outside this transaction.
#[allow(clippy::too_many_arguments)]
pub fn issue(
    change: &Change,
    application: &str,
    place_id: i64,
    key: &PrivateKey,
    settings: &Settings,
    calendar: &WorkingCalendar,
    stale: Option<IssueReading>,
) -> Result<DirectionView> {
    let now = change.now().effective;
    offers::close_windows(change, now)?;
    let tx = change.tx();
    let IssueReading {
        app,
        place,
        org_kind,
        facts,
    } = match stale {
        Some(reading) => reading,
        None => read_for_issue(tx, application, place_id, now)?,
    };
    rules::check_issue(&facts, settings)?;
    change.pause();

    let number = next_number(tx, now.year())?;
    let until = rules::valid_until(now.date_naive(), calendar, settings);
    let issued_at = format_moment(&now);
    let officer = change.officer().to_string();
    let doc = document(
        tx, &number, &app, &place, &issued_at, until, None, &officer, &officer, key,
    )?;
    let text = doc.text();
    let signature = key.sign(text.as_bytes());
    tx.execute(
        "INSERT INTO direction (number, application, place_id, status, issued_at, valid_until, officer, signed_by,
            document, signature) VALUES (?1, ?2, ?3, 'issued', ?4, ?5, ?6, ?6, ?7, ?8)",
        params![number, application, place_id, issued_at, until.to_string(), officer, text, signature],
    )?;
    tx.execute(
        "UPDATE place SET status = 'directed', offer_round = NULL WHERE id = ?1",
        [place_id],
    )?;
    if org_kind == OrgKind::Private {
        // R-D4: a private place takes the application out of the queue; the direction lives on by itself.
        tx.execute(
            "UPDATE application SET status = 'removed', removed_reason = 'private_direction', offer_round = NULL,
                stop_list_until = NULL, removed_at = ?2 WHERE number = ?1",
            params![application, issued_at],
        )?;
    } else {
        tx.execute(
            "UPDATE application SET status = 'directed', offer_round = NULL WHERE number = ?1",
            [application],
        )?;
    }
    let mut event = change.begin_event(
        "direction.issue",
        &number,
        serde_json::json!({ "application": application, "place_id": place_id, "org": place.org, "valid_until": until.to_string() }),
    )?;
    event.touch(DIRECTION, &number)?;
    event.touch(PLACE, &place_id)?;
    event.touch(APPLICATION, &application)?;
    let detail = format!(
        "{number}: {} ({}), до {}",
        place.org,
        org_info(tx, &place.org)?.name,
        until.format("%d.%m.%Y")
    );
    outbox::notify(
        change,
        &mut event,
        application,
        NoticeKind::DirectionIssued,
        &detail,
    )?;
    if org_kind == OrgKind::Private {
        outbox::notify(
            change,
            &mut event,
            application,
            NoticeKind::Removed,
            "private_direction",
        )?;
    }
    event.finish()?;
    show(tx, &number)
}

/// `direction extend` (R-D6): once, before expiry, 1 to 30 days, with a reason; the document is signed again.
pub fn extend(
    change: &Change,
    number: &str,
    days: i64,
    reason: &str,
    key: &PrivateKey,
) -> Result<DirectionView> {
    let tx = change.tx();
    let d = load(tx, number)?;
    let today = change.now().today();
    let until = rules::extend(
        d.status()?,
        d.extended,
        d.valid_until()?,
        today,
        days,
        &settings_of(tx)?,
    )?;
    let app = applications::get(tx, &d.application)?;
    let place = places::get(tx, d.place_id)?;
    let signer = change.officer().to_string();
    let extension = format!("{days} days from {} ({reason})", d.valid_until);
    let doc = document(
        tx,
        number,
        &app,
        &place,
        &d.issued_at,
        until,
        Some(extension),
        &d.officer,
        &signer,
        key,
    )?;
    let text = doc.text();
    let signature = key.sign(text.as_bytes());
    tx.execute(
        "UPDATE direction SET valid_until = ?2, extended = 1, extension_reason = ?3, signed_by = ?4, document = ?5,
            signature = ?6 WHERE number = ?1",
        params![number, until.to_string(), reason, signer, text, signature],
    )?;
    let mut event = change.begin_event(
        "direction.extend",
        number,
        serde_json::json!({ "days": days, "from": d.valid_until, "to": until.to_string(), "reason": reason }),
    )?;
    event.touch(DIRECTION, &number)?;
    outbox::notify(
        change,
        &mut event,
        &d.application,
        NoticeKind::Extended,
        &format!("до {}", until.format("%d.%m.%Y")),
    )?;
    event.finish()?;
    show(tx, number)
}

fn settings_of(conn: &Connection) -> Result<Settings> {
    super::reference::load_settings(conn)
}

/// The common end of a revocation and an annulment (R-D7): the place is free again (the next round offers it)
/// and the application waits again at its position, with no penalty.
fn undo(
    change: &Change,
    event: &mut EventWriter,
    d: &DirectionRow,
    status: DirectionStatus,
    reason: &str,
) -> Result<()> {
    let tx = change.tx();
    let now = format_moment(&change.now().effective);
    tx.execute(
        "UPDATE direction SET status = ?2, closed_at = ?3, close_reason = ?4 WHERE number = ?1",
        params![d.number, status.as_str(), now, reason],
    )?;
    tx.execute(
        "UPDATE place SET status = 'free', offer_round = NULL WHERE id = ?1",
        [d.place_id],
    )?;
    tx.execute(
        "UPDATE application SET status = 'queued', removed_reason = NULL, stop_list_until = NULL, offer_round = NULL,
            removed_at = NULL
         WHERE number = ?1 AND (status = 'directed' OR removed_reason = 'private_direction')",
        [&d.application],
    )?;
    event.touch(DIRECTION, &d.number)?;
    event.touch(PLACE, &d.place_id)?;
    event.touch(APPLICATION, &d.application)?;
    Ok(())
}

/// `direction revoke` (R-D7): by the applicant, within 24 hours of issue.
pub fn revoke(change: &Change, number: &str) -> Result<DirectionView> {
    let tx = change.tx();
    let d = load(tx, number)?;
    if d.status()? != DirectionStatus::Issued {
        return Err(Error::refused(
            "R-D7",
            format!(
                "direction {number} is {}; only an issued one is revoked",
                d.status
            ),
        ));
    }
    let issued_at = parse_moment("issued_at", &d.issued_at)?;
    rules::check_revocation(issued_at, change.now().effective, &settings_of(tx)?)?;
    let mut event = change.begin_event(
        "direction.revoke",
        number,
        serde_json::json!({ "application": d.application }),
    )?;
    undo(
        change,
        &mut event,
        &d,
        DirectionStatus::Revoked,
        "revoked by the applicant",
    )?;
    outbox::notify(change, &mut event, &d.application, NoticeKind::Revoked, "")?;
    event.finish()?;
    show(tx, number)
}

/// `direction annul` (R-D7): by an officer, any time before enrollment, with a reason.
pub fn annul(change: &Change, number: &str, reason: &str) -> Result<DirectionView> {
    let tx = change.tx();
    let d = load(tx, number)?;
    if d.status()? != DirectionStatus::Issued {
        return Err(Error::refused(
            "R-D7",
            format!("direction {number} is {}; only an issued direction, before enrollment, is annulled", d.status),
        ));
    }
    let mut event = change.begin_event(
        "direction.annul",
        number,
        serde_json::json!({ "application": d.application, "reason": reason }),
    )?;
    undo(change, &mut event, &d, DirectionStatus::Annulled, reason)?;
    outbox::notify(
        change,
        &mut event,
        &d.application,
        NoticeKind::Annulled,
        reason,
    )?;
    event.finish()?;
    show(tx, number)
}

/// `direction enroll` (R-D8): the child arrived with an active direction; a benefit class shows a fresh document.
pub fn enroll(
    change: &Change,
    number: &str,
    benefit_doc_date: Option<NaiveDate>,
) -> Result<DirectionView> {
    let tx = change.tx();
    let d = load(tx, number)?;
    let today = change.now().today();
    let status = d.status()?;
    let until = d.valid_until()?;
    if !rules::is_active(status, until, today) {
        return Err(Error::refused(
            "R-D8",
            format!(
                "direction {number} is {} (valid until {until}); only an active direction enrolls",
                d.status
            ),
        ));
    }
    let app = applications::get(tx, &d.application)?;
    let issue_date = parse_moment("issued_at", &d.issued_at)?.date_naive();
    if app.class() != PriorityClass::General {
        let Some(doc_date) = benefit_doc_date else {
            return Err(Error::refused(
                "R-D8",
                format!(
                    "{} is in the {} class: give the issue date of the benefit document shown (--benefit-doc-date)",
                    app.number, app.priority_class
                ),
            ));
        };
        rules::check_benefit_doc(doc_date, issue_date, today, &settings_of(tx)?)?;
    }
    let now = format_moment(&change.now().effective);
    tx.execute(
        "UPDATE direction SET status = 'enrolled', closed_at = ?2, close_reason = 'enrolled', benefit_doc_date = ?3
         WHERE number = ?1",
        params![number, now, benefit_doc_date.map(|d| d.to_string())],
    )?;
    tx.execute(
        "UPDATE place SET status = 'filled' WHERE id = ?1",
        [d.place_id],
    )?;
    tx.execute(
        "UPDATE application SET status = 'enrolled', removed_at = ?2 WHERE number = ?1 AND status = 'directed'",
        params![app.number, now],
    )?;
    tx.execute(
        "INSERT INTO enrollment (direction, child_iin, org, place_id, enrolled_on) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![number, app.child_iin, d.org, d.place_id, today.to_string()],
    )?;
    let mut event = change.begin_event(
        "direction.enroll",
        number,
        serde_json::json!({ "application": app.number, "org": d.org, "benefit_doc_date": benefit_doc_date.map(|d| d.to_string()) }),
    )?;
    event.touch(DIRECTION, &number)?;
    event.touch(PLACE, &d.place_id)?;
    event.touch(APPLICATION, &app.number)?;
    event.touch(ENROLLMENT, &number)?;
    outbox::notify(
        change,
        &mut event,
        &app.number,
        NoticeKind::Enrolled,
        &format!("{} ({})", d.org, today.format("%d.%m.%Y")),
    )?;
    event.finish()?;
    show(tx, number)
}

/// What `child depart` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Departure {
    pub direction: String,
    pub org: String,
    pub place_id: i64,
    pub departed_on: String,
    pub place_release_date: String,
}

/// `child depart` (R-D9): ends the child's enrollment at an org and frees the place from the next day.
pub fn depart(change: &Change, child_iin: &str, org: &str, date: NaiveDate) -> Result<Departure> {
    let tx = change.tx();
    let found: Option<(String, i64, String)> = tx
        .query_row(
            "SELECT direction, place_id, enrolled_on FROM enrollment
             WHERE child_iin = ?1 AND org = ?2 AND departed_on IS NULL",
            params![child_iin, org],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((direction, place_id, enrolled_on)) = found else {
        return Err(Error::NotFound(format!(
            "an enrollment of child {} at {org} without a departure",
            crate::domain::iin::mask(child_iin)
        )));
    };
    if date < parse_date("enrolled_on", &enrolled_on)? {
        return Err(Error::refused(
            "R-D9",
            format!("the departure date {date} comes before the enrollment of {enrolled_on}"),
        ));
    }
    let release = date + Duration::days(1);
    tx.execute(
        "UPDATE enrollment SET departed_on = ?2 WHERE direction = ?1",
        params![direction, date.to_string()],
    )?;
    tx.execute(
        "UPDATE direction SET departed_on = ?2 WHERE number = ?1",
        params![direction, date.to_string()],
    )?;
    tx.execute(
        "UPDATE place SET status = 'free', release_date = ?2, offer_round = NULL WHERE id = ?1",
        params![place_id, release.to_string()],
    )?;
    change.record(
        "child.depart",
        &direction,
        serde_json::json!({ "org": org, "place_id": place_id, "departed_on": date.to_string() }),
        &[
            (ENROLLMENT, &direction),
            (DIRECTION, &direction),
            (PLACE, &place_id),
        ],
    )?;
    Ok(Departure {
        direction,
        org: org.to_string(),
        place_id,
        departed_on: date.to_string(),
        place_release_date: release.to_string(),
    })
}

/// What `direction verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub number: String,
    pub status: String,
    pub signed_by: String,
    pub key_fingerprint: String,
    pub signature_valid: bool,
}

/// `direction verify` (R-A3): the signature over the stored document against the signer's registered key, and
/// the document against the direction's record. A valid signature on a direction that is no longer live is
/// refused with the rule that ended it. The document of a purged direction is a redaction record
/// (`purge::redact`): the kept signature is verified against the SHA-256 of the signed text it keeps, and the
/// direction, whose document is gone, is refused as not live.
pub fn verify(conn: &Connection, number: &str) -> Result<Verification> {
    // A document edited into bytes that are not text is a forgery like any other, not a read error.
    let text: Option<bool> = conn
        .query_row(
            "SELECT document FROM direction WHERE number = ?1",
            [number],
            |r| Ok(std::str::from_utf8(r.get_ref(0)?.as_bytes().unwrap_or_default()).is_ok()),
        )
        .optional()?;
    if text == Some(false) {
        return Err(Error::Tampered(format!(
            "direction {number}: the signed document is not text: it was edited outside kezek"
        )));
    }
    let d = load(conn, number)?;
    let pem: String = conn
        .query_row(
            "SELECT public_key FROM officer WHERE id = ?1",
            [&d.signed_by],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            Error::Tampered(format!(
                "direction {number} is signed by unknown officer '{}'",
                d.signed_by
            ))
        })?;
    let key = PublicKey::from_pem("officer.public_key", &pem)?;
    let redaction = super::purge::redaction(&d.document);
    match &redaction {
        None if !key.verify(d.document.as_bytes(), &d.signature) => {
            return Err(Error::Tampered(format!(
                "direction {number}: the signature does not match the document and officer '{}''s key",
                d.signed_by
            )));
        }
        Some(r)
            if !r
                .digest
                .is_some_and(|digest| key.verify_digest(&digest, &d.signature)) =>
        {
            return Err(Error::Tampered(format!(
                "direction {number}: the signature does not match the digest its purged document kept and officer '{}''s key",
                d.signed_by
            )));
        }
        _ => {}
    }
    for (field, value) in [
        ("number", d.number.as_str()),
        ("application", d.application.as_str()),
        ("valid_until", d.valid_until.as_str()),
        ("signed_by", d.signed_by.as_str()),
    ] {
        if !d.document.lines().any(|l| l == format!("{field}: {value}")) {
            return Err(Error::Tampered(format!(
                "direction {number}: the signed document does not say {field}: {value}"
            )));
        }
    }
    let status = d.status()?;
    let out = Verification {
        number: d.number.clone(),
        status: d.status.clone(),
        signed_by: d.signed_by.clone(),
        key_fingerprint: key.fingerprint(),
        signature_valid: true,
    };
    if let Some(r) = redaction {
        let purged = format!(
            "its document was purged on {} and only its SHA-256 is kept",
            r.purged
        );
        let (rule, ended) = match status {
            DirectionStatus::Revoked | DirectionStatus::Annulled => {
                ("R-D7", format!("the direction was {}", d.status))
            }
            DirectionStatus::Expired => (
                "R-S2",
                format!("the direction expired on {}", d.valid_until),
            ),
            // A purge never redacts the document of an issued direction; were one found, its document is gone.
            DirectionStatus::Issued => ("R-A3", "the direction is issued".to_string()),
            DirectionStatus::Enrolled => (
                "R-D8",
                format!(
                    "the child was enrolled{} and the service is completed",
                    d.closed_at
                        .as_deref()
                        .map(|at| format!(" on {}", at.get(..10).unwrap_or(at)))
                        .unwrap_or_default()
                ),
            ),
        };
        return Err(Error::refused(
            rule,
            format!("direction {number}: the signature is valid but {ended}; {purged}"),
        ));
    }
    match status {
        DirectionStatus::Issued | DirectionStatus::Enrolled => Ok(out),
        DirectionStatus::Revoked | DirectionStatus::Annulled => Err(Error::refused(
            "R-D7",
            format!(
                "direction {number}: the signature is valid but the direction was {}",
                d.status
            ),
        )),
        DirectionStatus::Expired => Err(Error::refused(
            "R-S2",
            format!(
                "direction {number}: the signature is valid but the direction expired on {}",
                d.valid_until
            ),
        )),
    }
}

/// Filters of `direction list`.
#[derive(Debug, Clone, Default)]
pub struct DirectionFilter {
    pub status: Option<DirectionStatus>,
    pub application: Option<String>,
    pub org: Option<String>,
    pub limit: Option<usize>,
}

pub fn list(conn: &Connection, f: &DirectionFilter) -> Result<Vec<DirectionListRow>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE (?1 IS NULL OR d.status = ?1) AND (?2 IS NULL OR d.application = ?2)
           AND (?3 IS NULL OR p.org = ?3) ORDER BY d.issued_at, d.number LIMIT ?4"
    ))?;
    let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
    let rows = stmt.query_map(
        params![f.status.map(|s| s.as_str()), f.application, f.org, limit],
        from_row,
    )?;
    let mut out = Vec::new();
    for row in rows {
        let d = row?;
        out.push(DirectionListRow {
            number: d.number,
            application: d.application,
            place_id: d.place_id,
            org: d.org,
            status: d.status,
            issued_at: d.issued_at,
            valid_until: d.valid_until,
            extended: d.extended,
            officer: d.officer,
        });
    }
    Ok(out)
}

/// The application behind a direction, for documents.
pub fn application_of(conn: &Connection, number: &str) -> Result<AppRow> {
    let d = load(conn, number)?;
    applications::get(conn, &d.application)
}
