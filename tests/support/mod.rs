//! Test support shared by the integration tests: `mod support;` in a test file.
#![allow(dead_code)]

pub mod bot;
pub mod fake_discord;
pub mod schema;
