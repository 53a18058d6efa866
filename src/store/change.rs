//! One changing command: who acts (`Actor`), whether it is kept (`Mode`), and the open `Change` through which
//! the command writes its rows and journals them, ending with the actor's signature over the chain head.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, ToSql, Transaction};

use super::access::{Access, Token};
use super::journal::{self, Checkpoint, EventWriter, StateTable};
use crate::crypto::{PrivateKey, PublicKey};
use crate::domain::role::{Role, Standing, CITY_WIDE};
use crate::domain::time::{format_moment, Now};
use crate::error::{Error, Result};
use crate::tr;

/// Who is acting: an officer, or the very first officer being added (R-A2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acting {
    Officer(String),
    FirstOfficer(String),
}

/// The acting officer, the key that signs the command's chain head (R-A5), and the command as typed
/// (`direction issue`), which their role must allow (R-R2).
pub struct Actor {
    pub acting: Acting,
    pub key: Option<PrivateKey>,
    pub command: String,
}

impl Actor {
    pub fn officer_id(&self) -> &str {
        match &self.acting {
            Acting::Officer(id) | Acting::FirstOfficer(id) => id,
        }
    }
}

/// Whether a change is kept or only tried (`--dry-run`: every check runs, then everything is rolled back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Commit,
    DryRun,
}

impl Mode {
    /// `Mode::DryRun` when `--dry-run` was given.
    pub fn dry_run_if(dry_run: bool) -> Mode {
        if dry_run {
            Mode::DryRun
        } else {
            Mode::Commit
        }
    }
}

impl Access for Change<'_> {
    fn connection(&self, _: Token) -> &rusqlite::Connection {
        &self.tx
    }
}

/// An open change: one command's transaction, the actor and the effective time.
pub struct Change<'c> {
    tx: Transaction<'c>,
    officer: String,
    standing: Standing,
    command: String,
    /// The district of each organization a scope check has looked up.
    org_districts: RefCell<HashMap<String, Option<String>>>,
    now: Now,
    paused: Cell<bool>,
}

impl<'c> Change<'c> {
    /// Starts a change after checking the actor (R-A2): a known, active officer whose key is the registered
    /// one, and whose role allows the command (R-R2); or, when no officer exists yet, the first officer, an
    /// `admin`.
    pub(super) fn begin(tx: Transaction<'c>, actor: &Actor, now: &Now) -> Result<Change<'c>> {
        let standing = match &actor.acting {
            Acting::Officer(id) => {
                type Row = (String, bool, Option<String>, String, Option<String>);
                let row: Option<Row> = tx
                    .query_row(
                        "SELECT public_key, active, role, district, org FROM officer WHERE id = ?1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                    )
                    .optional()?;
                let Some((public_pem, active, role, district, org)) = row else {
                    return Err(Error::refused(
                        "R-A2",
                        tr!("err-officers-unknown", id = id.to_string()),
                    ));
                };
                if !active {
                    return Err(Error::refused(
                        "R-A2",
                        tr!("err-officers-inactive", id = id.to_string()),
                    ));
                }
                if let Some(key) = &actor.key {
                    let registered = PublicKey::from_pem("officer.public_key", &public_pem)?;
                    if key.public() != &registered {
                        return Err(Error::refused(
                            "R-A5",
                            tr!("err-officers-wrong-key", id = id.to_string()),
                        ));
                    }
                }
                let standing = Standing {
                    // An officer registered before roles existed is an admin (migration 0012).
                    role: role.map_or(Ok(Role::Admin), |r| Role::parse("officer.role", &r))?,
                    district,
                    org,
                };
                standing.may_run(id, &actor.command)?;
                standing
            }
            Acting::FirstOfficer(_) => {
                let officers: i64 =
                    tx.query_row("SELECT count(*) FROM officer", [], |r| r.get(0))?;
                if officers > 0 {
                    return Err(Error::refused("R-A2", tr!("err-officers-name-actor")));
                }
                Standing {
                    role: Role::Admin,
                    district: CITY_WIDE.to_string(),
                    org: None,
                }
            }
        };
        Ok(Change {
            tx,
            officer: actor.officer_id().to_string(),
            standing,
            command: actor.command.clone(),
            org_districts: RefCell::new(HashMap::new()),
            now: *now,
            paused: Cell::new(false),
        })
    }

    /// The acting officer's role and scope.
    pub fn standing(&self) -> &Standing {
        &self.standing
    }

    /// The command as typed.
    pub fn command(&self) -> &str {
        &self.command
    }

    /// Whether the acting officer may reach a record of `district` (R-R1, R-R2): an application's.
    pub fn may_reach_district(&self, district: &str) -> Result<()> {
        self.standing
            .may_reach_district(&self.officer, &self.command, district)
    }

    /// Whether the acting officer may reach a record of organization `org` (R-R1, R-R2): its places, its
    /// directions, its attendance. An organization that does not exist is left to the command to report.
    pub fn may_reach_org(&self, org: &str) -> Result<()> {
        let scoped = match self.standing.role {
            Role::Kindergarten => true,
            Role::Officer => self.standing.district != CITY_WIDE,
            Role::Admin | Role::Service => false,
        };
        if !scoped {
            return Ok(());
        }
        let mut cache = self.org_districts.borrow_mut();
        let district = match cache.get(org) {
            Some(d) => d.clone(),
            None => {
                let d: Option<String> = self
                    .tx
                    .query_row("SELECT district FROM org WHERE code = ?1", [org], |r| {
                        r.get(0)
                    })
                    .optional()?;
                cache.insert(org.to_string(), d.clone());
                d
            }
        };
        match district {
            Some(d) => self
                .standing
                .may_reach_org(&self.officer, &self.command, org, &d),
            // Unknown to the city: the command's own check names it; a kindergarten account still may not.
            None if self.standing.role == Role::Kindergarten => {
                self.standing
                    .may_reach_org(&self.officer, &self.command, org, "")
            }
            None => Ok(()),
        }
    }

    /// The transaction, for the store's own reads and writes.
    pub(in crate::store) fn tx(&self) -> &Transaction<'c> {
        &self.tx
    }

    pub fn now(&self) -> &Now {
        &self.now
    }

    pub fn officer(&self) -> &str {
        &self.officer
    }

    /// Appends one event recording the current state of `rows` (call it after the rows are written).
    pub fn record(
        &self,
        kind: &str,
        subject: &str,
        details: serde_json::Value,
        rows: &[(StateTable, &dyn ToSql)],
    ) -> Result<i64> {
        let mut event = self.begin_event(kind, subject, details)?;
        for (table, key) in rows {
            event.touch(*table, key)?;
        }
        event.finish()
    }

    /// Starts an event that will cover many rows (an import): `touch` each row once it is written, then
    /// `finish`. Rows are hashed as they come, so memory stays flat however many there are.
    pub fn begin_event(
        &self,
        kind: &str,
        subject: &str,
        details: serde_json::Value,
    ) -> Result<EventWriter<'_>> {
        self.pause();
        EventWriter::begin(
            &self.tx,
            &self.now,
            Some(&self.officer),
            kind,
            subject,
            &details,
            true,
        )
    }

