//! `kezek allocate` (R-C2, R-C5, R-C6): directions by serial dictatorship in queue order. For each queue the
//! waiting applications that may be directed today, in queue order, take their highest-ranked organization that
//! still has a place they may take (`domain::allocation`); each gets a signed direction as `direction issue`
//! gives one (the same checks, the same document, journal event and notices). One transaction: a kill midway
//! leaves nothing half-done.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use super::applications;
use super::change::Change;
use super::directions::issue_allocated;
use super::journal::ALLOCATION_RUN;
use super::offers::{self, enrolled_at};
use super::reference;
use crate::crypto::PrivateKey;
use crate::domain::allocation::{self, Preference, WaitingApplication};
use crate::domain::application::{age_on, QueueType};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::org::OrgKind;
use crate::domain::place::PlaceType;
use crate::domain::settings::Settings;
use crate::domain::time::{format_moment, parse_date};
use crate::error::{Error, Result};

/// One direction of the allocation (JSON: `application`, `place_id`, `org`, `rank` are the contract).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Allocated {
    pub application: String,
    pub place_id: i64,
    pub org: String,
    pub rank: u32,
    pub direction: String,
}

/// What `kezek allocate` did (JSON: `directions` and `unplaced` are the contract).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AllocationReport {
    /// The run's id (`allocation_run`), when it made a direction.
    pub run: Option<i64>,
    pub directions: Vec<Allocated>,
    /// Waiting applications with preferences that got no place (they keep their position).
    pub unplaced: u64,
    /// Those the rules kept from some or all of their organizations (published with the run, R-V5).
    pub passed_over: Vec<PassedOver>,
}

/// An application the rules kept from its preferences: all of them (`orgs` absent: R-D5, R-C6), or the private
/// organizations among them (R-D4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PassedOver {
    pub application: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orgs: Option<Vec<String>>,
}

/// A waiting application as the allocation takes it: its number and its sibling group's first number.
type Waiting = WaitingApplication<String, String>;

/// The places one queue may take today, by organization.
struct Pools {
    orgs: Vec<(String, OrgKind)>,
    index: HashMap<String, usize>,
    places: Vec<Vec<u64>>,
}

/// `kezek allocate`: reads the settings and the calendar inside the change, then allocates every queue.
pub fn run(change: &Change, key: &PrivateKey) -> Result<AllocationReport> {
    let settings = reference::load_settings(change)?;
    let calendar = reference::working_calendar(change)?;
    allocate(change, key, &settings, &calendar)
}

