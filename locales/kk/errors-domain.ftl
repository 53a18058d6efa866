# Мәндерді, жазбаларды, CSV файлдарын және кілттерді тексеру қателері, әр қате хабарламасының жақтаулары.

## Хабарламалардың жақтаулары (error.rs)

err-error-not-found = табылмады: { $what }
err-error-audit-failed = аудит өтпеді: { $message }
err-error-busy = дерекқор бос емес: оған басқа kezek процесі жазып жатыр; кейінірек қайталаңыз
err-error-read-only = { $path } дерекқорына мұнда жазу мүмкін емес (оның файлы, каталогы немесе дискісі тек оқуға арналған): тек оқитын командалар жұмыс істейді, өзгерістерден бас тартылады; ештеңе өзгерген жоқ
err-error-read-only-unnamed = дерекқорға мұнда жазу мүмкін емес (оның файлы, каталогы немесе дискісі тек оқуға арналған): ештеңе өзгерген жоқ
err-error-disk-full = { $path } тұрған диск толы: ештеңе сақталған жоқ; орын босатып, команданы қайталаңыз
err-error-disk-full-unnamed = диск толы: ештеңе сақталған жоқ; орын босатып, команданы қайталаңыз
err-error-database = дерекқор: { $message }
err-error-bad-rows = { $file }: { $count ->
   *[other] { $count } қате жол
  }, ештеңе жазылмады:
err-error-bad-rows-more = … және тағы { $count } қате жол көрсетілмеді: жоғарыда алғашқы { $shown } жол; оларды түзетіп, келесілерін көру үшін команданы қайталаңыз
err-error-line = { $line }-жол: { $message }
err-error-characters = ({ $count ->
   *[other] { $count } таңба
  })
err-error-io = енгізу-шығару

## Аттар, кодтар, телефондар (fields.rs)

err-fields-empty = { $field }: мән бос болмауы керек
err-fields-one-line = { $field }: мән басқару таңбаларынсыз бір жол болуы керек
err-fields-too-long = { $field }: { $max } таңбадан ұзын
err-fields-code = { $field }: '{ $value }' — жарамсыз мән (1–{ $max } таңба: латын әріптері `A-Z`, цифрлар, `.`, `_`, `-`; бірінші таңба — әріп немесе цифр)
err-fields-phone = { $field }: бұл телефон нөмірі емес ({ $why }; +7 және он цифр керек, мысалы +77011234567)
err-fields-phone-empty = бос
err-fields-phone-characters = онда цифрлардан, бос орындардан, сызықшалардан және жақшалардан басқа таңбалар бар
err-fields-phone-plus-seven = +7 және { $count ->
   *[other] { $count } цифр
  }
err-fields-phone-country = ел коды +7 емес
err-fields-phone-eight = 8 және { $count ->
   *[other] { $count } цифр
  }
err-fields-phone-no-prefix = алдында +7 немесе 8 жоқ { $count ->
   *[other] { $count } цифр
  }

## ЖСН (iin.rs)

err-iin-invalid = { $field }: { $value } — жарамсыз ЖСН ({ $why })
err-iin-length = 12 цифр болуы керек
err-iin-century = жетінші цифр 1 мен 6 аралығында болуы керек
err-iin-birth-date = алғашқы алты цифр туған күн емес
err-iin-check-digit = бақылау цифры қате

## Өтініштер (application.rs)

err-application-queue-type = { $field }: '{ $value }' — кезек түрі емес (`general`, `sanatorium`)
err-application-language = { $field }: '{ $value }' — тіл емес (`ru`, `kk`)
err-application-status = { $field }: '{ $value }' — өтініш мәртебесі емес (`queued`, `notified`, `stop_listed`, `directed`, `enrolled`, `removed`)
err-application-document = { $field }: '{ $value }' — құжат емес (ТҮРІ:НӨМІРІ:ЖЖЖЖ-АА-КК күтіледі)
err-application-document-future = { $field }: { $kind } { $number } құжатының күні { $date }, бұл әлі келмеген күн
err-application-consent = { $field }: '{ $value }' — келісім емес (`egov` немесе `written`, қажет болса `:ЖЖЖЖ-АА-КК` күнімен)
err-application-consent-after = { $field }: келісім күні { $date } тіркеу күнінен ({ $registered }) кейін
err-application-email = { $field }: бұл электрондық пошта мекенжайы емес ({ $why }; бір мекенжай керек, мысалы name@mail.kz)
err-application-email-empty = бос
err-application-email-long = 254 таңбадан ұзын
err-application-email-space = онда бос орын немесе басқару таңбасы бар
err-application-email-no-at = «@» белгісі жоқ
err-application-email-two-at = «@» белгісі бірнеше рет кездеседі
err-application-email-no-name = «@» белгісінің алдында ештеңе жоқ
err-application-email-no-domain = «@» белгісінен кейін нүктесі бар домен жоқ
err-application-category = { $field }: '{ $value }' — жеңілдік санаты емес (`kezek category list` қараңыз)
err-application-birth-future = child_iin: туған күні { $date } әлі келмеген
err-application-too-old = бала ({ $birth } туған) { $today } күні { $age } жаста; кезекке { $max } жасқа толмаған балалар қойылады
err-application-category-needs-doc = { $category } санаты: жеңілдік үшін кемінде бір растайтын құжат керек (`--doc ТҮРІ:НӨМІРІ:КҮНІ`)
err-application-sanatorium-needs-doc = санаторлық кезекке өтініш үшін медициналық қорытынды керек (`--doc medical_conclusion:НӨМІРІ:КҮНІ`)
err-application-number = { $field }: '{ $value }' — өтініш нөмірі емес (`{ $prefix }.ЖЖЖЖ.NNNNNN.1`)

