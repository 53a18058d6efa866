//! The tamper-evident journal (R-A4, R-A5, R-A6).
//!
//! Every change appends events inside its own transaction. An event carries the effective and real time, the
//! officer, a kind, a subject, details, and the SHA-256 digest of every state row it leaves behind (NULL for a
//! row it deleted). Each event's hash covers all of that and the previous event's hash, so the events form a
//! chain. Each changing command ends by signing the chain head with the acting officer's RSA key.
//!
//! `verify` recomputes the chain, checks every head signature against the officer's registered key, and checks
//! that every row of every state table has exactly the digest its latest event recorded: an edited row, a row
//! inserted without an event and a deleted row are all caught. A journal cut short (tail events and their heads
//! removed) leaves a valid shorter chain; a published head (`audit head`) catches it.
//!
//! Row digests skip NULL columns, so a later migration that adds a column with a NULL default leaves every
//! earlier digest valid. A migration that rewrites state rows must re-record them.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

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

/// Every state table. A table added by a later migration must be added here, or `verify` will not see it.
pub const STATE_TABLES: &[StateTable] = &[OFFICER, ORG, CALENDAR_DAY, SETTING, CATEGORY];

/// The kind of the system event that records what a migration seeded; the only kind written without an officer.
pub const MIGRATION_KIND: &str = "schema.migrate";

/// An open change: one command's transaction, the actor and the effective time.
pub struct Change<'c> {
    tx: Transaction<'c>,
    officer: String,
    now: Now,
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
        EventWriter::begin(
            &self.tx,
            &self.now,
            Some(&self.officer),
            kind,
            subject,
            &details,
        )
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

fn last_event(conn: &Connection) -> Result<Option<(i64, [u8; 32])>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.map(|(seq, hash)| (seq, to_hash(&hash))))
}

fn to_hash(bytes: &[u8]) -> [u8; 32] {
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
}

