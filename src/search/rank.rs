//! From a question to ranked passages: analyse, query tantivy (question and aliases weigh more
//! than passage text), then re-rank by coverage, the idf-weighted share of the question's terms
//! that a passage (with its entry's question and aliases) contains. Low coverage means the FAQ
//! does not answer the question, and the engine abstains.

use crate::answer::{Answer, Hit};
use crate::search::engine::Engine;
use std::collections::HashMap;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Searcher, Term};

/// Default least coverage for answering.
pub const DEFAULT_MIN_COVERAGE: f32 = 0.45;
/// Passages fetched from tantivy before re-ranking.
const CANDIDATES: usize = 20;
/// Passages fetched before re-ranking on a large FAQ: a shorter list lets block-WAND skip more
/// (at 55,000 passages p50 0.55 ms with 20, 0.42 ms with 12).
const CANDIDATES_LARGE: usize = 12;
/// Passages from which a FAQ counts as large.
const LARGE_FAQ: u64 = 2_000;
/// Questions longer than this many characters are cut before analysis.
const MAX_QUESTION_CHARS: usize = 2_000;
/// At most this many distinct terms of a question are used.
const MAX_TERMS: usize = 48;
/// Weight of a question word the FAQ never uses, relative to the rarest word it does use.
const UNKNOWN_WEIGHT: f32 = 0.8;
/// Weight of a typo-corrected word, relative to the word it was corrected to.
const CORRECTED_WEIGHT: f32 = 0.8;
/// Boost of two question words found next to each other (one word apart at most) in a passage.
const PHRASE_BOOST: f32 = 1.5;
/// How much the passage's own coverage (without its entry's question and aliases) adds, so the
/// paragraph that itself answers wins within an entry.
const OWN_SHARE: f32 = 0.25;
/// How much the BM25 score (relative to the best one) adds to coverage when ranking.
const BM25_SHARE: f32 = 0.3;
/// Shortest word that typo correction considers (shorter words have too many neighbours).
const MIN_TYPO_CHARS: usize = 5;

/// Ranking techniques, each of which can be switched off to measure what it adds.
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
}

impl Default for Features {
    fn default() -> Self {
        Features {
            typos: true,
            phrases: true,
            coverage: true,
            own_passage: true,
        }
    }
}

/// How close (in ranking score) another entry's passage must be to the best one to be offered
/// as "did you mean".
const CLOSE_SCORE: f32 = 0.05;

/// One analysed question term and its weight.
struct QTerm {
    /// The term searched for (the correction, for a typo).
    text: String,
    idf: f32,
    known: bool,
    /// Passages holding the term (its rarity, for proximity).
    df: u64,
    /// Passages holding the term in each searched field (question, aliases, heading, body).
    field_dfs: [u64; 4],
}

/// Index of the searched fields that are the passage's own words (heading and body).
const OWN_FIELDS: [usize; 2] = [2, 3];

/// Edit distance allowed when correcting a word of this many characters.
pub fn typo_distance(chars: usize) -> u8 {
    match chars {
        0..MIN_TYPO_CHARS => 0,
        MIN_TYPO_CHARS..=8 => 1,
        _ => 2,
    }
}

