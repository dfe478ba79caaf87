//! The one text analyser used for both passages and questions, so both sides always agree:
//! Unicode words, lowercased, synonym phrases folded to one term per group (longest match first),
//! stop words dropped, English (Snowball) stemming.

use crate::faq::synonyms::Synonyms;
use frostem::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};
use unicode_normalization::UnicodeNormalization;

/// Common English words that carry no topic of their own, including question words.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "actually",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "but",
    "by",
    "can",
    "could",
    "d",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "else",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "know",
    "ll",
    "m",
    "me",
    "might",
    "mine",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "please",
    "re",
    "really",
    "s",
    "she",
    "should",
    "so",
    "some",
    "something",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "thx",
    "thanks",
    "to",
    "too",
    "u",
    "up",
    "us",
    "ve",
    "very",
    "usually",
    "ever",
    "maybe",
    "like",
    "stuff",
    "someone",
    "anybody",
    "guys",
    "hey",
    "hello",
    "hi",
    "ok",
    "okay",
    "yes",
    "yeah",
    "lol",
    "was",
    "we",
    "were",
    "what",
    "whats",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
];

/// Splits text into lowercase Unicode words (letters and digits), after NFKC normalisation.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.nfkc() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The normalised form of a synonym term (its words joined by spaces), to compare terms.
pub fn phrase_key(term: &str) -> String {
    words(term).join(" ")
}

/// Text analyser with the FAQ's synonym groups.
#[derive(Clone)]
pub struct Analyzer {
    stemmer: Stemmer,
    stop: HashSet<&'static str>,
    /// Stemmed word sequence -> the group's term.
    phrases: HashMap<Vec<String>, String>,
    longest: usize,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("phrases", &self.phrases.len())
            .finish()
    }
}

impl Analyzer {
    /// Builds the analyser for a set of synonym groups.
    pub fn new(synonyms: &Synonyms) -> Self {
        let mut a = Analyzer {
            stemmer: Stemmer::new(Algorithm::English),
            stop: STOP_WORDS.iter().copied().collect(),
            phrases: HashMap::new(),
            longest: 1,
        };
        for group in &synonyms.groups {
            let Some(first) = group.first() else { continue };
            let canonical = a.stem_words(&words(first)).join("_");
            if canonical.is_empty() {
                continue;
            }
            for term in group {
                let key = a.stem_words(&words(term));
                if key.is_empty() {
                    continue;
                }
                a.longest = a.longest.max(key.len());
                a.phrases.insert(key, canonical.clone());
            }
        }
        a
    }

    fn stem_words(&self, ws: &[String]) -> Vec<String> {
        ws.iter().map(|w| self.stem(w)).collect()
    }

    /// Stems one lowercase word.
    pub fn stem(&self, word: &str) -> String {
        self.stemmer.stem(word).into_owned()
    }

    /// Whether a lowercase word is a stop word.
    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stop.contains(word)
    }

    /// Analyses text into index terms, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let ws = words(text);
        let stems = self.stem_words(&ws);
        let mut out = Vec::with_capacity(ws.len());
        let mut i = 0;
        while i < ws.len() {
            let mut matched = false;
            let max = self.longest.min(ws.len() - i);
            for len in (1..=max).rev() {
                if let Some(canon) = self.phrases.get(&stems[i..i + len]) {
                    out.push(canon.clone());
                    i += len;
                    matched = true;
                    break;
                }
            }
            if matched {
                continue;
            }
            if !self.is_stop_word(&ws[i]) && ws[i].chars().count() <= 40 {
                out.push(stems[i].clone());
            }
            i += 1;
        }
        out
    }

    /// Analyses text and joins the terms with spaces, for the whitespace-tokenised index fields.
    pub fn indexed_text(&self, text: &str) -> String {
        self.terms(text).join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syn() -> Synonyms {
        Synonyms {
            groups: vec![
                vec!["IL-2".into(), "IL2".into(), "aldesleukin".into()],
                vec!["kidney cancer".into(), "renal cell carcinoma".into()],
            ],
        }
    }

    #[test]
    fn folds_synonyms_and_stems() {
        let a = Analyzer::new(&syn());
        assert_eq!(a.terms("Is IL2 given?"), a.terms("is aldesleukin given"));
        assert_eq!(
            a.terms("IL-2 for kidney cancers"),
            a.terms("il2 renal cell carcinoma")
        );
        assert!(a.terms("What is the?").is_empty());
        assert!(a.terms("🎗️ @everyone").iter().all(|t| !t.contains('@')));
    }
}
