//! The one text analyser used for both passages and questions, so both sides always agree:
//! Unicode words, lowercased, synonym phrases folded to one term per group (longest match first),
//! stop words dropped, English (Snowball) stemming.

use crate::faq::synonyms::Synonyms;
pub use crate::text::{phrase_key, words};
use frostem::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashSet;

/// Who a post is about and where it is posted: in a patient and caregiver community nearly every
/// post names a relative or the forum ("my husband", "long-time lurker"), and the question is
/// the same whoever it is for, so these words are story, never the topic.
const PEOPLE_AND_FORUM: &[&str] = &[
    "husband",
    "husbands",
    "hubby",
    "wife",
    "wifes",
    "partner",
    "spouse",
    "mom",
    "moms",
    "mum",
    "mums",
    "mother",
    "dad",
    "dads",
    "father",
    "son",
    "sons",
    "daughter",
    "daughters",
    "brother",
    "sister",
    "boyfriend",
    "girlfriend",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
    "aunt",
    "uncle",
    "folks",
    "post",
    "posts",
    "thread",
    "lurker",
    "lurking",
    "lurked",
];

/// Light verbs: in a question they carry the sentence, never its topic ("make it worse", "put it
/// in a vein", "going to"), and the FAQ's passage questions use them too rarely for their rarity
/// to mean anything.
const LIGHT_VERBS: &[&str] = &[
    "make", "makes", "making", "put", "puts", "putting", "go", "goes", "going", "went", "gone",
];

/// Words that ask for an explanation or say how the asker feels about asking, never what the
/// question is about ("explain it in simple words", "any info", "just curious"): a member who
/// adds them asks the same question.
const REQUEST_WORDS: &[&str] = &[
    "explain",
    "explained",
    "explaining",
    "explanation",
    "simple",
    "simply",
    "plain",
    "words",
    "layman",
    "laymans",
    "basically",
    "exactly",
    "specifically",
    "wondering",
    "wondered",
    "curious",
    "info",
    "information",
    "details",
    "understand",
    "question",
    "questions",
    "appreciate",
    "appreciated",
];

/// Requests for the community's help or attention ("can anyone help", "thanks for your help",
/// "quick question"): they ask someone to answer, not about anything, and their "help" is not
/// the FAQ's (what a treatment does). Their words are dropped like stop words, before any synonym is looked for,
/// so "can someone help me" is not read as a question about whether IL-2 helps, while "can
/// IL-2 help me" still is. A synonym phrase of the same words wins over a request.
const FORUM_REQUESTS: &[&str] = &[
    "someone help",
    "somebody help",
    "anyone help",
    "anybody help",
    "you help",
    "u help",
    "you guys help",
    "you all help",
    "y'all help",
    "yall help",
    "guys help",
    "people help",
    "everyone help",
    "please help",
    "pls help",
    "plz help",
    "help please",
    "help pls",
    "help plz",
    "need help",
    "need some help",
    "need your help",
    "any help",
    "some help",
    "your help",
    "all the help",
    "for the help",
    "big help",
    "great help",
    "huge help",
    "such a help",
    "help needed",
    "help appreciated",
    "appreciate the help",
    "looking for help",
    "asking for help",
    "quick question",
    "silly question",
    "dumb question",
    "stupid question",
    "random question",
    "one more question",
];

/// When things happen in a member's story ("he starts next week", "I had my scan yesterday"):
/// they date the story and never say what a question is about. Dropped like the forum requests,
/// so "next" and "week" do not count as words of the question ("next" is a word of the FAQ, in
/// an alternate question's "next step"); a synonym phrase of the same words wins, as there.
const STORY_TIMES: &[&str] = &[
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "this morning",
    "this afternoon",
    "this evening",
    "last night",
    "the other day",
    "this week",
    "next week",
    "last week",
    "this weekend",
    "next weekend",
    "last weekend",
    "this month",
    "next month",
    "last month",
    "this year",
    "next year",
    "last year",
];

