//! Roles and scopes (SPEC §16 R-R1..R-R3). One test per role runs every changing command of the one table of
//! roles (`kezek officer roles --format json`, made from `domain::role::COMMANDS`) on a copy of one city and
//! checks that it is allowed or refused exactly as the table says: the table and these tests cannot drift apart,
//! and a command added to the table without arguments here fails them.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

use crate::common::env::{stderr, TestEnv, NOW};
use crate::place::{city, issued, offer, publish, Kid};

/// The organization of the scoped accounts, in Алмалинский (the district the test kids register in).
const ORG: &str = "DS-005";

/// Who acts: an officer id, their role, and what the table lets them do.
#[derive(Debug, Clone, Copy)]
struct Persona {
    id: &'static str,
    /// The role as `officer roles` names it in its `roles` column.
    role: &'static str,
    /// An officer whose district is neither `*` nor the subjects': refused by scope where the role would do.
    outside: bool,
    /// An officer of district `*`, who may run the rounds over the whole city.
    city_wide: bool,
}

const ADMIN: Persona = Persona {
    id: "ivanova",
    role: "admin",
    outside: false,
    city_wide: true,
};
const OFFICER: Persona = Persona {
    id: "sadykov",
    role: "officer",
    outside: false,
    city_wide: false,
};
const CITY_OFFICER: Persona = Persona {
    id: "city",
    role: "officer",
    outside: false,
    city_wide: true,
};
const OTHER_DISTRICT: Persona = Persona {
    id: "omarova",
    role: "officer",
    outside: true,
    city_wide: false,
};
const KINDERGARTEN: Persona = Persona {
    id: "kg",
    role: "kindergarten",
    outside: false,
    city_wide: false,
};
const SERVICE: Persona = Persona {
    id: "night",
    role: "service",
    outside: false,
    city_wide: false,
};

