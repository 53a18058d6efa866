//! `kezek init`: create the database, or migrate it to this version of kezek.

use super::Ctx;
use crate::error::Result;
use crate::store::db::{Db, APPLICATION_ID};
use crate::tr;

pub fn run(ctx: &Ctx) -> Result<()> {
    let path = ctx.db_path();
    let (_, report) = Db::init(&path, &ctx.now, APPLICATION_ID)?;
    let path = path.display().to_string();
    let message = if report.created {
        tr!(
            "cli-init-created",
            path = path,
            version = report.to_version as i64
        )
    } else if report.from_version == report.to_version {
        tr!(
            "cli-init-up-to-date",
            path = path,
            version = report.to_version as i64
        )
    } else {
        tr!(
            "cli-init-migrated",
            path = path,
            from = report.from_version as i64,
            to = report.to_version as i64
        )
    };
    ctx.out.status(&message);
    Ok(())
}
