//! Exchange of places between enrolled children (R-C4): Top Trading Cycles in queue order.
//!
//! The participants are the transfer applications of one pool (same group year and place type), in queue
//! order; each holds one place and ranks other organizations, any of which it would rather have than stay.
//! Every remaining participant points to the earliest remaining participant holding a place in its
//! best-ranked organization that a remaining participant holds; one with no such organization points to
//! itself. From the earliest remaining participant the pointers are followed until they close a cycle; the
//! cycle is carried out (each member takes the place of the one it points to) and its members leave; a
//! participant pointing to itself leaves keeping its place. This repeats until nobody remains.
//!
//! The outcome is individually rational (nobody gets an organization outside its list) and Pareto efficient
//! among the reassignments of the held places: nobody can be made better off without someone worse off.

use super::allocation::Preference;

/// A place: its organization (a dense index, as in allocation) and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub org: usize,
    pub id: u64,
}

/// A transfer application of an enrolled child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant<K> {
    pub key: K,
    /// The place the child holds now.
    pub holds: Place,
    /// The organizations it would move to, with the family's ranks (gaps allowed), in any order. Its own
    /// organization is never a move and is ignored if listed.
    pub preferences: Vec<Preference>,
}

/// One member's part in a cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trade<K> {
    pub participant: K,
    pub gives: Place,
    pub gets: Place,
    /// The participant's rank of the organization of `gets`.
    pub rank: u32,
}

/// A cycle carried out at once: each member gets the place the next one gives, the last the first one's. It
/// starts with its member earliest in queue order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle<K> {
    pub trades: Vec<Trade<K>>,
}

