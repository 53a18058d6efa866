# Сообщения самой командной строки: ошибки, вопросы, подсказки ввода и строки состояния (src/cli и демо).

## application

cli-application-flag-required = не указан обязательный параметр `--{ $flag }`
cli-application-give-iin-or-name = укажите `--iin` или `--name` вместе с `--birth-date`
cli-application-child-not-found = заявлений этого ребёнка нет
cli-application-category-changed = { $number }: категория льготы { $from } -> { $to }
cli-application-withdraw-confirm = Отозвать заявление { $number } (снятие с очереди, причина «отозвано»)?
cli-application-explained = { $number }: номер в очереди тогда { $then }, сейчас { $now }; его { $count ->
        [one] изменило { $count } событие
        [few] изменили { $count } события
       *[many] изменили { $count } событий
    }
cli-application-prompt-child-iin = ИИН ребёнка
cli-application-prompt-child-name = ФИО ребёнка полностью
cli-application-prompt-applicant-iin = ИИН заявителя
cli-application-prompt-applicant-name = ФИО заявителя полностью
cli-application-prompt-phone = Телефон (+7 и десять цифр)
cli-application-prompt-email = Эл. почта
cli-application-prompt-district = Район
cli-application-prompt-doc = Подтверждающий документ ВИД:НОМЕР:ГГГГ-ММ-ДД
cli-application-prompt-consent = Согласие на обработку персональных данных ребёнка (`egov` или `written[:ДАТА]`)

## audit

cli-audit-trust-needs-key = `--trust`: для проверки публикации укажите открытый ключ первого сотрудника (PEM)
cli-audit-passed-over = примечание: раунд предложений в событии { $seq } пропустил заявлений, стоявших в очереди впереди последнего уведомлённого: { $count }, как он и объявил (R-D5: ребёнок уже посещает организацию; R-C6: ребёнок младше `min_age_years`; R-C5: близнецы, для которых ни в одном детском саду нет места каждому); список — в `--format json`
cli-audit-later-import = предупреждение: импорт заявлений в событии { $seq } после первого: { $rows ->
        [one] { $rows } строка
        [few] { $rows } строки
       *[many] { $rows } строк
    }, из них задним числом более чем на { $minutes ->
        [one] { $minutes } минуту
        [few] { $minutes } минуты
       *[many] { $minutes } минут
    }: { $backdated } (R-V5)
cli-audit-publication-ok = публикация проверена: { $records ->
        [one] { $records } запись
        [few] { $records } записи
       *[many] { $records } записей
    }, корень { $root }, подписал { $signer }; воспроизведено: { $queues ->
        [one] { $queues } очередь
        [few] { $queues } очереди
       *[many] { $queues } очередей
    } с { $applications ->
        [one] { $applications } заявлением
        [few] { $applications } заявлениями
       *[many] { $applications } заявлениями
    } и { $rounds ->
        [one] { $rounds } раунд предложений
        [few] { $rounds } раунда предложений
       *[many] { $rounds } раундов предложений
    }{ $consistent }
cli-audit-consistent = ; согласуется с контрольной точкой из { $records ->
        [one] { $records } записи
        [few] { $records } записей
       *[many] { $records } записей
    }
cli-audit-explained = { $number }: номер при постановке в очередь { $then }, сейчас { $now }; его { $count ->
        [one] изменило { $count } событие
        [few] изменили { $count } события
       *[many] изменили { $count } событий
    }
cli-audit-no-head = подписанная голова журнала: ни один сотрудник ещё ничего не изменял

## calendar

cli-calendar-declared = { $date } объявлен { $kind ->
        [holiday] праздничным днём
       *[other] рабочим днём
    }
cli-calendar-not-a-date = `date`: '{ $value }' — не дата (ГГГГ-ММ-ДД)
cli-calendar-removed = особый день { $date } удалён из календаря
cli-calendar-not-a-kind = `--kind`: '{ $value }' — не вид дня (`holiday`, `workday`)

## child

cli-child-departed = выбытие из { $org } { $date }: место { $place } свободно с { $free }

## db

