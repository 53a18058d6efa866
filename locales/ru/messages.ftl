# Сообщения в stderr: что сделала команда. Аргументы — значения (номера, коды), их не переводят.

msg-withdrawn = { $number }: заявление отозвано
msg-position = { $number }: номер в очереди { $position }
msg-position-in-class = { $number }: номер в очереди { $position }, { $class_position }-й с правом «{ $class }»
msg-direction-issued = направление { $direction } выдано по заявлению { $number }: место { $place } в { $org }, действует до { $until }
msg-enrolled = направление { $direction }: ребёнок зачислен в { $org }
msg-audit-ok = аудит пройден: событий { $events }, подписей { $heads }, проверено строк { $rows }; голова { $seq } { $hash }
msg-db-check-ok = проверка базы пройдена: целостность, внешние ключи и счётчики очередей в порядке, событий { $events }, подписей { $heads }, проверено строк { $rows }
msg-offer = раунд предложений: уведомлено заявлений { $notified }, предложено мест { $places }, закрыто окон { $windows }
msg-officer-added = сотрудник { $id } добавлен
msg-org-added = организация { $code } добавлена
msg-district-added = район { $name } добавлен
msg-places-published = опубликовано мест в { $org }: { $count }
msg-imported = импортировано ({ $what }): { $rows } из { $file }
msg-would-import = импортировалось бы (проверка, ничего не записано) ({ $what }): { $rows } из { $file }
noun-applications = заявления
noun-organizations = организации
noun-days = дни
noun-places = места
msg-sweep-done-already = обход за { $day }: делать нечего (уже выполнен в { $at })
msg-sweep = обход за { $day }{ $dry }: закрыто окон { $windows }, истекло направлений { $expired }, в стоп-лист { $stop }, снято после { $max } истечений { $removed }, завершено стоп-листов { $ended }, снято по возрасту { $age }
msg-published = опубликовано записей: { $records } (новых { $new }) в файлах журнала: { $files }, очередей { $queues }, мест { $places } в { $dir }; корень { $root }
msg-dry-run = {" "}(проверка, ничего не записано)
