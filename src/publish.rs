//! `kezek publish DIR` (R-V3): what anyone needs to check the queue without the database and without personal
//! data, written to a directory that grows by appending:
//!
//! - `log/NNNNNN.jsonl`: the public records, one per line, 65,536 to a file (file N holds seqs N * 65536 + 1
//!   onwards); a full file is never rewritten;
//! - `checkpoint`: the latest signed checkpoint (R-A8), as `audit head` prints it;
//! - `officers.json`: every officer key the journal registered, with the seq of the event that did;
//! - `queues/<queue_type>-<group_year>.csv`: each queue in R-Q2 order with its positions;
//! - `places.csv`: every place.
//!
//! A DIR that already holds a publication must hold a prefix of this database's log (its checkpoint's root and
//! every record line), or nothing is written (exit 65). Publishing twice gives the same bytes.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::crypto;
use crate::error::{Error, Result};
use crate::store::applications;
use crate::store::audit::SignedHead;
use crate::store::places::{self, PlaceFilter};
use crate::store::publication::{self, RegisteredKey};
use crate::store::reference;
use crate::store::{Db, Snapshot};
use crate::tr;

/// Records per log file.
pub const RECORDS_PER_FILE: i64 = 65_536;

/// What `publish` wrote.
#[derive(Debug, Clone, Serialize)]
pub struct PublishReport {
    pub dir: String,
    pub tree_size: i64,
    pub root: String,
    pub log_files: usize,
    pub records_added: i64,
    pub queues: usize,
    pub places: usize,
}

/// The files of a publication other than the log and the queues, as bytes, before anything is written; and
/// the queues that have anyone waiting, whose files are written as they are read.
struct Files {
    other: Vec<(PathBuf, Vec<u8>)>,
    queues: Vec<(String, i64)>,
}

impl Files {
    fn queue_names(&self) -> Vec<String> {
        self.queues
            .iter()
            .map(|(queue_type, group_year)| format!("{queue_type}-{group_year}.csv"))
            .collect()
    }
}

/// One file of the log: its path and the seqs it holds.
struct LogFile {
    path: PathBuf,
    from: i64,
    to: i64,
}

/// What a log file already in DIR holds.
struct Existing {
    /// Whole lines already there, all of them this database's records.
    lines: i64,
    /// The file holds exactly the records it should: it is left alone.
    same: bool,
}

pub fn publish(db: &mut Db, dir: &Path) -> Result<PublishReport> {
    db.snapshot(|s| {
        let checkpoint = publication::checkpoint(s)?;
        let size = checkpoint.tree_size.unwrap_or(0);
        check_earlier(s, dir, size)?;
        let log: Vec<LogFile> = (0..)
            .map(|file: i64| LogFile {
                path: dir.join("log").join(format!("{file:06}.jsonl")),
                from: file * RECORDS_PER_FILE + 1,
                to: ((file + 1) * RECORDS_PER_FILE).min(size),
            })
            .take_while(|f| f.from <= size)
            .collect();
        // Every log file already published must hold a prefix of this log, or nothing is written.
        let existing = log
            .iter()
            .map(|f| compare(s, f))
            .collect::<Result<Vec<Existing>>>()?;
        let (files, places) = gather(s, dir, &checkpoint)?;
        for sub in ["log", "queues"] {
            std::fs::create_dir_all(dir.join(sub))
                .map_err(|e| Error::io(format!("{}", dir.join(sub).display()), e))?;
        }
        for (f, e) in log.iter().zip(&existing) {
            if !e.same {
                write_log_file(s, f)?;
            }
        }
        let k = reference::load_settings(s)?.general_per_first_priority;
        let queue_names = files.queue_names();
        for ((queue_type, group_year), name) in files.queues.iter().zip(&queue_names) {
            write_queue_file(
                s,
                &dir.join("queues").join(name),
                queue_type,
                *group_year,
                k,
            )?;
        }
        for (path, bytes) in &files.other {
            write_if_changed(path, bytes)?;
        }
        // A queue that no longer has anyone waiting has no file.
        if let Ok(entries) = std::fs::read_dir(dir.join("queues")) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".csv") && !queue_names.contains(&name) {
                    std::fs::remove_file(entry.path())
                        .map_err(|e| Error::io(format!("{}", entry.path().display()), e))?;
                }
            }
        }
        let published: i64 = existing.iter().map(|e| e.lines).sum();
        Ok(PublishReport {
            dir: dir.display().to_string(),
            tree_size: size,
            root: checkpoint.root.clone().unwrap_or_default(),
            log_files: log.len(),
            records_added: (size - published).max(0),
            queues: queue_names.len(),
            places,
        })
    })
}

