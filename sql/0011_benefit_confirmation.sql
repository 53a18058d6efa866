-- R-I1: when an officer confirmed the benefit of a direction issued to an out-of-turn or first-priority
-- application (NULL: not confirmed; enrollment with a benefit document counts as the confirmation).
ALTER TABLE direction ADD COLUMN benefit_confirmed_at TEXT;
