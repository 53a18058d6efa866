//! The same-work baseline (R-O2): sqlite3 writing the rows kezek wrote, not only the minimal SQL of an operation.
//!
//! After kezek's run (`done`) from a starting copy (`start`), untimed, the bench finds for every table the rows
//! `done` holds and `start` lacks: past `start`'s last rowid, past its last `seq` (the journal's WITHOUT ROWID
//! tables), or else `EXCEPT` (small tables such as the Merkle tree's nodes). Timed, sqlite3 on a fresh copy of
//! `start` runs the operation's own state SQL (the minimal baseline's statements, which change the rows kezek
//! changes) and copies those rows from `done`, attached, in one transaction with kezek's pragmas: the journal
//! events, their `journal_row` digests, the signed head, the public records and the tree's nodes, the outbox's
//! notifications. sqlite3 hashes nothing and signs nothing: that is kezek's own work over the same writes.
//!
//! For an import (`bulk`), sqlite3 is at its best: the tables' secondary indexes and triggers are dropped before
//! the load and built after it, with kezek's bulk pragmas (cache, temporary files, a second sorting thread).

use std::path::Path;

use kezek::store::db::BULK_CACHE_KIB;

/// The same-work script, and what it copies (table, rows) for the output.
pub(super) struct Script {
    pub sql: String,
    pub copied: Vec<(String, i64)>,
}

/// The script that turns `start` into what kezek made of it: `state_sql` (statements only, no transaction), then
/// the rows of every table but `skip` that `done` has and `start` lacks.
pub(super) fn script(
    start: &Path,
    done: &Path,
    skip: &[&str],
    state_sql: &str,
    bulk: bool,
) -> Script {
    let conn =
        rusqlite::Connection::open_with_flags(done, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open kezek's database");
    conn.execute("ATTACH ?1 AS s", [start.display().to_string()])
        .expect("attach the start");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("tables");
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql);
    let (mut inserts, mut copied, mut drops, mut builds) =
        (String::new(), Vec::new(), String::new(), String::new());
    for t in tables.iter().filter(|t| !skip.contains(&t.as_str())) {
        let filter = if count(&format!("SELECT count(*) FROM s.\"{t}\"")) == 0 {
            String::new()
        } else if let Ok(last) =
            conn.query_row(&format!("SELECT max(rowid) FROM s.\"{t}\""), [], |r| {
                r.get::<_, i64>(0)
            })
        {
            format!(" WHERE rowid > {last}")
        } else if conn
            .prepare(&format!("SELECT seq FROM s.\"{t}\" LIMIT 0"))
            .is_ok()
        {
            format!(
                " WHERE seq > {}",
                count(&format!("SELECT max(seq) FROM s.\"{t}\""))
            )
        } else {
            format!(" EXCEPT SELECT * FROM main.\"{t}\"")
        };
        let rows = if filter.starts_with(" EXCEPT") {
            count(&format!(
                "SELECT count(*) FROM (SELECT * FROM main.\"{t}\" EXCEPT SELECT * FROM s.\"{t}\")"
            ))
        } else {
            count(&format!("SELECT count(*) FROM main.\"{t}\"{filter}"))
        };
        if rows == 0 {
            continue;
        }
        inserts.push_str(&format!(
            "INSERT OR REPLACE INTO main.\"{t}\" SELECT * FROM d.\"{t}\"{filter};\n"
        ));
        copied.push((t.clone(), rows));
        if bulk {
            let mut s = conn
                .prepare("SELECT type, name, sql FROM s.sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ?1 AND sql IS NOT NULL")
                .expect("prepare");
            let objects: Vec<(String, String, String)> = s
                .query_map([t], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .and_then(|rows| rows.collect())
                .expect("indexes and triggers");
            for (kind, name, sql) in objects {
                drops.push_str(&format!("DROP {kind} \"{name}\";\n"));
                builds.push_str(&format!("{sql};\n"));
            }
        }
    }
    let pragmas = if bulk {
        format!(
            "PRAGMA cache_size = -{BULK_CACHE_KIB}; PRAGMA temp_store = FILE; PRAGMA threads = 2;"
        )
    } else {
        format!("PRAGMA cache_size = -{BULK_CACHE_KIB};")
    };
    let sql = format!(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; {pragmas}\nATTACH '{}' AS d;\nBEGIN IMMEDIATE;\n{drops}{state_sql}\n{inserts}{builds}COMMIT;\n",
        done.display()
    );
    Script { sql, copied }
}

/// What the script copies, for the output: `journal_row 3,000, notification 2,000, ...`.
pub(super) fn describe(copied: &[(String, i64)]) -> String {
    copied
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows of `tables` in which sqlite3's same-work result (`work`) and kezek's (`done`) differ, either way:
/// the state the baseline wrote with its own statements is checked against kezek's, so that the baseline is known
/// to do all of kezek's writes (a rule its statements missed shows here, not as a flattering ratio).
pub(super) fn differences(work: &Path, done: &Path, tables: &[&str]) -> Vec<(String, i64)> {
    let conn =
        rusqlite::Connection::open_with_flags(work, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the same-work result");
    conn.execute("ATTACH ?1 AS d", [done.display().to_string()])
        .expect("attach kezek's result");
    tables
        .iter()
        .map(|t| {
            let sql = format!(
                "SELECT (SELECT count(*) FROM (SELECT * FROM main.\"{t}\" EXCEPT SELECT * FROM d.\"{t}\"))
                      + (SELECT count(*) FROM (SELECT * FROM d.\"{t}\" EXCEPT SELECT * FROM main.\"{t}\"))"
            );
            let n = conn.query_row(&sql, [], |r| r.get(0)).expect("compare a table");
            (t.to_string(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}
