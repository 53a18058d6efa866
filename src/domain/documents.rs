//! Printable documents in the family's language (R-L1): the registration notice (извещение о постановке на
//! очередь), the child card (карточка ребёнка), the direction and the notice of completed service. Plain text,
//! one field a line, ready for a printer or an e-mail; every value in words of the document's language.

use chrono::NaiveDate;

use super::application::ApplicationView;
use super::iin::mask;
use super::notify::word;
use super::time::Now;
use crate::lang::Lang;

/// Label `id` of a document (`doc-...` in `locales/*/family.ftl`).
fn label(lang: Lang, id: &str) -> String {
    crate::lang::text(lang, id, &[])
}

/// `2026-03-16T10:00:00+05:00` as `16.03.2026 10:00`.
fn moment(text: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| text.to_string())
}

fn date(text: &str) -> String {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| text.to_string())
}

fn line(out: &mut String, label: &str, value: impl std::fmt::Display) {
    out.push_str(&format!("{label}: {value}\n"));
}

fn common(
    out: &mut String,
    app: &ApplicationView,
    title: Option<&str>,
    lang: Lang,
    full_iin: bool,
) {
    line(out, &label(lang, "doc-number"), &app.number);
    line(
        out,
        &label(lang, "doc-registered"),
        moment(&app.registered_at),
    );
    let iin = if full_iin {
        app.child_iin.clone()
    } else {
        mask(&app.child_iin)
    };
    line(
        out,
        &label(lang, "doc-child"),
        format!(
            "{}, {} {iin}, {} {}",
            app.child_name,
            label(lang, "doc-iin"),
            label(lang, "doc-born"),
            date(&app.child_birth_date)
        ),
    );
    line(out, &label(lang, "doc-applicant"), &app.applicant_name);
    line(
        out,
        &label(lang, "doc-queue-type"),
        word(lang, "queue", &app.queue_type),
    );
    line(out, &label(lang, "doc-group-year"), app.group_year);
    line(
        out,
        &label(lang, "doc-language"),
        word(lang, "instruction", &app.language),
    );
    line(out, &label(lang, "doc-district"), &app.district);
    let class = word(lang, "class", &app.priority_class);
    match (&app.category, title) {
        (Some(_), Some(title)) => line(
            out,
            &label(lang, "doc-category"),
            format!("{title} ({class})"),
        ),
        (Some(_), None) => line(out, &label(lang, "doc-category"), class),
        (None, _) => line(
            out,
            &label(lang, "doc-category"),
            label(lang, "doc-category-none"),
        ),
    }
    match app.queue_position {
        Some(p) => line(out, &label(lang, "doc-position"), p),
        None => line(
            out,
            &label(lang, "doc-position"),
            label(lang, "doc-not-waiting"),
        ),
    }
    if let Some(c) = app.class_position.filter(|c| *c > 0) {
        line(out, &label(lang, "doc-class-position"), c);
    }
}

/// The registration notice given to the applicant. `title` is the benefit category's name in `lang`.
/// The receipt of the public log printed under a registration notice (R-V4): the event's seq and its record's
/// leaf hash, and how anyone checks them against a published checkpoint.
pub fn receipt(lang: Lang, seq: i64, leaf: &str) -> String {
    format!(
        "\n{}\n",
        crate::tr_in!(lang, "receipt", seq = seq, leaf = leaf.to_string())
    )
}

pub fn registration_notice(
    app: &ApplicationView,
    title: Option<&str>,
    lang: Lang,
    now: &Now,
) -> String {
    let mut out = format!("{}\n\n", label(lang, "doc-notice-title"));
    common(&mut out, app, title, lang, false);
    out.push('\n');
    out.push_str(&label(lang, "doc-footer"));
    out.push('\n');
    line(
        &mut out,
        &label(lang, "doc-issued"),
        now.today().format("%d.%m.%Y"),
    );
    out
}

