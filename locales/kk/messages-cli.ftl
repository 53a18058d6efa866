# Командалық жолдың өз хабарлары: қателер, сұрақтар, енгізу сұраулары және күй жолдары (src/cli және демо).

## application

cli-application-flag-required = міндетті `--{ $flag }` параметрі көрсетілмеген
cli-application-give-iin-or-name = `--iin` параметрін немесе `--birth-date` параметрімен бірге `--name` параметрін көрсетіңіз
cli-application-child-not-found = бұл баланың өтініштері жоқ
cli-application-category-changed = { $number }: жеңілдік санаты { $from } -> { $to }
cli-application-withdraw-confirm = { $number } өтінішін кері алу керек пе (кезектен шығарылады, себебі «кері алынды»)?
cli-application-explained = { $number }: кезектегі нөмірі сол кезде { $then }, қазір { $now }; оны { $count } оқиға өзгертті
cli-application-prompt-child-iin = Баланың ЖСН-і
cli-application-prompt-child-name = Баланың толық аты-жөні
cli-application-prompt-applicant-iin = Өтініш берушінің ЖСН-і
cli-application-prompt-applicant-name = Өтініш берушінің толық аты-жөні
cli-application-prompt-phone = Телефон (+7 және он цифр)
cli-application-prompt-email = Эл. пошта
cli-application-prompt-district = Аудан
cli-application-prompt-doc = Растайтын құжат ТҮРІ:НӨМІРІ:ЖЖЖЖ-АА-КК
cli-application-prompt-consent = Баланың дербес деректерін өңдеуге келісім (`egov` немесе `written[:КҮНІ]`)

## audit

cli-audit-trust-needs-key = `--trust`: жарияланымды тексеру үшін бірінші қызметкердің ашық кілтін (PEM) көрсетіңіз
cli-audit-passed-over = ескерту: { $seq } оқиғасындағы ұсыныс раунды соңғы хабарланғанның алдында кезекте тұрған { $count } өтінішті өзі жариялағандай өткізіп жіберді (R-D5: бала ұйымға барады; R-C6: бала `min_age_years` жасқа толмаған; R-C5: ешбір балабақшада әрқайсысына орын жоқ егіздер); тізімі — `--format json` ішінде
cli-audit-later-import = назар аударыңыз: { $seq } оқиғасындағы өтініштер импорты біріншісінен кейін: { $rows } жол, оның { $backdated } жолы { $minutes } минуттан артық бұрынғы күнмен жазылған (R-V5)
cli-audit-publication-ok = жарияланым тексерілді: { $records } жазба, түбірі { $root }, қол қойған { $signer }; { $applications } өтініші бар { $queues } кезек және { $rounds } ұсыныс раунды қайта ойнатылды{ $consistent }
cli-audit-consistent = ; { $records } жазбадан тұратын бақылау нүктесімен сәйкес
cli-audit-explained = { $number }: кезекке қойылғандағы нөмірі { $then }, қазір { $now }; оны { $count } оқиға өзгертті
cli-audit-no-head = журналдың қолтаңба қойылған басы: әлі ешбір қызметкер ештеңе өзгертпеген

## calendar

cli-calendar-declared = { $date } { $kind ->
        [holiday] мереке күні
       *[other] жұмыс күні
    } деп жарияланды
cli-calendar-not-a-date = `date`: '{ $value }' күн емес (ЖЖЖЖ-АА-КК)
cli-calendar-removed = { $date } ерекше күні күнтізбеден алынып тасталды
cli-calendar-not-a-kind = `--kind`: '{ $value }' күн түрі емес (`holiday`, `workday`)

## child

cli-child-departed = { $date } { $org } ұйымынан шығу: { $place } орны { $free } бастап бос

## db

