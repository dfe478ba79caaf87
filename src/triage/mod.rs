//! Urgent-symptom triage: red-flag phrases from `urgent.toml` (owned by moderators and
//! clinicians) that put a "get help now" notice in front of the reply.
//!
//! The file lists groups, each with a notice and phrase patterns:
//!
//! ```toml
//! [[group]]
//! id = "breathing"
//! name = "Trouble breathing"
//! notice = "Trouble breathing can be an emergency. ..."
//! patterns = ["can't breathe", "short of breath", "lips ... blue"]
//! ```
//!
//! A pattern is a phrase matched word by word, ignoring case and punctuation, with contractions
//! spelt out ("can't", "cant" and "cannot" are all "can not"). Within a pattern, `word*` matches
//! any word starting with `word`, a lone `*` any one word, `...` up to four words (never a
//! number), and `38..45` any number in that range ("a fever of 39.5").
//!
//! A match only counts when the question reads as a report of something happening, not as a
//! general question: "no chest pain" and "I don't have a fever" are negated; "can IL-2 cause a
//! fever?", "will I get chest pain?" or "is shortness of breath a side effect?" are general;
//! "I have a fever of 40 and shaking chills" or "my dad can't breathe" are reports. Groups with
//! `always = true` (thoughts of self-harm) match whatever the phrasing, negated or not.

//!
//! The parts: [`rules`] reads and checks `urgent.toml`, [`pattern`] is the pattern grammar and
//! its matcher, [`words`] turns a message into words, and [`report`] tells a report of
//! something happening now from a negation or a general question.

mod pattern;
mod report;
mod rules;
mod words;

use pattern::{match_at, Item, Pattern};
use report::{is_not_denied, is_report};
use std::collections::HashMap;
use words::tokenize;

/// The triage file's name inside the FAQ folder.
pub const FILE_NAME: &str = crate::faq::load::URGENT_FILE;
/// Placeholder in a notice for the configured crisis-line text (`[answer] crisis_line`).
pub const CRISIS_LINE: &str = "{crisis_line}";
/// The crisis-line text used when the configuration sets none.
pub const DEFAULT_CRISIS_LINE: &str = "call your local emergency number, or a suicide and crisis \
line (findahelpline.com lists free, confidential lines in many countries)";
/// Longest notice accepted (before the crisis line is filled in), so a reply always has room.
pub const MAX_NOTICE_CHARS: usize = 600;
/// Only this many characters of a question are scanned.
const MAX_SCAN_CHARS: usize = 8_000;
/// Most words a `...` in a pattern stands for.
const MAX_GAP: usize = 4;
/// How many words before a match a negation ("no", "not", "never", "without") may stand.
const NEGATION_WINDOW: usize = 4;

/// The triage rules: red-flag groups in file order (the first match comes first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Triage {
    groups: Vec<Group>,
    /// Patterns by their first word: (group, pattern) indexes.
    by_first_word: HashMap<String, Vec<(usize, usize)>>,
    /// Patterns that start with a word prefix (`faint*`), by the prefix's first letters.
    by_first_letters: HashMap<String, Vec<(usize, usize)>>,
    /// Patterns that start with a number range.
    other_starts: Vec<(usize, usize)>,
}

/// How many letters of a prefix index it (a prefix has at least this many).
const INDEX_LETTERS: usize = 3;

/// The first [`INDEX_LETTERS`] letters of a word, when it has that many.
fn first_letters(word: &str) -> Option<&str> {
    word.char_indices()
        .nth(INDEX_LETTERS)
        .map(|(i, _)| &word[..i])
        .or_else(|| (word.chars().count() == INDEX_LETTERS).then_some(word))
}

/// One red-flag group.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Short identifier (lowercase letters, digits, dashes), for logs and tests.
    pub id: String,
    /// What the group is about, in plain words.
    pub name: String,
    /// The notice shown first in the reply; may contain [`CRISIS_LINE`].
    pub notice: String,
    /// Match regardless of negation or general phrasing (self-harm).
    pub always: bool,
    patterns: Vec<Pattern>,
}

impl Group {
    /// The patterns as written in the file.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|p| p.source.as_str())
    }
}

/// A question that matched a red-flag group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgentMatch {
    /// The group's id.
    pub group: String,
    /// The group's name.
    pub name: String,
    /// The group's notice, as written (see [`UrgentMatch::notice_with`]).
    pub notice: String,
    /// The pattern that matched, as written.
    pub pattern: String,
    /// The words of the message that matched it (lowercased, contractions spelt out).
    pub words: String,
}

