//! Opening the database (pragmas, migrations) and running one command as one transaction.

use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use super::access::{Access, Token};

use super::change::{Actor, Change, Mode};
use super::migrations::{self, MIGRATIONS};
use super::replication;
use crate::domain::time::Now;
use crate::error::{Error, Result};
use crate::tr;

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

/// One consistent view of the database (a read transaction), for a command that reads several things.
pub struct Snapshot<'c>(Transaction<'c>);

impl Access for Db {
    fn connection(&self, _: Token) -> &Connection {
        &self.conn
    }
}

impl Access for Snapshot<'_> {
    fn connection(&self, _: Token) -> &Connection {
        &self.0
    }
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
        // Two `init`s of one file take turns, from before the file is created to the end of the migrations:
        // the second finds the first one's work done and applies nothing again. (An advisory `flock` of the
        // file; SQLite's own locks are POSIX record locks, which it does not disturb.)
        let io = |e| Error::io(format!("--db {}", path.display()), e);
        let (file, created) = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(file) => (file, true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                (std::fs::File::open(path).map_err(io)?, false)
            }
            Err(e) => return Err(io(e)),
        };
        file.lock().map_err(io)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mut db = Db::configure(conn, path)?;
        db.check_identity(created)?;
        // The version is read under the exclusive lock: two `init`s racing on a new file must not both apply
        // the migrations (the second one sees the first one's work and has nothing to do).
        let tx = db
            .conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)?;
        let from_version = user_version(&tx)?;
        if created || from_version == 0 {
            tx.pragma_update(None, "application_id", application_id)?;
        }
        migrations::apply(&tx, now, from_version)?;
        tx.commit()?;
        drop(file);
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
            return Err(Error::NotFound(tr!(
                "err-db-missing",
                path = path.display().to_string()
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
            return Err(Error::usage(tr!(
                "err-db-old-schema",
                path = path.display().to_string(),
                version = version as i64,
                latest = MIGRATIONS.len() as i64
            )));
        }
        Ok(db)
    }

    /// Per-connection settings: foreign keys, WAL, `synchronous=FULL` (a command that said "done" survives a
    /// power cut), a busy timeout. Each is read back, so a database that will not take them is refused. The busy
    /// timeout also lets a command wait out Litestream's short write locks (Litestream asks for 5 seconds); on
    /// a database Litestream replicates, a commit never checkpoints: the log is Litestream's to fold in (R-O1).
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
            return Err(Error::Internal(tr!(
                "err-db-settings",
                path = path.display().to_string(),
                mode = mode,
                synchronous = synchronous,
                foreign_keys = foreign_keys
            )));
        }
        if replication::is_replicated(&conn)? {
            conn.pragma_update(None, "wal_autocheckpoint", 0)?;
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
        Err(Error::bad(tr!(
            "err-db-not-kezek",
            path = self.path.display().to_string()
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
        user_version(&self.conn)
    }

    pub fn application_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on one consistent snapshot of the database (a read transaction).
    pub fn snapshot<T>(&mut self, f: impl FnOnce(&Snapshot) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let snapshot = Snapshot(tx);
        let out = f(&snapshot)?;
        snapshot.0.finish()?;
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
            return Err(Error::usage(tr!("err-db-no-key")));
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
        self.backup_in_one_step(to).inspect_err(|_| {
            let _ = std::fs::remove_file(to);
        })
    }

    /// Copies every page in one step, that is in one read transaction: a copy made a hundred pages at a time
    /// starts over whenever another connection commits between two steps, and under load (officers, or
    /// Litestream's own writes to its tables, R-O1) it might never end. A read transaction in WAL mode blocks
    /// no writer; a step that finds the database locked (a checkpoint restarting the log) is retried for the
    /// busy timeout.
    fn backup_in_one_step(&self, to: &Path) -> Result<()> {
        use rusqlite::backup::{Backup, StepResult};
        let mut dst = Connection::open(to)?;
        let backup = Backup::new(&self.conn, &mut dst)?;
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            match backup.step(-1)? {
                StepResult::Done => return Ok(()),
                StepResult::More => {}
                _ if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => return Err(Error::Busy),
            }
        }
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
            problems.push(tr!(
                "err-db-foreign-key",
                table = table,
                rowid = rowid.map(|v| v.to_string()).unwrap_or_default(),
                parent = parent
            ));
        }
        Ok(problems)
    }
}

fn user_version(conn: &Connection) -> Result<usize> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(v as usize)
}

/// SQLite's errors as kezek's: a busy or locked database is `Busy` (exit 75), a constraint that refused a row is
/// `Constraint` (an import reports it as a bad row), anything else is `Sqlite`.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::ConstraintViolation) => Error::Constraint(e.to_string()),
            _ => Error::Sqlite(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A constraint that refuses a write is `Error::Constraint` (an import reports the row as bad); a busy
    /// database is `Error::Busy` (exit 75).
    #[test]
    fn sqlite_errors_map_to_kezek_errors() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (v TEXT CHECK (v GLOB '[0-9]*'))")
            .unwrap();
        let e = Error::from(
            conn.execute("INSERT INTO t (v) VALUES ('x')", [])
                .unwrap_err(),
        );
        assert!(
            matches!(&e, Error::Constraint(m) if m.contains("CHECK constraint failed")),
            "{e:?}"
        );
        assert_eq!(e.exit_code(), 1);
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        assert_eq!(Error::from(busy).exit_code(), 75);
    }

    /// Two `init`s racing on a new file both succeed: the second sees the first one's migrations under the
    /// lock and applies none again.
    #[test]
    fn two_concurrent_inits_of_a_new_file_both_succeed() {
        for round in 0..5 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("kezek.db");
            let now = Now::new(Some("2026-03-16T10:00"), chrono::Utc::now()).unwrap();
            let barrier = std::sync::Barrier::new(2);
            let results: Vec<Result<usize>> = std::thread::scope(|s| {
                let runs: Vec<_> = (0..2)
                    .map(|_| {
                        s.spawn(|| {
                            barrier.wait();
                            Db::init(&path, &now, APPLICATION_ID).map(|(_, r)| r.from_version)
                        })
                    })
                    .collect();
                runs.into_iter().map(|r| r.join().unwrap()).collect()
            });
            let froms: Vec<usize> = results
                .into_iter()
                .map(|r| r.unwrap_or_else(|e| panic!("round {round}: {e}")))
                .collect();
            assert!(froms.contains(&0), "round {round}: {froms:?}");
            let db = Db::open(&path).unwrap();
            assert_eq!(db.user_version().unwrap(), MIGRATIONS.len());
            let migrations: i64 = crate::store::access::conn(&db)
                .query_row(
                    "SELECT count(*) FROM journal WHERE kind = 'schema.migrate'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(migrations as usize, MIGRATIONS.len(), "round {round}");
        }
    }

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
