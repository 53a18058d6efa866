//! The messages families receive (SPEC §8 outbox), in the application's language. They name the application
//! number and what happened, never the child's IIN.

use serde::Serialize;

use super::application::Language;
use super::sweep::AfterExpiry;

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
        }
    }
}

/// Subject and body of a message; `detail` is the fact that changes (a date, a place, a reason).
pub fn message(kind: NoticeKind, lang: Language, number: &str, detail: &str) -> (String, String) {
    let (subject, body) = match lang {
        Language::Ru => match kind {
            NoticeKind::Registered => ("Заявление принято", format!("Заявление {number} поставлено на очередь. {detail}")),
            NoticeKind::TurnCame => (
                "Подошла очередь",
                format!("По заявлению {number} подошла очередь: выберите место {detail} на портале или в отделе образования."),
            ),
            NoticeKind::WindowClosed => (
                "Окно выбора закрыто",
                format!("По заявлению {number} место не выбрано до {detail}; заявление снова в очереди на прежнем месте."),
            ),
            NoticeKind::DirectionIssued => ("Выдано направление", format!("По заявлению {number} выдано направление {detail}.")),
            NoticeKind::Extended => ("Направление продлено", format!("Направление по заявлению {number} продлено {detail}.")),
            NoticeKind::Revoked => ("Направление отозвано", format!("Направление по заявлению {number} отозвано по вашему заявлению; очередь сохранена. {detail}")),
            NoticeKind::Annulled => ("Направление аннулировано", format!("Направление по заявлению {number} аннулировано: {detail}. Очередь сохранена.")),
            NoticeKind::Expired => ("Срок направления истёк", format!("Срок направления по заявлению {number} истёк: {detail}.")),
            NoticeKind::Removed => ("Снято с очереди", format!("Заявление {number} снято с очереди: {detail}.")),
            NoticeKind::Enrolled => ("Ребёнок зачислен", format!("По заявлению {number} ребёнок зачислен {detail}. Услуга оказана.")),
        },
        Language::Kk => match kind {
            NoticeKind::Registered => ("Өтініш қабылданды", format!("{number} өтініші кезекке қойылды. {detail}")),
            NoticeKind::TurnCame => (
                "Кезек келді",
                format!("{number} өтініші бойынша кезек келді: порталда немесе білім бөлімінде орынды таңдаңыз {detail}."),
            ),
            NoticeKind::WindowClosed => (
                "Таңдау терезесі жабылды",
                format!("{number} өтініші бойынша орын {detail} дейін таңдалмады; өтініш кезектегі бұрынғы орнында."),
            ),
            NoticeKind::DirectionIssued => ("Жолдама берілді", format!("{number} өтініші бойынша жолдама берілді {detail}.")),
            NoticeKind::Extended => ("Жолдама ұзартылды", format!("{number} өтініші бойынша жолдама ұзартылды {detail}.")),
            NoticeKind::Revoked => ("Жолдама кері қайтарылды", format!("{number} өтініші бойынша жолдама сіздің өтінішіңіз бойынша қайтарылды; кезек сақталды. {detail}")),
            NoticeKind::Annulled => ("Жолдама жойылды", format!("{number} өтініші бойынша жолдама жойылды: {detail}. Кезек сақталды.")),
            NoticeKind::Expired => ("Жолдаманың мерзімі өтті", format!("{number} өтініші бойынша жолдаманың мерзімі өтті: {detail}.")),
            NoticeKind::Removed => ("Кезектен шығарылды", format!("{number} өтініші кезектен шығарылды: {detail}.")),
            NoticeKind::Enrolled => ("Бала қабылданды", format!("{number} өтініші бойынша бала қабылданды {detail}. Қызмет көрсетілді.")),
        },
    };
    (subject.to_string(), body.trim_end().to_string())
}

/// The detail of the one notice a family gets when its direction expires (R-S2, R-S5): the direction is closed
/// and what follows for the application, the stop list and its last day or the removal, in one message rather
/// than one per fact.
pub fn expiry_detail(
    lang: Language,
    direction: &str,
    after: AfterExpiry,
    expired_count: u32,
) -> String {
    match (lang, after) {
        (Language::Ru, AfterExpiry::StopListed { until }) => format!(
            "направление {direction} закрыто; заявление в стоп-листе до {} включительно, затем снова в очереди на прежнем месте",
            until.format("%d.%m.%Y")
        ),
        (Language::Ru, AfterExpiry::Removed) => format!(
            "направление {direction} закрыто; заявление снято с очереди (истёкших направлений: {expired_count})"
        ),
        (Language::Kk, AfterExpiry::StopListed { until }) => format!(
            "{direction} жолдамасы жабылды; өтініш {} қоса алғанда стоп-парақта, содан кейін кезектегі бұрынғы орнында",
            until.format("%d.%m.%Y")
        ),
        (Language::Kk, AfterExpiry::Removed) => format!(
            "{direction} жолдамасы жабылды; өтініш кезектен шығарылды (мерзімі өткен жолдамалар: {expired_count})"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_number_in_the_family_language() {
        let (s, b) = message(
            NoticeKind::TurnCame,
            Language::Kk,
            "DDO.2026.000001.1",
            "20:00 дейін",
        );
        assert_eq!(s, "Кезек келді");
        assert!(b.contains("DDO.2026.000001.1"));
        let (s, _) = message(NoticeKind::TurnCame, Language::Ru, "DDO.2026.000001.1", "");
        assert_eq!(s, "Подошла очередь");
    }

    #[test]
    fn r_s5_an_expiry_is_one_notice_naming_what_follows() {
        let until = chrono::NaiveDate::from_ymd_opt(2026, 4, 9).unwrap();
        let stop = AfterExpiry::StopListed { until };
        let ru = expiry_detail(Language::Ru, "NAP.2026.000001", stop, 1);
        assert!(
            ru.contains("NAP.2026.000001") && ru.contains("стоп-листе до 09.04.2026"),
            "{ru}"
        );
        let kk = expiry_detail(Language::Kk, "NAP.2026.000001", stop, 1);
        assert!(
            kk.contains("09.04.2026") && kk.contains("стоп-парақта"),
            "{kk}"
        );
        let gone = expiry_detail(Language::Ru, "NAP.2026.000001", AfterExpiry::Removed, 2);
        assert!(
            gone.contains("снято с очереди")
                && gone.contains("направлений: 2)")
                && !gone.contains("стоп"),
            "{gone}"
        );
        let (subject, body) = message(NoticeKind::Expired, Language::Kk, "DDO.2026.000001.1", &kk);
        assert_eq!(subject, "Жолдаманың мерзімі өтті");
        assert!(
            body.contains("DDO.2026.000001.1") && body.contains(&kk),
            "{body}"
        );
    }
}
