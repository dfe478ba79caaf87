//! Lists the English words (Zipf 3.3 and up, from `src/text/english/words.txt`) that the
//! analyser stems like a word of the FAQ or its synonyms without being one: where a member's
//! word could match an FAQ word of another meaning ("severe" and "several"). Reading this list
//! gave `STEM_EXCEPTIONS` in `src/search/analyze.rs`.
//!
//! `cargo run --release --example stem_collisions [FAQ_DIR]`

use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};

/// Words rarer than this in English are left out: members seldom write them.
const MIN_ZIPF: f32 = 3.3;

fn main() -> Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "faq".to_string());
    let dir = std::path::Path::new(&dir);
    let synonyms_file = dir.join("synonyms.toml");
    let text = std::fs::read_to_string(&synonyms_file)
        .with_context(|| format!("cannot read {}", synonyms_file.display()))?;
    let synonyms = faqbot::faq::synonyms::parse_synonyms("synonyms.toml", &text)
        .map_err(|p| anyhow::anyhow!("{} problems in synonyms.toml", p.len()))?;
    let analyzer = faqbot::search::analyze::Analyzer::new(&synonyms);
    let mut faq_words = BTreeSet::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "md") && !path.ends_with("README.md") {
            faq_words.extend(faqbot::text::words(&std::fs::read_to_string(&path)?));
        }
    }
    for term in synonyms.groups.iter().flatten() {
        faq_words.extend(faqbot::text::words(term));
    }
    let mut by_stem: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for w in faq_words.iter().filter(|w| !analyzer.is_stop_word(w)) {
        by_stem.entry(analyzer.stem(w)).or_default().insert(w);
    }
    let mut shared: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in include_str!("../src/text/english/words.txt").lines() {
        let Some((word, zipf)) = line.split_once('\t') else {
            continue;
        };
        let zipf: f32 = zipf.parse().unwrap_or(0.0);
        if zipf < MIN_ZIPF
            || faq_words.contains(word)
            || analyzer.is_stop_word(word)
            || !word.bytes().all(|b| b.is_ascii_lowercase())
        {
            continue;
        }
        let stem = analyzer.stem(word);
        if by_stem.contains_key(&stem) {
            shared
                .entry(stem)
                .or_default()
                .push(format!("{word} ({zipf:.1})"));
        }
    }
    for (stem, words) in shared {
        let faq: Vec<&str> = by_stem[&stem].iter().copied().collect();
        println!("{stem}: FAQ {} <- {}", faq.join(", "), words.join(", "));
    }
    Ok(())
}
