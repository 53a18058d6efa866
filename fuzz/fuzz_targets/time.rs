//! The time parsers on arbitrary text: `parse_date`, `parse_moment` and `Now::new`, with a real clock reading
//! taken from the input's first bytes. The invariants: no panic; a refusal is a bad-input error (exit 65) whose
//! message starts with the field (`--now` for `Now::new`); a parsed date formats (as kezek stores it) to text
//! that parses to the same date; a parsed moment carries Almaty's offset at that instant and formats to text
//! that parses to the same instant and offset; a date read as a moment is that date's local midnight;
//! `Now::new` pins exactly what `parse_moment` reads and keeps the real clock as local time.

#![no_main]

use chrono::{DateTime, NaiveDate, Utc};
use kezek::domain::time::{format_moment, parse_date, parse_moment, to_local, Now};
use libfuzzer_sys::fuzz_target;

/// Clock readings from 1970 to the end of 2200 in Almaty (UTC+5), the last year kezek's dates and times take.
const CLOCK_SPAN_SECS: u64 = 7_289_636_400;

fn expect_refusal(e: &kezek::Error, field: &str) {
    assert_eq!(e.exit_code(), 65, "{e}");
    assert!(
        !e.to_string().chars().any(char::is_control),
        "a control character in {e:?}"
    );
    assert!(
        e.to_string().starts_with(&format!("{field}: ")),
        "the error names {field}: {e}"
    );
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut clock = [0u8; 8];
    let n = data.len().min(8);
    clock[..n].copy_from_slice(&data[..n]);
    let secs = (u64::from_le_bytes(clock) % CLOCK_SPAN_SECS) as i64;
    let real: DateTime<Utc> = DateTime::from_timestamp(secs, 0).expect("a clock reading");

    let date = parse_date("date", &text);
    match &date {
        Ok(d) => {
            let stored = d.to_string();
            assert_eq!(
                parse_date("date", &stored).ok(),
                Some(*d),
                "{text:?} parses to {d}, stored as {stored:?}, which does not parse back"
            );
        }
        Err(e) => expect_refusal(e, "date"),
    }

    let moment = parse_moment("registered_at", &text);
    match &moment {
        Ok(t) => {
            let local = to_local(t.with_timezone(&Utc));
            assert_eq!(
                t.offset(),
                local.offset(),
                "{text:?}: {t} has Almaty's offset"
            );
            let stored = format_moment(t);
            let back = parse_moment("registered_at", &stored).unwrap_or_else(|e| {
                panic!(
                    "{text:?} parses to {t}, stored as {stored:?}, which does not parse back: {e}"
                )
            });
            assert_eq!(back, *t, "{stored:?}");
            assert_eq!(back.offset(), t.offset(), "{stored:?}");
            if let Ok(d) = &date {
                assert_eq!(
                    t.date_naive(),
                    *d,
                    "{text:?}: a date is read as its midnight"
                );
            }
        }
        Err(e) => {
            // A date is a moment too, from the day Almaty's standard time began (2 May 1924; before it,
            // local mean time, +05:07:48, has no offset RFC 3339 can write).
            let standard_time = NaiveDate::from_ymd_opt(1924, 5, 2).expect("a date");
            assert!(
                date.as_ref().map_or(true, |d| *d < standard_time),
                "{text:?} is a date but not a moment: {e}"
            );
            expect_refusal(e, "registered_at");
        }
    }

    match Now::new(Some(&text), real) {
        Ok(now) => {
            let t = moment
                .as_ref()
                .expect("Now::new pins what parse_moment reads");
            assert_eq!(now.effective, *t);
            assert_eq!(now.effective.offset(), t.offset());
            assert_eq!(now.real, to_local(real));
            assert_eq!(now.today(), t.date_naive());
        }
        Err(e) => {
            assert!(
                moment.is_err(),
                "Now::new refuses what parse_moment reads: {e}"
            );
            expect_refusal(&e, "--now");
        }
    }

    let now = Now::new(None, real).expect("an unpinned clock is always a time");
    assert_eq!(now.effective, now.real);
    assert_eq!(now.real, real);
    let stored = format_moment(&now.real);
    assert_eq!(
        parse_moment("t", &stored).ok(),
        Some(now.real),
        "the clock reading {real} stored as {stored:?} parses back"
    );
});
