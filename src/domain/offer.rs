//! Whom an offer round notifies (R-P3, R-C5), for one queue.
//!
//! The round walks the queue in R-Q2 order and notifies as many `queued` applications as it has places,
//! passing over those the rules keep from an offer today (R-C6: under the minimum age; R-D5: a child attending
//! an organization, unless by a transfer).
//!
//! Twins (R-C5): linked siblings are notified together, at the position of the first of them the walk meets,
//! or not at all. A group is notified only when every member still waiting may be offered a place today (a
//! member stop-listed, or notified by another round still open, holds the group back: offering the others
//! alone would split the family), when the round has a place left for each of them, and when one
//! organization of the round holds a place for each of them (the organization where a member already holds a
//! live direction, if one does: a twin is directed only to its siblings' organization). The round keeps those
//! places in mind for the group, so a later group of the same round needs places of its own. Otherwise every
//! queued member is passed over, keeps its position and waits for a round that can take them all; the walk
//! goes on to the next application.
//!
//! The round notifies; it does not assign places. During the window a notified family takes any offered
//! place, so a single child notified in the same round may still take one of the places a group counted on;
//! the direction rules then send the second twin only to the first one's organization (R-C5).

use std::collections::BTreeSet;

/// A `queued` application the walk reaches, with what the round decides on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<K> {
    pub key: K,
    /// Whether the rules let it be offered a place today (R-C6, R-D5).
    pub eligible: bool,
    /// R-C5: the rest of its sibling group, when it is linked to one.
    pub siblings: Option<Siblings<K>>,
}

/// The other members of a candidate's sibling group, as they stand before the round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Siblings<K> {
    /// The other members that still wait (R-Q1), in queue order.
    pub waiting: Vec<Member<K>>,
    /// The organizations where a member holds a live direction (issued, or enrolled and attending).
    pub directed_to: Vec<String>,
}

/// Another member of a sibling group that still waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member<K> {
    pub key: K,
    pub state: MemberState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberState {
    /// Queued, and the rules let it be offered a place today.
    Offerable,
    /// Queued, but kept from an offer today (R-C6, R-D5).
    Ineligible,
    /// Waiting but not queued: stop-listed, or notified by a round whose window is still open.
    Held,
}

/// What the round decided for one queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picked<K> {
    /// The applications to notify: queue order, a sibling group's members together at its first one's turn.
    pub notified: Vec<K>,
    /// Queued applications the walk reached and did not notify, in the order it reached them.
    pub passed_over: Vec<K>,
    /// The sibling groups notified together (two or more members), each in the order notified.
    pub together: Vec<Vec<K>>,
}

/// One queue's round: fed the queued applications in queue order until [`Round::is_full`].
#[derive(Debug, Clone)]
pub struct Round<K> {
    places: u64,
    /// Per organization of the round's places, the places not yet counted on by a sibling group.
    by_org: Vec<(String, u64)>,
    picked: Picked<K>,
    decided: BTreeSet<K>,
}

impl<K: Clone + Ord> Round<K> {
    /// A round over the places of one queue, counted by organization.
    pub fn new(places_by_org: impl IntoIterator<Item = (String, u64)>) -> Round<K> {
        let by_org: Vec<(String, u64)> = places_by_org.into_iter().filter(|o| o.1 > 0).collect();
        Round {
            places: by_org.iter().map(|o| o.1).sum(),
            by_org,
            picked: Picked {
                notified: Vec::new(),
                passed_over: Vec::new(),
                together: Vec::new(),
            },
            decided: BTreeSet::new(),
        }
    }

    /// Whether as many are notified as the round has places: the walk may stop.
    pub fn is_full(&self) -> bool {
        self.picked.notified.len() as u64 >= self.places
    }

    /// Whether the round already decided on `key` (with an earlier sibling): the walk skips it.
    pub fn has_decided(&self, key: &K) -> bool {
        self.decided.contains(key)
    }

    /// The walk reaches a queued application.
    pub fn consider(&mut self, candidate: Candidate<K>) {
        if self.is_full() || self.decided.contains(&candidate.key) {
            return;
        }
        let Candidate {
            key,
            eligible,
            siblings,
        } = candidate;
        let Some(siblings) = siblings else {
            self.decided.insert(key.clone());
            if eligible {
                self.picked.notified.push(key);
            } else {
                self.picked.passed_over.push(key);
            }
            return;
        };
        let mut queued = vec![key];
        queued.extend(
            siblings
                .waiting
                .iter()
                .filter(|m| m.state != MemberState::Held)
                .map(|m| m.key.clone()),
        );
        self.decided.extend(queued.iter().cloned());
        let offerable = eligible
            && siblings
                .waiting
                .iter()
                .all(|m| m.state == MemberState::Offerable);
        let need = queued.len() as u64;
        let room = self.picked.notified.len() as u64 + need <= self.places;
        let org = if offerable && room {
            self.org_for(need, &siblings.directed_to)
        } else {
            None
        };
        match org {
            Some(org) => {
                self.by_org[org].1 -= need;
                if queued.len() > 1 {
                    self.picked.together.push(queued.clone());
                }
                self.picked.notified.extend(queued);
            }
            None => self.picked.passed_over.extend(queued),
        }
    }

