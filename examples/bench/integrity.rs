//! R-I4: `kezek integrity` over the whole database, with 200,000 children enrolled (one in a thousand in two
//! organizations) and twelve months of their attendance, next to sqlite3 running the same checks as plain SQL.
//!
//! The enrollments and attendance are seeded with SQL on a copy of the imported database (200,000 enrollments
//! through directions would take minutes and are not what is measured).

use std::path::Path;

use super::{copy_db, median, median_rss, remove_db, timed, Bench, Op};

const ENROLLED: i64 = 200_000;

/// The same checks as `store::integrity`, counted.
const CHECKS: &str = "
SELECT count(*) FROM (SELECT child_iin FROM enrollment WHERE departed_on IS NULL GROUP BY child_iin HAVING count(*) > 1);
SELECT count(*) FROM attendance a WHERE a.days_present > 0 AND NOT EXISTS (
  SELECT 1 FROM enrollment e WHERE e.child_iin = a.child_iin AND e.org = a.org
    AND e.enrolled_on <= date(a.month || '-01', '+1 month', '-1 day')
    AND (e.departed_on IS NULL OR e.departed_on >= a.month || '-01'));
SELECT count(*) FROM enrollment e WHERE e.departed_on IS NULL AND e.enrolled_on < '2026-01-01'
  AND EXISTS (SELECT 1 FROM attendance r WHERE r.org = e.org AND r.month IN ('2026-01', '2026-02'))
  AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.org = e.org AND a.child_iin = e.child_iin
                    AND a.month IN ('2026-01', '2026-02') AND a.days_present > 0);
SELECT count(*) FROM place p JOIN org o ON o.code = p.org WHERE p.status = 'free' AND p.release_date <= '2026-03-06'
  AND p.group_year <= 2024;
SELECT count(*) FROM journal WHERE kind = 'application.register'
  AND CAST(strftime('%s', effective_at) AS INTEGER) < CAST(strftime('%s', recorded_at) AS INTEGER) - 600;
WITH imports AS (SELECT seq, recorded_at, row_number() OVER (ORDER BY seq) AS k FROM journal
                 WHERE kind = 'application.import')
SELECT i.seq, count(*) FROM imports i JOIN journal_row r ON r.seq = i.seq AND r.tbl = 'application'
  JOIN application a ON a.number = r.key
WHERE i.k > 1 AND a.registered_unix < CAST(strftime('%s', i.recorded_at) AS INTEGER) - 600 GROUP BY i.seq;
SELECT officer, count(*) FROM journal WHERE kind = 'application.register' GROUP BY officer;
";

/// Seeds `template` from `db`: 200,000 children enrolled since 2025 (a thousandth of them twice), and their
/// attendance from March 2025 to February 2026, one month in fifty missing.
fn seed(db: &Path, template: &Path) {
    copy_db(db, template);
    let conn = rusqlite::Connection::open(template).expect("open");
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF; BEGIN;
         CREATE TEMP TABLE kids AS SELECT child_iin, row_number() OVER (ORDER BY number) AS n FROM application
           WHERE status = 'queued' LIMIT {ENROLLED};
         INSERT INTO enrollment (direction, child_iin, org, place_id, enrolled_on)
           SELECT printf('NAP.B.%07d', n), child_iin, printf('DS-%03d', 1 + n % 30), n, '2025-02-01' FROM kids;
         INSERT INTO enrollment (direction, child_iin, org, place_id, enrolled_on)
           SELECT printf('NAP.C.%07d', n), child_iin, 'DS-031', n, '2025-09-01' FROM kids WHERE n % 1000 = 0;
         WITH RECURSIVE m(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM m WHERE k < 11)
         INSERT INTO attendance (org, child_iin, month, days_present)
           SELECT printf('DS-%03d', 1 + n % 30), child_iin, strftime('%Y-%m', '2025-03-01', '+' || k || ' months'),
                  15 + (n + k) % 5
           FROM kids, m WHERE (n + k) % 50 <> 0;
         COMMIT;"
    ))
    .expect("seed the enrollments and attendance");
}

pub(super) fn measure(b: &Bench, db: &Path, runs: usize, ops: &mut Vec<Op>) {
    let template = b.dir.join("integrity.db");
    seed(db, &template);
    let k = median_rss(
        (0..runs)
            .map(|_| {
                timed(
                    b.kezek_with_rss(&template)
                        .args(["integrity", "--format", "csv"]),
                )
            })
            .collect(),
    );
    let s = b.sqlite3.then(|| {
        median(
            (0..runs)
                .map(|_| timed(&mut b.sqlite(&template, CHECKS)).0)
                .collect(),
        )
    });
    ops.push(Op::new("integrity", k, s));
    remove_db(&template);
}
