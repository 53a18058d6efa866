//! Officers and keys (R-A1, R-A2).

use std::os::unix::fs::PermissionsExt;

use crate::common::env::{stderr, TestEnv};

#[test]
fn r_a1_keygen_writes_a_private_key_0600_and_a_public_key() {
    let env = TestEnv::bare();
    let out = env.json(&["officer", "keygen", "--out", "keys", "--bits", "2048"]);
    let key = env.path("keys/officer.key");
    let public = env.path("keys/officer.pub");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let key_text = std::fs::read_to_string(&key).unwrap();
    assert!(
        key_text.starts_with("-----BEGIN PRIVATE KEY-----"),
        "PKCS#8 PEM"
    );
    let pub_text = std::fs::read_to_string(&public).unwrap();
    assert!(
        pub_text.starts_with("-----BEGIN PUBLIC KEY-----"),
        "SubjectPublicKeyInfo PEM"
    );
    assert_eq!(out["fingerprint"].as_str().unwrap().len(), 64);
    // openssl reads both, when it is installed.
    if let Ok(o) = std::process::Command::new("openssl")
        .args(["pkey", "-in"])
        .arg(&key)
        .arg("-noout")
        .output()
    {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn r_a1_keygen_refuses_short_keys_and_never_overwrites() {
    let env = TestEnv::bare();
    env.kezek(&["officer", "keygen", "--out", "k", "--bits", "1024"])
        .code(2);
    env.kezek(&["officer", "keygen", "--out", "k", "--bits", "2048"])
        .success();
    let before = std::fs::read(env.path("k/officer.key")).unwrap();
    let out = env
        .kezek(&["officer", "keygen", "--out", "k", "--bits", "2048"])
        .code(2);
    assert!(
        stderr(&out).contains("never overwrites"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(env.path("k/officer.key")).unwrap(), before);
}

#[test]
fn r_a1_the_private_key_never_enters_the_database() {
    let env = TestEnv::with_officer();
    let (key, _) = env.key("ivanova");
    let text = std::fs::read_to_string(key).unwrap();
    let body: String = text.lines().nth(2).unwrap().to_string();
    assert!(!env.snapshot().contains(&body));
    assert_eq!(
        env.count("SELECT count(*) FROM officer WHERE public_key LIKE '%PRIVATE%'"),
        0
    );
}

#[test]
fn r_a1_a_key_readable_by_others_is_refused_for_signing() {
    let env = TestEnv::with_officer();
    let (key, _) = env.key("ivanova");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = env.snapshot();
    let out = env
        .kezek(&["settings", "set", "max_age_years", "6"])
        .code(3);
    assert!(stderr(&out).contains("R-A1"), "{}", stderr(&out));
    assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_a2_the_first_officer_needs_no_officer_but_their_own_key() {
    let env = TestEnv::new();
    env.add_first_officer("ivanova");
    let list = env.json(&["officer", "list"]);
    assert_eq!(list[0]["id"], "ivanova");
    assert_eq!(list[0]["active"], true);
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn r_a2_the_first_officer_must_sign_with_the_key_being_registered() {
    let env = TestEnv::new();
    let (_, public) = env.key("ivanova");
    let (other_key, _) = env.key("sadykov");
    let out = env
        .cmd()
        .args([
            "officer",
            "add",
            "--id",
            "ivanova",
            "--name",
            "И",
            "--district",
            "Д",
            "--public-key",
        ])
        .arg(&public)
        .arg("--key")
        .arg(&other_key)
        .assert()
        .code(3);
    assert!(stderr(&out).contains("R-A5"), "{}", stderr(&out));
    assert_eq!(env.count("SELECT count(*) FROM officer"), 0);
}

#[test]
fn r_a2_once_an_officer_exists_adding_another_needs_an_acting_officer() {
    let env = TestEnv::with_officer();
    let (key, public) = env.key("sadykov");
    let before = env.snapshot();
    let out = env
        .cmd()
        .env_remove("KEZEK_OFFICER")
        .args([
            "officer",
            "add",
            "--id",
            "sadykov",
            "--name",
            "С",
            "--district",
            "Д",
            "--role",
            "officer",
            "--public-key",
        ])
        .arg(&public)
        .arg("--key")
        .arg(&key)
        .assert()
        .code(3);
    assert!(stderr(&out).contains("R-A2"), "{}", stderr(&out));
    assert_eq!(env.snapshot(), before);
    env.add_officer("sadykov");
    assert_eq!(env.count("SELECT count(*) FROM officer"), 2);
}

#[test]
fn r_a2_an_unknown_officer_is_refused() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let out = env
        .cmd()
        .args([
            "settings",
            "set",
            "max_age_years",
            "6",
            "--officer",
            "nobody",
        ])
        .assert()
        .code(3);
    assert!(
        stderr(&out).contains("R-A2: unknown officer 'nobody'"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_a2_an_inactive_officer_is_refused() {
    let mut env = TestEnv::with_officer();
    env.add_officer("sadykov");
    env.kezek(&["officer", "deactivate", "sadykov", "--yes"])
        .success();
    env.act_as("sadykov");
    let before = env.snapshot();
    let out = env
        .kezek(&["settings", "set", "max_age_years", "6"])
        .code(3);
    assert!(
        stderr(&out).contains("R-A2: officer 'sadykov' is inactive"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_a2_a_change_without_officer_is_a_usage_error() {
    let env = TestEnv::with_officer();
    let out = env
        .cmd()
        .env_remove("KEZEK_OFFICER")
        .args(["settings", "set", "max_age_years", "6"])
        .assert()
        .code(2);
    assert!(stderr(&out).contains("--officer"), "{}", stderr(&out));
}

#[test]
fn r_a5_a_key_that_is_not_the_officers_is_refused() {
    let env = TestEnv::with_officer();
    let (other, _) = env.key("sadykov");
    let before = env.snapshot();
    let out = env
        .cmd()
        .args(["settings", "set", "max_age_years", "6", "--key"])
        .arg(&other)
        .assert()
        .code(3);
    assert!(stderr(&out).contains("R-A5"), "{}", stderr(&out));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_missing_key_file_is_not_found_and_a_garbage_key_is_bad_input() {
    let env = TestEnv::with_officer();
    let out = env
        .kezek(&["settings", "set", "max_age_years", "6", "--key", "nope.key"])
        .code(4);
    assert!(stderr(&out).contains("--key"), "{}", stderr(&out));
    let garbage = env.write("garbage.key", "not a key");
    std::fs::set_permissions(&garbage, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = env
        .cmd()
        .args(["settings", "set", "max_age_years", "6", "--key"])
        .arg(&garbage)
        .assert()
        .code(65);
    assert!(stderr(&out).contains("--key"), "{}", stderr(&out));
}

#[test]
fn officer_add_checks_its_fields_and_key() {
    let env = TestEnv::with_officer();
    let (_, public) = env.key("sadykov");
    let add = |id: &str, public: &std::path::Path| {
        env.cmd()
            .args([
                "officer",
                "add",
                "--id",
                id,
                "--name",
                "С",
                "--district",
                "Медеуский",
                "--role",
                "officer",
                "--public-key",
            ])
            .arg(public)
            .assert()
    };
    let out = add("bad id", &public).code(65);
    assert!(stderr(&out).contains("id:"), "{}", stderr(&out));
    let out = add("ivanova", &public).code(65);
    assert!(stderr(&out).contains("exists already"), "{}", stderr(&out));
    let (_, ivanova_pub) = env.key("ivanova");
    let out = add("twin", &ivanova_pub).code(65);
    assert!(
        stderr(&out).contains("registered to officer 'ivanova'"),
        "{}",
        stderr(&out)
    );
    let not_a_key = env.write("x.pub", "hello");
    add("x", &not_a_key).code(65);
    add("y", &env.path("missing.pub")).code(4);
}

#[test]
fn officer_deactivate_keeps_the_last_active_officer() {
    let env = TestEnv::with_officer();
    let out = env
        .kezek(&["officer", "deactivate", "ivanova", "--yes"])
        .code(3);
    assert!(
        stderr(&out).contains("last active officer"),
        "{}",
        stderr(&out)
    );
    env.kezek(&["officer", "deactivate", "nobody", "--yes"])
        .code(4);
}
