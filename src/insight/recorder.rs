//! The bot's handle on the insight store: ids allocated in memory, writes on one dedicated
//! thread (batched into transactions), retention applied at start and daily, and a separate
//! connection for reports. Recording never waits for the disk.

use crate::insight::store::{voter_hash, Store};
use crate::insight::{unix_now, Outcome};
use anyhow::{bail, Context, Result};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Where and how long to keep insight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreSettings {
    /// The database file.
    pub path: PathBuf,
    /// Days questions and votes are kept.
    pub retention_days: u32,
    /// Salt for the voter hashes; `None` uses one generated and kept in the database.
    pub salt: Option<String>,
}

/// How often retention runs while the bot is up.
const PURGE_EVERY: Duration = Duration::from_secs(24 * 60 * 60);
/// Most writes applied in one transaction.
const BATCH_MAX: usize = 512;

enum Op {
    Question {
        id: i64,
        at: i64,
        text: String,
        outcome: Outcome,
    },
    Vote {
        question_id: i64,
        voter: [u8; 16],
        helpful: bool,
        at: i64,
    },
    Flush(mpsc::SyncSender<()>),
}

/// The recorder the bot holds for its lifetime.
pub struct Recorder {
    tx: Option<mpsc::Sender<Op>>,
    next_id: AtomicI64,
    salt: [u8; 32],
    reader: Mutex<Store>,
    worker: Option<JoinHandle<()>>,
    settings: StoreSettings,
    _lock: File,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("path", &self.settings.path)
            .finish_non_exhaustive()
    }
}

fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    db.with_file_name(name)
}

impl Recorder {
    /// Opens (creating when missing) the store, applies retention, and starts the writer
    /// thread. Fails when another running bot holds the same file.
    pub fn open(settings: &StoreSettings) -> Result<Recorder> {
        let path = &settings.path;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        let lock_file = lock_path(path);
        let lock = File::create(&lock_file)
            .with_context(|| format!("cannot create {}", lock_file.display()))?;
        if lock.try_lock().is_err() {
            bail!(
                "another faqbot process is using the insight store {}: give each bot process \
                 its own [state] path",
                path.display()
            );
        }
        let writer = Store::open(path, settings.salt.as_deref())?;
        let reader = Store::open(path, settings.salt.as_deref())?;
        let purged = writer.purge(unix_now(), settings.retention_days)?;
        if purged > 0 {
            tracing::info!(
                purged,
                days = settings.retention_days,
                "deleted questions past the retention period"
            );
        }
        let next_id = writer.next_question_id()?;
        let salt = writer.salt();
        let (tx, rx) = mpsc::channel();
        let retention = settings.retention_days;
        let worker = std::thread::Builder::new()
            .name("faqbot-insight".into())
            .spawn(move || write_loop(writer, rx, retention))
            .context("cannot start the insight writer thread")?;
        tracing::info!(path = %path.display(), "insight store open");
        Ok(Recorder {
            tx: Some(tx),
            next_id: AtomicI64::new(next_id),
            salt,
            reader: Mutex::new(reader),
            worker: Some(worker),
            settings: settings.clone(),
            _lock: lock,
        })
    }

    /// The settings it was opened with.
    pub fn settings(&self) -> &StoreSettings {
        &self.settings
    }

    fn send(&self, op: Op) {
        if let Some(tx) = &self.tx {
            if tx.send(op).is_err() {
                tracing::warn!("the insight writer has stopped; a record was dropped");
            }
        }
    }

    /// Records a question and what was answered; returns its row id at once (the row is
    /// written in the background).
    pub fn record(&self, question: &str, outcome: Outcome) -> i64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.send(Op::Question {
            id,
            at: unix_now(),
            text: question.to_string(),
            outcome,
        });
        id
    }

    /// Records `user`'s Helpful / Not helpful vote on question `question_id` (only a salted hash
    /// of the pair is stored).
    pub fn vote(&self, question_id: i64, user: u64, helpful: bool) {
        self.send(Op::Vote {
            question_id,
            voter: voter_hash(&self.salt, question_id, user),
            helpful,
            at: unix_now(),
        });
    }

    /// Waits until everything recorded so far is written. Blocking: call it off the async
    /// runtime (`spawn_blocking`).
    pub fn flush(&self) {
        let (done, wait) = mpsc::sync_channel(1);
        self.send(Op::Flush(done));
        let _ = wait.recv_timeout(Duration::from_secs(30));
    }

    /// Runs `f` on the report connection after a flush (so it sees every earlier record).
    /// Blocking: call it off the async runtime.
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.flush();
        let store = match self.reader.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(&store)
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

fn write_loop(mut store: Store, rx: mpsc::Receiver<Op>, retention_days: u32) {
    let mut next_purge = Instant::now() + PURGE_EVERY;
    loop {
        let wait = next_purge.saturating_duration_since(Instant::now());
        let first = match rx.recv_timeout(wait) {
            Ok(op) => op,
            Err(RecvTimeoutError::Timeout) => {
                match store.purge(unix_now(), retention_days) {
                    Ok(n) => tracing::info!(purged = n, "insight retention applied"),
                    Err(e) => tracing::warn!("insight retention failed: {e:#}"),
                }
                next_purge = Instant::now() + PURGE_EVERY;
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let mut ops = vec![first];
        while ops.len() < BATCH_MAX {
            match rx.try_recv() {
                Ok(op) => ops.push(op),
                Err(_) => break,
            }
        }
        let mut flushed = Vec::new();
        let applied = store.batch(|s| {
            for op in ops {
                let result = match op {
                    Op::Question {
                        id,
                        at,
                        text,
                        outcome,
                    } => s.insert_question(id, at, &text, &outcome),
                    Op::Vote {
                        question_id,
                        voter,
                        helpful,
                        at,
                    } => s.vote_hashed(question_id, &voter, helpful, at),
                    Op::Flush(done) => {
                        flushed.push(done);
                        Ok(())
                    }
                };
                if let Err(e) = result {
                    // A vote on a question deleted by retention ends here, for example.
                    tracing::debug!("insight record not written: {e:#}");
                }
            }
        });
        if let Err(e) = applied {
            tracing::warn!("cannot write insight records: {e:#}");
        }
        for done in flushed {
            let _ = done.send(());
        }
    }
}