/// R-C2 with the settings and calendar read in this change.
pub fn allocate(
    change: &Change,
    key: &PrivateKey,
    settings: &Settings,
    calendar: &WorkingCalendar,
) -> Result<AllocationReport> {
    let now = change.now().effective;
    let today = now.date_naive();
    if !calendar.is_working_day(today) {
        return Err(Error::refused(
            "R-C2",
            crate::tr!("err-choice-not-working-day", day = today.to_string()),
        ));
    }
    offers::close_windows(change, now)?;
    let tx = change.tx();
    let queues: Vec<(String, i64)> = tx
        .prepare(
            "SELECT DISTINCT place_type, group_year FROM place
             WHERE status IN ('free', 'offered') AND release_date <= ?1 ORDER BY 1, 2",
        )?
        .query_map([today.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut report = AllocationReport::default();
    let mut runs = Vec::new();
    let mut siblings: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (place_type, group_year) in queues {
        let queue_type = PlaceType::parse("place_type", &place_type)?.queue_type();
        let pools = pools(change, &place_type, group_year, today)?;
        let (waiting, passed_over) =
            waiting(change, queue_type, group_year, &pools, settings, today)?;
        for w in &waiting {
            if let Some(group) = &w.sibling_group {
                siblings
                    .entry(group.clone())
                    .or_default()
                    .push(w.key.clone());
            }
        }
        let outcome = allocation::allocate(&waiting, &pools.places);
        report.unplaced += outcome.unplaced as u64;
        report.passed_over.extend(passed_over);
        runs.push((pools, outcome.directions));
    }
    if runs.iter().all(|(_, d)| d.is_empty()) {
        return Ok(report);
    }
    let passed_over = (!report.passed_over.is_empty())
        .then(|| serde_json::to_string(&report.passed_over).expect("numbers serialize"));
    let directions: usize = runs.iter().map(|(_, d)| d.len()).sum();
    let groups: Vec<&Vec<String>> = siblings.values().filter(|g| g.len() > 1).collect();
    let siblings =
        (!groups.is_empty()).then(|| serde_json::to_string(&groups).expect("numbers serialize"));
    tx.execute(
        "INSERT INTO allocation_run (held_at, directions, unplaced, passed_over, siblings)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            format_moment(&now),
            directions as i64,
            report.unplaced as i64,
            passed_over,
            siblings
        ],
    )?;
    let run = tx.last_insert_rowid();
    let mut event = change.begin_event(
        "allocation.run",
        &run.to_string(),
        serde_json::json!({ "directions": directions, "unplaced": report.unplaced }),
    )?;
    event.touch(ALLOCATION_RUN, &run)?;
    for (pools, made) in runs {
        let pairs: Vec<(String, i64)> = made
            .iter()
            .map(|d| (d.application.clone(), d.place_id as i64))
            .collect();
        let numbers = issue_allocated(change, &mut event, &pairs, key, settings, calendar)?;
        for (d, direction) in made.into_iter().zip(numbers) {
            report.directions.push(Allocated {
                application: d.application,
                place_id: d.place_id as i64,
                org: pools.orgs[d.org].0.clone(),
                rank: d.rank,
                direction,
            });
        }
    }
    event.finish()?;
    report.run = Some(run);
    Ok(report)
}

/// The places of one queue whose release date has come, free or offered, by organization (ids ascending).
fn pools(change: &Change, place_type: &str, group_year: i64, today: NaiveDate) -> Result<Pools> {
    let mut pools = Pools {
        orgs: Vec::new(),
        index: HashMap::new(),
        places: Vec::new(),
    };
    let mut rows = change.tx().prepare(
        "SELECT p.id, p.org, o.kind FROM place p JOIN org o ON o.code = p.org
         WHERE p.status IN ('free', 'offered') AND p.release_date <= ?1 AND p.place_type = ?2 AND p.group_year = ?3
         ORDER BY p.org, p.id",
    )?;
    let mut rows = rows.query(params![today.to_string(), place_type, group_year])?;
    while let Some(row) = rows.next()? {
        let (id, org, kind): (i64, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let at = match pools.index.get(&org) {
            Some(&at) => at,
            None => {
                pools.index.insert(org.clone(), pools.orgs.len());
                pools.orgs.push((org, OrgKind::parse("org.kind", &kind)?));
                pools.places.push(Vec::new());
                pools.orgs.len() - 1
            }
        };
        pools.places[at].push(id as u64);
    }
    Ok(pools)
}

/// The applications of one queue that may be directed today and rank at least one organization, in queue
/// order, each with the organizations this child may take (R-D2..R-D5, R-C6; private ones only from
/// `private_min_age_years`).
fn waiting(
    change: &Change,
    queue_type: QueueType,
    group_year: i64,
    pools: &Pools,
    settings: &Settings,
    today: NaiveDate,
) -> Result<(Vec<Waiting>, Vec<PassedOver>)> {
    let tx = change.tx();
    let ranked: HashMap<String, (String, Option<String>)> = tx
        .prepare(
            "SELECT number, preferences, sibling_group FROM application
             WHERE queue_type = ?1 AND group_year = ?2 AND status IN ('queued', 'notified')
               AND preferences IS NOT NULL",
        )?
        .query_map(params![queue_type.as_str(), group_year], |r| {
            Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (mut waiting, mut passed_over) = (Vec::new(), Vec::new());
    if ranked.is_empty() {
        return Ok((waiting, passed_over));
    }
    applications::for_each_in_queue_order(
        tx,
        queue_type.as_str(),
        group_year,
        settings.general_per_first_priority,
        |app, _, _| {
            let Some((preferences, group)) = ranked.get(&app.number) else {
                return Ok(true);
            };
            if !matches!(app.status.as_str(), "queued" | "notified") {
                return Ok(true);
            }
            let age = age_on(
                parse_date("child_birth_date", &app.child_birth_date)?,
                today,
            );
            let attends = !app.transfer && enrolled_at(tx, &app.child_iin)?.is_some();
            if age < settings.min_age_years as i32 || attends {
                passed_over.push(PassedOver {
                    application: app.number,
                    orgs: None,
                });
                return Ok(true);
            }
            let too_young_for_private = age < settings.private_min_age_years as i32;
            let mut kept_from = Vec::new();
            let mut ranks = Vec::new();
            for (i, code) in preferences.split(';').enumerate() {
                let Some(&org) = pools.index.get(code) else {
                    continue;
                };
                if too_young_for_private && pools.orgs[org].1 == OrgKind::Private {
                    kept_from.push(code.to_string());
                    continue;
                }
                ranks.push(Preference {
                    org,
                    rank: i as u32 + 1,
                });
            }
            if !kept_from.is_empty() {
                passed_over.push(PassedOver {
                    application: app.number.clone(),
                    orgs: Some(kept_from),
                });
            }
            let preferences = ranks;
            waiting.push(WaitingApplication {
                key: app.number,
                sibling_group: group.clone(),
                preferences,
            });
            Ok(true)
        },
    )?;
    Ok((waiting, passed_over))
}
