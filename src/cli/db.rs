//! `kezek db`: backups and checks of the database file, and the purge of personal data.

use std::path::PathBuf;

use clap::Subcommand;

use super::Ctx;
use crate::domain::time::parse_date;
use crate::error::{Error, Result};
use crate::store::{audit, purge};
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy the database with SQLite's online backup (consistent while others write)
    #[command(
        long_about = "Copy the database to FILE with SQLite's online backup API: the copy is consistent \
        even while other processes write (one read transaction, which holds up no writer: officers and \
        Litestream go on). FILE is created with mode 0600 and is never overwritten."
    )]
    Backup {
        /// The file to write (must not exist)
        file: PathBuf,
    },
    /// SQLite's integrity and foreign-key checks, the queue counts, then `audit verify` (R-A6, R-A8)
    #[command(
        long_about = "SQLite's integrity and foreign-key checks, the queue counts, then `audit verify` with \
        the same --head and --trust (R-A6, R-A7, R-A8). Names the first problem found and exits 65."
    )]
    Check(super::audit::Anchors),
    /// Anonymise the personal data of applications that ended before a date (asks for confirmation)
    #[command(
        long_about = "Anonymise the personal data of the applications that were enrolled or removed \
        before DATE: IINs become twelve zeros, names, phone, e-mail and documents are emptied, the birth date \
        keeps only its year; their notifications lose recipient and text; enrollments that ended before DATE \
        lose the child's IIN. The signed documents of their directions are replaced by a redaction record that \
        keeps the document's SHA-256: the kept signature still verifies against it (`direction verify` reports \
        the direction as purged). Statistics keep working (queue type, group year, class, dates and statuses \
        stay) and so does `audit verify` (the purge is one journaled change). The purge overwrites what it \
        removes (SQLite secure_delete), then rebuilds the database file (VACUUM) and empties its write-ahead \
        log, so that no purged value is left in the bytes of the file. On a database that Litestream \
        replicates, the log is left to Litestream, and the replica keeps the purged values until its retention \
        has passed (R-O1). Asks for confirmation on a terminal unless --yes; without a terminal and \
        without --yes it refuses (exit 2)."
    )]
    Purge {
        /// YYYY-MM-DD: applications that ended before this day
        #[arg(long)]
        before: String,
    },
}

pub fn run(ctx: &Ctx, command: DbCommand) -> Result<()> {
    match command {
        DbCommand::Backup { file } => {
            if file.exists() {
                return Err(Error::usage(tr!(
                    "cli-db-backup-exists",
                    file = file.display().to_string()
                )));
            }
            let db = ctx.open()?;
            db.backup(&file)?;
            ctx.out.status(&tr!(
                "cli-db-backed-up",
                db = db.path().display().to_string(),
                file = file.display().to_string()
            ));
            Ok(())
        }
        DbCommand::Purge { before } => {
            let before = parse_date("--before", &before)?;
            if before > ctx.now.today() {
                return Err(Error::usage(tr!(
                    "cli-db-purge-ahead",
                    before = before.to_string(),
                    today = ctx.now.today().to_string()
                )));
            }
            let actor = ctx.actor()?;
            let mut db = ctx.open()?;
            ctx.out
                .confirm(&tr!("cli-db-purge-confirm", before = before.to_string()))?;
            let run = purge::run(&mut db, &actor, &ctx.now, before)?;
            let report = run.report;
            ctx.out.status(&tr!(
                "cli-db-purged",
                applications = report.applications as i64,
                notifications = report.notifications as i64,
                enrollments = report.enrollments as i64,
                directions = report.directions as i64,
                before = before.to_string()
            ));
            if !run.wiped {
                ctx.out.status(&tr!("cli-db-purge-not-wiped"));
            }
            if run.replicated {
                ctx.out.status(&tr!("cli-db-purge-replicated"));
            }
            ctx.out.object(&report)
        }
        DbCommand::Check(anchors) => {
            let mut db = ctx.open()?;
            let (head, trust) = anchors.load()?;
            let report = audit::check_database(&mut db, head.as_ref(), trust.as_ref())?;
            ctx.out.status(&tr!(
                "msg-db-check-ok",
                events = report.events,
                heads = report.heads,
                rows = report.rows
            ));
            match ctx.out.format {
                super::output::Format::Table | super::output::Format::Text => Ok(()),
                _ => ctx.out.object(&report),
            }
        }
    }
}
