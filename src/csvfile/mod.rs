//! Reading the CSV files officers and scripts feed kezek: a header row, columns in any order, unknown columns
//! refused. UTF-8 and comma-separated as scripts write them, or as Excel in Kazakhstan saves them: separated by
//! semicolons (told from the header row) and in Windows-1251 (a file that is not UTF-8 is decoded as such);
//! `notes` says which, for the officer. Line ends may be LF, CRLF or a lone CR. Rows stream; each comes with the line
//! it starts on, for error messages. A quote still open at the end of the file is an error, not a value that
//! runs to the end. What an import makes of the rows (bad rows, all or nothing) is `store::import`'s.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::crypto;
use crate::error::{Error, Result, RowError};
use crate::tr;

mod dialect;
mod line_ends;

pub use dialect::digest_file;
use dialect::{digest_file_utf8, read_up_to, reads_as_utf8, utf16_refused, Dialect};
use line_ends::LineEnds;

/// The columns of a file by name: looked up for every field of every row, so hashed quickly.
type Columns = HashMap<String, usize, foldhash::fast::RandomState>;

pub struct CsvFile {
    reader: csv::Reader<LineEnds<Box<dyn Read + Send>>>,
    columns: Columns,
    /// The header's column names by position, to name a field in a message.
    names: Vec<String>,
    source: Source,
    required: Vec<String>,
    optional: Vec<String>,
    dialect: Dialect,
    pub name: String,
    pub len: u64,
    pub sha256: String,
    /// How the file was read, when not as UTF-8 with commas: for the officer to see.
    pub notes: Vec<String>,
}

/// The longest header cell a message may show: longer than any column name. A cell that could not be a column
/// name is not shown at all, since a file without its header row has a family's data in its first line.
const MAX_COLUMN_NAME: usize = 32;

/// Where the rows come from, so that a second pass can read them again.
#[derive(Clone)]
enum Source {
    File(std::path::PathBuf),
    Bytes(std::sync::Arc<[u8]>),
}

impl Source {
    /// The bytes again, from the start (`name` for a message).
    fn open(&self, name: &str) -> Result<Box<dyn Read + Send>> {
        Ok(match self {
            Source::File(path) => Box::new(File::open(path).map_err(|e| open_error(name, e))?),
            Source::Bytes(bytes) => Box::new(std::io::Cursor::new(bytes.clone())),
        })
    }
}

/// One data row: its line number and its fields by column name.
pub struct Row<'a> {
    pub line: u64,
    record: &'a csv::StringRecord,
    columns: &'a Columns,
}

impl Row<'_> {
    /// The value of a column; an optional column that is absent reads as empty.
    pub fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
    }

    /// An optional column: absent or empty is `None`.
    pub fn optional(&self, column: &str) -> Option<&str> {
        Some(self.get(column).trim()).filter(|v| !v.is_empty())
    }
}

impl CsvFile {
    /// Opens a file and checks its header: every `required` column present, nothing outside
    /// `required` + `optional`.
    pub fn open(path: &Path, required: &[&str], optional: &[&str]) -> Result<CsvFile> {
        let name = path.display().to_string();
        let (len, sha256, utf8) = digest_file_utf8(path)?;
        let mut file = File::open(path).map_err(|e| open_error(&name, e))?;
        let mut head = vec![0u8; 1 << 16];
        let n = read_up_to(&mut file, &mut head).map_err(|e| open_error(&name, e))?;
        utf16_refused(&name, &head[..n])?;
        let dialect = Dialect::of(&head[..n], utf8);
        let file = File::open(path).map_err(|e| open_error(&name, e))?;
        let source = Source::File(path.to_path_buf());
        CsvFile::from_reader(
            name,
            source,
            dialect.input(Box::new(file)),
            dialect,
            (len, sha256),
            required,
            optional,
        )
    }

