//! The rules, free of I/O: no clap, no SQL, no clock reads.

pub mod allocation;
pub mod application;
pub mod calendar;
pub mod canonical;
pub mod capacity;
pub mod category;
pub mod direction;
pub mod district;
pub mod documents;
pub mod exchange;
pub mod explain;
pub mod fields;
pub mod iin;
pub mod merkle;
pub mod notify;
pub mod officer;
pub mod org;
pub mod place;
pub mod preference;
pub mod public;
pub mod queue;
pub mod record;
pub mod settings;
pub mod sweep;
pub mod time;
pub mod trust;
