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
//! the load and built after it, with kezek's bulk pragmas (cache, temporary files, a second sorting thread). And
//! it reads the file's rows in the file's order (`FileOrder`), not presorted by kezek's database: a file in
//! another order than the table's key is loaded either as it comes or sorted first by sqlite3's sorter, whichever
//! the bench finds quicker.

use std::path::Path;

use kezek::store::db::BULK_CACHE_KIB;

/// The import's event in kezek's database `d`: the last that wrote applications.
const IMPORT_SEQ: &str = "(SELECT max(seq) FROM d.journal_row WHERE tbl = 'application')";

/// An import's rows in the order of the file's lines (untimed, in a database of their own): the applications and
/// their `journal_row` digests, found by the child's IIN and the queue type, unique in a file (R-Q6).
pub(super) struct FileOrder {
    pub path: std::path::PathBuf,
    /// sqlite3 sorts them by the table's key before it inserts them (or inserts them as they come).
    pub sorted: bool,
}

impl FileOrder {
    /// Writes `out` from the file `apps` and kezek's database `done` after its import.
    pub(super) fn write(apps: &Path, done: &Path, out: &Path) -> FileOrder {
        let _ = std::fs::remove_file(out);
        let mut conn = rusqlite::Connection::open(out).expect("open the file-order database");
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; CREATE TABLE line (line INTEGER PRIMARY KEY, iin TEXT NOT NULL, queue_type TEXT NOT NULL);",
        )
        .expect("file-order tables");
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(apps)
            .expect("read the applications file");
        let header = reader.headers().expect("the file's header").clone();
        let column = |name: &str| {
            header
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}').trim() == name)
                .unwrap_or_else(|| panic!("a {name} column"))
        };
        let (iin, queue_type) = (column("child_iin"), column("queue_type"));
        let tx = conn.transaction().expect("begin");
        {
            let mut insert = tx
                .prepare("INSERT INTO line (iin, queue_type) VALUES (?1, lower(?2))")
                .expect("prepare");
            let mut record = csv::StringRecord::new();
            while reader.read_record(&mut record).expect("a line of the file") {
                let field = |i: usize| record.get(i).unwrap_or("").trim();
                insert
                    .execute([field(iin), field(queue_type)])
                    .expect("a line");
            }
        }
        tx.commit().expect("commit");
        conn.execute("ATTACH ?1 AS d", [done.display().to_string()])
            .expect("attach kezek's database");
        conn.execute_batch(&format!(
            "CREATE INDEX line_by_iin ON line (iin, queue_type);
             CREATE TABLE application AS SELECT a.* FROM d.application a JOIN line l ON l.iin = a.child_iin AND l.queue_type = a.queue_type ORDER BY l.line;
             CREATE INDEX application_by_number ON application (number);
             CREATE TABLE journal_row AS SELECT r.* FROM d.journal_row r JOIN application a ON r.tbl = 'application' AND r.key = a.number
                 WHERE r.seq = {IMPORT_SEQ} ORDER BY a.rowid;
             DROP INDEX application_by_number; DROP TABLE line;",
        ))
        .expect("the rows in the file's order");
        let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql);
        assert_eq!(
            count("SELECT count(*) FROM application"),
            count("SELECT count(*) FROM d.application"),
            "every application found once in the file by its child's IIN and queue type"
        );
        FileOrder {
            path: out.to_path_buf(),
            sorted: false,
        }
    }

    /// The statements that load `table` from the file's order, or None for a table the file does not hold:
    /// the import's rows from `f`, and kezek's other rows of the table (its journal's rows of other tables) from
    /// `d`, past `filter` (`" WHERE ..."` or empty) as before.
    fn inserts(&self, table: &str, filter: &str) -> Option<String> {
        let (order, others) = match table {
            "application" => ("number", String::new()),
            "journal_row" => {
                let and = if filter.is_empty() { " WHERE" } else { " AND" };
                (
                    "seq, tbl, key",
                    format!("INSERT INTO main.\"{table}\" SELECT * FROM d.\"{table}\"{filter}{and} NOT (tbl = 'application' AND seq = {IMPORT_SEQ});\n"),
                )
            }
            _ => return None,
        };
        let order = if self.sorted {
            format!(" ORDER BY {order}")
        } else {
            String::new()
        };
        Some(format!(
            "{others}INSERT INTO main.\"{table}\" SELECT * FROM f.\"{table}\"{order};\n"
        ))
    }
}

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
    file: Option<&FileOrder>,
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
        match file.and_then(|f| f.inserts(t, &filter)) {
            Some(from_file) => inserts.push_str(&from_file),
            None => inserts.push_str(&format!(
                "INSERT OR REPLACE INTO main.\"{t}\" SELECT * FROM d.\"{t}\"{filter};\n"
            )),
        }
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
    let attach = file
        .map(|f| format!("ATTACH '{}' AS f;\n", f.path.display()))
        .unwrap_or_default();
    let sql = format!(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; {pragmas}\nATTACH '{}' AS d;\n{attach}BEGIN IMMEDIATE;\n{drops}{state_sql}\n{inserts}{builds}COMMIT;\n",
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
