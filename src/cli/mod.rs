//! The command line: clap definitions and thin handlers. A handler reads its arguments, calls one store or
//! domain function, and renders the result; the rules live in `crate::domain` and `crate::store`.
//!
//! This file holds the parser (`Cli`, `Global`, `Command`), what every handler gets (`Ctx`), the dispatcher
//! (`run`) and the shape shared by the CSV imports (`ImportArgs`, `import_file`). Every other file is one
//! top-level command, named as typed: `application`, `audit`, `calendar`, `category`, `child`, `completions`,
//! `db`, `demo`, `direction`, `history`, `init`, `man`, `notify`, `offer`, `officer`, `org`, `place`,
//! `settings`, `stats`, `sweep`. `output` is the one renderer.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::crypto::PrivateKey;
use crate::domain::time::Now;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::store::import::{self, Importer};
use crate::store::Mode;
use crate::store::{Acting, Actor, Change, Db};

pub mod allocate;
pub mod application;
pub mod attendance;
pub mod audit;
pub mod calendar;
pub mod category;
pub mod child;
pub mod completions;
pub mod db;
pub mod demo;
pub mod direction;
pub mod district;
pub mod exchange;
pub mod help;
pub mod history;
pub mod init;
pub mod integrity;
pub mod man;
pub mod notify;
pub mod offer;
pub mod officer;
pub mod org;
pub mod output;
pub mod place;
pub mod proof;
pub mod publish;
pub mod settings;
pub mod stats;
pub mod sweep;

use output::{Format, Output};

pub const DEFAULT_DB: &str = "./kezek.db";

const AFTER_HELP: &str = "\
Exit codes: 0 done; 1 unexpected error; 2 usage error; 3 refused by a rule (the message names the rule);
4 not found; 65 bad input data (or an audit that fails); 75 database busy, read-only or on a full disk (nothing was changed: try again once that is cleared).

Every command that changes data is one transaction: on any error nothing is written. It names the acting
officer (--officer) and signs the journal's new head with that officer's key (--key).";

/// kezek: the back office of a city's electronic queue of preschool children.
#[derive(Debug, Parser)]
#[command(name = "kezek", version, about, long_about = None, after_long_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
    /// The command as typed, without flags (`direction issue`), from `command_path`: what the acting officer's
    /// role must allow (R-R2).
    #[arg(skip)]
    pub path: String,
}

/// The command as typed, subcommand names only (`direction issue`), of parsed `matches`.
pub fn command_path(matches: &clap::ArgMatches) -> String {
    let mut names = Vec::new();
    let mut m = matches;
    while let Some((name, sub)) = m.subcommand() {
        names.push(name);
        m = sub;
    }
    names.join(" ")
}

/// The global flags (SPEC §9), each with its environment variable.
#[derive(Debug, Args)]
pub struct Global {
    /// The database file [default: ./kezek.db; ./kezek-demo.db for `demo`]
    #[arg(long, global = true, env = "KEZEK_DB", value_name = "PATH", value_parser = path_or_empty())]
    pub db: Option<PathBuf>,
    /// The effective time of the command: RFC 3339, or YYYY-MM-DD[THH:MM] in Almaty time (R-T2)
    #[arg(long, global = true, env = "KEZEK_NOW", value_name = "TIME")]
    pub now: Option<String>,
    /// The acting officer's id (R-A2)
    #[arg(long, global = true, env = "KEZEK_OFFICER", value_name = "ID")]
    pub officer: Option<String>,
    /// The acting officer's private key, PKCS#8 PEM, mode 0600 (R-A5)
    #[arg(long, global = true, env = "KEZEK_KEY", value_name = "FILE", value_parser = path_or_empty())]
    pub key: Option<PathBuf>,
    /// Output format of read commands
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Answer yes to confirmations of destructive commands
    #[arg(long, global = true)]
    pub yes: bool,
    /// Print nothing on stderr but errors
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// The language of messages, tables and documents [default: KEZEK_LANG, else the locale (LC_ALL,
    /// LC_MESSAGES, LANG), else en]; documents are in the family's language unless this flag is given
    #[arg(long, global = true, value_name = "LANG", value_parser = ["ru", "kk", "en"])]
    pub lang: Option<String>,
}

