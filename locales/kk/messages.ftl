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
