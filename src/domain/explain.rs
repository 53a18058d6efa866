//! Explained positions (R-V7): replaying the public records of one queue, the position of one application
//! after every event, and the events that moved it, each with its delta. The deltas add up to the change from
//! the position then to the position now. Pure: the records come from the database (`application explain`) or
//! from a publication (`audit public --explain`), already parsed.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::category::PriorityClass;
use super::queue::{position, ClassCounts};
use super::record::{map_rows, table_of, ApplicationFields, ApplicationRow, Record, Row};

/// One event that moved the position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Move {
    pub seq: i64,
    pub effective_at: String,
    pub kind: String,
    pub subject: String,
    pub delta: i64,
}

/// `application explain`'s answer (JSON as SPEC R-V7 gives it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub number: String,
    pub since: String,
    pub position_then: Option<u64>,
    pub position_now: Option<u64>,
    pub moves: Vec<Move>,
}

/// A waiting member of the queue, as small as it can be kept (a country's largest queue has millions): its
/// class and its registration instant (seconds, nanoseconds); its number is its key in `members`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Member {
    class: PriorityClass,
    at: (i64, u32),
}

/// What one row of a record changes in the queue.
enum Change<'a> {
    Member(Cow<'a, str>, Option<Member>),
    Interleave(u64),
}

/// The queue of one application, replayed record by record. The position is kept as the record goes: the
/// count of each class waiting, and how many of the application's own class are ahead of it, so that a record
/// costs its rows and not the queue's length.
pub struct Explainer {
    number: String,
    queue: (String, i64),
    since: Option<DateTime<FixedOffset>>,
    since_text: String,
    /// The waiting members of the queue.
    members: HashMap<Box<str>, Member>,
    counts: ClassCounts,
    /// Members of the application's class ahead of it (while it waits).
    ahead: u64,
    k: u64,
    started: bool,
    /// Whether the rows taken since the last record's end changed the queue.
    touched: bool,
    then: Option<u64>,
    last: Option<u64>,
    moves: Vec<Move>,
}

fn class_of(text: &str) -> Option<PriorityClass> {
    match text {
        "out_of_turn" => Some(PriorityClass::OutOfTurn),
        "first_priority" => Some(PriorityClass::FirstPriority),
        "general" => Some(PriorityClass::General),
        _ => None,
    }
}

fn count(counts: &mut ClassCounts, class: PriorityClass) -> &mut u64 {
    match class {
        PriorityClass::OutOfTurn => &mut counts.out_of_turn,
        PriorityClass::FirstPriority => &mut counts.first_priority,
        PriorityClass::General => &mut counts.general,
    }
}

impl Explainer {
    /// Explains `number`, of the queue `(queue_type, group_year)`, from `since` (an instant; `None`: from its
    /// registration). `k` is the interleave in force before the first record (3, the default).
    pub fn new(
        number: &str,
        queue: (String, i64),
        since: Option<DateTime<FixedOffset>>,
        since_text: &str,
    ) -> Explainer {
        Explainer {
            number: number.to_string(),
            queue,
            since,
            since_text: since_text.to_string(),
            members: HashMap::new(),
            counts: ClassCounts::default(),
            ahead: 0,
            k: 3,
            started: false,
            touched: false,
            then: None,
            last: None,
            moves: Vec::new(),
        }
    }

    /// The application's position in the queue as it stands.
    fn position(&self) -> Option<u64> {
        let me = self.members.get(self.number.as_str())?;
        Some(position(
            me.class,
            self.ahead + 1,
            &self.counts,
            self.k.max(1),
        ))
    }

    /// Whether `m`, numbered `number`, is ahead of the application in its own class: registered earlier, or
    /// at the same instant with a smaller number.
    fn is_ahead(&self, number: &str, m: &Member) -> bool {
        self.members
            .get(self.number.as_str())
            .is_some_and(|me| m.class == me.class && (m.at, number) < (me.at, self.number.as_str()))
    }

