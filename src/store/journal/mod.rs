//! The tamper-evident journal (R-A4, R-A5, R-A6).
//!
//! Every change appends events inside its own transaction. An event carries the effective and real time, the
//! officer, a kind, a subject, details, and the SHA-256 digest of every state row it leaves behind (NULL for a
//! row it deleted). Each event's hash covers all of that and the previous event's hash, so the events form a
//! chain. Each changing command ends by signing the chain head with the acting officer's RSA key.
//!
//! `tables` lists the state tables, `canonical` the row digests, `event` writes and hashes events, `history`
//! reads them back; `super::audit` proves the database against them.
//!
//! Row digests skip NULL columns, so a later migration that adds a column with a NULL default leaves every
//! earlier digest valid. A migration that rewrites state rows must re-record them.

mod canonical;
mod event;
mod history;
mod public;
mod tables;

pub use canonical::values_digest;
pub(in crate::store) use canonical::{each_row_digest, sqlite_cmp_ref, KeyOrd, RowMap};
pub use event::{head_message, Checkpoint, EventWriter};
pub(in crate::store) use event::{last_event, to_hash, EventFields, EventHasher};
pub use history::{first_import, history, history_of, EventView};
pub use public::PublicColumns;
pub(in crate::store) use public::{backfill, part_text, root as tree_root, stored as tree_node};
pub use tables::*;
