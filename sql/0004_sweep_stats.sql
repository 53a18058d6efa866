-- kezek schema, version 4: the nightly sweep's record and what statistics need (SPEC §6, §9 stats).

-- One row per day the sweep processed (R-S6): a second run for the same day finds it and changes nothing.
CREATE TABLE sweep_run (
    date    TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    ran_at  TEXT NOT NULL,
    summary TEXT NOT NULL
);

-- When an application left the queue for good (removed or enrolled), for statistics by period.
ALTER TABLE application ADD COLUMN removed_at TEXT;

-- The stop lists the sweep ends (R-S3).
CREATE INDEX application_stop_list ON application (stop_list_until) WHERE status = 'stop_listed';

-- A departure (R-D9) frees the place an enrolled direction held, so that it can be directed again.
ALTER TABLE direction ADD COLUMN departed_on TEXT;
DROP INDEX direction_place_live;
CREATE UNIQUE INDEX direction_place_live ON direction (place_id)
    WHERE status = 'issued' OR (status = 'enrolled' AND departed_on IS NULL);
