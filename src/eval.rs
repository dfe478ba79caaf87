//! `faqbot eval`: answer every `{"q", "accept"}` line of a JSONL file and measure the answers.
//!
//! A reply is right when its passage contains one of the `accept` snippets, ignoring case, runs of
//! whitespace and curly versus straight quotes. `accept: []` means the bot must not answer.

use crate::answer::Hit;
use crate::search::Engine;
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

/// Lowercase, straight quotes, single spaces.
pub fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201f}' | '\u{2033}' => '"',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_right(hit: &Hit, accept: &[String]) -> bool {
    let text = normalise(&hit.quoted());
    accept.iter().any(|a| text.contains(&normalise(a)))
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
                    what: format!("answered but should not: {}", preview(&b.quoted())),
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
                what: format!("wrong passage: {}", preview(&b.quoted())),
            }),
            None => {
                wrong_abstain += 1;
                m.misses.push(Miss {
                    q: case.q.clone(),
                    what: format!(
                        "abstained; first ranked: {}",
                        ranked
                            .first()
                            .map(|h| preview(&h.quoted()))
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
