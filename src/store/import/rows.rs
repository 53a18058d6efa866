//! The loops over an import's rows: every row checked, every bad one collected with its line, and rows written
//! only while the file may still be taken whole. `each_row` does it on one thread; `each_row_split` checks on a
//! second thread while this one writes, with the same outcome.

use super::Importer;
use crate::csvfile::{CsvFile, Row};
use crate::error::{Error, Result, RowError, SHOWN_BAD_ROWS};
use crate::faults::{self, Fault};
use crate::store::change::Change;
use crate::store::journal::EventWriter;
use crate::tr;

/// What `run` hands an importer's `rows`: the open change, the import's event, the file and the progress.
pub struct Rows<'r, 't> {
    change: &'t Change<'t>,
    event: &'r mut EventWriter<'t>,
    file: &'r mut CsvFile,
    progress: &'r dyn Fn(u64),
}

impl<'r, 't> Rows<'r, 't> {
    pub(super) fn new(
        change: &'t Change<'t>,
        event: &'r mut EventWriter<'t>,
        file: &'r mut CsvFile,
        progress: &'r dyn Fn(u64),
    ) -> Self {
        Rows {
            change,
            event,
            file,
            progress,
        }
    }

    pub fn change(&self) -> &'t Change<'t> {
        self.change
    }

    /// The sequence number of the import's event.
    pub fn seq(&self) -> i64 {
        self.event.seq()
    }

    /// The file whose rows these are (for a second pass over it: `CsvFile::reopen`).
    pub fn file(&self) -> &CsvFile {
        self.file
    }

    /// Each row checked, then written while every row so far was good, on this thread. The count is the sum
    /// of `Importer::counted` over the rows.
    pub fn in_order<I: Importer>(self, importer: &mut I) -> Result<u64> {
        let mut counted = 0u64;
        each_row(self.file, self.progress, |row, clean| {
            let row = importer.check(self.change, row)?;
            if clean {
                importer.write(self.change, self.event, &row)?;
            }
            counted += I::counted(&row);
            Ok(())
        })?;
        Ok(counted)
    }

    /// `check` on a second thread, against the file alone; `write` on this one, in file order (see
    /// `each_row_split`). The count is that of the rows.
    pub fn split<T: Send>(
        self,
        check: impl FnMut(&Row) -> Result<T> + Send,
        mut write: impl FnMut(&Change, &mut EventWriter, &T) -> Result<()>,
    ) -> Result<u64> {
        let (change, event) = (self.change, self.event);
        each_row_split(self.file, self.progress, check, |row| {
            write(change, event, row)
        })
    }
}

/// The import loop: streams every row to `each` and collects the bad ones. A row that `each` refuses with bad
/// input, a rule or a missing record, or that the CSV reader cannot read, is reported with its line; so is a row
/// the database refuses by a constraint (a check kezek lacks must not end an import with an internal error: the
/// file is still refused whole). Any other error stops at once. `each` learns whether every row so far was
/// good, so that it writes only while the file may still be taken whole. Ends with `Error::BadRows` listing
/// the bad rows (the first `SHOWN_BAD_ROWS`, and how many), else with the number of rows.
pub fn each_row(
    file: &mut CsvFile,
    progress: &dyn Fn(u64),
    mut each: impl FnMut(&Row, bool) -> Result<()>,
) -> Result<u64> {
    let mut bad = BadRows::default();
    let mut good = 0u64;
    file.for_each(|row, byte| {
        progress(byte);
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                bad.push(e);
                return Ok(());
            }
        };
        let clean = keeps_writing(&bad);
        match row_outcome(row.line, each(&row, clean))? {
            None => good += 1,
            Some(e) => bad.push(e),
        }
        Ok(())
    })?;
    progress(super::ALL_READ);
    bad_rows(&file.name, good, bad)
}

