//! `kezek demo`'s sample city, built with the same store functions the commands use: the organizations and the
//! calendar of `examples/` and a queue migrated from an older system (generated), on the day the city moved to
//! kezek some months before the demo's month; what happened before the month (`controls`); then the month of
//! the queue walked day by day (`month`), its last evening of choice (`choice`) and of controls against abuse
//! (`controls`). Each step returns what it did; `cli::demo` shows it.

mod choice;
mod controls;
mod month;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

pub use choice::ChoiceDay;
pub use controls::{Controls, Declared, Prologue, Scheme};
pub use month::{Counters, DayRow};

use crate::crypto::PrivateKey;
use crate::domain::application::{ApplicationListRow, ApplicationView, QueueType, Status};
use crate::domain::calendar::{DayKind, DayReason, WorkingCalendar};
use crate::domain::officer::NewOfficer;
use crate::domain::role::Role;
use crate::domain::settings::Settings;
use crate::domain::time::{local, Now};
use crate::error::{Error, Result};
use crate::generate;
use crate::store::audit::{self, VerifyReport};
use crate::store::db::{Db, DEMO_APPLICATION_ID};
use crate::store::import::{
    self, Applications, CalendarDays, ImportReport, Importer, Options, Orgs,
};
use crate::store::reference::CategoryRow;
use crate::store::stats::{self, Stats};
use crate::store::{applications, offers, officers, orgs, outbox, reference};
use crate::store::{Acting, Actor, Mode};

/// The seed of everything random in the demo: the generated queue and the families' choices.
const SEED: u64 = 2026;
const APPLICATIONS: u64 = 3000;
/// The working days of the demo month.
pub const DAYS: u64 = 22;

const ORGS_CSV: &[u8] = include_bytes!("../../examples/orgs.csv");
const CALENDAR_CSV: &[u8] = include_bytes!("../../examples/calendar.csv");

/// How long before the demo's month the city moved its queue to kezek.
const FOUNDED_DAYS_BEFORE: i64 = 120;

/// A demo database, created, with no officer yet.
pub struct NewDemo {
    db: Db,
    now: Now,
    founded: Now,
    path: PathBuf,
}

/// The demo city and its officers: the demo officer makes every change but the registrations of a second
/// district officer (`clerk`).
pub struct Demo {
    db: Db,
    now: Now,
    /// When the city moved its queue to kezek: the migration, months before the demo's month.
    founded: Now,
    path: PathBuf,
    actor: Actor,
    clerk: Actor,
    /// The service account that runs the nights (R-R1), once `add_accounts` registered it.
    night: Option<Actor>,
    key_path: PathBuf,
    /// The month's registrations at the counters (after `walk_month`).
    counters: Counters,
}

/// The demo officer: id, name, district.
pub const OFFICER: (&str, &str, &str) = ("demo", "Демо Офицер", "Алмалинский");

/// An account of the demo city: id, role, district and, for a kindergarten, its organization.
pub type Account = (String, Role, String, Option<String>);

/// The organization whose kindergarten account the demo registers.
const KINDERGARTEN: &str = "DS-001";

/// The second officer of the demo, of another district, who registers families at the counter.
pub const CLERK: (&str, &str, &str) = ("zhanova", "Жанова Сауле", "Ауэзовский");

/// Organizations of one district, by kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OrgCount {
    pub district: String,
    pub state: usize,
    pub private: usize,
    pub sanatorium: usize,
}

/// The waiting applications of one queue, by class.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QueueCount {
    pub queue_type: String,
    pub group_year: i64,
    pub out_of_turn: u64,
    pub first_priority: u64,
    pub general: u64,
    pub waiting: u64,
}

/// The city before the month: organizations, calendar, queues.
pub struct City {
    pub orgs: Vec<OrgCount>,
    /// The days of the demo's year that differ from a plain week.
    pub special_days: Vec<(NaiveDate, DayReason)>,
    /// The last valid day of a direction issued today (R-D1).
    pub valid_until: NaiveDate,
    pub queues: Vec<QueueCount>,
    pub largest: QueueCount,
    pub general_per_first_priority: u32,
    /// The head of the largest queue.
    pub head: Vec<ApplicationListRow>,
    /// The first first-priority application of that head, and its category.
    pub first_priority: Option<(ApplicationView, Option<CategoryRow>)>,
}

/// One application's card after the month, with its category.
pub struct Card {
    pub view: ApplicationView,
    pub category: Option<CategoryRow>,
}

/// The city after the month.
pub struct Month {
    /// The month's last day, as its row names it.
    pub last_day: String,
    pub stats: Stats,
    /// An enrolled and a stop-listed application, where there are.
    pub cards: Vec<Card>,
    pub unsent_notifications: usize,
    pub audit: VerifyReport,
}

