//! `application import`: migration of an existing queue. Every row is checked as a registration at its own
//! registration time, which is kept (and so is its number, when given), so nobody's position changes.
//! Duplicates inside the file and against the database are refused.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};
use rusqlite::{params, Connection};

use super::numbers::NumberBits;
use super::{Importer, Rows};
use crate::csvfile::{self, CsvFile};
use crate::domain::application::{
    format_number, parse_number, NewApplication, QueueType, RegistrationInput,
};
use crate::domain::category::PriorityClass;
use crate::domain::iin::mask;
use crate::domain::settings::Settings;
use crate::domain::time::{format_moment, parse_moment};
use crate::error::{Error, Result};
use crate::store::applications::{
    active_number, category_classes, duplicate, insert, last_seq, load, number_year, NewRow,
    SortedLoad,
};
use crate::store::bulk::{self, SetAside};
use crate::store::change::Change;
use crate::store::journal::EventWriter;
use crate::store::reference;
use crate::tr;

/// The applications of a file.
pub struct Applications {
    check: ImportCheck,
}

impl Importer for Applications {
    const EVENT: &'static str = "application.import";
    const REQUIRED: &'static [&'static str] = &[
        "registered_at",
        "child_iin",
        "child_name",
        "applicant_iin",
        "applicant_name",
        "phone",
        "email",
        "district",
        "queue_type",
        "language",
        "category",
        "docs",
        "consent",
    ];
    const OPTIONAL: &'static [&'static str] = &["number", "preferences"];
    type Row = NewRow;

    fn begin(change: &Change, file: &CsvFile) -> Result<Self> {
        let tx = change.tx();
        Ok(Applications {
            check: ImportCheck {
                classes: category_classes(tx)?,
                settings: reference::load_settings(tx)?,
                now: change.now().effective,
                children: Some(HashMap::new()),
                numbers: NumberBits::default(),
                first_lines: Some(HashMap::new()),
                next_seq: HashMap::new(),
                kept: kept_numbers(file)?,
                districts: crate::store::districts::names(tx)?,
                org_kinds: crate::store::applications::org_kinds(tx)?,
                reach: (
                    change.officer().to_string(),
                    change.standing().clone(),
                    change.command().to_string(),
                ),
            },
        })
    }

    fn check(&mut self, change: &Change, row: &csvfile::Row) -> Result<NewRow> {
        let (number, app) = self.check.row(row, Some(change.tx()))?;
        Ok(NewRow::new(number, app))
    }

    fn write(&mut self, change: &Change, event: &mut EventWriter, row: &NewRow) -> Result<()> {
        insert(change, event, row)
    }

    /// Into an empty table, the rows reach the tables in key order (`SortedLoad`: a migrated file comes in any
    /// order, with the numbers of an older system, and the numbers kezek gives fall between those: the rows
    /// are sorted at the end), the indexes whose keys a file need not give in order (IIN, name, the queue's
    /// order, and the journal's rows by key) are built once after them, and the queue counts are kept here, one
    /// per queue, class and day, instead of by the trigger row by row. No application exists yet, so the rows
    /// are checked against the file alone, on a second thread, while this one writes them. A child repeated in the file
    /// (R-Q6) is found by the unique index as it is built, not by a map of every child: a file of ten million
    /// rows is checked in bounded memory (R-O2).
    fn rows(&mut self, rows: Rows<'_, '_>) -> Result<u64> {
        let tx = rows.change().tx();
        if !bulk::is_empty(tx, "application")? {
            return rows.in_order(self);
        }
        let again = rows.file().reopen()?;
        self.check.children = None;
        self.check.first_lines = None;
        let set_aside = SetAside::begin(
            tx,
            "application",
            &[
                "application_one_active",
                "application_child",
                "application_name",
                "application_waiting_insert",
                "application_queue",
            ],
        )?;
        let journal_set_aside = SetAside::begin(tx, "journal_row", &["journal_row_by_key"])?;
        let mut load = SortedLoad::begin(tx, self.check.kept.count())?;
        let seq = rows.seq();
        let mut queue_days: BTreeMap<(QueueType, i32, PriorityClass, i64), i64> = BTreeMap::new();
        let check = &mut self.check;
        // Each row's values, digest and public columns are made by the thread with time to spare: the writing
        // one when the load stages its rows (quick appends), else the checking one (the writes are the slower
        // half). The unseen million, staged, in turns (medians): 16.07 s made on the writing thread against
        // 16.77 s on the checking one, five each, and 15.89 s against 15.96 s, three each; the unseen 100,000,
        // written straight in, made on the writing thread: 1.63 s against 1.51 s.
        let made_by_checker = !load.sorts();
        let loaded = rows.split(
            |row| {
                let (number, app) = check.row(row, None)?;
                Ok(if made_by_checker {
                    Checked::Made(NewRow::new(number, app))
                } else {
                    Checked::Parts(number, app)
                })
            },
            |_, event, checked| {
                let made;
                let row = match checked {
                    Checked::Made(row) => row,
                    Checked::Parts(number, app) => {
                        made = NewRow::new(number.clone(), app.clone());
                        &made
                    }
                };
                load.add(event, row)?;
                let app = &row.app;
                // As the trigger counts: the registration day is Unix seconds / 86400, truncated as SQLite
                // divides.
                let day = app.registered_at.timestamp() / 86400;
                *queue_days
                    .entry((app.queue_type, app.group_year, app.priority_class, day))
                    .or_default() += 1;
                Ok(())
            },
        );
        let count = match loaded {
            // A file with bad rows is refused with every bad row, repeated children too: checked again, with
            // a map of its children this time (only a refused file pays for it).
            Err(e @ Error::BadRows { .. }) => {
                return Err(self.check.bad_rows_again(again).err().unwrap_or(e))
            }
            loaded => loaded?,
        };
        // The file's maps are done with: their memory goes back before the sorts take theirs.
        self.check.forget_the_file();
        if let Err(e) = load.finish(tx, seq) {
            // A number the checks let through twice would stop here: the file is checked again for its lines.
            return Err(self.check.bad_rows_again(again).err().unwrap_or(e));
        }
        journal_set_aside.restore(tx)?;
        if let Err(e) = set_aside.restore(tx) {
            // The unique index of waiting children would not build: the file repeats a child (R-Q6).
            return Err(self.check.bad_rows_again(again).err().unwrap_or(e));
        }
        let mut counts = tx.prepare(
            "INSERT INTO queue_day (queue_type, group_year, priority_class, day, waiting) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO UPDATE SET waiting = waiting + excluded.waiting",
        )?;
        for ((queue_type, group_year, class, day), waiting) in queue_days {
            counts.execute(params![
                queue_type.as_str(),
                group_year,
                class.as_str(),
                day,
                waiting
            ])?;
        }
        Ok(count)
    }
}

