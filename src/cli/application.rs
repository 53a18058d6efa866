//! `kezek application`: applications and the queue (R-Q1..R-Q9).

use std::io::IsTerminal;

use clap::{Args, Subcommand};

use super::Ctx;
use crate::domain::application::{ApplicationView, QueueType, RegistrationInput, Status};
use crate::domain::documents;
use crate::domain::iin::Iin;
use crate::domain::time::parse_date;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::store::applications::{self, ChildKey};
use crate::store::{Db, Mode};
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum ApplicationCommand {
    /// Register a child in the queue (prompts for what is missing, on a terminal)
    #[command(
        long_about = "Register a child in the queue (R-Q3..R-Q7). With every required flag given it never \
        prompts; on a terminal it asks only for the required values not given (R-L5), checking each answer as \
        it is typed and asking again with the reason. Without a terminal a missing required flag is a usage \
        error (exit 2); --queue-type defaults to general, --language to ru, and --category to none. The child's IIN gives the \
        birth date and the group year (R-Q4); the child must be under max_age_years (R-Q5); one child has at \
        most one active application per queue type (R-Q6, refused with the existing number). A benefit \
        category needs at least one --doc; a sanatorium application needs a medical_conclusion document. \
        Prints the number and the queue position."
    )]
    Register(Box<RegisterArgs>),
    /// Import applications migrated from an older system, keeping their registration times and numbers
    #[command(
        long_about = "Import applications from CSV with the columns registered_at,child_iin,child_name,\
        applicant_iin,applicant_name,phone,email,district,queue_type,language,category,docs,consent[,number][,preferences] \
        (docs: KIND:NUMBER:DATE items separated by ';'; consent: egov or written, optionally :DATE). Each row \
        is checked as a registration at its own registration time, which is kept, and so is its number when \
        given, so nobody's position changes. Duplicates inside the file and against the database are refused. \
        One transaction: any bad row and nothing is written, every bad row reported by line \
        (exit 65; past 1,000 bad rows, the first 1,000 and how many more). \
        --dry-run checks only. Into an empty application table (a city's first migration) the rows are \
        checked on a second thread while the first writes them: when more than 131,072 rows keep the file's \
        numbers, every row staged in a temporary file and written in the order of the numbers at the end \
        (with fewer, every row straight in), and the search indexes built once at the end (free space for up \
        to three times the file's size is needed in SQLite's temporary directory: \
        SQLITE_TMPDIR, else TMPDIR, else /var/tmp or /tmp): \
        a million rows take seconds; a good file's repeated children are found by the unique index as it \
        is built, and the numbers a file keeps take one bit each, so ten million rows in any order take 140 to \
        170 MB of memory, with the same outcome."
    )]
    Import(super::ImportArgs),
    /// Show one application: child, applicant, documents, status, queue and class positions
    Show {
        /// The application's number
        number: String,
    },
    /// Find a child's applications by IIN, or by full name and birth date (R-Q9)
    Find {
        /// The child's IIN
        #[arg(long, conflicts_with_all = ["name", "birth_date"], required_unless_present = "name")]
        iin: Option<String>,
        /// Part of the child's name (any case)
        #[arg(long, requires = "birth_date")]
        name: Option<String>,
        /// YYYY-MM-DD
        #[arg(long, requires = "name")]
        birth_date: Option<String>,
    },
    /// List applications in queue order (IINs masked, no names)
    List {
        /// The queue type
        #[arg(long, value_parser = ["general", "sanatorium"])]
        queue_type: Option<String>,
        /// Only the applications of this group year
        #[arg(long)]
        group_year: Option<i64>,
        /// The status
        #[arg(long, value_parser = ["queued", "notified", "stop_listed", "directed", "enrolled", "removed"])]
        status: Option<String>,
        /// At most this many rows
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Change the benefit category; the registration time stays (R-Q8)
    SetCategory {
        /// The application's number
        number: String,
        /// A category name, or `none` for no benefit
        #[arg(long)]
        category: String,
        /// A supporting document KIND:NUMBER:YYYY-MM-DD (repeatable)
        #[arg(long = "doc", value_name = "KIND:NUMBER:DATE")]
        docs: Vec<String>,
    },
    /// Withdraw an application at the applicant's request: removed, reason withdrawn (asks for confirmation)
    Withdraw {
        /// The application's number
        number: String,
        /// Why it is withdrawn (kept in the journal)
        #[arg(long)]
        reason: String,
    },
    /// Print the registration notice (извещение о постановке на очередь)
    Notice(DocumentArgs),
    /// Print the child card (карточка ребёнка)
    Card(DocumentArgs),
    /// Why the position is what it is: every event that moved it since a date (R-V7)
    #[command(
        long_about = "Explain an application's position (R-V7): its position then (at its registration, or \
        at the start of --since DATE) and now, and every event that moved it, each with its seq, effective \
        time, kind, subject and delta: who came in ahead (registrations of a higher class or earlier time, \
        category changes, returns from the stop list, restorations after a revocation, interleave changes) and \
        who left from ahead (directions, removals, withdrawals). The deltas add up to the change. It is \
        replayed from the public records alone, which `kezek audit public --explain` can do from a \
        publication too."
    )]
    Explain {
        /// The application's number
        number: String,
        /// YYYY-MM-DD [default: the registration]
        #[arg(long)]
        since: Option<String>,
    },
    /// Rank up to max_preferences organizations for the allocation (R-C1); the position stays
    #[command(
        long_about = "Replace the organizations an application ranks (R-C1), best first: at most \
        max_preferences (4), none twice, each an organization that serves the application's queue (sanatorium \
        organizations the sanatorium queue; state and private ones the general queue). The registration time \
        and the position stay. `kezek allocate` gives each waiting application, in queue order, its best-ranked \
        organization that still has a place: ranking truthfully is always best, since a lower choice never \
        takes a place from a higher one and nobody behind in the queue can take what one ranked first."
    )]
    Prefer {
        /// The application's number
        number: String,
        /// Organization codes, best first
        #[arg(value_name = "CODE", required_unless_present = "clear")]
        orgs: Vec<String>,
        /// Remove every preference
        #[arg(long, conflicts_with = "orgs")]
        clear: bool,
    },
}

