//! The plain run of a JSON string: how many bytes from here hold no `"`, no `\` and no control character, the
//! bytes a string's text is made of until its end or its next escape. Eight bytes are tested at a time (the
//! scans of `audit public` spend most of their time inside strings); the lowest flagged byte of a word is the
//! first one, as the borrow of the subtraction only ever runs towards higher bytes.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The index of the first byte of `bytes` that is `"`, `\` or below 0x20, if any.
pub fn plain_run(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let flagged = zero_byte(x ^ (ONES * u64::from(b'"')))
            | zero_byte(x ^ (ONES * u64::from(b'\\')))
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGHS);
        if flagged != 0 {
            return Some(at + (flagged.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&c| special(c))
        .map(|i| at + i)
}

/// The high bit of each byte of `x` that is zero (and perhaps of bytes above one that is).
fn zero_byte(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

fn special(c: u8) -> bool {
    c == b'"' || c == b'\\' || c < 0x20
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plainly(bytes: &[u8]) -> Option<usize> {
        bytes.iter().position(|&c| special(c))
    }

    proptest! {
        /// R-V1: the word-wise scan finds the byte the byte-wise one finds, wherever it is.
        #[test]
        fn r_v1_the_plain_run_ends_where_a_byte_by_byte_scan_ends(
            bytes in proptest::collection::vec(prop_oneof![
                4 => 0x20u8..0x7f,
                1 => 0x80u8..=0xff,
                1 => Just(b'"'),
                1 => Just(b'\\'),
                1 => 0u8..0x20,
            ], 0..40),
            start in 0usize..8,
        ) {
            let bytes = &bytes[start.min(bytes.len())..];
            prop_assert_eq!(plain_run(bytes), plainly(bytes));
        }
    }

    #[test]
    fn every_byte_value_in_every_place_of_a_word() {
        for c in 0..=255u8 {
            for place in 0..16 {
                let mut bytes = vec![b'a'; 16];
                bytes[place] = c;
                assert_eq!(plain_run(&bytes), plainly(&bytes), "byte {c:#x} at {place}");
                // Among bytes of multi-byte characters (high bit set), which are plain.
                let mut utf8 = vec![0xd0; 16];
                utf8[place] = c;
                assert_eq!(
                    plain_run(&utf8),
                    plainly(&utf8),
                    "byte {c:#x} at {place} among 0xd0"
                );
            }
        }
    }
}
