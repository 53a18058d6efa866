# The command line's own messages: errors, questions, prompts and status lines of src/cli and the demo.

## application

cli-application-flag-required = --{ $flag } is required
cli-application-give-iin-or-name = give --iin, or --name with --birth-date
cli-application-child-not-found = no application of that child
cli-application-category-changed = { $number }: category { $from } -> { $to }
cli-application-withdraw-confirm = Withdraw application { $number } (removed, reason withdrawn)?
cli-application-explained = { $number }: position { $then } then, { $now } now, { $count } events moved it
cli-application-prompt-child-iin = Child's IIN
cli-application-prompt-child-name = Child's full name
cli-application-prompt-applicant-iin = Applicant's IIN
cli-application-prompt-applicant-name = Applicant's full name
cli-application-prompt-phone = Phone (+7 and ten digits)
cli-application-prompt-email = E-mail
cli-application-prompt-district = District
cli-application-prompt-doc = Supporting document KIND:NUMBER:YYYY-MM-DD
cli-application-prompt-consent = Consent to process the child's data (egov or written[:DATE])

## audit

cli-audit-trust-needs-key = --trust: give the first officer's public key (PEM) to check a publication
cli-audit-passed-over = note: the offer round at seq { $seq } passed over { $count } queued application(s) ahead of the last it notified, as it declared (R-D5: the child attends an organization; R-C6: under min_age_years; R-C5: twins with no kindergarten holding a place for each); `--format json` lists them
cli-audit-later-import = warning: application import at seq { $seq } after the first: { $rows } rows, { $backdated } back-dated more than { $minutes } minutes (R-V5)
cli-audit-publication-ok = publication ok: { $records } records, root { $root }, signed by { $signer }; { $queues } queues of { $applications } applications and { $rounds } offer rounds replayed{ $consistent }
cli-audit-consistent = ; consistent with the checkpoint of { $records } records
cli-audit-explained = { $number }: position { $then } at its registration, { $now } now, { $count } events moved it
cli-audit-no-head = a signed head: no officer has changed anything yet

## calendar

cli-calendar-declared = { $date } declared a { $kind }
cli-calendar-not-a-date = date: '{ $value }' is not a date (YYYY-MM-DD)
cli-calendar-removed = declaration of { $date } removed
cli-calendar-not-a-kind = --kind: '{ $value }' is not a day kind (holiday, workday)

## child

cli-child-departed = departure from { $org } on { $date }: place { $place } is free from { $free }

## db

cli-db-backup-exists = { $file } exists; kezek never overwrites a backup
cli-db-backed-up = backed up { $db } to { $file }
cli-db-purge-ahead = --before { $before } is after today ({ $today }): a purge reaches back, never ahead
cli-db-purge-confirm = Anonymise the applications that ended before { $before }? This cannot be undone.
cli-db-purged = purged { $applications } applications, { $notifications } notifications, { $enrollments } enrollments, { $directions } direction documents that ended before { $before }
cli-db-purge-not-wiped = another process kept the database busy, or the disk had no room to rebuild it: its free space or write-ahead log may still hold purged values; run the same `kezek db purge` again later to wipe them
cli-db-purge-replicated = the database is replicated by Litestream: its write-ahead log is left to Litestream, which folds it into the rebuilt file; the replica keeps the purged values until its `retention` (litestream.yml) has passed

## demo

