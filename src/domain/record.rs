//! A public record read back (R-V1): the event's fields parsed, its rows left as text until they are needed, so
//! that a record of a million imported rows is read row by row and never held as one tree of values. Used by
//! everything that reads the log: `audit public`, `application explain` and `audit public --explain`.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::canonical::is_canonical;

/// One public record: its rows borrowed from its line.
#[derive(Debug)]
pub struct Record<'a> {
    pub effective_at: Cow<'a, str>,
    pub kind: Cow<'a, str>,
    pub officer: Option<Cow<'a, str>>,
    pub recorded_at: Cow<'a, str>,
    /// Each row's text.
    pub rows: Vec<&'a str>,
    pub seq: i64,
    pub subject: Cow<'a, str>,
}

/// A record parsed whole, for a line not laid out as a canonical record (to say why it is not one).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordText<'a> {
    #[serde(borrow)]
    effective_at: Cow<'a, str>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    officer: Option<Cow<'a, str>>,
    #[serde(borrow)]
    recorded_at: Cow<'a, str>,
    #[serde(borrow)]
    rows: Vec<&'a RawValue>,
    seq: i64,
    #[serde(borrow)]
    subject: Cow<'a, str>,
}

/// One row of a record: its table and key, and its `fields` still as text (`None` when the record shows none).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    pub fields: Option<&'a RawValue>,
    #[serde(borrow)]
    pub key: &'a RawValue,
    #[serde(borrow)]
    pub table: Cow<'a, str>,
}

/// `fields` given, even as `null`: a row the event deleted.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// A row of the application table, read in one pass: its number, and its fields when the record shows them
/// (`Some(None)`: the event deleted it).
#[derive(Debug, Deserialize)]
pub struct ApplicationRow<'a> {
    #[serde(default, borrow, deserialize_with = "shown")]
    pub fields: Option<Option<ApplicationFields<'a>>>,
    #[serde(borrow)]
    pub key: Cow<'a, str>,
}

fn shown<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<ApplicationFields<'de>>>, D::Error> {
    Option::<ApplicationFields<'de>>::deserialize(d).map(Some)
}

/// The table of a row, read from the end of its text: canonical JSON puts `table` last. Only for rows of a
/// record whose form is checked (or trusted).
pub fn table_of(row: &str) -> Option<&str> {
    let body = row.strip_suffix("\"}")?;
    // A table's name holds no quote: the last quote opens it (found without building a searcher per row).
    if let Some(open) = memchr::memrchr(b'"', body.as_bytes()) {
        if body[..open].ends_with(",\"table\":") {
            return Some(&body[open + 1..]);
        }
    }
    let (_, table) = body.rsplit_once(",\"table\":\"")?;
    Some(table)
}

/// The public fields of an application row that the queue's replay reads.
#[derive(Debug, Deserialize)]
pub struct ApplicationFields<'a> {
    #[serde(borrow)]
    pub queue_type: Cow<'a, str>,
    pub group_year: i64,
    #[serde(borrow)]
    pub priority_class: Cow<'a, str>,
    #[serde(borrow)]
    pub registered_at: Cow<'a, str>,
    #[serde(borrow)]
    pub status: Cow<'a, str>,
    /// R-C1 (absent from records written before preferences existed).
    #[serde(borrow, default)]
    pub preferences: Option<Cow<'a, str>>,
}

