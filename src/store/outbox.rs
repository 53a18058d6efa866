//! The notification outbox (SPEC §8): an e-mail and an SMS per event that tells a family something, in the
//! application's language; `notify export` hands them to a gateway and `--mark-sent` marks them.

use rusqlite::types::Value;
use rusqlite::{params, Connection};
use serde::Serialize;

use super::journal::{self, EventWriter, NOTIFICATION};
use crate::domain::application::Language;
use crate::domain::notify::{message, Fact};
use crate::domain::time::format_moment;
use crate::error::Result;
use crate::store::access::{self, Access};
use crate::store::Change;

/// Writes the e-mail and the SMS of one event for one application, and records both rows in `event`.
pub fn notify(change: &Change, event: &mut EventWriter, number: &str, fact: Fact) -> Result<()> {
    let contact: Contact = change
        .tx()
        .prepare_cached("SELECT email, phone, language FROM application WHERE number = ?1")?
        .query_row([number], |r| {
            Ok(Contact {
                email: r.get(0)?,
                phone: r.get(1)?,
                language: r.get(2)?,
            })
        })?;
    let notice = Notice {
        number,
        contact: &contact,
        fact,
    };
    notify_all(change, event, std::slice::from_ref(&notice))
}

/// Where the notifications of many applications go, read at once (`numbers`: a JSON list of their numbers).
pub fn contacts(
    tx: &Connection,
    numbers: &Value,
) -> Result<std::collections::HashMap<String, Contact>> {
    let mut stmt = tx.prepare_cached(
        "SELECT number, email, phone, language FROM application
         WHERE number IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([numbers], |r| {
        Ok((
            r.get(0)?,
            Contact {
                email: r.get(1)?,
                phone: r.get(2)?,
                language: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Where a family's notifications go, as its application records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub email: String,
    pub phone: String,
    pub language: String,
}

impl Contact {
    /// The language the family's messages are written in.
    pub fn lang(&self) -> Language {
        if self.language == "kk" {
            Language::Kk
        } else {
            Language::Ru
        }
    }
}

/// One notice to a family: the application it is about, where it goes, and what it says.
pub struct Notice<'a> {
    pub number: &'a str,
    pub contact: &'a Contact,
    pub fact: Fact,
}

/// How many notification rows one `INSERT` writes when a command sends many notices (the sweep): a statement
/// per row would cost more than the row.
const ROWS_PER_INSERT: usize = 64;

/// Writes the e-mail and the SMS of each notice, in order, and records every row in `event`. The rows are
/// numbered from the table's last id here, as SQLite would number them, so that each row's digest comes from
/// the values it is written with.
pub fn notify_all(change: &Change, event: &mut EventWriter, notices: &[Notice]) -> Result<()> {
    let tx = change.tx();
    let mut next_id: i64 = tx.query_row(
        "SELECT coalesce(max(id), 0) + 1 FROM notification",
        [],
        |r| r.get(0),
    )?;
    let created = format_moment(&change.now().effective);
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(ROWS_PER_INSERT);
    for notice in notices {
        let Contact {
            email,
            phone,
            language,
        } = notice.contact;
        let (subject, body) = message(&notice.fact, notice.contact.lang().into(), notice.number);
        for (channel, recipient) in [("email", email), ("sms", phone)] {
            let mut row = notification_row([
                notice.number,
                notice.fact.kind().as_str(),
                channel,
                recipient,
                language,
                &subject,
                &body,
                &created,
            ]);
            row[0] = Value::Integer(next_id);
            next_id += 1;
            batch.push(row);
            if batch.len() == ROWS_PER_INSERT {
                insert_rows(tx, event, &mut batch)?;
            }
        }
    }
    insert_rows(tx, event, &mut batch)
}

/// Inserts the rows of `batch` (a full batch in one statement, fewer one row per statement: two statement
/// shapes, both kept prepared), records their digests, and empties it.
fn insert_rows(
    tx: &Connection,
    event: &mut EventWriter,
    batch: &mut Vec<Vec<Value>>,
) -> Result<()> {
    let per_statement = if batch.len() == ROWS_PER_INSERT {
        ROWS_PER_INSERT
    } else {
        1
    };
    let columns = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let mut insert = tx.prepare_cached(&format!(
        "INSERT INTO notification VALUES {}",
        vec![columns; per_statement].join(", ")
    ))?;
    for rows in batch.chunks(per_statement) {
        insert.execute(rusqlite::params_from_iter(rows.iter().flatten()))?;
    }
    for row in batch.drain(..) {
        event.touch_written(
            NOTIFICATION,
            &row[0],
            journal::values_digest(NOTIFICATION, &row),
            "",
        )?;
    }
    Ok(())
}

/// A new notification's row, every column in the table's order: no id yet (SQLite gives the next one), the
/// texts from `application` to `created_at`, not sent. Once the id is filled in, these are the values the row
/// is stored with, so that its digest is computed from them rather than read back.
fn notification_row(texts: [&str; 8]) -> Vec<Value> {
    let mut row = vec![Value::Null];
    row.extend(texts.map(|t| Value::Text(t.to_string())));
    row.push(Value::Null);
    row
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NotificationRow {
    pub id: i64,
    pub application: String,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub language: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
}

/// The notifications not yet sent, oldest first.
pub fn unsent(db: &impl Access) -> Result<Vec<NotificationRow>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare(
        "SELECT id, application, kind, channel, recipient, language, subject, body, created_at
         FROM notification WHERE sent_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(NotificationRow {
            id: r.get(0)?,
            application: r.get(1)?,
            kind: r.get(2)?,
            channel: r.get(3)?,
            recipient: r.get(4)?,
            language: r.get(5)?,
            subject: r.get(6)?,
            body: r.get(7)?,
            created_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `notify export --mark-sent`: the rows exported are marked sent, in the same transaction that read them.
pub fn export_and_mark(change: &Change) -> Result<Vec<NotificationRow>> {
    let rows = unsent(change.tx())?;
    if rows.is_empty() {
        return Ok(rows);
    }
    let sent = format_moment(&change.now().effective);
    let mut event = change.begin_event(
        "notify.sent",
        &format!("{} notifications", rows.len()),
        serde_json::json!({ "count": rows.len(), "first": rows[0].id, "last": rows[rows.len() - 1].id }),
    )?;
    let mut update = change
        .tx()
        .prepare_cached("UPDATE notification SET sent_at = ?2 WHERE id = ?1")?;
    for row in &rows {
        update.execute(params![row.id, sent])?;
        event.touch(NOTIFICATION, &row.id)?;
    }
    event.finish()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::journal::{each_row_digest, values_digest};
    use crate::store::migrations::MIGRATIONS;

    /// The digest the outbox records without reading the row back is the digest of the row as stored.
    #[test]
    fn a_new_notifications_digest_is_the_digest_of_the_row_stored() {
        let conn = Connection::open_in_memory().unwrap();
        for (_, sql) in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let texts = [
            "DDO.2024.000001.1",
            "expired",
            "sms",
            "+77011234567",
            "kk",
            "Тақырып",
            "Мәтін",
            "2026-03-27T01:30:00+05:00",
        ];
        let mut row = notification_row(texts);
        conn.execute(
            "INSERT INTO notification VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            rusqlite::params_from_iter(&row),
        )
        .unwrap();
        row[0] = Value::Integer(conn.last_insert_rowid());
        let mut stored = Vec::new();
        each_row_digest(&conn, NOTIFICATION, "", &[], |_, key, digest| {
            stored.push((key.as_i64().unwrap(), digest));
            Ok(())
        })
        .unwrap();
        assert_eq!(stored, [(1, values_digest(NOTIFICATION, &row))]);
        let columns: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('notification')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(row.len() as i64, columns);
    }
}
