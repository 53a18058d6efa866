//! Queue order and positions (R-Q1, R-Q2).
//!
//! Within one queue (queue type and group year) every `out_of_turn` application comes first, by registration;
//! then `first_priority` and `general` interleave, one first-priority for every `k` general ones
//! (F1, G1..Gk, F2, Gk+1..G2k, F3, …), each class in registration order; when one class runs out the other
//! continues alone. Positions follow in closed form from the three class sizes and the application's rank in
//! its own class, so they are exact at every moment without walking the queue.

use crate::domain::category::PriorityClass;

/// How many applications of each class wait in one queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassCounts {
    pub out_of_turn: u64,
    pub first_priority: u64,
    pub general: u64,
}

impl ClassCounts {
    pub fn get(&self, class: PriorityClass) -> u64 {
        match class {
            PriorityClass::OutOfTurn => self.out_of_turn,
            PriorityClass::FirstPriority => self.first_priority,
            PriorityClass::General => self.general,
        }
    }

    pub fn total(&self) -> u64 {
        self.out_of_turn + self.first_priority + self.general
    }
}

/// The 1-based queue position of the application of `class` whose 1-based rank in its class is `rank`.
/// `k` is `general_per_first_priority`.
pub fn position(class: PriorityClass, rank: u64, counts: &ClassCounts, k: u64) -> u64 {
    debug_assert!(rank >= 1 && k >= 1);
    let o = counts.out_of_turn;
    match class {
        PriorityClass::OutOfTurn => rank,
        // F_i comes after F_1..F_{i-1} and after the generals G_j with j <= (i-1)k.
        PriorityClass::FirstPriority => o + (rank - 1) + ((rank - 1) * k).min(counts.general) + 1,
        // G_j comes after G_1..G_{j-1} and after the first-priority F_i with (i-1)k < j.
        PriorityClass::General => {
            o + (rank - 1) + ((rank - 1) / k + 1).min(counts.first_priority) + 1
        }
    }
}

/// The class position (номер по льготной категории): the rank within the class, 0 for `general`.
pub fn class_position(class: PriorityClass, rank: u64) -> u64 {
    match class {
        PriorityClass::General => 0,
        _ => rank,
    }
}

/// Merges the three classes, each already in registration order, into queue order.
pub fn interleave<T>(
    out_of_turn: impl Iterator<Item = T>,
    first: impl Iterator<Item = T>,
    general: impl Iterator<Item = T>,
    k: u64,
) -> impl Iterator<Item = T> {
    out_of_turn.chain(Interleave {
        first: first.peekable(),
        general: general.peekable(),
        k,
        generals_since_first: None,
    })
}

struct Interleave<F: Iterator, G: Iterator> {
    first: std::iter::Peekable<F>,
    general: std::iter::Peekable<G>,
    k: u64,
    /// `None` until the first first-priority is due; then how many generals followed the last one.
    generals_since_first: Option<u64>,
}

impl<T, F: Iterator<Item = T>, G: Iterator<Item = T>> Iterator for Interleave<F, G> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let first_due = match self.generals_since_first {
            None => true,
            Some(n) => n >= self.k,
        };
        if (first_due || self.general.peek().is_none()) && self.first.peek().is_some() {
            self.generals_since_first = Some(0);
            return self.first.next();
        }
        let g = self.general.next()?;
        if let Some(n) = self.generals_since_first.as_mut() {
            *n += 1;
        }
        Some(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use PriorityClass::*;

    /// The order by the rule's own words: OOT first; then F1, G1..Gk, F2, … built by brute force.
    fn brute_force(classes: &[PriorityClass], k: usize) -> Vec<usize> {
        let of = |c: PriorityClass| -> Vec<usize> {
            (0..classes.len()).filter(|&i| classes[i] == c).collect()
        };
        let (o, f, g) = (of(OutOfTurn), of(FirstPriority), of(General));
        let mut order = o;
        let (mut fi, mut gi) = (0, 0);
        while fi < f.len() || gi < g.len() {
            if fi < f.len() {
                order.push(f[fi]);
                fi += 1;
            }
            for _ in 0..k {
                if gi < g.len() {
                    order.push(g[gi]);
                    gi += 1;
                }
            }
            if fi < f.len() && gi >= g.len() {
                order.extend(&f[fi..]);
                fi = f.len();
            }
        }
        order
    }

    fn counts(classes: &[PriorityClass]) -> ClassCounts {
        ClassCounts {
            out_of_turn: classes.iter().filter(|c| **c == OutOfTurn).count() as u64,
            first_priority: classes.iter().filter(|c| **c == FirstPriority).count() as u64,
            general: classes.iter().filter(|c| **c == General).count() as u64,
        }
    }

    fn by_formula(classes: &[PriorityClass], k: u64) -> Vec<u64> {
        let c = counts(classes);
        let mut seen = [0u64; 3];
        classes
            .iter()
            .map(|&class| {
                seen[class as usize] += 1;
                position(class, seen[class as usize], &c, k)
            })
            .collect()
    }

    #[test]
    fn r_q2_one_first_priority_for_every_three_general() {
        // Registration order: G1 G2 F1 G3 G4 F2 G5 O1
        let classes = [
            General,
            General,
            FirstPriority,
            General,
            General,
            FirstPriority,
            General,
            OutOfTurn,
        ];
        let order = brute_force(&classes, 3);
        // O1, F1, G1, G2, G3, F2, G4, G5
        assert_eq!(order, vec![7, 2, 0, 1, 3, 5, 4, 6]);
        assert_eq!(by_formula(&classes, 3), vec![3, 4, 2, 5, 7, 6, 8, 1]);
        let labels = ["G1", "G2", "F1", "G3", "G4", "F2", "G5", "O1"];
        let merged: Vec<&str> = interleave(
            [7].into_iter().map(|i| labels[i]),
            [2, 5].into_iter().map(|i| labels[i]),
            [0, 1, 3, 4, 6].into_iter().map(|i| labels[i]),
            3,
        )
        .collect();
        assert_eq!(merged, ["O1", "F1", "G1", "G2", "G3", "F2", "G4", "G5"]);
    }

    #[test]
    fn r_q2_when_general_runs_out_first_priority_continues_alone() {
        let classes = [FirstPriority, FirstPriority, FirstPriority, General];
        assert_eq!(by_formula(&classes, 3), vec![1, 3, 4, 2]);
    }

    #[test]
    fn r_q2_class_position_is_zero_for_general() {
        assert_eq!(class_position(General, 5), 0);
        assert_eq!(class_position(FirstPriority, 5), 5);
    }

    fn class_strategy() -> impl Strategy<Value = PriorityClass> {
        prop_oneof![1 => Just(OutOfTurn), 3 => Just(FirstPriority), 8 => Just(General)]
    }

    proptest! {
        #[test]
        fn r_q2_positions_agree_with_brute_force_order(
            classes in proptest::collection::vec(class_strategy(), 0..200),
            k in 1u64..6,
        ) {
            let order = brute_force(&classes, k as usize);
            let formula = by_formula(&classes, k);
            let mut expected = vec![0u64; classes.len()];
            for (pos, &i) in order.iter().enumerate() {
                expected[i] = pos as u64 + 1;
            }
            prop_assert_eq!(&formula, &expected);
            let cl = &classes;
            let of = |c: PriorityClass| (0..cl.len()).filter(move |&i| cl[i] == c);
            let merged: Vec<usize> = interleave(of(OutOfTurn), of(FirstPriority), of(General), k).collect();
            prop_assert_eq!(merged, order);
        }
    }
}
