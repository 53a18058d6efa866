//! `kezek org add | import | list`: organizations one at a time and from CSV (SPEC §8, §9).

use std::path::{Path, PathBuf};

use predicates::str::contains;
use serde_json::{json, Value};

use crate::common::env::{stderr, TestEnv};

const HEADER: &str = "code,name,kind,district,phone,address";

fn example_orgs() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/orgs.csv"))
}

fn orgs(env: &TestEnv) -> i64 {
    env.count("SELECT count(*) FROM org")
}

fn events(env: &TestEnv) -> i64 {
    env.count("SELECT count(*) FROM journal")
}

fn import(env: &TestEnv, file: &Path) -> assert_cmd::assert::Assert {
    env.cmd().args(["org", "import"]).arg(file).assert()
}

fn import_dry_run(env: &TestEnv, file: &Path) -> assert_cmd::assert::Assert {
    env.cmd()
        .args(["org", "import", "--dry-run"])
        .arg(file)
        .assert()
}

/// `file:LINE:` as the error report prefixes each bad row.
fn at(file: &Path, line: u64) -> String {
    format!("{}:{line}:", file.display())
}

fn add_ds017(env: &TestEnv) {
    env.kezek(&[
        "org",
        "add",
        "--code",
        "DS-017",
        "--name",
        "Ясли-сад № 17 «Балапан»",
        "--kind",
        "state",
        "--district",
        "Алмалинский",
        "--phone",
        "+77272000017",
        "--address",
        "ул. Толе би, 17",
    ])
    .success()
    .stderr(contains("DS-017"));
}

fn codes(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a JSON array")
        .iter()
        .map(|o| o["code"].as_str().expect("a code").to_string())
        .collect()
}

fn write_lines(env: &TestEnv, name: &str, lines: &[&str]) -> PathBuf {
    let mut text = lines.join("\n");
    text.push('\n');
    env.write(name, &text)
}

// ---- org add ----

#[test]
fn org_add_then_list_json_shows_every_field() {
    let env = TestEnv::with_officer();
    add_ds017(&env);
    let list = env.json(&["org", "list"]);
    assert_eq!(
        list,
        json!([{
            "code": "DS-017",
            "name": "Ясли-сад № 17 «Балапан»",
            "kind": "state",
            "district": "Алмалинский",
            "phone": "+77272000017",
            "address": "ул. Толе би, 17",
        }])
    );
}

#[test]
fn org_add_without_phone_and_address_lists_them_as_null() {
    let env = TestEnv::with_officer();
    env.kezek(&[
        "org",
        "add",
        "--code",
        "SS-9",
        "--name",
        "Санаторный сад",
        "--kind",
        "sanatorium",
        "--district",
        "Медеуский",
    ])
    .success();
    let list = env.json(&["org", "list"]);
    assert_eq!(list[0]["code"], "SS-9");
    assert_eq!(list[0]["kind"], "sanatorium");
    assert_eq!(list[0]["phone"], Value::Null);
    assert_eq!(list[0]["address"], Value::Null);
}

#[test]
fn org_add_normalizes_the_phone() {
    let env = TestEnv::with_officer();
    env.kezek(&[
        "org",
        "add",
        "--code",
        "PS-1",
        "--name",
        "Частный сад",
        "--kind",
        "private",
        "--district",
        "Ауэзовский",
        "--phone",
        "8 (701) 123-45-67",
    ])
    .success();
    assert_eq!(env.json(&["org", "list"])[0]["phone"], "+77011234567");
}

