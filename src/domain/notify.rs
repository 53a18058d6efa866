//! The messages families receive (SPEC §8 outbox), in the family's language and in no other (R-L1): each is made
//! from the facts of what happened, every value in words of that language (`locales/*/family.ftl`). They name
//! the application number, never the child's IIN.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::sweep::AfterExpiry;
use crate::lang::Lang;
use crate::tr_in;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Registered,
    TurnCame,
    WindowClosed,
    DirectionIssued,
    Extended,
    Revoked,
    Annulled,
    Expired,
    Removed,
    Enrolled,
    BenefitUnconfirmed,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Registered => "registered",
            NoticeKind::TurnCame => "turn_came",
            NoticeKind::WindowClosed => "window_closed",
            NoticeKind::DirectionIssued => "direction_issued",
            NoticeKind::Extended => "extended",
            NoticeKind::Revoked => "revoked",
            NoticeKind::Annulled => "annulled",
            NoticeKind::Expired => "expired",
            NoticeKind::Removed => "removed",
            NoticeKind::Enrolled => "enrolled",
            NoticeKind::BenefitUnconfirmed => "benefit_unconfirmed",
        }
    }
}

/// What a family is told, as facts; `message` puts them in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    Registered {
        queue_type: String,
        group_year: i64,
    },
    /// The offer window is open until this local time.
    TurnCame {
        until: NaiveDateTime,
    },
    /// The offer window closed at this local time without a choice.
    WindowClosed {
        at: NaiveDateTime,
    },
    DirectionIssued {
        direction: String,
        org: String,
        org_name: String,
        until: NaiveDate,
    },
    Extended {
        until: NaiveDate,
    },
    /// At the family's request.
    Revoked,
    /// By the department; the reason it gave stays with the department (it is free text, in any language).
    Annulled,
    Expired {
        direction: String,
        after: AfterExpiry,
        expired_count: u32,
    },
    /// `reason` is the application's `removed_reason`.
    Removed {
        reason: String,
    },
    Enrolled {
        org: String,
        org_name: String,
        date: NaiveDate,
    },
    /// R-I1: the benefit was not confirmed in time: the direction is annulled, the application waits in the
    /// general class from its registration time, stop-listed until `until`.
    BenefitUnconfirmed {
        direction: String,
        until: NaiveDate,
    },
}

impl Fact {
    pub fn kind(&self) -> NoticeKind {
        match self {
            Fact::Registered { .. } => NoticeKind::Registered,
            Fact::TurnCame { .. } => NoticeKind::TurnCame,
            Fact::WindowClosed { .. } => NoticeKind::WindowClosed,
            Fact::DirectionIssued { .. } => NoticeKind::DirectionIssued,
            Fact::Extended { .. } => NoticeKind::Extended,
            Fact::Revoked => NoticeKind::Revoked,
            Fact::Annulled => NoticeKind::Annulled,
            Fact::Expired { .. } => NoticeKind::Expired,
            Fact::Removed { .. } => NoticeKind::Removed,
            Fact::Enrolled { .. } => NoticeKind::Enrolled,
            Fact::BenefitUnconfirmed { .. } => NoticeKind::BenefitUnconfirmed,
        }
    }
}