/// The child card kept by the education department: everything about one application.
pub fn child_card(app: &ApplicationView, title: Option<&str>, lang: Lang, now: &Now) -> String {
    let mut out = format!("{}\n\n", label(lang, "doc-card-title"));
    common(&mut out, app, title, lang, true);
    line(
        &mut out,
        &label(lang, "doc-status"),
        word(lang, "status", &app.status),
    );
    line(
        &mut out,
        &label(lang, "doc-contacts"),
        format!("{}, {}", app.phone, app.email),
    );
    line(
        &mut out,
        &label(lang, "doc-consent"),
        format!(
            "{}, {}",
            word(lang, "consent", &app.consent),
            date(&app.consent_date)
        ),
    );
    if app.docs.is_empty() {
        line(&mut out, &label(lang, "doc-documents"), "—");
    } else {
        out.push_str(&format!("{}:\n", label(lang, "doc-documents")));
        for d in &app.docs {
            out.push_str(&format!(
                "  - {} № {} {}\n",
                word(lang, "doc", &d.kind),
                d.number,
                d.issue_date.format("%d.%m.%Y")
            ));
        }
    }
    line(&mut out, &label(lang, "doc-expired"), app.expired_count);
    if let Some(until) = &app.stop_list_until {
        line(&mut out, &label(lang, "doc-stop-list"), date(until));
    }
    if let Some(reason) = &app.removed_reason {
        line(
            &mut out,
            &label(lang, "doc-removed"),
            word(lang, "reason", reason),
        );
    }
    line(
        &mut out,
        &label(lang, "doc-issued"),
        now.today().format("%d.%m.%Y"),
    );
    out
}

/// What the printable direction and the service notice say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectionFacts {
    pub number: String,
    pub application: String,
    pub child_name: String,
    pub child_birth_date: String,
    pub org: String,
    pub org_name: String,
    pub place_id: i64,
    pub issued_at: String,
    pub valid_until: String,
    pub status: String,
    pub closed_at: Option<String>,
}

/// The printable direction (направление / жолдама); the signed text and signature follow it.
pub fn direction(d: &DirectionFacts, lang: Lang) -> String {
    let mut out = format!("{}\n\n", label(lang, "doc-direction-title"));
    line(&mut out, &label(lang, "doc-direction-number"), &d.number);
    line(&mut out, &label(lang, "doc-number"), &d.application);
    line(
        &mut out,
        &label(lang, "doc-child"),
        format!("{}, {}", d.child_name, date(&d.child_birth_date)),
    );
    line(
        &mut out,
        &label(lang, "doc-org"),
        format!("{} ({})", d.org_name, d.org),
    );
    line(&mut out, &label(lang, "doc-place"), d.place_id);
    line(&mut out, &label(lang, "doc-issued"), moment(&d.issued_at));
    line(
        &mut out,
        &label(lang, "doc-valid-until"),
        date(&d.valid_until),
    );
    line(
        &mut out,
        &label(lang, "doc-status"),
        word(lang, "direction-status", &d.status),
    );
    out
}

