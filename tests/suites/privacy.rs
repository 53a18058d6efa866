//! Personal data stays with its own family (SPEC §8; the consent of R-Q3 under Law No. 94-V).
//!
//! A city of 500 synthetic families (valid IINs, distinctive names, phones and e-mails) is imported and
//! registered; then every command of the command surface runs in every output format, on its success paths
//! and on its error paths (refusals by rule, bad input such as bad IINs and bad CSV rows that carry seeded
//! families' data, records not found, usage errors). Every stdout, every stderr and every file a command
//! writes is scanned for the seeded identities: IINs in full, names, phones and e-mails.
//!
//! Who may be shown, from SPEC §8 and §9 and the README:
//! - the views of one application (`application register|show|find|set-category|notice|card`, and
//!   `direction issue|extend|enroll|show|notice` of that application's direction) show that family, and no
//!   other;
//! - a row of `notify export` is addressed to one family and names that family only;
//! - everything else (lists, statistics, history, the audit, the sweep, the offer round, backups and checks,
//!   import reports, completions, man pages, key files) shows no family: IINs masked (`YYMMDD*****K`), no
//!   name, no phone, no e-mail;
//! - an error message never shows an IIN in full, not even the one the officer typed, nor any other family's
//!   name, phone or e-mail; a report about the rows of a CSV file is a list and shows no family at all.
//!
//! The same city then proves the file modes (database, backups, private keys: 0600) and the retention purge
//! (`db purge --before DATE`): no trace of the families whose applications ended before DATE in any table, in
//! the journal or in the bytes of the database file, the statistics unchanged, `audit verify` still passing. The broken variant runs a sample
//! of the lists, exports and refusals with the `iins-unmasked` fault and the same scan must find the leaks.
//!
//! The city is built once and shared by the tests below, each of which asserts one part of the rule.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime};

use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::common::city::{Applications, CityBuilder, Driver};
use crate::common::env::TestEnv;
use crate::common::sql::{sidecar, tables};
use crate::common::{commands_in_help, date, iin, wrong_check_digit, APPLICATION_COLUMNS};

/// The seed of the synthetic city; a failure names it, and the same seed rebuilds the same city.
const SEED: u64 = 0x6b65_7a65_6b94;
const FAMILIES: usize = 500;
/// Families 480.. are registered one by one with `application register`; the others are imported.
const FIRST_REGISTERED: usize = 480;
const FORMATS: [&str; 4] = ["table", "json", "csv", "text"];
/// Monday 16 March 2026, a working day before Nauryz.
const DAY1: &str = "2026-03-16T10:00";
/// Applications that ended before this day are purged; the purge runs on 20 April.
const PURGE_BEFORE: &str = "2026-04-15";
const PURGE_NOW: &str = "2026-04-20T10:00";
/// What a purged IIN becomes.
const PURGED_IIN: &str = "000000000000";

// ---------------------------------------------------------------------------------------------------------
// The seeded families.

/// First syllables (capitalised), then two more and a closing `ш`: a stem no other word of kezek contains,
/// unique per family, shared by the child's and the applicant's surnames.
const SYLLABLES_1: [&str; 5] = ["Жа", "Зу", "Кө", "Лы", "Мұ"];
const SYLLABLES_2: [&str; 10] = ["ба", "ге", "жы", "зо", "ку", "лө", "мі", "нұ", "пы", "рү"];
const BOYS: [&str; 6] = [
    "Ерназар",
    "Бекарыс",
    "Нұрдәулет",
    "Айбын",
    "Жанкелді",
    "Темірлан",
];
const GIRLS: [&str; 6] = ["Аяулым", "Іңкәр", "Балауса", "Нұрай", "Жансая", "Әсем"];
const MOTHERS: [&str; 6] = [
    "Ботагөз",
    "Гүлжан",
    "Ақмарал",
    "Назгүл",
    "Перизат",
    "Шолпан",
];
const DISTRICTS: [&str; 4] = ["Алмалинский", "Медеуский", "Бостандыкский", "Ауэзовский"];

#[derive(Debug, Clone)]
struct Family {
    child_iin: String,
    applicant_iin: String,
    stem: String,
    child_name: String,
    applicant_name: String,
    phone: String,
    email: String,
    birth: NaiveDate,
    registered_at: String,
    queue_type: &'static str,
    language: &'static str,
    district: &'static str,
    category: Option<&'static str>,
    docs: Vec<String>,
    consent: String,
    number: Option<String>,
}

fn between(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    from + Duration::days(rng.gen_range(0..=(to - from).num_days().max(0)))
}

/// The 500 families: children born 2019 to 2025 (three turn 7 this week, a quarter are of 2022, the year
/// places are published for), some out of turn or first priority, some in the sanatorium queue, registered
/// over three years.
fn families() -> Vec<Family> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut out = Vec::with_capacity(FAMILIES);
    for i in 0..FAMILIES {
        let birth = match i {
            0..=2 => date(2019, 3, 17) + Duration::days(i as i64),
            _ if i % 4 == 1 => between(&mut rng, date(2022, 1, 1), date(2022, 12, 31)),
            _ => between(&mut rng, date(2020, 6, 1), date(2025, 12, 31)),
        };
        let female = rng.gen_bool(0.5);
        let stem = format!(
            "{}{}{}ш",
            SYLLABLES_1[i / 100],
            SYLLABLES_2[(i / 10) % 10],
            SYLLABLES_2[i % 10]
        );
        let given = if female {
            GIRLS[rng.gen_range(0..GIRLS.len())]
        } else {
            BOYS[rng.gen_range(0..BOYS.len())]
        };
        let child_name = format!("{stem}{} {given}", if female { "ева" } else { "ев" });
        let applicant_name = format!("{stem}ева {}", MOTHERS[rng.gen_range(0..MOTHERS.len())]);
        let mother_birth = between(&mut rng, date(1985, 1, 1), date(1999, 12, 31));
        // Families registered today appear in CSV rows (bad ones) dated the last working day before.
        let registered = if i >= FIRST_REGISTERED {
            date(2026, 3, 13)
        } else if i < 3 {
            date(2024, 5, 2)
        } else {
            between(
                &mut rng,
                (birth + Duration::days(1)).max(date(2023, 1, 9)),
                date(2026, 3, 13),
            )
        };
        let registered_at = format!(
            "{}T{:02}:{:02}",
            registered,
            9 + rng.gen_range(0..9),
            rng.gen_range(0..60)
        );
        let doc_date = (registered - Duration::days(rng.gen_range(1..30))).max(birth);
        let sanatorium = i % 23 == 11;
        let mut docs = Vec::new();
        let category = if i % 29 == 3 {
            docs.push(format!("military_id:{}:{doc_date}", 10_000 + i));
            Some("military")
        } else if i % 7 == 2 {
            docs.push(format!(
                "large_family_certificate:{}:{doc_date}",
                20_000 + i
            ));
            Some("large_family")
        } else {
            None
        };
        if sanatorium {
            docs.push(format!("medical_conclusion:{}:{doc_date}", 30_000 + i));
        }
        let queue_type = if sanatorium { "sanatorium" } else { "general" };
        // A few imported rows keep the number of the older system (R-Q7 shape).
        let number = (i < FIRST_REGISTERED && i % 50 == 10).then(|| {
            format!(
                "{}.{}.{:06}.1",
                if sanatorium { "SDDO" } else { "DDO" },
                &registered_at[..4],
                900_000 + i
            )
        });
        out.push(Family {
            child_iin: iin(birth, female, 100 + 13 * i as u32),
            applicant_iin: iin(mother_birth, true, 10 + 17 * i as u32),
            stem,
            child_name,
            applicant_name,
            phone: format!("+7747{:07}", 1_000_000 + i * 7_919),
            email: format!("family{i:03}@privacy-test.kz"),
            birth,
            registered_at,
            queue_type,
            language: if i % 3 == 0 { "kk" } else { "ru" },
            district: DISTRICTS[i % DISTRICTS.len()],
            category,
            docs,
            consent: if i % 5 == 4 {
                format!("written:{registered}")
            } else {
                "egov".to_string()
            },
            number,
        });
    }
    out
}

impl Family {
    fn row(&self) -> Vec<String> {
        vec![
            self.registered_at.clone(),
            self.child_iin.clone(),
            self.child_name.clone(),
            self.applicant_iin.clone(),
            self.applicant_name.clone(),
            self.phone.clone(),
            self.email.clone(),
            self.district.to_string(),
            self.queue_type.to_string(),
            self.language.to_string(),
            self.category.unwrap_or_default().to_string(),
            self.docs.join(";"),
            self.consent.clone(),
            self.number.clone().unwrap_or_default(),
        ]
    }

    fn register_args(&self) -> Vec<String> {
        let template = "application register --child-iin {} --child-name {} --applicant-iin {} \
            --applicant-name {} --phone {} --email {} --district {} --queue-type {} --language {} \
            --consent egov";
        let mut args = cli(
            template,
            &[
                &self.child_iin,
                &self.child_name,
                &self.applicant_iin,
                &self.applicant_name,
                &self.phone,
                &self.email,
                self.district,
                self.queue_type,
                self.language,
            ],
        );
        if let Some(c) = self.category {
            args.extend(["--category".to_string(), c.to_string()]);
        }
        for d in &self.docs {
            // Documents of a registration made today carry a date before today.
            let kind_number = d.rsplit_once(':').expect("KIND:NUMBER:DATE").0;
            args.extend(["--doc".to_string(), format!("{kind_number}:2026-03-02")]);
        }
        args
    }
}

fn csv_text(rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(APPLICATION_COLUMNS).expect("CSV header");
    for r in rows {
        w.write_record(r).expect("CSV row");
    }
    String::from_utf8(w.into_inner().expect("CSV bytes")).expect("UTF-8")
}

// ---------------------------------------------------------------------------------------------------------
// The scan.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    Iin,
    Name,
    Phone,
    Email,
}

struct Token {
    text: Vec<u8>,
    kind: Kind,
    owners: Vec<usize>,
}

/// A many-needle substring search: tokens bucketed by a hash of their first four bytes, so that each
/// position of a text costs one table look-up.
struct Scanner {
    tokens: Vec<Token>,
    buckets: Vec<Vec<u32>>,
    /// Application and direction numbers, to the family they belong to.
    numbers: HashMap<String, usize>,
}

const BUCKET_BITS: u32 = 18;

fn bucket_of(b: &[u8]) -> usize {
    let key = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    (key.wrapping_mul(2_654_435_761) >> (32 - BUCKET_BITS)) as usize
}

impl Scanner {
    fn new(entries: impl IntoIterator<Item = (String, Kind, usize)>) -> Scanner {
        let mut by_text: BTreeMap<String, (Kind, BTreeSet<usize>)> = BTreeMap::new();
        for (text, kind, owner) in entries {
            assert!(text.len() >= 4, "a token of at least 4 bytes: {text}");
            by_text
                .entry(text)
                .or_insert_with(|| (kind, BTreeSet::new()))
                .1
                .insert(owner);
        }
        let mut buckets = vec![Vec::new(); 1 << BUCKET_BITS];
        let tokens: Vec<Token> = by_text
            .into_iter()
            .map(|(text, (kind, owners))| Token {
                text: text.into_bytes(),
                kind,
                owners: owners.into_iter().collect(),
            })
            .collect();
        for (i, t) in tokens.iter().enumerate() {
            buckets[bucket_of(&t.text)].push(i as u32);
        }
        Scanner {
            tokens,
            buckets,
            numbers: HashMap::new(),
        }
    }

