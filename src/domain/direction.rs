//! Directions (направления), R-D1..R-D9 and R-A3: who may get one, how long it lasts, the signed text.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::Serialize;

use super::application::{age_on, QueueType, Status};
use super::calendar::WorkingCalendar;
use super::org::OrgKind;
use super::place::{PlaceStatus, PlaceType};
use super::settings::Settings;
use crate::error::{Error, Result};
use crate::tr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectionStatus {
    Issued,
    Enrolled,
    Expired,
    Revoked,
    Annulled,
}

impl DirectionStatus {
    pub const ALL: [DirectionStatus; 5] = [
        DirectionStatus::Issued,
        DirectionStatus::Enrolled,
        DirectionStatus::Expired,
        DirectionStatus::Revoked,
        DirectionStatus::Annulled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DirectionStatus::Issued => "issued",
            DirectionStatus::Enrolled => "enrolled",
            DirectionStatus::Expired => "expired",
            DirectionStatus::Revoked => "revoked",
            DirectionStatus::Annulled => "annulled",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<DirectionStatus> {
        let value = value.trim();
        DirectionStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| {
                Error::bad(tr!(
                    "err-direction-status",
                    field = field.to_string(),
                    value = value.to_string()
                ))
            })
    }
}

/// R-D1: valid to the end of the n-th working day after the issue date.
pub fn valid_until(
    issue_date: NaiveDate,
    calendar: &WorkingCalendar,
    settings: &Settings,
) -> NaiveDate {
    calendar.add_working_days(issue_date, settings.direction_valid_working_days)
}

/// R-D1, R-D8: an issued direction is active to the end of its last valid day.
pub fn is_active(status: DirectionStatus, valid_until: NaiveDate, today: NaiveDate) -> bool {
    status == DirectionStatus::Issued && today <= valid_until
}

/// R-D6: once, before it expires, 1 to `extension_max_days` calendar days. Returns the new last valid day.
pub fn extend(
    status: DirectionStatus,
    extended: bool,
    valid_until: NaiveDate,
    today: NaiveDate,
    days: i64,
    settings: &Settings,
) -> Result<NaiveDate> {
    if !is_active(status, valid_until, today) {
        return Err(Error::refused(
            "R-D6",
            tr!(
                "err-direction-extend-inactive",
                status = status.as_str(),
                until = valid_until.to_string()
            ),
        ));
    }
    if extended {
        return Err(Error::refused("R-D6", tr!("err-direction-extended-once")));
    }
    let max = i64::from(settings.extension_max_days);
    if !(1..=max).contains(&days) {
        return Err(Error::refused(
            "R-D6",
            tr!("err-direction-extension-days", max = max, days = days),
        ));
    }
    Ok(valid_until + Duration::days(days))
}

/// R-D7: the applicant may revoke within `revocation_hours` of issue.
pub fn check_revocation(
    issued_at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
    settings: &Settings,
) -> Result<()> {
    let limit = issued_at + Duration::hours(i64::from(settings.revocation_hours));
    if now <= limit {
        Ok(())
    } else {
        Err(Error::refused(
            "R-D7",
            tr!(
                "err-direction-revocation-late",
                hours = i64::from(settings.revocation_hours),
                issued = issued_at.format("%Y-%m-%d %H:%M").to_string(),
                until = limit.format("%Y-%m-%d %H:%M").to_string()
            ),
        ))
    }
}

/// R-D8: the benefit document shown at the kindergarten is no older than `benefit_doc_max_age_days` before
/// the direction's issue date.
pub fn check_benefit_doc(
    doc_date: NaiveDate,
    issue_date: NaiveDate,
    today: NaiveDate,
    settings: &Settings,
) -> Result<()> {
    let earliest = issue_date - Duration::days(i64::from(settings.benefit_doc_max_age_days));
    if doc_date > today {
        return Err(Error::refused(
            "R-D8",
            tr!(
                "err-direction-benefit-doc-future",
                date = doc_date.to_string()
            ),
        ));
    }
    if doc_date < earliest {
        return Err(Error::refused(
            "R-D8",
            tr!(
                "err-direction-benefit-doc-old",
                date = doc_date.to_string(),
                earliest = earliest.to_string(),
                days = i64::from(settings.benefit_doc_max_age_days),
                issued = issue_date.to_string()
            ),
        ));
    }
    Ok(())
}

