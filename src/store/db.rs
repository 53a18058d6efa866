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

/// How long a command waits for another writer before it gives up with exit 75.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Db {
    conn: Connection,
    path: PathBuf,
    /// Opened for reading only: this process cannot write the file, its directory or its disk.
    read_only: bool,
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
        Db::init_at(path, now, application_id).map_err(|e| e.on_database(path))
    }

    fn init_at(path: &Path, now: &Now, application_id: i64) -> Result<(Db, InitReport)> {
        if path.exists() {
            check_file(path)?;
        }
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
            Err(e) => return Err(cannot_create(path, e)),
        };
        file.lock().map_err(io)?;
        if !created {
            check_header(path)?;
        }
        let (conn, read_only) = connect(path)?;
        if read_only {
            return Err(Error::ReadOnly { path: None });
        }
        let mut db = Db::configure(conn, path, false)?;
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

    /// Opens an existing, migrated database for any command but `init`: for reading and writing, or for
    /// reading only when this process cannot write the file, its directory or its disk (a change is then
    /// refused with `Error::ReadOnly`).
    pub fn open(path: &Path) -> Result<Db> {
        Db::open_at(path).map_err(|e| e.on_database(path))
    }

    fn open_at(path: &Path) -> Result<Db> {
        if !path.exists() {
            return Err(Error::NotFound(tr!(
                "err-db-missing",
                path = path.display().to_string()
            )));
        }
        check_file(path)?;
        check_header(path)?;
        let (conn, read_only) = connect(path)?;
        let db = Db::configure(conn, path, read_only)?;
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
    /// power cut), a busy timeout. Each is read back, so a database that will not take them is refused. A
    /// read-only connection takes the journal mode the file has: it writes nothing. The busy timeout also lets a
    /// command wait out Litestream's short write locks (Litestream asks for 5 seconds); on a database Litestream
    /// replicates, a commit never checkpoints: the log is Litestream's to fold in (R-O1).
    fn configure(conn: Connection, path: &Path, read_only: bool) -> Result<Db> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if read_only {
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.pragma_update(None, "temp_store", "MEMORY")?;
            return Ok(Db {
                conn,
                path: path.to_path_buf(),
                read_only,
            });
        }
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Statement journals (for statements that fire triggers or upserts) stay in memory, not in temp files.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        if let Some(pages) = crate::faults::max_pages() {
            let _: i64 = conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
                r.get(0)
            })?;
        }
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
            read_only,
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

    /// Whether the database was opened for reading only (see [`Db::open`]).
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Runs `f` on one consistent snapshot of the database (a read transaction).
    pub fn snapshot<T>(&mut self, f: impl FnOnce(&Snapshot) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let run = || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Deferred)?;
            let snapshot = Snapshot(tx);
            let out = f(&snapshot)?;
            snapshot.0.finish()?;
            Ok(out)
        };
        run().map_err(|e: Error| e.on_database(&path))
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
        if self.read_only {
            return Err(Error::ReadOnly { path: None }.on_database(&self.path));
        }
        if mode == Mode::Commit && actor.key.is_none() {
            return Err(Error::usage(tr!("err-db-no-key")));
        }
        let path = self.path.clone();
        self.change_in_transaction(actor, now, mode, f)
            .map_err(|e| e.on_database(&path))
    }

    fn change_in_transaction<T>(
        &mut self,
        actor: &Actor,
        now: &Now,
        mode: Mode,
        f: impl FnOnce(&Change) -> Result<T>,
    ) -> Result<T> {
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
        self.backup_in_one_step(to).map_err(|e| {
            let _ = std::fs::remove_file(to);
            // A full disk is the copy's: it is the file that grows.
            e.on_database(to)
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

/// SQLite's files begin with these 16 bytes.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Refuses a `--db` that names a directory or anything but a regular file (exit 2).
fn check_file(path: &Path) -> Result<()> {
    let meta =
        std::fs::metadata(path).map_err(|e| Error::io(format!("--db {}", path.display()), e))?;
    let path = path.display().to_string();
    if meta.is_dir() {
        return Err(Error::usage(tr!("err-db-not-a-file", path = path)));
    }
    if !meta.is_file() {
        return Err(Error::usage(tr!("err-db-not-regular", path = path)));
    }
    Ok(())
}

/// Refuses a file that is not a SQLite database at all (exit 65): a text file, a CSV, a key. An empty file is a
/// database with nothing in it yet, as SQLite sees it.
fn check_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let io = |e| Error::io(format!("--db {}", path.display()), e);
    let mut head = Vec::with_capacity(SQLITE_HEADER.len());
    std::fs::File::open(path)
        .map_err(io)?
        .take(SQLITE_HEADER.len() as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    if head.is_empty() || head == SQLITE_HEADER {
        Ok(())
    } else {
        Err(not_sqlite(path))
    }
}

fn not_sqlite(path: &Path) -> Error {
    Error::bad(tr!("err-db-not-sqlite", path = path.display().to_string()))
}

/// Why `init` could not create the file: a missing directory is named (exit 4), a directory or disk this
/// process cannot write makes the database read-only (exit 75).
fn cannot_create(path: &Path, e: std::io::Error) -> Error {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound | ErrorKind::NotADirectory => {
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Error::NotFound(tr!(
                "err-db-no-directory",
                dir = dir.display().to_string(),
                path = path.display().to_string()
            ))
        }
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            Error::ReadOnly { path: None }
        }
        _ => Error::io(format!("--db {}", path.display()), e),
    }
}

/// A connection to the database at `path`, and whether it is read-only. SQLite opens a file it may not write
/// for reading only by itself; a WAL database whose directory it may not write (where the `-wal` and `-shm`
/// files live) it cannot even read that way, and [`reader`] opens it.
fn connect(path: &Path) -> Result<(Connection, bool)> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    match first_read(&conn) {
        Ok(()) => {
            let read_only = conn.is_readonly(rusqlite::MAIN_DB)?;
            Ok((conn, read_only))
        }
        Err(e) if cannot_write(&e) => {
            drop(conn);
            Ok((reader(path)?, true))
        }
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(not_sqlite(path))
        }
        Err(e) => Err(e.into()),
    }
}

