//! What a publication (R-V3) and a proof (R-V4) read from the database: the public records in seq order, the
//! latest signed checkpoint, every officer key the journal registered, and the tree's nodes. Only reads.

use rusqlite::params;
use serde::Serialize;

use super::access::{self, Access};
use super::audit::{latest_head, SignedHead};
use super::journal::{self, tree_node, tree_root};
use crate::crypto::PublicKey;
use crate::domain::explain::Explainer;
use crate::domain::merkle::{self, Hash};
use crate::domain::record_parts::RecordParts;
use crate::error::{Error, Result};
use crate::tr;

/// The latest head that is a checkpoint of the public log (R-A8).
pub fn checkpoint(db: &impl Access) -> Result<SignedHead> {
    let head = latest_head(db)?.ok_or_else(|| Error::NotFound(tr!("err-publish-no-head")))?;
    if head.tree_size.is_none() {
        return Err(Error::NotFound(tr!("err-publish-old-head", seq = head.seq)));
    }
    Ok(head)
}

/// Streams the public records of events `from..=to` in the parts they are stored in (R-V1: at most 64 KiB
/// each), in seq order: a record of a million rows is never held whole.
pub fn each_part(
    db: &impl Access,
    from: i64,
    to: i64,
    mut each: impl FnMut(i64, &str) -> Result<()>,
) -> Result<()> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare_cached(
        "SELECT seq, part, text FROM public_record WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq, part",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let (seq, part): (i64, i64) = (r.get(0)?, r.get(1)?);
        let text = journal::part_text(seq, part, r.get_ref(2)?)?;
        each(seq, &text)?;
    }
    Ok(())
}

/// An officer key as the journal registered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisteredKey {
    pub officer: String,
    pub fingerprint: String,
    pub public_key: String,
    /// The event that registered it (`officer.add` or `officer.rotate_key`).
    pub seq: i64,
    pub kind: String,
}

/// Every key the journal registered, in seq order. An event of an earlier version names the key by its
/// fingerprint alone: the key is then the officer table's or a later rotation's earlier key, if its fingerprint
/// is the one named.
pub fn registered_keys(db: &impl Access) -> Result<Vec<RegisteredKey>> {
    let conn = access::conn(db);
    let mut known: Vec<PublicKey> = Vec::new();
    let mut stmt = conn.prepare("SELECT public_key FROM officer")?;
    for pem in stmt.query_map([], |r| r.get::<_, String>(0))? {
        if let Ok(k) = PublicKey::from_pem("public_key", &pem?) {
            known.push(k);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT seq, kind, subject, details FROM journal
         WHERE kind = 'officer.add' OR kind = 'officer.rotate_key' ORDER BY seq",
    )?;
    let events: Vec<(i64, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (_, _, _, details) in &events {
        let d: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
        for field in ["public_key", "previous_public_key"] {
            if let Some(k) = d
                .get(field)
                .and_then(|v| v.as_str())
                .and_then(|p| PublicKey::from_pem(field, p).ok())
            {
                known.push(k);
            }
        }
    }
    let mut out = Vec::new();
    for (seq, kind, officer, details) in events {
        let d: serde_json::Value = serde_json::from_str(&details).unwrap_or_default();
        let fingerprint = d
            .get("fingerprint")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let key = known
            .iter()
            .find(|k| k.fingerprint() == fingerprint)
            .ok_or_else(|| {
                Error::Tampered(tr!(
                    "err-publish-key-nowhere",
                    seq = seq,
                    kind = kind.clone(),
                    fingerprint = fingerprint.clone()
                ))
            })?;
        out.push(RegisteredKey {
            officer,
            fingerprint,
            public_key: key.pem.clone(),
            seq,
            kind,
        });
    }
    Ok(out)
}

/// The root of the tree of the first `size` leaves.
pub fn root(db: &impl Access, size: u64) -> Result<Hash> {
    tree_root(access::conn(db), size)
}

/// The leaf hash of event `seq`.
pub fn leaf(db: &impl Access, seq: i64) -> Result<Hash> {
    tree_node(
        access::conn(db),
        merkle::Node {
            level: 0,
            index: (seq - 1) as u64,
        },
    )
}

/// The inclusion proof of event `seq`'s record in the tree of `size` leaves (R-V4).
pub fn inclusion_proof(db: &impl Access, seq: i64, size: u64) -> Result<Vec<Hash>> {
    let conn = access::conn(db);
    merkle::inclusion_proof((seq - 1) as u64, size, &mut |n| tree_node(conn, n))
}

/// The consistency proof from the tree of `old` leaves to that of `new` leaves (R-V4).
pub fn consistency_proof(db: &impl Access, old: u64, new: u64) -> Result<Vec<Hash>> {
    let conn = access::conn(db);
    merkle::consistency_proof(old, new, &mut |n| tree_node(conn, n))
}

/// The event that put an application in the queue: its registration, or the import that brought it.
pub fn registration_seq(db: &impl Access, number: &str) -> Result<i64> {
    let seq: Option<i64> = access::conn(db).query_row(
        "SELECT min(seq) FROM journal_row WHERE tbl = 'application' AND key = ?1",
        [number],
        |r| r.get(0),
    )?;
    seq.ok_or_else(|| {
        Error::NotFound(tr!(
            "err-applications-not-found",
            number = number.to_string()
        ))
    })
}

/// `application explain` (R-V7): the application's queue replayed from the public records.
pub fn explain(
    db: &impl Access,
    number: &str,
    since: Option<chrono::DateTime<chrono::FixedOffset>>,
    since_text: &str,
) -> Result<crate::domain::explain::Explanation> {
    let app = super::applications::get(db, number)?;
    let mut explainer = Explainer::new(
        number,
        (app.queue_type.clone(), app.group_year),
        since,
        since_text,
    );
    let last: i64 =
        access::conn(db).query_row("SELECT coalesce(max(seq), 0) FROM public_record", [], |r| {
            r.get(0)
        })?;
    // Each record in its parts, its rows taken in batches (R-O2: an import's record is never held whole).
    let mut current: Option<(i64, RecordParts)> = None;
    let bad = |seq: i64, error: String| {
        Error::Tampered(tr!("err-publish-bad-record", seq = seq, error = error))
    };
    let end = |explainer: &mut Explainer, seq: i64, parts: RecordParts| -> Result<()> {
        let (head, tail) = parts.finish().map_err(|e| bad(seq, e))?;
        if tail.seq != seq {
            return Err(bad(seq, format!("the record says seq {}", tail.seq)));
        }
        explainer.end(seq, &head.effective_at, &head.kind, &tail.subject);
        Ok(())
    };
    each_part(db, 1, last, |seq, text| {
        if current.as_ref().is_some_and(|(s, _)| *s != seq) {
            let (s, parts) = current.take().expect("a record");
            end(&mut explainer, s, parts)?;
        }
        let (_, parts) = current.get_or_insert_with(|| (seq, RecordParts::new()));
        parts
            .feed(text, &mut |rows: &[&str]| explainer.rows(rows))
            .map_err(|e| bad(seq, e))
    })?;
    if let Some((s, parts)) = current {
        end(&mut explainer, s, parts)?;
    }
    Ok(explainer.finish())
}
