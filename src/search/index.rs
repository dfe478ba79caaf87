//! The tantivy index: one document per passage, carrying its entry's question and aliases (and
//! the passage's own alternate questions with the aliases).
//!
//! On disk the index lives in `INDEX_DIR/<fingerprint prefix>/`, built in a temporary folder and
//! renamed into place, so an index folder is never half-written and a changed FAQ simply gets a new
//! folder. The index is a cache: it can always be rebuilt from the FAQ files.

use crate::faq::load::{scan_faq, Scan};
use crate::faq::{Entry, Faq, FaqSource};
use crate::problem::{Lines, Problem};
use crate::search::analyze::Analyzer;
use crate::search::rank::SeenTerms;
use crate::search::slots::{Slots, MAX_SLOTS};
use crate::search::stored::StoredCache;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

/// Name of the whitespace tokenizer: the text is analysed by [`Analyzer`] before indexing.
const TOKENIZER: &str = "faqbot_terms";
/// File inside an index folder holding the full fingerprint of the FAQ it was built from.
pub const FINGERPRINT_FILE: &str = "faqbot-fingerprint";

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The entry's question (with positions, for proximity).
    pub question: Field,
    /// The entry's aliases, and the passage's own alternate questions.
    pub aliases: Field,
    /// The passage's sub-heading.
    pub heading: Field,
    /// The passage text (with positions, for proximity).
    pub body: Field,
    /// Stored: the entry's id.
    pub entry_id: Field,
    /// Stored: the entry's question as written.
    pub question_text: Field,
    /// Stored: the passage's sub-heading as written (absent when none).
    pub heading_text: Field,
    /// Stored: the passage as written.
    pub text: Field,
    /// Stored: the entry's source.
    pub source: Field,
    /// Stored: the passage's position in its entry (from 0).
    pub passage_no: Field,
    /// Stored: the analysed terms of each question the passage answers (its entry's question
    /// and aliases, its own alternate questions), question by question, hashed (see
    /// `rank::asked`), so ranking can tell which single question a member asked again.
    pub asked_terms: Field,
    /// The stems of the passage's words that the analyser reads only inside a synonym phrase
    /// (from its entry's question and aliases, its own questions, sub-heading and text): not
    /// searched, only looked up, so a question's word the FAQ does use is not called unknown.
    pub inner: Field,
}

impl Fields {
    /// The searched fields, in the order [`crate::search::rank`] weighs them.
    pub fn searched(&self) -> [Field; 4] {
        [self.question, self.aliases, self.heading, self.body]
    }
}

/// The schema and its fields. Each passage's words are indexed once, in the field they come
/// from; positions are kept only where proximity is scored (question and passage text).
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(record),
        )
    };
    let positions = indexed(IndexRecordOption::WithFreqsAndPositions);
    let freqs = indexed(IndexRecordOption::WithFreqs);
    let fields = Fields {
        question: b.add_text_field("question", positions.clone()),
        aliases: b.add_text_field("aliases", freqs.clone()),
        heading: b.add_text_field("heading", freqs),
        body: b.add_text_field("body", positions),
        entry_id: b.add_text_field("entry_id", STRING | STORED),
        question_text: b.add_text_field("question_text", STORED),
        heading_text: b.add_text_field("heading_text", STORED),
        text: b.add_text_field("text", STORED),
        source: b.add_text_field("source", STORED),
        passage_no: b.add_u64_field("passage_no", STORED),
        asked_terms: b.add_text_field("asked_terms", STORED),
        inner: b.add_text_field("inner", indexed(IndexRecordOption::Basic)),
    };
    (b.build(), fields)
}

/// Registers the whitespace tokenizer the schema names: text reaches tantivy already analysed.
pub(crate) fn register_tokenizer(index: &Index) {
    index.tokenizers().register(
        TOKENIZER,
        TextAnalyzer::builder(WhitespaceTokenizer::default()).build(),
    );
}

