//! The one city builder. Every suite that needs a city builds it here, with the knobs it needs: which officers
//! of the roster join, the reference data, a migrated queue (how many applications, from which seed), places,
//! the offer round, directions for the families it notified; through the binary (as an officer at a terminal
//! would) or in process through the library (fast, with the journal's real time pinned, so that a seed always
//! builds the same bytes).
//!
//! What follows the build is the suite's own: a forgery suite ends some directions, a tamper suite walks the
//! days, a race suite lets its workers loose. In process, [`City::change`] runs one command as kezek does; what
//! a test reads or edits with SQL goes through a connection of its own ([`City::sql`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use kezek::crypto::PrivateKey;
use kezek::domain::application::Language;
use kezek::domain::calendar::{DayKind, WorkingCalendar};
use kezek::domain::officer::NewOfficer;
use kezek::domain::place::PlaceType;
use kezek::domain::settings::Settings;
use kezek::domain::time::{local, Now};
use kezek::store::audit;
use kezek::store::db::APPLICATION_ID;
use kezek::store::import::{self, Importer, Options};
use kezek::store::{
    directions, offers, officers, places, reference, sweep, Acting, Actor, Change, Db, Mode,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::Connection;

use super::env::{TestEnv, NOW};
use super::{date, fixture_key, pinned, sql, APPLICATIONS, CALENDAR, ORGS, PLACES_HEADER};

/// An officer of the roster.
pub struct Officer {
    pub id: &'static str,
    pub name: &'static str,
    pub district: &'static str,
}

/// The officers a city may have, in the order they join: the first registers the others. Their keys are the
/// fixtures in tests/fixtures/keys.
pub const OFFICERS: [Officer; 3] = [
    Officer {
        id: "ivanova",
        name: "Иванова Айгуль",
        district: "Алмалинский",
    },
    Officer {
        id: "sadykov",
        name: "Садыков Ерлан",
        district: "Медеуский",
    },
    Officer {
        id: "omarova",
        name: "Омарова Динара",
        district: "Бостандыкский",
    },
];

/// The ids of the roster.
pub fn officer_ids() -> impl Iterator<Item = &'static str> {
    OFFICERS.iter().map(|o| o.id)
}

fn roster(id: &str) -> &'static Officer {
    OFFICERS
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("{id} is not an officer of the roster"))
}

/// `officer add` of an officer of the roster; the first officer also gives the private key that signs it.
pub fn officer_add(id: &str, public: &Path, key: Option<&Path>) -> Vec<String> {
    let o = roster(id);
    let mut args: Vec<String> = ["officer", "add", "--id", o.id, "--name", o.name]
        .into_iter()
        .chain(["--district", o.district, "--role", "admin", "--public-key"])
        .map(String::from)
        .collect();
    args.push(public.display().to_string());
    if let Some(key) = key {
        args.extend(["--key".to_string(), key.display().to_string()]);
    }
    args
}

/// What runs a city's commands through the binary: a [`TestEnv`], or a suite's own runner that looks at every
/// command it runs (the privacy suite scans each output).
pub trait Driver {
    fn env(&mut self) -> &mut TestEnv;

    /// Runs `kezek ARGS`, which must succeed.
    fn run(&mut self, args: Vec<String>) {
        self.env().kezek_args(args).success();
    }

    /// Sets the effective time of the commands that follow (`YYYY-MM-DDTHH:MM`).
    fn clock(&mut self, now: &str) {
        self.env().set_now(now);
    }

    /// Writes a file that kezek is given, in the environment's directory.
    fn input(&mut self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.env().path(name);
        std::fs::write(&path, contents).expect("write an input file");
        path
    }

    /// An officer's key pair, copied into the environment's directory.
    fn officer_key(&mut self, officer: &str) -> (PathBuf, PathBuf) {
        self.env().key(officer)
    }
}

/// How a city's commands run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The kezek binary, one process a command.
    Binary,
    /// The library, as the binary's commands call it.
    Library,
}

/// The migrated queue.
#[derive(Debug, Clone)]
pub enum Applications {
    None,
    /// `count` applications from `kezek::generate` with the city's seed, registered before
    /// [`CityBuilder::registered_by`].
    Generated(u64),
    /// The first rows of examples/applications.csv (`usize::MAX`: all of them).
    Examples(usize),
    /// A CSV text with the import's columns.
    Csv(String),
}

