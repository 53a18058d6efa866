//! The offer round (R-P3) and the closing of its windows (R-P4, R-S1).

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::params;
use serde::Serialize;

use super::applications::{self, AppRow};
use super::change::Change;
use super::directions;
use super::journal::{APPLICATION, OFFER_ROUND, PLACE};
use super::outbox;
use super::reference;
use crate::domain::application::age_on;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::notify::Fact;
use crate::domain::offer;
use crate::domain::place::PlaceType;
use crate::domain::settings::Settings;
use crate::domain::time::{format_moment, local, parse_date, parse_moment};
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::tr;

/// One queue's part of a round.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RoundSummary {
    pub round: Option<i64>,
    pub queue_type: String,
    pub group_year: i64,
    pub places: u64,
    pub notified: u64,
    pub closes_at: String,
}

/// What `kezek offer` did (JSON: `notified` is the contract).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OfferReport {
    pub notified: u64,
    pub places_offered: u64,
    pub windows_closed: u64,
    pub queues: Vec<RoundSummary>,
}

/// What closing the ended windows did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Closed {
    pub windows: u64,
    pub applications_requeued: u64,
    pub places_to_free_choice: u64,
}

/// Today's offer window in local time.
pub fn window(
    today: NaiveDate,
    settings: &Settings,
) -> (DateTime<FixedOffset>, DateTime<FixedOffset>) {
    let (open, close) = settings.offer_window;
    (local(today.and_time(open)), local(today.and_time(close)))
}