/// The city every run starts from, and what its commands name.
struct Base {
    env: TestEnv,
    /// Placeholders of the argument lists, by name.
    values: Vec<(&'static str, String)>,
}

impl Base {
    /// The key of an officer: a fixture's, or one `keygen` made into the base directory.
    fn key(&self, id: &str) -> PathBuf {
        match id {
            "ivanova" | "sadykov" | "omarova" => self.env.key(id).0,
            other => self.env.path(other).join("officer.key"),
        }
    }
}

fn add(env: &TestEnv, id: &str, public: &Path, district: &str, role: &str, org: Option<&str>) {
    let mut args = add_args(id, public, role, org);
    let at = args
        .iter()
        .position(|a| a == "--district")
        .expect("--district");
    args[at + 1] = district.to_string();
    env.kezek_args(args).success();
}

/// One city with every subject the table's commands need, its officers of every role.
fn base() -> Base {
    let env = city();
    env.kezek(&["settings", "set", "min_age_years", "0"])
        .success();
    let (_, sadykov) = env.key("sadykov");
    let (_, omarova) = env.key("omarova");
    add(&env, "sadykov", &sadykov, "Алмалинский", "officer", None);
    add(&env, "omarova", &omarova, "Бостандыкский", "officer", None);
    for (id, district, role, org) in [
        ("city", "*", "officer", None),
        ("kg", "Алмалинский", "kindergarten", Some(ORG)),
        ("night", "Алмалинский", "service", None),
    ] {
        let (_, public) = env.keygen(id);
        add(&env, id, &public, district, role, org);
    }
    let (_, newbie) = env.keygen("newbie");
    // An issued direction, an enrolled child, a benefit direction not yet confirmed: one offer round each.
    let directed = |kid: Kid| {
        let number = kid.register(&env);
        let place = publish(&env, ORG, "2022", 1)[0];
        assert_eq!(offer(&env)["notified"], 1);
        let d = issued(&env, &number, place);
        d["number"].as_str().expect("a number").to_string()
    };
    let issued_direction = directed(Kid::new("2022-02-01", 2));
    let enrolled_kid = Kid::new("2022-03-01", 3);
    let enrolled = directed(Kid::new("2022-03-01", 3));
    env.kezek(&["direction", "enroll", &enrolled]).success();
    let benefit = directed(Kid::new("2022-04-01", 4).first_priority());
    // A notified application with its offered place: the direction to issue.
    let notified = Kid::new("2022-05-01", 5).register(&env);
    let offered = publish(&env, ORG, "2022", 1)[0];
    assert_eq!(offer(&env)["notified"], 1);
    let waiting = Kid::new("2022-06-01", 6).register(&env);
    let free = publish(&env, ORG, "2021", 1)[0];
    env.kezek(&[
        "calendar",
        "add",
        "2026-12-26",
        "--kind",
        "workday",
        "--name",
        "Перенос",
    ])
    .success();
    env.write(
        "orgs.csv",
        "code,name,kind,district\nDS-901,Новый сад,state,Алмалинский\n",
    );
    env.write(
        "capacities.csv",
        &format!("org_code,group_year,places\n{ORG},2022,40\n"),
    );
    env.write(
        "calendar.csv",
        "date,kind,name\n2026-12-19,workday,Перенос\n",
    );
    env.write(
        "places.csv",
        &format!("org_code,group_year,language,place_type,count,release_date\n{ORG},2022,ru,regular,1,2026-03-16\n"),
    );
    let kid = Kid::new("2022-07-01", 7);
    let args = kid.register_args();
    let flag = |name: &str| {
        let i = args.iter().position(|a| a == name).expect("a flag");
        args[i + 1].clone()
    };
    env.write(
        "applications.csv",
        &format!(
            "registered_at,child_iin,child_name,applicant_iin,applicant_name,phone,email,district,queue_type,language,category,docs,consent\n\
             2026-03-02T09:00:00+05:00,{},{},{},{},+77011234567,{},Алмалинский,general,ru,,,egov\n",
            flag("--child-iin"),
            flag("--child-name"),
            flag("--applicant-iin"),
            flag("--applicant-name"),
            kid.email()
        ),
    );
    let enrolled_iin = enrolled_kid.register_args()[3].clone();
    env.write(
        "attendance.csv",
        &format!("org_code,child_iin,month,days_present\n{ORG},{enrolled_iin},2026-02,18\n"),
    );
    let values = vec![
        ("issued", issued_direction),
        ("enrolled_iin", enrolled_iin),
        ("benefit", benefit),
        ("notified", notified),
        ("offered", offered.to_string()),
        ("waiting", waiting),
        ("free", free.to_string()),
        ("newbie", newbie.display().to_string()),
        ("dir", env.dir.path().display().to_string()),
    ];
    Base { env, values }
}

/// The arguments that make `command` succeed on the base city, `{name}` standing for its values.
fn args_of(command: &str) -> &'static [&'static str] {
    match command {
        "officer add" => &[
            "--id",
            "newbie",
            "--name",
            "Новый Сотрудник",
            "--district",
            "Алмалинский",
            "--role",
            "officer",
            "--public-key",
            "{newbie}",
        ],
        "officer set-role" => &["omarova", "--role", "service"],
        "officer rotate-key" => &["omarova", "--public-key", "{newbie}"],
        "officer deactivate" => &["omarova", "--yes"],
        "org add" => &[
            "--code",
            "DS-900",
            "--name",
            "Новый сад",
            "--kind",
            "state",
            "--district",
            "Алмалинский",
        ],
        "org import" => &["{dir}/orgs.csv"],
        "org capacity" => &["DS-005", "--group-year", "2022", "--places", "40"],
        "org capacity-import" => &["{dir}/capacities.csv"],
        "calendar add" => &["2026-12-31", "--kind", "holiday", "--name", "Канун"],
        "calendar remove" => &["2026-12-26"],
        "calendar import" => &["{dir}/calendar.csv"],
        "settings set" => &["general_per_first_priority", "4"],
        "district add" => &["Новый", "--name-kk", "Жаңа"],
        "application register" => &[],
        "application import" => &["{dir}/applications.csv"],
        "application set-category" => &[
            "{waiting}",
            "--category",
            "large_family",
            "--doc",
            "large_family_certificate:77:2026-01-10",
        ],
        "application withdraw" => &["{waiting}", "--reason", "заявление родителя", "--yes"],
        "application prefer" => &["{waiting}", "DS-005"],
        "place publish" => &[
            "--org",
            "DS-005",
            "--group-year",
            "2022",
            "--language",
            "ru",
            "--count",
            "1",
        ],
        "place import" => &["{dir}/places.csv"],
        "place withdraw" => &["{free}", "--yes"],
        "offer" | "allocate" | "exchange" | "sweep" => &[],
        "direction issue" => &["{notified}", "--place", "{offered}"],
        "direction extend" => &["{issued}", "--days", "5", "--reason", "ребёнок болеет"],
        "direction revoke" => &["{issued}", "--yes"],
        "direction annul" => &["{issued}", "--reason", "ошибка", "--yes"],
        "direction enroll" => &["{issued}"],
        "direction confirm-benefit" => &[
            "{benefit}",
            "--doc",
            "large_family_certificate:78:2026-03-10",
        ],
        "attendance import" => &["{dir}/attendance.csv"],
        "child depart" => &["--iin", "{enrolled_iin}", "--org", "DS-005"],
        "notify export" => &["--mark-sent"],
        "db purge" => &["--before", "2026-03-01", "--yes"],
        other => {
            panic!("the role tests have no arguments for `kezek {other}`: add them to args_of")
        }
    }
}

