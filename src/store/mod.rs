//! Everything that touches SQLite; nothing outside this folder names rusqlite.
//!
//! The house: `db` opens the file (pragmas, identity, backup); `migrations` applies `sql/` and replays it for the
//! audit; `change` is one command's transaction, actor and signature; `access` is how the rest of kezek reads
//! (`&impl Access`: a `Db`, a `Snapshot` or a `Change`) without ever holding a connection; `journal` writes and
//! hashes events; `audit` proves the database against them; `replication` is what kezek knows of Litestream. The other modules are the queries and writes of
//! one concept each (applications, places, directions, ...); `import` takes a whole CSV file into them, all or
//! nothing. Rules live in `crate::domain`; a store function reads the facts, asks the domain, and writes what
//! it decided, journaled through the `Change`.
//!
//! A command's own function reads its settings and calendar inside the change (`sweep::run`,
//! `offers::run_round`, `directions::run_issue`, `applications::run_register`); the variants that take them
//! serve callers that make many changes with the same facts (the demo, the test suites).

pub mod access;
pub mod allocation;
pub mod applications;
pub mod audit;
pub mod bulk;
pub mod capacity;
pub mod change;
pub mod db;
pub mod directions;
pub mod districts;
pub mod exchange;
pub mod import;
pub mod integrity;
pub mod journal;
pub mod migrations;
pub mod offers;
pub mod officers;
pub mod orgs;
pub mod outbox;
pub mod places;
pub mod publication;
pub mod purge;
pub mod reference;
pub mod replication;
pub mod stats;
pub mod sweep;

pub use access::Access;
pub use change::{Acting, Actor, Change, Mode};
pub use db::{Db, Snapshot};
