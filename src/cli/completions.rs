//! `kezek completions SHELL`: a shell completion script from the clap definition; never opens the database.

use clap::{Args, CommandFactory};

use super::{Cli, Ctx};
use crate::error::Result;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash | zsh | fish | elvish | powershell
    pub shell: clap_complete::Shell,
}

pub fn run(ctx: &Ctx, args: CompletionsArgs) -> Result<()> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "kezek", &mut buf);
    ctx.out.text(&String::from_utf8_lossy(&buf))
}
