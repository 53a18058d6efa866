//! The bytes the CSV reader reads (`csvfile`): line ends made `\n`, a last one supplied, and quotes followed
//! as the reader follows them, so that a quote left open names the line it opened on.

use std::io::Read;

/// The bytes the CSV reader is given. Line ends read as `\n`: `\r\n` (Windows) and a lone `\r` (old Mac
/// files), since the reader counts lines by `\n` alone; a `\r` inside a quoted value becomes `\n` too, which
/// changes nothing kept, as text fields refuse control characters. A file that does not end with a line end is
/// given one, so that every record ends with one (the line numbers count on it). Quotes are followed the way
/// the reader reads them, so that the end of the file inside a quoted field is a read error naming the line
/// the quote opened on, rather than a value that silently runs to the end.
pub(super) struct LineEnds<R> {
    inner: std::io::BufReader<R>,
    after_cr: bool,
    last: Option<u8>,
    quotes: QuoteScan,
}

impl<R: Read> LineEnds<R> {
    pub(super) fn new(inner: R) -> Self {
        LineEnds {
            inner: std::io::BufReader::with_capacity(1 << 16, inner),
            after_cr: false,
            last: None,
            quotes: QuoteScan::default(),
        }
    }

    /// The quote the input ended inside, once the input has ended.
    pub(super) fn unclosed_quote(&self) -> Option<OpenQuote> {
        self.quotes.open()
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::BufRead;
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let data = self.inner.fill_buf()?;
            if data.is_empty() {
                if let Some(quote) = self.quotes.open() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("the quote opened on line {} is never closed", quote.line),
                    ));
                }
                if self.last.is_some_and(|b| b != b'\n') {
                    self.last = Some(b'\n');
                    self.quotes.feed(b'\n');
                    buf[0] = b'\n';
                    return Ok(1);
                }
                return Ok(0);
            }
            let (mut out, mut used) = (0, 0);
            while used < data.len() && out < buf.len() {
                // A run of bytes that are neither quote, comma nor line end is copied at once: it only moves
                // the field into its text.
                let room = (data.len() - used).min(buf.len() - out);
                let run = data[used..used + room]
                    .iter()
                    .position(|&b| matches!(b, b'"' | b',' | b'\n' | b'\r'))
                    .unwrap_or(room);
                if run > 0 {
                    buf[out..out + run].copy_from_slice(&data[used..used + run]);
                    self.quotes.plain();
                    self.after_cr = false;
                    (used, out) = (used + run, out + run);
                    continue;
                }
                let b = data[used];
                used += 1;
                let after_cr = std::mem::replace(&mut self.after_cr, b == b'\r');
                if b == b'\n' && after_cr {
                    continue;
                }
                let b = if b == b'\r' { b'\n' } else { b };
                self.quotes.feed(b);
                buf[out] = b;
                out += 1;
            }
            self.inner.consume(used);
            if out > 0 {
                self.last = Some(buf[out - 1]);
                return Ok(out);
            }
        }
    }
}

/// A quoted field: the line its quote opened on, the line its record starts on, its position in the record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct OpenQuote {
    pub(super) line: u64,
    pub(super) record_line: u64,
    pub(super) field: usize,
}

/// Where the CSV reader stands with quotes, byte by byte, by its own rules (RFC 4180 as the csv crate reads
/// it): a quote opens a quoted field only at the start of a field; inside, `""` is a quote and a lone quote
/// ends the quoting; anything after that, or a quote in an unquoted field, is plain text.
#[derive(Debug)]
pub(super) struct QuoteScan {
    state: QuoteState,
    line: u64,
    in_record: bool,
    record_line: u64,
    field: usize,
    opened: OpenQuote,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl Default for QuoteScan {
    fn default() -> Self {
        QuoteScan {
            state: QuoteState::FieldStart,
            line: 1,
            in_record: false,
            record_line: 1,
            field: 0,
            opened: OpenQuote::default(),
        }
    }
}

impl QuoteScan {
    /// One byte of input whose line ends are `\n`.
    pub(super) fn feed(&mut self, b: u8) {
        use QuoteState::*;
        if !self.in_record && b != b'\n' {
            self.in_record = true;
            self.record_line = self.line;
        }
        self.state = match (self.state, b) {
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => Quoted,
            (QuoteInQuoted, b'"') => Quoted,
            (FieldStart, b'"') => {
                self.opened = OpenQuote {
                    line: self.line,
                    record_line: self.record_line,
                    field: self.field,
                };
                Quoted
            }
            (_, b',') => {
                self.field += 1;
                FieldStart
            }
            (_, b'\n') => {
                self.field = 0;
                self.in_record = false;
                FieldStart
            }
            _ => Unquoted,
        };
        if b == b'\n' {
            self.line += 1;
        }
    }

    /// Bytes of input that are neither quote, comma nor line end, any number of them: as `feed` takes each.
    pub(super) fn plain(&mut self) {
        if !self.in_record {
            self.in_record = true;
            self.record_line = self.line;
        }
        if self.state != QuoteState::Quoted {
            self.state = QuoteState::Unquoted;
        }
    }

    /// The quoted field the input is inside, if it is.
    pub(super) fn open(&self) -> Option<OpenQuote> {
        (self.state == QuoteState::Quoted).then_some(self.opened)
    }
}
