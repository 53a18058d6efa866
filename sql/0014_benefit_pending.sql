-- R-I1: the applications of a benefit class that may hold an issued direction (directed by a public
-- organization, or taken out of the queue by a private one's, R-D4), so that the sweep checks their directions'
-- confirmations without reading every issued direction and its application. An application's class cannot
-- change while it holds a direction (R-Q8), so an issued direction of a benefit class is always reached here.
CREATE INDEX application_benefit_directed ON application (number)
    WHERE priority_class <> 'general' AND (status = 'directed' OR removed_reason = 'private_direction');
