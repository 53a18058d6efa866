//! A hermetic environment for driving the real binary: a temporary directory and database, a cleared
//! environment, a pinned clock, and officer keys copied from tests/fixtures with mode 0600.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use tempfile::TempDir;

use super::city::{officer_add, Driver};
use super::sql;

/// Supporting documents the tests register with (KIND:NUMBER:DATE).
pub const MILITARY_DOC: &str = "military_id:1:2026-01-10";
pub const LARGE_FAMILY_DOC: &str = "large_family_certificate:77:2026-01-10";
pub const MEDICAL_DOC: &str = "medical_conclusion:5:2026-02-01";

/// Names the test children are given.
pub const SURNAMES: [&str; 10] = [
    "Нурланов",
    "Сериков",
    "Ахметов",
    "Жумабаев",
    "Исмаилов",
    "Касымов",
    "Омаров",
    "Садыков",
    "Тлеубаев",
    "Ермеков",
];
pub const GIVEN_NAMES: [&str; 10] = [
    "Алихан",
    "Тимур",
    "Арман",
    "Данияр",
    "Ерасыл",
    "Нурсултан",
    "Мирас",
    "Санжар",
    "Айдос",
    "Ильяс",
];

/// Monday 16 March 2026, 10:00 in Almaty: a working day in the week before Nauryz.
pub const NOW: &str = "2026-03-16T10:00";

pub struct TestEnv {
    pub dir: TempDir,
    pub db: PathBuf,
    officer: Option<String>,
    now: String,
}

impl TestEnv {
    /// An empty directory; no database yet.
    pub fn bare() -> TestEnv {
        TestEnv::in_dir(tempfile::tempdir().expect("a temporary directory"))
    }

    /// An empty directory in memory where there is one ([`super::tmpfs_dir`]); no database yet.
    pub fn in_tmpfs() -> TestEnv {
        TestEnv::in_dir(super::tmpfs_dir("kezek-test"))
    }

    fn in_dir(dir: TempDir) -> TestEnv {
        let db = dir.path().join("kezek.db");
        TestEnv {
            dir,
            db,
            officer: None,
            now: NOW.to_string(),
        }
    }

    /// An initialized database.
    pub fn new() -> TestEnv {
        let env = TestEnv::bare();
        env.kezek(&["init"]).success();
        env
    }

    /// An initialized database whose first officer `ivanova` acts in every command.
    pub fn with_officer() -> TestEnv {
        let mut env = TestEnv::new();
        env.add_first_officer("ivanova");
        env.officer = Some("ivanova".into());
        env
    }

    /// Adds the first officer (one of [`super::city::OFFICERS`]), who signs with their own key.
    pub fn add_first_officer(&self, id: &str) {
        let (key, public) = self.key(id);
        self.cmd()
            .env_remove("KEZEK_OFFICER")
            .args(officer_add(id, &public, Some(&key)))
            .assert()
            .success();
    }

    /// Adds another officer of [`super::city::OFFICERS`], acting as the current one.
    pub fn add_officer(&self, id: &str) {
        let (_, public) = self.key(id);
        self.kezek_args(officer_add(id, &public, None)).success();
    }

    /// Declares a day (R-T3): `calendar add DATE --kind KIND --name NAME`.
    pub fn declare_day(&self, date: &str, kind: &str, name: &str) {
        self.kezek(&["calendar", "add", date, "--kind", kind, "--name", name])
            .success();
    }

    /// Declares Kurban Ait on Wednesday 27 May 2026 (a movable holiday the city announces).
    pub fn declare_kurban_ait(&self) {
        self.declare_day("2026-05-27", "holiday", "Курбан айт");
    }

    pub fn set_now(&mut self, now: &str) {
        self.now = now.to_string();
    }

    pub fn act_as(&mut self, officer: &str) {
        self.officer = Some(officer.to_string());
    }

