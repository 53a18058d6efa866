# Тексты для семей: уведомления (SPEC §8) и печатные документы. Только русские слова, без кодов.
# Даты приходят уже в виде ДД.ММ.ГГГГ, время — ЧЧ:ММ.

## Значения полей

queue-general = общая
queue-sanatorium = санаторная
class-out_of_turn = внеочередное право
class-first_priority = первоочередное право
class-general = на общих основаниях
instruction-kk = казахский
instruction-ru = русский
status-queued = в очереди
status-notified = направлено уведомление
status-stop_listed = в стоп-листе
status-directed = выдано направление
status-enrolled = зачислен (услуга оказана)
status-removed = снят с очереди
direction-status-issued = действует
direction-status-enrolled = ребёнок зачислен
direction-status-revoked = отозвано
direction-status-annulled = аннулировано
direction-status-expired = срок истёк
consent-egov = через портал электронного правительства
consent-written = письменное
reason-expired_twice = истёк срок двух направлений
reason-age_limit = ребёнок достиг предельного возраста
reason-private_direction = выдано направление в частную организацию
reason-withdrawn = заявление отозвано заявителем
reason-other = по решению отдела образования
doc-military_id = удостоверение военнослужащего
doc-service_certificate = служебное удостоверение
doc-death_certificate = свидетельство о смерти
doc-guardianship_decision = решение об опеке
doc-disability_certificate = справка об инвалидности
doc-large_family_certificate = справка о многодетной семье
doc-pmpk_conclusion = заключение психолого-медико-педагогической консультации
doc-employment_certificate = справка с места работы
doc-medical_conclusion = медицинское заключение
doc-other = документ

## Уведомления

notice-registered-subject = Заявление принято
notice-registered-body = Заявление { $number } поставлено на очередь. Очередь: { $queue }, год группы: { $group_year }.
notice-turn_came-subject = Подошла очередь
notice-turn_came-body = По заявлению { $number } подошла очередь: выберите место на портале или в отделе образования до { $until }.
notice-window_closed-subject = Окно выбора закрыто
notice-window_closed-body = По заявлению { $number } место не выбрано до { $at }; заявление снова в очереди на прежнем месте.
notice-direction_issued-subject = Выдано направление
notice-direction_issued-body = По заявлению { $number } выдано направление { $direction } в организацию «{ $org_name }» ({ $org }), действительно до { $until } включительно.
notice-extended-subject = Направление продлено
notice-extended-body = Направление по заявлению { $number } продлено до { $until } включительно.
notice-revoked-subject = Направление отозвано
notice-revoked-body = Направление по заявлению { $number } отозвано по вашему заявлению; очередь сохранена.
notice-annulled-subject = Направление аннулировано
notice-annulled-body = Направление по заявлению { $number } аннулировано отделом образования; очередь сохранена. Причину можно узнать в отделе образования.
notice-expired-subject = Срок направления истёк
notice-expired-stop_listed-body = Срок направления { $direction } по заявлению { $number } истёк. Заявление в стоп-листе до { $until } включительно, затем снова в очереди на прежнем месте.
notice-expired-removed-body = Срок направления { $direction } по заявлению { $number } истёк. Заявление снято с очереди: { $count ->
        [one] истекло { $count } направление
        [few] истекло { $count } направления
       *[many] истекло { $count } направлений
    }.
notice-removed-subject = Снято с очереди
notice-removed-body = Заявление { $number } снято с очереди: { $reason }.
notice-benefit_unconfirmed-subject = Льгота не подтверждена
notice-benefit_unconfirmed-body = По заявлению { $number } льгота не подтверждена лично в срок, поэтому направление { $direction } аннулировано. Заявление стоит в очереди на общих основаниях со времени постановки, и место может быть предложено снова после { $until }.
notice-enrolled-subject = Ребёнок зачислен
notice-enrolled-body = По заявлению { $number } ребёнок зачислен в организацию «{ $org_name }» ({ $org }) { $date }. Услуга оказана.
receipt =
    Квитанция публичного журнала очереди: событие № { $seq }, хеш записи { $leaf }.
    Проверить её по опубликованному журналу может каждый: kezek_verify.py КАТАЛОГ --receipt { $seq }:{ $leaf }

## Документы

doc-notice-title =
    ИЗВЕЩЕНИЕ
    о постановке на очередь в дошкольную организацию
doc-card-title = КАРТОЧКА РЕБЁНКА
doc-direction-title =
    НАПРАВЛЕНИЕ
    в дошкольную организацию
doc-service-title =
    УВЕДОМЛЕНИЕ
    об оказании государственной услуги
doc-service-body = Государственная услуга «Постановка на очередь детей дошкольного возраста для направления в дошкольные организации» оказана: ребёнок зачислен.
doc-number = Номер заявления
doc-registered = Дата и время регистрации
doc-child = Ребёнок
doc-iin = ИИН
doc-born = дата рождения
doc-applicant = Заявитель
doc-contacts = Контакты
doc-queue-type = Тип очереди
doc-group-year = Год группы
doc-language = Язык обучения
doc-district = Район
doc-category = Льготная категория
doc-category-none = нет (на общих основаниях)
doc-status = Статус
doc-position = Номер в очереди
doc-class-position = Номер по льготной категории
doc-not-waiting = не в очереди
doc-documents = Документы
doc-consent = Согласие на сбор и обработку персональных данных
doc-expired = Истёкших направлений
doc-stop-list = В стоп-листе до
doc-removed = Причина снятия с очереди
doc-issued = Дата выдачи
doc-footer = Номер в очереди меняется по мере выдачи направлений и постановки на очередь льготных категорий.
doc-direction-number = Номер направления
doc-org = Организация
doc-place = Место
doc-valid-until = Действительно до (включительно)
doc-enrolled-on = Дата зачисления
