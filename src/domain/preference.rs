//! Ranked preferences (R-C1) and sibling links (R-C5): what a family may rank and whom it may link, checked
//! without I/O. Preferences are stored as `CODE;CODE` in rank order (the CSV column's form too).

use chrono::NaiveDate;

use super::application::QueueType;
use super::org::OrgKind;
use crate::error::{Error, Result};
use crate::tr;

/// The codes of a `CODE;CODE` list, trimmed, empty ones dropped.
pub fn parse_list(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether an organization of `kind` can serve `queue`: sanatorium organizations the sanatorium queue, state
/// and private ones the general queue.
pub fn serves(kind: OrgKind, queue: QueueType) -> bool {
    match queue {
        QueueType::Sanatorium => kind == OrgKind::Sanatorium,
        QueueType::General => matches!(kind, OrgKind::State | OrgKind::Private),
    }
}

/// R-C1: a family's ranked organizations, in rank order: at most `max`, none twice, each an organization
/// (`kind_of` looks one up; `None`: unknown) that can serve `queue`. Returns the stored form, `None` for none.
pub fn check(
    codes: &[String],
    max: u32,
    queue: QueueType,
    kind_of: impl Fn(&str) -> Option<OrgKind>,
) -> Result<Option<String>> {
    if codes.len() > max as usize {
        return Err(Error::refused(
            "R-C1",
            tr!(
                "err-choice-too-many",
                count = codes.len() as i64,
                max = i64::from(max)
            ),
        ));
    }
    for (i, code) in codes.iter().enumerate() {
        if codes[..i].contains(code) {
            return Err(Error::refused(
                "R-C1",
                tr!("err-choice-twice", org = code.clone()),
            ));
        }
        let Some(kind) = kind_of(code) else {
            return Err(Error::refused(
                "R-C1",
                tr!("err-choice-unknown-org", org = code.clone()),
            ));
        };
        if !serves(kind, queue) {
            return Err(Error::refused(
                "R-C1",
                tr!(
                    "err-choice-wrong-kind",
                    org = code.clone(),
                    kind = kind.as_str(),
                    queue = queue.as_str()
                ),
            ));
        }
    }
    Ok((!codes.is_empty()).then(|| codes.join(";")))
}

/// What R-C5 compares of an application to link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiblingFacts {
    pub number: String,
    pub applicant_iin: String,
    pub child_iin: String,
    pub birth: NaiveDate,
    pub queue_type: QueueType,
    pub group_year: i64,
    pub waiting: bool,
}

/// The most days between the births of linked siblings (twins, or a child born just after midnight).
pub const SIBLING_DAYS: i64 = 31;

/// R-C5: a new application may be linked to `existing` when both are of one applicant, for different children
/// born within 31 days of each other, in the same queue (queue type and group year: they are directed
/// together), and `existing` still waits.
pub fn check_sibling(new: &SiblingFacts, existing: &SiblingFacts) -> Result<()> {
    let refuse = |id: &str| {
        Err(Error::refused(
            "R-C5",
            tr!(id, number = existing.number.clone()),
        ))
    };
    if new.applicant_iin != existing.applicant_iin {
        return refuse("err-choice-sibling-applicant");
    }
    if new.child_iin == existing.child_iin {
        return refuse("err-choice-sibling-same-child");
    }
    if (new.birth - existing.birth).num_days().abs() > SIBLING_DAYS {
        return refuse("err-choice-sibling-born");
    }
    if new.queue_type != existing.queue_type || new.group_year != existing.group_year {
        return refuse("err-choice-sibling-queue");
    }
    if !existing.waiting {
        return refuse("err-choice-sibling-waiting");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(code: &str) -> Option<OrgKind> {
        match code {
            "DS-1" | "DS-2" => Some(OrgKind::State),
            "PR-1" => Some(OrgKind::Private),
            "SAN-1" => Some(OrgKind::Sanatorium),
            _ => None,
        }
    }

    fn codes(list: &str) -> Vec<String> {
        parse_list(list)
    }

    #[test]
    fn r_c1_preferences_keep_their_order_and_are_checked() {
        assert_eq!(
            check(&codes("DS-2; PR-1;DS-1"), 4, QueueType::General, kinds).unwrap(),
            Some("DS-2;PR-1;DS-1".to_string())
        );
        assert_eq!(
            check(&codes(""), 4, QueueType::General, kinds).unwrap(),
            None
        );
        let refused = |list: &str, max: u32, queue: QueueType| {
            check(&codes(list), max, queue, kinds)
                .unwrap_err()
                .to_string()
        };
        assert!(refused("DS-1;DS-2;PR-1", 2, QueueType::General).contains("R-C1"));
        assert!(refused("DS-1;DS-1", 4, QueueType::General).contains("'DS-1'"));
        assert!(refused("DS-9", 4, QueueType::General).contains("'DS-9'"));
        assert!(refused("SAN-1", 4, QueueType::General).contains("'SAN-1'"));
        assert!(refused("DS-1", 4, QueueType::Sanatorium).contains("'DS-1'"));
        assert!(check(&codes("SAN-1"), 4, QueueType::Sanatorium, kinds).is_ok());
    }

    fn facts(number: &str, applicant: &str, child: &str, birth: &str) -> SiblingFacts {
        SiblingFacts {
            number: number.into(),
            applicant_iin: applicant.into(),
            child_iin: child.into(),
            birth: birth.parse().unwrap(),
            queue_type: QueueType::General,
            group_year: 2023,
            waiting: true,
        }
    }

    #[test]
    fn r_c5_siblings_are_of_one_applicant_born_within_31_days_in_one_queue() {
        let first = facts("A", "P", "C1", "2023-03-01");
        assert!(check_sibling(&facts("B", "P", "C2", "2023-03-01"), &first).is_ok());
        assert!(check_sibling(&facts("B", "P", "C2", "2023-03-31"), &first).is_ok());
        let refused = |new: SiblingFacts| check_sibling(&new, &first).unwrap_err().to_string();
        assert!(refused(facts("B", "Q", "C2", "2023-03-01")).contains("R-C5"));
        assert!(refused(facts("B", "P", "C1", "2023-03-01")).contains("R-C5"));
        assert!(refused(facts("B", "P", "C2", "2023-04-02")).contains("R-C5"));
        let mut other_queue = facts("B", "P", "C2", "2023-03-01");
        other_queue.queue_type = QueueType::Sanatorium;
        assert!(refused(other_queue).contains("R-C5"));
        let mut gone = first.clone();
        gone.waiting = false;
        assert!(check_sibling(&facts("B", "P", "C2", "2023-03-01"), &gone).is_err());
    }
}
