-- R-I2: the capacity of an organization per group year, as its licence and building allow. Publishing places
-- beyond the capacity less the children enrolled is refused; `kezek integrity` compares the two. `id` is
-- `ORG/YEAR`: the journal covers a row by one key.
CREATE TABLE capacity (
    id         TEXT PRIMARY KEY CHECK (id = org || '/' || group_year),
    org        TEXT NOT NULL REFERENCES org (code),
    group_year INTEGER NOT NULL,
    places     INTEGER NOT NULL CHECK (places >= 0)
) WITHOUT ROWID;
