//! `kezek audit`: prove the database was changed only through kezek (R-A5..R-A8).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::output::Format;
use super::Ctx;
use crate::error::{Error, Result};
use crate::store::audit::{self, Anchor, SignedHead};
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the journal chain, the head signatures and every state row (R-A6, R-A7)
    #[command(
        long_about = "Prove the database was changed only through kezek (R-A6): recompute the hash \
        chain of the journal, check every signed head against the key its officer had at that point of the \
        journal, and check that every row of every state table has exactly the digest its latest journal event \
        recorded. An edited row, a row inserted without an event and a deleted row are all caught.\n\n\
        Trust does not come from the database (R-A7): officer keys are read from the journal's own events, not \
        from today's officer table; a key is trusted only once a head signed by another officer already trusted \
        covers its registration or rotation; a head must be signed by an active officer; every event a head \
        closes must be its signer's. The first officer is the anchor: --trust FILE (their public key PEM, or a \
        published head) pins it from outside the database, so that a database rebuilt from scratch with keys of \
        its own is refused. With --head FILE, also prove that a head published earlier (by `audit head`) is \
        still part of the chain, which catches a journal cut short.\n\n\
        Names the first problem found and exits 65; exits 0 when all is well. The rows are checked beside the \
        chain on read-only connections of their own, the application table in key ranges, one per processor (at \
        most 8), all seeing the same snapshot; the verdict does not depend on how many there are."
    )]
    Verify(Anchors),
    /// Check a publication without the database (R-V5)
    #[command(
        long_about = "Check a publication written by `kezek publish` without the database (R-V5): every \
        record in canonical form and in its place; the root recomputed from the log equals the checkpoint's; \
        the checkpoint is signed by a key the trust chain, replayed from the log's own officer records and \
        officers.json, trusts (R-A7; --trust FILE pins the first officer's key); with --previous CHECKPOINT, \
        an earlier checkpoint is a prefix of this log (nothing rewritten); the queues/*.csv are exactly what the \
        log's applications give in R-Q2 order; no registration is back-dated more than 10 minutes before its \
        event was recorded, and every application import after the first is listed with its back-dated rows; \
        every offer round notified the head of its queue (passing over only those it published as attending an \
        organization, R-D5), and every direction of an offered place went to an application its round notified. \
        With --explain NUMBER, also the application's position at its registration and now and every event \
        that moved it, from the publication alone (R-V7). Names the first violation by file, line or seq and \
        rule, and exits 65."
    )]
    Public {
        /// The publication's directory
        dir: PathBuf,
        /// An earlier checkpoint seen before (a `checkpoint` file or `audit head` output)
        #[arg(long, value_name = "CHECKPOINT")]
        previous: Option<PathBuf>,
        /// The first officer's public key (PEM)
        #[arg(long, value_name = "FILE")]
        trust: Option<PathBuf>,
        /// Explain this application's position from the publication alone (R-V7)
        #[arg(long, value_name = "NUMBER")]
        explain: Option<String>,
    },
    /// Print the current signed head of the journal, for the department to publish
    #[command(
        long_about = "Print the current signed head of the journal (R-A5, R-A8): a signed checkpoint of \
        the public log with the sequence number and hash of the chain head, the tree's size and root, the head \
        before it, the officer and the signing time, then the key fingerprint and the signature. The lines up \
        to signed-at are exactly the signed message, so that `openssl dgst -sha256 -verify officer.pub \
        -signature sig message.txt` checks it with the public key alone (JSON with --format json). Publish it \
        daily; `kezek audit verify --head FILE` later proves the journal still contains it."
    )]
    Head,
}

/// What `audit verify` and `db check` may check the database against, from outside it.
#[derive(Debug, Args)]
pub struct Anchors {
    /// A head published earlier by `kezek audit head`
    #[arg(long, value_name = "FILE")]
    pub head: Option<PathBuf>,
    /// The trust anchor: the first officer's public key (PEM) or a published head (R-A7)
    #[arg(long, value_name = "FILE")]
    pub trust: Option<PathBuf>,
}