/// A copy of the base database in a directory of its own.
fn copy_of(base: &Base) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for suffix in ["", "-wal"] {
        let from = PathBuf::from(format!("{}{suffix}", base.env.db.display()));
        if from.exists() {
            std::fs::copy(&from, dir.path().join(format!("kezek.db{suffix}"))).expect("copy");
        }
    }
    dir
}

fn kezek(base: &Base, dir: &Path, who: &str, args: &[String]) -> std::process::Output {
    Command::cargo_bin("kezek")
        .expect("the kezek binary")
        .env_clear()
        .current_dir(dir)
        .env("KEZEK_DB", dir.join("kezek.db"))
        .env("KEZEK_NOW", NOW)
        .env("KEZEK_OFFICER", who)
        .env("KEZEK_KEY", base.key(who))
        .args(args)
        .output()
        .expect("run kezek")
}

fn journal_len(dir: &Path) -> i64 {
    rusqlite::Connection::open(dir.join("kezek.db"))
        .expect("open")
        .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
        .expect("a count")
}

/// Runs every changing command of the table as `who` and checks each against the table.
fn every_command_as(who: Persona) {
    let base = base();
    let table = base.env.json(&["officer", "roles"]);
    let rows = table.as_array().expect("an array");
    assert!(rows.len() >= 30, "{table}");
    let register = Kid::new("2022-08-01", 8).register_args();
    let mut checked = 0;
    for row in rows {
        let command = row["command"].as_str().expect("a command");
        let command = command.strip_prefix("kezek ").expect("kezek ...");
        let roles: Vec<&str> = row["roles"].as_str().expect("roles").split(", ").collect();
        let may = roles.contains(&who.role)
            || (who.city_wide && roles.contains(&format!("{} (*)", who.role).as_str()));
        let in_scope = !who.outside;
        let mut args: Vec<String> = command.split(' ').map(String::from).collect();
        if command == "application register" {
            args = register.clone();
        }
        for a in args_of(command) {
            let mut a = a.to_string();
            for (name, value) in &base.values {
                a = a.replace(&format!("{{{name}}}"), value);
            }
            args.push(a);
        }
        let dir = copy_of(&base);
        let before = journal_len(dir.path());
        let out = kezek(&base, dir.path(), who.id, &args);
        let text = String::from_utf8_lossy(&out.stderr).into_owned();
        let code = out.status.code();
        if may && in_scope {
            assert_eq!(
                code,
                Some(0),
                "{who:?} may run `kezek {}`: {text}",
                args.join(" ")
            );
            let audit = kezek(
                &base,
                dir.path(),
                who.id,
                &["audit".into(), "verify".into()],
            );
            assert!(
                audit.status.success(),
                "audit verify after `{command}` as {who:?}: {}",
                String::from_utf8_lossy(&audit.stderr)
            );
        } else {
            // An import refused by scope reports each row outside it by line, as any bad row (exit 65).
            let expected = if may && command.ends_with("import") {
                65
            } else {
                3
            };
            assert_eq!(
                code,
                Some(expected),
                "{who:?} may not run `kezek {}`: {text}",
                args.join(" ")
            );
            assert!(text.contains("R-R1"), "{text}");
            assert!(text.contains(who.id), "{text}");
            assert_eq!(journal_len(dir.path()), before, "refused `{command}` wrote");
        }
        checked += 1;
    }
    assert_eq!(checked, rows.len());
}

