//! The one object the front ends hold: a FAQ's search engine, its red-flag rules and the answer
//! settings. The CLI and the Discord bot open it the same way and get the same [`Answer`].

use super::{policy, Answer};
use crate::faq::load::LoadedFaq;
use crate::faq::{Faq, FaqSource};
use crate::problem::Problem;
use crate::search::rank::{Features, Ranking};
use crate::search::{IndexLocation, OpenError, Search};
use crate::triage::Triage;
use std::sync::Arc;

/// Tuning knobs for answering.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerSettings {
    /// Least share (0-1) of the question's weighted terms the best passage must cover.
    pub min_coverage: f32,
    /// How many alternative passages to return.
    pub alternatives: usize,
    /// Which ranking techniques are on (all by default; switched off only to measure them).
    pub features: Features,
    /// Fills `{crisis_line}` in urgent notices (`[answer] crisis_line`).
    pub crisis_line: String,
    /// The confidence model (see [`super::confidence`]).
    pub model: super::confidence::Model,
}

impl Default for AnswerSettings {
    fn default() -> Self {
        AnswerSettings {
            min_coverage: policy::DEFAULT_MIN_COVERAGE,
            alternatives: 3,
            features: Features::default(),
            crisis_line: crate::triage::DEFAULT_CRISIS_LINE.to_string(),
            model: Default::default(),
        }
    }
}

/// A FAQ ready to answer questions.
pub struct Engine {
    search: Search,
    triage: Triage,
    settings: AnswerSettings,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("search", &self.search)
            .finish()
    }
}

impl Engine {
    /// Loads the red-flag rules and opens the FAQ's index, building it when missing, stale or
    /// damaged. An index folder that cannot be written falls back to memory with a warning.
    pub fn open(
        source: &FaqSource,
        location: &IndexLocation,
        settings: AnswerSettings,
    ) -> Result<Engine, OpenError> {
        let features = settings.features;
        Self::with_rules(source, settings, || {
            Search::open(source, location, features)
        })
    }

    /// Like [`Engine::open`] but always builds the index again.
    pub fn rebuild(
        source: &FaqSource,
        location: &IndexLocation,
        settings: AnswerSettings,
    ) -> Result<Engine, OpenError> {
        let features = settings.features;
        Self::with_rules(source, settings, || {
            Search::rebuild(source, location, features)
        })
    }

    /// Opens an engine for an already loaded FAQ, with the red-flag rules it was loaded with.
    pub fn from_loaded(
        loaded: LoadedFaq,
        location: &IndexLocation,
        settings: AnswerSettings,
        force_rebuild: bool,
    ) -> Result<Engine, OpenError> {
        let source = loaded.source.clone();
        let features = settings.features;
        Self::with_rules(&source, settings, || {
            Search::from_loaded(loaded, location, features, force_rebuild)
        })
    }

    /// Opens the search with `open` beside the source's red-flag rules (from the text the
    /// open read with the FAQ, else from the source); the problems of both are reported
    /// together, in file order.
    fn with_rules(
        source: &FaqSource,
        settings: AnswerSettings,
        open: impl FnOnce() -> Result<Search, OpenError>,
    ) -> Result<Engine, OpenError> {
        match open() {
            Ok(mut search) => {
                let triage = match search.take_urgent_file() {
                    Some(f) => Triage::parse(&f.file, &f.text),
                    None => crate::triage::load(source),
                };
                let triage = triage.map_err(OpenError::Invalid)?;
                Ok(Engine {
                    search,
                    triage,
                    settings,
                })
            }
            Err(OpenError::Invalid(problems)) => match crate::triage::load(source) {
                Ok(_) => Err(OpenError::Invalid(problems)),
                Err(more) => Err(OpenError::Invalid(merge_problems(problems, more))),
            },
            Err(e) => Err(e),
        }
    }

    /// Answers a question. Any string is accepted; nothing here fails or panics on user text.
    pub fn answer(&self, question: &str) -> Answer {
        self.explain(question).0
    }

    /// Answers a question and keeps what the ranking saw (the analysed question), for
    /// `--explain` and evaluation.
    pub fn explain(&self, question: &str) -> (Answer, Ranking) {
        let (mut answer, ranking) = policy::answer(&self.search, &self.settings, question);
        policy::mark_urgent(&self.triage, &self.settings.crisis_line, &mut answer);
        (answer, ranking)
    }

    /// Answers a question and says why (`faqbot ask --explain`).
    pub fn explanation(&self, question: &str) -> (Answer, super::explain::Explanation) {
        let (answer, ranking) = self.explain(question);
        let urgent = answer
            .red_flags
            .iter()
            .map(|m| {
                format!(
                    "{} (pattern \"{}\", raised by \"{}\")",
                    m.group, m.pattern, m.words
                )
            })
            .collect();
        let why = super::explain::Explanation::new(&answer, &ranking, &self.settings, urgent);
        (answer, why)
    }

    /// Answers with another answer policy (to measure one in evaluation).
    pub fn answer_with(&self, settings: &AnswerSettings, question: &str) -> (Answer, Ranking) {
        let (mut answer, ranking) = policy::answer(&self.search, settings, question);
        policy::mark_urgent(&self.triage, &settings.crisis_line, &mut answer);
        (answer, ranking)
    }

    /// The search engine underneath (ranking, the analyser, the index).
    pub fn search(&self) -> &Search {
        &self.search
    }

    /// The red-flag rules.
    pub fn triage(&self) -> &Triage {
        &self.triage
    }

    /// The FAQ this engine answers from, read from its files on first use.
    pub fn faq(&self) -> &Arc<Faq> {
        self.search.faq()
    }

    /// Number of entries in the FAQ.
    pub fn entry_count(&self) -> usize {
        self.search.entry_count()
    }

    /// Number of passages in the FAQ.
    pub fn passage_count(&self) -> usize {
        self.search.passage_count()
    }

    /// The fingerprint of the FAQ files.
    pub fn fingerprint(&self) -> &str {
        self.search.fingerprint()
    }

    /// The answer settings.
    pub fn settings(&self) -> &AnswerSettings {
        &self.settings
    }

    /// Where the index is stored (`None`: memory).
    pub fn index_path(&self) -> Option<&std::path::Path> {
        self.search.index_path()
    }

    /// Whether the index was (re)built when opening, rather than reused.
    pub fn rebuilt(&self) -> bool {
        self.search.rebuilt()
    }
}

/// Checks every FAQ file, the red-flag rules included, as `faqbot check` and a reload do: the
/// loaded FAQ when all are valid, else every problem in file order.
pub fn check_faq(source: &FaqSource) -> Result<(LoadedFaq, Triage), Vec<Problem>> {
    match crate::faq::load_faq(source) {
        Ok(loaded) => {
            let triage = Triage::parse(&loaded.urgent.file, &loaded.urgent.text)?;
            Ok((loaded, triage))
        }
        Err(p) => match crate::triage::load(source) {
            Ok(_) => Err(p),
            Err(more) => Err(merge_problems(p, more)),
        },
    }
}

/// Two lists of problems as one, in file order (a file's problems keep their order), each
/// reported once.
fn merge_problems(mut problems: Vec<Problem>, mut more: Vec<Problem>) -> Vec<Problem> {
    problems.append(&mut more);
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    problems.dedup();
    problems
}