/// The notice of completed service (уведомление об оказании государственной услуги), at enrollment.
pub fn service_notice(d: &DirectionFacts, lang: Lang, now: &Now) -> String {
    let mut out = format!(
        "{}\n\n{}\n\n",
        label(lang, "doc-service-title"),
        label(lang, "doc-service-body")
    );
    line(&mut out, &label(lang, "doc-number"), &d.application);
    line(&mut out, &label(lang, "doc-direction-number"), &d.number);
    line(
        &mut out,
        &label(lang, "doc-child"),
        format!("{}, {}", d.child_name, date(&d.child_birth_date)),
    );
    line(
        &mut out,
        &label(lang, "doc-org"),
        format!("{} ({})", d.org_name, d.org),
    );
    line(
        &mut out,
        &label(lang, "doc-enrolled-on"),
        d.closed_at.as_deref().map(moment).unwrap_or_default(),
    );
    line(
        &mut out,
        &label(lang, "doc-issued"),
        now.today().format("%d.%m.%Y"),
    );
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::domain::application::Document;
    use crate::domain::notify::{message, samples};

    const FAMILY: [(Lang, &str); 3] = [
        (Lang::En, include_str!("../../locales/en/family.ftl")),
        (Lang::Ru, include_str!("../../locales/ru/family.ftl")),
        (Lang::Kk, include_str!("../../locales/kk/family.ftl")),
    ];

    /// The words of a catalog's texts (not its ids, comments or arguments), in lower case.
    fn words(ftl: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for line in ftl.lines().filter(|l| !l.trim_start().starts_with('#')) {
            let text = match line.split_once(" = ") {
                Some((id, text)) if !id.starts_with(' ') => text,
                _ if line.starts_with(' ') => line,
                _ => continue,
            };
            let mut plain = String::new();
            let mut depth = 0;
            for c in text.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ if depth == 0 => plain.push(c),
                    _ => {}
                }
            }
            out.extend(tokens(&plain));
        }
        out
    }

    fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
        text.split(|c: char| !c.is_alphabetic() && c != '-')
            .map(|w| w.trim_matches('-').to_lowercase())
            .filter(|w| w.chars().count() > 1)
    }

    /// What a family text may hold in Latin letters: numbers of applications and directions, organization
    /// codes, e-mail addresses and the verifier's command.
    fn strip_allowed(text: &str) -> String {
        text.split_whitespace()
            .filter(|w| {
                let w = w.trim_matches(|c: char| ",.;:()«»“”".contains(c));
                !(w.starts_with("DDO.")
                    || w.starts_with("NAP.")
                    || w.starts_with("DS-")
                    || w.contains('@')
                    || w == "kezek_verify.py"
                    || w == "--receipt"
                    || w.chars().all(|c| c.is_ascii_hexdigit() || c == ':')
                    || w.starts_with("DDO.2026"))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn sample_view() -> ApplicationView {
        ApplicationView {
            number: "DDO.2026.000001.1".into(),
            status: "removed".into(),
            queue_type: "sanatorium".into(),
            group_year: 2022,
            priority_class: "first_priority".into(),
            category: Some("large_family".into()),
            queue_position: None,
            class_position: Some(3),
            registered_at: "2026-03-16T10:00:00+05:00".into(),
            expired_count: 2,
            stop_list_until: Some("2026-04-09".into()),
            removed_reason: Some("expired_twice".into()),
            child_iin: "230401500129".into(),
            child_name: "Нурланова Айша".into(),
            child_birth_date: "2023-04-01".into(),
            applicant_iin: "900505400123".into(),
            applicant_name: "Нурланова Айгерим".into(),
            phone: "+77011234567".into(),
            email: "parent1@example.kz".into(),
            district: "Алмалинский".into(),
            language: "kk".into(),
            docs: vec![
                Document {
                    kind: "large_family_certificate".into(),
                    number: "12".into(),
                    issue_date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                },
                Document {
                    kind: "medical_conclusion".into(),
                    number: "5".into(),
                    issue_date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                },
                Document {
                    kind: "passport_of_another_city".into(),
                    number: "7".into(),
                    issue_date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                },
            ],
            consent: "egov".into(),
            consent_date: "2026-03-16".into(),
            preferences: vec![],
            sibling_group: None,
            transfer: false,
        }
    }

    /// Every text a family can receive, in `lang`.
    fn family_texts(lang: Lang) -> Vec<String> {
        let now = Now::new(Some("2026-03-16T10:00"), chrono::Utc::now()).unwrap();
        let mut view = sample_view();
        let mut out = Vec::new();
        for fact in samples() {
            let (subject, body) = message(&fact, lang, "DDO.2026.000001.1");
            out.push(subject);
            out.push(body);
        }
        for status in [
            "queued",
            "notified",
            "stop_listed",
            "directed",
            "enrolled",
            "removed",
        ] {
            view.status = status.into();
            out.push(child_card(&view, Some("Балапан"), lang, &now));
        }
        for queue in ["general", "sanatorium"] {
            view.queue_type = queue.into();
            for class in ["out_of_turn", "first_priority", "general"] {
                view.priority_class = class.into();
                out.push(registration_notice(&view, None, lang, &now));
            }
        }
        for reason in [
            "expired_twice",
            "age_limit",
            "private_direction",
            "withdrawn",
        ] {
            view.removed_reason = Some(reason.into());
            view.consent = "written".into();
            view.language = "ru".into();
            out.push(child_card(&view, None, lang, &now));
        }
        let facts = DirectionFacts {
            number: "NAP.2026.000001".into(),
            application: "DDO.2026.000001.1".into(),
            child_name: "Нурланова Айша".into(),
            child_birth_date: "2023-04-01".into(),
            org: "DS-001".into(),
            org_name: "Балапан".into(),
            place_id: 3,
            issued_at: "2026-03-16T10:00:00+05:00".into(),
            valid_until: "2026-03-26".into(),
            status: "issued".into(),
            closed_at: Some("2026-03-20T10:00:00+05:00".into()),
        };
        for status in ["issued", "enrolled", "revoked", "annulled", "expired"] {
            let facts = DirectionFacts {
                status: status.into(),
                ..facts.clone()
            };
            out.push(direction(&facts, lang));
        }
        out.push(service_notice(&facts, lang, &now));
        out.push(receipt(lang, 12, &"ab12".repeat(16)));
        out
    }

    /// R-L1: a text to a family is in one language: no word that only another language's catalog uses, no
    /// letter of Kazakh in Russian, and no code (`private_direction`, `general`, `egov`, `military_id`).
    #[test]
    fn r_l1_family_texts_hold_no_word_of_another_language_and_no_raw_code() {
        let catalogs: Vec<(Lang, BTreeSet<String>)> =
            FAMILY.iter().map(|(l, ftl)| (*l, words(ftl))).collect();
        for (lang, own) in &catalogs {
            let foreign: BTreeSet<&String> = catalogs
                .iter()
                .filter(|(l, _)| l != lang)
                .flat_map(|(_, w)| w.iter())
                .filter(|w| !own.contains(*w))
                .collect();
            for text in family_texts(*lang) {
                let latin = strip_allowed(&text);
                if *lang != Lang::En {
                    assert!(
                        !latin.chars().any(|c| c.is_ascii_alphabetic()),
                        "{lang:?}: a word in Latin letters (a code?) in:\n{text}"
                    );
                }
                if *lang == Lang::Ru {
                    assert!(
                        !text.chars().any(|c| "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c)),
                        "Ru: a Kazakh letter in:\n{text}"
                    );
                }
                for word in tokens(&text) {
                    assert!(
                        !foreign.contains(&word),
                        "{lang:?}: '{word}' is another language's word, in:\n{text}"
                    );
                }
            }
        }
    }

    /// R-L1: the words the Russian and Kazakh catalogs share are the few the two languages share (a Russian word
    /// slipped into the Kazakh catalog would otherwise count as Kazakh).
    #[test]
    fn r_l1_the_russian_and_kazakh_catalogs_share_only_common_words() {
        // The verifier's command, and its placeholder, a word of both languages.
        const SHARED: [&str; 5] = ["kezek", "verify", "py", "receipt", "каталог"];
        let ru = words(FAMILY[1].1);
        let kk = words(FAMILY[2].1);
        let both: Vec<&String> = ru
            .intersection(&kk)
            .filter(|w| !SHARED.contains(&w.as_str()))
            .collect();
        assert!(both.is_empty(), "words in both catalogs: {both:?}");
    }

    /// R-L1: every language's family catalog holds the same messages.
    #[test]
    fn r_l1_every_family_message_exists_in_every_language() {
        let ids = |ftl: &str| -> BTreeSet<String> {
            ftl.lines()
                .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
                .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
                .collect()
        };
        let en = ids(FAMILY[0].1);
        assert!(en.len() > 60, "{en:?}");
        for (lang, ftl) in &FAMILY[1..] {
            assert_eq!(ids(ftl), en, "{lang:?}");
        }
    }
}
