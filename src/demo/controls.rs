//! The demo's controls against abuse (SPEC §13): one realistic case of each finding of `kezek integrity` (R-I4),
//! made with the commands' own store functions, by the officers and kindergartens who would make it, and the
//! report that finds them all. Nothing is written behind the journal's back: `audit verify` passes.
//!
//! - Before the month a private kindergarten enrolls two children and reports one of them absent every month
//!   since (`enrollment_without_attendance`).
//! - During the month a second district officer registers families in a benefit class on two days of three
//!   (`benefit_share`; `month`).
//! - On the month's last evening: capacities below and above what two kindergartens hold (`over_capacity`,
//!   `places_held_back`); attendance reported for a child who waits in the queue (`attendance_without_enrollment`);
//!   a second application import with registration times from before the migration (`backdated_registration`);
//!   a family that takes a private place, registers its child again and gets a state place in free choice half an
//!   hour after a window closed (`free_choice_far_down`), both kindergartens enrolling the child the next morning
//!   (`double_enrollment`); places published three weeks after they were freed (`late_publication`).

use chrono::{Datelike, Duration, NaiveDate};

use super::{Demo, SEED};
use crate::domain::application::{Language, QueueType, Status};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::direction::DirectionStatus;
use crate::domain::integrity::Finding;
use crate::domain::place::PlaceType;
use crate::domain::time::{local, Now};
use crate::error::{Error, Result};
use crate::generate::{self, Families};
use crate::store::applications::{self, ListFilter};
use crate::store::capacity;
use crate::store::directions::{self, DirectionFilter};
use crate::store::import::{Applications, AttendanceRows, Capacities};
use crate::store::offers::{self, enrolled_at};
use crate::store::{integrity, orgs, places, reference, Change, Db, Mode};

/// The rows of the late application import.
const LATE_IMPORT: u64 = 12;
/// How long before the migration the late import's registrations end.
const LATE_IMPORT_DAYS_BEFORE: i64 = 45;
/// How long before the last evening the late publication's places were freed.
const LATE_RELEASE_DAYS: i64 = 21;

/// Before the month: a private kindergarten enrolled two children; one attends, one never comes.
#[derive(Debug, Clone)]
pub struct Prologue {
    pub org: String,
    pub group_year: i64,
    pub enrolled_on: NaiveDate,
    /// The applications of the child who attends and of the one who does not.
    pub attending: String,
    pub absent: String,
    /// Their IINs, as the kindergarten's reports give them.
    children: [String; 2],
}

/// One kindergarten's declared capacity on the last evening.
#[derive(Debug, Clone)]
pub struct Declared {
    pub org: String,
    pub group_year: i64,
    pub places: i64,
    pub enrolled: i64,
}

/// The family of the last evening's scheme: a private place, a new application, a state place in free choice.
#[derive(Debug, Clone)]
pub struct Scheme {
    /// The application that took the private place (and left the queue).
    pub first: String,
    pub private_org: String,
    /// The child's new application, and its queue position when registered.
    pub again: String,
    pub position: u64,
    pub state_org: String,
    /// The round that offered the state place, and when its window closed.
    pub closes_at: String,
}

/// What the last evening planted, and the report that finds it.
#[derive(Debug, Clone)]
pub struct Controls {
    /// The next working day: both kindergartens enroll the scheme's child; the report runs then.
    pub morning: NaiveDate,
    pub over: Option<Declared>,
    pub held_back: Option<Declared>,
    /// The kindergarten that reported a child waiting in the queue, and the month.
    pub ghost: Option<(String, String)>,
    /// The late import: its rows and the first and last registration day.
    pub late_import: (u64, NaiveDate, NaiveDate),
    pub scheme: Scheme,
    /// The late publication: organization, group year, places, the day they were freed.
    pub late: (String, i64, u32, NaiveDate),
    pub findings: Vec<Finding>,
}

