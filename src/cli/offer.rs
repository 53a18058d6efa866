//! `kezek offer`: the offer round (R-P3).

use super::output::Format;
use super::Ctx;
use crate::error::Result;
use crate::store::offers;

pub fn run(ctx: &Ctx) -> Result<()> {
    let report = ctx.change(offers::run_round)?;
    ctx.out.status(&crate::tr!(
        "msg-offer",
        notified = report.notified,
        places = report.places_offered,
        windows = report.windows_closed
    ));
    match ctx.out.format {
        Format::Table | Format::Text => ctx.out.list(&report.queues),
        _ => ctx.out.object(&report),
    }
}
