//! A whole file of applications loaded into an empty table, in key order. A migrated file comes in any order,
//! with the numbers of an older system, and a million inserts in random key order into `application` and
//! `journal_row` (both keyed by the number) read and write back a page of each for nearly every row once the
//! tables outgrow the page cache: three times the time of the same rows written in order. So every row goes
//! first, as it comes, to a temporary table (on disk: the bulk load keeps temporary storage in files), and into
//! both tables at the end in one sorted pass each: SQLite's sorter, in bounded memory, with its runs in
//! temporary files, each table then written from its first page to its last.
//!
//! The rows kezek numbers are staged too, though their numbers rise within each queue type and year: kezek
//! gives the numbers the file leaves free, from 1 up, so the numbers kept (an older system's, anywhere up to
//! 999,999) fall between them. Written straight in, those rows would have every page of their stretch of both
//! tables read back, split and copied to the sorted insert's statement journal (the pages were there before the
//! statement began) when the kept rows arrive among them; staged, every page is written once, new (the unseen
//! ten million: 308 s against 326 s, A/B).
//!
//! A file that keeps few numbers (`SORT_ABOVE` or fewer) writes every row straight in: while the tables are
//! small their pages stay in memory, and random key order costs less than staging and sorting; a file that keeps
//! none gives every row a rising number, in order within each queue type and year.
//!
//! The public record still shows the rows in the file's order, as they are checked; only the order in which
//! SQLite receives them changes.

use rusqlite::types::Value;
use rusqlite::{Connection, Statement};

use super::writes::{insert_sql, NewRow, COLUMNS};
use crate::error::Result;
use crate::store::journal::{EventWriter, APPLICATION};

/// The rows keeping their file's numbers above which a load sorts them. Measured on unseen files, half of whose
/// rows keep numbers, in turns: 100,000 rows 2.1 s straight in against 2.5 s sorted; 300,000 rows 5.4 to 5.7 s
/// either way; at a million, sorting took the import from 1.79 to 1.40 times the same work.
const SORT_ABOVE: u64 = 1 << 17;

/// The temporary table a load goes through.
const TABLE: &str = "temp.application_load";

/// A load under way: the rows that keep their numbers staged, not yet in `application`.
pub(in crate::store) struct SortedLoad<'c> {
    /// The inserts of a row kezek numbered (into `application`) and of a row staged, prepared once for the
    /// load rather than found again in the statement cache for every row.
    direct: Statement<'c>,
    stage: Statement<'c>,
    /// Whether the rows are staged and sorted (more than `SORT_ABOVE` of them keep their numbers).
    sorts: bool,
}

impl<'c> SortedLoad<'c> {
    /// Creates the temporary table: the columns of `application` and the row's digest. `kept` is how many
    /// rows of the file keep their numbers.
    pub(in crate::store) fn begin(tx: &'c Connection, kept: u64) -> Result<SortedLoad<'c>> {
        tx.execute_batch(&format!(
            "CREATE TABLE {TABLE} ({}, digest)",
            COLUMNS.join(", ")
        ))?;
        Ok(SortedLoad {
            direct: tx.prepare(insert_sql())?,
            stage: tx.prepare(&format!(
                "INSERT INTO {TABLE} VALUES ({})",
                vec!["?"; COLUMNS.len() + 1].join(", ")
            ))?,
            sorts: kept > SORT_ABOVE
                || crate::faults::active(crate::faults::Fault::ImportSortsEveryLoad),
        })
    }

    /// Whether the rows are staged and sorted: then this thread's inserts are quick appends to a temporary table,
    /// and it has time to make each row's values, digest and public columns, which the checking thread has not.
    pub(in crate::store) fn sorts(&self) -> bool {
        self.sorts
    }

    /// Writes a checked application and adds it to the event's public record: straight into `application` if
    /// the load does not sort (as `insert` does), else staged, its digest reaching `journal_row` with the rest in
    /// `finish`.
    pub(in crate::store) fn add(&mut self, event: &mut EventWriter, row: &NewRow) -> Result<()> {
        if !self.sorts {
            self.direct
                .execute(rusqlite::params_from_iter(&row.values))?;
            return event.touch_written(APPLICATION, &row.number, row.digest, &row.public);
        }
        let digest = Value::Blob(row.digest.to_vec());
        self.stage.execute(rusqlite::params_from_iter(
            row.values.iter().chain([&digest]),
        ))?;
        event.touch_staged(APPLICATION, &row.number, &row.public)
    }

    /// Writes the staged rows into `journal_row` (for the event `seq`) and `application`, each in key order,
    /// and drops the temporary table.
    pub(in crate::store) fn finish(self, tx: &Connection, seq: i64) -> Result<()> {
        // The load's statements go before the table they write.
        drop(self);
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
