//! The trust chain (R-A7): which officer key may sign a head at each point of the journal, decided from the
//! journal's own events, never from today's officer table.
//!
//! The first officer is the anchor (and `--trust` can pin the anchor's key from outside the database). Any
//! other key, whether an officer's first or a rotated one, is trusted only once a head signed by an officer
//! already trusted at that point, who is not the officer whose key it is, covers the event that registered it. A
//! head must be signed by an active officer with the key that officer had at the head's seq, and that key must be
//! trusted. So a row inserted into `officer`, a swapped key or a deactivated officer's key can never make a
//! forged history verify.
//!
//! Keys are named here by their fingerprints; the audit checks the signatures with the keys they name.

use std::collections::HashMap;

use super::role::{Role, Standing};
use crate::tr;

/// What the journal says about officers and heads, in seq order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact<'a> {
    /// `officer.add` at `seq`: `officer` registered with the key `fingerprint`, in `standing` (an officer
    /// registered before roles existed is an `admin`).
    Registered {
        seq: i64,
        officer: &'a str,
        fingerprint: &'a str,
        standing: Standing,
    },
    /// `officer.set_role` at `seq`: `officer`'s role and organization are these from here on (R-R3).
    RoleSet {
        seq: i64,
        officer: &'a str,
        role: Role,
        org: Option<&'a str>,
    },
    /// An event of `kind` made by `officer` at `seq`: their role then must allow it (R-R3).
    Acted {
        seq: i64,
        officer: &'a str,
        kind: &'a str,
    },
    /// `officer.rotate_key` at `seq`: `officer`'s key is `fingerprint` from here on.
    Rotated {
        seq: i64,
        officer: &'a str,
        fingerprint: &'a str,
    },
    /// `officer.deactivate` at `seq`.
    Deactivated { seq: i64, officer: &'a str },
    /// A head signed at `seq` by `officer`.
    Head { seq: i64, officer: &'a str },
}

/// Why the chain refuses a fact; the message names the rule, the officer and the seq.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

#[derive(Debug, Clone)]
struct Key {
    fingerprint: String,
    registered_at: i64,
    trusted: bool,
}

#[derive(Debug, Clone, Default)]
struct Officer {
    /// Every key the officer has had, oldest first; the last is the current one.
    keys: Vec<Key>,
    active: bool,
    standing: Option<Standing>,
}

/// The trust chain being walked through the journal.
#[derive(Debug, Clone, Default)]
pub struct TrustChain {
    officers: HashMap<String, Officer>,
    anchor: Option<String>,
}

impl TrustChain {
    /// A chain whose anchor, the first officer's key, must be `anchor` when given (`--trust`).
    pub fn new(anchor: Option<String>) -> TrustChain {
        TrustChain {
            officers: HashMap::new(),
            anchor,
        }
    }

    /// Takes one fact. For a head, returns the fingerprint of the key its signature must verify with.
    pub fn take(&mut self, fact: &Fact) -> Result<Option<String>, Refusal> {
        match *fact {
            Fact::Registered {
                seq,
                officer,
                fingerprint,
                ref standing,
            } => {
                if self.officers.contains_key(officer) {
                    return Err(Refusal(tr!(
                        "err-trust-registered-twice",
                        seq = seq,
                        officer = officer.to_string()
                    )));
                }
                let first = self.officers.is_empty();
                if first {
                    if let Some(anchor) = &self.anchor {
                        if anchor != fingerprint {
                            return Err(Refusal(tr!(
                                "err-trust-anchor",
                                officer = officer.to_string(),
                                seq = seq,
                                fingerprint = fingerprint.to_string(),
                                anchor = anchor.clone()
                            )));
                        }
                    }
                }
                self.officers.insert(
                    officer.to_string(),
                    Officer {
                        keys: vec![Key {
                            fingerprint: fingerprint.to_string(),
                            registered_at: seq,
                            trusted: first,
                        }],
                        active: true,
                        standing: Some(standing.clone()),
                    },
                );
                Ok(None)
            }
            Fact::Rotated {
                seq,
                officer,
                fingerprint,
            } => {
                let o = self.officers.get_mut(officer).ok_or_else(|| {
                    Refusal(tr!(
                        "err-trust-rotate-unknown",
                        seq = seq,
                        officer = officer.to_string()
                    ))
                })?;
                o.keys.push(Key {
                    fingerprint: fingerprint.to_string(),
                    registered_at: seq,
                    trusted: false,
                });
                Ok(None)
            }
            Fact::Deactivated { seq, officer } => {
                let o = self.officers.get_mut(officer).ok_or_else(|| {
                    Refusal(tr!(
                        "err-trust-deactivate-unknown",
                        seq = seq,
                        officer = officer.to_string()
                    ))
                })?;
                o.active = false;
                Ok(None)
            }
            Fact::RoleSet {
                seq,
                officer,
                role,
                org,
            } => {
                let standing = self
                    .officers
                    .get_mut(officer)
                    .and_then(|o| o.standing.as_mut())
                    .ok_or_else(|| {
                        Refusal(tr!(
                            "err-trust-role-unknown",
                            seq = seq,
                            officer = officer.to_string()
                        ))
                    })?;
                standing.role = role;
                standing.org = org.map(str::to_string);
                Ok(None)
            }
            Fact::Acted { seq, officer, kind } => self.acted(seq, officer, kind).map(|_| None),
            Fact::Head { seq, officer } => self.head(seq, officer).map(Some),
        }
    }

    /// An event by `officer`: their role at `seq` must allow its kind (R-R3).
    fn acted(&self, seq: i64, officer: &str, kind: &str) -> Result<(), Refusal> {
        let standing = self
            .officers
            .get(officer)
            .and_then(|o| o.standing.as_ref())
            .ok_or_else(|| {
                Refusal(tr!(
                    "err-trust-acted-unknown",
                    seq = seq,
                    officer = officer.to_string(),
                    kind = kind.to_string()
                ))
            })?;
        match standing.may_write(kind) {
            Some(true) => Ok(()),
            Some(false) => Err(Refusal(tr!(
                "err-trust-role-refused",
                seq = seq,
                kind = kind.to_string(),
                officer = officer.to_string(),
                role = standing.role.as_str(),
                district = standing.district.clone()
            ))),
            None => Err(Refusal(tr!(
                "err-trust-kind-unknown",
                seq = seq,
                kind = kind.to_string()
            ))),
        }
    }

    fn head(&mut self, seq: i64, signer: &str) -> Result<String, Refusal> {
        let o = self.officers.get(signer).ok_or_else(|| {
            Refusal(tr!(
                "err-trust-head-unknown",
                seq = seq,
                officer = signer.to_string()
            ))
        })?;
        if !o.active {
            return Err(Refusal(tr!(
                "err-trust-head-deactivated",
                seq = seq,
                officer = signer.to_string()
            )));
        }
        let key = o.keys.last().expect("an officer has a key");
        if !key.trusted {
            return Err(Refusal(tr!(
                "err-trust-head-untrusted",
                seq = seq,
                officer = signer.to_string(),
                fingerprint = key.fingerprint.clone(),
                registered = key.registered_at
            )));
        }
        let fingerprint = key.fingerprint.clone();
        // This head covers every event up to `seq`: the keys of other officers registered so far are now vouched
        // for by a trusted signer, when that signer is an `admin` (R-R3).
        if o.standing.as_ref().is_some_and(|s| s.role != Role::Admin) {
            return Ok(fingerprint);
        }
        for (id, other) in self.officers.iter_mut() {
            if id == signer {
                continue;
            }
            for k in other.keys.iter_mut().filter(|k| k.registered_at <= seq) {
                k.trusted = true;
            }
        }
        Ok(fingerprint)
    }

    /// The fingerprint of every key the chain trusted, with the seq of the event that registered it.
    pub fn trusted_keys(&self) -> Vec<(String, String, i64)> {
        let mut out: Vec<(String, String, i64)> = self
            .officers
            .iter()
            .flat_map(|(id, o)| {
                o.keys
                    .iter()
                    .filter(|k| k.trusted)
                    .map(|k| (id.clone(), k.fingerprint.clone(), k.registered_at))
            })
            .collect();
        out.sort_by_key(|(_, _, seq)| *seq);
        out
    }

    /// The fingerprint of the key `officer` had at `seq` (the latest registered at or before it), if trusted.
    pub fn trusted_key_of(&self, officer: &str, seq: i64) -> Option<&str> {
        let key = self
            .officers
            .get(officer)?
            .keys
            .iter()
            .rfind(|k| k.registered_at <= seq)?;
        key.trusted.then_some(key.fingerprint.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin() -> Standing {
        Standing {
            role: Role::Admin,
            district: "Алмалинский".into(),
            org: None,
        }
    }

    fn reg<'a>(seq: i64, officer: &'a str, fingerprint: &'a str) -> Fact<'a> {
        Fact::Registered {
            seq,
            officer,
            fingerprint,
            standing: admin(),
        }
    }

    fn head(seq: i64, officer: &str) -> Fact<'_> {
        Fact::Head { seq, officer }
    }

    fn walk(anchor: Option<&str>, facts: &[Fact]) -> Result<Vec<String>, Refusal> {
        let mut chain = TrustChain::new(anchor.map(str::to_string));
        let mut keys = Vec::new();
        for f in facts {
            keys.extend(chain.take(f)?);
        }
        Ok(keys)
    }

    #[test]
    fn r_a7_an_honest_history_verifies_with_each_signer_s_key_at_its_seq() {
        let facts = [
            reg(1, "ivanova", "A"),
            head(1, "ivanova"),
            reg(2, "omarova", "B"),
            head(2, "ivanova"),
            head(3, "omarova"),
            Fact::Rotated {
                seq: 4,
                officer: "omarova",
                fingerprint: "B2",
            },
            head(4, "ivanova"),
            head(5, "omarova"),
            Fact::Deactivated {
                seq: 6,
                officer: "ivanova",
            },
            head(6, "omarova"),
        ];
        assert_eq!(
            walk(Some("A"), &facts).unwrap(),
            ["A", "A", "B", "A", "B2", "B2"]
        );
    }

    #[test]
    fn r_a7_an_officer_who_vouches_for_their_own_key_is_refused() {
        // An officer row and its event inserted behind kezek's back, with a head signed by the new key.
        let facts = [
            reg(1, "ivanova", "A"),
            head(1, "ivanova"),
            reg(2, "intruder", "X"),
            head(2, "intruder"),
        ];
        let e = walk(None, &facts).unwrap_err();
        assert!(
            e.0.starts_with("R-A7: signed head 2 is signed by officer 'intruder'"),
            "{e:?}"
        );
    }

    #[test]
    fn r_a7_a_key_rotated_by_its_own_officer_is_not_trusted_until_another_officer_signs() {
        let mut facts = vec![
            reg(1, "ivanova", "A"),
            head(1, "ivanova"),
            reg(2, "omarova", "B"),
            head(2, "ivanova"),
            Fact::Rotated {
                seq: 3,
                officer: "omarova",
                fingerprint: "X",
            },
            head(3, "omarova"),
        ];
        assert!(walk(None, &facts).unwrap_err().0.contains("key X"));
        facts[5] = head(3, "ivanova");
        facts.push(head(4, "omarova"));
        assert_eq!(walk(None, &facts).unwrap().last().unwrap(), "X");
    }

    #[test]
    fn r_a7_a_deactivated_or_unknown_officer_signs_nothing() {
        let facts = [
            reg(1, "ivanova", "A"),
            head(1, "ivanova"),
            reg(2, "omarova", "B"),
            Fact::Deactivated {
                seq: 3,
                officer: "omarova",
            },
            head(3, "ivanova"),
            head(4, "omarova"),
        ];
        assert!(walk(None, &facts).unwrap_err().0.contains("deactivated"));
        let facts = [reg(1, "ivanova", "A"), head(1, "ghost")];
        assert!(walk(None, &facts)
            .unwrap_err()
            .0
            .contains("never registered"));
    }

    #[test]
    fn r_a7_a_pinned_anchor_refuses_a_history_rebuilt_with_another_first_key() {
        let facts = [reg(1, "ivanova", "X"), head(1, "ivanova")];
        assert!(walk(Some("A"), &facts)
            .unwrap_err()
            .0
            .contains("not the trusted anchor A"));
        assert!(walk(Some("X"), &facts).is_ok());
    }

    #[test]
    fn r_r3_an_event_outside_its_officer_s_role_at_that_seq_is_refused() {
        let service = Standing {
            role: Role::Service,
            ..admin()
        };
        let mut facts = vec![
            reg(1, "ivanova", "A"),
            Fact::Acted {
                seq: 1,
                officer: "ivanova",
                kind: "officer.add",
            },
            head(1, "ivanova"),
            Fact::Registered {
                seq: 2,
                officer: "night",
                fingerprint: "N",
                standing: service.clone(),
            },
            head(2, "ivanova"),
            Fact::Acted {
                seq: 3,
                officer: "night",
                kind: "sweep.run",
            },
            head(3, "night"),
        ];
        assert!(walk(None, &facts).is_ok());
        // The service account's role widened behind kezek's back does not change what the journal says.
        facts.push(Fact::Acted {
            seq: 4,
            officer: "night",
            kind: "settings.set",
        });
        let e = walk(None, &facts).unwrap_err();
        assert!(e.0.starts_with("R-R3: journal event 4"), "{e:?}");
        assert!(e.0.contains("service"), "{e:?}");
        // Once an admin's event makes it an admin, it may.
        facts.insert(
            7,
            Fact::RoleSet {
                seq: 4,
                officer: "night",
                role: Role::Admin,
                org: None,
            },
        );
        assert!(walk(None, &facts).is_ok());
        facts.push(Fact::Acted {
            seq: 5,
            officer: "night",
            kind: "made.up",
        });
        assert!(walk(None, &facts).unwrap_err().0.contains("made.up"));
    }

    #[test]
    fn r_r3_only_an_admin_s_head_vouches_for_a_new_key() {
        let service = Standing {
            role: Role::Service,
            ..admin()
        };
        let facts = [
            reg(1, "ivanova", "A"),
            head(1, "ivanova"),
            Fact::Registered {
                seq: 2,
                officer: "night",
                fingerprint: "N",
                standing: service,
            },
            head(2, "ivanova"),
            reg(3, "sock", "S"),
            head(3, "night"),
            head(4, "sock"),
        ];
        let e = walk(None, &facts).unwrap_err();
        assert!(e.0.contains("'sock'"), "{e:?}");
    }
}
