//! `db backup` and `db check`.

use std::os::unix::fs::PermissionsExt;

use crate::common::city::City;
use crate::common::env::{event_kinds, stderr, TestEnv};

#[test]
fn db_backup_is_a_consistent_verifiable_copy_with_mode_0600() {
    let env = City::builder().build().env;
    env.kezek(&["db", "backup", "copy.db"]).success();
    let copy = env.path("copy.db");
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let out = env
        .cmd()
        .env("KEZEK_DB", &copy)
        .args(["audit", "verify"])
        .assert()
        .success();
    assert!(stderr(&out).contains("audit ok"), "{}", stderr(&out));
    let orgs: i64 = rusqlite::Connection::open(&copy)
        .unwrap()
        .query_row("SELECT count(*) FROM org", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orgs, 43);
    // Never overwrites.
    env.kezek(&["db", "backup", "copy.db"]).code(2);
}

#[test]
fn db_backup_while_another_process_writes() {
    let env = TestEnv::with_officer();
    // A writer holds the database in an open transaction: the backup still copies the committed state.
    let writer = env.conn();
    writer
        .execute_batch(
            "BEGIN IMMEDIATE; UPDATE setting SET value = '9' WHERE key = 'max_age_years';",
        )
        .unwrap();
    env.kezek(&["db", "backup", "during.db"]).success();
    writer.execute_batch("ROLLBACK").unwrap();
    env.cmd()
        .env("KEZEK_DB", env.path("during.db"))
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn db_check_reports_integrity_and_the_audit() {
    let env = TestEnv::with_officer();
    let out = env.kezek(&["db", "check"]).success();
    let text = stderr(&out);
    assert!(
        text.contains("integrity ok") && text.contains("foreign keys ok"),
        "{text}"
    );
}

#[test]
fn a_busy_database_gives_exit_75_and_writes_nothing() {
    let env = TestEnv::with_officer();
    let holder = env.conn();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let before = std::time::Instant::now();
    let out = env
        .kezek(&["settings", "set", "max_age_years", "6"])
        .code(75);
    assert!(stderr(&out).contains("busy"), "{}", stderr(&out));
    assert!(before.elapsed().as_secs() < 30);
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(
        env.count("SELECT count(*) FROM setting WHERE key = 'max_age_years' AND value = '7'"),
        1
    );
}

/// Whether any text value of any table holds `needle`.
fn db_contains(env: &TestEnv, needle: &str) -> bool {
    let conn = env.conn();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.iter().any(|t| {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                if let rusqlite::types::ValueRef::Text(t) = r.get_ref(i).unwrap() {
                    if String::from_utf8_lossy(t).contains(needle) {
                        return true;
                    }
                }
            }
        }
        false
    })
}

fn register(env: &TestEnv, birth: (i32, u32, u32), serial: u32) -> (String, String) {
    let date = chrono::NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap();
    let iin = (serial..)
        .find_map(|s| kezek::domain::iin::Iin::build(date, false, s))
        .unwrap();
    let applicant = (serial..)
        .find_map(|s| {
            kezek::domain::iin::Iin::build(
                chrono::NaiveDate::from_ymd_opt(1990, 5, 5).unwrap(),
                true,
                s,
            )
        })
        .unwrap();
    let name = format!("Тестов Ребёнок{serial}");
    let out = env.json(&[
        "application",
        "register",
        "--child-iin",
        &iin,
        "--child-name",
        &name,
        "--applicant-iin",
        &applicant,
        "--applicant-name",
        "Тестова Мама",
        "--phone",
        "+77011234567",
        "--email",
        "mama@mail.kz",
        "--district",
        "Алмалинский",
        "--consent",
        "egov",
    ]);
    (out["number"].as_str().unwrap().to_string(), iin)
}

