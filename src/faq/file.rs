//! One FAQ entry as a Markdown file with TOML front matter between `+++` lines.
//!
//! ```text
//! +++
//! id = "how-is-it-given"
//! question = "How is it given?"
//! aliases = ["How do I take it?"]
//! +++
//!
//! ### Intravenous infusion
//!
//! This is the most common way ...
//! ```

use crate::faq::entry::{is_valid_id, Entry, FrontMatter, Passage};
use crate::problem::Problem;
use crate::text::line_of;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

const FENCE: &str = "+++";

/// Splits a file into (front matter text, its first line, body text, body's first line).
fn split_front_matter<'a>(
    file: &str,
    text: &'a str,
) -> Result<(&'a str, usize, &'a str, usize), Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != FENCE {
        return Err(Problem::new(
            file,
            1,
            "the file must start with a `+++` line that opens the front matter",
        ));
    }
    let fm_start = first.len();
    let mut offset = fm_start;
    for line in lines {
        if line.trim_end() == FENCE {
            let fm = &text[fm_start..offset];
            let body_start = offset + line.len();
            return Ok((fm, 2, &text[body_start..], line_of(text, body_start)));
        }
        offset += line.len();
    }
    Err(Problem::new(
        file,
        1,
        "the front matter opened by `+++` is never closed by a second `+++` line",
    ))
}

/// The line (1-based, within the file) of the first front-matter line starting with `key`.
fn key_line(fm: &str, fm_line: usize, key: &str) -> usize {
    fm.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| fm_line + i)
        .unwrap_or(fm_line)
}

/// Where a parsed entry's front-matter keys are, for later messages (duplicates).
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyLines {
    /// Line of `id`.
    pub id: usize,
    /// Line of `question`.
    pub question: usize,
}

/// Parses one FAQ file. `file` names it in problem reports; the id defaults to the file stem.
pub fn parse_entry(file: &str, text: &str) -> Result<(Entry, KeyLines), Vec<Problem>> {
    // Old Mac (`\r`) and Windows (`\r\n`) line endings read as `\n`: line numbers stay right.
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        text
    };
    let (fm, fm_line, body, body_line) = split_front_matter(file, text).map_err(|p| vec![p])?;
    let mut problems = Vec::new();

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        id: Option<String>,
        question: Option<String>,
        #[serde(default)]
        aliases: Vec<String>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        source: String,
    }

    let raw: Raw = match toml::from_str(fm) {
        Ok(r) => r,
        Err(e) => {
            let line = e
                .span()
                .map(|s| fm_line + line_of(fm, s.start) - 1)
                .unwrap_or(fm_line);
            let msg = e.message().trim().to_string();
            let msg = if msg.contains("unknown field") {
                format!("unknown key in front matter: {msg}")
            } else {
                format!("bad TOML in front matter: {msg}")
            };
            return Err(vec![Problem::new(file, line, msg)]);
        }
    };
    let lines = KeyLines {
        id: key_line(fm, fm_line, "id"),
        question: key_line(fm, fm_line, "question"),
    };

    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("entry");
    let id = raw.id.unwrap_or_else(|| default_id_from_stem(stem));
    if !is_valid_id(&id) {
        problems.push(Problem::new(
            file,
            lines.id,
            format!("id {id:?} must be lowercase letters, digits and dashes (1-100 characters)"),
        ));
    }
    let question = raw.question.unwrap_or_default();
    if question.trim().is_empty() {
        problems.push(Problem::new(
            file,
            lines.question,
            "missing question: add a line like question = \"How is it given?\"",
        ));
    }
    for (i, alias) in raw.aliases.iter().enumerate() {
        if alias.trim().is_empty() {
            problems.push(Problem::new(
                file,
                key_line(fm, fm_line, "aliases"),
                format!("alias number {} is empty", i + 1),
            ));
        }
    }

    let passages = match parse_body(file, body, body_line) {
        Ok(p) => p,
        Err(mut p) => {
            problems.append(&mut p);
            Vec::new()
        }
    };
    if problems.is_empty() && passages.is_empty() {
        problems.push(Problem::new(
            file,
            body_line,
            "empty body: write the answer's paragraphs below the closing `+++`",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((
        Entry {
            meta: FrontMatter {
                id,
                question: question.trim().to_string(),
                aliases: raw
                    .aliases
                    .into_iter()
                    .map(|a| a.trim().to_string())
                    .collect(),
                tags: raw.tags,
                source: raw.source,
            },
            passages,
            file: file.to_string(),
        },
        lines,
    ))
}

/// An id from a file stem such as `03-how-is-it-given`: the numeric ordering prefix is dropped.
fn default_id_from_stem(stem: &str) -> String {
    let rest = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    crate::faq::entry::slugify(if rest.is_empty() { stem } else { rest })
}

/// Splits the Markdown body into passages: every top-level block is one passage, and a heading
/// is attached to the block that follows it.
fn parse_body(file: &str, body: &str, body_line: usize) -> Result<Vec<Passage>, Vec<Problem>> {
    let mut passages = Vec::new();
    let mut problems = Vec::new();
    let mut depth = 0usize;
    let mut block_start = 0usize;
    let mut in_heading = false;
    let mut heading_text = String::new();
    let mut pending: Option<(String, usize)> = None;

    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    block_start = range.start;
                    in_heading = matches!(tag, Tag::Heading { .. });
                    heading_text.clear();
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let line = body_line + line_of(body, block_start) - 1;
                    if matches!(end, TagEnd::Heading(_)) {
                        if let Some((_, l)) = pending.take() {
                            problems.push(Problem::new(
                                file,
                                l,
                                "sub-heading with no paragraph under it",
                            ));
                        }
                        let h = heading_text.trim().to_string();
                        if h.is_empty() {
                            problems.push(Problem::new(file, line, "empty sub-heading"));
                        } else {
                            pending = Some((h, line));
                        }
                    } else {
                        let text = trim_block(&body[block_start..range.end]);
                        if !text.is_empty() {
                            passages.push(Passage {
                                heading: pending.take().map(|(h, _)| h),
                                text,
                            });
                        }
                    }
                    in_heading = false;
                }
            }
            Event::Text(t) | Event::Code(t) if in_heading => heading_text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_heading => heading_text.push(' '),
            _ => {}
        }
    }
    if let Some((_, l)) = pending {
        problems.push(Problem::new(
            file,
            l,
            "sub-heading with no paragraph under it",
        ));
    }
    if problems.is_empty() {
        Ok(passages)
    } else {
        Err(problems)
    }
}

