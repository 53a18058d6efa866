//! The demo month: working days of places, offer rounds, directions, enrollments and nightly sweeps.

use chrono::{Datelike, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use super::{parse_day, Demo, CLERK, DAYS, OFFICER, SEED};
use crate::crypto::PrivateKey;
use crate::domain::application::{Language, QueueType, RegistrationInput, Status};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::direction::DirectionStatus;
use crate::domain::place::{PlaceStatus, PlaceType};
use crate::domain::settings::Settings;
use crate::domain::time::{local, Now};
use crate::error::{Error, Result};
use crate::generate::{Families, Family};
use crate::store::{applications, directions, offers, orgs, places, reference, sweep};
use crate::store::{Actor, Change, Db, Mode};

/// One day of the demo month.
#[derive(Debug, Default, Serialize)]
pub struct DayRow {
    pub date: String,
    pub registered: usize,
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

/// The registrations of the month at the counters, by officer: (registrations, of them in a benefit class).
#[derive(Debug, Clone, Copy, Default)]
pub struct Counters {
    pub officer: (usize, usize),
    pub clerk: (usize, usize),
}

/// New families at the counters, for each officer.
struct Desk {
    officer: Families,
    clerk: Families,
    counted: Counters,
}

impl Demo {
    /// Walks the working days from the demo's time: every night the sweep, every morning places and an offer
    /// round, from the second day new families at the counters, during the day families take places (or let the
    /// window pass), a few directions are revoked, children arrive. `day_done` is called after each day.
    pub fn walk_month(&mut self, day_done: &dyn Fn()) -> Result<Vec<DayRow>> {
        let start = self.now.effective;
        let mut desk = Desk {
            officer: Families::new(SEED + 31, 3 * DAYS, start).batch(1),
            clerk: Families::new(SEED + 32, DAYS, start).batch(2),
            counted: Counters::default(),
        };
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
            clerk: &self.clerk,
            night: self.night.as_ref().unwrap_or(&self.actor),
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
            if i > 0 {
                row.registered = walk.counters(db, day, i, &mut desk)?;
            }
            let issued = walk.midday(db, &mut rng, day)?;
            row.directions = issued.len();
            row.revoked = walk.afternoon(db, &mut rng, day, &issued)?;
            row.enrolled = walk.evening(db, &mut rng, day)?;
            rows.push(row);
            day_done();
            day = walk.calendar.add_working_days(day, 1);
        }
        self.counters = desk.counted;
        Ok(rows)
    }
}

/// What every day of the walk uses.
struct Walk<'a> {
    actor: &'a Actor,
    /// The second district officer, at the counter.
    clerk: &'a Actor,
    /// The service account, which runs the nights (R-R1).
    night: &'a Actor,
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
        when: (NaiveDate, u32, u32),
        f: impl FnOnce(&Change) -> Result<T>,
    ) -> Result<T> {
        self.change_as(db, self.actor, when, f)
    }

    /// One change by `actor` at a local time of `day`.
    fn change_as<T>(
        &self,
        db: &mut Db,
        actor: &Actor,
        (day, hour, minute): (NaiveDate, u32, u32),
        f: impl FnOnce(&Change) -> Result<T>,
    ) -> Result<T> {
        let t = chrono::NaiveTime::from_hms_opt(hour, minute, 0).expect("a time");
        let at = Now {
            effective: local(day.and_time(t)),
            real: self.start.real,
        };
        db.change(actor, &at, Mode::Commit, f)
    }

    /// Late morning at the counters, after the round: the demo officer registers three families of its
    /// district, as they come; the clerk one of hers, in a benefit class on two days of three ("a large family",
    /// a certificate nobody checks at the counter: R-I4 `benefit_share`). Returns how many were registered.
    fn counters(&self, db: &mut Db, day: NaiveDate, i: u64, desk: &mut Desk) -> Result<usize> {
        let mut registered = 0;
        for minute in [0, 10, 20] {
            let Some(family) = desk.officer.next() else {
                break;
            };
            let benefit = !family.category.is_empty();
            if self.register(db, self.actor, (day, 11, minute), &family, OFFICER.2)? {
                registered += 1;
                desk.counted.officer.0 += 1;
                desk.counted.officer.1 += usize::from(benefit);
            }
        }
        if let Some(mut family) = desk.clerk.next() {
            if !i.is_multiple_of(3) && family.category.is_empty() {
                family.category = "large_family";
                let issued = day - chrono::Duration::days(6);
                family.docs.insert(
                    0,
                    format!("large_family_certificate:{}:{issued}", 40_000 + i),
                );
            }
            let benefit = !family.category.is_empty();
            if self.register(db, self.clerk, (day, 11, 40), &family, CLERK.2)? {
                registered += 1;
                desk.counted.clerk.0 += 1;
                desk.counted.clerk.1 += usize::from(benefit);
            }
        }
        Ok(registered)
    }

    /// `application register` of a generated family, by `actor`, in `district`; false when a rule refuses it.
    fn register(
        &self,
        db: &mut Db,
        actor: &Actor,
        when: (NaiveDate, u32, u32),
        family: &Family,
        district: &str,
    ) -> Result<bool> {
        let input = RegistrationInput {
            child_iin: &family.child_iin,
            child_name: &family.child_name,
            applicant_iin: &family.applicant_iin,
            applicant_name: &family.applicant_name,
            phone: &family.phone,
            email: &family.email,
            district,
            queue_type: family.queue_type,
            language: family.language,
            category: (!family.category.is_empty()).then_some(family.category),
            docs: family.docs.iter().map(String::as_str).collect(),
            consent: &family.consent,
        };
        let registered = refused(self.change_as(db, actor, when, |c| {
            applications::register(c, &input, &self.settings)
        }))?;
        Ok(registered.is_some())
    }

    /// The night before: the sweep processes the day as of its start.
    fn night(&self, db: &mut Db, day: NaiveDate, row: &mut DayRow) -> Result<()> {
        let swept = self.change_as(db, self.night, (day, 1, 30), |c| {
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
