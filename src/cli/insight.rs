//! `faqbot stats` and `faqbot gaps`: the moderator reports on the command line, as text or
//! JSON, read from the bot's store.

use crate::config::Config;
use crate::insight::report::{self, Style, Titles};
use crate::insight::{unix_now, Store};
use crate::search::analyze::Analyzer;
use anyhow::Result;
use std::io::Write;
use std::path::Path;

fn open(cfg: &Config, state: Option<&Path>) -> Result<Store> {
    let path = state.map_or_else(|| cfg.state_path(), Path::to_path_buf);
    let settings = cfg.store_settings();
    Store::open_existing(&path, settings.salt.as_deref())
}

/// The FAQ's analyser and entry titles; without a readable FAQ, a plain analyser and no titles.
fn faq_context(cfg: &Config) -> (Analyzer, Titles) {
    match crate::faq::load_faq(&cfg.faq_source()) {
        Ok(loaded) => (
            Analyzer::new(&loaded.faq.synonyms),
            loaded
                .faq
                .entries
                .iter()
                .map(|e| (e.meta.id.clone(), e.meta.question.clone()))
                .collect(),
        ),
        Err(problems) => {
            tracing::warn!(
                problems = problems.len(),
                "the FAQ has problems; reporting without its synonyms and titles"
            );
            (Analyzer::new(&Default::default()), Titles::new())
        }
    }
}

/// `faqbot stats [--json] [--state FILE]`.
pub fn stats(cfg: &Config, state: Option<&Path>, json: bool, out: &mut dyn Write) -> Result<()> {
    let store = open(cfg, state)?;
    let (_, titles) = faq_context(cfg);
    let stats = report::stats(&store, &titles, unix_now(), &report::STATS_PERIODS)?;
    if json {
        serde_json::to_writer(&mut *out, &stats)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", stats.render(Style::Text, u32::MAX))?;
    }
    Ok(())
}

/// `faqbot gaps [--days N] [--limit N] [--json] [--state FILE]`.
pub fn gaps(
    cfg: &Config,
    state: Option<&Path>,
    days: u32,
    limit: usize,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let store = open(cfg, state)?;
    let (analyzer, titles) = faq_context(cfg);
    let report = report::gaps(&store, &analyzer, &titles, unix_now(), days, limit)?;
    if json {
        serde_json::to_writer(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}\n", report.headline())?;
        write!(out, "{}", report.render(Style::Text))?;
    }
    Ok(())
}
