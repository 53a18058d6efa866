-- The public log (R-V1, R-V2): each journal event's public record, kept in parts (an import's record holds
-- every row it wrote), and the hash of every complete subtree of the Merkle tree whose leaves they are.
CREATE TABLE public_record (
    seq  INTEGER NOT NULL,
    part INTEGER NOT NULL CHECK (part >= 0),
    text TEXT NOT NULL,
    PRIMARY KEY (seq, part)
) WITHOUT ROWID;

-- Level 0 holds the leaves; node (level, idx) covers leaves idx * 2^level up to (idx + 1) * 2^level.
CREATE TABLE merkle_node (
    level INTEGER NOT NULL CHECK (level >= 0 AND level < 64),
    idx   INTEGER NOT NULL CHECK (idx >= 0),
    hash  BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- From this version on a head is a signed checkpoint (R-A8): it names the tree's size and root and the head
-- before it. Heads signed by earlier versions keep these NULL and verify as they were signed.
ALTER TABLE journal_head ADD COLUMN tree_size INTEGER;
ALTER TABLE journal_head ADD COLUMN root BLOB CHECK (root IS NULL OR length(root) = 32);
ALTER TABLE journal_head ADD COLUMN previous INTEGER;

-- The queued applications an offer round passed over because the child attends an organization (R-D5), as a JSON
-- list of numbers (NULL when none): public, so that a check of the publication can tell them from a skip.
ALTER TABLE offer_round ADD COLUMN passed_over TEXT;
