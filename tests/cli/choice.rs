//! Choice (SPEC §12): ranked preferences (R-C1), the allocation by serial dictatorship (R-C2), twins (R-C5) and
//! the minimum age (R-C6), through the binary.

use std::collections::HashMap;

use serde_json::Value;

use crate::common::env::{stderr, TestEnv};
use crate::common::iin;
use crate::place::{app_status, city, publish, Kid};

/// Registers `kid` with the extra flags (preferences, a sibling); returns the number.
fn register(env: &TestEnv, kid: &Kid, extra: &[&str]) -> String {
    kid.register_with(env, extra)
}

fn prefer_flags(orgs: &[&str]) -> Vec<String> {
    orgs.iter()
        .flat_map(|o| ["--prefer".to_string(), o.to_string()])
        .collect()
}

fn with_prefs(env: &TestEnv, kid: &Kid, orgs: &[&str]) -> String {
    let flags = prefer_flags(orgs);
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    register(env, kid, &flags)
}

fn preferences(env: &TestEnv, number: &str) -> Option<String> {
    env.conn()
        .query_row(
            "SELECT preferences FROM application WHERE number = ?1",
            [number],
            |r| r.get(0),
        )
        .unwrap()
}

fn allocate(env: &TestEnv, extra: &[&str]) -> Value {
    let mut args = vec!["allocate"];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn refused(env: &TestEnv, args: &[&str], code: i32, needle: &str) {
    let before = env.snapshot();
    let assert = env.kezek(args).code(code);
    let err = stderr(&assert);
    assert!(err.contains(needle), "{args:?}: {err}");
    assert_eq!(env.snapshot(), before, "{args:?} changed the database");
}

#[test]
fn r_c1_preferences_are_kept_in_rank_order_and_replaced_by_prefer() {
    let env = city();
    let a = with_prefs(
        &env,
        &Kid::new("2022-05-10", 1),
        &["DS-002", "PS-001", "DS-001"],
    );
    assert_eq!(
        preferences(&env, &a).as_deref(),
        Some("DS-002;PS-001;DS-001")
    );
    let before = env.json(&["application", "show", &a]);
    env.kezek(&["application", "prefer", &a, "DS-001"])
        .success();
    assert_eq!(preferences(&env, &a).as_deref(), Some("DS-001"));
    let after = env.json(&["application", "show", &a]);
    assert_eq!(before["registered_at"], after["registered_at"]);
    assert_eq!(before["queue_position"], after["queue_position"]);
    env.kezek(&["application", "prefer", &a, "--clear"])
        .success();
    assert_eq!(preferences(&env, &a), None);
    // Registered without: none.
    let b = Kid::new("2022-06-10", 2).register(&env);
    assert_eq!(preferences(&env, &b), None);
}

#[test]
fn r_c1_bad_preferences_are_refused_naming_them_and_nothing_is_written() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    refused(
        &env,
        &["application", "prefer", &a, "DS-404"],
        3,
        "'DS-404'",
    );
    refused(
        &env,
        &["application", "prefer", &a, "SS-001"],
        3,
        "'SS-001'",
    );
    refused(
        &env,
        &["application", "prefer", &a, "DS-001", "DS-001"],
        3,
        "'DS-001'",
    );
    refused(
        &env,
        &[
            "application",
            "prefer",
            &a,
            "DS-001",
            "DS-002",
            "DS-003",
            "PS-001",
            "PS-002",
        ],
        3,
        "R-C1",
    );
    refused(
        &env,
        &["application", "prefer", "DDO.2026.999999.1"],
        2,
        "<CODE>",
    );
    refused(
        &env,
        &["application", "prefer", "DDO.2026.999999.1", "DS-001"],
        4,
        "DDO.2026.999999.1",
    );
    // At registration: refused whole, no application written.
    let kid = Kid::new("2022-07-10", 3);
    let flags = prefer_flags(&["DS-001", "SS-001"]);
    let mut args: Vec<String> = kid.register_args();
    args.extend(flags);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(&env, &args, 3, "'SS-001'");
    // The setting decides how many.
    env.kezek(&["settings", "set", "max_preferences", "1"])
        .success();
    refused(
        &env,
        &["application", "prefer", &a, "DS-001", "DS-002"],
        3,
        "max_preferences",
    );
}

