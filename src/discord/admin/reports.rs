//! `/faq-admin gaps` and `stats`, read from the insight store, and the gap report's "Add as
//! alias" buttons, which turn a frequent unanswered phrasing into an alias of its entry.

use crate::answer::reply::Report;
use crate::answer::{Engine, Refusal, Reply};
use crate::discord::admin::audit;
use crate::discord::router::{Ack, Handled, Response, Shown};
use crate::discord::staff;
use crate::discord::state::BotState;
use crate::discord::ui;
use crate::faq::store;
use crate::insight::report::{self, GapReport, Style, Titles};
use crate::insight::{unix_now, Recorder};
use serenity::all::{ComponentInteraction, User};
use std::sync::Arc;

/// Gap groups shown in Discord.
const GAPS_SHOWN: usize = 10;
/// Most "Add as alias" buttons under a gap report (one per row).
const ALIAS_BUTTONS: usize = 5;
/// Days the gap report looks back by default.
const DEFAULT_DAYS: u32 = 30;
/// Per-day lines in the statistics for periods up to this many days: the week only, to keep
/// the message short.
const PER_DAY_UP_TO: u32 = 7;

/// Entry ids to questions for the engine's FAQ.
fn titles(engine: &Engine) -> Titles {
    engine
        .faq()
        .entries
        .iter()
        .map(|e| (e.meta.id.clone(), e.meta.question.clone()))
        .collect()
}

/// The gap report as a reply, with an "Add as alias" button per group that has a suggestion.
fn gap_reply(state: &BotState, report: &GapReport) -> Shown {
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
            Some(ui::alias_button(i + 1, title, a.question_id))
        })
        .take(ALIAS_BUTTONS)
        .collect();
    (reply, buttons)
}

/// `/faq-admin gaps [days]`: the most frequent unanswered and "Not helpful" questions (days
/// clamped to the retention period), each marked when the FAQ now answers it.
pub(crate) fn gaps<'a>(state: &'a Arc<BotState>, days: Option<&str>) -> Response<'a> {
    let days = days.and_then(|d| d.parse::<u32>().ok());
    Response::later(Ack::Ephemeral, async move {
        let recorder = state.insight().cloned().ok_or(Refusal::NoInsight)?;
        let retention = state.cfg.state.retention_days.max(1);
        let days = days.unwrap_or(DEFAULT_DAYS).clamp(1, retention);
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
        let failed = |detail| Refusal::ReportFailed {
            report: Report::Gaps,
            detail,
        };
        match job.await {
            Ok(Ok(report)) => Ok(gap_reply(state, &report)),
            Ok(Err(e)) => {
                tracing::error!("gap report failed: {e:#}");
                Err(failed(Some(format!("{e:#}"))))
            }
            Err(e) => {
                tracing::error!("gap report task failed: {e}");
                Err(failed(None))
            }
        }
    })
}

/// `/faq-admin stats`: questions, answer rate and helpful rate over 7 and 30 days.
pub(crate) fn stats(state: &Arc<BotState>) -> Response<'_> {
    Response::later(Ack::Ephemeral, async move {
        let recorder = state.insight().cloned().ok_or(Refusal::NoInsight)?;
        let engine = state.engine();
        let job = tokio::task::spawn_blocking(move || {
            let titles = titles(&engine);
            recorder.with_store(|s| report::stats(s, &titles, unix_now(), &report::STATS_PERIODS))
        });
        let failed = |detail| Refusal::ReportFailed {
            report: Report::Stats,
            detail,
        };
        match job.await {
            Ok(Ok(stats)) => Ok((
                Reply::stats(
                    stats.render(Style::Markdown, PER_DAY_UP_TO),
                    &state.referral,
                ),
                Vec::new(),
            )),
            Ok(Err(e)) => {
                tracing::error!("stats failed: {e:#}");
                Err(failed(Some(format!("{e:#}"))))
            }
            Err(e) => {
                tracing::error!("stats task failed: {e}");
                Err(failed(None))
            }
        }
    })
}

/// "Add as alias" for the stored question `question_id` (`None`: the button's id did not
/// read): appends its phrasing to the entry's aliases (atomic, conflict-checked) and reloads.
pub(crate) fn alias_button<'a>(
    state: &'a Arc<BotState>,
    press: &'a ComponentInteraction,
    question_id: Option<i64>,
) -> Handled<'a> {
    if !staff::is_moderator(&state.cfg.discord, press.member.as_ref()) {
        return Err(Refusal::NotModerator);
    }
    let (Some(recorder), Some(_)) = (state.insight().cloned(), state.faq_dir()) else {
        return Err(if state.faq_dir().is_none() {
            Refusal::NotEditable
        } else {
            Refusal::NoInsight
        });
    };
    Ok(Response::later(Ack::Ephemeral, async move {
        let question_id = question_id.ok_or(Refusal::ButtonExpired)?;
        let reply = add_alias(state, &press.user, recorder, question_id).await?;
        Ok((reply, Vec::new()))
    }))
}

async fn add_alias(
    state: &Arc<BotState>,
    user: &User,
    recorder: Arc<Recorder>,
    question_id: i64,
) -> Result<Reply, Refusal> {
    let row =
        tokio::task::spawn_blocking(move || recorder.with_store(|s| s.question(question_id))).await;
    let (phrasing, entry_id) = match row {
        Ok(Ok(Some(q))) => match q.outcome.entry_id {
            Some(e) => (q.question, e),
            None => return Err(Refusal::NotCloseToEntry),
        },
        Ok(Ok(None)) => return Err(Refusal::QuestionExpired),
        Ok(Err(e)) => return Err(Refusal::InsightUnreadable(format!("{e:#}"))),
        Err(e) => return Err(Refusal::InsightUnreadable(e.to_string())),
    };
    let written = {
        let _guard = state.write_lock.lock().await;
        let engine = state.engine();
        let loaded = engine.faq().entry(&entry_id).ok_or(Refusal::EntryGone)?;
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
                return Ok(Reply::alias_exists(
                    &report::escape_markdown(&phrasing),
                    &entry.meta.question,
                    &state.referral,
                ));
            }
            Ok((entry, hash)) => store::add_alias(&path, &hash, engine.faq(), &entry, &phrasing)
                .map(|e| (e, path.display().to_string()))
                .map_err(|e| e.to_string()),
        }
    };
    let (entry, file) = written.map_err(Refusal::AliasNotSaved)?;
    audit(user, "alias", &entry.meta.id, &file);
    let outcome = state.reload().await;
    Ok(Reply::alias_added(
        &report::escape_markdown(&phrasing),
        &entry.meta.question,
        &outcome,
        &state.referral,
    ))
}
