//! `kezek audit`: prove the database was changed only through kezek (R-A5, R-A6).

use std::path::PathBuf;

use clap::Subcommand;

use super::output::Format;
use super::Ctx;
use crate::error::{Error, Result};
use crate::store::audit::{self, SignedHead};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the journal chain, the head signatures and every state row (R-A6)
    #[command(
        long_about = "Prove the database was changed only through kezek (R-A6): recompute the hash \
        chain of the journal, check every signed head against the officer's registered public key, and check \
        that every row of every state table has exactly the digest its latest journal event recorded. An \
        edited row, a row inserted without an event and a deleted row are all caught. With --head FILE, also \
        prove that a head published earlier (by `audit head`) is still part of the chain, which catches a \
        journal cut short. Names the first problem found and exits 65; exits 0 when all is well. The rows         are checked beside the chain on read-only connections of their own, the application table in key         ranges, one per processor (at most 8), all seeing the same snapshot; the verdict does not depend on         how many there are."
    )]
    Verify {
        /// A head published earlier by `kezek audit head`
        #[arg(long, value_name = "FILE")]
        head: Option<PathBuf>,
    },
    /// Print the current signed head of the journal, for the department to publish
    #[command(
        long_about = "Print the current signed head of the journal (R-A5): sequence number, hash, \
        officer, key fingerprint and signature, as text whose first three lines are the signed message (or JSON with --format json). Publish it \
        daily; `kezek audit verify --head FILE` later proves the journal still contains it."
    )]
    Head,
}

pub fn run(ctx: &Ctx, command: AuditCommand) -> Result<()> {
    match command {
        AuditCommand::Verify { head } => {
            let published = match &head {
                Some(path) => {
                    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
                        std::io::ErrorKind::NotFound => {
                            Error::NotFound(format!("--head: file {}", path.display()))
                        }
                        _ => Error::bad(format!("--head: cannot read {}: {e}", path.display())),
                    })?;
                    Some(SignedHead::parse("--head", &text)?)
                }
                None => None,
            };
            let mut db = ctx.open()?;
            db.use_scan_mmap()?;
            let report = db.snapshot(|conn| audit::verify(conn, published.as_ref()))?;
            ctx.out.status(&format!(
                "audit ok: {} events, {} signed heads, {} rows verified; head {} {}",
                report.events, report.heads, report.rows, report.last_seq, report.last_hash
            ));
            if matches!(ctx.out.format, Format::Json | Format::Csv) {
                ctx.out.object(&report)?;
            }
            Ok(())
        }
        AuditCommand::Head => {
            let db = ctx.open()?;
            let head = audit::latest_head(&db)?.ok_or_else(|| {
                Error::NotFound("a signed head: no officer has changed anything yet".into())
            })?;
            match ctx.out.format {
                Format::Table | Format::Text => ctx.out.text(&head.to_text()),
                _ => ctx.out.object(&head),
            }
        }
    }
}
