//! The demo month: working days of places, offer rounds, directions, enrollments and nightly sweeps.

use chrono::{Datelike, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use super::{parse_day, Demo, DAYS, SEED};
use crate::crypto::PrivateKey;
use crate::domain::application::{Language, QueueType, Status};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::direction::DirectionStatus;
use crate::domain::place::{PlaceStatus, PlaceType};
use crate::domain::settings::Settings;
use crate::domain::time::{local, Now};
use crate::error::{Error, Result};
use crate::store::{applications, directions, offers, orgs, places, reference, sweep};
use crate::store::{Actor, Change, Db, Mode};

/// One day of the demo month.
#[derive(Debug, Default, Serialize)]
pub struct DayRow {
    pub date: String,
    pub published: usize,
    pub notified: u64,
    pub directions: usize,
    pub enrolled: usize,
    pub revoked: usize,
    pub expired: u64,
    pub stop_listed: u64,
    pub stop_lists_ended: u64,
    pub removed: u64,
}

impl Demo {
    /// Walks the working days from the demo's time: every night the sweep, every morning places and an offer
    /// round, during the day families take places (or let the window pass), a few directions are revoked,
    /// children arrive. `day_done` is called after each day.
    pub fn walk_month(&mut self, day_done: &dyn Fn()) -> Result<Vec<DayRow>> {
        let db = &mut self.db;
        let all_orgs = orgs::list(&*db, None, None)?;
        let of_kind = |k: &str| {
            all_orgs
                .iter()
                .filter(|o| o.kind == k)
                .map(|o| o.code.clone())
                .collect::<Vec<_>>()
        };
        let walk = Walk {
            actor: &self.actor,
            key: self.actor.key.as_ref().expect("the demo officer's key"),
            start: &self.now,
            settings: reference::load_settings(&*db)?,
            calendar: reference::working_calendar(&*db)?,
            state: of_kind("state"),
            private: of_kind("private"),
            sanatorium: of_kind("sanatorium"),
        };
        let mut rng = StdRng::seed_from_u64(SEED);
        let mut rows = Vec::new();
        let mut day = self.now.today();
        for i in 0..DAYS {
            let mut row = DayRow {
                date: day.to_string(),
                ..DayRow::default()
            };
            walk.night(db, day, &mut row)?;
            walk.morning(db, &mut rng, day, i, &mut row)?;
            let issued = walk.midday(db, &mut rng, day)?;
            row.directions = issued.len();
            row.revoked = walk.afternoon(db, &mut rng, day, &issued)?;
            row.enrolled = walk.evening(db, &mut rng, day)?;
            rows.push(row);
            day_done();
            day = walk.calendar.add_working_days(day, 1);
        }
        Ok(rows)
    }
}

/// What every day of the walk uses.
struct Walk<'a> {
    actor: &'a Actor,
    key: &'a PrivateKey,
    start: &'a Now,
    settings: Settings,
    calendar: WorkingCalendar,
    /// The codes of the organizations of each kind.
    state: Vec<String>,
    private: Vec<String>,
    sanatorium: Vec<String>,
}

