//! The nightly sweep's decisions (R-S2..R-S4), free of I/O. The sweep processes a day D "as of its start":
//! what ended before D is closed, whichever night the sweep actually runs.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::calendar::WorkingCalendar;
use super::settings::Settings;
use crate::error::{Error, Result};

/// What happens to an application whose direction expired (R-S2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterExpiry {
    /// Reached `max_expirations`: removed, reason `expired_twice`.
    Removed,
    /// On the stop list until (inclusive) the n-th working day after the direction's last valid day.
    StopListed { until: NaiveDate },
}

/// R-S2: `expired_count` is the count after this expiry.
pub fn after_expiry(
    expired_count: u32,
    last_valid_day: NaiveDate,
    calendar: &WorkingCalendar,
    settings: &Settings,
) -> AfterExpiry {
    if expired_count >= settings.max_expirations {
        AfterExpiry::Removed
    } else {
        AfterExpiry::StopListed {
            until: calendar.add_working_days(last_valid_day, settings.stop_list_working_days),
        }
    }
}

/// R-S4: the latest birth date of a child who has reached `max_age_years` on `day`: children born on or before
/// it leave the queue.
pub fn age_limit_birth_date(day: NaiveDate, settings: &Settings) -> NaiveDate {
    let years = settings.max_age_years as i32;
    // 29 February birthdays reach their age on 28 February of a common year... by the day after, 1 March.
    NaiveDate::from_ymd_opt(day.year() - years, day.month(), day.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(day.year() - years, 2, 28).expect("28 February"))
}

/// R-S6: the sweep processes a day as of its start, so only a day that has begun: `today` or before.
pub fn check_day_has_begun(day: NaiveDate, today: NaiveDate) -> Result<()> {
    if day > today {
        return Err(Error::refused(
            "R-S6",
            crate::tr!(
                "err-sweep-day-not-begun",
                day = day.to_string(),
                today = today.to_string()
            ),
        ));
    }
    Ok(())
}

/// The counts of one sweep (R-S7; the JSON keys are the contract).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SweepSummary {
    pub windows_closed: u64,
    pub directions_expired: u64,
    pub stop_listed: u64,
    pub removed_expired_twice: u64,
    pub stop_lists_ended: u64,
    pub removed_age_limit: u64,
    /// R-I1: benefit directions annulled, unconfirmed.
    pub benefits_unconfirmed: u64,
}

impl SweepSummary {
    pub fn is_empty(&self) -> bool {
        *self == SweepSummary::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn r_s2_first_expiry_stop_lists_for_ten_working_days_from_the_last_valid_day() {
        let cal = WorkingCalendar::builtin();
        // Last valid day Friday 13 March 2026: 10 working days after: 16..20 (5), 26, 27, 30, 31, 1 April (10).
        let out = after_expiry(1, d(2026, 3, 13), &cal, &Settings::default());
        assert_eq!(
            out,
            AfterExpiry::StopListed {
                until: d(2026, 4, 1)
            }
        );
    }

    #[test]
    fn r_s2_reaching_max_expirations_removes() {
        let cal = WorkingCalendar::builtin();
        assert_eq!(
            after_expiry(2, d(2026, 3, 13), &cal, &Settings::default()),
            AfterExpiry::Removed
        );
        let lenient = Settings::from_pairs([("max_expirations", "3")]).unwrap();
        assert!(matches!(
            after_expiry(2, d(2026, 3, 13), &cal, &lenient),
            AfterExpiry::StopListed { .. }
        ));
    }

    #[test]
    fn r_s6_a_day_that_has_not_begun_is_refused() {
        assert!(check_day_has_begun(d(2026, 3, 16), d(2026, 3, 16)).is_ok());
        assert!(check_day_has_begun(d(2026, 3, 1), d(2026, 3, 16)).is_ok());
        let e = check_day_has_begun(d(2026, 3, 17), d(2026, 3, 16)).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert_eq!(
            e.to_string(),
            "R-S6: the sweep processes days that have begun: --date 2026-03-17 is after today (2026-03-16)"
        );
    }

    #[test]
    fn r_s4_the_seventh_birthday_is_the_limit() {
        let s = Settings::default();
        assert_eq!(age_limit_birth_date(d(2026, 3, 16), &s), d(2019, 3, 16));
        assert_eq!(age_limit_birth_date(d(2027, 2, 28), &s), d(2020, 2, 28));
        // A day that does not exist seven years earlier.
        assert_eq!(age_limit_birth_date(d(2028, 2, 29), &s), d(2021, 2, 28));
    }
}
