//! The demo's controls against abuse (SPEC §13), on the month's last evening after its choice: capacities for
//! two kindergartens (one declared below the children it holds, one above what it publishes), a month of
//! attendance in which one kindergarten reports a child it does not have, and the integrity report that
//! finds them.

use chrono::{Datelike, NaiveDate};

use super::Demo;
use crate::domain::direction::DirectionStatus;
use crate::domain::integrity::Finding;
use crate::domain::time::{local, Now};
use crate::error::Result;
use crate::store::applications::{self, ListFilter};
use crate::store::capacity;
use crate::store::directions::{self, DirectionFilter};
use crate::store::import::{AttendanceRows, Capacities};
use crate::store::integrity;
use crate::store::offers::enrolled_at;
use crate::store::places;

impl Demo {
    /// Capacities and attendance with a few planted findings on `day` from 19:00, then the integrity report.
    pub fn controls(&mut self, day: NaiveDate) -> Result<Vec<Finding>> {
        let real = self.now.real;
        let at = |hour: u32| Now {
            effective: local(day.and_hms_opt(hour, 0, 0).expect("a time")),
            real,
        };
        // The enrolled children, by kindergarten.
        let enrolled = directions::list(
            &self.db,
            &DirectionFilter {
                status: Some(DirectionStatus::Enrolled),
                ..Default::default()
            },
        )?;
        let mut by_org: Vec<(String, i64, Vec<String>)> = Vec::new();
        for d in &enrolled {
            let place = places::get(&self.db, d.place_id)?;
            let child = applications::get(&self.db, &d.application)?.child_iin;
            // Attending there now: not one who left it (an exchange, a transfer).
            if enrolled_at(&self.db, &child)?.as_deref() != Some(d.org.as_str()) {
                continue;
            }
            match by_org
                .iter_mut()
                .find(|(o, y, _)| *o == d.org && *y == place.group_year)
            {
                Some((_, _, kids)) => kids.push(child),
                None => by_org.push((d.org.clone(), place.group_year, vec![child])),
            }
        }
        by_org.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then(a.0.cmp(&b.0)));
        // Capacities: the fullest kindergarten declared one below what it holds (over_capacity), the next ten
        // above what it holds and publishes (places_held_back).
        let mut csv = String::from("org_code,group_year,places\n");
        for (i, (org, year, kids)) in by_org.iter().take(2).enumerate() {
            let open = capacity::occupancy(&self.db, org, *year)?.open;
            let places = if i == 0 {
                kids.len() as i64 - 1
            } else {
                kids.len() as i64 + open + 10
            };
            csv.push_str(&format!("{org},{year},{}\n", places.max(0)));
        }
        self.import_at::<Capacities>(&at(19), "capacity.csv", csv.into_bytes())?;
        // This month's attendance of the fullest kindergarten, and a child it reports that waits in the queue.
        let month = format!("{:04}-{:02}", day.year(), day.month());
        let mut csv = String::from("org_code,child_iin,month,days_present\n");
        if let Some((org, _, kids)) = by_org.first() {
            for kid in kids {
                csv.push_str(&format!("{org},{kid},{month},1\n"));
            }
            let waiting = applications::list(
                &self.db,
                &ListFilter {
                    status: Some(crate::domain::application::Status::Queued),
                    limit: Some(1),
                    ..Default::default()
                },
            )?;
            if let Some(ghost) = waiting.first() {
                let iin = applications::get(&self.db, &ghost.number)?.child_iin;
                csv.push_str(&format!("{org},{iin},{month},1\n"));
            }
        }
        self.import_at::<AttendanceRows>(&at(19), "attendance.csv", csv.into_bytes())?;
        self.db.snapshot(|s| integrity::findings(s, day))
    }
}
