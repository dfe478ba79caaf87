//! The answer engine: a loaded FAQ, its analyser and its index, answering questions.
//! The CLI and the Discord bot share this one type.

use crate::answer::Answer;
use crate::faq::file::Problem;
use crate::faq::load::{load_faq, load_side_files, LoadedFaq, FORMAT_VERSION};
use crate::faq::{Faq, FaqSource};
use crate::safety::Triage;
use crate::search::analyze::Analyzer;
use crate::search::index::{self, OpenIndex};
use crate::search::manifest::{self, Manifest};
use crate::search::rank;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Tuning knobs for answering.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerSettings {
    /// Least share (0-1) of the question's weighted terms the best passage must cover.
    pub min_coverage: f32,
    /// How many alternative passages to return.
    pub alternatives: usize,
    /// Which ranking techniques are on (all by default; switched off only to measure them).
    pub features: rank::Features,
    /// Fills `{crisis_line}` in urgent notices (`[answer] crisis_line`).
    pub crisis_line: String,
}

impl Default for AnswerSettings {
    fn default() -> Self {
        AnswerSettings {
            min_coverage: rank::DEFAULT_MIN_COVERAGE,
            alternatives: 3,
            features: rank::Features::default(),
            crisis_line: crate::safety::DEFAULT_CRISIS_LINE.to_string(),
        }
    }
}

/// Why an engine could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The FAQ files have problems; each is `FILE:LINE: message`.
    #[error("the FAQ has {} problem(s):\n{}", .0.len(), .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
    /// The index could not be built.
    #[error(transparent)]
    Index(#[from] anyhow::Error),
}

/// Where the index for an engine lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexLocation {
    /// A folder on disk (reused while the FAQ is unchanged).
    Dir(PathBuf),
    /// Memory only.
    Memory,
}

/// A FAQ ready to answer questions.
///
/// Answering needs only the index (passages are stored in it), the synonyms and the
/// urgent-symptom rules; the parsed entries are loaded on first use ([`Engine::faq`]), so a cold
/// `faqbot ask` with a fresh index reads no FAQ file but the two small side files.
pub struct Engine {
    faq: OnceLock<Arc<Faq>>,
    source: FaqSource,
    fingerprint: String,
    urgent: Triage,
    entries: usize,
    passages: usize,
    topics: Vec<String>,
    pub(crate) analyzer: Analyzer,
    pub(crate) index: OpenIndex,
    pub(crate) settings: AnswerSettings,
    /// Whether the index was (re)built when opening, rather than reused.
    pub rebuilt: bool,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("entries", &self.entries)
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

/// How many entry questions an engine keeps at hand for "topics the FAQ covers".
const TOPICS: usize = 5;

fn first_topics(faq: &Faq) -> Vec<String> {
    faq.entries
        .iter()
        .filter(|e| e.meta.id != "overview")
        .take(TOPICS)
        .map(|e| e.meta.question.clone())
        .collect()
}

impl Engine {
    /// Loads the FAQ and opens its index, building it when missing, stale or damaged.
    /// An index folder that cannot be written falls back to memory with a warning.
    pub fn open(
        source: &FaqSource,
        location: &IndexLocation,
        settings: AnswerSettings,
    ) -> Result<Engine, OpenError> {
        if let Some(engine) = Self::open_fresh(source, location, &settings) {
            return Ok(engine);
        }
        if let (FaqSource::Dir(_), IndexLocation::Dir(dir)) = (source, location) {
            return Self::open_streaming(source, dir, settings);
        }
        let loaded = load_faq(source).map_err(OpenError::Invalid)?;
        Self::from_loaded(loaded, location, settings, false)
    }

    /// Builds the on-disk index while streaming the FAQ files (nothing holds the whole FAQ),
    /// records the manifest, and leaves the entries to be loaded on first use. An index folder
    /// that cannot be written falls back to an in-memory index with a warning.
    fn open_streaming(
        source: &FaqSource,
        index_dir: &std::path::Path,
        settings: AnswerSettings,
    ) -> Result<Engine, OpenError> {
        let (synonyms, _) = load_side_files(source).map_err(OpenError::Invalid)?;
        let analyzer = Analyzer::new(&synonyms);
        let (index, scan) = match index::build_streaming(index_dir, source, &analyzer) {
            Ok(built) => built,
            Err(index::BuildError::Invalid(problems)) => return Err(OpenError::Invalid(problems)),
            Err(index::BuildError::Other(e)) => {
                tracing::warn!(
                    "cannot write the index to {} ({e:#}); answering from an in-memory index instead",
                    index_dir.display()
                );
                let loaded = load_faq(source).map_err(OpenError::Invalid)?;
                return Self::from_loaded(loaded, &IndexLocation::Memory, settings, true);
            }
        };
        if let Some(files) = &scan.stamps {
            record_manifest(
                index_dir,
                &scan.fingerprint,
                (scan.entries, scan.passages),
                &scan.topics,
                files,
            );
        }
        Ok(Engine {
            faq: OnceLock::new(),
            source: source.clone(),
            fingerprint: scan.fingerprint,
            urgent: scan.urgent,
            entries: scan.entries,
            passages: scan.passages,
            topics: scan.topics,
            analyzer,
            index,
            settings,
            rebuilt: true,
        })
    }

