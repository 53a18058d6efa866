use clap::Subcommand;

use super::Ctx;
use crate::domain::org::{OrgInput, OrgKind};
use crate::error::Result;
use crate::store::{capacity, orgs, Mode};

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add one organization
    Add {
        /// A unique code, e.g. DS-017
        #[arg(long)]
        code: String,
        /// The organization's name
        #[arg(long)]
        name: String,
        /// state | private | sanatorium
        #[arg(long)]
        kind: String,
        /// Its district (one of `kezek district list`)
        #[arg(long)]
        district: String,
        /// +7 and ten digits
        #[arg(long)]
        phone: Option<String>,
        /// Its street address
        #[arg(long)]
        address: Option<String>,
    },
    /// Import organizations from CSV: code,name,kind,district[,phone][,address]
    #[command(long_about = "Import organizations from a CSV file with the columns \
        code,name,kind,district[,phone][,address] (UTF-8, a header row, columns in any order, unknown columns \
        refused). One transaction: a file with any bad row writes nothing and every bad row is reported by \
        line number and reason (exit 65; past 1,000 bad rows, the first 1,000 and \
        how many more). --dry-run checks everything and writes nothing. A progress bar shows \
        on a terminal.")]
    Import(super::ImportArgs),
    /// Declare an organization's capacity for a group year (R-I2)
    #[command(
        long_about = "Declare (or change) how many children of a group year an organization takes \
        (R-I2), journaled. From then on, publishing places of that organization and group year beyond the \
        capacity less the children enrolled and the places already open (free, offered, in free choice or \
        directed) is refused (exit 3); `kezek integrity` reports places held back below it and enrolment above \
        it."
    )]
    Capacity {
        /// The organization's code
        code: String,
        /// The group year (the birth year of the children)
        #[arg(long)]
        group_year: String,
        /// How many children of that year it takes
        #[arg(long)]
        places: String,
    },
    /// Import capacities from CSV: org_code,group_year,places (R-I2)
    #[command(
        long_about = "Import capacities from a CSV file with the columns org_code,group_year,places, each \
        as `org capacity` declares one (R-I2). One transaction: a file with any bad row (an unknown \
        organization, a count out of range, an organization and year given twice) writes nothing and every bad \
        row is reported by line number and reason (exit 65; past 1,000 bad rows, the first 1,000 and \
        how many more). --dry-run checks everything and writes nothing."
    )]
    CapacityImport(super::ImportArgs),
    /// List organizations
    List {
        /// Only the organizations of this district
        #[arg(long)]
        district: Option<String>,
        /// state | private | sanatorium
        #[arg(long)]
        kind: Option<String>,
    },
}

pub fn run(ctx: &Ctx, command: OrgCommand) -> Result<()> {
    match command {
        OrgCommand::Add {
            code,
            name,
            kind,
            district,
            phone,
            address,
        } => {
            let org = OrgInput {
                code: &code,
                name: &name,
                kind: &kind,
                district: &district,
                phone: phone.as_deref(),
                address: address.as_deref(),
            }
            .check()?;
            let actor = ctx.actor()?;
            let mut db = ctx.open()?;
            db.change(&actor, &ctx.now, Mode::Commit, |change| {
                orgs::add(change, &org)
            })?;
            ctx.out
                .status(&crate::tr!("msg-org-added", code = org.code.clone()));
            Ok(())
        }
        OrgCommand::Import(args) => {
            super::import_file::<crate::store::import::Orgs>(ctx, &args, "organizations")
        }
        OrgCommand::Capacity {
            code,
            group_year,
            places,
        } => {
            let c = ctx.change(|change| {
                let c = capacity::NewCapacity::check(change, &code, &group_year, &places)?;
                capacity::declare(change, &c)?;
                Ok(c)
            })?;
            ctx.out.status(&crate::tr!(
                "msg-capacity-set",
                org = c.org.clone(),
                year = c.group_year,
                places = c.places
            ));
            ctx.out.object(&c)
        }
        OrgCommand::CapacityImport(args) => {
            super::import_file::<crate::store::import::Capacities>(ctx, &args, "capacities")
        }
        OrgCommand::List { district, kind } => {
            if let Some(k) = &kind {
                OrgKind::parse("--kind", k)?;
            }
            let db = ctx.open()?;
            ctx.out
                .list(&orgs::list(&db, district.as_deref(), kind.as_deref())?)
        }
    }
}