#[derive(Debug, Args)]
pub struct DocumentArgs {
    /// In the application's language, unless --lang is given
    pub number: String,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// The child's IIN (12 digits; gives the birth date and the group year)
    #[arg(long)]
    child_iin: Option<String>,
    /// The child's full name
    #[arg(long)]
    child_name: Option<String>,
    /// The applicant's IIN (a parent or legal representative)
    #[arg(long)]
    applicant_iin: Option<String>,
    /// The applicant's full name
    #[arg(long)]
    applicant_name: Option<String>,
    /// +7 and ten digits
    #[arg(long)]
    phone: Option<String>,
    /// The family's e-mail address, for notifications
    #[arg(long)]
    email: Option<String>,
    /// The family's district (one of `kezek district list`)
    #[arg(long)]
    district: Option<String>,
    /// The queue type [default: general]
    #[arg(long, value_parser = ["general", "sanatorium"])]
    queue_type: Option<String>,
    /// ru | kk
    #[arg(long)]
    language: Option<String>,
    /// A benefit category (see `kezek category list`)
    #[arg(long)]
    category: Option<String>,
    /// A supporting document KIND:NUMBER:YYYY-MM-DD (repeatable)
    #[arg(long = "doc", value_name = "KIND:NUMBER:DATE")]
    docs: Vec<String>,
    /// egov | written, optionally :YYYY-MM-DD (the consent to process the child's personal data)
    #[arg(long)]
    consent: Option<String>,
    /// An organization the family ranks, best first (repeatable, at most max_preferences; R-C1)
    #[arg(long = "prefer", value_name = "CODE")]
    prefer: Vec<String>,
    /// Link to the application of a sibling born within 31 days (twins; R-C5): directed together
    #[arg(long, value_name = "NUMBER")]
    sibling: Option<String>,
    /// A transfer application of a child enrolled in an organization (R-C3)
    #[arg(long)]
    transfer: bool,
}

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// A required value: the flag's, else (on a terminal) an answer checked as it is typed by `check`, the
/// question asked again with the reason until the answer passes (R-L5). Off a terminal a missing value is a
/// usage error. `prompt` is the id of the question's message.
fn ask(
    value: Option<String>,
    flag: &str,
    prompt: &str,
    check: impl Fn(&str) -> Result<()>,
) -> Result<String> {
    if let Some(v) = value {
        return Ok(v);
    }
    if !interactive() {
        return Err(Error::usage(tr!(
            "cli-application-flag-required",
            flag = flag.to_string()
        )));
    }
    dialoguer::Input::<String>::new()
        .with_prompt(tr!(prompt))
        .validate_with(|answer: &String| check(answer).map_err(|e| e.to_string()))
        .interact_text()
        .map_err(|e| Error::Internal(tr!("cli-output-prompt-failed", error = e.to_string())))
}

