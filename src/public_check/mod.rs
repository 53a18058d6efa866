//! `kezek audit public DIR` (R-V5): checks a publication without the database. Every record is canonical and in
//! its place; the root recomputed from the log is the checkpoint's; the checkpoint is signed by a key the trust
//! chain (R-A7), replayed from the log's own officer records and `officers.json`, trusts; an earlier checkpoint
//! (`--previous`) is a prefix of this log (append-only); the queues of `queues/*.csv` are those the log's
//! application rows give in R-Q2 order; no registration is back-dated beyond `backdate_minutes` (10), and every
//! application import after the first is listed with its back-dated rows. The first violation is named by
//! file, line or seq and rule (exit 65).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::crypto::{self, PublicKey};
use crate::domain::canonical::is_canonical;
use crate::domain::merkle::{leaf_hash, Frontier};
use crate::domain::record::{map_rows, table_of, Record, Row};
use crate::domain::role::Standing;
use crate::domain::trust::{Fact, TrustChain};
use crate::error::{Error, Result};
use crate::store::audit::SignedHead;
use crate::tr;

mod allocation;
mod app;
mod keys;
mod queues;
mod word;
use allocation::Allocations;
use app::{App, AppRow, Apps, Unreadable};
use keys::{officer_keys, verify_signed};
use queues::{check_queues, offer_round, Windows};

/// Rows read on two threads at a time: enough to share the work, few enough to bound what waits in memory.
const ROWS_PER_BATCH: usize = 1 << 16;

/// How far a registration's time may lie before the time its event was recorded (R-V5, `backdate_minutes`).
pub const BACKDATE_MINUTES: i64 = 10;

/// What `audit public` checked.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PublicReport {
    pub records: i64,
    pub root: String,
    pub signer: String,
    pub previous: Option<i64>,
    pub queues: usize,
    pub applications: usize,
    /// Application imports after the first, with how many of their rows are back-dated (R-V5: a warning).
    pub later_imports: Vec<LaterImport>,
    /// Offer rounds replayed (R-V5, R-P3).
    pub offer_rounds: usize,
    /// Allocation runs replayed by serial dictatorship (R-C2).
    pub allocation_runs: usize,
    /// Exchange runs replayed by Top Trading Cycles (R-C4).
    pub exchange_runs: usize,
    /// Queued applications ahead of the last one an offer round notified that the round passed over and said so
    /// (R-D5: the child attends an organization; R-C6: under the minimum age; R-C5: twins with no organization
    /// holding a place for each); any other is refused.
    pub passed_over: Vec<PassedOver>,
    /// `--explain NUMBER`: the position explained from the publication alone (R-V7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<crate::domain::explain::Explanation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PassedOver {
    pub seq: i64,
    pub number: String,
    pub notified_after_it: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LaterImport {
    pub seq: i64,
    pub rows: usize,
    pub backdated: usize,
}

pub(super) fn bad(what: impl Into<String>) -> Error {
    Error::Tampered(what.into())
}