    /// The organization that will hold a group's `need` places: among those allowed (the siblings'
    /// organization when a member holds a direction there), the one with the most places not yet counted on,
    /// the first listed on a tie.
    fn org_for(&self, need: u64, directed_to: &[String]) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, (org, free)) in self.by_org.iter().enumerate() {
            let allowed = directed_to.is_empty() || directed_to.contains(org);
            if allowed && *free >= need && best.is_none_or(|b| *free > self.by_org[b].1) {
                best = Some(i);
            }
        }
        best
    }

    pub fn finish(self) -> Picked<K> {
        self.picked
    }
}

/// A whole round over `candidates` (queue order), as the store feeds it; for tests and callers with the queue in
/// memory.
pub fn pick<K: Clone + Ord>(
    places_by_org: impl IntoIterator<Item = (String, u64)>,
    candidates: impl IntoIterator<Item = Candidate<K>>,
) -> Picked<K> {
    let mut round = Round::new(places_by_org);
    for c in candidates {
        if round.is_full() {
            break;
        }
        round.consider(c);
    }
    round.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn alone(key: u32) -> Candidate<u32> {
        Candidate {
            key,
            eligible: true,
            siblings: None,
        }
    }

    fn too_young(key: u32) -> Candidate<u32> {
        Candidate {
            eligible: false,
            ..alone(key)
        }
    }

    fn twin(key: u32, others: &[(u32, MemberState)], directed_to: &[&str]) -> Candidate<u32> {
        Candidate {
            key,
            eligible: true,
            siblings: Some(Siblings {
                waiting: others
                    .iter()
                    .map(|&(key, state)| Member { key, state })
                    .collect(),
                directed_to: directed_to.iter().map(|o| o.to_string()).collect(),
            }),
        }
    }

    fn orgs(list: &[(&str, u64)]) -> Vec<(String, u64)> {
        list.iter().map(|&(o, n)| (o.to_string(), n)).collect()
    }

    use MemberState::{Held, Ineligible, Offerable};

    #[test]
    fn r_p3_the_head_of_the_queue_is_notified_and_the_rules_pass_over_some() {
        let picked = pick(
            orgs(&[("DS-1", 2), ("DS-2", 1)]),
            [alone(1), too_young(2), alone(3), alone(4), alone(5)],
        );
        assert_eq!(picked.notified, [1, 3, 4]);
        assert_eq!(picked.passed_over, [2]);
        assert!(picked.together.is_empty());
    }

    #[test]
    fn r_c5_twins_with_places_for_both_in_one_organization_are_notified_together() {
        // The second twin (7) waits further down: it is notified with the first, ahead of 3.
        let picked = pick(
            orgs(&[("DS-1", 1), ("DS-2", 2)]),
            [
                alone(1),
                twin(2, &[(7, Offerable)], &[]),
                alone(3),
                twin(7, &[(2, Offerable)], &[]),
            ],
        );
        assert_eq!(picked.notified, [1, 2, 7]);
        assert_eq!(picked.together, [vec![2, 7]]);
        assert!(picked.passed_over.is_empty());
    }

    #[test]
    fn r_c5_twins_are_not_split_over_two_organizations_and_wait_together() {
        // Three places, but no organization has two: the twins are passed over together, keep their position,
        // and the places go to the next in the queue.
        let picked = pick(
            orgs(&[("DS-1", 1), ("DS-2", 1), ("DS-3", 1)]),
            [
                twin(1, &[(2, Offerable)], &[]),
                twin(2, &[(1, Offerable)], &[]),
                alone(3),
                alone(4),
                alone(5),
            ],
        );
        assert_eq!(picked.notified, [3, 4, 5]);
        assert_eq!(picked.passed_over, [1, 2]);
        assert!(picked.together.is_empty());
    }

    #[test]
    fn r_c5_twins_take_no_last_place_they_would_have_to_share() {
        // Two places in one organization, one already gone to the head: the twins wait, the next child gets it.
        let picked = pick(
            orgs(&[("DS-1", 2)]),
            [alone(1), twin(2, &[(3, Offerable)], &[]), alone(4)],
        );
        assert_eq!(picked.notified, [1, 4]);
        assert_eq!(picked.passed_over, [2, 3]);
    }

    #[test]
    fn r_c5_a_twin_stop_listed_or_too_young_holds_the_group_back() {
        let held = pick(orgs(&[("DS-1", 3)]), [twin(1, &[(2, Held)], &[]), alone(3)]);
        // The stop-listed twin is not queued: only the queued one is passed over.
        assert_eq!(held.notified, [3]);
        assert_eq!(held.passed_over, [1]);
        let young = pick(
            orgs(&[("DS-1", 3)]),
            [twin(1, &[(2, Ineligible)], &[]), alone(3)],
        );
        assert_eq!(young.notified, [3]);
        assert_eq!(young.passed_over, [1, 2]);
    }

    #[test]
    fn r_c5_a_twin_whose_sibling_holds_a_direction_is_offered_only_there() {
        // The first twin holds a direction at DS-2; the second is offered only with a place at DS-2.
        let none_there = pick(orgs(&[("DS-1", 2)]), [twin(1, &[], &["DS-2"]), alone(2)]);
        assert_eq!(none_there.notified, [2]);
        assert_eq!(none_there.passed_over, [1]);
        let there = pick(
            orgs(&[("DS-1", 2), ("DS-2", 1)]),
            [twin(1, &[], &["DS-2"]), alone(2)],
        );
        assert_eq!(there.notified, [1, 2]);
        assert!(there.together.is_empty(), "one member notified is no group");
    }

    #[test]
    fn r_c5_two_groups_of_one_round_need_places_of_their_own() {
        // DS-1 has two places and DS-2 three: the first twins count on DS-2 (the most), the second on DS-1.
        // A third pair finds no organization with two places left.
        let picked = pick(
            orgs(&[("DS-1", 2), ("DS-2", 3)]),
            [
                twin(1, &[(2, Offerable)], &[]),
                twin(3, &[(4, Offerable)], &[]),
                twin(5, &[(6, Offerable)], &[]),
                alone(7),
            ],
        );
        assert_eq!(picked.notified, [1, 2, 3, 4, 7]);
        assert_eq!(picked.together, [vec![1, 2], vec![3, 4]]);
        assert_eq!(picked.passed_over, [5, 6]);
    }

    /// A random queue of singles and sibling groups: (group per position, eligible, held members).
    fn queue() -> impl Strategy<Value = (Vec<(String, u64)>, Vec<Candidate<u32>>)> {
        let places = proptest::collection::vec(0u64..4, 1..4);
        let apps = proptest::collection::vec(
            (
                proptest::option::weighted(0.4, 0u8..4),
                any::<bool>(),
                0u8..10,
            ),
            0..14,
        );
        (places, apps).prop_map(|(places, apps)| {
            let by_org = places
                .iter()
                .enumerate()
                .map(|(i, n)| (format!("DS-{i}"), *n))
                .collect();
            let candidates = apps
                .iter()
                .enumerate()
                .map(|(i, &(group, eligible, roll))| Candidate {
                    key: i as u32,
                    eligible: eligible || roll < 7,
                    siblings: group.map(|g| Siblings {
                        waiting: apps
                            .iter()
                            .enumerate()
                            .filter(|&(j, a)| j != i && a.0 == Some(g))
                            .map(|(j, a)| Member {
                                key: j as u32,
                                state: if a.1 || a.2 < 7 {
                                    Offerable
                                } else {
                                    Ineligible
                                },
                            })
                            .collect(),
                        directed_to: Vec::new(),
                    }),
                })
                .collect();
            (by_org, candidates)
        })
    }

    proptest! {
        /// Never more notified than places, nobody twice; a group notified whole or not at all; an eligible
        /// child alone is left out only by a round that filled up; whoever is passed over is either kept by
        /// the rules or a twin.
        #[test]
        fn r_c5_groups_are_whole_and_the_round_never_exceeds_its_places((by_org, candidates) in queue()) {
            let places: u64 = by_org.iter().map(|o| o.1).sum();
            let picked = pick(by_org, candidates.clone());
            prop_assert!(picked.notified.len() as u64 <= places);
            let notified: BTreeSet<u32> = picked.notified.iter().copied().collect();
            prop_assert_eq!(notified.len(), picked.notified.len(), "nobody twice");
            for c in &candidates {
                match &c.siblings {
                    Some(s) => {
                        let taken: Vec<bool> = s
                            .waiting
                            .iter()
                            .map(|m| m.key)
                            .chain([c.key])
                            .map(|k| notified.contains(&k))
                            .collect();
                        prop_assert!(taken.iter().all(|&t| t) || taken.iter().all(|&t| !t), "{:?}", picked);
                    }
                    None if c.eligible && !notified.contains(&c.key) => {
                        prop_assert_eq!(picked.notified.len() as u64, places, "{:?}", picked);
                    }
                    None => {}
                }
            }
            for k in &picked.passed_over {
                let c = &candidates[*k as usize];
                prop_assert!(!c.eligible || c.siblings.is_some(), "{:?}", picked);
            }
        }
    }
}
