//! The search engine: a FAQ's analyser and tantivy index, opened from the on-disk cache when the
//! FAQ files are unchanged and built again when they are not, and ranking passages for a
//! question. What to answer with them is the answer policy's business.

use crate::faq::load::{faq_stamps, load_faq, load_synonyms, LoadedFaq, SideFile, FORMAT_VERSION};
use crate::faq::stamp::{self, Stamp};
use crate::faq::{Faq, FaqSource};
use crate::problem::{Lines, Problem};
use crate::search::analyze::Analyzer;
use crate::search::cache::{self, Manifest};
use crate::search::index::{self, OpenIndex};
use crate::search::rank::{self, Features};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Why a search engine could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The FAQ files have problems; each is `FILE:LINE: message`.
    #[error("the FAQ has {} problem(s):\n{}", .0.len(), Lines(.0))]
    Invalid(Vec<Problem>),
    /// The index could not be built.
    #[error(transparent)]
    Index(#[from] anyhow::Error),
}

/// Where the index lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexLocation {
    /// A folder on disk (reused while the FAQ is unchanged).
    Dir(PathBuf),
    /// Memory only.
    Memory,
}

/// A FAQ's index, ready to rank passages.
///
/// Ranking needs only the index (passages are stored in it) and the synonyms; the parsed
/// entries are loaded on first use ([`Search::faq`]), so a cold `faqbot ask` with a fresh index
/// reads no entry file.
pub struct Search {
    faq: OnceLock<Arc<Faq>>,
    source: FaqSource,
    fingerprint: String,
    entries: usize,
    passages: usize,
    topics: Vec<String>,
    analyzer: Analyzer,
    index: OpenIndex,
    features: Features,
    rebuilt: bool,
    /// The red-flag rules file when this open read it with the FAQ (not for a reused index).
    urgent: Option<SideFile>,
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search")
            .field("entries", &self.entries)
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

impl Search {
    /// Opens the FAQ's index, building it when missing, stale or damaged. An index folder that
    /// cannot be written falls back to memory with a warning.
    pub fn open(
        source: &FaqSource,
        location: &IndexLocation,
        features: Features,
    ) -> Result<Search, OpenError> {
        if let (FaqSource::Dir(_), IndexLocation::Dir(dir)) = (source, location) {
            if let Some(search) = Self::open_cached(source, dir, features) {
                return Ok(search);
            }
            return Self::open_streaming(source, dir, features);
        }
        let loaded = load_faq(source).map_err(OpenError::Invalid)?;
        Self::from_loaded(loaded, location, features, false)
    }

    /// Like [`Search::open`] but always builds the index again.
    pub fn rebuild(
        source: &FaqSource,
        location: &IndexLocation,
        features: Features,
    ) -> Result<Search, OpenError> {
        if let (FaqSource::Dir(_), IndexLocation::Dir(dir)) = (source, location) {
            return Self::open_streaming(source, dir, features);
        }
        let loaded = load_faq(source).map_err(OpenError::Invalid)?;
        Self::from_loaded(loaded, location, features, true)
    }

    /// Opens the index the manifest names when the FAQ files' stamps still match it, without
    /// reading the entry files; `None` when anything differs or fails (the caller rebuilds).
    fn open_cached(source: &FaqSource, index_dir: &Path, features: Features) -> Option<Search> {
        let FaqSource::Dir(faq_dir) = source else {
            return None;
        };
        let m = cache::read(index_dir)?;
        if m.format != FORMAT_VERSION {
            return None;
        }
        if stamp::digest(&faq_stamps(faq_dir).ok()?) != m.files_digest {
            return None;
        }
        let synonyms = load_synonyms(source).ok()?;
        let folder = index::folder_for(index_dir, &m.fingerprint);
        let trusted = cache::index_stamps(&folder).ok().as_ref() == Some(&m.index_files);
        // tantivy may panic on a damaged file: that is damage too, not a crash.
        let opened = std::panic::catch_unwind(|| {
            index::open_existing(index_dir, &m.fingerprint, m.passages, trusted)
        })
        .unwrap_or_else(|_| Err(anyhow::anyhow!("reading it failed")));
        let index = match opened {
            Ok(i) => i,
            Err(e) => {
                tracing::warn!(
                    "the index in {} is damaged ({e:#}); rebuilding it from the FAQ files",
                    index_dir.display()
                );
                return None;
            }
        };
        Some(Search {
            faq: OnceLock::new(),
            source: source.clone(),
            fingerprint: m.fingerprint,
            entries: m.entries,
            passages: m.passages,
            topics: m.topics,
            analyzer: Analyzer::new(&synonyms),
            index,
            features,
            rebuilt: false,
            urgent: None,
        })
    }

