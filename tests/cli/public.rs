//! The publication (R-V3) and the proofs (R-V4): what anyone can check without the database.

use std::collections::BTreeMap;
use std::path::Path;

use kezek::domain::merkle::{leaf_hash, verify_consistency, verify_inclusion, Hash};

use crate::common::city::{Applications, City};
use crate::common::env::{stderr, TestEnv};

/// The sample organizations and applications, and two places published.
fn city() -> TestEnv {
    let env = City::builder()
        .applications(Applications::Examples(usize::MAX))
        .build()
        .env;
    env.kezek(&[
        "place",
        "publish",
        "--org",
        "DS-001",
        "--group-year",
        "2023",
        "--language",
        "kk",
        "--count",
        "2",
    ])
    .success();
    env
}

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

fn field<'a>(checkpoint: &'a str, key: &str) -> &'a str {
    checkpoint
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .unwrap()
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