/// R-A3: whether a direction whose signature holds is live, or which rule ended it. An issued or enrolled
/// direction is live; a revoked or annulled one was ended by R-D7, an expired one by R-S2. A purged direction
/// (`purged_on`: the day its document was redacted) is never live, its document being gone: an enrolled one's
/// service is completed (R-D8). `valid_until` and `closed_at` are named as the record keeps them.
pub fn check_live(
    number: &str,
    status: DirectionStatus,
    valid_until: &str,
    closed_at: Option<&str>,
    purged_on: Option<&str>,
) -> Result<()> {
    let (rule, ended) = match (status, purged_on) {
        (DirectionStatus::Issued | DirectionStatus::Enrolled, None) => return Ok(()),
        (DirectionStatus::Revoked | DirectionStatus::Annulled, _) => (
            "R-D7",
            tr!("err-direction-ended-status", status = status.as_str()),
        ),
        (DirectionStatus::Expired, _) => (
            "R-S2",
            tr!(
                "err-direction-ended-expired",
                date = valid_until.to_string()
            ),
        ),
        // A purge never redacts the document of an issued direction; were one found, its document is gone.
        (DirectionStatus::Issued, Some(_)) => ("R-A3", tr!("err-direction-ended-issued")),
        (DirectionStatus::Enrolled, Some(_)) => (
            "R-D8",
            match closed_at {
                Some(at) => tr!(
                    "err-direction-ended-enrolled-on",
                    date = at.get(..10).unwrap_or(at).to_string()
                ),
                None => tr!("err-direction-ended-enrolled"),
            },
        ),
    };
    let purged = purged_on
        .map(|day| tr!("err-direction-purged", date = day.to_string()))
        .unwrap_or_default();
    Err(Error::refused(
        rule,
        tr!(
            "err-direction-not-live",
            number = number.to_string(),
            ended = ended,
            purged = purged
        ),
    ))
}

/// R-D8: the service is completed at enrollment; its notice is printed for an enrolled direction only.
pub fn check_service_completed(number: &str, status: DirectionStatus) -> Result<()> {
    if status == DirectionStatus::Enrolled {
        return Ok(());
    }
    Err(Error::refused(
        "R-D8",
        tr!(
            "err-direction-service-not-completed",
            number = number.to_string(),
            status = status.as_str()
        ),
    ))
}

/// What `direction issue` needs to know to decide (R-D2..R-D5).
#[derive(Debug, Clone)]
pub struct IssueFacts {
    pub application: String,
    pub status: Status,
    pub stop_list_until: Option<NaiveDate>,
    pub active_direction: Option<String>,
    pub enrolled_at: Option<String>,
    pub queue_type: QueueType,
    pub group_year: i64,
    pub child_birth: NaiveDate,
    /// Notified in a round whose window is open now.
    pub notified_in_open_window: bool,
    pub place_id: i64,
    pub place_type: PlaceType,
    pub place_group_year: i64,
    pub place_status: PlaceStatus,
    pub org_kind: OrgKind,
    pub issue_date: NaiveDate,
    /// Issued by the allocation (R-C2), which may take a free or offered place of any organization.
    pub by_allocation: bool,
    /// A transfer application (R-C3): the child attends an organization and keeps that place until enrolled
    /// in the new one, so R-D5 does not refuse it.
    pub transfer: bool,
    /// The organization of the place.
    pub place_org: String,
    /// R-C5: the organizations where linked siblings hold a live direction.
    pub sibling_orgs: Vec<String>,
}