/// `each_row` for an import whose work on a row splits in two: `check` (reading the row and applying the
/// rules, without the database) runs on a second thread, ahead of `write`, which runs on this one and gets the
/// checked rows in file order. The outcome is that of `each_row` with `each` = `check`, then `write` while
/// every row so far was good: the same bad rows, in the same order, and nothing written after the first. Rows
/// travel in batches, and each batch goes back to the checking thread to be freed there: memory freed on
/// another thread than the one that allocated it costs the allocator a lock every time.
pub fn each_row_split<T: Send>(
    file: &mut CsvFile,
    progress: &dyn Fn(u64),
    mut check: impl FnMut(&Row) -> Result<T> + Send,
    mut write: impl FnMut(&T) -> Result<()>,
) -> Result<u64> {
    /// Rows handed over at a time, and batches the checking thread may be ahead by: memory stays small.
    const BATCH: usize = 256;
    const AHEAD: usize = 2;
    enum Checked<T> {
        Good(T),
        Bad(RowError),
        Stop(Error),
    }
    type Batch<T> = Vec<(u64, u64, Checked<T>)>;
    let name = file.name.clone();
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Batch<T>>(AHEAD);
        let (give_back, taken_back) = std::sync::mpsc::channel::<Batch<T>>();
        let reader = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let read = file.for_each(|row, byte| {
                batch.push(match row {
                    Ok(row) => match check(&row) {
                        Ok(checked) => (row.line, byte, Checked::Good(checked)),
                        Err(e) => match row_error(row.line, e) {
                            Ok(bad) => (row.line, byte, Checked::Bad(bad)),
                            Err(stop) => (row.line, byte, Checked::Stop(stop)),
                        },
                    },
                    Err(e) => (e.line, byte, Checked::Bad(e)),
                });
                if batch.len() == BATCH {
                    let spare = match taken_back.try_recv() {
                        Ok(mut spare) => {
                            spare.clear();
                            spare
                        }
                        Err(_) => Vec::with_capacity(BATCH),
                    };
                    if send.send(std::mem::replace(&mut batch, spare)).is_err() {
                        // The writer stopped with an error of its own, which is the one reported.
                        return Err(Error::Internal("the import stopped".into()));
                    }
                }
                Ok(())
            });
            if read.is_ok() && !batch.is_empty() {
                let _ = send.send(batch);
            }
            read
        });
        let (mut bad, mut good) = (BadRows::default(), 0u64);
        for mut batch in receive {
            for (line, byte, checked) in batch.iter_mut() {
                progress(*byte);
                match checked {
                    Checked::Bad(e) => bad.push(std::mem::take(e)),
                    Checked::Stop(e) => {
                        return Err(std::mem::replace(e, Error::Internal(String::new())))
                    }
                    Checked::Good(row) if keeps_writing(&bad) => {
                        match row_outcome(*line, write(row))? {
                            None => good += 1,
                            Some(e) => bad.push(e),
                        }
                    }
                    Checked::Good(_) => good += 1,
                }
            }
            let _ = give_back.send(batch);
        }
        match reader.join() {
            Ok(read) => read?,
            Err(panic) => std::panic::resume_unwind(panic),
        }
        progress(super::ALL_READ);
        bad_rows(&name, good, bad)
    })
}

/// The bad rows of a file: the first `SHOWN_BAD_ROWS` with their reasons, and how many there are, so that a
/// file of ten million bad rows is refused in bounded memory.
#[derive(Default)]
struct BadRows {
    shown: Vec<RowError>,
    count: u64,
}

