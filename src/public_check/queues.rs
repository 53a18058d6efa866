//! The queues of a publication (R-V5): each offer round replayed against the queue as it stood before it, and
//! `queues/*.csv` against the queue the log's applications give in R-Q2 order.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use super::{bad, App, PassedOver, PublicReport};
use crate::domain::queue::{class_position, interleave};
use crate::error::Result;

/// An offer round (R-P3): the applications it notified, in each queue, are the head of that queue's `queued`
/// applications in R-Q2 order as they stood before it, in that order. One passed over is listed (R-D5).
pub(super) fn offer_round(
    record: &Value,
    seq: i64,
    at: &str,
    apps: &HashMap<String, App>,
    k: u32,
    report: &mut PublicReport,
) -> Result<()> {
    let notified: Vec<&str> = record["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["table"] == "application" && r["fields"]["status"] == "notified")
        .filter_map(|r| r["key"].as_str())
        .collect();
    if notified.is_empty() {
        return Ok(());
    }
    report.offer_rounds += 1;
    // The applications the round itself says it passed over (R-D5: the child attends an organization).
    let declared: Vec<String> = record["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["table"] == "offer_round")
        .filter_map(|r| r["fields"]["passed_over"].as_str())
        .flat_map(|list| serde_json::from_str::<Vec<String>>(list).unwrap_or_default())
        .collect();
    let mut queues: BTreeMap<(String, i64), Vec<&str>> = BTreeMap::new();
    for n in &notified {
        let app = apps.get(*n).ok_or_else(|| {
            bad(format!("{at}: seq {seq}: the offer round notified {n}, which the log never registered (R-V5)"))
        })?;
        if app.status != "queued" {
            return Err(bad(format!(
                "{at}: seq {seq}: the offer round notified {n}, which was {} and not queued (R-P3, R-V5)",
                app.status
            )));
        }
        queues
            .entry((app.queue_type.clone(), app.group_year))
            .or_default()
            .push(n);
    }
    for ((queue_type, group_year), chosen) in queues {
        let order = queue_order(apps, &queue_type, group_year, k);
        let queued: Vec<&String> = order
            .iter()
            .filter(|(_, a)| a.status == "queued")
            .map(|(n, _)| *n)
            .collect();
        let last = queued
            .iter()
            .rposition(|n| chosen.contains(&n.as_str()))
            .expect("the notified are queued");
        for (i, n) in queued[..=last].iter().enumerate() {
            if !chosen.contains(&n.as_str()) {
                let after = queued[i..=last]
                    .iter()
                    .find(|q| chosen.contains(&q.as_str()))
                    .map(|q| q.to_string())
                    .unwrap_or_default();
                if !declared.contains(n) {
                    return Err(bad(format!(
                        "{at}: seq {seq}: the offer round notified {after} but passed over {n}, queued ahead of it (R-Q2, R-P3, R-V5)"
                    )));
                }
                report.passed_over.push(PassedOver {
                    seq,
                    number: n.to_string(),
                    notified_after_it: after,
                });
            }
        }
    }
    Ok(())
}

/// The waiting applications of one queue in R-Q2 order.
fn queue_order<'a>(
    apps: &'a HashMap<String, App>,
    queue_type: &str,
    group_year: i64,
    k: u32,
) -> Vec<(&'a String, &'a App)> {
    let mut members: Vec<(&String, &App)> = apps
        .iter()
        .filter(|(_, a)| {
            a.queue_type == queue_type
                && a.group_year == group_year
                && matches!(a.status.as_str(), "queued" | "notified" | "stop_listed")
        })
        .collect();
    members.sort_by(|a, b| a.1.at.cmp(&b.1.at).then(a.0.cmp(b.0)));
    let of = |class: &'static str| {
        members
            .iter()
            .filter(move |m| m.1.class == class)
            .copied()
            .collect::<Vec<_>>()
    };
    interleave(
        of("out_of_turn").into_iter(),
        of("first_priority").into_iter(),
        of("general").into_iter(),
        u64::from(k),
    )
    .collect()
}