/// Chat shorthand: how a Discord post says "right now", "to be honest", "because" or "no".
/// Like the stop words it spells, it never carries the topic, and as a word the FAQ never
/// uses it would otherwise count against a plainly asked question.
const CHAT_SHORTHAND: &[&str] = &[
    "ur", "rn", "af", "tbh", "idk", "ty", "imo", "imho", "btw", "fyi", "omg", "smth", "sth", "abt",
    "bc", "cuz", "coz", "nah", "yep", "yup", "ikr", "smh", "lmk", "lmao",
];

/// Contractions typed without the apostrophe ("dont", "hes"): the same function words as the
/// stop words "don" and "t" that "don't" splits into.
const BARE_CONTRACTIONS: &[&str] = &[
    "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt", "wouldnt",
    "shouldnt", "wont", "hasnt", "havent", "hadnt", "hes", "shes", "youre", "theyre", "thats",
    "theres", "hows", "wheres", "whos", "itll", "ive", "youve", "weve", "theyve", "youll",
    "theyll",
];

/// Words that carry no topic of their own: English function words (after NLTK's list), the
/// chatty verbs and fillers of forum questions, and the words that frame what kind of question
/// is asked ("what happens to", "what role does it play in"), never what it is about. Kept out
/// on purpose: "other", "most", "same", "few", "first", "how", "why" and numbers, which do
/// change what a question asks.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "actually",
    "after",
    "again",
    "against",
    "ain",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anybody",
    "anyone",
    "anything",
    "anyway",
    "are",
    "aren",
    "as",
    "ask",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "check",
    "considered",
    "could",
    "couldn",
    "d",
    "deemed",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "done",
    "down",
    "during",
    "each",
    "else",
    "even",
    "ever",
    "everybody",
    "everyone",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "got",
    "guys",
    "had",
    "hadn",
    "happen",
    "happened",
    "happening",
    "happens",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "hers",
    "herself",
    "hey",
    "hi",
    "him",
    "himself",
    "his",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "itself",
    "just",
    "kind",
    "know",
    "let",
    "like",
    "ll",
    "lol",
    "m",
    "ma",
    "maybe",
    "me",
    "might",
    "mightn",
    "mine",
    "more",
    "much",
    "must",
    "mustn",
    "my",
    "myself",
    "need",
    "needn",
    "no",
    "nor",
    "not",
    "now",
    "o",
    "of",
    "off",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "only",
    "or",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "play",
    "plays",
    "please",
    "pls",
    "plz",
    "quite",
    "re",
    "really",
    "regarded",
    "role",
    "roles",
    "s",
    "said",
    "say",
    "shan",
    "she",
    "should",
    "shouldn",
    "so",
    "some",
    "someone",
    "something",
    "sort",
    "still",
    "stuff",
    "such",
    "sure",
    "t",
    "tell",
    "than",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "though",
    "through",
    "thx",
    "to",
    "too",
    "u",
    "under",
    "until",
    "up",
    "us",
    "usually",
    "ve",
    "very",
    "want",
    "was",
    "wasn",
    "wat",
    "wats",
    "we",
    "were",
    "weren",
    "what",
    "whats",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "will",
    "with",
    "won",
    "wot",
    "would",
    "wouldn",
    "wut",
    "y",
    "yeah",
    "yes",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Text analyser with the FAQ's synonym groups.
#[derive(Clone)]
pub struct Analyzer {
    stemmer: Stemmer,
    stop: HashSet<&'static str>,
    /// Stemmed words of a phrase, joined by spaces -> the group's term.
    phrases: FxHashMap<String, String>,
    /// First stems of the phrases, to skip words that start none.
    phrase_starts: FxHashSet<String>,
    /// Stems of the one-word synonym terms -> the group's term, for typos of them (the index
    /// holds only the group's term, so a misspelt synonym has nothing to be corrected to there).
    single_words: Vec<(String, String)>,
    /// The words of the synonym terms as written (lowercase, each once): FAQ vocabulary that a
    /// general English list may lack ("interleukin", "premedication"), for reading misspellings.
    written: Vec<String>,
    longest: usize,
}