    /// One member of the queue changes from what it was to `member` (`None`: not waiting in this queue).
    fn change(&mut self, number: &str, member: Option<Member>) -> bool {
        let before = self.members.get(number).copied();
        if before == member {
            return false;
        }
        if let Some(b) = before {
            *count(&mut self.counts, b.class) -= 1;
            if number != self.number && self.is_ahead(number, &b) {
                self.ahead -= 1;
            }
        }
        match member {
            Some(m) => {
                *count(&mut self.counts, m.class) += 1;
                if number != self.number && self.is_ahead(number, &m) {
                    self.ahead += 1;
                }
                match self.members.get_mut(number) {
                    Some(slot) => *slot = m,
                    None => {
                        self.members.insert(number.into(), m);
                    }
                }
            }
            None => {
                self.members.remove(number);
            }
        }
        if number == self.number {
            self.ahead = match self.members.get(self.number.as_str()) {
                Some(me) => self
                    .members
                    .iter()
                    .filter(|(n, m)| {
                        m.class == me.class && (m.at, n.as_ref()) < (me.at, self.number.as_str())
                    })
                    .count() as u64,
                None => 0,
            };
        }
        true
    }

    /// What a row of the application table makes of its application in this queue.
    fn member_of(&self, fields: ApplicationFields) -> Option<Member> {
        let waiting = fields.queue_type == self.queue.0
            && fields.group_year == self.queue.1
            && matches!(
                fields.status.as_ref(),
                "queued" | "notified" | "stop_listed"
            );
        if !waiting {
            return None;
        }
        let at = DateTime::parse_from_rfc3339(&fields.registered_at).ok()?;
        Some(Member {
            class: class_of(&fields.priority_class)?,
            at: (at.timestamp(), at.timestamp_subsec_nanos()),
        })
    }

    /// Takes one public record (R-V1), in seq order.
    pub fn record(&mut self, record: &Record) {
        self.rows(&record.rows);
        self.end(
            record.seq,
            &record.effective_at,
            &record.kind,
            &record.subject,
        );
    }

    /// Takes some of the rows of a record, in their order (a large record comes in batches: `record_parts`).
    pub fn rows(&mut self, rows: &[&str]) {
        // Each application row as a member of this queue or not, parsed on two threads for a large batch, then
        // applied in order.
        let changes = map_rows(rows, |raw: &&str| match table_of(raw) {
            Some("application") => {
                let row = ApplicationRow::parse(raw).ok()?;
                let fields = row.fields?;
                let member = fields.and_then(|f| self.member_of(f));
                Some(Change::Member(row.key, member))
            }
            Some("setting") => {
                let row: Row = serde_json::from_str(raw).ok()?;
                (row.key.get() == "\"general_per_first_priority\"")
                    .then(|| row.field("value").as_str().and_then(|v| v.parse().ok()))
                    .flatten()
                    .map(Change::Interleave)
            }
            _ => None,
        });
        for change in changes.into_iter().flatten() {
            match change {
                Change::Interleave(k) => {
                    self.touched |= self.k != k;
                    self.k = k;
                }
                Change::Member(number, member) => self.touched |= self.change(&number, member),
            }
        }
    }

    /// The end of a record whose rows were taken: the position after it, and the move it made.
    pub fn end(&mut self, seq: i64, effective_at: &str, kind: &str, subject: &str) {
        let touched = std::mem::take(&mut self.touched);
        if !touched {
            return;
        }
        let now = self.position();
        let at = effective_at;
        if !self.started {
            let reached = match self.since {
                Some(since) => DateTime::parse_from_rfc3339(at).is_ok_and(|t| t > since),
                None => now.is_some(),
            };
            if !reached {
                self.last = now;
                return;
            }
            self.started = true;
            if self.since.is_none() {
                // From the registration: the position it was given is where the explanation starts.
                self.then = now;
                self.last = now;
                return;
            }
            self.then = self.last;
        }
        let delta = now.unwrap_or(0) as i64 - self.last.unwrap_or(0) as i64;
        if delta != 0 && now.is_some() && self.last.is_some() {
            self.moves.push(Move {
                seq,
                effective_at: at.to_string(),
                kind: kind.to_string(),
                subject: subject.to_string(),
                delta,
            });
        }
        self.last = now;
    }

