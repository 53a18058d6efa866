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
err-audit-record-part-unreadable = журнал оқиғасы { $seq }: ашық жазбасының { $part } бөлігі { $why }
err-audit-part-too-long = { $length } байт деп көрсетеді
err-audit-part-damaged = ашылмайды
err-audit-part-not-text = UTF-8 мәтіні емес
err-audit-tree-node = ашық журналдың ағашы: { $level } деңгейдегі { $index } түйін жазбаларға сәйкес келмейді (журналдың { $seq } оқиғасы)
err-audit-tree-size = ашық журналдың ағашында { $stored } түйін бар, ал оның { $records } жазбасынан { $nodes } түйін шығады
err-audit-problems = { $first } (барлығы { $count } мәселе)
err-audit-row-inserted = { $table } кестесінің { $key } жолының журнал оқиғасы жоқ: ол kezek-тен тыс қосылған
err-audit-row-deleted = журналдың { $seq } оқиғасы жазған { $table } кестесінің { $key } жолы жоқ: ол kezek-тен тыс жойылған
err-audit-row-edited = { $table } кестесінің { $key } жолы журналдың { $seq } оқиғасы жазғаннан өзгеше: ол kezek-тен тыс өзгертілген
err-audit-row-undeleted = журналдың { $seq } оқиғасы жойған { $table } кестесінің { $key } жолы бар: ол kezek-тен тыс қосылған
err-audit-bad-key = журналдың { $seq } оқиғасы ({ $kind }): { $key } ашық кілт емес
err-audit-bad-role = R-R3: журналдың { $seq } оқиғасы ({ $kind }) '{ $role }' рөлін береді, оны `kezek` білмейді
err-audit-head-other-officer = қол қойылған { $seq } басқа '{ $officer }' қызметкері қол қойған, бірақ ол жабатын журналдың { $event } оқиғасын '{ $other }' қызметкері жасаған
err-audit-head-signature = қол қойылған { $seq } бас: қолтаңба '{ $officer }' қызметкерінікі емес (кілт { $fingerprint })
err-audit-head-key-swapped = қол қойылған { $seq } бас: журнал тіркеген '{ $officer }' қызметкерінің { $fingerprint } кілті журналда да, `officer` кестесінде де жоқ: кілт kezek-тен тыс ауыстырылған
err-audit-head-invalid = { $seq } бас: { $what } өрісі жарамсыз
err-audit-not-head = { $field }: бұл kezek жариялаған бас емес ({ $why })
err-audit-not-head-first-line = бірінші жол `kezek journal head` емес
err-audit-not-head-line = '{ $line }' жолы
err-audit-not-head-no = { $key } өрісі жоқ

## audit (continued)
err-audit-tree-lacks-node = ашық журналдың ағашында { $level } деңгейдегі { $index } түйін жоқ

## db
err-db-missing = { $path } дерекқоры: оны `kezek init` командасымен құрыңыз
err-db-old-schema = { $path } дерекқорының сұлба нұсқасы { $latest } ішінен { $version }: оны жаңарту үшін `kezek init` командасын орындаңыз
err-db-settings = { $path } дерекқоры: `WAL`, `synchronous=FULL` және сыртқы кілттерді қосу мүмкін болмады (алынғаны { $mode }, { $synchronous }, { $foreign_keys })
err-db-not-kezek = `--db`: { $path } kezek дерекқоры емес
err-db-not-a-file = `--db`: { $path } — дерекқор файлы емес, каталог: файлды көрсетіңіз (мысалы, { $path }/kezek.db)
err-db-not-regular = `--db`: { $path } — қарапайым файл емес: дерекқор файлын көрсетіңіз
err-db-not-sqlite = `--db`: { $path } — SQLite дерекқоры емес (оның алғашқы байттары SQLite байттары емес): kezek дерекқорын немесе `kezek init` үшін жаңа файлды көрсетіңіз
err-db-no-directory = `--db` { $path } үшін { $dir } каталогы: алдымен оны құрыңыз немесе бар каталогтағы дерекқорды көрсетіңіз
err-db-wal-unreadable = `--db`: { $path } мұнда оқылмайды: оның { $path }-wal алдын ала жазу журналында өзгерістер бар, оларды оқу үшін { $path }-shm файлы керек, ал оны бұл пайдаланушы жаза алмайтын каталогта құру мүмкін емес; оған жазу құқығымен кез келген команданы бір рет орындаңыз
err-db-no-key = `--key` (немесе `KEZEK_KEY`): бұл өзгеріске қол қою үшін әрекет етуші қызметкердің жабық кілті қажет
err-db-foreign-key = `foreign_key_check`: { $table } кестесінің { $rowid } жолы жоқ { $parent } жазбасына сілтейді
err-db-queue-counts = `queue_day` { $queue } { $year } { $class }, { $day } күн: есептегіште { $kept } күтудегі өтініш, ал шын мәнінде — { $actual }
err-db-migration-failed = { $name } миграциясы орындалмады: { $error }
err-db-no-migration = { $version } миграциясы жоқ
err-db-secure-delete = тазарту үшін `secure_delete` қосу мүмкін болмады (алынғаны { $got })