impl Demo {
    /// Before the month, ten working days after the city moved to kezek: the first private kindergarten
    /// publishes two places for children turning four, directs the first two general-class children of that
    /// queue to them (R-D4) and enrolls them the next working day.
    pub fn before_month(&mut self) -> Result<Prologue> {
        let calendar = reference::working_calendar(&self.db)?;
        let settings = reference::load_settings(&self.db)?;
        let day = calendar.add_working_days(self.founded.today(), 10);
        let next = calendar.add_working_days(day, 1);
        let org = first_of_kind(&self.db, "private", &[])?;
        let group_year = i64::from(day.year()) - 4;
        let kids: Vec<String> = applications::list(
            &self.db,
            &ListFilter {
                queue_type: Some(QueueType::General),
                group_year: Some(group_year),
                status: Some(Status::Queued),
                limit: Some(50),
            },
        )?
        .into_iter()
        .filter(|a| a.priority_class == "general")
        .map(|a| a.number)
        .take(2)
        .collect();
        let [attending, absent] = <[String; 2]>::try_from(kids).map_err(|_| {
            Error::Internal("the demo's queue has no two children to enroll".into())
        })?;
        let key = self.actor.key.as_ref().expect("the demo officer's key");
        let real = self.now.real;
        let at = |day: NaiveDate, hour: u32| Now {
            effective: local(day.and_hms_opt(hour, 0, 0).expect("a time")),
            real,
        };
        let batch = places::NewPlaces {
            org: org.clone(),
            group_year,
            language: Language::Ru,
            place_type: PlaceType::Regular,
            count: 2,
            release_date: day,
        };
        let ids = self
            .db
            .change(&self.actor, &at(day, 9), Mode::Commit, |c| {
                places::publish(c, &batch)
            })?;
        let mut issued = Vec::new();
        for (number, place) in [&attending, &absent].into_iter().zip(ids) {
            let d = self
                .db
                .change(&self.actor, &at(day, 10), Mode::Commit, |c| {
                    directions::issue(c, number, place, key, &settings, &calendar, None)
                })?;
            issued.push(d.number);
        }
        for number in &issued {
            self.db
                .change(&self.actor, &at(next, 9), Mode::Commit, |c| {
                    directions::enroll(c, number, None)
                })?;
        }
        let children = [
            applications::get(&self.db, &attending)?.child_iin,
            applications::get(&self.db, &absent)?.child_iin,
        ];
        Ok(Prologue {
            org,
            group_year,
            enrolled_on: next,
            attending,
            absent,
            children,
        })
    }

