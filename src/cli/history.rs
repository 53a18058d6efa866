//! `kezek history KEY`: the journal events of one record, readable (R-A4).

use clap::Args;
use serde::Serialize;

use super::output::Format;
use super::Ctx;
use crate::error::{Error, Result};
use crate::store::journal::{self, STATE_TABLES};
use crate::tr;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The record's key: an officer id, an org code, a date, a setting or category name
    #[arg(id = "record", value_name = "KEY")]
    pub key: String,
    /// Only this table: officer, org, calendar_day, setting, category
    #[arg(long)]
    pub table: Option<String>,
}

#[derive(Default, Serialize)]
struct HistoryRow {
    seq: i64,
    effective_at: String,
    officer: String,
    event: String,
    table: String,
    subject: String,
    details: String,
}

pub fn run(ctx: &Ctx, args: HistoryArgs) -> Result<()> {
    let tables = match &args.table {
        Some(name) => vec![journal::table_named(name).ok_or_else(|| {
            let names: Vec<&str> = STATE_TABLES.iter().map(|t| t.name).collect();
            Error::usage(tr!(
                "cli-history-not-a-table",
                value = name.clone(),
                tables = names.join(", ")
            ))
        })?],
        None => STATE_TABLES.to_vec(),
    };
    let db = ctx.open()?;
    let events = journal::history_of(&db, &tables, &args.key)?;
    if events.is_empty() {
        return Err(Error::NotFound(tr!(
            "cli-history-no-events",
            key = args.key.clone()
        )));
    }
    if ctx.out.format == Format::Json {
        let events: Vec<_> = events.into_iter().map(|(_, e)| e).collect();
        return ctx.out.list(&events);
    }
    let rows: Vec<HistoryRow> = events
        .into_iter()
        .map(|(table, e)| HistoryRow {
            seq: e.seq,
            effective_at: e.effective_at,
            officer: e.officer.unwrap_or_else(|| "(system)".into()),
            event: e.kind,
            table: table.to_string(),
            subject: e.subject,
            details: readable(&e.details),
        })
        .collect();
    ctx.out.list(&rows)
}

/// Details as `key: value, ...` rather than JSON.
fn readable(details: &serde_json::Value) -> String {
    match details {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}
