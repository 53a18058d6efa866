//! Controls against abuse (SPEC §13): capacity (R-I2).

use crate::common::env::stderr;
use crate::place::{city, publish, Kid};

fn publish_assert(
    env: &crate::common::env::TestEnv,
    org: &str,
    year: &str,
    count: &str,
) -> assert_cmd::assert::Assert {
    env.kezek(&[
        "place",
        "publish",
        "--org",
        org,
        "--group-year",
        year,
        "--language",
        "ru",
        "--count",
        count,
    ])
}

/// `org capacity ORG --group-year YEAR --places N`.
fn capacity(
    env: &crate::common::env::TestEnv,
    org: &str,
    year: &str,
    places: &str,
) -> assert_cmd::assert::Assert {
    env.kezek(&[
        "org",
        "capacity",
        org,
        "--group-year",
        year,
        "--places",
        places,
    ])
}

#[test]
fn r_i2_publishing_beyond_capacity_less_enrolled_and_open_places_is_refused() {
    let env = city();
    // No capacity declared: nothing refused.
    publish(&env, "DS-002", "2022", 30);
    let declared = env.json(&[
        "org",
        "capacity",
        "DS-001",
        "--group-year",
        "2022",
        "--places",
        "5",
    ]);
    assert_eq!(declared["places"], 5);
    publish(&env, "DS-001", "2022", 3);
    // 3 open: 2 more fit, 3 do not; nothing is written by the refusal.
    let before = env.snapshot();
    let err = stderr(&publish_assert(&env, "DS-001", "2022", "3").code(3));
    assert!(err.contains("R-I2") && err.contains("DS-001"), "{err}");
    assert_eq!(env.snapshot(), before);
    // Another group year is not limited by this one.
    publish(&env, "DS-001", "2021", 6);
    // An enrolled child fills a place: the places it leaves open shrink, the room stays.
    let kid = Kid::new("2022-05-10", 1);
    let a = kid.register(&env);
    crate::place::offer(&env);
    let open = env.json(&[
        "place",
        "list",
        "--org",
        "DS-001",
        "--group-year",
        "2022",
        "--status",
        "offered",
    ]);
    let place = open[0]["id"].as_i64().unwrap();
    let d = crate::place::issued(&env, &a, place);
    env.kezek(&["direction", "enroll", d["number"].as_str().unwrap()])
        .success();
    publish(&env, "DS-001", "2022", 2);
    publish_assert(&env, "DS-001", "2022", "1").code(3);
    // Raising the capacity makes room.
    capacity(&env, "DS-001", "2022", "7").success();
    publish(&env, "DS-001", "2022", 1);
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn r_i2_capacities_import_all_or_nothing_and_bad_values_are_refused() {
    let env = city();
    let bad = env.write(
        "capacity.csv",
        "org_code,group_year,places\nDS-001,2022,26\nDS-404,2022,10\nDS-002,2022,-1\nDS-001,2022,20\n",
    );
    let before = env.snapshot();
    let err = stderr(
        &env.kezek(&["org", "capacity-import", bad.to_str().unwrap()])
            .code(65),
    );
    for needle in [":3:", "'DS-404'", ":4:", "places", ":5:"] {
        assert!(err.contains(needle), "{needle} in {err}");
    }
    assert_eq!(env.snapshot(), before);
    let good = env.write(
        "capacity-good.csv",
        "org_code,group_year,places\nDS-001,2022,1\nDS-002,2021,4\n",
    );
    env.kezek(&["org", "capacity-import", good.to_str().unwrap()])
        .success();
    publish(&env, "DS-001", "2022", 1);
    publish_assert(&env, "DS-001", "2022", "1").code(3);
    capacity(&env, "DS-404", "2022", "3").code(4);
    capacity(&env, "DS-001", "20x2", "3").code(65);
}

/// R-I3: a month's attendance, all or nothing: an unknown organization, a bad IIN, a month in the future, more
/// days than the month has working days and a child reported twice are each refused with their line, the IINs
/// masked, and nothing is written.
#[test]
fn r_i3_attendance_import_checks_every_row() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).iin;
    let b = Kid::new("2022-06-10", 2).iin;
    let bad = env.write(
        "attendance.csv",
        &format!(
            "org_code,child_iin,month,days_present\n\
             DS-001,{a},2026-02,15\n\
             DS-404,{b},2026-02,10\n\
             DS-001,123456789012,2026-02,10\n\
             DS-001,{b},2026-05,10\n\
             DS-001,{b},2026-02,31\n\
             DS-001,{a},2026-02,12\n"
        ),
    );
    let before = env.snapshot();
    let err = stderr(
        &env.kezek(&["attendance", "import", bad.to_str().unwrap()])
            .code(65),
    );
    for needle in [
        ":3:",
        "'DS-404'",
        ":4:",
        "child_iin",
        ":5:",
        "2026-05",
        ":6:",
        "days_present",
        ":7:",
        "line 2",
    ] {
        assert!(err.contains(needle), "{needle} in {err}");
    }
    assert!(!err.contains(&a) && !err.contains(&b), "IINs masked: {err}");
    assert_eq!(env.snapshot(), before);
    let good = env.write(
        "attendance-good.csv",
        &format!(
            "org_code,child_iin,month,days_present\nDS-001,{a},2026-02,15\nDS-002,{b},2026-02,0\n"
        ),
    );
    let report = env.json(&["attendance", "import", good.to_str().unwrap()]);
    assert_eq!(report["rows"], 2, "{report}");
    assert_eq!(env.count("SELECT count(*) FROM attendance"), 2);
    // The same rows again, in another file: refused, the earlier import named.
    let again = env.write(
        "attendance-again.csv",
        &format!("org_code,child_iin,month,days_present\nDS-001,{a},2026-02,14\n"),
    );
    let err = stderr(
        &env.kezek(&["attendance", "import", again.to_str().unwrap()])
            .code(65),
    );
    assert!(err.contains("R-I3"), "{err}");
    env.kezek(&["audit", "verify"]).success();
}

