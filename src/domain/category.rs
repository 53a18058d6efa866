//! Priority classes and benefit categories (R-Q3). The categories themselves are reference data seeded by a
//! migration; this is their vocabulary.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorityClass {
    /// внеочередники
    OutOfTurn,
    /// первоочередники
    FirstPriority,
    /// на общих основаниях
    General,
}

impl PriorityClass {
    pub const ALL: [PriorityClass; 3] = [
        PriorityClass::OutOfTurn,
        PriorityClass::FirstPriority,
        PriorityClass::General,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PriorityClass::OutOfTurn => "out_of_turn",
            PriorityClass::FirstPriority => "first_priority",
            PriorityClass::General => "general",
        }
    }

    pub fn parse(value: &str) -> Option<PriorityClass> {
        PriorityClass::ALL.into_iter().find(|c| c.as_str() == value)
    }

    pub fn title_ru(self) -> &'static str {
        match self {
            PriorityClass::OutOfTurn => "внеочередное право",
            PriorityClass::FirstPriority => "первоочередное право",
            PriorityClass::General => "на общих основаниях",
        }
    }
}
