//! The reliability suites, one module each: each proves that kezek survives what a city's queue meets, prints its
//! figures, and shows that it catches a deliberately broken variant (README, "Reliability suites").

#[path = "../common/mod.rs"]
#[allow(dead_code)]
mod common;

mod crash;
mod forgery;
mod hostile;
mod parsers;
mod privacy;
mod race;
mod replication;
mod tamper;