pub fn run(ctx: &Ctx, command: ApplicationCommand) -> Result<()> {
    match command {
        ApplicationCommand::Register(args) => register(ctx, *args),
        ApplicationCommand::Import(args) => {
            super::import_file::<crate::store::import::Applications>(ctx, &args, "applications")
        }
        ApplicationCommand::Show { number } => {
            let mut db = ctx.open()?;
            ctx.out
                .object(&db.snapshot(|s| applications::show(s, &number))?)
        }
        ApplicationCommand::Find {
            iin,
            name,
            birth_date,
        } => {
            let mut db = ctx.open()?;
            let iin = iin.map(|i| Iin::parse("--iin", &i)).transpose()?;
            let child = match (&iin, &name, &birth_date) {
                (Some(iin), _, _) => ChildKey::Iin(&iin.digits),
                (None, Some(name), Some(date)) => {
                    ChildKey::NameAndBirth(name, parse_date("--birth-date", date)?)
                }
                _ => return Err(Error::usage(tr!("cli-application-give-iin-or-name"))),
            };
            let views = db.snapshot(|s| applications::find(s, child))?;
            if views.is_empty() {
                return Err(Error::NotFound(tr!("cli-application-child-not-found")));
            }
            ctx.out.list(&views)
        }
        ApplicationCommand::List {
            queue_type,
            group_year,
            status,
            limit,
        } => {
            let filter = applications::ListFilter {
                queue_type: queue_type
                    .map(|q| QueueType::parse("--queue-type", &q))
                    .transpose()?,
                group_year,
                status: status.map(|s| Status::parse("--status", &s)).transpose()?,
                limit,
            };
            let mut db = ctx.open()?;
            db.snapshot(|s| {
                ctx.out.stream(
                    &["number", "queue_position", "status", "priority_class"],
                    |emit| applications::list_each(s, &filter, |row| emit(&row)),
                )
            })
        }
        ApplicationCommand::SetCategory {
            number,
            category,
            docs,
        } => {
            let category = Some(category.trim()).filter(|c| *c != "none");
            let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
            let actor = ctx.actor()?;
            let mut db = ctx.open()?;
            let (from, to) = db.change(&actor, &ctx.now, Mode::Commit, |c| {
                applications::set_category(c, &number, category, &docs)
            })?;
            ctx.out.status(&tr!(
                "cli-application-category-changed",
                number = number.clone(),
                from = from,
                to = to
            ));
            show_position(ctx, &mut db, &number)
        }
        ApplicationCommand::Withdraw { number, reason } => {
            let reason = crate::domain::fields::required_text("--reason", &reason, 500)?;
            ctx.change_confirmed(
                &tr!("cli-application-withdraw-confirm", number = number.clone()),
                |db| applications::get(db, &number).map(drop),
                |c| applications::withdraw(c, &number, &reason),
            )?;
            ctx.out
                .status(&tr!("msg-withdrawn", number = number.clone()));
            Ok(())
        }
        ApplicationCommand::Notice(args) => notice(ctx, args),
        ApplicationCommand::Explain { number, since } => {
            let since_at = since
                .as_deref()
                .map(|d| {
                    parse_date("--since", d).map(|d| {
                        crate::domain::time::local(d.and_hms_opt(0, 0, 0).expect("midnight"))
                    })
                })
                .transpose()?;
            let mut db = ctx.open()?;
            let x = db.snapshot(|s| {
                crate::store::publication::explain(
                    s,
                    &number,
                    since_at,
                    since.as_deref().unwrap_or("registration"),
                )
            })?;
            ctx.out.status(&tr!(
                "cli-application-explained",
                number = x.number.clone(),
                then = x.position_then.map_or("-".into(), |p| p.to_string()),
                now = x.position_now.map_or("-".into(), |p| p.to_string()),
                count = x.moves.len() as i64
            ));
            match ctx.out.format {
                super::output::Format::Table | super::output::Format::Text => {
                    ctx.out.list(&x.moves)
                }
                _ => ctx.out.object(&x),
            }
        }
        ApplicationCommand::Card(args) => document(ctx, args, documents::child_card),
        ApplicationCommand::Prefer {
            number,
            orgs,
            clear,
        } => {
            let orgs = if clear { Vec::new() } else { orgs };
            let stored = ctx.change(|c| applications::prefer(c, &number, &orgs))?;
            ctx.out.status(&match stored {
                Some(list) => tr!(
                    "msg-preferences",
                    number = number.clone(),
                    preferences = list.replace(';', ", ")
                ),
                None => tr!("msg-preferences-cleared", number = number.clone()),
            });
            show_position(ctx, &mut ctx.open()?, &number)
        }
    }
}

