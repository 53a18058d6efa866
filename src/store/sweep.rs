//! The nightly sweep (R-S1..R-S7): one transaction that processes a day D as of its start.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};

use super::change::Change;
use super::journal::{EventWriter, APPLICATION, DIRECTION, PLACE, SWEEP_RUN};
use super::offers;
use super::outbox::{self, Contact, Notice};
use super::reference;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::notify::Fact;
use crate::domain::settings::Settings;
use crate::domain::sweep::{
    after_expiry, age_limit_birth_date, check_day_has_begun, AfterExpiry, SweepSummary,
};
use crate::domain::time::{format_moment, parse_date, start_of_day};
use crate::error::Result;

/// An issued direction whose validity ended, with what the sweep needs of its application.
struct Expiring {
    number: String,
    application: String,
    place_id: i64,
    valid_until: String,
    status: String,
    expired_count: i64,
    contact: Contact,
}

/// What a sweep did, and when the same day was swept before (if it was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepOutcome {
    pub summary: SweepSummary,
    pub first_run_at: Option<String>,
    /// The setting the sweep removed applications at (R-S2), for its summary.
    pub max_expirations: u32,
}

/// `kezek sweep` of day `day`: refuses a day that has not begun (R-S6), reads the settings and the calendar
/// inside the change, then `sweep`.
pub fn run(change: &Change, day: NaiveDate) -> Result<SweepOutcome> {
    check_day_has_begun(day, change.now().today())?;
    let settings = reference::load_settings(change)?;
    let calendar = reference::working_calendar(change)?;
    sweep(change, day, &settings, &calendar)
}

