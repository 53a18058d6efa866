//! The numbers a city may decide differently (SPEC §2a): their keys, defaults, the rules they feed and the values
//! they accept. The store keeps them as text; `Settings` is their typed, validated form.

use chrono::NaiveTime;

use crate::error::{Error, Result};
use crate::tr;

/// One setting: its key, default, the rule it feeds and what it means.
pub struct SettingDef {
    pub key: &'static str,
    pub default: &'static str,
    pub rule: &'static str,
    pub about: &'static str,
    kind: ValueKind,
}

enum ValueKind {
    /// A whole number within the inclusive range.
    Count { min: i64, max: i64 },
    /// A daily window `HH:MM-HH:MM`, start before end.
    Window,
    /// One of these words.
    Choice(&'static [&'static str]),
}

pub const SETTINGS: &[SettingDef] = &[
    SettingDef {
        key: "max_age_years",
        default: "7",
        rule: "R-Q5, R-S4",
        about:
            "a child must be younger than this on registration; reaching it removes the application",
        kind: ValueKind::Count { min: 1, max: 18 },
    },
    SettingDef {
        key: "general_per_first_priority",
        default: "3",
        rule: "R-Q2",
        about: "general applications offered for each first-priority one",
        kind: ValueKind::Count { min: 1, max: 100 },
    },
    SettingDef {
        key: "offer_window",
        default: "09:00-20:00",
        rule: "R-P3",
        about: "the local hours of the day during which a notified family may take a place",
        kind: ValueKind::Window,
    },
    SettingDef {
        key: "direction_valid_working_days",
        default: "5",
        rule: "R-D1",
        about: "a direction is valid to the end of this working day after its issue date",
        kind: ValueKind::Count { min: 1, max: 60 },
    },
    SettingDef {
        key: "stop_list_working_days",
        default: "10",
        rule: "R-S2",
        about: "working days on the stop list after an expired direction's last valid day",
        kind: ValueKind::Count { min: 0, max: 250 },
    },
    SettingDef {
        key: "max_expirations",
        default: "2",
        rule: "R-S2",
        about: "expired directions after which the application is removed",
        kind: ValueKind::Count { min: 1, max: 10 },
    },
    SettingDef {
        key: "extension_max_days",
        default: "30",
        rule: "R-D6",
        about: "the longest extension of a direction, in calendar days",
        kind: ValueKind::Count { min: 1, max: 365 },
    },
    SettingDef {
        key: "revocation_hours",
        default: "24",
        rule: "R-D7",
        about: "hours after issue during which the applicant may revoke a direction",
        kind: ValueKind::Count { min: 1, max: 720 },
    },
    SettingDef {
        key: "benefit_doc_max_age_days",
        default: "10",
        rule: "R-D8",
        about: "how many calendar days before the direction a benefit document may be dated",
        kind: ValueKind::Count { min: 0, max: 365 },
    },
    SettingDef {
        key: "private_min_age_years",
        default: "3",
        rule: "R-D4",
        about: "the youngest age, in full years, for a private (state-order) place",
        kind: ValueKind::Count { min: 0, max: 7 },
    },
    SettingDef {
        key: "min_age_years",
        default: "2",
        rule: "R-C6",
        about: "the youngest age, in full years, for any direction or offer",
        kind: ValueKind::Count { min: 0, max: 7 },
    },
    SettingDef {
        key: "max_preferences",
        default: "4",
        rule: "R-C1",
        about: "how many organizations an application may rank",
        kind: ValueKind::Count { min: 1, max: 20 },
    },
    SettingDef {
        key: "allocation",
        default: "offer",
        rule: "R-C2",
        about: "the round the city runs: offer (the head of the queue picks) or preferences (kezek allocate)",
        kind: ValueKind::Choice(&["offer", "preferences"]),
    },
    SettingDef {
        key: "benefit_confirm_working_days",
        default: "5",
        rule: "R-I1",
        about: "working days after its issue within which a benefit direction's benefit must be confirmed",
        kind: ValueKind::Count { min: 1, max: 60 },
    },
    SettingDef {
        key: "benefit_doc_valid_days",
        default: "30",
        rule: "R-I1",
        about: "how many calendar days before the confirmation a benefit document may be dated",
        kind: ValueKind::Count { min: 1, max: 365 },
    },
    SettingDef {
        key: "backdate_minutes",
        default: "10",
        rule: "R-V5, R-I4",
        about: "how far before its recording a registration's time may lie",
        kind: ValueKind::Count { min: 0, max: 1440 },
    },
];

/// The definition of a key, or a usage error listing the known keys.
pub fn definition(key: &str) -> Result<&'static SettingDef> {
    SETTINGS.iter().find(|d| d.key == key).ok_or_else(|| {
        let known: Vec<&str> = SETTINGS.iter().map(|d| d.key).collect();
        Error::usage(tr!(
            "err-settings-unknown",
            key = key.to_string(),
            known = known.join(", ")
        ))
    })
}

