//! `kezek demo`: builds the sample city of `crate::demo` step by step and shows what each step did.

use std::path::PathBuf;

use chrono::Datelike;

use super::Ctx;
use crate::demo::{self, City, Month, NewDemo};
use crate::domain::documents;
use crate::domain::time::Now;
use crate::error::Result;
use crate::lang::Lang;
use crate::store::import::ImportReport;
use crate::store::reference;

pub const DEFAULT_DEMO_DB: &str = "./kezek-demo.db";

pub fn run(ctx: &Ctx) -> Result<()> {
    let path = ctx
        .global
        .db
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DEMO_DB));
    let demo = NewDemo::create(&path, &ctx.now)?;
    ctx.out
        .status(&format!("kezek demo: a sample city in {}", path.display()));
    ctx.out.status("generating the demo officer's RSA key...");
    let mut demo = demo.add_officer()?;
    let imported = |report: ImportReport, what: &str| {
        ctx.out.status(&format!(
            "imported {} {what} from {}",
            report.rows, report.file
        ))
    };
    imported(demo.import_orgs()?, "organizations");
    imported(demo.import_calendar()?, "declared days");
    let report = demo.import_applications()?;
    ctx.out.status(&format!(
        "imported {} applications migrated from an older system",
        report.rows
    ));
    let city = demo.city()?;
    show_city(ctx, &city, demo.now())?;

    let bar = ctx.out.steps(demo::DAYS, "a month of the queue");
    let days = demo.walk_month(&|| bar.inc(1))?;
    bar.finish_and_clear();
    ctx.out.status("\nA month of the queue, day by day:");
    ctx.out.list(&days)?;
    let month = demo.month(&days)?;
    show_month(ctx, &month, demo.now())?;

    let published = demo.publish()?;
    ctx.out.status(&format!(
        "\nThe month's public log is published in {dir}/ ({} records, root {}), with no personal data in it. \
         Anyone can check it without the database, with kezek or with the independent verifier:\n  \
         kezek audit public {dir} --trust {key}\n  \
         python3 verifier/kezek_verify.py {dir} --trust {key}",
        published.tree_size,
        published.root,
        dir = published.dir,
        key = demo.key_path().with_extension("pub").display(),
    ));
    ctx.out.status(&format!(
        "\nTry it yourself (kezek is target/release/kezek, or `cargo run --release --`), at the demo's clock, the \
         morning after its month (so that a registration or a sweep follows the month's events):\n  export KEZEK_DB={} KEZEK_OFFICER=demo KEZEK_KEY={} KEZEK_NOW={}T10:00\n  kezek org list --district Медеуский\n  kezek calendar show --year 2026\n  kezek settings show\n  kezek category list\n  kezek history DS-001\n  kezek application list --queue-type general --group-year {} --limit 20\n  kezek application card {}\n  kezek audit head",
        demo.path().display(),
        demo.key_path().display(),
        chrono::NaiveDate::parse_from_str(&month.last_day, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.succ_opt())
            .map_or_else(|| month.last_day.clone(), |d| d.to_string()),
        city.largest.group_year,
        city.head.first().map(|a| a.number.as_str()).unwrap_or("NUMBER"),
    ));
    Ok(())
}

fn show_city(ctx: &Ctx, city: &City, now: &Now) -> Result<()> {
    ctx.out.status("\nOrganizations by district:");
    ctx.out.list(&city.orgs)?;

    ctx.out.status(&format!(
        "\nThe working-day calendar of {} (days that differ from a plain week):",
        now.today().year()
    ));
    let days: Vec<_> = city
        .special_days
        .iter()
        .map(|(date, reason)| {
            serde_json::json!({
                "date": date.to_string(),
                "weekday": date.format("%a").to_string(),
                "working": reason.is_working(),
                "reason": reference::describe(reason),
            })
        })
        .collect();
    ctx.out.list(&days)?;
    ctx.out.status(&format!(
        "\nA direction issued today ({}) is valid to the end of {} (5 working days, R-D1).",
        now.today(),
        city.valid_until
    ));

    ctx.out
        .status("\nThe queues (waiting applications by queue type, group year and class):");
    ctx.out.list(&city.queues)?;
    ctx.out.status(&format!(
        "\nThe head of the largest queue ({} {}): out of turn first, then one first-priority for every {} general (R-Q2):",
        city.largest.queue_type, city.largest.group_year, city.general_per_first_priority
    ));
    ctx.out.list(&city.head)?;
    if let Some((view, category)) = &city.first_priority {
        ctx.out
            .status("\nIts registration notice (kezek application notice):\n");
        let title = category.as_ref().and_then(|c| c.title(Lang::Ru));
        ctx.out
            .text(&documents::registration_notice(view, title, Lang::Ru, now))?;
    }
    Ok(())
}

fn show_month(ctx: &Ctx, month: &Month, now: &Now) -> Result<()> {
    let stats = &month.stats;
    ctx.out.status(&format!(
        "\nStatistics of the month (kezek stats --from {} --to {}):",
        now.today(),
        month.last_day
    ));
    let moves = [
        ("directions issued", stats.directions_issued),
        ("enrolled", stats.enrolled),
        ("expired", stats.expired),
        ("revoked", stats.revoked),
        ("annulled", stats.annulled),
        ("removed", stats.removed_total),
    ];
    ctx.out.list(
        &moves
            .iter()
            .map(|(what, count)| serde_json::json!({ "what": what, "count": count }))
            .collect::<Vec<_>>(),
    )?;
    ctx.out.list(&stats.median_wait_days)?;
    for card in &month.cards {
        ctx.out.status(&format!(
            "\nThe card of {} ({}), kezek application card:\n",
            card.view.number, card.view.status
        ));
        let title = card.category.as_ref().and_then(|c| c.title(Lang::Ru));
        ctx.out
            .text(&documents::child_card(&card.view, title, Lang::Ru, now))?;
    }
    ctx.out.status(&format!(
        "\nThe outbox holds {} e-mails and SMS for the families (kezek notify export).",
        month.unsent_notifications
    ));
    let verified = &month.audit;
    ctx.out.status(&format!(
        "\nJournal: {} events, {} signed heads, {} rows verified (kezek audit verify).",
        verified.events, verified.heads, verified.rows
    ));
    Ok(())
}
