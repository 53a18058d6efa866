//! An application's choice (SPEC §12): its ranked organizations (R-C1), its sibling link (R-C5) and its transfer
//! mark (R-C3), checked against the organizations, the linked application and the child's enrollment; written
//! with the registration, or by `application prefer`.

use std::collections::HashMap;

use rusqlite::params;

use super::rows::get;
use crate::domain::application::{NewApplication, QueueType, Status};
use crate::domain::org::OrgKind;
use crate::domain::preference::{self, SiblingFacts};
use crate::domain::settings::Settings;
use crate::domain::time::parse_date;
use crate::error::{Error, Result};
use crate::store::access::{self, Access};
use crate::store::change::Change;
use crate::store::journal::{EventWriter, APPLICATION};
use crate::store::offers::enrolled_at;
use crate::tr;

/// What a registration asks for beyond the application itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Choice<'a> {
    /// Organization codes in rank order.
    pub prefer: &'a [String],
    /// The number of an application of a sibling to link to.
    pub sibling: Option<&'a str>,
    /// A transfer application of an enrolled child.
    pub transfer: bool,
}

/// Every organization's kind, by code.
pub fn org_kinds(db: &impl Access) -> Result<HashMap<String, OrgKind>> {
    let conn = access::conn(db);
    let mut stmt = conn.prepare("SELECT code, kind FROM org")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut kinds = HashMap::new();
    for row in rows {
        let (code, kind) = row?;
        kinds.insert(code, OrgKind::parse("org.kind", &kind)?);
    }
    Ok(kinds)
}

/// R-C1: the stored form of `codes` for an application of `queue`, checked.
pub fn checked_preferences(
    db: &impl Access,
    codes: &[String],
    queue: QueueType,
    settings: &Settings,
) -> Result<Option<String>> {
    if codes.is_empty() {
        return Ok(None);
    }
    let kinds = org_kinds(db)?;
    preference::check(codes, settings.max_preferences, queue, |c| {
        kinds.get(c).copied()
    })
}

/// Sets a registration's choice on `app` before it is written; a sibling's row is updated (and recorded in
/// `event`) when it becomes the first of its group.
pub(in crate::store) fn apply(
    change: &Change,
    event: &mut EventWriter,
    app: &mut NewApplication,
    choice: &Choice,
    settings: &Settings,
) -> Result<()> {
    let tx = change.tx();
    app.preferences = checked_preferences(tx, choice.prefer, app.queue_type, settings)?;
    if choice.transfer {
        if enrolled_at(tx, &app.child_iin)?.is_none() {
            return Err(Error::refused(
                "R-C3",
                tr!("err-choice-transfer-not-enrolled"),
            ));
        }
        app.transfer = true;
    }
    if let Some(number) = choice.sibling {
        let existing = get(tx, number)?;
        let group: Option<String> = tx
            .prepare_cached("SELECT sibling_group FROM application WHERE number = ?1")?
            .query_row([number], |r| r.get(0))?;
        let facts =
            |n: &str, applicant: &str, child: &str, birth, queue, year, waiting| SiblingFacts {
                number: n.to_string(),
                applicant_iin: applicant.to_string(),
                child_iin: child.to_string(),
                birth,
                queue_type: queue,
                group_year: year,
                waiting,
            };
        preference::check_sibling(
            &facts(
                "",
                &app.applicant_iin,
                &app.child_iin,
                app.child_birth_date,
                app.queue_type,
                i64::from(app.group_year),
                true,
            ),
            &facts(
                &existing.number,
                &existing.applicant_iin,
                &existing.child_iin,
                parse_date("child_birth_date", &existing.child_birth_date)?,
                QueueType::parse("queue_type", &existing.queue_type)?,
                existing.group_year,
                existing.status().is_waiting(),
            ),
        )?;
        if group.is_none() {
            tx.execute(
                "UPDATE application SET sibling_group = ?1 WHERE number = ?1",
                [number],
            )?;
            event.touch(APPLICATION, &number)?;
        }
        app.sibling_group = Some(group.unwrap_or_else(|| number.to_string()));
    }
    Ok(())
}

/// `kezek application prefer NUMBER CODE...` (R-C1): replaces the ranked organizations of a waiting application
/// (none: removes them); the registration time and the position stay. Returns the stored form.
pub fn prefer(change: &Change, number: &str, codes: &[String]) -> Result<Option<String>> {
    let tx = change.tx();
    let app = get(tx, number)?;
    change.may_reach_district(&app.district)?;
    if !app.status().is_waiting() || app.status() == Status::Directed {
        return Err(Error::refused(
            "R-C1",
            tr!(
                "err-choice-not-waiting",
                number = number.to_string(),
                status = app.status.clone()
            ),
        ));
    }
    let settings = crate::store::reference::load_settings(tx)?;
    let queue = QueueType::parse("queue_type", &app.queue_type)?;
    let stored = checked_preferences(tx, codes, queue, &settings)?;
    tx.execute(
        "UPDATE application SET preferences = ?2 WHERE number = ?1",
        params![number, stored],
    )?;
    change.record(
        "application.prefer",
        number,
        serde_json::json!({ "preferences": stored }),
        &[(APPLICATION, &number)],
    )?;
    Ok(stored)
}
