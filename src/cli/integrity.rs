//! `kezek integrity`: the integrity report (R-I4), for cron with `--fail-on`.

use clap::Args;
use serde::Serialize;

use super::output::Format;
use super::Ctx;
use crate::domain::integrity::{parse_codes, Finding};
use crate::error::{Error, Result};
use crate::store::integrity;
use crate::tr;

#[derive(Debug, Args)]
pub struct IntegrityArgs {
    /// Exit 3 when a finding of one of these codes is made (comma-separated), for cron
    #[arg(long, value_name = "CODE,...")]
    pub fail_on: Option<String>,
}

#[derive(Serialize)]
struct Report<'a> {
    findings: &'a [Finding],
}

pub fn run(ctx: &Ctx, args: IntegrityArgs) -> Result<()> {
    let fail_on = args.fail_on.as_deref().map(parse_codes).transpose()?;
    let mut db = ctx.open()?;
    let findings = db.snapshot(|s| integrity::findings(s, ctx.now.today()))?;
    ctx.out
        .status(&tr!("msg-integrity", count = findings.len() as i64));
    match ctx.out.format {
        Format::Table | Format::Text | Format::Csv => ctx.out.list(&findings)?,
        Format::Json => ctx.out.object(&Report {
            findings: &findings,
        })?,
    }
    let found: Vec<&str> = fail_on
        .iter()
        .flatten()
        .filter(|c| findings.iter().any(|f| &f.code == *c))
        .map(String::as_str)
        .collect();
    if found.is_empty() {
        Ok(())
    } else {
        Err(Error::refused(
            "R-I4",
            tr!("msg-integrity-failed", codes = found.join(", ")),
        ))
    }
}
