//! Allocation by preferences (R-C2, R-C5): serial dictatorship in queue order.
//!
//! For one queue (queue type and group year) the waiting applications, in queue order and already filtered to
//! those that may be directed (R-D2..R-D5, R-C6), are served one after the other: each takes its highest-ranked
//! organization that still has a free place, and in that organization the free place with the lowest id.
//! With one common priority order this is what applicant-proposing deferred acceptance gives: nobody envies an
//! application behind it, and ranking truthfully is always best.
//!
//! Twins (R-C5): applications linked as one sibling group are served together at the position of their earliest
//! member, by the earliest member's ranking restricted to the organizations every member may take; an
//! organization qualifies only with a free place for every member. All of them get places in that organization,
//! or none gets any and all keep waiting.
//!
//! The store hands over dense organization indices; the pass keeps one cursor per organization, so it costs
//! the preferences it reads and nothing per place.

use std::borrow::Cow;
use std::ops::Range;

/// One organization an application ranks: `rank` is the 1-based rank the family gave. Ranks may have gaps (the
/// store drops organizations this child may not take) but not ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preference {
    /// Index into the places handed to [`allocate`].
    pub org: usize,
    pub rank: u32,
}

/// An application waiting in the queue, eligible for a direction today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingApplication<K, G> {
    pub key: K,
    /// The R-C5 sibling group: applications with the same group are directed together.
    pub sibling_group: Option<G>,
    /// The organizations this child may take, with the family's ranks, in any order.
    pub preferences: Vec<Preference>,
}

/// One direction to issue: the application takes place `place_id` of organization `org`, which it ranked `rank`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Direction<K> {
    pub application: K,
    pub place_id: u64,
    pub org: usize,
    /// The application's own rank of `org` (for twins too: each member's rank of the organization they share).
    pub rank: u32,
}

/// The outcome of one queue's allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation<K> {
    /// In the order made: queue order, twins one after the other at their earliest member's position.
    pub directions: Vec<Direction<K>>,
    /// Applications that got nothing and keep waiting (each twin counts).
    pub unplaced: usize,
}

/// R-C2, R-C5: serial dictatorship of `applications` (in queue order) over `places`, where `places[org]` holds
/// the free place ids of organization `org`. Ids are expected ascending and distinct within an organization;
/// a list that is not is sorted (and deduplicated) first. A preference for an organization outside `places`
/// finds no place.
pub fn allocate<K: Clone, G: Ord>(
    applications: &[WaitingApplication<K, G>],
    places: &[Vec<u64>],
) -> Allocation<K> {
    let pools: Vec<Cow<'_, [u64]>> = places
        .iter()
        .map(|ids| {
            if ids.windows(2).all(|w| w[0] < w[1]) {
                Cow::Borrowed(ids.as_slice())
            } else {
                let mut ids = ids.clone();
                ids.sort_unstable();
                ids.dedup();
                Cow::Owned(ids)
            }
        })
        .collect();
    // next[org]: the first free place of the org; a child always takes the lowest id left.
    let mut next = vec![0usize; pools.len()];
    let free = |next: &[usize], org: usize| pools.get(org).map_or(0, |p| p.len() - next[org]);

    let (turns, members) = turns(applications);
    let mut directions =
        Vec::with_capacity(applications.len().min(pools.iter().map(|p| p.len()).sum()));
    let mut unplaced = 0;
    for (application, turn) in applications.iter().zip(&turns) {
        match turn {
            Turn::Follows => {}
            Turn::Alone => match best(&application.preferences, |org| free(&next, org) > 0) {
                Some(p) => {
                    directions.push(Direction {
                        application: application.key.clone(),
                        place_id: pools[p.org][next[p.org]],
                        org: p.org,
                        rank: p.rank,
                    });
                    next[p.org] += 1;
                }
                None => unplaced += 1,
            },
            Turn::Leads(range) => {
                let group = &members[range.clone()];
                let others = &group[1..];
                let qualifies = |org: usize| {
                    free(&next, org) >= group.len()
                        && others
                            .iter()
                            .all(|&m| rank_of(&applications[m].preferences, org).is_some())
                };
                match best(&application.preferences, qualifies) {
                    Some(p) => {
                        for &m in group {
                            let member = &applications[m];
                            directions.push(Direction {
                                application: member.key.clone(),
                                place_id: pools[p.org][next[p.org]],
                                org: p.org,
                                rank: rank_of(&member.preferences, p.org).unwrap_or(p.rank),
                            });
                            next[p.org] += 1;
                        }
                    }
                    None => unplaced += group.len(),
                }
            }
        }
    }
    Allocation {
        directions,
        unplaced,
    }
}

