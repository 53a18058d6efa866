use clap::Subcommand;
use serde::Serialize;

use super::Ctx;
use crate::domain::place::{PlaceStatus, PlaceType};
use crate::error::Result;
use crate::store::places::{self, PlaceFilter, PlacesInput};
use crate::store::{offers, reference, Mode};

#[derive(Debug, Subcommand)]
pub enum PlaceCommand {
    /// Publish N free places of an organization (R-P1)
    #[command(
        long_about = "Publish N places in status free (R-P1). Sanatorium organizations publish \
        sanatorium places, which only the sanatorium queue takes; the other kinds publish regular places. \
        --type defaults to the organization's; --release-date defaults to today. At most 10,000 at once."
    )]
    Publish {
        #[arg(long)]
        org: String,
        #[arg(long)]
        group_year: String,
        /// ru | kk
        #[arg(long)]
        language: String,
        #[arg(long)]
        count: String,
        /// regular | sanatorium
        #[arg(long = "type")]
        place_type: Option<String>,
        /// YYYY-MM-DD: from when the place can be offered
        #[arg(long)]
        release_date: Option<String>,
    },
    /// Import places from CSV: org_code,group_year,language,place_type,count,release_date (R-P2)
    #[command(long_about = "Import places from CSV with the columns \
        org_code,group_year,language,place_type,count,release_date (R-P2). One transaction: a file with any bad \
        row writes nothing and every bad row is reported by line number and reason (exit 65). --dry-run \
        validates only. A progress bar shows on a terminal.")]
    Import(super::ImportArgs),
    /// List places
    List {
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        group_year: Option<i64>,
        /// free | offered | free_choice | directed | filled | withdrawn
        #[arg(long)]
        status: Option<String>,
        /// regular | sanatorium
        #[arg(long = "type")]
        place_type: Option<String>,
        #[arg(long)]
        district: Option<String>,
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Withdraw a place that nobody holds (R-P6; asks for confirmation)
    Withdraw { id: i64 },
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
            let actor = ctx.actor()?;
            let mut db = ctx.open()?;
            let today = ctx.now.today();
            let ids = db.change(&actor, &ctx.now, Mode::Commit, |c| {
                let batch = PlacesInput {
                    org: &org,
                    group_year: &group_year,
                    language: &language,
                    place_type: place_type.as_deref(),
                    count: &count,
                    release_date: release_date.as_deref(),
                }
                .check(c, today)?;
                places::publish(c, &batch)
            })?;
            ctx.out
                .status(&format!("published {} places at {org}", ids.len()));
            ctx.out.object(&Published { place_ids: ids })
        }
        PlaceCommand::Import(args) => super::import_file(
            ctx,
            &args,
            (places::IMPORT_COLUMNS, &[]),
            "places",
            places::import,
        ),
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
            let actor = ctx.actor()?;
            let mut db = ctx.open()?;
            places::get(&db, id)?;
            ctx.out.confirm(&format!("Withdraw place {id}?"))?;
            db.change(&actor, &ctx.now, Mode::Commit, |c| places::withdraw(c, id))?;
            ctx.out.status(&format!("place {id} withdrawn"));
            Ok(())
        }
    }
}

/// `kezek offer`: the offer round (R-P3).
pub fn offer(ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let mut db = ctx.open()?;
    let report = db.change(&actor, &ctx.now, Mode::Commit, |c| {
        let settings = reference::load_settings(c)?;
        let calendar = reference::working_calendar(c)?;
        offers::offer_round(c, &settings, &calendar)
    })?;
    ctx.out.status(&format!(
        "offer round: {} applications notified, {} places offered, {} ended windows closed",
        report.notified, report.places_offered, report.windows_closed
    ));
    match ctx.out.format {
        super::output::Format::Table | super::output::Format::Text => ctx.out.list(&report.queues),
        _ => ctx.out.object(&report),
    }
}
