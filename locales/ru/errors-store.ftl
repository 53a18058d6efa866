# Ошибки базы данных, аудита, импорта и публикации (src/store, src/publish.rs, src/public_check).

## audit

err-audit-schema-foreign =
    { $kind ->
        [table] таблица { $name } создана в обход kezek
        [index] индекс { $name } создан в обход kezek
        [trigger] триггер { $name } создан в обход kezek
        [view] представление { $name } создано в обход kezek
       *[other] объект { $name } ({ $kind }) создан в обход kezek
    }
err-audit-schema-altered =
    { $kind ->
        [table] таблица { $name } отсутствует или изменена
        [index] индекс { $name } отсутствует или изменён
        [trigger] триггер { $name } отсутствует или изменён
        [view] представление { $name } отсутствует или изменено
       *[other] объект { $name } ({ $kind }) отсутствует или изменён
    }
err-audit-schema-changed = схема базы изменена в обход kezek: { $differs }
err-audit-event-missing = нет события журнала { $expected } (следующее событие — { $seq })
err-audit-event-not-text = событие журнала { $seq }: столбец { $column } не текст: событие изменено в обход kezek
err-audit-event-empty = событие журнала { $seq }: столбец { $column } пуст: событие изменено в обход kezek
err-audit-rows-no-event = в журнале есть дайджесты строк события { $seq }, которого нет
err-audit-event-hash = событие журнала { $seq } ({ $kind } { $subject }) не совпадает со своим хешем: событие или дайджесты его строк изменены
err-audit-event-no-officer = событие журнала { $seq } ({ $kind }) не называет сотрудника
err-audit-migration-no-version = событие журнала { $seq }: событие миграции без версии
err-audit-migration-rows = событие журнала { $seq }: миграция { $version } записывает строки, которые она не создавала
err-audit-head-hash = подписанная голова { $seq } не совпадает с хешем журнала на событии { $seq }
err-audit-head-tree = подписанная голова { $seq } называет дерево (размер { $size }), корень которого не совпадает с корнем публичного журнала
err-audit-head-previous = подписанная голова { $seq } указывает предыдущую голову: { $named ->
        [none] нет
       *[other] { $named }
    }, а в журнале последняя голова перед ней: { $last ->
        [none] нет
       *[other] { $last }
    }: голова удалена или перемещена
err-audit-head-not-checkpoint = подписанная голова { $seq } не контрольная точка, хотя головы перед ней — контрольные точки (R-A8)
err-audit-unsigned = событие журнала { $seq } ({ $kind }) и события после него не покрыты подписанной головой
err-audit-head-no-event = подписанная голова { $seq } не указывает ни на одно событие журнала
err-audit-published-cut = опубликованной головы { $seq } нет в журнале (он заканчивается на событии { $last }): журнал укорочен
err-audit-published-rewritten = опубликованная голова { $seq } не совпадает с хешем журнала на событии { $seq }: журнал переписан
err-audit-published-tree = опубликованная голова { $seq } называет дерево, корень которого не совпадает с корнем публичного журнала: журнал переписан
err-audit-published-previous = опубликованная голова { $seq } называет предыдущую голову, которой в журнале больше нет: голова удалена или перемещена
err-audit-published-signature = опубликованная голова { $seq } не подписана зарегистрированным ключом сотрудника '{ $officer }'
err-audit-record = событие журнала { $seq } ({ $kind }): его публичная запись { $why }
err-audit-record-lacks-part = не содержит части { $part }
err-audit-record-head = не совпадает с событием (время, сотрудник или вид)
err-audit-record-missing = отсутствует
err-audit-record-tail = не совпадает с событием (`seq` или `subject`)
err-audit-record-no-event = есть публичная запись события журнала { $seq }, которого нет
err-audit-record-part-unreadable = событие журнала { $seq }: часть { $part } его публичной записи { $why }
err-audit-part-too-long = заявляет { $length } байт
err-audit-part-damaged = не распаковывается
err-audit-part-not-text = не является текстом UTF-8
err-audit-tree-node = дерево публичного журнала: узел { $index } уровня { $level } не совпадает с записями (событие журнала { $seq })
err-audit-tree-size = в дереве публичного журнала { $stored ->
        [one] { $stored } узел
        [few] { $stored } узла
       *[many] { $stored } узлов
    }, а из его { $records ->
        [one] { $records } записи
       *[other] { $records } записей
    } получается { $nodes ->
        [one] { $nodes } узел
        [few] { $nodes } узла
       *[many] { $nodes } узлов
    }
