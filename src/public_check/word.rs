//! A word the replay keeps for every application (its queue type, priority class and status): one of kezek's
//! own words is kept as a reference to it, anything else a log holds as its own text. A million applications
//! then hold no text of their own but their number and registration time, which is what makes `audit public`
//! quick to fill and to free.

use std::fmt;
use std::ops::Deref;

use crate::domain::application::{QueueType, Status};
use crate::domain::category::PriorityClass;

#[derive(Debug, Clone)]
pub(super) enum Word {
    Known(&'static str),
    Other(Box<str>),
}

impl Word {
    pub(super) fn new(text: &str) -> Word {
        let known = QueueType::ALL
            .iter()
            .map(|q| q.as_str())
            .chain(PriorityClass::ALL.iter().map(|c| c.as_str()))
            .chain(Status::ALL.iter().map(|s| s.as_str()))
            .find(|w| *w == text);
        match known {
            Some(word) => Word::Known(word),
            None => Word::Other(text.into()),
        }
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            Word::Known(word) => word,
            Word::Other(text) => text,
        }
    }
}

impl Deref for Word {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Word {
    fn from(text: &str) -> Word {
        Word::new(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_v5_a_word_reads_back_as_the_log_wrote_it_whether_kezek_knows_it_or_not() {
        for text in [
            "queued",
            "stop_listed",
            "first_priority",
            "sanatorium",
            "general",
            "Queued",
            "",
            "ещё",
        ] {
            let word = Word::new(text);
            assert_eq!(word.as_str(), text);
            assert!(word == text);
            assert_eq!(word.to_string(), text);
        }
        assert!(matches!(Word::new("removed"), Word::Known(_)));
        assert!(matches!(Word::new("lost"), Word::Other(_)));
    }
}
