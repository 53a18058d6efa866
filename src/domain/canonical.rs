//! Canonical JSON (R-V1): object keys sorted by their UTF-8 bytes, no whitespace outside strings, strings
//! escaped and numbers written as `serde_json` writes them. Written directly (the write path of every changing
//! command builds no map) and checked directly (a reader compares a line with the canonical form of what it
//! parses, token by token, without building a tree of values).

use std::fmt::{self, Write as _};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The canonical text of a JSON value.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

/// `canonical(value)` appended to `out`.
pub(crate) fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        Value::String(text) => write_string(out, text),
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// A JSON string as `serde_json` writes it; a string with nothing to escape is copied as it is.
pub(crate) fn write_string(out: &mut String, text: &str) {
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(text).expect("a string serializes"));
    }
}

/// Whether `text` is the canonical JSON of the value it holds: one scan of its bytes decides the texts kezek
/// writes (`canonical_scan`), the parsing check below the rest.
pub fn is_canonical(text: &str) -> bool {
    super::canonical_scan::scan(text).unwrap_or_else(|| parses_canonical(text))
}

/// Whether `text` is canonical, by parsing it and matching its canonical form against it token by token: the
/// definition the scan is tested against.
pub(crate) fn parses_canonical(text: &str) -> bool {
    let mut expect = Expect {
        text: text.as_bytes(),
        at: 0,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    Canon(&mut expect).deserialize(&mut de).is_ok() && expect.at == text.len()
}

/// The text being checked, and how much of it the canonical form has matched so far.
struct Expect<'t> {
    text: &'t [u8],
    at: usize,
}

impl Expect<'_> {
    /// Takes the comma that separates two elements, if it is next.
    fn comma(&mut self) -> bool {
        let next = self.text.get(self.at) == Some(&b',');
        self.at += usize::from(next);
        next
    }
}

impl fmt::Write for Expect<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.at + s.len();
        if self.text.get(self.at..end) == Some(s.as_bytes()) {
            self.at = end;
            Ok(())
        } else {
            Err(fmt::Error)
        }
    }
}

impl std::io::Write for Expect<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let end = self.at + buf.len();
        if self.text.get(self.at..end) == Some(buf) {
            self.at = end;
            Ok(buf.len())
        } else {
            Err(std::io::ErrorKind::InvalidData.into())
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn differs<E: de::Error>() -> E {
    E::custom("not canonical")
}

/// Parses one value, matching its canonical form against the text as it goes.
struct Canon<'e, 't>(&'e mut Expect<'t>);

impl Canon<'_, '_> {
    fn scalar<T: serde::Serialize, E: de::Error>(self, value: T) -> Result<(), E> {
        serde_json::to_writer(&mut *self.0, &value).map_err(|_| differs())
    }

    fn punct<E: de::Error>(&mut self, s: &str) -> Result<(), E> {
        self.0.write_str(s).map_err(|_| differs())
    }
}

impl<'de> DeserializeSeed<'de> for Canon<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Canon<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("canonical JSON")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.punct("[")?;
        let mut first = true;
        loop {
            let comma = !first && self.0.comma();
            match seq.next_element_seed(Canon(&mut *self.0))? {
                Some(()) if first || comma => first = false,
                None if !comma => break,
                _ => return Err(differs()),
            }
        }
        self.punct("]")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.punct("{")?;
        let mut previous: Option<String> = None;
        loop {
            let first = previous.is_none();
            let comma = !first && self.0.comma();
            let key = Key {
                expect: &mut *self.0,
                previous: &mut previous,
            };
            match map.next_key_seed(key)? {
                Some(()) if first || comma => {
                    self.punct(":")?;
                    map.next_value_seed(Canon(&mut *self.0))?;
                }
                None if !comma => break,
                _ => return Err(differs()),
            }
        }
        self.punct("}")
    }
}

/// An object's key: written as a string, and after the one before it in byte order.
struct Key<'e, 't, 'p> {
    expect: &'e mut Expect<'t>,
    previous: &'p mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if self
            .previous
            .as_deref()
            .is_some_and(|p| p.as_bytes() >= v.as_bytes())
        {
            return Err(differs());
        }
        serde_json::to_writer(&mut *self.expect, v).map_err(|_| differs())?;
        let previous = self.previous.get_or_insert_with(String::new);
        previous.clear();
        previous.push_str(v);
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn r_v1_canonical_json_sorts_keys_and_has_no_whitespace() {
        let v = json!({"subject": "DDO.2026.000001.1", "b": [1, {"z": null, "a": "x y"}], "a": true, "é": 1, "Z": 2});
        assert_eq!(
            canonical(&v),
            r#"{"Z":2,"a":true,"b":[1,{"a":"x y","z":null}],"subject":"DDO.2026.000001.1","é":1}"#
        );
        assert_eq!(
            canonical(&json!("line\nbreak \"q\"")),
            r#""line\nbreak \"q\"""#
        );
    }

    pub(crate) fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            ".*".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(".*", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The canonical text parses back to the same value, and the same value always gives the same text
        /// (whatever order its keys were inserted in).
        #[test]
        fn r_v1_canonical_json_round_trips(v in json_value()) {
            let text = canonical(&v);
            let back: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(&back, &v);
            prop_assert_eq!(canonical(&back), text.clone());
        }

        /// Whatever the text of a value, the check says whether it is the canonical one.
        #[test]
        fn r_v1_the_canonical_check_agrees_with_the_canonical_text(v in json_value(), pretty in any::<bool>()) {
            let text = canonical(&v);
            prop_assert!(is_canonical(&text), "{}", text);
            let other = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                serde_json::to_string(&v).unwrap()
            };
            prop_assert_eq!(is_canonical(&other), other == text);
        }
    }

    /// Texts that are not canonical JSON, each for its own reason.
    pub(crate) const NOT_CANONICAL: [&str; 12] = [
        r#"{"b":1,"a":2}"#,
        r#"{"a":1,"a":1}"#,
        r#"{"a": 1}"#,
        r#"[1 ,2]"#,
        r#"[1,2] "#,
        r#""\u0041""#,
        r#""a\/b""#,
        r#"-0"#,
        r#"1E2"#,
        r#"{"a":[1,2],}"#,
        r#"{"a":1}{"#,
        r#""#,
    ];

    #[test]
    fn r_v1_text_that_is_not_canonical_is_seen() {
        for text in NOT_CANONICAL {
            assert!(!is_canonical(text), "{text}");
        }
        for text in [
            r#"{"a":[1,{"b":null,"c":"\n"}],"b":true}"#,
            "[]",
            "{}",
            r#""é""#,
            "-5",
            "1.5",
        ] {
            assert!(is_canonical(text), "{text}");
        }
    }
}
