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
//!
//! <!-- questions:
//! - How do they put IL-2 into a vein?
//! -->
//! ```
//!
//! The `<!-- questions:` block after a paragraph is that passage's own alternate questions (see
//! [`crate::faq::questions`]): searched, never quoted.

use crate::faq::entry::{is_valid_id, Entry, FrontMatter, Passage};
use crate::faq::questions;
use crate::problem::Problem;
use crate::text::{line_of, question_key};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

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

/// Where a passage and its questions block sit in the body (byte offsets into the body).
#[derive(Debug, Clone)]
struct Layout {
    /// End of the passage's text, less trailing white space.
    text_end: usize,
    /// The passage's questions block, less surrounding white space, when it has one.
    block: Option<Range<usize>>,
}

/// What the top-level block before the current one was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Before {
    /// Nothing (the start of the body).
    Start,
    /// A sub-heading.
    Heading,
    /// A passage without a questions block yet.
    Passage,
    /// A questions block, at this line.
    Questions(usize),
}

/// Splits the Markdown body into passages: every top-level block is one passage, a heading is
/// attached to the block that follows it, and a questions block to the passage before it.
fn scan_body(
    file: &str,
    body: &str,
    body_line: usize,
) -> (Vec<Passage>, Vec<Layout>, Vec<Problem>) {
    let mut passages: Vec<Passage> = Vec::new();
    let mut layouts: Vec<Layout> = Vec::new();
    let mut problems = Vec::new();
    let mut depth = 0usize;
    let mut block_start = 0usize;
    let mut in_heading = false;
    let mut heading_text = String::new();
    let mut pending: Option<(String, usize)> = None;
    let mut before = Before::Start;
    // Each question's key -> the line it is on, over the whole entry.
    let mut seen: HashMap<String, usize> = HashMap::new();

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
                    let span = trimmed(body, block_start..range.end);
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
                        before = Before::Heading;
                    } else if matches!(end, TagEnd::HtmlBlock)
                        && questions::is_questions_block(&body[span.clone()])
                    {
                        let line = body_line + line_of(body, span.start) - 1;
                        let found = match questions::parse_block(&body[span.clone()]) {
                            Ok(found) => found,
                            Err(ps) => {
                                problems.extend(
                                    ps.into_iter()
                                        .map(|(i, msg)| Problem::new(file, line + i, msg)),
                                );
                                Vec::new()
                            }
                        };
                        let mut asked = Vec::new();
                        for (q, i) in found {
                            match seen.entry(question_key(&q)) {
                                std::collections::hash_map::Entry::Occupied(first) => problems
                                    .push(Problem::new(
                                        file,
                                        line + i,
                                        format!(
                                            "duplicate question {q:?}: line {} already asks it",
                                            first.get()
                                        ),
                                    )),
                                std::collections::hash_map::Entry::Vacant(v) => {
                                    v.insert(line + i);
                                    asked.push(q);
                                }
                            }
                        }
                        match before {
                            Before::Passage => {
                                if let (Some(p), Some(l)) =
                                    (passages.last_mut(), layouts.last_mut())
                                {
                                    p.questions = asked;
                                    l.block = Some(span);
                                }
                                before = Before::Questions(line);
                            }
                            Before::Questions(first) => problems.push(Problem::new(
                                file,
                                line,
                                format!(
                                    "a second questions block after the same paragraph: merge it \
                                     into the one on line {first}"
                                ),
                            )),
                            Before::Start | Before::Heading => problems.push(Problem::new(
                                file,
                                line,
                                "a questions block must come right after the paragraph it \
                                 belongs to",
                            )),
                        }
                    } else {
                        let text = body[span.clone()].to_string();
                        if !text.is_empty() {
                            if let Some(at) = questions::questions_block_inside(&text) {
                                problems.push(Problem::new(
                                    file,
                                    body_line + line_of(body, span.start + at) - 1,
                                    "this questions block is inside a paragraph or list, so it \
                                     would be quoted: start `<!-- questions:` at the beginning \
                                     of a line, after a blank line",
                                ));
                            }
                            passages.push(Passage {
                                heading: pending.take().map(|(h, _)| h),
                                text,
                                questions: Vec::new(),
                            });
                            layouts.push(Layout {
                                text_end: span.end,
                                block: None,
                            });
                            before = Before::Passage;
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
    (passages, layouts, problems)
}

fn parse_body(file: &str, body: &str, body_line: usize) -> Result<Vec<Passage>, Vec<Problem>> {
    let (passages, _, problems) = scan_body(file, body, body_line);
    if problems.is_empty() {
        Ok(passages)
    } else {
        Err(problems)
    }
}

/// A block's range less surrounding blank lines and trailing white space (leading indentation
/// matters in Markdown, so it stays).
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let block = &text[range.clone()];
    let start = block
        .char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .filter(|(_, c)| *c == '\n')
        .last()
        .map_or(0, |(i, _)| i + 1);
    let end = block.trim_end().len().max(start);
    range.start + start..range.start + end
}

