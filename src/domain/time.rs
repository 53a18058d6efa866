//! Time as the rules see it (R-T1, R-T2): local time in Asia/Almaty, an effective time that `--now` may pin,
//! and the real clock time that the journal records beside it. Nothing here reads the clock.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone,
    Utc,
};
use chrono_tz::Asia::Almaty;

use crate::error::{Error, Result};
use crate::tr;

/// The time of one command: the effective time every rule uses, and the real time the journal records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    pub effective: DateTime<FixedOffset>,
    pub real: DateTime<FixedOffset>,
}

impl Now {
    /// `pinned` is the value of `--now`/`KEZEK_NOW`, if any; `real` is the clock read by the caller.
    pub fn new(pinned: Option<&str>, real: DateTime<Utc>) -> Result<Now> {
        let real = to_local(real);
        let effective = match pinned {
            Some(text) => parse_moment("--now", text)?,
            None => real,
        };
        Ok(Now { effective, real })
    }

    /// The effective local date (R-T1: dates are local dates).
    pub fn today(&self) -> NaiveDate {
        self.effective.date_naive()
    }
}

/// A UTC instant as local Almaty time with its offset.
pub fn to_local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&Almaty).fixed_offset()
}

/// RFC 3339 with the offset, to the second: the stored form of every timestamp.
pub fn format_moment(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The local midnight that starts a date.
pub fn start_of_day(date: NaiveDate) -> DateTime<FixedOffset> {
    local(date.and_time(NaiveTime::MIN))
}

/// A local wall-clock time in Almaty. An ambiguous wall time (clocks set back) takes the earlier reading; a
/// skipped one (clocks set forward, last in the 2000s) is read an hour later.
pub fn local(t: NaiveDateTime) -> DateTime<FixedOffset> {
    Almaty
        .from_local_datetime(&t)
        .earliest()
        .or_else(|| {
            Almaty
                .from_local_datetime(&(t + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.fixed_offset())
        .unwrap_or_else(|| Utc.from_utc_datetime(&t).fixed_offset())
}

/// The years a date or a time may have: the range of the working calendar, which `calendar show --year` takes
/// too. A year outside it is a typo (0026 for 2026) or a placeholder (9999-12-31), never a day the queue means.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The first day of Almaty's standard time; moments before it cannot be written back with a whole-minute offset.
pub const ALMATY_STANDARD_TIME: NaiveDate = NaiveDate::from_ymd_opt(1924, 5, 2).expect("a date");

/// Refuses a parsed date or time whose year is outside `YEARS`; `text` as written, for the message.
fn plausible_year(field: &str, text: &str, year: i32) -> Result<()> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(Error::bad(tr!(
            "err-time-year",
            field = field.to_string(),
            value = text.to_string(),
            year = i64::from(year),
            first = i64::from(*YEARS.start()),
            last = i64::from(*YEARS.end())
        )))
    }
}

/// A date `YYYY-MM-DD` with a year in `YEARS`; `field` names what is parsed in the error message.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    let text = text.trim();
    if text.len() == 10 && text.starts_with(|c: char| c.is_ascii_digit()) {
        if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            plausible_year(field, text, d.year())?;
            return Ok(d);
        }
    }
    Err(Error::bad(tr!(
        "err-time-date",
        field = field.to_string(),
        value = text.to_string()
    )))
}