#[test]
fn org_add_unknown_kind_is_bad_input_naming_kind_and_the_kinds() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .kezek(&[
            "org",
            "add",
            "--code",
            "DS-1",
            "--name",
            "Сад",
            "--kind",
            "municipal",
            "--district",
            "Алмалинский",
        ])
        .code(65);
    let err = stderr(&assert);
    assert!(err.contains("kind"), "{err}");
    assert!(err.contains("municipal"), "{err}");
    for kind in ["state", "private", "sanatorium"] {
        assert!(err.contains(kind), "{kind} missing from: {err}");
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_add_duplicate_code_is_bad_input_naming_code() {
    let env = TestEnv::with_officer();
    add_ds017(&env);
    let before = env.snapshot();
    let assert = env
        .kezek(&[
            "org",
            "add",
            "--code",
            "DS-017",
            "--name",
            "Другой сад",
            "--kind",
            "private",
            "--district",
            "Медеуский",
        ])
        .code(65);
    let err = stderr(&assert);
    assert!(err.contains("code"), "{err}");
    assert!(err.contains("DS-017"), "{err}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(orgs(&env), 1);
}

#[test]
fn org_add_malformed_phone_is_bad_input_naming_phone() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .kezek(&[
            "org",
            "add",
            "--code",
            "DS-1",
            "--name",
            "Сад",
            "--kind",
            "state",
            "--district",
            "Алмалинский",
            "--phone",
            "12-34",
        ])
        .code(65);
    let err = stderr(&assert);
    assert!(err.contains("phone: not a phone number"), "{err}");
    assert!(err.contains("4 digits without +7 or 8 in front"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_add_empty_name_is_bad_input_naming_name() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .kezek(&[
            "org",
            "add",
            "--code",
            "DS-1",
            "--name",
            "  ",
            "--kind",
            "state",
            "--district",
            "Алмалинский",
        ])
        .code(65);
    assert!(stderr(&assert).contains("name"), "{}", stderr(&assert));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_a2_org_add_without_officer_is_a_usage_error() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .cmd()
        .env_remove("KEZEK_OFFICER")
        .args([
            "org",
            "add",
            "--code",
            "DS-1",
            "--name",
            "Сад",
            "--kind",
            "state",
            "--district",
            "Алмалинский",
        ])
        .assert()
        .code(2);
    let err = stderr(&assert);
    assert!(err.contains("--officer"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_a2_org_add_by_an_unknown_officer_is_refused() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .cmd()
        .env("KEZEK_OFFICER", "nobody")
        .args([
            "org",
            "add",
            "--code",
            "DS-1",
            "--name",
            "Сад",
            "--kind",
            "state",
            "--district",
            "Алмалинский",
        ])
        .assert()
        .code(3);
    let err = stderr(&assert);
    assert!(err.contains("R-A2"), "{err}");
    assert!(err.contains("nobody"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_add_journals_one_event_and_audit_verifies() {
    let env = TestEnv::with_officer();
    let before = events(&env);
    add_ds017(&env);
    assert_eq!(events(&env), before + 1);
    let history = env.json(&["history", "DS-017"]);
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["kind"], "org.add");
    assert_eq!(history[0]["officer"], "ivanova");
    env.kezek(&["audit", "verify"]).success();
}

// ---- org import ----

#[test]
fn org_import_of_the_example_file_imports_43_rows() {
    let env = TestEnv::with_officer();
    let before = events(&env);
    import(&env, example_orgs())
        .success()
        .stderr(contains("imported 43"));
    assert_eq!(orgs(&env), 43);
    assert_eq!(events(&env), before + 1, "one journal event per import");
    let list = env.json(&["org", "list"]);
    let ds001 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "DS-001")
        .expect("DS-001 listed");
    assert_eq!(
        ds001,
        &json!({
            "code": "DS-001",
            "name": "Ясли-сад № 101 «Балапан»",
            "kind": "state",
            "district": "Алатауский",
            "phone": "+77273987817",
            "address": "ул. Толе би, 102",
        })
    );
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn org_import_json_reports_the_rows() {
    let env = TestEnv::with_officer();
    let report = env.json(&["org", "import", example_orgs().to_str().unwrap()]);
    assert_eq!(report["rows"], 43);
    assert_eq!(report["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn org_import_columns_in_another_order() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "reordered.csv",
        &[
            "district,address,phone,kind,name,code",
            "Медеуский,\"ул. Абая, 1\",+77270000001,sanatorium,Санаторный сад,SS-1",
            "Алмалинский,,,state,Ясли-сад,DS-1",
        ],
    );
    let before = events(&env);
    import(&env, &file).success();
    assert_eq!(events(&env), before + 1);
    let list = env.json(&["org", "list"]);
    assert_eq!(
        list,
        json!([
            {
                "code": "DS-1",
                "name": "Ясли-сад",
                "kind": "state",
                "district": "Алмалинский",
                "phone": null,
                "address": null,
            },
            {
                "code": "SS-1",
                "name": "Санаторный сад",
                "kind": "sanatorium",
                "district": "Медеуский",
                "phone": "+77270000001",
                "address": "ул. Абая, 1",
            }
        ])
    );
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn org_import_without_the_optional_columns() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "required-only.csv",
        &["code,name,kind,district", "DS-1,Ясли-сад,state,Алмалинский"],
    );
    import(&env, &file).success();
    let list = env.json(&["org", "list"]);
    assert_eq!(codes(&list), ["DS-1"]);
    assert_eq!(list[0]["phone"], Value::Null);
    assert_eq!(list[0]["address"], Value::Null);
}

#[test]
fn org_import_with_only_one_optional_column() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "phone-only.csv",
        &[
            "code,name,kind,district,phone",
            "DS-1,Ясли-сад,state,Алмалинский,+77270000001",
        ],
    );
    import(&env, &file).success();
    let list = env.json(&["org", "list"]);
    assert_eq!(list[0]["phone"], "+77270000001");
    assert_eq!(list[0]["address"], Value::Null);
}

#[test]
fn org_import_unknown_column_is_refused_on_line_1() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "fax.csv",
        &[
            "code,name,kind,district,fax",
            "DS-1,Ясли-сад,state,Алмалинский,123",
        ],
    );
    let before = env.snapshot();
    let assert = import(&env, &file).code(65);
    let err = stderr(&assert);
    assert!(err.contains(&at(&file, 1)), "{err}");
    assert!(err.contains("fax"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_import_missing_required_column_is_refused() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "no-district.csv",
        &["code,name,kind", "DS-1,Ясли-сад,state"],
    );
    let before = env.snapshot();
    let assert = import(&env, &file).code(65);
    let err = stderr(&assert);
    assert!(err.contains(&at(&file, 1)), "{err}");
    assert!(err.contains("district"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_import_reports_every_bad_row_with_its_line_and_writes_nothing() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "bad.csv",
        &[
            HEADER,                                      // 1
            "DS-1,Ясли-сад № 1,state,Алмалинский,,",     // 2 good
            "DS-2,Ясли-сад № 2,municipal,Алмалинский,,", // 3 bad kind
            "DS-3,Ясли-сад № 3,state,Алмалинский,,",     // 4 good
            "DS-4,,state,Алмалинский,,",                 // 5 empty name
            "DS-5,Ясли-сад № 5,private,Медеуский,,",     // 6 good
            "DS-1,Ясли-сад № 1 again,state,Медеуский,,", // 7 duplicate of line 2
        ],
    );
    let before = env.snapshot();
    let assert = import(&env, &file).code(65);
    let err = stderr(&assert);
    let kind_line = format!("{} kind", at(&file, 3));
    let name_line = format!("{} name", at(&file, 5));
    let code_line = format!("{} code", at(&file, 7));
    assert!(err.contains(&kind_line), "{kind_line} missing from: {err}");
    assert!(err.contains("municipal"), "{err}");
    assert!(err.contains(&name_line), "{name_line} missing from: {err}");
    assert!(err.contains(&code_line), "{code_line} missing from: {err}");
    assert!(err.contains("DS-1"), "{err}");
    for good in [2, 4, 6] {
        assert!(
            !err.contains(&at(&file, good)),
            "line {good} is good: {err}"
        );
    }
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(orgs(&env), 0);
}

#[test]
fn org_import_code_already_in_the_database_is_refused_with_its_line() {
    let env = TestEnv::with_officer();
    add_ds017(&env);
    let file = write_lines(
        &env,
        "exists.csv",
        &[
            "code,name,kind,district",
            "DS-100,Новый сад,state,Алмалинский",
            "DS-017,Тот же код,state,Алмалинский",
        ],
    );
    let before = env.snapshot();
    let assert = import(&env, &file).code(65);
    let err = stderr(&assert);
    let line = format!("{} code", at(&file, 3));
    assert!(err.contains(&line), "{line} missing from: {err}");
    assert!(err.contains("DS-017"), "{err}");
    assert!(!err.contains(&at(&file, 2)), "{err}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(orgs(&env), 1);
}

#[test]
fn org_import_row_with_too_many_fields_is_reported_with_its_line() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "ragged.csv",
        &[
            "code,name,kind,district",
            "DS-1,Ясли-сад,state,Алмалинский",
            "DS-2,Ясли-сад, № 2,state,Алмалинский",
        ],
    );
    let before = env.snapshot();
    let assert = import(&env, &file).code(65);
    let err = stderr(&assert);
    assert!(err.contains(&at(&file, 3)), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_import_dry_run_of_a_good_file_writes_nothing() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = import_dry_run(&env, example_orgs()).success();
    let err = stderr(&assert);
    assert!(err.contains("dry run"), "{err}");
    assert!(err.contains("43"), "{err}");
    assert_eq!(orgs(&env), 0);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_import_dry_run_of_a_bad_file_is_bad_input() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "bad-kind.csv",
        &[
            "code,name,kind,district",
            "DS-1,Ясли-сад,nursery,Алмалинский",
        ],
    );
    let before = env.snapshot();
    let assert = import_dry_run(&env, &file).code(65);
    let err = stderr(&assert);
    assert!(err.contains(&at(&file, 2)), "{err}");
    assert!(err.contains("nursery"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_import_missing_file_is_not_found() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = import(&env, &env.path("no-such-file.csv")).code(4);
    assert!(
        stderr(&assert).contains("no-such-file.csv"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_import_empty_file_is_bad_input() {
    let env = TestEnv::with_officer();
    let file = env.write("empty.csv", "");
    let before = env.snapshot();
    let assert = import(&env, &file).code(65);
    let err = stderr(&assert);
    assert!(err.contains("empty"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_import_crlf_file_imports() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "crlf.csv",
        "code,name,kind,district,phone,address\r\n\
         DS-1,Ясли-сад № 1,state,Алмалинский,+77270000001,\"ул. Абая, 1\"\r\n\
         DS-2,Ясли-сад № 2,private,Медеуский,,\r\n",
    );
    import(&env, &file).success();
    let list = env.json(&["org", "list"]);
    assert_eq!(codes(&list), ["DS-1", "DS-2"]);
    // No carriage return left in the last column.
    assert_eq!(list[0]["address"], "ул. Абая, 1");
    assert_eq!(list[1]["address"], Value::Null);
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn org_import_crlf_file_reports_the_right_line_numbers() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "crlf-bad.csv",
        "code,name,kind,district\r\n\
         DS-1,Ясли-сад № 1,state,Алмалинский\r\n\
         DS-2,Ясли-сад № 2,municipal,Алмалинский\r\n",
    );
    let before = env.snapshot();
    let assert = import(&env, &file).code(65);
    let err = stderr(&assert);
    let line = format!("{} kind", at(&file, 3));
    assert!(err.contains(&line), "{line} missing from: {err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_import_file_with_a_utf8_bom_imports() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "bom.csv",
        "\u{feff}code,name,kind,district\nDS-1,Ясли-сад,state,Алмалинский\n",
    );
    import(&env, &file).success();
    assert_eq!(codes(&env.json(&["org", "list"])), ["DS-1"]);
}

#[test]
fn org_import_bom_before_an_unknown_column_names_it_plainly() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "bom-unknown.csv",
        "\u{feff}fax,code,name,kind,district\n1,DS-1,Ясли-сад,state,Алмалинский\n",
    );
    let assert = import(&env, &file).code(65);
    let err = stderr(&assert);
    assert!(err.contains("'fax'"), "{err}");
}

#[test]
fn org_import_quoted_fields_with_commas_and_quotes() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "quoted.csv",
        &[
            HEADER,
            "DS-1,\"Сад \"\"Солнышко\"\", филиал\",state,Алмалинский,+77270000001,\"мкр. Самал-2, 108, корпус 3\"",
        ],
    );
    import(&env, &file).success();
    let list = env.json(&["org", "list"]);
    assert_eq!(list[0]["name"], "Сад \"Солнышко\", филиал");
    assert_eq!(list[0]["address"], "мкр. Самал-2, 108, корпус 3");
}

#[test]
fn org_import_twice_refuses_the_second_time_and_keeps_the_first() {
    let env = TestEnv::with_officer();
    import(&env, example_orgs()).success();
    let before = env.snapshot();
    // The same file again (same SHA-256) is refused with the date of the first import.
    let assert = import(&env, example_orgs()).code(3);
    let err = stderr(&assert);
    assert!(
        err.contains("imported already on 2026-03-16T10:00:00+05:00"),
        "{err}"
    );
    assert!(err.contains("--allow-repeat"), "{err}");
    assert_eq!(env.snapshot(), before);
    // Allowed to repeat, every row is a duplicate code.
    let assert = env
        .cmd()
        .args(["org", "import", "--allow-repeat"])
        .arg(example_orgs())
        .assert()
        .code(65);
    let err = stderr(&assert);
    assert!(err.contains("43 bad row(s)"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_import_every_success_adds_exactly_one_journal_event() {
    let env = TestEnv::with_officer();
    let first = write_lines(
        &env,
        "first.csv",
        &[
            "code,name,kind,district",
            "DS-1,Ясли-сад № 1,state,Алмалинский",
            "DS-2,Ясли-сад № 2,state,Алмалинский",
            "DS-3,Ясли-сад № 3,state,Алмалинский",
        ],
    );
    let second = write_lines(
        &env,
        "second.csv",
        &[
            "code,name,kind,district",
            "PS-1,Частный сад,private,Медеуский",
        ],
    );
    let start = events(&env);
    import(&env, &first).success();
    assert_eq!(events(&env), start + 1);
    import(&env, &second).success();
    assert_eq!(events(&env), start + 2);
    // A failed import adds none.
    env.cmd()
        .args(["org", "import", "--allow-repeat"])
        .arg(&first)
        .assert()
        .code(65);
    assert_eq!(events(&env), start + 2);
    assert_eq!(orgs(&env), 4);
    env.kezek(&["audit", "verify"]).success();
}

// ---- org list ----

#[test]
fn org_list_kind_filters() {
    let env = TestEnv::with_officer();
    import(&env, example_orgs()).success();
    let list = env.json(&["org", "list", "--kind", "sanatorium"]);
    assert_eq!(codes(&list), ["SS-001", "SS-002", "SS-003"]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["kind"] == "sanatorium"));
    let private = env.json(&["org", "list", "--kind", "private"]);
    assert_eq!(private.as_array().unwrap().len(), 8);
}

#[test]
fn org_list_district_filters() {
    let env = TestEnv::with_officer();
    import(&env, example_orgs()).success();
    let list = env.json(&["org", "list", "--district", "Медеуский"]);
    assert_eq!(
        codes(&list),
        ["DS-021", "DS-022", "DS-023", "DS-024", "PS-006", "SS-001"]
    );
}

#[test]
fn org_list_unknown_kind_is_bad_input() {
    let env = TestEnv::with_officer();
    import(&env, example_orgs()).success();
    let assert = env.kezek(&["org", "list", "--kind", "nonsense"]).code(65);
    let err = stderr(&assert);
    assert!(err.contains("kind"), "{err}");
    assert!(err.contains("nonsense"), "{err}");
    assert!(assert.get_output().stdout.is_empty());
}

#[test]
fn org_list_csv_has_a_header_row() {
    let env = TestEnv::with_officer();
    add_ds017(&env);
    let out = env.stdout(&["org", "list", "--format", "csv"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(HEADER));
    assert_eq!(
        lines.next(),
        Some("DS-017,Ясли-сад № 17 «Балапан»,state,Алмалинский,+77272000017,\"ул. Толе би, 17\"")
    );
    assert_eq!(lines.next(), None);
}

#[test]
fn org_list_table_piped_is_stable_plain_text() {
    let env = TestEnv::with_officer();
    import(&env, example_orgs()).success();
    let out = env.stdout(&["org", "list"]);
    assert_eq!(out, env.stdout(&["org", "list", "--format", "table"]));
    let mut lines = out.lines();
    let header: Vec<&str> = lines
        .next()
        .expect("a header line")
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        header,
        ["Code", "Name", "Kind", "District", "Phone", "Address"]
    );
    let rule = lines.next().expect("a rule under the header");
    assert!(rule.chars().all(|c| matches!(c, '|' | '-' | ':')), "{rule}");
    // Header, rule, and one line per org: no wrapping to a terminal width.
    assert_eq!(out.lines().count(), 2 + 43);
    assert!(out.lines().nth(2).unwrap().contains("DS-001"), "{out}");
    assert!(
        !out.contains('│') && !out.contains('─'),
        "no box drawing off a terminal: {out}"
    );
}

#[test]
fn org_list_csv_of_nothing_still_has_its_header_row() {
    let env = TestEnv::with_officer();
    let out = env.stdout(&["org", "list", "--format", "csv", "--kind", "sanatorium"]);
    assert_eq!(out, "code,name,kind,district,phone,address\n");
}

// ---- org import: line numbers, quotes and what a report shows ----

#[test]
fn org_import_reports_a_row_after_blank_lines_on_the_line_it_is_on() {
    let env = TestEnv::with_officer();
    let file = env.write("f.csv", "code,name,kind,district\n\n\n\nDS-18,A,bad,B\n");
    let assert = import(&env, &file).code(65);
    let err = stderr(&assert);
    let line = format!("{} kind: 'bad'", at(&file, 5));
    assert!(err.contains(&line), "{line} missing from: {err}");
    assert!(!err.contains(&at(&file, 2)), "{err}");
}

#[test]
fn org_import_reports_a_bad_header_after_blank_lines_on_the_line_it_is_on() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "f.csv",
        "\n\ncode,name,kind,district,fax\nDS-18,A,state,B,1\n",
    );
    let assert = import(&env, &file).code(65);
    let err = stderr(&assert);
    let line = format!("{} header: unknown column 'fax'", at(&file, 3));
    assert!(err.contains(&line), "{line} missing from: {err}");
}

#[test]
fn org_import_reads_old_mac_line_ends_with_the_right_lines_and_values() {
    let env = TestEnv::with_officer();
    let bad = env.write(
        "mac-bad.csv",
        "code,name,kind,district\rDS-1,A,state,Медеуский\r\rDS-2,A,bad,Медеуский\r",
    );
    let before = env.snapshot();
    let err = stderr(&import(&env, &bad).code(65));
    let line = format!("{} kind: 'bad'", at(&bad, 4));
    assert!(err.contains(&line), "{line} missing from: {err}");
    assert!(!err.contains(&at(&bad, 2)), "{err}");
    assert_eq!(env.snapshot(), before);
    let good = env.write(
        "mac.csv",
        "code,name,kind,district\rDS-1,Ясли-сад,state,Алмалинский\rDS-2,Сад,private,Медеуский\r",
    );
    import(&env, &good).success();
    assert_eq!(
        env.count(
            "SELECT count(*) FROM org WHERE (code, name, district) IN \
             (VALUES ('DS-1', 'Ясли-сад', 'Алмалинский'), ('DS-2', 'Сад', 'Медеуский'))"
        ),
        2
    );
}

#[test]
fn org_import_refuses_an_unclosed_quote_at_the_end_naming_the_line_it_opened() {
    let env = TestEnv::with_officer();
    let file = env.write("f.csv", "code,name,kind,district\nDS-21,A,state,\"B\n");
    let before = env.snapshot();
    let err = stderr(&import(&env, &file).code(65));
    let line = format!(
        "{} district: unclosed quote: the quote opened on line 2",
        at(&file, 2)
    );
    assert!(err.contains(&line), "{line} missing from: {err}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(orgs(&env), 0);
}

#[test]
fn org_import_refuses_an_unclosed_quote_that_swallows_the_rows_after_it() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "f.csv",
        &[
            "code,name,kind,district",
            "DS-1,A,state,Медеуский",
            "DS-2,\"A,state,Медеуский",
            "DS-3,A,state,Медеуский",
            "DS-4,A,state,Медеуский",
        ],
    );
    let before = env.snapshot();
    let err = stderr(&import(&env, &file).code(65));
    let line = format!(
        "{} name: unclosed quote: the quote opened on line 3",
        at(&file, 3)
    );
    assert!(err.contains(&line), "{line} missing from: {err}");
    assert!(err.contains(": 1 bad row(s)"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn org_import_without_its_header_row_says_line_1_is_not_a_header_and_shows_no_value() {
    let env = TestEnv::with_officer();
    let file = write_lines(
        &env,
        "no-header.csv",
        &[
            "DS-1,Ясли-сад Мұрүкушева,state,Алмалинский,+77011234567,ул. Абая 1",
            "DS-2,Сад,private,Медеуский,,",
        ],
    );
    let err = stderr(&import(&env, &file).code(65));
    let line = format!(
        "{} header: line 1 is not a header: expected columns code,name,kind,district [phone,address]",
        at(&file, 1)
    );
    assert!(err.contains(&line), "{line} missing from: {err}");
    for value in ["DS-1", "Мұрүкушева", "Алмалинский", "77011234567", "Абая"]
    {
        assert!(!err.contains(value), "{value} shown: {err}");
    }
}

#[test]
fn org_import_shows_bad_values_with_control_characters_escaped_and_long_ones_shortened() {
    let env = TestEnv::with_officer();
    let long = "D".repeat(100_000);
    let file = env.write(
        "f.csv",
        &format!(
            "code,name,kind,district\n\
             \"DS\x1b[2J\n{}:9: forged\",A,state,B\n\
             {long},A,state,B\n",
            "/tmp/f.csv"
        ),
    );
    let err = stderr(&import(&env, &file).code(65));
    let escaped = format!(
        "{} code: 'DS\\u{{1b}}[2J\\n/tmp/f.csv:9: forged'",
        at(&file, 2)
    );
    assert!(err.contains(&escaped), "{escaped} missing from: {err}");
    let shortened = format!(
        "{} code: '{}…' (100000 characters) is not valid",
        at(&file, 4),
        &long[..80]
    );
    assert!(err.contains(&shortened), "{shortened} missing from: {err}");
    assert!(!err.contains('\x1b'), "{err}");
    assert_eq!(err.lines().count(), 3, "one line per report: {err}");
}

/// A file in Windows-1251 (as Excel saves it) is read as such, and the officer is told; one in UTF-8 with a
/// damaged byte has that value refused by its column.
#[test]
fn org_import_reads_windows_1251_and_names_the_column_of_a_damaged_utf8_value() {
    let env = TestEnv::with_officer();
    let file = env.path("cp1251.csv");
    std::fs::write(
        &file,
        b"code,name,kind,district\nDS-1,\xdf\xf1\xeb\xe8,state,\xcc\xe5\xe4\xe5\xf3\xf1\xea\xe8\xe9\n".as_slice(),
    )
    .unwrap();
    let err = stderr(&import(&env, &file).success());
    assert!(err.contains("Windows-1251"), "{err}");
    let orgs = env.json(&["org", "list"]);
    assert_eq!(orgs[0]["name"], "Ясли", "{orgs}");
    let file = env.path("damaged.csv");
    std::fs::write(
        &file,
        [
            b"code,name,kind,district\nDS-2,\xd0\xaf\xff,state,".as_slice(),
            "Медеуский\n".as_bytes(),
        ]
        .concat(),
    )
    .unwrap();
    let err = stderr(&import(&env, &file).code(65));
    let line = format!("{} name: not valid UTF-8", at(&file, 2));
    assert!(err.contains(&line), "{line} missing from: {err}");
}