    /// The fast path: when the manifest's stamps (names, sizes, modification times) still match
    /// the FAQ folder, open the index it names without reading the entry files.
    fn open_fresh(
        source: &FaqSource,
        location: &IndexLocation,
        settings: &AnswerSettings,
    ) -> Option<Engine> {
        let (FaqSource::Dir(faq_dir), IndexLocation::Dir(index_dir)) = (source, location) else {
            return None;
        };
        let m = manifest::read(index_dir)?;
        if m.format != FORMAT_VERSION {
            return None;
        }
        // Stamping a large folder takes longest: do it while the index opens, and help with it
        // once the index is open. While the folder itself is unchanged, only the recorded names
        // are stamped; otherwise it is listed. Whichever thread gets there first reads the
        // recorded names, so the main thread helps even when the other thread starts late.
        let by_name: OnceLock<Option<manifest::NameCheck>> = OnceLock::new();
        let start = || {
            m.faq_folder
                .as_ref()
                .and_then(|f| manifest::NameCheck::start(faq_dir, f, index_dir))
        };
        let (listed, opened) = std::thread::scope(|s| {
            let listed = s.spawn(|| match by_name.get_or_init(start) {
                Some(check) => {
                    check.help();
                    None
                }
                None => Some(manifest::listed(faq_dir).ok()),
            });
            let opened = load_side_files(source).ok().map(|side| {
                let folder = index::folder_for(index_dir, &m.fingerprint);
                let trusted =
                    manifest::stamps_where(&folder, |_| true).ok().as_ref() == Some(&m.index_files);
                let opened = std::panic::catch_unwind(|| {
                    index::open_existing(index_dir, &m.fingerprint, m.passages, trusted)
                });
                (side, opened)
            });
            if let Some(check) = by_name.get_or_init(start) {
                check.help();
            }
            (listed.join().ok(), opened)
        });
        let digest = match (by_name.into_inner().flatten(), listed?) {
            (Some(check), None) => check.finish().ok()?,
            (None, Some(Some((digest, files)))) => {
                if files.folder.is_some() && digest == m.files_digest {
                    // The folder has settled since the manifest was written (or its names are
                    // missing): record it, so the next start stamps the known names instead of
                    // listing the folder.
                    let updated = Manifest {
                        faq_folder: files.folder,
                        ..m.clone()
                    };
                    if let Err(e) = manifest::write(index_dir, &updated, &files) {
                        tracing::debug!("cannot update the index manifest: {e:#}");
                    }
                }
                digest
            }
            _ => return None,
        };
        if digest != m.files_digest {
            return None;
        }
        let ((synonyms, urgent), opened) = opened?;
        let index = match opened {
            Ok(Ok(i)) => i,
            failed => {
                let why = match failed {
                    Ok(Err(e)) => format!("{e:#}"),
                    _ => "reading it failed".to_string(),
                };
                tracing::warn!(
                    "the index in {} is damaged ({why}); rebuilding it from the FAQ files",
                    index_dir.display()
                );
                return None;
            }
        };
        Some(Engine {
            faq: OnceLock::new(),
            source: source.clone(),
            fingerprint: m.fingerprint,
            urgent,
            entries: m.entries,
            passages: m.passages,
            topics: m.topics,
            analyzer: Analyzer::new(&synonyms),
            index,
            settings: settings.clone(),
            rebuilt: false,
        })
    }

    /// Like [`Engine::open`] but always rebuilds the index.
    pub fn rebuild(
        source: &FaqSource,
        location: &IndexLocation,
        settings: AnswerSettings,
    ) -> Result<Engine, OpenError> {
        if let (FaqSource::Dir(_), IndexLocation::Dir(dir)) = (source, location) {
            return Self::open_streaming(source, dir, settings);
        }
        let loaded = load_faq(source).map_err(OpenError::Invalid)?;
        Self::from_loaded(loaded, location, settings, true)
    }

