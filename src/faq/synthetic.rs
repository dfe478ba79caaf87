//! A synthetic FAQ for benchmarks: N entries in the real file format, deterministic from a
//! seed, with realistic lengths (3-8 passages of 40-120 words over a vocabulary of a few
//! thousand words, Zipf-distributed, some sub-headings and aliases), so every command runs on it
//! unchanged.

use crate::faq::entry::{FrontMatter, Passage};
use crate::faq::file::render_entry;
use anyhow::{Context, Result};
use std::path::Path;

/// SplitMix64: a tiny, good-enough deterministic generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ro", "sa", "tu", "vi", "ze", "po", "da", "fi", "gu", "ha", "je", "ku",
    "ma", "no", "pe", "ri", "so", "ta", "ul", "ve", "wo", "xa", "yo", "zu", "bre", "cla", "dri",
    "fle", "gro", "pla", "sti", "tra", "ment", "tion", "ine", "ase", "ol", "ic",
];

/// A vocabulary of `size` distinct pseudo-words (two to four syllables), the same for a seed.
pub fn vocabulary(size: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed ^ 0x5eed);
    let mut seen = std::collections::HashSet::new();
    let mut words = Vec::with_capacity(size);
    while words.len() < size {
        let n = rng.range(2, 4);
        let w: String = (0..n)
            .map(|_| SYLLABLES[rng.range(0, SYLLABLES.len() - 1)])
            .collect();
        if seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

/// Draws word indexes with a Zipf-like law (s = 1): a few words are very common, most rare.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize) -> Self {
        let mut acc = 0.0;
        let cumulative = (1..=n)
            .map(|k| {
                acc += 1.0 / k as f64;
                acc
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.unit() * total;
        self.cumulative.partition_point(|&c| c < x)
    }
}

fn sentence(rng: &mut Rng, vocab: &[String], zipf: &Zipf, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        let w = &vocab[zipf.sample(rng).min(vocab.len() - 1)];
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push_str(w);
        }
    }
    s
}

fn paragraph(rng: &mut Rng, vocab: &[String], zipf: &Zipf) -> String {
    let target = rng.range(40, 120);
    let mut out = String::new();
    let mut written = 0;
    while written < target {
        let n = rng.range(6, 18).min(target - written).max(1);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&sentence(rng, vocab, zipf, n));
        out.push('.');
        written += n;
    }
    out
}

/// One synthetic entry: (file name, file text).
fn entry(index: usize, rng: &mut Rng, vocab: &[String], zipf: &Zipf) -> (String, String) {
    const STARTS: &[&str] = &[
        "How does",
        "What is",
        "Can I",
        "Why does",
        "When should",
        "Is it safe to",
    ];
    let start = STARTS[rng.range(0, STARTS.len() - 1)];
    let topic_words = rng.range(2, 5);
    let topic = sentence(rng, vocab, zipf, topic_words).to_lowercase();
    let question = format!("{start} {topic} (topic {index})?");
    let aliases = (0..rng.range(0, 3))
        .map(|_| {
            let n = rng.range(3, 7);
            format!("{}?", sentence(rng, vocab, zipf, n))
        })
        .collect();
    let count = rng.range(3, 8);
    let passages = (0..count)
        .map(|p| Passage {
            heading: (p > 0 && rng.unit() < 0.2).then(|| sentence(rng, vocab, zipf, 2)),
            text: paragraph(rng, vocab, zipf),
            questions: Vec::new(),
        })
        .collect::<Vec<_>>();
    let meta = FrontMatter {
        id: format!("synthetic-{index}"),
        question,
        aliases,
        tags: vec!["synthetic".to_string()],
        source: "synthetic benchmark FAQ".to_string(),
    };
    (
        format!("{index:06}-synthetic.md"),
        render_entry(&meta, &passages),
    )
}

/// Writes `entries` synthetic entry files into `dir` (created if needed). Same seed, same files.
pub fn generate(dir: &Path, entries: usize, seed: u64) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let vocab = vocabulary(4_000, seed);
    let zipf = Zipf::new(vocab.len());
    let mut rng = Rng::new(seed);
    for i in 0..entries {
        let (name, text) = entry(i, &mut rng, &vocab, &zipf);
        std::fs::write(dir.join(&name), text).with_context(|| format!("cannot write {name}"))?;
    }
    Ok(())
}

/// The benchmarks' synthetic FAQ of `entries` entries (seed 42) under
/// `root/target/bench-faq/ENTRIES`, generated on first use and kept; `entries == 0` means the
/// shipped FAQ in `root/faq`.
pub fn bench_faq(root: &Path, entries: usize) -> Result<std::path::PathBuf> {
    if entries == 0 {
        return Ok(root.join("faq"));
    }
    let dir = root.join(format!("target/bench-faq/{entries}"));
    let done = dir.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        generate(&dir, entries, 42)?;
        std::fs::write(&done, "").with_context(|| format!("cannot write {}", done.display()))?;
    }
    Ok(dir)
}

/// Questions for a synthetic FAQ: a few words drawn like the passages' words, some of them
/// topics that exist, some not. Deterministic from the seed.
pub fn questions(count: usize, seed: u64) -> Vec<String> {
    let vocab = vocabulary(4_000, seed);
    let zipf = Zipf::new(vocab.len());
    let mut rng = Rng::new(seed ^ 0xa5a5);
    (0..count)
        .map(|i| {
            format!(
                "what about {} {i}",
                sentence(&mut rng, &vocab, &zipf, 4).to_lowercase()
            )
        })
        .collect()
}
