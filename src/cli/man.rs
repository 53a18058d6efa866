//! `kezek man --out DIR`: the man pages from the clap definition; never opens the database.

use std::path::PathBuf;

use clap::{Args, CommandFactory};

use super::{Cli, Ctx};
use crate::error::{Error, Result};

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory for the pages (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(ctx: &Ctx, args: ManArgs) -> Result<()> {
    let io = |e| Error::io(format!("--out {}", args.out.display()), e);
    std::fs::create_dir_all(&args.out).map_err(io)?;
    clap_mangen::generate_to(Cli::command(), &args.out).map_err(io)?;
    ctx.out.status(&crate::tr!(
        "cli-man-written",
        dir = args.out.display().to_string()
    ));
    Ok(())
}
