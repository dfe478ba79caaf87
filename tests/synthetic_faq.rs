//! The synthetic benchmark FAQ: deterministic, valid, and usable by every command.

use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::faq::load::load_faq;
use faqbot::faq::synthetic::{generate, questions};
use faqbot::faq::FaqSource;

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn same_seed_same_files_and_they_are_valid() {
    let (a, b, c) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
        tempfile::tempdir().expect("c"),
    );
    generate(a.path(), 30, 7).expect("generate");
    generate(b.path(), 30, 7).expect("generate");
    generate(c.path(), 30, 8).expect("generate");
    assert_eq!(files(a.path()), files(b.path()), "deterministic");
    assert_ne!(files(a.path()), files(c.path()), "the seed matters");
    assert_eq!(questions(5, 7), questions(5, 7));

    let loaded =
        load_faq(&FaqSource::Dir(a.path().to_path_buf())).expect("faqbot check accepts it");
    assert_eq!(loaded.faq.entries.len(), 30);
    for e in &loaded.faq.entries {
        assert!(
            (3..=8).contains(&e.passages.len()),
            "{} has {} passages",
            e.meta.id,
            e.passages.len()
        );
        for p in &e.passages {
            let words = p.text.split_whitespace().count();
            assert!((40..=120).contains(&words), "{words} words");
        }
    }
}

#[test]
fn the_engine_answers_from_a_synthetic_faq_on_disk() {
    let tmp = tempfile::tempdir().expect("tmp");
    let faq = tmp.path().join("faq");
    generate(&faq, 40, 3).expect("generate");
    let loaded = load_faq(&FaqSource::Dir(faq.clone())).expect("valid");
    let entry = &loaded.faq.entries[5];
    let question = entry.meta.question.clone();
    let location = IndexLocation::Dir(tmp.path().join("index"));
    let e = Engine::open(
        &FaqSource::Dir(faq.clone()),
        &location,
        AnswerSettings::default(),
    )
    .expect("open");
    assert!(e.rebuilt());
    assert_eq!(e.entry_count(), 40);
    assert_eq!(
        e.answer(&question).best.map(|b| b.entry_id),
        Some(entry.meta.id.clone())
    );
    let again =
        Engine::open(&FaqSource::Dir(faq), &location, AnswerSettings::default()).expect("open");
    assert!(!again.rebuilt(), "fresh index reused");
}