/// How an application is served: alone, as the earliest member of its sibling group (serving the whole group),
/// or not at all because its earliest sibling already served it.
enum Turn {
    Alone,
    /// The group's members in queue order, as a range of the members list.
    Leads(Range<usize>),
    Follows,
}

/// Each application's turn, and the members of every group in queue order (one list, ranges per leader).
/// Sorting only the linked applications keeps the pass free of hashing.
fn turns<K, G: Ord>(applications: &[WaitingApplication<K, G>]) -> (Vec<Turn>, Vec<usize>) {
    let mut linked: Vec<(&G, usize)> = applications
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.sibling_group.as_ref().map(|g| (g, i)))
        .collect();
    // Stable: members keep queue order within their group.
    linked.sort_by(|a, b| a.0.cmp(b.0));
    let mut turns: Vec<Turn> = applications.iter().map(|_| Turn::Alone).collect();
    let members: Vec<usize> = linked.iter().map(|&(_, i)| i).collect();
    let mut start = 0;
    for group in linked.chunk_by(|a, b| a.0 == b.0) {
        let end = start + group.len();
        turns[group[0].1] = Turn::Leads(start..end);
        for &(_, i) in &group[1..] {
            turns[i] = Turn::Follows;
        }
        start = end;
    }
    (turns, members)
}

/// The highest-ranked preference whose organization qualifies (the first listed on a tie of ranks).
fn best(preferences: &[Preference], qualifies: impl Fn(usize) -> bool) -> Option<Preference> {
    let mut best: Option<Preference> = None;
    for &p in preferences {
        if best.is_none_or(|b| p.rank < b.rank) && qualifies(p.org) {
            best = Some(p);
        }
    }
    best
}

