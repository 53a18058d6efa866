//! `kezek direction issue | extend | revoke | annul | enroll | show | verify` and `kezek child depart`
//! (SPEC §5 R-D1..R-D9, §7 R-A3 and R-A5, §9 shapes), and two officers racing for the last place.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use assert_cmd::assert::Assert;
use base64::Engine;
use serde_json::Value;

use crate::common::env::{stderr, TestEnv};
use crate::place::{
    app, app_status, audit_ok, city, issue, issued, offer, place, place_status, publish, refused,
    Kid,
};

fn number(direction: &Value) -> String {
    direction["number"]
        .as_str()
        .unwrap_or_else(|| panic!("a number in {direction}"))
        .to_string()
}

fn show(env: &TestEnv, direction: &str) -> Value {
    env.json(&["direction", "show", direction])
}

/// One child of 2022 registered, one place at DS-001, the offer round and the direction, all at the
/// environment's clock. Returns (application, place, direction number).
fn directed(env: &TestEnv, kid: &Kid) -> (String, i64, String) {
    let application = kid.register(env);
    let place = publish(env, "DS-001", "2022", 1)[0];
    assert_eq!(offer(env)["notified"], 1);
    let direction = issued(env, &application, place);
    (application, place, number(&direction))
}

fn enroll(env: &TestEnv, direction: &str, extra: &[&str]) -> Assert {
    let mut args = vec!["direction", "enroll", direction];
    args.extend_from_slice(extra);
    env.kezek(&args)
}

fn verify(env: &TestEnv, direction: &str) -> Assert {
    env.kezek(&["direction", "verify", direction])
}

fn extend(env: &TestEnv, direction: &str, days: &str) -> Assert {
    env.kezek(&[
        "direction",
        "extend",
        direction,
        "--days",
        days,
        "--reason",
        "ребёнок болеет",
    ])
}

/// Runs SQL on the test database (tampering, or a state kezek has no command for yet).
fn sql(env: &TestEnv, statement: &str) {
    env.conn().execute_batch(statement).expect("SQL");
}

// ---------------------------------------------------------------------------------------------------------
// R-D1: issue.

#[test]
fn r_d1_a_direction_is_numbered_signed_and_valid_to_the_fifth_working_day() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let p = publish(&env, "DS-001", "2022", 1)[0];
    offer(&env);
    let d = issued(&env, &a, p);
    for key in [
        "number",
        "application",
        "place_id",
        "status",
        "issued_at",
        "valid_until",
        "extended",
        "officer",
        "document",
        "signature",
    ] {
        assert!(d.get(key).is_some(), "{key} in {d}");
    }
    assert_eq!(d["number"], "NAP.2026.000001", "{d}");
    assert_eq!(d["application"], a.as_str(), "{d}");
    assert_eq!(d["place_id"], p, "{d}");
    assert_eq!(d["status"], "issued", "{d}");
    assert!(
        d["issued_at"]
            .as_str()
            .expect("issued_at")
            .starts_with("2026-03-16T10:00"),
        "{d}"
    );
    // Monday 16 March: 17, 18, 19, 20, then Nauryz 21 to 25, then Thursday 26.
    assert_eq!(d["valid_until"], "2026-03-26", "{d}");
    assert_eq!(d["extended"], false, "{d}");
    assert_eq!(d["officer"], "ivanova", "{d}");
    let document = d["document"].as_str().expect("a document");
    for line in [
        "number: NAP.2026.000001",
        &format!("application: {a}"),
        "org: DS-001",
        &format!("place_id: {p}"),
        "valid_until: 2026-03-26",
        "officer: ivanova",
    ] {
        assert!(document.lines().any(|l| l == line), "{line} in {document}");
    }
    let signature = base64::engine::general_purpose::STANDARD
        .decode(d["signature"].as_str().expect("a signature"))
        .expect("base64");
    assert!(signature.len() >= 256, "{} bytes", signature.len());

    assert_eq!(app_status(&env, &a), "directed");
    assert_eq!(place_status(&env, p), "directed");
    let shown = show(&env, "NAP.2026.000001");
    for key in [
        "number",
        "application",
        "place_id",
        "status",
        "valid_until",
        "document",
        "signature",
    ] {
        assert_eq!(shown[key], d[key], "{key}");
    }
    audit_ok(&env);
}

#[test]
fn r_d1_issued_on_a_friday_it_is_valid_to_the_next_friday() {
    let mut env = city();
    env.set_now("2026-03-13T10:00");
    let (_, _, d) = directed(&env, &Kid::new("2022-05-10", 1));
    assert_eq!(show(&env, &d)["valid_until"], "2026-03-20");
}

#[test]
fn r_d1_numbers_follow_in_sequence() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    let places = publish(&env, "DS-001", "2022", 2);
    assert_eq!(offer(&env)["notified"], 2);
    assert_eq!(issued(&env, &b, places[0])["number"], "NAP.2026.000001");
    assert_eq!(issued(&env, &a, places[1])["number"], "NAP.2026.000002");
}

// ---------------------------------------------------------------------------------------------------------
// R-D2: the application.

#[test]
fn r_d2_an_application_that_is_not_waiting_is_refused() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    let places = publish(&env, "DS-001", "2022", 3);
    assert_eq!(offer(&env)["notified"], 2);
    env.kezek(&[
        "application",
        "withdraw",
        &b,
        "--reason",
        "по заявлению родителя",
        "--yes",
    ])
    .success();
    let d = issued(&env, &a, places[0]);

    let before = env.snapshot();
    // Withdrawn: removed from the queue.
    refused(issue(&env, &b, places[1]), "R-D2");
    // Directed, holding the active direction: not a second one.
    refused(issue(&env, &a, places[1]), "R-D2");
    assert_eq!(env.snapshot(), before);
    assert_eq!(show(&env, &number(&d))["status"], "issued");
}

