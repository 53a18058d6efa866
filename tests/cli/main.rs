//! End-to-end tests of the kezek binary: one test binary, one module per command group.

#[path = "../common/mod.rs"]
#[allow(dead_code)]
mod common;

mod application;
mod audit;
mod calendar;
mod choice;
mod db;
mod demo;
mod direction;
mod district;
mod faults;
mod global;
mod input;
mod integrity;
mod interface;
mod lang;
mod man;
mod officer;
mod org;
mod place;
mod public;
mod roles;
mod settings;
mod sweep;
mod tour;
mod trust;
mod verifier;
