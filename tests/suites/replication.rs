//! The replication suite (R-O1): kezek under Litestream 0.3.13, replicating the database to a directory.
//!
//! The drill: Litestream replicates (checking the log every 100 ms) while four officer processes register
//! applications and publish places as fast as they can and a fifth samples `kezek audit head`; at a moment drawn
//! from the seed (`KEZEK_REPLICATION_SEED` replays a run) Litestream and every writer are killed with SIGKILL, the
//! primary is given up for lost, and `litestream restore` brings the replica back. Then:
//! - the restored database passes `kezek db check` (SQLite's checks and the whole audit: nothing half-written);
//! - the latest head sampled during the run that the restored journal reaches verifies with `db check --head`,
//!   and every command acknowledged before that head was sampled is in the restored database;
//! - the restored journal is a prefix of the primary's (same seq, same hash), and it holds no more commands
//!   than were acknowledged or cut short by the kill.
//!
//! Beside it: `db purge` and `db backup` under a running Litestream (neither waits on Litestream's read
//! transaction, and Litestream never has to start its replica over), and a database that carries Litestream's
//! tables without Litestream running (the audit accepts them, SQLite still folds the log in at close).
//!
//! Litestream is the binary `.ci/install-litestream` puts in target/tools/bin, or one on PATH; a test installs
//! it when it is missing and says it is skipped only when it cannot be installed (no npm, no network).
//!
//! Every acknowledged command's replication lag is measured too (see [`LagProbe`]): the figures are printed, and
//! `r_o1_replication_lag_while_an_import_runs` (ignored: a measurement, not a check) gives the README's.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

use kezek::domain::iin::Iin;

use crate::common::city::{officer_ids, City};
use crate::common::env::TestEnv;
use crate::common::sql::{column, one, sidecar};
use crate::common::{date, say};

/// The seed of the kill moment and of the writers' choices; a failure names it.
const SEED: u64 = 0x6c69_7465_7374;

/// The Litestream this suite is written against (its configuration, logs and files).
const LITESTREAM_SERIES: &str = "v0.3.";

/// The writers: one process at a time each, officers in turns.
const WRITERS: usize = 4;

/// The kill comes this long after the writers start, drawn from the seed.
const KILL_AFTER_MS: std::ops::Range<u64> = 2_500..6_000;

/// The effective time of every command of the drill.
const DRILL_NOW: &str = "2026-03-16T10:00";

// ---------------------------------------------------------------------------------------------------------
// Litestream.

/// The Litestream binary: target/tools/bin/litestream, else one on PATH, else installed now by
/// `.ci/install-litestream`. `None` (the test is skipped, and says so) only when it cannot be installed.
fn litestream() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let local = root.join("target/tools/bin/litestream");
    let works = |bin: &Path| {
        Command::new(bin)
            .arg("version")
            .output()
            .map(|o| {
                o.status.success()
                    && String::from_utf8_lossy(&o.stdout)
                        .trim()
                        .starts_with(LITESTREAM_SERIES)
            })
            .unwrap_or(false)
    };
    for bin in [local.clone(), PathBuf::from("litestream")] {
        if works(&bin) {
            return Some(bin);
        }
    }
    let installed = Command::new(root.join(".ci/install-litestream"))
        .current_dir(root)
        .output();
    if works(&local) {
        return Some(local);
    }
    let why = installed
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|e| e.to_string());
    say(format!(
        "Litestream could not be installed ({why}): the replication test is skipped"
    ));
    None
}

/// One line Litestream logged, with the moment this process read it.
struct LogLine {
    at: Instant,
    text: String,
}

