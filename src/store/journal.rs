//! The tamper-evident journal (R-A4, R-A5, R-A6).
//!
//! Every change appends events inside its own transaction. An event carries the effective and real time, the
//! officer, a kind, a subject, details, and the SHA-256 digest of every state row it leaves behind (NULL for a
//! row it deleted). Each event's hash covers all of that and the previous event's hash, so the events form a
//! chain. Each changing command ends by signing the chain head with the acting officer's RSA key.
//!
//! `super::audit` proves the database against it.
//!
//! Row digests skip NULL columns, so a later migration that adds a column with a NULL default leaves every
//! earlier digest valid. A migration that rewrites state rows must re-record them.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, ToSql, Transaction};
use serde::Serialize;

use super::db::{Acting, Actor, MIGRATIONS};
use crate::crypto::{self, PrivateKey, PublicKey};
use crate::domain::time::{format_moment, Now};
use crate::error::{Error, Result};

/// A table whose rows are state, covered row by row by the journal, and its primary key column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateTable {
    pub name: &'static str,
    pub key: &'static str,
}

pub const OFFICER: StateTable = StateTable {
    name: "officer",
    key: "id",
};
pub const ORG: StateTable = StateTable {
    name: "org",
    key: "code",
};
pub const CALENDAR_DAY: StateTable = StateTable {
    name: "calendar_day",
    key: "date",
};
pub const SETTING: StateTable = StateTable {
    name: "setting",
    key: "key",
};
pub const CATEGORY: StateTable = StateTable {
    name: "category",
    key: "name",
};

pub const APPLICATION: StateTable = StateTable {
    name: "application",
    key: "number",
};

pub const PLACE: StateTable = StateTable {
    name: "place",
    key: "id",
};
pub const OFFER_ROUND: StateTable = StateTable {
    name: "offer_round",
    key: "id",
};
pub const DIRECTION: StateTable = StateTable {
    name: "direction",
    key: "number",
};
pub const ENROLLMENT: StateTable = StateTable {
    name: "enrollment",
    key: "direction",
};
pub const SWEEP_RUN: StateTable = StateTable {
    name: "sweep_run",
    key: "date",
};
pub const NOTIFICATION: StateTable = StateTable {
    name: "notification",
    key: "id",
};

/// Every state table. A table added by a later migration must be added here, or `verify` will not see it.
pub const STATE_TABLES: &[StateTable] = &[
    OFFICER,
    ORG,
    CALENDAR_DAY,
    SETTING,
    CATEGORY,
    APPLICATION,
    PLACE,
    OFFER_ROUND,
    DIRECTION,
    ENROLLMENT,
    NOTIFICATION,
    SWEEP_RUN,
];

/// The kind of the system event that records what a migration seeded; the only kind written without an officer.
pub const MIGRATION_KIND: &str = "schema.migrate";

/// An open change: one command's transaction, the actor and the effective time.
pub struct Change<'c> {
    tx: Transaction<'c>,
    officer: String,
    now: Now,
    paused: std::cell::Cell<bool>,
}

impl<'c> Change<'c> {
    /// Starts a change after checking the actor (R-A2): a known, active officer whose key is the registered
    /// one; or, when no officer exists yet, the first officer.
    pub(super) fn begin(tx: Transaction<'c>, actor: &Actor, now: &Now) -> Result<Change<'c>> {
        match &actor.acting {
            Acting::Officer(id) => {
                let row: Option<(String, bool)> = tx
                    .query_row(
                        "SELECT public_key, active FROM officer WHERE id = ?1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let Some((public_pem, active)) = row else {
                    return Err(Error::refused("R-A2", format!("unknown officer '{id}'")));
                };
                if !active {
                    return Err(Error::refused(
                        "R-A2",
                        format!("officer '{id}' is inactive"),
                    ));
                }
                if let Some(key) = &actor.key {
                    let registered = PublicKey::from_pem("officer.public_key", &public_pem)?;
                    if key.public() != &registered {
                        return Err(Error::refused(
                            "R-A5",
                            format!("--key is not the key registered for officer '{id}'"),
                        ));
                    }
                }
            }
            Acting::FirstOfficer(_) => {
                let officers: i64 =
                    tx.query_row("SELECT count(*) FROM officer", [], |r| r.get(0))?;
                if officers > 0 {
                    return Err(Error::refused(
                        "R-A2",
                        "officers exist: name the acting officer with --officer (or KEZEK_OFFICER)",
                    ));
                }
            }
        }
        Ok(Change {
            tx,
            officer: actor.officer_id().to_string(),
            now: *now,
            paused: std::cell::Cell::new(false),
        })
    }

    /// The transaction, for the command's own reads and writes.
    pub fn tx(&self) -> &Transaction<'c> {
        &self.tx
    }

