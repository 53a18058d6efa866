//! What both test binaries share: the hermetic environment that drives the binary ([`env`]), the one city
//! builder every suite builds its database with ([`city`]), the SQL a test runs on a connection of its own
//! ([`sql`]), and the small helpers below (clocks, fixture keys, IINs, help texts).

pub mod city;
pub mod env;
pub mod sql;

use std::fmt::Display;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use kezek::crypto::PrivateKey;
use kezek::domain::iin::Iin;
use kezek::domain::time::{local, Now};

/// The example files the README and the tests use.
pub const ORGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/orgs.csv");
pub const CALENDAR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/calendar.csv");
pub const APPLICATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/applications.csv");

/// The columns of an applications file (SPEC §9): the required ones, then the number an older system kept.
pub static APPLICATION_COLUMNS: [&str; 14] = [
    "registered_at",
    "child_iin",
    "child_name",
    "applicant_iin",
    "applicant_name",
    "phone",
    "email",
    "district",
    "queue_type",
    "language",
    "category",
    "docs",
    "consent",
    "number",
];

/// The header of a places file (SPEC §9).
pub const PLACES_HEADER: &str = "org_code,group_year,language,place_type,count,release_date";

/// The counts of a sweep's summary, in the order of SPEC §9.
pub const SWEEP_COUNTS: [&str; 7] = [
    "windows_closed",
    "directions_expired",
    "stop_listed",
    "removed_expired_twice",
    "stop_lists_ended",
    "removed_age_limit",
    "benefits_unconfirmed",
];

/// A figure of a suite, on stderr (cargo shows it with `--nocapture`, and with a failure).
pub fn say(text: impl Display) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// A local time on a day, the journal's real time pinned to it too, so that a seed always builds the same bytes.
pub fn at(day: NaiveDate, h: u32, m: u32) -> Now {
    pinned(day.and_hms_opt(h, m, 0).expect("a time"))
}

/// A local time, the journal's real time pinned to it too.
pub fn pinned(t: NaiveDateTime) -> Now {
    let t = local(t);
    Now {
        effective: t,
        real: t,
    }
}

/// The directory of the officers' fixture keys (`ID.key`, `ID.pub`).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys")
}

/// An officer's fixture private key.
pub fn fixture_key(id: &str) -> PrivateKey {
    let text =
        std::fs::read_to_string(fixtures().join(format!("{id}.key"))).expect("a fixture key");
    PrivateKey::from_pem(id, &text).expect("an RSA key")
}

/// An officer's fixture public key, PEM.
pub fn public_pem(id: &str) -> String {
    std::fs::read_to_string(fixtures().join(format!("{id}.pub"))).expect("a fixture public key")
}

/// A birth date given as a date or as `YYYY-MM-DD`.
pub trait Birth {
    fn date(self) -> NaiveDate;
}

impl Birth for NaiveDate {
    fn date(self) -> NaiveDate {
        self
    }
}

impl Birth for &str {
    fn date(self) -> NaiveDate {
        NaiveDate::parse_from_str(self, "%Y-%m-%d").expect("a date")
    }
}

/// A valid IIN (R-Q4) of someone born on `birth`: the first serial from `serial` on that has a check digit.
pub fn iin(birth: impl Birth, female: bool, serial: u32) -> String {
    let birth = birth.date();
    (serial..)
        .find_map(|s| Iin::build(birth, female, s))
        .expect("an IIN")
}

/// The same IIN with another, hence wrong, check digit.
pub fn wrong_check_digit(iin: &str) -> String {
    let last = iin.as_bytes()[11] - b'0';
    format!("{}{}", &iin[..11], (last + 1) % 10)
}

/// A field of a signed checkpoint (`audit head`, a publication's `checkpoint`): the value of its `KEY: ` line.
pub fn checkpoint_field<'a>(checkpoint: &'a str, key: &str) -> &'a str {
    checkpoint
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("{key} in the checkpoint:\n{checkpoint}"))
}

/// The subcommands a `--help` lists under `Commands:` (without `help`).
pub fn commands_in_help(help: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in help.lines() {
        if line.starts_with("Commands:") {
            inside = true;
        } else if inside && line.trim().is_empty() {
            break;
        } else if inside && line.starts_with("  ") && !line.starts_with("   ") {
            let name = line.split_whitespace().next().unwrap_or("");
            if name != "help" {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// A directory in memory (/dev/shm) where there is one, else an ordinary temporary directory. SQLite on tmpfs
/// locks and fsyncs as on a disk, only the fsync costs nothing: what the suites test is not the disk, and a
/// shared disk's fsync latency would otherwise decide how long they run.
pub fn tmpfs_dir(prefix: &str) -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::Builder::new().prefix(prefix).tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().expect("a temporary directory")
}
