use clap::Subcommand;

use super::Ctx;
use crate::error::Result;
use crate::store::outbox;

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Export the unsent notifications for a mail/SMS gateway (--format csv|json)
    #[command(
        long_about = "Export the unsent notifications (e-mail and SMS, in the family's language) for a \
        mail/SMS gateway. Without --mark-sent the command only reads: exporting twice gives the same rows. \
        With --mark-sent the exported rows are marked sent in the same transaction (a change: it needs \
        --officer and --key)."
    )]
    Export {
        /// Mark the exported notifications as sent, so that the next export leaves them out
        #[arg(long)]
        mark_sent: bool,
    },
}

pub fn run(ctx: &Ctx, command: NotifyCommand) -> Result<()> {
    match command {
        NotifyCommand::Export { mark_sent } => {
            let rows = if mark_sent {
                ctx.change(outbox::export_and_mark)?
            } else {
                let db = ctx.open()?;
                outbox::unsent(&db)?
            };
            let id = if mark_sent {
                "cli-notify-exported"
            } else {
                "cli-notify-waiting"
            };
            ctx.out.status(&crate::tr!(id, count = rows.len() as i64));
            ctx.out.list(&rows)
        }
    }
}
