//! R-C7: `kezek allocate` of 100,000 waiting applications with 4 preferences each over 20,000 places, next to
//! sqlite3 reading the same preferences and writing the same directions (the rows kezek wrote, signed documents
//! included); and the serial dictatorship itself in memory next to a plain Python one on the same data.
//!
//! The preferences and places are seeded with SQL on a copy of the imported database (100,000 `application
//! prefer` commands would take minutes and are not what is measured); the allocation does its whole work on them.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use super::{changing, copy_db, Bench, Op, Sql};

/// A seeded xorshift, the same numbers on every machine.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const APPLICATIONS: usize = 100_000;
const PLACES: usize = 20_000;

/// Seeds `template` (a copy of `db`): 4 distinct state organizations ranked by each of the first 100,000 queued
/// general applications, and 20,000 free places of their group years, released, spread over the state
/// organizations.
fn seed(db: &Path, template: &Path) -> usize {
    copy_db(db, template);
    let mut conn = rusqlite::Connection::open(template).expect("open");
    let tx = conn.transaction().expect("begin");
    let orgs: Vec<String> = tx
        .prepare("SELECT code FROM org WHERE kind = 'state' ORDER BY code")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("orgs");
    let apps: Vec<(String, i64)> = tx
        .prepare(&format!(
            "SELECT number, group_year FROM application WHERE status = 'queued' AND queue_type = 'general'
             ORDER BY number LIMIT {APPLICATIONS}"
        ))
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .expect("applications");
    let mut random = Random(0x2545_F491_4F6C_DD1D);
    {
        let mut prefer = tx
            .prepare("UPDATE application SET preferences = ?2 WHERE number = ?1")
            .expect("prepare");
        for (number, _) in &apps {
            let mut chosen: Vec<&str> = Vec::with_capacity(4);
            while chosen.len() < 4.min(orgs.len()) {
                let org = orgs[random.below(orgs.len())].as_str();
                if !chosen.contains(&org) {
                    chosen.push(org);
                }
            }
            prefer.execute([number, &chosen.join(";")]).expect("prefer");
        }
        let mut place = tx
            .prepare(
                "INSERT INTO place (org, group_year, language, place_type, release_date, status, published_at)
                 VALUES (?1, ?2, 'ru', 'regular', '2026-03-01', 'free', '2026-03-01T09:00:00+05:00')",
            )
            .expect("prepare");
        for _ in 0..PLACES {
            // A place of the group year of a random application: places where the preferences are.
            let (_, year) = &apps[random.below(apps.len())];
            place
                .execute(rusqlite::params![orgs[random.below(orgs.len())], year])
                .expect("place");
        }
    }
    tx.commit().expect("commit");
    apps.len()
}

pub(super) fn measure(b: &Bench, db: &Path, runs: usize, ops: &mut Vec<Op>) {
    let template = b.dir.join("allocate-template.db");
    let applications = seed(db, &template);
    println!("allocate: {applications} applications with 4 preferences over {PLACES} places");
    // sqlite3: read the same preferences in queue order, write the same directions (their signed documents
    // copied from kezek's run, `d`), the places and applications they change.
    let state = "SELECT count(*), sum(length(preferences)) FROM (SELECT number, preferences
           FROM application WHERE preferences IS NOT NULL AND status IN ('queued', 'notified')
           ORDER BY queue_type, group_year, priority_class, registered_unix, number);
         INSERT INTO direction SELECT * FROM d.direction;
         UPDATE place SET status = 'directed' WHERE id IN (SELECT place_id FROM d.direction);
         UPDATE application SET status = 'directed' WHERE number IN (SELECT application FROM d.direction);";
    ops.push(changing(
        b,
        "allocate",
        &template,
        runs,
        |work| {
            let mut cmd = b.kezek_with_rss(work);
            cmd.arg("allocate");
            cmd
        },
        Sql {
            minimal: state,
            state,
            skip: &["direction", "place", "application", "queue_day"],
        },
    ));
    in_memory();
}

/// The serial dictatorship alone, in memory, on the city of `examples/serial_dictatorship.py` (same xorshift,
/// same seed), next to that plain Python version when python3 is there.
fn in_memory() {
    use kezek::domain::allocation::{allocate, Preference, WaitingApplication};
    let mut random = Random(0x2545_F491_4F6C_DD1D);
    let orgs = 500;
    let mut places: Vec<Vec<u64>> = vec![Vec::new(); orgs];
    for id in 0..PLACES as u64 {
        places[random.below(orgs)].push(id);
    }
    let applications: Vec<WaitingApplication<usize, usize>> = (0..APPLICATIONS)
        .map(|key| WaitingApplication {
            key,
            sibling_group: None,
            preferences: (1..=4)
                .map(|rank| Preference {
                    org: random.below(orgs),
                    rank,
                })
                .collect(),
        })
        .collect();
    let runs = 20;
    let start = Instant::now();
    let mut placed = 0;
    for _ in 0..runs {
        placed = allocate(&applications, &places).directions.len();
    }
    let each = start.elapsed().as_secs_f64() / runs as f64;
    println!(
        "allocate in memory: 100k x 4 over 20k places: {:.1} ms per allocation, {placed} placed",
        each * 1000.0
    );
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/serial_dictatorship.py"
    );
    if let Ok(out) = Command::new("python3").arg(script).output() {
        print!("python3: {}", String::from_utf8_lossy(&out.stdout));
    }
}
