//! `direction verify` (R-A3): the signature, the document against the record, and whether the direction is live.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::rows::load;
use crate::crypto::PublicKey;
use crate::domain::direction as rules;
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::tr;

/// What `direction verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub number: String,
    pub status: String,
    pub signed_by: String,
    pub key_fingerprint: String,
    pub signature_valid: bool,
}

/// `direction verify` (R-A3): the signature over the stored document against the signer's registered key, and
/// the document against the direction's record. A valid signature on a direction that is no longer live is
/// refused with the rule that ended it. The document of a purged direction is a redaction record
/// (`purge::redact`): the kept signature is verified against the SHA-256 of the signed text it keeps, and the
/// direction, whose document is gone, is refused as not live.
pub fn verify(db: &impl Access, number: &str) -> Result<Verification> {
    let conn = access::conn(db);
    // A document edited into bytes that are not text is a forgery like any other, not a read error.
    let text: Option<bool> = conn
        .query_row(
            "SELECT document FROM direction WHERE number = ?1",
            [number],
            |r| Ok(std::str::from_utf8(r.get_ref(0)?.as_bytes().unwrap_or_default()).is_ok()),
        )
        .optional()?;
    if text == Some(false) {
        return Err(Error::Tampered(tr!(
            "err-directions-doc-not-text",
            number = number.to_string()
        )));
    }
    let d = load(conn, number)?;
    let pem: String = conn
        .query_row(
            "SELECT public_key FROM officer WHERE id = ?1",
            [&d.signed_by],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            Error::Tampered(tr!(
                "err-directions-unknown-signer",
                number = number.to_string(),
                officer = d.signed_by.clone()
            ))
        })?;
    let key = PublicKey::from_pem("officer.public_key", &pem)?;
    let redaction = crate::store::purge::redaction(&d.document);
    match &redaction {
        None if !key.verify(d.document.as_bytes(), &d.signature) => {
            return Err(Error::Tampered(tr!(
                "err-directions-bad-signature",
                number = number.to_string(),
                officer = d.signed_by.clone()
            )));
        }
        Some(r)
            if !r
                .digest
                .is_some_and(|digest| key.verify_digest(&digest, &d.signature)) =>
        {
            return Err(Error::Tampered(tr!(
                "err-directions-bad-purged-signature",
                number = number.to_string(),
                officer = d.signed_by.clone()
            )));
        }
        _ => {}
    }
    for (field, value) in [
        ("number", d.number.as_str()),
        ("application", d.application.as_str()),
        ("valid_until", d.valid_until.as_str()),
        ("signed_by", d.signed_by.as_str()),
    ] {
        if !d.document.lines().any(|l| l == format!("{field}: {value}")) {
            return Err(Error::Tampered(tr!(
                "err-directions-doc-field",
                number = number.to_string(),
                field = field,
                value = value.to_string()
            )));
        }
    }
    rules::check_live(
        number,
        d.status()?,
        &d.valid_until,
        d.closed_at.as_deref(),
        redaction.map(|r| r.purged).as_deref(),
    )?;
    Ok(Verification {
        number: d.number,
        status: d.status,
        signed_by: d.signed_by,
        key_fingerprint: key.fingerprint(),
        signature_valid: true,
    })
}