/// A block's source as written, less surrounding blank lines and trailing white space (leading
/// indentation matters in Markdown, so it stays).
fn trim_block(text: &str) -> String {
    text[trimmed(text, 0..text.len())].to_string()
}

/// The passages as the body of a file: sub-headings, paragraphs and (when `with_questions`) each
/// paragraph's questions block, one blank line apart.
fn render_passages(passages: &[Passage], with_questions: bool) -> String {
    let mut out = String::new();
    for p in passages {
        out.push('\n');
        if let Some(h) = &p.heading {
            out.push_str("### ");
            out.push_str(h);
            out.push_str("\n\n");
        }
        out.push_str(&trim_block(&p.text));
        out.push('\n');
        if with_questions && !p.questions.is_empty() {
            out.push('\n');
            out.push_str(&questions::render_block(&p.questions));
            out.push('\n');
        }
    }
    out
}

/// Renders an entry as file text; `parse_entry` reads it back to the same entry.
pub fn render_entry(meta: &FrontMatter, passages: &[Passage]) -> String {
    let mut out = String::from("+++\n");
    // Serialising a plain struct of strings and string lists cannot fail.
    out.push_str(&toml::to_string(meta).unwrap_or_default());
    out.push_str("+++\n");
    out.push_str(&render_passages(passages, true));
    out
}

/// The answer alone, as a moderator edits it in the bot's form: sub-headings and paragraphs,
/// without the questions blocks (an edit keeps those, see [`crate::faq::store::edit_entry`]).
pub fn render_answer(passages: &[Passage]) -> String {
    render_passages(passages, false).trim().to_string()
}