#[test]
fn r_r1_an_admin_runs_every_changing_command() {
    every_command_as(ADMIN);
}

#[test]
fn r_r1_an_officer_runs_the_commands_of_their_district_and_no_round_over_the_city() {
    every_command_as(OFFICER);
}

#[test]
fn r_r1_a_city_wide_officer_runs_the_rounds_too() {
    every_command_as(CITY_OFFICER);
}

#[test]
fn r_r2_an_officer_of_another_district_is_refused_before_anything_changes() {
    every_command_as(OTHER_DISTRICT);
}

#[test]
fn r_r1_a_kindergarten_account_records_only_its_own_arrivals_departures_and_attendance() {
    every_command_as(KINDERGARTEN);
}

#[test]
fn r_r1_the_service_account_runs_the_night_and_nothing_else() {
    every_command_as(SERVICE);
}

/// A new officer's `officer add` arguments.
pub(crate) fn add_args(id: &str, public: &Path, role: &str, org: Option<&str>) -> Vec<String> {
    let mut args: Vec<String> = ["officer", "add", "--id", id, "--name", "Сотрудник Тестовый"]
        .into_iter()
        .chain(["--district", "Алмалинский", "--role", role, "--public-key"])
        .map(String::from)
        .collect();
    args.push(public.display().to_string());
    if let Some(org) = org {
        args.extend(["--org".into(), org.into()]);
    }
    args
}

