//! `org import`: organizations, `code,name,kind,district[,phone][,address]`.

use std::collections::HashMap;

use super::Importer;
use crate::csvfile::{CsvFile, Row};
use crate::domain::district;
use crate::domain::org::{NewOrg, OrgInput};
use crate::error::{Error, Result};
use crate::store::change::Change;
use crate::store::districts;
use crate::store::journal::{EventWriter, ORG};
use crate::store::orgs;
use crate::tr;

/// The organizations of a file: a code appears once in the file and is new to the database.
pub struct Orgs {
    /// The line each code appears on last.
    seen: HashMap<String, u64>,
    /// The city's districts (R-L2).
    districts: Vec<String>,
}

impl Importer for Orgs {
    const EVENT: &'static str = "org.import";
    const REQUIRED: &'static [&'static str] = &["code", "name", "kind", "district"];
    const OPTIONAL: &'static [&'static str] = &["phone", "address"];
    type Row = NewOrg;

    fn begin(change: &Change, _: &CsvFile) -> Result<Self> {
        Ok(Orgs {
            seen: HashMap::new(),
            districts: districts::names(change)?,
        })
    }

    fn check(&mut self, change: &Change, row: &Row) -> Result<NewOrg> {
        let org = OrgInput {
            code: row.get("code"),
            name: row.get("name"),
            kind: row.get("kind"),
            district: row.get("district"),
            phone: row.optional("phone"),
            address: row.optional("address"),
        }
        .check()?;
        district::check("district", &org.district, &self.districts)?;
        if let Some(first) = self.seen.insert(org.code.clone(), row.line) {
            return Err(Error::bad(tr!(
                "err-import-code-repeated",
                code = org.code.clone(),
                first = first as i64
            )));
        }
        orgs::check_new(change.tx(), &org)?;
        Ok(org)
    }

    fn write(&mut self, change: &Change, event: &mut EventWriter, org: &NewOrg) -> Result<()> {
        orgs::insert(change, org)?;
        event.touch(ORG, &org.code)
    }
}
