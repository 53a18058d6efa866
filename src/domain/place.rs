//! Places (R-P1, R-P6): their types, statuses, and which queue may take them.

use serde::Serialize;

use super::application::QueueType;
use super::org::OrgKind;
use crate::error::{Error, Result};
use crate::tr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceType {
    Regular,
    Sanatorium,
}

impl PlaceType {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceType::Regular => "regular",
            PlaceType::Sanatorium => "sanatorium",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<PlaceType> {
        match value.trim() {
            "regular" => Ok(PlaceType::Regular),
            "sanatorium" => Ok(PlaceType::Sanatorium),
            other => Err(Error::bad(tr!(
                "err-place-type",
                field = field.to_string(),
                value = other.to_string()
            ))),
        }
    }

    /// R-P1: the place type an organization publishes.
    pub fn of_org(kind: OrgKind) -> PlaceType {
        match kind {
            OrgKind::Sanatorium => PlaceType::Sanatorium,
            OrgKind::State | OrgKind::Private => PlaceType::Regular,
        }
    }

    /// R-P1: sanatorium places only for the sanatorium queue, regular ones for the general queue.
    pub fn queue_type(self) -> QueueType {
        match self {
            PlaceType::Regular => QueueType::General,
            PlaceType::Sanatorium => QueueType::Sanatorium,
        }
    }

    pub fn for_queue(queue_type: QueueType) -> PlaceType {
        match queue_type {
            QueueType::General => PlaceType::Regular,
            QueueType::Sanatorium => PlaceType::Sanatorium,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceStatus {
    Free,
    Offered,
    FreeChoice,
    Directed,
    Filled,
    Withdrawn,
}

impl PlaceStatus {
    pub const ALL: [PlaceStatus; 6] = [
        PlaceStatus::Free,
        PlaceStatus::Offered,
        PlaceStatus::FreeChoice,
        PlaceStatus::Directed,
        PlaceStatus::Filled,
        PlaceStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceStatus::Free => "free",
            PlaceStatus::Offered => "offered",
            PlaceStatus::FreeChoice => "free_choice",
            PlaceStatus::Directed => "directed",
            PlaceStatus::Filled => "filled",
            PlaceStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<PlaceStatus> {
        let value = value.trim();
        PlaceStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| {
                Error::bad(tr!(
                    "err-place-status",
                    field = field.to_string(),
                    value = value.to_string()
                ))
            })
    }

    /// R-P6: a place may be withdrawn only while nobody holds it.
    pub fn can_withdraw(self) -> bool {
        matches!(
            self,
            PlaceStatus::Free | PlaceStatus::Offered | PlaceStatus::FreeChoice
        )
    }
}

/// Checks that an organization of `kind` publishes places of `place_type` (R-P1).
pub fn check_type(kind: OrgKind, place_type: PlaceType) -> Result<()> {
    let expected = PlaceType::of_org(kind);
    if expected == place_type {
        Ok(())
    } else {
        Err(Error::refused(
            "R-P1",
            tr!(
                "err-place-org-type",
                kind = kind.as_str(),
                expected = expected.as_str(),
                place_type = place_type.as_str()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_p1_sanatorium_orgs_publish_sanatorium_places_for_the_sanatorium_queue() {
        assert_eq!(
            PlaceType::of_org(OrgKind::Sanatorium),
            PlaceType::Sanatorium
        );
        assert_eq!(PlaceType::of_org(OrgKind::Private), PlaceType::Regular);
        assert_eq!(PlaceType::Sanatorium.queue_type(), QueueType::Sanatorium);
        assert!(check_type(OrgKind::State, PlaceType::Sanatorium).is_err());
        assert!(check_type(OrgKind::Sanatorium, PlaceType::Sanatorium).is_ok());
    }

    #[test]
    fn r_p6_only_unheld_places_can_be_withdrawn() {
        let allowed: Vec<_> = PlaceStatus::ALL
            .into_iter()
            .filter(|s| s.can_withdraw())
            .collect();
        assert_eq!(
            allowed,
            [
                PlaceStatus::Free,
                PlaceStatus::Offered,
                PlaceStatus::FreeChoice
            ]
        );
    }
}
