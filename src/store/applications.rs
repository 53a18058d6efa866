//! Applications and the queue (SPEC §3). Positions are computed from the current data: the rank of the
//! application in its class (per-day counts kept by triggers, plus a count within its own day) and the class
//! sizes, combined by `domain::queue::position`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::bulk::{self, SetAside};
use super::journal::{self, Change, EventWriter, APPLICATION};
use super::orgs::ImportReport;
use crate::csvfile::{self, CsvFile};
use crate::domain::application::{
    format_number, parse_number, ApplicationListRow, ApplicationView, Document, NewApplication,
    QueueType, RegistrationInput, Status,
};
use crate::domain::category::PriorityClass;
use crate::domain::iin::mask;
use crate::domain::queue::{self, ClassCounts};
use crate::domain::settings::Settings;
use crate::domain::time::{format_moment, parse_moment};
use crate::error::{Error, Result};

/// The waiting statuses, spelled as the partial index `application_queue` spells them: a query that uses this
/// exact predicate can read that index (SQLite matches a partial index's condition by its form).
const WAITING: &str = "(status = 'queued' OR status = 'notified' OR status = 'stop_listed')";

/// An application as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRow {
    pub number: String,
    pub queue_type: String,
    pub group_year: i64,
    pub priority_class: String,
    pub category: Option<String>,
    pub status: String,
    pub registered_at: String,
    pub registered_unix: i64,
    pub child_iin: String,
    pub child_name: String,
    pub child_birth_date: String,
    pub applicant_iin: String,
    pub applicant_name: String,
    pub phone: String,
    pub email: String,
    pub district: String,
    pub language: String,
    pub docs: String,
    pub consent: String,
    pub consent_date: String,
    pub expired_count: i64,
    pub stop_list_until: Option<String>,
    pub removed_reason: Option<String>,
}

const SELECT: &str = "SELECT number, queue_type, group_year, priority_class, category, status, registered_at,
    registered_unix, child_iin, child_name, child_birth_date, applicant_iin, applicant_name, phone, email,
    district, language, docs, consent, consent_date, expired_count, stop_list_until, removed_reason
    FROM application";

fn from_row(r: &Row) -> rusqlite::Result<AppRow> {
    Ok(AppRow {
        number: r.get(0)?,
        queue_type: r.get(1)?,
        group_year: r.get(2)?,
        priority_class: r.get(3)?,
        category: r.get(4)?,
        status: r.get(5)?,
        registered_at: r.get(6)?,
        registered_unix: r.get(7)?,
        child_iin: r.get(8)?,
        child_name: r.get(9)?,
        child_birth_date: r.get(10)?,
        applicant_iin: r.get(11)?,
        applicant_name: r.get(12)?,
        phone: r.get(13)?,
        email: r.get(14)?,
        district: r.get(15)?,
        language: r.get(16)?,
        docs: r.get(17)?,
        consent: r.get(18)?,
        consent_date: r.get(19)?,
        expired_count: r.get(20)?,
        stop_list_until: r.get(21)?,
        removed_reason: r.get(22)?,
    })
}

impl AppRow {
    pub fn status(&self) -> Status {
        Status::parse("status", &self.status).unwrap_or(Status::Removed)
    }

    pub fn class(&self) -> PriorityClass {
        PriorityClass::parse(&self.priority_class).unwrap_or(PriorityClass::General)
    }
}

pub fn load(conn: &Connection, number: &str) -> Result<Option<AppRow>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE number = ?1"))?;
    Ok(stmt.query_row([number], from_row).optional()?)
}

pub fn get(conn: &Connection, number: &str) -> Result<AppRow> {
    load(conn, number)?.ok_or_else(|| Error::NotFound(format!("application {number}")))
}

