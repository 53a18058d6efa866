use std::path::PathBuf;

use clap::{Args, CommandFactory, Subcommand};

use super::{Cli, Ctx};
use crate::error::{Error, Result};
use crate::store::audit;
use crate::store::db::{Db, APPLICATION_ID};

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy the database with SQLite's online backup (consistent while others write)
    #[command(
        long_about = "Copy the database to FILE with SQLite's online backup API: the copy is consistent \
        even while other processes write. FILE is created with mode 0600 and is never overwritten."
    )]
    Backup { file: PathBuf },
    /// SQLite's integrity and foreign-key checks, the queue counts, then `audit verify`
    Check,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash | zsh | fish | elvish | powershell
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory for the pages (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn init(ctx: &Ctx) -> Result<()> {
    let path = ctx.db_path();
    let (_, report) = Db::init(&path, &ctx.now, APPLICATION_ID)?;
    let message = if report.created {
        format!(
            "created {} at schema version {}",
            path.display(),
            report.to_version
        )
    } else if report.from_version == report.to_version {
        format!(
            "{} is at schema version {}: nothing to do",
            path.display(),
            report.to_version
        )
    } else {
        format!(
            "migrated {} from schema version {} to {}",
            path.display(),
            report.from_version,
            report.to_version
        )
    };
    ctx.out.status(&message);
    Ok(())
}

pub fn run(ctx: &Ctx, command: DbCommand) -> Result<()> {
    match command {
        DbCommand::Backup { file } => {
            if file.exists() {
                return Err(Error::usage(format!(
                    "{} exists; kezek never overwrites a backup",
                    file.display()
                )));
            }
            let db = ctx.open()?;
            db.backup(&file)?;
            ctx.out.status(&format!(
                "backed up {} to {}",
                db.path().display(),
                file.display()
            ));
            Ok(())
        }
        DbCommand::Check => {
            let mut db = ctx.open()?;
            db.use_scan_mmap()?;
            let mut problems = db.sqlite_checks()?;
            problems.extend(crate::store::applications::check_queue_counts(db.conn())?);
            if let Some(first) = problems.first() {
                return Err(Error::Tampered(format!(
                    "{first} ({} problem(s) in all)",
                    problems.len()
                )));
            }
            let report = db.snapshot(|conn| audit::verify(conn, None))?;
            ctx.out.status(&format!(
                "db check ok: integrity ok, foreign keys ok, queue counts ok, {} events, {} signed heads, {} rows verified",
                report.events, report.heads, report.rows
            ));
            Ok(())
        }
    }
}

pub fn completions(ctx: &Ctx, args: CompletionsArgs) -> Result<()> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "kezek", &mut buf);
    ctx.out.text(&String::from_utf8_lossy(&buf))
}

pub fn man(ctx: &Ctx, args: ManArgs) -> Result<()> {
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Error::io(format!("--out {}", args.out.display()), e))?;
    clap_mangen::generate_to(Cli::command(), &args.out)
        .map_err(|e| Error::io(format!("--out {}", args.out.display()), e))?;
    ctx.out
        .status(&format!("man pages written to {}", args.out.display()));
    Ok(())
}