/// R-S1..R-S6 for day `day`, with the settings and calendar the caller read in this change. Idempotent: a
/// second run for the same day finds nothing left to do.
pub fn sweep(
    change: &Change,
    day: NaiveDate,
    settings: &Settings,
    calendar: &WorkingCalendar,
) -> Result<SweepOutcome> {
    let tx = change.tx();
    let now = format_moment(&change.now().effective);
    // R-S1: the offer windows that ended before the day began.
    let mut summary = SweepSummary {
        windows_closed: offers::close_windows(change, start_of_day(day))?.windows,
        ..SweepSummary::default()
    };

    // R-I1: benefit directions not confirmed in time (before R-S2, which expires those that end tonight).
    summary.benefits_unconfirmed =
        super::directions::sweep_unconfirmed(change, day, settings, calendar)?;

    // R-S2: issued directions whose validity ended before the day (one at most per application and per place, as
    // the unique indexes keep it); the family's contact is read with the direction.
    let expiring: Vec<Expiring> = tx
        .prepare(
            "SELECT d.number, d.application, d.place_id, d.valid_until, a.status, a.expired_count,
                    a.email, a.phone, a.language
             FROM direction d JOIN application a ON a.number = d.application
             WHERE d.status = 'issued' AND d.valid_until < ?1 ORDER BY d.valid_until, d.number",
        )?
        .query_map([day.to_string()], |r| {
            Ok(Expiring {
                number: r.get(0)?,
                application: r.get(1)?,
                place_id: r.get(2)?,
                valid_until: r.get(3)?,
                status: r.get(4)?,
                expired_count: r.get(5)?,
                contact: Contact {
                    email: r.get(6)?,
                    phone: r.get(7)?,
                    language: r.get(8)?,
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if !expiring.is_empty() {
        let mut event = change.begin_event(
            "sweep.expire",
            &day.to_string(),
            serde_json::json!({ "date": day.to_string(), "directions": expiring.len() }),
        )?;
        for part in expiring.chunks(SWEEP_PART) {
            expire(
                change,
                &mut event,
                part,
                (settings, calendar),
                &now,
                &mut summary,
            )?;
        }
        event.finish()?;
    }

    // R-S3: stop lists whose last day is before the day: queued again at the original position. (`+number`
    // keeps the planner on the stop-list index: ordering by the key would scan the whole table, as would R-S4.)
    let ending: Vec<String> = tx
        .prepare("SELECT number FROM application WHERE status = 'stop_listed' AND stop_list_until < ?1 ORDER BY +number")?
        .query_map([day.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if !ending.is_empty() {
        let mut event = change.begin_event(
            "sweep.stop_list_end",
            &day.to_string(),
            serde_json::json!({ "date": day.to_string(), "applications": ending.len() }),
        )?;
        let mut requeue = tx.prepare_cached(
            "UPDATE application SET status = 'queued', stop_list_until = NULL WHERE number = ?1",
        )?;
        for number in &ending {
            requeue.execute([number])?;
            event.touch(APPLICATION, number)?;
        }
        summary.stop_lists_ended = ending.len() as u64;
        event.finish()?;
    }

    // R-S4: waiting children who reached the maximum age.
    summary.removed_age_limit = remove_aged(change, day, settings, &now)?;

    // R-S6: the day is recorded once; a later run for it reports what it found (nothing, normally).
    let first_run_at: Option<String> = tx
        .query_row(
            "SELECT ran_at FROM sweep_run WHERE date = ?1",
            [day.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    if first_run_at.is_none() {
        tx.execute(
            "INSERT INTO sweep_run (date, ran_at, summary) VALUES (?1, ?2, ?3)",
            params![
                day.to_string(),
                now,
                serde_json::to_string(&summary).expect("a summary serializes")
            ],
        )?;
        let key = day.to_string();
        change.record(
            "sweep.run",
            &key,
            serde_json::to_value(summary).expect("a summary serializes"),
            &[(SWEEP_RUN, &key)],
        )?;
    }
    Ok(SweepOutcome {
        summary,
        first_run_at,
        max_expirations: settings.max_expirations,
    })
}

/// R-S2 for one part of the expiring directions: their rows written set-wise, a statement per kind of change
/// over JSON lists of keys, recorded in `event` read back in key order, and the families notified.
fn expire(
    change: &Change,
    event: &mut EventWriter,
    part: &[Expiring],
    (settings, calendar): (&Settings, &WorkingCalendar),
    now: &str,
    summary: &mut SweepSummary,
) -> Result<()> {
    let tx = change.tx();
    // The notifications follow the rows, direction by direction, as the families get them.
    let mut directions = Vec::new();
    let mut places = Vec::new();
    let mut removed = Vec::new();
    let mut stopped = Vec::new();
    let mut notices = Vec::new();
    for d in part {
        directions.push(serde_json::json!(d.number));
        places.push(serde_json::json!(d.place_id));
        summary.directions_expired += 1;
        // A private direction's application left the queue when it was issued (R-D4).
        if d.status != "directed" {
            continue;
        }
        let count = d.expired_count + 1;
        let last_valid = parse_date("valid_until", &d.valid_until)?;
        let after = after_expiry(count as u32, last_valid, calendar, settings);
        match after {
            AfterExpiry::Removed => {
                removed.push(serde_json::json!([d.application, count]));
                summary.removed_expired_twice += 1;
            }
            AfterExpiry::StopListed { until } => {
                stopped.push(serde_json::json!([d.application, until.to_string(), count]));
                summary.stop_listed += 1;
            }
        }
        // R-S5: one notice of the expiry and of what follows it.
        notices.push(Notice {
            number: &d.application,
            contact: &d.contact,
            fact: Fact::Expired {
                direction: d.number.clone(),
                after,
                expired_count: count as u32,
            },
        });
    }
    let list =
        |items: Vec<serde_json::Value>| Value::Text(serde_json::Value::Array(items).to_string());
    let (removed_count, stopped_count) = (removed.len(), stopped.len());
    let (directions, places) = (list(directions), list(places));
    let (removed, stopped) = (list(removed), list(stopped));
    let now_value = Value::Text(now.to_string());
    close_directions(
        tx,
        (&directions, &places),
        ("expired", "expired"),
        &now_value,
        part.len(),
    )?;
    set_wise(
        tx,
        "UPDATE application SET status = 'removed', removed_reason = 'expired_twice',
            expired_count = j.value ->> 1, offer_round = NULL, removed_at = ?2
         FROM json_each(?1) AS j WHERE application.number = j.value ->> 0",
        &[&removed, &now_value],
        removed_count,
    )?;
    set_wise(
        tx,
        "UPDATE application SET status = 'stop_listed', stop_list_until = j.value ->> 1,
            expired_count = j.value ->> 2, offer_round = NULL
         FROM json_each(?1) AS j WHERE application.number = j.value ->> 0",
        &[&stopped],
        stopped_count,
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
    for changed in [&removed, &stopped] {
        event.touch_where(
            APPLICATION,
            " AND number IN (SELECT value ->> 0 FROM json_each(?1))",
            &[changed],
        )?;
    }
    outbox::notify_all(change, event, &notices)?;
    Ok(())
}

/// How many rows the sweep changes in one statement (R-S2's expired directions, R-S4's over-age applications):
/// SQLite's statement journal keeps every page a statement changes until it ends, and a first night that ages
/// out millions (a country's queue migrated with years of history) reads R-S4's applications one part at a time
/// (R-O2). R-S2's directions are read whole: at most one per place.
pub(in crate::store) const SWEEP_PART: usize = 2048;

/// A waiting application R-S4 removes, with where its notice goes.
struct Aged {
    number: String,
    contact: Contact,
}

/// The columns R-S4 reads of an application it removes, and the condition that it is waiting and over age
/// (`?1`: the limit birth date).
const AGED_COLUMNS: &str = "number, email, phone, language";

/// R-S4: removes the waiting applications of children born on or before the age limit of `day`, in key order,
/// in parts each written set-wise and notified, all in one event. Gives how many. A usual night's few are found
/// by the birth-date index; a night that ages out more than a part (a queue migrated with years of history)
/// walks the key from part to part instead, so that each part's rows lie together in the table.
fn remove_aged(change: &Change, day: NaiveDate, settings: &Settings, now: &str) -> Result<u64> {
    let tx = change.tx();
    let limit = age_limit_birth_date(day, settings).to_string();
    let read = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<Vec<Aged>> {
        let mut stmt = tx.prepare_cached(sql)?;
        let rows = stmt.query_map(params, |r| {
            Ok(Aged {
                number: r.get(0)?,
                contact: Contact {
                    email: r.get(1)?,
                    phone: r.get(2)?,
                    language: r.get(3)?,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let by_index = format!(
        "SELECT {AGED_COLUMNS} FROM application
         WHERE child_birth_date <= ?1 AND status IN ('queued', 'notified', 'stop_listed')
         ORDER BY +number LIMIT ?2"
    );
    // `+` keeps the planner on the key: the part after `?2`, in key order.
    let by_key = format!(
        "SELECT {AGED_COLUMNS} FROM application
         WHERE number > ?2 AND +child_birth_date <= ?1 AND +status IN ('queued', 'notified', 'stop_listed')
         ORDER BY number LIMIT ?3"
    );
    let part = SWEEP_PART as i64;
    let mut aged = read(&by_index, &[&limit, &(part + 1)])?;
    if aged.is_empty() {
        return Ok(0);
    }
    let in_parts = aged.len() > SWEEP_PART;
    if in_parts {
        aged = read(&by_key, &[&limit, &"", &part])?;
    }
    let mut event = change.begin_event(
        "sweep.age_limit",
        &day.to_string(),
        serde_json::json!({ "date": day.to_string(), "born_on_or_before": limit }),
    )?;
    let now_value = Value::Text(now.to_string());
    let mut removed = 0u64;
    while !aged.is_empty() {
        let numbers: Vec<&str> = aged.iter().map(|a| a.number.as_str()).collect();
        let list = Value::Text(serde_json::to_string(&numbers).expect("numbers serialize"));
        set_wise(
            tx,
            "UPDATE application SET status = 'removed', removed_reason = 'age_limit', stop_list_until = NULL,
                offer_round = NULL, removed_at = ?2 WHERE number IN (SELECT value FROM json_each(?1))",
            &[&list, &now_value],
            aged.len(),
        )?;
        event.touch_where(
            APPLICATION,
            " AND number IN (SELECT value FROM json_each(?1))",
            &[&list],
        )?;
        let notices: Vec<Notice> = aged
            .iter()
            .map(|a| Notice {
                number: &a.number,
                contact: &a.contact,
                fact: Fact::Removed {
                    reason: "age_limit".into(),
                },
            })
            .collect();
        outbox::notify_all(change, &mut event, &notices)?;
        removed += aged.len() as u64;
        aged = match (in_parts, aged.last()) {
            (true, Some(last)) => read(&by_key, &[&limit, &last.number, &part])?,
            _ => Vec::new(),
        };
    }
    event.set_details(&serde_json::json!({
        "date": day.to_string(), "born_on_or_before": limit, "applications": removed
    }))?;
    event.finish()?;
    Ok(removed)
}

/// Closes `count` issued directions set-wise (`directions` and `places`, JSON lists of their numbers and places)
/// with `status` and `reason` at `now`, and frees their places: R-S2's expiries and R-I1's annulments.
pub(in crate::store) fn close_directions(
    tx: &rusqlite::Connection,
    (directions, places): (&Value, &Value),
    (status, reason): (&str, &str),
    now: &Value,
    count: usize,
) -> Result<()> {
    let (status, reason) = (Value::Text(status.into()), Value::Text(reason.into()));
    set_wise(
        tx,
        "UPDATE direction SET status = ?3, closed_at = ?2, close_reason = ?4
         WHERE number IN (SELECT value FROM json_each(?1))",
        &[directions, now, &status, &reason],
        count,
    )?;
    set_wise(
        tx,
        "UPDATE place SET status = 'free', offer_round = NULL WHERE id IN (SELECT value FROM json_each(?1))",
        &[places],
        count,
    )
}

/// Runs a statement that changes rows set-wise, and checks it changed as many as meant.
pub(in crate::store) fn set_wise(
    tx: &rusqlite::Connection,
    sql: &str,
    params: &[&Value],
    expected: usize,
) -> Result<()> {
    let changed = tx.execute(sql, rusqlite::params_from_iter(params))?;
    if changed != expected {
        return Err(crate::error::Error::Internal(format!(
            "sweep: {changed} rows changed, {expected} expected: {sql}"
        )));
    }
    Ok(())
}