/// A running `litestream replicate` of one database to a directory.
struct Replicator {
    bin: PathBuf,
    child: Child,
    config: PathBuf,
    db: PathBuf,
    log: Arc<Mutex<Vec<LogLine>>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Replicator {
    /// Starts replicating `db` into `replica` (a directory), checking the log every `interval` (the database's
    /// `monitor-interval` and the replica's `sync-interval`), and waits for the first snapshot.
    fn start(bin: &Path, db: &Path, replica: &Path, interval: &str) -> Replicator {
        let dir = db.parent().expect("the database's directory");
        let config = dir.join("litestream.yml");
        std::fs::write(
            &config,
            format!(
                "logging:\n  level: info\n  stderr: true\n\
                 dbs:\n  - path: {}\n    monitor-interval: {interval}\n    replicas:\n      \
                 - type: file\n        path: {}\n        sync-interval: {interval}\n",
                db.display(),
                replica.display()
            ),
        )
        .expect("litestream.yml");
        let mut child = Command::new(bin)
            .args(["replicate", "-config"])
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start litestream replicate");
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut readers = Vec::new();
        let streams: [Box<dyn Read + Send>; 2] = [
            Box::new(child.stdout.take().expect("stdout")),
            Box::new(child.stderr.take().expect("stderr")),
        ];
        for stream in streams {
            let log = Arc::clone(&log);
            readers.push(std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(text) = line else { break };
                    log.lock().unwrap().push(LogLine {
                        at: Instant::now(),
                        text,
                    });
                }
            }));
        }
        let r = Replicator {
            bin: bin.to_path_buf(),
            child,
            config,
            db: db.to_path_buf(),
            log,
            readers,
        };
        r.wait_for(Duration::from_secs(60), "snapshot written");
        r
    }

    /// Waits until Litestream has logged a line with `what` in it.
    fn wait_for(&self, within: Duration, what: &str) {
        let start = Instant::now();
        while !self.logged(what) {
            assert!(
                start.elapsed() < within,
                "Litestream did not log {what:?} within {within:?}:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn logged(&self, what: &str) -> bool {
        self.log
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.text.contains(what))
    }

    fn count(&self, what: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.text.contains(what))
            .count()
    }

    fn log_text(&self) -> String {
        let log = self.log.lock().unwrap();
        let from = log.len().saturating_sub(60);
        log[from..]
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// SIGKILL, as a machine that dies takes it.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
    }

    /// `litestream restore -o OUT`: the replica's latest state as a new database file.
    fn restore(&self, out: &Path) -> Duration {
        let started = Instant::now();
        let done = Command::new(&self.bin)
            .args(["restore", "-config"])
            .arg(&self.config)
            .arg("-o")
            .arg(out)
            .arg(&self.db)
            .output()
            .expect("run litestream restore");
        assert!(
            done.status.success(),
            "litestream restore failed: {}",
            String::from_utf8_lossy(&done.stderr)
        );
        started.elapsed()
    }

    /// The replica segments Litestream has written, in order: (generation, index, end offset), each with the
    /// moment its log line was read.
    fn segments(&self) -> Vec<(Instant, Segment)> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.text.contains("msg=\"wal segment written\""))
            .filter_map(|l| Segment::parse(&l.text).map(|s| (l.at, s)))
            .collect()
    }
}

impl Drop for Replicator {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One WAL segment in the replica, as `wal segment written` logs it: `position=GEN/INDEX:OFFSET sz=BYTES`
/// (index in hex, offset and size in bytes of the log, uncompressed).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    generation: String,
    index: u64,
    end: u64,
}

impl Segment {
    fn parse(line: &str) -> Option<Segment> {
        let field = |key: &str| {
            line.split_whitespace()
                .find_map(|w| w.strip_prefix(key))
                .map(str::to_string)
        };
        let position = field("position=")?;
        let (generation, rest) = position.split_once('/')?;
        let (index, offset) = rest.split_once(':')?;
        Some(Segment {
            generation: generation.to_string(),
            index: u64::from_str_radix(index, 16).ok()?,
            end: offset.parse::<u64>().ok()? + field("sz=")?.parse::<u64>().ok()?,
        })
    }
}

// ---------------------------------------------------------------------------------------------------------
// Replication lag.

/// Where a committed transaction ends in the write-ahead log: the log's salt (which names one run of the log
/// between two restarts) and the byte offset after its last frame, read from SQLite's shared-memory index
/// (`-shm`) right after the command that wrote it was acknowledged. Later commits of other writers may lie
/// before that offset too: the lag measured from it is an upper bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LogPosition {
    salt: [u8; 8],
    end: u64,
}

/// Measures how long after a command was acknowledged its last frame reached the replica: the position is read
/// from `-shm` at the acknowledgement; a watcher maps each run of the log (its salt) to Litestream's index for
/// it (the header of the shadow log Litestream keeps beside the database); the frame is in the replica when
/// Litestream logs `wal segment written` for that index up to that offset, or for a later index.
struct LagProbe {
    shm: PathBuf,
    shadow: PathBuf,
    page_size: u64,
    /// (generation, index) of each salt seen in a shadow log's header.
    indexes: Mutex<BTreeMap<[u8; 8], (String, u64)>>,
}

impl LagProbe {
    fn new(db: &Path) -> LagProbe {
        let name = db.file_name().expect("a file name").to_string_lossy();
        let page_size: i64 = one(
            &Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("open the database"),
            "PRAGMA page_size",
        );
        LagProbe {
            shm: sidecar(db, "-shm"),
            shadow: db.with_file_name(format!(".{name}-litestream")),
            page_size: page_size as u64,
            indexes: Mutex::new(BTreeMap::new()),
        }
    }

