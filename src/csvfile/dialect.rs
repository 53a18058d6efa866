//! How a CSV file is written (`csvfile`): its separator, told from the header row, and its encoding, UTF-8 or
//! Windows-1251 (as Excel in Kazakhstan saves it), told while the file is digested; a UTF-16 file is refused.

use std::io::Read;
use std::path::Path;

use super::open_error;
use crate::crypto;
use crate::error::{Error, Result, RowError};

/// How a file is written: its separator, and whether it is Windows-1251 rather than UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dialect {
    pub(super) delimiter: u8,
    pub(super) cp1251: bool,
}

impl Dialect {
    /// The dialect of a file whose first bytes are `head` (its header row, at least) and whose content is
    /// valid UTF-8 or not: semicolons when the header row has more of them than commas.
    pub(super) fn of(head: &[u8], utf8: bool) -> Dialect {
        let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
        let count = |c: u8| line.iter().filter(|b| **b == c).count();
        Dialect {
            delimiter: if count(b';') > count(b',') {
                b';'
            } else {
                b','
            },
            cp1251: !utf8,
        }
    }

    pub(super) fn notes(self) -> Vec<String> {
        let mut out = Vec::new();
        if self.delimiter == b';' {
            out.push(crate::tr!("ui-csv-semicolons"));
        }
        if self.cp1251 {
            out.push(crate::tr!("ui-csv-cp1251"));
        }
        out
    }

    /// The bytes the CSV reader reads: decoded to UTF-8 from Windows-1251 when the file is.
    pub(super) fn input(self, raw: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
        if self.cp1251 {
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding_rs::WINDOWS_1251))
                    .build(raw),
            )
        } else {
            raw
        }
    }
}

/// The size and SHA-256 of a file, read in blocks.
pub fn digest_file(path: &Path) -> Result<(u64, String)> {
    digest_file_utf8(path).map(|(len, sha, _)| (len, sha))
}

/// The size and SHA-256 of a file, and whether to read it as UTF-8, in one read: a file is UTF-8 unless its
/// first character outside ASCII is not and every byte outside ASCII is a letter of Russian in Windows-1251
/// (Windows-1251 then); a UTF-8 file with a damaged byte further on stays UTF-8, and the rows that hold one are
/// refused by name, since reading it all as Windows-1251 would garble every other name.
pub(super) fn digest_file_utf8(path: &Path) -> Result<(u64, String, bool)> {
    use sha2::Digest;
    let name = path.display().to_string();
    let mut file = crate::input::LineBound::new(crate::input::open_regular(&name, path)?);
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut len = 0u64;
    // The bytes of a character cut at the end of a block, carried to the next.
    let mut carry: Vec<u8> = Vec::new();
    let mut utf8 = true;
    let mut decided = false;
    let mut cp1251 = true;
    loop {
        let n = file.read(&mut buf).map_err(|e| {
            crate::input::line_too_long(&name, &e).unwrap_or_else(|| open_error(&name, e))
        })?;
        if n == 0 {
            break;
        }
        len += n as u64;
        hasher.update(&buf[..n]);
        cp1251 = cp1251 && buf[..n].iter().all(|b| cyrillic_1251(*b));
        if !decided {
            carry.extend_from_slice(&buf[..n]);
            let valid = match std::str::from_utf8(&carry) {
                Ok(_) => carry.len(),
                Err(e) => e.valid_up_to(),
            };
            if !carry[..valid].is_ascii() {
                decided = true;
            } else if valid < carry.len()
                && std::str::from_utf8(&carry).is_err_and(|e| e.error_len().is_some())
            {
                (utf8, decided) = (false, true);
            } else {
                carry.drain(..valid);
            }
        }
    }
    Ok((len, crypto::hex(&hasher.finalize()), utf8 || !cp1251))
}

/// Whether bytes in memory read as UTF-8, by the rule of `digest_file_utf8`.
pub(super) fn reads_as_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => !bytes[..e.valid_up_to()].is_ascii() || !bytes.iter().all(|b| cyrillic_1251(*b)),
    }
}

/// Whether a byte is ASCII or, in Windows-1251, a Russian letter or the punctuation Russian text uses («» — –
/// № “ ” and the no-break space): a file of nothing else that is not UTF-8 is taken for Windows-1251; one with
/// any other byte is not guessed at, and its values are refused as not UTF-8.
pub(super) fn cyrillic_1251(b: u8) -> bool {
    b.is_ascii()
        || b >= 0xc0
        || matches!(
            b,
            0xa8 | 0xb8 | 0xab | 0xbb | 0x96 | 0x97 | 0xb9 | 0x93 | 0x94 | 0xa0
        )
}

/// A file in UTF-16 (Excel's "Unicode text") is refused at once, with what to save it as.
pub(super) fn utf16_refused(name: &str, head: &[u8]) -> Result<()> {
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Err(Error::BadRows {
            file: name.to_string(),
            count: 1,
            rows: vec![RowError {
                line: 1,
                message: crate::tr!("err-csvfile-utf16"),
            }],
        });
    }
    Ok(())
}

/// Reads into `buf` until it is full or the input ends; how many bytes it holds.
pub(super) fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
