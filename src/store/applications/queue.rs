//! The queue (R-Q1, R-Q2): class sizes, the rank of an application in its class, positions, and the lists in
//! queue order.

use rusqlite::{params, Connection};

use super::rows::{from_row, list_row, AppRow, SELECT, WAITING};
use crate::domain::application::{ApplicationListRow, QueueType, Status};
use crate::domain::category::PriorityClass;
use crate::domain::queue::{self, ClassCounts};
use crate::error::Result;
use crate::store::access::{self, Access};
use crate::store::reference::load_settings;

/// The queues (queue type, group year) with at least one waiting application, in that order.
pub fn queues_waiting(db: &impl Access) -> Result<Vec<(String, i64)>> {
    let mut stmt = access::conn(db).prepare(
        "SELECT DISTINCT queue_type, group_year FROM queue_day WHERE waiting > 0 ORDER BY queue_type, group_year",
    )?;
    let keys = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(keys)
}

/// The size of each class in one queue (R-Q1).
pub fn class_counts(db: &impl Access, queue_type: &str, group_year: i64) -> Result<ClassCounts> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare_cached(
        "SELECT priority_class, coalesce(sum(waiting), 0) FROM queue_day
         WHERE queue_type = ?1 AND group_year = ?2 GROUP BY priority_class",
    )?;
    let mut counts = ClassCounts::default();
    let mut rows = stmt.query(params![queue_type, group_year])?;
    while let Some(r) = rows.next()? {
        let class: String = r.get(0)?;
        let n: i64 = r.get(1)?;
        match PriorityClass::parse(&class) {
            Some(PriorityClass::OutOfTurn) => counts.out_of_turn = n as u64,
            Some(PriorityClass::FirstPriority) => counts.first_priority = n as u64,
            Some(PriorityClass::General) => counts.general = n as u64,
            None => {}
        }
    }
    Ok(counts)
}

/// The 1-based rank of a waiting application in its class: the waiting of earlier days, plus those of its own
/// day registered before it (ties: by number).
fn class_rank(conn: &Connection, app: &AppRow) -> Result<u64> {
    let day = app.registered_unix.div_euclid(86_400);
    let earlier: i64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(waiting), 0) FROM queue_day
             WHERE queue_type = ?1 AND group_year = ?2 AND priority_class = ?3 AND day < ?4",
        )?
        .query_row(
            params![app.queue_type, app.group_year, app.priority_class, day],
            |r| r.get(0),
        )?;
    let same_day: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM application
             WHERE queue_type = ?1 AND group_year = ?2 AND priority_class = ?3 AND {WAITING}
               AND registered_unix >= ?4 AND (registered_unix, number) <= (?5, ?6)"
        ))?
        .query_row(
            params![
                app.queue_type,
                app.group_year,
                app.priority_class,
                day * 86_400,
                app.registered_unix,
                app.number
            ],
            |r| r.get(0),
        )?;
    Ok((earlier + same_day) as u64)
}

/// Queue position and class position of a waiting application (R-Q2); `None` when it is not waiting.
pub fn positions(db: &impl Access, app: &AppRow, k: u32) -> Result<Option<(u64, u64)>> {
    let conn = access::conn(db);
    if !app.status().is_waiting() {
        return Ok(None);
    }
    let counts = class_counts(conn, &app.queue_type, app.group_year)?;
    let rank = class_rank(conn, app)?;
    let class = app.class();
    Ok(Some((
        queue::position(class, rank, &counts, u64::from(k)),
        queue::class_position(class, rank),
    )))
}

/// Filters of `application list`.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub queue_type: Option<QueueType>,
    pub group_year: Option<i64>,
    pub status: Option<Status>,
    pub limit: Option<usize>,
}