/// An open index and its reader.
pub struct OpenIndex {
    /// The tantivy index.
    pub index: Index,
    /// A reader (manual reload: the index never changes once built).
    pub reader: IndexReader,
    /// The schema's fields.
    pub fields: Fields,
    /// Where it is stored; `None` when it lives in memory.
    pub path: Option<PathBuf>,
    /// How many tokens each searched field holds over all passages (in
    /// [`Fields::searched`] order), for BM25: counted once, since the index never changes.
    pub token_totals: [u64; 4],
    /// The passages read most recently.
    pub stored: StoredCache,
    /// The terms looked up most recently, with their document frequencies.
    pub seen_terms: SeenTerms,
}

fn open_reader(index: Index, fields: Fields, path: Option<PathBuf>) -> Result<OpenIndex> {
    register_tokenizer(&index);
    let reader: IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .context("cannot open an index reader")?;
    let searcher = reader.searcher();
    let mut token_totals = [0; 4];
    for (total, field) in token_totals.iter_mut().zip(fields.searched()) {
        *total = searcher
            .total_num_tokens(field)
            .context("cannot read the index's token counts")?;
    }
    let stored = StoredCache::new(searcher.num_docs());
    Ok(OpenIndex {
        index,
        reader,
        fields,
        path,
        token_totals,
        stored,
        seen_terms: Slots::new(MAX_SLOTS as u64),
    })
}

/// Adds one entry's passages to an index writer.
fn add_entry(
    writer: &IndexWriter<TantivyDocument>,
    fields: Fields,
    analyzer: &Analyzer,
    entry: &Entry,
) -> Result<()> {
    let mut entry_inner = String::new();
    let question = analyzer.indexed_text_and_inner(&entry.meta.question, &mut entry_inner);
    let alias_terms: Vec<String> = entry
        .meta
        .aliases
        .iter()
        .map(|a| analyzer.indexed_text_and_inner(a, &mut entry_inner))
        .collect();
    let aliases = alias_terms.join(" ");
    for (no, p) in entry.passages.iter().enumerate() {
        let mut inner = entry_inner.clone();
        let heading = p
            .heading
            .as_deref()
            .map(|h| analyzer.indexed_text_and_inner(h, &mut inner))
            .unwrap_or_default();
        let body = analyzer.indexed_text_and_inner(&p.text, &mut inner);
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.question, &question);
        doc.add_text(fields.aliases, &aliases);
        let mut asked = Vec::with_capacity(1 + alias_terms.len() + p.questions.len());
        asked.push(question.clone());
        asked.extend(alias_terms.iter().cloned());
        // The passage's own alternate questions: more aliases, on this passage only.
        for q in &p.questions {
            let terms = analyzer.indexed_text_and_inner(q, &mut inner);
            doc.add_text(fields.aliases, &terms);
            asked.push(terms);
        }
        doc.add_text(
            fields.asked_terms,
            crate::search::rank::asked_lines(asked.iter().map(String::as_str)),
        );
        doc.add_text(fields.heading, &heading);
        doc.add_text(fields.body, &body);
        doc.add_text(fields.inner, &inner);
        doc.add_text(fields.entry_id, &entry.meta.id);
        doc.add_text(fields.question_text, &entry.meta.question);
        if let Some(h) = &p.heading {
            doc.add_text(fields.heading_text, h);
        }
        doc.add_text(fields.text, &p.text);
        doc.add_text(fields.source, &entry.meta.source);
        doc.add_u64(fields.passage_no, no as u64);
        writer.add_document(doc).context("cannot add a document")?;
    }
    Ok(())
}

/// Memory budget of the index writer. The arena grows only as far as it is used, so a small
/// FAQ takes little of it; the budget is large enough that the 100,000-entry benchmark FAQ is
/// written as one segment (see BENCHMARKS.md).
const WRITER_HEAP: usize = 300_000_000;

/// The index writer: one indexing thread, since the calling thread analyses the text (the two
/// together keep both cores busy).
fn writer_for(index: &Index) -> Result<IndexWriter<TantivyDocument>> {
    register_tokenizer(index);
    index
        .writer_with_num_threads(1, WRITER_HEAP)
        .context("cannot create the index writer")
}

/// Commits, then merges the segments into one: a query then walks each term's postings once
/// instead of once per segment.
fn finish(index: &Index, mut writer: IndexWriter<TantivyDocument>) -> Result<()> {
    writer.commit().context("cannot commit the index")?;
    let segments = index
        .searchable_segment_ids()
        .context("cannot list the index segments")?;
    if segments.len() > 1 {
        writer
            .merge(&segments)
            .wait()
            .context("cannot merge the index segments")?;
    }
    writer
        .wait_merging_threads()
        .context("index merge failed")?;
    Ok(())
}