impl<'a> Record<'a> {
    /// Parses one line of the log; the error says why it is not a public record.
    /// A line laid out as a canonical record is split by one scan of its rows' brackets, its rows left as text
    /// (a million imported rows are not parsed twice); any other line is parsed whole.
    pub fn parse(line: &'a str) -> Result<Record<'a>, String> {
        if let Some(s) = super::record_parts::split(line) {
            return Ok(Record {
                effective_at: s.head.effective_at.into(),
                kind: s.head.kind.into(),
                officer: s.head.officer.map(Cow::Owned),
                recorded_at: s.head.recorded_at.into(),
                rows: s.rows,
                seq: s.tail.seq,
                subject: s.tail.subject.into(),
            });
        }
        let r: RecordText = serde_json::from_str(line).map_err(|e| e.to_string())?;
        Ok(Record {
            effective_at: r.effective_at,
            kind: r.kind,
            officer: r.officer,
            recorded_at: r.recorded_at,
            rows: r.rows.into_iter().map(RawValue::get).collect(),
            seq: r.seq,
            subject: r.subject,
        })
    }

    /// Whether `line`, which this record was parsed from, is in canonical form.
    pub fn is_canonical(&self, line: &str) -> bool {
        is_canonical(line)
    }

    /// The rows, parsed one at a time.
    pub fn rows(&self) -> impl Iterator<Item = Result<Row<'a>, String>> + '_ {
        self.rows.iter().map(|raw| Row::parse(raw))
    }

    /// The application rows, each parsed in one pass (for records whose form is checked or trusted).
    pub fn application_rows(
        &self,
    ) -> impl Iterator<Item = Result<ApplicationRow<'a>, String>> + '_ {
        self.rows
            .iter()
            .filter(|raw| table_of(raw) == Some("application"))
            .map(|raw| ApplicationRow::parse(raw))
    }

    /// The rows of `table`, found by the table their text ends with before any is parsed (for records whose form
    /// is checked: rows that are not rows are skipped, the canonical check refuses them).
    pub fn rows_of<'s>(&'s self, table: &'static str) -> impl Iterator<Item = Row<'a>> + 's {
        self.rows
            .iter()
            .filter(move |raw| table_of(raw) == Some(table))
            .filter_map(|raw| Row::parse(raw).ok())
            .filter(move |r| r.table == table)
    }
}

/// `each` over the rows, in their order, on two threads when there are many: a record of a million imported
/// rows is parsed in half the time. What `each` makes of the rows is applied afterwards, in order, by the caller.
pub fn map_rows<R: Sync, T: Send>(rows: &[R], each: impl Fn(&R) -> T + Sync) -> Vec<T> {
    const ALONE: usize = 4096;
    if rows.len() < ALONE {
        return rows.iter().map(&each).collect();
    }
    let (first, second) = rows.split_at(rows.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| second.iter().map(&each).collect::<Vec<T>>());
        let mut out: Vec<T> = first.iter().map(&each).collect();
        out.extend(other.join().expect("a parsing thread ends"));
        out
    })
}

impl<'a> ApplicationRow<'a> {
    /// A row laid out as kezek writes it is read by one scan (`application_row`), any other by the JSON parser.
    pub fn parse(raw: &'a str) -> Result<ApplicationRow<'a>, String> {
        if let Some(row) = super::application_row::read(raw) {
            return Ok(row);
        }
        serde_json::from_str(raw)
            .map_err(|e| crate::tr!("err-record-application-row", error = e.to_string()))
    }
}

impl<'a> Row<'a> {
    pub fn parse(raw: &'a str) -> Result<Row<'a>, String> {
        serde_json::from_str(raw).map_err(|e| crate::tr!("err-record-row", error = e.to_string()))
    }

    /// The key, when it is a string (an application's number).
    pub fn key_str(&self) -> Option<Cow<'a, str>> {
        serde_json::from_str(self.key.get()).ok()
    }

    /// The key, when it is a whole number (a place's id).
    pub fn key_i64(&self) -> Option<i64> {
        serde_json::from_str(self.key.get()).ok()
    }

    /// Whether the event deleted the row (`"fields": null`).
    pub fn deleted(&self) -> bool {
        self.fields.is_some_and(|f| f.get() == "null")
    }

    /// The fields as `T`, when the row shows them and they are a `T`.
    pub fn fields<T: Deserialize<'a>>(&self) -> Option<T> {
        self.fields
            .filter(|f| f.get() != "null")
            .and_then(|f| serde_json::from_str(f.get()).ok())
    }

