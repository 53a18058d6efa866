//! `kezek calendar add | remove | import | show`: the working-day calendar (R-T3) through the binary.

use std::path::Path;

use predicates::str::contains;
use serde_json::Value;

use crate::common::env::{event_kinds, stderr, TestEnv};
use crate::common::CALENDAR;

fn example_calendar() -> &'static Path {
    Path::new(CALENDAR)
}

fn declared(env: &TestEnv) -> i64 {
    env.count("SELECT count(*) FROM calendar_day")
}

fn events(env: &TestEnv) -> i64 {
    env.count("SELECT count(*) FROM journal")
}

/// `file:LINE:` as the error report prefixes each bad row.
fn at(file: &Path, line: u64) -> String {
    format!("{}:{line}:", file.display())
}

/// The row of `calendar show --year YEAR --format json` for one date, if listed.
fn day(env: &TestEnv, year: &str, date: &str) -> Option<Value> {
    env.json(&["calendar", "show", "--year", year])
        .as_array()
        .expect("a JSON array")
        .iter()
        .find(|d| d["date"] == date)
        .cloned()
}

#[test]
fn r_t3_show_2026_lists_the_nauryz_transfers_as_days_off() {
    let env = TestEnv::with_officer();
    for (date, from) in [("2026-03-24", "2026-03-21"), ("2026-03-25", "2026-03-22")] {
        let row = day(&env, "2026", date).unwrap_or_else(|| panic!("{date} listed"));
        assert_eq!(row["working"], false, "{row}");
        let reason = row["reason"].as_str().expect("a reason");
        assert!(reason.contains("moved"), "{date}: {reason}");
        assert!(reason.contains(from), "{date}: {reason}");
        assert!(reason.contains("Наурыз"), "{date}: {reason}");
    }
    let monday = day(&env, "2026", "2026-03-23").expect("Nauryz Monday listed");
    assert_eq!(monday["working"], false);
    // The Thursday after is a plain working day: not special, not listed.
    assert!(day(&env, "2026", "2026-03-26").is_none());
}

