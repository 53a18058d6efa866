# Messages on stderr: what a command did. Arguments are values (numbers, codes), never translated.

msg-withdrawn = { $number } withdrawn
msg-position = { $number }: queue position { $position }
msg-position-in-class = { $number }: queue position { $position }, position { $class_position } with the { $class }
msg-direction-issued = direction { $direction } issued for { $number }: place { $place } at { $org }, valid until { $until }
msg-enrolled = direction { $direction }: the child is enrolled at { $org }
msg-audit-ok = audit ok: { $events } events, { $heads } signed heads, { $rows } rows verified; head { $seq } { $hash }
msg-db-check-ok = db check ok: integrity ok, foreign keys ok, queue counts ok, { $events } events, { $heads } signed heads, { $rows } rows verified
msg-offer = offer round: { $notified } applications notified, { $places } places offered, { $windows } ended windows closed
msg-officer-added = officer { $id } added
msg-org-added = org { $code } added
msg-district-added = district { $name } added
msg-places-published = published { $count } places at { $org }
