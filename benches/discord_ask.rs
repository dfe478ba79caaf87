//! Drives 1,000 `/ask` interactions through the loopback fake Discord into a real `faqbot run`
//! process and reports dispatch-to-callback latency (p50, p99, max) and the bot's peak RSS.
//!
//! Run: `cargo bench --bench discord_ask` (optionally `-- N` for another count). With
//! `FAQBOT_BENCH_FAQ=10000` the bot answers from a synthetic FAQ of that many entries (cached
//! in `target/bench-faq/`) and is asked that FAQ's synthetic questions.

use faqbot_test_support::fake_discord::*;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn proc_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let count: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let synthetic: Option<usize> = std::env::var("FAQBOT_BENCH_FAQ")
        .ok()
        .and_then(|v| v.parse().ok());
    let (faq_dir, questions) = match synthetic {
        Some(entries) => (
            faqbot::faq::synthetic::bench_faq(root, entries)?,
            faqbot::faq::synthetic::questions(count, 42),
        ),
        None => (
            root.join("faq"),
            std::fs::read_to_string(root.join("tests/fixtures/dev.jsonl"))?
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| v["q"].as_str().map(str::to_string))
                .filter(|q| !q.is_empty())
                .collect::<Vec<String>>(),
        ),
    };

    let fake = FakeDiscord::start().await?;
    let tmp = tempfile::tempdir()?;
    let cfg = tmp.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "[discord]\ntoken = \"bench-token\"\napi_base_url = \"{}\"\nguild_ids = [{}]\ncooldown_seconds = 0\n\n[faq]\ndir = \"{}\"\nindex_dir = \"{}\"\n",
            fake.base_url(),
            GUILD_ID,
            faq_dir.display(),
            tmp.path().join("index").display()
        ),
    )?;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("--config")
        .arg(&cfg)
        .arg("run")
        .env("RUST_LOG", "warn")
        .env_remove("DISCORD_TOKEN")
        .spawn()?;
    let pid = child.id();
    // A synthetic FAQ's index is built before the bot connects.
    let limit = Duration::from_secs(if synthetic.is_some() { 120 } else { 20 });
    fake.wait_session(limit).await?;
    fake.wait_for_request(|r| r.method == "PUT" && r.path.contains("/commands"), limit)
        .await?;
    let rss_start = proc_kb(pid, "VmRSS:").unwrap_or(0);

    let user = FakeUser::member("7001");
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(count);
    for i in 0..count {
        let q = &questions[i % questions.len()];
        let id = fake.dispatch_interaction(fake.slash_command(
            &user,
            "ask",
            vec![opt("question", q.as_str())],
        ))?;
        fake.wait_callback(&id, limit).await?;
        let rec = fake
            .interaction(&id)
            .ok_or_else(|| anyhow::anyhow!("no record"))?;
        if let Some((_, at)) = rec.callback {
            latencies.push(at.duration_since(rec.dispatched_at));
        }
    }
    let wall = started.elapsed();
    let rss_end = proc_kb(pid, "VmRSS:").unwrap_or(0);
    let hwm = proc_kb(pid, "VmHWM:").unwrap_or(0);
    latencies.sort();
    let violations = fake.schema_violations().len();

    // SIGTERM: the bot shuts down cleanly.
    let _ = std::process::Command::new("kill")
        .arg(pid.to_string())
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut exit = None;
    while Instant::now() < deadline {
        if let Some(s) = child.try_wait()? {
            exit = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if exit.is_none() {
        let _ = child.kill();
    }

    println!("interactions: {}", latencies.len());
    println!(
        "wall: {:.2} s ({:.0} interactions/s, sequential)",
        wall.as_secs_f64(),
        latencies.len() as f64 / wall.as_secs_f64()
    );
    println!(
        "dispatch -> callback p50: {:.2} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3
    );
    println!(
        "dispatch -> callback p99: {:.2} ms",
        percentile(&latencies, 0.99).as_secs_f64() * 1e3
    );
    println!(
        "dispatch -> callback max: {:.2} ms",
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
    println!(
        "bot RSS: start {:.1} MB, end {:.1} MB, peak {:.1} MB",
        rss_start as f64 / 1024.0,
        rss_end as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    println!("schema violations: {violations}");
    println!(
        "clean exit on SIGTERM: {}",
        exit.map(|s| s.success()).unwrap_or(false)
    );
    Ok(())
}
