//! `kezek demo`: builds a sample city from examples/, shows it, plants every finding of the integrity report,
//! and can be rerun.

use std::os::unix::fs::PermissionsExt;

use crate::common::env::{stderr, TestEnv};

#[test]
fn r_i4_demo_builds_a_verifiable_sample_city_with_every_finding_and_can_be_rerun() {
    let env = TestEnv::bare();
    let demo_db = env.path("kezek-demo.db");
    let run = || {
        env.cmd()
            .env_remove("KEZEK_DB")
            .arg("demo")
            .assert()
            .success()
    };
    let out = run();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("Медеуский"), "{stdout}");
    assert!(
        stdout.contains("2026-03-24"),
        "the Nauryz transfer is shown: {stdout}"
    );
    assert!(stdout.contains("Курбан айт"), "{stdout}");
    let status = stderr(&out);
    assert!(status.contains("imported 43 organizations"), "{status}");
    assert!(
        status.contains("valid to the end of 2026-03-26"),
        "{status}"
    );
    let key = env.path("kezek-demo.keys/officer.key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let verify = || {
        env.cmd()
            .env("KEZEK_DB", &demo_db)
            .args(["audit", "verify"])
            .assert()
            .success()
    };
    verify();
    // The commands to try run at the demo's clock: the morning after its month, so a sweep has its night to
    // do and is not "already done".
    let now = status
        .split_whitespace()
        .find_map(|w| w.strip_prefix("KEZEK_NOW="))
        .expect("the demo names its clock")
        .to_string();
    let last_day = status
        .lines()
        .find_map(|l| l.split(" --to ").nth(1))
        .map(|d| d.trim_end_matches(['(', ')', ':']).to_string())
        .expect("the month's last day");
    assert!(now > last_day, "{now} after {last_day}");
    // R-I4: the demo planted one case of every finding; the report on its database, at the demo's clock, finds
    // each (and the late import among the back-dated registrations), and the database still proves it was
    // changed only through kezek.
    let integrity = env
        .cmd()
        .env("KEZEK_DB", &demo_db)
        .env("KEZEK_NOW", &now)
        .args(["integrity", "--format", "json"])
        .assert()
        .success();
    let report: serde_json::Value =
        serde_json::from_slice(&integrity.get_output().stdout).expect("the report's JSON");
    let findings = report["findings"].as_array().expect("findings");
    for code in kezek::domain::integrity::CODES {
        assert!(
            findings.iter().any(|f| f["code"] == *code),
            "{code} planted and found: {report}"
        );
    }
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "backdated_registration"
                && f["subject"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("application import"))),
        "{report}"
    );
    env.cmd()
        .env("KEZEK_DB", &demo_db)
        .args(["db", "check"])
        .assert()
        .success();
    let sweep = env
        .cmd()
        .env("KEZEK_DB", &demo_db)
        .env("KEZEK_NOW", &now)
        .env("KEZEK_OFFICER", "demo")
        .env("KEZEK_KEY", &key)
        .arg("sweep")
        .assert()
        .success();
    assert!(
        !stderr(&sweep).contains("already done"),
        "{}",
        stderr(&sweep)
    );
    // A rerun starts again from an empty database.
    run();
    verify();
    let orgs: i64 = rusqlite::Connection::open(&demo_db)
        .unwrap()
        .query_row("SELECT count(*) FROM org", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orgs, 43);
}

#[test]
fn demo_refuses_a_database_that_is_not_a_demo() {
    let env = TestEnv::new();
    let before = env.snapshot();
    let out = env.kezek(&["demo"]).code(2);
    assert!(
        stderr(&out).contains("not a kezek demo"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.snapshot(), before);
}