/// Each `queues/*.csv` equals the queue the log's applications give in R-Q2 order, and every queue with someone
/// waiting has its file.
pub(super) fn check_queues(dir: &Path, apps: &HashMap<String, App>, k: u32) -> Result<usize> {
    let mut queues: Vec<(String, i64)> = apps
        .values()
        .filter(|a| matches!(a.status.as_str(), "queued" | "notified" | "stop_listed"))
        .map(|a| (a.queue_type.clone(), a.group_year))
        .collect();
    queues.sort();
    queues.dedup();
    let mut expected_files = Vec::new();
    for (queue_type, group_year) in queues {
        let mut lines = vec![
            "number,priority_class,registered_at,status,queue_position,class_position".to_string(),
        ];
        let mut ranks: HashMap<&str, u64> = HashMap::new();
        for (position, (number, app)) in queue_order(apps, &queue_type, group_year, k)
            .into_iter()
            .enumerate()
        {
            let rank = ranks.entry(app.class.as_str()).or_default();
            *rank += 1;
            let class = match app.class.as_str() {
                "out_of_turn" => crate::domain::category::PriorityClass::OutOfTurn,
                "first_priority" => crate::domain::category::PriorityClass::FirstPriority,
                _ => crate::domain::category::PriorityClass::General,
            };
            lines.push(format!(
                "{number},{},{},{},{},{}",
                app.class,
                app.registered_at,
                app.status,
                position + 1,
                class_position(class, *rank)
            ));
        }
        let name = format!("{queue_type}-{group_year}.csv");
        let path = dir.join("queues").join(&name);
        let published = std::fs::read_to_string(&path).map_err(|_| {
            bad(format!(
                "{}: missing: applications wait in this queue (R-V5)",
                path.display()
            ))
        })?;
        for (i, (got, want)) in published.lines().zip(&lines).enumerate() {
            if got != want {
                return Err(bad(format!(
                    "{}:{}: '{got}' where the log gives '{want}' (R-V5, R-Q2)",
                    path.display(),
                    i + 1
                )));
            }
        }
        if published.lines().count() != lines.len() {
            return Err(bad(format!(
                "{}: {} lines where the log gives {} (R-V5)",
                path.display(),
                published.lines().count(),
                lines.len()
            )));
        }
        expected_files.push(name);
    }
    if let Ok(entries) = std::fs::read_dir(dir.join("queues")) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !expected_files.contains(&name) {
                return Err(bad(format!(
                    "{}: nobody waits in this queue by the log (R-V5)",
                    entry.path().display()
                )));
            }
        }
    }
    Ok(expected_files.len())
}

/// The offer windows as the log shows them: which round each offered place belongs to, and whom each round
/// notified.
#[derive(Debug, Default)]
pub(super) struct Windows {
    offered: HashMap<i64, i64>,
    notified: HashMap<i64, HashSet<String>>,
}

impl Windows {
    /// Before a record's rows are taken: a direction issued for an offered place went to an application that
    /// the place's round notified (R-D3, R-V5).
    pub(super) fn check(&self, record: &Value, seq: i64, at: &str) -> Result<()> {
        if record["kind"] != "direction.issue" {
            return Ok(());
        }
        for row in rows(record, "direction") {
            let fields = &row["fields"];
            let (Some(place), Some(application)) =
                (fields["place_id"].as_i64(), fields["application"].as_str())
            else {
                continue;
            };
            if let Some(round) = self.offered.get(&place) {
                if !self
                    .notified
                    .get(round)
                    .is_some_and(|n| n.contains(application))
                {
                    return Err(bad(format!(
                        "{at}: seq {seq}: place {place}, offered by round {round}, was directed to {application}, which that round did not notify (R-D3, R-V5)"
                    )));
                }
            }
        }
        Ok(())
    }

    /// After a record: the places it offered or released, and whom an offer round notified.
    pub(super) fn take(&mut self, record: &Value) {
        for row in rows(record, "place") {
            let Some(id) = row["key"].as_i64() else {
                continue;
            };
            match (
                row["fields"]["status"].as_str(),
                row["fields"]["offer_round"].as_i64(),
            ) {
                (Some("offered"), Some(round)) => self.offered.insert(id, round),
                _ => self.offered.remove(&id),
            };
        }
        if record["kind"] == "offer.round" {
            let round = rows(record, "offer_round").find_map(|r| r["key"].as_i64());
            if let Some(round) = round {
                let notified = rows(record, "application")
                    .filter(|r| r["fields"]["status"] == "notified")
                    .filter_map(|r| r["key"].as_str().map(str::to_string));
                self.notified.entry(round).or_default().extend(notified);
            }
        }
    }
}

/// The rows of `table` in a record.
fn rows<'r>(record: &'r Value, table: &'static str) -> impl Iterator<Item = &'r Value> + 'r {
    record["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(move |r| r["table"] == table)
}
