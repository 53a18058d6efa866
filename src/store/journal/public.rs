//! The public log's storage (R-V1, R-V2): each event's public record, written in parts as its rows come (an
//! import's record holds every row it wrote, so it is never held whole in memory), hashed into the leaf
//! `SHA-256(0x00 || record)` as it is written, and the leaf appended to the Merkle tree, whose complete subtrees
//! are stored in `merkle_node` (`domain::merkle` does the arithmetic).

use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use std::fmt::Write as _;

use super::canonical::json_value;
use super::event::EventFields;
use super::tables::StateTable;
use crate::domain::merkle::{self, Hash, Node};
use crate::domain::packed_part::{self, Unpacked};
use crate::domain::public::{self, RowState};
use crate::error::{Error, Result};
use crate::tr;

/// A part of a record is written once it holds this many bytes.
const PART_BYTES: usize = 64 * 1024;

/// The text of part `part` of event `seq`'s public record as stored: packed (`domain::packed_part`), or text
/// as earlier versions wrote it. A part that is neither, or does not unpack, is a tampered log.
pub(in crate::store) fn part_text(seq: i64, part: i64, stored: ValueRef<'_>) -> Result<String> {
    let why = match stored {
        ValueRef::Blob(bytes) => match packed_part::unpack(bytes) {
            Ok(text) => return Ok(text),
            Err(Unpacked::TooLong(length)) => {
                tr!("err-audit-part-too-long", length = length as i64)
            }
            Err(Unpacked::Short | Unpacked::Damaged) => tr!("err-audit-part-damaged"),
            Err(Unpacked::NotText) => tr!("err-audit-part-not-text"),
        },
        ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => return Ok(text.to_string()),
            Err(_) => tr!("err-audit-part-not-text"),
        },
        _ => tr!("err-audit-part-damaged"),
    };
    Err(Error::Tampered(tr!(
        "err-audit-record-part-unreadable",
        seq = seq,
        part = part,
        why = why
    )))
}

/// A row as the store hands it to a record: its public columns, or deleted, or unknown.
pub(in crate::store) enum Row<'f> {
    /// Its public columns written as a record shows them (`PublicColumns::text`, `PublicText`).
    Written(&'f str),
    Deleted,
    Unknown,
}

/// The public columns of one table's rows, in the order a record shows them, worked out once: each row's
/// `fields` are then written straight from its values, whether read back from SQLite or about to be written
/// (an import's checking thread makes them), with no map and no copy of the row.
pub struct PublicColumns {
    /// Each public column's place in the row and its name as JSON, sorted by name.
    order: Vec<(usize, String)>,
}

impl PublicColumns {
    /// The public columns of `table`, whose rows hold `columns` in this order.
    pub fn new(table: StateTable, columns: &[&str]) -> PublicColumns {
        let mut order: Vec<(usize, &str)> = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| public::is_public(table.name, c))
            .map(|(i, c)| (i, *c))
            .collect();
        order.sort_unstable_by(|a, b| a.1.as_bytes().cmp(b.1.as_bytes()));
        PublicColumns {
            order: order
                .into_iter()
                .map(|(i, c)| (i, crate::domain::public::canonical(&c.into())))
                .collect(),
        }
    }

    /// The `fields` of a row written with `values`, as its public record shows them.
    pub fn text(&self, values: &[Value]) -> String {
        let mut out = String::with_capacity(256);
        self.write(&mut out, |i| Ok(ValueRef::from(&values[i])))
            .expect("values are at hand");
        out
    }

    /// Appends the `fields` of the row whose column `i` is `value(i)` to `out`.
    fn write<'v>(
        &self,
        out: &mut String,
        value: impl Fn(usize) -> Result<ValueRef<'v>>,
    ) -> Result<()> {
        out.push('{');
        for (n, (i, name)) in self.order.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str(name);
            out.push(':');
            match value(*i)? {
                ValueRef::Null => out.push_str("null"),
                ValueRef::Integer(v) => {
                    let _ = write!(out, "{v}");
                }
                ValueRef::Text(t) => {
                    crate::domain::canonical::write_string(out, &String::from_utf8_lossy(t))
                }
                other => out.push_str(&public::canonical(&json_value(other))),
            }
        }
        out.push('}');
        Ok(())
    }
}