    /// The identities of the seeded families: both IINs, the surname stem and both full names, the phone
    /// (its ten digits, so that `8 747…` and `+7747…` are both caught) and the e-mail.
    fn of_families(families: &[Family]) -> Scanner {
        Scanner::new(families.iter().enumerate().flat_map(|(i, f)| {
            [
                (f.child_iin.clone(), Kind::Iin, i),
                (f.applicant_iin.clone(), Kind::Iin, i),
                (f.stem.clone(), Kind::Name, i),
                (f.child_name.clone(), Kind::Name, i),
                (f.applicant_name.clone(), Kind::Name, i),
                (f.phone[2..].to_string(), Kind::Phone, i),
                (f.email.clone(), Kind::Email, i),
            ]
        }))
    }

    /// Every (token, byte offset) found in `text`.
    fn hits(&self, text: &str) -> Vec<(usize, usize)> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        for i in 0..b.len().saturating_sub(3) {
            for &t in &self.buckets[bucket_of(&b[i..])] {
                if b[i..].starts_with(&self.tokens[t as usize].text) {
                    out.push((t as usize, i));
                }
            }
        }
        out
    }

    /// The family of the first application or direction number in a line.
    fn family_in(&self, line: &str) -> Option<usize> {
        ["DDO.", "NAP."].iter().find_map(|prefix| {
            line.match_indices(prefix).find_map(|(at, _)| {
                let start = if line[..at].ends_with('S') {
                    at - 1
                } else {
                    at
                };
                let end = line[at..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                    .map(|e| at + e)
                    .unwrap_or(line.len());
                self.numbers
                    .get(line[start..end].trim_end_matches('.'))
                    .copied()
            })
        })
    }
}

/// Whose personal data an output may show.
#[derive(Debug, Clone)]
enum Scope {
    /// Nobody's: lists, statistics, the journal, reports.
    Nobody,
    /// One family's: the views of one application or direction.
    Family(usize),
    /// `notify export`: each row its own addressee's family.
    Outbox,
    /// Printed child cards among other output (`kezek demo`): each card its own family, the rest nobody's.
    Cards,
}

/// What kind of output a finding was made in, which decides the test that reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    /// A successful command that is not about one family: lists, stats, history, audit, sweep, files.
    Listing,
    /// A successful view of one application or direction.
    View,
    /// A successful `notify export`.
    Outbox,
    /// A failed command: refusal, not found, bad input, usage.
    Error,
    /// A failed CSV import: the report on its rows.
    ImportError,
}

#[derive(Debug, Clone)]
struct Finding {
    class: Class,
    command: String,
    stream: String,
    family: usize,
    kind: Kind,
    token: String,
    line: String,
    fault: bool,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{:?}] `{}` {}: {:?} of family {} ({}) in line: {}",
            self.class, self.command, self.stream, self.kind, self.family, self.token, self.line
        )
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The line around byte `at`, cut to about 240 bytes around it.
fn line_at(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map(|s| s + 1).unwrap_or(0);
    let end = text[at..].find('\n').map(|e| at + e).unwrap_or(text.len());
    let from = floor_boundary(text, start.max(at.saturating_sub(120)));
    let to = ceil_boundary(text, end.min(at + 120));
    text[from..to].to_string()
}

/// Splits an output into parts, each with the families it may show.
fn segments<'t>(
    scanner: &Scanner,
    text: &'t str,
    scope: &Scope,
    format: &str,
) -> Vec<(Cow<'t, str>, Vec<usize>)> {
    match scope {
        Scope::Nobody => vec![(Cow::Borrowed(text), vec![])],
        Scope::Family(f) => vec![(Cow::Borrowed(text), vec![*f])],
        Scope::Outbox => {
            let of = |number: Option<&str>| {
                number
                    .and_then(|n| scanner.numbers.get(n).copied())
                    .into_iter()
                    .collect::<Vec<_>>()
            };
            if format == "json" {
                if let Ok(Value::Array(rows)) = serde_json::from_str::<Value>(text) {
                    return rows
                        .iter()
                        .map(|r| (Cow::Owned(r.to_string()), of(r["application"].as_str())))
                        .collect();
                }
            }
            if format == "csv" {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .from_reader(text.as_bytes());
                let column = reader
                    .headers()
                    .ok()
                    .and_then(|h| h.iter().position(|c| c == "application"));
                if let Some(column) = column {
                    let mut out = vec![(
                        Cow::Owned(
                            reader
                                .headers()
                                .expect("headers")
                                .iter()
                                .collect::<Vec<_>>()
                                .join(","),
                        ),
                        vec![],
                    )];
                    for record in reader.records() {
                        let record = record.expect("a CSV record of notify export");
                        out.push((
                            Cow::Owned(record.iter().collect::<Vec<_>>().join(",")),
                            of(record.get(column)),
                        ));
                    }
                    return out;
                }
            }
            text.lines()
                .map(|l| (Cow::Borrowed(l), scanner.family_in(l).into_iter().collect()))
                .collect()
        }
        Scope::Cards => {
            let mut out = Vec::new();
            let mut card: Option<(usize, Vec<usize>)> = None;
            let lines: Vec<&str> = text.lines().collect();
            let mut rest = String::new();
            for (i, line) in lines.iter().enumerate() {
                if line.trim() == "КАРТОЧКА РЕБЁНКА" || line.trim() == "БАЛА КАРТОЧКАСЫ"
                {
                    card = Some((i, vec![]));
                }
                match &mut card {
                    Some((start, fams)) => {
                        if let Some(n) = line
                            .strip_prefix("Номер заявления: ")
                            .or_else(|| line.strip_prefix("Өтініш нөмірі: "))
                        {
                            fams.extend(scanner.numbers.get(n.trim()).copied());
                        }
                        if line.starts_with("Дата выдачи") || line.starts_with("Берілген күні")
                        {
                            out.push((Cow::Owned(lines[*start..=i].join("\n")), fams.clone()));
                            card = None;
                        }
                    }
                    None => {
                        rest.push_str(line);
                        rest.push('\n');
                    }
                }
            }
            if let Some((start, fams)) = card {
                out.push((Cow::Owned(lines[start..].join("\n")), fams));
            }
            out.push((Cow::Owned(rest), vec![]));
            out
        }
    }
}

/// The findings of one output: every seeded identity it shows that its scope does not allow (an error
/// message may show no IIN in full at all), and the count of those it shows where they are allowed, so that
/// a test can tell a scan that found nothing from one that saw nothing.
fn scan(
    scanner: &Scanner,
    text: &str,
    scope: &Scope,
    format: &str,
    error: bool,
) -> (Vec<(usize, Kind, String, String)>, usize) {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut shown = 0;
    for (part, allowed) in segments(scanner, text, scope, format) {
        for (t, at) in scanner.hits(&part) {
            let token = &scanner.tokens[t];
            let allowed_here = !(error && token.kind == Kind::Iin)
                && token.owners.iter().any(|o| allowed.contains(o));
            if allowed_here {
                shown += 1;
            } else if seen.insert((token.owners[0], token.kind)) {
                // One finding per family and kind in an output.
                out.push((
                    token.owners[0],
                    token.kind,
                    String::from_utf8_lossy(&token.text).into_owned(),
                    line_at(&part, at),
                ));
            }
        }
    }
    (out, shown)
}

// ---------------------------------------------------------------------------------------------------------
// Running commands.

/// A command line: a string split on whitespace, or words one by one (values with spaces).
trait Argv {
    fn argv(self) -> Vec<String>;
}

impl Argv for &str {
    fn argv(self) -> Vec<String> {
        self.split_whitespace().map(String::from).collect()
    }
}

impl Argv for String {
    fn argv(self) -> Vec<String> {
        self.as_str().argv()
    }
}

impl Argv for &String {
    fn argv(self) -> Vec<String> {
        self.as_str().argv()
    }
}

impl Argv for Vec<String> {
    fn argv(self) -> Vec<String> {
        self
    }
}

/// A command line from a template split on whitespace, each `{}` taking the next value whole (values with
/// spaces: names, reasons).
fn cli(template: &str, values: &[&str]) -> Vec<String> {
    let mut values = values.iter();
    template
        .split_whitespace()
        .map(|w| match w {
            "{}" => values.next().expect("a value for each {}").to_string(),
            _ => w.to_string(),
        })
        .collect()
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
    findings: usize,
}

impl Ran {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("JSON output ({e}):\n{}", self.stdout))
    }
}

/// The database's own files, which are the data, not an output.
fn is_database(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with("kezek.db")
}

fn files_under(dir: &Path, out: &mut BTreeMap<PathBuf, (u64, SystemTime)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            files_under(&path, out);
        } else {
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            out.insert(path, (meta.len(), modified));
        }
    }
}

/// Drives the binary on one database, and scans what each command printed and wrote.
struct Runner {
    env: TestEnv,
    now: String,
    fault: Option<&'static str>,
    scanner: Scanner,
    groups: BTreeSet<String>,
    inputs: BTreeSet<PathBuf>,
    files: BTreeMap<PathBuf, (u64, SystemTime)>,
    findings: Vec<Finding>,
    coverage: BTreeSet<(String, String)>,
    commands: usize,
    outputs: usize,
    bytes: u64,
    binary_files: usize,
    /// Identities shown where they are allowed, by class of output.
    shown: BTreeMap<Class, usize>,
}

impl Runner {
    fn new(scanner: Scanner) -> Runner {
        Runner {
            env: TestEnv::bare(),
            now: DAY1.to_string(),
            fault: None,
            scanner,
            groups: BTreeSet::new(),
            inputs: BTreeSet::new(),
            files: BTreeMap::new(),
            findings: Vec::new(),
            coverage: BTreeSet::new(),
            commands: 0,
            outputs: 0,
            bytes: 0,
            binary_files: 0,
            shown: BTreeMap::new(),
        }
    }

    /// Writes a file the test gives kezek (not an output).
    fn input(&mut self, name: &str, contents: &str) -> String {
        let path = self.env.write(name, contents);
        self.inputs.insert(path.clone());
        path.display().to_string()
    }

    fn path(&self, name: &str) -> String {
        self.env.path(name).display().to_string()
    }

    /// The command a run is of: a top-level command, or a group and its subcommand.
    fn leaf(&self, args: &[String]) -> String {
        match args {
            [group, sub, ..] if self.groups.contains(group) => format!("{group} {sub}"),
            [first, ..] => first.clone(),
            [] => String::new(),
        }
    }

