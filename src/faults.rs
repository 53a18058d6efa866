//! Deliberate faults, for the reliability suites to prove that they catch what they claim to catch.
//!
//! A fault is switched on by naming it in `KEZEK_FAULT` (a comma-separated list) for the binary, or with
//! [`with`] for code running in the same thread. Faults exist only in builds with the `faults` feature, which
//! `cargo test` turns on (a dev-dependency of kezek on itself) for the library and the binary the tests drive,
//! in debug and release builds alike. A build without it (`cargo build`, `cargo install`, whatever the profile)
//! has no faults: [`active`] is the constant `false` and the test hooks do nothing, so no environment of an
//! officer's terminal or cron job can weaken the binary that holds the queue.

use std::time::Duration;

/// The faults the suites know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// An import commits every 1,000 rows instead of once at the end (the crash suite must catch it).
    ImportCommitsEvery1000,
    /// An import that found bad rows keeps the good ones (the hostile-input suite must catch it).
    ImportKeepsGoodRows,
    /// `direction issue` checks the facts it read before its write transaction began (the race suite).
    ReadOutsideTransaction,
    /// `audit verify` checks the journal's chain and heads but not the state rows (the tamper suite).
    AuditSkipsRows,
    /// Every RSA signature verifies (the forgery suite).
    SignatureAlwaysValid,
    /// Lists, exports and refusals show IINs in full instead of masked (the personal-data suite).
    IinsUnmasked,
    /// kezek takes a database Litestream replicates for one it does not: commits checkpoint, `db purge`
    /// truncates the log (the replication suite).
    CheckpointsUnderLitestream,
    /// Events are written without their public record and Merkle leaf, as before the public log (the audit must
    /// catch it; the benchmark's `--log-cost` measures the log's cost with it).
    NoPublicRecord,
    /// Not a fault but the large file's way taken by a small one: an import stages and sorts its rows however
    /// few keep their numbers (`SortedLoad`), so that the tests of that way need no file of a few hundred
    /// thousand rows; the database it leaves must be the same.
    ImportSortsEveryLoad,
}

impl Fault {
    pub const ALL: [Fault; 9] = [
        Fault::ImportCommitsEvery1000,
        Fault::ImportKeepsGoodRows,
        Fault::ReadOutsideTransaction,
        Fault::AuditSkipsRows,
        Fault::SignatureAlwaysValid,
        Fault::IinsUnmasked,
        Fault::CheckpointsUnderLitestream,
        Fault::NoPublicRecord,
        Fault::ImportSortsEveryLoad,
    ];

    /// The name `KEZEK_FAULT` uses.
    pub fn name(self) -> &'static str {
        match self {
            Fault::ImportCommitsEvery1000 => "import-commits-every-1000",
            Fault::ImportKeepsGoodRows => "import-keeps-good-rows",
            Fault::ReadOutsideTransaction => "read-outside-transaction",
            Fault::AuditSkipsRows => "audit-skips-rows",
            Fault::SignatureAlwaysValid => "signature-always-valid",
            Fault::IinsUnmasked => "iins-unmasked",
            Fault::CheckpointsUnderLitestream => "checkpoints-under-litestream",
            Fault::NoPublicRecord => "no-public-record",
            Fault::ImportSortsEveryLoad => "import-sorts-every-load",
        }
    }
}

#[cfg(feature = "faults")]
thread_local! {
    static SWITCHED_ON: std::cell::RefCell<Vec<Fault>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether `fault` is switched on. Always `false` in a build without the `faults` feature.
#[cfg(feature = "faults")]
pub fn active(fault: Fault) -> bool {
    SWITCHED_ON.with(|s| s.borrow().contains(&fault))
        || std::env::var("KEZEK_FAULT")
            .map(|v| v.split(',').any(|n| n.trim() == fault.name()))
            .unwrap_or(false)
}

/// Whether `fault` is switched on. Always `false` in a build without the `faults` feature.
#[cfg(not(feature = "faults"))]
#[inline(always)]
pub fn active(_fault: Fault) -> bool {
    false
}

/// Runs `f` with `fault` switched on in this thread (for in-process tests of the library).
#[cfg(feature = "faults")]
pub fn with<T>(fault: Fault, f: impl FnOnce() -> T) -> T {
    struct Off(Fault);
    impl Drop for Off {
        fn drop(&mut self) {
            SWITCHED_ON.with(|s| s.borrow_mut().retain(|x| *x != self.0));
        }
    }
    SWITCHED_ON.with(|s| s.borrow_mut().push(fault));
    let _off = Off(fault);
    f()
}

/// A pause between what a command has read and what it writes (`KEZEK_TEST_PAUSE_MS`), so that the race suite
/// can make commands overlap. Nothing in a build without the `faults` feature.
pub fn pause() {
    #[cfg(feature = "faults")]
    if let Some(ms) = std::env::var("KEZEK_TEST_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
    #[cfg(not(feature = "faults"))]
    let _ = Duration::ZERO;
}

/// A full disk for the tests (`KEZEK_TEST_MAX_PAGES`): the database may not grow beyond that many pages
/// (SQLite's `max_page_count`, which never goes below the file's present size), so that a write needing one
/// more page fails as on a full disk, with SQLite's own `SQLITE_FULL`, and goes through the same mapping and
/// rollback. `None` in a build without the `faults` feature.
pub fn max_pages() -> Option<u64> {
    #[cfg(feature = "faults")]
    return std::env::var("KEZEK_TEST_MAX_PAGES")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    #[cfg(not(feature = "faults"))]
    None
}

/// Test-only trace of a changing command's write transaction: when `KEZEK_TEST_MARKS` names a file, `begin`
/// (the write lock is held) and `commit` (the transaction is durable) are appended to it, so that the crash
/// suite knows whether its kill landed inside the transaction. Nothing in a build without the `faults`
/// feature.
pub fn mark(stage: &str) {
    #[cfg(feature = "faults")]
    if let Some(path) = std::env::var_os("KEZEK_TEST_MARKS") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{stage}");
        }
    }
    #[cfg(not(feature = "faults"))]
    let _ = stage;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_off_unless_switched_on() {
        for f in Fault::ALL {
            assert!(!active(f), "{} is on without being asked", f.name());
        }
        #[cfg(feature = "faults")]
        {
            assert!(with(Fault::AuditSkipsRows, || active(
                Fault::AuditSkipsRows
            )));
            assert!(!active(Fault::AuditSkipsRows));
        }
    }

    #[test]
    fn fault_names_are_distinct() {
        let names: std::collections::HashSet<_> = Fault::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names.len(), Fault::ALL.len());
    }
}
