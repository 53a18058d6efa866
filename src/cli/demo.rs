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
use crate::tr;

pub const DEFAULT_DEMO_DB: &str = "./kezek-demo.db";

pub fn run(ctx: &Ctx) -> Result<()> {
    let path = ctx
        .global
        .db
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DEMO_DB));
    let demo = NewDemo::create(&path, &ctx.now)?;
    ctx.out
        .status(&tr!("cli-demo-start", path = path.display().to_string()));
    ctx.out.status(&tr!("cli-demo-generating-key"));
    let mut demo = demo.add_officer()?;
    let imported = |report: ImportReport, id: &str| {
        ctx.out.status(&tr!(
            id,
            count = report.rows as i64,
            file = report.file.clone()
        ))
    };
    imported(demo.import_orgs()?, "cli-demo-imported-orgs");
    let accounts = demo.add_accounts()?;
    ctx.out.status(&tr!(
        "cli-demo-accounts",
        count = accounts.len() as i64,
        list = accounts
            .iter()
            .map(|(id, role, district, org)| match org {
                Some(org) => format!("{id} ({}, {org})", role.as_str()),
                None => format!("{id} ({}, {district})", role.as_str()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    ));
    imported(demo.import_calendar()?, "cli-demo-imported-days");
    imported(
        demo.import_applications()?,
        "cli-demo-imported-applications",
    );
    let before = demo.before_month()?;
    ctx.out.status(&tr!(
        "cli-demo-founded",
        founded = demo.founded().today().to_string(),
        enrolled = before.enrolled_on.to_string(),
        org = before.org.clone(),
        year = before.group_year
    ));
    let city = demo.city()?;
    show_city(ctx, &city, demo.now())?;

    let bar = ctx.out.steps(demo::DAYS, &tr!("cli-demo-month-progress"));
    let days = demo.walk_month(&|| bar.inc(1))?;
    bar.finish_and_clear();
    paragraph(ctx, &tr!("cli-demo-month"));
    ctx.out.list(&days)?;
    let month = demo.month(&days)?;
    show_month(ctx, &month, demo.now())?;

    let last_day = chrono::NaiveDate::parse_from_str(&month.last_day, "%Y-%m-%d")
        .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    let choice = demo.choice_day(last_day)?;
    show_choice(ctx, &choice, last_day)?;
    let controls = demo.controls(last_day, &before)?;
    show_controls(ctx, &controls, &before, demo.counters())?;
    if demo.now().effective < demo.now().real {
        paragraph(ctx, &tr!("cli-demo-pinned-past"));
    }

    let published = demo.publish()?;
    paragraph(
        ctx,
        &format!(
            "{}\n  \
             kezek audit public {dir} --trust {key}\n  \
             python3 verifier/kezek_verify.py {dir} --trust {key}",
            tr!(
                "cli-demo-published",
                dir = published.dir.clone(),
                records = published.tree_size,
                root = published.root.clone()
            ),
            dir = published.dir,
            key = demo.key_path().with_extension("pub").display(),
        ),
    );
    paragraph(ctx, &format!(
        "{}\n  export KEZEK_DB={} KEZEK_OFFICER=demo KEZEK_KEY={} KEZEK_NOW={}T10:00\n  kezek org list --district Медеуский\n  kezek calendar show --year 2026\n  kezek settings show\n  kezek category list\n  kezek history DS-001\n  kezek application list --queue-type general --group-year {} --limit 20\n  kezek application card {}\n  kezek audit head",
        tr!("cli-demo-try"),
        demo.path().display(),
        demo.key_path().display(),
        controls.morning,
        city.largest.group_year,
        city.head.first().map(|a| a.number.as_str()).unwrap_or("NUMBER"),
    ));
    Ok(())
}

/// A paragraph of the demo's narration on stderr, after an empty line.
fn paragraph(ctx: &Ctx, text: &str) {
    ctx.out.status(&format!("\n{text}"));
}

fn show_city(ctx: &Ctx, city: &City, now: &Now) -> Result<()> {
    paragraph(ctx, &tr!("cli-demo-orgs"));
    ctx.out.list(&city.orgs)?;

    paragraph(
        ctx,
        &tr!("cli-demo-calendar", year = i64::from(now.today().year())),
    );
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
    paragraph(
        ctx,
        &tr!(
            "cli-demo-valid-until",
            today = now.today().to_string(),
            until = city.valid_until.to_string()
        ),
    );

    paragraph(ctx, &tr!("cli-demo-queues"));
    ctx.out.list(&city.queues)?;
    paragraph(
        ctx,
        &tr!(
            "cli-demo-head",
            queue_type = city.largest.queue_type.clone(),
            group_year = city.largest.group_year,
            general = i64::from(city.general_per_first_priority)
        ),
    );
    ctx.out.list(&city.head)?;
    if let Some((view, category)) = &city.first_priority {
        paragraph(ctx, &format!("{}\n", tr!("cli-demo-notice")));
        let title = category.as_ref().and_then(|c| c.title(Lang::Ru));
        ctx.out
            .text(&documents::registration_notice(view, title, Lang::Ru, now))?;
    }
    Ok(())
}

fn show_month(ctx: &Ctx, month: &Month, now: &Now) -> Result<()> {
    let stats = &month.stats;
    paragraph(
        ctx,
        &tr!(
            "cli-demo-stats",
            from = now.today().to_string(),
            to = month.last_day.clone()
        ),
    );
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
        paragraph(
            ctx,
            &format!(
                "{}\n",
                tr!(
                    "cli-demo-card",
                    number = card.view.number.clone(),
                    status = card.view.status.clone()
                )
            ),
        );
        let title = card.category.as_ref().and_then(|c| c.title(Lang::Ru));
        ctx.out
            .text(&documents::child_card(&card.view, title, Lang::Ru, now))?;
    }
    paragraph(
        ctx,
        &tr!("cli-demo-outbox", count = month.unsent_notifications as i64),
    );
    let verified = &month.audit;
    paragraph(
        ctx,
        &tr!(
            "cli-demo-journal",
            events = verified.events,
            heads = verified.heads,
            rows = verified.rows
        ),
    );
    Ok(())
}

/// The evening of choice: the preference round by serial dictatorship and the exchange (SPEC §12).
fn show_choice(ctx: &Ctx, choice: &demo::ChoiceDay, day: chrono::NaiveDate) -> Result<()> {
    let a = &choice.allocation;
    paragraph(
        ctx,
        &tr!(
            "cli-demo-allocation",
            day = day.to_string(),
            directions = a.directions.len() as i64,
            unplaced = a.unplaced as i64
        ),
    );
    let first: Vec<_> = a.directions.iter().take(10).cloned().collect();
    ctx.out.list(&first)?;
    let x = &choice.exchange;
    paragraph(
        ctx,
        &tr!(
            "cli-demo-exchange",
            cycles = x.cycles as i64,
            moves = x.swaps.len() as i64
        ),
    );
    ctx.out.list(&x.swaps)
}

/// The controls against abuse: what the demo planted, case by case, and the report that finds it (SPEC §13).
fn show_controls(
    ctx: &Ctx,
    c: &demo::Controls,
    before: &demo::Prologue,
    counters: demo::Counters,
) -> Result<()> {
    let mut lines = vec![tr!("cli-demo-controls")];
    let mut case = |text: String| lines.push(format!("  - {text}"));
    if let Some(d) = &c.over {
        case(tr!(
            "cli-demo-plant-over",
            org = d.org.clone(),
            places = d.places,
            year = d.group_year,
            enrolled = d.enrolled
        ));
    }
    if let Some(d) = &c.held_back {
        case(tr!(
            "cli-demo-plant-held",
            org = d.org.clone(),
            places = d.places,
            year = d.group_year
        ));
    }
    if let Some((org, month)) = &c.ghost {
        case(tr!(
            "cli-demo-plant-ghost",
            org = org.clone(),
            month = month.clone()
        ));
    }
    case(tr!(
        "cli-demo-plant-absent",
        org = before.org.clone(),
        since = before.enrolled_on.format("%Y-%m").to_string()
    ));
    case(tr!(
        "cli-demo-plant-benefit",
        officer = demo::CLERK.0,
        benefit = counters.clerk.1 as i64,
        total = counters.clerk.0 as i64,
        own_benefit = counters.officer.1 as i64,
        own_total = counters.officer.0 as i64
    ));
    let (rows, from, to) = c.late_import;
    case(tr!(
        "cli-demo-plant-backdated",
        rows = rows as i64,
        from = from.to_string(),
        to = to.to_string()
    ));
    let s = &c.scheme;
    case(tr!(
        "cli-demo-plant-scheme",
        state = s.state_org.clone(),
        closes = s.closes_at.get(11..16).unwrap_or_default().to_string(),
        first = s.first.clone(),
        private = s.private_org.clone(),
        again = s.again.clone(),
        position = s.position as i64,
        morning = c.morning.to_string()
    ));
    let (org, year, count, released) = &c.late;
    case(tr!(
        "cli-demo-plant-late",
        org = org.clone(),
        count = i64::from(*count),
        year = *year,
        released = released.to_string()
    ));
    lines.push(tr!(
        "cli-demo-integrity",
        morning = c.morning.to_string(),
        count = c.findings.len() as i64
    ));
    paragraph(ctx, &lines.join("\n"));
    ctx.out.list(&c.findings)
}