/// The size of each class in one queue (R-Q1).
pub fn class_counts(conn: &Connection, queue_type: &str, group_year: i64) -> Result<ClassCounts> {
    let mut stmt = conn.prepare_cached(
        "SELECT priority_class, coalesce(sum(waiting), 0) FROM queue_day
         WHERE queue_type = ?1 AND group_year = ?2 GROUP BY priority_class",
    )?;
    let mut counts = ClassCounts::default();
    let mut rows = stmt.query(params![queue_type, group_year])?;
    while let Some(r) = rows.next()? {
        let class: String = r.get(0)?;
        let n: i64 = r.get(1)?;
        match PriorityClass::parse(&class) {
            Some(PriorityClass::OutOfTurn) => counts.out_of_turn = n as u64,
            Some(PriorityClass::FirstPriority) => counts.first_priority = n as u64,
            Some(PriorityClass::General) => counts.general = n as u64,
            None => {}
        }
    }
    Ok(counts)
}

/// The 1-based rank of a waiting application in its class: the waiting of earlier days, plus those of its own
/// day registered before it (ties: by number).
fn class_rank(conn: &Connection, app: &AppRow) -> Result<u64> {
    let day = app.registered_unix.div_euclid(86_400);
    let earlier: i64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(waiting), 0) FROM queue_day
             WHERE queue_type = ?1 AND group_year = ?2 AND priority_class = ?3 AND day < ?4",
        )?
        .query_row(
            params![app.queue_type, app.group_year, app.priority_class, day],
            |r| r.get(0),
        )?;
    let same_day: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM application
             WHERE queue_type = ?1 AND group_year = ?2 AND priority_class = ?3 AND {WAITING}
               AND registered_unix >= ?4 AND (registered_unix, number) <= (?5, ?6)"
        ))?
        .query_row(
            params![
                app.queue_type,
                app.group_year,
                app.priority_class,
                day * 86_400,
                app.registered_unix,
                app.number
            ],
            |r| r.get(0),
        )?;
    Ok((earlier + same_day) as u64)
}

/// Queue position and class position of a waiting application (R-Q2); `None` when it is not waiting.
pub fn positions(conn: &Connection, app: &AppRow, k: u32) -> Result<Option<(u64, u64)>> {
    if !app.status().is_waiting() {
        return Ok(None);
    }
    let counts = class_counts(conn, &app.queue_type, app.group_year)?;
    let rank = class_rank(conn, app)?;
    let class = app.class();
    Ok(Some((
        queue::position(class, rank, &counts, u64::from(k)),
        queue::class_position(class, rank),
    )))
}

pub fn view(conn: &Connection, app: AppRow, k: u32) -> Result<ApplicationView> {
    let pos = positions(conn, &app, k)?;
    Ok(ApplicationView {
        queue_position: pos.map(|p| p.0),
        class_position: pos.map(|p| p.1),
        docs: serde_json::from_str(&app.docs).unwrap_or_default(),
        number: app.number,
        status: app.status,
        queue_type: app.queue_type,
        group_year: app.group_year,
        priority_class: app.priority_class,
        category: app.category,
        registered_at: app.registered_at,
        expired_count: app.expired_count,
        stop_list_until: app.stop_list_until,
        removed_reason: app.removed_reason,
        child_iin: app.child_iin,
        child_name: app.child_name,
        child_birth_date: app.child_birth_date,
        applicant_iin: app.applicant_iin,
        applicant_name: app.applicant_name,
        phone: app.phone,
        email: app.email,
        district: app.district,
        language: app.language,
        consent: app.consent,
        consent_date: app.consent_date,
    })
}

fn list_row(app: AppRow, pos: Option<(u64, u64)>) -> ApplicationListRow {
    ApplicationListRow {
        queue_position: pos.map(|p| p.0),
        class_position: pos.map(|p| p.1),
        child_iin: mask(&app.child_iin),
        number: app.number,
        status: app.status,
        queue_type: app.queue_type,
        group_year: app.group_year,
        priority_class: app.priority_class,
        category: app.category,
        registered_at: app.registered_at,
        expired_count: app.expired_count,
        stop_list_until: app.stop_list_until,
        removed_reason: app.removed_reason,
        district: app.district,
        language: app.language,
    }
}

/// R-Q6: the child's application in this queue type that is neither removed nor enrolled, if any.
fn active_number(
    conn: &Connection,
    child_iin: &str,
    queue_type: QueueType,
) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT number FROM application
         WHERE child_iin = ?1 AND queue_type = ?2 AND status NOT IN ('removed', 'enrolled')",
    )?;
    Ok(stmt
        .query_row(params![child_iin, queue_type.as_str()], |r| r.get(0))
        .optional()?)
}

