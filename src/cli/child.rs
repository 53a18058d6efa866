//! `kezek child`: children attending organizations; their departure (R-D9).

use clap::Subcommand;

use super::Ctx;
use crate::domain::iin::Iin;
use crate::domain::time::parse_date;
use crate::error::Result;
use crate::store::directions;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum ChildCommand {
    /// Record a child's departure from an organization: the place is free from the next day (R-D9)
    Depart {
        /// The child's IIN
        #[arg(long)]
        iin: String,
        /// The organization the child leaves
        #[arg(long)]
        org: String,
        /// YYYY-MM-DD [default: today]
        #[arg(long)]
        date: Option<String>,
    },
}

pub fn run(ctx: &Ctx, command: ChildCommand) -> Result<()> {
    match command {
        ChildCommand::Depart { iin, org, date } => {
            let iin = Iin::parse("--iin", &iin)?.digits;
            let date = match date {
                Some(d) => parse_date("--date", &d)?,
                None => ctx.now.today(),
            };
            let d = ctx.change(|c| directions::depart(c, &iin, &org, date))?;
            ctx.out.status(&tr!(
                "cli-child-departed",
                org = d.org.clone(),
                date = d.departed_on.clone(),
                place = d.place_id,
                free = d.place_release_date.clone()
            ));
            ctx.out.object(&d)
        }
    }
}