// ---------------------------------------------------------------------------------------------------------
// R-I4: the integrity report. Each finding planted, and a clean city that reports nothing.

fn findings(env: &crate::common::env::TestEnv) -> Vec<(String, String, String)> {
    let report = env.json(&["integrity"]);
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("findings in {report}"))
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("code"), s("subject"), s("detail"))
        })
        .collect()
}

fn codes(env: &crate::common::env::TestEnv) -> Vec<String> {
    findings(env).into_iter().map(|f| f.0).collect()
}

/// An enrolled child of `kid` at a DS-001 place of 2022 through the offer round; returns (application, place).
fn enroll(env: &crate::common::env::TestEnv, kid: &Kid) -> (String, i64) {
    let a = kid.register(env);
    let place = publish(env, "DS-001", "2022", 1)[0];
    crate::place::offer(env);
    let d = crate::place::issued(env, &a, place);
    env.kezek(&["direction", "enroll", d["number"].as_str().unwrap()])
        .success();
    (a, place)
}

/// A city of imported applications with a few enrolled children, a capacity matching what is published and
/// enrolled, and their attendance this month: nothing to report.
#[test]
fn r_i4_a_clean_city_reports_nothing() {
    let (env, year, queue) = crate::choice::imported_city();
    let year = year.to_string();
    let places = publish(&env, "DS-001", &year, 2);
    crate::place::offer(&env);
    let mut enrolled = Vec::new();
    for (number, place) in queue.iter().zip(&places) {
        let d = crate::place::issued(&env, number, *place);
        let d = d["number"].as_str().unwrap();
        env.kezek(&["direction", "enroll", d, "--benefit-doc-date", "2026-03-14"])
            .success();
        enrolled.push(number.clone());
    }
    capacity(&env, "DS-001", &year, "2").success();
    let mut csv = String::from("org_code,child_iin,month,days_present\n");
    for number in &enrolled {
        let iin: String = env
            .conn()
            .query_row(
                "SELECT child_iin FROM application WHERE number = ?1",
                [number],
                |r| r.get(0),
            )
            .unwrap();
        csv.push_str(&format!("DS-001,{iin},2026-03,1\n"));
    }
    let file = env.write("march.csv", &csv);
    env.kezek(&["attendance", "import", file.to_str().unwrap()])
        .success();
    assert_eq!(findings(&env), [], "a clean city");
    env.kezek(&["integrity", "--fail-on", "double_enrollment,over_capacity"])
        .success();
}

