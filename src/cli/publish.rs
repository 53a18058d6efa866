//! `kezek publish DIR` (R-V3): the public log, the latest checkpoint, the officers' keys, the queues and the
//! places, for anyone to check without the database.

use std::path::PathBuf;

use clap::Args;

use super::Ctx;
use crate::error::Result;

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The publication's directory (created if missing; an earlier publication in it is extended)
    pub dir: PathBuf,
}

pub fn run(ctx: &Ctx, args: PublishArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let report = crate::publish::publish(&mut db, &args.dir)?;
    ctx.out.status(&format!(
        "published {} records ({} new) in {} log files, {} queues and {} places to {}; root {}",
        report.tree_size,
        report.records_added,
        report.log_files,
        report.queues,
        report.places,
        report.dir,
        report.root
    ));
    ctx.out.object(&report)
}
