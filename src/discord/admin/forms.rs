//! `/faq-admin add` and `edit`: the entry form, and saving what a moderator submitted.

use crate::answer::reply::NotSaved;
use crate::answer::{Refusal, Reply};
use crate::discord::admin::audit;
use crate::discord::router::{Ack, Handled, Response};
use crate::discord::staff;
use crate::discord::state::{BotState, PendingForm};
use crate::discord::ui::{self, fields, FIELD_MAX};
use crate::faq::store::{self, EntryDraft, StoreError};
use crate::faq::Entry;
use serenity::all::{ActionRowComponent, ModalInteraction};
use std::path::PathBuf;
use std::sync::Arc;

/// Opens an empty form for a new entry.
pub(crate) fn open_add(state: &BotState, token: String) -> Response<'static> {
    state.stash_form(token.clone(), PendingForm::Add);
    Response::Form(ui::entry_form(&token, ui::ADD_FORM, None))
}

/// Opens the form pre-filled with `entry`, remembering its file's `hash` to refuse the save if
/// the file changes meanwhile.
pub(crate) fn open_edit<'a>(
    state: &BotState,
    token: String,
    entry: &Entry,
    path: PathBuf,
    hash: String,
) -> Handled<'a> {
    let draft = EntryDraft::from_entry(entry);
    if draft.body.chars().count() > FIELD_MAX {
        return Err(Refusal::TooLongForForm {
            max: FIELD_MAX,
            file: entry.file.clone(),
        });
    }
    state.stash_form(
        token.clone(),
        PendingForm::Edit {
            entry_id: entry.meta.id.clone(),
            path,
            hash,
        },
    );
    Ok(Response::Form(ui::entry_form(
        &token,
        ui::EDIT_FORM,
        Some(&draft),
    )))
}

/// The text typed into the form field `id` (empty when absent).
fn field(modal: &ModalInteraction, id: &str) -> String {
    modal
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|c| match c {
            ActionRowComponent::InputText(t) if t.custom_id == id => t.value.clone(),
            _ => None,
        })
        .unwrap_or_default()
}

/// A submitted add/edit form (remembered under `token`): writes the entry and reloads; when
/// it cannot be saved, hands the moderator's text back.
pub(crate) fn submit<'a>(
    state: &'a Arc<BotState>,
    modal: &'a ModalInteraction,
    token: String,
) -> Handled<'a> {
    let draft = EntryDraft {
        question: field(modal, fields::QUESTION),
        aliases: field(modal, fields::ALIASES)
            .lines()
            .map(str::to_string)
            .collect(),
        body: field(modal, fields::ANSWER),
    };
    if !staff::is_moderator(&state.cfg.discord, modal.member.as_ref()) {
        return Err(Refusal::NotModerator);
    }
    let (Some(dir), Some(form)) = (
        state.faq_dir().map(|d| d.to_path_buf()),
        state.take_form(&token),
    ) else {
        let reply = Reply::not_saved(&NotSaved::Expired, &draft.body, &state.referral);
        return Ok(Response::private(reply));
    };
    // Writing and re-indexing can take longer than Discord's 3 s: answer "thinking…" first.
    Ok(Response::later(Ack::Ephemeral, async move {
        let written = {
            let _guard = state.write_lock.lock().await;
            let engine = state.engine();
            match &form {
                PendingForm::Add => store::add_entry(&dir, engine.faq(), &draft)
                    .map(|(e, p)| (e, p.display().to_string(), "add")),
                PendingForm::Edit {
                    entry_id,
                    path,
                    hash,
                } => match engine.faq().entry(entry_id) {
                    Some(entry) => store::edit_entry(path, hash, engine.faq(), entry, &draft)
                        .map(|e| (e, path.display().to_string(), "edit")),
                    None => Err(StoreError::Conflict(path.display().to_string())),
                },
            }
        };
        let reply = match written {
            Ok((entry, file, action)) => {
                audit(&modal.user, action, &entry.meta.id, &file);
                let outcome = state.reload().await;
                Reply::saved(&entry.meta.question, &file, &outcome, &state.referral)
            }
            Err(e) => Reply::not_saved(&NotSaved::from(e), &draft.body, &state.referral),
        };
        Ok((reply, Vec::new()))
    }))
}
