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
msg-imported = imported { $rows } { $what } from { $file }
msg-would-import = would import (dry run, nothing written) { $rows } { $what } from { $file }
noun-applications = applications
noun-organizations = organizations
noun-days = days
noun-places = places
msg-sweep-done-already = sweep of { $day }: nothing to do (already done at { $at })
msg-sweep = sweep of { $day }{ $dry }: { $windows } windows closed, { $expired } directions expired, { $stop } stop-listed, { $removed } removed after { $max } expirations, { $ended } stop lists ended, { $age } removed at the age limit
msg-published = published { $records } records ({ $new } new) in { $files } log files, { $queues } queues and { $places } places to { $dir }; root { $root }
msg-dry-run = {" "}(dry run, nothing written)