    pub fn now(&self) -> &Now {
        &self.now
    }

    pub fn officer(&self) -> &str {
        &self.officer
    }

    /// Appends one event recording the current state of `rows` (call it after the rows are written).
    pub fn record(
        &self,
        kind: &str,
        subject: &str,
        details: serde_json::Value,
        rows: &[(StateTable, &dyn ToSql)],
    ) -> Result<i64> {
        let mut event = self.begin_event(kind, subject, details)?;
        for (table, key) in rows {
            event.touch(*table, key)?;
        }
        event.finish()
    }

    /// Starts an event that will cover many rows (an import): `touch` each row once it is written, then
    /// `finish`. Rows are hashed as they come, so memory stays flat however many there are.
    pub fn begin_event(
        &self,
        kind: &str,
        subject: &str,
        details: serde_json::Value,
    ) -> Result<EventWriter<'_>> {
        self.pause();
        EventWriter::begin(
            &self.tx,
            &self.now,
            Some(&self.officer),
            kind,
            subject,
            &details,
        )
    }

    /// The race suite's pause between what a command has read and what it writes: once per change, at the
    /// first event (or earlier, where a command asks for it). Nothing outside debug builds.
    pub fn pause(&self) {
        if !self.paused.replace(true) {
            crate::faults::pause();
        }
    }

    /// Signs the chain head with the actor's key (R-A5) and commits. A change that recorded nothing signs nothing.
    pub(super) fn seal_and_commit(self, key: &PrivateKey) -> Result<()> {
        if let Some((seq, hash)) = last_event(&self.tx)? {
            let signed: bool = self
                .tx
                .query_row("SELECT 1 FROM journal_head WHERE seq = ?1", [seq], |_| {
                    Ok(true)
                })
                .optional()?
                .unwrap_or(false);
            if !signed {
                let signature = key.sign(head_message(seq, &hash).as_bytes());
                self.tx.execute(
                    "INSERT INTO journal_head (seq, hash, officer, signed_at, signature) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![seq, hash.to_vec(), self.officer, format_moment(&self.now.real), signature],
                )?;
            }
        }
        self.tx.commit()?;
        Ok(())
    }

    pub(super) fn roll_back(self) -> Result<()> {
        self.tx.rollback()?;
        Ok(())
    }
}

/// The text an officer signs for a chain head; `openssl dgst -sha256 -verify` can check it too.
pub fn head_message(seq: i64, hash: &[u8]) -> String {
    format!(
        "kezek journal head\nseq: {seq}\nhash: {}\n",
        crypto::hex(hash)
    )
}

pub(super) fn last_event(conn: &Connection) -> Result<Option<(i64, [u8; 32])>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.map(|(seq, hash)| (seq, to_hash(&hash))))
}

pub(super) fn to_hash(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if bytes.len() == 32 {
        out.copy_from_slice(bytes);
    }
    out
}

/// An event being written: its row digests go in as rows are touched; `finish` computes the chained hash.
pub struct EventWriter<'t> {
    tx: &'t Connection,
    seq: i64,
    fields: EventFields,
    prev: [u8; 32],
    /// The canonical form of the row being digested, reused from row to row.
    scratch: Canonical,
    /// Row digests not yet written to `journal_row`: written `JOURNAL_ROW_BATCH` at a time, in one statement.
    pending: Vec<(&'static str, Value, Option<[u8; 32]>)>,
}

/// How many row digests one `INSERT` into `journal_row` writes: one statement per row would cost more than the
/// row itself (its set-up, statement journal and reset), which is most of an import's or a sweep's writes.
const JOURNAL_ROW_BATCH: usize = 128;

#[derive(Debug, Clone)]
pub(super) struct EventFields {
    pub(super) effective_at: String,
    pub(super) recorded_at: String,
    pub(super) officer: Option<String>,
    pub(super) kind: String,
    pub(super) subject: String,
    pub(super) details: String,
}

