//! Canonical row forms and their digests: the bytes that the journal hashes for each state row, and SQLite's
//! order of key values, so that rows read in key order can be merged with what the journal recorded.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, ToSql};

use super::public::PublicText;
use super::tables::StateTable;
use crate::crypto;
use crate::error::Result;

/// Length-prefixed, type-tagged encoding: two different values never encode the same. Lengths and column
/// positions are LEB128 varints, so a row's canonical form is little longer than its values.
#[derive(Default)]
pub(super) struct Canonical(pub(super) Vec<u8>);

impl Canonical {
    fn varint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    pub(super) fn bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    /// A column of a row: its position and value, or nothing when it is NULL.
    fn column(&mut self, position: usize, v: ValueRef<'_>) {
        if v != ValueRef::Null {
            self.varint(position as u64);
            self.value(v);
        }
    }

    pub(super) fn value(&mut self, v: ValueRef<'_>) {
        match v {
            ValueRef::Null => self.0.push(0),
            ValueRef::Integer(i) => {
                self.0.push(1);
                self.0.extend_from_slice(&i.to_le_bytes());
            }
            ValueRef::Real(f) => {
                self.0.push(2);
                self.0.extend_from_slice(&f.to_bits().to_le_bytes());
            }
            ValueRef::Text(t) => {
                self.0.push(3);
                self.bytes(t);
            }
            ValueRef::Blob(b) => {
                self.0.push(4);
                self.bytes(b);
            }
        }
    }
}

/// The digest of a row's canonical form (see `digest_with`), read by its key; `None` if there is no such row.
pub(super) fn row_digest(
    conn: &Connection,
    scratch: &mut Canonical,
    table: StateTable,
    key: &dyn ToSql,
    public: Option<&mut PublicText>,
) -> Result<Option<[u8; 32]>> {
    let sql = format!("SELECT * FROM {} WHERE {} = ?1", table.name, table.key);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([key])?;
    match rows.next()? {
        Some(row) => {
            if let Some(public) = public {
                public.read(table, row)?;
            }
            Ok(Some(digest_with(scratch, table, row)?))
        }
        None => Ok(None),
    }
}

/// An SQLite value as JSON: integers and reals as numbers, text as strings, blobs as hex.
pub(in crate::store) fn json_value(v: ValueRef<'_>) -> serde_json::Value {
    match v {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(i) => i.into(),
        ValueRef::Real(f) => f.into(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
        ValueRef::Blob(b) => crypto::hex(b).into(),
    }
}

/// The digest of one row as SQLite holds it (all its columns, in the table's order, as `SELECT *` gives
/// them): the table name, then each non-NULL column as its position and typed value. Skipping
/// NULLs keeps earlier digests valid when a migration appends a nullable column.
fn digest_with(c: &mut Canonical, table: StateTable, row: &rusqlite::Row) -> Result<[u8; 32]> {
    c.0.clear();
    c.bytes(table.name.as_bytes());
    for i in 0..row.as_ref().column_count() {
        c.column(i, row.get_ref(i)?);
    }
    Ok(crypto::sha256(&c.0))
}

/// The digest of a row about to be written with exactly these values, every column in the table's order: the
/// digest `touch` would read back once it is written (for imports, which compute it off the writing thread).
pub fn values_digest(table: StateTable, values: &[Value]) -> [u8; 32] {
    let mut c = Canonical::default();
    c.bytes(table.name.as_bytes());
    for (i, v) in values.iter().enumerate() {
        c.column(i, ValueRef::from(v));
    }
    crypto::sha256(&c.0)
}

/// Digests of the rows of a table that meet `condition` (" AND ..." with parameters `?1`.. bound to `params`,
/// or empty for every row), in key order, streamed to `each`.
pub(in crate::store) fn each_row_digest(
    conn: &Connection,
    table: StateTable,
    condition: &str,
    params: &[&Value],
    mut each: impl FnMut(&rusqlite::Row, ValueRef<'_>, [u8; 32]) -> Result<()>,
) -> Result<()> {
    let sql = format!(
        "SELECT * FROM {} WHERE 1{condition} ORDER BY {}",
        table.name, table.key
    );
    let mut stmt = conn.prepare(&sql)?;
    let key_index = stmt.column_index(table.key)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut buf = Canonical::default();
    while let Some(row) = rows.next()? {
        each(
            row,
            row.get_ref(key_index)?,
            digest_with(&mut buf, table, row)?,
        )?;
    }
    Ok(())
}

pub(in crate::store) type RowMap = BTreeMap<(String, KeyOrd), Option<[u8; 32]>>;

/// A key value ordered the way SQLite orders integers and text.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::store) struct KeyOrd(pub(in crate::store) Value);

impl Eq for KeyOrd {}
impl PartialOrd for KeyOrd {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for KeyOrd {
    fn cmp(&self, other: &Self) -> Ordering {
        sqlite_cmp(&self.0, &other.0)
    }
}
impl ToSql for KeyOrd {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

/// SQLite's order of values with the BINARY collation: NULL, numbers, text, blobs.
pub(in crate::store) fn sqlite_cmp(a: &Value, b: &Value) -> Ordering {
    sqlite_cmp_ref(a.into(), b.into())
}

/// `sqlite_cmp` of borrowed values.
pub(in crate::store) fn sqlite_cmp_ref(a: ValueRef<'_>, b: ValueRef<'_>) -> Ordering {
    fn rank(v: ValueRef<'_>) -> u8 {
        match v {
            ValueRef::Null => 0,
            ValueRef::Integer(_) | ValueRef::Real(_) => 1,
            ValueRef::Text(_) => 2,
            ValueRef::Blob(_) => 3,
        }
    }
    match (a, b) {
        (ValueRef::Integer(x), ValueRef::Integer(y)) => x.cmp(&y),
        (ValueRef::Real(x), ValueRef::Real(y)) => x.total_cmp(&y),
        (ValueRef::Integer(x), ValueRef::Real(y)) => (x as f64).total_cmp(&y),
        (ValueRef::Real(x), ValueRef::Integer(y)) => x.total_cmp(&(y as f64)),
        (ValueRef::Text(x), ValueRef::Text(y)) => x.cmp(y),
        (ValueRef::Blob(x), ValueRef::Blob(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}
