//! `kezek sweep` (SPEC §6 R-S1..R-S7: windows, expiry, stop lists, the age limit, notifications, idempotence
//! and catch-up, the summary) and `kezek stats` (§8, §9: counts for a period, never personal data).

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate};
use serde_json::Value;

use crate::common::env::{stderr, TestEnv};
use crate::common::SWEEP_COUNTS;
use crate::place::{
    app, app_status, audit_ok, city, issued, offer, outbox, place_status, publish, Kid,
};

/// `sweep --date DATE --format json` run by cron at 01:30 that night; it must succeed.
fn sweep(env: &TestEnv, date: &str) -> Value {
    sweep_at(env, date, &format!("{date}T01:30"))
}

fn sweep_at(env: &TestEnv, date: &str, now: &str) -> Value {
    env.json(&["--now", now, "sweep", "--date", date])
}

/// The six counts of a summary.
fn counts(summary: &Value) -> [u64; 7] {
    SWEEP_COUNTS.map(|k| {
        summary[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} in {summary}"))
    })
}

fn field(env: &TestEnv, number: &str, key: &str) -> Value {
    app(env, number)[key].clone()
}

fn position(env: &TestEnv, number: &str) -> Value {
    field(env, number, "queue_position")
}

fn direction(env: &TestEnv, number: &str) -> Value {
    env.json(&["direction", "show", number])
}

fn number_of(direction: &Value) -> String {
    direction["number"]
        .as_str()
        .unwrap_or_else(|| panic!("a number in {direction}"))
        .to_string()
}

/// A copy of the database (same officer and keys) to run another future on.
fn fork(env: &TestEnv) -> TestEnv {
    let conn = env.conn();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("a checkpoint");
    drop(conn);
    let mut copy = TestEnv::bare();
    copy.act_as("ivanova");
    std::fs::copy(&env.db, &copy.db).expect("copy the database");
    copy
}

/// The notifications of one application in the outbox: (kind, channel, language, subject, body).
fn notices(env: &TestEnv, number: &str) -> Vec<(String, String, String, String, String)> {
    outbox(env)
        .iter()
        .filter(|n| n["application"] == number)
        .map(|n| {
            let s = |k: &str| {
                n[k].as_str()
                    .unwrap_or_else(|| panic!("{k} in {n}"))
                    .to_string()
            };
            (
                s("kind"),
                s("channel"),
                s("language"),
                s("subject"),
                s("body"),
            )
        })
        .collect()
}

fn kinds(env: &TestEnv, number: &str) -> Vec<String> {
    notices(env, number).into_iter().map(|n| n.0).collect()
}

/// Three children of 2022 registered on Monday 16 March 2026 at 09:00; one place at DS-001; the offer round
/// at 10:00 notifies the first, who takes a direction at 10:30 (valid until Thursday 26 March: Nauryz falls
/// in between). Returns the applications in queue order, the place and the direction number.
fn directed_on_monday(env: &mut TestEnv) -> (Vec<String>, i64, String) {
    env.set_now("2026-03-16T09:00");
    let apps: Vec<String> = [("2022-05-10", 1), ("2022-06-10", 2), ("2022-07-10", 3)]
        .iter()
        .map(|(birth, serial)| Kid::new(birth, *serial).register(env))
        .collect();
    env.set_now("2026-03-16T10:00");
    let place = publish(env, "DS-001", "2022", 1)[0];
    assert_eq!(offer(env)["notified"], 1);
    env.set_now("2026-03-16T10:30");
    let d = issued(env, &apps[0], place);
    assert_eq!(d["valid_until"], "2026-03-26", "{d}");
    (apps, place, number_of(&d))
}

// ---------------------------------------------------------------------------------------------------------
// R-S1: the offer windows that ended.

#[test]
fn r_s1_the_night_after_an_offer_round_closes_its_window() {
    let mut env = city();
    env.set_now("2026-03-16T09:00");
    let apps: Vec<String> = (1..=4)
        .map(|i| Kid::new(&format!("2022-0{i}-15"), i).register(&env))
        .collect();
    env.set_now("2026-03-16T10:00");
    let places = publish(&env, "DS-001", "2022", 3);
    assert_eq!(offer(&env)["notified"], 3);
    env.set_now("2026-03-16T11:00");
    let d = number_of(&issued(&env, &apps[0], places[0]));
    assert_eq!(app_status(&env, &apps[1]), "notified");
    assert_eq!(app_status(&env, &apps[2]), "notified");
    let before: Vec<Value> = apps[1..].iter().map(|a| position(&env, a)).collect();
    assert_eq!(before, [1, 2, 3]);

    // The window is open until 20:00: the sweep of the same day leaves it open.
    let same_day = sweep_at(&env, "2026-03-16", "2026-03-16T11:30");
    assert_eq!(same_day["windows_closed"], 0, "{same_day}");
    assert_eq!(app_status(&env, &apps[1]), "notified");
    assert_eq!(place_status(&env, places[1]), "offered");

    env.set_now("2026-03-17T01:30");
    let summary = env.json(&["sweep", "--date", "2026-03-17"]);
    assert_eq!(summary["windows_closed"], 1, "{summary}");
    assert_eq!(counts(&summary), [1, 0, 0, 0, 0, 0, 0], "{summary}");
    for (a, was) in apps[1..].iter().zip(&before) {
        let shown = app(&env, a);
        assert_eq!(shown["status"], "queued", "{shown}");
        assert_eq!(&shown["queue_position"], was, "{shown}");
    }
    assert_eq!(place_status(&env, places[0]), "directed");
    assert_eq!(place_status(&env, places[1]), "free_choice");
    assert_eq!(place_status(&env, places[2]), "free_choice");
    assert_eq!(app_status(&env, &apps[0]), "directed");
    assert_eq!(direction(&env, &d)["status"], "issued");
    assert_eq!(
        env.count("SELECT count(*) FROM offer_round WHERE closed = 0"),
        0
    );
    audit_ok(&env);
}

// ---------------------------------------------------------------------------------------------------------
// R-S2: expiry, the stop list, the second expiry.

#[test]
fn r_s2_a_direction_expires_the_night_after_its_last_valid_day_and_stop_lists_ten_working_days() {
    let mut env = city();
    let (apps, place, d) = directed_on_monday(&mut env);

    // Thursday 26 March is its last valid day.
    let last_day = sweep(&env, "2026-03-26");
    assert_eq!(last_day["directions_expired"], 0, "{last_day}");
    assert_eq!(direction(&env, &d)["status"], "issued");
    assert_eq!(app_status(&env, &apps[0]), "directed");
    env.kezek(&["direction", "verify", &d]).success();
    let late = fork(&env);

    let summary = sweep(&env, "2026-03-27");
    assert_eq!(counts(&summary), [0, 1, 1, 0, 0, 0, 0], "{summary}");
    assert_eq!(direction(&env, &d)["status"], "expired");
    let verify = env.kezek(&["direction", "verify", &d]).code(3);
    assert!(
        stderr(&verify).starts_with("kezek: R-S2:"),
        "{}",
        stderr(&verify)
    );
    assert_eq!(place_status(&env, place), "free");
    let shown = app(&env, &apps[0]);
    assert_eq!(shown["status"], "stop_listed", "{shown}");
    assert_eq!(shown["expired_count"], 1, "{shown}");
    // 10 working days after Thursday 26 March: 27, 30, 31 March, 1, 2, 3, 6, 7, 8, 9 April.
    assert_eq!(shown["stop_list_until"], "2026-04-09", "{shown}");
    assert_eq!(shown["removed_reason"], Value::Null, "{shown}");
    // R-S5: one notice, by e-mail and SMS, of the expiry and of the stop list with its last day.
    let told: Vec<_> = notices(&env, &apps[0])
        .into_iter()
        .filter(|n| n.0 != "direction_issued" && n.0 != "turn_came" && n.0 != "registered")
        .collect();
    assert_eq!(told.len(), 2, "{told:?}");
    for (kind, _, _, _, body) in &told {
        assert_eq!(kind, "expired", "{told:?}");
        assert!(
            body.contains(&d) && body.contains("стоп-листе до 09.04.2026"),
            "{body}"
        );
    }
    audit_ok(&env);

    // The same stop list when the sweep runs late, whichever night.
    let summary = sweep(&late, "2026-04-01");
    assert_eq!(counts(&summary), [0, 1, 1, 0, 0, 0, 0], "{summary}");
    let shown = app(&late, &apps[0]);
    assert_eq!(shown["status"], "stop_listed", "{shown}");
    assert_eq!(shown["stop_list_until"], "2026-04-09", "{shown}");
    assert_eq!(direction(&late, &d)["status"], "expired");
    assert_eq!(place_status(&late, place), "free");
}