#[derive(Debug, Clone)]
struct EventFields {
    effective_at: String,
    recorded_at: String,
    officer: Option<String>,
    kind: String,
    subject: String,
    details: String,
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
        })
    }

    pub fn seq(&self) -> i64 {
        self.seq
    }

    /// Records the current state of one row (its digest, or NULL if it no longer exists).
    pub fn touch(&mut self, table: StateTable, key: &dyn ToSql) -> Result<()> {
        let digest = row_digest(self.tx, table, key)?;
        let mut stmt = self.tx.prepare_cached(
            "INSERT OR REPLACE INTO journal_row (seq, tbl, key, digest) VALUES (?1, ?2, ?3, ?4)",
        )?;
        stmt.execute(params![
            self.seq,
            table.name,
            key,
            digest.map(|d| d.to_vec())
        ])?;
        Ok(())
    }

    /// Computes the event's chained hash over its fields and rows (read back in key order) and stores it.
    pub fn finish(self) -> Result<i64> {
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

/// Length-prefixed, type-tagged encoding: two different values never encode the same.
#[derive(Default)]
struct Canonical(Vec<u8>);

impl Canonical {
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(&(b.len() as u64).to_le_bytes());
        self.0.extend_from_slice(b);
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

struct EventHasher {
    buf: Canonical,
    rows: sha2::Sha256,
    row_count: u64,
}

impl EventHasher {
    fn new(prev: &[u8; 32], seq: i64, f: &EventFields) -> EventHasher {
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
            rows: sha2::Sha256::new(),
            row_count: 0,
        }
    }

    fn row(&mut self, table: ValueRef<'_>, key: ValueRef<'_>, digest: ValueRef<'_>) {
        use sha2::Digest;
        let mut c = Canonical::default();
        c.value(table);
        c.value(key);
        c.value(digest);
        self.rows.update(&c.0);
        self.row_count += 1;
    }

    fn finish(mut self) -> [u8; 32] {
        use sha2::Digest;
        self.buf.value(ValueRef::Integer(self.row_count as i64));
        self.buf.bytes(&self.rows.finalize());
        crypto::sha256(&self.buf.0)
    }
}

/// The digest of a row's canonical form: table name, then each non-NULL column as name and typed value.
fn row_digest(conn: &Connection, table: StateTable, key: &dyn ToSql) -> Result<Option<[u8; 32]>> {
    let sql = format!("SELECT * FROM {} WHERE {} = ?1", table.name, table.key);
    let mut stmt = conn.prepare_cached(&sql)?;
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut rows = stmt.query([key])?;
    match rows.next()? {
        Some(row) => {
            let mut c = Canonical::default();
            c.bytes(table.name.as_bytes());
            for (i, name) in names.iter().enumerate() {
                let v = row.get_ref(i)?;
                if v != ValueRef::Null {
                    c.bytes(name.as_bytes());
                    c.value(v);
                }
            }
            Ok(Some(crypto::sha256(&c.0)))
        }
        None => Ok(None),
    }
}

/// Digests of every row of a table, in key order, streamed to `each`.
fn each_row_digest(
    conn: &Connection,
    table: StateTable,
    mut each: impl FnMut(Value, [u8; 32]) -> Result<()>,
) -> Result<()> {
    let sql = format!("SELECT * FROM {} ORDER BY {}", table.name, table.key);
    let mut stmt = conn.prepare(&sql)?;
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let key_index = names
        .iter()
        .position(|n| n == table.key)
        .ok_or_else(|| Error::Internal(format!("{} has no column {}", table.name, table.key)))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let mut c = Canonical::default();
        c.bytes(table.name.as_bytes());
        for (i, name) in names.iter().enumerate() {
            let v = row.get_ref(i)?;
            if v != ValueRef::Null {
                c.bytes(name.as_bytes());
                c.value(v);
            }
        }
        each(row.get::<_, Value>(key_index)?, crypto::sha256(&c.0))?;
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

type RowMap = BTreeMap<(String, KeyOrd), Option<[u8; 32]>>;

/// A key value ordered the way SQLite orders integers and text.
#[derive(Debug, Clone, PartialEq)]
struct KeyOrd(Value);

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
fn sqlite_cmp(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Integer(_) | Value::Real(_) => 1,
            Value::Text(_) => 2,
            Value::Blob(_) => 3,
        }
    }
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x.cmp(y),
        (Value::Real(x), Value::Real(y)) => x.total_cmp(y),
        (Value::Integer(x), Value::Real(y)) => (*x as f64).total_cmp(y),
        (Value::Real(x), Value::Integer(y)) => x.total_cmp(&(*y as f64)),
        (Value::Text(x), Value::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Blob(x), Value::Blob(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// The state rows migration `version` creates on an empty database: replayed in memory, so the same binary
/// always derives the same set.
fn seeded_rows(version: usize) -> Result<RowMap> {
    let conn = Connection::open_in_memory()?;
    let mut before = RowMap::new();
    for (index, (_, sql)) in MIGRATIONS.iter().enumerate().take(version) {
        if index + 1 == version {
            before = all_rows(&conn)?;
        }
        conn.execute_batch(sql)?;
    }
    let after = all_rows(&conn)?;
    Ok(after
        .into_iter()
        .filter(|(k, v)| before.get(k) != Some(v))
        .collect())
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
            each_row_digest(conn, *table, |key, digest| {
                out.insert((table.name.to_string(), KeyOrd(key)), Some(digest));
                Ok(())
            })?;
        }
    }
    Ok(out)
}

/// A head as published by `audit head` and read back by `audit verify --head`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedHead {
    pub seq: i64,
    pub hash: String,
    pub officer: String,
    pub key_fingerprint: String,
    pub signed_at: String,
    pub signature: String,
}

impl SignedHead {
    /// The head as text: the first three lines are exactly the signed message (`head_message`), so anyone can
    /// check the signature with the officer's public key alone; the rest names the signer and the signature.
    pub fn to_text(&self) -> String {
        format!(
            "kezek journal head\nseq: {}\nhash: {}\nofficer: {}\nkey-fingerprint: {}\nsigned-at: {}\nsignature: {}\n",
            self.seq, self.hash, self.officer, self.key_fingerprint, self.signed_at, self.signature
        )
    }

