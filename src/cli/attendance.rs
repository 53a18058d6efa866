//! `kezek attendance import`: what kindergartens report each month (R-I3).

use clap::Subcommand;

use super::Ctx;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum AttendanceCommand {
    /// Import a month's attendance from CSV: org_code,child_iin,month,days_present (R-I3)
    #[command(
        long_about = "Import attendance from a CSV file with the columns org_code,child_iin,month,\
        days_present, as kindergartens report it each month (R-I3). One transaction: a file with any bad row (an \
        unknown organization, an IIN that is not valid, a month in the future or not YYYY-MM, more days present \
        than the month's working days, a child and month reported twice in the file or by an earlier import) \
        writes nothing, and every bad row is reported by line number and reason \
        (exit 65; past 1,000 bad rows, the first 1,000 and how many more), the IINs masked. \
        --dry-run checks everything and writes nothing. `kezek integrity` compares attendance with enrollment."
    )]
    Import(super::ImportArgs),
}

pub fn run(ctx: &Ctx, command: AttendanceCommand) -> Result<()> {
    match command {
        AttendanceCommand::Import(args) => {
            super::import_file::<crate::store::import::AttendanceRows>(ctx, &args, "attendance")
        }
    }
}
