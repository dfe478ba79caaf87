//! Writes a synthetic FAQ for benchmarks.
//!
//! Run: `cargo run --release --example gen_faq -- DIR ENTRIES [SEED]`, then e.g.
//! `faqbot --faq-dir DIR --index-dir DIR.index index`.

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (args.first(), args.get(1)) else {
        anyhow::bail!("usage: gen_faq DIR ENTRIES [SEED]");
    };
    let entries: usize = n.parse()?;
    let seed: u64 = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(42);
    faqbot::faq::synthetic::generate(std::path::Path::new(dir), entries, seed)?;
    println!("wrote {entries} entries to {dir} (seed {seed})");
    Ok(())
}