/// A moment: RFC 3339 with an offset, or `YYYY-MM-DD[THH:MM[:SS]]` in local Almaty time (R-T2); its year, as
/// written, in `YEARS`.
pub fn parse_moment(field: &str, text: &str) -> Result<DateTime<FixedOffset>> {
    let text = text.trim();
    let not_a_time = || {
        Error::bad(tr!(
            "err-time-moment",
            field = field.to_string(),
            value = text.to_string()
        ))
    };
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(not_a_time());
    }
    let parsed = if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        plausible_year(field, text, t.year())?;
        Some(to_local(t.with_timezone(&Utc)))
    } else if text.len() == 10 {
        match parse_local(text, LocalSpelling::Date, |p| p.to_naive_date().ok()) {
            Some(d) => {
                plausible_year(field, text, d.year())?;
                Some(start_of_day(d))
            }
            None => None,
        }
    } else {
        // A spelling with the `T` can only be read by the formats with it, one without by the others: each
        // set is tried in its order, as the four were.
        let spelling = if text.contains('T') {
            LocalSpelling::WithT
        } else {
            LocalSpelling::WithSpace
        };
        match parse_local(text, spelling, |p| p.to_naive_datetime_with_offset(0).ok()) {
            Some(t) => {
                plausible_year(field, text, t.year())?;
                Some(local(t))
            }
            None => None,
        }
    };
    let Some(t) = parsed else {
        return Err(not_a_time());
    };
    // Moments are kept to the second, as they are stored; the year is checked again in Almaty, where a moment
    // written with another offset may fall in another year; and before 2 May 1924 Almaty kept local mean time
    // (+05:07:48), which an offset to the minute cannot write back.
    let t = chrono::Timelike::with_nanosecond(&t, 0).unwrap_or(t);
    plausible_year(field, text, t.year())?;
    if t.date_naive() < ALMATY_STANDARD_TIME {
        return Err(Error::bad(tr!(
            "err-time-before-standard",
            field = field.to_string(),
            value = text.to_string(),
            date = ALMATY_STANDARD_TIME.to_string()
        )));
    }
    Ok(t)
}

