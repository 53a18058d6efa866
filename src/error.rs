//! The one error type of kezek, and the one place where exit codes are decided (SPEC §8), and where messages
//! are made safe to print: a value from a file or an argument is shown with its control characters escaped
//! and, if long, shortened.

use std::fmt;
use std::fmt::Write as _;

/// A bad row of an input file, reported with its line number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::tr!(
            "err-error-line",
            line = self.line as i64,
            message = shown(&self.message)
        ))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command was called wrongly (exit 2).
    #[error("{}", shown(.0))]
    Usage(String),
    /// A rule of the spec refuses the change (exit 3); the message names the rule.
    #[error("{rule}: {}", shown(.message))]
    Refused { rule: &'static str, message: String },
    /// A record or file the command names does not exist (exit 4).
    #[error("{}", crate::tr!("err-error-not-found", what = shown(.0)))]
    NotFound(String),
    /// Malformed input: a field, a value or a file (exit 65).
    #[error("{}", shown(.0))]
    BadInput(String),
    /// An input file with `count` bad rows, the first `SHOWN_BAD_ROWS` of them in `rows`; nothing was written
    /// (exit 65).
    #[error(
        "{}\n{}",
        crate::tr!("err-error-bad-rows", file = escaped(.file), count = *.count as i64),
        render_rows(.file, .rows, *.count)
    )]
    BadRows {
        file: String,
        count: u64,
        rows: Vec<RowError>,
    },
    /// The journal or the state tables do not verify (exit 65).
    #[error("{}", crate::tr!("err-error-audit-failed", message = shown(.0)))]
    Tampered(String),
    /// Another process holds the database (exit 75).
    #[error("{}", crate::tr!("err-error-busy"))]
    Busy,
    /// The database cannot be written here: its file, its directory or its disk is read-only (exit 75). Reads
    /// work; a change is refused before it begins. `path` is the database, once known.
    #[error("{}", read_only(.path.as_deref()))]
    ReadOnly { path: Option<String> },
    /// The disk is full (exit 75): the transaction rolled back, or the file being written was removed.
    /// `path` is the database or the file that could not grow, once known.
    #[error("{}", disk_full(.path.as_deref()))]
    DiskFull { path: Option<String> },
    /// SQLite failed (exit 1).
    #[error("{}", crate::tr!("err-error-database", message = shown(.0)))]
    Sqlite(String),
    /// A constraint of the schema refused a write (exit 1; an import reports the row as bad).
    #[error("{}", crate::tr!("err-error-database", message = shown(.0)))]
    Constraint(String),
    #[error("{}: {}", shown(.context), .source)]
    Io {
        context: String,
        source: std::io::Error,
    },
    /// Writing to stdout failed because the reader went away: not an error (exit 0).
    #[error("broken pipe")]
    BrokenPipe,
    #[error("{}", shown(.0))]
    Internal(String),
}

fn read_only(path: Option<&str>) -> String {
    match path {
        Some(path) => crate::tr!("err-error-read-only", path = escaped(path)),
        None => crate::tr!("err-error-read-only-unnamed"),
    }
}

fn disk_full(path: Option<&str>) -> String {
    match path {
        Some(path) => crate::tr!("err-error-disk-full", path = escaped(path)),
        None => crate::tr!("err-error-disk-full-unnamed"),
    }
}

/// The bad rows of a file an error lists at most: a file of millions of bad rows is refused in bounded memory,
/// with the first of them and how many more there are.
pub const SHOWN_BAD_ROWS: usize = 1_000;

/// One line per bad row, `FILE:LINE: message`, and a last line with how many more there are when `count`
/// exceeds the rows listed.
fn render_rows(file: &str, rows: &[RowError], count: u64) -> String {
    let file = escaped(file);
    let mut lines: Vec<String> = rows
        .iter()
        .map(|r| format!("{file}:{}: {}", r.line, shown(&r.message)))
        .collect();
    let more = count.saturating_sub(rows.len() as u64);
    if more > 0 {
        lines.push(crate::tr!(
            "err-error-bad-rows-more",
            count = more as i64,
            shown = rows.len() as i64
        ));
    }
    lines.join("\n")
}

/// The characters of a quoted value a message shows in full; a longer one is cut there, its length given.
pub const SHOWN_VALUE_CHARS: usize = 80;

/// The characters of one message (or one row's report) at most, escapes included: a bound for a long value
/// that a message shows without quotes.
pub const SHOWN_MESSAGE_CHARS: usize = 1_000;