#[test]
fn r_i4_double_enrollment_over_capacity_and_places_held_back_are_found() {
    let env = city();
    let kid = Kid::new("2022-05-10", 1);
    let (_, place) = enroll(&env, &kid);
    // Planted: the same child enrolled in a second organization (nothing in kezek allows it).
    let conn = env.conn();
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    conn.execute(
        "INSERT INTO enrollment (direction, child_iin, org, place_id, enrolled_on) VALUES ('NAP.0', ?1, 'DS-002', ?2, '2026-03-16')",
        rusqlite::params![kid.iin, place],
    )
    .unwrap();
    capacity(&env, "DS-001", "2022", "0").success();
    capacity(&env, "DS-003", "2021", "10").success();
    publish(&env, "DS-003", "2021", 2);
    let all = findings(&env);
    let double = all
        .iter()
        .find(|f| f.0 == "double_enrollment")
        .expect("double_enrollment");
    assert!(
        double.2.contains("DS-001") && double.2.contains("DS-002"),
        "{double:?}"
    );
    assert!(
        !double.1.contains(&kid.iin),
        "the IIN is masked: {double:?}"
    );
    assert!(
        all.iter()
            .any(|f| f.0 == "over_capacity" && f.1 == "DS-001 2022"),
        "{all:?}"
    );
    let held = all
        .iter()
        .find(|f| f.0 == "places_held_back")
        .expect("places_held_back");
    assert_eq!(held.1, "DS-003 2021");
    assert!(held.2.contains("8 held back"), "{held:?}");
    // --fail-on: exit 3 with the report printed; another code: exit 0.
    let assert = env
        .kezek(&[
            "integrity",
            "--fail-on",
            "over_capacity",
            "--format",
            "json",
        ])
        .code(3);
    assert!(String::from_utf8_lossy(&assert.get_output().stdout).contains("over_capacity"));
    env.kezek(&["integrity", "--fail-on", "benefit_share"])
        .success();
    env.kezek(&["integrity", "--fail-on", "dead_souls"]).code(2);
}

#[test]
fn r_i4_attendance_without_enrollment_and_enrollment_without_attendance_are_found() {
    let env = city();
    let kid = Kid::new("2022-05-10", 1);
    enroll(&env, &kid);
    // Planted: enrolled since December, and DS-001 reports January and February for another child only.
    env.conn()
        .execute(
            "UPDATE enrollment SET enrolled_on = '2025-12-01' WHERE child_iin = ?1",
            [&kid.iin],
        )
        .unwrap();
    let ghost = Kid::new("2022-07-10", 2).iin;
    let file = env.write(
        "attendance.csv",
        &format!(
            "org_code,child_iin,month,days_present\nDS-001,{ghost},2026-01,18\nDS-001,{ghost},2026-02,17\nDS-001,{},2026-02,0\n",
            kid.iin
        ),
    );
    env.kezek(&["attendance", "import", file.to_str().unwrap()])
        .success();
    let all = findings(&env);
    let ghosts: Vec<_> = all
        .iter()
        .filter(|f| f.0 == "attendance_without_enrollment")
        .collect();
    assert_eq!(ghosts.len(), 2, "{all:?}");
    assert!(
        ghosts
            .iter()
            .all(|f| f.1.starts_with("DS-001 ") && !f.1.contains(&ghost)),
        "{ghosts:?}"
    );
    let absent = all
        .iter()
        .find(|f| f.0 == "enrollment_without_attendance")
        .expect("enrollment_without_attendance");
    assert!(
        absent.2.contains("2026-01") && absent.2.contains("2026-02"),
        "{absent:?}"
    );
}