#[test]
fn r_t3_show_json_rows_have_date_weekday_working_reason() {
    let env = TestEnv::with_officer();
    let list = env.json(&["calendar", "show", "--year", "2026"]);
    let rows = list.as_array().unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let obj = row.as_object().unwrap();
        for key in ["date", "weekday", "working", "reason"] {
            assert!(obj.contains_key(key), "{key} missing in {row}");
        }
    }
    let march_24 = rows.iter().find(|r| r["date"] == "2026-03-24").unwrap();
    assert_eq!(march_24["weekday"], "Tue");
    let dates: Vec<&str> = rows.iter().map(|r| r["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "in date order");
}

#[test]
fn r_t3_add_a_movable_holiday_then_show_lists_it() {
    let env = TestEnv::with_officer();
    assert!(day(&env, "2026", "2026-05-27").is_none());
    env.declare_kurban_ait();
    let row = day(&env, "2026", "2026-05-27").expect("2026-05-27 listed");
    assert_eq!(row["working"], false);
    assert!(
        row["reason"].as_str().unwrap().contains("Курбан айт"),
        "{row}"
    );
    assert_eq!(declared(&env), 1);
}

#[test]
fn r_t3_holiday_on_a_sunday_is_refused() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .kezek(&["calendar", "add", "2026-03-29", "--kind", "holiday"])
        .code(3);
    let err = stderr(&assert);
    assert!(err.contains("R-T3"), "{err}");
    assert!(err.contains("2026-03-29"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_t3_holiday_on_a_builtin_holiday_or_transfer_is_refused() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    for date in ["2026-01-07", "2026-03-23", "2026-03-24"] {
        let assert = env
            .kezek(&["calendar", "add", date, "--kind", "holiday"])
            .code(3);
        assert!(stderr(&assert).contains("R-T3"), "{}", stderr(&assert));
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_t3_workday_on_a_plain_tuesday_is_refused() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .kezek(&["calendar", "add", "2026-03-31", "--kind", "workday"])
        .code(3);
    let err = stderr(&assert);
    assert!(err.contains("R-T3"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_t3_workday_on_a_saturday_is_listed_as_working() {
    let env = TestEnv::with_officer();
    assert!(day(&env, "2026", "2026-03-28").is_none());
    env.declare_day("2026-03-28", "workday", "перенос");
    let row = day(&env, "2026", "2026-03-28").expect("2026-03-28 listed");
    assert_eq!(row["working"], true, "{row}");
    assert_eq!(row["weekday"], "Sat");
    assert!(row["reason"].as_str().unwrap().contains("перенос"), "{row}");
}

#[test]
fn r_t3_workday_on_a_transferred_day_off_cancels_it() {
    let env = TestEnv::with_officer();
    env.kezek(&["calendar", "add", "2026-03-24", "--kind", "workday"])
        .success();
    let row = day(&env, "2026", "2026-03-24").expect("2026-03-24 listed");
    assert_eq!(row["working"], true, "{row}");
}

#[test]
fn calendar_add_same_date_twice_is_bad_input() {
    let env = TestEnv::with_officer();
    env.declare_kurban_ait();
    let before = env.snapshot();
    let assert = env
        .kezek(&["calendar", "add", "2026-05-27", "--kind", "holiday"])
        .code(65);
    let err = stderr(&assert);
    assert!(err.contains("2026-05-27"), "{err}");
    assert!(err.contains("declared already"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_add_malformed_date_is_bad_input_naming_date() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    for bad in ["2026-13-01", "2026-02-30", "27.05.2026", "2026-5-27"] {
        let assert = env
            .kezek(&["calendar", "add", bad, "--kind", "holiday"])
            .code(65);
        let err = stderr(&assert);
        assert!(err.contains("date"), "{bad}: {err}");
        assert!(err.contains(bad), "{bad}: {err}");
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_add_unknown_kind_is_bad_input() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .kezek(&["calendar", "add", "2026-05-27", "--kind", "vacation"])
        .code(65);
    let err = stderr(&assert);
    assert!(err.contains("--kind"), "{err}");
    assert!(err.contains("vacation"), "{err}");
    assert!(err.contains("holiday") && err.contains("workday"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_add_without_officer_is_a_usage_error() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .cmd()
        .env_remove("KEZEK_OFFICER")
        .args(["calendar", "add", "2026-05-27", "--kind", "holiday"])
        .assert()
        .code(2);
    assert!(stderr(&assert).contains("--officer"), "{}", stderr(&assert));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_remove_a_declared_date() {
    let env = TestEnv::with_officer();
    env.declare_kurban_ait();
    env.kezek(&["calendar", "remove", "2026-05-27"])
        .success()
        .stderr(contains("2026-05-27"));
    assert_eq!(declared(&env), 0);
    assert!(day(&env, "2026", "2026-05-27").is_none());
}

#[test]
fn calendar_remove_an_undeclared_date_is_not_found() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env.kezek(&["calendar", "remove", "2026-04-01"]).code(4);
    assert!(
        stderr(&assert).contains("2026-04-01"),
        "{}",
        stderr(&assert)
    );
    // A built-in holiday is not a declaration either.
    env.kezek(&["calendar", "remove", "2026-03-23"]).code(4);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_remove_malformed_date_is_bad_input() {
    let env = TestEnv::with_officer();
    let assert = env.kezek(&["calendar", "remove", "2026-13-01"]).code(65);
    assert!(stderr(&assert).contains("date"), "{}", stderr(&assert));
}

#[test]
fn calendar_import_of_the_example_file() {
    let env = TestEnv::with_officer();
    let before = events(&env);
    env.cmd()
        .args(["calendar", "import"])
        .arg(example_calendar())
        .assert()
        .success()
        .stderr(contains("imported 2"));
    assert_eq!(declared(&env), 2);
    assert_eq!(events(&env), before + 1, "one journal event per import");
    let row = day(&env, "2026", "2026-05-27").expect("2026-05-27 listed");
    assert_eq!(row["working"], false);
    let row = day(&env, "2025", "2025-06-06").expect("2025-06-06 listed");
    assert_eq!(row["working"], false);
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn calendar_import_reports_every_bad_row_and_writes_nothing() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "bad-days.csv",
        "date,kind,name\n\
         2026-06-01,holiday,первый\n\
         2026-06-02,vacation,отпуск\n\
         2026-06-03,holiday,третий\n\
         2026-06-01,holiday,снова\n",
    );
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["calendar", "import"])
        .arg(&file)
        .assert()
        .code(65);
    let err = stderr(&assert);
    let kind_line = format!("{} kind", at(&file, 3));
    let date_line = format!("{} date", at(&file, 5));
    assert!(err.contains(&kind_line), "{kind_line} missing from: {err}");
    assert!(err.contains("vacation"), "{err}");
    assert!(err.contains(&date_line), "{date_line} missing from: {err}");
    assert!(err.contains("line 2"), "names the first occurrence: {err}");
    assert!(!err.contains(&at(&file, 2)), "{err}");
    assert!(!err.contains(&at(&file, 4)), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_import_refuses_a_pointless_declaration_and_a_declared_date() {
    let env = TestEnv::with_officer();
    env.declare_kurban_ait();
    let file = env.write(
        "conflicts.csv",
        "date,kind,name\n\
         2026-03-29,holiday,воскресенье\n\
         2026-05-27,holiday,Курбан айт\n\
         2026-06-01,holiday,хороший\n",
    );
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["calendar", "import"])
        .arg(&file)
        .assert()
        .code(65);
    let err = stderr(&assert);
    assert!(err.contains(&at(&file, 2)), "{err}");
    assert!(err.contains("R-T3"), "{err}");
    assert!(err.contains(&at(&file, 3)), "{err}");
    assert!(!err.contains(&at(&file, 4)), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_import_crlf_file_with_a_bom_imports() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "excel.csv",
        "\u{feff}date,kind,name\r\n2026-05-27,holiday,Курбан айт\r\n2026-03-28,workday,перенос\r\n",
    );
    env.cmd()
        .args(["calendar", "import"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(declared(&env), 2);
    let row = day(&env, "2026", "2026-05-27").expect("2026-05-27 listed");
    assert_eq!(row["reason"], "declared holiday: Курбан айт", "no stray CR");
    let row = day(&env, "2026", "2026-03-28").expect("2026-03-28 listed");
    assert_eq!(row["working"], true);
}

#[test]
fn calendar_import_crlf_file_reports_the_right_line_numbers() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "crlf-bad.csv",
        "date,kind,name\r\n2026-06-01,holiday,a\r\n2026-06-02,vacation,b\r\n",
    );
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["calendar", "import"])
        .arg(&file)
        .assert()
        .code(65);
    let err = stderr(&assert);
    let line = format!("{} kind", at(&file, 3));
    assert!(err.contains(&line), "{line} missing from: {err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_import_unknown_column_is_refused() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "extra.csv",
        "date,kind,name,comment\n2026-06-01,holiday,a,b\n",
    );
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["calendar", "import"])
        .arg(&file)
        .assert()
        .code(65);
    let err = stderr(&assert);
    assert!(err.contains(&at(&file, 1)), "{err}");
    assert!(err.contains("comment"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_import_dry_run_writes_nothing() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["calendar", "import", "--dry-run"])
        .arg(example_calendar())
        .assert()
        .success();
    assert!(stderr(&assert).contains("dry run"), "{}", stderr(&assert));
    assert_eq!(declared(&env), 0);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_import_dry_run_of_a_bad_file_is_bad_input() {
    let env = TestEnv::with_officer();
    let file = env.write("bad.csv", "date,kind,name\n2026-06-01,Holiday,x\n");
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["calendar", "import", "--dry-run"])
        .arg(&file)
        .assert()
        .code(65);
    assert!(
        stderr(&assert).contains(&at(&file, 2)),
        "{}",
        stderr(&assert)
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_import_missing_file_is_not_found() {
    let env = TestEnv::with_officer();
    env.cmd()
        .args(["calendar", "import"])
        .arg(env.path("nowhere.csv"))
        .assert()
        .code(4);
}

#[test]
fn calendar_show_defaults_to_the_year_of_the_clock() {
    let env = TestEnv::with_officer();
    let list = env.json(&["calendar", "show"]);
    let rows = list.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["date"].as_str().unwrap().starts_with("2026-")),
        "{list}"
    );
    assert_eq!(list, env.json(&["calendar", "show", "--year", "2026"]));

    let mut later = TestEnv::with_officer();
    later.set_now("2027-02-01T10:00");
    let list = later.json(&["calendar", "show"]);
    let rows = list.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["date"].as_str().unwrap().starts_with("2027-")),
        "{list}"
    );
}

#[test]
fn calendar_history_shows_the_add_event() {
    let env = TestEnv::with_officer();
    env.declare_kurban_ait();
    let history = env.json(&["history", "2026-05-27"]);
    let events = history.as_array().unwrap();
    assert_eq!(events.len(), 1, "{history}");
    assert_eq!(events[0]["kind"], "calendar.add");
    assert_eq!(events[0]["officer"], "ivanova");
    assert_eq!(events[0]["details"]["kind"], "holiday");
    assert_eq!(events[0]["details"]["name"], "Курбан айт");
    // The readable table names the event too.
    let table = env.stdout(&["history", "2026-05-27"]);
    assert!(table.contains("calendar.add"), "{table}");
}

#[test]
fn calendar_add_and_remove_journal_and_audit_verifies() {
    let env = TestEnv::with_officer();
    let start = events(&env);
    env.declare_kurban_ait();
    assert_eq!(events(&env), start + 1);
    env.kezek(&["audit", "verify"]).success();
    env.kezek(&["calendar", "remove", "2026-05-27"]).success();
    assert_eq!(events(&env), start + 2);
    let history = env.json(&["history", "2026-05-27"]);
    let kinds = event_kinds(&history);
    assert_eq!(kinds, ["calendar.add", "calendar.remove"]);
    env.kezek(&["audit", "verify"]).success();
    // And it can be declared again.
    env.declare_kurban_ait();
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn calendar_show_refuses_an_absurd_year() {
    let env = TestEnv::with_officer();
    env.kezek(&["calendar", "show", "--year", "99999"]).code(2);
}

#[test]
fn r_t3_calendar_show_2026_as_officers_see_it() {
    let env = TestEnv::with_officer();
    env.declare_kurban_ait();
    insta::assert_snapshot!(env.stdout(&["calendar", "show", "--year", "2026"]), @r"
    | Date       | Weekday | Working | Reason                                                     |
    |------------|---------|---------|------------------------------------------------------------|
    | 2026-01-01 | Thu     | no      | holiday: Новый год                                         |
    | 2026-01-02 | Fri     | no      | holiday: Новый год                                         |
    | 2026-01-07 | Wed     | no      | holiday: Православное Рождество                            |
    | 2026-03-08 | Sun     | no      | holiday: Международный женский день                        |
    | 2026-03-09 | Mon     | no      | day off moved from 2026-03-08 (Международный женский день) |
    | 2026-03-21 | Sat     | no      | holiday: Наурыз мейрамы                                    |
    | 2026-03-22 | Sun     | no      | holiday: Наурыз мейрамы                                    |
    | 2026-03-23 | Mon     | no      | holiday: Наурыз мейрамы                                    |
    | 2026-03-24 | Tue     | no      | day off moved from 2026-03-21 (Наурыз мейрамы)             |
    | 2026-03-25 | Wed     | no      | day off moved from 2026-03-22 (Наурыз мейрамы)             |
    | 2026-05-01 | Fri     | no      | holiday: Праздник единства народа Казахстана               |
    | 2026-05-07 | Thu     | no      | holiday: День защитника Отечества                          |
    | 2026-05-09 | Sat     | no      | holiday: День Победы                                       |
    | 2026-05-11 | Mon     | no      | day off moved from 2026-05-09 (День Победы)                |
    | 2026-05-27 | Wed     | no      | declared holiday: Курбан айт                               |
    | 2026-07-06 | Mon     | no      | holiday: День столицы                                      |
    | 2026-08-30 | Sun     | no      | holiday: День Конституции                                  |
    | 2026-08-31 | Mon     | no      | day off moved from 2026-08-30 (День Конституции)           |
    | 2026-10-25 | Sun     | no      | holiday: День Республики                                   |
    | 2026-10-26 | Mon     | no      | day off moved from 2026-10-25 (День Республики)            |
    | 2026-12-16 | Wed     | no      | holiday: День Независимости                                |
    ");
}

#[test]
fn calendar_import_of_a_negative_year_exits_65_naming_the_line_and_the_date() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "years.csv",
        "date,kind,name\n2026-06-01,holiday,a\n-999-06-01,holiday,b\n",
    );
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["calendar", "import"])
        .arg(&file)
        .assert()
        .code(65);
    let err = stderr(&assert);
    let line = format!("{} date: '-999-06-01'", at(&file, 3));
    assert!(err.contains(&line), "{line} missing from: {err}");
    assert!(!err.contains("constraint"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_import_refuses_years_outside_1900_to_2200() {
    let env = TestEnv::with_officer();
    let file = env.write(
        "years.csv",
        "date,kind,name\n0026-06-01,holiday,a\n9999-12-31,holiday,b\n2026-06-01,holiday,c\n",
    );
    let before = env.snapshot();
    let assert = env
        .cmd()
        .args(["calendar", "import"])
        .arg(&file)
        .assert()
        .code(65);
    let err = stderr(&assert);
    for (line, date) in [(2, "0026-06-01"), (3, "9999-12-31")] {
        let report = format!("{} date: '{date}' has the year", at(&file, line));
        assert!(err.contains(&report), "{report} missing from: {err}");
    }
    assert!(err.contains("outside 1900 to 2200"), "{err}");
    assert!(!err.contains(&at(&file, 4)), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn calendar_add_refuses_a_year_outside_1900_to_2200() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    for date in ["0026-06-01", "2201-06-01"] {
        let assert = env
            .cmd()
            .args(["calendar", "add", date, "--kind", "holiday"])
            .assert()
            .code(65);
        let err = stderr(&assert);
        assert!(err.contains("date:"), "{err}");
        assert!(err.contains("outside 1900 to 2200"), "{err}");
    }
    assert_eq!(env.snapshot(), before);
}
