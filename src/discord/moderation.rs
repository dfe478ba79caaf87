//! `/faq-admin add | edit | remove | reload`: moderators edit the FAQ from Discord.
//!
//! Add and edit open a form (modal); the edit remembers the file's hash when the form opened and
//! is refused if the file changed meanwhile, handing the moderator's text back so nothing is
//! lost. Remove asks for a confirming button press and moves the file to `faq/.removed/`.
//! Every change is written atomically, logged with who, what and when, and reloaded.

use crate::answer::Reply;
use crate::discord::commands::{is_moderator, reply_to, respond, Options};
use crate::discord::render::{self, truncate};
use crate::discord::state::{BotState, PendingForm, PendingRemoval, ReloadOutcome};
use crate::faq::store::{self, EntryDraft, StoreError};
use crate::search::rank::resolve_topic;
use serenity::all::{
    ActionRowComponent, ButtonStyle, CommandInteraction, ComponentInteraction, Context,
    CreateActionRow, CreateButton, CreateInputText, CreateInteractionResponse, CreateModal,
    InputTextStyle, Interaction, ModalInteraction, User,
};
use std::sync::Arc;

/// Custom-id prefix of the add/edit forms.
pub const FORM: &str = "faq-form:";
/// Custom-id prefix of the "Remove" confirmation button.
pub const REMOVE_YES: &str = "faq-rm:";
/// Custom-id prefix of the "Keep it" button.
pub const REMOVE_NO: &str = "faq-rm-no:";
/// Longest text a Discord form field holds.
const FIELD_MAX: usize = 4_000;

const NOT_A_MODERATOR: &str = "Only moderators can change the FAQ.";
const NOT_EDITABLE: &str = "This bot answers from the FAQ built into it; editing needs a FAQ \
folder (set [faq] dir in the config).";

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