    /// Runs `kezek ARGS --format FORMAT` and scans its stdout, its stderr and every file it wrote against
    /// `scope`; the outputs of a failed command are error messages.
    fn exec(&mut self, args: impl Argv, format: &str, scope: Scope) -> Ran {
        let args = args.argv();
        let mut cmd = self.env.cmd();
        cmd.env("KEZEK_NOW", &self.now);
        if let Some(fault) = self.fault {
            cmd.env("KEZEK_FAULT", fault);
        }
        let out = cmd
            .args(&args)
            .args(["--format", format])
            .output()
            .expect("kezek runs");
        let code = out.status.code().unwrap_or(-1);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let shown = format!("kezek {} --format {format}", args.join(" "));
        let leaf = self.leaf(&args);
        self.commands += 1;
        if self.fault.is_none() {
            self.coverage.insert((leaf.clone(), format.to_string()));
        }
        let class = match (&scope, code) {
            (Scope::Family(_), 0) => Class::View,
            (Scope::Outbox, 0) => Class::Outbox,
            (_, 0) => Class::Listing,
            _ if leaf.ends_with(" import") => Class::ImportError,
            _ => Class::Error,
        };
        let mut findings = self.check(&shown, "stdout", class, &stdout, &scope, format);
        findings += self.check(&shown, "stderr", class, &stderr, &scope, format);
        // Every file the command wrote; backups are binary, counted but not scanned.
        let mut files = BTreeMap::new();
        files_under(self.env.dir.path(), &mut files);
        for (path, stamp) in &files {
            if is_database(path)
                || self.inputs.contains(path)
                || self.files.get(path) == Some(stamp)
            {
                continue;
            }
            let bytes = std::fs::read(path).unwrap_or_default();
            if bytes.starts_with(b"SQLite format 3\0") {
                self.binary_files += 1;
                continue;
            }
            let name = path.strip_prefix(self.env.dir.path()).unwrap_or(path);
            let stream = format!("file {}", name.display());
            let text = String::from_utf8_lossy(&bytes);
            findings += self.check(&shown, &stream, class, &text, &scope, format);
        }
        self.files = files;
        Ran {
            code,
            stdout,
            stderr,
            findings,
        }
    }

    /// Runs a command that must exit with `code`.
    fn run(&mut self, args: impl Argv, format: &str, code: i32, scope: Scope) -> Ran {
        let args = args.argv();
        let ran = self.exec(args.clone(), format, scope);
        assert_eq!(
            ran.code,
            code,
            "kezek {} --format {format} (now {}, seed {SEED:#x})\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            self.now,
            ran.stdout,
            ran.stderr
        );
        ran
    }

    /// A command about nobody in particular that succeeds.
    fn ok(&mut self, args: impl Argv, format: &str) -> Ran {
        self.run(args, format, 0, Scope::Nobody)
    }

    /// A command about nobody in particular that fails with `code`.
    fn fail(&mut self, args: impl Argv, format: &str, code: i32) -> Ran {
        self.run(args, format, code, Scope::Nobody)
    }

    /// A command about one family that succeeds.
    fn view(&mut self, args: impl Argv, format: &str, family: usize) -> Ran {
        self.run(args, format, 0, Scope::Family(family))
    }

    /// A command about one family that fails with `code`.
    fn refused(&mut self, args: impl Argv, format: &str, code: i32, family: usize) -> Ran {
        self.run(args, format, code, Scope::Family(family))
    }

    fn json(&mut self, args: impl Argv) -> Value {
        self.ok(args, "json").json()
    }

    /// A command that succeeds in every format.
    fn all(&mut self, args: impl Argv, scope: Scope) {
        let args = args.argv();
        for format in FORMATS {
            self.run(args.clone(), format, 0, scope.clone());
        }
    }

    fn check(
        &mut self,
        command: &str,
        stream: &str,
        class: Class,
        text: &str,
        scope: &Scope,
        format: &str,
    ) -> usize {
        if text.is_empty() {
            return 0;
        }
        self.outputs += 1;
        self.bytes += text.len() as u64;
        let error = matches!(class, Class::Error | Class::ImportError);
        let (found, shown) = scan(&self.scanner, text, scope, format, error);
        *self.shown.entry(class).or_default() += shown;
        let n = found.len();
        for (family, kind, token, line) in found {
            self.findings.push(Finding {
                class,
                command: command.to_string(),
                stream: stream.to_string(),
                family,
                kind,
                token,
                line,
                fault: self.fault.is_some(),
            });
        }
        n
    }

    /// Application and direction numbers of the database, mapped to their families by child IIN.
    fn learn_numbers(&mut self, by_iin: &HashMap<String, usize>) {
        let conn = self.env.conn();
        let mut stmt = conn
            .prepare(
                "SELECT number, child_iin FROM application UNION ALL
                 SELECT d.number, a.child_iin FROM direction d JOIN application a ON a.number = d.application",
            )
            .expect("SQL");
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("SQL")
            .collect::<Result<_, _>>()
            .expect("rows");
        for (number, iin) in rows {
            if let Some(f) = by_iin.get(&iin) {
                self.scanner.numbers.insert(number, *f);
            }
        }
    }

    fn family(&self, number: &str) -> usize {
        *self
            .scanner
            .numbers
            .get(number)
            .unwrap_or_else(|| panic!("the family of {number}"))
    }

    /// The numbers of a list, in its order.
    fn numbers(&mut self, args: &str) -> Vec<(String, String)> {
        rows(&self.json(args))
            .iter()
            .map(|v| (text(v, "number"), text(v, "priority_class")))
            .collect()
    }

    /// Issues a direction; returns its number.
    fn issue(&mut self, number: &str, place: i64, format: &str) -> String {
        let f = self.family(number);
        let out = self.view(
            format!("direction issue {number} --place {place}"),
            format,
            f,
        );
        let d = if format == "json" {
            text(&out.json(), "number")
        } else {
            self.env
                .conn()
                .query_row(
                    "SELECT number FROM direction WHERE application = ?1 ORDER BY number DESC",
                    [number],
                    |row| row.get::<_, String>(0),
                )
                .expect("the direction just issued")
        };
        self.scanner.numbers.insert(d.clone(), f);
        d
    }

    /// Enrolls a direction (R-D8); a benefit class first shows a document too old, which is refused.
    fn enroll(&mut self, direction: &str, class: &str, format: &str) {
        let f = self.family(direction);
        if class == "general" {
            self.view(format!("direction enroll {direction}"), format, f);
        } else {
            let stale = format!("direction enroll {direction} --benefit-doc-date 2025-01-10");
            self.refused(stale, format, 3, f);
            let fresh = format!("direction enroll {direction} --benefit-doc-date 2026-03-10");
            self.view(fresh, format, f);
        }
    }

    /// Publishes places; returns their ids.
    fn publish(&mut self, org: &str, year: &str, count: u32) -> Vec<i64> {
        let args =
            format!("place publish --org {org} --group-year {year} --language ru --count {count}");
        self.json(args)["place_ids"]
            .as_array()
            .expect("place_ids")
            .iter()
            .map(|v| v.as_i64().expect("an id"))
            .collect()
    }
}

/// The runner builds the city with the builder's commands, each scanned like every other command, in the first
/// format that command has not run in yet.
impl Driver for Runner {
    fn env(&mut self) -> &mut TestEnv {
        &mut self.env
    }

    fn run(&mut self, args: Vec<String>) {
        let leaf = self.leaf(&args);
        let format = FORMATS
            .into_iter()
            .find(|f| !self.coverage.contains(&(leaf.clone(), f.to_string())))
            .unwrap_or("table");
        self.ok(args, format);
    }

    fn clock(&mut self, now: &str) {
        self.now = now.to_string();
    }

    fn input(&mut self, name: &str, contents: &[u8]) -> PathBuf {
        let text = std::str::from_utf8(contents).expect("a text file");
        PathBuf::from(Runner::input(self, name, text))
    }

    fn officer_key(&mut self, officer: &str) -> (PathBuf, PathBuf) {
        let (private, public) = self.env.key(officer);
        self.inputs.extend([private.clone(), public.clone()]);
        (private, public)
    }
}

fn text(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .to_string()
}

fn rows(v: &Value) -> Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array: {v}"))
        .to_vec()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The IIN typed with its last digit twice: the IIN in full inside a bad value.
fn typed_twice(iin: &str) -> String {
    format!("{iin}{}", &iin[11..])
}

// ---------------------------------------------------------------------------------------------------------
// The city and everything that is checked on it.

#[derive(Debug, Default)]
struct PurgeOutcome {
    report: Value,
    ended_applications: usize,
    purged_families: usize,
    /// Ended applications whose rows still hold personal data.
    rows_kept: Vec<String>,
    /// Notifications of ended applications that still hold a recipient or a text.
    notifications_kept: Vec<String>,
    /// Where an identity of a family that is gone is still found: table, column, row, what.
    traces: Vec<String>,
    /// Applications the purge must leave alone, and those it changed.
    untouched_checked: usize,
    untouched_changed: Vec<String>,
    stats_before: Vec<(String, String)>,
    stats_after: Vec<(String, String)>,
    audit_after: i32,
    check_after: i32,
    rows_scanned: u64,
    raw_file_traces: usize,
}

#[derive(Debug)]
struct FaultRun {
    command: String,
    clean: usize,
    faulty: usize,
    expect_leak: bool,
}

struct City {
    findings: Vec<Finding>,
    shown: BTreeMap<Class, usize>,
    fault_runs: Vec<FaultRun>,
    fault_findings: Vec<Finding>,
    leaves: Vec<String>,
    coverage: BTreeSet<(String, String)>,
    modes: Vec<(String, u32)>,
    purge: PurgeOutcome,
}

static CITY: OnceLock<Result<City, String>> = OnceLock::new();

/// The city, built once for all the tests of this file; a failure while building it fails every test with
/// its message.
fn city() -> &'static City {
    let built = CITY.get_or_init(|| {
        std::panic::catch_unwind(build_city).map_err(|e| {
            e.downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "building the city panicked".into())
        })
    });
    match built {
        Ok(city) => city,
        Err(e) => panic!("the city could not be built (seed {SEED:#x}): {e}"),
    }
}

struct Demo {
    findings: Vec<Finding>,
    outputs: usize,
    bytes: u64,
    identities: usize,
    modes: Vec<(String, u32)>,
}

/// `kezek demo` on its own database: it imports its own synthetic city and prints two child cards. Those
/// cards may show their own family; nothing else it prints or writes may show any of its families.
fn run_demo() -> Demo {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("demo.db");
    let out = assert_cmd::Command::cargo_bin("kezek")
        .expect("the kezek binary")
        .env_clear()
        .current_dir(dir.path())
        .env("KEZEK_NOW", DAY1)
        .arg("--db")
        .arg(&db)
        .arg("demo")
        .output()
        .expect("kezek demo runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "kezek demo: {stderr}");
    let conn = rusqlite::Connection::open(&db).expect("the demo database");
    let apps: Vec<[String; 5]> = conn
        .prepare("SELECT number, child_iin, applicant_iin, phone, email FROM application")
        .expect("SQL")
        .query_map([], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
        })
        .expect("SQL")
        .collect::<Result<_, _>>()
        .expect("rows");
    // The demo's names repeat from family to family; its IINs, phones and e-mails tell them apart.
    let mut family_of: HashMap<String, usize> = HashMap::new();
    for a in &apps {
        let n = family_of.len();
        family_of.entry(a[1].clone()).or_insert(n);
    }
    let mut scanner = Scanner::new(apps.iter().flat_map(|a| {
        let f = family_of[&a[1]];
        [
            (a[1].clone(), Kind::Iin, f),
            (a[2].clone(), Kind::Iin, f),
            (a[3].trim_start_matches("+7").to_string(), Kind::Phone, f),
            (a[4].clone(), Kind::Email, f),
        ]
    }));
    for a in &apps {
        scanner.numbers.insert(a[0].clone(), family_of[&a[1]]);
    }
    let mut files = BTreeMap::new();
    files_under(dir.path(), &mut files);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut outputs = vec![
        ("stdout".to_string(), stdout, Scope::Cards),
        ("stderr".to_string(), stderr, Scope::Nobody),
    ];
    let mut modes = vec![("demo database".to_string(), mode(&db))];
    for path in files.keys() {
        let content = std::fs::read(path).unwrap_or_default();
        let name = path
            .strip_prefix(dir.path())
            .unwrap_or(path)
            .display()
            .to_string();
        if path.extension().and_then(|e| e.to_str()) == Some("key") {
            modes.push((format!("demo {name}"), mode(path)));
        }
        if !content.starts_with(b"SQLite format 3\0") && !name.starts_with("demo.db") {
            let text = String::from_utf8_lossy(&content).into_owned();
            outputs.push((format!("file {name}"), text, Scope::Nobody));
        }
    }
    let mut findings = Vec::new();
    let bytes: u64 = outputs.iter().map(|o| o.1.len() as u64).sum();
    for (stream, content, scope) in &outputs {
        for (family, kind, token, line) in scan(&scanner, content, scope, "table", false).0 {
            findings.push(Finding {
                class: Class::Listing,
                command: "kezek demo".into(),
                stream: stream.clone(),
                family,
                kind,
                token,
                line,
                fault: false,
            });
        }
    }
    Demo {
        findings,
        outputs: outputs.len(),
        bytes,
        identities: scanner.tokens.len(),
        modes,
    }
}

