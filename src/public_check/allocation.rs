//! The allocations and exchanges of a publication (R-C2, R-C4, R-V5): each `allocation.run` and `exchange.run`
//! replayed from the public records alone.
//! The places (their organization, queue, group year, status and release date), the organizations' kinds, the
//! applications' preferences and the queue order are public; the run itself publishes whom the rules kept from
//! their choices (`passed_over`) and the sibling groups it served (`siblings`). Serial dictatorship over them
//! (`domain::allocation`, the function kezek itself runs) must give exactly the directions the run made.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Deserialize;

use super::app::Apps;
use super::bad;
use super::queues::queue_order;
use crate::domain::allocation::{allocate, Preference, WaitingApplication};
use crate::domain::exchange::{top_trading_cycles, Participant, Place as ExchangePlace};
use crate::domain::record::{Record, Row};
use crate::error::Result;

/// An exchange's participant: its application, the place it holds and that place's organization.
type Held<'a> = (&'a str, i64, &'a str);

/// A place as the log last showed it.
#[derive(Debug, Clone)]
struct Place {
    org: String,
    group_year: i64,
    place_type: String,
    status: String,
    release_date: String,
}

/// What the replay keeps for the allocations and exchanges: the places and the organizations' kinds.
#[derive(Debug, Default)]
pub(super) struct Allocations {
    places: BTreeMap<i64, Place>,
    org_kinds: HashMap<String, String>,
    pub(super) runs: usize,
    pub(super) exchanges: usize,
}

#[derive(Deserialize)]
struct PassedOver {
    application: String,
    #[serde(default)]
    orgs: Option<Vec<String>>,
}

impl Allocations {
    /// Before a record's rows are taken: an allocation run's directions are serial dictatorship's.
    pub(super) fn check(
        &mut self,
        record: &Record,
        seq: i64,
        at: &str,
        apps: &Apps,
        k: u32,
    ) -> Result<()> {
        if record.kind != "allocation.run" {
            return Ok(());
        }
        self.runs += 1;
        let run = record.rows_of("allocation_run").next();
        let text = |name: &str| {
            run.as_ref()
                .and_then(|r| r.field(name).as_str().map(str::to_string))
        };
        let passed: Vec<PassedOver> = text("passed_over")
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let groups: Vec<Vec<String>> = text("siblings")
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let group_of: HashMap<&str, &str> = groups
            .iter()
            .flat_map(|g| g.iter().map(move |n| (n.as_str(), g[0].as_str())))
            .collect();
        let kept_out: HashSet<&str> = passed
            .iter()
            .filter(|p| p.orgs.is_none())
            .map(|p| p.application.as_str())
            .collect();
        let kept_from: HashMap<&str, &Vec<String>> = passed
            .iter()
            .filter_map(|p| p.orgs.as_ref().map(|o| (p.application.as_str(), o)))
            .collect();
        let day = record.effective_at.get(..10).unwrap_or_default();
        let mut expected = BTreeSet::new();
        let queues: BTreeSet<(String, i64)> = self
            .available(day)
            .map(|(_, p)| (p.place_type.clone(), p.group_year))
            .collect();
        for (place_type, group_year) in queues {
            let mut orgs: Vec<&str> = Vec::new();
            let mut index: HashMap<&str, usize> = HashMap::new();
            let mut pools: Vec<Vec<u64>> = Vec::new();
            for (id, p) in self.available(day) {
                if p.place_type != place_type || p.group_year != group_year {
                    continue;
                }
                let at = *index.entry(p.org.as_str()).or_insert_with(|| {
                    orgs.push(p.org.as_str());
                    pools.push(Vec::new());
                    orgs.len() - 1
                });
                pools[at].push(*id as u64);
            }
            let queue_type = if place_type == "sanatorium" {
                "sanatorium"
            } else {
                "general"
            };
            let waiting: Vec<WaitingApplication<&str, &str>> =
                queue_order(apps, queue_type, group_year, k)
                    .into_iter()
                    .filter(|(n, a)| {
                        matches!(a.status.as_str(), "queued" | "notified")
                            && a.preferences.is_some()
                            && !kept_out.contains(n)
                    })
                    .map(|(n, a)| {
                        let dropped = kept_from.get(n);
                        let preferences = a
                            .preferences
                            .as_deref()
                            .unwrap_or_default()
                            .split(';')
                            .enumerate()
                            .filter(|(_, code)| {
                                !dropped.is_some_and(|d| d.iter().any(|c| c == code))
                            })
                            .filter_map(|(i, code)| {
                                Some(Preference {
                                    org: *index.get(code)?,
                                    rank: i as u32 + 1,
                                })
                            })
                            .collect();
                        WaitingApplication {
                            key: n,
                            sibling_group: group_of.get(n).copied(),
                            preferences,
                        }
                    })
                    .collect();
            for d in allocate(&waiting, &pools).directions {
                expected.insert((d.application.to_string(), d.place_id as i64));
            }
        }
        let made: BTreeSet<(String, i64)> = record
            .rows_of("direction")
            .filter_map(|r| {
                Some((
                    r.field("application").as_str()?.to_string(),
                    r.field("place_id").as_i64()?,
                ))
            })
            .collect();
        if let Some((application, place)) = made.difference(&expected).next() {
            return Err(bad(crate::tr!(
                "err-choice-replay-extra",
                at = at.to_string(),
                seq = seq,
                place = *place,
                application = application.clone()
            )));
        }
        if let Some((application, place)) = expected.difference(&made).next() {
            return Err(bad(crate::tr!(
                "err-choice-replay-missing",
                at = at.to_string(),
                seq = seq,
                place = *place,
                application = application.clone()
            )));
        }
        Ok(())
    }