fn reload_line(outcome: &ReloadOutcome) -> String {
    match outcome {
        ReloadOutcome::Reloaded { entries, passages } => {
            format!("The bot now answers from {entries} entries ({passages} passages).")
        }
        ReloadOutcome::Unchanged => "The FAQ files had not changed.".to_string(),
        ReloadOutcome::Invalid(problems) => format!(
            "The FAQ files have problems, so the previous FAQ keeps answering:\n{}",
            problems
                .iter()
                .take(10)
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        ReloadOutcome::Failed(e) => {
            format!("Reloading failed, so the previous FAQ keeps answering: {e}")
        }
    }
}

/// Handles `/faq-admin`.
pub async fn run(ctx: &Context, state: &Arc<BotState>, cmd: &CommandInteraction, opts: &Options) {
    let interaction = Interaction::Command(cmd.clone());
    let refuse = |text: &str| Reply::error(text, &state.referral);
    if !is_moderator(state, cmd.member.as_deref()) {
        reply_to(ctx, &interaction, &refuse(NOT_A_MODERATOR), vec![], true).await;
        return;
    }
    if opts.sub() == "reload" {
        reload(ctx, state, cmd).await;
        return;
    }
    if state.faq_dir().is_none() {
        reply_to(ctx, &interaction, &refuse(NOT_EDITABLE), vec![], true).await;
        return;
    }
    let token = cmd.id.get().to_string();
    match opts.sub() {
        "add" => {
            state.stash_form(token.clone(), PendingForm::Add);
            open_form(ctx, cmd, &token, "Add an FAQ entry", None).await;
        }
        "edit" | "remove" => {
            let engine = state.engine();
            let Some(entry) = resolve_topic(&engine, opts.get("topic").unwrap_or_default()) else {
                let text = "I couldn't find that topic. Use /faq list to see every topic.";
                reply_to(ctx, &interaction, &refuse(text), vec![], true).await;
                return;
            };
            let path = std::path::PathBuf::from(&entry.file);
            let hash = match store::current_hash(&path) {
                Ok(Some(h)) => h,
                _ => {
                    let text = format!(
                        "I can't read {} right now; try /faq-admin reload.",
                        entry.file
                    );
                    reply_to(ctx, &interaction, &refuse(&text), vec![], true).await;
                    return;
                }
            };
            if opts.sub() == "remove" {
                state.stash_removal(
                    token.clone(),
                    PendingRemoval {
                        entry_id: entry.meta.id.clone(),
                        question: entry.meta.question.clone(),
                        path,
                        hash,
                    },
                );
                let ask = Reply::notice(
                    &format!(
                        "Remove the entry **{}**? Its file is moved to `.removed/` in the FAQ folder.",
                        entry.meta.question
                    ),
                    &state.referral,
                );
                let buttons = vec![CreateActionRow::Buttons(vec![
                    CreateButton::new(format!("{REMOVE_YES}{token}"))
                        .label("Remove")
                        .style(ButtonStyle::Danger),
                    CreateButton::new(format!("{REMOVE_NO}{token}"))
                        .label("Keep it")
                        .style(ButtonStyle::Secondary),
                ])];
                reply_to(ctx, &interaction, &ask, buttons, true).await;
                return;
            }
            let draft = EntryDraft::from_entry(entry);
            if draft.body.chars().count() > FIELD_MAX {
                let text = format!(
                    "This entry is longer than a Discord form can hold ({FIELD_MAX} characters); \
                     please edit {} in git.",
                    entry.file
                );
                reply_to(ctx, &interaction, &refuse(&text), vec![], true).await;
                return;
            }
            state.stash_form(
                token.clone(),
                PendingForm::Edit {
                    entry_id: entry.meta.id.clone(),
                    path,
                    hash,
                },
            );
            open_form(ctx, cmd, &token, "Edit an FAQ entry", Some(&draft)).await;
        }
        _ => {
            reply_to(
                ctx,
                &interaction,
                &Reply::help(&state.referral),
                vec![],
                true,
            )
            .await;
        }
    }
}

async fn open_form(
    ctx: &Context,
    cmd: &CommandInteraction,
    token: &str,
    title: &str,
    draft: Option<&EntryDraft>,
) {
    let mut question = CreateInputText::new(InputTextStyle::Short, "Question", "question")
        .required(true)
        .max_length(300)
        .placeholder("How is IL-2 given?");
    let mut aliases = CreateInputText::new(
        InputTextStyle::Paragraph,
        "Other ways to ask it (one per line)",
        "aliases",
    )
    .required(false)
    .max_length(FIELD_MAX as u16);
    let mut answer = CreateInputText::new(
        InputTextStyle::Paragraph,
        "Answer (paragraphs separated by a blank line)",
        "answer",
    )
    .required(true)
    .max_length(FIELD_MAX as u16);
    if let Some(d) = draft {
        question = question.value(truncate(&d.question, 300));
        if !d.aliases.is_empty() {
            aliases = aliases.value(truncate(&d.aliases.join("\n"), FIELD_MAX));
        }
        answer = answer.value(d.body.clone());
    }
    let modal = CreateModal::new(format!("{FORM}{token}"), title).components(vec![
        CreateActionRow::InputText(question),
        CreateActionRow::InputText(aliases),
        CreateActionRow::InputText(answer),
    ]);
    let response = CreateInteractionResponse::Modal(modal);
    respond("open form", || {
        cmd.create_response(&ctx.http, response.clone())
    })
    .await;
}

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

/// Handles a submitted add/edit form. Returns false when the modal is not one of ours.
pub async fn submit(ctx: &Context, state: &Arc<BotState>, modal: &ModalInteraction) -> bool {
    let Some(token) = modal.data.custom_id.strip_prefix(FORM) else {
        return false;
    };
    let interaction = Interaction::Modal(modal.clone());
    let draft = EntryDraft {
        question: field(modal, "question"),
        aliases: field(modal, "aliases")
            .lines()
            .map(str::to_string)
            .collect(),
        body: field(modal, "answer"),
    };
    let keep_text = |why: &str| {
        Reply::error(
            &format!(
                "Not saved: {why}\nYour text, so you can copy it and try again:\n```\n{}\n```",
                truncate(&draft.body.replace("```", "'''"), 1_200)
            ),
            &state.referral,
        )
    };
    if !is_moderator(state, modal.member.as_ref()) {
        reply_to(
            ctx,
            &interaction,
            &Reply::error(NOT_A_MODERATOR, &state.referral),
            vec![],
            true,
        )
        .await;
        return true;
    }
    let (Some(dir), Some(form)) = (
        state.faq_dir().map(|d| d.to_path_buf()),
        state.take_form(token),
    ) else {
        let reply = keep_text(
            "this form has expired (the bot may have restarted). Please run the command again.",
        );
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return true;
    };
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
            Reply::notice(
                &format!(
                    "Saved **{}** in `{file}`. {}",
                    entry.meta.question,
                    reload_line(&outcome)
                ),
                &state.referral,
            )
        }
        Err(StoreError::Conflict(file)) => keep_text(&format!(
            "{file} was changed by someone else since you opened this form, and nothing was \
             overwritten. Run /faq-admin edit again to see the current text."
        )),
        Err(e) => keep_text(&e.to_string()),
    };
    reply_to(ctx, &interaction, &reply, vec![], true).await;
    true
}

