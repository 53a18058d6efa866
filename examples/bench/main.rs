//! The benchmark: kezek against SQLite's own shell on the same data, schema and pragmas, in the same run.
//!
//! `cargo run --release --example bench -- [--size 100k|1m] [--runs 5] [--json FILE] [--ops import,lookup,...,list,public,allocate,integrity]`
//!
//! `--ops` measures only the operations named; without `import` it starts from the database the last full run
//! imported (kept as `target/bench-SIZE/imported.db`).
//!
//! It builds the kezek binary, generates a seeded synthetic city (printing the SHA-256 of each file), and
//! measures each operation next to its baseline, the median of `--runs` runs, as wall time of whole processes.
//! Without `sqlite3` on PATH it says how to install it and measures kezek alone.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use kezek::crypto::PrivateKey;

mod choice;
mod integrity;

struct Args {
    size: u64,
    runs: usize,
    json: Option<PathBuf>,
    ops: Option<Vec<String>>,
}

impl Args {
    fn wants(&self, op: &str) -> bool {
        self.ops.as_ref().is_none_or(|o| o.iter().any(|x| x == op))
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
    let size = match value("--size").as_deref().unwrap_or("100k") {
        "1m" | "1M" => 1_000_000,
        "100k" => 100_000,
        other => other
            .replace('k', "000")
            .parse()
            .expect("--size 100k|1m or a number"),
    };
    Args {
        size,
        runs: value("--runs").and_then(|v| v.parse().ok()).unwrap_or(5),
        json: value("--json").map(PathBuf::from),
        ops: value("--ops").map(|v| v.split(',').map(|o| o.trim().to_string()).collect()),
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
}

impl Bench {
    /// kezek as the officer `bench`, run directly like its baseline.
    fn kezek(&self, db: &Path) -> Command {
        self.kezek_via(db, false)
    }

    /// kezek under `/usr/bin/time`, which reports its peak RSS (the import only: the wrapper's own fork and exec
    /// would be timed too, which matters for the commands that take milliseconds).
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

    fn sqlite(&self, db: &Path, sql: &str) -> Command {
        let mut cmd = Command::new("sqlite3");
        cmd.arg(db).arg(sql);
        cmd
    }

    /// A kezek database with the officer and the organizations, not timed.
    fn fresh(&self, db: &Path) {
        for f in [
            db.to_path_buf(),
            db.with_extension("db-wal"),
            db.with_extension("db-shm"),
        ] {
            let _ = std::fs::remove_file(f);
        }
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

fn copy_db(from: &Path, to: &Path) {
    let conn = rusqlite::Connection::open(from).expect("open");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
    }
    std::fs::copy(from, to).expect("copy the database");
    // The copy's pages are written out before the timed command starts: a commit's fsync would otherwise wait
    // for the whole file's write-back and time the copy, not the command.
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .expect("sync the copy");
}

struct Op {
    name: &'static str,
    kezek: f64,
    baseline: Option<f64>,
}

fn main() {
    let a = args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    eprintln!("building kezek (release)...");
    run(Command::new(env!("CARGO")).current_dir(root).args([
        "build",
        "--release",
        "--bin",
        "kezek",
        "--quiet",
    ]));
    // The binary cargo just built, wherever the target directory is.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let kezek = target.join("release/kezek");
    let dir = target.join(format!("bench-{}", a.size));
    std::fs::create_dir_all(&dir).expect("the bench directory");
    let sqlite3 = Command::new("sqlite3").arg("-version").output().is_ok();
    if !sqlite3 {
        eprintln!("sqlite3 is not on PATH: install it with `apt-get install sqlite3` to measure the baselines; measuring kezek alone");
    }
    let time_v = Path::new("/usr/bin/time").exists();

    // The data, seeded: the same bytes on every machine.
    let apps = dir.join("applications.csv");
    if a.wants("import") {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&apps).expect("create"));
        kezek::generate::applications(&mut w, 1, a.size, kezek::generate::default_now())
            .expect("generate");
    }
    let (len, sha) =
        kezek::csvfile::digest_file(&apps).expect("applications.csv (run the import first)");
    println!(
        "applications.csv: {} rows, {len} bytes, sha256 {sha}",
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
    };
    let mut ops: Vec<Op> = Vec::new();
    let mut peak_rss: f64 = 0.0;
    let mut sweep_writes: Option<f64> = None;
    let mut sweep_journal_only: Option<f64> = None;

    // import: validated and journaled, into an empty database; baseline: .import into the same shape of table.
    let db = b.dir.join("kezek.db");
    let imported = b.dir.join("imported.db");
    if !a.wants("import") {
        assert!(
            imported.exists(),
            "{} does not exist: run the import first (--ops import, or no --ops)",
            imported.display()
        );
        copy_db(&imported, &db);
    }
    let mut k_times = Vec::new();
    for _ in 0..a.runs * usize::from(a.wants("import")) {
        b.fresh(&db);
        let (t, rss) = timed(
            b.kezek_with_rss(&db)
                .args(["application", "import"])
                .arg(&apps),
        );
        k_times.push(t);
        peak_rss = peak_rss.max(rss.unwrap_or(0.0));
    }
    if a.wants("import") {
        copy_db(&db, &imported);
    }
    let mut s_times = Vec::new();
    if b.sqlite3 && a.wants("import") {
        let base = b.dir.join("baseline.db");
        for _ in 0..a.runs {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", base.display()));
            }
            run(&mut b.sqlite(&base, BASELINE_SCHEMA));
            let start = Instant::now();
            run(Command::new("sqlite3")
                .arg(&base)
                .args([
                    "-cmd",
                    "PRAGMA journal_mode=WAL",
                    "-cmd",
                    "PRAGMA synchronous=FULL",
                    "-cmd",
                    "PRAGMA foreign_keys=ON",
                ])
                .arg(format!(
                    ".import --csv --skip 1 {} application_csv",
                    apps.display()
                )));
            s_times.push(start.elapsed().as_secs_f64());
        }
    }
    if a.wants("import") {
        ops.push(Op {
            name: "import",
            kezek: median(k_times),
            baseline: (!s_times.is_empty()).then(|| median(s_times)),
        });
    }
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
        let k = median(k_runs);
        let s = b.sqlite3.then(|| median(s_runs));
        ops.push(Op {
            name,
            kezek: k,
            baseline: s,
        });
    }

    // offer: 2,000 places of the largest queue over the whole queue.
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
    run(b.kezek(&db).args(["place", "import"]).arg(&places));
    let template = b.dir.join("offer-template.db");
    copy_db(&db, &template);
    if a.wants("offer") {
        let work = b.dir.join("offer.db");
        let k = median(
            (0..a.runs)
                .map(|_| {
                    copy_db(&template, &work);
                    timed(b.kezek(&work).arg("offer")).0
                })
                .collect(),
        );
        let s = b.sqlite3.then(|| {
        median((0..a.runs).map(|_| {
            copy_db(&template, &work);
            timed(&mut b.sqlite(&work, &format!(
                "PRAGMA synchronous=FULL; BEGIN IMMEDIATE;
                 INSERT INTO offer_round (queue_type, group_year, held_at, opens_at, closes_at, places, notified)
                   VALUES ('{qt}', {gy}, '{NOW}', '{NOW}', '{NOW}', 2000, 2000);
                 UPDATE application SET status = 'notified', offer_round = last_insert_rowid() WHERE number IN (
                   SELECT number FROM application WHERE queue_type = '{qt}' AND group_year = {gy} AND status = 'queued'
                   ORDER BY CASE priority_class WHEN 'out_of_turn' THEN 0 ELSE 1 END, registered_unix, number LIMIT 2000);
                 UPDATE place SET status = 'offered', offer_round = (SELECT max(id) FROM offer_round)
                   WHERE status = 'free' AND group_year = {gy};
                 COMMIT;"
            ))).0
        }).collect())
    });
        ops.push(Op {
            name: "offer",
            kezek: k,
            baseline: s,
        });
    }

    if a.wants("sweep") {
        // sweep: 10% of the issued directions expire. The directions are seeded with SQL on a copy (signing 100k
        // documents would take minutes and is not what is measured); the sweep does its whole work on them.
        let issued = (a.size / 10).max(1000);
        let expiring = issued / 10;
        let template = b.dir.join("sweep-template.db");
        copy_db(&db, &template);
        {
            let conn = rusqlite::Connection::open(&template).expect("open");
            conn.execute_batch(&format!(
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
        ))
        .expect("seed the directions");
        }
        let work = b.dir.join("sweep.db");
        let k = median(
            (0..a.runs)
                .map(|_| {
                    copy_db(&template, &work);
                    timed(b.kezek(&work).args([
                        "--now",
                        "2026-03-27T01:30",
                        "sweep",
                        "--date",
                        "2026-03-27",
                    ]))
                    .0
                })
                .collect(),
        );
        let s = b.sqlite3.then(|| {
        median((0..a.runs).map(|_| {
            copy_db(&template, &work);
            timed(&mut b.sqlite(&work, "PRAGMA synchronous=FULL; BEGIN IMMEDIATE;
                 UPDATE application SET status = 'stop_listed', stop_list_until = '2026-04-09',
                   expired_count = expired_count + 1
                 WHERE number IN (SELECT application FROM direction WHERE status = 'issued' AND valid_until < '2026-03-27');
                 UPDATE direction SET status = 'expired', closed_at = '2026-03-27T01:30:00+05:00'
                 WHERE status = 'issued' AND valid_until < '2026-03-27';
                 COMMIT;")).0
        }).collect())
    });
        println!("sweep: {expiring} of {issued} issued directions expire");
        // What limits the sweep: sqlite3 writing the rows kezek writes (the places too, two notifications and
        // five journal rows per expired direction, with random digests), as few set-wise statements.
        let floor = |notify: bool| {
            let sql = sweep_writes_sql(notify);
            b.sqlite3.then(|| {
                median(
                    (0..a.runs)
                        .map(|_| {
                            copy_db(&template, &work);
                            timed(&mut b.sqlite(&work, &sql)).0
                        })
                        .collect(),
                )
            })
        };
        sweep_writes = floor(true);
        sweep_journal_only = floor(false);
        if let (Some(w), Some(j)) = (sweep_writes, sweep_journal_only) {
            println!("sweep: sqlite3 writing the rows kezek writes takes {w:.3} s; without the notifications {j:.3} s");
        }
        ops.push(Op {
            name: "sweep",
            kezek: k,
            baseline: s,
        });
    }

    // stats and verify over the whole database.
    if a.wants("stats") {
        let k = median(
            (0..a.runs)
                .map(|_| timed(b.kezek(&db).args(["stats", "--format", "csv"])).0)
                .collect(),
        );
        let s = b.sqlite3.then(|| median((0..a.runs).map(|_| timed(Command::new("sqlite3").arg("-readonly").arg("-csv").arg(&db).arg(
        "SELECT queue_type, group_year, priority_class, count(*) FROM application WHERE status IN ('queued','notified','stop_listed') GROUP BY 1, 2, 3")).0).collect()));
        ops.push(Op {
            name: "stats",
            kezek: k,
            baseline: s,
        });
    }

    let events: f64 = rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.query_row("SELECT count(*) FROM journal_row", [], |r| {
                r.get::<_, i64>(0)
            })
        })
        .expect("count") as f64;
    if a.wants("verify") {
        let k = median(
            (0..a.runs)
                .map(|_| timed(b.kezek(&db).args(["audit", "verify"])).0)
                .collect(),
        );
        let s = b.sqlite3.then(|| median((0..a.runs).map(|_| timed(Command::new("sqlite3").arg("-readonly").arg(&db).arg(
        "SELECT count(*), sum(length(hash)) FROM journal; SELECT count(*), sum(length(digest)) FROM journal_row;")).0).collect()));
        ops.push(Op {
            name: "verify",
            kezek: k,
            baseline: s,
        });
    }

    // A list of every application (R-L4): `application list --format csv` next to sqlite3 writing the same
    // columns in queue order, its peak RSS, and how soon `| head -1` has its line.
    let mut list_figures = None;
    if a.wants("list") {
        let k = median(
            (0..a.runs)
                .map(|_| {
                    timed(
                        b.kezek(&db)
                            .args(["application", "list", "--format", "csv"]),
                    )
                    .0
                })
                .collect(),
        );
        let s = b.sqlite3.then(|| median((0..a.runs).map(|_| timed(Command::new("sqlite3").arg("-readonly").arg("-csv").arg("-header").arg(&db).arg(
            "SELECT number, status, queue_type, group_year, priority_class, category, NULL AS queue_position, \
             NULL AS class_position, registered_at, expired_count, stop_list_until, removed_reason, \
             substr(child_iin, 1, 6) || '*****' || substr(child_iin, 12) AS child_iin, district, language \
             FROM application ORDER BY queue_type, group_year, priority_class, registered_unix, number")).0).collect()));
        ops.push(Op {
            name: "list (csv)",
            kezek: k,
            baseline: s,
        });
        let rss =
            timed(
                b.kezek_via(&db, b.time_v)
                    .args(["application", "list", "--format", "csv"]),
            )
            .1;
        let first_line = median(
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
        );
        list_figures = Some((rss, first_line));
    }

    // The public log (R-V3..R-V7): publish the whole log into an empty directory (baseline: sqlite3 writing the
    // same records and the waiting applications in queue order to files), a proof as a whole process, `audit
    // public` of the publication (rows checked per second), and the explanation of the last child of the
    // largest queue.
    let mut public_rate = None;
    if a.wants("public") {
        let out = b.dir.join("pub");
        let k = median(
            (0..a.runs)
                .map(|_| {
                    let _ = std::fs::remove_dir_all(&out);
                    timed(b.kezek(&db).arg("publish").arg(&out)).0
                })
                .collect(),
        );
        let s = b.sqlite3.then(|| {
            let records = b.dir.join("records.txt");
            median(
                (0..a.runs)
                    .map(|_| {
                        let start = Instant::now();
                        run(Command::new("sqlite3")
                            .arg("-readonly")
                            .arg(&db)
                            .args(["-cmd", &format!(".output {}", records.display())])
                            .arg(
                                "SELECT text FROM public_record ORDER BY seq, part; \
                                 SELECT number, priority_class, registered_at, status FROM application \
                                 WHERE status IN ('queued','notified','stop_listed') \
                                 ORDER BY queue_type, group_year, priority_class, registered_at, number;",
                            ));
                        start.elapsed().as_secs_f64()
                    })
                    .collect(),
            )
        });
        ops.push(Op {
            name: "publish",
            kezek: k,
            baseline: s,
        });
        let k = median(
            (0..a.runs)
                .map(|_| timed(b.kezek(&db).args(["proof", "inclusion", "--seq", "3"])).0)
                .collect(),
        );
        ops.push(Op {
            name: "proof inclusion",
            kezek: k,
            baseline: None,
        });
        let k = median(
            (0..a.runs)
                .map(|_| timed(b.kezek(&db).args(["audit", "public"]).arg(&out)).0)
                .collect(),
        );
        public_rate = Some(events / k);
        ops.push(Op {
            name: "audit public",
            kezek: k,
            baseline: None,
        });
        let last: String = rusqlite::Connection::open(&db)
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
        let k = median(
            (0..a.runs)
                .map(|_| timed(b.kezek(&db).args(["application", "explain", &last])).0)
                .collect(),
        );
        ops.push(Op {
            name: "application explain",
            kezek: k,
            baseline: None,
        });
    }

    if a.wants("allocate") {
        choice::measure(&b, &db, a.runs, &mut ops);
    }
    if a.wants("integrity") {
        integrity::measure(&b, &db, a.runs, &mut ops);
    }

    // The table.
    println!("\n| op | kezek s | baseline s | ratio |\n|---|---|---|---|");
    for op in &ops {
        match op.baseline {
            Some(base) => println!(
                "| {} | {:.3} | {:.3} | {:.2} |",
                op.name,
                op.kezek,
                base,
                op.kezek / base
            ),
            None => println!("| {} | {:.3} | - | - |", op.name, op.kezek),
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
    if let Some((rss, first)) = list_figures {
        println!(
            "application list --format csv: peak RSS {} MB; first line of `| head -1` after {:.1} ms",
            rss.map_or("-".to_string(), |r| format!("{r:.0}")),
            first * 1000.0
        );
    }
    if let Some(rate) = public_rate {
        println!("public rows checked per second by `audit public`: {rate:.0}");
    }
    if a.wants("import") {
        println!("peak RSS of the import: {peak_rss:.0} MB; database: {per_app:.0} bytes per application");
    }
    if let Some(path) = &a.json {
        let mut ops_json = serde_json::Map::new();
        for op in &ops {
            ops_json.insert(
                op.name.into(),
                serde_json::json!({
                    "kezek_s": op.kezek,
                    "baseline_s": op.baseline,
                    "ratio": op.baseline.map(|b| op.kezek / b),
                }),
            );
        }
        let report = serde_json::json!({
            "size": a.size,
            "ops": ops_json,
            "verify_events_per_s": verify_rate,
            "audit_public_rows_per_s": public_rate,
            "list_csv_peak_rss_mb": list_figures.and_then(|f| f.0),
            "list_csv_first_line_s": list_figures.map(|f| f.1),
            "sweep_writes_baseline_s": sweep_writes,
            "sweep_journal_only_baseline_s": sweep_journal_only,
            "peak_rss_mb": a.wants("import").then_some(peak_rss),
            "bytes_per_application": per_app,
        });
        std::fs::write(path, serde_json::to_string_pretty(&report).expect("JSON"))
            .expect("write --json");
        println!("figures written to {}", path.display());
    }
}

/// The rows a sweep writes, written by sqlite3 alone: the two UPDATEs of the baseline, the places freed, two
/// notifications (e-mail and SMS of the one notice) and five journal rows per expired direction, with random
/// digests and no hashing. Without `notify`, the state rows and their three journal rows only: what the
/// journal costs by itself.
fn sweep_writes_sql(notify: bool) -> String {
    let (notifications, their_digests) = if notify {
        (SWEEP_NOTIFICATIONS, SWEEP_NOTIFICATION_DIGESTS)
    } else {
        ("", "")
    };
    format!("{SWEEP_STATE}{notifications}{SWEEP_JOURNAL}{their_digests};\nCOMMIT;")
}

const SWEEP_STATE: &str = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; BEGIN IMMEDIATE;
CREATE TEMP TABLE e AS SELECT number, application, place_id FROM direction
  WHERE status = 'issued' AND valid_until < '2026-03-27';
UPDATE application SET status = 'stop_listed', stop_list_until = '2026-04-09', expired_count = expired_count + 1
  WHERE number IN (SELECT application FROM e);
UPDATE direction SET status = 'expired', closed_at = '2026-03-27T01:30:00+05:00', close_reason = 'expired'
  WHERE number IN (SELECT number FROM e);
UPDATE place SET status = 'free', offer_round = NULL WHERE id IN (SELECT place_id FROM e);
";

const SWEEP_NOTIFICATIONS: &str =
    "INSERT INTO notification (application, kind, channel, recipient, language, subject, body, created_at)
  SELECT e.application, 'expired', c.channel, 'parent@mail.kz', 'ru', 'Срок направления истёк',
    'Срок направления по заявлению ' || e.application || ' истёк: направление ' || e.number ||
    ' закрыто; заявление в стоп-листе до 09.04.2026 включительно, затем снова в очереди на прежнем месте.',
    '2026-03-27T01:30:00+05:00'
  FROM e, (SELECT 'email' AS channel UNION ALL SELECT 'sms') c;
";

const SWEEP_JOURNAL: &str = "INSERT INTO journal (seq, effective_at, recorded_at, officer, kind, subject, details, hash)
  SELECT max(seq) + 1, '2026-03-27T01:30:00+05:00', '2026-03-27T01:30:00+05:00', 'bench', 'sweep.expire',
    '2026-03-27', '{}', randomblob(32) FROM journal;
INSERT INTO journal_row (seq, tbl, key, digest)
  SELECT (SELECT max(seq) FROM journal), 'direction', number, randomblob(32) FROM e
  UNION ALL SELECT (SELECT max(seq) FROM journal), 'place', place_id, randomblob(32) FROM e
  UNION ALL SELECT (SELECT max(seq) FROM journal), 'application', application, randomblob(32) FROM e";

const SWEEP_NOTIFICATION_DIGESTS: &str = "
  UNION ALL SELECT (SELECT max(seq) FROM journal), 'notification', id, randomblob(32) FROM notification
    WHERE id > (SELECT max(id) FROM notification) - 2 * (SELECT count(*) FROM e)";

/// The baseline's table: the columns of the CSV, with as many secondary indexes as kezek's application table.
const BASELINE_SCHEMA: &str = "
PRAGMA journal_mode = WAL;
CREATE TABLE application_csv (
    registered_at TEXT, child_iin TEXT, child_name TEXT, applicant_iin TEXT, applicant_name TEXT, phone TEXT,
    email TEXT, district TEXT, queue_type TEXT, language TEXT, category TEXT, docs TEXT, consent TEXT);
CREATE UNIQUE INDEX csv_one_active ON application_csv (child_iin, queue_type);
CREATE INDEX csv_child ON application_csv (child_iin);
CREATE INDEX csv_name ON application_csv (child_name, registered_at);
CREATE INDEX csv_queue ON application_csv (queue_type, category, registered_at);
";
