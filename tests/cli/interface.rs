//! The smaller points of the officer's interface (issue of the officer's interface): a mistyped value is a
//! usage error, `--quiet` silences stderr only, the first officer can be added whatever KEZEK_OFFICER says, a
//! setting set to what it is journals nothing, and `db check` answers in JSON when asked.

use crate::common::city::officer_add;
use crate::common::env::{stderr, TestEnv};

#[test]
fn a_mistyped_status_is_a_usage_error_naming_the_values() {
    let env = TestEnv::with_officer();
    for args in [
        &["application", "list", "--status", "queud"][..],
        &["application", "list", "--queue-type", "generl"],
        &["direction", "list", "--status", "isued"],
        &["place", "list", "--status", "fre"],
    ] {
        let out = env.kezek(args).code(2);
        let err = stderr(&out);
        assert!(err.contains("possible values"), "{args:?}: {err}");
    }
}

#[test]
fn quiet_silences_stderr_and_keeps_a_report_asked_for_as_json() {
    let env = TestEnv::with_officer();
    let out = env
        .cmd()
        .args([
            "--now",
            "2026-03-17T01:30",
            "sweep",
            "--quiet",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["date"], "2026-03-17", "{report}");
    // The table of a quiet sweep (cron's) stays unprinted.
    let out = env
        .cmd()
        .args(["--now", "2026-03-18T01:30", "sweep", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn the_first_officer_is_added_whatever_kezek_officer_says() {
    let env = TestEnv::new();
    let (key, public) = env.key("ivanova");
    env.cmd()
        .env("KEZEK_OFFICER", "sweep")
        .args(officer_add("ivanova", &public, Some(&key)))
        .assert()
        .success();
    assert_eq!(env.count("SELECT count(*) FROM officer"), 1);
}

#[test]
fn a_setting_set_to_its_value_journals_nothing() {
    let env = TestEnv::with_officer();
    env.kezek(&["settings", "set", "general_per_first_priority", "2"])
        .success();
    let events = env.count("SELECT count(*) FROM journal");
    let out = env
        .kezek(&["settings", "set", "general_per_first_priority", "2"])
        .success();
    assert!(stderr(&out).contains("unchanged"), "{}", stderr(&out));
    assert_eq!(env.count("SELECT count(*) FROM journal"), events);
}

#[test]
fn db_check_answers_in_json() {
    let env = TestEnv::with_officer();
    let report = env.json(&["db", "check"]);
    assert!(report["events"].as_u64().unwrap() > 0, "{report}");
    assert!(report["last_hash"].is_string(), "{report}");
}
