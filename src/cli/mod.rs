//! The command line: argument definitions and the commands' implementations; `eval` and the
//! moderator reports (`stats`, `gaps`) have files of their own.

pub mod eval;
pub mod insight;

use crate::answer::Engine;
use crate::answer::{Answer, Hit, Referral, Reply};
use crate::config::Config;
use crate::faq::FaqSource;
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use serde::Serialize;
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// faqbot: answers questions from a moderator-curated FAQ, always referring to an oncologist.
#[derive(Debug, Parser)]
#[command(name = "faqbot", version, about)]
pub struct Cli {
    /// Config file (default: config.toml if present, else built-in defaults).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// FAQ folder (overrides the config).
    #[arg(long, global = true, value_name = "DIR")]
    pub faq_dir: Option<PathBuf>,
    /// Index folder (overrides the config).
    #[arg(long, global = true, value_name = "DIR")]
    pub index_dir: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer a question, printing the reply exactly as the bot would post it.
    Ask {
        /// The question (several words need no quotes). Without it, questions are read from
        /// stdin, one per line.
        #[arg(allow_hyphen_values = true, num_args = 0..)]
        question: Vec<String>,
        /// Print one JSON object per question instead of text.
        #[arg(long)]
        json: bool,
        /// Also say why: the analysed question, each candidate's signals, the confidence, and
        /// why the bot answered or abstained (with `--json`, an `explain` object).
        #[arg(long)]
        explain: bool,
    },
    /// (Re)build the search index from the FAQ files.
    Index,
    /// Validate the FAQ files; prints FILE:LINE: message for each problem.
    Check,
    /// Turn a plain-text or Markdown article into FAQ files, one per question heading.
    Import {
        /// The article to import.
        article: PathBuf,
        /// Folder to write the FAQ files into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Overwrite files that differ from what the import would write.
        #[arg(long)]
        force: bool,
    },
    /// Answer every {"q", "accept"} line of a JSONL file and print top-1, top-3, MRR and abstention.
    Eval {
        /// The JSONL files (their questions are evaluated together).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the metrics as JSON.
        #[arg(long)]
        json: bool,
        /// Also cross-validate the confidence model and threshold over K folds.
        #[arg(long, value_name = "K")]
        cross_validate: Option<usize>,
        /// With --cross-validate: repeat it over N seeded shuffles of the questions into folds
        /// and print the mean, lowest and highest figures.
        #[arg(long, value_name = "N", requires = "cross_validate")]
        repeats: Option<usize>,
        /// Also fit the confidence model and threshold on this file's questions and check them
        /// on FILES'.
        #[arg(long, value_name = "FILE")]
        fit_on: Option<PathBuf>,
    },
    /// Moderator insight from the bot's store: questions per day, answer rate, helpful rate and
    /// top entries over the last 7 and 30 days.
    Stats {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// The store (default: [state] path, else faqbot-state.sqlite3 beside the config).
        #[arg(long, value_name = "FILE")]
        state: Option<PathBuf>,
    },
    /// Moderator insight from the bot's store: the most frequent unanswered and "Not helpful"
    /// questions, similar questions grouped.
    Gaps {
        /// How many days back to look.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=36500))]
        days: u32,
        /// Most groups to print.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// The store (default: [state] path, else faqbot-state.sqlite3 beside the config).
        #[arg(long, value_name = "FILE")]
        state: Option<PathBuf>,
    },
    /// Start the Discord bot.
    Run,
}

/// Loads the configuration with the command line's overrides applied.
pub fn config_for(cli: &Cli) -> Result<Config> {
    let mut cfg = Config::load(cli.config.as_deref())?;
    if let Some(d) = &cli.faq_dir {
        cfg.faq.dir = Some(d.clone());
    }
    if let Some(d) = &cli.index_dir {
        cfg.faq.index_dir = d.clone();
    }
    Ok(cfg)
}

/// Opens the engine the configuration describes.
pub fn open_engine(cfg: &Config) -> Result<Engine> {
    let source = cfg.faq_source();
    if let FaqSource::Dir(d) = &source {
        anyhow::ensure!(d.is_dir(), "the FAQ folder {} does not exist", d.display());
    }
    Ok(Engine::open(
        &source,
        &cfg.index_location(&source),
        cfg.answer_settings(),
    )?)
}