/// Rewrites the questions blocks of an entry file so that passage `i` asks `wanted[i]`, leaving
/// every other byte of the file as it was (a block is added after its paragraph, replaced, or
/// removed with the blank line before it). `None` when the file does not parse or has another
/// number of passages.
pub fn set_questions(text: &str, wanted: &[Vec<String>]) -> Option<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let (_, _, body, body_line) = split_front_matter("", &text).ok()?;
    let head = &text[..text.len() - body.len()];
    let (passages, layouts, problems) = scan_body("", body, body_line);
    if !problems.is_empty() || passages.len() != wanted.len() {
        return None;
    }
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for ((p, l), want) in passages.iter().zip(&layouts).zip(wanted) {
        if &p.questions == want {
            continue;
        }
        match (&l.block, want.is_empty()) {
            (Some(b), true) => edits.push((l.text_end..b.end, String::new())),
            (Some(b), false) => edits.push((b.clone(), questions::render_block(want))),
            (None, false) => edits.push((
                l.text_end..l.text_end,
                format!("\n\n{}", questions::render_block(want)),
            )),
            (None, true) => {}
        }
    }
    let mut new_body = body.to_string();
    for (range, with) in edits.into_iter().rev() {
        new_body.replace_range(range, &with);
    }
    Some(format!("{head}{new_body}"))
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

    const WITH_QUESTIONS: &str = "+++\nid = \"a\"\nquestion = \"Q?\"\n+++\n\nIntro.\n\n<!-- questions:\n- What is it?\n- Is it new?\n-->\n\n### Shots\n\nUnder the skin.\n<!--Questions:\n-  Can I get it as a shot at home?  \n-->\nLast paragraph.\n";

    #[test]
    fn passage_questions_are_parsed_and_never_quoted() {
        let (e, _) = parse_entry("a.md", WITH_QUESTIONS).expect("valid");
        assert_eq!(e.passages.len(), 3, "{:?}", e.passages);
        assert_eq!(e.passages[0].text, "Intro.");
        assert_eq!(e.passages[0].questions, ["What is it?", "Is it new?"]);
        assert_eq!(e.passages[1].heading.as_deref(), Some("Shots"));
        assert_eq!(e.passages[1].text, "Under the skin.");
        assert_eq!(e.passages[1].questions, ["Can I get it as a shot at home?"]);
        assert_eq!(e.passages[2].text, "Last paragraph.");
        assert!(e.passages[2].questions.is_empty());
        assert!(e.passages.iter().all(|p| !p.display().contains("<!--")));
    }

    #[test]
    fn passage_questions_round_trip_through_render_entry() {
        let (e, _) = parse_entry("a.md", WITH_QUESTIONS).expect("valid");
        let text = render_entry(&e.meta, &e.passages);
        assert!(
            text.contains(
                "Under the skin.\n\n<!-- questions:\n- Can I get it as a shot at home?\n-->\n"
            ),
            "{text}"
        );
        let (again, _) = parse_entry("a.md", &text).expect("valid");
        assert_eq!(again.passages, e.passages);
        assert_eq!(render_entry(&again.meta, &again.passages), text, "stable");
        let answer = render_answer(&e.passages);
        assert!(
            !answer.contains("<!--") && answer.contains("Under the skin."),
            "{answer}"
        );
    }

    #[test]
    fn set_questions_adds_replaces_and_removes_only_blocks() {
        let wanted = vec![
            vec![],
            vec!["New one?".to_string()],
            vec!["Third?".to_string()],
        ];
        let text = set_questions(WITH_QUESTIONS, &wanted).expect("rewritten");
        let (e, _) = parse_entry("a.md", &text).expect("valid");
        let got: Vec<Vec<String>> = e.passages.iter().map(|p| p.questions.clone()).collect();
        assert_eq!(got, wanted);
        assert!(text.starts_with("+++\nid = \"a\"\nquestion = \"Q?\"\n+++\n\nIntro.\n\n### Shots\n\nUnder the skin.\n<!-- questions:\n- New one?\n-->\nLast paragraph.\n\n<!-- questions:\n- Third?\n-->\n"), "{text}");
        assert_eq!(set_questions(WITH_QUESTIONS, &wanted[..2]), None);
    }

    #[test]
    fn questions_blocks_out_of_place_are_reported_with_lines() {
        let msgs = |body: &str| -> Vec<(usize, String)> {
            let text = format!("+++\nid = \"a\"\nquestion = \"Q?\"\n+++\n\n{body}");
            parse_entry("a.md", &text)
                .unwrap_err()
                .into_iter()
                .map(|p| (p.line, p.message))
                .collect()
        };
        let first = msgs("<!-- questions:\n- Why?\n-->\n\nText.\n");
        assert_eq!(first[0].0, 6);
        assert!(
            first[0].1.contains("right after the paragraph"),
            "{first:?}"
        );
        let heading = msgs("### H\n\n<!-- questions:\n- Why?\n-->\n\nText.\n");
        assert_eq!(heading[0].0, 8, "{heading:?}");
        let twice = msgs("Text.\n\n<!-- questions:\n- Why?\n-->\n<!-- questions:\n- How?\n-->\n");
        assert_eq!(twice[0].0, 11, "{twice:?}");
        assert!(twice[0].1.contains("line 8"), "{twice:?}");
        let dup =
            msgs("One.\n\n<!-- questions:\n- Why?\n-->\n\nTwo.\n\n<!-- questions:\n- why\n-->\n");
        assert_eq!(dup[0].0, 15, "{dup:?}");
        assert!(dup[0].1.contains("duplicate question") && dup[0].1.contains("line 9"));
        let inside = msgs("- a list\n  <!-- questions:\n  - Why?\n  -->\n");
        assert_eq!(inside[0].0, 7, "{inside:?}");
    }
}
