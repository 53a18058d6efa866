//! The rules, free of I/O: no clap, no rusqlite, no clock reads.

pub mod calendar;
pub mod category;
pub mod fields;
pub mod officer;
pub mod org;
pub mod settings;
pub mod time;
