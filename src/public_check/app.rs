//! An application as the log last showed it, read from one application row. Rows are read on two threads in
//! batches (`record::map_rows`); the replay then takes them in their order.

use std::borrow::Cow;
use std::hash::BuildHasher;

use super::word::Word;
use crate::domain::record::ApplicationRow;
use chrono::{DateTime, FixedOffset};

/// The applications by number, as the replay last saw them: a list of numbers and applications, and a hash
/// table of positions in it (four bytes a slot). A map from number to application would keep a slot of the
/// whole entry, 150 bytes, for each of the power of two slots it holds at a little over half full: 320 MB of a
/// million applications, where the list and the table take about 160 MB. A million numbers are hashed as they
/// are read: with a fast hash, seeded per run.
#[derive(Default)]
pub(super) struct Apps {
    list: Vec<(Box<str>, App)>,
    positions: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl Apps {
    fn hash(&self, number: &str) -> u64 {
        self.hasher.hash_one(number)
    }

    fn position(&self, number: &str) -> Option<usize> {
        self.positions
            .find(self.hash(number), |&i| &*self.list[i as usize].0 == number)
            .map(|&i| i as usize)
    }

    pub(super) fn get(&self, number: &str) -> Option<&App> {
        self.position(number).map(|i| &self.list[i].1)
    }

    /// Sets the application of `number`, added or replaced.
    pub(super) fn insert(&mut self, number: &str, app: App) {
        if let Some(i) = self.position(number) {
            self.list[i].1 = app;
            return;
        }
        let i = u32::try_from(self.list.len()).expect("fewer than four billion applications");
        let (list, hasher) = (&self.list, &self.hasher);
        self.positions
            .insert_unique(hasher.hash_one(number), i, |&j| {
                hasher.hash_one(&*list[j as usize].0)
            });
        self.list.push((number.into(), app));
    }

    /// Forgets the application of `number`; the last one of the list takes its place.
    pub(super) fn remove(&mut self, number: &str) {
        let hash = self.hash(number);
        let list = &self.list;
        let Ok(entry) = self
            .positions
            .find_entry(hash, |&i| &*list[i as usize].0 == number)
        else {
            return;
        };
        let i = entry.remove().0 as usize;
        let last = self.list.len() - 1;
        if i != last {
            let moved = self.hash(&self.list[last].0);
            if let Some(slot) = self.positions.find_mut(moved, |&j| j as usize == last) {
                *slot = i as u32;
            }
        }
        self.list.swap_remove(i);
    }

    pub(super) fn reserve(&mut self, additional: usize) {
        self.list.reserve(additional);
        let (list, hasher) = (&self.list, &self.hasher);
        self.positions
            .reserve(additional, |&j| hasher.hash_one(&*list[j as usize].0));
    }

    pub(super) fn len(&self) -> usize {
        self.list.len()
    }

    /// Each number and its application, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &App)> {
        self.list.iter().map(|(number, app)| (&**number, app))
    }
}

impl<N: AsRef<str>> FromIterator<(N, App)> for Apps {
    fn from_iter<I: IntoIterator<Item = (N, App)>>(items: I) -> Apps {
        let mut apps = Apps::default();
        for (number, app) in items {
            apps.insert(number.as_ref(), app);
        }
        apps
    }
}

#[derive(Debug, Clone)]
pub(super) struct App {
    pub(super) queue_type: Word,
    pub(super) group_year: i64,
    pub(super) class: Word,
    pub(super) registered_at: Box<str>,
    pub(super) at: DateTime<FixedOffset>,
    pub(super) status: Word,
    /// R-C1: the ranked organizations, `CODE;CODE`.
    pub(super) preferences: Option<Box<str>>,
}

/// One application row: the application it shows, or that it deletes, or neither (the record shows no fields).
pub(super) enum AppRow<'a> {
    Shown(Cow<'a, str>, App),
    Deleted(Cow<'a, str>),
    Unshown,
}

/// Why an application row could not be read.
pub(super) enum Unreadable<'a> {
    /// The row is not an application row: the parser's words.
    Fields(String),
    /// Its registration time is not an RFC 3339 time.
    Time(Cow<'a, str>),
}

impl<'a> AppRow<'a> {
    pub(super) fn read(raw: &'a str) -> Result<AppRow<'a>, Unreadable<'a>> {
        let row = ApplicationRow::parse(raw).map_err(Unreadable::Fields)?;
        let fields = match row.fields {
            Some(Some(fields)) => fields,
            Some(None) => return Ok(AppRow::Deleted(row.key)),
            None => return Ok(AppRow::Unshown),
        };
        let Ok(at) = DateTime::parse_from_rfc3339(&fields.registered_at) else {
            return Err(Unreadable::Time(row.key));
        };
        Ok(AppRow::Shown(
            row.key,
            App {
                queue_type: Word::new(&fields.queue_type),
                group_year: fields.group_year,
                class: Word::new(&fields.priority_class),
                registered_at: fields.registered_at.as_ref().into(),
                at,
                status: Word::new(&fields.status),
                preferences: fields.preferences.map(|p| p.as_ref().into()),
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn app(year: i64) -> App {
        App {
            queue_type: Word::new("general"),
            group_year: year,
            class: Word::new("general"),
            registered_at: "2026-01-01T09:00:00+05:00".into(),
            at: DateTime::parse_from_rfc3339("2026-01-01T09:00:00+05:00").unwrap(),
            status: Word::new("queued"),
            preferences: None,
        }
    }

    proptest! {
        /// The list and its table of positions answer as a map from number to application would, whatever
        /// the order of insertions, replacements and removals (each removal moves the last entry).
        #[test]
        fn r_v5_the_replayed_applications_answer_as_a_map_would(
            steps in proptest::collection::vec((any::<bool>(), 0u8..40, 0i64..1000), 0..300)
        ) {
            let (mut apps, mut oracle) = (Apps::default(), HashMap::new());
            for (insert, n, year) in steps {
                let number = format!("DDO.2026.{n:06}");
                if insert {
                    apps.insert(&number, app(year));
                    oracle.insert(number, year);
                } else {
                    apps.remove(&number);
                    oracle.remove(&number);
                }
                prop_assert_eq!(apps.len(), oracle.len());
            }
            for n in 0u8..40 {
                let number = format!("DDO.2026.{n:06}");
                prop_assert_eq!(apps.get(&number).map(|a| a.group_year), oracle.get(&number).copied());
            }
            let mut listed: Vec<(String, i64)> =
                apps.iter().map(|(n, a)| (n.to_string(), a.group_year)).collect();
            let mut expected: Vec<(String, i64)> = oracle.into_iter().collect();
            listed.sort();
            expected.sort();
            prop_assert_eq!(listed, expected);
        }
    }
}
