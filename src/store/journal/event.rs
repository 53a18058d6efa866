//! Journal events: an event being written (`EventWriter`) and the chained hash over its fields and row
//! digests (`EventHasher`), which `audit` recomputes.

use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Statement, ToSql};

use super::canonical::{each_row_digest, row_digest, Canonical};
use super::public::{PublicText, RecordWriter, Row};
use super::tables::StateTable;
use crate::crypto;
use crate::domain::time::{format_moment, Now};
use crate::error::{Error, Result};
use crate::faults::{self, Fault};

/// The text an officer signed for a chain head before the public log existed (v1); `openssl dgst -sha256
/// -verify` can check it too.
pub fn head_message(seq: i64, hash: &[u8]) -> String {
    format!(
        "kezek journal head\nseq: {seq}\nhash: {}\n",
        crypto::hex(hash)
    )
}

/// What a head signs from the public log's version on (R-A8, R-V2): a signed checkpoint of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: [u8; 32],
    pub tree_size: i64,
    pub root: [u8; 32],
    /// The head before this one: its seq and the journal's hash there.
    pub previous: Option<(i64, [u8; 32])>,
    pub officer: String,
    pub signed_at: String,
}

impl Checkpoint {
    /// The signed text (v2): the chain head, the tree's size and root, the previous head, the signer and the
    /// signing time, so that no head can be deleted, reordered or re-dated unseen.
    pub fn message(&self) -> String {
        let previous = match &self.previous {
            Some((seq, hash)) => format!("{seq} {}", crypto::hex(hash)),
            None => "none".to_string(),
        };
        format!(
            "kezek journal head v2\nseq: {}\nhash: {}\ntree-size: {}\nroot: {}\nprevious: {previous}\nofficer: {}\nsigned-at: {}\n",
            self.seq,
            crypto::hex(&self.hash),
            self.tree_size,
            crypto::hex(&self.root),
            self.officer,
            self.signed_at
        )
    }
}

pub(in crate::store) fn last_event(conn: &Connection) -> Result<Option<(i64, [u8; 32])>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.map(|(seq, hash)| (seq, to_hash(&hash))))
}

pub(in crate::store) fn to_hash(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if bytes.len() == 32 {
        out.copy_from_slice(bytes);
    }
    out
}

/// A key as the journal keeps it.
fn owned_key(table: StateTable, key: &dyn ToSql) -> Result<Value> {
    match key.to_sql()? {
        rusqlite::types::ToSqlOutput::Owned(v) => Ok(v),
        rusqlite::types::ToSqlOutput::Borrowed(v) => {
            Value::try_from(v).map_err(|e| Error::Internal(format!("{} key: {e}", table.name)))
        }
        other => Err(Error::Internal(format!("{} key: {other:?}", table.name))),
    }
}

/// An event being written: its row digests go in as rows are touched; `finish` computes the chained hash.
pub struct EventWriter<'t> {
    tx: &'t Connection,
    seq: i64,
    fields: EventFields,
    prev: [u8; 32],
    /// The canonical form of the row being digested, reused from row to row.
    scratch: Canonical,
    /// The insert of a row's digest into `journal_row`, prepared once for the event.
    digests: Statement<'t>,
    /// The event's public record (R-V1), written as rows come; `None` before the public log existed.
    record: Option<RecordWriter>,
    /// The public columns of the row being recorded, reused from row to row.
    public: PublicText,
}

#[derive(Debug, Clone)]
pub(in crate::store) struct EventFields {
    pub(in crate::store) effective_at: String,
    pub(in crate::store) recorded_at: String,
    pub(in crate::store) officer: Option<String>,
    pub(in crate::store) kind: String,
    pub(in crate::store) subject: String,
    pub(in crate::store) details: String,
}

