# Controls against abuse (SPEC §13): capacity, attendance, benefit confirmation, the integrity report.

err-capacity-exceeded = { $org }, group year { $year }: capacity { $capacity }, { $enrolled } enrolled and { $open } places open: { $adding } more would pass it (at most { $room })
err-capacity-org = '{ $org }' is not an organization
msg-capacity-set = { $org }, group year { $year }: capacity { $places }
err-capacity-number = { $field }: '{ $value }' is not a whole number from { $min } to { $max }
err-capacity-repeated = { $org }, group year { $year }: given already on line { $first }
noun-capacities = capacities
