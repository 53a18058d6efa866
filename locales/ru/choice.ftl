# Выбор (SPEC §12): предпочтения, братья и сёстры, распределение и обмен.

err-choice-too-many = { $count ->
    [one] { $count } предпочтение
    [few] { $count } предпочтения
   *[many] { $count } предпочтений
}; можно указать не более { $max } (настройка `max_preferences`)
err-choice-twice = '{ $org }' указана дважды
err-choice-unknown-org = '{ $org }' не является организацией
err-choice-wrong-kind = '{ $org }' — организация вида '{ $kind }' и не может обслуживать очередь '{ $queue }'
err-choice-sibling-applicant = { $number } подано другим заявителем; братьев и сестёр связывает один заявитель
err-choice-sibling-same-child = { $number } подано на того же ребёнка
err-choice-sibling-born = ребёнок по { $number } родился с разницей более 31 дня
err-choice-sibling-queue = { $number } стоит в другой очереди (тип очереди и год группы); связанные дети направляются вместе
err-choice-sibling-waiting = { $number } больше не стоит в очереди
err-choice-not-working-day = { $day } — не рабочий день; распределение проводится в рабочие дни
msg-allocated = распределение{ $dry }: выдано направлений: { $directions }, заявлений с предпочтениями осталось в очереди: { $unplaced }
msg-preferences = { $number }: предпочтения { $preferences }
msg-preferences-cleared = { $number }: предпочтения удалены
err-choice-transfer-not-enrolled = заявление на перевод подаётся на ребёнка, зачисленного в организацию; этот ребёнок никуда не зачислен
err-choice-not-waiting = { $number } в статусе '{ $status }': предпочтения указывает только ожидающее заявление
err-choice-replay-extra = { $at }: событие { $seq }: распределение отдало место { $place } заявлению { $application }, а последовательный выбор по опубликованным предпочтениям — нет (R-C2, R-V5)
err-choice-replay-missing = { $at }: событие { $seq }: последовательный выбор по опубликованным предпочтениям даёт место { $place } заявлению { $application }, а распределение — нет (R-C2, R-V5)
err-choice-exchange-not-working-day = { $day } — не рабочий день; обмен проводится в рабочие дни
msg-exchanged = обмен{ $dry }: циклов проведено: { $cycles }, детей переведено: { $moves }, заявлений на перевод осталось без обмена: { $unmatched }
err-choice-exchange-unknown-place = { $at }: событие { $seq }: обмен называет место { $place }, которого журнал никогда не публиковал (R-C4, R-V5)
err-choice-exchange-replay = { $at }: событие { $seq }: переводы обмена не совпадают с главными торговыми циклами по его участникам и их опубликованным предпочтениям: см. { $application } и место { $place } (R-C4, R-V5)
