//! The SQLite database behind moderator insight: schema migrations (versioned with the
//! `user_version` pragma), the salt, and the queries the recorder and the reports need.

use crate::answer::Answer;
use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::Duration;

/// The schema, one step per version, applied in order. Never edit a released step: add one.
const MIGRATIONS: &[&str] = &[
    // 1: questions, votes, and a key/value table for the salt.
    "CREATE TABLE meta (
         key   TEXT PRIMARY KEY,
         value BLOB NOT NULL
     );
     CREATE TABLE questions (
         id         INTEGER PRIMARY KEY AUTOINCREMENT,
         asked_at   INTEGER NOT NULL,
         question   TEXT NOT NULL,
         answered   INTEGER NOT NULL CHECK (answered IN (0, 1)),
         entry_id   TEXT,
         passage    INTEGER,
         confidence REAL
     );
     CREATE INDEX questions_asked_at ON questions (asked_at);
     CREATE TABLE votes (
         question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
         voter       BLOB NOT NULL,
         helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
         voted_at    INTEGER NOT NULL,
         PRIMARY KEY (question_id, voter)
     ) WITHOUT ROWID;",
    // 2: where each question was asked (NULL for questions stored before).
    "ALTER TABLE questions ADD COLUMN source TEXT;",
];

/// Where a question was asked, as stored (`stats` counts questions by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// A slash command (`/ask`).
    Command,
    /// The "Answer from FAQ" message command.
    ContextMenu,
    /// A mention of the bot.
    Mention,
    /// A plain question in an answer channel.
    AnswerChannel,
    /// A direct message to the bot.
    DirectMessage,
    /// A new forum post.
    Forum,
}

impl Source {
    /// Every source, in the order reports list them.
    pub const ALL: [Source; 6] = [
        Source::Command,
        Source::Mention,
        Source::ContextMenu,
        Source::AnswerChannel,
        Source::DirectMessage,
        Source::Forum,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Command => "command",
            Source::ContextMenu => "context_menu",
            Source::Mention => "mention",
            Source::AnswerChannel => "answer_channel",
            Source::DirectMessage => "dm",
            Source::Forum => "forum",
        }
    }

    /// The source with this stored name.
    pub fn parse(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// What the bot did with a question, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Whether the FAQ answered it.
    pub answered: bool,
    /// The answering entry, or for an unanswered question the closest one (if any).
    pub entry_id: Option<String>,
    /// The passage's position in that entry (from 0), when known.
    pub passage: Option<u32>,
    /// The answer's confidence (0-1) in that hit, as `ask --json` reports it.
    pub confidence: Option<f32>,
    /// Where it was asked, when known.
    pub source: Option<Source>,
}

impl Outcome {
    /// The outcome of an answer: its best hit, or for no answer the closest miss.
    pub fn from_answer(answer: &Answer) -> Self {
        let hit = answer.best.as_ref().or(answer.alternatives.first());
        Outcome {
            answered: answer.best.is_some(),
            entry_id: hit.map(|h| h.entry_id.clone()),
            passage: hit.and_then(|h| h.passage_no),
            confidence: hit.map(|_| answer.confidence),
            source: None,
        }
    }

    /// An unanswered question with no closest entry.
    pub fn unanswered() -> Self {
        Outcome {
            answered: false,
            entry_id: None,
            passage: None,
            confidence: None,
            source: None,
        }
    }

    /// The same outcome, asked at `source`.
    pub fn via(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }
}

/// A stored question.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQuestion {
    /// Its row id.
    pub id: i64,
    /// When it was asked (Unix seconds).
    pub asked_at: i64,
    /// The normalised text.
    pub question: String,
    /// What was answered.
    pub outcome: Outcome,
}

/// Votes on one answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VoteCounts {
    /// "Helpful" votes.
    pub helpful: u64,
    /// "Not helpful" votes.
    pub not_helpful: u64,
}

/// A question that may be a gap: unanswered, or voted "Not helpful" at least once.
#[derive(Debug, Clone, PartialEq)]
pub struct GapRow {
    /// The question.
    pub question: StoredQuestion,
    /// Its votes.
    pub votes: VoteCounts,
}

/// Salt size in bytes.
const SALT_LEN: usize = 32;

