//! Answer latency in process over an existing FAQ and index: the scale benchmark's middle
//! column alone, for profiling one size without rebuilding the others.
//!
//! Run: `cargo run --release --example latency -- FAQ_DIR INDEX_DIR [QUESTIONS]`: QUESTIONS is
//! a count of synthetic questions (seed 42; 3,000 unless given) or a file of questions, one per
//! line, asked in turn 3,000 times.

use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::answer::{Referral, Reply};
use faqbot::faq::FaqSource;
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(faq), Some(index)) = (args.first(), args.get(1)) else {
        anyhow::bail!("usage: latency FAQ_DIR INDEX_DIR [QUESTIONS]");
    };
    let arg = args.get(2).map(String::as_str).unwrap_or("3000");
    let (count, questions) = match arg.parse::<usize>() {
        Ok(count) => (count, faqbot::faq::synthetic::questions(count + 200, 42)),
        Err(_) => {
            let lines: Vec<String> = std::fs::read_to_string(arg)?
                .lines()
                .map(str::to_string)
                .collect();
            anyhow::ensure!(!lines.is_empty(), "{arg} has no questions");
            (3_000, lines.iter().cycle().take(3_200).cloned().collect())
        }
    };
    let t = Instant::now();
    let engine = Engine::open(
        &FaqSource::Dir(faq.into()),
        &IndexLocation::Dir(index.into()),
        AnswerSettings::default(),
    )?;
    let open = t.elapsed();
    let referral = Referral::default();
    for q in &questions[count..] {
        std::hint::black_box(Reply::for_answer(&engine.answer(q), &referral).to_text());
    }
    let mut lat: Vec<Duration> = questions[..count]
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(Reply::for_answer(&engine.answer(q), &referral).to_text());
            t.elapsed()
        })
        .collect();
    lat.sort();
    let at = |p: f64| lat[((lat.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3;
    println!(
        "open {:.1} ms, {count} questions: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        open.as_secs_f64() * 1e3,
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
    Ok(())
}
