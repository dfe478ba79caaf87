//! What each answer-quality technique adds: evaluates the dev set with the full pipeline and
//! with one technique switched off at a time, plus a copy of the dev set with a typo in every
//! question's longest word.
//!
//! Run: `cargo run --release --example ablation [FILE.jsonl]`

use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::cli::eval::{evaluate, read_cases, Case, Metrics};
use faqbot::faq::load::{load_faq, LoadedFaq};
use faqbot::faq::FaqSource;
use faqbot::search::rank::Features;

fn engine(loaded: &LoadedFaq, features: Features) -> anyhow::Result<Engine> {
    let settings = AnswerSettings {
        features,
        ..AnswerSettings::default()
    };
    Ok(Engine::from_loaded(
        loaded.clone(),
        &IndexLocation::Memory,
        settings,
        true,
    )?)
}

/// Swaps two letters in the middle of the question's longest word (a common typing slip).
fn with_typo(q: &str) -> String {
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

fn row(name: &str, m: &Metrics) {
    println!(
        "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
        m.top1, m.top3, m.mrr, m.answered_when_should_not, m.abstained_when_should_not, m.overall
    );
}

fn main() -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("tests/fixtures/dev.jsonl"));
    let cases = read_cases(
        &std::fs::read_to_string(&file)?,
        &file.display().to_string(),
    )?;
    let typo_cases: Vec<Case> = cases
        .iter()
        .map(|c| Case {
            q: with_typo(&c.q),
            accept: c.accept.clone(),
        })
        .collect();
    let full = load_faq(&FaqSource::Dir(root.join("faq"))).map_err(|p| anyhow::anyhow!("{p:?}"))?;
    let mut no_synonyms = full.clone();
    no_synonyms.faq.synonyms.groups.clear();
    let mut no_aliases = full.clone();
    for e in &mut no_aliases.faq.entries {
        e.meta.aliases.clear();
    }
    let all = Features::default();
    let off = Features {
        typos: false,
        phrases: false,
        coverage: false,
        own_passage: false,
        focus: false,
        english: false,
    };

    let mut bare = no_synonyms.clone();
    for e in &mut bare.faq.entries {
        e.meta.aliases.clear();
    }
    let without = |f: fn(&mut Features)| {
        let mut features = all;
        f(&mut features);
        features
    };
    let runs: Vec<(&str, &LoadedFaq, Features, &[Case])> = vec![
        ("full", &full, all, &cases),
        ("without synonyms", &no_synonyms, all, &cases),
        ("without aliases", &no_aliases, all, &cases),
        (
            "without typo correction",
            &full,
            without(|f| f.typos = false),
            &cases,
        ),
        (
            "without phrase proximity",
            &full,
            without(|f| f.phrases = false),
            &cases,
        ),
        (
            "without own-passage preference",
            &full,
            without(|f| f.own_passage = false),
            &cases,
        ),
        (
            "without coverage (BM25 order, never abstains)",
            &full,
            without(|f| f.coverage = false),
            &cases,
        ),
        (
            "bare BM25 (stemming and stop words only)",
            &bare,
            off,
            &cases,
        ),
        ("full, every question with a typo", &full, all, &typo_cases),
        (
            "without typo correction, every question with a typo",
            &full,
            without(|f| f.typos = false),
            &typo_cases,
        ),
    ];
    println!("| pipeline | top-1 | top-3 | MRR | answered when it should not | abstained when it should not | overall |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (name, loaded, features, set) in runs {
        row(name, &evaluate(&engine(loaded, features)?, set));
    }
    Ok(())
}
