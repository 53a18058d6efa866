//! SQL a test runs itself, to look at state or to tamper with it: always on a connection the test opens on the
//! database file, never through the library's own connection (that one is kezek's, inside `src/store/`).

use std::path::{Path, PathBuf};

use rusqlite::types::FromSql;
use rusqlite::{Connection, Params, Row};

/// A connection of the test's own on a database file.
pub fn connect(path: &Path) -> Connection {
    Connection::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()))
}

/// A plain connection to a throw-away copy, as anyone with the file has it: foreign keys off, no fsync.
pub fn open_copy(path: &Path) -> Connection {
    let conn = connect(path);
    conn.pragma_update(None, "synchronous", "OFF")
        .expect("synchronous");
    conn.pragma_update(None, "foreign_keys", "OFF")
        .expect("foreign keys");
    conn
}

/// The file beside a database that SQLite keeps with it (`-wal`, `-shm`).
pub fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes `bytes` to `path` as a fresh database file: no write-ahead log or shared memory left from before.
pub fn fresh_copy(bytes: &[u8], path: &Path) {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(path, suffix));
    }
    std::fs::write(path, bytes).expect("a copy of the database");
}

/// Every row of a query, made by `f`.
pub fn rows<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Vec<T> {
    conn.prepare(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .query_map(params, f)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .collect::<rusqlite::Result<_>>()
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The first column of every row.
pub fn column<T: FromSql>(conn: &Connection, sql: &str, params: impl Params) -> Vec<T> {
    rows(conn, sql, params, |r| r.get(0))
}

/// The first column of every row, as text.
pub fn strings(conn: &Connection, sql: &str, params: impl Params) -> Vec<String> {
    column(conn, sql, params)
}

/// The first column of every row, as integers.
pub fn ints(conn: &Connection, sql: &str, params: impl Params) -> Vec<i64> {
    column(conn, sql, params)
}

/// The one value a query gives.
pub fn one<T: FromSql>(conn: &Connection, sql: &str) -> T {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Every row of a query of two columns.
pub fn pairs<A: FromSql, B: FromSql>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
) -> Vec<(A, B)> {
    rows(conn, sql, params, |r| Ok((r.get(0)?, r.get(1)?)))
}

/// Every row of a query of three columns.
pub fn triples<A: FromSql, B: FromSql, C: FromSql>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
) -> Vec<(A, B, C)> {
    rows(conn, sql, params, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
}

/// The tables of a database, by name.
pub fn tables(conn: &Connection) -> Vec<String> {
    strings(
        conn,
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
        [],
    )
}
