use std::path::PathBuf;

use clap::Subcommand;

use super::Ctx;
use crate::crypto::{PrivateKey, PublicKey, MAX_BITS, MIN_BITS};
use crate::domain::officer::NewOfficer;
use crate::domain::role::{self, Role};
use crate::error::{Error, Result};
use crate::store::{officers, Acting, Mode};
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum OfficerCommand {
    /// Write a new RSA key pair: DIR/officer.key (PKCS#8 PEM, mode 0600) and DIR/officer.pub (public key PEM)
    #[command(
        long_about = "Write a new RSA key pair: DIR/officer.key (PKCS#8 PEM, mode 0600) and \
        DIR/officer.pub (SubjectPublicKeyInfo PEM). Existing files are never overwritten. The private key never \
        enters the database: keep it on the officer's own machine (R-A1)."
    )]
    Keygen {
        /// Directory for the two files (created if missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Key size in bits
        #[arg(long, default_value_t = 3072, value_parser = clap::value_parser!(u64).range(MIN_BITS as u64..=MAX_BITS as u64))]
        bits: u64,
    },
    /// Register an officer with their public key
    #[command(
        long_about = "Register an officer with their public key (R-A1). The very first officer is added \
        without --officer, with --key set to their own private key, which proves they hold it and signs the \
        change (R-A2). After that an active officer adds the others."
    )]
    Add {
        /// The new officer's id, as they will name themselves with --officer (letters, digits, '.', '_', '-')
        #[arg(long)]
        id: String,
        /// The officer's full name
        #[arg(long)]
        name: String,
        /// The officer's district (one of `kezek district list`; `*` for an officer who acts for the whole city)
        #[arg(long)]
        district: String,
        /// The officer's public key file (PEM, SubjectPublicKeyInfo, RSA of 2048 bits or more)
        #[arg(long, value_name = "FILE")]
        public_key: PathBuf,
        /// The officer's role (R-R1): admin, officer, kindergarten or service; required but for the first
        /// officer, who is an admin
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
        /// The organization of a kindergarten account, in the officer's district
        #[arg(long, value_name = "CODE")]
        org: Option<String>,
    },
    /// Change an officer's role (R-R1, R-R3)
    #[command(
        long_about = "Change an officer's role and, for a kindergarten account, its organization (R-R1). The \
        change is journaled and public, and trusted only when a head of an admin covers it (R-R3). The last \
        active admin keeps the role. Roles: admin (officers, roles, settings, calendar, districts, \
        organizations, purge, and everything else), officer (applications, places, rounds, directions of the \
        organizations of their district; district `*` for the whole city), kindergarten (enrollment, departure \
        and attendance of one organization, --org CODE), service (the sweep, the offer and allocation rounds)."
    )]
    SetRole {
        /// The officer whose role changes
        id: String,
        /// The new role: admin, officer, kindergarten or service
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// The organization of a kindergarten account, in the officer's district
        #[arg(long, value_name = "CODE")]
        org: Option<String>,
    },
    /// Print what each role may run: the table of R-R1
    #[command(
        long_about = "Print, for every command that changes data, the roles that may run it and what it \
        reaches: the city's administration, the whole city (an officer needs the district `*`), a district (an \
        officer of that district) or an organization (an officer of its district, or its kindergarten account). \
        Commands that only read need no officer. Reads only."
    )]
    Roles,
    /// Give an officer a new key (R-A7); another officer runs it
    #[command(
        long_about = "Give an officer a new public key, for a key that was lost or may have leaked (R-A7). \
        The officer's earlier signatures stay verifiable with the earlier key, which the journal keeps. Another \
        active officer runs it, never the officer themselves: the new key is trusted only once a head signed by \
        another trusted officer covers it, so that a stolen database cannot vouch for a key of its own."
    )]
    RotateKey {
        /// The officer whose key changes
        id: String,
        /// The new public key file (PEM, SubjectPublicKeyInfo, RSA of 2048 bits or more)
        #[arg(long, value_name = "FILE")]
        public_key: PathBuf,
    },
    /// List the officers
    List,
    /// Deactivate an officer: they can no longer change data (asks for confirmation)
    #[command(
        long_about = "Deactivate an officer: they can no longer change data; their past signatures stay \
        verifiable. The last active officer cannot be deactivated. Asks for confirmation on a terminal unless \
        --yes; without a terminal and without --yes it refuses (exit 2)."
    )]
    Deactivate {
        /// The officer to deactivate
        id: String,
    },
}