/// The FAQ word a misspelt question word most likely means: the most frequent indexed term
/// within the allowed edit distance (transpositions count as one edit). Only for words of five
/// or more letters without digits, so short or coded words never turn into something else.
pub fn correct_typo(searcher: &Searcher, fields: &[Field], word: &str) -> Option<(String, u64)> {
    let chars = word.chars().count();
    let distance = typo_distance(chars);
    if distance == 0 || word.contains('_') || word.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let first = *fields.first()?;
    let automaton = FuzzyTermQuery::new(Term::from_field_text(first, word), distance, true)
        .automaton()
        .ok()?;
    let mut found: HashMap<String, u64> = HashMap::new();
    for seg in searcher.segment_readers() {
        for &field in fields {
            let Ok(inv) = seg.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inv.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(text) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if text.contains('_') || text.chars().count() + 1 < MIN_TYPO_CHARS {
                    continue;
                }
                *found.entry(text.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    found
        .into_iter()
        .max_by(|(t1, d1), (t2, d2)| d1.cmp(d2).then_with(|| t2.cmp(t1)))
}

fn idf(n: u64, df: u64) -> f32 {
    let n = n as f32;
    let df = df as f32;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

fn doc_freq(searcher: &Searcher, field: Field, text: &str) -> u64 {
    searcher
        .doc_freq(&Term::from_field_text(field, text))
        .unwrap_or(0)
}

/// The `limit` best candidate passages for a question, best first; empty when no word of it is
/// in the FAQ.
pub fn ranked_hits(engine: &Engine, question: &str, limit: usize) -> Vec<Hit> {
    let cut: String = question.chars().take(MAX_QUESTION_CHARS).collect();
    let mut seen = std::collections::HashSet::new();
    let terms: Vec<String> = engine
        .analyzer
        .terms(&cut)
        .into_iter()
        .filter(|t| seen.insert(t.clone()))
        .take(MAX_TERMS)
        .collect();

    let fields = engine.index.fields;
    let searched = fields.searched();
    let features = engine.settings.features;
    let searcher = engine.index.reader.searcher();
    let n = searcher.num_docs();
    let max_idf = idf(n, 1);
    let mut qterms: Vec<QTerm> = Vec::with_capacity(terms.len());
    for t in terms {
        let field_dfs = searched.map(|f| doc_freq(&searcher, f, &t));
        // Rarity is judged on the passages' own words (sub-heading and text), so questions and
        // aliases (repeated on every passage of their entry) do not make their words look
        // common; a word only in questions or aliases counts the passages carrying it.
        let own_df: u64 = OWN_FIELDS.iter().map(|&i| field_dfs[i]).sum();
        let entry_df = field_dfs[0].max(field_dfs[1]);
        let qt = if own_df > 0 || entry_df > 0 {
            let df = if own_df > 0 { own_df.min(n) } else { entry_df };
            QTerm {
                idf: idf(n, df),
                known: true,
                df,
                field_dfs,
                text: t,
            }
        } else if let Some((fixed, fdf)) = features
            .typos
            .then(|| correct_typo(&searcher, &searched, &t))
            .flatten()
        {
            QTerm {
                idf: idf(n, fdf.min(n)) * CORRECTED_WEIGHT,
                known: true,
                df: fdf,
                field_dfs: searched.map(|f| doc_freq(&searcher, f, &fixed)),
                text: fixed,
            }
        } else {
            QTerm {
                idf: max_idf * UNKNOWN_WEIGHT,
                known: false,
                df: 0,
                field_dfs: [0; 4],
                text: t,
            }
        };
        if !qterms.iter().any(|q| q.known && q.text == qt.text) {
            qterms.push(qt);
        }
    }

    const WEIGHTS: [f32; 4] = [3.0, 2.0, 2.0, 1.0];
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
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(tq), WEIGHTS[i])),
            ));
        }
    }
    if clauses.is_empty() {
        return Vec::new();
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
            return Vec::new();
        }
    };

    // Which question terms each candidate holds, field by field, as bit masks over the
    // question's terms, read from the postings segment by segment.
    let total_weight: f32 = qterms.iter().map(|q| q.idf).sum();
    let mut by_segment: HashMap<u32, Vec<DocId>> = HashMap::new();
    for (_, addr) in &top {
        by_segment
            .entry(addr.segment_ord)
            .or_default()
            .push(addr.doc_id);
    }
    let mut masks: HashMap<(u32, DocId), [u64; 4]> = HashMap::new();
    for (seg_ord, docs) in by_segment.iter_mut() {
        docs.sort_unstable();
        let seg = searcher.segment_reader(*seg_ord);
        for (i, &field) in searched.iter().enumerate() {
            let Ok(inv) = seg.inverted_index(field) else {
                continue;
            };
            for (bit, qt) in qterms.iter().enumerate() {
                if !qt.known || qt.field_dfs[i] == 0 {
                    continue;
                }
                let term = Term::from_field_text(field, &qt.text);
                let Ok(Some(mut postings)) = inv.read_postings(&term, IndexRecordOption::Basic)
                else {
                    continue;
                };
                for &d in docs.iter() {
                    let cur = if postings.doc() < d {
                        postings.seek(d)
                    } else {
                        postings.doc()
                    };
                    if cur == d {
                        masks.entry((*seg_ord, d)).or_default()[i] |= 1 << bit;
                    }
                }
            }
        }
    }
    if features.phrases {
        add_proximity(&searcher, fields, &qterms, n, &masks, &mut top);
        top.sort_by(|a, b| b.0.total_cmp(&a.0));
    }
    let weight_of = |mask: u64| -> f32 {
        qterms
            .iter()
            .enumerate()
            .filter(|(bit, _)| mask & (1 << bit) != 0)
            .map(|(_, q)| q.idf)
            .sum()
    };

    let top_score = top.first().map_or(1.0, |(s, _)| s.max(f32::EPSILON));
    let mut ranked: Vec<(f32, f32, tantivy::DocAddress)> = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let key = (addr.segment_ord, addr.doc_id);
        let by_field = masks.get(&key).copied().unwrap_or_default();
        let all_mask = by_field.iter().fold(0, |a, m| a | m);
        let own_mask = OWN_FIELDS.iter().fold(0, |a, &i| a | by_field[i]);
        let share = |mask: u64| {
            if total_weight > 0.0 {
                weight_of(mask) / total_weight
            } else {
                0.0
            }
        };
        let coverage = share(all_mask);
        let own = share(own_mask);
        let rank = if features.coverage {
            let own = if features.own_passage { own } else { 0.0 };
            coverage + OWN_SHARE * own + BM25_SHARE * score / top_score
        } else {
            score
        };
        ranked.push((rank, coverage, addr));
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked
        .into_iter()
        .take(limit)
        .filter_map(|(score, coverage, addr)| stored_hit(&searcher, &fields, addr, score, coverage))
        .collect()
}

