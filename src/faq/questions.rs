//! A passage's own alternate questions: an HTML comment right after the paragraph, so the file
//! still renders as the plain answer (comments are invisible in Markdown) and the quoted passage
//! never contains them.
//!
//! ```text
//! ### Subcutaneous injection
//!
//! Subcutaneous Recombinant IL-2 injections are ...
//!
//! <!-- questions:
//! - Can I get IL-2 as a shot at home?
//! - Does the IL-2 jab go under the skin?
//! -->
//! ```
//!
//! This module reads and writes one such block and carries a passage's questions over an edit
//! that rewrites the answer text ([`carry_questions`]); `file.rs` places the blocks.

use crate::faq::entry::Passage;
use crate::text::{loose, question_key, words};
use std::collections::HashSet;

/// Longest alternate question, in characters: one short question, the length members type.
pub const MAX_QUESTION_CHARS: usize = 120;

/// The word that opens a questions block (`<!-- questions:`).
const KEYWORD: &str = "questions";

/// What a questions block holds: each question with its line (0-based, within the block), or
/// the problems found, each with its line (0-based, within the block).
pub type BlockResult = Result<Vec<(String, usize)>, Vec<(usize, String)>>;

/// Whether a top-level HTML block is a questions block: a comment whose first word is
/// `questions` (or `question`), whatever the case.
pub fn is_questions_block(source: &str) -> bool {
    let Some(rest) = source.trim_start().strip_prefix("<!--") else {
        return false;
    };
    let word: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    word == KEYWORD || word == "question"
}

/// Where some text holds the opening of a questions block (inside a paragraph or list, where it
/// would be quoted instead of read): its byte offset.
pub fn questions_block_inside(text: &str) -> Option<usize> {
    text.match_indices("<!--").map(|(i, _)| i).find(|&i| {
        let rest = text[i + 4..].trim_start();
        rest.get(..8)
            .is_some_and(|w| w.eq_ignore_ascii_case("question"))
    })
}

/// Reads one questions block (its source as written, from `<!--` to `-->`). Checks the block's
/// own shape and each question's; duplicates across the entry are the caller's to check.
pub fn parse_block(source: &str) -> BlockResult {
    let mut questions = Vec::new();
    let mut problems = Vec::new();
    let mut closed = false;
    for (i, line) in source.lines().enumerate() {
        let line = line.trim();
        if closed {
            if !line.is_empty() {
                problems.push((
                    i,
                    "text after the `-->` that closes the questions block".into(),
                ));
            }
            continue;
        }
        let item = if i == 0 {
            // `<!-- questions:` and nothing else on the line.
            let rest = line.strip_prefix("<!--").unwrap_or(line).trim_start();
            let word_len = rest
                .char_indices()
                .find(|(_, c)| !c.is_alphabetic())
                .map_or(rest.len(), |(n, _)| n);
            let rest = rest[word_len..].trim_start();
            let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
            if let Some(after) = rest.strip_prefix("-->") {
                closed = true;
                if !after.trim().is_empty() {
                    problems.push((
                        i,
                        "text after the `-->` that closes the questions block".into(),
                    ));
                }
                continue;
            }
            if rest.is_empty() {
                continue;
            }
            closed = rest.contains("-->");
            problems.push((
                i,
                "write `<!-- questions:` alone on its line, then one `- question` per line".into(),
            ));
            continue;
        } else {
            line
        };
        if item.is_empty() {
            continue;
        }
        if let Some(after) = item.strip_prefix("-->") {
            closed = true;
            if !after.trim().is_empty() {
                problems.push((
                    i,
                    "text after the `-->` that closes the questions block".into(),
                ));
            }
            continue;
        }
        if item.contains("-->") {
            problems.push((
                i,
                "`-->` must be on a line of its own, after the last question".into(),
            ));
            closed = true;
            continue;
        }
        let Some(question) = item
            .strip_prefix('-')
            .or_else(|| item.strip_prefix('*'))
            .map(str::trim)
        else {
            problems.push((
                i,
                format!("each line of a questions block is one question, written `- {item}`"),
            ));
            continue;
        };
        if question.is_empty() {
            problems.push((i, "empty question in the questions block".into()));
            continue;
        }
        let chars = question.chars().count();
        if chars > MAX_QUESTION_CHARS {
            problems.push((
                i,
                format!(
                    "question is {chars} characters long; keep each to one short question \
                     (at most {MAX_QUESTION_CHARS})"
                ),
            ));
            continue;
        }
        questions.push((question.to_string(), i));
    }
    if !closed {
        problems.push((
            0,
            "the questions block is never closed: end it with a `-->` line (everything after \
             it is hidden until then)"
                .into(),
        ));
    }
    if problems.is_empty() && questions.is_empty() {
        problems.push((
            0,
            "empty questions block: add `- question` lines or remove it".into(),
        ));
    }
    if problems.is_empty() {
        Ok(questions)
    } else {
        Err(problems)
    }
}