impl UrgentMatch {
    /// The notice with the crisis-line text filled in.
    pub fn notice_with(&self, crisis_line: &str) -> String {
        fill_crisis_line(&self.notice, crisis_line)
    }
}

/// Fills [`CRISIS_LINE`] in a notice; a blank `crisis_line` uses [`DEFAULT_CRISIS_LINE`].
pub fn fill_crisis_line(notice: &str, crisis_line: &str) -> String {
    let line = crisis_line.trim();
    let line = if line.is_empty() {
        DEFAULT_CRISIS_LINE
    } else {
        line
    };
    notice.replace(CRISIS_LINE, line)
}

/// The red-flag rules of a FAQ: its `urgent.toml`, else the one built into faqbot.
pub fn load(source: &crate::faq::FaqSource) -> Result<Triage, Vec<crate::problem::Problem>> {
    let f = crate::faq::load::urgent_file(source)?;
    Triage::parse(&f.file, &f.text)
}

impl Triage {
    /// The default rules shipped in `faq/urgent.toml` (empty only if that file were invalid,
    /// which a test rules out).
    pub fn builtin() -> Triage {
        Triage::parse("faq/urgent.toml", include_str!("../../faq/urgent.toml")).unwrap_or_default()
    }

    fn index(groups: Vec<Group>) -> Triage {
        let mut by_first_word: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut by_first_letters: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut other_starts = Vec::new();
        for (gi, g) in groups.iter().enumerate() {
            for (pi, p) in g.patterns.iter().enumerate() {
                let starts = match p.items.first() {
                    Some(Item::Either(choices)) => choices.iter().collect(),
                    Some(first) => vec![first],
                    None => Vec::new(),
                };
                for start in starts {
                    let slot = match start {
                        Item::Word(w) => by_first_word.entry(w.clone()).or_default(),
                        Item::Prefix(p) => match first_letters(p) {
                            Some(l) => by_first_letters.entry(l.to_string()).or_default(),
                            None => &mut other_starts,
                        },
                        _ => &mut other_starts,
                    };
                    if !slot.contains(&(gi, pi)) {
                        slot.push((gi, pi));
                    }
                }
            }
        }
        Triage {
            groups,
            by_first_word,
            by_first_letters,
            other_starts,
        }
    }

    /// The groups, in file order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Whether there are no rules at all.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The first group (in file order) the question matches, if any.
    pub fn check(&self, question: &str) -> Option<UrgentMatch> {
        self.check_all(question).into_iter().next()
    }

    /// Every group the question matches, in file order. Never fails or panics on any text.
    pub fn check_all(&self, question: &str) -> Vec<UrgentMatch> {
        if self.groups.is_empty() {
            return Vec::new();
        }
        let tokens = tokenize(question, MAX_SCAN_CHARS);
        let mut found: Vec<Option<UrgentMatch>> = vec![None; self.groups.len()];
        for (start, token) in tokens.iter().enumerate() {
            let candidates = self
                .by_first_word
                .get(&token.text)
                .into_iter()
                .flatten()
                .chain(
                    first_letters(&token.text)
                        .and_then(|l| self.by_first_letters.get(l))
                        .into_iter()
                        .flatten(),
                )
                .chain(&self.other_starts);
            for &(gi, pi) in candidates {
                let (Some(g), Some(slot)) = (self.groups.get(gi), found.get_mut(gi)) else {
                    continue;
                };
                let Some(p) = g.patterns.get(pi).filter(|_| slot.is_none()) else {
                    continue;
                };
                let Some(end) = match_at(&tokens, start, &p.items) else {
                    continue;
                };
                let counts = if g.always {
                    is_not_denied(&tokens, start, end)
                } else {
                    is_report(&tokens, start, end)
                };
                if counts {
                    *slot = Some(UrgentMatch {
                        group: g.id.clone(),
                        name: g.name.clone(),
                        notice: g.notice.clone(),
                        pattern: p.source.clone(),
                        words: tokens[start..end]
                            .iter()
                            .map(|t| t.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    });
                }
            }
        }
        found.into_iter().flatten().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse() {
        let text = include_str!("../../faq/urgent.toml");
        let t = Triage::parse("faq/urgent.toml", text).expect("shipped urgent.toml is valid");
        assert!(t.groups().len() >= 7);
        assert_eq!(Triage::builtin(), t);
    }

    #[test]
    fn a_blank_crisis_line_gets_the_default() {
        assert_eq!(
            fill_crisis_line("x {crisis_line}", "  "),
            format!("x {DEFAULT_CRISIS_LINE}")
        );
    }
}
