//! `kezek place publish | import | list | withdraw`, the offer round `kezek offer`, free choice and the
//! notification outbox `kezek notify export` (SPEC §4 R-P1..R-P6, §8 outbox and confirmations, §9 shapes).
//!
//! The helpers marked `pub(crate)` are shared with `direction.rs`.

use assert_cmd::assert::Assert;
use serde_json::Value;

use crate::common::city::City;
use crate::common::env::{
    stderr, TestEnv, GIVEN_NAMES, LARGE_FAMILY_DOC, MEDICAL_DOC, MILITARY_DOC, SURNAMES,
};
use crate::common::iin;

/// A child to register: `serial` makes the IINs, names and e-mails of one test distinct.
#[derive(Debug, Clone)]
pub(crate) struct Kid {
    pub iin: String,
    serial: u32,
    /// The applicant's serial: the child's own, or a sibling's (`twin`).
    applicant: u32,
    birth: String,
    queue_type: &'static str,
    language: &'static str,
    category: Option<&'static str>,
    docs: Vec<&'static str>,
}

impl Kid {
    /// A general-queue child born on `birth` whose family reads Russian.
    pub(crate) fn new(birth: &str, serial: u32) -> Kid {
        Kid {
            iin: iin(birth, serial % 2 == 1, serial * 10),
            serial,
            applicant: serial,
            birth: birth.to_string(),
            queue_type: "general",
            language: "ru",
            category: None,
            docs: Vec::new(),
        }
    }

    /// `military`, with its document.
    pub(crate) fn out_of_turn(mut self) -> Kid {
        self.category = Some("military");
        self.docs.push(MILITARY_DOC);
        self
    }

    /// `large_family`, with its document.
    pub(crate) fn first_priority(mut self) -> Kid {
        self.category = Some("large_family");
        self.docs.push(LARGE_FAMILY_DOC);
        self
    }

    /// The same child in the sanatorium queue, with the medical conclusion it needs.
    pub(crate) fn sanatorium(mut self) -> Kid {
        self.queue_type = "sanatorium";
        self.docs.push(MEDICAL_DOC);
        self
    }

    pub(crate) fn kazakh(mut self) -> Kid {
        self.language = "kk";
        self
    }

    pub(crate) fn email(&self) -> String {
        format!("parent{}@example.kz", self.serial)
    }

    /// A sibling born the same day, of the same applicant (twins, R-C5).
    pub(crate) fn twin(&self, serial: u32) -> Kid {
        Kid {
            iin: iin(self.birth.as_str(), serial % 2 == 1, serial * 10),
            serial,
            ..self.clone()
        }
    }

    /// The arguments of `application register` for this child.
    pub(crate) fn register_args(&self) -> Vec<String> {
        let surname = SURNAMES[self.applicant as usize % 10];
        let name = format!(
            "{surname} {}",
            GIVEN_NAMES[(self.serial as usize / 10) % 10]
        );
        let applicant_iin = iin("1990-05-05", true, self.applicant * 10);
        let applicant_name = format!("{surname}а Айгерим");
        let mut args: Vec<String> = [
            "application",
            "register",
            "--child-iin",
            &self.iin,
            "--child-name",
            &name,
            "--applicant-iin",
            &applicant_iin,
            "--applicant-name",
            &applicant_name,
            "--phone",
            "+77011234567",
            "--email",
            &self.email(),
            "--district",
            "Алмалинский",
            "--consent",
            "egov",
            "--queue-type",
            self.queue_type,
            "--language",
            self.language,
        ]
        .map(str::to_string)
        .to_vec();
        if let Some(category) = self.category {
            args.extend(["--category".to_string(), category.to_string()]);
        }
        for doc in &self.docs {
            args.extend(["--doc".to_string(), doc.to_string()]);
        }
        args
    }

    /// Registers the child at the environment's clock; returns the application number.
    pub(crate) fn register(&self, env: &TestEnv) -> String {
        self.register_with(env, &[])
    }

    /// Registers the child with extra flags; returns the application number.
    pub(crate) fn register_with(&self, env: &TestEnv, extra: &[&str]) -> String {
        let mut args = self.register_args();
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let app = env.json(&args);
        app["number"].as_str().expect("a number").to_string()
    }
}

/// `ivanova` acting on a city with the sample organizations (DS-001.. state, PS-001.. private, SS-001..
/// sanatorium).
pub(crate) fn city() -> TestEnv {
    City::builder().build().env
}

/// Publishes `count` places released today; returns their ids.
pub(crate) fn publish(env: &TestEnv, org: &str, group_year: &str, count: u32) -> Vec<i64> {
    publish_with(env, org, group_year, count, &[])
}

pub(crate) fn publish_with(
    env: &TestEnv,
    org: &str,
    group_year: &str,
    count: u32,
    extra: &[&str],
) -> Vec<i64> {
    let count = count.to_string();
    let mut args = vec![
        "place",
        "publish",
        "--org",
        org,
        "--group-year",
        group_year,
        "--language",
        "ru",
        "--count",
        &count,
    ];
    args.extend_from_slice(extra);
    ids(&env.json(&args))
}