/// Handles the remove confirmation buttons. Returns false when the id is not one of them.
pub async fn confirm(ctx: &Context, state: &Arc<BotState>, press: &ComponentInteraction) -> bool {
    let id = press.data.custom_id.as_str();
    let (token, yes) = if let Some(t) = id.strip_prefix(REMOVE_NO) {
        (t, false)
    } else if let Some(t) = id.strip_prefix(REMOVE_YES) {
        (t, true)
    } else {
        return false;
    };
    let reply = if !is_moderator(state, press.member.as_ref()) {
        Reply::error(NOT_A_MODERATOR, &state.referral)
    } else {
        match (state.take_removal(token), state.faq_dir()) {
            (None, _) | (_, None) => Reply::error(
                "This confirmation has expired. Run /faq-admin remove again.",
                &state.referral,
            ),
            (Some(r), Some(_)) if !yes => {
                Reply::notice(&format!("Kept **{}**.", r.question), &state.referral)
            }
            (Some(r), Some(dir)) => {
                let removed = {
                    let _guard = state.write_lock.lock().await;
                    store::remove_entry(dir, &r.path, &r.hash)
                };
                match removed {
                    Ok(to) => {
                        audit(
                            &press.user,
                            "remove",
                            &r.entry_id,
                            &r.path.display().to_string(),
                        );
                        let outcome = state.reload().await;
                        Reply::notice(
                            &format!(
                                "Removed **{}** (its file is kept as `{}`). {}",
                                r.question,
                                to.display(),
                                reload_line(&outcome)
                            ),
                            &state.referral,
                        )
                    }
                    Err(e) => Reply::error(&format!("Not removed: {e}"), &state.referral),
                }
            }
        }
    };
    let response =
        CreateInteractionResponse::UpdateMessage(render::interaction_message(&reply, vec![], true));
    respond("remove confirmation", || {
        press.create_response(&ctx.http, response.clone())
    })
    .await;
    true
}

async fn reload(ctx: &Context, state: &Arc<BotState>, cmd: &CommandInteraction) {
    respond("defer reload", || cmd.defer_ephemeral(&ctx.http)).await;
    let outcome = state.reload().await;
    if let ReloadOutcome::Reloaded { .. } = outcome {
        audit(&cmd.user, "reload", "*", "*");
    }
    let reply = match &outcome {
        ReloadOutcome::Invalid(_) | ReloadOutcome::Failed(_) => {
            Reply::error(&reload_line(&outcome), &state.referral)
        }
        _ => Reply::notice(&reload_line(&outcome), &state.referral),
    };
    let edit = render::interaction_edit(&reply, vec![]);
    respond("reload result", || async {
        cmd.edit_response(&ctx.http, edit.clone()).await.map(|_| ())
    })
    .await;
}