err-audit-problems = { $first } (всего { $count ->
        [one] { $count } проблема
        [few] { $count } проблемы
       *[many] { $count } проблем
    })
err-audit-row-inserted = у строки { $key } таблицы { $table } нет события журнала: она вставлена в обход kezek
err-audit-row-deleted = строки { $key } таблицы { $table }, записанной событием журнала { $seq }, нет: она удалена в обход kezek
err-audit-row-edited = строка { $key } таблицы { $table } отличается от записанной событием журнала { $seq }: она изменена в обход kezek
err-audit-row-undeleted = строка { $key } таблицы { $table } существует, хотя событие журнала { $seq } её удалило: она вставлена в обход kezek
err-audit-bad-key = событие журнала { $seq } ({ $kind }): { $key } — не открытый ключ
err-audit-bad-role = R-R3: событие журнала { $seq } ({ $kind }) даёт роль '{ $role }', которой `kezek` не знает
err-audit-head-other-officer = подписанная голова { $seq } подписана сотрудником '{ $officer }', но закрываемое ею событие журнала { $event } сделал сотрудник '{ $other }'
err-audit-head-signature = подписанная голова { $seq }: подпись не принадлежит сотруднику '{ $officer }' (ключ { $fingerprint })
err-audit-head-key-swapped = подписанная голова { $seq }: ключа { $fingerprint } сотрудника '{ $officer }', зарегистрированного журналом, нет ни в журнале, ни в таблице `officer`: ключ подменён в обход kezek
err-audit-head-invalid = голова { $seq }: неверное значение поля { $what }
err-audit-not-head = { $field }: это не опубликованная голова kezek ({ $why })
err-audit-not-head-first-line = первая строка — не `kezek journal head`
err-audit-not-head-line = строка '{ $line }'
err-audit-not-head-no = нет поля { $key }

## audit (continued)
err-audit-tree-lacks-node = в дереве публичного журнала нет узла { $index } уровня { $level }

## db
err-db-missing = база данных { $path }: создайте её командой `kezek init`
err-db-old-schema = база данных { $path } имеет версию схемы { $version } из { $latest }: обновите её командой `kezek init`
err-db-settings = база данных { $path }: не удалось включить `WAL`, `synchronous=FULL` и внешние ключи (получено { $mode }, { $synchronous }, { $foreign_keys })
err-db-not-kezek = `--db`: { $path } — не база данных kezek
err-db-not-a-file = `--db`: { $path } — каталог, а не файл базы данных: укажите файл (например, { $path }/kezek.db)
err-db-not-regular = `--db`: { $path } — не обычный файл: укажите файл базы данных
err-db-not-sqlite = `--db`: { $path } — не база данных SQLite (её первые байты не такие, как у SQLite): укажите базу данных kezek или новый файл для `kezek init`
err-db-no-directory = каталог { $dir } для `--db` { $path }: сначала создайте его или укажите базу данных в существующем каталоге
err-db-wal-unreadable = `--db`: { $path } здесь нельзя прочитать: в журнале предзаписи { $path }-wal есть изменения, а чтобы их прочитать, нужен файл { $path }-shm, который нельзя создать в каталоге, куда у этого пользователя нет права записи; выполните любую команду с правом записи
err-db-no-key = `--key` (или `KEZEK_KEY`): для подписи этого изменения нужен закрытый ключ действующего сотрудника
err-db-foreign-key = `foreign_key_check`: строка { $rowid } таблицы { $table } ссылается на отсутствующую запись { $parent }
err-db-queue-counts = `queue_day` { $queue } { $year } { $class }, день { $day }: в счётчике { $kept ->
        [one] { $kept } ожидающее заявление
        [few] { $kept } ожидающих заявления
       *[many] { $kept } ожидающих заявлений
    }, а на деле — { $actual }
