//! Printable documents in Russian and Kazakh: the registration notice (извещение о постановке на очередь) and
//! the child card (карточка ребёнка). Plain text, one field a line, ready for a printer or an e-mail.

use chrono::NaiveDate;

use super::application::{ApplicationView, Language};
use super::iin::mask;
use super::time::Now;

struct Words {
    notice_title: &'static str,
    card_title: &'static str,
    number: &'static str,
    registered: &'static str,
    child: &'static str,
    iin: &'static str,
    born: &'static str,
    applicant: &'static str,
    contacts: &'static str,
    queue_type: &'static str,
    group_year: &'static str,
    language: &'static str,
    district: &'static str,
    category: &'static str,
    none: &'static str,
    status: &'static str,
    position: &'static str,
    class_position: &'static str,
    not_waiting: &'static str,
    documents: &'static str,
    consent: &'static str,
    expired: &'static str,
    stop_list: &'static str,
    removed: &'static str,
    issued: &'static str,
    footer: &'static str,
}

const RU: Words = Words {
    notice_title: "ИЗВЕЩЕНИЕ\nо постановке на очередь в дошкольную организацию",
    card_title: "КАРТОЧКА РЕБЁНКА",
    number: "Номер заявления",
    registered: "Дата и время регистрации",
    child: "Ребёнок",
    iin: "ИИН",
    born: "дата рождения",
    applicant: "Заявитель",
    contacts: "Контакты",
    queue_type: "Тип очереди",
    group_year: "Год группы",
    language: "Язык обучения",
    district: "Район",
    category: "Льготная категория",
    none: "нет (на общих основаниях)",
    status: "Статус",
    position: "Номер в очереди",
    class_position: "Номер по льготной категории",
    not_waiting: "не в очереди",
    documents: "Документы",
    consent: "Согласие на сбор и обработку персональных данных",
    expired: "Истёкших направлений",
    stop_list: "В стоп-листе до",
    removed: "Причина снятия с очереди",
    issued: "Дата выдачи",
    footer: "Номер в очереди меняется по мере выдачи направлений и постановки на очередь льготных категорий.",
};

const KK: Words = Words {
    notice_title: "Мектепке дейінгі ұйымға кезекке қою туралы\nХАБАРЛАМА",
    card_title: "БАЛА КАРТОЧКАСЫ",
    number: "Өтініш нөмірі",
    registered: "Тіркелген күні мен уақыты",
    child: "Бала",
    iin: "ЖСН",
    born: "туған күні",
    applicant: "Өтініш беруші",
    contacts: "Байланыс",
    queue_type: "Кезек түрі",
    group_year: "Топ жылы",
    language: "Оқыту тілі",
    district: "Аудан",
    category: "Жеңілдік санаты",
    none: "жоқ (жалпы негізде)",
    status: "Мәртебесі",
    position: "Кезектегі нөмірі",
    class_position: "Жеңілдік санаты бойынша нөмірі",
    not_waiting: "кезекте емес",
    documents: "Құжаттар",
    consent: "Дербес деректерді жинауға және өңдеуге келісім",
    expired: "Мерзімі өткен жолдамалар",
    stop_list: "Стоп-парақта",
    removed: "Кезектен шығару себебі",
    issued: "Берілген күні",
    footer: "Кезектегі нөмір жолдамалар берілуіне және жеңілдік санаттарының кезекке қойылуына қарай өзгереді.",
};

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::Ru => &RU,
        Language::Kk => &KK,
    }
}

fn queue_type(value: &str, lang: Language) -> &'static str {
    match (value, lang) {
        ("sanatorium", Language::Ru) => "санаторная",
        ("sanatorium", Language::Kk) => "санаторлық",
        (_, Language::Ru) => "общая",
        (_, Language::Kk) => "жалпы",
    }
}

fn language(value: &str, lang: Language) -> &'static str {
    match (value, lang) {
        ("kk", Language::Ru) => "казахский",
        ("kk", Language::Kk) => "қазақ",
        (_, Language::Ru) => "русский",
        (_, Language::Kk) => "орыс",
    }
}

