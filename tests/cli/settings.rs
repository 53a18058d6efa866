//! `kezek settings show | set` (SPEC §2a) and `kezek category list`.

use predicates::str::contains;
use serde_json::Value;

use crate::common::env::{stderr, TestEnv};

/// SPEC §2a: every key and its default.
const DEFAULTS: [(&str, &str); 16] = [
    ("max_age_years", "7"),
    ("general_per_first_priority", "3"),
    ("offer_window", "09:00-20:00"),
    ("direction_valid_working_days", "5"),
    ("stop_list_working_days", "10"),
    ("max_expirations", "2"),
    ("extension_max_days", "30"),
    ("revocation_hours", "24"),
    ("benefit_doc_max_age_days", "10"),
    ("private_min_age_years", "3"),
    ("min_age_years", "2"),
    ("max_preferences", "4"),
    ("allocation", "offer"),
    ("benefit_confirm_working_days", "5"),
    ("benefit_doc_valid_days", "30"),
    ("backdate_minutes", "10"),
];

/// A JSON value as text: strings as they are, numbers as digits (a setting may be either in JSON).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The value of one setting in `settings show --format json`.
fn setting(env: &TestEnv, key: &str) -> String {
    let list = env.json(&["settings", "show"]);
    let row = list
        .as_array()
        .expect("a JSON array")
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("{key} listed in {list}"));
    text(&row["value"])
}

#[test]
fn settings_show_json_has_every_key_with_its_default() {
    let env = TestEnv::with_officer();
    let list = env.json(&["settings", "show"]);
    let rows = list.as_array().expect("a JSON array");
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["key"].as_str().unwrap().to_string(), text(&r["value"])))
        .collect();
    let want: Vec<(String, String)> = DEFAULTS
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(got, want);
    for row in rows {
        assert_eq!(text(&row["default"]), text(&row["value"]), "{row}");
        assert!(
            row["rule"].as_str().unwrap().starts_with("R-"),
            "every setting names its rule: {row}"
        );
    }
}

#[test]
fn settings_show_table_lists_every_key() {
    let env = TestEnv::with_officer();
    let out = env.stdout(&["settings", "show"]);
    for (key, _) in DEFAULTS {
        assert!(out.contains(key), "{key} missing from: {out}");
    }
}