/// `application list`: waiting applications of each queue in queue order (R-Q2), then the others by
/// registration time. Queues come in order of queue type and group year.
pub fn list(db: &impl Access, filter: &ListFilter) -> Result<Vec<ApplicationListRow>> {
    let mut out = Vec::new();
    list_each(db, filter, |row| {
        out.push(row);
        Ok(true)
    })?;
    Ok(out)
}

/// `list`, row by row as the database gives them (R-L4): the waiting in queue order, queue by queue, then the
/// others by registration; `each` returns whether to go on. Holds no more than one row.
pub fn list_each(
    db: &impl Access,
    filter: &ListFilter,
    mut each: impl FnMut(ApplicationListRow) -> Result<bool>,
) -> Result<()> {
    let conn = access::conn(db);
    let k = load_settings(conn)?.general_per_first_priority;
    let limit = filter.limit.unwrap_or(usize::MAX);
    let mut given = 0usize;
    let mut going = given < limit;
    let want_waiting = filter.status.is_none_or(|s| s.is_waiting());
    if want_waiting && going {
        let mut queues = conn.prepare(
            "SELECT DISTINCT queue_type, group_year FROM queue_day
             WHERE waiting > 0 AND (?1 IS NULL OR queue_type = ?1) AND (?2 IS NULL OR group_year = ?2)
             ORDER BY queue_type, group_year",
        )?;
        let keys: Vec<(String, i64)> = queues
            .query_map(
                params![filter.queue_type.map(|q| q.as_str()), filter.group_year],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        for (queue_type, group_year) in keys {
            if !going {
                break;
            }
            for_each_in_queue_order(conn, &queue_type, group_year, k, |app, pos, class_pos| {
                if filter.status.is_none_or(|s| s.as_str() == app.status) {
                    given += 1;
                    going = each(list_row(app, Some((pos, class_pos))))? && given < limit;
                }
                Ok(going)
            })?;
        }
    }
    if filter.status.is_none_or(|s| !s.is_waiting()) && going {
        let mut stmt = conn.prepare(&format!(
            "{SELECT} WHERE NOT {WAITING} AND (?1 IS NULL OR status = ?1)
               AND (?2 IS NULL OR queue_type = ?2) AND (?3 IS NULL OR group_year = ?3)
             ORDER BY registered_unix, number"
        ))?;
        let rows = stmt.query_map(
            params![
                filter.status.map(|s| s.as_str()),
                filter.queue_type.map(|q| q.as_str()),
                filter.group_year
            ],
            from_row,
        )?;
        for row in rows {
            given += 1;
            if !each(list_row(row?, None))? || given >= limit {
                break;
            }
        }
    }
    Ok(())
}

/// Streams the waiting applications of one queue in queue order, with queue and class positions. `each`
/// returns whether to go on.
pub fn for_each_in_queue_order(
    db: &impl Access,
    queue_type: &str,
    group_year: i64,
    k: u32,
    mut each: impl FnMut(AppRow, u64, u64) -> Result<bool>,
) -> Result<()> {
    let conn = access::conn(db);
    let sql = format!(
        "{SELECT} WHERE queue_type = ?1 AND group_year = ?2 AND priority_class = ?3 AND {WAITING}
         ORDER BY registered_unix, number"
    );
    let (mut oot, mut first, mut general) = (
        conn.prepare(&sql)?,
        conn.prepare(&sql)?,
        conn.prepare(&sql)?,
    );
    let o = oot.query_map(params![queue_type, group_year, "out_of_turn"], from_row)?;
    let f = first.query_map(params![queue_type, group_year, "first_priority"], from_row)?;
    let g = general.query_map(params![queue_type, group_year, "general"], from_row)?;
    let mut ranks = [0u64; 3];
    let mut position = 0u64;
    for row in queue::interleave(o, f, g, u64::from(k)) {
        let row = row?;
        position += 1;
        let class = row.class();
        let idx = class as usize;
        ranks[idx] += 1;
        let class_pos = queue::class_position(class, ranks[idx]);
        if !each(row, position, class_pos)? {
            break;
        }
    }
    Ok(())
}
