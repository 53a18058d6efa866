# stderr хабарлары: команда не істегені. Аргументтер — мәндер (нөмірлер, кодтар), аударылмайды.

msg-withdrawn = { $number }: өтініш кері алынды
msg-position = { $number }: кезектегі нөмірі { $position }
msg-position-in-class = { $number }: кезектегі нөмірі { $position }, «{ $class }» бойынша { $class_position }-ші
msg-direction-issued = { $number } өтініші бойынша { $direction } жолдамасы берілді: { $org } ұйымындағы { $place } орын, { $until } дейін жарамды
msg-enrolled = { $direction } жолдамасы: бала { $org } ұйымына қабылданды
msg-audit-ok = аудит өтті: { $events } оқиға, { $heads } қолтаңба, { $rows } жол тексерілді; басы { $seq } { $hash }
msg-db-check-ok = дерекқор тексерілді: тұтастық, сыртқы кілттер және кезек есептегіштері дұрыс, { $events } оқиға, { $heads } қолтаңба, { $rows } жол тексерілді
msg-offer = ұсыныс раунды: { $notified } өтінішке хабарланды, { $places } орын ұсынылды, { $windows } терезе жабылды
msg-officer-added = { $id } қызметкері қосылды
msg-org-added = { $code } ұйымы қосылды
msg-district-added = { $name } ауданы қосылды
msg-places-published = { $org } ұйымында { $count } орын жарияланды
msg-imported = импортталды ({ $what }): { $file } файлынан { $rows }
msg-would-import = импортталар еді (тексеру, ештеңе жазылмады) ({ $what }): { $file } файлынан { $rows }
noun-applications = өтініштер
noun-organizations = ұйымдар
noun-days = күндер
noun-places = орындар
msg-sweep-done-already = { $day } күнгі айналым: істейтін ештеңе жоқ ({ $at } орындалған)
msg-sweep = { $day } күнгі айналым{ $dry }: { $windows } терезе жабылды, { $expired } жолдаманың мерзімі өтті, { $stop } стоп-параққа, { $max } мерзім өткен соң { $removed } шығарылды, { $ended } стоп-парақ аяқталды, жасы бойынша { $age } шығарылды
msg-published = { $dir } ішіне { $records } жазба жарияланды (жаңасы { $new }), журнал файлдары { $files }, кезектер { $queues }, орындар { $places }; түбірі { $root }
msg-dry-run = {" "}(тексеру, ештеңе жазылмады)
