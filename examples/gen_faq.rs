//! Writes a synthetic FAQ for benchmarks, or the matching synthetic questions.
//!
//! Run: `cargo run --release --example gen_faq -- DIR ENTRIES [SEED]`, then e.g.
//! `faqbot --faq-dir DIR --index-dir DIR.index index`; or
//! `cargo run --release --example gen_faq -- --questions COUNT [SEED] > questions.txt`, the
//! questions `benches/scale.rs` asks, for `faqbot ask --json < questions.txt`.

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed_at = |i: usize| -> anyhow::Result<u64> {
        Ok(args.get(i).map(|s| s.parse()).transpose()?.unwrap_or(42))
    };
    if args.first().map(String::as_str) == Some("--questions") {
        let count: usize = args
            .get(1)
            .map(|s| s.parse())
            .transpose()?
            .unwrap_or(10_000);
        for q in faqbot::faq::synthetic::questions(count, seed_at(2)?) {
            println!("{q}");
        }
        return Ok(());
    }
    let (Some(dir), Some(n)) = (args.first(), args.get(1)) else {
        anyhow::bail!("usage: gen_faq DIR ENTRIES [SEED] | gen_faq --questions COUNT [SEED]");
    };
    let entries: usize = n.parse()?;
    let seed = seed_at(2)?;
    faqbot::faq::synthetic::generate(std::path::Path::new(dir), entries, seed)?;
    println!("wrote {entries} entries to {dir} (seed {seed})");
    Ok(())
}
