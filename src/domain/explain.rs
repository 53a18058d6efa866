//! Explained positions (R-V7): replaying the public records of one queue, the position of one application
//! after every event, and the events that moved it, each with its delta. The deltas add up to the change from
//! the position then to the position now. Pure: the records come from the database (`application explain`) or
//! from a publication (`audit public --explain`), already parsed.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::Value;

use super::category::PriorityClass;
use super::queue::{position, ClassCounts};

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

#[derive(Debug, Clone, PartialEq, Eq)]
struct Member {
    class: PriorityClass,
    key: (DateTime<FixedOffset>, String),
}

/// The queue of one application, replayed record by record.
pub struct Explainer {
    number: String,
    queue: (String, i64),
    since: Option<DateTime<FixedOffset>>,
    since_text: String,
    /// The waiting members of the queue.
    members: HashMap<String, Member>,
    k: u64,
    started: bool,
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
            k: 3,
            started: false,
            then: None,
            last: None,
            moves: Vec::new(),
        }
    }

    /// The application's position in the queue as it stands.
    fn position(&self) -> Option<u64> {
        let me = self.members.get(&self.number)?;
        let mut counts = ClassCounts::default();
        let mut rank = 1;
        for m in self.members.values() {
            match m.class {
                PriorityClass::OutOfTurn => counts.out_of_turn += 1,
                PriorityClass::FirstPriority => counts.first_priority += 1,
                PriorityClass::General => counts.general += 1,
            }
            if m.class == me.class && m.key < me.key {
                rank += 1;
            }
        }
        Some(position(me.class, rank, &counts, self.k.max(1)))
    }

    /// Takes one public record (R-V1), in seq order.
    pub fn record(&mut self, record: &Value) {
        let mut touched = false;
        for row in record["rows"].as_array().into_iter().flatten() {
            let fields = &row["fields"];
            match row["table"].as_str() {
                Some("setting") if row["key"] == "general_per_first_priority" => {
                    if let Some(k) = fields["value"].as_str().and_then(|v| v.parse().ok()) {
                        touched |= self.k != k;
                        self.k = k;
                    }
                }
                Some("application") => {
                    let Some(number) = row["key"].as_str() else {
                        continue;
                    };
                    let s = |f: &str| fields[f].as_str().unwrap_or_default();
                    let member = (fields.is_object()
                        && s("queue_type") == self.queue.0
                        && fields["group_year"].as_i64() == Some(self.queue.1)
                        && matches!(s("status"), "queued" | "notified" | "stop_listed"))
                    .then(|| {
                        Some(Member {
                            class: class_of(s("priority_class"))?,
                            key: (
                                DateTime::parse_from_rfc3339(s("registered_at")).ok()?,
                                number.to_string(),
                            ),
                        })
                    })
                    .flatten();
                    let before = self.members.get(number).cloned();
                    if before != member {
                        touched = true;
                        match member {
                            Some(m) => self.members.insert(number.to_string(), m),
                            None => self.members.remove(number),
                        };
                    }
                }
                _ => {}
            }
        }
        if !touched {
            return;
        }
        let now = self.position();
        let at = record["effective_at"].as_str().unwrap_or_default();
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
                seq: record["seq"].as_i64().unwrap_or_default(),
                effective_at: at.to_string(),
                kind: record["kind"].as_str().unwrap_or_default().to_string(),
                subject: record["subject"].as_str().unwrap_or_default().to_string(),
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
    use serde_json::json;

    fn app(seq: i64, kind: &str, number: &str, class: &str, at: &str, status: &str) -> Value {
        json!({"seq": seq, "effective_at": "2026-03-16T10:00:00+05:00", "kind": kind, "subject": number,
            "rows": [{"table": "application", "key": number, "fields": {
                "number": number, "queue_type": "general", "group_year": 2023, "priority_class": class,
                "registered_at": at, "status": status}}]})
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
                "subject": "general_per_first_priority", "rows": [{"table": "setting",
                "key": "general_per_first_priority", "fields": {"key": "general_per_first_priority", "value": "1"}}]}),
        ];
        let mut e = Explainer::new("X", ("general".into(), 2023), None, "registration");
        for r in &records {
            e.record(r);
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
}
