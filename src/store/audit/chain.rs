//! Steps 0 to 3 and 5 of `verify`: the schema, the hash chain of the journal, the head signatures, and a
//! published head.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, OptionalExtension};

use super::head::{base64_decode, SignedHead};
use super::log::LogCheck;
use super::trust::{Anchor, Officers};
use super::VerifyReport;
use crate::crypto::{self, PublicKey};
use crate::error::{Error, Result};
use crate::faults::{self, Fault};
use crate::store::journal::{
    head_message, to_hash, Checkpoint, EventFields, EventHasher, KeyOrd, RowMap,
};
use crate::store::migrations::{self, expected_schema, schema_of, seeded_rows, MIGRATION_KIND};
use crate::store::replication::is_litestream_table;
use crate::tr;

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

pub(super) fn verify_chain(
    conn: &Connection,
    published: Option<&SignedHead>,
    anchor: Option<&Anchor>,
    rows: std::thread::ScopedJoinHandle<'_, Option<Result<u64>>>,
) -> Result<VerifyReport> {
    // 0. The schema is the one the migrations create: a trigger, index or view added behind kezek's back could
    // change what kezek itself writes and signs. Litestream's two tables are allowed, exactly as Litestream
    // creates them (R-O1): a plain table of its own changes nothing kezek writes.
    let expected = expected_schema()?;
    let mut actual = schema_of(conn)?;
    actual
        .retain(|(kind, name, table, sql)| !is_litestream_table(kind, name, table, sql.as_deref()));
    if actual != expected {
        let differs = actual
            .iter()
            .filter(|o| !expected.contains(o))
            .map(|(kind, name, ..)| {
                tr!(
                    "err-audit-schema-foreign",
                    kind = kind.clone(),
                    name = name.clone()
                )
            })
            .chain(
                expected
                    .iter()
                    .filter(|o| !actual.contains(o))
                    .map(|(kind, name, ..)| {
                        tr!(
                            "err-audit-schema-altered",
                            kind = kind.clone(),
                            name = name.clone()
                        )
                    }),
            )
            .collect::<Vec<_>>()
            .join("; ");
        return Err(Error::Tampered(tr!(
            "err-audit-schema-changed",
            differs = differs
        )));
    }
    let heads = load_heads(conn)?;
    let mut officers = Officers::new(anchor, officer_keys(conn)?);
    let mut records = LogCheck::prepare(conn)?;
    let mut log = LogCheck::new(conn, &mut records)?;
    // The last head met, and whether heads have been checkpoints since (R-A8).
    let mut last_head: Option<(i64, [u8; 32])> = None;
    let mut checkpoints = false;
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
            return Err(Error::Tampered(tr!(
                "err-audit-event-missing",
                expected = expected_seq,
                seq = seq
            )));
        }
        // A text column edited into bytes that are not UTF-8 is tampering with this event, not a read error.
        let text = |i: usize| -> Result<Option<String>> {
            match e.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Ok(None),
                v => match std::str::from_utf8(v.as_bytes().unwrap_or_default()) {
                    Ok(t) if matches!(v, rusqlite::types::ValueRef::Text(_)) => {
                        Ok(Some(t.to_string()))
                    }
                    _ => Err(Error::Tampered(tr!(
                        "err-audit-event-not-text",
                        seq = seq,
                        column = EVENT_COLUMNS[i]
                    ))),
                },
            }
        };
        let required = |i: usize| -> Result<String> {
            text(i)?.ok_or_else(|| {
                Error::Tampered(tr!(
                    "err-audit-event-empty",
                    seq = seq,
                    column = EVENT_COLUMNS[i]
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
                return Err(Error::Tampered(tr!(
                    "err-audit-rows-no-event",
                    seq = row_seq
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
            return Err(Error::Tampered(tr!(
                "err-audit-event-hash",
                seq = seq,
                kind = fields.kind.clone(),
                subject = fields.subject.clone()
            )));
        }
        if fields.officer.is_none() {
            if !is_migration {
                return Err(Error::Tampered(tr!(
                    "err-audit-event-no-officer",
                    seq = seq,
                    kind = fields.kind.clone()
                )));
            }
            let version = migrations::version_in(&fields.details)
                .ok_or_else(|| Error::Tampered(tr!("err-audit-migration-no-version", seq = seq)))?;
            let expected = match seeded.entry(version) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => e.insert(seeded_rows(version)?),
            };
            if *expected != migration_rows {
                return Err(Error::Tampered(tr!(
                    "err-audit-migration-rows",
                    seq = seq,
                    version = version as i64
                )));
            }
        }
        officers.event(seq, &fields)?;
        log.event(seq, &fields)?;
        // 3. Each head as the chain reaches it, with its signer's key at this seq (R-A7), and as a checkpoint
        // of the public log naming the head before it (R-A8).
        if let Some(head) = heads.get(&seq) {
            if head.hash != hash {
                return Err(Error::Tampered(tr!("err-audit-head-hash", seq = seq)));
            }
            let message = match &head.checkpoint {
                Some((tree_size, root, previous)) => {
                    if *tree_size != seq || *root != log.root() {
                        return Err(Error::Tampered(tr!(
                            "err-audit-head-tree",
                            seq = seq,
                            size = *tree_size
                        )));
                    }
                    if *previous != last_head.map(|(s, _)| s) {
                        return Err(Error::Tampered(tr!(
                            "err-audit-head-previous",
                            seq = seq,
                            named = previous.map_or("none".into(), |p| p.to_string()),
                            last = last_head.map_or("none".into(), |(s, _)| s.to_string())
                        )));
                    }
                    checkpoints = true;
                    Checkpoint {
                        seq,
                        hash,
                        tree_size: *tree_size,
                        root: *root,
                        previous: last_head,
                        officer: head.officer.clone(),
                        signed_at: head.signed_at.clone(),
                    }
                    .message()
                }
                None if checkpoints => {
                    return Err(Error::Tampered(tr!(
                        "err-audit-head-not-checkpoint",
                        seq = seq
                    )))
                }
                None => head_message(seq, &hash),
            };
            officers.head(seq, &head.officer, message.as_bytes(), &head.signature)?;
            last_head = Some((seq, hash));
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
        return Err(Error::Tampered(tr!(
            "err-audit-rows-no-event",
            seq = row_seq
        )));
    }
    report.last_hash = crypto::hex(&prev);
    log.finish()?;

    // 2. Every officer's change is covered by a signed head.
    if let Some((seq, kind)) = last_unsigned {
        return Err(Error::Tampered(tr!(
            "err-audit-unsigned",
            seq = seq,
            kind = kind
        )));
    }

    if let Some(seq) = heads.keys().find(|s| !hashes_at_heads.contains_key(s)) {
        return Err(Error::Tampered(tr!("err-audit-head-no-event", seq = *seq)));
    }

    // 4. Every state row has exactly the digest its latest event recorded; every recorded row exists (on the
    // second thread when it has its own connection; otherwise here).
    report.rows = match rows.join().expect("the row check does not panic") {
        Some(rows) => rows?,
        None => super::parallel::verify_rows(conn, faults::active(Fault::AuditSkipsRows))?,
    };

    // 5. A published head (and a head given as the anchor) is still part of the chain, signed by a key the chain
    // trusts.
    let anchor_head = match anchor {
        Some(Anchor::Head(h)) => Some(h),
        _ => None,
    };
    for p in published.into_iter().chain(anchor_head) {
        let hash = hash_at(conn, p.seq)?.ok_or_else(|| {
            Error::Tampered(tr!(
                "err-audit-published-cut",
                seq = p.seq,
                last = report.last_seq
            ))
        })?;
        if crypto::hex(&hash) != p.hash {
            return Err(Error::Tampered(tr!(
                "err-audit-published-rewritten",
                seq = p.seq
            )));
        }
        if let Some(c) = p.checkpoint()? {
            let root = crate::store::journal::tree_root(conn, c.tree_size.max(0) as u64)?;
            let previous = heads.range(..p.seq).next_back().map(|(s, h)| (*s, h.hash));
            if c.tree_size != p.seq || c.root != root {
                return Err(Error::Tampered(tr!(
                    "err-audit-published-tree",
                    seq = p.seq
                )));
            }
            if heads.contains_key(&p.seq) && c.previous != previous {
                return Err(Error::Tampered(tr!(
                    "err-audit-published-previous",
                    seq = p.seq
                )));
            }
        }
        let signature = base64_decode(&p.signature).unwrap_or_default();
        let message = p.message()?;
        let genuine = officers
            .trusted(&p.officer, p.seq, &p.key_fingerprint)
            .is_some_and(|k| k.verify(message.as_bytes(), &signature));
        if !genuine {
            return Err(Error::Tampered(tr!(
                "err-audit-published-signature",
                seq = p.seq,
                officer = p.officer.clone()
            )));
        }
        if published.is_some_and(|published| published == p) {
            report.published_head = Some(p.seq);
        }
    }
    Ok(report)
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
    signed_at: String,
    signature: Vec<u8>,
    /// A checkpoint's tree size, root and previous head (R-A8); `None` for a head of an earlier version.
    checkpoint: Option<(i64, [u8; 32], Option<i64>)>,
}

fn load_heads(conn: &Connection) -> Result<BTreeMap<i64, HeadRow>> {
    let mut stmt = conn.prepare(
        "SELECT seq, hash, officer, signed_at, signature, tree_size, root, previous FROM journal_head",
    )?;
    let rows = stmt.query_map([], |r| {
        let hash: Vec<u8> = r.get(1)?;
        let tree_size: Option<i64> = r.get(5)?;
        let root: Option<Vec<u8>> = r.get(6)?;
        let previous: Option<i64> = r.get(7)?;
        Ok((
            r.get::<_, i64>(0)?,
            HeadRow {
                hash: to_hash(&hash),
                officer: r.get(2)?,
                signed_at: r.get(3)?,
                signature: r.get(4)?,
                checkpoint: match (tree_size, root) {
                    (None, None) => None,
                    (size, root) => Some((
                        size.unwrap_or(-1),
                        root.map_or([0; 32], |r| to_hash(&r)),
                        previous,
                    )),
                },
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The keys of the officer table; a row whose key does not parse offers none (the row check names the row).
fn officer_keys(conn: &Connection) -> Result<Vec<PublicKey>> {
    let mut stmt = conn.prepare("SELECT public_key FROM officer")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut keys = Vec::new();
    for pem in rows {
        if let Ok(key) = PublicKey::from_pem("officer.public_key", &pem?) {
            keys.push(key);
        }
    }
    Ok(keys)
}
