//! `kezek demo`: a sample city built with the same functions the commands use, then shown.

use std::path::{Path, PathBuf};

use chrono::Datelike;
use serde::Serialize;

use super::Ctx;
use crate::crypto::PrivateKey;
use crate::csvfile::CsvFile;
use crate::domain::application::{Language, QueueType, Status};
use crate::domain::direction::DirectionStatus;
use crate::domain::documents;
use crate::domain::officer::NewOfficer;
use crate::domain::place::{PlaceStatus, PlaceType};
use crate::domain::settings::Settings;
use crate::domain::time::Now;
use crate::error::{Error, Result};
use crate::generate;
use crate::store::db::{Db, DEMO_APPLICATION_ID};
use crate::store::{
    applications, audit, directions, offers, officers, orgs, places, reference, Acting, Actor, Mode,
};

pub const DEFAULT_DEMO_DB: &str = "./kezek-demo.db";
const DEMO_SEED: u64 = 2026;
const DEMO_APPLICATIONS: u64 = 3000;
const DEMO_DAYS: u64 = 22;

const ORGS_CSV: &[u8] = include_bytes!("../../examples/orgs.csv");
const CALENDAR_CSV: &[u8] = include_bytes!("../../examples/calendar.csv");

#[derive(Default, Serialize)]
struct OrgCount {
    district: String,
    state: usize,
    private: usize,
    sanatorium: usize,
}