fn ids(published: &Value) -> Vec<i64> {
    published["place_ids"]
        .as_array()
        .unwrap_or_else(|| panic!("place_ids in {published}"))
        .iter()
        .map(|v| v.as_i64().expect("an id"))
        .collect()
}

/// The offer round at the environment's clock, `--format json`.
pub(crate) fn offer(env: &TestEnv) -> Value {
    env.json(&["offer"])
}

pub(crate) fn app(env: &TestEnv, number: &str) -> Value {
    env.json(&["application", "show", number])
}

pub(crate) fn app_status(env: &TestEnv, number: &str) -> String {
    app(env, number)["status"]
        .as_str()
        .expect("a status")
        .to_string()
}

/// The `place list` row of one place.
pub(crate) fn place(env: &TestEnv, id: i64) -> Value {
    let rows = env.json(&["place", "list"]);
    rows.as_array()
        .expect("an array")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("place {id} in {rows}"))
        .clone()
}

pub(crate) fn place_status(env: &TestEnv, id: i64) -> String {
    place(env, id)["status"]
        .as_str()
        .expect("a status")
        .to_string()
}

pub(crate) fn issue(env: &TestEnv, number: &str, place: i64) -> Assert {
    env.kezek(&[
        "direction",
        "issue",
        number,
        "--place",
        &place.to_string(),
        "--format",
        "json",
    ])
}

/// Issues a direction that must be issued; returns its JSON.
pub(crate) fn issued(env: &TestEnv, number: &str, place: i64) -> Value {
    let assert = issue(env, number, place);
    let text = stderr(&assert);
    let out = assert
        .try_success()
        .unwrap_or_else(|e| panic!("direction issue {number} --place {place}: {e}\n{text}"));
    serde_json::from_slice(&out.get_output().stdout).expect("JSON output")
}

/// Exit 3 with a message that starts with the rule id; returns stderr.
pub(crate) fn refused(assert: Assert, rule: &str) -> String {
    let assert = assert.code(3);
    let text = stderr(&assert);
    assert!(
        text.starts_with(&format!("kezek: {rule}:")),
        "expected a {rule} refusal: {text}"
    );
    text
}

pub(crate) fn audit_ok(env: &TestEnv) {
    env.kezek(&["audit", "verify"]).success();
}

/// The notifications waiting in the outbox (`notify export --format json`, not marked).
pub(crate) fn outbox(env: &TestEnv) -> Vec<Value> {
    env.json(&["notify", "export"])
        .as_array()
        .expect("an array")
        .clone()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}

fn statuses(env: &TestEnv, ids: &[i64]) -> Vec<String> {
    ids.iter().map(|id| place_status(env, *id)).collect()
}

// ---------------------------------------------------------------------------------------------------------
// R-P1: publishing places.

#[test]
fn r_p1_publish_creates_n_free_places_listed_with_their_fields() {
    let env = city();
    let published = env.json(&[
        "place",
        "publish",
        "--org",
        "DS-001",
        "--group-year",
        "2022",
        "--language",
        "kk",
        "--count",
        "3",
        "--release-date",
        "2026-04-01",
    ]);
    let ids = ids(&published);
    assert_eq!(ids.len(), 3, "{published}");
    let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), 3, "{published}");
    assert_eq!(env.count("SELECT count(*) FROM place"), 3);

    let rows = env.json(&["place", "list", "--org", "DS-001"]);
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), 3, "{rows:?}");
    for row in rows {
        assert!(ids.contains(&row["id"].as_i64().expect("an id")), "{row}");
        assert_eq!(row["org"], "DS-001", "{row}");
        assert_eq!(row["group_year"], 2022, "{row}");
        assert_eq!(row["language"], "kk", "{row}");
        assert_eq!(row["place_type"], "regular", "{row}");
        assert_eq!(row["status"], "free", "{row}");
        assert_eq!(row["release_date"], "2026-04-01", "{row}");
    }
    // Without --release-date the place is released today.
    let today = publish(&env, "DS-002", "2023", 1);
    assert_eq!(place(&env, today[0])["release_date"], "2026-03-16");
    audit_ok(&env);
}

#[test]
fn r_p1_a_sanatorium_org_publishes_sanatorium_places() {
    let env = city();
    let ids = publish(&env, "SS-001", "2022", 2);
    for id in &ids {
        let row = place(&env, *id);
        assert_eq!(row["place_type"], "sanatorium", "{row}");
        assert_eq!(row["status"], "free", "{row}");
    }
    let explicit = publish_with(&env, "SS-002", "2022", 1, &["--type", "sanatorium"]);
    assert_eq!(place(&env, explicit[0])["place_type"], "sanatorium");
    // State and private organizations publish regular places.
    let state = publish(&env, "DS-001", "2022", 1);
    let private = publish(&env, "PS-001", "2022", 1);
    assert_eq!(place(&env, state[0])["place_type"], "regular");
    assert_eq!(place(&env, private[0])["place_type"], "regular");
    let sanatorium = env.json(&["place", "list", "--type", "sanatorium"]);
    assert_eq!(sanatorium.as_array().expect("an array").len(), 3);
    audit_ok(&env);
}