/// The places published for the offer round, released on the round's day.
#[derive(Debug, Clone)]
pub enum Places {
    None,
    /// A places CSV text, imported as it is.
    Csv(String),
    /// As many places as children wait in each queue (queue type, group year), so that the round notifies them
    /// all.
    ForEveryWaiting(Spread),
    /// Regular places of one state organization, published with `place publish` rather than imported.
    Publish {
        org: &'static str,
        group_year: i64,
        language: &'static str,
        count: u32,
    },
}

/// How the places of [`Places::ForEveryWaiting`] are spread over the organizations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// All in DS-001 (SS-001 for the sanatorium queue), in Russian, one row a queue.
    One,
    /// Drawn from the city's seed: batches of 5 to 39 over DS-001..DS-032 (SS-001..SS-003 for the sanatorium
    /// queue), three in five in Kazakh.
    Seeded,
}

/// Directions issued for the applications the offer round notified, each for an offered place of its queue.
#[derive(Debug, Clone, Copy)]
pub struct Directions {
    /// Every notified application of a queue, or the first half of them.
    pub half: bool,
    /// General-queue applications left notified without a direction (the first of each queue), each with the
    /// place it could take: [`Built::reserved`].
    pub reserve: usize,
    /// In process: how many directions one command issues, the officers signing the commands in turns. Through
    /// the binary every direction is a command.
    pub per_command: usize,
    /// Issued in process even in a city built through the binary (thousands of processes would take long).
    pub in_process: bool,
}

impl Default for Directions {
    fn default() -> Directions {
        Directions {
            half: false,
            reserve: 0,
            per_command: usize::MAX,
            in_process: false,
        }
    }
}

/// The knobs of a city. Every city has the sample organizations (examples/orgs.csv) and an acting officer.
pub struct CityBuilder {
    via: Via,
    tmpfs: bool,
    officers: usize,
    calendar: bool,
    kurban_ait: bool,
    settings: Vec<(String, String)>,
    seed: u64,
    applications: Applications,
    hold_back: Option<(usize, usize)>,
    registered_by: Option<NaiveDateTime>,
    places: Places,
    offer: bool,
    directions: Option<Directions>,
    dry_run_first: bool,
    setup_at: NaiveDateTime,
    round_at: Option<NaiveDateTime>,
    issue_at: Option<NaiveDateTime>,
    points: Option<PathBuf>,
}

fn moment(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").expect("YYYY-MM-DDTHH:MM")
}