#[test]
fn r_i4_late_publication_and_backdated_registration_are_found() {
    let env = city();
    // Registered at the tests' pinned clock, long before it is recorded: back-dated by R-V5's measure.
    let a = Kid::new("2022-05-10", 1).register(&env);
    env.kezek(&[
        "place",
        "publish",
        "--org",
        "DS-004",
        "--group-year",
        "2022",
        "--language",
        "ru",
        "--count",
        "2",
        "--release-date",
        "2026-03-01",
    ])
    .success();
    let all = findings(&env);
    let late = all
        .iter()
        .find(|f| f.0 == "late_publication")
        .expect("late_publication");
    assert_eq!(late.1, "DS-004 2022");
    assert!(
        all.iter()
            .any(|f| f.0 == "backdated_registration" && f.1 == a),
        "{all:?}"
    );
    // The setting decides how far back is too far.
    env.kezek(&["settings", "set", "backdate_minutes", "1440"])
        .success();
    let codes = codes(&env);
    assert!(
        codes.contains(&"backdated_registration".to_string()),
        "still months: {codes:?}"
    );
}

/// R-I4, R-C6: places of a group year whose children are all under `min_age_years` stay free because no child
/// of it may be offered one yet: not a late publication.
#[test]
fn r_i4_places_for_children_too_young_for_an_offer_are_not_late() {
    let env = city();
    Kid::new("2025-01-10", 1).register(&env);
    Kid::new("2022-05-10", 2).register(&env);
    for (org, year) in [("DS-004", "2025"), ("DS-005", "2022")] {
        env.kezek(&[
            "place",
            "publish",
            "--org",
            org,
            "--group-year",
            year,
            "--language",
            "ru",
            "--count",
            "1",
            "--release-date",
            "2026-03-01",
        ])
        .success();
    }
    let late: Vec<String> = findings(&env)
        .into_iter()
        .filter(|f| f.0 == "late_publication")
        .map(|f| f.1)
        .collect();
    assert_eq!(late, ["DS-005 2022"]);
}

/// R-I4, R-V5: an application import after the city's first, with registrations older than its recording by
/// more than `backdate_minutes`, is one finding naming the import and its back-dated rows; the first import (the
/// migration) is not one.
#[test]
fn r_i4_a_later_import_of_back_dated_registrations_is_found() {
    let (env, _, _) = crate::choice::imported_city();
    assert!(
        !codes(&env).contains(&"backdated_registration".to_string()),
        "the migration itself"
    );
    let csv = format!(
        "registered_at,child_iin,child_name,applicant_iin,applicant_name,phone,email,district,queue_type,language,category,docs,consent\n\
         2023-02-01T10:00:00+06:00,{},Ахметов Тимур,{},Ахметова Асель,+77011112233,late1@mail.kz,Медеуский,general,ru,,,egov\n\
         2023-03-01T10:00:00+06:00,{},Ахметова Дана,{},Ахметова Асель,+77011112233,late1@mail.kz,Медеуский,general,ru,,,egov\n",
        crate::common::iin("2022-05-10", false, 9001),
        crate::common::iin("1990-05-05", true, 9001),
        crate::common::iin("2022-06-10", true, 9002),
        crate::common::iin("1990-05-05", true, 9001),
    );
    let file = env.write("paper-list.csv", &csv);
    env.kezek(&["application", "import", file.to_str().unwrap()])
        .success();
    let found: Vec<_> = findings(&env)
        .into_iter()
        .filter(|f| f.0 == "backdated_registration")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.starts_with("application import at seq "),
        "{found:?}"
    );
    assert!(
        found[0].2.starts_with("2 of 2 rows of ")
            && found[0]
                .2
                .contains("paper-list.csv, an import after the first")
            && found[0].2.contains("2023-02-01T10:00:00+06:00"),
        "{found:?}"
    );
}