#[test]
fn db_purge_anonymises_ended_applications_and_keeps_statistics_and_the_audit() {
    let mut env = TestEnv::with_officer();
    let (gone, gone_iin) = register(&env, (2022, 5, 10), 1);
    let (waiting, waiting_iin) = register(&env, (2022, 6, 10), 2);
    env.kezek(&[
        "application",
        "withdraw",
        &gone,
        "--reason",
        "переезд",
        "--yes",
    ])
    .success();
    env.set_now("2026-04-20T10:00");
    let stats_before = env.json(&["stats"]);

    // Without --yes and without a terminal nothing happens.
    let before = env.snapshot();
    env.kezek(&["db", "purge", "--before", "2026-04-01"])
        .code(2);
    assert_eq!(env.snapshot(), before);
    // A date after today is refused.
    env.kezek(&["db", "purge", "--before", "2026-05-01", "--yes"])
        .code(2);

    let report = env.json(&["db", "purge", "--before", "2026-04-01", "--yes"]);
    assert_eq!(report["applications"], 1, "{report}");
    assert_eq!(report["notifications"], 2, "{report}");
    let shown = env.json(&["application", "show", &gone]);
    assert_eq!(shown["child_iin"], "000000000000", "{shown}");
    assert_eq!(shown["child_name"], "", "{shown}");
    assert_eq!(shown["applicant_iin"], "000000000000", "{shown}");
    assert_eq!(shown["email"], "", "{shown}");
    assert_eq!(shown["child_birth_date"], "2022-01-01", "{shown}");
    assert_eq!(shown["status"], "removed", "{shown}");
    assert_eq!(shown["removed_reason"], "withdrawn", "{shown}");
    // Nothing of the purged child is left in the database but the signed journal's digests.
    assert!(!db_contains(&env, &gone_iin), "the purged IIN is gone");
    assert!(!db_contains(&env, "Ребёнок1"), "the purged name is gone");
    assert!(
        db_contains(&env, &waiting_iin),
        "a waiting application is untouched"
    );
    assert_eq!(
        env.json(&["application", "show", &waiting])["child_iin"],
        waiting_iin.as_str()
    );
    // Statistics and the audit are unchanged by it; a second purge finds nothing.
    assert_eq!(env.json(&["stats"]), stats_before);
    env.kezek(&["audit", "verify"]).success();
    let again = env.json(&["db", "purge", "--before", "2026-04-01", "--yes"]);
    assert_eq!(again["applications"], 0, "{again}");
}

/// Whether `needle` is in the raw bytes of the database file or of its write-ahead log.
fn raw_bytes_hold(env: &TestEnv, needle: &str) -> bool {
    let mut raw = std::fs::read(&env.db).expect("the database file");
    raw.extend(std::fs::read(format!("{}-wal", env.db.display())).unwrap_or_default());
    raw.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// `db purge` wipes what it removed from the bytes of the file too, not only from the rows: the child's IIN
/// and name, the applicant's IIN and e-mail survive in no free space (the old versions of rows changed
/// before, the index entries of an application that left the queue and of a child who departed), no free
/// page and no write-ahead log, even while another connection holds the database open (so that no close
/// checkpoints the log for kezek). The direction's row it rewrote is journaled by the purge event.
#[test]
fn db_purge_leaves_no_purged_value_in_the_bytes_of_the_database_file() {
    use crate::place::{city, issued, offer, publish, Kid};
    let mut env = city();
    // An idle reader for the whole test: every kezek command runs while another connection is open.
    let reader = env.conn();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM org", [], |r| r.get(0))
        .unwrap();
    let gone = Kid::new("2022-05-10", 1);
    let waiting = Kid::new("2022-06-10", 2);
    let a = gone.register(&env);
    waiting.register(&env);
    let place = publish(&env, "DS-001", "2022", 1)[0];
    assert_eq!(offer(&env)["notified"], 1);
    let d = issued(&env, &a, place)["number"]
        .as_str()
        .unwrap()
        .to_string();
    env.kezek(&["direction", "enroll", &d]).success();
    env.set_now("2026-04-01T10:00");
    env.kezek(&["child", "depart", "--iin", &gone.iin, "--org", "DS-001"])
        .success();
    let applicant_iin = crate::common::iin("1990-05-05", true, 10);
    // The surname of the child and of the applicant (Сериков, Серикова), the e-mail, both IINs.
    let gone_values = [
        gone.iin.clone(),
        applicant_iin,
        "Сериков".to_string(),
        gone.email(),
    ];
    for value in &gone_values {
        assert!(raw_bytes_hold(&env, value), "{value} before the purge");
    }

    env.set_now("2026-04-20T10:00");
    let report = env.json(&["db", "purge", "--before", "2026-04-15", "--yes"]);
    assert_eq!(report["applications"], 1, "{report}");
    assert_eq!(report["enrollments"], 1, "{report}");
    assert_eq!(report["directions"], 1, "{report}");
    let left: Vec<&String> = gone_values
        .iter()
        .filter(|v| raw_bytes_hold(&env, v))
        .collect();
    assert!(left.is_empty(), "still in the file's bytes: {left:?}");
    // The scan reads the real bytes: the waiting child is there.
    assert!(raw_bytes_hold(&env, &waiting.iin));
    drop(reader);

    let events = env.json(&["history", &d, "--table", "direction"]);
    let kinds = event_kinds(&events);
    assert_eq!(kinds.last(), Some(&"db.purge"), "{events}");
    env.kezek(&["audit", "verify"]).success();
    env.kezek(&["db", "check"]).success();
}