/// A message as it may reach a terminal. Messages quote bad values as `'value'`: a value longer than
/// `SHOWN_VALUE_CHARS` is cut to that many characters, followed by `…' (N characters)`. Control characters
/// (and the invisible ones that reorder or break lines) are escaped as `\n`, `\u{0}`, `\u{1b}`, so that no value
/// can move the cursor, clear the screen or forge a line of a report. The whole is cut after
/// `SHOWN_MESSAGE_CHARS` characters.
pub fn shown(message: &str) -> String {
    escape(&shorten_values(message), SHOWN_MESSAGE_CHARS)
}

/// A file name or other text shown whole, its control characters escaped.
fn escaped(text: &str) -> String {
    escape(text, usize::MAX)
}

/// Cuts every quoted value of a message to `SHOWN_VALUE_CHARS`.
fn shorten_values(message: &str) -> std::borrow::Cow<'_, str> {
    if message.len() <= SHOWN_VALUE_CHARS {
        return message.into();
    }
    let mut out = String::with_capacity(message.len().min(4 * SHOWN_MESSAGE_CHARS));
    let mut rest = message;
    while let Some(open) = rest.find('\'') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = rest.find('\'') else {
            break;
        };
        let value = &rest[..close];
        let chars = value.chars().count();
        if chars > SHOWN_VALUE_CHARS {
            out.extend(value.chars().take(SHOWN_VALUE_CHARS));
            let _ = write!(
                out,
                "…' {}",
                crate::tr!("err-error-characters", count = chars as i64)
            );
        } else {
            out.push_str(value);
            out.push('\'');
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.into()
}

/// Escapes the characters a terminal would act on, and cuts the result after `max` characters.
fn escape(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(4 * SHOWN_MESSAGE_CHARS));
    let mut width = 0;
    for c in text.chars() {
        let before = out.len();
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if acts_on_terminal(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
        // An escape is ASCII: its bytes are its characters.
        width += if acts_on_terminal(c) {
            out.len() - before
        } else {
            1
        };
        if width > max {
            out.truncate(before);
            let count = text.chars().count() as i64;
            let _ = write!(
                out,
                "… {}",
                crate::tr!("err-error-characters", count = count)
            );
            break;
        }
    }
    out
}

/// Control characters (C0, DEL, C1) and the format characters that reorder text or break lines.
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

