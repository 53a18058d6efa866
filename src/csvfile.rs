//! Reading the CSV files officers and scripts feed kezek: UTF-8, comma-separated, a header row, columns in any
//! order, unknown columns refused. Rows stream; each comes with its line number for error messages.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::crypto;
use crate::error::{Error, Result, RowError};
use crate::faults::{self, Fault};

pub struct CsvFile {
    reader: csv::Reader<CrlfToLf<Box<dyn Read>>>,
    columns: HashMap<String, usize>,
    source: Source,
    required: Vec<String>,
    optional: Vec<String>,
    pub name: String,
    pub len: u64,
    pub sha256: String,
}

/// Where the rows come from, so that a second pass can read them again.
#[derive(Clone)]
enum Source {
    File(std::path::PathBuf),
    Bytes(std::rc::Rc<[u8]>),
}

/// One data row: its line number and its fields by column name.
pub struct Row<'a> {
    pub line: u64,
    record: csv::StringRecord,
    columns: &'a HashMap<String, usize>,
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
        let (len, sha256) = digest_file(path)?;
        let file = File::open(path).map_err(|e| open_error(&name, e))?;
        let source = Source::File(path.to_path_buf());
        CsvFile::from_reader(
            name,
            source,
            Box::new(file),
            len,
            sha256,
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
        let bytes: std::rc::Rc<[u8]> = bytes.into();
        let input = Box::new(std::io::Cursor::new(bytes.clone()));
        let source = Source::Bytes(bytes);
        CsvFile::from_reader(
            name.to_string(),
            source,
            input,
            len,
            sha256,
            required,
            optional,
        )
    }

    /// A second, independent pass over the same rows, for an import that must know the whole file first.
    pub fn reopen(&self) -> Result<CsvFile> {
        let required: Vec<&str> = self.required.iter().map(String::as_str).collect();
        let optional: Vec<&str> = self.optional.iter().map(String::as_str).collect();
        let input: Box<dyn Read> = match &self.source {
            Source::File(path) => {
                Box::new(File::open(path).map_err(|e| open_error(&self.name, e))?)
            }
            Source::Bytes(bytes) => Box::new(std::io::Cursor::new(bytes.clone())),
        };
        let (name, source, len, sha) = (
            self.name.clone(),
            self.source.clone(),
            self.len,
            self.sha256.clone(),
        );
        CsvFile::from_reader(name, source, input, len, sha, &required, &optional)
    }

    pub fn has_column(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    fn from_reader(
        name: String,
        source: Source,
        input: Box<dyn Read>,
        len: u64,
        sha256: String,
        required: &[&str],
        optional: &[&str],
    ) -> Result<CsvFile> {
        // The csv crate counts a CRLF record's line before it sees the LF; reading CRLF as LF keeps line
        // numbers right.
        let input = CrlfToLf::new(input);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(input);
        let headers = reader
            .headers()
            .map_err(|e| Error::BadRows {
                file: name.clone(),
                rows: vec![RowError {
                    line: 1,
                    message: format!("header: {}", csv_reason(&e)),
                }],
            })?
            .clone();
        let mut columns = HashMap::new();
        let mut problems = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let h = h.trim().trim_start_matches('\u{feff}').to_string();
            if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
                problems.push(format!("unknown column '{h}'"));
            } else if columns.insert(h.clone(), i).is_some() {
                problems.push(format!("column '{h}' appears twice"));
            }
        }
        for r in required {
            if !columns.contains_key(*r) {
                problems.push(format!("missing column '{r}'"));
            }
        }
        if !problems.is_empty() || len == 0 {
            if len == 0 {
                problems.push("the file is empty (a header row is required)".into());
            }
            let mut expected = required.join(",");
            if !optional.is_empty() {
                expected.push_str(&format!(" [{}]", optional.join(",")));
            }
            return Err(Error::BadRows {
                file: name,
                rows: vec![RowError {
                    line: 1,
                    message: format!(
                        "header: {} (expected columns {expected})",
                        problems.join("; ")
                    ),
                }],
            });
        }
        Ok(CsvFile {
            reader,
            columns,
            source,
            required: required.iter().map(|s| s.to_string()).collect(),
            optional: optional.iter().map(|s| s.to_string()).collect(),
            name,
            len,
            sha256,
        })
    }

    /// The import loop: streams every row to `each` and collects the bad ones. A row that `each` refuses with
    /// bad input, a rule or a missing record, or that the CSV reader cannot read, is reported with its line;
    /// any other error stops at once. `each` learns whether every row so far was good, so that it writes only
    /// while the file may still be taken whole. Ends with `Error::BadRows` listing every bad row.
    pub fn rows(
        &mut self,
        progress: &dyn Fn(u64),
        mut each: impl FnMut(&Row, bool) -> Result<()>,
    ) -> Result<u64> {
        let mut bad: Vec<RowError> = Vec::new();
        let mut good = 0u64;
        self.for_each(|row, byte| {
            progress(byte);
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    bad.push(e);
                    return Ok(());
                }
            };
            let clean = bad.is_empty() || faults::active(Fault::ImportKeepsGoodRows);
            match each(&row, clean) {
                Ok(()) => good += 1,
                Err(e @ (Error::BadInput(_) | Error::Refused { .. } | Error::NotFound(_))) => bad
                    .push(RowError {
                        line: row.line,
                        message: e.to_string(),
                    }),
                Err(e) => return Err(e),
            }
            Ok(())
        })?;
        if bad.is_empty() {
            Ok(good)
        } else {
            Err(Error::BadRows {
                file: self.name.clone(),
                rows: bad,
            })
        }
    }

    /// Calls `each` for every data row; a row the CSV reader cannot read becomes a row error.
    pub fn for_each(
        &mut self,
        mut each: impl FnMut(Result<Row<'_>, RowError>, u64) -> Result<()>,
    ) -> Result<()> {
        let mut record = csv::StringRecord::new();
        loop {
            let line = self.reader.position().line();
            match self.reader.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let line = record.position().map(|p| p.line()).unwrap_or(line);
                    let byte = self.reader.position().byte();
                    let row = Row {
                        line,
                        record: record.clone(),
                        columns: &self.columns,
                    };
                    each(Ok(row), byte)?;
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(line);
                    let byte = self.reader.position().byte();
                    let fatal = !matches!(
                        e.kind(),
                        csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                    );
                    each(
                        Err(RowError {
                            line,
                            message: csv_reason(&e),
                        }),
                        byte,
                    )?;
                    if fatal {
                        return Ok(());
                    }
                }
            }
        }
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("not valid UTF-8 (field {})", err.field() + 1),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        _ => e.to_string(),
    }
}

