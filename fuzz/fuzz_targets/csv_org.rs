//! The bytes of a CSV file of organizations (`kezek org import`), imported with --dry-run into a database with
//! organizations, a calendar and applications. See `import.rs` for the invariants.

#![no_main]

mod import;

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;

thread_local! {
    static CITY: RefCell<import::City> = RefCell::new(import::City::build(true));
}

fuzz_target!(|data: &[u8]| {
    CITY.with(|city| city.borrow_mut().run(&import::ORG, data));
});