/// A path that may be empty: an empty `KEZEK_DB` or `KEZEK_KEY` (a cron line that sets it to nothing) counts as
/// unset, as an empty `KEZEK_NOW` or `KEZEK_OFFICER` does, instead of failing to parse.
fn path_or_empty() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    use clap::builder::TypedValueParser;
    clap::builder::OsStringValueParser::new().map(PathBuf::from)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database, or migrate it to this version of kezek
    #[command(
        long_about = "Create the database, or migrate it to this version of kezek.\n\n\
        The file is created with mode 0600. Migrations from sql/ are applied in order in one exclusive \
        transaction, tracked by PRAGMA user_version; running init again is harmless. Every connection uses \
        WAL, synchronous=FULL, foreign keys and a busy timeout of 5 seconds."
    )]
    Init,
    /// Officers and their signing keys (R-A1, R-A2)
    #[command(subcommand)]
    Officer(officer::OfficerCommand),
    /// Organizations (kindergartens)
    #[command(subcommand)]
    Org(org::OrgCommand),
    /// The working-day calendar (R-T3, R-T4)
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Settings a city may decide (SPEC §2a)
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// Benefit categories (R-Q3)
    #[command(subcommand)]
    Category(category::CategoryCommand),
    /// The city's districts (R-L2)
    #[command(subcommand)]
    District(district::DistrictCommand),
    /// Applications and the queue (R-Q1..R-Q9)
    #[command(subcommand)]
    Application(application::ApplicationCommand),
    /// Places in kindergartens (R-P1, R-P2, R-P6)
    #[command(subcommand)]
    Place(place::PlaceCommand),
    /// The offer round: notify the head of each queue of the free places (R-P3)
    #[command(
        long_about = "The offer round (R-P3), on a working day before the offer window closes. For each \
        queue (queue type, group year) it takes the free places of state and sanatorium organizations whose \
        release date has come, and notifies that many queued, eligible applications from the head of the \
        queue: they become notified, with an offer window until the end of today's window (offer_window, \
        09:00-20:00), and an e-mail and an SMS go to the outbox. When at least one is notified, those places \
        become offered; otherwise they stay free. Private organizations' places are never offered. Linked \
        siblings (twins, R-C5) are notified together at the position of the first of them, when one \
        organization of the round has a place for each (the organization where one of them already holds a \
        direction, if one does); otherwise none of them is: they keep their positions, the round publishes them \
        as passed over, and the places go on down the queue. A twin stop-listed or under the minimum age holds \
        the others back. Windows that ended are closed first (R-P4): their notified applications wait again at \
        the same position and their untaken places go to free choice. Never asks."
    )]
    Offer,
    /// Directions by ranked preferences: serial dictatorship in queue order (R-C2)
    #[command(
        long_about = "The allocation (R-C2), on a working day, in one transaction. For each queue (queue type, \
        group year), the waiting applications that may be directed today (not stop-listed, not attending an \
        organization, at least min_age_years old) take, one after the other in queue order, their best-ranked \
        organization (`application prefer`) that still has a free or offered place of their queue and group \
        year whose release date has come; a private organization's places only for children of at least \
        private_min_age_years. Linked siblings (R-C5) are served together at the position of the first, with \
        places in one organization for all or none. Each gets a signed direction (R-D1, R-A3) and its family an \
        e-mail and an SMS; the run is one journal event, published whole with the applications the rules kept \
        from their choices, so that anyone can replay it. Applications with no preference, or none with a \
        place, keep their position; the places left stay for the offer round. This is serial dictatorship: \
        ranking truthfully is always best, and nobody ahead in the queue envies anyone behind. --dry-run \
        prints the outcome and writes nothing. Waits up to 5 seconds for another writer, then exits 75."
    )]
    Allocate(allocate::AllocateArgs),
    /// Swap places between enrolled children who want each other's kindergarten: Top Trading Cycles (R-C4)
    #[command(
        long_about = "The exchange (R-C4), on a working day, in one transaction. Its participants are the \
        waiting transfer applications (`application register --transfer`) of children attending an \
        organization, with preferences, pooled by the group year and place type of the place each holds. In \
        queue order, each points to the earliest participant holding a place in its best-ranked organization \
        still held by a participant; following the pointers from the earliest closes a cycle (A wants B's \
        organization, B wants A's; longer cycles too), which is carried out at once: every member leaves its \
        place and is enrolled, by a signed direction, in the place of the member it points to; its family is \
        told. Nobody gets an organization they did not rank, and no other swap of the same places makes \
        someone better off without making someone worse off. It answers the paid swaps arranged in parents' \
        chats. --dry-run prints the cycles and writes nothing. Waits up to 5 seconds for another writer, then \
        exits 75."
    )]
    Exchange(exchange::ExchangeArgs),
    /// Signed directions: issue, extend, revoke, annul, enroll, show, verify, list (R-D1..R-D9, R-A3)
    #[command(subcommand)]
    Direction(direction::DirectionCommand),
    /// The integrity report: what a prosecutor's check looks for (R-I4)
    #[command(
        long_about = "The integrity report (R-I4): every finding of the checks a prosecutor's office makes, each \
        with its code, its subject and the facts, no personal data beyond masked IINs. Codes: \
        double_enrollment (a child enrolled in two organizations), attendance_without_enrollment (days present \
        reported for a child not enrolled there that month), enrollment_without_attendance (enrolled, in an \
        organization that reports attendance, with no day present in the last two full months), \
        places_held_back (fewer places published than capacity less enrolled), over_capacity (more enrolled \
        than capacity), late_publication (places released more than 10 days ago, still free and never offered \
        while their queue waits), free_choice_far_down (a place its offer window left untaken, directed within \
        the hour after the window closed to an application with 10 or more ahead of it still waiting), \
        backdated_registration (a registration timed more than backdate_minutes \
        before it was recorded), benefit_share (an officer registering benefit classes at more than twice the \
        city's share, over 20 registrations or more). JSON {\"findings\": [{\"code\", \"subject\", \
        \"detail\"}]}. Exits 0 whatever it finds; --fail-on CODE,... exits 3 when one of those is found, for \
        cron. Reads only."
    )]
    Integrity(integrity::IntegrityArgs),
    /// Monthly attendance reported by kindergartens (R-I3)
    #[command(subcommand)]
    Attendance(attendance::AttendanceCommand),
    /// Children attending organizations: departure (R-D9)
    #[command(subcommand)]
    Child(child::ChildCommand),
    /// The notification outbox for the mail/SMS gateway
    #[command(subcommand)]
    Notify(notify::NotifyCommand),
    /// The nightly sweep: close windows, expire directions, end stop lists, remove at the age limit (R-S1..R-S7)
    #[command(
        long_about = "The nightly sweep (R-S1..R-S7), in one transaction, for day D (--date, default \
        today) as of its start: closes the offer windows that ended (R-S1); expires every issued direction whose \
        validity ended before D: the place is free, the application's expiry count grows by one and it is \
        removed (expired_twice) on reaching max_expirations, else stop-listed until the 10th working day after \
        the direction's last valid day (R-S2); ends the stop lists whose last day is before D (R-S3); removes \
        waiting children who reached max_age_years (R-S4); writes the notifications (R-S5), one notice per family \
        and event by e-mail and SMS: an expiry's notice also says what follows it (the stop list and its last day, \
        or the removal). A second run for the same D changes nothing, and a run after missed nights catches up \
        as of D (R-S6). It waits up to 5 seconds for another writer, then exits 75. --dry-run prints the summary \
        and writes nothing (R-S7); --quiet prints nothing but errors. Never asks.\n\n\
        For cron (01:30 every night, as the officer whose key signs the journal):\n\n\
        30 1 * * * KEZEK_DB=/srv/kezek/almaty.db KEZEK_OFFICER=sweep KEZEK_KEY=/srv/kezek/sweep.key kezek sweep --quiet"
    )]
    Sweep(sweep::SweepArgs),
    /// Statistics: waiting, directions, removals, free places, waiting times (no personal data)
    Stats(stats::StatsArgs),
    /// The journal events of one record (an application number, an org code, ...), readable (R-A4)
    History(history::HistoryArgs),
    /// Prove the database was changed only through kezek (R-A5..R-A8)
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Write the public log, the latest checkpoint, the keys, the queues and the places to DIR (R-V3)
    #[command(
        long_about = "Write a publication that anyone can check without the database and without \
        personal data (R-V3): DIR/log/NNNNNN.jsonl (the public records, one a line, 65,536 to a file, file N \
        holding seqs N*65536+1 onwards; a full file is never rewritten), DIR/checkpoint (the latest signed \
        checkpoint, as `audit head` prints it), DIR/officers.json (every officer key the journal registered, \
        with the seq of the event that did), DIR/queues/QUEUE_TYPE-GROUP_YEAR.csv (each queue in R-Q2 order: \
        number, priority_class, registered_at, status, queue_position, class_position) and DIR/places.csv. \
        It only reads the database. An earlier publication in DIR is extended, and refused (exit 65, nothing \
        written) unless its checkpoint and every line of its log are this database's. Publishing twice gives \
        the same bytes."
    )]
    Publish(publish::PublishArgs),
    /// Inclusion and consistency proofs of the public log (R-V4)
    #[command(subcommand)]
    Proof(proof::ProofCommand),
    /// Backups and checks of the database file
    #[command(subcommand, name = "db")]
    Database(db::DbCommand),
    /// Print a shell completion script
    Completions(completions::CompletionsArgs),
    /// Write the man pages into a directory
    Man(man::ManArgs),
    /// Build a sample city in ./kezek-demo.db and show it
    Demo,
}

