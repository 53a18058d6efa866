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
err-audit-head-other-officer = подписанная голова { $seq } подписана сотрудником '{ $officer }', но закрываемое ею событие журнала { $event } сделал сотрудник '{ $other }'
err-audit-head-signature = подписанная голова { $seq }: подпись не принадлежит сотруднику '{ $officer }' (ключ { $fingerprint })
err-audit-head-key-swapped = подписанная голова { $seq }: ключа { $fingerprint } сотрудника '{ $officer }', зарегистрированного журналом, нет ни в журнале, ни в таблице `officer`: ключ подменён в обход kezek
err-audit-head-invalid = голова { $seq }: неверное значение поля { $what }
err-audit-not-head = { $field }: это не опубликованная голова kezek ({ $why })
err-audit-not-head-first-line = первая строка — не `kezek journal head`
err-audit-not-head-line = строка '{ $line }'
err-audit-not-head-no = нет поля { $key }
