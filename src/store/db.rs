//! Opening the database (pragmas, migrations) and running one command as one transaction.

use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::journal::{self, Change};
use crate::crypto::PrivateKey;
use crate::domain::time::Now;
use crate::error::{Error, Result};

/// The migrations, in order; `PRAGMA user_version` is the number of those applied.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../sql/0001_init.sql")),
    (
        "0002_applications",
        include_str!("../../sql/0002_applications.sql"),
    ),
    (
        "0003_places_directions",
        include_str!("../../sql/0003_places_directions.sql"),
    ),
    (
        "0004_sweep_stats",
        include_str!("../../sql/0004_sweep_stats.sql"),
    ),
    (
        "0005_covering_journal_index",
        include_str!("../../sql/0005_covering_journal_index.sql"),
    ),
];

/// `PRAGMA application_id` of a kezek database ("KZEK"), and of one made by `kezek demo` ("KZDM").
pub const APPLICATION_ID: i64 = 0x4B5A_454B;
pub const DEMO_APPLICATION_ID: i64 = 0x4B5A_444D;

/// The page cache of bulk commands, in KiB.
pub const BULK_CACHE_KIB: i64 = 32 * 1024;

/// The page cache while a load builds the indexes it set aside, in KiB: half the bulk cache, because each of
/// SQLite's sorting threads takes up to the cache's size for its runs, on top of the cache itself.
pub const SORT_CACHE_KIB: i64 = 16 * 1024;

/// The memory map of whole-table scans, in bytes.
pub const SCAN_MMAP_BYTES: i64 = 4 << 30;

/// How long a command waits for another writer before it gives up with exit 75.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Db {
    conn: Connection,
    path: PathBuf,
}

/// Who is acting: an officer, or the very first officer being added (R-A2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acting {
    Officer(String),
    FirstOfficer(String),
}

/// The acting officer and the key that signs the command's chain head (R-A5).
pub struct Actor {
    pub acting: Acting,
    pub key: Option<PrivateKey>,
}

impl Actor {
    pub fn officer_id(&self) -> &str {
        match &self.acting {
            Acting::Officer(id) | Acting::FirstOfficer(id) => id,
        }
    }
}

/// Whether a change is kept or only tried (`--dry-run`: every check runs, then everything is rolled back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Commit,
    DryRun,
}

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    pub created: bool,
    pub from_version: usize,
    pub to_version: usize,
}

impl Db {
    /// `kezek init`: creates the database file (mode 0600) if needed and applies the pending migrations in one
    /// exclusive transaction. Running it again is harmless.
    pub fn init(path: &Path, now: &Now, application_id: i64) -> Result<(Db, InitReport)> {
        let created = !path.exists();
        if created {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(|e| Error::io(format!("--db {}", path.display()), e))?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mut db = Db::configure(conn, path)?;
        db.check_identity(created)?;
        let from_version = db.user_version()?;
        let tx = db
            .conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)?;
        if created || from_version == 0 {
            tx.pragma_update(None, "application_id", application_id)?;
        }
        for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(from_version) {
            let version = index + 1;
            tx.execute_batch(sql)
                .map_err(|e| Error::Internal(format!("migration {name} failed: {e}")))?;
            journal::record_migration(&tx, now, version, name)?;
            tx.pragma_update(None, "user_version", version as i64)?;
        }
        tx.commit()?;
        let report = InitReport {
            created,
            from_version,
            to_version: MIGRATIONS.len(),
        };
        Ok((db, report))
    }

