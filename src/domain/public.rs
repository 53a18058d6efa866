//! Public records (R-V1): what of each journal event anyone may read, in one canonical form, so that a
//! publication can be checked without the database and without personal data.
//!
//! A record is canonical JSON (UTF-8, object keys sorted by their bytes, no insignificant whitespace) with
//! `seq`, `effective_at`, `recorded_at`, `officer`, `kind`, `subject` and `rows`: for each row the event leaves
//! behind, `table`, `key` and `fields` (the row's public columns; `null` for a deleted row). Which columns are
//! public is decided here, table by table, and nowhere else: names, IINs, birth dates, contacts, documents,
//! consent, benefit categories, free-text reasons and file paths never are.

use serde_json::Value;

pub use super::canonical::canonical;
use super::canonical::{write_canonical, write_string};

/// Which columns of a state table a public record shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Every column (reference data: organizations, the calendar, settings, categories, offer rounds, sweeps).
    Whole,
    /// Only these columns.
    Only(&'static [&'static str]),
    /// The key alone: the row's contents are personal (enrollments hold the child's IIN, notifications the
    /// family's contacts).
    KeyOnly,
}

/// The public columns of each state table; a table not named here shows its key alone.
pub fn visibility(table: &str) -> Visibility {
    match table {
        "application" => Visibility::Only(&[
            "number",
            "queue_type",
            "group_year",
            "priority_class",
            "status",
            "registered_at",
            "expired_count",
            "stop_list_until",
            "removed_reason",
            "preferences",
        ]),
        "place" => Visibility::Only(&[
            "id",
            "org",
            "group_year",
            "language",
            "place_type",
            "status",
            "release_date",
            "offer_round",
        ]),
        "direction" => Visibility::Only(&[
            "number",
            "application",
            "place_id",
            "status",
            "issued_at",
            "valid_until",
            "extended",
        ]),
        "officer" => Visibility::Only(&["id", "district", "public_key", "active", "role", "org"]),
        "org" | "calendar_day" | "setting" | "category" | "district" | "offer_round"
        | "sweep_run" | "allocation_run" | "exchange_run" => Visibility::Whole,
        _ => Visibility::KeyOnly,
    }
}

/// Whether column `column` of `table` is public.
pub fn is_public(table: &str, column: &str) -> bool {
    match visibility(table) {
        Visibility::Whole => true,
        Visibility::Only(columns) => columns.contains(&column),
        Visibility::KeyOnly => false,
    }
}

/// The subject a public record shows for an event: an import's subject is the file's name, which may say
/// anything (a family name, a path), so it is withheld; every other subject is a key of a public row, a date,
/// a setting or a count.
pub fn public_subject<'s>(kind: &str, subject: &'s str) -> &'s str {
    if kind.ends_with(".import") {
        ""
    } else {
        subject
    }
}

/// The start of a public record, up to its first row: every key that sorts before `rows`.
pub fn record_head(
    effective_at: &str,
    recorded_at: &str,
    officer: Option<&str>,
    kind: &str,
) -> String {
    format!(
        "{{\"effective_at\":{},\"kind\":{},\"officer\":{},\"recorded_at\":{},\"rows\":[",
        Value::from(effective_at),
        Value::from(kind),
        officer.map_or(Value::Null, Value::from),
        Value::from(recorded_at)
    )
}

/// The end of a public record, after its last row: every key that sorts after `rows`.
pub fn record_tail(seq: i64, kind: &str, subject: &str) -> String {
    format!(
        "],\"seq\":{seq},\"subject\":{}}}",
        Value::from(public_subject(kind, subject))
    )
}

/// What a public record says of one row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowState<'a> {
    /// The row as the event left it: its columns (only the public ones are shown).
    Present(&'a [(String, Value)]),
    /// The row as the event left it, its `fields` already written by `fields_text` (on another thread, as an
    /// import checks its rows).
    Written(&'a str),
    /// The event deleted the row: `"fields": null`.
    Deleted,
    /// Not known: an event recorded before the public log existed, whose row has changed since. No `fields`.
    Unknown,
}

/// One row of a public record: its table, its key, and its public columns as `fields` (`null` for a row the
/// event deleted). Tables whose rows are personal show no `fields`, nor does a row whose state is unknown.
pub fn record_row(table: &str, key: &Value, state: RowState<'_>) -> String {
    let mut out = String::new();
    write_record_row(&mut out, table, key, state);
    out
}

/// `record_row` appended to `out`, written directly in canonical order (`fields`, `key`, `table`; the fields
/// sorted by name): the write path of every changing command, so it builds no map.
pub fn write_record_row(out: &mut String, table: &str, key: &Value, state: RowState<'_>) {
    out.push('{');
    let fields = match state {
        _ if visibility(table) == Visibility::KeyOnly => None,
        other => Some(other),
    };
    match fields {
        Some(RowState::Present(fields)) => {
            out.push_str("\"fields\":");
            write_fields(out, table, fields.iter().map(|(c, v)| (c.as_str(), v)));
            out.push(',');
        }
        Some(RowState::Written(fields)) => {
            out.push_str("\"fields\":");
            out.push_str(fields);
            out.push(',');
        }
        Some(RowState::Deleted) => out.push_str("\"fields\":null,"),
        Some(RowState::Unknown) | None => {}
    }
    out.push_str("\"key\":");
    write_canonical(key, out);
    out.push_str(",\"table\":");
    write_string(out, table);
    out.push('}');
}

/// A row's public columns as a record shows them: canonical JSON, the columns sorted by name.
pub fn fields_text<'v>(
    table: &str,
    fields: impl IntoIterator<Item = (&'v str, &'v Value)>,
) -> String {
    let mut out = String::new();
    write_fields(&mut out, table, fields);
    out
}