## Жолдамалар (direction.rs)

err-direction-status = { $field }: '{ $value }' — жолдама мәртебесі емес (`issued`, `enrolled`, `expired`, `revoked`, `annulled`)
err-direction-extend-inactive = жолдама { $status } мәртебесінде ({ $until } дейін жарамды): тек жарамды жолдама ұзартылады
err-direction-extended-once = жолдама бір рет ұзартылып қойған
err-direction-extension-days = ұзарту мерзімі 1–{ $max } күнтізбелік күн, { $days } емес
err-direction-revocation-late = өтініш беруші жолдаманы берілгеннен ({ $issued }) кейін { $hours } сағат ішінде, яғни { $until } дейін кері қайтара алады; оның орнына жолдаманы қызметкер жоя алады
err-direction-benefit-doc-future = жеңілдік құжатының күні { $date }, бұл әлі келмеген күн
err-direction-benefit-doc-old = жеңілдік құжатының күні { $date }; ол { $earliest } күнінен ерте болмауы керек ({ $issued } берілген жолдамадан { $days } күн бұрын)
err-direction-not-live = { $number } жолдамасы: қолтаңба жарамды, бірақ { $ended }{ $purged }
err-direction-ended-status = жолдама { $status } мәртебесінде
err-direction-ended-expired = жолдаманың мерзімі { $date } өтті
err-direction-ended-issued = жолдама `issued` мәртебесінде
err-direction-ended-enrolled = бала қабылданды, қызмет көрсетілді
err-direction-ended-enrolled-on = бала { $date } қабылданды, қызмет көрсетілді
err-direction-purged = ; оның құжаты { $date } тазалау кезінде жойылды, тек SHA-256 хэші сақталған
err-direction-service-not-completed = { $number } жолдамасы { $status } мәртебесінде: қызмет бала қабылданғанда көрсетілген болып саналады
err-direction-stop-listed = { $application } өтініші { $until } дейін стоп-парақта
err-direction-holds-active = { $application } өтінішінің { $direction } жарамды жолдамасы бар
err-direction-not-waiting = { $application } өтініші { $status } мәртебесінде, кезекте күтіп тұрған жоқ
err-direction-attends = { $application } өтініші бойынша бала { $org } ұйымына барады, шығуы тіркелмеген
err-direction-place-type = { $place } орнының түрі { $place_type }, ал { $application } өтініші { $queue } кезегінде тұр
err-direction-place-group-year = { $place } орны { $place_year } топ жылына арналған, ал { $application } өтінішінің топ жылы { $year }
err-direction-place-not-free = { $place } орны { $status } мәртебесінде; { $kind } түріндегі ұйымның орны `free` мәртебесінде болуы керек
err-direction-place-not-offered = { $place } орны { $status } мәртебесінде; { $kind } түріндегі ұйымның орны `offered` немесе `free_choice` мәртебесінде болуы керек
err-direction-place-offered = { $place } орны қазір ашық терезеде хабарланған отбасыларға ұсынылған; { $application } өтініші { $status } мәртебесінде, оның ашық терезесі жоқ
err-direction-min-age = жолдама кемінде { $min } толық жастағы балаға беріледі (`min_age_years` баптауы); { $application } өтініші бойынша бала { $date } күні { $age } жаста
err-direction-private-age = жеке балабақшадағы орынға кемінде { $min } толық жастағы бала керек; { $application } өтініші бойынша бала { $date } күні { $age } жаста

## Ашық жазбаның жолдары (record.rs)

err-record-row = жол: { $error }
err-record-application-row = өтініш жолы: { $error }

## Аудандар (district.rs)

err-district-unknown = { $field }: '{ $value }' — қаланың ауданы емес (R-L2): { $hint } (`kezek district list`; `kezek district add`)
err-district-known = қала аудандары: { $names }
err-district-did-you-mean = мүмкін, { $names }?
err-district-or = {" немесе "}