/// The highest sequence number used for a queue type and year (R-Q7: never reused).
fn last_seq(conn: &Connection, queue_type: QueueType, year: i32) -> Result<u32> {
    let prefix = format!("{}.{year}.", queue_type.number_prefix());
    let upper = format!("{}.{year}/", queue_type.number_prefix());
    let last: Option<String> = conn
        .prepare_cached("SELECT number FROM application WHERE number >= ?1 AND number < ?2 ORDER BY number DESC LIMIT 1")?
        .query_row(params![prefix, upper], |r| r.get(0))
        .optional()?;
    Ok(last
        .and_then(|n| parse_number("number", queue_type, &n).ok())
        .map(|(_, seq)| seq)
        .unwrap_or(0))
}

/// A new application's row as it is written: every column of the table in the table's order (a unit test holds
/// the order to the schema), and the row's digest computed from those very values, so that the journal records
/// what is stored without reading it back. An import builds these on its checking thread.
struct NewRow {
    number: String,
    app: NewApplication,
    values: Vec<Value>,
    digest: [u8; 32],
}

impl NewRow {
    fn new(number: String, app: NewApplication) -> NewRow {
        let text = |s: &str| Value::Text(s.to_string());
        let values = vec![
            text(&number),
            text(app.queue_type.as_str()),
            Value::Integer(app.group_year.into()),
            text(app.priority_class.as_str()),
            app.category.clone().map_or(Value::Null, Value::Text),
            text("queued"),
            Value::Text(format_moment(&app.registered_at)),
            Value::Integer(app.registered_at.timestamp()),
            text(&app.child_iin),
            text(&app.child_name),
            Value::Text(app.child_birth_date.to_string()),
            text(&app.applicant_iin),
            text(&app.applicant_name),
            text(&app.phone),
            text(&app.email),
            text(&app.district),
            text(app.language.as_str()),
            Value::Text(serde_json::to_string(&app.docs).expect("documents serialize")),
            text(app.consent.kind.as_str()),
            Value::Text(app.consent.date.to_string()),
            Value::Integer(0), // expired_count
            Value::Null,       // stop_list_until
            Value::Null,       // removed_reason
            Value::Null,       // offer_round
            Value::Null,       // removed_at
        ];
        let digest = journal::values_digest(APPLICATION, &values);
        NewRow {
            number,
            app,
            values,
            digest,
        }
    }
}

/// Inserts an application and records it in `event`.
fn insert(change: &Change, event: &mut EventWriter, row: &NewRow) -> Result<()> {
    let mut stmt = change.tx().prepare_cached(&format!(
        "INSERT INTO application VALUES ({})",
        vec!["?"; row.values.len()].join(", ")
    ))?;
    stmt.execute(rusqlite::params_from_iter(&row.values))?;
    event.touch_written(APPLICATION, &row.number, row.digest)
}

/// The benefit categories and their classes.
pub fn category_classes(conn: &Connection) -> Result<HashMap<String, PriorityClass>> {
    let mut stmt = conn.prepare("SELECT name, priority_class FROM category")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (name, class) = row?;
        if let Some(class) = PriorityClass::parse(&class) {
            out.insert(name, class);
        }
    }
    Ok(out)
}

fn duplicate(existing: &str, child_iin: &str, queue_type: QueueType) -> Error {
    Error::refused(
        "R-Q6",
        format!(
            "the child {} already has application {existing} in the {} queue",
            mask(child_iin),
            queue_type.as_str()
        ),
    )
}

