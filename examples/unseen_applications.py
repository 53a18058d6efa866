#!/usr/bin/env python3
"""An `application import` file that the benchmark did not generate.

The benchmark generates its own applications with src/generate.rs. To show that `application import` is fast on
data of another shape too, this script writes an independent, seeded, valid file, written from SPEC.md (§9, R-Q3
to R-Q7, R-C1, §10) and kezek's validation rules; it shares no code with kezek. Measure it with

    python3 examples/unseen_applications.py --count 1000000 --seed 7 --out /tmp/unseen.csv
    cargo run --release --example bench -- --applications /tmp/unseen.csv

Its shape, unlike the benchmark's file:
- rows in random order, not by registration time; registrations spread evenly over 7 years (up to 21 for a
  large file, so that no year of a queue type needs more than R-Q7's 999,999 numbers), at any time of day,
  written in six forms (with or without seconds, `T` or a space, a date alone, RFC 3339 with Almaty's offset);
- 15 columns in another order, with both optional ones: `number` on about half the rows (kept by a migration,
  R-Q7 numbers of the row's queue type and registration year, unique), `preferences` on about a third
  (1 to 4 codes of examples/orgs.csv that serve the row's queue type, R-C1);
- Kazakh, Russian and other names, patronymics of both kinds, double surnames, a few names in Latin letters or
  with a comma (quoted); phones in several spellings (+7 or 8, spaces, dashes, brackets); e-mails of many shapes;
- every benefit category, documents of several kinds and numberings, a birth certificate on some rows; consent
  `egov` or `written`, with or without a date; twins of one applicant; some children in both queue types (R-Q6);
- UTF-8 with a byte-order mark and CRLF line ends, as Excel writes "CSV UTF-8".
The same --count and --seed always give the same bytes. Rows are written as they are made: memory stays bounded
(a counter per birth date, per queue type and year), whatever --count.
"""

import argparse
import csv
import datetime as dt
import math
import os
import random
import sys

TODAY = dt.date(2026, 3, 16)  # the importing moment is 2026-03-16T11:00 Almaty time (KEZEK_NOW)
LAST_SECOND_TODAY = 10 * 3600 + 59 * 60  # registrations today end before 10:59
FLOOR = dt.date(2005, 1, 1)  # no daylight saving time in Almaty since (local times are then unambiguous)
MAX_AGE_DAYS = 7 * 365 - 1  # under 7 full years on the registration date (R-Q5)
PER_YEAR = 550_000  # registrations a year at most, well under 999,999 numbers (R-Q7)

HEADER = ["number", "child_iin", "child_name", "registered_at", "language", "district", "category", "docs",
          "queue_type", "preferences", "applicant_name", "applicant_iin", "consent", "email", "phone"]

DISTRICTS = ["Алатауский", "Алмалинский", "Ауэзовский", "Бостандыкский", "Жетысуский", "Медеуский",
             "Наурызбайский", "Турксибский"]
DISTRICT_WEIGHTS = [16, 11, 17, 14, 9, 8, 10, 15]

# Benefit categories (SPEC R-Q3), each with the kinds of document that show it.
CATEGORIES = {
    "out_of_turn": {"military": ["military_id", "unit_certificate"],
                    "special_state_body": ["service_certificate"],
                    "fallen_in_service": ["death_certificate", "service_death_certificate"]},
    "first_priority": {"orphan": ["guardianship_decision", "orphan_status_certificate"],
                       "without_parental_care": ["guardianship_decision"],
                       "disabled_parent": ["disability_certificate"],
                       "disabled_child_family": ["child_disability_certificate", "mse_conclusion"],
                       "large_family": ["large_family_certificate"],
                       "special_educational_needs": ["pmpk_conclusion"],
                       "teacher_child": ["employment_certificate", "school_reference"]},
}

BOYS = ("Алихан Нұрасыл Айсұлтан Ернұр Әлинұр Ерасыл Нұрислам Арнұр Бауыржан Даулет Жандос Мирас Әмір Санжар "
        "Темірлан Алдияр Ерхан Ислам Рамазан Артём Михаил Александр Матвей Лев Марк Иван Дмитрий Тимофей "
        "Фёдор Георгий Рустам Тимур Руслан Эмиль Давид Адиль Айдар Ильяс Амирхан").split()
GIRLS = ("Аяулым Айзере Інжу Аружан Томирис Әмина Жанель Ақбота Мейірім Айым Дильназ Нұрай Асылым Інкәр "
         "Балнұр Айсана Камила Зере Алиса Варвара Ева Мария Анастасия Вероника Полина Ксения Виктория Софья "
         "Ульяна Злата Амелия Сабина Диана Милана Айлана Малика Асель").split()