impl<'t> EventWriter<'t> {
    /// Starts event `seq + 1`; `public`: whether it has a public record (every event since the public log).
    pub(in crate::store) fn begin(
        tx: &'t Connection,
        now: &Now,
        officer: Option<&str>,
        kind: &str,
        subject: &str,
        details: &serde_json::Value,
        public: bool,
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
            record: (public && !faults::active(Fault::NoPublicRecord))
                .then(|| RecordWriter::begin(seq, &fields)),
            fields,
            prev,
            scratch: Canonical::default(),
            digests: tx.prepare(
                "INSERT OR REPLACE INTO journal_row (seq, tbl, key, digest) VALUES (?1, ?2, ?3, ?4)",
            )?,
            public: PublicText::default(),
        })
    }

    pub fn seq(&self) -> i64 {
        self.seq
    }

    /// Replaces the event's details, for a change that learns them as it goes (how many rows a sweep removed in
    /// parts); the hash, computed by `finish`, covers the final ones.
    pub fn set_details(&mut self, details: &serde_json::Value) -> Result<()> {
        self.fields.details = details.to_string();
        self.tx.execute(
            "UPDATE journal SET details = ?2 WHERE seq = ?1",
            params![self.seq, self.fields.details],
        )?;
        Ok(())
    }

    /// Records the current state of one row (its digest, or NULL if it no longer exists).
    pub fn touch(&mut self, table: StateTable, key: &dyn ToSql) -> Result<()> {
        let public = self.record.is_some().then_some(&mut self.public);
        let digest = row_digest(self.tx, &mut self.scratch, table, key, public)?;
        let key = owned_key(table, key)?;
        self.record_public(table, &key, digest.is_some())?;
        self.record_digest(table, key, digest)
    }

    /// Adds the row to the public record, with the public columns last read (`exists`) or as deleted.
    fn record_public(&mut self, table: StateTable, key: &Value, exists: bool) -> Result<()> {
        if let Some(record) = &mut self.record {
            let state = if exists {
                Row::Written(&self.public.text)
            } else {
                Row::Deleted
            };
            record.row(self.tx, table.name, key.into(), state)?;
        }
        Ok(())
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
        each_row_digest(tx, table, condition, params, |row, key, digest| {
            rows += 1;
            let key = Value::try_from(key)
                .map_err(|e| Error::Internal(format!("{} key: {e}", table.name)))?;
            if self.record.is_some() {
                self.public.read(table, row)?;
                self.record_public(table, &key, true)?;
            }
            self.record_digest(table, key, Some(digest))
        })?;
        Ok(rows)
    }

    /// Records a row just written with the digest `values_digest` computed from the values it was written
    /// with, and its public columns `public` as `PublicColumns::text` gives them (a table whose rows are personal
    /// shows none: any text will do).
    pub fn touch_written(
        &mut self,
        table: StateTable,
        key: &dyn ToSql,
        digest: [u8; 32],
        public: &str,
    ) -> Result<()> {
        let key = owned_key(table, key)?;
        self.record_written(table, &key, public)?;
        self.record_digest(table, key, Some(digest))
    }

    /// Adds a row to the public record alone, its public columns `public` as for `touch_written`: the caller
    /// writes the row's digest into `journal_row` for this event itself before the event finishes (a load that
    /// writes its rows in key order at the end, `applications::SortedLoad`).
    pub(in crate::store) fn touch_staged(
        &mut self,
        table: StateTable,
        key: &dyn ToSql,
        public: &str,
    ) -> Result<()> {
        self.record_written(table, &owned_key(table, key)?, public)
    }

    /// Adds a row to the public record with its public columns already written.
    fn record_written(&mut self, table: StateTable, key: &Value, public: &str) -> Result<()> {
        if let Some(record) = &mut self.record {
            record.row(self.tx, table.name, key.into(), Row::Written(public))?;
        }
        Ok(())
    }

    /// Writes a row's digest into `journal_row`, one statement per row. A row recorded twice in one event keeps
    /// its last digest (`OR REPLACE`, in the order recorded). Not several rows a statement: `journal_row`'s
    /// CHECK calls a function, so SQLite gives a statement of several rows a statement journal, which copies
    /// every page the statement changes that existed before it; rows out of key order (a migrated file's) change
    /// a page each, and the copies cost more than the statements saved (100,000 unseen rows imported in 1.86 s
    /// batched 128 a statement, 1.62 s one a statement; the sweep and a file in order no slower).
    fn record_digest(
        &mut self,
        table: StateTable,
        key: Value,
        digest: Option<[u8; 32]>,
    ) -> Result<()> {
        self.digests.execute(params![
            self.seq,
            table.name,
            key,
            digest.as_ref().map(|d| d.as_slice())
        ])?;
        Ok(())
    }

    /// Computes the event's chained hash over its fields and rows (read back in key order) and stores it.
    pub fn finish(mut self) -> Result<i64> {
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
        if let Some(record) = self.record.take() {
            record.finish(self.tx, &self.fields)?;
        }
        Ok(self.seq)
    }
}

pub(in crate::store) struct EventHasher {
    buf: Canonical,
    scratch: Canonical,
    rows: sha2::Sha256,
    row_count: u64,
}

impl EventHasher {
    pub(in crate::store) fn new(prev: &[u8; 32], seq: i64, f: &EventFields) -> EventHasher {
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

    pub(in crate::store) fn row(
        &mut self,
        table: ValueRef<'_>,
        key: ValueRef<'_>,
        digest: ValueRef<'_>,
    ) {
        use sha2::Digest;
        let c = &mut self.scratch;
        c.0.clear();
        c.value(table);
        c.value(key);
        c.value(digest);
        self.rows.update(&c.0);
        self.row_count += 1;
    }

    pub(in crate::store) fn finish(mut self) -> [u8; 32] {
        use sha2::Digest;
        self.buf.value(ValueRef::Integer(self.row_count as i64));
        self.buf.bytes(&self.rows.finalize());
        crypto::sha256(&self.buf.0)
    }
}