/// R-C4: the cycles of Top Trading Cycles among `participants` (in queue order), in the order found. Those
/// who leave keeping their place appear in no cycle.
pub fn top_trading_cycles<K: Clone>(participants: &[Participant<K>]) -> Vec<Cycle<K>> {
    let n = participants.len();
    let orgs = participants
        .iter()
        .map(|p| p.holds.org + 1)
        .max()
        .unwrap_or(0);
    // holders[org]: who holds a place there, in queue order; head[org] skips those who left.
    let mut holders: Vec<Vec<usize>> = vec![Vec::new(); orgs];
    for (i, p) in participants.iter().enumerate() {
        holders[p.holds.org].push(i);
    }
    let mut head = vec![0usize; orgs];
    // Each participant's wanted orgs by rank, in one list; at[i] walks its slice and only moves forward: an org
    // nobody remaining holds never gets a holder back.
    let mut ranked: Vec<Preference> =
        Vec::with_capacity(participants.iter().map(|p| p.preferences.len()).sum());
    let mut at = Vec::with_capacity(n);
    let mut end = Vec::with_capacity(n);
    for p in participants {
        let start = ranked.len();
        ranked.extend(
            p.preferences
                .iter()
                .filter(|q| q.org != p.holds.org && q.org < orgs),
        );
        ranked[start..].sort_by_key(|q| q.rank);
        at.push(start);
        end.push(ranked.len());
    }

    let mut gone = vec![false; n];
    let mut on_path = vec![false; n];
    // The path of pointers followed from the earliest remaining participant, and where each step points.
    let mut path: Vec<usize> = Vec::new();
    let mut points_to: Vec<(usize, u32)> = vec![(0, 0); n];
    let mut earliest = 0;
    let mut cycles = Vec::new();
    loop {
        let Some(&current) = path.last() else {
            while earliest < n && gone[earliest] {
                earliest += 1;
            }
            if earliest == n {
                break;
            }
            path.push(earliest);
            on_path[earliest] = true;
            continue;
        };
        // Where `current` points now: the earliest remaining holder in its best org still held, or itself.
        let mut target = (current, 0);
        while at[current] < end[current] {
            let want = ranked[at[current]];
            let hs = &holders[want.org];
            while head[want.org] < hs.len() && gone[hs[head[want.org]]] {
                head[want.org] += 1;
            }
            if let Some(&h) = hs.get(head[want.org]) {
                target = (h, want.rank);
                break;
            }
            at[current] += 1;
        }
        points_to[current] = target;
        let next = target.0;
        if !on_path[next] {
            path.push(next);
            on_path[next] = true;
            continue;
        }
        // The pointers closed a cycle: from `next` to the end of the path. The rest of the path remains, and
        // only its last member's pointer (into the cycle) needs looking at again.
        let from = path.iter().rposition(|&i| i == next).unwrap_or(0);
        let mut members: Vec<usize> = path.drain(from..).collect();
        for &m in &members {
            gone[m] = true;
            on_path[m] = false;
        }
        if members.len() > 1 {
            let first = (0..members.len()).min_by_key(|&k| members[k]).unwrap_or(0);
            members.rotate_left(first);
            cycles.push(Cycle {
                trades: members
                    .iter()
                    .map(|&m| {
                        let (to, rank) = points_to[m];
                        Trade {
                            participant: participants[m].key.clone(),
                            gives: participants[m].holds,
                            gets: participants[to].holds,
                            rank,
                        }
                    })
                    .collect(),
            });
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;

    fn participant(key: usize, org: usize, id: u64, wants: &[(usize, u32)]) -> Participant<usize> {
        Participant {
            key,
            holds: Place { org, id },
            preferences: wants
                .iter()
                .map(|&(org, rank)| Preference { org, rank })
                .collect(),
        }
    }

    fn trade(
        participant: usize,
        gives: (usize, u64),
        gets: (usize, u64),
        rank: u32,
    ) -> Trade<usize> {
        Trade {
            participant,
            gives: Place {
                org: gives.0,
                id: gives.1,
            },
            gets: Place {
                org: gets.0,
                id: gets.1,
            },
            rank,
        }
    }

    /// The participant's rank of an org it would move to (its own org is never one).
    fn rank_of(p: &Participant<usize>, org: usize) -> Option<u32> {
        p.preferences
            .iter()
            .filter(|q| q.org == org && org != p.holds.org)
            .map(|q| q.rank)
            .min()
    }

    /// TTC by the rule's words: every round recomputes every remaining participant's pointer from scratch,
    /// follows them from the earliest remaining one, carries out the cycle found and removes its members.
    fn naive(participants: &[Participant<usize>]) -> Vec<Cycle<usize>> {
        let mut remaining: Vec<usize> = (0..participants.len()).collect();
        let mut cycles = Vec::new();
        while !remaining.is_empty() {
            let pointer = |i: usize| -> (usize, u32) {
                let mut wanted: Vec<(u32, usize)> = remaining
                    .iter()
                    .filter_map(|&h| {
                        rank_of(&participants[i], participants[h].holds.org).map(|r| (r, h))
                    })
                    .collect();
                wanted.sort(); // best rank, then earliest holder
                wanted.first().map_or((i, 0), |&(r, h)| (h, r))
            };
            let mut walk = vec![remaining[0]];
            let start = loop {
                let next = pointer(*walk.last().unwrap()).0;
                if let Some(k) = walk.iter().position(|&w| w == next) {
                    break k;
                }
                walk.push(next);
            };
            let mut members = walk.split_off(start);
            if members.len() > 1 {
                let first = (0..members.len()).min_by_key(|&k| members[k]).unwrap();
                members.rotate_left(first);
                cycles.push(Cycle {
                    trades: members
                        .iter()
                        .map(|&m| {
                            let (to, rank) = pointer(m);
                            Trade {
                                participant: m,
                                gives: participants[m].holds,
                                gets: participants[to].holds,
                                rank,
                            }
                        })
                        .collect(),
                });
            }
            remaining.retain(|r| !members.contains(r));
        }
        cycles
    }

    /// A pool of `0..max` participants over up to five orgs, several holding places in the same org, each
    /// listing up to four orgs (its own org now and then, which must be ignored) in any order with gapped ranks.
    fn pool(max: usize) -> impl Strategy<Value = Vec<Participant<usize>>> {
        let wants = vec((0usize..5, 1u32..3, any::<u8>()), 0..5);
        vec((0usize..5, wants), 0..max).prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(key, (org, raw_wants))| {
                    let mut listed: Vec<(usize, u32, u8)> = Vec::new();
                    let mut rank = 0;
                    for (o, gap, order) in raw_wants {
                        if listed.iter().all(|l| l.0 != o) {
                            rank += gap;
                            listed.push((o, rank, order));
                        }
                    }
                    listed.sort_by_key(|l| l.2);
                    Participant {
                        key,
                        holds: Place {
                            org,
                            id: 100 + key as u64,
                        },
                        preferences: listed
                            .into_iter()
                            .map(|(org, rank, _)| Preference { org, rank })
                            .collect(),
                    }
                })
                .collect()
        })
    }

    /// What each participant ends with: the place it gets in a cycle, or its own.
    fn outcome(participants: &[Participant<usize>], cycles: &[Cycle<usize>]) -> Vec<Place> {
        let mut ends: Vec<Place> = participants.iter().map(|p| p.holds).collect();
        for t in cycles.iter().flat_map(|c| &c.trades) {
            ends[t.participant] = t.gets;
        }
        ends
    }

    /// How much a participant likes ending in `org`: its rank for a listed org, `STAY` for its own org (any
    /// place there is as good as its own), `None` for an org it would not take.
    const STAY: u32 = u32::MAX;
    fn value(p: &Participant<usize>, org: usize) -> Option<u32> {
        if org == p.holds.org {
            Some(STAY)
        } else {
            rank_of(p, org)
        }
    }

    fn permutations(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![vec![]];
        }
        let mut all = Vec::new();
        for rest in permutations(n - 1) {
            for at in 0..n {
                let mut p = rest.clone();
                p.insert(at, n - 1);
                all.push(p);
            }
        }
        all
    }

    #[test]
    fn r_c4_two_children_swap() {
        let cycles = top_trading_cycles(&[
            participant(0, 0, 10, &[(1, 1)]),
            participant(1, 1, 11, &[(2, 1), (0, 2)]),
        ]);
        assert_eq!(
            cycles,
            [Cycle {
                trades: vec![trade(0, (0, 10), (1, 11), 1), trade(1, (1, 11), (0, 10), 2)]
            }]
        );
    }

    #[test]
    fn r_c4_three_children_rotate() {
        // 0 wants 1's org, 1 wants 2's, 2 wants 0's.
        let cycles = top_trading_cycles(&[
            participant(0, 0, 10, &[(1, 1)]),
            participant(1, 1, 11, &[(2, 3)]),
            participant(2, 2, 12, &[(0, 1)]),
        ]);
        assert_eq!(
            cycles,
            [Cycle {
                trades: vec![
                    trade(0, (0, 10), (1, 11), 1),
                    trade(1, (1, 11), (2, 12), 3),
                    trade(2, (2, 12), (0, 10), 1),
                ]
            }]
        );
    }

    #[test]
    fn r_c4_a_chain_that_does_not_close_moves_nobody() {
        let cycles = top_trading_cycles(&[
            participant(0, 0, 10, &[(1, 1)]),
            participant(1, 1, 11, &[(2, 1)]),
            participant(2, 2, 12, &[]),
        ]);
        assert_eq!(cycles, []);
    }

    #[test]
    fn r_c4_the_earliest_holder_of_a_wanted_org_is_pointed_to_and_the_next_after_it_leaves() {
        // 1 and 2 both hold places in org 1; 0 wants org 1 and points to 1, who wants nothing and keeps its
        // place; then 0 points to 2, who wants org 0: they swap.
        let cycles = top_trading_cycles(&[
            participant(0, 0, 10, &[(1, 1)]),
            participant(1, 1, 11, &[]),
            participant(2, 1, 12, &[(0, 2)]),
        ]);
        assert_eq!(
            cycles,
            [Cycle {
                trades: vec![trade(0, (0, 10), (1, 12), 1), trade(2, (1, 12), (0, 10), 2)]
            }]
        );
    }

    #[test]
    fn r_c4_cycles_come_in_the_order_found() {
        // 0 points to 1 (its first choice), 1 to 2, 2 back to 1: the cycle {1, 2} goes first; then 0 falls back
        // on its second choice, 3, who wants 0's org.
        let cycles = top_trading_cycles(&[
            participant(0, 0, 10, &[(1, 1), (3, 2)]),
            participant(1, 1, 11, &[(2, 1)]),
            participant(2, 2, 12, &[(1, 1)]),
            participant(3, 3, 13, &[(0, 1)]),
        ]);
        let members: Vec<Vec<usize>> = cycles
            .iter()
            .map(|c| c.trades.iter().map(|t| t.participant).collect())
            .collect();
        assert_eq!(members, [vec![1, 2], vec![0, 3]]);
    }

    proptest! {
        #[test]
        fn r_c4_exchange_equals_naive_top_trading_cycles(participants in pool(40)) {
            prop_assert_eq!(top_trading_cycles(&participants), naive(&participants));
        }

        /// Each cycle passes its members' places round: what they get is what they give, each member once, and
        /// every participant is in at most one cycle.
        #[test]
        fn r_c4_cycles_pass_places_round(participants in pool(40)) {
            let cycles = top_trading_cycles(&participants);
            let mut seen = std::collections::BTreeSet::new();
            for c in &cycles {
                prop_assert!(c.trades.len() >= 2);
                let mut gives: Vec<u64> = c.trades.iter().map(|t| t.gives.id).collect();
                let mut gets: Vec<u64> = c.trades.iter().map(|t| t.gets.id).collect();
                for (k, t) in c.trades.iter().enumerate() {
                    prop_assert!(seen.insert(t.participant));
                    prop_assert_eq!(t.gets, c.trades[(k + 1) % c.trades.len()].gives);
                    prop_assert_eq!(t.gives, participants[t.participant].holds);
                }
                gives.sort();
                gets.sort();
                prop_assert_eq!(gives, gets);
            }
        }

        /// Over every reassignment of the held places of a small pool: the outcome is individually rational (a
        /// member of a cycle gets an org from its list at the rank reported; the others keep their own place),
        /// and no individually rational reassignment makes someone better off and nobody worse off.
        #[test]
        fn r_c4_exchange_is_individually_rational_and_pareto_efficient(participants in pool(7)) {
            let cycles = top_trading_cycles(&participants);
            let ends = outcome(&participants, &cycles);
            let got: Vec<u32> = participants
                .iter()
                .zip(&ends)
                .map(|(p, end)| value(p, end.org))
                .collect::<Option<_>>()
                .ok_or_else(|| TestCaseError::fail("someone got an org outside its list"))?;
            for t in cycles.iter().flat_map(|c| &c.trades) {
                prop_assert_eq!(Some(t.rank), rank_of(&participants[t.participant], t.gets.org));
            }
            for sigma in permutations(participants.len()) {
                // participant i ends with the place participant sigma[i] holds
                let other: Option<Vec<u32>> = participants
                    .iter()
                    .zip(&sigma)
                    .map(|(p, &s)| value(p, participants[s].holds.org))
                    .collect();
                let Some(other) = other else { continue }; // not individually rational
                let no_worse = other.iter().zip(&got).all(|(o, g)| o <= g);
                let better = other.iter().zip(&got).any(|(o, g)| o < g);
                prop_assert!(!(no_worse && better), "{:?} dominates the outcome {:?}", sigma, ends);
            }
        }
    }
}