/// The `ask --json` object.
#[derive(Debug, Serialize)]
pub struct AskJson<'a> {
    /// The question as asked.
    pub question: &'a str,
    /// Whether the FAQ answered it.
    pub answered: bool,
    /// The answering entry's id.
    pub entry_id: Option<&'a str>,
    /// The answering entry's question.
    pub entry_question: Option<&'a str>,
    /// The answering passage.
    pub passage: Option<&'a str>,
    /// The best passage's ranking score.
    pub score: Option<f32>,
    /// Confidence (0-1) that the best candidate answers the question (see
    /// [`crate::answer::confidence`]); the bot answers when it reaches `[answer] min_coverage`.
    pub confidence: f32,
    /// The next best distinct passages.
    pub alternatives: &'a [Hit],
    /// Whether the question matched a red-flag pattern.
    pub urgent: bool,
    /// The red flags it matched: each group's id and name, the pattern, and the message's
    /// words that raised it.
    pub red_flags: Vec<RedFlagJson<'a>>,
    /// The whole reply as posted, referral included.
    pub reply: String,
}

/// One red flag in `ask --json`.
#[derive(Debug, Serialize)]
pub struct RedFlagJson<'a> {
    /// The group's id in `urgent.toml`.
    pub id: &'a str,
    /// The group's name.
    pub name: &'a str,
    /// The pattern that matched, as written.
    pub pattern: &'a str,
    /// The words of the question that matched it.
    pub words: &'a str,
}

impl<'a> AskJson<'a> {
    /// Builds the JSON view of an answer.
    pub fn new(answer: &'a Answer, referral: &Referral) -> Self {
        let best = answer.best.as_ref();
        AskJson {
            question: &answer.question,
            answered: best.is_some(),
            entry_id: best.map(|b| b.entry_id.as_str()),
            entry_question: best.map(|b| b.entry_question.as_str()),
            passage: best.map(|b| b.passage.as_str()),
            score: best.map(|b| b.score),
            confidence: answer.confidence,
            alternatives: &answer.alternatives,
            urgent: answer.urgent,
            red_flags: answer
                .red_flags
                .iter()
                .map(|m| RedFlagJson {
                    id: &m.group,
                    name: &m.name,
                    pattern: &m.pattern,
                    words: &m.words,
                })
                .collect(),
            reply: Reply::for_answer(answer, referral).to_text(),
        }
    }
}

/// Questions read from stdin per batch; each batch is answered on two threads.
const BATCH: usize = 4_096;

fn ask(
    cfg: &Config,
    question: &[String],
    json: bool,
    explain: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let engine = open_engine(cfg)?;
    let referral = cfg.referral();
    let render = |q: &str| -> Result<String> {
        if explain {
            let (answer, why) = engine.explanation(q);
            return Ok(if json {
                let mut v = serde_json::to_value(AskJson::new(&answer, &referral))?;
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("explain".into(), serde_json::to_value(&why)?);
                }
                serde_json::to_string(&v)?
            } else {
                format!(
                    "{}\n\n{}",
                    Reply::for_answer(&answer, &referral).to_text(),
                    why.to_text()
                )
            });
        }
        let answer = engine.answer(q);
        Ok(if json {
            serde_json::to_string(&AskJson::new(&answer, &referral))?
        } else {
            Reply::for_answer(&answer, &referral).to_text()
        })
    };
    if !question.is_empty() {
        writeln!(out, "{}", render(&question.join(" "))?)?;
        return Ok(());
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().split(b'\n');
    let mut first = true;
    // Stdout flushes at every newline: one write per reply line. A batch's replies go out in
    // one buffer, flushed when the batch is done, so a reader still gets each batch at once.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        for line in lines.by_ref().take(BATCH) {
            let line = line.context("cannot read stdin")?;
            let text = String::from_utf8_lossy(&line).into_owned();
            batch.push(text.strip_suffix('\r').map(str::to_string).unwrap_or(text));
        }
        if batch.is_empty() {
            out.flush()?;
            return Ok(());
        }
        // Two threads take questions one at a time (neither waits on the other's slow half);
        // the replies are printed in input order.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || -> Result<Vec<(usize, String)>> {
            let mut done = Vec::new();
            loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(q) = batch.get(k) else {
                    return Ok(done);
                };
                done.push((k, render(q)?));
            }
        };
        let (a, b) = std::thread::scope(|s| {
            let other = s.spawn(work);
            (work(), other.join())
        });
        let b = b.map_err(|_| anyhow::anyhow!("an answering thread failed"))?;
        let mut replies: Vec<(usize, String)> = a?.into_iter().chain(b?).collect();
        replies.sort_unstable_by_key(|(k, _)| *k);
        for (_, reply) in replies {
            if !json && !first {
                writeln!(out, "---")?;
            }
            first = false;
            writeln!(out, "{reply}")?;
        }
        out.flush()?;
    }
}

