//! Why the bot answered or abstained (`faqbot ask --explain`): the analysed question with each
//! term's weight, typo corrections and English specificity, the best candidates with their
//! signals and matched and missing terms, the confidence and the decision. It is how a
//! moderator finds what to add to the FAQ, and how a miss is traced to its cause.

use super::confidence::SIGNAL_NAMES;
use super::policy::Bar;
use super::{Answer, AnswerSettings, Hit};
use crate::search::rank::{QTerm, Ranking, Respelt};
use serde::Serialize;

/// The explanation of one answer.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Misspelt words of the question and the words they were read as, before analysis.
    pub respelt: Vec<Respelt>,
    /// Words of the question the FAQ uses only inside a synonym phrase, left out.
    pub in_phrases: Vec<String>,
    /// The question's terms, in order.
    pub terms: Vec<TermView>,
    /// The best candidates, best first.
    pub candidates: Vec<CandidateView>,
    /// The signals of the best candidate, by name.
    pub evidence: Vec<(&'static str, f32)>,
    /// The confidence the model gives them.
    pub confidence: f32,
    /// The least confidence for answering (`[answer] min_coverage`).
    pub threshold: f32,
    /// Whether the bot answered.
    pub answered: bool,
    /// Why, in a line.
    pub why: String,
    /// The red-flag groups the question matched (and their patterns).
    pub urgent: Vec<String>,
}

/// One term of the analysed question.
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    /// The index term (stemmed, or a synonym group's term).
    pub term: String,
    /// The word as written, when it is one word outside a synonym phrase.
    pub word: Option<String>,
    /// Its weight in the question.
    pub weight: f32,
    /// Whether the FAQ uses it.
    pub known: bool,
    /// The word it was corrected from, for a typo.
    pub corrected_from: Option<String>,
    /// Whether it is in the part of the post that asks.
    pub focus: bool,
    /// For a word the FAQ never uses: how specific it is in English (0 neutral, 1 against).
    pub specificity: Option<f32>,
}

/// One candidate passage.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateView {
    /// The entry's id.
    pub entry_id: String,
    /// The passage's sub-heading, if any.
    pub heading: Option<String>,
    /// The passage text: which paragraph it is, when an entry has several without a heading.
    pub passage: String,
    /// The ranking score.
    pub score: f32,
    /// The signals the ranking measured.
    pub signals: crate::search::Signals,
    /// Question terms the passage (or its entry's question and aliases) holds.
    pub matched: Vec<String>,
    /// Question terms it does not hold.
    pub missing: Vec<String>,
}

impl Explanation {
    /// Explains an answer from the ranking it came from.
    pub fn new(
        answer: &Answer,
        ranking: &Ranking,
        settings: &AnswerSettings,
        urgent: Vec<String>,
    ) -> Self {
        let terms = ranking.terms.iter().map(term_view).collect();
        let respelt = ranking.respelt.clone();
        let candidates = answer
            .best
            .iter()
            .chain(&answer.alternatives)
            .map(|h| candidate_view(h, &ranking.terms))
            .collect();
        let answered = answer.best.is_some();
        let threshold = settings.min_coverage;
        let why = if answer.nothing_matched {
            "no word of the question is in the FAQ".to_string()
        } else if answered && answer.confidence < threshold {
            format!(
                "confidence {:.2} is below {threshold:.2}, but the question (or the part of the post \
                 that asks) is the best candidate's own entry question: answered with it",
                answer.confidence
            )
        } else if answered {
            format!(
                "confidence {:.2} reaches {threshold:.2}: answered with the best candidate",
                answer.confidence
            )
        } else {
            let confidence = answer.confidence;
            let bar = answer
                .alternatives
                .first()
                .and_then(|h| super::policy::bar(&answer.question, &ranking.terms, h));
            match bar {
                // A bar is named even below the threshold: it is what a moderator can act on.
                Some(bar) if confidence >= threshold => format!(
                    "confidence {confidence:.2} reaches {threshold:.2}, but {}: not answered",
                    bar_reason(&bar)
                ),
                Some(bar) => format!(
                    "confidence {confidence:.2} is below {threshold:.2}, and {}: not answered",
                    bar_reason(&bar)
                ),
                None => format!(
                    "confidence {confidence:.2} is below {threshold:.2}: the FAQ does not cover \
                     it well enough"
                ),
            }
        };
        Explanation {
            respelt,
            in_phrases: ranking.in_phrases.clone(),
            terms,
            candidates,
            evidence: SIGNAL_NAMES.into_iter().zip(answer.evidence.0).collect(),
            confidence: answer.confidence,
            threshold,
            answered,
            why,
            urgent,
        }
    }

