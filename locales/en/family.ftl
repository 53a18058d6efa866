# Texts for families: notices (SPEC §8) and printable documents. Dates come as DD.MM.YYYY, times as HH:MM.

## Field values

queue-general = general
queue-sanatorium = sanatorium
class-out_of_turn = out-of-turn right
class-first_priority = first-priority right
class-general = general grounds
instruction-kk = Kazakh
instruction-ru = Russian
status-queued = waiting in the queue
status-notified = notified
status-stop_listed = on the stop list
status-directed = direction issued
status-enrolled = enrolled (service completed)
status-removed = removed from the queue
direction-status-issued = valid
direction-status-enrolled = child enrolled
direction-status-revoked = revoked
direction-status-annulled = annulled
direction-status-expired = expired
consent-egov = through the e-government portal
consent-written = in writing
reason-expired_twice = two directions expired
reason-age_limit = the child reached the age limit
reason-private_direction = a direction to a private kindergarten was issued
reason-withdrawn = the applicant withdrew the application
reason-other = by decision of the education department
doc-military_id = military service card
doc-service_certificate = service certificate
doc-death_certificate = death certificate
doc-guardianship_decision = guardianship decision
doc-disability_certificate = disability certificate
doc-large_family_certificate = large family certificate
doc-pmpk_conclusion = conclusion of the psychological, medical and educational commission
doc-employment_certificate = employment certificate
doc-medical_conclusion = medical conclusion
doc-other = document

## Notices

notice-registered-subject = Application accepted
notice-registered-body = Application { $number } is in the queue. Queue: { $queue }, group year: { $group_year }.
notice-turn_came-subject = Your turn has come
notice-turn_came-body = Application { $number }: your turn has come. Choose a place on the portal or at the education department by { $until }.
notice-window_closed-subject = The choice window has closed
notice-window_closed-body = Application { $number }: no place was chosen by { $at }; the application waits again at its position.
notice-direction_issued-subject = Direction issued
notice-direction_issued-body = Application { $number }: direction { $direction } to “{ $org_name }” ({ $org }) is issued, valid until { $until } inclusive.
notice-extended-subject = Direction extended
notice-extended-body = The direction of application { $number } is extended until { $until } inclusive.
notice-revoked-subject = Direction revoked
notice-revoked-body = The direction of application { $number } is revoked at your request; the application keeps its place in the queue.
notice-annulled-subject = Direction annulled
notice-annulled-body = The education department annulled the direction of application { $number }; the application keeps its place in the queue. The department can tell you why.
notice-expired-subject = Direction expired
notice-expired-stop_listed-body = Direction { $direction } of application { $number } expired. The application is on the stop list until { $until } inclusive, then waits again at its position.
notice-expired-removed-body = Direction { $direction } of application { $number } expired. The application is removed from the queue: { $count ->
        [one] { $count } direction expired
       *[other] { $count } directions expired
    }.
notice-removed-subject = Removed from the queue
notice-removed-body = Application { $number } is removed from the queue: { $reason }.
notice-benefit_unconfirmed-subject = Benefit not confirmed
notice-benefit_unconfirmed-body = Application { $number }: the benefit was not confirmed in person in time, so direction { $direction } is annulled. The application waits in the general queue from its registration time and may be offered a place again after { $until }.
notice-enrolled-subject = Child enrolled
notice-enrolled-body = Application { $number }: the child is enrolled at “{ $org_name }” ({ $org }) on { $date }. The service is completed.
receipt =
    Receipt of the queue's public log: event No. { $seq }, record hash { $leaf }.
    Anyone can check it against the published log: kezek_verify.py DIRECTORY --receipt { $seq }:{ $leaf }

## Documents

doc-notice-title =
    NOTICE
    of registration in the queue for a preschool organization
doc-card-title = CHILD CARD
doc-direction-title =
    DIRECTION
    to a preschool organization
doc-service-title =
    NOTICE
    of the public service completed
doc-service-body = The public service “Registration of preschool children in the queue for directions to preschool organizations” is completed: the child is enrolled.
doc-number = Application number
doc-registered = Registered on
doc-child = Child
doc-iin = IIN
doc-born = born
doc-applicant = Applicant
doc-contacts = Contacts
doc-queue-type = Queue type
doc-group-year = Group year
doc-language = Language of instruction
doc-district = District
doc-category = Benefit category
doc-category-none = none (general grounds)
doc-status = Status
doc-position = Position in the queue
doc-class-position = Position in the benefit class
doc-not-waiting = not waiting
doc-documents = Documents
doc-consent = Consent to the processing of personal data
doc-expired = Expired directions
doc-stop-list = On the stop list until
doc-removed = Reason for removal
doc-issued = Issued on
doc-footer = The position changes as directions are issued and as children with benefits join the queue.
doc-direction-number = Direction number
doc-org = Organization
doc-place = Place
doc-valid-until = Valid until (inclusive)
doc-enrolled-on = Enrolled on
