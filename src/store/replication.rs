//! Replication with Litestream (R-O1). Litestream copies the write-ahead log to a replica (a directory or
//! S3-compatible storage) and keeps two tables of its own in the database it replicates: `_litestream_seq`
//! (one row it writes to force a frame into an empty log) and `_litestream_lock` (a table it writes to and rolls
//! back, to take SQLite's write lock while it starts a new log). Litestream wants to own the checkpoints: it holds
//! a read transaction open so that nobody else folds the log back into the file behind its back, and copies every
//! frame before it checkpoints.
//!
//! kezek accepts exactly these two tables, as Litestream (0.3 and 0.5 alike) creates them, in the schema it
//! audits: a plain table cannot change what kezek writes or signs (an index, a trigger or a view could, and stays
//! refused, even on these tables). A database that carries them is treated as replicated, whether Litestream is
//! running right now or not: kezek leaves its write-ahead log to Litestream (no automatic checkpoint after a
//! commit, no truncating checkpoint in `db purge`). SQLite's own checkpoint when the last connection closes still
//! folds the log in whenever Litestream is not running, so the log cannot grow without bound either way.

use rusqlite::Connection;

use crate::error::Result;
use crate::faults::{self, Fault};

/// Litestream's tables, as `sqlite_schema` holds them after its `CREATE TABLE IF NOT EXISTS`.
pub const LITESTREAM_TABLES: [(&str, &str); 2] = [
    (
        "_litestream_seq",
        "CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)",
    ),
    (
        "_litestream_lock",
        "CREATE TABLE _litestream_lock (id INTEGER)",
    ),
];

/// Whether a schema object (type, name, table, SQL) is one of Litestream's tables exactly as Litestream creates
/// it: same name, a table of its own, the same definition.
pub fn is_litestream_table(kind: &str, name: &str, table: &str, sql: Option<&str>) -> bool {
    kind == "table"
        && name == table
        && LITESTREAM_TABLES
            .iter()
            .any(|(n, s)| *n == name && sql == Some(*s))
}

/// Whether the database carries Litestream's tables, that is, is or was replicated by Litestream.
pub fn is_replicated(conn: &Connection) -> Result<bool> {
    if faults::active(Fault::CheckpointsUnderLitestream) {
        return Ok(false);
    }
    let found: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN (?1, ?2)",
        [LITESTREAM_TABLES[0].0, LITESTREAM_TABLES[1].0],
        |r| r.get(0),
    )?;
    Ok(found > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Litestream runs when it starts on a database (db.go of 0.3.13 and of 0.5), and what SQLite keeps of
    /// it: the definitions kezek accepts.
    const LITESTREAM_INIT: &str =
        "CREATE TABLE IF NOT EXISTS _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER);
        CREATE TABLE IF NOT EXISTS _litestream_lock (id INTEGER);";

    fn schema(conn: &Connection) -> Vec<(String, String, String, Option<String>)> {
        let mut stmt = conn
            .prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name")
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    #[test]
    fn r_o1_litestream_s_own_tables_are_recognised_as_it_creates_them() {
        let conn = Connection::open_in_memory().unwrap();
        assert!(!is_replicated(&conn).unwrap());
        conn.execute_batch(LITESTREAM_INIT).unwrap();
        assert!(is_replicated(&conn).unwrap());
        let objects = schema(&conn);
        assert_eq!(objects.len(), 2, "{objects:?}");
        for (kind, name, table, sql) in &objects {
            assert!(
                is_litestream_table(kind, name, table, sql.as_deref()),
                "{name}: {sql:?}"
            );
        }
    }

    #[test]
    fn r_o1_a_table_of_another_shape_or_an_index_on_litestream_s_table_is_not_litestream_s() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER, note TEXT);
             CREATE TABLE _litestream_lock (id INTEGER);
             CREATE INDEX _litestream_lock_id ON _litestream_lock (id);
             CREATE TABLE _litestream_other (id INTEGER);",
        )
        .unwrap();
        let accepted: Vec<String> = schema(&conn)
            .into_iter()
            .filter(|(k, n, t, s)| is_litestream_table(k, n, t, s.as_deref()))
            .map(|(_, n, ..)| n)
            .collect();
        assert_eq!(accepted, ["_litestream_lock"]);
    }
}
