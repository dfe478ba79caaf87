//! The answer policy: from ranked passages to an [`Answer`]. It decides whether the FAQ answers
//! (the model's confidence in the best passage against `min_coverage`), what else to show, and
//! puts the red-flag notice first when the question matches `urgent.toml`.

use super::confidence::Evidence;
use super::measure::Measure;
use super::{Answer, AnswerSettings, Hit};
use crate::search::rank::{QTerm, Ranking};
use crate::search::Search;
use crate::triage::Triage;

/// Default least confidence for answering.
pub const DEFAULT_MIN_COVERAGE: f32 = 0.7;

/// How close (in ranking score, or in coverage) another entry's passage must be to the best one
/// to be offered as "did you mean": an entry that covers the question as well is offered even
/// when the best one ranks higher for its own question's words.
const CLOSE_SCORE: f32 = 0.05;

/// Why a passage may not answer a question however confident the model is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bar {
    /// It shares only everyday words of its alternate questions with the question, none that
    /// says what the question is about.
    Untopical,
    /// It shares only everyday words of its own text with the question ("right" in "there is
    /// no one right way"), and none of its aliases or alternate questions foresaw the question.
    Everyday,
    /// The post asks other members about their own experience ("what was it like for
    /// you?"), which an FAQ of facts cannot give. A question match does not lift it: such a
    /// post analyses to little more than the treatment's name, which every entry question holds.
    Experience,
    /// The question asks for a measure the passage does not state.
    Unstated(Measure),
    /// The part of the question that asks names a place, organisation or brand the FAQ never
    /// mentions ("which hospitals in Texas", "does Medicare cover it"): it asks about that thing,
    /// and no passage says anything about it, however well the rest of its words match.
    Unnamed(String),
}

/// What bars the passage from answering the question (analysed as `terms`), if anything does.
pub fn bar(question: &str, terms: &[QTerm], hit: &Hit) -> Option<Bar> {
    bar_knowing(
        question,
        super::experience::asks_experience(question),
        terms,
        hit,
    )
}

/// [`bar`], with whether the post asks members about their experience already known.
fn bar_knowing(question: &str, asks_experience: bool, terms: &[QTerm], hit: &Hit) -> Option<Bar> {
    if !hit.signals.topical {
        return Some(Bar::Untopical);
    }
    let foreseen = hit.signals.question_match >= super::measure::FORESEEN;
    if !hit.signals.specific && !foreseen {
        return Some(Bar::Everyday);
    }
    if asks_experience {
        return Some(Bar::Experience);
    }
    if let Some(name) = terms.iter().find(|t| t.named && t.focus && !t.known) {
        return Some(Bar::Unnamed(
            name.word.clone().unwrap_or_else(|| name.text.clone()),
        ));
    }
    super::measure::refused(question, hit).map(Bar::Unstated)
}

/// The answer to a question from what the search ranks: the best passage when it covers enough
/// of the question, the next best as alternatives, close other entries as "did you mean", and
/// topics to offer when there is no answer.
pub fn answer(search: &Search, settings: &AnswerSettings, question: &str) -> (Answer, Ranking) {
    let mut ranking = search.ranked(question, settings.alternatives + 4);
    let mut hits = std::mem::take(&mut ranking.hits);
    let evidence = Evidence::of(&hits);
    let confidence = if hits.is_empty() {
        0.0
    } else {
        settings.model.confidence(&evidence)
    };
    let mut result = Answer {
        confidence,
        evidence,
        question: question.to_string(),
        best: None,
        introduces: Vec::new(),
        alternatives: Vec::new(),
        closest_topics: Vec::new(),
        nothing_matched: hits.is_empty(),
        did_you_mean: Vec::new(),
        urgent: false,
        urgent_notice: None,
        red_flags: Vec::new(),
    };
    let min = if settings.features.coverage {
        settings.min_coverage
    } else {
        0.0
    };
    // An entry's own question is answered by it whatever the confidence or the bars (its words
    // are the entry question's, so always topical), unless the post asks members about their
    // experience: "has anyone had IL-2? what was it like?" analyses to the words of "What is
    // IL-2?" but does not ask it.
    let asks_experience = super::experience::asks_experience(question);
    let first_answers = hits.first().is_some_and(|h| {
        h.signals.coverage > 0.0
            && ((confidence >= min
                && bar_knowing(question, asks_experience, &ranking.terms, h).is_none())
                || (!asks_experience && asks_the_entry_question(search, &ranking, h)))
    });
    // So is a post whose asking part is exactly an entry's question ("what even is rhIL-2?? my
    // dad's oncologist said it three times today"), wherever the story's words ranked it: the
    // story says why they ask, the question what.
    let story_around_an_entry_question = hits
        .iter()
        .position(|h| h.signals.coverage > 0.0 && asks_it_around_a_story(search, &ranking, h))
        .filter(|&i| !asks_experience && (i > 0 || !first_answers));
    if let Some(i) = story_around_an_entry_question {
        let asked = hits.remove(i);
        hits.insert(0, asked);
        result.evidence = Evidence::of(&hits);
        result.confidence = settings.model.confidence(&result.evidence);
    }
    let answered = first_answers || story_around_an_entry_question.is_some();
    let mut rest = hits.into_iter();
    if answered {
        result.best = rest.next();
        result.introduces = result
            .best
            .as_ref()
            .map(|b| introduced(search, b))
            .unwrap_or_default();
    }
    let alternatives: Vec<Hit> = rest.collect();
    for h in &alternatives {
        if result.closest_topics.len() < 3 && !result.closest_topics.contains(&h.entry_question) {
            result.closest_topics.push(h.entry_question.clone());
        }
    }
    result.alternatives = alternatives
        .into_iter()
        .take(settings.alternatives)
        .collect();
    if let Some(best) = &result.best {
        for h in &result.alternatives {
            if h.entry_id != best.entry_id
                && (best.score - h.score <= CLOSE_SCORE
                    || best.signals.coverage - h.signals.coverage <= CLOSE_SCORE / 2.0)
                && !result.did_you_mean.contains(&h.entry_question)
            {
                result.did_you_mean.push(h.entry_question.clone());
            }
        }
    }
    if result.best.is_none() && result.closest_topics.is_empty() {
        result.nothing_matched = true;
        result.closest_topics = search.sample_topics().to_vec();
    }
    (result, ranking)
}