/// `application register`: R-Q3..R-Q7. Returns the new application's number.
pub fn register(change: &Change, input: &RegistrationInput, settings: &Settings) -> Result<String> {
    let classes = category_classes(change.tx())?;
    let app = input.check(change.now().effective, settings, &|c| {
        classes.get(c).copied()
    })?;
    if let Some(existing) = active_number(change.tx(), &app.child_iin, app.queue_type)? {
        return Err(duplicate(&existing, &app.child_iin, app.queue_type));
    }
    let year = app
        .registered_at
        .date_naive()
        .format("%Y")
        .to_string()
        .parse()
        .expect("a year");
    let seq = last_seq(change.tx(), app.queue_type, year)? + 1;
    if seq > 999_999 {
        return Err(Error::Internal(format!(
            "application numbers for {year} are exhausted"
        )));
    }
    let number = format_number(app.queue_type, year, seq);
    let mut event = change.begin_event(
        "application.register",
        &number,
        serde_json::json!({
            "queue_type": app.queue_type.as_str(),
            "group_year": app.group_year,
            "priority_class": app.priority_class.as_str(),
            "category": app.category,
        }),
    )?;
    let row = NewRow::new(number, app);
    insert(change, &mut event, &row)?;
    let (number, app) = (row.number, row.app);
    let detail = format!("{} {}", app.queue_type.as_str(), app.group_year);
    super::outbox::notify(
        change,
        &mut event,
        &number,
        crate::domain::notify::NoticeKind::Registered,
        &detail,
    )?;
    event.finish()?;
    Ok(number)
}

/// R-Q9: every application of a child, by IIN.
pub fn find_by_iin(conn: &Connection, iin: &str) -> Result<Vec<AppRow>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE child_iin = ?1 ORDER BY registered_unix, number"
    ))?;
    let rows = stmt.query_map([iin], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// R-Q9: every application of a child, by full name (case and spacing aside) and birth date.
pub fn find_by_name(conn: &Connection, name: &str, birth: NaiveDate) -> Result<Vec<AppRow>> {
    let wanted = normalize_name(name);
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE child_birth_date = ?1 ORDER BY registered_unix, number"
    ))?;
    let rows = stmt.query_map([birth.to_string()], from_row)?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if normalize_name(&row.child_name) == wanted {
            out.push(row);
        }
    }
    Ok(out)
}

