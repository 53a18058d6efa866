-- R-I3: what kindergartens report each month, per child. The key is a number: a child's IIN never stands in a
-- key, so that the public log, which shows this table's keys alone, holds none.
CREATE TABLE attendance (
    id           INTEGER PRIMARY KEY,
    org          TEXT NOT NULL REFERENCES org (code),
    child_iin    TEXT NOT NULL CHECK (length(child_iin) = 12),
    month        TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
    days_present INTEGER NOT NULL CHECK (days_present >= 0),
    UNIQUE (org, child_iin, month)
);
CREATE INDEX attendance_child ON attendance (child_iin, month);
-- `kezek integrity` (R-I4) finds each reported child's enrollments there, departed or not.
CREATE INDEX enrollment_child_org ON enrollment (child_iin, org);
