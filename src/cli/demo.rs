//! `kezek demo`: a sample city built with the same functions the commands use, then shown.

use std::path::{Path, PathBuf};

use chrono::Datelike;
use serde::Serialize;

use super::Ctx;
use crate::crypto::PrivateKey;
use crate::csvfile::CsvFile;
use crate::domain::officer::NewOfficer;
use crate::error::{Error, Result};
use crate::store::db::{Db, DEMO_APPLICATION_ID};
use crate::store::{audit, officers, orgs, reference, Acting, Actor, Mode};

pub const DEFAULT_DEMO_DB: &str = "./kezek-demo.db";

const ORGS_CSV: &[u8] = include_bytes!("../../examples/orgs.csv");
const CALENDAR_CSV: &[u8] = include_bytes!("../../examples/calendar.csv");

#[derive(Default, Serialize)]
struct OrgCount {
    district: String,
    state: usize,
    private: usize,
    sanatorium: usize,
}

pub fn run(ctx: &Ctx) -> Result<()> {
    let path = ctx
        .global
        .db
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DEMO_DB));
    if !Db::replaceable_by_demo(&path)? {
        return Err(Error::usage(format!(
            "{} holds data that is not a kezek demo; the demo starts from an empty database (choose another --db)",
            path.display()
        )));
    }
    remove_earlier(&path)?;
    let keys = keys_dir(&path);
    let (mut db, _) = Db::init(&path, &ctx.now, DEMO_APPLICATION_ID)?;
    ctx.out
        .status(&format!("kezek demo: a sample city in {}", path.display()));

    ctx.out.status("generating the demo officer's RSA key...");
    let key = PrivateKey::generate(2048)?;
    let (key_path, _) = key.write_pair(&keys)?;
    let officer = NewOfficer::check("demo", "Демо Офицер", "Алмалинский")?;
    let public = key.public().clone();
    let first = Actor {
        acting: Acting::FirstOfficer(officer.id.clone()),
        key: Some(key),
    };
    db.change(&first, &ctx.now, Mode::Commit, |c| {
        officers::add(c, &officer, &public, Some(&public))
    })?;
    let actor = Actor {
        acting: Acting::Officer(officer.id.clone()),
        key: first.key,
    };

    let mut csv = CsvFile::from_bytes(
        "examples/orgs.csv",
        ORGS_CSV,
        orgs::IMPORT_REQUIRED,
        orgs::IMPORT_OPTIONAL,
    )?;
    let report = db.change(&actor, &ctx.now, Mode::Commit, |c| {
        orgs::import(c, &mut csv, &|_| {})
    })?;
    ctx.out.status(&format!(
        "imported {} organizations from {}",
        report.rows, report.file
    ));
    let mut csv = CsvFile::from_bytes(
        "examples/calendar.csv",
        CALENDAR_CSV,
        reference::CALENDAR_COLUMNS,
        &[],
    )?;
    let report = db.change(&actor, &ctx.now, Mode::Commit, |c| {
        reference::import_days(c, &mut csv, &|_| {})
    })?;
    ctx.out.status(&format!(
        "imported {} declared days from {}",
        report.rows, report.file
    ));

    ctx.out.status("\nOrganizations by district:");
    ctx.out
        .list(&org_counts(&orgs::list(db.conn(), None, None)?))?;

    let year = ctx.now.today().year();
    ctx.out.status(&format!(
        "\nThe working-day calendar of {year} (days that differ from a plain week):"
    ));
    let calendar = reference::working_calendar(db.conn())?;
    let days: Vec<_> = calendar
        .special_days(year)
        .into_iter()
        .map(|(date, reason)| {
            serde_json::json!({
                "date": date.to_string(),
                "weekday": date.format("%a").to_string(),
                "working": reason.is_working(),
                "reason": reference::describe(&reason),
            })
        })
        .collect();
    ctx.out.list(&days)?;
    let today = ctx.now.today();
    ctx.out.status(&format!(
        "\nA direction issued today ({today}) is valid to the end of {} (5 working days, R-D1).",
        calendar.add_working_days(today, 5)
    ));

    let verified = db.snapshot(|conn| audit::verify(conn, None))?;
    ctx.out.status(&format!(
        "\nJournal: {} events, {} signed heads, {} rows verified (kezek audit verify).",
        verified.events, verified.heads, verified.rows
    ));
    ctx.out.status(&format!(
        "\nTry it yourself (kezek is target/release/kezek, or `cargo run --release --`):\n  export KEZEK_DB={} KEZEK_OFFICER=demo KEZEK_KEY={}\n  kezek org list --district Медеуский\n  kezek calendar show --year 2026\n  kezek settings show\n  kezek category list\n  kezek history DS-001\n  kezek audit head",
        path.display(),
        key_path.display()
    ));
    Ok(())
}

fn keys_dir(db: &Path) -> PathBuf {
    db.with_extension("keys")
}

/// Removes an earlier demo: its database files and its key pair.
fn remove_earlier(path: &Path) -> Result<()> {
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    let keys = keys_dir(path);
    files.push(keys.join("officer.key"));
    files.push(keys.join("officer.pub"));
    for f in files {
        if f.exists() {
            std::fs::remove_file(&f).map_err(|e| Error::io(f.display().to_string(), e))?;
        }
    }
    Ok(())
}

fn org_counts(orgs: &[orgs::OrgRow]) -> Vec<OrgCount> {
    let mut out: Vec<OrgCount> = Vec::new();
    for o in orgs {
        let i = match out.iter().position(|c| c.district == o.district) {
            Some(i) => i,
            None => {
                out.push(OrgCount {
                    district: o.district.clone(),
                    state: 0,
                    private: 0,
                    sanatorium: 0,
                });
                out.len() - 1
            }
        };
        match o.kind.as_str() {
            "state" => out[i].state += 1,
            "private" => out[i].private += 1,
            _ => out[i].sanatorium += 1,
        }
    }
    out.sort_by(|a, b| a.district.cmp(&b.district));
    out
}
