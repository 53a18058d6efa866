//! Step 4 of `verify` shared among connections: the application table in key ranges, one read-only connection
//! per range, each shown to see the same journal head as the chain's snapshot.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::rows::{verify_table, KeyRange};
use super::RowSplit;
use crate::error::Result;
use crate::store::db::reader;
use crate::store::journal::{last_event, StateTable, APPLICATION, STATE_TABLES};

/// A read-only connection to the same file whose read transaction sees the journal ending at `head`, or `None`
/// when a writer committed in between.
fn open_at_head(path: &str, head: Option<(i64, [u8; 32])>) -> Result<Option<Connection>> {
    let conn = reader(std::path::Path::new(path))?;
    conn.execute_batch("BEGIN")?;
    Ok((last_event(&conn)? == head).then_some(conn))
}

/// The rows a task checked, or the problem it found, by the task's place in the order of one connection.
type TaskResult = (usize, Result<u64>);

/// One part of step 4: the rows of `table` whose keys are in `range`, checked by connection `worker`.
struct RowTask {
    worker: usize,
    table: StateTable,
    range: KeyRange,
}

/// Step 4 of `verify`, for every state table, on one connection.
pub(super) fn verify_rows(conn: &Connection, skip: bool) -> Result<u64> {
    if skip {
        return Ok(0);
    }
    let mut rows = 0;
    for table in STATE_TABLES {
        rows += verify_table(conn, *table, &KeyRange::default())?;
    }
    Ok(rows)
}

/// Step 4 on connections of their own: the application table (the only one that holds millions of rows) in
/// `split.workers` key ranges, the other tables with the first. The problem reported is the first in the
/// order one connection would have met it. `None` when a writer committed since the chain's snapshot.
pub(super) fn verify_rows_in_parallel(
    path: &str,
    head: Option<(i64, [u8; 32])>,
    split: RowSplit,
    skip: bool,
) -> Option<Result<u64>> {
    let first = open_at_head(path, head).ok().flatten()?;
    if skip {
        return Some(Ok(0));
    }
    let bounds = match split_keys(&first, APPLICATION, split) {
        Ok(b) => b,
        Err(e) => return Some(Err(e)),
    };
    let mut tasks: Vec<RowTask> = Vec::new();
    for table in STATE_TABLES {
        if *table != APPLICATION {
            tasks.push(RowTask {
                worker: 0,
                table: *table,
                range: KeyRange::default(),
            });
            continue;
        }
        let mut from = None;
        for (worker, to) in bounds.iter().cloned().map(Some).chain([None]).enumerate() {
            let range = KeyRange {
                from: from.clone(),
                to: to.clone(),
            };
            tasks.push(RowTask {
                worker,
                table: *table,
                range,
            });
            from = to;
        }
    }
    let used = bounds.len() + 1;
    let results: Vec<Option<Vec<TaskResult>>> = std::thread::scope(|scope| {
        let tasks = &tasks;
        let run = |worker: usize, conn: &Connection| {
            tasks
                .iter()
                .enumerate()
                .filter(|(_, t)| t.worker == worker)
                .map(|(i, t)| (i, verify_table(conn, t.table, &t.range)))
                .collect::<Vec<_>>()
        };
        let others: Vec<_> = (1..used)
            .map(|worker| {
                scope.spawn(move || {
                    let conn = open_at_head(path, head).ok().flatten()?;
                    Some(run(worker, &conn))
                })
            })
            .collect();
        let mut all = vec![Some(run(0, &first))];
        all.extend(
            others
                .into_iter()
                .map(|h| h.join().expect("a row check does not panic")),
        );
        all
    });
    let mut by_task: Vec<TaskResult> = Vec::new();
    for r in results {
        by_task.extend(r?);
    }
    by_task.sort_by_key(|(i, _)| *i);
    let mut rows = 0;
    for (_, r) in by_task {
        match r {
            Ok(n) => rows += n,
            Err(e) => return Some(Err(e)),
        }
    }
    Some(Ok(rows))
}

/// Up to `split.workers - 1` keys that split `table` into parts of about equal row counts, in key order; none
/// when the table has fewer than `split.min_rows` rows.
fn split_keys(conn: &Connection, table: StateTable, split: RowSplit) -> Result<Vec<Value>> {
    let parts = split.workers;
    let count: i64 = conn.query_row(&format!("SELECT count(*) FROM {}", table.name), [], |r| {
        r.get(0)
    })?;
    if parts < 2 || count < split.min_rows {
        return Ok(Vec::new());
    }
    let first = format!(
        "SELECT {key} FROM {name} ORDER BY {key} LIMIT 1 OFFSET ?1",
        key = table.key,
        name = table.name
    );
    let next = format!(
        "SELECT {key} FROM {name} WHERE {key} > ?2 ORDER BY {key} LIMIT 1 OFFSET ?1",
        key = table.key,
        name = table.name
    );
    let step = count / parts as i64;
    let mut bounds: Vec<Value> = Vec::new();
    for _ in 1..parts {
        // Each boundary is found from the one before it, so the table is walked once in all.
        let key: Option<Value> = match bounds.last() {
            None => conn.query_row(&first, [step], |r| r.get(0)),
            Some(after) => conn.query_row(&next, rusqlite::params![step - 1, after], |r| r.get(0)),
        }
        .optional()?;
        match key {
            Some(k) => bounds.push(k),
            None => break,
        }
    }
    Ok(bounds)
}
