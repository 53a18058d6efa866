//! Step 4 of `verify` for one table: its rows (in key order) merged with the latest digest the journal recorded
//! for each key (in key order). An edited row, a row inserted without an event and a deleted row are named.

use std::cmp::Ordering;

use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;

use crate::crypto;
use crate::error::{Error, Result};
use crate::store::journal::{each_row_digest, sqlite_cmp_ref, to_hash, StateTable};
use crate::tr;

/// Keys from `from` (inclusive) to `to` (exclusive) of one table, in SQLite's order; `None` is open-ended.
#[derive(Debug, Clone, Default)]
pub(super) struct KeyRange {
    pub(super) from: Option<Value>,
    pub(super) to: Option<Value>,
}

impl KeyRange {
    /// The SQL condition on `column` (" AND column >= ?N AND column < ?M", without an open end), its parameters
    /// numbered from `first`, and the values to bind to them.
    pub(super) fn condition(&self, column: &str, first: usize) -> (String, Vec<&Value>) {
        let mut sql = String::new();
        let mut values = Vec::new();
        for (bound, op) in [(&self.from, ">="), (&self.to, "<")] {
            if let Some(v) = bound {
                values.push(v);
                sql.push_str(&format!(" AND {column} {op} ?{}", first + values.len() - 1));
            }
        }
        (sql, values)
    }
}

/// The latest recorded digest of each key of one table, in key order, streamed from `journal_row`.
struct LatestDigests<'s> {
    rows: rusqlite::Rows<'s>,
    ahead: Recorded,
    has_ahead: bool,
}

/// One `journal_row` as the merge keeps it, in buffers reused from row to row.
#[derive(Default)]
struct Recorded {
    key: KeyBuf,
    seq: i64,
    digest: Option<[u8; 32]>,
}

/// A key kept between rows without a new allocation for each: its SQLite type and its bytes.
#[derive(Default)]
struct KeyBuf {
    kind: u8,
    number: i64,
    real: f64,
    bytes: Vec<u8>,
}

impl KeyBuf {
    fn set(&mut self, v: ValueRef<'_>) {
        self.bytes.clear();
        match v {
            ValueRef::Null => self.kind = 0,
            ValueRef::Integer(i) => (self.kind, self.number) = (1, i),
            ValueRef::Real(f) => (self.kind, self.real) = (2, f),
            ValueRef::Text(t) => {
                self.kind = 3;
                self.bytes.extend_from_slice(t);
            }
            ValueRef::Blob(b) => {
                self.kind = 4;
                self.bytes.extend_from_slice(b);
            }
        }
    }

    fn get(&self) -> ValueRef<'_> {
        match self.kind {
            1 => ValueRef::Integer(self.number),
            2 => ValueRef::Real(self.real),
            3 => ValueRef::Text(&self.bytes),
            4 => ValueRef::Blob(&self.bytes),
            _ => ValueRef::Null,
        }
    }
}

impl<'s> LatestDigests<'s> {
    fn new(rows: rusqlite::Rows<'s>) -> Result<LatestDigests<'s>> {
        let mut latest = LatestDigests {
            rows,
            ahead: Recorded::default(),
            has_ahead: false,
        };
        latest.has_ahead = Self::read(&mut latest.rows, &mut latest.ahead)?;
        Ok(latest)
    }

    fn read(rows: &mut rusqlite::Rows<'s>, into: &mut Recorded) -> Result<bool> {
        let Some(r) = rows.next()? else {
            return Ok(false);
        };
        into.key.set(r.get_ref(0)?);
        into.seq = r.get(1)?;
        into.digest = match r.get_ref(2)? {
            ValueRef::Blob(d) => Some(to_hash(d)),
            _ => None,
        };
        Ok(true)
    }

    /// The next key's latest record into `out` (its rows come in seq order, so the last of a run is the latest);
    /// false when there is none.
    fn next_latest(&mut self, out: &mut Recorded) -> Result<bool> {
        if !self.has_ahead {
            return Ok(false);
        }
        std::mem::swap(out, &mut self.ahead);
        loop {
            self.has_ahead = Self::read(&mut self.rows, &mut self.ahead)?;
            if self.has_ahead
                && sqlite_cmp_ref(self.ahead.key.get(), out.key.get()) == Ordering::Equal
            {
                std::mem::swap(out, &mut self.ahead);
                continue;
            }
            return Ok(true);
        }
    }
}

fn show_key(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Blob(b) => format!("x'{}'", crypto::hex(b)),
        ValueRef::Null => "NULL".to_string(),
    }
}

/// Merges the table's rows (in key order) with the latest recorded digest of each key (in key order).
pub(super) fn verify_table(conn: &Connection, table: StateTable, range: &KeyRange) -> Result<u64> {
    let (condition, bounds) = range.condition("key", 2);
    let mut stmt = conn.prepare(&format!(
        "SELECT key, seq, digest FROM journal_row WHERE tbl = ?1{condition} ORDER BY key, seq"
    ))?;
    let mut params: Vec<&dyn rusqlite::ToSql> = vec![&table.name];
    params.extend(bounds.iter().map(|v| *v as &dyn rusqlite::ToSql));
    let mut latest = LatestDigests::new(stmt.query(params.as_slice())?)?;
    let mut rec = Recorded::default();
    let mut recorded = latest.next_latest(&mut rec)?;
    let mut count = 0u64;
    let name = table.name;
    let (condition, bounds) = range.condition(table.key, 1);
    each_row_digest(conn, table, &condition, &bounds, |_, key, digest| {
        count += 1;
        loop {
            if !recorded {
                return Err(Error::Tampered(tr!(
                    "err-audit-row-inserted",
                    table = name,
                    key = show_key(key)
                )));
            }
            match sqlite_cmp_ref(rec.key.get(), key) {
                Ordering::Less => {
                    if rec.digest.is_some() {
                        return Err(Error::Tampered(tr!(
                            "err-audit-row-deleted",
                            table = name,
                            key = show_key(rec.key.get()),
                            seq = rec.seq
                        )));
                    }
                    recorded = latest.next_latest(&mut rec)?;
                }
                Ordering::Equal => {
                    match rec.digest {
                        Some(d) if d == digest => {}
                        Some(_) => {
                            return Err(Error::Tampered(tr!(
                                "err-audit-row-edited",
                                table = name,
                                key = show_key(key),
                                seq = rec.seq
                            )))
                        }
                        None => {
                            return Err(Error::Tampered(tr!(
                                "err-audit-row-undeleted",
                                table = name,
                                key = show_key(key),
                                seq = rec.seq
                            )))
                        }
                    }
                    recorded = latest.next_latest(&mut rec)?;
                    return Ok(());
                }
                Ordering::Greater => {
                    return Err(Error::Tampered(tr!(
                        "err-audit-row-inserted",
                        table = name,
                        key = show_key(key)
                    )))
                }
            }
        }
    })?;
    while recorded {
        if rec.digest.is_some() {
            return Err(Error::Tampered(tr!(
                "err-audit-row-deleted",
                table = name,
                key = show_key(rec.key.get()),
                seq = rec.seq
            )));
        }

        recorded = latest.next_latest(&mut rec)?;
    }
    Ok(count)
}