impl BadRows {
    fn push(&mut self, e: RowError) {
        self.count += 1;
        if self.shown.len() < SHOWN_BAD_ROWS {
            self.shown.push(e);
        }
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// Whether an import still writes: only while every row so far was good.
fn keeps_writing(bad: &BadRows) -> bool {
    bad.is_empty() || faults::active(Fault::ImportKeepsGoodRows)
}

/// What became of one row: `None` when it was taken, else as `row_error` says.
fn row_outcome(line: u64, outcome: Result<()>) -> Result<Option<RowError>> {
    match outcome {
        Ok(()) => Ok(None),
        Err(e) => row_error(line, e).map(Some),
    }
}

/// A row refused with bad input, a rule, a missing record or a constraint of the database is a bad row of the
/// file (a check kezek lacks must not end an import with an internal error: the file is still refused whole);
/// any other error stops the import.
fn row_error(line: u64, e: Error) -> Result<RowError> {
    match e {
        Error::BadInput(_) | Error::Refused { .. } | Error::NotFound(_) => Ok(RowError {
            line,
            message: e.unrendered(),
        }),
        Error::Constraint(e) => Ok(RowError {
            line,
            message: tr!("err-import-db-refuses", error = e),
        }),
        e => Err(e),
    }
}

/// The end of an import loop: the number of rows taken, or the bad rows.
fn bad_rows(file: &str, good: u64, bad: BadRows) -> Result<u64> {
    if bad.is_empty() {
        Ok(good)
    } else {
        Err(Error::BadRows {
            file: file.to_string(),
            count: bad.count,
            rows: bad.shown,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row the database refuses by a constraint is a bad row of the file, not an internal error (the store
    /// turns SQLite's constraint errors into `Error::Constraint`: `store::db`'s tests check that).
    #[test]
    fn a_constraint_the_database_enforces_is_a_row_error() {
        let mut file =
            CsvFile::from_bytes("t.csv", b"k,v\n1,2\n2,x\n3,4\n".to_vec(), &["k", "v"], &[])
                .unwrap();
        let result = each_row(&mut file, &|_| {}, |row, _| match row.get("v") {
            "x" => Err(Error::Constraint(
                "CHECK constraint failed: v GLOB '[0-9]*'".into(),
            )),
            _ => Ok(()),
        });
        match result {
            Err(Error::BadRows { rows, .. }) => {
                assert_eq!(rows.len(), 1, "{rows:?}");
                assert_eq!(rows[0].line, 3);
                assert!(
                    rows[0].message.contains("CHECK constraint failed"),
                    "{rows:?}"
                );
            }
            other => panic!("expected one bad row, got {other:?}"),
        }
    }

    /// Both loops give the same bad rows, in the same order, and write nothing after the first.
    #[test]
    fn the_split_loop_reports_and_writes_as_the_plain_one() {
        let text = b"k,v\n1,a\n2,x\n3,b,extra\n4,c\n5,x\n".to_vec();
        let check = |row: &Row| match row.get("v") {
            "x" => Err(Error::bad(format!("v: '{}' is refused", row.get("k")))),
            v => Ok(v.to_string()),
        };
        let mut plain_written = Vec::new();
        let mut file = CsvFile::from_bytes("t.csv", text.clone(), &["k", "v"], &[]).unwrap();
        let plain = each_row(&mut file, &|_| {}, |row, clean| {
            let v = check(row)?;
            if clean {
                plain_written.push(v);
            }
            Ok(())
        });
        let mut split_written = Vec::new();
        let mut file = CsvFile::from_bytes("t.csv", text, &["k", "v"], &[]).unwrap();
        let split = each_row_split(&mut file, &|_| {}, check, |v| {
            split_written.push(v.clone());
            Ok(())
        });
        assert_eq!(format!("{plain:?}"), format!("{split:?}"));
        assert!(matches!(plain, Err(Error::BadRows { ref rows, .. }) if rows.len() == 3));
        assert_eq!(plain_written, vec!["a".to_string()]);
        assert_eq!(split_written, plain_written);
    }

    /// A file of more bad rows than an error lists is refused with the first of them and how many there are,
    /// by both loops: its bad rows are never all kept in memory.
    #[test]
    fn a_file_of_many_bad_rows_is_refused_with_the_first_and_their_count() {
        let rows = SHOWN_BAD_ROWS + 2_500;
        let mut text = String::from("k,v\n");
        for k in 0..rows {
            text.push_str(&format!("{k},x\n"));
        }
        let check = |row: &Row| -> Result<()> {
            Err(Error::bad(format!("v: '{}' is refused", row.get("k"))))
        };
        let mut file =
            CsvFile::from_bytes("t.csv", text.clone().into_bytes(), &["k", "v"], &[]).unwrap();
        let plain = each_row(&mut file, &|_| {}, |row, _| check(row));
        let mut file = CsvFile::from_bytes("t.csv", text.into_bytes(), &["k", "v"], &[]).unwrap();
        let split = each_row_split(&mut file, &|_| {}, check, |_| Ok(()));
        for result in [plain, split] {
            let e = result.unwrap_err();
            let Error::BadRows {
                count,
                rows: ref shown,
                ..
            } = e
            else {
                panic!("expected bad rows, got {e:?}");
            };
            assert_eq!(count, rows as u64);
            assert_eq!(shown.len(), SHOWN_BAD_ROWS);
            assert_eq!(shown[0].line, 2);
            let text = e.to_string();
            assert!(
                text.starts_with(&format!("t.csv: {rows} bad row(s)")),
                "{}",
                &text[..80]
            );
            assert_eq!(text.lines().count(), 1 + SHOWN_BAD_ROWS + 1);
            assert!(text.ends_with(&format!("… and 2500 more bad row(s), not listed: the first {SHOWN_BAD_ROWS} are above; correct them and run the command again to see the next")), "{}", text.lines().last().unwrap());
        }
    }
}
