//! `db backup` and `db check`.

use std::os::unix::fs::PermissionsExt;

use crate::env::{stderr, TestEnv};

#[test]
fn db_backup_is_a_consistent_verifiable_copy_with_mode_0600() {
    let env = TestEnv::with_officer();
    env.kezek(&[
        "org",
        "import",
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/orgs.csv"),
    ])
    .success();
    env.kezek(&["db", "backup", "copy.db"]).success();
    let copy = env.path("copy.db");
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let out = env
        .cmd()
        .env("KEZEK_DB", &copy)
        .args(["audit", "verify"])
        .assert()
        .success();
    assert!(stderr(&out).contains("audit ok"), "{}", stderr(&out));
    let orgs: i64 = rusqlite::Connection::open(&copy)
        .unwrap()
        .query_row("SELECT count(*) FROM org", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orgs, 43);
    // Never overwrites.
    env.kezek(&["db", "backup", "copy.db"]).code(2);
}

#[test]
fn db_backup_while_another_process_writes() {
    let env = TestEnv::with_officer();
    // A writer holds the database in an open transaction: the backup still copies the committed state.
    let writer = env.conn();
    writer
        .execute_batch(
            "BEGIN IMMEDIATE; UPDATE setting SET value = '9' WHERE key = 'max_age_years';",
        )
        .unwrap();
    env.kezek(&["db", "backup", "during.db"]).success();
    writer.execute_batch("ROLLBACK").unwrap();
    env.cmd()
        .env("KEZEK_DB", env.path("during.db"))
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn db_check_reports_integrity_and_the_audit() {
    let env = TestEnv::with_officer();
    let out = env.kezek(&["db", "check"]).success();
    let text = stderr(&out);
    assert!(
        text.contains("integrity ok") && text.contains("foreign keys ok"),
        "{text}"
    );
}

#[test]
fn a_busy_database_gives_exit_75_and_writes_nothing() {
    let env = TestEnv::with_officer();
    let holder = env.conn();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let before = std::time::Instant::now();
    let out = env
        .kezek(&["settings", "set", "max_age_years", "6"])
        .code(75);
    assert!(stderr(&out).contains("busy"), "{}", stderr(&out));
    assert!(before.elapsed().as_secs() < 30);
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(
        env.count("SELECT count(*) FROM setting WHERE key = 'max_age_years' AND value = '7'"),
        1
    );
}