/// Proximity: adds to each candidate's score the BM25 score of neighbouring question words that
/// stand together in it (in either order, at most one word apart), in its passage or its
/// question: "IL-2 given" meets "administer IL-2". Scored for the candidates only, as a phrase
/// clause in the search itself would read positions for every passage and switch off pruning;
/// only pairs with a rare word are worth it.
fn add_proximity(
    searcher: &Searcher,
    fields: crate::search::index::Fields,
    qterms: &[QTerm],
    n: u64,
    masks: &HashMap<(u32, DocId), [u64; 4]>,
    top: &mut [(f32, tantivy::DocAddress)],
) {
    let rare = (n / 50).max(64);
    // Candidates by segment, in doc order, as scorers only move forward.
    let mut order: Vec<usize> = (0..top.len()).collect();
    order.sort_by_key(|&k| (top[k].1.segment_ord, top[k].1.doc_id));
    for (k, pair) in qterms.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        if !(a.known && b.known && a.text != b.text && a.df.min(b.df) <= rare) {
            continue;
        }
        let both: u64 = (1 << k) | (1 << (k + 1));
        for (i, field) in [(3, fields.body), (0, fields.question)] {
            // Only candidates holding both words in this field can hold them side by side.
            let holders: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&c| {
                    let addr = top[c].1;
                    masks
                        .get(&(addr.segment_ord, addr.doc_id))
                        .is_some_and(|m| m[i] & both == both)
                })
                .collect();
            if holders.is_empty() {
                continue;
            }
            if let Err(e) = score_pair(searcher, field, [&a.text, &b.text], &holders, top) {
                tracing::error!("proximity scoring failed: {e}");
                return;
            }
        }
    }
}

