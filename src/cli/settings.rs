//! `kezek settings`: the settings a city may decide (SPEC §2a).

use clap::Subcommand;

use super::Ctx;
use crate::error::Result;
use crate::store::reference;

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show every setting with its value, default and rule
    Show,
    /// Change a setting (validated and journaled)
    #[command(
        long_about = "Change a setting. An unknown key is a usage error (exit 2) that lists the keys; a \
        value out of range names the key and the range (exit 65). The change is journaled like every change."
    )]
    Set {
        #[arg(id = "setting", value_name = "KEY")]
        key: String,
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
}

pub fn run(ctx: &Ctx, command: SettingsCommand) -> Result<()> {
    match command {
        SettingsCommand::Show => {
            let db = ctx.open()?;
            ctx.out.list(&reference::settings_rows(&db)?)
        }
        SettingsCommand::Set { key, value } => {
            crate::domain::settings::definition(&key)?.normalize(&value)?;
            let (old, new) = ctx.change(|c| reference::set_setting(c, &key, &value))?;
            ctx.out.status(&format!("{key}: {old} -> {new}"));
            Ok(())
        }
    }
}
