-- R-R1: every officer's role and, for a kindergarten account, its organization. An officer registered before
-- roles existed keeps NULL, which reads as `admin`: their rows keep the digests the journal recorded, and this
-- migration's journal event is the point from which the audit holds every event to its officer's role (R-R3).
ALTER TABLE officer ADD COLUMN role TEXT
    CHECK (role IS NULL OR role = 'admin' OR role = 'officer' OR role = 'kindergarten' OR role = 'service');
ALTER TABLE officer ADD COLUMN org TEXT REFERENCES org (code);
