-- kezek schema, version 1: the chassis. Migrations are append-only: never edit a released file, add the next one.
-- State tables (every row is covered by the journal, see src/store/journal.rs) have a primary key named in
-- src/store/journal.rs; the journal tables themselves are the record, not state.
-- A CHECK, partial index or trigger that allows more than two values spells them `x = 'a' OR x = 'b' OR ...`,
-- not `x IN ('a', 'b', ...)`: SQLite evaluates such an IN list by building a temporary b-tree for every row it
-- writes, which cost more than the row itself; comparisons it evaluates in place.

CREATE TABLE officer (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    district    TEXT NOT NULL CHECK (length(trim(district)) > 0),
    public_key  TEXT NOT NULL CHECK (public_key LIKE '-----BEGIN PUBLIC KEY-----%'),
    fingerprint TEXT NOT NULL UNIQUE CHECK (length(fingerprint) = 64),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    added_at    TEXT NOT NULL
);

CREATE TABLE org (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind     TEXT NOT NULL CHECK (kind = 'state' OR kind = 'private' OR kind = 'sanatorium'),
    district TEXT NOT NULL CHECK (length(trim(district)) > 0),
    phone    TEXT CHECK (phone IS NULL OR phone GLOB '+7[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    address  TEXT,
    added_at TEXT NOT NULL
);
CREATE INDEX org_district ON org (district, kind);

-- Declared days: movable holidays (Kurban Ait) and government transfers (R-T3). Fixed holidays are built in.
CREATE TABLE calendar_day (
    date TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL DEFAULT ''
);

-- SPEC §2a. Values are validated by src/domain/settings.rs before they are written.
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO setting (key, value) VALUES
    ('max_age_years', '7'),
    ('general_per_first_priority', '3'),
    ('offer_window', '09:00-20:00'),
    ('direction_valid_working_days', '5'),
    ('stop_list_working_days', '10'),
    ('max_expirations', '2'),
    ('extension_max_days', '30'),
    ('revocation_hours', '24'),
    ('benefit_doc_max_age_days', '10'),
    ('private_min_age_years', '3');

-- Benefit categories (R-Q3), reference data.
CREATE TABLE category (
    name           TEXT PRIMARY KEY,
    priority_class TEXT NOT NULL CHECK (priority_class IN ('out_of_turn', 'first_priority')),
    title_ru       TEXT NOT NULL,
    title_kk       TEXT NOT NULL
);
INSERT INTO category (name, priority_class, title_ru, title_kk) VALUES
    ('military', 'out_of_turn',
     'дети военнослужащих, в том числе срочной службы',
     'әскери қызметшілердің, оның ішінде мерзімді қызметтегілердің балалары'),
    ('special_state_body', 'out_of_turn',
     'дети сотрудников специальных государственных органов',
     'арнаулы мемлекеттік органдар қызметкерлерінің балалары'),
    ('fallen_in_service', 'out_of_turn',
     'дети лиц, погибших, умерших или пропавших без вести при исполнении служебных обязанностей',
     'қызметтік міндеттерін атқару кезінде қаза тапқан, қайтыс болған немесе хабар-ошарсыз кеткен адамдардың балалары'),
    ('orphan', 'first_priority',
     'дети-сироты',
     'жетім балалар'),
    ('without_parental_care', 'first_priority',
     'дети, оставшиеся без попечения родителей',
     'ата-анасының қамқорлығынсыз қалған балалар'),
    ('disabled_parent', 'first_priority',
     'дети, один из законных представителей которых является лицом с инвалидностью',
     'заңды өкілдерінің бірі мүгедектігі бар адам болып табылатын балалар'),
    ('disabled_child_family', 'first_priority',
     'дети из семей, воспитывающих ребёнка с инвалидностью',
     'мүгедектігі бар баланы тәрбиелеп отырған отбасылардың балалары'),
    ('large_family', 'first_priority',
     'дети из многодетных семей',
     'көп балалы отбасылардың балалары'),
    ('special_educational_needs', 'first_priority',
     'дети с особыми образовательными потребностями',
     'ерекше білім беру қажеттіліктері бар балалар'),
    ('teacher_child', 'first_priority',
     'дети педагогов организаций образования',
     'білім беру ұйымдары педагогтерінің балалары');

-- The journal (R-A4): one row per event, chained by hash; `journal_row` holds the digest of every state row an
-- event leaves behind (NULL: the event deleted it). The key column has no declared type so that integer and text
-- keys keep their own type and order.
CREATE TABLE journal (
    seq          INTEGER PRIMARY KEY CHECK (seq > 0),
    effective_at TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    officer      TEXT,
    kind         TEXT NOT NULL,
    subject      TEXT NOT NULL,
    details      TEXT NOT NULL,
    hash         BLOB NOT NULL CHECK (length(hash) = 32)
);

CREATE TABLE journal_row (
    seq    INTEGER NOT NULL,
    tbl    TEXT NOT NULL,
    key    NOT NULL,
    digest BLOB CHECK (digest IS NULL OR length(digest) = 32),
    PRIMARY KEY (seq, tbl, key)
) WITHOUT ROWID;
CREATE INDEX journal_row_by_key ON journal_row (tbl, key, seq);

-- One signed head per changing command (R-A5): the officer's signature over the chain head.
CREATE TABLE journal_head (
    seq       INTEGER PRIMARY KEY REFERENCES journal (seq),
    hash      BLOB NOT NULL CHECK (length(hash) = 32),
    officer   TEXT NOT NULL REFERENCES officer (id),
    signed_at TEXT NOT NULL,
    signature BLOB NOT NULL
);