/// A questions block as written to a file (no trailing newline).
pub fn render_block(questions: &[String]) -> String {
    let mut out = format!("<!-- {KEYWORD}:\n");
    for q in questions {
        out.push_str("- ");
        out.push_str(&q.split_whitespace().collect::<Vec<_>>().join(" "));
        out.push('\n');
    }
    out.push_str("-->");
    out
}

/// Least share of words two versions of a paragraph must have in common for the rewritten one to
/// keep the old one's questions (a corrected typo or a reworded sentence, not a new paragraph).
pub const SAME_PARAGRAPH: f32 = 0.6;

fn word_set(p: &Passage) -> HashSet<String> {
    words(&p.text).into_iter().collect()
}

fn overlap(a: &HashSet<String>, b: &HashSet<String>) -> f32 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f32 / union as f32
}

/// Gives each passage of a rewritten answer (`new`) the questions of the passage it replaces in
/// `old`, ahead of any it already has: the old passage with the same text (compared loosely:
/// case, spacing and quote marks aside), else the only one under the same sub-heading, else the
/// one sharing most of its words (at least [`SAME_PARAGRAPH`]). A question already given to
/// another passage of `new` is not repeated. Returns the questions no new passage took (their
/// paragraph was removed or rewritten beyond recognition).
pub fn carry_questions(old: &[Passage], new: &mut [Passage]) -> Vec<String> {
    let mut from: Vec<Option<usize>> = vec![None; new.len()];
    let mut used = vec![false; old.len()];

    // 1. The same paragraph.
    for (n, p) in new.iter().enumerate() {
        let key = loose(&p.text);
        if let Some(o) = (0..old.len()).find(|&o| !used[o] && loose(&old[o].text) == key) {
            used[o] = true;
            from[n] = Some(o);
        }
    }
    // 2. The same sub-heading, when only one paragraph on each side has it.
    let heading_key = |p: &Passage| p.heading.as_deref().map(loose);
    for n in 0..new.len() {
        let Some(h) = heading_key(&new[n]).filter(|_| from[n].is_none()) else {
            continue;
        };
        let olds: Vec<usize> = (0..old.len())
            .filter(|&o| !used[o] && heading_key(&old[o]).as_deref() == Some(h.as_str()))
            .collect();
        let news = (0..new.len())
            .filter(|&m| from[m].is_none() && heading_key(&new[m]).as_deref() == Some(h.as_str()))
            .count();
        if let ([o], 1) = (olds.as_slice(), news) {
            used[*o] = true;
            from[n] = Some(*o);
        }
    }
    // 3. Mostly the same words, best pairs first.
    let old_words: Vec<HashSet<String>> = old.iter().map(word_set).collect();
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (n, p) in new.iter().enumerate().filter(|(n, _)| from[*n].is_none()) {
        let w = word_set(p);
        for o in (0..old.len()).filter(|&o| !used[o] && !old[o].questions.is_empty()) {
            let s = overlap(&w, &old_words[o]);
            if s >= SAME_PARAGRAPH {
                pairs.push((s, n, o));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, n, o) in pairs {
        if from[n].is_none() && !used[o] {
            used[o] = true;
            from[n] = Some(o);
        }
    }

    // The moderator's own questions in the new text stay where they were written.
    let mut taken: HashSet<String> = new
        .iter()
        .flat_map(|p| p.questions.iter().map(|q| question_key(q)))
        .collect();
    for (n, p) in new.iter_mut().enumerate() {
        let Some(o) = from[n] else { continue };
        let mut questions = Vec::new();
        for q in &old[o].questions {
            if taken.insert(question_key(q)) {
                questions.push(q.clone());
            }
        }
        questions.append(&mut p.questions);
        p.questions = questions;
    }
    old.iter()
        .enumerate()
        .filter(|(o, _)| !used[*o])
        .flat_map(|(_, p)| p.questions.iter())
        .filter(|q| !taken.contains(&question_key(q)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(heading: Option<&str>, text: &str, questions: &[&str]) -> Passage {
        Passage {
            heading: heading.map(str::to_string),
            text: text.to_string(),
            questions: questions.iter().map(|q| q.to_string()).collect(),
        }
    }

    #[test]
    fn block_lines_are_questions() {
        let got = parse_block("<!-- questions:\n- How?\n\n*  Why? \n-->").expect("valid");
        assert_eq!(got, [("How?".to_string(), 1), ("Why?".to_string(), 3)]);
        assert!(is_questions_block("<!--Questions:\n-->"));
        assert!(!is_questions_block("<!-- a note -->"));
        let block = render_block(&["How?".into(), "Why?".into()]);
        let back: Vec<String> = parse_block(&block)
            .expect("valid")
            .into_iter()
            .map(|(q, _)| q)
            .collect();
        assert_eq!(back, ["How?", "Why?"]);
    }

    #[test]
    fn malformed_blocks_say_which_line() {
        let lines = |s: &str| -> Vec<usize> {
            parse_block(s)
                .unwrap_err()
                .into_iter()
                .map(|(l, _)| l)
                .collect()
        };
        assert_eq!(lines("<!-- questions:\n- ok?\nno dash\n-->"), [2]);
        assert_eq!(lines("<!-- questions:\n-\n-->"), [1]);
        assert_eq!(lines("<!-- questions: Why? -->"), [0]);
        assert_eq!(lines("<!-- questions:\n- ok? -->"), [1]);
        assert_eq!(lines("<!-- questions:\n- ok?\n--> more"), [2]);
        assert_eq!(lines("<!-- questions:\n- ok?"), [0]);
        assert_eq!(lines("<!-- questions:\n-->"), [0]);
        let long = format!(
            "<!-- questions:\n- {}?\n-->",
            "a".repeat(MAX_QUESTION_CHARS)
        );
        assert_eq!(lines(&long), [1]);
    }

    #[test]
    fn questions_follow_unchanged_typo_fixed_and_same_heading_paragraphs() {
        let old = [
            p(None, "Intro text here.", &["A?"]),
            p(Some("Shots"), "Given under the skin at home.", &["B?"]),
            p(
                None,
                "Premedication is recommended to reduce the risk of reactions.",
                &["C?"],
            ),
            p(None, "A paragraph the moderator deleted.", &["D?"]),
        ];
        let mut new = [
            p(
                None,
                "Premedicaton is recommended to reduce the risk of reactions.",
                &[],
            ),
            p(Some("Shots"), "Rewritten completely.", &[]),
            p(None, "intro   text here.", &["E?", "A?"]),
            p(None, "Brand new.", &[]),
        ];
        let dropped = carry_questions(&old, &mut new);
        assert_eq!(new[0].questions, ["C?"]);
        assert_eq!(new[1].questions, ["B?"]);
        assert_eq!(
            new[2].questions,
            ["E?", "A?"],
            "typed ones kept, not repeated"
        );
        assert!(new[3].questions.is_empty());
        assert_eq!(dropped, ["D?"]);
    }
}