/// Words the English stemmer gives the stem of a word of another meaning: "severe" and
/// "several" both stem to "sever", "responsible" to the "respons" of "response", "met" to the
/// "met" of "mets" (metastases). Each listed word keeps a stem of its own, so a question about
/// severe side effects does not match "several hours". Found by stemming every word of the
/// English frequency list with the FAQ's words and reading the stems they share
/// (`examples/stem_collisions.rs`). Sorted by word (a binary search).
const STEM_EXCEPTIONS: &[(&str, &str)] = &[
    ("kindly", "kindly"),
    ("kindness", "kindness"),
    ("mets", "mets"),
    ("position", "position"),
    ("positioned", "position"),
    ("positioning", "position"),
    ("positions", "position"),
    ("responsibilities", "responsibl"),
    ("responsibility", "responsibl"),
    ("responsible", "responsibl"),
    ("secrete", "secrete"),
    ("secreted", "secrete"),
    ("secretes", "secrete"),
    ("secreting", "secrete"),
    ("secretion", "secrete"),
    ("severe", "severe"),
    ("severely", "severe"),
    ("severity", "severe"),
    ("united", "united"),
];

/// The word's own stem, when it is one of [`STEM_EXCEPTIONS`].
fn own_stem(word: &str) -> Option<&'static str> {
    STEM_EXCEPTIONS
        .binary_search_by_key(&word, |e| e.0)
        .ok()
        .map(|i| STEM_EXCEPTIONS[i].1)
}

/// Whether the word is one of [`STEM_EXCEPTIONS`]: it has a stem of its own, and must not be
/// read as derived from the word of another meaning it would otherwise share one with.
pub fn keeps_own_stem(word: &str) -> bool {
    own_stem(word).is_some()
}

/// Most words a thread's stem cache holds before it starts afresh.
const STEM_CACHE_WORDS: usize = 100_000;

thread_local! {
    /// Stems already computed on this thread: a FAQ's and its members' vocabulary is small
    /// next to the number of words analysed.
    static STEMS: std::cell::RefCell<FxHashMap<String, String>> = Default::default();
}

/// One term of an analysed question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionTerm {
    /// The index term (stemmed, or a synonym group's term).
    pub term: String,
    /// The word as the member wrote it (lowercased), when the term is one word outside any
    /// synonym phrase.
    pub word: Option<String>,
    /// Whether the term is in the part of the post that asks.
    pub focus: bool,
}

/// Words that open a question.
const QUESTION_WORDS: &[&str] = &[
    "how", "what", "whats", "wat", "wats", "wut", "wot", "why", "when", "where", "who", "which",
    "can", "could", "should", "is", "are", "does", "do", "did", "will", "would", "has", "have",
    "any", "anyone", "was", "were", "am",
];

/// A text cut into sentences at `.`, `!`, `?` and line breaks (a `?` stays with its sentence).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?' | '\n') {
            let end = i + c.len_utf8();
            // "e.g." or "39.5": a dot inside a word does not end a sentence.
            let next = text[end..].chars().next();
            if c == '.' && next.is_some_and(|n| !n.is_whitespace()) {
                continue;
            }
            if !text[start..end].trim().is_empty() {
                out.push(&text[start..end]);
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(&text[start..]);
    }
    out
}

/// Whether an asking sentence of one word points back at the sentence before it ("Is that
/// normal?"): "it" names the drug as often as not ("How is it given?"), "that" and "this" do not.
fn points_back(sentence: &str, terms: &[QuestionTerm]) -> bool {
    terms.len() <= 1
        && words(sentence)
            .iter()
            .any(|w| matches!(w.as_str(), "that" | "this" | "those" | "these"))
}