#[test]
fn r_d2_an_application_holding_an_active_private_direction_is_refused() {
    let env = city();
    // A child of 3 takes a private place: the application leaves the queue, the direction is active.
    let a = Kid::new("2022-05-10", 1).register(&env);
    let private = publish(&env, "PS-001", "2022", 2);
    let d = number(&issued(&env, &a, private[0]));
    assert_eq!(app_status(&env, &a), "removed");
    let before = env.snapshot();
    let text = refused(issue(&env, &a, private[1]), "R-D2");
    assert!(text.contains(&a), "{text}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(show(&env, &d)["status"], "issued");
}

#[test]
fn r_d2_a_stop_listed_application_is_refused_naming_the_date() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let places = publish(&env, "DS-001", "2022", 1);
    assert_eq!(offer(&env)["notified"], 1);
    // kezek has no sweep yet to stop-list an application: set the state directly (the audit would flag it).
    sql(
        &env,
        &format!(
            "UPDATE application SET status = 'stop_listed', stop_list_until = '2026-04-03' WHERE number = '{a}'"
        ),
    );
    let before = env.snapshot();
    let text = refused(issue(&env, &a, places[0]), "R-D2");
    assert!(text.contains("2026-04-03"), "{text}");
    assert_eq!(env.snapshot(), before);
}

// ---------------------------------------------------------------------------------------------------------
// R-D3: the place.

#[test]
fn r_d3_a_place_of_another_queue_type_or_group_year_is_refused() {
    let env = city();
    let general = Kid::new("2022-05-10", 1).register(&env);
    let sanatorium = Kid::new("2022-06-10", 2).sanatorium().register(&env);
    let younger = Kid::new("2023-05-10", 3).register(&env);
    let regular = publish(&env, "DS-001", "2022", 1)[0];
    let sanatorium_place = publish(&env, "SS-001", "2022", 1)[0];
    let place_2023 = publish(&env, "DS-002", "2023", 1)[0];
    assert_eq!(offer(&env)["notified"], 3);
    for id in [regular, sanatorium_place, place_2023] {
        assert_eq!(place_status(&env, id), "offered");
    }

    let before = env.snapshot();
    let text = refused(issue(&env, &general, sanatorium_place), "R-D3");
    assert!(text.contains("sanatorium"), "{text}");
    refused(issue(&env, &sanatorium, regular), "R-D3");
    let text = refused(issue(&env, &general, place_2023), "R-D3");
    assert!(text.contains("2023"), "{text}");
    refused(issue(&env, &younger, regular), "R-D3");
    assert_eq!(env.snapshot(), before);

    // Each takes its own.
    issued(&env, &general, regular);
    issued(&env, &sanatorium, sanatorium_place);
    issued(&env, &younger, place_2023);
    audit_ok(&env);
}

#[test]
fn r_d3_a_withdrawn_place_or_a_state_place_still_free_is_refused() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let places = publish(&env, "DS-001", "2022", 2);
    assert_eq!(offer(&env)["notified"], 1);
    env.kezek(&["place", "withdraw", &places[1].to_string(), "--yes"])
        .success();
    // Published after the round: free, never offered.
    let free = publish(&env, "DS-003", "2022", 1)[0];
    let before = env.snapshot();
    refused(issue(&env, &a, places[1]), "R-D3");
    let text = refused(issue(&env, &a, free), "R-D3");
    assert!(text.contains("free"), "{text}");
    assert_eq!(env.snapshot(), before);
    env.kezek(&["direction", "issue", &a, "--place", "9999"])
        .code(4);
    issued(&env, &a, places[0]);

    // A private place must be free: not withdrawn, not directed to someone else.
    let b = Kid::new("2022-06-10", 2).register(&env);
    let c = Kid::new("2022-07-10", 3).register(&env);
    let private = publish(&env, "PS-001", "2022", 2);
    env.kezek(&["place", "withdraw", &private[0].to_string(), "--yes"])
        .success();
    issued(&env, &b, private[1]);
    let before = env.snapshot();
    refused(issue(&env, &c, private[0]), "R-D3");
    refused(issue(&env, &c, private[1]), "R-D3");
    assert_eq!(env.snapshot(), before);
    audit_ok(&env);
}

#[test]
fn r_d3_an_offered_place_for_an_application_not_notified_in_the_current_window_is_refused() {
    let mut env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    let places = publish(&env, "DS-001", "2022", 1);
    assert_eq!(offer(&env)["notified"], 1);
    assert_eq!(app_status(&env, &b), "queued");
    let before = env.snapshot();
    refused(issue(&env, &b, places[0]), "R-D3");
    assert_eq!(env.snapshot(), before);

    // Next day: a new round offers a new place; a (notified yesterday) is first again, b still waits.
    env.set_now("2026-03-17T10:00");
    let fresh = publish(&env, "DS-002", "2022", 1)[0];
    offer(&env);
    assert_eq!(place_status(&env, places[0]), "free_choice");
    assert_eq!(place_status(&env, fresh), "offered");
    assert_eq!(app_status(&env, &a), "notified");
    assert_eq!(app_status(&env, &b), "queued");
    let before = env.snapshot();
    refused(issue(&env, &b, fresh), "R-D3");
    assert_eq!(env.snapshot(), before);
    // The free-choice place is open to b (R-P5).
    issued(&env, &b, places[0]);
    issued(&env, &a, fresh);
    audit_ok(&env);
}