/// The rank an application gave an organization, if it listed it.
fn rank_of(preferences: &[Preference], org: usize) -> Option<u32> {
    preferences
        .iter()
        .filter(|p| p.org == org)
        .map(|p| p.rank)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;

    type Waiting = WaitingApplication<usize, u8>;

    fn prefs(list: &[(usize, u32)]) -> Vec<Preference> {
        list.iter()
            .map(|&(org, rank)| Preference { org, rank })
            .collect()
    }

    fn waiting(key: usize, group: Option<u8>, list: &[(usize, u32)]) -> Waiting {
        WaitingApplication {
            key,
            sibling_group: group,
            preferences: prefs(list),
        }
    }

    fn direction(application: usize, place_id: u64, org: usize, rank: u32) -> Direction<usize> {
        Direction {
            application,
            place_id,
            org,
            rank,
        }
    }

    /// Serial dictatorship by the rule's words, with no bookkeeping: every turn scans the applications for its
    /// siblings and all places for the free ones.
    fn brute_force(applications: &[Waiting], places: &[Vec<u64>]) -> Allocation<usize> {
        // (org, id, taken)
        let mut all: Vec<(usize, u64, bool)> = Vec::new();
        for (org, ids) in places.iter().enumerate() {
            for &id in ids {
                all.push((org, id, false));
            }
        }
        let mut directions = Vec::new();
        let mut unplaced = 0;
        for (i, a) in applications.iter().enumerate() {
            let members: Vec<usize> = match &a.sibling_group {
                None => vec![i],
                Some(g) => (0..applications.len())
                    .filter(|&j| applications[j].sibling_group.as_ref() == Some(g))
                    .collect(),
            };
            if members[0] != i {
                continue; // served with its earliest sibling
            }
            let mut ranked = a.preferences.clone();
            ranked.sort_by_key(|p| p.rank);
            let mut served = false;
            for p in ranked {
                let every_member_may = members
                    .iter()
                    .all(|&m| applications[m].preferences.iter().any(|q| q.org == p.org));
                let mut free: Vec<usize> = (0..all.len())
                    .filter(|&k| all[k].0 == p.org && !all[k].2)
                    .collect();
                free.sort_by_key(|&k| all[k].1);
                if every_member_may && free.len() >= members.len() {
                    for (&m, &k) in members.iter().zip(&free) {
                        all[k].2 = true;
                        let rank = applications[m]
                            .preferences
                            .iter()
                            .filter(|q| q.org == p.org)
                            .map(|q| q.rank)
                            .min()
                            .unwrap();
                        directions.push(direction(m, all[k].1, p.org, rank));
                    }
                    served = true;
                    break;
                }
            }
            if !served {
                unplaced += members.len();
            }
        }
        Allocation {
            directions,
            unplaced,
        }
    }

    /// A random queue: `orgs` organizations (a preference may name one more, which has no places), places with
    /// ascending ids spread over them, applications with up to four preferences listed in any order with gapped
    /// ranks, some linked in sibling groups whose members need not be adjacent.
    fn city() -> impl Strategy<Value = (Vec<Waiting>, Vec<Vec<u64>>)> {
        (1usize..6)
            .prop_flat_map(|orgs| {
                let places = vec((0..orgs, 1u64..4), 0..16);
                let preference = (0..orgs + 1, 1u32..3, any::<u8>());
                let application = (
                    proptest::option::weighted(0.3, 0u8..5),
                    vec(preference, 0..5),
                );
                (Just(orgs), places, vec(application, 0..30))
            })
            .prop_map(|(orgs, raw_places, raw_applications)| {
                let mut places = vec![Vec::new(); orgs];
                let mut id = 0;
                for (org, gap) in raw_places {
                    id += gap;
                    places[org].push(id);
                }
                let applications = raw_applications
                    .into_iter()
                    .enumerate()
                    .map(|(key, (group, raw))| {
                        let mut listed: Vec<(usize, u32, u8)> = Vec::new();
                        let mut rank = 0;
                        for (org, gap, order) in raw {
                            if listed.iter().all(|l| l.0 != org) {
                                rank += gap;
                                listed.push((org, rank, order));
                            }
                        }
                        listed.sort_by_key(|l| l.2);
                        WaitingApplication {
                            key,
                            sibling_group: group,
                            preferences: listed
                                .into_iter()
                                .map(|(org, rank, _)| Preference { org, rank })
                                .collect(),
                        }
                    })
                    .collect();
                (applications, places)
            })
    }

    /// For each application, the index of its group's earliest member (itself when alone).
    fn leaders(applications: &[Waiting]) -> Vec<usize> {
        (0..applications.len())
            .map(|i| match &applications[i].sibling_group {
                None => i,
                Some(g) => (0..=i)
                    .find(|&j| applications[j].sibling_group.as_ref() == Some(g))
                    .unwrap(),
            })
            .collect()
    }

    fn group_of(leaders: &[usize], leader: usize) -> Vec<usize> {
        (0..leaders.len())
            .filter(|&i| leaders[i] == leader)
            .collect()
    }

    /// The org a served application got, by key (keys are indices here).
    fn got(applications: &[Waiting], outcome: &Allocation<usize>) -> Vec<Option<usize>> {
        let mut got = vec![None; applications.len()];
        for d in &outcome.directions {
            got[d.application] = Some(d.org);
        }
        got
    }

    #[test]
    fn r_c2_each_takes_its_best_org_with_a_place_in_queue_order() {
        let applications = [
            waiting(0, None, &[(0, 1), (1, 2)]),
            waiting(1, None, &[(0, 1), (1, 2)]),
            waiting(2, None, &[(0, 1)]),
            waiting(3, None, &[]),
            waiting(4, None, &[(1, 1)]),
        ];
        let places = [vec![10], vec![20, 21]];
        let outcome = allocate(&applications, &places);
        assert_eq!(
            outcome.directions,
            [
                direction(0, 10, 0, 1),
                direction(1, 20, 1, 2),
                direction(4, 21, 1, 1)
            ]
        );
        assert_eq!(outcome.unplaced, 2);
    }

    #[test]
    fn r_c2_takes_the_lowest_place_id_and_reports_the_familys_gapped_rank() {
        // The store dropped the family's 1st and 3rd choices; org 2 is its 2nd, org 0 its 4th, listed backwards.
        let applications = [waiting(7, None, &[(0, 4), (2, 2)])];
        let places = [vec![1], vec![], vec![35, 40, 52]];
        let outcome = allocate(&applications, &places);
        assert_eq!(outcome.directions, [direction(7, 35, 2, 2)]);
        assert_eq!(outcome.unplaced, 0);
    }

    #[test]
    fn r_c2_unsorted_place_ids_still_give_the_lowest() {
        let applications = [waiting(0, None, &[(0, 1)]), waiting(1, None, &[(0, 1)])];
        let outcome = allocate(&applications, &[vec![9, 3, 3]]);
        assert_eq!(
            outcome.directions,
            [direction(0, 3, 0, 1), direction(1, 9, 0, 1)]
        );
    }

    #[test]
    fn r_c5_twins_needing_two_places_skip_an_org_with_one_left() {
        // Org 0 has one place left, org 1 two. The twins (0 and 2) rank org 0 first; it cannot take both.
        let applications = [
            waiting(0, Some(1), &[(0, 1), (1, 2)]),
            waiting(1, None, &[(0, 1)]),
            waiting(2, Some(1), &[(0, 1), (1, 2)]),
        ];
        let places = [vec![5], vec![6, 7]];
        let outcome = allocate(&applications, &places);
        assert_eq!(
            outcome.directions,
            [
                direction(0, 6, 1, 2),
                direction(2, 7, 1, 2),
                direction(1, 5, 0, 1)
            ]
        );
        assert_eq!(outcome.unplaced, 0);
    }

    #[test]
    fn r_c5_twins_get_nothing_rather_than_split_and_a_later_child_takes_the_place() {
        let applications = [
            waiting(0, Some(1), &[(0, 1)]),
            waiting(1, Some(1), &[(0, 1)]),
            waiting(2, None, &[(0, 1)]),
        ];
        let outcome = allocate(&applications, &[vec![5]]);
        assert_eq!(outcome.directions, [direction(2, 5, 0, 1)]);
        assert_eq!(outcome.unplaced, 2);
    }

    #[test]
    fn r_c5_twins_keep_the_earliest_position_and_share_only_orgs_both_may_take() {
        // Twin 3 may not take org 0 (say a private org and a child under 3): the group goes to org 1, its
        // earliest member's second choice, ahead of application 1 who wanted org 1 too.
        let applications = [
            waiting(0, Some(4), &[(0, 1), (1, 2)]),
            waiting(1, None, &[(1, 1)]),
            waiting(2, None, &[(0, 1)]),
            waiting(3, Some(4), &[(1, 2)]),
        ];
        let places = [vec![1, 2], vec![3, 4]];
        let outcome = allocate(&applications, &places);
        assert_eq!(
            outcome.directions,
            [
                direction(0, 3, 1, 2),
                direction(3, 4, 1, 2),
                direction(2, 1, 0, 1)
            ]
        );
        assert_eq!(outcome.unplaced, 1);
    }

    #[test]
    fn r_c2_preferences_for_unknown_orgs_find_no_place() {
        let applications = [waiting(0, None, &[(9, 1), (0, 2)])];
        let outcome = allocate(&applications, &[vec![1]]);
        assert_eq!(outcome.directions, [direction(0, 1, 0, 2)]);
    }

    proptest! {
        #[test]
        fn r_c2_allocation_equals_brute_force_serial_dictatorship((applications, places) in city()) {
            prop_assert_eq!(allocate(&applications, &places), brute_force(&applications, &places));
        }

        /// Every direction names a place of its org that was free, each place at most once; every application is
        /// either directed once or counted unplaced.
        #[test]
        fn r_c2_every_place_is_used_at_most_once((applications, places) in city()) {
            let outcome = allocate(&applications, &places);
            let mut used = std::collections::BTreeSet::new();
            for d in &outcome.directions {
                prop_assert!(places[d.org].contains(&d.place_id));
                prop_assert!(used.insert(d.place_id));
                prop_assert_eq!(
                    Some(d.rank),
                    rank_of(&applications[d.application].preferences, d.org)
                );
            }
            let directed: std::collections::BTreeSet<usize> =
                outcome.directions.iter().map(|d| d.application).collect();
            prop_assert_eq!(directed.len(), outcome.directions.len());
            prop_assert_eq!(directed.len() + outcome.unplaced, applications.len());
        }

        /// R-C5: the members of a group are all directed, to one org that every member listed, or none is.
        #[test]
        fn r_c5_groups_are_placed_all_or_none_in_one_org((applications, places) in city()) {
            let outcome = allocate(&applications, &places);
            let got = got(&applications, &outcome);
            let leaders = leaders(&applications);
            for i in 0..applications.len() {
                let group = group_of(&leaders, leaders[i]);
                let orgs: Vec<Option<usize>> = group.iter().map(|&m| got[m]).collect();
                prop_assert!(orgs.iter().all(|o| *o == orgs[0]), "group {:?} got {:?}", group, orgs);
                if let Some(org) = orgs[0] {
                    for &m in &group {
                        prop_assert!(rank_of(&applications[m].preferences, org).is_some());
                    }
                }
            }
        }

        /// No envy, stated exactly. Serve a group of m children (m = 1 for an application alone) with the
        /// earliest member's ranking over the orgs every member listed. Then for every such org it ranks above
        /// what it got (or any, if it got nothing), the places of that org that later applications took plus
        /// those left free at the end are fewer than m. For m = 1: nobody prefers an org where a later
        /// application got a place or a place stayed free. A group may still envy a later child who took the one
        /// place it could not split.
        #[test]
        fn r_c2_r_c5_nobody_envies_a_later_application((applications, places) in city()) {
            let outcome = allocate(&applications, &places);
            let got = got(&applications, &outcome);
            let leaders = leaders(&applications);
            for u in (0..applications.len()).filter(|&i| leaders[i] == i) {
                let group = group_of(&leaders, u);
                let own = &applications[u].preferences;
                let got_rank = got[u].and_then(|org| rank_of(own, org));
                for p in own {
                    let shared = group.iter().all(|&m| rank_of(&applications[m].preferences, p.org).is_some());
                    if !shared || got_rank.is_some_and(|r| r <= p.rank) {
                        continue;
                    }
                    let taken_later = outcome
                        .directions
                        .iter()
                        .filter(|d| d.org == p.org && leaders[d.application] > u)
                        .count();
                    let left = places.get(p.org).map_or(0, |ids| ids.len())
                        - outcome.directions.iter().filter(|d| d.org == p.org).count();
                    prop_assert!(
                        taken_later + left < group.len(),
                        "{} (group of {}) got rank {:?} but org {} (rank {}) had {} later + {} left",
                        u, group.len(), got_rank, p.org, p.rank, taken_later, left
                    );
                }
            }
        }

        /// Strategy-proofness: an application alone, or the earliest member of a group, that reports any other
        /// ranking (a permutation, a subset, other orgs) never gets an org it truly ranks higher.
        #[test]
        fn r_c2_truthful_ranking_is_always_best(
            (applications, places) in city(),
            liar in any::<prop::sample::Index>(),
            lie in vec((0usize..7, any::<u8>()), 0..6),
        ) {
            prop_assume!(!applications.is_empty());
            let leaders = leaders(&applications);
            let liar = leaders[liar.index(applications.len())];
            let truth = applications[liar].preferences.clone();
            let mut reported = applications.clone();
            let mut lie = lie;
            lie.sort_by_key(|l| l.1);
            lie.dedup_by_key(|l| l.0);
            reported[liar].preferences = lie
                .iter()
                .enumerate()
                .map(|(r, &(org, _))| Preference { org, rank: r as u32 + 1 })
                .collect();
            // Under the true ranking; an unlisted org or nothing is worse than every listed org.
            let value = |outcome: &Allocation<usize>| {
                got(&applications, outcome)[liar].and_then(|org| rank_of(&truth, org)).unwrap_or(u32::MAX)
            };
            let honest = value(&allocate(&applications, &places));
            let lying = value(&allocate(&reported, &places));
            prop_assert!(honest <= lying, "truth gives rank {}, the lie {}", honest, lying);
        }
    }

    /// R-C7's figure, by hand: `cargo test --release --lib domain::allocation::tests::r_c7_speed -- --ignored
    /// --nocapture`. 100,000 applications with 4 preferences each over 20,000 places in 500 orgs.
    #[test]
    #[ignore]
    fn r_c7_speed_of_100k_applications_over_20k_places() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut random = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let orgs = 500;
        let mut places = vec![Vec::new(); orgs];
        for id in 0..20_000u64 {
            places[random(orgs as u64) as usize].push(id);
        }
        let applications: Vec<WaitingApplication<u64, u64>> = (0..100_000u64)
            .map(|key| WaitingApplication {
                key,
                sibling_group: (key % 50 == 0).then_some(key / 100),
                preferences: (1..=4)
                    .map(|rank| Preference {
                        org: random(orgs as u64) as usize,
                        rank,
                    })
                    .collect(),
            })
            .collect();
        let runs = 20;
        let start = std::time::Instant::now();
        let mut placed = 0;
        for _ in 0..runs {
            placed += std::hint::black_box(allocate(&applications, &places))
                .directions
                .len();
        }
        let each = start.elapsed() / runs;
        eprintln!(
            "100k x 4 over 20k places: {each:?} per allocation, {} placed",
            placed / runs as usize
        );
    }
}
