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
struct HeadText {
    #[serde(flatten)]
    head: Head,
    #[allow(dead_code)]
    rows: serde::de::IgnoredAny,
}

#[derive(Deserialize)]
struct TailText {
    #[serde(flatten)]
    tail: Tail,
    #[allow(dead_code)]
    rows: serde::de::IgnoredAny,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Head,
    Rows,
    Tail,
}

/// One record, fed part by part.
pub struct RecordParts {
    buf: String,
    phase: Phase,
    head: Option<Head>,
    /// How far into `buf` the rows are scanned, and the scanner's state there.
    scanned: usize,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Where the row being scanned starts, and where the complete rows waiting to be handed on end.
    row_start: usize,
    complete: Vec<(usize, usize)>,
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
            scanned: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            row_start: 0,
            complete: Vec::new(),
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
            let text: HeadText = serde_json::from_str(&format!("{}]}}", &self.buf[..end]))
                .map_err(|e| format!("the record's head: {e}"))?;
            self.head = Some(text.head);
            self.buf.drain(..end);
            self.phase = Phase::Rows;
        }
        if self.phase == Phase::Rows {
            self.scan()?;
            let waiting = self.complete.last().map_or(0, |c| c.1);
            if self.phase == Phase::Tail || waiting >= BATCH_BYTES {
                self.hand_on(rows);
            }
        }
        Ok(())
    }

    /// Scans `buf` from where the last scan stopped, noting each complete row, up to the end of the rows.
    fn scan(&mut self) -> Result<(), String> {
        let bytes = self.buf.as_bytes();
        let (mut i, mut depth, mut escaped) = (self.scanned, self.depth, self.escaped);
        let mut in_string = self.in_string;
        let mut result = Ok(());
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
                (b'"', _) => in_string = true,
                (b'{', 0) => {
                    self.row_start = i;
                    depth = 1;
                }
                (b']', 0) => {
                    self.phase = Phase::Tail;
                    i += 1;
                    break;
                }
                (b',', 0) => {}
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
        (self.scanned, self.depth, self.escaped) = (i, depth, escaped);
        self.in_string = in_string;
        result
    }

    /// Hands the complete rows on and forgets them.
    fn hand_on(&mut self, rows: &mut impl FnMut(&[&str])) {
        if !self.complete.is_empty() {
            let texts: Vec<&str> = self
                .complete
                .iter()
                .map(|&(from, to)| &self.buf[from..to])
                .collect();
            rows(&texts);
        }
        let done = match self.phase {
            Phase::Tail => self.scanned,
            _ => self.complete.last().map_or(0, |c| c.1),
        };
        self.complete.clear();
        self.buf.drain(..done);
        self.scanned -= done;
        self.row_start = self.row_start.saturating_sub(done);
    }

    /// The record's head and tail, once every part is fed.
    pub fn finish(self) -> Result<(Head, Tail), String> {
        let head = self.head.ok_or("the record has no rows")?;
        if self.phase != Phase::Tail {
            return Err("the record's rows do not end".to_string());
        }
        let text: TailText = serde_json::from_str(&format!("{{\"rows\":[]{}", self.buf))
            .map_err(|e| format!("the record's tail: {e}"))?;
        Ok((head, text.tail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::canonical::canonical;
    use crate::domain::record::Record;
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
        #[test]
        fn r_v1_a_record_read_in_parts_gives_the_rows_of_the_whole(
            rows in 0usize..40,
            cuts in proptest::collection::vec(0usize..100_000, 0..30),
        ) {
            let text = record(rows);
            let whole = Record::parse(&text).unwrap();
            let (got, head, tail) = fed(&text, &cuts);
            let want: Vec<String> = whole.rows.iter().map(|r| r.get().to_string()).collect();
            prop_assert_eq!(got, want);
            prop_assert_eq!(head.effective_at, whole.effective_at.as_ref());
            prop_assert_eq!(head.kind, whole.kind.as_ref());
            prop_assert_eq!(head.officer.as_deref(), whole.officer.as_deref());
            prop_assert_eq!(head.recorded_at, whole.recorded_at.as_ref());
            prop_assert_eq!((tail.seq, tail.subject.as_str()), (whole.seq, whole.subject.as_ref()));
        }
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