#[test]
fn r_r1_bad_roles_and_scopes_are_refused_and_nothing_is_written() {
    let env = city();
    let (_, public) = env.keygen("kg");
    let cases: [(&str, Option<&str>, i32, &str); 4] = [
        ("root", None, 2, "root"),
        ("kindergarten", None, 2, "--org"),
        ("kindergarten", Some("DS-001"), 3, "Алатауский"),
        ("service", Some(ORG), 2, "--org"),
    ];
    for (role, org, code, says) in cases {
        let before = env.snapshot();
        let assert = env
            .kezek_args(add_args("kg", &public, role, org))
            .code(code);
        let text = stderr(&assert);
        assert!(text.contains(says), "{role} {org:?}: {text}");
        assert_eq!(env.snapshot(), before, "{role} {org:?} wrote");
    }
    // `--role` is required but for the first officer.
    let mut args = add_args("kg", &public, "officer", None);
    let at = args.iter().position(|a| a == "--role").unwrap();
    args.drain(at..at + 2);
    assert!(stderr(&env.kezek_args(args).code(2)).contains("--role"));
    // The last active admin keeps the role and stays active.
    let before = env.snapshot();
    let text = stderr(
        &env.kezek(&["officer", "set-role", "ivanova", "--role", "officer"])
            .code(3),
    );
    assert!(text.contains("R-R1") && text.contains("ivanova"), "{text}");
    env.kezek(&["officer", "add", "--id", "x"]).code(2);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_r1_the_first_officer_is_an_admin() {
    let env = TestEnv::new();
    let (key, public) = env.key("ivanova");
    let mut args = add_args("ivanova", &public, "officer", None);
    args.extend(["--key".into(), key.display().to_string()]);
    let text = stderr(&env.kezek_args(&args).code(3));
    assert!(text.contains("R-R1"), "{text}");
    env.add_first_officer("ivanova");
    let officers = env.json(&["officer", "list"]);
    assert_eq!(officers[0]["role"], "admin", "{officers}");
}

#[test]
fn r_r3_a_role_change_is_journaled_public_and_checked_by_both_audits() {
    let env = city();
    let (_, public) = env.keygen("night");
    env.kezek_args(add_args("night", &public, "service", None))
        .success();
    env.kezek(&["officer", "set-role", "night", "--role", "officer"])
        .success();
    let history = env.json(&["history", "night"]);
    let kinds = crate::common::env::event_kinds(&history);
    assert_eq!(kinds, ["officer.add", "officer.set_role"], "{history}");
    let list = env.json(&["officer", "list"]);
    let night = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "night")
        .unwrap();
    assert_eq!(night["role"], "officer");
    env.kezek(&["audit", "verify"]).success();
    let out = env.path("pub");
    env.kezek_args(["publish".as_ref(), out.as_os_str()])
        .success();
    let log = std::fs::read_to_string(out.join("log/000000.jsonl")).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("officer.set_role"))
        .expect("the role change is public");
    assert!(line.contains("\"role\":\"officer\""), "{line}");
    env.kezek_args(["audit".as_ref(), "public".as_ref(), out.as_os_str()])
        .success();
}

/// `night`, a service account, made an admin behind kezek's back: it changes a setting, and the edit is undone
/// so that every row has its recorded digest again.
pub(crate) fn widened(restore: bool) -> TestEnv {
    let env = city();
    let (key, public) = env.keygen("night");
    env.kezek_args(add_args("night", &public, "service", None))
        .success();
    let sql = |s: &str| env.conn().execute_batch(s).expect("SQL");
    sql("UPDATE officer SET role = 'admin' WHERE id = 'night'");
    env.cmd()
        .env("KEZEK_OFFICER", "night")
        .env("KEZEK_KEY", &key)
        .args(["settings", "set", "general_per_first_priority", "5"])
        .assert()
        .success();
    if restore {
        sql("UPDATE officer SET role = 'service' WHERE id = 'night'");
    }
    env
}

#[test]
fn r_r3_a_role_widened_by_sql_and_used_is_caught_by_audit_verify() {
    let env = widened(false);
    let text = stderr(&env.kezek(&["audit", "verify"]).code(65));
    assert!(text.contains("officer"), "{text}");
    // Undone after use, every row verifies again, but the journal says who acted in which role.
    let env = widened(true);
    let text = stderr(&env.kezek(&["audit", "verify"]).code(65));
    assert!(text.contains("R-R3"), "{text}");
    assert!(
        text.contains("settings.set") && text.contains("night"),
        "{text}"
    );
    assert!(text.contains("service"), "{text}");
    let out = env.path("pub");
    env.kezek_args(["publish".as_ref(), out.as_os_str()])
        .success();
    let text = stderr(
        &env.kezek_args(["audit".as_ref(), "public".as_ref(), out.as_os_str()])
            .code(65),
    );
    assert!(text.contains("R-R3"), "{text}");
}

#[test]
fn r_r1_the_roles_table_in_the_readme_is_the_binary_s() {
    let env = TestEnv::bare();
    let table: Value = env.json(&["officer", "roles"]);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for row in table.as_array().unwrap() {
        let line = format!(
            "| `{}` | {} | {} |",
            row["command"].as_str().unwrap(),
            row["roles"].as_str().unwrap(),
            row["reaches"].as_str().unwrap()
        );
        assert!(readme.contains(&line), "README.md lacks the line\n{line}");
    }
}
