//! Proximity: question words that stand together in a passage (either order, at most one word
//! apart) add tantivy's phrase score for them, computed for the candidates only.

use super::coverage::Masks;
use super::terms::QTerm;
use crate::search::index::Fields;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Searcher, Term};

/// Boost of two question words found next to each other (one word apart at most) in a passage.
const PHRASE_BOOST: f32 = 1.5;

/// Proximity: adds to each candidate's score the BM25 score of neighbouring question words that
/// stand together in it (in either order, at most one word apart), in its passage or its
/// question: "IL-2 given" meets "administer IL-2". Scored for the candidates only, as a phrase
/// clause in the search itself would read positions for every passage and switch off pruning;
/// only pairs with a rare word are worth it.
pub(super) fn add_proximity(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    fields: Fields,
    qterms: &[QTerm],
    n: u64,
    masks: &Masks,
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
                .filter(|&c| masks.of(top[c].1)[i] & both == both)
                .collect();
            if holders.is_empty() {
                continue;
            }
            if let Err(e) = score_pair(searcher, stats, field, [&a.text, &b.text], &holders, top) {
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
    stats: &dyn Bm25StatisticsProvider,
    field: Field,
    words: [&str; 2],
    holders: &[usize],
    top: &mut [(f32, tantivy::DocAddress)],
) -> tantivy::Result<()> {
    use tantivy::fieldnorm::FieldNormReader;
    use tantivy::postings::{Postings, SegmentPostings};
    let terms = words.map(|w| Term::from_field_text(field, w));
    let weight = tantivy::query::Bm25Weight::for_terms(stats, &terms)?.boost_by(PHRASE_BOOST);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{EnableScoring, PhraseQuery, Query};
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
        score_pair(&searcher, &searcher, field, [&wa, &wb], &holders, &mut ours).expect("score");

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
