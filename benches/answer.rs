//! Criterion: answer latency, the full pipeline (analysis, synonyms, typo correction, search,
//! proximity, coverage, passage choice and the reply text) with the index open, on the article
//! FAQ and on synthetic FAQs of 1,000 and 10,000 entries (100,000 too with
//! `FAQBOT_BENCH_100K=1`); and reload, reading every file and rebuilding the index in memory,
//! ready to swap in.
//!
//! Run: `cargo bench --bench answer`. Synthetic FAQs are cached in `target/bench-faq/`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::answer::{Referral, Reply};
use faqbot::faq::load::load_faq;
use faqbot::faq::synthetic::{bench_faq, questions};
use faqbot::faq::FaqSource;
use std::path::Path;
use std::time::Duration;

/// The allocator the `faqbot` binary runs with, so in-process figures are the product's.
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn dev_questions() -> Vec<String> {
    std::fs::read_to_string(root().join("tests/fixtures/dev.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["q"].as_str().map(str::to_string))
        .collect()
}

fn sizes() -> Vec<usize> {
    let mut sizes = vec![0, 1_000, 10_000];
    if std::env::var_os("FAQBOT_BENCH_100K").is_some() {
        sizes.push(100_000);
    }
    sizes
}

fn name(size: usize) -> String {
    if size == 0 {
        "article".to_string()
    } else {
        format!("{size} entries")
    }
}

fn answer(c: &mut Criterion) {
    let mut group = c.benchmark_group("answer");
    group.measurement_time(Duration::from_secs(5));
    let referral = Referral::default();
    for size in sizes() {
        let faq = bench_faq(root(), size).expect("synthetic FAQ");
        let tmp = tempfile::tempdir().expect("tmp");
        let engine = Engine::open(
            &FaqSource::Dir(faq),
            &IndexLocation::Dir(tmp.path().join("index")),
            AnswerSettings::default(),
        )
        .expect("engine");
        let qs = if size == 0 {
            dev_questions()
        } else {
            questions(10_000, 42)
        };
        let mut i = 0;
        group.bench_function(BenchmarkId::from_parameter(name(size)), |b| {
            b.iter(|| {
                let q = &qs[i % qs.len()];
                i += 1;
                let a = engine.answer(q);
                std::hint::black_box(Reply::for_answer(&a, &referral).to_text())
            })
        });
    }
    group.finish();
}

fn reload(c: &mut Criterion) {
    let mut group = c.benchmark_group("reload");
    group.sample_size(10);
    for size in sizes().into_iter().filter(|&s| s <= 10_000) {
        let source = FaqSource::Dir(bench_faq(root(), size).expect("synthetic FAQ"));
        group.bench_function(BenchmarkId::from_parameter(name(size)), |b| {
            b.iter(|| {
                let loaded = load_faq(&source).expect("valid FAQ");
                let engine = Engine::from_loaded(
                    loaded,
                    &IndexLocation::Memory,
                    AnswerSettings::default(),
                    true,
                )
                .expect("engine");
                std::hint::black_box(engine.passage_count())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, answer, reload);
criterion_main!(benches);
