//! A signed head as `audit head` publishes it and `audit verify --head` reads it back.

use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::crypto::{self, PublicKey};
use crate::error::{Error, Result};
use crate::store::access::{conn, Access};
use crate::store::journal::{head_message, Checkpoint};
use crate::tr;

/// A head as published by `audit head` and read back by `audit verify --head`. Heads signed since the public log
/// (v2) are signed checkpoints: they name the tree's size and root and the head before them (R-A8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SignedHead {
    pub seq: i64,
    pub hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tree_size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// `SEQ HASH` of the head before, or `none` (v2 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    pub officer: String,
    pub key_fingerprint: String,
    pub signed_at: String,
    pub signature: String,
}

impl SignedHead {
    /// The head as text. Its first lines are exactly the signed message (three for a v1 head; eight for a v2
    /// checkpoint, up to `signed-at`), so that anyone can check the signature with the officer's public key
    /// alone; the rest names the key and the signature.
    pub fn to_text(&self) -> String {
        match self.checkpoint() {
            Ok(Some(c)) => format!(
                "{}key-fingerprint: {}\nsignature: {}\n",
                c.message(),
                self.key_fingerprint,
                self.signature
            ),
            _ => format!(
                "kezek journal head\nseq: {}\nhash: {}\nofficer: {}\nkey-fingerprint: {}\nsigned-at: {}\nsignature: {}\n",
                self.seq, self.hash, self.officer, self.key_fingerprint, self.signed_at, self.signature
            ),
        }
    }

    /// The checkpoint a v2 head signs; `None` for a v1 head.
    pub fn checkpoint(&self) -> Result<Option<Checkpoint>> {
        let (Some(tree_size), Some(root), Some(previous)) =
            (self.tree_size, &self.root, &self.previous)
        else {
            return Ok(None);
        };
        let bad = |what: &'static str| {
            Error::bad(tr!("err-audit-head-invalid", seq = self.seq, what = what))
        };
        let previous = match previous.split_once(' ') {
            None if previous == "none" => None,
            Some((seq, hash)) => Some((
                seq.parse().map_err(|_| bad("previous"))?,
                unhex(hash).ok_or_else(|| bad("previous"))?,
            )),
            None => return Err(bad("previous")),
        };
        Ok(Some(Checkpoint {
            seq: self.seq,
            hash: unhex(&self.hash).ok_or_else(|| bad("hash"))?,
            tree_size,
            root: unhex(root).ok_or_else(|| bad("root"))?,
            previous,
            officer: self.officer.clone(),
            signed_at: self.signed_at.clone(),
        }))
    }

    /// The text the signature covers.
    pub fn message(&self) -> Result<String> {
        Ok(match self.checkpoint()? {
            Some(c) => c.message(),
            None => head_message(self.seq, &unhex(&self.hash).unwrap_or_default()),
        })
    }

    /// Reads a head published as text (`audit head`) or as JSON (`audit head --format json`).
    pub fn parse(field: &str, text: &str) -> Result<SignedHead> {
        let bad = |why: String| {
            Error::bad(tr!(
                "err-audit-not-head",
                field = field.to_string(),
                why = why
            ))
        };
        let value: serde_json::Value = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| bad(e.to_string()))?
        } else {
            let mut lines = text.lines();
            let first = lines.next().map(str::trim);
            if first != Some("kezek journal head") && first != Some("kezek journal head v2") {
                return Err(bad(tr!("err-audit-not-head-first-line")));
            }
            let mut map = serde_json::Map::new();
            for line in lines.filter(|l| !l.trim().is_empty()) {
                let (k, v) = line
                    .split_once(':')
                    .ok_or_else(|| bad(tr!("err-audit-not-head-line", line = line.to_string())))?;
                let k = k.trim().replace('-', "_");
                let v = v.trim();
                let v = match (k.as_str(), v.parse::<i64>()) {
                    ("seq" | "tree_size", Ok(n)) => serde_json::Value::from(n),
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
                .ok_or_else(|| bad(tr!("err-audit-not-head-no", key = k.to_string())))
        };
        let optional = |k: &str| value.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let head = SignedHead {
            seq: value
                .get("seq")
                .and_then(|x| x.as_i64())
                .ok_or_else(|| bad(tr!("err-audit-not-head-no", key = "seq")))?,
            hash: s("hash")?,
            tree_size: value.get("tree_size").and_then(|x| x.as_i64()),
            root: optional("root"),
            previous: optional("previous"),
            officer: s("officer")?,
            key_fingerprint: s("key_fingerprint")?,
            signed_at: s("signed_at")?,
            signature: s("signature")?,
        };
        head.checkpoint().map_err(|e| bad(e.to_string()))?;
        Ok(head)
    }
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub(super) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// The latest signed head, for `audit head`.
pub fn latest_head(db: &impl Access) -> Result<Option<SignedHead>> {
    type Row = (
        i64,
        Vec<u8>,
        String,
        String,
        Vec<u8>,
        String,
        Option<i64>,
        Option<Vec<u8>>,
        Option<i64>,
        Option<Vec<u8>>,
    );
    let row: Option<Row> = conn(db)
        .query_row(
            "SELECT h.seq, h.hash, h.officer, h.signed_at, h.signature, o.public_key, h.tree_size, h.root,
                    h.previous, p.hash
             FROM journal_head h JOIN officer o ON o.id = h.officer LEFT JOIN journal p ON p.seq = h.previous
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
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            },
        )
        .optional()?;
    let Some((
        seq,
        hash,
        officer,
        signed_at,
        signature,
        public_pem,
        tree_size,
        root,
        previous,
        previous_hash,
    )) = row
    else {
        return Ok(None);
    };
    let key = PublicKey::from_pem("officer.public_key", &public_pem)?;
    let previous = tree_size.map(|_| match (previous, previous_hash) {
        (Some(seq), Some(hash)) => format!("{seq} {}", crypto::hex(&hash)),
        _ => "none".to_string(),
    });
    Ok(Some(SignedHead {
        seq,
        hash: crypto::hex(&hash),
        tree_size,
        root: root.map(|r| crypto::hex(&r)),
        previous,
        officer,
        key_fingerprint: key.fingerprint(),
        signed_at,
        signature: base64_encode(&signature),
    }))
}