err-db-migration-failed = миграция { $name } не выполнена: { $error }
err-db-no-migration = нет миграции { $version }
err-db-secure-delete = не удалось включить `secure_delete` для очистки (получено { $got })

## officers
err-officers-unknown = неизвестный сотрудник '{ $id }'
err-officers-inactive = сотрудник '{ $id }' неактивен
err-officers-wrong-key = `--key` — не тот ключ, что зарегистрирован для сотрудника '{ $id }'
err-officers-name-actor = сотрудники уже есть: укажите действующего сотрудника через `--officer` (или `KEZEK_OFFICER`)
err-officers-first-key = `--key` должен быть закрытым ключом добавляемого первого сотрудника (им подписывается это изменение)
err-officers-exists = `id`: сотрудник '{ $id }' уже есть ({ $name })
err-officers-not-found = сотрудник '{ $id }'
err-officers-inactive-already = сотрудник '{ $id }' уже неактивен
err-officers-last-active = сотрудник '{ $id }' — последний активный сотрудник; прежде чем его отключить, добавьте другого
err-officers-last-admin = сотрудник '{ $id }' — последний активный администратор (`admin`); сначала назначьте администратором другого (`kezek officer set-role ID --role admin`)
err-officers-first-admin = первый сотрудник — администратор (`admin`, он регистрирует остальных), а не роль { $role }
err-officers-key-in-use = `--public-key`: этот ключ зарегистрирован или был зарегистрирован на сотрудника '{ $holder }'; у каждого сотрудника свой ключ
err-officers-own-key = сотрудник '{ $id }' не может сам сменить свой ключ: это делает другой сотрудник, чтобы новый ключ был заверен доверенной подписью

## places
err-places-no-org = { $field }: нет организации '{ $org }'
err-places-bad-year = `group_year`: '{ $value }' — не год
err-places-year-range = `group_year`: { $year } вне годов групп очереди (с { $from } по { $to })
err-places-bad-count = `count`: '{ $value }' — не целое число
err-places-count-range = `count`: { $count } вне допустимого диапазона (от 1 до { $max })
err-places-not-found = место { $id }
err-places-cannot-withdraw = место { $id } в статусе { $status }; снять можно только место в статусе `free`, `offered` или `free_choice`
err-places-org-not-found = организация { $code }

## offers
err-offers-not-working-day = { $today } — не рабочий день; раунд предложений проводится в рабочие дни
err-offers-window-closed = сегодняшнее окно предложений закрылось в { $closes }; проведите раунд в следующий рабочий день

## calendar
err-calendar-day-off-already = { $date } и так выходной день ({ $reason }); праздники объявляют на рабочие дни
err-calendar-working-already = { $date } и так рабочий день; рабочие дни объявляют на выходные
err-calendar-reason-weekday = рабочий день
err-calendar-reason-weekend = выходные
err-calendar-reason-holiday = праздник: { $name }
err-calendar-reason-transferred = выходной перенесён с { $from } ({ $name })
err-calendar-reason-declared-holiday = объявленный праздник: { $name }
err-calendar-reason-declared-workday = объявленный рабочий день: { $name }
err-calendar-declared-already = `date`: { $date } уже объявлен ({ $kind }: { $name })
err-calendar-not-declared = объявленный день { $date }

## orgs and districts
err-orgs-exists = `code`: '{ $code }' уже есть ({ $name })
err-districts-exists = `name`: район '{ $name }' уже есть