impl SettingDef {
    /// Checks a value for this key and returns its normal form (what is stored).
    pub fn normalize(&self, value: &str) -> Result<String> {
        let value = value.trim();
        match self.kind {
            ValueKind::Count { min, max } => match value.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
                _ => Err(Error::bad(tr!(
                    "err-settings-range",
                    key = self.key,
                    value = value.to_string(),
                    min = min,
                    max = max
                ))),
            },
            ValueKind::Window => {
                let (start, end) = parse_window(value).ok_or_else(|| {
                    Error::bad(tr!(
                        "err-settings-window",
                        key = self.key,
                        value = value.to_string()
                    ))
                })?;
                Ok(format!("{}-{}", start.format("%H:%M"), end.format("%H:%M")))
            }
            ValueKind::Choice(words) => match words.iter().find(|w| **w == value) {
                Some(word) => Ok(word.to_string()),
                None => Err(Error::bad(tr!(
                    "err-settings-choice",
                    key = self.key,
                    value = value.to_string(),
                    words = words.join(", ")
                ))),
            },
        }
    }
}

fn parse_window(value: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (a, b) = value.split_once('-')?;
    let start = NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?;
    let end = NaiveTime::parse_from_str(b.trim(), "%H:%M").ok()?;
    (start < end).then_some((start, end))
}

/// The settings in typed form, as the rules use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub max_age_years: u32,
    pub general_per_first_priority: u32,
    pub offer_window: (NaiveTime, NaiveTime),
    pub direction_valid_working_days: u32,
    pub stop_list_working_days: u32,
    pub max_expirations: u32,
    pub extension_max_days: u32,
    pub revocation_hours: u32,
    pub benefit_doc_max_age_days: u32,
    pub private_min_age_years: u32,
    pub min_age_years: u32,
    pub max_preferences: u32,
    /// R-C2: the city allocates by preferences (`kezek allocate`) rather than by the offer round.
    pub allocation_by_preferences: bool,
    pub backdate_minutes: u32,
    pub benefit_confirm_working_days: u32,
    pub benefit_doc_valid_days: u32,
}

impl Settings {
    /// Builds the typed settings from stored `(key, value)` pairs; a missing key takes its default.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Settings> {
        let mut values: Vec<(&str, String)> = SETTINGS
            .iter()
            .map(|d| (d.key, d.default.to_string()))
            .collect();
        for (key, value) in pairs {
            let def = definition(key)?;
            let normal = def.normalize(value)?;
            if let Some(slot) = values.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = normal;
            }
        }
        let get =
            |key: &str| -> &str { &values.iter().find(|(k, _)| *k == key).expect("known key").1 };
        let count = |key: &str| -> u32 { get(key).parse().expect("normalized count") };
        Ok(Settings {
            max_age_years: count("max_age_years"),
            general_per_first_priority: count("general_per_first_priority"),
            offer_window: parse_window(get("offer_window")).expect("normalized window"),
            direction_valid_working_days: count("direction_valid_working_days"),
            stop_list_working_days: count("stop_list_working_days"),
            max_expirations: count("max_expirations"),
            extension_max_days: count("extension_max_days"),
            revocation_hours: count("revocation_hours"),
            benefit_doc_max_age_days: count("benefit_doc_max_age_days"),
            private_min_age_years: count("private_min_age_years"),
            min_age_years: count("min_age_years"),
            max_preferences: count("max_preferences"),
            allocation_by_preferences: get("allocation") == "preferences",
            backdate_minutes: count("backdate_minutes"),
            benefit_confirm_working_days: count("benefit_confirm_working_days"),
            benefit_doc_valid_days: count("benefit_doc_valid_days"),
        })
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_pairs([]).expect("defaults are valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_spec_defaults() {
        let s = Settings::default();
        assert_eq!(s.max_age_years, 7);
        assert_eq!(s.general_per_first_priority, 3);
        assert_eq!(s.offer_window.0.format("%H:%M").to_string(), "09:00");
        assert_eq!(s.offer_window.1.format("%H:%M").to_string(), "20:00");
        assert_eq!(s.direction_valid_working_days, 5);
        assert_eq!(s.stop_list_working_days, 10);
        assert_eq!(s.max_expirations, 2);
        assert_eq!(s.extension_max_days, 30);
        assert_eq!(s.revocation_hours, 24);
        assert_eq!(s.benefit_doc_max_age_days, 10);
        assert_eq!(s.private_min_age_years, 3);
    }

    #[test]
    fn every_default_is_valid_for_its_key() {
        for d in SETTINGS {
            assert_eq!(d.normalize(d.default).unwrap(), d.default, "{}", d.key);
        }
    }

    #[test]
    fn unknown_key_is_a_usage_error_listing_the_keys() {
        let err = definition("max_age").map(|_| ()).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("max_age_years"), "{err}");
    }

    #[test]
    fn out_of_range_values_name_the_key_and_range() {
        let d = definition("general_per_first_priority").unwrap();
        let err = d.normalize("0").unwrap_err();
        assert_eq!(err.exit_code(), 65);
        assert!(
            err.to_string().contains("general_per_first_priority"),
            "{err}"
        );
        assert!(err.to_string().contains("from 1 to 100"), "{err}");
        assert!(d.normalize("three").is_err());
        assert_eq!(d.normalize(" 4 ").unwrap(), "4");
    }

    #[test]
    fn offer_window_needs_start_before_end() {
        let d = definition("offer_window").unwrap();
        assert_eq!(d.normalize("8:00-18:30").unwrap(), "08:00-18:30");
        assert!(d.normalize("20:00-09:00").is_err());
        assert!(d.normalize("09:00").is_err());
        assert!(d.normalize("25:00-26:00").is_err());
    }

    #[test]
    fn stored_values_override_defaults() {
        let s = Settings::from_pairs([("general_per_first_priority", "5")]).unwrap();
        assert_eq!(s.general_per_first_priority, 5);
        assert_eq!(s.max_age_years, 7);
    }
}