    /// A file already in memory (the samples built into `kezek demo`).
    pub fn from_bytes(
        name: &str,
        bytes: Vec<u8>,
        required: &[&str],
        optional: &[&str],
    ) -> Result<CsvFile> {
        let sha256 = crypto::hex(&crypto::sha256(&bytes));
        let len = bytes.len() as u64;
        utf16_refused(name, &bytes)?;
        let dialect = Dialect::of(&bytes, reads_as_utf8(&bytes));
        let bytes: std::sync::Arc<[u8]> = bytes.into();
        let input = dialect.input(Box::new(std::io::Cursor::new(bytes.clone())));
        let source = Source::Bytes(bytes);
        CsvFile::from_reader(
            name.to_string(),
            source,
            input,
            dialect,
            (len, sha256),
            required,
            optional,
        )
    }

    /// A second, independent pass over the same rows, for an import that must know the whole file first.
    pub fn reopen(&self) -> Result<CsvFile> {
        let required: Vec<&str> = self.required.iter().map(String::as_str).collect();
        let optional: Vec<&str> = self.optional.iter().map(String::as_str).collect();
        let input = self.source.open(&self.name)?;
        let (name, source, len, sha) = (
            self.name.clone(),
            self.source.clone(),
            self.len,
            self.sha256.clone(),
        );
        let input = self.dialect.input(input);
        CsvFile::from_reader(
            name,
            source,
            input,
            self.dialect,
            (len, sha),
            &required,
            &optional,
        )
    }

    pub fn has_column(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    fn from_reader(
        name: String,
        source: Source,
        input: Box<dyn Read + Send>,
        dialect: Dialect,
        (len, sha256): (u64, String),
        required: &[&str],
        optional: &[&str],
    ) -> Result<CsvFile> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .delimiter(dialect.delimiter)
            .flexible(false)
            .from_reader(LineEnds::new(input));
        let mut expected = required.join(",");
        if !optional.is_empty() {
            expected.push_str(&format!(" [{}]", optional.join(",")));
        }
        let refuse = |line: u64, message: String| Error::BadRows {
            file: name.clone(),
            count: 1,
            rows: vec![RowError { line, message }],
        };
        if len == 0 {
            return Err(refuse(
                1,
                tr!("err-csvfile-empty", expected = expected.clone()),
            ));
        }
        let header = match reader.byte_headers().cloned() {
            Ok(header) => header,
            Err(e) => {
                return Err(match reader.get_ref().unclosed_quote() {
                    Some(quote) => refuse(
                        quote.record_line,
                        tr!(
                            "err-csvfile-header-unclosed",
                            line = quote.line as i64,
                            expected = expected.clone()
                        ),
                    ),
                    None => refuse(1, tr!("err-csvfile-header", reason = csv_reason(&e))),
                })
            }
        };
        // A file of blank lines has no header record: its header is line 1.
        let line = if header.is_empty() {
            1
        } else {
            start_line(reader.position().line(), &header)
        };
        let mut cells = Vec::with_capacity(header.len());
        for (i, cell) in header.iter().enumerate() {
            let Ok(cell) = std::str::from_utf8(cell) else {
                return Err(refuse(
                    line,
                    tr!(
                        "err-csvfile-header-not-utf8",
                        column = i as i64 + 1,
                        expected = expected.clone()
                    ),
                ));
            };
            cells.push(cell.trim_start_matches('\u{feff}').trim().to_string());
        }
        let known = |cell: &str| required.contains(&cell) || optional.contains(&cell);
        if !cells.iter().any(|c| known(c)) && cells.iter().any(|c| !showable(c)) {
            return Err(refuse(
                line,
                tr!(
                    "err-csvfile-not-a-header",
                    line = line as i64,
                    expected = expected.clone()
                ),
            ));
        }
        let mut columns = Columns::default();
        let mut problems = Vec::new();
        for (i, h) in cells.iter().enumerate() {
            if !known(h) {
                if showable(h) {
                    problems.push(tr!("err-csvfile-unknown-column", column = h.clone()));
                } else {
                    problems.push(tr!(
                        "err-csvfile-unknown-column-at",
                        position = i as i64 + 1
                    ));
                }
            } else if columns.insert(h.clone(), i).is_some() {
                problems.push(tr!("err-csvfile-column-twice", column = h.clone()));
            }
        }
        for r in required {
            if !columns.contains_key(*r) {
                problems.push(tr!("err-csvfile-missing-column", column = r.to_string()));
            }
        }
        if !problems.is_empty() {
            return Err(refuse(
                line,
                tr!(
                    "err-csvfile-header-problems",
                    problems = problems.join("; "),
                    expected = expected.clone()
                ),
            ));
        }
        Ok(CsvFile {
            reader,
            columns,
            names: cells,
            source,
            required: required.iter().map(|s| s.to_string()).collect(),
            optional: optional.iter().map(|s| s.to_string()).collect(),
            dialect,
            name,
            len,
            sha256,
            notes: dialect.notes(),
        })
    }

