//! Roles and scopes (R-R1..R-R3): what each role may run and on which subjects. `COMMANDS` is the one table of
//! it: the command line checks a command against it before any change, the audit checks every journal event
//! against the role its officer had at that seq, and the man pages, the README's table (`officer roles`) and the
//! role tests are all made from it, so none of them can drift from the others.
//!
//! `admin` may run everything, so that a database made before roles existed, whose officers all become `admin`,
//! keeps working; least privilege comes from giving every other account one of the narrower roles.

use crate::error::{Error, Result};
use crate::tr;

/// An officer's role (R-R1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Officers, roles, settings, calendar, districts, organizations, purge; and everything else.
    Admin,
    /// Applications, places, rounds, directions of the organizations of their district (`*`: the city).
    Officer,
    /// Enrollment, departure and attendance of one organization.
    Kindergarten,
    /// The night: sweep, offer and allocation rounds.
    Service,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Officer,
        Role::Kindergarten,
        Role::Service,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::Kindergarten => "kindergarten",
            Role::Service => "service",
        }
    }

    pub fn parse(field: &str, text: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text.trim())
            .ok_or_else(|| {
                Error::usage(tr!(
                    "err-role-unknown",
                    field = field.to_string(),
                    value = text.to_string()
                ))
            })
    }
}

/// The district of an officer who acts for the whole city.
pub const CITY_WIDE: &str = "*";

/// What a command reaches, for the scope check of an `officer` or a `kindergarten`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The city's administration: only `admin` (and the roles listed) run it, with no subject to scope.
    Administration,
    /// A round over the whole city: an `officer` needs the district `*`.
    City,
    /// Records of a district (applications, by their district): an `officer` of that district or `*`.
    District,
    /// Records of an organization (places, directions, attendance): an `officer` of its district or `*`, or the
    /// `kindergarten` account of that organization.
    Org,
}

impl Reach {
    /// The reach as `officer roles` codes it in JSON and CSV (a table shows it in words).
    pub fn code(self) -> &'static str {
        match self {
            Administration => "administration",
            City => "city",
            District => "district",
            Org => "org",
        }
    }
}

/// One changing command: who may run it, what it reaches, and the journal event kinds it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandRule {
    /// The command as typed, e.g. `direction issue`.
    pub command: &'static str,
    /// The roles besides `admin` that may run it.
    pub roles: &'static [Role],
    pub reach: Reach,
    /// Every event kind the command may write.
    pub kinds: &'static [&'static str],
}

use Reach::{Administration, City, District, Org};
use Role::{Kindergarten, Officer, Service};

