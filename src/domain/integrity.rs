//! The integrity report (R-I4): what a prosecutor's check looks for, each finding under a code, about records
//! and organizations, with no personal data beyond masked IINs.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::tr;

/// Every code of R-I4, in the order the report lists them.
pub const CODES: &[&str] = &[
    "double_enrollment",
    "attendance_without_enrollment",
    "enrollment_without_attendance",
    "places_held_back",
    "over_capacity",
    "late_publication",
    "free_choice_far_down",
    "backdated_registration",
    "benefit_share",
];

/// One finding: its code, what it is about (an organization, a masked IIN, an application, an officer) and the
/// facts behind it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: String,
    pub subject: String,
    pub detail: String,
}

/// `--fail-on CODE,...`: the codes, each one of `CODES`.
pub fn parse_codes(text: &str) -> Result<Vec<String>> {
    text.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            if CODES.contains(&c) {
                Ok(c.to_string())
            } else {
                Err(Error::usage(tr!(
                    "err-integrity-code",
                    code = c.to_string(),
                    codes = CODES.join(", ")
                )))
            }
        })
        .collect()
}

/// R-I4 `benefit_share`: an officer whose share of benefit-class registrations is more than twice the city's,
/// over at least `MIN_REGISTRATIONS` registrations of their own.
pub fn unusual_share(own_benefit: i64, own_total: i64, city_benefit: i64, city_total: i64) -> bool {
    own_total >= MIN_REGISTRATIONS
        && city_total > 0
        && own_benefit * city_total > 2 * city_benefit * own_total
}

/// The fewest registrations an officer makes before their share of benefit classes is judged.
pub const MIN_REGISTRATIONS: i64 = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_i4_fail_on_takes_only_the_codes_of_the_spec() {
        assert_eq!(
            parse_codes("over_capacity, double_enrollment").unwrap(),
            ["over_capacity", "double_enrollment"]
        );
        let e = parse_codes("over_capacity,dead_souls").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("'dead_souls'"), "{e}");
    }

    #[test]
    fn r_i4_a_benefit_share_twice_the_city_s_is_unusual() {
        // The city: 10% benefit classes.
        assert!(unusual_share(6, 20, 100, 1000));
        assert!(!unusual_share(4, 20, 100, 1000));
        // Too few registrations to judge.
        assert!(!unusual_share(6, 10, 100, 1000));
    }
}
