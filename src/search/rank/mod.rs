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
pub(crate) use terms::SeenTerms;
pub use terms::{correct_typo, specificity, typo_distance, QTerm, Respelt};

use crate::search::analyze::Analyzer;
use crate::search::index::OpenIndex;
use crate::search::stored::StoredPassage;
use crate::search::{Hit, Signals};
use tantivy::collector::TopDocs;
use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
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
    /// Leave out a question word the FAQ uses only inside a synonym phrase, rather than count
    /// it as a word the FAQ lacks.
    pub phrase_words: bool,
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
            phrase_words: true,
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
    /// Words of the question that the FAQ uses only inside a synonym phrase ("recombinant" of
    /// "recombinant human interleukin 2"), left out: neither matched nor counted as missing.
    pub in_phrases: Vec<String>,
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
    let terms::Weighed {
        terms: qterms,
        respelt,
        in_phrases,
    } = terms::question_terms(
        analyzer,
        &searcher,
        fields,
        &index.seen_terms,
        features,
        question,
    );

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
            in_phrases,
        };
    }
    // BM25 over the term clauses alone, so tantivy's block-WAND pruning skips most passages.
    let query = BooleanQuery::new(clauses);
    let candidates = if n >= LARGE_FAQ {
        CANDIDATES_LARGE
    } else {
        CANDIDATES
    };
    let stats = QuestionStats {
        searcher: &searcher,
        searched,
        token_totals: index.token_totals,
        terms: &qterms,
    };
    let collector = TopDocs::with_limit(candidates).order_by_score();
    let mut top = match searcher.search_with_statistics_provider(&query, &collector, &stats) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!("search failed: {e}");
            return Ranking {
                terms: qterms,
                hits: Vec::new(),
                respelt,
                in_phrases,
            };
        }
    };

    let masks = coverage::term_masks(&searcher, searched, &qterms, &top);
    if features.phrases {
        proximity::add_proximity(&searcher, &stats, fields, &qterms, n, &masks, &mut top);
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
    let mut read: Vec<(f32, Signals, std::sync::Arc<StoredPassage>)> = ranked
        .into_iter()
        .take(limit.max(MATCHED_CANDIDATES))
        .filter_map(|(score, mut signals, addr)| {
            let stored = index.stored.get(&searcher, &fields, addr)?;
            signals.question_match = asked.question_match(&stored.asked_terms);
            let rank = if features.question_match {
                score + QUESTION_MATCH_SHARE * signals.question_match
            } else {
                score
            };
            Some((rank, signals, stored))
        })
        .collect();
    read.sort_by(|a, b| b.0.total_cmp(&a.0));
    let hits = read
        .into_iter()
        .take(limit)
        .map(|(score, signals, p)| Hit {
            entry_id: p.entry_id.clone(),
            entry_question: p.entry_question.clone(),
            heading: p.heading.clone(),
            passage: p.passage.clone(),
            source: p.source.clone(),
            passage_no: p.passage_no,
            score,
            signals,
        })
        .collect();
    Ranking {
        terms: qterms,
        hits,
        respelt,
        in_phrases,
    }
}

/// BM25 statistics for one question's query: each term's document frequencies as the question
/// was weighed with them, and the index's token totals, so that tantivy does not look every term
/// up in the term dictionary again. Anything else goes to the searcher.
struct QuestionStats<'a> {
    searcher: &'a Searcher,
    searched: [Field; 4],
    token_totals: [u64; 4],
    terms: &'a [QTerm],
}

