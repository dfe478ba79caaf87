//! What faqbot's integration tests and benches share, as a dev-only crate: the loopback fake
//! Discord ([`fake_discord`]), Discord's schemas and limits ([`schema`]) and starting the bot
//! against the fake ([`bot`]).

pub mod bot;
pub mod fake_discord;
pub mod schema;
