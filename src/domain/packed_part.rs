//! A part of a public record as the database keeps it (R-V1): its text compressed as one LZ4 block, the text's
//! length first (four bytes, little-endian), as `lz4_flex` writes it. A record's canonical JSON repeats its keys
//! and words row after row and packs to a tenth of its bytes or less, and those bytes are most of what an
//! import or a night writes besides the rows themselves. The text is what the public log is made of: the leaf
//! hash, the publication and every check read the unpacked text; a part that earlier versions stored as text
//! reads as it is.

/// The most a packed part may claim to unpack to: a part holds 64 KiB and at most one row more, so anything near
/// this is a damaged or forged length, refused before any memory is set aside for it.
pub const MAX_PART_BYTES: usize = 16 << 20;

/// The stored form of a part's text.
pub fn pack(text: &str) -> Vec<u8> {
    lz4_flex::block::compress_prepend_size(text.as_bytes())
}

/// Why a stored part does not unpack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpacked {
    /// Fewer bytes than the length.
    Short,
    /// A length over [`MAX_PART_BYTES`].
    TooLong(usize),
    /// The block is not LZ4, or does not fill the length.
    Damaged,
    /// The bytes are not UTF-8.
    NotText,
}

/// The text of a stored part.
pub fn unpack(bytes: &[u8]) -> Result<String, Unpacked> {
    let (length, block) = bytes.split_first_chunk::<4>().ok_or(Unpacked::Short)?;
    let length = u32::from_le_bytes(*length) as usize;
    if length > MAX_PART_BYTES {
        return Err(Unpacked::TooLong(length));
    }
    let mut text = vec![0; length];
    match lz4_flex::block::decompress_into(block, &mut text) {
        Ok(written) if written == length && last_token_is_plain(block) => {}
        _ => return Err(Unpacked::Damaged),
    }
    String::from_utf8(text).map_err(|_| Unpacked::NotText)
}

/// Whether the block's last sequence, which ends in literals and has no match, says so: the low half of its
/// token (a match length) is zero, as every LZ4 encoder writes it. The decoder ignores those four bits, so a
/// changed bit there would otherwise unpack to the very text it was packed from and go unnoticed.
fn last_token_is_plain(block: &[u8]) -> bool {
    last_token(block).is_some_and(|token| token & 0x0F == 0)
}

/// The token of the block's last sequence, walking the sequences (token, literals, offset, match), or None when
/// they do not end exactly at the block's end.
fn last_token(block: &[u8]) -> Option<u8> {
    // A length whose four bits are all ones goes on in bytes, up to one that is not 255.
    let extended = |at: &mut usize, mut n: usize| -> Option<usize> {
        loop {
            let b = *block.get(*at)?;
            *at += 1;
            n += usize::from(b);
            if b != 255 {
                return Some(n);
            }
        }
    };
    let mut at = 0;
    loop {
        let token = *block.get(at)?;
        at += 1;
        let literals = match usize::from(token >> 4) {
            15 => extended(&mut at, 15)?,
            n => n,
        };
        at += literals;
        if at >= block.len() {
            return (at == block.len()).then_some(token);
        }
        at += 2;
        if token & 0x0F == 15 {
            extended(&mut at, 15)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// What is packed unpacks to the same text, whatever the text.
        #[test]
        fn r_v1_a_packed_part_unpacks_to_its_text(text in "\\PC{0,3000}", repeat in 1usize..40) {
            let text = text.repeat(repeat);
            prop_assert_eq!(unpack(&pack(&text)), Ok(text));
        }

        /// A changed byte of a packed part never unpacks to its text unnoticed: it is refused, or it unpacks
        /// to other text (which the record's check then refuses). The last token's unused match length, which
        /// the decoder ignores, is checked by `unpack` itself.
        #[test]
        fn r_v1_a_damaged_packed_part_does_not_unpack_to_its_text(
            text in "[a-z\":,{}0-9]{1,2000}",
            at in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let mut packed = pack(&text);
            let i = at.index(packed.len());
            packed[i] ^= flip;
            prop_assert_ne!(unpack(&packed), Ok(text));
        }
    }

    #[test]
    fn r_v1_a_changed_unused_match_length_in_the_last_token_is_refused() {
        let text = "94f}t\"\",\"\"{d\",\"5}5},77n,\"qw}},8}0}9b,x,,,\",,9\"d";
        let packed = pack(text);
        assert_eq!(unpack(&packed), Ok(text.to_string()));
        let last = (4..packed.len())
            .rev()
            .find(|&i| {
                let mut changed = packed.clone();
                changed[i] ^= 0x0C;
                lz4_flex::block::decompress_size_prepended(&changed)
                    .ok()
                    .as_deref()
                    == Some(text.as_bytes())
            })
            .expect("the last token's low half is ignored by the decoder");
        let mut changed = packed;
        changed[last] ^= 0x0C;
        assert_eq!(unpack(&changed), Err(Unpacked::Damaged));
    }

    #[test]
    fn r_v1_a_packed_part_claiming_too_much_is_refused_before_it_is_unpacked() {
        let mut packed = pack("{\"seq\":1}");
        packed[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(unpack(&packed), Err(Unpacked::TooLong(u32::MAX as usize)));
        assert_eq!(unpack(&[1, 0]), Err(Unpacked::Short));
    }

    #[test]
    fn a_record_s_json_packs_to_a_fraction_of_its_bytes() {
        let row = r#"{"fields":{"expired_count":0,"group_year":2021,"number":"DDO.2021.000001.1","priority_class":"general","queue_type":"general","registered_at":"2021-03-17T13:33:49+06:00","status":"queued"},"key":"DDO.2021.000001.1","table":"application"}"#;
        let text = (0..300)
            .map(|i| row.replace("000001", &format!("{i:06}")))
            .collect::<Vec<_>>()
            .join(",");
        assert!(
            pack(&text).len() * 5 < text.len(),
            "{} of {}",
            pack(&text).len(),
            text.len()
        );
    }
}