impl NewDemo {
    /// Replaces an earlier demo at `path` (its database and key pair) by an empty demo database; refuses a file
    /// that holds anything else. The demo's time is `now` if that falls on a working day before the offer window
    /// closes, else 10:00 on the next working day.
    pub fn create(path: &Path, now: &Now) -> Result<NewDemo> {
        if !Db::replaceable_by_demo(path)? {
            return Err(Error::usage(crate::tr!(
                "cli-demo-not-a-demo",
                path = path.display().to_string()
            )));
        }
        remove_earlier(path)?;
        let now = demo_time(now);
        let founded = founding_time(&now);
        let (db, _) = Db::init(path, &founded, DEMO_APPLICATION_ID)?;
        Ok(NewDemo {
            db,
            now,
            founded,
            path: path.to_path_buf(),
        })
    }

    /// The demo officer: a new RSA key pair beside the database, and the officer registered with it; then the
    /// second officer, registered by the first (its key stays in memory).
    pub fn add_officer(self) -> Result<Demo> {
        let NewDemo {
            mut db,
            now,
            founded,
            path,
        } = self;
        let key = PrivateKey::generate(2048)?;
        let (key_path, _) = key.write_pair(&keys_dir(&path))?;
        let (id, name, district) = OFFICER;
        let officer = NewOfficer::check(id, name, district)?;
        let public = key.public().clone();
        let first = Actor {
            acting: Acting::FirstOfficer(officer.id.clone()),
            key: Some(key),
            command: String::new(),
        };
        db.change(&first, &founded, Mode::Commit, |c| {
            officers::add(c, &officer, &public, Some(&public))
        })?;
        let actor = Actor {
            acting: Acting::Officer(officer.id.clone()),
            key: first.key,
            command: String::new(),
        };
        let clerk_key = PrivateKey::generate(2048)?;
        let (id, name, district) = CLERK;
        let clerk = NewOfficer::check(id, name, district)?.with_role(Role::Officer, None)?;
        db.change(&actor, &founded, Mode::Commit, |c| {
            officers::add(c, &clerk, clerk_key.public(), None)
        })?;
        let clerk = Actor {
            acting: Acting::Officer(clerk.id),
            key: Some(clerk_key),
            command: String::new(),
        };
        Ok(Demo {
            db,
            now,
            founded,
            path,
            actor,
            clerk,
            night: None,
            key_path,
            counters: Counters::default(),
        })
    }
}

impl Demo {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn key_path(&self) -> &Path {
        &self.key_path
    }

    /// Where the demo publishes its public log: beside the database, `kezek-demo.pub/` for `kezek-demo.db`.
    pub fn publication_dir(&self) -> PathBuf {
        self.path.with_extension("pub")
    }