cli-db-backup-exists = { $file } бар; kezek сақтық көшірмені ешқашан қайта жазбайды
cli-db-backed-up = { $db } сақтық көшірмесі { $file } файлына жазылды
cli-db-purge-ahead = `--before` { $before } бүгіннен ({ $today }) кейін: тазалау тек өткенге қатысты
cli-db-purge-confirm = { $before } дейін аяқталған өтініштердің дербес деректерін өшіру керек пе? Мұны кері қайтару мүмкін емес.
cli-db-purged = { $before } дейін аяқталғандардың дербес деректері өшірілді: { $applications } өтініш, { $notifications } хабарлама, { $enrollments } қабылдау, { $directions } жолдама құжаты
cli-db-purge-not-wiped = басқа процесс дерекқорды бос қалдырмады немесе оны қайта құруға дискіде орын жетпеді: оның бос орнында немесе алдын ала жазу журналында өшірілген мәндер әлі қалуы мүмкін; оларды жою үшін кейінірек сол `kezek db purge` командасын қайта іске қосыңыз
cli-db-purge-replicated = дерекқорды `Litestream` көшіреді: алдын ала жазу журналы соған қалдырылды, ол оны қайта құрылған файлға өзі көшіреді; көшірме өшірілген мәндерді сақтау мерзімі (`litestream.yml` ішіндегі `retention`) өткенше сақтайды

## demo

cli-demo-not-a-demo = { $path } ішінде kezek демосына жатпайтын деректер бар; демо бос дерекқордан басталады (басқа `--db` таңдаңыз)
cli-demo-start = `kezek demo`: { $path } ішіндегі оқу қаласы
cli-demo-generating-key = демо қызметкердің RSA кілті жасалуда...
cli-demo-accounts = { $count } тіркелгі тіркелді, әрқайсысында тек өзіне керек құқықтар (R-R1; `kezek officer roles`): { $list }
cli-demo-imported-orgs = { $file } файлынан { $count } ұйым импортталды
cli-demo-imported-days = { $file } файлынан { $count } жарияланған күн импортталды
cli-demo-imported-applications = бұрынғы жүйеден көшірілген { $count } өтініш импортталды
cli-demo-month-progress = кезектің бір айы
cli-demo-month = Кезектің бір айы, күн сайын:
cli-demo-orgs = Аудандар бойынша ұйымдар:
cli-demo-calendar = { $year } жылғы жұмыс күндерінің күнтізбесі (кәдімгі аптадан өзгеше күндер):
cli-demo-valid-until = Бүгін ({ $today }) берілген жолдама { $until } күнінің соңына дейін жарамды (5 жұмыс күні, R-D1).
cli-demo-queues = Кезектер (кезек түрі, топ жылы және жеңілдік бойынша күтудегі өтініштер):
cli-demo-head = Ең үлкен кезектің басы ({ $queue_type ->
        [general] жалпы кезек
        [sanatorium] санаторлық кезек
       *[other] { $queue_type }
    }, { $group_year } жылғы топ): алдымен кезектен тыс құқығы барлар, содан кейін жалпы негіздегі әрбір { $general } өтінішке бір бірінші кезектегі өтініш (R-Q2):
cli-demo-notice = Олардың ішіндегі бірінші кезектегі алғашқы өтініштің кезекке қою туралы хабарламасы (`kezek application notice`):
cli-demo-stats = Айдың статистикасы (`kezek stats --from { $from } --to { $to }`):
cli-demo-card = { $number } өтініші бойынша бала карточкасы ({ $status ->
        [queued] кезекте
        [notified] хабарланды
        [stop_listed] стоп-парақта
        [directed] жолдама берілді
        [enrolled] қабылданды
        [removed] кезектен шығарылды
       *[other] { $status }
    }), `kezek application card`:
cli-demo-outbox = Отбасыларға жіберуге { $count } хабарлама дайын, эл. пошта мен SMS арқылы (`kezek notify export`).
cli-demo-journal = Журнал: { $events } оқиға, { $heads } қолтаңба, { $rows } жол тексерілді (`kezek audit verify`).
cli-demo-published = Айдың ашық журналы { $dir }/ ішінде жарияланды ({ $records } жазба, түбірі { $root }); онда дербес деректер жоқ. Кез келген адам оны дерекқорсыз, kezek арқылы немесе тәуелсіз тексергішпен тексере алады:
cli-demo-try = Өзіңіз байқап көріңіз (kezek — бұл `target/release/kezek` немесе `cargo run --release --`), демо сағаты бойынша, оның айынан кейінгі таңертең (тіркеу немесе айналым айдың оқиғаларынан кейін болуы үшін):

## direction