fn open_error(name: &str, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound(format!("file {name}")),
        _ => Error::bad(format!("{name}: cannot read: {e}")),
    }
}

/// The size and SHA-256 of a file, read in blocks.
pub fn digest_file(path: &Path) -> Result<(u64, String)> {
    use sha2::Digest;
    let name = path.display().to_string();
    let mut file = File::open(path).map_err(|e| open_error(&name, e))?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| open_error(&name, e))?;
        if n == 0 {
            break;
        }
        len += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((len, crypto::hex(&hasher.finalize())))
}

/// Reads `\r\n` as `\n`. A `\r` that ends a buffered block is held until the next byte is known.
struct CrlfToLf<R> {
    inner: std::io::BufReader<R>,
    pending_cr: bool,
}

impl<R: Read> CrlfToLf<R> {
    fn new(inner: R) -> Self {
        CrlfToLf {
            inner: std::io::BufReader::with_capacity(1 << 16, inner),
            pending_cr: false,
        }
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::BufRead;
        if buf.is_empty() {
            return Ok(0);
        }
        let data = self.inner.fill_buf()?;
        if self.pending_cr {
            self.pending_cr = false;
            if data.first() == Some(&b'\n') {
                self.inner.consume(1);
                buf[0] = b'\n';
            } else {
                buf[0] = b'\r';
            }
            return Ok(1);
        }
        let (mut out, mut used) = (0, 0);
        while used < data.len() && out < buf.len() {
            let b = data[used];
            used += 1;
            if b == b'\r' {
                match data.get(used) {
                    Some(b'\n') => continue,
                    Some(_) => {}
                    None => {
                        self.pending_cr = true;
                        break;
                    }
                }
            }
            buf[out] = b;
            out += 1;
        }
        self.inner.consume(used);
        if out == 0 && self.pending_cr {
            return self.read(buf);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(input: &[u8], chunk: usize) -> Vec<u8> {
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
        CrlfToLf::new(Chunks(input, chunk))
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn crlf_reads_as_lf_across_block_boundaries() {
        let input = b"a,b\r\n1,2\r\n\"x\ry\",3\r\n\r";
        for chunk in 1..=input.len() {
            assert_eq!(
                convert(input, chunk),
                b"a,b\n1,2\n\"x\ry\",3\n\r",
                "chunk {chunk}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn crlf_conversion_matches_a_plain_replace(bytes in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b'\r', b'\n', b',']), 0..64), chunk in 1usize..9) {
            let expected = String::from_utf8(bytes.clone()).unwrap().replace("\r\n", "\n");
            proptest::prop_assert_eq!(convert(&bytes, chunk), expected.into_bytes());
        }
    }
}