/// A date as families read it: `09.12.2026`.
pub fn day(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// A local time as families read it: `09.12.2026 18:00`.
pub fn moment(at: NaiveDateTime) -> String {
    at.format("%d.%m.%Y %H:%M").to_string()
}

/// A stored value (`queued`, `age_limit`, `military_id`) in words of `lang`: message `{prefix}-{value}`, or
/// `{prefix}-other` for a value the catalog does not know (a document kind a city added), never the code.
pub fn word(lang: Lang, prefix: &str, value: &str) -> String {
    let id = format!("{prefix}-{value}");
    if crate::lang::has(lang, &id) {
        crate::lang::text(lang, &id, &[])
    } else {
        crate::lang::text(lang, &format!("{prefix}-other"), &[])
    }
}

/// Subject and body of the message about application `number`.
pub fn message(fact: &Fact, lang: Lang, number: &str) -> (String, String) {
    let kind = fact.kind().as_str();
    let subject = crate::lang::text(lang, &format!("notice-{kind}-subject"), &[]);
    let number = number.to_string();
    let body = match fact {
        Fact::Registered {
            queue_type,
            group_year,
        } => tr_in!(
            lang,
            "notice-registered-body",
            number = number,
            queue = word(lang, "queue", queue_type),
            group_year = *group_year
        ),
        Fact::TurnCame { until } => {
            tr_in!(
                lang,
                "notice-turn_came-body",
                number = number,
                until = moment(*until)
            )
        }
        Fact::WindowClosed { at } => {
            tr_in!(
                lang,
                "notice-window_closed-body",
                number = number,
                at = moment(*at)
            )
        }
        Fact::DirectionIssued {
            direction,
            org,
            org_name,
            until,
        } => tr_in!(
            lang,
            "notice-direction_issued-body",
            number = number,
            direction = direction.clone(),
            org = org.clone(),
            org_name = org_name.clone(),
            until = day(*until)
        ),
        Fact::Extended { until } => {
            tr_in!(
                lang,
                "notice-extended-body",
                number = number,
                until = day(*until)
            )
        }
        Fact::Revoked => tr_in!(lang, "notice-revoked-body", number = number),
        Fact::Annulled => tr_in!(lang, "notice-annulled-body", number = number),
        Fact::Expired {
            direction,
            after: AfterExpiry::StopListed { until },
            ..
        } => tr_in!(
            lang,
            "notice-expired-stop_listed-body",
            number = number,
            direction = direction.clone(),
            until = day(*until)
        ),
        Fact::Expired {
            direction,
            after: AfterExpiry::Removed,
            expired_count,
        } => tr_in!(
            lang,
            "notice-expired-removed-body",
            number = number,
            direction = direction.clone(),
            count = *expired_count
        ),
        Fact::Removed { reason } => tr_in!(
            lang,
            "notice-removed-body",
            number = number,
            reason = word(lang, "reason", reason)
        ),
        Fact::Enrolled {
            org,
            org_name,
            date,
        } => tr_in!(
            lang,
            "notice-enrolled-body",
            number = number,
            org = org.clone(),
            org_name = org_name.clone(),
            date = day(*date)
        ),
        Fact::BenefitUnconfirmed { direction, until } => tr_in!(
            lang,
            "notice-benefit_unconfirmed-body",
            number = number,
            direction = direction.clone(),
            until = day(*until)
        ),
    };
    (subject, body)
}

/// Every kind of fact, with sample values: what the tests put in words in every language.
pub fn samples() -> Vec<Fact> {
    let date = NaiveDate::from_ymd_opt(2026, 12, 9).expect("a date");
    let at = date.and_hms_opt(18, 0, 0).expect("a time");
    let mut out = vec![
        Fact::Registered {
            queue_type: "general".into(),
            group_year: 2023,
        },
        Fact::Registered {
            queue_type: "sanatorium".into(),
            group_year: 2022,
        },
        Fact::TurnCame { until: at },
        Fact::WindowClosed { at },
        Fact::DirectionIssued {
            direction: "NAP.2026.000001".into(),
            org: "DS-001".into(),
            org_name: "Балапан".into(),
            until: date,
        },
        Fact::Extended { until: date },
        Fact::Revoked,
        Fact::Annulled,
        Fact::Expired {
            direction: "NAP.2026.000001".into(),
            after: AfterExpiry::StopListed { until: date },
            expired_count: 1,
        },
        Fact::Enrolled {
            org: "DS-001".into(),
            org_name: "Балапан".into(),
            date,
        },
    ];
    for count in [1, 2, 5] {
        out.push(Fact::Expired {
            direction: "NAP.2026.000001".into(),
            after: AfterExpiry::Removed,
            expired_count: count,
        });
    }
    for reason in [
        "expired_twice",
        "age_limit",
        "private_direction",
        "withdrawn",
    ] {
        out.push(Fact::Removed {
            reason: reason.into(),
        });
    }
    out.push(Fact::BenefitUnconfirmed {
        direction: "NAP.2026.000001".into(),
        until: date,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_number_in_the_family_language() {
        let until = NaiveDate::from_ymd_opt(2026, 12, 9)
            .unwrap()
            .and_hms_opt(18, 0, 0)
            .unwrap();
        let (s, b) = message(&Fact::TurnCame { until }, Lang::Kk, "DDO.2026.000001.1");
        assert_eq!(s, "Кезек келді");
        assert!(
            b.contains("DDO.2026.000001.1") && b.contains("09.12.2026 18:00 дейін"),
            "{b}"
        );
        let (s, b) = message(&Fact::TurnCame { until }, Lang::Ru, "DDO.2026.000001.1");
        assert_eq!(s, "Подошла очередь");
        assert!(b.contains("до 09.12.2026 18:00"), "{b}");
    }

    #[test]
    fn r_s5_an_expiry_is_one_notice_naming_what_follows() {
        let until = NaiveDate::from_ymd_opt(2026, 4, 9).unwrap();
        let stop = Fact::Expired {
            direction: "NAP.2026.000001".into(),
            after: AfterExpiry::StopListed { until },
            expired_count: 1,
        };
        let (_, ru) = message(&stop, Lang::Ru, "DDO.2026.000001.1");
        assert!(
            ru.contains("NAP.2026.000001") && ru.contains("в стоп-листе до 09.04.2026"),
            "{ru}"
        );
        let (subject, kk) = message(&stop, Lang::Kk, "DDO.2026.000001.1");
        assert_eq!(subject, "Жолдаманың мерзімі өтті");
        assert!(
            kk.contains("09.04.2026") && kk.contains("стоп-парақта"),
            "{kk}"
        );
        let gone = Fact::Expired {
            direction: "NAP.2026.000001".into(),
            after: AfterExpiry::Removed,
            expired_count: 2,
        };
        let (_, ru) = message(&gone, Lang::Ru, "DDO.2026.000001.1");
        assert!(
            ru.contains("снято с очереди")
                && ru.contains("истекло 2 направления")
                && !ru.contains("стоп"),
            "{ru}"
        );
    }

    #[test]
    fn r_l1_a_removal_names_its_reason_in_words() {
        let fact = Fact::Removed {
            reason: "private_direction".into(),
        };
        let (_, ru) = message(&fact, Lang::Ru, "DDO.2026.000001.1");
        assert!(
            ru.contains("частную организацию") && !ru.contains("private"),
            "{ru}"
        );
        let (_, kk) = message(&fact, Lang::Kk, "DDO.2026.000001.1");
        assert!(kk.contains("жеке ұйымға"), "{kk}");
        assert_eq!(word(Lang::Ru, "doc", "passport_of_mars"), "документ");
    }
}