## applications
err-applications-not-found = заявление { $number }
err-applications-duplicate = у ребёнка { $child } уже есть заявление { $existing } в очереди { $queue }
err-applications-numbers-exhausted = номера заявлений за { $year } год исчерпаны
err-applications-not-waiting = заявление { $number } в статусе { $status }: только ожидающее заявление { $what }
err-applications-waiting-category = может сменить категорию
err-applications-waiting-withdraw = может быть отозвано
err-applications-bad-category = `--category`: '{ $name }' — не категория льготы (см. `kezek category list`)
err-applications-benefit-doc = категория { $category }: для льготы нужен подтверждающий документ (`--doc KIND:NUMBER:DATE`)

## import
err-import-future = `registered_at`: { $at } позже текущего момента ({ $now })
err-import-child-repeated = ребёнок { $child } уже есть в строке { $first } в очереди { $queue }
err-import-number-repeated = `number`: { $number } уже использован в строке { $first }
err-import-number-repeated-earlier = `number`: { $number } уже использован в одной из строк выше
err-import-number-exists = `number`: { $number } уже есть
err-import-numbers-exhausted = `number`: номера за { $year } год исчерпаны
err-import-date-repeated = `date`: { $date } уже есть в строке { $first }
err-import-code-repeated = `code`: '{ $code }' уже есть в строке { $first }
err-import-bad-day-kind = `kind`: '{ $value }' — не вид дня (`holiday`, `workday`)
err-import-repeat = { $file } (sha256 { $sha256 }) уже импортирован { $at } (событие журнала { $seq }, { $kind }); чтобы импортировать его снова, добавьте `--allow-repeat`
err-import-db-refuses = база данных отклоняет строку: { $error }

## directions
err-directions-not-found = направление { $number }
err-directions-cannot-revoke = направление { $number } в статусе { $status }; отозвать можно только выданное (`issued`)
err-directions-cannot-annul = направление { $number } в статусе { $status }; аннулировать можно только выданное (`issued`) направление до зачисления
err-directions-not-active = направление { $number } в статусе { $status } (действует до { $until }); зачислить можно только по действующему направлению
err-directions-benefit-doc = заявление { $number } с правом { $class }: укажите дату выдачи предъявленного документа о льготе (`--benefit-doc-date`)
err-directions-no-enrollment = зачисление ребёнка { $child } в { $org } без выбытия
err-directions-departure-early = дата выбытия { $date } раньше зачисления { $enrolled }
err-directions-doc-not-text = направление { $number }: подписанный документ не текст: он изменён в обход kezek
err-directions-unknown-signer = направление { $number } подписано неизвестным сотрудником '{ $officer }'
err-directions-bad-signature = направление { $number }: подпись не соответствует документу и ключу сотрудника '{ $officer }'
err-directions-bad-purged-signature = направление { $number }: подпись не соответствует дайджесту, сохранённому его очищенным документом, и ключу сотрудника '{ $officer }'
err-directions-doc-field = направление { $number }: в подписанном документе нет строки { $field }: { $value }

## publish
err-publish-no-head = подписанная контрольная точка: ни один сотрудник ещё ничего не изменял
err-publish-old-head = подписанная контрольная точка: последняя голова ({ $seq }) подписана более ранней версией kezek; следующая изменяющая команда подпишет контрольную точку
err-publish-key-nowhere = событие журнала { $seq } ({ $kind }) регистрирует ключ { $fingerprint }, которого нигде нет в базе данных
err-publish-bad-record = публичная запись { $seq }: { $error }
err-publish-not-prefix = { $path }: строка { $line } — не запись этой базы (R-V3): опубликованный журнал не является началом этого журнала, ничего не записано
err-publish-no-record = в публичном журнале нет записи события журнала { $seq }
err-publish-foreign-checkpoint = { $path }: опубликованная контрольная точка (размер дерева { $size }) относится не к журналу этой базы (R-V3): ничего не записано

