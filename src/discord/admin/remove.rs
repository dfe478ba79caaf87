//! `/faq-admin remove`: a confirmation with "Remove" and "Keep it", then the file moves to
//! `faq/.removed/` (nothing is lost).

use crate::answer::{Refusal, Reply};
use crate::discord::admin::audit;
use crate::discord::router::{Ack, Response};
use crate::discord::staff;
use crate::discord::state::{BotState, PendingRemoval};
use crate::discord::ui;
use crate::faq::store;
use crate::faq::Entry;
use serenity::all::ComponentInteraction;
use std::path::PathBuf;
use std::sync::Arc;

/// Asks the moderator to confirm removing `entry`, remembering its file's `hash`.
pub(crate) fn ask(
    state: &BotState,
    token: String,
    entry: &Entry,
    path: PathBuf,
    hash: String,
) -> Response<'static> {
    state.stash_removal(
        token.clone(),
        PendingRemoval {
            entry_id: entry.meta.id.clone(),
            question: entry.meta.question.clone(),
            path,
            hash,
        },
    );
    Response::Message {
        reply: Reply::confirm_removal(&entry.meta.question, &state.referral),
        buttons: ui::removal_buttons(&token),
        ephemeral: true,
    }
}

/// "Remove" (`confirmed`) or "Keep it" for the removal remembered under `token`. Removing and
/// re-indexing can take longer than Discord's 3 s, so the press is acknowledged first and the
/// confirmation message then shows the result.
pub(crate) fn confirm<'a>(
    state: &'a Arc<BotState>,
    press: &'a ComponentInteraction,
    token: String,
    confirmed: bool,
) -> Response<'a> {
    Response::later(Ack::Update, async move {
        if !staff::is_moderator(&state.cfg.discord, press.member.as_ref()) {
            return Err(Refusal::NotModerator);
        }
        let (Some(r), Some(dir)) = (state.take_removal(&token), state.faq_dir()) else {
            return Err(Refusal::ConfirmationExpired);
        };
        if !confirmed {
            return Ok((Reply::kept(&r.question, &state.referral), Vec::new()));
        }
        let removed = {
            let _guard = state.write_lock.lock().await;
            store::remove_entry(dir, &r.path, &r.hash)
        };
        let to = removed.map_err(|e| Refusal::NotRemoved(e.to_string()))?;
        audit(
            &press.user,
            "remove",
            &r.entry_id,
            &r.path.display().to_string(),
        );
        let outcome = state.reload().await;
        let kept_as = to.display().to_string();
        let reply = Reply::removed(&r.question, &kept_as, &outcome, &state.referral);
        Ok((reply, Vec::new()))
    })
}
