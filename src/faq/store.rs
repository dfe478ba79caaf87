//! Moderator writes: atomic (a temporary file in the same folder, fsync, rename over the target)
//! and conflict-checked (a change made from a stale read is refused, never silently applied).
//! The check and the write happen under the folder's write lock ([`lock_folder`]), so two
//! edits made from the same read can never both land.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The lock file that serialises moderator writes to one FAQ folder, across threads and
/// processes. Its name starts with a dot, so the loader and the watcher ignore it.
pub const LOCK_FILE: &str = ".faqbot-write.lock";

/// The FAQ folder's write lock, held until dropped: a process-wide mutex (threads) and an
/// advisory lock on [`LOCK_FILE`] (other processes, such as a second shard's bot).
#[derive(Debug)]
pub struct FolderLock {
    _file: std::fs::File,
    _threads: MutexGuard<'static, ()>,
}

/// Takes the write lock of the FAQ folder `dir`, waiting for any other writer to finish.
pub fn lock_folder(dir: &Path) -> Result<FolderLock> {
    static WRITERS: Mutex<()> = Mutex::new(());
    let threads = WRITERS.lock().unwrap_or_else(|p| p.into_inner());
    let path = dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open the write lock {}", path.display()))?;
    file.lock()
        .with_context(|| format!("cannot lock {}", path.display()))?;
    Ok(FolderLock {
        _file: file,
        _threads: threads,
    })
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes `bytes` to `path` so that readers see the old file or the new one, never a torn one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    // Unique per call: two writers (threads or processes) never share a temporary file.
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{seq}.tmp", std::process::id()));
    let result = (|| -> Result<()> {
        // (A file left under this name by a crashed process that had our pid is stale.)
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        f.write_all(bytes)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        f.sync_all()
            .with_context(|| format!("cannot sync {}", tmp.display()))?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot replace {}", path.display()))?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

use crate::faq::entry::{slugify, Entry, Faq, FrontMatter};
use crate::faq::file::{parse_entry, render_answer, render_entry, set_questions};
use crate::faq::questions::carry_questions;
use crate::problem::Problem;
use crate::text::question_key;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Hex SHA-256 of a file's bytes, to notice that it changed since it was read.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hash of the file at `path` now; `None` when it does not exist.
pub fn current_hash(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(content_hash(&b))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Why an entry's file could not be re-read.
#[derive(Debug, thiserror::Error)]
pub enum RereadError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Unreadable {
        /// The file, as shown to the moderator.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is no longer a valid entry.
    #[error("{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
    /// The file now holds another entry.
    #[error("{0} no longer holds that entry")]
    Moved(String),
}

/// The entry `id` as its file `path` holds it now, with the hash of the bytes it was read
/// from: a change based on it (such as [`add_alias`]) is then conflict-checked against exactly
/// what was read, and nothing saved to the file since the last reload is lost.
pub fn reread_entry(path: &Path, id: &str) -> Result<(Entry, String), RereadError> {
    let bytes = std::fs::read(path).map_err(|source| RereadError::Unreadable {
        path: path.display().to_string(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("entry.md");
    let (entry, _) = parse_entry(name, &text).map_err(RereadError::Invalid)?;
    if entry.meta.id != id {
        return Err(RereadError::Moved(path.display().to_string()));
    }
    Ok((entry, content_hash(&bytes)))
}

/// What a moderator typed for an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDraft {
    /// The question.
    pub question: String,
    /// Other phrasings, one per item.
    pub aliases: Vec<String>,
    /// The answer as Markdown paragraphs.
    pub body: String,
}

impl EntryDraft {
    /// A draft from an existing entry (to pre-fill an edit form). The body is the answer's
    /// sub-headings and paragraphs only: the passages' questions blocks stay out of the form
    /// (it has room for the answer, not for them), and [`edit_entry`] keeps them.
    pub fn from_entry(entry: &Entry) -> Self {
        EntryDraft {
            question: entry.meta.question.clone(),
            aliases: entry.meta.aliases.clone(),
            body: render_answer(&entry.passages),
        }
    }
}

/// Why a moderator's change was not written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file changed (or vanished) since the moderator started editing.
    #[error("{0} was changed by someone else since you opened it; nothing was overwritten")]
    Conflict(String),
    /// The new text is not a valid entry.
    #[error("the entry is not valid:\n{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
    /// Another entry already uses this id or question.
    #[error("{0}")]
    Duplicate(String),
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] anyhow::Error),
}

fn file_text(meta: &FrontMatter, body: &str) -> String {
    let mut text = render_entry(meta, &[]);
    text.push('\n');
    text.push_str(body.trim());
    text.push('\n');
    text
}

fn validate(name: &str, text: &str) -> Result<Entry, StoreError> {
    parse_entry(name, text)
        .map(|(e, _)| e)
        .map_err(StoreError::Invalid)
}

fn check_unique(
    faq: &Faq,
    id: &str,
    question: &str,
    except: Option<&str>,
) -> Result<(), StoreError> {
    let q = question_key(question);
    for e in faq
        .entries
        .iter()
        .filter(|e| Some(e.meta.id.as_str()) != except)
    {
        if e.meta.id == id {
            return Err(StoreError::Duplicate(format!(
                "another entry ({}) already has the id {id:?}",
                e.file
            )));
        }
        if question_key(&e.meta.question) == q {
            return Err(StoreError::Duplicate(format!(
                "another entry ({}) already asks {:?}",
                e.file, e.meta.question
            )));
        }
    }
    Ok(())
}

fn clean_aliases(aliases: &[String]) -> Vec<String> {
    aliases
        .iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

/// Writes a new entry file into `dir`; returns the entry as written and its path.
pub fn add_entry(
    dir: &Path,
    faq: &Faq,
    draft: &EntryDraft,
) -> Result<(Entry, PathBuf), StoreError> {
    let mut id = slugify(&draft.question);
    let base = id.clone();
    let mut k = 2;
    while faq.entry(&id).is_some() {
        id = format!("{base}-{k}");
        k += 1;
    }
    let meta = FrontMatter {
        id: id.clone(),
        question: draft.question.trim().to_string(),
        aliases: clean_aliases(&draft.aliases),
        tags: Vec::new(),
        source: String::new(),
    };
    check_unique(faq, &id, &meta.question, None)?;
    let next = faq
        .entries
        .iter()
        .filter_map(|e| {
            let name = Path::new(&e.file).file_name()?.to_str()?;
            name.split('-').next()?.parse::<u32>().ok()
        })
        .max()
        .map_or(0, |n| n + 1);
    let name = format!("{next:02}-{id}.md");
    let text = file_text(&meta, &draft.body);
    let entry = validate(&name, &text)?;
    let path = dir.join(&name);
    let _lock = lock_folder(dir)?;
    if path.exists() {
        return Err(StoreError::Conflict(path.display().to_string()));
    }
    write_atomic(&path, text.as_bytes())?;
    Ok((entry, path))
}

/// Rewrites an entry's file, refusing when it changed since it was read (`expected_hash`).
/// The id, tags and source are kept, and so are the passages' alternate questions: the draft's
/// body (the form shows no questions blocks) gets each passage's questions from the file as it
/// is on disk, matched by [`carry_questions`] (the same paragraph, else the only one under the
/// same sub-heading, else one sharing most of its words); questions blocks typed into the draft
/// are kept too. Questions of a paragraph that was removed or rewritten beyond recognition are
/// dropped, and logged.
pub fn edit_entry(
    path: &Path,
    expected_hash: &str,
    faq: &Faq,
    entry: &Entry,
    draft: &EntryDraft,
) -> Result<Entry, StoreError> {
    let _lock = lock_folder(folder_of(path))?;
    let on_disk = match std::fs::read(path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(StoreError::Io(
                anyhow::Error::new(e).context(format!("cannot read {}", path.display())),
            ))
        }
    };
    if on_disk.as_deref().map(content_hash).as_deref() != Some(expected_hash) {
        return Err(StoreError::Conflict(path.display().to_string()));
    }
    let meta = FrontMatter {
        question: draft.question.trim().to_string(),
        aliases: clean_aliases(&draft.aliases),
        ..entry.meta.clone()
    };
    check_unique(faq, &meta.id, &meta.question, Some(&entry.meta.id))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("entry.md");
    let mut text = file_text(&meta, &draft.body);
    let mut written = validate(name, &text)?;
    // The passages as the moderator opened them (the file is unchanged since: same hash).
    let before = on_disk
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|t| parse_entry(name, &t).ok())
        .map_or_else(|| entry.passages.clone(), |(e, _)| e.passages);
    let mut passages = written.passages.clone();
    let dropped = carry_questions(&before, &mut passages);
    if passages != written.passages {
        let wanted: Vec<Vec<String>> = passages.iter().map(|p| p.questions.clone()).collect();
        let kept = set_questions(&text, &wanted)
            .and_then(|t| validate(name, &t).ok().map(|e| (t, e)))
            .filter(|(_, e)| e.passages == passages);
        let Some((t, e)) = kept else {
            return Err(StoreError::Invalid(vec![Problem::new(
                name,
                1,
                "the passages' alternate questions could not be kept with this text; \
                 nothing was written (edit the file in git)",
            )]));
        };
        text = t;
        written = e;
    }
    if !dropped.is_empty() {
        tracing::warn!(
            file = %path.display(),
            questions = ?dropped,
            "an edit removed or rewrote paragraphs: their alternate questions were dropped"
        );
    }
    write_atomic(path, text.as_bytes())?;
    Ok(written)
}

/// Adds one alias to an entry's file (conflict-checked like [`edit_entry`]).
pub fn add_alias(
    path: &Path,
    expected_hash: &str,
    faq: &Faq,
    entry: &Entry,
    alias: &str,
) -> Result<Entry, StoreError> {
    let mut draft = EntryDraft::from_entry(entry);
    if !draft
        .aliases
        .iter()
        .any(|a| a.eq_ignore_ascii_case(alias.trim()))
    {
        draft.aliases.push(alias.trim().to_string());
    }
    edit_entry(path, expected_hash, faq, entry, &draft)
}

/// Removes an entry's file by moving it into `DIR/.removed/` (nothing is lost), refusing when
/// it changed since it was read. Returns where it went.
pub fn remove_entry(dir: &Path, path: &Path, expected_hash: &str) -> Result<PathBuf, StoreError> {
    let _lock = lock_folder(folder_of(path))?;
    if current_hash(path)?.as_deref() != Some(expected_hash) {
        return Err(StoreError::Conflict(path.display().to_string()));
    }
    let bin = dir.join(".removed");
    std::fs::create_dir_all(&bin).with_context(|| format!("cannot create {}", bin.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("entry.md");
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let to = bin.join(format!("{name}.{stamp}"));
    std::fs::rename(path, &to)
        .with_context(|| format!("cannot move {} to {}", path.display(), to.display()))?;
    Ok(to)
}
