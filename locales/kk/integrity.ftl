# Теріс пайдаланудан қорғау (SPEC §13): сыйымдылық, келу, жеңілдікті растау, бұзушылықтар есебі.

err-capacity-exceeded = { $org }, топ жылы { $year }: сыйымдылығы { $capacity }, қабылданғаны { $enrolled }, ашық орындар { $open }: тағы { $adding } орын оны асырады (ең көбі { $room })
err-capacity-org = '{ $org }' ұйым емес
msg-capacity-set = { $org }, топ жылы { $year }: сыйымдылығы { $places }
err-capacity-number = { $field }: '{ $value }' — { $min } мен { $max } аралығындағы бүтін сан емес
err-capacity-repeated = { $org }, топ жылы { $year }: { $first } жолда көрсетілген
noun-capacities = сыйымдылық
err-attendance-month = { $field }: '{ $value }' — ай емес (ЖЖЖЖ-АА)
err-attendance-future = `month`: { $month } айы әлі келген жоқ
err-attendance-days = `days_present`: '{ $value }' — 0 мен { $most } аралығындағы күн саны емес ({ $month } айындағы жұмыс күндері)
err-attendance-org = `org_code`: '{ $org }' ұйым емес
err-attendance-repeated = { $org } ұйымындағы { $child } бала { $month } айы үшін { $first } жолда көрсетілген
err-attendance-exists = { $org } ұйымындағы { $child } бала { $month } айы үшін бұрынғы импортта берілген
noun-attendance = келу жолдары
err-integrity-code = `--fail-on`: '{ $code }' — есеп коды емес ({ $codes })
msg-integrity = тексеру: табылғандар саны: { $count }
msg-integrity-failed = тексеру: { $codes } табылды (`--fail-on`)
err-benefit-not-issued = { $number } жолдамасы берілмеген: жеңілдік тек берілген жолдама бойынша расталады
err-benefit-general = { $number } жолдамасы жалпы негізде: растайтын жеңілдік жоқ
err-benefit-confirmed = { $number } жолдамасы: жеңілдік расталған
err-benefit-doc-age = `--doc`: { $date } күнгі құжат бүгін жеңілдікті растай алмайды ({ $days } күннен аспауы және болашақтан болмауы керек)
msg-benefit-confirmed = { $number } жолдамасы: жеңілдік расталды
