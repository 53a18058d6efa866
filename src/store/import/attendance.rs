//! `attendance import` (R-I3): `org_code,child_iin,month,days_present`, each row checked (a known organization,
//! a valid IIN, a month not in the future, no more days than the month's working days, reported once).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use super::Importer;
use crate::csvfile::{CsvFile, Row};
use crate::domain::attendance::{self, Attendance};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::iin::mask;
use crate::error::{Error, Result};
use crate::store::change::Change;
use crate::store::journal::{EventWriter, ATTENDANCE};
use crate::store::reference;
use crate::tr;

/// The attendance rows of a file.
pub struct AttendanceRows {
    today: NaiveDate,
    calendar: WorkingCalendar,
    orgs: HashSet<String>,
    /// The line each (org, child, month) appears on.
    seen: HashMap<(String, String, String), u64>,
}

impl Importer for AttendanceRows {
    const EVENT: &'static str = "attendance.import";
    const REQUIRED: &'static [&'static str] = &["org_code", "child_iin", "month", "days_present"];
    type Row = Attendance;

    fn begin(change: &Change, _: &CsvFile) -> Result<Self> {
        let orgs = change
            .tx()
            .prepare("SELECT code FROM org")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(AttendanceRows {
            today: change.now().today(),
            calendar: reference::working_calendar(change)?,
            orgs,
            seen: HashMap::new(),
        })
    }

    fn check(&mut self, change: &Change, row: &Row) -> Result<Attendance> {
        let org = row.get("org_code").trim();
        if !self.orgs.contains(org) {
            return Err(Error::bad(tr!("err-attendance-org", org = org.to_string())));
        }
        change.may_reach_org(org)?;
        let a = attendance::check(
            org,
            row.get("child_iin"),
            row.get("month"),
            row.get("days_present"),
            self.today,
            &self.calendar,
        )?;
        let key = (a.org.clone(), a.child_iin.clone(), a.month.clone());
        let shown = |a: &Attendance| (mask(&a.child_iin), a.org.clone(), a.month.clone());
        if let Some(first) = self.seen.insert(key, row.line) {
            let (child, org, month) = shown(&a);
            return Err(Error::bad(tr!(
                "err-attendance-repeated",
                child = child,
                org = org,
                month = month,
                first = first as i64
            )));
        }
        let exists: Option<i64> = change
            .tx()
            .prepare_cached(
                "SELECT id FROM attendance WHERE org = ?1 AND child_iin = ?2 AND month = ?3",
            )?
            .query_row(params![a.org, a.child_iin, a.month], |r| r.get(0))
            .optional()?;
        if exists.is_some() {
            let (child, org, month) = shown(&a);
            return Err(Error::refused(
                "R-I3",
                tr!(
                    "err-attendance-exists",
                    child = child,
                    org = org,
                    month = month
                ),
            ));
        }
        Ok(a)
    }

    fn write(&mut self, change: &Change, event: &mut EventWriter, a: &Attendance) -> Result<()> {
        let tx = change.tx();
        tx.prepare_cached(
            "INSERT INTO attendance (org, child_iin, month, days_present) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![a.org, a.child_iin, a.month, a.days_present])?;
        event.touch(ATTENDANCE, &tx.last_insert_rowid())
    }
}
