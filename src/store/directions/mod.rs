//! Directions (R-D1..R-D9, R-A3): issue, extend, revoke, annul, enroll, depart, show, verify, list.
//!
//! One idea a file: the stored row and its views (`rows`), the signed text (`document`), issuing (`issue`), what
//! follows an issue (`lifecycle`) and verification (`verify`).

mod benefit;
mod document;
mod issue;
mod lifecycle;
mod rows;
mod verify;

pub use benefit::{confirm as confirm_benefit, sweep_unconfirmed};
pub use issue::{issue, issue_allocated, run_issue, sibling_orgs, write_exchanged, IssueReading};
pub use lifecycle::{annul, depart, enroll, extend, revoke, Departure};
pub use rows::{
    application_of, completed_service, list, printable, show, DirectionFilter, DirectionListRow,
    DirectionView, Printable,
};
pub use verify::{verify, Verification};
