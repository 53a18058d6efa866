# Errors of the database layer, the audit, the imports and the publication (src/store, src/publish.rs, src/public_check).

## audit

err-audit-schema-foreign = { $kind } { $name } is not kezek's
err-audit-schema-altered = { $kind } { $name } is missing or altered
err-audit-schema-changed = the schema was changed outside kezek: { $differs }
err-audit-event-missing = journal event { $expected } is missing (the next event is { $seq })
err-audit-event-not-text = journal event { $seq }: column { $column } is not text: the event was edited outside kezek
err-audit-event-empty = journal event { $seq }: column { $column } is empty: the event was edited outside kezek
err-audit-rows-no-event = journal row digests for event { $seq }, which does not exist
err-audit-event-hash = journal event { $seq } ({ $kind } { $subject }) does not match its hash: the event or its row digests were edited
err-audit-event-no-officer = journal event { $seq } ({ $kind }) names no officer
err-audit-migration-no-version = journal event { $seq }: a migration event without a version
err-audit-migration-rows = journal event { $seq }: migration { $version } records rows it did not seed
err-audit-head-hash = signed head { $seq } does not match the journal's hash at { $seq }
err-audit-head-tree = signed head { $seq } names a tree (size { $size }) whose root is not the public log's
err-audit-head-previous = signed head { $seq } names head { $named } before it, but the journal's last head before it is { $last }: a head was deleted or moved
err-audit-head-not-checkpoint = signed head { $seq } is not a checkpoint, though the heads before it are (R-A8)
err-audit-unsigned = journal event { $seq } ({ $kind }) and those after it are not covered by a signed head
err-audit-head-no-event = signed head { $seq } points to no journal event
err-audit-published-cut = the published head { $seq } is not in the journal (it ends at { $last }): the journal was cut short
err-audit-published-rewritten = the published head { $seq } does not match the journal's hash at { $seq }: the journal was rewritten
err-audit-published-tree = the published head { $seq } names a tree whose root is not the public log's: the log was rewritten
err-audit-published-previous = the published head { $seq } names a head before it that the journal no longer holds: a head was deleted or moved
err-audit-published-signature = the published head { $seq } is not signed by officer '{ $officer }''s registered key
err-audit-record = journal event { $seq } ({ $kind }): its public record { $why }
err-audit-record-lacks-part = lacks part { $part }
err-audit-record-head = does not match the event (time, officer or kind)
err-audit-record-missing = is missing
err-audit-record-tail = does not match the event (seq or subject)
err-audit-record-no-event = a public record for journal event { $seq }, which does not exist
err-audit-record-part-unreadable = journal event { $seq }: part { $part } of its public record { $why }
err-audit-part-too-long = claims { $length } bytes
err-audit-part-damaged = does not unpack
err-audit-part-not-text = is not UTF-8 text
err-audit-tree-node = the public log's tree: node { $index } at level { $level } does not match the records (journal event { $seq })
err-audit-tree-size = the public log's tree holds { $stored } nodes where its { $records } records make { $nodes }
err-audit-problems = { $first } ({ $count } problem(s) in all)
err-audit-row-inserted = { $table } row { $key } has no journal event: it was inserted outside kezek
err-audit-row-deleted = { $table } row { $key } recorded by journal event { $seq } is missing: it was deleted outside kezek
err-audit-row-edited = { $table } row { $key } differs from what journal event { $seq } recorded: it was edited outside kezek
err-audit-row-undeleted = { $table } row { $key } exists although journal event { $seq } deleted it: it was inserted outside kezek
err-audit-bad-key = journal event { $seq } ({ $kind }): its { $key } is not a public key
err-audit-bad-role = R-R3: journal event { $seq } ({ $kind }) gives the role '{ $role }', which kezek does not know
err-audit-head-other-officer = signed head { $seq } is signed by officer '{ $officer }', but journal event { $event } it closes was made by officer '{ $other }'
err-audit-head-signature = signed head { $seq }: the signature is not officer '{ $officer }''s (key { $fingerprint })
err-audit-head-key-swapped = signed head { $seq }: officer '{ $officer }''s key { $fingerprint }, as the journal registered it, is neither in the journal nor in the officer table: the key was swapped outside kezek
err-audit-head-invalid = head { $seq }: { $what } is not valid
err-audit-not-head = { $field }: not a published kezek head ({ $why })
err-audit-not-head-first-line = the first line is not 'kezek journal head'
err-audit-not-head-line = line '{ $line }'
err-audit-not-head-no = no { $key }

## audit (continued)
err-audit-tree-lacks-node = the public log's tree lacks node { $index } at level { $level }

