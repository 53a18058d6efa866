//! Organizations (kindergartens): their kinds and the checks on a new one.

use serde::Serialize;

use super::fields;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// государственный детский сад
    State,
    /// частный сад по госзаказу
    Private,
    /// санаторный сад
    Sanatorium,
}

impl OrgKind {
    pub const ALL: [OrgKind; 3] = [OrgKind::State, OrgKind::Private, OrgKind::Sanatorium];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::State => "state",
            OrgKind::Private => "private",
            OrgKind::Sanatorium => "sanatorium",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<OrgKind> {
        let value = value.trim();
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or_else(|| {
                Error::bad(crate::tr!(
                    "err-org-kind",
                    field = field.to_string(),
                    value = value.to_string()
                ))
            })
    }
}

/// A checked organization, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewOrg {
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub district: String,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// The raw fields of an organization as typed or imported.
#[derive(Debug, Clone, Default)]
pub struct OrgInput<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub district: &'a str,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
}

impl OrgInput<'_> {
    pub fn check(&self) -> Result<NewOrg> {
        let phone = match self.phone.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(fields::phone("phone", p)?),
            None => None,
        };
        Ok(NewOrg {
            code: fields::code("code", self.code, 32)?,
            name: fields::required_text("name", self.name, 200)?,
            kind: OrgKind::parse("kind", self.kind)?,
            district: fields::required_text("district", self.district, 100)?,
            phone,
            address: fields::optional_text("address", self.address.unwrap_or(""), 300)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> OrgInput<'static> {
        OrgInput {
            code: "DS-001",
            name: "Ясли-сад № 1",
            kind: "state",
            district: "Алмалинский",
            phone: Some("+77272000001"),
            address: None,
        }
    }

    #[test]
    fn a_good_org_checks() {
        let org = input().check().unwrap();
        assert_eq!(org.kind, OrgKind::State);
        assert_eq!(org.phone.as_deref(), Some("+77272000001"));
    }

    #[test]
    fn an_unknown_kind_names_the_field_and_the_kinds() {
        let err = OrgInput {
            kind: "municipal",
            ..input()
        }
        .check()
        .unwrap_err();
        assert_eq!(err.exit_code(), 65);
        assert_eq!(
            err.to_string(),
            "kind: 'municipal' is not an org kind (state, private, sanatorium)"
        );
    }

    #[test]
    fn empty_name_and_district_are_refused() {
        assert!(OrgInput {
            name: " ",
            ..input()
        }
        .check()
        .is_err());
        assert!(OrgInput {
            district: "",
            ..input()
        }
        .check()
        .is_err());
        assert!(OrgInput {
            phone: Some("12"),
            ..input()
        }
        .check()
        .is_err());
    }
}
