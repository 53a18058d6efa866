# Контроль злоупотреблений (SPEC §13): вместимость, посещаемость, подтверждение льгот, отчёт о нарушениях.

err-capacity-exceeded = { $org }, год группы { $year }: вместимость { $capacity }, зачислено { $enrolled }, открытых мест { $open }: ещё { $adding } превысят её (можно не более { $room })
err-capacity-org = '{ $org }' не является организацией
msg-capacity-set = { $org }, год группы { $year }: вместимость { $places }
err-capacity-number = { $field }: '{ $value }' — не целое число от { $min } до { $max }
err-capacity-repeated = { $org }, год группы { $year }: уже указано в строке { $first }
noun-capacities = вместимостей
