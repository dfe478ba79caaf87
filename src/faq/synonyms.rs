//! `synonyms.toml`: groups of words and phrases a reader may use for the same thing
//! ("IL2", "aldesleukin", "Proleukin"). Owned by moderators, applied to questions and passages.

use crate::problem::Problem;
use crate::text::{line_of, nth_group_line, phrase_key};
use serde::Deserialize;
use std::collections::HashMap;

/// The synonym file's name inside the FAQ folder.
pub const FILE_NAME: &str = "synonyms.toml";

/// Groups of equivalent terms, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    /// Each group's terms as written.
    pub groups: Vec<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    group: Vec<RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    terms: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

/// Parses and validates `synonyms.toml`; `file` names it in problem reports.
pub fn parse_synonyms(file: &str, text: &str) -> Result<Synonyms, Vec<Problem>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        vec![Problem::new(
            file,
            line,
            format!("bad synonyms file: {}", e.message().trim()),
        )]
    })?;
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let term_line = |term: &str| {
        text.find(&format!("\"{term}\""))
            .map(|o| line_of(text, o))
            .unwrap_or(1)
    };
    for (gi, group) in raw.group.iter().enumerate() {
        if group.terms.len() < 2 {
            let line = group
                .terms
                .first()
                .map(|t| term_line(t))
                .unwrap_or_else(|| nth_group_line(text, gi));
            problems.push(Problem::new(
                file,
                line,
                "a synonym group needs at least two terms",
            ));
        }
        for term in &group.terms {
            let key = phrase_key(term);
            if key.is_empty() {
                problems.push(Problem::new(
                    file,
                    term_line(term),
                    format!("synonym {term:?} has no letters or digits"),
                ));
                continue;
            }
            if let Some(other) = seen.insert(key, gi) {
                if other != gi {
                    problems.push(Problem::new(
                        file,
                        term_line(term),
                        format!(
                            "synonym {term:?} is in group {} and group {}: a term may belong to one group only",
                            other + 1,
                            gi + 1
                        ),
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(Synonyms {
            groups: raw.group.into_iter().map(|g| g.terms).collect(),
        })
    } else {
        Err(problems)
    }
}
