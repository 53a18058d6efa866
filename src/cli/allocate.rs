//! `kezek allocate`: directions by ranked preferences, serial dictatorship in queue order (R-C2).

use clap::Args;

use super::output::Format;
use super::Ctx;
use crate::error::Result;
use crate::store::{allocation, Mode};

#[derive(Debug, Args)]
pub struct AllocateArgs {
    /// Print what the allocation would do, write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, args: AllocateArgs) -> Result<()> {
    let actor = ctx.actor()?;
    let key = super::direction::signing_key(&actor)?;
    let mut db = ctx.open()?;
    let report = db.change(&actor, &ctx.now, Mode::dry_run_if(args.dry_run), |c| {
        allocation::run(c, key)
    })?;
    ctx.out.status(&crate::tr!(
        "msg-allocated",
        directions = report.directions.len() as i64,
        unplaced = report.unplaced as i64,
        dry = if args.dry_run {
            crate::tr!("msg-dry-run")
        } else {
            String::new()
        }
    ));
    match ctx.out.format {
        Format::Table | Format::Text => ctx.out.list(&report.directions),
        _ => ctx.out.object(&report),
    }
}
