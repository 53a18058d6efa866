//! `kezek sweep`: the nightly sweep (R-S1..R-S7).

use clap::Args;
use serde::Serialize;

use super::output::Format;
use super::Ctx;
use crate::domain::sweep::SweepSummary;
use crate::domain::time::parse_date;
use crate::error::Result;
use crate::store::{sweep, Mode};

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The day to process, YYYY-MM-DD [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// Print what the sweep would do, write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Serialize)]
struct SweepReport {
    date: String,
    #[serde(flatten)]
    summary: SweepSummary,
    dry_run: bool,
    already_swept_at: Option<String>,
}

pub fn run(ctx: &Ctx, args: SweepArgs) -> Result<()> {
    let day = match &args.date {
        Some(d) => parse_date("--date", d)?,
        None => ctx.now.today(),
    };
    let mode = Mode::dry_run_if(args.dry_run);
    let actor = ctx.actor()?;
    let mut db = ctx.open()?;
    db.use_bulk_cache()?;
    db.use_scan_mmap()?;
    let outcome = db.change(&actor, &ctx.now, mode, |c| sweep::run(c, day))?;
    let s = outcome.summary;
    let message = match (&outcome.first_run_at, s.is_empty()) {
        (Some(at), true) => format!("sweep of {day}: nothing to do (already done at {at})"),
        _ => format!(
            "sweep of {day}{}: {} windows closed, {} directions expired, {} stop-listed, {} removed after {} expirations, {} stop lists ended, {} removed at the age limit",
            if args.dry_run { " (dry run, nothing written)" } else { "" },
            s.windows_closed,
            s.directions_expired,
            s.stop_listed,
            s.removed_expired_twice,
            outcome.max_expirations,
            s.stop_lists_ended,
            s.removed_age_limit
        ),
    };
    ctx.out.status(&message);
    // --quiet silences stderr; the table is not printed either (cron mails what a job prints), but a report
    // asked for as JSON or CSV always is.
    if ctx.out.quiet && matches!(ctx.out.format, Format::Table | Format::Text) {
        return Ok(());
    }
    ctx.out.object(&SweepReport {
        date: day.to_string(),
        summary: s,
        dry_run: args.dry_run,
        already_swept_at: outcome.first_run_at,
    })
}
