//! `org capacity-import` (R-I2): capacities, `org_code,group_year,places`, each as `org capacity` declares one.

use std::collections::HashMap;

use super::Importer;
use crate::csvfile::{CsvFile, Row};
use crate::error::{Error, Result};
use crate::store::capacity::{self, NewCapacity};
use crate::store::change::Change;
use crate::store::journal::EventWriter;
use crate::tr;

/// The capacities of a file: an organization and group year appear once.
pub struct Capacities {
    seen: HashMap<(String, i64), u64>,
}

impl Importer for Capacities {
    const EVENT: &'static str = "capacity.import";
    const REQUIRED: &'static [&'static str] = &["org_code", "group_year", "places"];
    type Row = NewCapacity;

    fn begin(_: &Change, _: &CsvFile) -> Result<Self> {
        Ok(Capacities {
            seen: HashMap::new(),
        })
    }

    fn check(&mut self, change: &Change, row: &Row) -> Result<NewCapacity> {
        let c = NewCapacity::check(
            change,
            row.get("org_code"),
            row.get("group_year"),
            row.get("places"),
        )?;
        if let Some(first) = self.seen.insert((c.org.clone(), c.group_year), row.line) {
            return Err(Error::bad(tr!(
                "err-capacity-repeated",
                org = c.org.clone(),
                year = c.group_year,
                first = first as i64
            )));
        }
        Ok(c)
    }

    fn write(&mut self, change: &Change, event: &mut EventWriter, c: &NewCapacity) -> Result<()> {
        capacity::set(change, event, c)
    }
}