fn normalize_name(name: &str) -> String {
    name.split_whitespace()
        .map(|w| w.to_lowercase().replace('ё', "е"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Filters of `application list`.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub queue_type: Option<QueueType>,
    pub group_year: Option<i64>,
    pub status: Option<Status>,
    pub limit: Option<usize>,
}

/// `application list`: waiting applications of each queue in queue order (R-Q2), then the others by
/// registration time. Queues come in order of queue type and group year.
pub fn list(conn: &Connection, filter: &ListFilter, k: u32) -> Result<Vec<ApplicationListRow>> {
    let limit = filter.limit.unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let want_waiting = filter.status.is_none_or(|s| s.is_waiting());
    if want_waiting {
        let mut queues = conn.prepare(
            "SELECT DISTINCT queue_type, group_year FROM queue_day
             WHERE waiting > 0 AND (?1 IS NULL OR queue_type = ?1) AND (?2 IS NULL OR group_year = ?2)
             ORDER BY queue_type, group_year",
        )?;
        let keys: Vec<(String, i64)> = queues
            .query_map(
                params![filter.queue_type.map(|q| q.as_str()), filter.group_year],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        for (queue_type, group_year) in keys {
            if out.len() >= limit {
                break;
            }
            for_each_in_queue_order(conn, &queue_type, group_year, k, |app, pos, class_pos| {
                if filter.status.is_none_or(|s| s.as_str() == app.status) {
                    out.push(list_row(app, Some((pos, class_pos))));
                }
                Ok(out.len() < limit)
            })?;
        }
    }
    if filter.status.is_none_or(|s| !s.is_waiting()) && out.len() < limit {
        let mut stmt = conn.prepare(&format!(
            "{SELECT} WHERE NOT {WAITING} AND (?1 IS NULL OR status = ?1)
               AND (?2 IS NULL OR queue_type = ?2) AND (?3 IS NULL OR group_year = ?3)
             ORDER BY registered_unix, number"
        ))?;
        let rows = stmt.query_map(
            params![
                filter.status.map(|s| s.as_str()),
                filter.queue_type.map(|q| q.as_str()),
                filter.group_year
            ],
            from_row,
        )?;
        for row in rows {
            if out.len() >= limit {
                break;
            }
            out.push(list_row(row?, None));
        }
    }
    Ok(out)
}

/// Streams the waiting applications of one queue in queue order, with queue and class positions. `each`
/// returns whether to go on.
pub fn for_each_in_queue_order(
    conn: &Connection,
    queue_type: &str,
    group_year: i64,
    k: u32,
    mut each: impl FnMut(AppRow, u64, u64) -> Result<bool>,
) -> Result<()> {
    let sql = format!(
        "{SELECT} WHERE queue_type = ?1 AND group_year = ?2 AND priority_class = ?3 AND {WAITING}
         ORDER BY registered_unix, number"
    );
    let (mut oot, mut first, mut general) = (
        conn.prepare(&sql)?,
        conn.prepare(&sql)?,
        conn.prepare(&sql)?,
    );
    let o = oot.query_map(params![queue_type, group_year, "out_of_turn"], from_row)?;
    let f = first.query_map(params![queue_type, group_year, "first_priority"], from_row)?;
    let g = general.query_map(params![queue_type, group_year, "general"], from_row)?;
    let mut ranks = [0u64; 3];
    let mut position = 0u64;
    for row in queue::interleave(o, f, g, u64::from(k)) {
        let row = row?;
        position += 1;
        let class = row.class();
        let idx = class as usize;
        ranks[idx] += 1;
        let class_pos = queue::class_position(class, ranks[idx]);
        if !each(row, position, class_pos)? {
            break;
        }
    }
    Ok(())
}

fn require_waiting(app: &AppRow, rule: &'static str, what: &str) -> Result<()> {
    if app.status().is_waiting() {
        Ok(())
    } else {
        Err(Error::refused(
            rule,
            format!(
                "application {} is {}: only a waiting application {what}",
                app.number, app.status
            ),
        ))
    }
}

/// R-Q8: a new benefit category (or none) keeps the registration time; the position follows the class. A
/// benefit needs a supporting document given with the change.
pub fn set_category(
    change: &Change,
    number: &str,
    category: Option<&str>,
    docs: &[&str],
) -> Result<(String, String)> {
    let tx = change.tx();
    let app = get(tx, number)?;
    require_waiting(&app, "R-Q8", "changes its category")?;
    let today = change.now().today();
    let new_docs = docs
        .iter()
        .map(|d| Document::parse("--doc", d, today))
        .collect::<Result<Vec<_>>>()?;
    let classes = category_classes(tx)?;
    let class = match category {
        None => PriorityClass::General,
        Some(name) => *classes.get(name).ok_or_else(|| {
            Error::bad(format!(
                "--category: '{name}' is not a benefit category (see `kezek category list`)"
            ))
        })?,
    };
    if category.is_some()
        && !new_docs
            .iter()
            .any(|d| d.kind != crate::domain::application::MEDICAL_CONCLUSION)
    {
        return Err(Error::refused(
            "R-Q3",
            format!(
                "category {}: a benefit needs a supporting document (--doc KIND:NUMBER:DATE)",
                category.unwrap_or_default()
            ),
        ));
    }
    let mut all_docs: Vec<Document> = serde_json::from_str(&app.docs).unwrap_or_default();
    all_docs.extend(new_docs);
    let from = app.category.clone().unwrap_or_else(|| "none".into());
    let to = category.unwrap_or("none").to_string();
    tx.execute(
        "UPDATE application SET category = ?2, priority_class = ?3, docs = ?4 WHERE number = ?1",
        params![
            number,
            category,
            class.as_str(),
            serde_json::to_string(&all_docs).expect("documents serialize")
        ],
    )?;
    change.record(
        "application.set_category",
        number,
        serde_json::json!({ "from": from, "to": to, "priority_class": class.as_str() }),
        &[(APPLICATION, &number)],
    )?;
    Ok((from, to))
}

/// R-Q8: withdrawn on the applicant's request: `removed` with reason `withdrawn`.
pub fn withdraw(change: &Change, number: &str, reason: &str) -> Result<()> {
    let tx = change.tx();
    let app = get(tx, number)?;
    require_waiting(&app, "R-Q8", "can be withdrawn")?;
    tx.execute(
        "UPDATE application SET status = 'removed', removed_reason = 'withdrawn', stop_list_until = NULL,
            offer_round = NULL, removed_at = ?2 WHERE number = ?1",
        params![number, format_moment(&change.now().effective)],
    )?;
    change.record(
        "application.withdraw",
        number,
        serde_json::json!({ "from": app.status, "reason": reason }),
        &[(APPLICATION, &number)],
    )?;
    Ok(())
}

pub const IMPORT_REQUIRED: &[&str] = &[
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
pub const IMPORT_OPTIONAL: &[&str] = &["number"];

/// A child in a queue type, packed: the IIN's digits and one bit for the queue type.
fn child_key(iin: &str, queue_type: QueueType) -> u64 {
    iin.parse::<u64>().unwrap_or(0) * 2 + u64::from(queue_type == QueueType::Sanatorium)
}

/// An application number, packed: queue type, year, sequence and suffix.
fn number_key(queue_type: QueueType, year: i32, seq: u32, suffix: u32) -> u64 {
    (u64::from(queue_type == QueueType::Sanatorium) << 63)
        | ((year as u64 & 0xFFFF) << 40)
        | (u64::from(seq) << 16)
        | u64::from(suffix & 0xFFFF)
}

/// `application import`: migration of an existing queue. Every row is checked as a registration at its own
/// registration time, which is kept (and so is its number, when given), so nobody's position changes.
/// Duplicates inside the file and against the database are refused. All or nothing.
pub fn import(
    change: &Change,
    file: &mut CsvFile,
    settings: &Settings,
    progress: &dyn Fn(u64),
) -> Result<ImportReport> {
    let tx = change.tx();
    let details = serde_json::json!({ "file": file.name, "sha256": file.sha256 });
    let mut event = change.begin_event("application.import", &file.name, details)?;
    let mut check = ImportCheck {
        classes: category_classes(tx)?,
        settings,
        now: change.now().effective,
        children: HashMap::new(),
        numbers: HashMap::new(),
        next_seq: HashMap::new(),
        kept: kept_numbers(file)?,
    };
    let rows = if bulk::is_empty(tx, "application")? {
        // Into an empty table, the indexes in random key order (IIN, name) are built once at the end and the
        // queue counts are kept here, one per queue, class and day, instead of by the trigger row by row. No
        // application exists yet, so the rows are checked against the file alone, on a second thread, while
        // this one writes.
        let set_aside = SetAside::begin(
            tx,
            "application",
            &[
                "application_one_active",
                "application_child",
                "application_name",
                "application_waiting_insert",
            ],
        )?;
        let mut queue_days: BTreeMap<(QueueType, i32, PriorityClass, i64), i64> = BTreeMap::new();
        let rows = file.rows_split(
            progress,
            |row| {
                let (number, app) = check.row(row, None)?;
                Ok(NewRow::new(number, app))
            },
            |row| {
                insert(change, &mut event, row)?;
                let app = &row.app;
                // As the trigger counts: the registration day is Unix seconds / 86400, truncated as SQLite
                // divides.
                let day = app.registered_at.timestamp() / 86400;
                *queue_days
                    .entry((app.queue_type, app.group_year, app.priority_class, day))
                    .or_default() += 1;
                Ok(())
            },
        )?;
        // The file's maps are done with: their memory goes back before the index sorts take theirs.
        drop(check);
        set_aside.restore(tx)?;
        let mut count = tx.prepare(
            "INSERT INTO queue_day (queue_type, group_year, priority_class, day, waiting) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO UPDATE SET waiting = waiting + excluded.waiting",
        )?;
        for ((queue_type, group_year, class, day), waiting) in queue_days {
            count.execute(params![
                queue_type.as_str(),
                group_year,
                class.as_str(),
                day,
                waiting
            ])?;
        }
        rows
    } else {
        file.rows(progress, |row, clean| {
            let (number, app) = check.row(row, Some(tx))?;
            if clean {
                insert(change, &mut event, &NewRow::new(number, app))?;
            }
            Ok(())
        })?
    };
    event.finish()?;
    Ok(ImportReport {
        file: file.name.clone(),
        sha256: file.sha256.clone(),
        rows,
    })
}

/// What `application import` checks of each row before it is written, and what it remembers of the rows
/// before it: the registration rules at the row's own time, duplicates within the file, and the number the
/// row keeps or gets.
struct ImportCheck<'a> {
    classes: HashMap<String, PriorityClass>,
    settings: &'a Settings,
    now: DateTime<FixedOffset>,
    /// Children by queue type (`child_key`), with the line they appear on.
    children: HashMap<u64, u64>,
    /// Numbers taken (`number_key`), with the line that took them.
    numbers: HashMap<u64, u64>,
    next_seq: HashMap<(QueueType, i32), u32>,
    /// The numbers rows of the file keep (`kept_numbers`).
    kept: std::collections::HashSet<u64>,
}

impl ImportCheck<'_> {
    /// Checks one row and gives its number and application. `existing` is the database when the table holds
    /// applications already (duplicates and numbers are checked against them too), `None` when it is empty.
    fn row(
        &mut self,
        row: &csvfile::Row,
        existing: Option<&Connection>,
    ) -> Result<(String, NewApplication)> {
        let registered_at = parse_moment("registered_at", row.get("registered_at"))?;
        if registered_at > self.now {
            return Err(Error::bad(format!(
                "registered_at: {} is later than now ({})",
                format_moment(&registered_at),
                format_moment(&self.now)
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
        let app = input.check(registered_at, self.settings, &|c| classes.get(c).copied())?;
        let key = child_key(&app.child_iin, app.queue_type);
        if let Some(first) = self.children.get(&key) {
            return Err(Error::refused(
                "R-Q6",
                format!(
                    "the child {} appears already on line {first} in the {} queue",
                    mask(&app.child_iin),
                    app.queue_type.as_str()
                ),
            ));
        }
        if let Some(conn) = existing {
            if let Some(number) = active_number(conn, &app.child_iin, app.queue_type)? {
                return Err(duplicate(&number, &app.child_iin, app.queue_type));
            }
        }
        let number = match row.optional("number") {
            Some(given) => {
                let (year, seq) = parse_number("number", app.queue_type, given)?;
                let suffix = given
                    .rsplit('.')
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1);
                let nk = number_key(app.queue_type, year, seq, suffix);
                if let Some(first) = self.numbers.get(&nk) {
                    return Err(Error::bad(format!(
                        "number: {given} is used already on line {first}"
                    )));
                }
                if let Some(conn) = existing {
                    if load(conn, given)?.is_some() {
                        return Err(Error::bad(format!("number: {given} exists already")));
                    }
                }
                self.numbers.insert(nk, row.line);
                given.to_string()
            }
            None => {
                let year: i32 = app
                    .registered_at
                    .date_naive()
                    .format("%Y")
                    .to_string()
                    .parse()
                    .expect("a year");
                let mut seq = match (self.next_seq.get(&(app.queue_type, year)), existing) {
                    (Some(s), _) => *s,
                    (None, Some(conn)) => last_seq(conn, app.queue_type, year)?,
                    (None, None) => 0,
                } + 1;
                while self
                    .numbers
                    .contains_key(&number_key(app.queue_type, year, seq, 1))
                    || self
                        .kept
                        .contains(&number_key(app.queue_type, year, seq, 1))
                {
                    seq += 1;
                }
                if seq > 999_999 {
                    return Err(Error::bad(format!(
                        "number: the numbers of {year} are exhausted"
                    )));
                }
                self.next_seq.insert((app.queue_type, year), seq);
                self.numbers
                    .insert(number_key(app.queue_type, year, seq, 1), row.line);
                format_number(app.queue_type, year, seq)
            }
        };
        self.children.insert(key, row.line);
        Ok((number, app))
    }
}

/// The well-formed numbers a file keeps, read in a first pass, so that numbers given to rows without one never
/// take a number that a later row keeps.
fn kept_numbers(file: &CsvFile) -> Result<std::collections::HashSet<u64>> {
    let mut kept = std::collections::HashSet::new();
    if !file.has_column("number") {
        return Ok(kept);
    }
    let mut first_pass = file.reopen()?;
    first_pass.for_each(|row, _| {
        let Ok(row) = row else { return Ok(()) };
        let (Some(given), Ok(queue_type)) = (
            row.optional("number"),
            QueueType::parse("queue_type", row.get("queue_type")),
        ) else {
            return Ok(());
        };
        if let Ok((year, seq)) = parse_number("number", queue_type, given) {
            let suffix = given
                .rsplit('.')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(1);
            kept.insert(number_key(queue_type, year, seq, suffix));
        }
        Ok(())
    })?;
    Ok(kept)
}

/// `db check`: the per-day counts agree with the applications they count.
pub fn check_queue_counts(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!(
        "WITH actual AS (
             SELECT queue_type, group_year, priority_class, registered_unix / 86400 AS day, count(*) AS n
             FROM application WHERE {WAITING} GROUP BY 1, 2, 3, 4),
         kept AS (SELECT queue_type, group_year, priority_class, day, waiting AS n FROM queue_day WHERE waiting > 0)
         SELECT a.queue_type, a.group_year, a.priority_class, a.day, a.n, k.n FROM actual a
           LEFT JOIN kept k USING (queue_type, group_year, priority_class, day) WHERE k.n IS NOT a.n
         UNION ALL
         SELECT k.queue_type, k.group_year, k.priority_class, k.day, NULL, k.n FROM kept k
           LEFT JOIN actual a USING (queue_type, group_year, priority_class, day) WHERE a.n IS NULL"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "queue_day {} {} {} day {}: counts {} waiting, the applications are {}",
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, Option<i64>>(5)?.unwrap_or(0),
            r.get::<_, Option<i64>>(4)?.unwrap_or(0)
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::application::{Consent, ConsentKind, Document, Language};
    use crate::store::db::MIGRATIONS;

    fn sample(child_iin: &str, category: Option<&str>, docs: usize) -> NewApplication {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        NewApplication {
            queue_type: QueueType::General,
            group_year: 2023,
            priority_class: if category.is_some() {
                PriorityClass::FirstPriority
            } else {
                PriorityClass::General
            },
            category: category.map(str::to_string),
            registered_at: crate::domain::time::parse_moment(
                "registered_at",
                "2024-02-03T09:10:11+05:00",
            )
            .unwrap(),
            child_iin: child_iin.into(),
            child_name: "Ким Алия".into(),
            child_birth_date: day("2023-01-01"),
            applicant_iin: "900101400015".into(),
            applicant_name: "Ким Дана".into(),
            phone: "+77011234567".into(),
            email: "dana@example.kz".into(),
            district: "Алмалинский".into(),
            language: Language::Kk,
            docs: (0..docs)
                .map(|i| Document {
                    kind: "birth_certificate".into(),
                    number: format!("N{i}"),
                    issue_date: day("2023-01-05"),
                })
                .collect(),
            consent: Consent {
                kind: ConsentKind::Egov,
                date: day("2024-02-03"),
            },
        }
    }

    /// The digest an import records without reading the row back is the digest of the row as SQLite stores it:
    /// `NewRow` lists every column, in the table's order, with the types the table keeps.
    #[test]
    fn a_new_rows_digest_is_the_digest_of_the_row_stored() {
        let conn = Connection::open_in_memory().unwrap();
        for (_, sql) in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        let category: String = conn
            .query_row(
                "SELECT name FROM category WHERE priority_class = 'first_priority' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let rows = [
            NewRow::new("DDO.2024.000001.1".into(), sample("230101500018", None, 0)),
            NewRow::new(
                "DDO.2024.000002.1".into(),
                sample("230101600013", Some(&category), 2),
            ),
        ];
        let mut stmt = conn
            .prepare(&format!(
                "INSERT INTO application VALUES ({})",
                vec!["?"; rows[0].values.len()].join(", ")
            ))
            .unwrap();
        for row in &rows {
            stmt.execute(rusqlite::params_from_iter(&row.values))
                .unwrap();
        }
        let mut stored = Vec::new();
        journal::each_row_digest(&conn, APPLICATION, "", &[], |key, digest| {
            stored.push((key.as_str().unwrap().to_string(), digest));
            Ok(())
        })
        .unwrap();
        let computed: Vec<(String, [u8; 32])> =
            rows.iter().map(|r| (r.number.clone(), r.digest)).collect();
        assert_eq!(stored, computed);
        let columns: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('application')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(rows[0].values.len() as i64, columns);
    }
}