    /// Before a record's rows are taken: an exchange run's moves are Top Trading Cycles' over the participants
    /// it publishes (in queue order, each with the place it held) and their published preferences (R-C4).
    pub(super) fn check_exchange(
        &mut self,
        record: &Record,
        seq: i64,
        at: &str,
        apps: &Apps,
    ) -> Result<()> {
        if record.kind != "exchange.run" {
            return Ok(());
        }
        self.exchanges += 1;
        let participants: Vec<(String, i64)> = record
            .rows_of("exchange_run")
            .next()
            .and_then(|r| r.field("participants").as_str().map(str::to_string))
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        // Pools by the place held: its place type and group year.
        let mut pools: BTreeMap<(String, i64), Vec<Held>> = BTreeMap::new();
        for (number, place) in &participants {
            let Some(p) = self.places.get(place) else {
                return Err(bad(crate::tr!(
                    "err-choice-exchange-unknown-place",
                    at = at.to_string(),
                    seq = seq,
                    place = *place
                )));
            };
            pools
                .entry((p.place_type.clone(), p.group_year))
                .or_default()
                .push((number.as_str(), *place, p.org.as_str()));
        }
        let mut expected = BTreeSet::new();
        for members in pools.values() {
            let mut index: HashMap<&str, usize> = HashMap::new();
            for (_, _, org) in members {
                let next = index.len();
                index.entry(org).or_insert(next);
            }
            let participants: Vec<Participant<&str>> = members
                .iter()
                .map(|(number, place, org)| Participant {
                    key: *number,
                    holds: ExchangePlace {
                        org: index[org],
                        id: *place as u64,
                    },
                    preferences: apps
                        .get(number)
                        .and_then(|a| a.preferences.as_deref())
                        .unwrap_or_default()
                        .split(';')
                        .enumerate()
                        .filter_map(|(i, code)| {
                            Some(Preference {
                                org: *index.get(code)?,
                                rank: i as u32 + 1,
                            })
                        })
                        .collect(),
                })
                .collect();
            for cycle in top_trading_cycles(&participants) {
                for t in cycle.trades {
                    expected.insert((t.participant.to_string(), t.gets.id as i64));
                }
            }
        }
        let movers: HashSet<&str> = participants.iter().map(|(n, _)| n.as_str()).collect();
        let made: BTreeSet<(String, i64)> = record
            .rows_of("direction")
            .filter_map(|r| {
                Some((
                    r.field("application").as_str()?.to_string(),
                    r.field("place_id").as_i64()?,
                ))
            })
            .filter(|(a, _)| movers.contains(a.as_str()))
            .collect();
        if made != expected {
            let (application, place) = made
                .symmetric_difference(&expected)
                .next()
                .cloned()
                .unwrap_or_default();
            return Err(bad(crate::tr!(
                "err-choice-exchange-replay",
                at = at.to_string(),
                seq = seq,
                place = place,
                application = application
            )));
        }
        Ok(())
    }

