//! Importing a CSV file, whatever it holds: one [`run`] for every [`Importer`].
//!
//! `run` owns what every import shares (SPEC §9, R-P2): one change, kept whole or not at all (or a dry run that
//! checks everything and keeps nothing); the refusal of a file imported before (same SHA-256) unless asked;
//! every bad row reported by line and field, and nothing written then; one journal event for the whole file,
//! its details the file's name and SHA-256, touching every row written; progress as the file is read; and the
//! faults the crash and hostile-input suites switch on. An importer is only what differs: its columns, its
//! checked row, how it checks a row and how it writes one.
//!
//! To add an importer: a file here with a struct that implements `Importer` (`EVENT`, `REQUIRED`, `OPTIONAL`,
//! `begin`, `check`, `write`), its field rules in `crate::domain`; export it below; give the CLI a handler that
//! calls `cli::import_file::<ThatImporter>`. `rows` is for an importer that takes another way through the
//! rows (see `application.rs`).

mod application;
mod attendance;
mod calendar;
mod capacity;
mod numbers;
mod org;
mod place;
mod rows;

use std::path::Path;

use serde::Serialize;

pub use application::Applications;
pub use attendance::AttendanceRows;
pub use calendar::CalendarDays;
pub use capacity::Capacities;
pub use org::Orgs;
pub use place::Places;
pub use rows::{each_row, each_row_split, Rows};

use super::change::{Actor, Change, Mode};
use super::db::Db;
use super::journal::{self, EventWriter};
use crate::csvfile::{self, CsvFile};
use crate::domain::time::Now;
use crate::error::{Error, Result};
use crate::faults::{self, Fault};
use crate::tr;

/// One kind of CSV file kezek imports.
pub trait Importer: Sized {
    /// The kind of the import's journal event (`org.import`); audits and the repeat refusal read it.
    const EVENT: &'static str;
    /// The columns a file must have, and those it may have (SPEC §9).
    const REQUIRED: &'static [&'static str];
    const OPTIONAL: &'static [&'static str] = &[];

    /// A row checked and ready to write.
    type Row;

    /// Starts an import in `change`: reads what the checks need (settings, categories, a first pass over `file`).
    fn begin(change: &Change, file: &CsvFile) -> Result<Self>;

    /// Checks one row: its fields by the rules of `crate::domain`, then against the rows before it and the
    /// database. Every row is checked, also after a bad one; an error that is bad input, a rule, a missing
    /// record or a constraint makes the row a bad row.
    fn check(&mut self, change: &Change, row: &csvfile::Row) -> Result<Self::Row>;

    /// Writes a checked row and touches what it wrote in the import's `event`. Called only while every row
    /// so far was good.
    fn write(&mut self, change: &Change, event: &mut EventWriter, row: &Self::Row) -> Result<()>;

    /// What a written row adds to the report's count: one, unless a row stands for more (a batch of places).
    fn counted(_row: &Self::Row) -> u64 {
        1
    }

    /// Takes the rows through: each one checked, then written, in file order. An importer may take another way
    /// (checks on a second thread, indexes built at the end) that `Rows` offers with the same outcome.
    fn rows(&mut self, rows: Rows<'_, '_>) -> Result<u64> {
        rows.in_order(self)
    }

    /// Opens a file and checks its header against the importer's columns.
    fn open(path: &Path) -> Result<CsvFile> {
        CsvFile::open(path, Self::REQUIRED, Self::OPTIONAL)
    }

    /// A file already in memory (the samples of `kezek demo`), its header checked likewise.
    fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<CsvFile> {
        CsvFile::from_bytes(name, bytes, Self::REQUIRED, Self::OPTIONAL)
    }
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub sha256: String,
    pub rows: u64,
}

/// How an import runs.
pub struct Options<'p> {
    /// `Mode::DryRun`: every check runs, nothing is kept.
    pub mode: Mode,
    /// Imports a file whose exact content (SHA-256) was imported before.
    pub allow_repeat: bool,
    /// Told the byte position of every row read (a progress bar), then `ALL_READ` once the last row is taken
    /// and what is left is the finishing: indexes, queue counts, the journal's record and the commit.
    pub progress: &'p dyn Fn(u64),
}

/// What `Options::progress` is told once every row is read.
pub const ALL_READ: u64 = u64::MAX;

impl Options<'static> {
    /// Kept, refused if imported before, no progress shown.
    pub fn commit() -> Options<'static> {
        Options {
            mode: Mode::Commit,
            allow_repeat: false,
            progress: &no_progress,
        }
    }

    /// `commit`, as a dry run.
    pub fn dry_run() -> Options<'static> {
        Options {
            mode: Mode::DryRun,
            ..Options::commit()
        }
    }
}

fn no_progress(_: u64) {}

/// Imports `file` with importer `I`, all or nothing, as `actor` at `now`.
pub fn run<I: Importer>(
    db: &mut Db,
    actor: &Actor,
    now: &Now,
    file: &mut CsvFile,
    options: Options<'_>,
) -> Result<ImportReport> {
    db.use_bulk_load()?;
    let outcome = db.change(actor, now, options.mode, |change| {
        if !options.allow_repeat {
            refuse_repeat(change, file)?;
        }
        let details = serde_json::json!({ "file": file.name, "sha256": file.sha256 });
        let mut event = change.begin_event(I::EVENT, &file.name, details)?;
        let mut importer = I::begin(change, file)?;
        let rows_read = std::cell::Cell::new(0u64);
        let progress = |byte| {
            (options.progress)(byte);
            if byte == ALL_READ {
                return;
            }
            rows_read.set(rows_read.get() + 1);
            if faults::active(Fault::ImportCommitsEvery1000) && rows_read.get().is_multiple_of(1000)
            {
                change.commit_midway_for_fault();
            }
        };
        let rows = importer.rows(Rows::new(change, &mut event, file, &progress));
        let rows = match rows {
            // The hostile-input suite's broken import: the good rows written so far are kept.
            Err(e @ Error::BadRows { .. }) if faults::active(Fault::ImportKeepsGoodRows) => {
                return Ok(Err(e))
            }
            rows => rows?,
        };
        event.finish()?;
        Ok(Ok(ImportReport {
            file: file.name.clone(),
            sha256: file.sha256.clone(),
            rows,
        }))
    });
    outcome?
}

/// A file whose exact content was imported before is refused: importing it twice is most often a mistake that
/// doubles what it holds.
fn refuse_repeat(change: &Change, file: &CsvFile) -> Result<()> {
    match journal::first_import(change, &file.sha256)? {
        Some(first) => Err(Error::refused(
            "import",
            tr!(
                "err-import-repeat",
                file = file.name.clone(),
                sha256 = file.sha256.clone(),
                at = first.effective_at,
                seq = first.seq,
                kind = first.kind
            ),
        )),
        None => Ok(()),
    }
}
