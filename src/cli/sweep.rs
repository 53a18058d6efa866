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
    let outcome = db.change(&actor, &ctx.now, mode, |c| sweep::run(c, day))?;
    let s = outcome.summary;
    let message = match (&outcome.first_run_at, s.is_empty()) {
        (Some(at), true) => crate::tr!(
            "msg-sweep-done-already",
            day = day.to_string(),
            at = at.clone()
        ),
        _ => crate::tr!(
            "msg-sweep",
            day = day.to_string(),
            dry = if args.dry_run {
                crate::tr!("msg-dry-run")
            } else {
                String::new()
            },
            windows = s.windows_closed as i64,
            expired = s.directions_expired as i64,
            stop = s.stop_listed as i64,
            removed = s.removed_expired_twice as i64,
            max = i64::from(outcome.max_expirations),
            ended = s.stop_lists_ended as i64,
            age = s.removed_age_limit as i64
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
