//! The queues of a publication (R-V5): each offer round replayed against the queue as it stood before it, and
//! `queues/*.csv` against the queue the log's applications give in R-Q2 order.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::app::Apps;
use super::{bad, App, PassedOver, PublicReport};
use crate::domain::category::PriorityClass;
use crate::domain::queue::{class_position, interleave};
use crate::domain::record::Record;
use crate::error::Result;
use crate::tr;

/// An offer round (R-P3): the applications it notified, in each queue, are the head of that queue's `queued`
/// applications in R-Q2 order as they stood before it, in that order. One passed over is listed (R-D5, R-C6,
/// R-C5); twins notified together (R-C5) take their turn at the first of them.
pub(super) fn offer_round(
    record: &Record,
    seq: i64,
    at: &str,
    apps: &Apps,
    k: u32,
    report: &mut PublicReport,
) -> Result<()> {
    let notified: Vec<String> = notified_by(record).collect();
    if notified.is_empty() {
        return Ok(());
    }
    report.offer_rounds += 1;
    // The applications the round itself says it passed over (R-D5: the child attends an organization; R-C6: the
    // child is under the minimum age; R-C5: twins with no organization holding a place for each).
    let declared: Vec<String> = record
        .rows_of("offer_round")
        .filter_map(|r| r.field("passed_over").as_str().map(str::to_string))
        .flat_map(|list| serde_json::from_str::<Vec<String>>(&list).unwrap_or_default())
        .collect();
    // The twins the round notified together (R-C5): a group's members take their turn at the first of them.
    let together: Vec<Vec<String>> = record
        .rows_of("offer_round")
        .filter_map(|r| r.field("siblings").as_str().map(str::to_string))
        .flat_map(|list| serde_json::from_str::<Vec<Vec<String>>>(&list).unwrap_or_default())
        .collect();
    for member in together.iter().flatten() {
        if !notified.contains(member) {
            return Err(bad(tr!(
                "err-public-round-siblings",
                at = at.to_string(),
                seq = seq,
                number = member.clone()
            )));
        }
    }
    let mut queues: BTreeMap<(String, i64), Vec<&str>> = BTreeMap::new();
    for n in &notified {
        let app = apps.get(n).ok_or_else(|| {
            bad(tr!(
                "err-public-round-unregistered",
                at = at.to_string(),
                seq = seq,
                number = n.clone()
            ))
        })?;
        if app.status != "queued" {
            return Err(bad(tr!(
                "err-public-round-not-queued",
                at = at.to_string(),
                seq = seq,
                number = n.clone(),
                status = app.status.to_string()
            )));
        }
        queues
            .entry((app.queue_type.to_string(), app.group_year))
            .or_default()
            .push(n.as_str());
    }
    for ((queue_type, group_year), chosen) in queues {
        let order = queue_order(apps, &queue_type, group_year, k);
        let queued: Vec<&str> = order
            .iter()
            .filter(|(_, a)| a.status == "queued")
            .map(|(n, _)| *n)
            .collect();
        let rank: HashMap<&str, usize> = queued.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        // A notified application's turn: its own rank, or its group's first member's.
        let turn = |n: &str| -> usize {
            let own = rank[n];
            together
                .iter()
                .find(|g| g.iter().any(|m| m == n))
                .and_then(|g| g.iter().filter_map(|m| rank.get(m.as_str())).min())
                .map_or(own, |&first| first.min(own))
        };
        let last = chosen
            .iter()
            .map(|n| turn(n))
            .max()
            .expect("a queue with someone notified");
        for (i, n) in queued[..=last].iter().enumerate() {
            if !chosen.contains(n) {
                let after = queued[i..]
                    .iter()
                    .find(|q| chosen.contains(q))
                    .map(|q| q.to_string())
                    .unwrap_or_default();
                if !declared.iter().any(|d| d == n) {
                    return Err(bad(tr!(
                        "err-public-round-passed-over",
                        at = at.to_string(),
                        seq = seq,
                        after = after,
                        number = n.to_string()
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

/// Whether an application waits in its queue.
fn waiting(app: &App) -> bool {
    matches!(app.status.as_str(), "queued" | "notified" | "stop_listed")
}

/// The waiting applications of one queue in R-Q2 order.
pub(super) fn queue_order<'a>(
    apps: &'a Apps,
    queue_type: &str,
    group_year: i64,
    k: u32,
) -> Vec<(&'a str, &'a App)> {
    let members = apps
        .iter()
        .filter(|(_, a)| a.queue_type == queue_type && a.group_year == group_year && waiting(a))
        .collect();
    in_order(members, k)
}

/// The members of one queue in R-Q2 order.
fn in_order<'a>(members: Vec<(&'a str, &'a App)>, k: u32) -> Vec<(&'a str, &'a App)> {
    // Sorted by registration instant (as seconds and nanoseconds, in the order of the instants themselves), then
    // number: the instants are copied beside the members, so that a million comparisons do not each read two
    // applications from wherever the map holds them.
    let mut keyed: Vec<_> = members
        .into_iter()
        .map(|m| ((m.1.at.timestamp(), m.1.at.timestamp_subsec_nanos()), m))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1 .0.cmp(b.1 .0)));
    let of = |class: &'static str| {
        keyed
            .iter()
            .map(|k| k.1)
            .filter(move |m| m.1.class == class)
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
pub(super) fn check_queues(dir: &Path, apps: &Apps, k: u32) -> Result<usize> {
    let mut queues: BTreeMap<(&str, i64), Vec<(&str, &App)>> = BTreeMap::new();
    for (number, app) in apps.iter().filter(|(_, a)| waiting(a)) {
        queues
            .entry((app.queue_type.as_str(), app.group_year))
            .or_default()
            .push((number, app));
    }
    // The queues are independent: two threads check half of them each.
    let queues: Vec<_> = queues.into_iter().collect();
    let mut checked: Vec<(usize, Result<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let queues = &queues;
                scope.spawn(move || {
                    queues
                        .iter()
                        .enumerate()
                        .skip(w)
                        .step_by(2)
                        .map(|(i, ((queue_type, group_year), members))| {
                            (
                                i,
                                check_queue(dir, queue_type, *group_year, members.clone(), k),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a queue check ends"))
            .collect()
    });
    checked.sort_by_key(|(i, _)| *i);
    let mut expected_files = Vec::new();
    for (_, name) in checked {
        expected_files.push(name?);
    }
    if let Ok(entries) = std::fs::read_dir(dir.join("queues")) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !expected_files.contains(&name) {
                return Err(bad(tr!(
                    "err-public-queue-empty",
                    path = entry.path().display().to_string()
                )));
            }
        }
    }
    Ok(expected_files.len())
}

/// One queue's file against the queue its members give in R-Q2 order; its file's name.
fn check_queue(
    dir: &Path,
    queue_type: &str,
    group_year: i64,
    members: Vec<(&str, &App)>,
    k: u32,
) -> Result<String> {
    let name = format!("{queue_type}-{group_year}.csv");
    let path = dir.join("queues").join(&name);
    let published = std::fs::read_to_string(&path).map_err(|_| {
        bad(tr!(
            "err-public-queue-missing",
            path = path.display().to_string()
        ))
    })?;
    let mut lines = published.lines();
    const HEADER: &str = "number,priority_class,registered_at,status,queue_position,class_position";
    let mut ranks = [0u64; 3];
    let order = in_order(members, k);
    let total = order.len() + 1;
    let mismatch = |i: usize, got: &str, want: String| {
        bad(tr!(
            "err-public-queue-line",
            path = path.display().to_string(),
            line = i as i64 + 1,
            got = got.to_string(),
            want = want
        ))
    };
    let got = lines.next().unwrap_or_default();
    if got != HEADER {
        return Err(mismatch(0, got, HEADER.to_string()));
    }
    for (i, (number, app)) in order.into_iter().enumerate().map(|(i, m)| (i + 1, m)) {
        let class = match app.class.as_str() {
            "out_of_turn" => PriorityClass::OutOfTurn,
            "first_priority" => PriorityClass::FirstPriority,
            _ => PriorityClass::General,
        };
        let rank = &mut ranks[class as usize];
        *rank += 1;
        let position = class_position(class, *rank);
        let got = lines.next().unwrap_or_default();
        // Field by field: a million lines are compared without being formatted; a line that differs is.
        let mut fields = got.split(',');
        let same = fields.next() == Some(number)
            && fields.next() == Some(app.class.as_str())
            && fields.next() == Some(&*app.registered_at)
            && fields.next() == Some(app.status.as_str())
            && fields.next().is_some_and(|f| is_decimal(f, i as u64))
            && fields.next().is_some_and(|f| is_decimal(f, position))
            && fields.next().is_none();
        if !same {
            let want = format!(
                "{number},{},{},{},{i},{position}",
                app.class, app.registered_at, app.status
            );
            return Err(mismatch(i, got, want));
        }
    }
    let extra = lines.count();
    if extra > 0 {
        return Err(bad(tr!(
            "err-public-queue-lines",
            path = path.display().to_string(),
            lines = (total + extra) as i64,
            total = total as i64
        )));
    }
    Ok(name)
}

/// Whether `text` is `n` written in decimal, as `format!` writes it (no sign, no leading zero).
fn is_decimal(text: &str, mut n: u64) -> bool {
    let mut digits = text.bytes().rev();
    loop {
        if digits.next() != Some(b'0' + (n % 10) as u8) {
            return false;
        }
        n /= 10;
        if n == 0 {
            return digits.next().is_none();
        }
    }
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
    pub(super) fn check(&self, record: &Record, seq: i64, at: &str) -> Result<()> {
        if record.kind != "direction.issue" {
            return Ok(());
        }
        for row in record.rows_of("direction") {
            let (Some(place), Some(application)) = (
                row.field("place_id").as_i64(),
                row.field("application").as_str().map(str::to_string),
            ) else {
                continue;
            };
            if let Some(round) = self.offered.get(&place) {
                if !self
                    .notified
                    .get(round)
                    .is_some_and(|n| n.contains(&application))
                {
                    return Err(bad(tr!(
                        "err-public-round-place",
                        at = at.to_string(),
                        seq = seq,
                        place = place,
                        round = *round,
                        application = application
                    )));
                }
            }
        }
        Ok(())
    }

    /// After a record: the places it offered or released, and whom an offer round notified.
    pub(super) fn take(&mut self, record: &Record) {
        for row in record.rows_of("place") {
            let Some(id) = row.key_i64() else {
                continue;
            };
            match (
                row.field("status").as_str(),
                row.field("offer_round").as_i64(),
            ) {
                (Some("offered"), Some(round)) => self.offered.insert(id, round),
                _ => self.offered.remove(&id),
            };
        }
        if record.kind == "offer.round" {
            let round = record.rows_of("offer_round").find_map(|r| r.key_i64());
            if let Some(round) = round {
                self.notified
                    .entry(round)
                    .or_default()
                    .extend(notified_by(record));
            }
        }
    }
}

/// The applications a record notified.
fn notified_by<'r>(record: &'r Record) -> impl Iterator<Item = String> + 'r {
    record
        .rows_of("application")
        .filter(|r| r.field("status") == "notified")
        .filter_map(|r| r.key_str().map(|k| k.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    /// Queued applications of general 2022 registered in the order given.
    fn queue(numbers: &[&str]) -> Apps {
        numbers
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let at = format!("2026-01-01T09:{i:02}:00+05:00");
                let app = App {
                    queue_type: "general".into(),
                    group_year: 2022,
                    class: "general".into(),
                    at: DateTime::parse_from_rfc3339(&at).unwrap(),
                    registered_at: at.into(),
                    status: "queued".into(),
                    preferences: None,
                };
                (n.to_string(), app)
            })
            .collect()
    }

    /// An offer round of general 2022 notifying `numbers`, with its published lists.
    fn round(numbers: &[&str], passed_over: Option<&str>, siblings: Option<&str>) -> String {
        let text =
            |v: Option<&str>| v.map_or("null".to_string(), |v| serde_json::to_string(v).unwrap());
        let mut rows = vec![format!(
            r#"{{"fields":{{"group_year":2022,"notified":{},"passed_over":{},"places":{},"queue_type":"general","siblings":{}}},"key":1,"table":"offer_round"}}"#,
            numbers.len(),
            text(passed_over),
            numbers.len(),
            text(siblings)
        )];
        for n in numbers {
            rows.push(format!(
                r#"{{"fields":{{"group_year":2022,"number":"{n}","priority_class":"general","queue_type":"general","registered_at":"2026-01-01T09:00:00+05:00","status":"notified"}},"key":"{n}","table":"application"}}"#
            ));
        }
        format!(
            r#"{{"effective_at":"2026-03-16T10:00:00+05:00","kind":"offer.round","officer":"o","recorded_at":"2026-03-16T10:00:00+05:00","rows":[{}],"seq":5,"subject":"1"}}"#,
            rows.join(",")
        )
    }

    fn check(record: &str, apps: &Apps) -> Result<PublicReport> {
        let record = Record::parse(record).unwrap();
        let mut report = PublicReport::default();
        offer_round(&record, 5, "log:5", apps, 3, &mut report).map(|()| report)
    }

    #[test]
    fn r_c5_twins_notified_together_take_their_turn_at_the_first_of_them() {
        // A and C are twins; B, between them, is not notified: the round published the twins.
        let apps = queue(&["A", "B", "C"]);
        let twins = round(&["A", "C"], None, Some(r#"[["A","C"]]"#));
        assert!(check(&twins, &apps).is_ok());
        // The same round without its list of twins skipped B.
        let err = check(&round(&["A", "C"], None, None), &apps)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("R-Q2") && err.contains("passed over B"),
            "{err}"
        );
        // A list of twins the round did not notify whole.
        let err = check(&round(&["A"], None, Some(r#"[["A","C"]]"#)), &apps)
            .unwrap_err()
            .to_string();
        assert!(err.contains("R-C5") && err.contains('C'), "{err}");
    }

    #[test]
    fn r_c5_twins_without_places_together_are_passed_over_and_say_so() {
        let apps = queue(&["A", "B", "C"]);
        let report = check(&round(&["C"], Some(r#"["A","B"]"#), None), &apps).unwrap();
        assert_eq!(report.passed_over.len(), 2);
        assert!(check(&round(&["C"], None, None), &apps).is_err());
    }

    proptest::proptest! {
        /// R-Q2: the replay's order is registration instant, then number, whatever offsets the times are written
        /// with, interleaved by class.
        #[test]
        fn r_q2_the_replayed_order_is_the_instants_then_the_numbers(
            apps in proptest::collection::vec((0i64..5_000, 0u32..3, -2i32..3, 0usize..3, 0u32..40), 0..60),
        ) {
            let classes = ["out_of_turn", "first_priority", "general"];
            let map: Apps = apps
                .iter()
                .enumerate()
                .map(|(i, &(minute, nanos, hours, class, number))| {
                    let offset = chrono::FixedOffset::east_opt(hours * 3600).unwrap();
                    let utc = DateTime::from_timestamp(1_767_200_000 + minute * 60, nanos * 400_000_000).unwrap();
                    let at = utc.with_timezone(&offset);
                    let app = App {
                        queue_type: "general".into(),
                        group_year: 2022,
                        class: classes[class].into(),
                        at,
                        registered_at: at.to_rfc3339().into(),
                        status: "queued".into(),
                        preferences: None,
                    };
                    (format!("N{number:02}-{i}"), app)
                })
                .collect();
            let members: Vec<(&str, &App)> = map.iter().collect();
            let mut oracle = members.clone();
            oracle.sort_by(|a, b| a.1.at.cmp(&b.1.at).then_with(|| a.0.cmp(b.0)));
            let of = |class: &str| oracle.iter().copied().filter(|m| m.1.class == class).collect::<Vec<_>>();
            let want: Vec<&str> =
                interleave(of("out_of_turn").into_iter(), of("first_priority").into_iter(), of("general").into_iter(), 3)
                    .map(|m| m.0)
                    .collect();
            let got: Vec<&str> = in_order(members, 3).into_iter().map(|m| m.0).collect();
            proptest::prop_assert_eq!(got, want);
        }

        /// A queue file's numbers are compared without formatting: as `format!` writes them, and nothing else.
        #[test]
        fn r_v5_a_position_is_read_as_it_is_written(n in proptest::prelude::any::<u64>(), m in 0u64..1000) {
            proptest::prop_assert!(is_decimal(&n.to_string(), n));
            proptest::prop_assert_eq!(is_decimal(&m.to_string(), n), m == n);
            for other in [format!("0{n}"), format!("+{n}"), format!("{n} "), format!(" {n}"), format!("{n}0"), String::new()] {
                proptest::prop_assert!(!is_decimal(&other, n), "{}", other);
            }
        }
    }
}