    /// Reads a head published as text (`audit head`) or as JSON (`audit head --format json`).
    pub fn parse(field: &str, text: &str) -> Result<SignedHead> {
        let bad = |why: &str| Error::bad(format!("{field}: not a published kezek head ({why})"));
        let value: serde_json::Value = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?
        } else {
            let mut lines = text.lines();
            if lines.next().map(str::trim) != Some("kezek journal head") {
                return Err(bad("the first line is not 'kezek journal head'"));
            }
            let mut map = serde_json::Map::new();
            for line in lines.filter(|l| !l.trim().is_empty()) {
                let (k, v) = line
                    .split_once(':')
                    .ok_or_else(|| bad(&format!("line '{line}'")))?;
                let k = k.trim().replace('-', "_");
                let v = v.trim();
                let v = match (k.as_str(), v.parse::<i64>()) {
                    ("seq", Ok(n)) => serde_json::Value::from(n),
                    _ => serde_json::Value::from(v),
                };
                map.insert(k, v);
            }
            serde_json::Value::Object(map)
        };
        let s = |k: &str| {
            value
                .get(k)
                .and_then(|x| x.as_str())
                .map(str::to_string)
                .ok_or_else(|| bad(&format!("no {k}")))
        };
        Ok(SignedHead {
            seq: value
                .get("seq")
                .and_then(|x| x.as_i64())
                .ok_or_else(|| bad("no seq"))?,
            hash: s("hash")?,
            officer: s("officer")?,
            key_fingerprint: s("key_fingerprint")?,
            signed_at: s("signed_at")?,
            signature: s("signature")?,
        })
    }
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// The latest signed head, for `audit head`.
pub fn latest_head(conn: &Connection) -> Result<Option<SignedHead>> {
    let row: Option<(i64, Vec<u8>, String, String, Vec<u8>, String)> = conn
        .query_row(
            "SELECT h.seq, h.hash, h.officer, h.signed_at, h.signature, o.public_key
             FROM journal_head h JOIN officer o ON o.id = h.officer
             ORDER BY h.seq DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .optional()?;
    let Some((seq, hash, officer, signed_at, signature, public_pem)) = row else {
        return Ok(None);
    };
    let key = PublicKey::from_pem("officer.public_key", &public_pem)?;
    Ok(Some(SignedHead {
        seq,
        hash: crypto::hex(&hash),
        officer,
        key_fingerprint: key.fingerprint(),
        signed_at,
        signature: base64_encode(&signature),
    }))
}

/// What `audit verify` checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub events: u64,
    pub heads: u64,
    pub rows: u64,
    pub last_seq: i64,
    pub last_hash: String,
    pub published_head: Option<i64>,
}