/// A read-only connection to the database at `path`, for a process that may not write it, or its directory
/// (the audit's parallel readers use it too). SQLite reads a WAL database through its `-shm` file; when that
/// file does not exist and cannot be created, and no write-ahead log holds changes, every committed change is in
/// the file itself, and it is read as the file on read-only media it then is (SQLite's `immutable`).
pub(crate) fn reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    match first_read(&conn) {
        Ok(()) => return Ok(conn),
        Err(e) if !cannot_write(&e) => return Err(e.into()),
        Err(_) => {}
    }
    drop(conn);
    if log_holds_changes(path) {
        return Err(Error::Io {
            context: tr!("err-db-wal-unreadable", path = path.display().to_string()),
            source: std::io::ErrorKind::PermissionDenied.into(),
        });
    }
    let conn = Connection::open_with_flags(
        immutable_uri(path)?,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )?;
    first_read(&conn)?;
    Ok(conn)
}

/// Reads the schema, which makes SQLite open the file, and for a WAL database its `-wal` and `-shm` files.
fn first_read(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(drop)
}

/// SQLite's answers when a file, or the files beside it, cannot be created or written.
fn cannot_write(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode;
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied)
    )
}

/// Whether the write-ahead log beside `path` holds anything (changes not yet copied into the file).
fn log_holds_changes(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
}

/// `file:///ABSOLUTE/PATH?immutable=1`, the path's bytes percent-encoded but for the unreserved ones.
fn immutable_uri(path: &Path) -> Result<String> {
    use std::fmt::Write as _;
    use std::os::unix::ffi::OsStrExt;
    let absolute = std::fs::canonicalize(path)
        .map_err(|e| Error::io(format!("--db {}", path.display()), e))?;
    let mut uri = String::from("file://");
    for &b in absolute.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            let _ = write!(uri, "%{b:02X}");
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

fn user_version(conn: &Connection) -> Result<usize> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(v as usize)
}

/// SQLite's errors as kezek's: a busy or locked database is `Busy`, a read-only one `ReadOnly`, a full disk
/// `DiskFull` (exit 75; `Db` names the database), a constraint that refused a row is
/// `Constraint` (an import reports it as a bad row), anything else is `Sqlite`.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::ReadOnly) => Error::ReadOnly { path: None },
            Some(ErrorCode::DiskFull) => Error::DiskFull { path: None },
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
        // A full disk and a read-only database are 75 too, and learn the database's name from `Db`.
        for (code, text) in [
            (
                rusqlite::ffi::SQLITE_FULL,
                "the disk holding /srv/k.db is full",
            ),
            (
                rusqlite::ffi::SQLITE_READONLY,
                "database /srv/k.db cannot be written",
            ),
        ] {
            let e = Error::from(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                None,
            ))
            .on_database(Path::new("/srv/k.db"));
            assert_eq!(e.exit_code(), 75, "{e}");
            assert!(e.to_string().contains(text), "{e}");
        }
    }

    /// The URI of a read-only database read as immutable keeps every byte of its path, `?`, `#` and `%` too.
    #[test]
    fn an_immutable_uri_encodes_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a b?#%Я.db");
        std::fs::write(&path, b"").unwrap();
        let uri = immutable_uri(&path).unwrap();
        assert!(
            uri.ends_with("/a%20b%3F%23%25%D0%AF.db?immutable=1"),
            "{uri}"
        );
        let conn = Connection::open_with_flags(
            &uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        )
        .unwrap();
        assert_eq!(
            conn.path().map(Path::new),
            Some(std::fs::canonicalize(&path).unwrap().as_path())
        );
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
