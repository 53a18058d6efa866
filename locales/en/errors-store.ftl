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
err-audit-tree-node = the public log's tree: node { $index } at level { $level } does not match the records (journal event { $seq })
err-audit-tree-size = the public log's tree holds { $stored } nodes where its { $records } records make { $nodes }
err-audit-problems = { $first } ({ $count } problem(s) in all)
err-audit-row-inserted = { $table } row { $key } has no journal event: it was inserted outside kezek
err-audit-row-deleted = { $table } row { $key } recorded by journal event { $seq } is missing: it was deleted outside kezek
err-audit-row-edited = { $table } row { $key } differs from what journal event { $seq } recorded: it was edited outside kezek
err-audit-row-undeleted = { $table } row { $key } exists although journal event { $seq } deleted it: it was inserted outside kezek
err-audit-bad-key = journal event { $seq } ({ $kind }): its { $key } is not a public key
err-audit-head-other-officer = signed head { $seq } is signed by officer '{ $officer }', but journal event { $event } it closes was made by officer '{ $other }'
err-audit-head-signature = signed head { $seq }: the signature is not officer '{ $officer }''s (key { $fingerprint })
err-audit-head-key-swapped = signed head { $seq }: officer '{ $officer }''s key { $fingerprint }, as the journal registered it, is neither in the journal nor in the officer table: the key was swapped outside kezek
err-audit-head-invalid = head { $seq }: { $what } is not valid
err-audit-not-head = { $field }: not a published kezek head ({ $why })
err-audit-not-head-first-line = the first line is not 'kezek journal head'
err-audit-not-head-line = line '{ $line }'
err-audit-not-head-no = no { $key }
