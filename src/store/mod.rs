//! Everything that touches SQLite: opening and migrating, the journal, and the queries of each table.

pub mod applications;
pub mod audit;
pub mod db;
pub mod journal;
pub mod officers;
pub mod orgs;
pub mod reference;

pub use db::{Acting, Actor, Db, Mode};
pub use journal::Change;