/// Every command that changes data, in the order of `kezek --help`.
pub const COMMANDS: &[CommandRule] = &[
    rule("officer add", &[], Administration, &["officer.add"]),
    rule(
        "officer set-role",
        &[],
        Administration,
        &["officer.set_role"],
    ),
    rule(
        "officer rotate-key",
        &[],
        Administration,
        &["officer.rotate_key"],
    ),
    rule(
        "officer deactivate",
        &[],
        Administration,
        &["officer.deactivate"],
    ),
    rule("org add", &[], Administration, &["org.add"]),
    rule("org import", &[], Administration, &["org.import"]),
    rule("org capacity", &[], Administration, &["org.capacity"]),
    rule(
        "org capacity-import",
        &[],
        Administration,
        &["capacity.import"],
    ),
    rule("calendar add", &[], Administration, &["calendar.add"]),
    rule("calendar remove", &[], Administration, &["calendar.remove"]),
    rule("calendar import", &[], Administration, &["calendar.import"]),
    rule("settings set", &[], Administration, &["settings.set"]),
    rule("district add", &[], Administration, &["district.add"]),
    rule(
        "application register",
        &[Officer],
        District,
        &["application.register"],
    ),
    rule(
        "application import",
        &[Officer],
        District,
        &["application.import"],
    ),
    rule(
        "application set-category",
        &[Officer],
        District,
        &["application.set_category"],
    ),
    rule(
        "application withdraw",
        &[Officer],
        District,
        &["application.withdraw"],
    ),
    rule(
        "application prefer",
        &[Officer],
        District,
        &["application.prefer"],
    ),
    rule("place publish", &[Officer], Org, &["place.publish"]),
    rule("place import", &[Officer], Org, &["place.import"]),
    rule("place withdraw", &[Officer], Org, &["place.withdraw"]),
    rule(
        "offer",
        &[Officer, Service],
        City,
        &["offer.window_closed", "offer.round"],
    ),
    rule(
        "allocate",
        &[Officer, Service],
        City,
        &["offer.window_closed", "allocation.run"],
    ),
    rule("exchange", &[Officer], City, &["exchange.run"]),
    rule(
        "direction issue",
        &[Officer],
        Org,
        &["offer.window_closed", "direction.issue"],
    ),
    rule("direction extend", &[Officer], Org, &["direction.extend"]),
    rule("direction revoke", &[Officer], Org, &["direction.revoke"]),
    rule("direction annul", &[Officer], Org, &["direction.annul"]),
    rule(
        "direction enroll",
        &[Officer, Kindergarten],
        Org,
        &["direction.enroll"],
    ),
    rule(
        "direction confirm-benefit",
        &[Officer],
        Org,
        &["direction.confirm_benefit"],
    ),
    rule(
        "attendance import",
        &[Kindergarten],
        Org,
        &["attendance.import"],
    ),
    rule("child depart", &[Kindergarten], Org, &["child.depart"]),
    rule("notify export", &[Officer], City, &["notify.sent"]),
    rule(
        "sweep",
        &[Service],
        City,
        &[
            "offer.window_closed",
            "sweep.expire",
            "sweep.benefit",
            "sweep.stop_list_end",
            "sweep.age_limit",
            "sweep.run",
        ],
    ),
    rule("db purge", &[], Administration, &["db.purge"]),
];

const fn rule(
    command: &'static str,
    roles: &'static [Role],
    reach: Reach,
    kinds: &'static [&'static str],
) -> CommandRule {
    CommandRule {
        command,
        roles,
        reach,
        kinds,
    }
}

/// The rule of a changing command, if `command` is one.
pub fn command(command: &str) -> Option<&'static CommandRule> {
    COMMANDS.iter().find(|c| c.command == command)
}

/// What an officer may do: their role and scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub role: Role,
    /// The officer's district; `*` for a city-wide `officer`.
    pub district: String,
    /// The organization of a `kindergarten` account.
    pub org: Option<String>,
}

/// The acting officer and what they asked, for the refusals' messages.
struct Asked<'a> {
    officer: &'a str,
    standing: &'a Standing,
    command: &'a str,
}

impl Asked<'_> {
    fn refuse(&self, why: String) -> Error {
        Error::refused(
            "R-R1",
            tr!(
                "err-role-refused",
                officer = self.officer.to_string(),
                role = self.standing.role.as_str(),
                command = self.command.to_string(),
                why = why
            ),
        )
    }
}

impl Standing {
    /// Whether the role may run `command` at all, and for a round over the city, whether its scope is the city
    /// (R-R1, R-R2). A command not in the table changes nothing and needs no role.
    pub fn may_run(&self, officer: &str, command: &str) -> Result<()> {
        let Some(rule) = self::command(command) else {
            return Ok(());
        };
        let asked = Asked {
            officer,
            standing: self,
            command,
        };
        if self.role == Role::Admin {
            return Ok(());
        }
        if !rule.roles.contains(&self.role) {
            return Err(asked.refuse(tr!("err-role-needs", roles = roles_of(rule))));
        }
        if rule.reach == City && self.role == Officer && self.district != CITY_WIDE {
            return Err(asked.refuse(tr!("err-role-city-wide", district = self.district.clone())));
        }
        Ok(())
    }

    /// Whether `command` may reach a record of `district` (an application's) (R-R1).
    pub fn may_reach_district(&self, officer: &str, command: &str, district: &str) -> Result<()> {
        if self.role != Officer || self.district == CITY_WIDE || self.district == district {
            return Ok(());
        }
        Err(Asked {
            officer,
            standing: self,
            command,
        }
        .refuse(tr!(
            "err-role-other-district",
            district = district.to_string(),
            own = self.district.clone()
        )))
    }