cli-demo-not-a-demo = { $path } holds data that is not a kezek demo; the demo starts from an empty database (choose another --db)
cli-demo-start = kezek demo: a sample city in { $path }
cli-demo-generating-key = generating the demo officer's RSA key...
cli-demo-accounts = registered { $count } accounts, each with the least it needs (R-R1; kezek officer roles): { $list }
cli-demo-imported-orgs = imported { $count } organizations from { $file }
cli-demo-imported-days = imported { $count } declared days from { $file }
cli-demo-imported-applications = imported { $count } applications migrated from an older system
cli-demo-month-progress = a month of the queue
cli-demo-month = A month of the queue, day by day:
cli-demo-orgs = Organizations by district:
cli-demo-calendar = The working-day calendar of { $year } (days that differ from a plain week):
cli-demo-valid-until = A direction issued today ({ $today }) is valid to the end of { $until } (5 working days, R-D1).
cli-demo-queues = The queues (waiting applications by queue type, group year and class):
cli-demo-head = The head of the largest queue ({ $queue_type } { $group_year }): out of turn first, then one first-priority for every { $general } general (R-Q2):
cli-demo-notice = Its registration notice (kezek application notice):
cli-demo-stats = Statistics of the month (kezek stats --from { $from } --to { $to }):
cli-demo-card = The card of { $number } ({ $status }), kezek application card:
cli-demo-outbox = The outbox holds { $count } e-mails and SMS for the families (kezek notify export).
cli-demo-journal = Journal: { $events } events, { $heads } signed heads, { $rows } rows verified (kezek audit verify).
cli-demo-published = The month's public log is published in { $dir }/ ({ $records } records, root { $root }), with no personal data in it. Anyone can check it without the database, with kezek or with the independent verifier:
cli-demo-try = Try it yourself (kezek is target/release/kezek, or `cargo run --release --`), at the demo's clock, the morning after its month (so that a registration or a sweep follows the month's events):

## direction

cli-direction-key-required = --key (or KEZEK_KEY): the acting officer's private key signs the direction
cli-direction-extended = direction { $direction } extended to { $until }
cli-direction-revoke-confirm = Revoke direction { $direction } at the applicant's request?
cli-direction-revoked = direction { $direction } revoked; the place is free and the application waits again
cli-direction-annul-confirm = Annul direction { $direction }?
cli-direction-annulled = direction { $direction } annulled; the place is free and the application waits again
cli-direction-verified = direction { $direction }: signature valid (officer { $officer }, key { $key }), status { $status }

## history

cli-history-not-a-table = --table: '{ $value }' is not a table ({ $tables })
cli-history-no-events = no journal events for '{ $key }'

## init

cli-init-created = created { $path } at schema version { $version }
cli-init-up-to-date = { $path } is at schema version { $version }: nothing to do
cli-init-migrated = migrated { $path } from schema version { $from } to { $to }

## man

cli-man-written = man pages written to { $dir }

## mod (what every command shares)

cli-mod-officer-required = --officer (or KEZEK_OFFICER): name the acting officer (R-A2)
cli-mod-import-progress = { $what } import

## notify

cli-notify-exported = { $count } notifications exported and marked sent
cli-notify-waiting = { $count } notifications waiting (not marked)

## officer

cli-officer-generating = generating an RSA-{ $bits } key pair...
cli-officer-wrote-keys = wrote { $private } (private, mode 0600) and { $public } (public)
cli-officer-rotated = officer { $id } now signs with key { $fingerprint }
cli-officer-role-set = officer { $id } now has the role { $role }
cli-officer-role-required = --role: name the new officer's role: admin, officer, kindergarten or service (kezek officer roles)
cli-officer-reach-administration = the city's administration
cli-officer-reach-city = the whole city
cli-officer-reach-district = the officer's district
cli-officer-reach-org = an organization of the officer's district, or the kindergarten's own
cli-officer-deactivate-confirm = Deactivate officer '{ $id }'?
cli-officer-deactivated = officer { $id } deactivated

## output

cli-output-prompt-failed = prompt: { $error }

## place

cli-place-withdraw-confirm = Withdraw place { $id }?
cli-place-withdrawn = place { $id } withdrawn

## proof

cli-proof-seq-out-of-tree = --seq { $seq }: the tree of { $size } leaves holds events 1 to { $size }
cli-proof-bad-sizes = --from { $from } --to { $to }: sizes from 1 up to the log's { $last }, --from no larger than --to

## settings