pub fn run(ctx: &Ctx) -> Result<()> {
    let path = ctx
        .global
        .db
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DEMO_DB));
    if !Db::replaceable_by_demo(&path)? {
        return Err(Error::usage(format!(
            "{} holds data that is not a kezek demo; the demo starts from an empty database (choose another --db)",
            path.display()
        )));
    }
    remove_earlier(&path)?;
    let now = &demo_time(&ctx.now);
    let keys = keys_dir(&path);
    let (mut db, _) = Db::init(&path, now, DEMO_APPLICATION_ID)?;
    ctx.out
        .status(&format!("kezek demo: a sample city in {}", path.display()));

    ctx.out.status("generating the demo officer's RSA key...");
    let key = PrivateKey::generate(2048)?;
    let (key_path, _) = key.write_pair(&keys)?;
    let officer = NewOfficer::check("demo", "Демо Офицер", "Алмалинский")?;
    let public = key.public().clone();
    let first = Actor {
        acting: Acting::FirstOfficer(officer.id.clone()),
        key: Some(key),
    };
    db.change(&first, now, Mode::Commit, |c| {
        officers::add(c, &officer, &public, Some(&public))
    })?;
    let actor = Actor {
        acting: Acting::Officer(officer.id.clone()),
        key: first.key,
    };

    let mut csv = CsvFile::from_bytes(
        "examples/orgs.csv",
        ORGS_CSV.to_vec(),
        orgs::IMPORT_REQUIRED,
        orgs::IMPORT_OPTIONAL,
    )?;
    let report = db.change(&actor, now, Mode::Commit, |c| {
        orgs::import(c, &mut csv, &|_| {})
    })?;
    ctx.out.status(&format!(
        "imported {} organizations from {}",
        report.rows, report.file
    ));
    let mut csv = CsvFile::from_bytes(
        "examples/calendar.csv",
        CALENDAR_CSV.to_vec(),
        reference::CALENDAR_COLUMNS,
        &[],
    )?;
    let report = db.change(&actor, now, Mode::Commit, |c| {
        reference::import_days(c, &mut csv, &|_| {})
    })?;
    ctx.out.status(&format!(
        "imported {} declared days from {}",
        report.rows, report.file
    ));

    // A queue migrated from the older system: registration times (and so positions) are kept.
    let mut generated = Vec::new();
    generate::applications(&mut generated, DEMO_SEED, DEMO_APPLICATIONS, now.effective)?;
    let mut csv = CsvFile::from_bytes(
        "generated applications",
        generated,
        applications::IMPORT_REQUIRED,
        applications::IMPORT_OPTIONAL,
    )?;
    let settings = reference::load_settings(&db)?;
    let report = db.change(&actor, now, Mode::Commit, |c| {
        applications::import(c, &mut csv, &settings, &|_| {})
    })?;
    ctx.out.status(&format!(
        "imported {} applications migrated from an older system",
        report.rows
    ));

    ctx.out.status("\nOrganizations by district:");
    ctx.out.list(&org_counts(&orgs::list(&db, None, None)?))?;

    let year = now.today().year();
    ctx.out.status(&format!(
        "\nThe working-day calendar of {year} (days that differ from a plain week):"
    ));
    let calendar = reference::working_calendar(&db)?;
    let days: Vec<_> = calendar
        .special_days(year)
        .into_iter()
        .map(|(date, reason)| {
            serde_json::json!({
                "date": date.to_string(),
                "weekday": date.format("%a").to_string(),
                "working": reason.is_working(),
                "reason": reference::describe(&reason),
            })
        })
        .collect();
    ctx.out.list(&days)?;
    let today = now.today();
    ctx.out.status(&format!(
        "\nA direction issued today ({today}) is valid to the end of {} (5 working days, R-D1).",
        calendar.add_working_days(today, 5)
    ));

    let k = settings.general_per_first_priority;
    ctx.out
        .status("\nThe queues (waiting applications by queue type, group year and class):");
    ctx.out.list(&queue_counts(&db)?)?;
    let largest = queue_counts(&db)?
        .into_iter()
        .max_by_key(|q| q.waiting)
        .ok_or_else(|| Error::Internal("the demo has no queue".into()))?;
    ctx.out.status(&format!(
        "\nThe head of the largest queue ({} {}): out of turn first, then one first-priority for every {k} general (R-Q2):",
        largest.queue_type, largest.group_year
    ));
    let filter = applications::ListFilter {
        queue_type: Some(QueueType::parse("queue_type", &largest.queue_type)?),
        group_year: Some(largest.group_year),
        status: None,
        limit: Some(12),
    };
    let head = applications::list(&db, &filter, k)?;
    ctx.out.list(&head)?;
    if let Some(first) = head.iter().find(|a| a.priority_class == "first_priority") {
        let view = applications::view(&db, applications::get(&db, &first.number)?, k)?;
        ctx.out
            .status("\nIts registration notice (kezek application notice):\n");
        let titles = reference::categories(&db)?;
        let title =
            super::application::category_title(&titles, view.category.as_deref(), Language::Ru);
        ctx.out.text(&documents::registration_notice(
            &view,
            title,
            Language::Ru,
            now,
        ))?;
    }

    // A month of working days: places published, offer rounds, directions, enrollments, nightly sweeps.
    let days = walk_month(ctx, &mut db, &actor, now, &settings)?;
    ctx.out.status("\nA month of the queue, day by day:");
    ctx.out.list(&days)?;
    let last_day = days.last().map(|d| d.date.clone()).unwrap_or_default();
    let stats = db.snapshot(|conn| {
        crate::store::stats::stats(
            conn,
            Some(now.today()),
            now.today().max(parse_day(&last_day)),
        )
    })?;
    ctx.out.status(&format!(
        "\nStatistics of the month (kezek stats --from {} --to {last_day}):",
        now.today()
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
    let k = settings.general_per_first_priority;
    let titles = reference::categories(&db)?;
    for status in [Status::Enrolled, Status::StopListed] {
        let filter = applications::ListFilter {
            status: Some(status),
            limit: Some(1),
            ..Default::default()
        };
        if let Some(row) = applications::list(&db, &filter, k)?.first() {
            let view = applications::view(&db, applications::get(&db, &row.number)?, k)?;
            let title =
                super::application::category_title(&titles, view.category.as_deref(), Language::Ru);
            ctx.out.status(&format!(
                "\nThe card of {} ({}), kezek application card:\n",
                row.number, row.status
            ));
            ctx.out
                .text(&documents::child_card(&view, title, Language::Ru, now))?;
        }
    }
    let outbox = crate::store::outbox::unsent(&db)?;
    ctx.out.status(&format!(
        "\nThe outbox holds {} e-mails and SMS for the families (kezek notify export).",
        outbox.len()
    ));

    let verified = db.snapshot(|conn| audit::verify(conn, None))?;
    ctx.out.status(&format!(
        "\nJournal: {} events, {} signed heads, {} rows verified (kezek audit verify).",
        verified.events, verified.heads, verified.rows
    ));
    ctx.out.status(&format!(
        "\nTry it yourself (kezek is target/release/kezek, or `cargo run --release --`):\n  export KEZEK_DB={} KEZEK_OFFICER=demo KEZEK_KEY={}\n  kezek org list --district Медеуский\n  kezek calendar show --year 2026\n  kezek settings show\n  kezek category list\n  kezek history DS-001\n  kezek application list --queue-type general --group-year {} --limit 20\n  kezek application card {}\n  kezek audit head",
        path.display(),
        key_path.display(),
        largest.group_year,
        head.first().map(|a| a.number.as_str()).unwrap_or("NUMBER"),
    ));
    Ok(())
}

fn keys_dir(db: &Path) -> PathBuf {
    db.with_extension("keys")
}

/// Removes an earlier demo: its database files and its key pair.
fn remove_earlier(path: &Path) -> Result<()> {
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    let keys = keys_dir(path);
    files.push(keys.join("officer.key"));
    files.push(keys.join("officer.pub"));
    for f in files {
        if f.exists() {
            std::fs::remove_file(&f).map_err(|e| Error::io(f.display().to_string(), e))?;
        }
    }
    Ok(())
}

fn org_counts(orgs: &[orgs::OrgRow]) -> Vec<OrgCount> {
    let mut out: Vec<OrgCount> = Vec::new();
    for o in orgs {
        let i = match out.iter().position(|c| c.district == o.district) {
            Some(i) => i,
            None => {
                out.push(OrgCount {
                    district: o.district.clone(),
                    state: 0,
                    private: 0,
                    sanatorium: 0,
                });
                out.len() - 1
            }
        };
        match o.kind.as_str() {
            "state" => out[i].state += 1,
            "private" => out[i].private += 1,
            _ => out[i].sanatorium += 1,
        }
    }
    out.sort_by(|a, b| a.district.cmp(&b.district));
    out
}

#[derive(Default, Serialize)]
struct QueueCount {
    queue_type: String,
    group_year: i64,
    out_of_turn: u64,
    first_priority: u64,
    general: u64,
    waiting: u64,
}

fn queue_counts(db: &Db) -> Result<Vec<QueueCount>> {
    applications::queues_waiting(db)?
        .into_iter()
        .map(|(queue_type, group_year)| {
            let c = applications::class_counts(db, &queue_type, group_year)?;
            Ok(QueueCount {
                queue_type,
                group_year,
                out_of_turn: c.out_of_turn,
                first_priority: c.first_priority,
                general: c.general,
                waiting: c.total(),
            })
        })
        .collect()
}

/// The demo walks a working day: `--now` (or the clock) if it falls on one before the offer window closes,
/// else 10:00 on the next working day.
fn demo_time(now: &Now) -> Now {
    let declared = String::from_utf8_lossy(CALENDAR_CSV)
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',');
            let date = chrono::NaiveDate::parse_from_str(f.next()?, "%Y-%m-%d").ok()?;
            let kind = crate::domain::calendar::DayKind::parse(f.next()?)?;
            Some((date, kind, String::new()))
        })
        .collect::<Vec<_>>();
    let calendar = crate::domain::calendar::WorkingCalendar::new(declared);
    let settings = crate::domain::settings::Settings::default();
    let (_, closes) = offers::window(now.today(), &settings);
    if calendar.is_working_day(now.today()) && now.effective < closes {
        return *now;
    }
    let day = calendar.add_working_days(now.today(), 1);
    let ten = chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("10:00");
    Now {
        effective: crate::domain::time::local(day.and_time(ten)),
        real: now.real,
    }
}

