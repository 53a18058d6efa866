//! Loading a whole file into an empty table. The indexes and triggers named by the caller are
//! dropped for the load and created again before the same transaction commits, so readers never see the table
//! without them. `CREATE INDEX` sorts each index once; a million inserts in random key order into the same
//! indexes thrash the page cache, and a trigger makes SQLite keep a statement journal for every row.

use rusqlite::Connection;

use super::db::SORT_CACHE_KIB;
use crate::error::Result;
use crate::store::access::{self, Access};

/// The schema objects set aside for a load, as `sqlite_schema` holds their SQL.
pub struct SetAside {
    sql: Vec<String>,
}

impl SetAside {
    /// Drops the named indexes and triggers of `table` (those whose maintenance row by row costs more than
    /// building them once: indexes in random key order, triggers).
    pub fn begin(conn: &Connection, table: &str, names: &[&str]) -> Result<SetAside> {
        let mut sql = Vec::new();
        for name in names {
            let (kind, create): (String, String) = conn.query_row(
                "SELECT type, sql FROM sqlite_schema WHERE tbl_name = ?1 AND name = ?2 AND sql IS NOT NULL",
                [table, name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let drop = if kind == "index" {
                "DROP INDEX"
            } else {
                "DROP TRIGGER"
            };
            conn.execute_batch(&format!("{drop} \"{name}\""))?;
            sql.push(create);
        }
        Ok(SetAside { sql })
    }

    /// Creates the indexes and triggers again (a unique index refuses the load if the rows break it), the page
    /// cache shrunk for sorting first.
    pub fn restore(self, conn: &Connection) -> Result<()> {
        shrink_cache_for_sorting(conn)?;
        for create in &self.sql {
            conn.execute_batch(create)?;
        }
        Ok(())
    }
}

/// Shrinks the page cache to `SORT_CACHE_KIB` before a sort of a whole table (`CREATE INDEX`, an `INSERT`
/// in key order): each of SQLite's sorting threads takes up to the cache's size for its runs, on top of the
/// cache itself. The cache's changed pages are written to the log first, between statements: left for the
/// sort's statement to spill, each would be copied to its statement journal before it is written (such a
/// statement has one, and the pages were there before it began).
pub fn shrink_cache_for_sorting(conn: &Connection) -> Result<()> {
    conn.cache_flush()?;
    conn.pragma_update(None, "cache_size", -SORT_CACHE_KIB)?;
    Ok(())
}

/// Whether `table` has no rows.
pub fn is_empty(db: &impl Access, table: &str) -> Result<bool> {
    let conn = access::conn(db);
    let any: bool = conn.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"),
        [],
        |r| r.get(0),
    )?;
    Ok(!any)
}
