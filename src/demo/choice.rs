//! The demo's evening of choice (SPEC §12), on the month's last day after its offer round: families of one queue
//! rank kindergartens, `allocate` directs them by serial dictatorship; two enrolled children who want each other's
//! kindergarten register transfers and `exchange` swaps their places.

use chrono::{Datelike, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{Demo, SEED};
use crate::domain::application::{Language, QueueType, Status};
use crate::domain::direction::DirectionStatus;
use crate::domain::place::PlaceType;
use crate::domain::time::{local, Now};
use crate::error::Result;
use crate::store::allocation::{self, AllocationReport};
use crate::store::applications::ListFilter;
use crate::store::db::Db;
use crate::store::directions::{self, DirectionFilter};
use crate::store::exchange::{self, ExchangeReport};
use crate::store::offers::enrolled_at;
use crate::store::{applications, orgs, places, reference, Mode};

/// What the evening of choice did.
pub struct ChoiceDay {
    pub allocation: AllocationReport,
    pub exchange: ExchangeReport,
}

impl Demo {
    /// The preference round and the exchange on `day` (the month's last working day), from 18:00.
    pub fn choice_day(&mut self, day: NaiveDate) -> Result<ChoiceDay> {
        let Demo { db, now, actor, .. } = self;
        let mut rng = StdRng::seed_from_u64(SEED + 12);
        let at = |minute: u32| Now {
            effective: local(day.and_hms_opt(18, minute, 0).expect("a time")),
            real: now.real,
        };
        let state: Vec<String> = orgs::list(&*db, None, None)?
            .into_iter()
            .filter(|o| o.kind == "state")
            .map(|o| o.code)
            .collect();
        // The general queue of the children who turn four this year: its first 40 families rank kindergartens.
        let year = i64::from(day.year()) - 4;
        let filter = ListFilter {
            queue_type: Some(QueueType::General),
            group_year: Some(year),
            status: Some(Status::Queued),
            limit: Some(40),
        };
        let waiting: Vec<String> = applications::list(&*db, &filter)?
            .into_iter()
            .map(|r| r.number)
            .collect();
        // A few kindergartens the families of this queue rank, and their places for this evening.
        let favourites: Vec<String> = (0..6)
            .map(|i| state[(i * 7) % state.len()].clone())
            .collect();
        db.change(actor, &at(0), Mode::Commit, |c| {
            for number in &waiting {
                let wanted = rng.gen_range(2..=4);
                let mut ranked: Vec<String> = Vec::new();
                while ranked.len() < wanted {
                    let org = favourites[rng.gen_range(0..favourites.len())].clone();
                    if !ranked.contains(&org) {
                        ranked.push(org);
                    }
                }
                applications::prefer(c, number, &ranked)?;
            }
            for org in &favourites {
                let batch = places::NewPlaces {
                    org: org.clone(),
                    group_year: year,
                    language: Language::Ru,
                    place_type: PlaceType::Regular,
                    count: 3,
                    release_date: day,
                };
                places::publish(c, &batch)?;
            }
            Ok(())
        })?;
        let key = actor.key.as_ref().expect("the demo officer's key");
        let allocation = db.change(actor, &at(10), Mode::Commit, |c| allocation::run(c, key))?;
        let exchange = match pair(db)? {
            None => ExchangeReport::default(),
            Some(((a, a_org), (b, b_org))) => {
                db.change(actor, &at(15), Mode::Commit, |c| {
                    let settings = reference::load_settings(c)?;
                    transfer(c, &a, &b_org, &settings)?;
                    transfer(c, &b, &a_org, &settings)
                })?;
                db.change(actor, &at(20), Mode::Commit, |c| exchange::run(c, key))?
            }
        };
        Ok(ChoiceDay {
            allocation,
            exchange,
        })
    }
}

/// Two children attending different state kindergartens in places of one group year: (application, org) each.
type Pair = ((String, String), (String, String));

fn pair(db: &Db) -> Result<Option<Pair>> {
    let filter = DirectionFilter {
        status: Some(DirectionStatus::Enrolled),
        ..Default::default()
    };
    let mut seen: Vec<(String, String, i64)> = Vec::new();
    for d in directions::list(db, &filter)? {
        let place = places::get(db, d.place_id)?;
        let app = applications::get(db, &d.application)?;
        let attends = enrolled_at(db, &app.child_iin)?;
        if place.org_kind != "state"
            || place.place_type != "regular"
            || attends.as_deref() != Some(&d.org)
        {
            continue;
        }
        if let Some((other, org, _)) = seen
            .iter()
            .find(|(_, org, year)| *year == place.group_year && *org != d.org)
        {
            return Ok(Some(((other.clone(), org.clone()), (d.application, d.org))));
        }
        seen.push((d.application, d.org, place.group_year));
    }
    Ok(None)
}

/// A transfer application (R-C3) for the child of enrolled application `number`, ranking `wants`.
fn transfer(
    c: &crate::store::Change,
    number: &str,
    wants: &str,
    settings: &crate::domain::settings::Settings,
) -> Result<String> {
    let prefer = [wants.to_string()];
    let choice = applications::Choice {
        prefer: &prefer,
        sibling: None,
        transfer: true,
    };
    super::register_again(c, number, &choice, settings)
}
