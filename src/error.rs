//! The one error type of kezek, and the one place where exit codes are decided (SPEC §8).

use std::fmt;

/// A bad row of an input file, reported with its line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command was called wrongly (exit 2).
    #[error("{0}")]
    Usage(String),
    /// A rule of the spec refuses the change (exit 3); the message names the rule.
    #[error("{rule}: {message}")]
    Refused { rule: &'static str, message: String },
    /// A record or file the command names does not exist (exit 4).
    #[error("not found: {0}")]
    NotFound(String),
    /// Malformed input: a field, a value or a file (exit 65).
    #[error("{0}")]
    BadInput(String),
    /// An input file with bad rows; nothing was written (exit 65).
    #[error("{file}: {} bad row(s), nothing written:\n{}", .rows.len(), render_rows(.file, .rows))]
    BadRows { file: String, rows: Vec<RowError> },
    /// The journal or the state tables do not verify (exit 65).
    #[error("audit failed: {0}")]
    Tampered(String),
    /// Another process holds the database (exit 75).
    #[error("database busy: another kezek process is writing to it; try again later")]
    Busy,
    #[error("database: {0}")]
    Sqlite(rusqlite::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    /// Writing to stdout failed because the reader went away: not an error (exit 0).
    #[error("broken pipe")]
    BrokenPipe,
    #[error("{0}")]
    Internal(String),
}

fn render_rows(file: &str, rows: &[RowError]) -> String {
    rows.iter()
        .map(|r| format!("{file}:{}: {}", r.line, r.message))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// SPEC §8: 0 done; 1 unexpected; 2 usage; 3 refused by a rule; 4 not found; 65 bad input; 75 busy.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::BrokenPipe => 0,
            Error::Usage(_) => 2,
            Error::Refused { .. } => 3,
            Error::NotFound(_) => 4,
            Error::BadInput(_) | Error::BadRows { .. } | Error::Tampered(_) => 65,
            Error::Busy => 75,
            Error::Sqlite(_) | Error::Io { .. } | Error::Internal(_) => 1,
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

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            return Error::BrokenPipe;
        }
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::Busy,
            _ => Error::Sqlite(e),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::io("i/o", e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
