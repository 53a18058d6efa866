//! The audit (R-A5, R-A6): `verify` recomputes the journal's chain, checks every head signature against the
//! officer's registered key, and checks that every row of every state table has exactly the digest its latest
//! event recorded: an edited row, a row inserted without an event and a deleted row are all caught. A journal
//! cut short (tail events and their heads removed) leaves a valid shorter chain; a published head catches it.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;

use super::db::MIGRATIONS;
use super::journal::{
    each_row_digest, expected_schema, head_message, last_event, schema_of, seeded_rows,
    sqlite_cmp_ref, to_hash, EventFields, EventHasher, KeyOrd, RowMap, StateTable, MIGRATION_KIND,
    STATE_TABLES,
};
use crate::crypto::{self, PublicKey};
use crate::error::{Error, Result};
use crate::faults::{self, Fault};

/// A head as published by `audit head` and read back by `audit verify --head`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
    type HeadAndKey = (i64, Vec<u8>, String, String, Vec<u8>, String);
    let row: Option<HeadAndKey> = conn
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

/// The columns of a journal event, as `verify` reads them.
const EVENT_COLUMNS: [&str; 8] = [
    "seq",
    "effective_at",
    "recorded_at",
    "officer",
    "kind",
    "subject",
    "details",
    "hash",
];

/// What `audit verify` checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub events: u64,
    pub heads: u64,
    pub rows: u64,
    pub last_seq: i64,
    pub last_hash: String,
    pub published_head: Option<i64>,
}

/// How `verify` shares the state rows among connections: the application table is checked in `workers` key
/// ranges when it holds at least `min_rows` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSplit {
    pub workers: usize,
    pub min_rows: i64,
}

impl Default for RowSplit {
    /// One range per processor (at most 8), for tables of 50,000 rows or more: below that a split costs more
    /// than it saves.
    fn default() -> RowSplit {
        RowSplit {
            workers: std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8)),
            min_rows: 50_000,
        }
    }
}

/// R-A6: proves the database was changed only through kezek, or names the first problem found.
pub fn verify(conn: &Connection, published: Option<&SignedHead>) -> Result<VerifyReport> {
    verify_with(conn, published, RowSplit::default())
}

/// `verify` with the state rows shared as `split` says; the verdict is the same however they are shared.
pub fn verify_with(
    conn: &Connection,
    published: Option<&SignedHead>,
    split: RowSplit,
) -> Result<VerifyReport> {
    // The chain and the state rows are independent checks of the same snapshot: the rows are checked on other
    // connections and threads (the largest table split by key range), once each is shown to see the same journal
    // head as this one.
    let head = last_event(conn)?;
    // A connection in the middle of its own write transaction is checked on itself: another connection
    // would not see its uncommitted rows.
    let writing = conn.transaction_state(None::<&str>)? == rusqlite::TransactionState::Write;
    let path = conn
        .path()
        .filter(|p| !p.is_empty() && !writing)
        .map(str::to_string);
    let skip_rows = faults::active(Fault::AuditSkipsRows);
    std::thread::scope(|scope| {
        let rows = scope.spawn(move || {
            let p = path?;
            verify_rows_in_parallel(&p, head, split, skip_rows)
        });
        verify_chain(conn, published, rows)
    })
}

/// A read-only connection to the same file whose read transaction sees the journal ending at `head`, or `None`
/// when a writer committed in between.
fn open_at_head(path: &str, head: Option<(i64, [u8; 32])>) -> Result<Option<Connection>> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(super::db::BUSY_TIMEOUT)?;
    let _: i64 = conn.query_row(
        &format!("PRAGMA mmap_size = {}", super::db::SCAN_MMAP_BYTES),
        [],
        |r| r.get(0),
    )?;
    conn.execute_batch("BEGIN")?;
    Ok((last_event(&conn)? == head).then_some(conn))
}

/// Keys from `from` (inclusive) to `to` (exclusive) of one table, in SQLite's order; `None` is open-ended.
#[derive(Debug, Clone, Default)]
struct KeyRange {
    from: Option<Value>,
    to: Option<Value>,
}

