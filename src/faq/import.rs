//! Turning an article (plain text or Markdown) into FAQ entries: one entry per question heading,
//! the text before the first question kept as an overview, a byline kept as the source.

use crate::faq::entry::{slugify, FrontMatter, Passage};
use crate::faq::file::{parse_entry, render_entry};
use crate::faq::questions::carry_questions;
use crate::text::line_of;
use anyhow::{bail, Context, Result};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::path::Path;

/// One file the importer would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFile {
    /// File name inside the output folder.
    pub name: String,
    /// Full file text.
    pub text: String,
}

/// A block of the article: a Markdown heading or a paragraph, with its first line.
struct Block {
    heading_level: Option<u8>,
    text: String,
    line: usize,
}

/// Longest sub-heading, in words ("Intravenous infusion").
const MAX_SUBHEADING_WORDS: usize = 6;
/// Longest question heading, in words.
const MAX_QUESTION_WORDS: usize = 25;

/// Whether the article should be read as Markdown (by extension or by its headings).
fn looks_like_markdown(path: &Path, text: &str) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    ext == "md"
        || ext == "markdown"
        || text
            .lines()
            .any(|l| l.starts_with("# ") || l.starts_with("## ") || l.starts_with("### "))
}

fn plain_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = 1;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(Block {
                    heading_level: None,
                    text: current.join("\n"),
                    line: start,
                });
                current.clear();
            }
        } else {
            if current.is_empty() {
                start = i + 1;
            }
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(Block {
            heading_level: None,
            text: current.join("\n"),
            line: start,
        });
    }
    blocks
}

fn markdown_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut level = None;
    let mut heading = String::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    start = range.start;
                    level = match tag {
                        Tag::Heading { level, .. } => Some(level as u8),
                        _ => None,
                    };
                    heading.clear();
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let block_text = if matches!(end, TagEnd::Heading(_)) {
                        heading.trim().to_string()
                    } else {
                        text[start..range.end].trim().to_string()
                    };
                    if !block_text.is_empty() {
                        blocks.push(Block {
                            heading_level: level,
                            text: block_text,
                            line: line_of(text, start),
                        });
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if level.is_some() && depth > 0 => heading.push_str(&t),
            _ => {}
        }
    }
    blocks
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn is_single_line(s: &str) -> bool {
    !s.trim().contains('\n')
}

fn is_question_heading(b: &Block) -> bool {
    let t = b.text.trim();
    is_single_line(t) && t.ends_with('?') && words(t) <= MAX_QUESTION_WORDS && words(t) >= 2
}

fn byline(b: &Block) -> Option<String> {
    let t = b.text.trim();
    let rest = t.strip_prefix("By ").or_else(|| t.strip_prefix("by "))?;
    (b.heading_level.is_none() && is_single_line(t) && words(rest) <= 6 && !rest.ends_with('.'))
        .then(|| rest.trim().to_string())
}

fn is_subheading(b: &Block, next: Option<&Block>) -> bool {
    let t = b.text.trim();
    if b.heading_level.is_some() {
        return !t.ends_with('?');
    }
    let ends_open = !t.ends_with(['.', '!', '?', ':', ';', ',']);
    is_single_line(t)
        && words(t) <= MAX_SUBHEADING_WORDS
        && ends_open
        && t.chars().next().is_some_and(char::is_uppercase)
        && next.is_some_and(|n| n.heading_level.is_none() && !is_question_heading(n))
}

struct Draft {
    question: String,
    passages: Vec<Passage>,
    line: usize,
}

/// Converts an article into FAQ files (entry files only), in article order.
pub fn import_article(path: &Path, text: &str) -> Result<Vec<ImportedFile>> {
    import_article_keeping(path, text, None)
}

/// What moderators added to an existing entry file, which a re-import keeps: the article has no
/// opinion on them.
#[derive(Default)]
struct ModeratorFields {
    aliases: Vec<String>,
    tags: Vec<String>,
    /// The file's passages, for their alternate questions.
    passages: Vec<Passage>,
}

fn moderator_fields(existing: Option<&Path>, name: &str) -> ModeratorFields {
    existing
        .and_then(|dir| std::fs::read_to_string(dir.join(name)).ok())
        .and_then(|text| parse_entry(name, &text).ok())
        .map(|(e, _)| ModeratorFields {
            aliases: e.meta.aliases,
            tags: e.meta.tags,
            passages: e.passages,
        })
        .unwrap_or_default()
}