/// The local spellings of a moment `parse_moment` reads besides RFC 3339.
#[derive(Clone, Copy)]
enum LocalSpelling {
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDTHH:MM[:SS]`.
    WithT,
    /// `YYYY-MM-DD HH:MM[:SS]`.
    WithSpace,
}

/// `text` read by the first of `spelling`'s formats that reads it whole into a `T` (`read`), as chrono's
/// `parse_from_str` reads it; the formats are parsed once, not for every value (an import reads millions).
fn parse_local<T>(
    text: &str,
    spelling: LocalSpelling,
    read: impl Fn(&chrono::format::Parsed) -> Option<T>,
) -> Option<T> {
    use chrono::format::{Item, Parsed, StrftimeItems};
    type Formats = Vec<Vec<Item<'static>>>;
    static FORMATS: std::sync::OnceLock<[Formats; 3]> = std::sync::OnceLock::new();
    let formats = FORMATS.get_or_init(|| {
        let items = |formats: &[&'static str]| -> Formats {
            formats
                .iter()
                .map(|f| StrftimeItems::new(f).collect())
                .collect()
        };
        [
            items(&["%Y-%m-%d"]),
            items(&["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
            items(&["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]),
        ]
    });
    formats[spelling as usize].iter().find_map(|items| {
        let mut parsed = Parsed::new();
        chrono::format::parse(&mut parsed, text, items.iter()).ok()?;
        read(&parsed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 4, 0, 0).unwrap()
    }

    #[test]
    fn r_t1_local_time_is_almaty_with_offset() {
        let now = Now::new(None, real()).unwrap();
        assert_eq!(format_moment(&now.effective), "2026-11-23T09:00:00+05:00");
    }

    #[test]
    fn r_t1_almaty_was_utc_plus_6_before_march_2024() {
        let t = parse_moment("t", "2024-02-01T12:00").unwrap();
        assert_eq!(format_moment(&t), "2024-02-01T12:00:00+06:00");
        let t = parse_moment("t", "2024-03-02T12:00").unwrap();
        assert_eq!(format_moment(&t), "2024-03-02T12:00:00+05:00");
    }

    #[test]
    fn r_t2_now_pins_the_effective_time_and_keeps_the_real_one() {
        let now = Now::new(Some("2026-03-20T10:30"), real()).unwrap();
        assert_eq!(format_moment(&now.effective), "2026-03-20T10:30:00+05:00");
        assert_eq!(format_moment(&now.real), "2026-11-23T09:00:00+05:00");
        assert_eq!(now.today(), NaiveDate::from_ymd_opt(2026, 3, 20).unwrap());
    }

    #[test]
    fn r_t2_now_accepts_rfc3339_and_converts_to_local() {
        let now = Now::new(Some("2026-03-20T00:00:00Z"), real()).unwrap();
        assert_eq!(format_moment(&now.effective), "2026-03-20T05:00:00+05:00");
        let now = Now::new(Some("2026-03-20"), real()).unwrap();
        assert_eq!(format_moment(&now.effective), "2026-03-20T00:00:00+05:00");
    }

    #[test]
    fn r_t2_malformed_now_names_the_flag() {
        let err = Now::new(Some("20.03.2026"), real()).unwrap_err();
        assert_eq!(err.exit_code(), 65);
        assert!(err.to_string().contains("--now"), "{err}");
    }

    #[test]
    fn dates_must_be_real_and_complete() {
        assert!(parse_date("date", "2026-02-30").is_err());
        assert!(parse_date("date", "2026-2-3").is_err());
        assert_eq!(
            parse_date("date", "2026-02-28").unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
    }

    #[test]
    fn dates_and_times_need_a_four_digit_year_from_1900_to_2200() {
        for text in [
            "0026-03-16",
            "9999-12-31",
            "1899-12-31",
            "2201-01-01",
            "-999-03-16",
            "+2026-03-16",
        ] {
            let err = parse_date("release_date", text).unwrap_err();
            assert_eq!(err.exit_code(), 65, "{text}");
            assert!(err.to_string().starts_with("release_date: "), "{err}");
        }
        let err = parse_date("date", "0026-03-16").unwrap_err().to_string();
        assert!(err.contains("year 26, outside 1900 to 2200"), "{err}");
        for text in [
            "0026-03-16",
            "9999-12-31T10:00",
            "-999-03-16T10:00",
            "0026-03-16T10:00:00+05:00",
            "2201-01-01 00:00",
            "+2026-03-16T10:00",
        ] {
            let err = parse_moment("registered_at", text).unwrap_err();
            assert!(err.to_string().starts_with("registered_at: "), "{err}");
        }
        assert_eq!(
            parse_date("d", "1900-01-01").unwrap().year(),
            *YEARS.start()
        );
        assert_eq!(parse_date("d", "2200-12-31").unwrap().year(), *YEARS.end());
        assert!(parse_moment("t", "2200-12-31T23:59:59+05:00").is_ok());
    }

    proptest::proptest! {
        #[test]
        fn parse_moment_never_panics(s in "\\PC{0,40}") {
            let _ = parse_moment("t", &s);
        }

        /// The local spellings, read with their formats parsed once and chosen by the `T`, read exactly as
        /// chrono's `parse_from_str` reads them trying each format in turn (values near every shape, and
        /// impossible dates, hours and separators among them).
        #[test]
        fn local_spellings_read_as_each_format_in_turn_reads_them(
            s in "[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}([T ] ?[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?)?[ T]?"
        ) {
            let date = NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
            proptest::prop_assert_eq!(parse_local(&s, LocalSpelling::Date, |p| p.to_naive_date().ok()), date);
            let oracle = [
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%d %H:%M:%S",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok());
            let spelling = if s.contains('T') { LocalSpelling::WithT } else { LocalSpelling::WithSpace };
            let read = parse_local(&s, spelling, |p| p.to_naive_datetime_with_offset(0).ok());
            proptest::prop_assert_eq!(read, oracle);
        }

        #[test]
        fn formatted_moments_parse_back(secs in 0i64..4_000_000_000) {
            let t = to_local(DateTime::from_timestamp(secs, 0).unwrap());
            let text = format_moment(&t);
            proptest::prop_assert_eq!(parse_moment("t", &text).unwrap(), t);
        }
    }
}