impl Anchors {
    /// The published head and the anchor, read from their files.
    pub fn load(&self) -> Result<(Option<SignedHead>, Option<Anchor>)> {
        let read = |flag: &str, path: &PathBuf| crate::input::read_small(flag, path);
        let head = match &self.head {
            Some(path) => Some(SignedHead::parse("--head", &read("--head", path)?)?),
            None => None,
        };
        let trust = match &self.trust {
            Some(path) => Some(Anchor::parse("--trust", &read("--trust", path)?)?),
            None => None,
        };
        Ok((head, trust))
    }

    /// Runs the audit on one snapshot of `db` against these anchors.
    pub fn verify(&self, db: &mut crate::store::Db) -> Result<audit::VerifyReport> {
        let (head, trust) = self.load()?;
        db.snapshot(|s| {
            audit::verify_anchored(s, head.as_ref(), trust.as_ref(), audit::RowSplit::default())
        })
    }
}

pub fn run(ctx: &Ctx, command: AuditCommand) -> Result<()> {
    match command {
        AuditCommand::Verify(anchors) => {
            let mut db = ctx.open()?;
            let report = anchors.verify(&mut db)?;
            ctx.out.status(&tr!(
                "msg-audit-ok",
                events = report.events,
                heads = report.heads,
                rows = report.rows,
                seq = report.last_seq,
                hash = report.last_hash.clone()
            ));
            if matches!(ctx.out.format, Format::Json | Format::Csv) {
                ctx.out.object(&report)?;
            }
            Ok(())
        }
        AuditCommand::Public {
            dir,
            previous,
            trust,
            explain,
        } => {
            let anchors = Anchors {
                head: previous,
                trust,
            };
            let (previous, trust) = anchors.load()?;
            let trust = match trust {
                Some(Anchor::Key(k)) => Some(k),
                Some(Anchor::Head(_)) => {
                    return Err(Error::usage(tr!("cli-audit-trust-needs-key")))
                }
                None => None,
            };
            let report = crate::public_check::check(
                &dir,
                previous.as_ref(),
                trust.as_ref(),
                explain.as_deref(),
            )?;
            // One line per round; `--format json` lists every application passed over.
            let mut rounds: std::collections::BTreeMap<i64, i64> = Default::default();
            for p in &report.passed_over {
                *rounds.entry(p.seq).or_default() += 1;
            }
            for (seq, count) in rounds {
                ctx.out
                    .status(&tr!("cli-audit-passed-over", seq = seq, count = count));
            }
            for import in &report.later_imports {
                ctx.out.status(&tr!(
                    "cli-audit-later-import",
                    seq = import.seq,
                    rows = import.rows as i64,
                    backdated = import.backdated as i64,
                    minutes = crate::public_check::BACKDATE_MINUTES
                ));
            }
            ctx.out.status(&tr!(
                "cli-audit-publication-ok",
                records = report.records,
                root = report.root.clone(),
                signer = report.signer.clone(),
                queues = report.queues as i64,
                applications = report.applications as i64,
                rounds = report.offer_rounds as i64,
                consistent = report
                    .previous
                    .map(|p| tr!("cli-audit-consistent", records = p))
                    .unwrap_or_default()
            ));
            if report.allocation_runs + report.exchange_runs > 0 {
                ctx.out.status(&tr!(
                    "cli-audit-choice-replayed",
                    allocations = report.allocation_runs as i64,
                    exchanges = report.exchange_runs as i64
                ));
            }
            if let Some(x) = &report.explain {
                ctx.out.status(&tr!(
                    "cli-audit-explained",
                    number = x.number.clone(),
                    then = x.position_then.map_or("-".into(), |p| p.to_string()),
                    now = x.position_now.map_or("-".into(), |p| p.to_string()),
                    count = x.moves.len() as i64
                ));
                if matches!(ctx.out.format, Format::Table | Format::Text) {
                    ctx.out.list(&x.moves)?;
                }
            }
            if matches!(ctx.out.format, Format::Json | Format::Csv) {
                ctx.out.object(&report)?;
            }
            Ok(())
        }
        AuditCommand::Head => {
            let db = ctx.open()?;
            let head = audit::latest_head(&db)?
                .ok_or_else(|| Error::NotFound(tr!("cli-audit-no-head")))?;
            match ctx.out.format {
                Format::Table | Format::Text => ctx.out.text(&head.to_text()),
                _ => ctx.out.object(&head),
            }
        }
    }
}