MOTHERS = ("Айгерим Динара Гульнара Асель Мадина Елена Жанар Сауле Ольга Татьяна Наталья Жұлдыз Ботагөз "
           "Ақмарал Ләззат Гүлмира Анна Юлия Светлана Ирина Айнұр Меруерт Назгүл").split()
FATHERS = ("Ерлан Серик Андрей Дмитрий Нурлан Мурат Асхат Кайрат Болат Арман Данияр Руслан Сергей Максим "
           "Ержан Талгат Бахыт Виктор").split()
# A father's name as a Russian patronymic (son, daughter) and a Kazakh one (root of -ұлы / -қызы).
PATRONYMICS = [("Серикович", "Сериковна", "Серік"), ("Нурланович", "Нурлановна", "Нұрлан"),
               ("Маратович", "Маратовна", "Марат"), ("Ержанович", "Ержановна", "Ержан"),
               ("Асхатович", "Асхатовна", "Асхат"), ("Кайратович", "Кайратовна", "Қайрат"),
               ("Болатович", "Болатовна", "Болат"), ("Арманович", "Армановна", "Арман"),
               ("Даниярович", "Данияровна", "Данияр"), ("Бахытжанович", "Бахытжановна", "Бақытжан"),
               ("Сергеевич", "Сергеевна", None), ("Андреевич", "Андреевна", None),
               ("Александрович", "Александровна", None), ("Михайлович", "Михайловна", None),
               ("Дмитриевич", "Дмитриевна", None), ("Игоревич", "Игоревна", None)]
SURNAMES = [(s, s + "а") for s in
            ("Жақсылықов Бекмұхамбетов Тоқтарбаев Сәрсенбаев Оспанов Әбдірахманов Құрманғалиев Есімов "
             "Нұрпейісов Байжанов Мұқанов Ибраев Қасымжанов Жұмабеков Тұрсынов Кузнецов Смирнов Попов Волков "
             "Соколов Лебедев Новиков Морозов Васильев Галиев Хабибуллин Турдыев Ахмедьяров Мамытбеков").split()]
SURNAMES += [(s, s) for s in "Сейткали Кенжебек Әбілқайыр Ким Пак Цой Шевченко Павленко Шмидт Ли".split()]
SURNAMES += [("Быстрицкий", "Быстрицкая"), ("Вишневский", "Вишневская")]
LATIN = {"m": "Alikhan Nurasyl Aisultan Yernur Timur Ramazan Miras".split(),
         "f": "Ayaulym Inzhu Aruzhan Tomiris Zhanel Akbota Dilnaz".split(),
         "surnames": [("Nurlanov", "Nurlanova"), ("Zhaksylykov", "Zhaksylykova"), ("Ospanov", "Ospanova"),
                      ("O'mirzaqov", "O'mirzaqova"), ("Kim", "Kim")]}
GUARDIAN_NOTES = [", опекун", ", законный представитель", ", бабушка (опекун)"]

TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya", "a", "g",
                     "k", "n", "o", "u", "u", "h", "i"]))
MAIL_DOMAINS = ["mail.ru", "gmail.com", "yandex.kz", "inbox.ru", "list.ru", "bk.ru", "mail.kz", "outlook.com",
                "icloud.com", "edu.almaty.kz", "kaznu.kz"]
MOBILE_CODES = ["700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"]

W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def iin(birth, female, serial):
    """The IIN of someone born on `birth` (SPEC §10): YYMMDD, century and sex, 4-digit serial, check digit;
    None when the serial has no check digit."""
    century = 1 if birth.year < 1900 else 3 if birth.year < 2000 else 5
    head = f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}{century + female}{serial:04d}"
    digits = [ord(c) - 48 for c in head]
    k = sum(d * w for d, w in zip(digits, W1)) % 11
    if k == 10:
        k = sum(d * w for d, w in zip(digits, W2)) % 11
        if k == 10:
            return None
    return head + str(k)


def latin(text):
    return "".join(TRANSLIT.get(c, c) for c in text.lower())


