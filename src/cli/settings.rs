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
        /// The setting's key (see `kezek settings show`)
        #[arg(id = "setting", value_name = "KEY")]
        key: String,
        /// Its new value, in the form `settings show` prints
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
            let value = crate::domain::settings::definition(&key)?.normalize(&value)?;
            let current = reference::settings_rows(&ctx.open()?)?
                .into_iter()
                .find(|r| r.key == key)
                .map(|r| r.value);
            if current.as_deref() == Some(value.as_str()) {
                // Nothing changes, so nothing is journaled.
                ctx.out.status(&crate::tr!(
                    "cli-settings-unchanged",
                    key = key.clone(),
                    value = value.clone()
                ));
                return Ok(());
            }
            let (old, new) = ctx.change(|c| reference::set_setting(c, &key, &value))?;
            ctx.out.status(&format!("{key}: {old} -> {new}"));
            Ok(())
        }
    }
}
