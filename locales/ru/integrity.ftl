# Контроль злоупотреблений (SPEC §13): вместимость, посещаемость, подтверждение льгот, отчёт о нарушениях.

err-capacity-exceeded = { $org }, год группы { $year }: вместимость { $capacity }, зачислено { $enrolled }, открытых мест { $open }: ещё { $adding } превысят её (можно не более { $room })
err-capacity-org = '{ $org }' не является организацией
msg-capacity-set = { $org }, год группы { $year }: вместимость { $places }
err-capacity-number = { $field }: '{ $value }' — не целое число от { $min } до { $max }
err-capacity-repeated = { $org }, год группы { $year }: уже указано в строке { $first }
noun-capacities = вместимостей
err-attendance-month = { $field }: '{ $value }' — не месяц (ГГГГ-ММ)
err-attendance-future = `month`: месяц { $month } ещё не наступил
err-attendance-days = `days_present`: '{ $value }' — не число дней от 0 до { $most } (рабочих дней в { $month })
err-attendance-org = `org_code`: '{ $org }' не является организацией
err-attendance-repeated = ребёнок { $child } в { $org } за { $month } уже указан в строке { $first }
err-attendance-exists = ребёнок { $child } в { $org } за { $month } уже передан прежним импортом
noun-attendance = строк посещаемости
err-integrity-code = `--fail-on`: '{ $code }' — не код отчёта ({ $codes })
msg-integrity = проверка: находок: { $count }
msg-integrity-failed = проверка: найдено { $codes } (`--fail-on`)
err-benefit-not-issued = направление { $number } не выдано: льгота подтверждается только по выданному направлению
err-benefit-general = направление { $number } на общих основаниях: подтверждать нечего
err-benefit-confirmed = направление { $number }: льгота уже подтверждена
err-benefit-doc-age = `--doc`: документ от { $date } не может подтвердить льготу сегодня (не старше { $days } дней и не из будущего)
msg-benefit-confirmed = направление { $number }: льгота подтверждена
