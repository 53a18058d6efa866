//! `direction issue` (R-D1..R-D5, R-A3): the reading its rules decide on, and the writes.

use chrono::{DateTime, Datelike, FixedOffset};
use rusqlite::{params, Connection, OptionalExtension};

use super::document::{document, org_info};
use super::rows::{show, DirectionView};
use crate::crypto::PrivateKey;
use crate::domain::application::QueueType;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::direction::{self as rules, IssueFacts};
use crate::domain::notify::Fact;
use crate::domain::org::OrgKind;
use crate::domain::place::{PlaceStatus, PlaceType};
use crate::domain::settings::Settings;
use crate::domain::time::{format_moment, parse_date};
use crate::error::Result;
use crate::faults::{self, Fault};
use crate::store::access::{self, Access};
use crate::store::applications::{self, AppRow};
use crate::store::change::Change;
use crate::store::journal::{EventWriter, APPLICATION, DIRECTION, ENROLLMENT, PLACE};
use crate::store::offers::{self, enrolled_at};
use crate::store::outbox;
use crate::store::places;
use crate::store::reference::{load_settings, working_calendar};

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

/// R-C5: the organizations of the live directions (issued, or enrolled with no departure) of the other members
/// of the application's sibling group.
pub fn sibling_orgs(conn: &Connection, app: &AppRow) -> Result<Vec<String>> {
    let Some(group) = &app.sibling_group else {
        return Ok(Vec::new());
    };
    Ok(conn
        .prepare_cached(
            "SELECT DISTINCT p.org FROM application a JOIN direction d ON d.application = a.number
             JOIN place p ON p.id = d.place_id
             WHERE a.sibling_group = ?1 AND a.number <> ?2
               AND (d.status = 'issued' OR (d.status = 'enrolled' AND d.departed_on IS NULL))",
        )?
        .query_map(params![group, app.number], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
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
fn read_for_issue(
    db: &impl Access,
    application: &str,
    place_id: i64,
    now: DateTime<FixedOffset>,
) -> Result<IssueReading> {
    let conn = access::conn(db);
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
        by_allocation: false,
        transfer: app.transfer,
        place_org: place.org.clone(),
        sibling_orgs: sibling_orgs(conn, &app)?,
    };
    Ok(IssueReading {
        app,
        place,
        org_kind,
        facts,
    })
}

/// `kezek direction issue` (R-D1..R-D5, R-A3): reads the settings and the calendar inside the change, then
/// `issue`. With the race suite's deliberate fault (`Fault::ReadOutsideTransaction`) the facts are read before
/// the write transaction instead, and may be stale by the time they are written on.
pub fn run_issue(
    change: &Change,
    application: &str,
    place_id: i64,
    key: &PrivateKey,
) -> Result<DirectionView> {
    let stale = if faults::active(Fault::ReadOutsideTransaction) {
        let now = change.now().effective;
        Some(
            change
                .read_outside_for_fault(|conn| read_for_issue(conn, application, place_id, now))?,
        )
    } else {
        None
    };
    let settings = load_settings(change)?;
    let calendar = working_calendar(change)?;
    issue(
        change,
        application,
        place_id,
        key,
        &settings,
        &calendar,
        stale,
    )
}

/// `direction issue` (R-D1..R-D5, R-A3) with the settings and calendar the caller read in this change (a
/// simulation issuing many): checks every refusal, signs the document with the acting officer's key. `stale`
/// is `None` but for `run_issue`'s deliberate fault: a reading taken outside this transaction.
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
    change.may_reach_org(&places::get(change.tx(), place_id)?.org)?;
    offers::close_windows(change, now)?;
    let reading = match stale {
        Some(reading) => reading,
        None => read_for_issue(change.tx(), application, place_id, now)?,
    };
    let number = write_issue(change, reading, key, settings, calendar)?;
    show(change.tx(), &number)
}

/// The directions the allocation gives (R-C2), written into the allocation's own event: the same checks but
/// where the place may be (free or offered), the same documents and notices. The documents are signed on every
/// core at once (a signature is most of a direction's cost); the caller closed the ended windows once for the
/// whole allocation. Returns the directions' numbers, in the order of `pairs` (application, place).
pub fn issue_allocated<'c>(
    change: &'c Change,
    event: &mut EventWriter<'c>,
    pairs: &[(String, i64)],
    key: &PrivateKey,
    settings: &Settings,
    calendar: &WorkingCalendar,
) -> Result<Vec<String>> {
    let now = change.now().effective;
    let first = next_number(change.tx(), now.year())?;
    let first_seq: u32 = first
        .rsplit('.')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut prepared = Vec::with_capacity(pairs.len());
    for (i, (application, place_id)) in pairs.iter().enumerate() {
        let mut reading = read_for_issue(change.tx(), application, *place_id, now)?;
        reading.facts.by_allocation = true;
        let number = rules::format_number(now.year(), first_seq + i as u32);
        prepared.push(prepare(change, reading, settings, calendar, number, key)?);
    }
    let texts: Vec<&str> = prepared.iter().map(|p| p.text.as_str()).collect();
    let signatures = sign_all(key, &texts);
    let mut numbers = Vec::with_capacity(pairs.len());
    for (p, signature) in prepared.into_iter().zip(signatures) {
        numbers.push(write(change, p, signature, Written::Into(&mut *event))?);
    }
    Ok(numbers)
}

/// Signs every text, on as many threads as the machine has cores.
fn sign_all(key: &PrivateKey, texts: &[&str]) -> Vec<Vec<u8>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || texts.len() < 64 {
        return texts.iter().map(|t| key.sign(t.as_bytes())).collect();
    }
    let chunk = texts.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|t| key.sign(t.as_bytes()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().expect("a signing thread ends"))
            .collect()
    })
}

