//! `place import` (R-P2): batches of places, `org_code,group_year,language,place_type,count,release_date`.

use chrono::NaiveDate;

use super::Importer;
use crate::csvfile::{CsvFile, Row};
use crate::error::Result;
use crate::store::change::Change;
use crate::store::journal::EventWriter;
use crate::store::places::{self, NewPlaces, PlacesInput};

/// The batches of a file, each checked as `place publish` checks one (R-P1); the report counts places.
pub struct Places {
    today: NaiveDate,
}

impl Importer for Places {
    const EVENT: &'static str = "place.import";
    const REQUIRED: &'static [&'static str] = &[
        "org_code",
        "group_year",
        "language",
        "place_type",
        "count",
        "release_date",
    ];
    type Row = NewPlaces;

    fn begin(change: &Change, _: &CsvFile) -> Result<Self> {
        Ok(Places {
            today: change.now().today(),
        })
    }

    fn check(&mut self, change: &Change, row: &Row) -> Result<NewPlaces> {
        let batch = PlacesInput {
            org: row.get("org_code"),
            group_year: row.get("group_year"),
            language: row.get("language"),
            place_type: Some(row.get("place_type")),
            count: row.get("count"),
            release_date: Some(row.get("release_date")),
        }
        .check_named("org_code", change.tx(), self.today)?;
        change.may_reach_org(&batch.org)?;
        Ok(batch)
    }

    fn write(&mut self, change: &Change, event: &mut EventWriter, batch: &NewPlaces) -> Result<()> {
        places::insert(change, event, batch)?;
        Ok(())
    }

    fn counted(batch: &NewPlaces) -> u64 {
        u64::from(batch.count)
    }
}
