# Отбасыларға арналған мәтіндер: хабарламалар (SPEC §8) және басып шығарылатын құжаттар. Тек қазақ сөздері,
# кодсыз. Күндер КК.АА.ЖЖЖЖ түрінде, уақыт СС:ММ түрінде келеді.

## Өріс мәндері

queue-general = жалпы
queue-sanatorium = санаторлық
class-out_of_turn = кезектен тыс құқық
class-first_priority = бірінші кезектегі құқық
class-general = жалпы негізде
instruction-kk = қазақ
instruction-ru = орыс
status-queued = кезекте
status-notified = хабарлама жіберілді
status-stop_listed = стоп-парақта
status-directed = жолдама берілді
status-enrolled = қабылданды (қызмет көрсетілді)
status-removed = кезектен шығарылды
direction-status-issued = жарамды
direction-status-enrolled = бала қабылданды
direction-status-revoked = кері қайтарылды
direction-status-annulled = жойылды
direction-status-expired = мерзімі өтті
consent-egov = электрондық үкімет порталы арқылы
consent-written = жазбаша
reason-expired_twice = екі жолдаманың мерзімі өтті
reason-age_limit = бала шекті жасқа толды
reason-private_direction = жеке ұйымға жолдама берілді
reason-withdrawn = өтінішті өтініш беруші кері қайтарып алды
reason-other = білім бөлімінің шешімі бойынша
doc-military_id = әскери қызметшінің куәлігі
doc-service_certificate = қызметтік куәлік
doc-death_certificate = қайтыс болу туралы куәлік
doc-guardianship_decision = қорғаншылық туралы шешім
doc-disability_certificate = мүгедектігі туралы анықтама
doc-large_family_certificate = көп балалы отбасы туралы анықтама
doc-pmpk_conclusion = психологиялық-медициналық-педагогикалық консультацияның қорытындысы
doc-employment_certificate = жұмыс орнынан анықтама
doc-medical_conclusion = медициналық қорытынды
doc-other = құжат

## Хабарламалар

notice-registered-subject = Өтініш қабылданды
notice-registered-body = { $number } өтініші кезекке қойылды. Кезек: { $queue }, топ жылы: { $group_year }.
notice-turn_came-subject = Кезек келді
notice-turn_came-body = { $number } өтініші бойынша кезек келді: { $until } дейін порталда немесе білім бөлімінде орынды таңдаңыз.
notice-window_closed-subject = Таңдау терезесі жабылды
notice-window_closed-body = { $number } өтініші бойынша орын { $at } дейін таңдалмады; өтініш кезектегі бұрынғы орнында.
notice-direction_issued-subject = Жолдама берілді
notice-direction_issued-body = { $number } өтініші бойынша «{ $org_name }» ({ $org }) ұйымына { $direction } жолдамасы берілді, { $until } қоса алғанда жарамды.
notice-extended-subject = Жолдама ұзартылды
notice-extended-body = { $number } өтініші бойынша жолдама { $until } қоса алғанда ұзартылды.
notice-revoked-subject = Жолдама кері қайтарылды
notice-revoked-body = { $number } өтініші бойынша жолдама сіздің өтінішіңіз бойынша кері қайтарылды; кезек сақталды.
notice-annulled-subject = Жолдама жойылды
notice-annulled-body = { $number } өтініші бойынша жолдаманы білім бөлімі жойды; кезек сақталды. Себебін білім бөлімінен білуге болады.
notice-expired-subject = Жолдаманың мерзімі өтті
notice-expired-stop_listed-body = { $number } өтініші бойынша { $direction } жолдамасының мерзімі өтті. Өтініш { $until } қоса алғанда стоп-парақта, содан кейін кезектегі бұрынғы орнында.
notice-expired-removed-body = { $number } өтініші бойынша { $direction } жолдамасының мерзімі өтті. Өтініш кезектен шығарылды: мерзімі өткен жолдамалар саны { $count }.
notice-removed-subject = Кезектен шығарылды
notice-removed-body = { $number } өтініші кезектен шығарылды: { $reason }.
notice-benefit_unconfirmed-subject = Жеңілдік расталмады
notice-benefit_unconfirmed-body = { $number } өтініші бойынша жеңілдік мерзімінде жеке расталмады, сондықтан { $direction } жолдамасының күші жойылды. Өтініш тіркелген уақытынан бастап жалпы негізде кезекте тұр, орын { $until } кейін қайта ұсынылуы мүмкін.
notice-enrolled-subject = Бала қабылданды
notice-enrolled-body = { $number } өтініші бойынша бала { $date } «{ $org_name }» ({ $org }) ұйымына қабылданды. Қызмет көрсетілді.
receipt =
    Кезектің ашық журналының түбіртегі: оқиға № { $seq }, жазба хэші { $leaf }.
    Оны жарияланған журнал бойынша кез келген адам тексере алады: kezek_verify.py КАТАЛОГ --receipt { $seq }:{ $leaf }

## Құжаттар

doc-notice-title =
    Мектепке дейінгі ұйымға кезекке қою туралы
    ХАБАРЛАМА
doc-card-title = БАЛА КАРТОЧКАСЫ
doc-direction-title =
    Мектепке дейінгі ұйымға
    ЖОЛДАМА
doc-service-title =
    Мемлекеттік қызмет көрсету туралы
    ХАБАРЛАМА
doc-service-body = «Мектепке дейінгі ұйымдарға жолдама беру үшін мектеп жасына дейінгі балаларды кезекке қою» мемлекеттік қызметі көрсетілді: бала қабылданды.
doc-number = Өтініш нөмірі
doc-registered = Тіркелген күні мен уақыты
doc-child = Бала
doc-iin = ЖСН
doc-born = туған күні
doc-applicant = Өтініш беруші
doc-contacts = Байланыс
doc-queue-type = Кезек түрі
doc-group-year = Топ жылы
doc-language = Оқыту тілі
doc-district = Аудан
doc-category = Жеңілдік санаты
doc-category-none = жоқ (жалпы негізде)
doc-status = Мәртебесі
doc-position = Кезектегі нөмірі
doc-class-position = Жеңілдік санаты бойынша нөмірі
doc-not-waiting = кезекте емес
doc-documents = Құжаттар
doc-consent = Дербес деректерді жинауға және өңдеуге келісім
doc-expired = Мерзімі өткен жолдамалар
doc-stop-list = Стоп-парақта
doc-removed = Кезектен шығару себебі
doc-issued = Берілген күні
doc-footer = Кезектегі нөмір жолдамалар берілуіне және жеңілдік санаттарының кезекке қойылуына қарай өзгереді.
doc-direction-number = Жолдама нөмірі
doc-org = Ұйым
doc-place = Орын
doc-valid-until = Жарамды мерзімі (қоса алғанда)
doc-enrolled-on = Қабылданған күні