fn ctx_lang_flag(global: &Global) -> Option<Lang> {
    global.lang.as_deref().and_then(Lang::parse)
}

/// What every handler gets: the global flags, the time, the renderer.
pub struct Ctx {
    pub global: Global,
    /// The command as typed (`direction issue`).
    pub path: String,
    pub now: Now,
    pub out: Output,
}

impl Ctx {
    pub fn db_path(&self) -> PathBuf {
        self.global
            .db
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DB))
    }

    /// The language of a document for a family whose language is `family` (`ru` or `kk`): the `--lang` flag
    /// when given (not `KEZEK_LANG`: an officer's own language does not change what a family receives), else
    /// the family's (R-L1).
    pub fn document_lang(&self, family: &str) -> Lang {
        ctx_lang_flag(&self.global).unwrap_or_else(|| Lang::parse(family).unwrap_or(Lang::Ru))
    }

    pub fn open(&self) -> Result<Db> {
        Db::open(&self.db_path())
    }

    fn key(&self) -> Result<Option<PrivateKey>> {
        self.global.key.as_deref().map(PrivateKey::load).transpose()
    }

    /// The acting officer's id; an empty `KEZEK_OFFICER` counts as unset.
    fn officer_id(&self) -> Option<String> {
        self.global.officer.clone().filter(|o| !o.trim().is_empty())
    }

    /// The acting officer of a changing command (R-A2) and their key (R-A5).
    pub fn actor(&self) -> Result<Actor> {
        let id = self
            .officer_id()
            .ok_or_else(|| Error::usage(crate::tr!("cli-mod-officer-required")))?;
        Ok(Actor {
            acting: Acting::Officer(id),
            key: self.key()?,
            command: self.path.clone(),
        })
    }

    /// One changing command (SPEC §8): the acting officer, the database, one transaction, kept.
    pub fn change<T>(&self, f: impl FnOnce(&Change) -> Result<T>) -> Result<T> {
        let actor = self.actor()?;
        self.open()?.change(&actor, &self.now, Mode::Commit, f)
    }

    /// A destructive change (SPEC §8): what it names must exist (`exists`) before the question is asked.
    pub fn change_confirmed<T>(
        &self,
        question: &str,
        exists: impl FnOnce(&Db) -> Result<()>,
        f: impl FnOnce(&Change) -> Result<T>,
    ) -> Result<T> {
        let actor = self.actor()?;
        let mut db = self.open()?;
        exists(&db)?;
        self.out.confirm(question)?;
        db.change(&actor, &self.now, Mode::Commit, f)
    }

    /// For `officer add`: the new officer acts as the first one when there is no officer yet (`first`), or
    /// when no --officer is named.
    pub fn actor_or_first(&self, new_id: &str, first: bool) -> Result<Actor> {
        match self.officer_id().filter(|_| !first) {
            Some(_) => self.actor(),
            None => Ok(Actor {
                acting: Acting::FirstOfficer(new_id.to_string()),
                key: self.key()?,
                command: self.path.clone(),
            }),
        }
    }
}