impl<'t> EventWriter<'t> {
    fn begin(
        tx: &'t Connection,
        now: &Now,
        officer: Option<&str>,
        kind: &str,
        subject: &str,
        details: &serde_json::Value,
    ) -> Result<EventWriter<'t>> {
        let (seq, prev) = match last_event(tx)? {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, [0u8; 32]),
        };
        let fields = EventFields {
            effective_at: format_moment(&now.effective),
            recorded_at: format_moment(&now.real),
            officer: officer.map(str::to_string),
            kind: kind.to_string(),
            subject: subject.to_string(),
            details: details.to_string(),
        };
        // The hash is filled in by `finish`; until then the event is incomplete and `verify` would refuse it.
        tx.execute(
            "INSERT INTO journal (seq, effective_at, recorded_at, officer, kind, subject, details, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, zeroblob(32))",
            params![
                seq,
                fields.effective_at,
                fields.recorded_at,
                fields.officer,
                fields.kind,
                fields.subject,
                fields.details
            ],
        )?;
        Ok(EventWriter {
            tx,
            seq,
            fields,
            prev,
            scratch: Canonical::default(),
            pending: Vec::with_capacity(JOURNAL_ROW_BATCH),
        })
    }

    pub fn seq(&self) -> i64 {
        self.seq
    }

    /// Records the current state of one row (its digest, or NULL if it no longer exists).
    pub fn touch(&mut self, table: StateTable, key: &dyn ToSql) -> Result<()> {
        let digest = row_digest(self.tx, &mut self.scratch, table, key)?;
        self.record_digest(table, key, digest)
    }

    /// Records the current state of the rows of `table` that meet `condition` (as `each_row_digest` takes it),
    /// read in key order: for a change written set-wise. Returns how many rows it recorded.
    pub fn touch_where(
        &mut self,
        table: StateTable,
        condition: &str,
        params: &[&Value],
    ) -> Result<usize> {
        let tx = self.tx;
        let mut rows = 0;
        each_row_digest(tx, table, condition, params, |key, digest| {
            rows += 1;
            let key = Value::try_from(key)
                .map_err(|e| Error::Internal(format!("{} key: {e}", table.name)))?;
            self.record_digest(table, &key, Some(digest))
        })?;
        Ok(rows)
    }

    /// Records a row just written with the digest `values_digest` computed from the values it was written
    /// with.
    pub fn touch_written(
        &mut self,
        table: StateTable,
        key: &dyn ToSql,
        digest: [u8; 32],
    ) -> Result<()> {
        self.record_digest(table, key, Some(digest))
    }

    fn record_digest(
        &mut self,
        table: StateTable,
        key: &dyn ToSql,
        digest: Option<[u8; 32]>,
    ) -> Result<()> {
        let key = match key.to_sql()? {
            rusqlite::types::ToSqlOutput::Owned(v) => v,
            rusqlite::types::ToSqlOutput::Borrowed(v) => Value::try_from(v)
                .map_err(|e| Error::Internal(format!("{} key: {e}", table.name)))?,
            other => return Err(Error::Internal(format!("{} key: {other:?}", table.name))),
        };
        self.pending.push((table.name, key, digest));
        if self.pending.len() == JOURNAL_ROW_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the pending row digests: a full batch in one statement, what is left at the end of the event one
    /// row per statement (two statement shapes, both kept prepared). A row recorded twice in one event keeps its
    /// last digest (`OR REPLACE`, in the order recorded).
    fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let batch = if pending.len() == JOURNAL_ROW_BATCH {
            JOURNAL_ROW_BATCH
        } else {
            1
        };
        let mut stmt = self.tx.prepare_cached(&format!(
            "INSERT OR REPLACE INTO journal_row (seq, tbl, key, digest) VALUES {}",
            vec!["(?, ?, ?, ?)"; batch].join(", ")
        ))?;
        let digests: Vec<Option<&[u8]>> = pending
            .iter()
            .map(|(_, _, d)| d.as_ref().map(|d| d.as_slice()))
            .collect();
        for (rows, digests) in pending.chunks(batch).zip(digests.chunks(batch)) {
            let mut values: Vec<&dyn ToSql> = Vec::with_capacity(4 * batch);
            for ((table, key, _), digest) in rows.iter().zip(digests) {
                values.extend([&self.seq as &dyn ToSql, table, key, digest]);
            }
            stmt.execute(values.as_slice())?;
        }
        self.pending = pending;
        self.pending.clear();
        Ok(())
    }

    /// Computes the event's chained hash over its fields and rows (read back in key order) and stores it.
    pub fn finish(mut self) -> Result<i64> {
        self.flush()?;
        let mut hasher = EventHasher::new(&self.prev, self.seq, &self.fields);
        let mut stmt = self.tx.prepare_cached(
            "SELECT tbl, key, digest FROM journal_row WHERE seq = ?1 ORDER BY tbl, key",
        )?;
        let mut rows = stmt.query([self.seq])?;
        while let Some(r) = rows.next()? {
            hasher.row(r.get_ref(0)?, r.get_ref(1)?, r.get_ref(2)?);
        }
        let hash = hasher.finish();
        self.tx.execute(
            "UPDATE journal SET hash = ?2 WHERE seq = ?1",
            params![self.seq, hash.to_vec()],
        )?;
        Ok(self.seq)
    }
}

