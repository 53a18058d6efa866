//! A whole file of applications loaded into an empty table, in key order. A migrated file comes in any order,
//! and a million inserts in random key order into `application` and `journal_row` (both keyed by the number)
//! read and write back a page of each for nearly every row once the tables outgrow the page cache: three times
//! the time of the same rows written in order. So the rows go first, as they come, to a temporary table (on
//! disk: the bulk load keeps temporary storage in files), and then into both tables in one sorted pass each:
//! SQLite's sorter, in bounded memory, with its runs in temporary files.
//!
//! The public record still shows the rows in the file's order, as they are checked; only the order in which
//! SQLite receives them changes.

use rusqlite::Connection;

use super::writes::{NewRow, COLUMNS};
use crate::domain::application::NewApplication;
use crate::error::Result;
use crate::store::journal::{EventWriter, APPLICATION};

/// The temporary table a load goes through.
const TABLE: &str = "temp.application_load";

/// A load under way: its rows staged, not yet in `application`.
pub(in crate::store) struct SortedLoad {
    insert: String,
}

impl SortedLoad {
    /// Creates the temporary table: the columns of `application` and the row's digest.
    pub(in crate::store) fn begin(tx: &Connection) -> Result<SortedLoad> {
        tx.execute_batch(&format!(
            "CREATE TABLE {TABLE} ({}, digest)",
            COLUMNS.join(", ")
        ))?;
        Ok(SortedLoad {
            insert: format!(
                "INSERT INTO {TABLE} VALUES ({})",
                vec!["?"; COLUMNS.len() + 1].join(", ")
            ),
        })
    }

    /// Stages application `number`, checked, and adds it to the event's public record; its digest reaches
    /// `journal_row` with the rest, in `finish`. Its values, digest and public columns are made here, on the
    /// writing thread: the checks are the longer half of the work, and the two threads finish together.
    pub(in crate::store) fn add(
        &self,
        tx: &Connection,
        event: &mut EventWriter,
        number: &str,
        app: &NewApplication,
    ) -> Result<()> {
        let (values, digest, public) = NewRow::written(number, app);
        let digest = rusqlite::types::Value::Blob(digest.to_vec());
        tx.prepare_cached(&self.insert)?
            .execute(rusqlite::params_from_iter(values.iter().chain([&digest])))?;
        event.touch_staged(APPLICATION, &number, &public)
    }

    /// Writes the staged rows into `journal_row` (for the event `seq`) and `application`, each in key order,
    /// and drops the temporary table.
    pub(in crate::store) fn finish(self, tx: &Connection, seq: i64) -> Result<()> {
        crate::store::bulk::shrink_cache_for_sorting(tx)?;
        tx.execute(
            &format!(
                "INSERT INTO journal_row (seq, tbl, key, digest)
                 SELECT ?1, '{}', number, digest FROM {TABLE} ORDER BY number",
                APPLICATION.name
            ),
            [seq],
        )?;
        tx.execute_batch(&format!(
            "INSERT INTO application SELECT {columns} FROM {TABLE} ORDER BY number;
             DROP TABLE {TABLE};",
            columns = COLUMNS.join(", ")
        ))?;
        Ok(())
    }
}
