//! `kezek init`: create the database, or migrate it to this version of kezek.

use super::Ctx;
use crate::error::Result;
use crate::store::db::{Db, APPLICATION_ID};

pub fn run(ctx: &Ctx) -> Result<()> {
    let path = ctx.db_path();
    let (_, report) = Db::init(&path, &ctx.now, APPLICATION_ID)?;
    let message = if report.created {
        format!(
            "created {} at schema version {}",
            path.display(),
            report.to_version
        )
    } else if report.from_version == report.to_version {
        format!(
            "{} is at schema version {}: nothing to do",
            path.display(),
            report.to_version
        )
    } else {
        format!(
            "migrated {} from schema version {} to {}",
            path.display(),
            report.from_version,
            report.to_version
        )
    };
    ctx.out.status(&message);
    Ok(())
}
