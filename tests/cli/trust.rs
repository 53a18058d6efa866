//! Trust anchored outside the database (R-A7): forgeries that someone with write access to the file can stage
//! with SQL and keys of their own, each of which an audit that trusted the officer table would have passed.

use kezek::crypto::PrivateKey;
use kezek::store::journal::head_message;

use crate::common::env::{stderr, TestEnv};

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
    // The head the department published before anything below was staged.
    env.write("published-head.txt", &env.stdout(&["audit", "head"]));
    env
}

fn last_seq(env: &TestEnv) -> i64 {
    env.count("SELECT max(seq) FROM journal")
}

/// Each stored part of the public log, in order: its seq, its number and its text (unpacked, or as an earlier
/// version stored it).
fn record_parts(conn: &rusqlite::Connection) -> Vec<(i64, i64, String)> {
    let mut stmt = conn
        .prepare("SELECT seq, part, text FROM public_record ORDER BY seq, part")
        .unwrap();
    let parts = stmt
        .query_map([], |r| {
            let text = match r.get_ref(2)? {
                rusqlite::types::ValueRef::Blob(b) => {
                    kezek::domain::packed_part::unpack(b).unwrap()
                }
                other => other.as_str()?.to_string(),
            };
            Ok((r.get(0)?, r.get(1)?, text))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    parts
}

/// Event `seq`'s public record, its parts joined.
fn record_text(conn: &rusqlite::Connection, seq: i64) -> String {
    record_parts(conn)
        .into_iter()
        .filter(|(s, ..)| *s == seq)
        .map(|(.., text)| text)
        .collect()
}

/// Replaces `from` by `to` in the first (`last`: the last) stored part whose text holds `from`, packing it
/// again as kezek stores it: an edit of the public log made with SQL and kezek's own codec.
fn edit_record(conn: &rusqlite::Connection, from: &str, to: &str, last: bool) {
    let mut parts = record_parts(conn)
        .into_iter()
        .filter(|(.., t)| t.contains(from));
    let (seq, part, text) = if last {
        parts.next_back()
    } else {
        parts.next()
    }
    .expect("a part to edit");
    conn.execute(
        "UPDATE public_record SET text = ?3 WHERE seq = ?1 AND part = ?2",
        rusqlite::params![
            seq,
            part,
            kezek::domain::packed_part::pack(&text.replace(from, to))
        ],
    )
    .unwrap();
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

/// What `audit verify` says of a staged forgery (exit 65); `db check` refuses it too, with and without the
/// head published before it and the anchor pinned.
fn refused(env: &TestEnv) -> String {
    env.kezek(&["db", "check"]).code(65);
    let published = env.path("published-head.txt");
    if published.exists() {
        let (_, anchor) = env.key("ivanova");
        env.cmd()
            .args(["db", "check", "--head"])
            .arg(&published)
            .arg("--trust")
            .arg(&anchor)
            .assert()
            .code(65);
    }
    stderr(&env.kezek(&["audit", "verify"]).code(65))
}

/// Registers officer `intruder` with the key at `public` in a command kezek signs as ivanova, her key swapped for
/// the forger's `temp_key` for that command and put back after it.
fn register_behind_kezek(env: &TestEnv, temp_key: &std::path::Path, public: &std::path::Path) {
    let ivanova = swap_key_to(env, "ivanova", temp_key);
    env.cmd()
        .env("KEZEK_KEY", temp_key)
        .args([
            "officer",
            "add",
            "--id",
            "intruder",
            "--name",
            "Нарушитель",
            "--district",
            "Медеуский",
            "--role",
            "admin",
        ])
        .arg("--public-key")
        .arg(public)
        .assert()
        .success();
    restore_key(env, "ivanova", &ivanova);
}

/// An officer registered behind kezek's back: ivanova's key is swapped for the forger's for one command (so that
/// kezek writes a well-formed `officer.add` naming ivanova), her row is put back, and the head is re-signed as the
/// new officer with the new officer's own key, who then acts. Every row matches its digest and every head's
/// signature verifies against the officer table; only the journal's own history shows that nobody trusted
/// vouched for the new key.
#[test]
fn r_a7_an_officer_inserted_with_a_head_of_their_own_is_refused() {
    let env = city();
    let (temp_key, _) = env.keygen("forger");
    let (intruder_key, intruder_pub) = env.keygen("intruder");
    register_behind_kezek(&env, &temp_key, &intruder_pub);
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
    register_behind_kezek(&env, &temp_key, &intruder_pub);
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
    let (forger_key, _) = env.keygen("forger");
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
    let (forger_key, forger_pub) = forged.keygen("forger");
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
    let (new_key, new_pub) = env.keygen("omarova-2027");
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

/// R-A8: three heads by one officer; the middle one deleted (its events then look like the next command's) is
/// caught by the next head, which names it.
#[test]
fn r_a8_a_head_deleted_from_the_middle_is_caught() {
    let env = city();
    let heads: Vec<i64> = (0..3)
        .map(|i| {
            env.kezek(&[
                "settings",
                "set",
                "general_per_first_priority",
                &(2 + i).to_string(),
            ])
            .success();
            last_seq(&env)
        })
        .collect();
    env.conn()
        .execute("DELETE FROM journal_head WHERE seq = ?1", [heads[1]])
        .unwrap();
    let msg = refused(&env);
    assert!(
        msg.contains(&format!(
            "signed head {} names head {} before it, but the journal's last head before it is {}",
            heads[2], heads[1], heads[0]
        )),
        "{msg}"
    );
}

/// Applies `set` (an SQL assignment) to the last head of a city and returns what `audit verify` says, with the
/// head's seq.
fn edit_last_head(set: &str) -> (i64, String) {
    let env = city();
    let head = last_seq(&env);
    env.conn()
        .execute(
            &format!("UPDATE journal_head SET {set} WHERE seq = ?1"),
            [head],
        )
        .unwrap();
    (head, refused(&env))
}

/// R-A8: the signing time is signed, so a head cannot be re-dated.
#[test]
fn r_a8_a_re_dated_head_is_caught() {
    let (head, msg) = edit_last_head("signed_at = '2026-01-05T09:00:00+05:00'");
    assert!(
        msg.contains(&format!("signed head {head}: the signature is not")),
        "{msg}"
    );
}

/// R-A8: a head turned back into an earlier version's (no checkpoint) after checkpoints began is refused.
#[test]
fn r_a8_a_head_without_a_checkpoint_after_checkpoints_is_caught() {
    let (head, msg) = edit_last_head("tree_size = NULL, root = NULL, previous = NULL");
    assert!(
        msg.contains(&format!("signed head {head} is not a checkpoint")),
        "{msg}"
    );
}

/// R-V1, R-V2: a public record edited, removed or added, or a tree node changed, is caught against the
/// journal and the signed roots.
#[test]
fn r_v2_an_edited_public_record_or_tree_node_is_caught() {
    type Edit = fn(&rusqlite::Connection);
    let edits: [(&str, Edit, &str); 4] = [
        (
            "a table renamed in the last record that shows a setting",
            |c| edit_record(c, "\"table\":\"setting\"", "\"table\":\"settings\"", true),
            "does not match the records",
        ),
        (
            "the officer of the first record ivanova made",
            |c| {
                edit_record(
                    c,
                    "\"officer\":\"ivanova\"",
                    "\"officer\":\"omarova\"",
                    false,
                )
            },
            "does not match the event",
        ),
        (
            "a byte of a packed part changed",
            |c| {
                c.execute(
                    "UPDATE public_record SET text = CAST(substr(text, 1, 8) || x'ff' || substr(text, 10) AS BLOB)
                     WHERE seq = (SELECT max(seq) FROM public_record) AND part = 0",
                    [],
                )
                .unwrap();
            },
            "public record",
        ),
        (
            "a packed part claiming four gigabytes",
            |c| {
                c.execute(
                    "UPDATE public_record SET text = CAST(x'ffffffff' || substr(text, 5) AS BLOB)
                     WHERE seq = (SELECT max(seq) FROM public_record) AND part = 0",
                    [],
                )
                .unwrap();
            },
            "claims 4294967295 bytes",
        ),
    ];
    for (what, edit, expect) in edits {
        let env = city();
        edit(&env.conn());
        let msg = refused(&env);
        assert!(msg.contains(expect), "{what}: {msg}");
    }
    for (sql, expect) in [
        (
            "DELETE FROM public_record WHERE seq = (SELECT max(seq) FROM public_record)",
            "is missing",
        ),
        (
            "INSERT INTO public_record VALUES ((SELECT max(seq) + 1 FROM journal), 0, '{}')",
            "which does not exist",
        ),
        (
            "UPDATE merkle_node SET hash = zeroblob(32) WHERE level = 0 AND idx = 3",
            "node 3 at level 0",
        ),
        (
            "INSERT INTO merkle_node VALUES (40, 0, zeroblob(32))",
            "nodes where its",
        ),
    ] {
        let env = city();
        env.conn().execute_batch(sql).unwrap();
        let msg = refused(&env);
        assert!(msg.contains(expect), "{sql}: {msg}");
    }
}

/// R-V1: a command that wrote its event without the public record and leaf (a binary built before the public
/// log, or one that skips it) is caught by the audit, and its head cannot name a tree that covers the event.
#[test]
fn r_v1_an_event_written_without_its_public_record_is_caught() {
    let env = city();
    as_officer(&env, "sadykov")
        .env("KEZEK_FAULT", "no-public-record")
        .args(["settings", "set", "general_per_first_priority", "5"])
        .assert()
        .success();
    let seq = last_seq(&env);
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM public_record WHERE seq = {seq}"
        )),
        0
    );
    let msg = refused(&env);
    assert!(
        msg.contains(&format!(
            "journal event {seq} (settings.set): its public record is missing"
        )),
        "{msg}"
    );
}

/// R-V1: every event has its public record, in canonical JSON, and none of them holds the officers' names.
#[test]
fn r_v1_every_event_has_one_canonical_public_record() {
    let env = city();
    let conn = env.conn();
    let events = env.count("SELECT count(*) FROM journal");
    let mut records: Vec<(i64, String)> = Vec::new();
    for (seq, _, text) in record_parts(&conn) {
        match records.last_mut() {
            Some((s, joined)) if *s == seq => joined.push_str(&text),
            _ => records.push((seq, text)),
        }
    }
    assert_eq!(records.len() as i64, events);
    for (i, (seq, text)) in records.iter().enumerate() {
        assert_eq!(*seq, i as i64 + 1);
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(value["seq"], *seq, "{text}");
        assert_eq!(&kezek::domain::public::canonical(&value), text);
        assert!(
            !text.contains("Иванова") && !text.contains("Садыков"),
            "{text}"
        );
    }
    let root: Vec<u8> = conn
        .query_row(
            "SELECT root FROM journal_head ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut frontier = kezek::domain::merkle::Frontier::default();
    for (_, text) in &records {
        frontier.push(kezek::domain::merkle::leaf_hash(text.as_bytes()));
    }
    assert_eq!(frontier.root().to_vec(), root);
}

/// R-A8: a database made by the earlier version (`tests/fixtures/v0.1-city.db`, with a head it published) is
/// upgraded by a journaled migration: its earlier heads still verify, the published head too, the public log
/// covers its earlier events, and heads from then on are checkpoints that name the last earlier head.
#[test]
fn r_a8_a_database_of_the_earlier_version_upgrades_and_its_earlier_heads_still_verify() {
    let mut env = TestEnv::bare();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(fixtures.join("v0.1-city.db"), &env.db).unwrap();
    let head = fixtures.join("v0.1-head.txt");
    env.act_as("ivanova");
    let out = env.kezek(&["audit", "verify"]).code(2);
    assert!(stderr(&out).contains("kezek init"), "{}", stderr(&out));
    env.kezek(&["init"]).success();
    assert_eq!(
        env.count("SELECT count(*) FROM journal WHERE kind = 'schema.migrate' AND subject = '0006_public_log'"),
        1
    );
    let (_, ivanova_pub) = env.key("ivanova");
    env.cmd()
        .args(["audit", "verify", "--head"])
        .arg(&head)
        .arg("--trust")
        .arg(&ivanova_pub)
        .assert()
        .success();
    let events = env.count("SELECT count(*) FROM journal");
    assert_eq!(
        env.count("SELECT count(DISTINCT seq) FROM public_record"),
        events
    );
    // The registration's record shows the application's public fields, which have not changed since.
    let registration = record_text(
        &env.conn(),
        env.count("SELECT seq FROM journal WHERE kind = 'application.register'"),
    );
    assert!(
        registration.contains("\"status\":\"queued\""),
        "{registration}"
    );
    assert!(
        !registration.contains("230401500129") && !registration.contains("Нурлан"),
        "{registration}"
    );
    env.kezek(&["settings", "set", "general_per_first_priority", "2"])
        .success();
    let new_head = env.stdout(&["audit", "head"]);
    let old_head = std::fs::read_to_string(&head).unwrap();
    let old_seq = old_head.lines().nth(1).unwrap().trim_start_matches("seq: ");
    assert!(
        new_head.starts_with("kezek journal head v2\n"),
        "{new_head}"
    );
    assert!(
        new_head.contains(&format!("previous: {old_seq} ")),
        "{new_head}"
    );
    env.cmd()
        .args(["audit", "verify", "--head"])
        .arg(&head)
        .arg("--trust")
        .arg(&ivanova_pub)
        .assert()
        .success();
    let published = env.write("new-head.txt", &new_head);
    env.cmd()
        .args(["db", "check", "--head"])
        .arg(&published)
        .assert()
        .success();
}
