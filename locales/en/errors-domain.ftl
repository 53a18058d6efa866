# Errors of the checks on values, records, CSV files and keys, and the frames around every error message.

## The frames around messages (error.rs)

err-error-not-found = not found: { $what }
err-error-audit-failed = audit failed: { $message }
err-error-busy = database busy: another kezek process is writing to it; try again later
err-error-read-only = database { $path } cannot be written here (its file, its directory or its disk is read-only): commands that only read it work, changes are refused; nothing was changed
err-error-read-only-unnamed = the database cannot be written here (its file, its directory or its disk is read-only): nothing was changed
err-error-disk-full = the disk holding { $path } is full: nothing was kept; free some space and run the command again
err-error-disk-full-unnamed = the disk is full: nothing was kept; free some space and run the command again
err-error-database = database: { $message }
err-error-bad-rows = { $file }: { $count } bad row(s), nothing written:
err-error-bad-rows-more = … and { $count } more bad row(s), not listed: the first { $shown } are above; correct them and run the command again to see the next
err-error-line = line { $line }: { $message }
err-error-characters = ({ $count ->
    [one] { $count } character
   *[other] { $count } characters
  })
err-error-io = i/o

## Names, codes, phone numbers (fields.rs)

err-fields-empty = { $field }: must not be empty
err-fields-one-line = { $field }: must be one line without control characters
err-fields-too-long = { $field }: longer than { $max } characters
err-fields-code = { $field }: '{ $value }' is not valid (1 to { $max } of letters A-Z, digits, '.', '_', '-', starting with a letter or digit)
err-fields-phone = { $field }: not a phone number ({ $why }; expected +7 and ten digits, e.g. +77011234567)
err-fields-phone-empty = empty
err-fields-phone-characters = it holds characters other than digits, spaces, dashes and brackets
err-fields-phone-plus-seven = +7 and { $count ->
    [one] { $count } digit
   *[other] { $count } digits
  }
err-fields-phone-country = a country code other than +7
err-fields-phone-eight = 8 and { $count ->
    [one] { $count } digit
   *[other] { $count } digits
  }
err-fields-phone-no-prefix = { $count ->
    [one] { $count } digit
   *[other] { $count } digits
  } without +7 or 8 in front

## IIN (iin.rs)

err-iin-invalid = { $field }: { $value } is not a valid IIN ({ $why })
err-iin-length = 12 digits expected
err-iin-century = the 7th digit must be 1 to 6
err-iin-birth-date = the first six digits are not a birth date
err-iin-check-digit = wrong check digit

## Applications (application.rs)

err-application-queue-type = { $field }: '{ $value }' is not a queue type (general, sanatorium)
err-application-language = { $field }: '{ $value }' is not a language (ru, kk)
err-application-status = { $field }: '{ $value }' is not a status (queued, notified, stop_listed, directed, enrolled, removed)
err-application-document = { $field }: '{ $value }' is not a document (expected KIND:NUMBER:YYYY-MM-DD)
err-application-document-future = { $field }: document { $kind } { $number } is dated { $date }, in the future
err-application-consent = { $field }: '{ $value }' is not a consent (egov or written, optionally :YYYY-MM-DD)
err-application-consent-after = { $field }: consent dated { $date } comes after the registration ({ $registered })
err-application-email = { $field }: not an e-mail address ({ $why }; expected one address, e.g. name@mail.kz)
err-application-email-empty = empty
err-application-email-long = longer than 254 characters
err-application-email-space = it holds a space or a control character
err-application-email-no-at = no '@'
err-application-email-two-at = more than one '@'
err-application-email-no-name = nothing before '@'
err-application-email-no-domain = no domain with a dot after '@'
err-application-category = { $field }: '{ $value }' is not a benefit category (see `kezek category list`)
err-application-birth-future = child_iin: the birth date { $date } is in the future
err-application-too-old = the child (born { $birth }) is { $age } on { $today }; the queue takes children under { $max }
err-application-category-needs-doc = category { $category }: a benefit needs at least one supporting document (--doc KIND:NUMBER:DATE)
err-application-sanatorium-needs-doc = a sanatorium application needs a medical conclusion (--doc medical_conclusion:NUMBER:DATE)
err-application-number = { $field }: '{ $value }' is not an application number ({ $prefix }.YYYY.NNNNNN.1)

## Directions (direction.rs)