/// A direction that expired once; its stop list ended on 10 April; the offer round of Friday 10 April at 10:00
/// notifies the application again and a second direction is issued (valid until Friday 17 April).
fn expired_once_then_directed_again(env: &mut TestEnv) -> (Vec<String>, i64, String) {
    let (apps, place, _) = directed_on_monday(env);
    sweep(env, "2026-03-27");
    let ended = sweep(env, "2026-04-10");
    assert_eq!(ended["stop_lists_ended"], 1, "{ended}");
    env.set_now("2026-04-10T10:00");
    assert_eq!(offer(env)["notified"], 1);
    assert_eq!(app_status(env, &apps[0]), "notified");
    env.set_now("2026-04-10T10:30");
    let d = issued(env, &apps[0], place);
    assert_eq!(d["valid_until"], "2026-04-17", "{d}");
    (apps, place, number_of(&d))
}

#[test]
fn r_s2_the_second_expiry_removes_the_application() {
    let mut env = city();
    let (apps, place, d) = expired_once_then_directed_again(&mut env);
    assert_eq!(sweep(&env, "2026-04-17")["directions_expired"], 0);

    let summary = sweep(&env, "2026-04-18");
    assert_eq!(counts(&summary), [0, 1, 0, 1, 0, 0, 0], "{summary}");
    let shown = app(&env, &apps[0]);
    assert_eq!(shown["status"], "removed", "{shown}");
    assert_eq!(shown["removed_reason"], "expired_twice", "{shown}");
    assert_eq!(shown["expired_count"], 2, "{shown}");
    assert_eq!(shown["queue_position"], Value::Null, "{shown}");
    assert_eq!(direction(&env, &d)["status"], "expired");
    env.kezek(&["direction", "verify", &d]).code(3);
    assert_eq!(place_status(&env, place), "free");
    let k = kinds(&env, &apps[0]);
    assert_eq!(
        k.iter().filter(|k| *k == "expired").count(),
        4,
        "two expiries, e-mail and SMS each: {k:?}"
    );
    // The second expiry's notice says the application left the queue; there is no second notice of it.
    assert!(!k.contains(&"removed".to_string()), "{k:?}");
    let last: Vec<_> = notices(&env, &apps[0])
        .into_iter()
        .filter(|n| n.0 == "expired")
        .skip(2)
        .collect();
    assert_eq!(last.len(), 2, "{last:?}");
    for (_, _, _, _, body) in &last {
        assert!(
            body.contains(&d) && body.contains("снято с очереди"),
            "{body}"
        );
        assert!(!body.contains("стоп"), "{body}");
    }
    // The others move up.
    assert_eq!(position(&env, &apps[1]), 1);
    assert_eq!(position(&env, &apps[2]), 2);
    audit_ok(&env);
}

#[test]
fn r_s2_max_expirations_decides_when_an_application_is_removed() {
    let mut env = city();
    let (apps, _, _) = expired_once_then_directed_again(&mut env);
    env.kezek(&["settings", "set", "max_expirations", "3"])
        .success();
    let summary = sweep(&env, "2026-04-18");
    // The window of 10 April closes too: no sweep ran since.
    assert_eq!(counts(&summary), [1, 1, 1, 0, 0, 0, 0], "{summary}");
    let shown = app(&env, &apps[0]);
    assert_eq!(shown["status"], "stop_listed", "{shown}");
    assert_eq!(shown["expired_count"], 2, "{shown}");
    // 10 working days after Friday 17 April: 20..24, 27..30 April, (1 May off), 4 May.
    assert_eq!(shown["stop_list_until"], "2026-05-04", "{shown}");

    // And a city with max_expirations 1 removes at the first expiry.
    let mut strict = city();
    strict
        .kezek(&["settings", "set", "max_expirations", "1"])
        .success();
    let (apps, _, _) = directed_on_monday(&mut strict);
    let summary = sweep(&strict, "2026-03-27");
    assert_eq!(counts(&summary), [1, 1, 0, 1, 0, 0, 0], "{summary}");
    assert_eq!(field(&strict, &apps[0], "removed_reason"), "expired_twice");
}

#[test]
fn r_s2_an_extended_direction_expires_after_its_new_last_day() {
    let mut env = city();
    let (apps, _, d) = directed_on_monday(&mut env);
    env.set_now("2026-03-20T10:00");
    env.kezek(&[
        "direction",
        "extend",
        &d,
        "--days",
        "5",
        "--reason",
        "ребёнок болеет",
    ])
    .success();
    assert_eq!(direction(&env, &d)["valid_until"], "2026-03-31");
    assert_eq!(sweep(&env, "2026-03-27")["directions_expired"], 0);
    assert_eq!(sweep(&env, "2026-03-31")["directions_expired"], 0);
    assert_eq!(direction(&env, &d)["status"], "issued");
    let summary = sweep(&env, "2026-04-01");
    assert_eq!(counts(&summary), [0, 1, 1, 0, 0, 0, 0], "{summary}");
    // 10 working days after Tuesday 31 March: 1, 2, 3, 6, 7, 8, 9, 10, 13, 14 April.
    assert_eq!(field(&env, &apps[0], "stop_list_until"), "2026-04-14");
}

#[test]
fn r_s2_a_declared_holiday_lengthens_the_stop_list() {
    let mut env = city();
    env.set_now("2026-05-12T09:00");
    let a = Kid::new("2022-05-10", 1).register(&env);
    env.set_now("2026-05-12T10:00");
    let place = publish(&env, "DS-001", "2022", 1)[0];
    assert_eq!(offer(&env)["notified"], 1);
    // Tuesday 12 May: 13, 14, 15, 18, 19.
    assert_eq!(issued(&env, &a, place)["valid_until"], "2026-05-19");
    let undeclared = fork(&env);
    env.declare_kurban_ait();

    sweep(&env, "2026-05-20");
    sweep(&undeclared, "2026-05-20");
    // 20, 21, 22, 25, 26, (27 Kurban Ait), 28, 29 May, 1, 2, 3 June.
    assert_eq!(field(&env, &a, "stop_list_until"), "2026-06-03");
    assert_eq!(field(&undeclared, &a, "stop_list_until"), "2026-06-02");
}

#[test]
fn r_s2_an_expired_private_direction_frees_its_place_and_the_application_stays_out() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let place = publish(&env, "PS-001", "2022", 1)[0];
    let d = number_of(&issued(&env, &a, place));
    assert_eq!(field(&env, &a, "removed_reason"), "private_direction");
    let summary = sweep(&env, "2026-03-27");
    assert_eq!(counts(&summary), [0, 1, 0, 0, 0, 0, 0], "{summary}");
    assert_eq!(direction(&env, &d)["status"], "expired");
    assert_eq!(place_status(&env, place), "free");
    let shown = app(&env, &a);
    assert_eq!(shown["status"], "removed", "{shown}");
    assert_eq!(shown["removed_reason"], "private_direction", "{shown}");
    audit_ok(&env);
}

