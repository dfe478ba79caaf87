//! `faqbot eval`: answer every `{"q", "accept"}` line of a JSONL file and measure the answers.
//!
//! A reply is right when its passage contains one of the `accept` snippets, ignoring case, runs of
//! whitespace and curly versus straight quotes. `accept: []` means the bot must not answer.

use crate::answer::confidence::{Evidence, Model, SIGNAL_NAMES};
use crate::answer::reply::quote_hit;
use crate::answer::Engine;
use crate::answer::Hit;
use crate::text::loose;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// One evaluation question.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    /// The question.
    pub q: String,
    /// Snippets of every passage that answers it; empty: the FAQ has no answer.
    #[serde(default)]
    pub accept: Vec<String>,
}

/// Reads a JSONL file of cases.
pub fn read_cases(text: &str, origin: &str) -> Result<Vec<Case>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{origin}:{}: not a valid case", i + 1))
        })
        .collect()
}

/// The question with two letters swapped in the middle of its longest word (of six letters or
/// more), a common typing slip: the evaluation's way to measure typo tolerance.
pub fn with_typo(q: &str) -> String {
    let longest = q
        .split_whitespace()
        .filter(|w| w.chars().all(char::is_alphabetic))
        .max_by_key(|w| w.len());
    match longest {
        Some(w) if w.len() >= 6 => {
            let mut chars: Vec<char> = w.chars().collect();
            let i = chars.len() / 2;
            chars.swap(i - 1, i);
            q.replacen(w, &chars.into_iter().collect::<String>(), 1)
        }
        _ => q.to_string(),
    }
}

/// The cases with [`with_typo`] applied to every question.
pub fn with_typos(cases: &[Case]) -> Vec<Case> {
    cases
        .iter()
        .map(|c| Case {
            q: with_typo(&c.q),
            accept: c.accept.clone(),
        })
        .collect()
}

fn is_right(hit: &Hit, accept: &[String]) -> bool {
    let text = loose(&quote_hit(hit));
    accept.iter().any(|a| text.contains(&loose(a)))
}

/// The figures of one evaluation run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Metrics {
    /// Questions read.
    pub questions: usize,
    /// Questions the FAQ answers.
    pub answerable: usize,
    /// Questions it does not.
    pub unanswerable: usize,
    /// Share of answerable questions answered with a right passage.
    pub top1: f64,
    /// Share of answerable questions whose first ranked passage is right, abstention ignored:
    /// how well the ranking alone does.
    pub ranked_first: f64,
    /// Share of answerable questions with a right passage among the first three ranked.
    pub top3: f64,
    /// Mean reciprocal rank of the first right passage (ranked list, abstention ignored).
    pub mrr: f64,
    /// Share of unanswerable questions that got an answer anyway.
    pub answered_when_should_not: f64,
    /// Share of answerable questions where the bot abstained.
    pub abstained_when_should_not: f64,
    /// Share of all questions handled right (right passage, or abstained when it should).
    pub overall: f64,
    /// Questions handled wrongly, for reading.
    pub misses: Vec<Miss>,
}

/// A question the bot got wrong.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Miss {
    /// The question.
    pub q: String,
    /// What went wrong.
    pub what: String,
}

