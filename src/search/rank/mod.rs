//! From a question to ranked passages: analyse it into weighted terms ([`terms`]), query tantivy
//! (question and aliases weigh more than passage text), add a boost for question words that
//! stand together in a passage ([`proximity`]), then re-rank by coverage ([`coverage`]), the
//! idf-weighted share of the question's terms that a passage (with its entry's question and
//! aliases) contains. Whether that is good enough to answer is the answer policy's call.

mod asked;
mod coverage;
mod proximity;
mod terms;

pub(crate) use asked::asked_lines;
pub use terms::{correct_typo, specificity, typo_distance, QTerm, Respelt};

use crate::search::analyze::Analyzer;
use crate::search::index::{Fields, OpenIndex};
use crate::search::{Hit, Signals};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::document::{
    DeserializeError, DocumentDeserialize, DocumentDeserializer, ValueDeserialize,
    ValueDeserializer, ValueVisitor,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// Passages fetched from tantivy before re-ranking.
pub const CANDIDATES: usize = 20;
/// Passages fetched before re-ranking on a large FAQ: a shorter list lets block-WAND skip more.
const CANDIDATES_LARGE: usize = 12;
/// Passages from which a FAQ counts as large.
const LARGE_FAQ: u64 = 2_000;
/// How much the passage's own coverage (without its entry's question and aliases) adds, so the
/// paragraph that itself answers wins within an entry.
const OWN_SHARE: f32 = 0.25;
/// How much the BM25 score (relative to the best one) adds to coverage when ranking.
const BM25_SHARE: f32 = 0.3;
/// How much the question match (the closest single question the passage answers) adds when
/// ranking, so the passage whose own question was asked wins among passages that cover alike.
const QUESTION_MATCH_SHARE: f32 = 0.2;
/// Candidates, best first, whose stored questions are read for the question match.
const MATCHED_CANDIDATES: usize = 8;
/// BM25 weight of a match in each searched field: question, aliases, sub-heading, text.
const WEIGHTS: [f32; 4] = [3.0, 2.0, 2.0, 1.0];

/// Ranking techniques, each of which can be switched on or off to measure what it adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    /// Correct misspelt words to the nearest FAQ word.
    pub typos: bool,
    /// Boost question words that stand together in a passage.
    pub phrases: bool,
    /// Rank by coverage first (else by BM25 alone) and abstain on low coverage.
    pub coverage: bool,
    /// Prefer the passage whose own text covers the question, within an entry.
    pub own_passage: bool,
    /// Weigh the sentences of a post that ask above the story around them.
    pub focus: bool,
    /// Judge words the FAQ never uses by how specific they are in English.
    pub english: bool,
    /// Count a name the FAQ never uses (a place, an insurer, a brand) in the part of the question
    /// that asks as specific, however common it is in English, and let it bar an answer.
    pub names: bool,
    /// Prefer the passage with the closest single question to the member's.
    pub question_match: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            typos: true,
            phrases: true,
            coverage: true,
            // An entry's aliases lend their words to every paragraph of it: without this, a
            // paragraph that only mentions the entry's topic in passing ("with any of these
            // methods") wins a broad question over the one that answers it.
            own_passage: true,
            focus: true,
            english: true,
            names: true,
            question_match: true,
        }
    }
}

/// The analysed question and its best candidate passages.
#[derive(Debug, Clone, Default)]
pub struct Ranking {
    /// The question's terms with their weights, in question order (bit `i` of
    /// [`Signals::matched`] is term `i`).
    pub terms: Vec<QTerm>,
    /// The best candidates, best first; empty when no word of the question is in the FAQ.
    pub hits: Vec<Hit>,
    /// Misspelt words of the question read as English or FAQ words before analysis.
    pub respelt: Vec<Respelt>,
}