    /// The explanation as text, for a moderator at a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::from("Why:\n");
        for r in &self.respelt {
            out.push_str(&format!(
                "  read \"{}\" as \"{}\" (a misspelling)\n",
                r.from, r.to
            ));
        }
        for w in &self.in_phrases {
            out.push_str(&format!(
                "  left out \"{w}\": the FAQ uses it only inside a synonym phrase (synonyms.toml)\n"
            ));
        }
        out.push_str("  question terms (* = in the part that asks):\n");
        for t in &self.terms {
            let mut line = format!(
                "    {}{} {:.2}",
                t.term,
                if t.focus { "*" } else { "" },
                t.weight + 0.0
            );
            if let Some(w) = t.word.as_deref().filter(|w| *w != t.term) {
                line.push_str(&format!("  from \"{w}\""));
            }
            if let Some(from) = &t.corrected_from {
                line.push_str(&format!("  corrected from \"{from}\""));
            }
            if !t.known {
                line.push_str(&format!(
                    "  not in the FAQ (specificity {:.2})",
                    t.specificity.unwrap_or(1.0)
                ));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("  candidates:\n");
        for (i, c) in self.candidates.iter().enumerate() {
            out.push_str(&format!(
                "    {}. {}{}  score {:.3}  coverage {:.2}  own {:.2}  bm25 {:.2}\n       matched: {}\n       missing: {}\n",
                i + 1,
                c.entry_id,
                c.heading.as_deref().map(|h| format!(" § {h}")).unwrap_or_default(),
                c.score,
                c.signals.coverage + 0.0,
                c.signals.own + 0.0,
                c.signals.bm25,
                c.matched.join(", "),
                c.missing.join(", "),
            ));
        }
        let evidence: Vec<String> = self
            .evidence
            .iter()
            // `+ 0.0` shows a negative zero as 0.00.
            .map(|(n, v)| format!("{n} {:.2}", v + 0.0))
            .collect();
        out.push_str(&format!("  signals: {}\n", evidence.join(", ")));
        for u in &self.urgent {
            out.push_str(&format!("  red flag: {u}\n"));
        }
        out.push_str(&format!("  decision: {}\n", self.why));
        out
    }
}

/// Why a bar keeps the best candidate from answering, as a clause.
fn bar_reason(bar: &Bar) -> String {
    match bar {
        Bar::Untopical => "the best candidate shares only everyday English words of its alternate \
                           questions with the question, none that says what it is about"
            .to_string(),
        Bar::Everyday => "the best candidate shares only everyday English words of its text with \
                          the question, and no alias or alternate question foresaw it"
            .to_string(),
        Bar::Experience => {
            "the post asks members about their own experience, which the FAQ does not give"
                .to_string()
        }
        Bar::Unnamed(name) => {
            format!("the question asks about \"{name}\", a name the FAQ never mentions")
        }
        Bar::Unstated(m) => format!(
            "the question asks for {} and the best candidate states none",
            m.described()
        ),
    }
}

fn term_view(q: &QTerm) -> TermView {
    TermView {
        term: q.text.clone(),
        word: q.word.clone(),
        weight: q.weight,
        known: q.known,
        corrected_from: q.corrected_from.clone(),
        focus: q.focus,
        specificity: q.specificity,
    }
}

fn candidate_view(h: &Hit, terms: &[QTerm]) -> CandidateView {
    let (mut matched, mut missing) = (Vec::new(), Vec::new());
    for (bit, t) in terms.iter().enumerate().take(64) {
        if h.signals.matched & (1 << bit) != 0 {
            matched.push(t.text.clone());
        } else {
            missing.push(t.text.clone());
        }
    }
    CandidateView {
        entry_id: h.entry_id.clone(),
        heading: h.heading.clone(),
        passage: h.passage.clone(),
        score: h.score,
        signals: h.signals,
        matched,
        missing,
    }
}
