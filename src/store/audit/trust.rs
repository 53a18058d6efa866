//! Step 3 of `verify`, walked with the chain (R-A7, R-A8): each head is checked against the key its signer had at
//! that seq, as the journal's own officer events say (`domain::trust`), not against today's officer table.
//!
//! Keys are named in the journal by their fingerprints (`officer.add`, `officer.rotate_key`); the key itself
//! comes from the event's details (`public_key`), or from the officer table only when its fingerprint is the one
//! the journal named (the events of earlier versions carry the fingerprint alone). Every event a head closes must
//! be the signer's: one command, one officer, one signature.

use std::collections::HashMap;

use super::head::SignedHead;
use crate::crypto::PublicKey;
use crate::domain::role::Standing;
use crate::domain::trust::{Fact, TrustChain};
use crate::error::{Error, Result};
use crate::store::journal::EventFields;
use crate::tr;

/// Where the trust chain is anchored from outside the database (`--trust FILE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The first officer's key must be this one.
    Key(PublicKey),
    /// A published head: it must be part of the chain, signed by a key the chain trusts (as `--head` checks).
    Head(SignedHead),
}

impl Anchor {
    /// Reads `--trust FILE`: a public key PEM, or a head published with `audit head`.
    pub fn parse(field: &str, text: &str) -> Result<Anchor> {
        if text.trim_start().starts_with("-----BEGIN PUBLIC KEY-----") {
            Ok(Anchor::Key(PublicKey::from_pem(field, text)?))
        } else {
            Ok(Anchor::Head(SignedHead::parse(field, text)?))
        }
    }
}

/// The officers as the journal has told of them so far.
pub(super) struct Officers {
    chain: TrustChain,
    /// Every key the journal or the officer table offers, by fingerprint.
    keys: HashMap<String, PublicKey>,
    /// The officers whose events the next head closes, with the first such event of each.
    span: Vec<(String, i64)>,
}

impl Officers {
    /// `table_keys`: the keys of the officer table, usable only where the journal names their fingerprints.
    pub(super) fn new(anchor: Option<&Anchor>, table_keys: Vec<PublicKey>) -> Officers {
        let pinned = match anchor {
            Some(Anchor::Key(k)) => Some(k.fingerprint()),
            _ => None,
        };
        Officers {
            chain: TrustChain::new(pinned),
            keys: table_keys
                .into_iter()
                .map(|k| (k.fingerprint(), k))
                .collect(),
            span: Vec::new(),
        }
    }

    /// Takes one (verified) event of the chain: the officer facts it states, and that its officer's role at
    /// this seq allows its kind (R-R3).
    pub(super) fn event(&mut self, seq: i64, e: &EventFields) -> Result<()> {
        if let Some(officer) = &e.officer {
            if !self.span.iter().any(|(o, _)| o == officer) {
                self.span.push((officer.clone(), seq));
            }
        }
        let kind = e.kind.as_str();
        // A role change is judged by the role its officer had before it; every other event after the facts it
        // states (the first officer's own registration makes them the admin who registers themselves).
        if kind == "officer.set_role" {
            self.acted(seq, e)?;
        }
        if kind.starts_with("officer.") {
            self.officer_event(seq, e)?;
        }
        if kind != "officer.set_role" {
            self.acted(seq, e)?;
        }
        Ok(())
    }

    fn acted(&mut self, seq: i64, e: &EventFields) -> Result<()> {
        match &e.officer {
            Some(officer) => self
                .chain
                .take(&Fact::Acted {
                    seq,
                    officer,
                    kind: &e.kind,
                })
                .map(|_| ())
                .map_err(|r| Error::Tampered(r.0)),
            None => Ok(()),
        }
    }

    /// The facts of an `officer.*` event, from its details.
    fn officer_event(&mut self, seq: i64, e: &EventFields) -> Result<()> {
        let details: serde_json::Value = serde_json::from_str(&e.details).unwrap_or_default();
        let text = |name: &str| details.get(name).and_then(|v| v.as_str());
        for pem in ["public_key", "previous_public_key"] {
            if let Some(pem) = text(pem) {
                let key = PublicKey::from_pem("public_key", pem).map_err(|_| {
                    Error::Tampered(tr!(
                        "err-audit-bad-key",
                        seq = seq,
                        kind = e.kind.clone(),
                        key = pem.to_string()
                    ))
                })?;
                self.keys.insert(key.fingerprint(), key);
            }
        }
        let officer = e.subject.as_str();
        let fingerprint = text("fingerprint").unwrap_or_default();
        let bad_role = || {
            Error::Tampered(tr!(
                "err-audit-bad-role",
                seq = seq,
                kind = e.kind.clone(),
                role = text("role").unwrap_or_default().to_string()
            ))
        };
        let result = match e.kind.as_str() {
            "officer.add" => {
                let standing = Standing::recorded(
                    text("role"),
                    text("district").unwrap_or_default(),
                    text("org"),
                )
                .ok_or_else(bad_role)?;
                self.chain.take(&Fact::Registered {
                    seq,
                    officer,
                    fingerprint,
                    standing,
                })
            }
            "officer.rotate_key" => self.chain.take(&Fact::Rotated {
                seq,
                officer,
                fingerprint,
            }),
            "officer.set_role" => {
                let role = Standing::recorded(text("role"), "", None)
                    .filter(|_| text("role").is_some())
                    .ok_or_else(bad_role)?
                    .role;
                self.chain.take(&Fact::RoleSet {
                    seq,
                    officer,
                    role,
                    org: text("org"),
                })
            }
            "officer.deactivate" => self.chain.take(&Fact::Deactivated { seq, officer }),
            _ => return Ok(()),
        };
        result.map(|_| ()).map_err(|r| Error::Tampered(r.0))
    }

    /// Checks the head signed at `seq` over `message`, and that it closes only its signer's events.
    pub(super) fn head(
        &mut self,
        seq: i64,
        officer: &str,
        message: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        if let Some((other, event)) = self.span.iter().find(|(o, _)| o != officer) {
            return Err(Error::Tampered(tr!(
                "err-audit-head-other-officer",
                seq = seq,
                officer = officer.to_string(),
                event = *event,
                other = other.clone()
            )));
        }
        self.span.clear();
        let fingerprint = self
            .chain
            .take(&Fact::Head { seq, officer })
            .map_err(|r| Error::Tampered(r.0))?
            .expect("a head names its key");
        let key = self.key(seq, officer, &fingerprint)?;
        if !key.verify(message, signature) {
            return Err(Error::Tampered(tr!(
                "err-audit-head-signature",
                seq = seq,
                officer = officer.to_string(),
                fingerprint = fingerprint
            )));
        }
        Ok(())
    }

    fn key(&self, seq: i64, officer: &str, fingerprint: &str) -> Result<&PublicKey> {
        self.keys.get(fingerprint).ok_or_else(|| {
            Error::Tampered(tr!(
                "err-audit-head-key-swapped",
                seq = seq,
                officer = officer.to_string(),
                fingerprint = fingerprint.to_string()
            ))
        })
    }

    /// The key `officer` had at `seq` if the chain trusts it and its fingerprint is `fingerprint`: for a published
    /// head or a `--trust` head.
    pub(super) fn trusted(&self, officer: &str, seq: i64, fingerprint: &str) -> Option<&PublicKey> {
        (self.chain.trusted_key_of(officer, seq)? == fingerprint)
            .then(|| self.keys.get(fingerprint))
            .flatten()
    }
}