fn status(value: &str, lang: Language) -> &'static str {
    match (value, lang) {
        ("queued", Language::Ru) => "в очереди",
        ("queued", Language::Kk) => "кезекте",
        ("notified", Language::Ru) => "направлено уведомление",
        ("notified", Language::Kk) => "хабарлама жіберілді",
        ("stop_listed", Language::Ru) => "в стоп-листе",
        ("stop_listed", Language::Kk) => "стоп-парақта",
        ("directed", Language::Ru) => "выдано направление",
        ("directed", Language::Kk) => "жолдама берілді",
        ("enrolled", Language::Ru) => "зачислен (услуга оказана)",
        ("enrolled", Language::Kk) => "қабылданды (қызмет көрсетілді)",
        (_, Language::Ru) => "снят с очереди",
        (_, Language::Kk) => "кезектен шығарылды",
    }
}

fn class(value: &str, lang: Language) -> &'static str {
    match (value, lang) {
        ("out_of_turn", Language::Ru) => "внеочередное право",
        ("out_of_turn", Language::Kk) => "кезектен тыс құқық",
        ("first_priority", Language::Ru) => "первоочередное право",
        ("first_priority", Language::Kk) => "бірінші кезектегі құқық",
        (_, Language::Ru) => "на общих основаниях",
        (_, Language::Kk) => "жалпы негізде",
    }
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
    lang: Language,
    full_iin: bool,
) {
    let w = words(lang);
    line(out, w.number, &app.number);
    line(out, w.registered, moment(&app.registered_at));
    let iin = if full_iin {
        app.child_iin.clone()
    } else {
        mask(&app.child_iin)
    };
    line(
        out,
        w.child,
        format!(
            "{}, {} {iin}, {} {}",
            app.child_name,
            w.iin,
            w.born,
            date(&app.child_birth_date)
        ),
    );
    line(out, w.applicant, &app.applicant_name);
    line(out, w.queue_type, queue_type(&app.queue_type, lang));
    line(out, w.group_year, app.group_year);
    line(out, w.language, language(&app.language, lang));
    line(out, w.district, &app.district);
    match &app.category {
        Some(c) => line(
            out,
            w.category,
            format!(
                "{} ({})",
                title.unwrap_or(c),
                class(&app.priority_class, lang)
            ),
        ),
        None => line(out, w.category, w.none),
    }
    match app.queue_position {
        Some(p) => line(out, w.position, p),
        None => line(out, w.position, w.not_waiting),
    }
    if let Some(c) = app.class_position.filter(|c| *c > 0) {
        line(out, w.class_position, c);
    }
}

/// The registration notice given to the applicant. `title` is the benefit category's name in `lang`.
/// The receipt of the public log printed under a registration notice (R-V4): the event's seq and its record's
/// leaf hash, and how anyone checks them against a published checkpoint.
pub fn receipt(lang: Language, seq: i64, leaf: &str) -> String {
    match lang {
        Language::Ru => format!(
            "\nКвитанция публичного журнала очереди: событие № {seq}, хеш записи {leaf}.\n\
             Проверить её по опубликованному журналу может каждый: kezek_verify.py КАТАЛОГ --receipt {seq}:{leaf}\n"
        ),
        Language::Kk => format!(
            "\nКезектің ашық журналының түбіртегі: оқиға № {seq}, жазба хэші {leaf}.\n\
             Оны жарияланған журнал бойынша кез келген адам тексере алады: kezek_verify.py КАТАЛОГ --receipt {seq}:{leaf}\n"
        ),
    }
}

pub fn registration_notice(
    app: &ApplicationView,
    title: Option<&str>,
    lang: Language,
    now: &Now,
) -> String {
    let w = words(lang);
    let mut out = format!("{}\n\n", w.notice_title);
    common(&mut out, app, title, lang, false);
    out.push('\n');
    out.push_str(w.footer);
    out.push('\n');
    line(&mut out, w.issued, now.today().format("%d.%m.%Y"));
    out
}

