//! What every test binary shares: the hermetic environment that drives the binary.

pub mod env;