    /// Opens an engine for an already loaded FAQ.
    pub fn from_loaded(
        loaded: LoadedFaq,
        location: &IndexLocation,
        settings: AnswerSettings,
        force_rebuild: bool,
    ) -> Result<Engine, OpenError> {
        let LoadedFaq {
            faq,
            fingerprint,
            source,
            stamps,
        } = loaded;
        let analyzer = Analyzer::new(&faq.synonyms);
        let count = faq.passage_count();
        let (index, rebuilt) = match location {
            IndexLocation::Memory => (index::build_in_ram(&faq, &analyzer)?, true),
            IndexLocation::Dir(dir) => {
                let existing = if force_rebuild {
                    None
                } else {
                    // tantivy may panic on a damaged file: that is damage too, not a crash.
                    let opened = std::panic::catch_unwind(|| {
                        index::open_existing(dir, &fingerprint, count, false)
                    })
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("reading it failed")));
                    match opened {
                        Ok(i) => Some(i),
                        Err(e) => {
                            if index::folder_for(dir, &fingerprint).exists() {
                                tracing::warn!(
                                    "the index in {} is damaged ({e:#}); rebuilding it from the FAQ files",
                                    dir.display()
                                );
                            } else {
                                tracing::debug!("no index for this FAQ yet ({e:#}); building it");
                            }
                            None
                        }
                    }
                };
                match existing {
                    Some(i) => (i, false),
                    None => match index::build_on_disk(dir, &fingerprint, &faq, &analyzer) {
                        Ok(i) => (i, true),
                        Err(e) => {
                            tracing::warn!(
                                "cannot write the index to {} ({e:#}); answering from an in-memory index instead",
                                dir.display()
                            );
                            (index::build_in_ram(&faq, &analyzer)?, true)
                        }
                    },
                }
            }
        };
        let topics = first_topics(&faq);
        let (entries, passages) = (faq.entries.len(), faq.passage_count());
        if let (Some(files), IndexLocation::Dir(dir), Some(_)) = (stamps, location, &index.path) {
            record_manifest(dir, &fingerprint, (entries, passages), &topics, &files);
        }
        let urgent = faq.urgent.clone();
        Ok(Engine {
            faq: OnceLock::from(Arc::new(faq)),
            source,
            fingerprint,
            urgent,
            entries,
            passages,
            topics,
            analyzer,
            index,
            settings,
            rebuilt,
        })
    }

    /// Answers a question. Any string is accepted; nothing here fails or panics on user text.
    pub fn answer(&self, question: &str) -> Answer {
        let mut answer = rank::answer(self, question);
        self.triage(&mut answer);
        answer
    }

    /// Marks a red-flag question urgent and attaches its notice: the notices of the first two
    /// matching `urgent.toml` groups, most serious first. Logs the group, never the question.
    fn triage(&self, answer: &mut Answer) {
        let matches = self.urgent.check_all(&answer.question);
        if matches.is_empty() {
            return;
        }
        tracing::info!(
            groups = %matches.iter().map(|m| m.group.as_str()).collect::<Vec<_>>().join(","),
            "urgent question: the notice goes first"
        );
        let notices: Vec<String> = matches
            .iter()
            .take(2)
            .map(|m| m.notice_with(&self.settings.crisis_line))
            .collect();
        answer.urgent = true;
        answer.urgent_notice = Some(notices.join("\n\n"));
    }

    /// The FAQ this engine answers from, read from its files on first use. Should the files have
    /// become invalid since the index was built, the problems are logged and an FAQ without
    /// entries is returned (answers still come from the index).
    pub fn faq(&self) -> &Arc<Faq> {
        self.faq.get_or_init(|| match load_faq(&self.source) {
            Ok(l) => Arc::new(l.faq),
            Err(problems) => {
                for p in &problems {
                    tracing::warn!("{p}");
                }
                Arc::new(Faq {
                    entries: Vec::new(),
                    synonyms: Default::default(),
                    urgent: self.urgent.clone(),
                })
            }
        })
    }

    /// Number of entries in the FAQ.
    pub fn entry_count(&self) -> usize {
        self.entries
    }

    /// Number of passages in the FAQ.
    pub fn passage_count(&self) -> usize {
        self.passages
    }

    /// A few entry questions, in FAQ order, to offer when a question matches nothing.
    pub fn sample_topics(&self) -> &[String] {
        &self.topics
    }

    /// The fingerprint of the FAQ files.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The answer settings.
    pub fn settings(&self) -> &AnswerSettings {
        &self.settings
    }

    /// Where the index is stored (`None`: memory).
    pub fn index_path(&self) -> Option<&std::path::Path> {
        self.index.path.as_deref()
    }
}

/// Writes the freshness manifest of a just-built index folder (and the FAQ names when the
/// folder's record is trusted); a failure only costs a rebuild on the next start.
fn record_manifest(
    index_dir: &std::path::Path,
    fingerprint: &str,
    (entries, passages): (usize, usize),
    topics: &[String],
    files: &manifest::FaqFiles,
) {
    let folder = index::folder_for(index_dir, fingerprint);
    let m = Manifest {
        index_files: manifest::stamps_where(&folder, |_| true).unwrap_or_default(),
        format: FORMAT_VERSION.to_string(),
        fingerprint: fingerprint.to_string(),
        files_digest: manifest::digest(&files.stamps),
        entries,
        passages,
        topics: topics.to_vec(),
        faq_folder: files.folder,
    };
    if let Err(e) = manifest::write(index_dir, &m, files) {
        tracing::debug!("cannot write the index manifest: {e:#}");
    }
}