/// Runs a command other than `run`; returns the process exit code.
pub fn execute(cli: &Cli, out: &mut dyn Write) -> Result<i32> {
    let cfg = config_for(cli)?;
    match &cli.command {
        Command::Ask {
            question,
            json,
            explain,
        } => {
            ask(&cfg, question, *json, *explain, out)?;
            Ok(0)
        }
        Command::Index => {
            let source = cfg.faq_source();
            let engine =
                Engine::rebuild(&source, &cfg.index_location(&source), cfg.answer_settings())?;
            let where_ = engine
                .index_path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "memory".to_string());
            writeln!(
                out,
                "indexed {} entries, {} passages into {where_}",
                engine.entry_count(),
                engine.passage_count()
            )?;
            Ok(0)
        }
        Command::Check => {
            let source = cfg.faq_source();
            match crate::answer::check_faq(&source) {
                Ok((l, _)) => {
                    writeln!(
                        out,
                        "{}: {} entries, {} passages, {} synonym groups: all valid",
                        source,
                        l.faq.entries.len(),
                        l.faq.passage_count(),
                        l.faq.synonyms.groups.len()
                    )?;
                    Ok(0)
                }
                Err(problems) => {
                    for p in problems {
                        writeln!(out, "{p}")?;
                    }
                    Ok(1)
                }
            }
        }
        Command::Import {
            article,
            out: dir,
            force,
        } => {
            let text = std::fs::read_to_string(article)
                .with_context(|| format!("cannot read {}", article.display()))?;
            let files = crate::faq::import::import_article_keeping(article, &text, Some(dir))?;
            let report = crate::faq::import::write_import(dir, &files, *force)?;
            writeln!(
                out,
                "{} entries from {}: {} written, {} unchanged, in {}",
                files.len(),
                article.display(),
                report.written.len(),
                report.unchanged.len(),
                dir.display()
            )?;
            Ok(0)
        }
        Command::Eval {
            files,
            json,
            cross_validate,
            repeats,
            fit_on,
        } => {
            let read = |file: &PathBuf| -> Result<Vec<eval::Case>> {
                let text = std::fs::read_to_string(file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                eval::read_cases(&text, &file.display().to_string())
            };
            let mut cases = Vec::new();
            for f in files {
                cases.extend(read(f)?);
            }
            let engine = open_engine(&cfg)?;
            let metrics = eval::evaluate(&engine, &cases);
            let scored = eval::score_cases(&engine, &cases);
            let cv = cross_validate.map(|k| eval::cross_validate(&scored, k));
            let repeated = cross_validate
                .zip(*repeats)
                .map(|(k, r)| eval::repeated_cross_validation(&scored, k, r));
            let checked = match fit_on {
                Some(f) => {
                    let train = eval::score_cases(&engine, &read(f)?);
                    Some(eval::fit_and_check(&train, &scored))
                }
                None => None,
            };
            if *json {
                let mut v = serde_json::to_value(&metrics)?;
                if let Some(obj) = v.as_object_mut() {
                    if let Some(cv) = &cv {
                        obj.insert("cross_validation".into(), serde_json::to_value(cv)?);
                    }
                    if let Some(r) = &repeated {
                        obj.insert("repeated_cross_validation".into(), serde_json::to_value(r)?);
                    }
                    if let Some((model, threshold, o)) = &checked {
                        obj.insert(
                            "fitted_elsewhere".into(),
                            serde_json::json!({"model": model, "threshold": threshold, "outcome": o}),
                        );
                    }
                }
                serde_json::to_writer(&mut *out, &v)?;
                writeln!(out)?;
            } else {
                write!(out, "{}", metrics.to_text())?;
                if let Some(cv) = &cv {
                    write!(out, "\n{}", cv.to_text())?;
                }
                if let Some(r) = &repeated {
                    write!(out, "\n{}", r.to_text())?;
                }
                if let Some((model, threshold, o)) = &checked {
                    writeln!(
                        out,
                        "\nfitted on {}: threshold {threshold:.2}, weights {:?}, bias {:.3}; {}",
                        fit_on
                            .as_deref()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default(),
                        model.weights,
                        model.bias,
                        o.to_text()
                    )?;
                }
            }
            Ok(0)
        }
        Command::Stats { json, state } => {
            insight::stats(&cfg, state.as_deref(), *json, out)?;
            Ok(0)
        }
        Command::Gaps {
            days,
            limit,
            json,
            state,
        } => {
            insight::gaps(&cfg, state.as_deref(), *days, *limit, *json, out)?;
            Ok(0)
        }
        Command::Run => anyhow::bail!("`faqbot run` is handled by the binary's async entry point"),
    }
}