    /// Publishes the month's public log (R-V3), replacing the publication of an earlier demo.
    pub fn publish(&mut self) -> Result<crate::publish::PublishReport> {
        let dir = self.publication_dir();
        if dir.join("checkpoint").exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| Error::io(format!("{}", dir.display()), e))?;
        }
        crate::publish::publish(&mut self.db, &dir)
    }

    /// The demo's time: when the month begins.
    pub fn now(&self) -> &Now {
        &self.now
    }

    /// When the city moved its queue to kezek, months before the demo's month.
    pub fn founded(&self) -> &Now {
        &self.founded
    }

    /// The month's registrations at the counters, by officer.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// The city's accounts besides the demo officer and the clerk (R-R1): an officer of every other district, the
    /// kindergarten account of `DS-001` and the service account that runs the nights, each with a key of its own
    /// made for the run and kept in memory only. Returns each new account as (id, role, district, org).
    pub fn add_accounts(&mut self) -> Result<Vec<Account>> {
        let districts = crate::store::districts::names(&self.db)?;
        let mut accounts: Vec<Account> = districts
            .iter()
            .filter(|d| d.as_str() != OFFICER.2 && d.as_str() != CLERK.2)
            .enumerate()
            .map(|(i, d)| {
                (
                    format!("district-{}", i + 1),
                    Role::Officer,
                    d.clone(),
                    None,
                )
            })
            .collect();
        let ds001 = orgs::list(&self.db, None, None)?
            .into_iter()
            .find(|o| o.code == KINDERGARTEN)
            .ok_or_else(|| Error::Internal(format!("no {KINDERGARTEN} in the demo")))?;
        accounts.push((
            "ds-001".into(),
            Role::Kindergarten,
            ds001.district,
            Some(KINDERGARTEN.into()),
        ));
        accounts.push(("night".into(), Role::Service, OFFICER.2.into(), None));
        // The keys on both cores at once: RSA key generation is most of the cost.
        let keys = std::thread::scope(|s| {
            let made: Vec<_> = accounts
                .iter()
                .map(|_| s.spawn(|| PrivateKey::generate(2048)))
                .collect();
            made.into_iter()
                .map(|h| h.join().expect("key generation"))
                .collect::<Result<Vec<_>>>()
        })?;
        let founded = self.founded;
        for ((id, role, district, org), key) in accounts.iter().zip(&keys) {
            let officer = NewOfficer::check(id, &format!("Учётная запись {id}"), district)?
                .with_role(*role, org.as_deref())?;
            self.db.change(&self.actor, &founded, Mode::Commit, |c| {
                officers::add(c, &officer, key.public(), None)
            })?;
        }
        let night = keys.into_iter().last().expect("the service account's key");
        self.night = Some(Actor {
            acting: Acting::Officer("night".into()),
            key: Some(night),
            command: String::new(),
        });
        Ok(accounts)
    }

    /// Imports `examples/orgs.csv`, on the day the city moved to kezek.
    pub fn import_orgs(&mut self) -> Result<ImportReport> {
        self.import::<Orgs>("examples/orgs.csv", ORGS_CSV.to_vec())
    }

    /// Imports `examples/calendar.csv`, on the day the city moved to kezek.
    pub fn import_calendar(&mut self) -> Result<ImportReport> {
        self.import::<CalendarDays>("examples/calendar.csv", CALENDAR_CSV.to_vec())
    }

    /// Imports a generated queue, as migrated from an older system on the day the city moved to kezek:
    /// registration times (and so positions) are kept.
    pub fn import_applications(&mut self) -> Result<ImportReport> {
        let mut generated = Vec::new();
        generate::applications(&mut generated, SEED, APPLICATIONS, self.founded.effective)?;
        self.import::<Applications>("generated applications", generated)
    }

    /// One file through the import pipeline, as `kezek ... import` takes it, on the day the city moved to kezek.
    fn import<I: Importer>(&mut self, name: &str, bytes: Vec<u8>) -> Result<ImportReport> {
        let founded = self.founded;
        self.import_at::<I>(&founded, name, bytes)
    }

    /// `import` at another time of the demo.
    fn import_at<I: Importer>(
        &mut self,
        now: &Now,
        name: &str,
        bytes: Vec<u8>,
    ) -> Result<ImportReport> {
        let mut csv = I::from_bytes(name, bytes)?;
        import::run::<I>(&mut self.db, &self.actor, now, &mut csv, Options::commit())
    }

    /// The city as imported: organizations by district, the year's calendar, the queues and the head of the
    /// largest one.
    pub fn city(&mut self) -> Result<City> {
        let db = &self.db;
        let today = self.now.today();
        let calendar = reference::working_calendar(db)?;
        let queues = queue_counts(db)?;
        let largest = queues
            .iter()
            .max_by_key(|q| q.waiting)
            .cloned()
            .ok_or_else(|| Error::Internal("the demo has no queue".into()))?;
        let filter = applications::ListFilter {
            queue_type: Some(QueueType::parse("queue_type", &largest.queue_type)?),
            group_year: Some(largest.group_year),
            status: None,
            limit: Some(12),
        };
        let head = applications::list(db, &filter)?;
        let first_priority = head
            .iter()
            .find(|a| a.priority_class == "first_priority")
            .map(|a| applications::show_with_category(db, &a.number))
            .transpose()?;
        Ok(City {
            orgs: org_counts(&orgs::list(db, None, None)?),
            special_days: calendar.special_days(today.year()),
            valid_until: calendar.add_working_days(today, 5),
            queues,
            largest,
            general_per_first_priority: reference::load_settings(db)?.general_per_first_priority,
            head,
            first_priority,
        })
    }

    /// The city after the month whose rows are `days`: its statistics, an enrolled and a stop-listed
    /// application, the outbox, and the audit of the whole database.
    pub fn month(&mut self, days: &[DayRow]) -> Result<Month> {
        let today = self.now.today();
        let last_day = days.last().map(|d| d.date.clone()).unwrap_or_default();
        let to = today.max(parse_day(&last_day));
        let stats = self
            .db
            .snapshot(|conn| stats::stats(conn, Some(today), to))?;
        let mut cards = Vec::new();
        for status in [Status::Enrolled, Status::StopListed] {
            let filter = applications::ListFilter {
                status: Some(status),
                limit: Some(1),
                ..Default::default()
            };
            if let Some(row) = applications::list(&self.db, &filter)?.first() {
                let (view, category) = applications::show_with_category(&self.db, &row.number)?;
                cards.push(Card { view, category });
            }
        }
        let unsent_notifications = outbox::unsent(&self.db)?.len();
        let audit = self.db.snapshot(|conn| audit::verify(conn, None))?;
        Ok(Month {
            last_day,
            stats,
            cards,
            unsent_notifications,
            audit,
        })
    }
}

