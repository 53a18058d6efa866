//! The harness of the CSV import targets. Each process builds one database: initialized, with a first officer, the
//! example organizations and calendar committed and (but for `csv_application_empty`) the first half of the example
//! applications, so that every importer meets real reference data and real duplicates. Each input then runs as `kezek
//! <noun> import --dry-run` runs it: `CsvFile::from_bytes`, then `store::import::run` (the refusal of a file imported
//! before, the importer inside one change) as a dry run, rolled back at the end, so that every input meets the same
//! database.
//!
//! The invariants: no panic; an input is either imported (a report of this very file) or refused with
//! `Error::BadRows` whose every row names its line and the field (or the rule, or the CSV defect) at fault; any
//! other error (a database constraint, an internal error) is a finding; and a dry run leaves the journal as it
//! was.

// Each target uses one of the importers below.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kezek::crypto::{hex, sha256, PrivateKey, PublicKey};
use kezek::csvfile::CsvFile;
use kezek::domain::officer::NewOfficer;
use kezek::domain::time::Now;
use kezek::error::{Error, Result};
use kezek::store::import::{
    self, Applications, CalendarDays, ImportReport, Importer as _, Options, Orgs, Places,
};
use kezek::store::{self, Acting, Actor, Db, Mode};

/// The name every fuzzed file is given; reports and errors must carry it.
pub const NAME: &str = "input.csv";

/// The effective time of every import: Monday 16 March 2026, 10:00 in Almaty.
pub const NOW: &str = "2026-03-16T10:00";

const IVANOVA_KEY: &str = include_str!("../../tests/fixtures/keys/ivanova.key");
const IVANOVA_PUB: &str = include_str!("../../tests/fixtures/keys/ivanova.pub");
const ORGS: &[u8] = include_bytes!("../../examples/orgs.csv");
const CALENDAR: &[u8] = include_bytes!("../../examples/calendar.csv");
const APPLICATIONS: &[u8] = include_bytes!("../../examples/applications.csv");

/// One store import, as the `import` handler of its command calls it.
pub type ImportFn = fn(&mut Db, &Actor, &Now, &mut CsvFile, Options) -> Result<ImportReport>;

/// One importer: its columns, its store function and the names its row errors may start with.
pub struct Importer {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
    pub import: ImportFn,
    /// Besides the columns: the sub-fields a message may name (`doc date`, `consent date`, ...).
    pub subfields: &'static [&'static str],
}

pub const ORG: Importer = Importer {
    required: Orgs::REQUIRED,
    optional: Orgs::OPTIONAL,
    import: import::run::<Orgs>,
    subfields: &[],
};

pub const CALENDAR_DAYS: Importer = Importer {
    required: CalendarDays::REQUIRED,
    optional: CalendarDays::OPTIONAL,
    import: import::run::<CalendarDays>,
    subfields: &[],
};

pub const PLACE: Importer = Importer {
    required: Places::REQUIRED,
    optional: Places::OPTIONAL,
    import: import::run::<Places>,
    subfields: &[],
};

pub const APPLICATION: Importer = Importer {
    required: Applications::REQUIRED,
    optional: Applications::OPTIONAL,
    import: import::run::<Applications>,
    subfields: &["doc", "doc kind", "doc number", "doc date", "consent date"],
};

/// The database every input of one process meets.
pub struct City {
    db: Db,
    now: Now,
    actor: Actor,
}

fn officer_key() -> PrivateKey {
    PrivateKey::from_pem("ivanova.key", IVANOVA_KEY).expect("the fixture key")
}

