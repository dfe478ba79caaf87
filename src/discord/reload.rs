//! Hot reload: a debounced watcher on the FAQ folder reloads it ([`BotState::reload`]: the
//! index is rebuilt in the background and swapped in, only when the files changed); an invalid
//! file leaves the previous FAQ serving and is logged as FILE:LINE.

use crate::discord::state::{BotState, ReloadOutcome};
use anyhow::{Context as _, Result};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Quiet time after the last change before reloading.
pub const DEBOUNCE: Duration = Duration::from_millis(400);

/// Whether a changed path triggers a reload: any file the FAQ is read from (entries,
/// `synonyms.toml`, `urgent.toml`), by the one definition [`crate::faq::load::is_faq_file`].
fn relevant(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(crate::faq::load::is_faq_file)
}

/// Logs a reload's outcome.
pub(crate) fn log_outcome(outcome: &ReloadOutcome) {
    match outcome {
        ReloadOutcome::Reloaded { entries, passages } => {
            tracing::info!(entries, passages, "FAQ reloaded")
        }
        ReloadOutcome::Unchanged => tracing::debug!("FAQ unchanged"),
        ReloadOutcome::Invalid(problems) => {
            for p in problems {
                tracing::warn!("{p}");
            }
            tracing::warn!(
                problems = problems.len(),
                "FAQ not reloaded: the previous FAQ keeps answering until the files are fixed"
            );
        }
        ReloadOutcome::Failed(e) => {
            tracing::error!("FAQ not reloaded ({e}); the previous FAQ keeps answering")
        }
    }
}

/// A running FAQ folder watcher and the task that reloads on its events (it holds the bot's
/// state, so stopping it is part of a shutdown that releases the insight store).
pub(crate) struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher>,
    task: tokio::task::JoinHandle<()>,
}

impl Watcher {
    /// Stops watching and ends the reload task; a reload under way is abandoned (the files
    /// are untouched by it, and the next start reads them again).
    pub(crate) async fn stop(self) {
        drop(self.debouncer);
        self.task.abort();
        let _ = self.task.await;
    }
}

/// Starts watching `dir`; keep the returned watcher for as long as reloads are wanted.
pub(crate) fn watch(dir: &Path, state: Arc<BotState>) -> Result<Watcher> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut debouncer = new_debouncer(DEBOUNCE, move |res: DebounceEventResult| match res {
        Ok(events) if events.iter().any(|e| relevant(&e.path)) => {
            let _ = tx.send(());
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("FAQ folder watcher error: {e}"),
    })
    .context("cannot start the FAQ folder watcher")?;
    debouncer
        .watcher()
        .watch(dir, notify::RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", dir.display()))?;
    let folder = dir.to_path_buf();
    let stamps = move || {
        let folder = folder.clone();
        async move {
            tokio::task::spawn_blocking(move || crate::faq::load::faq_stamps(&folder).ok())
                .await
                .ok()
                .flatten()
        }
    };
    let task = tokio::spawn(async move {
        let mut seen = stamps().await;
        while rx.recv().await.is_some() {
            while rx.try_recv().is_ok() {}
            // Reading the files is an event too (inotify reports opens): only a change in a
            // file's size or modification time is a reason to reload.
            let now = stamps().await;
            if now.is_some() && now == seen {
                continue;
            }
            seen = now;
            log_outcome(&state.reload().await);
        }
    });
    Ok(Watcher { debouncer, task })
}

#[cfg(test)]
mod tests {
    use super::relevant;
    use std::path::Path;

    #[test]
    fn every_file_the_faq_is_read_from_triggers_a_reload() {
        for name in ["10-dosing.md", "synonyms.toml", "urgent.toml"] {
            assert!(relevant(&Path::new("faq").join(name)), "{name}");
        }
        for name in ["README.md", ".10-dosing.md.swp", "notes.txt", "_draft.md"] {
            assert!(!relevant(&Path::new("faq").join(name)), "{name}");
        }
    }
}
