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
    ctx.out.status(&crate::tr!(
        "msg-published",
        records = report.tree_size,
        new = report.records_added,
        files = report.log_files as i64,
        queues = report.queues as i64,
        places = report.places as i64,
        dir = report.dir.clone(),
        root = report.root.clone()
    ));
    ctx.out.object(&report)
}