    /// The race suite's pause between what a command has read and what it writes: once per change, at the
    /// first event (or earlier, where a command asks for it). Nothing without the `faults` feature.
    pub fn pause(&self) {
        if !self.paused.replace(true) {
            crate::faults::pause();
        }
    }

    /// Signs the chain head with the actor's key (R-A5) and commits. A change that recorded nothing signs nothing.
    /// The head is a checkpoint of the public log (R-A8, R-V2): it names the tree's size and root and the head
    /// before it.
    pub(super) fn seal_and_commit(self, key: &PrivateKey) -> Result<()> {
        if let Some((seq, hash)) = journal::last_event(&self.tx)? {
            let previous: Option<(i64, Vec<u8>)> = self
                .tx
                .query_row(
                    "SELECT h.seq, j.hash FROM journal_head h JOIN journal j ON j.seq = h.seq
                     ORDER BY h.seq DESC LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if previous.as_ref().is_none_or(|(p, _)| *p < seq) {
                // Every finished event has its leaf, so the tree's size is `seq`; the size is read, not assumed,
                // so that a change that left an event unfinished signs a checkpoint the audit refuses.
                let tree_size: i64 = self.tx.query_row(
                    "SELECT coalesce(max(idx) + 1, 0) FROM merkle_node WHERE level = 0",
                    [],
                    |r| r.get(0),
                )?;
                let checkpoint = Checkpoint {
                    seq,
                    hash,
                    tree_size,
                    root: journal::tree_root(&self.tx, tree_size as u64)?,
                    previous: previous.map(|(s, h)| (s, journal::to_hash(&h))),
                    officer: self.officer.clone(),
                    signed_at: format_moment(&self.now.real),
                };
                let signature = key.sign(checkpoint.message().as_bytes());
                self.tx.execute(
                    "INSERT INTO journal_head (seq, hash, officer, signed_at, signature, tree_size, root, previous)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        seq,
                        hash.to_vec(),
                        checkpoint.officer,
                        checkpoint.signed_at,
                        signature,
                        checkpoint.tree_size,
                        checkpoint.root.to_vec(),
                        checkpoint.previous.map(|(s, _)| s)
                    ],
                )?;
            }
        }
        self.tx.commit()?;
        Ok(())
    }

    /// The race suite's broken `direction issue` (`Fault::ReadOutsideTransaction`): leaves the write
    /// transaction before anything is written, runs `read` on a read transaction of its own, pauses, and takes
    /// the write lock again; what `read` saw may be stale by then. Called only when that fault is switched on.
    pub(in crate::store) fn read_outside_for_fault<T>(
        &self,
        read: impl FnOnce(&rusqlite::Connection) -> Result<T>,
    ) -> Result<T> {
        self.tx.execute_batch("ROLLBACK; BEGIN DEFERRED")?;
        let reading = read(&self.tx);
        self.tx.execute_batch("COMMIT")?;
        let reading = reading?;
        crate::faults::pause();
        self.tx.execute_batch("BEGIN IMMEDIATE")?;
        Ok(reading)
    }

    /// The crash suite's broken import (`Fault::ImportCommitsEvery1000`): commits what is written so far and
    /// goes on in a new transaction. Called only when that fault is switched on.
    pub(in crate::store) fn commit_midway_for_fault(&self) {
        let _ = self.tx.execute_batch("COMMIT; BEGIN IMMEDIATE");
    }

    pub(super) fn roll_back(self) -> Result<()> {
        self.tx.rollback()?;
        Ok(())
    }
}
