//! Attendance (R-I3): what a kindergarten reports each month for each child, checked without I/O.

use chrono::{Datelike, NaiveDate};

use super::calendar::WorkingCalendar;
use super::iin::Iin;
use crate::error::{Error, Result};
use crate::tr;

/// One reported month of one child, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    pub org: String,
    pub child_iin: String,
    /// `YYYY-MM`.
    pub month: String,
    pub days_present: i64,
}

/// The first day of month `YYYY-MM`, or a bad-input error naming the field.
pub fn parse_month(field: &str, text: &str) -> Result<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 7)
        .ok_or_else(|| {
            Error::bad(tr!(
                "err-attendance-month",
                field = field.to_string(),
                value = text.to_string()
            ))
        })
}

/// The working days of the month that begins on `first`.
pub fn working_days(first: NaiveDate, calendar: &WorkingCalendar) -> i64 {
    first
        .iter_days()
        .take_while(|d| d.month() == first.month())
        .filter(|d| calendar.is_working_day(*d))
        .count() as i64
}

/// R-I3: a reported row: a valid IIN, a month not after `today`'s, and days present from 0 to the month's
/// working days.
pub fn check(
    org: &str,
    child_iin: &str,
    month: &str,
    days_present: &str,
    today: NaiveDate,
    calendar: &WorkingCalendar,
) -> Result<Attendance> {
    let iin = Iin::parse("child_iin", child_iin)?;
    let first = parse_month("month", month)?;
    if (first.year(), first.month()) > (today.year(), today.month()) {
        return Err(Error::bad(tr!(
            "err-attendance-future",
            month = month.trim().to_string()
        )));
    }
    let most = working_days(first, calendar);
    let days: i64 = days_present
        .trim()
        .parse()
        .ok()
        .filter(|d| (0..=most).contains(d))
        .ok_or_else(|| {
            Error::bad(tr!(
                "err-attendance-days",
                value = days_present.trim().to_string(),
                month = month.trim().to_string(),
                most = most
            ))
        })?;
    Ok(Attendance {
        org: org.trim().to_string(),
        child_iin: iin.digits,
        month: first.format("%Y-%m").to_string(),
        days_present: days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_i3_a_month_s_attendance_is_checked_against_the_calendar() {
        let calendar = WorkingCalendar::new([]);
        let today = NaiveDate::from_ymd_opt(2026, 3, 16).unwrap();
        let first = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let most = working_days(first, &calendar);
        assert!((15..=20).contains(&most), "{most}");
        let iin =
            crate::domain::iin::Iin::build(NaiveDate::from_ymd_opt(2022, 5, 10).unwrap(), true, 10)
                .expect("an IIN");
        let ok = check(
            "DS-001",
            &iin,
            "2026-02",
            &most.to_string(),
            today,
            &calendar,
        )
        .unwrap();
        assert_eq!(ok.days_present, most);
        let refused = |iin: &str, month: &str, days: &str| {
            check("DS-001", iin, month, days, today, &calendar)
                .unwrap_err()
                .to_string()
        };
        assert!(refused(&iin, "2026-02", &(most + 1).to_string()).contains("days_present"));
        assert!(refused(&iin, "2026-02", "-1").contains("days_present"));
        assert!(refused(&iin, "2026-04", "3").contains("2026-04"));
        assert!(refused(&iin, "2026-2", "3").contains("month"));
        assert!(refused("123", "2026-02", "3").contains("child_iin"));
    }
}
