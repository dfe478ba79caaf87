//! The Discord glue: a serenity 0.12 client serving the same answers as `faqbot ask`.
//! Nothing outside this module knows about Discord.

pub mod client;
pub mod commands;
pub mod decide;
pub mod handler;
pub mod moderation;
pub mod reload;
pub mod render;
pub mod staff;
pub mod state;

pub use client::run;