fn register(ctx: &Ctx, a: RegisterArgs) -> Result<()> {
    use crate::domain::application::{email, Consent, Document};
    use crate::domain::fields;
    let actor = ctx.actor()?;
    let mut db = ctx.open()?;
    let today = ctx.now.today();
    // On a terminal, only what is required and not given is asked, each answer checked as it is typed (R-L5);
    // the queue type, the language and the category have their defaults.
    let name = |field: &'static str| move |v: &str| fields::required_text(field, v, 200).map(drop);
    let child_iin = ask(
        a.child_iin,
        "child-iin",
        "cli-application-prompt-child-iin",
        |v| Iin::parse("child_iin", v).map(drop),
    )?;
    let child_name = ask(
        a.child_name,
        "child-name",
        "cli-application-prompt-child-name",
        name("child_name"),
    )?;
    let applicant_iin = ask(
        a.applicant_iin,
        "applicant-iin",
        "cli-application-prompt-applicant-iin",
        |v| Iin::parse("applicant_iin", v).map(drop),
    )?;
    let applicant_name = ask(
        a.applicant_name,
        "applicant-name",
        "cli-application-prompt-applicant-name",
        name("applicant_name"),
    )?;
    let phone = ask(a.phone, "phone", "cli-application-prompt-phone", |v| {
        fields::phone("phone", v).map(drop)
    })?;
    let email = ask(a.email, "email", "cli-application-prompt-email", |v| {
        email("email", v).map(drop)
    })?;
    let district = ask(
        a.district,
        "district",
        "cli-application-prompt-district",
        |v| crate::store::districts::check(&db, "district", v).map(drop),
    )?;
    let queue_type = a.queue_type.unwrap_or_else(|| "general".to_string());
    let language = a.language.unwrap_or_else(|| "ru".to_string());
    let category = a.category;
    let mut docs = a.docs;
    let needs_doc = category.as_deref().is_some_and(|c| c != "none") || queue_type == "sanatorium";
    if docs.is_empty() && needs_doc && interactive() {
        docs.push(ask(None, "doc", "cli-application-prompt-doc", |v| {
            Document::parse("doc", v, today).map(drop)
        })?);
    }
    let consent = ask(
        a.consent,
        "consent",
        "cli-application-prompt-consent",
        |v| Consent::parse("consent", v, today).map(drop),
    )?;
    let input = RegistrationInput {
        child_iin: &child_iin,
        child_name: &child_name,
        applicant_iin: &applicant_iin,
        applicant_name: &applicant_name,
        phone: &phone,
        email: &email,
        district: &district,
        queue_type: &queue_type,
        language: &language,
        category: category.as_deref(),
        docs: docs.iter().map(String::as_str).collect(),
        consent: &consent,
    };
    let choice = applications::Choice {
        prefer: &a.prefer,
        sibling: a.sibling.as_deref(),
        transfer: a.transfer,
    };
    let number = db.change(&actor, &ctx.now, Mode::Commit, |c| {
        let settings = crate::store::reference::load_settings(c)?;
        applications::register_with(c, &input, &choice, &settings)
    })?;
    show_position(ctx, &mut db, &number)
}

/// Prints an application after a change: its number and position on stderr, the object on stdout.
fn show_position(ctx: &Ctx, db: &mut Db, number: &str) -> Result<()> {
    let view = db.snapshot(|s| applications::show(s, number))?;
    match (view.queue_position, view.class_position) {
        (Some(q), Some(c)) if c > 0 => ctx.out.status(&tr!(
            "msg-position-in-class",
            number = number.to_string(),
            position = q,
            class_position = c,
            class =
                crate::domain::notify::word(crate::lang::current(), "class", &view.priority_class)
        )),
        (Some(q), _) => ctx.out.status(&tr!(
            "msg-position",
            number = number.to_string(),
            position = q
        )),
        _ => ctx.out.status(&format!(
            "{number}: {}",
            crate::domain::notify::word(crate::lang::current(), "status", &view.status)
        )),
    }
    ctx.out.object(&view)
}

/// The registration notice with the family's receipt of the public log (R-V4): the seq and leaf hash of the
/// event that put the application in the queue, which any later checkpoint can be shown to include.
fn notice(ctx: &Ctx, args: DocumentArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let (view, category, seq, leaf) = db.snapshot(|s| {
        let (view, category) = applications::show_with_category(s, &args.number)?;
        let seq = crate::store::publication::registration_seq(s, &args.number)?;
        let leaf = crate::store::publication::leaf(s, seq)?;
        Ok((view, category, seq, leaf))
    })?;
    let lang = ctx.document_lang(&view.language);
    let title = category.as_ref().and_then(|c| c.title(lang));
    let mut text = documents::registration_notice(&view, title, lang, &ctx.now);
    text.push_str(&documents::receipt(lang, seq, &crate::crypto::hex(&leaf)));
    ctx.out.text(&text)
}

fn document(
    ctx: &Ctx,
    args: DocumentArgs,
    render: fn(&ApplicationView, Option<&str>, Lang, &crate::domain::time::Now) -> String,
) -> Result<()> {
    let mut db = ctx.open()?;
    let (view, category) = db.snapshot(|s| applications::show_with_category(s, &args.number))?;
    let lang = ctx.document_lang(&view.language);
    let title = category.as_ref().and_then(|c| c.title(lang));
    ctx.out.text(&render(&view, title, lang, &ctx.now))
}