fn moment(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

pub fn check(
    dir: &Path,
    previous: Option<&SignedHead>,
    trust: Option<&PublicKey>,
    explain: Option<&str>,
) -> Result<PublicReport> {
    let checkpoint_path = dir.join("checkpoint");
    let text = std::fs::read_to_string(&checkpoint_path)
        .map_err(|e| Error::io(format!("{}", checkpoint_path.display()), e))?;
    let checkpoint = SignedHead::parse(&checkpoint_path.display().to_string(), &text)?;
    let c = checkpoint.checkpoint()?.ok_or_else(|| {
        Error::bad(tr!(
            "err-public-not-checkpoint",
            path = checkpoint_path.display().to_string()
        ))
    })?;
    let keys = officer_keys(dir)?;
    let mut replay = Replay {
        keys: &keys,
        chain: TrustChain::new(trust.map(|k| k.fingerprint())),
        apps: Apps::default(),
        windows: Windows::default(),
        allocations: Allocations::default(),
        k: 3,
        imports: 0,
        report: PublicReport::default(),
    };
    let mut frontier = Frontier::default();
    let mut previous_root = None;
    let mut seq = 0i64;
    for file in 0.. {
        let path = dir.join("log").join(format!("{file:06}.jsonl"));
        let Ok(bytes) = std::fs::read(&path) else {
            break;
        };
        let text = String::from_utf8(bytes).map_err(|_| {
            bad(tr!(
                "err-public-not-utf8",
                path = path.display().to_string()
            ))
        })?;
        let lines: Vec<&str> = text.split_terminator('\n').collect();
        // Each line's form and leaf hash on a second thread, while this one replays the records.
        let (leaves, replayed) = std::thread::scope(|scope| {
            let leaves = scope.spawn(|| {
                lines
                    .iter()
                    .map(|line| is_canonical(line).then(|| leaf_hash(line.as_bytes())))
                    .collect::<Vec<_>>()
            });
            let replayed = replay.file(&lines, seq, &path);
            (leaves.join().expect("the hashing thread ends"), replayed)
        });
        let not_canonical = leaves.iter().position(Option::is_none);
        match (not_canonical, replayed) {
            (Some(i), Err((j, _))) | (Some(i), Ok(j)) if i < j => {
                return Err(bad(tr!(
                    "err-public-not-canonical",
                    path = path.display().to_string(),
                    line = i as i64 + 1,
                    seq = seq + i as i64 + 1
                )));
            }
            (_, Err((_, e))) => return Err(e),
            _ => {}
        }
        for leaf in leaves.into_iter().flatten() {
            seq += 1;
            frontier.push(leaf);
            if previous.and_then(|p| p.tree_size) == Some(seq) {
                previous_root = Some(frontier.root());
            }
        }
        if lines.len() as i64 != crate::publish::RECORDS_PER_FILE {
            break;
        }
    }
    if seq != c.tree_size {
        return Err(bad(tr!(
            "err-public-size",
            path = dir.join("log").display().to_string(),
            seq = seq,
            size = c.tree_size
        )));
    }
    if frontier.root() != c.root {
        return Err(bad(tr!(
            "err-public-root",
            path = checkpoint_path.display().to_string(),
            seq = seq
        )));
    }
    let Replay {
        mut chain,
        apps,
        allocations,
        k,
        mut report,
        ..
    } = replay;
    report.allocation_runs = allocations.runs;
    report.exchange_runs = allocations.exchanges;
    let fingerprint = chain
        .take(&Fact::Head {
            seq: c.seq,
            officer: &c.officer,
        })
        .map_err(|r| bad(format!("{}: {}", checkpoint_path.display(), r.0)))?
        .expect("a head names its key");
    verify_signed(
        &checkpoint,
        &keys,
        &fingerprint,
        &checkpoint_path.display().to_string(),
    )?;
    if let Some(p) = previous {
        let pc = p
            .checkpoint()?
            .ok_or_else(|| Error::bad(tr!("err-public-not-checkpoint", path = "--previous")))?;
        let key = chain
            .trusted_key_of(&pc.officer, pc.seq)
            .map(str::to_string)
            .unwrap_or_default();
        verify_signed(p, &keys, &key, "--previous")?;
        if previous_root != Some(pc.root) {
            return Err(bad(tr!(
                "err-public-previous-rewritten",
                size = pc.tree_size
            )));
        }
        report.previous = Some(pc.tree_size);
    }
    report.queues = check_queues(dir, &apps, k)?;
    if let Some(number) = explain {
        let app = apps.get(number).ok_or_else(|| {
            Error::NotFound(tr!("err-public-app-not-found", number = number.to_string()))
        })?;
        let mut explainer = crate::domain::explain::Explainer::new(
            number,
            (app.queue_type.to_string(), app.group_year),
            None,
            "registration",
        );
        each_line(dir, |line| {
            let record = Record::parse(line).map_err(bad)?;
            explainer.record(&record);
            Ok(())
        })?;
        report.explain = Some(explainer.finish());
    }
    report.records = seq;
    report.root = crypto::hex(&c.root);
    report.signer = c.officer;
    report.applications = apps.len();
    // A million applications take a second to free: that is done beside the report, not before it.
    std::thread::spawn(move || drop(apps));
    Ok(report)
}

/// The state a publication's records build up as they are replayed in seq order.
struct Replay<'k> {
    keys: &'k BTreeMap<i64, (String, PublicKey)>,
    chain: TrustChain,
    apps: Apps,
    windows: Windows,
    allocations: Allocations,
    /// The interleave in force (`general_per_first_priority`).
    k: u32,
    imports: usize,
    report: PublicReport,
}