err-direction-status = { $field }: '{ $value }' is not a direction status (issued, enrolled, expired, revoked, annulled)
err-direction-extend-inactive = the direction is { $status } (valid until { $until }): only an active one is extended
err-direction-extended-once = the direction has been extended once already
err-direction-extension-days = an extension is 1 to { $max } calendar days, not { $days }
err-direction-revocation-late = revocation by the applicant is possible within { $hours } hours of issue ({ $issued }), until { $until }; an officer may annul it instead
err-direction-benefit-doc-future = the benefit document is dated { $date }, in the future
err-direction-benefit-doc-old = the benefit document is dated { $date }; it must be no earlier than { $earliest } ({ $days } days before the direction of { $issued })
err-direction-not-live = direction { $number }: the signature is valid but { $ended }{ $purged }
err-direction-ended-status = the direction was { $status }
err-direction-ended-expired = the direction expired on { $date }
err-direction-ended-issued = the direction is issued
err-direction-ended-enrolled = the child was enrolled and the service is completed
err-direction-ended-enrolled-on = the child was enrolled on { $date } and the service is completed
err-direction-purged = ; its document was purged on { $date } and only its SHA-256 is kept
err-direction-service-not-completed = direction { $number } is { $status }: the service is completed at enrollment
err-direction-stop-listed = { $application } is on the stop list until { $until }
err-direction-holds-active = { $application } holds the active direction { $direction }
err-direction-not-waiting = { $application } is { $status }, not waiting in the queue
err-direction-attends = the child of { $application } attends { $org } with no departure recorded
err-direction-place-type = place { $place } is a { $place_type } place; { $application } waits in the { $queue } queue
err-direction-place-group-year = place { $place } is for group year { $place_year }; { $application } is in group year { $year }
err-direction-place-not-free = place { $place } is { $status }; a { $kind } place must be free
err-direction-place-not-offered = place { $place } is { $status }; a { $kind } place must be offered or free_choice
err-direction-place-offered = place { $place } is offered to the families notified in a window open now; { $application } is { $status } with no open window
err-direction-min-age = a direction needs a child of at least { $min } full years (setting min_age_years); the child of { $application } is { $age } on { $date }
err-direction-private-age = a private place needs a child of at least { $min } full years; the child of { $application } is { $age } on { $date }

## Rows of a public record (record.rs)

err-record-row = a row: { $error }
err-record-application-row = an application row: { $error }

## Districts (district.rs)

err-district-unknown = { $field }: '{ $value }' is not a district of the city (R-L2): { $hint } (kezek district list; kezek district add)
err-district-known = the city's districts: { $names }
err-district-did-you-mean = did you mean { $names }?
err-district-or = {" or "}

## Organizations and places (org.rs, place.rs)

err-org-kind = { $field }: '{ $value }' is not an org kind (state, private, sanatorium)
err-place-type = { $field }: '{ $value }' is not a place type (regular, sanatorium)
err-place-status = { $field }: '{ $value }' is not a place status (free, offered, free_choice, directed, filled, withdrawn)
err-place-org-type = a { $kind } organization publishes { $expected } places, not { $place_type }

## Settings, the sweep, dates and times (settings.rs, sweep.rs, time.rs)

err-settings-unknown = unknown setting '{ $key }'; the settings are: { $known }
err-settings-range = { $key }: '{ $value }' is out of range (a whole number from { $min } to { $max })
err-settings-window = { $key }: '{ $value }' is not a window (expected HH:MM-HH:MM with the start before the end)
err-sweep-day-not-begun = the sweep processes days that have begun: --date { $day } is after today ({ $today })
err-time-year = { $field }: '{ $value }' has the year { $year }, outside { $first } to { $last }
err-time-date = { $field }: '{ $value }' is not a date (expected YYYY-MM-DD, e.g. 2026-09-01)
err-time-moment = { $field }: '{ $value }' is not a time (expected RFC 3339, or YYYY-MM-DD[THH:MM] in Almaty time)
err-time-before-standard = { $field }: '{ $value }' is before { $date }, when Almaty's standard time began

## The trust chain of officer keys (trust.rs)

err-trust-registered-twice = R-A7: journal event { $seq } registers officer '{ $officer }' a second time
err-trust-anchor = R-A7: the first officer '{ $officer }' (journal event { $seq }) has key { $fingerprint }, not the trusted anchor { $anchor }
err-trust-rotate-unknown = R-A7: journal event { $seq } rotates the key of unknown officer '{ $officer }'
err-trust-deactivate-unknown = R-A7: journal event { $seq } deactivates unknown officer '{ $officer }'
err-trust-head-unknown = R-A7: signed head { $seq } names officer '{ $officer }', whom the journal never registered
err-trust-head-deactivated = R-A7: signed head { $seq } is signed by officer '{ $officer }', who was deactivated before it
err-trust-head-untrusted = R-A7: signed head { $seq } is signed by officer '{ $officer }' with key { $fingerprint }, registered at journal event { $registered } and never covered by a head of another trusted officer
err-trust-role-unknown = R-R3: journal event { $seq } sets the role of unknown officer '{ $officer }'
err-trust-acted-unknown = R-R3: journal event { $seq } ({ $kind }) names officer '{ $officer }', whom the journal never registered
err-trust-role-refused = R-R3: journal event { $seq } ({ $kind }) was made by officer '{ $officer }', whose role at that point ({ $role }, district { $district }) does not allow it
err-trust-kind-unknown = R-R3: journal event { $seq } is of kind '{ $kind }', which no kezek command writes

