//! Checks that span files: duplicate ids and duplicate questions.

use crate::faq::entry::Entry;
use crate::faq::file::KeyLines;
use crate::problem::Problem;
use crate::text::question_key;
use std::collections::HashMap;

/// Remembers the ids and questions seen so far, entry by entry, so a whole FAQ can be checked
/// while it is streamed.
#[derive(Debug, Default)]
pub struct DuplicateCheck {
    ids: HashMap<String, String>,
    questions: HashMap<String, String>,
}

impl DuplicateCheck {
    /// Reports whether this entry's id or question repeats an earlier entry's.
    pub fn check(&mut self, entry: &Entry, lines: &KeyLines) -> Vec<Problem> {
        let mut problems = Vec::new();
        if let Some(first) = self.ids.get(&entry.meta.id) {
            problems.push(Problem::new(
                &entry.file,
                lines.id,
                format!("duplicate id {:?}: {first} already uses it", entry.meta.id),
            ));
        } else {
            self.ids.insert(entry.meta.id.clone(), entry.file.clone());
        }
        let q = question_key(&entry.meta.question);
        if let Some(first) = self.questions.get(&q) {
            problems.push(Problem::new(
                &entry.file,
                lines.question,
                format!(
                    "duplicate question {:?}: {first} already asks it",
                    entry.meta.question
                ),
            ));
        } else {
            self.questions.insert(q, entry.file.clone());
        }
        problems
    }
}
