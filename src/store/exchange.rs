//! `kezek exchange` (R-C4): places swapped between enrolled children by Top Trading Cycles in queue order. The
//! participants are the waiting transfer applications (R-C3) of children attending an organization, pooled by
//! the group year and place type of the place they hold; each ranks organizations (`application prefer`).
//! Every cycle is carried out at once: each member leaves its place and is enrolled, by a signed direction, in
//! the place of the member it points to. One transaction, one journal event.

use std::collections::{BTreeMap, HashMap};

use chrono::Duration;
use rusqlite::params;
use serde::Serialize;

use super::applications;
use super::change::Change;
use super::directions::write_exchanged;
use super::journal::{DIRECTION, ENROLLMENT, EXCHANGE_RUN};
use super::reference;
use crate::crypto::PrivateKey;
use crate::domain::allocation::Preference;
use crate::domain::exchange::{top_trading_cycles, Participant, Place};
use crate::domain::time::{format_moment, parse_date};
use crate::error::{Error, Result};
use crate::tr;

/// One member's part in a carried-out cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Swap {
    pub cycle: usize,
    pub application: String,
    pub gives: i64,
    pub gets: i64,
    pub org: String,
    pub rank: u32,
    pub direction: String,
}

/// What `kezek exchange` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExchangeReport {
    pub run: Option<i64>,
    pub cycles: usize,
    pub swaps: Vec<Swap>,
    /// Transfer applications that took part and keep their place.
    pub unmatched: u64,
}

/// A participant as read: its application, the place it holds and the enrollment holding it.
struct Holder {
    number: String,
    enrollment: String,
    place_id: i64,
    org: String,
    enrolled_on: String,
    preferences: String,
    /// The place type and group year of the place held.
    pool: (String, i64),
}

pub fn run(change: &Change, key: &PrivateKey) -> Result<ExchangeReport> {
    let now = change.now().effective;
    let today = now.date_naive();
    let calendar = reference::working_calendar(change)?;
    if !calendar.is_working_day(today) {
        return Err(Error::refused(
            "R-C4",
            tr!(
                "err-choice-exchange-not-working-day",
                day = today.to_string()
            ),
        ));
    }
    let settings = reference::load_settings(change)?;
    let tx = change.tx();
    // The participants, each with its queue and the pool of the place it holds.
    let mut held: HashMap<String, Holder> = HashMap::new();
    let mut queues: BTreeMap<(String, i64), ()> = BTreeMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT a.number, e.direction, e.place_id, e.org, e.enrolled_on, a.preferences, a.queue_type,
                    a.group_year, p.place_type, p.group_year
             FROM application a
             JOIN enrollment e ON e.child_iin = a.child_iin AND e.departed_on IS NULL
             JOIN place p ON p.id = e.place_id
             WHERE a.transfer = 1 AND a.status IN ('queued', 'notified') AND a.preferences IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            queues.insert((r.get(6)?, r.get(7)?), ());
            let holder = Holder {
                number: r.get(0)?,
                enrollment: r.get(1)?,
                place_id: r.get(2)?,
                org: r.get(3)?,
                enrolled_on: r.get(4)?,
                preferences: r.get(5)?,
                pool: (r.get(8)?, r.get(9)?),
            };
            held.insert(holder.number.clone(), holder);
        }
    }
    let mut report = ExchangeReport::default();
    if held.is_empty() {
        return Ok(report);
    }
    // Queue order of every participant, queue by queue.
    let mut order: Vec<String> = Vec::new();
    for (queue_type, group_year) in queues.keys() {
        applications::for_each_in_queue_order(
            tx,
            queue_type,
            *group_year,
            settings.general_per_first_priority,
            |app, _, _| {
                if held.contains_key(&app.number) {
                    order.push(app.number);
                }
                Ok(true)
            },
        )?;
    }
    // Pools by the place held: the same place type and group year.
    let mut pools: BTreeMap<(String, i64), Vec<&Holder>> = BTreeMap::new();
    for number in &order {
        let holder = &held[number];
        pools.entry(holder.pool.clone()).or_default().push(holder);
    }
    let mut trades: Vec<(usize, &Holder, &Holder, u32)> = Vec::new();
    let mut matched = 0u64;
    let mut participants_total = 0u64;
    for members in pools.values() {
        participants_total += members.len() as u64;
        let mut orgs: Vec<&str> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for m in members {
            index.entry(m.org.as_str()).or_insert_with(|| {
                orgs.push(m.org.as_str());
                orgs.len() - 1
            });
        }
        let participants: Vec<Participant<usize>> = members
            .iter()
            .enumerate()
            .map(|(i, m)| Participant {
                key: i,
                holds: Place {
                    org: index[m.org.as_str()],
                    id: m.place_id as u64,
                },
                preferences: m
                    .preferences
                    .split(';')
                    .enumerate()
                    .filter_map(|(r, code)| {
                        Some(Preference {
                            org: *index.get(code)?,
                            rank: r as u32 + 1,
                        })
                    })
                    .collect(),
            })
            .collect();
        for cycle in top_trading_cycles(&participants) {
            report.cycles += 1;
            for t in &cycle.trades {
                let gives = members[t.participant];
                let gets = members
                    .iter()
                    .find(|m| m.place_id as u64 == t.gets.id)
                    .expect("a member holds it");
                trades.push((report.cycles, gives, gets, t.rank));
                matched += 1;
            }
        }
    }
    report.unmatched = participants_total - matched;
    if trades.is_empty() {
        return Ok(report);
    }
    let participants: Vec<(&str, i64)> = order
        .iter()
        .map(|n| (held[n].number.as_str(), held[n].place_id))
        .collect();
    tx.execute(
        "INSERT INTO exchange_run (held_at, cycles, moves, participants) VALUES (?1, ?2, ?3, ?4)",
        params![
            format_moment(&now),
            report.cycles as i64,
            trades.len() as i64,
            serde_json::to_string(&participants).expect("numbers serialize")
        ],
    )?;
    let run = tx.last_insert_rowid();
    let mut event = change.begin_event(
        "exchange.run",
        &run.to_string(),
        serde_json::json!({ "cycles": report.cycles, "moves": trades.len() }),
    )?;
    event.touch(EXCHANGE_RUN, &run)?;
    // Every member leaves its place first (the day before, or the day it came), then each takes the next one's.
    for (_, member, _, _) in &trades {
        let departed =
            (today - Duration::days(1)).max(parse_date("enrolled_on", &member.enrolled_on)?);
        tx.execute(
            "UPDATE enrollment SET departed_on = ?2 WHERE direction = ?1",
            params![member.enrollment, departed.to_string()],
        )?;
        tx.execute(
            "UPDATE direction SET departed_on = ?2 WHERE number = ?1",
            params![member.enrollment, departed.to_string()],
        )?;
        event.touch(ENROLLMENT, &member.enrollment)?;
        event.touch(DIRECTION, &member.enrollment)?;
    }
    for (cycle, member, next, rank) in trades {
        let direction = write_exchanged(change, &mut event, &member.number, next.place_id, key)?;
        report.swaps.push(Swap {
            cycle,
            application: member.number.clone(),
            gives: member.place_id,
            gets: next.place_id,
            org: next.org.clone(),
            rank,
            direction,
        });
    }
    event.finish()?;
    report.run = Some(run);
    Ok(report)
}