/// Runs a parsed command line. The database is opened by the handlers that need it; `completions`, `man`,
/// `--help` and `--version` never touch it.
pub fn run(mut cli: Cli) -> Result<()> {
    for path in [&mut cli.global.db, &mut cli.global.key] {
        if path.as_ref().is_some_and(|p| p.as_os_str().is_empty()) {
            *path = None;
        }
    }
    crate::lang::set(Lang::choose(ctx_lang_flag(&cli.global), |name| {
        std::env::var(name).ok()
    }));
    let now = Now::new(
        cli.global.now.as_deref().filter(|n| !n.trim().is_empty()),
        chrono::Utc::now(),
    )?;
    let out = Output {
        format: cli.global.format,
        quiet: cli.global.quiet,
        yes: cli.global.yes,
    };
    let ctx = Ctx {
        global: cli.global,
        path: cli.path,
        now,
        out,
    };
    match cli.command {
        Command::Init => init::run(&ctx),
        Command::Officer(c) => officer::run(&ctx, c),
        Command::Org(c) => org::run(&ctx, c),
        Command::Calendar(c) => calendar::run(&ctx, c),
        Command::Settings(c) => settings::run(&ctx, c),
        Command::Category(c) => category::run(&ctx, c),
        Command::District(c) => district::run(&ctx, c),
        Command::Application(c) => application::run(&ctx, c),
        Command::Place(c) => place::run(&ctx, c),
        Command::Offer => offer::run(&ctx),
        Command::Allocate(a) => allocate::run(&ctx, a),
        Command::Exchange(a) => exchange::run(&ctx, a),
        Command::Direction(c) => direction::run(&ctx, c),
        Command::Attendance(c) => attendance::run(&ctx, c),
        Command::Integrity(a) => integrity::run(&ctx, a),
        Command::Child(c) => child::run(&ctx, c),
        Command::Notify(c) => notify::run(&ctx, c),
        Command::Sweep(a) => sweep::run(&ctx, a),
        Command::Stats(a) => stats::run(&ctx, a),
        Command::History(a) => history::run(&ctx, a),
        Command::Audit(c) => audit::run(&ctx, c),
        Command::Database(c) => db::run(&ctx, c),
        Command::Completions(a) => completions::run(&ctx, a),
        Command::Man(a) => man::run(&ctx, a),
        Command::Demo => demo::run(&ctx),
        Command::Publish(a) => publish::run(&ctx, a),
        Command::Proof(c) => proof::run(&ctx, c),
    }
}

