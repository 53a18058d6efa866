//! `db check` of the queue: the per-day counts kept by triggers against the applications they count.

use super::rows::WAITING;
use crate::error::Result;
use crate::store::access::{self, Access};

/// `db check`: the per-day counts agree with the applications they count.
pub fn check_queue_counts(db: &impl Access) -> Result<Vec<String>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare(&format!(
        "WITH actual AS (
             SELECT queue_type, group_year, priority_class, registered_unix / 86400 AS day, count(*) AS n
             FROM application WHERE {WAITING} GROUP BY 1, 2, 3, 4),
         kept AS (SELECT queue_type, group_year, priority_class, day, waiting AS n FROM queue_day WHERE waiting > 0)
         SELECT a.queue_type, a.group_year, a.priority_class, a.day, a.n, k.n FROM actual a
           LEFT JOIN kept k USING (queue_type, group_year, priority_class, day) WHERE k.n IS NOT a.n
         UNION ALL
         SELECT k.queue_type, k.group_year, k.priority_class, k.day, NULL, k.n FROM kept k
           LEFT JOIN actual a USING (queue_type, group_year, priority_class, day) WHERE a.n IS NULL"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(crate::tr!(
            "err-db-queue-counts",
            queue = r.get::<_, String>(0)?,
            year = r.get::<_, i64>(1)?,
            class = r.get::<_, String>(2)?,
            day = r.get::<_, i64>(3)?,
            kept = r.get::<_, Option<i64>>(5)?.unwrap_or(0),
            actual = r.get::<_, Option<i64>>(4)?.unwrap_or(0)
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
