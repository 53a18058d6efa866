//! The independent verifier (verifier/kezek_verify.py, Python's standard library only) run on real
//! publications: it accepts what `kezek publish` writes and refuses, with exit 65, each kind of tampering.
//! Skipped with a note where python3 is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use kezek::crypto::{hex, PublicKey};
use kezek::domain::merkle::leaf_hash;

use crate::common::checkpoint_field as field;
use crate::common::city::{Applications, City, Places};
use crate::common::env::TestEnv;
use crate::public::{first_of_2023, pass_over_the_head, TWO_PLACES};
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/verifier/kezek_verify.py");

pub(crate) fn have(program: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        eprintln!("note: {program} is not installed; this part of the verifier's test is skipped");
    }
    found
}

/// Runs a Python script beside the verifier (its functions importable), which must succeed.
fn python_script(script: &str) {
    let out = Command::new("python3")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(["-c", script])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/verifier"))
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs the verifier: (exit code, stdout, stderr).
pub(crate) fn verify(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new("python3")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(SCRIPT)
        .arg(dir)
        .args(args)
        .output()
        .expect("run python3");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn refused(dir: &Path, args: &[&str], why: &str) {
    let (code, out, err) = verify(dir, args);
    assert_eq!(code, 65, "{why}: expected 65\n{out}\n{err}");
    assert!(err.contains(why), "expected {why:?} in\n{err}");
}

/// A city with two officers, its queues, a published place and an offer round that notified the head.
fn city() -> TestEnv {
    City::builder()
        .officers(2)
        .setting("general_per_first_priority", 2)
        .applications(Applications::Examples(usize::MAX))
        .places(TWO_PLACES)
        .offer()
        .build()
        .env
}

fn publish(env: &TestEnv, name: &str) -> PathBuf {
    let dir = env.path(name);
    env.cmd().arg("publish").arg(&dir).assert().success();
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the publication whose file `file` went through `change`.
fn tampered(
    env: &TestEnv,
    dir: &Path,
    name: &str,
    file: &str,
    change: impl FnOnce(&mut Vec<u8>),
) -> PathBuf {
    let copy_dir = env.path(name);
    copy(dir, &copy_dir);
    let path = copy_dir.join(file);
    let mut bytes = std::fs::read(&path).unwrap();
    change(&mut bytes);
    std::fs::write(&path, bytes).unwrap();
    copy_dir
}

fn swap_lines(bytes: &mut Vec<u8>, a: usize, b: usize) {
    let text = String::from_utf8(bytes.clone()).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(a, b);
    *bytes = (lines.join("\n") + "\n").into_bytes();
}

#[test]
fn the_verifier_accepts_a_publication_and_refuses_each_tampering() {
    if !have("python3") {
        return;
    }
    let env = city();
    let earlier = env.write("earlier-checkpoint", &env.stdout(&["audit", "head"]));
    let number = env.json(&["application", "list", "--limit", "1"])[0]["number"]
        .as_str()
        .unwrap()
        .to_string();
    env.kezek(&["settings", "set", "general_per_first_priority", "3"])
        .success();
    let inclusion = env.write(
        "inclusion.json",
        &env.stdout(&["proof", "inclusion", &number, "--format", "json"]),
    );
    let consistency = env.write(
        "consistency.json",
        &env.stdout(&["proof", "consistency", "--from", "5", "--format", "json"]),
    );
    let dir = publish(&env, "pub");

    let (code, out, err) = verify(
        &dir,
        &[
            "--previous",
            earlier.to_str().unwrap(),
            "--inclusion",
            inclusion.to_str().unwrap(),
            "--consistency",
            consistency.to_str().unwrap(),
            "--trust",
            env.key("ivanova").1.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("OK, every check holds"), "{out}");
    assert!(out.contains("offer round(s) checked"), "{out}");
    let (code, out, _) = verify(&dir, &["--json"]);
    assert_eq!(code, 0);
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["ok"], true);
    assert_eq!(
        summary["records"].as_i64().unwrap(),
        env.count("SELECT count(*) FROM journal")
    );
    assert!(summary["offer_rounds_checked"].as_i64().unwrap() >= 1);

    // A family's receipt: the leaf of the record that registered the application.
    let proof: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&inclusion).unwrap()).unwrap();
    let seq = proof["leaf_index"].as_u64().unwrap() + 1;
    let receipt = format!("{seq}:{}", proof["leaf_hash"].as_str().unwrap());
    assert_eq!(verify(&dir, &["--receipt", &receipt]).0, 0);
    assert_eq!(verify(&dir, &["--receipt", "nonsense"]).0, 2);

    // A changed byte inside a record's text: still canonical JSON, but not the signed tree.
    let changed = tampered(&env, &dir, "changed", "log/000000.jsonl", |b| {
        let at = b.windows(9).position(|w| w == b"DDO.2021.").unwrap() + 9;
        b[at] = if b[at] == b'9' { b'8' } else { b'9' };
    });
    refused(&changed, &[], "the root of the log's first");
    // A removed line.
    let removed = tampered(&env, &dir, "removed", "log/000000.jsonl", |b| {
        let text = String::from_utf8(b.clone()).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        lines.remove(3);
        *b = (lines.join("\n") + "\n").into_bytes();
    });
    refused(&removed, &[], "000000.jsonl: line 4 (seq 4)");
    // Two lines swapped.
    let swapped = tampered(&env, &dir, "swapped", "log/000000.jsonl", |b| {
        swap_lines(b, 4, 5)
    });
    refused(&swapped, &[], "000000.jsonl: line 5 (seq 5)");
    // Two lines of a queue swapped.
    let queue = std::fs::read_dir(dir.join("queues"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("general-2023"))
        .unwrap();
    let reordered = tampered(&env, &dir, "reordered", &format!("queues/{queue}"), |b| {
        swap_lines(b, 2, 3)
    });
    refused(&reordered, &[], &format!("queues/{queue}: line 3: R-Q2"));

    // Another database's earlier checkpoint and a receipt for another database's tree.
    let other = TestEnv::with_officer();
    other
        .kezek(&["settings", "set", "general_per_first_priority", "4"])
        .success();
    let foreign = other.write("foreign-checkpoint", &other.stdout(&["audit", "head"]));
    refused(
        &dir,
        &["--previous", foreign.to_str().unwrap()],
        "the log was rewritten since, or the checkpoint is of another log",
    );
    let other_dir = publish(&other, "pub");
    let other_log = std::fs::read_to_string(other_dir.join("log/000000.jsonl")).unwrap();
    let last = other_log.lines().count();
    let record = other_log.lines().last().unwrap();
    let foreign_receipt = format!("{last}:{}", hex(&leaf_hash(record.as_bytes())));
    refused(
        &dir,
        &["--receipt", &foreign_receipt],
        &format!("the record of seq {last} hashes to"),
    );

    // The checkpoint signed again by a key nobody registered.
    if have("openssl") {
        let (stranger_key, stranger_pub) = env.keygen("stranger");
        let checkpoint = std::fs::read_to_string(dir.join("checkpoint")).unwrap();
        let message: String = checkpoint
            .lines()
            .take(8)
            .map(|l| format!("{l}\n"))
            .collect();
        let message_file = env.write("message", &message);
        let signature = env.path("signature");
        let status = Command::new("openssl")
            .args(["dgst", "-sha256", "-sign"])
            .arg(&stranger_key)
            .arg("-out")
            .arg(&signature)
            .arg(&message_file)
            .status()
            .unwrap();
        assert!(status.success());
        let pem = std::fs::read_to_string(&stranger_pub).unwrap();
        let fingerprint = PublicKey::from_pem("public key", &pem)
            .unwrap()
            .fingerprint();
        let signature = STANDARD.encode(std::fs::read(&signature).unwrap());
        for (name, fingerprint, why) in [
            ("resigned", fingerprint.as_str(), "R-A7: key-fingerprint"),
            (
                "resigned-same-fingerprint",
                field(&checkpoint, "key-fingerprint"),
                "the signature does not verify",
            ),
        ] {
            let text = format!("{message}key-fingerprint: {fingerprint}\nsignature: {signature}\n");
            let forged = tampered(&env, &dir, name, "checkpoint", |b| *b = text.into_bytes());
            refused(&forged, &[], why);
        }
    }
}

/// An offer round that passed over the head of its queue (hidden for the round by a direct edit of its
/// status, put back afterwards) is refused from the publication alone, naming both applications.
#[test]
fn the_verifier_refuses_an_offer_round_that_passed_over_the_head() {
    if !have("python3") {
        return;
    }
    let env = City::builder()
        .applications(Applications::Examples(usize::MAX))
        .places(Places::Publish {
            org: "DS-001",
            group_year: 2023,
            language: "kk",
            count: 1,
        })
        .build()
        .env;
    let head = pass_over_the_head(&env);
    let notified = first_of_2023(&env, "notified");
    let dir = publish(&env, "pub");
    refused(
        &dir,
        &[],
        &format!("R-Q2: notified {notified} but passed over {head}, queued ahead of it"),
    );
}

#[test]
fn the_verifier_s_own_tests_pass() {
    if !have("python3") {
        return;
    }
    let out = Command::new("python3")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(["-m", "unittest", "verifier/test_kezek_verify.py"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// R-C2, R-V5: preferences changed outside kezek before an allocation (an insider moving a child to a better
/// kindergarten) are caught by the verifier too, which replays the run from the published preferences.
#[test]
fn the_verifier_refuses_an_allocation_that_is_not_serial_dictatorship() {
    if !have("python3") {
        return;
    }
    let (env, year, queue) = crate::choice::imported_city();
    let (a, b) = (queue[0].as_str(), queue[1].as_str());
    env.kezek(&["application", "prefer", a, "DS-001"]).success();
    env.kezek(&["application", "prefer", b, "DS-002"]).success();
    crate::place::publish(&env, "DS-001", &year.to_string(), 1);
    crate::place::publish(&env, "DS-002", &year.to_string(), 1);
    env.conn()
        .execute(
            "UPDATE application SET preferences = 'DS-002' WHERE number = ?1",
            [a],
        )
        .unwrap();
    let report = env.json(&["allocate"]);
    assert_eq!(report["directions"][0]["org"], "DS-002", "{report}");
    let dir = publish(&env, "pub");
    let (code, out, err) = verify(&dir, &[]);
    assert_eq!(code, 65, "{out}\n{err}");
    assert!(err.contains("R-C2") && err.contains(a), "{err}");
    // The place a took by the changed preference, and the one its published preference gives it.
    assert!(
        err.contains(&format!(
            " to {a}, which serial dictatorship over the published preferences does not"
        )) && err.contains(&format!(" to {a}, which the allocation did not")),
        "{err}"
    );
    assert!(err.contains("000000.jsonl: line"), "{err}");
}

/// R-C5: twins are served together at the earliest one's position, in an organization with a place for each.
/// The verifier replays that from the published sibling groups, and refuses the run once they are erased.
#[test]
fn the_verifier_replays_twins_served_together() {
    if !have("python3") {
        return;
    }
    use crate::place::Kid;
    let env = crate::place::city();
    let first = Kid::new("2022-05-10", 1);
    let a = first.register_with(&env, &["--prefer", "DS-001", "--prefer", "DS-002"]);
    let b = first.twin(2).register_with(
        &env,
        &["--prefer", "DS-001", "--prefer", "DS-002", "--sibling", &a],
    );
    let later = Kid::new("2022-08-10", 3).register_with(&env, &["--prefer", "DS-001"]);
    crate::place::publish(&env, "DS-001", "2022", 1);
    crate::place::publish(&env, "DS-002", "2022", 2);
    let report = env.json(&["allocate"]);
    let directed: Vec<&str> = report["directions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["application"].as_str().unwrap())
        .collect();
    assert_eq!(directed, [a.as_str(), b.as_str(), later.as_str()]);
    let dir = publish(&env, "pub");
    let (code, out, err) = verify(&dir, &["--json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["allocation_runs_checked"], 1, "{out}");

    // The run's sibling groups erased (the line stays canonical): served alone, the first twin would take
    // DS-001's one place and the later child none.
    let erased = tampered(&env, &dir, "erased", "log/000000.jsonl", |bytes| {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let at = text.find(",\"siblings\":\"").expect("the run's siblings");
        let end = at + text[at..].find("\"]]\"").unwrap() + 4;
        *bytes = format!("{},\"siblings\":null{}", &text[..at], &text[end..]).into_bytes();
    });
    let (code, out, err) = verify(&erased, &[]);
    assert_eq!(code, 65, "{out}\n{err}");
    assert!(err.contains("R-C2") && err.contains(&later), "{err}");
    assert!(err.contains("the root of the log's first"), "{err}");
}

/// R-C5: an offer round notifies twins together at the first one's position, ahead of a child between them in
/// the queue. The verifier accepts it from the round's published twins, and refuses the round once they are
/// erased: the child between them was passed over.
#[test]
fn the_verifier_replays_twins_notified_together() {
    if !have("python3") {
        return;
    }
    use crate::place::Kid;
    let env = crate::place::city();
    let first = Kid::new("2022-05-10", 1);
    let a = first.register(&env);
    let between = Kid::new("2022-06-10", 3).register(&env);
    let b = first.twin(2).register_with(&env, &["--sibling", &a]);
    crate::place::publish(&env, "DS-001", "2022", 2);
    assert_eq!(crate::place::offer(&env)["notified"], 2);
    assert_eq!(crate::place::app_status(&env, &b), "notified");
    let dir = publish(&env, "pub");
    let (code, out, err) = verify(&dir, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    let erased = tampered(&env, &dir, "erased", "log/000000.jsonl", |bytes| {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let at = text.find(",\"siblings\":\"").expect("the round's siblings");
        let end = at + text[at..].find("\"]]\"").unwrap() + 4;
        *bytes = format!("{},\"siblings\":null{}", &text[..at], &text[end..]).into_bytes();
    });
    let (code, out, err) = verify(&erased, &[]);
    assert_eq!(code, 65, "{out}\n{err}");
    assert!(
        err.contains(&format!("R-Q2: notified {b} but passed over {between}")),
        "{err}"
    );
}

/// The verifier's serial dictatorship on the hand cases of `src/domain/allocation.rs`.
#[test]
fn the_verifier_s_serial_dictatorship_gives_the_hand_cases() {
    if !have("python3") {
        return;
    }
    let cases = r#"
from kezek_verify import serial_dictatorship as sd
def w(key, group, preferences):
    return (key, group, preferences)
cases = [
    ([w(0, None, [(0, 1), (1, 2)]), w(1, None, [(0, 1), (1, 2)]), w(2, None, [(0, 1)]), w(3, None, []),
      w(4, None, [(1, 1)])], [[10], [20, 21]], ([(0, 10, 0, 1), (1, 20, 1, 2), (4, 21, 1, 1)], 2)),
    ([w(7, None, [(0, 4), (2, 2)])], [[1], [], [35, 40, 52]], ([(7, 35, 2, 2)], 0)),
    ([w(0, None, [(0, 1)]), w(1, None, [(0, 1)])], [[9, 3, 3]], ([(0, 3, 0, 1), (1, 9, 0, 1)], 0)),
    ([w(0, 1, [(0, 1), (1, 2)]), w(1, None, [(0, 1)]), w(2, 1, [(0, 1), (1, 2)])], [[5], [6, 7]],
     ([(0, 6, 1, 2), (2, 7, 1, 2), (1, 5, 0, 1)], 0)),
    ([w(0, 1, [(0, 1)]), w(1, 1, [(0, 1)]), w(2, None, [(0, 1)])], [[5]], ([(2, 5, 0, 1)], 2)),
    ([w(0, 4, [(0, 1), (1, 2)]), w(1, None, [(1, 1)]), w(2, None, [(0, 1)]), w(3, 4, [(1, 2)])],
     [[1, 2], [3, 4]], ([(0, 3, 1, 2), (3, 4, 1, 2), (2, 1, 0, 1)], 1)),
    ([w(0, None, [(9, 1), (0, 2)])], [[1]], ([(0, 1, 0, 2)], 0)),
]
for i, (applications, pools, expected) in enumerate(cases):
    got = sd(applications, pools)
    assert got == expected, f"case {i}: {got} != {expected}"
"#;
    python_script(cases);
}

/// The verifier's Top Trading Cycles on the hand cases of `src/domain/exchange.rs`.
#[test]
fn the_verifier_s_top_trading_cycles_gives_the_hand_cases() {
    if !have("python3") {
        return;
    }
    let cases = r#"
from kezek_verify import top_trading_cycles as ttc
def p(key, org, place_id, wants):
    return (key, (org, place_id), wants)
def t(key, gives, gets, rank):
    return (key, gives, gets, rank)
cases = [
    # two children swap
    ([p(0, 0, 10, [(1, 1)]), p(1, 1, 11, [(2, 1), (0, 2)])],
     [[t(0, (0, 10), (1, 11), 1), t(1, (1, 11), (0, 10), 2)]]),
    # three children rotate: 0 wants 1's org, 1 wants 2's, 2 wants 0's
    ([p(0, 0, 10, [(1, 1)]), p(1, 1, 11, [(2, 3)]), p(2, 2, 12, [(0, 1)])],
     [[t(0, (0, 10), (1, 11), 1), t(1, (1, 11), (2, 12), 3), t(2, (2, 12), (0, 10), 1)]]),
    # a chain that does not close moves nobody
    ([p(0, 0, 10, [(1, 1)]), p(1, 1, 11, [(2, 1)]), p(2, 2, 12, [])], []),
    # the earliest holder of a wanted org is pointed to, and the next one after it leaves
    ([p(0, 0, 10, [(1, 1)]), p(1, 1, 11, []), p(2, 1, 12, [(0, 2)])],
     [[t(0, (0, 10), (1, 12), 1), t(2, (1, 12), (0, 10), 2)]]),
    # cycles come in the order found: {1, 2} first, then 0 falls back on its second choice, 3
    ([p(0, 0, 10, [(1, 1), (3, 2)]), p(1, 1, 11, [(2, 1)]), p(2, 2, 12, [(1, 1)]), p(3, 3, 13, [(0, 1)])],
     [[t(1, (1, 11), (2, 12), 1), t(2, (2, 12), (1, 11), 1)],
      [t(0, (0, 10), (3, 13), 2), t(3, (3, 13), (0, 10), 1)]]),
    # a preference for the participant's own org is ignored
    ([p(0, 0, 10, [(0, 1), (1, 2)]), p(1, 1, 11, [(0, 1)])],
     [[t(0, (0, 10), (1, 11), 2), t(1, (1, 11), (0, 10), 1)]]),
    ([], []),
]
for i, (participants, expected) in enumerate(cases):
    got = ttc(participants)
    assert got == expected, f"case {i}: {got} != {expected}"
"#;
    python_script(cases);
}

/// R-C4, R-V5: the demo's month ends with an exchange of two enrolled children's places; the verifier replays
/// it from the publication by Top Trading Cycles. A direction of the exchange changed in the log (the line
/// stays canonical) breaks the root, and the replay names the move.
#[test]
fn the_verifier_replays_the_demo_s_exchange_and_refuses_it_tampered() {
    if !have("python3") {
        return;
    }
    let env = TestEnv::bare();
    env.cmd()
        .env_remove("KEZEK_DB")
        .arg("demo")
        .assert()
        .success();
    let dir = env.path("kezek-demo.pub");
    let (code, out, err) = verify(&dir, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("exchanges:   1 run(s) replayed by Top Trading Cycles (R-C4)"),
        "{out}"
    );
    let (code, out, _) = verify(&dir, &["--json"]);
    assert_eq!(code, 0, "{out}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["exchange_runs_checked"], 1, "{out}");

    // The exchange's record: its first participant, the place it held and the direction it was given.
    let log = std::fs::read_to_string(dir.join("log/000000.jsonl")).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("\"kind\":\"exchange.run\""))
        .expect("the demo's exchange");
    let record: serde_json::Value = serde_json::from_str(line).unwrap();
    let rows = record["rows"].as_array().unwrap();
    let run = rows.iter().find(|r| r["table"] == "exchange_run").unwrap();
    let participants: Vec<(String, i64)> =
        serde_json::from_str(run["fields"]["participants"].as_str().unwrap()).unwrap();
    let (first, held) = participants[0].clone();
    let moved = rows
        .iter()
        .find(|r| r["table"] == "direction" && r["fields"]["application"] == first.as_str())
        .expect("the first participant's new direction");
    let number = moved["key"].as_str().unwrap();
    let gets = moved["fields"]["place_id"].as_i64().unwrap();
    assert_ne!(gets, held);
    // The first participant "moved" into the place it held: not a move Top Trading Cycles makes.
    let from = format!("\"number\":\"{number}\",\"place_id\":{gets},");
    let to = format!("\"number\":\"{number}\",\"place_id\":{held},");
    let changed = tampered(&env, &dir, "changed", "log/000000.jsonl", |bytes| {
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(text.matches(&from).count(), 1, "{from}");
        *bytes = text.replacen(&from, &to, 1).into_bytes();
    });
    let (code, out, err) = verify(&changed, &[]);
    assert_eq!(code, 65, "{out}\n{err}");
    assert!(err.contains("the root of the log's first"), "{err}");
    assert!(
        err.contains(&format!(
            "(seq {}): the exchange's moves are not Top Trading Cycles' over its participants and their \
             published preferences: see {first} and place ",
            record["seq"]
        )) && err.contains("(R-C4, R-V5)"),
        "{err}"
    );
}

/// R-C4: the verifier's replay of an exchange run on a hand-built state (as the unit test of audit public's
/// replay): places 1 (DS-001) and 2 (DS-002) held by A and B, who want each other's organization, and C at
/// DS-003 who wants DS-001. A and B swapping is accepted; any other set of moves, or a participant's place the
/// log never published, is refused naming the seq, the application and the place.
#[test]
fn the_verifier_s_exchange_replay_accepts_top_trading_cycles_and_refuses_any_other_move() {
    if !have("python3") {
        return;
    }
    let script = r#"
import json
from kezek_verify import Verifier
AT = "2026-03-16T10:00:00+05:00"
def record(kind, rows):
    return {"effective_at": AT, "kind": kind, "officer": "o", "recorded_at": AT, "rows": rows, "seq": 5,
            "subject": "1"}
def place(key, org):
    fields = {"group_year": 2022, "org": org, "place_type": "regular", "release_date": "2026-03-01",
              "status": "filled"}
    return {"fields": fields, "key": key, "table": "place"}
def app(number, preferences):
    fields = {"number": number, "queue_type": "general", "group_year": 2022, "priority_class": "general",
              "registered_at": "2026-01-01T09:00:00+05:00", "status": "queued", "preferences": preferences}
    return {"fields": fields, "key": number, "table": "application"}
def state():
    v = Verifier(".")
    v.start_replay()
    v.apply(record("place.publish", [place(1, "DS-001"), place(2, "DS-002"), place(3, "DS-003")]), 1)
    v.apply(record("application.prefer", [app("A", "DS-002"), app("B", "DS-001"), app("C", "DS-001")]), 2)
    return v
def exchange(moves, participants=(("A", 1), ("B", 2), ("C", 3))):
    run = {"participants": json.dumps([list(p) for p in participants])}
    rows = [{"fields": run, "key": 1, "table": "exchange_run"}]
    for i, (n, place_id) in enumerate(moves):
        fields = {"application": n, "place_id": place_id, "status": "enrolled"}
        rows.append({"fields": fields, "key": f"NAP.2026.00000{i}", "table": "direction"})
    return record("exchange.run", rows)
v = state()
v.apply(exchange([("A", 2), ("B", 1)]), 5)
assert not v.failures and v.exchange_runs == 1, v.failures
# C moved into A's place instead of B; B's move missing; C moved besides.
for moves, named in (([("A", 2), ("C", 1)], "see B and place 1"), ([("A", 2)], "see B and place 1"),
                     ([("A", 2), ("B", 1), ("C", 2)], "see C and place 2")):
    v = state()
    v.apply(exchange(moves), 5)
    assert len(v.failures) == 1, v.failures
    assert v.failures[0].startswith("seq 5: ") and named in v.failures[0] and "(R-C4, R-V5)" in v.failures[0], v.failures
# C's place was never published.
v = state()
v.apply(exchange([("A", 2), ("B", 1)], (("A", 1), ("B", 2), ("C", 9))), 5)
assert v.failures == ["seq 5: the exchange names place 9, which the log never published (R-C4, R-V5)"], v.failures
"#;
    python_script(script);
}

/// R-R1, R-R3: the verifier holds records to a table of roles of its own, never read from a publication; it is
/// the binary's table (`officer roles`), line by line, so that the two cannot drift apart.
#[test]
fn r_r3_the_verifier_s_table_of_roles_is_the_binary_s() {
    if !have("python3") {
        return;
    }
    let env = TestEnv::bare();
    let kezek = env.json(&["officer", "roles"]);
    let out = Command::new("python3")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args([SCRIPT, "--print-roles"])
        .output()
        .expect("run python3");
    assert!(out.status.success(), "{out:?}");
    let verifier: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let (kezek, verifier) = (kezek.as_array().unwrap(), verifier.as_array().unwrap());
    for (k, v) in kezek.iter().zip(verifier) {
        assert_eq!(
            k, v,
            "the verifier's line differs from `kezek officer roles`"
        );
    }
    assert_eq!(kezek.len(), verifier.len());
}

/// Runs `args` as officer `id` with the private key `key`.
fn as_officer(env: &TestEnv, id: &str, key: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    env.cmd()
        .env("KEZEK_OFFICER", id)
        .env("KEZEK_KEY", key)
        .args(args)
        .assert()
}

/// R-R3: a city where every role does its part, and an admin changes a role, verifies both with `audit public`
/// and with the verifier, which counts the role change and every record it held to its officer's role.
#[test]
fn r_r3_the_verifier_accepts_a_city_of_several_roles_and_a_role_change() {
    if !have("python3") {
        return;
    }
    use crate::roles::add_args;
    let mut env = City::builder()
        .applications(Applications::Examples(usize::MAX))
        .build()
        .env;
    let (_, sadykov) = env.key("sadykov");
    env.kezek_args(add_args("sadykov", &sadykov, "officer", None))
        .success();
    let (night, public) = env.keygen("night");
    env.kezek_args(add_args("night", &public, "service", None))
        .success();
    let (kg, public) = env.keygen("kg");
    env.kezek_args(add_args("kg", &public, "kindergarten", Some("DS-005")))
        .success();
    // The district's officer publishes a place of its kindergarten and issues the direction the night's offer
    // round led to; the kindergarten enrolls the child.
    env.act_as("sadykov");
    let place = crate::place::publish(&env, "DS-005", "2023", 1)[0];
    let round = as_officer(&env, "night", &night, &["offer", "--format", "json"]).success();
    let round: serde_json::Value = serde_json::from_slice(&round.get_output().stdout).unwrap();
    assert_eq!(round["notified"], 1, "{round}");
    let direction = crate::place::issued(&env, &first_of_2023(&env, "notified"), place);
    as_officer(
        &env,
        "kg",
        &kg,
        &[
            "direction",
            "enroll",
            direction["number"].as_str().unwrap(),
            // The head of the queue is out of turn (R-D8).
            "--benefit-doc-date",
            "2026-03-10",
        ],
    )
    .success();
    // The kindergarten's account becomes an officer of its district, and publishes a place as one.
    env.act_as("ivanova");
    env.kezek(&["officer", "set-role", "kg", "--role", "officer"])
        .success();
    let args = [
        "place",
        "publish",
        "--org",
        "DS-005",
        "--group-year",
        "2023",
        "--language",
        "ru",
        "--count",
        "1",
    ];
    as_officer(&env, "kg", &kg, &args).success();

    let dir = publish(&env, "pub");
    env.kezek_args(["audit".as_ref(), "public".as_ref(), dir.as_os_str()])
        .success();
    let (code, out, err) = verify(&dir, &["--json"]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["role_changes"], 1, "{out}");
    assert_eq!(
        summary["role_events_checked"].as_i64().unwrap(),
        env.count("SELECT count(*) FROM journal WHERE officer IS NOT NULL"),
        "{out}"
    );
}

/// R-R3: a service account widened to an admin behind kezek's back (an SQL edit of its row, undone after use)
/// changes a setting. The publication is signed and every row has its digest, but the log says who acted in
/// which role: `audit public` and the verifier both refuse it, with the same words.
#[test]
fn r_r3_the_verifier_refuses_a_role_widened_behind_kezek_s_back_as_audit_public_does() {
    if !have("python3") {
        return;
    }
    let env = crate::roles::widened(true);
    let dir = publish(&env, "pub");
    let log = std::fs::read_to_string(dir.join("log/000000.jsonl")).unwrap();
    let seq = log
        .lines()
        .position(|l| {
            l.contains("\"kind\":\"settings.set\"") && l.contains("\"officer\":\"night\"")
        })
        .expect("night's setting")
        + 1;
    let says = format!(
        "R-R3: journal event {seq} (settings.set) was made by officer 'night', whose role at that point \
         (service, district Алмалинский) does not allow it"
    );
    let assert = env
        .kezek_args(["audit".as_ref(), "public".as_ref(), dir.as_os_str()])
        .code(65);
    let text = crate::common::env::stderr(&assert);
    assert!(text.contains(&says), "{text}");
    let (code, out, err) = verify(&dir, &[]);
    assert_eq!(code, 65, "{out}\n{err}");
    assert!(
        err.contains(&format!("000000.jsonl: line {seq} (seq {seq}): {says}")),
        "{err}"
    );
}
