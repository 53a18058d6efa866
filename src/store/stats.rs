//! `kezek stats`: counts for a period, never personal data.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

use super::applications;
use crate::error::Result;
use crate::store::access::{self, Access};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WaitingRow {
    pub queue_type: String,
    pub group_year: i64,
    pub out_of_turn: u64,
    pub first_priority: u64,
    pub general: u64,
    pub total: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FreePlacesRow {
    pub org_kind: String,
    pub district: String,
    pub language: String,
    pub places: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WaitRow {
    pub group_year: i64,
    pub directions: u64,
    pub median_days: f64,
}

/// The JSON shape of SPEC §9 (`waiting`, `directions_issued`, `enrolled`, `expired`, `removed`, `free_places`),
/// and more.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    pub from: Option<String>,
    pub to: String,
    pub waiting: Vec<WaitingRow>,
    pub directions_issued: u64,
    pub enrolled: u64,
    pub expired: u64,
    pub revoked: u64,
    pub annulled: u64,
    pub removed: BTreeMap<String, u64>,
    pub removed_total: u64,
    pub free_places: Vec<FreePlacesRow>,
    pub median_wait_days: Vec<WaitRow>,
}

/// One line of the CSV form: a metric and the dimensions it is counted by.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StatLine {
    pub metric: String,
    pub queue_type: String,
    pub group_year: String,
    pub priority_class: String,
    pub reason: String,
    pub org_kind: String,
    pub district: String,
    pub language: String,
    pub value: String,
}

fn count(conn: &Connection, sql: &str, from: &str, to: &str) -> Result<u64> {
    let n: i64 = conn.query_row(sql, params![from, to], |r| r.get(0))?;
    Ok(n as u64)
}

/// Statistics for the period `from..=to` (local dates; `from` None: since the beginning).
pub fn stats(db: &impl Access, from: Option<NaiveDate>, to: NaiveDate) -> Result<Stats> {
    let conn = access::conn(db);
    let from_s = from
        .map(|d| d.to_string())
        .unwrap_or_else(|| "0000-01-01".into());
    let to_s = to.to_string();
    let mut out = Stats {
        from: from.map(|d| d.to_string()),
        to: to_s.clone(),
        ..Stats::default()
    };

    let queues: Vec<(String, i64)> = conn
        .prepare(
            "SELECT DISTINCT queue_type, group_year FROM queue_day WHERE waiting > 0 ORDER BY 1, 2",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (queue_type, group_year) in queues {
        let c = applications::class_counts(conn, &queue_type, group_year)?;
        out.waiting.push(WaitingRow {
            queue_type,
            group_year,
            out_of_turn: c.out_of_turn,
            first_priority: c.first_priority,
            general: c.general,
            total: c.total(),
        });
    }

    // Timestamps carry their offset; their first ten characters are the local date (R-T1).
    out.directions_issued = count(
        conn,
        "SELECT count(*) FROM direction WHERE substr(issued_at, 1, 10) BETWEEN ?1 AND ?2",
        &from_s,
        &to_s,
    )?;
    for (status, slot) in [
        ("enrolled", &mut out.enrolled),
        ("expired", &mut out.expired),
        ("revoked", &mut out.revoked),
        ("annulled", &mut out.annulled),
    ] {
        *slot = count(
            conn,
            &format!(
                "SELECT count(*) FROM direction WHERE status = '{status}' AND substr(closed_at, 1, 10) BETWEEN ?1 AND ?2"
            ),
            &from_s,
            &to_s,
        )?;
    }
    let mut stmt = conn.prepare(
        "SELECT removed_reason, count(*) FROM application
         WHERE status = 'removed' AND substr(removed_at, 1, 10) BETWEEN ?1 AND ?2 GROUP BY 1 ORDER BY 1",
    )?;
    for row in stmt.query_map(params![from_s, to_s], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (reason, n) = row?;
        out.removed_total += n as u64;
        out.removed.insert(reason, n as u64);
    }

    let mut stmt = conn.prepare(
        "SELECT o.kind, o.district, p.language, count(*) FROM place p JOIN org o ON o.code = p.org
         WHERE p.status IN ('free', 'free_choice', 'offered') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )?;
    out.free_places = stmt
        .query_map([], |r| {
            Ok(FreePlacesRow {
                org_kind: r.get(0)?,
                district: r.get(1)?,
                language: r.get(2)?,
                places: r.get::<_, i64>(3)? as u64,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let mut waits: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT a.group_year, julianday(d.issued_at) - julianday(a.registered_at) FROM direction d
         JOIN application a ON a.number = d.application WHERE substr(d.issued_at, 1, 10) BETWEEN ?1 AND ?2",
    )?;
    for row in stmt.query_map(params![from_s, to_s], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?))
    })? {
        let (year, days) = row?;
        waits.entry(year).or_default().push(days);
    }
    for (group_year, mut days) in waits {
        days.sort_by(f64::total_cmp);
        let n = days.len();
        let median = if n % 2 == 1 {
            days[n / 2]
        } else {
            (days[n / 2 - 1] + days[n / 2]) / 2.0
        };
        out.median_wait_days.push(WaitRow {
            group_year,
            directions: n as u64,
            median_days: (median * 10.0).round() / 10.0,
        });
    }
    Ok(out)
}

impl Stats {
    /// The long form for CSV and tables: one metric and its dimensions a line.
    pub fn lines(&self) -> Vec<StatLine> {
        let mut out = Vec::new();
        let line = |metric: &str, value: String| StatLine {
            metric: metric.into(),
            value,
            ..StatLine::default()
        };
        for w in &self.waiting {
            for (class, n) in [
                ("out_of_turn", w.out_of_turn),
                ("first_priority", w.first_priority),
                ("general", w.general),
            ] {
                out.push(StatLine {
                    queue_type: w.queue_type.clone(),
                    group_year: w.group_year.to_string(),
                    priority_class: class.into(),
                    ..line("waiting", n.to_string())
                });
            }
        }
        for (metric, n) in [
            ("directions_issued", self.directions_issued),
            ("enrolled", self.enrolled),
            ("expired", self.expired),
            ("revoked", self.revoked),
            ("annulled", self.annulled),
        ] {
            out.push(line(metric, n.to_string()));
        }
        for (reason, n) in &self.removed {
            out.push(StatLine {
                reason: reason.clone(),
                ..line("removed", n.to_string())
            });
        }
        for f in &self.free_places {
            out.push(StatLine {
                org_kind: f.org_kind.clone(),
                district: f.district.clone(),
                language: f.language.clone(),
                ..line("free_places", f.places.to_string())
            });
        }
        for w in &self.median_wait_days {
            out.push(StatLine {
                group_year: w.group_year.to_string(),
                ..line("median_wait_days", w.median_days.to_string())
            });
        }
        out
    }
}