fn build_city() -> City {
    let started = Instant::now();
    let demo = std::thread::spawn(run_demo);
    let families = families();
    let by_iin: HashMap<String, usize> = families
        .iter()
        .enumerate()
        .map(|(i, f)| (f.child_iin.clone(), i))
        .collect();
    let scanner = Scanner::of_families(&families);
    // The identities must tell the families apart: every token is one family's, and no family's data holds
    // another family's token.
    assert_eq!(
        scanner.tokens.len(),
        FAMILIES * 7,
        "seed {SEED:#x}: distinct identities"
    );
    for (i, f) in families.iter().enumerate() {
        let all = [
            &f.child_iin,
            &f.applicant_iin,
            &f.child_name,
            &f.applicant_name,
            &f.phone,
        ]
        .map(|s| s.as_str())
        .join("|")
            + "|"
            + &f.email;
        for (t, _) in scanner.hits(&all) {
            let token = &scanner.tokens[t];
            let text = String::from_utf8_lossy(&token.text);
            assert_eq!(
                token.owners,
                vec![i],
                "seed {SEED:#x}: family {i} holds {text}"
            );
        }
    }
    let mut r = Runner::new(scanner);

    // The command surface, as `--help` on every level lists it.
    let mut leaves = Vec::new();
    for command in commands_in_help(&r.ok("--help", "table").stdout) {
        let subs = commands_in_help(&r.ok(format!("{command} --help"), "table").stdout);
        if subs.is_empty() {
            leaves.push(command);
        } else {
            r.groups.insert(command.clone());
            for sub in subs {
                r.ok(format!("{command} {sub} --help"), "table");
                leaves.push(format!("{command} {sub}"));
            }
        }
    }
    r.coverage.clear();

    // --- The database, officers and their keys, reference data, and the families: 480 imported from a
    // migration file (each import tried with --dry-run first), 20 registered one by one later.
    let mut imported: Vec<&Family> = families[..FIRST_REGISTERED].iter().collect();
    imported.sort_by(|a, b| a.registered_at.cmp(&b.registered_at));
    let imported: Vec<Vec<String>> = imported.into_iter().map(Family::row).collect();
    let built = CityBuilder::new()
        .at(DAY1)
        // R-C6 has its own tests: here every notified child is directed, whatever its age.
        .setting("min_age_years", 0)
        .officers(3)
        .calendar()
        .applications(Applications::Csv(csv_text(&imported)))
        .dry_run_first()
        .drive(&mut r);
    let migration = built
        .migration
        .expect("the migration file")
        .display()
        .to_string();

    for format in FORMATS {
        r.ok("init", format);
    }
    let (_, sadykov_pub) = r.env.key("sadykov");
    let add_sadykov = cli(
        "officer add --id sadykov --name {} --district Медеуский --role officer --public-key {}",
        &["Садыков Ерлан", &sadykov_pub.display().to_string()],
    );
    r.fail(add_sadykov, "text", 65);
    let keygen = format!("officer keygen --out {} --bits 2048", r.path("keys"));
    r.ok(&keygen, "json");
    for format in ["table", "csv", "text"] {
        r.fail(&keygen, format, 2); // never overwrites a key
    }
    r.all("officer list", Scope::Nobody);

    let orgs = crate::common::ORGS;
    r.fail(format!("org import {orgs}"), "csv", 3);
    let bad = r.input(
        "bad-orgs.csv",
        "code,name,kind,district\nDS-900,,state,Медеуский\n",
    );
    r.fail(format!("org import {bad}"), "text", 65);
    let org_add = |code: &str| {
        let (name, address) = ("Ясли-сад № 900", "ул. Сатпаева, 9");
        let args = "org add --code {} --name {} --kind state --district Медеуский --address {}";
        cli(args, &[code, name, address])
    };
    r.ok(org_add("DS-900"), "table");
    r.fail(org_add("DS-900"), "json", 65);
    r.ok(org_add("DS-901"), "csv");
    r.fail(org_add("a b"), "text", 65);
    // R-I2: capacities of the organizations added above (no place is published there).
    for (i, format) in FORMATS.iter().enumerate() {
        r.ok(
            format!("org capacity DS-90{} --group-year 2022 --places 30", i % 2),
            format,
        );
    }
    let capacities = r.input(
        "capacity.csv",
        "org_code,group_year,places\nDS-900,2021,30\n",
    );
    r.ok(
        format!("org capacity-import {capacities} --dry-run"),
        "table",
    );
    r.ok(format!("org capacity-import {capacities}"), "json");
    r.fail(format!("org capacity-import {capacities}"), "csv", 3);
    let bad = r.input(
        "bad-capacity.csv",
        "org_code,group_year,places\nDS-999,2022,x\n",
    );
    r.fail(format!("org capacity-import {bad}"), "text", 65);
    r.all("org list", Scope::Nobody);
    r.ok("org list --district Медеуский", "json");

    let calendar = crate::common::CALENDAR;
    r.fail(format!("calendar import {calendar}"), "csv", 3);
    let bad = r.input("bad-days.csv", "date,kind,name\n2026-13-01,holiday,x\n");
    r.fail(format!("calendar import {bad}"), "text", 65);
    for (i, format) in FORMATS.iter().enumerate() {
        let d = format!("2026-10-{:02}", 5 + i);
        r.ok(
            format!("calendar add {d} --kind holiday --name проверка"),
            format,
        );
        r.ok(format!("calendar remove {d}"), format);
    }
    r.all("calendar show --year 2026", Scope::Nobody);
    r.all("settings show", Scope::Nobody);
    for format in ["table", "json", "csv"] {
        r.ok("settings set general_per_first_priority 3", format);
    }
    r.fail("settings set no_such_setting 3", "text", 2);
    r.all("category list", Scope::Nobody);
    r.all("district list", Scope::Nobody);
    for (i, format) in ["table", "json", "csv", "text"].into_iter().enumerate() {
        r.ok(format!("district add Район{i} --name-kk Аудан{i}"), format);
    }
    r.fail("district add Алмалинский --name-kk Алмалы", "text", 65);

    r.fail(format!("application import {migration}"), "csv", 3);

    // Bad rows that carry seeded families' data (families 481.. are not registered yet): a duplicate
    // against the database and inside the file (R-Q6), an IIN with a spreadsheet's text marker and one
    // typed with a digit twice, a phone with an extension, two e-mails in one cell, a bad queue type, a
    // registration in the future, an unknown category, a control character in a name, a bad consent, a
    // wrong check digit, a document without number and date, a short row. The report on a file's rows
    // is a list: it may show nobody's IIN, name, phone or e-mail.
    let row = |i: usize, column: usize, value: &dyn Fn(&Family) -> String| {
        let mut row = families[i].row();
        if column < row.len() {
            row[column] = value(&families[i]);
        }
        row
    };
    let same = |f: &Family| f.row()[0].clone();
    let bad_rows = vec![
        row(7, 0, &same),
        row(481, 0, &same),
        row(481, 0, &same),
        row(482, 1, &|f| format!("'{}", f.child_iin)),
        row(483, 1, &|f| typed_twice(&f.child_iin)),
        row(484, 5, &|f| format!("{} доб. 12", f.phone)),
        row(485, 6, &|f| format!("{}; papa@privacy-test.kz", f.email)),
        row(486, 8, &|_| "общая".into()),
        row(487, 0, &|_| "2026-04-01T10:00".into()),
        row(488, 10, &|_| "vip".into()),
        row(489, 2, &|f| format!("{}\u{7}", f.child_name)),
        row(490, 12, &|_| "verbal".into()),
        row(491, 3, &|f| wrong_check_digit(&f.applicant_iin)),
        row(492, 11, &|_| "large_family_certificate".into()),
    ];
    let mut bad_csv = csv_text(&bad_rows);
    let short = &families[493];
    bad_csv.push_str(&format!(
        "{},{},{}\n",
        short.registered_at, short.child_iin, short.child_name
    ));
    let bad = r.input("bad-applications.csv", &bad_csv);
    r.fail(format!("application import {bad} --dry-run"), "text", 65);
    r.fail(format!("application import {bad}"), "table", 65);

    // A migration file that lost its header row: the first family's row is read as the header.
    let rows = csv_text(&[families[494].row(), families[495].row()]);
    let headerless = r.input("no-header.csv", rows.split_once('\n').expect("a header").1);
    r.fail(format!("application import {headerless}"), "csv", 65);

    for (i, format) in (FIRST_REGISTERED..FAMILIES).zip(FORMATS.iter().cycle()) {
        r.view(families[i].register_args(), format, i);
    }
    r.learn_numbers(&by_iin);
    let applications = r.env.count("SELECT count(*) FROM application");
    assert_eq!(
        applications, FAMILIES as i64,
        "every family has its application"
    );

    // Registrations refused or bad, each about one family: that family's name, phone and e-mail may come
    // back, no IIN in full: R-Q6, an IIN typed with a digit twice, a bad phone, a missing flag, a wrong
    // check digit.
    r.refused(families[10].register_args(), "table", 3, 10);
    let mut args = families[11].register_args();
    args[3] = typed_twice(&families[11].child_iin);
    r.refused(args, "json", 65, 11);
    let mut args = families[12].register_args();
    args[11] = format!("{}x", families[12].phone);
    r.refused(args, "csv", 65, 12);
    let mut args = families[13].register_args();
    args.truncate(12);
    r.refused(args, "text", 2, 13);
    let mut args = families[14].register_args();
    args[3] = wrong_check_digit(&families[14].child_iin);
    r.refused(args, "table", 65, 14);

    // --- Changes of single applications (R-Q8).
    let queued =
        r.numbers("application list --status queued --group-year 2025 --queue-type general");
    assert!(queued.len() >= 4, "queued children of 2025: {queued:?}");
    let (w1, w2, changed) = (
        queued[0].0.clone(),
        queued[1].0.clone(),
        queued[2].0.clone(),
    );
    let (f_w, f_c) = (r.family(&w1), r.family(&changed));
    for (n, format) in [(&w1, "table"), (&w2, "json")] {
        let f = r.family(n);
        let withdraw = "application withdraw {} --reason {}";
        let reason = "переезд в другой город";
        r.refused(cli(withdraw, &[n, reason]), format, 2, f); // no terminal, no --yes
        r.view(cli(&format!("{withdraw} --yes"), &[n, reason]), format, f);
    }
    r.refused(
        format!("application withdraw {w1} --reason повторно --yes"),
        "csv",
        3,
        f_w,
    );
    r.fail(
        "application withdraw DDO.2099.999999.1 --reason нет --yes",
        "text",
        4,
    );
    let doc = "large_family_certificate:4242:2026-03-02";
    r.view(
        format!("application set-category {changed} --category large_family --doc {doc}"),
        "table",
        f_c,
    );
    r.view(
        format!("application set-category {changed} --category none"),
        "json",
        f_c,
    );
    r.refused(
        format!("application set-category {w1} --category none"),
        "csv",
        3,
        f_w,
    );
    r.refused(
        format!("application set-category {changed} --category vip"),
        "text",
        65,
        f_c,
    );

    // --- Places, the offer round and directions (SPEC §4, §5).
    let general = r.publish("DS-001", "2022", 6);
    let private = r.publish("PS-001", "2022", 1)[0];
    let private_young = r.publish("PS-001", "2024", 1)[0];
    let sanatorium_year = families[..FIRST_REGISTERED]
        .iter()
        .map(|f| (f.queue_type, f.birth.format("%Y").to_string()))
        .find(|(q, y)| *q == "sanatorium" && y != "2019")
        .map(|(_, y)| y)
        .expect("a sanatorium family");
    let sanatorium = r.publish("SS-001", &sanatorium_year, 1)[0];
    let other_year = r.publish("DS-002", "2023", 1)[0];
    r.ok(
        "place publish --org DS-003 --group-year 2021 --language kk --count 1",
        "table",
    );
    r.ok(
        "place publish --org DS-004 --group-year 2021 --language ru --count 1",
        "csv",
    );
    r.fail(
        "place publish --org DS-999 --group-year 2022 --language ru --count 1",
        "text",
        65,
    );
    let places = r.input(
        "places.csv",
        "org_code,group_year,language,place_type,count,release_date\n\
         DS-005,2020,kk,regular,2,2026-06-01\nDS-006,2021,ru,regular,1,2026-06-01\n",
    );
    r.ok(format!("place import {places} --dry-run"), "table");
    r.ok(format!("place import {places}"), "json");
    r.fail(format!("place import {places}"), "csv", 3);
    let bad = r.input(
        "bad-places.csv",
        "org_code,group_year,language,place_type,count,release_date\nDS-999,20x0,en,regular,0,x\n",
    );
    r.fail(format!("place import {bad}"), "text", 65);

    // --- Choice (SPEC §12): preferences set, an allocation and an exchange tried without writing, the
    // preferences removed again (the offer round below is what the rest of the script follows).
    let queued =
        r.numbers("application list --status queued --queue-type general --group-year 2022");
    let (n, f) = (queued[0].0.clone(), r.family(&queued[0].0));
    for (i, format) in FORMATS.iter().enumerate() {
        r.view(
            format!("application prefer {n} DS-00{} PS-001", 1 + i),
            format,
            f,
        );
    }
    r.refused(format!("application prefer {n} DS-999"), "text", 3, f);
    for format in FORMATS {
        r.ok("allocate --dry-run", format);
        r.ok("exchange --dry-run", format);
    }
    r.view(format!("application prefer {n} --clear"), "json", f);

    let round = r.json("offer");
    assert!(
        round["notified"].as_u64().unwrap_or(0) >= 7,
        "offer round: {round}"
    );
    let notified =
        r.numbers("application list --status notified --queue-type general --group-year 2022");
    assert_eq!(
        notified.len(),
        6,
        "six notified for six places: {notified:?}"
    );
    let a: Vec<String> = notified.iter().map(|n| n.0.clone()).collect();
    let fa: Vec<usize> = a.iter().map(|n| r.family(n)).collect();
    let d1 = r.issue(&a[0], general[0], "json");
    let d2 = r.issue(&a[1], general[1], "table");
    let d3 = r.issue(&a[2], general[2], "csv");
    let d4 = r.issue(&a[3], general[3], "text");
    let d5 = r.issue(&a[4], general[4], "json");
    // R-I1: a benefit confirmation with a document too old (refused in every format, nothing written).
    for format in FORMATS {
        r.refused(
            format!("direction confirm-benefit {d1} --doc large_family_certificate:1:2025-01-10"),
            format,
            3,
            fa[0],
        );
    }
    let no_place = format!("direction issue DDO.2099.999999.1 --place {}", general[5]);
    // Refusals: R-D2 (holds a direction), R-D3 (another group year), no such place or application.
    r.refused(
        format!("direction issue {} --place {}", a[3], general[5]),
        "table",
        3,
        fa[3],
    );
    r.refused(
        format!("direction issue {} --place {other_year}", a[5]),
        "json",
        3,
        fa[5],
    );
    r.refused(
        format!("direction issue {} --place 999999", a[5]),
        "csv",
        4,
        fa[5],
    );
    r.fail(no_place, "text", 4);
    r.enroll(&d1, &notified[0].1, "table");
    // Revocation within 24 hours (R-D7) asks first; an enrolled direction is neither revoked nor annulled.
    r.refused(format!("direction revoke {d2}"), "table", 2, fa[1]);
    r.view(format!("direction revoke {d2} --yes"), "json", fa[1]);
    r.refused(format!("direction revoke {d1} --yes"), "csv", 3, fa[0]);
    r.fail("direction revoke NAP.2099.999999 --yes", "text", 4);
    let annul = |d: &str| {
        cli(
            "direction annul {} --reason {} --yes",
            &[d, "ошибка в документах"],
        )
    };
    r.view(annul(&d3), "table", fa[2]);
    r.refused(annul(&d1), "json", 3, fa[0]);
    r.refused(
        cli("direction annul {} --reason ошибка", &[&d3]),
        "csv",
        2,
        fa[2],
    );
    r.fail(annul("NAP.2099.999999"), "text", 4);
    // Extension once (R-D6), not after enrollment.
    let extend = |d: &str| format!("direction extend {d} --days 10 --reason болезнь");
    r.view(extend(&d4), "json", fa[3]);
    r.refused(extend(&d4), "table", 3, fa[3]);
    r.refused(extend(&d1), "csv", 3, fa[0]);
    r.fail(extend("NAP.2099.999999"), "text", 4);
    r.refused(format!("direction enroll {d2}"), "csv", 3, fa[1]);
    r.fail("direction enroll NAP.2099.999999", "text", 4);

    // A private place (R-D4) taken by a queued child of 2022, who leaves the queue; refused for a child
    // under 3; the child who attends it registers again (R-Q6 allows it) and is refused another place
    // (R-D5).
    let queued_2022 = r.numbers(
        "application list --status queued --queue-type general --group-year 2022 --limit 10",
    );
    let (p_app, p_class) = queued_2022
        .into_iter()
        .find(|(n, _)| !a.contains(n))
        .expect("a queued child of 2022 not notified today");
    let d_private = r.issue(&p_app, private, "table");
    r.enroll(&d_private, &p_class, "json");
    let young = r.numbers(
        "application list --status queued --queue-type general --group-year 2024 --limit 1",
    );
    let (young, f_young) = (young[0].0.clone(), r.family(&young[0].0));
    r.refused(
        format!("direction issue {young} --place {private_young}"),
        "table",
        3,
        f_young,
    );
    let f_private = r.family(&p_app);
    let again = r
        .view(families[f_private].register_args(), "json", f_private)
        .json();
    let again = text(&again, "number");
    r.scanner.numbers.insert(again.clone(), f_private);
    r.refused(
        format!("direction issue {again} --place {}", general[5]),
        "json",
        3,
        f_private,
    );

    // The sanatorium queue: one place, one notified, enrolled.
    let s = r.numbers("application list --status notified --queue-type sanatorium");
    assert_eq!(s.len(), 1, "one sanatorium place, one notified: {s:?}");
    let d_sanatorium = r.issue(&s[0].0, sanatorium, "csv");
    r.enroll(&d_sanatorium, &s[0].1, "text");

    // Withdrawing places (R-P6).
    r.fail(format!("place withdraw {other_year}"), "table", 2);
    r.ok(format!("place withdraw {other_year} --yes"), "json");
    r.fail(format!("place withdraw {} --yes", general[4]), "csv", 3);
    r.fail("place withdraw 999999 --yes", "text", 4);

    // Look-ups (R-Q9): by IIN and by name, one family's view. Mistyped and unknown IINs are errors, and an
    // IIN given where a number is expected is not found; none of them may print the IIN in full.
    for (i, format) in (20..24).zip(FORMATS) {
        let f = &families[i];
        r.view(format!("application find --iin {}", f.child_iin), format, i);
        let birth = f.birth.to_string();
        let by_name = cli(
            "application find --name {} --birth-date {}",
            &[&f.child_name, &birth],
        );
        r.view(by_name, format, i);
    }
    r.view(
        format!("application find --iin {}", families[f_private].child_iin),
        "json",
        f_private,
    );
    let typed = typed_twice(&families[24].child_iin);
    r.refused(format!("application find --iin {typed}"), "table", 65, 24);
    let unknown = iin(date(2023, 1, 1), false, 9_000);
    r.fail(format!("application find --iin {unknown}"), "json", 4);
    let nobody = cli(
        "application find --name {} --birth-date 2023-01-01",
        &["Неизвестный Ребёнок"],
    );
    r.fail(nobody, "csv", 4);
    r.fail("application find", "text", 2);
    r.refused(
        format!("application show {}", families[25].child_iin),
        "table",
        4,
        25,
    );
    r.refused(format!("history {}", families[26].child_iin), "json", 4, 26);
    r.fail("application notice DDO.2099.999999.1", "csv", 4);
    r.fail("application card DDO.2099.999999.1", "text", 4);
    r.fail("application list --status waiting", "table", 2);
    r.fail("application list --group-year twenty", "json", 2);
    r.fail("application", "csv", 2);
    r.fail("application show", "text", 2);

    // --- The first night and the days after (SPEC §6).
    r.now = "2026-03-17T01:30".into();
    r.ok("sweep --dry-run", "table");
    r.ok("sweep", "json");
    r.ok("sweep", "csv");
    r.now = "2026-03-17T10:30".into();
    r.refused(format!("direction revoke {d4} --yes"), "table", 3, fa[3]); // R-D7: after 24 hours
    r.fail("sweep --date 2026-03-18", "text", 3); // R-S6: a day that has not begun
    r.now = "2026-03-21T10:00".into();
    r.fail("offer", "table", 3); // a Saturday
    r.now = "2026-03-27T01:30".into();
    r.ok("sweep --dry-run", "csv");
    r.ok("sweep", "table");
    r.now = "2026-03-27T10:00".into();
    r.refused(
        format!("direction issue {} --place {}", a[4], general[4]),
        "csv",
        3,
        fa[4],
    ); // R-D2
    r.refused(format!("direction verify {d5}"), "table", 3, fa[4]); // R-S2: expired
    r.ok("offer", "csv");
    r.now = "2026-04-20T01:30".into();
    r.ok("sweep --date 2026-04-20", "text");
    r.ok("sweep --date 2026-04-20", "json"); // nothing left to do
    r.now = PURGE_NOW.into();
    let child = families[fa[0]].child_iin.clone();
    let depart = |iin: &str, rest: &str| format!("child depart --iin {iin} --org DS-001 {rest}");
    r.refused(depart(&child, "--date 2026-03-01"), "table", 3, fa[0]); // R-D9: before enrollment
    r.view(depart(&child, "--date 2026-04-01"), "json", fa[0]);
    r.refused(depart(&child, ""), "csv", 4, fa[0]);
    r.refused(depart(&format!("'{child}"), ""), "text", 65, fa[0]);
    r.ok("offer", "text");
    r.learn_numbers(&by_iin);

    // --- Every view of one application or direction, for a sample of families in every state.
    let mut sample: BTreeSet<usize> = (0..FAMILIES).step_by(11).collect();
    sample.extend(FIRST_REGISTERED..FIRST_REGISTERED + 8);
    sample.extend([0, 1, 2, f_w, f_c, f_private, f_young]);
    sample.extend(&fa);
    let mut numbers: Vec<(String, usize)> = r
        .scanner
        .numbers
        .iter()
        .filter(|(n, f)| !n.starts_with("NAP.") && sample.contains(f))
        .map(|(n, f)| (n.clone(), *f))
        .collect();
    numbers.sort();
    for (k, (number, f)) in numbers.iter().enumerate() {
        let format = FORMATS[k % 4];
        if k % 4 == 0 {
            r.all(format!("application show {number}"), Scope::Family(*f));
        } else {
            r.view(format!("application show {number}"), format, *f);
        }
        r.view(format!("application notice {number}"), format, *f);
        r.view(
            format!("application card {number} --lang {}", ["kk", "ru"][k % 2]),
            format,
            *f,
        );
        r.ok(format!("history {number}"), format);
    }
    let mut directions: Vec<(String, usize)> = r
        .scanner
        .numbers
        .iter()
        .filter(|(n, _)| n.starts_with("NAP."))
        .map(|(n, f)| (n.clone(), *f))
        .collect();
    directions.sort();
    assert!(directions.len() >= 7, "directions issued: {directions:?}");
    for (d, f) in &directions {
        r.all(format!("direction show {d}"), Scope::Family(*f));
        r.view(format!("direction show {d} --lang kk"), "text", *f);
        r.view(format!("direction show {d} --lang ru"), "text", *f);
        r.ok(format!("history {d}"), "table");
        let status = text(
            &r.view(format!("direction show {d}"), "json", *f).json(),
            "status",
        );
        let live = status == "issued" || status == "enrolled";
        r.refused(
            format!("direction verify {d}"),
            "json",
            if live { 0 } else { 3 },
            *f,
        );
        if status == "enrolled" {
            r.view(format!("direction notice {d}"), "text", *f);
        } else {
            r.refused(format!("direction notice {d}"), "table", 3, *f);
        }
    }
    r.all(format!("direction verify {d1}"), Scope::Family(fa[0]));
    r.all(
        format!("direction notice {d1} --lang kk"),
        Scope::Family(fa[0]),
    );
    r.refused(format!("direction verify {d2}"), "csv", 3, fa[1]);
    r.fail("direction show NAP.2099.999999", "text", 4);
    r.fail("direction verify NAP.2099.999999", "table", 4);
    r.fail("direction notice NAP.2099.999999", "json", 4);

    // --- Lists, the journal, statistics, the audit and the database: no family at all.
    r.all("application list", Scope::Nobody);
    for filter in [
        "--queue-type sanatorium",
        "--group-year 2022",
        "--status stop_listed",
        "--status removed",
        "--status enrolled",
        "--status directed",
        "--limit 25",
    ] {
        r.all(format!("application list {filter}"), Scope::Nobody);
    }
    r.all("direction list", Scope::Nobody);
    r.ok("direction list --status enrolled", "json");
    r.ok(format!("direction list --application {}", a[0]), "csv");
    r.ok("direction list --org DS-001 --limit 3", "table");
    r.fail("direction list --status lost", "text", 2);
    r.all("place list", Scope::Nobody);
    r.ok("place list --org DS-001", "json");
    r.ok("place list --status free_choice", "csv");
    r.ok(
        format!("place list --type sanatorium --group-year {sanatorium_year}"),
        "table",
    );
    r.ok("place list --district Медеуский --limit 5", "table");
    r.fail("place list --status lost", "text", 2);
    for key in [
        "DS-001",
        "ivanova",
        "general_per_first_priority",
        "2026-05-27",
        "large_family",
    ] {
        r.all(format!("history {key}"), Scope::Nobody);
    }
    r.ok(format!("history {} --table application", a[0]), "json");
    r.fail("history DS-001 --table nothing", "csv", 2);
    // R-I3, R-I4: a month's attendance of two families' children, and the integrity report (masked IINs only).
    let month = r.input(
        "attendance.csv",
        &format!(
            "org_code,child_iin,month,days_present\nDS-001,{},2026-02,12\nDS-002,{},2026-02,0\n",
            families[fa[0]].child_iin, families[fa[1]].child_iin
        ),
    );
    r.ok(format!("attendance import {month} --dry-run"), "table");
    r.ok(format!("attendance import {month}"), "json");
    r.fail(format!("attendance import {month}"), "csv", 3);
    let bad = r.input(
        "bad-attendance.csv",
        &format!(
            "org_code,child_iin,month,days_present\nDS-999,{},2026-13,99\n",
            families[fa[2]].child_iin
        ),
    );
    r.fail(format!("attendance import {bad}"), "text", 65);
    r.all("integrity", Scope::Nobody);
    r.all("stats", Scope::Nobody);
    r.all("stats --from 2026-03-01 --to 2026-04-30", Scope::Nobody);
    r.fail(cli("stats --from {}", &["first of March"]), "json", 65);
    r.all("audit verify", Scope::Nobody);
    r.all("audit head", Scope::Nobody);
    let head = r.ok("audit head", "table").stdout;
    let head = r.input("head.txt", &head);
    r.all(format!("audit verify --head {head}"), Scope::Nobody);
    r.fail("audit verify --head no-such-head.txt", "table", 4);
    r.all("db check", Scope::Nobody);
    // The public log (R-V3, R-V4): what anyone may read, so no family's data in any of it.
    let publication = r.path("publication");
    r.all(format!("publish {publication}"), Scope::Nobody);
    r.all(format!("proof inclusion {}", a[0]), Scope::Nobody);
    r.all(format!("application explain {}", a[0]), Scope::Nobody);
    r.fail("proof inclusion --seq 0", "json", 2);
    r.all("proof consistency --from 3", Scope::Nobody);
    r.fail("proof consistency --from 9 --to 3", "csv", 2);
    // Registered with the clock pinned months back: `audit public` names the back-dated registration (R-V5).
    for format in FORMATS {
        r.fail(format!("audit public {publication}"), format, 65);
    }
    let backups: Vec<PathBuf> = FORMATS
        .iter()
        .map(|format| {
            let path = r.env.path(&format!("backup-{format}.db"));
            r.ok(format!("db backup {}", path.display()), format);
            path
        })
        .collect();
    r.fail(format!("db backup {}", backups[0].display()), "json", 2); // never overwrites
    for (shell, format) in ["bash", "zsh", "fish", "elvish", "powershell"]
        .iter()
        .zip(FORMATS.iter().cycle())
    {
        r.ok(format!("completions {shell}"), format);
    }
    r.fail("completions tcsh", "text", 2);
    for format in FORMATS {
        let out = r.path(&format!("man-{format}"));
        r.ok(format!("man --out {out}"), format);
    }
    // The outbox: each row names its own family only.
    r.all("notify export", Scope::Outbox);
    r.run("notify export --mark-sent", "table", 0, Scope::Outbox);
    r.run("notify export --mark-sent", "json", 0, Scope::Outbox);
    r.run("notify export", "csv", 0, Scope::Outbox);
    // Officers: a key rotated by another officer (R-A7); a key in use and one's own key are refused.
    let new_key = r.path("keys/officer.pub");
    r.fail(
        format!(
            "officer rotate-key omarova --public-key {}",
            sadykov_pub.display()
        ),
        "table",
        65,
    );
    r.fail(
        format!("officer rotate-key nobody --public-key {new_key}"),
        "csv",
        4,
    );
    r.ok(
        format!("officer rotate-key omarova --public-key {new_key}"),
        "json",
    );
    r.fail(
        format!("officer rotate-key ivanova --public-key {new_key}"),
        "text",
        3,
    );
    // Roles (R-R1): the table; a role changed, a bad role, a kindergarten without its organization.
    r.all("officer roles", Scope::Nobody);
    r.ok("officer set-role omarova --role service", "table");
    r.ok("officer set-role omarova --role admin", "json");
    r.fail("officer set-role omarova --role root", "csv", 2);
    r.fail("officer set-role omarova --role kindergarten", "text", 2);
    r.fail("officer set-role nobody --role officer", "table", 4);
    // Officers: deactivation asks, then works; an inactive officer changes nothing (R-A2).
    r.fail("officer deactivate omarova", "table", 2);
    r.ok("officer deactivate omarova --yes", "json");
    r.fail("officer deactivate omarova --yes", "csv", 3);
    r.fail("officer deactivate nobody --yes", "text", 4);
    r.env.act_as("omarova");
    r.fail("offer", "json", 3);
    r.env.act_as("ivanova");

    // --- The broken variant: a sample of lists, exports and refusals, run clean and then with IINs
    // unmasked. Those that show an IIN at all must be clean without the fault and caught with it.
    let duplicates = csv_text(&[families[30].row(), families[31].row(), families[31].row()]);
    let duplicates = r.input("duplicates.csv", &duplicates);
    let f40 = families[40].child_iin.clone();
    let sample: Vec<(Vec<String>, &str, i32, Scope, bool)> = vec![
        ("application list".argv(), "table", 0, Scope::Nobody, true),
        ("application list".argv(), "json", 0, Scope::Nobody, true),
        (
            "application list --status removed".argv(),
            "csv",
            0,
            Scope::Nobody,
            true,
        ),
        (
            format!("application import {duplicates} --dry-run").argv(),
            "table",
            65,
            Scope::Nobody,
            true,
        ),
        (
            families[f_c].register_args(),
            "json",
            3,
            Scope::Family(f_c),
            true,
        ),
        (
            format!("child depart --iin {f40} --org DS-002").argv(),
            "text",
            4,
            Scope::Family(40),
            true,
        ),
        ("notify export".argv(), "json", 0, Scope::Outbox, false),
        ("direction list".argv(), "csv", 0, Scope::Nobody, false),
        ("stats".argv(), "json", 0, Scope::Nobody, false),
    ];
    let mut fault_runs = Vec::new();
    for (args, format, code, scope, expect_leak) in sample {
        let clean = r.run(args.clone(), format, code, scope.clone()).findings;
        r.fault = Some("iins-unmasked");
        let faulty = r.run(args.clone(), format, code, scope).findings;
        r.fault = None;
        fault_runs.push(FaultRun {
            command: format!("kezek {} --format {format}", args.join(" ")),
            clean,
            faulty,
            expect_leak,
        });
    }

    // --- File modes: the database, its backups and private keys are the officer's alone.
    let mut modes = vec![("database".to_string(), mode(&r.env.db))];
    for suffix in ["-wal", "-shm"] {
        let p = sidecar(&r.env.db, suffix);
        if p.exists() {
            modes.push((format!("database{suffix}"), mode(&p)));
        }
    }
    for b in &backups {
        modes.push((format!("db backup {}", b.display()), mode(b)));
    }
    modes.push((
        "officer keygen officer.key".into(),
        mode(&r.env.path("keys/officer.key")),
    ));

    // --- Retention.
    let purge = purge(&mut r, &families, &by_iin);

    let demo = demo.join().expect("the demo ran");
    modes.extend(demo.modes.iter().cloned());
    let findings: Vec<Finding> = r
        .findings
        .iter()
        .filter(|x| !x.fault)
        .chain(&demo.findings)
        .cloned()
        .collect();
    let fault_findings: Vec<Finding> = r.findings.iter().filter(|x| x.fault).cloned().collect();
    let mut by_class: BTreeMap<Class, usize> = BTreeMap::new();
    for x in &findings {
        *by_class.entry(x.class).or_default() += 1;
    }
    let mut err = std::io::stderr();
    let _ = writeln!(
        err,
        "privacy: {} commands run (+1 demo), {} outputs scanned ({} binary backups counted, not \
         scanned), {} bytes scanned, {} seeded families ({} identities) + {} demo identities; leaks \
         found: {} {by_class:?}; broken variant: {} leaks in {} faulty runs; purge: {} ended \
         applications, {} families gone, {} database values scanned, {} traces left; {:.1} s (seed \
         {SEED:#x})",
        r.commands,
        r.outputs + demo.outputs,
        r.binary_files,
        r.bytes + demo.bytes,
        FAMILIES,
        r.scanner.tokens.len(),
        demo.identities,
        findings.len(),
        fault_findings.len(),
        fault_runs.len(),
        purge.ended_applications,
        purge.purged_families,
        purge.rows_scanned,
        purge.traces.len(),
        started.elapsed().as_secs_f64()
    );
    for x in &findings {
        let _ = writeln!(err, "privacy leak: {x}");
    }
    City {
        findings,
        shown: r.shown.clone(),
        fault_runs,
        fault_findings,
        leaves,
        coverage: r.coverage.clone(),
        modes,
        purge,
    }
}

