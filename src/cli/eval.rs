//! `faqbot eval`: answer every `{"q", "accept"}` line of a JSONL file and measure the answers.
//!
//! A reply is right when its passage contains one of the `accept` snippets, ignoring case, runs of
//! whitespace and curly versus straight quotes. `accept: []` means the bot must not answer.

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
    let (mut top1, mut top3, mut rr, mut wrong_answer, mut wrong_abstain, mut right) =
        (0usize, 0usize, 0f64, 0usize, 0usize, 0usize);
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
             top-1: {:.3}\ntop-3: {:.3}\nMRR: {:.3}\n\
             answered when it should not: {:.3}\nabstained when it should not: {:.3}\n\
             overall: {:.3}\n",
            self.questions,
            self.answerable,
            self.unanswerable,
            self.top1,
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

/// One question's outcome before any threshold: the best candidate's coverage and whether it
/// (and the candidates after it) are right.
struct Scored {
    answerable: bool,
    top_coverage: f32,
    top_right: bool,
}

fn score_cases(engine: &Engine, cases: &[Case]) -> Vec<Scored> {
    cases
        .iter()
        .map(|c| {
            let hits = engine.search().ranked(&c.q, 1);
            Scored {
                answerable: !c.accept.is_empty(),
                top_coverage: hits.first().map_or(0.0, |h| h.coverage),
                top_right: hits.first().is_some_and(|h| is_right(h, &c.accept)),
            }
        })
        .collect()
}

/// Share of questions handled right at a threshold: the right passage when it answers, an
/// abstention when the FAQ has no answer.
fn overall_at(scored: &[&Scored], threshold: f32) -> f64 {
    if scored.is_empty() {
        return 0.0;
    }
    let right = scored
        .iter()
        .filter(|s| {
            let answers = s.top_coverage > 0.0 && s.top_coverage >= threshold;
            if s.answerable {
                answers && s.top_right
            } else {
                !answers
            }
        })
        .count();
    right as f64 / scored.len() as f64
}

/// The thresholds tried when tuning: 0.20 to 0.80 in steps of 0.05.
fn grid() -> Vec<f32> {
    (4..=16).map(|i| i as f32 * 0.05).collect()
}

/// The threshold with the best overall accuracy; among equals, the middle one.
fn best_threshold(scored: &[&Scored]) -> f32 {
    let results: Vec<(f32, f64)> = grid()
        .into_iter()
        .map(|t| (t, overall_at(scored, t)))
        .collect();
    let best = results.iter().map(|r| r.1).fold(0.0, f64::max);
    let ties: Vec<f32> = results
        .iter()
        .filter(|r| (r.1 - best).abs() < 1e-9)
        .map(|r| r.0)
        .collect();
    ties.get(ties.len() / 2).copied().unwrap_or(0.45)
}

/// The result of k-fold cross-validation of the abstention threshold.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CrossValidation {
    /// Number of folds.
    pub folds: usize,
    /// The threshold chosen on each fold's training part.
    pub thresholds: Vec<f32>,
    /// Overall accuracy over all held-out questions, each judged with its fold's threshold.
    pub overall: f64,
    /// The threshold the whole set would choose.
    pub threshold_all: f32,
}

/// Tunes the abstention threshold on k-1 folds and measures it on the held-out fold, k times:
/// an honest estimate of how the threshold generalises. Question `i` belongs to fold `i % k`.
pub fn cross_validate(engine: &Engine, cases: &[Case], k: usize) -> CrossValidation {
    let k = k.clamp(2, cases.len().max(2));
    let scored = score_cases(engine, cases);
    let mut thresholds = Vec::with_capacity(k);
    let mut right = 0.0;
    for fold in 0..k {
        let train: Vec<&Scored> = scored
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != fold)
            .map(|(_, s)| s)
            .collect();
        let test: Vec<&Scored> = scored
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k == fold)
            .map(|(_, s)| s)
            .collect();
        let t = best_threshold(&train);
        thresholds.push(t);
        right += overall_at(&test, t) * test.len() as f64;
    }
    let all: Vec<&Scored> = scored.iter().collect();
    CrossValidation {
        folds: k,
        thresholds,
        overall: if scored.is_empty() {
            0.0
        } else {
            right / scored.len() as f64
        },
        threshold_all: best_threshold(&all),
    }
}

impl CrossValidation {
    /// The human-readable report.
    pub fn to_text(&self) -> String {
        format!(
            "cross-validated overall ({} folds, threshold tuned on the other folds): {:.3}\n\
             thresholds chosen per fold: {}\nthreshold chosen on all questions: {:.2}\n",
            self.folds,
            self.overall,
            self.thresholds
                .iter()
                .map(|t| format!("{t:.2}"))
                .collect::<Vec<_>>()
                .join(", "),
            self.threshold_all
        )
    }
}