/// Where a direction's writes are journaled: an event of its own (`direction issue`), or the allocation's.
enum Written<'e, 't> {
    Alone,
    Into(&'e mut EventWriter<'t>),
}

/// A direction decided and its document written, not yet signed.
struct Prepared {
    app: AppRow,
    place: places::PlaceRow,
    org_kind: OrgKind,
    number: String,
    until: chrono::NaiveDate,
    issued_at: String,
    officer: String,
    text: String,
}

fn write_issue(
    change: &Change,
    reading: IssueReading,
    key: &PrivateKey,
    settings: &Settings,
    calendar: &WorkingCalendar,
) -> Result<String> {
    let number = next_number(change.tx(), change.now().effective.year())?;
    let prepared = prepare(change, reading, settings, calendar, number, key)?;
    let signature = key.sign(prepared.text.as_bytes());
    write(change, prepared, signature, Written::Alone)
}

/// R-D1..R-D5, R-C6: decides, then writes the document numbered `number`.
fn prepare(
    change: &Change,
    reading: IssueReading,
    settings: &Settings,
    calendar: &WorkingCalendar,
    number: String,
    key: &PrivateKey,
) -> Result<Prepared> {
    let now = change.now().effective;
    let IssueReading {
        app,
        place,
        org_kind,
        facts,
    } = reading;
    rules::check_issue(&facts, settings)?;
    change.pause();
    let until = rules::valid_until(now.date_naive(), calendar, settings);
    let issued_at = format_moment(&now);
    let officer = change.officer().to_string();
    let text = document(
        change.tx(),
        &number,
        &app,
        &place,
        &issued_at,
        until,
        None,
        &officer,
        &officer,
        key,
    )?
    .text();
    Ok(Prepared {
        app,
        place,
        org_kind,
        number,
        until,
        issued_at,
        officer,
        text,
    })
}

/// The writes of a signed direction: its row, the place, the application, the journal and the notices.
fn write<'c>(
    change: &'c Change,
    p: Prepared,
    signature: Vec<u8>,
    written: Written<'_, 'c>,
) -> Result<String> {
    let tx = change.tx();
    let Prepared {
        app,
        place,
        org_kind,
        number,
        until,
        issued_at,
        officer,
        text,
    } = p;
    let (application, place_id) = (app.number.as_str(), place.id);
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
    let mut own = None;
    let event: &mut EventWriter<'c> = match written {
        Written::Into(event) => event,
        Written::Alone => own.insert(change.begin_event(
            "direction.issue",
            &number,
            serde_json::json!({ "application": application, "place_id": place_id, "org": place.org, "valid_until": until.to_string() }),
        )?),
    };
    event.touch(DIRECTION, &number)?;
    event.touch(PLACE, &place_id)?;
    event.touch(APPLICATION, &application)?;
    let fact = Fact::DirectionIssued {
        direction: number.clone(),
        org: place.org.clone(),
        org_name: org_info(tx, &place.org)?.name,
        until,
    };
    outbox::notify(change, event, application, fact)?;
    if org_kind == OrgKind::Private {
        let fact = Fact::Removed {
            reason: "private_direction".into(),
        };
        outbox::notify(change, event, application, fact)?;
    }
    if let Some(own) = own {
        own.finish()?;
    }
    Ok(number)
}

/// R-C4: a direction of an exchange, signed as every direction is and enrolled at once: the child leaves its
/// place (`leaves`, its enrollment departed the day before) for `place_id`, which the next member of the cycle
/// leaves in the same transaction. The caller departs every member's old enrollment before any new one is
/// written. Returns the direction's number.
pub fn write_exchanged<'c>(
    change: &'c Change,
    event: &mut EventWriter<'c>,
    application: &str,
    place_id: i64,
    key: &PrivateKey,
) -> Result<String> {
    let now = change.now().effective;
    let today = now.date_naive();
    let tx = change.tx();
    let app = applications::get(tx, application)?;
    let place = places::get(tx, place_id)?;
    let number = next_number(tx, now.year())?;
    let issued_at = format_moment(&now);
    let officer = change.officer().to_string();
    let doc = document(
        tx, &number, &app, &place, &issued_at, today, None, &officer, &officer, key,
    )?;
    let text = doc.text();
    let signature = key.sign(text.as_bytes());
    tx.execute(
        "INSERT INTO direction (number, application, place_id, status, issued_at, valid_until, officer, signed_by,
            document, signature, closed_at, close_reason)
         VALUES (?1, ?2, ?3, 'enrolled', ?4, ?5, ?6, ?6, ?7, ?8, ?4, 'exchanged')",
        params![number, application, place_id, issued_at, today.to_string(), officer, text, signature],
    )?;
    tx.execute(
        "INSERT INTO enrollment (direction, child_iin, org, place_id, enrolled_on) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![number, app.child_iin, place.org, place_id, today.to_string()],
    )?;
    tx.execute(
        "UPDATE application SET status = 'enrolled', offer_round = NULL, removed_at = ?2 WHERE number = ?1",
        params![application, issued_at],
    )?;
    event.touch(DIRECTION, &number)?;
    event.touch(ENROLLMENT, &number)?;
    event.touch(APPLICATION, &application)?;
    let org_name = org_info(tx, &place.org)?.name;
    outbox::notify(
        change,
        event,
        application,
        Fact::Enrolled {
            org: place.org.clone(),
            org_name,
            date: today,
        },
    )?;
    Ok(number)
}