/// Every value of every row of every table, as (table, column, row number, text).
fn database_texts(conn: &rusqlite::Connection) -> Vec<(String, String, i64, String)> {
    let mut out = Vec::new();
    for t in tables(conn) {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("SQL");
        let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
        let mut rows = stmt.query([]).expect("SQL");
        let mut n = 0;
        while let Some(row) = rows.next().expect("a row") {
            n += 1;
            for (i, c) in columns.iter().enumerate() {
                let value = match row.get_ref(i).expect("a value") {
                    rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => {
                        String::from_utf8_lossy(b).into_owned()
                    }
                    rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                    _ => continue,
                };
                out.push((t.clone(), c.clone(), n, value));
            }
        }
    }
    out
}

/// (number, child IIN) of applications.
type Numbered = Vec<(String, String)>;

/// `db purge --before PURGE_BEFORE` on the city, and what it leaves behind.
fn purge(r: &mut Runner, families: &[Family], by_iin: &HashMap<String, usize>) -> PurgeOutcome {
    let mut out = PurgeOutcome::default();
    // What ended before the day: enrolled or removed before it, with no live direction.
    let conn = r.env.conn();
    let all: Vec<(String, String, bool)> = conn
        .prepare(
            "SELECT number, child_iin,
                status IN ('enrolled', 'removed') AND removed_at IS NOT NULL
                AND substr(removed_at, 1, 10) < ?1
                AND NOT EXISTS (SELECT 1 FROM direction d WHERE d.application = a.number AND d.status = 'issued')
             FROM application a",
        )
        .expect("SQL")
        .query_map([PURGE_BEFORE], |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)))
        .expect("SQL")
        .collect::<Result<_, _>>()
        .expect("rows");
    let (ended, others): (Numbered, Numbered) = {
        let (e, w): (Vec<_>, Vec<_>) = all.into_iter().partition(|x| x.2);
        let pairs = |v: Vec<(String, String, bool)>| v.into_iter().map(|x| (x.0, x.1)).collect();
        (pairs(e), pairs(w))
    };
    out.ended_applications = ended.len();
    // A family is gone when every application of its child ended and the child attends no kindergarten
    // any more: then nothing of it may be left anywhere.
    let live: BTreeSet<String> = conn
        .prepare("SELECT child_iin FROM enrollment WHERE departed_on IS NULL OR departed_on >= ?1")
        .expect("SQL")
        .query_map([PURGE_BEFORE], |x| x.get(0))
        .expect("SQL")
        .collect::<Result<BTreeSet<String>, _>>()
        .expect("rows")
        .into_iter()
        .chain(others.iter().map(|w| w.1.clone()))
        .collect();
    drop(conn);
    let gone: BTreeSet<usize> = ended
        .iter()
        .filter(|(_, iin)| !live.contains(iin))
        .filter_map(|(_, iin)| by_iin.get(iin).copied())
        .collect();
    out.purged_families = gone.len();

    let stats = |r: &mut Runner| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for format in FORMATS {
            for period in ["", "--from 2026-03-01 --to 2026-04-20"] {
                let s = r.ok(format!("stats {period}"), format).stdout;
                out.push((format!("stats {period} --format {format}"), s));
            }
        }
        out
    };
    out.stats_before = stats(r);
    r.fail(format!("db purge --before {PURGE_BEFORE}"), "table", 2); // no terminal, no --yes
    r.fail("db purge --before 2026-05-01 --yes", "csv", 2); // after today
    out.report = r.json(format!("db purge --before {PURGE_BEFORE} --yes"));
    r.ok(format!("db purge --before {PURGE_BEFORE} --yes"), "text"); // nothing left to purge
    out.stats_after = stats(r);
    out.audit_after = r.exec("audit verify", "json", Scope::Nobody).code;
    out.check_after = r.exec("db check", "table", Scope::Nobody).code;
    for (number, _) in ended.iter().take(3) {
        let f = r.family(number);
        r.view(format!("application show {number}"), "json", f);
        r.ok(format!("history {number}"), "table");
    }

    let conn = r.env.conn();
    let purged = (PURGED_IIN, PURGED_IIN, "", "", "", "", "[]");
    for (number, _) in &ended {
        let row: (String, String, String, String, String, String, String) = conn
            .query_row(
                "SELECT child_iin, applicant_iin, child_name, applicant_name, phone, email, docs
                 FROM application WHERE number = ?1",
                [number],
                |x| {
                    Ok((
                        x.get(0)?,
                        x.get(1)?,
                        x.get(2)?,
                        x.get(3)?,
                        x.get(4)?,
                        x.get(5)?,
                        x.get(6)?,
                    ))
                },
            )
            .expect("the ended application");
        let as_str = (
            row.0.as_str(),
            row.1.as_str(),
            row.2.as_str(),
            row.3.as_str(),
            row.4.as_str(),
            row.5.as_str(),
            row.6.as_str(),
        );
        if as_str != purged {
            out.rows_kept.push(format!("{number}: {row:?}"));
        }
        let kept: Vec<String> = conn
            .prepare(
                "SELECT id || ' ' || recipient || ' ' || body FROM notification
                 WHERE application = ?1 AND (recipient <> '' OR body <> '')",
            )
            .expect("SQL")
            .query_map([number], |x| x.get(0))
            .expect("SQL")
            .collect::<Result<_, _>>()
            .expect("rows");
        out.notifications_kept
            .extend(kept.into_iter().map(|k| format!("{number}: {k}")));
    }
    for (number, iin) in &others {
        out.untouched_checked += 1;
        let now: String = conn
            .query_row(
                "SELECT child_iin FROM application WHERE number = ?1",
                [number],
                |x| x.get(0),
            )
            .expect("an application that did not end");
        if &now != iin {
            out.untouched_changed
                .push(format!("{number}: {iin} became {now}"));
        }
    }
    // Every value of every table, the journal's details included, against the families that are gone.
    let gone_scanner = Scanner::new(gone.iter().flat_map(|&i| {
        let f = &families[i];
        [
            (f.child_iin.clone(), Kind::Iin, i),
            (f.applicant_iin.clone(), Kind::Iin, i),
            (f.stem.clone(), Kind::Name, i),
            (f.phone[2..].to_string(), Kind::Phone, i),
            (f.email.clone(), Kind::Email, i),
        ]
    }));
    let texts = database_texts(&conn);
    out.rows_scanned = texts.len() as u64;
    let mut seen = BTreeSet::new();
    for (table, column, n, value) in &texts {
        for (t, at) in gone_scanner.hits(value) {
            let token = &gone_scanner.tokens[t];
            if seen.insert((table.clone(), column.clone(), token.owners[0], token.kind)) {
                out.traces.push(format!(
                    "{table}.{column} (row {n}): {:?} of family {} ({}) in: {}",
                    token.kind,
                    token.owners[0],
                    String::from_utf8_lossy(&token.text),
                    line_at(value, at)
                ));
            }
        }
    }
    // The bytes of the file as kezek left them (free space inside pages, free pages, the write-ahead log),
    // read while this connection still holds the database open, so that closing it does not checkpoint the
    // log first: what the purge removed may not be readable there either.
    let mut raw = std::fs::read(&r.env.db).unwrap_or_default();
    raw.extend(std::fs::read(sidecar(&r.env.db, "-wal")).unwrap_or_default());
    drop(conn);
    let raw = String::from_utf8_lossy(&raw);
    let readable: BTreeSet<usize> = gone_scanner
        .hits(&raw)
        .iter()
        .map(|(t, _)| gone_scanner.tokens[*t].owners[0])
        .collect();
    out.raw_file_traces = readable.len();
    let _ = writeln!(
        std::io::stderr(),
        "privacy: after the purge, {} of the {} families gone are still readable in the bytes of the \
         database file (free pages, write-ahead log)",
        out.raw_file_traces,
        out.purged_families
    );
    out
}

