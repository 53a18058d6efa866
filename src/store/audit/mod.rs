//! The audit (R-A5, R-A6): `verify` recomputes the journal's chain, checks every head signature against the
//! officer's registered key, and checks that every row of every state table has exactly the digest its latest
//! event recorded: an edited row, a row inserted without an event and a deleted row are all caught. A journal
//! cut short (tail events and their heads removed) leaves a valid shorter chain; a published head catches it.
//!
//! `head` is the published head, `chain` the journal and its signatures, `rows` one table's rows against the
//! journal, `parallel` the rows shared among connections, `trust` the signers' keys at each seq (R-A7).

mod chain;
mod head;
mod log;
mod parallel;
mod rows;
mod trust;

use serde::Serialize;

pub use head::{latest_head, SignedHead};
pub use trust::Anchor;

use crate::error::{Error, Result};
use crate::faults::{self, Fault};
use crate::store::access::{conn, Access};
use crate::store::applications::check_queue_counts;
use crate::store::db::Db;
use crate::store::journal::last_event;
use crate::tr;

/// What `audit verify` checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub events: u64,
    pub heads: u64,
    pub rows: u64,
    pub last_seq: i64,
    pub last_hash: String,
    pub published_head: Option<i64>,
}

/// How `verify` shares the state rows among connections: the application table is checked in `workers` key
/// ranges when it holds at least `min_rows` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSplit {
    pub workers: usize,
    pub min_rows: i64,
}

impl Default for RowSplit {
    /// One range per processor (at most 8), for tables of 50,000 rows or more: below that a split costs more
    /// than it saves.
    fn default() -> RowSplit {
        RowSplit {
            workers: std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8)),
            min_rows: 50_000,
        }
    }
}

/// R-A6: proves the database was changed only through kezek, or names the first problem found.
pub fn verify(db: &impl Access, published: Option<&SignedHead>) -> Result<VerifyReport> {
    verify_anchored(db, published, None, RowSplit::default())
}

/// `kezek db check`: SQLite's integrity and foreign-key checks and the queue counts (the first problem is named,
/// exit 65), then `verify` on one snapshot.
pub fn check_database(
    db: &mut Db,
    published: Option<&SignedHead>,
    anchor: Option<&Anchor>,
) -> Result<VerifyReport> {
    let mut problems = db.sqlite_checks()?;
    problems.extend(check_queue_counts(db)?);
    if let Some(first) = problems.first() {
        return Err(Error::Tampered(tr!(
            "err-audit-problems",
            first = first.clone(),
            count = problems.len() as i64
        )));
    }
    db.snapshot(|s| verify_anchored(s, published, anchor, RowSplit::default()))
}

/// `verify` with the state rows shared as `split` says; the verdict is the same however they are shared.
pub fn verify_with(
    db: &impl Access,
    published: Option<&SignedHead>,
    split: RowSplit,
) -> Result<VerifyReport> {
    verify_anchored(db, published, None, split)
}

/// `verify` with the trust chain anchored outside the database (`--trust FILE`, R-A7).
pub fn verify_anchored(
    db: &impl Access,
    published: Option<&SignedHead>,
    anchor: Option<&Anchor>,
    split: RowSplit,
) -> Result<VerifyReport> {
    let conn = conn(db);
    // The chain and the state rows are independent checks of the same snapshot: the rows are checked on other
    // connections and threads (the largest table split by key range), once each is shown to see the same journal
    // head as this one.
    let head = last_event(conn)?;
    // A connection in the middle of its own write transaction is checked on itself: another connection
    // would not see its uncommitted rows.
    let writing = conn.transaction_state(None::<&str>)? == rusqlite::TransactionState::Write;
    let path = conn
        .path()
        .filter(|p| !p.is_empty() && !writing)
        .map(str::to_string);
    let skip_rows = faults::active(Fault::AuditSkipsRows);
    std::thread::scope(|scope| {
        let rows = scope.spawn(move || {
            let p = path?;
            parallel::verify_rows_in_parallel(&p, head, split, skip_rows)
        });
        chain::verify_chain(conn, published, anchor, rows)
    })
}
