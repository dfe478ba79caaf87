//! Speed and memory from the article to 100,000 entries: index build (time, passages/s, peak
//! RSS, size on disk), answer latency in process (p50/p99, full pipeline), reload time, a cold
//! `faqbot ask`, and `faqbot ask --json` over 10,000 questions on stdin (throughput, peak RSS).
//!
//! Run: `cargo bench --bench scale` (article, 1k, 10k); `cargo bench --bench scale -- 100000`
//! adds 100k. Synthetic FAQs are cached in `target/bench-faq/`. Needs `/usr/bin/time`.

use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::answer::{Referral, Reply};
use faqbot::faq::load::load_faq;
use faqbot::faq::FaqSource;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The allocator the `faqbot` binary runs with, so in-process figures are the product's.
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const BIN: &str = env!("CARGO_BIN_EXE_faqbot");

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        dir_size(&path)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Runs a command under /usr/bin/time; returns (wall seconds, peak RSS in MB, stdout).
fn timed(args: &[&str], stdin: Option<&str>) -> anyhow::Result<(f64, f64, String)> {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-f").arg("TIME %e %M").arg(BIN).args(args);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    // Feed stdin from another thread, so a child that writes while we write cannot deadlock.
    let feeder = child.stdin.take().map(|mut pipe| {
        let text = stdin.unwrap_or_default().to_string();
        std::thread::spawn(move || pipe.write_all(text.as_bytes()))
    });
    let out = child.wait_with_output()?;
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .rev()
        .find(|l| l.starts_with("TIME "))
        .unwrap_or("TIME 0 0");
    let mut parts = line.split_whitespace().skip(1);
    let wall: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let kb: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
    Ok((
        wall,
        kb / 1024.0,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

fn main() -> anyhow::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut sizes = vec![0usize, 1_000, 10_000];
    for a in std::env::args().skip(1) {
        if let Ok(n) = a.parse::<usize>() {
            if !sizes.contains(&n) {
                sizes.push(n);
            }
        }
    }
    let dev: Vec<String> = std::fs::read_to_string(root.join("tests/fixtures/dev.jsonl"))?
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["q"].as_str().map(str::to_string))
        .collect();
    println!("| FAQ | passages | build | passages/s | build peak RSS | index on disk | answer p50 | answer p99 | reload | cold ask (median of 15) | batch 10,000 (median of 3) | batch peak RSS |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for size in sizes {
        let faq = faqbot::faq::synthetic::bench_faq(&root, size)?;
        let tmp = tempfile::tempdir()?;
        let index = tmp.path().join("index");
        let (f, i) = (faq.display().to_string(), index.display().to_string());
        let base = ["--faq-dir", f.as_str(), "--index-dir", i.as_str()];

        // `faqbot check` reads every file first, so the build is timed with the files in the
        // page cache (indexing work, not the disk).
        timed(&[&base[..], &["check"]].concat(), None)?;
        let (build_s, build_mb, out) = timed(&[&base[..], &["index"]].concat(), None)?;
        let passages: f64 = out
            .split_whitespace()
            .zip(out.split_whitespace().skip(1))
            .find(|(_, w)| w.starts_with("passages"))
            .and_then(|(n, _)| n.trim_end_matches(',').parse().ok())
            .unwrap_or(0.0);
        let disk_mb = dir_size(&index) as f64 / 1e6;

        let questions: Vec<String> = if size == 0 {
            (0..10_000)
                .map(|k| format!("{} {}", dev[k % dev.len()], k / dev.len()))
                .collect()
        } else {
            faqbot::faq::synthetic::questions(10_000, 42)
        };

        // In process: the full pipeline, index open, one question at a time.
        let engine = Engine::open(
            &FaqSource::Dir(faq.clone()),
            &IndexLocation::Dir(index.clone()),
            AnswerSettings::default(),
        )?;
        let referral = Referral::default();
        for q in questions.iter().take(200) {
            std::hint::black_box(Reply::for_answer(&engine.answer(q), &referral).to_text());
        }
        let mut lat: Vec<Duration> = questions
            .iter()
            .take(3_000)
            .map(|q| {
                let t = Instant::now();
                std::hint::black_box(Reply::for_answer(&engine.answer(q), &referral).to_text());
                t.elapsed()
            })
            .collect();
        lat.sort();
        drop(engine);

        // Reload: read and validate the files, rebuild the index in memory, ready to swap in.
        let t = Instant::now();
        let loaded =
            load_faq(&FaqSource::Dir(faq.clone())).map_err(|p| anyhow::anyhow!("{p:?}"))?;
        let reloaded = Engine::from_loaded(
            loaded,
            &IndexLocation::Memory,
            AnswerSettings::default(),
            true,
        )?;
        let reload = t.elapsed();
        drop(reloaded);

        // Cold ask: the whole process (start, freshness check, open, answer, exit), timed
        // from spawn to exit; the first run warms the page cache and is not counted.
        let cold_args = [&base[..], &["ask", "--json", "How is IL-2 given?"]].concat();
        let mut cold: Vec<f64> = (0..16)
            .map(|_| {
                let t = Instant::now();
                let out = Command::new(BIN).args(&cold_args).output()?;
                anyhow::ensure!(out.status.success(), "faqbot ask failed");
                Ok(t.elapsed().as_secs_f64())
            })
            .skip(1)
            .collect::<anyhow::Result<_>>()?;
        cold.sort_by(f64::total_cmp);
        // The batch, three times (this machine's speed varies from run to run): median wall
        // time, highest peak RSS.
        let input = questions.join("\n");
        let mut batch: Vec<(f64, f64)> = (0..3)
            .map(|_| {
                let t = Instant::now();
                let (_, mb, _) = timed(&[&base[..], &["ask", "--json"]].concat(), Some(&input))?;
                Ok((t.elapsed().as_secs_f64(), mb))
            })
            .collect::<anyhow::Result<_>>()?;
        let batch_mb = batch.iter().map(|b| b.1).fold(0.0, f64::max);
        batch.sort_by(|a, b| a.0.total_cmp(&b.0));
        let batch_s = batch[1].0;

        let name = if size == 0 {
            "article".to_string()
        } else {
            format!("{size} entries")
        };
        println!(
            "| {name} | {passages:.0} | {build_s:.2} s | {:.0} | {build_mb:.0} MB | {disk_mb:.1} MB | {:.0} µs | {:.0} µs | {:.0} ms | {:.1} ms | {:.0} q/s | {batch_mb:.0} MB |",
            passages / build_s.max(0.001),
            percentile(&lat, 0.5).as_secs_f64() * 1e6,
            percentile(&lat, 0.99).as_secs_f64() * 1e6,
            reload.as_secs_f64() * 1e3,
            cold[cold.len() / 2] * 1e3,
            10_000.0 / batch_s,
        );
    }
    Ok(())
}