#[test]
fn r_p1_a_place_type_the_org_does_not_publish_is_refused() {
    let env = city();
    let before = env.snapshot();
    let text = refused(
        env.kezek(&[
            "place",
            "publish",
            "--org",
            "DS-001",
            "--group-year",
            "2022",
            "--language",
            "ru",
            "--count",
            "1",
            "--type",
            "sanatorium",
        ]),
        "R-P1",
    );
    assert!(text.contains("sanatorium"), "{text}");
    refused(
        env.kezek(&[
            "place",
            "publish",
            "--org",
            "SS-001",
            "--group-year",
            "2022",
            "--language",
            "ru",
            "--count",
            "1",
            "--type",
            "regular",
        ]),
        "R-P1",
    );
    refused(
        env.kezek(&[
            "place",
            "publish",
            "--org",
            "PS-001",
            "--group-year",
            "2022",
            "--language",
            "ru",
            "--count",
            "1",
            "--type",
            "sanatorium",
        ]),
        "R-P1",
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_p1_unknown_org_and_a_count_of_zero_are_bad_input() {
    let env = city();
    let before = env.snapshot();
    let publish_args = |org: &str, count: &str| -> Assert {
        env.kezek(&[
            "place",
            "publish",
            "--org",
            org,
            "--group-year",
            "2022",
            "--language",
            "ru",
            "--count",
            count,
        ])
    };
    let unknown = publish_args("XX-404", "1").code(65);
    assert!(stderr(&unknown).contains("XX-404"), "{}", stderr(&unknown));
    let zero = publish_args("DS-001", "0").code(65);
    assert!(stderr(&zero).contains("count"), "{}", stderr(&zero));
    publish_args("DS-001", "-1").code(predicates::ord::ne(0));
    assert_eq!(env.snapshot(), before);
}

// ---------------------------------------------------------------------------------------------------------
// R-P2: importing places, all or nothing.

const PLACES_HEADER: &str = "org_code,group_year,language,place_type,count,release_date";

#[test]
fn r_p2_a_file_with_bad_rows_writes_nothing_and_reports_every_line() {
    let env = city();
    let file = env.write(
        "places.csv",
        &format!(
            "{PLACES_HEADER}\n\
             DS-001,2022,ru,regular,2,2026-03-16\n\
             XX-404,2022,ru,regular,1,2026-03-16\n\
             DS-002,2022,en,regular,1,2026-03-16\n\
             DS-003,2022,ru,regular,-1,2026-03-16\n\
             DS-004,2022,ru,regular,1,2026-02-30\n\
             SS-001,2022,kk,sanatorium,3,2026-03-20\n"
        ),
    );
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["place", "import"])
        .arg(&file)
        .assert()
        .code(65);
    let text = stderr(&assert);
    let reported = |line: u64| -> &str {
        text.lines()
            .find(|l| l.contains(&format!("places.csv:{line}:")))
            .unwrap_or_else(|| panic!("line {line} reported in: {text}"))
    };
    assert!(reported(3).contains("XX-404"), "{text}");
    assert!(reported(4).contains("language"), "{text}");
    assert!(reported(5).contains("count"), "{text}");
    assert!(reported(6).contains("release_date"), "{text}");
    for good in [2, 7] {
        assert!(
            !text.contains(&format!("places.csv:{good}:")),
            "good line {good} reported: {text}"
        );
    }
    assert_eq!(env.snapshot(), before, "a bad file wrote something");
    assert_eq!(env.count("SELECT count(*) FROM place"), 0);
}

#[test]
fn r_p2_dry_run_validates_and_writes_nothing() {
    let env = city();
    let file = env.write(
        "places.csv",
        &format!(
            "{PLACES_HEADER}\n\
             DS-001,2022,ru,regular,2,2026-03-16\n\
             SS-001,2021,kk,sanatorium,3,2026-04-01\n"
        ),
    );
    let before = env.snapshot();
    let report = env.json(&["place", "import", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(report["rows"], 5, "{report}");
    assert_eq!(env.snapshot(), before, "--dry-run wrote something");
    // A dry run of a bad file reports the bad rows too.
    let bad = env.write(
        "bad.csv",
        &format!("{PLACES_HEADER}\nDS-001,2022,ru,regular,0,2026-03-16\n"),
    );
    let assert = env
        .cmd()
        .args(["place", "import", "--dry-run"])
        .arg(&bad)
        .assert()
        .code(65);
    assert!(
        stderr(&assert).contains("bad.csv:2:"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_p2_a_good_file_imports_the_summed_count_in_one_journal_event() {
    let env = city();
    let file = env.write(
        "places.csv",
        &format!(
            "{PLACES_HEADER}\n\
             DS-001,2022,ru,regular,2,2026-03-16\n\
             SS-001,2021,kk,sanatorium,3,2026-04-01\n\
             DS-002,2023,kk,regular,4,2026-03-16\n"
        ),
    );
    let events = env.count("SELECT count(*) FROM journal");
    let report = env.json(&["place", "import", file.to_str().unwrap()]);
    assert_eq!(report["rows"], 9, "{report}");
    assert_eq!(env.count("SELECT count(*) FROM place"), 9);
    assert_eq!(
        env.count("SELECT count(*) FROM place WHERE org = 'SS-001' AND place_type = 'sanatorium' AND group_year = 2021 AND language = 'kk' AND release_date = '2026-04-01' AND status = 'free'"),
        3
    );
    assert_eq!(
        env.count("SELECT count(*) FROM place WHERE org = 'DS-002' AND group_year = 2023 AND status = 'free'"),
        4
    );
    assert_eq!(env.count("SELECT count(*) FROM journal"), events + 1);
    assert_eq!(
        env.count("SELECT count(*) FROM journal WHERE kind = 'place.import'"),
        1
    );
    audit_ok(&env);
}

// ---------------------------------------------------------------------------------------------------------
// R-P3: the offer round.

#[test]
fn r_p3_the_offer_round_is_refused_on_a_day_off() {
    let mut env = city();
    Kid::new("2022-05-10", 1).register(&env);
    publish(&env, "DS-001", "2022", 1);
    // Saturday 21 March (Nauryz), Sunday 22, and Tuesday 24 (Nauryz moved off the weekend).
    for day in ["2026-03-21T10:00", "2026-03-22T10:00", "2026-03-24T10:00"] {
        env.set_now(day);
        let before = env.snapshot();
        let text = refused(env.kezek(&["offer"]), "R-P3");
        assert!(text.contains(&day[..10]), "{text}");
        assert_eq!(env.snapshot(), before, "{day}");
    }
    // Friday 20 March is a working day.
    env.set_now("2026-03-20T10:00");
    assert_eq!(offer(&env)["notified"], 1);
}

#[test]
fn r_p3_the_offer_round_is_refused_once_the_window_closed() {
    let mut env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    publish(&env, "DS-001", "2022", 1);
    for late in ["2026-03-16T20:00", "2026-03-16T20:01", "2026-03-16T23:30"] {
        env.set_now(late);
        let before = env.snapshot();
        refused(env.kezek(&["offer"]), "R-P3");
        assert_eq!(env.snapshot(), before, "{late}");
    }
    env.set_now("2026-03-16T19:59");
    assert_eq!(offer(&env)["notified"], 1);
    assert_eq!(app_status(&env, &a), "notified");
}

#[test]
fn r_p3_a_declared_working_saturday_runs_the_round() {
    let mut env = city();
    env.declare_day("2026-03-28", "workday", "перенос");
    let a = Kid::new("2022-05-10", 1).register(&env);
    publish(&env, "DS-001", "2022", 1);
    env.set_now("2026-03-28T10:00");
    assert_eq!(offer(&env)["notified"], 1);
    assert_eq!(app_status(&env, &a), "notified");
}

#[test]
fn r_p3_the_offer_window_is_a_setting() {
    let mut env = city();
    env.kezek(&["settings", "set", "offer_window", "10:00-18:00"])
        .success();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let places = publish(&env, "DS-001", "2022", 1);
    env.set_now("2026-03-16T18:00");
    refused(env.kezek(&["offer"]), "R-P3");
    env.set_now("2026-03-16T17:00");
    let report = offer(&env);
    assert_eq!(report["notified"], 1, "{report}");
    assert!(
        report.to_string().contains("2026-03-16T18:00:00+05:00"),
        "the window closes at 18:00: {report}"
    );
    // At 18:30 the window is over: the place is free choice and a waits again.
    let b = Kid::new("2022-06-10", 2).register(&env);
    env.set_now("2026-03-16T18:30");
    issued(&env, &b, places[0]);
    assert_eq!(app_status(&env, &a), "queued");
}

#[test]
fn r_p3_the_round_notifies_the_head_of_the_queue_in_queue_order() {
    let mut env = city();
    // Registered G1, G2, F1, O1 in this order: the queue is O1, F1, G1, G2 (R-Q2).
    let mut numbers = Vec::new();
    for (minute, kid) in [
        Kid::new("2022-05-10", 1),
        Kid::new("2022-06-10", 2),
        Kid::new("2022-07-10", 3).first_priority(),
        Kid::new("2022-08-10", 4).out_of_turn(),
    ]
    .into_iter()
    .enumerate()
    {
        env.set_now(&format!("2026-03-16T09:{:02}", minute + 1));
        numbers.push(kid.register(&env));
    }
    let (g1, g2, f1, o1) = (&numbers[0], &numbers[1], &numbers[2], &numbers[3]);
    env.set_now("2026-03-16T10:00");
    let list = env.json(&["application", "list", "--group-year", "2022"]);
    let order: Vec<&str> = list
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| str_of(r, "number"))
        .collect();
    assert_eq!(order, [o1, f1, g1, g2]);

    let places = publish(&env, "DS-001", "2022", 2);
    let report = offer(&env);
    assert_eq!(report["notified"], 2, "{report}");
    assert_eq!(app_status(&env, o1), "notified");
    assert_eq!(app_status(&env, f1), "notified");
    assert_eq!(app_status(&env, g1), "queued");
    assert_eq!(app_status(&env, g2), "queued");
    // The notified keep their positions: 1 and 2.
    assert_eq!(app(&env, o1)["queue_position"], 1);
    assert_eq!(app(&env, f1)["queue_position"], 2);
    assert_eq!(app(&env, g1)["queue_position"], 3);
    assert_eq!(statuses(&env, &places), ["offered", "offered"]);

    // A second round the same day has no free place left: nobody else is notified.
    let again = offer(&env);
    assert_eq!(again["notified"], 0, "{again}");
    assert_eq!(app_status(&env, g1), "queued");
    audit_ok(&env);
}

#[test]
fn r_p3_fewer_waiting_than_places_notifies_everyone_waiting_and_offers_every_place() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    // Another queue: a child of 2023 is not notified for places of 2022.
    let other_year = Kid::new("2023-05-10", 3).register(&env);
    let places = publish(&env, "DS-001", "2022", 3);
    let report = offer(&env);
    assert_eq!(report["notified"], 2, "{report}");
    assert_eq!(app_status(&env, &a), "notified");
    assert_eq!(app_status(&env, &b), "notified");
    assert_eq!(app_status(&env, &other_year), "queued");
    assert_eq!(statuses(&env, &places), ["offered", "offered", "offered"]);
    audit_ok(&env);
}

#[test]
fn r_p3_with_nobody_waiting_the_places_stay_free() {
    let env = city();
    // Somebody waits, but in another group year and in the other queue type.
    let other = Kid::new("2023-05-10", 1).register(&env);
    let sanatorium = Kid::new("2022-05-10", 2).sanatorium().register(&env);
    let places = publish(&env, "DS-001", "2022", 2);
    let report = offer(&env);
    assert_eq!(report["notified"], 0, "{report}");
    assert_eq!(statuses(&env, &places), ["free", "free"]);
    assert_eq!(app_status(&env, &other), "queued");
    assert_eq!(app_status(&env, &sanatorium), "queued");
    assert_eq!(env.count("SELECT count(*) FROM offer_round"), 0);
    // The next round, with somebody waiting, offers them.
    let a = Kid::new("2022-06-10", 3).register(&env);
    assert_eq!(offer(&env)["notified"], 1);
    assert_eq!(app_status(&env, &a), "notified");
    assert_eq!(statuses(&env, &places), ["offered", "offered"]);
}

#[test]
fn r_p3_places_released_later_and_places_of_private_orgs_are_never_offered() {
    let mut env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let later = publish_with(&env, "DS-001", "2022", 1, &["--release-date", "2026-03-17"]);
    let private = publish(&env, "PS-001", "2022", 2);
    let report = offer(&env);
    assert_eq!(report["notified"], 0, "{report}");
    assert_eq!(app_status(&env, &a), "queued");
    assert_eq!(statuses(&env, &later), ["free"]);
    assert_eq!(statuses(&env, &private), ["free", "free"]);

    // On the release date the state place is offered; the private ones never are.
    env.set_now("2026-03-17T10:00");
    let report = offer(&env);
    assert_eq!(report["notified"], 1, "{report}");
    assert_eq!(app_status(&env, &a), "notified");
    assert_eq!(statuses(&env, &later), ["offered"]);
    assert_eq!(statuses(&env, &private), ["free", "free"]);
    audit_ok(&env);
}

#[test]
fn r_p3_each_notified_application_gets_an_email_and_an_sms_in_its_language() {
    let env = city();
    let kk_kid = Kid::new("2022-05-10", 1).kazakh();
    let ru_kid = Kid::new("2022-06-10", 2);
    let kk = kk_kid.register(&env);
    let ru = ru_kid.register(&env);
    let not_notified = Kid::new("2022-07-10", 3).register(&env);
    publish(&env, "DS-001", "2022", 2);
    assert_eq!(offer(&env)["notified"], 2);

    let turn: Vec<Value> = outbox(&env)
        .into_iter()
        .filter(|n| n["kind"] == "turn_came")
        .collect();
    assert_eq!(turn.len(), 4, "{turn:?}");
    for (number, kid, language, subject) in [
        (&kk, &kk_kid, "kk", "Кезек келді"),
        (&ru, &ru_kid, "ru", "Подошла очередь"),
    ] {
        let mine: Vec<&Value> = turn
            .iter()
            .filter(|n| n["application"] == *number)
            .collect();
        let mut channels: Vec<&str> = mine.iter().map(|n| str_of(n, "channel")).collect();
        channels.sort();
        assert_eq!(channels, ["email", "sms"], "{mine:?}");
        for n in &mine {
            assert_eq!(n["language"], language, "{n}");
            assert_eq!(n["subject"], subject, "{n}");
            assert!(str_of(n, "body").contains(number.as_str()), "{n}");
            let recipient = str_of(n, "recipient");
            match str_of(n, "channel") {
                "email" => assert_eq!(recipient, kid.email(), "{n}"),
                _ => assert_eq!(recipient, "+77011234567", "{n}"),
            }
        }
    }
    assert!(
        !turn.iter().any(|n| n["application"] == *not_notified),
        "{turn:?}"
    );
}

#[test]
fn r_p3_a_child_enrolled_elsewhere_is_skipped() {
    let env = city();
    // The child is enrolled at DS-001 (a direction, enrolled), then registers again (a transfer, R-Q6).
    let kid = Kid::new("2022-05-10", 1);
    let first = kid.register(&env);
    let places = publish(&env, "DS-001", "2022", 1);
    assert_eq!(offer(&env)["notified"], 1);
    let direction = issued(&env, &first, places[0]);
    env.kezek(&["direction", "enroll", str_of(&direction, "number")])
        .success();
    assert_eq!(app_status(&env, &first), "enrolled");
    let transfer = kid.register(&env);
    let other = Kid::new("2022-06-10", 2).register(&env);
    // The transfer is ahead in the queue, but its child attends DS-001 with no departure.
    assert_eq!(app(&env, &transfer)["queue_position"], 1);

    publish(&env, "DS-002", "2022", 1);
    let report = offer(&env);
    assert_eq!(report["notified"], 1, "{report}");
    assert_eq!(app_status(&env, &transfer), "queued");
    assert_eq!(app_status(&env, &other), "notified");
    audit_ok(&env);
}

// ---------------------------------------------------------------------------------------------------------
// R-P4: the window.

#[test]
fn r_p4_a_notified_application_takes_an_offered_place_during_its_window() {
    let mut env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    let places = publish(&env, "DS-001", "2022", 2);
    offer(&env);
    // b, second in the queue, may take either offered place: the second one, say.
    env.set_now("2026-03-16T19:59");
    let direction = issued(&env, &b, places[1]);
    assert_eq!(direction["status"], "issued");
    assert_eq!(app_status(&env, &b), "directed");
    assert_eq!(place_status(&env, places[1]), "directed");
    assert_eq!(place_status(&env, places[0]), "offered");
    assert_eq!(app_status(&env, &a), "notified");
    audit_ok(&env);
}

#[test]
fn r_p4_when_the_window_closes_the_notified_wait_again_and_untaken_places_go_to_free_choice() {
    let mut env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    let c = Kid::new("2022-07-10", 3).register(&env);
    let places = publish(&env, "DS-001", "2022", 3);
    assert_eq!(offer(&env)["notified"], 3);
    let positions: Vec<Value> = [&a, &b, &c]
        .iter()
        .map(|n| app(&env, n)["queue_position"].clone())
        .collect();
    assert_eq!(positions, [1, 2, 3]);
    issued(&env, &b, places[0]);

    // The next working day's round closes yesterday's window first.
    env.set_now("2026-03-17T10:00");
    let notifications = env.count("SELECT count(*) FROM notification");
    let report = offer(&env);
    assert_eq!(report["notified"], 0, "{report}");
    assert_eq!(report["windows_closed"], 1, "{report}");
    assert_eq!(app_status(&env, &a), "queued");
    assert_eq!(app_status(&env, &c), "queued");
    assert_eq!(app_status(&env, &b), "directed");
    assert_eq!(app(&env, &a)["queue_position"], 1);
    assert_eq!(app(&env, &c)["queue_position"], 2);
    assert_eq!(
        statuses(&env, &places),
        ["directed", "free_choice", "free_choice"]
    );
    // R-P5: nobody is notified about free choice; the families whose window closed are told they wait again.
    assert_eq!(
        env.count("SELECT count(*) FROM notification WHERE kind <> 'window_closed'"),
        notifications
    );
    assert_eq!(
        env.count("SELECT count(*) FROM notification WHERE kind = 'window_closed'"),
        4
    );
    audit_ok(&env);
}

#[test]
fn r_p4_the_window_closed_at_20_00_is_seen_by_a_direction_issued_at_21_00() {
    let mut env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let places = publish(&env, "DS-001", "2022", 2);
    assert_eq!(offer(&env)["notified"], 1);
    let late = Kid::new("2022-06-10", 2).register(&env);
    assert_eq!(app_status(&env, &late), "queued");

    // At 21:00 the window is over: a's turn has passed, the places are free choice, and `late` takes one.
    env.set_now("2026-03-16T21:00");
    issued(&env, &late, places[1]);
    assert_eq!(app_status(&env, &a), "queued");
    assert_eq!(app(&env, &a)["queue_position"], 1);
    assert_eq!(statuses(&env, &places), ["free_choice", "directed"]);
    // a may still take the other place, as free choice.
    issued(&env, &a, places[0]);
    audit_ok(&env);
}

// ---------------------------------------------------------------------------------------------------------
// R-P5: free choice.

#[test]
fn r_p5_a_free_choice_place_goes_to_any_waiting_application_first_come_first_served() {
    let mut env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let b = Kid::new("2022-06-10", 2).register(&env);
    let c = Kid::new("2022-07-10", 3).register(&env);
    let other_year = Kid::new("2023-05-10", 4).register(&env);
    let sanatorium = Kid::new("2022-08-10", 5).sanatorium().register(&env);
    let places = publish(&env, "DS-001", "2022", 1);
    assert_eq!(offer(&env)["notified"], 1);
    assert_eq!(app_status(&env, &a), "notified");
    assert_eq!(app_status(&env, &c), "queued");

    env.set_now("2026-03-17T10:00");
    offer(&env);
    assert_eq!(place_status(&env, places[0]), "free_choice");
    assert_eq!(app_status(&env, &a), "queued");

    // Another group year or queue type may not take it.
    let before = env.snapshot();
    refused(issue(&env, &other_year, places[0]), "R-D3");
    refused(issue(&env, &sanatorium, places[0]), "R-D3");
    assert_eq!(env.snapshot(), before);

    // c, third in the queue and never notified, comes first and takes it.
    env.set_now("2026-03-17T11:00");
    let direction = issued(&env, &c, places[0]);
    assert_eq!(direction["place_id"], places[0]);
    assert_eq!(app_status(&env, &c), "directed");
    assert_eq!(place_status(&env, places[0]), "directed");

    // b comes second: the place is gone.
    env.set_now("2026-03-17T11:05");
    let before = env.snapshot();
    refused(issue(&env, &b, places[0]), "R-D3");
    assert_eq!(env.snapshot(), before);
    assert_eq!(app_status(&env, &b), "queued");
    audit_ok(&env);
}

// ---------------------------------------------------------------------------------------------------------
// R-P6: withdrawing a place.

fn withdraw(env: &TestEnv, id: i64) -> Assert {
    env.kezek(&["place", "withdraw", &id.to_string(), "--yes"])
}

#[test]
fn r_p6_free_offered_and_free_choice_places_can_be_withdrawn() {
    let mut env = city();
    let free = publish(&env, "DS-002", "2023", 1)[0];
    withdraw(&env, free).success();
    assert_eq!(place_status(&env, free), "withdrawn");

    Kid::new("2022-05-10", 1).register(&env);
    let places = publish(&env, "DS-001", "2022", 2);
    offer(&env);
    assert_eq!(place_status(&env, places[0]), "offered");
    withdraw(&env, places[0]).success();
    assert_eq!(place_status(&env, places[0]), "withdrawn");

    env.set_now("2026-03-17T10:00");
    offer(&env);
    assert_eq!(place_status(&env, places[1]), "free_choice");
    withdraw(&env, places[1]).success();
    assert_eq!(place_status(&env, places[1]), "withdrawn");
    // A withdrawn place is withdrawn for good: not again, and never offered.
    refused(withdraw(&env, places[1]), "R-P6");
    audit_ok(&env);
}

#[test]
fn r_p6_a_directed_place_cannot_be_withdrawn() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    let places = publish(&env, "DS-001", "2022", 1);
    offer(&env);
    issued(&env, &a, places[0]);
    let before = env.snapshot();
    let text = refused(withdraw(&env, places[0]), "R-P6");
    assert!(text.contains("directed"), "{text}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(place_status(&env, places[0]), "directed");
}

#[test]
fn r_p6_withdraw_without_yes_and_without_a_terminal_is_a_usage_error() {
    let env = city();
    let id = publish(&env, "DS-001", "2022", 1)[0];
    let before = env.snapshot();
    let assert = env.kezek(&["place", "withdraw", &id.to_string()]).code(2);
    assert!(stderr(&assert).contains("--yes"), "{}", stderr(&assert));
    assert_eq!(env.snapshot(), before);
    assert_eq!(place_status(&env, id), "free");
    env.kezek(&["place", "withdraw", "9999", "--yes"]).code(4);
}

// ---------------------------------------------------------------------------------------------------------
// The outbox (SPEC §8).

#[test]
fn outbox_export_twice_gives_the_same_rows_and_mark_sent_empties_it() {
    let env = city();
    let a = Kid::new("2022-05-10", 1).register(&env);
    publish(&env, "DS-001", "2022", 1);
    offer(&env);
    let first = outbox(&env);
    let second = outbox(&env);
    assert_eq!(first, second);
    assert_eq!(
        first.len(),
        4,
        "registered and turn_came, e-mail and SMS: {first:?}"
    );
    assert!(first.iter().all(|n| n["application"] == *a), "{first:?}");

    let before = env.count("SELECT count(*) FROM notification WHERE sent_at IS NULL");
    assert_eq!(before, 4);
    let marked = env.json(&["notify", "export", "--mark-sent"]);
    assert_eq!(marked.as_array().expect("an array"), &first);
    assert_eq!(
        env.count("SELECT count(*) FROM notification WHERE sent_at IS NOT NULL"),
        4
    );
    assert!(outbox(&env).is_empty());
    let again = env.json(&["notify", "export", "--mark-sent"]);
    assert_eq!(again, Value::Array(vec![]));

    // A new event gives only the new rows.
    let b = Kid::new("2022-06-10", 2).register(&env);
    let fresh = outbox(&env);
    assert_eq!(fresh.len(), 2, "{fresh:?}");
    assert!(fresh
        .iter()
        .all(|n| n["application"] == *b && n["kind"] == "registered"));
    let csv = env.stdout(&["notify", "export", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    audit_ok(&env);
}

#[test]
fn outbox_every_family_event_is_written_in_the_application_language() {
    let mut env = city();
    let kk = Kid::new("2022-05-10", 1).kazakh().register(&env);
    let ru = Kid::new("2023-05-10", 2).register(&env);
    let place = publish(&env, "DS-001", "2022", 1)[0];

    // turn_came, direction_issued, extended, revoked.
    offer(&env);
    let d1 = issued(&env, &kk, place);
    let d1 = str_of(&d1, "number").to_string();
    env.kezek(&[
        "direction",
        "extend",
        &d1,
        "--days",
        "3",
        "--reason",
        "болезнь ребёнка",
    ])
    .success();
    env.kezek(&["direction", "revoke", &d1, "--yes"]).success();
    // turn_came again, direction_issued, annulled.
    env.set_now("2026-03-16T11:00");
    offer(&env);
    let d2 = issued(&env, &kk, place);
    let d2 = str_of(&d2, "number").to_string();
    env.kezek(&[
        "direction",
        "annul",
        &d2,
        "--reason",
        "ошибка оператора",
        "--yes",
    ])
    .success();
    // And once more to the end: enrolled.
    env.set_now("2026-03-16T12:00");
    offer(&env);
    let d3 = issued(&env, &kk, place);
    env.kezek(&["direction", "enroll", str_of(&d3, "number")])
        .success();

    let rows = outbox(&env);
    let subjects = [
        ("registered", "Өтініш қабылданды"),
        ("turn_came", "Кезек келді"),
        ("direction_issued", "Жолдама берілді"),
        ("extended", "Жолдама ұзартылды"),
        ("revoked", "Жолдама кері қайтарылды"),
        ("annulled", "Жолдама жойылды"),
        ("enrolled", "Бала қабылданды"),
    ];
    for (kind, subject) in subjects {
        let mine: Vec<&Value> = rows
            .iter()
            .filter(|n| n["application"] == *kk && n["kind"] == kind)
            .collect();
        assert!(!mine.is_empty(), "no {kind} notification: {rows:?}");
        for channel in ["email", "sms"] {
            assert!(
                mine.iter().any(|n| n["channel"] == channel),
                "no {kind} {channel}: {mine:?}"
            );
        }
        for n in mine {
            assert_eq!(n["language"], "kk", "{n}");
            assert_eq!(n["subject"], subject, "{n}");
            assert!(str_of(n, "body").contains(kk.as_str()), "{n}");
        }
    }
    // The Russian-speaking family is written to in Russian.
    let ru_rows: Vec<&Value> = rows.iter().filter(|n| n["application"] == *ru).collect();
    assert_eq!(ru_rows.len(), 2, "{ru_rows:?}");
    for n in ru_rows {
        assert_eq!(n["language"], "ru", "{n}");
        assert_eq!(n["subject"], "Заявление принято", "{n}");
    }
    // Messages never carry the child's IIN.
    let iins = env.json(&["application", "show", &kk])["child_iin"].clone();
    let iin = iins.as_str().expect("an IIN");
    assert!(
        rows.iter().all(|n| !n.to_string().contains(iin)),
        "{rows:?}"
    );
    audit_ok(&env);
}

#[test]
fn a_places_file_imported_twice_is_refused_unless_allowed() {
    let env = city();
    let file = env.write(
        "places.csv",
        "org_code,group_year,language,place_type,count,release_date\nDS-001,2022,ru,regular,3,2026-03-16\n",
    );
    env.cmd()
        .args(["place", "import"])
        .arg(&file)
        .assert()
        .success();
    let before = env.snapshot();
    let out = env
        .cmd()
        .args(["place", "import"])
        .arg(&file)
        .assert()
        .code(3);
    let err = stderr(&out);
    assert!(err.contains("imported already on 2026-03-16"), "{err}");
    assert_eq!(env.snapshot(), before, "a refused repeat writes nothing");
    // A dry run says the same.
    env.cmd()
        .args(["place", "import", "--dry-run"])
        .arg(&file)
        .assert()
        .code(3);
    env.cmd()
        .args(["place", "import", "--allow-repeat"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(env.count("SELECT count(*) FROM place"), 6);
    audit_ok(&env);
}

#[test]
fn r_p2_an_import_report_names_the_org_code_column() {
    let env = city();
    let file = env.write(
        "places.csv",
        &format!("{PLACES_HEADER}\nXX-404,2022,ru,regular,1,2026-03-16\n"),
    );
    let assert = env
        .cmd()
        .args(["place", "import"])
        .arg(&file)
        .assert()
        .code(65);
    let err = stderr(&assert);
    let line = format!("{}:2: org_code: no organization 'XX-404'", file.display());
    assert!(err.contains(&line), "{line} missing from: {err}");
}

#[test]
fn r_p2_an_import_refuses_a_release_date_in_an_implausible_year() {
    let env = city();
    let file = env.write(
        "places.csv",
        &format!(
            "{PLACES_HEADER}\n\
             DS-001,2022,ru,regular,1,0026-03-16\n\
             DS-001,2022,ru,regular,1,9999-12-31\n"
        ),
    );
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["place", "import"])
        .arg(&file)
        .assert()
        .code(65);
    let err = stderr(&assert);
    for line in [2, 3] {
        let report = format!("{}:{line}: release_date:", file.display());
        assert!(err.contains(&report), "{report} missing from: {err}");
    }
    assert_eq!(env.snapshot(), before);
}