fn keys_dir(db: &Path) -> PathBuf {
    db.with_extension("keys")
}

/// Removes an earlier demo: its database files and its key pair.
fn remove_earlier(path: &Path) -> Result<()> {
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    let keys = keys_dir(path);
    files.push(keys.join("officer.key"));
    files.push(keys.join("officer.pub"));
    for f in files {
        if f.exists() {
            std::fs::remove_file(&f).map_err(|e| Error::io(f.display().to_string(), e))?;
        }
    }
    Ok(())
}

fn org_counts(orgs: &[orgs::OrgRow]) -> Vec<OrgCount> {
    let mut out: Vec<OrgCount> = Vec::new();
    for o in orgs {
        let i = match out.iter().position(|c| c.district == o.district) {
            Some(i) => i,
            None => {
                out.push(OrgCount {
                    district: o.district.clone(),
                    ..OrgCount::default()
                });
                out.len() - 1
            }
        };
        match o.kind.as_str() {
            "state" => out[i].state += 1,
            "private" => out[i].private += 1,
            _ => out[i].sanatorium += 1,
        }
    }
    out.sort_by(|a, b| a.district.cmp(&b.district));
    out
}

fn queue_counts(db: &Db) -> Result<Vec<QueueCount>> {
    applications::queues_waiting(db)?
        .into_iter()
        .map(|(queue_type, group_year)| {
            let c = applications::class_counts(db, &queue_type, group_year)?;
            Ok(QueueCount {
                queue_type,
                group_year,
                out_of_turn: c.out_of_turn,
                first_priority: c.first_priority,
                general: c.general,
                waiting: c.total(),
            })
        })
        .collect()
}

/// The demo walks a working day: `--now` (or the clock) if it falls on one before the offer window closes,
/// else 10:00 on the next working day.
fn demo_time(now: &Now) -> Now {
    let calendar = example_calendar();
    let (_, closes) = offers::window(now.today(), &Settings::default());
    if calendar.is_working_day(now.today()) && now.effective < closes {
        return *now;
    }
    let day = calendar.add_working_days(now.today(), 1);
    at_ten(day, now)
}

/// The day the city moved to kezek: 10:00 on the first working day from `FOUNDED_DAYS_BEFORE` days before the
/// month.
fn founding_time(now: &Now) -> Now {
    let calendar = example_calendar();
    let before = now.today() - chrono::Duration::days(FOUNDED_DAYS_BEFORE);
    let day = calendar.add_working_days(before - chrono::Duration::days(1), 1);
    at_ten(day, now)
}

fn at_ten(day: NaiveDate, now: &Now) -> Now {
    let ten = chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("10:00");
    Now {
        effective: local(day.and_time(ten)),
        real: now.real,
    }
}

/// The working calendar of `examples/calendar.csv` with the built-in holidays, before the database has it.
fn example_calendar() -> WorkingCalendar {
    let declared = String::from_utf8_lossy(CALENDAR_CSV)
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',');
            let date = NaiveDate::parse_from_str(f.next()?, "%Y-%m-%d").ok()?;
            let kind = DayKind::parse(f.next()?)?;
            Some((date, kind, String::new()))
        })
        .collect::<Vec<_>>();
    WorkingCalendar::new(declared)
}

fn parse_day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

/// The child of application `number` registered again by its family, with `choice`, the consent renewed today
/// and no benefit: a return to the queue (R-Q6) or a transfer (R-C3).
fn register_again(
    c: &crate::store::Change,
    number: &str,
    choice: &crate::store::applications::Choice,
    settings: &Settings,
) -> Result<String> {
    let app = crate::store::applications::get(c, number)?;
    let consent = format!("{}:{}", app.consent, c.now().today());
    let input = crate::domain::application::RegistrationInput {
        child_iin: &app.child_iin,
        child_name: &app.child_name,
        applicant_iin: &app.applicant_iin,
        applicant_name: &app.applicant_name,
        phone: &app.phone,
        email: &app.email,
        district: &app.district,
        queue_type: &app.queue_type,
        language: &app.language,
        category: None,
        docs: Vec::new(),
        consent: &consent,
    };
    crate::store::applications::register_with(c, &input, choice, settings)
}
