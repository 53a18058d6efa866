-- Choice (SPEC §12): ranked preferences, sibling groups and transfers. The columns are NULL when unused, so that
-- the digests of rows written before this migration stay what their heads signed (a NULL is not digested).

-- R-C1: the organizations an application ranks, in rank order, as `CODE;CODE` (NULL: none).
ALTER TABLE application ADD COLUMN preferences TEXT CHECK (preferences IS NULL OR length(preferences) > 0);
-- R-C5: the number of the first application of the applicant's sibling group (twins), NULL for none. The first
-- names itself once another is linked to it.
ALTER TABLE application ADD COLUMN sibling_group TEXT REFERENCES application (number);
-- R-C3: 1 for a transfer application of an enrolled child, NULL otherwise.
ALTER TABLE application ADD COLUMN transfer INTEGER CHECK (transfer IS NULL OR transfer = 1);

CREATE INDEX application_sibling_group ON application (sibling_group) WHERE sibling_group IS NOT NULL;

-- R-C2: each run of `kezek allocate`, public whole (R-V5): with the preferences and the queue, anyone can replay
-- serial dictatorship and compare. `passed_over` lists, as JSON, the waiting applications with preferences that
-- this run could not serve by the rules (R-D5, R-C6: the whole application; R-D4: its private organizations),
-- `[{"application": N, "orgs": [CODE...]}]` (no `orgs`: all of them), NULL when none; `siblings` the sibling groups
-- (R-C5) among the applications it served, `[[N, N], ...]`, first member first, NULL when none (the link itself is
-- not public: it tells which children are of one family).
CREATE TABLE allocation_run (
    id          INTEGER PRIMARY KEY,
    held_at     TEXT NOT NULL,
    directions  INTEGER NOT NULL CHECK (directions >= 0),
    unplaced    INTEGER NOT NULL CHECK (unplaced >= 0),
    passed_over TEXT,
    siblings    TEXT
);

-- R-C4: each run of `kezek exchange` that carried out a cycle, public whole. `participants` lists, as JSON, the
-- transfer applications that took part with the place each held, `[[NUMBER, PLACE_ID], ...]` in queue order
-- (which application holds which place is public already: its direction is): with the published preferences
-- anyone can replay Top Trading Cycles and compare.
CREATE TABLE exchange_run (
    id           INTEGER PRIMARY KEY,
    held_at      TEXT NOT NULL,
    cycles       INTEGER NOT NULL CHECK (cycles > 0),
    moves        INTEGER NOT NULL CHECK (moves >= 2),
    participants TEXT NOT NULL
);
