//! `kezek stats`: waiting, directions, removals, free places, waiting times (no personal data).

use clap::Args;
use serde::Serialize;

use super::output::Format;
use super::Ctx;
use crate::domain::time::parse_date;
use crate::error::Result;
use crate::store::stats;
use crate::tr;

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// First day of the period, YYYY-MM-DD [default: the beginning]
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of the period, YYYY-MM-DD [default: today]
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Default, Serialize)]
struct Count {
    what: String,
    count: u64,
}

pub fn run(ctx: &Ctx, args: StatsArgs) -> Result<()> {
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
                Some(f) => tr!("cli-stats-period-from", from = f.clone(), to = s.to.clone()),
                None => tr!("cli-stats-period-up-to", to = s.to.clone()),
            };
            ctx.out.text(&format!("{}\n", tr!("cli-stats-waiting")))?;
            ctx.out.list(&s.waiting)?;
            ctx.out.text(&format!(
                "\n{}\n",
                tr!("cli-stats-moves", period = period.clone())
            ))?;
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
                .text(&format!("\n{}\n", tr!("cli-stats-free-places")))?;
            ctx.out.list(&s.free_places)?;
            ctx.out
                .text(&format!("\n{}\n", tr!("cli-stats-median", period = period)))?;
            ctx.out.list(&s.median_wait_days)
        }
    }
}
