//! Foreseeable faults of the machine and of the files (SPEC §8's exit codes): a `--db` that is a directory or
//! not a database, `init` in a missing directory, `officer keygen` over existing files, a full disk, a
//! read-only database. Each says what is wrong, naming the path, exits with its code, and changes nothing.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::env::{stderr, TestEnv};
use crate::common::ORGS;

/// `kezek --db DB ARGS` in `env`, ending with `code`: its stderr.
fn fails_on(env: &TestEnv, db: &Path, args: &[&str], code: i32) -> String {
    let out = env.cmd().env("KEZEK_DB", db).args(args).assert().code(code);
    stderr(&out)
}

#[test]
fn s8_a_db_that_names_a_directory_is_a_usage_error_naming_it() {
    let env = TestEnv::bare();
    let dir = env.path("records");
    std::fs::create_dir(&dir).unwrap();
    for args in [&["stats"][..], &["init"], &["audit", "verify"]] {
        let err = fails_on(&env, &dir, args, 2);
        assert!(
            err.contains(&format!("{} is a directory", dir.display())),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "init wrote into the directory"
    );
}

#[test]
fn s8_a_db_that_is_not_a_sqlite_file_is_bad_input_naming_it() {
    let env = TestEnv::bare();
    let text = env.write("notes.txt", "Список детей на 2026 год\n");
    let before = std::fs::read(&text).unwrap();
    for args in [&["stats"][..], &["init"], &["application", "list"]] {
        let err = fails_on(&env, &text, args, 65);
        assert!(
            err.contains(&format!("{} is not a SQLite database", text.display())),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        std::fs::read(&text).unwrap(),
        before,
        "the text file was changed"
    );
    // A device is not a database file either.
    let err = fails_on(&env, Path::new("/dev/null"), &["stats"], 2);
    assert!(err.contains("/dev/null is not a regular file"), "{err}");
}

#[test]
fn s8_init_in_a_missing_directory_names_the_directory() {
    let env = TestEnv::bare();
    let db = env.path("missing/deeper/kezek.db");
    let err = fails_on(&env, &db, &["init"], 4);
    assert!(
        err.contains(&format!(
            "directory {}",
            env.path("missing/deeper").display()
        )),
        "{err}"
    );
    assert!(!env.path("missing").exists(), "init created a directory");
}

#[test]
fn r_a1_keygen_over_an_existing_file_is_refused_before_a_key_is_generated() {
    let env = TestEnv::bare();
    let quick = |args: &[&str], code: i32| {
        let start = Instant::now();
        let err = stderr(&env.kezek(args).code(code));
        // Generating a 4096-bit key takes seconds: the refusal comes before it.
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{args:?} took {:?}",
            start.elapsed()
        );
        assert!(!err.contains("generating"), "{args:?}: {err}");
        err
    };
    let file = env.write("officer-keys", "not a directory");
    let err = quick(
        &[
            "officer",
            "keygen",
            "--bits",
            "4096",
            "--out",
            "officer-keys",
        ],
        2,
    );
    assert!(
        err.contains("officer-keys is a file, not a directory"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a directory");

    let (key, public) = env.keygen("pair");
    let kept = std::fs::read(&key).unwrap();
    std::fs::remove_file(&public).unwrap();
    let err = quick(&["officer", "keygen", "--bits", "4096", "--out", "pair"], 2);
    assert!(err.contains("pair/officer.key exists"), "{err}");
    assert_eq!(
        std::fs::read(&key).unwrap(),
        kept,
        "the existing key was overwritten"
    );
    assert!(!public.exists(), "a half pair was written");
}

#[test]
fn s8_a_full_disk_says_so_names_the_database_and_keeps_nothing() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    // The database may not grow by one page (SQLite's own SQLITE_FULL, as on a full disk).
    let out = env
        .cmd()
        .env("KEZEK_TEST_MAX_PAGES", "1")
        .args(["org", "import", ORGS])
        .assert()
        .code(75);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("the disk holding {} is full", env.db.display()))
            && err.contains("nothing was kept"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before, "a change was kept on a full disk");
    env.kezek(&["audit", "verify"]).success();
    // With room, the same import goes through: the full disk was what refused it.
    env.kezek(&["org", "import", ORGS]).success();
    assert!(env.count("SELECT count(*) FROM org") > 0);
}

#[test]
fn s8_a_full_disk_under_a_publication_leaves_no_file_half_written() {
    let env = TestEnv::with_officer();
    let log = env.path("public/log");
    std::fs::create_dir_all(&log).unwrap();
    // The first file kezek writes goes to /dev/full, whose every write fails with ENOSPC.
    std::os::unix::fs::symlink("/dev/full", log.join("000000.tmp")).unwrap();
    let err = stderr(&env.kezek(&["publish", "public"]).code(75));
    assert!(
        err.contains("the disk holding public/log/000000.tmp is full"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(&log).unwrap().count(),
        0,
        "a file was left in {log:?}"
    );
    assert!(!env.path("public/checkpoint").exists());
}

/// The permissions of a path, restored when dropped (a test that fails leaves a directory it can remove).
struct Mode<'p>(&'p Path, u32);

impl<'p> Mode<'p> {
    fn set(path: &'p Path, mode: u32) -> Mode<'p> {
        let old = std::fs::metadata(path).unwrap().permissions().mode();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        Mode(path, old)
    }
}

impl Drop for Mode<'_> {
    fn drop(&mut self) {
        let _ = std::fs::set_permissions(self.0, std::fs::Permissions::from_mode(self.1));
    }
}

/// The user a read-only test runs kezek as: the test's own, or `nobody` when the test runs as root, for
/// whom file permissions are no obstacle. `None` (the test is skipped, saying why) when root cannot run a
/// command as `nobody` here.
fn unprivileged(env: &TestEnv) -> Option<Option<u32>> {
    const NOBODY: u32 = 65534;
    if std::fs::metadata(&env.db).unwrap().uid() != 0 {
        return Some(None);
    }
    let mut probe = env.std_cmd();
    std::os::unix::process::CommandExt::uid(&mut probe, NOBODY);
    std::os::unix::process::CommandExt::gid(&mut probe, NOBODY);
    match probe.arg("--version").output() {
        Ok(out) if out.status.success() => Some(Some(NOBODY)),
        other => {
            eprintln!(
                "skipped: running as root, and kezek cannot be run as uid {NOBODY} here: {other:?}"
            );
            None
        }
    }
}

/// `kezek ARGS` in `env`, as `user` (see [`unprivileged`]): exit code, stdout, stderr.
fn run_as(env: &TestEnv, user: Option<u32>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = env.std_cmd();
    if let Some(uid) = user {
        std::os::unix::process::CommandExt::uid(&mut cmd, uid);
        std::os::unix::process::CommandExt::gid(&mut cmd, uid);
    }
    let out = cmd.args(args).output().expect("run kezek");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A database with an officer and a changed setting, the officer's key readable by the user kezek runs as;
/// `None` when the test is skipped (see [`unprivileged`]).
fn read_only_city() -> Option<(TestEnv, Option<u32>)> {
    let env = TestEnv::with_officer();
    env.kezek(&["settings", "set", "max_age_years", "6"])
        .success();
    let user = unprivileged(&env)?;
    let (key, _) = env.key("ivanova");
    if let Some(uid) = user {
        std::os::unix::fs::chown(&key, Some(uid), Some(uid)).unwrap();
    }
    Some((env, user))
}

/// Makes the database file 0444 and its directory 0555 until dropped.
fn read_only(env: &TestEnv) -> (Mode<'_>, Mode<'_>) {
    (Mode::set(&env.db, 0o444), Mode::set(env.dir.path(), 0o555))
}

/// The reads that work on a read-only database, and the changes it refuses (exit 75, naming it).
fn reads_work_and_changes_are_refused(env: &TestEnv, user: Option<u32>, max_age: &str) {
    let (code, out, err) = run_as(env, user, &["settings", "show", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("max_age_years,{max_age},")), "{out}");
    for args in [
        &["officer", "list"][..],
        &["application", "list"],
        &["stats"],
        &["audit", "verify"],
        &["audit", "head"],
        &["db", "check"],
    ] {
        let (code, _, err) = run_as(env, user, args);
        assert_eq!(code, 0, "{args:?}: {err}");
    }
    for args in [
        &["settings", "set", "max_age_years", "5"][..],
        &["org", "import", ORGS],
        &["org", "import", ORGS, "--dry-run"],
        &["init"],
    ] {
        let (code, _, err) = run_as(env, user, args);
        assert_eq!(code, 75, "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "database {} cannot be written here",
                env.db.display()
            )),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn s8_a_read_only_database_can_be_read_and_refuses_changes() {
    let Some((env, user)) = read_only_city() else {
        return;
    };
    let before = env.snapshot();
    // kezek's last connection removed the -wal and -shm files; none can be created now.
    assert!(!env.path("kezek.db-wal").exists() && !env.path("kezek.db-shm").exists());
    // Copies go to a directory the user may write.
    let out = tempfile::tempdir().unwrap();
    std::fs::set_permissions(out.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let (backup, public) = (out.path().join("copy.db"), out.path().join("public"));
    {
        let _modes = read_only(&env);
        reads_work_and_changes_are_refused(&env, user, "6");
        for args in [
            &["db", "backup", backup.to_str().unwrap()][..],
            &["publish", public.to_str().unwrap()],
        ] {
            let (code, _, err) = run_as(&env, user, args);
            assert_eq!(code, 0, "{args:?}: {err}");
        }
        assert!(!env.path("kezek.db-shm").exists());
    }
    assert!(backup.exists() && public.join("checkpoint").exists());
    assert_eq!(env.snapshot(), before, "a read-only database was changed");
}

#[test]
fn s8_a_read_only_database_is_read_with_the_changes_its_write_ahead_log_holds() {
    let Some((env, user)) = read_only_city() else {
        return;
    };
    // A writer keeps its committed change in the write-ahead log (no checkpoint) while the file and its
    // directory turn read-only: a reader that ignored the log would see 6. (The -wal and -shm files take the
    // database file's mode, readable by all.)
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let writer = env.conn();
    writer.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    writer
        .execute(
            "UPDATE setting SET value = '8' WHERE key = 'max_age_years'",
            [],
        )
        .unwrap();
    assert!(std::fs::metadata(env.path("kezek.db-wal")).unwrap().len() > 0);
    let before = env.snapshot();
    {
        let _modes = read_only(&env);
        let (code, out, err) = run_as(&env, user, &["settings", "show", "--format", "csv"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("max_age_years,8,"), "{out}");
        let (code, _, err) = run_as(&env, user, &["settings", "set", "max_age_years", "5"]);
        assert_eq!(code, 75, "{err}");
        assert!(err.contains("cannot be written here"), "{err}");
    }
    assert_eq!(env.snapshot(), before, "a read-only database was changed");
    drop(writer);
}

#[test]
fn s8_a_read_only_database_whose_log_cannot_be_read_is_never_read_without_it() {
    let Some((env, user)) = read_only_city() else {
        return;
    };
    // A committed change left in the write-ahead log, its -shm file gone (as after a crash and a copy): in a
    // directory that cannot be written, SQLite cannot rebuild the -shm, and reading the file alone would show
    // the value before the change (6).
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let writer = env.conn();
    writer.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    writer
        .execute(
            "UPDATE setting SET value = '8' WHERE key = 'max_age_years'",
            [],
        )
        .unwrap();
    let wal = std::fs::read(env.path("kezek.db-wal")).unwrap();
    assert!(!wal.is_empty());
    let file = std::fs::read(&env.db).unwrap();
    drop(writer);
    std::fs::write(&env.db, &file).unwrap();
    std::fs::write(env.path("kezek.db-wal"), &wal).unwrap();
    std::fs::set_permissions(
        env.path("kezek.db-wal"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    assert!(!env.path("kezek.db-shm").exists());
    {
        let _modes = read_only(&env);
        let (code, out, err) = run_as(&env, user, &["settings", "show", "--format", "csv"]);
        assert_ne!(code, 0, "read without its log: {out}");
        assert!(!out.contains("max_age_years,6,"), "{out}");
        assert!(
            err.contains(&format!("{}-wal holds changes", env.db.display())),
            "{err}"
        );
    }
    // With write access the log is read again, and the change is there.
    let (code, out, err) = run_as(&env, None, &["settings", "show", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("max_age_years,8,"), "{out}");
}