cli-direction-key-required = `--key` (немесе `KEZEK_KEY`): жолдамаға әрекет етуші қызметкердің жабық кілтімен қол қойылады
cli-direction-extended = { $direction } жолдамасы { $until } дейін ұзартылды
cli-direction-revoke-confirm = { $direction } жолдамасын өтініш берушінің сұрауы бойынша кері қайтару керек пе?
cli-direction-revoked = { $direction } жолдамасы кері қайтарылды; орын бос, өтініш қайтадан кезекте күтеді
cli-direction-annul-confirm = { $direction } жолдамасын жою керек пе?
cli-direction-annulled = { $direction } жолдамасы жойылды; орын бос, өтініш қайтадан кезекте күтеді
cli-direction-verified = { $direction } жолдамасы: қолтаңба дұрыс (қызметкер { $officer }, кілт { $key }), мәртебесі «{ $status ->
        [issued] берілді
        [enrolled] қабылданды
        [expired] мерзімі өтті
        [revoked] кері қайтарылды
        [annulled] жойылды
       *[other] { $status }
    }»

## history

cli-history-not-a-table = `--table`: '{ $value }' кесте емес ({ $tables })
cli-history-no-events = '{ $key }' үшін журнал оқиғалары жоқ

## init

cli-init-created = { $path } дерекқоры құрылды, схема нұсқасы { $version }
cli-init-up-to-date = { $path } схемасының нұсқасы { $version }: істейтін ештеңе жоқ
cli-init-migrated = { $path } схемасы { $from } нұсқасынан { $to } нұсқасына жаңартылды

## man

cli-man-written = `man` беттері { $dir } ішіне жазылды

## mod (барлық командаларға ортақ)

cli-mod-officer-required = `--officer` (немесе `KEZEK_OFFICER`): әрекет етуші қызметкерді көрсетіңіз (R-A2)
cli-mod-import-progress = импорт: { $what }

## notify

cli-notify-exported = { $count } хабарлама шығарылды және жіберілді деп белгіленді
cli-notify-waiting = { $count } хабарлама жіберуді күтуде (белгіленбеді)

## officer

cli-officer-generating = RSA-{ $bits } кілттер жұбы жасалуда...
cli-officer-wrote-keys = { $private } (жабық, рұқсаттары 0600) және { $public } (ашық) жазылды
cli-officer-rotated = { $id } қызметкері енді { $fingerprint } кілтімен қол қояды
cli-officer-role-set = { $id } қызметкерінің рөлі енді { $role }
cli-officer-role-required = `--role`: жаңа қызметкердің рөлін атаңыз: `admin`, `officer`, `kindergarten` немесе `service` (`kezek officer roles`)
cli-officer-reach-administration = қаланы басқару
cli-officer-reach-city = бүкіл қала
cli-officer-reach-district = қызметкердің ауданы
cli-officer-reach-org = қызметкер ауданының ұйымы немесе өз балабақшасы
cli-officer-deactivate-confirm = '{ $id }' қызметкерін өшіру керек пе?
cli-officer-deactivated = { $id } қызметкері өшірілді

## output

cli-output-prompt-failed = енгізу сұрауы: { $error }

## place

cli-place-withdraw-confirm = { $id } орнын кері алу керек пе?
cli-place-withdrawn = { $id } орны кері алынды

## proof

cli-proof-seq-out-of-tree = `--seq` { $seq }: { $size } жапырағы бар ағаш 1 мен { $size } аралығындағы оқиғаларды қамтиды
cli-proof-bad-sizes = `--from` { $from } `--to` { $to }: өлшемдер 1 мен журналдың өлшемі { $last } аралығында, `--from` мәні `--to` мәнінен аспауы керек

## settings

cli-settings-unchanged = { $key }: { $value } (өзгеріссіз)

## stats