    /// Calls `each` for every data row with the line it starts on; a row the CSV reader cannot read becomes a
    /// row error. A quote left open at the end of the file ends the rows with an error naming its line.
    pub fn for_each(
        &mut self,
        mut each: impl FnMut(Result<Row<'_>, RowError>, u64) -> Result<()>,
    ) -> Result<()> {
        // One record read into again and again: a row lends its fields to `each` and gives them back.
        let mut record = csv::ByteRecord::new();
        loop {
            let read = self.reader.read_byte_record(&mut record);
            let position = self.reader.position();
            let (line, byte) = (start_line(position.line(), &record), position.byte());
            match read {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    match csv::StringRecord::from_byte_record(std::mem::take(&mut record)) {
                        Ok(text) => {
                            let row = Row {
                                line,
                                record: &text,
                                columns: &self.columns,
                            };
                            let outcome = each(Ok(row), byte);
                            record = text.into_byte_record();
                            outcome?;
                        }
                        Err(e) => {
                            let message = tr!(
                                "err-csvfile-not-utf8",
                                field = field_name(&self.names, e.utf8_error().field())
                            );
                            record = e.into_byte_record();
                            each(Err(RowError { line, message }), byte)?;
                        }
                    }
                }
                Err(e) => match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => each(
                        Err(RowError {
                            line,
                            message: field_count(*len, *expected_len),
                        }),
                        byte,
                    )?,
                    _ => {
                        let error = match self.reader.get_ref().unclosed_quote() {
                            Some(quote) => RowError {
                                line: quote.line,
                                message: tr!(
                                    "err-csvfile-unclosed",
                                    field = field_name(&self.names, quote.field),
                                    line = quote.line as i64
                                ),
                            },
                            None => RowError {
                                line,
                                message: csv_reason(&e),
                            },
                        };
                        return each(Err(error), byte);
                    }
                },
            }
        }
    }

    /// Calls `each` with the values of `columns` in every row the reader can read (empty where a column is
    /// absent or a value is not UTF-8), and stops at a row it cannot read past: a first pass that needs a few
    /// columns of a file, without decoding the rest of each row. It reads the file again from the start, as the
    /// CSV reader takes it: no line is counted, so its line ends (`\r`, `\n` and `\r\n` alike to the reader)
    /// and quotes are not followed as `for_each` follows them, which would double the pass's time.
    pub fn for_each_value<const N: usize>(
        &self,
        columns: [&str; N],
        mut each: impl FnMut([&str; N]),
    ) -> Result<()> {
        let at = columns.map(|c| self.columns.get(c).copied());
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .delimiter(self.dialect.delimiter)
            .buffer_capacity(1 << 16)
            .from_reader(self.dialect.input(self.source.open(&self.name)?));
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => each(at.map(|i| {
                    i.and_then(|i| record.get(i))
                        .and_then(|v| std::str::from_utf8(v).ok())
                        .unwrap_or("")
                })),
                Err(e) if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) => {}
                Ok(false) | Err(_) => return Ok(()),
            }
        }
    }
}

/// The line a record starts on, from the reader's line after it: every record ends with a line end (the
/// reader supplies a missing last one), and the blank lines the CSV reader skips before a record are counted
/// in neither the record nor its line breaks.
fn start_line(line_after: u64, record: &csv::ByteRecord) -> u64 {
    let breaks = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
    line_after.saturating_sub(1 + breaks).max(1)
}

/// The column of a field by its position; a field past the header by its number.
fn field_name(names: &[String], i: usize) -> String {
    names
        .get(i)
        .cloned()
        .unwrap_or_else(|| tr!("err-csvfile-field", position = i as i64 + 1))
}

