//! Trust anchored outside the database (R-A7): forgeries that someone with write access to the file can stage
//! with SQL and keys of their own, each of which an audit that trusted the officer table would have passed.

use kezek::crypto::PrivateKey;
use kezek::store::journal::head_message;

use crate::env::{stderr, TestEnv};

/// ivanova (the anchor), omarova and sadykov, and a few commands by each.
fn city() -> TestEnv {
    let mut env = TestEnv::with_officer();
    env.add_officer("omarova");
    env.add_officer("sadykov");
    env.kezek(&["settings", "set", "general_per_first_priority", "4"])
        .success();
    env.act_as("omarova");
    env.kezek(&["settings", "set", "max_expirations", "3"])
        .success();
    env.act_as("ivanova");
    env.kezek(&["audit", "verify"]).success();
    env
}

fn last_seq(env: &TestEnv) -> i64 {
    env.count("SELECT max(seq) FROM journal")
}

/// The binary acting as `officer` with their fixture key.
fn as_officer(env: &TestEnv, officer: &str) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.env("KEZEK_OFFICER", officer)
        .env("KEZEK_KEY", env.key(officer).0);
    cmd
}

/// Re-signs head `seq` as `officer` with the private key at `key`, as a forger holding that key would.
fn resign_with(env: &TestEnv, seq: i64, officer: &str, key: &std::path::Path) {
    let conn = env.conn();
    let hash: Vec<u8> = conn
        .query_row("SELECT hash FROM journal WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .unwrap();
    let key = PrivateKey::load(key).unwrap();
    let signature = key.sign(head_message(seq, &hash).as_bytes());
    conn.execute(
        "UPDATE journal_head SET officer = ?2, signature = ?3 WHERE seq = ?1",
        rusqlite::params![seq, officer, signature],
    )
    .unwrap();
}

/// Gives `officer` the public half of the private key at `key` in the officer table; returns the row as it was.
fn swap_key_to(env: &TestEnv, officer: &str, key: &std::path::Path) -> (String, String) {
    let public = PrivateKey::load(key).unwrap().public().clone();
    let conn = env.conn();
    let before: (String, String) = conn
        .query_row(
            "SELECT public_key, fingerprint FROM officer WHERE id = ?1",
            [officer],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    conn.execute(
        "UPDATE officer SET public_key = ?2, fingerprint = ?3 WHERE id = ?1",
        rusqlite::params![officer, public.pem, public.fingerprint()],
    )
    .unwrap();
    before
}

fn restore_key(env: &TestEnv, officer: &str, row: &(String, String)) {
    env.conn()
        .execute(
            "UPDATE officer SET public_key = ?2, fingerprint = ?3 WHERE id = ?1",
            rusqlite::params![officer, row.0, row.1],
        )
        .unwrap();
}

fn refused(env: &TestEnv) -> String {
    stderr(&env.kezek(&["audit", "verify"]).code(65))
}

/// A key pair of the forger's own, made with `officer keygen` into the test directory.
fn forger_key(env: &TestEnv, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = env.path(name);
    if !dir.exists() {
        env.cmd()
            .args(["officer", "keygen", "--bits", "2048", "--out"])
            .arg(&dir)
            .assert()
            .success();
    }
    (dir.join("officer.key"), dir.join("officer.pub"))
}

/// An officer registered behind kezek's back: ivanova's key is swapped for the forger's for one command (so that
/// kezek writes a well-formed `officer.add` naming ivanova), her row is put back, and the head is re-signed as the
/// new officer with the new officer's own key, who then acts. Every row matches its digest and every head's
/// signature verifies against the officer table; only the journal's own history shows that nobody trusted
/// vouched for the new key.
#[test]
fn r_a7_an_officer_inserted_with_a_head_of_their_own_is_refused() {
    let env = city();
    let (temp_key, _) = forger_key(&env, "forger");
    let (intruder_key, intruder_pub) = forger_key(&env, "intruder");
    let ivanova = swap_key_to(&env, "ivanova", &temp_key);
    env.cmd()
        .env("KEZEK_KEY", &temp_key)
        .args([
            "officer",
            "add",
            "--id",
            "intruder",
            "--name",
            "Нарушитель",
            "--district",
            "Медеуский",
        ])
        .arg("--public-key")
        .arg(&intruder_pub)
        .assert()
        .success();
    restore_key(&env, "ivanova", &ivanova);
    let registered = last_seq(&env);
    resign_with(&env, registered, "intruder", &intruder_key);
    env.cmd()
        .env("KEZEK_OFFICER", "intruder")
        .env("KEZEK_KEY", &intruder_key)
        .args(["settings", "set", "general_per_first_priority", "2"])
        .assert()
        .success();
    let msg = refused(&env);
    assert!(msg.contains(&format!("signed head {registered}")), "{msg}");
    // The same with the forged registration's head left as ivanova's, signed with the forger's key.
    let env = city();
    let ivanova = swap_key_to(&env, "ivanova", &temp_key);
    env.cmd()
        .env("KEZEK_KEY", &temp_key)
        .args([
            "officer",
            "add",
            "--id",
            "intruder",
            "--name",
            "Нарушитель",
            "--district",
            "Медеуский",
        ])
        .arg("--public-key")
        .arg(&intruder_pub)
        .assert()
        .success();
    restore_key(&env, "ivanova", &ivanova);
    let msg = refused(&env);
    assert!(
        msg.contains(&format!(
            "signed head {}: the signature is not officer 'ivanova''s",
            last_seq(&env)
        )),
        "{msg}"
    );
}

/// A deactivated officer's leaked key: the row is made active for one command and put back.
#[test]
fn r_a7_a_deactivated_officer_signs_no_valid_head() {
    let env = city();
    env.kezek(&["officer", "deactivate", "sadykov", "--yes"])
        .success();
    env.kezek(&["audit", "verify"]).success();
    env.conn()
        .execute("UPDATE officer SET active = 1 WHERE id = 'sadykov'", [])
        .unwrap();
    let (key, _) = env.key("sadykov");
    env.cmd()
        .env("KEZEK_OFFICER", "sadykov")
        .env("KEZEK_KEY", &key)
        .args(["settings", "set", "general_per_first_priority", "2"])
        .assert()
        .success();
    env.conn()
        .execute("UPDATE officer SET active = 0 WHERE id = 'sadykov'", [])
        .unwrap();
    let msg = refused(&env);
    assert!(
        msg.contains(&format!(
            "R-A7: signed head {} is signed by officer 'sadykov', who was deactivated before it",
            last_seq(&env)
        )),
        "{msg}"
    );
}

/// A rarely used officer's key swapped in the officer table and their heads re-signed with the forger's key:
/// even an audit that skipped the rows (the deliberate fault) refuses it, because the journal names the key.
#[test]
fn r_a7_a_swapped_key_cannot_re_sign_an_officer_s_heads() {
    let env = city();
    as_officer(&env, "sadykov")
        .args(["settings", "set", "general_per_first_priority", "5"])
        .assert()
        .success();
    let head = last_seq(&env);
    let (forger_key, _) = forger_key(&env, "forger");
    swap_key_to(&env, "sadykov", &forger_key);
    resign_with(&env, head, "sadykov", &forger_key);
    let out = env
        .cmd()
        .env("KEZEK_FAULT", "audit-skips-rows")
        .args(["audit", "verify"])
        .assert()
        .code(65);
    let msg = stderr(&out);
    assert!(
        msg.contains("the key was swapped outside kezek")
            || msg.contains(&format!("signed head {head}")),
        "{msg}"
    );
    assert!(
        refused(&env).contains("signed head"),
        "the full audit refuses it too"
    );
}

/// `--trust` pins the anchor: the first officer's key, or a published head.
#[test]
fn r_a7_trust_pins_the_first_officer_s_key_from_outside_the_database() {
    let env = city();
    let (_, ivanova_pub) = env.key("ivanova");
    let (_, omarova_pub) = env.key("omarova");
    let head = env.write("head.txt", &env.stdout(&["audit", "head"]));
    env.cmd()
        .args(["audit", "verify", "--trust"])
        .arg(&ivanova_pub)
        .assert()
        .success();
    env.cmd()
        .args(["audit", "verify", "--trust"])
        .arg(&head)
        .assert()
        .success();
    env.cmd()
        .args(["db", "check", "--trust"])
        .arg(&ivanova_pub)
        .arg("--head")
        .arg(&head)
        .assert()
        .success();
    let out = env
        .cmd()
        .args(["audit", "verify", "--trust"])
        .arg(&omarova_pub)
        .assert()
        .code(65);
    assert!(
        stderr(&out).contains("not the trusted anchor"),
        "{}",
        stderr(&out)
    );
    let out = env
        .cmd()
        .args(["db", "check", "--trust"])
        .arg(&omarova_pub)
        .assert()
        .code(65);
    assert!(
        stderr(&out).contains("not the trusted anchor"),
        "{}",
        stderr(&out)
    );

    // A database rebuilt from scratch by someone with keys of their own, under the same officer ids.
    let forged = TestEnv::new();
    let (forger_key, forger_pub) = forger_key(&forged, "forger");
    forged
        .cmd()
        .env_remove("KEZEK_OFFICER")
        .args([
            "officer",
            "add",
            "--id",
            "ivanova",
            "--name",
            "Иванова Айгуль",
            "--district",
            "Алмалинский",
        ])
        .arg("--public-key")
        .arg(&forger_pub)
        .arg("--key")
        .arg(&forger_key)
        .assert()
        .success();
    forged.kezek(&["audit", "verify"]).success();
    let out = forged
        .cmd()
        .args(["audit", "verify", "--trust"])
        .arg(&ivanova_pub)
        .assert()
        .code(65);
    assert!(stderr(&out).contains("R-A7"), "{}", stderr(&out));
    let out = forged
        .cmd()
        .args(["audit", "verify", "--trust"])
        .arg(&head)
        .assert()
        .code(65);
    assert!(stderr(&out).contains("audit failed"), "{}", stderr(&out));
    let junk = env.write(
        "junk.pem",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    );
    env.cmd()
        .args(["audit", "verify", "--trust"])
        .arg(&junk)
        .assert()
        .code(65);
    env.cmd()
        .args(["audit", "verify", "--trust"])
        .arg(env.path("missing.pem"))
        .assert()
        .code(4);
}

/// `officer rotate-key`: another officer gives an officer a new key; earlier heads stay verifiable, the old key
/// signs nothing more, and nobody rotates their own key.
#[test]
fn r_a7_a_rotated_key_is_vouched_for_by_another_officer() {
    let env = city();
    let published = env.write("before.txt", &env.stdout(&["audit", "head"]));
    let (new_key, new_pub) = forger_key(&env, "omarova-2027");
    let before = env.snapshot();
    let out = as_officer(&env, "omarova")
        .args(["officer", "rotate-key", "omarova", "--public-key"])
        .arg(&new_pub)
        .assert()
        .code(3);
    assert!(stderr(&out).contains("R-A7"), "{}", stderr(&out));
    let (_, sadykov_pub) = env.key("sadykov");
    let out = env
        .cmd()
        .args(["officer", "rotate-key", "omarova", "--public-key"])
        .arg(&sadykov_pub)
        .assert()
        .code(65);
    assert!(
        stderr(&out).contains("registered to officer 'sadykov'"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.snapshot(), before, "a refused rotation writes nothing");
    env.cmd()
        .args(["officer", "rotate-key", "omarova", "--public-key"])
        .arg(&new_pub)
        .assert()
        .success();
    let out = as_officer(&env, "omarova")
        .args(["settings", "set", "max_expirations", "2"])
        .assert()
        .code(3);
    assert!(stderr(&out).contains("R-A5"), "{}", stderr(&out));
    as_officer(&env, "omarova")
        .env("KEZEK_KEY", &new_key)
        .args(["settings", "set", "max_expirations", "2"])
        .assert()
        .success();
    env.cmd()
        .args(["audit", "verify", "--head"])
        .arg(&published)
        .assert()
        .success();
    // The old key is free again for nobody: registering it anew is refused.
    let (_, omarova_pub) = env.key("omarova");
    let out = env
        .cmd()
        .args(["officer", "rotate-key", "sadykov", "--public-key"])
        .arg(&omarova_pub)
        .assert()
        .code(65);
    assert!(stderr(&out).contains("'omarova'"), "{}", stderr(&out));
}
