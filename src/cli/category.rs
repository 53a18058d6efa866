//! `kezek category`: the benefit categories (R-Q3).

use clap::Subcommand;

use super::Ctx;
use crate::error::Result;
use crate::store::reference;

#[derive(Debug, Subcommand)]
pub enum CategoryCommand {
    /// List the benefit categories and their priority classes
    List,
}

pub fn run(ctx: &Ctx, command: CategoryCommand) -> Result<()> {
    match command {
        CategoryCommand::List => {
            let db = ctx.open()?;
            ctx.out.list(&reference::categories(&db)?)
        }
    }
}