/// The public columns of rows read back from SQLite (`SELECT *`), each table's worked out on its first row,
/// and the text of the row last read: what `touch` hands the record.
#[derive(Default)]
pub(in crate::store) struct PublicText {
    tables: Vec<(&'static str, PublicColumns)>,
    pub(in crate::store) text: String,
}

impl PublicText {
    /// Writes the public columns of `row` of `table` as the text (nothing for a table whose rows are personal).
    pub(in crate::store) fn read(&mut self, table: StateTable, row: &rusqlite::Row) -> Result<()> {
        self.text.clear();
        if public::visibility(table.name) == public::Visibility::KeyOnly {
            return Ok(());
        }
        let at = match self.tables.iter().position(|(t, _)| *t == table.name) {
            Some(at) => at,
            None => {
                let stmt = row.as_ref();
                let names = stmt.column_names();
                self.tables
                    .push((table.name, PublicColumns::new(table, &names)));
                self.tables.len() - 1
            }
        };
        self.tables[at]
            .1
            .write(&mut self.text, |i| Ok(row.get_ref(i)?))
    }
}

/// A public record being written.
pub(in crate::store) struct RecordWriter {
    seq: i64,
    part: i64,
    buf: String,
    leaf: Sha256,
    rows: usize,
}

impl RecordWriter {
    pub(in crate::store) fn begin(seq: i64, event: &EventFields) -> RecordWriter {
        let mut leaf = Sha256::new();
        leaf.update([0u8]);
        RecordWriter {
            seq,
            part: 0,
            buf: public::record_head(
                &event.effective_at,
                &event.recorded_at,
                event.officer.as_deref(),
                &event.kind,
            ),
            leaf,
            rows: 0,
        }
    }

    /// Adds one row: its public columns as text (`Written`), or the row was deleted or is unknown.
    pub(in crate::store) fn row(
        &mut self,
        conn: &Connection,
        table: &str,
        key: ValueRef<'_>,
        state: Row<'_>,
    ) -> Result<()> {
        if self.rows > 0 {
            self.buf.push(',');
        }
        self.rows += 1;
        let state = match state {
            Row::Written(fields) => RowState::Written(fields),
            Row::Deleted => RowState::Deleted,
            Row::Unknown => RowState::Unknown,
        };
        public::write_record_row(&mut self.buf, table, &json_value(key), state);
        if self.buf.len() >= PART_BYTES {
            self.flush(conn)?;
        }
        Ok(())
    }

    fn flush(&mut self, conn: &Connection) -> Result<()> {
        self.leaf.update(self.buf.as_bytes());
        conn.prepare_cached("INSERT INTO public_record (seq, part, text) VALUES (?1, ?2, ?3)")?
            .execute(params![self.seq, self.part, packed_part::pack(&self.buf)])?;
        self.part += 1;
        self.buf.clear();
        Ok(())
    }

