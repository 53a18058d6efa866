-- kezek schema, version 2: applications and the queue (SPEC §3).

-- One application of one child to one queue. Personal data lives here and nowhere else: the journal keeps only
-- digests of these rows. `docs` is a JSON array of {kind, number, issue_date}: documents are recorded by kind,
-- number and date only, never as copies.
CREATE TABLE application (
    number           TEXT PRIMARY KEY,
    queue_type       TEXT NOT NULL CHECK (queue_type IN ('general', 'sanatorium')),
    group_year       INTEGER NOT NULL,
    priority_class   TEXT NOT NULL
                     CHECK (priority_class = 'out_of_turn' OR priority_class = 'first_priority' OR priority_class = 'general'),
    category         TEXT REFERENCES category (name),
    status           TEXT NOT NULL CHECK (status = 'queued' OR status = 'notified' OR status = 'stop_listed'
                                          OR status = 'directed' OR status = 'enrolled' OR status = 'removed'),
    registered_at    TEXT NOT NULL,
    -- Registration time as Unix seconds: the queue order (RFC 3339 text with two offsets does not sort).
    registered_unix  INTEGER NOT NULL,
    child_iin        TEXT NOT NULL CHECK (length(child_iin) = 12),
    child_name       TEXT NOT NULL,
    child_birth_date TEXT NOT NULL,
    applicant_iin    TEXT NOT NULL CHECK (length(applicant_iin) = 12),
    applicant_name   TEXT NOT NULL,
    phone            TEXT NOT NULL,
    email            TEXT NOT NULL,
    district         TEXT NOT NULL,
    language         TEXT NOT NULL CHECK (language IN ('ru', 'kk')),
    docs             TEXT NOT NULL DEFAULT '[]',
    consent          TEXT NOT NULL CHECK (consent IN ('egov', 'written')),
    consent_date     TEXT NOT NULL,
    expired_count    INTEGER NOT NULL DEFAULT 0 CHECK (expired_count >= 0),
    stop_list_until  TEXT,
    removed_reason   TEXT,
    CHECK ((priority_class = 'general') = (category IS NULL)),
    CHECK ((status = 'removed') = (removed_reason IS NOT NULL)),
    CHECK ((status = 'stop_listed') = (stop_list_until IS NOT NULL))
) WITHOUT ROWID;

-- R-Q6: at most one application per child and queue type that is not removed or enrolled.
CREATE UNIQUE INDEX application_one_active ON application (child_iin, queue_type)
    WHERE status NOT IN ('removed', 'enrolled');
CREATE INDEX application_child ON application (child_iin);
CREATE INDEX application_name ON application (child_birth_date, child_name);
-- The waiting applications of each queue and class in registration order (R-Q1, R-Q2).
CREATE INDEX application_queue ON application (queue_type, group_year, priority_class, registered_unix, number)
    WHERE (status = 'queued' OR status = 'notified' OR status = 'stop_listed');

-- How many applications wait in each queue, class and registration day (Unix day). Kept by the triggers below
-- in the same transaction as the applications; `db check` proves it agrees with them. Positions are computed
-- from it and the application's own day, never stored.
CREATE TABLE queue_day (
    queue_type     TEXT NOT NULL,
    group_year     INTEGER NOT NULL,
    priority_class TEXT NOT NULL,
    day            INTEGER NOT NULL,
    waiting        INTEGER NOT NULL CHECK (waiting >= 0),
    PRIMARY KEY (queue_type, group_year, priority_class, day)
) WITHOUT ROWID;

CREATE TRIGGER application_waiting_insert AFTER INSERT ON application
WHEN (new.status = 'queued' OR new.status = 'notified' OR new.status = 'stop_listed')
BEGIN
    INSERT INTO queue_day (queue_type, group_year, priority_class, day, waiting)
    VALUES (new.queue_type, new.group_year, new.priority_class, new.registered_unix / 86400, 1)
    ON CONFLICT DO UPDATE SET waiting = waiting + 1;
END;

CREATE TRIGGER application_waiting_delete AFTER DELETE ON application
WHEN (old.status = 'queued' OR old.status = 'notified' OR old.status = 'stop_listed')
BEGIN
    UPDATE queue_day SET waiting = waiting - 1
    WHERE queue_type = old.queue_type AND group_year = old.group_year
      AND priority_class = old.priority_class AND day = old.registered_unix / 86400;
END;

CREATE TRIGGER application_waiting_update
AFTER UPDATE OF status, queue_type, group_year, priority_class, registered_unix ON application
BEGIN
    UPDATE queue_day SET waiting = waiting - 1
    WHERE (old.status = 'queued' OR old.status = 'notified' OR old.status = 'stop_listed')
      AND queue_type = old.queue_type AND group_year = old.group_year
      AND priority_class = old.priority_class AND day = old.registered_unix / 86400;
    INSERT INTO queue_day (queue_type, group_year, priority_class, day, waiting)
    SELECT new.queue_type, new.group_year, new.priority_class, new.registered_unix / 86400, 1
    WHERE (new.status = 'queued' OR new.status = 'notified' OR new.status = 'stop_listed')
    ON CONFLICT DO UPDATE SET waiting = waiting + 1;
END;