cli-db-backup-exists = { $file } уже существует; kezek никогда не перезаписывает резервную копию
cli-db-backed-up = резервная копия { $db } записана в { $file }
cli-db-purge-ahead = `--before` { $before } позже сегодняшнего дня ({ $today }): очистка касается только прошлого
cli-db-purge-confirm = Обезличить заявления, закрытые до { $before }? Отменить это будет нельзя.
cli-db-purged = обезличено закрытое до { $before }: { $applications ->
        [one] { $applications } заявление
        [few] { $applications } заявления
       *[many] { $applications } заявлений
    }, { $notifications ->
        [one] { $notifications } уведомление
        [few] { $notifications } уведомления
       *[many] { $notifications } уведомлений
    }, { $enrollments ->
        [one] { $enrollments } зачисление
        [few] { $enrollments } зачисления
       *[many] { $enrollments } зачислений
    }, { $directions ->
        [one] { $directions } документ направления
        [few] { $directions } документа направлений
       *[many] { $directions } документов направлений
    }
cli-db-purge-not-wiped = другой процесс занимал базу данных или на диске не хватило места, чтобы её перестроить: в её свободном месте или в журнале предзаписи ещё могут оставаться обезличенные значения; позже запустите `kezek db purge` с теми же параметрами ещё раз, чтобы стереть их
cli-db-purge-replicated = базу данных реплицирует `Litestream`: журнал предзаписи оставлен ему, он сам перенесёт его в перестроенный файл; реплика хранит обезличенные значения, пока не пройдёт её срок хранения (`retention` в `litestream.yml`)

## demo

cli-demo-not-a-demo = в { $path } есть данные, не относящиеся к демо kezek; демо начинается с пустой базы данных (выберите другую `--db`)
cli-demo-start = `kezek demo`: учебный город в { $path }
cli-demo-generating-key = создаётся RSA-ключ демо-сотрудника...
cli-demo-accounts = зарегистрировано учётных записей: { $count }, у каждой только нужные ей права (R-R1; `kezek officer roles`): { $list }
cli-demo-imported-orgs = импортировано из { $file }: { $count ->
        [one] { $count } организация
        [few] { $count } организации
       *[many] { $count } организаций
    }
cli-demo-imported-days = импортировано из { $file }: { $count ->
        [one] { $count } объявленный день
        [few] { $count } объявленных дня
       *[many] { $count } объявленных дней
    }
cli-demo-imported-applications = импортировано { $count ->
        [one] { $count } заявление, перенесённое
        [few] { $count } заявления, перенесённых
       *[many] { $count } заявлений, перенесённых
    } из прежней системы
cli-demo-month-progress = месяц очереди
cli-demo-month = Месяц очереди, день за днём:
cli-demo-orgs = Организации по районам:
cli-demo-calendar = Календарь рабочих дней на { $year } год (дни, которые отличаются от обычной недели):
cli-demo-valid-until = Направление, выданное сегодня ({ $today }), действует до конца дня { $until } (5 рабочих дней, R-D1).
cli-demo-queues = Очереди (ожидающие заявления по типу очереди, году группы и льготе):
cli-demo-head = Начало самой большой очереди ({ $queue_type ->
        [general] общая
        [sanatorium] санаторная
       *[other] { $queue_type }
    }, группа { $group_year }): сначала внеочередники, затем по одному первоочереднику на { $general ->
        [one] каждое { $general } заявление
        [few] каждые { $general } заявления
       *[many] каждые { $general } заявлений
    } на общих основаниях (R-Q2):
cli-demo-notice = Извещение о постановке на очередь первого из них с первоочередным правом (`kezek application notice`):
cli-demo-stats = Статистика месяца (`kezek stats --from { $from } --to { $to }`):
cli-demo-card = Карточка ребёнка по заявлению { $number } ({ $status ->
        [queued] в очереди
        [notified] уведомлено
        [stop_listed] в стоп-листе
        [directed] выдано направление
        [enrolled] зачислено
        [removed] снято с очереди
       *[other] { $status }
    }), `kezek application card`:
cli-demo-outbox = К отправке семьям готово { $count ->
        [one] { $count } уведомление
        [few] { $count } уведомления
       *[many] { $count } уведомлений
    } по эл. почте и SMS (`kezek notify export`).
cli-demo-journal = Журнал: проверено { $events ->
        [one] { $events } событие
        [few] { $events } события
       *[many] { $events } событий
    }, { $heads ->
        [one] { $heads } подпись
        [few] { $heads } подписи
       *[many] { $heads } подписей
    }, { $rows ->
        [one] { $rows } строка
        [few] { $rows } строки
       *[many] { $rows } строк
    } (`kezek audit verify`).