fn write_fields<'v>(
    out: &mut String,
    table: &str,
    fields: impl IntoIterator<Item = (&'v str, &'v Value)>,
) {
    let mut public: Vec<(&str, &Value)> = fields
        .into_iter()
        .filter(|(column, _)| is_public(table, column))
        .collect();
    public.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out.push('{');
    for (i, (column, value)) in public.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, column);
        out.push(':');
        write_canonical(value, out);
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::canonical::tests::json_value;
    use proptest::prelude::*;
    use serde_json::json;

    /// The columns that hold personal data are never public, whatever the table.
    #[test]
    fn r_v1_personal_columns_are_never_public() {
        for (table, column) in [
            ("application", "child_iin"),
            ("application", "child_name"),
            ("application", "child_birth_date"),
            ("application", "applicant_iin"),
            ("application", "applicant_name"),
            ("application", "phone"),
            ("application", "email"),
            ("application", "docs"),
            ("application", "consent"),
            ("application", "consent_date"),
            ("application", "category"),
            ("application", "district"),
            ("direction", "document"),
            ("direction", "extension_reason"),
            ("officer", "name"),
            ("enrollment", "child_iin"),
            ("notification", "recipient"),
            ("notification", "body"),
        ] {
            assert!(!is_public(table, column), "{table}.{column} is public");
        }
        assert!(is_public("application", "registered_at"));
        assert!(is_public("officer", "public_key"));
        assert!(is_public("org", "name"));
        assert_eq!(
            public_subject("application.import", "/home/a/Нурланова.csv"),
            ""
        );
        assert_eq!(
            public_subject("application.register", "DDO.2026.000001.1"),
            "DDO.2026.000001.1"
        );
    }

    /// A record assembled from its head, rows and tail is the canonical JSON of the whole.
    #[test]
    fn r_v1_a_record_built_in_parts_is_canonical() {
        let rows = [
            record_row(
                "application",
                &json!("DDO.2026.000001.1"),
                RowState::Present(&[
                    ("number".into(), json!("DDO.2026.000001.1")),
                    ("child_iin".into(), json!("230401500129")),
                    ("status".into(), json!("queued")),
                ]),
            ),
            record_row(
                "notification",
                &json!(7),
                RowState::Present(&[("recipient".into(), json!("+77011234567"))]),
            ),
            record_row("place", &json!(3), RowState::Deleted),
            record_row("direction", &json!("NAP.2026.000001"), RowState::Unknown),
        ];
        let text = format!(
            "{}{}{}",
            record_head(
                "2026-03-16T10:00:00+05:00",
                "2026-03-16T10:00:01+05:00",
                Some("ivanova"),
                "application.register"
            ),
            rows.join(","),
            record_tail(12, "application.register", "DDO.2026.000001.1")
        );
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(canonical(&value), text);
        assert!(
            !text.contains("230401500129") && !text.contains("+7701"),
            "{text}"
        );
        assert_eq!(
            value["rows"],
            json!([
                {"table": "application", "key": "DDO.2026.000001.1", "fields": {"number": "DDO.2026.000001.1", "status": "queued"}},
                {"table": "notification", "key": 7},
                {"table": "place", "key": 3, "fields": null},
                {"table": "direction", "key": "NAP.2026.000001"}
            ])
        );
        let import = format!(
            "{}{}",
            record_head("a", "b", None, "application.import"),
            record_tail(3, "application.import", "/home/x/Нурланова.csv")
        );
        assert!(!import.contains("Нурланова"), "{import}");
    }

    proptest! {
        /// A row written directly is the canonical JSON of the same row, whatever its fields and their order.
        #[test]
        fn r_v1_a_row_written_directly_is_canonical(
            fields in prop::collection::vec(("[a-z_]{1,12}", json_value()), 0..8),
            key in prop_oneof![any::<i64>().prop_map(|n| json!(n)), ".*".prop_map(Value::String)],
            table in prop_oneof![Just("application"), Just("org"), Just("notification"), Just("place")],
            deleted in any::<bool>(),
        ) {
            let mut seen = std::collections::HashSet::new();
            let fields: Vec<(String, Value)> =
                fields.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect();
            let state = if deleted { RowState::Deleted } else { RowState::Present(&fields) };
            let text = record_row(table, &key, state);
            if !deleted {
                let written = fields_text(table, fields.iter().map(|(c, v)| (c.as_str(), v)));
                prop_assert_eq!(record_row(table, &key, RowState::Written(&written)), text.clone());
            }
            let value: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(canonical(&value), text.clone());
            prop_assert_eq!(&value["table"], &json!(table));
            prop_assert_eq!(&value["key"], &key);
            if visibility(table) != Visibility::KeyOnly && !deleted {
                for (column, v) in &fields {
                    if is_public(table, column) {
                        prop_assert_eq!(&value["fields"][column], v);
                    } else {
                        prop_assert!(value["fields"].get(column).is_none());
                    }
                }
            }
        }
    }
}
