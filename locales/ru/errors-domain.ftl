# Ошибки проверок значений, записей, файлов CSV и ключей, и рамки вокруг каждого сообщения об ошибке.

## Рамки вокруг сообщений (error.rs)

err-error-not-found = не найдено: { $what }
err-error-audit-failed = аудит не пройден: { $message }
err-error-busy = база данных занята: в неё пишет другой процесс kezek; повторите попытку позже
err-error-read-only = в базу данных { $path } здесь нельзя писать (её файл, каталог или диск доступны только для чтения): команды, которые только читают, работают, изменения отклоняются; ничего не изменено
err-error-read-only-unnamed = в базу данных здесь нельзя писать (её файл, каталог или диск доступны только для чтения): ничего не изменено
err-error-disk-full = диск, на котором находится { $path }, заполнен: ничего не сохранено; освободите место и повторите команду
err-error-disk-full-unnamed = диск заполнен: ничего не сохранено; освободите место и повторите команду
err-error-database = база данных: { $message }
err-error-bad-rows = { $file }: { $count ->
    [one] { $count } ошибочная строка
    [few] { $count } ошибочные строки
   *[many] { $count } ошибочных строк
  }, ничего не записано:
err-error-bad-rows-more = … и ещё { $count ->
    [one] { $count } ошибочная строка, не показана
    [few] { $count } ошибочные строки, не показаны
   *[many] { $count } ошибочных строк, не показаны
  }: выше первые { $shown }; исправьте их и повторите команду, чтобы увидеть следующие
err-error-line = строка { $line }: { $message }
err-error-characters = ({ $count ->
    [one] { $count } символ
    [few] { $count } символа
   *[many] { $count } символов
  })
err-error-io = ввод-вывод

## Имена, коды, телефоны (fields.rs)

err-fields-empty = { $field }: значение не может быть пустым
err-fields-one-line = { $field }: значение должно быть одной строкой, без управляющих символов
err-fields-too-long = { $field }: длиннее { $max ->
    [one] { $max } символа
   *[other] { $max } символов
  }
err-fields-code = { $field }: '{ $value }' — недопустимое значение (от 1 до { $max ->
    [one] { $max } символа
   *[other] { $max } символов
  }: латинские буквы `A-Z`, цифры, `.`, `_`, `-`; первый символ — буква или цифра)
err-fields-phone = { $field }: это не номер телефона ({ $why }; нужны +7 и десять цифр, например +77011234567)
err-fields-phone-empty = пусто
err-fields-phone-characters = в нём есть символы, кроме цифр, пробелов, дефисов и скобок
err-fields-phone-plus-seven = +7 и { $count ->
    [one] { $count } цифра
    [few] { $count } цифры
   *[many] { $count } цифр
  }
err-fields-phone-country = код страны не +7
err-fields-phone-eight = 8 и { $count ->
    [one] { $count } цифра
    [few] { $count } цифры
   *[many] { $count } цифр
  }
err-fields-phone-no-prefix = { $count ->
    [one] { $count } цифра
    [few] { $count } цифры
   *[many] { $count } цифр
  } без +7 или 8 в начале

## ИИН (iin.rs)

err-iin-invalid = { $field }: { $value } — неверный ИИН ({ $why })
err-iin-length = нужно 12 цифр
err-iin-century = седьмая цифра должна быть от 1 до 6
err-iin-birth-date = первые шесть цифр — не дата рождения
err-iin-check-digit = неверная контрольная цифра

## Заявления (application.rs)

err-application-queue-type = { $field }: '{ $value }' — не тип очереди (`general`, `sanatorium`)
err-application-language = { $field }: '{ $value }' — не язык (`ru`, `kk`)
err-application-status = { $field }: '{ $value }' — не статус заявления (`queued`, `notified`, `stop_listed`, `directed`, `enrolled`, `removed`)
err-application-document = { $field }: '{ $value }' — не документ (ожидается ВИД:НОМЕР:ГГГГ-ММ-ДД)
err-application-document-future = { $field }: документ { $kind } { $number } датирован { $date }, то есть будущим числом
err-application-consent = { $field }: '{ $value }' — не согласие (`egov` или `written`, можно с датой `:ГГГГ-ММ-ДД`)
err-application-consent-after = { $field }: согласие от { $date } дано позже регистрации ({ $registered })
err-application-email = { $field }: это не адрес электронной почты ({ $why }; нужен один адрес, например name@mail.kz)
err-application-email-empty = пусто
err-application-email-long = длиннее 254 символов
err-application-email-space = в нём есть пробел или управляющий символ
err-application-email-no-at = нет знака «@»
err-application-email-two-at = знак «@» встречается больше одного раза
err-application-email-no-name = перед «@» ничего нет
err-application-email-no-domain = после «@» нет домена с точкой
err-application-category = { $field }: '{ $value }' — не льготная категория (см. `kezek category list`)
err-application-birth-future = child_iin: дата рождения { $date } ещё не наступила
err-application-too-old = ребёнку (дата рождения { $birth }) на { $today } полных лет: { $age }; в очередь ставят детей младше { $max ->
    [one] { $max } года
   *[other] { $max } лет
  }