    /// The fixture key pair of an officer, copied into the test directory (private key mode 0600).
    pub fn key(&self, officer: &str) -> (PathBuf, PathBuf) {
        let fixtures = super::fixtures();
        let key = self.dir.path().join(format!("{officer}.key"));
        let public = self.dir.path().join(format!("{officer}.pub"));
        if !key.exists() {
            std::fs::copy(fixtures.join(format!("{officer}.key")), &key).expect("fixture key");
            std::fs::copy(fixtures.join(format!("{officer}.pub")), &public)
                .expect("fixture public key");
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        (key, public)
    }

    /// A key pair of the test's own (no fixture: a forger's, or a rotated one), made with `officer keygen` into
    /// DIR of the test directory: (private, public).
    pub fn keygen(&self, dir: &str) -> (PathBuf, PathBuf) {
        let dir = self.path(dir);
        if !dir.exists() {
            self.cmd()
                .args(["officer", "keygen", "--bits", "2048", "--out"])
                .arg(&dir)
                .assert()
                .success();
        }
        (dir.join("officer.key"), dir.join("officer.pub"))
    }

    /// The binary with a cleared environment: database, clock and (if set) the acting officer and key.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// [`TestEnv::cmd`] as a `std::process::Command`, for what assert_cmd does not offer (running as another
    /// user).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("kezek"));
        cmd.env_clear()
            .current_dir(self.dir.path())
            .env("KEZEK_DB", &self.db)
            .env("KEZEK_NOW", &self.now);
        if let Some(officer) = &self.officer {
            let (key, _) = self.key(officer);
            cmd.env("KEZEK_OFFICER", officer).env("KEZEK_KEY", key);
        }
        cmd
    }

    pub fn kezek(&self, args: &[&str]) -> Assert {
        self.cmd().args(args).assert()
    }

    /// `kezek ARGS` with words of any kind (paths, owned strings).
    pub fn kezek_args<S: AsRef<std::ffi::OsStr>>(
        &self,
        args: impl IntoIterator<Item = S>,
    ) -> Assert {
        self.cmd().args(args).assert()
    }

    /// How `kezek ARGS` ended, with `fault` switched on if given: its exit code and its stderr.
    pub fn outcome(&self, args: &[&str], fault: Option<&str>) -> (i32, String) {
        let mut cmd = self.cmd();
        cmd.args(args);
        if let Some(fault) = fault {
            cmd.env("KEZEK_FAULT", fault);
        }
        let out = cmd.output().expect("run kezek");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// stdout of a command that must succeed.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.kezek(args).success().get_output().stdout.clone();
        String::from_utf8(out).expect("UTF-8 output")
    }

    /// JSON output of a read command.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        serde_json::from_str(&self.stdout(&all)).expect("JSON output")
    }

    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write a test file");
        path
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A connection of the test's own, to look at state or to tamper with it.
    pub fn conn(&self) -> rusqlite::Connection {
        sql::connect(&self.db)
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.conn()
            .query_row(sql, [], |r| r.get(0))
            .expect("a count")
    }

    /// A fingerprint of every table's content, to prove a failed command changed nothing.
    pub fn snapshot(&self) -> String {
        let conn = self.conn();
        let mut out = String::new();
        for t in sql::tables(&conn) {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY 1"))
                .unwrap();
            let n = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            while let Some(r) = rows.next().unwrap() {
                out.push_str(&t);
                for i in 0..n {
                    out.push_str(&format!("|{:?}", r.get_ref(i).unwrap()));
                }
                out.push('\n');
            }
        }
        out
    }
}

/// The kinds of the events of a `history --format json`, in order.
pub fn event_kinds(history: &serde_json::Value) -> Vec<&str> {
    history
        .as_array()
        .expect("an array of events")
        .iter()
        .map(|e| e["kind"].as_str().expect("a kind"))
        .collect()
}

/// The stderr of an assertion, as text.
pub fn stderr(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// A `TestEnv` runs a city's commands as they are.
impl Driver for TestEnv {
    fn env(&mut self) -> &mut TestEnv {
        self
    }
}