/// R-S2 and R-S1 act on what ended, and every rule uses the effective time (R-T2): a `--date` after today must
/// not expire a direction that is still valid (R-D1) nor close a window that is still open (R-P4), whether
/// kezek refuses such a date or finds nothing to do yet.
#[test]
fn r_s2_a_sweep_dated_in_the_future_expires_nothing_still_valid() {
    let mut env = city();
    env.set_now("2026-03-16T09:00");
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    env.set_now("2026-03-16T10:00");
    let places = publish(&env, "DS-001", "2022", 2);
    assert_eq!(offer(&env)["notified"], 2);
    env.set_now("2026-03-16T10:30");
    let d = number_of(&issued(&env, &a, places[0]));

    // An officer types the date of the Friday after Nauryz on Monday morning.
    env.kezek(&["--now", "2026-03-16T11:00", "sweep", "--date", "2026-03-27"]);
    assert_eq!(direction(&env, &d)["status"], "issued");
    assert_eq!(app_status(&env, &a), "directed");
    assert_eq!(place_status(&env, places[0]), "directed");
    // B's window is open until 20:00 today.
    assert_eq!(app_status(&env, &b), "notified");
    assert_eq!(place_status(&env, places[1]), "offered");
}

// ---------------------------------------------------------------------------------------------------------
// R-S3: the end of a stop list.

#[test]
fn r_s3_the_stop_list_ends_after_its_last_day_at_the_original_position() {
    let mut env = city();
    let (apps, _, _) = directed_on_monday(&mut env);
    // Registered in this order, they stood 1, 2, 3 before the first one left the queue.
    sweep(&env, "2026-03-27");
    assert_eq!(app_status(&env, &apps[0]), "stop_listed");

    // 9 April is the stop list's last day.
    let last_day = sweep(&env, "2026-04-09");
    assert_eq!(last_day["stop_lists_ended"], 0, "{last_day}");
    assert_eq!(app_status(&env, &apps[0]), "stop_listed");

    let summary = sweep(&env, "2026-04-10");
    assert_eq!(counts(&summary), [0, 0, 0, 0, 1, 0, 0], "{summary}");
    let shown = app(&env, &apps[0]);
    assert_eq!(shown["status"], "queued", "{shown}");
    assert_eq!(shown["stop_list_until"], Value::Null, "{shown}");
    assert_eq!(shown["expired_count"], 1, "{shown}");
    let positions: Vec<Value> = apps.iter().map(|a| position(&env, a)).collect();
    assert_eq!(positions, [1, 2, 3], "{apps:?}");

    // Head of the queue again: the next round notifies it first.
    env.set_now("2026-04-10T10:00");
    assert_eq!(offer(&env)["notified"], 1);
    assert_eq!(app_status(&env, &apps[0]), "notified");
    assert_eq!(app_status(&env, &apps[1]), "queued");
    audit_ok(&env);
}