cli-demo-published = Публичный журнал месяца опубликован в { $dir }/ ({ $records ->
        [one] { $records } запись
        [few] { $records } записи
       *[many] { $records } записей
    }, корень { $root }); персональных данных в нём нет. Любой может проверить его без базы данных — с помощью kezek или независимого верификатора:
cli-demo-try = Попробуйте сами (kezek — это `target/release/kezek` или `cargo run --release --`) по часам демо, утром после его месяца (чтобы регистрация или обход шли после событий месяца):

## direction

cli-direction-key-required = `--key` (или `KEZEK_KEY`): направление подписывается закрытым ключом действующего сотрудника
cli-direction-extended = направление { $direction } продлено до { $until }
cli-direction-revoke-confirm = Отозвать направление { $direction } по просьбе заявителя?
cli-direction-revoked = направление { $direction } отозвано; место свободно, заявление снова ждёт в очереди
cli-direction-annul-confirm = Аннулировать направление { $direction }?
cli-direction-annulled = направление { $direction } аннулировано; место свободно, заявление снова ждёт в очереди
cli-direction-verified = направление { $direction }: подпись верна (сотрудник { $officer }, ключ { $key }), статус «{ $status ->
        [issued] выдано
        [enrolled] зачислено
        [expired] истекло
        [revoked] отозвано
        [annulled] аннулировано
       *[other] { $status }
    }»

## history

cli-history-not-a-table = `--table`: '{ $value }' — не таблица ({ $tables })
cli-history-no-events = нет событий журнала для '{ $key }'

## init

cli-init-created = создана база данных { $path }, версия схемы { $version }
cli-init-up-to-date = { $path } уже на версии схемы { $version }: делать нечего
cli-init-migrated = { $path } обновлена с версии схемы { $from } до { $to }

## man

cli-man-written = страницы `man` записаны в { $dir }

## mod (общее для всех команд)

cli-mod-officer-required = `--officer` (или `KEZEK_OFFICER`): укажите действующего сотрудника (R-A2)
cli-mod-import-progress = импорт: { $what }

## notify

cli-notify-exported = { $count ->
        [one] { $count } уведомление выгружено и отмечено как отправленное
        [few] { $count } уведомления выгружены и отмечены как отправленные
       *[many] { $count } уведомлений выгружено и отмечено как отправленные
    }
cli-notify-waiting = { $count ->
        [one] { $count } уведомление ждёт отправки (не отмечено)
        [few] { $count } уведомления ждут отправки (не отмечены)
       *[many] { $count } уведомлений ждут отправки (не отмечены)
    }

## officer

cli-officer-generating = создаётся пара ключей RSA-{ $bits }...
cli-officer-wrote-keys = записаны { $private } (закрытый, права 0600) и { $public } (открытый)
cli-officer-rotated = сотрудник { $id } теперь подписывает ключом { $fingerprint }
cli-officer-role-set = у сотрудника { $id } теперь роль { $role }
cli-officer-role-required = `--role`: назовите роль нового сотрудника: `admin`, `officer`, `kindergarten` или `service` (`kezek officer roles`)
cli-officer-reach-administration = управление городом
cli-officer-reach-city = весь город
cli-officer-reach-district = район сотрудника
cli-officer-reach-org = организация района сотрудника или свой детский сад
cli-officer-deactivate-confirm = Отключить сотрудника '{ $id }'?
cli-officer-deactivated = сотрудник { $id } отключён

## output

cli-output-prompt-failed = запрос ввода: { $error }

## place

cli-place-withdraw-confirm = Отозвать место { $id }?
cli-place-withdrawn = место { $id } отозвано

## proof

cli-proof-seq-out-of-tree = `--seq` { $seq }: дерево из { $size ->
        [one] { $size } листа
        [few] { $size } листьев
       *[many] { $size } листьев
    } содержит события с 1 по { $size }
cli-proof-bad-sizes = `--from` { $from } `--to` { $to }: размеры от 1 до размера журнала { $last }, `--from` не больше `--to`

## settings

cli-settings-unchanged = { $key }: { $value } (без изменений)

## stats