impl Replay<'_> {
    /// Replays the lines of one log file, whose first record is event `before + 1`. On a violation, the index of
    /// the line and the error.
    fn file(
        &mut self,
        lines: &[&str],
        before: i64,
        path: &Path,
    ) -> std::result::Result<usize, (usize, Error)> {
        for (i, line) in lines.iter().enumerate() {
            let seq = before + i as i64 + 1;
            let at = format!("{}:{}", path.display(), i + 1);
            self.line(line, seq, &at).map_err(|e| (i, e))?;
        }
        Ok(lines.len())
    }

    fn line(&mut self, line: &str, seq: i64, at: &str) -> Result<()> {
        let record = Record::parse(line).map_err(|e| {
            bad(tr!(
                "err-public-not-record",
                at = at.to_string(),
                error = e.to_string()
            ))
        })?;
        if record.seq != seq {
            return Err(bad(tr!(
                "err-public-wrong-seq",
                at = at.to_string(),
                got = record.seq,
                seq = seq
            )));
        }
        self.windows.check(&record, seq, at)?;
        self.allocations
            .check(&record, seq, at, &self.apps, self.k)?;
        self.allocations
            .check_exchange(&record, seq, at, &self.apps)?;
        self.take(&record, seq, at)?;
        self.windows.take(&record);
        Ok(())
    }

    /// Takes one record: the trust chain's facts, the application rows, the interleave setting, the back-dating rule.
    fn take(&mut self, record: &Record, seq: i64, at: &str) -> Result<()> {
        let Replay {
            keys,
            chain,
            apps,
            allocations,
            k,
            imports,
            report,
            ..
        } = self;
        let kind = record.kind.as_ref();
        let subject = record.subject.as_ref();
        let refused = |r: crate::domain::trust::Refusal| bad(format!("{at}: {}", r.0));
        // The officer row this record leaves behind: its role, district and organization (R-R1); none before
        // roles existed, whose officers are admins.
        let officer_row = || -> Result<Option<Standing>> {
            let Some(raw) = record.rows.iter().find(|r| table_of(r) == Some("officer")) else {
                return Ok(None);
            };
            let row = Row::parse(raw).map_err(|e| bad(format!("{at}: seq {seq}: {e} (R-V1)")))?;
            let (role, district, org) =
                (row.field("role"), row.field("district"), row.field("org"));
            Standing::recorded(
                role.as_str(),
                district.as_str().unwrap_or_default(),
                org.as_str(),
            )
            .map(Some)
            .ok_or_else(|| {
                bad(format!(
                    "{at}: {}",
                    tr!(
                        "err-audit-bad-role",
                        seq = seq,
                        kind = kind.to_string(),
                        role = role.to_string()
                    )
                ))
            })
        };
        // A role change is judged by the role its officer had before it (R-R3).
        let acted = |chain: &mut TrustChain| -> Result<()> {
            if let Some(officer) = record.officer.as_deref() {
                chain
                    .take(&Fact::Acted { seq, officer, kind })
                    .map_err(refused)?;
            }
            Ok(())
        };
        if kind == "officer.set_role" {
            acted(chain)?;
        }
        match kind {
            "officer.add" | "officer.rotate_key" => {
                let (officer, key) = keys
                    .get(&seq)
                    .ok_or_else(|| bad(tr!("err-public-no-key", seq = seq)))?;
                if officer != subject {
                    return Err(bad(tr!(
                        "err-public-key-not-officers",
                        seq = seq,
                        officer = subject.to_string()
                    )));
                }
                let fingerprint = key.fingerprint();
                let fact = if kind == "officer.add" {
                    Fact::Registered {
                        seq,
                        officer: subject,
                        fingerprint: &fingerprint,
                        standing: officer_row()?.unwrap_or(Standing {
                            role: crate::domain::role::Role::Admin,
                            district: String::new(),
                            org: None,
                        }),
                    }
                } else {
                    Fact::Rotated {
                        seq,
                        officer: subject,
                        fingerprint: &fingerprint,
                    }
                };
                chain.take(&fact).map_err(refused)?;
            }
            "officer.set_role" => {
                let standing = officer_row()?.ok_or_else(|| {
                    bad(format!(
                        "{at}: {}",
                        tr!("err-public-no-officer-row", seq = seq)
                    ))
                })?;
                chain
                    .take(&Fact::RoleSet {
                        seq,
                        officer: subject,
                        role: standing.role,
                        org: standing.org.as_deref(),
                    })
                    .map_err(refused)?;
            }
            "officer.deactivate" => {
                chain
                    .take(&Fact::Deactivated {
                        seq,
                        officer: subject,
                    })
                    .map_err(refused)?;
            }
            _ => {}
        }
        if kind != "officer.set_role" {
            acted(chain)?;
        }
        // The acting officer signed a head covering this event (R-A5): it must be trusted and active here.
        if let Some(officer) = record.officer.as_deref() {
            chain.take(&Fact::Head { seq, officer }).map_err(refused)?;
        }
        if kind == "offer.round" {
            offer_round(record, seq, at, apps, *k, report)?;
        }
        let recorded = moment(&record.recorded_at);
        let backdated_at = |when: DateTime<FixedOffset>| {
            recorded.is_some_and(|r| when < r - chrono::Duration::minutes(BACKDATE_MINUTES))
        };
        let (mut rows, mut backdated) = (0, 0);
        apps.reserve(record.rows.len());
        // The rows in batches, each read on two threads, then taken in order.
        for batch in record.rows.chunks(ROWS_PER_BATCH) {
            let read = map_rows(batch, |raw| {
                (table_of(raw) == Some("application")).then(|| AppRow::read(raw))
            });
            for (raw, app) in batch.iter().zip(read) {
                let Some(app) = app else {
                    match table_of(raw) {
                        Some(table @ ("place" | "org")) => allocations.take(table, raw),
                        Some("setting") => {
                            let row = Row::parse(raw)
                                .map_err(|e| bad(format!("{at}: seq {seq}: {e} (R-V1)")))?;
                            if row.key.get() == "\"general_per_first_priority\"" {
                                if let Some(v) =
                                    row.field("value").as_str().and_then(|v| v.parse().ok())
                                {
                                    *k = v;
                                }
                            }
                        }
                        _ => {}
                    }
                    continue;
                };
                let (number, app) = match app {
                    Ok(AppRow::Shown(number, app)) => (number, app),
                    Ok(AppRow::Deleted(number)) => {
                        apps.remove(number.as_ref());
                        continue;
                    }
                    Ok(AppRow::Unshown) => continue,
                    Err(Unreadable::Fields(error)) => {
                        return Err(bad(tr!(
                            "err-public-app-fields",
                            at = at.to_string(),
                            seq = seq,
                            error = error
                        )))
                    }
                    Err(Unreadable::Time(number)) => {
                        return Err(bad(tr!(
                            "err-public-app-time",
                            at = at.to_string(),
                            number = number.to_string()
                        )))
                    }
                };
                if kind == "application.register" && backdated_at(app.at) {
                    return Err(bad(tr!(
                        "err-public-backdated",
                        at = at.to_string(),
                        seq = seq,
                        number = number.to_string(),
                        registered = app.registered_at.to_string(),
                        minutes = BACKDATE_MINUTES
                    )));
                }
                if kind == "application.import" {
                    rows += 1;
                    if backdated_at(app.at) {
                        backdated += 1;
                    }
                }
                apps.insert(&number, app);
            }
        }
        if kind == "application.import" {
            *imports += 1;
            if *imports > 1 {
                report.later_imports.push(LaterImport {
                    seq,
                    rows,
                    backdated,
                });
            }
        }
        Ok(())
    }
}

/// Every line of the log, in order (the log has been checked by then).
fn each_line(dir: &Path, mut each: impl FnMut(&str) -> Result<()>) -> Result<()> {
    for file in 0.. {
        let path = dir.join("log").join(format!("{file:06}.jsonl"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(());
        };
        for line in text.split_terminator('\n') {
            each(line)?;
        }
    }
    Ok(())
}
