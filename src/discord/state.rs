//! State shared by every event handler: the current answer engine (swapped atomically on
//! reload), the per-member cooldown, short-lived memory for buttons, the insight recorder, and
//! the quiet periods after helpers post.

use crate::answer::{Answer, Referral};
use crate::answer::{Engine, IndexLocation, OpenError};
use crate::config::Config;
use crate::discord::forum::AnsweredPosts;
use crate::discord::rest::Rest;
use crate::faq::load::load_faq;
use crate::faq::FaqSource;
use crate::insight::store::Source;
use crate::insight::{Outcome, Recorder};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How many recent questions are remembered for the "Other matches" button.
const RECENT_QUESTIONS: usize = 5_000;

/// What the cooldown decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cooldown {
    /// Go ahead.
    Ready,
    /// Too soon; `notify` is true for the first refusal in a row only.
    SlowDown {
        /// Whether to tell the member (once per flood).
        notify: bool,
    },
}

pub(crate) use crate::answer::reply::ReloadOutcome;

/// A removal waiting for the moderator's confirming button press.
#[derive(Debug, Clone)]
pub(crate) struct PendingRemoval {
    /// The entry's id.
    pub(crate) entry_id: String,
    /// The entry's question.
    pub(crate) question: String,
    /// Its file.
    pub(crate) path: std::path::PathBuf,
    /// Hash of the file when the removal was asked for.
    pub(crate) hash: String,
}

/// A moderator form (modal) waiting to be submitted.
#[derive(Debug, Clone)]
pub(crate) enum PendingForm {
    /// `/faq-admin add`.
    Add,
    /// `/faq-admin edit`: the entry and its file's hash when the form opened.
    Edit {
        /// The entry's id.
        entry_id: String,
        /// Its file.
        path: std::path::PathBuf,
        /// Hash of the file when the form opened.
        hash: String,
    },
}

/// Most pending forms or removals kept at once (older ones are dropped past this).
const MAX_PENDING: usize = 1_000;

/// Locks `mutex` even when a panicking handler poisoned it: every value guarded here is changed
/// in one step (a map insert, a counter), so it is never left half-updated, and one panic must
/// not stop the bot from answering.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn stash<T>(map: &Mutex<HashMap<String, T>>, token: String, value: T) {
    let mut g = lock(map);
    if g.len() >= MAX_PENDING {
        g.clear();
    }
    g.insert(token, value);
}

fn take<T>(map: &Mutex<HashMap<String, T>>, token: &str) -> Option<T> {
    lock(map).remove(token)
}

/// Everything the handlers share.
pub struct BotState {
    engine: RwLock<Arc<Engine>>,
    /// The referral added to every reply.
    pub(crate) referral: Referral,
    /// The configuration.
    pub(crate) cfg: Config,
    /// Where the FAQ files are.
    source: FaqSource,
    /// Where the index goes.
    location: IndexLocation,
    cooldowns: Mutex<HashMap<u64, (Instant, bool)>>,
    recent: Mutex<(u64, VecDeque<(u64, String)>)>,
    removals: Mutex<HashMap<String, PendingRemoval>>,
    forms: Mutex<HashMap<String, PendingForm>>,
    /// Serialises reloads.
    reload_lock: tokio::sync::Mutex<()>,
    /// Serialises moderator writes.
    pub(crate) write_lock: tokio::sync::Mutex<()>,
    insight: Option<Arc<Recorder>>,
    helper_seen: Mutex<HashMap<u64, Instant>>,
    volunteer_asked: Mutex<HashSet<u64>>,
    /// Sends the replies.
    pub(crate) rest: Rest,
    /// The forum posts already answered.
    pub(crate) forum_posts: AnsweredPosts,
}