## officers
err-officers-unknown = белгісіз қызметкер '{ $id }'
err-officers-inactive = '{ $id }' қызметкері белсенді емес
err-officers-wrong-key = `--key` '{ $id }' қызметкеріне тіркелген кілт емес
err-officers-name-actor = қызметкерлер бар: әрекет етуші қызметкерді `--officer` (немесе `KEZEK_OFFICER`) арқылы көрсетіңіз
err-officers-first-key = `--key` қосылып жатқан алғашқы қызметкердің жабық кілті болуы керек (осы өзгеріске сол кілтпен қол қойылады)
err-officers-exists = `id`: '{ $id }' қызметкері бұрыннан бар ({ $name })
err-officers-not-found = '{ $id }' қызметкері
err-officers-inactive-already = '{ $id }' қызметкері бұрыннан белсенді емес
err-officers-last-active = '{ $id }' — соңғы белсенді қызметкер; оны өшірмес бұрын басқа қызметкер қосыңыз
err-officers-last-admin = '{ $id }' — соңғы белсенді әкімші (`admin`); алдымен басқа қызметкерді әкімші етіңіз (`kezek officer set-role ID --role admin`)
err-officers-first-admin = бірінші қызметкер — әкімші (`admin`, қалғандарын ол тіркейді), { $role } рөлі емес
err-officers-key-in-use = `--public-key`: бұл кілт '{ $holder }' қызметкеріне тіркелген немесе бұрын тіркелген; әр қызметкердің өз кілті болады
err-officers-own-key = '{ $id }' қызметкері өз кілтін өзі ауыстыра алмайды: мұны басқа қызметкер жасайды, сонда жаңа кілтті сенімді қолтаңба растайды

## places
err-places-no-org = { $field }: '{ $org }' ұйымы жоқ
err-places-bad-year = `group_year`: '{ $value }' жыл емес
err-places-year-range = `group_year`: { $year } кезектегі топ жылдарынан тыс ({ $from }–{ $to })
err-places-bad-count = `count`: '{ $value }' бүтін сан емес
err-places-count-range = `count`: { $count } рұқсат етілген ауқымнан тыс (1–{ $max })
err-places-not-found = { $id } орны
err-places-cannot-withdraw = { $id } орны { $status } күйінде; тек `free`, `offered` немесе `free_choice` күйіндегі орынды алып тастауға болады
err-places-org-not-found = { $code } ұйымы

## offers
err-offers-not-working-day = { $today } жұмыс күні емес; ұсыныс раунды жұмыс күндері өткізіледі
err-offers-window-closed = бүгінгі ұсыныс терезесі { $closes } жабылды; раундты келесі жұмыс күні өткізіңіз

## calendar
err-calendar-day-off-already = { $date } онсыз да демалыс күні ({ $reason }); мерекелер жұмыс күндеріне жарияланады
err-calendar-working-already = { $date } онсыз да жұмыс күні; жұмыс күндері демалыс күндеріне жарияланады
err-calendar-reason-weekday = жұмыс күні
err-calendar-reason-weekend = демалыс
err-calendar-reason-holiday = мереке: { $name }
err-calendar-reason-transferred = демалыс күні { $from } күнінен ауыстырылған ({ $name })
err-calendar-reason-declared-holiday = жарияланған мереке: { $name }
err-calendar-reason-declared-workday = жарияланған жұмыс күні: { $name }
err-calendar-declared-already = `date`: { $date } бұрыннан жарияланған ({ $kind }: { $name })
err-calendar-not-declared = жарияланған { $date } күні

