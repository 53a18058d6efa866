# Дерекқор, аудит, импорт және жариялау қателері (src/store, src/publish.rs, src/public_check).

## audit

err-audit-schema-foreign = { $name } { $kind ->
        [table] кестесі
        [index] индексі
        [trigger] триггері
        [view] көрінісі
       *[other] нысаны
    } kezek-тен тыс жасалған
err-audit-schema-altered = { $name } { $kind ->
        [table] кестесі
        [index] индексі
        [trigger] триггері
        [view] көрінісі
       *[other] нысаны
    } жоқ немесе өзгертілген
err-audit-schema-changed = дерекқор сұлбасы kezek-тен тыс өзгертілген: { $differs }
err-audit-event-missing = журналдың { $expected } оқиғасы жоқ (келесі оқиға — { $seq })
err-audit-event-not-text = журналдың { $seq } оқиғасы: { $column } бағаны мәтін емес: оқиға kezek-тен тыс өзгертілген
err-audit-event-empty = журналдың { $seq } оқиғасы: { $column } бағаны бос: оқиға kezek-тен тыс өзгертілген
err-audit-rows-no-event = журналда жоқ { $seq } оқиғасының жол дайджесттері бар
err-audit-event-hash = журналдың { $seq } оқиғасы ({ $kind } { $subject }) өз хэшіне сәйкес келмейді: оқиға немесе оның жол дайджесттері өзгертілген
err-audit-event-no-officer = журналдың { $seq } оқиғасында ({ $kind }) қызметкер көрсетілмеген
err-audit-migration-no-version = журналдың { $seq } оқиғасы: нұсқасы жоқ миграция оқиғасы
err-audit-migration-rows = журналдың { $seq } оқиғасы: { $version } миграциясы өзі құрмаған жолдарды жазады
err-audit-head-hash = қол қойылған { $seq } бас журналдың { $seq } оқиғасындағы хэшіне сәйкес келмейді
err-audit-head-tree = қол қойылған { $seq } бас ағашты (өлшемі { $size }) көрсетеді, оның түбірі ашық журналдың түбірі емес
err-audit-head-previous = қол қойылған { $seq } бас алдыңғы бас ретінде мынаны көрсетеді: { $named ->
        [none] жоқ
       *[other] { $named }
    }, ал журналда оның алдындағы соңғы бас: { $last ->
        [none] жоқ
       *[other] { $last }
    }: бас жойылған немесе орны ауыстырылған
err-audit-head-not-checkpoint = қол қойылған { $seq } бас бақылау нүктесі емес, ал оның алдындағы бастар бақылау нүктелері (R-A8)
err-audit-unsigned = журналдың { $seq } оқиғасы ({ $kind }) және одан кейінгі оқиғалар қол қойылған баспен жабылмаған
err-audit-head-no-event = қол қойылған { $seq } бас журналдың ешбір оқиғасына сілтемейді
err-audit-published-cut = жарияланған { $seq } бас журналда жоқ (журнал { $last } оқиғасымен аяқталады): журнал қысқартылған
err-audit-published-rewritten = жарияланған { $seq } бас журналдың { $seq } оқиғасындағы хэшіне сәйкес келмейді: журнал қайта жазылған
err-audit-published-tree = жарияланған { $seq } бас түбірі ашық журналдың түбірі емес ағашты көрсетеді: журнал қайта жазылған
err-audit-published-previous = жарияланған { $seq } бас журналда енді жоқ алдыңғы басты көрсетеді: бас жойылған немесе орны ауыстырылған
err-audit-published-signature = жарияланған { $seq } басқа '{ $officer }' қызметкерінің тіркелген кілтімен қол қойылмаған
err-audit-record = журналдың { $seq } оқиғасы ({ $kind }): оның ашық жазбасы { $why }
err-audit-record-lacks-part = { $part } бөлігін қамтымайды
err-audit-record-head = оқиғаға сәйкес келмейді (уақыты, қызметкері немесе түрі)
err-audit-record-missing = жоқ
err-audit-record-tail = оқиғаға сәйкес келмейді (`seq` немесе `subject`)
err-audit-record-no-event = журналда жоқ { $seq } оқиғасының ашық жазбасы бар
err-audit-tree-node = ашық журналдың ағашы: { $level } деңгейдегі { $index } түйін жазбаларға сәйкес келмейді (журналдың { $seq } оқиғасы)
err-audit-tree-size = ашық журналдың ағашында { $stored } түйін бар, ал оның { $records } жазбасынан { $nodes } түйін шығады
err-audit-problems = { $first } (барлығы { $count } мәселе)
err-audit-row-inserted = { $table } кестесінің { $key } жолының журнал оқиғасы жоқ: ол kezek-тен тыс қосылған
err-audit-row-deleted = журналдың { $seq } оқиғасы жазған { $table } кестесінің { $key } жолы жоқ: ол kezek-тен тыс жойылған
err-audit-row-edited = { $table } кестесінің { $key } жолы журналдың { $seq } оқиғасы жазғаннан өзгеше: ол kezek-тен тыс өзгертілген
err-audit-row-undeleted = журналдың { $seq } оқиғасы жойған { $table } кестесінің { $key } жолы бар: ол kezek-тен тыс қосылған
err-audit-bad-key = журналдың { $seq } оқиғасы ({ $kind }): { $key } ашық кілт емес
err-audit-head-other-officer = қол қойылған { $seq } басқа '{ $officer }' қызметкері қол қойған, бірақ ол жабатын журналдың { $event } оқиғасын '{ $other }' қызметкері жасаған
err-audit-head-signature = қол қойылған { $seq } бас: қолтаңба '{ $officer }' қызметкерінікі емес (кілт { $fingerprint })
err-audit-head-key-swapped = қол қойылған { $seq } бас: журнал тіркеген '{ $officer }' қызметкерінің { $fingerprint } кілті журналда да, `officer` кестесінде де жоқ: кілт kezek-тен тыс ауыстырылған
err-audit-head-invalid = { $seq } бас: { $what } өрісі жарамсыз
err-audit-not-head = { $field }: бұл kezek жариялаған бас емес ({ $why })
err-audit-not-head-first-line = бірінші жол `kezek journal head` емес
err-audit-not-head-line = '{ $line }' жолы
err-audit-not-head-no = { $key } өрісі жоқ