fn fill(index: &Index, fields: Fields, faq: &Faq, analyzer: &Analyzer) -> Result<()> {
    let writer = writer_for(index)?;
    for entry in &faq.entries {
        add_entry(&writer, fields, analyzer, entry)?;
    }
    finish(index, writer)
}

/// Why a streamed build failed.
#[derive(Debug)]
pub enum BuildError {
    /// The FAQ files have problems.
    Invalid(Vec<Problem>),
    /// Writing the index failed.
    Other(anyhow::Error),
}

impl From<anyhow::Error> for BuildError {
    fn from(e: anyhow::Error) -> Self {
        BuildError::Other(e)
    }
}

/// Builds the index on disk while reading the FAQ files one at a time (nothing holds the whole
/// FAQ), then moves it into the folder for the files' fingerprint. The analyser must already
/// know the FAQ's synonyms.
pub fn build_streaming(
    index_dir: &Path,
    source: &FaqSource,
    analyzer: &Analyzer,
) -> Result<(OpenIndex, Scan), BuildError> {
    let (scan, passages) = build_in_folder(index_dir, |index, fields| {
        let writer = writer_for(index)?;
        let mut failure = None;
        let scan = scan_faq(source, |entry| {
            if failure.is_none() {
                failure = add_entry(&writer, fields, analyzer, &entry).err();
            }
        });
        if let Some(e) = failure {
            return Err(BuildError::Other(e));
        }
        let scan = scan.map_err(BuildError::Invalid)?;
        finish(index, writer)?;
        let passages = scan.passages;
        Ok((scan.fingerprint.clone(), (scan, passages)))
    })?;
    let open = open_existing(index_dir, &scan.fingerprint, passages, true)?;
    Ok((open, scan))
}