    /// The end of the log as SQLite's index says now (both copies of its header must agree).
    fn position(&self) -> Option<LogPosition> {
        for _ in 0..100 {
            let bytes = std::fs::read(&self.shm).ok()?;
            if bytes.len() < 96 || bytes[..48] != bytes[48..96] || bytes[12] == 0 {
                std::thread::sleep(Duration::from_micros(200));
                continue;
            }
            let frames = u32::from_ne_bytes(bytes[16..20].try_into().ok()?) as u64;
            let mut salt = [0u8; 8];
            salt.copy_from_slice(&bytes[32..40]);
            return Some(LogPosition {
                salt,
                end: 32 + frames * (24 + self.page_size),
            });
        }
        None
    }

    /// Records the salt of every shadow log Litestream has begun (`generations/GEN/wal/INDEX.wal`).
    fn watch(&self) {
        let Ok(generations) = std::fs::read_dir(self.shadow.join("generations")) else {
            return;
        };
        for generation in generations.flatten() {
            let Ok(files) = std::fs::read_dir(generation.path().join("wal")) else {
                continue;
            };
            for file in files.flatten() {
                let name = file.file_name().to_string_lossy().into_owned();
                let Some(index) = name
                    .strip_suffix(".wal")
                    .and_then(|i| u64::from_str_radix(i, 16).ok())
                else {
                    continue;
                };
                let mut header = [0u8; 32];
                let read =
                    std::fs::File::open(file.path()).and_then(|mut f| f.read_exact(&mut header));
                if read.is_ok() {
                    let mut salt = [0u8; 8];
                    salt.copy_from_slice(&header[16..24]);
                    let generation = generation.file_name().to_string_lossy().into_owned();
                    self.indexes
                        .lock()
                        .unwrap()
                        .entry(salt)
                        .or_insert((generation, index));
                }
            }
        }
    }

    /// The lag of a command acknowledged at `at` whose frames end at `position`, from Litestream's segments;
    /// `None` when no segment logged before the end of the run covers it.
    fn lag(
        &self,
        at: Instant,
        position: LogPosition,
        segments: &[(Instant, Segment)],
    ) -> Option<Duration> {
        let (generation, index) = self.indexes.lock().unwrap().get(&position.salt).cloned()?;
        segments
            .iter()
            .find(|(_, s)| {
                s.generation == generation
                    && (s.index > index || (s.index == index && s.end >= position.end))
            })
            .map(|(seen, _)| seen.saturating_duration_since(at))
    }
}

/// Seconds from `a` to `b`, negative when `b` comes first.
fn secs_between(a: Instant, b: Instant) -> f64 {
    if b >= a {
        (b - a).as_secs_f64()
    } else {
        -(a - b).as_secs_f64()
    }
}

/// Median, 95th percentile and maximum, in milliseconds.
fn spread(lags: &mut [Duration]) -> String {
    if lags.is_empty() {
        return "none measured".into();
    }
    lags.sort();
    let at = |q: f64| lags[((lags.len() - 1) as f64 * q).round() as usize].as_millis();
    format!(
        "median {} ms, p95 {} ms, max {} ms over {} commands",
        at(0.5),
        at(0.95),
        at(1.0),
        lags.len()
    )
}

// ---------------------------------------------------------------------------------------------------------
// The officers.

/// What an acknowledged command wrote.
#[derive(Debug, Clone)]
enum Effect {
    Application(String),
    Places(Vec<i64>),
}

/// A command acknowledged (exit 0, its output read), and where the log ended then.
struct Ack {
    at: Instant,
    effect: Effect,
    position: Option<LogPosition>,
}

/// A head `audit head` printed during the run, with the moment the command started.
struct Sample {
    started: Instant,
    seq: i64,
    text: String,
}

#[derive(Default)]
struct WriterLog {
    acks: Vec<Ack>,
    busy: usize,
    killed: usize,
    failures: Vec<String>,
}

/// The shared state of one run: the binary, the database, the officers' keys, the stop signal.
struct Office<'a> {
    bin: PathBuf,
    env: &'a TestEnv,
    keys: BTreeMap<&'static str, PathBuf>,
    stop: AtomicBool,
    probe: &'a LagProbe,
}

