//! `/faq-admin add | edit | remove | reload | gaps | stats`: moderators edit the FAQ from
//! Discord and read the insight reports.
//!
//! Add and edit open a form (modal); the edit remembers the file's hash when the form opened and
//! is refused if the file changed meanwhile, handing the moderator's text back so nothing is
//! lost. Remove asks for a confirming button press and moves the file to `faq/.removed/`.
//! Every change is written atomically, logged with who, what and when, and reloaded.

use crate::answer::reply::{NotSaved, Report};
use crate::answer::topics::resolve_topic;
use crate::answer::{Refusal, Reply};
use crate::discord::commands::{edit_deferred, is_moderator, reply_to, respond, Options};
use crate::discord::render::truncate;
use crate::discord::state::{BotState, PendingForm, PendingRemoval, ReloadOutcome};
use crate::faq::store::{self, EntryDraft, StoreError};
use crate::insight::report::{self, GapReport, Style, Titles};
use crate::insight::unix_now;
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
/// Custom-id prefix of the gap report's "Add as alias" buttons (followed by a question row id).
pub const GAP_ALIAS: &str = "gap-alias:";
/// Gap groups shown in Discord.
const GAPS_SHOWN: usize = 10;
/// Most "Add as alias" buttons under a gap report (one per row).
const ALIAS_BUTTONS: usize = 5;
/// Discord's limit on a button label.
const LABEL_MAX: usize = 80;

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

/// Handles `/faq-admin`.
pub async fn run(ctx: &Context, state: &Arc<BotState>, cmd: &CommandInteraction, opts: &Options) {
    let interaction = Interaction::Command(cmd.clone());
    let refuse = |refusal: Refusal| Reply::refusal(&refusal, &state.referral);
    if !is_moderator(state, cmd.member.as_deref()) {
        reply_to(
            ctx,
            &interaction,
            &refuse(Refusal::NotModerator),
            vec![],
            true,
        )
        .await;
        return;
    }
    match opts.sub() {
        "reload" => {
            reload(ctx, state, cmd).await;
            return;
        }
        "gaps" => {
            gaps(ctx, state, cmd, opts).await;
            return;
        }
        "stats" => {
            stats(ctx, state, cmd).await;
            return;
        }
        _ => {}
    }
    if state.faq_dir().is_none() {
        reply_to(
            ctx,
            &interaction,
            &refuse(Refusal::NotEditable),
            vec![],
            true,
        )
        .await;
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
                reply_to(
                    ctx,
                    &interaction,
                    &refuse(Refusal::UnknownTopic),
                    vec![],
                    true,
                )
                .await;
                return;
            };
            let path = std::path::PathBuf::from(&entry.file);
            let hash = match store::current_hash(&path) {
                Ok(Some(h)) => h,
                _ => {
                    let refusal = Refusal::Unreadable(entry.file.clone());
                    reply_to(ctx, &interaction, &refuse(refusal), vec![], true).await;
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
                let ask = Reply::confirm_removal(&entry.meta.question, &state.referral);
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
                let refusal = Refusal::TooLongForForm {
                    max: FIELD_MAX,
                    file: entry.file.clone(),
                };
                reply_to(ctx, &interaction, &refuse(refusal), vec![], true).await;
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
    let keep_text = |why: NotSaved| Reply::not_saved(&why, &draft.body, &state.referral);
    if !is_moderator(state, modal.member.as_ref()) {
        reply_to(
            ctx,
            &interaction,
            &Reply::refusal(&Refusal::NotModerator, &state.referral),
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
        let reply = keep_text(NotSaved::Expired);
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return true;
    };
    // Writing and re-indexing can take longer than Discord's 3 s: answer "thinking…" first.
    respond("defer form", || modal.defer_ephemeral(&ctx.http)).await;
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
        Err(e) => keep_text(NotSaved::from(e)),
    };
    edit_deferred("form result", &reply, vec![], |e| {
        modal.edit_response(&ctx.http, e)
    })
    .await;
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
    // Removing and re-indexing can take longer than Discord's 3 s: acknowledge first, then edit
    // the confirmation message with the result.
    respond("defer remove", || press.defer(&ctx.http)).await;
    let reply = if !is_moderator(state, press.member.as_ref()) {
        Reply::refusal(&Refusal::NotModerator, &state.referral)
    } else {
        match (state.take_removal(token), state.faq_dir()) {
            (None, _) | (_, None) => Reply::refusal(&Refusal::ConfirmationExpired, &state.referral),
            (Some(r), Some(_)) if !yes => Reply::kept(&r.question, &state.referral),
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
                        let kept_as = to.display().to_string();
                        Reply::removed(&r.question, &kept_as, &outcome, &state.referral)
                    }
                    Err(e) => Reply::refusal(&Refusal::NotRemoved(e.to_string()), &state.referral),
                }
            }
        }
    };
    edit_deferred("remove confirmation", &reply, vec![], |e| {
        press.edit_response(&ctx.http, e)
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
    let reply = Reply::reloaded(&outcome, &state.referral);
    edit_deferred("reload result", &reply, vec![], |e| {
        cmd.edit_response(&ctx.http, e)
    })
    .await;
}

fn no_insight(state: &BotState) -> Reply {
    Reply::refusal(&Refusal::NoInsight, &state.referral)
}

/// Entry ids to questions for the engine's FAQ.
fn titles(engine: &crate::answer::Engine) -> Titles {
    engine
        .faq()
        .entries
        .iter()
        .map(|e| (e.meta.id.clone(), e.meta.question.clone()))
        .collect()
}

/// Sends the result of a deferred moderator command.
async fn finish(
    ctx: &Context,
    cmd: &CommandInteraction,
    reply: &Reply,
    components: Vec<CreateActionRow>,
) {
    edit_deferred("insight result", reply, components, |e| {
        cmd.edit_response(&ctx.http, e)
    })
    .await;
}

/// The gap report as a reply, with an "Add as alias" button per group that has a suggestion.
pub fn gap_reply(state: &BotState, report: &GapReport) -> (Reply, Vec<CreateActionRow>) {
    let reply = Reply::gaps(
        report.headline(),
        report.render(Style::Markdown),
        &state.referral,
    );
    let buttons = report
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.now_answered_by.is_none())
        .filter_map(|(i, g)| {
            let a = g.alias.as_ref()?;
            let title = g
                .entry_question
                .as_deref()
                .filter(|_| g.entry_id.as_deref() == Some(a.entry_id.as_str()))
                .unwrap_or(&a.entry_id);
            Some(CreateActionRow::Buttons(vec![CreateButton::new(format!(
                "{GAP_ALIAS}{}",
                a.question_id
            ))
            .label(truncate(
                &format!("Add {} as alias of {}", i + 1, title),
                LABEL_MAX,
            ))
            .style(ButtonStyle::Primary)]))
        })
        .take(ALIAS_BUTTONS)
        .collect();
    (reply, buttons)
}