/// Length-prefixed, type-tagged encoding: two different values never encode the same. Lengths and column
/// positions are LEB128 varints, so a row's canonical form is little longer than its values.
#[derive(Default)]
struct Canonical(Vec<u8>);

impl Canonical {
    fn varint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    fn bytes(&mut self, b: &[u8]) {
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

    fn value(&mut self, v: ValueRef<'_>) {
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

pub(super) struct EventHasher {
    buf: Canonical,
    scratch: Canonical,
    rows: sha2::Sha256,
    row_count: u64,
}

impl EventHasher {
    pub(super) fn new(prev: &[u8; 32], seq: i64, f: &EventFields) -> EventHasher {
        use sha2::Digest;
        let mut buf = Canonical::default();
        buf.bytes(b"kezek.event.v1");
        buf.bytes(prev);
        buf.value(ValueRef::Integer(seq));
        buf.bytes(f.effective_at.as_bytes());
        buf.bytes(f.recorded_at.as_bytes());
        match &f.officer {
            Some(o) => buf.value(ValueRef::Text(o.as_bytes())),
            None => buf.value(ValueRef::Null),
        }
        buf.bytes(f.kind.as_bytes());
        buf.bytes(f.subject.as_bytes());
        buf.bytes(f.details.as_bytes());
        EventHasher {
            buf,
            scratch: Canonical::default(),
            rows: sha2::Sha256::new(),
            row_count: 0,
        }
    }

    pub(super) fn row(&mut self, table: ValueRef<'_>, key: ValueRef<'_>, digest: ValueRef<'_>) {
        use sha2::Digest;
        let c = &mut self.scratch;
        c.0.clear();
        c.value(table);
        c.value(key);
        c.value(digest);
        self.rows.update(&c.0);
        self.row_count += 1;
    }

    pub(super) fn finish(mut self) -> [u8; 32] {
        use sha2::Digest;
        self.buf.value(ValueRef::Integer(self.row_count as i64));
        self.buf.bytes(&self.rows.finalize());
        crypto::sha256(&self.buf.0)
    }
}

/// The digest of a row's canonical form (see `digest_with`), read by its key; `None` if there is no such row.
fn row_digest(
    conn: &Connection,
    scratch: &mut Canonical,
    table: StateTable,
    key: &dyn ToSql,
) -> Result<Option<[u8; 32]>> {
    let sql = format!("SELECT * FROM {} WHERE {} = ?1", table.name, table.key);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([key])?;
    match rows.next()? {
        Some(row) => Ok(Some(digest_with(scratch, table, row)?)),
        None => Ok(None),
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
pub(super) fn each_row_digest(
    conn: &Connection,
    table: StateTable,
    condition: &str,
    params: &[&Value],
    mut each: impl FnMut(ValueRef<'_>, [u8; 32]) -> Result<()>,
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
        each(row.get_ref(key_index)?, digest_with(&mut buf, table, row)?)?;
    }
    Ok(())
}

/// Records what migration `version` seeded, as a system event without an officer. The rows are those the
/// migration creates on an empty database, so `verify` can recompute them exactly.
pub(super) fn record_migration(
    tx: &Transaction,
    now: &Now,
    version: usize,
    name: &str,
) -> Result<()> {
    let details = serde_json::json!({ "version": version, "migration": name });
    let mut event = EventWriter::begin(tx, now, None, MIGRATION_KIND, name, &details)?;
    for (table, key) in seeded_rows(version)?.keys() {
        let table = state_table(table).expect("seeded rows are in state tables");
        event.touch(table, key)?;
    }
    event.finish()?;
    Ok(())
}

fn state_table(name: &str) -> Option<StateTable> {
    STATE_TABLES.iter().copied().find(|t| t.name == name)
}

pub(super) type RowMap = BTreeMap<(String, KeyOrd), Option<[u8; 32]>>;

/// A key value ordered the way SQLite orders integers and text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeyOrd(pub(super) Value);

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
pub(super) fn sqlite_cmp(a: &Value, b: &Value) -> Ordering {
    sqlite_cmp_ref(a.into(), b.into())
}

/// `sqlite_cmp` of borrowed values.
pub(super) fn sqlite_cmp_ref(a: ValueRef<'_>, b: ValueRef<'_>) -> Ordering {
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

/// The state rows migration `version` creates on an empty database: replayed in memory, so the same binary
/// always derives the same set.
pub(super) fn seeded_rows(version: usize) -> Result<RowMap> {
    replay()?
        .seeded
        .get(version.wrapping_sub(1))
        .cloned()
        .ok_or_else(|| Error::Internal(format!("no migration {version}")))
}

/// One schema object as `sqlite_schema` holds it: type, name, table, SQL (without the root page).
pub(super) type SchemaObject = (String, String, String, Option<String>);

/// The schema the migrations create, in (type, name) order.
pub(super) fn expected_schema() -> Result<&'static [SchemaObject]> {
    Ok(&replay()?.schema)
}

/// The schema objects of a database, in (type, name) order.
pub(super) fn schema_of(conn: &Connection) -> Result<Vec<SchemaObject>> {
    let mut stmt =
        conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The migrations replayed once per process on an empty database in memory: the rows each one seeded, and the
/// schema they leave.
struct Replay {
    seeded: Vec<RowMap>,
    schema: Vec<SchemaObject>,
}

fn replay() -> Result<&'static Replay> {
    static REPLAY: std::sync::OnceLock<Replay> = std::sync::OnceLock::new();
    if let Some(r) = REPLAY.get() {
        return Ok(r);
    }
    let conn = Connection::open_in_memory()?;
    let mut seeded = Vec::new();
    let mut before = RowMap::new();
    for (_, sql) in MIGRATIONS {
        conn.execute_batch(sql)?;
        let after = all_rows(&conn)?;
        seeded.push(
            after
                .iter()
                .filter(|(k, v)| before.get(k) != Some(v))
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
        );
        before = after;
    }
    let schema = schema_of(&conn)?;
    Ok(REPLAY.get_or_init(|| Replay { seeded, schema }))
}

fn all_rows(conn: &Connection) -> Result<RowMap> {
    let mut out = RowMap::new();
    for table in STATE_TABLES {
        let exists: bool = conn
            .query_row(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [table.name],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if exists {
            each_row_digest(conn, *table, "", &[], |key, digest| {
                let key = Value::try_from(key).map_err(|e| Error::Internal(e.to_string()))?;
                out.insert((table.name.to_string(), KeyOrd(key)), Some(digest));
                Ok(())
            })?;
        }
    }
    Ok(out)
}

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
pub fn history(conn: &Connection, table: StateTable, key: &dyn ToSql) -> Result<Vec<EventView>> {
    let mut stmt = conn.prepare(
        "SELECT j.seq, j.effective_at, j.recorded_at, j.officer, j.kind, j.subject, j.details
         FROM journal_row r JOIN journal j ON j.seq = r.seq
         WHERE r.tbl = ?1 AND r.key = ?2 ORDER BY j.seq",
    )?;
    let rows = stmt.query_map(params![table.name, key], |r| {
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
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first import of a file with this SHA-256, if any: every import event records its file's digest.
pub fn first_import(conn: &Connection, sha256: &str) -> Result<Option<EventView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, effective_at, recorded_at, officer, kind, subject, details FROM journal
         WHERE kind LIKE '%.import' AND json_extract(details, '$.sha256') = ?1 ORDER BY seq LIMIT 1",
    )?;
    Ok(stmt
        .query_row([sha256], |r| {
            let details: String = r.get(6)?;
            Ok(EventView {
                seq: r.get(0)?,
                effective_at: r.get(1)?,
                recorded_at: r.get(2)?,
                officer: r.get(3)?,
                kind: r.get(4)?,
                subject: r.get(5)?,
                details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
            })
        })
        .optional()?)
}

/// Which state table a name means, for `history --table`.
pub fn table_named(name: &str) -> Option<StateTable> {
    state_table(name)
}