// ---------------------------------------------------------------------------------------------------------
// The tests.

fn report(findings: &[&Finding]) -> String {
    findings
        .iter()
        .take(40)
        .map(|f| format!("  {f}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn leaks_of(class: Class) -> Vec<&'static Finding> {
    city()
        .findings
        .iter()
        .filter(|f| f.class == class)
        .collect()
}

/// SPEC §8: lists and exports mask IINs, statistics hold no personal data; the same goes for the journal
/// (`history`), the audit, the sweep and offer summaries, backups, checks, completions, man pages, keys,
/// and `kezek demo` outside the child cards it prints.
#[test]
fn lists_statistics_history_audit_and_sweep_show_no_personal_data() {
    let leaks = leaks_of(Class::Listing);
    assert!(
        leaks.is_empty(),
        "{} leaks in outputs that may show no family (seed {SEED:#x}):\n{}",
        leaks.len(),
        report(&leaks)
    );
}

/// `application show|find|notice|card`, `direction show|notice` and the changes made to one application
/// show that family's data and nobody else's.
#[test]
fn single_application_views_show_their_own_family_only() {
    let shown = city().shown.get(&Class::View).copied().unwrap_or(0);
    assert!(
        shown > 1_000,
        "the views showed their own families {shown} times"
    );
    let leaks = leaks_of(Class::View);
    assert!(
        leaks.is_empty(),
        "{} views show another family (seed {SEED:#x}):\n{}",
        leaks.len(),
        report(&leaks)
    );
}

/// SPEC §8 outbox: each exported notification is addressed to its own family and names no other.
#[test]
fn notify_export_rows_name_only_the_family_they_are_addressed_to() {
    let shown = city().shown.get(&Class::Outbox).copied().unwrap_or(0);
    assert!(
        shown > 500,
        "exported rows addressed to seeded families: {shown}"
    );
    let leaks = leaks_of(Class::Outbox);
    assert!(
        leaks.is_empty(),
        "{} notification rows name another family (seed {SEED:#x}):\n{}",
        leaks.len(),
        report(&leaks)
    );
}

/// Refusals, not-found and usage errors: no IIN in full (masked, as R-Q6 refusals are), and no other family's
/// name, phone or e-mail.
#[test]
fn error_messages_show_no_full_iin_and_no_other_family() {
    let leaks = leaks_of(Class::Error);
    assert!(
        leaks.is_empty(),
        "{} error messages show personal data (seed {SEED:#x}):\n{}",
        leaks.len(),
        report(&leaks)
    );
}

/// R-P2 / `application import`: the report on a file's bad rows names line numbers and reasons, and shows no
/// IIN in full, no name, phone or e-mail of the families in those rows.
#[test]
fn csv_import_reports_show_no_personal_data_of_their_rows() {
    let leaks = leaks_of(Class::ImportError);
    assert!(
        leaks.is_empty(),
        "{} import reports show personal data (seed {SEED:#x}):\n{}",
        leaks.len(),
        report(&leaks)
    );
}

/// SPEC §9: every command `--help` lists ran, in every output format (the demo once, on its own database).
#[test]
fn every_command_of_the_surface_ran_in_every_format() {
    let c = city();
    assert!(
        c.leaves.len() >= 45,
        "commands found in --help: {:?}",
        c.leaves
    );
    let mut missing = Vec::new();
    for leaf in &c.leaves {
        if leaf == "demo" {
            continue;
        }
        for format in FORMATS {
            if !c.coverage.contains(&(leaf.clone(), format.to_string())) {
                missing.push(format!("{leaf} --format {format}"));
            }
        }
    }
    assert!(missing.is_empty(), "never run: {missing:?}");
}

/// SPEC §8, R-A1 and `db backup`: the database, its backups and private keys are created with mode 0600.
#[test]
fn database_backups_and_private_keys_are_created_with_mode_0600() {
    let c = city();
    assert!(c.modes.len() >= 8, "files checked: {:?}", c.modes);
    let wrong: Vec<String> = c
        .modes
        .iter()
        .filter(|(_, m)| *m != 0o600)
        .map(|(what, m)| format!("{what}: {m:o}"))
        .collect();
    assert!(wrong.is_empty(), "not 0600: {wrong:?}");
}

/// `db purge --before DATE`: the applications that ended before DATE keep no IIN, name, phone, e-mail or
/// document, their notifications no recipient or text, their directions no signed text naming the child; no
/// trace of a family that is gone is left in any table, the journal's details included, nor in the bytes of
/// the database file (free space, free pages, write-ahead log); waiting applications are untouched.
#[test]
fn db_purge_leaves_no_personal_data_of_ended_applications() {
    let p = &city().purge;
    assert!(
        p.ended_applications >= 8,
        "applications that ended: {}",
        p.ended_applications
    );
    assert!(
        p.purged_families >= 6,
        "families gone: {}",
        p.purged_families
    );
    assert_eq!(
        p.report["applications"].as_u64(),
        Some(p.ended_applications as u64),
        "purge report {}",
        p.report
    );
    assert!(
        p.rows_kept.is_empty(),
        "ended applications still hold personal data: {:?}",
        p.rows_kept
    );
    assert!(
        p.notifications_kept.is_empty(),
        "notifications of ended applications still hold a recipient or a text: {:?}",
        p.notifications_kept
    );
    assert!(
        p.untouched_checked > 400,
        "waiting applications checked: {}",
        p.untouched_checked
    );
    assert!(
        p.untouched_changed.is_empty(),
        "the purge changed live applications: {:?}",
        p.untouched_changed
    );
    assert!(
        p.traces.is_empty(),
        "{} traces of purged families are left in the database:\n  {}",
        p.traces.len(),
        p.traces.join("\n  ")
    );
    assert_eq!(
        p.raw_file_traces, 0,
        "families gone whose IIN, name, phone or e-mail is still readable in the bytes of the database file"
    );
}

/// SPEC §8 "statistics hold no personal data": every value `stats` gives in JSON and CSV is a count, a
/// date, a code (queue type, class, reason, kind, language, metric) or a district.
#[test]
fn stats_hold_counts_dates_codes_and_districts_only() {
    let orgs = include_str!("../../examples/orgs.csv");
    let districts: BTreeSet<&str> = orgs
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(3))
        .chain(DISTRICTS)
        .collect();
    let allowed = |v: &str| {
        v.is_empty()
            || v.parse::<f64>().is_ok()
            || districts.contains(v)
            || v.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            || (v.len() == 10 && NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok())
    };
    fn leaves(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m.values().for_each(|x| leaves(x, out)),
            Value::Array(a) => a.iter().for_each(|x| leaves(x, out)),
            Value::String(s) => out.push(s.clone()),
            Value::Null => {}
            other => out.push(other.to_string()),
        }
    }
    let p = &city().purge;
    let mut values = Vec::new();
    for (what, output) in p.stats_before.iter().chain(&p.stats_after) {
        if what.ends_with("json") {
            let v: Value = serde_json::from_str(output).expect("stats JSON");
            leaves(&v, &mut values);
        } else if what.ends_with("csv") {
            let mut reader = csv::Reader::from_reader(output.as_bytes());
            for record in reader.records() {
                values.extend(record.expect("a stats CSV record").iter().map(String::from));
            }
        }
    }
    assert!(values.len() > 100, "stats values: {}", values.len());
    let odd: BTreeSet<&String> = values.iter().filter(|v| !allowed(v)).collect();
    assert!(
        odd.is_empty(),
        "stats values that are not counts, dates, codes or districts: {odd:?}"
    );
}

