//! `kezek offer`: the offer round (R-P3).

use super::output::Format;
use super::Ctx;
use crate::error::Result;
use crate::store::{offers, reference, Mode};

pub fn run(ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let mut db = ctx.open()?;
    let report = db.change(&actor, &ctx.now, Mode::Commit, |c| {
        let settings = reference::load_settings(c)?;
        let calendar = reference::working_calendar(c)?;
        offers::offer_round(c, &settings, &calendar)
    })?;
    ctx.out.status(&format!(
        "offer round: {} applications notified, {} places offered, {} ended windows closed",
        report.notified, report.places_offered, report.windows_closed
    ));
    match ctx.out.format {
        Format::Table | Format::Text => ctx.out.list(&report.queues),
        _ => ctx.out.object(&report),
    }
}