fn parse_day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

/// One day of the demo month.
#[derive(Debug, Default, Serialize)]
struct DayRow {
    date: String,
    published: usize,
    notified: u64,
    directions: usize,
    enrolled: usize,
    revoked: usize,
    expired: u64,
    stop_listed: u64,
    stop_lists_ended: u64,
    removed: u64,
}

/// A local time on a day.
fn at(day: chrono::NaiveDate, h: u32, m: u32, real: &Now) -> Now {
    let t = chrono::NaiveTime::from_hms_opt(h, m, 0).expect("a time");
    Now {
        effective: crate::domain::time::local(day.and_time(t)),
        real: real.real,
    }
}

/// Is this a refusal by a rule (which the demo's families meet like real ones), rather than a failure?
fn refused<T>(r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(Error::Refused { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Walks 22 working days from `start`: every night the sweep, every morning places and an offer round, during
/// the day families take places (or let the window pass), children arrive, a few directions are revoked.
fn walk_month(
    ctx: &Ctx,
    db: &mut Db,
    actor: &Actor,
    start: &Now,
    settings: &Settings,
) -> Result<Vec<DayRow>> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(DEMO_SEED);
    let calendar = reference::working_calendar(&*db)?;
    let key = actor.key.as_ref().expect("the demo officer's key");
    let all_orgs = orgs::list(&*db, None, None)?;
    let of_kind = |k: &str| {
        all_orgs
            .iter()
            .filter(|o| o.kind == k)
            .map(|o| o.code.clone())
            .collect::<Vec<_>>()
    };
    let (state, private, sanatorium) =
        (of_kind("state"), of_kind("private"), of_kind("sanatorium"));
    let k = settings.general_per_first_priority;
    let year = start.today().year();
    let bar = ctx.out.steps(DEMO_DAYS, "a month of the queue");
    let mut rows = Vec::new();
    let mut day = start.today();
    for i in 0..DEMO_DAYS {
        let mut row = DayRow {
            date: day.to_string(),
            ..DayRow::default()
        };
        // The night before: the sweep processes the day as of its start.
        let night = at(day, 1, 30, start);
        let swept = db.change(actor, &night, Mode::Commit, |c| {
            crate::store::sweep::sweep(c, day, settings, &calendar)
        })?;
        row.expired = swept.summary.directions_expired;
        row.stop_listed = swept.summary.stop_listed;
        row.stop_lists_ended = swept.summary.stop_lists_ended;
        row.removed = swept.summary.removed_expired_twice + swept.summary.removed_age_limit;

        // Morning: places freed by departures and new groups, then the offer round.
        let morning = at(day, 9, 30, start);
        let mut batches = Vec::new();
        for _ in 0..3 {
            batches.push((
                state[rng.gen_range(0..state.len())].clone(),
                PlaceType::Regular,
                rng.gen_range(year - 5..year),
            ));
        }
        if i % 5 == 0 {
            batches.push((
                sanatorium[rng.gen_range(0..sanatorium.len())].clone(),
                PlaceType::Sanatorium,
                rng.gen_range(year - 5..year - 1),
            ));
        }
        if i % 3 == 0 {
            batches.push((
                private[rng.gen_range(0..private.len())].clone(),
                PlaceType::Regular,
                rng.gen_range(year - 5..year - 3),
            ));
        }
        for (org, place_type, group_year) in batches {
            let batch = places::NewPlaces {
                org,
                group_year: i64::from(group_year),
                language: if rng.gen_bool(0.6) {
                    Language::Kk
                } else {
                    Language::Ru
                },
                place_type,
                count: rng.gen_range(1..4),
                release_date: day,
            };
            row.published += db
                .change(actor, &morning, Mode::Commit, |c| {
                    places::publish(c, &batch)
                })?
                .len();
        }
        let round = refused(db.change(actor, &at(day, 10, 0, start), Mode::Commit, |c| {
            offers::offer_round(c, settings, &calendar)
        }))?;
        row.notified = round.map(|r| r.notified).unwrap_or(0);

        // During the window: most notified families take an offered place of their queue.
        let notified = applications::list(
            &*db,
            &applications::ListFilter {
                status: Some(Status::Notified),
                ..Default::default()
            },
            k,
        )?;
        let midday = at(day, 12, 0, start);
        let mut issued_today = Vec::new();
        for app in notified {
            if !rng.gen_bool(0.7) {
                continue;
            }
            let offered = places::list(
                &*db,
                &places::PlaceFilter {
                    group_year: Some(app.group_year),
                    status: Some(PlaceStatus::Offered),
                    place_type: Some(PlaceType::for_queue(QueueType::parse(
                        "queue_type",
                        &app.queue_type,
                    )?)),
                    limit: Some(1),
                    ..Default::default()
                },
            )?;
            let Some(place) = offered.first() else {
                continue;
            };
            let issued = refused(db.change(actor, &midday, Mode::Commit, |c| {
                directions::issue(c, &app.number, place.id, key, settings, &calendar, None)
            }))?;
            if let Some(d) = issued {
                issued_today.push(d.number);
            }
        }
        // A private place for the first child of three or more who wants one.
        let free_private = places::list(
            &*db,
            &places::PlaceFilter {
                status: Some(PlaceStatus::Free),
                ..Default::default()
            },
        )?
        .into_iter()
        .find(|p| p.org_kind == "private");
        if let Some(place) = free_private {
            let candidates = applications::list(
                &*db,
                &applications::ListFilter {
                    queue_type: Some(QueueType::General),
                    group_year: Some(place.group_year),
                    status: Some(Status::Queued),
                    limit: Some(5),
                },
                k,
            )?;
            for app in candidates {
                let taken = refused(db.change(actor, &midday, Mode::Commit, |c| {
                    directions::issue(c, &app.number, place.id, key, settings, &calendar, None)
                }))?;
                if let Some(d) = taken {
                    issued_today.push(d.number);
                    break;
                }
            }
        }
        row.directions = issued_today.len();

        // A few families change their mind within 24 hours (R-D7).
        let afternoon = at(day, 17, 0, start);
        for number in &issued_today {
            if rng.gen_bool(0.06)
                && refused(db.change(actor, &afternoon, Mode::Commit, |c| {
                    directions::revoke(c, number)
                }))?
                .is_some()
            {
                row.revoked += 1;
            }
        }
        // Children arrive with directions issued on earlier days; some never come and their directions expire.
        let open = directions::list(
            &*db,
            &directions::DirectionFilter {
                status: Some(DirectionStatus::Issued),
                ..Default::default()
            },
        )?;
        let evening = at(day, 16, 0, start);
        for d in open {
            if d.issued_at.starts_with(&day.to_string()) || !rng.gen_bool(0.55) {
                continue;
            }
            let issue_date = parse_day(&d.issued_at[..10]);
            let doc_date = Some(issue_date - chrono::Duration::days(2));
            if refused(db.change(actor, &evening, Mode::Commit, |c| {
                directions::enroll(c, &d.number, doc_date)
            }))?
            .is_some()
            {
                row.enrolled += 1;
            }
        }
        rows.push(row);
        bar.inc(1);
        day = calendar.add_working_days(day, 1);
    }
    bar.finish_and_clear();
    Ok(rows)
}
