-- kezek schema, version 5: the audit reads the latest digest of every row in key order; carrying the digest in
-- the index spares one random lookup per row (R-A6 at national scale).
DROP INDEX journal_row_by_key;
CREATE INDEX journal_row_by_key ON journal_row (tbl, key, seq, digest);
