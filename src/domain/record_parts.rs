//! A public record read in the parts it is stored in (R-V1: at most 64 KiB each), its rows handed on in batches
//! as they complete, so that the record of an import of ten million applications is never held whole (R-O2).
//!
//! A record is canonical JSON, so its keys come in byte order: `effective_at`, `kind`, `officer`,
//! `recorded_at` (the head), `rows`, then `seq` and `subject` (the tail). The rows are found by their brackets
//! outside strings; each is handed on as its own text, for `record::Row` and `record::ApplicationRow` to parse.

use serde::Deserialize;

/// Rows are handed on once this many bytes of complete rows are waiting (or at the end of the rows): enough
/// for a batch to be parsed on two threads, little enough to bound the memory.
const BATCH_BYTES: usize = 1 << 20;

const ROWS_OPEN: &str = ",\"rows\":[";

/// The fields of a record that come before its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Head {
    pub effective_at: String,
    pub kind: String,
    pub officer: Option<String>,
    pub recorded_at: String,
}

/// The fields of a record that come after its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Tail {
    pub seq: i64,
    pub subject: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadText {
    effective_at: String,
    kind: String,
    officer: Option<String>,
    recorded_at: String,
    #[allow(dead_code)]
    rows: serde::de::IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TailText {
    #[allow(dead_code)]
    rows: serde::de::IgnoredAny,
    seq: i64,
    subject: String,
}

/// The head of a record from its text up to and including `,"rows":[`.
fn head(text: &str) -> Result<Head, String> {
    let t: HeadText = serde_json::from_str(&format!("{text}]}}"))
        .map_err(|e| format!("the record's head: {e}"))?;
    Ok(Head {
        effective_at: t.effective_at,
        kind: t.kind,
        officer: t.officer,
        recorded_at: t.recorded_at,
    })
}

/// The tail of a record from its text after the rows' `]`.
fn tail(text: &str) -> Result<Tail, String> {
    let t: TailText = serde_json::from_str(&format!("{{\"rows\":[]{text}"))
        .map_err(|e| format!("the record's tail: {e}"))?;
    Ok(Tail {
        seq: t.seq,
        subject: t.subject,
    })
}

/// A whole record's head, rows and tail, its rows borrowed from `line` (one scan, no copy), when the line is laid
/// out as a canonical record is; `None` otherwise (the caller parses it whole, and says why it is not a record).
pub fn split(line: &str) -> Option<Split<'_>> {
    let open = line.find(ROWS_OPEN)? + ROWS_OPEN.len();
    let head = head(&line[..open]).ok()?;
    let mut scan = RowScan::default();
    let end = scan.scan(line.as_bytes(), open).ok()??;
    let tail = tail(&line[end..]).ok()?;
    let rows = scan
        .complete
        .iter()
        .map(|&(from, to)| &line[from..to])
        .collect();
    Some(Split { head, rows, tail })
}

/// A record split by `split`.
#[derive(Debug)]
pub struct Split<'a> {
    pub head: Head,
    pub rows: Vec<&'a str>,
    pub tail: Tail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Head,
    Rows,
    Tail,
}

/// Finds the rows of a record's `rows` array by their brackets outside strings: each row an object, one comma
/// between two rows, nothing else. Keeps its state between scans, so that the text may come in parts.
#[derive(Debug, Default)]
struct RowScan {
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// A row must come next (after `,`), or may (at the start).
    row_due: bool,
    started: bool,
    /// How far the text is scanned.
    scanned: usize,
    /// Where the row being scanned starts, and the complete rows found, as byte ranges.
    row_start: usize,
    complete: Vec<(usize, usize)>,
}

