//! The Discord front end: a serenity 0.12 client serving the same answers as `faqbot ask`.
//! Nothing outside this module knows about Discord.
//!
//! `client` starts and stops the bot; `handler` receives Discord's events; `router` sends each
//! interaction to its handler (`commands` for members, `admin` for moderators) and answers it;
//! `decide` is the pure rule for plain messages; `forum` answers new forum posts; `staff` is who counts as staff; `ui` holds every
//! label on a control; `render` lays a reply out as a Discord message; `rest` sends replies
//! within Discord's rate limits; `state` is what the handlers share; `reload` watches the FAQ
//! folder.

pub(crate) mod admin;
pub mod client;
pub(crate) mod commands;
pub(crate) mod decide;
pub(crate) mod forum;
pub(crate) mod handler;
pub mod reload;
pub mod render;
pub(crate) mod rest;
pub(crate) mod router;
pub(crate) mod staff;
pub mod state;
pub(crate) mod ui;

pub use client::run;
