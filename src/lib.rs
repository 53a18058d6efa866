//! kezek: the back-office command-line tool of a city's electronic queue of preschool children.
//!
//! `cli` parses and renders, `domain` holds the rules without I/O, `store` is the only place that speaks SQL,
//! `crypto` signs and verifies, `error` decides the exit codes; `demo` builds the sample city of `kezek demo`.

pub mod cli;
pub mod crypto;
pub mod csvfile;
pub mod demo;
pub mod domain;
pub mod error;
pub mod faults;
pub mod generate;
pub mod input;
pub mod lang;
pub mod public_check;
pub mod publish;
pub mod store;

pub use cli::{run, Cli};
pub use error::{Error, Result};
