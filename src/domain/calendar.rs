//! The working-day calendar of Kazakhstan (R-T3) and counting working days (R-T4). Pure: no I/O, no clock.
//!
//! R-T3: working days are Monday to Friday, minus public holidays, plus declared working days. The fixed
//! national holidays are built in; movable holidays (Kurban Ait) and government transfers are declared by the
//! user. A fixed secular holiday on a Saturday or Sunday moves its day off to the next free working day;
//! religious days off (7 January, declared holidays) never move. A declaration decides its own date.
//!
//! R-T4: "N working days after D" is the N-th working day after D; D itself never counts, N = 0 gives D.

use chrono::{Datelike, NaiveDate, Weekday};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The kind of a declared date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DayKind {
    Holiday,
    Workday,
}

impl DayKind {
    /// The stored and command-line form.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    /// Exact lowercase `holiday` or `workday`, the stored and command-line form.
    pub fn parse(s: &str) -> Option<DayKind> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// Why a date is or is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayReason {
    /// Ordinary Monday to Friday, working.
    Weekday,
    /// Saturday or Sunday, off.
    Weekend,
    /// A fixed built-in holiday, off.
    Holiday { name: String },
    /// A day off moved here from a holiday that fell on a weekend.
    Transferred { from: NaiveDate, name: String },
    /// Declared a holiday by the user, off.
    DeclaredHoliday { name: String },
    /// Declared a working day by the user, working.
    DeclaredWorkday { name: String },
}

impl DayReason {
    pub fn is_working(&self) -> bool {
        matches!(self, DayReason::Weekday | DayReason::DeclaredWorkday { .. })
    }
}

/// A fixed holiday of one year; `moves` is false for religious days off, which are not transferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: &'static str,
    pub moves: bool,
}

/// The fixed holidays as (month, day, name, moves), in date order: the same dates every year.
const FIXED: [(u32, u32, &str, bool); 14] = [
    (1, 1, "Новый год", true),
    (1, 2, "Новый год", true),
    (1, 7, "Православное Рождество", false),
    (3, 8, "Международный женский день", true),
    (3, 21, "Наурыз мейрамы", true),
    (3, 22, "Наурыз мейрамы", true),
    (3, 23, "Наурыз мейрамы", true),
    (5, 1, "Праздник единства народа Казахстана", true),
    (5, 7, "День защитника Отечества", true),
    (5, 9, "День Победы", true),
    (7, 6, "День столицы", true),
    (8, 30, "День Конституции", true),
    (10, 25, "День Республики", true),
    (12, 16, "День Независимости", true),
];

/// The fixed holidays of a year, in date order.
pub fn fixed_holidays(year: i32) -> Vec<Holiday> {
    FIXED
        .iter()
        .filter_map(|&(month, day, name, moves)| {
            // Only fails at the edges of chrono's range, where a year may be partial.
            let date = NaiveDate::from_ymd_opt(year, month, day)?;
            Some(Holiday { date, name, moves })
        })
        .collect()
}

/// The name of the fixed holiday on `date`, if any.
fn fixed_name(date: NaiveDate) -> Option<&'static str> {
    FIXED
        .iter()
        .find(|&&(month, day, _, _)| month == date.month() && day == date.day())
        .map(|&(_, _, name, _)| name)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The reason of a date from the fixed holidays and the week alone.
fn plain_reason(date: NaiveDate) -> DayReason {
    match fixed_name(date) {
        Some(name) => DayReason::Holiday {
            name: name.to_string(),
        },
        None if is_weekend(date) => DayReason::Weekend,
        None => DayReason::Weekday,
    }
}

type Declared = BTreeMap<NaiveDate, (DayKind, String)>;

