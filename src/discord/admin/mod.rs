//! `/faq-admin add | edit | remove | reload | gaps | stats`: moderators edit the FAQ from
//! Discord and read the insight reports.
//!
//! Add and edit open a form ([`forms`]); the edit remembers the file's hash when the form
//! opened and is refused if the file changed meanwhile, handing the moderator's text back so
//! nothing is lost. Remove asks for a confirming button press and moves the file to
//! `faq/.removed/` ([`remove`]). The reports and their "Add as alias" buttons are in
//! [`reports`]. Every change is written atomically, logged with who, what and when, and
//! reloaded.

pub(crate) mod forms;
pub(crate) mod remove;
pub(crate) mod reports;

use crate::answer::topics::resolve_topic;
use crate::answer::{Engine, Refusal, Reply};
use crate::discord::router::{Ack, Handled, Invocation, Response};
use crate::discord::staff;
use crate::discord::state::{BotState, ReloadOutcome};
use crate::discord::ui::names;
use crate::faq::store;
use crate::faq::Entry;
use serenity::all::User;
use serenity::futures::future::BoxFuture;
use std::path::PathBuf;

/// Logs a moderator's change: who, what, which entry and file.
fn audit(user: &User, action: &str, entry: &str, file: &str) {
    tracing::info!(
        moderator = %user.name,
        moderator_id = user.id.get(),
        action,
        entry,
        file,
        "FAQ changed"
    );
}

/// Handles `/faq-admin`: moderators only; the reports and reload work with any FAQ, the edits
/// need a FAQ folder.
pub(crate) fn run(inv: Invocation<'_>) -> BoxFuture<'_, Handled<'_>> {
    Box::pin(async move {
        let (state, cmd, opts) = (inv.state, inv.cmd, &inv.opts);
        if !staff::is_moderator(&state.cfg.discord, cmd.member.as_deref()) {
            return Err(Refusal::NotModerator);
        }
        match opts.sub() {
            names::RELOAD => return Ok(reload(state, &cmd.user)),
            names::GAPS => return Ok(reports::gaps(state, opts.get(names::DAYS))),
            names::STATS => return Ok(reports::stats(state)),
            _ => {}
        }
        if state.faq_dir().is_none() {
            return Err(Refusal::NotEditable);
        }
        let token = cmd.id.get().to_string();
        let topic = || opts.get(names::TOPIC).unwrap_or_default();
        match opts.sub() {
            names::ADD => Ok(forms::open_add(state, token)),
            names::EDIT => {
                let engine = state.engine();
                let (entry, path, hash) = entry_to_change(&engine, topic())?;
                forms::open_edit(state, token, entry, path, hash)
            }
            names::REMOVE => {
                let engine = state.engine();
                let (entry, path, hash) = entry_to_change(&engine, topic())?;
                Ok(remove::ask(state, token, entry, path, hash))
            }
            _ => Ok(Response::private(Reply::help(&state.referral))),
        }
    })
}

/// The entry a moderator named, its file and the file's hash now (to refuse a change made
/// from a stale read).
fn entry_to_change<'e>(
    engine: &'e Engine,
    topic: &str,
) -> Result<(&'e Entry, PathBuf, String), Refusal> {
    let entry = resolve_topic(engine, topic).ok_or(Refusal::UnknownTopic)?;
    let path = PathBuf::from(&entry.file);
    match store::current_hash(&path) {
        Ok(Some(hash)) => Ok((entry, path, hash)),
        _ => Err(Refusal::Unreadable(entry.file.clone())),
    }
}

/// `/faq-admin reload`: re-reads the FAQ files and says what the bot answers from now.
fn reload<'a>(state: &'a std::sync::Arc<BotState>, user: &'a User) -> Response<'a> {
    Response::later(Ack::Ephemeral, async move {
        let outcome = state.reload().await;
        if let ReloadOutcome::Reloaded { .. } = outcome {
            audit(user, "reload", "*", "*");
        }
        Ok((Reply::reloaded(&outcome, &state.referral), Vec::new()))
    })
}