/// Adds to the candidates `holders` (indexes into `top`, in segment and doc order) the score
/// of the two words standing together in `field`, in each order. Scored exactly as tantivy
/// scores a two-word phrase with slop 1 (BM25 over the phrase count with the words' summed idf,
/// times [`PHRASE_BOOST`]), but each word's postings are read once for both orders.
fn score_pair(
    searcher: &Searcher,
    field: Field,
    words: [&str; 2],
    holders: &[usize],
    top: &mut [(f32, tantivy::DocAddress)],
) -> tantivy::Result<()> {
    use tantivy::fieldnorm::FieldNormReader;
    use tantivy::postings::{Postings, SegmentPostings};
    let terms = words.map(|w| Term::from_field_text(field, w));
    let weight = tantivy::query::Bm25Weight::for_terms(searcher, &terms)?.boost_by(PHRASE_BOOST);
    type Open = Option<([SegmentPostings; 2], FieldNormReader)>;
    let mut current: Option<(u32, Open)> = None;
    let mut positions: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
    let mut shifted = Vec::new();
    for &c in holders {
        let addr = top[c].1;
        if current.as_ref().map(|(seg, _)| *seg) != Some(addr.segment_ord) {
            let reader = searcher.segment_reader(addr.segment_ord);
            let inverted = reader.inverted_index(field)?;
            let read =
                |t: &Term| inverted.read_postings(t, IndexRecordOption::WithFreqsAndPositions);
            let open = match (read(&terms[0])?, read(&terms[1])?) {
                (Some(x), Some(y)) => {
                    let norms = reader
                        .fieldnorms_readers()
                        .get_field(field)?
                        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
                    Some(([x, y], norms))
                }
                _ => None,
            };
            current = Some((addr.segment_ord, open));
        }
        let Some((_, Some((postings, norms)))) = &mut current else {
            continue;
        };
        let mut here = true;
        for (p, out) in postings.iter_mut().zip(positions.iter_mut()) {
            here &= seek(p, addr.doc_id) == addr.doc_id;
            if here {
                p.positions(out);
            }
        }
        if !here {
            continue;
        }
        let fieldnorm_id = norms.fieldnorm_id(addr.doc_id);
        let dfs = [postings[0].doc_freq(), postings[1].doc_freq()];
        for (lead, next) in [(0, 1), (1, 0)] {
            // As tantivy does: the phrase's first word is shifted onto the second's position,
            // and the rarer word's positions (the first on a tie) lead the intersection.
            shifted.clear();
            shifted.extend(positions[lead].iter().map(|p| p + 1));
            let count = if dfs[lead] <= dfs[next] {
                slop_count(&shifted, &positions[next])
            } else {
                slop_count(&positions[next], &shifted)
            };
            if count > 0 {
                top[c].0 += weight.score(fieldnorm_id, count);
            }
        }
    }
    Ok(())
}

/// Moves a forward-only doc set to `target` unless it is already there or past it.
fn seek(docs: &mut impl DocSet, target: DocId) -> DocId {
    if docs.doc() < target {
        docs.seek(target)
    } else {
        docs.doc()
    }
}

/// Matches between two sorted position lists at most one apart, counted greedily as tantivy
/// counts a two-word phrase with slop 1 (each `right` position matches the last `left`
/// position not past it).
fn slop_count(left: &[u32], right: &[u32]) -> u32 {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        let (l, r) = (left[i], right[j]);
        if l.abs_diff(r) <= 1 {
            while i + 1 < left.len() && left[i + 1] <= r {
                i += 1;
            }
            count += 1;
            i += 1;
            j += 1;
        } else if l < r {
            i += 1;
        } else {
            j += 1;
        }
    }
    count
}