impl BotState {
    /// Wraps a ready engine.
    pub(crate) fn new(
        cfg: Config,
        source: FaqSource,
        location: IndexLocation,
        engine: Engine,
        rest: Rest,
        forum_posts: AnsweredPosts,
    ) -> Self {
        BotState {
            engine: RwLock::new(Arc::new(engine)),
            referral: cfg.referral(),
            cfg,
            source,
            location,
            cooldowns: Mutex::new(HashMap::new()),
            recent: Mutex::new((0, VecDeque::new())),
            removals: Mutex::new(HashMap::new()),
            forms: Mutex::new(HashMap::new()),
            reload_lock: tokio::sync::Mutex::new(()),
            write_lock: tokio::sync::Mutex::new(()),
            insight: None,
            helper_seen: Mutex::new(HashMap::new()),
            volunteer_asked: Mutex::new(HashSet::new()),
            rest,
            forum_posts,
        }
    }

    /// Records questions and votes in `recorder` from now on.
    pub(crate) fn with_insight(mut self, recorder: Recorder) -> Self {
        self.insight = Some(Arc::new(recorder));
        self
    }

    /// The insight recorder, when the bot keeps one.
    pub fn insight(&self) -> Option<&Arc<Recorder>> {
        self.insight.as_ref()
    }

