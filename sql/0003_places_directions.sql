-- kezek schema, version 3: places, offer rounds, directions, enrollments and the notification outbox
-- (SPEC §4, §5, §8).

-- A free place in a kindergarten (R-P1). `offer_round` is set while the place is offered in a round.
CREATE TABLE place (
    id           INTEGER PRIMARY KEY,
    org          TEXT NOT NULL REFERENCES org (code),
    group_year   INTEGER NOT NULL,
    language     TEXT NOT NULL CHECK (language IN ('ru', 'kk')),
    place_type   TEXT NOT NULL CHECK (place_type IN ('regular', 'sanatorium')),
    release_date TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status = 'free' OR status = 'offered' OR status = 'free_choice'
                                      OR status = 'directed' OR status = 'filled' OR status = 'withdrawn'),
    offer_round  INTEGER REFERENCES offer_round (id),
    published_at TEXT NOT NULL,
    CHECK ((status = 'offered') = (offer_round IS NOT NULL))
);
CREATE INDEX place_queue ON place (place_type, group_year, status, release_date);
CREATE INDEX place_org ON place (org, status);

-- One offer round of one queue (R-P3): the window during which the notified families may take a place.
CREATE TABLE offer_round (
    id         INTEGER PRIMARY KEY,
    queue_type TEXT NOT NULL CHECK (queue_type IN ('general', 'sanatorium')),
    group_year INTEGER NOT NULL,
    held_at    TEXT NOT NULL,
    opens_at   TEXT NOT NULL,
    closes_at  TEXT NOT NULL,
    places     INTEGER NOT NULL,
    notified   INTEGER NOT NULL,
    closed     INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1))
);
CREATE INDEX offer_round_open ON offer_round (closed, closes_at);

-- The round a notified application was notified in (R-P4).
ALTER TABLE application ADD COLUMN offer_round INTEGER REFERENCES offer_round (id);
CREATE INDEX application_offer_round ON application (offer_round) WHERE offer_round IS NOT NULL;

-- A signed direction (R-D1, R-A3). `document` is the exact signed text, `signature` RSASSA-PKCS1-v1_5/SHA-256
-- by `signed_by` (the issuing officer, or the officer who extended it and signed the new text).
CREATE TABLE direction (
    number           TEXT PRIMARY KEY,
    application      TEXT NOT NULL REFERENCES application (number),
    place_id         INTEGER NOT NULL REFERENCES place (id),
    status           TEXT NOT NULL CHECK (status = 'issued' OR status = 'enrolled' OR status = 'expired'
                                          OR status = 'revoked' OR status = 'annulled'),
    issued_at        TEXT NOT NULL,
    valid_until      TEXT NOT NULL,
    extended         INTEGER NOT NULL DEFAULT 0 CHECK (extended IN (0, 1)),
    extension_reason TEXT,
    officer          TEXT NOT NULL REFERENCES officer (id),
    signed_by        TEXT NOT NULL REFERENCES officer (id),
    document         TEXT NOT NULL,
    signature        BLOB NOT NULL,
    closed_at        TEXT,
    close_reason     TEXT,
    benefit_doc_date TEXT,
    CHECK ((status = 'issued') = (closed_at IS NULL))
) WITHOUT ROWID;
-- A place is held by at most one live direction; an application holds at most one active direction.
CREATE UNIQUE INDEX direction_place_live ON direction (place_id) WHERE status IN ('issued', 'enrolled');
CREATE UNIQUE INDEX direction_application_active ON direction (application) WHERE status = 'issued';
CREATE INDEX direction_status ON direction (status, valid_until);

-- A child attending an organization (R-D5, R-D8, R-D9).
CREATE TABLE enrollment (
    direction   TEXT PRIMARY KEY REFERENCES direction (number),
    child_iin   TEXT NOT NULL,
    org         TEXT NOT NULL REFERENCES org (code),
    place_id    INTEGER NOT NULL REFERENCES place (id),
    enrolled_on TEXT NOT NULL,
    departed_on TEXT
) WITHOUT ROWID;
CREATE INDEX enrollment_child ON enrollment (child_iin) WHERE departed_on IS NULL;

-- The outbox (SPEC §8): what a mail/SMS gateway is to send to families, in the application's language.
CREATE TABLE notification (
    id          INTEGER PRIMARY KEY,
    application TEXT NOT NULL REFERENCES application (number),
    kind        TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient   TEXT NOT NULL,
    language    TEXT NOT NULL CHECK (language IN ('ru', 'kk')),
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX notification_unsent ON notification (id) WHERE sent_at IS NULL;
