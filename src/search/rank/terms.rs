//! A question as weighted terms: each analysed word with its rarity in the FAQ (idf), corrected
//! to the nearest FAQ word when it is a typo, left out when the FAQ uses it only inside a synonym
//! phrase, or marked unknown when the FAQ never uses it.

use super::Features;
use crate::search::analyze::{self, Analyzer, QuestionTerm};
use crate::search::index::Fields;
use crate::search::slots::{text_slot, Slots};
use std::collections::HashMap;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Questions longer than this many characters are cut before analysis.
const MAX_QUESTION_CHARS: usize = 2_000;
/// At most this many distinct terms of a question are used.
const MAX_TERMS: usize = 48;
/// Weight of a question word the FAQ never uses, relative to the rarest word it does use.
const UNKNOWN_WEIGHT: f32 = 0.8;
/// Weight of a typo-corrected word, relative to the word it was corrected to.
const CORRECTED_WEIGHT: f32 = 0.8;
/// Weight of a term outside the question's focus (the story around the question in a long post).
const STORY_WEIGHT: f32 = 0.4;
/// Zipf frequency from which an English word is ordinary: as likely in any question as in one
/// the FAQ answers, so neutral (Zipf 4.5 is about 30 uses per million words: "folks", "stuff").
pub(super) const COMMON_ZIPF: f32 = 4.5;
/// Zipf frequency at or below which a word is as specific as one never seen.
const RARE_ZIPF: f32 = 2.5;
/// The least specificity of a word the FAQ never uses: an ordinary English word still counts a
/// little against the answer, as "cost" in a question about cost is as ordinary as "stuff".
const SPECIFICITY_FLOOR: f32 = 0.3;
/// Words at least this frequent in English are real words, never corrected as typos.
const TYPO_MAX_ZIPF: f32 = 2.0;
/// Shortest word that typo correction considers (shorter words have too many neighbours).
const MIN_TYPO_CHARS: usize = 5;

/// Index of the searched fields that are the passage's own words (heading and body).
pub(super) const OWN_FIELDS: [usize; 2] = [2, 3];

/// One analysed question term and its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct QTerm {
    /// The term searched for (the correction, for a typo).
    pub text: String,
    /// Its weight in the question: rarity in the FAQ (idf), less for a typo correction or a
    /// word outside the question's focus; for a word the FAQ never uses, how specific it is in
    /// English.
    pub weight: f32,
    /// Whether the FAQ uses the term.
    pub known: bool,
    /// Passages holding the term (its rarity, for proximity).
    pub df: u64,
    /// Passages holding the term in each searched field (question, aliases, heading, body).
    pub field_dfs: [u64; 4],
    /// The word as written, when the term is one word outside a synonym phrase.
    pub word: Option<String>,
    /// The term before a typo correction.
    pub corrected_from: Option<String>,
    /// Whether the term is in the part of the post that asks.
    pub focus: bool,
    /// For a word the FAQ never uses: 0 (an ordinary English word, neutral) to 1 (rare or
    /// specific: it weighs against the answer).
    pub specificity: Option<f32>,
    /// Whether the term is a word the FAQ never uses that English spells only with a capital: a
    /// place, organisation or brand ("Texas", "Medicare").
    pub named: bool,
    /// The Zipf frequency in English of the word as written (None: not one word, not listed,
    /// or word frequencies are off), looked up once for every candidate that asks.
    pub zipf: Option<f32>,
}

/// Edit distance allowed when correcting a word of this many characters.
pub fn typo_distance(chars: usize) -> u8 {
    match chars {
        0..MIN_TYPO_CHARS => 0,
        MIN_TYPO_CHARS..=8 => 1,
        _ => 2,
    }
}

