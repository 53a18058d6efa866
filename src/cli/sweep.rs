use clap::Args;
use serde::Serialize;

use super::output::Format;
use super::Ctx;
use crate::domain::sweep::SweepSummary;
use crate::domain::time::parse_date;
use crate::error::Result;
use crate::store::{reference, stats, sweep, Mode};

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The day to process, YYYY-MM-DD [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// Print what the sweep would do, write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// First day of the period, YYYY-MM-DD [default: the beginning]
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of the period, YYYY-MM-DD [default: today]
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Serialize)]
struct SweepReport {
    date: String,
    #[serde(flatten)]
    summary: SweepSummary,
    dry_run: bool,
    already_swept_at: Option<String>,
}

pub fn sweep(ctx: &Ctx, args: SweepArgs) -> Result<()> {
    let day = match &args.date {
        Some(d) => parse_date("--date", d)?,
        None => ctx.now.today(),
    };
    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Commit
    };
    let actor = ctx.actor()?;
    if day > ctx.now.today() {
        return Err(crate::error::Error::refused(
            "R-S6",
            format!(
                "the sweep processes days that have begun: --date {day} is after today ({})",
                ctx.now.today()
            ),
        ));
    }
    let mut db = ctx.open()?;
    db.use_bulk_cache()?;
    db.use_scan_mmap()?;
    let outcome = db.change(&actor, &ctx.now, mode, |c| {
        let settings = reference::load_settings(c)?;
        let calendar = reference::working_calendar(c)?;
        sweep::sweep(c, day, &settings, &calendar)
    })?;
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
            reference::load_settings(&db)?.max_expirations,
            s.stop_lists_ended,
            s.removed_age_limit
        ),
    };
    ctx.out.status(&message);
    if ctx.out.quiet {
        return Ok(());
    }
    ctx.out.object(&SweepReport {
        date: day.to_string(),
        summary: s,
        dry_run: args.dry_run,
        already_swept_at: outcome.first_run_at,
    })
}

pub fn stats(ctx: &Ctx, args: StatsArgs) -> Result<()> {
    let from = args
        .from
        .as_deref()
        .map(|d| parse_date("--from", d))
        .transpose()?;
    let to = match &args.to {
        Some(d) => parse_date("--to", d)?,
        None => ctx.now.today(),
    };
    let mut db = ctx.open()?;
    let s = db.snapshot(|conn| stats::stats(conn, from, to))?;
    match ctx.out.format {
        Format::Json => ctx.out.object(&s),
        Format::Csv => ctx.out.list(&s.lines()),
        Format::Table | Format::Text => {
            let period = match &s.from {
                Some(f) => format!("{f} to {}", s.to),
                None => format!("up to {}", s.to),
            };
            ctx.out
                .text("Waiting (внеочередники, первоочередники, на общих основаниях):\n")?;
            ctx.out.list(&s.waiting)?;
            ctx.out
                .text(&format!("\nDirections and removals, {period}:\n"))?;
            let mut moves = vec![
                ("directions_issued".to_string(), s.directions_issued),
                ("enrolled".to_string(), s.enrolled),
                ("expired".to_string(), s.expired),
                ("revoked".to_string(), s.revoked),
                ("annulled".to_string(), s.annulled),
            ];
            moves.extend(s.removed.iter().map(|(r, n)| (format!("removed: {r}"), *n)));
            let moves: Vec<_> = moves
                .into_iter()
                .map(|(what, count)| Count { what, count })
                .collect();
            ctx.out.list(&moves)?;
            ctx.out
                .text("\nFree places by organization kind, district and language:\n")?;
            ctx.out.list(&s.free_places)?;
            ctx.out.text(&format!(
                "\nMedian days from registration to direction, {period}:\n"
            ))?;
            ctx.out.list(&s.median_wait_days)
        }
    }
}

#[derive(Default, Serialize)]
struct Count {
    what: String,
    count: u64,
}