#[test]
fn r_s3_a_stop_listed_application_keeps_the_place_of_one_that_never_left() {
    // Two cities with the same registrations; in one the first child's direction expires.
    let mut expired = city();
    let (apps, _, _) = directed_on_monday(&mut expired);
    let mut stayed = city();
    stayed.set_now("2026-03-16T09:00");
    let same: Vec<String> = [("2022-05-10", 1), ("2022-06-10", 2), ("2022-07-10", 3)]
        .iter()
        .map(|(birth, serial)| Kid::new(birth, *serial).register(&stayed))
        .collect();
    sweep(&expired, "2026-03-27");
    sweep(&expired, "2026-04-10");
    for (a, b) in apps.iter().zip(&same) {
        assert_eq!(position(&expired, a), position(&stayed, b), "{a} and {b}");
        assert_eq!(
            field(&expired, a, "class_position"),
            field(&stayed, b, "class_position")
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// R-S4: the age limit.

#[test]
fn r_s4_a_child_leaves_the_queue_on_the_seventh_birthday_not_the_day_before() {
    let mut env = city();
    // Registered at six.
    env.set_now("2026-02-02T10:00");
    let old = Kid::new("2019-06-10", 1).register(&env);
    let young = Kid::new("2019-06-11", 2).register(&env);
    let later = Kid::new("2019-12-01", 3).register(&env);

    let eve = sweep(&env, "2026-06-09");
    assert_eq!(eve["removed_age_limit"], 0, "{eve}");
    assert_eq!(app_status(&env, &old), "queued");

    let summary = sweep(&env, "2026-06-10");
    assert_eq!(counts(&summary), [0, 0, 0, 0, 0, 1, 0], "{summary}");
    let shown = app(&env, &old);
    assert_eq!(shown["status"], "removed", "{shown}");
    assert_eq!(shown["removed_reason"], "age_limit", "{shown}");
    assert_eq!(shown["queue_position"], Value::Null, "{shown}");
    assert_eq!(app_status(&env, &young), "queued");
    assert_eq!(position(&env, &young), 1);
    assert!(kinds(&env, &old).contains(&"removed".to_string()));
    assert!(!kinds(&env, &young).contains(&"removed".to_string()));

    let next = sweep(&env, "2026-06-11");
    assert_eq!(counts(&next), [0, 0, 0, 0, 0, 1, 0], "{next}");
    assert_eq!(field(&env, &young, "removed_reason"), "age_limit");
    assert_eq!(app_status(&env, &later), "queued");
    assert_eq!(position(&env, &later), 1);
    audit_ok(&env);
}

#[test]
fn r_s4_stop_listed_children_leave_too_and_max_age_years_is_a_setting() {
    let mut env = city();
    env.set_now("2026-02-02T10:00");
    let six = Kid::new("2020-03-18", 1).register(&env);
    // A child of 2019, seven on 1 April 2026, stop-listed after a direction expired.
    env.set_now("2026-03-16T09:00");
    let stopped = Kid::new("2019-04-01", 2).register(&env);
    env.set_now("2026-03-16T10:00");
    let place = publish(&env, "DS-001", "2019", 1)[0];
    assert_eq!(offer(&env)["notified"], 1);
    issued(&env, &stopped, place);
    sweep(&env, "2026-03-27");
    assert_eq!(app_status(&env, &stopped), "stop_listed");
    let summary = sweep(&env, "2026-04-01");
    assert_eq!(summary["removed_age_limit"], 1, "{summary}");
    let shown = app(&env, &stopped);
    assert_eq!(shown["status"], "removed", "{shown}");
    assert_eq!(shown["removed_reason"], "age_limit", "{shown}");

    // A city that keeps children to 6 only.
    env.kezek(&["settings", "set", "max_age_years", "6"])
        .success();
    assert_eq!(app_status(&env, &six), "queued");
    let summary = sweep(&env, "2026-04-02");
    assert_eq!(summary["removed_age_limit"], 1, "{summary}");
    assert_eq!(field(&env, &six, "removed_reason"), "age_limit");
}

// ---------------------------------------------------------------------------------------------------------
// R-S5: the notifications, in the application's language.

/// R-S5 when the outbox rows of a sweep are written many to a statement: 40 expiries give 80 rows, a full
/// statement of 64 and 16 more; each family gets exactly its own notice, numbered on from the outbox's last
/// row, and the audit proves every row.
#[test]
fn r_s5_a_sweep_of_many_expiries_writes_one_notice_per_family_and_channel() {
    let mut env = city();
    env.set_now("2026-03-16T09:00");
    let apps: Vec<String> = (1..=40)
        .map(|i| Kid::new(&format!("2022-05-{:02}", 1 + i % 28), i).register(&env))
        .collect();
    env.set_now("2026-03-16T10:00");
    let places = publish(&env, "DS-001", "2022", 40);
    assert_eq!(offer(&env)["notified"], 40);
    env.set_now("2026-03-16T10:30");
    let directions: BTreeMap<String, String> = apps
        .iter()
        .zip(&places)
        .map(|(a, p)| (a.clone(), number_of(&issued(&env, a, *p))))
        .collect();
    let before = outbox(&env);
    let last_id = before
        .iter()
        .filter_map(|n| n["id"].as_i64())
        .max()
        .expect("notices");
    env.kezek(&["notify", "export", "--mark-sent"]).success();

    let summary = sweep(&env, "2026-03-27");
    // The round's window closes too, with nobody left to tell: all 40 took their places.
    assert_eq!(counts(&summary), [1, 40, 40, 0, 0, 0, 0], "{summary}");
    let rows = outbox(&env);
    assert_eq!(rows.len(), 80, "{rows:#?}");
    let ids: Vec<i64> = rows
        .iter()
        .map(|n| n["id"].as_i64().expect("an id"))
        .collect();
    assert_eq!(ids, (last_id + 1..=last_id + 80).collect::<Vec<_>>());
    for a in &apps {
        let told = notices(&env, a);
        let channels: BTreeSet<&str> = told.iter().map(|n| n.1.as_str()).collect();
        assert_eq!(channels, BTreeSet::from(["email", "sms"]), "{a}: {told:?}");
        for (kind, _, _, _, body) in &told {
            assert_eq!(kind, "expired");
            assert!(body.contains(a) && body.contains(&directions[a]), "{body}");
            assert!(body.contains("09.04.2026"), "{body}");
        }
    }
    audit_ok(&env);
}

/// Whether a text has a letter only Kazakh uses.
fn kazakh(text: &str) -> bool {
    text.chars().any(|c| "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c))
}

#[test]
fn r_s5_the_sweep_notifies_each_family_in_its_language() {
    let mut env = city();
    env.set_now("2026-02-02T10:00");
    let aged_kid = Kid::new("2019-03-27", 1);
    let aged = aged_kid.register(&env);
    env.set_now("2026-03-16T09:00");
    let kk_kid = Kid::new("2022-05-10", 2).kazakh();
    let kk = kk_kid.register(&env);
    env.set_now("2026-03-16T10:00");
    let place = publish(&env, "DS-001", "2022", 1)[0];
    assert_eq!(offer(&env)["notified"], 1);
    issued(&env, &kk, place);
    env.kezek(&["notify", "export", "--mark-sent"]).success();
    assert!(outbox(&env).is_empty());

    let summary = sweep(&env, "2026-03-27");
    assert_eq!(counts(&summary), [1, 1, 1, 0, 0, 1, 0], "{summary}");
    let rows = outbox(&env);
    // One notice each, by e-mail and SMS: the expiry with its stop list for one, the removal for the other.
    assert_eq!(rows.len(), 4, "{rows:#?}");

    let kk_rows = notices(&env, &kk);
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for (kind, channel, language, subject, body) in &kk_rows {
        assert_eq!(language, "kk");
        assert!(kazakh(subject), "{subject}");
        assert!(kazakh(body), "{body}");
        assert!(body.contains(&kk), "{body}");
        assert!(!body.contains(&kk_kid.iin), "{body}");
        seen.insert((kind.clone(), channel.clone()));
    }
    let expected: BTreeSet<(String, String)> = ["email", "sms"]
        .map(|c| ("expired".to_string(), c.to_string()))
        .into();
    assert_eq!(seen, expected, "{kk_rows:#?}");
    assert!(
        kk_rows
            .iter()
            .all(|n| n.4.contains("09.04.2026") && n.4.contains("стоп-парақта")),
        "{kk_rows:#?}"
    );

    let ru_rows = notices(&env, &aged);
    assert_eq!(ru_rows.len(), 2, "{ru_rows:#?}");
    for (kind, _, language, subject, body) in &ru_rows {
        assert_eq!(kind, "removed");
        assert_eq!(language, "ru");
        assert!(!kazakh(subject) && !kazakh(body), "{subject} {body}");
        assert!(
            subject.chars().any(|c| ('а'..='я').contains(&c)),
            "{subject}"
        );
        assert!(body.contains(&aged), "{body}");
        assert!(!body.contains(&aged_kid.iin), "{body}");
    }
    let recipients: BTreeSet<String> = rows
        .iter()
        .filter(|r| r["application"] == aged.as_str() && r["channel"] == "email")
        .map(|r| r["recipient"].as_str().expect("a recipient").to_string())
        .collect();
    assert_eq!(recipients, BTreeSet::from([aged_kid.email()]));
}

/// R-S5: "the notifications for all of the above", R-S1 included: a family told its turn came, whose window
/// closed without a direction, learns that it waits again (at its position); nobody hears of free choice (R-P5).
#[test]
fn r_s5_a_family_whose_window_closed_is_told_it_waits_again() {
    let mut env = city();
    env.set_now("2026-03-16T09:00");
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).kazakh().register(&env);
    env.set_now("2026-03-16T10:00");
    let places = publish(&env, "DS-001", "2022", 2);
    assert_eq!(offer(&env)["notified"], 2);
    env.set_now("2026-03-16T10:30");
    issued(&env, &a, places[0]);
    env.kezek(&["notify", "export", "--mark-sent"]).success();

    let summary = sweep(&env, "2026-03-17");
    assert_eq!(summary["windows_closed"], 1, "{summary}");
    assert_eq!(app_status(&env, &b), "queued");
    let told = notices(&env, &b);
    assert!(!told.is_empty(), "no notification for {b}");
    for (_, _, language, subject, body) in &told {
        assert_eq!(language, "kk");
        assert!(kazakh(subject) && body.contains(&b), "{subject} {body}");
    }
    assert!(notices(&env, &a).is_empty(), "{:?}", notices(&env, &a));
}

// ---------------------------------------------------------------------------------------------------------
// R-S6: idempotence, catch-up, another writer.

/// The state the sweep decides, for comparing two databases (no timestamps, no row ids of notifications).
fn outcome(env: &TestEnv) -> Vec<String> {
    let conn = env.conn();
    let mut out = Vec::new();
    for sql in [
        "SELECT 'application ' || number || ' ' || status || ' expired ' || expired_count || ' until '
                || coalesce(stop_list_until, '-') || ' reason ' || coalesce(removed_reason, '-')
                || ' round ' || coalesce(offer_round, '-')
         FROM application ORDER BY number",
        "SELECT 'direction ' || number || ' ' || status || ' ' || valid_until FROM direction ORDER BY number",
        "SELECT 'place ' || id || ' ' || status || ' ' || coalesce(offer_round, '-') FROM place ORDER BY id",
        "SELECT 'round ' || id || ' closed ' || closed FROM offer_round ORDER BY id",
    ] {
        let mut stmt = conn.prepare(sql).expect(sql);
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).expect(sql);
        out.extend(rows.map(|r| r.expect("a row")));
    }
    let mut notes: Vec<String> = conn
        .prepare(
            "SELECT 'notification ' || application || ' ' || kind || ' ' || channel || ' ' || body FROM notification",
        )
        .expect("notifications")
        .query_map([], |r| r.get::<_, String>(0))
        .expect("notifications")
        .map(|r| r.expect("a row"))
        .collect();
    notes.sort();
    out.extend(notes);
    for a in env
        .json(&["application", "list"])
        .as_array()
        .expect("an array")
    {
        out.push(format!(
            "position {} {} {}",
            a["number"], a["queue_position"], a["class_position"]
        ));
    }
    out
}

/// The cast of `fortnight`.
struct Cast {
    /// Direction of 23 February expired on the night of 13 March: stop-listed until 17 March.
    x: String,
    /// Direction of Friday 13 March, valid until Friday 20 March.
    y: String,
    /// Direction of Monday 16 March, valid until Thursday 26 March.
    z: String,
    /// Notified on 16 March, takes nothing.
    w: String,
    /// Waits behind them.
    q: String,
    /// Born 23 March 2019: seven during Nauryz.
    aged: String,
    places: Vec<i64>,
}

/// A city on Monday 16 March 2026 after its offer round, with work for every step of the sweep in the ten
/// nights that follow (Nauryz 21..25 March among them).
fn fortnight() -> (TestEnv, Cast) {
    let mut env = city();
    env.set_now("2026-02-02T09:00");
    let x = Kid::new("2022-01-10", 1).register(&env);
    let y = Kid::new("2022-02-10", 2).register(&env);
    let z = Kid::new("2022-03-10", 3).register(&env);
    let w = Kid::new("2022-04-10", 4).kazakh().register(&env);
    let q = Kid::new("2022-05-10", 5).register(&env);
    let aged = Kid::new("2019-03-23", 6).register(&env);

    env.set_now("2026-02-23T10:00");
    let mut places = publish(&env, "DS-001", "2022", 1);
    assert_eq!(offer(&env)["notified"], 1);
    issued(&env, &x, places[0]);
    // Valid until 2 March; stop-listed until the 10th working day after (9 March is off): 17 March.
    let s = sweep(&env, "2026-03-13");
    assert_eq!(counts(&s), [1, 1, 1, 0, 0, 0, 0], "{s}");
    assert_eq!(field(&env, &x, "stop_list_until"), "2026-03-17");

    env.set_now("2026-03-13T10:00");
    assert_eq!(offer(&env)["notified"], 1);
    assert_eq!(app_status(&env, &y), "notified");
    assert_eq!(issued(&env, &y, places[0])["valid_until"], "2026-03-20");

    env.set_now("2026-03-16T10:00");
    places.extend(publish(&env, "DS-001", "2022", 2));
    assert_eq!(offer(&env)["notified"], 2);
    assert_eq!(app_status(&env, &w), "notified");
    assert_eq!(issued(&env, &z, places[1])["valid_until"], "2026-03-26");
    (
        env,
        Cast {
            x,
            y,
            z,
            w,
            q,
            aged,
            places,
        },
    )
}

const NIGHTS: [&str; 11] = [
    "2026-03-17",
    "2026-03-18",
    "2026-03-19",
    "2026-03-20",
    "2026-03-21",
    "2026-03-22",
    "2026-03-23",
    "2026-03-24",
    "2026-03-25",
    "2026-03-26",
    "2026-03-27",
];

#[test]
fn r_s6_a_second_run_for_the_same_day_changes_nothing() {
    let (env, _) = fortnight();
    let first = sweep(&env, "2026-03-27");
    assert_eq!(counts(&first), [1, 2, 2, 0, 1, 1, 0], "{first}");
    assert_eq!(first["already_swept_at"], Value::Null, "{first}");
    let before = env.snapshot();
    let events = env.count("SELECT count(*) FROM journal");

    let assert = env
        .kezek(&["--now", "2026-03-27T02:00", "sweep", "--date", "2026-03-27"])
        .success();
    let text = stderr(&assert);
    assert!(text.contains("nothing to do"), "{text}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(env.count("SELECT count(*) FROM journal"), events);

    let again = sweep_at(&env, "2026-03-27", "2026-03-27T03:00");
    assert_eq!(counts(&again), [0; 7], "{again}");
    assert_eq!(
        again["already_swept_at"], "2026-03-27T01:30:00+05:00",
        "{again}"
    );
    assert_eq!(env.snapshot(), before);
    audit_ok(&env);
}

#[test]
fn r_s6_one_catch_up_after_the_nauryz_nights_equals_the_nightly_sweeps() {
    let (nightly, cast) = fortnight();
    let catch_up = fork(&nightly);

    let mut total = [0u64; 7];
    for night in NIGHTS {
        let s = sweep(&nightly, night);
        for (t, n) in total.iter_mut().zip(counts(&s)) {
            *t += n;
        }
    }
    let once = sweep(&catch_up, "2026-03-27");
    assert_eq!(counts(&once), total, "{once}");
    assert_eq!(total, [1, 2, 2, 0, 1, 1, 0]);
    assert_eq!(outcome(&catch_up), outcome(&nightly));

    // And what both did.
    for env in [&nightly, &catch_up] {
        let x = app(env, &cast.x);
        assert_eq!(x["status"], "queued", "{x}");
        assert_eq!(x["expired_count"], 1, "{x}");
        // Last valid day Friday 20 March: 26, 27, 30, 31 March, 1, 2, 3, 6, 7, 8 April.
        assert_eq!(field(env, &cast.y, "stop_list_until"), "2026-04-08");
        assert_eq!(field(env, &cast.z, "stop_list_until"), "2026-04-09");
        assert_eq!(app_status(env, &cast.w), "queued");
        assert_eq!(app_status(env, &cast.q), "queued");
        assert_eq!(field(env, &cast.aged, "removed_reason"), "age_limit");
        assert_eq!(place_status(env, cast.places[0]), "free");
        assert_eq!(place_status(env, cast.places[1]), "free");
        assert_eq!(place_status(env, cast.places[2]), "free_choice");
        audit_ok(env);
    }
}

#[test]
fn r_s6_a_database_held_by_another_writer_is_refused_with_exit_75() {
    let mut env = city();
    let (apps, _, _) = directed_on_monday(&mut env);
    let before = env.snapshot();

    let holder = env.conn();
    holder
        .execute_batch("BEGIN IMMEDIATE")
        .expect("hold the write lock");
    let start = Instant::now();
    let assert = env
        .kezek(&["--now", "2026-03-27T01:30", "sweep", "--date", "2026-03-27"])
        .code(75);
    let elapsed = start.elapsed();
    holder.execute_batch("ROLLBACK").expect("release");
    drop(holder);
    let text = stderr(&assert);
    assert!(text.to_lowercase().contains("busy"), "{text}");
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    assert!(assert.get_output().stdout.is_empty());
    assert_eq!(env.snapshot(), before);

    // Released, the same sweep does its work.
    let summary = sweep(&env, "2026-03-27");
    assert_eq!(summary["directions_expired"], 1, "{summary}");
    assert_eq!(app_status(&env, &apps[0]), "stop_listed");
}

// ---------------------------------------------------------------------------------------------------------
// R-S7: the summary, --dry-run, --quiet.

#[test]
fn r_s7_the_summary_has_exactly_the_counts_of_each_action() {
    let (mut env, _) = fortnight();
    env.set_now("2026-03-27T01:30");
    // Without --date: today.
    let summary = env.json(&["sweep"]);
    let keys: BTreeSet<&str> = summary
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected: BTreeSet<&str> = SWEEP_COUNTS.into_iter().collect();
    expected.extend(["date", "dry_run", "already_swept_at"]);
    assert_eq!(keys, expected, "{summary}");
    assert_eq!(summary["date"], "2026-03-27", "{summary}");
    assert_eq!(summary["dry_run"], false, "{summary}");
    assert_eq!(counts(&summary), [1, 2, 2, 0, 1, 1, 0], "{summary}");

    // The table names every count too; a bad date is bad input, no officer a usage error; neither writes.
    let (env, _) = fortnight();
    let before = env.snapshot();
    env.kezek(&["sweep", "--date", "27.03.2026"]).code(65);
    env.cmd()
        .env_remove("KEZEK_OFFICER")
        .args(["sweep", "--date", "2026-03-27"])
        .assert()
        .code(2);
    assert_eq!(env.snapshot(), before);
    let table = env.stdout(&["--now", "2026-03-27T01:30", "sweep", "--date", "2026-03-27"]);
    for key in SWEEP_COUNTS {
        let words = kezek::lang::text(kezek::lang::Lang::En, &format!("col-{key}"), &[]);
        assert!(table.contains(&words), "{key} ({words}) in {table}");
    }
}

#[test]
fn r_s7_dry_run_prints_the_same_counts_and_writes_nothing() {
    let (env, _) = fortnight();
    let before = env.snapshot();
    let dry = env.json(&[
        "--now",
        "2026-03-27T01:30",
        "sweep",
        "--date",
        "2026-03-27",
        "--dry-run",
    ]);
    assert_eq!(dry["dry_run"], true, "{dry}");
    assert_eq!(env.snapshot(), before);
    // Twice: still nothing, still the same.
    let dry_again = env.json(&[
        "--now",
        "2026-03-27T01:40",
        "sweep",
        "--date",
        "2026-03-27",
        "--dry-run",
    ]);
    assert_eq!(counts(&dry_again), counts(&dry));
    assert_eq!(env.snapshot(), before);

    let real = sweep(&env, "2026-03-27");
    assert_eq!(counts(&real), counts(&dry), "{dry} {real}");
    assert_eq!(counts(&real), [1, 2, 2, 0, 1, 1, 0], "{real}");
    assert_ne!(env.snapshot(), before);
}

#[test]
fn r_s7_quiet_prints_nothing() {
    let (env, cast) = fortnight();
    let assert = env
        .kezek(&[
            "--quiet",
            "--now",
            "2026-03-27T01:30",
            "sweep",
            "--date",
            "2026-03-27",
        ])
        .success();
    let out = assert.get_output();
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stderr.is_empty(), "{}", stderr(&assert));
    // It did its work.
    assert_eq!(app_status(&env, &cast.z), "stop_listed");
}

// ---------------------------------------------------------------------------------------------------------
// stats: counts for a period, computed here again from the database; no personal data.

/// The local date of a stored timestamp (it carries its offset, R-T1).
fn local_date(ts: &str) -> NaiveDate {
    DateTime::parse_from_rfc3339(ts)
        .unwrap_or_else(|e| panic!("{ts}: {e}"))
        .date_naive()
}

fn rows(env: &TestEnv, sql: &str) -> Vec<Vec<Option<String>>> {
    let conn = env.conn();
    let mut stmt = conn.prepare(sql).expect(sql);
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| {
            (0..n)
                .map(|i| {
                    let v: rusqlite::types::Value = r.get(i)?;
                    Ok(match v {
                        rusqlite::types::Value::Null => None,
                        rusqlite::types::Value::Integer(i) => Some(i.to_string()),
                        rusqlite::types::Value::Real(f) => Some(f.to_string()),
                        rusqlite::types::Value::Text(t) => Some(t),
                        rusqlite::types::Value::Blob(_) => Some("<blob>".into()),
                    })
                })
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .expect(sql);
    rows.map(|r| r.expect("a row")).collect()
}

fn s(v: &Option<String>) -> &str {
    v.as_deref().expect("a value")
}

/// What `stats` should say, computed from the tables.
#[derive(Debug, PartialEq)]
struct Expected {
    waiting: BTreeMap<(String, i64, String), u64>,
    directions_issued: u64,
    closed: BTreeMap<String, u64>,
    removed: BTreeMap<String, u64>,
    free_places: BTreeMap<(String, String, String), u64>,
    median: BTreeMap<i64, (u64, f64)>,
}

fn expected(env: &TestEnv, from: Option<&str>, to: &str) -> Expected {
    let from = from.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("a date"));
    let to = NaiveDate::parse_from_str(to, "%Y-%m-%d").expect("a date");
    let within = |ts: &str| {
        let d = local_date(ts);
        from.is_none_or(|f| f <= d) && d <= to
    };
    let mut waiting = BTreeMap::new();
    for r in rows(
        env,
        "SELECT queue_type, group_year, priority_class FROM application
         WHERE status IN ('queued', 'notified', 'stop_listed')",
    ) {
        *waiting
            .entry((
                s(&r[0]).to_string(),
                s(&r[1]).parse().unwrap(),
                s(&r[2]).to_string(),
            ))
            .or_insert(0) += 1;
    }
    let mut directions_issued = 0;
    let mut closed: BTreeMap<String, u64> = ["enrolled", "expired", "revoked", "annulled"]
        .iter()
        .map(|k| (k.to_string(), 0))
        .collect();
    let mut waits: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for r in rows(
        env,
        "SELECT d.status, d.issued_at, d.closed_at, a.registered_at, a.group_year
         FROM direction d JOIN application a ON a.number = d.application",
    ) {
        if within(s(&r[1])) {
            directions_issued += 1;
            let issued = DateTime::parse_from_rfc3339(s(&r[1])).unwrap();
            let registered = DateTime::parse_from_rfc3339(s(&r[3])).unwrap();
            let days = (issued - registered).num_seconds() as f64 / 86_400.0;
            waits
                .entry(s(&r[4]).parse().unwrap())
                .or_default()
                .push(days);
        }
        if let Some(at) = &r[2] {
            if within(at) {
                if let Some(n) = closed.get_mut(s(&r[0])) {
                    *n += 1;
                }
            }
        }
    }
    let mut removed = BTreeMap::new();
    for r in rows(
        env,
        "SELECT removed_reason, removed_at FROM application WHERE status = 'removed'",
    ) {
        if within(s(&r[1])) {
            *removed.entry(s(&r[0]).to_string()).or_insert(0) += 1;
        }
    }
    // No place is offered when the tests read the statistics, so "free" is free or free choice.
    assert_eq!(
        env.count("SELECT count(*) FROM place WHERE status = 'offered'"),
        0
    );
    let mut free_places = BTreeMap::new();
    for r in rows(
        env,
        "SELECT o.kind, o.district, p.language FROM place p JOIN org o ON o.code = p.org
         WHERE p.status IN ('free', 'free_choice')",
    ) {
        *free_places
            .entry((s(&r[0]).into(), s(&r[1]).into(), s(&r[2]).into()))
            .or_insert(0) += 1;
    }
    let median = waits
        .into_iter()
        .map(|(year, mut days)| {
            days.sort_by(f64::total_cmp);
            let n = days.len();
            let m = if n % 2 == 1 {
                days[n / 2]
            } else {
                (days[n / 2 - 1] + days[n / 2]) / 2.0
            };
            (year, (n as u64, m))
        })
        .collect();
    Expected {
        waiting,
        directions_issued,
        closed,
        removed,
        free_places,
        median,
    }
}

fn num(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("a count: {v}"))
}

fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("a string: {v}"))
        .to_string()
}