## orgs and districts
err-orgs-exists = `code`: '{ $code }' бұрыннан бар ({ $name })
err-districts-exists = `name`: '{ $name }' ауданы бұрыннан бар

## applications
err-applications-not-found = { $number } өтініші
err-applications-duplicate = { $child } баласының { $queue } кезегінде { $existing } өтініші бұрыннан бар
err-applications-numbers-exhausted = { $year } жылғы өтініш нөмірлері таусылды
err-applications-not-waiting = { $number } өтініші { $status } күйінде: тек күтудегі өтініш { $what }
err-applications-waiting-category = санатын өзгерте алады
err-applications-waiting-withdraw = кері алына алады
err-applications-bad-category = `--category`: '{ $name }' жеңілдік санаты емес (`kezek category list` қараңыз)
err-applications-benefit-doc = { $category } санаты: жеңілдікке растайтын құжат қажет (`--doc KIND:NUMBER:DATE`)

## import
err-import-future = `registered_at`: { $at } қазіргі уақыттан кейін ({ $now })
err-import-child-repeated = { $child } баласы { $queue } кезегінде { $first }-жолда бұрыннан бар
err-import-number-repeated = `number`: { $number } { $first }-жолда бұрыннан қолданылған
err-import-number-repeated-earlier = `number`: { $number } жоғарыдағы жолдардың бірінде бұрыннан қолданылған
err-import-number-exists = `number`: { $number } бұрыннан бар
err-import-numbers-exhausted = `number`: { $year } жылғы нөмірлер таусылды
err-import-date-repeated = `date`: { $date } { $first }-жолда бұрыннан бар
err-import-code-repeated = `code`: '{ $code }' { $first }-жолда бұрыннан бар
err-import-bad-day-kind = `kind`: '{ $value }' күн түрі емес (`holiday`, `workday`)
err-import-repeat = { $file } (sha256 { $sha256 }) { $at } бұрын импортталған (журналдың { $seq } оқиғасы, { $kind }); қайта импорттау үшін `--allow-repeat` қосыңыз
err-import-db-refuses = дерекқор жолды қабылдамайды: { $error }

## directions
err-directions-not-found = { $number } жолдамасы
err-directions-cannot-revoke = { $number } жолдамасы { $status } күйінде; тек берілген (`issued`) жолдама кері қайтарылады
err-directions-cannot-annul = { $number } жолдамасы { $status } күйінде; тек берілген (`issued`) жолдама ғана, қабылдауға дейін, жойылады
err-directions-not-active = { $number } жолдамасы { $status } күйінде ({ $until } дейін жарамды); тек жарамды жолдама бойынша қабылдауға болады
err-directions-benefit-doc = { $number } өтініші { $class } құқығымен: ұсынылған жеңілдік құжатының берілген күнін көрсетіңіз (`--benefit-doc-date`)
err-directions-no-enrollment = { $child } баласының { $org } ұйымына шығусыз қабылдануы
err-directions-departure-early = шығу күні { $date } қабылдау күнінен ({ $enrolled }) бұрын
err-directions-doc-not-text = { $number } жолдамасы: қол қойылған құжат мәтін емес: ол kezek-тен тыс өзгертілген
err-directions-unknown-signer = { $number } жолдамасына белгісіз '{ $officer }' қызметкері қол қойған
err-directions-bad-signature = { $number } жолдамасы: қолтаңба құжатқа және '{ $officer }' қызметкерінің кілтіне сәйкес келмейді
err-directions-bad-purged-signature = { $number } жолдамасы: қолтаңба тазартылған құжаты сақтаған дайджестке және '{ $officer }' қызметкерінің кілтіне сәйкес келмейді
err-directions-doc-field = { $number } жолдамасы: қол қойылған құжатта { $field }: { $value } жолы жоқ

## publish
err-publish-no-head = қол қойылған бақылау нүктесі: әлі ешбір қызметкер ештеңе өзгертпеген
err-publish-old-head = қол қойылған бақылау нүктесі: соңғы басқа ({ $seq }) kezek-тің ертерек нұсқасы қол қойған; келесі өзгертетін команда бақылау нүктесіне қол қояды
err-publish-key-nowhere = журналдың { $seq } оқиғасы ({ $kind }) дерекқордың еш жерінде жоқ { $fingerprint } кілтін тіркейді
err-publish-bad-record = { $seq } ашық жазбасы: { $error }
err-publish-not-prefix = { $path }: { $line }-жол осы дерекқордың жазбасы емес (R-V3): жарияланған журнал осы журналдың бастапқы бөлігі емес, ештеңе жазылмады
err-publish-no-record = ашық журналда журналдың { $seq } оқиғасының жазбасы жоқ
err-publish-foreign-checkpoint = { $path }: жарияланған бақылау нүктесі (ағаш өлшемі { $size }) осы дерекқордың журналына жатпайды (R-V3): ештеңе жазылмады