## public (audit public)
err-public-not-checkpoint = { $path }: это не контрольная точка публичного журнала
err-public-not-utf8 = { $path }: не в кодировке UTF-8 (R-V1)
err-public-not-canonical = { $path }:{ $line }: запись `seq` { $seq } не в каноническом виде (R-V1)
err-public-size = { $path }: в журнале { $seq ->
        [one] { $seq } запись
        [few] { $seq } записи
       *[many] { $seq } записей
    }, а в дереве контрольной точки — { $size } (R-V3)
err-public-root = { $path }: корень { $seq ->
        [one] { $seq } записи
       *[other] { $seq } записей
    } журнала не совпадает с корнем контрольной точки (R-V2): запись изменена
err-public-previous-rewritten = `--previous`: более ранняя контрольная точка (размер дерева { $size }) не является началом этого журнала: запись до неё переписана (R-V5)
err-public-app-not-found = заявление { $number } в журнале публикации
err-public-not-record = { $at }: это не публичная запись (R-V1): { $error }
err-public-wrong-seq = { $at }: здесь `seq` { $got }, а не { $seq }: порядок журнала изменён или журнал обрезан (R-V3)
err-public-no-key = officers.json: нет ключа для регистрации на `seq` { $seq } (R-V3)
err-public-no-officer-row = событие { $seq }: запись `officer.set_role` без строки сотрудника (R-V1)
err-public-key-not-officers = officers.json: ключ `seq` { $seq } не принадлежит сотруднику '{ $officer }'
err-public-app-time = { $at }: заявление { $number }: `registered_at` — не момент времени
err-public-app-fields = { $at }: `seq` { $seq }: { $error }: это не поля заявления (R-V1)
err-public-backdated = { $at }: `seq` { $seq }: заявление { $number } зарегистрировано на { $registered }, более чем за { $minutes ->
        [one] { $minutes } минуту
        [few] { $minutes } минуты
       *[many] { $minutes } минут
    } до записи его события (R-V5)
err-public-not-json = { $path }: не JSON: { $error }
err-public-not-key = { $path }: `seq` { $seq }: не открытый ключ
err-public-fingerprint = { $path }: `seq` { $seq }: отпечаток не соответствует ключу
err-public-not-signed = { $what }: не подписано доверенным ключом сотрудника '{ $officer }' (R-A7)
err-public-round-unregistered = { $at }: `seq` { $seq }: раунд предложений уведомил заявление { $number }, которое журнал не регистрировал (R-V5)
err-public-round-not-queued = { $at }: `seq` { $seq }: раунд предложений уведомил заявление { $number }, которое было в статусе { $status }, а не `queued` (R-P3, R-V5)
err-public-round-passed-over = { $at }: `seq` { $seq }: раунд предложений уведомил { $after }, но пропустил { $number }, стоявшее в очереди впереди (R-Q2, R-P3, R-V5)
err-public-round-siblings = { $at }: `seq` { $seq }: раунд предложений называет { $number } среди близнецов, уведомлённых вместе, но не уведомил его (R-C5, R-V5)
err-public-queue-empty = { $path }: по журналу в этой очереди никто не ждёт (R-V5)
err-public-queue-missing = { $path }: файла нет, а в этой очереди ждут заявления (R-V5)
err-public-queue-line = { $path }:{ $line }: '{ $got }', а по журналу должно быть '{ $want }' (R-V5, R-Q2)
err-public-queue-lines = { $path }: { $lines ->
        [one] { $lines } строка
        [few] { $lines } строки
       *[many] { $lines } строк
    }, а по журналу должно быть { $total } (R-V5)
err-public-round-place = { $at }: `seq` { $seq }: на место { $place }, предложенное раундом { $round }, выдано направление по заявлению { $application }, которое этот раунд не уведомлял (R-D3, R-V5)
