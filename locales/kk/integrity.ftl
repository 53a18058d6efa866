# Теріс пайдаланудан қорғау (SPEC §13): сыйымдылық, келу, жеңілдікті растау, бұзушылықтар есебі.

err-capacity-exceeded = { $org }, топ жылы { $year }: сыйымдылығы { $capacity }, қабылданғаны { $enrolled }, ашық орындар { $open }: тағы { $adding } орын оны асырады (ең көбі { $room })
err-capacity-org = '{ $org }' ұйым емес
msg-capacity-set = { $org }, топ жылы { $year }: сыйымдылығы { $places }
err-capacity-number = { $field }: '{ $value }' — { $min } мен { $max } аралығындағы бүтін сан емес
err-capacity-repeated = { $org }, топ жылы { $year }: { $first } жолда көрсетілген
noun-capacities = сыйымдылық