    /// The last evening's controls from 19:00 on `day` (the month's last working day), the next morning's two
    /// enrollments, and the integrity report as of that morning.
    pub fn controls(&mut self, day: NaiveDate, before: &Prologue) -> Result<Controls> {
        let calendar = reference::working_calendar(&self.db)?;
        let morning = calendar.add_working_days(day, 1);
        let real = self.now.real;
        let at = |day: NaiveDate, hour: u32, minute: u32| Now {
            effective: local(day.and_hms_opt(hour, minute, 0).expect("a time")),
            real,
        };
        // The children attending state kindergartens now, by kindergarten and group year, fullest first.
        let by_org = attending(&self.db)?;
        // Capacities: the fullest kindergarten declared one below the children it holds (over_capacity), the
        // next ten above what it holds and publishes (places_held_back).
        let mut declared = Vec::new();
        let mut csv = String::from("org_code,group_year,places\n");
        for (i, (org, year, kids)) in by_org.iter().take(2).enumerate() {
            let open = capacity::occupancy(&self.db, org, *year)?.open;
            let enrolled = kids.len() as i64;
            let places = if i == 0 {
                enrolled - 1
            } else {
                enrolled + open + 10
            }
            .max(0);
            csv.push_str(&format!("{org},{year},{places}\n"));
            declared.push(Declared {
                org: org.clone(),
                group_year: *year,
                places,
                enrolled,
            });
        }
        self.import_at::<Capacities>(&at(day, 19, 0), "capacity.csv", csv.into_bytes())?;
        // The month's attendance: the fullest kindergarten's, with a child it reports who waits in the queue;
        // and the private kindergarten's of every month since its two children were enrolled, one of them never
        // present.
        let month = format!("{:04}-{:02}", day.year(), day.month());
        let mut csv = String::from("org_code,child_iin,month,days_present\n");
        let mut ghost = None;
        let mut ghost_iin = None;
        if let Some((org, _, kids)) = by_org.first() {
            for kid in kids {
                csv.push_str(&format!("{org},{kid},{month},1\n"));
            }
            let waiting = applications::list(
                &self.db,
                &ListFilter {
                    status: Some(Status::Queued),
                    limit: Some(1),
                    ..Default::default()
                },
            )?;
            if let Some(row) = waiting.first() {
                let iin = applications::get(&self.db, &row.number)?.child_iin;
                csv.push_str(&format!("{org},{iin},{month},1\n"));
                ghost = Some((org.clone(), month.clone()));
                ghost_iin = Some(iin);
            }
        }
        for (month, working) in months_since(&calendar, before.enrolled_on, day) {
            let [present, absent] = &before.children;
            let days = working.min(10);
            csv.push_str(&format!("{},{present},{month},{days}\n", before.org));
            csv.push_str(&format!("{},{absent},{month},0\n", before.org));
        }
        self.import_at::<AttendanceRows>(&at(day, 19, 5), "attendance.csv", csv.into_bytes())?;
        // A second application import, after the city's migration, of registrations older than it: an office's
        // paper list typed in late, or the easiest way to put children ahead in the queue.
        let until = self.founded.effective.min(real) - Duration::days(LATE_IMPORT_DAYS_BEFORE);
        let families: Vec<generate::Family> = Families::new(SEED + 18, LATE_IMPORT, until)
            .batch(3)
            .collect();
        let first_day = families.first().map(|f| f.registered_at.date_naive());
        let last_day = families.last().map(|f| f.registered_at.date_naive());
        let mut csv = Vec::new();
        generate::write_csv(&mut csv, families)?;
        let imported = self.import_at::<Applications>(&at(day, 19, 10), "paper-list.csv", csv)?;
        let late_import = (
            imported.rows,
            first_day.unwrap_or(day),
            last_day.unwrap_or(day),
        );
        let used: Vec<&str> = declared.iter().map(|d| d.org.as_str()).collect();
        let scheme = self.scheme(day, morning, &used, &before.org, ghost_iin.as_deref())?;
        // Places freed three weeks ago, published only now: nobody was offered them meanwhile.
        let mut used = used;
        used.push(&scheme.state_org);
        let late_org = first_of_kind(&self.db, "state", &used)?;
        let released = day - Duration::days(LATE_RELEASE_DAYS);
        let group_year = i64::from(day.year()) - 4;
        let batch = places::NewPlaces {
            org: late_org.clone(),
            group_year,
            language: Language::Kk,
            place_type: PlaceType::Regular,
            count: 2,
            release_date: released,
        };
        self.db
            .change(&self.actor, &at(day, 20, 40), Mode::Commit, |c| {
                places::publish(c, &batch)
            })?;
        let findings = self.db.snapshot(|s| integrity::findings(s, morning))?;
        let mut declared = declared.into_iter();
        Ok(Controls {
            morning,
            over: declared.next(),
            held_back: declared.next(),
            ghost,
            late_import,
            scheme,
            late: (late_org, group_year, batch.count, released),
            findings,
        })
    }