/// The child card kept by the education department: everything about one application.
pub fn child_card(app: &ApplicationView, title: Option<&str>, lang: Language, now: &Now) -> String {
    let w = words(lang);
    let mut out = format!("{}\n\n", w.card_title);
    common(&mut out, app, title, lang, true);
    line(&mut out, w.status, status(&app.status, lang));
    line(
        &mut out,
        w.contacts,
        format!("{}, {}", app.phone, app.email),
    );
    line(
        &mut out,
        w.consent,
        format!("{}, {}", app.consent, date(&app.consent_date)),
    );
    if app.docs.is_empty() {
        line(&mut out, w.documents, "—");
    } else {
        out.push_str(&format!("{}:\n", w.documents));
        for d in &app.docs {
            out.push_str(&format!(
                "  - {} № {} {}\n",
                d.kind,
                d.number,
                d.issue_date.format("%d.%m.%Y")
            ));
        }
    }
    line(&mut out, w.expired, app.expired_count);
    if let Some(until) = &app.stop_list_until {
        line(&mut out, w.stop_list, date(until));
    }
    if let Some(reason) = &app.removed_reason {
        line(&mut out, w.removed, reason);
    }
    line(&mut out, w.issued, now.today().format("%d.%m.%Y"));
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
pub fn direction(d: &DirectionFacts, lang: Language) -> String {
    let (title, labels) = match lang {
        Language::Ru => (
            "НАПРАВЛЕНИЕ\nв дошкольную организацию",
            [
                "Номер направления",
                "Номер заявления",
                "Ребёнок",
                "Организация",
                "Место",
                "Дата выдачи",
                "Действительно до (включительно)",
                "Статус",
            ],
        ),
        Language::Kk => (
            "Мектепке дейінгі ұйымға\nЖОЛДАМА",
            [
                "Жолдама нөмірі",
                "Өтініш нөмірі",
                "Бала",
                "Ұйым",
                "Орын",
                "Берілген күні",
                "Жарамды мерзімі (қоса алғанда)",
                "Мәртебесі",
            ],
        ),
    };
    let mut out = format!("{title}\n\n");
    line(&mut out, labels[0], &d.number);
    line(&mut out, labels[1], &d.application);
    line(
        &mut out,
        labels[2],
        format!("{}, {}", d.child_name, date(&d.child_birth_date)),
    );
    line(&mut out, labels[3], format!("{} ({})", d.org_name, d.org));
    line(&mut out, labels[4], d.place_id);
    line(&mut out, labels[5], moment(&d.issued_at));
    line(&mut out, labels[6], date(&d.valid_until));
    line(&mut out, labels[7], &d.status);
    out
}

/// The notice of completed service (уведомление об оказании государственной услуги), at enrollment.
pub fn service_notice(d: &DirectionFacts, lang: Language, now: &Now) -> String {
    let (title, body, labels) = match lang {
        Language::Ru => (
            "УВЕДОМЛЕНИЕ\nоб оказании государственной услуги",
            "Государственная услуга «Постановка на очередь детей дошкольного возраста для направления в дошкольные организации» оказана: ребёнок зачислен.",
            ["Номер заявления", "Номер направления", "Ребёнок", "Организация", "Дата зачисления", "Дата выдачи"],
        ),
        Language::Kk => (
            "Мемлекеттік қызмет көрсету туралы\nХАБАРЛАМА",
            "«Мектепке дейінгі ұйымдарға жолдама беру үшін мектеп жасына дейінгі балаларды кезекке қою» мемлекеттік қызметі көрсетілді: бала қабылданды.",
            ["Өтініш нөмірі", "Жолдама нөмірі", "Бала", "Ұйым", "Қабылданған күні", "Берілген күні"],
        ),
    };
    let mut out = format!("{title}\n\n{body}\n\n");
    line(&mut out, labels[0], &d.application);
    line(&mut out, labels[1], &d.number);
    line(
        &mut out,
        labels[2],
        format!("{}, {}", d.child_name, date(&d.child_birth_date)),
    );
    line(&mut out, labels[3], format!("{} ({})", d.org_name, d.org));
    line(
        &mut out,
        labels[4],
        d.closed_at.as_deref().map(moment).unwrap_or_default(),
    );
    line(&mut out, labels[5], now.today().format("%d.%m.%Y"));
    out
}