/// Decides whether a direction may be issued; each refusal names its rule and the fact behind it.
pub fn check_issue(f: &IssueFacts, settings: &Settings) -> Result<()> {
    let app = &f.application;
    if f.status == Status::StopListed {
        let until = f.stop_list_until.map(|d| d.to_string()).unwrap_or_default();
        return Err(Error::refused(
            "R-D2",
            tr!(
                "err-direction-stop-listed",
                application = app.clone(),
                until = until
            ),
        ));
    }
    if let Some(direction) = &f.active_direction {
        return Err(Error::refused(
            "R-D2",
            tr!(
                "err-direction-holds-active",
                application = app.clone(),
                direction = direction.clone()
            ),
        ));
    }
    if !f.status.is_waiting() {
        return Err(Error::refused(
            "R-D2",
            tr!(
                "err-direction-not-waiting",
                application = app.clone(),
                status = f.status.as_str()
            ),
        ));
    }
    if let Some(org) = f.enrolled_at.as_ref().filter(|_| !f.transfer) {
        return Err(Error::refused(
            "R-D5",
            tr!(
                "err-direction-attends",
                application = app.clone(),
                org = org.clone()
            ),
        ));
    }
    let place = f.place_id;
    if f.place_type.queue_type() != f.queue_type {
        return Err(Error::refused(
            "R-D3",
            tr!(
                "err-direction-place-type",
                place = place,
                place_type = f.place_type.as_str(),
                application = app.clone(),
                queue = f.queue_type.as_str()
            ),
        ));
    }
    if f.place_group_year != f.group_year {
        return Err(Error::refused(
            "R-D3",
            tr!(
                "err-direction-place-group-year",
                place = place,
                place_year = f.place_group_year,
                application = app.clone(),
                year = f.group_year
            ),
        ));
    }
    let takeable = match f.org_kind {
        OrgKind::Private => f.place_status == PlaceStatus::Free,
        OrgKind::State | OrgKind::Sanatorium if f.by_allocation => {
            matches!(f.place_status, PlaceStatus::Free | PlaceStatus::Offered)
        }
        OrgKind::State | OrgKind::Sanatorium => {
            matches!(
                f.place_status,
                PlaceStatus::Offered | PlaceStatus::FreeChoice
            )
        }
    };
    if !takeable {
        let id = match f.org_kind {
            OrgKind::Private => "err-direction-place-not-free",
            _ => "err-direction-place-not-offered",
        };
        return Err(Error::refused(
            "R-D3",
            tr!(
                id,
                place = place,
                status = f.place_status.as_str(),
                kind = f.org_kind.as_str()
            ),
        ));
    }
    if f.place_status == PlaceStatus::Offered && !f.notified_in_open_window && !f.by_allocation {
        return Err(Error::refused(
            "R-D3",
            tr!(
                "err-direction-place-offered",
                place = place,
                application = app.clone(),
                status = f.status.as_str()
            ),
        ));
    }
    if !f.sibling_orgs.is_empty() && !f.sibling_orgs.contains(&f.place_org) {
        return Err(Error::refused(
            "R-C5",
            tr!(
                "err-direction-sibling-org",
                application = app.clone(),
                org = f.place_org.clone(),
                orgs = f.sibling_orgs.join(", ")
            ),
        ));
    }
    let age = age_on(f.child_birth, f.issue_date);
    if age < settings.min_age_years as i32 {
        return Err(Error::refused(
            "R-C6",
            tr!(
                "err-direction-min-age",
                min = i64::from(settings.min_age_years),
                application = app.clone(),
                age = i64::from(age),
                date = f.issue_date.to_string()
            ),
        ));
    }
    if f.org_kind == OrgKind::Private && age < settings.private_min_age_years as i32 {
        return Err(Error::refused(
            "R-D4",
            tr!(
                "err-direction-private-age",
                min = i64::from(settings.private_min_age_years),
                application = app.clone(),
                age = i64::from(age),
                date = f.issue_date.to_string()
            ),
        ));
    }
    Ok(())
}

