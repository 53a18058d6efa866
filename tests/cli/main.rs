//! End-to-end tests of the kezek binary.