    /// Opens an existing, migrated database for any command but `init`.
    pub fn open(path: &Path) -> Result<Db> {
        if !path.exists() {
            return Err(Error::NotFound(format!(
                "database {}: create it with `kezek init`",
                path.display()
            )));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let db = Db::configure(conn, path)?;
        db.check_identity(false)?;
        let version = db.user_version()?;
        if version < MIGRATIONS.len() {
            return Err(Error::usage(format!(
                "database {} is at schema version {version} of {}: run `kezek init` to migrate it",
                path.display(),
                MIGRATIONS.len()
            )));
        }
        Ok(db)
    }

    /// Per-connection settings: foreign keys, WAL, `synchronous=FULL` (a command that said "done" survives a
    /// power cut), a busy timeout. Each is read back, so a database that will not take them is refused.
    fn configure(conn: Connection, path: &Path) -> Result<Db> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Statement journals (for statements that fire triggers or upserts) stay in memory, not in temp files.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let synchronous: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let foreign_keys: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") || synchronous != 2 || foreign_keys != 1 {
            return Err(Error::Internal(format!(
                "database {}: could not set WAL, synchronous=FULL and foreign keys (got {mode}, {synchronous}, {foreign_keys})",
                path.display()
            )));
        }
        Ok(Db {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Refuses a file that is some other program's SQLite database.
    fn check_identity(&self, created: bool) -> Result<()> {
        let id: i64 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if id == APPLICATION_ID || id == DEMO_APPLICATION_ID {
            return Ok(());
        }
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if id == 0 && (created || tables == 0) {
            return Ok(());
        }
        Err(Error::bad(format!(
            "--db: {} is not a kezek database",
            self.path.display()
        )))
    }

    /// Whether the file at `path` may be replaced by `kezek demo`: it does not exist, is empty, or is a demo.
    pub fn replaceable_by_demo(path: &Path) -> Result<bool> {
        match std::fs::metadata(path) {
            Err(_) => return Ok(true),
            Ok(m) if m.len() == 0 => return Ok(true),
            Ok(_) => {}
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let id: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap_or(0);
        Ok(id == DEMO_APPLICATION_ID)
    }

    /// A larger page cache for bulk work (imports, the sweep): index inserts in random key order thrash the
    /// default 2 MB.
    pub fn use_bulk_cache(&self) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        Ok(())
    }

    /// For imports, besides the bulk cache: the sorted runs of `CREATE INDEX` go to temporary files rather than
    /// memory, so that an import's memory stays bounded whatever the file's size, and a second thread sorts.
    pub fn use_bulk_load(&self) -> Result<()> {
        self.use_bulk_cache()?;
        self.conn.pragma_update(None, "temp_store", "FILE")?;
        let _: i64 = self
            .conn
            .query_row("PRAGMA threads = 2", [], |r| r.get(0))?;
        Ok(())
    }

    /// Memory-mapped reads for commands that scan whole tables (the audit): no system call per page.
    pub fn use_scan_mmap(&self) -> Result<()> {
        let _: i64 =
            self.conn
                .query_row(&format!("PRAGMA mmap_size = {SCAN_MMAP_BYTES}"), [], |r| {
                    r.get(0)
                })?;
        Ok(())
    }

    pub fn user_version(&self) -> Result<usize> {
        let v: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok(v as usize)
    }

    pub fn application_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` on one consistent snapshot of the database (a read transaction).
    pub fn snapshot<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// Runs one changing command: `BEGIN IMMEDIATE`, check the actor (R-A2), run `f`, which records its journal
    /// events through the `Change`, then sign the new chain head with the actor's key (R-A5) and commit. Any
    /// error rolls everything back. In `Mode::DryRun` every check runs and nothing is kept.
    pub fn change<T>(
        &mut self,
        actor: &Actor,
        now: &Now,
        mode: Mode,
        f: impl FnOnce(&Change) -> Result<T>,
    ) -> Result<T> {
        if mode == Mode::Commit && actor.key.is_none() {
            return Err(Error::usage(
                "--key (or KEZEK_KEY): the acting officer's private key is needed to sign this change",
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        crate::faults::mark("begin");
        let change = Change::begin(tx, actor, now)?;
        let out = f(&change)?;
        match mode {
            Mode::Commit => {
                change.seal_and_commit(actor.key.as_ref().expect("checked above"))?;
                crate::faults::mark("commit");
            }
            Mode::DryRun => change.roll_back()?,
        }
        Ok(out)
    }

    /// `kezek db backup`: SQLite's online backup, a consistent copy even while others write. The copy is created
    /// with mode 0600 and never overwrites a file.
    pub fn backup(&self, to: &Path) -> Result<()> {
        crate::crypto::write_new(to, &[], 0o600)?;
        self.conn
            .backup(rusqlite::MAIN_DB, to, None)
            .inspect_err(|_| {
                let _ = std::fs::remove_file(to);
            })?;
        Ok(())
    }

    /// SQLite's own checks: `integrity_check` and `foreign_key_check`. Returns the problems found.
    pub fn sqlite_checks(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(format!("integrity_check: {row}"));
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let table: String = r.get(0)?;
            let rowid: Option<i64> = r.get(1)?;
            let parent: String = r.get(2)?;
            problems.push(format!(
                "foreign_key_check: {table} row {} points to a missing {parent}",
                rowid.map(|v| v.to_string()).unwrap_or_default()
            ));
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The opcodes of a statement's program, as `EXPLAIN` lists them.
    fn opcodes(conn: &Connection, sql: &str) -> Vec<String> {
        let mut stmt = conn.prepare(&format!("EXPLAIN {sql}")).expect(sql);
        let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
        let rows = stmt
            .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(1))
            .expect(sql);
        rows.collect::<rusqlite::Result<_>>().expect(sql)
    }

    /// Writing one row of any table (every column, so that every CHECK, partial index and trigger takes part)
    /// builds no temporary b-tree. SQLite builds one per row for `x IN (a, b, c)` in a CHECK, a partial index's
    /// condition or a trigger, which made imports and the sweep a third slower; the schema spells such lists
    /// with `OR` (sql/0001_init.sql).
    #[test]
    fn writing_a_row_builds_no_temporary_table() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for (_, sql) in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(tables.len() > 10, "{tables:?}");
        let mut found = Vec::new();
        for table in &tables {
            let columns: Vec<(String, i64)> = conn
                .prepare(&format!(
                    "SELECT name, pk FROM pragma_table_info('{table}')"
                ))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let names: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
            let mut key: Vec<&(String, i64)> = columns.iter().filter(|(_, pk)| *pk > 0).collect();
            key.sort_by_key(|(_, pk)| *pk);
            let key: Vec<String> = key.iter().map(|(c, _)| format!("{c} = ?")).collect();
            let insert = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                vec!["?"; names.len()].join(", ")
            );
            let update = format!(
                "UPDATE {table} SET {} WHERE {}",
                names
                    .iter()
                    .map(|c| format!("{c} = ?"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if key.is_empty() {
                    "rowid = ?".to_string()
                } else {
                    key.join(" AND ")
                }
            );
            for sql in [insert, update] {
                if opcodes(&conn, &sql).iter().any(|op| op == "OpenEphemeral") {
                    found.push(sql);
                }
            }
        }
        assert!(found.is_empty(), "temporary b-trees built by: {found:#?}");
    }
}