cli-stats-period-from = { $from } бастап { $to } дейін
cli-stats-period-up-to = { $to } дейін
cli-stats-waiting = Кезекте күтетіндер (кезектен тыс, бірінші кезектегі, жалпы негізде):
cli-stats-moves = Жолдамалар және кезектен шығару, { $period }:
cli-stats-free-places = Ұйым түрі, аудан және тіл бойынша бос орындар:
cli-stats-median = Кезекке қойылғаннан жолдамаға дейінгі күндер медианасы, { $period }:
cli-demo-allocation = { $day } кеші: бір кезектің қырық отбасы екіден төртке дейін балабақша таңдады (`kezek application prefer`), ал `kezek allocate` рет-ретімен таңдау бойынша { $directions } жолдама берді: кезек тәртібімен әр отбасы орны әлі бар ең жақсы таңдалған балабақшаны алады, сондықтан шын таңдау әрқашан ең тиімді және алда тұрған ешкім артта тұрғандарға қызықпайды; қалаулары бар { $unplaced } өтініш өз нөмірін сақтады. Алғашқы оны:
cli-demo-exchange = Содан кейін әртүрлі балабақшаға баратын екі бала бір-бірінің балабақшасына ауысуды сұрады (`application register --transfer`), ал `kezek exchange` негізгі сауда циклдері бойынша { $cycles } цикл тауып, { $moves } баланы бірден ауыстырды, әрқайсысын қол қойылған жолдамамен:
cli-audit-choice-replayed = рет-ретімен таңдау бойынша қайталанған бөлулер (R-C2): { $allocations }, негізгі сауда циклдері бойынша алмасулар (R-C4): { $exchanges }
cli-demo-founded = Қала өз кезегін `kezek` жүйесіне { $founded } көшірді: сол күні ұйымдар, күнтізбе және жоғарыдағы кезек импортталды. { $enrolled }, демо айына дейін, { $org } жеке балабақшасы { $year } жылы туған екі баланы өз орындарына жолдама бойынша қабылдады (R-D4).
cli-demo-controls = Соңында, теріс пайдаланудан қорғау (`SPEC` §13). Осы айларда демо қызметкерлер мен балабақшалардың командаларымен прокурорлық тексеру іздейтін әр түрдің бір жағдайын жасады:
cli-demo-plant-over = `over_capacity`: соңғы кеште { $org } { $year } жылға { $places } сыйымдылық көрсетті (`org capacity-import`) — ондағы балалардан ({ $enrolled }) аз.
cli-demo-plant-held = `places_held_back`: { $org } { $year } жылға { $places } орын көрсетті — ондағы балалар мен жарияланған орындардан он артық.
cli-demo-plant-ghost = `attendance_without_enrollment`: { $org } { $month } айының келуін (`attendance import`) кезекте тұрған және ешбір балабақшаға бармайтын баламен бірге берді: мемлекет ақы төлейтін «өлі жан».
cli-demo-plant-absent = `enrollment_without_attendance`: сол импортта { $org } жеке балабақшасы { $since } бастап әр айды берді: екі баласының бірі келеді, екіншісі ешқашан; орынға мемлекет төлейді, ал оны ешкім пайдаланбайды.
cli-demo-plant-benefit = `benefit_share`: ай ішінде { $officer } қызметкері { $total } жаңа отбасының { $benefit } жеңілдік санатында тіркеді («көп балалы отбасы»: анықтаманы онда ешкім тексермейді); демо қызметкері — { $own_total } ішінен { $own_benefit }.
cli-demo-plant-backdated = `backdated_registration`: 19:10-да { $rows } өтініш қаланың көшіруінен кейін тағы бір көшіру ретінде импортталды (`application import paper-list.csv`), { $from } бастап { $to } дейін тіркелген: кеш енгізілген қағаз тізім немесе балаларды кезекте алға қоюдың ең оңай жолы; `audit public` бұл импортты да атайды.
cli-demo-plant-scheme = `free_choice_far_down` және `double_enrollment`: 19:25-те раунд { $state } орнын кезектің басындағыға ұсынды, терезе { $closes } жабылатын еді; 19:35-те { $first } отбасы { $private } жеке балабақшасындағы орынды алды (өтініші кезектен шықты), 19:40-та баланы қайтадан { $again } ретінде тіркеді (кезектегі нөмірі { $position }), ал 20:30-да қызметкер { $again } өтінішіне терезе жабылған соң еркін таңдауға өткен { $state } орнын берді; { $morning } екі балабақша да баланы қабылдады.
cli-demo-plant-late = `late_publication`: 20:40-та { $org } { $released } босаған { $year } жылғы орындарды ({ $count }) жариялады: үш апта бойы оларды ешкімге ұсына алмады.
cli-demo-integrity = `kezek integrity` { $morning } таңертең { $count } бұзушылық табады; `cron` ішінде `--fail-on` оларды поштамен жібертеді:
cli-demo-pinned-past = Бұл демо өткенге қойылған сағатпен жұмыс істеді (`--now`, `KEZEK_NOW`): ол тіркеген әр өтініш R-V5 өлшемі бойынша да кері күнмен тіркелген (демо уақытымен тіркеліп, нақты уақытпен жазылған), сондықтан есеп оларды да атайды, ал `audit public` жарияланымды қабылдамайды.
