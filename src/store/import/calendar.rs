//! `calendar import`: declared days, `date,kind,name` (R-T3).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::Importer;
use crate::csvfile::{CsvFile, Row};
use crate::domain::calendar::DayKind;
use crate::domain::fields::optional_text;
use crate::domain::time::parse_date;
use crate::error::{Error, Result};
use crate::store::change::Change;
use crate::store::journal::{EventWriter, CALENDAR_DAY};
use crate::store::reference;
use crate::tr;

/// The declared days of a file: a date appears once in the file, is not declared yet, and its declaration
/// changes the day.
pub struct CalendarDays {
    /// The line each date appears on.
    seen: HashMap<NaiveDate, u64>,
}

/// A declared day, checked.
pub struct Day {
    date: NaiveDate,
    kind: DayKind,
    name: String,
}

impl Importer for CalendarDays {
    const EVENT: &'static str = "calendar.import";
    const REQUIRED: &'static [&'static str] = &["date", "kind", "name"];
    type Row = Day;

    fn begin(_: &Change, _: &CsvFile) -> Result<Self> {
        Ok(CalendarDays {
            seen: HashMap::new(),
        })
    }

    fn check(&mut self, change: &Change, row: &Row) -> Result<Day> {
        let date = parse_date("date", row.get("date"))?;
        let kind = DayKind::parse(row.get("kind").trim()).ok_or_else(|| {
            Error::bad(tr!(
                "err-import-bad-day-kind",
                value = row.get("kind").trim().to_string()
            ))
        })?;
        let name = optional_text("name", row.get("name"), 200)?.unwrap_or_default();
        if let Some(first) = self.seen.get(&date) {
            return Err(Error::bad(tr!(
                "err-import-date-repeated",
                date = date.to_string(),
                first = *first as i64
            )));
        }
        reference::check_new_day(change.tx(), date, kind)?;
        self.seen.insert(date, row.line);
        Ok(Day { date, kind, name })
    }

    fn write(&mut self, change: &Change, event: &mut EventWriter, day: &Day) -> Result<()> {
        reference::insert_day(change, day.date, day.kind, &day.name)?;
        event.touch(CALENDAR_DAY, &day.date.to_string())
    }
}
