//! Benefit confirmation (R-I1): `direction confirm-benefit`, and the sweep's annulment of the directions whose
//! benefit was not confirmed in time.

use chrono::NaiveDate;
use rusqlite::types::Value;
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
use crate::store::sweep::{close_directions, set_wise};

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
            // From the applications that may hold one (the index names exactly them), not from every issued
            // direction: a night reads the benefit classes' directions alone.
            "SELECT d.number, d.application, d.place_id, d.issued_at, d.valid_until
             FROM application a INDEXED BY application_benefit_directed
             CROSS JOIN direction d ON d.application = a.number AND d.status = 'issued'
             WHERE a.priority_class <> 'general'
               AND (a.status = 'directed' OR a.removed_reason = 'private_direction')
               AND d.benefit_confirmed_at IS NULL
             ORDER BY d.number",
        )?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
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
    // A night may annul thousands: in parts, each table written set-wise, as the sweep expires directions.
    let day_text = day.to_string();
    let now = Value::Text(now);
    let list =
        |items: Vec<serde_json::Value>| Value::Text(serde_json::Value::from(items).to_string());
    let mut annulled = 0;
    for part in due_now.chunks(crate::store::sweep::SWEEP_PART) {
        let all = list(part.iter().map(|d| d.1.as_str().into()).collect());
        set_wise(
            tx,
            "UPDATE application SET priority_class = 'general', category = NULL
             WHERE number IN (SELECT value FROM json_each(?1))",
            &[&all],
            part.len(),
        )?;
        // Expired tonight by R-S2, which stop-lists it; the class moves here.
        let (expired, annul): (Vec<_>, Vec<_>) =
            part.iter().partition(|d| d.3.as_str() < day_text.as_str());
        if !expired.is_empty() {
            let expired = list(expired.iter().map(|d| d.1.as_str().into()).collect());
            event.touch_where(
                APPLICATION,
                " AND number IN (SELECT value FROM json_each(?1))",
                &[&expired],
            )?;
        }
        if annul.is_empty() {
            continue;
        }
        let untils: Vec<NaiveDate> = annul
            .iter()
            .map(|d| calendar.add_working_days(d.4, settings.stop_list_working_days))
            .collect();
        let directions = list(annul.iter().map(|d| d.0.as_str().into()).collect());
        let places = list(annul.iter().map(|d| d.2.into()).collect());
        let stopped = list(
            annul
                .iter()
                .zip(&untils)
                .map(|(d, until)| serde_json::json!([d.1, until.to_string()]))
                .collect(),
        );
        close_directions(
            tx,
            (&directions, &places),
            ("annulled", "benefit_unconfirmed"),
            &now,
            annul.len(),
        )?;
        set_wise(
            tx,
            // A private direction's application left the queue (R-D4); annulled, it comes back stop-listed, as
            // a revoked one comes back queued.
            "UPDATE application SET status = 'stop_listed', stop_list_until = j.value ->> 1, offer_round = NULL,
                removed_reason = NULL, removed_at = NULL
             FROM json_each(?1) AS j WHERE application.number = j.value ->> 0",
            &[&stopped],
            annul.len(),
        )?;
        event.touch_where(
            DIRECTION,
            " AND number IN (SELECT value FROM json_each(?1))",
            &[&directions],
        )?;
        event.touch_where(
            PLACE,
            " AND id IN (SELECT value FROM json_each(?1))",
            &[&places],
        )?;
        event.touch_where(
            APPLICATION,
            " AND number IN (SELECT value ->> 0 FROM json_each(?1))",
            &[&stopped],
        )?;
        let contacts = outbox::contacts(
            tx,
            &list(annul.iter().map(|d| d.1.as_str().into()).collect()),
        )?;
        let notices: Vec<outbox::Notice> = annul
            .iter()
            .zip(untils)
            .map(|(d, until)| outbox::Notice {
                number: &d.1,
                contact: &contacts[&d.1],
                fact: Fact::BenefitUnconfirmed {
                    direction: d.0.clone(),
                    until,
                },
            })
            .collect();
        outbox::notify_all(change, &mut event, &notices)?;
        annulled += annul.len() as u64;
    }
    event.finish()?;
    Ok(annulled)
}
