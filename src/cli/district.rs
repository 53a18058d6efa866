//! `kezek district`: the city's districts (R-L2).

use clap::Subcommand;

use super::Ctx;
use crate::error::Result;
use crate::store::districts;

#[derive(Debug, Subcommand)]
pub enum DistrictCommand {
    /// List the city's districts (the eight of Almaty are there from the start)
    List,
    /// Add a district the city has (journaled): registrations, organizations and officers name one of these
    Add {
        /// The district's name as the city spells it (in Russian, as in the registrations)
        name: String,
        /// Its name in Kazakh
        #[arg(long)]
        name_kk: String,
    },
}

pub fn run(ctx: &Ctx, command: DistrictCommand) -> Result<()> {
    match command {
        DistrictCommand::List => {
            let db = ctx.open()?;
            ctx.out.list(&districts::list(&db)?)
        }
        DistrictCommand::Add { name, name_kk } => {
            ctx.change(|c| districts::add(c, &name, &name_kk))?;
            ctx.out.status(&crate::tr!(
                "msg-district-added",
                name = name.trim().to_string()
            ));
            Ok(())
        }
    }
}
