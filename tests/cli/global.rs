//! Global flags, exit codes, output conventions and the database file itself.

use crate::common::city::City;
use crate::common::env::{stderr, TestEnv};

#[test]
fn init_creates_the_database_with_mode_0600_and_is_harmless_twice() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::bare();
    let first = env.kezek(&["init"]).success();
    assert!(stderr(&first).contains("created"), "{}", stderr(&first));
    let mode = std::fs::metadata(&env.db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let before = env.snapshot();
    let second = env.kezek(&["init"]).success();
    assert!(
        stderr(&second).contains("nothing to do"),
        "{}",
        stderr(&second)
    );
    assert_eq!(env.snapshot(), before);
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sql"))
        .unwrap()
        .count();
    assert_eq!(env.count("PRAGMA user_version"), migrations as i64);
}

#[test]
fn every_connection_uses_wal_and_the_schema_is_versioned() {
    let env = TestEnv::new();
    let mode: String = env
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(env.count("PRAGMA application_id"), 0x4B5A_454B);
}

#[test]
fn schema_checks_statuses_and_kinds_as_a_last_line_of_defence() {
    let env = TestEnv::new();
    let err = env
        .conn()
        .execute(
            "INSERT INTO org (code, name, kind, district, added_at) VALUES ('X', 'n', 'municipal', 'd', 't')",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
    let err = env
        .conn()
        .execute(
            "INSERT INTO calendar_day (date, kind) VALUES ('2026-01-05', 'vacation')",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
}

#[test]
fn a_missing_database_is_not_found_and_not_created() {
    let env = TestEnv::bare();
    let out = env.kezek(&["org", "list"]).code(4);
    assert!(stderr(&out).contains("kezek init"), "{}", stderr(&out));
    assert!(!env.db.exists());
}

#[test]
fn a_foreign_sqlite_file_is_refused() {
    let env = TestEnv::bare();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute("CREATE TABLE t (x)", []).unwrap();
    drop(conn);
    let out = env.kezek(&["init"]).code(65);
    assert!(
        stderr(&out).contains("not a kezek database"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn r_t2_malformed_now_is_bad_input_naming_the_flag() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["org", "list"])
        .env("KEZEK_NOW", "16.03.2026")
        .assert()
        .code(65);
    assert!(stderr(&out).contains("--now"), "{}", stderr(&out));
}

#[test]
fn r_t2_the_journal_records_the_effective_and_the_real_time() {
    let env = TestEnv::with_officer();
    let (effective, real): (String, String) = env
        .conn()
        .query_row(
            "SELECT effective_at, recorded_at FROM journal WHERE kind = 'officer.add'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(effective, "2026-03-16T10:00:00+05:00");
    assert_ne!(real, effective);
    assert!(real.ends_with("+05:00"), "{real}");
}

#[test]
fn unknown_flags_are_usage_errors() {
    let env = TestEnv::new();
    env.kezek(&["org", "list", "--colour"]).code(2);
    env.kezek(&["org", "list", "--format", "xml"]).code(2);
}

#[test]
fn help_version_and_completions_never_touch_the_database() {
    let env = TestEnv::bare();
    env.kezek(&["--help"]).success();
    env.kezek(&["--version"]).success();
    env.kezek(&["org", "import", "--help"]).success();
    let out = env.stdout(&["completions", "bash"]);
    assert!(out.contains("kezek"), "{out}");
    assert!(!env.db.exists());
}

#[test]
fn quiet_silences_status_but_not_errors() {
    let env = TestEnv::bare();
    let out = env.kezek(&["init", "--quiet"]).success();
    assert_eq!(stderr(&out), "");
    let out = env
        .kezek(&["settings", "set", "nope", "1", "--quiet"])
        .code(2);
    assert!(stderr(&out).contains("nope"));
}

#[test]
fn broken_pipe_is_success() {
    let env = City::builder().build().env;
    // `true` exits at once, so kezek writes into a closed pipe: that must be a quiet success.
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' org list --format csv | true; echo ${{PIPESTATUS[0]}}",
            assert_cmd::cargo::cargo_bin("kezek").display()
        ))
        .env("KEZEK_DB", &env.db)
        .env("KEZEK_NOW", "2026-03-16")
        .output()
        .unwrap();
    let code = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(
        code,
        "0",
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn destructive_commands_refuse_without_a_terminal_and_without_yes() {
    let env = TestEnv::with_officer();
    env.add_officer("sadykov");
    let before = env.snapshot();
    let out = env.kezek(&["officer", "deactivate", "sadykov"]).code(2);
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert_eq!(env.snapshot(), before);
    env.kezek(&["officer", "deactivate", "sadykov", "--yes"])
        .success();
}

/// An empty `KEZEK_NOW` (a cron line or script that sets it to nothing) counts as unset, as an empty
/// `KEZEK_OFFICER` or `KEZEK_KEY` does: the real clock.
#[test]
fn r_t2_an_empty_kezek_now_is_the_real_clock() {
    let env = TestEnv::with_officer();
    let out = env
        .cmd()
        .env("KEZEK_NOW", "")
        .args(["history", "ivanova", "--format", "json"])
        .assert()
        .success();
    let events: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(events.as_array().is_some_and(|e| !e.is_empty()), "{events}");
    env.cmd()
        .env("KEZEK_NOW", "  ")
        .args(["settings", "show"])
        .assert()
        .success();
}

/// An empty `KEZEK_KEY` or `KEZEK_DB` counts as unset too: a read command runs, a changing command asks for the
/// key, and the database is the default one.
#[test]
fn r_a5_an_empty_kezek_key_or_db_counts_as_unset() {
    let env = TestEnv::with_officer();
    env.cmd()
        .env("KEZEK_KEY", "")
        .args(["settings", "show"])
        .assert()
        .success();
    let before = env.snapshot();
    let out = env
        .cmd()
        .env("KEZEK_KEY", "")
        .args(["settings", "set", "offer_window", "10:00-18:00"])
        .assert()
        .code(2);
    assert!(stderr(&out).contains("--key"), "{}", stderr(&out));
    assert_eq!(env.snapshot(), before);
    let elsewhere = env.path("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let out = env
        .cmd()
        .env("KEZEK_DB", "")
        .current_dir(&elsewhere)
        .args(["settings", "show"])
        .assert()
        .code(4);
    assert!(stderr(&out).contains("./kezek.db"), "{}", stderr(&out));
}