/// An open insight database.
pub struct Store {
    conn: Connection,
    salt: [u8; SALT_LEN],
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating when missing) the database at `path` and brings its schema up to date.
    /// `salt` from the config is used when not blank; otherwise one is generated once and kept
    /// in the database.
    pub fn open(path: &Path, salt: Option<&str>) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open the insight store {}", path.display()))?;
        Self::setup(conn, salt).with_context(|| format!("insight store {}", path.display()))
    }

    /// Opens an existing database; a missing file is an error with a clear message.
    pub fn open_existing(path: &Path, salt: Option<&str>) -> Result<Store> {
        if !path.is_file() {
            bail!(
                "no insight store at {}: the bot creates it when it runs (see [state] path in \
                 the config, or pass --state FILE)",
                path.display()
            );
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("cannot open the insight store {}", path.display()))?;
        Self::setup(conn, salt).with_context(|| format!("insight store {}", path.display()))
    }

    /// A database in memory (for tests).
    pub fn open_in_memory(salt: Option<&str>) -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, salt)
    }

    fn setup(mut conn: Connection, salt: Option<&str>) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(5))?;
        let _mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted rows are overwritten, so retention really removes old questions.
        conn.pragma_update(None, "secure_delete", "ON")?;
        migrate(&mut conn)?;
        let salt = match salt.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => {
                let mut out = [0u8; SALT_LEN];
                out.copy_from_slice(&Sha256::digest(s.as_bytes()));
                out
            }
            None => stored_salt(&conn)?,
        };
        Ok(Store { conn, salt })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The salted hash that stands for `user` voting on question `question_id`: the same member
    /// on the same answer always gives the same hash; nothing links it to other answers.
    pub fn voter_hash(&self, question_id: i64, user: u64) -> [u8; 16] {
        voter_hash(&self.salt, question_id, user)
    }

    /// The salt (to hash votes away from the database thread).
    pub(crate) fn salt(&self) -> [u8; SALT_LEN] {
        self.salt
    }

    /// The next free question id (never reuses an id, even of deleted rows).
    pub fn next_question_id(&self) -> Result<i64> {
        let seq: Option<i64> = self
            .conn
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'questions'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let max: Option<i64> = self
            .conn
            .query_row("SELECT MAX(id) FROM questions", [], |r| r.get(0))?;
        Ok(seq.unwrap_or(0).max(max.unwrap_or(0)) + 1)
    }

    /// Stores a question under a chosen id (the recorder allocates ids in memory).
    pub fn insert_question(
        &self,
        id: i64,
        asked_at: i64,
        question: &str,
        outcome: &Outcome,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO questions (id, asked_at, question, answered, entry_id, passage, confidence, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id,
                asked_at,
                crate::insight::stored_question(question),
                outcome.answered,
                outcome.entry_id,
                outcome.passage,
                outcome.confidence.map(f64::from),
                outcome.source.map(Source::as_str),
            ])
            .with_context(|| format!("cannot store question {id}"))?;
        Ok(())
    }

    /// Stores a question under the next id; returns the id.
    pub fn record_question(&self, asked_at: i64, question: &str, outcome: &Outcome) -> Result<i64> {
        let id = self.next_question_id()?;
        self.insert_question(id, asked_at, question, outcome)?;
        Ok(id)
    }

    /// Records a vote by an already hashed voter; a later vote by the same voter on the same
    /// question replaces the earlier one (one vote per member per answer).
    pub fn vote_hashed(
        &self,
        question_id: i64,
        voter: &[u8],
        helpful: bool,
        at: i64,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO votes (question_id, voter, helpful, voted_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (question_id, voter) DO UPDATE
                 SET helpful = excluded.helpful, voted_at = excluded.voted_at",
            )?
            .execute(params![question_id, voter, helpful, at])
            .with_context(|| format!("cannot store a vote on question {question_id}"))?;
        Ok(())
    }

    /// Records `user`'s vote on a question (hashed with the salt; the id is not stored).
    pub fn vote(&self, question_id: i64, user: u64, helpful: bool, at: i64) -> Result<()> {
        let voter = self.voter_hash(question_id, user);
        self.vote_hashed(question_id, &voter, helpful, at)
    }

    /// Deletes questions asked before `now - retention_days` days, and their votes. Returns how
    /// many questions were deleted.
    pub fn purge(&self, now: i64, retention_days: u32) -> Result<usize> {
        let cutoff = now - i64::from(retention_days) * DAY;
        let deleted = self
            .conn
            .execute("DELETE FROM questions WHERE asked_at < ?1", [cutoff])
            .context("cannot delete old questions")?;
        if deleted > 0 {
            // Move the deleted pages out of the write-ahead log too.
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        Ok(deleted)
    }

    /// Number of stored questions.
    pub fn question_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM questions", [], |r| count(r, 0))?)
    }

    /// Number of stored votes.
    pub fn vote_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM votes", [], |r| count(r, 0))?)
    }

    /// The votes on one question.
    pub fn votes(&self, question_id: i64) -> Result<VoteCounts> {
        let (helpful, not_helpful): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT SUM(helpful = 1), SUM(helpful = 0) FROM votes WHERE question_id = ?1",
            [question_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(VoteCounts {
            helpful: helpful.unwrap_or(0) as u64,
            not_helpful: not_helpful.unwrap_or(0) as u64,
        })
    }

    /// One stored question.
    pub fn question(&self, id: i64) -> Result<Option<StoredQuestion>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, asked_at, question, answered, entry_id, passage, confidence, source
                 FROM questions WHERE id = ?1",
                [id],
                read_question,
            )
            .optional()?)
    }

    /// Questions asked at or after `since` that were unanswered or voted "Not helpful" at least
    /// once, newest first.
    pub fn gap_rows(&self, since: i64) -> Result<Vec<GapRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT q.id, q.asked_at, q.question, q.answered, q.entry_id, q.passage, q.confidence,
                    q.source, COALESCE(SUM(v.helpful = 1), 0), COALESCE(SUM(v.helpful = 0), 0)
             FROM questions q LEFT JOIN votes v ON v.question_id = q.id
             WHERE q.asked_at >= ?1
             GROUP BY q.id
             HAVING q.answered = 0 OR COALESCE(SUM(v.helpful = 0), 0) > 0
             ORDER BY q.asked_at DESC, q.id DESC",
        )?;
        let rows = stmt.query_map([since], |r| {
            Ok(GapRow {
                question: read_question(r)?,
                votes: VoteCounts {
                    helpful: count(r, 8)?,
                    not_helpful: count(r, 9)?,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Questions asked at or after `since` by where they were asked (`None`: before sources
    /// were recorded), most first.
    pub fn source_counts(&self, since: i64) -> Result<Vec<(Option<Source>, u64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT source, COUNT(*) FROM questions WHERE asked_at >= ?1
             GROUP BY source ORDER BY COUNT(*) DESC, source",
        )?;
        let rows = stmt.query_map([since], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?
                    .as_deref()
                    .and_then(Source::parse),
                count(r, 1)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Per UTC day since `since`: (day number, questions, answered).
    pub fn daily_counts(&self, since: i64) -> Result<Vec<(i64, u64, u64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT asked_at / 86400 AS day, COUNT(*), SUM(answered)
             FROM questions WHERE asked_at >= ?1 GROUP BY day ORDER BY day",
        )?;
        let rows = stmt.query_map([since], |r| Ok((r.get(0)?, count(r, 1)?, count(r, 2)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Votes on questions asked since `since`.
    pub fn vote_totals(&self, since: i64) -> Result<VoteCounts> {
        let (helpful, not_helpful): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT SUM(v.helpful = 1), SUM(v.helpful = 0)
             FROM votes v JOIN questions q ON q.id = v.question_id WHERE q.asked_at >= ?1",
            [since],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(VoteCounts {
            helpful: helpful.unwrap_or(0) as u64,
            not_helpful: not_helpful.unwrap_or(0) as u64,
        })
    }

    /// The entries that answered most since `since`: (entry id, answers, votes), most first.
    pub fn top_entries(&self, since: i64, limit: usize) -> Result<Vec<(String, u64, VoteCounts)>> {
        let mut stmt = self.conn.prepare(
            "SELECT q.entry_id, COUNT(DISTINCT q.id),
                    COALESCE(SUM(v.helpful = 1), 0), COALESCE(SUM(v.helpful = 0), 0)
             FROM questions q LEFT JOIN votes v ON v.question_id = q.id
             WHERE q.asked_at >= ?1 AND q.answered = 1 AND q.entry_id IS NOT NULL
             GROUP BY q.entry_id ORDER BY 2 DESC, 1 LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![since, limit as i64], |r| {
            Ok((
                r.get(0)?,
                count(r, 1)?,
                VoteCounts {
                    helpful: count(r, 2)?,
                    not_helpful: count(r, 3)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Runs `f` inside one transaction (committed when it returns; statements that fail inside
    /// are rolled back one by one, the others are kept).
    pub(crate) fn batch<T>(&mut self, f: impl FnOnce(&Store) -> T) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let out = f(self);
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(anyhow::Error::new(e).context("cannot commit insight records"));
        }
        Ok(out)
    }
}

/// A count column (an integer, NULL as 0).
fn count(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, Option<i64>>(i)?.unwrap_or(0).max(0) as u64)
}

fn read_question(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredQuestion> {
    Ok(StoredQuestion {
        id: r.get(0)?,
        asked_at: r.get(1)?,
        question: r.get(2)?,
        outcome: Outcome {
            answered: r.get(3)?,
            entry_id: r.get(4)?,
            passage: r.get(5)?,
            confidence: r.get::<_, Option<f64>>(6)?.map(|c| c as f32),
            source: r
                .get::<_, Option<String>>(7)?
                .as_deref()
                .and_then(Source::parse),
        },
    })
}

/// Hash of (salt, question row, member), cut to 128 bits.
pub(crate) fn voter_hash(salt: &[u8; SALT_LEN], question_id: i64, user: u64) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(question_id.to_le_bytes());
    h.update(user.to_le_bytes());
    let digest = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        bail!(
            "it has schema version {current}, newer than this faqbot understands \
             ({SCHEMA_VERSION}): upgrade faqbot"
        );
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let version = i as i64 + 1;
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .with_context(|| format!("migration to schema version {version} failed"))?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::debug!(version, "insight store migrated");
    }
    Ok(())
}

fn stored_salt(conn: &Connection) -> Result<[u8; SALT_LEN]> {
    // SQLite's randomness comes from the operating system.
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', randomblob(?1))",
        [SALT_LEN as i64],
    )?;
    let salt: Vec<u8> = conn.query_row("SELECT value FROM meta WHERE key = 'salt'", [], |r| {
        r.get(0)
    })?;
    salt.try_into()
        .map_err(|_| anyhow::anyhow!("the stored salt has the wrong size"))
}