/// R-A6: proves the database was changed only through kezek, or names the first problem found.
pub fn verify(conn: &Connection, published: Option<&SignedHead>) -> Result<VerifyReport> {
    let keys = officer_keys(conn)?;
    let heads = load_heads(conn)?;
    let mut report = VerifyReport {
        events: 0,
        heads: heads.len() as u64,
        rows: 0,
        last_seq: 0,
        last_hash: crypto::hex(&[0u8; 32]),
        published_head: None,
    };

    // 1. The chain: contiguous sequence numbers, each hash recomputed from the event and the previous hash.
    let mut events = conn.prepare(
        "SELECT seq, effective_at, recorded_at, officer, kind, subject, details, hash FROM journal ORDER BY seq",
    )?;
    let mut event_rows =
        conn.prepare("SELECT seq, tbl, key, digest FROM journal_row ORDER BY seq, tbl, key")?;
    let mut rows_iter = event_rows.query([])?;
    let mut pending_row = rows_iter.next()?;
    let mut prev = [0u8; 32];
    let mut hashes_at_heads: HashMap<i64, [u8; 32]> = HashMap::new();
    let mut last_unsigned: Option<(i64, String)> = None;
    let mut seeded: BTreeMap<usize, RowMap> = BTreeMap::new();
    let mut it = events.query([])?;
    let mut expected_seq = 1i64;
    while let Some(e) = it.next()? {
        let seq: i64 = e.get(0)?;
        if seq != expected_seq {
            return Err(Error::Tampered(format!(
                "journal event {expected_seq} is missing (the next event is {seq})"
            )));
        }
        let fields = EventFields {
            effective_at: e.get(1)?,
            recorded_at: e.get(2)?,
            officer: e.get(3)?,
            kind: e.get(4)?,
            subject: e.get(5)?,
            details: e.get(6)?,
        };
        let stored: Vec<u8> = e.get(7)?;
        let mut hasher = EventHasher::new(&prev, seq, &fields);
        let is_migration = fields.kind == MIGRATION_KIND && fields.officer.is_none();
        let mut migration_rows = RowMap::new();
        while let Some(r) = pending_row {
            let row_seq: i64 = r.get(0)?;
            if row_seq < seq {
                return Err(Error::Tampered(format!(
                    "journal row digests for event {row_seq}, which does not exist"
                )));
            }
            if row_seq > seq {
                break;
            }
            hasher.row(r.get_ref(1)?, r.get_ref(2)?, r.get_ref(3)?);
            if is_migration {
                let digest: Option<Vec<u8>> = r.get(3)?;
                migration_rows.insert((r.get(1)?, KeyOrd(r.get(2)?)), digest.map(|d| to_hash(&d)));
            }
            pending_row = rows_iter.next()?;
        }
        let hash = hasher.finish();
        if stored != hash {
            return Err(Error::Tampered(format!(
                "journal event {seq} ({} {}) does not match its hash: the event or its row digests were edited",
                fields.kind, fields.subject
            )));
        }
        if fields.officer.is_none() {
            if !is_migration {
                return Err(Error::Tampered(format!(
                    "journal event {seq} ({}) names no officer",
                    fields.kind
                )));
            }
            let version = migration_version(&fields.details).ok_or_else(|| {
                Error::Tampered(format!(
                    "journal event {seq}: a migration event without a version"
                ))
            })?;
            if !seeded.contains_key(&version) {
                seeded.insert(version, seeded_rows(version)?);
            }
            if seeded[&version] != migration_rows {
                return Err(Error::Tampered(format!(
                    "journal event {seq}: migration {version} records rows it did not seed"
                )));
            }
        }
        if heads.contains_key(&seq) {
            hashes_at_heads.insert(seq, hash);
            last_unsigned = None;
        } else if !is_migration && last_unsigned.is_none() {
            last_unsigned = Some((seq, fields.kind.clone()));
        }
        prev = hash;
        report.events += 1;
        report.last_seq = seq;
        expected_seq += 1;
    }
    if pending_row.is_some() {
        let r = pending_row.expect("checked");
        let row_seq: i64 = r.get(0)?;
        return Err(Error::Tampered(format!(
            "journal row digests for event {row_seq}, which does not exist"
        )));
    }
    report.last_hash = crypto::hex(&prev);

    // 2. Every officer's change is covered by a signed head.
    if let Some((seq, kind)) = last_unsigned {
        return Err(Error::Tampered(format!(
            "journal event {seq} ({kind}) and those after it are not covered by a signed head"
        )));
    }

    // 3. The head signatures, against the officers' registered keys.
    for (seq, head) in &heads {
        let Some(hash) = hashes_at_heads.get(seq) else {
            return Err(Error::Tampered(format!(
                "signed head {seq} points to no journal event"
            )));
        };
        if &head.hash != hash {
            return Err(Error::Tampered(format!(
                "signed head {seq} does not match the journal's hash at {seq}"
            )));
        }
        let key = keys.get(&head.officer).ok_or_else(|| {
            Error::Tampered(format!(
                "signed head {seq} names unknown officer '{}'",
                head.officer
            ))
        })?;
        if !key.verify(head_message(*seq, hash).as_bytes(), &head.signature) {
            return Err(Error::Tampered(format!(
                "signed head {seq}: the signature is not officer '{}''s",
                head.officer
            )));
        }
    }

    // 4. Every state row has exactly the digest its latest event recorded; every recorded row exists.
    for table in STATE_TABLES {
        report.rows += verify_table(conn, *table)?;
    }

    // 5. A published head is still part of the chain.
    if let Some(p) = published {
        let hash = hash_at(conn, p.seq)?.ok_or_else(|| {
            Error::Tampered(format!(
                "the published head {} is not in the journal (it ends at {}): the journal was cut short",
                p.seq, report.last_seq
            ))
        })?;
        if crypto::hex(&hash) != p.hash {
            return Err(Error::Tampered(format!(
                "the published head {} does not match the journal's hash at {}: the journal was rewritten",
                p.seq, p.seq
            )));
        }
        let signature = base64_decode(&p.signature).unwrap_or_default();
        let key = keys.get(&p.officer);
        let genuine = key.is_some_and(|k| {
            k.fingerprint() == p.key_fingerprint
                && k.verify(head_message(p.seq, &hash).as_bytes(), &signature)
        });
        if !genuine {
            return Err(Error::Tampered(format!(
                "the published head {} is not signed by officer '{}''s registered key",
                p.seq, p.officer
            )));
        }
        report.published_head = Some(p.seq);
    }
    Ok(report)
}

fn migration_version(details: &str) -> Option<usize> {
    let v: serde_json::Value = serde_json::from_str(details).ok()?;
    let version = v.get("version")?.as_u64()? as usize;
    (1..=MIGRATIONS.len()).contains(&version).then_some(version)
}