/// A row as the checking thread hands it to the writing one: made ready to write, or its number and checked
/// application for the writing thread to make (`Applications::rows`).
enum Checked {
    Made(NewRow),
    Parts(String, NewApplication),
}

/// A child in a queue type, packed: the IIN's digits and one bit for the queue type.
fn child_key(iin: &str, queue_type: QueueType) -> u64 {
    iin.parse::<u64>().unwrap_or(0) * 2 + u64::from(queue_type == QueueType::Sanatorium)
}

/// An application number, packed: queue type, year and sequence.
fn number_key(queue_type: QueueType, year: i32, seq: u32) -> u64 {
    (u64::from(queue_type == QueueType::Sanatorium) << 63)
        | ((year as u64 & 0xFFFF) << 32)
        | u64::from(seq)
}

/// What `application import` checks of each row before it is written, and what it remembers of the rows
/// before it: the registration rules at the row's own time, duplicates within the file, and the number the
/// row keeps or gets.
struct ImportCheck {
    classes: HashMap<String, PriorityClass>,
    settings: Settings,
    now: DateTime<FixedOffset>,
    /// Children by queue type (`child_key`), with the line they appear on; `None` when the unique index finds
    /// them after the load (`bad_rows_again`).
    children: Option<HashMap<u64, u64>>,
    /// Numbers the file's rows keep, once taken.
    numbers: NumberBits,
    /// The line that took each of them (`number_key`); `None` when the file is loaded into an empty table,
    /// whose refusal checks it again with them (`bad_rows_again`): only a refused file pays for the map.
    first_lines: Option<HashMap<u64, u64>>,
    next_seq: HashMap<(QueueType, i32), u32>,
    /// The numbers rows of the file keep (`kept_numbers`).
    kept: NumberBits,
    /// The city's districts (R-L2).
    districts: Vec<String>,
    /// Every organization's kind, for the `preferences` column (R-C1).
    org_kinds: HashMap<String, crate::domain::org::OrgKind>,
    /// The acting officer, their standing and the command, for the scope of each row's district (R-R1).
    reach: (String, crate::domain::role::Standing, String),
}

impl ImportCheck {
    /// Frees what it remembers of the file's rows.
    fn forget_the_file(&mut self) {
        self.children = None;
        self.numbers = NumberBits::default();
        self.first_lines = None;
        self.next_seq = HashMap::new();
        self.kept = NumberBits::default();
    }

    /// Checks every row of `file` again, from the start, remembering its children (R-Q6), and writes nothing:
    /// the bad rows of a file loaded into an empty table that was refused (bad rows, or a unique index of
    /// waiting children that would not build), repeated children among them. Only a refused file pays for the
    /// map of its children.
    fn bad_rows_again(&mut self, mut file: CsvFile) -> Result<u64> {
        self.kept = kept_numbers(&file)?;
        self.children = Some(HashMap::new());
        self.numbers = NumberBits::default();
        self.first_lines = Some(HashMap::new());
        self.next_seq = HashMap::new();
        super::each_row(&mut file, &|_| {}, |row, _| self.row(row, None).map(|_| ()))
    }