err-application-category-needs-doc = категория { $category }: для льготы нужен хотя бы один подтверждающий документ (`--doc ВИД:НОМЕР:ДАТА`)
err-application-sanatorium-needs-doc = для заявления в санаторную очередь нужно медицинское заключение (`--doc medical_conclusion:НОМЕР:ДАТА`)
err-application-number = { $field }: '{ $value }' — не номер заявления (`{ $prefix }.ГГГГ.NNNNNN.1`)

## Направления (direction.rs)

err-direction-status = { $field }: '{ $value }' — не статус направления (`issued`, `enrolled`, `expired`, `revoked`, `annulled`)
err-direction-extend-inactive = направление в статусе { $status } (действует до { $until }): продлить можно только действующее направление
err-direction-extended-once = направление уже продлевалось один раз
err-direction-extension-days = продлить можно на срок от 1 до { $max ->
    [one] { $max } календарного дня
   *[other] { $max } календарных дней
  }, а не на { $days }
err-direction-revocation-late = заявитель может отозвать направление в течение { $hours ->
    [one] { $hours } часа
   *[other] { $hours } часов
  } после выдачи ({ $issued }), то есть до { $until }; вместо этого направление может аннулировать сотрудник
err-direction-benefit-doc-future = документ о льготе датирован { $date }, то есть будущим числом
err-direction-benefit-doc-old = документ о льготе датирован { $date }; его дата должна быть не раньше { $earliest } (за { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
  } до направления от { $issued })
err-direction-not-live = направление { $number }: подпись верна, но { $ended }{ $purged }
err-direction-ended-status = направление в статусе { $status }
err-direction-ended-expired = срок направления истёк { $date }
err-direction-ended-issued = направление в статусе `issued`
err-direction-ended-enrolled = ребёнок зачислен, услуга оказана
err-direction-ended-enrolled-on = ребёнок зачислен { $date }, услуга оказана
err-direction-purged = ; его документ удалён при очистке { $date }, хранится только его SHA-256
err-direction-service-not-completed = направление { $number } в статусе { $status }: услуга считается оказанной при зачислении
err-direction-stop-listed = заявление { $application } в стоп-листе до { $until }
err-direction-holds-active = у заявления { $application } есть действующее направление { $direction }
err-direction-not-waiting = заявление { $application } в статусе { $status } и не ждёт в очереди
err-direction-attends = ребёнок по заявлению { $application } посещает { $org }, выбытие не отмечено
err-direction-place-type = место { $place } типа { $place_type }, а заявление { $application } стоит в очереди { $queue }
err-direction-place-group-year = место { $place } для года группы { $place_year }, а у заявления { $application } год группы { $year }
err-direction-place-not-free = место { $place } в статусе { $status }; место в организации вида { $kind } должно быть в статусе `free`
err-direction-place-not-offered = место { $place } в статусе { $status }; место в организации вида { $kind } должно быть в статусе `offered` или `free_choice`
err-direction-place-offered = место { $place } предложено семьям, уведомлённым в окне, которое открыто сейчас; заявление { $application } в статусе { $status } и открытого окна у него нет
err-direction-min-age = направление выдаётся ребёнку не младше { $min ->
    [one] { $min } полного года
   *[other] { $min } полных лет
  } (настройка `min_age_years`); ребёнку по заявлению { $application } на { $date } полных лет: { $age }
err-direction-private-age = на место в частном детском саду ребёнку должно быть не меньше { $min ->
    [one] { $min } полного года
   *[other] { $min } полных лет
  }; ребёнку по заявлению { $application } на { $date } полных лет: { $age }

## Строки публичной записи (record.rs)