async fn gaps(ctx: &Context, state: &Arc<BotState>, cmd: &CommandInteraction, opts: &Options) {
    respond("defer gaps", || cmd.defer_ephemeral(&ctx.http)).await;
    let Some(recorder) = state.insight().cloned() else {
        finish(ctx, cmd, &no_insight(state), vec![]).await;
        return;
    };
    let retention = state.cfg.state.retention_days.max(1);
    let days = opts
        .get("days")
        .and_then(|d| d.parse::<u32>().ok())
        .unwrap_or(30)
        .clamp(1, retention);
    let engine = state.engine();
    let job = tokio::task::spawn_blocking(move || -> anyhow::Result<GapReport> {
        let titles = titles(&engine);
        let mut report = recorder.with_store(|s| {
            report::gaps(
                s,
                engine.search().analyzer(),
                &titles,
                unix_now(),
                days,
                GAPS_SHOWN,
            )
        })?;
        for g in &mut report.groups {
            if g.unanswered * 2 > g.count {
                g.now_answered_by = engine.answer(&g.phrasing).best.map(|b| b.entry_question);
            }
        }
        Ok(report)
    });
    let (reply, buttons) = match job.await {
        Ok(Ok(report)) => gap_reply(state, &report),
        Ok(Err(e)) => {
            tracing::error!("gap report failed: {e:#}");
            let refusal = Refusal::ReportFailed {
                report: Report::Gaps,
                detail: Some(format!("{e:#}")),
            };
            (Reply::refusal(&refusal, &state.referral), vec![])
        }
        Err(e) => {
            tracing::error!("gap report task failed: {e}");
            let refusal = Refusal::ReportFailed {
                report: Report::Gaps,
                detail: None,
            };
            (Reply::refusal(&refusal, &state.referral), vec![])
        }
    };
    finish(ctx, cmd, &reply, buttons).await;
}