/// A hit from the passage's stored fields (read only for the passages returned).
fn stored_hit(
    searcher: &Searcher,
    fields: &crate::search::index::Fields,
    addr: tantivy::DocAddress,
    score: f32,
    coverage: f32,
) -> Option<Hit> {
    use tantivy::schema::Value;
    let doc: tantivy::TantivyDocument = match searcher.doc(addr) {
        Ok(d) => d,
        Err(e) => {
            tracing::error!("cannot read a stored passage: {e}");
            return None;
        }
    };
    let text = |f: Field| {
        doc.get_first(f)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    Some(Hit {
        entry_id: text(fields.entry_id)?,
        entry_question: text(fields.question_text)?,
        heading: text(fields.heading_text),
        passage: text(fields.text)?,
        source: text(fields.source).unwrap_or_default(),
        passage_no: doc
            .get_first(fields.passage_no)
            .and_then(|v| v.as_u64())
            .and_then(|n| u32::try_from(n).ok()),
        score,
        coverage,
    })
}

/// Answers a question with the engine's FAQ.
pub fn answer(engine: &Engine, question: &str) -> Answer {
    let hits = ranked_hits(engine, question, engine.settings.alternatives + 4);
    let mut result = Answer {
        question: question.to_string(),
        best: None,
        alternatives: Vec::new(),
        closest_topics: Vec::new(),
        nothing_matched: hits.is_empty(),
        did_you_mean: Vec::new(),
        urgent: false,
        urgent_notice: None,
    };
    let min = if engine.settings.features.coverage {
        engine.settings.min_coverage
    } else {
        0.0
    };
    let answered = hits
        .first()
        .is_some_and(|h| h.coverage >= min && h.coverage > 0.0);
    let mut rest = hits.into_iter();
    if answered {
        result.best = rest.next();
    }
    let alternatives: Vec<Hit> = rest.collect();
    for h in &alternatives {
        if result.closest_topics.len() < 3 && !result.closest_topics.contains(&h.entry_question) {
            result.closest_topics.push(h.entry_question.clone());
        }
    }
    result.alternatives = alternatives
        .into_iter()
        .take(engine.settings.alternatives)
        .collect();
    if let Some(best) = &result.best {
        for h in &result.alternatives {
            if h.entry_id != best.entry_id
                && best.score - h.score <= CLOSE_SCORE
                && !result.did_you_mean.contains(&h.entry_question)
            {
                result.did_you_mean.push(h.entry_question.clone());
            }
        }
    }
    if result.best.is_none() && result.closest_topics.is_empty() {
        result.nothing_matched = true;
        result.closest_topics = default_topics(engine);
    }
    result
}

/// Entries for a topic picker: all in order for empty input, else entries whose question
/// contains the input first, then entries ranked by the search.
pub fn suggest_entries<'a>(
    engine: &'a Engine,
    input: &str,
    limit: usize,
) -> Vec<&'a crate::faq::Entry> {
    let entries = &engine.faq().entries;
    let needle = input.trim().to_lowercase();
    if needle.is_empty() {
        return entries.iter().take(limit).collect();
    }
    let mut out: Vec<&crate::faq::Entry> = entries
        .iter()
        .filter(|e| e.meta.question.to_lowercase().contains(&needle) || e.meta.id.contains(&needle))
        .take(limit)
        .collect();
    for hit in ranked_hits(engine, input, CANDIDATES) {
        if out.len() >= limit {
            break;
        }
        if let Some(e) = engine.faq().entry(&hit.entry_id) {
            if !out.iter().any(|o| o.meta.id == e.meta.id) {
                out.push(e);
            }
        }
    }
    out
}

/// The entry a topic names: an id, a question (ignoring case and punctuation), else the best
/// suggestion.
pub fn resolve_topic<'a>(engine: &'a Engine, topic: &str) -> Option<&'a crate::faq::Entry> {
    let faq = engine.faq();
    let t = topic.trim();
    if let Some(e) = faq.entry(t) {
        return Some(e);
    }
    let norm = crate::faq::check::normalise_question(t);
    if norm.is_empty() {
        return None;
    }
    faq.entries
        .iter()
        .find(|e| crate::faq::check::normalise_question(&e.meta.question) == norm)
        .or_else(|| suggest_entries(engine, t, 1).into_iter().next())
}