#[test]
fn r_i4_an_officer_registering_an_unusual_share_of_benefit_classes_is_found() {
    let mut env = city();
    for i in 0..40 {
        Kid::new("2022-05-10", 100 + i).register(&env);
    }
    env.add_officer("omarova");
    env.act_as("omarova");
    for i in 0..20 {
        let kid = Kid::new("2022-06-10", 200 + i);
        let kid = if i < 8 { kid.first_priority() } else { kid };
        kid.register(&env);
    }
    let all = findings(&env);
    let share: Vec<_> = all.iter().filter(|f| f.0 == "benefit_share").collect();
    assert_eq!(share.len(), 1, "{all:?}");
    assert_eq!(share[0].1, "omarova");
    assert!(share[0].2.contains("8 of 20"), "{share:?}");
}

// ---------------------------------------------------------------------------------------------------------
// R-I1: benefit confirmation.

/// A first-priority child directed at 2026-03-16 10:00; returns (application, direction).
fn benefit_direction(env: &crate::common::env::TestEnv) -> (String, String) {
    let a = Kid::new("2022-05-10", 1).first_priority().register(env);
    let place = publish(env, "DS-001", "2022", 1)[0];
    crate::place::offer(env);
    let d = crate::place::issued(env, &a, place);
    (a, d["number"].as_str().unwrap().to_string())
}