/// Where each transferred day off lands, for the days off landing in `year`: landing date -> (the weekend
/// holiday it comes from, its name).
///
/// A weekend holiday's day off goes to the first later day that is (a) Monday to Friday or declared a workday,
/// (b) neither a fixed nor a declared holiday, (c) not taken by an earlier transfer. Declarations still decide
/// their own date in `reason`, so a workday declared on a transferred day off cancels it rather than pushing
/// it on, which is how a government transfer of that day is entered.
///
/// The holidays of the previous year are processed first with the same "already taken" set, so a transfer
/// spilling over New Year (16 December pushed on by declared holidays) is seen and not taken twice. We look
/// back one year only: a chain reaching across two New Years would need about a year of declared holidays.
fn transfers_landing_in(
    declared: &Declared,
    year: i32,
) -> BTreeMap<NaiveDate, (NaiveDate, &'static str)> {
    let mut taken: BTreeMap<NaiveDate, (NaiveDate, &'static str)> = BTreeMap::new();
    let moving = fixed_holidays(year - 1)
        .into_iter()
        .chain(fixed_holidays(year))
        .filter(|h| h.moves && is_weekend(h.date));
    for holiday in moving {
        let mut day = holiday.date;
        // Terminates: the declarations are finite, so a plain free weekday always comes, short of chrono's end.
        while let Some(next) = day.succ_opt() {
            day = next;
            let declared_kind = declared.get(&day).map(|(kind, _)| *kind);
            let working = match declared_kind {
                Some(DayKind::Workday) => true,
                Some(DayKind::Holiday) => false,
                None => !is_weekend(day),
            };
            if working && fixed_name(day).is_none() && !taken.contains_key(&day) {
                taken.insert(day, (holiday.date, holiday.name));
                break;
            }
        }
    }
    taken.retain(|date, _| date.year() == year);
    taken
}

/// What a year costs to compute once: its transfers, and a working flag per day for the hot path.
#[derive(Debug, Clone)]
struct YearTable {
    transfers: BTreeMap<NaiveDate, (NaiveDate, &'static str)>,
    /// Indexed by `ordinal0`.
    working: Vec<bool>,
}

impl YearTable {
    fn build(declared: &Declared, year: i32) -> YearTable {
        let transfers = transfers_landing_in(declared, year);
        let working = NaiveDate::from_yo_opt(year, 1)
            .into_iter()
            .flat_map(|first| first.iter_days())
            .take_while(|day| day.year() == year)
            .map(|day| {
                // Same precedence as `reason`: the declaration, then a transfer, then the plain calendar.
                match declared.get(&day) {
                    Some((kind, _)) => *kind == DayKind::Workday,
                    None if transfers.contains_key(&day) => false,
                    None => plain_reason(day).is_working(),
                }
            })
            .collect();
        YearTable { transfers, working }
    }
}

/// The built-in calendar plus the user's declarations, with each year's transfers computed once on demand.
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    declared: Declared,
    /// Interior mutability so that the read-only API can fill the cache; the type is not `Sync`.
    years: RefCell<BTreeMap<i32, YearTable>>,
}

impl WorkingCalendar {
    /// The built-in calendar with the given declarations; a date declared twice keeps its last declaration.
    pub fn new(declared: impl IntoIterator<Item = (NaiveDate, DayKind, String)>) -> Self {
        let declared = declared
            .into_iter()
            .map(|(date, kind, name)| (date, (kind, name)))
            .collect();
        WorkingCalendar {
            declared,
            years: RefCell::default(),
        }
    }

    /// The built-in calendar, without declarations.
    pub fn builtin() -> Self {
        Self::default()
    }

    fn with_year<R>(&self, year: i32, f: impl FnOnce(&YearTable) -> R) -> R {
        if let Some(table) = self.years.borrow().get(&year) {
            return f(table);
        }
        let table = YearTable::build(&self.declared, year);
        let result = f(&table);
        self.years.borrow_mut().insert(year, table);
        result
    }

    /// Why `date` is or is not a working day.
    pub fn reason(&self, date: NaiveDate) -> DayReason {
        // A declaration decides its own date, even over a transfer that landed there: a workday declared on a
        // transferred day off cancels that day off (it is not pushed further on).
        if let Some((kind, name)) = self.declared.get(&date) {
            let name = name.clone();
            return match kind {
                DayKind::Holiday => DayReason::DeclaredHoliday { name },
                DayKind::Workday => DayReason::DeclaredWorkday { name },
            };
        }
        let transfer = self.with_year(date.year(), |table| table.transfers.get(&date).copied());
        if let Some((from, name)) = transfer {
            return DayReason::Transferred {
                from,
                name: name.to_string(),
            };
        }
        plain_reason(date)
    }

    /// R-T3: whether `date` is a working day (the hot path: one cached table lookup).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.with_year(date.year(), |table| table.working[date.ordinal0() as usize])
    }

    /// R-T4: the n-th working day after `date` (date itself never counts); `n = 0` gives `date`.
    ///
    /// # Panics
    /// If the result would lie beyond `NaiveDate::MAX`.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = day
                .succ_opt()
                .expect("working day beyond the last representable date");
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Every date of `year` that differs from the plain Monday-to-Friday week: days off on weekdays
    /// (holidays, transfers, declared holidays), declared workdays, and fixed holidays falling on a weekend
    /// (reason `Holiday`). In date order.
    pub fn special_days(&self, year: i32) -> Vec<(NaiveDate, DayReason)> {
        NaiveDate::from_yo_opt(year, 1)
            .into_iter()
            .flat_map(|first| first.iter_days())
            .take_while(|day| day.year() == year)
            .map(|day| (day, self.reason(day)))
            .filter(|(_, reason)| !matches!(reason, DayReason::Weekday | DayReason::Weekend))
            .collect()
    }

    /// The reason `date` would have without any declaration (to reject pointless declarations: a workday
    /// declared on a working day, a holiday declared on a day off).
    pub fn builtin_reason(date: NaiveDate) -> DayReason {
        match transfers_landing_in(&Declared::new(), date.year()).get(&date) {
            Some(&(from, name)) => DayReason::Transferred {
                from,
                name: name.to_string(),
            },
            None => plain_reason(date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn calendar(declared: &[(NaiveDate, DayKind, &str)]) -> WorkingCalendar {
        WorkingCalendar::new(
            declared
                .iter()
                .map(|&(date, kind, name)| (date, kind, name.to_string())),
        )
    }

    fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        from.iter_days().take_while(move |day| *day <= to)
    }

    /// Written again here, not taken from the module, so that a slip in the module's table shows.
    const ORACLE_FIXED: [(u32, u32, bool); 14] = [
        (1, 1, true),
        (1, 2, true),
        (1, 7, false),
        (3, 8, true),
        (3, 21, true),
        (3, 22, true),
        (3, 23, true),
        (5, 1, true),
        (5, 7, true),
        (5, 9, true),
        (7, 6, true),
        (8, 30, true),
        (10, 25, true),
        (12, 16, true),
    ];

    /// Brute force: the days off of `from..=to` (with room around it), by walking the rules day by day over
    /// the whole range at once.
    fn oracle_days_off(
        declared: &BTreeMap<NaiveDate, DayKind>,
        from: i32,
        to: i32,
    ) -> BTreeSet<NaiveDate> {
        let weekend =
            |day: NaiveDate| day.weekday() == Weekday::Sat || day.weekday() == Weekday::Sun;
        let mut fixed = BTreeSet::new();
        for year in from - 1..=to + 1 {
            for &(month, day, _) in &ORACLE_FIXED {
                fixed.insert(d(year, month, day));
            }
        }
        let mut transferred = BTreeSet::new();
        for year in from - 1..=to {
            for &(month, day, moves) in &ORACLE_FIXED {
                let holiday = d(year, month, day);
                if !moves || !weekend(holiday) {
                    continue;
                }
                let mut candidate = holiday.succ_opt().unwrap();
                loop {
                    let kind = declared.get(&candidate).copied();
                    let workable =
                        kind == Some(DayKind::Workday) || (kind.is_none() && !weekend(candidate));
                    if workable && !fixed.contains(&candidate) && !transferred.contains(&candidate)
                    {
                        break;
                    }
                    candidate = candidate.succ_opt().unwrap();
                }
                transferred.insert(candidate);
            }
        }
        let mut off = BTreeSet::new();
        for day in days(d(from - 1, 1, 1), d(to + 1, 12, 31)) {
            let is_off = match declared.get(&day) {
                Some(kind) => *kind == DayKind::Holiday,
                None => transferred.contains(&day) || fixed.contains(&day) || weekend(day),
            };
            if is_off {
                off.insert(day);
            }
        }
        off
    }

    #[test]
    fn r_t3_day_kind_parses_exact_lowercase() {
        for kind in [DayKind::Holiday, DayKind::Workday] {
            assert_eq!(DayKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DayKind::Holiday.as_str(), "holiday");
        assert_eq!(DayKind::Workday.as_str(), "workday");
        assert_eq!(DayKind::parse("Holiday"), None);
        assert_eq!(DayKind::parse(" workday"), None);
        assert_eq!(DayKind::parse(""), None);
    }

    #[test]
    fn r_t3_fixed_holidays_are_the_national_list_in_date_order() {
        let got: Vec<(NaiveDate, &str, bool)> = fixed_holidays(2026)
            .iter()
            .map(|h| (h.date, h.name, h.moves))
            .collect();
        let want = vec![
            (d(2026, 1, 1), "Новый год", true),
            (d(2026, 1, 2), "Новый год", true),
            (d(2026, 1, 7), "Православное Рождество", false),
            (d(2026, 3, 8), "Международный женский день", true),
            (d(2026, 3, 21), "Наурыз мейрамы", true),
            (d(2026, 3, 22), "Наурыз мейрамы", true),
            (d(2026, 3, 23), "Наурыз мейрамы", true),
            (d(2026, 5, 1), "Праздник единства народа Казахстана", true),
            (d(2026, 5, 7), "День защитника Отечества", true),
            (d(2026, 5, 9), "День Победы", true),
            (d(2026, 7, 6), "День столицы", true),
            (d(2026, 8, 30), "День Конституции", true),
            (d(2026, 10, 25), "День Республики", true),
            (d(2026, 12, 16), "День Независимости", true),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn r_t3_plain_week_is_monday_to_friday() {
        let cal = WorkingCalendar::builtin();
        // 2026-04-06 is a Monday with no holiday that week.
        for (offset, working) in [true, true, true, true, true, false, false]
            .into_iter()
            .enumerate()
        {
            let day = d(2026, 4, 6 + offset as u32);
            assert_eq!(cal.is_working_day(day), working, "{day}");
            let want = if working {
                DayReason::Weekday
            } else {
                DayReason::Weekend
            };
            assert_eq!(cal.reason(day), want);
        }
    }

    #[test]
    fn r_t3_nauryz_2026_gives_21_to_25_march_off() {
        let cal = WorkingCalendar::builtin();
        let nauryz = "Наурыз мейрамы".to_string();
        for day in 21..=25 {
            assert!(!cal.is_working_day(d(2026, 3, day)), "2026-03-{day}");
        }
        assert!(cal.is_working_day(d(2026, 3, 20)));
        assert!(cal.is_working_day(d(2026, 3, 26)));
        assert_eq!(
            cal.reason(d(2026, 3, 21)),
            DayReason::Holiday {
                name: nauryz.clone()
            }
        );
        assert_eq!(
            cal.reason(d(2026, 3, 23)),
            DayReason::Holiday {
                name: nauryz.clone()
            }
        );
        // Processed in date order: Saturday 21 takes Tuesday 24, Sunday 22 takes Wednesday 25.
        assert_eq!(
            cal.reason(d(2026, 3, 24)),
            DayReason::Transferred {
                from: d(2026, 3, 21),
                name: nauryz.clone()
            }
        );
        assert_eq!(
            cal.reason(d(2026, 3, 25)),
            DayReason::Transferred {
                from: d(2026, 3, 22),
                name: nauryz
            }
        );
    }

    #[test]
    fn r_t3_religious_holiday_never_moves() {
        let cal = WorkingCalendar::builtin();
        assert_eq!(d(2024, 1, 7).weekday(), Weekday::Sun);
        assert_eq!(
            cal.reason(d(2024, 1, 7)),
            DayReason::Holiday {
                name: "Православное Рождество".into()
            }
        );
        assert!(cal.is_working_day(d(2024, 1, 8)));
        assert_eq!(cal.reason(d(2024, 1, 8)), DayReason::Weekday);
    }

    #[test]
    fn r_t3_declared_workday_saturday_is_working() {
        let saturday = d(2026, 4, 11);
        assert_eq!(saturday.weekday(), Weekday::Sat);
        let cal = calendar(&[(saturday, DayKind::Workday, "перенос")]);
        assert!(cal.is_working_day(saturday));
        assert_eq!(
            cal.reason(saturday),
            DayReason::DeclaredWorkday {
                name: "перенос".into()
            }
        );
        assert_eq!(
            WorkingCalendar::builtin_reason(saturday),
            DayReason::Weekend
        );
    }

    #[test]
    fn r_t3_declared_workday_overrides_a_fixed_holiday() {
        let cal = calendar(&[(d(2026, 7, 6), DayKind::Workday, "рабочий")]);
        assert!(cal.is_working_day(d(2026, 7, 6)));
        assert_eq!(cal.add_working_days(d(2026, 7, 3), 1), d(2026, 7, 6));
    }

    #[test]
    fn r_t3_declared_holiday_is_off_and_does_not_move() {
        // Kurban Ait declared on a Sunday: the Sunday is off, the Monday stays a working day.
        let sunday = d(2026, 6, 7);
        assert_eq!(sunday.weekday(), Weekday::Sun);
        let cal = calendar(&[
            (sunday, DayKind::Holiday, "Курбан айт"),
            (d(2026, 5, 27), DayKind::Holiday, "Курбан айт"),
        ]);
        assert_eq!(
            cal.reason(sunday),
            DayReason::DeclaredHoliday {
                name: "Курбан айт".into()
            }
        );
        assert!(!cal.is_working_day(sunday));
        assert!(cal.is_working_day(d(2026, 6, 8)));
        // On a weekday it is simply a day off.
        assert!(!cal.is_working_day(d(2026, 5, 27)));
        assert!(cal.is_working_day(d(2026, 5, 28)));
    }

    #[test]
    fn r_t3_new_year_on_weekend_moves_to_3_and_4_january() {
        let cal = WorkingCalendar::builtin();
        // 2022: Saturday 1, Sunday 2 January.
        assert_eq!(d(2022, 1, 1).weekday(), Weekday::Sat);
        assert_eq!(
            cal.reason(d(2022, 1, 3)),
            DayReason::Transferred {
                from: d(2022, 1, 1),
                name: "Новый год".into()
            }
        );
        assert_eq!(
            cal.reason(d(2022, 1, 4)),
            DayReason::Transferred {
                from: d(2022, 1, 2),
                name: "Новый год".into()
            }
        );
        assert!(cal.is_working_day(d(2022, 1, 5)));
        // 7 January 2022 is a Friday, off, and no transfer touches it.
        assert!(!cal.is_working_day(d(2022, 1, 7)));
    }

    #[test]
    fn r_t3_independence_day_on_saturday_moves_to_monday() {
        let cal = WorkingCalendar::builtin();
        assert_eq!(d(2028, 12, 16).weekday(), Weekday::Sat);
        assert_eq!(
            cal.reason(d(2028, 12, 18)),
            DayReason::Transferred {
                from: d(2028, 12, 16),
                name: "День Независимости".into()
            }
        );
        assert!(cal.is_working_day(d(2028, 12, 19)));
    }

    #[test]
    fn r_t3_transfer_crosses_year_end() {
        // 16 December 2028 is a Saturday; with every weekday up to 29 December declared off, its day off goes
        // past 1 and 2 January 2029 (Monday, Tuesday, holidays) to Wednesday 3 January 2029.
        let declared: Vec<(NaiveDate, DayKind, &str)> = days(d(2028, 12, 18), d(2028, 12, 29))
            .filter(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
            .map(|day| (day, DayKind::Holiday, "каникулы"))
            .collect();
        let want = DayReason::Transferred {
            from: d(2028, 12, 16),
            name: "День Независимости".into(),
        };
        // Ask about 2029 first, so that its year is computed before 2028's.
        let cal = calendar(&declared);
        assert_eq!(cal.reason(d(2029, 1, 3)), want);
        assert!(!cal.is_working_day(d(2029, 1, 3)));
        assert!(cal.is_working_day(d(2029, 1, 4)));
        assert!(!cal.is_working_day(d(2028, 12, 29)));
        assert_eq!(cal.add_working_days(d(2028, 12, 15), 1), d(2029, 1, 4));
        // The declared days keep their own reason.
        assert_eq!(
            cal.reason(d(2028, 12, 18)),
            DayReason::DeclaredHoliday {
                name: "каникулы".into()
            }
        );
    }

    #[test]
    fn r_t3_transfer_skips_a_day_already_off() {
        let cal = WorkingCalendar::builtin();
        // 2022: 7 May Saturday, 8 Sunday, 9 Monday (Victory Day): the day off of 7 May goes to Tuesday 10 May.
        assert_eq!(d(2022, 5, 7).weekday(), Weekday::Sat);
        assert_eq!(
            cal.reason(d(2022, 5, 9)),
            DayReason::Holiday {
                name: "День Победы".into()
            }
        );
        assert_eq!(
            cal.reason(d(2022, 5, 10)),
            DayReason::Transferred {
                from: d(2022, 5, 7),
                name: "День защитника Отечества".into()
            }
        );
        assert!(cal.is_working_day(d(2022, 5, 11)));
        // 2025: 21 March Friday, 22 Saturday, 23 Sunday: 22 takes Monday 24, 23 takes Tuesday 25.
        assert_eq!(
            cal.reason(d(2025, 3, 24)),
            DayReason::Transferred {
                from: d(2025, 3, 22),
                name: "Наурыз мейрамы".into()
            }
        );
        assert_eq!(
            cal.reason(d(2025, 3, 25)),
            DayReason::Transferred {
                from: d(2025, 3, 23),
                name: "Наурыз мейрамы".into()
            }
        );
    }

    #[test]
    fn r_t3_transfer_skips_declared_holidays() {
        // Nauryz 2026 with Tuesday 24 declared off: 21 takes 25, 22 takes 26.
        let cal = calendar(&[(d(2026, 3, 24), DayKind::Holiday, "объявлен")]);
        assert_eq!(
            cal.reason(d(2026, 3, 24)),
            DayReason::DeclaredHoliday {
                name: "объявлен".into()
            }
        );
        assert_eq!(
            cal.reason(d(2026, 3, 25)),
            DayReason::Transferred {
                from: d(2026, 3, 21),
                name: "Наурыз мейрамы".into()
            }
        );
        assert_eq!(
            cal.reason(d(2026, 3, 26)),
            DayReason::Transferred {
                from: d(2026, 3, 22),
                name: "Наурыз мейрамы".into()
            }
        );
        assert!(cal.is_working_day(d(2026, 3, 27)));
    }

    #[test]
    fn r_t3_declared_workday_on_a_transferred_day_cancels_it() {
        // A government transfer: Tuesday 24 March 2026 (the day off of Saturday 21) declared working. The
        // declaration wins on its date and the day off is not pushed further: 25 stays the day off of 22,
        // Thursday 26 stays working.
        let cal = calendar(&[(d(2026, 3, 24), DayKind::Workday, "перенос")]);
        assert!(cal.is_working_day(d(2026, 3, 24)));
        assert_eq!(
            cal.reason(d(2026, 3, 24)),
            DayReason::DeclaredWorkday {
                name: "перенос".into()
            }
        );
        assert_eq!(
            cal.reason(d(2026, 3, 25)),
            DayReason::Transferred {
                from: d(2026, 3, 22),
                name: "Наурыз мейрамы".into()
            }
        );
        assert!(cal.is_working_day(d(2026, 3, 26)));
        assert_eq!(cal.add_working_days(d(2026, 3, 20), 1), d(2026, 3, 24));
    }

    #[test]
    fn r_t3_declared_workday_saturday_takes_a_transfer_and_stays_working() {
        // Transfer rule (a): a declared workday is a candidate, and the declaration still decides its date.
        // With 24-27 March 2026 declared off and Saturday 28 declared working, the day off of Saturday 21 falls
        // on 28 (so it is spent, the Saturday stays working) and that of Sunday 22 on Monday 30.
        let mut declared: Vec<(NaiveDate, DayKind, &str)> = (24..=27)
            .map(|day| (d(2026, 3, day), DayKind::Holiday, "объявлен"))
            .collect();
        declared.push((d(2026, 3, 28), DayKind::Workday, "перенос"));
        let cal = calendar(&declared);
        assert_eq!(
            cal.reason(d(2026, 3, 28)),
            DayReason::DeclaredWorkday {
                name: "перенос".into()
            }
        );
        assert!(cal.is_working_day(d(2026, 3, 28)));
        assert_eq!(
            cal.reason(d(2026, 3, 30)),
            DayReason::Transferred {
                from: d(2026, 3, 22),
                name: "Наурыз мейрамы".into()
            }
        );
        assert!(cal.is_working_day(d(2026, 3, 31)));
    }

    #[test]
    fn r_t3_weekdays_off_in_2026_are_exactly_the_listed_days() {
        let cal = WorkingCalendar::builtin();
        let got: Vec<NaiveDate> = days(d(2026, 1, 1), d(2026, 12, 31))
            .filter(|day| {
                !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !cal.is_working_day(*day)
            })
            .collect();
        let want = vec![
            d(2026, 1, 1),   // Thursday, New Year
            d(2026, 1, 2),   // Friday, New Year
            d(2026, 1, 7),   // Wednesday, Orthodox Christmas
            d(2026, 3, 9),   // Monday, from Sunday 8 March
            d(2026, 3, 23),  // Monday, Nauryz
            d(2026, 3, 24),  // from Saturday 21 March
            d(2026, 3, 25),  // from Sunday 22 March
            d(2026, 5, 1),   // Friday, Unity Day
            d(2026, 5, 7),   // Thursday, Defender of the Fatherland Day
            d(2026, 5, 11),  // Monday, from Saturday 9 May
            d(2026, 7, 6),   // Monday, Capital Day
            d(2026, 8, 31),  // Monday, from Sunday 30 August
            d(2026, 10, 26), // Monday, from Sunday 25 October
            d(2026, 12, 16), // Wednesday, Independence Day
        ];
        assert_eq!(got, want);
        // And no weekend day of 2026 is working without declarations.
        assert!(days(d(2026, 1, 1), d(2026, 12, 31))
            .filter(|day| matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
            .all(|day| !cal.is_working_day(day)));
    }

    #[test]
    fn r_t3_special_days_2026_lists_weekday_offs_and_weekend_holidays() {
        let saturday = d(2026, 4, 11);
        let cal = calendar(&[
            (saturday, DayKind::Workday, "перенос"),
            (d(2026, 5, 27), DayKind::Holiday, "Курбан айт"),
        ]);
        let special = cal.special_days(2026);
        let dates: Vec<NaiveDate> = special.iter().map(|(day, _)| *day).collect();
        let want: Vec<NaiveDate> = [
            (1, 1),
            (1, 2),
            (1, 7),
            (3, 8),
            (3, 9),
            (3, 21),
            (3, 22),
            (3, 23),
            (3, 24),
            (3, 25),
            (4, 11),
            (5, 1),
            (5, 7),
            (5, 9),
            (5, 11),
            (5, 27),
            (7, 6),
            (8, 30),
            (8, 31),
            (10, 25),
            (10, 26),
            (12, 16),
        ]
        .into_iter()
        .map(|(month, day)| d(2026, month, day))
        .collect();
        assert_eq!(dates, want);
        for (day, reason) in &special {
            assert_eq!(*reason, cal.reason(*day));
        }
        let reason_of = |day: NaiveDate| {
            special
                .iter()
                .find(|(date, _)| *date == day)
                .unwrap()
                .1
                .clone()
        };
        assert_eq!(
            reason_of(d(2026, 3, 8)),
            DayReason::Holiday {
                name: "Международный женский день".into()
            }
        );
        assert_eq!(
            reason_of(d(2026, 3, 9)),
            DayReason::Transferred {
                from: d(2026, 3, 8),
                name: "Международный женский день".into()
            }
        );
        assert_eq!(
            reason_of(saturday),
            DayReason::DeclaredWorkday {
                name: "перенос".into()
            }
        );
        assert_eq!(
            reason_of(d(2026, 5, 27)),
            DayReason::DeclaredHoliday {
                name: "Курбан айт".into()
            }
        );
    }

    #[test]
    fn r_t3_builtin_reason_ignores_declarations() {
        let cal = calendar(&[
            (d(2026, 3, 24), DayKind::Workday, "рабочий"),
            (d(2026, 4, 8), DayKind::Holiday, "объявлен"),
        ]);
        assert!(cal.is_working_day(d(2026, 3, 24)));
        assert_eq!(
            WorkingCalendar::builtin_reason(d(2026, 3, 24)),
            DayReason::Transferred {
                from: d(2026, 3, 21),
                name: "Наурыз мейрамы".into()
            }
        );
        assert_eq!(
            WorkingCalendar::builtin_reason(d(2026, 4, 8)),
            DayReason::Weekday
        );
        assert_eq!(
            WorkingCalendar::builtin_reason(d(2026, 3, 21)),
            DayReason::Holiday {
                name: "Наурыз мейрамы".into()
            }
        );
        assert_eq!(
            WorkingCalendar::builtin_reason(d(2026, 3, 28)),
            DayReason::Weekend
        );
        for day in days(d(2020, 1, 1), d(2030, 12, 31)) {
            assert_eq!(
                WorkingCalendar::builtin_reason(day),
                WorkingCalendar::builtin().reason(day),
                "{day}"
            );
        }
    }

    #[test]
    fn r_t3_day_reason_is_working() {
        let name = || "x".to_string();
        assert!(DayReason::Weekday.is_working());
        assert!(DayReason::DeclaredWorkday { name: name() }.is_working());
        assert!(!DayReason::Weekend.is_working());
        assert!(!DayReason::Holiday { name: name() }.is_working());
        assert!(!DayReason::Transferred {
            from: d(2026, 1, 1),
            name: name()
        }
        .is_working());
        assert!(!DayReason::DeclaredHoliday { name: name() }.is_working());
    }

    #[test]
    fn r_t3_builtin_calendar_matches_brute_force_oracle_2020_2035() {
        let cal = WorkingCalendar::builtin();
        let off = oracle_days_off(&BTreeMap::new(), 2020, 2035);
        for day in days(d(2020, 1, 1), d(2035, 12, 31)) {
            assert_eq!(cal.is_working_day(day), !off.contains(&day), "{day}");
            assert_eq!(cal.reason(day).is_working(), !off.contains(&day), "{day}");
        }
    }

    #[test]
    fn r_t3_weekday_days_off_per_year_match_the_holiday_count_2020_2035() {
        // Each fixed holiday on a weekday is one weekday off; each moving one on a weekend gives exactly one
        // weekday off elsewhere (transfers never collide and, built in, never leave the year: 16 December
        // lands on 17 or 18 December at the latest). 7 January on a weekend gives nothing.
        let cal = WorkingCalendar::builtin();
        let weekend = |day: NaiveDate| matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        for year in 2020..=2035 {
            let expected = ORACLE_FIXED
                .iter()
                .filter(|&&(month, day, moves)| !weekend(d(year, month, day)) || moves)
                .count();
            let got = days(d(year, 1, 1), d(year, 12, 31))
                .filter(|&day| !weekend(day) && !cal.is_working_day(day))
                .count();
            assert_eq!(got, expected, "{year}");
        }
    }

    #[test]
    fn r_t4_five_working_days_after_friday_before_nauryz_2026() {
        let cal = WorkingCalendar::builtin();
        // From Friday 20 March 2026: 21 Sat, 22 Sun, 23 Mon (Nauryz), 24 Tue and 25 Wed (transferred) are off;
        // 26 Thu = 1, 27 Fri = 2, 28-29 weekend, 30 Mon = 3, 31 Tue = 4, 1 April Wed = 5.
        assert_eq!(cal.add_working_days(d(2026, 3, 20), 1), d(2026, 3, 26));
        assert_eq!(cal.add_working_days(d(2026, 3, 20), 4), d(2026, 3, 31));
        assert_eq!(cal.add_working_days(d(2026, 3, 20), 5), d(2026, 4, 1));
    }

    #[test]
    fn r_t4_start_day_never_counts_even_when_working() {
        let cal = WorkingCalendar::builtin();
        let thursday = d(2026, 4, 9);
        assert!(cal.is_working_day(thursday));
        assert_eq!(cal.add_working_days(thursday, 1), d(2026, 4, 10));
        assert_eq!(cal.add_working_days(thursday, 2), d(2026, 4, 13));
    }

    #[test]
    fn r_t4_zero_days_returns_the_date_itself() {
        let cal = WorkingCalendar::builtin();
        assert_eq!(cal.add_working_days(d(2026, 4, 9), 0), d(2026, 4, 9));
        // Even a day off.
        assert_eq!(cal.add_working_days(d(2026, 3, 21), 0), d(2026, 3, 21));
    }

    #[test]
    fn r_t4_nth_working_day_after_a_weekend() {
        let cal = WorkingCalendar::builtin();
        // Saturday 11 April 2026: Monday 13 is the first working day after it, Friday 17 the fifth.
        assert_eq!(cal.add_working_days(d(2026, 4, 11), 1), d(2026, 4, 13));
        assert_eq!(cal.add_working_days(d(2026, 4, 12), 1), d(2026, 4, 13));
        assert_eq!(cal.add_working_days(d(2026, 4, 11), 5), d(2026, 4, 17));
        // Sunday 22 March 2026 (Nauryz): first working day is Thursday 26.
        assert_eq!(cal.add_working_days(d(2026, 3, 22), 1), d(2026, 3, 26));
    }

    #[test]
    fn r_t4_crosses_new_year() {
        let cal = WorkingCalendar::builtin();
        // Thursday 30 December 2021: 31 Fri = 1; 1-2 Jan weekend holidays, 3-4 Jan transferred; 5 Wed = 2,
        // 6 Thu = 3, 7 Fri Christmas off, 10 Mon = 4.
        assert_eq!(cal.add_working_days(d(2021, 12, 30), 1), d(2021, 12, 31));
        assert_eq!(cal.add_working_days(d(2021, 12, 30), 2), d(2022, 1, 5));
        assert_eq!(cal.add_working_days(d(2021, 12, 30), 4), d(2022, 1, 10));
    }

    #[test]
    fn r_t4_add_working_days_against_oracle_for_every_day_2020_2035() {
        let cal = WorkingCalendar::builtin();
        let off = oracle_days_off(&BTreeMap::new(), 2020, 2036);
        for start in days(d(2020, 1, 1), d(2035, 12, 31)) {
            let mut previous = start;
            assert_eq!(cal.add_working_days(start, 0), start);
            for n in 1..=25 {
                let got = cal.add_working_days(start, n);
                // Strictly increasing in n, and exactly one working day in (previous, got]: got itself.
                assert!(got > previous, "{start} + {n}");
                assert!(!off.contains(&got), "{start} + {n} = {got} is a day off");
                assert!(days(previous.succ_opt().unwrap(), got.pred_opt().unwrap())
                    .all(|day| off.contains(&day)));
                previous = got;
            }
        }
    }

    #[test]
    fn r_t3_answers_do_not_depend_on_query_order() {
        let forward = WorkingCalendar::builtin();
        let backward = WorkingCalendar::builtin();
        let all: Vec<NaiveDate> = days(d(2027, 12, 1), d(2029, 1, 31)).collect();
        let a: Vec<DayReason> = all.iter().map(|day| forward.reason(*day)).collect();
        let b: Vec<DayReason> = all.iter().rev().map(|day| backward.reason(*day)).collect();
        assert_eq!(a, b.into_iter().rev().collect::<Vec<_>>());
    }

    fn declared_strategy() -> impl Strategy<Value = Vec<(NaiveDate, DayKind)>> {
        let day = (0u64..500).prop_map(|offset| d(2025, 11, 1) + chrono::Days::new(offset));
        let kind = prop_oneof![Just(DayKind::Holiday), Just(DayKind::Workday)];
        proptest::collection::vec((day, kind), 0..60)
    }

    proptest! {
        #[test]
        fn r_t3_random_declarations_match_the_oracle(declared in declared_strategy()) {
            let cal = WorkingCalendar::new(declared.iter().map(|&(date, kind)| (date, kind, "объявлен".to_string())));
            let map: BTreeMap<NaiveDate, DayKind> = declared.iter().copied().collect();
            let off = oracle_days_off(&map, 2025, 2027);
            for day in days(d(2025, 1, 1), d(2027, 12, 31)) {
                prop_assert_eq!(cal.is_working_day(day), !off.contains(&day), "{}", day);
                prop_assert_eq!(cal.reason(day).is_working(), !off.contains(&day), "{}", day);
            }
        }

        #[test]
        fn r_t4_random_declarations_never_land_on_a_day_off(
            declared in declared_strategy(),
            start in (0u64..800).prop_map(|offset| d(2025, 6, 1) + chrono::Days::new(offset)),
            n in 1u32..40,
        ) {
            let cal = WorkingCalendar::new(declared.iter().map(|&(date, kind)| (date, kind, "объявлен".to_string())));
            let got = cal.add_working_days(start, n);
            prop_assert!(got > start);
            prop_assert!(cal.is_working_day(got));
            prop_assert!(cal.reason(got).is_working());
            let counted = days(start.succ_opt().unwrap(), got).filter(|day| cal.is_working_day(*day)).count();
            prop_assert_eq!(counted, n as usize);
            prop_assert!(cal.add_working_days(start, n + 1) > got);
        }
    }
}