/// Topics to offer when nothing in the question matched: the first few entries.
fn default_topics(engine: &Engine) -> Vec<String> {
    engine.sample_topics().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{EnableScoring, PhraseQuery};
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};

    #[test]
    fn slop_count_matches_positions_at_most_one_apart() {
        assert_eq!(slop_count(&[1], &[1]), 1);
        assert_eq!(slop_count(&[1], &[2]), 1);
        assert_eq!(slop_count(&[2], &[1]), 1);
        assert_eq!(slop_count(&[1], &[3]), 0);
        assert_eq!(slop_count(&[1, 6], &[2, 7]), 2);
        assert_eq!(slop_count(&[1, 2], &[2]), 1, "one match per right position");
        assert_eq!(slop_count(&[2, 3], &[1, 2]), 2);
        assert_eq!(slop_count(&[1, 2], &[2, 3]), 1, "greedy, so not symmetric");
    }

    /// Docs of words from a five-word vocabulary.
    fn index_of(docs: &[Vec<u8>]) -> (tantivy::Index, Field) {
        let mut schema = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer("whitespace")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let field = schema.add_text_field(
            "body",
            TextOptions::default().set_indexing_options(indexing),
        );
        let index = tantivy::Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        // Two commits: two segments, as an index that was not merged has.
        for half in docs.chunks(docs.len().div_ceil(2).max(1)) {
            for words in half {
                let text: Vec<String> = words.iter().map(|w| format!("w{w}")).collect();
                writer
                    .add_document(tantivy::doc!(field => text.join(" ")))
                    .expect("add");
            }
            writer.commit().expect("commit");
        }
        (index, field)
    }

    type Scores = Vec<(f32, tantivy::DocAddress)>;

    /// Every doc's score from `score_pair`, and from tantivy's two phrase queries (each order,
    /// slop 1, boosted).
    fn ours_and_theirs(docs: &[Vec<u8>], a: u8, b: u8) -> (Scores, Scores) {
        let (index, field) = index_of(docs);
        let searcher = index.reader().expect("reader").searcher();
        let (wa, wb) = (format!("w{a}"), format!("w{b}"));
        let mut all: Vec<_> = searcher
            .search(&tantivy::query::AllQuery, &DocSetCollector)
            .expect("all")
            .into_iter()
            .collect();
        all.sort();
        let mut ours: Vec<(f32, tantivy::DocAddress)> = all.iter().map(|&d| (0.0, d)).collect();
        let holders: Vec<usize> = (0..ours.len()).collect();
        score_pair(&searcher, field, [&wa, &wb], &holders, &mut ours).expect("score");

        let mut theirs: Vec<(f32, tantivy::DocAddress)> = all.iter().map(|&d| (0.0, d)).collect();
        for (x, y) in [(&wa, &wb), (&wb, &wa)] {
            let phrase = PhraseQuery::new_with_offset_and_slop(
                vec![
                    (0, Term::from_field_text(field, x)),
                    (1, Term::from_field_text(field, y)),
                ],
                1,
            );
            let weight = phrase
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .expect("weight");
            for (score, addr) in theirs.iter_mut() {
                let mut scorer = weight
                    .scorer(searcher.segment_reader(addr.segment_ord), PHRASE_BOOST)
                    .expect("scorer");
                if seek(&mut scorer, addr.doc_id) == addr.doc_id {
                    *score += scorer.score();
                }
            }
        }
        (ours, theirs)
    }

    #[test]
    fn rarer_word_leads_the_count_as_in_tantivy() {
        // "w3 w3 w2 w2" shares its segment with another "w3": tantivy counts two matches for
        // "w3 w2", as w2 is the rarer word there and leads.
        let (ours, theirs) = ours_and_theirs(&[vec![3], vec![3, 3, 2, 2], vec![3]], 3, 2);
        assert_eq!(ours, theirs);
        assert!(ours[1].0 > 0.0);
    }

    proptest! {
        // A failing case is kept as a test of its own (like the one above), not in a
        // `proptest-regressions` folder at the top level.
        #![proptest_config(ProptestConfig {
            cases: 64,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]
        /// `score_pair` gives every candidate exactly what tantivy's two phrase queries (each
        /// order, slop 1, boosted) would add.
        #[test]
        fn score_pair_matches_tantivy_phrase_queries(
            docs in proptest::collection::vec(proptest::collection::vec(0u8..5, 1..30), 1..12),
            a in 0u8..5,
            b in 0u8..5,
        ) {
            prop_assume!(a != b);
            let (ours, theirs) = ours_and_theirs(&docs, a, b);
            prop_assert_eq!(ours, theirs);
        }
    }
}