/// The `limit` best candidate passages for a question, best first, with the analysed question.
pub fn ranked_hits(
    analyzer: &Analyzer,
    index: &OpenIndex,
    features: Features,
    question: &str,
    limit: usize,
) -> Ranking {
    let fields = index.fields;
    let searched = fields.searched();
    let searcher = index.reader.searcher();
    let n = searcher.num_docs();
    let (qterms, respelt) =
        terms::question_terms(analyzer, &searcher, searched, features, question);

    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for qt in qterms.iter().filter(|q| q.known) {
        for (i, &field) in searched.iter().enumerate() {
            if qt.field_dfs[i] == 0 {
                continue;
            }
            let tq = TermQuery::new(
                Term::from_field_text(field, &qt.text),
                IndexRecordOption::WithFreqs,
            );
            let boost = WEIGHTS[i] * terms::focus_weight(qt.focus, features);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(tq), boost)),
            ));
        }
    }
    if clauses.is_empty() {
        return Ranking {
            terms: qterms,
            hits: Vec::new(),
            respelt,
        };
    }
    // BM25 over the term clauses alone, so tantivy's block-WAND pruning skips most passages.
    let query = BooleanQuery::new(clauses);
    let candidates = if n >= LARGE_FAQ {
        CANDIDATES_LARGE
    } else {
        CANDIDATES
    };
    let mut top = match searcher.search(&query, &TopDocs::with_limit(candidates).order_by_score()) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!("search failed: {e}");
            return Ranking {
                terms: qterms,
                hits: Vec::new(),
                respelt,
            };
        }
    };

    let masks = coverage::term_masks(&searcher, searched, &qterms, &top);
    if features.phrases {
        proximity::add_proximity(&searcher, fields, &qterms, n, &masks, &mut top);
        top.sort_by(|a, b| b.0.total_cmp(&a.0));
    }
    let top_score = top.first().map_or(1.0, |(s, _)| s.max(f32::EPSILON));
    let unknown = coverage::unknown_share(&qterms);
    let unknown_words = coverage::unknown_words(&qterms);
    let max_idf = terms::idf(n, 1);
    let focus_terms = match qterms.iter().filter(|q| q.focus).count() {
        0 => qterms.len(),
        k => k,
    } as f32;
    let mut ranked: Vec<(f32, Signals, tantivy::DocAddress)> = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let by_field = masks.of(addr);
        let (coverage, own, asked, matched) = coverage::shares(&qterms, by_field);
        let (topical, specific) = if features.english {
            coverage::topical(&qterms, by_field)
        } else {
            (true, true)
        };
        let rank = if features.coverage {
            let own = if features.own_passage { own } else { 0.0 };
            coverage + OWN_SHARE * own + BM25_SHARE * score / top_score
        } else {
            score
        };
        let signals = Signals {
            coverage,
            own,
            bm25: score,
            bm25_ratio: score / top_score,
            unknown,
            unknown_words,
            asked,
            matched_rarity: coverage::matched_rarity(&qterms, matched, max_idf),
            question_match: 0.0,
            focus_terms,
            matched,
            topical,
            specific,
        };
        ranked.push((rank, signals, addr));
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    // The leading candidates' stored fields: their questions for the question match, and the
    // passage itself for those returned.
    let asked = asked::Asked::new(&qterms);
    let mut read: Vec<(f32, Hit)> = ranked
        .into_iter()
        .take(limit.max(MATCHED_CANDIDATES))
        .filter_map(|(score, mut signals, addr)| {
            let (hit, stored) = stored_hit(&searcher, &fields, addr, score, signals)?;
            signals.question_match = asked.question_match(&stored);
            let rank = if features.question_match {
                score + QUESTION_MATCH_SHARE * signals.question_match
            } else {
                score
            };
            Some((
                rank,
                Hit {
                    signals,
                    score: rank,
                    ..hit
                },
            ))
        })
        .collect();
    read.sort_by(|a, b| b.0.total_cmp(&a.0));
    let hits = read.into_iter().take(limit).map(|(_, h)| h).collect();
    Ranking {
        terms: qterms,
        hits,
        respelt,
    }
}

/// A hit from the passage's stored fields (read only for the leading candidates), with the
/// stored questions the passage answers (see [`asked_lines`]).
fn stored_hit(
    searcher: &Searcher,
    fields: &Fields,
    addr: tantivy::DocAddress,
    score: f32,
    signals: Signals,
) -> Option<(Hit, String)> {
    let mut doc: StoredDoc = match searcher.doc(addr) {
        Ok(d) => d,
        Err(e) => {
            tracing::error!("cannot read a stored passage: {e}");
            return None;
        }
    };
    let mut text = |f: Field| doc.take_text(f);
    let hit = Hit {
        entry_id: text(fields.entry_id)?,
        entry_question: text(fields.question_text)?,
        heading: text(fields.heading_text),
        passage: text(fields.text)?,
        source: text(fields.source).unwrap_or_default(),
        passage_no: doc
            .number(fields.passage_no)
            .and_then(|n| u32::try_from(n).ok()),
        score,
        signals,
    };
    Some((hit, doc.take_text(fields.asked_terms).unwrap_or_default()))
}

/// A passage's stored fields, each value read straight into its own string: tantivy's default
/// document copies every value into an arena first, and the hit would copy them out again.
struct StoredDoc(Vec<(Field, StoredValue)>);

enum StoredValue {
    Text(String),
    Number(u64),
}

impl StoredDoc {
    /// The first text value of `field`, moved out.
    fn take_text(&mut self, field: Field) -> Option<String> {
        self.0.iter_mut().find_map(|(f, v)| match v {
            StoredValue::Text(t) if *f == field => Some(std::mem::take(t)),
            _ => None,
        })
    }

    fn number(&self, field: Field) -> Option<u64> {
        self.0.iter().find_map(|(f, v)| match v {
            StoredValue::Number(n) if *f == field => Some(*n),
            _ => None,
        })
    }
}

impl DocumentDeserialize for StoredDoc {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(pair) = deserializer.next_field::<StoredValue>()? {
            values.push(pair);
        }
        Ok(StoredDoc(values))
    }
}

impl ValueDeserialize for StoredValue {
    fn deserialize<'de, D>(deserializer: D) -> Result<Self, DeserializeError>
    where
        D: ValueDeserializer<'de>,
    {
        deserializer.deserialize_any(StoredVisitor)
    }
}

/// Reads the two kinds of value the schema stores; any other is an error.
struct StoredVisitor;

impl ValueVisitor for StoredVisitor {
    type Value = StoredValue;

    fn visit_string(&self, val: String) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Text(val))
    }

    fn visit_u64(&self, val: u64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Number(val))
    }
}
