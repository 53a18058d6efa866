//! Whether a text is canonical JSON (R-V1), decided by one scan of its bytes, with no parse and no allocation
//! per value: the check `audit public` runs over every line of a publication (hundreds of megabytes for a
//! city's import). It decides the texts kezek writes: integers, strings, `true`, `false`, `null`, arrays and
//! objects whose keys need no escape. What it cannot decide alone (a number with a fraction or an exponent, or
//! one of 19 digits or more, an escaped key, nesting deeper than 100) it leaves to the parsing check
//! (`canonical::is_canonical`), which is the definition.

/// `Some(true)` when `text` is canonical, `Some(false)` when it is not, `None` when the parsing check must say.
pub fn scan(text: &str) -> Option<bool> {
    let mut s = Scan {
        b: text.as_bytes(),
        at: 0,
    };
    match s.value(0) {
        Ok(()) => Some(s.at == s.b.len()),
        Err(Verdict::No) => Some(false),
        Err(Verdict::Unsure) => None,
    }
}

/// Why a scan stopped early.
enum Verdict {
    /// The text is not canonical.
    No,
    /// The scan cannot tell: the parsing check decides.
    Unsure,
}

use Verdict::{No, Unsure};

/// Deeper than this, the parser's own limit (128) is near: the parsing check decides.
const DEPTH: u32 = 100;