/// A block's source as written, less surrounding blank lines and trailing white space (leading
/// indentation matters in Markdown, so it stays).
fn trim_block(text: &str) -> String {
    let start = text
        .char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .filter(|(_, c)| *c == '\n')
        .last()
        .map_or(0, |(i, _)| i + 1);
    text[start..].trim_end().to_string()
}

/// Renders an entry as file text; `parse_entry` reads it back to the same entry.
pub fn render_entry(meta: &FrontMatter, passages: &[Passage]) -> String {
    let mut out = String::from("+++\n");
    // Serialising a plain struct of strings and string lists cannot fail.
    out.push_str(&toml::to_string(meta).unwrap_or_default());
    out.push_str("+++\n");
    for p in passages {
        out.push('\n');
        if let Some(h) = &p.heading {
            out.push_str("### ");
            out.push_str(h);
            out.push_str("\n\n");
        }
        out.push_str(&trim_block(&p.text));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        "+++\nid = \"a\"\nquestion = \"Q?\"\naliases = [\"x\"]\n+++\n\nIntro para\nsecond line.\n\n### Sub\n\nUnder sub.\n".to_string()
    }

    #[test]
    fn parses_and_round_trips() {
        let (e, lines) = parse_entry("a.md", &sample()).expect("valid");
        assert_eq!(e.passages.len(), 2);
        assert_eq!(e.passages[1].heading.as_deref(), Some("Sub"));
        assert_eq!(e.passages[0].text, "Intro para\nsecond line.");
        assert_eq!(lines.question, 3);
        let again = render_entry(&e.meta, &e.passages);
        let (e2, _) = parse_entry("a.md", &again).expect("valid");
        assert_eq!(e.meta, e2.meta);
        assert_eq!(e.passages, e2.passages);
    }

    #[test]
    fn reports_lines() {
        let bad = "+++\nid = \"a\"\nquestion = \"Q?\"\ncolour = 1\n+++\nx\n";
        let p = parse_entry("a.md", bad).unwrap_err();
        assert_eq!(p[0].line, 4, "{p:?}");
        let empty = "+++\nid = \"a\"\nquestion = \"Q?\"\n+++\n\n";
        let p = parse_entry("a.md", empty).unwrap_err();
        assert!(p[0].message.contains("empty body"), "{p:?}");
        assert_eq!(p[0].line, 5);
    }
}
