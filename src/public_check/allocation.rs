//! The allocations of a publication (R-C2, R-V5): each `allocation.run` replayed from the public records alone.
//! The places (their organization, queue, group year, status and release date), the organizations' kinds, the
//! applications' preferences and the queue order are public; the run itself publishes whom the rules kept from
//! their choices (`passed_over`) and the sibling groups it served (`siblings`). Serial dictatorship over them
//! (`domain::allocation`, the function kezek itself runs) must give exactly the directions the run made.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Deserialize;

use super::queues::queue_order;
use super::{bad, App};
use crate::domain::allocation::{allocate, Preference, WaitingApplication};
use crate::domain::record::{Record, Row};
use crate::error::Result;
use serde_json::value::RawValue;

/// A place as the log last showed it.
#[derive(Debug, Clone)]
struct Place {
    org: String,
    group_year: i64,
    place_type: String,
    status: String,
    release_date: String,
}

/// What the replay keeps for the allocations: the places and the organizations' kinds.
#[derive(Debug, Default)]
pub(super) struct Allocations {
    places: BTreeMap<i64, Place>,
    org_kinds: HashMap<String, String>,
    pub(super) runs: usize,
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
        apps: &HashMap<String, App>,
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
                            && !kept_out.contains(n.as_str())
                    })
                    .map(|(n, a)| {
                        let dropped = kept_from.get(n.as_str());
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
                            key: n.as_str(),
                            sibling_group: group_of.get(n.as_str()).copied(),
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

    /// The places an allocation on `day` may take: free or offered, released by then, in id order.
    fn available<'s>(&'s self, day: &'s str) -> impl Iterator<Item = (&'s i64, &'s Place)> + 's {
        self.places.iter().filter(move |(_, p)| {
            matches!(p.status.as_str(), "free" | "offered")
                && p.release_date.as_str() <= day
                && self.org_kinds.contains_key(&p.org)
        })
    }

    /// A place or organization row of a record, as the replay meets it.
    pub(super) fn take(&mut self, table: &str, raw: &RawValue) {
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