/// Builds an index in a temporary folder beside the others with `fill` (which adds the passages
/// and returns the FAQ's fingerprint), then renames it to the folder for that fingerprint and
/// removes older index folders. A failed build leaves nothing behind.
fn build_in_folder<T>(
    index_dir: &Path,
    fill: impl FnOnce(&Index, Fields) -> Result<(String, T), BuildError>,
) -> Result<T, BuildError> {
    std::fs::create_dir_all(index_dir)
        .with_context(|| format!("cannot create {}", index_dir.display()))?;
    let tmp = temp_folder(index_dir);
    std::fs::create_dir_all(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let built = (|| {
        let (schema, fields) = schema();
        let index = Index::create_in_dir(&tmp, schema)
            .with_context(|| format!("cannot create an index in {}", tmp.display()))?;
        let (fingerprint, out) = fill(&index, fields)?;
        std::fs::write(tmp.join(FINGERPRINT_FILE), &fingerprint)
            .context("cannot write the fingerprint")?;
        Ok((fingerprint, out))
    })();
    let (fingerprint, out) = match built {
        Ok(b) => b,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    let target = move_into_place(index_dir, &tmp, &fingerprint)?;
    prune(index_dir, &target);
    Ok(out)
}

fn temp_folder(index_dir: &Path) -> PathBuf {
    index_dir.join(format!(
        ".build-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ))
}

/// Renames a finished build folder to the folder for its fingerprint.
fn move_into_place(index_dir: &Path, tmp: &Path, fingerprint: &str) -> Result<PathBuf> {
    let target = folder_for(index_dir, fingerprint);
    if target.exists() {
        let _ = std::fs::remove_dir_all(&target);
    }
    if let Err(e) = std::fs::rename(tmp, &target) {
        let _ = std::fs::remove_dir_all(tmp);
        if !target.exists() {
            return Err(e)
                .with_context(|| format!("cannot move the index to {}", target.display()));
        }
    }
    Ok(target)
}

/// Builds the index in memory.
pub fn build_in_ram(faq: &Faq, analyzer: &Analyzer) -> Result<OpenIndex> {
    let (schema, fields) = schema();
    let index = Index::create_in_ram(schema);
    fill(&index, fields, faq, analyzer)?;
    open_reader(index, fields, None)
}

/// The folder of the index for a fingerprint.
pub fn folder_for(index_dir: &Path, fingerprint: &str) -> PathBuf {
    index_dir.join(&fingerprint[..fingerprint.len().min(16)])
}

/// Opens the index for this fingerprint if it exists and is sound.
///
/// `trusted`: the folder's files are exactly as they were when last verified (see the manifest),
/// so their checksums need not be read again; this keeps a cold start from reading the whole
/// index.
pub fn open_existing(
    index_dir: &Path,
    fingerprint: &str,
    passages: usize,
    trusted: bool,
) -> Result<OpenIndex> {
    let dir = folder_for(index_dir, fingerprint);
    let stored = std::fs::read_to_string(dir.join(FINGERPRINT_FILE))
        .with_context(|| format!("no fingerprint in {}", dir.display()))?;
    anyhow::ensure!(stored.trim() == fingerprint, "fingerprint differs");
    if !trusted {
        verify_checksums(&dir)?;
    }
    let directory = crate::search::directory::AnswerDirectory::open(&dir)
        .with_context(|| format!("cannot open {}", dir.display()))?;
    let index = Index::open(directory).with_context(|| format!("cannot open {}", dir.display()))?;
    let (schema, fields) = schema();
    anyhow::ensure!(index.schema() == schema, "index schema differs");
    let open = open_reader(index, fields, Some(dir))?;
    let searcher = open.reader.searcher();
    anyhow::ensure!(
        searcher.num_docs() as usize == passages,
        "index holds {} passages, the FAQ {passages}",
        searcher.num_docs()
    );
    // Touch every segment's term dictionaries so damage shows now, not mid-answer.
    for seg in searcher.segment_readers() {
        for field in fields.searched().into_iter().chain([fields.inner]) {
            seg.inverted_index(field)
                .context("term dictionary unreadable")?;
        }
    }
    Ok(open)
}

/// Checks every segment file of an index folder against the checksum at its end, so a garbled
/// or cut file shows before tantivy reads it (it may panic on damaged data). Read through a
/// memory map, which is dropped afterwards.
fn verify_checksums(dir: &Path) -> Result<()> {
    let index =
        Index::open_in_dir(dir).with_context(|| format!("cannot open {}", dir.display()))?;
    let segments: Vec<String> = index
        .searchable_segment_ids()
        .context("cannot list the index segments")?
        .iter()
        .map(|id| id.uuid_string())
        .collect();
    let files = std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for item in files {
        let name = item
            .with_context(|| format!("cannot list {}", dir.display()))?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if segments.iter().any(|s| name.starts_with(s.as_str())) {
            let sound = index
                .directory()
                .validate_checksum(Path::new(&name))
                .with_context(|| format!("cannot check {name}"))?;
            anyhow::ensure!(sound, "{name} is damaged (its checksum does not match)");
        }
    }
    Ok(())
}

/// Builds the index on disk for this fingerprint (temporary folder, then rename), and removes
/// index folders of older fingerprints.
pub fn build_on_disk(
    index_dir: &Path,
    fingerprint: &str,
    faq: &Faq,
    analyzer: &Analyzer,
) -> Result<OpenIndex> {
    build_in_folder(index_dir, |index, fields| {
        fill(index, fields, faq, analyzer)?;
        Ok((fingerprint.to_string(), ()))
    })
    .map_err(|e| match e {
        BuildError::Other(e) => e,
        BuildError::Invalid(problems) => anyhow::anyhow!("{}", Lines(&problems)),
    })?;
    open_existing(index_dir, fingerprint, faq.passage_count(), true)
}

/// Removes index folders other than `keep` (older fingerprints, abandoned builds).
fn prune(index_dir: &Path, keep: &Path) {
    let Ok(rd) = std::fs::read_dir(index_dir) else {
        return;
    };
    for item in rd.flatten() {
        let path = item.path();
        if path == keep || !path.is_dir() {
            continue;
        }
        let name = item.file_name().to_string_lossy().to_string();
        let ours = name.len() == 16 && name.chars().all(|c| c.is_ascii_hexdigit());
        let stale_build = name.starts_with(".build-")
            && item
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600);
        if ours || stale_build {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}