cli-stats-period-from = с { $from } по { $to }
cli-stats-period-up-to = по { $to }
cli-stats-waiting = Ожидают (внеочередники, первоочередники, на общих основаниях):
cli-stats-moves = Направления и снятия с очереди, { $period }:
cli-stats-free-places = Свободные места по виду организации, району и языку:
cli-stats-median = Медиана дней от постановки в очередь до направления, { $period }:
cli-demo-allocation = Вечер { $day }: сорок семей одной очереди выбрали от двух до четырёх детских садов (`kezek application prefer`), и `kezek allocate` выдал направлений: { $directions } — последовательным выбором: в порядке очереди каждая семья получает лучший из выбранных садов, где ещё есть место, поэтому честный выбор всегда выгоднее всего и никто впереди не завидует стоящим позади; с предпочтениями сохранили свой номер: { $unplaced }. Первые десять:
cli-demo-exchange = Затем двое детей из разных садов попросились в сады друг друга (`application register --transfer`), и `kezek exchange` нашёл циклов: { $cycles } (главные торговые циклы) и сразу перевёл детей: { $moves }, каждого по подписанному направлению:
cli-audit-choice-replayed = повторено распределений последовательным выбором (R-C2): { $allocations }, обменов главными торговыми циклами (R-C4): { $exchanges }
cli-demo-founded = Город перевёл свою очередь в `kezek` { $founded }: в тот день импортированы организации, календарь и очередь выше. { $enrolled }, ещё до месяца демо, частный детский сад { $org } зачислил двоих детей { $year } года рождения по направлениям на свои места (R-D4).
cli-demo-controls = Наконец, контроль злоупотреблений (`SPEC` §13). За эти месяцы демо теми же командами, что у сотрудников и детских садов, сделало по одному случаю каждого вида, который ищет прокурорская проверка:
cli-demo-plant-over = `over_capacity`: в последний вечер { $org } указал вместимость { $places } для { $year } года (`org capacity-import`) — меньше, чем у него детей ({ $enrolled }).
cli-demo-plant-held = `places_held_back`: { $org } указал мест для { $year } года: { $places } — на десять больше, чем у него детей и опубликованных мест.
cli-demo-plant-ghost = `attendance_without_enrollment`: { $org } передал посещаемость за { $month } (`attendance import`) с ребёнком, который стоит в очереди и не ходит ни в один детский сад: «мёртвая душа», за которую платило бы государство.
cli-demo-plant-absent = `enrollment_without_attendance`: в том же импорте частный детский сад { $org } передал каждый месяц начиная с { $since }: один из двух его детей ходит, другой — ни разу; место оплачивает государство, а не использует никто.
cli-demo-plant-benefit = `benefit_share`: за месяц сотрудник { $officer } зарегистрировал в льготной категории { $benefit } из { $total } новых семей («многодетная семья»: справку там никто не проверяет); демо-сотрудник — { $own_benefit } из { $own_total }.
cli-demo-plant-backdated = `backdated_registration`: в 19:10 импортированы заявления ({ $rows }) как миграция уже после городской (`application import paper-list.csv`), зарегистрированные с { $from } по { $to }: поздно внесённый бумажный список или самый простой способ поставить детей вперёд в очереди; `audit public` тоже называет этот импорт.
cli-demo-plant-scheme = `free_choice_far_down` и `double_enrollment`: в 19:25 раунд предложил место в { $state } первому в очереди, окно закрывалось в { $closes }; в 19:35 семья { $first } взяла место в частном детском саду { $private } (её заявление ушло из очереди), в 19:40 снова зарегистрировала ребёнка как { $again } (номер в очереди { $position }), а в 20:30 сотрудник выдал { $again } место в { $state }, которое после закрытия окна перешло в свободный выбор; { $morning } оба детских сада зачислили ребёнка.
cli-demo-plant-late = `late_publication`: в 20:40 { $org } опубликовал места для { $year } года ({ $count }), освободившиеся { $released }: три недели, когда их никому не могли предложить.
cli-demo-integrity = `kezek integrity` утром { $morning } находит нарушений: { $count }; в `cron` `--fail-on` заставляет прислать их по почте:
cli-demo-pinned-past = Это демо работало по часам, переведённым в прошлое (`--now`, `KEZEK_NOW`): каждое зарегистрированное им заявление по мерке R-V5 тоже подано задним числом (зарегистрировано по времени демо, записано по настоящему), поэтому отчёт перечисляет и их, а `audit public` отклоняет публикацию.
