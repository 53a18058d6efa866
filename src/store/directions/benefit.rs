//! Benefit confirmation (R-I1): `direction confirm-benefit`, and the sweep's annulment of the directions whose
//! benefit was not confirmed in time.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use super::rows::{load, show, DirectionView};
use crate::domain::application::Document;
use crate::domain::benefit::{check_confirmation, deadline};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::direction::DirectionStatus;
use crate::domain::notify::Fact;
use crate::domain::settings::Settings;
use crate::domain::time::{format_moment, parse_moment};
use crate::error::Result;
use crate::store::applications;
use crate::store::change::Change;
use crate::store::journal::{APPLICATION, DIRECTION, PLACE};
use crate::store::outbox;
use crate::store::reference;

/// `kezek direction confirm-benefit DIR --doc KIND:NUMBER:DATE` (R-I1): the officer saw the benefit document;
/// it is kept with the application's documents and the direction is confirmed.
pub fn confirm(change: &Change, number: &str, doc: &str) -> Result<DirectionView> {
    let tx = change.tx();
    let today = change.now().today();
    let settings = reference::load_settings(tx)?;
    let d = load(tx, number)?;
    change.may_reach_org(&d.org)?;
    let app = applications::get(tx, &d.application)?;
    let doc = Document::parse("--doc", doc, today)?;
    let confirmed: Option<String> = tx
        .prepare_cached("SELECT benefit_confirmed_at FROM direction WHERE number = ?1")?
        .query_row([number], |r| r.get(0))
        .optional()?
        .flatten();
    check_confirmation(
        number,
        d.status()? == DirectionStatus::Issued,
        app.class(),
        confirmed.is_some(),
        doc.issue_date,
        today,
        &settings,
    )?;
    let mut docs: Vec<Document> = serde_json::from_str(&app.docs).unwrap_or_default();
    docs.push(doc.clone());
    tx.execute(
        "UPDATE direction SET benefit_confirmed_at = ?2, benefit_doc_date = ?3 WHERE number = ?1",
        params![
            number,
            format_moment(&change.now().effective),
            doc.issue_date.to_string()
        ],
    )?;
    tx.execute(
        "UPDATE application SET docs = ?2 WHERE number = ?1",
        params![
            app.number,
            serde_json::to_string(&docs).expect("documents serialize")
        ],
    )?;
    change.record(
        "direction.confirm_benefit",
        number,
        serde_json::json!({ "application": app.number, "doc_date": doc.issue_date.to_string() }),
        &[(DIRECTION, &number), (APPLICATION, &app.number)],
    )?;
    show(tx, number)
}

/// R-I1 in the sweep of `day`: every issued, unconfirmed direction of a benefit class whose deadline ended
/// before the day. One that R-S2 expires tonight only moves its application to the general class (R-S2 does
/// the rest); any other is annulled, its place freed, its application stop-listed (R-S2's stop list, from the
/// deadline) and moved to the general class, its registration time kept, and the family told why. Returns how
/// many were annulled.
pub fn sweep_unconfirmed(
    change: &Change,
    day: NaiveDate,
    settings: &Settings,
    calendar: &WorkingCalendar,
) -> Result<u64> {
    let tx = change.tx();
    let due: Vec<(String, String, i64, String, String)> = tx
        .prepare(
            "SELECT d.number, d.application, d.place_id, d.issued_at, d.valid_until
             FROM direction d JOIN application a ON a.number = d.application
             WHERE d.status = 'issued' AND d.benefit_confirmed_at IS NULL AND a.priority_class <> 'general'
             ORDER BY d.number",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut due_now = Vec::new();
    for (number, application, place, issued_at, valid_until) in due {
        let end = deadline(
            parse_moment("issued_at", &issued_at)?.date_naive(),
            calendar,
            settings,
        );
        if end < day {
            due_now.push((number, application, place, valid_until, end));
        }
    }
    if due_now.is_empty() {
        return Ok(0);
    }
    let now = format_moment(&change.now().effective);
    let mut event = change.begin_event(
        "sweep.benefit",
        &day.to_string(),
        serde_json::json!({ "date": day.to_string(), "directions": due_now.len() }),
    )?;
    let mut annulled = 0;
    for (number, application, place, valid_until, end) in &due_now {
        tx.execute(
            "UPDATE application SET priority_class = 'general', category = NULL WHERE number = ?1",
            [application],
        )?;
        if valid_until.as_str() < day.to_string().as_str() {
            // Expired tonight by R-S2, which stop-lists it; the class moves here.
            event.touch(APPLICATION, application)?;
            continue;
        }
        let until = calendar.add_working_days(*end, settings.stop_list_working_days);
        tx.execute(
            "UPDATE direction SET status = 'annulled', closed_at = ?2, close_reason = 'benefit_unconfirmed'
             WHERE number = ?1",
            params![number, now],
        )?;
        tx.execute(
            "UPDATE place SET status = 'free', offer_round = NULL WHERE id = ?1",
            [place],
        )?;
        tx.execute(
            "UPDATE application SET status = 'stop_listed', stop_list_until = ?2, offer_round = NULL
             WHERE number = ?1",
            params![application, until.to_string()],
        )?;
        event.touch(DIRECTION, number)?;
        event.touch(PLACE, place)?;
        event.touch(APPLICATION, application)?;
        outbox::notify(
            change,
            &mut event,
            application,
            Fact::BenefitUnconfirmed {
                direction: number.clone(),
                until,
            },
        )?;
        annulled += 1;
    }
    event.finish()?;
    Ok(annulled)
}