/// Serial dictatorship as the rule says it, over the queue order the binary reports: each application in turn
/// takes its best-ranked organization with a place left.
fn brute_force(
    order: &[String],
    prefs: &HashMap<String, Vec<String>>,
    places: &HashMap<String, usize>,
) -> Vec<(String, String)> {
    let mut left = places.clone();
    let mut out = Vec::new();
    for number in order {
        for org in prefs.get(number).into_iter().flatten() {
            if let Some(n) = left.get_mut(org).filter(|n| **n > 0) {
                *n -= 1;
                out.push((number.clone(), org.clone()));
                break;
            }
        }
    }
    out
}

#[test]
fn r_c2_allocation_is_serial_dictatorship_in_queue_order() {
    let env = city();
    let choices: [&[&str]; 8] = [
        &["DS-001", "DS-002"],
        &["DS-001"],
        &["DS-002", "DS-001"],
        &["DS-001", "DS-002", "PS-001"],
        &[],
        &["DS-002"],
        &["PS-001", "DS-001"],
        &["DS-001", "DS-002"],
    ];
    let mut prefs = HashMap::new();
    for (i, orgs) in choices.iter().enumerate() {
        let kid = Kid::new(&format!("2022-0{}-1{}", 1 + i % 9, i), 10 + i as u32);
        let kid = if i == 3 { kid.first_priority() } else { kid };
        let number = with_prefs(&env, &kid, orgs);
        prefs.insert(
            number,
            orgs.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        );
    }
    publish(&env, "DS-001", "2022", 2);
    publish(&env, "DS-002", "2022", 2);
    publish(&env, "PS-001", "2022", 1);
    let order = queue_order(&env, "2022");
    let places = HashMap::from([
        ("DS-001".to_string(), 2),
        ("DS-002".to_string(), 2),
        ("PS-001".to_string(), 1),
    ]);
    let expected = brute_force(&order, &prefs, &places);

    // A dry run says the same and writes nothing.
    let before = env.snapshot();
    let dry = allocate(&env, &["--dry-run"]);
    assert_eq!(env.snapshot(), before);

    let report = allocate(&env, &[]);
    let got: Vec<(String, String)> = report["directions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["application"].as_str().unwrap().to_string(),
                d["org"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(dry["directions"].as_array().unwrap().len(), expected.len());
    for d in report["directions"].as_array().unwrap() {
        let number = d["application"].as_str().unwrap();
        let rank = prefs[number]
            .iter()
            .position(|o| o == d["org"].as_str().unwrap())
            .unwrap()
            + 1;
        assert_eq!(d["rank"], rank as i64);
        assert!(d["place_id"].is_i64());
        env.kezek(&["direction", "verify", d["direction"].as_str().unwrap()])
            .success();
        let status = app_status(&env, number);
        assert!(status == "directed" || status == "removed", "{status}");
    }
    let placed: Vec<&String> = expected.iter().map(|(n, _)| n).collect();
    let unplaced = prefs
        .iter()
        .filter(|(n, p)| !p.is_empty() && !placed.contains(n))
        .count();
    assert_eq!(report["unplaced"], unplaced as i64);
    // Each family is told, in its language.
    let notices = env.count("SELECT count(*) FROM notification WHERE kind LIKE '%direction%'");
    assert!(notices >= 2 * expected.len() as i64, "{notices}");
    env.kezek(&["audit", "verify"]).success();
    // Nothing left to allocate: a second run makes no direction.
    assert_eq!(
        allocate(&env, &[])["directions"].as_array().unwrap().len(),
        0
    );
}

#[test]
fn r_c2_allocation_runs_on_working_days() {
    let mut env = city();
    with_prefs(&env, &Kid::new("2022-05-10", 1), &["DS-001"]);
    publish(&env, "DS-001", "2022", 1);
    env.set_now("2026-03-21T10:00"); // a Saturday
    refused(&env, &["allocate"], 3, "R-C2");
}

#[test]
fn r_c6_no_direction_before_the_minimum_age_and_the_run_says_whom_it_passed_over() {
    let env = city();
    // Born 2024-06-01: under 2 on 16 March 2026.
    let young = with_prefs(&env, &Kid::new("2024-06-01", 1), &["DS-001"]);
    let older = with_prefs(&env, &Kid::new("2024-01-10", 2), &["DS-001"]);
    publish(&env, "DS-001", "2024", 2);
    let report = allocate(&env, &[]);
    let directed: Vec<&str> = report["directions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["application"].as_str().unwrap())
        .collect();
    assert_eq!(directed, [older.as_str()]);
    assert_eq!(report["passed_over"][0]["application"], young.as_str());
    assert_eq!(app_status(&env, &young), "queued");
    let published: String = env
        .conn()
        .query_row("SELECT passed_over FROM allocation_run", [], |r| r.get(0))
        .unwrap();
    assert!(published.contains(&young), "{published}");
}

#[test]
fn r_c5_twins_are_directed_together_or_not_at_all() {
    let env = city();
    let first = Kid::new("2022-05-10", 1);
    let a = with_prefs(&env, &first, &["DS-001", "DS-002"]);
    // The twin: the same applicant, born the same day.
    let twin = first.twin(2);
    let b = register(
        &env,
        &twin,
        &["--prefer", "DS-001", "--prefer", "DS-002", "--sibling", &a],
    );
    let later = with_prefs(&env, &Kid::new("2022-08-10", 3), &["DS-001"]);
    publish(&env, "DS-001", "2022", 1);
    publish(&env, "DS-002", "2022", 2);
    let report = allocate(&env, &[]);
    let got: Vec<(String, String)> = report["directions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["application"].as_str().unwrap().to_string(),
                d["org"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // DS-001 has one place: not enough for both, so the twins share DS-002 and the later child takes DS-001.
    assert_eq!(
        got,
        [
            (a.clone(), "DS-002".to_string()),
            (b.clone(), "DS-002".to_string()),
            (later, "DS-001".to_string())
        ]
    );
}

#[test]
fn r_c5_a_sibling_must_be_of_the_same_applicant_born_within_31_days() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    // Another applicant.
    let stranger = Kid::new("2022-05-10", 2);
    let mut args = stranger.register_args();
    args.extend(["--sibling".to_string(), a.clone()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(&env, &args, 3, "R-C5");
    // The same applicant, a child born two months later.
    let mut far = Kid::new("2022-07-20", 1).twin(3);
    far.iin = iin("2022-07-20", false, 30);
    let mut args = far.register_args();
    args.extend(["--sibling".to_string(), a.clone()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(&env, &args, 3, "R-C5");
}

/// The numbers of the general queue of `year`, in queue order, as `application list` gives them.
pub(crate) fn queue_order(env: &TestEnv, year: &str) -> Vec<String> {
    env.json(&[
        "application",
        "list",
        "--queue-type",
        "general",
        "--group-year",
        year,
    ])
    .as_array()
    .unwrap()
    .iter()
    .map(|r| r["number"].as_str().unwrap().to_string())
    .collect()
}

/// A city of imported applications (a registration at the tests' pinned clock would be back-dated by R-V5's
/// measure, so a publication made of them is refused): the group year of its first queued general application
/// and that queue's numbers in queue order.
pub(crate) fn imported_city() -> (TestEnv, i64, Vec<String>) {
    let env = crate::common::city::City::builder()
        .applications(crate::common::city::Applications::Examples(40))
        .build()
        .env;
    let rows = env.json(&[
        "application",
        "list",
        "--queue-type",
        "general",
        "--status",
        "queued",
    ]);
    let rows = rows.as_array().unwrap();
    let year = rows[0]["group_year"].as_i64().unwrap();
    let queue = rows
        .iter()
        .filter(|r| r["group_year"] == year)
        .map(|r| r["number"].as_str().unwrap().to_string())
        .collect();
    (env, year, queue)
}

/// R-C2, R-V5: an allocation is one public record, and a publication holding one is accepted by `audit public`
/// and by the independent verifier. (The applications are imported: a registration at the tests' pinned clock
/// would be back-dated by R-V5's measure.)
#[test]
fn r_c2_an_allocation_is_published_and_both_checkers_accept_it() {
    let (env, year, queue) = imported_city();
    let queue: Vec<&str> = queue.iter().map(String::as_str).collect();
    assert!(queue.len() >= 2, "{queue:?}");
    for (i, number) in queue.iter().take(4).enumerate() {
        let orgs: &[&str] = if i % 2 == 0 {
            &["DS-001", "DS-002"]
        } else {
            &["DS-002"]
        };
        let mut args = vec!["application", "prefer", number];
        args.extend_from_slice(orgs);
        env.kezek(&args).success();
    }
    publish(&env, "DS-001", &year.to_string(), 1);
    publish(&env, "DS-002", &year.to_string(), 1);
    let report = allocate(&env, &[]);
    assert!(
        !report["directions"].as_array().unwrap().is_empty(),
        "{report}"
    );
    env.kezek(&["publish", "pub"]).success();
    env.kezek(&["audit", "public", "pub"]).success();
    if crate::verifier::have("python3") {
        let (code, out, err) = crate::verifier::verify(&env.path("pub"), &[]);
        assert_eq!(code, 0, "{out}\n{err}");
    }
}

/// R-C2, R-V5: preferences changed outside kezek before an allocation (an insider moving a child to a better
/// kindergarten) are caught by `audit public`, which replays the run from the published preferences.
#[test]
fn r_c2_audit_public_refuses_an_allocation_that_is_not_serial_dictatorship() {
    let (env, year, queue) = imported_city();
    let queue: Vec<&str> = queue.iter().map(String::as_str).collect();
    let (a, b) = (queue[0], queue[1]);
    env.kezek(&["application", "prefer", a, "DS-001"]).success();
    env.kezek(&["application", "prefer", b, "DS-002"]).success();
    publish(&env, "DS-001", &year.to_string(), 1);
    publish(&env, "DS-002", &year.to_string(), 1);
    env.conn()
        .execute(
            "UPDATE application SET preferences = 'DS-002' WHERE number = ?1",
            [a],
        )
        .unwrap();
    let report = allocate(&env, &[]);
    assert_eq!(report["directions"][0]["org"], "DS-002", "{report}");
    env.kezek(&["publish", "pub"]).success();
    let assert = env.kezek(&["audit", "public", "pub"]).code(65);
    let err = stderr(&assert);
    assert!(err.contains("R-C2") && err.contains(a), "{err}");
}

/// R-C1: the `preferences` column of `application import` (`CODE;CODE`), checked row by row like every column:
/// a bad one refuses the file whole, naming its line and the organization.
#[test]
fn r_c1_application_import_reads_a_preferences_column() {
    let env = city();
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/applications.csv"
    ))
    .unwrap();
    let mut lines = sample.lines();
    let header = format!("{},preferences", lines.next().unwrap());
    let rows: Vec<String> = lines.take(3).map(|l| l.to_string()).collect();
    let file = |prefs: [&str; 3]| -> String {
        let mut text = header.clone() + "\n";
        for (row, p) in rows.iter().zip(prefs) {
            text.push_str(&format!("{row},{p}\n"));
        }
        text
    };
    let bad = env.write("bad.csv", &file(["DS-001;DS-002", "DS-001;SS-001", ""]));
    let before = env.snapshot();
    let assert = env
        .kezek(&["application", "import", bad.to_str().unwrap()])
        .code(65);
    let err = stderr(&assert);
    assert!(err.contains(":3:") && err.contains("'SS-001'"), "{err}");
    assert_eq!(env.snapshot(), before);
    let good = env.write("good.csv", &file(["DS-001;DS-002", "PS-001", ""]));
    env.kezek(&["application", "import", good.to_str().unwrap()])
        .success();
    let stored: Vec<Option<String>> = env
        .conn()
        .prepare("SELECT preferences FROM application ORDER BY registered_unix")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        stored,
        [
            Some("DS-001;DS-002".to_string()),
            Some("PS-001".to_string()),
            None
        ]
    );
}

/// R-C3: a transfer application of an enrolled child waits in the queue by its own time, is not refused by R-D5,
/// and its enrollment records the departure from the old organization and frees that place, in one transaction:
/// the child never holds two places and never loses the old one before the new one is certain.
#[test]
fn r_c3_a_transfer_keeps_the_old_place_until_the_new_one_is_enrolled() {
    let env = city();
    let kid = Kid::new("2022-05-10", 1);
    let first = kid.register(&env);
    let old_place = publish(&env, "DS-001", "2022", 1)[0];
    crate::place::offer(&env);
    let old = crate::place::issued(&env, &first, old_place);
    let old = old["number"].as_str().unwrap().to_string();
    env.kezek(&["direction", "enroll", &old]).success();
    // Only an enrolled child may ask for a transfer.
    let mut args = Kid::new("2022-06-10", 2).register_args();
    args.push("--transfer".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(&env, &args, 3, "R-C3");

    let transfer = register(&env, &kid, &["--transfer", "--prefer", "DS-002"]);
    assert_eq!(
        env.json(&["application", "show", &transfer])["transfer"],
        true
    );
    publish(&env, "DS-002", "2022", 1);
    let report = allocate(&env, &[]);
    assert_eq!(
        report["directions"][0]["application"],
        transfer.as_str(),
        "{report}"
    );
    let new = report["directions"][0]["direction"]
        .as_str()
        .unwrap()
        .to_string();
    // Directed, not yet enrolled: the old place is still the child's.
    assert_eq!(crate::place::place_status(&env, old_place), "filled");
    let attending = "SELECT count(*) FROM enrollment WHERE departed_on IS NULL";
    assert_eq!(env.count(attending), 1);
    env.kezek(&["direction", "enroll", &new]).success();
    assert_eq!(env.count(attending), 1);
    let org: String = env
        .conn()
        .query_row(
            "SELECT org FROM enrollment WHERE departed_on IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(org, "DS-002");
    assert_eq!(crate::place::place_status(&env, old_place), "free");
    let departed: Option<String> = env
        .conn()
        .query_row(
            "SELECT departed_on FROM enrollment WHERE direction = ?1",
            [&old],
            |r| r.get(0),
        )
        .unwrap();
    assert!(departed.is_some());
    env.kezek(&["audit", "verify"]).success();
}

/// Registers `kid`, gives it a place at `org` through the offer round and enrolls it; returns the place.
fn enrolled_at(env: &TestEnv, kid: &Kid, org: &str) -> i64 {
    let number = kid.register(env);
    let place = publish(env, org, "2022", 1)[0];
    crate::place::offer(env);
    let direction = crate::place::issued(env, &number, place);
    env.kezek(&["direction", "enroll", direction["number"].as_str().unwrap()])
        .success();
    place
}

fn attends(env: &TestEnv, kid: &Kid) -> (String, i64) {
    env.conn()
        .query_row(
            "SELECT org, place_id FROM enrollment WHERE child_iin = ?1 AND departed_on IS NULL",
            [&kid.iin],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// R-C4: two enrolled children who want each other's kindergarten swap places at once, each by a signed
/// direction; a third whose wish closes no cycle keeps its place.
#[test]
fn r_c4_exchange_carries_out_top_trading_cycles() {
    let env = city();
    let (a, b, c) = (
        Kid::new("2022-03-10", 1),
        Kid::new("2022-04-10", 2),
        Kid::new("2022-05-10", 3),
    );
    let pa = enrolled_at(&env, &a, "DS-001");
    let pb = enrolled_at(&env, &b, "DS-002");
    let pc = enrolled_at(&env, &c, "DS-003");
    let ta = register(&env, &a, &["--transfer", "--prefer", "DS-002"]);
    let tb = register(&env, &b, &["--transfer", "--prefer", "DS-001"]);
    let tc = register(&env, &c, &["--transfer", "--prefer", "DS-001"]);
    let before = env.snapshot();
    let dry = env.json(&["exchange", "--dry-run"]);
    assert_eq!(env.snapshot(), before);
    let report = env.json(&["exchange"]);
    let moves = |r: &Value| -> Vec<(Value, Value, Value)> {
        r["swaps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["application"].clone(),
                    s["gives"].clone(),
                    s["gets"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(moves(&dry), moves(&report));
    assert_eq!(report["cycles"], 1, "{report}");
    assert_eq!(report["unmatched"], 1, "{report}");
    let swaps: Vec<(String, i64, i64)> = report["swaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["application"].as_str().unwrap().to_string(),
                s["gives"].as_i64().unwrap(),
                s["gets"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(swaps, [(ta.clone(), pa, pb), (tb.clone(), pb, pa)]);
    assert_eq!(attends(&env, &a), ("DS-002".to_string(), pb));
    assert_eq!(attends(&env, &b), ("DS-001".to_string(), pa));
    assert_eq!(attends(&env, &c), ("DS-003".to_string(), pc));
    assert_eq!(crate::place::app_status(&env, &ta), "enrolled");
    assert_eq!(crate::place::app_status(&env, &tc), "queued");
    for s in report["swaps"].as_array().unwrap() {
        env.kezek(&["direction", "verify", s["direction"].as_str().unwrap()])
            .success();
    }
    env.kezek(&["audit", "verify"]).success();
    // Done: a second run finds no cycle.
    assert_eq!(env.json(&["exchange"])["cycles"], 0);
}

/// The lists the latest offer round published: (passed_over, siblings).
fn latest_round(env: &TestEnv) -> (Option<String>, Option<String>) {
    env.conn()
        .query_row(
            "SELECT passed_over, siblings FROM offer_round ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// R-C5: the offer round notifies twins together, at the first one's position, when one kindergarten has a place
/// for each of them; when none has, neither is offered a place that would split them: both keep their positions
/// and the places go on down the queue.
#[test]
fn r_c5_the_offer_round_notifies_twins_together_or_neither() {
    let mut env = city();
    let first = Kid::new("2022-05-10", 1);
    let a = first.register(&env);
    let x = Kid::new("2022-06-10", 3).register(&env);
    let b = register(&env, &first.twin(2), &["--sibling", &a]);
    let y = Kid::new("2022-07-10", 5).register(&env);
    // Two places, one in each of two kindergartens: none holds a place for both twins.
    publish(&env, "DS-001", "2022", 1);
    publish(&env, "DS-002", "2022", 1);
    let round = crate::place::offer(&env);
    assert_eq!(round["notified"], 2, "{round}");
    for (number, status) in [
        (&a, "queued"),
        (&x, "notified"),
        (&b, "queued"),
        (&y, "notified"),
    ] {
        assert_eq!(app_status(&env, number), status, "{number}");
    }
    let (passed_over, siblings) = latest_round(&env);
    assert_eq!(passed_over, Some(format!("[\"{a}\",\"{b}\"]")));
    assert_eq!(siblings, None);
    assert_eq!(
        crate::place::app(&env, &a)["queue_position"],
        1,
        "the twins keep their positions"
    );

    // The next working day, after the night closed the window: two places in one kindergarten. Both twins are
    // notified, the second one ahead of x, who waits between them in the queue.
    env.set_now("2026-03-17T01:30");
    env.kezek(&["sweep"]).success();
    env.set_now("2026-03-17T10:00");
    let both = publish(&env, "DS-003", "2022", 2);
    let round = crate::place::offer(&env);
    assert_eq!(round["notified"], 2, "{round}");
    for (number, status) in [
        (&a, "notified"),
        (&x, "queued"),
        (&b, "notified"),
        (&y, "queued"),
    ] {
        assert_eq!(app_status(&env, number), status, "{number}");
    }
    let (passed_over, siblings) = latest_round(&env);
    assert_eq!(passed_over, None);
    assert_eq!(siblings, Some(format!("[[\"{a}\",\"{b}\"]]")));
    crate::place::issued(&env, &a, both[0]);
    crate::place::issued(&env, &b, both[1]);
    env.kezek(&["audit", "verify"]).success();
}

/// R-C5: a twin whose sibling already holds a direction is offered a place only in that kindergarten.
#[test]
fn r_c5_the_offer_round_offers_a_twin_only_its_sibling_s_kindergarten() {
    let mut env = city();
    let first = Kid::new("2022-05-10", 1);
    let a = first.register(&env);
    let b = register(&env, &first.twin(2), &["--sibling", &a]);
    let x = Kid::new("2022-06-10", 3).register(&env);
    // The first twin's family took a private kindergarten's place (the twins are old enough): b waits alone.
    let private = publish(&env, "PS-001", "2022", 1);
    crate::place::issued(&env, &a, private[0]);
    env.set_now("2026-03-17T10:00");
    publish(&env, "DS-001", "2022", 1);
    let round = crate::place::offer(&env);
    assert_eq!(round["notified"], 1, "{round}");
    assert_eq!(app_status(&env, &b), "queued");
    assert_eq!(app_status(&env, &x), "notified");
    let (passed_over, _) = latest_round(&env);
    assert_eq!(passed_over, Some(format!("[\"{b}\"]")));
}

/// R-C5: after an offer round, a twin's direction goes to the organization its sibling was directed to.
#[test]
fn r_c5_twins_offered_places_are_directed_to_one_organization() {
    let env = city();
    let first = Kid::new("2022-05-10", 1);
    let a = first.register(&env);
    let b = register(&env, &first.twin(2), &["--sibling", &a]);
    let here = publish(&env, "DS-001", "2022", 2);
    let there = publish(&env, "DS-002", "2022", 1);
    crate::place::offer(&env);
    crate::place::issued(&env, &a, here[0]);
    let assert = crate::place::issue(&env, &b, there[0]).code(3);
    assert!(stderr(&assert).contains("R-C5"), "{}", stderr(&assert));
    crate::place::issued(&env, &b, here[1]);
}