/// Reads a log file already in DIR against this database's records, part by part.
fn compare(s: &Snapshot, f: &LogFile) -> Result<Existing> {
    let Ok(file) = std::fs::File::open(&f.path) else {
        return Ok(Existing {
            lines: 0,
            same: false,
        });
    };
    let io = |e| Error::io(format!("{}", f.path.display()), e);
    let mut existing = BufReader::with_capacity(1 << 16, file);
    let (mut lines, mut differs, mut ended) = (0i64, false, false);
    let mut feed = |mut bytes: &[u8]| -> Result<()> {
        while !bytes.is_empty() && !differs && !ended {
            let have = existing.fill_buf().map_err(io)?;
            if have.is_empty() {
                ended = true;
                break;
            }
            let n = have.len().min(bytes.len());
            let same = have[..n]
                .iter()
                .zip(&bytes[..n])
                .position(|(a, b)| a != b)
                .unwrap_or(n);
            lines += have[..same].iter().filter(|b| **b == b'\n').count() as i64;
            if same < n {
                differs = true;
                break;
            }
            existing.consume(n);
            bytes = &bytes[n..];
        }
        Ok(())
    };
    let mut last = None;
    publication::each_part(s, f.from, f.to, |seq, text| {
        if last.is_some_and(|l| l != seq) {
            feed(b"\n")?;
        }
        last = Some(seq);
        feed(text.as_bytes())
    })?;
    if last.is_some() {
        feed(b"\n")?;
    }
    let longer = !differs && !ended && !existing.fill_buf().map_err(io)?.is_empty();
    if differs || longer {
        return Err(Error::bad(tr!(
            "err-publish-not-prefix",
            path = f.path.display().to_string(),
            line = lines + 1
        )));
    }
    Ok(Existing {
        lines,
        same: !ended,
    })
}

/// Writes one log file from the database's records, through a temporary file and a rename. A temporary file
/// that could not be written whole (a full disk) is removed.
fn write_log_file(s: &Snapshot, f: &LogFile) -> Result<()> {
    let tmp = f.path.with_extension("tmp");
    write_log_file_through(s, f, &tmp).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn write_log_file_through(s: &Snapshot, f: &LogFile, tmp: &Path) -> Result<()> {
    let io = |e| Error::io(format!("{}", tmp.display()), e);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(tmp).map_err(io)?);
    let mut expected = f.from;
    let mut last = None;
    publication::each_part(s, f.from, f.to, |seq, text| {
        if last != Some(seq) {
            if seq != expected {
                return Err(Error::Tampered(tr!(
                    "err-publish-no-record",
                    seq = expected
                )));
            }
            if last.is_some() {
                out.write_all(b"\n").map_err(io)?;
            }
            expected += 1;
            last = Some(seq);
        }
        out.write_all(text.as_bytes()).map_err(io)
    })?;
    if expected != f.to + 1 {
        return Err(Error::Tampered(tr!(
            "err-publish-no-record",
            seq = expected
        )));
    }
    out.write_all(b"\n").map_err(io)?;
    out.into_inner().map_err(|e| io(e.into_error()))?;
    std::fs::rename(tmp, &f.path).map_err(|e| Error::io(format!("{}", f.path.display()), e))
}

/// Refuses a DIR whose checkpoint is not one of this log's: a larger tree, or another root at its size.
fn check_earlier(s: &Snapshot, dir: &Path, size: i64) -> Result<()> {
    let path = dir.join("checkpoint");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(());
    };
    let earlier = SignedHead::parse(&path.display().to_string(), &text)?;
    let (Some(old), Some(old_root)) = (earlier.tree_size, &earlier.root) else {
        return Err(Error::bad(tr!(
            "err-public-not-checkpoint",
            path = path.display().to_string()
        )));
    };
    if old > size || crypto::hex(&publication::root(s, old.max(0) as u64)?) != *old_root {
        return Err(Error::bad(tr!(
            "err-publish-foreign-checkpoint",
            path = path.display().to_string(),
            size = old
        )));
    }
    Ok(())
}