/// `db purge` keeps the statistics (every count, in every format) and the audit: `audit verify` and
/// `db check` pass after it.
#[test]
fn db_purge_keeps_statistics_and_the_audit() {
    let p = &city().purge;
    assert_eq!(p.stats_before.len(), 8);
    for (before, after) in p.stats_before.iter().zip(&p.stats_after) {
        assert_eq!(before.0, after.0);
        assert_eq!(before.1, after.1, "{} changed with the purge", before.0);
    }
    assert_eq!(p.audit_after, 0, "audit verify after the purge");
    assert_eq!(p.check_after, 0, "db check after the purge");
}

/// The broken variant: with `KEZEK_FAULT=iins-unmasked` the lists, the import report and the refusals show
/// IINs in full, and the same scan finds them where the clean run found nothing.
#[test]
fn broken_variant_iins_unmasked_is_caught_by_the_scan() {
    let c = city();
    let mut err = std::io::stderr();
    for run in &c.fault_runs {
        let _ = writeln!(
            err,
            "privacy broken variant: {}: {} leaks clean, {} with iins-unmasked",
            run.command, run.clean, run.faulty
        );
    }
    let caught: Vec<&FaultRun> = c.fault_runs.iter().filter(|r| r.expect_leak).collect();
    assert!(caught.len() >= 6);
    for run in caught {
        assert_eq!(run.clean, 0, "{}: leaks without the fault", run.command);
        assert!(
            run.faulty > 0,
            "{}: the unmasked IINs went unnoticed",
            run.command
        );
    }
    assert!(
        c.fault_findings.iter().all(|f| f.kind == Kind::Iin),
        "the fault unmasks IINs only: {:?}",
        c.fault_findings.iter().find(|f| f.kind != Kind::Iin)
    );
}

