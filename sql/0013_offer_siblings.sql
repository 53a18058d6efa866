-- R-C5: the sibling groups (twins) an offer round notified together, `[[N, N], ...]` in the order notified, NULL
-- when none: public with the round, so that a check of the publication tells a twin notified with the first of
-- its group from a child notified out of turn (the link itself is not public). NULL for earlier rounds, whose
-- digests stay what their heads signed.
ALTER TABLE offer_round ADD COLUMN siblings TEXT;