## Ұйымдар және орындар (org.rs, place.rs)

err-org-kind = { $field }: '{ $value }' — ұйым түрі емес (`state`, `private`, `sanatorium`)
err-place-type = { $field }: '{ $value }' — орын түрі емес (`regular`, `sanatorium`)
err-place-status = { $field }: '{ $value }' — орын мәртебесі емес (`free`, `offered`, `free_choice`, `directed`, `filled`, `withdrawn`)
err-place-org-type = { $kind } түріндегі ұйым { $place_type } емес, { $expected } түріндегі орындарды жариялайды

## Баптаулар, түнгі айналым, күн мен уақыт (settings.rs, sweep.rs, time.rs)

err-settings-unknown = белгісіз баптау '{ $key }'; баптаулар: { $known }
err-settings-range = { $key }: '{ $value }' рұқсат етілген аралықтан тыс ({ $min }–{ $max } аралығындағы бүтін сан)
err-settings-window = { $key }: '{ $value }' — уақыт аралығы емес (СС:ММ-СС:ММ күтіледі, басы соңынан ерте)
err-sweep-day-not-begun = айналым тек басталған күндерді өңдейді: `--date` { $day } бүгінгі күннен ({ $today }) кейін
err-time-year = { $field }: '{ $value }' — { $year } жыл { $first }–{ $last } аралығынан тыс
err-time-date = { $field }: '{ $value }' — күн емес (ЖЖЖЖ-АА-КК күтіледі, мысалы 2026-09-01)
err-time-moment = { $field }: '{ $value }' — уақыт емес (RFC 3339 немесе Алматы уақытымен ЖЖЖЖ-АА-КК[TСС:ММ] күтіледі)
err-time-before-standard = { $field }: '{ $value }' Алматыда белдеулік уақыт енгізілген { $date } күнінен ерте

## Қызметкерлер кілттерінің сенім тізбегі (trust.rs)

err-trust-registered-twice = R-A7: { $seq } журнал оқиғасы '{ $officer }' қызметкерін екінші рет тіркейді
err-trust-anchor = R-A7: бірінші қызметкер '{ $officer }' ({ $seq } журнал оқиғасы) кілті { $fingerprint }, ал сенімді зәкір { $anchor }
err-trust-rotate-unknown = R-A7: { $seq } журнал оқиғасы белгісіз '{ $officer }' қызметкерінің кілтін ауыстырады
err-trust-deactivate-unknown = R-A7: { $seq } журнал оқиғасы белгісіз '{ $officer }' қызметкерін өшіреді
err-trust-head-unknown = R-A7: қол қойылған { $seq } басы журнал ешқашан тіркемеген '{ $officer }' қызметкерін атайды
err-trust-head-deactivated = R-A7: қол қойылған { $seq } басына '{ $officer }' қызметкері қол қойған, ол бұған дейін өшірілген
err-trust-head-untrusted = R-A7: қол қойылған { $seq } басына '{ $officer }' қызметкері { $fingerprint } кілтімен қол қойған; бұл кілт { $registered } журнал оқиғасында тіркелген және оны басқа сенімді қызметкердің басы ешқашан растамаған
err-trust-role-unknown = R-R3: журналдың { $seq } оқиғасы белгісіз қызметкердің '{ $officer }' рөлін өзгертеді
err-trust-acted-unknown = R-R3: журналдың { $seq } оқиғасы ({ $kind }) журнал тіркемеген қызметкерді '{ $officer }' атайды
err-trust-role-refused = R-R3: журналдың { $seq } оқиғасын ({ $kind }) қызметкер '{ $officer }' жасаған, ал оның сол кездегі рөлі ({ $role }, аудан { $district }) бұған рұқсат бермейді
err-trust-kind-unknown = R-R3: журналдың { $seq } оқиғасының түрі '{ $kind }', оны `kezek` командаларының ешқайсысы жазбайды

## Кілттер (crypto.rs)

err-crypto-not-public-key = { $field }: бұл RSA ашық кілті емес ({ $error })
err-crypto-not-private-key = { $field }: бұл RSA жабық кілті емес ({ $error })
err-crypto-keygen = кілт жасалмады: { $error }
err-crypto-key-file = { $field }: { $path } кілт файлы
err-crypto-key-unreadable = { $field }: { $path } оқылмады: { $error }
err-crypto-key-open = { $field }: { $path } файлын басқалар оқи алады (рұқсаттар { $mode }); `chmod 600 { $path }` орындаңыз
err-crypto-key-exists = { $field }: { $path } бар; kezek кілтті ешқашан қайта жазбайды (басқа каталог таңдаңыз)
err-crypto-out-not-dir = `--out`: { $path } — каталог емес, файл: `officer.key` және `officer.pub` үшін каталогты көрсетіңіз (ол жоқ болса, құрылады)
err-crypto-not-pem = { $field }: бұл PEM файлы емес ({ $error })
err-crypto-pem-tag = { $field }: '{ $expected }' PEM блогы күтілген, '{ $found }' табылды
err-crypto-bits = { $field }: RSA кілтінің ұзындығы { $bits } бит; kezek үшін { $min }–{ $max } бит керек

