//! Officers: the people who change data, each with an RSA key (R-A1, R-A2).

use super::fields;
use crate::error::Result;

/// The checked fields of a new officer (the key is checked by `crypto`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOfficer {
    pub id: String,
    pub name: String,
    pub district: String,
}

impl NewOfficer {
    pub fn check(id: &str, name: &str, district: &str) -> Result<NewOfficer> {
        Ok(NewOfficer {
            id: fields::code("id", id, 64)?,
            name: fields::required_text("name", name, 200)?,
            district: fields::required_text("district", district, 100)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn officer_fields_are_checked() {
        assert!(NewOfficer::check("a.sadykova", "Садыкова А.", "Алмалинский").is_ok());
        let err = NewOfficer::check("a sadykova", "x", "y").unwrap_err();
        assert!(err.to_string().starts_with("id:"), "{err}");
        assert!(NewOfficer::check("x", "", "y").is_err());
    }
}