/// `stats` JSON read into the same shape (medians kept apart: they are compared to a tenth of a day).
fn reported(stats: &Value) -> Expected {
    let mut waiting = BTreeMap::new();
    for row in stats["waiting"].as_array().expect("waiting") {
        let mut total = 0;
        for class in ["out_of_turn", "first_priority", "general"] {
            let n = num(&row[class]);
            total += n;
            if n > 0 {
                waiting.insert(
                    (
                        text(&row["queue_type"]),
                        row["group_year"].as_i64().expect("a year"),
                        class.to_string(),
                    ),
                    n,
                );
            }
        }
        if let Some(t) = row.get("total") {
            assert_eq!(num(t), total, "{row}");
        }
    }
    let closed = ["enrolled", "expired", "revoked", "annulled"]
        .iter()
        .map(|k| (k.to_string(), num(&stats[*k])))
        .collect();
    let removed = stats["removed"]
        .as_object()
        .expect("removed by reason")
        .iter()
        .map(|(k, v)| (k.clone(), num(v)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let free_places = stats["free_places"]
        .as_array()
        .expect("free_places")
        .iter()
        .map(|r| {
            (
                (
                    text(&r["org_kind"]),
                    text(&r["district"]),
                    text(&r["language"]),
                ),
                num(&r["places"]),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let median = stats["median_wait_days"]
        .as_array()
        .expect("median_wait_days")
        .iter()
        .map(|r| {
            (
                r["group_year"].as_i64().expect("a year"),
                (
                    num(&r["directions"]),
                    r["median_days"].as_f64().expect("days"),
                ),
            )
        })
        .collect();
    Expected {
        waiting,
        directions_issued: num(&stats["directions_issued"]),
        closed,
        removed,
        free_places,
        median,
    }
}

/// `stats` agrees with the tables for a period.
fn check_stats(env: &TestEnv, from: Option<&str>, to: &str, args: &[&str]) -> Expected {
    let mut all = vec!["stats"];
    all.extend_from_slice(args);
    let stats = env.json(&all);
    let mut want = expected(env, from, to);
    let got = reported(&stats);
    assert_eq!(got.median.len(), want.median.len(), "{stats}");
    for (year, (n, days)) in &want.median {
        let (got_n, got_days) = got.median[year];
        assert_eq!(got_n, *n, "directions of {year}: {stats}");
        // Reported to a tenth of a day.
        assert!(
            (got_days - days).abs() <= 0.05 + 1e-9,
            "median of {year}: {got_days} against {days}: {stats}"
        );
    }
    want.median = got.median.clone();
    assert_eq!(got, want, "{stats}");
    want
}

fn register_at(env: &mut TestEnv, now: &str, kid: Kid) -> String {
    env.set_now(now);
    kid.register(env)
}

fn publish_in(env: &TestEnv, org: &str, year: &str, language: &str, count: u32) -> Vec<i64> {
    let count = count.to_string();
    env.json(&[
        "place",
        "publish",
        "--org",
        org,
        "--group-year",
        year,
        "--language",
        language,
        "--count",
        &count,
    ])["place_ids"]
        .as_array()
        .expect("place_ids")
        .iter()
        .map(|v| v.as_i64().expect("an id"))
        .collect()
}

#[test]
fn stats_agree_with_the_tables_for_any_period_and_hold_no_personal_data() {
    let mut env = city();
    // General queue, 2022: enrolled, revoked, annulled, expired.
    let e = register_at(&mut env, "2026-02-02T09:00", Kid::new("2022-01-15", 1));
    let aged = register_at(&mut env, "2026-02-02T09:30", Kid::new("2019-03-20", 2));
    let r = register_at(&mut env, "2026-02-03T10:00", Kid::new("2022-02-15", 3));
    let n = register_at(&mut env, "2026-02-04T11:00", Kid::new("2022-03-15", 4));
    let x = register_at(&mut env, "2026-02-05T12:00", Kid::new("2022-04-15", 5));
    // General queue, 2023: directed; withdrawn.
    let t = register_at(&mut env, "2026-02-10T09:00", Kid::new("2023-02-01", 6));
    let w = register_at(&mut env, "2026-02-11T09:00", Kid::new("2023-03-01", 7));
    // Sanatorium queue: 2022 general (Kazakh), 2023 first priority.
    register_at(
        &mut env,
        "2026-02-12T09:00",
        Kid::new("2022-05-15", 8).sanatorium().kazakh(),
    );
    register_at(
        &mut env,
        "2026-02-13T09:00",
        Kid::new("2023-04-01", 9).sanatorium().first_priority(),
    );

    env.set_now("2026-03-16T10:00");
    let p22 = publish_in(&env, "DS-001", "2022", "ru", 4);
    let extra = publish_in(&env, "DS-005", "2022", "kk", 1);
    let p23 = publish_in(&env, "DS-005", "2023", "kk", 1);
    publish_in(&env, "PS-002", "2022", "kk", 2);
    assert_eq!(offer(&env)["notified"], 5);
    let mut directions = BTreeMap::new();
    for (i, (a, p)) in [(&e, p22[0]), (&r, p22[1]), (&n, p22[2]), (&x, p22[3])]
        .into_iter()
        .enumerate()
    {
        env.set_now(&format!("2026-03-16T10:{}0", i + 1));
        directions.insert(a.clone(), number_of(&issued(&env, a, p)));
    }
    // Registered after the round: out of turn (Kazakh) in 2022, first priority in 2023.
    register_at(
        &mut env,
        "2026-03-16T12:00",
        Kid::new("2022-06-15", 10).out_of_turn().kazakh(),
    );
    register_at(
        &mut env,
        "2026-03-16T12:30",
        Kid::new("2023-05-01", 11).first_priority(),
    );
    publish_in(&env, "SS-001", "2022", "ru", 1);
    env.set_now("2026-03-16T15:00");
    env.kezek(&["direction", "revoke", &directions[&r], "--yes"])
        .success();

    sweep(&env, "2026-03-17");
    assert_eq!(place_status(&env, extra[0]), "free_choice");
    assert_eq!(place_status(&env, p23[0]), "free_choice");
    env.set_now("2026-03-17T10:00");
    env.kezek(&["direction", "enroll", &directions[&e]])
        .success();
    env.set_now("2026-03-17T11:00");
    let dt = number_of(&issued(&env, &t, p23[0]));
    assert_eq!(direction(&env, &dt)["valid_until"], "2026-03-27");
    env.set_now("2026-03-18T10:00");
    env.kezek(&[
        "direction",
        "annul",
        &directions[&n],
        "--reason",
        "ошибка оператора",
        "--yes",
    ])
    .success();
    env.set_now("2026-03-19T10:00");
    env.kezek(&[
        "application",
        "withdraw",
        &w,
        "--reason",
        "по заявлению родителя",
        "--yes",
    ])
    .success();
    env.set_now("2026-03-19T11:00");
    let gone = publish_in(&env, "DS-002", "2023", "ru", 1)[0];
    env.kezek(&["place", "withdraw", &gone.to_string(), "--yes"])
        .success();
    let night = sweep(&env, "2026-03-27");
    assert_eq!(counts(&night), [0, 1, 1, 0, 0, 1, 0], "{night}");
    assert_eq!(app_status(&env, &x), "stop_listed");
    assert_eq!(field(&env, &aged, "removed_reason"), "age_limit");
    audit_ok(&env);

    env.set_now("2026-03-30T09:00");
    let all = check_stats(&env, None, "2026-03-30", &[]);
    // The history as built, to be sure the computation above is not vacuous.
    let waiting = |qt: &str, y: i64, c: &str| {
        all.waiting
            .get(&(qt.to_string(), y, c.to_string()))
            .copied()
            .unwrap_or(0)
    };
    assert_eq!(waiting("general", 2022, "general"), 3);
    assert_eq!(waiting("general", 2022, "out_of_turn"), 1);
    assert_eq!(waiting("general", 2023, "first_priority"), 1);
    assert_eq!(waiting("general", 2023, "general"), 0);
    assert_eq!(waiting("sanatorium", 2022, "general"), 1);
    assert_eq!(waiting("sanatorium", 2023, "first_priority"), 1);
    assert_eq!(all.waiting.len(), 5, "{:?}", all.waiting);
    assert_eq!(all.directions_issued, 5);
    assert_eq!(
        all.closed,
        BTreeMap::from([
            ("annulled".to_string(), 1),
            ("enrolled".to_string(), 1),
            ("expired".to_string(), 1),
            ("revoked".to_string(), 1),
        ])
    );
    assert_eq!(
        all.removed,
        BTreeMap::from([("age_limit".to_string(), 1), ("withdrawn".to_string(), 1)])
    );
    let free = |k: &str, d: &str, l: &str| {
        all.free_places
            .get(&(k.to_string(), d.to_string(), l.to_string()))
            .copied()
            .unwrap_or(0)
    };
    assert_eq!(free("state", "Алатауский", "ru"), 3);
    assert_eq!(free("state", "Алмалинский", "kk"), 1);
    assert_eq!(free("private", "Алмалинский", "kk"), 2);
    assert_eq!(free("sanatorium", "Медеуский", "ru"), 1);
    assert_eq!(all.free_places.len(), 4, "{:?}", all.free_places);
    // Registration to direction: 42.05, 41.01, 39.98 and 38.94 days in 2022; 35.08 in 2023.
    assert_eq!(all.median.len(), 2);
    assert!(
        (all.median[&2022].1 - 40.5).abs() < 1e-9,
        "{:?}",
        all.median
    );
    assert!(
        (all.median[&2023].1 - 35.1).abs() < 1e-9,
        "{:?}",
        all.median
    );

    // A period: 17 to 20 March.
    let week = check_stats(
        &env,
        Some("2026-03-17"),
        "2026-03-20",
        &["--from", "2026-03-17", "--to", "2026-03-20"],
    );
    assert_eq!(week.directions_issued, 1);
    assert_eq!(week.closed["enrolled"], 1);
    assert_eq!(week.closed["annulled"], 1);
    assert_eq!(week.closed["revoked"], 0);
    assert_eq!(week.closed["expired"], 0);
    assert_eq!(week.removed, BTreeMap::from([("withdrawn".to_string(), 1)]));
    assert_eq!(week.median.keys().collect::<Vec<_>>(), [&2023]);
    // Up to the day of the round; and from the night of the expiry on.
    let first_day = check_stats(&env, None, "2026-03-16", &["--to", "2026-03-16"]);
    assert_eq!(first_day.directions_issued, 4);
    assert_eq!(first_day.closed["revoked"], 1);
    assert!(first_day.removed.is_empty());
    let late = check_stats(
        &env,
        Some("2026-03-27"),
        "2026-03-30",
        &["--from", "2026-03-27"],
    );
    assert_eq!(late.closed["expired"], 1);
    assert_eq!(late.directions_issued, 0);
    assert_eq!(late.removed, BTreeMap::from([("age_limit".to_string(), 1)]));

    // No personal data in any format.
    let table = env.stdout(&["stats"]);
    let csv = env.stdout(&["stats", "--format", "csv"]);
    let json = env.stdout(&["stats", "--format", "json"]);
    let header = csv.lines().next().expect("a header");
    let columns: Vec<&str> = header.split(',').collect();
    assert!(
        columns
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')),
        "a header of column names: {header}"
    );
    assert!(csv.lines().count() > 1, "{csv}");
    for line in csv.lines().skip(1) {
        assert_eq!(line.split(',').count(), columns.len(), "{line}");
    }
    let personal = rows(
        &env,
        "SELECT child_iin, child_name, applicant_iin, applicant_name, email FROM application",
    );
    assert_eq!(personal.len(), 11);
    for person in &personal {
        let child_iin = s(&person[0]);
        let masked = format!("{}*****{}", &child_iin[..6], &child_iin[11..]);
        let mut needles: Vec<String> = person.iter().map(|v| s(v).to_string()).collect();
        needles.push(masked);
        for needle in &needles {
            for (format, out) in [("table", &table), ("csv", &csv), ("json", &json)] {
                assert!(
                    !out.contains(needle.as_str()),
                    "{needle} in the {format} output:\n{out}"
                );
            }
        }
    }
}

/// The sample city with `rows` seeded applications imported on 16 March 2026.
fn city_of(rows: u64, seed: u64) -> TestEnv {
    let mut env = city();
    let mut csv = Vec::new();
    kezek::generate::applications(&mut csv, seed, rows, kezek::generate::default_now())
        .expect("generate applications");
    let file = env.write("many.csv", &String::from_utf8(csv).unwrap());
    env.set_now("2026-03-16T09:00");
    env.kezek(&["application", "import", file.to_str().unwrap()])
        .success();
    env
}

/// R-S4 on a night that ages out more applications than the sweep holds in memory at once (a queue migrated
/// with years of history): every waiting one leaves, each with its notice, in one event whose details count
/// them all, and the audit holds; a second night finds none left.
#[test]
fn r_s4_a_night_that_ages_out_thousands_removes_every_one_in_parts() {
    let rows = 2048 * 4 + 700;
    let mut env = city_of(rows, 5);
    let waiting = |env: &TestEnv| -> i64 {
        env.conn()
            .query_row(
                "SELECT count(*) FROM application WHERE status IN ('queued', 'notified', 'stop_listed')",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(waiting(&env), rows as i64);
    let notices_before: i64 = env
        .conn()
        .query_row("SELECT count(*) FROM notification", [], |r| r.get(0))
        .unwrap();
    // Every child of the file is seven by 2034.
    env.set_now("2034-01-02T01:30");
    let summary = sweep(&env, "2034-01-02");
    assert_eq!(summary["removed_age_limit"], rows, "{summary}");
    assert_eq!(waiting(&env), 0);
    let conn = env.conn();
    let (removed, notices, details): (i64, i64, String) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM application WHERE removed_reason = 'age_limit'),
                    (SELECT count(*) FROM notification),
                    (SELECT details FROM journal WHERE kind = 'sweep.age_limit')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(removed, rows as i64);
    assert_eq!(
        notices - notices_before,
        2 * rows as i64,
        "an e-mail and an SMS each"
    );
    let details: Value = serde_json::from_str(&details).unwrap();
    assert_eq!(details["applications"], rows, "{details}");
    drop(conn);
    audit_ok(&env);
    let again = sweep(&env, "2034-01-03");
    assert_eq!(again["removed_age_limit"], 0, "{again}");
}

/// R-S2 on a night when more directions expire than the sweep changes in one statement: every one expires, its
/// place is free again and its application stop-listed. (The directions are seeded with SQL, as the benchmark
/// seeds them: signing thousands would take minutes; the sweep does its whole work on them.)
#[test]
fn r_s2_a_night_that_expires_thousands_of_directions_expires_every_one_in_parts() {
    let rows = 2048 * 2 + 300;
    let env = city_of(rows, 6);
    seed_directions(&env, rows, "2026-03-20", false);
    let summary = sweep(&env, "2026-03-27");
    assert_eq!(summary["directions_expired"], rows, "{summary}");
    assert_eq!(summary["stop_listed"], rows, "{summary}");
    assert_eq!(
        env.count("SELECT count(*) FROM direction WHERE status = 'expired'"),
        rows as i64
    );
    assert_eq!(
        env.count("SELECT count(*) FROM place WHERE status = 'free'"),
        rows as i64
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM application WHERE status = 'stop_listed' AND expired_count = 1"
        ),
        rows as i64
    );
    let again = sweep(&env, "2026-03-28");
    assert_eq!(again["directions_expired"], 0, "{again}");
}

/// R-I1 at scale: a night that annuls more directions than the sweep writes in one part annuls every one, with
/// its place freed, its application stop-listed in the general class and its family told.
#[test]
fn r_i1_a_night_that_annuls_thousands_of_unconfirmed_benefits_annuls_every_one_in_parts() {
    let rows = 2048 + 700;
    let env = city_of(rows, 8);
    seed_directions(&env, rows, "2026-04-30", true);
    let notices_before = env.count("SELECT count(*) FROM notification");
    let summary = sweep(&env, "2026-03-27");
    assert_eq!(summary["benefits_unconfirmed"], rows, "{summary}");
    assert_eq!(
        env.count(
            "SELECT count(*) FROM direction WHERE status = 'annulled' AND close_reason = 'benefit_unconfirmed'"
        ),
        rows as i64
    );
    assert_eq!(
        env.count("SELECT count(*) FROM place WHERE status = 'free'"),
        rows as i64
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM application WHERE status = 'stop_listed' AND priority_class = 'general'
             AND stop_list_until > '2026-03-27'"
        ),
        rows as i64
    );
    assert_eq!(
        env.count("SELECT count(*) FROM notification") - notices_before,
        2 * rows as i64,
        "an e-mail and an SMS each"
    );
    let again = sweep(&env, "2026-03-28");
    assert_eq!(again["benefits_unconfirmed"], 0, "{again}");
}

/// Seeds, with SQL, an issued direction to each of the first `rows` queued applications, issued on 16 March and
/// valid until `valid_until`, to applications of the first-priority class when `benefit` (R-I1) (signing them
/// would take minutes and is not what these tests check).
fn seed_directions(env: &TestEnv, rows: u64, valid_until: &str, benefit: bool) {
    let class = if benefit {
        ", priority_class = 'first_priority', category = 'disabled_child_family'"
    } else {
        ""
    };
    env.conn()
        .execute_batch(&format!(
            "BEGIN;
             CREATE TEMP TABLE chosen AS SELECT number, group_year, row_number() OVER (ORDER BY number) AS n
               FROM application WHERE status = 'queued' ORDER BY number LIMIT {rows};
             INSERT INTO place (org, group_year, language, place_type, release_date, status, published_at)
               SELECT 'DS-001', group_year, 'ru', 'regular', '2026-03-16', 'directed', '2026-03-16T09:00:00+05:00'
               FROM chosen ORDER BY n;
             INSERT INTO direction (number, application, place_id, status, issued_at, valid_until, officer,
                 signed_by, document, signature)
               SELECT printf('NAP.2026.%06d', n), number, (SELECT max(id) FROM place) - {rows} + n, 'issued',
                 '2026-03-16T09:00:00+05:00', '{valid_until}', 'ivanova', 'ivanova', 'seeded', x'00'
               FROM chosen;
             UPDATE application SET status = 'directed'{class} WHERE number IN (SELECT number FROM chosen);
             COMMIT;"
        ))
        .unwrap();
}