#[test]
fn settings_set_then_show_and_history() {
    let env = TestEnv::with_officer();
    let events = env.count("SELECT count(*) FROM journal");
    env.kezek(&["settings", "set", "general_per_first_priority", "4"])
        .success()
        .stderr(contains("general_per_first_priority"));
    assert_eq!(setting(&env, "general_per_first_priority"), "4");
    assert_eq!(env.count("SELECT count(*) FROM journal"), events + 1);
    // The others keep their defaults.
    assert_eq!(setting(&env, "max_age_years"), "7");

    let history = env.json(&["history", "general_per_first_priority"]);
    let set: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "settings.set")
        .collect();
    assert_eq!(set.len(), 1, "{history}");
    assert_eq!(set[0]["officer"], "ivanova");
    assert_eq!(set[0]["subject"], "general_per_first_priority");
    assert_eq!(text(&set[0]["details"]["from"]), "3", "{history}");
    assert_eq!(text(&set[0]["details"]["to"]), "4", "{history}");
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn settings_set_twice_journals_each_change() {
    let env = TestEnv::with_officer();
    env.kezek(&["settings", "set", "max_age_years", "6"])
        .success();
    env.kezek(&["settings", "set", "max_age_years", "8"])
        .success();
    assert_eq!(setting(&env, "max_age_years"), "8");
    let history = env.json(&["history", "max_age_years"]);
    let changes: Vec<(String, String)> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "settings.set")
        .map(|e| (text(&e["details"]["from"]), text(&e["details"]["to"])))
        .collect();
    assert_eq!(
        changes,
        [("7".to_string(), "6".to_string()), ("6".into(), "8".into())]
    );
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn settings_set_unknown_key_is_a_usage_error_listing_the_keys() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env.kezek(&["settings", "set", "max_age", "5"]).code(2);
    let err = stderr(&assert);
    assert!(err.contains("max_age"), "{err}");
    for (key, _) in DEFAULTS {
        assert!(err.contains(key), "{key} missing from: {err}");
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn settings_set_out_of_range_is_bad_input_naming_the_key() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    for (key, value) in [
        ("max_expirations", "0"),
        ("offer_window", "20:00-09:00"),
        ("revocation_hours", "abc"),
        ("offer_window", "09:00"),
        ("offer_window", "25:00-26:00"),
        ("general_per_first_priority", "101"),
        ("max_age_years", "7.5"),
    ] {
        let assert = env.kezek(&["settings", "set", key, value]).code(65);
        let err = stderr(&assert);
        assert!(err.contains(key), "{key} {value}: {err}");
        assert!(err.contains(value), "{key} {value}: {err}");
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn settings_set_offer_window_is_stored_normalized() {
    let env = TestEnv::with_officer();
    env.kezek(&["settings", "set", "offer_window", "8:00-18:30"])
        .success();
    assert_eq!(setting(&env, "offer_window"), "08:00-18:30");
    let history = env.json(&["history", "offer_window"]);
    let set = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "settings.set")
        .expect("a settings.set event");
    assert_eq!(text(&set["details"]["from"]), "09:00-20:00");
    assert_eq!(text(&set["details"]["to"]), "08:00-18:30");
}

#[test]
fn settings_set_without_a_key_is_a_usage_error() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .cmd()
        .env_remove("KEZEK_KEY")
        .args(["settings", "set", "general_per_first_priority", "4"])
        .assert()
        .code(2);
    let err = stderr(&assert);
    assert!(err.contains("--key"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn settings_set_without_officer_is_a_usage_error() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .cmd()
        .env_remove("KEZEK_OFFICER")
        .args(["settings", "set", "general_per_first_priority", "4"])
        .assert()
        .code(2);
    assert!(stderr(&assert).contains("--officer"), "{}", stderr(&assert));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_a5_settings_set_with_another_officers_key_is_refused() {
    let env = TestEnv::with_officer();
    let (sadykov_key, _) = env.key("sadykov");
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["settings", "set", "general_per_first_priority", "4"])
        .arg("--key")
        .arg(&sadykov_key)
        .assert()
        .code(3);
    let err = stderr(&assert);
    assert!(err.contains("R-A5"), "{err}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(setting(&env, "general_per_first_priority"), "3");
}

#[test]
fn r_a5_settings_set_with_a_registered_colleagues_key_is_refused() {
    let env = TestEnv::with_officer();
    env.add_officer("sadykov");
    let (sadykov_key, _) = env.key("sadykov");
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["settings", "set", "max_expirations", "3"])
        .arg("--key")
        .arg(&sadykov_key)
        .assert()
        .code(3);
    assert!(stderr(&assert).contains("R-A5"), "{}", stderr(&assert));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn category_list_has_three_out_of_turn_and_seven_first_priority() {
    let env = TestEnv::with_officer();
    let list = env.json(&["category", "list"]);
    let rows = list.as_array().expect("a JSON array");
    assert_eq!(rows.len(), 10, "{list}");
    let of_class = |class: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r["priority_class"] == class)
            .map(|r| r["name"].as_str().unwrap())
            .collect()
    };
    let mut out_of_turn = of_class("out_of_turn");
    out_of_turn.sort();
    assert_eq!(
        out_of_turn,
        ["fallen_in_service", "military", "special_state_body"]
    );
    assert_eq!(of_class("first_priority").len(), 7);
    for row in rows {
        assert!(!row["title_ru"].as_str().unwrap_or("").is_empty(), "{row}");
    }
}

#[test]
fn settings_set_a_negative_value_is_out_of_range_not_a_flag() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let out = env
        .kezek(&["settings", "set", "general_per_first_priority", "-1"])
        .code(65);
    assert!(
        stderr(&out).contains("general_per_first_priority"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.snapshot(), before);
}
