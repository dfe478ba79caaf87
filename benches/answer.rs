//! Criterion: answer latency on the article FAQ, the full pipeline (analysis, synonyms, typo
//! correction, search, coverage, passage choice and the reply text), index open.
//!
//! Run: `cargo bench --bench answer`

use criterion::{criterion_group, criterion_main, Criterion};
use faqbot::answer::{Referral, Reply};
use faqbot::faq::FaqSource;
use faqbot::search::engine::{AnswerSettings, Engine, IndexLocation};

fn questions() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join("tests/fixtures/dev.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["q"].as_str().map(str::to_string))
        .collect()
}

fn article(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tmp");
    let engine = Engine::open(
        &FaqSource::Dir(root.join("faq")),
        &IndexLocation::Dir(tmp.path().join("index")),
        AnswerSettings::default(),
    )
    .expect("engine");
    let referral = Referral::default();
    let qs = questions();
    let mut i = 0;
    c.bench_function("answer/article (dev questions in turn)", |b| {
        b.iter(|| {
            let q = &qs[i % qs.len()];
            i += 1;
            let a = engine.answer(q);
            std::hint::black_box(Reply::for_answer(&a, &referral).to_text())
        })
    });
    c.bench_function("answer/article (How is IL-2 given?)", |b| {
        b.iter(|| {
            let a = engine.answer("How is IL-2 given?");
            std::hint::black_box(Reply::for_answer(&a, &referral).to_text())
        })
    });
}

criterion_group!(benches, article);
criterion_main!(benches);
