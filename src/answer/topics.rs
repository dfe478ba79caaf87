//! Finding entries by topic: the autocomplete of `/faq show` and the entry a typed topic names.

use super::Engine;
use crate::faq::Entry;
use crate::search::rank::CANDIDATES;

/// Entries for a topic picker: all in order for empty input, else entries whose question
/// contains the input first, then entries ranked by the search.
pub fn suggest_entries<'a>(engine: &'a Engine, input: &str, limit: usize) -> Vec<&'a Entry> {
    let entries = &engine.faq().entries;
    let needle = input.trim().to_lowercase();
    if needle.is_empty() {
        return entries.iter().take(limit).collect();
    }
    let mut out: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.meta.question.to_lowercase().contains(&needle) || e.meta.id.contains(&needle))
        .take(limit)
        .collect();
    for hit in engine.search().ranked(input, CANDIDATES).hits {
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
pub fn resolve_topic<'a>(engine: &'a Engine, topic: &str) -> Option<&'a Entry> {
    let faq = engine.faq();
    let t = topic.trim();
    if let Some(e) = faq.entry(t) {
        return Some(e);
    }
    let norm = crate::text::question_key(t);
    if norm.is_empty() {
        return None;
    }
    faq.entries
        .iter()
        .find(|e| crate::text::question_key(&e.meta.question) == norm)
        .or_else(|| suggest_entries(engine, t, 1).into_iter().next())
}
