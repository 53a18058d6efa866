//! A signed head as `audit head` publishes it and `audit verify --head` reads it back.

use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::crypto::{self, PublicKey};
use crate::error::{Error, Result};
use crate::store::access::{conn, Access};

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

pub(super) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// The latest signed head, for `audit head`.
pub fn latest_head(db: &impl Access) -> Result<Option<SignedHead>> {
    type HeadAndKey = (i64, Vec<u8>, String, String, Vec<u8>, String);
    let row: Option<HeadAndKey> = conn(db)
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