impl KeyRange {
    /// The SQL condition on `column` (" AND column >= ?N AND column < ?M", without an open end), its parameters
    /// numbered from `first`, and the values to bind to them.
    fn condition(&self, column: &str, first: usize) -> (String, Vec<&Value>) {
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

/// The rows a task checked, or the problem it found, by the task's place in the order of one connection.
type TaskResult = (usize, Result<u64>);

/// One part of step 4: the rows of `table` whose keys are in `range`, checked by connection `worker`.
struct RowTask {
    worker: usize,
    table: StateTable,
    range: KeyRange,
}

/// Step 4 of `verify`, for every state table, on one connection.
fn verify_rows(conn: &Connection, skip: bool) -> Result<u64> {
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
fn verify_rows_in_parallel(
    path: &str,
    head: Option<(i64, [u8; 32])>,
    split: RowSplit,
    skip: bool,
) -> Option<Result<u64>> {
    let first = open_at_head(path, head).ok().flatten()?;
    if skip {
        return Some(Ok(0));
    }
    let bounds = match split_keys(&first, super::journal::APPLICATION, split) {
        Ok(b) => b,
        Err(e) => return Some(Err(e)),
    };
    let mut tasks: Vec<RowTask> = Vec::new();
    for table in STATE_TABLES {
        if *table != super::journal::APPLICATION {
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

fn verify_chain(
    conn: &Connection,
    published: Option<&SignedHead>,
    rows: std::thread::ScopedJoinHandle<'_, Option<Result<u64>>>,
) -> Result<VerifyReport> {
    // 0. The schema is the one the migrations create: a trigger, index or view added behind kezek's back could
    // change what kezek itself writes and signs.
    let expected = expected_schema()?;
    let actual = schema_of(conn)?;
    if actual != expected {
        let differs = actual
            .iter()
            .filter(|o| !expected.contains(o))
            .map(|(kind, name, ..)| format!("{kind} {name} is not kezek's"))
            .chain(
                expected
                    .iter()
                    .filter(|o| !actual.contains(o))
                    .map(|(kind, name, ..)| format!("{kind} {name} is missing or altered")),
            )
            .collect::<Vec<_>>()
            .join("; ");
        return Err(Error::Tampered(format!(
            "the schema was changed outside kezek: {differs}"
        )));
    }
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
    let mut events = conn.prepare(&format!(
        "SELECT {} FROM journal ORDER BY seq",
        EVENT_COLUMNS.join(", ")
    ))?;
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
        // A text column edited into bytes that are not UTF-8 is tampering with this event, not a read error.
        let text = |i: usize| -> Result<Option<String>> {
            match e.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Ok(None),
                v => match std::str::from_utf8(v.as_bytes().unwrap_or_default()) {
                    Ok(t) if matches!(v, rusqlite::types::ValueRef::Text(_)) => Ok(Some(t.to_string())),
                    _ => Err(Error::Tampered(format!(
                        "journal event {seq}: column {} is not text: the event was edited outside kezek",
                        EVENT_COLUMNS[i]
                    ))),
                },
            }
        };
        let required = |i: usize| -> Result<String> {
            text(i)?.ok_or_else(|| {
                Error::Tampered(format!(
                    "journal event {seq}: column {} is empty: the event was edited outside kezek",
                    EVENT_COLUMNS[i]
                ))
            })
        };
        let fields = EventFields {
            effective_at: required(1)?,
            recorded_at: required(2)?,
            officer: text(3)?,
            kind: required(4)?,
            subject: required(5)?,
            details: required(6)?,
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
            let expected = match seeded.entry(version) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => e.insert(seeded_rows(version)?),
            };
            if *expected != migration_rows {
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
    if let Some(r) = pending_row {
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

    // 4. Every state row has exactly the digest its latest event recorded; every recorded row exists (on the
    // second thread when it has its own connection; otherwise here).
    report.rows = match rows.join().expect("the row check does not panic") {
        Some(rows) => rows?,
        None => verify_rows(conn, faults::active(Fault::AuditSkipsRows))?,
    };

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
fn verify_table(conn: &Connection, table: StateTable, range: &KeyRange) -> Result<u64> {
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
    each_row_digest(conn, table, &condition, &bounds, |key, digest| {
        count += 1;
        loop {
            if !recorded {
                return Err(Error::Tampered(format!(
                    "{name} row {} has no journal event: it was inserted outside kezek",
                    show_key(key)
                )));
            }
            match sqlite_cmp_ref(rec.key.get(), key) {
                Ordering::Less => {
                    if rec.digest.is_some() {
                        return Err(Error::Tampered(format!(
                            "{name} row {} recorded by journal event {} is missing: it was deleted outside kezek",
                            show_key(rec.key.get()),
                            rec.seq
                        )));
                    }
                    recorded = latest.next_latest(&mut rec)?;
                }
                Ordering::Equal => {
                    match rec.digest {
                        Some(d) if d == digest => {}
                        Some(_) => {
                            return Err(Error::Tampered(format!(
                                "{name} row {} differs from what journal event {} recorded: it was edited outside kezek",
                                show_key(key),
                                rec.seq
                            )))
                        }
                        None => {
                            return Err(Error::Tampered(format!(
                                "{name} row {} exists although journal event {} deleted it: it was inserted outside kezek",
                                show_key(key),
                                rec.seq
                            )))
                        }
                    }
                    recorded = latest.next_latest(&mut rec)?;
                    return Ok(());
                }
                Ordering::Greater => {
                    return Err(Error::Tampered(format!(
                        "{name} row {} has no journal event: it was inserted outside kezek",
                        show_key(key)
                    )))
                }
            }
        }
    })?;
    while recorded {
        if rec.digest.is_some() {
            return Err(Error::Tampered(format!(
                "{name} row {} recorded by journal event {} is missing: it was deleted outside kezek",
                show_key(rec.key.get()),
                rec.seq
            )));
        }
        recorded = latest.next_latest(&mut rec)?;
    }
    Ok(count)
}
