//! The publication (R-V3) and the proofs (R-V4): what anyone can check without the database.

use std::collections::BTreeMap;
use std::path::Path;

use kezek::domain::merkle::{leaf_hash, verify_consistency, verify_inclusion, Hash};

use crate::common::checkpoint_field as field;
use crate::common::city::{Applications, City, Places};
use crate::common::env::{stderr, TestEnv};

/// The sample organizations and applications, and two places published.
fn city() -> TestEnv {
    City::builder()
        .applications(Applications::Examples(usize::MAX))
        .places(TWO_PLACES)
        .build()
        .env
}

/// The two places of the cities of the publication and verifier tests.
pub(crate) const TWO_PLACES: Places = Places::Publish {
    org: "DS-001",
    group_year: 2023,
    language: "kk",
    count: 2,
};

/// Every file of a publication and its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for sub in ["", "log", "queues"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap().flatten() {
            if entry.path().is_file() {
                let name = format!("{sub}/{}", entry.file_name().to_string_lossy());
                out.insert(name, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}

fn unhex(s: &str) -> Hash {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

#[test]
fn r_v3_publish_writes_the_log_and_publishing_twice_gives_the_same_bytes() {
    let env = city();
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let first = files(&dir);
    for name in [
        "/checkpoint",
        "/officers.json",
        "/places.csv",
        "log/000000.jsonl",
    ] {
        assert!(first.contains_key(name), "{name} in {:?}", first.keys());
    }
    assert!(
        first.keys().any(|k| k.starts_with("queues/general-")),
        "{:?}",
        first.keys()
    );
    let events = env.count("SELECT count(*) FROM journal");
    let log = String::from_utf8(first["log/000000.jsonl"].clone()).unwrap();
    assert_eq!(log.lines().count() as i64, events);
    let checkpoint = String::from_utf8(first["/checkpoint"].clone()).unwrap();
    assert_eq!(checkpoint, env.stdout(&["audit", "head"]));
    // The root of the published records is the checkpoint's.
    let mut frontier = kezek::domain::merkle::Frontier::default();
    for line in log.lines() {
        frontier.push(leaf_hash(line.as_bytes()));
    }
    assert_eq!(
        kezek::crypto::hex(&frontier.root()),
        field(&checkpoint, "root")
    );
    env.cmd().arg("publish").arg(&dir).assert().success();
    assert_eq!(files(&dir), first, "publishing twice gives the same bytes");
    // After another command the log grows by appending.
    env.kezek(&["settings", "set", "general_per_first_priority", "2"])
        .success();
    env.cmd().arg("publish").arg(&dir).assert().success();
    let second = files(&dir);
    assert!(second["log/000000.jsonl"].starts_with(&first["log/000000.jsonl"]));
    assert_ne!(second["/checkpoint"], first["/checkpoint"]);
}

#[test]
fn r_v3_publish_refuses_a_directory_whose_log_is_not_this_one_s() {
    let env = city();
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let log = dir.join("log/000000.jsonl");
    let mut bytes = std::fs::read(&log).unwrap();
    let at = bytes.iter().position(|b| *b == b'\n').unwrap() + 30;
    bytes[at] ^= 1;
    std::fs::write(&log, &bytes).unwrap();
    let before = files(&dir);
    let out = env.cmd().arg("publish").arg(&dir).assert().code(65);
    assert!(
        stderr(&out).contains("000000.jsonl: line 2"),
        "{}",
        stderr(&out)
    );
    assert_eq!(files(&dir), before, "nothing written");
    // A checkpoint of another database's log.
    let other = city();
    other
        .kezek(&["settings", "set", "general_per_first_priority", "2"])
        .success();
    let dir2 = other.path("pub");
    other.cmd().arg("publish").arg(&dir2).assert().success();
    std::fs::copy(dir2.join("checkpoint"), env.path("foreign-checkpoint")).unwrap();
    let dir3 = env.path("pub3");
    std::fs::create_dir_all(&dir3).unwrap();
    std::fs::copy(env.path("foreign-checkpoint"), dir3.join("checkpoint")).unwrap();
    let out = env.cmd().arg("publish").arg(&dir3).assert().code(65);
    assert!(
        stderr(&out).contains("is not of this database's log"),
        "{}",
        stderr(&out)
    );
}

/// Nothing under the publication holds a child's or an applicant's IIN, name, birth date, phone or e-mail, nor a
/// document, a category or a file name.
#[test]
fn r_v1_r_v3_the_publication_holds_no_personal_data() {
    let env = city();
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let text: String = files(&dir)
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    let conn = env.conn();
    let mut stmt = conn
        .prepare(
            "SELECT child_iin, child_name, applicant_iin, applicant_name, phone, email, docs FROM application",
        )
        .unwrap();
    let rows: Vec<Vec<Option<String>>> = stmt
        .query_map([], |r| (0..7).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(rows.len() >= 200);
    for row in rows {
        for value in row.into_iter().flatten() {
            if value.len() > 3 && value != "[]" {
                assert!(!text.contains(&value), "the publication holds {value:?}");
            }
        }
    }
    assert!(!text.contains("applications.csv") && !text.contains("Иванова"));
    // A benefit category is public reference data, but which family has one is not.
    let log = std::fs::read_to_string(dir.join("log/000000.jsonl")).unwrap();
    for line in log.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        for row in record["rows"].as_array().unwrap() {
            if row["table"] == "application" {
                assert!(row["fields"].get("category").is_none(), "{row}");
                assert!(row["fields"].get("district").is_none(), "{row}");
                assert!(row["fields"].get("child_birth_date").is_none(), "{row}");
            }
        }
    }
}

#[test]
fn r_v4_an_inclusion_proof_of_a_registration_verifies_against_the_checkpoint() {
    let env = city();
    let number = env.json(&["application", "list", "--limit", "1"])[0]["number"]
        .as_str()
        .unwrap()
        .to_string();
    let proof = env.json(&["proof", "inclusion", &number]);
    let checkpoint = env.stdout(&["audit", "head"]);
    let size = proof["tree_size"].as_u64().unwrap();
    assert_eq!(size.to_string(), field(&checkpoint, "tree-size"));
    assert_eq!(proof["root"], field(&checkpoint, "root"));
    let path: Vec<Hash> = proof["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| unhex(h.as_str().unwrap()))
        .collect();
    let leaf = unhex(proof["leaf_hash"].as_str().unwrap());
    let index = proof["leaf_index"].as_u64().unwrap();
    let root = unhex(proof["root"].as_str().unwrap());
    assert!(verify_inclusion(index, size, &leaf, &path, &root));
    assert!(!verify_inclusion(index + 1, size, &leaf, &path, &root));
    // The leaf is the hash of the published record that put the application in the queue.
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let log = std::fs::read_to_string(dir.join("log/000000.jsonl")).unwrap();
    let record = log.lines().nth(index as usize).unwrap();
    assert_eq!(leaf_hash(record.as_bytes()), leaf);
    assert!(record.contains(&number), "{record}");
    let by_seq = env.json(&["proof", "inclusion", "--seq", &(index + 1).to_string()]);
    assert_eq!(by_seq, proof);
    env.kezek(&["proof", "inclusion", "--seq", "0"]).code(2);
    env.kezek(&["proof", "inclusion", "DDO.2020.999999.1"])
        .code(4);
}

#[test]
fn r_v4_a_consistency_proof_shows_an_earlier_checkpoint_was_only_appended_to() {
    let env = city();
    let earlier = env.stdout(&["audit", "head"]);
    env.kezek(&["settings", "set", "general_per_first_priority", "2"])
        .success();
    env.kezek(&["settings", "set", "general_per_first_priority", "4"])
        .success();
    let old: u64 = field(&earlier, "tree-size").parse().unwrap();
    let proof = env.json(&["proof", "consistency", "--from", &old.to_string()]);
    assert_eq!(proof["old_root"], field(&earlier, "root"));
    let later = env.stdout(&["audit", "head"]);
    assert_eq!(proof["new_root"], field(&later, "root"));
    let path: Vec<Hash> = proof["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| unhex(h.as_str().unwrap()))
        .collect();
    let new = proof["new_size"].as_u64().unwrap();
    assert!(verify_consistency(
        old,
        new,
        &unhex(field(&earlier, "root")),
        &unhex(field(&later, "root")),
        &path
    ));
    env.kezek(&["proof", "consistency", "--from", "0"]).code(2);
    env.kezek(&["proof", "consistency", "--from", "5", "--to", "4"])
        .code(2);
}

/// R-V4: the registration notice gives the family a receipt (seq and leaf hash) that a later checkpoint is shown
/// to include.
#[test]
fn r_v4_the_registration_notice_carries_a_receipt_that_a_later_checkpoint_includes() {
    let env = city();
    let number = env.json(&["application", "list", "--limit", "1"])[0]["number"]
        .as_str()
        .unwrap()
        .to_string();
    let notice = env.stdout(&["application", "notice", &number, "--lang", "ru"]);
    let receipt = notice
        .lines()
        .find_map(|l| l.strip_prefix("Квитанция публичного журнала очереди: событие № "))
        .unwrap_or_else(|| panic!("{notice}"));
    let (seq, rest) = receipt.split_once(", хеш записи ").unwrap();
    let leaf = rest.trim_end_matches('.');
    assert!(
        notice.contains(&format!("--receipt {seq}:{leaf}")),
        "{notice}"
    );
    let kk = env.stdout(&["application", "notice", &number, "--lang", "kk"]);
    assert!(
        kk.contains(&format!("оқиға № {seq}, жазба хэші {leaf}")),
        "{kk}"
    );
    env.kezek(&["settings", "set", "general_per_first_priority", "2"])
        .success();
    let proof = env.json(&["proof", "inclusion", "--seq", seq]);
    assert_eq!(proof["leaf_hash"], leaf);
    let checkpoint = env.stdout(&["audit", "head"]);
    let path: Vec<Hash> = proof["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| unhex(h.as_str().unwrap()))
        .collect();
    assert!(verify_inclusion(
        seq.parse::<u64>().unwrap() - 1,
        field(&checkpoint, "tree-size").parse().unwrap(),
        &unhex(leaf),
        &path,
        &unhex(field(&checkpoint, "root"))
    ));
}

/// Copies a publication to `name` in the test directory.
fn copy_publication(env: &TestEnv, from: &Path, name: &str) -> std::path::PathBuf {
    let to = env.path(name);
    for (file, bytes) in files(from) {
        let path = to.join(file.trim_start_matches('/'));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    to
}

/// `audit public DIR EXTRA --format json` of a publication that passes: its report.
fn public_report(env: &TestEnv, dir: &Path, extra: &[&str]) -> serde_json::Value {
    let out = env
        .cmd()
        .args(["audit", "public", "--format", "json"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn audit_public(env: &TestEnv, dir: &Path, extra: &[&std::ffi::OsStr]) -> (i32, String) {
    let out = env
        .cmd()
        .args(["audit", "public"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// R-V5: the publication checks without the database; each kind of tampering is refused with 65, naming the file,
/// line or seq and the rule.
#[test]
fn r_v5_audit_public_accepts_the_publication_and_refuses_tampered_copies() {
    let env = city();
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let (_, ivanova) = env.key("ivanova");
    let trust = [std::ffi::OsStr::new("--trust"), ivanova.as_os_str()];
    let (code, msg) = audit_public(&env, &dir, &trust);
    assert_eq!(code, 0, "{msg}");
    let log = |dir: &Path| dir.join("log/000000.jsonl");
    let read = |dir: &Path| std::fs::read_to_string(log(dir)).unwrap();
    type Tamper<'a> = Box<dyn Fn(&Path) + 'a>;
    let mut cases: Vec<(&str, Tamper, &str)> = vec![
        (
            "a changed byte",
            Box::new(|d: &Path| {
                let text = read(d).replacen("\"status\":\"queued\"", "\"status\":\"queueD\"", 1);
                std::fs::write(log(d), text).unwrap();
            }),
            "not the checkpoint's (R-V2)",
        ),
        (
            "a removed line",
            Box::new(|d: &Path| {
                let all = read(d);
                let lines: Vec<&str> = all.lines().collect();
                let kept: String = lines[..lines.len() - 1]
                    .iter()
                    .map(|l| format!("{l}\n"))
                    .collect();
                std::fs::write(log(d), kept).unwrap();
            }),
            "the log holds",
        ),
        (
            "two lines swapped",
            Box::new(|d: &Path| {
                let all = read(d);
                let mut lines: Vec<&str> = all.lines().collect();
                lines.swap(3, 4);
                let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
                std::fs::write(log(d), text).unwrap();
            }),
            ":4: holds seq 5, not 4",
        ),
        (
            "two queue lines swapped",
            Box::new(|d: &Path| {
                let q = std::fs::read_dir(d.join("queues"))
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
                    .find(|p| std::fs::read_to_string(p).unwrap().lines().count() > 3)
                    .unwrap();
                let all = std::fs::read_to_string(&q).unwrap();
                let mut lines: Vec<&str> = all.lines().collect();
                lines.swap(1, 2);
                let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
                std::fs::write(q, text).unwrap();
            }),
            "(R-V5, R-Q2)",
        ),
    ];
    // A queue line changed in its form only: the same numbers written otherwise, or a field added.
    for (name, change) in [
        ("a position written with a leading zero", ",0"),
        ("a field added", ""),
    ] {
        cases.push((
            name,
            Box::new(move |d: &Path| {
                let q = d.join("queues").join(
                    std::fs::read_dir(d.join("queues"))
                        .unwrap()
                        .flatten()
                        .map(|e| e.file_name())
                        .min()
                        .unwrap(),
                );
                let all = std::fs::read_to_string(&q).unwrap();
                let mut lines: Vec<String> = all.lines().map(str::to_string).collect();
                lines[1] = if change.is_empty() {
                    format!("{},extra", lines[1])
                } else {
                    // number,class,registered_at,status,POSITION,class_position
                    let mut f: Vec<&str> = lines[1].split(',').collect();
                    let padded = format!("0{}", f[4]);
                    f[4] = &padded;
                    f.join(",")
                };
                let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
                std::fs::write(q, text).unwrap();
            }),
            "(R-V5, R-Q2)",
        ));
    }
    // A checkpoint signed by a key nobody trusted.
    let (forger, _) = env.keygen("forger");
    let forger_key = kezek::crypto::PrivateKey::load(&forger).unwrap();
    cases.push((
        "a checkpoint signed by an untrusted key",
        Box::new(move |d: &Path| {
            let text = std::fs::read_to_string(d.join("checkpoint")).unwrap();
            let message: String = text.lines().take(8).map(|l| format!("{l}\n")).collect();
            use base64::Engine;
            let signature = base64::engine::general_purpose::STANDARD
                .encode(forger_key.sign(message.as_bytes()));
            let forged = format!(
                "{message}key-fingerprint: {}\nsignature: {signature}\n",
                forger_key.public().fingerprint()
            );
            std::fs::write(d.join("checkpoint"), forged).unwrap();
        }),
        "not signed by officer 'ivanova''s trusted key (R-A7)",
    ));
    for (i, (name, tamper, expect)) in cases.iter().enumerate() {
        let copy = copy_publication(&env, &dir, &format!("copy{i}"));
        tamper(&copy);
        let (code, msg) = audit_public(&env, &copy, &trust);
        assert_eq!(code, 65, "{name}: {msg}");
        assert!(msg.contains(expect), "{name}: {msg}");
    }
    // Another first officer's key as the anchor.
    let (_, omarova) = env.key("omarova");
    let (code, msg) = audit_public(
        &env,
        &dir,
        &[std::ffi::OsStr::new("--trust"), omarova.as_os_str()],
    );
    assert_eq!(code, 65, "{msg}");
    assert!(msg.contains("not the trusted anchor"), "{msg}");
}

/// R-V5: an earlier checkpoint is shown to be a prefix of the log (append-only), and one of another log is not.
#[test]
fn r_v5_audit_public_checks_consistency_with_an_earlier_checkpoint() {
    let env = city();
    let earlier = env.write("earlier.txt", &env.stdout(&["audit", "head"]));
    env.kezek(&["settings", "set", "general_per_first_priority", "2"])
        .success();
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let (code, msg) = audit_public(
        &env,
        &dir,
        &[std::ffi::OsStr::new("--previous"), earlier.as_os_str()],
    );
    assert_eq!(code, 0, "{msg}");
    assert!(msg.contains("consistent with the checkpoint of"), "{msg}");
    let other = city();
    other
        .kezek(&["settings", "set", "general_per_first_priority", "4"])
        .success();
    let foreign = env.write("foreign.txt", &other.stdout(&["audit", "head"]));
    let (code, msg) = audit_public(
        &env,
        &dir,
        &[std::ffi::OsStr::new("--previous"), foreign.as_os_str()],
    );
    assert_eq!(code, 65, "{msg}");
    assert!(msg.contains("--previous"), "{msg}");
}

/// R-V5: a registration back-dated by more than 10 minutes (an effective time pinned in the past) is named; an
/// application import after the first is listed with its back-dated rows.
#[test]
fn r_v5_a_back_dated_registration_is_refused_and_a_later_import_is_listed() {
    let env = city();
    // A second migration import: other families, from another seed of the same generator.
    let mut second = Vec::new();
    kezek::generate::applications(&mut second, 77, 30, kezek::generate::default_now()).unwrap();
    let second = env.write("second.csv", &String::from_utf8(second).unwrap());
    env.cmd()
        .args(["application", "import"])
        .arg(&second)
        .assert()
        .success();
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let (code, msg) = audit_public(&env, &dir, &[]);
    assert_eq!(code, 0, "{msg}");
    assert!(
        msg.contains("after the first: 30 rows, 30 back-dated more than 10 minutes (R-V5)"),
        "{msg}"
    );
    // The test clock is pinned months before the real one: a registration made with it is back-dated.
    env.kezek(&[
        "application",
        "register",
        "--child-iin",
        "230401500129",
        "--child-name",
        "Нурланов Алихан",
        "--applicant-iin",
        "900505400129",
        "--applicant-name",
        "Нурланова Айгерим",
        "--phone",
        "+77011234567",
        "--email",
        "aigerim@mail.kz",
        "--district",
        "Алмалинский",
        "--language",
        "kk",
        "--consent",
        "egov",
    ])
    .success();
    env.cmd().arg("publish").arg(&dir).assert().success();
    let (code, msg) = audit_public(&env, &dir, &[]);
    assert_eq!(code, 65, "{msg}");
    assert!(
        msg.contains("more than 10 minutes before its event was recorded (R-V5)"),
        "{msg}"
    );
}

/// R-V7: the explanation ends at the position `application show` gives, and its moves add up to the change.
#[test]
fn r_v7_explain_ends_at_the_current_position_and_its_moves_add_up() {
    let env = city();
    let list = env.json(&["application", "list", "--limit", "60"]);
    // Move the queue: a second class arrives ahead, one ahead is withdrawn, and the interleave changes.
    let first = list[0]["number"].as_str().unwrap().to_string();
    env.kezek(&[
        "application",
        "withdraw",
        &first,
        "--reason",
        "заявление родителя",
        "--yes",
    ])
    .success();
    env.kezek(&["settings", "set", "general_per_first_priority", "1"])
        .success();
    let mut moved = 0;
    for row in list.as_array().unwrap().iter().skip(1).step_by(7) {
        let number = row["number"].as_str().unwrap();
        let x = env.json(&["application", "explain", number]);
        let now = env.json(&["application", "show", number])["queue_position"].clone();
        assert_eq!(x["position_now"], now, "{number}: {x}");
        let sum: i64 = x["moves"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["delta"].as_i64().unwrap())
            .sum();
        assert_eq!(
            x["position_then"].as_i64().unwrap() + sum,
            now.as_i64().unwrap(),
            "{number}: {x}"
        );
        moved += x["moves"].as_array().unwrap().len();
    }
    assert!(moved > 0, "the withdrawal and the interleave moved someone");
    // The same explanation from the publication alone.
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let number = list[8]["number"].as_str().unwrap();
    let report = public_report(&env, &dir, &["--explain", number]);
    assert_eq!(
        report["explain"],
        env.json(&["application", "explain", number])
    );
    let x = env.json(&["application", "explain", &first]);
    assert!(x["position_now"].is_null(), "{x}");
    env.kezek(&["application", "explain", "DDO.2020.999999.1"])
        .code(4);
    env.kezek(&["application", "explain", &first, "--since", "yesterday"])
        .code(65);
}

/// The first application of the general queue of 2023 with `status` (`queued`, `notified`).
pub(crate) fn first_of_2023(env: &TestEnv, status: &str) -> String {
    let list = [
        "application",
        "list",
        "--queue-type",
        "general",
        "--group-year",
        "2023",
        "--status",
        status,
        "--limit",
        "1",
    ];
    env.json(&list)[0]["number"]
        .as_str()
        .expect("an application")
        .to_string()
}

/// An offer round that passes over the head of the general queue of 2023: the head hidden for the round by a
/// direct edit of its status, put back afterwards. Returns the head's number.
pub(crate) fn pass_over_the_head(env: &TestEnv) -> String {
    let head = first_of_2023(env, "queued");
    let edit = |sql: &str| env.conn().execute(sql, [&head]).unwrap();
    edit("UPDATE application SET status = 'stop_listed', stop_list_until = '2026-03-30' WHERE number = ?1");
    env.kezek(&["offer"]).success();
    edit("UPDATE application SET status = 'queued', stop_list_until = NULL WHERE number = ?1");
    head
}

/// R-V5: an offer round that passed over the head of the queue (here: hidden for the round by a direct edit of its
/// status, put back afterwards, so that `audit verify` still passes) is refused from the publication alone.
#[test]
fn r_v5_an_offer_round_that_passed_over_the_head_is_refused() {
    let env = city();
    let head = pass_over_the_head(&env);
    env.kezek(&["audit", "verify"]).success();
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let (code, msg) = audit_public(&env, &dir, &[]);
    assert_eq!(code, 65, "{msg}");
    assert!(
        msg.contains(&format!("but passed over {head}, queued ahead of it")),
        "{msg}"
    );
    // An honest round of the same city passes.
    let env = city();
    env.kezek(&["offer"]).success();
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let (code, msg) = audit_public(&env, &dir, &[]);
    assert_eq!(code, 0, "{msg}");
    assert!(msg.contains("1 offer rounds replayed"), "{msg}");
}

/// R-V5: a place an offer round offered, directed to an application that round did not notify (made to look
/// notified by a direct edit for the moment of the issue; the direction then rewrites the row, so `audit
/// verify` passes), is refused from the publication alone.
#[test]
fn r_v5_a_direction_of_an_offered_place_to_someone_the_round_did_not_notify_is_refused() {
    let env = city();
    env.kezek(&["offer"]).success();
    let place = env.count("SELECT min(id) FROM place WHERE status = 'offered'");
    let round = env.count(&format!("SELECT offer_round FROM place WHERE id = {place}"));
    let queued = env.json(&[
        "application",
        "list",
        "--queue-type",
        "general",
        "--group-year",
        "2023",
        "--status",
        "queued",
        "--limit",
        "1",
    ]);
    let outsider = queued[0]["number"].as_str().unwrap().to_string();
    env.conn()
        .execute(
            "UPDATE application SET status = 'notified', offer_round = ?2 WHERE number = ?1",
            rusqlite::params![outsider, round],
        )
        .unwrap();
    env.kezek(&[
        "direction",
        "issue",
        &outsider,
        "--place",
        &place.to_string(),
    ])
    .success();
    env.kezek(&["audit", "verify"]).success();
    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let (code, msg) = audit_public(&env, &dir, &[]);
    assert_eq!(code, 65, "{msg}");
    assert!(
        msg.contains(&format!(
            "place {place}, offered by round {round}, was directed to {outsider}, which that round did not notify"
        )),
        "{msg}"
    );
}

/// R-V5, R-D5: an offer round passes over a child who already attends an organization, says so in the round's
/// public row, and both checks of the publication accept the pass-over and list it, rather than refuse it.
#[test]
fn r_v5_a_pass_over_of_a_child_who_attends_an_organization_is_published_and_accepted() {
    const HEADER: &str = "registered_at,child_iin,child_name,applicant_iin,applicant_name,phone,email,district,queue_type,language,category,docs,consent";
    let csv = format!(
        "{HEADER}\n\
         2021-06-20T20:28:40+06:00,210217600012,Жумабаева Жасмин,001022651571,Жумабаева Елена,+77077624517,parent10@mail.kz,Жетысуский,general,kk,,,egov\n\
         2021-06-20T20:30:00+06:00,210217600012,Жумабаева Жасмин,001022651571,Жумабаева Елена,+77077624517,parent10@mail.kz,Жетысуский,sanatorium,kk,,medical_conclusion:9598:2021-04-29,egov\n\
         2021-12-02T08:50:31+06:00,210418600015,Ахметова Аружан,960304473310,Ахметова Гульнара,+77021176691,parent28@mail.kz,Бостандыкский,sanatorium,ru,,medical_conclusion:8390:2021-12-01,egov\n"
    );
    let env = City::builder()
        .applications(Applications::Csv(csv))
        .build()
        .env;
    // In queue order: the general queue holds Жасмин; the sanatorium queue Жасмин, then Аружан.
    let numbers = |queue: &str| -> Vec<String> {
        env.json(&["application", "list", "--queue-type", queue])
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["number"].as_str().unwrap().to_string())
            .collect()
    };
    let attends = numbers("general")[0].clone();
    let (passed, next) = {
        let sanatorium = numbers("sanatorium");
        (sanatorium[0].clone(), sanatorium[1].clone())
    };
    assert_ne!(passed, next);
    let regular = crate::place::publish(&env, "DS-001", "2021", 1)[0];
    env.kezek(&["offer"]).success();
    let d = crate::place::issued(&env, &attends, regular);
    env.kezek(&["direction", "enroll", d["number"].as_str().unwrap()])
        .success();
    crate::place::publish(&env, "SS-001", "2021", 1);
    env.kezek(&["offer"]).success();
    assert_eq!(crate::place::app_status(&env, &passed), "queued");
    assert_eq!(crate::place::app_status(&env, &next), "notified");
    env.kezek(&["audit", "verify"]).success();

    let dir = env.path("pub");
    env.cmd().arg("publish").arg(&dir).assert().success();
    let report = public_report(&env, &dir, &[]);
    assert_eq!(report["offer_rounds"], 2, "{report}");
    assert_eq!(
        report["passed_over"],
        serde_json::json!([{"seq": report["passed_over"][0]["seq"], "number": passed, "notified_after_it": next}]),
        "{report}"
    );
    if crate::verifier::have("python3") {
        let (code, stdout, stderr) = crate::verifier::verify(&dir, &["--json"]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(
            stdout.contains("\"offer_round_passed_over\": 1"),
            "{stdout}"
        );
    }
}