impl Office<'_> {
    fn command(&self, officer: Option<&str>, args: &[String]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.env_clear()
            .current_dir(self.env.dir.path())
            .env("KEZEK_DB", &self.env.db)
            .env("KEZEK_NOW", DRILL_NOW)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(officer) = officer {
            cmd.env("KEZEK_OFFICER", officer)
                .env("KEZEK_KEY", &self.keys[officer]);
        }
        cmd
    }

    /// Runs one command until it ends, or kills it (SIGKILL) when the drill stops: (exit code, stdout, stderr),
    /// or `None` if it was killed.
    fn run(&self, officer: Option<&str>, args: &[String]) -> Option<(i32, String, String)> {
        let mut child = self.command(officer, args).spawn().expect("run kezek");
        loop {
            if self.stop.load(Ordering::SeqCst) {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            match child.try_wait().expect("wait for kezek") {
                Some(status) => {
                    let mut out = String::new();
                    let mut err = String::new();
                    child.stdout.take().unwrap().read_to_string(&mut out).ok();
                    child.stderr.take().unwrap().read_to_string(&mut err).ok();
                    return Some((status.code().unwrap_or(-1), out, err));
                }
                None => std::thread::sleep(Duration::from_millis(1)),
            }
        }
    }

    /// One writer: officer `officer` registers children (three commands in four) and publishes places until the
    /// drill stops.
    fn write(&self, worker: usize, officer: &'static str, seed: u64) -> WriterLog {
        let mut rng = StdRng::seed_from_u64(seed ^ (worker as u64 + 1).wrapping_mul(0x9e37_79b9));
        let mut log = WriterLog::default();
        let mut serial = 0u32;
        while !self.stop.load(Ordering::SeqCst) {
            let register = rng.gen_bool(0.75);
            let args = if register {
                serial += 1;
                register_args(worker, serial)
            } else {
                let org = ["DS-001", "DS-002", "DS-003"][rng.gen_range(0..3)];
                let year = ["2021", "2022", "2023"][rng.gen_range(0..3)];
                let count = rng.gen_range(1..=3).to_string();
                [
                    "place",
                    "publish",
                    "--org",
                    org,
                    "--group-year",
                    year,
                    "--language",
                    "ru",
                    "--count",
                    &count,
                    "--format",
                    "json",
                ]
                .map(String::from)
                .to_vec()
            };
            match self.run(Some(officer), &args) {
                None => log.killed += 1,
                Some((0, out, _)) => {
                    let at = Instant::now();
                    let position = self.probe.position();
                    let v: Value = serde_json::from_str(&out)
                        .unwrap_or_else(|e| panic!("kezek {}: {e}: {out}", args.join(" ")));
                    let effect = if register {
                        Effect::Application(v["number"].as_str().expect("a number").to_string())
                    } else {
                        Effect::Places(place_ids(&v))
                    };
                    log.acks.push(Ack {
                        at,
                        effect,
                        position,
                    });
                }
                Some((75, ..)) => log.busy += 1,
                Some((code, _, err)) => log.failures.push(format!(
                    "worker {worker} as {officer}: kezek {} exited {code}: {err}",
                    args.join(" ")
                )),
            }
        }
        log
    }

    /// Samples `kezek audit head` until the drill stops.
    fn sample_heads(&self) -> Vec<Sample> {
        let mut samples = Vec::new();
        let args = ["audit".to_string(), "head".to_string()];
        while !self.stop.load(Ordering::SeqCst) {
            let started = Instant::now();
            if let Some((0, text, _)) = self.run(None, &args) {
                let seq = text
                    .lines()
                    .find_map(|l| l.strip_prefix("seq: "))
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or_else(|| panic!("a head with a seq: {text}"));
                samples.push(Sample { started, seq, text });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        samples
    }
}

/// The ids of the places a `place publish --format json` reports.
fn place_ids(v: &Value) -> Vec<i64> {
    v["place_ids"]
        .as_array()
        .unwrap_or_else(|| panic!("published places: {v}"))
        .iter()
        .map(|p| p.as_i64().unwrap_or_else(|| panic!("a place id: {p}")))
        .collect()
}

/// `application register` of the `serial`th child of writer `worker`: born in 2022, a new IIN each (its serial
/// part names the writer and the child; the day moves on if the check digit does not work out).
fn register_args(worker: usize, serial: u32) -> Vec<String> {
    let unique = worker as u32 * 2_000 + serial;
    let born = date(2022, 1 + (serial % 12), 1 + (serial % 28));
    let iin = (0..)
        .flat_map(|day| [(day, false), (day, true)])
        .find_map(|(day, female)| Iin::build(born + chrono::Duration::days(day), female, unique))
        .expect("an IIN");
    let applicant = (1..)
        .find_map(|s| Iin::build(date(1990, 5, 5), false, s))
        .expect("an applicant IIN");
    [
        "application",
        "register",
        "--child-iin",
        &iin,
        "--child-name",
        &format!("Тестов Ребёнок{worker}x{serial}"),
        "--applicant-iin",
        &applicant,
        "--applicant-name",
        "Тестова Айгерим",
        "--phone",
        "+77011234567",
        "--email",
        &format!("parent{worker}x{serial}@example.kz"),
        "--district",
        "Алмалинский",
        "--consent",
        "egov",
        "--queue-type",
        "general",
        "--language",
        "ru",
        "--format",
        "json",
    ]
    .map(String::from)
    .to_vec()
}

/// The journal of a database file as (seq, hash), read without writing to it.
fn journal(db: &Path) -> Vec<(i64, Vec<u8>)> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap_or_else(|e| panic!("open {}: {e}", db.display()));
    let mut stmt = conn
        .prepare("SELECT seq, hash FROM journal ORDER BY seq")
        .expect("the journal");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("the journal");
    rows.collect::<rusqlite::Result<_>>().expect("the journal")
}

/// Restores the replica into `out` again and again until it holds the primary's whole journal.
fn restore_caught_up(litestream: &Replicator, out: &Path) {
    let last = journal(&litestream.db).len();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let _ = std::fs::remove_file(out);
        litestream.restore(out);
        if journal(out).len() == last {
            return;
        }
        assert!(Instant::now() < deadline, "the replica never caught up");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A count of rows matching one parameter.
fn count(conn: &Connection, sql: &str, param: impl rusqlite::ToSql) -> i64 {
    conn.query_row(sql, [param], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn seed() -> u64 {
    std::env::var("KEZEK_REPLICATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED)
}

/// A city of three officers and the sample organizations, its database on disk.
fn office() -> TestEnv {
    City::builder()
        .officers(3)
        .setting("min_age_years", 0)
        .build()
        .env
}

/// `kezek ARGS` on another database file, as the drill's officer would type it.
fn kezek_on(env: &TestEnv, db: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    env.cmd().env("KEZEK_DB", db).args(args).assert()
}

// ---------------------------------------------------------------------------------------------------------
// The tests.

#[test]
fn r_o1_a_replica_restored_after_the_primary_is_killed_holds_every_acknowledged_command() {
    let Some(bin) = litestream() else { return };
    let seed = seed();
    let mut rng = StdRng::seed_from_u64(seed);
    let env = office();
    let setup_seq = journal(&env.db).len() as i64;
    let replica = env.path("replica");
    let mut litestream = Replicator::start(&bin, &env.db, &replica, "100ms");
    let probe = LagProbe::new(&env.db);
    let office = Office {
        bin: assert_cmd::cargo::cargo_bin("kezek"),
        env: &env,
        keys: officer_ids().map(|o| (o, env.key(o).0)).collect(),
        stop: AtomicBool::new(false),
        probe: &probe,
    };
    let kill_after = Duration::from_millis(rng.gen_range(KILL_AFTER_MS));
    let officers: Vec<&'static str> = officer_ids().collect();

    let started = Instant::now();
    let (logs, samples) = std::thread::scope(|s| {
        let office = &office;
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let officer = officers[w % officers.len()];
                s.spawn(move || office.write(w, officer, seed))
            })
            .collect();
        let sampler = s.spawn(|| office.sample_heads());
        let watcher = s.spawn(|| {
            while !office.stop.load(Ordering::SeqCst) {
                probe.watch();
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        // Halfway, the primary is checked while Litestream runs: its tables are accepted there too.
        std::thread::sleep(kill_after / 2);
        kezek_on(&env, &env.db, &["db", "check"]).success();
        while started.elapsed() < kill_after {
            std::thread::sleep(Duration::from_millis(5));
        }
        // The machine dies: Litestream and every officer's process at once.
        office.stop.store(true, Ordering::SeqCst);
        litestream.kill();
        watcher.join().unwrap();
        let logs: Vec<WriterLog> = writers.into_iter().map(|w| w.join().unwrap()).collect();
        (logs, sampler.join().unwrap())
    });
    let failures: Vec<&String> = logs.iter().flat_map(|l| &l.failures).collect();
    assert!(failures.is_empty(), "seed {seed}: {failures:#?}");
    let acks: Vec<&Ack> = logs.iter().flat_map(|l| &l.acks).collect();
    let killed: usize = logs.iter().map(|l| l.killed).sum();
    let busy: usize = logs.iter().map(|l| l.busy).sum();
    assert!(
        acks.len() >= 10,
        "seed {seed}: only {} commands",
        acks.len()
    );

    // The replica, restored.
    let restored = env.path("restored.db");
    let took = litestream.restore(&restored);
    let restored_journal = journal(&restored);
    let primary_journal = journal(&env.db);
    let n = restored_journal.len() as i64;
    kezek_on(&env, &restored, &["db", "check"]).success();

    // The latest head sampled that the restored journal reaches: it verifies, and every command acknowledged
    // before it was sampled is there.
    let head = samples
        .iter()
        .filter(|s| s.seq <= n)
        .max_by_key(|s| (s.seq, s.started))
        .unwrap_or_else(|| panic!("seed {seed}: no head sampled at or below seq {n}"));
    assert!(
        head.seq > setup_seq,
        "seed {seed}: the replica holds nothing of the run (seq {n}, setup {setup_seq})"
    );
    let head_file = env.write("replicated-head.txt", &head.text);
    env.cmd()
        .env("KEZEK_DB", &restored)
        .args(["db", "check", "--head"])
        .arg(&head_file)
        .assert()
        .success();
    // Every command acknowledged before the head was sampled, or whose last frame Litestream logged as in the
    // replica before the kill, is in the restored database.
    let segments = litestream.segments();
    let replicated = |a: &Ack| a.position.and_then(|p| probe.lag(a.at, p, &segments));
    let conn = Connection::open_with_flags(&restored, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let before_head: Vec<&&Ack> = acks.iter().filter(|a| a.at < head.started).collect();
    let must_be_there: Vec<&&Ack> = acks
        .iter()
        .filter(|a| a.at < head.started || replicated(a).is_some())
        .collect();
    for ack in &must_be_there {
        match &ack.effect {
            Effect::Application(number) => assert_eq!(
                count(&conn, "SELECT count(*) FROM application WHERE number = ?1", number),
                1,
                "seed {seed}: application {number}, acknowledged and replicated, is not in the replica"
            ),
            Effect::Places(ids) => {
                for id in ids {
                    assert_eq!(
                        count(&conn, "SELECT count(*) FROM place WHERE id = ?1", id),
                        1,
                        "seed {seed}: place {id}, acknowledged and replicated, is not in the replica"
                    );
                }
            }
        }
    }

    // A prefix of the primary's journal, and no command that was neither acknowledged nor cut short.
    assert!(
        restored_journal.len() <= primary_journal.len()
            && restored_journal[..] == primary_journal[..restored_journal.len()],
        "seed {seed}: the restored journal is not a prefix of the primary's"
    );
    let restored_apps: Vec<String> = column(&conn, "SELECT number FROM application", []);
    let acked_apps = acks
        .iter()
        .filter(|a| matches!(a.effect, Effect::Application(_)))
        .count();
    assert!(
        restored_apps.len() <= acked_apps + killed,
        "seed {seed}: {} applications restored, {acked_apps} acknowledged, {killed} cut short",
        restored_apps.len()
    );

    let mut lags: Vec<Duration> = acks.iter().filter_map(|a| replicated(a)).collect();
    let in_replica = lags.len();
    say(format!(
        "replication (seed {seed}): {} commands acknowledged ({busy} busy, {killed} cut short) by {WRITERS} \
         writers in {:.1} s, {} heads sampled; killed at {:.1} s; restored in {:.2} s to seq {n} of the \
         primary's {} (head {} verified, {} commands acknowledged before it, {} before it or logged as replicated, all present); lag acknowledged -> in the replica: \
         {} ({} of {} reached the replica before the kill)",
        acks.len(),
        kill_after.as_secs_f64(),
        samples.len(),
        kill_after.as_secs_f64(),
        took.as_secs_f64(),
        primary_journal.len(),
        head.seq,
        before_head.len(),
        must_be_there.len(),
        spread(&mut lags),
        in_replica,
        acks.len()
    ));
}

/// `db purge`, `db backup` and more commands under a running Litestream, with `fault` switched on if given;
/// returns what went wrong: a purge that waited on Litestream or reported the log busy, a replica Litestream had
/// to start over, a restored database or backup that fails `db check`.
fn purge_and_backup_under_litestream(bin: &Path, fault: Option<&str>) -> Vec<String> {
    let env = office();
    let replica = env.path("replica");
    let mut litestream = Replicator::start(bin, &env.db, &replica, "100ms");
    let kezek = |args: &[&str]| {
        let mut cmd = env.cmd();
        if let Some(fault) = fault {
            cmd.env("KEZEK_FAULT", fault);
        }
        cmd.args(args).assert().success()
    };
    // Enough commits for the log to pass SQLite's automatic checkpoint (1,000 pages) at least once.
    for serial in 1..=3 {
        let args = register_args(0, serial);
        kezek(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    kezek(&[
        "place",
        "publish",
        "--org",
        "DS-001",
        "--group-year",
        "2022",
        "--language",
        "ru",
        "--count",
        "3",
    ]);
    let mut problems = Vec::new();
    // A truncating checkpoint waits for Litestream's read transaction for the whole busy timeout (5 s) and then
    // reports the log not emptied.
    let started = Instant::now();
    let purge = kezek(&["db", "purge", "--before", "2026-03-16", "--yes"]);
    let took = started.elapsed();
    let status = String::from_utf8_lossy(&purge.get_output().stderr).into_owned();
    if took >= Duration::from_secs(4) {
        problems.push(format!("db purge took {took:?}"));
    }
    if status.contains("kept the database busy") || !status.contains("replicated by Litestream") {
        problems.push(format!("db purge said: {status}"));
    }
    let backup = env.path("backup.db");
    kezek(&["db", "backup", &backup.display().to_string()]);
    let args = register_args(0, 4);
    kezek(&args.iter().map(String::as_str).collect::<Vec<_>>());
    // Everything reaches the replica in the generation Litestream began with.
    let restored = env.path("restored.db");
    restore_caught_up(&litestream, &restored);
    litestream.kill();
    let generations = litestream.count("new generation");
    if generations != 1 {
        problems.push(format!(
            "Litestream began {generations} generations:\n{}",
            litestream.log_text()
        ));
    }
    for db in [&restored, &backup] {
        let (code, err) = kezek_on_outcome(&env, db, &["db", "check"]);
        if code != 0 {
            problems.push(format!("db check of {}: {err}", db.display()));
        }
    }
    problems
}

/// The exit code and stderr of `kezek ARGS` on another database file.
fn kezek_on_outcome(env: &TestEnv, db: &Path, args: &[&str]) -> (i32, String) {
    let out = env
        .cmd()
        .env("KEZEK_DB", db)
        .args(args)
        .output()
        .expect("run kezek");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn r_o1_db_purge_and_db_backup_under_litestream_never_wait_on_it_nor_make_it_start_over() {
    let Some(bin) = litestream() else { return };
    let problems = purge_and_backup_under_litestream(&bin, None);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The broken variant: with `checkpoints-under-litestream` kezek checkpoints as if nobody replicated the
/// database, and the same checks catch it.
#[test]
fn r_o1_the_replication_checks_catch_kezek_checkpointing_under_litestream() {
    let Some(bin) = litestream() else { return };
    let problems = purge_and_backup_under_litestream(&bin, Some("checkpoints-under-litestream"));
    say(format!(
        "replication broken variant: {} problems found: {problems:?}",
        problems.len()
    ));
    assert!(
        problems.iter().any(|p| p.starts_with("db purge")),
        "the broken variant went unnoticed: {problems:#?}"
    );
}

#[test]
fn r_o1_the_officers_drill_checks_the_database_a_backup_and_the_replica() {
    let Some(bin) = litestream() else { return };
    let env = office();
    let replica = env.path("replica");
    let litestream = Replicator::start(&bin, &env.db, &replica, "100ms");
    for serial in 1..=3 {
        env.kezek_args(register_args(2, serial)).success();
    }
    let head = env.write("latest.txt", &env.stdout(&["audit", "head"]));
    restore_caught_up(&litestream, &env.path("caught-up.db"));
    let drill = |work: &str| {
        Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ops/drill.sh"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("KEZEK_BIN", assert_cmd::cargo::cargo_bin("kezek"))
            .env("LITESTREAM_BIN", &bin)
            .arg("--db")
            .arg(&env.db)
            .arg("--config")
            .arg(env.path("litestream.yml"))
            .arg("--head")
            .arg(&head)
            .arg("--work")
            .arg(env.path(work))
            .output()
            .expect("run drill.sh")
    };
    let passed = drill("drill");
    let out = String::from_utf8_lossy(&passed.stdout);
    assert!(
        passed.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&passed.stderr)
    );
    for step in [
        "drill 1: the database passes db check",
        "drill 2: the backup",
        "drill 3: the replica passes db check",
        "drill 3: the replica reaches seq",
    ] {
        assert!(out.contains(step), "{step:?} missing from:\n{out}");
    }
    // A database edited behind kezek's back fails the first step, and the drill stops there.
    env.conn()
        .execute("UPDATE application SET child_name = 'Подменённое Имя'", [])
        .unwrap();
    let failed = drill("drill-after-edit");
    assert_eq!(failed.status.code(), Some(1), "{failed:?}");
    assert!(String::from_utf8_lossy(&failed.stderr).contains("drill 1: FAILED"));
}

#[test]
fn r_o1_litestream_s_tables_without_litestream_pass_the_audit_and_the_log_is_still_folded_in() {
    let env = office();
    let conn = env.conn();
    for (_, sql) in kezek::store::replication::LITESTREAM_TABLES {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute("INSERT INTO _litestream_seq (id, seq) VALUES (1, 1)", [])
        .unwrap();
    drop(conn);
    for serial in 1..=5 {
        env.kezek_args(register_args(1, serial)).success();
        // No commit checkpoints on a replicated database, but the last connection's close does.
        let wal = std::fs::metadata(sidecar(&env.db, "-wal")).map_or(0, |m| m.len());
        assert_eq!(wal, 0, "the write-ahead log was left with {wal} bytes");
    }
    env.kezek(&["db", "check"]).success();
    env.kezek(&["audit", "verify"]).success();

    // An index on Litestream's table is not Litestream's: the audit names it.
    env.conn()
        .execute_batch("CREATE INDEX _litestream_lock_id ON _litestream_lock (id)")
        .unwrap();
    let refused = env.kezek(&["db", "check"]).code(65);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        err.contains("index _litestream_lock_id is not kezek's")
            && !err.contains("table _litestream"),
        "{err}"
    );
}

/// The figure of the README: while `application import` loads 100,000 rows in one transaction, an officer
/// publishes a place every quarter second; each acknowledged command's lag to the replica is measured, with
/// Litestream's default intervals (1 s). A measurement, not a check: run it with
/// `cargo test --release --test suites replication::r_o1_replication_lag -- --ignored --nocapture`.
#[test]
#[ignore]
fn r_o1_replication_lag_while_an_import_runs() {
    let Some(bin) = litestream() else { return };
    let rows: u64 = std::env::var("KEZEK_LAG_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let env = office();
    let csv = env.path("applications.csv");
    let mut out = Vec::new();
    kezek::generate::applications(&mut out, 7, rows, kezek::generate::default_now())
        .expect("generated applications");
    std::fs::write(&csv, out).unwrap();
    let replica = env.path("replica");
    let mut litestream = Replicator::start(&bin, &env.db, &replica, "1s");
    let probe = LagProbe::new(&env.db);
    let office = Office {
        bin: assert_cmd::cargo::cargo_bin("kezek"),
        env: &env,
        keys: officer_ids().map(|o| (o, env.key(o).0)).collect(),
        stop: AtomicBool::new(false),
        probe: &probe,
    };
    let litestream_ref = &litestream;
    let (acks, import_took) = std::thread::scope(|s| {
        let office = &office;
        let watcher = s.spawn(move || {
            while !office.stop.load(Ordering::SeqCst) {
                office.probe.watch();
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        let prober = s.spawn(move || {
            let mut acks = Vec::new();
            let args: Vec<String> = "place publish --org DS-001 --group-year 2022 --language ru --count 1 --format json"
                .split(' ')
                .map(String::from)
                .collect();
            while !office.stop.load(Ordering::SeqCst) {
                if let Some((0, _, _)) = office.run(Some("sadykov"), &args) {
                    acks.push((Instant::now(), office.probe.position()));
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            acks
        });
        std::thread::sleep(Duration::from_secs(2));
        let started = Instant::now();
        let import = office.run(
            Some("ivanova"),
            &["application", "import", &csv.display().to_string()].map(String::from),
        );
        assert!(matches!(import, Some((0, ..))), "{import:?}");
        let imported = (Instant::now(), office.probe.position());
        let took = started.elapsed();
        // Until the import's last frame is in the replica (at most three minutes), and five seconds more.
        let shipped = || {
            imported
                .1
                .and_then(|p| office.probe.lag(imported.0, p, &litestream_ref.segments()))
                .is_some()
        };
        while !shipped() && imported.0.elapsed() < Duration::from_secs(180) {
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_secs(5));
        office.stop.store(true, Ordering::SeqCst);
        watcher.join().unwrap();
        (prober.join().unwrap(), (took, imported))
    });
    let (import_took, (imported_at, imported_position)) = import_took;
    litestream.kill();
    for line in litestream.log.lock().unwrap().iter() {
        if [
            "new generation",
            "snapshot written",
            "level=ERROR",
            "level=WARN",
        ]
        .iter()
        .any(|w| line.text.contains(w))
        {
            say(format!(
                "  {:+.2} s {}",
                secs_between(imported_at, line.at),
                line.text
            ));
        }
    }
    let segments = litestream.segments();
    let import_lag = imported_position.and_then(|p| probe.lag(imported_at, p, &segments));
    // The probes acknowledged from the import's end on: each waited for the import's frames to be shipped.
    let unmeasured: Vec<String> = acks
        .iter()
        .filter(|(at, p)| p.and_then(|p| probe.lag(*at, p, &segments)).is_none())
        .map(|(at, _)| format!("{:+.2} s", secs_between(imported_at, *at)))
        .collect();
    let mut lags: Vec<Duration> = acks
        .iter()
        .filter_map(|(at, position)| probe.lag(*at, (*position)?, &segments))
        .collect();
    let mut lags_after: Vec<Duration> = acks
        .iter()
        .filter(|(at, _)| *at >= imported_at)
        .filter_map(|(at, position)| probe.lag(*at, (*position)?, &segments))
        .collect();
    let wal_bytes: u64 = segments.iter().map(|(_, s)| s.end).max().unwrap_or(0);
    say(format!(
        "replication lag while importing {rows} applications ({:.1} s, the log {:.0} MB): the import's own \
         frames in the replica {} after it was acknowledged; place publish every 250 ms: {}; of those \
         acknowledged after the import: {}; {} probes acknowledged, not measured: {unmeasured:?} (from the \
         import's end)",
        import_took.as_secs_f64(),
        wal_bytes as f64 / 1e6,
        import_lag.map_or("never".to_string(), |d| format!("{} ms", d.as_millis())),
        spread(&mut lags),
        spread(&mut lags_after),
        acks.len(),
    ));
}
