//! Officers: the people who change data, each with an RSA key (R-A1, R-A2).

use super::fields;
use super::role::{Role, Standing};
use crate::error::Result;

/// The checked fields of a new officer (the key is checked by `crypto`, the organization and the district
/// against the city by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOfficer {
    pub id: String,
    pub name: String,
    pub district: String,
    pub role: Role,
    pub org: Option<String>,
}

impl NewOfficer {
    /// An `admin` of `district`; `with_role` gives another role.
    pub fn check(id: &str, name: &str, district: &str) -> Result<NewOfficer> {
        Ok(NewOfficer {
            id: fields::code("id", id, 64)?,
            name: fields::required_text("name", name, 200)?,
            district: fields::required_text("district", district, 100)?,
            role: Role::Admin,
            org: None,
        })
    }

    /// The officer with `role` and, for a kindergarten account, its organization (R-R1).
    pub fn with_role(self, role: Role, org: Option<&str>) -> Result<NewOfficer> {
        let org = org.map(|o| fields::code("--org", o, 32)).transpose()?;
        Ok(NewOfficer { role, org, ..self })
    }

    pub fn standing(&self) -> Standing {
        Standing {
            role: self.role,
            district: self.district.clone(),
            org: self.org.clone(),
        }
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