/// Whether a sentence asks something: it ends in `?` or opens with a question word.
fn asks(sentence: &str) -> bool {
    let t = sentence.trim();
    t.ends_with('?')
        || words(t)
            .first()
            .is_some_and(|w| QUESTION_WORDS.contains(&w.as_str()))
}

/// Whether a lowercase word is one a question opens with ("how", "why", "can"): it says that a
/// post asks, never what about.
pub fn is_question_word(word: &str) -> bool {
    QUESTION_WORDS.contains(&word)
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
            stop: STOP_WORDS
                .iter()
                .chain(PEOPLE_AND_FORUM)
                .chain(REQUEST_WORDS)
                .chain(LIGHT_VERBS)
                .chain(CHAT_SHORTHAND)
                .chain(BARE_CONTRACTIONS)
                .copied()
                .collect(),
            phrases: FxHashMap::default(),
            phrase_starts: FxHashSet::default(),
            single_words: Vec::new(),
            written: Vec::new(),
            longest: 1,
        };
        for group in &synonyms.groups {
            let Some(first) = group.first() else { continue };
            let canonical = a.stem_words(&words(first)).join("_");
            if canonical.is_empty() {
                continue;
            }
            for term in group {
                let ws = words(term);
                let key = a.stem_words(&ws);
                a.written.extend(ws);
                let Some(start) = key.first() else { continue };
                a.longest = a.longest.max(key.len());
                a.phrase_starts.insert(start.clone());
                if key.len() == 1 {
                    a.single_words.push((start.clone(), canonical.clone()));
                }
                a.phrases.insert(key.join(" "), canonical.clone());
            }
        }
        for request in FORUM_REQUESTS.iter().chain(STORY_TIMES) {
            let key = a.stem_words(&words(request));
            let Some(start) = key.first() else { continue };
            let key = key.join(" ");
            if !a.phrases.contains_key(&key) {
                a.longest = a.longest.max(key.split(' ').count());
                a.phrase_starts.insert(start.clone());
                a.phrases.insert(key, String::new());
            }
        }
        a.written.sort_unstable();
        a.written.dedup();
        a
    }

    /// The words of the synonym terms as written, lowercase, each once.
    pub fn synonym_words(&self) -> impl Iterator<Item = &str> {
        self.written.iter().map(String::as_str)
    }

    fn stem_words(&self, ws: &[String]) -> Vec<String> {
        self.with_stems(ws, |stems| stems.iter().map(|s| s.to_string()).collect())
    }

    /// Stems one lowercase word.
    pub fn stem(&self, word: &str) -> String {
        let mut out = String::new();
        self.with_stems(std::slice::from_ref(&word.to_string()), |stems| {
            out = stems[0].to_string()
        });
        out
    }

    /// Calls `f` with the stems of `words`, from this thread's cache where it has them.
    fn with_stems<R>(&self, words: &[String], f: impl FnOnce(&[&str]) -> R) -> R {
        STEMS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.len() + words.len() > STEM_CACHE_WORDS {
                cache.clear();
            }
            for w in words {
                if !cache.contains_key(w.as_str()) {
                    let stem = own_stem(w)
                        .map_or_else(|| self.stemmer.stem(w).into_owned(), str::to_string);
                    cache.insert(w.clone(), stem);
                }
            }
            let stems: Vec<&str> = words
                .iter()
                .map(|w| cache.get(w.as_str()).map_or(w.as_str(), String::as_str))
                .collect();
            f(&stems)
        })
    }

    /// The synonym a misspelt word most likely means: the one-word synonym term nearest to it,
    /// within `max_edits` edits (a swap of two letters is one edit), and its group; among
    /// equally near ones, the first in the file.
    pub fn synonym_typo(&self, stem: &str, max_edits: usize) -> Option<(&str, &str)> {
        let words = self.single_words.iter().map(|(t, _)| t.as_str());
        let (term, _) = crate::text::english::near_in(stem, max_edits, words)
            .into_iter()
            .min_by_key(|&(_, d)| d)?;
        self.single_words
            .iter()
            .find(|(t, _)| t == term)
            .map(|(t, g)| (t.as_str(), g.as_str()))
    }

    /// The synonym group of a phrase of analysed terms joined by spaces ("interleukin 2"), if
    /// it is one of the groups' phrases.
    pub fn phrase_group(&self, key: &str) -> Option<&str> {
        self.phrases
            .get(key)
            .map(String::as_str)
            .filter(|group| !group.is_empty())
    }

    /// Whether a lowercase word is a stop word.
    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stop.contains(word)
    }

    /// Calls `emit` with each index term of `text`, in order (see [`Analyzer::terms`]), and the
    /// word it stands for when it is one word outside any synonym phrase.
    fn for_each_term(&self, text: &str, emit: impl FnMut(&str, Option<&str>)) {
        self.for_each_word(text, emit, |_| {});
    }

    /// Like [`Analyzer::for_each_term`], and also calls `inner` with the stem of each word that
    /// is read only as part of a synonym phrase (a word of three letters or more, not a stop
    /// word), in order.
    fn for_each_word(
        &self,
        text: &str,
        mut emit: impl FnMut(&str, Option<&str>),
        mut inner: impl FnMut(&str),
    ) {
        let ws = words(text);
        self.with_stems(&ws, |stems| {
            let mut out: Vec<(&str, Option<&str>)> = Vec::with_capacity(ws.len());
            let mut covered_until = 0;
            // The end of a forum request (an empty group term): its words are not read at all.
            let mut dropped_until = 0;
            let mut key = String::new();
            for i in 0..ws.len() {
                if i < dropped_until {
                    continue;
                }
                if self.phrase_starts.contains(stems[i]) {
                    for len in (1..=self.longest.min(ws.len() - i)).rev() {
                        key.clear();
                        for (k, stem) in stems[i..i + len].iter().enumerate() {
                            if k > 0 {
                                key.push(' ');
                            }
                            key.push_str(stem);
                        }
                        if let Some(canon) = self.phrases.get(key.as_str()) {
                            // A stop word is a one-word term only when a synonym group lists it
                            // as written ("usually"): "considered" (as in "is it considered
                            // safe") is not the group's "considering", though they share a stem.
                            if len == 1
                                && self.is_stop_word(&ws[i])
                                && self.written.binary_search(&ws[i]).is_err()
                            {
                                continue;
                            }
                            if canon.is_empty() {
                                if i >= covered_until {
                                    dropped_until = i + len;
                                    break;
                                }
                                continue;
                            }
                            if !out.iter().rev().take(4).any(|(t, _)| t == canon) {
                                out.push((canon, None));
                            }
                            covered_until = covered_until.max(i + len);
                        }
                    }
                }
                if i < dropped_until {
                    continue;
                }
                if !self.is_stop_word(&ws[i]) && ws[i].chars().count() <= 40 {
                    if i >= covered_until {
                        out.push((stems[i], Some(ws[i].as_str())));
                    } else if ws[i].chars().count() >= 3 && ws[i].chars().all(char::is_alphabetic) {
                        // Not a piece of a name ("il", "2" of "IL-2").
                        inner(stems[i]);
                    }
                }
            }
            for (t, w) in out {
                emit(t, w);
            }
        });
    }

    /// Analyses text into index terms, in order. Every synonym phrase found is folded into its
    /// group's term, overlapping ones included ("directly into the tumor" gives both the
    /// "intralesional" and the "tumor" terms), so a question and a passage that word the same
    /// idea differently still share terms; words outside any phrase are kept (stemmed) unless
    /// they are stop words.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_term(text, |t, _| out.push(t.to_string()));
        out
    }

    /// Analyses a question into terms like [`Analyzer::terms`], each with the word it stands
    /// for (outside synonym phrases) and whether it lies in the question's focus: in a post of
    /// several sentences, the sentences that ask (end in `?` or open with a question word)
    /// rather than the story around them. A post with no asking sentence is all focus. An asking
    /// sentence with no words of its own ("What are those for?"), or one word and a "that" or
    /// "those" ("Is that standard?"), asks about the sentence before it, which joins the focus.
    pub fn question_terms(&self, text: &str) -> Vec<QuestionTerm> {
        let sentences = sentences(text);
        let mut per_sentence: Vec<Vec<QuestionTerm>> = Vec::with_capacity(sentences.len());
        let mut asking: Vec<bool> = sentences.iter().map(|s| asks(s)).collect();
        for sentence in &sentences {
            let mut terms = Vec::new();
            self.for_each_term(sentence, |t, w| {
                terms.push(QuestionTerm {
                    term: t.to_string(),
                    word: w.map(str::to_string),
                    focus: false,
                })
            });
            per_sentence.push(terms);
        }
        for i in (1..sentences.len()).rev() {
            if asking[i]
                && (per_sentence[i].is_empty() || points_back(sentences[i], &per_sentence[i]))
            {
                asking[i - 1] = true;
            }
        }
        let any_asks = asking
            .iter()
            .zip(&per_sentence)
            .any(|(&a, t)| a && !t.is_empty());
        per_sentence
            .into_iter()
            .zip(asking)
            .flat_map(|(terms, asks)| {
                terms.into_iter().map(move |t| QuestionTerm {
                    focus: asks || !any_asks,
                    ..t
                })
            })
            .collect()
    }

    /// Analyses text and joins the terms with spaces, for the whitespace-tokenised index fields;
    /// appends to `inner` the stems of the words that are read only as part of a synonym phrase
    /// ("human" in "recombinant human interleukin 2"): the FAQ uses them, though never as terms
    /// of their own.
    pub fn indexed_text_and_inner(&self, text: &str, inner: &mut String) -> String {
        let mut out = String::with_capacity(text.len());
        let push = |to: &mut String, t: &str| {
            if !to.is_empty() {
                to.push(' ');
            }
            to.push_str(t);
        };
        self.for_each_word(text, |t, _| push(&mut out, t), |stem| push(inner, stem));
        out
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
        assert!(a.terms("🎗️ @everyone <@123> <@!45> <#6> <@&7>").is_empty());
        assert_eq!(a.terms("<@12> il 2 <b>"), a.terms("IL2 b"));
        assert_eq!(words("50% of people"), ["50", "percent", "of", "people"]);
    }

    #[test]
    fn chat_shorthand_and_bare_contractions_are_filler() {
        let a = Analyzer::new(&syn());
        assert_eq!(
            a.terms("tbh idk if il2 wont work rn, hes scared cuz it doesnt"),
            a.terms("if il2 work, scared it")
        );
    }

    #[test]
    fn a_request_for_the_communitys_help_is_dropped_but_a_treatment_that_helps_is_kept() {
        let mut synonyms = syn();
        synonyms
            .groups
            .push(vec!["effective".into(), "help".into(), "helps".into()]);
        let a = Analyzer::new(&synonyms);
        for chat in [
            "can someone help me?",
            "Could anyone help please",
            "thanks so much for the help!",
            "any help appreciated",
            "quick question",
        ] {
            assert!(a.terms(chat).is_empty(), "{chat:?}: {:?}", a.terms(chat));
        }
        assert_eq!(
            a.terms("can anyone help? is IL-2 given in hospital"),
            a.terms("is IL-2 given in hospital")
        );
        assert_eq!(a.terms("can IL-2 help me?"), ["il_2", "effect"]);
        assert_eq!(a.terms("does it help"), ["effect"]);
    }

    #[test]
    fn words_the_stemmer_would_merge_with_a_word_of_another_meaning_keep_their_own_stem() {
        let mut synonyms = syn();
        synonyms
            .groups
            .push(vec!["metastatic".into(), "mets".into()]);
        let a = Analyzer::new(&synonyms);
        let shared = |x: &str, y: &str| {
            let y = a.terms(y);
            a.terms(x).into_iter().filter(|t| y.contains(t)).count()
        };
        assert_eq!(shared("severe side effects", "over several hours"), 0);
        assert_eq!(shared("who is responsible", "the response rate"), 0);
        assert_eq!(shared("what position to sit in", "a positive response"), 0);
        assert_eq!(shared("we met his oncologist", "IL-2 for mets"), 0);
        assert_eq!(shared("how severe", "severity"), 1);
        assert_eq!(shared("IL-2 for mets", "metastatic"), 1);
        assert!(keeps_own_stem("severe") && !keeps_own_stem("several"));
    }

    #[test]
    fn the_words_that_frame_a_question_leave_only_what_it_asks_about() {
        let a = Analyzer::new(&syn());
        assert_eq!(
            a.terms("what role does IL-2 play in kidney cancer?"),
            a.terms("IL-2 in kidney cancer?")
        );
        assert_eq!(
            a.terms("what happens to the kidneys on IL-2?"),
            a.terms("kidneys on IL-2?")
        );
    }

    #[test]
    fn the_times_a_story_is_dated_by_are_not_words_of_the_question() {
        let a = Analyzer::new(&syn());
        assert_eq!(
            a.terms("dad starts IL-2 next week, what are premeds for?"),
            a.terms("dad starts IL-2, what are premeds for?")
        );
        assert_eq!(
            a.terms("I had my scan yesterday and the results come tomorrow"),
            a.terms("I had my scan and the results come")
        );
        // The same words outside a date still count.
        assert!(a
            .terms("what are the next steps?")
            .contains(&"next".to_string()));
        assert!(a
            .terms("how many weeks does a cycle last?")
            .contains(&"week".to_string()));
    }

    #[test]
    fn considered_in_the_passive_is_not_considering_but_a_stop_word_a_group_lists_still_folds() {
        let mut synonyms = syn();
        synonyms
            .groups
            .push(vec!["considering".into(), "consider".into()]);
        synonyms
            .groups
            .push(vec!["common".into(), "usually".into()]);
        let a = Analyzer::new(&synonyms);
        assert_eq!(
            a.terms("is IL-2 considered safe?"),
            a.terms("is IL-2 safe?")
        );
        assert!(a
            .terms("I'm considering IL-2")
            .contains(&a.terms("consider")[0]));
        assert_eq!(
            a.terms("how is IL-2 usually given"),
            a.terms("how is IL-2 common given")
        );
    }

    #[test]
    fn a_question_without_words_of_its_own_asks_about_the_sentence_before() {
        let a = Analyzer::new(&syn());
        let focus = |text: &str| -> Vec<String> {
            a.question_terms(text)
                .into_iter()
                .filter(|t| t.focus)
                .map(|t| t.term)
                .collect()
        };
        let focused = focus("My dad had surgery in May. He starts aldesleukin soon. What is that?");
        assert!(focused.contains(&"il_2".to_string()), "{focused:?}");
        assert!(!focused.contains(&"surgeri".to_string()), "{focused:?}");
        let story = focus("My dad had surgery in May. Is IL-2 given in hospital?");
        assert!(!story.contains(&"surgeri".to_string()), "{story:?}");
        let standard = focus("He had surgery and premeds. Is that standard?");
        assert!(standard.contains(&"surgeri".to_string()), "{standard:?}");
        let named = focus("He had surgery in May. How is it given?");
        assert!(!named.contains(&"surgeri".to_string()), "{named:?}");
    }
}