err-record-row = строка: { $error }
err-record-application-row = строка заявления: { $error }

## Районы (district.rs)

err-district-unknown = { $field }: '{ $value }' — нет такого района города (R-L2): { $hint } (`kezek district list`; `kezek district add`)
err-district-known = районы города: { $names }
err-district-did-you-mean = может быть, { $names }?
err-district-or = {" или "}

## Организации и места (org.rs, place.rs)

err-org-kind = { $field }: '{ $value }' — не вид организации (`state`, `private`, `sanatorium`)
err-place-type = { $field }: '{ $value }' — не тип места (`regular`, `sanatorium`)
err-place-status = { $field }: '{ $value }' — не статус места (`free`, `offered`, `free_choice`, `directed`, `filled`, `withdrawn`)
err-place-org-type = организация вида { $kind } публикует места типа { $expected }, а не { $place_type }

## Настройки, ночной обход, даты и время (settings.rs, sweep.rs, time.rs)

err-settings-unknown = неизвестная настройка '{ $key }'; настройки: { $known }
err-settings-range = { $key }: '{ $value }' вне допустимого диапазона (целое число от { $min } до { $max })
err-settings-window = { $key }: '{ $value }' — не интервал времени (ожидается ЧЧ:ММ-ЧЧ:ММ, начало раньше конца)
err-sweep-day-not-begun = обход обрабатывает только наступившие дни: `--date` { $day } позже сегодняшнего дня ({ $today })
err-time-year = { $field }: '{ $value }' — год { $year } вне диапазона от { $first } до { $last }
err-time-date = { $field }: '{ $value }' — не дата (ожидается ГГГГ-ММ-ДД, например 2026-09-01)
err-time-moment = { $field }: '{ $value }' — не момент времени (ожидается RFC 3339 или ГГГГ-ММ-ДД[TЧЧ:ММ] по времени Алматы)
err-time-before-standard = { $field }: '{ $value }' раньше { $date }, когда в Алматы начало действовать поясное время

## Цепочка доверия ключей сотрудников (trust.rs)

err-trust-registered-twice = R-A7: событие журнала { $seq } повторно регистрирует сотрудника '{ $officer }'
err-trust-anchor = R-A7: у первого сотрудника '{ $officer }' (событие журнала { $seq }) ключ { $fingerprint }, а не доверенный якорь { $anchor }
err-trust-rotate-unknown = R-A7: событие журнала { $seq } меняет ключ неизвестного сотрудника '{ $officer }'
err-trust-deactivate-unknown = R-A7: событие журнала { $seq } отключает неизвестного сотрудника '{ $officer }'
err-trust-head-unknown = R-A7: подписанная голова { $seq } называет сотрудника '{ $officer }', которого журнал не регистрировал
err-trust-head-deactivated = R-A7: подписанная голова { $seq } подписана сотрудником '{ $officer }', отключённым до неё
err-trust-head-untrusted = R-A7: подписанная голова { $seq } подписана сотрудником '{ $officer }' ключом { $fingerprint }, который зарегистрирован в событии журнала { $registered } и не заверен головой другого доверенного сотрудника
err-trust-role-unknown = R-R3: событие журнала { $seq } меняет роль неизвестного сотрудника '{ $officer }'
err-trust-acted-unknown = R-R3: событие журнала { $seq } ({ $kind }) называет сотрудника '{ $officer }', которого журнал не регистрировал
err-trust-role-refused = R-R3: событие журнала { $seq } ({ $kind }) сделал сотрудник '{ $officer }', чья роль в тот момент ({ $role }, район { $district }) этого не разрешает
err-trust-kind-unknown = R-R3: событие журнала { $seq } вида '{ $kind }', которого не пишет ни одна команда `kezek`

## Ключи (crypto.rs)

err-crypto-not-public-key = { $field }: это не открытый ключ RSA ({ $error })
err-crypto-not-private-key = { $field }: это не закрытый ключ RSA ({ $error })
err-crypto-keygen = не удалось создать ключ: { $error }
err-crypto-key-file = { $field }: файл ключа { $path }
err-crypto-key-unreadable = { $field }: не удаётся прочитать { $path }: { $error }
err-crypto-key-open = { $field }: файл { $path } доступен для чтения другим (права { $mode }); выполните `chmod 600 { $path }`
err-crypto-key-exists = { $field }: { $path } уже существует; kezek никогда не перезаписывает ключ (выберите другой каталог)
err-crypto-out-not-dir = `--out`: { $path } — файл, а не каталог: укажите каталог для `officer.key` и `officer.pub` (если его нет, он будет создан)
err-crypto-not-pem = { $field }: это не файл PEM ({ $error })
err-crypto-pem-tag = { $field }: ожидался блок PEM '{ $expected }', найден '{ $found }'
err-crypto-bits = { $field }: ключ RSA длиной { $bits } бит; kezek нужен ключ от { $min } до { $max } бит

