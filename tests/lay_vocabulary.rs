//! The shipped `faq/synonyms.toml`: the ways members say things fold into the FAQ's own words,
//! and lay questions reach the passage that answers them.

use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::faq::load::load_synonyms;
use faqbot::faq::FaqSource;
use faqbot::search::analyze::Analyzer;

fn shipped() -> FaqSource {
    FaqSource::Dir(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("faq"))
}

/// (what members write, the FAQ's words for it).
const SAME: &[(&str, &str)] = &[
    ("throwing up", "nausea"),
    ("queasy", "nausea"),
    ("germs", "Escherichia coli"),
    ("bacteria", "E. coli"),
    ("live longer", "survival"),
    ("stay alive", "survival"),
    ("the upside", "benefits"),
    ("what good", "benefits"),
    ("the success rate", "response rate"),
    ("does it work", "effectiveness"),
    ("a small protein", "peptide"),
    ("immune messenger", "cytokine"),
    ("T cells multiplying", "T-cell proliferation"),
    ("natural killer cells", "NK cells"),
    ("stage four", "metastatic"),
    ("secondaries", "metastatic"),
    ("kidney cancer", "renal cell carcinoma"),
    ("a jab", "injection"),
    ("under the skin", "subcutaneous"),
    ("straight into the lump", "intralesional"),
    ("meds beforehand", "premedication"),
    ("a bad reaction", "reactions"),
    ("low BP", "hypotension"),
    ("a high temp", "fever"),
    ("day case", "outpatient"),
    ("a drip", "intravenous infusion"),
    ("a cannula", "small tube"),
    ("keep an eye on", "monitored"),
    ("how much I weigh", "body weight"),
    ("talk to", "discuss"),
    ("immune therapy", "immunotherapy"),
    ("cancer-free", "remission"),
    ("FDA licensed", "FDA approval"),
    ("HIV", "HIV/AIDS"),
    ("half of people", "50% of people"),
    (
        "differs from person to person",
        "vary from person to person",
    ),
    ("apart from cancer", "outside of cancer"),
    ("illnesses", "conditions"),
    ("proof", "confirm"),
    ("came back", "recurring"),
    ("haven't had any treatment", "not been treated before"),
];

/// Each lay wording gives every term of the FAQ's wording (and may give more: "meds beforehand"
/// is also "meds").
#[test]
fn members_words_fold_into_the_faq_words() {
    let a = Analyzer::new(&load_synonyms(&shipped()).expect("valid synonyms"));
    let apart: Vec<String> = SAME
        .iter()
        .map(|(lay, faq)| (lay, a.terms(lay), faq, a.terms(faq)))
        .filter(|(_, l, _, f)| f.is_empty() || !f.iter().all(|t| l.contains(t)))
        .map(|(lay, l, faq, f)| format!("{lay:?} {l:?} vs {faq:?} {f:?}"))
        .collect();
    assert!(apart.is_empty(), "{apart:#?}");
    // Not the same thing: cancer is not a tumour, a lower response rate is not a lower dose.
    assert!(a
        .terms("cancer")
        .iter()
        .all(|t| !a.terms("tumor").contains(t)));
    assert!(a
        .terms("lower")
        .iter()
        .all(|t| !a.terms("low dose").contains(t)));
}

#[test]
fn lay_questions_reach_the_passage_that_answers_them() {
    let e = Engine::open(
        &shipped(),
        &IndexLocation::Memory,
        AnswerSettings::default(),
    )
    .expect("engine");
    let heading = |q: &str| {
        let best = e
            .answer(q)
            .best
            .unwrap_or_else(|| panic!("no answer to {q:?}"));
        (best.entry_id, best.heading, best.passage)
    };
    for (q, want) in [
        ("will the premeds stop me throwing up?", "premedication"),
        ("is it made from germs?", "Escherichia coli"),
        ("can they do it as a day case with a jab?", "Subcutaneous"),
        ("do they put a cannula in for the drip?", "small tube"),
        ("what's the upside of aldesleukin?", "powerful treatment"),
    ] {
        let (_, h, text) = heading(q);
        let shown = format!("{} {text}", h.unwrap_or_default());
        assert!(shown.contains(want), "{q:?} -> {shown}");
    }
}
