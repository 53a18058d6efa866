//! `kezek offer`: the offer round (R-P3).

use super::output::Format;
use super::Ctx;
use crate::error::Result;
use crate::store::offers;

pub fn run(ctx: &Ctx) -> Result<()> {
    let report = ctx.change(offers::run_round)?;
    ctx.out.status(&format!(
        "offer round: {} applications notified, {} places offered, {} ended windows closed",
        report.notified, report.places_offered, report.windows_closed
    ));
    match ctx.out.format {
        Format::Table | Format::Text => ctx.out.list(&report.queues),
        _ => ctx.out.object(&report),
    }
}
