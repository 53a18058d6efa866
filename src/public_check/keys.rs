//! The keys of a publication (`officers.json`, each checked against its fingerprint) and the check of a signed
//! checkpoint against them (R-V5).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::bad;
use crate::crypto::PublicKey;
use crate::error::{Error, Result};
use crate::store::audit::SignedHead;
use crate::tr;

/// `officers.json`: the key registered at each seq, with its officer.
pub(super) fn officer_keys(dir: &Path) -> Result<BTreeMap<i64, (String, PublicKey)>> {
    let path = dir.join("officers.json");
    let text =
        std::fs::read_to_string(&path).map_err(|e| Error::io(format!("{}", path.display()), e))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        bad(tr!(
            "err-public-not-json",
            path = path.display().to_string(),
            error = e.to_string()
        ))
    })?;
    let mut out = BTreeMap::new();
    for entry in value["officers"].as_array().into_iter().flatten() {
        let pem = entry["public_key"].as_str().unwrap_or_default();
        let key = PublicKey::from_pem("public_key", pem).map_err(|_| {
            bad(tr!(
                "err-public-not-key",
                path = path.display().to_string(),
                seq = entry["seq"].to_string()
            ))
        })?;
        if entry["fingerprint"].as_str() != Some(key.fingerprint().as_str()) {
            return Err(bad(tr!(
                "err-public-fingerprint",
                path = path.display().to_string(),
                seq = entry["seq"].to_string()
            )));
        }
        out.insert(
            entry["seq"].as_i64().unwrap_or_default(),
            (
                entry["officer"].as_str().unwrap_or_default().to_string(),
                key,
            ),
        );
    }
    Ok(out)
}

pub(super) fn verify_signed(
    head: &SignedHead,
    keys: &BTreeMap<i64, (String, PublicKey)>,
    fingerprint: &str,
    what: &str,
) -> Result<()> {
    let key = keys
        .values()
        .map(|(_, k)| k)
        .find(|k| k.fingerprint() == fingerprint);
    let signature = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(&head.signature)
            .unwrap_or_default()
    };
    let genuine = head.key_fingerprint == fingerprint
        && key.is_some_and(|k| {
            head.message()
                .is_ok_and(|m| k.verify(m.as_bytes(), &signature))
        });
    if !genuine {
        return Err(bad(tr!(
            "err-public-not-signed",
            what = what.to_string(),
            officer = head.officer.clone()
        )));
    }
    Ok(())
}