    /// The fields as a map of values (small rows: settings, places, directions, offer rounds).
    pub fn field(&self, name: &str) -> Value {
        self.fields::<serde_json::Map<String, Value>>()
            .and_then(|mut m| m.remove(name))
            .unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::domain::canonical::canonical;

    fn line(v: &Value) -> String {
        canonical(v)
    }

    fn sample() -> Value {
        json!({
            "seq": 7, "effective_at": "2026-03-02T09:00:00+05:00", "recorded_at": "2026-03-02T09:00:01+05:00",
            "officer": "ivanova", "kind": "application.register", "subject": "DDO.2026.000001.1",
            "rows": [
                {"table": "application", "key": "DDO.2026.000001.1", "fields": {"number": "DDO.2026.000001.1",
                  "queue_type": "general", "group_year": 2022, "priority_class": "general",
                  "registered_at": "2026-03-02T09:00:00+05:00", "status": "queued", "expired_count": 0}},
                {"table": "place", "key": 12, "fields": null},
                {"table": "enrollment", "key": "x"}
            ]
        })
    }

    #[test]
    fn r_v1_a_canonical_record_reads_back_row_by_row() {
        let text = line(&sample());
        let record = Record::parse(&text).unwrap();
        assert!(record.is_canonical(&text));
        assert_eq!(record.seq, 7);
        assert_eq!(record.officer.as_deref(), Some("ivanova"));
        let rows: Vec<Row> = record.rows().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].key_str().as_deref(), Some("DDO.2026.000001.1"));
        let app: ApplicationFields = rows[0].fields().unwrap();
        assert_eq!((app.group_year, app.status.as_ref()), (2022, "queued"));
        assert!(rows[1].deleted() && rows[1].key_i64() == Some(12));
        assert!(rows[2].fields.is_none() && !rows[2].deleted());
        assert_eq!(record.rows_of("place").count(), 1);
        let apps: Vec<ApplicationRow> = record.application_rows().map(Result::unwrap).collect();
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].key, "DDO.2026.000001.1");
        assert_eq!(
            apps[0]
                .fields
                .as_ref()
                .unwrap()
                .as_ref()
                .unwrap()
                .queue_type,
            "general"
        );
        let tables: Vec<Option<&str>> = record.rows.iter().map(|r| table_of(r)).collect();
        assert_eq!(
            tables,
            [Some("application"), Some("place"), Some("enrollment")]
        );
    }

    #[test]
    fn r_v1_a_record_not_in_canonical_form_is_seen() {
        let text = line(&sample());
        let variants = [
            text.replacen("{\"effective_at\"", "{ \"effective_at\"", 1),
            text.replacen("\"expired_count\":0,", "\"expired_count\":-0,", 1),
            text.replacen("},{\"fields\":null", "}, {\"fields\":null", 1),
            text.replacen(
                "\"key\":\"x\",\"table\":\"enrollment\"",
                "\"table\":\"enrollment\",\"key\":\"x\"",
                1,
            ),
            text.replacen("\"seq\":7", "\"seq\":07", 1),
            text.replacen(
                "DDO.2026.000001.1\",\"table",
                "DDO.2026.\\u0030000001.1\",\"table",
                1,
            ),
        ];
        for v in variants {
            assert_ne!(v, text);
            assert!(
                Record::parse(&v).map_or(true, |r| !r.is_canonical(&v)),
                "accepted {v}"
            );
        }
    }

    #[test]
    fn r_v1_a_record_with_an_unknown_field_is_not_a_record() {
        let mut v = sample();
        v["name"] = json!("Aisha");
        assert!(Record::parse(&line(&v)).is_err());
        let mut v = sample();
        v["rows"][0]["iin"] = json!("010101500000");
        let text = line(&v);
        let record = Record::parse(&text).unwrap();
        assert!(record.rows().next().unwrap().is_err());
    }

    proptest::proptest! {
        /// A row's table is read from its end as a search for the last `,"table":"` reads it, whatever the text.
        #[test]
        fn r_v1_the_table_of_a_row_is_the_text_after_its_last_table_key(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just(",\"table\":\"".to_string()),
                proptest::strategy::Just("\"".to_string()),
                proptest::strategy::Just("\\\"".to_string()),
                proptest::strategy::Just("\"}".to_string()),
                "[a-z_:,]{0,6}",
            ], 0..8),
        ) {
            let row = parts.concat();
            let searched = row
                .strip_suffix("\"}")
                .and_then(|body| body.rsplit_once(",\"table\":\""))
                .map(|(_, table)| table);
            proptest::prop_assert_eq!(table_of(&row), searched);
        }
    }
}