class City:
    def __init__(self, seed, count, orgs_path):
        self.rng = random.Random(seed)
        self.today = TODAY.toordinal()
        years = min(21, max(7, math.ceil(count / PER_YEAR)))
        self.first_day = max(FLOOR.toordinal(), self.today - years * 365)
        self.serials = {}  # (birth ordinal, female) -> next counter: every child IIN is new
        self.numbers = {}  # (queue type, year) -> [registrations so far, offset of the kept numbers]
        self.last_general = None  # a general application whose child may also join the sanatorium queue
        kinds = {}
        with open(orgs_path, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                kinds.setdefault(row["kind"].strip(), []).append(row["code"].strip())
        self.serving = {"general": kinds.get("state", []) + kinds.get("private", []),
                        "sanatorium": kinds.get("sanatorium", [])}

    def child_iin(self, birth, female):
        key = (birth.toordinal(), female)
        while True:
            c = self.serials.get(key, 0)
            self.serials[key] = c + 1
            if c >= 10_000:
                sys.exit(f"more than 10,000 children born on {birth} ({'girls' if female else 'boys'})")
            # A bijection of the counter onto the 4-digit serials, so that serials do not simply count up.
            found = iin(birth, female, (c * 3571 + key[0] * 37 + female * 5000) % 10_000)
            if found:
                return found

    def adult_iin(self, birth, female):
        while True:
            found = iin(birth, female, self.rng.randrange(10_000))
            if found:
                return found

    def moment(self, day):
        """A registration time on `day` (an ordinal), written in one of the forms kezek reads, and its date."""
        r = self.rng
        seconds = r.randrange(9 * 3600, 19 * 3600) if r.random() < 0.7 else r.randrange(86_400)
        if day == self.today:
            seconds %= LAST_SECOND_TODAY
        date = dt.date.fromordinal(day)
        form = r.random()
        if form < 0.03:
            return date.isoformat(), date  # a date alone: its midnight
        if form < 0.40:
            pattern = "%Y-%m-%dT%H:%M:%S"
        elif form < 0.55:
            pattern = "%Y-%m-%dT%H:%M"
        elif form < 0.75:
            pattern = "%Y-%m-%d %H:%M"
        elif form < 0.85:
            pattern = "%Y-%m-%d %H:%M:%S"
        else:
            pattern = "%Y-%m-%dT%H:%M:%S+06:00" if date < dt.date(2024, 3, 1) else "%Y-%m-%dT%H:%M:%S+05:00"
        if ":%S" not in pattern:
            seconds -= seconds % 60
        at = dt.datetime.combine(date, dt.time()) + dt.timedelta(seconds=seconds)
        return at.strftime(pattern), date

    def person(self, female, surname_pair, child):
        """A full name: surname, first name, often a patronymic of one kind or the other."""
        r = self.rng
        style = r.random()
        if style < 0.03:
            sur = r.choice(LATIN["surnames"])[female]
            return f"{sur} {r.choice(LATIN['f' if female else 'm'])}"
        surname = surname_pair[female]
        if style < 0.11:
            surname += "-" + r.choice(SURNAMES)[female]
        pool = (GIRLS if female else BOYS) if child else (MOTHERS if female else FATHERS)
        first = r.choice(pool)
        if style < 0.13:
            first += "-" + r.choice(pool)
        father = r.choice(PATRONYMICS)
        shape = r.random()
        if shape < 0.2:
            return f"{surname} {first}"
        if shape < 0.35 and father[2]:
            return f"{surname} {first} {father[2]}{'қызы' if female else 'ұлы'}"
        return f"{surname} {first} {father[female]}"

    def contacts(self, name):
        r = self.rng
        code = r.choice(MOBILE_CODES) if r.random() < 0.93 else "727"
        d = f"{r.randrange(10_000_000):07d}"
        phone = r.choice([f"+7{code}{d}", f"+7 ({code}) {d[:3]}-{d[3:5]}-{d[5:]}", f"8 {code} {d[:3]} {d[3:5]} {d[5:]}",
                          f"8{code}{d}", f"+7-{code}-{d[:3]}-{d[3:5]}-{d[5:]}", f"8({code}){d}"])
        words = name.split(",")[0].split()
        sur, first = latin(words[0]).replace("'", ""), latin(words[1]).replace("'", "")
        shape = r.random()
        if shape < 0.05:
            return phone, f"{words[1].lower()}.{words[0].lower()}@почта.қаз"
        if shape < 0.35:
            local = f"{first}.{sur}"
        elif shape < 0.55:
            local = f"{first}_{sur[:1]}{r.randrange(1975, 2008)}"
        elif shape < 0.70:
            local = f"{sur.capitalize()}.{first[:1].upper()}"
        elif shape < 0.80:
            local = f"{first}+detsad"
        else:
            local = f"{first[:1]}.{sur}.{r.randrange(100)}"
        return phone, f"{local}@{r.choice(MAIL_DOMAINS)}"

    def doc_number(self):
        r = self.rng
        n = r.randrange(1, 10_000_000)
        return r.choice([f"{n:07d}", f"№ {n % 100_000}", f"AB {n:07d}",
                         f"{n % 10_000}-{r.randrange(1, 99)}/{r.randrange(10, 26)}", f"ВКК-{n % 10_000:04d}"])

    def family(self):
        """One application, or two for twins (one applicant, one birth date, one registration)."""
        r = self.rng
        queue_type = "sanatorium" if r.random() < 0.06 else "general"
        reuse = queue_type == "sanatorium" and self.last_general and r.random() < 0.25
        if reuse:
            # R-Q6 allows one application per queue type: this general child also waits for a sanatorium.
            child_iin, child_name, birth, applicant = self.last_general
            self.last_general = None
            last = min(birth.toordinal() + MAX_AGE_DAYS, self.today)
            day = r.randrange(max(birth.toordinal(), self.first_day), last + 1)
            registered_at, reg_date = self.moment(day)
            children = [(child_iin, child_name, birth)]
        else:
            registered_at, reg_date = self.moment(r.randrange(self.first_day, self.today + 1))
            roll = r.random()
            age = r.randrange(365) if roll < 0.5 else r.randrange(1100) if roll < 0.8 else r.randrange(MAX_AGE_DAYS + 1)
            birth = reg_date - dt.timedelta(days=age)
            surnames = r.choice(SURNAMES)
            children = []
            for _ in range(2 if r.random() < 0.008 else 1):
                female = r.random() < 0.49
                children.append((self.child_iin(birth, female), self.person(female, surnames, True), birth))
            mother = r.random() < 0.8
            parent_birth = reg_date - dt.timedelta(days=r.randrange(18 * 365, 46 * 365))
            applicant_name = self.person(mother, surnames, False)
            if r.random() < 0.01:
                applicant_name += r.choice(GUARDIAN_NOTES)
            if r.random() < 0.01:
                applicant_name = "  " + applicant_name + " "  # padded, as fixed-width exports leave them
            phone, email = self.contacts(applicant_name.strip())
            applicant = (self.adult_iin(parent_birth, mother), applicant_name, phone, email,
                         r.choices(DISTRICTS, DISTRICT_WEIGHTS)[0], "kk" if r.random() < 0.55 else "ru")

        category, docs = "", []
        roll = r.random()
        if roll < 0.17:
            group = CATEGORIES["out_of_turn" if roll < 0.025 else "first_priority"]
            category = r.choice(list(group))
            issued = reg_date - dt.timedelta(days=r.randrange(730))
            docs.append(f"{r.choice(group[category])}:{self.doc_number()}:{issued}")
        elif roll < 0.19:
            category = "none"
        if queue_type == "sanatorium":
            issued = max(birth, reg_date - dt.timedelta(days=r.randrange(180)))
            docs.append(f"medical_conclusion:{self.doc_number()}:{issued}")
        if r.random() < 0.1:
            doc_no = self.doc_number()
            issued = min(reg_date, birth + dt.timedelta(days=r.randrange(30)))
            docs.append(f"birth_certificate:{doc_no}:{issued}")
        r.shuffle(docs)
        consent = r.random()
        if consent < 0.4:
            consent = "egov"
        elif consent < 0.55:
            consent = f"egov:{reg_date}"
        elif consent < 0.65:
            consent = "written"
        else:
            consent = f"written:{reg_date - dt.timedelta(days=r.randrange(15))}"

        applicant_iin, applicant_name, phone, email, district, language = applicant
        rows = []
        for child_iin, child_name, _ in children:
            key = (queue_type, reg_date.year)
            used = self.numbers.setdefault(key, [0, r.randrange(999_999)])
            used[0] += 1
            if used[0] > 999_999:
                sys.exit(f"more than 999,999 {queue_type} registrations in {reg_date.year}: R-Q7 has no numbers left")
            number = ""
            if r.random() < 0.5:
                # A kept number: a bijection of this year's count onto 1..999,999, so numbers never repeat.
                seq = (used[0] * 500_009 + used[1]) % 999_999 + 1
                number = f"{'SDDO' if queue_type == 'sanatorium' else 'DDO'}.{reg_date.year}.{seq:06d}.1"
            preferences = ""
            orgs = self.serving[queue_type]
            if orgs and r.random() < 0.33:
                sep = "; " if r.random() < 0.2 else ";"
                preferences = sep.join(r.sample(orgs, r.randint(1, min(4, len(orgs)))))
            rows.append([number, child_iin, child_name, registered_at, language, district, category,
                         (";" if r.random() < 0.8 else "; ").join(docs), queue_type, preferences,
                         applicant_name, applicant_iin, consent, email, phone])
            if queue_type == "general":
                self.last_general = (child_iin, child_name, children[0][2], applicant)
        return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, required=True, help="rows to write")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", required=True, help="the CSV file to write")
    p.add_argument("--orgs", default=os.path.join(here, "orgs.csv"), help="the organizations of the city")
    a = p.parse_args()
    if not 0 < a.count <= 15_000_000:
        # 15,000,000 rows over 21 years is 714,000 a year, well under R-Q7's 999,999 numbers.
        p.error("--count is 1 to 15,000,000 (R-Q7: 999,999 numbers a year, registrations since 2005)")
    city = City(a.seed, a.count, a.orgs)
    written = 0
    with open(a.out, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(HEADER)
        while written < a.count:
            for row in city.family()[: a.count - written]:
                out.writerow(row)
                written += 1


if __name__ == "__main__":
    main()