impl Error {
    /// SPEC §8: 0 done; 1 unexpected; 2 usage; 3 refused by a rule; 4 not found; 65 bad input; 75 busy. A
    /// read-only database and a full disk are 75 too: like a busy one, they are the machine's state, not the
    /// command's fault; nothing was changed, and the same command succeeds once the state is cleared.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::BrokenPipe => 0,
            Error::Usage(_) => 2,
            Error::Refused { .. } => 3,
            Error::NotFound(_) => 4,
            Error::BadInput(_) | Error::BadRows { .. } | Error::Tampered(_) => 65,
            Error::Busy | Error::ReadOnly { .. } | Error::DiskFull { .. } => 75,
            Error::Sqlite(_) | Error::Constraint(_) | Error::Io { .. } | Error::Internal(_) => 1,
        }
    }

    /// The message as written, before `shown` makes it safe to print: what a row of an import keeps, so that
    /// it is shortened and escaped once, when the rows are rendered.
    pub fn unrendered(&self) -> String {
        match self {
            Error::Usage(m) | Error::BadInput(m) => m.clone(),
            Error::Refused { rule, message } => format!("{rule}: {message}"),
            Error::NotFound(m) => crate::tr!("err-error-not-found", what = m.clone()),
            other => other.to_string(),
        }
    }

    /// The error of a command on the database at `path`: a read-only database or a full disk that did not
    /// know which database it was learns it here.
    pub fn on_database(self, path: &std::path::Path) -> Self {
        match self {
            Error::ReadOnly { path: None } => Error::ReadOnly {
                path: Some(path.display().to_string()),
            },
            Error::DiskFull { path: None } => Error::DiskFull {
                path: Some(path.display().to_string()),
            },
            other => other,
        }
    }

    pub fn refused(rule: &'static str, message: impl Into<String>) -> Self {
        Error::Refused {
            rule,
            message: message.into(),
        }
    }

    pub fn bad(message: impl Into<String>) -> Self {
        Error::BadInput(message.into())
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }

    /// An error of the file named by `context`. A full disk (or quota) says so, naming the file.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        use std::io::ErrorKind;
        match source.kind() {
            ErrorKind::BrokenPipe => return Error::BrokenPipe,
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
                return Error::DiskFull {
                    path: Some(context.into()),
                }
            }
            _ => {}
        }
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::io(crate::tr!("err-error-io"), e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// A write that finds the disk full (ENOSPC, as every write to /dev/full does) says so, naming the file,
    /// with exit 75.
    #[test]
    fn a_full_disk_names_the_file_and_exits_75() {
        use std::io::Write;
        let mut full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let source = full
            .write_all(b"x")
            .and_then(|()| full.flush())
            .unwrap_err();
        let e = Error::io("out/officer.key", source);
        assert!(
            matches!(&e, Error::DiskFull { path: Some(p) } if p == "out/officer.key"),
            "{e:?}"
        );
        assert_eq!(e.exit_code(), 75);
        assert!(
            e.to_string()
                .starts_with("the disk holding out/officer.key is full"),
            "{e}"
        );
        // A file's full disk keeps its file's name when the command's database is known.
        assert_eq!(
            e.on_database(std::path::Path::new("k.db")).to_string(),
            Error::DiskFull {
                path: Some("out/officer.key".into())
            }
            .to_string()
        );
    }

    #[test]
    fn control_characters_in_messages_are_escaped() {
        let e = Error::bad(
            "code: 'DS\u{1b}[2J\0\n/tmp/f.csv:9: forged\r\t\u{7f}\u{85}\u{202e}' is not a code",
        );
        assert_eq!(
            e.to_string(),
            "code: 'DS\\u{1b}[2J\\u{0}\\n/tmp/f.csv:9: forged\\r\\t\\u{7f}\\u{85}\\u{202e}' is not a code"
        );
        // No escape ends in a digit: an escape before the digits of a value never lengthens their run (a run
        // of twelve digits, an IIN, is masked by its length when a message is printed).
        assert_eq!(shown("'\u{0}230430665227'"), "'\\u{0}230430665227'");
    }

    #[test]
    fn row_reports_escape_their_messages_and_file_names_but_keep_one_line_per_row() {
        let e = Error::BadRows {
            file: "a\nb.csv".into(),
            count: 2,
            rows: vec![
                RowError {
                    line: 2,
                    message: "name: 'x\ny' has control characters".into(),
                },
                RowError {
                    line: 3,
                    message: "kind: 'q' is not a kind".into(),
                },
            ],
        };
        assert_eq!(
            e.to_string(),
            "a\\nb.csv: 2 bad row(s), nothing written:\n\
             a\\nb.csv:2: name: 'x\\ny' has control characters\n\
             a\\nb.csv:3: kind: 'q' is not a kind"
        );
    }

    #[test]
    fn long_quoted_values_are_cut_with_their_length() {
        let value = "Я".repeat(10 << 20);
        let e = Error::bad(format!("code: '{value}' is not a code"));
        let text = e.to_string();
        assert_eq!(
            text,
            format!(
                "code: '{}…' ({} characters) is not a code",
                "Я".repeat(SHOWN_VALUE_CHARS),
                10 << 20
            )
        );
        // A value of exactly the limit is shown whole.
        let value = "a".repeat(SHOWN_VALUE_CHARS);
        assert_eq!(
            Error::bad(format!("x: '{value}'")).to_string(),
            format!("x: '{value}'")
        );
    }

    #[test]
    fn a_long_message_is_bounded_even_when_its_value_is_not_quoted() {
        let message = format!("count: {} is too big", "9".repeat(1 << 20));
        let text = Error::bad(message.clone()).to_string();
        assert!(
            text.chars().count() < SHOWN_MESSAGE_CHARS + 40,
            "{}",
            text.len()
        );
        assert!(
            text.ends_with(&format!("… ({} characters)", message.len())),
            "{text}"
        );
        // Escapes count with their length, and are never cut in half.
        let text = shown(&"\u{1b}".repeat(SHOWN_MESSAGE_CHARS));
        assert!(text.chars().count() < SHOWN_MESSAGE_CHARS + 40);
        assert!(text.replace("\\u{1b}", "").starts_with('…'), "{text}");
    }

    #[test]
    fn a_row_keeps_the_message_unrendered_so_it_is_rendered_once() {
        let value = "D".repeat(200);
        let e = Error::refused("R-X", format!("'{value}\n'"));
        assert_eq!(e.unrendered(), format!("R-X: '{value}\n'"));
        let rows = Error::BadRows {
            file: "f".into(),
            count: 1,
            rows: vec![RowError {
                line: 2,
                message: e.unrendered(),
            }],
        };
        assert_eq!(
            rows.to_string(),
            format!(
                "f: 1 bad row(s), nothing written:\nf:2: R-X: '{}…' (201 characters)",
                "D".repeat(SHOWN_VALUE_CHARS)
            )
        );
    }
}