pub fn run(ctx: &Ctx, command: OfficerCommand) -> Result<()> {
    match command {
        OfficerCommand::Keygen { out, bits } => {
            // Refused before the key is generated, which takes a while.
            crate::crypto::pair_paths(&out)?;
            ctx.out
                .status(&tr!("cli-officer-generating", bits = bits as i64));
            let key = PrivateKey::generate(bits as usize)?;
            let (key_path, pub_path) = key.write_pair(&out)?;
            ctx.out.status(&tr!(
                "cli-officer-wrote-keys",
                private = key_path.display().to_string(),
                public = pub_path.display().to_string()
            ));
            ctx.out.object(&serde_json::json!({
                "private_key": key_path,
                "public_key": pub_path,
                "fingerprint": key.public().fingerprint(),
            }))
        }
        OfficerCommand::Add {
            id,
            name,
            district,
            public_key,
            role,
            org,
        } => {
            let key = read_public_key(&public_key)?;
            let mut db = ctx.open()?;
            // The very first officer acts as themselves, whatever KEZEK_OFFICER says (a cron line or a
            // profile may set it before anyone exists).
            let first = officers::list(&db)?.is_empty();
            let role = match role {
                Some(role) => Role::parse("--role", &role)?,
                None if first => Role::Admin,
                None => return Err(Error::usage(tr!("cli-officer-role-required"))),
            };
            let officer =
                NewOfficer::check(&id, &name, &district)?.with_role(role, org.as_deref())?;
            let actor = ctx.actor_or_first(&officer.id, first)?;
            let first_key = match (&actor.acting, &actor.key) {
                (Acting::FirstOfficer(_), Some(k)) => Some(k.public().clone()),
                _ => None,
            };
            db.change(&actor, &ctx.now, Mode::Commit, |change| {
                officers::add(change, &officer, &key, first_key.as_ref())
            })?;
            ctx.out
                .status(&tr!("msg-officer-added", id = officer.id.clone()));
            Ok(())
        }
        OfficerCommand::RotateKey { id, public_key } => {
            let key = read_public_key(&public_key)?;
            let actor = ctx.actor()?;
            let mut db = ctx.open()?;
            db.change(&actor, &ctx.now, Mode::Commit, |change| {
                officers::rotate_key(change, &id, &key)
            })?;
            ctx.out.status(&tr!(
                "cli-officer-rotated",
                id = id.clone(),
                fingerprint = key.fingerprint()
            ));
            Ok(())
        }
        OfficerCommand::SetRole { id, role, org } => {
            let role = Role::parse("--role", &role)?;
            let standing = ctx.change(|c| officers::set_role(c, &id, role, org.as_deref()))?;
            ctx.out.status(&tr!(
                "cli-officer-role-set",
                id = id.clone(),
                role = standing.role.as_str()
            ));
            Ok(())
        }
        OfficerCommand::Roles => ctx.out.list(&role_table()),
        OfficerCommand::List => {
            let db = ctx.open()?;
            ctx.out.list(&officers::list(&db)?)
        }
        OfficerCommand::Deactivate { id } => {
            ctx.change_confirmed(
                &tr!("cli-officer-deactivate-confirm", id = id.clone()),
                |_| Ok(()),
                |c| officers::deactivate(c, &id),
            )?;
            ctx.out
                .status(&tr!("cli-officer-deactivated", id = id.clone()));
            Ok(())
        }
    }
}

/// The public key file of `--public-key`.
fn read_public_key(path: &std::path::Path) -> Result<PublicKey> {
    let text = crate::input::read_small("--public-key", path)?;
    PublicKey::from_pem("--public-key", &text)
}

/// One line of `officer roles`.
#[derive(Debug, Default, serde::Serialize)]
struct RoleLine {
    command: String,
    roles: String,
    reaches: String,
    /// The journal event kinds the command writes, which the audits hold to these roles (R-R3).
    kinds: String,
}

/// The table of R-R1, one line per changing command.
fn role_table() -> Vec<RoleLine> {
    role::COMMANDS
        .iter()
        .map(|c| RoleLine {
            command: format!("kezek {}", c.command),
            roles: role::roles_of(c),
            reaches: c.reach.code().to_string(),
            kinds: c.kinds.join(" "),
        })
        .collect()
}
