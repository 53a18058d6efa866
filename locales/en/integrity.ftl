# Controls against abuse (SPEC §13): capacity, attendance, benefit confirmation, the integrity report.

err-capacity-exceeded = { $org }, group year { $year }: capacity { $capacity }, { $enrolled } enrolled and { $open } places open: { $adding } more would pass it (at most { $room })
err-capacity-org = '{ $org }' is not an organization
msg-capacity-set = { $org }, group year { $year }: capacity { $places }
err-capacity-number = { $field }: '{ $value }' is not a whole number from { $min } to { $max }
err-capacity-repeated = { $org }, group year { $year }: given already on line { $first }
noun-capacities = capacities
err-attendance-month = { $field }: '{ $value }' is not a month (YYYY-MM)
err-attendance-future = month: { $month } is in the future
err-attendance-days = days_present: '{ $value }' is not a number of days from 0 to { $most }, the working days of { $month }
err-attendance-org = org_code: '{ $org }' is not an organization
err-attendance-repeated = the child { $child } at { $org } in { $month } is reported already on line { $first }
err-attendance-exists = the child { $child } at { $org } in { $month } was reported by an earlier import
noun-attendance = attendance rows
err-integrity-code = --fail-on: '{ $code }' is not a code of the report ({ $codes })
msg-integrity = integrity: { $count } finding(s)
msg-integrity-failed = integrity: { $codes } found (--fail-on)
err-benefit-not-issued = direction { $number } is not issued: only an issued direction's benefit is confirmed
err-benefit-general = direction { $number } is of the general class: it has no benefit to confirm
err-benefit-confirmed = direction { $number }: its benefit is confirmed already
err-benefit-doc-age = --doc: a document of { $date } cannot confirm the benefit today (at most { $days } days old, not in the future)
msg-benefit-confirmed = direction { $number }: benefit confirmed