fn shown(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

impl CityBuilder {
    /// Through the binary: `ivanova` and the sample organizations at [`NOW`] (Monday 16 March 2026, 10:00).
    pub fn new() -> CityBuilder {
        CityBuilder {
            via: Via::Binary,
            tmpfs: false,
            officers: 1,
            calendar: false,
            kurban_ait: false,
            settings: Vec::new(),
            seed: 0,
            applications: Applications::None,
            hold_back: None,
            registered_by: None,
            places: Places::None,
            offer: false,
            directions: None,
            dry_run_first: false,
            setup_at: moment(NOW),
            round_at: None,
            issue_at: None,
            points: None,
        }
    }

    /// Built through the library instead of the binary.
    pub fn in_process(mut self) -> CityBuilder {
        self.via = Via::Library;
        self
    }

    /// The database in memory ([`super::tmpfs_dir`]).
    pub fn in_tmpfs(mut self) -> CityBuilder {
        self.tmpfs = true;
        self
    }

    /// How many officers of [`OFFICERS`] join (1 to 3).
    pub fn officers(mut self, n: usize) -> CityBuilder {
        assert!((1..=OFFICERS.len()).contains(&n), "1 to 3 officers");
        self.officers = n;
        self
    }

    /// examples/calendar.csv imported.
    pub fn calendar(mut self) -> CityBuilder {
        self.calendar = true;
        self
    }

    /// Kurban Ait declared on 27 May 2026.
    pub fn kurban_ait(mut self) -> CityBuilder {
        self.kurban_ait = true;
        self
    }

    /// A setting changed before the queue is migrated.
    pub fn setting(mut self, key: &str, value: impl ToString) -> CityBuilder {
        self.settings.push((key.to_string(), value.to_string()));
        self
    }

    /// The seed of the generated applications and of the places' spread.
    pub fn seed(mut self, seed: u64) -> CityBuilder {
        self.seed = seed;
        self
    }

    pub fn applications(mut self, applications: Applications) -> CityBuilder {
        self.applications = applications;
        self
    }

    /// Every `every`th application from the `from`th on (counted from 0) is held back from the migration, for
    /// the front desk to register later: [`Built::held_back`].
    pub fn hold_back(mut self, every: usize, from: usize) -> CityBuilder {
        self.hold_back = Some((every, from));
        self
    }

    /// When the generated applications were registered by (YYYY-MM-DDTHH:MM); the setup time if not given.
    pub fn registered_by(mut self, t: &str) -> CityBuilder {
        self.registered_by = Some(moment(t));
        self
    }

    pub fn places(mut self, places: Places) -> CityBuilder {
        self.places = places;
        self
    }

    /// The offer round, after the places.
    pub fn offer(mut self) -> CityBuilder {
        self.offer = true;
        self
    }

    pub fn directions(mut self, directions: Directions) -> CityBuilder {
        self.directions = Some(directions);
        self
    }

    /// Through the binary, each import is tried with `--dry-run` first.
    pub fn dry_run_first(mut self) -> CityBuilder {
        self.dry_run_first = true;
        self
    }

    /// When the city is set up (YYYY-MM-DDTHH:MM): the database, officers, reference data, the migration.
    pub fn at(mut self, t: &str) -> CityBuilder {
        self.setup_at = moment(t);
        self
    }

    /// When the places are published and the offer round runs; the setup time if not given.
    pub fn round_at(mut self, t: &str) -> CityBuilder {
        self.round_at = Some(moment(t));
        self
    }

    /// When the directions are issued (one minute later for each command after the first); the round's time if
    /// not given.
    pub fn issue_at(mut self, t: &str) -> CityBuilder {
        self.issue_at = Some(moment(t));
        self
    }

    /// In process: after every command, the database as it was then and its signed head are kept in `dir`
    /// ([`Built::points`]).
    pub fn keep_points(mut self, dir: &Path) -> CityBuilder {
        self.points = Some(dir.to_path_buf());
        self
    }

    /// Builds the city in an environment of its own.
    pub fn build(self) -> City {
        let env = if self.tmpfs {
            TestEnv::in_tmpfs()
        } else {
            TestEnv::bare()
        };
        match self.via {
            Via::Binary => {
                let mut env = env;
                let built = self.drive(&mut env);
                City::of(env, None, built)
            }
            Via::Library => self.build_in_process(env),
        }
    }

    /// Builds the city through the binary with `driver`, which runs every command.
    pub fn drive(self, driver: &mut impl Driver) -> Built {
        assert!(self.points.is_none(), "points are kept in process only");
        let mut built = Built::default();
        driver.clock(&shown(self.setup_at));
        driver.run(words("init"));
        let first = OFFICERS[0].id;
        let (key, public) = driver.officer_key(first);
        driver.run(officer_add(first, &public, Some(&key)));
        driver.env().act_as(first);
        for o in OFFICERS.iter().take(self.officers).skip(1) {
            let (_, public) = driver.officer_key(o.id);
            driver.run(officer_add(o.id, &public, None));
        }
        self.import(driver, "org", Path::new(ORGS));
        if self.calendar {
            self.import(driver, "calendar", Path::new(CALENDAR));
        }
        if self.kurban_ait {
            let mut args = words("calendar add 2026-05-27 --kind holiday --name");
            args.push("Курбан айт".into());
            driver.run(args);
        }
        for (key, value) in &self.settings {
            driver.run(words(&format!("settings set {key} {value}")));
        }
        if let Some(csv) = self.migration(&mut built) {
            let file = driver.input("applications.csv", &csv);
            self.import(driver, "application", &file);
            built.migration = Some(file);
        }
        let round_at = self.round_at.unwrap_or(self.setup_at);
        driver.clock(&shown(round_at));
        let db = driver.env().db.clone();
        if let Places::Publish {
            org,
            group_year,
            language,
            count,
        } = self.places
        {
            driver.run(words(&format!(
                "place publish --org {org} --group-year {group_year} --language {language} --count {count}"
            )));
        } else if let Some(csv) = self.places_csv(&sql::connect(&db), round_at.date()) {
            let file = driver.input("places.csv", csv.as_bytes());
            self.import(driver, "place", &file);
        }
        if self.offer {
            driver.run(words("offer"));
            built.notified = notified(&sql::connect(&db));
        }
        if let Some(d) = self.directions {
            let issue_at = self.issue_at.unwrap_or(round_at);
            let (pairs, reserved) = pairs_to_issue(&sql::connect(&db), d);
            built.reserved = reserved;
            if d.in_process {
                let mut db = Db::open(&db).expect("open the database");
                let actors = actors(self.officers);
                built.issued = issue_in_process(&mut db, &actors, &pairs, d, issue_at, &mut |_| {});
            } else {
                driver.clock(&shown(issue_at));
                for (app, place) in &pairs {
                    driver.run(words(&format!("direction issue {app} --place {place}")));
                }
                built.issued = sql::strings(
                    &sql::connect(&db),
                    "SELECT number FROM direction ORDER BY number",
                    [],
                );
            }
        }
        built
    }

    /// `kezek NOUN import FILE`, after a dry run if asked.
    fn import(&self, driver: &mut impl Driver, noun: &str, file: &Path) {
        let args = |extra: &[&str]| {
            let mut args = vec![
                noun.to_string(),
                "import".into(),
                file.display().to_string(),
            ];
            args.extend(extra.iter().map(|a| a.to_string()));
            args
        };
        if self.dry_run_first {
            driver.run(args(&["--dry-run"]));
        }
        driver.run(args(&[]));
    }

    fn build_in_process(self, env: TestEnv) -> City {
        let now = pinned(self.setup_at);
        let (db, _) = Db::init(&env.db, &now, APPLICATION_ID).expect("init");
        let mut built = Built::default();
        let migration = self.migration(&mut built);
        let mut city = City::of(env, Some(db), built);
        city.actors = actors(self.officers);
        city.points_dir = self.points.clone();
        let first = Actor {
            acting: Acting::FirstOfficer(OFFICERS[0].id.into()),
            key: Some(fixture_key(OFFICERS[0].id)),
            command: String::new(),
        };
        let public = first.key.as_ref().expect("a key").public().clone();
        let officer = new_officer(&OFFICERS[0]);
        city.commit(&first, &now, |c| {
            officers::add(c, &officer, &public, Some(&public))
        });
        for o in OFFICERS.iter().take(self.officers).skip(1) {
            let officer = new_officer(o);
            let public = fixture_key(o.id).public().clone();
            city.setup_by(0, &now, |c| officers::add(c, &officer, &public, None));
        }
        city.import::<import::Orgs>(&now, "orgs.csv", read(ORGS));
        if self.calendar {
            city.import::<import::CalendarDays>(&now, "calendar.csv", read(CALENDAR));
        }
        if self.kurban_ait {
            city.setup(&now, |c| {
                reference::add_day(c, date(2026, 5, 27), DayKind::Holiday, "Курбан айт")
            });
        }
        for (key, value) in &self.settings {
            city.setup(&now, |c| reference::set_setting(c, key, value));
        }
        if let Some(bytes) = migration {
            city.import::<import::Applications>(&now, "applications.csv", bytes);
        }
        let round_at = self.round_at.unwrap_or(self.setup_at);
        let round = pinned(round_at);
        if let Places::Publish {
            org,
            group_year,
            language,
            count,
        } = self.places
        {
            let batch = places::NewPlaces {
                org: org.to_string(),
                group_year,
                language: if language == "kk" {
                    Language::Kk
                } else {
                    Language::Ru
                },
                place_type: PlaceType::Regular,
                count,
                release_date: round_at.date(),
            };
            city.setup(&round, |c| places::publish(c, &batch));
        } else if let Some(text) = self.places_csv(city.sql(), round_at.date()) {
            city.import::<import::Places>(&round, "places.csv", text.into_bytes());
        }
        if self.offer {
            let (settings, calendar) = (city.settings(), city.calendar());
            city.setup(&round, |c| offers::offer_round(c, &settings, &calendar));
            city.built.notified = notified(city.sql());
        }
        if let Some(d) = self.directions {
            let (pairs, reserved) = pairs_to_issue(city.sql(), d);
            city.built.reserved = reserved;
            let issue_at = self.issue_at.unwrap_or(round_at);
            let mut db = city.db.take().expect("the database");
            let mut points = std::mem::take(&mut city.built.points);
            let dir = city.points_dir.clone();
            city.built.issued =
                issue_in_process(&mut db, &city.actors, &pairs, d, issue_at, &mut |db| {
                    keep_point(db, dir.as_deref(), &mut points)
                });
            city.built.points = points;
            city.db = Some(db);
        }
        city
    }

    /// The migration file, with the rows held back set aside.
    fn migration(&self, built: &mut Built) -> Option<Vec<u8>> {
        let text = match &self.applications {
            Applications::None => return None,
            Applications::Generated(count) => {
                let by = local(self.registered_by.unwrap_or(self.setup_at));
                let mut out = Vec::new();
                kezek::generate::applications(&mut out, self.seed, *count, by)
                    .expect("generated applications");
                String::from_utf8(out).expect("UTF-8")
            }
            Applications::Examples(n) => {
                let text = std::fs::read_to_string(APPLICATIONS).expect("the example applications");
                text.lines()
                    .take(n.saturating_add(1))
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n"
            }
            Applications::Csv(text) => text.clone(),
        };
        let Some((every, from)) = self.hold_back else {
            return Some(text.into_bytes());
        };
        let mut lines = text.lines();
        let mut import = vec![lines.next().expect("a header").to_string()];
        for (i, line) in lines.enumerate() {
            if i % every == from {
                built
                    .held_back
                    .push(line.split(',').map(str::to_string).collect());
            } else {
                import.push(line.to_string());
            }
        }
        Some((import.join("\n") + "\n").into_bytes())
    }

    /// The places file of the round: as given, or as many places as wait in each queue.
    fn places_csv(&self, conn: &Connection, day: NaiveDate) -> Option<String> {
        let spread = match &self.places {
            Places::None | Places::Publish { .. } => return None,
            Places::Csv(text) => return Some(text.clone()),
            Places::ForEveryWaiting(spread) => *spread,
        };
        let queues: Vec<(String, i64, i64)> = sql::triples(
            conn,
            "SELECT queue_type, group_year, count(*) FROM application WHERE status = 'queued'
             GROUP BY 1, 2 ORDER BY 1, 2",
            [],
        );
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut out = format!("{PLACES_HEADER}\n");
        for (queue_type, group_year, waiting) in queues {
            let sanatorium = queue_type == "sanatorium";
            let place_type = if sanatorium { "sanatorium" } else { "regular" };
            let mut left = waiting;
            while left > 0 {
                let (count, org, language) = match spread {
                    Spread::One => (left, 1, "ru"),
                    Spread::Seeded => {
                        let count = left.min(rng.gen_range(5..40));
                        let org = rng.gen_range(1..if sanatorium { 4 } else { 33 });
                        (count, org, if rng.gen_bool(0.6) { "kk" } else { "ru" })
                    }
                };
                let prefix = if sanatorium { "SS" } else { "DS" };
                out.push_str(&format!(
                    "{prefix}-{org:03},{group_year},{language},{place_type},{count},{day}\n"
                ));
                left -= count;
            }
        }
        Some(out)
    }
}

impl Default for CityBuilder {
    fn default() -> CityBuilder {
        CityBuilder::new()
    }
}

/// A command line of words without spaces.
fn words(line: &str) -> Vec<String> {
    line.split(' ').map(String::from).collect()
}

fn new_officer(o: &Officer) -> NewOfficer {
    NewOfficer::check(o.id, o.name, o.district).expect("an officer of the roster")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The first `n` officers of the roster, each acting with their fixture key.
pub fn actors(n: usize) -> Vec<Actor> {
    OFFICERS
        .iter()
        .take(n)
        .map(|o| Actor {
            acting: Acting::Officer(o.id.into()),
            key: Some(fixture_key(o.id)),
            command: String::new(),
        })
        .collect()
}

fn notified(conn: &Connection) -> u64 {
    sql::one::<i64>(
        conn,
        "SELECT count(*) FROM application WHERE status = 'notified'",
    ) as u64
}

/// Each notified application (in number order) with an offered place of its queue (in id order), and the
/// applications held in reserve.
type Pairs = Vec<(String, i64)>;

fn pairs_to_issue(conn: &Connection, d: Directions) -> (Pairs, Pairs) {
    let mut queues: BTreeMap<(String, i64), (Vec<String>, Vec<i64>)> = BTreeMap::new();
    let apps: Vec<(String, String, i64)> = sql::triples(
        conn,
        "SELECT number, queue_type, group_year FROM application WHERE status = 'notified'
         ORDER BY number",
        [],
    );
    for (number, queue_type, year) in apps {
        queues.entry((queue_type, year)).or_default().0.push(number);
    }
    let offered: Vec<(i64, String, i64)> = sql::triples(
        conn,
        "SELECT id, CASE place_type WHEN 'sanatorium' THEN 'sanatorium' ELSE 'general' END, group_year
         FROM place WHERE status = 'offered' ORDER BY id",
        [],
    );
    for (id, queue_type, year) in offered {
        queues.entry((queue_type, year)).or_default().1.push(id);
    }
    let (mut pairs, mut reserved) = (Vec::new(), Vec::new());
    for ((queue_type, _), (apps, places)) in queues {
        let mut queue: Pairs = apps.into_iter().zip(places).collect();
        if queue_type == "general" && reserved.len() < d.reserve && !queue.is_empty() {
            reserved.push(queue.remove(0));
        }
        let take = if d.half { queue.len() / 2 } else { queue.len() };
        pairs.extend(queue.into_iter().take(take));
    }
    (pairs, reserved)
}

/// Issues the directions in commands of `per_command`, the officers signing in turns, a minute apart.
fn issue_in_process(
    db: &mut Db,
    actors: &[Actor],
    pairs: &[(String, i64)],
    d: Directions,
    at: NaiveDateTime,
    after_each: &mut dyn FnMut(&Db),
) -> Vec<String> {
    let settings = reference::load_settings(db).expect("settings");
    let calendar = reference::working_calendar(db).expect("the calendar");
    let mut issued = Vec::new();
    for (i, chunk) in pairs.chunks(d.per_command.max(1)).enumerate() {
        let actor = &actors[i % actors.len()];
        let key = actor.key.as_ref().expect("a key");
        let now = pinned(at + Duration::minutes(i as i64));
        let numbers = db
            .change(actor, &now, Mode::Commit, |c| {
                chunk
                    .iter()
                    .map(|(app, place)| {
                        directions::issue(c, app, *place, key, &settings, &calendar, None)
                            .map(|d| d.number)
                    })
                    .collect::<kezek::Result<Vec<_>>>()
            })
            .expect("directions");
        after_each(db);
        issued.extend(numbers);
    }
    issued.sort();
    issued
}

/// A point of a city's build, right after a command: its signed head and the database as it was then.
pub struct Point {
    pub seq: i64,
    /// The head as `kezek audit head` prints it.
    pub head: String,
    pub snapshot: PathBuf,
}

fn keep_point(db: &Db, dir: Option<&Path>, points: &mut Vec<Point>) {
    let Some(dir) = dir else { return };
    let Some(head) = audit::latest_head(db).expect("a head") else {
        return;
    };
    if points.last().is_some_and(|p| p.seq == head.seq) {
        return;
    }
    let snapshot = dir.join(format!("point-{}.db", head.seq));
    db.backup(&snapshot).expect("a snapshot");
    points.push(Point {
        seq: head.seq,
        head: head.to_text(),
        snapshot,
    });
}

/// What a build made besides the database.
#[derive(Default)]
pub struct Built {
    /// The directions the build issued, in number order.
    pub issued: Vec<String>,
    /// Notified applications left without a direction, each with an offered place of its queue.
    pub reserved: Vec<(String, i64)>,
    /// The migration's rows held back for the front desk, split at the commas.
    pub held_back: Vec<Vec<String>>,
    /// How many applications the offer round notified.
    pub notified: u64,
    /// The migration file (through the binary).
    pub migration: Option<PathBuf>,
    /// In process, with [`CityBuilder::keep_points`]: the points after every command.
    pub points: Vec<Point>,
}

/// A city: its environment (directory, keys, database file), what the build made, and in process the database
/// open in the library with the officers who act in it.
pub struct City {
    pub env: TestEnv,
    pub built: Built,
    /// In process: the officers of the city, in the order of [`OFFICERS`], with their keys.
    pub actors: Vec<Actor>,
    db: Option<Db>,
    sql: Connection,
    points_dir: Option<PathBuf>,
    turn: usize,
}

impl City {
    pub fn builder() -> CityBuilder {
        CityBuilder::new()
    }

    fn of(env: TestEnv, db: Option<Db>, built: Built) -> City {
        let sql = sql::connect(&env.db);
        City {
            env,
            built,
            actors: Vec::new(),
            db,
            sql,
            points_dir: None,
            turn: 0,
        }
    }

    /// A connection of the test's own on the city's database.
    pub fn sql(&self) -> &Connection {
        &self.sql
    }

    /// The database, open in the library (in process).
    pub fn db(&self) -> &Db {
        self.db.as_ref().expect("a city built in process")
    }

    pub fn settings(&self) -> Settings {
        reference::load_settings(self.db()).expect("settings")
    }

    pub fn calendar(&self) -> WorkingCalendar {
        reference::working_calendar(self.db()).expect("the calendar")
    }

    /// One command by officer `who` (an index into [`City::actors`]) at `now`, as kezek runs it: committed
    /// when `f` succeeds, nothing written when it fails.
    pub fn change<T>(
        &mut self,
        who: usize,
        now: &Now,
        f: impl FnOnce(&Change, &PrivateKey) -> kezek::Result<T>,
    ) -> kezek::Result<T> {
        let actor = &self.actors[who];
        let key = actor.key.as_ref().expect("a key");
        let db = self.db.as_mut().expect("a city built in process");
        let out = db.change(actor, now, Mode::Commit, |c| f(c, key));
        self.keep_point();
        out
    }

    /// The nightly sweep of `day` at `now`, by officer `who`.
    pub fn sweep(&mut self, who: usize, day: NaiveDate, now: &Now) -> sweep::SweepOutcome {
        let (settings, calendar) = (self.settings(), self.calendar());
        self.change(who, now, |c, _| sweep::sweep(c, day, &settings, &calendar))
            .expect("the sweep")
    }

    /// A setup command of the build, the officers taking them in turns after the first.
    fn setup<T>(&mut self, now: &Now, f: impl FnOnce(&Change) -> kezek::Result<T>) -> T {
        self.turn += 1;
        self.setup_by(self.turn % self.actors.len(), now, f)
    }

    fn setup_by<T>(
        &mut self,
        who: usize,
        now: &Now,
        f: impl FnOnce(&Change) -> kezek::Result<T>,
    ) -> T {
        self.change(who, now, |c, _| f(c))
            .unwrap_or_else(|e| panic!("a setup command failed: {e}"))
    }

    /// A setup import of the build, the officers taking them in turns like the other setup commands.
    fn import<I: Importer>(&mut self, now: &Now, name: &str, bytes: Vec<u8>) {
        self.turn += 1;
        let actor = &self.actors[self.turn % self.actors.len()];
        let db = self.db.as_mut().expect("a city built in process");
        let mut csv = I::from_bytes(name, bytes).expect("a CSV file of the importer's columns");
        import::run::<I>(db, actor, now, &mut csv, Options::commit())
            .unwrap_or_else(|e| panic!("a setup import failed: {e}"));
        self.keep_point();
    }

    fn commit<T>(
        &mut self,
        actor: &Actor,
        now: &Now,
        f: impl FnOnce(&Change) -> kezek::Result<T>,
    ) -> T {
        let db = self.db.as_mut().expect("a city built in process");
        let out = db
            .change(actor, now, Mode::Commit, f)
            .unwrap_or_else(|e| panic!("a setup command failed: {e}"));
        self.keep_point();
        out
    }

    fn keep_point(&mut self) {
        if let Some(db) = &self.db {
            keep_point(db, self.points_dir.as_deref(), &mut self.built.points);
        }
    }

    /// The database's bytes, consistent (SQLite's online backup), to copy for each case.
    pub fn bytes(&self) -> Vec<u8> {
        let copy = self.env.path("copy-of-the-city.db");
        let _ = std::fs::remove_file(&copy);
        match &self.db {
            Some(db) => db.backup(&copy).expect("a copy"),
            None => Db::open(&self.env.db)
                .and_then(|db| db.backup(&copy))
                .expect("a copy"),
        }
        let bytes = std::fs::read(&copy).expect("the copy");
        std::fs::remove_file(&copy).expect("remove the copy");
        bytes
    }
}
