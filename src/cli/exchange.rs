//! `kezek exchange`: places swapped between enrolled children by Top Trading Cycles (R-C4).

use clap::Args;

use super::output::Format;
use super::Ctx;
use crate::error::Result;
use crate::store::{exchange, Mode};

#[derive(Debug, Args)]
pub struct ExchangeArgs {
    /// Print what the exchange would do, write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, args: ExchangeArgs) -> Result<()> {
    let actor = ctx.actor()?;
    let key = super::direction::signing_key(&actor)?;
    let mut db = ctx.open()?;
    let report = db.change(&actor, &ctx.now, Mode::dry_run_if(args.dry_run), |c| {
        exchange::run(c, key)
    })?;
    ctx.out.status(&crate::tr!(
        "msg-exchanged",
        cycles = report.cycles as i64,
        moves = report.swaps.len() as i64,
        unmatched = report.unmatched as i64,
        dry = if args.dry_run {
            crate::tr!("msg-dry-run")
        } else {
            String::new()
        }
    ));
    match ctx.out.format {
        Format::Table | Format::Text => ctx.out.list(&report.swaps),
        _ => ctx.out.object(&report),
    }
}
