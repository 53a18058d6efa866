//! `kezek place`: places in kindergartens (R-P1, R-P2, R-P6).

use clap::Subcommand;
use serde::Serialize;

use super::Ctx;
use crate::domain::place::{PlaceStatus, PlaceType};
use crate::error::Result;
use crate::store::places::{self, PlaceFilter, PlacesInput};

#[derive(Debug, Subcommand)]
pub enum PlaceCommand {
    /// Publish N free places of an organization (R-P1)
    #[command(
        long_about = "Publish N places in status free (R-P1). Sanatorium organizations publish \
        sanatorium places, which only the sanatorium queue takes; the other kinds publish regular places. \
        --type defaults to the organization's; --release-date defaults to today. At most 10,000 at once."
    )]
    Publish {
        /// The organization's code
        #[arg(long)]
        org: String,
        /// The group year of the places (the birth year of the children they are for)
        #[arg(long)]
        group_year: String,
        /// ru | kk
        #[arg(long)]
        language: String,
        /// How many places
        #[arg(long)]
        count: String,
        /// The place type
        #[arg(long = "type", value_parser = ["regular", "sanatorium"])]
        place_type: Option<String>,
        /// YYYY-MM-DD: from when the place can be offered
        #[arg(long)]
        release_date: Option<String>,
    },
    /// Import places from CSV: org_code,group_year,language,place_type,count,release_date (R-P2)
    #[command(long_about = "Import places from CSV with the columns \
        org_code,group_year,language,place_type,count,release_date (R-P2). One transaction: a file with any bad \
        row writes nothing and every bad row is reported by line number and reason \
        (exit 65; past 1,000 bad rows, the first 1,000 and how many more). --dry-run \
        validates only. A progress bar shows on a terminal.")]
    Import(super::ImportArgs),
    /// List places
    List {
        /// Only the places of this organization
        #[arg(long)]
        org: Option<String>,
        /// Only the places of this group year
        #[arg(long)]
        group_year: Option<i64>,
        /// The status
        #[arg(long, value_parser = ["free", "offered", "free_choice", "directed", "filled", "withdrawn"])]
        status: Option<String>,
        /// The place type
        #[arg(long = "type", value_parser = ["regular", "sanatorium"])]
        place_type: Option<String>,
        /// Only the places of this district
        #[arg(long)]
        district: Option<String>,
        /// At most this many places
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Withdraw a place that nobody holds (R-P6; asks for confirmation)
    Withdraw {
        /// The place's id
        id: i64,
    },
}

#[derive(Serialize)]
struct Published {
    place_ids: Vec<i64>,
}

pub fn run(ctx: &Ctx, command: PlaceCommand) -> Result<()> {
    match command {
        PlaceCommand::Publish {
            org,
            group_year,
            language,
            count,
            place_type,
            release_date,
        } => {
            let input = PlacesInput {
                org: &org,
                group_year: &group_year,
                language: &language,
                place_type: place_type.as_deref(),
                count: &count,
                release_date: release_date.as_deref(),
            };
            let ids = ctx.change(|c| places::check_and_publish(c, &input))?;
            ctx.out.status(&crate::tr!(
                "msg-places-published",
                count = ids.len() as i64,
                org = org.clone()
            ));
            ctx.out.object(&Published { place_ids: ids })
        }
        PlaceCommand::Import(args) => {
            super::import_file::<crate::store::import::Places>(ctx, &args, "places")
        }
        PlaceCommand::List {
            org,
            group_year,
            status,
            place_type,
            district,
            limit,
        } => {
            let filter = PlaceFilter {
                org,
                group_year,
                status: status
                    .map(|s| PlaceStatus::parse("--status", &s))
                    .transpose()?,
                place_type: place_type
                    .map(|t| PlaceType::parse("--type", &t))
                    .transpose()?,
                district,
                limit,
            };
            let db = ctx.open()?;
            ctx.out.list(&places::list(&db, &filter)?)
        }
        PlaceCommand::Withdraw { id } => {
            ctx.change_confirmed(
                &crate::tr!("cli-place-withdraw-confirm", id = id),
                |db| places::get(db, id).map(drop),
                |c| places::withdraw(c, id),
            )?;
            ctx.out.status(&crate::tr!("cli-place-withdrawn", id = id));
            Ok(())
        }
    }
}
