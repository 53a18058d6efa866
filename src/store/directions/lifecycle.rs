//! The life of an issued direction: extension (R-D6), revocation and annulment (R-D7), enrollment (R-D8) and the
//! child's departure (R-D9).

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::document::document;
use super::rows::{load, show, DirectionRow, DirectionView};
use crate::crypto::PrivateKey;
use crate::domain::category::PriorityClass;
use crate::domain::direction::{self as rules, DirectionStatus};
use crate::domain::notify::Fact;
use crate::domain::settings::Settings;
use crate::domain::time::{format_moment, parse_date, parse_moment};
use crate::error::{Error, Result};
use crate::store::applications;
use crate::store::change::Change;
use crate::store::journal::{EventWriter, APPLICATION, DIRECTION, ENROLLMENT, PLACE};
use crate::store::outbox;
use crate::store::places;
use crate::tr;

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
    change.may_reach_org(&d.org)?;
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
    outbox::notify(change, &mut event, &d.application, Fact::Extended { until })?;
    event.finish()?;
    show(tx, number)
}

fn settings_of(conn: &Connection) -> Result<Settings> {
    crate::store::reference::load_settings(conn)
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
    change.may_reach_org(&d.org)?;
    if d.status()? != DirectionStatus::Issued {
        return Err(Error::refused(
            "R-D7",
            tr!(
                "err-directions-cannot-revoke",
                number = number.to_string(),
                status = d.status.clone()
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
    outbox::notify(change, &mut event, &d.application, Fact::Revoked)?;
    event.finish()?;
    show(tx, number)
}

/// `direction annul` (R-D7): by an officer, any time before enrollment, with a reason.
pub fn annul(change: &Change, number: &str, reason: &str) -> Result<DirectionView> {
    let tx = change.tx();
    let d = load(tx, number)?;
    change.may_reach_org(&d.org)?;
    if d.status()? != DirectionStatus::Issued {
        return Err(Error::refused(
            "R-D7",
            tr!(
                "err-directions-cannot-annul",
                number = number.to_string(),
                status = d.status.clone()
            ),
        ));
    }
    let mut event = change.begin_event(
        "direction.annul",
        number,
        serde_json::json!({ "application": d.application, "reason": reason }),
    )?;
    undo(change, &mut event, &d, DirectionStatus::Annulled, reason)?;
    outbox::notify(change, &mut event, &d.application, Fact::Annulled)?;
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
    change.may_reach_org(&d.org)?;
    let today = change.now().today();
    let status = d.status()?;
    let until = d.valid_until()?;
    if !rules::is_active(status, until, today) {
        return Err(Error::refused(
            "R-D8",
            tr!(
                "err-directions-not-active",
                number = number.to_string(),
                status = d.status.clone(),
                until = until.to_string()
            ),
        ));
    }
    let app = applications::get(tx, &d.application)?;
    let issue_date = parse_moment("issued_at", &d.issued_at)?.date_naive();
    if app.class() != PriorityClass::General {
        let Some(doc_date) = benefit_doc_date else {
            return Err(Error::refused(
                "R-D8",
                tr!(
                    "err-directions-benefit-doc",
                    number = app.number.clone(),
                    class = app.priority_class.clone()
                ),
            ));
        };
        rules::check_benefit_doc(doc_date, issue_date, today, &settings_of(tx)?)?;
    }
    // R-C3: a transfer leaves the old organization as the child enters the new one: the departure is recorded
    // (the day before) and the old place freed in this transaction, never before.
    let left = if app.transfer {
        leave_for_transfer(tx, &app.child_iin, today)?
    } else {
        None
    };
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
    if let Some((old, place)) = &left {
        event.touch(ENROLLMENT, old)?;
        event.touch(DIRECTION, old)?;
        event.touch(PLACE, place)?;
    }
    outbox::notify(
        change,
        &mut event,
        &app.number,
        Fact::Enrolled {
            org: d.org.clone(),
            org_name: super::document::org_info(tx, &d.org)?.name,
            date: today,
        },
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
/// R-C3: ends the enrollment a transferring child leaves: departed the day before `today` (or on the day it
/// began), the place free from `today`. Returns the old direction and place.
fn leave_for_transfer(
    tx: &rusqlite::Connection,
    child_iin: &str,
    today: NaiveDate,
) -> Result<Option<(String, i64)>> {
    let found: Option<(String, i64, String)> = tx
        .query_row(
            "SELECT direction, place_id, enrolled_on FROM enrollment WHERE child_iin = ?1 AND departed_on IS NULL",
            [child_iin],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((direction, place_id, enrolled_on)) = found else {
        return Ok(None);
    };
    let departed = (today - Duration::days(1)).max(parse_date("enrolled_on", &enrolled_on)?);
    tx.execute(
        "UPDATE enrollment SET departed_on = ?2 WHERE direction = ?1",
        params![direction, departed.to_string()],
    )?;
    tx.execute(
        "UPDATE direction SET departed_on = ?2 WHERE number = ?1",
        params![direction, departed.to_string()],
    )?;
    tx.execute(
        "UPDATE place SET status = 'free', release_date = ?2, offer_round = NULL WHERE id = ?1",
        params![place_id, today.to_string()],
    )?;
    Ok(Some((direction, place_id)))
}

pub fn depart(change: &Change, child_iin: &str, org: &str, date: NaiveDate) -> Result<Departure> {
    change.may_reach_org(org)?;
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
        return Err(Error::NotFound(tr!(
            "err-directions-no-enrollment",
            child = crate::domain::iin::mask(child_iin),
            org = org.to_string()
        )));
    };
    if date < parse_date("enrolled_on", &enrolled_on)? {
        return Err(Error::refused(
            "R-D9",
            tr!(
                "err-directions-departure-early",
                date = date.to_string(),
                enrolled = enrolled_on
            ),
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
