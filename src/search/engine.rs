//! The answer engine: a loaded FAQ, its analyser and its index, answering questions.
//! The CLI and the Discord bot share this one type.

use crate::answer::Answer;
use crate::faq::file::Problem;
use crate::faq::load::{load_faq, LoadedFaq};
use crate::faq::{Faq, FaqSource};
use crate::search::analyze::Analyzer;
use crate::search::index::{self, OpenIndex};
use crate::search::rank;
use std::path::PathBuf;
use std::sync::Arc;

/// Tuning knobs for answering.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerSettings {
    /// Least share (0-1) of the question's weighted terms the best passage must cover.
    pub min_coverage: f32,
    /// How many alternative passages to return.
    pub alternatives: usize,
}

impl Default for AnswerSettings {
    fn default() -> Self {
        AnswerSettings {
            min_coverage: rank::DEFAULT_MIN_COVERAGE,
            alternatives: 3,
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
pub struct Engine {
    faq: Arc<Faq>,
    fingerprint: String,
    pub(crate) analyzer: Analyzer,
    pub(crate) index: OpenIndex,
    /// (entry, passage) for each passage ordinal.
    pub(crate) passages: Vec<(u32, u32)>,
    pub(crate) settings: AnswerSettings,
    /// Whether the index was (re)built when opening, rather than reused.
    pub rebuilt: bool,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("entries", &self.faq.entries.len())
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

impl Engine {
    /// Loads the FAQ and opens its index, building it when missing, stale or damaged.
    /// An index folder that cannot be written falls back to memory with a warning.
    pub fn open(
        source: &FaqSource,
        location: &IndexLocation,
        settings: AnswerSettings,
    ) -> Result<Engine, OpenError> {
        let loaded = load_faq(source).map_err(OpenError::Invalid)?;
        Self::from_loaded(loaded, location, settings, false)
    }

    /// Like [`Engine::open`] but always rebuilds the index.
    pub fn rebuild(
        source: &FaqSource,
        location: &IndexLocation,
        settings: AnswerSettings,
    ) -> Result<Engine, OpenError> {
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
        let LoadedFaq { faq, fingerprint } = loaded;
        let analyzer = Analyzer::new(&faq.synonyms);
        let count = faq.passage_count();
        let (index, rebuilt) = match location {
            IndexLocation::Memory => (index::build_in_ram(&faq, &analyzer)?, true),
            IndexLocation::Dir(dir) => {
                let existing = if force_rebuild {
                    None
                } else {
                    match index::open_existing(dir, &fingerprint, count) {
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
        let passages = faq
            .entries
            .iter()
            .enumerate()
            .flat_map(|(ei, e)| (0..e.passages.len()).map(move |pi| (ei as u32, pi as u32)))
            .collect();
        Ok(Engine {
            faq: Arc::new(faq),
            fingerprint,
            analyzer,
            index,
            passages,
            settings,
            rebuilt,
        })
    }

    /// Answers a question. Any string is accepted; nothing here fails or panics on user text.
    pub fn answer(&self, question: &str) -> Answer {
        rank::answer(self, question)
    }

    /// The FAQ this engine answers from.
    pub fn faq(&self) -> &Arc<Faq> {
        &self.faq
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