    pub fn finish(self) -> Explanation {
        let then = if self.started { self.then } else { self.last };
        Explanation {
            number: self.number,
            since: self.since_text,
            position_then: then,
            position_now: self.last,
            moves: self.moves,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::public::canonical;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn app(seq: i64, kind: &str, number: &str, class: &str, at: &str, status: &str) -> Value {
        json!({"seq": seq, "effective_at": "2026-03-16T10:00:00+05:00", "kind": kind, "subject": number,
            "recorded_at": "2026-03-16T10:00:00+05:00", "officer": "ivanova",
            "rows": [{"table": "application", "key": number, "fields": {
                "number": number, "queue_type": "general", "group_year": 2023, "priority_class": class,
                "registered_at": at, "status": status}}]})
    }

    fn take(e: &mut Explainer, record: &Value) {
        let line = canonical(record);
        e.record(&Record::parse(&line).unwrap());
    }

    #[test]
    fn r_v7_the_moves_add_up_to_the_change_of_position() {
        let records = [
            app(
                1,
                "application.register",
                "A",
                "general",
                "2026-01-01T10:00:00+05:00",
                "queued",
            ),
            app(
                2,
                "application.register",
                "X",
                "general",
                "2026-01-02T10:00:00+05:00",
                "queued",
            ),
            app(
                3,
                "application.register",
                "B",
                "first_priority",
                "2026-01-03T10:00:00+05:00",
                "queued",
            ),
            app(
                4,
                "application.register",
                "C",
                "out_of_turn",
                "2026-01-04T10:00:00+05:00",
                "queued",
            ),
            app(
                5,
                "direction.issue",
                "A",
                "general",
                "2026-01-01T10:00:00+05:00",
                "directed",
            ),
            app(
                6,
                "application.register",
                "D",
                "general",
                "2026-01-05T10:00:00+05:00",
                "queued",
            ),
            json!({"seq": 7, "effective_at": "2026-03-17T10:00:00+05:00", "kind": "settings.set",
                "recorded_at": "2026-03-17T10:00:00+05:00", "officer": "ivanova",
                "subject": "general_per_first_priority", "rows": [{"table": "setting",
                "key": "general_per_first_priority", "fields": {"key": "general_per_first_priority", "value": "1"}}]}),
        ];
        let mut e = Explainer::new("X", ("general".into(), 2023), None, "registration");
        for r in &records {
            take(&mut e, r);
        }
        let x = e.finish();
        // X registered second of the generals: 2. Then F1 (B) comes first: 3; C out of turn: 4; A directed: 3.
        assert_eq!(x.position_then, Some(2));
        assert_eq!(x.position_now, Some(3));
        let deltas: Vec<(i64, i64)> = x.moves.iter().map(|m| (m.seq, m.delta)).collect();
        assert_eq!(deltas, [(3, 1), (4, 1), (5, -1)]);
        let sum: i64 = x.moves.iter().map(|m| m.delta).sum();
        assert_eq!(sum, 3 - 2);
    }

    /// The position by counting the whole queue: the oracle of the kept one.
    fn counted(queue: &HashMap<String, (PriorityClass, i64)>, me: &str, k: u64) -> Option<u64> {
        let (class, at) = *queue.get(me)?;
        let mut counts = ClassCounts::default();
        for (c, _) in queue.values() {
            *count(&mut counts, *c) += 1;
        }
        let rank = 1 + queue
            .iter()
            .filter(|(n, (c, t))| *c == class && (*t, n.as_str()) < (at, me))
            .count() as u64;
        Some(position(class, rank, &counts, k))
    }

    proptest! {
        #[test]
        fn r_v7_the_kept_position_is_the_counted_one(
            steps in proptest::collection::vec((0u8..12, 0u8..3, 0u8..40, 0u8..4, 1u64..4), 1..80),
        ) {
            let classes = ["out_of_turn", "first_priority", "general"];
            let statuses = ["queued", "notified", "directed", "stop_listed"];
            let mut e = Explainer::new("N0", ("general".into(), 2023), None, "registration");
            let mut queue = HashMap::new();
            let mut k = 3;
            for (seq, (n, class, minute, status, new_k)) in steps.into_iter().enumerate() {
                let number = format!("N{n}");
                let at = format!("2026-01-01T10:{minute:02}:00+05:00");
                let seq = seq as i64 + 1;
                if minute == 39 {
                    take(&mut e, &json!({"seq": seq, "effective_at": "2026-03-17T10:00:00+05:00",
                        "kind": "settings.set", "recorded_at": "2026-03-17T10:00:00+05:00", "officer": "ivanova",
                        "subject": "general_per_first_priority", "rows": [{"table": "setting",
                        "key": "general_per_first_priority", "fields": {"key": "general_per_first_priority",
                        "value": new_k.to_string()}}]}));
                    k = new_k;
                } else {
                    let class = classes[class as usize];
                    let status = statuses[status as usize];
                    take(&mut e, &app(seq, "application.change", &number, class, &at, status));
                    if status == "directed" {
                        queue.remove(&number);
                    } else {
                        queue.insert(number, (class_of(class).unwrap(), minute as i64));
                    }
                }
                prop_assert_eq!(e.position(), counted(&queue, "N0", k));
            }
        }
    }
}