    /// Whether `command` may reach a record of organization `org`, which is in `district` (R-R1).
    pub fn may_reach_org(
        &self,
        officer: &str,
        command: &str,
        org: &str,
        district: &str,
    ) -> Result<()> {
        match self.role {
            Kindergarten if self.org.as_deref() != Some(org) => Err(Asked {
                officer,
                standing: self,
                command,
            }
            .refuse(tr!(
                "err-role-other-org",
                org = org.to_string(),
                own = self.org.clone().unwrap_or_default()
            ))),
            Officer => self.may_reach_district(officer, command, district),
            _ => Ok(()),
        }
    }

    /// Whether an event of `kind` by an officer of this standing is one the role may write (R-R3): some command
    /// the role may run writes it (for a round over the city, only with the district `*`). `None` when no
    /// command writes `kind`.
    pub fn may_write(&self, kind: &str) -> Option<bool> {
        let mut writers = COMMANDS
            .iter()
            .filter(|c| c.kinds.contains(&kind))
            .peekable();
        writers.peek()?;
        Some(self.role == Role::Admin || writers.any(|c| self.may_run("", c.command).is_ok()))
    }
}

impl Standing {
    /// The standing a journal event or a public record gives an officer: no role for one registered before
    /// roles existed, who is an `admin` (migration 0012). `None` for a role kezek does not know.
    pub fn recorded(role: Option<&str>, district: &str, org: Option<&str>) -> Option<Standing> {
        let role = match role {
            None => Role::Admin,
            Some(r) => Role::ALL.into_iter().find(|x| x.as_str() == r)?,
        };
        Some(Standing {
            role,
            district: district.to_string(),
            org: org.map(str::to_string),
        })
    }
}