/// Whether a round's window is open at `now`.
pub fn round_is_open(db: &impl Access, round: i64, now: DateTime<FixedOffset>) -> Result<bool> {
    let conn = access::conn(db);
    let (opens, closes, closed): (String, String, bool) = conn
        .prepare_cached("SELECT opens_at, closes_at, closed FROM offer_round WHERE id = ?1")?
        .query_row([round], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(!closed
        && parse_moment("opens_at", &opens)? <= now
        && now < parse_moment("closes_at", &closes)?)
}

/// R-P4 / R-S1: closes every window that ended by `now`: its notified applications without a direction go back
/// to `queued` at the same position, its offered places still untaken go to `free_choice`.
pub fn close_windows(change: &Change, now: DateTime<FixedOffset>) -> Result<Closed> {
    let tx = change.tx();
    let open: Vec<(i64, String)> = tx
        .prepare("SELECT id, closes_at FROM offer_round WHERE closed = 0 ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut closed = Closed::default();
    for (round, closes_at) in open {
        if parse_moment("closes_at", &closes_at)? > now {
            continue;
        }
        let apps: Vec<String> = tx
            .prepare_cached(
                "SELECT number FROM application WHERE offer_round = ?1 AND status = 'notified'",
            )?
            .query_map([round], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let places: Vec<i64> = tx
            .prepare_cached("SELECT id FROM place WHERE offer_round = ?1 AND status = 'offered'")?
            .query_map([round], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tx.execute(
            "UPDATE application SET status = 'queued', offer_round = NULL WHERE offer_round = ?1 AND status = 'notified'",
            [round],
        )?;
        tx.execute(
            "UPDATE place SET status = 'free_choice', offer_round = NULL WHERE offer_round = ?1 AND status = 'offered'",
            [round],
        )?;
        tx.execute("UPDATE offer_round SET closed = 1 WHERE id = ?1", [round])?;
        let mut event = change.begin_event(
            "offer.window_closed",
            &round.to_string(),
            serde_json::json!({ "requeued": apps.len(), "free_choice": places.len(), "closes_at": closes_at }),
        )?;
        event.touch(OFFER_ROUND, &round)?;
        let closed_at = parse_moment("closes_at", &closes_at)?;
        for n in &apps {
            event.touch(APPLICATION, n)?;
            // R-S5: the family is told it waits again at its position.
            let fact = Fact::WindowClosed {
                at: closed_at.naive_local(),
            };
            outbox::notify(change, &mut event, n, fact)?;
        }
        for p in &places {
            event.touch(PLACE, p)?;
        }
        event.finish()?;
        closed.windows += 1;
        closed.applications_requeued += apps.len() as u64;
        closed.places_to_free_choice += places.len() as u64;
    }
    Ok(closed)
}

/// Whether the child attends an organization with no departure recorded (R-D5); returns the org.
pub fn enrolled_at(db: &impl Access, child_iin: &str) -> Result<Option<String>> {
    let conn = access::conn(db);
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(
            "SELECT org FROM enrollment WHERE child_iin = ?1 AND departed_on IS NULL LIMIT 1",
        )?
        .query_row([child_iin], |r| r.get(0))
        .optional()?)
}

/// R-C6, R-D5: whether a queued application may be offered a place today: the child is old enough, and
/// attends no organization unless this is a transfer (R-C3).
fn may_be_offered(
    db: &impl Access,
    app: &AppRow,
    today: NaiveDate,
    settings: &Settings,
) -> Result<bool> {
    let birth = parse_date("child_birth_date", &app.child_birth_date)?;
    let old_enough = age_on(birth, today) >= settings.min_age_years as i32;
    Ok(old_enough && (app.transfer || enrolled_at(db, &app.child_iin)?.is_none()))
}

/// R-C5: the other members of `app`'s sibling group as the round decides on them: those still waiting, and the
/// organizations where one holds a live direction.
fn siblings(
    tx: &rusqlite::Transaction,
    group: &str,
    app: &AppRow,
    today: NaiveDate,
    settings: &Settings,
) -> Result<offer::Siblings<String>> {
    let members: Vec<AppRow> = applications::sibling_group(tx, group)?
        .into_iter()
        .filter(|m| m.number != app.number)
        .collect();
    let mut waiting = Vec::new();
    for m in members {
        let state = match m.status.as_str() {
            "queued" if may_be_offered(tx, &m, today, settings)? => offer::MemberState::Offerable,
            "queued" => offer::MemberState::Ineligible,
            "notified" | "stop_listed" => offer::MemberState::Held,
            _ => continue,
        };
        waiting.push(offer::Member {
            key: m.number,
            state,
        });
    }
    Ok(offer::Siblings {
        waiting,
        directed_to: directions::sibling_orgs(tx, app)?,
    })
}

/// The free places of one queue's round (R-P3: state and sanatorium organizations, released by today), counted
/// by organization.
fn places_by_org(
    tx: &rusqlite::Transaction,
    place_type: &str,
    group_year: i64,
    today: NaiveDate,
) -> Result<Vec<(String, u64)>> {
    Ok(tx
        .prepare_cached(
            "SELECT p.org, count(*) FROM place p JOIN org o ON o.code = p.org
             WHERE p.status = 'free' AND o.kind IN ('state', 'sanatorium') AND p.release_date <= ?1
               AND p.place_type = ?2 AND p.group_year = ?3
             GROUP BY p.org ORDER BY p.org",
        )?
        .query_map(params![today.to_string(), place_type, group_year], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// `kezek offer` (R-P3): reads the settings and the calendar inside the change, then `offer_round`.
pub fn run_round(change: &Change) -> Result<OfferReport> {
    let settings = reference::load_settings(change)?;
    let calendar = reference::working_calendar(change)?;
    offer_round(change, &settings, &calendar)
}

/// The offer round (R-P3) with the settings and calendar the caller read in this change: for each queue, the free places of state and sanatorium organizations whose release
/// date has come are offered to as many `queued`, eligible applications from the head of the queue.
pub fn offer_round(
    change: &Change,
    settings: &Settings,
    calendar: &WorkingCalendar,
) -> Result<OfferReport> {
    let now = change.now().effective;
    let today = now.date_naive();
    if !calendar.is_working_day(today) {
        return Err(Error::refused(
            "R-P3",
            tr!("err-offers-not-working-day", today = today.to_string()),
        ));
    }
    let (opens, closes) = window(today, settings);
    if now >= closes {
        return Err(Error::refused(
            "R-P3",
            tr!(
                "err-offers-window-closed",
                closes = closes.format("%H:%M").to_string()
            ),
        ));
    }
    let closed = close_windows(change, now)?;
    let tx = change.tx();
    let queues: Vec<(String, i64, u64)> = tx
        .prepare(
            "SELECT p.place_type, p.group_year, count(*) FROM place p JOIN org o ON o.code = p.org
             WHERE p.status = 'free' AND o.kind IN ('state', 'sanatorium') AND p.release_date <= ?1
             GROUP BY 1, 2 ORDER BY 1, 2",
        )?
        .query_map([today.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut report = OfferReport {
        windows_closed: closed.windows,
        ..OfferReport::default()
    };
    for (place_type, group_year, places) in queues {
        let queue_type = PlaceType::parse("place_type", &place_type)?.queue_type();
        let by_org = places_by_org(tx, &place_type, group_year, today)?;
        let mut round: offer::Round<String> = offer::Round::new(by_org);
        applications::for_each_in_queue_order(
            tx,
            queue_type.as_str(),
            group_year,
            settings.general_per_first_priority,
            |app, _, _| {
                if app.status == "queued" && !round.has_decided(&app.number) {
                    let eligible = may_be_offered(tx, &app, today, settings)?;
                    let siblings = match &app.sibling_group {
                        Some(group) => Some(siblings(tx, group, &app, today, settings)?),
                        None => None,
                    };
                    round.consider(offer::Candidate {
                        key: app.number,
                        eligible,
                        siblings,
                    });
                }
                Ok(!round.is_full())
            },
        )?;
        let picked = round.finish();
        let chosen = picked.notified;
        // Published with the round (R-V5): a check of the publication tells them from a skip, and the twins
        // notified together from a child notified out of turn.
        let passed_over = (!chosen.is_empty() && !picked.passed_over.is_empty())
            .then(|| serde_json::to_string(&picked.passed_over).expect("numbers serialize"));
        let together = (!chosen.is_empty() && !picked.together.is_empty())
            .then(|| serde_json::to_string(&picked.together).expect("numbers serialize"));
        let mut summary = RoundSummary {
            round: None,
            queue_type: queue_type.as_str().into(),
            group_year,
            places,
            notified: chosen.len() as u64,
            closes_at: format_moment(&closes),
        };
        if !chosen.is_empty() {
            tx.execute(
                "INSERT INTO offer_round (queue_type, group_year, held_at, opens_at, closes_at, places, notified,
                                          passed_over, siblings)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    queue_type.as_str(),
                    group_year,
                    format_moment(&now),
                    format_moment(&opens.max(now)),
                    format_moment(&closes),
                    places as i64,
                    chosen.len() as i64,
                    passed_over,
                    together
                ],
            )?;
            let round = tx.last_insert_rowid();
            let offered: Vec<i64> = tx
                .prepare(
                    "SELECT p.id FROM place p JOIN org o ON o.code = p.org
                     WHERE p.status = 'free' AND o.kind IN ('state', 'sanatorium') AND p.release_date <= ?1
                       AND p.place_type = ?2 AND p.group_year = ?3 ORDER BY p.id",
                )?
                .query_map(params![today.to_string(), place_type, group_year], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut event = change.begin_event(
                "offer.round",
                &round.to_string(),
                serde_json::json!({
                    "queue_type": queue_type.as_str(),
                    "group_year": group_year,
                    "places": places,
                    "notified": chosen.len(),
                    "closes_at": format_moment(&closes),
                }),
            )?;
            event.touch(OFFER_ROUND, &round)?;
            let mut mark_app = tx.prepare_cached(
                "UPDATE application SET status = 'notified', offer_round = ?2 WHERE number = ?1",
            )?;
            for number in &chosen {
                mark_app.execute(params![number, round])?;
                event.touch(APPLICATION, number)?;
                let fact = Fact::TurnCame {
                    until: closes.naive_local(),
                };
                outbox::notify(change, &mut event, number, fact)?;
            }
            let mut mark_place = tx.prepare_cached(
                "UPDATE place SET status = 'offered', offer_round = ?2 WHERE id = ?1",
            )?;
            for id in &offered {
                mark_place.execute(params![id, round])?;
                event.touch(PLACE, id)?;
            }
            event.finish()?;
            summary.round = Some(round);
            report.notified += chosen.len() as u64;
            report.places_offered += offered.len() as u64;
        }
        report.queues.push(summary);
    }
    Ok(report)
}
