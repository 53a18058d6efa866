//! The benchmark: kezek against SQLite's own shell on the same data, schema and pragmas, in the same run.
//!
//! `cargo run --release --example bench -- [--size 100k|1m|10m | --applications FILE] [--runs 5] [--json FILE]
//! [--ops import,lookup,...] [--log-cost]`
//!
//! The operations: import, lookup, find, offer, sweep, stats, verify, list, publish, proof, audit-public,
//! explain (`public` names the last four), allocate, integrity. `--ops` measures only the operations named;
//! without `import` it starts from the database the last run imported (kept as `target/bench-SIZE/imported.db`).
//!
//! Each changing operation (import, offer, sweep, allocate) has two baselines: sqlite3 doing the minimal SQL, and
//! sqlite3 writing the same rows kezek wrote (`samework.rs`). Every kezek run of a second or more runs under
//! `/usr/bin/time` for its peak RSS; the millisecond commands get one more run for it.
//!
//! It builds the kezek binary, generates a seeded synthetic city (printing the SHA-256 of each file), and
//! measures each operation next to its baseline, the median of `--runs` runs, as wall time of whole processes.
//! Without `sqlite3` on PATH it says how to install it and measures kezek alone.
//!
//! `--log-cost` measures what the public log (R-V1) costs each changing operation: kezek is built with the
//! `faults` feature, and each of its runs of import, offer and sweep alternates with a run on the same data with
//! `KEZEK_FAULT=no-public-record` (events written without their public record and Merkle leaf, as before the
//! log), so both are the same binary on the same machine at the same hour.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use kezek::crypto::PrivateKey;

mod choice;
mod integrity;
mod samework;

struct Args {
    size: u64,
    /// An applications file the benchmark did not generate (`--applications FILE`), measured instead of the
    /// seeded city's; its rows are the size, and its runs keep their files in `target/bench-STEM`.
    applications: Option<PathBuf>,
    runs: usize,
    json: Option<PathBuf>,
    ops: Option<Vec<String>>,
    log_cost: bool,
}

impl Args {
    fn wants(&self, op: &str) -> bool {
        const PUBLIC: [&str; 4] = ["publish", "proof", "audit-public", "explain"];
        self.ops.as_ref().is_none_or(|o| {
            o.iter()
                .any(|x| x == op || (x == "public" && PUBLIC.contains(&op)))
        })
    }
}

fn args() -> Args {
    let all: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        all.iter()
            .position(|a| a == flag)
            .and_then(|i| all.get(i + 1))
            .cloned()
    };
    let applications = value("--applications").map(PathBuf::from);
    let size = match &applications {
        Some(file) => csv::Reader::from_path(file)
            .unwrap_or_else(|e| panic!("--applications {}: {e}", file.display()))
            .into_records()
            .count() as u64,
        None => {
            let size = value("--size")
                .unwrap_or_else(|| "100k".into())
                .to_lowercase();
            match size.strip_suffix('m') {
                Some(millions) => millions.parse::<u64>().map(|m| m * 1_000_000),
                None => size.replace('k', "000").parse(),
            }
            .expect("--size 100k|1m|10m or a number")
        }
    };
    Args {
        size,
        applications,
        runs: value("--runs").and_then(|v| v.parse().ok()).unwrap_or(5),
        json: value("--json").map(PathBuf::from),
        ops: value("--ops").map(|v| v.split(',').map(|o| o.trim().to_string()).collect()),
        log_cost: all.iter().any(|a| a == "--log-cost"),
    }
}

