use chrono::Datelike;
use clap::Subcommand;
use serde::Serialize;

use super::Ctx;
use crate::domain::calendar::DayKind;
use crate::domain::time::{parse_date, YEARS};
use crate::error::{Error, Result};
use crate::store::{reference, Mode};
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Declare a day: a movable holiday (Kurban Ait) or a transferred working day
    #[command(
        long_about = "Declare a day (R-T3): a holiday (a movable one such as Kurban Ait, or a day off \
        given by a government transfer) or a workday (a Saturday made a working day by a transfer). Declared \
        holidays never move. A declaration must change something: a holiday on a day that is otherwise \
        working, a workday on a day that is otherwise off (exit 3 otherwise)."
    )]
    Add {
        /// YYYY-MM-DD
        date: String,
        /// holiday | workday
        #[arg(long)]
        kind: String,
        /// What the day is (e.g. Kurban Ait), shown in `calendar show`
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Remove a declared day
    Remove {
        /// YYYY-MM-DD
        date: String,
    },
    /// Import declared days from CSV: date,kind,name
    #[command(
        long_about = "Import declared days from a CSV file with the columns date,kind,name (kind holiday \
        or workday). One transaction: any bad row and nothing is written; every bad row is reported by line \
        number (exit 65; past 1,000 bad rows, the first 1,000 and \
        how many more). --dry-run checks only."
    )]
    Import(super::ImportArgs),
    /// Show a year's days off on weekdays, weekend holidays, transfers and declared days
    Show {
        /// The year, 1900 to 2200 [default: the current year]
        #[arg(long, value_parser = clap::value_parser!(i32).range(i64::from(*YEARS.start())..=i64::from(*YEARS.end())))]
        year: Option<i32>,
    },
}

#[derive(Default, Serialize)]
struct DayRow {
    date: String,
    weekday: String,
    working: bool,
    reason: String,
}

pub fn run(ctx: &Ctx, command: CalendarCommand) -> Result<()> {
    match command {
        CalendarCommand::Add { date, kind, name } => {
            let date = parse_date("date", &date)?;
            let kind = parse_kind(&kind)?;
            let name =
                crate::domain::fields::optional_text("--name", &name, 200)?.unwrap_or_default();
            let actor = ctx.actor()?;
            let mut db = ctx.open()?;
            db.change(&actor, &ctx.now, Mode::Commit, |c| {
                reference::add_day(c, date, kind, &name)
            })?;
            ctx.out.status(&tr!(
                "cli-calendar-declared",
                date = date.to_string(),
                kind = kind.as_str()
            ));
            Ok(())
        }
        CalendarCommand::Remove { date } => {
            // Only looks up a declared day: one stored before years were checked can still be removed.
            let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| Error::bad(tr!("cli-calendar-not-a-date", value = date.clone())))?;
            let actor = ctx.actor()?;
            let mut db = ctx.open()?;
            db.change(&actor, &ctx.now, Mode::Commit, |c| {
                reference::remove_day(c, date)
            })?;
            ctx.out
                .status(&tr!("cli-calendar-removed", date = date.to_string()));
            Ok(())
        }
        CalendarCommand::Import(args) => {
            super::import_file::<crate::store::import::CalendarDays>(ctx, &args, "days")
        }
        CalendarCommand::Show { year } => {
            let year = year.unwrap_or_else(|| ctx.now.today().year());
            let db = ctx.open()?;
            let calendar = reference::working_calendar(&db)?;
            let rows: Vec<DayRow> = calendar
                .special_days(year)
                .into_iter()
                .map(|(date, reason)| DayRow {
                    date: date.to_string(),
                    weekday: date.format("%a").to_string(),
                    working: reason.is_working(),
                    reason: reference::describe(&reason),
                })
                .collect();
            ctx.out.list(&rows)
        }
    }
}

fn parse_kind(kind: &str) -> Result<DayKind> {
    DayKind::parse(kind.trim())
        .ok_or_else(|| Error::bad(tr!("cli-calendar-not-a-kind", value = kind.to_string())))
}
