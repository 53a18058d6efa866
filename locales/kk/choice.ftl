# Таңдау (SPEC §12): қалаулар, бауырлар, бөлу және алмасу.

err-choice-too-many = { $count } қалау; ең көбі { $max } көрсетуге болады (`max_preferences` баптауы)
err-choice-twice = '{ $org }' екі рет көрсетілген
err-choice-unknown-org = '{ $org }' ұйым емес
err-choice-wrong-kind = '{ $org }' — '{ $kind }' түріндегі ұйым, '{ $queue }' кезегіне қызмет көрсете алмайды
err-choice-sibling-applicant = { $number } басқа өтініш берушіден; бауырларды бір өтініш беруші байланыстырады
err-choice-sibling-same-child = { $number } сол балаға берілген
err-choice-sibling-born = { $number } бойынша бала 31 күннен артық айырмашылықпен туған
err-choice-sibling-queue = { $number } басқа кезекте тұр (кезек түрі мен топ жылы); байланысқан балалар бірге жолданады
err-choice-sibling-waiting = { $number } енді кезекте тұрған жоқ
err-choice-not-working-day = { $day } — жұмыс күні емес; бөлу жұмыс күндері жүргізіледі
msg-allocated = бөлу{ $dry }: берілген жолдамалар: { $directions }, кезекте қалған қалаулары бар өтініштер: { $unplaced }
msg-preferences = { $number }: қалаулар { $preferences }
msg-preferences-cleared = { $number }: қалаулар жойылды
err-choice-transfer-not-enrolled = ауысу өтініші ұйымға қабылданған балаға беріледі; бұл бала ешқайда қабылданбаған
err-choice-not-waiting = { $number } '{ $status }' күйінде: қалауларды тек кезекте тұрған өтініш көрсетеді
err-choice-replay-extra = { $at }: { $seq } оқиға: бөлу { $place } орнын { $application } өтінішіне берді, ал жарияланған қалаулар бойынша рет-ретімен таңдау бермейді (R-C2, R-V5)
err-choice-replay-missing = { $at }: { $seq } оқиға: жарияланған қалаулар бойынша рет-ретімен таңдау { $place } орнын { $application } өтінішіне береді, ал бөлу бермеді (R-C2, R-V5)
err-choice-exchange-not-working-day = { $day } — жұмыс күні емес; алмасу жұмыс күндері жүргізіледі
msg-exchanged = алмасу{ $dry }: өткізілген циклдер: { $cycles }, ауыстырылған балалар: { $moves }, алмасусыз қалған ауысу өтініштері: { $unmatched }
err-choice-exchange-unknown-place = { $at }: { $seq } оқиға: алмасу журнал ешқашан жарияламаған { $place } орнын атайды (R-C4, R-V5)
err-choice-exchange-replay = { $at }: { $seq } оқиға: алмасудың ауыстырулары оның қатысушылары мен олардың жарияланған қалаулары бойынша негізгі сауда циклдеріне сәйкес емес: { $application } және { $place } орнын қараңыз (R-C4, R-V5)