impl Walk<'_> {
    /// One change at a local time of `day`.
    fn change<T>(
        &self,
        db: &mut Db,
        (day, hour, minute): (NaiveDate, u32, u32),
        f: impl FnOnce(&Change) -> Result<T>,
    ) -> Result<T> {
        let t = chrono::NaiveTime::from_hms_opt(hour, minute, 0).expect("a time");
        let at = Now {
            effective: local(day.and_time(t)),
            real: self.start.real,
        };
        db.change(self.actor, &at, Mode::Commit, f)
    }

    /// The night before: the sweep processes the day as of its start.
    fn night(&self, db: &mut Db, day: NaiveDate, row: &mut DayRow) -> Result<()> {
        let swept = self.change(db, (day, 1, 30), |c| {
            sweep::sweep(c, day, &self.settings, &self.calendar)
        })?;
        row.expired = swept.summary.directions_expired;
        row.stop_listed = swept.summary.stop_listed;
        row.stop_lists_ended = swept.summary.stop_lists_ended;
        row.removed = swept.summary.removed_expired_twice + swept.summary.removed_age_limit;
        Ok(())
    }

    /// Morning: places freed by departures and new groups, then the offer round.
    fn morning(
        &self,
        db: &mut Db,
        rng: &mut StdRng,
        day: NaiveDate,
        i: u64,
        row: &mut DayRow,
    ) -> Result<()> {
        let year = self.start.today().year();
        let mut batches = Vec::new();
        for _ in 0..3 {
            batches.push((
                self.state[rng.gen_range(0..self.state.len())].clone(),
                PlaceType::Regular,
                rng.gen_range(year - 5..year),
            ));
        }
        if i.is_multiple_of(5) {
            batches.push((
                self.sanatorium[rng.gen_range(0..self.sanatorium.len())].clone(),
                PlaceType::Sanatorium,
                rng.gen_range(year - 5..year - 1),
            ));
        }
        if i.is_multiple_of(3) {
            batches.push((
                self.private[rng.gen_range(0..self.private.len())].clone(),
                PlaceType::Regular,
                rng.gen_range(year - 5..year - 3),
            ));
        }
        for (org, place_type, group_year) in batches {
            let batch = places::NewPlaces {
                org,
                group_year: i64::from(group_year),
                language: if rng.gen_bool(0.6) {
                    Language::Kk
                } else {
                    Language::Ru
                },
                place_type,
                count: rng.gen_range(1..4),
                release_date: day,
            };
            row.published += self
                .change(db, (day, 9, 30), |c| places::publish(c, &batch))?
                .len();
        }
        let round = refused(self.change(db, (day, 10, 0), |c| {
            offers::offer_round(c, &self.settings, &self.calendar)
        }))?;
        row.notified = round.map(|r| r.notified).unwrap_or(0);
        Ok(())
    }

    /// A direction issued at noon, or `None` when a rule refuses it.
    fn issue(
        &self,
        db: &mut Db,
        day: NaiveDate,
        number: &str,
        place: i64,
    ) -> Result<Option<String>> {
        let issued = refused(self.change(db, (day, 12, 0), |c| {
            directions::issue(
                c,
                number,
                place,
                self.key,
                &self.settings,
                &self.calendar,
                None,
            )
        }))?;
        Ok(issued.map(|d| d.number))
    }

    /// During the window: most notified families take an offered place of their queue; then a private place
    /// goes to the first child of three or more who wants one. Returns the directions issued.
    fn midday(&self, db: &mut Db, rng: &mut StdRng, day: NaiveDate) -> Result<Vec<String>> {
        let notified = applications::list(
            &*db,
            &applications::ListFilter {
                status: Some(Status::Notified),
                ..Default::default()
            },
        )?;
        let mut issued = Vec::new();
        for app in notified {
            if !rng.gen_bool(0.7) {
                continue;
            }
            let offered = places::list(
                &*db,
                &places::PlaceFilter {
                    group_year: Some(app.group_year),
                    status: Some(PlaceStatus::Offered),
                    place_type: Some(PlaceType::for_queue(QueueType::parse(
                        "queue_type",
                        &app.queue_type,
                    )?)),
                    limit: Some(1),
                    ..Default::default()
                },
            )?;
            let Some(place) = offered.first() else {
                continue;
            };
            issued.extend(self.issue(db, day, &app.number, place.id)?);
        }
        let free_private = places::list(
            &*db,
            &places::PlaceFilter {
                status: Some(PlaceStatus::Free),
                ..Default::default()
            },
        )?
        .into_iter()
        .find(|p| p.org_kind == "private");
        if let Some(place) = free_private {
            let candidates = applications::list(
                &*db,
                &applications::ListFilter {
                    queue_type: Some(QueueType::General),
                    group_year: Some(place.group_year),
                    status: Some(Status::Queued),
                    limit: Some(5),
                },
            )?;
            for app in candidates {
                if let Some(number) = self.issue(db, day, &app.number, place.id)? {
                    issued.push(number);
                    break;
                }
            }
        }
        Ok(issued)
    }

    /// A few families change their mind within 24 hours (R-D7). Returns how many directions were revoked.
    fn afternoon(
        &self,
        db: &mut Db,
        rng: &mut StdRng,
        day: NaiveDate,
        issued: &[String],
    ) -> Result<usize> {
        let mut revoked = 0;
        for number in issued {
            if rng.gen_bool(0.06)
                && refused(self.change(db, (day, 17, 0), |c| directions::revoke(c, number)))?
                    .is_some()
            {
                revoked += 1;
            }
        }
        Ok(revoked)
    }

    /// Children arrive with directions issued on earlier days; some never come and their directions expire.
    /// Returns how many were enrolled.
    fn evening(&self, db: &mut Db, rng: &mut StdRng, day: NaiveDate) -> Result<usize> {
        let open = directions::list(
            &*db,
            &directions::DirectionFilter {
                status: Some(DirectionStatus::Issued),
                ..Default::default()
            },
        )?;
        let mut enrolled = 0;
        for d in open {
            if d.issued_at.starts_with(&day.to_string()) || !rng.gen_bool(0.55) {
                continue;
            }
            let issue_date = parse_day(&d.issued_at[..10]);
            let doc_date = Some(issue_date - chrono::Duration::days(2));
            if refused(self.change(db, (day, 16, 0), |c| {
                directions::enroll(c, &d.number, doc_date)
            }))?
            .is_some()
            {
                enrolled += 1;
            }
        }
        Ok(enrolled)
    }
}

/// A refusal by a rule (which the demo's families meet like real ones) is `None`; any other error is a failure.
fn refused<T>(r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(Error::Refused { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