struct Scan<'t> {
    b: &'t [u8],
    at: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    fn take(&mut self, byte: u8) -> Result<(), Verdict> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(No)
        }
    }

    fn value(&mut self, depth: u32) -> Result<(), Verdict> {
        if depth > DEPTH {
            return Err(Unsure);
        }
        match self.peek().ok_or(No)? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(|_| ()),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(No),
        }
    }

    fn word(&mut self, word: &[u8]) -> Result<(), Verdict> {
        if self.b[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(No)
        }
    }

    /// An integer as `serde_json` writes an `i64` or a `u64`: no sign but `-`, no leading zero, no `-0`.
    fn number(&mut self) -> Result<(), Verdict> {
        let negative = self.peek() == Some(b'-');
        self.at += usize::from(negative);
        let digits = self.b[self.at..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let first = self.peek();
        self.at += digits;
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) || digits >= 19 {
            // A fraction, an exponent, or an integer near the limits of 64 bits: how it reads back is the
            // parser's to say.
            return Err(Unsure);
        }
        match (digits, first) {
            (0, _) => Err(No),
            (1, Some(b'0')) if negative => Err(No),
            (2.., Some(b'0')) => Err(No),
            _ => Ok(()),
        }
    }

    /// A string as `serde_json` writes it: `"` and `\` escaped, the five control characters that have a short
    /// escape written with it, the other control characters as `\u00xx` (lower-case hex), nothing else escaped.
    /// Returns the string's raw text (between the quotes) and whether it holds an escape.
    fn string(&mut self) -> Result<(usize, usize, bool), Verdict> {
        self.take(b'"')?;
        let start = self.at;
        let mut escaped = false;
        loop {
            let rest = &self.b[self.at..];
            let plain = super::json_plain::plain_run(rest).ok_or(No)?;
            self.at += plain;
            match self.b[self.at] {
                b'"' => {
                    self.at += 1;
                    return Ok((start, self.at - 1, escaped));
                }
                b'\\' => {
                    escaped = true;
                    let next = self.b.get(self.at + 1).copied().ok_or(No)?;
                    match next {
                        b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 2,
                        b'u' => {
                            let hex = self.b.get(self.at + 2..self.at + 6).ok_or(No)?;
                            let code = match hex {
                                [b'0', b'0', hi @ (b'0' | b'1'), lo] => {
                                    let lo = match lo {
                                        b'0'..=b'9' => lo - b'0',
                                        b'a'..=b'f' => lo - b'a' + 10,
                                        _ => return Err(No),
                                    };
                                    (hi - b'0') * 16 + lo
                                }
                                _ => return Err(No),
                            };
                            // The control characters with a short escape are written with it.
                            if matches!(code, 0x08 | 0x09 | 0x0a | 0x0c | 0x0d) {
                                return Err(No);
                            }
                            self.at += 6;
                        }
                        _ => return Err(No),
                    }
                }
                _ => return Err(No),
            }
        }
    }

    fn array(&mut self, depth: u32) -> Result<(), Verdict> {
        self.take(b'[')?;
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.value(depth + 1)?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(No),
            }
        }
    }

    /// An object whose keys come in strictly increasing byte order (so none twice).
    fn object(&mut self, depth: u32) -> Result<(), Verdict> {
        self.take(b'{')?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(());
        }
        let mut previous: Option<(usize, usize)> = None;
        loop {
            let (start, end, escaped) = self.string()?;
            if escaped {
                // Keys are ordered by their bytes once unescaped.
                return Err(Unsure);
            }
            if let Some((p, q)) = previous {
                if self.b[p..q] >= self.b[start..end] {
                    return Err(No);
                }
            }
            previous = Some((start, end));
            self.take(b':')?;
            self.value(depth + 1)?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(No),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::canonical::tests::{json_value, NOT_CANONICAL};
    use crate::domain::canonical::{canonical, parses_canonical};
    use proptest::prelude::*;

    #[test]
    fn r_v1_the_scan_refuses_what_is_not_canonical_and_defers_what_it_cannot_tell() {
        for text in NOT_CANONICAL {
            assert_ne!(scan(text), Some(true), "{text}");
        }
        for text in [
            r#" [1]"#,
            r#""\u000a""#,
            r#""\u001F""#,
            "\"tab\there\"",
            r#"01"#,
            r#"-01"#,
            r#"+1"#,
            r#"[,]"#,
            r#"tru"#,
            r#"nulls"#,
            r#""open"#,
        ] {
            assert_eq!(scan(text), Some(false), "{text}");
            assert!(!parses_canonical(text), "{text}");
        }
        for text in [
            r#"{"a":[1,{"b":null,"c":"\n"}],"b":true}"#,
            "[]",
            "{}",
            r#""é""#,
            r#""\u001f\b""#,
            "-5",
            "0",
            "123456789012345678",
        ] {
            assert_eq!(scan(text), Some(true), "{text}");
        }
        for text in ["1.5", "1E2", "1234567890123456789", r#"{"\n":1}"#] {
            assert_eq!(scan(text), None, "{text}");
        }
        let deep = format!("{}{}", "[".repeat(150), "]".repeat(150));
        assert_eq!(scan(&deep), None);
    }

    /// A text changed in one place: a byte replaced by one of JSON's own, or taken out.
    fn changed(text: &str, at: usize, byte: u8, remove: bool) -> Option<String> {
        let mut bytes = text.as_bytes().to_vec();
        if bytes.is_empty() {
            return None;
        }
        let at = at % bytes.len();
        if remove {
            bytes.remove(at);
        } else {
            const JSON: &[u8] = b" \"\\,:{}[]0-1.eu\nnt";
            bytes[at] = JSON[usize::from(byte) % JSON.len()];
        }
        String::from_utf8(bytes).ok()
    }

    proptest! {
        /// Whenever the scan decides, it says what the parsing check says: of canonical texts, of texts written
        /// otherwise, and of texts changed in one place.
        #[test]
        fn r_v1_the_scan_agrees_with_the_parsing_check(
            v in json_value(),
            at in any::<usize>(),
            byte in any::<u8>(),
            remove in any::<bool>(),
        ) {
            let text = canonical(&v);
            prop_assert_ne!(scan(&text), Some(false), "{}", text);
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            let mut texts = vec![pretty, serde_json::to_string(&v).unwrap()];
            texts.extend(changed(&text, at, byte, remove));
            for t in texts {
                if let Some(verdict) = scan(&t) {
                    prop_assert_eq!(verdict, parses_canonical(&t), "{}", t);
                }
            }
        }
    }
}