async fn stats(ctx: &Context, state: &Arc<BotState>, cmd: &CommandInteraction) {
    respond("defer stats", || cmd.defer_ephemeral(&ctx.http)).await;
    let Some(recorder) = state.insight().cloned() else {
        finish(ctx, cmd, &no_insight(state), vec![]).await;
        return;
    };
    let engine = state.engine();
    let job = tokio::task::spawn_blocking(move || {
        let titles = titles(&engine);
        recorder.with_store(|s| report::stats(s, &titles, unix_now(), &report::STATS_PERIODS))
    });
    let reply = match job.await {
        Ok(Ok(stats)) => Reply::stats(stats.render(Style::Markdown, 7), &state.referral),
        Ok(Err(e)) => {
            tracing::error!("stats failed: {e:#}");
            let refusal = Refusal::ReportFailed {
                report: Report::Stats,
                detail: Some(format!("{e:#}")),
            };
            Reply::refusal(&refusal, &state.referral)
        }
        Err(e) => {
            tracing::error!("stats task failed: {e}");
            let refusal = Refusal::ReportFailed {
                report: Report::Stats,
                detail: None,
            };
            Reply::refusal(&refusal, &state.referral)
        }
    };
    finish(ctx, cmd, &reply, vec![]).await;
}

/// Handles the gap report's "Add as alias" buttons: appends the group's phrasing to the
/// entry's aliases (atomic, conflict-checked) and reloads. Returns false for other buttons.
pub async fn alias_button(
    ctx: &Context,
    state: &Arc<BotState>,
    press: &ComponentInteraction,
) -> bool {
    let Some(id) = press.data.custom_id.strip_prefix(GAP_ALIAS) else {
        return false;
    };
    let interaction = Interaction::Component(press.clone());
    let refuse = |refusal: Refusal| Reply::refusal(&refusal, &state.referral);
    if !is_moderator(state, press.member.as_ref()) {
        reply_to(
            ctx,
            &interaction,
            &refuse(Refusal::NotModerator),
            vec![],
            true,
        )
        .await;
        return true;
    }
    let (Some(recorder), Some(_)) = (state.insight().cloned(), state.faq_dir()) else {
        let refusal = if state.faq_dir().is_none() {
            Refusal::NotEditable
        } else {
            Refusal::NoInsight
        };
        reply_to(ctx, &interaction, &refuse(refusal), vec![], true).await;
        return true;
    };
    respond("defer alias", || press.defer_ephemeral(&ctx.http)).await;
    let reply = match id.parse::<i64>() {
        Ok(id) => add_alias(state, &press.user, recorder, id).await,
        Err(_) => refuse(Refusal::ButtonExpired),
    };
    edit_deferred("alias result", &reply, vec![], |e| {
        press.edit_response(&ctx.http, e)
    })
    .await;
    true
}

async fn add_alias(
    state: &Arc<BotState>,
    user: &User,
    recorder: Arc<crate::insight::Recorder>,
    question_id: i64,
) -> Reply {
    let refuse = |refusal: Refusal| Reply::refusal(&refusal, &state.referral);
    let row =
        tokio::task::spawn_blocking(move || recorder.with_store(|s| s.question(question_id))).await;
    let (phrasing, entry_id) = match row {
        Ok(Ok(Some(q))) => match q.outcome.entry_id {
            Some(e) => (q.question, e),
            None => return refuse(Refusal::NotCloseToEntry),
        },
        Ok(Ok(None)) => return refuse(Refusal::QuestionExpired),
        Ok(Err(e)) => return refuse(Refusal::InsightUnreadable(format!("{e:#}"))),
        Err(e) => return refuse(Refusal::InsightUnreadable(e.to_string())),
    };
    let written = {
        let _guard = state.write_lock.lock().await;
        let engine = state.engine();
        let Some(loaded) = engine.faq().entry(&entry_id) else {
            return refuse(Refusal::EntryGone);
        };
        let path = std::path::PathBuf::from(&loaded.file);
        match store::reread_entry(&path, &entry_id) {
            Err(e) => Err(e.to_string()),
            Ok((entry, _))
                if entry
                    .meta
                    .aliases
                    .iter()
                    .any(|a| a.trim().eq_ignore_ascii_case(phrasing.trim())) =>
            {
                return Reply::alias_exists(
                    &report::escape_markdown(&phrasing),
                    &entry.meta.question,
                    &state.referral,
                );
            }
            Ok((entry, hash)) => store::add_alias(&path, &hash, engine.faq(), &entry, &phrasing)
                .map(|e| (e, path.display().to_string()))
                .map_err(|e| e.to_string()),
        }
    };
    match written {
        Ok((entry, file)) => {
            audit(user, "alias", &entry.meta.id, &file);
            let outcome = state.reload().await;
            Reply::alias_added(
                &report::escape_markdown(&phrasing),
                &entry.meta.question,
                &outcome,
                &state.referral,
            )
        }
        Err(e) => refuse(Refusal::AliasNotSaved(e)),
    }
}
