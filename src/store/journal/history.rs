//! Reading the journal back: the events of one record (`history`) and earlier imports of a file.

use rusqlite::{params, OptionalExtension, ToSql};
use serde::Serialize;

use super::tables::StateTable;
use crate::error::Result;

use crate::store::access::{self, Access};

/// One event as `history` shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EventView {
    pub seq: i64,
    pub effective_at: String,
    pub recorded_at: String,
    pub officer: Option<String>,
    pub kind: String,
    pub subject: String,
    pub details: serde_json::Value,
}

/// The events that touched one row of a state table, oldest first.
pub fn history(db: &impl Access, table: StateTable, key: &dyn ToSql) -> Result<Vec<EventView>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare(
        "SELECT j.seq, j.effective_at, j.recorded_at, j.officer, j.kind, j.subject, j.details
         FROM journal_row r JOIN journal j ON j.seq = r.seq
         WHERE r.tbl = ?1 AND r.key = ?2 ORDER BY j.seq",
    )?;
    let rows = stmt.query_map(params![table.name, key], event_view)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `kezek history`: the events that touched the rows keyed `key` in any of `tables`, oldest first, each with
/// its table's name.
pub fn history_of(
    db: &impl Access,
    tables: &[StateTable],
    key: &str,
) -> Result<Vec<(&'static str, EventView)>> {
    let mut out = Vec::new();
    for table in tables {
        for e in history(db, *table, &key)? {
            out.push((table.name, e));
        }
    }
    out.sort_by_key(|(_, e)| e.seq);
    Ok(out)
}

/// The first import of a file with this SHA-256, if any: every import event records its file's digest.
pub fn first_import(db: &impl Access, sha256: &str) -> Result<Option<EventView>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare_cached(
        "SELECT seq, effective_at, recorded_at, officer, kind, subject, details FROM journal
         WHERE kind LIKE '%.import' AND json_extract(details, '$.sha256') = ?1 ORDER BY seq LIMIT 1",
    )?;
    Ok(stmt.query_row([sha256], event_view).optional()?)
}

/// An event as read by `seq, effective_at, recorded_at, officer, kind, subject, details`; details that are not
/// JSON are shown as the text they are.
fn event_view(r: &rusqlite::Row) -> rusqlite::Result<EventView> {
    let details: String = r.get(6)?;
    Ok(EventView {
        seq: r.get(0)?,
        effective_at: r.get(1)?,
        recorded_at: r.get(2)?,
        officer: r.get(3)?,
        kind: r.get(4)?,
        subject: r.get(5)?,
        details: serde_json::from_str(&details).unwrap_or(serde_json::Value::String(details)),
    })
}