    /// The scheme of the last evening: a place published at a state kindergarten at 19:20 and offered by a round
    /// at 19:25 whose window closes at 20:00; a family further down the queue of children turning four takes a
    /// private kindergarten's place at 19:35 (its application leaves the queue, R-D4) and registers its child
    /// again at 19:40; at 20:30 an officer gives the new application the state place, gone to free choice; the
    /// next morning both kindergartens enroll the child.
    fn scheme(
        &mut self,
        day: NaiveDate,
        morning: NaiveDate,
        used: &[&str],
        prologue_org: &str,
        ghost: Option<&str>,
    ) -> Result<Scheme> {
        let calendar = reference::working_calendar(&self.db)?;
        let settings = reference::load_settings(&self.db)?;
        let key = self.actor.key.as_ref().expect("the demo officer's key");
        let real = self.now.real;
        let at = |day: NaiveDate, hour: u32, minute: u32| Now {
            effective: local(day.and_hms_opt(hour, minute, 0).expect("a time")),
            real,
        };
        let group_year = i64::from(day.year()) - 4;
        let state_org = first_of_kind(&self.db, "state", used)?;
        let private_org = first_of_kind(&self.db, "private", &[prologue_org])?;
        let publish = |org: &str| places::NewPlaces {
            org: org.to_string(),
            group_year,
            language: Language::Ru,
            place_type: PlaceType::Regular,
            count: 1,
            release_date: day,
        };
        let state = publish(&state_org);
        let place = self
            .db
            .change(&self.actor, &at(day, 19, 20), Mode::Commit, |c| {
                places::publish(c, &state)
            })?[0];
        let round = self
            .db
            .change(&self.actor, &at(day, 19, 25), Mode::Commit, |c| {
                offers::offer_round(c, &settings, &calendar)
            })?;
        let closes_at = round
            .queues
            .iter()
            .find(|q| q.group_year == group_year && q.queue_type == "general")
            .map(|q| q.closes_at.clone())
            .unwrap_or_default();
        // A family of that queue, a few places from its head, of the general class, not the child the ghost
        // report names.
        let candidates = applications::list(
            &self.db,
            &ListFilter {
                queue_type: Some(QueueType::General),
                group_year: Some(group_year),
                status: Some(Status::Queued),
                limit: Some(40),
            },
        )?;
        let mut first = None;
        for row in candidates.iter().skip(5) {
            let app = applications::get(&self.db, &row.number)?;
            if row.priority_class == "general"
                && app.sibling_group.is_none()
                && !app.transfer
                && Some(app.child_iin.as_str()) != ghost
                && enrolled_at(&self.db, &app.child_iin)?.is_none()
            {
                first = Some(app);
                break;
            }
        }
        let first = first.ok_or_else(|| {
            Error::Internal("the demo's queue has no family for its scheme".into())
        })?;
        let private = publish(&private_org);
        let private_place = self
            .db
            .change(&self.actor, &at(day, 19, 30), Mode::Commit, |c| {
                places::publish(c, &private)
            })?[0];
        let private_direction = self
            .db
            .change(&self.actor, &at(day, 19, 35), Mode::Commit, |c| {
                directions::issue(
                    c,
                    &first.number,
                    private_place,
                    key,
                    &settings,
                    &calendar,
                    None,
                )
            })?
            .number;
        let (again, position) =
            self.db
                .change(&self.actor, &at(day, 19, 40), Mode::Commit, |c| {
                    register_again(c, &first.number, &settings)
                })?;
        let state_direction = self
            .db
            .change(&self.actor, &at(day, 20, 30), Mode::Commit, |c| {
                directions::issue(c, &again, place, key, &settings, &calendar, None)
            })?
            .number;
        for (minute, number) in [(30, &private_direction), (45, &state_direction)] {
            self.db
                .change(&self.actor, &at(morning, 8, minute), Mode::Commit, |c| {
                    directions::enroll(c, number, None)
                })?;
        }
        Ok(Scheme {
            first: first.number,
            private_org,
            again,
            position,
            state_org,
            closes_at,
        })
    }
}

/// The same child registered again by its family (R-Q6 allows it once the first application left the queue):
/// the new number and its queue position.
fn register_again(
    c: &Change,
    number: &str,
    settings: &crate::domain::settings::Settings,
) -> Result<(String, u64)> {
    let again = super::register_again(c, number, &applications::Choice::default(), settings)?;
    let position = applications::show(c, &again)?.queue_position.unwrap_or(0);
    Ok((again, position))
}

/// The first organization of `kind` by code, other than those in `except`.
fn first_of_kind(db: &Db, kind: &str, except: &[&str]) -> Result<String> {
    orgs::list(db, None, Some(kind))?
        .into_iter()
        .map(|o| o.code)
        .find(|code| !except.contains(&code.as_str()))
        .ok_or_else(|| Error::Internal(format!("the demo has no {kind} organization left")))
}

/// The children attending state kindergartens now, as (organization, group year, their IINs), fullest first.
fn attending(db: &Db) -> Result<Vec<(String, i64, Vec<String>)>> {
    let enrolled = directions::list(
        db,
        &DirectionFilter {
            status: Some(DirectionStatus::Enrolled),
            ..Default::default()
        },
    )?;
    let mut by_org: Vec<(String, i64, Vec<String>)> = Vec::new();
    for d in &enrolled {
        let place = places::get(db, d.place_id)?;
        if place.org_kind != "state" {
            continue;
        }
        let child = applications::get(db, &d.application)?.child_iin;
        // Attending there now: not one who left it (an exchange, a transfer).
        if enrolled_at(db, &child)?.as_deref() != Some(d.org.as_str()) {
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
    Ok(by_org)
}

/// Every month from the one of `from` to the one of `to`, as `YYYY-MM`, with its working days up to `to`.
fn months_since(calendar: &WorkingCalendar, from: NaiveDate, to: NaiveDate) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    let mut d = from.with_day(1).expect("the first of a month");
    while d <= to {
        let month = d.format("%Y-%m").to_string();
        if out.last().map(|m| &m.0) != Some(&month) {
            out.push((month, 0));
        }
        if calendar.is_working_day(d) {
            out.last_mut().expect("a month").1 += 1;
        }
        d += Duration::days(1);
    }
    out
}