/// The roles that may run `rule`, `admin` first, as the refusals and the table name them.
pub fn roles_of(rule: &CommandRule) -> String {
    std::iter::once(Role::Admin)
        .chain(rule.roles.iter().copied())
        .map(|r| {
            if r == Officer && rule.reach == City {
                format!("officer ({CITY_WIDE})")
            } else {
                r.as_str().to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks a new standing (R-R1): a `kindergarten` names its organization, in the officer's district; no other
/// role names one; only an `officer` may have the district `*`. `org_district` is the named organization's
/// district, when it exists.
pub fn check_standing(standing: &Standing, org_district: Option<&str>) -> Result<()> {
    match (&standing.org, standing.role) {
        (None, Kindergarten) => Err(Error::usage(tr!("err-role-kindergarten-org"))),
        (Some(_), role) if role != Kindergarten => Err(Error::usage(tr!(
            "err-role-org-only-kindergarten",
            role = role.as_str()
        ))),
        (Some(org), _) => match org_district {
            Some(d) if d == standing.district => Ok(()),
            Some(d) => Err(Error::refused(
                "R-R1",
                tr!(
                    "err-role-org-outside",
                    org = org.clone(),
                    org_district = d.to_string(),
                    district = standing.district.clone()
                ),
            )),
            None => Err(Error::NotFound(tr!("err-role-no-org", org = org.clone()))),
        },
        (None, role) if standing.district == CITY_WIDE && role != Officer => Err(Error::usage(
            tr!("err-role-city-wide-officer", role = role.as_str()),
        )),
        (None, _) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(role: Role, district: &str, org: Option<&str>) -> Standing {
        Standing {
            role,
            district: district.into(),
            org: org.map(str::to_string),
        }
    }

    #[test]
    fn r_r1_every_event_kind_a_command_writes_is_in_the_table_once_per_command() {
        for c in COMMANDS {
            let mut kinds = c.kinds.to_vec();
            kinds.sort();
            kinds.dedup();
            assert_eq!(kinds.len(), c.kinds.len(), "{}", c.command);
            assert!(!c.roles.contains(&Role::Admin), "{}", c.command);
        }
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.command).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
    }

    #[test]
    fn r_r1_admin_runs_everything_and_the_others_only_what_the_table_gives_them() {
        let admin = standing(Role::Admin, "Алмалинский", None);
        let officer = standing(Officer, "Алмалинский", None);
        let city = standing(Officer, CITY_WIDE, None);
        let kg = standing(Kindergarten, "Алмалинский", Some("DS-1"));
        let service = standing(Service, "Алмалинский", None);
        for c in COMMANDS {
            assert!(admin.may_run("a", c.command).is_ok());
            assert_eq!(
                kg.may_run("k", c.command).is_ok(),
                c.roles.contains(&Kindergarten),
                "{}",
                c.command
            );
            assert_eq!(
                service.may_run("s", c.command).is_ok(),
                c.roles.contains(&Service)
            );
            assert_eq!(
                city.may_run("c", c.command).is_ok(),
                c.roles.contains(&Officer)
            );
            assert_eq!(
                officer.may_run("o", c.command).is_ok(),
                c.roles.contains(&Officer) && c.reach != City,
                "{}",
                c.command
            );
        }
        let e = officer.may_run("omarova", "settings set").unwrap_err();
        assert_eq!(e.exit_code(), 3);
        let text = e.to_string();
        for part in ["R-R1", "omarova", "officer", "settings set", "admin"] {
            assert!(text.contains(part), "{text}");
        }
        assert!(
            kg.may_run("k", "officer roles").is_ok(),
            "a read needs no role"
        );
    }

    #[test]
    fn r_r1_an_officer_reaches_their_district_and_a_kindergarten_its_organization() {
        let officer = standing(Officer, "Алмалинский", None);
        assert!(officer
            .may_reach_district("o", "application register", "Алмалинский")
            .is_ok());
        let e = officer
            .may_reach_district("o", "application register", "Медеуский")
            .unwrap_err();
        assert!(e.to_string().contains("Медеуский"), "{e}");
        assert!(officer
            .may_reach_org("o", "direction issue", "DS-2", "Медеуский")
            .is_err());
        let city = standing(Officer, CITY_WIDE, None);
        assert!(city
            .may_reach_org("c", "direction issue", "DS-2", "Медеуский")
            .is_ok());
        let kg = standing(Kindergarten, "Алмалинский", Some("DS-1"));
        assert!(kg
            .may_reach_org("k", "direction enroll", "DS-1", "Алмалинский")
            .is_ok());
        let e = kg
            .may_reach_org("k", "direction enroll", "DS-3", "Алмалинский")
            .unwrap_err();
        assert!(e.to_string().contains("DS-3"), "{e}");
    }

    #[test]
    fn r_r3_an_event_kind_is_allowed_by_the_commands_that_write_it() {
        let service = standing(Service, "Алмалинский", None);
        assert_eq!(service.may_write("sweep.expire"), Some(true));
        assert_eq!(service.may_write("offer.window_closed"), Some(true));
        assert_eq!(service.may_write("settings.set"), Some(false));
        assert_eq!(service.may_write("direction.issue"), Some(false));
        let officer = standing(Officer, "Алмалинский", None);
        assert_eq!(
            officer.may_write("offer.round"),
            Some(false),
            "a round needs `*`"
        );
        assert_eq!(officer.may_write("direction.issue"), Some(true));
        assert_eq!(officer.may_write("no.such"), None);
    }

    #[test]
    fn r_r1_a_standing_is_checked() {
        let ok = |s: &Standing, d: Option<&str>| check_standing(s, d).is_ok();
        assert!(ok(&standing(Kindergarten, "А", Some("DS-1")), Some("А")));
        assert_eq!(
            check_standing(&standing(Kindergarten, "А", None), None)
                .unwrap_err()
                .exit_code(),
            2
        );
        assert_eq!(
            check_standing(&standing(Kindergarten, "А", Some("DS-1")), Some("Б"))
                .unwrap_err()
                .exit_code(),
            3
        );
        assert!(!ok(&standing(Officer, "А", Some("DS-1")), Some("А")));
        assert!(ok(&standing(Officer, CITY_WIDE, None), None));
        assert!(!ok(&standing(Service, CITY_WIDE, None), None));
        assert_eq!(Role::parse("--role", "root").unwrap_err().exit_code(), 2);
    }
}