#[test]
fn r_i1_an_unconfirmed_benefit_direction_is_annulled_and_the_application_waits_in_the_general_class(
) {
    let mut env = city();
    env.kezek(&["settings", "set", "benefit_confirm_working_days", "2"])
        .success();
    let (a, d) = benefit_direction(&env);
    let before = env.json(&["application", "show", &a]);
    assert_eq!(before["priority_class"], "first_priority");
    // Two working days: the 17th and 18th; the sweep of the 19th annuls it.
    env.set_now("2026-03-19T01:30");
    let swept = env.json(&["sweep", "--date", "2026-03-19"]);
    assert_eq!(swept["benefits_unconfirmed"], 1, "{swept}");
    let direction = env.json(&["direction", "show", &d]);
    assert_eq!(direction["status"], "annulled", "{direction}");
    let after = env.json(&["application", "show", &a]);
    assert_eq!(after["status"], "stop_listed");
    assert_eq!(after["priority_class"], "general");
    assert_eq!(after["category"], serde_json::Value::Null);
    assert_eq!(after["registered_at"], before["registered_at"]);
    let told = env.count("SELECT count(*) FROM notification WHERE kind = 'benefit_unconfirmed'");
    assert_eq!(told, 2, "an e-mail and an SMS");
    // A second sweep of the day changes nothing.
    env.kezek(&["sweep", "--date", "2026-03-19"]).success();
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn r_i1_a_confirmed_benefit_keeps_its_direction_and_a_stale_document_is_refused() {
    let mut env = city();
    env.kezek(&["settings", "set", "benefit_confirm_working_days", "2"])
        .success();
    let (a, d) = benefit_direction(&env);
    let before = env.snapshot();
    let err = stderr(
        &env.kezek(&[
            "direction",
            "confirm-benefit",
            &d,
            "--doc",
            "large_family_certificate:77:2026-01-10",
        ])
        .code(3),
    );
    assert!(err.contains("R-I1"), "{err}");
    assert_eq!(env.snapshot(), before);
    env.kezek(&[
        "direction",
        "confirm-benefit",
        &d,
        "--doc",
        "large_family_certificate:77:2026-03-10",
    ])
    .success();
    env.kezek(&[
        "direction",
        "confirm-benefit",
        &d,
        "--doc",
        "large_family_certificate:77:2026-03-10",
    ])
    .code(3);
    env.set_now("2026-03-19T01:30");
    let swept = env.json(&["sweep", "--date", "2026-03-19"]);
    assert_eq!(swept["benefits_unconfirmed"], 0, "{swept}");
    assert_eq!(env.json(&["direction", "show", &d])["status"], "issued");
    assert_eq!(
        env.json(&["application", "show", &a])["priority_class"],
        "first_priority"
    );
}

#[test]
fn r_i1_an_unconfirmed_direction_that_expires_the_same_night_is_expired_and_moves_to_the_general_class(
) {
    let mut env = city();
    let (a, d) = benefit_direction(&env);
    // The defaults: confirmation and validity both end on the 26th (Nauryz skipped); the sweep of the 27th.
    env.set_now("2026-03-27T01:30");
    env.kezek(&["sweep", "--date", "2026-03-27"]).success();
    assert_eq!(env.json(&["direction", "show", &d])["status"], "expired");
    let after = env.json(&["application", "show", &a]);
    assert_eq!(after["status"], "stop_listed");
    assert_eq!(after["priority_class"], "general");
}

#[test]
fn r_i1_an_unconfirmed_private_direction_is_annulled_and_only_benefit_directions_are_reached() {
    let mut env = city();
    env.kezek(&["settings", "set", "benefit_confirm_working_days", "2"])
        .success();
    // A private kindergarten's place to a first-priority child of 3 (R-D4 takes it out of the queue), a
    // municipal one to a general-class child: only the first is a benefit to confirm.
    let a = Kid::new("2022-05-10", 1).first_priority().register(&env);
    let g = Kid::new("2022-05-11", 2).register(&env);
    let private = publish(&env, "PS-001", "2022", 1)[0];
    let d = crate::place::issued(&env, &a, private)["number"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(env.json(&["application", "show", &a])["status"], "removed");
    let place = publish(&env, "DS-001", "2022", 1)[0];
    crate::place::offer(&env);
    let general = crate::place::issued(&env, &g, place)["number"]
        .as_str()
        .unwrap()
        .to_string();
    env.set_now("2026-03-19T01:30");
    let swept = env.json(&["sweep", "--date", "2026-03-19"]);
    assert_eq!(swept["benefits_unconfirmed"], 1, "{swept}");
    assert_eq!(env.json(&["direction", "show", &d])["status"], "annulled");
    let after = env.json(&["application", "show", &a]);
    assert_eq!(after["status"], "stop_listed");
    assert_eq!(after["priority_class"], "general");
    assert_eq!(
        env.json(&["direction", "show", &general])["status"],
        "issued"
    );
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn r_i4_a_free_choice_place_given_far_down_the_queue_within_the_hour_is_found() {
    let mut env = city();
    let numbers: Vec<String> = (0..12)
        .map(|i| Kid::new(&format!("2022-0{}-1{}", 1 + i % 9, i % 10), 10 + i).register(&env))
        .collect();
    let place = publish(&env, "DS-001", "2022", 1)[0];
    crate::place::offer(&env);
    // The window closed at 20:00 untaken; at 20:30 the place goes to the last of twelve.
    env.set_now("2026-03-16T20:30");
    let last = numbers.last().unwrap();
    let order = crate::choice::queue_order(&env, "2022");
    let far = order.last().unwrap_or(last).clone();
    crate::place::issued(&env, &far, place);
    let all = findings(&env);
    let found = all
        .iter()
        .find(|f| f.0 == "free_choice_far_down")
        .expect("free_choice_far_down");
    assert_eq!(found.1, far, "{all:?}");
    assert!(found.2.contains("11 ahead"), "{found:?}");
}