/// The first `rows` data rows of a CSV file, with its header.
fn head(bytes: &[u8], rows: usize) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).expect("an example file is UTF-8");
    let mut out = String::new();
    for line in text.lines().take(rows + 1) {
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

/// Removes the databases of earlier runs whose process is gone.
fn remove_stale(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let alive = entry
            .file_name()
            .to_str()
            .map(|pid| Path::new("/proc").join(pid).exists())
            .unwrap_or(false);
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl City {
    /// The city of every import target; `applications` says whether it holds the first 100 example
    /// applications (without them, an application import takes the bulk path of an empty table).
    pub fn build(applications: bool) -> City {
        let root = std::env::temp_dir().join("kezek-fuzz");
        remove_stale(&root);
        let dir: PathBuf = root.join(std::process::id().to_string());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a directory for the database");
        let now = Now::new(Some(NOW), chrono::Utc::now()).expect("NOW parses");
        let (mut db, _) =
            Db::init(&dir.join("kezek.db"), &now, store::db::APPLICATION_ID).expect("kezek init");
        let public = PublicKey::from_pem("ivanova.pub", IVANOVA_PUB).expect("the fixture key");
        let first = Actor {
            acting: Acting::FirstOfficer("ivanova".into()),
            key: Some(officer_key()),
        };
        db.change(&first, &now, Mode::Commit, |c| {
            let officer = NewOfficer::check("ivanova", "Иванова Айгуль", "Алмалинский")?;
            store::officers::add(c, &officer, &public, Some(&public))
        })
        .expect("the first officer");
        let actor = Actor {
            acting: Acting::Officer("ivanova".into()),
            key: Some(officer_key()),
        };
        db.use_bulk_cache().expect("the bulk cache");
        let mut city = City { db, now, actor };
        city.commit(&ORG, "orgs.csv", ORGS.to_vec());
        city.commit(&CALENDAR_DAYS, "calendar.csv", CALENDAR.to_vec());
        if applications {
            city.commit(&APPLICATION, "applications.csv", head(APPLICATIONS, 100));
        }
        city
    }

    fn commit(&mut self, importer: &Importer, name: &str, bytes: Vec<u8>) {
        let mut csv = CsvFile::from_bytes(name, bytes, importer.required, importer.optional)
            .expect("an example file reads");
        (importer.import)(&mut self.db, &self.actor, &self.now, &mut csv, Options::commit())
            .unwrap_or_else(|e| panic!("the example {name} imports: {e}"));
    }

    fn journal_length(&self) -> i64 {
        rusqlite::Connection::open(self.db.path())
            .and_then(|conn| conn.query_row("SELECT count(*) FROM journal", [], |r| r.get(0)))
            .expect("the journal counts")
    }

    /// One fuzz input as a dry-run import of `importer`.
    pub fn run(&mut self, importer: &Importer, data: &[u8]) {
        let journal_before = self.journal_length();
        let mut csv =
            match CsvFile::from_bytes(NAME, data.to_vec(), importer.required, importer.optional) {
                Ok(csv) => csv,
                Err(e) => return check_error(importer, data, &e),
            };
        let result = (importer.import)(
            &mut self.db,
            &self.actor,
            &self.now,
            &mut csv,
            Options::dry_run(),
        );
        match result {
            Ok(report) => {
                assert_eq!(report.file, NAME, "the report names the file");
                assert_eq!(
                    report.sha256,
                    hex(&sha256(data)),
                    "the report carries the digest of the file's bytes"
                );
            }
            Err(e) => check_error(importer, data, &e),
        }
        assert_eq!(
            self.journal_length(),
            journal_before,
            "a dry run leaves the journal as it was"
        );
    }
}

/// An import refused: bad rows each naming their line (one of the file's, in file order) and field, or a repeat
/// of a file imported before.
fn check_error(importer: &Importer, data: &[u8], e: &Error) {
    let line_ends = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64;
    assert!(
        !e.to_string().chars().any(|c| c.is_control() && c != '\n'),
        "a control character in the report: {e:?}"
    );
    match e {
        Error::BadRows { file, rows } => {
            assert_eq!(file, NAME, "the error names the file");
            assert!(!rows.is_empty(), "BadRows without a row: {e}");
            for pair in rows.windows(2) {
                assert!(pair[0].line <= pair[1].line, "rows out of order: {rows:?}");
            }
            for row in rows {
                assert!(
                    (1..=line_ends + 1).contains(&row.line),
                    "line {} of a file of at most {} lines: {row:?}",
                    row.line,
                    line_ends + 1
                );
                assert!(
                    names_its_cause(importer, &row.message),
                    "line {}: '{}' names no field, rule or CSV defect",
                    row.line,
                    row.message
                );
            }
        }
        Error::Refused { rule: "import", .. } => {}
        other => panic!(
            "an import ended with {other:?} (exit {}: '{other}'), not with a report of bad rows",
            other.exit_code()
        ),
    }
}

/// Whether a row message starts with what it is about: a column or sub-field (`child_iin: ...`), the header,
/// a field past the header (`field 7: ...`), a rule (`R-Q6: ...`), or a defect the CSV reader found (`3 fields
/// where the header has 4`, `not valid UTF-8`). A row the database refused by a constraint
/// (`the database refuses the row: ...`) names none: it is a check the parsers lack, and so a finding.
fn names_its_cause(importer: &Importer, message: &str) -> bool {
    let Some((cause, rest)) = message.split_once(": ") else {
        return message.contains(" fields where the header has ")
            || message.starts_with("not valid UTF-8 (field ");
    };
    !rest.trim().is_empty()
        && (cause == "header"
            || cause == "read error"
            || is_field_number(cause)
            || is_rule(cause)
            || importer
                .required
                .iter()
                .chain(importer.optional)
                .chain(importer.subfields)
                .any(|f| *f == cause))
}

/// `field 7`: a field past the header, by its number.
fn is_field_number(cause: &str) -> bool {
    cause
        .strip_prefix("field ")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `R-` and a rule id such as `Q6` or `T3`.
fn is_rule(cause: &str) -> bool {
    cause.strip_prefix("R-").is_some_and(|id| {
        id.len() >= 2
            && id.starts_with(|c: char| c.is_ascii_uppercase())
            && id[1..].bytes().all(|b| b.is_ascii_digit())
    })
}