impl RowScan {
    /// Scans `bytes` from `from` (the text the last scan stopped at, or the first byte of the rows). Returns
    /// `Some(i)` with the index after the rows' `]` once it is found, `None` when the text ends before it.
    fn scan(&mut self, bytes: &[u8], from: usize) -> Result<Option<usize>, String> {
        let (mut i, mut depth, mut escaped) = (from, self.depth, self.escaped);
        let mut in_string = self.in_string;
        let mut result = Ok(None);
        while i < bytes.len() {
            if in_string {
                // Most of a row is strings: jump to the next quote or backslash.
                if escaped {
                    escaped = false;
                    i += 1;
                    continue;
                }
                match memchr::memchr2(b'"', b'\\', &bytes[i..]) {
                    Some(n) => {
                        i += n;
                        if bytes[i] == b'\\' {
                            escaped = true;
                        } else {
                            in_string = false;
                        }
                        i += 1;
                    }
                    None => i = bytes.len(),
                }
                continue;
            }
            let b = bytes[i];
            match (b, depth) {
                (b'"', d) if d > 0 => in_string = true,
                (b'{', 0) if self.row_due || !self.started => {
                    self.row_start = i;
                    self.row_due = false;
                    self.started = true;
                    depth = 1;
                }
                (b']', 0) if !self.row_due => {
                    result = Ok(Some(i + 1));
                    i += 1;
                    break;
                }
                (b',', 0) if self.started && !self.row_due => self.row_due = true,
                (_, 0) => {
                    result = Err(format!(
                        "the rows: `{}` at byte {i} where a row should start",
                        char::from(b)
                    ));
                    break;
                }
                (b'{' | b'[', _) => depth += 1,
                (b'}' | b']', d) => {
                    depth = d - 1;
                    if depth == 0 {
                        self.complete.push((self.row_start, i + 1));
                    }
                }
                _ => {}
            }
            i += 1;
        }
        (self.depth, self.escaped, self.in_string) = (depth, escaped, in_string);
        self.scanned = i;
        result
    }
}

/// One record, fed part by part.
pub struct RecordParts {
    buf: String,
    phase: Phase,
    head: Option<Head>,
    rows: RowScan,
}

impl Default for RecordParts {
    fn default() -> Self {
        RecordParts::new()
    }
}

impl RecordParts {
    pub fn new() -> RecordParts {
        RecordParts {
            buf: String::new(),
            phase: Phase::Head,
            head: None,
            rows: RowScan::default(),
        }
    }

    /// The next part of the record; complete rows are handed to `rows` in batches, in their order.
    pub fn feed(&mut self, part: &str, rows: &mut impl FnMut(&[&str])) -> Result<(), String> {
        self.buf.push_str(part);
        if self.phase == Phase::Head {
            let Some(at) = self.buf.find(ROWS_OPEN) else {
                return Ok(());
            };
            let end = at + ROWS_OPEN.len();
            self.head = Some(head(&self.buf[..end])?);
            self.buf.drain(..end);
            self.phase = Phase::Rows;
        }
        if self.phase == Phase::Rows {
            if self
                .rows
                .scan(self.buf.as_bytes(), self.rows.scanned)?
                .is_some()
            {
                self.phase = Phase::Tail;
            }
            let waiting = self.rows.complete.last().map_or(0, |c| c.1);
            if self.phase == Phase::Tail || waiting >= BATCH_BYTES {
                self.hand_on(rows);
            }
        }
        Ok(())
    }

    /// Hands the complete rows on and forgets them.
    fn hand_on(&mut self, rows: &mut impl FnMut(&[&str])) {
        let scan = &mut self.rows;
        if !scan.complete.is_empty() {
            let texts: Vec<&str> = scan
                .complete
                .iter()
                .map(|&(from, to)| &self.buf[from..to])
                .collect();
            rows(&texts);
        }
        let done = match self.phase {
            Phase::Tail => scan.scanned,
            _ => scan.complete.last().map_or(0, |c| c.1),
        };
        scan.complete.clear();
        self.buf.drain(..done);
        scan.scanned -= done;
        scan.row_start = scan.row_start.saturating_sub(done);
    }

