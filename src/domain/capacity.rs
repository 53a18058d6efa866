//! Capacity (R-I2): an organization takes at most so many children of a group year. Places published and not
//! yet filled, with the children enrolled, may not pass it.

use crate::error::{Error, Result};
use crate::tr;

/// What R-I2 compares for one organization and group year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupancy {
    /// The declared capacity; `None` when none is declared (nothing to check).
    pub capacity: Option<i64>,
    /// Children enrolled there now (no departure).
    pub enrolled: i64,
    /// Places published and not yet filled: free, offered, in free choice or directed.
    pub open: i64,
}

impl Occupancy {
    /// How many more places may be published.
    pub fn room(&self) -> Option<i64> {
        self.capacity
            .map(|c| (c - self.enrolled - self.open).max(0))
    }
}

/// R-I2: publishing `adding` places of `org`'s `group_year` is refused beyond the capacity less the children
/// enrolled and the places already open.
pub fn check_publish(org: &str, group_year: i64, o: Occupancy, adding: i64) -> Result<()> {
    match (o.capacity, o.room()) {
        (Some(capacity), Some(room)) if adding > room => Err(Error::refused(
            "R-I2",
            tr!(
                "err-capacity-exceeded",
                org = org.to_string(),
                year = group_year,
                capacity = capacity,
                enrolled = o.enrolled,
                open = o.open,
                adding = adding,
                room = room
            ),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_i2_places_beyond_capacity_less_enrolled_and_open_are_refused() {
        let o = Occupancy {
            capacity: Some(26),
            enrolled: 20,
            open: 4,
        };
        assert_eq!(o.room(), Some(2));
        assert!(check_publish("DS-001", 2022, o, 2).is_ok());
        let e = check_publish("DS-001", 2022, o, 3).unwrap_err().to_string();
        assert!(e.starts_with("R-I2") && e.contains("DS-001"), "{e}");
        // No capacity declared: nothing to check.
        let free = Occupancy {
            capacity: None,
            ..o
        };
        assert!(check_publish("DS-001", 2022, free, 100).is_ok());
        // Over capacity already (enrolled above it): no room at all.
        let over = Occupancy {
            capacity: Some(10),
            enrolled: 12,
            open: 0,
        };
        assert_eq!(over.room(), Some(0));
        assert!(check_publish("DS-001", 2022, over, 1).is_err());
    }
}