/// The FAQ word a misspelt question word most likely means: the most frequent indexed term
/// within the allowed edit distance (transpositions count as one edit). Only for words of five
/// or more letters without digits, so short or coded words never turn into something else.
pub fn correct_typo(searcher: &Searcher, fields: &[Field], word: &str) -> Option<(String, u64)> {
    let chars = word.chars().count();
    let distance = typo_distance(chars);
    if distance == 0 || word.contains('_') || word.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let first = *fields.first()?;
    let automaton = FuzzyTermQuery::new(Term::from_field_text(first, word), distance, true)
        .automaton()
        .ok()?;
    let mut found: HashMap<String, u64> = HashMap::new();
    for seg in searcher.segment_readers() {
        for &field in fields {
            let Ok(inv) = seg.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inv.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(text) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if text.contains('_') || text.chars().count() + 1 < MIN_TYPO_CHARS {
                    continue;
                }
                *found.entry(text.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    found
        .into_iter()
        .max_by(|(t1, d1), (t2, d2)| d1.cmp(d2).then_with(|| t2.cmp(t1)))
}

/// Longest the ending may be that a real English word adds to an FAQ word's stem and still
/// reads as it ("infectious" is stemmed "infecti", the FAQ's "infections" "infect").
const MAX_DERIVED_ENDING: usize = 2;

/// The FAQ term a real English word is derived from, when the stemmer left it a letter or two
/// longer: the longest FAQ stem of at least [`MIN_TYPO_CHARS`] characters that the word's stem
/// starts with, at most [`MAX_DERIVED_ENDING`] characters shorter. A real word is never a typo,
/// but it may be a derived form of a word the FAQ uses.
fn derived_from(searcher: &Searcher, fields: &[Field], stem: &str) -> Option<(String, u64)> {
    if stem.contains('_') || !stem.is_ascii() {
        return None;
    }
    (1..=MAX_DERIVED_ENDING)
        .filter_map(|cut| stem.len().checked_sub(cut))
        .filter(|&len| len >= MIN_TYPO_CHARS)
        .find_map(|len| {
            let base = &stem[..len];
            let df = fields.iter().map(|&f| doc_freq(searcher, f, base)).max()?;
            (df > 0).then(|| (base.to_string(), df))
        })
}

/// Endings that make an English adjective's adverb or comparative ("slow" → "slowly", "low" →
/// "lower", "large" → "larger").
const INFLECTIONS: [&str; 3] = ["ly", "er", "r"];

/// The FAQ term of an adverb or comparative of a real English word, when the FAQ uses that
/// form and not the word itself ("slow" for the FAQ's "slowly"): the form must be an English
/// word too, so no ending is made up.
fn inflected_in_faq(
    analyzer: &Analyzer,
    searcher: &Searcher,
    fields: &[Field],
    word: &str,
) -> Option<(String, u64)> {
    if word.chars().count() < 3 || !word.is_ascii() {
        return None;
    }
    INFLECTIONS.iter().find_map(|ending| {
        if *ending == "r" && !word.ends_with('e') {
            return None;
        }
        let form = format!("{word}{ending}");
        crate::text::english::zipf(&form)?;
        let stem = analyzer.stem(&form);
        let df = fields.iter().map(|&f| doc_freq(searcher, f, &stem)).max()?;
        (df > 0).then_some((stem, df))
    })
}

pub(super) fn idf(n: u64, df: u64) -> f32 {
    let n = n as f32;
    let df = df as f32;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Each searched field's document frequency of lately looked-up terms (see [`Slots`]).
pub(crate) type SeenTerms = Slots<String, [u64; 4]>;

/// Each searched field's document frequency of `term`: from the table of terms looked up
/// lately, else from the term dictionaries (and kept). Most questions repeat the FAQ's words.
fn field_dfs(searcher: &Searcher, searched: [Field; 4], seen: &SeenTerms, term: &str) -> [u64; 4] {
    seen.get(text_slot(term), term, || {
        Some((
            term.to_string(),
            searched.map(|f| doc_freq(searcher, f, term)),
        ))
    })
    .unwrap_or_default()
}

fn doc_freq(searcher: &Searcher, field: Field, text: &str) -> u64 {
    searcher
        .doc_freq(&Term::from_field_text(field, text))
        .unwrap_or(0)
}

/// A question analysed into weighed terms.
#[derive(Debug, Clone, Default)]
pub(super) struct Weighed {
    /// The terms, in question order.
    pub terms: Vec<QTerm>,
    /// Misspelt words read as English or FAQ ones before analysis.
    pub respelt: Vec<Respelt>,
    /// Words of the question, as written, that the FAQ uses only inside a synonym phrase; they
    /// are left out of the terms.
    pub in_phrases: Vec<String>,
}

/// The question's distinct analysed terms (at most [`MAX_TERMS`]), weighted by rarity in the
/// searched fields; a term already present after a typo correction is not repeated. Also the
/// misspelt words read as English or FAQ ones before analysis ([`respell`]): the question is analysed
/// again only when a word of it may be one, so a question spelt right pays nothing for it.
pub(super) fn question_terms(
    analyzer: &Analyzer,
    searcher: &Searcher,
    fields: Fields,
    seen: &SeenTerms,
    features: Features,
    question: &str,
) -> Weighed {
    let cut: String = question.chars().take(MAX_QUESTION_CHARS).collect();
    let searched = fields.searched();
    let dfs = |t: &str| field_dfs(searcher, searched, seen, t);
    let first = weighed_terms(analyzer, searcher, fields, &dfs, features, &cut, &[]);
    let may_be_misspelt = |q: &QTerm| {
        (!q.known || q.corrected_from.is_some())
            && q.zipf.is_none()
            && q.word.as_deref().is_some_and(|w| w.len() >= MIN_TYPO_CHARS)
    };
    if !(features.typos && features.english && first.terms.iter().any(may_be_misspelt)) {
        return first;
    }
    let (respelt_text, respelt) = respell(analyzer, searcher, searched, &cut);
    if respelt.is_empty() {
        return first;
    }
    weighed_terms(
        analyzer,
        searcher,
        fields,
        &dfs,
        features,
        &respelt_text,
        &respelt,
    )
}

/// The weighted terms of a question (cut to [`MAX_QUESTION_CHARS`]), with the words `respelt`
/// before analysis marked as corrected.
fn weighed_terms(
    analyzer: &Analyzer,
    searcher: &Searcher,
    fields: Fields,
    dfs: &dyn Fn(&str) -> [u64; 4],
    features: Features,
    cut: &str,
    respelt: &[Respelt],
) -> Weighed {
    let searched = fields.searched();
    let mut in_phrases = Vec::new();
    let mut terms: Vec<QuestionTerm> = Vec::new();
    for t in analyzer.question_terms(cut) {
        if let Some(seen) = terms.iter_mut().find(|seen| seen.term == t.term) {
            seen.focus |= t.focus;
        } else if terms.len() < MAX_TERMS {
            terms.push(t);
        }
    }
    let n = searcher.num_docs();
    let max_idf = idf(n, 1);
    let mut qterms: Vec<QTerm> = Vec::with_capacity(terms.len());
    // A misspelt first word of a synonym phrase ("interlukin 2"): the synonym it was read as,
    // and its group, so that the rest of the phrase is not counted as words of its own.
    let mut misspelt_phrase: Option<(String, String)> = None;
    for QuestionTerm {
        term: t,
        word,
        focus,
    } in terms
    {
        if let Some((head, group)) = misspelt_phrase.take() {
            if analyzer.phrase_group(&format!("{head} {t}")) == Some(group.as_str()) {
                continue;
            }
        }
        let focus_weight = focus_weight(focus, features);
        let field_dfs = dfs(&t);
        // Rarity is judged on the passages' own words (sub-heading and text), so questions and
        // aliases (repeated on every passage of their entry) do not make their words look
        // common; a word only in questions or aliases counts the passages carrying it.
        let own_df: u64 = OWN_FIELDS.iter().map(|&i| field_dfs[i]).sum();
        let entry_df = field_dfs[0].max(field_dfs[1]);
        let english = word
            .as_deref()
            .filter(|_| features.english)
            .and_then(crate::text::english::zipf);
        // A real English word is not a typo of an FAQ word ("stuff" is not "staff").
        let may_be_typo = english.is_none_or(|z| z < TYPO_MAX_ZIPF);
        let qt = if own_df > 0 || entry_df > 0 {
            let df = if own_df > 0 { own_df.min(n) } else { entry_df };
            QTerm {
                weight: idf(n, df) * focus_weight,
                known: true,
                df,
                field_dfs,
                text: t,
                word,
                corrected_from: None,
                focus,
                specificity: None,
                named: false,
                zipf: english,
            }
        } else if let Some((fixed, fdf)) = features
            .typos
            .then(|| {
                if !may_be_typo {
                    // A word kept apart from a stem of another meaning is not derived from it.
                    if word.as_deref().is_some_and(analyze::keeps_own_stem) {
                        return None;
                    }
                    return derived_from(searcher, &searched, &t).or_else(|| {
                        word.as_deref()
                            .and_then(|w| inflected_in_faq(analyzer, searcher, &searched, w))
                    });
                }
                correct_typo(searcher, &searched, &t).or_else(|| {
                    // A typo of a synonym: the index holds only its group's term.
                    let edits = usize::from(typo_distance(t.chars().count()));
                    let (synonym, group) = analyzer.synonym_typo(&t, edits)?;
                    let df = searched
                        .iter()
                        .map(|&f| doc_freq(searcher, f, group))
                        .max()?;
                    misspelt_phrase = Some((synonym.to_string(), group.to_string()));
                    (df > 0).then(|| (group.to_string(), df))
                })
            })
            .flatten()
        {
            QTerm {
                weight: idf(n, fdf.min(n)) * CORRECTED_WEIGHT * focus_weight,
                known: true,
                df: fdf,
                field_dfs: dfs(&fixed),
                text: fixed,
                word,
                corrected_from: Some(t),
                focus,
                specificity: None,
                named: false,
                zipf: english,
            }
        } else if features.phrase_words && doc_freq(searcher, fields.inner, &t) > 0 {
            // The FAQ uses the word, only ever inside a synonym phrase ("recombinant" of
            // "recombinant human interleukin 2"): not a word it lacks.
            in_phrases.push(word.unwrap_or(t));
            continue;
        } else {
            let named = features.names && word.as_deref().is_some_and(crate::text::names::is_name);
            let specificity = if features.english && !(named && focus) {
                specificity(english)
            } else {
                1.0
            };
            QTerm {
                weight: max_idf * UNKNOWN_WEIGHT * specificity * focus_weight,
                known: false,
                df: 0,
                field_dfs: [0; 4],
                text: t,
                word,
                corrected_from: None,
                focus,
                specificity: Some(specificity),
                named,
                zipf: english,
            }
        };
        if !qterms.iter().any(|q| q.known && q.text == qt.text) {
            qterms.push(qt);
        }
    }
    for qt in qterms.iter_mut().filter(|q| q.corrected_from.is_none()) {
        let Some(fix) = respelt
            .iter()
            .find(|r| qt.word.as_deref() == Some(r.to.as_str()))
        else {
            continue;
        };
        qt.corrected_from = Some(fix.from.clone());
        if qt.known {
            qt.weight *= CORRECTED_WEIGHT;
        }
    }
    Weighed {
        terms: qterms,
        respelt: respelt.to_vec(),
        in_phrases,
    }
}

/// A question word read as another: a misspelling of an English or FAQ word.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Respelt {
    /// The word as the member wrote it, lowercased.
    pub from: String,
    /// The word it was read as: an English word, or a word of the FAQ's synonyms.
    pub to: String,
}

/// The question with every misspelt word spelt as the word it most likely is (of the English
/// list or the FAQ's synonyms), before analysis, and the words so read. A misspelling inside a synonym phrase ("breast cacner") would
/// otherwise break the phrase, and a misspelt everyday word ("usaully") would count as a rare,
/// specific one against the answer. Only words of [`MIN_TYPO_CHARS`] letters or more that are
/// neither English, a name nor FAQ vocabulary are read again; the nearest word within
/// [`typo_distance`] wins, an FAQ word before another, a frequent word before a rare one.
fn respell(
    analyzer: &Analyzer,
    searcher: &Searcher,
    searched: [Field; 4],
    text: &str,
) -> (String, Vec<Respelt>) {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut respelt = Vec::new();
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let word = text[start..i].to_ascii_lowercase();
        if let Some(to) = respelling(analyzer, searcher, searched, &word) {
            out.push_str(&text[copied..start]);
            out.push_str(&to);
            copied = i;
            respelt.push(Respelt { from: word, to });
        }
    }
    if respelt.is_empty() {
        return (text.to_string(), respelt);
    }
    out.push_str(&text[copied..]);
    (out, respelt)
}

/// The word a lowercase question word is a misspelling of, if it is one: of the English list,
/// or of the FAQ's synonyms (its own vocabulary, which the list may lack).
fn respelling(
    analyzer: &Analyzer,
    searcher: &Searcher,
    searched: [Field; 4],
    word: &str,
) -> Option<String> {
    if word.len() < MIN_TYPO_CHARS
        || word.bytes().any(|b| b.is_ascii_digit())
        || crate::text::english::zipf(word).is_some()
        || crate::text::names::is_name(word)
    {
        return None;
    }
    let indexed = |terms: &[String]| {
        terms
            .iter()
            .any(|t| searched.iter().any(|&f| doc_freq(searcher, f, t) > 0))
    };
    let in_faq = |w: &str| indexed(&analyzer.terms(w));
    // A stop word (no terms) or a word the FAQ uses is not a misspelling.
    let own = analyzer.terms(word);
    if own.is_empty() || indexed(&own) {
        return None;
    }
    let max = usize::from(typo_distance(word.chars().count()));
    let english = crate::text::english::near(word, max);
    let synonyms = crate::text::english::near_in(word, max, analyzer.synonym_words());
    english
        .into_iter()
        .chain(synonyms.into_iter().map(|(w, edits)| {
            let zipf = crate::text::english::zipf(w).unwrap_or(0.0);
            (w, edits, zipf)
        }))
        .map(|(w, edits, zipf)| (edits, !in_faq(w), -zipf, w))
        .min_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal))
        .map(|(_, _, _, w)| w.to_string())
}

/// The weight of a term's matches: less outside the question's focus.
pub(super) fn focus_weight(focus: bool, features: Features) -> f32 {
    if focus || !features.focus {
        1.0
    } else {
        STORY_WEIGHT
    }
}

/// How specific a word the FAQ never uses is, from its Zipf frequency in general English
/// (`None`: not among the commonest English words, so rare, misspelt or a name):
/// [`SPECIFICITY_FLOOR`] at or above [`COMMON_ZIPF`], 1 at or below [`RARE_ZIPF`], linear between.
pub fn specificity(zipf: Option<f32>) -> f32 {
    match zipf {
        None => 1.0,
        Some(z) => ((COMMON_ZIPF - z) / (COMMON_ZIPF - RARE_ZIPF)).clamp(SPECIFICITY_FLOOR, 1.0),
    }
}