/// The sub-headings a passage that ends with a colon introduces: those after it in its entry (a
/// sub-heading stands over the first paragraph of its section only, so the paragraphs without
/// one are the sections going on). Other passages introduce nothing. The FAQ is read only for
/// such a passage.
fn introduced(search: &Search, hit: &Hit) -> Vec<String> {
    let Some(no) = hit
        .passage_no
        .filter(|_| hit.passage.trim_end().ends_with(':'))
    else {
        return Vec::new();
    };
    let faq = search.faq();
    let Some(entry) = faq.entry(&hit.entry_id) else {
        return Vec::new();
    };
    let mut headings: Vec<String> = Vec::new();
    for p in entry.passages.iter().skip(no as usize + 1) {
        let Some(h) = &p.heading else { continue };
        if !headings.contains(h) {
            headings.push(h.clone());
        }
    }
    headings
}

/// Whether the question asks exactly the best passage's entry question: the same words once
/// analysed, nothing more and nothing less ("What is IL-2?" for "What Is Recombinant Human
/// Interleukin-2?"). An FAQ answers its own questions, however little the words weigh.
pub fn asks_the_entry_question(search: &Search, ranking: &Ranking, best: &Hit) -> bool {
    asks_exactly(search, ranking, best, false)
}

/// Whether the part of a post that asks, with a story around it, asks exactly the passage's
/// entry question.
fn asks_it_around_a_story(search: &Search, ranking: &Ranking, hit: &Hit) -> bool {
    let story = ranking.terms.iter().any(|t| !t.focus);
    story && asks_exactly(search, ranking, hit, true)
}

/// Whether the question's terms (its focus only, with `focus_only`) are the words of the hit's
/// entry question once analysed, all of them known. The entry question is analysed only when
/// the hit holds every one of those terms, as it must then.
fn asks_exactly(search: &Search, ranking: &Ranking, hit: &Hit, focus_only: bool) -> bool {
    let mut asked = std::collections::BTreeSet::new();
    for (bit, t) in ranking.terms.iter().enumerate() {
        if focus_only && !t.focus {
            continue;
        }
        if !t.known || bit >= 64 || hit.signals.matched & (1 << bit) == 0 {
            return false;
        }
        asked.insert(t.text.as_str());
    }
    if asked.is_empty() {
        return false;
    }
    let entry = search.analyzer().terms(&hit.entry_question);
    let entry: std::collections::BTreeSet<&str> = entry.iter().map(String::as_str).collect();
    asked == entry
}

/// Marks a red-flag question urgent and attaches its notice: the notices of the first two
/// matching `urgent.toml` groups, most serious first. Logs the group, never the question.
pub fn mark_urgent(triage: &Triage, crisis_line: &str, answer: &mut Answer) {
    let matches = triage.check_all(&answer.question);
    if matches.is_empty() {
        return;
    }
    tracing::info!(
        groups = %matches.iter().map(|m| m.group.as_str()).collect::<Vec<_>>().join(","),
        "urgent question: the notice goes first"
    );
    let notices: Vec<String> = matches
        .iter()
        .take(2)
        .map(|m| m.notice_with(crisis_line))
        .collect();
    answer.urgent = true;
    answer.urgent_notice = Some(notices.join("\n\n"));
    answer.red_flags = matches;
}