/// Like [`import_article`], keeping the aliases and tags of entry files already in `existing`,
/// and the alternate questions of their passages (matched as an edit matches them, see
/// [`carry_questions`]).
pub fn import_article_keeping(
    path: &Path,
    text: &str,
    existing: Option<&Path>,
) -> Result<Vec<ImportedFile>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let blocks = if looks_like_markdown(path, text) {
        markdown_blocks(text)
    } else {
        plain_blocks(text)
    };
    let mut title: Option<String> = None;
    let mut author: Option<String> = None;
    let mut drafts: Vec<Draft> = Vec::new();
    let mut overview = Draft {
        question: String::new(),
        passages: Vec::new(),
        line: 1,
    };
    let mut pending_heading: Option<String> = None;

    for (i, block) in blocks.iter().enumerate() {
        if let Some(a) = byline(block) {
            author = Some(a);
            continue;
        }
        if is_question_heading(block) {
            drafts.push(Draft {
                question: block.text.trim().to_string(),
                passages: Vec::new(),
                line: block.line,
            });
            pending_heading = None;
            continue;
        }
        if block.heading_level == Some(1) && title.is_none() && drafts.is_empty() {
            title = Some(block.text.trim().to_string());
            continue;
        }
        if is_subheading(block, blocks.get(i + 1)) {
            pending_heading = Some(block.text.trim().to_string());
            continue;
        }
        let passage = Passage {
            heading: pending_heading.take(),
            text: block.text.trim().to_string(),
            questions: Vec::new(),
        };
        drafts
            .last_mut()
            .unwrap_or(&mut overview)
            .passages
            .push(passage);
    }

    let source = match (&title, &author) {
        (Some(t), Some(a)) => format!("“{t}” by {a}"),
        (None, Some(a)) => format!("Article by {a}"),
        (Some(t), None) => format!("“{t}”"),
        (None, None) => String::new(),
    };
    if !overview.passages.is_empty() {
        overview.question = match &title {
            Some(t) => format!("Overview: {t}"),
            None => "Overview".to_string(),
        };
        drafts.insert(0, overview);
    }
    if drafts.is_empty() {
        bail!(
            "{}: no question headings and no text found: nothing to import",
            path.display()
        );
    }

    let mut files = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for (n, mut draft) in drafts.into_iter().enumerate() {
        if draft.passages.is_empty() {
            bail!(
                "{}:{}: the question {:?} has no paragraphs under it",
                path.display(),
                draft.line,
                draft.question
            );
        }
        let mut id = if n == 0 && draft.question.starts_with("Overview") {
            "overview".to_string()
        } else {
            slugify(&draft.question)
        };
        let base = id.clone();
        let mut k = 2;
        while ids.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        ids.push(id.clone());
        let name = format!("{n:02}-{id}.md");
        let kept = moderator_fields(existing, &name);
        carry_questions(&kept.passages, &mut draft.passages);
        let meta = FrontMatter {
            id: id.clone(),
            question: draft.question,
            aliases: kept.aliases,
            tags: kept.tags,
            source: source.clone(),
        };
        let rendered = render_entry(&meta, &draft.passages);
        let (back, _) = parse_entry(&name, &rendered).map_err(|p| {
            anyhow::anyhow!(
                "{}:{}: this entry would not read back cleanly: {}",
                path.display(),
                draft.line,
                p.iter()
                    .map(|p| p.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?;
        if back.passages != draft.passages {
            bail!(
                "{}:{}: a paragraph of {:?} looks like Markdown syntax and would not be quoted verbatim",
                path.display(),
                draft.line,
                meta.question
            );
        }
        files.push(ImportedFile {
            name,
            text: rendered,
        });
    }
    Ok(files)
}

/// What `write_import` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Files written (new or replaced with `--force`).
    pub written: Vec<String>,
    /// Files already identical to the import.
    pub unchanged: Vec<String>,
}

/// Writes imported files into `out`. Refuses (writing nothing) when an existing file differs,
/// unless `force`. (Use [`import_article_keeping`] with `out` so moderators' aliases, tags and
/// passage questions survive a re-import.)
pub fn write_import(out: &Path, files: &[ImportedFile], force: bool) -> Result<ImportReport> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut report = ImportReport::default();
    let mut conflicts = Vec::new();
    for f in files {
        let path = out.join(&f.name);
        match std::fs::read(&path) {
            Ok(existing) if existing == f.text.as_bytes() => report.unchanged.push(f.name.clone()),
            Ok(_) if !force => conflicts.push(path.display().to_string()),
            _ => {}
        }
    }
    if !conflicts.is_empty() {
        bail!(
            "these files differ from what the import would write; nothing was written \
             (use --force to overwrite them):\n  {}",
            conflicts.join("\n  ")
        );
    }
    for f in files {
        if report.unchanged.contains(&f.name) {
            continue;
        }
        crate::faq::store::write_atomic(&out.join(&f.name), f.text.as_bytes())?;
        report.written.push(f.name.clone());
    }
    Ok(report)
}