## Файлы CSV (csvfile)

err-csvfile-empty = заголовок: файл пуст (нужна строка заголовка: { $expected })
err-csvfile-header-unclosed = заголовок: незакрытая кавычка: кавычка, открытая в строке { $line }, так и не закрыта (ожидаются столбцы { $expected })
err-csvfile-header = заголовок: { $reason }
err-csvfile-header-not-utf8 = заголовок: столбец { $column } не в кодировке UTF-8 (сохраните файл в UTF-8; ожидаются столбцы { $expected })
err-csvfile-not-a-header = заголовок: строка { $line } — не заголовок: ожидаются столбцы { $expected }, разделённые запятыми или точками с запятой
err-csvfile-header-problems = заголовок: { $problems } (ожидаются столбцы { $expected })
err-csvfile-unknown-column = неизвестный столбец '{ $column }'
err-csvfile-unknown-column-at = неизвестный столбец { $position } (это не имя столбца)
err-csvfile-column-twice = столбец '{ $column }' встречается дважды
err-csvfile-missing-column = нет столбца '{ $column }'
err-csvfile-utf16 = заголовок: файл в кодировке UTF-16 (текст в Юникоде): сохраните его как CSV UTF-8 или как CSV
err-csvfile-field-count = в строке { $count ->
    [one] { $count } поле
    [few] { $count } поля
   *[many] { $count } полей
  }, а в заголовке { $expected }
err-csvfile-unclosed = { $field }: незакрытая кавычка: кавычка, открытая в строке { $line }, так и не закрыта, и весь остаток файла стал бы одним значением
err-csvfile-not-utf8 = { $field }: значение не в кодировке UTF-8 (сохраните файл в UTF-8)
err-csvfile-field = поле { $position }
err-csvfile-reason-utf8 = не в кодировке UTF-8 (поле { $position })
err-csvfile-read-error = ошибка чтения: { $error }
err-csvfile-file = файл { $name }
err-csvfile-unreadable = { $name }: не удаётся прочитать: { $error }

## Синтетический город (generate.rs)

err-generate-csv = созданный CSV
err-settings-choice = { $key }: '{ $value }' — не одно из значений { $words }
err-direction-sibling-org = { $application } связано с братьями или сёстрами, направленными в { $orgs }: связанные дети направляются в одну организацию, а не в { $org }
err-input-missing = { $what }: файла { $path } нет
err-input-unreadable = { $what }: файл { $path } не читается: { $error }
err-input-not-regular = { $what }: { $path } — не обычный файл (устройство, каталог или канал не читаются)
err-input-too-big = { $what }: файл { $path } больше { $max } байт — больше любого ключа или головы журнала
err-input-not-text = { $what }: файл { $path } — не текст (UTF-8)
err-input-line-too-long = { $name }: строка { $line } длиннее { $max } байт; дальше файл не читался

## Роли и области (role.rs)

err-role-unknown = { $field }: '{ $value }' — нет такой роли: `admin`, `officer`, `kindergarten` или `service`
err-role-refused = сотруднику '{ $officer }' (роль { $role }) нельзя выполнять `kezek { $command }`: { $why }
err-role-needs = нужна роль { $roles } (`kezek officer roles`)
err-role-city-wide = обход всего города требует сотрудника с районом `*`, а у него район { $district }
err-role-other-district = команда затрагивает район { $district }, а его район — { $own }
err-role-other-org = команда затрагивает организацию { $org }, а его организация — { $own }
err-role-kindergarten-org = `--org`: учётная запись детского сада называет свою организацию (`--org CODE`)
err-role-org-only-kindergarten = `--org`: организацию называет только учётная запись детского сада, а не роль { $role }
err-role-org-outside = `--org`: организация { $org } находится в районе { $org_district }, а не в районе сотрудника { $district }
err-role-no-org = организация { $org }
err-role-city-wide-officer = `--district`: район `*` (весь город) бывает только у роли `officer`, а не у роли { $role }
