//! What each answer-quality technique adds: with one technique switched off at a time, the
//! 5-fold cross-validated figures over dev and dev2 together (the confidence model and its
//! threshold fitted on the other folds each time), dev2's figures when fitted on dev alone, and
//! the three blind sets' overall when fitted on dev and dev2: what a technique adds on questions
//! it was not built with. A last pair of rows puts a typo in every question's longest word.
//!
//! Run: `cargo run --release --example ablation`

use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::cli::eval::{cross_validate, fit_and_check, read_cases, score_cases, with_typos, Case};
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

fn read(path: &std::path::Path) -> anyhow::Result<Vec<Case>> {
    read_cases(&std::fs::read_to_string(path)?, &path.display().to_string())
}

fn main() -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dev = read(&root.join("tests/fixtures/dev.jsonl"))?;
    let dev2 = read(&root.join("tests/fixtures/dev2.jsonl"))?;
    let both: Vec<Case> = dev.iter().chain(&dev2).cloned().collect();
    let blind = read(&root.join("tests/fixtures/blind.jsonl"))?;
    let blind2 = read(&root.join("tests/fixtures/blind2.jsonl"))?;
    let blind3 = read(&root.join("tests/fixtures/blind3.jsonl"))?;
    let full = load_faq(&FaqSource::Dir(root.join("faq"))).map_err(|p| anyhow::anyhow!("{p:?}"))?;
    let mut no_synonyms = full.clone();
    no_synonyms.faq.synonyms.groups.clear();
    let mut no_alternates = full.clone();
    for e in &mut no_alternates.faq.entries {
        e.meta.aliases.clear();
        for p in &mut e.passages {
            p.questions.clear();
        }
    }
    let all = Features::default();
    let without = |f: fn(&mut Features)| {
        let mut features = all;
        f(&mut features);
        features
    };
    type Run<'a> = (&'a str, &'a LoadedFaq, Features, bool);
    let runs: Vec<Run> = vec![
        ("full", &full, all, false),
        ("without synonyms", &no_synonyms, all, false),
        (
            "without aliases and passage questions",
            &no_alternates,
            all,
            false,
        ),
        (
            "without English word frequencies",
            &full,
            without(|f| f.english = false),
            false,
        ),
        (
            "without names counted as specific",
            &full,
            without(|f| f.names = false),
            false,
        ),
        (
            "without the question's focus",
            &full,
            without(|f| f.focus = false),
            false,
        ),
        (
            "without typo correction",
            &full,
            without(|f| f.typos = false),
            false,
        ),
        (
            "without phrase proximity",
            &full,
            without(|f| f.phrases = false),
            false,
        ),
        (
            "without the question match",
            &full,
            without(|f| f.question_match = false),
            false,
        ),
        (
            "without leaving out words only inside phrases",
            &full,
            without(|f| f.phrase_words = false),
            false,
        ),
        (
            "without the own-passage preference",
            &full,
            without(|f| f.own_passage = false),
            false,
        ),
        ("full, every question with a typo", &full, all, true),
        (
            "without typo correction, every question with a typo",
            &full,
            without(|f| f.typos = false),
            true,
        ),
    ];
    println!("| pipeline | CV overall | CV top-1 | CV wrong | dev2 overall (fitted on dev) | dev2 top-1 | dev2 wrong | blind overall (fitted on dev ∪ dev2) | blind2 overall | blind3 overall |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (name, loaded, features, typo) in runs {
        let e = engine(loaded, features)?;
        let (dev, dev2, both, blind, blind2, blind3) = if typo {
            (
                with_typos(&dev),
                with_typos(&dev2),
                with_typos(&both),
                with_typos(&blind),
                with_typos(&blind2),
                with_typos(&blind3),
            )
        } else {
            (
                dev.clone(),
                dev2.clone(),
                both.clone(),
                blind.clone(),
                blind2.clone(),
                blind3.clone(),
            )
        };
        let cv = cross_validate(&score_cases(&e, &both), 5).held_out;
        let (_, _, d2) = fit_and_check(&score_cases(&e, &dev), &score_cases(&e, &dev2));
        let scored_both = score_cases(&e, &both);
        let (_, _, b1) = fit_and_check(&scored_both, &score_cases(&e, &blind));
        let (_, _, b2) = fit_and_check(&scored_both, &score_cases(&e, &blind2));
        let (_, _, b3) = fit_and_check(&scored_both, &score_cases(&e, &blind3));
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            cv.overall,
            cv.top1,
            cv.wrong,
            d2.overall,
            d2.top1,
            d2.wrong,
            b1.overall,
            b2.overall,
            b3.overall
        );
    }
    Ok(())
}
