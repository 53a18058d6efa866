# Choice (SPEC §12): preferences, siblings, allocation and exchange.

err-choice-too-many = { $count } preferences; at most { $max } may be ranked (setting max_preferences)
err-choice-twice = '{ $org }' is ranked twice
err-choice-unknown-org = '{ $org }' is not an organization
err-choice-wrong-kind = '{ $org }' is a { $kind } organization and cannot serve the { $queue } queue
err-choice-sibling-applicant = { $number } is of another applicant; siblings are linked by one applicant
err-choice-sibling-same-child = { $number } is of the same child
err-choice-sibling-born = the child of { $number } was born more than 31 days apart
err-choice-sibling-queue = { $number } waits in another queue (queue type and group year); linked siblings are directed together
err-choice-sibling-waiting = { $number } no longer waits in the queue
err-choice-not-working-day = { $day } is not a working day; the allocation runs on working days
msg-allocated = allocation{ $dry }: { $directions } directions issued, { $unplaced } applications with preferences left waiting
msg-preferences = { $number }: preferences { $preferences }
msg-preferences-cleared = { $number }: preferences removed
err-choice-transfer-not-enrolled = a transfer application is for a child enrolled in an organization; this child attends none
err-choice-not-waiting = { $number } is { $status }: only a waiting application ranks organizations
err-choice-replay-extra = { $at }: seq { $seq }: the allocation gave place { $place } to { $application }, which serial dictatorship over the published preferences does not (R-C2, R-V5)
err-choice-replay-missing = { $at }: seq { $seq }: serial dictatorship over the published preferences gives place { $place } to { $application }, which the allocation did not (R-C2, R-V5)
err-choice-exchange-not-working-day = { $day } is not a working day; the exchange runs on working days
msg-exchanged = exchange{ $dry }: { $cycles } cycles carried out, { $moves } children moved, { $unmatched } transfer applications keep their place
err-choice-exchange-unknown-place = { $at }: seq { $seq }: the exchange names place { $place }, which the log never published (R-C4, R-V5)
err-choice-exchange-replay = { $at }: seq { $seq }: the exchange's moves are not Top Trading Cycles' over its participants and their published preferences: see { $application } and place { $place } (R-C4, R-V5)
