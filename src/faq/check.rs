//! Checks that span files: duplicate ids and duplicate questions.

use crate::faq::entry::Entry;
use crate::faq::file::{KeyLines, Problem};
use std::collections::HashMap;

/// Reports every entry whose id or question repeats an earlier entry's.
pub fn duplicates(entries: &[(Entry, KeyLines)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut ids: HashMap<&str, &str> = HashMap::new();
    let mut questions: HashMap<String, &str> = HashMap::new();
    for (entry, lines) in entries {
        if let Some(first) = ids.insert(&entry.meta.id, &entry.file) {
            problems.push(Problem::new(
                &entry.file,
                lines.id,
                format!("duplicate id {:?}: {first} already uses it", entry.meta.id),
            ));
        }
        let q = normalise_question(&entry.meta.question);
        if let Some(first) = questions.insert(q, &entry.file) {
            problems.push(Problem::new(
                &entry.file,
                lines.question,
                format!(
                    "duplicate question {:?}: {first} already asks it",
                    entry.meta.question
                ),
            ));
        }
    }
    problems
}

/// Lowercase letters and digits only, so "What is X?" and "what is x" count as one question.
pub fn normalise_question(q: &str) -> String {
    q.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