    /// The record's head and tail, once every part is fed.
    pub fn finish(self) -> Result<(Head, Tail), String> {
        let head = self.head.ok_or("the record has no rows")?;
        if self.phase != Phase::Tail {
            return Err("the record's rows do not end".to_string());
        }
        Ok((head, tail(&self.buf)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::canonical::canonical;
    use proptest::prelude::*;
    use serde_json::json;

    fn record(rows: usize) -> String {
        let rows: Vec<_> = (0..rows)
            .map(|n| {
                json!({"table": "application", "key": format!("N{n}"), "fields": {"number": format!("N{n}"),
                    "status": "queued", "note": "a \"quoted\" ] } [ { , \\ text"}})
            })
            .collect();
        canonical(
            &json!({"seq": 42, "effective_at": "2026-03-02T09:00:00+05:00", "kind": "application.import",
            "recorded_at": "2026-03-02T09:00:01+05:00", "officer": "ivanova", "subject": "a.csv", "rows": rows}),
        )
    }

    /// The record fed in parts cut at `cuts`, the rows it handed on and its head and tail.
    fn fed(text: &str, cuts: &[usize]) -> (Vec<String>, Head, Tail) {
        let mut parts = RecordParts::new();
        let mut rows = Vec::new();
        let mut from = 0;
        let mut ends: Vec<usize> = cuts
            .iter()
            .map(|c| c % (text.len() + 1))
            .filter(|c| text.is_char_boundary(*c))
            .collect();
        ends.push(text.len());
        ends.sort_unstable();
        for to in ends {
            parts
                .feed(&text[from..to], &mut |batch: &[&str]| {
                    rows.extend(batch.iter().map(|r| r.to_string()))
                })
                .unwrap();
            from = to;
        }
        let (head, tail) = parts.finish().unwrap();
        (rows, head, tail)
    }

    proptest! {
        /// Fed in parts cut anywhere, or split whole, a record gives the rows, head and tail a JSON parser reads.
        #[test]
        fn r_v1_a_record_read_in_parts_gives_the_rows_of_the_whole(
            rows in 0usize..40,
            cuts in proptest::collection::vec(0usize..100_000, 0..30),
        ) {
            let text = record(rows);
            let whole: serde_json::Value = serde_json::from_str(&text).unwrap();
            let want: Vec<String> = whole["rows"].as_array().unwrap().iter().map(canonical).collect();
            let (got, head, tail) = fed(&text, &cuts);
            prop_assert_eq!(&got, &want);
            let whole_split = split(&text).unwrap();
            prop_assert_eq!(&whole_split.rows, &want);
            prop_assert_eq!(&whole_split.head, &head);
            prop_assert_eq!(&whole_split.tail, &tail);
            prop_assert_eq!(head.effective_at.as_str(), whole["effective_at"].as_str().unwrap());
            prop_assert_eq!(head.kind.as_str(), whole["kind"].as_str().unwrap());
            prop_assert_eq!(head.officer.as_deref(), whole["officer"].as_str());
            prop_assert_eq!(head.recorded_at.as_str(), whole["recorded_at"].as_str().unwrap());
            prop_assert_eq!(tail.seq, whole["seq"].as_i64().unwrap());
            prop_assert_eq!(tail.subject.as_str(), whole["subject"].as_str().unwrap());
        }
    }

    #[test]
    fn r_v1_a_record_not_laid_out_as_canonical_is_not_split() {
        let text = record(3);
        for other in [
            text.replacen("},{", "},,{", 1),
            text.replacen("},{", "} ,{", 1),
            text.replacen(",\"rows\":[{", ",\"rows\":[,{", 1),
            text.replacen("}],\"seq\"", "},],\"seq\"", 1),
            text.replacen(",\"seq\":42", ",\"seq\":42,\"extra\":1", 1),
            text.replacen("{\"effective_at\"", "{\"extra\":1,\"effective_at\"", 1),
            text.replacen(",\"rows\":[{", ",\"rows\":[\"x\",{", 1),
        ] {
            assert_ne!(other, text);
            assert!(split(&other).is_none(), "{other}");
        }
        assert_eq!(split(&text).unwrap().rows.len(), 3);
    }

    #[test]
    fn r_o2_a_large_record_is_handed_on_in_batches_never_whole() {
        let text = record(40_000);
        let mut parts = RecordParts::new();
        let (mut batches, mut rows, mut held) = (0, 0, 0);
        for chunk in text.as_bytes().chunks(64 * 1024) {
            parts
                .feed(std::str::from_utf8(chunk).unwrap(), &mut |b: &[&str]| {
                    batches += 1;
                    rows += b.len();
                })
                .unwrap();
            held = held.max(parts.buf.len());
        }
        assert_eq!(rows, 40_000);
        assert!(batches > 2, "{batches} batches");
        assert!(
            held < 2 * BATCH_BYTES,
            "{held} bytes held of {}",
            text.len()
        );
        assert_eq!(parts.finish().unwrap().1.seq, 42);
    }

    #[test]
    fn r_v1_a_broken_record_is_refused_not_guessed() {
        let text = record(2);
        for broken in [
            text.replacen(",\"rows\":[", ",\"rowz\":[", 1),
            text.replacen("],\"seq\"", ",\"seq\"", 1),
            text.replacen("{\"fields\"", "x{\"fields\"", 1),
        ] {
            let mut parts = RecordParts::new();
            let fed = parts.feed(&broken, &mut |_: &[&str]| {});
            assert!(fed.is_err() || parts.finish().is_err(), "{broken}");
        }
    }
}