/// Runs the evaluation.
pub fn evaluate(engine: &Engine, cases: &[Case]) -> Metrics {
    let mut m = Metrics {
        questions: cases.len(),
        ..Default::default()
    };
    let (mut top1, mut first, mut top3, mut rr) = (0usize, 0usize, 0usize, 0f64);
    let (mut wrong_answer, mut wrong_abstain, mut right) = (0usize, 0usize, 0usize);
    for case in cases {
        let a = engine.answer(&case.q);
        let ranked: Vec<&Hit> = a.best.iter().chain(a.alternatives.iter()).collect();
        if case.accept.is_empty() {
            m.unanswerable += 1;
            if let Some(b) = &a.best {
                wrong_answer += 1;
                m.misses.push(Miss {
                    q: case.q.clone(),
                    what: format!("answered but should not: {}", preview(&quote_hit(b))),
                });
            } else {
                right += 1;
            }
            continue;
        }
        m.answerable += 1;
        if let Some(pos) = ranked.iter().position(|h| is_right(h, &case.accept)) {
            rr += 1.0 / (pos as f64 + 1.0);
            if pos == 0 {
                first += 1;
            }
            if pos < 3 {
                top3 += 1;
            }
        }
        match &a.best {
            Some(b) if is_right(b, &case.accept) => {
                top1 += 1;
                right += 1;
            }
            Some(b) => m.misses.push(Miss {
                q: case.q.clone(),
                what: format!("wrong passage: {}", preview(&quote_hit(b))),
            }),
            None => {
                wrong_abstain += 1;
                m.misses.push(Miss {
                    q: case.q.clone(),
                    what: format!(
                        "abstained; first ranked: {}",
                        ranked
                            .first()
                            .map(|h| preview(&quote_hit(h)))
                            .unwrap_or_else(|| "nothing".into())
                    ),
                });
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    m.top1 = ratio(top1, m.answerable);
    m.ranked_first = ratio(first, m.answerable);
    m.top3 = ratio(top3, m.answerable);
    m.mrr = if m.answerable == 0 {
        0.0
    } else {
        rr / m.answerable as f64
    };
    m.answered_when_should_not = ratio(wrong_answer, m.unanswerable);
    m.abstained_when_should_not = ratio(wrong_abstain, m.answerable);
    m.overall = ratio(right, m.questions);
    m
}

fn preview(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = one_line.chars().take(70).collect();
    if cut.len() < one_line.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

impl Metrics {
    /// The human-readable report.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "questions: {} ({} answerable, {} not)\n\
             top-1: {:.3}\nranked first (abstention ignored): {:.3}\ntop-3: {:.3}\nMRR: {:.3}\n\
             answered when it should not: {:.3}\nabstained when it should not: {:.3}\n\
             overall: {:.3}\n",
            self.questions,
            self.answerable,
            self.unanswerable,
            self.top1,
            self.ranked_first,
            self.top3,
            self.mrr,
            self.answered_when_should_not,
            self.abstained_when_should_not,
            self.overall
        );
        if !self.misses.is_empty() {
            out.push_str("\nmisses:\n");
            for miss in &self.misses {
                out.push_str(&format!("- {:?}: {}\n", miss.q, miss.what));
            }
        }
        out
    }
}

/// One question's outcome before any model or threshold: the best candidate's evidence and
/// whether that candidate is right.
#[derive(Debug, Clone)]
pub struct Scored {
    q: String,
    answerable: bool,
    evidence: Evidence,
    has_hits: bool,
    top_right: bool,
    /// Whether something bars the best candidate from answering, whatever the confidence
    /// ([`crate::answer::policy::bar`]).
    barred: bool,
}

/// Ranks every question once (the answer policy does not change the ranking).
pub fn score_cases(engine: &Engine, cases: &[Case]) -> Vec<Scored> {
    cases
        .iter()
        .map(|c| {
            let (a, ranking) = engine.explain(&c.q);
            let top = a.best.as_ref().or(a.alternatives.first());
            Scored {
                q: c.q.clone(),
                answerable: !c.accept.is_empty(),
                evidence: a.evidence,
                has_hits: top.is_some(),
                top_right: top.is_some_and(|h| is_right(h, &c.accept)),
                barred: top
                    .is_some_and(|h| crate::answer::policy::bar(&c.q, &ranking.terms, h).is_some()),
            }
        })
        .collect()
}

/// What a model and threshold do on a set of questions.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Outcome {
    /// Questions.
    pub questions: usize,
    /// Share handled right: the right passage, or an abstention when the FAQ has no answer.
    pub overall: f64,
    /// Share of answerable questions answered with a right passage.
    pub top1: f64,
    /// Share of all questions answered wrongly: a wrong passage, or an answer to an uncovered
    /// question.
    pub wrong: f64,
}

fn outcome(scored: &[&Scored], model: &Model, threshold: f32) -> Outcome {
    let (mut right, mut top1, mut answerable, mut wrong) = (0, 0, 0, 0);
    for s in scored {
        let answers = s.has_hits && !s.barred && model.confidence(&s.evidence) >= threshold;
        if s.answerable {
            answerable += 1;
        }
        match (answers, s.answerable, s.top_right) {
            (true, true, true) => {
                right += 1;
                top1 += 1;
            }
            (true, _, _) => wrong += 1,
            (false, false, _) => right += 1,
            (false, true, _) => {}
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Outcome {
        questions: scored.len(),
        overall: ratio(right, scored.len()),
        top1: ratio(top1, answerable),
        wrong: ratio(wrong, scored.len()),
    }
}

/// The thresholds tried when tuning: 0.05 to 0.95 in steps of 0.01, fine enough that a fold's
/// threshold can fall between two questions' confidences rather than on a coarse step.
fn grid() -> Vec<f32> {
    (5..=95).map(|i| i as f32 * 0.01).collect()
}

/// A wrong answer costs this many abstentions when choosing the threshold: telling a member
/// something the FAQ does not say is worse than saying it has no answer.
const WRONG_COST: f64 = 2.0;

/// The model fitted to `scored` and the threshold that then does best on them (right answers
/// and abstentions, less [`WRONG_COST`] per wrong answer); among equals, the middle one.
pub fn fit(scored: &[&Scored]) -> (Model, f32) {
    let examples: Vec<(Evidence, bool)> = scored
        .iter()
        .filter(|s| s.has_hits)
        .map(|s| (s.evidence, s.answerable && s.top_right))
        .collect();
    let model = Model::fit(&examples).unwrap_or_default();
    let results: Vec<(f32, f64)> = grid()
        .into_iter()
        .map(|t| {
            let o = outcome(scored, &model, t);
            (t, o.overall - WRONG_COST * o.wrong)
        })
        .collect();
    let best = results.iter().map(|r| r.1).fold(f64::MIN, f64::max);
    let ties: Vec<f32> = results
        .iter()
        .filter(|r| (r.1 - best).abs() < 1e-9)
        .map(|r| r.0)
        .collect();
    (model, ties.get(ties.len() / 2).copied().unwrap_or(0.5))
}

/// The result of k-fold cross-validation of the confidence model and threshold.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CrossValidation {
    /// Number of folds.
    pub folds: usize,
    /// The threshold chosen on each fold's training part.
    pub thresholds: Vec<f32>,
    /// All held-out questions, each judged by the model and threshold fitted without its fold.
    pub held_out: Outcome,
    /// The model fitted on all questions.
    pub model_all: Model,
    /// The threshold fitted on all questions.
    pub threshold_all: f32,
    /// The held-out questions handled wrongly, each by the model fitted without its fold: the
    /// misses that say how new questions fail, unlike those of a model fitted on them.
    pub misses: Vec<Miss>,
}

/// What a model and threshold did wrong with one question, if anything.
fn held_out_miss(s: &Scored, model: &Model, threshold: f32) -> Option<Miss> {
    let confidence = model.confidence(&s.evidence);
    let answers = s.has_hits && !s.barred && confidence >= threshold;
    let what = match (answers, s.answerable, s.top_right) {
        (true, true, true) | (false, false, _) => return None,
        (true, true, false) => format!("wrong passage (confidence {confidence:.2})"),
        (true, false, _) => format!("answered but should not (confidence {confidence:.2})"),
        (false, true, _) if !s.has_hits => "nothing found".to_string(),
        (false, true, top_right) => format!(
            "abstained (confidence {confidence:.2} against {threshold:.2}{}); first ranked {}",
            if s.barred { ", barred" } else { "" },
            if top_right { "right" } else { "wrong" }
        ),
    };
    Some(Miss {
        q: s.q.clone(),
        what,
    })
}

/// Fits the confidence model and threshold on k-1 folds and measures them on the held-out fold,
/// k times: an honest estimate of how they generalise. Question `i` belongs to fold `i % k`.
pub fn cross_validate(scored: &[Scored], k: usize) -> CrossValidation {
    let folds: Vec<usize> = (0..scored.len()).collect();
    cross_validate_in(scored, k, &folds)
}

/// [`cross_validate`] with question `i` in fold `folds[i] % k` (`folds` holds one number per
/// question).
fn cross_validate_in(scored: &[Scored], k: usize, folds: &[usize]) -> CrossValidation {
    let k = k.clamp(2, scored.len().max(2));
    let mut thresholds = Vec::with_capacity(k);
    let mut misses = Vec::new();
    let (mut right, mut top1_num, mut answerable, mut wrong) = (0.0, 0.0, 0usize, 0.0);
    let in_fold = |i: usize, fold: usize| folds[i] % k == fold;
    for fold in 0..k {
        let train: Vec<&Scored> = scored
            .iter()
            .enumerate()
            .filter(|(i, _)| !in_fold(*i, fold))
            .map(|(_, s)| s)
            .collect();
        let test: Vec<&Scored> = scored
            .iter()
            .enumerate()
            .filter(|(i, _)| in_fold(*i, fold))
            .map(|(_, s)| s)
            .collect();
        let (model, t) = fit(&train);
        thresholds.push(t);
        misses.extend(test.iter().filter_map(|s| held_out_miss(s, &model, t)));
        let o = outcome(&test, &model, t);
        let n = test.len() as f64;
        let a = test.iter().filter(|s| s.answerable).count();
        right += o.overall * n;
        wrong += o.wrong * n;
        top1_num += o.top1 * a as f64;
        answerable += a;
    }
    let all: Vec<&Scored> = scored.iter().collect();
    let (model_all, threshold_all) = fit(&all);
    let n = scored.len().max(1) as f64;
    CrossValidation {
        folds: k,
        thresholds,
        held_out: Outcome {
            questions: scored.len(),
            overall: right / n,
            top1: if answerable == 0 {
                0.0
            } else {
                top1_num / answerable as f64
            },
            wrong: wrong / n,
        },
        model_all,
        threshold_all,
        misses,
    }
}

/// Cross-validation repeated over `repeats` shuffles of the questions into folds: how much the
/// held-out figures owe to one split. One split of some 200 questions moves a question or two
/// between folds' thresholds; the spread over shuffles says how far a figure can be trusted.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Repeated {
    /// Number of folds of each repeat.
    pub folds: usize,
    /// Each shuffle's held-out outcome, in shuffle order (the seed is the repeat's number).
    pub outcomes: Vec<Outcome>,
}

/// Cross-validates over `repeats` seeded shuffles of the questions (the same shuffles on every
/// run, so figures can be compared across changes).
pub fn repeated_cross_validation(scored: &[Scored], k: usize, repeats: usize) -> Repeated {
    let runs: Vec<CrossValidation> = (0..repeats as u64)
        .map(|seed| cross_validate_in(scored, k, &shuffled(scored.len(), seed)))
        .collect();
    Repeated {
        folds: runs.first().map_or(k, |r| r.folds),
        outcomes: runs.into_iter().map(|r| r.held_out).collect(),
    }
}

/// The numbers `0..n` in an order fixed by `seed` (Fisher-Yates over SplitMix64): a shuffle
/// that needs no random-number crate and never changes between runs or platforms.
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

impl Repeated {
    /// One line per figure: the mean over shuffles, then the lowest and highest.
    pub fn to_text(&self) -> String {
        let line = |name: &str, of: fn(&Outcome) -> f64| {
            let xs: Vec<f64> = self.outcomes.iter().map(of).collect();
            let mean = xs.iter().sum::<f64>() / xs.len().max(1) as f64;
            let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            format!("  {name}: mean {mean:.3}, lowest {lo:.3}, highest {hi:.3}\n")
        };
        if self.outcomes.is_empty() {
            return String::new();
        }
        format!(
            "cross-validation repeated over {} shuffles of the questions ({} folds each):\n{}{}{}",
            self.outcomes.len(),
            self.folds,
            line("overall", |o| o.overall),
            line("top-1", |o| o.top1),
            line("wrong answers", |o| o.wrong),
        )
    }
}

/// Fits on one set of questions and measures on another (e.g. fitted on dev, checked on dev2).
pub fn fit_and_check(train: &[Scored], test: &[Scored]) -> (Model, f32, Outcome) {
    let train: Vec<&Scored> = train.iter().collect();
    let (model, t) = fit(&train);
    let test: Vec<&Scored> = test.iter().collect();
    (model, t, outcome(&test, &model, t))
}

impl Outcome {
    /// One line: overall, top-1 and wrong answers.
    pub fn to_text(&self) -> String {
        format!(
            "{} questions: overall {:.3}, top-1 {:.3}, wrong answers {:.3}",
            self.questions, self.overall, self.top1, self.wrong
        )
    }
}

impl CrossValidation {
    /// The human-readable report.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "cross-validated ({} folds; model and threshold fitted on the other folds): {}\n\
             thresholds chosen per fold: {}\n\
             fitted on all questions: threshold {:.2}, weights {:?} ({}), bias {:.3}\n",
            self.folds,
            self.held_out.to_text(),
            self.thresholds
                .iter()
                .map(|t| format!("{t:.2}"))
                .collect::<Vec<_>>()
                .join(", "),
            self.threshold_all,
            self.model_all.weights,
            SIGNAL_NAMES.join(", "),
            self.model_all.bias,
        );
        if !self.misses.is_empty() {
            out.push_str("\nheld-out misses:\n");
            for miss in &self.misses {
                out.push_str(&format!("- {:?}: {}\n", miss.q, miss.what));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Covered questions whose best passage is right and uncovered ones, told apart by one
    /// signal (coverage), except every seventh, which looks like the other kind: a set no
    /// threshold gets all of.
    fn questions(n: usize) -> Vec<Scored> {
        (0..n)
            .map(|i| {
                let right = i % 2 == 0;
                let looks = if i % 7 == 0 { !right } else { right };
                let mut evidence = Evidence::default();
                evidence.0[0] = if looks { 0.9 } else { 0.1 };
                Scored {
                    q: format!("question {i}"),
                    answerable: right,
                    evidence,
                    has_hits: true,
                    top_right: right,
                    barred: false,
                }
            })
            .collect()
    }

    #[test]
    fn a_shuffle_is_a_fixed_order_of_every_question_that_changes_with_its_seed() {
        let a = shuffled(50, 3);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_eq!(a, shuffled(50, 3), "the same seed, the same order");
        assert_ne!(a, shuffled(50, 4));
        assert_ne!(a, sorted, "shuffled, not the questions' own order");
    }

    #[test]
    fn repeated_cross_validation_measures_each_shuffle_of_the_same_questions() {
        let scored = questions(70);
        let repeated = repeated_cross_validation(&scored, 5, 4);
        assert_eq!(repeated.outcomes.len(), 4);
        assert!(repeated.outcomes.iter().all(|o| o.questions == 70));
        // Every seventh question is misjudged whichever fold it is in: no shuffle gets them.
        assert!(repeated
            .outcomes
            .iter()
            .all(|o| o.overall <= 1.0 - 9.0 / 70.0));
        assert!(repeated.outcomes.iter().all(|o| o.overall > 0.5));
        let text = repeated.to_text();
        assert!(text.contains("4 shuffles"), "{text}");
        assert!(text.contains("top-1: mean"), "{text}");
    }
}