## db
err-db-missing = database { $path }: create it with `kezek init`
err-db-old-schema = database { $path } is at schema version { $version } of { $latest }: run `kezek init` to migrate it
err-db-settings = database { $path }: could not set WAL, synchronous=FULL and foreign keys (got { $mode }, { $synchronous }, { $foreign_keys })
err-db-not-kezek = --db: { $path } is not a kezek database
err-db-not-a-file = --db: { $path } is a directory, not a database file: name the file (for example { $path }/kezek.db)
err-db-not-regular = --db: { $path } is not a regular file: name a database file
err-db-not-sqlite = --db: { $path } is not a SQLite database (its first bytes are not SQLite's): name the kezek database, or a new file for `kezek init`
err-db-no-directory = directory { $dir } for --db { $path }: create it first, or name a database in an existing directory
err-db-wal-unreadable = --db: { $path } cannot be read here: its write-ahead log { $path }-wal holds changes, and reading them needs { $path }-shm, which cannot be created in a directory this user cannot write; run a command on it once with write access
err-db-no-key = --key (or KEZEK_KEY): the acting officer's private key is needed to sign this change
err-db-foreign-key = foreign_key_check: { $table } row { $rowid } points to a missing { $parent }
err-db-queue-counts = queue_day { $queue } { $year } { $class } day { $day }: counts { $kept } waiting, the applications are { $actual }
err-db-migration-failed = migration { $name } failed: { $error }
err-db-no-migration = no migration { $version }
err-db-secure-delete = could not set secure_delete for the purge (got { $got })

## officers
err-officers-unknown = unknown officer '{ $id }'
err-officers-inactive = officer '{ $id }' is inactive
err-officers-wrong-key = --key is not the key registered for officer '{ $id }'
err-officers-name-actor = officers exist: name the acting officer with --officer (or KEZEK_OFFICER)
err-officers-first-key = --key must be the private key of the first officer being added (it signs this change)
err-officers-exists = id: officer '{ $id }' exists already ({ $name })
err-officers-not-found = officer '{ $id }'
err-officers-inactive-already = officer '{ $id }' is inactive already
err-officers-last-active = officer '{ $id }' is the last active officer; add another before deactivating them
err-officers-last-admin = officer '{ $id }' is the last active admin; make another officer an admin first (kezek officer set-role ID --role admin)
err-officers-first-admin = the first officer is an admin (they register the others), not of role { $role }
err-officers-key-in-use = --public-key: this key is or was registered to officer '{ $holder }'; every officer has a key of their own
err-officers-own-key = officer '{ $id }' cannot rotate their own key: another officer does it, so that a trusted signature vouches for the new key

## places
err-places-no-org = { $field }: no organization '{ $org }'
err-places-bad-year = group_year: '{ $value }' is not a year
err-places-year-range = group_year: { $year } is outside the queue's group years ({ $from } to { $to })
err-places-bad-count = count: '{ $value }' is not a whole number
err-places-count-range = count: { $count } is out of range (1 to { $max })
err-places-not-found = place { $id }
err-places-cannot-withdraw = place { $id } is { $status }; only a free, offered or free_choice place can be withdrawn
err-places-org-not-found = organization { $code }

## offers
err-offers-not-working-day = { $today } is not a working day; the offer round runs on working days
err-offers-window-closed = today's offer window closed at { $closes }; run the round on the next working day

## calendar
err-calendar-day-off-already = { $date } is a day off already ({ $reason }); declare holidays on working days
err-calendar-working-already = { $date } is a working day already; declare workdays on days off
err-calendar-reason-weekday = working day
err-calendar-reason-weekend = weekend
err-calendar-reason-holiday = holiday: { $name }
err-calendar-reason-transferred = day off moved from { $from } ({ $name })
err-calendar-reason-declared-holiday = declared holiday: { $name }
err-calendar-reason-declared-workday = declared working day: { $name }
err-calendar-declared-already = date: { $date } is declared already ({ $kind }: { $name })
err-calendar-not-declared = declared day { $date }

## orgs and districts
err-orgs-exists = code: '{ $code }' exists already ({ $name })
err-districts-exists = name: the district '{ $name }' exists already

## applications
err-applications-not-found = application { $number }
err-applications-duplicate = the child { $child } already has application { $existing } in the { $queue } queue
err-applications-numbers-exhausted = application numbers for { $year } are exhausted
err-applications-not-waiting = application { $number } is { $status }: only a waiting application { $what }
err-applications-waiting-category = changes its category
err-applications-waiting-withdraw = can be withdrawn
err-applications-bad-category = --category: '{ $name }' is not a benefit category (see `kezek category list`)
err-applications-benefit-doc = category { $category }: a benefit needs a supporting document (--doc KIND:NUMBER:DATE)

## import
err-import-future = registered_at: { $at } is later than now ({ $now })
err-import-child-repeated = the child { $child } appears already on line { $first } in the { $queue } queue
err-import-number-repeated = number: { $number } is used already on line { $first }
err-import-number-repeated-earlier = number: { $number } is used already on an earlier line
err-import-number-exists = number: { $number } exists already
err-import-numbers-exhausted = number: the numbers of { $year } are exhausted
err-import-date-repeated = date: { $date } appears already on line { $first }
err-import-code-repeated = code: '{ $code }' appears already on line { $first }
err-import-bad-day-kind = kind: '{ $value }' is not a day kind (holiday, workday)
err-import-repeat = { $file } (sha256 { $sha256 }) was imported already on { $at } (journal event { $seq }, { $kind }); add --allow-repeat to import it again
err-import-db-refuses = the database refuses the row: { $error }

## directions
err-directions-not-found = direction { $number }
err-directions-cannot-revoke = direction { $number } is { $status }; only an issued one is revoked
err-directions-cannot-annul = direction { $number } is { $status }; only an issued direction, before enrollment, is annulled
err-directions-not-active = direction { $number } is { $status } (valid until { $until }); only an active direction enrolls
err-directions-benefit-doc = { $number } is in the { $class } class: give the issue date of the benefit document shown (--benefit-doc-date)
err-directions-no-enrollment = an enrollment of child { $child } at { $org } without a departure
err-directions-departure-early = the departure date { $date } comes before the enrollment of { $enrolled }
err-directions-doc-not-text = direction { $number }: the signed document is not text: it was edited outside kezek
err-directions-unknown-signer = direction { $number } is signed by unknown officer '{ $officer }'
err-directions-bad-signature = direction { $number }: the signature does not match the document and officer '{ $officer }''s key
err-directions-bad-purged-signature = direction { $number }: the signature does not match the digest its purged document kept and officer '{ $officer }''s key
err-directions-doc-field = direction { $number }: the signed document does not say { $field }: { $value }

## publish
err-publish-no-head = a signed checkpoint: no officer has changed anything yet
err-publish-old-head = a signed checkpoint: the latest head ({ $seq }) was signed by an earlier version of kezek; the next changing command signs one
err-publish-key-nowhere = journal event { $seq } ({ $kind }) registers key { $fingerprint }, which is nowhere in the database
err-publish-bad-record = public record { $seq }: { $error }
err-publish-not-prefix = { $path }: line { $line } is not this database's record (R-V3): the published log is not a prefix of this log, nothing written
err-publish-no-record = the public log has no record for journal event { $seq }
err-publish-foreign-checkpoint = { $path }: the published checkpoint (tree size { $size }) is not of this database's log (R-V3): nothing written

## public (audit public)
err-public-not-checkpoint = { $path }: not a checkpoint of the public log
err-public-not-utf8 = { $path }: not UTF-8 (R-V1)
err-public-not-canonical = { $path }:{ $line }: seq { $seq } is not in canonical form (R-V1)
err-public-size = { $path }: the log holds { $seq } records, the checkpoint's tree { $size } (R-V3)
err-public-root = { $path }: the root of the log's { $seq } records is not the checkpoint's (R-V2): a record was changed
err-public-previous-rewritten = --previous: the earlier checkpoint (tree size { $size }) is not a prefix of this log: a record before it was rewritten (R-V5)
err-public-app-not-found = application { $number } in the publication's log
err-public-not-record = { $at }: not a public record (R-V1): { $error }
err-public-wrong-seq = { $at }: holds seq { $got }, not { $seq }: the log was reordered or cut (R-V3)
err-public-no-key = officers.json: no key for the registration at seq { $seq } (R-V3)
err-public-no-officer-row = seq { $seq }: an officer.set_role record without the officer's row (R-V1)
err-public-key-not-officers = officers.json: the key of seq { $seq } is not officer '{ $officer }''s
err-public-app-time = { $at }: application { $number }: registered_at is not a time
err-public-app-fields = { $at }: seq { $seq }: { $error }: not an application's fields (R-V1)
err-public-backdated = { $at }: seq { $seq }: application { $number } is registered at { $registered }, more than { $minutes } minutes before its event was recorded (R-V5)
err-public-not-json = { $path }: not JSON: { $error }
err-public-not-key = { $path }: seq { $seq }: not a public key
err-public-fingerprint = { $path }: seq { $seq }: the fingerprint is not the key's
err-public-not-signed = { $what }: not signed by officer '{ $officer }''s trusted key (R-A7)
err-public-round-unregistered = { $at }: seq { $seq }: the offer round notified { $number }, which the log never registered (R-V5)
err-public-round-not-queued = { $at }: seq { $seq }: the offer round notified { $number }, which was { $status } and not queued (R-P3, R-V5)
err-public-round-passed-over = { $at }: seq { $seq }: the offer round notified { $after } but passed over { $number }, queued ahead of it (R-Q2, R-P3, R-V5)
err-public-round-siblings = { $at }: seq { $seq }: the offer round lists { $number } among the twins it notified together, but did not notify it (R-C5, R-V5)
err-public-queue-empty = { $path }: nobody waits in this queue by the log (R-V5)
err-public-queue-missing = { $path }: missing: applications wait in this queue (R-V5)
err-public-queue-line = { $path }:{ $line }: '{ $got }' where the log gives '{ $want }' (R-V5, R-Q2)
err-public-queue-lines = { $path }: { $lines } lines where the log gives { $total } (R-V5)
err-public-round-place = { $at }: seq { $seq }: place { $place }, offered by round { $round }, was directed to { $application }, which that round did not notify (R-D3, R-V5)