    /// Builds the on-disk index while streaming the FAQ files (nothing holds the whole FAQ),
    /// records the manifest, and leaves the entries to be loaded on first use. An index folder
    /// that cannot be written falls back to an in-memory index with a warning.
    fn open_streaming(
        source: &FaqSource,
        index_dir: &Path,
        features: Features,
    ) -> Result<Search, OpenError> {
        let synonyms = load_synonyms(source).map_err(OpenError::Invalid)?;
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
                return Self::from_loaded(loaded, &IndexLocation::Memory, features, true);
            }
        };
        if let Some(stamps) = &scan.stamps {
            record_manifest(
                index_dir,
                &scan.fingerprint,
                (scan.entries, scan.passages),
                &scan.topics,
                stamps,
            );
        }
        Ok(Search {
            faq: OnceLock::new(),
            source: source.clone(),
            fingerprint: scan.fingerprint,
            entries: scan.entries,
            passages: scan.passages,
            topics: scan.topics,
            analyzer,
            index,
            features,
            rebuilt: true,
            urgent: Some(scan.urgent),
        })
    }

    /// Opens the index of an already loaded FAQ: reused from disk when its folder holds a sound
    /// index for the same fingerprint (unless `force_rebuild`), else built.
    pub fn from_loaded(
        loaded: LoadedFaq,
        location: &IndexLocation,
        features: Features,
        force_rebuild: bool,
    ) -> Result<Search, OpenError> {
        let LoadedFaq {
            faq,
            fingerprint,
            source,
            stamps,
            urgent,
        } = loaded;
        let analyzer = Analyzer::new(&faq.synonyms);
        let (index, rebuilt) = match location {
            IndexLocation::Memory => (index::build_in_ram(&faq, &analyzer)?, true),
            IndexLocation::Dir(dir) => {
                let existing = if force_rebuild {
                    None
                } else {
                    reuse(dir, &fingerprint, faq.passage_count())
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
        let topics = crate::faq::entry::TopicSample::of(&faq.entries);
        let (entries, passages) = (faq.entries.len(), faq.passage_count());
        if let (Some(stamps), IndexLocation::Dir(dir), Some(_)) = (stamps, location, &index.path) {
            record_manifest(dir, &fingerprint, (entries, passages), &topics, &stamps);
        }
        Ok(Search {
            faq: OnceLock::from(Arc::new(faq)),
            source,
            fingerprint,
            entries,
            passages,
            topics,
            analyzer,
            index,
            features,
            rebuilt,
            urgent: Some(urgent),
        })
    }

    /// The `limit` best candidate passages for a question, best first; empty when no word of it
    /// is in the FAQ. Any string is accepted; nothing here fails or panics on user text.
    pub fn ranked(&self, question: &str, limit: usize) -> rank::Ranking {
        rank::ranked_hits(&self.analyzer, &self.index, self.features, question, limit)
    }

    /// The analyser questions and passages go through (also used to group similar questions).
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The ranking techniques switched on.
    pub fn features(&self) -> Features {
        self.features
    }

    /// The FAQ this index was built from, read from its files on first use. Should the files
    /// have become invalid since the index was built, the problems are logged and an FAQ
    /// without entries is returned (answers still come from the index).
    pub fn faq(&self) -> &Arc<Faq> {
        self.faq.get_or_init(|| match load_faq(&self.source) {
            Ok(l) => Arc::new(l.faq),
            Err(problems) => {
                for p in &problems {
                    tracing::warn!("{p}");
                }
                Arc::new(Faq::default())
            }
        })
    }

    /// Where the FAQ files come from.
    pub fn source(&self) -> &FaqSource {
        &self.source
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

    /// Where the index is stored (`None`: memory).
    pub fn index_path(&self) -> Option<&Path> {
        self.index.path.as_deref()
    }

    /// Whether the index was (re)built when opening, rather than reused.
    pub fn rebuilt(&self) -> bool {
        self.rebuilt
    }

    /// The red-flag rules file as this open read it with the FAQ files (once: it is handed
    /// over); `None` when the index was reused without reading them.
    pub fn take_urgent_file(&mut self) -> Option<SideFile> {
        self.urgent.take()
    }
}

/// The index already on disk for this fingerprint, if it is sound; damage is logged and means
/// a rebuild.
fn reuse(dir: &Path, fingerprint: &str, passages: usize) -> Option<OpenIndex> {
    // tantivy may panic on a damaged file: that is damage too, not a crash.
    let opened =
        std::panic::catch_unwind(|| index::open_existing(dir, fingerprint, passages, false))
            .unwrap_or_else(|_| Err(anyhow::anyhow!("reading it failed")));
    match opened {
        Ok(i) => Some(i),
        Err(e) => {
            if index::folder_for(dir, fingerprint).exists() {
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
}

/// Writes the manifest of a just-built index folder; a failure only costs a rebuild on the next
/// start.
fn record_manifest(
    index_dir: &Path,
    fingerprint: &str,
    (entries, passages): (usize, usize),
    topics: &[String],
    stamps: &[Stamp],
) {
    let folder = index::folder_for(index_dir, fingerprint);
    let m = Manifest {
        index_files: cache::index_stamps(&folder).unwrap_or_default(),
        format: FORMAT_VERSION.to_string(),
        fingerprint: fingerprint.to_string(),
        files_digest: stamp::digest(stamps),
        entries,
        passages,
        topics: topics.to_vec(),
    };
    if let Err(e) = cache::write(index_dir, &m) {
        tracing::debug!("cannot write the index manifest: {e:#}");
    }
}