    /// The engine serving right now.
    pub fn engine(&self) -> Arc<Engine> {
        Arc::clone(&self.engine.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn swap(&self, engine: Engine) {
        let new = Arc::new(engine);
        *self.engine.write().unwrap_or_else(PoisonError::into_inner) = new;
    }

    /// The FAQ folder, when the FAQ is editable (not the built-in one).
    pub(crate) fn faq_dir(&self) -> Option<&std::path::Path> {
        match &self.source {
            FaqSource::Dir(d) => Some(d),
            FaqSource::Embedded => None,
        }
    }

    /// Applies the per-member cooldown.
    pub(crate) fn cooldown(&self, user: u64) -> Cooldown {
        let secs = self.cfg.discord.cooldown_seconds.unwrap_or(3);
        if secs == 0 {
            return Cooldown::Ready;
        }
        let window = Duration::from_secs(secs);
        let now = Instant::now();
        let mut map = lock(&self.cooldowns);
        if map.len() > 10_000 {
            map.retain(|_, (t, _)| now.duration_since(*t) < window);
        }
        match map.get_mut(&user) {
            Some((last, warned)) if now.duration_since(*last) < window => {
                let notify = !*warned;
                *warned = true;
                Cooldown::SlowDown { notify }
            }
            _ => {
                map.insert(user, (now, false));
                Cooldown::Ready
            }
        }
    }

    /// Records a question and what was answered in the insight store (when there is one) and
    /// remembers it for the answer's buttons; returns its key, the stored row's id. Cheap: the
    /// row is written in the background.
    pub(crate) fn remember_answer(&self, answer: &Answer, source: Source) -> u64 {
        let id = self.insight.as_ref().map(|r| {
            let outcome = Outcome::from_answer(answer).via(source);
            r.record(&answer.question, outcome).max(0) as u64
        });
        self.remember_as(id, &answer.question)
    }

    fn remember_as(&self, id: Option<u64>, question: &str) -> u64 {
        let mut g = lock(&self.recent);
        let key = match id {
            Some(id) => {
                g.0 = g.0.max(id);
                id
            }
            None => {
                g.0 += 1;
                g.0
            }
        };
        g.1.push_back((key, question.chars().take(1_000).collect()));
        while g.1.len() > RECENT_QUESTIONS {
            g.1.pop_front();
        }
        key
    }

    /// The question remembered under `key`, if still remembered.
    pub(crate) fn recall(&self, key: u64) -> Option<String> {
        let g = lock(&self.recent);
        g.1.iter().find(|(k, _)| *k == key).map(|(_, q)| q.clone())
    }

    /// Records a member's Helpful / Not helpful vote on the answer to question `key` (once per
    /// member per answer; only a salted hash of the pair is stored).
    pub(crate) fn vote(&self, key: u64, user: u64, helpful: bool) {
        if let (Some(r), Ok(id)) = (&self.insight, i64::try_from(key)) {
            r.vote(id, user, helpful);
        }
    }

    /// Notes that a moderator or helper posted in `channel` at `at` (starts its quiet period).
    pub(crate) fn note_helper_message(&self, channel: u64, at: Instant) {
        let window = self.quiet_window();
        let mut g = lock(&self.helper_seen);
        if g.len() > 10_000 {
            g.retain(|_, t| at.saturating_duration_since(*t) < window);
        }
        let last = g.entry(channel).or_insert(at);
        *last = (*last).max(at);
    }

    /// Whether the bot keeps quiet in `channel` at `now`: a moderator or helper posted there
    /// less than `[discord] quiet_minutes` before.
    pub fn is_quiet_at(&self, channel: u64, now: Instant) -> bool {
        let window = self.quiet_window();
        if window.is_zero() {
            return false;
        }
        let g = lock(&self.helper_seen);
        g.get(&channel)
            .is_some_and(|t| now.saturating_duration_since(*t) < window)
    }

    /// [`BotState::is_quiet_at`] now.
    pub fn is_quiet(&self, channel: u64) -> bool {
        self.is_quiet_at(channel, Instant::now())
    }

    fn quiet_window(&self) -> Duration {
        Duration::from_secs(self.cfg.quiet_minutes().saturating_mul(60))
    }

    /// True the first time a volunteer is asked for under message `message` (so one answer
    /// pings the helpers once).
    pub(crate) fn first_volunteer_request(&self, message: u64) -> bool {
        let mut g = lock(&self.volunteer_asked);
        if g.len() >= 10_000 {
            g.clear();
        }
        g.insert(message)
    }

    /// Forgets a volunteer request (when asking failed, so the member can try again).
    pub(crate) fn forget_volunteer_request(&self, message: u64) {
        let mut g = lock(&self.volunteer_asked);
        g.remove(&message);
    }

    /// Keeps a removal until its confirmation, under `token`.
    pub(crate) fn stash_removal(&self, token: String, removal: PendingRemoval) {
        stash(&self.removals, token, removal);
    }

    /// Takes a pending removal.
    pub(crate) fn take_removal(&self, token: &str) -> Option<PendingRemoval> {
        take(&self.removals, token)
    }

    /// Keeps a form until it is submitted, under `token`.
    pub(crate) fn stash_form(&self, token: String, form: PendingForm) {
        stash(&self.forms, token, form);
    }

    /// Takes a pending form.
    pub(crate) fn take_form(&self, token: &str) -> Option<PendingForm> {
        take(&self.forms, token)
    }

    /// Re-reads the FAQ files and, when they are valid and changed, builds a new index in the
    /// background and swaps it in. Questions keep being answered by the old engine meanwhile.
    pub(crate) async fn reload(self: &Arc<Self>) -> ReloadOutcome {
        let _guard = self.reload_lock.lock().await;
        let me = Arc::clone(self);
        let current = self.engine().fingerprint().to_string();
        let job = tokio::task::spawn_blocking(move || -> ReloadOutcome {
            let loaded = match load_faq(&me.source) {
                Ok(l) => l,
                Err(problems) => return ReloadOutcome::Invalid(problems),
            };
            if loaded.fingerprint == current {
                return ReloadOutcome::Unchanged;
            }
            match Engine::from_loaded(loaded, &me.location, me.cfg.answer_settings(), false) {
                Ok(engine) => {
                    let entries = engine.faq().entries.len();
                    let passages = engine.faq().passage_count();
                    me.swap(engine);
                    ReloadOutcome::Reloaded { entries, passages }
                }
                Err(OpenError::Invalid(problems)) => ReloadOutcome::Invalid(problems),
                Err(e) => ReloadOutcome::Failed(format!("{e:#}")),
            }
        });
        match job.await {
            Ok(outcome) => outcome,
            Err(e) => ReloadOutcome::Failed(format!("reload task failed: {e}")),
        }
    }
}
