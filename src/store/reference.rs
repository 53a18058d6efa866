//! Reference data officers maintain: declared calendar days (R-T3), settings (SPEC §2a), benefit categories.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::change::Change;
use super::journal::{CALENDAR_DAY, SETTING};
use crate::domain::calendar::{DayKind, DayReason, WorkingCalendar};
use crate::domain::settings::{self, Settings};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::store::access::{self, Access};
use crate::tr;

/// The declared days (movable holidays, transfers), in date order.
pub fn declared_days(db: &impl Access) -> Result<Vec<(NaiveDate, DayKind, String)>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare("SELECT date, kind, name FROM calendar_day ORDER BY date")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let date: String = r.get(0)?;
        let kind: String = r.get(1)?;
        // Read as stored: a day declared before years were checked (9999-12-31) must not stop every command
        // that needs the calendar; `parse_date` is for input.
        let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|_| Error::Internal(format!("calendar_day: date '{date}'")))?;
        let kind = DayKind::parse(&kind)
            .ok_or_else(|| Error::Internal(format!("calendar_day {date}: kind '{kind}'")))?;
        out.push((date, kind, r.get(2)?));
    }
    Ok(out)
}

/// The working calendar: built-in holidays plus the declared days.
pub fn working_calendar(db: &impl Access) -> Result<WorkingCalendar> {
    let conn = access::conn(db);
    Ok(WorkingCalendar::new(declared_days(conn)?))
}

/// A declaration must change something: a holiday on a day that is otherwise working, a workday on a day that
/// is otherwise off (R-T3).
fn check_declaration(date: NaiveDate, kind: DayKind) -> Result<()> {
    let base = WorkingCalendar::builtin_reason(date);
    match (kind, base.is_working()) {
        (DayKind::Holiday, false) => Err(Error::refused(
            "R-T3",
            tr!(
                "err-calendar-day-off-already",
                date = date.to_string(),
                reason = reason_in_words(&base)
            ),
        )),
        (DayKind::Workday, true) => Err(Error::refused(
            "R-T3",
            tr!("err-calendar-working-already", date = date.to_string()),
        )),
        _ => Ok(()),
    }
}

/// A reason in the interface's language, for messages (`describe` stays English: `calendar show` puts it in JSON).
fn reason_in_words(reason: &DayReason) -> String {
    match reason {
        DayReason::Weekday => tr!("err-calendar-reason-weekday"),
        DayReason::Weekend => tr!("err-calendar-reason-weekend"),
        DayReason::Holiday { name } => tr!("err-calendar-reason-holiday", name = name.to_string()),
        DayReason::Transferred { from, name } => tr!(
            "err-calendar-reason-transferred",
            from = from.to_string(),
            name = name.to_string()
        ),
        DayReason::DeclaredHoliday { name } => tr!(
            "err-calendar-reason-declared-holiday",
            name = name.to_string()
        ),
        DayReason::DeclaredWorkday { name } => tr!(
            "err-calendar-reason-declared-workday",
            name = name.to_string()
        ),
    }
}

/// A reason in words, for `calendar show`.
pub fn describe(reason: &DayReason) -> String {
    match reason {
        DayReason::Weekday => "working day".into(),
        DayReason::Weekend => "weekend".into(),
        DayReason::Holiday { name } => format!("holiday: {name}"),
        DayReason::Transferred { from, name } => format!("day off moved from {from} ({name})"),
        DayReason::DeclaredHoliday { name } => format!("declared holiday: {name}"),
        DayReason::DeclaredWorkday { name } => format!("declared working day: {name}"),
    }
}