fn gather(s: &Snapshot, dir: &Path, checkpoint: &SignedHead) -> Result<(Files, usize)> {
    let mut other = vec![(dir.join("checkpoint"), checkpoint.to_text().into_bytes())];
    let keys: Vec<RegisteredKey> = publication::registered_keys(s)?;
    let mut officers = serde_json::to_vec_pretty(&serde_json::json!({ "officers": keys }))
        .expect("keys serialize");
    officers.push(b'\n');
    other.push((dir.join("officers.json"), officers));
    let queues = applications::queues_waiting(s)?;
    let places = places::list(s, &PlaceFilter::default())?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "id",
        "org",
        "group_year",
        "language",
        "place_type",
        "status",
        "release_date",
    ])
    .map_err(|e| Error::Internal(e.to_string()))?;
    for p in &places {
        csv.write_record([
            p.id.to_string().as_str(),
            &p.org,
            &p.group_year.to_string(),
            &p.language,
            &p.place_type,
            &p.status,
            &p.release_date,
        ])
        .map_err(|e| Error::Internal(e.to_string()))?;
    }
    other.push((
        dir.join("places.csv"),
        csv.into_inner()
            .map_err(|e| Error::Internal(e.to_string()))?,
    ));
    Ok((Files { other, queues }, places.len()))
}

/// Writes the file of one queue (R-V3) as it is read, in queue order, through a temporary file: a queue of
/// millions is never held in memory (R-O2). A file that holds the same bytes already is left alone.
fn write_queue_file(
    s: &Snapshot,
    path: &Path,
    queue_type: &str,
    group_year: i64,
    k: u32,
) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let written = (|| -> Result<()> {
        let file =
            std::fs::File::create(&tmp).map_err(|e| Error::io(format!("{}", tmp.display()), e))?;
        let mut csv = csv::Writer::from_writer(std::io::BufWriter::new(file));
        csv.write_record([
            "number",
            "priority_class",
            "registered_at",
            "status",
            "queue_position",
            "class_position",
        ])
        .map_err(|e| csv_error(&tmp, e))?;
        applications::for_each_in_queue_order(s, queue_type, group_year, k, |app, pos, class| {
            csv.write_record([
                app.number.as_str(),
                app.priority_class.as_str(),
                app.registered_at.as_str(),
                app.status.as_str(),
                &pos.to_string(),
                &class.to_string(),
            ])
            .map_err(|e| csv_error(&tmp, e))?;
            Ok(true)
        })?;
        let file = csv
            .into_inner()
            .map_err(|e| Error::io(format!("{}", tmp.display()), e.into_error()))?;
        file.into_inner()
            .map_err(|e| Error::io(format!("{}", tmp.display()), e.into_error()))?
            .sync_all()
            .map_err(|e| Error::io(format!("{}", tmp.display()), e))
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if same_bytes(&tmp, path) {
        return std::fs::remove_file(&tmp).map_err(|e| Error::io(format!("{}", tmp.display()), e));
    }
    std::fs::rename(&tmp, path).map_err(|e| Error::io(format!("{}", path.display()), e))
}

/// An error of writing a CSV file: the file's, when it is the disk's.
fn csv_error(path: &Path, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::io(format!("{}", path.display()), e),
        other => Error::Internal(format!("{other:?}")),
    }
}

/// Whether two files hold the same bytes, read a block at a time.
fn same_bytes(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(fa), Ok(fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    if fa.metadata().ok().map(|m| m.len()) != fb.metadata().ok().map(|m| m.len()) {
        return false;
    }
    let (mut ra, mut rb) = (std::io::BufReader::new(fa), std::io::BufReader::new(fb));
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = match ra.read(&mut ba) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return rb.read(&mut bb[..1]).is_ok_and(|m| m == 0);
        }
        if rb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, unless the file holds them already. A
/// temporary file that could not be written whole (a full disk) is removed.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|existing| existing == bytes) {
        return Ok(());
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("{}", tmp.display()), e)
    })?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(format!("{}", path.display()), e))
}