/// The arguments every CSV import takes.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (UTF-8 or Windows-1251, separated by `,` or `;`)
    pub file: PathBuf,
    /// Check the file against the database, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import a file whose exact content (SHA-256) was imported before
    #[arg(long)]
    pub allow_repeat: bool,
}

/// Every CSV import, as the officer sees it: the file opened and its header checked, a progress bar on a
/// terminal, the store's import (`store::import::run`, which owns the rest), a summary on stderr and the report
/// on stdout.
pub fn import_file<I: Importer>(ctx: &Ctx, args: &ImportArgs, what: &str) -> Result<()> {
    let actor = ctx.actor()?;
    let mut db = ctx.open()?;
    let mut csv = I::open(&args.file)?;
    for note in &csv.notes {
        ctx.out.status(&format!("{}: {note}", csv.name));
    }
    let bar = ctx.out.progress(
        csv.len,
        &crate::tr!(
            "cli-mod-import-progress",
            what = crate::tr!(&format!("noun-{what}"))
        ),
    );
    let options = import::Options {
        mode: if args.dry_run {
            Mode::DryRun
        } else {
            Mode::Commit
        },
        allow_repeat: args.allow_repeat,
        progress: &|byte| match byte {
            import::ALL_READ => ctx.out.finishing(&bar, &crate::tr!("ui-import-finishing")),
            byte => bar.set_position(byte),
        },
    };
    let report = import::run::<I>(&mut db, &actor, &ctx.now, &mut csv, options);
    bar.finish_and_clear();
    let report = report?;
    let id = if args.dry_run {
        "msg-would-import"
    } else {
        "msg-imported"
    };
    ctx.out.status(&crate::lang::text(
        crate::lang::current(),
        id,
        &[
            ("rows", (report.rows as i64).into()),
            ("what", crate::tr!(&format!("noun-{what}")).into()),
            ("file", report.file.clone().into()),
        ],
    ));
    ctx.out.object(&report)
}
