//! Coverage: which of the question's terms each candidate passage holds, field by field, and
//! the idf-weighted share of the question that makes.

use super::terms::{QTerm, OWN_FIELDS};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Searcher, Term};

/// The share (0-1) of the question's weight carried by words the FAQ never uses.
pub(super) fn unknown_share(qterms: &[QTerm]) -> f32 {
    let total: f32 = qterms.iter().map(|q| q.weight).sum();
    let unknown: f32 = qterms.iter().filter(|q| !q.known).map(|q| q.weight).sum();
    if total > 0.0 {
        unknown / total
    } else {
        0.0
    }
}

/// The share of the question's focus words that the FAQ never uses.
pub(super) fn unknown_words(qterms: &[QTerm]) -> f32 {
    let focus: Vec<&QTerm> = qterms.iter().filter(|q| q.focus).collect();
    if focus.is_empty() {
        return 0.0;
    }
    focus.iter().filter(|q| !q.known).count() as f32 / focus.len() as f32
}

/// The summed rarity of the known question terms in `mask`, each relative to `max_idf`.
pub(super) fn matched_rarity(qterms: &[QTerm], mask: u64, max_idf: f32) -> f32 {
    qterms
        .iter()
        .enumerate()
        .filter(|(bit, q)| q.known && mask & (1 << bit) != 0)
        .map(|(_, q)| q.weight / max_idf.max(f32::EPSILON))
        .sum()
}

/// Whether the candidate holds a topical question term, and whether that term is specific.
///
/// Topical: one in its entry's question or its own heading and text, or, from the aliases and
/// alternate questions too, a synonym term or a word English uses less than its everyday
/// words. Alternate questions are written in everyday words on purpose, so those words alone
/// ("normal", "true", "look") show no sign that a post asks about the FAQ's topic. A question
/// word ("how", "why") is never topical: it says that a post asks ("how are you doing"), not
/// what about.
///
/// Specific: a topical term that is more than an everyday word of the passage's text: one of
/// its entry question or heading, a synonym term, or an uncommon word. An everyday word of the
/// text alone ("right" in "there is no one right way") matches chat ("who is right") as well
/// as questions.
pub(super) fn topical(qterms: &[QTerm], by_field: [u64; 4]) -> (bool, bool) {
    let core = by_field[0] | by_field[2] | by_field[3];
    let titles = by_field[0] | by_field[2];
    let any = core | by_field[1];
    let held = || {
        qterms
            .iter()
            .enumerate()
            .filter(move |(bit, q)| q.known && any & (1 << bit) != 0)
            .filter(|(_, q)| {
                !q.word
                    .as_deref()
                    .is_some_and(crate::search::analyze::is_question_word)
            })
    };
    let uncommon =
        |q: &QTerm| q.word.is_none() || q.zipf.is_none_or(|z| z < super::terms::COMMON_ZIPF);
    let specific = held().any(|(bit, q)| uncommon(q) || titles & (1 << bit) != 0);
    let topical = specific || held().any(|(bit, _)| core & (1 << bit) != 0);
    (topical, specific)
}

/// Bit masks over the question's terms (bit `i` for term `i`), one per searched field, for each
/// candidate, sorted by address (a handful of candidates: a sorted list beats hashing).
pub(super) struct Masks(Vec<((u32, DocId), [u64; 4])>);

impl Masks {
    /// The candidate's masks (none set for an address that is not a candidate).
    pub(super) fn of(&self, addr: DocAddress) -> [u64; 4] {
        self.0
            .binary_search_by_key(&(addr.segment_ord, addr.doc_id), |(k, _)| *k)
            .map_or([0; 4], |i| self.0[i].1)
    }
}

/// Which question terms each candidate holds, field by field, read from the postings segment by
/// segment.
pub(super) fn term_masks(
    searcher: &Searcher,
    searched: [Field; 4],
    qterms: &[QTerm],
    top: &[(f32, DocAddress)],
) -> Masks {
    let mut masks: Vec<((u32, DocId), [u64; 4])> = top
        .iter()
        .map(|(_, a)| ((a.segment_ord, a.doc_id), [0; 4]))
        .collect();
    masks.sort_unstable_by_key(|(k, _)| *k);
    for run in masks.chunk_by_mut(|a, b| a.0 .0 == b.0 .0) {
        let seg = searcher.segment_reader(run[0].0 .0);
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
                for ((_, d), m) in run.iter_mut() {
                    let cur = if postings.doc() < *d {
                        postings.seek(*d)
                    } else {
                        postings.doc()
                    };
                    if cur == *d {
                        m[i] |= 1 << bit;
                    }
                }
            }
        }
    }
    Masks(masks)
}

/// The shares (0-1) of the question's weight a candidate covers: with its entry's question and
/// aliases, and in its own heading and text alone; and the mask of the terms it holds.
pub(super) fn shares(qterms: &[QTerm], by_field: [u64; 4]) -> (f32, f32, f32, u64) {
    let total_weight: f32 = qterms.iter().map(|q| q.weight).sum();
    let weight_of = |mask: u64| -> f32 {
        qterms
            .iter()
            .enumerate()
            .filter(|(bit, _)| mask & (1 << bit) != 0)
            .map(|(_, q)| q.weight)
            .sum()
    };
    let share = |mask: u64| {
        if total_weight > 0.0 {
            weight_of(mask) / total_weight
        } else {
            0.0
        }
    };
    let all_mask = by_field.iter().fold(0, |a, m| a | m);
    let own_mask = OWN_FIELDS.iter().fold(0, |a, &i| a | by_field[i]);
    let asked_mask = by_field[0] | by_field[1];
    (
        share(all_mask),
        share(own_mask),
        share(asked_mask),
        all_mask,
    )
}