const NOW: &str = "2026-03-16T11:00";

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().expect("run a command");
    if !out.status.success() {
        panic!(
            "{:?} failed: {}{}",
            cmd,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// Wall time of a command in seconds, and its peak RSS in MB when /usr/bin/time is there.
fn timed(cmd: &mut Command) -> (f64, Option<f64>) {
    let start = Instant::now();
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    let secs = start.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{:?}: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    let rss = String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| {
            l.strip_prefix("peak_rss_kb=")
                .and_then(|v| v.trim().parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0);
    (secs, rss)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

struct Bench {
    kezek: PathBuf,
    dir: PathBuf,
    key: PathBuf,
    public: PathBuf,
    sqlite3: bool,
    time_v: bool,
    /// Whether each changing operation is also run without its public record (`--log-cost`).
    log_cost: bool,
}

impl Bench {
    /// kezek as the officer `bench`, run directly like its baseline.
    fn kezek(&self, db: &Path) -> Command {
        self.kezek_via(db, false)
    }

    /// kezek under `/usr/bin/time`, which reports its peak RSS (the commands that take a second or more: the
    /// wrapper's own fork and exec would be timed too, which matters for the commands that take milliseconds;
    /// those get one more run for it).
    fn kezek_with_rss(&self, db: &Path) -> Command {
        self.kezek_via(db, self.time_v)
    }

    fn kezek_via(&self, db: &Path, time_v: bool) -> Command {
        let mut cmd = if time_v {
            let mut c = Command::new("/usr/bin/time");
            c.args(["-f", "peak_rss_kb=%M"]).arg(&self.kezek);
            c
        } else {
            Command::new(&self.kezek)
        };
        cmd.env_clear()
            .env("KEZEK_DB", db)
            .env("KEZEK_NOW", NOW)
            .env("KEZEK_OFFICER", "bench")
            .env("KEZEK_KEY", &self.key)
            .arg("--quiet");
        cmd
    }

    /// Runs of a changing operation in rounds, each kezek run on a fresh copy of its database made by
    /// `prepare`: with `--log-cost` kezek without the public log first, then kezek (so that the copy its round
    /// leaves is kezek's own), then the baselines, `baselines` timing each once after kezek's run. A slower
    /// minute of a shared machine so slows every column alike rather than one of them. The medians.
    fn changing_runs(
        &self,
        runs: usize,
        prepare: impl Fn(),
        kezek: impl Fn() -> Command,
        mut baselines: impl FnMut() -> Vec<f64>,
    ) -> Turns {
        let mut without = Vec::new();
        let mut with = Vec::new();
        let mut columns: Vec<Vec<f64>> = Vec::new();
        for _ in 0..runs {
            if self.log_cost {
                prepare();
                without.push(timed(kezek().env("KEZEK_FAULT", "no-public-record")).0);
            }
            prepare();
            with.push(timed(&mut kezek()));
            for (i, t) in baselines().into_iter().enumerate() {
                if columns.len() <= i {
                    columns.push(Vec::new());
                }
                columns[i].push(t);
            }
        }
        Turns {
            kezek: median_rss(with),
            without_log: self.log_cost.then(|| median(without)),
            baselines: columns.into_iter().map(median).collect(),
        }
    }

    fn sqlite(&self, db: &Path, sql: &str) -> Command {
        let mut cmd = Command::new("sqlite3");
        cmd.arg(db).arg(sql);
        cmd
    }

    /// A kezek database with the officer and the organizations, not timed.
    fn fresh(&self, db: &Path) {
        remove_db(db);
        run(self.kezek(db).arg("init"));
        run(self
            .kezek(db)
            .env_remove("KEZEK_OFFICER")
            .args([
                "officer",
                "add",
                "--id",
                "bench",
                "--name",
                "Bench",
                "--district",
                "Алмалинский",
                "--public-key",
            ])
            .arg(&self.public));
        run(self
            .kezek(db)
            .args(["org", "import"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/orgs.csv")));
    }
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

fn copy_db(from: &Path, to: &Path) {
    let conn = rusqlite::Connection::open(from).expect("open");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    drop(conn);
    remove_db(to);
    std::fs::copy(from, to).expect("copy the database");
    // The copy's pages are written out before the timed command starts: a commit's fsync would otherwise wait
    // for the whole file's write-back and time the copy, not the command.
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .expect("sync the copy");
}

/// Renames a database (checkpointed first), so that the copy it came from can be reused without a second one.
fn move_db(from: &Path, to: &Path) {
    let conn = rusqlite::Connection::open(from).expect("open");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    drop(conn);
    remove_db(to);
    std::fs::rename(from, to).expect("rename the database");
    remove_db(from);
}

struct Op {
    name: &'static str,
    kezek: f64,
    /// kezek's peak RSS in MB, the largest of its runs, when /usr/bin/time is there.
    rss: Option<f64>,
    /// sqlite3 doing the minimal SQL.
    baseline: Option<f64>,
    /// sqlite3 writing the rows kezek wrote (the changing operations, `samework.rs`).
    samework: Option<f64>,
    /// kezek without the public log (`--log-cost`, the changing operations).
    without_log: Option<f64>,
}

impl Op {
    fn new(name: &'static str, (kezek, rss): (f64, Option<f64>), baseline: Option<f64>) -> Op {
        Op {
            name,
            kezek,
            rss,
            baseline,
            samework: None,
            without_log: None,
        }
    }
}

/// The medians of a changing operation's rounds (`Bench::changing_runs`).
struct Turns {
    kezek: (f64, Option<f64>),
    without_log: Option<f64>,
    /// Each baseline's, in the order they ran in a round.
    baselines: Vec<f64>,
}

/// The median of the runs' times, and the largest of their peak RSS.
fn median_rss(runs: Vec<(f64, Option<f64>)>) -> (f64, Option<f64>) {
    let rss = runs.iter().filter_map(|r| r.1).reduce(f64::max);
    (median(runs.into_iter().map(|r| r.0).collect()), rss)
}

/// What sqlite3 runs next to a changing operation: `minimal` in a transaction; and the same work: `state` (the
/// statements that change the rows kezek changes) and the rows kezek's run wrote to every table but `skip`. Both
/// may read kezek's finished database as `d`.
struct Sql<'a> {
    minimal: &'a str,
    state: &'a str,
    skip: &'a [&'a str],
}

/// A changing operation measured three ways, each run from a fresh copy of `template`: kezek (`kezek`, given the
/// copy) and the two baselines of `sql`. Removes its copies and `template` when done.
fn changing(
    b: &Bench,
    name: &'static str,
    template: &Path,
    runs: usize,
    kezek: impl Fn(&Path) -> Command,
    sql: Sql,
) -> Op {
    let Sql {
        minimal,
        state,
        skip,
    } = sql;
    let work = b.dir.join(format!("{name}.db"));
    let done = b.dir.join(format!("{name}-done.db"));
    let minimal = format!(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; ATTACH '{}' AS d; BEGIN IMMEDIATE;\n{minimal}\nCOMMIT;",
        done.display()
    );
    // The same work is the rows kezek's run wrote: its script is made once, from the first round's.
    let mut same: Option<samework::Script> = None;
    let turns = b.changing_runs(
        runs,
        || copy_db(template, &work),
        || kezek(&work),
        || {
            if !b.sqlite3 {
                return Vec::new();
            }
            // Every round's kezek leaves the same rows (a pinned clock, deterministic signatures).
            move_db(&work, &done);
            let same = same.get_or_insert_with(|| {
                let same = samework::script(template, &done, skip, state, false, None);
                println!(
                    "{name}, same work: sqlite3 writes {} and copies {}",
                    skip.join(", "),
                    samework::describe(&same.copied)
                );
                same
            });
            [&minimal, &same.sql]
                .into_iter()
                .map(|sql| {
                    copy_db(template, &work);
                    timed(&mut b.sqlite(&work, sql)).0
                })
                .collect()
        },
    );
    let mut op = Op::new(name, turns.kezek, turns.baselines.first().copied());
    op.without_log = turns.without_log;
    op.samework = turns.baselines.get(1).copied();
    if b.sqlite3 {
        // The last round's same work is in `work`.
        let differ = samework::differences(&work, &done, skip);
        if differ.is_empty() {
            println!("{name}, same work: its {} equal kezek's", skip.join(", "));
        } else {
            println!(
                "{name}, same work: WARNING: rows differ from kezek's: {}",
                samework::describe(&differ)
            );
        }
    }
    for db in [&work, &done, template] {
        remove_db(db);
    }
    op
}

fn main() {
    let a = args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    eprintln!("building kezek (release)...");
    run(Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["build", "--release", "--bin", "kezek", "--quiet"])
        .args(if a.log_cost {
            &["--features", "faults"][..]
        } else {
            &[]
        }));
    // The binary cargo just built, wherever the target directory is.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let kezek = target.join("release/kezek");
    let dir = match &a.applications {
        Some(file) => target.join(format!(
            "bench-{}",
            file.file_stem().and_then(|s| s.to_str()).unwrap_or("file")
        )),
        None => target.join(format!("bench-{}", a.size)),
    };
    std::fs::create_dir_all(&dir).expect("the bench directory");
    let sqlite3 = Command::new("sqlite3").arg("-version").output().is_ok();
    if !sqlite3 {
        eprintln!("sqlite3 is not on PATH: install it with `apt-get install sqlite3` to measure the baselines; measuring kezek alone");
    }
    let time_v = Path::new("/usr/bin/time").exists();

    // The data: the file given, or the seeded city's (the same bytes on every machine).
    let apps = match &a.applications {
        Some(file) => file.clone(),
        None => dir.join("applications.csv"),
    };
    if a.wants("import") && a.applications.is_none() {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&apps).expect("create"));
        kezek::generate::applications(&mut w, 1, a.size, kezek::generate::default_now())
            .expect("generate");
    }
    let (len, sha) =
        kezek::csvfile::digest_file(&apps).expect("applications.csv (run the import first)");
    println!(
        "{}: {} rows, {len} bytes, sha256 {sha}",
        apps.file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("applications"),
        a.size
    );

    let key_dir = dir.join("keys");
    // A new officer key for a new database; a run without the import signs with the key of the one it reuses.
    if a.wants("import") {
        let _ = std::fs::remove_dir_all(&key_dir);
        PrivateKey::generate(2048)
            .expect("a key")
            .write_pair(&key_dir)
            .expect("write the key pair");
    }
    let b = Bench {
        kezek,
        key: key_dir.join("officer.key"),
        public: key_dir.join("officer.pub"),
        dir: dir.clone(),
        sqlite3,
        time_v,
        log_cost: a.log_cost,
    };
    let mut ops: Vec<Op> = Vec::new();

    // The imported database: the import's, or the one the last import left. The operations after it read it
    // or work on copies of it.
    let db = b.dir.join("imported.db");
    if a.wants("import") {
        ops.push(import(&b, &apps, &db, a.runs));
    }
    assert!(
        db.exists(),
        "{} does not exist: run the import first (--ops import, or no --ops)",
        db.display()
    );
    let size_bytes = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);

    // The worst-placed child: the last general application of the largest queue.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let (qt, gy): (String, i64) = conn
        .query_row("SELECT queue_type, group_year FROM queue_day GROUP BY 1, 2 ORDER BY sum(waiting) DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("the largest queue");
    let (number, iin): (String, String) = conn
        .query_row(
            "SELECT number, child_iin FROM application WHERE queue_type = ?1 AND group_year = ?2 AND priority_class = 'general'
             ORDER BY registered_unix DESC, number DESC LIMIT 1",
            rusqlite::params![qt, gy],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the tail");
    drop(conn);
    let point = format!("SELECT * FROM application WHERE child_iin = '{iin}'");
    for (name, args) in [
        (
            "lookup",
            vec!["application", "show", number.as_str(), "--format", "json"],
        ),
        (
            "find",
            vec![
                "application",
                "find",
                "--iin",
                iin.as_str(),
                "--format",
                "json",
            ],
        ),
    ] {
        if !a.wants(name) {
            continue;
        }
        // Runs of kezek and of the baseline alternate, so that whatever else the machine does in those
        // milliseconds falls on both alike.
        let (mut k_runs, mut s_runs) = (Vec::new(), Vec::new());
        for _ in 0..a.runs * 3 {
            k_runs.push(timed(b.kezek(&db).args(&args)).0);
            if b.sqlite3 {
                s_runs.push(
                    timed(
                        Command::new("sqlite3")
                            .arg("-readonly")
                            .arg(&db)
                            .arg(&point),
                    )
                    .0,
                );
            }
        }
        let rss = timed(b.kezek_with_rss(&db).args(&args)).1;
        ops.push(Op::new(
            name,
            (median(k_runs), rss),
            b.sqlite3.then(|| median(s_runs)),
        ));
    }

    if a.wants("offer") {
        ops.push(offer(&b, &db, a.runs, &qt, gy));
    }
    if a.wants("sweep") {
        ops.push(sweep(&b, &db, a.size, a.runs));
    }

    // stats and verify over the whole database.
    if a.wants("stats") {
        let k = median_rss(
            (0..a.runs)
                .map(|_| timed(b.kezek_with_rss(&db).args(["stats", "--format", "csv"])))
                .collect(),
        );
        let s = b.sqlite3.then(|| median((0..a.runs).map(|_| timed(Command::new("sqlite3").arg("-readonly").arg("-csv").arg(&db).arg(
        "SELECT queue_type, group_year, priority_class, count(*) FROM application WHERE status IN ('queued','notified','stop_listed') GROUP BY 1, 2, 3")).0).collect()));
        ops.push(Op::new("stats", k, s));
    }

    let events: f64 = rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.query_row("SELECT count(*) FROM journal_row", [], |r| {
                r.get::<_, i64>(0)
            })
        })
        .expect("count") as f64;
    if a.wants("verify") {
        let k = median_rss(
            (0..a.runs)
                .map(|_| timed(b.kezek_with_rss(&db).args(["audit", "verify"])))
                .collect(),
        );
        let s = b.sqlite3.then(|| median((0..a.runs).map(|_| timed(Command::new("sqlite3").arg("-readonly").arg(&db).arg(
        "SELECT count(*), sum(length(hash)) FROM journal; SELECT count(*), sum(length(digest)) FROM journal_row;")).0).collect()));
        ops.push(Op::new("verify", k, s));
    }

    // A list of every application (R-L4): `application list --format csv` next to sqlite3 writing the same
    // columns in queue order, its peak RSS, and how soon `| head -1` has its line.
    let mut first_line = None;
    if a.wants("list") {
        let k = median_rss(
            (0..a.runs)
                .map(|_| {
                    timed(
                        b.kezek_with_rss(&db)
                            .args(["application", "list", "--format", "csv"]),
                    )
                })
                .collect(),
        );
        let s = b.sqlite3.then(|| median((0..a.runs).map(|_| timed(Command::new("sqlite3").arg("-readonly").arg("-csv").arg("-header").arg(&db).arg(
            "SELECT number, status, queue_type, group_year, priority_class, category, NULL AS queue_position, \
             NULL AS class_position, registered_at, expired_count, stop_list_until, removed_reason, \
             substr(child_iin, 1, 6) || '*****' || substr(child_iin, 12) AS child_iin, district, language \
             FROM application ORDER BY queue_type, group_year, priority_class, registered_unix, number")).0).collect()));
        ops.push(Op::new("list (csv)", k, s));
        first_line = Some(median(
            (0..a.runs)
                .map(|_| {
                    use std::io::BufRead;
                    let start = Instant::now();
                    let mut child = b
                        .kezek(&db)
                        .args(["application", "list", "--format", "csv"])
                        .stdout(Stdio::piped())
                        .stderr(Stdio::null())
                        .spawn()
                        .expect("run kezek");
                    let mut line = String::new();
                    std::io::BufReader::new(child.stdout.take().expect("stdout"))
                        .read_line(&mut line)
                        .expect("a first line");
                    let secs = start.elapsed().as_secs_f64();
                    let _ = child.wait();
                    secs
                })
                .collect(),
        ));
    }

    let public_rate = public(&a, &b, &db, events, &mut ops);

    if a.wants("allocate") {
        choice::measure(&b, &db, a.runs, &mut ops);
    }
    if a.wants("integrity") {
        integrity::measure(&b, &db, a.runs, &mut ops);
    }

    // The table.
    let secs = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.3}"));
    let ratio = |k: f64, x: Option<f64>| x.map_or("-".to_string(), |x| format!("{:.2}", k / x));
    println!("\n| op | kezek s | kezek peak RSS MB | minimal SQL s | ratio | same work s | ratio |\n|---|---|---|---|---|---|---|");
    for op in &ops {
        println!(
            "| {} | {:.3} | {} | {} | {} | {} | {} |",
            op.name,
            op.kezek,
            op.rss.map_or("-".to_string(), |r| format!("{r:.0}")),
            secs(op.baseline),
            ratio(op.kezek, op.baseline),
            secs(op.samework),
            ratio(op.kezek, op.samework),
        );
    }
    if a.log_cost {
        println!(
            "\n| op | kezek s | without the public log s | the log's cost |\n|---|---|---|---|"
        );
        for op in &ops {
            if let Some(without) = op.without_log {
                println!(
                    "| {} | {:.3} | {without:.3} | {:+.0}% |",
                    op.name,
                    op.kezek,
                    (op.kezek / without - 1.0) * 100.0
                );
            }
        }
    }
    let per_app = size_bytes as f64 / a.size as f64;
    let verify_rate = ops
        .iter()
        .find(|o| o.name == "verify")
        .map(|o| events / o.kezek);
    if let Some(rate) = verify_rate {
        println!("\njournaled rows verified per second: {rate:.0}");
    }
    if let Some(first) = first_line {
        println!(
            "application list --format csv: first line of `| head -1` after {:.1} ms",
            first * 1000.0
        );
    }
    if let Some(rate) = public_rate {
        println!("public rows checked per second by `audit public`: {rate:.0}");
    }
    let peak_rss = ops.iter().filter_map(|o| o.rss).reduce(f64::max);
    if let Some(rss) = peak_rss {
        println!("largest peak RSS of a kezek command: {rss:.0} MB");
    }
    println!("database: {per_app:.0} bytes per application");
    if let Some(path) = &a.json {
        let mut ops_json = serde_json::Map::new();
        for op in &ops {
            ops_json.insert(
                op.name.into(),
                serde_json::json!({
                    "kezek_s": op.kezek,
                    "peak_rss_mb": op.rss,
                    "baseline_s": op.baseline,
                    "ratio": op.baseline.map(|b| op.kezek / b),
                    "samework_s": op.samework,
                    "samework_ratio": op.samework.map(|b| op.kezek / b),
                    "without_log_s": op.without_log,
                }),
            );
        }
        let report = serde_json::json!({
            "size": a.size,
            "runs": a.runs,
            "ops": ops_json,
            "verify_events_per_s": verify_rate,
            "audit_public_rows_per_s": public_rate,
            "list_csv_first_line_s": first_line,
            "peak_rss_mb": peak_rss,
            "bytes_per_application": per_app,
        });
        std::fs::write(path, serde_json::to_string_pretty(&report).expect("JSON"))
            .expect("write --json");
        println!("figures written to {}", path.display());
    }
}

/// import: validated and journaled, into a database with the officer and the organizations. Baselines: sqlite3
/// `.import` into an unindexed table of the CSV's columns, then as many indexes as kezek's application table
/// (sqlite3 at its best); and sqlite3 writing the rows kezek wrote, indexes and triggers built after the load.
fn import(b: &Bench, apps: &Path, db: &Path, runs: usize) -> Op {
    let start = b.dir.join("import-start.db");
    b.fresh(&start);
    let base = b.dir.join("baseline.db");
    let work = b.dir.join("import-samework.db");
    let minimal = || {
        remove_db(&base);
        run(&mut b.sqlite(&base, BASELINE_TABLE));
        let started = Instant::now();
        run(Command::new("sqlite3")
            .arg(&base)
            .args([
                "-cmd",
                "PRAGMA synchronous=FULL",
                "-cmd",
                "PRAGMA foreign_keys=ON",
                "-cmd",
                &format!("PRAGMA cache_size=-{}", kezek::store::db::BULK_CACHE_KIB),
                "-cmd",
                "PRAGMA threads=2",
                "-cmd",
                &format!(".import --csv {} application_csv", apps.display()),
            ])
            .arg(BASELINE_INDEXES));
        let secs = started.elapsed().as_secs_f64();
        remove_db(&base);
        secs
    };
    // The same work is the rows kezek's import wrote (each round's alike), read in the file's order: on the first
    // round sqlite3 loads them both as they come and sorted, and the quicker way is the baseline's from then on.
    let order = b.dir.join("import-file-order.db");
    let mut same: Option<samework::Script> = None;
    let turns = b.changing_runs(
        runs,
        || copy_db(&start, db),
        || {
            let mut cmd = b.kezek_with_rss(db);
            cmd.args(["application", "import"]).arg(apps);
            cmd
        },
        || {
            if !b.sqlite3 {
                return Vec::new();
            }
            let minimal = minimal();
            let load = |script: &samework::Script| {
                copy_db(&start, &work);
                timed(&mut b.sqlite(&work, &script.sql)).0
            };
            let secs = match &same {
                Some(script) => load(script),
                None => {
                    let mut file = samework::FileOrder::write(apps, db, &order);
                    let as_they_come = samework::script(&start, db, &[], "", true, Some(&file));
                    file.sorted = true;
                    let sorted = samework::script(&start, db, &[], "", true, Some(&file));
                    let (come, sort) = (load(&as_they_come), load(&sorted));
                    let (script, secs, how) = if sort < come {
                        (sorted, sort, "sorted by each table's key first")
                    } else {
                        (as_they_come, come, "as they come")
                    };
                    println!(
                        "import, same work: sqlite3 loads {}, in the file's order, {how} ({come:.3} s as they come, {sort:.3} s sorted)",
                        samework::describe(&script.copied)
                    );
                    same = Some(script);
                    secs
                }
            };
            vec![minimal, secs]
        },
    );
    remove_db(&work);
    remove_db(&order);
    let mut op = Op::new("import", turns.kezek, turns.baselines.first().copied());
    op.without_log = turns.without_log;
    op.samework = turns.baselines.get(1).copied();
    op
}

/// offer: 2,000 places of the largest queue over the whole queue.
fn offer(b: &Bench, db: &Path, runs: usize, qt: &str, gy: i64) -> Op {
    let places = b.dir.join("places.csv");
    let mut rows = String::from("org_code,group_year,language,place_type,count,release_date\n");
    for i in 1..=32 {
        rows.push_str(&format!(
            "DS-{i:03},{gy},{},regular,{},2026-03-16\n",
            if i % 2 == 0 { "kk" } else { "ru" },
            2000 / 32 + usize::from(i <= 2000 % 32)
        ));
    }
    std::fs::write(&places, rows).expect("places.csv");
    let (plen, psha) = kezek::csvfile::digest_file(&places).expect("digest");
    println!("places.csv: 2000 places, {plen} bytes, sha256 {psha}");
    let template = b.dir.join("offer-template.db");
    copy_db(db, &template);
    run(b.kezek(&template).args(["place", "import"]).arg(&places));
    let state = format!(
        "INSERT INTO offer_round (queue_type, group_year, held_at, opens_at, closes_at, places, notified)
           VALUES ('{qt}', {gy}, '{NOW}', '{NOW}', '{NOW}', 2000, 2000);
         UPDATE application SET status = 'notified', offer_round = last_insert_rowid() WHERE number IN (
           SELECT number FROM application WHERE queue_type = '{qt}' AND group_year = {gy} AND status = 'queued'
           ORDER BY CASE priority_class WHEN 'out_of_turn' THEN 0 ELSE 1 END, registered_unix, number LIMIT 2000);
         UPDATE place SET status = 'offered', offer_round = (SELECT max(id) FROM offer_round)
           WHERE status = 'free' AND group_year = {gy};"
    );
    changing(
        b,
        "offer",
        &template,
        runs,
        |work| {
            let mut cmd = b.kezek_with_rss(work);
            cmd.arg("offer");
            cmd
        },
        Sql {
            minimal: &state,
            state: OFFER_STATE,
            skip: &["application", "place", "offer_round", "queue_day"],
        },
    )
}

/// sweep: 10% of the issued directions expire, a tenth of the applications having one (1,000,000 issued at
/// 10,000,000 applications). The directions are seeded with SQL on a copy (signing them would take hours and is
/// not what is measured); the sweep does its whole work on them.
fn sweep(b: &Bench, db: &Path, size: u64, runs: usize) -> Op {
    let issued = (size / 10).max(1000);
    let expiring = issued / 10;
    let template = b.dir.join("sweep-template.db");
    copy_db(db, &template);
    rusqlite::Connection::open(&template)
        .and_then(|conn| conn.execute_batch(&format!(
            "BEGIN;
             CREATE TEMP TABLE chosen AS SELECT number, group_year, row_number() OVER (ORDER BY number) AS n
               FROM application WHERE status = 'queued' AND queue_type = 'general' LIMIT {issued};
             INSERT INTO place (org, group_year, language, place_type, release_date, status, published_at)
               SELECT 'DS-001', group_year, 'ru', 'regular', '2026-03-16', 'directed', '{NOW}' FROM chosen ORDER BY n;
             INSERT INTO direction (number, application, place_id, status, issued_at, valid_until, officer, signed_by,
                 document, signature)
               SELECT printf('NAP.2026.%06d', n), number,
                 (SELECT max(id) FROM place) - {issued} + n, 'issued', '2026-03-16T11:00:00+05:00',
                 CASE WHEN n <= {expiring} THEN '2026-03-20' ELSE '2026-04-30' END, 'bench', 'bench', 'seeded', x'00'
               FROM chosen;
             UPDATE application SET status = 'directed' WHERE number IN (SELECT number FROM chosen);
             COMMIT;"
        )))
        .expect("seed the directions");
    println!("sweep: {expiring} of {issued} issued directions expire");
    changing(
        b,
        "sweep",
        &template,
        runs,
        |work| {
            let mut cmd = b.kezek_with_rss(work);
            cmd.args(["--now", "2026-03-27T01:30", "sweep", "--date", "2026-03-27"]);
            cmd
        },
        Sql {
            minimal: "UPDATE application SET status = 'stop_listed', stop_list_until = '2026-04-09',
           expired_count = expired_count + 1
         WHERE number IN (SELECT application FROM direction WHERE status = 'issued' AND valid_until < '2026-03-27');
         UPDATE direction SET status = 'expired', closed_at = '2026-03-27T01:30:00+05:00'
         WHERE status = 'issued' AND valid_until < '2026-03-27';",
            state: SWEEP_STATE,
            skip: &["application", "direction", "place", "queue_day"],
        },
    )
}

/// The public log (R-V3..R-V7): publish the whole log into an empty directory (baseline: sqlite3 writing the
/// same records and the waiting applications in queue order to files), a proof as a whole process, `audit
/// public` of the publication (its rows checked per second, returned), and the explanation of the last child of
/// the largest queue.
fn public(a: &Args, b: &Bench, db: &Path, events: f64, ops: &mut Vec<Op>) -> Option<f64> {
    let out = b.dir.join("pub");
    if a.wants("publish") || a.wants("audit-public") {
        let k = median_rss(
            (0..a.runs)
                .map(|_| {
                    let _ = std::fs::remove_dir_all(&out);
                    timed(b.kezek_with_rss(db).arg("publish").arg(&out))
                })
                .collect(),
        );
        let s = b.sqlite3.then(|| {
            // kezek keeps each part packed (`domain::packed_part`); the baseline writes the same records' text,
            // so it reads them from a copy unpacked beforehand, untimed.
            let texts = b.dir.join("record-texts.db");
            let _ = std::fs::remove_file(&texts);
            unpacked_records(db, &texts);
            let records = b.dir.join("records.txt");
            let s = median(
                (0..a.runs)
                    .map(|_| {
                        let start = Instant::now();
                        run(Command::new("sqlite3")
                            .arg("-readonly")
                            .arg(db)
                            .args(["-cmd", &format!("ATTACH '{}' AS r", texts.display())])
                            .args(["-cmd", &format!(".output {}", records.display())])
                            .arg(
                                "SELECT text FROM r.record ORDER BY seq, part; \
                                 SELECT number, priority_class, registered_at, status FROM application \
                                 WHERE status IN ('queued','notified','stop_listed') \
                                 ORDER BY queue_type, group_year, priority_class, registered_at, number;",
                            ));
                        start.elapsed().as_secs_f64()
                    })
                    .collect(),
            );
            let _ = std::fs::remove_file(&records);
            let _ = std::fs::remove_file(&texts);
            s
        });
        ops.push(Op::new("publish", k, s));
    }
    if a.wants("proof") {
        let k = median(
            (0..a.runs)
                .map(|_| timed(b.kezek(db).args(["proof", "inclusion", "--seq", "3"])).0)
                .collect(),
        );
        let rss = timed(
            b.kezek_with_rss(db)
                .args(["proof", "inclusion", "--seq", "3"]),
        )
        .1;
        ops.push(Op::new("proof inclusion", (k, rss), None));
    }
    let mut rate = None;
    if a.wants("audit-public") {
        let k = median_rss(
            (0..a.runs)
                .map(|_| timed(b.kezek_with_rss(db).args(["audit", "public"]).arg(&out)))
                .collect(),
        );
        rate = Some(events / k.0);
        ops.push(Op::new("audit public", k, None));
    }
    let _ = std::fs::remove_dir_all(&out);
    if a.wants("explain") {
        let last: String = rusqlite::Connection::open(db)
            .and_then(|c| {
                c.query_row(
                    "SELECT number FROM application WHERE (queue_type, group_year) = \
                     (SELECT queue_type, group_year FROM application GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1) \
                     AND status = 'queued' ORDER BY registered_at DESC, number DESC LIMIT 1",
                    [],
                    |r| r.get(0),
                )
            })
            .expect("the last child of the largest queue");
        let k = median_rss(
            (0..a.runs)
                .map(|_| timed(b.kezek_with_rss(db).args(["application", "explain", &last])))
                .collect(),
        );
        ops.push(Op::new("application explain", k, None));
    }
    rate
}

/// A database at `out` holding the text of every part of `db`'s public log, in a table `record (seq, part,
/// text)`.
fn unpacked_records(db: &Path, out: &Path) {
    let from = rusqlite::Connection::open(db).expect("open");
    let to = rusqlite::Connection::open(out).expect("create");
    to.execute_batch(
        "PRAGMA journal_mode = OFF; CREATE TABLE record (seq INTEGER, part INTEGER, text TEXT, PRIMARY KEY (seq, part)); BEGIN;",
    )
    .expect("the records' table");
    let mut insert = to
        .prepare("INSERT INTO record VALUES (?1, ?2, ?3)")
        .expect("insert");
    let mut parts = from
        .prepare("SELECT seq, part, text FROM public_record ORDER BY seq, part")
        .expect("select");
    let mut rows = parts.query([]).expect("the parts");
    while let Some(r) = rows.next().expect("a part") {
        let text = match r.get_ref(2).expect("text") {
            rusqlite::types::ValueRef::Blob(b) => {
                kezek::domain::packed_part::unpack(b).expect("a packed part")
            }
            other => other.as_str().expect("text").to_string(),
        };
        let (seq, part): (i64, i64) = (r.get(0).expect("seq"), r.get(1).expect("part"));
        insert
            .execute(rusqlite::params![seq, part, text])
            .expect("insert");
    }
    to.execute_batch("COMMIT").expect("commit");
}

/// The rows an offer round changes, as set-wise statements (the same-work baseline's state): kezek's round, the
/// applications it notified (chosen by kezek in R-Q2 order: choosing them is kezek's work, writing them is the
/// same), the places it offered.
const OFFER_STATE: &str = "INSERT INTO offer_round SELECT * FROM d.offer_round WHERE id > (SELECT coalesce(max(id), 0) FROM main.offer_round);
UPDATE application SET status = 'notified', offer_round = (SELECT max(id) FROM offer_round)
  WHERE number IN (SELECT number FROM d.application WHERE offer_round = (SELECT max(id) FROM d.offer_round));
UPDATE place SET status = 'offered', offer_round = (SELECT max(id) FROM offer_round)
  WHERE id IN (SELECT id FROM d.place WHERE offer_round = (SELECT max(id) FROM d.offer_round));";

/// The rows a sweep changes, as set-wise statements (the same-work baseline's state), rule by rule in the
/// sweep's order: R-I1 (`u`, the unconfirmed benefit directions: all moved to the general class, those not
/// expiring tonight annulled, their places freed, their applications stop-listed), R-S2 (`e`, the expired
/// directions: applications stop-listed, directions expired, places freed), R-S3 (stop lists ended), R-S4
/// (children over the maximum age on 2026-03-27 removed). `changing` checks the result equals kezek's.
const SWEEP_STATE: &str = "CREATE TEMP TABLE u AS SELECT d.number, d.application, d.place_id,
    d.valid_until < '2026-03-27' AS expiring
  FROM direction d JOIN application a ON a.number = d.application
  WHERE d.status = 'issued' AND d.benefit_confirmed_at IS NULL AND a.priority_class <> 'general';
UPDATE application SET priority_class = 'general', category = NULL WHERE number IN (SELECT application FROM u);
UPDATE direction SET status = 'annulled', closed_at = '2026-03-27T01:30:00+05:00', close_reason = 'benefit_unconfirmed'
  WHERE number IN (SELECT number FROM u WHERE NOT expiring);
UPDATE place SET status = 'free', offer_round = NULL WHERE id IN (SELECT place_id FROM u WHERE NOT expiring);
UPDATE application SET status = 'stop_listed', stop_list_until = '2026-04-09', offer_round = NULL
  WHERE number IN (SELECT application FROM u WHERE NOT expiring);
CREATE TEMP TABLE e AS SELECT number, application, place_id FROM direction
  WHERE status = 'issued' AND valid_until < '2026-03-27';
UPDATE application SET status = 'stop_listed', stop_list_until = '2026-04-08', expired_count = expired_count + 1,
    offer_round = NULL WHERE number IN (SELECT application FROM e);
UPDATE direction SET status = 'expired', closed_at = '2026-03-27T01:30:00+05:00', close_reason = 'expired'
  WHERE number IN (SELECT number FROM e);
UPDATE place SET status = 'free', offer_round = NULL WHERE id IN (SELECT place_id FROM e);
UPDATE application SET status = 'queued', stop_list_until = NULL
  WHERE status = 'stop_listed' AND stop_list_until < '2026-03-27';
UPDATE application SET status = 'removed', removed_reason = 'age_limit', stop_list_until = NULL, offer_round = NULL,
    removed_at = '2026-03-27T01:30:00+05:00'
  WHERE child_birth_date <= '2019-03-27' AND status IN ('queued', 'notified', 'stop_listed');";

/// The minimal baseline's database: its table, the columns of the CSV's header in the file's order, is made by
/// `.import` from that header and loaded without an index.
const BASELINE_TABLE: &str = "PRAGMA journal_mode = WAL;";

/// Its indexes, built after the load: as many secondary indexes as kezek's application table.
const BASELINE_INDEXES: &str = "
CREATE UNIQUE INDEX csv_one_active ON application_csv (child_iin, queue_type);
CREATE INDEX csv_child ON application_csv (child_iin);
CREATE INDEX csv_name ON application_csv (child_name, registered_at);
CREATE INDEX csv_queue ON application_csv (queue_type, category, registered_at);
";
