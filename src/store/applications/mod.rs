//! Applications and the queue (SPEC §3). Positions are computed from the current data: the rank of the
//! application in its class (per-day counts kept by triggers, plus a count within its own day) and the class
//! sizes, combined by `domain::queue::position`.
//!
//! One idea a file: the stored row and its views (`rows`), the queue order and positions (`queue`), the writes of
//! one application (`writes`), a whole file's rows loaded in key order (`load`) and the `db check` of the counts
//! (`check`). A whole file of applications is `store::import::Applications`.

mod check;
mod choice;
mod load;
mod queue;
mod rows;
mod writes;

pub use check::check_queue_counts;
pub use choice::{checked_preferences, org_kinds, prefer, Choice};
pub use queue::{
    class_counts, for_each_in_queue_order, list, list_each, positions, queues_waiting, ListFilter,
};
pub use rows::{
    find, find_by_iin, find_by_name, get, load, show, show_with_category, sibling_group, AppRow,
    ChildKey,
};
pub use writes::{category_classes, register, register_with, run_register, set_category, withdraw};

pub(in crate::store) use load::SortedLoad;
pub(in crate::store) use writes::{
    active_number, duplicate, insert, last_seq, number_year, NewRow,
};