/// The winner's officer and the loser's exit code, or why the round failed.
type RaceOutcome = Result<(&'static str, i32), String>;

/// One round: both contenders issue a direction for their own application to the same place, at once.
fn race_round(
    bin: &Path,
    dir: &Path,
    db: &Path,
    contenders: [(&str, &Path, &str); 2],
    place: i64,
) -> RaceOutcome {
    let children: Vec<_> = contenders
        .iter()
        .map(|(officer, key, number)| {
            Command::new(bin)
                .env_clear()
                .current_dir(dir)
                .env("KEZEK_DB", db)
                .env("KEZEK_NOW", "2026-03-16T11:00")
                .env("KEZEK_OFFICER", officer)
                .env("KEZEK_KEY", key)
                .env("KEZEK_TEST_PAUSE_MS", "30")
                .args(["direction", "issue", number, "--place", &place.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn kezek")
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait for kezek"))
        .collect();
    let codes: Vec<Option<i32>> = outputs.iter().map(|o| o.status.code()).collect();
    let errors: Vec<String> = outputs
        .iter()
        .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        .collect();
    let winner = match (codes[0], codes[1]) {
        (Some(0), Some(3 | 75)) => 0,
        (Some(3 | 75), Some(0)) => 1,
        _ => return Err(format!("exit codes {codes:?}: {errors:?}")),
    };
    let loser = 1 - winner;
    if codes[loser] == Some(3) && !errors[loser].starts_with("kezek: R-D3:") {
        return Err(format!("the loser's refusal: {}", errors[loser]));
    }
    let conn = rusqlite::Connection::open(db).expect("open the raced database");
    let live: i64 = conn
        .query_row(
            "SELECT count(*) FROM direction WHERE place_id = ?1 AND status IN ('issued', 'enrolled')",
            [place],
            |r| r.get(0),
        )
        .expect("a count");
    let all: i64 = conn
        .query_row("SELECT count(*) FROM direction", [], |r| r.get(0))
        .expect("a count");
    if live != 1 || all != 1 {
        return Err(format!("{live} live directions, {all} in all"));
    }
    let holder: String = conn
        .query_row("SELECT application FROM direction", [], |r| r.get(0))
        .expect("the direction's application");
    let loser_status: String = conn
        .query_row(
            "SELECT status FROM application WHERE number = ?1",
            [contenders[loser].2],
            |r| r.get(0),
        )
        .expect("the loser's application");
    drop(conn);
    if holder != contenders[winner].2 || loser_status != "notified" {
        return Err(format!(
            "the direction is {holder}'s, the winner was {}; the loser's application is {loser_status}",
            contenders[winner].2
        ));
    }
    let audit = Command::new(bin)
        .env_clear()
        .current_dir(dir)
        .env("KEZEK_DB", db)
        .args(["audit", "verify"])
        .output()
        .expect("run audit verify");
    if !audit.status.success() {
        return Err(format!(
            "audit verify: {}",
            String::from_utf8_lossy(&audit.stderr)
        ));
    }
    let officer = if contenders[winner].0 == "ivanova" {
        "ivanova"
    } else {
        "sadykov"
    };
    Ok((officer, codes[loser].unwrap_or(-1)))
}

#[test]
fn r_d3_two_officers_racing_for_the_last_place_exactly_one_wins() {
    let started = Instant::now();
    let env = city();
    env.add_officer("sadykov");
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    let places = publish(&env, "DS-001", "2022", 2);
    assert_eq!(offer(&env)["notified"], 2);
    // One place left, offered to both.
    env.kezek(&["place", "withdraw", &places[1].to_string(), "--yes"])
        .success();
    let place = places[0];
    assert_eq!(place_status(&env, place), "offered");
    assert_eq!(app_status(&env, &a), "notified");
    assert_eq!(app_status(&env, &b), "notified");
    // Every kezek process of the template has exited: fold the WAL into the file before copying it.
    env.conn()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        })
        .expect("checkpoint");
    let template = env.db.clone();

    let bin = assert_cmd::cargo::cargo_bin("kezek");
    let (ivanova_key, _) = env.key("ivanova");
    let (sadykov_key, _) = env.key("sadykov");
    let rounds = 100;
    // Most of a round is waiting (the pause, SQLite's busy back-off): four rounds run side by side, each on
    // its own copy of the template.
    let workers = 4;
    let results: Vec<(usize, RaceOutcome)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let (env, template, bin) = (&env, &template, &bin);
                let (ivanova_key, sadykov_key, a, b) = (&ivanova_key, &sadykov_key, &a, &b);
                scope.spawn(move || {
                    (worker..rounds)
                        .step_by(workers)
                        .map(|round| {
                            let db = env.path(&format!("race-{round}.db"));
                            std::fs::copy(template, &db).expect("copy the template database");
                            let first = ("ivanova", ivanova_key.as_path(), a.as_str());
                            let second = ("sadykov", sadykov_key.as_path(), b.as_str());
                            // Alternate who is spawned first.
                            let contenders = if round % 2 == 0 {
                                [first, second]
                            } else {
                                [second, first]
                            };
                            let outcome = race_round(bin, env.dir.path(), &db, contenders, place);
                            for suffix in ["", "-wal", "-shm"] {
                                let _ = std::fs::remove_file(
                                    env.path(&format!("race-{round}.db{suffix}")),
                                );
                            }
                            (round, outcome)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a race worker"))
            .collect()
    });
    let won = |who: &str| {
        results
            .iter()
            .filter(|(_, r)| matches!(r, Ok((w, _)) if *w == who))
            .count()
    };
    let (ivanova, sadykov) = (won("ivanova"), won("sadykov"));
    let lost_with = |code: i32| {
        results
            .iter()
            .filter(|(_, r)| matches!(r, Ok((_, c)) if *c == code))
            .count()
    };
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(round, r)| r.as_ref().err().map(|e| format!("round {round}: {e}")))
        .collect();
    assert_eq!(results.len(), rounds);
    println!(
        "race: {rounds} rounds, {} with one winner (ivanova {ivanova}, sadykov {sadykov}), losers refused {} (exit 3) / busy {} (exit 75), {} failed, {:.1} s",
        ivanova + sadykov,
        lost_with(3),
        lost_with(75),
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(ivanova + sadykov, rounds);
}

// ---------------------------------------------------------------------------------------------------------
// R-D4: private places.

#[test]
fn r_d4_a_private_place_for_a_child_under_three_is_refused() {
    let env = city();
    // Three on 17 March 2026: two on the issue date, 16 March.
    let young = Kid::new("2023-03-17", 1).register(&env);
    let private = publish(&env, "PS-001", "2023", 1)[0];
    let before = env.snapshot();
    let text = refused(issue(&env, &young, private), "R-D4");
    assert!(text.contains('3'), "{text}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(app_status(&env, &young), "queued");
    assert_eq!(place_status(&env, private), "free");
}

#[test]
fn r_d4_a_private_place_removes_the_application_and_the_direction_lives_on() {
    let env = city();
    // Three full years on the issue date.
    let three = Kid::new("2023-03-16", 1).register(&env);
    let behind = Kid::new("2023-05-10", 2).register(&env);
    assert_eq!(app(&env, &behind)["queue_position"], 2);
    let private = publish(&env, "PS-001", "2023", 1)[0];
    let d = issued(&env, &three, private);
    assert_eq!(d["status"], "issued");
    let shown = app(&env, &three);
    assert_eq!(shown["status"], "removed", "{shown}");
    assert_eq!(shown["removed_reason"], "private_direction", "{shown}");
    assert_eq!(shown["queue_position"], Value::Null, "{shown}");
    assert_eq!(app(&env, &behind)["queue_position"], 1);
    assert_eq!(place_status(&env, private), "directed");
    let lives = show(&env, &number(&d));
    assert_eq!(lives["status"], "issued", "{lives}");
    assert_eq!(lives["application"], three.as_str(), "{lives}");
    verify(&env, &number(&d)).success();
    audit_ok(&env);
}

// ---------------------------------------------------------------------------------------------------------
// R-D5: an enrolled child.

#[test]
fn r_d5_an_enrolled_child_gets_no_other_direction_until_departure() {
    let env = city();
    let kid = Kid::new("2022-05-10", 1);
    let general = kid.register(&env);
    let sanatorium = kid.clone().sanatorium().register(&env);
    let regular = publish(&env, "DS-001", "2022", 1)[0];
    let sanatorium_place = publish(&env, "SS-001", "2022", 1)[0];
    assert_eq!(offer(&env)["notified"], 2);
    assert_eq!(app_status(&env, &sanatorium), "notified");
    let d = number(&issued(&env, &general, regular));
    enroll(&env, &d, &[]).success();

    let before = env.snapshot();
    let text = refused(issue(&env, &sanatorium, sanatorium_place), "R-D5");
    assert!(text.contains("DS-001"), "{text}");
    assert_eq!(env.snapshot(), before);

    env.kezek(&[
        "child",
        "depart",
        "--iin",
        &kid.iin,
        "--org",
        "DS-001",
        "--date",
        "2026-03-16",
    ])
    .success();
    let d2 = issued(&env, &sanatorium, sanatorium_place);
    assert_eq!(d2["status"], "issued");
    assert_eq!(app_status(&env, &sanatorium), "directed");
    audit_ok(&env);
}

// ---------------------------------------------------------------------------------------------------------
// R-D6: extension.

#[test]
fn r_d6_a_direction_is_extended_once_and_signed_again() {
    let mut env = city();
    env.add_officer("sadykov");
    let (_, _, d) = directed(&env, &Kid::new("2022-05-10", 1));
    // Another officer extends it and signs the new text.
    env.act_as("sadykov");
    env.set_now("2026-03-18T10:00");
    let extended = env.json(&[
        "direction",
        "extend",
        &d,
        "--days",
        "10",
        "--reason",
        "ребёнок болеет",
    ]);
    let shown = show(&env, &d);
    assert_eq!(shown["valid_until"], "2026-04-05", "{shown}");
    assert_eq!(shown["extended"], true, "{shown}");
    assert_eq!(shown["officer"], "ivanova", "{shown}");
    assert_eq!(extended["valid_until"], shown["valid_until"]);
    let document = shown["document"].as_str().expect("a document");
    assert!(
        document.lines().any(|l| l == "valid_until: 2026-04-05"),
        "{document}"
    );
    assert!(
        document.lines().any(|l| l == "signed_by: sadykov"),
        "{document}"
    );
    verify(&env, &d).success();
    if let Some(ok) = openssl_verifies(&env, &shown, &env.key("sadykov").1) {
        assert!(
            ok,
            "the extended document does not verify with sadykov's key"
        );
    }

    let before = env.snapshot();
    let text = refused(extend(&env, &d, "5"), "R-D6");
    assert!(text.contains("once"), "{text}");
    assert_eq!(env.snapshot(), before);
    audit_ok(&env);
}

#[test]
fn r_d6_zero_or_more_than_thirty_days_or_after_expiry_is_refused() {
    let mut env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    let places = publish(&env, "DS-001", "2022", 2);
    offer(&env);
    let da = number(&issued(&env, &a, places[0]));
    let db = number(&issued(&env, &b, places[1]));

    let before = env.snapshot();
    let text = refused(extend(&env, &da, "31"), "R-D6");
    assert!(text.contains("31"), "{text}");
    refused(extend(&env, &da, "0"), "R-D6");
    assert_eq!(env.snapshot(), before);
    // Without a reason: not extended either.
    env.kezek(&["direction", "extend", &da, "--days", "5", "--reason", " "])
        .code(predicates::ord::ne(0));
    env.kezek(&["direction", "extend", &da, "--days", "5"])
        .code(2);
    assert_eq!(env.snapshot(), before);

    // The last valid day still counts: 30 days from 26 March.
    env.set_now("2026-03-26T23:59");
    extend(&env, &da, "30").success();
    assert_eq!(show(&env, &da)["valid_until"], "2026-04-25");

    // The day after its last valid day, db has expired.
    env.set_now("2026-03-27T10:00");
    let before = env.snapshot();
    refused(extend(&env, &db, "5"), "R-D6");
    assert_eq!(env.snapshot(), before);
    assert_eq!(show(&env, &db)["valid_until"], "2026-03-26");
    audit_ok(&env);
}

// ---------------------------------------------------------------------------------------------------------
// R-D7: revocation and annulment.

#[test]
fn r_d7_revocation_after_24h_is_refused() {
    let mut env = city();
    env.set_now("2026-03-16T10:00");
    let (a, p, d) = directed(&env, &Kid::new("2022-05-10", 1));
    env.set_now("2026-03-17T10:01");
    let before = env.snapshot();
    let text = refused(env.kezek(&["direction", "revoke", &d, "--yes"]), "R-D7");
    assert!(text.contains("24"), "{text}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(show(&env, &d)["status"], "issued");
    assert_eq!(app_status(&env, &a), "directed");
    assert_eq!(place_status(&env, p), "directed");
}

/// x and a notified (a second in the queue), y waiting; a takes a place. Returns (x, a, y, place of a, the
/// direction).
fn second_in_queue_directed(env: &mut TestEnv) -> (String, String, String, i64, String) {
    env.set_now("2026-03-16T09:01");
    let x = Kid::new("2022-05-10", 1).register(env);
    env.set_now("2026-03-16T09:02");
    let a = Kid::new("2022-06-10", 2).register(env);
    env.set_now("2026-03-16T09:03");
    let y = Kid::new("2022-07-10", 3).register(env);
    env.set_now("2026-03-16T10:00");
    let places = publish(env, "DS-001", "2022", 2);
    assert_eq!(offer(env)["notified"], 2);
    assert_eq!(app(env, &a)["queue_position"], 2);
    let d = number(&issued(env, &a, places[1]));
    assert_eq!(app(env, &y)["queue_position"], 2);
    (x, a, y, places[1], d)
}

#[test]
fn r_d7_revocation_within_24h_frees_the_place_and_requeues_at_the_old_position() {
    let mut env = city();
    let (_, a, y, p, d) = second_in_queue_directed(&mut env);
    env.set_now("2026-03-17T10:00");
    // A destructive command: no terminal and no --yes is a usage error.
    let before = env.snapshot();
    env.kezek(&["direction", "revoke", &d]).code(2);
    assert_eq!(env.snapshot(), before);

    env.kezek(&["direction", "revoke", &d, "--yes"]).success();
    let shown = show(&env, &d);
    assert_eq!(shown["status"], "revoked", "{shown}");
    assert_eq!(place_status(&env, p), "free");
    let back = app(&env, &a);
    assert_eq!(back["status"], "queued", "{back}");
    assert_eq!(back["queue_position"], 2, "{back}");
    assert_eq!(back["expired_count"], 0, "{back}");
    assert_eq!(back["stop_list_until"], Value::Null, "{back}");
    assert_eq!(app(&env, &y)["queue_position"], 3);

    // The next round offers the place again.
    env.set_now("2026-03-17T10:05");
    offer(&env);
    assert_eq!(place_status(&env, p), "offered");
    audit_ok(&env);
}

#[test]
fn r_d7_annulment_with_a_reason_has_the_same_effect_at_any_time_before_enrollment() {
    let mut env = city();
    let (_, a, _, p, d) = second_in_queue_directed(&mut env);
    // Long after the applicant's 24 hours.
    env.set_now("2026-03-20T15:00");
    env.kezek(&["direction", "annul", &d, "--yes"]).code(2);
    env.kezek(&["direction", "annul", &d, "--reason", "ошибка"])
        .code(2);
    env.kezek(&[
        "direction",
        "annul",
        &d,
        "--reason",
        "ошибка оператора",
        "--yes",
    ])
    .success();
    let shown = show(&env, &d);
    assert_eq!(shown["status"], "annulled", "{shown}");
    assert_eq!(place_status(&env, p), "free");
    let back = app(&env, &a);
    assert_eq!(back["status"], "queued", "{back}");
    assert_eq!(back["queue_position"], 2, "{back}");
    assert_eq!(back["expired_count"], 0, "{back}");
    audit_ok(&env);
}

#[test]
fn r_d7_an_enrolled_direction_cannot_be_annulled_or_revoked() {
    let env = city();
    let (a, p, d) = directed(&env, &Kid::new("2022-05-10", 1));
    enroll(&env, &d, &[]).success();
    let before = env.snapshot();
    refused(
        env.kezek(&["direction", "annul", &d, "--reason", "ошибка", "--yes"]),
        "R-D7",
    );
    refused(env.kezek(&["direction", "revoke", &d, "--yes"]), "R-D7");
    assert_eq!(env.snapshot(), before);
    assert_eq!(show(&env, &d)["status"], "enrolled");
    assert_eq!(app_status(&env, &a), "enrolled");
    assert_eq!(place_status(&env, p), "filled");
}

// ---------------------------------------------------------------------------------------------------------
// R-D8: enrollment.

#[test]
fn r_d8_enrollment_fills_the_place_and_enrolls_the_application() {
    let mut env = city();
    let kid = Kid::new("2022-05-10", 1);
    let (a, p, d) = directed(&env, &kid);
    env.set_now("2026-03-18T09:30");
    let out = enroll(&env, &d, &["--format", "json"]).success();
    let enrolled: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(enrolled["status"], "enrolled", "{enrolled}");
    assert_eq!(show(&env, &d)["status"], "enrolled");
    assert_eq!(place_status(&env, p), "filled");
    let shown = app(&env, &a);
    assert_eq!(shown["status"], "enrolled", "{shown}");
    assert_eq!(shown["queue_position"], Value::Null, "{shown}");
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM enrollment WHERE direction = '{d}' AND org = 'DS-001' AND child_iin = '{}' AND departed_on IS NULL",
            kid.iin
        )),
        1
    );
    // Enrolled once is enough.
    refused(enroll(&env, &d, &[]), "R-D8");
    verify(&env, &d).success();
    audit_ok(&env);
}

#[test]
fn r_d8_a_benefit_application_needs_a_benefit_document_no_older_than_ten_days() {
    let env = city();
    let (_, _, d) = directed(&env, &Kid::new("2022-05-10", 1).first_priority());
    let before = env.snapshot();
    let text = refused(enroll(&env, &d, &[]), "R-D8");
    assert!(text.contains("--benefit-doc-date"), "{text}");
    // Issued 16 March: 5 March is 11 days before.
    let text = refused(
        enroll(&env, &d, &["--benefit-doc-date", "2026-03-05"]),
        "R-D8",
    );
    assert!(text.contains("2026-03-05"), "{text}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(show(&env, &d)["status"], "issued");
    enroll(&env, &d, &["--benefit-doc-date", "2026-03-06"]).success();
    let shown = show(&env, &d);
    assert_eq!(shown["status"], "enrolled", "{shown}");
    assert_eq!(shown["benefit_doc_date"], "2026-03-06", "{shown}");
    audit_ok(&env);
}

#[test]
fn r_d8_an_out_of_turn_application_needs_the_document_too() {
    let env = city();
    let (_, _, d) = directed(&env, &Kid::new("2022-05-10", 1).out_of_turn());
    refused(enroll(&env, &d, &[]), "R-D8");
    enroll(&env, &d, &["--benefit-doc-date", "2026-03-16"]).success();
}

#[test]
fn r_d8_an_expired_direction_cannot_be_enrolled() {
    let mut env = city();
    let (a, p, d) = directed(&env, &Kid::new("2022-05-10", 1));
    // Valid to the end of Thursday 26 March.
    env.set_now("2026-03-27T09:00");
    let before = env.snapshot();
    refused(enroll(&env, &d, &[]), "R-D8");
    assert_eq!(env.snapshot(), before);
    assert_eq!(app_status(&env, &a), "directed");
    assert_eq!(place_status(&env, p), "directed");
    // Nor a revoked one.
    let mut env = city();
    let (_, _, d) = directed(&env, &Kid::new("2022-05-10", 1));
    env.kezek(&["direction", "revoke", &d, "--yes"]).success();
    env.set_now("2026-03-16T11:00");
    refused(enroll(&env, &d, &[]), "R-D8");
}

// ---------------------------------------------------------------------------------------------------------
// R-D9: departure.

#[test]
fn r_d9_departure_frees_the_place_from_the_next_day() {
    let mut env = city();
    let kid = Kid::new("2022-05-10", 1);
    let (_, p, d) = directed(&env, &kid);
    enroll(&env, &d, &[]).success();
    env.set_now("2026-04-10T12:00");
    let out = env.json(&[
        "child",
        "depart",
        "--iin",
        &kid.iin,
        "--org",
        "DS-001",
        "--date",
        "2026-04-10",
    ]);
    assert_eq!(out["place_id"], p, "{out}");
    assert_eq!(out["place_release_date"], "2026-04-11", "{out}");
    let row = place(&env, p);
    assert_eq!(row["status"], "free", "{row}");
    assert_eq!(row["release_date"], "2026-04-11", "{row}");
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM enrollment WHERE direction = '{d}' AND departed_on = '2026-04-10'"
        )),
        1
    );
    // Released the day after: not offered on the day of departure, offered from the next working day.
    let next = Kid::new("2022-06-10", 2).register(&env);
    assert_eq!(offer(&env)["notified"], 0);
    assert_eq!(place_status(&env, p), "free");
    env.set_now("2026-04-13T10:00");
    assert_eq!(offer(&env)["notified"], 1);
    assert_eq!(place_status(&env, p), "offered");
    assert_eq!(app_status(&env, &next), "notified");
    // Gone once: a second departure finds no enrollment.
    env.kezek(&[
        "child",
        "depart",
        "--iin",
        &kid.iin,
        "--org",
        "DS-001",
        "--date",
        "2026-04-10",
    ])
    .code(4);
    audit_ok(&env);
}

#[test]
fn r_d9_departure_of_a_child_not_enrolled_there_is_not_found() {
    let env = city();
    let kid = Kid::new("2022-05-10", 1);
    let (_, _, d) = directed(&env, &kid);
    // Directed, not yet enrolled.
    env.kezek(&["child", "depart", "--iin", &kid.iin, "--org", "DS-001"])
        .code(4);
    enroll(&env, &d, &[]).success();
    let before_enrolled = env.snapshot();
    // Another org, another child.
    env.kezek(&["child", "depart", "--iin", &kid.iin, "--org", "DS-002"])
        .code(4);
    let stranger = Kid::new("2022-06-10", 2);
    env.kezek(&["child", "depart", "--iin", &stranger.iin, "--org", "DS-001"])
        .code(4);
    // Before the enrollment date.
    refused(
        env.kezek(&[
            "child",
            "depart",
            "--iin",
            &kid.iin,
            "--org",
            "DS-001",
            "--date",
            "2026-03-15",
        ]),
        "R-D9",
    );
    assert_eq!(env.snapshot(), before_enrolled);
}

#[test]
fn r_d9_a_place_freed_by_departure_is_offered_and_directed_again() {
    let mut env = city();
    let kid = Kid::new("2022-05-10", 1);
    let (_, p, d) = directed(&env, &kid);
    enroll(&env, &d, &[]).success();
    let next = Kid::new("2022-06-10", 2).register(&env);
    env.kezek(&[
        "child",
        "depart",
        "--iin",
        &kid.iin,
        "--org",
        "DS-001",
        "--date",
        "2026-03-16",
    ])
    .success();
    env.set_now("2026-03-17T10:00");
    assert_eq!(offer(&env)["notified"], 1);
    assert_eq!(place_status(&env, p), "offered");
    let d2 = issued(&env, &next, p);
    assert_eq!(d2["place_id"], p);
    assert_eq!(place_status(&env, p), "directed");
    audit_ok(&env);
}

// ---------------------------------------------------------------------------------------------------------
// R-A3: the signed document.

/// `openssl dgst -sha256 -verify PUB -signature SIG document.txt` on a direction's JSON: Some(verified), or
/// None when openssl cannot be run here.
fn openssl_verifies(env: &TestEnv, direction: &Value, public: &Path) -> Option<bool> {
    let document = env.write(
        "document.txt",
        direction["document"].as_str().expect("a document"),
    );
    let signature = base64::engine::general_purpose::STANDARD
        .decode(direction["signature"].as_str().expect("a signature"))
        .expect("base64");
    let sig = env.path("direction.sig");
    std::fs::write(&sig, signature).expect("write the signature");
    match Command::new("openssl")
        .args(["dgst", "-sha256", "-verify"])
        .arg(public)
        .arg("-signature")
        .arg(&sig)
        .arg(&document)
        .output()
    {
        Ok(out) => Some(out.status.success()),
        Err(e) => {
            println!("note: openssl cannot be run ({e}); skipping the openssl check");
            None
        }
    }
}

#[test]
fn r_a3_direction_verifies_with_openssl() {
    let env = city();
    env.add_officer("sadykov");
    let (_, _, d) = directed(&env, &Kid::new("2022-05-10", 1));
    let direction = show(&env, &d);
    verify(&env, &d).success();
    let (_, ivanova) = env.key("ivanova");
    let (_, sadykov) = env.key("sadykov");
    match openssl_verifies(&env, &direction, &ivanova) {
        None => return,
        Some(ok) => assert!(
            ok,
            "openssl does not verify the direction with ivanova's key"
        ),
    }
    assert_eq!(
        openssl_verifies(&env, &direction, &sadykov),
        Some(false),
        "the direction verifies with sadykov's key"
    );
}

#[test]
fn r_a3_an_edited_document_or_signature_does_not_verify() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    let c = Kid::new("2022-07-10", 3).register(&env);
    let places = publish(&env, "DS-001", "2022", 3);
    offer(&env);
    let da = number(&issued(&env, &a, places[0]));
    let db = number(&issued(&env, &b, places[1]));
    let dc = number(&issued(&env, &c, places[2]));
    for d in [&da, &db, &dc] {
        verify(&env, d).success();
    }
    // The document: another org in the signed text.
    sql(
        &env,
        &format!(
            "UPDATE direction SET document = replace(document, 'org: DS-001', 'org: DS-002') WHERE number = '{da}'"
        ),
    );
    verify(&env, &da).code(65);
    // One byte of the signature.
    sql(
        &env,
        &format!(
            "UPDATE direction SET signature = CAST(substr(signature, 1, 10) || X'00' || substr(signature, 12) AS BLOB)
             WHERE number = '{db}'"
        ),
    );
    let sig_len = env.count(&format!(
        "SELECT length(signature) FROM direction WHERE number = '{db}'"
    ));
    assert!(sig_len >= 256, "{sig_len}");
    verify(&env, &db).code(65);
    // The record no longer agrees with the signed text.
    sql(
        &env,
        &format!("UPDATE direction SET valid_until = '2026-12-31' WHERE number = '{dc}'"),
    );
    verify(&env, &dc).code(65);
}

#[test]
fn r_a3_a_revoked_direction_does_not_verify_as_live() {
    let env = city();
    let (_, _, d) = directed(&env, &Kid::new("2022-05-10", 1));
    env.kezek(&["direction", "revoke", &d, "--yes"]).success();
    let text = refused(verify(&env, &d), "R-D7");
    assert!(text.contains("revoked"), "{text}");
}

#[test]
fn r_a3_show_text_prints_the_document_then_the_signature() {
    let env = city();
    let (_, _, d) = directed(&env, &Kid::new("2022-05-10", 1));
    let direction = show(&env, &d);
    let document = direction["document"].as_str().expect("a document");
    let signature = direction["signature"].as_str().expect("a signature");
    let text = env.stdout(&["direction", "show", &d, "--format", "text"]);
    assert!(text.starts_with(document), "{text}");
    let block = &text[document.len()..];
    let begin = block
        .find("-----BEGIN SIGNATURE-----")
        .expect("a signature block");
    let end = block.find("-----END SIGNATURE-----").expect("its end");
    assert!(begin < end, "{block}");
    assert!(block[begin..end].contains(signature), "{block}");
}

#[test]
fn r_a3_the_key_of_another_officer_is_refused_and_nothing_is_written() {
    let env = city();
    env.add_officer("sadykov");
    let a = Kid::new("2022-05-10", 1).register(&env);
    let p = publish(&env, "DS-001", "2022", 1)[0];
    offer(&env);
    let (sadykov_key, _) = env.key("sadykov");
    let before = env.snapshot();
    let assert = env
        .cmd()
        .env("KEZEK_KEY", &sadykov_key)
        .args(["direction", "issue", &a, "--place", &p.to_string()])
        .assert()
        .code(3);
    let text = stderr(&assert);
    assert!(text.starts_with("kezek: R-A5:"), "{text}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_a3_issue_without_a_key_is_a_usage_error() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let p = publish(&env, "DS-001", "2022", 1)[0];
    offer(&env);
    let before = env.snapshot();
    let assert = env
        .cmd()
        .env_remove("KEZEK_KEY")
        .args(["direction", "issue", &a, "--place", &p.to_string()])
        .assert()
        .code(2);
    assert!(stderr(&assert).contains("--key"), "{}", stderr(&assert));
    assert_eq!(env.snapshot(), before);
    assert_eq!(place_status(&env, p), "offered");
}

#[test]
fn r_d8_the_notice_of_completed_service_and_the_printable_direction_in_both_languages() {
    let mut env = city();
    let kid = Kid::new("2022-05-10", 1);
    let (a, _, d) = directed(&env, &kid);
    // Before enrollment the service is not completed yet.
    refused(env.kezek(&["direction", "notice", &d]), "R-D8");
    let printable = env.stdout(&["direction", "show", &d, "--format", "text", "--lang", "kk"]);
    assert!(
        printable.starts_with("Мектепке дейінгі ұйымға\nЖОЛДАМА"),
        "{printable}"
    );
    assert!(
        printable.contains(&format!("Жолдама нөмірі: {d}")),
        "{printable}"
    );
    assert!(
        printable.contains("kezek direction v1\n"),
        "the signed text follows: {printable}"
    );
    assert!(
        printable.contains("-----BEGIN SIGNATURE-----"),
        "{printable}"
    );
    let russian = env.stdout(&["direction", "show", &d, "--format", "text", "--lang", "ru"]);
    assert!(russian.starts_with("НАПРАВЛЕНИЕ"), "{russian}");

    env.set_now("2026-03-18T09:30");
    enroll(&env, &d, &[]).success();
    let ru = env.stdout(&["direction", "notice", &d, "--lang", "ru"]);
    assert!(
        ru.starts_with("УВЕДОМЛЕНИЕ\nоб оказании государственной услуги"),
        "{ru}"
    );
    assert!(
        ru.contains(&a) && ru.contains(&d) && ru.contains("DS-001"),
        "{ru}"
    );
    let kk = env.stdout(&["direction", "notice", &d, "--lang", "kk"]);
    assert!(
        kk.contains("ХАБАРЛАМА") && kk.contains("қабылданды"),
        "{kk}"
    );
    assert!(
        !kk.contains(&kid.iin) && !ru.contains(&kid.iin),
        "no IIN on the notice"
    );
}

// ---------------------------------------------------------------------------------------------------------
// Retention: the signed document of a purged direction.

/// `db purge` replaces the signed documents of the directions of ended applications by a redaction record
/// that names no child and keeps the SHA-256 of the signed text; `direction verify` checks the kept
/// signature against that digest (an edited digest does not verify: exit 65) and refuses the direction as
/// purged with the rule that ended it (R-D8 enrolled, R-D7 revoked).
#[test]
fn r_a3_a_purged_direction_verifies_against_its_kept_digest_and_is_refused_as_purged() {
    let mut env = city();
    let enrolled_kid = Kid::new("2022-05-10", 1);
    let revoked_kid = Kid::new("2022-06-10", 2);
    let a1 = enrolled_kid.register(&env);
    let a2 = revoked_kid.register(&env);
    let places = publish(&env, "DS-001", "2022", 2);
    assert_eq!(offer(&env)["notified"], 2);
    let d1 = number(&issued(&env, &a1, places[0]));
    let d2 = number(&issued(&env, &a2, places[1]));
    enroll(&env, &d1, &[]).success();
    env.kezek(&["direction", "revoke", &d2, "--yes"]).success();
    env.kezek(&[
        "application",
        "withdraw",
        &a2,
        "--reason",
        "переезд",
        "--yes",
    ])
    .success();
    let signed: Vec<Value> = [&d1, &d2].iter().map(|d| show(&env, d)).collect();
    for (d, kid) in [(&signed[0], &enrolled_kid), (&signed[1], &revoked_kid)] {
        assert!(
            d["document"]
                .as_str()
                .expect("a document")
                .contains(&format!("child_iin: {}", kid.iin)),
            "{d}"
        );
    }

    env.set_now("2026-04-20T10:00");
    let report = env.json(&["db", "purge", "--before", "2026-04-15", "--yes"]);
    assert_eq!(report["applications"], 2, "{report}");
    assert_eq!(report["directions"], 2, "{report}");
    for (before, kid) in [(&signed[0], &enrolled_kid), (&signed[1], &revoked_kid)] {
        let d = before["number"].as_str().expect("a number");
        let after = show(&env, d);
        let original = before["document"].as_str().expect("a document");
        let record = after["document"].as_str().expect("a document");
        let keep = |key: &str| {
            original
                .lines()
                .find(|l| l.starts_with(&format!("{key}: ")))
                .unwrap_or_else(|| panic!("{key} in {original}"))
                .to_string()
        };
        let digest = kezek::crypto::hex(&kezek::crypto::sha256(original.as_bytes()));
        assert_eq!(
            record,
            format!(
                "kezek direction v1 purged\n{}\n{}\n{}\n{}\npurged: 2026-04-20\ndocument_sha256: {digest}\n",
                keep("number"),
                keep("application"),
                keep("valid_until"),
                keep("signed_by")
            )
        );
        assert!(!record.contains(&kid.iin), "{record}");
        assert_eq!(
            after["signature"], before["signature"],
            "the signature is kept"
        );
        assert_eq!(after["status"], before["status"]);
    }
    let text = refused(verify(&env, &d1), "R-D8");
    assert!(
        text.contains("signature is valid") && text.contains("purged on 2026-04-20"),
        "{text}"
    );
    let text = refused(verify(&env, &d2), "R-D7");
    assert!(
        text.contains("revoked") && text.contains("purged on 2026-04-20"),
        "{text}"
    );
    audit_ok(&env);

    // The digest is what the signature is checked against: the record of d1 with d2's digest does not
    // verify, unless every signature is taken as valid (the broken variant), when it is refused as purged.
    let d2_record = show(&env, &d2)["document"].as_str().unwrap().to_string();
    let d2_digest = d2_record
        .lines()
        .last()
        .expect("the digest line")
        .to_string();
    let d1_record = show(&env, &d1)["document"].as_str().unwrap().to_string();
    let forged = d1_record.replace(d1_record.lines().last().unwrap(), &d2_digest);
    assert_ne!(forged, d1_record);
    env.conn()
        .execute(
            "UPDATE direction SET document = ?2 WHERE number = ?1",
            [&d1, &forged],
        )
        .expect("SQL");
    let out = verify(&env, &d1).code(65);
    assert!(
        stderr(&out).contains("does not match the digest"),
        "{}",
        stderr(&out)
    );
    let broken = env
        .cmd()
        .env("KEZEK_FAULT", "signature-always-valid")
        .args(["direction", "verify", &d1])
        .assert();
    refused(broken, "R-D8");
}