## CSV файлдары (csvfile)

err-csvfile-empty = тақырып жолы: файл бос (тақырып жолы қажет: { $expected })
err-csvfile-header-unclosed = тақырып жолы: тырнақша жабылмаған: { $line }-жолда ашылған тырнақша жабылмайды (күтілетін бағандар: { $expected })
err-csvfile-header = тақырып жолы: { $reason }
err-csvfile-header-not-utf8 = тақырып жолы: { $column }-баған UTF-8 кодтауында емес (файлды UTF-8 түрінде сақтаңыз; күтілетін бағандар: { $expected })
err-csvfile-not-a-header = тақырып жолы: { $line }-жол тақырып жолы емес: үтірмен немесе нүктелі үтірмен бөлінген бағандар күтіледі: { $expected }
err-csvfile-header-problems = тақырып жолы: { $problems } (күтілетін бағандар: { $expected })
err-csvfile-unknown-column = белгісіз баған '{ $column }'
err-csvfile-unknown-column-at = белгісіз { $position }-баған (баған атауы емес)
err-csvfile-column-twice = '{ $column }' бағаны екі рет кездеседі
err-csvfile-missing-column = '{ $column }' бағаны жоқ
err-csvfile-utf16 = тақырып жолы: файл UTF-16 кодтауында (Юникод мәтіні): оны CSV UTF-8 немесе CSV ретінде сақтаңыз
err-csvfile-field-count = жолда { $count ->
   *[other] { $count } өріс
  }, ал тақырып жолында { $expected }
err-csvfile-unclosed = { $field }: тырнақша жабылмаған: { $line }-жолда ашылған тырнақша жабылмайды, сондықтан файлдың қалғаны бір мән болып кетер еді
err-csvfile-not-utf8 = { $field }: мән UTF-8 кодтауында емес (файлды UTF-8 түрінде сақтаңыз)
err-csvfile-field = { $position }-өріс
err-csvfile-reason-utf8 = UTF-8 кодтауында емес ({ $position }-өріс)
err-csvfile-read-error = оқу қатесі: { $error }
err-csvfile-file = { $name } файлы
err-csvfile-unreadable = { $name }: оқылмады: { $error }

## Синтетикалық қала (generate.rs)

err-generate-csv = жасалған CSV
err-settings-choice = { $key }: '{ $value }' — { $words } мәндерінің бірі емес
err-direction-sibling-org = { $application } { $orgs } ұйымына жолданған бауырларымен байланысқан: байланысқан балалар бір ұйымға жолданады, { $org } ұйымына емес
err-input-missing = { $what }: { $path } файлы жоқ
err-input-unreadable = { $what }: { $path } файлы оқылмайды: { $error }
err-input-not-regular = { $what }: { $path } — кәдімгі файл емес (құрылғы, каталог немесе арна оқылмайды)
err-input-too-big = { $what }: { $path } файлы { $max } байттан үлкен — кез келген кілттен немесе журнал басынан үлкен
err-input-not-text = { $what }: { $path } файлы мәтін емес (UTF-8)
err-input-line-too-long = { $name }: { $line } жол { $max } байттан ұзын; файл одан әрі оқылмады

## Рөлдер мен аймақтар (role.rs)

err-role-unknown = { $field }: '{ $value }' — мұндай рөл жоқ: `admin`, `officer`, `kindergarten` немесе `service`
err-role-refused = қызметкер '{ $officer }' (рөлі { $role }) `kezek { $command }` орындай алмайды: { $why }
err-role-needs = { $roles } рөлі керек (`kezek officer roles`)
err-role-city-wide = бүкіл қаланы қамтитын айналым `*` ауданының қызметкерін талап етеді, ал оның ауданы { $district }
err-role-other-district = команда { $district } ауданын қозғайды, ал оның ауданы — { $own }
err-role-other-org = команда { $org } ұйымын қозғайды, ал оның ұйымы — { $own }
err-role-kindergarten-org = `--org`: балабақша тіркелгісі өз ұйымын атайды (`--org CODE`)
err-role-org-only-kindergarten = `--org`: ұйымды тек балабақша тіркелгісі атайды, { $role } рөлі емес
err-role-org-outside = `--org`: { $org } ұйымы { $org_district } ауданында, қызметкердің { $district } ауданында емес
err-role-no-org = { $org } ұйымы
err-role-city-wide-officer = `--district`: `*` ауданы (бүкіл қала) тек `officer` рөлінде болады, { $role } рөлінде емес
