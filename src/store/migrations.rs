//! The migrations (`sql/NNNN_name.sql`, append-only, tracked by `PRAGMA user_version`): applying them in `init`,
//! journaling what each one seeded, and replaying them in memory so that the audit knows the schema and the
//! seeded rows that this binary's migrations create.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction};

use super::journal::{self, each_row_digest, EventWriter, KeyOrd, RowMap, STATE_TABLES};
use crate::domain::time::Now;
use crate::error::{Error, Result};
use crate::tr;

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
    (
        "0006_public_log",
        include_str!("../../sql/0006_public_log.sql"),
    ),
    (
        "0007_districts",
        include_str!("../../sql/0007_districts.sql"),
    ),
    ("0008_choice", include_str!("../../sql/0008_choice.sql")),
    ("0009_capacity", include_str!("../../sql/0009_capacity.sql")),
    (
        "0010_attendance",
        include_str!("../../sql/0010_attendance.sql"),
    ),
    (
        "0011_benefit_confirmation",
        include_str!("../../sql/0011_benefit_confirmation.sql"),
    ),
    ("0012_roles", include_str!("../../sql/0012_roles.sql")),
    (
        "0013_offer_siblings",
        include_str!("../../sql/0013_offer_siblings.sql"),
    ),
    (
        "0014_benefit_pending",
        include_str!("../../sql/0014_benefit_pending.sql"),
    ),
];

/// The migration that creates the public log (R-V1, R-V2): it writes the public records of the events before it,
/// and every event from it on has one.
pub const PUBLIC_LOG_VERSION: usize = 6;

/// The kind of the system event that records what a migration seeded; the only kind written without an officer.
pub const MIGRATION_KIND: &str = "schema.migrate";

/// Applies the migrations after the first `from_version` inside `tx`, each journaled and counted in
/// `user_version`.
pub(super) fn apply(tx: &Transaction, now: &Now, from_version: usize) -> Result<()> {
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(from_version) {
        let version = index + 1;
        tx.execute_batch(sql).map_err(|e| {
            Error::Internal(tr!(
                "err-db-migration-failed",
                name = name.to_string(),
                error = e.to_string()
            ))
        })?;
        if version == PUBLIC_LOG_VERSION {
            journal::backfill(tx)?;
        }
        record(tx, now, version, name)?;
        tx.pragma_update(None, "user_version", version as i64)?;
    }
    Ok(())
}

/// The migration a migration event names, if it is one of this binary's.
pub(super) fn version_in(details: &str) -> Option<usize> {
    let v: serde_json::Value = serde_json::from_str(details).ok()?;
    let version = v.get("version")?.as_u64()? as usize;
    (1..=MIGRATIONS.len()).contains(&version).then_some(version)
}

/// Records what migration `version` seeded, as a system event without an officer. The rows are those the
/// migration creates on an empty database, so `verify` can recompute them exactly.
fn record(tx: &Transaction, now: &Now, version: usize, name: &str) -> Result<()> {
    let details = serde_json::json!({ "version": version, "migration": name });
    let public = version >= PUBLIC_LOG_VERSION;
    let mut event = EventWriter::begin(tx, now, None, MIGRATION_KIND, name, &details, public)?;
    for (table, key) in seeded_rows(version)?.keys() {
        let table = journal::table_named(table).expect("seeded rows are in state tables");
        event.touch(table, key)?;
    }
    event.finish()?;
    Ok(())
}

/// The state rows migration `version` creates on an empty database: replayed in memory, so the same binary
/// always derives the same set.
pub(super) fn seeded_rows(version: usize) -> Result<RowMap> {
    replay()?
        .seeded
        .get(version.wrapping_sub(1))
        .cloned()
        .ok_or_else(|| Error::Internal(tr!("err-db-no-migration", version = version as i64)))
}

/// One schema object as `sqlite_schema` holds it: type, name, table, SQL (without the root page).
pub(super) type SchemaObject = (String, String, String, Option<String>);

/// The schema the migrations create, in (type, name) order.
pub(super) fn expected_schema() -> Result<&'static [SchemaObject]> {
    Ok(&replay()?.schema)
}

/// The schema objects of a database, in (type, name) order.
pub(super) fn schema_of(conn: &Connection) -> Result<Vec<SchemaObject>> {
    let mut stmt =
        conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The migrations replayed once per process on an empty database in memory: the rows each one seeded, and the
/// schema they leave.
struct Replay {
    seeded: Vec<RowMap>,
    schema: Vec<SchemaObject>,
}

fn replay() -> Result<&'static Replay> {
    static REPLAY: std::sync::OnceLock<Replay> = std::sync::OnceLock::new();
    if let Some(r) = REPLAY.get() {
        return Ok(r);
    }
    let conn = Connection::open_in_memory()?;
    let mut seeded = Vec::new();
    let mut before = RowMap::new();
    for (_, sql) in MIGRATIONS {
        conn.execute_batch(sql)?;
        let after = all_rows(&conn)?;
        seeded.push(
            after
                .iter()
                .filter(|(k, v)| before.get(k) != Some(v))
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
        );
        before = after;
    }
    let schema = schema_of(&conn)?;
    Ok(REPLAY.get_or_init(|| Replay { seeded, schema }))
}

fn all_rows(conn: &Connection) -> Result<RowMap> {
    let mut out = RowMap::new();
    for table in STATE_TABLES {
        let exists: bool = conn
            .query_row(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [table.name],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if exists {
            each_row_digest(conn, *table, "", &[], |_, key, digest| {
                let key = Value::try_from(key).map_err(|e| Error::Internal(e.to_string()))?;
                out.insert((table.name.to_string(), KeyOrd(key)), Some(digest));
                Ok(())
            })?;
        }
    }
    Ok(out)
}