    /// The places an allocation on `day` may take: free or offered, released by then, in id order.
    fn available<'s>(&'s self, day: &'s str) -> impl Iterator<Item = (&'s i64, &'s Place)> + 's {
        self.places.iter().filter(move |(_, p)| {
            matches!(p.status.as_str(), "free" | "offered")
                && p.release_date.as_str() <= day
                && self.org_kinds.contains_key(&p.org)
        })
    }

    /// A place or organization row of a record, as the replay meets it.
    pub(super) fn take(&mut self, table: &str, raw: &str) {
        let Ok(row) = Row::parse(raw) else {
            return;
        };
        if table == "org" {
            if let (Some(code), Some(kind)) = (row.key_str(), row.field("kind").as_str()) {
                self.org_kinds.insert(code.into_owned(), kind.to_string());
            }
            return;
        }
        let Some(id) = row.key_i64() else {
            return;
        };
        let text = |name: &str| row.field(name).as_str().unwrap_or_default().to_string();
        match row.field("group_year").as_i64() {
            Some(group_year) => {
                self.places.insert(
                    id,
                    Place {
                        org: text("org"),
                        group_year,
                        place_type: text("place_type"),
                        status: text("status"),
                        release_date: text("release_date"),
                    },
                );
            }
            None => {
                self.places.remove(&id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::App;
    use super::*;

    fn record(kind: &str, rows: &str) -> String {
        format!(
            r#"{{"effective_at":"2026-03-16T10:00:00+05:00","kind":"{kind}","officer":"o","recorded_at":"2026-03-16T10:00:00+05:00","rows":[{rows}],"seq":5,"subject":"1"}}"#
        )
    }

    fn app(preferences: &str) -> App {
        App {
            queue_type: "general".into(),
            group_year: 2022,
            class: "general".into(),
            registered_at: "2026-01-01T09:00:00+05:00".into(),
            at: chrono::DateTime::parse_from_rfc3339("2026-01-01T09:00:00+05:00").unwrap(),
            status: "queued".into(),
            preferences: Some(preferences.into()),
        }
    }

    /// Places 1 (DS-001) and 2 (DS-002), held by A and B, who want each other's; C at DS-003 wants DS-001.
    fn state() -> (Allocations, Apps) {
        let mut a = Allocations::default();
        let setup = record(
            "place.publish",
            r#"{"fields":{"group_year":2022,"org":"DS-001","place_type":"regular","release_date":"2026-03-01","status":"filled"},"key":1,"table":"place"},{"fields":{"group_year":2022,"org":"DS-002","place_type":"regular","release_date":"2026-03-01","status":"filled"},"key":2,"table":"place"},{"fields":{"group_year":2022,"org":"DS-003","place_type":"regular","release_date":"2026-03-01","status":"filled"},"key":3,"table":"place"}"#,
        );
        let setup = Record::parse(&setup).unwrap();
        for raw in &setup.rows {
            a.take("place", raw);
        }
        let apps = Apps::from_iter([
            ("A".to_string(), app("DS-002")),
            ("B".to_string(), app("DS-001")),
            ("C".to_string(), app("DS-001")),
        ]);
        (a, apps)
    }

    fn exchange(moves: &[(&str, i64)]) -> String {
        let mut rows = vec![r#"{"fields":{"participants":"[[\"A\",1],[\"B\",2],[\"C\",3]]"},"key":1,"table":"exchange_run"}"#.to_string()];
        for (i, (application, place)) in moves.iter().enumerate() {
            rows.push(format!(
                r#"{{"fields":{{"application":"{application}","place_id":{place},"status":"enrolled"}},"key":"NAP.2026.00000{i}","table":"direction"}}"#
            ));
        }
        record("exchange.run", &rows.join(","))
    }

    #[test]
    fn r_c4_the_replay_accepts_top_trading_cycles_and_refuses_any_other_move() {
        let (mut a, apps) = state();
        let good = exchange(&[("A", 2), ("B", 1)]);
        assert!(a
            .check_exchange(&Record::parse(&good).unwrap(), 5, "log:5", &apps)
            .is_ok());
        // C moved into A's place instead of B: not what TTC gives.
        for bad in [
            exchange(&[("A", 2), ("C", 1)]),
            exchange(&[("A", 2)]),
            exchange(&[("A", 2), ("B", 1), ("C", 2)]),
        ] {
            let (mut a, apps) = state();
            let err = a
                .check_exchange(&Record::parse(&bad).unwrap(), 5, "log:5", &apps)
                .unwrap_err()
                .to_string();
            assert!(err.contains("R-C4"), "{err}");
        }
    }
}