impl Bm25StatisticsProvider for QuestionStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        match self.searched.iter().position(|&f| f == field) {
            Some(i) => Ok(self.token_totals[i]),
            None => self.searcher.total_num_tokens(field),
        }
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let field = self.searched.iter().position(|&f| f == term.field());
        let value = term.value();
        if let (Some(i), Some(text)) = (field, value.as_str()) {
            if let Some(q) = self.terms.iter().find(|q| q.known && q.text == text) {
                return Ok(q.field_dfs[i]);
            }
        }
        self.searcher.doc_freq(term)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faq::file::parse_entry;
    use crate::faq::synonyms::Synonyms;
    use crate::faq::Faq;

    /// A two-entry FAQ, indexed in memory.
    fn small_index() -> (Analyzer, OpenIndex) {
        small_index_with(Synonyms::default())
    }

    /// The two-entry FAQ with these synonym groups.
    fn small_index_with(synonyms: Synonyms) -> (Analyzer, OpenIndex) {
        let files = [
            "+++\nid = \"given\"\nquestion = \"How is the drug given?\"\naliases = [\"drip\"]\n+++\n\nAs an infusion in hospital.\n\n### At home\n\nSome injections are given at home by a nurse.\n",
            "+++\nid = \"tired\"\nquestion = \"Will I feel tired?\"\n+++\n\nFatigue is common during treatment and eases after it.\n",
        ];
        let entries = files
            .iter()
            .enumerate()
            .map(|(i, text)| parse_entry(&format!("{i}.md"), text).expect("valid").0)
            .collect();
        let faq = Faq { entries, synonyms };
        let analyzer = Analyzer::new(&faq.synonyms);
        let index = crate::search::index::build_in_ram(&faq, &analyzer).expect("index");
        (analyzer, index)
    }

    #[test]
    fn the_statistics_bm25_scores_with_are_the_indexs_own() {
        let (analyzer, index) = small_index();
        let searcher = index.reader.searcher();
        let searched = index.fields.searched();
        let weigh = || {
            terms::question_terms(
                &analyzer,
                &searcher,
                index.fields,
                &index.seen_terms,
                Features::default(),
                "is the drug given at home or in hospital, and will I feel tired?",
            )
            .terms
        };
        let qterms = weigh();
        assert!(qterms.iter().filter(|q| q.known).count() >= 4);
        // Asked again, the frequencies come from the table of terms seen: the same.
        let again = weigh();
        let dfs = |q: &[QTerm]| q.iter().map(|t| t.field_dfs).collect::<Vec<_>>();
        assert_eq!(dfs(&again), dfs(&qterms));
        let stats = QuestionStats {
            searcher: &searcher,
            searched,
            token_totals: index.token_totals,
            terms: &qterms,
        };
        for field in searched {
            assert_eq!(
                stats.total_num_tokens(field).expect("tokens"),
                searcher.total_num_tokens(field).expect("tokens")
            );
            let words = qterms.iter().map(|q| q.text.as_str()).chain(["zebra"]);
            for word in words {
                let term = Term::from_field_text(field, word);
                assert_eq!(
                    stats.doc_freq(&term).expect("df"),
                    searcher.doc_freq(&term).expect("df"),
                    "{word} in {field:?}"
                );
            }
        }
        assert_eq!(
            stats.total_num_docs().expect("docs"),
            searcher.total_num_docs().expect("docs")
        );
    }

    #[test]
    fn the_passages_ranked_are_read_whole_from_the_store() {
        let (analyzer, index) = small_index();
        let rank = || {
            ranked_hits(
                &analyzer,
                &index,
                Features::default(),
                "will a nurse give the injections at home?",
                3,
            )
        };
        let ranking = rank();
        let best = ranking.hits.first().expect("a hit");
        assert_eq!(best.entry_id, "given");
        assert_eq!(best.heading.as_deref(), Some("At home"));
        assert_eq!(
            best.passage,
            "Some injections are given at home by a nurse."
        );
        assert_eq!(best.passage_no, Some(1));
        // Asked again, the cached passage is the same.
        assert_eq!(rank().hits, ranking.hits);
    }

    #[test]
    fn a_word_the_faq_uses_only_inside_a_synonym_phrase_is_left_out_not_counted_unknown() {
        let (analyzer, index) = small_index_with(Synonyms {
            groups: vec![vec!["tiredness".into(), "feel tired".into()]],
        });
        // "feel" is in the FAQ only inside "feel tired"; "exhausted" is nowhere in it.
        let ranking = ranked_hits(
            &analyzer,
            &index,
            Features::default(),
            "how will I feel, exhausted?",
            3,
        );
        assert_eq!(ranking.in_phrases, vec!["feel".to_string()]);
        let unknown: Vec<&str> = ranking
            .terms
            .iter()
            .filter(|q| !q.known)
            .map(|q| q.text.as_str())
            .collect();
        assert_eq!(unknown, vec!["exhaust"]);
        // Without the rule, the FAQ's own word counts against the answer like a word it lacks.
        let off = Features {
            phrase_words: false,
            ..Features::default()
        };
        let ranking = ranked_hits(&analyzer, &index, off, "how will I feel, exhausted?", 3);
        assert!(ranking.in_phrases.is_empty());
        assert_eq!(ranking.terms.iter().filter(|q| !q.known).count(), 2);
    }
}
