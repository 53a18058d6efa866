//! The crash suite, in the manner of SQLite's own crash tests: the real binary runs a large `place import`, a
//! large `application import` and a `sweep`, and is killed with SIGKILL at seeded random moments, before, inside
//! and after its write transaction. After every kill the database must be sound (`integrity_check`, WAL,
//! opened by kezek without complaint, `audit verify`), the command's effect must be all or nothing (the
//! database is either the template it started from or exactly the database of an uninterrupted run), and
//! running the command again to completion must give exactly the database of an uninterrupted run.
//!
//! `KEZEK_TEST_MARKS` tells where each kill landed: no `begin` = before the transaction, `begin` without
//! `commit` = inside it, `commit` = after the commit. The kill delays are drawn from the timings of
//! uninterrupted runs measured first.
//!
//! A run is reproducible (the clock is pinned by KEZEK_NOW; RSA PKCS#1 v1.5 signatures are deterministic)
//! except for the real clock the journal records beside the effective time (SPEC R-T2, R-A4): see
//! [`REAL_CLOCK`].

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use kezek::store::audit::{self, SignedHead};

use crate::common::city::{Applications, City, Directions, Places, Spread};
use crate::common::env::{self, TestEnv};
use crate::common::sql::{connect, sidecar, tables};
use crate::common::{say, tmpfs_dir, ORGS, PLACES_HEADER};

/// The seed of every random choice of the suite; a failure names it with the round.
const SEED: u64 = 0x6b65_7a65_6b21;

/// Kills per command: 1,000 in all.
const KILLS: [usize; 3] = [334, 333, 333];

/// Rows of the large application import (the debug binary imports it in about a tenth of a second).
const APPLICATIONS: u64 = 600;
/// Rows of the large place import; each publishes 1 to 3 places.
const PLACE_ROWS: usize = 600;
/// Applications behind the sweep's template: each is notified in the offer round and directed, so that as
/// many directions expire in the sweep.
const SWEEP_APPLICATIONS: u64 = 250;

/// Rows of the import of the broken variant: well over the 1,000 rows after which the fault commits.
const BROKEN_APPLICATIONS: u64 = 2500;
const BROKEN_KILLS: usize = 30;

/// Uninterrupted runs per command, to measure where the transaction lies in time and to prove the reference
/// database reproducible.
const CALIBRATION_RUNS: usize = 3;

/// Every how many rounds `kezek audit verify` runs as the binary (the other rounds verify in-process).
const BINARY_AUDIT_EVERY: usize = 10;

/// The columns that legitimately differ between two uninterrupted runs of the same command on the same
/// database with the same KEZEK_NOW: `journal.recorded_at` and `journal_head.signed_at` are the real clock time
/// of the command, to the second (SPEC R-T2: "the journal also records the real clock time of each event";
/// R-A4; src/store/journal.rs writes `Now::real` into both); `journal.hash` chains `recorded_at` in, `journal_head.hash` is that hash, and `journal_head.signature` signs
/// it; each event's public record (R-V1) carries `recorded_at` too, so `public_record.text`, the tree's
/// `merkle_node.hash` over them and the root a head signs (`journal_head.root`) follow. They are left out of the comparison with an uninterrupted run, and only there: the comparison with the
/// template keeps every column, `audit verify` recomputes every hash and checks every signature of the same
/// database, and [`real_clock_is_sane`] checks that the new real-clock times are those of the test's run.
/// `calibrate` proves that these columns, and no other, differ between two uninterrupted runs a second apart.
const REAL_CLOCK: [(&str, &str); 8] = [
    ("journal", "recorded_at"),
    ("journal", "hash"),
    ("journal_head", "hash"),
    ("journal_head", "signed_at"),
    ("journal_head", "signature"),
    ("journal_head", "root"),
    ("public_record", "text"),
    ("merkle_node", "hash"),
];

/// The effective time of the sweep: the night after the directions' last valid day (Thursday 26 March 2026).
const SWEEP_NOW: &str = "2026-03-27T01:30";
const SWEEP_DATE: &str = "2026-03-27";

/// CPU seconds of this process and of its waited-for children (the kezek processes), from /proc (Linux).
fn cpu_seconds() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<f64> = stat
        .rsplit_once(") ")?
        .1
        .split(' ')
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // utime, stime, cutime, cstime are fields 14..17 of stat(5); `fields` starts at field 3. Clock ticks are
    // 1/100 s on Linux.
    let tick = |i: usize| fields.get(i - 3).copied().unwrap_or(0.0) / 100.0;
    Some((tick(14) + tick(15), tick(16) + tick(17)))
}

/// A private copy of the debug binary, run by every round: a build of the same target directory replaces
/// target/debug/kezek, and a round must not find it missing for a moment, nor run two versions.
fn kezek_bin() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("kezek-crash-bin")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("a directory for the binary");
    let bin = dir.path().join("kezek");
    std::fs::copy(assert_cmd::cargo::cargo_bin("kezek"), &bin).expect("copy the kezek binary");
    (dir, bin)
}

// ---------------------------------------------------------------------------------------------------------
// Fingerprints.

/// A digest of a database's whole content (schema, identity pragmas, every row of every table), with the row
/// count of each table for the messages.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    digest: [u8; 32],
    rows: BTreeMap<String, usize>,
}

