//! Benefit confirmation (R-I1): a direction issued to an out-of-turn or first-priority application needs its
//! benefit confirmed in person, with a fresh document, within `benefit_confirm_working_days` of its issue.

use chrono::NaiveDate;

use super::calendar::WorkingCalendar;
use super::category::PriorityClass;
use super::settings::Settings;
use crate::error::{Error, Result};
use crate::tr;

/// The last working day on which a benefit direction issued on `issued` may be confirmed.
pub fn deadline(issued: NaiveDate, calendar: &WorkingCalendar, settings: &Settings) -> NaiveDate {
    calendar.add_working_days(issued, settings.benefit_confirm_working_days)
}

/// R-I1: a confirmation of direction `number` (issued, of a benefit class, not yet confirmed) with a document
/// of `doc_date`, on `today`.
pub fn check_confirmation(
    number: &str,
    issued: bool,
    class: PriorityClass,
    confirmed: bool,
    doc_date: NaiveDate,
    today: NaiveDate,
    settings: &Settings,
) -> Result<()> {
    let refuse = |id: &str| Err(Error::refused("R-I1", tr!(id, number = number.to_string())));
    if !issued {
        return refuse("err-benefit-not-issued");
    }
    if class == PriorityClass::General {
        return refuse("err-benefit-general");
    }
    if confirmed {
        return refuse("err-benefit-confirmed");
    }
    let age = (today - doc_date).num_days();
    if age < 0 || age > i64::from(settings.benefit_doc_valid_days) {
        return Err(Error::refused(
            "R-I1",
            tr!(
                "err-benefit-doc-age",
                date = doc_date.to_string(),
                days = i64::from(settings.benefit_doc_valid_days)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn r_i1_a_benefit_is_confirmed_once_with_a_fresh_document() {
        let s = Settings::default();
        let today = d(2026, 3, 16);
        let ok = |class, confirmed, doc| {
            check_confirmation("NAP.1", true, class, confirmed, doc, today, &s)
        };
        assert!(ok(PriorityClass::FirstPriority, false, d(2026, 3, 1)).is_ok());
        assert!(ok(PriorityClass::OutOfTurn, false, d(2026, 2, 14)).is_ok());
        for refused in [
            ok(PriorityClass::FirstPriority, false, d(2026, 2, 13)),
            ok(PriorityClass::FirstPriority, false, d(2026, 3, 17)),
            ok(PriorityClass::General, false, d(2026, 3, 1)),
            ok(PriorityClass::FirstPriority, true, d(2026, 3, 1)),
            check_confirmation(
                "NAP.1",
                false,
                PriorityClass::OutOfTurn,
                false,
                d(2026, 3, 1),
                today,
                &s,
            ),
        ] {
            assert!(refused.unwrap_err().to_string().starts_with("R-I1"));
        }
    }

    #[test]
    fn r_i1_the_deadline_counts_working_days() {
        let calendar = WorkingCalendar::new([]);
        // Issued on a Monday: five working days later is the next Monday; Nauryz (21-23 March) is skipped.
        assert_eq!(
            deadline(d(2026, 4, 6), &calendar, &Settings::default()),
            d(2026, 4, 13)
        );
        assert_eq!(
            deadline(d(2026, 3, 16), &calendar, &Settings::default()),
            d(2026, 3, 26)
        );
    }
}