cli-settings-unchanged = { $key }: { $value } (unchanged)

## stats

cli-stats-period-from = { $from } to { $to }
cli-stats-period-up-to = up to { $to }
cli-stats-waiting = Waiting (внеочередники, первоочередники, на общих основаниях):
cli-stats-moves = Directions and removals, { $period }:
cli-stats-free-places = Free places by organization kind, district and language:
cli-stats-median = Median days from registration to direction, { $period }:
cli-demo-allocation = The evening of { $day }: forty families of one queue ranked two to four kindergartens (`kezek application prefer`), and `kezek allocate` gave { $directions } directions by serial dictatorship: in queue order, each family gets its best-ranked kindergarten that still has a place, so ranking truthfully is always best and nobody ahead envies anyone behind; { $unplaced } with preferences keep their position. The first ten:
cli-demo-exchange = Then two children attending different kindergartens asked for each other's (`application register --transfer`), and `kezek exchange` found { $cycles } cycle(s) by Top Trading Cycles and moved { $moves } children at once, each by a signed direction:
cli-audit-choice-replayed = { $allocations } allocation run(s) replayed by serial dictatorship (R-C2), { $exchanges } exchange run(s) by Top Trading Cycles (R-C4)
cli-demo-founded = The city moved its queue to kezek on { $founded }: that day it imported the organizations, the calendar and the queue above. On { $enrolled }, before the demo's month, the private kindergarten { $org } enrolled two children born in { $year }, directed to its places (R-D4).
cli-demo-controls = Last, the controls against abuse (SPEC §13). Over these months the demo did, with the commands officers and kindergartens use, one thing of each kind a prosecutor's check looks for:
cli-demo-plant-over = `over_capacity`: on the last evening { $org } declared a capacity of { $places } for { $year } (`org capacity-import`), below the { $enrolled } children it holds.
cli-demo-plant-held = `places_held_back`: { $org } declared { $places } places for { $year }, ten more than the children it holds and the places it publishes.
cli-demo-plant-ghost = `attendance_without_enrollment`: { $org } reported its attendance of { $month } (`attendance import`) with a child who waits in the queue and attends no kindergarten: a "dead soul" the state would pay for.
cli-demo-plant-absent = `enrollment_without_attendance`: in the same import the private kindergarten { $org } reported every month since { $since }: one of its two children present, the other never, a place the state pays for and nobody uses.
cli-demo-plant-benefit = `benefit_share`: at the counter the officer { $officer } registered { $benefit } of { $total } new families of the month in a benefit class ("a large family": nobody checks the certificate there); the demo officer { $own_benefit } of { $own_total }.
cli-demo-plant-backdated = `backdated_registration`: at 19:10 { $rows } applications were imported as a migration after the city's own (`application import paper-list.csv`), registered from { $from } to { $to }: a paper list typed in late, or the easiest way to put children ahead in the queue; `audit public` lists that import too.
cli-demo-plant-scheme = `free_choice_far_down` and `double_enrollment`: at 19:25 a round offered a place at { $state } to the head of a queue, its window closing at { $closes }; at 19:35 the family of { $first } took a place at the private kindergarten { $private } (its application left the queue), at 19:40 registered the child again as { $again } (position { $position }), and at 20:30 an officer gave { $again } the place at { $state }, in free choice since the window closed; on { $morning } both kindergartens enrolled the child.
cli-demo-plant-late = `late_publication`: at 20:40 { $org } published { $count } places for { $year } that were freed on { $released }: three weeks in which nobody could be offered them.
cli-demo-integrity = `kezek integrity`, on the morning of { $morning }, finds { $count } finding(s); in cron, `--fail-on` makes it mail them:
cli-demo-pinned-past = This demo ran at a clock set in the past (`--now`, `KEZEK_NOW`): every application it registered is back-dated by R-V5's measure too (registered at the demo's time, recorded at the real one), so the report lists those as well, and `audit public` refuses the publication.
