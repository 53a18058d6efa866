//! The R-Q7 numbers of one imported file, one bit each: a queue type, a year and a sequence of at most 999,999
//! (`T.YYYY.NNNNNN.1`, the only shape `parse_number` accepts). A file of ten million rows that keep their
//! numbers takes at most 125 KB per queue type and year it uses, where a map took about 40 bytes a number,
//! 200 MB at ten million (R-O2).

use std::collections::HashMap;

use crate::domain::application::QueueType;

/// Sequences per year: 1 to 999,999, bit `seq` of a year's words.
const WORDS: usize = 1_000_000usize.div_ceil(64);

/// A set of numbers, one bitmap per queue type and year.
#[derive(Default)]
pub(super) struct NumberBits {
    years: HashMap<(QueueType, i32), Box<[u64]>>,
}

impl NumberBits {
    /// Adds a number; false when it was there already.
    pub fn insert(&mut self, queue_type: QueueType, year: i32, seq: u32) -> bool {
        let words = self
            .years
            .entry((queue_type, year))
            .or_insert_with(|| vec![0; WORDS].into_boxed_slice());
        let (word, bit) = (seq as usize / 64, 1u64 << (seq % 64));
        let new = words[word] & bit == 0;
        words[word] |= bit;
        new
    }

    /// How many numbers it holds.
    pub fn count(&self) -> u64 {
        self.years
            .values()
            .flat_map(|words| words.iter())
            .map(|w| u64::from(w.count_ones()))
            .sum()
    }

    pub fn contains(&self, queue_type: QueueType, year: i32, seq: u32) -> bool {
        self.years
            .get(&(queue_type, year))
            .is_some_and(|words| words[seq as usize / 64] & (1u64 << (seq % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The bits answer as a set of the same numbers does, at the edges of a year's sequences too.
        #[test]
        fn number_bits_are_a_set(
            numbers in proptest::collection::vec(
                (any::<bool>(), 2019i32..2023, prop_oneof![1u32..200, 999_800u32..=999_999]),
                0..400,
            ),
            probes in proptest::collection::vec(
                (any::<bool>(), 2019i32..2023, prop_oneof![1u32..200, 999_800u32..=999_999]),
                0..100,
            ),
        ) {
            let qt = |s: bool| if s { QueueType::Sanatorium } else { QueueType::General };
            let (mut bits, mut set) = (NumberBits::default(), HashSet::new());
            for &(s, year, seq) in &numbers {
                prop_assert_eq!(bits.insert(qt(s), year, seq), set.insert((s, year, seq)));
            }
            for &(s, year, seq) in numbers.iter().chain(&probes) {
                prop_assert_eq!(bits.contains(qt(s), year, seq), set.contains(&(s, year, seq)));
            }
        }
    }
}
