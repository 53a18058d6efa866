//! Files officers name on the command line (keys, published heads, anchors, CSV): regular files only, read with
//! a bound, so that `/dev/zero`, a FIFO or a file of gigabytes is refused at once instead of being read without
//! end or into memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};
use crate::tr;

/// The largest key, head or anchor file read (a 16384-bit RSA key in PEM is under 4 KiB; a head, a few lines).
pub const SMALL_FILE_MAX: u64 = 64 * 1024;

/// The longest line a CSV file may have: far beyond any row of any import (a 10 MB value is still reported as
/// a bad row, with its line and field), and a bound on what one line can take in memory.
pub const LINE_MAX: usize = 64 << 20;

/// `path` opened for reading if it is a regular file; `what` names it in the refusal (`--key`, a file name).
pub fn open_regular(what: &str, path: &Path) -> Result<File> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound(tr!(
            "err-input-missing",
            what = what.to_string(),
            path = shown.clone()
        )),
        _ => Error::bad(tr!(
            "err-input-unreadable",
            what = what.to_string(),
            path = shown.clone(),
            error = e.to_string()
        )),
    })?;
    if !meta.is_file() {
        return Err(Error::bad(tr!(
            "err-input-not-regular",
            what = what.to_string(),
            path = shown
        )));
    }
    File::open(path).map_err(|e| {
        Error::bad(tr!(
            "err-input-unreadable",
            what = what.to_string(),
            path = shown,
            error = e.to_string()
        ))
    })
}

/// A small text file (a key, a head, an anchor), whole: a regular file of at most `SMALL_FILE_MAX` bytes in
/// UTF-8.
pub fn read_small(what: &str, path: &Path) -> Result<String> {
    let file = open_regular(what, path)?;
    let shown = path.display().to_string();
    let mut bytes = Vec::new();
    file.take(SMALL_FILE_MAX + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Error::bad(tr!(
                "err-input-unreadable",
                what = what.to_string(),
                path = shown.clone(),
                error = e.to_string()
            ))
        })?;
    if bytes.len() as u64 > SMALL_FILE_MAX {
        return Err(Error::bad(tr!(
            "err-input-too-big",
            what = what.to_string(),
            path = shown,
            max = SMALL_FILE_MAX as i64
        )));
    }
    String::from_utf8(bytes).map_err(|_| {
        Error::bad(tr!(
            "err-input-not-text",
            what = what.to_string(),
            path = shown
        ))
    })
}

/// A line longer than `LINE_MAX`, on line `line` (1-based).
#[derive(Debug)]
pub struct LineTooLong {
    pub line: u64,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {} is longer than {} bytes", self.line, LINE_MAX)
    }
}

impl std::error::Error for LineTooLong {}

/// A reader that fails with `LineTooLong` once a line passes `LINE_MAX` bytes.
pub struct LineBound<R> {
    inner: R,
    line: u64,
    since_newline: usize,
}

impl<R> LineBound<R> {
    pub fn new(inner: R) -> LineBound<R> {
        LineBound {
            inner,
            line: 1,
            since_newline: 0,
        }
    }
}

impl<R: Read> Read for LineBound<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        // From line end to line end (memchr), each line's length checked as it ends, and the last one's so far.
        let mut rest = &buf[..n];
        while let Some(end) = memchr::memchr(b'\n', rest) {
            if self.since_newline + end > LINE_MAX {
                return Err(std::io::Error::other(LineTooLong { line: self.line }));
            }
            self.line += 1;
            self.since_newline = 0;
            rest = &rest[end + 1..];
        }
        self.since_newline += rest.len();
        if self.since_newline > LINE_MAX {
            return Err(std::io::Error::other(LineTooLong { line: self.line }));
        }
        Ok(n)
    }
}

/// The refusal of a file with a line too long, if `e` is one.
pub fn line_too_long(name: &str, e: &std::io::Error) -> Option<Error> {
    let long = e.get_ref()?.downcast_ref::<LineTooLong>()?;
    Some(Error::bad(tr!(
        "err-input-line-too-long",
        name = name.to_string(),
        line = long.line as i64,
        max = LINE_MAX as i64
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_past_the_bound_stops_the_reading_and_names_its_line() {
        let mut text = b"a,b\n1,2\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', LINE_MAX + 1));
        let mut out = Vec::new();
        let e = LineBound::new(&text[..]).read_to_end(&mut out).unwrap_err();
        let refusal = line_too_long("f.csv", &e)
            .expect("a line too long")
            .to_string();
        assert!(
            refusal.contains("f.csv") && refusal.contains('3'),
            "{refusal}"
        );
        // Long files of short lines pass.
        let many = b"1,2\n".repeat(1 << 18);
        let mut out = Vec::new();
        LineBound::new(&many[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), many.len());
    }

    /// A reader that hands out a few bytes at a time, so that lines cross the reads.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(self.1);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_line_of_exactly_the_bound_passes_and_one_byte_more_is_refused_across_reads() {
        for chunk in [4093, 1 << 27] {
            let mut exact = b"a\n".to_vec();
            exact.extend(std::iter::repeat_n(b'x', LINE_MAX));
            exact.extend(b"\nb");
            let mut out = Vec::new();
            LineBound::new(Trickle(&exact, chunk))
                .read_to_end(&mut out)
                .unwrap_or_else(|e| panic!("chunk {chunk}: {e}"));
            assert_eq!(out, exact);
            let mut over = b"a\n".to_vec();
            over.extend(std::iter::repeat_n(b'x', LINE_MAX + 1));
            over.extend(b"\nb");
            let e = LineBound::new(Trickle(&over, chunk))
                .read_to_end(&mut Vec::new())
                .unwrap_err();
            let long = e.get_ref().and_then(|e| e.downcast_ref::<LineTooLong>());
            assert_eq!(long.map(|l| l.line), Some(2), "chunk {chunk}");
        }
    }

    #[test]
    fn only_small_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.pem");
        std::fs::write(&big, vec![b'a'; SMALL_FILE_MAX as usize + 1]).unwrap();
        assert!(read_small("--key", &big)
            .unwrap_err()
            .to_string()
            .contains("--key"));
        assert_eq!(
            read_small("--key", Path::new("/dev/zero"))
                .unwrap_err()
                .exit_code(),
            65
        );
        assert_eq!(read_small("--key", dir.path()).unwrap_err().exit_code(), 65);
        assert_eq!(
            read_small("--key", &dir.path().join("none"))
                .unwrap_err()
                .exit_code(),
            4
        );
        let ok = dir.path().join("ok.pem");
        std::fs::write(&ok, "-----BEGIN-----").unwrap();
        assert_eq!(read_small("--key", &ok).unwrap(), "-----BEGIN-----");
    }
}