/// The rule itself, on two families: a view of one family flags the other; an outbox row addressed to one
/// family flags the other family's e-mail in it; an error flags even its own family's IIN but not its phone;
/// a printed card of one family flags the other; nothing is allowed in a list, and masked IINs are not found.
#[test]
fn the_scan_allows_each_output_its_own_family_only() {
    let families = families();
    let (a, b) = (&families[100], &families[101]);
    let mut scanner = Scanner::of_families(&families[100..102]);
    scanner.numbers.insert("DDO.2026.000100.1".into(), 0);
    scanner.numbers.insert("DDO.2026.000101.1".into(), 1);
    let kinds = |found: Vec<(usize, Kind, String, String)>| -> Vec<(usize, Kind)> {
        found.into_iter().map(|(f, k, _, _)| (f, k)).collect()
    };
    let view = format!("{} {} {}\n{}", a.child_iin, a.child_name, a.phone, b.email);
    let found = scan(&scanner, &view, &Scope::Family(0), "table", false);
    assert_eq!(kinds(found.0), vec![(1, Kind::Email)]);
    assert_eq!(found.1, 4, "IIN, stem, name and phone of the family itself");

    let rows = serde_json::json!([
        { "application": "DDO.2026.000100.1", "recipient": a.email },
        { "application": "DDO.2026.000101.1", "recipient": b.phone, "body": a.email },
    ]);
    let found = scan(&scanner, &rows.to_string(), &Scope::Outbox, "json", false);
    assert_eq!(kinds(found.0), vec![(0, Kind::Email)]);
    let table = format!(
        "| 1 | DDO.2026.000100.1 | {} |\n| 2 | SDDO.2026.000101.1 | {} |\n",
        a.phone, a.phone
    );
    let found = scan(&scanner, &table, &Scope::Outbox, "table", false);
    assert_eq!(kinds(found.0), vec![(0, Kind::Phone)]);

    let error = format!(
        "phone: '{}x' is not a phone number; child_iin: '{}7'",
        a.phone, a.child_iin
    );
    let found = scan(&scanner, &error, &Scope::Family(0), "table", true);
    assert_eq!(kinds(found.0), vec![(0, Kind::Iin)]);

    let cards = format!(
        "| list |\nКАРТОЧКА РЕБЁНКА\nНомер заявления: DDO.2026.000100.1\nРебёнок: {}\nКонтакты: {}\n\
         Дата выдачи: 16.03.2026\n| after | {} |\n",
        a.child_name, b.phone, a.child_iin
    );
    let found = scan(&scanner, &cards, &Scope::Cards, "table", false);
    assert_eq!(kinds(found.0), vec![(1, Kind::Phone), (0, Kind::Iin)]);

    let masked = kezek::domain::iin::mask(&a.child_iin);
    let list = format!("| DDO.2026.000100.1 | {masked} | 2022 |\n");
    assert_eq!(
        scan(&scanner, &list, &Scope::Nobody, "table", false),
        (vec![], 0)
    );
    let list = format!("| DDO.2026.000100.1 | {} | 2022 |\n", b.applicant_iin);
    assert_eq!(
        kinds(scan(&scanner, &list, &Scope::Nobody, "table", false).0),
        vec![(1, Kind::Iin)]
    );
}
