//! A hermetic environment for driving the real binary: a temporary directory and database, a cleared
//! environment, a pinned clock, and officer keys copied from tests/fixtures with mode 0600.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use tempfile::TempDir;

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
        let dir = tempfile::tempdir().expect("a temporary directory");
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

    pub fn add_first_officer(&self, id: &str) {
        let (key, public) = self.key(id);
        self.cmd()
            .env_remove("KEZEK_OFFICER")
            .args([
                "officer",
                "add",
                "--id",
                id,
                "--name",
                "Иванова Айгуль",
                "--district",
                "Алмалинский",
            ])
            .arg("--public-key")
            .arg(&public)
            .arg("--key")
            .arg(&key)
            .assert()
            .success();
    }

    /// Adds another officer, acting as the current one.
    pub fn add_officer(&self, id: &str) {
        let (_, public) = self.key(id);
        self.cmd()
            .args([
                "officer",
                "add",
                "--id",
                id,
                "--name",
                "Садыков Ерлан",
                "--district",
                "Медеуский",
            ])
            .arg("--public-key")
            .arg(&public)
            .assert()
            .success();
    }

    pub fn set_now(&mut self, now: &str) {
        self.now = now.to_string();
    }

    pub fn act_as(&mut self, officer: &str) {
        self.officer = Some(officer.to_string());
    }

    /// The fixture key pair of an officer, copied into the test directory (private key mode 0600).
    pub fn key(&self, officer: &str) -> (PathBuf, PathBuf) {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys");
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

    /// The binary with a cleared environment: database, clock and (if set) the acting officer and key.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("kezek").expect("the kezek binary");
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

    /// A direct connection, to look at state or to tamper with it.
    pub fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("open the test database")
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
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for t in tables {
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

/// The stderr of an assertion, as text.
pub fn stderr(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}