fn feed(h: &mut Sha256, v: ValueRef<'_>) {
    let bytes = |h: &mut Sha256, tag: u8, b: &[u8]| {
        h.update([tag]);
        h.update((b.len() as u64).to_le_bytes());
        h.update(b);
    };
    match v {
        ValueRef::Null => h.update([0]),
        ValueRef::Integer(i) => bytes(h, 1, &i.to_le_bytes()),
        ValueRef::Real(f) => bytes(h, 2, &f.to_bits().to_le_bytes()),
        ValueRef::Text(t) => bytes(h, 3, t),
        ValueRef::Blob(b) => bytes(h, 4, b),
    }
}

/// Every row of `table` in primary-key order (every kezek table declares its key first; ordering by all the
/// columns makes the order total either way).
fn ordered_select<'c>(conn: &'c Connection, table: &str) -> rusqlite::Statement<'c> {
    let n = conn
        .prepare(&format!("SELECT * FROM \"{table}\""))
        .expect("a table")
        .column_count();
    let order: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    conn.prepare(&format!(
        "SELECT * FROM \"{table}\" ORDER BY {}",
        order.join(", ")
    ))
    .expect("a table")
}

/// The fingerprints of every column and (`stable`) of every column but the [`REAL_CLOCK`] ones. SQLite renders
/// each table as text (the real-clock columns apart) (`quote()` of every value: NULL, numbers, 'text' and X'blob' stay distinct; kezek stores no
/// REAL), rows in primary-key order (the ordered subquery is not flattened into an aggregate, so its rows reach
/// `group_concat` in order), which is hashed here.
fn fingerprints(conn: &Connection) -> (Fingerprint, Fingerprint) {
    let mut full = Sha256::new();
    let mut stable = Sha256::new();
    let text = |h: &mut Sha256, t: &str| feed(h, ValueRef::Text(t.as_bytes()));
    let head: String = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version) || ',' ||
                    (SELECT application_id FROM pragma_application_id) || char(10) ||
                    group_concat(quote(type) || ',' || quote(name) || ',' || quote(tbl_name) || ',' || quote(sql),
                                 char(10) ORDER BY type, name)
             FROM sqlite_schema",
            [],
            |r| r.get(0),
        )
        .expect("the schema");
    text(&mut full, &head);
    text(&mut stable, &head);
    let mut rows = BTreeMap::new();
    for table in tables(conn) {
        let columns: Vec<(String, i64)> = conn
            .prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")
            .and_then(|mut s| {
                s.query_map([&table], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .expect("the columns");
        let render = |keep: &dyn Fn(&str) -> bool| {
            columns
                .iter()
                .filter(|(c, _)| keep(c))
                .map(|(c, _)| format!("quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(" || ',' || ")
        };
        // Rows in primary-key order, which the key's b-tree gives without a sort; a table without a declared
        // key (sqlite_sequence) in the order of all its columns.
        let mut key: Vec<&(String, i64)> = columns.iter().filter(|(_, pk)| *pk > 0).collect();
        key.sort_by_key(|(_, pk)| *pk);
        let key: Vec<&(String, i64)> = if key.is_empty() {
            columns.iter().collect()
        } else {
            key
        };
        let order: Vec<String> = key.iter().map(|(c, _)| format!("\"{c}\"")).collect();
        let clock = render(&|c| REAL_CLOCK.contains(&(table.as_str(), c)));
        let sql = format!(
            "SELECT count(*), group_concat({}, char(10)), {}
             FROM (SELECT * FROM \"{table}\" ORDER BY {})",
            render(&|c| !REAL_CLOCK.contains(&(table.as_str(), c))),
            if clock.is_empty() {
                "NULL".to_string()
            } else {
                format!("group_concat({clock}, char(10))")
            },
            order.join(", "),
        );
        let (count, steady, clock): (i64, Option<String>, Option<String>) = conn
            .query_row(&sql, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("a table's rows");
        for h in [&mut full, &mut stable] {
            text(h, &table);
            text(h, steady.as_deref().unwrap_or(""));
        }
        // The full fingerprint covers the real-clock columns too.
        text(&mut full, clock.as_deref().unwrap_or(""));
        rows.insert(table, count as usize);
    }
    (
        Fingerprint {
            digest: full.finalize().into(),
            rows: rows.clone(),
        },
        Fingerprint {
            digest: stable.finalize().into(),
            rows,
        },
    )
}

/// The fingerprint of every column, or (`stable`) of every column but the [`REAL_CLOCK`] ones.
fn fingerprint(conn: &Connection, stable: bool) -> Fingerprint {
    let (full, steady) = fingerprints(conn);
    if stable {
        steady
    } else {
        full
    }
}

fn fingerprint_file(path: &Path, stable: bool) -> Fingerprint {
    fingerprint(&connect(path), stable)
}

/// The columns (`table.column`, or `table: N rows vs M`) in which two databases differ.
fn differing_columns(a: &Path, b: &Path) -> BTreeSet<String> {
    let a = connect(a);
    let b = connect(b);
    let mut out = BTreeSet::new();
    let (ta, tb) = (tables(&a), tables(&b));
    if ta != tb {
        out.insert(format!("tables {ta:?} vs {tb:?}"));
        return out;
    }
    for table in ta {
        let read = |conn: &Connection| -> (Vec<String>, Vec<Vec<rusqlite::types::Value>>) {
            let mut stmt = ordered_select(conn, &table);
            let names = stmt.column_names().iter().map(|s| s.to_string()).collect();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| r.get::<_, rusqlite::types::Value>(i))
                        .collect()
                })
                .expect("the rows")
                .collect::<rusqlite::Result<_>>()
                .expect("the rows");
            (names, rows)
        };
        let ((names, ra), (_, rb)) = (read(&a), read(&b));
        if ra.len() != rb.len() {
            out.insert(format!("{table}: {} rows vs {}", ra.len(), rb.len()));
            continue;
        }
        for (x, y) in ra.iter().zip(&rb) {
            for (i, name) in names.iter().enumerate() {
                if x[i] != y[i] {
                    out.insert(format!("{table}.{name}"));
                }
            }
        }
    }
    out
}

/// Row counts that differ from `other`'s, for a message.
fn count_changes(actual: &Fingerprint, other: &Fingerprint) -> String {
    let changes: Vec<String> = actual
        .rows
        .iter()
        .filter(|(t, n)| other.rows.get(*t) != Some(*n))
        .map(|(t, n)| format!("{t} {n} (not {})", other.rows.get(t).copied().unwrap_or(0)))
        .collect();
    if changes.is_empty() {
        "same row counts".to_string()
    } else {
        changes.join(", ")
    }
}

// ---------------------------------------------------------------------------------------------------------
// Workloads and their templates.

/// One command to crash: its arguments and effective time, the database it starts from.
struct Workload {
    name: &'static str,
    args: Vec<OsString>,
    now: &'static str,
    /// A checkpointed database file (no -wal) that every round starts from.
    template: PathBuf,
    /// An import refuses a file imported before (exit 3): the rerun of an import whose effect is present.
    refuses_repeat: bool,
    /// A deliberate fault switched on in every run (the broken variant).
    fault: Option<&'static str>,
}

/// What every round needs: the binary, the key, a directory of its own per worker.
struct Shared {
    bin: PathBuf,
    key: PathBuf,
    dir: PathBuf,
    /// When the suite began (UTC), the earliest real-clock time a new journal event may carry.
    started: DateTime<Utc>,
}

/// A directory for the rounds: tmpfs when there is one. A SIGKILL leaves the kernel's page cache intact (what a
/// killed process wrote is in the file whether or not it reached the disk), so a disk adds nothing to what is
/// tested here but fsync latency, which other work on a busy machine makes erratic.
fn scratch_dir() -> tempfile::TempDir {
    tmpfs_dir("kezek-crash")
}

/// Folds the WAL into the database file and copies it to `to`: a template without -wal or -shm.
fn freeze(db: &Path, to: &Path) {
    let conn = connect(db);
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        let busy: i64 = r.get(0)?;
        assert_eq!(busy, 0, "the checkpoint of {} was blocked", db.display());
        Ok(())
    })
    .expect("a checkpoint");
    drop(conn);
    let wal = sidecar(db, "-wal");
    assert!(
        std::fs::metadata(&wal)
            .map(|m| m.len() == 0)
            .unwrap_or(true),
        "{} left a WAL behind",
        db.display()
    );
    std::fs::copy(db, to).expect("copy the template");
}

/// `ivanova` acting on a city with the sample organizations.
fn city() -> TestEnv {
    City::builder().build().env
}

/// A seeded applications CSV of `count` rows registered before 16 March 2026.
fn applications_csv(path: &Path, seed: u64, count: u64) {
    let mut out = Vec::new();
    kezek::generate::applications(&mut out, seed, count, kezek::generate::default_now())
        .expect("generate applications");
    std::fs::write(path, out).expect("write the applications");
}

/// A seeded places CSV: `rows` rows over the sample organizations, each 1 to 3 places.
fn places_csv(path: &Path, seed: u64, rows: usize) {
    let mut orgs = csv::Reader::from_path(ORGS).expect("the sample organizations");
    let orgs: Vec<(String, String)> = orgs
        .records()
        .map(|r| {
            let r = r.expect("an organization");
            (r[0].to_string(), r[2].to_string())
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = format!("{PLACES_HEADER}\n");
    for _ in 0..rows {
        let (code, kind) = &orgs[rng.gen_range(0..orgs.len())];
        let place_type = if kind == "sanatorium" {
            "sanatorium"
        } else {
            "regular"
        };
        out.push_str(&format!(
            "{code},{},{},{place_type},{},2026-{:02}-{:02}\n",
            rng.gen_range(2020..=2025),
            ["ru", "kk"][rng.gen_range(0..2)],
            rng.gen_range(1..=3),
            rng.gen_range(3..=5),
            rng.gen_range(16..=28),
        ));
    }
    std::fs::write(path, out).expect("write the places");
}

/// The template of both imports: the city with its organizations.
fn import_template(env: &TestEnv, dir: &Path) -> PathBuf {
    let template = dir.join("city.db");
    freeze(&env.db, &template);
    template
}

/// The template of the sweep: applications, an offer round on Monday 16 March 2026 at 10:00 and a direction,
/// issued at 10:30 and valid until Thursday 26 March, for every notified application. The directions are
/// issued through the library in one transaction (one journal event each, one signed head), which takes a
/// fraction of the time of one process per direction.
fn sweep_template(dir: &Path) -> PathBuf {
    let city = City::builder()
        .setting("min_age_years", 0) // R-C6 has its own tests
        .seed(SEED ^ 3)
        .applications(Applications::Generated(SWEEP_APPLICATIONS))
        .places(Places::ForEveryWaiting(Spread::One))
        .offer()
        .directions(Directions {
            in_process: true,
            ..Directions::default()
        })
        .issue_at("2026-03-16T10:30")
        .build();
    assert_eq!(
        city.built.issued.len(),
        SWEEP_APPLICATIONS as usize,
        "every application notified and directed: {:?}",
        city.built.issued
    );
    let issued = city.env.count(
        "SELECT count(*) FROM direction WHERE status = 'issued' AND valid_until = '2026-03-26'",
    );
    assert_eq!(issued, SWEEP_APPLICATIONS as i64);
    let template = dir.join("sweep.db");
    freeze(&city.env.db, &template);
    template
}

// ---------------------------------------------------------------------------------------------------------
// Running, killing, checking.

/// Where a kill landed, read from the marks file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Landing {
    Before,
    Inside,
    AfterCommit,
}

fn landing(marks: &Path) -> Result<Landing, String> {
    let text = std::fs::read_to_string(marks).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    match lines.as_slice() {
        [] => Ok(Landing::Before),
        ["begin"] => Ok(Landing::Inside),
        ["begin", "commit"] => Ok(Landing::AfterCommit),
        _ => Err(format!("unexpected marks {text:?}")),
    }
}

/// Where the transaction of an uninterrupted run lies, from the spawn.
#[derive(Debug, Clone, Copy)]
struct Timing {
    begin: Duration,
    commit: Duration,
    exit: Duration,
}

/// What the checks found in one round.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    landing: Landing,
    /// The process had exited before the kill.
    finished: bool,
    present: bool,
    /// How long the rerun took when it was a whole run (the effect was absent).
    full_run: Option<Duration>,
}

/// The command, ready to spawn on `db`.
fn command(shared: &Shared, w: &Workload, db: &Path, marks: Option<&Path>) -> Command {
    let mut cmd = Command::new(&shared.bin);
    cmd.env_clear()
        .current_dir(db.parent().expect("a directory"))
        .env("KEZEK_DB", db)
        .env("KEZEK_NOW", w.now)
        .env("KEZEK_OFFICER", "ivanova")
        .env("KEZEK_KEY", &shared.key)
        .args(&w.args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(marks) = marks {
        cmd.env("KEZEK_TEST_MARKS", marks);
    }
    if let Some(fault) = w.fault {
        cmd.env("KEZEK_FAULT", fault);
    }
    cmd
}

/// A read command of the binary on `db`; `Err` with its stderr unless it exits 0.
fn kezek_read(shared: &Shared, db: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new(&shared.bin)
        .env_clear()
        .env("KEZEK_DB", db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("spawn: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`kezek {}` exited {:?}: {}",
            args.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// A worker's database and marks file, reset from the template: the -wal and -shm of the previous round go.
struct Slot {
    db: PathBuf,
    marks: PathBuf,
}

impl Slot {
    fn new(dir: &Path, name: &str) -> Slot {
        let dir = dir.join(name);
        std::fs::create_dir_all(&dir).expect("a slot directory");
        Slot {
            db: dir.join("kezek.db"),
            marks: dir.join("marks"),
        }
    }

    fn reset(&self, template: &Path) {
        for p in [
            self.db.clone(),
            sidecar(&self.db, "-wal"),
            sidecar(&self.db, "-shm"),
            sidecar(&self.db, "-journal"),
            self.marks.clone(),
        ] {
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => panic!("remove {}: {e}", p.display()),
            }
        }
        std::fs::copy(template, &self.db).expect("copy the template");
    }
}

/// An uninterrupted run, watching the marks file to time `begin` and `commit`.
fn timed_run(shared: &Shared, w: &Workload, slot: &Slot) -> Timing {
    slot.reset(&w.template);
    let start = Instant::now();
    let mut child = command(shared, w, &slot.db, Some(&slot.marks))
        .spawn()
        .expect("spawn kezek");
    let (mut begin, mut commit) = (None, None);
    let status = loop {
        let done = child.try_wait().expect("wait for kezek");
        let text = std::fs::read_to_string(&slot.marks).unwrap_or_default();
        let t = start.elapsed();
        if begin.is_none() && text.contains("begin") {
            begin = Some(t);
        }
        if commit.is_none() && text.contains("commit") {
            commit = Some(t);
        }
        if let Some(status) = done {
            break status;
        }
        std::thread::sleep(Duration::from_micros(200));
    };
    let exit = start.elapsed();
    assert!(status.success(), "{} exited {status}", w.name);
    let text = std::fs::read_to_string(&slot.marks).unwrap_or_default();
    assert_eq!(text, "begin\ncommit\n", "{}: marks of a full run", w.name);
    Timing {
        begin: begin.unwrap_or(exit),
        commit: commit.unwrap_or(exit),
        exit,
    }
}

/// A workload measured and its two reference states.
struct Calibrated<'a> {
    w: &'a Workload,
    timing: Timing,
    /// The template, every column.
    template: Fingerprint,
    /// The template's signed head: every database after a kill must still contain it.
    template_head: SignedHead,
    /// The database of an uninterrupted run, but for the [`REAL_CLOCK`] columns.
    reference: Fingerprint,
    reference_db: PathBuf,
    /// The columns that differed between two uninterrupted runs a second apart.
    real_clock_diff: BTreeSet<String>,
    /// Every kill aimed inside the write transaction (the broken variant), rather than spread over the run.
    inside_only: bool,
    /// The current length of a whole run in microseconds: the rounds run two at a time next to their checks,
    /// slower than the calibration runs alone, so the whole reruns keep this estimate and the kill delays
    /// follow it.
    pace: AtomicU64,
}

impl Calibrated<'_> {
    /// The calibrated timing, stretched to the current pace.
    fn timing_now(&self) -> Timing {
        let scale = self.pace.load(Ordering::Relaxed) as f64 / self.timing.exit.as_micros() as f64;
        Timing {
            begin: self.timing.begin.mul_f64(scale),
            commit: self.timing.commit.mul_f64(scale),
            exit: self.timing.exit.mul_f64(scale),
        }
    }

    /// Moves the estimate a quarter of the way to one measured whole run.
    fn observe(&self, whole_run: Duration) {
        let old = self.pace.load(Ordering::Relaxed);
        let new = (old * 3 + whole_run.as_micros() as u64) / 4;
        self.pace.store(new, Ordering::Relaxed);
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Runs the command uninterrupted `CALIBRATION_RUNS` times. Every run must give the same database but for the
/// real clock; the last run starts in a later second than the first ended, so that the columns that hold the
/// real clock differ and can be named.
fn calibrate<'a>(shared: &Shared, w: &'a Workload, slot: &Slot) -> Calibrated<'a> {
    let conn = Connection::open(&w.template).expect("open the template");
    let template = fingerprint(&conn, false);
    let template_head = audit::latest_head(&conn)
        .expect("the template's head")
        .expect("a signed head");
    audit::verify(&conn, None).expect("the template passes the audit");
    drop(conn);
    let reference_db = shared
        .dir
        .join(format!("reference-{}.db", w.name.replace(' ', "-")));
    let mut timings = Vec::new();
    let mut reference = None;
    let mut real_clock_diff = BTreeSet::new();
    for run in 0..CALIBRATION_RUNS {
        if run + 1 == CALIBRATION_RUNS {
            let second = Utc::now().timestamp();
            while Utc::now().timestamp() == second {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        timings.push(timed_run(shared, w, slot));
        let stable = fingerprint_file(&slot.db, true);
        match &reference {
            None => {
                freeze(&slot.db, &reference_db);
                reference = Some(stable);
            }
            Some(r) => {
                let diff = differing_columns(&reference_db, &slot.db);
                assert_eq!(
                    &stable, r,
                    "{}: two uninterrupted runs differ beyond the real clock: {diff:?}",
                    w.name
                );
                real_clock_diff.extend(diff);
            }
        }
    }
    let reference = reference.expect("a reference run");
    assert_ne!(
        reference.digest, template.digest,
        "{}: the command changed nothing",
        w.name
    );
    let allowed: BTreeSet<String> = REAL_CLOCK.iter().map(|(t, c)| format!("{t}.{c}")).collect();
    assert!(
        real_clock_diff.is_subset(&allowed),
        "{}: {real_clock_diff:?}",
        w.name
    );
    for needed in ["journal.recorded_at", "journal_head.signed_at"] {
        assert!(
            real_clock_diff.contains(needed),
            "{}: runs in different seconds did not differ in {needed}: {real_clock_diff:?}",
            w.name
        );
    }
    let timing = Timing {
        begin: median(timings.iter().map(|t| t.begin).collect()),
        commit: median(timings.iter().map(|t| t.commit).collect()),
        exit: median(timings.iter().map(|t| t.exit).collect()),
    };
    Calibrated {
        w,
        timing,
        template,
        template_head,
        reference,
        reference_db,
        real_clock_diff,
        inside_only: false,
        pace: AtomicU64::new(timing.exit.as_micros() as u64),
    }
}

/// The kill delay of a round: all inside the transaction, or a quarter of the kills aimed at the start (before
/// the write transaction takes the lock), half uniform over 1.1 × the run time, a quarter around the commit and
/// the end (the commit, the checkpoint of the WAL as the last connection closes, the exit).
fn pick_delay(rng: &mut StdRng, t: &Timing, inside_only: bool) -> Duration {
    let end = t.exit.mul_f64(1.1);
    let x: f64 = rng.gen();
    let (lo, hi) = if inside_only {
        (t.begin, t.commit)
    } else if x < 0.25 {
        (Duration::ZERO, t.begin)
    } else if x < 0.75 {
        (Duration::ZERO, end)
    } else {
        let lo = t.commit.saturating_sub(t.exit / 20);
        (lo, t.exit.mul_f64(1.05).max(lo))
    };
    lo + (hi - lo).mul_f64(rng.gen())
}

/// The journal times of the events after the template's head must be the real clock of this test's run.
fn real_clock_is_sane(
    conn: &Connection,
    after_seq: i64,
    started: DateTime<Utc>,
) -> Result<(), String> {
    let late = Utc::now() + chrono::Duration::seconds(2);
    let early = started - chrono::Duration::seconds(2);
    let mut stmt = conn
        .prepare(
            "SELECT recorded_at FROM journal WHERE seq > ?1
             UNION ALL SELECT signed_at FROM journal_head WHERE seq > ?1",
        )
        .map_err(|e| e.to_string())?;
    let times: Vec<String> = stmt
        .query_map([after_seq], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| e.to_string())?;
    if times.is_empty() {
        return Err("no journal event after the template's head".into());
    }
    for t in times {
        let at = DateTime::parse_from_rfc3339(&t)
            .map_err(|e| format!("real-clock time {t:?}: {e}"))?
            .with_timezone(&Utc);
        if at < early || at > late {
            return Err(format!(
                "real-clock time {t} is outside this run ({started} .. now)"
            ));
        }
    }
    Ok(())
}

/// One round: reset, spawn, kill after `delay`, check. `Err` lists every check that failed.
fn round(
    shared: &Shared,
    c: &Calibrated,
    slot: &Slot,
    delay: Duration,
    binary_audit: bool,
) -> Result<Outcome, String> {
    let w = c.w;
    slot.reset(&w.template);
    let start = Instant::now();
    let mut child: Child = command(shared, w, &slot.db, Some(&slot.marks))
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    if let Some(rest) = delay.checked_sub(start.elapsed()) {
        std::thread::sleep(rest);
    }
    let finished = child.try_wait().map_err(|e| e.to_string())?.is_some();
    // SIGKILL. A process that `try_wait` found ended is not signalled again; one that ends in between is a
    // zombie until waited for, so the signal cannot reach another process.
    let _ = child.kill();
    let _ = child.wait();
    let landing = landing(&slot.marks)?;

    let mut problems = Vec::new();
    // The sampled rounds let the binary be the first to open the crashed database (and recover its WAL) with
    // the read command `audit verify`; the others open it with a plain SQLite connection first.
    let kezek_first = binary_audit;
    if kezek_first {
        let head = slot.db.with_file_name("template-head.txt");
        std::fs::write(&head, c.template_head.to_text()).map_err(|e| e.to_string())?;
        let head = head.to_str().expect("a UTF-8 path");
        if let Err(e) = kezek_read(shared, &slot.db, &["audit", "verify", "--head", head]) {
            problems.push(format!("audit verify: {e}"));
        }
    }
    let conn = Connection::open(&slot.db).map_err(|e| format!("open: {e}"))?;
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| format!("integrity_check: {e}"))?;
    if integrity != ["ok"] {
        problems.push(format!("integrity_check: {integrity:?}"));
    }
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(|e| format!("foreign_key_check: {e}"))?;
    if fk != 0 {
        problems.push(format!("foreign_key_check: {fk} rows"));
    }
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .map_err(|e| format!("journal_mode: {e}"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        problems.push(format!("journal_mode is {mode}, not wal"));
    }
    if !kezek_first {
        // kezek's own open (the code every command opens with) sets WAL, synchronous=FULL and foreign keys, reads
        // them back and refuses a database that will not take them; `audit verify` on its connection, with the
        // template's head published: the journal still contains it.
        match kezek::store::Db::open(&slot.db) {
            Ok(db) => {
                if let Err(e) = audit::verify(&db, Some(&c.template_head)) {
                    problems.push(format!("audit verify: {e}"));
                }
            }
            Err(e) => problems.push(format!("kezek's open refused the database: {e}")),
        }
    }

    // All or nothing.
    let (full, stable) = fingerprints(&conn);
    let mut effect = "absent";
    let present = if full == c.template {
        false
    } else if stable == c.reference {
        effect = "present";
        if let Err(e) = real_clock_is_sane(&conn, c.template_head.seq, shared.started) {
            problems.push(e);
        }
        true
    } else {
        effect = "partial";
        problems.push(format!(
            "partial effect: neither the template ({}) nor the uninterrupted run ({}); differs from the run in {:?}",
            count_changes(&full, &c.template),
            count_changes(&full, &c.reference),
            differing_columns(&c.reference_db, &slot.db)
        ));
        false
    };
    drop(conn);
    match (landing, present) {
        (Landing::Before, true) => {
            problems.push("killed before `begin`, yet the effect is present".into())
        }
        (Landing::AfterCommit, false) => {
            problems.push("killed after `commit`, yet the effect is absent".into())
        }
        _ => {}
    }

    // Running the command again to completion gives the uninterrupted run's database.
    let rerun_start = Instant::now();
    let rerun = command(shared, w, &slot.db, None)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("rerun: {e}"))?;
    let rerun_took = rerun_start.elapsed();
    let expected = if present && w.refuses_repeat { 3 } else { 0 };
    if rerun.status.code() != Some(expected) {
        problems.push(format!(
            "the rerun exited {:?}, not {expected}: {}",
            rerun.status.code(),
            String::from_utf8_lossy(&rerun.stderr).trim()
        ));
    }
    let after = fingerprint_file(&slot.db, true);
    if after != c.reference {
        problems.push(format!(
            "the rerun did not give the uninterrupted run's database: {}; differs in {:?}",
            count_changes(&after, &c.reference),
            differing_columns(&c.reference_db, &slot.db)
        ));
    }

    if problems.is_empty() {
        Ok(Outcome {
            landing,
            finished,
            present,
            full_run: (!present).then_some(rerun_took),
        })
    } else {
        Err(format!(
            "killed after {delay:?}, landed {landing:?}, effect {effect}: {}",
            problems.join("; ")
        ))
    }
}

/// The figures of one command.
#[derive(Debug, Default, Clone)]
struct Tally {
    kills: usize,
    before: usize,
    inside: usize,
    inside_present: usize,
    after: usize,
    finished: usize,
    absent: usize,
    present: usize,
    failed: Vec<String>,
}

impl Tally {
    fn add(&mut self, r: Result<Outcome, String>) {
        self.kills += 1;
        match r {
            Ok(o) => {
                match o.landing {
                    Landing::Before => self.before += 1,
                    Landing::Inside => {
                        self.inside += 1;
                        if o.present {
                            self.inside_present += 1;
                        }
                    }
                    Landing::AfterCommit => self.after += 1,
                }
                if o.finished {
                    self.finished += 1;
                }
                if o.present {
                    self.present += 1;
                } else {
                    self.absent += 1;
                }
            }
            Err(e) => self.failed.push(e),
        }
    }

    fn line(&self, name: &str) -> String {
        format!(
            "{name:>20}: {:>4} kills: {:>3} before the transaction, {:>3} inside ({} of them after COMMIT, before \
             the mark), {:>3} after commit ({} after the exit); effect absent {:>3}, present {:>3}; failed {}",
            self.kills,
            self.before,
            self.inside,
            self.inside_present,
            self.after,
            self.finished,
            self.absent,
            self.present,
            self.failed.len()
        )
    }
}

/// Runs `jobs` (workload index, round, seed) on `threads` threads; each worker has its own slot.
fn run_rounds(
    shared: &Shared,
    calibrated: &[Calibrated],
    jobs: &[(usize, usize, u64)],
    threads: usize,
) -> Vec<Tally> {
    let next = AtomicUsize::new(0);
    let tallies = Mutex::new(vec![Tally::default(); calibrated.len()]);
    std::thread::scope(|s| {
        for t in 0..threads {
            let (next, tallies) = (&next, &tallies);
            s.spawn(move || {
                let slot = Slot::new(&shared.dir, &format!("worker-{t}"));
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(wi, r, seed)) = jobs.get(i) else {
                        break;
                    };
                    let c = &calibrated[wi];
                    let mut rng = StdRng::seed_from_u64(seed);
                    let delay = pick_delay(&mut rng, &c.timing_now(), c.inside_only);
                    let result = round(shared, c, &slot, delay, r % BINARY_AUDIT_EVERY == 0)
                        .map_err(|e| format!("{} seed {seed:#x} round {r}: {e}", c.w.name));
                    if let Ok(o) = &result {
                        if let Some(took) = o.full_run {
                            c.observe(took);
                        }
                        // A run that ended before its kill took less than the delay: when the estimate is
                        // longer, the delay is the better one (else every kill could land after the end and
                        // no whole rerun would ever correct it).
                        if o.finished
                            && delay.as_micros() < u128::from(c.pace.load(Ordering::Relaxed))
                        {
                            c.observe(delay);
                        }
                    }
                    tallies.lock().unwrap()[wi].add(result);
                }
            });
        }
    });
    tallies.into_inner().unwrap()
}

/// Keeps the test's environment (keys, templates, files) alive while the rounds run.
struct Suite {
    env: TestEnv,
    _scratch: tempfile::TempDir,
    _bin: tempfile::TempDir,
    shared: Shared,
}

fn suite(env: TestEnv) -> Suite {
    let scratch = scratch_dir();
    let (key, _) = env.key("ivanova");
    let (bin_dir, bin) = kezek_bin();
    let shared = Shared {
        bin,
        key,
        dir: scratch.path().to_path_buf(),
        started: Utc::now(),
    };
    Suite {
        env,
        _scratch: scratch,
        _bin: bin_dir,
        shared,
    }
}

fn import_workload(
    name: &'static str,
    noun: &str,
    file: &Path,
    template: &Path,
    fault: Option<&'static str>,
) -> Workload {
    Workload {
        name,
        args: vec![noun.into(), "import".into(), file.into()],
        now: env::NOW,
        template: template.to_path_buf(),
        refuses_repeat: true,
        fault,
    }
}

// ---------------------------------------------------------------------------------------------------------
// The tests.

#[test]
fn sigkill_at_any_moment_leaves_each_command_all_or_nothing() {
    let t0 = Instant::now();
    let env = city();
    let s = suite(env);
    let shared = &s.shared;
    let dir = shared.dir.clone();
    let city_db = import_template(&s.env, &dir);
    let sweep_db = sweep_template(&dir);
    let apps = dir.join("applications.csv");
    applications_csv(&apps, SEED ^ 1, APPLICATIONS);
    let places = dir.join("places.csv");
    places_csv(&places, SEED ^ 2, PLACE_ROWS);
    let workloads = [
        import_workload("application import", "application", &apps, &city_db, None),
        import_workload("place import", "place", &places, &city_db, None),
        Workload {
            name: "sweep",
            args: vec!["sweep".into(), "--date".into(), SWEEP_DATE.into()],
            now: SWEEP_NOW,
            template: sweep_db,
            refuses_repeat: false,
            fault: None,
        },
    ];
    let prepared = t0.elapsed();

    let slot = Slot::new(&dir, "calibration");
    let calibrated: Vec<Calibrated> = workloads
        .iter()
        .map(|w| calibrate(shared, w, &slot))
        .collect();
    for c in &calibrated {
        say(format_args!(
            "crash: {}: uninterrupted run {:?}, transaction from {:?} to {:?}; template {} rows, after the run {} \
             rows; columns that differed between runs a second apart: {:?}",
            c.w.name,
            c.timing.exit,
            c.timing.begin,
            c.timing.commit,
            c.template.rows.values().sum::<usize>(),
            c.reference.rows.values().sum::<usize>(),
            c.real_clock_diff
        ));
    }
    let calibrated_at = t0.elapsed();

    let mut jobs = Vec::new();
    for r in 0..*KILLS.iter().max().unwrap() {
        for (wi, kills) in KILLS.iter().enumerate() {
            if r < *kills {
                jobs.push((wi, r, SEED.wrapping_add((wi as u64) << 32 | r as u64)));
            }
        }
    }
    let cpu_before = cpu_seconds();
    let tallies = run_rounds(shared, &calibrated, &jobs, 2);
    if let (Some(a), Some(b)) = (cpu_before, cpu_seconds()) {
        say(format_args!(
            "crash: CPU during the rounds (the whole test process, with any test running beside): {:.1} s in the \
             checks, {:.1} s in kezek processes",
            b.0 - a.0,
            b.1 - a.1
        ));
    }

    let mut total = Tally::default();
    for (c, t) in calibrated.iter().zip(&tallies) {
        say(format_args!("crash: {}", t.line(c.w.name)));
        total.kills += t.kills;
        total.before += t.before;
        total.inside += t.inside;
        total.inside_present += t.inside_present;
        total.after += t.after;
        total.finished += t.finished;
        total.absent += t.absent;
        total.present += t.present;
        total.failed.extend(t.failed.iter().cloned());
    }
    say(format_args!("crash: {}", total.line("all")));
    say(format_args!(
        "crash: seed {SEED:#x}; templates {prepared:.1?}, calibration {:.1?}, {} rounds {:.1?}, total {:.1?}",
        calibrated_at - prepared,
        total.kills,
        t0.elapsed() - calibrated_at,
        t0.elapsed()
    ));

    assert!(
        total.failed.is_empty(),
        "{} of {} kills failed a check (seed and round first):\n{}",
        total.failed.len(),
        total.kills,
        total.failed.join("\n")
    );
    assert_eq!(total.kills, KILLS.iter().sum::<usize>());
    assert!(
        total.inside * 10 >= total.kills * 3,
        "only {} of {} kills landed inside the write transaction",
        total.inside,
        total.kills
    );
    for (c, t) in calibrated.iter().zip(&tallies) {
        assert!(
            t.before > 0 && t.inside > 0 && t.after > 0,
            "{}: the kills did not reach every phase: {}",
            c.w.name,
            t.line(c.w.name)
        );
        assert!(t.absent > 0 && t.present > 0, "{}", t.line(c.w.name));
    }
}

/// The broken variant: with `import-commits-every-1000` an application import of 2,500 rows commits after its
/// 1,000th and 2,000th row; a kill after such a commit leaves part of the file imported. The same rounds must
/// catch it.
#[test]
fn broken_variant_an_import_that_commits_every_1000_rows_is_caught() {
    let t0 = Instant::now();
    let s = suite(city());
    let shared = &s.shared;
    let dir = shared.dir.clone();
    let city_db = import_template(&s.env, &dir);
    let apps = dir.join("applications.csv");
    applications_csv(&apps, SEED ^ 4, BROKEN_APPLICATIONS);
    let w = import_workload(
        "application import",
        "application",
        &apps,
        &city_db,
        Some(kezek::faults::Fault::ImportCommitsEvery1000.name()),
    );
    let slot = Slot::new(&dir, "calibration");
    let mut c = calibrate(shared, &w, &slot);
    // Every kill inside the transaction: after the first of its hidden commits in three of five.
    c.inside_only = true;
    let jobs: Vec<(usize, usize, u64)> = (0..BROKEN_KILLS)
        .map(|r| (0, r, SEED.wrapping_add(0xb0 << 32 | r as u64)))
        .collect();
    let tally = run_rounds(shared, std::slice::from_ref(&c), &jobs, 1)
        .pop()
        .expect("a tally");
    say(format_args!(
        "crash (broken variant {}): {}; caught in {} of {} rounds, {:.1?}",
        kezek::faults::Fault::ImportCommitsEvery1000.name(),
        tally.line(w.name),
        tally.failed.len(),
        tally.kills,
        t0.elapsed()
    ));
    if let Some(first) = tally.failed.first() {
        say(format_args!("crash (broken variant): e.g. {first}"));
    }
    assert!(
        !tally.failed.is_empty(),
        "no round caught an import that commits every 1,000 rows: {}",
        tally.line(w.name)
    );
    assert!(
        tally.failed.iter().any(|f| f.contains("partial effect")),
        "the fault was caught, but never as a partial import: {:?}",
        tally.failed
    );
}