    /// Writes the rest of the record and appends its leaf to the tree; returns the leaf hash.
    pub(in crate::store) fn finish(
        mut self,
        conn: &Connection,
        event: &EventFields,
    ) -> Result<Hash> {
        self.buf
            .push_str(&public::record_tail(self.seq, &event.kind, &event.subject));
        self.flush(conn)?;
        let leaf: Hash = self.leaf.finalize().into();
        append_leaf(conn, self.seq, leaf)?;
        Ok(leaf)
    }
}

/// Appends the leaf of event `seq` (leaf index `seq - 1`) and the complete subtrees it completes.
fn append_leaf(conn: &Connection, seq: i64, leaf: Hash) -> Result<()> {
    let index = (seq - 1) as u64;
    let mut insert =
        conn.prepare_cached("INSERT INTO merkle_node (level, idx, hash) VALUES (?1, ?2, ?3)")?;
    let mut hash = leaf;
    for node in merkle::completed_by(index) {
        if node.level > 0 {
            let left = stored(
                conn,
                Node {
                    level: node.level - 1,
                    index: 2 * node.index,
                },
            )?;
            hash = merkle::node_hash(&left, &hash);
        }
        insert.execute(params![node.level, node.index as i64, hash.to_vec()])?;
    }
    Ok(())
}

/// A stored complete subtree's hash.
pub(in crate::store) fn stored(conn: &Connection, node: Node) -> Result<Hash> {
    let hash: Option<Vec<u8>> = conn
        .prepare_cached("SELECT hash FROM merkle_node WHERE level = ?1 AND idx = ?2")?
        .query_row(params![node.level, node.index as i64], |r| r.get(0))
        .optional()?;
    hash.filter(|h| h.len() == 32)
        .map(|h| super::to_hash(&h))
        .ok_or_else(|| {
            Error::Tampered(tr!(
                "err-audit-tree-lacks-node",
                index = node.index as i64,
                level = node.level as i64
            ))
        })
}

/// The root of the tree of the first `size` leaves.
pub(in crate::store) fn root(conn: &Connection, size: u64) -> Result<Hash> {
    merkle::root(size, &mut |node| stored(conn, node))
}

/// Writes the public records of events recorded before the public log existed (the migration that creates
/// it): each row the event recorded, with its public columns where the row still holds what that event left
/// (its digest is the recorded one), else its table and key alone; then the leaves.
pub(in crate::store) fn backfill(conn: &Connection) -> Result<()> {
    let mut events = conn.prepare(
        "SELECT seq, effective_at, recorded_at, officer, kind, subject, details FROM journal ORDER BY seq",
    )?;
    let mut rows = conn.prepare(
        "SELECT r.tbl, r.key, r.digest FROM journal_row r WHERE r.seq = ?1 ORDER BY r.tbl, r.key",
    )?;
    let mut scratch = super::canonical::Canonical::default();
    let mut public = PublicText::default();
    let mut it = events.query([])?;
    while let Some(e) = it.next()? {
        let seq: i64 = e.get(0)?;
        let event = EventFields {
            effective_at: e.get(1)?,
            recorded_at: e.get(2)?,
            officer: e.get(3)?,
            kind: e.get(4)?,
            subject: e.get(5)?,
            details: e.get(6)?,
        };
        let mut record = RecordWriter::begin(seq, &event);
        let mut r = rows.query([seq])?;
        while let Some(row) = r.next()? {
            let table: String = row.get(0)?;
            let key: Value = row.get(1)?;
            let recorded: Option<Vec<u8>> = row.get(2)?;
            let Some(state) = super::table_named(&table) else {
                continue;
            };
            let now =
                super::canonical::row_digest(conn, &mut scratch, state, &key, Some(&mut public))?;
            let state = match (&recorded, now) {
                (None, _) => Row::Deleted,
                (Some(d), Some(n)) if d.as_slice() == n.as_slice() => Row::Written(&public.text),
                _ => Row::Unknown,
            };
            record.row(conn, &table, (&key).into(), state)?;
        }
        record.finish(conn, &event)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::journal::{APPLICATION, ENROLLMENT};
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<i64>().prop_map(Value::Integer),
            ".*".prop_map(Value::Text),
            any::<f64>().prop_map(Value::Real),
            prop::collection::vec(any::<u8>(), 0..8).prop_map(Value::Blob),
        ]
    }

    /// Some of `application`'s columns, personal and public.
    const COLUMNS: [&str; 6] = [
        "number",
        "child_iin",
        "status",
        "registered_at",
        "phone",
        "group_year",
    ];

    /// The oracle: the row's columns made public one by one, as `fields_text` writes them.
    fn one_by_one(columns: &[&str], values: &[Value]) -> String {
        let fields: Vec<(&str, serde_json::Value)> = columns
            .iter()
            .zip(values)
            .map(|(c, v)| (*c, json_value(v.into())))
            .collect();
        public::fields_text("application", fields.iter().map(|(c, v)| (*c, v)))
    }

    proptest! {
        /// The fields written from a row's values are those of the row's columns made public one by one.
        #[test]
        fn r_v1_public_columns_written_from_values_are_the_row_s_public_fields(
            values in prop::collection::vec(value(), 6),
        ) {
            let text = PublicColumns::new(APPLICATION, &COLUMNS).text(&values);
            prop_assert_eq!(text, one_by_one(&COLUMNS, &values));
        }

        /// The fields read back from a row SQLite holds are those of its columns made public one by one, and
        /// a table whose rows are personal shows none.
        #[test]
        fn r_v1_public_columns_read_from_a_row_are_the_row_s_public_fields(
            values in prop::collection::vec(value(), 6),
        ) {
            let conn = Connection::open_in_memory().unwrap();
            conn.execute_batch(&format!(
                "CREATE TABLE application ({}); CREATE TABLE enrollment (id, child_iin);",
                COLUMNS.join(", ")
            ))
            .unwrap();
            conn.execute(
                "INSERT INTO application VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params_from_iter(&values),
            )
            .unwrap();
            conn.execute("INSERT INTO enrollment VALUES (1, '230401500129')", []).unwrap();
            let mut public = PublicText::default();
            for _ in 0..2 {
                let mut stmt = conn.prepare("SELECT * FROM enrollment").unwrap();
                let mut rows = stmt.query([]).unwrap();
                public.read(ENROLLMENT, rows.next().unwrap().unwrap()).unwrap();
                prop_assert_eq!(&public.text, "");
                let mut stmt = conn.prepare("SELECT * FROM application").unwrap();
                let mut rows = stmt.query([]).unwrap();
                public.read(APPLICATION, rows.next().unwrap().unwrap()).unwrap();
                prop_assert_eq!(&public.text, &one_by_one(&COLUMNS, &values));
            }
        }
    }
}
