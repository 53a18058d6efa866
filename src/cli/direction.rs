//! `kezek direction`: signed directions (R-D1..R-D9, R-A3).

use clap::{Args, Subcommand};

use super::output::Format;
use super::Ctx;
use crate::domain::direction::DirectionStatus;
use crate::domain::documents;
use crate::domain::time::parse_date;
use crate::error::{Error, Result};
use crate::store::directions::{self, DirectionFilter, Printable};
use crate::store::Mode;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum DirectionCommand {
    /// Issue a direction for an application and a place, signed with --key (R-D1..R-D5, R-A3)
    #[command(
        long_about = "Issue a direction (R-D1..R-D5): refused for an application that is not waiting, \
        holds an active direction or is on the stop list (R-D2); for a place of another queue type or group \
        year, a place that is not offered or free_choice (state and sanatorium organizations) or free (private \
        ones), or an offered place when the application was not notified in the current window (R-D3); for a \
        private place when the child is under 3 (R-D4; taking one removes the application from the queue); \
        while the child attends an organization (R-D5). The direction is valid to the end of the 5th working \
        day after the issue date. Its document is signed RSASSA-PKCS1-v1_5/SHA-256 with the acting officer's \
        key (R-A3)."
    )]
    Issue {
        /// The application number
        number: String,
        /// The place's id
        #[arg(long)]
        place: i64,
    },
    /// Extend a direction once, before it expires, by 1 to 30 days, with a reason (R-D6); signed again
    Extend {
        /// The direction's number
        direction: String,
        /// How many days to add (at most extension_max_days in all, R-D6)
        #[arg(long)]
        days: i64,
        /// Why it is extended (kept in the journal)
        #[arg(long)]
        reason: String,
    },
    /// Revoke a direction at the applicant's request, within 24 hours of issue (R-D7; asks for confirmation)
    Revoke {
        /// The direction's number
        direction: String,
    },
    /// Annul a direction before enrollment, with a reason (R-D7; asks for confirmation)
    Annul {
        /// The direction's number
        direction: String,
        /// Why it is annulled (kept in the journal and told to the family)
        #[arg(long)]
        reason: String,
    },
    /// Record that the child arrived: enrolled (R-D8)
    Enroll {
        /// The direction's number
        direction: String,
        /// Issue date of the benefit document shown at the kindergarten (benefit classes)
        #[arg(long, value_name = "YYYY-MM-DD")]
        benefit_doc_date: Option<String>,
    },
    /// Show a direction; --format text prints the signed document and its signature
    Show(ShowArgs),
    /// Confirm the benefit of a direction issued to a benefit class, with the document seen (R-I1)
    #[command(
        long_about = "Confirm in person the benefit of a direction issued to an out-of-turn or first-priority \
        application (R-I1), with the document the family showed (KIND:NUMBER:DATE, dated at most \
        benefit_doc_valid_days (30) before today). It is kept with the application's documents. A benefit \
        direction not confirmed within benefit_confirm_working_days (5) working days of its issue is annulled by \
        the nightly sweep: its place is freed, the application is stop-listed and moved to the general class, \
        its registration time kept, and the family is told why. Enrollment with a benefit document (R-D8) \
        counts as the confirmation."
    )]
    ConfirmBenefit {
        /// The direction's number
        direction: String,
        /// The benefit document seen: KIND:NUMBER:YYYY-MM-DD
        #[arg(long, value_name = "KIND:NUMBER:DATE")]
        doc: String,
    },
    /// Check a direction's signature against the signer's registered public key (R-A3)
    #[command(
        long_about = "Check a direction's signature against the signing officer's registered public key \
        and the document against the direction's record (R-A3). Exit 0 for a valid, live direction (issued or \
        enrolled); 65 when the signature or the document does not verify; 3 when the signature is valid but the \
        direction was revoked, annulled (R-D7) or expired (R-S2), or when its document was purged by `db purge` \
        (the kept signature is then checked against the kept SHA-256 of the document; R-D8 for an enrolled one)."
    )]
    Verify {
        /// The direction's number
        direction: String,
    },
    /// List directions
    List {
        /// The status
        #[arg(long, value_parser = ["issued", "enrolled", "expired", "revoked", "annulled"])]
        status: Option<String>,
        /// Only the directions of this application
        #[arg(long)]
        application: Option<String>,
        /// Only the directions into this organization
        #[arg(long)]
        org: Option<String>,
        /// At most this many directions
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Print the notice of completed service (уведомление об оказании услуги) of an enrolled direction
    Notice(super::application::DocumentArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// With --format text and --lang: the printable direction in that language, then the signed text
    pub direction: String,
}

pub(super) fn signing_key(actor: &crate::store::Actor) -> Result<&crate::crypto::PrivateKey> {
    actor
        .key
        .as_ref()
        .ok_or_else(|| Error::usage(tr!("cli-direction-key-required")))
}

pub fn run(ctx: &Ctx, command: DirectionCommand) -> Result<()> {
    match command {
        DirectionCommand::Issue { number, place } => {
            let actor = ctx.actor()?;
            let key = signing_key(&actor)?;
            let mut db = ctx.open()?;
            let view = db.change(&actor, &ctx.now, Mode::Commit, |c| {
                directions::run_issue(c, &number, place, key)
            })?;
            ctx.out.status(&tr!(
                "msg-direction-issued",
                direction = view.number.clone(),
                number = number.clone(),
                place = place,
                org = view.org.clone(),
                until = view.valid_until.clone()
            ));
            ctx.out.object(&view)
        }
        DirectionCommand::Extend {
            direction,
            days,
            reason,
        } => {
            let reason = crate::domain::fields::required_text("--reason", &reason, 500)?;
            let actor = ctx.actor()?;
            let key = signing_key(&actor)?;
            let mut db = ctx.open()?;
            let view = db.change(&actor, &ctx.now, Mode::Commit, |c| {
                directions::extend(c, &direction, days, &reason, key)
            })?;
            ctx.out.status(&tr!(
                "cli-direction-extended",
                direction = direction.clone(),
                until = view.valid_until.clone()
            ));
            ctx.out.object(&view)
        }
        DirectionCommand::Revoke { direction } => {
            ctx.change_confirmed(
                &tr!(
                    "cli-direction-revoke-confirm",
                    direction = direction.clone()
                ),
                |db| directions::show(db, &direction).map(drop),
                |c| directions::revoke(c, &direction),
            )?;
            ctx.out
                .status(&tr!("cli-direction-revoked", direction = direction.clone()));
            Ok(())
        }
        DirectionCommand::Annul { direction, reason } => {
            let reason = crate::domain::fields::required_text("--reason", &reason, 500)?;
            ctx.change_confirmed(
                &tr!("cli-direction-annul-confirm", direction = direction.clone()),
                |db| directions::show(db, &direction).map(drop),
                |c| directions::annul(c, &direction, &reason),
            )?;
            ctx.out.status(&tr!(
                "cli-direction-annulled",
                direction = direction.clone()
            ));
            Ok(())
        }
        DirectionCommand::Enroll {
            direction,
            benefit_doc_date,
        } => {
            let doc_date = benefit_doc_date
                .map(|d| parse_date("--benefit-doc-date", &d))
                .transpose()?;
            let view = ctx.change(|c| directions::enroll(c, &direction, doc_date))?;
            ctx.out.status(&tr!(
                "msg-enrolled",
                direction = direction.clone(),
                org = view.org.clone()
            ));
            ctx.out.object(&view)
        }
        DirectionCommand::Show(args) => show(ctx, args),
        DirectionCommand::ConfirmBenefit { direction, doc } => {
            let view = ctx.change(|c| directions::confirm_benefit(c, &direction, &doc))?;
            ctx.out
                .status(&tr!("msg-benefit-confirmed", number = direction.clone()));
            ctx.out.object(&view)
        }
        DirectionCommand::Verify { direction } => {
            let db = ctx.open()?;
            let v = directions::verify(&db, &direction)?;
            ctx.out.status(&tr!(
                "cli-direction-verified",
                direction = direction.clone(),
                officer = v.signed_by.clone(),
                key = v.key_fingerprint.clone(),
                status = v.status.clone()
            ));
            if matches!(ctx.out.format, Format::Json | Format::Csv) {
                ctx.out.object(&v)?;
            }
            Ok(())
        }
        DirectionCommand::List {
            status,
            application,
            org,
            limit,
        } => {
            let filter = DirectionFilter {
                status: status
                    .map(|s| DirectionStatus::parse("--status", &s))
                    .transpose()?,
                application,
                org,
                limit,
            };
            let db = ctx.open()?;
            ctx.out.list(&directions::list(&db, &filter)?)
        }
        DirectionCommand::Notice(args) => {
            let mut db = ctx.open()?;
            let p = db.snapshot(|s| directions::completed_service(s, &args.number))?;
            let lang = ctx.document_lang(&p.language);
            ctx.out
                .text(&documents::service_notice(&p.facts, lang, &ctx.now))
        }
    }
}

fn show(ctx: &Ctx, args: ShowArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let Printable { view, facts, .. } =
        db.snapshot(|s| directions::printable(s, &args.direction))?;
    if ctx.out.format != Format::Text {
        return ctx.out.object(&view);
    }
    let mut text = String::new();
    if let Some(lang) = ctx
        .global
        .lang
        .as_deref()
        .and_then(crate::lang::Lang::parse)
    {
        text.push_str(&documents::direction(&facts, lang));
        text.push('\n');
    }
    text.push_str(&view.document);
    text.push_str(&format!(
        "\n-----BEGIN SIGNATURE-----\nalgorithm: RSASSA-PKCS1-v1_5 SHA-256\nsigned_by: {}\n{}\n-----END SIGNATURE-----\n",
        view.signed_by, view.signature
    ));
    ctx.out.text(&text)
}