## public (audit public)
err-public-not-checkpoint = { $path }: бұл ашық журналдың бақылау нүктесі емес
err-public-not-utf8 = { $path }: UTF-8 кодтауында емес (R-V1)
err-public-not-canonical = { $path }:{ $line }: `seq` { $seq } жазбасы канондық түрде емес (R-V1)
err-public-size = { $path }: журналда { $seq } жазба бар, ал бақылау нүктесінің ағашында — { $size } (R-V3)
err-public-root = { $path }: журналдың { $seq } жазбасының түбірі бақылау нүктесінің түбірі емес (R-V2): жазба өзгертілген
err-public-previous-rewritten = `--previous`: ертеректегі бақылау нүктесі (ағаш өлшемі { $size }) осы журналдың бастапқы бөлігі емес: оның алдындағы жазба қайта жазылған (R-V5)
err-public-app-not-found = жарияланым журналындағы { $number } өтініші
err-public-not-record = { $at }: бұл ашық жазба емес (R-V1): { $error }
err-public-wrong-seq = { $at }: мұнда `seq` { $seq } емес, { $got }: журналдың реті өзгертілген немесе журнал қиылған (R-V3)
err-public-no-key = officers.json: `seq` { $seq } кезіндегі тіркеуге кілт жоқ (R-V3)
err-public-no-officer-row = оқиға { $seq }: қызметкер жолы жоқ `officer.set_role` жазбасы (R-V1)
err-public-key-not-officers = officers.json: `seq` { $seq } кілті '{ $officer }' қызметкерінікі емес
err-public-app-time = { $at }: { $number } өтініші: `registered_at` уақыт емес
err-public-app-fields = { $at }: `seq` { $seq }: { $error }: бұл өтініш өрістері емес (R-V1)
err-public-backdated = { $at }: `seq` { $seq }: { $number } өтініші { $registered } уақытымен тіркелген, бұл оның оқиғасы жазылғаннан { $minutes } минуттан астам бұрын (R-V5)
err-public-not-json = { $path }: JSON емес: { $error }
err-public-not-key = { $path }: `seq` { $seq }: ашық кілт емес
err-public-fingerprint = { $path }: `seq` { $seq }: саусақ ізі кілтке сәйкес келмейді
err-public-not-signed = { $what }: '{ $officer }' қызметкерінің сенімді кілтімен қол қойылмаған (R-A7)
err-public-round-unregistered = { $at }: `seq` { $seq }: ұсыныс раунды журнал ешқашан тіркемеген { $number } өтінішіне хабарлады (R-V5)
err-public-round-not-queued = { $at }: `seq` { $seq }: ұсыныс раунды `queued` емес, { $status } күйіндегі { $number } өтінішіне хабарлады (R-P3, R-V5)
err-public-round-passed-over = { $at }: `seq` { $seq }: ұсыныс раунды { $after } өтінішіне хабарлады, бірақ кезекте одан алда тұрған { $number } өтінішін өткізіп жіберді (R-Q2, R-P3, R-V5)
err-public-round-siblings = { $at }: `seq` { $seq }: ұсыныс раунды { $number } өтінішін бірге хабарланған егіздердің қатарында атайды, бірақ оған хабарламаған (R-C5, R-V5)
err-public-queue-empty = { $path }: журнал бойынша бұл кезекте ешкім күтпейді (R-V5)
err-public-queue-missing = { $path }: файл жоқ, ал бұл кезекте өтініштер күтуде (R-V5)
err-public-queue-line = { $path }:{ $line }: '{ $got }', ал журнал бойынша '{ $want }' болуы керек (R-V5, R-Q2)
err-public-queue-lines = { $path }: { $lines } жол, ал журнал бойынша { $total } болуы керек (R-V5)
err-public-round-place = { $at }: `seq` { $seq }: { $round } раунды ұсынған { $place } орынға сол раунд хабарламаған { $application } өтініші бойынша жолдама берілген (R-D3, R-V5)