fn existing_day(conn: &Connection, date: NaiveDate) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT kind, name FROM calendar_day WHERE date = ?1",
            [date.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub(in crate::store) fn insert_day(
    change: &Change,
    date: NaiveDate,
    kind: DayKind,
    name: &str,
) -> Result<()> {
    let mut stmt = change
        .tx()
        .prepare_cached("INSERT INTO calendar_day (date, kind, name) VALUES (?1, ?2, ?3)")?;
    stmt.execute(params![date.to_string(), kind.as_str(), name])?;
    Ok(())
}

pub(in crate::store) fn check_new_day(
    conn: &Connection,
    date: NaiveDate,
    kind: DayKind,
) -> Result<()> {
    if let Some((k, n)) = existing_day(conn, date)? {
        return Err(Error::bad(tr!(
            "err-calendar-declared-already",
            date = date.to_string(),
            kind = k,
            name = n
        )));
    }
    check_declaration(date, kind)
}

pub fn add_day(change: &Change, date: NaiveDate, kind: DayKind, name: &str) -> Result<()> {
    check_new_day(change.tx(), date, kind)?;
    insert_day(change, date, kind, name)?;
    let key = date.to_string();
    change.record(
        "calendar.add",
        &key,
        serde_json::json!({ "kind": kind.as_str(), "name": name }),
        &[(CALENDAR_DAY, &key)],
    )?;
    Ok(())
}

pub fn remove_day(change: &Change, date: NaiveDate) -> Result<()> {
    let Some((kind, name)) = existing_day(change.tx(), date)? else {
        return Err(Error::NotFound(tr!(
            "err-calendar-not-declared",
            date = date.to_string()
        )));
    };
    let key = date.to_string();
    change
        .tx()
        .execute("DELETE FROM calendar_day WHERE date = ?1", [&key])?;
    change.record(
        "calendar.remove",
        &key,
        serde_json::json!({ "kind": kind, "name": name }),
        &[(CALENDAR_DAY, &key)],
    )?;
    Ok(())
}

/// One setting as `settings show` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SettingRow {
    pub key: String,
    pub value: String,
    pub default: String,
    pub rule: String,
    pub about: String,
}

pub fn settings_rows(db: &impl Access) -> Result<Vec<SettingRow>> {
    let conn = access::conn(db);
    let stored: HashMap<String, String> = conn
        .prepare("SELECT key, value FROM setting")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(settings::SETTINGS
        .iter()
        .map(|d| SettingRow {
            key: d.key.into(),
            value: stored
                .get(d.key)
                .cloned()
                .unwrap_or_else(|| d.default.into()),
            default: d.default.into(),
            rule: d.rule.into(),
            about: d.about.into(),
        })
        .collect())
}

/// The typed settings every rule reads.
pub fn load_settings(db: &impl Access) -> Result<Settings> {
    let conn = access::conn(db);
    let rows = settings_rows(conn)?;
    Settings::from_pairs(rows.iter().map(|r| (r.key.as_str(), r.value.as_str())))
}

/// `settings set`: validated, journaled. Returns the old and the new value.
pub fn set_setting(change: &Change, key: &str, value: &str) -> Result<(String, String)> {
    let def = settings::definition(key)?;
    let value = def.normalize(value)?;
    let old: Option<String> = change
        .tx()
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    let old = old.unwrap_or_else(|| def.default.to_string());
    change.tx().execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    change.record(
        "settings.set",
        key,
        serde_json::json!({ "from": old, "to": value }),
        &[(SETTING, &key)],
    )?;
    Ok((old, value))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CategoryRow {
    pub name: String,
    pub priority_class: String,
    pub title_ru: String,
    pub title_kk: String,
}

impl CategoryRow {
    /// The category's name in a language, for documents (the city names its categories in Russian and
    /// Kazakh; an English document shows the class alone).
    pub fn title(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Ru => Some(&self.title_ru),
            Lang::Kk => Some(&self.title_kk),
            Lang::En => None,
        }
    }
}

pub fn categories(db: &impl Access) -> Result<Vec<CategoryRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare(
        "SELECT name, priority_class, title_ru, title_kk FROM category
         ORDER BY CASE priority_class WHEN 'out_of_turn' THEN 0 ELSE 1 END, rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CategoryRow {
            name: r.get(0)?,
            priority_class: r.get(1)?,
            title_ru: r.get(2)?,
            title_kk: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