fn hash_at(conn: &Connection, seq: i64) -> Result<Option<[u8; 32]>> {
    let hash: Option<Vec<u8>> = conn
        .query_row("SELECT hash FROM journal WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(hash.map(|h| to_hash(&h)))
}

struct HeadRow {
    hash: [u8; 32],
    officer: String,
    signature: Vec<u8>,
}

fn load_heads(conn: &Connection) -> Result<BTreeMap<i64, HeadRow>> {
    let mut stmt = conn.prepare("SELECT seq, hash, officer, signature FROM journal_head")?;
    let rows = stmt.query_map([], |r| {
        let hash: Vec<u8> = r.get(1)?;
        Ok((
            r.get::<_, i64>(0)?,
            HeadRow {
                hash: to_hash(&hash),
                officer: r.get(2)?,
                signature: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn officer_keys(conn: &Connection) -> Result<HashMap<String, PublicKey>> {
    let mut stmt = conn.prepare("SELECT id, public_key FROM officer")?;
    let mut rows = stmt.query([])?;
    let mut keys = HashMap::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let pem: String = r.get(1)?;
        let key = PublicKey::from_pem("officer.public_key", &pem)
            .map_err(|_| Error::Tampered(format!("officer '{id}' has no valid public key")))?;
        keys.insert(id, key);
    }
    Ok(keys)
}

/// The latest recorded digest of each key of one table, in key order, streamed from `journal_row`.
struct LatestDigests<'s> {
    rows: rusqlite::Rows<'s>,
    lookahead: Option<Recorded>,
}

struct Recorded {
    key: Value,
    seq: i64,
    digest: Option<[u8; 32]>,
}

impl<'s> LatestDigests<'s> {
    fn new(mut rows: rusqlite::Rows<'s>) -> Result<LatestDigests<'s>> {
        let lookahead = Self::read(&mut rows)?;
        Ok(LatestDigests { rows, lookahead })
    }

    fn read(rows: &mut rusqlite::Rows<'s>) -> Result<Option<Recorded>> {
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        let digest: Option<Vec<u8>> = r.get(2)?;
        Ok(Some(Recorded {
            key: r.get(0)?,
            seq: r.get(1)?,
            digest: digest.map(|d| to_hash(&d)),
        }))
    }

    /// The next key's latest record (its rows come in seq order, so the last of a run is the latest).
    fn next_latest(&mut self) -> Result<Option<Recorded>> {
        let Some(mut current) = self.lookahead.take() else {
            return Ok(None);
        };
        loop {
            match Self::read(&mut self.rows)? {
                Some(n) if sqlite_cmp(&n.key, &current.key) == Ordering::Equal => current = n,
                other => {
                    self.lookahead = other;
                    return Ok(Some(current));
                }
            }
        }
    }
}

fn show_key(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.to_string(),
        Value::Text(t) => format!("'{t}'"),
        other => format!("{other:?}"),
    }
}

/// Merges the table's rows (in key order) with the latest recorded digest of each key (in key order).
fn verify_table(conn: &Connection, table: StateTable) -> Result<u64> {
    let mut stmt =
        conn.prepare("SELECT key, seq, digest FROM journal_row WHERE tbl = ?1 ORDER BY key, seq")?;
    let mut latest = LatestDigests::new(stmt.query([table.name])?)?;
    let mut recorded = latest.next_latest()?;
    let mut count = 0u64;
    let name = table.name;
    each_row_digest(conn, table, |key, digest| {
        count += 1;
        loop {
            let Some(rec) = &recorded else {
                return Err(Error::Tampered(format!(
                    "{name} row {} has no journal event: it was inserted outside kezek",
                    show_key(&key)
                )));
            };
            match sqlite_cmp(&rec.key, &key) {
                Ordering::Less => {
                    if rec.digest.is_some() {
                        return Err(Error::Tampered(format!(
                            "{name} row {} recorded by journal event {} is missing: it was deleted outside kezek",
                            show_key(&rec.key),
                            rec.seq
                        )));
                    }
                    recorded = latest.next_latest()?;
                }
                Ordering::Equal => {
                    match rec.digest {
                        Some(d) if d == digest => {}
                        Some(_) => {
                            return Err(Error::Tampered(format!(
                                "{name} row {} differs from what journal event {} recorded: it was edited outside kezek",
                                show_key(&key),
                                rec.seq
                            )))
                        }
                        None => {
                            return Err(Error::Tampered(format!(
                                "{name} row {} exists although journal event {} deleted it: it was inserted outside kezek",
                                show_key(&key),
                                rec.seq
                            )))
                        }
                    }
                    recorded = latest.next_latest()?;
                    return Ok(());
                }
                Ordering::Greater => {
                    return Err(Error::Tampered(format!(
                        "{name} row {} has no journal event: it was inserted outside kezek",
                        show_key(&key)
                    )))
                }
            }
        }
    })?;
    while let Some(rec) = recorded {
        if rec.digest.is_some() {
            return Err(Error::Tampered(format!(
                "{name} row {} recorded by journal event {} is missing: it was deleted outside kezek",
                show_key(&rec.key),
                rec.seq
            )));
        }
        recorded = latest.next_latest()?;
    }
    Ok(count)
}

/// One event as `history` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// Which state table a name means, for `history --table`.
pub fn table_named(name: &str) -> Option<StateTable> {
    state_table(name)
}