## Keys (crypto.rs)

err-crypto-not-public-key = { $field }: not an RSA public key ({ $error })
err-crypto-not-private-key = { $field }: not an RSA private key ({ $error })
err-crypto-keygen = key generation failed: { $error }
err-crypto-key-file = { $field }: key file { $path }
err-crypto-key-unreadable = { $field }: cannot read { $path }: { $error }
err-crypto-key-open = { $field }: { $path } may be read by others (mode { $mode }); run chmod 600 { $path }
err-crypto-key-exists = { $field }: { $path } exists; kezek never overwrites a key (choose another directory)
err-crypto-out-not-dir = --out: { $path } is a file, not a directory: name a directory for officer.key and officer.pub (it is created if missing)
err-crypto-not-pem = { $field }: not a PEM file ({ $error })
err-crypto-pem-tag = { $field }: expected a '{ $expected }' PEM block, found '{ $found }'
err-crypto-bits = { $field }: an RSA key of { $bits } bits; kezek needs { $min } to { $max }

## CSV files (csvfile)

err-csvfile-empty = header: the file is empty (a header row is required: { $expected })
err-csvfile-header-unclosed = header: unclosed quote: the quote opened on line { $line } is never closed (expected columns { $expected })
err-csvfile-header = header: { $reason }
err-csvfile-header-not-utf8 = header: column { $column } is not valid UTF-8 (save the file as UTF-8; expected columns { $expected })
err-csvfile-not-a-header = header: line { $line } is not a header: expected columns { $expected }, separated by commas or semicolons
err-csvfile-header-problems = header: { $problems } (expected columns { $expected })
err-csvfile-unknown-column = unknown column '{ $column }'
err-csvfile-unknown-column-at = unknown column { $position } (not a column name)
err-csvfile-column-twice = column '{ $column }' appears twice
err-csvfile-missing-column = missing column '{ $column }'
err-csvfile-utf16 = header: the file is UTF-16 (Unicode text): save it as CSV UTF-8, or as CSV
err-csvfile-field-count = { $count } fields where the header has { $expected }
err-csvfile-unclosed = { $field }: unclosed quote: the quote opened on line { $line } is never closed, so the rest of the file would be one value
err-csvfile-not-utf8 = { $field }: not valid UTF-8 (save the file as UTF-8)
err-csvfile-field = field { $position }
err-csvfile-reason-utf8 = not valid UTF-8 (field { $position })
err-csvfile-read-error = read error: { $error }
err-csvfile-file = file { $name }
err-csvfile-unreadable = { $name }: cannot read: { $error }

## The synthetic city (generate.rs)

err-generate-csv = generated CSV
err-settings-choice = { $key }: '{ $value }' is not one of { $words }
err-direction-sibling-org = { $application } is linked to siblings directed to { $orgs }: twins are directed to one organization, not to { $org }
err-input-missing = { $what }: { $path } does not exist
err-input-unreadable = { $what }: { $path } cannot be read: { $error }
err-input-not-regular = { $what }: { $path } is not a regular file (a device, a directory or a pipe is not read)
err-input-too-big = { $what }: { $path } is larger than { $max } bytes, more than any key or head
err-input-not-text = { $what }: { $path } is not text (UTF-8)
err-input-line-too-long = { $name }: line { $line } is longer than { $max } bytes; nothing was read past it

## Roles and scopes (role.rs)

err-role-unknown = { $field }: '{ $value }' is not a role: admin, officer, kindergarten or service
err-role-refused = officer '{ $officer }' (role { $role }) may not run `kezek { $command }`: { $why }
err-role-needs = it needs the role { $roles } (kezek officer roles)
err-role-city-wide = a round over the whole city needs an officer of district `*`, and theirs is { $district }
err-role-other-district = it reaches district { $district }, and theirs is { $own }
err-role-other-org = it reaches organization { $org }, and theirs is { $own }
err-role-kindergarten-org = --org: a kindergarten account names its organization (--org CODE)
err-role-org-only-kindergarten = --org: only a kindergarten account names an organization, not one of role { $role }
err-role-org-outside = --org: organization { $org } is in district { $org_district }, not in the officer's district { $district }
err-role-no-org = organization { $org }
err-role-city-wide-officer = --district: only an officer of role officer may have the district `*` (the whole city), not one of role { $role }