/// The fields of the signed direction document (R-A3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectionDocument {
    pub number: String,
    pub application: String,
    pub child_iin: String,
    pub child_name: String,
    pub child_birth_date: String,
    pub org: String,
    pub org_name: String,
    pub org_address: String,
    pub place_id: i64,
    pub place_type: String,
    pub group_year: i64,
    pub language: String,
    pub issued_at: String,
    pub valid_until: String,
    pub extension: Option<String>,
    pub officer: String,
    pub officer_name: String,
    pub signed_by: String,
    pub key_fingerprint: String,
}

impl DirectionDocument {
    /// The canonical text that is signed: UTF-8, one `key: value` a line, LF endings, fixed order. Verify with
    /// `openssl dgst -sha256 -verify officer.pub -signature direction.sig document.txt`.
    pub fn text(&self) -> String {
        let mut lines = vec![
            "kezek direction v1".to_string(),
            format!("number: {}", self.number),
            format!("application: {}", self.application),
            format!("child_iin: {}", self.child_iin),
            format!("child_name: {}", self.child_name),
            format!("child_birth_date: {}", self.child_birth_date),
            format!("org: {}", self.org),
            format!("org_name: {}", self.org_name),
            format!("org_address: {}", self.org_address),
            format!("place_id: {}", self.place_id),
            format!("place_type: {}", self.place_type),
            format!("group_year: {}", self.group_year),
            format!("language: {}", self.language),
            format!("issued_at: {}", self.issued_at),
            format!("valid_until: {}", self.valid_until),
        ];
        if let Some(e) = &self.extension {
            lines.push(format!("extension: {e}"));
        }
        lines.extend([
            format!("officer: {}", self.officer),
            format!("officer_name: {}", self.officer_name),
            format!("signed_by: {}", self.signed_by),
            format!("key_fingerprint: {}", self.key_fingerprint),
        ]);
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }
}