    /// Checks one row and gives its number and application. `existing` is the database when the table holds
    /// applications already (duplicates and numbers are checked against them too), `None` when it is empty.
    fn row(
        &mut self,
        row: &csvfile::Row,
        existing: Option<&Connection>,
    ) -> Result<(String, NewApplication)> {
        let registered_at = parse_moment("registered_at", row.get("registered_at"))?;
        if registered_at > self.now {
            return Err(Error::bad(tr!(
                "err-import-future",
                at = format_moment(&registered_at),
                now = format_moment(&self.now)
            )));
        }
        let input = RegistrationInput {
            child_iin: row.get("child_iin"),
            child_name: row.get("child_name"),
            applicant_iin: row.get("applicant_iin"),
            applicant_name: row.get("applicant_name"),
            phone: row.get("phone"),
            email: row.get("email"),
            district: row.get("district"),
            queue_type: row.get("queue_type"),
            language: row.get("language"),
            category: row.optional("category"),
            docs: row.get("docs").split(';').collect(),
            consent: row.get("consent"),
        };
        let classes = &self.classes;
        let mut app = input.check(registered_at, &self.settings, &|c| classes.get(c).copied())?;
        if let Some(list) = row.optional("preferences") {
            let kinds = &self.org_kinds;
            app.preferences = crate::domain::preference::check(
                &crate::domain::preference::parse_list(list),
                self.settings.max_preferences,
                app.queue_type,
                |c| kinds.get(c).copied(),
            )?;
        }
        crate::domain::district::check("district", &app.district, &self.districts)?;
        let (officer, standing, command) = &self.reach;
        standing.may_reach_district(officer, command, &app.district)?;
        let key = child_key(&app.child_iin, app.queue_type);
        if let Some(first) = self.children.as_ref().and_then(|c| c.get(&key)) {
            return Err(child_repeated(&app.child_iin, app.queue_type, *first));
        }
        if let Some(conn) = existing {
            if let Some(number) = active_number(conn, &app.child_iin, app.queue_type)? {
                return Err(duplicate(&number, &app.child_iin, app.queue_type));
            }
        }
        let number = match row.optional("number") {
            Some(given) => {
                let (year, seq) = parse_number("number", app.queue_type, given)?;
                let nk = number_key(app.queue_type, year, seq);
                if !self.numbers.insert(app.queue_type, year, seq) {
                    return Err(Error::bad(match self.first_lines.as_ref() {
                        Some(lines) => tr!(
                            "err-import-number-repeated",
                            number = given.to_string(),
                            first = lines.get(&nk).map_or(0, |l| *l as i64)
                        ),
                        None => tr!(
                            "err-import-number-repeated-earlier",
                            number = given.to_string()
                        ),
                    }));
                }
                if let Some(conn) = existing {
                    if load(conn, given)?.is_some() {
                        return Err(Error::bad(tr!(
                            "err-import-number-exists",
                            number = given.to_string()
                        )));
                    }
                }
                if let Some(lines) = self.first_lines.as_mut() {
                    lines.insert(nk, row.line);
                }
                given.to_string()
            }
            None => {
                let year = number_year(&app);
                let mut seq = match (self.next_seq.get(&(app.queue_type, year)), existing) {
                    (Some(s), _) => *s,
                    (None, Some(conn)) => last_seq(conn, app.queue_type, year)?,
                    (None, None) => 0,
                } + 1;
                // A number given is never one a row of the file keeps (`kept` holds them all), and the numbers
                // given rise, so they are not remembered one by one: a file of ten million rows without numbers
                // keeps no map of them (R-O2).
                while self.kept.contains(app.queue_type, year, seq) {
                    seq += 1;
                }
                if seq > 999_999 {
                    return Err(Error::bad(tr!("err-import-numbers-exhausted", year = year)));
                }
                self.next_seq.insert((app.queue_type, year), seq);
                format_number(app.queue_type, year, seq)
            }
        };
        if let Some(children) = self.children.as_mut() {
            children.insert(key, row.line);
        }
        Ok((number, app))
    }
}

/// R-Q6: a child on a second line of the file in the same queue type.
fn child_repeated(child_iin: &str, queue_type: QueueType, first: u64) -> Error {
    Error::refused(
        "R-Q6",
        tr!(
            "err-import-child-repeated",
            child = mask(child_iin),
            first = first as i64,
            queue = queue_type.as_str()
        ),
    )
}

/// The well-formed numbers a file keeps, read in a first pass, so that numbers given to rows without one never
/// take a number that a later row keeps.
fn kept_numbers(file: &CsvFile) -> Result<NumberBits> {
    let mut kept = NumberBits::default();
    if !file.has_column("number") {
        return Ok(kept);
    }
    file.for_each_value(["number", "queue_type"], |[given, queue_type]| {
        let given = given.trim();
        if given.is_empty() {
            return;
        }
        if let Ok(queue_type) = QueueType::parse("queue_type", queue_type) {
            if let Ok((year, seq)) = parse_number("number", queue_type, given) {
                kept.insert(queue_type, year, seq);
            }
        }
    })?;
    Ok(kept)
}