/// Whether a header cell may be shown in a message: empty, or something that could be a column name (short,
/// ASCII, no spaces). A family's name, IIN, phone or e-mail never is.
fn showable(cell: &str) -> bool {
    cell.is_empty()
        || (cell.len() <= MAX_COLUMN_NAME
            && cell.starts_with(|c: char| c.is_ascii_alphabetic())
            && cell
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '=')))
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            tr!("err-csvfile-reason-utf8", position = err.field() as i64 + 1)
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => field_count(*len, *expected_len),
        csv::ErrorKind::Io(io) => tr!("err-csvfile-read-error", error = io.to_string()),
        _ => e.to_string(),
    }
}

/// A row of `len` fields in a file whose header has `expected`.
fn field_count(len: u64, expected: u64) -> String {
    tr!(
        "err-csvfile-field-count",
        count = len as i64,
        expected = expected as i64
    )
}

pub(super) fn open_error(name: &str, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::NotFound(tr!("err-csvfile-file", name = name.to_string()))
        }
        _ => Error::bad(tr!(
            "err-csvfile-unreadable",
            name = name.to_string(),
            error = e.to_string()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(input: &[u8], chunk: usize) -> std::io::Result<Vec<u8>> {
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        LineEnds::new(Chunks(input, chunk)).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn crlf_and_lone_cr_read_as_lf_across_block_boundaries() {
        let input = b"a,b\r\n1,2\r\r\n\"x\ry\",3\r\n\r";
        for chunk in 1..=input.len() {
            assert_eq!(
                convert(input, chunk).unwrap(),
                b"a,b\n1,2\n\n\"x\ny\",3\n\n",
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn a_missing_last_line_end_is_supplied_and_an_empty_input_stays_empty() {
        assert_eq!(convert(b"a,b\n1,2", 3).unwrap(), b"a,b\n1,2\n");
        assert_eq!(convert(b"a,b\n", 3).unwrap(), b"a,b\n");
        assert_eq!(convert(b"", 3).unwrap(), b"");
    }

    #[test]
    fn the_end_of_input_inside_a_quoted_field_is_a_read_error() {
        for input in [&b"a\n\"x"[..], b"a,\"b\"\"\n", b"\"a\"\"b,c\n"] {
            let err = convert(input, 2).unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{input:?}");
        }
        // Closed quotes, doubled quotes, and quotes inside unquoted text are not open at the end.
        for input in [
            &b"\"a\"\n"[..],
            b"a,\"b\"\"c\"\n",
            b"a\"b,c\n",
            b"\"a\"b\"\n",
            b"\"\"\n",
        ] {
            assert!(convert(input, 2).is_ok(), "{input:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn line_end_conversion_matches_plain_replaces(bytes in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b'\r', b'\n', b',']), 0..64), chunk in 1usize..9) {
            let mut expected = String::from_utf8(bytes.clone())
                .unwrap()
                .replace("\r\n", "\n")
                .replace('\r', "\n");
            if !expected.is_empty() && !expected.ends_with('\n') {
                expected.push('\n');
            }
            proptest::prop_assert_eq!(convert(&bytes, chunk).unwrap(), expected.into_bytes());
        }

        /// Runs of plain bytes copied at once leave the quotes where feeding them one by one leaves them: the
        /// same bytes out, and the same quote open (or none) at the end, in blocks of any size.
        #[test]
        fn plain_runs_leave_the_quotes_as_byte_by_byte(bytes in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b'b', b'"', b',', b'\r', b'\n']), 0..64), chunk in 1usize..9) {
            let mut scan = line_ends::QuoteScan::default();
            let mut expected = Vec::new();
            let mut after_cr = false;
            for &b in &bytes {
                let was_cr = std::mem::replace(&mut after_cr, b == b'\r');
                if b == b'\n' && was_cr {
                    continue;
                }
                let b = if b == b'\r' { b'\n' } else { b };
                scan.feed(b);
                expected.push(b);
            }
            if expected.last().is_some_and(|&b| b != b'\n') && scan.open().is_none() {
                expected.push(b'\n');
            }
            match (convert(&bytes, chunk), scan.open()) {
                (Ok(out), None) => proptest::prop_assert_eq!(out, expected),
                (Err(e), Some(quote)) => proptest::prop_assert!(
                    e.to_string().contains(&format!("line {} ", quote.line)), "{} {:?}", e, quote
                ),
                (got, open) => proptest::prop_assert!(false, "{:?} against {:?}", got, open),
            }
        }

        /// Rows written with any line ends, blank lines between them and quoted values holding line breaks
        /// and doubled quotes are read with the line each starts on, and with their values.
        #[test]
        fn every_row_is_reported_on_the_line_it_starts(
            rows in proptest::collection::vec(
                (0usize..3, proptest::sample::select(vec!["v", "\"v\"", "\"a\nb\"", "\"a\r\nb\r\nc\"", "\"x\"\"y\"", "\"p\rq\""])),
                0..12),
            end in proptest::sample::select(vec!["\n", "\r\n", "\r"]),
            last_end in proptest::bool::ANY,
        ) {
            let mut text = format!("k,v{end}");
            let mut line = 2u64;
            let mut expected = Vec::new();
            for (i, (blank, value)) in rows.iter().enumerate() {
                for _ in 0..*blank {
                    text.push_str(end);
                    line += 1;
                }
                expected.push((line, i.to_string()));
                text.push_str(&format!("{i},{value}"));
                line += value.replace("\r\n", "\n").matches(['\n', '\r']).count() as u64;
                if last_end || i + 1 < rows.len() {
                    text.push_str(end);
                    line += 1;
                }
            }
            let mut file = CsvFile::from_bytes("t.csv", text.clone().into_bytes(), &["k", "v"], &[]).unwrap();
            let mut got = Vec::new();
            file.for_each(|row, _| {
                let row = row.expect("a good row");
                got.push((row.line, row.get("k").to_string()));
                Ok(())
            }).unwrap();
            proptest::prop_assert_eq!(got, expected, "{:?}", text);
        }
    }

    fn lines_of(bytes: &[u8]) -> Vec<(u64, String)> {
        let mut file = CsvFile::from_bytes("t.csv", bytes.to_vec(), &["k", "v"], &[]).unwrap();
        let mut out = Vec::new();
        file.for_each(|row, _| {
            out.push(match row {
                Ok(row) => (row.line, format!("{}={}", row.get("k"), row.get("v"))),
                Err(e) => (e.line, e.message),
            });
            Ok(())
        })
        .unwrap();
        out
    }

    fn header_error(bytes: &[u8]) -> RowError {
        match CsvFile::from_bytes("t.csv", bytes.to_vec(), &["k", "v"], &["w"]) {
            Err(Error::BadRows { rows, .. }) if rows.len() == 1 => rows[0].clone(),
            Err(e) => panic!("one header error, got {e}"),
            Ok(_) => panic!("{bytes:?} accepted"),
        }
    }

    #[test]
    fn blank_lines_before_a_row_count_in_its_line_number() {
        assert_eq!(
            lines_of(b"k,v\n\n\n\n1,a\n\n2,b"),
            vec![(5, "1=a".into()), (7, "2=b".into())]
        );
    }

    #[test]
    fn old_mac_line_ends_give_the_right_lines_and_values() {
        assert_eq!(
            lines_of(b"k,v\r1,a\r\r2,\"b\rc\"\r3,d\r"),
            vec![(2, "1=a".into()), (4, "2=b\nc".into()), (6, "3=d".into())]
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported_on_the_line_it_opened_in_its_column() {
        let lines = lines_of(b"k,v\n1,a\n2,\"b\n3,c\n4,d\n");
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0], (2, "1=a".into()));
        assert_eq!(lines[1].0, 3);
        assert!(lines[1].1.starts_with("v: unclosed quote"), "{lines:?}");
        assert!(lines[1].1.contains("opened on line 3"), "{lines:?}");
        // A record that starts with a good quoted line break and opens its quote on its second line.
        let lines = lines_of(b"k,v\n\"1\n\",\"b\n");
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0].0, 3, "{lines:?}");
    }

    /// The first pass of a few columns reads the rows `for_each` reads, whatever the line ends, the separator
    /// or the encoding, quoted values and a row of the wrong length among them.
    #[test]
    fn a_first_pass_of_a_few_columns_reads_the_values_the_rows_hold() {
        let files: [&[u8]; 5] = [
            b"\xef\xbb\xbfk,n,v\n1,a,x\n\n2,\"b,\r\nc\",y\n3,c\n4,d,z",
            b"k,n,v\r\n1,a,x\r\n\r\n2,\"b,\r\nc\",y\r\n3,c\r\n4,d,z\r\n",
            b"k,n,v\r1,a,x\r\r2,\"b,\r\nc\",y\r3,c\r4,d,z\r",
            b"k;n;v\n1;a;x\n2;\"b,\r\nc\";y\n3;c\n4;d;z\n",
            b"k;n;v\n1;a;x\n2;\"b,\r\nc\";y\n3;c\n4;d;\xe6\n",
        ];
        for bytes in files {
            let file = CsvFile::from_bytes("t.csv", bytes.to_vec(), &["k", "v"], &["n"]).unwrap();
            let mut seen = Vec::new();
            file.for_each_value(["k", "v"], |[k, v]| seen.push(format!("{k}={v}")))
                .unwrap();
            let z = if bytes.ends_with(b"\xe6\n") {
                "ж"
            } else {
                "z"
            };
            assert_eq!(seen, ["1=x", "2=y", &format!("4={z}")], "{bytes:?}");
        }
    }

    #[test]
    fn invalid_utf8_names_its_column() {
        // UTF-8 (its first letter outside ASCII is), with a damaged byte further on.
        let lines = lines_of(b"k,v\n\xd0\xb0,\xff\n");
        assert_eq!(
            lines,
            vec![(2, "v: not valid UTF-8 (save the file as UTF-8)".into())]
        );
    }

    #[test]
    fn a_file_whose_first_letter_is_not_utf8_reads_as_windows_1251_and_semicolons_are_told() {
        assert!(!reads_as_utf8(b"k;v\n1;\xff\n"));
        assert!(reads_as_utf8(b"k,v\n\xd0\xb0,\xff\n"));
        assert!(reads_as_utf8(b"k,v\n1,2\n"));
        let d = Dialect::of(b"k;v;w\n1,5;2;3\n", false);
        assert_eq!((d.delimiter, d.cp1251), (b';', true));
        assert_eq!(Dialect::of(b"k,v;x\n", true).delimiter, b',');
        let mut file =
            CsvFile::from_bytes("t.csv", b"k;v\n1;\xff\xe0\n".to_vec(), &["k", "v"], &[]).unwrap();
        assert_eq!(file.notes.len(), 2);
        let mut seen = Vec::new();
        file.for_each(|row, _| {
            if let Ok(row) = row {
                seen.push((row.get("k").to_string(), row.get("v").to_string()));
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [("1".to_string(), "яа".to_string())]);
    }

    #[test]
    fn a_header_after_blank_lines_is_reported_on_its_line() {
        let e = header_error(b"\n\nk,x\n1,2\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("unknown column 'x'"), "{}", e.message);
        assert!(e.message.contains("missing column 'v'"), "{}", e.message);
        let e = header_error(b"\r\n\"k\nv\n");
        assert_eq!(e.line, 2, "{}", e.message);
        assert!(e.message.contains("unclosed quote"), "{}", e.message);
    }

    #[test]
    fn a_first_line_of_data_is_not_a_header_and_its_values_are_not_shown() {
        let e = header_error("230430665227,Мұрүкушева Аяулым,a@b.kz\n".as_bytes());
        assert_eq!(e.line, 1);
        assert_eq!(
            e.message,
            "header: line 1 is not a header: expected columns k,v [w], separated by commas or semicolons"
        );
        // A header with a column of kezek's shows the names that could be columns, and no other cell.
        let e = header_error("k,Мұрүкушева Аяулым,CODE\n".as_bytes());
        assert!(e.message.contains("unknown column 'CODE'"), "{}", e.message);
        assert!(
            e.message.contains("unknown column 2 (not a column name)"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("Мұрүкушева"), "{}", e.message);
        let long = format!("k,{}\n", "a".repeat(MAX_COLUMN_NAME + 1));
        let e = header_error(long.as_bytes());
        assert!(
            !e.message.contains(&"a".repeat(MAX_COLUMN_NAME + 1)),
            "{}",
            e.message
        );
    }
}