/// `NAP.<year>.<seq>`, six-digit sequence.
pub fn format_number(year: i32, seq: u32) -> String {
    format!("NAP.{year}.{seq:06}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_moment;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn r_d8_the_service_notice_is_for_an_enrolled_direction_only() {
        assert!(check_service_completed("NAP.2026.000001", DirectionStatus::Enrolled).is_ok());
        let e = check_service_completed("NAP.2026.000001", DirectionStatus::Issued).unwrap_err();
        assert_eq!(
            e.to_string(),
            "R-D8: direction NAP.2026.000001 is issued: the service is completed at enrollment"
        );
    }

    fn facts() -> IssueFacts {
        IssueFacts {
            application: "DDO.2026.000001.1".into(),
            status: Status::Notified,
            stop_list_until: None,
            active_direction: None,
            enrolled_at: None,
            queue_type: QueueType::General,
            group_year: 2022,
            child_birth: d(2022, 5, 1),
            notified_in_open_window: true,
            place_id: 7,
            place_type: PlaceType::Regular,
            place_group_year: 2022,
            place_status: PlaceStatus::Offered,
            org_kind: OrgKind::State,
            issue_date: d(2026, 3, 16),
            by_allocation: false,
            transfer: false,
            place_org: "DS-001".into(),
            sibling_orgs: Vec::new(),
        }
    }

    #[test]
    fn r_c5_a_twin_is_directed_to_the_organization_of_its_siblings() {
        let twin = IssueFacts {
            sibling_orgs: vec!["DS-002".into()],
            ..facts()
        };
        assert!(
            refusal(twin.clone()).starts_with("R-C5"),
            "{}",
            refusal(twin)
        );
        let same = IssueFacts {
            sibling_orgs: vec!["DS-001".into()],
            ..facts()
        };
        assert!(check_issue(&same, &Settings::default()).is_ok());
    }

    #[test]
    fn r_c3_a_transfer_is_not_refused_for_the_organization_the_child_attends() {
        let attending = IssueFacts {
            enrolled_at: Some("DS-002".into()),
            ..facts()
        };
        assert!(refusal(attending.clone()).starts_with("R-D5"));
        let transfer = IssueFacts {
            transfer: true,
            ..attending
        };
        assert!(check_issue(&transfer, &Settings::default()).is_ok());
    }

    #[test]
    fn r_c6_no_direction_before_the_minimum_age() {
        // Born 2024-03-17: one day short of 2 on 2026-03-16.
        let young = IssueFacts {
            child_birth: d(2024, 3, 17),
            ..facts()
        };
        assert!(
            refusal(young.clone()).starts_with("R-C6"),
            "{}",
            refusal(young.clone())
        );
        let two = IssueFacts {
            child_birth: d(2024, 3, 16),
            ..facts()
        };
        assert!(check_issue(&two, &Settings::default()).is_ok());
        let settings = Settings::from_pairs([("min_age_years", "1")]).unwrap();
        assert!(check_issue(&young, &settings).is_ok());
    }

    #[test]
    fn r_c2_the_allocation_may_take_a_free_state_place_an_officer_may_not() {
        let free = IssueFacts {
            place_status: PlaceStatus::Free,
            status: Status::Queued,
            notified_in_open_window: false,
            ..facts()
        };
        assert!(refusal(free.clone()).starts_with("R-D3"));
        let allocated = IssueFacts {
            by_allocation: true,
            ..free.clone()
        };
        assert!(check_issue(&allocated, &Settings::default()).is_ok());
        let offered = IssueFacts {
            place_status: PlaceStatus::Offered,
            ..allocated.clone()
        };
        assert!(check_issue(&offered, &Settings::default()).is_ok());
        let free_choice = IssueFacts {
            place_status: PlaceStatus::FreeChoice,
            ..allocated
        };
        assert!(refusal(free_choice).starts_with("R-D3"));
    }

    fn refusal(f: IssueFacts) -> String {
        check_issue(&f, &Settings::default())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn r_d1_valid_to_the_fifth_working_day_after_issue() {
        let cal = WorkingCalendar::builtin();
        // Monday 16 March 2026: 17, 18, 19, 20, then Nauryz 21-25, then Thursday 26.
        assert_eq!(
            valid_until(d(2026, 3, 16), &cal, &Settings::default()),
            d(2026, 3, 26)
        );
        assert!(is_active(
            DirectionStatus::Issued,
            d(2026, 3, 26),
            d(2026, 3, 26)
        ));
        assert!(!is_active(
            DirectionStatus::Issued,
            d(2026, 3, 26),
            d(2026, 3, 27)
        ));
    }

    #[test]
    fn r_d2_stop_listed_waiting_and_holding_are_refused() {
        assert!(check_issue(&facts(), &Settings::default()).is_ok());
        let r = refusal(IssueFacts {
            status: Status::StopListed,
            stop_list_until: Some(d(2026, 4, 3)),
            ..facts()
        });
        assert_eq!(
            r,
            "R-D2: DDO.2026.000001.1 is on the stop list until 2026-04-03"
        );
        assert!(refusal(IssueFacts {
            status: Status::Directed,
            ..facts()
        })
        .starts_with("R-D2"));
        assert!(refusal(IssueFacts {
            active_direction: Some("NAP.2026.000001".into()),
            ..facts()
        })
        .contains("NAP.2026.000001"));
    }

    #[test]
    fn r_d3_place_of_another_queue_or_year_or_status_is_refused() {
        assert!(refusal(IssueFacts {
            place_type: PlaceType::Sanatorium,
            ..facts()
        })
        .starts_with("R-D3"));
        assert!(refusal(IssueFacts {
            place_group_year: 2021,
            ..facts()
        })
        .starts_with("R-D3"));
        assert!(refusal(IssueFacts {
            place_status: PlaceStatus::Free,
            ..facts()
        })
        .starts_with("R-D3"));
        assert!(refusal(IssueFacts {
            place_status: PlaceStatus::Directed,
            ..facts()
        })
        .starts_with("R-D3"));
        assert!(refusal(IssueFacts {
            notified_in_open_window: false,
            status: Status::Queued,
            ..facts()
        })
        .contains("no open window"));
        // Free choice is open to any waiting application (R-P5).
        let f = IssueFacts {
            place_status: PlaceStatus::FreeChoice,
            notified_in_open_window: false,
            status: Status::Queued,
            ..facts()
        };
        assert!(check_issue(&f, &Settings::default()).is_ok());
    }

    #[test]
    fn r_d4_private_places_need_a_child_of_three() {
        let private = IssueFacts {
            org_kind: OrgKind::Private,
            place_status: PlaceStatus::Free,
            ..facts()
        };
        assert!(refusal(IssueFacts {
            child_birth: d(2023, 3, 17),
            group_year: 2023,
            place_group_year: 2023,
            ..private.clone()
        })
        .starts_with("R-D4"));
        assert!(check_issue(
            &IssueFacts {
                child_birth: d(2023, 3, 16),
                group_year: 2023,
                place_group_year: 2023,
                ..private.clone()
            },
            &Settings::default()
        )
        .is_ok());
        assert!(refusal(IssueFacts {
            place_status: PlaceStatus::Offered,
            ..private
        })
        .starts_with("R-D3"));
    }

    #[test]
    fn r_d5_an_enrolled_child_is_refused() {
        assert!(refusal(IssueFacts {
            enrolled_at: Some("DS-001".into()),
            ..facts()
        })
        .starts_with("R-D5"));
    }

    #[test]
    fn r_d6_once_before_expiry_up_to_thirty_days() {
        let s = Settings::default();
        let until = d(2026, 3, 26);
        assert_eq!(
            extend(
                DirectionStatus::Issued,
                false,
                until,
                d(2026, 3, 20),
                30,
                &s
            )
            .unwrap(),
            d(2026, 4, 25)
        );
        assert!(
            extend(DirectionStatus::Issued, true, until, d(2026, 3, 20), 5, &s)
                .unwrap_err()
                .to_string()
                .contains("once")
        );
        assert!(extend(
            DirectionStatus::Issued,
            false,
            until,
            d(2026, 3, 20),
            31,
            &s
        )
        .is_err());
        assert!(extend(DirectionStatus::Issued, false, until, d(2026, 3, 20), 0, &s).is_err());
        assert!(extend(DirectionStatus::Issued, false, until, d(2026, 3, 27), 5, &s).is_err());
        assert!(extend(
            DirectionStatus::Expired,
            false,
            until,
            d(2026, 3, 20),
            5,
            &s
        )
        .is_err());
    }

    #[test]
    fn r_d7_revocation_after_24h_is_refused() {
        let s = Settings::default();
        let issued = parse_moment("t", "2026-03-16T10:00").unwrap();
        assert!(
            check_revocation(issued, parse_moment("t", "2026-03-17T10:00").unwrap(), &s).is_ok()
        );
        let err = check_revocation(issued, parse_moment("t", "2026-03-17T10:01").unwrap(), &s)
            .unwrap_err();
        assert!(err.to_string().starts_with("R-D7"), "{err}");
    }

    #[test]
    fn r_d8_a_stale_benefit_document_is_refused() {
        let s = Settings::default();
        let issued = d(2026, 3, 16);
        assert!(check_benefit_doc(d(2026, 3, 6), issued, d(2026, 3, 18), &s).is_ok());
        assert!(check_benefit_doc(d(2026, 3, 5), issued, d(2026, 3, 18), &s)
            .unwrap_err()
            .to_string()
            .starts_with("R-D8"));
        assert!(check_benefit_doc(d(2026, 3, 19), issued, d(2026, 3, 18), &s).is_err());
    }

    fn verdict(status: DirectionStatus, purged_on: Option<&str>) -> String {
        let closed_at = Some("2026-03-20T11:00:00+05:00");
        check_live(
            "NAP.2026.000001",
            status,
            "2026-03-26",
            closed_at,
            purged_on,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "live".into())
    }

    #[test]
    fn r_a3_issued_and_enrolled_directions_verify_as_live() {
        assert_eq!(verdict(DirectionStatus::Issued, None), "live");
        assert_eq!(verdict(DirectionStatus::Enrolled, None), "live");
    }

    #[test]
    fn r_d7_r_s2_a_revoked_annulled_or_expired_direction_names_the_rule_that_ended_it() {
        assert_eq!(
            verdict(DirectionStatus::Revoked, None),
            "R-D7: direction NAP.2026.000001: the signature is valid but the direction was revoked"
        );
        assert_eq!(
            verdict(DirectionStatus::Annulled, None),
            "R-D7: direction NAP.2026.000001: the signature is valid but the direction was annulled"
        );
        assert_eq!(
            verdict(DirectionStatus::Expired, None),
            "R-S2: direction NAP.2026.000001: the signature is valid but the direction expired on 2026-03-26"
        );
    }

    #[test]
    fn r_a3_a_purged_direction_is_never_live() {
        let purged = "; its document was purged on 2029-01-10 and only its SHA-256 is kept";
        assert_eq!(
            verdict(DirectionStatus::Enrolled, Some("2029-01-10")),
            format!(
                "R-D8: direction NAP.2026.000001: the signature is valid but the child was enrolled on 2026-03-20 \
                 and the service is completed{purged}"
            )
        );
        assert_eq!(
            verdict(DirectionStatus::Issued, Some("2029-01-10")),
            format!("R-A3: direction NAP.2026.000001: the signature is valid but the direction is issued{purged}")
        );
        assert_eq!(
            verdict(DirectionStatus::Expired, Some("2029-01-10")),
            format!(
                "R-S2: direction NAP.2026.000001: the signature is valid but the direction expired on 2026-03-26{purged}"
            )
        );
        assert!(verdict(DirectionStatus::Annulled, Some("2029-01-10")).starts_with("R-D7: "));
        let unclosed = check_live(
            "N",
            DirectionStatus::Enrolled,
            "2026-03-26",
            None,
            Some("2029-01-10"),
        );
        assert!(unclosed
            .unwrap_err()
            .to_string()
            .contains("the child was enrolled and the service"));
    }

    #[test]
    fn r_a3_the_document_is_one_key_value_a_line() {
        let doc = DirectionDocument {
            number: "NAP.2026.000001".into(),
            application: "DDO.2026.000001.1".into(),
            child_iin: "220501500012".into(),
            child_name: "Нурланов Алихан".into(),
            child_birth_date: "2022-05-01".into(),
            org: "DS-001".into(),
            org_name: "Ясли-сад № 1".into(),
            org_address: "ул. Абая, 1".into(),
            place_id: 7,
            place_type: "regular".into(),
            group_year: 2022,
            language: "kk".into(),
            issued_at: "2026-03-16T10:00:00+05:00".into(),
            valid_until: "2026-03-26".into(),
            extension: None,
            officer: "ivanova".into(),
            officer_name: "Иванова".into(),
            signed_by: "ivanova".into(),
            key_fingerprint: "ab".into(),
        };
        let text = doc.text();
        assert!(text.starts_with("kezek direction v1\nnumber: NAP.2026.000001\n"));
        assert!(text.ends_with("key_fingerprint: ab\n"));
        assert_eq!(format_number(2026, 1), "NAP.2026.000001");
    }
}
