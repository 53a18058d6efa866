//! An application as the log last showed it, read from one application row. Rows are read on two threads in
//! batches (`record::map_rows`); the replay then takes them in their order.

use std::borrow::Cow;

use super::word::Word;
use crate::domain::record::ApplicationRow;
use chrono::{DateTime, FixedOffset};

/// The applications by number. A million numbers are hashed as they are read: with a fast hash, seeded per run.
pub(super) type Apps = std::collections::HashMap<String, App, foldhash::fast::RandomState>;

#[derive(Debug, Clone)]
pub(super) struct App {
    pub(super) queue_type: Word,
    pub(super) group_year: i64,
    pub(super) class: Word,
    pub(super) registered_at: Box<str>,
    pub(super) at: DateTime<FixedOffset>,
    pub(super) status: Word,
    /// R-C1: the ranked organizations, `CODE;CODE`.
    pub(super) preferences: Option<Box<str>>,
}

/// One application row: the application it shows, or that it deletes, or neither (the record shows no fields).
pub(super) enum AppRow<'a> {
    Shown(Cow<'a, str>, App),
    Deleted(Cow<'a, str>),
    Unshown,
}

/// Why an application row could not be read.
pub(super) enum Unreadable<'a> {
    /// The row is not an application row: the parser's words.
    Fields(String),
    /// Its registration time is not an RFC 3339 time.
    Time(Cow<'a, str>),
}

impl<'a> AppRow<'a> {
    pub(super) fn read(raw: &'a str) -> Result<AppRow<'a>, Unreadable<'a>> {
        let row = ApplicationRow::parse(raw).map_err(Unreadable::Fields)?;
        let fields = match row.fields {
            Some(Some(fields)) => fields,
            Some(None) => return Ok(AppRow::Deleted(row.key)),
            None => return Ok(AppRow::Unshown),
        };
        let Ok(at) = DateTime::parse_from_rfc3339(&fields.registered_at) else {
            return Err(Unreadable::Time(row.key));
        };
        Ok(AppRow::Shown(
            row.key,
            App {
                queue_type: Word::new(&fields.queue_type),
                group_year: fields.group_year,
                class: Word::new(&fields.priority_class),
                registered_at: fields.registered_at.as_ref().into(),
                at,
                status: Word::new(&fields.status),
                preferences: fields.preferences.map(|p| p.as_ref().into()),
            },
        ))
    }
}
