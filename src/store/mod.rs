//! Everything that touches SQLite: opening and migrating, the journal, and the queries of each table.

pub mod applications;
pub mod audit;
pub mod bulk;
pub mod db;
pub mod directions;
pub mod journal;
pub mod offers;
pub mod officers;
pub mod orgs;
pub mod outbox;
pub mod places;
pub mod purge;
pub mod reference;
pub mod stats;
pub mod sweep;

pub use db::{Acting, Actor, Db, Mode};
pub use journal::Change;
