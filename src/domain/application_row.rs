//! An application row read by one scan when it is laid out as kezek writes it (canonical JSON: `fields` with its
//! keys in byte order, then `key`, then `table`), its texts borrowed from the row: the public log's commonest row,
//! a million of them in a city's import. A row this reader does not take whole (an escape in a text, a
//! fraction, a nested value, a field twice or missing) returns `None`, and the JSON parser reads it and says what
//! is wrong; a property test holds the two readers to the same answer.

use std::borrow::Cow;

use super::record::{ApplicationFields, ApplicationRow};

/// The row, when it is laid out as kezek writes it.
pub fn read(raw: &str) -> Option<ApplicationRow<'_>> {
    let mut c = Cursor { text: raw, at: 0 };
    c.eat("{")?;
    let fields = if c.eat("\"fields\":null,").is_some() {
        Some(None)
    } else if c.eat("\"fields\":{").is_some() {
        let fields = c.fields()?;
        c.eat(",")?;
        Some(Some(fields))
    } else {
        None
    };
    c.eat("\"key\":")?;
    let key = c.string()?;
    c.eat(",\"table\":")?;
    c.string()?;
    c.eat("}")?;
    (c.at == raw.len()).then_some(ApplicationRow {
        fields,
        key: Cow::Borrowed(key),
    })
}

struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn eat(&mut self, literal: &str) -> Option<()> {
        self.text[self.at..].starts_with(literal).then(|| {
            self.at += literal.len();
        })
    }

    /// A string with no escape and no control character.
    fn string(&mut self) -> Option<&'a str> {
        self.eat("\"")?;
        let rest = &self.text[self.at..];
        let end = super::json_plain::plain_run(rest.as_bytes())?;
        if rest.as_bytes()[end] != b'"' {
            return None;
        }
        self.at += end + 1;
        Some(&rest[..end])
    }

    /// An integer of at most 18 digits, with no leading zero.
    fn integer(&mut self) -> Option<i64> {
        let rest = &self.text[self.at..];
        let sign = usize::from(rest.starts_with('-'));
        let digits = rest[sign..].bytes().take_while(u8::is_ascii_digit).count();
        let leading_zero = digits > 1 && rest.as_bytes()[sign] == b'0';
        let fraction = matches!(rest.as_bytes().get(sign + digits), Some(b'.' | b'e' | b'E'));
        if digits == 0 || digits > 18 || leading_zero || fraction {
            return None;
        }
        let value = rest[..sign + digits].parse().ok()?;
        self.at += sign + digits;
        Some(value)
    }

    /// A value of a field this reader does not keep: a literal, a string or an integer.
    fn skip(&mut self) -> Option<()> {
        if ["null", "true", "false"]
            .iter()
            .any(|w| self.eat(w).is_some())
        {
            return Some(());
        }
        if self.text[self.at..].starts_with('"') {
            return self.string().map(|_| ());
        }
        self.integer().map(|_| ())
    }

    /// The fields' object after its `{`, to its `}`.
    fn fields(&mut self) -> Option<ApplicationFields<'a>> {
        let (mut queue_type, mut group_year, mut class, mut registered_at, mut status) =
            (None, None, None, None, None);
        let mut preferences: Option<Option<&'a str>> = None;
        if self.eat("}").is_some() {
            return None;
        }
        loop {
            let name = self.string()?;
            self.eat(":")?;
            let text = |c: &mut Self, slot: &mut Option<&'a str>| -> Option<()> {
                if slot.is_some() {
                    return None;
                }
                *slot = Some(c.string()?);
                Some(())
            };
            match name {
                "queue_type" => text(self, &mut queue_type)?,
                "priority_class" => text(self, &mut class)?,
                "registered_at" => text(self, &mut registered_at)?,
                "status" => text(self, &mut status)?,
                "group_year" if group_year.is_none() => group_year = Some(self.integer()?),
                "preferences" if preferences.is_none() => {
                    preferences = Some(if self.eat("null").is_some() {
                        None
                    } else {
                        Some(self.string()?)
                    });
                }
                "group_year" | "preferences" => return None,
                _ => self.skip()?,
            }
            if self.eat(",").is_none() {
                self.eat("}")?;
                break;
            }
        }
        Some(ApplicationFields {
            queue_type: queue_type?.into(),
            group_year: group_year?,
            priority_class: class?.into(),
            registered_at: registered_at?.into(),
            status: status?.into(),
            preferences: preferences.flatten().map(Cow::Borrowed),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the JSON parser reads from the row.
    fn parsed(raw: &str) -> Result<String, String> {
        serde_json::from_str::<ApplicationRow>(raw)
            .map(|r| format!("{r:?}"))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn r_v1_a_row_as_kezek_writes_it_is_read_by_the_scan_and_any_other_by_the_parser() {
        let row = r#"{"fields":{"expired_count":0,"group_year":2022,"number":"DDO.2026.000001.1","preferences":"DS-001;DS-002","priority_class":"general","queue_type":"general","registered_at":"2026-03-02T09:00:00+05:00","removed_reason":null,"status":"queued","stop_list_until":null},"key":"DDO.2026.000001.1","table":"application"}"#;
        let whole = read(row).expect("read by the scan");
        assert_eq!(Ok(format!("{whole:?}")), parsed(row));
        let fields = whole.fields.unwrap().unwrap();
        assert_eq!(fields.preferences.as_deref(), Some("DS-001;DS-002"));
        assert_eq!(
            (fields.group_year, fields.status.as_ref()),
            (2022, "queued")
        );
        for (row, fields) in [
            (
                r#"{"fields":null,"key":"N1","table":"application"}"#,
                "Some(None)",
            ),
            (r#"{"key":"N1","table":"application"}"#, "None"),
        ] {
            let got = read(row).expect("read by the scan");
            assert_eq!(format!("{:?}", got.fields), fields);
            assert_eq!(Ok(format!("{got:?}")), parsed(row));
        }
        for other in [
            row.replace("\"general\",\"queue_type", "\"gen\\u0065ral\",\"queue_type"),
            row.replace("2022", "2022.0"),
            row.replace("2022", "02022"),
            row.replace("\"status\":\"queued\"", "\"status\":null"),
            row.replace(",\"status\":\"queued\"", ""),
            row.replace("\"expired_count\":0", "\"status\":\"queued\""),
            row.replace("\"expired_count\":0", "\"expired_count\":[0]"),
            row.replace("{\"expired_count", "{ \"expired_count"),
            row.replace(
                "\"table\":\"application\"}",
                "\"table\":\"application\",\"x\":1}",
            ),
        ] {
            assert!(read(&other).is_none(), "{other}");
        }
    }

    /// A value of any kind JSON has, kezek's own kinds most often.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => "\"[a-z \\-:+0-9\\\\\"\n\u{e9}]{0,12}\"".prop_map(|s| s.replace('\n', "\\n")),
            3 => "-?[0-9]{1,20}(\\.[0-9])?",
            1 => Just("null".to_string()),
            1 => Just("true".to_string()),
            1 => Just("[1]".to_string()),
            1 => Just("{\"a\":1}".to_string()),
        ]
    }

    /// The fields of a row: the five the replay reads, each with a text or a number as kezek writes them or a
    /// value of another kind, and others, some twice, in any order.
    fn fields() -> impl Strategy<Value = Vec<String>> {
        let plain = "\"[a-z0-9:+\\-]{1,10}\"";
        let known = (
            prop_oneof![4 => plain.boxed(), 1 => value().boxed()],
            prop_oneof![4 => "[1-9][0-9]{3}".boxed(), 1 => value().boxed()],
            prop_oneof![4 => plain.boxed(), 1 => value().boxed()],
            prop_oneof![4 => plain.boxed(), 1 => value().boxed()],
            prop_oneof![4 => plain.boxed(), 1 => value().boxed()],
            prop_oneof![2 => Just("null".to_string()).boxed(), 2 => plain.boxed(), 1 => value().boxed()],
        );
        let names = [
            "queue_type",
            "group_year",
            "priority_class",
            "registered_at",
            "status",
            "preferences",
        ];
        let others = proptest::collection::vec(
            (
                prop_oneof![Just("number"), Just("expired_count"), Just("status")],
                value(),
            ),
            0..4,
        );
        (known, others)
            .prop_map(move |((a, b, c, d, e, f), others)| {
                let mut fields: Vec<String> = names
                    .iter()
                    .zip([a, b, c, d, e, f])
                    .map(|(n, v)| format!("\"{n}\":{v}"))
                    .collect();
                fields.extend(others.into_iter().map(|(n, v)| format!("\"{n}\":{v}")));
                fields
            })
            .prop_shuffle()
    }

    proptest! {
        /// Whenever the scan reads a row, the JSON parser reads the same from it; and a row as kezek writes it
        /// is read by the scan.
        #[test]
        fn r_v1_the_scan_reads_a_row_as_the_parser_does(
            fields in fields(),
            drop in 0..8usize,
            shape in 0..4u8,
            key in "[A-Z0-9.]{1,8}",
        ) {
            let mut fields = fields;
            if drop < fields.len() && shape == 3 {
                fields.remove(drop);
            }
            let body = match shape {
                1 => "\"fields\":null,".to_string(),
                2 => String::new(),
                _ => format!("\"fields\":{{{}}},", fields.join(",")),
            };
            let row = format!("{{{body}\"key\":\"{key}\",\"table\":\"application\"}}");
            match read(&row) {
                Some(got) => prop_assert_eq!(Ok(format!("{got:?}")), parsed(&row), "{}", row),
                None => prop_assert!(shape == 0 || shape == 3, "{}", row),
            }
        }
    }
}
